//! Hostile and careless inputs, one test per class of fault: each gets its exact French message
//! and its documented exit code, never a panic, an abort, a hang or a file outside its folder.
//! The hostile files are built here (a bomb of hundreds of megabytes is a few hundred KB of
//! deflate).

mod commun;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use commun::{Tables, siodoc_bin, temp};

fn siodoc(args: &[&str]) -> Output {
    let o = Command::new(siodoc_bin())
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("SIODOC_P12_PASSWORD")
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(!e.contains("panicked"), "{e}");
    o
}

fn erreur(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).trim().to_string()
}

fn sortie(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// An XLSX made by hand, one sheet « Paramètres » with `lignes` as its sheetData, optional
/// shared strings and styles: what a file built to hurt looks like inside.
fn xlsx_brut(chemin: &Path, lignes: &str, chaines: Option<&str>, styles: Option<&str>) {
    let f = std::fs::File::create(chemin).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut ecrire = |nom: &str, texte: &str| {
        z.start_file(nom, o).unwrap();
        z.write_all(texte.as_bytes()).unwrap();
    };
    ecrire(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    ecrire(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    ecrire(
        "xl/workbook.xml",
        r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Paramètres" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>"#,
    );
    if chaines.is_some() {
        rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    if styles.is_some() {
        rels.push_str(r#"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#);
    }
    rels.push_str("</Relationships>");
    ecrire("xl/_rels/workbook.xml.rels", &rels);
    ecrire(
        "xl/worksheets/sheet1.xml",
        &format!(
            r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{lignes}</sheetData></worksheet>"#
        ),
    );
    if let Some(c) = chaines {
        ecrire("xl/sharedStrings.xml", c);
    }
    if let Some(s) = styles {
        ecrire("xl/styles.xml", s);
    }
    z.finish().unwrap();
}

const SESSION: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Session</t></is></c><c r="B1"><v>2026</v></c></row>"#;

/// Refused with exit code 2 and exactly `attendu` after the file's name.
fn refuse_classeur(chemin: &Path, attendu: &str) {
    let o = siodoc(&["verifier", chemin.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", erreur(&o));
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : classeur « {} » : {attendu}",
            chemin.display()
        )
    );
}

#[test]
fn what_makes_a_spreadsheet_reader_allocate_is_refused_before() {
    let dir = temp();
    let f = dir.path().join("chaines.xlsx");
    xlsx_brut(
        &f,
        SESSION,
        Some(
            r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="99999999999999" uniqueCount="99999999999999"><si><t>a</t></si></sst>"#,
        ),
        None,
    );
    refuse_classeur(
        &f,
        "la table des textes du classeur (xl/sharedStrings.xml) annonce 99999999999999 textes ; \
         siodoc en accepte au plus 2000000 : le fichier est endommagé ou fabriqué",
    );

    let f = dir.path().join("xfd.xlsx");
    xlsx_brut(
        &f,
        &format!(
            r#"{SESSION}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
        ),
        None,
        None,
    );
    refuse_classeur(
        &f,
        "la feuille « xl/worksheets/sheet1.xml » a des valeurs jusqu'à la ligne 1048576 ; siodoc lit \
         au plus 200000 lignes par feuille : supprimez les lignes inutiles (ou le contenu isolé tout en bas) \
         et enregistrez",
    );

    let f = dir.path().join("colonne.xlsx");
    xlsx_brut(
        &f,
        &format!(r#"{SESSION}<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>"#),
        None,
        None,
    );
    refuse_classeur(
        &f,
        "la feuille « xl/worksheets/sheet1.xml » a des valeurs jusqu'à la colonne XFD (n° 16384) ; \
         siodoc lit au plus 1000 colonnes par feuille : supprimez le contenu isolé à droite et enregistrez",
    );

    let f = dir.path().join("reference.xlsx");
    xlsx_brut(
        &f,
        &format!(
            r#"{SESSION}<row r="5"><c r="ZZZZZZ99999999999" t="inlineStr"><is><t>x</t></is></c></row>"#
        ),
        None,
        None,
    );
    refuse_classeur(
        &f,
        "la feuille « xl/worksheets/sheet1.xml » contient la référence de cellule « ZZZZZZ99999999999 », \
         hors de la grille d'un tableur (la dernière cellule possible est XFD1048576) : le fichier est \
         endommagé ou fabriqué ; reprenez l'original",
    );
}

#[test]
fn a_deflate_bomb_is_refused_at_the_limit_without_being_held() {
    let dir = temp();
    let f = dir.path().join("bombe.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&f).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    z.start_file("xl/workbook.xml", o).unwrap();
    z.write_all(b"<workbook/>").unwrap();
    z.start_file("xl/worksheets/sheet1.xml", o).unwrap();
    let bloc = vec![b' '; 1 << 20];
    for _ in 0..260 {
        z.write_all(&bloc).unwrap();
    }
    z.finish().unwrap();
    assert!(std::fs::metadata(&f).unwrap().len() < 2 << 20);
    refuse_classeur(
        &f,
        "l'entrée « xl/worksheets/sheet1.xml » dépasse 200,0 Mo une fois décompressée : fichier anormal \
         (une « bombe » de compression ?) ; siodoc ne lit pas davantage",
    );
}

#[test]
fn a_date_cell_holding_minus_1e20_is_a_number_not_a_panic() {
    let dir = temp();
    let f = dir.path().join("date.xlsx");
    xlsx_brut(
        &f,
        &format!(
            r#"{SESSION}<row r="2"><c r="A2" t="inlineStr"><is><t>Date</t></is></c><c r="B2" s="1"><v>-1e20</v></c></row>"#
        ),
        None,
        Some(
            r#"<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#,
        ),
    );
    let o = siodoc(&["verifier", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        sortie(&o).contains(
            "Paramètres!B2 : erreur [date-illisible] : date « -100000000000000000000 » illisible ; attendu JJ/MM/AAAA"
        ),
        "{}",
        sortie(&o)
    );
}

#[test]
fn a_named_pipe_or_a_loop_of_links_is_refused_at_once() {
    let dir = temp();
    let tube = dir.path().join("classe.xlsx");
    assert!(
        Command::new("mkfifo")
            .arg(&tube)
            .status()
            .unwrap()
            .success()
    );
    let o = siodoc(&["verifier", tube.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : impossible de lire « {} » : c'est un tube nommé (FIFO), pas un fichier",
            tube.display()
        )
    );
    let a = dir.path().join("a.xlsx");
    let b = dir.path().join("b.xlsx");
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    let o = siodoc(&["verifier", a.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : impossible de lire « {} » : plus de 8 liens symboliques à suivre (une boucle \
             de liens ?) ; passez le fichier lui-même",
            a.display()
        )
    );
}

#[test]
fn each_kind_of_wrong_file_gets_its_own_diagnosis() {
    let dir = temp();
    let cas: [(&str, &[u8], &str); 6] = [
        (
            "vide.xlsx",
            b"",
            "le fichier est vide (0 octet) ; il a peut-être été mal copié ou mal téléchargé : reprenez l'original",
        ),
        (
            "doc.xlsx",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "c'est un PDF, pas un classeur ; passez le fichier du tableur (XLSX, ODS, XLS)",
        ),
        (
            "archive.xlsx",
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
            "c'est une archive compressée gzip, pas un classeur ; décompressez-la d'abord",
        ),
        (
            "export.xlsx",
            b"N\xc2\xb0 candidat;NOM\n026000101;MARTIN\n",
            "c'est un fichier texte (CSV ?), pas un classeur ; s'il s'agit d'un CSV, renommez-le avec \
             l'extension .csv",
        ),
        (
            "unicode.xlsx",
            b"\xff\xfeN\x00O\x00M\x00",
            "c'est un fichier texte en UTF-16 (« texte Unicode ») ; enregistrez-le en CSV UTF-8 (séparateur \
             point-virgule), avec l'extension .csv",
        ),
        (
            "tronque.xlsx",
            &commun::exemple_xlsx(2026)[..3000],
            "l'archive ZIP du classeur est tronquée ou endommagée (fichier incomplet ?) ; reprenez \
             l'original, ou ouvrez-le dans votre tableur et enregistrez-le de nouveau",
        ),
    ];
    for (nom, octets, attendu) in cas {
        let f = dir.path().join(nom);
        std::fs::write(&f, octets).unwrap();
        refuse_classeur(&f, attendu);
    }
    // Spreadsheets in a format siodoc does not read: what they are, and how to save them.
    let xlsb = dir.path().join("binaire.xlsx");
    zip_de(
        &xlsb,
        &[
            ("[Content_Types].xml", b"<Types/>".to_vec()),
            ("xl/workbook.bin", vec![0x83, 1]),
        ],
    );
    let numbers = dir.path().join("mac.numbers");
    zip_de(&numbers, &[("Index/Document.iwa", b"x".to_vec())]);
    let fods = dir.path().join("plat.fods");
    std::fs::write(
        &fods,
        "<?xml version=\"1.0\"?><office:document office:mimetype=\"application/vnd.oasis.opendocument.spreadsheet\">",
    )
    .unwrap();
    let gsheet = dir.path().join("en-ligne.gsheet");
    std::fs::write(
        &gsheet,
        r#"{"url": "https://docs.google.com/spreadsheets/d/x", "doc_id": "x"}"#,
    )
    .unwrap();
    for (f, attendu) in [
        (
            &xlsb,
            "c'est un classeur Excel binaire (XLSB), un format que siodoc ne lit pas ; enregistrez-le en \
             XLSX ou ODS : dans Excel, Fichier > Enregistrer sous, type « Classeur Excel (*.xlsx) »",
        ),
        (
            &numbers,
            "c'est un document Numbers (Apple), un format que siodoc ne lit pas ; enregistrez-le en XLSX \
             ou ODS : dans Numbers, Fichier > Exporter vers > Excel",
        ),
        (
            &fods,
            "c'est un classeur OpenDocument « à plat » (FODS), un format que siodoc ne lit pas ; \
             enregistrez-le en XLSX ou ODS : dans LibreOffice, Fichier > Enregistrer sous, type « Classeur \
             ODF (.ods) »",
        ),
        (
            &gsheet,
            "c'est un raccourci vers une feuille Google Sheets (le classeur lui-même est en ligne), un format \
             que siodoc ne lit pas ; enregistrez-le en XLSX ou ODS : ouvrez la feuille dans Google Sheets, \
             puis Fichier > Télécharger > Microsoft Excel (.xlsx)",
        ),
    ] {
        refuse_classeur(f, attendu);
        // importer says the same of a student's file, not « ce n'est pas un tableur ».
        let o = siodoc(&[
            "importer",
            f.to_str().unwrap(),
            "-o",
            dir.path().join("import.xlsx").to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            sortie(&o).contains(&format!("ignoré : {} parce que {attendu}", f.display())),
            "{}",
            sortie(&o)
        );
    }
    // A valid XLSX named .ods is read by its content.
    let f = dir.path().join("classe.ods");
    std::fs::write(&f, commun::exemple_xlsx(2026)).unwrap();
    let o = siodoc(&["verifier", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", sortie(&o));
    // A workbook with none of the four sheets says what it is not.
    let f = dir.path().join("autre.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet()
        .set_name("Notes")
        .unwrap()
        .write(0, 0, "x")
        .unwrap();
    wb.save(&f).unwrap();
    refuse_classeur(
        &f,
        "ce n'est pas un classeur de classe de siodoc : aucune des feuilles Paramètres, Candidats, \
         Réalisations, Fiches (feuilles trouvées : « Notes ») ; partez du modèle : siodoc modele --session \
         2026 classe.xlsx",
    );
}

/// The example class with `modifier` applied, checked by `siodoc verifier`: (code, stdout).
fn verifier_modifie(modifier: impl FnOnce(&mut Tables)) -> (Option<i32>, String) {
    let mut t = Tables::exemple(2026);
    modifier(&mut t);
    let dir = temp();
    let f = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&f);
    let o = siodoc(&["verifier", f.to_str().unwrap()]);
    (o.status.code(), sortie(&o))
}

/// Sets the value (column B) of a `Paramètres` line; returns its cell.
fn parametre(t: &mut Tables, libelle: &str, valeur: &str) -> String {
    let lignes = t.feuilles.get_mut("Paramètres").unwrap();
    let i = lignes
        .iter()
        .position(|l| l.first().is_some_and(|a| a == libelle))
        .unwrap_or_else(|| panic!("pas de ligne « {libelle} » dans Paramètres"));
    if lignes[i].len() < 2 {
        lignes[i].resize(2, String::new());
    }
    lignes[i][1] = valeur.to_string();
    format!("Paramètres!B{}", i + 1)
}

fn ligne_de(sortie: &str, regle: &str) -> String {
    sortie
        .lines()
        .find(|l| l.contains(&format!("[{regle}]")))
        .unwrap_or_else(|| panic!("pas de [{regle}] dans :\n{sortie}"))
        .to_string()
}

#[test]
fn no_silent_guess_on_parts_numbers_formula_errors_sessions_and_short_dates() {
    for partie in ["Projet PPE 1", "TP 2", "Promo 2024"] {
        let mut cellule = String::new();
        let (code, s) = verifier_modifie(|t| {
            cellule = t.set("Réalisations", 2, "Partie", partie);
        });
        assert_eq!(code, Some(1));
        assert_eq!(
            ligne_de(&s, "partie-inconnue"),
            format!(
                "{cellule} : erreur [partie-inconnue] : partie « {partie} » inconnue ; attendu : {}",
                siodoc::classeur::Partie::VOCABULAIRE
            )
        );
    }
    let mut cellule = String::new();
    let (code, s) = verifier_modifie(|t| {
        cellule = parametre(t, "Classe", "=#NULL!");
    });
    assert_eq!(code, Some(1), "{s}");
    assert!(
        s.contains(&format!(
            "{cellule} : erreur [cellule-erreur-formule] : la cellule contient l'erreur de formule #NULL!"
        )),
        "{s}"
    );
    let (code, s) = verifier_modifie(|t| {
        cellule = parametre(t, "Session", "2026.5");
    });
    assert_eq!(code, Some(1));
    assert_eq!(
        s.lines().next().unwrap(),
        format!(
            "{cellule} : erreur [session-invalide] : « 2026.5 » n'est pas une année de session ; écrivez \
             l'année seule, en nombre entier, par exemple 2026"
        )
    );
    let mut cellule = String::new();
    let (code, s) = verifier_modifie(|t| {
        cellule = t.set("Réalisations", 2, "Début", "2/10");
    });
    assert_eq!(code, Some(1));
    assert_eq!(
        ligne_de(&s, "date-ambigue"),
        format!(
            "{cellule} : erreur [date-ambigue] : « 2/10 » peut se lire comme un jour et un mois sans année, \
             ou comme un mois et une année ; écrivez la date entière (JJ/MM/AA, par exemple 02/10/25) ou le \
             mois avec l'année sur quatre chiffres (MM/AAAA, par exemple 02/2010)"
        )
    );
}

#[test]
fn a_candidate_number_stored_as_a_number_is_a_warning_with_its_printed_form() {
    let dir = temp();
    let f = dir.path().join("classe.xlsx");
    let t = Tables::exemple(2026);
    t.ecrire_xlsx(&f);
    // Rewrite the first N° as a number, as Excel does when the leading zero was typed.
    let mut wb = rust_xlsxwriter::Workbook::new();
    for nom in &t.ordre {
        let ws = wb.add_worksheet();
        ws.set_name(nom).unwrap();
        for (i, l) in t.feuilles[nom].iter().enumerate() {
            for (j, v) in l.iter().enumerate() {
                if nom == "Candidats" && i == 1 && j == t.colonne("Candidats", "N° candidat") {
                    ws.write_number(i as u32, j as u16, v.parse::<f64>().unwrap())
                        .unwrap();
                } else if !v.is_empty() {
                    ws.write_string(i as u32, j as u16, v).unwrap();
                }
            }
        }
    }
    wb.save(&f).unwrap();
    let o = siodoc(&["verifier", f.to_str().unwrap()]);
    assert_eq!(
        ligne_de(&sortie(&o), "candidat-numero-nombre"),
        "Candidats!A2 : avertissement [candidat-numero-nombre] : le N° candidat est enregistré comme un \
         nombre : il sera imprimé « 26000101 », et un zéro en tête a pu être perdu ; vérifiez-le sur la \
         convocation et saisissez-le comme texte (précédé d'une apostrophe : '026000101)"
    );
}

#[test]
fn two_csv_files_for_one_sheet_are_an_error() {
    let dir = temp();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/donnees/classe-2026-csv");
    for e in std::fs::read_dir(&source).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let premier = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .find(|n| n.ends_with("Fiches.csv"))
        .unwrap();
    std::fs::copy(
        dir.path().join(&premier),
        dir.path().join("copie-Fiches.csv"),
    )
    .unwrap();
    let o = siodoc(&["verifier", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let (a, b) = if premier.as_str() < "copie-Fiches.csv" {
        (premier.as_str(), "copie-Fiches.csv")
    } else {
        ("copie-Fiches.csv", premier.as_str())
    };
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : classeur « {} » : deux fichiers CSV pour la feuille Fiches : « {a} » et « {b} » ; \
             siodoc ne choisit pas à votre place : gardez-en un seul dans le dossier",
            dir.path().display()
        )
    );
}

/// The tables as a folder of CSV files (a spreadsheet refuses a cell of more than 32 767
/// characters; a CSV holds anything).
fn ecrire_csv(t: &Tables, dossier: &Path) {
    std::fs::create_dir_all(dossier).unwrap();
    for nom in &t.ordre {
        let texte: String = t.feuilles[nom]
            .iter()
            .map(|l| {
                l.iter()
                    .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
                    .collect::<Vec<_>>()
                    .join(";")
                    + "\n"
            })
            .collect();
        std::fs::write(dossier.join(format!("{nom}.csv")), texte).unwrap();
    }
}

#[test]
fn verifier_catches_what_generer_could_not_print() {
    let long = "x".repeat(1 << 20);
    let mut t = Tables::exemple(2026);
    let cellules = (
        t.set("Réalisations", 2, "Intitulé", &long),
        t.set(
            "Réalisations",
            3,
            "Intitulé",
            "Maquette 😀 du réseau\u{200B}",
        ),
        t.set(
            "Réalisations",
            4,
            "Intitulé",
            "Serveur \u{202E}web sous Linux\u{202C} et sauvegardes",
        ),
        t.set(
            "Fiches",
            2,
            "Descriptif",
            &format!("Empreinte : {} (fin)", "X".repeat(300)),
        ),
        // A long address breaks at its slashes: nothing to say.
        t.set(
            "Fiches",
            3,
            "Descriptif",
            "https://gitlab.exemple.fr/btssio/promotion2026/martinlea/projetsupervisionreseau/blob/main/\
             documentation/procedureinstallationcompletedelaplateforme.pdf",
        ),
    );
    let dir = temp();
    let classe = dir.path().join("classe");
    ecrire_csv(&t, &classe);
    let o = siodoc(&["verifier", classe.to_str().unwrap()]);
    let (code, s) = (o.status.code(), sortie(&o));
    assert_eq!(code, Some(1));
    assert_eq!(
        ligne_de(&s, "texte-trop-long"),
        format!(
            "{} : erreur [texte-trop-long] : l'intitulé compte plus de 32767 caractères ; le document en \
             imprime au plus 500 : raccourcissez le texte",
            cellules.0
        )
    );
    assert_eq!(
        ligne_de(&s, "caractere-non-imprimable"),
        format!(
            "{} : erreur [caractere-non-imprimable] : l'intitulé contient un caractère que les polices des \
             documents ne savent pas dessiner : « 😀 » (U+1F600) ; retirez-le ou remplacez-le par du texte \
             (les émojis ne sont pas imprimables)",
            cellules.1
        )
    );
    assert_eq!(
        ligne_de(&s, "caractere-de-direction"),
        format!(
            "{} : erreur [caractere-de-direction] : l'intitulé contient des caractères invisibles de \
             direction d'écriture (U+202C, U+202E) : le document imprimerait à l'envers le texte qui \
             suit ; retirez-les (souvent venus d'un copier-coller), par exemple en retapant le texte",
            cellules.2
        )
    );
    // A zero-width space alone is harmless: it is not reported.
    let coupures: Vec<&str> = s
        .lines()
        .filter(|l| l.contains("[mot-sans-coupure]"))
        .collect();
    assert_eq!(
        coupures,
        [
            format!(
                "{} : avertissement [mot-sans-coupure] : l'intitulé contient une suite de plus de \
                 32767 caractères sans espace ni coupure possible (« xxxxxxxxxxxxxxxxxxxx… »), plus longue qu'une \
                 ligne du document : ce qui dépasse du cadre ne sera pas imprimé ; ajoutez des espaces",
                cellules.0
            ),
            format!(
                "{} : avertissement [mot-sans-coupure] : le descriptif contient une suite de 300 caractères \
                 sans espace ni coupure possible (« XXXXXXXXXXXXXXXXXXXX… »), plus longue qu'une ligne du \
                 document : ce qui dépasse du cadre ne sera pas imprimé ; ajoutez des espaces",
                cellules.3
            ),
        ],
        "{s}"
    );
    let cellule_zwsp = format!("{} :", cellules.1);
    assert!(
        !s.lines()
            .any(|l| l.starts_with(&cellule_zwsp) && l.contains("caractere-de-direction")),
        "{s}"
    );
    // With --forcer, generer still produces every document, those texts included.
    let o = siodoc(&[
        "generer",
        classe.to_str().unwrap(),
        "-o",
        dir.path().join("sortie").to_str().unwrap(),
        "--forcer",
        "--formats",
        "pdf",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", erreur(&o));
    assert!(!erreur(&o).contains("ÉCHEC"), "{}", erreur(&o));
}

#[test]
fn argument_errors_name_the_argument_before_any_work() {
    let dir = temp();
    let classe = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
    let classe = classe.to_str().unwrap();
    let fichier = dir.path().join("un-fichier");
    std::fs::write(&fichier, "").unwrap();
    let f = fichier.to_str().unwrap();
    for (args, attendu) in [
        (
            vec!["generer", classe, "-o", f],
            format!("-o « {f} » : ce n'est pas un dossier ; passez le dossier où écrire"),
        ),
        (
            vec!["generer", classe, "-o", "/dev/full"],
            "-o « /dev/full » : ce n'est pas un dossier ; passez le dossier où écrire".to_string(),
        ),
        (
            vec!["generer", classe, "--exporter-sources", f],
            format!(
                "--exporter-sources « {f} » : ce n'est pas un dossier ; passez le dossier où écrire"
            ),
        ),
        (
            vec!["generer", classe, "--modeles", "/nulle/part"],
            "--modeles « /nulle/part » : fichier ou dossier introuvable ; vérifiez le chemin"
                .to_string(),
        ),
    ] {
        let o = siodoc(&args);
        assert_eq!(o.status.code(), Some(3), "{args:?}");
        assert_eq!(erreur(&o), format!("siodoc : erreur : {attendu}"));
        assert!(sortie(&o).is_empty(), "{}", sortie(&o));
    }
    // A fictive class too large to be read back is refused at once, not written for hours.
    let o = siodoc(&[
        "modele",
        "--session",
        "2026",
        "--exemple",
        "--taille",
        "100000000",
        dir.path().join("enorme.xlsx").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        "siodoc : erreur : --taille <TAILLE> : « 100000000 » : attendu un nombre de candidats de 1 à \
         20 000 (au-delà, la feuille Réalisations dépasserait les 200 000 lignes que siodoc lit)\n\
         Pour l'aide : siodoc --help"
    );
    assert!(!dir.path().join("enorme.xlsx").exists());
    let o = siodoc(&["generer", classe, "-o", "/proc/siodoc"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        erreur(&o).starts_with(
            "siodoc : erreur : -o « /proc/siodoc » : on ne peut pas écrire dans « /proc »"
        ),
        "{}",
        erreur(&o)
    );
    let o = siodoc(&["generer", classe, "--nommage", "{{inconnu}}/{{document}}"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        "siodoc : erreur : motif --nommage « {{inconnu}}/{{document}} » : variable inconnue {{inconnu}} ; \
         variables possibles : {{classe}}, {{session}}, {{option}}, {{nom}}, {{prenom}}, {{numero}}, {{document}}"
    );
    // A device is never replaced, even with --ecraser.
    let o = siodoc(&["modele", "--session", "2026", "--ecraser", "/dev/full"]);
    assert_eq!(o.status.code(), Some(3));
    assert_eq!(
        erreur(&o),
        "siodoc : erreur : impossible d'écrire « /dev/full » : ce n'est pas un fichier ordinaire (périphérique, \
         tube ou lien) : siodoc ne le remplace pas ; choisissez un autre nom"
    );
    assert!(std::fs::metadata("/dev/full").is_ok_and(|m| {
        use std::os::unix::fs::FileTypeExt;
        m.file_type().is_char_device()
    }));
    let o = siodoc(&["verifier", classe, "--session", "3000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        erreur(&o).starts_with("siodoc : erreur : session 3000 inconnue"),
        "{}",
        erreur(&o)
    );
    assert!(sortie(&o).is_empty());
}

/// A class generated from the sample, ready to archive: (output folder, class folder).
fn classe_generee(dir: &Path) -> (PathBuf, PathBuf) {
    let sortie = dir.join("sortie");
    let classeur = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
    let o = siodoc(&[
        "generer",
        classeur.to_str().unwrap(),
        "-o",
        sortie.to_str().unwrap(),
        "--formats",
        "xlsx",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", erreur(&o));
    let classe = sortie.join("BTS SIO 26");
    (sortie, classe)
}

#[test]
fn archive_paths_never_leave_their_folder() {
    let dir = temp();
    let (_, classe) = classe_generee(dir.path());
    // An index entry that points out of the output folder.
    let index = classe.join("siodoc-index.json");
    let original = std::fs::read_to_string(&index).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&original).unwrap();
    v["fichiers"][0]["chemin"] = "../../../../etc/passwd".into();
    std::fs::write(&index, serde_json::to_vec(&v).unwrap()).unwrap();
    let archives = dir.path().join("archives");
    let o = siodoc(&[
        "archiver",
        classe.to_str().unwrap(),
        "-o",
        archives.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : impossible de lire « {} » : l'entrée « ../../../../etc/passwd » sort du dossier \
             de sortie (chemin absolu ou « .. ») : index modifié à la main ? Relancez siodoc generer pour le refaire",
            index.display()
        )
    );
    assert!(!archives.join("BTS SIO 26.zip").exists());
    std::fs::write(&index, &original).unwrap();

    // A candidate's folder replaced by a link to a folder elsewhere: refused, though the file
    // name in it is the one the index lists.
    let martin = std::fs::read_dir(&classe)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("MARTIN_")
        })
        .unwrap();
    let dehors = dir.path().join("dehors");
    std::fs::rename(&martin, &dehors).unwrap();
    std::os::unix::fs::symlink(&dehors, &martin).unwrap();
    let o = siodoc(&[
        "archiver",
        classe.to_str().unwrap(),
        "-o",
        archives.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        erreur(&o).contains("c'est un lien symbolique, pas un document produit par siodoc"),
        "{}",
        erreur(&o)
    );
    std::fs::remove_file(&martin).unwrap();
    std::fs::rename(&dehors, &martin).unwrap();

    // A renamed class folder is found by its index.
    let renomme = dir.path().join("sortie").join("Ma classe");
    std::fs::rename(&classe, &renomme).unwrap();
    // Scans with a link to a parent folder: never followed, reported.
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    std::fs::write(scans.join("MARTIN Léa.pdf"), b"%PDF-1.4 scan").unwrap();
    std::os::unix::fs::symlink(dir.path(), scans.join("boucle")).unwrap();
    let o = siodoc(&[
        "archiver",
        renomme.to_str().unwrap(),
        "--scans",
        scans.to_str().unwrap(),
        "-o",
        archives.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", erreur(&o));
    assert!(
        erreur(&o).contains(
            "« boucle » est un lien symbolique : siodoc ne suit pas les liens, il n'est pas archivé ; copiez \
             le fichier lui-même dans le dossier des scans"
        ),
        "{}",
        erreur(&o)
    );
    let zip = archives.join("BTS SIO 26.zip");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    for i in 0..z.len() {
        let nom = z.by_index(i).unwrap().name().unwrap().to_string();
        assert!(
            !nom.contains("..") && !nom.starts_with('/') && !nom.contains("boucle"),
            "{nom}"
        );
    }
}

/// Writes a ZIP of (name, bytes) entries, deflated.
fn zip_de(chemin: &Path, entrees: &[(impl AsRef<str>, Vec<u8>)]) {
    let mut z = zip::ZipWriter::new(std::fs::File::create(chemin).unwrap());
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (nom, octets) in entrees {
        z.start_file(nom.as_ref(), o).unwrap();
        z.write_all(octets).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn verifier_archive_streams_with_limits_and_checks_sha256sums_line_by_line() {
    let dir = temp();
    let (_, classe) = classe_generee(dir.path());
    let archives = dir.path().join("archives");
    let o = siodoc(&[
        "archiver",
        classe.to_str().unwrap(),
        "-o",
        archives.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", erreur(&o));
    let zip = archives.join("BTS SIO 26.zip");
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let mut entrees: Vec<(String, Vec<u8>)> = (0..z.len())
        .map(|i| {
            let mut e = z.by_index(i).unwrap();
            let nom = e.name().unwrap().to_string();
            let mut o = Vec::new();
            std::io::Read::read_to_end(&mut e, &mut o).unwrap();
            (nom, o)
        })
        .collect();
    let premier = entrees[0].0.clone();

    // Garbage in SHA256SUMS, a bomb in place of a document, an entry that climbs out.
    for (nom, octets) in &mut entrees {
        if nom == "SHA256SUMS" {
            *octets = b"n'importe quoi\n".to_vec();
        } else if *nom == premier {
            *octets = vec![0u8; 300 << 20];
        }
    }
    entrees.push(("../../evasion.txt".into(), b"dehors".to_vec()));
    let modifiee = dir.path().join("modifiee.zip");
    zip_de(&modifiee, &entrees);
    drop(entrees);
    let o = siodoc(&["verifier-archive", modifiee.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let s = sortie(&o);
    assert!(
        s.contains(&format!(
            "{premier} : MODIFIÉ (bien plus gros que le manifeste ne l'annonce ; lecture arrêtée à"
        )),
        "{s}"
    );
    assert!(
        s.contains(
            "SHA256SUMS : MODIFIÉ (ligne 1 illisible : « n'importe quoi » ; attendu « empreinte SHA-256 (64 \
             caractères), deux espaces, chemin »)"
        ),
        "{s}"
    );
    assert!(s.contains("SHA256SUMS : MODIFIÉ (ne liste pas "), "{s}");
    assert!(
        s.contains(
            "../../evasion.txt : CHEMIN REFUSÉ (sort de l'archive, chemin absolu ou lien symbolique : jamais lu \
             ni extrait)"
        ),
        "{s}"
    );
}

#[test]
fn a_broken_manifest_is_called_json_with_its_line_and_column() {
    let dir = temp();
    let z = dir.path().join("archive.zip");
    zip_de(
        &z,
        &[(
            "manifeste.json",
            b"{\n  \"siodoc\": \"0.1.0\",\n  oups\n}".to_vec(),
        )],
    );
    let o = siodoc(&["verifier-archive", z.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        erreur(&o).starts_with(&format!(
            "siodoc : erreur : impossible de lire « {} » : « manifeste.json » illisible, ligne 3, colonne 3 : \
             syntaxe JSON invalide",
            z.display()
        )),
        "{}",
        erreur(&o)
    );
}

#[test]
fn the_password_is_asked_for_only_after_the_certificate_is_read() {
    let dir = temp();
    let (_, classe) = classe_generee(dir.path());
    let faux = dir.path().join("sceau.p12");
    std::fs::write(&faux, b"-----BEGIN CERTIFICATE-----\n").unwrap();
    // No terminal and no SIODOC_P12_PASSWORD: had the password been asked first, the message
    // would be about the password.
    let o = Command::new(siodoc_bin())
        .args([
            "archiver",
            classe.to_str().unwrap(),
            "--certificat",
            faux.to_str().unwrap(),
            "-o",
            dir.path().join("a").to_str().unwrap(),
        ])
        .env_remove("SIODOC_P12_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        erreur(&o),
        format!(
            "siodoc : erreur : certificat « {} » : ce n'est pas un fichier PKCS#12 (.p12, .pfx) ; exportez le \
             certificat avec sa clé privée au format PKCS#12",
            faux.display()
        )
    );
}

/// A sheet whose records, read from the offset its BOUNDSHEET record gives, place a cell at
/// column 11826: calamine would allocate 6 GB for the rectangle (found by fuzzing).
#[test]
fn an_xls_sheet_whose_cells_reach_absurd_columns_is_refused_before_allocation() {
    let dir = temp();
    let f = dir.path().join("classe.xls");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/donnees/fuzz/classeur_xls/oom-91c76f7a1d7a29ca179dd2e8ca61220fd15bf450"),
        &f,
    )
    .unwrap();
    refuse_classeur(
        &f,
        "la feuille n° 5 du fichier XLS a des valeurs jusqu'à la colonne QLV (n° 11826) ; siodoc lit au plus 1000 \
         colonnes par feuille : supprimez le contenu isolé à droite et enregistrez",
    );
}

/// An XLS whose sheets each stay under the limit of one sheet but not together: calamine parses
/// and keeps every sheet when it opens the file, so two sheets of 6 million cells (two cells
/// each, in opposite corners) would be held at once. Refused before the spreadsheet reader.
#[test]
fn an_xls_whose_sheets_together_exceed_the_cell_limit_is_refused_before_allocation() {
    use std::io::Write;
    fn enregistrement(genre: u16, donnees: &[u8]) -> Vec<u8> {
        let mut r = genre.to_le_bytes().to_vec();
        r.extend((donnees.len() as u16).to_le_bytes());
        r.extend(donnees);
        r
    }
    let bof = |genre: u16| {
        let mut d = vec![0x00, 0x06];
        d.extend(genre.to_le_bytes());
        d.extend([0u8; 12]);
        enregistrement(0x0809, &d)
    };
    let nombre = |ligne: u16, colonne: u16| {
        let mut d = ligne.to_le_bytes().to_vec();
        d.extend(colonne.to_le_bytes());
        d.extend([0u8; 2]);
        d.extend(1f64.to_le_bytes());
        enregistrement(0x0203, &d)
    };
    let feuille = [
        bof(0x0010),
        nombre(0, 0),
        nombre(39_999, 149),
        enregistrement(0x000A, &[]),
    ]
    .concat();
    let feuille_declaree = |position: u32, nom: &str| {
        let mut d = position.to_le_bytes().to_vec();
        d.extend([0, 0, nom.len() as u8, 0]);
        d.extend(nom.as_bytes());
        enregistrement(0x0085, &d)
    };
    // The globals' length does not depend on the offsets: measured first, then written.
    let globales = |p1: u32, p2: u32| {
        [
            bof(0x0005),
            feuille_declaree(p1, "Candidats"),
            feuille_declaree(p2, "Fiches"),
            enregistrement(0x000A, &[]),
        ]
        .concat()
    };
    let debut = globales(0, 0).len() as u32;
    let flux = [
        globales(debut, debut + feuille.len() as u32),
        feuille.clone(),
        feuille,
    ]
    .concat();
    let dir = temp();
    let f = dir.path().join("classe.xls");
    let mut ole = cfb::create(&f).unwrap();
    ole.create_stream("/Workbook")
        .unwrap()
        .write_all(&flux)
        .unwrap();
    ole.flush().unwrap();
    drop(ole);
    refuse_classeur(
        &f,
        "le fichier XLS couvre plus de 10000000 cellules en tout sur ses 2 feuilles (jusqu'à la feuille n° 2) ; \
         siodoc n'en lit pas davantage : le fichier est endommagé ou fabriqué, ou bien supprimez les feuilles \
         inutiles et enregistrez-le au format XLSX",
    );
}

/// The same for an ODS, which calamine also reads whole when it opens it: two sheets of 6 million
/// cells each (a value in the first cell, another 39 999 rows and 149 columns further, the rows
/// and cells between them repeated), each within the limit of one sheet, not together.
#[test]
fn an_ods_whose_sheets_together_exceed_the_cell_limit_is_refused_before_allocation() {
    let feuille = |nom: &str| {
        format!(
            r#"<table:table table:name="{nom}"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="39998"><table:table-cell/></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="149"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#
        )
    };
    let contenu = format!(
        r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet>{}{}</office:spreadsheet></office:body></office:document-content>"#,
        feuille("Candidats"),
        feuille("Fiches")
    );
    let dir = temp();
    let f = dir.path().join("classe.ods");
    zip_de(
        &f,
        &[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet".to_vec(),
            ),
            ("content.xml", contenu.into_bytes()),
        ],
    );
    refuse_classeur(
        &f,
        "le fichier ODS couvre plus de 10000000 cellules en tout sur ses feuilles (jusqu'à la feuille « Fiches ») ; \
         siodoc n'en lit pas davantage : le fichier est endommagé ou fabriqué, ou bien supprimez les feuilles \
         inutiles et enregistrez",
    );
}

/// The same for an XLSX: siodoc keeps every sheet it has read until the workbook is read, so
/// two sheets of 6 million cells each (a value in A1, another in ET40000) are refused together.
#[test]
fn an_xlsx_whose_sheets_together_exceed_the_cell_limit_is_refused_before_allocation() {
    let feuille = br#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="40000"><c r="ET40000"><v>1</v></c></row></sheetData></worksheet>"#.to_vec();
    let dir = temp();
    let f = dir.path().join("classe.xlsx");
    zip_de(
        &f,
        &[
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/worksheets/sheet1.xml", feuille.clone()),
            ("xl/worksheets/sheet2.xml", feuille),
        ],
    );
    refuse_classeur(
        &f,
        "le classeur couvre plus de 10000000 cellules en tout sur ses feuilles (jusqu'à la feuille \
         « xl/worksheets/sheet2.xml ») ; siodoc n'en lit pas davantage : le fichier est endommagé ou fabriqué, \
         ou bien supprimez les feuilles inutiles et enregistrez",
    );
}

/// Two .xls files found by fuzzing (tests/donnees/fuzz/classeur_xls): one made calamine panic on
/// its sector table, the other made it follow a looping sector chain until memory ran out. The
/// OLE container is now checked first (cfb crate): a French error naming the file, code 2.
#[test]
fn damaged_xls_containers_are_refused_before_the_spreadsheet_reader() {
    let dir = temp();
    for (artefact, detail) in [
        (
            "crash-fa93dd24576a01486f341e15e20c32877536f13f",
            "failed to fill whole buffer",
        ),
        (
            "oom-bcf677f8a6cdcda0532241d5d607715ee1169595",
            "Malformed FAT (FAT has 384 entries, but file has only 294 sectors)",
        ),
    ] {
        let f = dir.path().join(format!("{artefact}.xls"));
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/donnees/fuzz/classeur_xls")
                .join(artefact),
            &f,
        )
        .unwrap();
        refuse_classeur(
            &f,
            &format!(
                "le fichier XLS (conteneur OLE) est endommagé ; reprenez l'original, ou ouvrez-le dans votre \
                 tableur et enregistrez-le au format XLSX (détail : {detail})"
            ),
        );
    }
}

#[test]
fn a_template_that_eats_memory_or_never_ends_is_stopped_with_code_4() {
    let dir = temp();
    let classe = dir.path().join("classe.xlsx");
    Tables::exemple(2026).ecrire_xlsx(&classe);
    let modeles = dir.path().join("modeles");
    std::fs::create_dir(&modeles).unwrap();
    for (n, (corps, delai, raison)) in [
        // 400 million integers: more than 24 GB if nothing stops it.
        (
            "#let s = 0\n#for i in range(400000000) { s += 1 }\n#s\n",
            "300",
            "la mise en page des documents a demandé plus de 2 Go de mémoire",
        ),
        // Ten billion turns: hours, with little memory.
        (
            "#let s = 0\n#for i in range(100000) { for j in range(100000) { s += 1 } }\n#s\n",
            "2",
            "aucun document n'a été produit depuis 2 s",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        std::fs::write(modeles.join("fiche-2019.typ"), corps).unwrap();
        let sortie_dir = dir.path().join(format!("sortie-{n}"));
        let debut = std::time::Instant::now();
        let o = Command::new(siodoc_bin())
            .args(["generer", classe.to_str().unwrap(), "-o"])
            .arg(&sortie_dir)
            .args(["--formats", "pdf", "--modeles"])
            .arg(&modeles)
            .env("SIODOC_DELAI_SANS_DOCUMENT", delai)
            .output()
            .unwrap();
        let e = erreur(&o);
        assert_eq!(o.status.code(), Some(4), "{e}");
        assert!(
            e.contains(&format!(
                "siodoc : erreur : rendu arrêté : {raison} ; un modèle de --modeles en est sans doute \
                 la cause (une boucle sur une très grande plage, une récursion sans fin…) : corrigez-le, \
                 ou relancez sans --modeles pour les modèles fournis. Les documents déjà écrits dans « {} » \
                 sont complets ; les autres ne sont pas produits.",
                sortie_dir.display()
            )),
            "{e}"
        );
        assert!(debut.elapsed() < std::time::Duration::from_secs(60));
        // No temporary file is left, and what was written is whole.
        let mut restes = Vec::new();
        let mut a_voir = vec![sortie_dir.clone()];
        while let Some(d) = a_voir.pop() {
            for f in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                if f.path().is_dir() {
                    a_voir.push(f.path());
                } else if f.file_name().to_string_lossy().ends_with(".tmp") {
                    restes.push(f.path());
                } else if f.path().extension().is_some_and(|x| x == "pdf") {
                    let octets = std::fs::read(f.path()).unwrap();
                    assert!(octets.windows(5).rev().take(64).any(|w| w == b"%%EOF"));
                }
            }
        }
        assert!(restes.is_empty(), "{restes:?}");
    }
}

/// Raw deflate of `n` zero bytes (made through a ZIP entry, whose data is raw deflate).
fn deflate_de_zeros(n: usize) -> Vec<u8> {
    let mut tampon = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut tampon);
        let o = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(6))
            .large_file(true);
        z.start_file("zeros", o).unwrap();
        let bloc = vec![0u8; 1 << 20];
        for _ in 0..n >> 20 {
            z.write_all(&bloc).unwrap();
        }
        z.finish().unwrap();
    }
    let mut archive = zip::ZipArchive::new(tampon).unwrap();
    let mut brut = Vec::new();
    std::io::Read::read_to_end(&mut archive.by_index_raw(0).unwrap(), &mut brut).unwrap();
    brut
}

#[test]
fn a_scan_whose_streams_inflate_to_gigabytes_is_reported_not_followed() {
    let dir = temp();
    let (_, dossier_classe) = classe_generee(dir.path());
    let scans = dir.path().join("scans");
    std::fs::create_dir(&scans).unwrap();
    // An object stream of 2.2 GB of zeros in a file of a few megabytes, with no cross-reference
    // table: a reader that rebuilds the table opens the object stream.
    let flux = deflate_de_zeros(2200 << 20);
    let mut pdf = format!(
        "%PDF-1.7\n1 0 obj\n<</Type/ObjStm/N 1000000/First 10/Length {}/Filter/FlateDecode>>\nstream\n",
        flux.len()
    )
    .into_bytes();
    pdf.extend_from_slice(&flux);
    pdf.extend_from_slice(
        b"\nendstream\nendobj\n2 0 obj\n<</Type/Catalog/Pages 3 0 R>>\nendobj\n3 0 obj\n<</Type/Pages/Kids[4 0 R]/Count 1>>\nendobj\n4 0 obj\n<</Type/Page/Parent 3 0 R/MediaBox[0 0 10 10]>>\nendobj\ntrailer\n<</Root 2 0 R>>\n%%EOF\n",
    );
    assert!(pdf.len() < 20 << 20, "{}", pdf.len());
    let numero = "026000101";
    std::fs::write(scans.join(format!("{numero}-signe.pdf")), &pdf).unwrap();
    std::fs::write(
        scans.join(format!("{numero}-tronque.pdf")),
        b"%PDF-1.4\n1 0 obj\n<<",
    )
    .unwrap();
    let debut = std::time::Instant::now();
    let o = siodoc(&[
        "archiver",
        dossier_classe.to_str().unwrap(),
        "--scans",
        scans.to_str().unwrap(),
        "-o",
        dir.path().join("archive").to_str().unwrap(),
    ]);
    let e = erreur(&o);
    assert_eq!(o.status.code(), Some(1), "{e}");
    assert!(
        e.contains(&format!("{numero}-signe.pdf » ne s'ouvre pas comme un PDF (l'ouverture de ce fichier demandait plus de 3,0 Go de mémoire : le fichier est anormal (fabriqué ou endommagé)")),
        "{e}"
    );
    assert!(
        e.contains("rescannez le document, ou ouvrez-le et enregistrez-le de nouveau en PDF) : archivé tel quel, à vérifier"),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "{numero}-tronque.pdf » ne s'ouvre pas comme un PDF (structure PDF invalide : fichier \
             tronqué, endommagé, ou qui n'est pas un PDF) : archivé tel quel, à vérifier"
        )),
        "{e}"
    );
    assert!(e.contains("Archive « "), "{e}");
    assert!(debut.elapsed() < std::time::Duration::from_secs(120));
}
