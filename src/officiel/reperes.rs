//! The landmarks of the official tableaux de synthèse: the labels a reader looks for, in one
//! table per form. A landmark is a cell whose normalised text (case, accents, spaces,
//! punctuation, zero-width and no-break spaces ignored) starts with one of its labels. The next
//! circulaire's file is one more label here; `importer` reads with this table, and filling the
//! official file (`generer --modele-officiel`) will write with it.

use crate::classeur::Partie;
use crate::classeur::schema::normaliser;

/// What a landmark designates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Repere {
    NomPrenom,
    NumeroCandidat,
    CentreFormation,
    Option,
    AdressePortfolio,
    Session,
    Periode,
    /// The diagonal cell over the réalisations' titles (2019), or « Situation
    /// professionnelle » (2011).
    Intitules,
}

impl Repere {
    /// The label as the official form prints it, for messages.
    pub fn libelle(self) -> &'static str {
        match self {
            Repere::NomPrenom => "NOM et prénom",
            Repere::NumeroCandidat => "N° candidat",
            Repere::CentreFormation => "Centre de formation",
            Repere::Option => "Option",
            Repere::AdressePortfolio => "Adresse URL du portfolio",
            Repere::Session => "SESSION",
            Repere::Periode => "Période",
            Repere::Intitules => {
                "Réalisations professionnelles (intitulé et liste des documents et productions associés)"
            }
        }
    }
}

/// Labels of each landmark, normalised by [`normaliser`], most specific first. The 2011 grid's
/// « NOM et Prénom du candidat » and « N° du candidat » are variants of the same landmarks.
pub const REPERES: [(Repere, &[&str]); 8] = [
    (
        Repere::NomPrenom,
        &["nometprenomducandidat", "nometprenom", "nomprenom"],
    ),
    (
        Repere::NumeroCandidat,
        &[
            "nducandidat",
            "ncandidat",
            "numeroducandidat",
            "numerodecandidat",
            "numerocandidat",
        ],
    ),
    (Repere::CentreFormation, &["centredeformation"]),
    (
        Repere::AdressePortfolio,
        &[
            "adresseurlduportfolio",
            "adresseurldeportfolio",
            "urlduportfolio",
            "adresseduportfolio",
        ],
    ),
    (Repere::Session, &["session"]),
    (Repere::Periode, &["periode"]),
    (
        Repere::Intitules,
        &[
            "competencesmisesenoeuvrerealisationsprofessionnelles",
            "realisationsprofessionnellesintitule",
            "situationprofessionnelleintitule",
        ],
    ),
    // Last: « Option » is a prefix of nothing else, but must not catch « Option SISR » cells
    // of the 2011 grid before their own reading.
    (Repere::Option, &["option"]),
];

/// The landmark a cell's text is, with the text that follows its label in the cell (the value
/// typed after « NOM et prénom : »), trimmed of separators.
pub fn repere(texte: &str) -> Option<(Repere, String)> {
    let n = normaliser(texte);
    if n.is_empty() {
        return None;
    }
    for (r, libelles) in REPERES {
        for l in libelles {
            if n.starts_with(l) {
                return Some((r, apres_libelle(texte, l.len())));
            }
        }
    }
    None
}

/// The part of `texte` after its first `longueur` normalised characters: the value typed in the
/// label's own cell. Separators (« : », spaces) are trimmed.
pub fn apres_libelle(texte: &str, longueur: usize) -> String {
    let mut vus = 0;
    for (i, c) in texte.char_indices() {
        if vus >= longueur {
            return nettoyer_valeur(&texte[i..]);
        }
        vus += normaliser(&c.to_string()).len();
    }
    String::new()
}

/// A landmark cell's text with `valeur` typed after its label, as the circulaire asks
/// (« NOM et prénom : MARTIN Léa »): whatever followed the label is replaced.
pub fn avec_valeur(texte: &str, valeur: &str) -> String {
    let libelle = match repere(texte) {
        Some((_, ancienne)) if !ancienne.is_empty() => texte
            .trim_end()
            .strip_suffix(ancienne.as_str())
            .unwrap_or(texte)
            .trim_end()
            .to_string(),
        _ => texte.trim_end().to_string(),
    };
    if valeur.is_empty() {
        libelle
    } else {
        format!("{libelle} {valeur}")
    }
}

