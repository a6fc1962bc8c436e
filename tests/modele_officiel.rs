//! `generer --modele-officiel`: the circulaire's own file filled by its landmarks, read back
//! with calamine and compared with the template cell by cell; rows inserted where a part
//! overflows; refusal of a file without its landmarks; the ODS template; LibreOffice's print.

mod commun;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Output;

use calamine::{Data, Reader};
use commun::Tables;
use commun::officiel::{Grille2011, modele_vierge_2019};

const FEUILLE: &str = "Tableau de synthèse Épreuve E5";

use commun::generer;

/// `generer --modele-officiel modele --formats xlsx`: the official copies only.
fn remplir(classeur: &Path, sortie: &Path, modele: &Path) -> Output {
    generer(
        classeur,
        sortie,
        &[
            "--modele-officiel",
            modele.to_str().unwrap(),
            "--formats",
            "xlsx",
        ],
    )
}

/// Every non-empty cell of a sheet: (row, column) 0-based → text.
fn cellules(chemin: &Path, feuille: &str) -> BTreeMap<(usize, usize), String> {
    let mut wb = calamine::open_workbook_auto(chemin).unwrap();
    let r = wb.worksheet_range(feuille).unwrap();
    let (l0, c0) = r.start().unwrap_or((0, 0));
    let mut v = BTreeMap::new();
    for (l, ligne) in r.rows().enumerate() {
        for (c, d) in ligne.iter().enumerate() {
            if !matches!(d, Data::Empty) {
                v.insert((l + l0 as usize, c + c0 as usize), d.to_string());
            }
        }
    }
    v
}

fn partie_xml(xlsx: &Path, nom: &str) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(xlsx).unwrap()).unwrap();
    let mut s = String::new();
    z.by_name(nom).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn entre<'a>(xml: &'a str, debut: &str, fin: &str) -> &'a str {
    let i = xml.find(debut).unwrap_or(0);
    let j = xml[i..].find(fin).map_or(xml.len(), |j| i + j + fin.len());
    &xml[i..j]
}

fn dossier_candidat(sortie: &Path, debut: &str) -> PathBuf {
    commun::dossier_candidat(sortie, None, debut)
}

/// The example class, MARTIN Léa with `supplementaires` more réalisations in formation.
fn classe(dir: &Path, session: u16, supplementaires: usize) -> PathBuf {
    let mut t = Tables::exemple(session);
    let numero = t.get("Candidats", 2, "N° candidat");
    let premiere = t.realisation(&numero, 0);
    for i in 0..supplementaires {
        let l = t.dupliquer("Réalisations", premiere);
        t.set(
            "Réalisations",
            l,
            "Intitulé",
            &format!("Réalisation ajoutée {i}"),
        );
    }
    let chemin = dir.join("classe.xlsx");
    t.ecrire_xlsx(&chemin);
    chemin
}

