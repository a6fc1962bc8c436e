//! Rules on the `Candidats` sheet.

use std::collections::HashMap;

use crate::classeur::{Champ, Classeur};
use crate::diagnostic::Diagnostic;
use crate::referentiel::Referentiel;

fn position(c: &Champ, ligne: u32) -> String {
    if c.cellule.is_empty() {
        format!("{}!{ligne}", crate::classeur::schema::CANDIDATS)
    } else {
        c.cellule.to_string()
    }
}

pub fn verifier(classeur: &Classeur, referentiel: Referentiel, d: &mut Vec<Diagnostic>) {
    let mut vus: HashMap<&str, &Champ> = HashMap::new();
    for c in &classeur.candidats {
        let n = c.numero.texte.as_str();
        super::erreurs_formule(
            [
                &c.numero,
                &c.nom,
                &c.prenom,
                &c.option,
                &c.portfolio,
                &c.epreuve,
            ],
            n,
            d,
        );
        if c.numero.nombre().is_some() {
            d.push(
                Diagnostic::avertissement(
                    "candidat-numero-nombre",
                    position(&c.numero, c.ligne),
                    format!(
                        "le N° candidat est enregistré comme un nombre : il sera imprimé « {n} », et un zéro \
                         en tête a pu être perdu ; vérifiez-le sur la convocation et saisissez-le comme texte \
                         (précédé d'une apostrophe : '0{n})"
                    ),
                )
                .pour(n),
            );
        }
        if n.is_empty() {
            d.push(Diagnostic::erreur(
                "candidat-numero-absent",
                position(&c.numero, c.ligne),
                format!(
                    "le N° candidat de {} {} est vide ; recopiez-le depuis la convocation ou l'export Cyclades",
                    c.nom.texte, c.prenom.texte
                ),
            ));
        } else if let Some(premier) = vus.get(n) {
            d.push(
                Diagnostic::erreur(
                    "candidat-numero-double",
                    position(&c.numero, c.ligne),
                    format!(
                        "le N° candidat {n} est déjà utilisé en {} ; chaque candidat doit avoir son propre numéro",
                        premier.cellule
                    ),
                )
                .pour(n),
            );
        } else {
            vus.insert(n, &c.numero);
        }
        if c.nom.est_vide() {
            d.push(
                Diagnostic::erreur(
                    "candidat-nom-absent",
                    position(&c.nom, c.ligne),
                    "le NOM du candidat est vide ; écrivez-le comme sur la convocation (nom d'usage)",
                )
                .pour(n),
            );
        }
        if c.prenom.est_vide() {
            d.push(
                Diagnostic::erreur(
                    "candidat-prenom-absent",
                    position(&c.prenom, c.ligne),
                    "le prénom du candidat est vide ; écrivez-le comme sur la convocation",
                )
                .pour(n),
            );
        }
        if c.option.est_vide() {
            d.push(
                Diagnostic::erreur(
                    "candidat-option-absente",
                    position(&c.option, c.ligne),
                    "l'option du candidat n'est pas renseignée ; attendu SISR ou SLAM",
                )
                .pour(n),
            );
        } else if c.option().is_none() {
            d.push(
                Diagnostic::erreur(
                    "candidat-option-inconnue",
                    position(&c.option, c.ligne),
                    format!(
                        "option « {} » inconnue ; attendu SISR ou SLAM",
                        c.option.texte
                    ),
                )
                .pour(n),
            );
        }
        if !c.epreuve.est_vide() {
            let e = crate::classeur::schema::normaliser(&c.epreuve.texte);
            if !(e.contains("ponctuel") || e.contains("ccf") || e.contains("controleencours")) {
                d.push(
                    Diagnostic::avertissement(
                        "candidat-epreuve-inconnue",
                        position(&c.epreuve, c.ligne),
                        format!(
                            "forme d'épreuve « {} » inconnue ; attendu « Ponctuelle » ou « CCF » (aucune case ne sera cochée)",
                            c.epreuve.texte
                        ),
                    )
                    .pour(n),
                );
            }
        }
        // The portfolio URL is printed on the 2019 tableau de synthèse (from 2023).
        if matches!(referentiel, Referentiel::Sio2019(_)) {
            let url = c.portfolio.texte.trim();
            if url.is_empty() {
                d.push(
                    Diagnostic::avertissement(
                        "portfolio-absent",
                        position(&c.portfolio, c.ligne),
                        "l'adresse URL du portfolio est vide ; elle figure sur le tableau de synthèse et le jury doit pouvoir l'ouvrir",
                    )
                    .pour(n),
                );
            } else if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(' ')
                || url.len() < 12
            {
                d.push(
                    Diagnostic::avertissement(
                        "portfolio-invalide",
                        position(&c.portfolio, c.ligne),
                        format!("« {url} » n'est pas une adresse web complète ; attendu une adresse commençant par https://"),
                    )
                    .pour(n),
                );
            }
        }
    }
}
