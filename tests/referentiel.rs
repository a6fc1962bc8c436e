//! The embedded référentiels against shared/docs/domain.md and the seed text.

use std::collections::HashSet;

use siodoc::referentiel::{OptionSio, ReferentielId, normaliser_code_activite, sio2011, sio2019};
use siodoc::session::{ProfilSession, sessions_connues};

#[test]
fn sio2011_counts() {
    let r = sio2011();
    assert_eq!(r.processus.len(), 5);
    assert_eq!(r.domaines.len(), 14);
    assert_eq!(r.activites.len(), 57);
    assert_eq!(r.competences.len(), 159);
    assert_eq!(r.situations_obligatoires.len(), 4);
    // Activities per processus (domain.md §1.1).
    let par_processus: Vec<usize> = r
        .processus
        .iter()
        .map(|p| {
            r.activites
                .iter()
                .filter(|a| r.processus_de(a).unwrap().code == p.code)
                .count()
        })
        .collect();
    assert_eq!(par_processus, [15, 7, 11, 14, 10]);
}

#[test]
fn sio2011_tableau_has_48_columns_per_option_with_the_7_cross_overs() {
    let r = sio2011();
    for option in OptionSio::TOUTES {
        assert_eq!(r.colonnes_tableau(option).count(), 48, "{option}");
    }
    let sisr: HashSet<&str> = r
        .colonnes_tableau(OptionSio::Sisr)
        .map(|a| a.code.as_str())
        .collect();
    let slam: HashSet<&str> = r
        .colonnes_tableau(OptionSio::Slam)
        .map(|a| a.code.as_str())
        .collect();
    for code in ["A4.1.2", "A4.1.3", "A4.1.7", "A4.1.8", "A4.1.9"] {
        assert!(sisr.contains(code), "{code} sur la grille SISR");
    }
    for code in ["A3.2.1", "A3.2.2"] {
        assert!(slam.contains(code), "{code} sur la grille SLAM");
    }
    for code in ["A3.1.1", "A3.2.3", "A3.3.5"] {
        assert!(!slam.contains(code), "{code} absent de la grille SLAM");
    }
    for code in ["A4.1.1", "A4.1.10", "A4.2.4"] {
        assert!(!sisr.contains(code), "{code} absent de la grille SISR");
    }
    // Order of the columns is référentiel order: P1 first, P5 last.
    let colonnes: Vec<&str> = r
        .colonnes_tableau(OptionSio::Sisr)
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(colonnes.first(), Some(&"A1.1.1"));
    assert_eq!(colonnes.last(), Some(&"A5.2.4"));
}

fn competence(code: &str) -> String {
    sio2011()
        .competences
        .iter()
        .find(|c| c.code == code)
        .unwrap_or_else(|| panic!("{code} absente"))
        .libelle
        .clone()
}

fn activite(code: &str) -> String {
    sio2011().activite(code).unwrap().intitule.clone()
}

// One test per row of domain.md §1.4 (seed defects).

#[test]
fn seed_fix_c1_1_1_4_has_its_code() {
    assert_eq!(
        competence("C1.1.1.4"),
        "Rédiger un compte-rendu d'entretien, de réunion"
    );
    assert_eq!(
        sio2011()
            .competences
            .iter()
            .find(|c| c.code == "C1.1.1.4")
            .unwrap()
            .activite,
        "A1.1.1"
    );
}

#[test]
fn seed_fix_c1_2_2_1_and_c1_2_2_2() {
    assert_eq!(
        competence("C1.2.2.1"),
        "Recenser les composants nécessaires à la réalisation de la solution retenue"
    );
    assert_eq!(
        competence("C1.2.2.2"),
        "Décrire l'implantation des différents composants de la solution et les échanges entre eux"
    );
}

