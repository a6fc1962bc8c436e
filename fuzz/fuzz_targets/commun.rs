// Shared by the workbook targets: the bytes become a file (the readers take paths, as siodoc
// reads only regular files), then go through the same path as `siodoc verifier`, minus the
// child process, so that a panic reaches the fuzzer instead of being turned into a message.

use std::path::PathBuf;

pub fn fichier(octets: &[u8], extension: &str) -> PathBuf {
    let dossier = std::env::temp_dir().join(format!("siodoc-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dossier);
    let chemin = dossier.join(format!("classeur.{extension}"));
    std::fs::write(&chemin, octets).expect("écriture du fichier de test");
    chemin
}

/// A panic inside calamine is caught here as siodoc's isolated reading process contains it in
/// production (a French error naming the file); any other panic is a crash for the fuzzer.
fn contenir_calamine() {
    static UNE_FOIS: std::sync::Once = std::sync::Once::new();
    UNE_FOIS.call_once(|| {
        let crochet_du_fuzzer = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let dans_calamine = info.location().is_some_and(|l| l.file().contains("/calamine-"));
            if !dans_calamine {
                crochet_du_fuzzer(info);
            }
        }));
    });
}

/// Opens as `siodoc verifier` does (container checks, then calamine, called directly rather
/// than in the isolated child), then reads every sheet as the class workbook.
pub fn lire_classeur(octets: &[u8], extension: &str) {
    use siodoc::entree::{self, Nature};
    let chemin = fichier(octets, extension);
    let Ok(nature) = entree::nature(&chemin) else {
        return;
    };
    if !matches!(nature, Nature::Xlsx | Nature::Ods | Nature::Ole) {
        return;
    }
    if matches!(nature, Nature::Xlsx | Nature::Ods)
        && entree::conteneur::controler(&chemin, nature).is_err()
    {
        return;
    }
    if nature == Nature::Ole
        && entree::conteneur::controler_ole(&chemin).ok() != Some(entree::conteneur::ContenuOle::Classeur)
    {
        return;
    }
    contenir_calamine();
    let lu = std::panic::catch_unwind(|| siodoc::classeur::lecture::lire_tableur_direct(&chemin, nature, true));
    let Ok(Ok(feuilles)) = lu else {
        return;
    };
    // As an official tableau (importer, verifier on a candidate's file), then as a class workbook.
    let _ = siodoc::officiel::lire(&feuilles);
    let source = siodoc::classeur::lecture::Source { chemin, feuilles };
    let profil = siodoc::session::ProfilSession::resoudre(Some(2026), None, 2026).expect("profil");
    let (classeur, _) = source.lire(profil.referentiel.charger());
    let _ = siodoc::verification::verifier(&classeur, &profil);
}
