//! `siodoc importer`: candidates' filled official tableaux (built here from official-layouts.md,
//! with every quirk family of §5) become a class workbook, read back with calamine cell by cell;
//! then `verifier` on it gives exactly the expected diagnostics.

mod commun;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, DataType, Reader, open_workbook_auto};
use commun::officiel::{Grille2011, Ligne, Tableau2019, V, ligne, t};
use commun::{siodoc_bin, temp};

fn siodoc(args: &[&str]) -> Output {
    let o = Command::new(siodoc_bin()).args(args).output().unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!e.contains("panicked"), "{e}");
    o
}

fn sortie(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn importer(entrees: &[&Path], classe: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["importer".to_string()];
    args.extend(entrees.iter().map(|p| p.display().to_string()));
    args.extend(["-o".to_string(), classe.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    siodoc(&refs)
}

fn texte(d: &Data) -> String {
    match d {
        Data::DateTime(_) => d
            .as_date()
            .map(|x| x.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        autre => autre.to_string(),
    }
}

/// A sheet of the class workbook as rows of (header → text), header row first.
fn feuille(classeur: &Path, nom: &str) -> Vec<BTreeMap<String, String>> {
    let mut wb = open_workbook_auto(classeur).unwrap();
    let r = wb.worksheet_range(nom).unwrap();
    let mut lignes = r.rows();
    let entetes: Vec<String> = lignes.next().unwrap().iter().map(texte).collect();
    lignes
        .map(|l| {
            entetes
                .iter()
                .zip(l.iter())
                .filter(|(_, v)| !matches!(v, Data::Empty))
                .map(|(h, v)| (h.split(" , ").next().unwrap().to_string(), texte(v)))
                .collect()
        })
        .filter(|m: &BTreeMap<String, String>| !m.is_empty())
        .collect()
}

/// The (rule, position) pairs `siodoc verifier` gives on a file, sorted.
fn diagnostics(fichier: &Path, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["verifier", fichier.to_str().unwrap(), "--format", "json"];
    args.extend(extra);
    let o = siodoc(&args);
    let v: serde_json::Value =
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e} : {}", sortie(&o)));
    let mut d: Vec<(String, String)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["regle"].as_str().unwrap().to_string(),
                d["position"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    d.sort();
    d
}

fn paires(v: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = v
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

fn m(v: &[(&str, &str)]) -> BTreeMap<String, String> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

const X6: [&str; 6] = ["X", "X", "X", "X", "X", "X"];

/// A complete candidate: every compétence covered, one réalisation per part.
fn complet(nom: &str, numero: &str, option: &str) -> Tableau2019 {
    Tableau2019::nouveau(nom, numero, option)
        .partie(
            0,
            vec![ligne(
                "Serveur DHCP\nProcédure ; schéma",
                "du 02/10/2025 au 15/12/2025",
                ["X", "", "X", "", "", "X"],
            )],
        )
        .partie(
            1,
            vec![ligne(
                "Annuaire AD",
                "06/01/2025 au 14/02/2025",
                ["", "X", "", "X", "", ""],
            )],
        )
        .partie(
            2,
            vec![ligne(
                "Supervision",
                "05/01/2026 - 13/02/2026",
                ["", "", "", "", "X", ""],
            )],
        )
}

#[test]
fn two_standard_tableaux_become_a_class_cell_by_cell() {
    let dir = temp();
    let a = dir.path().join("martin.xlsx");
    let b = dir.path().join("bernard.xlsx");
    complet("MARTIN Léa", "02600010101", "SISR").ecrire(&a);
    complet("Hugo BERNARD", "02600010102", "SLAM").ecrire(&b);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[dir.path()], &classe, &[]);
    let s = sortie(&o);
    assert_eq!(o.status.code(), Some(1), "{s}");
    let lignes: Vec<&str> = s.lines().collect();
    assert_eq!(
        lignes[0],
        format!(
            "importé : BERNARD Hugo (02600010102), 1 + 1 + 1 réalisations, option SLAM — {} [tableau de synthèse 2019]",
            b.display()
        )
    );
    assert_eq!(
        lignes[1],
        format!(
            "importé : MARTIN Léa (02600010101), 1 + 1 + 1 réalisations, option SISR — {} [tableau de synthèse 2019]",
            a.display()
        )
    );
    // Plain files: nothing guessed, so nothing reported between the files and the summary.
    assert!(lignes[2].starts_with("Classeur de classe écrit : "), "{s}");

    assert_eq!(
        feuille(&classe, "Candidats"),
        vec![
            m(&[
                ("N° candidat", "02600010102"),
                ("NOM", "BERNARD"),
                ("Prénom", "Hugo"),
                ("Option", "SLAM"),
                (
                    "Adresse URL du portfolio",
                    "https://portfolio.exemple.fr/candidat"
                )
            ]),
            m(&[
                ("N° candidat", "02600010101"),
                ("NOM", "MARTIN"),
                ("Prénom", "Léa"),
                ("Option", "SISR"),
                (
                    "Adresse URL du portfolio",
                    "https://portfolio.exemple.fr/candidat"
                )
            ]),
        ]
    );
    let r = feuille(&classe, "Réalisations");
    assert_eq!(r.len(), 6);
    assert_eq!(
        r[3],
        m(&[
            ("N° candidat", "02600010101"),
            ("Partie", "En formation"),
            ("Intitulé", "Serveur DHCP"),
            ("Documents et productions associés", "Procédure ; schéma"),
            ("Début", "02/10/2025"),
            ("Fin", "15/12/2025"),
            ("B1.1", "X"),
            ("B1.3", "X"),
            ("B1.6", "X"),
        ])
    );
    assert_eq!(r[4]["Partie"], "Milieu professionnel 1re année");
    assert_eq!(r[5]["Partie"], "Milieu professionnel 2de année");
    assert_eq!(
        (r[5]["Début"].as_str(), r[5]["Fin"].as_str()),
        ("05/01/2026", "13/02/2026")
    );
    assert_eq!(
        feuille(&classe, "Fiches"),
        vec![
            m(&[("N° candidat", "02600010102"), ("Fiche n°", "1")]),
            m(&[("N° candidat", "02600010102"), ("Fiche n°", "2")]),
            m(&[("N° candidat", "02600010101"), ("Fiche n°", "1")]),
            m(&[("N° candidat", "02600010101"), ("Fiche n°", "2")]),
        ]
    );
    // What remains: the class, and which réalisations the two fiches describe.
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            ("parametre-vide", "Paramètres!B4"),
            ("fiches-nombre", "Candidats!A2"),
            ("fiches-nombre", "Candidats!A3"),
        ])
    );
    // An existing workbook is kept without --ecraser.
    let o = importer(&[dir.path()], &classe, &[]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn every_option_form_of_filled_copies() {
    let dir = temp();
    let cas: [(&str, V, V, Option<&str>); 10] = [
        ("a", t("X SISR "), t("▢ SLAM"), Some("SISR")),
        ("b", t("▢ SISR"), t("x SLAM"), Some("SLAM")),
        ("c", t("X  SLAM"), t(""), Some("SLAM")),
        ("d", t("☑ SISR"), t("▢ SLAM"), Some("SISR")),
        ("e", t("\u{200B}☒\u{00A0}SISR"), t("▢ SLAM"), Some("SISR")),
        ("f", t("þ SISR"), t("▢ SLAM"), Some("SISR")),
        ("g", t("SLAM"), t(""), Some("SLAM")),
        ("h", t("▣ SISR"), t("▢ SLAM"), Some("SISR")),
        ("i", t("▢ SISR"), V::Barre("▢ SLAM".into()), Some("SISR")),
        ("j", t("▢ SISR"), t("▢ SLAM"), None),
    ];
    for (i, (nom, sisr, slam, _)) in cas.iter().enumerate() {
        let mut tab = complet(&format!("CANDIDAT {nom}"), &format!("0260001020{i}"), "");
        tab.option_sisr = sisr.clone();
        tab.option_slam = slam.clone();
        tab.ecrire(&dir.path().join(format!("{nom}.xlsx")));
    }
    let classe = dir.path().join("sortie").join("classe.xlsx");
    std::fs::create_dir(dir.path().join("sortie")).unwrap();
    let o = importer(&[dir.path()], &classe, &[]);
    let s = sortie(&o);
    let candidats = feuille(&classe, "Candidats");
    for (i, (nom, _, _, attendu)) in cas.iter().enumerate() {
        let c = candidats
            .iter()
            .find(|c| c["N° candidat"] == format!("0260001020{i}"))
            .unwrap();
        assert_eq!(c.get("Option").map(String::as_str), *attendu, "{nom}");
    }
    assert!(s.contains("[import-option-nom] : seul le nom de l'option SLAM est écrit (sans case) : lue comme l'option choisie"), "{s}");
    assert!(
        s.contains("[import-option-barree] : l'option SLAM est barrée : lue comme l'option SISR"),
        "{s}"
    );
    assert!(s.contains("j.xlsx › Tableau de synthèse Épreuve E5!F4 : erreur [import-option] : aucune option n'est cochée"), "{s}");
}

#[test]
fn marks_padded_lowercase_sub_item_codes_and_unknown_marks() {
    let dir = temp();
    let f = dir.path().join("marques.xlsx");
    Tableau2019::nouveau("PETIT Lucas", "02600010104", "SLAM")
        .partie(
            0,
            vec![
                ligne(
                    "Réalisation une",
                    "02/10/2025",
                    [" X ", "x", "   ", "", "", ""],
                ),
                ligne(
                    "Réalisation deux",
                    "",
                    ["B1.6.4", "", "B 1-2", "B1", "v", ""],
                ),
            ],
        )
        .ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    let r = feuille(&classe, "Réalisations");
    assert_eq!(r[0].get("B1.1").map(String::as_str), Some("X"));
    assert_eq!(r[0].get("B1.2").map(String::as_str), Some("X"));
    assert_eq!(r[0].get("B1.3"), None, "a cell of spaces does not tick");
    // B1.6.4 written under B1.1 counts for B1.6; « B 1-2 » under B1.3 for B1.2; « B1 » under
    // B1.4 ticks B1.4; « v » stays as written.
    assert_eq!(
        [&"B1.1", &"B1.2", &"B1.3", &"B1.4", &"B1.6"]
            .map(|c| r[1].get(*c).cloned().unwrap_or_default()),
        ["", "X", "", "X", "X"].map(String::from)
    );
    assert_eq!(r[1].get("B1.6").map(String::as_str), Some("X"));
    assert!(s.contains("Épreuve E5!C10 : avertissement [import-code-sous-item] : code « B1.6.4 » écrit dans la colonne B1.1 : compté pour la compétence B1.6"), "{s}");
    assert_eq!(
        r[1].get("B1.5").map(String::as_str),
        Some("v"),
        "an unknown mark is kept as written"
    );
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            ("coche-inconnue", "Réalisations!P3"),
            // B1.3 and B1.5 (« v » is no tick).
            ("bloc1-competence-manquante", "Candidats!A2"),
            ("bloc1-competence-manquante", "Candidats!A2"),
            ("fiches-nombre", "Candidats!A2"),
            ("parametre-vide", "Paramètres!B4"),
        ])
    );
}

