//! One test per rule: the example class with exactly one fault, and the (rule, cell) it yields.
//!
//! Example class layout (see `classeur::exemple`): Candidats row 2 is candidate 026000101
//! (SISR), row 3 candidate 026000102 (SLAM); each has 7 réalisations, fiches on the 3rd and 6th.

mod commun;

use commun::{Tables, un};

const C0: &str = "026000101";
const R: &str = "Réalisations";

fn t26() -> Tables {
    Tables::exemple(2026)
}

/// The diagnostics of one rule, whole (message included).
fn de_la_regle(t: &Tables, regle: &str) -> Vec<siodoc::diagnostic::Diagnostic> {
    t.charger()
        .diagnostics
        .into_iter()
        .filter(|d| d.regle == regle)
        .collect()
}

#[test]
fn example_classes_have_no_diagnostic() {
    for session in [2020, 2024, 2026] {
        let c = Tables::exemple(session).charger();
        assert!(c.diagnostics.is_empty(), "{session} : {:#?}", c.diagnostics);
        let k = c.classeur.unwrap();
        assert_eq!(k.candidats.len(), 14);
        assert_eq!(k.realisations.len(), 98);
        assert_eq!(k.fiches.len(), 28);
    }
}

// --- Paramètres ---

#[test]
fn session_invalide() {
    let mut t = t26();
    // « Session » is a label in column A: the value is in B1.
    t.feuilles.get_mut("Paramètres").unwrap()[0][1] = "vingt-six".into();
    assert_eq!(t.diagnostics(), un("session-invalide", "Paramètres!B1"));
    // Without the label line at all, the sheet is named.
    t.feuilles.get_mut("Paramètres").unwrap()[0][0] = "Année scolaire".into();
    assert_eq!(t.diagnostics(), un("session-invalide", "Paramètres"));
}

#[test]
fn session_inconnue_is_a_cell_diagnostic() {
    let mut t = t26();
    t.feuilles.get_mut("Paramètres").unwrap()[0][1] = "2021".into();
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(c.diagnostics[0].regle, "session-invalide");
    assert!(c.diagnostics[0].message.contains("session 2021 inconnue"));
}

#[test]
fn parametre_vide() {
    let mut t = t26();
    t.feuilles.get_mut("Paramètres").unwrap()[1][1] = String::new();
    assert_eq!(t.diagnostics(), un("parametre-vide", "Paramètres!B2"));
}

#[test]
fn cellule_erreur_formule() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Lieu", "=#REF!");
    assert_eq!(t.diagnostics(), un("cellule-erreur-formule", &cellule));
}

// --- Candidats ---

#[test]
fn candidat_numero_absent() {
    let mut t = t26();
    let l = t.dupliquer("Candidats", 2);
    let cellule = t.set("Candidats", l, "N° candidat", "");
    assert_eq!(t.diagnostics(), un("candidat-numero-absent", &cellule));
}

#[test]
fn candidat_numero_double() {
    let mut t = t26();
    let l = t.dupliquer("Candidats", 2);
    t.set("Candidats", l, "Prénom", "Autre");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(c.diagnostics[0].regle, "candidat-numero-double");
    assert_eq!(c.diagnostics[0].position, format!("Candidats!A{l}"));
    assert!(
        c.diagnostics[0]
            .message
            .contains("déjà utilisé en Candidats!A2")
    );
}

#[test]
fn candidat_nom_absent() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "NOM", "");
    assert_eq!(t.diagnostics(), un("candidat-nom-absent", &cellule));
}

#[test]
fn candidat_prenom_absent() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "Prénom", " ");
    assert_eq!(t.diagnostics(), un("candidat-prenom-absent", &cellule));
}

#[test]
fn candidat_option_absente() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "Option", "");
    assert_eq!(t.diagnostics(), un("candidat-option-absente", &cellule));
}

#[test]
fn candidat_option_inconnue() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "Option", "SIRS");
    assert_eq!(t.diagnostics(), un("candidat-option-inconnue", &cellule));
}

#[test]
fn candidat_option_variants_are_accepted() {
    let mut t = t26();
    t.set("Candidats", 2, "Option", "option A");
    t.set("Candidats", 3, "Option", " slam ");
    assert_eq!(t.diagnostics(), vec![]);
}