#[test]
fn seed_fix_a1_2_3_and_c1_2_3_1() {
    assert_eq!(
        activite("A1.2.3"),
        "Évaluation des risques liés à l'utilisation d'un service"
    );
    assert_eq!(
        competence("C1.2.3.1"),
        "Recenser les risques liés à une mauvaise utilisation ou à une utilisation malveillante du service"
    );
    // The line merged with A1.2.2 in the seed keeps A1.2.2's full title.
    assert_eq!(
        activite("A1.2.2"),
        "Rédaction des spécifications techniques de la solution retenue (adaptation d'une solution existante ou réalisation d'une nouvelle solution)"
    );
}

#[test]
fn seed_fix_c2_2_1_3_and_c2_2_1_4_recoded() {
    assert_eq!(
        competence("C2.2.1.3"),
        "Rédiger un rapport d'incident et mémoriser l'incident et sa résolution dans une base de connaissances"
    );
    assert_eq!(
        competence("C2.2.1.4"),
        "Faire évoluer une procédure de résolution d'incident"
    );
    // The duplicate codes of the seed keep their own A2.1.2 wording.
    assert_eq!(
        competence("C2.1.2.3"),
        "Vérifier périodiquement le fonctionnement du service en mode dégradé et la disponibilité des éléments permettant une reprise du service"
    );
    assert_eq!(
        competence("C2.1.2.4"),
        "Superviser les services et leur utilisation"
    );
}

#[test]
fn seed_fix_a3_2_2_title() {
    assert_eq!(
        activite("A3.2.2"),
        "Remplacement ou mise à jour d'éléments défectueux ou obsolètes"
    );
}

#[test]
fn seed_fix_a5_1_6_title() {
    assert_eq!(
        activite("A5.1.6"),
        "Évaluation d'un investissement informatique"
    );
}

#[test]
fn seed_fix_c5_2_4_1_typo_and_apostrophe() {
    assert_eq!(
        competence("C5.2.4.1"),
        "Se documenter à propos d'une technologie, d'un composant, d'un outil ou d'une méthode"
    );
}

#[test]
fn seed_fix_hyphenations_joined() {
    assert_eq!(
        activite("A3.3.5"),
        "Gestion des indicateurs et des fichiers d'activité"
    );
    assert_eq!(
        activite("A4.2.3"),
        "Réalisation des tests nécessaires à la mise en production d'éléments mis à jour"
    );
}

#[test]
fn seed_fix_c4_1_4_1_kept_as_only_competence_of_a4_1_4() {
    let c: Vec<_> = sio2011().competences_de("A4.1.4").collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].code, "C4.1.4.1");
    assert!(
        c[0].libelle
            .starts_with("Recenser et caractériser les composants existants")
    );
}

#[test]
fn no_wording_keeps_seed_junk() {
    let r = sio2011();
    let textes = r
        .activites
        .iter()
        .map(|a| a.intitule.as_str())
        .chain(r.competences.iter().map(|c| c.libelle.as_str()));
    for t in textes {
        for junk in ["adicaldá", "Compétono", "d'ur ", "- ", "’", "‘", "  "] {
            assert!(!t.contains(junk), "« {junk} » dans « {t} »");
        }
        assert_eq!(t.trim(), t);
    }
}

