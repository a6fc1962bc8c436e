//! The layout of the class workbook, shared by the reader and the template writer: sheet names,
//! columns with the header the template writes and the variants a reader accepts, and the tick
//! columns of each référentiel.

use crate::referentiel::{OptionSio, Referentiel, normaliser_code_activite};

pub const PARAMETRES: &str = "Paramètres";
pub const CANDIDATS: &str = "Candidats";
pub const REALISATIONS: &str = "Réalisations";
pub const FICHES: &str = "Fiches";

/// The data sheets, in workbook order.
pub const FEUILLES: [&str; 4] = [PARAMETRES, CANDIDATS, REALISATIONS, FICHES];

/// Folds a header or label for comparison: accents, case, spaces and punctuation ignored.
pub fn normaliser(texte: &str) -> String {
    let sans_degre: String = texte.chars().filter(|c| !matches!(c, '°' | 'º')).collect();
    deunicode::deunicode(&sans_degre)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// A column of a data sheet.
#[derive(Debug)]
pub struct Colonne {
    pub cle: &'static str,
    /// Header written by the template.
    pub entete: &'static str,
    /// Other headers accepted on reading (compared after [`normaliser`]).
    pub alias: &'static [&'static str],
    pub obligatoire: bool,
    /// Width in the template, in characters.
    pub largeur: f64,
    /// Help shown as the header's comment in the template.
    pub aide: &'static str,
}

impl Colonne {
    /// The header and its accepted variants, normalized ([`normaliser`]): a header cell is
    /// this column when its normalized text is one of them.
    pub fn noms(&self) -> Vec<String> {
        std::iter::once(self.entete)
            .chain(self.alias.iter().copied())
            .map(normaliser)
            .collect()
    }
}

/// Lines of `Paramètres`: (key, label written in column A, accepted variants).
pub const LIGNES_PARAMETRES: [(&str, &str, &[&str]); 6] = [
    (
        "session",
        "Session",
        &["Session d'examen", "Année de session", "Année"],
    ),
    (
        "centre",
        "Centre de formation",
        &["Centre", "Établissement", "Lycée"],
    ),
    ("academie", "Académie", &[]),
    (
        "classe",
        "Classe",
        &["Division", "Division de classe", "Groupe"],
    ),
    (
        "formateur",
        "Formateur ou formatrice",
        &[
            "Formateur",
            "Formatrice",
            "Formateur/formatrice",
            "Professeur",
            "Enseignant",
        ],
    ),
    ("date", "Date", &["Date du document", "Fait le"]),
];

/// A candidate-number column under another name, as teachers head it in every sheet.
const ALIAS_NUMERO: &[&str] = &[
    "Numéro candidat",
    "Numéro de candidat",
    "N° de candidat",
    "N° du candidat",
    "Numéro du candidat",
];

/// The N° candidat column of `Réalisations` and `Fiches`, which refers to `Candidats`.
const COLONNE_CANDIDAT: Colonne = Colonne {
    cle: "candidat",
    entete: "N° candidat",
    alias: &[
        ALIAS_NUMERO[0],
        ALIAS_NUMERO[1],
        ALIAS_NUMERO[2],
        ALIAS_NUMERO[3],
        ALIAS_NUMERO[4],
        "Candidat",
    ],
    obligatoire: true,
    largeur: 16.0,
    aide: "Le numéro du candidat tel qu'il figure dans la feuille Candidats.",
};

