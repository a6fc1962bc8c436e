//! The XLSX outputs of `siodoc generer`, read back with calamine (and printed by LibreOffice
//! when it is installed).

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Range, Reader, open_workbook_auto};
use commun::Tables;
use siodoc::chargement::charger;
use siodoc::classeur::{Classeur, Partie};

fn generer(classeur: &Path, sortie: &Path, extra: &[&str]) {
    let o = Command::new(commun::siodoc_bin())
        .arg("generer")
        .arg(classeur)
        .arg("-o")
        .arg(sortie)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        o.status.code().is_some_and(|c| c <= 1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

fn feuille(chemin: &Path, nom: &str) -> Range<Data> {
    let mut wb = open_workbook_auto(chemin).unwrap();
    let noms = wb.sheet_names();
    assert!(
        noms.iter().any(|n| n == nom),
        "feuille « {nom} » absente de {noms:?}"
    );
    wb.worksheet_range(nom).unwrap()
}

fn texte(r: &Range<Data>, ligne: u32, colonne: u32) -> String {
    r.get_value((ligne, colonne))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

fn modele(classeur: &Path) -> Classeur {
    charger(classeur, None, None).unwrap().classeur.unwrap()
}

fn dossier(sortie: &Path, classe: &str, debut: &str) -> PathBuf {
    std::fs::read_dir(sortie.join(classe))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(debut))
        .unwrap()
}

#[test]
fn tableau_2019_official_layout_filled() {
    let dir = commun::temp();
    let classeur = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
    generer(&classeur, &dir.path().join("s"), &["--formats", "xlsx"]);
    // --formats xlsx: no PDF at all.
    let martin = dossier(&dir.path().join("s"), "BTS SIO 26", "MARTIN_");
    assert!(!martin.join("tableau-de-synthese.pdf").exists());
    let f = feuille(
        &martin.join("tableau-de-synthese.xlsx"),
        "Tableau de synthèse Épreuve E5",
    );
    assert_eq!(
        texte(&f, 0, 0),
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS"
    );
    assert_eq!(texte(&f, 0, 6), "SESSION 2026");
    assert_eq!(
        texte(&f, 1, 0),
        "Tableau de synthèse des réalisations professionnelles"
    );
    assert_eq!(texte(&f, 2, 0), "NOM et prénom : MARTIN Léa");
    assert_eq!(texte(&f, 2, 5), "N° candidat : 026000101");
    assert_eq!(
        texte(&f, 3, 0),
        "Centre de formation : Lycée Jules-Verne (fictif), Nantes"
    );
    assert_eq!(
        (texte(&f, 3, 6).as_str(), texte(&f, 3, 7).as_str()),
        ("☒ SISR", "▢ SLAM")
    );
    assert_eq!(
        texte(&f, 4, 0),
        "Adresse URL du portfolio : https://portfolio.exemple.fr/lea-martin"
    );
    assert_eq!(texte(&f, 5, 2), "Gérer le patrimoine informatique");
    assert!(texte(&f, 6, 2).starts_with("▸Recenser et identifier les ressources numériques\n"));
    assert!(
        texte(&f, 5, 0).starts_with("Compétences mises en œuvre\n")
            && texte(&f, 5, 0).ends_with("\nRéalisations professionnelles (intitulé et liste des documents et productions associés)")
    );
    assert_eq!(texte(&f, 7, 0), "Réalisation en cours de formation");

    // Each réalisation on its partie's rows, its ticks under its compétences (C–H).
    let k = modele(&classeur);
    let codes = ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5", "B1.6"];
    let mut ligne = 7u32;
    for (partie, minimum) in Partie::TOUTES.iter().zip([10u32, 7, 7]) {
        assert!(
            !texte(&f, ligne, 0).is_empty(),
            "titre de partie attendu ligne {}",
            ligne + 1
        );
        ligne += 1;
        let lignes: Vec<_> = k
            .realisations_de("026000101")
            .filter(|r| r.partie() == Some(*partie))
            .collect();
        for (i, r) in lignes.iter().enumerate() {
            let l = ligne + i as u32;
            assert!(
                texte(&f, l, 0).starts_with(r.intitule.texte.as_str()),
                "ligne {} : {}",
                l + 1,
                texte(&f, l, 0)
            );
            for (j, code) in codes.iter().enumerate() {
                let attendu = if r.codes_coches().any(|c| c == *code) {
                    "X"
                } else {
                    ""
                };
                assert_eq!(
                    texte(&f, l, 2 + j as u32),
                    attendu,
                    "{code} ligne {}",
                    l + 1
                );
            }
        }
        ligne += minimum.max(lignes.len() as u32);
    }
    assert!(f.end().unwrap().0 < ligne, "rien après la dernière partie");
}

#[test]
fn tableau_2011_grid_of_the_option() {
    let dir = commun::temp();
    let classeur = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2020.xlsx");
    generer(&classeur, &dir.path().join("s"), &[]);
    let martin = dossier(&dir.path().join("s"), "BTS SIO 20", "MARTIN_");
    let f = feuille(
        &martin.join("tableau-de-synthese.xlsx"),
        "tableau de synthèse SISR",
    );
    assert_eq!(
        texte(&f, 0, 0),
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION 2020 - TABLEAU DE SYNTHESE"
    );
    assert_eq!(texte(&f, 1, 0), "NOM et Prénom du candidat : MARTIN Léa");
    // Row 2: name, option and N° side by side, the option about 58 % of the way across.
    let option = (0..60).find(|&c| texte(&f, 1, c) == "Option SISR").unwrap();
    assert!(
        (20..=26).contains(&option),
        "colonne de l'option : {option}"
    );
    let titres: Vec<String> = (0..f.height() as u32)
        .map(|l| texte(&f, l, 0))
        .filter(|t| t.starts_with("SITUATIONS"))
        .collect();
    assert_eq!(
        titres,
        [
            "SITUATIONS VECUES EN FORMATION",
            "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE ANNEE DANS L'ORGANISATION …",
            "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …",
        ]
    );
    assert_eq!(texte(&f, 2, 1), "Situations obligatoires");
    assert_eq!(texte(&f, 3, 5), "Période (sous la forme MM/AA)");
    // 4 SO + période + 48 activity columns after A.
    let entetes: Vec<String> = (0..60).map(|c| texte(&f, 3, c)).collect();
    assert_eq!(
        entetes
            .iter()
            .filter(|e| e.starts_with('A') && e.contains(" , "))
            .count(),
        48
    );
    assert!(entetes.contains(
        &"A4.1.7 , Développement, utilisation ou adaptation de composants logiciels".to_string()
    ));
    let colonne = |code: &str| {
        entetes
            .iter()
            .position(|e| e.starts_with(&format!("{code} ,")))
            .map(|c| c as u32)
    };
    let k = modele(&classeur);
    let r = k.realisations_de("020000101").next().unwrap();
    let l = (0..f.height() as u32)
        .find(|&l| texte(&f, l, 0).starts_with(r.intitule.texte.as_str()))
        .unwrap();
    let mut cochees = 0;
    for code in r.codes_coches() {
        let c = match code.strip_prefix("SO") {
            Some(n) => n.parse::<u32>().unwrap(),
            None => colonne(code).unwrap(),
        };
        assert_eq!(texte(&f, l, c), "X", "{code}");
        cochees += 1;
    }
    let x = (1..entetes.len() as u32)
        .filter(|&c| texte(&f, l, c) == "X")
        .count();
    assert_eq!(x, cochees);
    let pied = texte(&f, f.end().unwrap().0, 0);
    assert!(
        pied.starts_with(
            "Je soussigné-e Claire FONTAINE, formatrice (formateur) au centre de formation"
        ),
        "{pied}"
    );
}

#[test]
fn class_workbook_counts_coverage_and_gaps() {
    let mut t = Tables::exemple(2026);
    let numero = t.get("Candidats", 2, "N° candidat");
    t.set("Réalisations", t.realisation(&numero, 2), "B1.4", "");
    t.set("Réalisations", t.realisation(&numero, 3), "B1.4", "");
    let dir = commun::temp();
    let classeur = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&classeur);
    generer(&classeur, &dir.path().join("s"), &["--forcer"]);
    let chemin = dir.path().join("s/BTS SIO 26/classe-synthese.xlsx");
    let k = modele(&classeur);

    let sisr = feuille(&chemin, "SISR");
    let entetes: Vec<String> = (0..sisr.width() as u32)
        .map(|c| texte(&sisr, 0, c))
        .collect();
    assert_eq!(&entetes[..4], ["N° candidat", "NOM", "Prénom", "B1.1"]);
    assert!(
        entetes.contains(&"B2.SISR.3".to_string()) && !entetes.contains(&"B2.SLAM.1".to_string())
    );
    let l = (1..sisr.height() as u32)
        .find(|&l| texte(&sisr, l, 0) == numero)
        .unwrap();
    let couverture = entetes.iter().position(|e| e == "Couverture").unwrap() as u32;
    let mut couverts = 0;
    for (c, code) in entetes
        .iter()
        .enumerate()
        .skip(3)
        .take(couverture as usize - 3)
    {
        let attendu = k
            .realisations_de(&numero)
            .filter(|r| r.codes_coches().any(|x| x == code))
            .count();
        assert_eq!(
            sisr.get_value((l, c as u32)),
            Some(&Data::Float(attendu as f64)),
            "{code}"
        );
        couverts += usize::from(attendu > 0);
    }
    assert_eq!(texte(&sisr, l, 6), "0", "B1.4 n'est plus coché");
    let Some(Data::Float(taux)) = sisr.get_value((l, couverture)) else {
        panic!()
    };
    assert!((taux - couverts as f64 / 9.0).abs() < 1e-9);
    assert_eq!(sisr.get_value((l, couverture + 1)), Some(&Data::Float(7.0)));
    // Below the table (written after every candidate's row): the share of the option's
    // candidates that cover each item.
    let sous = (1..sisr.height() as u32)
        .find(|&l| texte(&sisr, l, 0) == "Couverture par élément")
        .unwrap();
    let inscrits: Vec<String> = (1..sous - 1).map(|l| texte(&sisr, l, 0)).collect();
    let b14 = inscrits
        .iter()
        .filter(|n| {
            k.realisations_de(n)
                .any(|r| r.codes_coches().any(|x| x == "B1.4"))
        })
        .count();
    assert!(b14 < inscrits.len(), "un candidat ne couvre plus B1.4");
    let Some(Data::Float(part)) = sisr.get_value((sous, 6)) else {
        panic!()
    };
    assert!((part - b14 as f64 / inscrits.len() as f64).abs() < 1e-9);

    let manques = feuille(&chemin, "Manques");
    let lignes: Vec<(String, String, String)> = (1..manques.height() as u32)
        .map(|l| {
            (
                texte(&manques, l, 0),
                texte(&manques, l, 4),
                texte(&manques, l, 5),
            )
        })
        .filter(|(n, _, _)| *n == numero)
        .collect();
    assert!(
        lignes.iter().any(|(_, m, d)| m == "élément non couvert"
            && d.starts_with("B1.4 Travailler en mode projet")),
        "{lignes:?}"
    );
    assert!(
        lignes
            .iter()
            .any(|(_, m, d)| m == "bloc1-competence-manquante (erreur)"
                && d.starts_with("Candidats!A2 : ")),
        "{lignes:?}"
    );
    // Nobody else misses anything.
    assert!((1..manques.height() as u32).all(|l| texte(&manques, l, 0) == numero));

    let realisations = feuille(&chemin, "Réalisations");
    assert_eq!(realisations.height(), 1 + 98);
    assert_eq!(texte(&realisations, 0, 12), "B1.1");
    let parametres = feuille(&chemin, "Paramètres");
    assert_eq!(
        (
            texte(&parametres, 0, 0).as_str(),
            texte(&parametres, 0, 1).as_str()
        ),
        ("Session", "2026")
    );
}

/// A teacher opening the tableau must see the official form on one page.
#[test]
fn libreoffice_prints_the_tableau_on_one_page() {
    // Required, never skipped: ./tester.sh installs LibreOffice when it is missing.
    assert!(
        Command::new("soffice").arg("--version").output().is_ok(),
        "LibreOffice (soffice) est nécessaire à ce test : lancez ./tester.sh, qui l'installe"
    );
    let dir = commun::temp();
    generer(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx"),
        &dir.path().join("s"),
        &["--formats", "xlsx"],
    );
    let xlsx =
        dossier(&dir.path().join("s"), "BTS SIO 26", "MARTIN_").join("tableau-de-synthese.xlsx");
    let profil = format!("-env:UserInstallation=file://{}/lo", dir.path().display());
    let o = Command::new("soffice")
        .args(["--headless", &profil, "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&xlsx)
        .output()
        .unwrap();
    let pdf = dir.path().join("tableau-de-synthese.pdf");
    assert!(pdf.is_file(), "{}", String::from_utf8_lossy(&o.stderr));
    let info =
        String::from_utf8(Command::new("pdfinfo").arg(&pdf).output().unwrap().stdout).unwrap();
    assert!(info.contains("Pages:           1"), "{info}");
    let texte = String::from_utf8(
        Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(texte.contains("MARTIN Léa"), "{texte}");
}

/// The sheet XML of the first worksheet and the workbook XML of an XLSX.
fn xml_de(xlsx: &Path) -> (String, String) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut lire = |nom: &str| {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name(nom).unwrap(), &mut s).unwrap();
        s
    };
    (lire("xl/worksheets/sheet1.xml"), lire("xl/workbook.xml"))
}

/// The row heights, print setup and rules of the official 2019 sheet (official-layouts.md §1).
#[test]
fn tableau_2019_rows_print_setup_and_rules_as_the_official() {
    let dir = commun::temp();
    let classeur = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
    generer(&classeur, &dir.path().join("s"), &["--formats", "xlsx"]);
    let martin = dossier(&dir.path().join("s"), "BTS SIO 26", "MARTIN_");
    let (feuille, classeur_xml) = xml_de(&martin.join("tableau-de-synthese.xlsx"));
    let hauteur = |ligne: u32| -> f64 {
        let debut = feuille.find(&format!("<row r=\"{ligne}\"")).unwrap();
        let row = &feuille[debut..debut + feuille[debut..].find('>').unwrap()];
        let ht = row.find("ht=\"").unwrap() + 4;
        row[ht..].split('"').next().unwrap().parse().unwrap()
    };
    // Heights are stored to the pixel (40 pt → 39.75).
    let environ =
        |l: u32, h: f64| assert!((hauteur(l) - h).abs() < 0.5, "ligne {l} : {}", hauteur(l));
    for l in 3..=5 {
        environ(l, 40.0);
    }
    environ(6, 90.0);
    environ(7, 325.0);
    // The ten formation rows, of equal height, and the seven of each year.
    for l in (9..=18).chain(20..=26).chain(28..=34) {
        environ(l, 40.0);
    }
    assert!(
        classeur_xml.contains("'Tableau de synthèse Épreuve E5'!$A$1:$H$35"),
        "{classeur_xml}"
    );
    assert!(
        feuille.contains("fitToHeight=\"1\"") || feuille.contains("<pageSetUpPr fitToPage=\"1\"/>")
    );
    assert!(
        feuille.contains("horizontalCentered=\"1\"") && feuille.contains("verticalCentered=\"1\"")
    );
    assert!(feuille.contains("left=\"0.197\""), "marges de 0,5 cm");
}