#[test]
fn candidat_epreuve_inconnue() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "Épreuve", "oral");
    assert_eq!(t.diagnostics(), un("candidat-epreuve-inconnue", &cellule));
}

#[test]
fn portfolio_absent() {
    let mut t = t26();
    let cellule = t.set("Candidats", 2, "Adresse URL du portfolio", "");
    assert_eq!(t.diagnostics(), un("portfolio-absent", &cellule));
}

#[test]
fn portfolio_invalide() {
    let mut t = t26();
    let cellule = t.set(
        "Candidats",
        2,
        "Adresse URL du portfolio",
        "www.exemple.fr/lea",
    );
    assert_eq!(t.diagnostics(), un("portfolio-invalide", &cellule));
}

#[test]
fn portfolio_not_checked_in_2011() {
    let mut t = Tables::exemple(2020);
    t.set("Candidats", 2, "Adresse URL du portfolio", "");
    assert_eq!(t.diagnostics(), vec![]);
}

// --- Réalisations ---

#[test]
fn realisation_candidat_absent() {
    let mut t = t26();
    let cellule = t.set(R, 2, "N° candidat", "");
    assert_eq!(t.diagnostics(), un("realisation-candidat-absent", &cellule));
}

#[test]
fn realisation_candidat_inconnu() {
    let mut t = t26();
    let cellule = t.set(R, 2, "N° candidat", "26000101");
    assert_eq!(
        t.diagnostics(),
        un("realisation-candidat-inconnu", &cellule)
    );
}

#[test]
fn an_unknown_number_written_otherwise_in_candidats_is_pointed_at_not_taken() {
    let mut t = t26();
    let numero = t.get(R, 2, "N° candidat");
    let espace = format!("{} {}", &numero[..3], &numero[3..]);
    let cellule = t.set(R, 2, "N° candidat", &espace);
    let d = de_la_regle(&t, "realisation-candidat-inconnu");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].position, cellule);
    let candidats = t.cellule("Candidats", 2, "N° candidat");
    assert_eq!(
        d[0].message,
        format!(
            "le N° candidat {espace} n'existe pas dans la feuille Candidats (la cellule {candidats} porte \
             « {numero} », le même numéro écrit autrement : écrivez-le partout de la même façon) ; \
             corrigez le numéro ou ajoutez le candidat"
        )
    );
    // A number that is nobody's, even spaces set aside, gets no such hint.
    let mut t = t26();
    t.set(R, 2, "N° candidat", "999 999 999");
    let chargement = t.charger();
    assert!(chargement.diagnostics.iter().any(
        |d| d.regle == "realisation-candidat-inconnu" && !d.message.contains("écrit autrement")
    ));
}

#[test]
fn more_realisations_than_the_tableau_prints_is_an_error_at_the_candidate() {
    let mut t = t26();
    let l = t.realisation(C0, 0);
    // Copies of a row, without its fiche mark, up to the limit: no error.
    let deja = t.charger().classeur.unwrap().realisations_titrees(C0).len();
    let modele = t.dupliquer(R, l);
    t.set(R, modele, "Fiche n°", "");
    for _ in deja + 1..300 {
        t.dupliquer(R, modele);
    }
    assert!(
        !t.diagnostics()
            .iter()
            .any(|(r, _)| r == "realisations-trop-nombreuses")
    );
    t.dupliquer(R, modele);
    let d = de_la_regle(&t, "realisations-trop-nombreuses");
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].position, t.cellule("Candidats", 2, "N° candidat"));
    assert!(
        d[0].message.ends_with(
            " : 301 réalisations ; le tableau de synthèse en imprime au plus 300, les premières dans \
             l'ordre du classeur : vérifiez les N° candidat de la feuille Réalisations (des lignes \
             copiées en trop ?)"
        ),
        "{}",
        d[0].message
    );
}

#[test]
fn coche_inconnue() {
    let mut t = t26();
    let l = t.realisation(C0, 0);
    assert_eq!(t.get(R, l, "B1.1"), "X");
    let cellule = t.set(R, l, "B1.1", "v");
    assert_eq!(t.diagnostics(), un("coche-inconnue", &cellule));
}