#[test]
fn marks_no_cell_value_holds_are_read_and_reported() {
    let dir = temp();
    let f = dir.path().join("dessins.xlsx");
    let mut tab = Tableau2019::nouveau("ROUX Noé", "02600010116", "");
    tab.option_sisr = t("▢ SISR");
    tab.option_slam = t("▢ SLAM");
    let mut ligne_couleur = ligne("Réalisation colorée", "", ["", "", "", "", "", ""]);
    ligne_couleur.marques[0] = V::Couleur(0x92D050);
    let mut ligne_croix = ligne("Réalisation croisée", "", ["", "", "", "", "", ""]);
    ligne_croix.marques[1] = V::Croix;
    let mut ligne_forme = ligne("Réalisation dessinée", "", ["", "", "", "", "", ""]);
    ligne_forme.marques[2] = V::Forme("X".into());
    let tab = tab.partie(0, vec![ligne_couleur, ligne_croix, ligne_forme]);
    tab.ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    let r = feuille(&classe, "Réalisations");
    assert_eq!(r[0].get("B1.1").map(String::as_str), Some("X"), "{s}");
    assert_eq!(r[1].get("B1.2").map(String::as_str), Some("X"), "{s}");
    assert_eq!(r[2].get("B1.3").map(String::as_str), Some("X"), "{s}");
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            ("candidat-option-absente", "Candidats!D2"),
            ("bloc1-competence-manquante", "Candidats!A2"),
            ("bloc1-competence-manquante", "Candidats!A2"),
            ("bloc1-competence-manquante", "Candidats!A2"),
            ("fiches-nombre", "Candidats!A2"),
            ("parametre-vide", "Paramètres!B4"),
        ])
    );
    for attendu in [
        "Épreuve E5!C9 : avertissement [import-marque-dessinee] : case colorée en C9 lue comme une coche de B1.1",
        "Épreuve E5!D10 : avertissement [import-marque-dessinee] : case barrée d'une diagonale en D10 lue comme une coche de B1.2",
        "Épreuve E5!E11 : avertissement [import-marque-dessinee] : marque dessinée (« X ») ancrée en E11 lue comme une coche de B1.3",
    ] {
        assert!(s.contains(attendu), "« {attendu} » absent de :\n{s}");
    }
}

