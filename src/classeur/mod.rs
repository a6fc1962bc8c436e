//! The class workbook (« classeur de classe »): its model, its schema, reading it and writing
//! the template a teacher fills in.
//!
//! Reading turns any supported file into a [`Classeur`] whose fields keep both the value as
//! typed and the cell it came from, so that validation can say « Réalisations!H12 ». Reading
//! itself only reports what prevents reading (a missing sheet or header); every rule about the
//! content lives in [`crate::verification`].

pub mod apparence;
pub mod cyclades;
pub mod dates;
pub mod exemple;
pub mod feuille;
pub mod gabarit;
pub mod lecture;
pub mod schema;

use std::collections::HashMap;

use ecow::EcoString;
use serde::Serialize;

pub use dates::{DateLue, Periode};
pub use feuille::{Adresse, Cellule, Valeur};

use crate::referentiel::OptionSio;

/// A value read from one cell, with the place it came from.
///
/// Two fields are equal when they read the same text at the same place, whatever the file
/// stored (a date cell in XLSX, a text in CSV): that is what « the same model » means.
///
/// A class of 10 000 candidates holds over a million of them, so a field is 32 bytes: the text
/// is kept once, inline when short (the cell is rebuilt from it and the kind of value on
/// demand, by [`Champ::brut`]), and the place in 12 bytes.
#[derive(Clone, Debug, Serialize)]
pub struct Champ {
    /// The text of the cell, trimmed (numbers written without a trailing « .0 »).
    pub texte: EcoString,
    /// `Feuille!A1` reference, empty when the column is absent.
    pub cellule: Adresse,
    /// What the cell held, for dates, numbers and formula errors.
    #[serde(skip)]
    valeur: Valeur,
}

impl PartialEq for Champ {
    fn eq(&self, autre: &Champ) -> bool {
        self.texte == autre.texte && self.cellule == autre.cellule
    }
}

impl Champ {
    pub fn vide() -> Champ {
        Champ {
            texte: EcoString::new(),
            cellule: Adresse::default(),
            valeur: Valeur::Vide,
        }
    }

    /// The field read from `brut` at `cellule`.
    pub fn de(brut: &Cellule, cellule: Adresse) -> Champ {
        Champ {
            texte: brut.texte().into(),
            cellule,
            valeur: Valeur::de(brut),
        }
    }

    /// Like [`Champ::de`], the cell taken: its text is not trimmed again when it need not be.
    pub fn prendre(brut: Cellule, cellule: Adresse) -> Champ {
        let valeur = Valeur::de(&brut);
        let texte = match brut {
            Cellule::Texte(t) if t.trim().len() == t.len() => t.as_str().into(),
            Cellule::ErreurFormule(e) => e.as_str().into(),
            autre => autre.texte().into(),
        };
        Champ {
            texte,
            cellule,
            valeur,
        }
    }

    /// A field holding `texte` (trimmed) as text, or nothing when it is blank.
    pub fn texte(texte: &str, cellule: Adresse) -> Champ {
        let texte = texte.trim();
        Champ {
            texte: texte.into(),
            cellule,
            valeur: if texte.is_empty() {
                Valeur::Vide
            } else {
                Valeur::Texte
            },
        }
    }

    pub fn est_vide(&self) -> bool {
        self.texte.is_empty()
    }

    /// The cell as read (its text trimmed, which every reader of cells ignores anyway). A
    /// number, a date or a boolean is read again from the text it was written as, which gives
    /// it back exactly ([`Cellule::texte`]; only the sign of a zero is lost); a text changed
    /// since into something else comes back as text.
    pub fn brut(&self) -> Cellule {
        let texte = || Cellule::Texte(self.texte.to_string());
        match self.valeur {
            Valeur::Vide => Cellule::Vide,
            Valeur::Texte => texte(),
            Valeur::Nombre => self.nombre().map_or_else(texte, Cellule::Nombre),
            Valeur::Booleen => match self.texte.as_str() {
                "VRAI" => Cellule::Booleen(true),
                "FAUX" => Cellule::Booleen(false),
                _ => texte(),
            },
            Valeur::Date => chrono::NaiveDate::parse_from_str(&self.texte, feuille::FORMAT_DATE)
                .map_or_else(|_| texte(), Cellule::Date),
            Valeur::ErreurFormule => Cellule::ErreurFormule(self.texte.to_string()),
        }
    }

