//! The documents laid out as the official forms (shared official-layouts.md §0–§3, §6), asserted
//! on layout facts read back from the PDFs (pdftotext -bbox, pdfinfo): page and margins, equal
//! rows filling the page, glyphs, exact labels in their order, annex labels per session, and
//! the print-ready class files.

mod commun;

use std::path::{Path, PathBuf};
use std::process::Output;

use commun::Tables;
use commun::pdf::{Mot, info, mots, pages, texte, texte_page, trouver, xmp};

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn generer(classeur: &Path, sortie: &Path, extra: &[&str]) -> Output {
    let o = commun::generer(classeur, sortie, extra);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o
}

fn dossier_candidat(sortie: &Path, classe: &str, debut: &str) -> PathBuf {
    commun::dossier_candidat(sortie, Some(classe), debut)
}

fn mot<'a>(m: &'a [Mot], phrase: &str) -> &'a Mot {
    &m[trouver(m, phrase).unwrap_or_else(|| panic!("« {phrase} » introuvable"))]
}

/// The positions of `libelles` in `t`, which must be increasing: the labels in that order.
fn dans_l_ordre(t: &str, libelles: &[&str]) {
    let mut avant = 0;
    for l in libelles {
        let i = t[avant..]
            .find(l)
            .unwrap_or_else(|| panic!("« {l} » absent ou pas à sa place : {t}"));
        avant += i + l.len();
    }
}

/// Each phrase found word by word, each one lower on the page than the one before.
fn de_haut_en_bas(m: &[Mot], phrases: &[&str]) {
    let mut y = f64::MIN;
    for p in phrases {
        let w = mot(m, p);
        assert!(w.y > y, "« {p} » n'est pas sous le libellé précédent");
        y = w.y;
    }
}

const MM: f64 = 72.0 / 25.4;

/// Rows of the 2019 sheet at 100 %: titles, identity, heads, three bands, 24 rows, spacer
/// (official-layouts.md §1, src/officiel/mise_en_page.rs).
const HAUTEUR_FEUILLE_2019: f64 =
    2.0 * 26.0 + 3.0 * 40.0 + 90.0 + 325.0 + 3.0 * 18.0 + 24.0 * 40.0 + 18.0;
const LARGEUR_FEUILLE_2019: f64 = 372.75 + 60.0 + 6.0 * 101.25;