#[test]
fn an_option_chosen_by_a_shape_drawn_over_its_box() {
    let dir = temp();
    let f = dir.path().join("forme.xlsx");
    let mut tab = complet("LEROY Maël", "02600010114", "");
    tab.option_sisr = t("▢ SISR");
    tab.option_slam = t("▢ SLAM");
    tab.formes = vec![(3, 7, "✖".into())];
    tab.ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    assert_eq!(feuille(&classe, "Candidats")[0]["Option"], "SLAM", "{s}");
    assert!(
        s.contains("Épreuve E5!H4 : avertissement [import-marque-dessinee] : marque dessinée (forme ancrée en H4) lue comme l'option SLAM"),
        "{s}"
    );
}

#[test]
fn period_forms_become_debut_and_fin_or_stay_word_for_word() {
    let dir = temp();
    let f = dir.path().join("periodes.xlsx");
    let periodes: [(V, &str, &str, &str); 9] = [
        (t("08/10 au 10/11 2024"), "08/10/2024", "10/11/2024", ""),
        (
            t("Période du 23/09/2023 au 11/10/2023"),
            "23/09/2023",
            "11/10/2023",
            "",
        ),
        (t("02/24 05/24"), "", "", "02/2024 au 05/2024"),
        (t("depuis le 02/02/2024"), "02/02/2024", "", ""),
        (t("Juill-23 à Aout-23"), "", "", "07/2023 au 08/2023"),
        (t("En cours"), "", "", "En cours"),
        (V::N(2025.0), "", "", "2025"),
        (V::D(45240.0), "10/11/2023", "", ""),
        (t("3O/09/2025"), "", "", "3O/09/2025"),
    ];
    let lignes: Vec<Ligne> = periodes
        .iter()
        .enumerate()
        .map(|(i, (p, ..))| Ligne {
            titre: t(&format!("Réalisation {i}")),
            periode: p.clone(),
            marques: X6.iter().map(|m| t(m)).collect(),
        })
        .collect();
    Tableau2019::nouveau("SIMON Camille", "02600010111", "SISR")
        .partie(0, lignes)
        .ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &["--session", "2025"]);
    let s = sortie(&o);
    let r = feuille(&classe, "Réalisations");
    for (i, (_, debut, fin, periode)) in periodes.iter().enumerate() {
        let get = |k: &str| r[i].get(k).cloned().unwrap_or_default();
        assert_eq!(
            (get("Début"), get("Fin"), get("Période")),
            (debut.to_string(), fin.to_string(), periode.to_string()),
            "ligne {i}\n{s}"
        );
    }
    assert!(
        s.contains("Épreuve E5!B9 : avertissement [import-periode] : période « 08/10 au 10/11 2024 » lue du 08/10/2024 au 10/11/2024"),
        "{s}"
    );
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            // Juillet 2023 is before the two school years of session 2025.
            ("date-hors-periode", "Réalisations!G6"),
            ("date-lettre-o", "Réalisations!G10"),
            ("fiches-nombre", "Candidats!A2"),
            ("parametre-vide", "Paramètres!B4"),
        ])
    );
}