#[test]
fn tick_marks_of_every_kind_count() {
    let mut t = t26();
    let l = t.realisation(C0, 0);
    for (marque, colonne) in [
        (" x ", "B1.1"),
        ("✓", "B1.2"),
        ("oui", "B1.3"),
        ("1", "B1.4"),
        ("VRAI", "B1.5"),
        ("☒", "B1.6"),
    ] {
        t.set(R, l, colonne, marque);
    }
    let c = t.charger();
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
    let k = c.classeur.unwrap();
    assert_eq!(k.realisations[0].codes_coches().count(), 6);
}

#[test]
fn coches_sans_intitule() {
    let mut t = t26();
    let cellule = t.set(R, t.realisation(C0, 0), "Intitulé", "");
    assert_eq!(t.diagnostics(), un("coches-sans-intitule", &cellule));
}

#[test]
fn intitule_absent() {
    let mut t = t26();
    let l = t.dupliquer(R, t.realisation(C0, 6));
    for col in ["B1.1", "B1.2"] {
        t.set(R, l, col, "");
    }
    let cellule = t.set(R, l, "Intitulé", "");
    assert_eq!(t.diagnostics(), un("intitule-absent", &cellule));
}

#[test]
fn realisation_sans_coche() {
    let mut t = t26();
    let l = t.realisation(C0, 6);
    for col in ["B1.1", "B1.2"] {
        assert!(!t.set(R, l, col, "").is_empty());
    }
    assert_eq!(
        t.diagnostics(),
        un("realisation-sans-coche", &t.cellule(R, l, "Intitulé"))
    );
}

#[test]
fn coche_hors_grille_2019() {
    let mut t = t26();
    let cellule = t.set(R, t.realisation(C0, 0), "B2.SLAM.1", "X");
    assert_eq!(t.diagnostics(), un("coche-hors-grille", &cellule));
}

#[test]
fn coche_hors_grille_2011() {
    let mut t = Tables::exemple(2020);
    let l = t.realisation("020000101", 0);
    let cellule = t.set(R, l, "A4.1.1", "X");
    assert_eq!(t.diagnostics(), un("coche-hors-grille", &cellule));
    // A cross-over activity of the SISR grid is fine.
    t.set(R, l, "A4.1.1", "");
    t.set(R, l, "A4.1.7", "X");
    assert_eq!(t.diagnostics(), vec![]);
}

#[test]
fn partie_inconnue() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Partie", "Stage 3");
    assert_eq!(t.diagnostics(), un("partie-inconnue", &cellule));
}

#[test]
fn partie_variants_are_accepted() {
    let mut t = t26();
    t.set(R, 2, "Partie", "formation");
    t.set(R, 5, "Partie", "Stage 1re année");
    t.set(R, 7, "Partie", "stage de deuxième année");
    let c = t.charger();
    assert!(c.diagnostics.is_empty(), "{:#?}", c.diagnostics);
}

#[test]
fn modalite_inconnue() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Modalité", "Solo");
    assert_eq!(t.diagnostics(), un("modalite-inconnue", &cellule));
}

#[test]
fn fiche_numero_invalide() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Fiche n°", "3");
    assert_eq!(t.diagnostics(), un("fiche-numero-invalide", &cellule));
}

#[test]
fn date_impossible() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Début", "31/02/2025");
    assert_eq!(t.diagnostics(), un("date-impossible", &cellule));
}

#[test]
fn date_lettre_o() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Début", "O2/1O/2024");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1);
    assert_eq!(
        (c.diagnostics[0].regle, c.diagnostics[0].position.as_str()),
        ("date-lettre-o", cellule.as_str())
    );
    assert!(
        c.diagnostics[0].message.contains("écrivez « 02/10/2024 »"),
        "{}",
        c.diagnostics[0].message
    );
}

#[test]
fn date_illisible() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Fin", "bientôt");
    assert_eq!(t.diagnostics(), un("date-illisible", &cellule));
}

#[test]
fn date_inversee() {
    let mut t = t26();
    let l = t.realisation(C0, 0);
    let debut = t.get(R, l, "Début");
    let fin = t.get(R, l, "Fin");
    t.set(R, l, "Début", &fin);
    let cellule = t.set(R, l, "Fin", &debut);
    assert_eq!(t.diagnostics(), un("date-inversee", &cellule));
}

#[test]
fn date_hors_periode() {
    let mut t = t26();
    let cellule = t.set(R, 2, "Début", "02/10/2019");
    assert_eq!(t.diagnostics(), un("date-hors-periode", &cellule));
}