#[test]
fn tableau_2019_page_margins_equal_rows_filling_the_page_and_nothing_added() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    let tableau =
        dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_").join("tableau-de-synthese.pdf");
    let i = info(&tableau);
    assert!(i.contains("595.276 x 841.89 pts (A4)"), "{i}");
    assert_eq!(pages(&tableau), 1);
    let m = mots(&tableau);

    // Réalisation rows: the three filled formation rows one pitch apart, and the band of the
    // first year ten of those rows (plus the two bands' halves) below the formation band.
    let lignes: Vec<f64> = [
        "Mise en place d'un serveur DHCP redondant",
        "Déploiement d'un annuaire Active Directory",
        "Supervision du parc avec Zabbix",
    ]
    .iter()
    .map(|t| mot(&m, t).y)
    .collect();
    let pas = lignes[1] - lignes[0];
    assert!(
        (lignes[2] - lignes[1] - pas).abs() < 0.2,
        "lignes inégales : {lignes:?}"
    );
    let k = pas / 40.0;
    let formation = mot(&m, "Réalisation en cours de formation").y;
    let premiere = mot(
        &m,
        "Réalisations en milieu professionnel en cours de première année",
    )
    .y;
    let seconde = mot(
        &m,
        "Réalisations en milieu professionnel en cours de seconde année",
    )
    .y;
    assert!(
        ((premiere - formation) - (18.0 + 10.0 * 40.0) * k).abs() < 0.5,
        "dix lignes égales en formation"
    );
    assert!(
        ((seconde - premiere) - (18.0 + 7.0 * 40.0) * k).abs() < 0.5,
        "sept lignes égales en première année"
    );

    // The sheet at that scale fills the page between the 5 mm margins, centred both ways.
    let hauteur_utile = 841.89 - 10.0 * MM;
    assert!(
        (HAUTEUR_FEUILLE_2019 * k - hauteur_utile).abs() < 2.0,
        "hauteur {} pour {hauteur_utile}",
        HAUTEUR_FEUILLE_2019 * k
    );
    let gauche = (595.276 - LARGEUR_FEUILLE_2019 * k) / 2.0;
    let nom = mot(&m, "NOM et prénom :");
    assert!(
        (nom.x0 - (gauche + 2.5 * k)).abs() < 1.0,
        "« NOM » à x = {} pour un tableau à {gauche}",
        nom.x0
    );
    let bts = mot(&m, "BTS SERVICES");
    assert!(
        bts.y0 > 5.0 * MM && bts.y0 < 5.0 * MM + 26.0 * k,
        "titre à y = {}",
        bts.y0
    );

    // Sizes of the official, relative to the 20 pt titles: identity 18 pt, marks 16 pt
    // (regular), réalisation titles 11 pt.
    let corps = |w: &Mot| w.y1 - w.y0;
    let rapport = |w: &Mot, attendu: f64| {
        let r = corps(w) / corps(bts);
        assert!(
            (r - attendu).abs() < 0.04,
            "« {} » : {r} du titre au lieu de {attendu}",
            w.texte
        );
    };
    rapport(nom, 18.0 / 20.0);
    rapport(m.iter().find(|w| w.texte == "X").unwrap(), 16.0 / 20.0);
    rapport(mot(&m, "Supervision du parc"), 11.0 / 20.0);

    // Nothing the official lacks: no code row, no footer, no annex label on the page.
    let t = texte(&tableau);
    for absent in [
        "B1.1",
        "B1.6",
        "ANNEXE",
        "Épreuve E5",
        "siodoc",
        "Réalisation Période",
    ] {
        assert!(!t.contains(absent), "« {absent} » sur le tableau : {t}");
    }
    for present in [
        "☒ SISR",
        "▢ SLAM",
        "Option :",
        "▸Recenser et identifier les ressources numériques",
    ] {
        assert!(t.contains(present), "« {present} » absent : {t}");
    }
    // The part labels, exactly and top to bottom.
    de_haut_en_bas(
        &m,
        &[
            "Compétences mises en œuvre",
            "Réalisations professionnelles (intitulé et liste des documents et productions associés)",
            "Réalisation en cours de formation",
            "Réalisations en milieu professionnel en cours de première année",
            "Réalisations en milieu professionnel en cours de seconde année",
        ],
    );
    // What siodoc adds is in the metadata.
    assert!(i.contains("Subject:         ANNEXE VI-1 — Épreuve E5 - Support et mise à disposition de services informatiques — document siodoc/2026/"), "{i}");
}

