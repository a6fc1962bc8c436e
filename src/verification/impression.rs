//! What `generer` needs to print every text: a length that the form can hold (and that stays
//! within the PDF/A limits), and characters that the embedded fonts can draw. A cell that
//! breaks either is reported here, with its cell, so that `verifier` catches all that would
//! make a document fail.

use crate::classeur::{Champ, Classeur};
use crate::diagnostic::Diagnostic;

/// Longest text accepted per kind of field, in characters: what the printed form can show.
pub mod longueurs {
    pub const COURT: usize = 200;
    pub const NOM: usize = 100;
    pub const INTITULE: usize = 500;
    pub const ADRESSE: usize = 500;
    pub const LISTE: usize = 2_000;
    pub const PARAGRAPHE: usize = 3_000;
    pub const DESCRIPTIF: usize = 10_000;
    /// Réalisations of one candidate on the tableau de synthèse (the official form has about
    /// thirty lines): beyond, a workbook holds rows copied by mistake, and laying them all out
    /// would take minutes and gigabytes (60 000 rows: 38 s, 1.9 GB).
    pub const REALISATIONS: usize = 300;
}

pub fn verifier(classeur: &Classeur, d: &mut Vec<Diagnostic>) {
    use longueurs::*;
    let p = &classeur.parametres;
    let mut champs: Vec<(&Champ, &str, usize, &str)> = vec![
        (&p.centre, "le centre de formation", COURT, ""),
        (&p.academie, "l'académie", COURT, ""),
        (&p.classe, "la classe", COURT, ""),
        (&p.formateur, "le formateur ou la formatrice", COURT, ""),
    ];
    for c in &classeur.candidats {
        let n = c.numero.texte.as_str();
        champs.extend([
            (&c.numero, "le N° candidat", 40, n),
            (&c.nom, "le NOM", NOM, n),
            (&c.prenom, "le prénom", NOM, n),
            (&c.portfolio, "l'adresse du portfolio", ADRESSE, n),
        ]);
    }
    for r in &classeur.realisations {
        let n = r.candidat.texte.as_str();
        champs.extend([
            (&r.intitule, "l'intitulé", INTITULE, n),
            (&r.documents, "la liste des documents", LISTE, n),
            (&r.periode, "la période", COURT, n),
            (&r.lieu, "le lieu", COURT, n),
            (&r.organisation, "l'organisation", COURT, n),
        ]);
    }
    for f in &classeur.fiches {
        let n = f.candidat.texte.as_str();
        champs.extend([
            (
                &f.conditions,
                "les conditions de réalisation",
                PARAGRAPHE,
                n,
            ),
            (&f.ressources, "les ressources", PARAGRAPHE, n),
            (&f.acces, "les modalités d'accès", PARAGRAPHE, n),
            (&f.descriptif, "le descriptif", DESCRIPTIF, n),
        ]);
    }
    for (champ, quoi, max, candidat) in champs {
        verifier_champ(champ, quoi, max, candidat, d);
    }
}

fn verifier_champ(champ: &Champ, quoi: &str, max: usize, candidat: &str, d: &mut Vec<Diagnostic>) {
    if champ.texte.is_empty() {
        return;
    }
    let longueur = champ.texte.chars().count();
    if longueur > max {
        let plus = if longueur > crate::entree::limites::LONGUEUR_CELLULE {
            format!("plus de {}", crate::entree::limites::LONGUEUR_CELLULE)
        } else {
            longueur.to_string()
        };
        d.push(
            Diagnostic::erreur(
                "texte-trop-long",
                champ.cellule.to_string(),
                format!(
                    "{quoi} compte {plus} caractères ; le document en imprime au plus {max} : \
                     raccourcissez le texte"
                ),
            )
            .pour(candidat),
        );
    }
    // Bidirectional embeddings, overrides and isolates are invisible, and Typst obeys them:
    // « \u{202E}web sous Linux » prints « xuniL suos bew ». They come from copy-pasting.
    let sens = distincts(
        &champ.texte,
        |c| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'),
    );
    if !sens.is_empty() {
        let liste: Vec<String> = sens
            .iter()
            .map(|c| format!("U+{:04X}", *c as u32))
            .collect();
        let pluriel = sens.len() > 1;
        d.push(
            Diagnostic::erreur(
                "caractere-de-direction",
                champ.cellule.to_string(),
                format!(
                    "{quoi} contient {} de direction d'écriture ({}) : le document imprimerait à \
                     l'envers le texte qui suit ; {} (souvent venu{} d'un copier-coller), par \
                     exemple en retapant le texte",
                    if pluriel {
                        "des caractères invisibles"
                    } else {
                        "un caractère invisible"
                    },
                    liste.join(", "),
                    if pluriel { "retirez-les" } else { "retirez-le" },
                    if pluriel { "s" } else { "" },
                ),
            )
            .pour(candidat),
        );
    }
    let refuses = distincts(&champ.texte, |c| !crate::polices::dessinable(c));
    if !refuses.is_empty() {
        let liste: Vec<String> = refuses
            .iter()
            .take(5)
            .map(|c| {
                if c.is_control() {
                    format!("U+{:04X} (caractère de contrôle)", *c as u32)
                } else {
                    format!("« {c} » (U+{:04X})", *c as u32)
                }
            })
            .collect();
        d.push(
            Diagnostic::erreur(
                "caractere-non-imprimable",
                champ.cellule.to_string(),
                format!(
                    "{quoi} contient {} que les polices des documents ne savent pas dessiner : {}{} ; \
                     retirez-le ou remplacez-le par du texte (les émojis ne sont pas imprimables)",
                    if refuses.len() > 1 { "des caractères" } else { "un caractère" },
                    liste.join(", "),
                    if refuses.len() > 5 { "…" } else { "" }
                ),
            )
            .pour(candidat),
        );
    }
}

/// The characters of `texte` that `garder` keeps, each once, in code order.
fn distincts(texte: &str, garder: impl Fn(char) -> bool) -> Vec<char> {
    let mut v: Vec<char> = texte.chars().filter(|&c| garder(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}