#[test]
fn periode_text_replaces_dates() {
    let mut t = t26();
    t.set(R, 2, "Début", "");
    t.set(R, 2, "Fin", "");
    t.set(R, 2, "Période", "du 02/10/24 au 15/12/24");
    t.set(R, 3, "Début", "");
    t.set(R, 3, "Fin", "");
    t.set(R, 3, "Période", "En cours");
    assert_eq!(t.diagnostics(), vec![]);
    let cellule = t.set(R, 2, "Période", "du 15/12/24 au 02/10/24");
    assert_eq!(t.diagnostics(), un("date-inversee", &cellule));
    let cellule = t.set(R, 2, "Période", "du 31/02/25 au 02/03/25");
    assert_eq!(t.diagnostics(), un("date-impossible", &cellule));
}

// --- Fiches ---

#[test]
fn fiche_candidat_inconnu() {
    let mut t = t26();
    let l = t.dupliquer("Fiches", 2);
    let cellule = t.set("Fiches", l, "N° candidat", "999");
    assert_eq!(t.diagnostics(), un("fiche-candidat-inconnu", &cellule));
}

/// The 2011 fiche has no « Description des ressources » field: a text there is printed nowhere.
#[test]
fn champ_hors_formulaire_in_2011_only() {
    let mut t = Tables::exemple(2020);
    let cellule = t.set(
        "Fiches",
        2,
        "Ressources documentaires, matérielles et logicielles",
        "Deux serveurs",
    );
    assert_eq!(t.diagnostics(), un("champ-hors-formulaire", &cellule));
    let mut t = t26();
    t.set(
        "Fiches",
        2,
        "Ressources documentaires, matérielles et logicielles",
        "Deux serveurs",
    );
    assert!(t.diagnostics().is_empty());
}

#[test]
fn fiche_sans_texte() {
    let mut t = t26();
    for col in [
        "N° candidat",
        "Fiche n°",
        "Conditions de réalisation",
        "Descriptif",
    ] {
        t.set("Fiches", 2, col, "");
    }
    for col in [
        "Ressources documentaires, matérielles et logicielles",
        "Modalités d'accès aux productions",
    ] {
        t.set("Fiches", 2, col, "");
    }
    let l = t.realisation(C0, 2);
    assert_eq!(
        t.diagnostics(),
        un("fiche-sans-texte", &t.cellule(R, l, "Fiche n°"))
    );
}

#[test]
fn fiche_sans_realisation_comes_with_fiches_nombre() {
    let mut t = t26();
    let l = t.realisation(C0, 5);
    t.set(R, l, "Fiche n°", "");
    t.set(R, t.realisation(C0, 0), "Fiche n°", "");
    let mut attendu = vec![
        (
            "fiche-sans-realisation".to_string(),
            "Fiches!B3".to_string(),
        ),
        ("fiches-nombre".to_string(), "Candidats!A2".to_string()),
        ("fiches-couverture".to_string(), "Candidats!A2".to_string()),
    ];
    attendu.sort();
    assert_eq!(t.diagnostics(), attendu);
}

// --- Coverage ---

#[test]
fn fiches_nombre() {
    let mut t = t26();
    t.set(R, t.realisation(C0, 0), "Fiche n°", "2");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(
        (c.diagnostics[0].regle, c.diagnostics[0].position.as_str()),
        ("fiches-nombre", "Candidats!A2")
    );
    assert!(
        c.diagnostics[0]
            .message
            .contains("fiche 2 : 2 réalisation(s), ligne(s) 2, 7"),
        "{}",
        c.diagnostics[0].message
    );
}

#[test]
fn fiches_couverture() {
    let mut t = t26();
    t.set(R, t.realisation(C0, 5), "B2.SISR.3", "");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    assert_eq!(
        (c.diagnostics[0].regle, c.diagnostics[0].position.as_str()),
        ("fiches-couverture", "Candidats!A2")
    );
    assert!(c.diagnostics[0].message.contains("B2.SISR.3"));
}