#[test]
fn each_value_in_its_cell_and_everything_else_unchanged() {
    let dir = commun::temp();
    let modele = dir.path().join("Annexe VI-1 - Tableau de synthèse.xlsx");
    modele_vierge_2019(&modele, "SESSION 20xx", false);
    let classeur = classe(dir.path(), 2026, 0);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &modele);
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    assert!(
        erreurs.contains("Tableaux de synthèse écrits dans des copies de"),
        "{erreurs}"
    );
    let rempli = dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese.xlsx");
    let avant = cellules(&modele, FEUILLE);
    let apres = cellules(&rempli, FEUILLE);
    let k = commun::Tables::exemple(2026).charger().classeur.unwrap();
    let lea = &k.candidats[0];
    // The header, after each label, in its own cell.
    let attendus = [
        ((0, 6), "SESSION 2026".to_string()),
        ((2, 0), "NOM et prénom : MARTIN Léa".to_string()),
        ((2, 5), format!("N° candidat : {}", lea.numero.texte)),
        (
            (3, 0),
            "Centre de formation : Lycée Jules-Verne (fictif), Nantes".to_string(),
        ),
        ((3, 6), "☒ SISR".to_string()),
        ((3, 7), "▢ SLAM".to_string()),
        (
            (4, 0),
            "Adresse URL du portfolio : https://portfolio.exemple.fr/lea-martin".to_string(),
        ),
    ];
    for (cellule, texte) in &attendus {
        assert_eq!(apres.get(cellule), Some(texte), "cellule {cellule:?}");
    }
    // The réalisations in their part's rows: formation from row 9, first year from row 20,
    // second year from row 28 (1-based), ticks under their compétence.
    let mut ecrites: Vec<(usize, usize)> = attendus.iter().map(|(c, _)| *c).collect();
    let codes = ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5", "B1.6"];
    for (partie, premiere) in siodoc::classeur::Partie::TOUTES
        .iter()
        .zip([8usize, 19, 27])
    {
        for (j, r) in k
            .realisations_de(&lea.numero.texte)
            .filter(|r| r.partie() == Some(*partie))
            .enumerate()
        {
            let l = premiere + j;
            assert_eq!(
                apres[&(l, 0)],
                format!("{}\n{}", r.intitule.texte, r.documents.texte)
            );
            assert!(apres[&(l, 1)].starts_with("du "), "période ligne {}", l + 1);
            ecrites.extend([(l, 0), (l, 1)]);
            for (c, code) in codes.iter().enumerate() {
                let coche = r.codes_coches().any(|x| x == *code);
                assert_eq!(
                    apres.get(&(l, 2 + c)).map(String::as_str),
                    coche.then_some("X"),
                    "{code} ligne {}",
                    l + 1
                );
                if coche {
                    ecrites.push((l, 2 + c));
                }
            }
        }
    }
    // Every other cell is the template's.
    for (cellule, texte) in &avant {
        if !ecrites.contains(cellule) {
            assert_eq!(
                apres.get(cellule),
                Some(texte),
                "cellule {cellule:?} modifiée"
            );
        }
    }
    for cellule in apres.keys() {
        assert!(
            ecrites.contains(cellule) || avant.contains_key(cellule),
            "cellule {cellule:?} ajoutée"
        );
    }
    // Merges, columns, print setup, the other sheet and the defined names are the template's.
    let (xa, xb) = (
        partie_xml(&modele, "xl/worksheets/sheet1.xml"),
        partie_xml(&rempli, "xl/worksheets/sheet1.xml"),
    );
    for (debut, fin) in [
        ("<mergeCells", "</mergeCells>"),
        ("<cols>", "</cols>"),
        ("<pageSetup", "/>"),
        ("<pageMargins", "/>"),
        ("<sheetPr", "</sheetPr>"),
    ] {
        assert_eq!(entre(&xa, debut, fin), entre(&xb, debut, fin), "{debut}");
    }
    for partie in [
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/worksheets/sheet2.xml",
        "xl/sharedStrings.xml",
    ] {
        assert_eq!(
            partie_xml(&modele, partie),
            partie_xml(&rempli, partie),
            "{partie}"
        );
    }
    assert_eq!(cellules(&modele, "Notice"), cellules(&rempli, "Notice"));
    // The cells written keep their style (borders, fonts).
    assert!(xb.contains(r#"<c r="A9" s=""#), "style de A9 perdu");
    // Reproducible.
    let sortie2 = dir.path().join("s2");
    assert!(remplir(&classeur, &sortie2, &modele).status.success());
    assert_eq!(
        std::fs::read(&rempli).unwrap(),
        std::fs::read(dossier_candidat(&sortie2, "MARTIN_").join("tableau-de-synthese.xlsx"))
            .unwrap()
    );
}

#[test]
fn an_overflowing_part_gets_rows_and_what_follows_moves_down() {
    let dir = commun::temp();
    let modele = dir.path().join("modele.xlsx");
    modele_vierge_2019(&modele, "SESSION 2026", false);
    // MARTIN has 3 réalisations in formation: 11 more make 14 for 10 rows.
    let classeur = classe(dir.path(), 2026, 11);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &modele);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rempli = dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese.xlsx");
    let c = cellules(&rempli, FEUILLE);
    for i in 0..11 {
        assert!(
            c.values()
                .any(|v| v.starts_with(&format!("Réalisation ajoutée {i}\n"))),
            "réalisation {i} perdue"
        );
    }
    // The first year's title moved from row 19 to row 23, the second year's from 27 to 31.
    assert_eq!(
        c[&(22, 0)],
        "Réalisations en milieu professionnel en cours de première année"
    );
    assert_eq!(
        c[&(30, 0)],
        "Réalisations en milieu professionnel en cours de seconde année"
    );
    assert!(
        c[&(21, 0)].starts_with("Réalisation ajoutée"),
        "la 14e réalisation sur la dernière ligne ajoutée"
    );
    let xml = partie_xml(&rempli, "xl/worksheets/sheet1.xml");
    // Merges below moved, new rows as high as the template's.
    assert!(
        xml.contains(r#"<mergeCell ref="A23:H23"/>"#)
            && xml.contains(r#"<mergeCell ref="A31:H31"/>"#),
        "{}",
        entre(&xml, "<mergeCells", "</mergeCells>")
    );
    assert!(!xml.contains(r#"<mergeCell ref="A19:H19"/>"#));
    for ligne in 19..=22 {
        let debut = xml.find(&format!("<row r=\"{ligne}\"")).unwrap();
        let tete = &xml[debut..debut + xml[debut..].find('>').unwrap()];
        assert!(
            tete.contains("ht=\"40\"") || tete.contains("ht=\"39.75\""),
            "ligne {ligne} : {tete}"
        );
    }
    // Print area and names shifted; still one page.
    let wb = partie_xml(&rempli, "xl/workbook.xml");
    assert!(wb.contains("$A$1:$H$39"), "{wb}");
    assert!(wb.contains("$B$9:$B$38"), "{wb}");
    assert!(xml.contains("fitToPage=\"1\""));
    // Other candidates: nothing inserted.
    let autre = dossier_candidat(&sortie, "BERNARD_").join("tableau-de-synthese.xlsx");
    assert!(partie_xml(&autre, "xl/workbook.xml").contains("$A$1:$H$35"));
}

#[test]
fn the_2022_template_without_url_row_is_filled_with_a_warning() {
    let dir = commun::temp();
    let modele = dir.path().join("modele-2022.xlsx");
    modele_vierge_2019(&modele, "SESSION 2026", true);
    let classeur = classe(dir.path(), 2026, 0);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &modele);
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    assert_eq!(
        erreurs
            .matches("n'a pas de ligne « Adresse URL du portfolio » (modèle 2022)")
            .count(),
        1,
        "{erreurs}"
    );
    let c = cellules(
        &dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese.xlsx"),
        FEUILLE,
    );
    assert_eq!(c[&(2, 0)], "NOM et prénom : MARTIN Léa");
    // Everything one row higher: the formation title on row 7, its first réalisation row 8.
    assert_eq!(c[&(6, 0)], "Réalisation en cours de formation");
    assert!(c[&(7, 0)].starts_with("Mise en place d'un serveur DHCP redondant"));
    assert!(!c.values().any(|v| v.contains("portfolio.exemple.fr")));
}

/// An XLSM template gives XLSM copies, its other parts (macros) copied as they are.
#[test]
fn an_xlsm_template_gives_xlsm_copies() {
    let dir = commun::temp();
    let xlsx = dir.path().join("modele.xlsx");
    modele_vierge_2019(&xlsx, "SESSION 2026", false);
    let modele = dir.path().join("Annexe VI-1.xlsm");
    std::fs::copy(&xlsx, &modele).unwrap();
    let classeur = classe(dir.path(), 2026, 0);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &modele);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let martin = dossier_candidat(&sortie, "MARTIN_");
    assert!(!martin.join("tableau-de-synthese.xlsx").exists());
    let c = cellules(&martin.join("tableau-de-synthese.xlsm"), FEUILLE);
    assert_eq!(c[&(2, 0)], "NOM et prénom : MARTIN Léa");
    let index = std::fs::read_to_string(sortie.join("BTS SIO 26/siodoc-index.json")).unwrap();
    assert!(index.contains("tableau-de-synthese.xlsm"), "{index}");
}

#[test]
fn a_session_that_differs_is_a_warning() {
    let dir = commun::temp();
    let modele = dir.path().join("modele.xlsx");
    modele_vierge_2019(&modele, "SESSION 2025", false);
    let classeur = classe(dir.path(), 2026, 0);
    let o = remplir(&classeur, &dir.path().join("s"), &modele);
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    assert!(erreurs.contains("le modèle est celui de la session 2025 (Tableau de synthèse Épreuve E5!G1) et la classe est de la session 2026"), "{erreurs}");
    let c = cellules(
        &dossier_candidat(&dir.path().join("s"), "MARTIN_").join("tableau-de-synthese.xlsx"),
        FEUILLE,
    );
    assert_eq!(c[&(0, 6)], "SESSION 2026");
}

#[test]
fn a_template_without_its_landmarks_is_refused_naming_them_before_anything_is_written() {
    let dir = commun::temp();
    let modele = dir.path().join("modele.xlsx");
    modele_vierge_2019(&modele, "SESSION 2026", false);
    // The same template with « Centre de formation » and the part titles renamed.
    let mut tableau = commun::officiel::Tableau2019::nouveau("", "", "");
    tableau.centre = commun::officiel::t("Établissement :");
    let sans_centre = dir.path().join("sans-centre.xlsx");
    tableau.ecrire(&sans_centre);
    let classeur = classe(dir.path(), 2026, 0);
    let sortie = dir.path().join("s");
    let o = generer(
        &classeur,
        &sortie,
        &["--modele-officiel", sans_centre.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(
        erreurs.contains("repère introuvable : « Centre de formation » ; ce fichier est-il le tableau de synthèse de la circulaire ?"),
        "{erreurs}"
    );
    assert!(erreurs.contains("sans-centre.xlsx"), "{erreurs}");
    assert!(!sortie.exists(), "rien ne doit être écrit");
    // Not a tableau at all: the class workbook itself.
    let o = generer(
        &classeur,
        &sortie,
        &["--modele-officiel", classeur.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(
        erreurs.contains(
            "c'est un classeur de classe de siodoc, pas le tableau de synthèse de la circulaire"
        ),
        "{erreurs}"
    );
    // A candidate's filled copy: another candidate's réalisations would stay under.
    let o = generer(
        &classeur,
        &sortie,
        &[
            "--modele-officiel",
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/donnees/officiels/martin.ods")
                .to_str()
                .unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(
        erreurs.contains("ce tableau est déjà rempli (Tableau de synthèse Épreuve E5!A9 : « "),
        "{erreurs}"
    );
    // A 2011 grid for a 2019 class.
    let grille = dir.path().join("grille.xlsx");
    Grille2011 {
        session: 2020,
        nom: String::new(),
        numero: String::new(),
        option: "SISR",
        situations: Vec::new(),
    }
    .ecrire(&grille);
    let o = generer(
        &classeur,
        &sortie,
        &["--modele-officiel", grille.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("référentiel sio-2011 et la classe relève du référentiel sio-2019"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!sortie.exists());
}

#[test]
fn the_2011_grid_of_each_parcours_is_filled_on_its_own_sheet() {
    let dir = commun::temp();
    let grille = dir.path().join("grille-2011.xlsx");
    Grille2011 {
        session: 2020,
        nom: String::new(),
        numero: String::new(),
        option: "SISR",
        situations: Vec::new(),
    }
    .ecrire(&grille);
    let classeur = classe(dir.path(), 2020, 0);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &grille);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rempli = dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese.xlsx");
    let sisr = cellules(&rempli, "tableau de synthèse SISR");
    assert_eq!(
        sisr[&(0, 0)],
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION 2020 - TABLEAU DE SYNTHESE"
    );
    assert_eq!(sisr[&(1, 0)], "NOM et Prénom du candidat : MARTIN Léa");
    assert!(sisr[&(1, 40)].starts_with("N° du candidat : 0200001"));
    assert!(sisr[&(5, 0)].starts_with("Mise en place d'un serveur DHCP redondant"));
    assert!(sisr[&(5, 5)].contains('/'), "période MM/AA");
    let pied = sisr
        .values()
        .find(|v| v.starts_with("Je soussigné-e"))
        .unwrap();
    assert!(pied.starts_with("Je soussigné-e Claire FONTAINE, formatrice (formateur) au centre de formation Lycée Jules-Verne (fictif), Nantes, certifie"), "{pied}");
    // The SLAM sheet is the template's.
    assert_eq!(
        cellules(&grille, "tableau de synthèse SLAM"),
        cellules(&rempli, "tableau de synthèse SLAM")
    );
}

#[test]
fn the_ods_template_is_filled_as_an_ods() {
    let dir = commun::temp();
    let modele = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/donnees/officiels/modele-vierge-2026.ods");
    let classeur = classe(dir.path(), 2026, 11);
    let sortie = dir.path().join("s");
    let o = remplir(&classeur, &sortie, &modele);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rempli = dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese.ods");
    assert!(rempli.is_file());
    let octets = std::fs::read(&rempli).unwrap();
    assert_eq!(
        &octets[30..68],
        b"mimetypeapplication/vnd.oasis.opendocu",
        "mimetype d'abord, non compressé"
    );
    let c = cellules(&rempli, FEUILLE);
    assert_eq!(c[&(2, 0)], "NOM et prénom : MARTIN Léa");
    assert_eq!(c[&(3, 6)], "☒ SISR");
    assert_eq!(
        c[&(22, 0)],
        "Réalisations en milieu professionnel en cours de première année"
    );
    for i in 0..11 {
        assert!(
            c.values()
                .any(|v| v.starts_with(&format!("Réalisation ajoutée {i}\n"))),
            "réalisation {i} perdue"
        );
    }
    let avant = cellules(&modele, FEUILLE);
    // Above the parts, only the header cells changed.
    for ((l, col), texte) in &avant {
        if *l < 7 && ![(0, 6), (2, 0), (2, 5), (3, 0), (3, 6), (3, 7), (4, 0)].contains(&(*l, *col))
        {
            assert_eq!(c.get(&(*l, *col)), Some(texte));
        }
    }
    let contenu = {
        let mut z = zip::ZipArchive::new(std::fs::File::open(&rempli).unwrap()).unwrap();
        let mut s = String::new();
        z.by_name("content.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(
        contenu.contains("$H$39") || contenu.contains(".H39"),
        "zone d'impression décalée"
    );
}

/// LibreOffice prints a filled copy, even with rows inserted, on one page (skipped, and said,
/// where LibreOffice is not installed).
#[test]
fn libreoffice_prints_the_filled_copy_on_one_page() {
    if siodoc::rendu::officiel::pdf::soffice().is_none() {
        eprintln!("test ignoré : LibreOffice (soffice) n'est pas installé");
        return;
    }
    let dir = commun::temp();
    let modele = dir.path().join("modele.xlsx");
    modele_vierge_2019(&modele, "SESSION 2026", false);
    let classeur = classe(dir.path(), 2026, 11);
    let sortie = dir.path().join("s");
    let o = generer(
        &classeur,
        &sortie,
        &[
            "--modele-officiel",
            modele.to_str().unwrap(),
            "--pdf-officiel",
        ],
    );
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    let pdf = dossier_candidat(&sortie, "MARTIN_").join("tableau-de-synthese-officiel.pdf");
    // The tableau on the first page, whole; the template's « Notice » sheet on the second.
    assert_eq!(commun::pdf::pages(&pdf), 2);
    let page = commun::pdf::texte_page(&pdf, 1);
    for attendu in [
        "NOM et prénom : MARTIN Léa",
        "Réalisation ajoutée 10",
        "Réalisations en milieu professionnel en cours de seconde année",
        "Segmentation du réseau en VLAN",
    ] {
        assert!(page.contains(attendu), "« {attendu} » : {page}");
    }
    assert!(commun::pdf::texte_page(&pdf, 2).contains("Remplir une ligne par réalisation."));
    // siodoc's own PDF is still there, beside it.
    assert!(
        dossier_candidat(&sortie, "MARTIN_")
            .join("tableau-de-synthese.pdf")
            .is_file()
    );
}

#[test]
fn pdf_officiel_needs_modele_officiel() {
    let dir = commun::temp();
    let classeur = classe(dir.path(), 2026, 0);
    let o = generer(&classeur, &dir.path().join("s"), &["--pdf-officiel"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("passez aussi --modele-officiel FICHIER"));
}

/// Writes the ODS fixture: the blank template built here, converted by LibreOffice
/// (tests/donnees/officiels/regenerer.sh).
#[test]
#[ignore = "écrit la copie XLSX du modèle vierge que regenerer.sh convertit en ODS"]
fn ecrire_le_modele_vierge() {
    let dossier = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/donnees/officiels");
    modele_vierge_2019(
        &dossier.join("modele-vierge-2026.xlsx"),
        "SESSION 20xx",
        false,
    );
}
