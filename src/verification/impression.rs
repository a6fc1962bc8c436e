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
    // Each text with what it is, its longest length, its candidate, and whether the form
    // wraps it in lines (the others are shrunk to fit their one line).
    let p = &classeur.parametres;
    let mut champs: Vec<(&Champ, &str, usize, &str, bool)> = vec![
        (&p.centre, "le centre de formation", COURT, "", false),
        (&p.academie, "l'académie", COURT, "", false),
        (&p.classe, "la classe", COURT, "", false),
        (
            &p.formateur,
            "le formateur ou la formatrice",
            COURT,
            "",
            false,
        ),
    ];
    for c in &classeur.candidats {
        let n = c.numero.texte.as_str();
        champs.extend([
            (&c.numero, "le N° candidat", 40, n, false),
            (&c.nom, "le NOM", NOM, n, false),
            (&c.prenom, "le prénom", NOM, n, false),
            (&c.portfolio, "l'adresse du portfolio", ADRESSE, n, false),
        ]);
    }
    for r in &classeur.realisations {
        let n = r.candidat.texte.as_str();
        champs.extend([
            (&r.intitule, "l'intitulé", INTITULE, n, true),
            (&r.documents, "la liste des documents", LISTE, n, true),
            (&r.periode, "la période", COURT, n, false),
            (&r.lieu, "le lieu", COURT, n, false),
            (&r.organisation, "l'organisation", COURT, n, false),
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
                true,
            ),
            (&f.ressources, "les ressources", PARAGRAPHE, n, true),
            (&f.acces, "les modalités d'accès", PARAGRAPHE, n, true),
            (&f.descriptif, "le descriptif", DESCRIPTIF, n, true),
        ]);
    }
    for (champ, quoi, max, candidat, a_la_ligne) in champs {
        verifier_champ(champ, quoi, max, candidat, d);
        if a_la_ligne {
            verifier_coupures(champ, quoi, candidat, d);
        }
    }
}

/// Characters in a row that the narrowest wrapped text of the forms holds on one line (a line
/// of a fiche holds about 85 capitals, one of the tableau's intitulés more): a longer run with
/// nowhere to break is cut at the frame's edge.
const SANS_COUPURE_MAX: usize = 80;

/// A run of characters with no place where the line may break (no space, slash or hyphen) and
/// longer than a line: Typst can only let it overflow the frame, and what overflows is not
/// printed (300 « X » in a descriptif: 85 printed).
fn verifier_coupures(champ: &Champ, quoi: &str, candidat: &str, d: &mut Vec<Diagnostic>) {
    let coupure = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '/' | '-' | '?' | '&' | '\u{2010}'..='\u{2014}' | '\u{200B}'
            )
    };
    let Some(suite) = champ
        .texte
        .split(coupure)
        .max_by_key(|m| m.chars().count())
        .filter(|m| m.chars().count() > SANS_COUPURE_MAX)
    else {
        return;
    };
    let debut: String = suite.chars().take(20).collect();
    let longueur = nombre_lu(suite.chars().count());
    d.push(
        Diagnostic::avertissement(
            "mot-sans-coupure",
            champ.cellule.to_string(),
            format!(
                "{quoi} contient une suite de {} caractères sans espace ni coupure possible (« {debut}… »), \
                 plus longue qu'une ligne du document : ce qui dépasse du cadre ne sera pas imprimé ; \
                 ajoutez des espaces",
                longueur
            ),
        )
        .pour(candidat),
    );
}

fn verifier_champ(champ: &Champ, quoi: &str, max: usize, candidat: &str, d: &mut Vec<Diagnostic>) {
    if champ.texte.is_empty() {
        return;
    }
    let longueur = champ.texte.chars().count();
    if longueur > max {
        let plus = nombre_lu(longueur);
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
    // Invisible, they come from copy-pasting, and reverse what follows them in print.
    let sens = distincts(&champ.texte, crate::polices::force_le_sens);
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

/// « 1200 », or « plus de 32767 » for a cell the reading cut at its limit.
fn nombre_lu(n: usize) -> String {
    if n > crate::entree::limites::LONGUEUR_CELLULE {
        format!("plus de {}", crate::entree::limites::LONGUEUR_CELLULE)
    } else {
        n.to_string()
    }
}

/// The characters of `texte` that `garder` keeps, each once, in code order.
fn distincts(texte: &str, garder: impl Fn(char) -> bool) -> Vec<char> {
    let mut v: Vec<char> = texte.chars().filter(|&c| garder(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}
