//! `siodoc generer`: the PDFs' text (pdftotext from poppler-utils), ticks found by position,
//! reproducibility, hostile input, --forcer, naming, exported sources.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Command;

use commun::Tables;
use commun::pdf::{info, mots, pages, texte, trouver};
use siodoc::chargement::charger;

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

use commun::generer;

fn dossier_candidat(sortie: &Path, classe: &str, nom: &str) -> PathBuf {
    commun::dossier_candidat(sortie, Some(classe), nom)
}

/// Every file under a folder, sorted.
fn fichiers(dossier: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dossier).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(fichiers(&p));
        } else {
            v.push(p);
        }
    }
    v.sort();
    v
}

/// The documents' PDFs, without the print-ready class files (tests/mise_en_page.rs).
fn pdfs(dossier: &Path) -> Vec<PathBuf> {
    fichiers(dossier)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .filter(|p| !p.parent().is_some_and(|d| d.ends_with("impression")))
        .collect()
}

#[test]
fn sample_2026_every_document_with_its_content_and_ticks_in_place() {
    let dir = commun::temp();
    let sortie = dir.path().join("sortie");
    let classeur = racine().join("samples/classe-2026.xlsx");
    let o = generer(&classeur, &sortie, &[]);
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{erreurs}");
    assert!(!erreurs.contains("avertissement"), "{erreurs}");
    assert!(
        erreurs.contains("58 documents (pdf, xlsx) pour 14 candidats"),
        "{erreurs}"
    );
    let tous = fichiers(&sortie);
    assert_eq!(pdfs(&sortie).len(), 14 * 3 + 1);
    // Next to the PDFs: each candidate's tableau as XLSX, the class workbook, the index the
    // archive stage reads, and the two print-ready class files.
    assert_eq!(tous.len(), 14 * 3 + 1 + 14 + 1 + 1 + 2);
    let brut = std::fs::read_to_string(sortie.join("BTS SIO 26/siodoc-index.json")).unwrap();
    let index: serde_json::Value = serde_json::from_str(&brut).unwrap();
    assert_eq!(index["fichiers"].as_array().unwrap().len(), 58);
    // Written as it is serialized, in the same form as ever: keys in alphabetical order, each
    // entry with its candidate.
    assert!(
        brut.starts_with("{\n  \"classe\": \"BTS SIO 26\",\n  \"fichiers\": [\n    {\n      \"candidat\": {\n        \"nom\": "),
        "{brut}"
    );
    assert_eq!(index["fichiers"][0]["document"], "fiche-1");
    assert!(
        index["fichiers"][0]["candidat"]["numero"].is_string(),
        "{brut}"
    );
    assert_eq!(index["siodoc"], env!("CARGO_PKG_VERSION"));
    assert!(index["profil"]["session"].is_number(), "{brut}");
    let chemins: Vec<&str> = index["fichiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["chemin"].as_str().unwrap())
        .collect();
    assert!(chemins.windows(2).all(|w| w[0] < w[1]), "{chemins:?}");
    assert!(chemins.contains(&"BTS SIO 26/classe-synthese.xlsx"));

    // The model, read independently from the workbook, says what each document must show.
    let c = charger(&classeur, None, None).unwrap();
    let k = c.classeur.unwrap();
    let lea = &k.candidats[0];
    let dossier = dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_Léa_");
    assert_eq!(
        dossier.file_name().unwrap().to_string_lossy(),
        format!("MARTIN_Léa_{}", lea.numero.texte)
    );
    let tableau = dossier.join("tableau-de-synthese.pdf");
    let t = texte(&tableau);
    for attendu in [
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
        "SESSION 2026",
        "Tableau de synthèse des réalisations professionnelles",
        "NOM et prénom : MARTIN Léa",
        &format!("N° candidat : {}", lea.numero.texte),
        "☒ SISR",
        "▢ SLAM",
        "Adresse URL du portfolio : https://portfolio.exemple.fr/lea-martin",
        "Réalisations en milieu professionnel en cours de seconde année",
        "Gérer le patrimoine informatique",
    ] {
        assert!(t.contains(attendu), "« {attendu} » absent du tableau : {t}");
    }
    // The annex label and the épreuve are siodoc's additions: metadata, not page.
    assert!(!t.contains("ANNEXE"), "{t}");
    let i = info(&tableau);
    assert!(i.contains("Keywords:        ANNEXE VI-1, Épreuve E5 - Support et mise à disposition de services informatiques, siodoc/2026/"), "{i}");
    let realisations: Vec<_> = k.realisations_de(&lea.numero.texte).collect();
    assert_eq!(realisations.len(), 7);

    // Ticks by position: each X sits on its réalisation's line, in a ticked compétence's
    // column. The columns are found from the identity row: « Option : » starts column F, its
    // boxes columns G and H, and C–H are of one width.
    let m = mots(&tableau);
    let x_f = m.iter().find(|w| w.texte == "Option").unwrap().x0;
    let x_g = m
        .iter()
        .find(|w| w.texte == "☒" || w.texte == "▢")
        .unwrap()
        .x0;
    let colonne = x_g - x_f;
    let codes: Vec<(String, f64)> = ["B1.1", "B1.2", "B1.3", "B1.4", "B1.5", "B1.6"]
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                c.to_string(),
                x_f - 3.0 * colonne + (i as f64 + 0.5) * colonne,
            )
        })
        .collect();
    for r in &realisations {
        assert!(
            t.contains(r.intitule.texte.as_str()),
            "intitulé « {} » absent",
            r.intitule.texte
        );
        let i = trouver(&m, &r.intitule.texte)
            .unwrap_or_else(|| panic!("« {} » introuvable mot à mot", r.intitule.texte));
        let y = m[i].y;
        let mut sous: Vec<String> = m
            .iter()
            .filter(|w| w.texte == "X" && (w.y - y).abs() < 9.0)
            .map(|w| {
                let (code, centre) = codes
                    .iter()
                    .min_by(|a, b| (a.1 - w.x).abs().total_cmp(&(b.1 - w.x).abs()))
                    .unwrap();
                assert!((centre - w.x).abs() < colonne / 4.0, "X hors de sa colonne");
                code.clone()
            })
            .collect();
        sous.sort();
        let mut attendus: Vec<String> = r
            .codes_coches()
            .filter(|c| c.starts_with("B1."))
            .map(String::from)
            .collect();
        attendus.sort();
        assert_eq!(sous, attendus, "coches de « {} »", r.intitule.texte);
    }

    // Fiche 1: recto fields, the option's bloc-2 boxes, the descriptif on the verso.
    let fiche = texte(&dossier.join("fiche-1.pdf"));
    let r1 = realisations
        .iter()
        .find(|r| r.numero_fiche() == Some(1))
        .unwrap();
    for attendu in [
        "ANNEXE VII-1-A : Fiche descriptive de réalisation professionnelle (recto) Épreuve E6 - Administration des systèmes et des réseaux (option SISR)",
        "ANNEXE VII-1-A : Fiche descriptive de réalisation professionnelle (verso, éventuellement pages suivantes)",
        "N° réalisation : 1",
        "Nom, prénom : MARTIN Léa",
        "Épreuve ponctuelle ☐",
        "Contrôle en cours de formation ☒",
        "☒ Concevoir une solution d’infrastructure réseau",
        "☒ Installer, tester et déployer une solution d’infrastructure réseau",
        "☐ Exploiter, dépanner et superviser une solution d’infrastructure réseau",
        &r1.intitule.texte,
        "Modalités d’accès aux productions³ et à leur documentation⁴",
        "Étapes : analyse du besoin",
    ] {
        assert!(
            fiche.contains(attendu),
            "« {attendu} » absent de la fiche : {fiche}"
        );
    }

    // Class overview: every candidate, with the number of réalisations.
    let synthese = texte(&sortie.join("BTS SIO 26/synthese-classe.pdf"));
    for c in &k.candidats {
        assert!(
            synthese.contains(&format!("{} {}", c.nom.texte, c.prenom.texte)),
            "{}",
            c.nom.texte
        );
    }
    assert!(synthese.contains("Synthèse de la classe BTS SIO 26 — session 2026"));
}

