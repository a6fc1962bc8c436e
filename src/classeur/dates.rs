//! Dates and periods as teachers type them (domain.md §4.3): Excel serials, JJ/MM/AA,
//! JJ/MM/AAAA, ISO, MM/AA, « du … au … », « … - … ». Oddities are reported, never guessed.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::Cellule;

/// A date as precise as it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DateLue {
    Jour(NaiveDate),
    /// « MM/AA »: the 2011 tableau asks for months only.
    Mois {
        annee: i32,
        mois: u32,
    },
}

impl DateLue {
    pub fn premier_jour(self) -> NaiveDate {
        match self {
            DateLue::Jour(d) => d,
            DateLue::Mois { annee, mois } => {
                NaiveDate::from_ymd_opt(annee, mois, 1).unwrap_or_default()
            }
        }
    }

    pub fn dernier_jour(self) -> NaiveDate {
        match self {
            DateLue::Jour(d) => d,
            DateLue::Mois { annee, mois } => {
                let (a, m) = if mois == 12 {
                    (annee + 1, 1)
                } else {
                    (annee, mois + 1)
                };
                NaiveDate::from_ymd_opt(a, m, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or_default()
            }
        }
    }

    /// JJ/MM/AA, as the 2019 tableau prints it.
    pub fn jj_mm_aa(self) -> String {
        match self {
            DateLue::Jour(d) => d.format("%d/%m/%y").to_string(),
            DateLue::Mois { .. } => self.mm_aa(),
        }
    }

    /// MM/AA, as the 2011 tableau prints it.
    pub fn mm_aa(self) -> String {
        let d = self.premier_jour();
        format!("{:02}/{:02}", d.month(), d.year() % 100)
    }
}

/// What a période cell or pair of cells says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum Periode {
    Vide,
    Dates {
        debut: Option<DateLue>,
        fin: Option<DateLue>,
    },
    /// Free text (« En cours », « 2024-2025 »…), printed as written.
    Libre(String),
}

/// Why a date cannot be read.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemeDate {
    /// The date does not exist (31/02/2025, month 13).
    Impossible(String),
    /// A letter O where a zero is meant: (as written, as it would read with zeros).
    LettreO(String, String),
    /// Not a date at all, in a date-only column.
    Illisible(String),
    /// Two numbers that read as a day and a month without a year (« 2/10 ») as well as a
    /// month and a year: refused rather than guessed.
    Ambigue(String),
}

/// Reads a Début / Fin cell. `Ok(None)` when empty.
pub fn lire_date(cellule: &Cellule) -> Result<Option<DateLue>, ProblemeDate> {
    match cellule {
        Cellule::Vide => Ok(None),
        Cellule::Date(d) => Ok(Some(DateLue::Jour(*d))),
        Cellule::Nombre(n) => serie_excel(*n)
            .map(|d| Some(DateLue::Jour(d)))
            .ok_or_else(|| ProblemeDate::Illisible(cellule.texte())),
        Cellule::Texte(t) if t.trim().is_empty() => Ok(None),
        Cellule::Texte(t) => {
            let t = t.trim();
            if let Some(n) = t.parse::<f64>().ok().filter(|n| n.fract() == 0.0) {
                return serie_excel(n)
                    .map(|d| Some(DateLue::Jour(d)))
                    .ok_or_else(|| ProblemeDate::Illisible(t.to_string()));
            }
            jeton(t)
                .unwrap_or_else(|| Err(ProblemeDate::Illisible(t.to_string())))
                .map(Some)
        }
        autre => Err(ProblemeDate::Illisible(autre.texte())),
    }
}

