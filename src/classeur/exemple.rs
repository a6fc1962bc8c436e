//! A fictitious class for `siodoc modele --exemple` and the samples: twelve candidates or more,
//! both options, every partie, every coverage rule met. Names and numbers are made up.

use chrono::NaiveDate;

use super::gabarit::{Contenu, ContenuParametres, LigneCandidat, LigneFiche, LigneRealisation};
use super::{Modalite, Partie};
use crate::referentiel::{OptionSio, Referentiel};
use crate::session::ProfilSession;

const NOMS: [&str; 16] = [
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU",
    "LAURENT", "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "N'DIAYE",
];
const PRENOMS: [&str; 16] = [
    "Léa", "Hugo", "Chloé", "Lucas", "Inès", "Nathan", "Manon", "Théo", "Zoé", "Enzo", "Camille",
    "Yanis", "Élodie", "Maël", "Anaïs", "Noé",
];

/// Titles of réalisations per option: (intitulé, documents).
const SISR: [(&str, &str); 7] = [
    (
        "Mise en place d'un serveur DHCP redondant",
        "Procédure d'installation ; schéma réseau",
    ),
    (
        "Déploiement d'un annuaire Active Directory",
        "Documentation technique ; captures",
    ),
    (
        "Supervision du parc avec Zabbix",
        "Tableau de bord ; procédure d'alerte",
    ),
    (
        "Sauvegarde automatisée des serveurs",
        "Script de sauvegarde ; plan de restauration",
    ),
    (
        "Traitement des tickets d'assistance GLPI",
        "Export des tickets ; base de connaissances",
    ),
    (
        "Segmentation du réseau en VLAN",
        "Plan d'adressage ; configuration des commutateurs",
    ),
    (
        "Veille sur la sécurité des accès distants",
        "Synthèse de veille ; flux RSS",
    ),
];
const SLAM: [(&str, &str); 7] = [
    (
        "Application de gestion des stages en PHP",
        "Code source ; cahier des charges",
    ),
    (
        "API REST de réservation de salles",
        "Documentation de l'API ; tests Postman",
    ),
    (
        "Application mobile de suivi des absences",
        "Maquettes ; dépôt Git",
    ),
    (
        "Refonte du site vitrine de l'association",
        "Site en ligne ; rapport de référencement",
    ),
    (
        "Correction d'anomalies sur l'intranet",
        "Tickets ; jeux d'essai",
    ),
    (
        "Base de données des inscriptions",
        "Modèle conceptuel ; scripts SQL",
    ),
    (
        "Veille sur les frameworks JavaScript",
        "Synthèse de veille ; présentation",
    ),
];

fn date(a: i32, m: u32, j: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(a, m, j)
}

/// The example class for a session (14 candidates). With `option`, every candidate takes that
/// option.
pub fn classe(profil: &ProfilSession, option: Option<OptionSio>) -> Contenu {
    classe_de_taille(profil, option, 14)
}