#[test]
fn sample_2020_tableau_a3_and_e4_fiche() {
    let dir = commun::temp();
    let sortie = dir.path().join("sortie");
    let o = generer(&racine().join("samples/classe-2020.xlsx"), &sortie, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dossier = dossier_candidat(&sortie, "BTS SIO 20", "MARTIN_Léa_");
    let tableau = dossier.join("tableau-de-synthese.pdf");
    let t = texte(&tableau);
    for attendu in [
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION 2020 - TABLEAU DE SYNTHESE",
        "NOM et Prénom du candidat : MARTIN Léa",
        "Option SISR",
        "Situations obligatoires",
        "Période (sous la forme MM/AA)",
        "A4.1.7 , Développement, utilisation ou adaptation de composants logiciels",
        "SITUATIONS VECUES EN FORMATION",
        "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE ANNEE DANS L'ORGANISATION …",
        "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …",
        "Je soussigné-e Claire FONTAINE, formatrice (formateur) au centre de formation Lycée Jules-Verne (fictif), Nantes, certifie",
    ] {
        assert!(
            t.contains(attendu),
            "« {attendu} » absent du tableau 2011 : {t}"
        );
    }
    // Nothing the official lacks: no processus row, no signature label, no annex footer.
    for absent in ["P3 Conception", "Signature", "ANNEXE", "SYNTHÈSE", "VÉCUES"] {
        assert!(
            !t.contains(absent),
            "« {absent} » dans le tableau 2011 : {t}"
        );
    }
    // A SLAM-only activité is not a column of a SISR grid.
    assert!(!t.contains("A4.1.1 , Proposition d'une solution applicative"));
    assert!(info(&tableau).contains("1190.55 x 841.89 pts (A3)"));

    let fiche = texte(&dossier.join("fiche-1.pdf"));
    for attendu in [
        "BTS Services informatiques aux organisations Session 2020",
        "E4 – Conception et maintenance de solutions informatiques Coefficient 4",
        "DESCRIPTION D’UNE SITUATION PROFESSIONNELLE",
        "Principale(s) activité(s) concernée(s)²",
        "OPTION SISR ☒",
        "OPTION SLAM ☐",
    ] {
        assert!(
            fiche.contains(attendu),
            "« {attendu} » absent de la fiche E4 : {fiche}"
        );
    }
}

#[test]
fn same_workbook_twice_gives_identical_bytes() {
    let dir = commun::temp();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let classeur = racine().join("samples/classe-2026.xlsx");
    assert!(generer(&classeur, &a, &[]).status.success());
    assert!(generer(&classeur, &b, &[]).status.success());
    let (fa, fb) = (fichiers(&a), fichiers(&b));
    assert_eq!(fa.len(), 61, "documents, index et fichiers d'impression");
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(&a).unwrap(), y.strip_prefix(&b).unwrap());
        assert!(
            std::fs::read(x).unwrap() == std::fs::read(y).unwrap(),
            "{} diffère",
            x.display()
        );
    }
}