#[test]
fn tableau_2011_a3_part_labels_and_nothing_added() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    generer(
        &racine().join("samples/classe-2020.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    let tableau =
        dossier_candidat(&sortie, "BTS SIO 20", "MARTIN_").join("tableau-de-synthese.pdf");
    assert!(info(&tableau).contains("1190.55 x 841.89 pts (A3)"));
    assert_eq!(pages(&tableau), 1);
    let t = texte(&tableau);
    let m = mots(&tableau);
    // The labels exactly, top to bottom (rotated heads make pdftotext's order useless here).
    de_haut_en_bas(
        &m,
        &[
            "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION 2020 - TABLEAU DE SYNTHESE",
            "NOM et Prénom du candidat : MARTIN Léa",
            "Situations obligatoires",
            "SITUATIONS VECUES EN FORMATION",
            "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE ANNEE DANS L'ORGANISATION …",
            "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …",
            "Je soussigné-e Claire",
        ],
    );
    for absent in [
        "SYNTHÈSE",
        "VÉCUES",
        "PREMIÈRE",
        "— LYCÉE",
        "Signature",
        "ANNEXE",
        "P1 Production",
    ] {
        assert!(
            !t.contains(absent),
            "« {absent} » sur le tableau 2011 : {t}"
        );
    }
    // Row 2: the option about 58 % of the way across, the N° about 79 %.
    let nom = mot(&m, "NOM et Prénom");
    let option = mot(&m, "Option SISR");
    let numero = mot(&m, "N° du candidat");
    let largeur = numero.x0 - nom.x0;
    let part = (option.x - nom.x0) / (largeur / 0.79);
    assert!((0.58..0.79).contains(&part), "option à {part}");
    // 18 rows in formation: the first-year band 18 rows of 15 pt (and a band) below.
    let formation = mot(&m, "SITUATIONS VECUES EN FORMATION").y;
    let premiere = mot(&m, "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE").y;
    let deuxieme = mot(&m, "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME").y;
    // The sample's rows hold two lines (title and documents): compare the parts' heights.
    let (h1, h2) = (premiere - formation, deuxieme - premiere);
    assert!(h1 > h2, "18 lignes en formation, 8 en première année");
}

#[test]
fn fiche_2019_fields_in_the_official_order_with_footnotes() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    let dossier = dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_");
    let fiche = dossier.join("fiche-1.pdf");
    assert!(info(&fiche).contains("595.276 x 841.89 pts (A4)"));
    let recto = texte_page(&fiche, 1);
    dans_l_ordre(
        &recto,
        &[
            "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
            "SESSION 2026",
            "ANNEXE VII-1-A : Fiche descriptive de réalisation professionnelle (recto)",
            "Épreuve E6 - Administration des systèmes et des réseaux (option SISR)",
            "DESCRIPTION D’UNE RÉALISATION PROFESSIONNELLE",
            "N° réalisation : 1",
            "Nom, prénom :",
            "N° candidat :",
            "Épreuve ponctuelle ☐",
            "Date :",
            "Contrôle en cours de formation ☒",
            "Organisation support de la réalisation professionnelle",
            "Intitulé de la réalisation professionnelle",
            "Période de réalisation :",
            "Lieu :",
            "Modalité :",
            "Seul(e)",
            "En équipe",
            "Compétences travaillées",
            "Conditions de réalisation¹ (ressources fournies, résultats attendus)",
            "Description des ressources documentaires, matérielles et logicielles utilisées²",
            "Modalités d’accès aux productions³ et à leur documentation⁴",
            "¹ En référence aux conditions de réalisation et ressources nécessaires du bloc « Administration des systèmes et des réseaux »",
            "² Les réalisations professionnelles sont élaborées dans un environnement technologique conforme à l’annexe II.E du référentiel du BTS SIO.",
            "³ Conformément au référentiel du BTS SIO « Dans tous les cas",
            "⁴ Lien vers la documentation complète",
        ],
    );
    for absent in [
        "Documents et productions associés",
        "Modalités d'accès",
        "siodoc",
    ] {
        assert!(
            !recto.contains(absent),
            "« {absent} » sur la fiche : {recto}"
        );
    }
    // The table is 175 mm wide, centred: its left rule at 17.5 mm.
    let m = mots(&fiche);
    let organisation = mot(&m, "Organisation support");
    assert!(
        (organisation.x0 - 17.5 * MM - 4.5).abs() < 1.5,
        "x = {}",
        organisation.x0 / MM
    );
    // Footnotes at the foot of the recto, the blank table ending near 224 mm above them.
    let note = m.iter().find(|w| w.page == 1 && w.texte == "¹").unwrap();
    assert!(note.y0 > 230.0 * MM, "notes à {} mm", note.y0 / MM);
    let verso = texte_page(&fiche, 2);
    dans_l_ordre(
        &verso,
        &[
            "ANNEXE VII-1-A : Fiche descriptive de réalisation professionnelle (verso, éventuellement pages suivantes)",
            "Épreuve E6",
            "Descriptif de la réalisation professionnelle, y compris les productions réalisées et schémas explicatifs",
        ],
    );
    assert!(!verso.contains("¹ En référence"));
}

