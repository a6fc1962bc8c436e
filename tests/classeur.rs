//! Reading the class workbook in every format, the Cyclades import, and bad files.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use siodoc::chargement::charger;
use siodoc::classeur::{Classeur, cyclades};
use siodoc::referentiel::OptionSio;

fn donnees(nom: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/donnees")
        .join(nom)
}

fn modele(chemin: &Path) -> Classeur {
    let c = charger(chemin, None, None).unwrap();
    assert!(
        c.diagnostics.is_empty(),
        "{}: {:#?}",
        chemin.display(),
        c.diagnostics
    );
    c.classeur.unwrap()
}

/// The committed ODS and CSV were written by LibreOffice from the example (see
/// tests/donnees/regenerer.sh); all three must read as the same model.
#[test]
fn xlsx_ods_and_csv_give_the_same_model() {
    let dir = commun::temp();
    let xlsx = dir.path().join("classe-2026.xlsx");
    std::fs::write(&xlsx, commun::exemple_xlsx(2026)).unwrap();
    let depuis_xlsx = modele(&xlsx);
    let depuis_ods = modele(&donnees("classe-2026.ods"));
    let depuis_csv = modele(&donnees("classe-2026-csv"));
    assert_eq!(depuis_xlsx.candidats.len(), 14);
    assert_eq!(depuis_xlsx, depuis_ods);
    assert_eq!(depuis_xlsx, depuis_csv);
    // Spot checks of what was read.
    let c = &depuis_ods.candidats[0];
    assert_eq!(c.numero.texte, "026000101");
    assert_eq!(c.numero.cellule.to_string(), "Candidats!A2");
    assert_eq!(
        (c.nom.texte.as_str(), c.prenom.texte.as_str(), c.option()),
        ("MARTIN", "Léa", Some(OptionSio::Sisr))
    );
    let r = &depuis_csv.realisations[0];
    assert_eq!(r.debut.texte, "02/10/2024");
    assert_eq!(r.codes_coches().collect::<Vec<_>>(), ["B1.1", "B1.2"]);
    assert!(depuis_csv.fiches[0].descriptif.texte.contains("\n\nÉtapes"));
}

#[test]
fn a_csv_file_stands_for_its_folder() {
    let depuis_fichier = modele(&donnees("classe-2026-csv/classe-2026-Candidats.csv"));
    assert_eq!(depuis_fichier, modele(&donnees("classe-2026-csv")));
}

/// French Excel writes `;` or `,` CSV in Windows-1252, sometimes with a BOM in UTF-8.
#[test]
fn csv_in_windows_1252_with_commas_and_utf8_with_bom() {
    let reference = modele(&donnees("classe-2026-csv"));
    let dir = commun::temp();
    for (sous_dossier, virgule, cp1252) in [("cp1252", true, true), ("bom", false, false)] {
        let d = dir.path().join(sous_dossier);
        std::fs::create_dir(&d).unwrap();
        for f in std::fs::read_dir(donnees("classe-2026-csv")).unwrap() {
            let f = f.unwrap().path();
            let mut lecteur = csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_path(&f)
                .unwrap();
            let mut ecrivain = csv::WriterBuilder::new()
                .delimiter(if virgule { b',' } else { b';' })
                .flexible(true)
                .from_writer(Vec::new());
            for l in lecteur.records() {
                ecrivain.write_record(&l.unwrap()).unwrap();
            }
            let texte = String::from_utf8(ecrivain.into_inner().unwrap()).unwrap();
            let octets = if cp1252 {
                let (o, _, perte) = encoding_rs::WINDOWS_1252.encode(&texte);
                assert!(!perte);
                o.into_owned()
            } else {
                [b"\xEF\xBB\xBF".as_slice(), texte.as_bytes()].concat()
            };
            std::fs::write(d.join(f.file_name().unwrap()), octets).unwrap();
        }
        assert_eq!(modele(&d), reference, "{sous_dossier}");
    }
}

#[test]
fn cyclades_import_reads_the_fixture() {
    let import = cyclades::importer(&donnees("cyclades-liste-simple.csv")).unwrap();
    assert_eq!(import.classe.as_deref(), Some("SIO2-A"));
    let lignes: Vec<(&str, &str, &str, Option<OptionSio>)> = import
        .candidats
        .iter()
        .map(|c| {
            (
                c.numero.as_str(),
                c.nom.as_str(),
                c.prenom.as_str(),
                c.option,
            )
        })
        .collect();
    assert_eq!(
        lignes,
        [
            ("02600012345", "LEFÈVRE", "Chloé", Some(OptionSio::Sisr)),
            ("02600012346", "GARNIER", "Hélène", Some(OptionSio::Slam)),
            ("02600012347", "MÜLLER", "Jérôme", Some(OptionSio::Slam)),
            ("02600012348", "D'ALMEIDA", "Noël", Some(OptionSio::Sisr)),
        ]
    );
}

#[test]
fn modele_with_cyclades_candidates_reads_back() {
    let dir = commun::temp();
    let sortie = dir.path().join("classe.xlsx");
    let o = Command::new(commun::siodoc_bin())
        .args(["modele", "--session", "2026", "--candidats"])
        .arg(donnees("cyclades-liste-simple.csv"))
        .arg(&sortie)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let c = charger(&sortie, None, None).unwrap();
    let k = c.classeur.unwrap();
    assert_eq!(k.parametres.classe.texte, "SIO2-A");
    assert_eq!(k.candidats.len(), 4);
    // Leading zeros kept, in a text cell.
    assert_eq!(k.candidats[0].numero.texte, "02600012345");
    assert_eq!(k.candidats[3].nom.texte, "D'ALMEIDA");
    // No réalisation yet: each candidate misses the bloc-1 compétences and both fiches.
    assert!(c.diagnostics.iter().all(|d| matches!(
        d.regle,
        "bloc1-competence-manquante" | "fiches-nombre" | "portfolio-absent" | "parametre-vide"
    )));
}