#[test]
fn hostile_text_is_printed_literally_and_names_stay_inside() {
    let mut t = Tables::exemple(2026);
    let hostiles = ["#read(\"/etc/passwd\")", "]#panic()", "$x$", "<b>gras</b>"];
    let numero = t.get("Candidats", 2, "N° candidat");
    for (k, h) in hostiles.iter().enumerate() {
        t.set("Réalisations", t.realisation(&numero, k), "Intitulé", h);
    }
    t.set("Candidats", 2, "NOM", "../../x");
    t.feuilles.get_mut("Paramètres").unwrap()[3][1] = "../CON".into();
    let dir = commun::temp();
    let classeur = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&classeur);
    let sortie = dir.path().join("a/sortie");
    let o = generer(&classeur, &sortie, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // Nothing outside the output folder.
    let dehors: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(dehors.len(), 2, "{dehors:?}");
    assert_eq!(std::fs::read_dir(dir.path().join("a")).unwrap().count(), 1);
    let tous = fichiers(&sortie);
    assert_eq!(tous.len(), 61);
    let racine_sortie = sortie.canonicalize().unwrap();
    for p in &tous {
        assert!(
            p.canonicalize().unwrap().starts_with(&racine_sortie),
            "{}",
            p.display()
        );
    }
    let classe = std::fs::read_dir(&sortie)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    assert!(
        !classe.contains("..") || classe.starts_with('_'),
        "{classe}"
    );
    assert!(!classe.contains('/') && classe != "CON");
    let nom = siodoc::rendu::nommage::assainir("../../x");
    let dossier = dossier_candidat(&sortie, &classe, &format!("{nom}_"));
    let texte_tableau = texte(&dossier.join("tableau-de-synthese.pdf"));
    for h in hostiles {
        assert!(
            texte_tableau.contains(h),
            "« {h} » absent : {texte_tableau}"
        );
    }
    assert!(texte_tableau.contains("NOM et prénom : ../../x Léa"));
    assert!(!texte_tableau.contains("root:"));
}