#[test]
fn fiche_2011_official_iv_1_fields_footnotes_and_blank_verso() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    generer(
        &racine().join("samples/classe-2020.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    let fiche = dossier_candidat(&sortie, "BTS SIO 20", "MARTIN_").join("fiche-1.pdf");
    let recto = texte_page(&fiche, 1);
    dans_l_ordre(
        &recto,
        &[
            "BTS Services informatiques aux organisations",
            "Session 2020",
            "E4 – Conception et maintenance de solutions informatiques",
            "Coefficient 4",
            "DESCRIPTION D’UNE SITUATION PROFESSIONNELLE",
            "Épreuve ponctuelle ☐",
            "Contrôle en cours de formation ☒",
            "OPTION SISR ☒",
            "NOM et prénom du candidat :",
            "N° candidat :",
            "Contexte de la situation professionnelle¹",
            "Intitulé de la situation professionnelle",
            "Période de réalisation :",
            "Lieu :",
            "Modalité :",
            "Seul",
            "En équipe",
            "Principale(s) activité(s) concernée(s)²",
            "Conditions de réalisation² (ressources fournies, résultats attendus)",
            "Productions associées",
            "Modalités d’accès aux productions³",
            "Modalités d’accès à la documentation des productions⁴",
            "Au verso de cette page, le candidat présente un descriptif détaillé",
            "¹ Conformément au référentiel du BTS SIO, le contexte doit être conforme au cahier des charges national",
            "² En référence à la description des activités des processus prévue dans le référentiel de certification.",
            "³ Conformément au référentiel du BTS SIO « Dans tous les cas",
            "⁴ Lien vers le document décrivant la situation professionnelle",
        ],
    );
    assert!(recto.contains("OPTION SLAM ☐"));
    for absent in [
        "N° de la situation",
        "Date :",
        "Description des ressources",
        "Organisation",
        "ANNEXE",
        "Seul(e)",
        "Épreuve E4",
        "Parcours",
    ] {
        assert!(
            !recto.contains(absent),
            "« {absent} » sur la fiche 2011 : {recto}"
        );
    }
    // The verso: no header, no box, the candidate's report only.
    let verso = texte_page(&fiche, 2);
    assert!(!verso.contains("BTS"), "{verso}");
    assert!(!verso.contains("Descriptif"), "{verso}");
}

/// official-layouts.md §0: each session's annex label on the fiche, the annex line before the
/// épreuve line from 2025, and the tableau's annex in its metadata only.
#[test]
fn annex_labels_and_header_order_of_each_session_2022_to_2026() {
    let attendus = [
        (2022, "ANNEXE 6-1", "E5", "ANNEXE 7-1-A", false),
        (2023, "ANNEXE 6-1", "E5", "ANNEXE 7-1-A", false),
        (2024, "ANNEXE 8-1", "E5", "ANNEXE 9-1-A", false),
        (2025, "ANNEXE 8-1", "E6", "ANNEXE 9-1-A", true),
        (2026, "ANNEXE VI-1", "E6", "ANNEXE VII-1-A", true),
    ];
    for (session, annexe_tableau, epreuve, annexe_fiche, annexe_d_abord) in attendus {
        let dir = commun::temp();
        let classeur = dir.path().join("classe.xlsx");
        Tables::exemple(session).ecrire_xlsx(&classeur);
        let sortie = dir.path().join("s");
        generer(&classeur, &sortie, &["--formats", "pdf"]);
        let classe = std::fs::read_dir(&sortie)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name();
        let classe = classe.to_string_lossy();
        let dossier = dossier_candidat(&sortie, &classe, "MARTIN_");
        let recto = texte_page(&dossier.join("fiche-1.pdf"), 1);
        let ligne_annexe =
            format!("{annexe_fiche} : Fiche descriptive de réalisation professionnelle (recto)");
        let ligne_epreuve =
            format!("Épreuve {epreuve} - Administration des systèmes et des réseaux (option SISR)");
        let (a, e) = (
            recto
                .find(&ligne_annexe)
                .unwrap_or_else(|| panic!("{session} : {recto}")),
            recto
                .find(&ligne_epreuve)
                .unwrap_or_else(|| panic!("{session} : {recto}")),
        );
        assert_eq!(
            a < e,
            annexe_d_abord,
            "session {session} : ordre de l'en-tête"
        );
        let tableau = dossier.join("tableau-de-synthese.pdf");
        assert!(!texte(&tableau).contains("ANNEXE"), "{session}");
        assert!(
            info(&tableau).contains(&format!("Keywords:        {annexe_tableau}, ")),
            "{session}"
        );
        // The 2022 template has no URL row.
        assert_eq!(
            texte(&tableau).contains("Adresse URL du portfolio"),
            session != 2022,
            "{session}"
        );
    }
}

#[test]
fn print_ready_class_files_hold_every_candidate_in_order_as_pdf_a() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    let o = generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    let erreurs = String::from_utf8_lossy(&o.stderr);
    assert!(
        erreurs
            .contains("Impression : BTS SIO 26/impression/tableaux-de-synthese.pdf (14 documents)"),
        "{erreurs}"
    );
    assert!(
        erreurs.contains("Impression : BTS SIO 26/impression/fiches.pdf (28 documents)"),
        "{erreurs}"
    );
    let classe = sortie.join("BTS SIO 26");
    let mut candidats: Vec<PathBuf> = std::fs::read_dir(&classe)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("tableau-de-synthese.pdf").exists())
        .collect();
    // Class order is the workbook's: the N° candidat ends each folder name.
    candidats.sort_by_key(|p| {
        p.file_name()
            .unwrap()
            .to_string_lossy()
            .rsplit('_')
            .next()
            .unwrap()
            .to_string()
    });
    let tableaux = classe.join("impression/tableaux-de-synthese.pdf");
    let fiches = classe.join("impression/fiches.pdf");
    let somme = |nom: &str| candidats.iter().map(|c| pages(&c.join(nom))).sum::<usize>();
    assert_eq!(pages(&tableaux), somme("tableau-de-synthese.pdf"));
    assert_eq!(pages(&fiches), somme("fiche-1.pdf") + somme("fiche-2.pdf"));
    // Page n of the tableaux is candidate n's tableau, word for word.
    for (n, c) in candidats.iter().enumerate() {
        assert_eq!(
            texte_page(&tableaux, n + 1),
            texte(&c.join("tableau-de-synthese.pdf")),
            "page {}",
            n + 1
        );
    }
    let premiere_fiche = texte(&candidats[0].join("fiche-1.pdf"));
    assert_eq!(
        format!("{} {}", texte_page(&fiches, 1), texte_page(&fiches, 2)),
        premiere_fiche
    );
    for f in [&tableaux, &fiches] {
        let x = xmp(f);
        assert!(
            x.contains("<pdfaid:part>2</pdfaid:part>")
                && x.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{x}"
        );
        assert!(info(f).contains("Title:           "), "{}", info(f));
    }
    assert!(info(&tableaux).contains("Tableaux de synthèse — classe BTS SIO 26 — session 2026"));

    // Reproducible, and --recto-verso puts a blank page after each one-page tableau.
    let sortie2 = dir.path().join("s2");
    generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie2,
        &["--formats", "pdf"],
    );
    assert_eq!(
        std::fs::read(&fiches).unwrap(),
        std::fs::read(sortie2.join("BTS SIO 26/impression/fiches.pdf")).unwrap()
    );
    let sortie3 = dir.path().join("s3");
    generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie3,
        &["--formats", "pdf", "--recto-verso"],
    );
    let rv = sortie3.join("BTS SIO 26/impression/tableaux-de-synthese.pdf");
    assert_eq!(pages(&rv), 2 * candidats.len());
    assert_eq!(texte_page(&rv, 2), "");
    assert_eq!(
        texte_page(&rv, 3),
        texte(&candidats[1].join("tableau-de-synthese.pdf"))
    );
    // The two-page fiches need no blank page.
    assert_eq!(
        pages(&sortie3.join("BTS SIO 26/impression/fiches.pdf")),
        pages(&fiches)
    );
    // The print files are not archived documents: the index does not list them.
    let index = std::fs::read_to_string(classe.join("siodoc-index.json")).unwrap();
    assert!(!index.contains("impression/"));
}

