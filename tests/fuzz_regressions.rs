//! Every input that made a fuzz target crash (tests/donnees/fuzz/<cible>/), read again through
//! the same path as its target: each must now be read or refused, never panic.

use std::path::{Path, PathBuf};

use siodoc::entree::{self, Nature};

fn entrees(cible: &str) -> Vec<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/donnees/fuzz")
        .join(cible);
    let mut v: Vec<PathBuf> = std::fs::read_dir(d)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

/// The workbook path of the fuzz targets: container checks and calamine (a panic inside
/// calamine is contained, in-process here as in the isolated child of the command), then the
/// class workbook's interpretation and the rules, whose panics would fail the test.
fn lire_classeur(chemin: &Path) {
    let Ok(nature) = entree::nature(chemin) else {
        return;
    };
    if !matches!(nature, Nature::Xlsx | Nature::Ods | Nature::Ole) {
        return;
    }
    let Ok(feuilles) = siodoc::classeur::lecture::lire_tableur_avec(chemin, true) else {
        return;
    };
    let _ = siodoc::officiel::lire(&feuilles);
    let source = siodoc::classeur::lecture::Source {
        chemin: chemin.to_path_buf(),
        feuilles,
    };
    let profil = siodoc::session::ProfilSession::resoudre(Some(2026), None, 2026).unwrap();
    let (classeur, _) = source.lire(profil.referentiel.charger());
    let _ = siodoc::verification::verifier(&classeur, &profil);
}

#[test]
fn crashing_workbooks_are_read_or_refused() {
    let mut vus = 0;
    for cible in ["classeur_xlsx", "classeur_ods", "classeur_xls"] {
        for f in entrees(cible) {
            // The readers take paths with an extension, as the fuzz targets write them.
            let dir = tempfile::tempdir().unwrap();
            let chemin = dir.path().join(format!(
                "classeur.{}",
                cible.trim_start_matches("classeur_")
            ));
            std::fs::copy(&f, &chemin).unwrap();
            lire_classeur(&chemin);
            vus += 1;
        }
    }
    assert!(vus >= 1, "aucune entrée de régression trouvée");
}