#[test]
fn parts_moved_renamed_blanked_or_missing() {
    let dir = temp();
    let f = dir.path().join("parties.xlsx");
    let mut tab = Tableau2019::nouveau("MOREAU Zoé", "02600010109", "SISR");
    tab.hauteurs = vec![2, 1, 4];
    tab.parties = vec![
        (None, vec![ligne("Avant tout titre", "", X6)]),
        (
            Some("Réalisations en entreprise".into()),
            vec![ligne("Stage un", "", X6)],
        ),
        (
            Some("Réalisations en milieu professionnel en cours de seconde année".into()),
            vec![
                ligne("Stage deux", "", X6),
                ligne("", "", ["", "", "", "", "", ""]),
                ligne("Sans coche", "", ["", "", "", "", "", ""]),
            ],
        ),
    ];
    tab.ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    let r = feuille(&classe, "Réalisations");
    let vues: Vec<(String, String)> = r
        .iter()
        .map(|l| (l["Intitulé"].clone(), l["Partie"].clone()))
        .collect();
    assert_eq!(
        vues,
        vec![
            ("Avant tout titre".to_string(), "En formation".to_string()),
            (
                "Stage un".to_string(),
                "Milieu professionnel 1re année".to_string()
            ),
            (
                "Stage deux".to_string(),
                "Milieu professionnel 2de année".to_string()
            ),
            (
                "Sans coche".to_string(),
                "Milieu professionnel 2de année".to_string()
            ),
        ],
        "{s}"
    );
    assert!(s.contains("[import-partie] : titre de partie « Réalisations en entreprise » : lu, d'après sa place, comme la partie « Milieu professionnel 1re année »"), "{s}");
    assert!(
        s.contains("[import-partie] : réalisation avant tout titre de partie"),
        "{s}"
    );
}

#[test]
fn a_rearranged_header_without_the_sub_items_row() {
    let dir = temp();
    let f = dir.path().join("sans-sous-items.xlsx");
    let mut tab = complet("RICHARD Nathan", "02600010106", "SLAM");
    tab.sans_sous_items = true;
    tab.ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    assert!(
        s.starts_with(
            "importé : RICHARD Nathan (02600010106), 1 + 1 + 1 réalisations, option SLAM"
        ),
        "{s}"
    );
    assert!(!s.contains("[import-"), "nothing to guess:\n{s}");
    assert_eq!(
        feuille(&classe, "Réalisations")[0]["Intitulé"],
        "Serveur DHCP"
    );
}

