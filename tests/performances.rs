//! What the performance work must not change (issue 12): the parts every candidate shares,
//! now laid out once per lot, are still text in the PDF, set in fonts without hinting; the
//! files still claim PDF/A-2b; the data made lot by lot are the data made all at once; and the
//! workbook's index finds what a search in sheet order finds.

mod commun;

use std::path::Path;

use commun::pdf::{texte, xmp};
use commun::{Tables, dossier_candidat, generer};
use siodoc::rendu::formulaires::{self, Preparation};
use siodoc::rendu::reserve::Reserve;

fn racine() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Text with its line breaks and runs of spaces made single spaces, as a reader sees it.
fn aplati(t: &str) -> String {
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn shared_heads_and_notes_stay_extractable_text_in_pdf_a_with_fonts_without_hinting() {
    let dir = commun::temp();
    let sortie = dir.path().join("s");
    let sortie_generer = generer(
        &racine().join("samples/classe-2026.xlsx"),
        &sortie,
        &["--formats", "pdf"],
    );
    assert!(sortie_generer.status.success(), "{sortie_generer:?}");
    let candidat = dossier_candidat(&sortie, Some("BTS SIO 26"), "MARTIN_");

    // The column heads are drawn at 100 % and scaled with the whole sheet: every sub-item and
    // compétence name is still found, each sub-item after its « ▸ ».
    let tableau = candidat.join("tableau-de-synthese.pdf");
    let t = aplati(&texte(&tableau));
    for attendu in [
        "▸Recenser et identifier les ressources numériques",
        "▸Gérer des sauvegardes",
        "Gérer le patrimoine informatique",
        "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)",
        "Compétences mises en œuvre",
    ] {
        assert!(t.contains(attendu), "« {attendu} » absent du tableau : {t}");
    }

    // The fiche's notes, now placed at the foot of the recto in blocks of text, and its
    // header lines, are text too.
    let fiche = candidat.join("fiche-1.pdf");
    let f = aplati(&texte(&fiche));
    for attendu in [
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
        "² Les réalisations professionnelles sont élaborées dans un environnement technologique conforme à l’annexe II.E du référentiel du BTS SIO.",
        "DESCRIPTION D’UNE RÉALISATION PROFESSIONNELLE",
    ] {
        assert!(
            f.contains(attendu),
            "« {attendu} » absent de la fiche : {f}"
        );
    }

    for pdf in [&tableau, &fiche] {
        // The embedded fonts carry no TrueType hinting (polices::sans_hinting).
        let polices = tables_des_polices(pdf);
        assert!(polices.len() >= 3, "{} : {polices:?}", pdf.display());
        for tables in &polices {
            assert!(tables.iter().any(|t| t == "glyf"), "{tables:?}");
            for hinting in ["fpgm", "prep", "cvt "] {
                assert!(!tables.iter().any(|t| t == hinting), "{tables:?}");
            }
        }
        let x = xmp(pdf);
        assert!(
            x.contains("<pdfaid:part>2</pdfaid:part>")
                && x.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
            "{} : identification PDF/A-2b absente : {x}",
            pdf.display()
        );
    }
}

/// The tables of the TrueType fonts embedded in `pdf`, by font.
fn tables_des_polices(pdf: &Path) -> Vec<Vec<String>> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut polices = Vec::new();
    for objet in doc.objects.values() {
        let Ok(descripteur) = objet.as_dict() else {
            continue;
        };
        let Ok(reference) = descripteur.get(b"FontFile2").and_then(|f| f.as_reference()) else {
            continue;
        };
        let flux = doc.get_object(reference).unwrap().as_stream().unwrap();
        let octets = flux.decompressed_content().unwrap();
        let n = u16::from_be_bytes([octets[4], octets[5]]) as usize;
        polices.push(
            (0..n)
                .map(|i| String::from_utf8_lossy(&octets[12 + 16 * i..16 + 16 * i]).into_owned())
                .collect(),
        );
    }
    polices
}