pub const COLONNES_CANDIDATS: &[Colonne] = &[
    Colonne {
        cle: "numero",
        entete: "N° candidat",
        alias: &[
            ALIAS_NUMERO[0],
            ALIAS_NUMERO[1],
            ALIAS_NUMERO[2],
            ALIAS_NUMERO[3],
            ALIAS_NUMERO[4],
            "N°",
        ],
        obligatoire: true,
        largeur: 16.0,
        aide: "Numéro de candidat (convocation) : texte, les zéros en tête sont gardés.",
    },
    Colonne {
        cle: "nom",
        entete: "NOM",
        alias: &["Nom de famille", "Nom d'usage"],
        obligatoire: true,
        largeur: 22.0,
        aide: "",
    },
    Colonne {
        cle: "prenom",
        entete: "Prénom",
        alias: &["Prénoms", "Prénom(s)"],
        obligatoire: true,
        largeur: 18.0,
        aide: "",
    },
    Colonne {
        cle: "option",
        entete: "Option",
        alias: &["Parcours", "Spécialité"],
        obligatoire: true,
        largeur: 10.0,
        aide: "SISR ou SLAM.",
    },
    Colonne {
        cle: "portfolio",
        entete: "Adresse URL du portfolio",
        alias: &[
            "Portfolio",
            "URL du portfolio",
            "Adresse du portfolio",
            "URL",
        ],
        obligatoire: false,
        largeur: 40.0,
        aide: "Adresse complète, commençant par https://",
    },
    Colonne {
        cle: "epreuve",
        entete: "Épreuve",
        alias: &[
            "Forme de l'épreuve",
            "Ponctuelle ou CCF",
            "Modalité d'évaluation",
        ],
        obligatoire: false,
        largeur: 14.0,
        aide: "Épreuve ponctuelle ou contrôle en cours de formation (CCF).",
    },
];

pub const COLONNES_REALISATIONS: &[Colonne] = &[
    COLONNE_CANDIDAT,
    Colonne {
        cle: "partie",
        entete: "Partie",
        alias: &["Section", "Cadre", "Lieu de réalisation"],
        obligatoire: true,
        largeur: 30.0,
        aide: "En formation, milieu professionnel 1re année ou 2de année : la partie du tableau de synthèse.",
    },
    Colonne {
        cle: "intitule",
        entete: "Intitulé",
        alias: &[
            "Intitulé de la réalisation",
            "Intitulé de la réalisation professionnelle",
            "Intitulé de la situation",
            "Réalisation",
            "Situation",
        ],
        obligatoire: true,
        largeur: 45.0,
        aide: "",
    },
    Colonne {
        cle: "documents",
        entete: "Documents et productions associés",
        alias: &[
            "Documents",
            "Productions",
            "Liste des documents et productions associés",
        ],
        obligatoire: false,
        largeur: 35.0,
        aide: "",
    },
    Colonne {
        cle: "debut",
        entete: "Début",
        alias: &["Date de début", "Du"],
        obligatoire: false,
        largeur: 12.0,
        aide: "Date de début (JJ/MM/AAAA).",
    },
    Colonne {
        cle: "fin",
        entete: "Fin",
        alias: &["Date de fin", "Au"],
        obligatoire: false,
        largeur: 12.0,
        aide: "Date de fin (JJ/MM/AAAA).",
    },
    Colonne {
        cle: "periode",
        entete: "Période",
        alias: &["Période de réalisation", "Dates"],
        obligatoire: false,
        largeur: 22.0,
        aide: "À la place de Début et Fin : « du 02/10/2025 au 15/12/2025 », « 10/25 », ou un texte libre.",
    },
    Colonne {
        cle: "lieu",
        entete: "Lieu",
        alias: &[],
        obligatoire: false,
        largeur: 18.0,
        aide: "",
    },
    Colonne {
        cle: "organisation",
        entete: "Organisation support",
        alias: &[
            "Organisation",
            "Organisation support de la réalisation professionnelle",
            "Contexte",
            "Entreprise",
        ],
        obligatoire: false,
        largeur: 24.0,
        aide: "",
    },
    Colonne {
        cle: "modalite",
        entete: "Modalité",
        alias: &["Seul ou en équipe", "Cadre de travail"],
        obligatoire: false,
        largeur: 12.0,
        aide: "Seul(e) ou En équipe.",
    },
    Colonne {
        cle: "fiche",
        entete: "Fiche n°",
        alias: &[
            "Fiche",
            "N° fiche",
            "Numéro de fiche",
            "Fiche descriptive",
            "N° de la situation",
            "N° réalisation",
        ],
        obligatoire: false,
        largeur: 9.0,
        aide: "1 ou 2 pour les deux réalisations décrites sur une fiche descriptive ; vide sinon.",
    },
];