#[test]
fn the_2022_template_without_url_row_is_read_with_a_warning() {
    let dir = temp();
    let f = dir.path().join("2022.xlsx");
    let mut tab = complet("DURAND Manon", "02600010107", "SISR");
    tab.url = None;
    tab.session = t("SESSION 2022");
    tab.feuille = "Tableau de synthèse Épreuve E4".into();
    tab.tete_prefixee = true;
    tab.ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    assert!(
        s.contains("[tableau de synthèse 2019 (modèle 2022, sans URL)]"),
        "{s}"
    );
    assert!(s.contains("avertissement [import-modele-2022]"), "{s}");
    let r = feuille(&classe, "Réalisations");
    assert_eq!(
        r[0].get("B1.1").map(String::as_str),
        Some("X"),
        "the prefixed head « B1.1-Gérer … » is read"
    );
    assert!(
        diagnostics(&classe, &[])
            .contains(&("portfolio-absent".to_string(), "Candidats!E2".to_string()))
    );
}

#[test]
fn the_2011_grid_with_two_sheets() {
    let dir = temp();
    let f = dir.path().join("grille.xlsx");
    Grille2011 {
        session: 2020,
        nom: "LAURENT Enzo".into(),
        numero: "02000010110".into(),
        option: "SLAM",
        situations: vec![
            (
                0,
                "Application de gestion".into(),
                "10/18".into(),
                vec!["SO1", "A1.1.1", "A4.1.1"],
            ),
            (
                1,
                "Stage : site web".into(),
                "06/19".into(),
                vec!["SO2", "A1.2.4"],
            ),
            (
                2,
                "Stage : API".into(),
                "01/20".into(),
                vec!["SO3", "SO4", "A4.1.2"],
            ),
        ],
    }
    .ecrire(&f);
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&f], &classe, &[]);
    let s = sortie(&o);
    assert!(
        s.starts_with("importé : LAURENT Enzo (02000010110), 1 + 1 + 1 réalisations, option SLAM"),
        "{s}"
    );
    let r = feuille(&classe, "Réalisations");
    assert_eq!(r[0].get("SO1").map(String::as_str), Some("X"));
    assert_eq!(r[0].get("A1.1.1").map(String::as_str), Some("X"));
    assert_eq!(r[0].get("Période").map(String::as_str), Some("10/2018"));
    assert_eq!(r[2].get("SO4").map(String::as_str), Some("X"));
    // Every tick is on the SLAM grid and SO1–SO4 are all there: what remains is the two
    // situations of the E4 fiches, and the centre, class and trainer the grid does not hold.
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            ("fiches-nombre", "Candidats!A2"),
            ("parametre-vide", "Paramètres!B2"),
            ("parametre-vide", "Paramètres!B4"),
            ("parametre-vide", "Paramètres!B5"),
        ])
    );
    let mut wb = open_workbook_auto(&classe).unwrap();
    let p = wb.worksheet_range("Paramètres").unwrap();
    assert_eq!(
        (
            texte(p.get_value((0, 0)).unwrap()),
            texte(p.get_value((0, 1)).unwrap())
        ),
        ("Session".into(), "2020".into())
    );
}