#[test]
fn errors_stop_the_run_unless_forcer_marks_documents() {
    let mut t = Tables::exemple(2026);
    let numero = t.get("Candidats", 2, "N° candidat");
    t.set("Réalisations", t.realisation(&numero, 0), "B1.1", "v");
    let dir = commun::temp();
    let classeur = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&classeur);

    let sortie = dir.path().join("sortie");
    let o = generer(&classeur, &sortie, &[]);
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("erreur [coche-inconnue]"), "{stdout}");
    // The summary names what was read, as `verifier` does.
    let k = t.charger();
    let classe = k.classeur.as_ref().unwrap();
    assert!(
        stdout.contains(&format!(
            "(session 2026, {} candidats, {} réalisations).",
            classe.candidats.len(),
            classe.realisations.len()
        )),
        "{stdout}"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("Aucun document produit"));
    assert!(!sortie.exists());

    let o = generer(&classeur, &sortie, &["--forcer"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(pdfs(&sortie).len(), 43);
    // « NON VALIDÉ » is drawn across the page (diagonal text, which pdftotext leaves out: see
    // docs/images) and said in the metadata.
    let marque = dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_").join("tableau-de-synthese.pdf");
    assert!(
        info(&marque).contains(", NON VALIDÉ\n"),
        "{}",
        info(&marque)
    );
    let propre =
        dossier_candidat(&sortie, "BTS SIO 26", "BERNARD_").join("tableau-de-synthese.pdf");
    assert!(!info(&propre).contains("NON VALIDÉ"));
}

#[test]
fn custom_naming_pattern() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    let o = generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--nommage", "{{classe}}/{{nom}}-{{document}}"],
    );
    assert!(o.status.success());
    assert!(
        sortie
            .join("BTS SIO 26/MARTIN-tableau-de-synthese.pdf")
            .is_file()
    );
    assert!(sortie.join("BTS SIO 26/MARTIN-fiche-2.pdf").is_file());
    assert!(sortie.join("BTS SIO 26/synthese-classe.pdf").is_file());
    // One name for every candidate: numbered -2, -3… in class order, none lost.
    let meme = dir.path().join("meme");
    let o = generer(
        &racine().join("samples/classe-2026.xlsx"),
        &meme,
        &[
            "--nommage",
            "{{classe}}/x-{{document}}",
            "--formats",
            "xlsx",
        ],
    );
    assert!(o.status.success());
    let mut noms: Vec<String> = std::fs::read_dir(meme.join("BTS SIO 26"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("x-tableau-de-synthese"))
        .collect();
    noms.sort();
    let mut attendus: Vec<String> = std::iter::once("x-tableau-de-synthese.xlsx".to_string())
        .chain((2..=14).map(|n| format!("x-tableau-de-synthese-{n}.xlsx")))
        .collect();
    attendus.sort();
    assert_eq!(noms, attendus);
    let o = generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--nommage", "{{eleve}}/{{document}}"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("variables possibles"));
}