#[test]
fn modele_for_one_option_has_only_its_tick_columns() {
    let dir = commun::temp();
    let sortie = dir.path().join("slam.xlsx");
    let o = Command::new(commun::siodoc_bin())
        .args([
            "modele",
            "--session",
            "2020",
            "--option",
            "slam",
            "--exemple",
        ])
        .arg(&sortie)
        .output()
        .unwrap();
    assert!(o.status.success());
    let c = charger(&sortie, None, None).unwrap();
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let k = c.classeur.unwrap();
    assert_eq!(k.colonnes_coches.len(), 4 + 48);
    assert!(k.colonnes_coches.contains(&"A3.2.2".to_string()));
    assert!(!k.colonnes_coches.contains(&"A3.1.1".to_string()));
    assert!(
        k.candidats
            .iter()
            .all(|c| c.option() == Some(OptionSio::Slam))
    );
}

#[test]
fn modele_does_not_overwrite_without_ecraser() {
    let dir = commun::temp();
    let sortie = dir.path().join("classe.xlsx");
    std::fs::write(&sortie, b"travail de l'enseignant").unwrap();
    let o = Command::new(commun::siodoc_bin())
        .args(["modele", "--session", "2026"])
        .arg(&sortie)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("le fichier existe déjà"));
    assert_eq!(std::fs::read(&sortie).unwrap(), b"travail de l'enseignant");
}

#[test]
fn same_class_gives_the_same_template_bytes() {
    assert_eq!(commun::exemple_xlsx(2026), commun::exemple_xlsx(2026));
    let committed =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx"))
            .unwrap();
    assert_eq!(
        committed,
        commun::exemple_xlsx(2026),
        "samples/classe-2026.xlsx est à régénérer"
    );
}

// --- Bad files: a French message naming the file, exit code 2, no panic. ---

fn verifier(chemin: &Path) -> (Option<i32>, String) {
    let o = Command::new(commun::siodoc_bin())
        .arg("verifier")
        .arg(chemin)
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(!e.contains("panicked"), "{e}");
    (o.status.code(), e)
}

fn refuse(chemin: &Path, attendu: &str) {
    let (code, e) = verifier(chemin);
    assert_eq!(code, Some(2), "{e}");
    // « classeur « … » : » for what is inside the file, « impossible de lire « … » : » for
    // the file itself (absent, a pipe…).
    assert!(
        e.starts_with(&format!(
            "siodoc : erreur : classeur « {} » : ",
            chemin.display()
        )) || e.starts_with(&format!(
            "siodoc : erreur : impossible de lire « {} » : ",
            chemin.display()
        )),
        "{e}"
    );
    assert!(e.contains(attendu), "« {attendu} » absent de : {e}");
}

#[test]
fn not_a_spreadsheet() {
    let dir = commun::temp();
    let f = dir.path().join("notes.xlsx");
    std::fs::write(&f, "ceci n'est pas un classeur").unwrap();
    refuse(
        &f,
        "c'est un fichier texte (CSV ?), pas un classeur ; s'il s'agit d'un CSV, renommez-le avec l'extension .csv",
    );
}

#[test]
fn corrupt_workbook() {
    let dir = commun::temp();
    let f = dir.path().join("abime.xlsx");
    let octets = commun::exemple_xlsx(2026);
    std::fs::write(&f, &octets[..octets.len() / 2]).unwrap();
    refuse(&f, "endommagé");
}

#[test]
fn password_protected_workbook() {
    // Encrypted by msoffcrypto-tool as Excel does (see tests/donnees/regenerer.sh): an OLE
    // container, the same magic bytes as a .xls. Also when renamed .xls.
    let chiffre =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/donnees/classe-2026-chiffre.xlsx");
    refuse(&chiffre, "protégé par un mot de passe");
    let dir = commun::temp();
    let renomme = dir.path().join("classe.xls");
    std::fs::copy(&chiffre, &renomme).unwrap();
    refuse(&renomme, "protégé par un mot de passe");
}

#[test]
fn office_lock_file() {
    let dir = commun::temp();
    let f = dir.path().join("~$classe.xlsx");
    std::fs::write(&f, [b'x'; 165]).unwrap();
    refuse(&f, "fichier de verrouillage");
    assert!(verifier(&f).1.contains("« classe.xlsx »"));
}

#[test]
fn empty_workbook() {
    let dir = commun::temp();
    let f = dir.path().join("vide.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet();
    wb.save(&f).unwrap();
    refuse(&f, "le classeur est vide");
}

#[test]
fn missing_file_and_folder_without_csv() {
    let dir = commun::temp();
    refuse(&dir.path().join("absent.xlsx"), "introuvable");
    refuse(dir.path(), "aucun fichier CSV");
}

#[test]
fn sheet_of_250_000_rows_is_refused_with_the_limit() {
    let dir = commun::temp();
    let f = dir.path().join("enorme.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Réalisations").unwrap();
    ws.write_string(0, 0, "N° candidat").unwrap();
    ws.write_string(0, 1, "Intitulé").unwrap();
    for l in 1..250_000u32 {
        ws.write_string(l, 0, "1").unwrap();
        ws.write_string(l, 1, "Réalisation").unwrap();
    }
    wb.save(&f).unwrap();
    refuse(
        &f,
        "a des valeurs jusqu'à la ligne 200001 ; siodoc lit au plus 200000 lignes par feuille",
    );
}