#[test]
fn lock_files_other_files_and_a_duplicate_candidate() {
    let dir = temp();
    complet("MARTIN Léa", "02600010101", "SISR").ecrire(&dir.path().join("martin-v1.xlsx"));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let recent = dir.path().join("martin-v2.xlsx");
    complet("MARTIN Léa", "02600010101", "SISR")
        .partie(2, vec![ligne("Nouvelle", "", X6)])
        .ecrire(&recent);
    std::fs::write(dir.path().join("~$martin-v2.xlsx"), [0u8; 165]).unwrap();
    std::fs::write(dir.path().join("notes.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(dir.path().join(".cache"), b"x").unwrap();
    // Files that carry a spreadsheet's name but are not one: each said as what it is.
    std::fs::write(dir.path().join("vide.xlsx"), b"").unwrap();
    std::fs::write(dir.path().join("tronque.xlsx"), b"PK\x03\x04tronque").unwrap();
    std::fs::write(dir.path().join("scan.ods"), b"%PDF-1.4 scan").unwrap();
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[dir.path()], &classe, &[]);
    let s = sortie(&o);
    for (fichier, raison) in [
        ("vide.xlsx", "le fichier est vide (0 octet)"),
        (
            "tronque.xlsx",
            "l'archive ZIP du classeur est tronquée ou endommagée",
        ),
        ("scan.ods", "c'est un PDF, pas un classeur"),
    ] {
        assert!(
            s.contains(&format!(
                "ignoré : {} parce que {raison}",
                dir.path().join(fichier).display()
            )),
            "{s}"
        );
    }
    assert!(!s.contains("Cfb error"), "{s}");
    assert!(
        s.contains(&format!(
            "ignoré : {} parce que c'est un fichier de verrouillage",
            dir.path().join("~$martin-v2.xlsx").display()
        )),
        "{s}"
    );
    assert!(
        s.contains("notes.pdf parce que ce n'est pas un tableur (extension « pdf »)"),
        "{s}"
    );
    assert!(s.contains(".cache parce que fichier caché"), "{s}");
    assert!(
        s.contains(&format!(
            "parce qu'un fichier plus récent du même candidat est gardé (« {} »)",
            recent.display()
        )),
        "{s}"
    );
    assert!(
        s.contains("[import-doublon] : 2 fichiers pour le même candidat"),
        "{s}"
    );
    let r = feuille(&classe, "Réalisations");
    assert_eq!(r.len(), 3);
    assert_eq!(r[2]["Intitulé"], "Nouvelle");
    assert_eq!(
        diagnostics(&classe, &[]),
        paires(&[
            ("fiches-nombre", "Candidats!A2"),
            ("parametre-vide", "Paramètres!B4")
        ])
    );
}

#[test]
fn mixed_referentiels_or_sessions_stop_before_writing() {
    let dir = temp();
    complet("MARTIN Léa", "02600010101", "SISR").ecrire(&dir.path().join("a.xlsx"));
    let mut b = complet("PETIT Lucas", "02600010104", "SLAM");
    b.session = t("SESSION 2024/2025");
    b.ecrire(&dir.path().join("b.xlsx"));
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[dir.path()], &classe, &[]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("les fichiers indiquent plusieurs sessions"),
        "{e}"
    );
    assert!(e.contains("2025 : « ") && e.contains("2026 : « "), "{e}");
    assert!(!classe.exists());
    // With --session, a warning per file whose label differs, naming its cell.
    let o = importer(&[dir.path()], &classe, &["--session", "2026"]);
    let s = sortie(&o);
    assert!(s.contains("b.xlsx › Tableau de synthèse Épreuve E5!G1 : avertissement [import-session] : session « 2024/2025 » lue comme la session 2025"), "{s}");
    assert!(s.contains("b.xlsx › Tableau de synthèse Épreuve E5!G1 : avertissement [import-session-differente] : le fichier indique la session 2025"), "{s}");
    assert!(classe.exists());
    // A 2011 grid beside 2019 tableaux.
    Grille2011 {
        session: 2020,
        nom: "X Y".into(),
        numero: "1".into(),
        option: "SISR",
        situations: vec![(0, "S".into(), "10/18".into(), vec!["SO1"])],
    }
    .ecrire(&dir.path().join("c.xlsx"));
    let autre = dir.path().join("autre.xlsx");
    let o = importer(&[dir.path()], &autre, &["--session", "2026"]);
    assert_eq!(o.status.code(), Some(2));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("les fichiers relèvent de deux référentiels"),
        "{e}"
    );
    assert!(!autre.exists());
}

#[test]
fn a_student_checks_their_own_tableau_with_its_cells() {
    let dir = temp();
    let f = dir.path().join("moi.xlsx");
    let mut tab = Tableau2019::nouveau("THOMAS Chloé", "", "SISR").partie(
        0,
        vec![ligne(
            "Seule réalisation",
            "31/02/2025",
            ["X", "", "", "", "", "?"],
        )],
    );
    tab.url = Some(t("Adresse URL du portfolio :"));
    tab.ecrire(&f);
    let feuille_o = "Tableau de synthèse Épreuve E5";
    assert_eq!(
        diagnostics(&f, &[]),
        paires(&[
            ("candidat-numero-absent", &format!("{feuille_o}!F3")),
            ("portfolio-absent", &format!("{feuille_o}!A5")),
            ("bloc1-competence-manquante", &format!("{feuille_o}!F3")),
            ("bloc1-competence-manquante", &format!("{feuille_o}!F3")),
            ("bloc1-competence-manquante", &format!("{feuille_o}!F3")),
            ("bloc1-competence-manquante", &format!("{feuille_o}!F3")),
            ("coche-inconnue", &format!("{feuille_o}!H9")),
            ("date-impossible", &format!("{feuille_o}!B9")),
            ("bloc1-competence-manquante", &format!("{feuille_o}!F3")),
        ])
    );
    // generer says what to do with such a file.
    let o = siodoc(&[
        "generer",
        f.to_str().unwrap(),
        "-o",
        dir.path().join("s").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("c'est le tableau de synthèse officiel d'un candidat, pas un classeur de classe ; pour faire le classeur de la classe à partir des tableaux des candidats : siodoc importer"));
}

/// The .ods and .xls copies LibreOffice made of the fixtures (tests/donnees/officiels).
fn donnee(nom: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/donnees/officiels")
        .join(nom)
}

#[test]
fn an_xls_row_without_ticks_is_flagged_for_a_look() {
    let dir = temp();
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&donnee("dubois.xls")], &classe, &[]);
    let s = sortie(&o);
    assert!(
        s.contains(
            "dubois.xls › Tableau de synthèse Épreuve E5 : avertissement [import-xls-apparences] : fichier au format XLS : \
             les cases colorées et les formes dessinées n'y sont pas lues"
        ),
        "{s}"
    );
    // The XLSX copy is read without that doubt.
    let o = importer(&[&donnee("bernard.xls")], &dir.path().join("b.xlsx"), &[]);
    assert!(
        !sortie(&o).contains("import-xls-apparences"),
        "{}",
        sortie(&o)
    );
}

