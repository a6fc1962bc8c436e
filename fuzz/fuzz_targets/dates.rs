#![no_main]
// Dates and periods as teachers type them: every text, and every number as a spreadsheet
// stores it.

use siodoc::classeur::Cellule;
use siodoc::classeur::dates::{lire_date, lire_periode};

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    let texte = String::from_utf8_lossy(octets);
    let cellule = Cellule::Texte(texte.to_string());
    let _ = lire_date(&cellule);
    let _ = lire_periode(&cellule);
    if octets.len() >= 8 {
        let n = f64::from_le_bytes(octets[..8].try_into().expect("8 octets"));
        let _ = lire_date(&Cellule::Nombre(n));
        let _ = lire_periode(&Cellule::Nombre(n));
        let _ = Cellule::Nombre(n).texte();
    }
});
