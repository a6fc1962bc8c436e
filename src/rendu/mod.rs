//! Rendering: model → documents. [`formulaires`] turns the class into one data file per
//! document, [`moteur`] lays them out with Typst, [`generation`] writes them all where
//! [`nommage`] says.

pub mod ajustement;
pub mod formulaires;
pub mod generation;
pub mod impression;
pub mod moteur;
pub mod nommage;
pub mod officiel;
pub mod reserve;
pub mod tableur;

use chrono::{Datelike, NaiveDate};
use typst::foundations::Datetime;

use crate::classeur::Parametres;

/// The date printed in the PDFs' metadata and given to Typst as « today », fixed so that the
/// same input gives the same bytes: `SOURCE_DATE_EPOCH` when set, else the `Date` of
/// `Paramètres`, else 1 June of the session year.
pub fn date_des_documents(
    parametres: &Parametres,
    session: u16,
    source_date_epoch: Option<&str>,
) -> Datetime {
    let depuis_epoch = source_date_epoch
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| t.naive_utc());
    let date = depuis_epoch.unwrap_or_else(|| {
        crate::classeur::dates::lire_date(&parametres.date.brut())
            .ok()
            .flatten()
            .map(|d| d.premier_jour())
            .or_else(|| NaiveDate::from_ymd_opt(i32::from(session), 6, 1))
            .unwrap_or_default()
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
    });
    use chrono::Timelike;
    Datetime::from_ymd_hms(
        date.year(),
        date.month() as u8,
        date.day() as u8,
        date.hour() as u8,
        date.minute() as u8,
        date.second() as u8,
    )
    .unwrap_or_else(|| Datetime::from_ymd(2000, 1, 1).expect("date valide"))
}