/// A long title wraps and makes its row taller, never cut; a fiche whose candidate wrote a lot
/// goes on to a second recto page with the same rows, its verso after.
#[test]
fn long_texts_wrap_and_grow_never_cut() {
    let mut t = Tables::exemple(2026);
    let numero = t.get("Candidats", 2, "N° candidat");
    let mots_longs: Vec<String> = (0..60).map(|i| format!("mot{i}")).collect();
    let intitule = format!("Intitulé très long {}", mots_longs.join(" "));
    let l = t.realisation(&numero, 0);
    t.set("Réalisations", l, "Intitulé", &intitule);
    let paragraphe: Vec<String> = (0..230).map(|i| format!("ressource{i}")).collect();
    let ressources = paragraphe.join(" ");
    t.set(
        "Fiches",
        2,
        "Ressources documentaires, matérielles et logicielles",
        &ressources,
    );
    let dir = commun::temp();
    let classeur = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&classeur);
    let sortie = dir.path().join("s");
    generer(&classeur, &sortie, &["--formats", "pdf"]);
    let dossier = dossier_candidat(&sortie, "BTS SIO 26", "MARTIN_");
    let tableau = dossier.join("tableau-de-synthese.pdf");
    assert_eq!(pages(&tableau), 1);
    assert!(texte(&tableau).contains(&intitule), "intitulé coupé");
    // Its row is taller than the next one, the ordinary 40 pt.
    let m = mots(&tableau);
    let debut = mot(&m, "Intitulé très long").y;
    let suivante = mot(&m, "Déploiement d'un annuaire").y;
    let apres = mot(&m, "Supervision du parc avec Zabbix").y;
    assert!(
        suivante - debut > 1.5 * (apres - suivante),
        "ligne non agrandie"
    );

    let fiche = dossier.join("fiche-1.pdf");
    let n = pages(&fiche);
    assert_eq!(n, 3, "deux pages de recto et le verso");
    // Every word is there (the footnotes of the first page come between its two halves).
    let tout: Vec<String> = mots(&fiche).into_iter().map(|w| w.texte).collect();
    for p in &paragraphe {
        assert!(tout.contains(p), "« {p} » coupé");
    }
    // The second recto page goes on with the same rows, then the verso has its own header.
    assert!(texte_page(&fiche, 2).contains("Modalités d’accès aux productions³"));
    assert!(texte_page(&fiche, 3).contains("(verso, éventuellement pages suivantes)"));
}
