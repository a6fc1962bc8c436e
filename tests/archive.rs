//! `siodoc archiver` and `siodoc verifier-archive` on a generated class with a few scans.

mod commun;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use siodoc::archive::Manifeste;

fn siodoc(args: &[&str]) -> Output {
    Command::new(commun::siodoc_bin())
        .args(args)
        .output()
        .unwrap()
}

/// A generated 2026 class and a scans folder: one scan named after a candidate, one after a
/// N°, one in a subfolder named after a candidate, one matching nobody, one matching two
/// candidates; and system files that are not scans.
fn preparer(dir: &Path) -> (PathBuf, PathBuf) {
    let sortie = dir.join("sortie");
    let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
    assert!(
        siodoc(&[
            "generer",
            echantillon.to_str().unwrap(),
            "-o",
            sortie.to_str().unwrap()
        ])
        .status
        .success()
    );
    let classe = sortie.join("BTS SIO 26");
    let scans = dir.join("scans");
    std::fs::create_dir(&scans).unwrap();
    let un_pdf = std::fs::read(classe.join("synthese-classe.pdf")).unwrap();
    std::fs::write(
        scans.join("Attestation stage MARTIN Léa signée.pdf"),
        &un_pdf,
    )
    .unwrap();
    std::fs::write(scans.join("026000102_tableau_signe.pdf"), &un_pdf).unwrap();
    std::fs::write(scans.join("scan-sans-nom.pdf"), &un_pdf).unwrap();
    // A subfolder named after the candidate, and what Windows and macOS leave in folders.
    std::fs::create_dir(scans.join("Hugo BERNARD")).unwrap();
    std::fs::write(scans.join("Hugo BERNARD/attestation signée.pdf"), &un_pdf).unwrap();
    std::fs::write(scans.join(".DS_Store"), b"\0\0\0\x01Bud1").unwrap();
    std::fs::write(scans.join("Hugo BERNARD/Thumbs.db"), b"vignettes").unwrap();
    std::fs::write(
        scans.join("martin-lea-et-bernard-hugo-026000101-026000102.pdf"),
        &un_pdf,
    )
    .unwrap();
    (classe, scans)
}

fn archiver(dir: &Path, classe: &Path, scans: &Path, cible: &str) -> (Output, PathBuf) {
    let sortie = dir.join(cible);
    let o = siodoc(&[
        "archiver",
        classe.to_str().unwrap(),
        "--scans",
        scans.to_str().unwrap(),
        "-o",
        sortie.to_str().unwrap(),
    ]);
    (o, sortie.join("BTS SIO 26.zip"))
}

fn entrees(zip: &Path) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..a.len())
        .map(|i| {
            let mut e = a.by_index(i).unwrap();
            let mut o = Vec::new();
            e.read_to_end(&mut o).unwrap();
            (e.name().unwrap().to_string(), o)
        })
        .collect()
}

