//! Periods as candidates type them in the official tableau's Période column (official-layouts.md
//! §5): every form a person reads as two dates becomes a début and a fin; an open range gives a
//! début only; anything else is kept word for word. Each reading that is not plain is noted.

use chrono::{Datelike, NaiveDate};

use crate::classeur::dates::{self, DateLue};
use crate::classeur::feuille::Cellule;

/// What a Période cell says.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodeLue {
    pub debut: Option<DateLue>,
    pub fin: Option<DateLue>,
    /// Kept word for word: free text, or a date that cannot be (so that `verifier` reports it).
    pub libre: Option<String>,
    /// How an unusual form was read, for the import report.
    pub note: Option<String>,
}

impl PeriodeLue {
    fn libre(texte: &str) -> PeriodeLue {
        PeriodeLue {
            debut: None,
            fin: None,
            libre: Some(texte.to_string()),
            note: None,
        }
    }
}

const MOIS: [(&str, u32); 24] = [
    ("janvier", 1),
    ("janv", 1),
    ("fevrier", 2),
    ("fevr", 2),
    ("fev", 2),
    ("mars", 3),
    ("avril", 4),
    ("avr", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("juill", 7),
    ("juil", 7),
    ("aout", 8),
    ("septembre", 9),
    ("sept", 9),
    ("sep", 9),
    ("octobre", 10),
    ("oct", 10),
    ("novembre", 11),
    ("nov", 11),
    ("decembre", 12),
    ("dec", 12),
    ("janvi", 1),
];

/// One end of a range, before the year is settled.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Borne {
    Date(DateLue),
    /// « 08/10 »: a day and a month, the year written on the other end.
    JourMois(u32, u32),
}

/// « 21/11 », « 02/10/2025 », « 10/24 », « juill-23 », « déc. 2024 », « 2024-10-02 ».
fn borne(mot: &str) -> Option<Result<Borne, ()>> {
    let t = mot
        .trim()
        .trim_matches(|c: char| matches!(c, '.' | ',' | ';' | '(' | ')'));
    if t.is_empty() {
        return None;
    }
    // Month names: « juill-23 », « aout-23 », « mars 25 », « déc. 2024 ».
    let bas = deunicode::deunicode(t).to_lowercase();
    let lettres: String = bas
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect();
    if !lettres.is_empty() {
        let (_, mois) = MOIS.iter().find(|(nom, _)| {
            lettres == *nom || (lettres.len() >= 3 && nom.starts_with(&lettres))
        })?;
        let reste = bas[lettres.len()..].trim_matches(|c: char| !c.is_ascii_digit());
        let annee = match reste.len() {
            2 => 2000 + reste.parse::<i32>().ok()?,
            4 => reste.parse::<i32>().ok()?,
            _ => return None,
        };
        return Some(Ok(Borne::Date(DateLue::Mois { annee, mois: *mois })));
    }
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '/' | '.' | '-'))
    {
        return None;
    }
    let groupes: Vec<&str> = t.split(['/', '.']).collect();
    if let [j, m] = groupes.as_slice()
        && (1..=2).contains(&j.len())
        && (1..=2).contains(&m.len())
        && let (Ok(j), Ok(m)) = (j.parse::<u32>(), m.parse::<u32>())
        && (1..=31).contains(&j)
        && (1..=12).contains(&m)
    {
        return Some(Ok(Borne::JourMois(j, m)));
    }
    // More than three groups is two dates run together (« 02/10/2025-15/12/2025 »): not one end.
    if t.split(['/', '.', '-']).count() > 3 {
        return None;
    }
    match dates::lire_date(&Cellule::Texte(t.to_string())) {
        Ok(Some(d)) => Some(Ok(Borne::Date(d))),
        Ok(None) => None,
        Err(_) => Some(Err(())),
    }
}

/// Words that say the range is still open: « à ce jour », « aujourd'hui », « en cours ».
fn ouverte(texte: &str) -> bool {
    let n = crate::classeur::schema::normaliser(texte);
    [
        "acejour",
        "cejour",
        "aujourdhui",
        "encours",
        "maintenant",
        "",
    ]
    .contains(&n.as_str())
}

fn jour(annee: i32, mois: u32, jour: u32) -> Option<DateLue> {
    NaiveDate::from_ymd_opt(annee, mois, jour).map(DateLue::Jour)
}