pub const COLONNES_FICHES: &[Colonne] = &[
    COLONNE_CANDIDAT,
    Colonne {
        cle: "numero",
        entete: "Fiche n°",
        alias: &[
            "Fiche",
            "N° fiche",
            "Numéro de fiche",
            "N° réalisation",
            "N° de la situation",
        ],
        obligatoire: true,
        largeur: 9.0,
        aide: "1 ou 2 : le même numéro que dans la colonne Fiche n° de la feuille Réalisations.",
    },
    Colonne {
        cle: "conditions",
        entete: "Conditions de réalisation",
        alias: &["Conditions de réalisation (ressources fournies, résultats attendus)"],
        obligatoire: false,
        largeur: 40.0,
        aide: "Ressources fournies, résultats attendus.",
    },
    Colonne {
        cle: "ressources",
        entete: "Ressources documentaires, matérielles et logicielles",
        alias: &[
            "Description des ressources documentaires, matérielles et logicielles utilisées",
            "Ressources",
        ],
        obligatoire: false,
        largeur: 40.0,
        aide: "",
    },
    Colonne {
        cle: "acces",
        entete: "Modalités d'accès aux productions",
        alias: &[
            "Modalités d'accès aux productions et à leur documentation",
            "Accès aux productions",
        ],
        obligatoire: false,
        largeur: 40.0,
        aide: "",
    },
    Colonne {
        cle: "descriptif",
        entete: "Descriptif",
        alias: &[
            "Descriptif de la réalisation professionnelle",
            "Descriptif de la réalisation",
            "Description",
        ],
        obligatoire: false,
        largeur: 60.0,
        aide: "Descriptif de la réalisation, y compris les productions réalisées (verso de la fiche).",
    },
];

/// A tick column of `Réalisations`: one item of the session's tableau or fiche.
#[derive(Clone, Debug, PartialEq)]
pub struct ColonneCoche {
    pub code: String,
    /// Header written by the template.
    pub entete: String,
    /// Full official wording, for the header's comment.
    pub libelle: String,
}

/// The tick columns a session's workbook has, for the given options (both when empty), in
/// template order: 2011: SO1–SO4 then the activités of the options' grids; 2019: the 6 bloc-1
/// compétences then each option's 3 bloc-2 compétences.
pub fn colonnes_coches(referentiel: Referentiel, options: &[OptionSio]) -> Vec<ColonneCoche> {
    let options: Vec<OptionSio> = if options.is_empty() {
        OptionSio::TOUTES.to_vec()
    } else {
        options.to_vec()
    };
    match referentiel {
        Referentiel::Sio2011(r) => {
            let so = r.situations_obligatoires.iter().map(|s| ColonneCoche {
                code: s.code.clone(),
                entete: s.code.clone(),
                libelle: format!("Situation obligatoire : {}", s.libelle),
            });
            let activites = r
                .activites
                .iter()
                .filter(|a| options.iter().any(|o| a.tableau.contains(o)))
                .map(|a| ColonneCoche {
                    code: a.code.clone(),
                    entete: a.code.clone(),
                    libelle: format!("{} {}", a.code, a.intitule),
                });
            so.chain(activites).collect()
        }
        Referentiel::Sio2019(r) => {
            let bloc2 = options.iter().flat_map(|&o| r.bloc2(o));
            r.bloc1()
                .chain(bloc2)
                .map(|c| ColonneCoche {
                    code: c.code.clone(),
                    entete: format!("{} , {}", c.code, c.intitule),
                    libelle: format!(
                        "{} {}\n{}",
                        c.code,
                        c.intitule,
                        c.sous_items
                            .iter()
                            .map(|s| format!("▸ {s}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    ),
                })
                .collect()
        }
    }
}

/// The item code a tick-column header names: « B1.3 », « A1.2.2 , Rédaction des… », « SO2 »,
/// « A.1.1.1 », or a bloc-2019 compétence written out in full.
pub fn code_de_colonne(referentiel: Referentiel, entete: &str) -> Option<String> {
    let premier = entete
        .split([',', ' ', '\n', '\t', ':'])
        .find(|t| !t.is_empty())?
        .trim_end_matches('.');
    match referentiel {
        Referentiel::Sio2011(r) => {
            if let Some(so) = r.situation_obligatoire(premier) {
                return Some(so.code.clone());
            }
            let code = normaliser_code_activite(premier)?;
            r.activite(&code).map(|a| a.code.clone())
        }
        Referentiel::Sio2019(r) => {
            if let Some(c) = r.competence(premier) {
                return Some(c.code.clone());
            }
            let n = normaliser(entete);
            r.competences
                .iter()
                .filter(|c| c.bloc <= 2)
                .find(|c| normaliser(&c.intitule) == n)
                .map(|c| c.code.clone())
        }
    }
}