/// Independent check against the seed: every wording the seed kept intact is found there
/// verbatim, and the ones it lost are exactly the defects listed in domain.md §1.4.
#[test]
fn every_wording_matches_the_seed_except_the_listed_defects() {
    let chemin = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/000_e6c1c3bf187498e7.txt"
    );
    // shared/ sits beside the project on every machine and in CI: its absence is a failure.
    let seed = std::fs::read_to_string(chemin).unwrap_or_else(|e| {
        panic!("texte du seed absent ({chemin}) : {e} ; shared/ doit être à côté du projet")
    });
    let seed = seed
        .replace(['’', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let r = sio2011();
    let absentes: Vec<&str> = r
        .competences
        .iter()
        .filter(|c| !seed.contains(&format!("{} {}", c.code, c.libelle)))
        .map(|c| c.code.as_str())
        .collect();
    assert_eq!(
        absentes,
        [
            "C1.1.1.4", "C1.2.2.1", "C1.2.2.2", "C1.2.3.1", "C2.2.1.3", "C2.2.1.4", "C5.2.4.1"
        ]
    );
    let absentes: Vec<&str> = r
        .activites
        .iter()
        .filter(|a| !seed.contains(&format!("{} {}", a.code, a.intitule)))
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(absentes, ["A1.2.3", "A3.2.2", "A3.3.5", "A4.2.3", "A5.1.6"]);
}

#[test]
fn every_code_unique_and_every_parent_exists() {
    let r = sio2011();
    let mut vus = HashSet::new();
    let codes = r
        .processus
        .iter()
        .map(|p| &p.code)
        .chain(r.domaines.iter().map(|d| &d.code))
        .chain(r.activites.iter().map(|a| &a.code))
        .chain(r.competences.iter().map(|c| &c.code))
        .chain(r.situations_obligatoires.iter().map(|s| &s.code));
    for c in codes {
        assert!(vus.insert(c.clone()), "code en double {c}");
    }
    for c in &r.competences {
        let a = r
            .activite(&c.activite)
            .unwrap_or_else(|| panic!("{} : activité {} inexistante", c.code, c.activite));
        assert!(
            c.code.starts_with(&format!("C{}.", &a.code[1..])),
            "{}",
            c.code
        );
    }
    for a in &r.activites {
        assert!(r.domaine(&a.domaine).is_some(), "{}", a.code);
        assert!(!a.tableau.is_empty(), "{} sans colonne", a.code);
        assert!(
            ["E4", "E5", "E6"].contains(&a.epreuve.as_str()),
            "{}",
            a.code
        );
    }
    for d in &r.domaines {
        assert!(r.processus(&d.processus).is_some(), "{}", d.code);
    }
    // Every activity has at least one compétence.
    for a in &r.activites {
        assert!(
            r.competences_de(&a.code).next().is_some(),
            "{} sans compétence",
            a.code
        );
    }
    let r = sio2019();
    let mut vus = HashSet::new();
    for c in &r.competences {
        assert!(vus.insert(&c.code), "code en double {}", c.code);
    }
}

#[test]
fn parcours_of_domains_follow_their_processus() {
    let r = sio2011();
    let d31 = r.domaine("D3.1").unwrap();
    assert_eq!(d31.parcours, [OptionSio::Sisr]);
    let d41 = r.domaine("D4.1").unwrap();
    assert_eq!(d41.parcours, [OptionSio::Slam]);
    let d52 = r.domaine("D5.2").unwrap();
    assert_eq!(d52.parcours, [OptionSio::Sisr, OptionSio::Slam]);
}

#[test]
fn e6_activities_are_the_fourteen_of_the_e6_grid() {
    let e6: Vec<&str> = sio2011()
        .activites
        .iter()
        .filter(|a| a.epreuve == "E6")
        .map(|a| a.code.as_str())
        .collect();
    assert_eq!(e6.len(), 14);
    assert!(e6.contains(&"A1.3.3") && e6.contains(&"A5.2.4"));
    assert!(!e6.contains(&"A5.1.5") && !e6.contains(&"A5.1.6"));
}

#[test]
fn situations_obligatoires_official_and_short_wording() {
    let r = sio2011();
    let so1 = r.situation_obligatoire("so1").unwrap();
    assert_eq!(
        so1.libelle,
        "Participation à un projet d'évolution d'un SI (solution applicative et d'infrastructure portant prioritairement sur le domaine de spécialité du candidat)"
    );
    assert_eq!(
        so1.libelle_court,
        "Production d'une solution logicielle et d'infrastructure"
    );
    assert_eq!(
        r.situation_obligatoire("SO4").unwrap().libelle_court,
        "Mise en place d'un dispositif de veille technologique"
    );
}

#[test]
fn activity_code_variants_are_normalised() {
    assert_eq!(
        normaliser_code_activite("A.1.1.1").as_deref(),
        Some("A1.1.1")
    );
    assert_eq!(
        normaliser_code_activite(" 2.2.2 ").as_deref(),
        Some("A2.2.2")
    );
    assert_eq!(
        normaliser_code_activite("a4.1.10").as_deref(),
        Some("A4.1.10")
    );
    assert_eq!(normaliser_code_activite("A1.1"), None);
    assert_eq!(normaliser_code_activite("SO1"), None);
    assert_eq!(
        sio2011().activite("5.2.2").unwrap().intitule,
        "Veille technologique"
    );
}

#[test]
fn sio2019_blocs() {
    let r = sio2019();
    let bloc1: Vec<_> = r.bloc1().collect();
    assert_eq!(bloc1.len(), 6);
    assert_eq!(bloc1[0].intitule, "Gérer le patrimoine informatique");
    assert_eq!(
        bloc1[5].intitule,
        "Organiser son développement professionnel"
    );
    assert_eq!(bloc1[0].sous_items.len(), 6);
    assert_eq!(
        bloc1[0].sous_items[0],
        "Recenser et identifier les ressources numériques"
    );
    assert_eq!(
        bloc1[1].sous_items,
        [
            "Collecter, suivre et orienter des demandes",
            "Traiter des demandes concernant les services réseau et système, applicatifs",
            "Traiter des demandes concernant les applications"
        ]
    );
    for option in OptionSio::TOUTES {
        let bloc2: Vec<_> = r.bloc2(option).collect();
        assert_eq!(bloc2.len(), 3, "{option}");
        assert!(bloc2.iter().all(|c| c.option == Some(option)));
        // Bloc 3: four common compétences and one of the option.
        assert_eq!(r.competences_du_bloc(3, Some(option)).count(), 5);
    }
    assert_eq!(
        r.bloc2(OptionSio::Slam)
            .map(|c| c.intitule.as_str())
            .collect::<Vec<_>>(),
        [
            "Concevoir et développer une solution applicative",
            "Assurer la maintenance corrective ou évolutive d'une solution applicative",
            "Gérer les données"
        ]
    );
    assert_eq!(
        r.bloc(2).unwrap().intitule.pour(OptionSio::Sisr),
        "Administration des systèmes et des réseaux"
    );
}

#[test]
fn sessions_map_to_referentiel_and_epreuves() {
    let p = ProfilSession::integre(2020).unwrap();
    assert_eq!(p.referentiel, ReferentielId::Sio2011);
    assert_eq!(p.tableau_synthese.epreuve, "E6");
    assert_eq!(p.fiche_descriptive.epreuve, "E4");
    assert_eq!(
        p.tableau_synthese
            .feuille
            .as_ref()
            .unwrap()
            .get(OptionSio::Slam),
        "tableau de synthèse SLAM"
    );

    let p = ProfilSession::integre(2013).unwrap();
    assert_eq!(p.referentiel, ReferentielId::Sio2011);
    assert_eq!(
        p.fiche_descriptive.annexe.get(OptionSio::Sisr),
        "ANNEXE VI-1"
    );

    let p = ProfilSession::integre(2024).unwrap();
    assert_eq!(p.referentiel, ReferentielId::Sio2019);
    assert_eq!(p.tableau_synthese.epreuve, "E4");
    assert_eq!(p.fiche_descriptive.epreuve, "E5");
    assert_eq!(p.tableau_synthese.annexe.get(OptionSio::Sisr), "ANNEXE 8-1");
    assert_eq!(
        p.tableau_synthese
            .feuille
            .as_ref()
            .unwrap()
            .get(OptionSio::Sisr),
        "Tableau de synthèse Épreuve E4"
    );

    let p = ProfilSession::integre(2026).unwrap();
    assert_eq!(p.referentiel, ReferentielId::Sio2019);
    assert_eq!(p.tableau_synthese.epreuve, "E5");
    assert_eq!(p.fiche_descriptive.epreuve, "E6");
    assert_eq!(
        p.fiche_descriptive.annexe.get(OptionSio::Slam),
        "ANNEXE VII-1-B"
    );
    assert_eq!(
        p.fiche_descriptive.libelle_epreuve(OptionSio::Slam),
        "Épreuve E6 - Conception et développement d'applications (option SLAM)"
    );
    assert_eq!(
        p.tableau_synthese
            .feuille
            .as_ref()
            .unwrap()
            .get(OptionSio::Slam),
        "Tableau de synthèse Épreuve E5"
    );

    let p = ProfilSession::integre(2022).unwrap();
    assert_eq!(
        p.fiche_descriptive.annexe.get(OptionSio::Sisr),
        "ANNEXE 7-1-A"
    );
}

/// official-layouts.md §0: the annex labels of each session and, from 2025, the annex line of
/// the fiche before its épreuve line.
#[test]
fn annex_labels_and_header_order_per_session_2022_to_2027() {
    let attendus = [
        (
            2022,
            "E4",
            "ANNEXE 6-1",
            "E5",
            "ANNEXE 7-1-A",
            "ANNEXE 7-1-B",
            false,
        ),
        (
            2023,
            "E4",
            "ANNEXE 6-1",
            "E5",
            "ANNEXE 7-1-A",
            "ANNEXE 7-1-B",
            false,
        ),
        (
            2024,
            "E4",
            "ANNEXE 8-1",
            "E5",
            "ANNEXE 9-1-A",
            "ANNEXE 9-1-B",
            false,
        ),
        (
            2025,
            "E5",
            "ANNEXE 8-1",
            "E6",
            "ANNEXE 9-1-A",
            "ANNEXE 9-1-B",
            true,
        ),
        (
            2026,
            "E5",
            "ANNEXE VI-1",
            "E6",
            "ANNEXE VII-1-A",
            "ANNEXE VII-1-B",
            true,
        ),
        // Nothing published after 2026: its labels are kept, and the note says so.
        (
            2027,
            "E5",
            "ANNEXE VI-1",
            "E6",
            "ANNEXE VII-1-A",
            "ANNEXE VII-1-B",
            true,
        ),
    ];
    for (session, e_tableau, a_tableau, e_fiche, a_sisr, a_slam, annexe_d_abord) in attendus {
        let p = ProfilSession::integre(session).unwrap();
        assert_eq!(p.tableau_synthese.epreuve, e_tableau, "{session}");
        assert_eq!(
            p.tableau_synthese.annexe.get(OptionSio::Sisr),
            a_tableau,
            "{session}"
        );
        assert_eq!(p.fiche_descriptive.epreuve, e_fiche, "{session}");
        assert_eq!(
            p.fiche_descriptive.annexe.get(OptionSio::Sisr),
            a_sisr,
            "{session}"
        );
        assert_eq!(
            p.fiche_descriptive.annexe.get(OptionSio::Slam),
            a_slam,
            "{session}"
        );
        assert_eq!(
            p.fiche_descriptive.annexe_avant_epreuve, annexe_d_abord,
            "{session}"
        );
    }
    let grille = ProfilSession::integre(2026).unwrap().grille;
    assert_eq!(grille.annexe.get(OptionSio::Slam), "ANNEXE VI-3");
    assert!(
        ProfilSession::integre(2027)
            .unwrap()
            .note
            .unwrap()
            .contains("libellés de 2026 repris")
    );
}

#[test]
fn unknown_sessions_are_french_errors_listing_the_known_ones() {
    for annee in [2012, 2021, 3000] {
        let e = ProfilSession::integre(annee).unwrap_err().to_string();
        assert!(e.contains(&format!("session {annee} inconnue")), "{e}");
        assert!(e.contains("2013 à 2020, 2022 à 2030"), "{e}");
    }
    let connues = sessions_connues();
    assert_eq!(connues.first(), Some(&2013));
    assert!(!connues.contains(&2021));
    assert_eq!(connues.len(), 8 + 9);
}

#[test]
fn exported_profile_reads_back_identical() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = dir.path().join("profil.toml");
    let p = ProfilSession::integre(2025).unwrap();
    std::fs::write(&chemin, p.vers_toml()).unwrap();
    let relu = ProfilSession::resoudre(None, Some(&chemin), 2000).unwrap();
    assert_eq!(relu, p);
}

