//! Rules over all of a candidate's réalisations: coverage of the référentiel and the two fiches.

use crate::classeur::{Candidat, Classeur, Realisation};
use crate::diagnostic::Diagnostic;
use crate::referentiel::{OptionSio, Referentiel};

pub fn verifier(classeur: &Classeur, referentiel: Referentiel, d: &mut Vec<Diagnostic>) {
    for c in &classeur.candidats {
        let n = c.numero.texte.as_str();
        if n.is_empty() {
            continue;
        }
        let realisations = classeur.realisations_titrees(n);
        let coche = |code: &str| {
            realisations
                .iter()
                .any(|r| r.codes_coches().any(|x| x == code))
        };
        let position = if c.numero.cellule.is_empty() {
            format!("{}!{}", crate::classeur::schema::CANDIDATS, c.ligne)
        } else {
            c.numero.cellule.to_string()
        };
        let qui = format!("{} {} ({n})", c.nom.texte, c.prenom.texte);
        let max = crate::verification::longueurs::REALISATIONS;
        if realisations.len() > max {
            d.push(
                Diagnostic::erreur(
                    "realisations-trop-nombreuses",
                    position.clone(),
                    format!(
                        "{qui} : {} réalisations ; le tableau de synthèse en imprime au plus {max}, les \
                         premières dans l'ordre du classeur : vérifiez les N° candidat de la feuille \
                         Réalisations (des lignes copiées en trop ?)",
                        realisations.len()
                    ),
                )
                .pour(n),
            );
        }
        match referentiel {
            Referentiel::Sio2011(r) => {
                for so in &r.situations_obligatoires {
                    if !coche(&so.code) {
                        d.push(
                            Diagnostic::avertissement(
                                "situation-obligatoire-manquante",
                                position.clone(),
                                format!(
                                    "{qui} : aucune situation de type {} (« {} ») ; chaque situation obligatoire doit \
                                     figurer au moins une fois, sinon 5 points de pénalité en E6",
                                    so.code, so.libelle_court
                                ),
                            )
                            .pour(n),
                        );
                    }
                }
            }
            Referentiel::Sio2019(r) => {
                for comp in r.bloc1() {
                    if !coche(&comp.code) {
                        d.push(
                            Diagnostic::erreur(
                                "bloc1-competence-manquante",
                                position.clone(),
                                format!(
                                    "{qui} : aucune réalisation ne mobilise « {} » ({}) ; les réalisations doivent, \
                                     dans leur ensemble, mobiliser toutes les compétences du bloc 1",
                                    comp.intitule, comp.code
                                ),
                            )
                            .pour(n),
                        );
                    }
                }
            }
        }
        fiches(classeur, c, &realisations, referentiel, &position, &qui, d);
    }
}

/// Exactly two réalisations marked fiche 1 and fiche 2; in 2019 they cover the option's three
/// bloc-2 compétences together.
fn fiches(
    classeur: &Classeur,
    candidat: &Candidat,
    realisations: &[&Realisation],
    referentiel: Referentiel,
    position: &str,
    qui: &str,
    d: &mut Vec<Diagnostic>,
) {
    let n = candidat.numero.texte.as_str();
    let marquees = |k: u8| -> Vec<&Realisation> {
        realisations
            .iter()
            .copied()
            .filter(|r| r.numero_fiche() == Some(k))
            .collect()
    };
    let (une, deux) = (marquees(1), marquees(2));
    let epreuve = match referentiel {
        Referentiel::Sio2011(_) => "les deux situations professionnelles de l'épreuve E4",
        Referentiel::Sio2019(_) => "les deux réalisations décrites sur une fiche (bloc 2)",
    };
    if une.len() != 1 || deux.len() != 1 {
        let decrire = |v: &[&Realisation]| match v {
            [] => "aucune réalisation".to_string(),
            _ => format!(
                "{} réalisation(s), ligne(s) {}",
                v.len(),
                v.iter()
                    .map(|r| r.ligne.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        d.push(
            Diagnostic::erreur(
                "fiches-nombre",
                position.to_string(),
                format!(
                    "{qui} : attendu exactement {epreuve}, marquées 1 et 2 dans la colonne Fiche n° de la feuille \
                     Réalisations ; trouvé fiche 1 : {}, fiche 2 : {} (chaque réalisation manquante coûte 10 points)",
                    decrire(&une),
                    decrire(&deux)
                ),
            )
            .pour(n),
        );
    }
    if let (Referentiel::Sio2019(r), Some(option)) = (referentiel, candidat.option()) {
        let retenues: Vec<&Realisation> = une.iter().chain(deux.iter()).copied().collect();
        if !retenues.is_empty() {
            let manquantes: Vec<String> = r
                .bloc2(option)
                .filter(|c| {
                    !retenues
                        .iter()
                        .any(|x| x.codes_coches().any(|k| k == c.code))
                })
                .map(|c| format!("« {} » ({})", c.intitule, c.code))
                .collect();
            if !manquantes.is_empty() {
                d.push(
                    Diagnostic::erreur(
                        "fiches-couverture",
                        position.to_string(),
                        format!(
                            "{qui} : les réalisations des fiches ne couvrent pas {} de l'option {} ; ensemble, elles \
                             doivent couvrir les trois compétences du bloc 2",
                            manquantes.join(", "),
                            OptionSio::code(option)
                        ),
                    )
                    .pour(n),
                );
            }
        }
    }
    for (k, v) in [(1u8, &une), (2u8, &deux)] {
        if v.len() == 1 && !classeur.fiches_de(n).any(|f| f.numero_fiche() == Some(k)) {
            d.push(
                Diagnostic::avertissement(
                    "fiche-sans-texte",
                    v[0].fiche.cellule.to_string(),
                    format!(
                        "la fiche {k} de {qui} n'a pas de ligne dans la feuille Fiches ; les conditions de réalisation, \
                         les ressources et le descriptif resteront vides"
                    ),
                )
                .pour(n),
            );
        }
    }
}