#[test]
fn ods_and_xls_copies_read_as_their_xlsx() {
    let dir = temp();
    let classe = dir.path().join("classe.xlsx");
    let o = importer(
        &[&donnee("martin.ods"), &donnee("bernard.xls")],
        &classe,
        &[],
    );
    let s = sortie(&o);
    assert!(
        s.contains("importé : MARTIN Léa (02600010101), 1 + 1 + 1 réalisations, option SISR"),
        "{s}"
    );
    assert!(
        s.contains("importé : BERNARD Hugo (02600010102), 1 + 1 + 1 réalisations, option SLAM"),
        "{s}"
    );
    let r = feuille(&classe, "Réalisations");
    let martin: Vec<_> = r
        .iter()
        .filter(|l| l["N° candidat"] == "02600010101")
        .collect();
    assert_eq!(martin[0].get("B1.6").map(String::as_str), Some("X"));
    assert_eq!(
        martin[0].get("Début").map(String::as_str),
        Some("02/10/2025")
    );
}

/// Writes the fixtures that LibreOffice turns into .ods and .xls (tests/donnees/officiels/
/// regenerer.sh runs this, then converts).
#[test]
#[ignore]
fn ecrire_les_fixtures() {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/donnees/officiels");
    std::fs::create_dir_all(&d).unwrap();
    complet("MARTIN Léa", "02600010101", "SISR").ecrire(&d.join("martin.xlsx"));
    complet("Hugo BERNARD", "02600010102", "SLAM").ecrire(&d.join("bernard.xlsx"));
    complet("DUBOIS Théo", "02600010108", "SLAM")
        .partie(
            2,
            vec![ligne("Sans coche visible", "", ["", "", "", "", "", ""])],
        )
        .ecrire(&d.join("dubois.xlsx"));
}