#[test]
fn data_made_lot_by_lot_equal_data_made_at_once() {
    for session in [2020, 2026] {
        let chargement = Tables::exemple(session).charger();
        let (classeur, profil) = (
            chargement.classeur.as_ref().unwrap(),
            chargement.profil.as_ref().unwrap(),
        );
        let (tout, ecartes) =
            formulaires::documents(classeur, profil, &chargement.diagnostics, true);
        let preparation = Preparation::new(classeur, profil, &chargement.diagnostics, true);
        let (legers, ecartes_legers) = preparation.documents();
        assert_eq!(ecartes, ecartes_legers);
        assert_eq!(tout.len(), legers.len());
        assert!(
            tout.len() > 3,
            "session {session} : {} documents",
            tout.len()
        );
        for (a, b) in tout.iter().zip(&legers) {
            assert_eq!(
                (&a.titre, &a.identifiant, &a.description(), &a.mots_cles()),
                (&b.titre, &b.identifiant, &b.description(), &b.mots_cles())
            );
            // A candidate's document carries no data until asked; then the same bytes.
            assert_eq!(
                b.donnees.is_empty(),
                b.source.is_some(),
                "{}",
                b.identifiant
            );
            assert!(!a.donnees.is_empty(), "{}", a.identifiant);
            assert!(
                preparation.donnees(b) == a.donnees,
                "{} : données différentes",
                a.identifiant
            );
        }
    }
}

/// The data kept in the temporary file while the PDFs are rendered are the data the model
/// gives, byte for byte, for every document (the class overview's carried as they are).
#[test]
fn data_kept_aside_equal_data_made_from_the_model() {
    for session in [2020, 2026] {
        let chargement = Tables::exemple(session).charger();
        let (classeur, profil) = (
            chargement.classeur.as_ref().unwrap(),
            chargement.profil.as_ref().unwrap(),
        );
        let preparation = Preparation::new(classeur, profil, &chargement.diagnostics, true);
        let (docs, _) = preparation.documents();
        let direct = |d: &formulaires::Document| Ok(preparation.donnees(d));
        let reserve = Reserve::new(&docs, &direct).unwrap();
        let mut des_candidats = 0;
        for d in &docs {
            let gardees = reserve.donnees(d).unwrap();
            assert!(!gardees.is_empty(), "{}", d.identifiant);
            assert!(
                gardees == preparation.donnees(d),
                "{} : données différentes",
                d.identifiant
            );
            des_candidats += usize::from(d.source.is_some());
        }
        assert!(des_candidats > 3, "session {session} : {des_candidats}");
    }
}

#[test]
fn index_finds_what_a_search_in_sheet_order_finds() {
    let mut t = Tables::exemple(2026);
    // A N° given twice in Candidats, and a réalisation of the first candidate moved to the end.
    let numero = t.get("Candidats", 2, "N° candidat");
    let double = t.dupliquer("Candidats", 2);
    t.set("Candidats", double, "NOM", "DOUBLON");
    let r = t.realisation(&numero, 1);
    let copie = t.dupliquer("Réalisations", r);
    t.set("Réalisations", copie, "Intitulé", "Ajoutée à la fin");
    let chargement = t.charger();
    let classeur = chargement.classeur.as_ref().unwrap();
    for c in &classeur.candidats {
        let n = c.numero.texte.as_str();
        let premier = classeur.candidats.iter().find(|x| x.numero.texte == n);
        assert_eq!(
            classeur.candidat(n).map(|c| &c.nom.texte),
            premier.map(|c| &c.nom.texte)
        );
        let attendues: Vec<u32> = classeur
            .realisations
            .iter()
            .filter(|r| r.candidat.texte == n)
            .map(|r| r.ligne)
            .collect();
        let trouvees: Vec<u32> = classeur.realisations_de(n).map(|r| r.ligne).collect();
        assert_eq!(trouvees, attendues, "réalisations de {n}");
        let fiches: Vec<&str> = classeur
            .fiches_de(n)
            .map(|f| f.candidat.texte.as_str())
            .collect();
        assert_eq!(
            fiches.len(),
            classeur
                .fiches
                .iter()
                .filter(|f| f.candidat.texte == n)
                .count()
        );
    }
    let premier = classeur.candidat(&numero).unwrap();
    assert_ne!(
        premier.nom.texte, "DOUBLON",
        "le premier candidat de ce N° est gardé"
    );
    let dernieres = classeur.realisations_titrees(&numero);
    assert_eq!(
        dernieres.last().map(|r| r.intitule.texte.as_str()),
        Some("Ajoutée à la fin")
    );
    assert!(classeur.candidat("n'existe pas").is_none());
    assert_eq!(classeur.realisations_de("n'existe pas").count(), 0);
}