/// Reads a free Période cell: a range, a single date or month, or free text.
pub fn lire_periode(cellule: &Cellule) -> Result<Periode, ProblemeDate> {
    let texte = match cellule {
        Cellule::Vide => return Ok(Periode::Vide),
        Cellule::Texte(t) => t.trim().to_string(),
        autre => {
            let d = lire_date(autre)?;
            return Ok(Periode::Dates { debut: d, fin: d });
        }
    };
    if texte.is_empty() {
        return Ok(Periode::Vide);
    }
    // Keywords are found case-insensitively, dates are cut from the original text so that a
    // message quotes what the teacher typed (lowercasing keeps byte offsets for French text).
    let bas = texte.to_lowercase();
    let source = if bas.len() == texte.len() {
        texte.as_str()
    } else {
        bas.as_str()
    };
    let mut debut_reste = 0;
    loop {
        let avant = debut_reste;
        let courant = &bas[debut_reste..];
        let espaces = courant.len() - courant.trim_start().len();
        for prefixe in ["période", "periode", ":", "du", "de"] {
            if courant.trim_start().starts_with(prefixe) {
                debut_reste += espaces + prefixe.len();
                break;
            }
        }
        if debut_reste == avant {
            break;
        }
    }
    // `get`: never slice through a character, whatever the teacher typed.
    let reste = source.get(debut_reste..).unwrap_or(source).trim();
    let reste_bas = bas.get(debut_reste..).unwrap_or(&bas).trim();
    for separateur in [" au ", " à ", " jusqu'au ", " - ", " – ", "–", " — "] {
        if let Some(i) = reste_bas.find(separateur)
            && let (Some(a), Some(b)) = (reste.get(..i), reste.get(i + separateur.len()..))
            && let (Some(debut), Some(fin)) = (jeton(a.trim()), jeton(b.trim()))
        {
            return Ok(Periode::Dates {
                debut: Some(debut?),
                fin: Some(fin?),
            });
        }
    }
    // « 09/24 10/24 »: two months separated by spaces.
    let mots: Vec<&str> = reste.split_whitespace().collect();
    if mots.len() == 2
        && let (Some(debut), Some(fin)) = (jeton(mots[0]), jeton(mots[1]))
    {
        return Ok(Periode::Dates {
            debut: Some(debut?),
            fin: Some(fin?),
        });
    }
    if let Some(d) = jeton(reste) {
        let d = d?;
        return Ok(Periode::Dates {
            debut: Some(d),
            fin: Some(d),
        });
    }
    Ok(Periode::Libre(texte))
}