/// Writes the demonstration folder samples/eleves-2026 (samples/eleves-2026/regenerer.sh runs
/// this, then has LibreOffice make the .ods copy): fictional candidates whose files show the
/// quirks of real ones.
#[test]
#[ignore]
fn ecrire_les_exemples() {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/eleves-2026");
    std::fs::create_dir_all(&d).unwrap();
    // 2026 template, « X SISR », a period with the year written once.
    Tableau2019::nouveau("MARTIN Léa", "02600010101", "SISR")
        .partie(
            0,
            vec![
                ligne("Mise en place d'un serveur DHCP redondant\nProcédure d'installation ; schéma réseau", "08/10 au 10/11 2025", ["X", "", "X", "", "X", ""]),
                ligne("Segmentation du réseau en VLAN\nPlan d'adressage", "du 05/01/2026 au 30/01/2026", ["X", "", "", "", "", "X"]),
            ],
        )
        .partie(1, vec![ligne("Déploiement d'un annuaire Active Directory\nDocumentation technique", "02/06/2025 - 27/06/2025", ["", "X", "", "X", "", ""])])
        .partie(2, vec![ligne("Supervision du parc avec Zabbix\nTableau de bord", "du 05/01/2026 au 13/02/2026", ["X", "", "", "", "X", "X"])])
        .ecrire(&d.join("MARTIN Léa - tableau de synthèse.xlsx"));
    // « Prénom NOM », a stale session label, the option chosen by a shape drawn over its box.
    let mut bernard = Tableau2019::nouveau("Hugo BERNARD", "02600010102", "")
        .partie(
            0,
            vec![
                ligne(
                    "Application de gestion des stages en PHP\nCode source ; cahier des charges",
                    "Période du 02/10/2025 au 15/12/2025",
                    ["X", "X", "X", "", "X", ""],
                ),
                ligne(
                    "API REST de réservation de salles",
                    "12/25-03/26",
                    ["", "", "", "X", "", "X"],
                ),
            ],
        )
        .partie(
            1,
            vec![ligne(
                "Site vitrine de l'entreprise",
                "Juin-25 à Juil-25",
                ["", "", "X", "X", "", ""],
            )],
        );
    bernard.session = t("SESSION 2024/2025");
    bernard.option_sisr = t("▢ SISR");
    bernard.option_slam = t("▢ SLAM");
    bernard.formes = vec![(3, 7, "X".into())];
    bernard.ecrire(&d.join("bernard_hugo.xlsx"));
    // The 2022 template (no URL row, sheet « … Épreuve E4 »), sub-item codes and a coloured box
    // as ticks.
    let mut petit = Tableau2019::nouveau("PETIT Lucas", "2600010104", "SLAM").partie(
        0,
        vec![ligne(
            "Veille technologique sur les frameworks",
            "depuis le 09/2024",
            ["B1.1.2", "", "", "", "B1.5", "B1.6.4"],
        )],
    );
    let mut colore = ligne(
        "Tests automatisés d'une API",
        "10/2025",
        ["", "X", "", "", "", ""],
    );
    colore.marques = vec![
        V::Vide,
        V::Vide,
        V::Couleur(0x92D050),
        V::Vide,
        V::Vide,
        V::Vide,
    ];
    petit.parties[0].1.push(colore);
    petit.url = None;
    petit.session = t("SESSION 2026");
    petit.feuille = "Tableau de synthèse Épreuve E4".into();
    // « N° candidat : » with the number in the next cell, stored as a number (its zero lost).
    petit.numero = t("N° candidat :");
    petit.cellules = vec![(2, 6, V::N(2600010104.0))];
    petit.ecrire(&d.join("petit-2022.xlsx"));
    // Made into .ods by regenerer.sh: diagonal crosses as ticks.
    let mut roux = Tableau2019::nouveau("ROUX Noé", "02600010116", "SISR").partie(
        0,
        vec![ligne(
            "Sauvegarde automatisée des serveurs",
            "du 03/11/2025 au 28/11/2025",
            ["X", "X", "", "", "", ""],
        )],
    );
    let mut croix = ligne(
        "Traitement des tickets GLPI",
        "01/12/2025 au 19/12/2025",
        ["", "", "", "", "", ""],
    );
    croix.marques = vec![V::Vide, V::Croix, V::Vide, V::Croix, V::Croix, V::Vide];
    roux.parties[2].1.push(croix);
    roux.ecrire(&d.join("roux.xlsx"));
    std::fs::write(d.join("~$bernard_hugo.xlsx"), [0u8; 165]).unwrap();
}

/// The demonstration folder of the README: every quirk it shows is read and reported.
#[test]
fn the_sample_folder_of_the_readme() {
    let dir = temp();
    let eleves = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/eleves-2026");
    let classe = dir.path().join("classe.xlsx");
    let o = importer(&[&eleves], &classe, &["--session", "2026"]);
    let s = sortie(&o);
    for attendu in [
        "importé : MARTIN Léa (02600010101), 2 + 1 + 1 réalisations, option SISR",
        "importé : BERNARD Hugo (02600010102), 2 + 1 + 0 réalisations, option SLAM",
        "importé : PETIT Lucas (2600010104), 2 + 0 + 0 réalisations, option SLAM",
        "[tableau de synthèse 2019 (modèle 2022, sans URL)]",
        "importé : ROUX Noé (02600010116), 1 + 0 + 1 réalisations, option SISR",
        "~$bernard_hugo.xlsx parce que c'est un fichier de verrouillage",
        "[import-periode] : période « 08/10 au 10/11 2025 » lue du 08/10/2025 au 10/11/2025",
        "bernard_hugo.xlsx › Tableau de synthèse Épreuve E5!H4 : avertissement [import-marque-dessinee] : marque dessinée (forme ancrée en H4) lue comme l'option SLAM",
        "petit-2022.xlsx › Tableau de synthèse Épreuve E4!G3 : avertissement [candidat-numero-nombre]",
        "petit-2022.xlsx › Tableau de synthèse Épreuve E4!E9 : avertissement [import-marque-dessinee] : case colorée en E9 lue comme une coche de B1.3",
        // The ODS copy: diagonal crosses in the cells' automatic styles.
        "roux.ods › Tableau de synthèse Épreuve E5!D28 : avertissement [import-marque-dessinee] : case barrée d'une diagonale en D28 lue comme une coche de B1.2",
        "roux.ods › Tableau de synthèse Épreuve E5!G28 : avertissement [import-marque-dessinee] : case barrée d'une diagonale en G28 lue comme une coche de B1.5",
    ] {
        assert!(s.contains(attendu), "« {attendu} » absent de :\n{s}");
    }
    let r = feuille(&classe, "Réalisations");
    let roux: Vec<_> = r
        .iter()
        .filter(|l| l["N° candidat"] == "02600010116")
        .collect();
    assert_eq!(
        ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5", "B1.6"]
            .map(|c| roux[1].get(c).cloned().unwrap_or_default()),
        ["", "X", "", "X", "X", ""].map(String::from)
    );
}