    /// The number the cell held, when it held one.
    pub fn nombre(&self) -> Option<f64> {
        match self.valeur {
            Valeur::Nombre => self.texte.parse().ok(),
            _ => None,
        }
    }

    /// Whether the cell held a formula error (#REF!, #N/A…).
    pub fn est_erreur_formule(&self) -> bool {
        self.valeur == Valeur::ErreurFormule
    }
}

/// `Paramètres`: one value per line, label in column A, value in column B.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Parametres {
    pub session: Champ,
    pub centre: Champ,
    pub academie: Champ,
    pub classe: Champ,
    pub formateur: Champ,
    pub date: Champ,
}

/// One line of `Candidats`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidat {
    pub ligne: u32,
    pub numero: Champ,
    pub nom: Champ,
    pub prenom: Champ,
    pub option: Champ,
    pub portfolio: Champ,
    pub epreuve: Champ,
}

impl Candidat {
    pub fn option(&self) -> Option<OptionSio> {
        OptionSio::lire(&self.option.texte)
    }
}

/// The options of a class, each once, in order: they decide which tick columns it has.
pub fn options_presentes(candidats: &[Candidat]) -> Vec<OptionSio> {
    let mut options: Vec<OptionSio> = candidats.iter().filter_map(Candidat::option).collect();
    options.sort();
    options.dedup();
    options
}

/// The three parts of a tableau de synthèse, in print order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Partie {
    Formation,
    Professionnel1,
    Professionnel2,
}

impl Partie {
    pub const TOUTES: [Partie; 3] = [
        Partie::Formation,
        Partie::Professionnel1,
        Partie::Professionnel2,
    ];

    /// The label offered in the template's drop-down.
    pub fn libelle(self) -> &'static str {
        match self {
            Partie::Formation => "En formation",
            Partie::Professionnel1 => "Milieu professionnel 1re année",
            Partie::Professionnel2 => "Milieu professionnel 2de année",
        }
    }

    /// Reads the labels teachers use, word by word: the drop-down's, « stage 1 », « 2e année »,
    /// « TP », the official part titles. Every word must belong to [`Partie::VOCABULAIRE`] and
    /// point to one part only: « Projet PPE 1 » or « Promo 2024 » are not guessed.
    pub fn lire(texte: &str) -> Option<Partie> {
        let mut formation = false;
        let mut annee = None;
        let mut pro = false;
        let mut mots = 0;
        for mot in deunicode::deunicode(texte)
            .to_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|m| !m.is_empty())
        {
            mots += 1;
            let marque = match mot {
                "1" | "1re" | "1ere" | "1er" | "premiere" | "un" => Some(1),
                "2" | "2de" | "2nde" | "2e" | "2eme" | "seconde" | "deuxieme" | "deux" => Some(2),
                _ => None,
            };
            match marque {
                Some(n) if annee.is_some_and(|a| a != n) => return None,
                Some(n) => annee = Some(n),
                None if Self::MOTS_FORMATION.contains(&mot) => formation = true,
                None if Self::MOTS_PRO.contains(&mot) => pro = true,
                None if Self::MOTS_NEUTRES.contains(&mot) => {}
                None => return None,
            }
        }
        match (formation, annee) {
            _ if mots == 0 => None,
            (true, None) if !pro => Some(Partie::Formation),
            (false, Some(1)) => Some(Partie::Professionnel1),
            (false, Some(2)) => Some(Partie::Professionnel2),
            _ => None,
        }
    }

    const MOTS_FORMATION: [&'static str; 6] = ["formation", "centre", "tp", "td", "ppe", "ap"];
    const MOTS_PRO: [&'static str; 9] = [
        "milieu",
        "professionnel",
        "professionnelle",
        "stage",
        "entreprise",
        "organisation",
        "pro",
        "alternance",
        "apprentissage",
    ];
    const MOTS_NEUTRES: [&'static str; 21] = [
        "en",
        "de",
        "du",
        "d",
        "l",
        "la",
        "le",
        "dans",
        "au",
        "a",
        "cours",
        "annee",
        "realisation",
        "realisations",
        "situation",
        "situations",
        "vecues",
        "ou",
        "observees",
        "partie",
        "periode",
    ];

    /// The words [`Partie::lire`] accepts, for messages.
    pub const VOCABULAIRE: &'static str = "« En formation » (ou formation, centre, TP, TD, AP, PPE, cours), \
        « Milieu professionnel 1re année » (ou stage 1, 1re année, première année), \
        « Milieu professionnel 2de année » (ou stage 2, 2e année, seconde ou deuxième année) ; \
        les mots sont lus entiers et un seul sens est accepté";
}