/// Trims what separates a label from its value: spaces, colons, dashes, zero-width and no-break
/// spaces.
pub fn nettoyer_valeur(texte: &str) -> String {
    texte
        .trim_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ':' | '：'
                        | '-'
                        | '–'
                        | '_'
                        | '.'
                        | '\u{200B}'
                        | '\u{200C}'
                        | '\u{200D}'
                        | '\u{FEFF}'
                        | '\u{00A0}'
                )
        })
        .to_string()
}

/// The part a part-title row announces, from its text: the official titles and the variants
/// filled copies use (« … en cours de stage de première année », « Réalisations en entreprise »
/// is a part title whose year comes from its order). `Some(None)`: a part title whose part is
/// not said.
pub fn titre_de_partie(texte: &str) -> Option<Option<Partie>> {
    let n = normaliser(texte);
    if n.is_empty() {
        return None;
    }
    let premiere = [
        "premiereannee",
        "1ereannee",
        "1reannee",
        "1erannee",
        "annee1",
    ]
    .iter()
    .any(|m| n.contains(m));
    let seconde = [
        "secondeannee",
        "deuxiemeannee",
        "2emeannee",
        "2eannee",
        "2ndeannee",
        "2deannee",
        "annee2",
    ]
    .iter()
    .any(|m| n.contains(m));
    let debut_de_titre = ["realisation", "situation"]
        .iter()
        .any(|m| n.starts_with(m));
    // A renamed part: « Réalisations en entreprise », « Réalisations personnelles ».
    let titre_renomme = ["realisations", "situations"]
        .iter()
        .any(|m| n.starts_with(m))
        && n.len() <= 60
        && [
            "entreprise",
            "personnel",
            "milieu",
            "stage",
            "organisation",
            "vecues",
            "codecouleur",
        ]
        .iter()
        .any(|m| n.contains(m));
    match (premiere, seconde) {
        (true, false) => Some(Some(Partie::Professionnel1)),
        (false, true) => Some(Some(Partie::Professionnel2)),
        (true, true) => None,
        (false, false) if debut_de_titre && n.contains("formation") => {
            Some(Some(Partie::Formation))
        }
        // « Réalisations en entreprise », « Réalisations personnelles », « Situations vécues… »:
        // a part title, its part from the order of the parts.
        (false, false) if titre_renomme => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_the_values_after_them() {
        assert_eq!(
            repere("NOM et prénom : MARTIN Léa"),
            Some((Repere::NomPrenom, "MARTIN Léa".into()))
        );
        assert_eq!(
            repere("N° candidat :"),
            Some((Repere::NumeroCandidat, String::new()))
        );
        assert_eq!(
            repere("N°\u{00A0}candidat\u{200B}: 02600010123"),
            Some((Repere::NumeroCandidat, "02600010123".into()))
        );
        assert_eq!(
            repere("SESSION 2026"),
            Some((Repere::Session, "2026".into()))
        );
        assert_eq!(
            repere("Adresse URL du portfolio : https://exemple.fr"),
            Some((Repere::AdressePortfolio, "https://exemple.fr".into()))
        );
        assert_eq!(
            repere("NOM et Prénom du candidat : DUPONT Jean"),
            Some((Repere::NomPrenom, "DUPONT Jean".into()))
        );
        assert_eq!(repere("Mise en place d'un serveur"), None);
    }

    #[test]
    fn values_go_after_their_labels() {
        assert_eq!(
            avec_valeur("NOM et prénom : ", "MARTIN Léa"),
            "NOM et prénom : MARTIN Léa"
        );
        assert_eq!(avec_valeur("SESSION 20xx", "2026"), "SESSION 2026");
        assert_eq!(
            avec_valeur("N° candidat : 0123", "0456"),
            "N° candidat : 0456"
        );
        assert_eq!(
            avec_valeur("Adresse URL du portfolio :", ""),
            "Adresse URL du portfolio :"
        );
    }

    #[test]
    fn part_titles_and_their_variants() {
        assert_eq!(
            titre_de_partie("Réalisation en cours de formation"),
            Some(Some(Partie::Formation))
        );
        assert_eq!(
            titre_de_partie("Réalisations en milieu professionnel en cours de première année"),
            Some(Some(Partie::Professionnel1))
        );
        assert_eq!(
            titre_de_partie("Réalisations en milieu professionnel en cours de seconde année"),
            Some(Some(Partie::Professionnel2))
        );
        assert_eq!(
            titre_de_partie(
                "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …"
            ),
            Some(Some(Partie::Professionnel2))
        );
        assert_eq!(titre_de_partie("Réalisations en entreprise"), Some(None));
        assert_eq!(titre_de_partie("Installation d'un serveur"), None);
    }
}