/// A part longer than the template's rows: rows are added as in the spreadsheet and the page
/// shrinks to hold them, then, past what one page holds readably, the tableau goes on a second
/// page under the same column heads.
#[test]
fn long_parties_grow_then_continue_on_a_second_page() {
    for (ajouts, pages_attendues) in [(8, 1), (40, 2)] {
        let mut t = Tables::exemple(2026);
        let numero = t.get("Candidats", 2, "N° candidat");
        let premiere = t.realisation(&numero, 0);
        let mut intitules = Vec::new();
        for i in 0..ajouts {
            let l = t.dupliquer("Réalisations", premiere);
            let intitule = format!("Réalisation supplémentaire numéro {i}");
            t.set("Réalisations", l, "Intitulé", &intitule);
            intitules.push(intitule);
        }
        let dir = commun::temp();
        let classeur = dir.path().join("classe.xlsx");
        t.ecrire_xlsx(&classeur);
        let sortie = dir.path().join("s");
        assert!(generer(&classeur, &sortie, &[]).status.success());
        let tableau =
            dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_").join("tableau-de-synthese.pdf");
        assert_eq!(
            pages(&tableau),
            pages_attendues,
            "{ajouts} réalisations ajoutées"
        );
        let t = texte(&tableau);
        for i in &intitules {
            assert!(t.contains(i), "{i}");
        }
        for p in 1..=pages_attendues {
            let page = commun::pdf::texte_page(&tableau, p);
            assert!(
                page.contains("Gérer le patrimoine informatique"),
                "têtes de colonnes page {p}"
            );
            assert!(page.contains("Période (sous la forme du JJ/MM/AA au JJ/MM/AA)"));
        }
    }
}

#[test]
fn a_page_renders_to_a_non_blank_image() {
    let c = charger(&racine().join("samples/classe-2026.xlsx"), None, None).unwrap();
    let (k, p) = (c.classeur.unwrap(), c.profil.unwrap());
    let (docs, _) = siodoc::rendu::formulaires::documents(&k, &p, &c.diagnostics, false);
    let moteur = siodoc::rendu::moteur::Moteur::new();
    let date = typst::foundations::Datetime::from_ymd(2026, 6, 1).unwrap();
    let (doc, avertissements) = moteur
        .compiler(docs[0].modele, &docs[0].donnees, date)
        .unwrap();
    assert!(avertissements.is_empty(), "{avertissements:?}");
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(1.0),
        ..Default::default()
    };
    let image = typst_render::render(&doc.pages()[0], &options);
    let pixels = image.pixels();
    let encre = pixels
        .iter()
        .filter(|px| px.red() < 128 && px.green() < 128 && px.blue() < 128)
        .count();
    let part = encre as f64 / pixels.len() as f64;
    // Text and borders: some ink, but far from a black page.
    assert!(part > 0.01 && part < 0.5, "part d'encre {part}");
    assert!(image.encode_png().unwrap().len() > 10_000);
}