/// Modalité of a réalisation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Modalite {
    Seul,
    EnEquipe,
}

impl Modalite {
    pub fn libelle(self) -> &'static str {
        match self {
            Modalite::Seul => "Seul(e)",
            Modalite::EnEquipe => "En équipe",
        }
    }

    pub fn lire(texte: &str) -> Option<Modalite> {
        match schema::normaliser(texte).as_str() {
            "seul" | "seule" | "seuls" | "individuel" | "individuelle" => Some(Modalite::Seul),
            "enequipe" | "equipe" | "groupe" | "engroupe" | "collectif" => Some(Modalite::EnEquipe),
            _ => None,
        }
    }
}

/// One line of `Réalisations` (a « situation » in the 2011 référentiel).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Realisation {
    pub ligne: u32,
    pub candidat: Champ,
    pub partie: Champ,
    pub intitule: Champ,
    pub documents: Champ,
    pub debut: Champ,
    pub fin: Champ,
    pub periode: Champ,
    pub lieu: Champ,
    pub organisation: Champ,
    pub modalite: Champ,
    /// One entry per tick cell that holds something, in schema order: (item code, cell). The
    /// empty ones, most of them, are not kept (the columns are [`Classeur::colonnes_coches`]).
    pub coches: Vec<(EcoString, Champ)>,
    pub fiche: Champ,
}

impl Realisation {
    /// Whether the row holds anything at all (blank rows inside a sheet are skipped).
    pub fn est_vide(&self) -> bool {
        [
            &self.candidat,
            &self.partie,
            &self.intitule,
            &self.documents,
            &self.debut,
            &self.fin,
            &self.periode,
            &self.lieu,
            &self.organisation,
            &self.modalite,
            &self.fiche,
        ]
        .iter()
        .all(|c| c.est_vide())
            && self.coches.iter().all(|(_, c)| c.est_vide())
    }

    /// Codes of the items ticked on this row (unknown marks count as not ticked).
    pub fn codes_coches(&self) -> impl Iterator<Item = &str> {
        self.coches
            .iter()
            .filter(|(_, c)| lire_coche(&c.brut()) == Some(true))
            .map(|(code, _)| code.as_str())
    }

    pub fn partie(&self) -> Option<Partie> {
        Partie::lire(&self.partie.texte)
    }

    /// The fiche number (1 or 2) when the cell holds one.
    pub fn numero_fiche(&self) -> Option<u8> {
        lire_numero_fiche(&self.fiche.texte)
    }

    /// The période for printing: Début and Fin, else the Période cell. Lenient: what cannot be
    /// read as dates is printed as written (validation reports it).
    pub fn periode_lue(&self) -> Periode {
        let debut = dates::lire_date(&self.debut.brut());
        let fin = dates::lire_date(&self.fin.brut());
        match (debut, fin) {
            (Ok(None), Ok(None)) => dates::lire_periode(&self.periode.brut())
                .unwrap_or_else(|_| Periode::Libre(self.periode.texte.to_string())),
            (Ok(a), Ok(b)) => Periode::Dates { debut: a, fin: b },
            _ => Periode::Libre(format!("{} – {}", self.debut.texte, self.fin.texte)),
        }
    }
}

/// One line of `Fiches`: the free texts of a fiche descriptive.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fiche {
    pub ligne: u32,
    pub candidat: Champ,
    pub numero: Champ,
    pub conditions: Champ,
    pub ressources: Champ,
    pub acces: Champ,
    pub descriptif: Champ,
}

impl Fiche {
    pub fn numero_fiche(&self) -> Option<u8> {
        lire_numero_fiche(&self.numero.texte)
    }
}

/// The whole workbook as read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Classeur {
    pub parametres: Parametres,
    pub candidats: Vec<Candidat>,
    pub realisations: Vec<Realisation>,
    pub fiches: Vec<Fiche>,
    /// Codes of the tick columns found in `Réalisations`, in sheet order.
    pub colonnes_coches: Vec<String>,
    /// Rows of each candidate, built on the first lookup: a class of 10 000 candidates is then
    /// looked up in linear time, not quadratic.
    #[serde(skip)]
    pub(crate) index: Index,
}