/// An example class of `taille` candidates, for benchmarks: names repeat past the sixteenth,
/// N° stay unique.
pub fn classe_de_taille(
    profil: &ProfilSession,
    option: Option<OptionSio>,
    taille: usize,
) -> Contenu {
    let referentiel = profil.referentiel.charger();
    let s = i32::from(profil.session);
    let mut contenu = Contenu {
        parametres: ContenuParametres {
            centre: "Lycée Jules-Verne (fictif), Nantes".into(),
            academie: "Nantes".into(),
            classe: format!("BTS SIO {}", s - 2000),
            formateur: "Claire FONTAINE".into(),
            date: date(s, 4, 15),
        },
        ..Contenu::default()
    };
    for i in 0..taille {
        let opt = option.unwrap_or(if i % 2 == 0 {
            OptionSio::Sisr
        } else {
            OptionSio::Slam
        });
        let numero = format!("0{:02}{:06}", s % 100, 101 + i);
        let (nom, prenom) = (
            NOMS[i % NOMS.len()],
            PRENOMS[(i + i / PRENOMS.len()) % PRENOMS.len()],
        );
        contenu.candidats.push(LigneCandidat {
            numero: numero.clone(),
            nom: nom.into(),
            prenom: prenom.into(),
            option: Some(opt),
            portfolio: format!(
                "https://portfolio.exemple.fr/{}-{}",
                deunicode::deunicode(prenom).to_lowercase(),
                deunicode::deunicode(nom).to_lowercase().replace('\'', "")
            ),
            epreuve: if i % 5 == 4 {
                "Ponctuelle".into()
            } else {
                "CCF".into()
            },
        });
        let titres = match opt {
            OptionSio::Sisr => &SISR,
            OptionSio::Slam => &SLAM,
        };
        // Seven réalisations: three in training, two per internship; the two fiches among them.
        let plan: [(Partie, Option<NaiveDate>, Option<NaiveDate>, &str); 7] = [
            (
                Partie::Formation,
                date(s - 2, 10, 2),
                date(s - 2, 12, 15),
                "Centre de formation",
            ),
            (
                Partie::Formation,
                date(s - 1, 1, 8),
                date(s - 1, 3, 20),
                "Centre de formation",
            ),
            (
                Partie::Formation,
                date(s - 1, 9, 15),
                date(s - 1, 11, 30),
                "Centre de formation",
            ),
            (
                Partie::Professionnel1,
                date(s - 1, 5, 15),
                date(s - 1, 6, 5),
                "Nantes",
            ),
            (
                Partie::Professionnel1,
                date(s - 1, 6, 8),
                date(s - 1, 6, 26),
                "Nantes",
            ),
            (
                Partie::Professionnel2,
                date(s, 1, 6),
                date(s, 1, 24),
                "Saint-Nazaire",
            ),
            (
                Partie::Professionnel2,
                date(s, 1, 27),
                date(s, 2, 14),
                "Saint-Nazaire",
            ),
        ];
        let organisations = [
            "Laboratoire SIO du lycée",
            "Mairie de Rezé (fictive)",
            "Transports Atlantique (fictifs)",
        ];
        for (k, (partie, debut, fin, lieu)) in plan.into_iter().enumerate() {
            let (intitule, documents) = titres[(k + i) % titres.len()];
            let fiche = match k {
                2 => Some(1),
                5 => Some(2),
                _ => None,
            };
            contenu.realisations.push(LigneRealisation {
                candidat: numero.clone(),
                partie,
                intitule: intitule.into(),
                documents: documents.into(),
                debut,
                fin,
                periode: String::new(),
                lieu: lieu.into(),
                organisation: organisations[match partie {
                    Partie::Formation => 0,
                    Partie::Professionnel1 => 1,
                    Partie::Professionnel2 => 2,
                }]
                .into(),
                modalite: Some(if k % 2 == 0 {
                    Modalite::Seul
                } else {
                    Modalite::EnEquipe
                }),
                coches: coches(referentiel, opt, k, i),
                marques: Vec::new(),
                fiche,
            });
        }
        for (numero_fiche, k) in [(1u8, 2usize), (2u8, 5usize)] {
            let (intitule, _) = titres[(k + i) % titres.len()];
            contenu.fiches.push(LigneFiche {
                candidat: numero.clone(),
                numero: numero_fiche,
                conditions: format!(
                    "Demande de l'organisation : {}. Ressources fournies : cahier des charges, accès au laboratoire. \
                     Résultat attendu : un service opérationnel et documenté.",
                    intitule.to_lowercase()
                ),
                // The 2011 fiche has no such field (official-layouts.md §3).
                ressources: match referentiel {
                    Referentiel::Sio2019(_) => "Documentation des éditeurs ; deux serveurs virtualisés ; poste de travail sous Linux et Windows.".into(),
                    Referentiel::Sio2011(_) => String::new(),
                },
                acces: format!("Portfolio, rubrique « Réalisations » : https://portfolio.exemple.fr/{}", i + 1),
                descriptif: format!(
                    "Contexte : {intitule}.\n\nÉtapes : analyse du besoin, maquette, mise en œuvre, tests, \
                     documentation et présentation aux utilisateurs.\n\nProductions : procédure, schémas et compte rendu."
                ),
            });
        }
    }
    contenu
}

/// Ticks of réalisation `k` (0–6) of candidate `i`, chosen so that every coverage rule holds:
/// 2011: each SO at least once, activités of the option's grid only; 2019: all six bloc-1
/// compétences, and the two fiches (k = 2 and 5) covering the three bloc-2 compétences.
fn coches(referentiel: Referentiel, option: OptionSio, k: usize, i: usize) -> Vec<String> {
    match referentiel {
        Referentiel::Sio2011(r) => {
            let grille: Vec<&str> = r
                .colonnes_tableau(option)
                .map(|a| a.code.as_str())
                .collect();
            let mut v = vec![format!("SO{}", k % 4 + 1)];
            for j in 0..3 {
                v.push(grille[(k * 7 + i * 3 + j * 11) % grille.len()].to_string());
            }
            v
        }
        Referentiel::Sio2019(r) => {
            let bloc1: Vec<&str> = r.bloc1().map(|c| c.code.as_str()).collect();
            let bloc2: Vec<&str> = r.bloc2(option).map(|c| c.code.as_str()).collect();
            let mut v = vec![bloc1[k % 6].to_string(), bloc1[(k + i + 1) % 6].to_string()];
            match k {
                2 => v.extend([bloc2[0].to_string(), bloc2[1].to_string()]),
                5 => v.push(bloc2[2].to_string()),
                _ => {}
            }
            v.dedup();
            v
        }
    }
}