#[test]
fn profile_override_changes_only_the_given_fields() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = dir.path().join("profil.toml");
    std::fs::write(
        &chemin,
        "[fiche_descriptive]\nannexe = { SISR = \"ANNEXE 7-1-A\" }\n",
    )
    .unwrap();
    let p = ProfilSession::resoudre(Some(2026), Some(&chemin), 2000).unwrap();
    let base = ProfilSession::integre(2026).unwrap();
    assert_eq!(
        p.fiche_descriptive.annexe.get(OptionSio::Sisr),
        "ANNEXE 7-1-A"
    );
    assert_eq!(
        p.fiche_descriptive.annexe.get(OptionSio::Slam),
        "ANNEXE VII-1-B"
    );
    assert_eq!(p.tableau_synthese, base.tableau_synthese);
}

#[test]
fn profile_for_an_unknown_session_must_be_complete() {
    let dir = tempfile::tempdir().unwrap();
    let complet = dir.path().join("2031.toml");
    let texte = ProfilSession::integre(2030)
        .unwrap()
        .vers_toml()
        .replace("session = 2030", "session = 2031");
    std::fs::write(&complet, texte).unwrap();
    let p = ProfilSession::resoudre(None, Some(&complet), 2000).unwrap();
    assert_eq!(p.session, 2031);
    assert_eq!(p.referentiel, ReferentielId::Sio2019);

    let partiel = dir.path().join("partiel.toml");
    std::fs::write(&partiel, "session = 2031\n[grille]\nepreuve = \"E5\"\n").unwrap();
    let e = ProfilSession::resoudre(None, Some(&partiel), 2000)
        .unwrap_err()
        .to_string();
    assert!(e.contains("la session 2031 n'est pas connue"), "{e}");
    assert!(e.contains("clé obligatoire absente"), "{e}");
}