/// Excel's 1900 date system; only plausible years (1960–2100) count as dates.
fn serie_excel(n: f64) -> Option<NaiveDate> {
    if !(21916.0..=73415.0).contains(&n) || n.fract() != 0.0 {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(chrono::Days::new(n as u64))
}

/// One date token. `None` when the text is not shaped like a date at all; `Some(Err)` when it
/// is but cannot be one.
fn jeton(texte: &str) -> Option<Result<DateLue, ProblemeDate>> {
    let t = texte.trim().trim_end_matches(['.', ',', ';']);
    if t.is_empty() {
        return None;
    }
    if t.contains(['O', 'o']) {
        let corrige = t.replace(['O', 'o'], "0");
        let a_des_chiffres = t.chars().any(|c| c.is_ascii_digit());
        return match (a_des_chiffres, jeton(&corrige)) {
            (true, Some(_)) => Some(Err(ProblemeDate::LettreO(t.to_string(), corrige))),
            _ => None,
        };
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
    {
        return None;
    }
    let groupes: Vec<&str> = t.split(['/', '.', '-']).collect();
    if groupes.iter().any(|g| g.is_empty() || g.len() > 4) {
        return None;
    }
    let nombre = |g: &str| g.parse::<u32>().ok();
    let annee = |g: &str| -> Option<i32> {
        match g.len() {
            2 => Some(2000 + g.parse::<i32>().ok()?),
            4 => g.parse().ok(),
            _ => None,
        }
    };
    let impossible = || Some(Err(ProblemeDate::Impossible(t.to_string())));
    match groupes.as_slice() {
        [a, m, j] if a.len() == 4 && m.len() <= 2 && j.len() <= 2 => {
            match NaiveDate::from_ymd_opt(annee(a)?, nombre(m)?, nombre(j)?) {
                Some(d) => Some(Ok(DateLue::Jour(d))),
                None => impossible(),
            }
        }
        [j, m, a] if j.len() <= 2 && m.len() <= 2 && matches!(a.len(), 2 | 4) => {
            match NaiveDate::from_ymd_opt(annee(a)?, nombre(m)?, nombre(j)?) {
                Some(d) => Some(Ok(DateLue::Jour(d))),
                None => impossible(),
            }
        }
        // « 2/10 » is 2 October to a French reader, not February 2010: two short numbers
        // that can be a day and a month are refused. MM/AA needs a year that is no month.
        [j, m]
            if m.len() <= 2
                && j.len() <= 2
                && nombre(j).is_some_and(|j| (1..=31).contains(&j))
                && nombre(m).is_some_and(|m| (1..=12).contains(&m)) =>
        {
            Some(Err(ProblemeDate::Ambigue(t.to_string())))
        }
        [m, a] if m.len() <= 2 && matches!(a.len(), 2 | 4) => {
            let mois = nombre(m)?;
            if (1..=12).contains(&mois) {
                Some(Ok(DateLue::Mois {
                    annee: annee(a)?,
                    mois,
                }))
            } else {
                impossible()
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour(a: i32, m: u32, j: u32) -> DateLue {
        DateLue::Jour(NaiveDate::from_ymd_opt(a, m, j).unwrap())
    }

    fn texte(t: &str) -> Cellule {
        Cellule::Texte(t.into())
    }

    #[test]
    fn single_dates() {
        assert_eq!(lire_date(&texte("02/10/25")), Ok(Some(jour(2025, 10, 2))));
        assert_eq!(lire_date(&texte("2/10/2025")), Ok(Some(jour(2025, 10, 2))));
        assert_eq!(lire_date(&texte("2025-10-02")), Ok(Some(jour(2025, 10, 2))));
        assert_eq!(
            lire_date(&texte("10/25")),
            Ok(Some(DateLue::Mois {
                annee: 2025,
                mois: 10
            }))
        );
        assert_eq!(
            lire_date(&Cellule::Nombre(45240.0)),
            Ok(Some(jour(2023, 11, 10)))
        );
        assert_eq!(lire_date(&texte("45240")), Ok(Some(jour(2023, 11, 10))));
        assert_eq!(lire_date(&texte(" ")), Ok(None));
    }

    #[test]
    fn quirks_are_reported() {
        assert_eq!(
            lire_date(&texte("31/02/2025")),
            Err(ProblemeDate::Impossible("31/02/2025".into()))
        );
        assert_eq!(
            lire_date(&texte("O1/1O/2025")),
            Err(ProblemeDate::LettreO(
                "O1/1O/2025".into(),
                "01/10/2025".into()
            ))
        );
        assert_eq!(
            lire_date(&texte("13/25")),
            Err(ProblemeDate::Impossible("13/25".into()))
        );
        assert_eq!(
            lire_date(&texte("bientôt")),
            Err(ProblemeDate::Illisible("bientôt".into()))
        );
        // A day and a month without a year is not February 2010.
        for t in ["2/10", "09/10", "12/12"] {
            assert_eq!(
                lire_date(&texte(t)),
                Err(ProblemeDate::Ambigue(t.into())),
                "{t}"
            );
        }
        assert_eq!(
            lire_date(&texte("02/24")),
            Ok(Some(DateLue::Mois {
                annee: 2024,
                mois: 2
            }))
        );
        assert_eq!(
            lire_date(&texte("2/2010")),
            Ok(Some(DateLue::Mois {
                annee: 2010,
                mois: 2
            }))
        );
    }

    #[test]
    fn periods() {
        let attendu = Periode::Dates {
            debut: Some(jour(2025, 10, 2)),
            fin: Some(jour(2025, 12, 15)),
        };
        for t in [
            "du 02/10/25 au 15/12/25",
            "Période du 02/10/2025 au 15/12/2025",
            "02/10/2025 - 15/12/2025",
            "2025-10-02 – 2025-12-15",
            "02/10/25 au 15/12/25",
        ] {
            assert_eq!(lire_periode(&texte(t)), Ok(attendu.clone()), "{t}");
        }
        assert_eq!(
            lire_periode(&texte("09/24 10/24")),
            Ok(Periode::Dates {
                debut: Some(DateLue::Mois {
                    annee: 2024,
                    mois: 9
                }),
                fin: Some(DateLue::Mois {
                    annee: 2024,
                    mois: 10
                })
            })
        );
        for libre in ["En cours", "2022-2023", "depuis le début de l'année"] {
            assert_eq!(
                lire_periode(&texte(libre)),
                Ok(Periode::Libre(libre.into())),
                "{libre}"
            );
        }
        assert_eq!(
            lire_periode(&texte("du 3O/09/2025 au 10/10/2025")),
            Err(ProblemeDate::LettreO(
                "3O/09/2025".into(),
                "30/09/2025".into()
            ))
        );
    }

    #[test]
    fn month_bounds() {
        let m = DateLue::Mois {
            annee: 2024,
            mois: 2,
        };
        assert_eq!(
            m.premier_jour(),
            NaiveDate::from_ymd_opt(2024, 2, 1).unwrap()
        );
        assert_eq!(
            m.dernier_jour(),
            NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()
        );
        assert_eq!(jour(2025, 10, 2).jj_mm_aa(), "02/10/25");
        assert_eq!(jour(2025, 10, 2).mm_aa(), "10/25");
    }
}