fn reecrire(zip: &Path, entrees: &[(String, Vec<u8>)]) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(zip).unwrap());
    for (nom, o) in entrees {
        w.start_file(nom.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(o).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn archive_lists_every_file_matches_scans_and_is_reproducible() {
    let dir = commun::temp();
    let (classe, scans) = preparer(dir.path());
    let (o, zip) = archiver(dir.path(), &classe, &scans, "archive");
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    assert!(
        erreurs.contains(
            "scan « scan-sans-nom.pdf » non attribué (ni N° candidat ni NOM et prénom reconnus"
        ),
        "{erreurs}"
    );
    assert!(erreurs.contains("« martin-lea-et-bernard-hugo-026000101-026000102.pdf » non attribué (plusieurs candidats possibles"), "{erreurs}");

    let contenu = entrees(&zip);
    let manifeste: Manifeste = serde_json::from_slice(
        &contenu
            .iter()
            .find(|(n, _)| n == "manifeste.json")
            .unwrap()
            .1,
    )
    .unwrap();
    assert_eq!(manifeste.session, 2026);
    assert_eq!(manifeste.fichiers.len(), 58 + 5);
    let par_chemin = |c: &str| {
        manifeste
            .fichiers
            .iter()
            .find(|f| f.chemin == c)
            .unwrap_or_else(|| panic!("{c} absent du manifeste"))
    };
    let scan =
        par_chemin("BTS SIO 26/MARTIN_Léa_026000101/scans/Attestation stage MARTIN Léa signée.pdf");
    assert_eq!(
        (scan.candidat.as_deref(), scan.document.as_str()),
        (Some("026000101"), "scan")
    );
    assert_eq!(
        par_chemin("BTS SIO 26/BERNARD_Hugo_026000102/scans/026000102_tableau_signe.pdf")
            .candidat
            .as_deref(),
        Some("026000102")
    );
    assert_eq!(par_chemin("non-attribués/scan-sans-nom.pdf").candidat, None);
    assert_eq!(
        par_chemin("BTS SIO 26/BERNARD_Hugo_026000102/scans/Hugo BERNARD/attestation signée.pdf")
            .candidat
            .as_deref(),
        Some("026000102")
    );
    assert!(
        !manifeste
            .fichiers
            .iter()
            .any(|f| f.chemin.contains("DS_Store") || f.chemin.contains("Thumbs"))
    );
    let tableau = par_chemin("BTS SIO 26/MARTIN_Léa_026000101/tableau-de-synthese.pdf");
    assert_eq!(
        (
            tableau.type_media.as_str(),
            tableau.pdfa.as_deref(),
            tableau.document.as_str()
        ),
        ("application/pdf", Some("2B"), "tableau-de-synthese")
    );
    // Digests recomputed here from the file in the ZIP.
    let octets = &contenu
        .iter()
        .find(|(n, _)| n == &tableau.chemin)
        .unwrap()
        .1;
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(octets)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(tableau.sha256, sha);
    assert_eq!(tableau.sha512.len(), 128);
    assert_eq!(tableau.taille, octets.len() as u64);
    let xlsx = par_chemin("BTS SIO 26/MARTIN_Léa_026000101/tableau-de-synthese.xlsx");
    assert_eq!(
        xlsx.type_media,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );

    // Extracted, it passes `sha256sum -c`.
    let extrait = dir.path().join("extrait");
    for (nom, o) in &contenu {
        let p = extrait.join(nom);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, o).unwrap();
    }
    let c = Command::new("sha256sum")
        .arg("-c")
        .arg("SHA256SUMS")
        .current_dir(&extrait)
        .output()
        .unwrap();
    assert!(c.status.success(), "{}", String::from_utf8_lossy(&c.stdout));
    let v = siodoc(&["verifier-archive", extrait.to_str().unwrap()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));

    // Same input, same ZIP bytes.
    let (_, zip2) = archiver(dir.path(), &classe, &scans, "archive2");
    assert!(std::fs::read(&zip).unwrap() == std::fs::read(&zip2).unwrap());
}

#[test]
fn verifier_archive_names_the_changed_and_the_missing_file() {
    let dir = commun::temp();
    let (classe, scans) = preparer(dir.path());
    let (_, zip) = archiver(dir.path(), &classe, &scans, "archive");
    let v = siodoc(&["verifier-archive", zip.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&v.stdout).contains("les 63 fichiers correspondent au manifeste")
    );

    // One byte of one PDF flipped inside the ZIP.
    let mut contenu = entrees(&zip);
    let cible = "BTS SIO 26/DURAND_Manon_026000107/fiche-2.pdf";
    let e = contenu.iter_mut().find(|(n, _)| n == cible).unwrap();
    let milieu = e.1.len() / 2;
    e.1[milieu] ^= 0x01;
    reecrire(&zip, &contenu);
    let v = siodoc(&["verifier-archive", zip.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(
        sortie.starts_with(&format!("{cible} : MODIFIÉ (SHA-256 attendu ")),
        "{sortie}"
    );
    assert!(sortie.contains("1 écart(s) avec le manifeste"), "{sortie}");

    // One file deleted.
    let supprime = "BTS SIO 26/MARTIN_Léa_026000101/tableau-de-synthese.xlsx";
    contenu.retain(|(n, _)| n != supprime);
    reecrire(&zip, &contenu);
    let v = siodoc(&["verifier-archive", zip.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(
        sortie.contains(&format!("{supprime} : MANQUANT")),
        "{sortie}"
    );
    assert!(sortie.contains(&format!("{cible} : MODIFIÉ")), "{sortie}");
}

#[test]
fn not_an_archive_is_a_french_error() {
    let dir = commun::temp();
    let faux = dir.path().join("faux.zip");
    std::fs::write(&faux, "pas une archive").unwrap();
    let v = siodoc(&["verifier-archive", faux.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&v.stderr).contains("ce n'est pas une archive ZIP lisible"));
    let v = siodoc(&["archiver", dir.path().to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&v.stderr).contains("siodoc-index.json"),
        "{}",
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn a_hand_edited_manifest_with_odd_digests_is_reported_not_a_crash() {
    let dir = commun::temp();
    let (classe, scans) = preparer(dir.path());
    let (_, zip) = archiver(dir.path(), &classe, &scans, "archive");
    let mut contenu = entrees(&zip);
    let (_, json) = contenu
        .iter_mut()
        .find(|(n, _)| n == "manifeste.json")
        .unwrap();
    let mut m: Manifeste = serde_json::from_slice(json).unwrap();
    let cible = m.fichiers[0].chemin.clone();
    m.fichiers[0].sha256 = "é".into();
    *json = serde_json::to_vec_pretty(&m).unwrap();
    reecrire(&zip, &contenu);
    let v = siodoc(&["verifier-archive", zip.to_str().unwrap()]);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(
        sortie.contains(&format!("{cible} : MODIFIÉ (SHA-256 attendu é…, trouvé ")),
        "{sortie}"
    );
}

#[test]
fn a_generated_document_missing_from_the_class_folder_says_to_regenerate() {
    let dir = commun::temp();
    let (classe, scans) = preparer(dir.path());
    let absent = classe.join("MARTIN_Léa_026000101/fiche-2.pdf");
    std::fs::remove_file(&absent).unwrap();
    let (o, zip) = archiver(dir.path(), &classe, &scans, "archive");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!(
            "siodoc : erreur : impossible de lire « {} » : document absent alors que \
             siodoc-index.json le liste ; relancez siodoc generer pour refaire le dossier de la \
             classe, puis archivez de nouveau",
            absent.display()
        )
    );
    assert!(!zip.exists(), "pas d'archive incomplète");
    // Nor the temporary file it was being written to.
    let restes: Vec<_> = std::fs::read_dir(zip.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(restes.is_empty(), "{restes:?}");
}

#[test]
fn the_output_folder_instead_of_a_class_folder_names_the_classes() {
    let dir = commun::temp();
    let (classe, _) = preparer(dir.path());
    let sortie = classe.parent().unwrap();
    let o = siodoc(&["archiver", sortie.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!(
            "siodoc : erreur : impossible de lire « {} » : pas de siodoc-index.json ici, mais ce \
             dossier contient les classes « BTS SIO 26 » : passez l'une d'elles, par exemple « {} »",
            sortie.display(),
            classe.display()
        )
    );
    let fichier = dir.path().join("un-fichier");
    std::fs::write(&fichier, "").unwrap();
    let o = siodoc(&[
        "archiver",
        classe.to_str().unwrap(),
        "-o",
        fichier.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr).trim(),
        format!(
            "siodoc : erreur : -o « {} » : ce n'est pas un dossier ; passez le dossier où écrire",
            fichier.display()
        )
    );
}