/// Where each candidate's rows are, by N° candidat (in sheet order). The rows of a workbook are
/// not changed once it is read; a copy builds its own index.
#[derive(Debug, Default)]
pub(crate) struct Index(std::sync::OnceLock<Lignes>);

impl Clone for Index {
    fn clone(&self) -> Index {
        Index::default()
    }
}

#[derive(Debug, Default)]
struct Lignes {
    candidats: HashMap<String, usize>,
    realisations: HashMap<String, Vec<usize>>,
    fiches: HashMap<String, Vec<usize>>,
}

/// The index is derived from the rows: two workbooks are equal when their rows are.
impl PartialEq for Index {
    fn eq(&self, _: &Index) -> bool {
        true
    }
}

impl Classeur {
    pub fn new(
        parametres: Parametres,
        candidats: Vec<Candidat>,
        realisations: Vec<Realisation>,
        fiches: Vec<Fiche>,
        colonnes_coches: Vec<String>,
    ) -> Classeur {
        Classeur {
            parametres,
            candidats,
            realisations,
            fiches,
            colonnes_coches,
            index: Index::default(),
        }
    }

    fn lignes(&self) -> &Lignes {
        self.index.0.get_or_init(|| {
            let mut l = Lignes::default();
            for (i, c) in self.candidats.iter().enumerate() {
                // The first candidate of a N° is the one found, as a search in order would.
                l.candidats.entry(c.numero.texte.to_string()).or_insert(i);
            }
            for (i, r) in self.realisations.iter().enumerate() {
                l.realisations
                    .entry(r.candidat.texte.to_string())
                    .or_default()
                    .push(i);
            }
            for (i, f) in self.fiches.iter().enumerate() {
                l.fiches
                    .entry(f.candidat.texte.to_string())
                    .or_default()
                    .push(i);
            }
            l
        })
    }

    pub fn candidat(&self, numero: &str) -> Option<&Candidat> {
        self.lignes()
            .candidats
            .get(numero)
            .and_then(|&i| self.candidats.get(i))
    }

    pub fn realisations_de<'a>(&'a self, numero: &'a str) -> impl Iterator<Item = &'a Realisation> {
        self.lignes()
            .realisations
            .get(numero)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.realisations.get(i))
    }

    /// A candidate's réalisations that have a title: the ones printed and counted.
    pub fn realisations_titrees<'a>(&'a self, numero: &'a str) -> Vec<&'a Realisation> {
        self.realisations_de(numero)
            .filter(|r| !r.intitule.est_vide())
            .collect()
    }

    pub fn fiches_de<'a>(&'a self, numero: &'a str) -> impl Iterator<Item = &'a Fiche> {
        self.lignes()
            .fiches
            .get(numero)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.fiches.get(i))
    }
}

/// How many of the fiche numbers 1 and 2 are carried by exactly one réalisation (2 when the
/// candidate's two fiches are in order).
pub fn fiches_en_ordre(realisations: &[&Realisation]) -> usize {
    [1u8, 2]
        .iter()
        .filter(|k| {
            realisations
                .iter()
                .filter(|r| r.numero_fiche() == Some(**k))
                .count()
                == 1
        })
        .count()
}

/// Reads a tick mark: `Some(true)` ticked, `Some(false)` not ticked, `None` not a mark.
///
/// Ticked: X, x, ✓, ✔, ☑, ☒, ▣, 1, oui, vrai, TRUE (spaces around ignored). Not ticked: empty,
/// blank, 0, non, faux, FALSE, ☐, ▢.
pub fn lire_coche(cellule: &Cellule) -> Option<bool> {
    match cellule {
        Cellule::Vide => Some(false),
        Cellule::Booleen(b) => Some(*b),
        Cellule::Nombre(n) if *n == 1.0 => Some(true),
        Cellule::Nombre(n) if *n == 0.0 => Some(false),
        Cellule::Texte(t) => {
            let t = t.trim();
            match t.to_lowercase().as_str() {
                "" | "0" | "non" | "faux" | "false" | "☐" | "▢" => Some(false),
                "x" | "✓" | "✔" | "☑" | "☒" | "▣" | "1" | "oui" | "vrai" | "true" => {
                    Some(true)
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn lire_numero_fiche(texte: &str) -> Option<u8> {
    let t = schema::normaliser(texte);
    let t = t.trim_start_matches("fiche").trim_start_matches('n');
    match t {
        "1" => Some(1),
        "2" => Some(2),
        _ => None,
    }
}