/// When a document's data cannot be had (its temporary file unreadable), that document fails
/// with the reason, and the others of its lot are still rendered and written.
#[test]
fn a_document_without_its_data_fails_alone() {
    use siodoc::rendu::generation::{self, Avancement, Options};
    use siodoc::rendu::moteur::{Moteur, standards_pdf};
    use siodoc::rendu::nommage::{MOTIF_DEFAUT, Nommage};
    let chargement = Tables::exemple(2026).charger();
    let (classeur, profil) = (
        chargement.classeur.as_ref().unwrap(),
        chargement.profil.as_ref().unwrap(),
    );
    let preparation = Preparation::new(classeur, profil, &chargement.diagnostics, true);
    let (docs, _) = preparation.documents();
    // The first candidate's three documents: they are in one lot or more, with others.
    let docs: Vec<_> = docs
        .into_iter()
        .filter(|d| d.source.is_some())
        .take(9)
        .collect();
    let perdu = docs[1].identifiant.clone();
    let donnees = |d: &formulaires::Document| {
        if d.identifiant == perdu {
            Err("relecture impossible".to_string())
        } else {
            Ok(preparation.donnees(d))
        }
    };
    let dir = commun::temp();
    let nommage = Nommage::new(MOTIF_DEFAUT).unwrap();
    let opts = Options {
        sortie: dir.path(),
        nommage: &nommage,
        classe: "classe",
        session: 2026,
        date: typst::foundations::Datetime::from_ymd(2026, 6, 1).unwrap(),
        standards: standards_pdf("a-2b").unwrap(),
    };
    let bilan =
        generation::generer(&Moteur::new(), &docs, &donnees, &opts, &|_: Avancement| {}).unwrap();
    assert_eq!(bilan.ecrits.len(), docs.len() - 1, "{:?}", bilan.echecs);
    assert_eq!(bilan.echecs.len(), 1);
    assert!(
        bilan.echecs[0]
            .1
            .contains("données du document illisibles : relecture impossible"),
        "{:?}",
        bilan.echecs
    );
    for chemin in &bilan.ecrits {
        assert!(dir.path().join(chemin).is_file(), "{}", chemin.display());
    }
}

/// The class overview of a large class is laid out in parts, exported without structure tree
/// (the merge leaves it anyway), then merged: every candidate is there as text, the file
/// still claims PDF/A-2b, and two runs give the same bytes.
#[test]
fn class_overview_in_parts_keeps_every_candidate_as_pdf_a_text() {
    use siodoc::rendu::generation::{self, Avancement, Options};
    use siodoc::rendu::moteur::{Moteur, standards_pdf};
    use siodoc::rendu::nommage::{MOTIF_DEFAUT, Nommage};
    let dir = commun::temp();
    let classeur = dir.path().join("classe-400.xlsx");
    let o = std::process::Command::new(commun::siodoc_bin())
        .args([
            "modele",
            "--session",
            "2026",
            "--exemple",
            "--taille",
            "400",
        ])
        .arg(&classeur)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let chargement = siodoc::chargement::charger(&classeur, None, None).unwrap();
    let (classeur, profil) = (
        chargement.classeur.as_ref().unwrap(),
        chargement.profil.as_ref().unwrap(),
    );
    let preparation = Preparation::new(classeur, profil, &chargement.diagnostics, true);
    let (docs, _) = preparation.documents();
    let synthese: Vec<_> = docs.into_iter().filter(|d| d.source.is_none()).collect();
    assert_eq!(synthese.len(), 1);
    assert!(
        !synthese[0].suite.is_empty(),
        "400 candidats : plusieurs parties"
    );
    let donnees = |d: &formulaires::Document| Ok(preparation.donnees(d));
    let nommage = Nommage::new(MOTIF_DEFAUT).unwrap();
    let mut octets = Vec::new();
    for passage in ["a", "b"] {
        let sortie = dir.path().join(passage);
        let opts = Options {
            sortie: &sortie,
            nommage: &nommage,
            classe: "classe",
            session: 2026,
            date: typst::foundations::Datetime::from_ymd(2026, 6, 1).unwrap(),
            standards: standards_pdf("a-2b").unwrap(),
        };
        let bilan = generation::generer(
            &Moteur::new(),
            &synthese,
            &donnees,
            &opts,
            &|_: Avancement| {},
        )
        .unwrap();
        assert!(bilan.echecs.is_empty(), "{:?}", bilan.echecs);
        octets.push(std::fs::read(sortie.join(&bilan.ecrits[0])).unwrap());
        if passage == "a" {
            let pdf = sortie.join(&bilan.ecrits[0]);
            let lu = texte(&pdf);
            for c in &classeur.candidats {
                assert!(
                    lu.contains(&format!("{} {}", c.nom.texte, c.prenom.texte)),
                    "{} {} absent de la synthèse",
                    c.nom.texte,
                    c.prenom.texte
                );
            }
            let x = xmp(&pdf);
            assert!(
                x.contains("<pdfaid:part>2</pdfaid:part>")
                    && x.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
                "{x}"
            );
        }
    }
    assert!(
        octets[0] == octets[1],
        "deux passages, deux synthèses différentes"
    );
}