#[test]
fn bloc1_competence_manquante() {
    let mut t = t26();
    t.set(R, t.realisation(C0, 2), "B1.4", "");
    t.set(R, t.realisation(C0, 3), "B1.4", "");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    let d = &c.diagnostics[0];
    assert_eq!(
        (d.regle, d.position.as_str(), d.candidat.as_deref()),
        ("bloc1-competence-manquante", "Candidats!A2", Some(C0))
    );
    assert!(
        d.message.contains("« Travailler en mode projet » (B1.4)"),
        "{}",
        d.message
    );
}

#[test]
fn situation_obligatoire_manquante_warns_with_the_penalty() {
    let mut t = Tables::exemple(2020);
    let l = t.realisation("020000101", 3);
    assert_eq!(t.get(R, l, "SO4"), "X");
    t.set(R, l, "SO4", "");
    let c = t.charger();
    assert_eq!(c.diagnostics.len(), 1, "{:#?}", c.diagnostics);
    let d = &c.diagnostics[0];
    assert_eq!(
        (d.regle, d.position.as_str()),
        ("situation-obligatoire-manquante", "Candidats!A2")
    );
    assert_eq!(d.gravite, siodoc::diagnostic::Gravite::Avertissement);
    assert!(
        d.message.contains("SO4") && d.message.contains("5 points"),
        "{}",
        d.message
    );
    assert_eq!(c.erreurs(), 0);
}

// --- Structure ---

#[test]
fn colonne_inconnue() {
    let mut t = t26();
    let n = t.feuilles[R][0].len();
    t.feuilles.get_mut(R).unwrap()[0].push("Commentaire du professeur".into());
    assert_eq!(
        t.diagnostics(),
        un("colonne-inconnue", &commun::reference(R, 1, n))
    );
}

#[test]
fn entete_absente_lists_the_expected_headers() {
    let mut t = t26();
    let c = t.colonne(R, "Partie");
    t.feuilles.get_mut(R).unwrap()[0][c] = "Partition".into();
    let ch = t.charger();
    let entete: Vec<_> = ch
        .diagnostics
        .iter()
        .filter(|d| d.regle == "entete-absente")
        .collect();
    assert_eq!(entete.len(), 1);
    assert_eq!(entete[0].position, "Réalisations!1");
    assert!(
        entete[0].message.contains("Partie") && entete[0].message.contains("Intitulé"),
        "{}",
        entete[0].message
    );
    let inconnues: Vec<_> = ch
        .diagnostics
        .iter()
        .filter(|d| d.regle == "colonne-inconnue")
        .map(|d| d.position.as_str())
        .collect();
    assert_eq!(inconnues, [commun::reference(R, 1, c)]);
}

#[test]
fn missing_tick_column_is_named() {
    let mut t = t26();
    let c = t.colonne(R, "B1.6");
    t.feuilles.get_mut(R).unwrap()[0][c] = String::new();
    let ch = t.charger();
    let entete: Vec<_> = ch
        .diagnostics
        .iter()
        .filter(|d| d.regle == "entete-absente")
        .collect();
    assert_eq!(entete.len(), 1);
    assert!(
        entete[0].message.contains("absente(s) : B1.6"),
        "{}",
        entete[0].message
    );
}

#[test]
fn feuille_absente() {
    let mut t = t26();
    t.ordre.retain(|f| f != "Fiches");
    let c = t.charger();
    let erreurs: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.gravite == siodoc::diagnostic::Gravite::Erreur)
        .collect();
    assert_eq!(erreurs.len(), 1);
    assert_eq!(
        (erreurs[0].regle, erreurs[0].position.as_str()),
        ("feuille-absente", "Fiches")
    );
    assert!(
        erreurs[0]
            .message
            .contains("Paramètres, Candidats, Réalisations, Fiches")
    );
    // The fiches then have no text: one warning per fiche, and nothing else.
    assert!(
        c.diagnostics
            .iter()
            .filter(|d| d.gravite != siodoc::diagnostic::Gravite::Erreur)
            .all(|d| d.regle == "fiche-sans-texte")
    );
}

#[test]
fn headers_found_by_text_not_position() {
    let mut t = t26();
    // Reorder two columns and change case and accents of their headers.
    let r = t.feuilles.get_mut(R).unwrap();
    for l in r.iter_mut() {
        l.resize(l.len().max(12), String::new());
        l.swap(2, 5);
    }
    r[0][2] = "  fin ".into();
    r[0][5] = "INTITULE".into();
    assert_eq!(t.diagnostics(), vec![]);
}