/// The sample class generated into `dir/s`, and its sources exported into `dir/sources`:
/// (sources folder, MARTIN Léa's tableau sources).
fn sources_exportees(dir: &Path) -> (PathBuf, PathBuf) {
    let sources = dir.join("sources");
    let classeur = racine().join("samples/classe-2026.xlsx");
    assert!(generer(&classeur, &dir.join("s"), &[]).status.success());
    let o = generer(
        &classeur,
        &dir.join("s"),
        &["--exporter-sources", sources.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc = sources
        .join("BTS SIO 26")
        .join(
            std::fs::read_dir(sources.join("BTS SIO 26"))
                .unwrap()
                .map(|e| e.unwrap().file_name())
                .find(|n| n.to_string_lossy().starts_with("MARTIN_"))
                .unwrap(),
        )
        .join("tableau-de-synthese");
    (sources, doc)
}

#[test]
fn exported_sources_hold_everything_typst_needs() {
    let dir = commun::temp();
    let (sources, doc) = sources_exportees(dir.path());
    for f in ["main.typ", "commun.typ", "data.json"] {
        assert!(doc.join(f).is_file(), "{f}");
    }
    // The font files are the originals: only the copy embedded in the PDFs has its hinting
    // dropped (polices::sans_hinting).
    for (nom, octets) in siodoc::polices::POLICES {
        assert!(
            std::fs::read(sources.join("fonts").join(nom)).unwrap() == octets,
            "{nom}"
        );
    }
    let donnees: serde_json::Value =
        serde_json::from_slice(&std::fs::read(doc.join("data.json")).unwrap()).unwrap();
    assert_eq!(donnees["candidat"]["nom_prenom"], "MARTIN Léa");
    assert_eq!(
        std::fs::read_to_string(doc.join("main.typ")).unwrap(),
        include_str!("../templates/tableau-2019.typ")
    );
}

/// The exported sources rebuild the same text with the typst CLI. The CLI takes 11 minutes to
/// build (cargo install typst-cli --version 0.15.1 --locked), so this test is listed as ignored
/// by `cargo test` and run with `cargo test --release -- --ignored`; it fails without the CLI.
#[test]
#[ignore = "nécessite la commande typst 0.15 (cargo install typst-cli --version 0.15.1 --locked)"]
fn exported_sources_rebuild_the_same_text_with_the_typst_cli() {
    let dir = commun::temp();
    let (sources, doc) = sources_exportees(dir.path());
    let typst = ["typst", "/opt/typst/bin/typst"]
        .into_iter()
        .find(|t| Command::new(t).arg("--version").output().is_ok())
        .expect("commande typst introuvable : cargo install typst-cli --version 0.15.1 --locked");
    let pdf = dir.path().join("cli.pdf");
    let o = Command::new(typst)
        .args(["compile", "--ignore-system-fonts", "--font-path"])
        .arg(sources.join("fonts"))
        .arg(doc.join("main.typ"))
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let notre = texte(
        &dossier_candidat(&dir.path().join("s"), "BTS SIO 26", "MARTIN_")
            .join("tableau-de-synthese.pdf"),
    );
    assert_eq!(texte(&pdf), notre);
}

#[test]
fn teacher_templates_override_and_a_broken_one_fails_alone() {
    let dir = commun::temp();
    let modeles = dir.path().join("modeles");
    let o = Command::new(commun::siodoc_bin())
        .args(["modeles", "exporter"])
        .arg(&modeles)
        .output()
        .unwrap();
    assert!(o.status.success());
    let chemin = modeles.join("fiche-2019.typ");
    let fiche = std::fs::read_to_string(&chemin).unwrap();
    assert_eq!(fiche, include_str!("../templates/fiche-2019.typ"));

    // An adapted template is used.
    std::fs::write(
        &chemin,
        fiche.replace(
            "Compétences travaillées",
            "Compétences travaillées (modèle du lycée)",
        ),
    )
    .unwrap();
    let classeur = racine().join("samples/classe-2026.xlsx");
    // The sample class generated into `dir/<nom>` with the templates of `dossier`.
    let avec_modeles = |dossier: &Path, nom: &str| {
        let sortie = dir.path().join(nom);
        let o = generer(
            &classeur,
            &sortie,
            &["--modeles", dossier.to_str().unwrap(), "--formats", "pdf"],
        );
        (sortie, o)
    };
    let (sortie, o) = avec_modeles(&modeles, "a");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let t = texte(&dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_").join("fiche-1.pdf"));
    assert!(
        t.contains("Compétences travaillées (modèle du lycée)"),
        "{t}"
    );

    // A broken one: every fiche fails with the template's line, the other documents are made.
    let casse = fiche.replacen("#table(", "#table((", 1);
    std::fs::write(&chemin, casse).unwrap();
    let (sortie, o) = avec_modeles(&modeles, "b");
    assert_eq!(o.status.code(), Some(4));
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(erreurs.contains("ÉCHEC BTS SIO 26/MARTIN_Léa_026000101/fiche-1.pdf : mise en page impossible : modèle fiche-2019.typ, ligne"), "{erreurs}");
    assert!(erreurs.contains("28 document(s) en échec"), "{erreurs}");
    assert_eq!(pdfs(&sortie).len(), 14 + 1);

    // The folder's own commun.typ, from an older siodoc, without what the embedded tableau
    // now calls: the message says where the fault is and what to do.
    let ancien = dir.path().join("ancien");
    std::fs::create_dir(&ancien).unwrap();
    std::fs::write(
        ancien.join("commun.typ"),
        include_str!("../templates/commun.typ").replace("#let verticales(", "#let autre("),
    )
    .unwrap();
    let (_, o) = avec_modeles(&ancien, "c");
    assert_eq!(o.status.code(), Some(4));
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(
        erreurs.contains(
            "tableau-de-synthese.pdf : mise en page impossible : modèle tableau-2019.typ, ligne"
        ) && erreurs.contains(
            "ce modèle est celui de siodoc, mais commun.typ vient de --modeles, sans doute d'une \
             version antérieure : réécrivez les modèles avec siodoc modeles exporter"
        ),
        "{erreurs}"
    );
    assert!(erreurs.contains("14 document(s) en échec"), "{erreurs}");
}
