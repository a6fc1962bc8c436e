#![no_main]
// One CSV sheet: decoding (UTF-8, UTF-16, Windows-1252), separator, rows, then the workbook.

#[path = "commun.rs"]
mod commun;

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    let chemin = commun::fichier(octets, "csv");
    let _ = siodoc::classeur::lecture::lire_csv(octets, &chemin);
    // Read as the Réalisations sheet of a CSV folder, beside nothing else.
    let dossier = chemin.parent().expect("dossier").join("csv");
    let _ = std::fs::create_dir_all(&dossier);
    let _ = std::fs::write(dossier.join("Réalisations.csv"), octets);
    if let Ok(source) = siodoc::classeur::lecture::ouvrir(&dossier) {
        let profil = siodoc::session::ProfilSession::resoudre(Some(2026), None, 2026).expect("profil");
        let (classeur, _) = source.lire(profil.referentiel.charger());
        let _ = siodoc::verification::verifier(&classeur, &profil);
    }
});