/// Reads a Période cell of an official tableau.
pub fn lire(cellule: &Cellule) -> PeriodeLue {
    let texte = match cellule {
        Cellule::Vide => {
            return PeriodeLue {
                debut: None,
                fin: None,
                libre: None,
                note: None,
            };
        }
        Cellule::Date(d) => {
            return PeriodeLue {
                debut: Some(DateLue::Jour(*d)),
                fin: None,
                libre: None,
                note: Some(format!(
                    "une seule date ({}) : lue comme le début de la période",
                    d.format("%d/%m/%Y")
                )),
            };
        }
        Cellule::Nombre(n) if n.fract() == 0.0 && (1990.0..=2100.0).contains(n) => {
            return PeriodeLue {
                note: Some(format!(
                    "une année seule ({n}) : gardée telle quelle dans Période"
                )),
                ..PeriodeLue::libre(&format!("{n}"))
            };
        }
        Cellule::Nombre(_) => match dates::lire_date(cellule) {
            Ok(Some(d)) => {
                return PeriodeLue {
                    debut: Some(d),
                    fin: None,
                    libre: None,
                    note: Some(format!(
                        "nombre de série {} du tableur : lu comme la date {}, début de la période",
                        cellule.texte(),
                        d.premier_jour().format("%d/%m/%Y")
                    )),
                };
            }
            _ => return PeriodeLue::libre(&cellule.texte()),
        },
        autre => autre.texte(),
    };
    let original = texte.trim().to_string();
    if original.is_empty() {
        return PeriodeLue {
            debut: None,
            fin: None,
            libre: None,
            note: None,
        };
    }
    // Plain forms first: the class workbook's own reader.
    if let Ok(dates::Periode::Dates { debut, fin }) =
        dates::lire_periode(&Cellule::Texte(original.clone()))
    {
        let note = match (debut, fin) {
            (Some(a), Some(b)) if a == b => {
                return PeriodeLue {
                    debut: Some(a),
                    fin: None,
                    libre: None,
                    note: Some("une seule date : lue comme le début de la période".into()),
                };
            }
            _ => None,
        };
        return PeriodeLue {
            debut,
            fin,
            libre: None,
            note,
        };
    }
    let mut bas = original
        .to_lowercase()
        .replace(['\n', '\r', '\t', '\u{00A0}'], " ");
    for prefixe in [
        "période",
        "periode",
        ":",
        "depuis le",
        "depuis",
        "du",
        "de",
        "le",
    ] {
        let t = bas.trim_start();
        if let Some(r) = t.strip_prefix(prefixe) {
            bas = r.to_string();
        }
    }
    let depuis = original.to_lowercase().contains("depuis");
    // Cut into two ends on the first separator that gives one.
    let separateurs = [
        " au ",
        " à ",
        " a ",
        " jusqu'au ",
        " jusqu'à ",
        "–",
        "—",
        " - ",
        "-",
        " ",
    ];
    let mut bornes: Option<(Borne, Option<Borne>)> = None;
    let mut invalide = false;
    let entier = bas.trim();
    if let Some(b) = borne(entier) {
        match b {
            Ok(b) => bornes = Some((b, None)),
            Err(()) => invalide = true,
        }
    }
    if bornes.is_none() && !invalide {
        for s in separateurs {
            let Some((a, b)) = entier.split_once(s) else {
                continue;
            };
            let (a, b) = (a.trim(), b.trim());
            match (borne(a), borne(b)) {
                (Some(Ok(x)), Some(Ok(y))) => {
                    bornes = Some((x, Some(y)));
                    break;
                }
                (Some(Ok(x)), None) if ouverte(b) => {
                    bornes = Some((x, None));
                    break;
                }
                (Some(Err(())), _) | (_, Some(Err(()))) => {
                    invalide = true;
                    break;
                }
                _ => {}
            }
        }
    }
    // « 08/10 au 10/11 2024 »: the year after the second end.
    if bornes.is_none() && !invalide {
        let mots: Vec<&str> = entier.split_whitespace().collect();
        if let [a, sep, b, annee] = mots.as_slice()
            && ["au", "à", "a", "-"].contains(sep)
            && annee.len() == 4
            && let Ok(an) = annee.parse::<i32>()
            && let (Some(Ok(Borne::JourMois(j1, m1))), Some(Ok(Borne::JourMois(j2, m2)))) =
                (borne(a), borne(b))
            && let (Some(fin), Some(debut)) = (
                jour(an, m2, j2),
                jour(if m1 > m2 { an - 1 } else { an }, m1, j1),
            )
        {
            return PeriodeLue {
                debut: Some(debut),
                fin: Some(fin),
                libre: None,
                note: Some(format!(
                    "période « {original} » lue du {} au {}",
                    debut.premier_jour().format("%d/%m/%Y"),
                    fin.premier_jour().format("%d/%m/%Y")
                )),
            };
        }
    }
    let Some((a, b)) = bornes.filter(|_| !invalide) else {
        return PeriodeLue::libre(&original);
    };
    // A day and a month without a year take the year of the other end.
    let resoudre = |x: Borne, autre: Option<Borne>, est_debut: bool| -> Option<DateLue> {
        match x {
            Borne::Date(d) => Some(d),
            Borne::JourMois(j, m) => {
                let Some(Borne::Date(o)) = autre else {
                    return None;
                };
                let (ao, mo) = (o.premier_jour().year(), o.premier_jour().month());
                let an = match (est_debut, m > mo, m < mo) {
                    (true, true, _) => ao - 1,
                    (false, _, true) => ao + 1,
                    _ => ao,
                };
                jour(an, m, j)
            }
        }
    };
    let debut = resoudre(a, b, true);
    let fin = b.and_then(|y| resoudre(y, Some(a), false));
    if debut.is_none() || (b.is_some() && fin.is_none()) {
        return PeriodeLue::libre(&original);
    }
    let decrire = |d: Option<DateLue>| match d {
        Some(DateLue::Jour(j)) => j.format("%d/%m/%Y").to_string(),
        Some(DateLue::Mois { annee, mois }) => format!("{mois:02}/{annee}"),
        None => String::new(),
    };
    let note = match fin {
        None => Some(format!(
            "période « {original} » ouverte{} : lue comme commençant le {}, sans fin",
            if depuis { " (« depuis »)" } else { "" },
            decrire(debut)
        )),
        Some(_) => Some(format!(
            "période « {original} » lue du {} au {}",
            decrire(debut),
            decrire(fin)
        )),
    };
    PeriodeLue {
        debut,
        fin,
        libre: None,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(a: i32, m: u32, d: u32) -> Option<DateLue> {
        Some(DateLue::Jour(NaiveDate::from_ymd_opt(a, m, d).unwrap()))
    }
    fn mois(a: i32, m: u32) -> Option<DateLue> {
        Some(DateLue::Mois { annee: a, mois: m })
    }
    fn lu(t: &str) -> (Option<DateLue>, Option<DateLue>, Option<String>) {
        let p = lire(&Cellule::Texte(t.into()));
        (p.debut, p.fin, p.libre)
    }

    #[test]
    fn every_form_a_person_reads_as_two_dates() {
        for (t, d, f) in [
            (
                "du 02/10/2025 au 15/12/2025",
                j(2025, 10, 2),
                j(2025, 12, 15),
            ),
            (
                "Période du 02/10/2025 au 15/12/2025",
                j(2025, 10, 2),
                j(2025, 12, 15),
            ),
            ("02/10/2025 AU 15/12/2025", j(2025, 10, 2), j(2025, 12, 15)),
            ("02/10/2025-15/12/2025", j(2025, 10, 2), j(2025, 12, 15)),
            ("23/09/2023 11/10/2023", j(2023, 9, 23), j(2023, 10, 11)),
            ("23/09/2023\n11/10/2023", j(2023, 9, 23), j(2023, 10, 11)),
            ("02/24 05/24", mois(2024, 2), mois(2024, 5)),
            ("12/25-03/26", mois(2025, 12), mois(2026, 3)),
            ("10/09/2025-05/2026", j(2025, 9, 10), mois(2026, 5)),
            ("08/10 au 10/11 2024", j(2024, 10, 8), j(2024, 11, 10)),
            ("21/11 au 21/12/2025", j(2025, 11, 21), j(2025, 12, 21)),
            ("15/12 au 10/01/2025", j(2024, 12, 15), j(2025, 1, 10)),
            ("Juill-23 à Aout-23", mois(2023, 7), mois(2023, 8)),
            ("déc-24 à fev-25", mois(2024, 12), mois(2025, 2)),
        ] {
            assert_eq!(lu(t), (d, f, None), "{t}");
        }
    }

    #[test]
    fn open_ranges_give_a_start_only() {
        for (t, d) in [
            ("depuis le 02/02/2024", j(2024, 2, 2)),
            ("depuis le 09/2023", mois(2023, 9)),
            ("10/10/2023 - ", j(2023, 10, 10)),
            ("mars-25 à ce jour", mois(2025, 3)),
        ] {
            assert_eq!(lu(t), (d, None, None), "{t}");
        }
    }

    #[test]
    fn anything_else_is_kept_word_for_word() {
        for t in [
            "En cours",
            "Avril",
            "au cours de ma deuxième année",
            "2022-2023",
            "21/21/2024",
            "04/07/20275",
        ] {
            assert_eq!(lu(t), (None, None, Some(t.to_string())), "{t}");
        }
        let p = lire(&Cellule::Nombre(2025.0));
        assert_eq!(p.libre.as_deref(), Some("2025"));
    }
}