#[test]
fn profile_cannot_change_the_referentiel_of_a_known_session() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = dir.path().join("p.toml");
    std::fs::write(&chemin, "# commentaire\nreferentiel = \"sio-2011\"\n").unwrap();
    let e = ProfilSession::resoudre(Some(2026), Some(&chemin), 2000)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        format!(
            "profil « {} », ligne 2, colonne 1 : la session 2026 relève du référentiel « sio-2019 », pas de « sio-2011 » ; retirez la clé « referentiel »",
            chemin.display()
        )
    );
}

#[test]
fn profile_texts_are_checked_like_the_workbook_s() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = dir.path().join("p.toml");
    for (contenu, attendu) in [
        (
            "[tableau_synthese.annexe]\nSISR = \"ANNEXE \u{202E}VI-1\"\n".to_string(),
            "ligne 2, colonne 9 : « tableau_synthese.annexe.SISR » : le texte contient un caractère \
             invisible de direction d'écriture (U+202E) : les documents imprimeraient à l'envers ce qui \
             suit ; retirez-le",
        ),
        (
            "[fiche_descriptive]\ntitre = \"Fiche 😀\"\n".to_string(),
            "ligne 2, colonne 10 : « fiche_descriptive.titre » : le texte contient un caractère que les \
             polices des documents ne savent pas dessiner (U+1F600) ; retirez-le ou remplacez-le par du texte",
        ),
        (
            format!("[grille]\ntitre = \"{}\"\n", "T".repeat(400)),
            "ligne 2, colonne 10 : « grille.titre » : le texte compte 400 caractères ; un document en \
             imprime au plus 300 : raccourcissez-le",
        ),
    ] {
        std::fs::write(&chemin, contenu).unwrap();
        let e = ProfilSession::resoudre(Some(2026), Some(&chemin), 2000)
            .unwrap_err()
            .to_string();
        assert_eq!(e, format!("profil « {} », {attendu}", chemin.display()));
    }
}
