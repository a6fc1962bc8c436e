//! `siodoc referentiel` as a teacher or a script runs it.

use std::process::{Command, Output};

use serde_json::Value;

fn siodoc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_siodoc"))
        .args(args)
        .output()
        .expect("lancement de siodoc")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Every string value under `key` anywhere in the JSON.
fn collect(v: &Value, key: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == key
                    && let Value::String(s) = x
                {
                    out.push(s.clone());
                }
                collect(x, key, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| collect(x, key, out)),
        _ => {}
    }
}

#[test]
fn json_2011_parses_back_and_holds_every_code() {
    let o = siodoc(&["referentiel", "--session", "2020", "--format", "json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let mut codes = Vec::new();
    collect(&v["referentiel"], "code", &mut codes);
    let r = siodoc::referentiel::sio2011();
    let attendus = r
        .processus
        .iter()
        .map(|p| &p.code)
        .chain(r.domaines.iter().map(|d| &d.code))
        .chain(r.activites.iter().map(|a| &a.code))
        .chain(r.competences.iter().map(|c| &c.code))
        .chain(r.situations_obligatoires.iter().map(|s| &s.code));
    let mut n = 0;
    for code in attendus {
        assert!(codes.contains(code), "{code} absent du JSON");
        n += 1;
    }
    assert_eq!(n, 5 + 14 + 57 + 159 + 4);
    assert_eq!(codes.len(), n);
    assert_eq!(v["profil"]["session"], 2020);
    assert_eq!(v["profil"]["referentiel"], "sio-2011");
    assert_eq!(v["profil"]["tableau_synthese"]["epreuve"], "E6");
    let c = v["referentiel"]["competences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "C2.2.1.4")
        .unwrap();
    assert_eq!(
        c["libelle"],
        "Faire évoluer une procédure de résolution d'incident"
    );
    assert_eq!(c["activite"], "A2.2.1");
}

#[test]
fn json_2019_holds_every_competence_and_sub_item() {
    let o = siodoc(&["referentiel", "--session", "2026", "--format", "json"]);
    assert!(o.status.success());
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let comps = v["referentiel"]["competences"].as_array().unwrap();
    assert_eq!(comps.len(), 6 + 6 + 6);
    let b1_5 = comps.iter().find(|c| c["code"] == "B1.5").unwrap();
    assert_eq!(
        b1_5["intitule"],
        "Mettre à disposition des utilisateurs un service informatique"
    );
    assert_eq!(b1_5["sous_items"][1], "Déployer un service");
    assert_eq!(v["profil"]["tableau_synthese"]["epreuve"], "E5");
    assert_eq!(v["profil"]["fiche_descriptive"]["epreuve"], "E6");
    assert_eq!(
        v["profil"]["fiche_descriptive"]["annexe"]["SISR"],
        "ANNEXE VII-1-A"
    );
}

#[test]
fn csv_lists_the_option_grid() {
    let o = siodoc(&[
        "referentiel",
        "--session",
        "2019",
        "--format",
        "csv",
        "--option",
        "slam",
    ]);
    assert!(o.status.success());
    let mut r = csv::Reader::from_reader(o.stdout.as_slice());
    let lignes: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let de_type = |t: &str| lignes.iter().filter(|l| &l[1] == t).count();
    assert_eq!(de_type("activite"), 48);
    assert_eq!(de_type("situation_obligatoire"), 4);
    // The SLAM grid keeps P3 (two cross-over columns) and its domain D3.2 only.
    let codes: Vec<&str> = lignes.iter().map(|l| l.get(2).unwrap()).collect();
    assert!(codes.contains(&"P3") && codes.contains(&"D3.2") && !codes.contains(&"D3.1"));
    assert!(codes.contains(&"A3.2.2") && !codes.contains(&"A3.3.1"));
    assert!(codes.contains(&"C3.2.2.1") && !codes.contains(&"C3.3.1.1"));
    let a = lignes.iter().find(|l| &l[2] == "A1.2.3").unwrap();
    assert_eq!(
        &a[6],
        "Évaluation des risques liés à l'utilisation d'un service"
    );
    assert_eq!(&a[3], "D1.2");
}

#[test]
fn text_groups_and_wraps() {
    let o = siodoc(&["referentiel", "--session", "2026", "--option", "sisr"]);
    assert!(o.status.success());
    let t = stdout(&o);
    // Not a terminal here: wrapped at 80 columns.
    assert!(t.lines().all(|l| l.chars().count() <= 80), "{t}");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(t.contains("Épreuve E6 - Administration des systèmes et des réseaux (option SISR)"));
    assert!(!t.contains("option SLAM"));
    assert!(t.contains("Bloc 1 : Support et mise à disposition de services informatiques"));
    assert!(t.contains("▸ Gérer des sauvegardes"));
}

#[test]
fn unknown_session_lists_known_sessions_with_exit_2() {
    for s in ["2021", "2012", "3000"] {
        let o = siodoc(&["referentiel", "--session", s]);
        assert_eq!(o.status.code(), Some(2));
        let e = stderr(&o);
        assert!(e.contains(&format!("session {s} inconnue")), "{e}");
        assert!(e.contains("2013 à 2020, 2022 à 2030"), "{e}");
    }
    let o = siodoc(&["referentiel", "--session", "deux-mille"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("« deux-mille » n'est pas une année de session"));
}

#[test]
fn profile_with_unknown_key_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("profil.toml");
    std::fs::write(
        &f,
        "session = 2026\n\n[tableau_synthese]\nannex = \"ANNEXE 8-1\"\n",
    )
    .unwrap();
    let o = siodoc(&["referentiel", "--profil", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains(&format!("profil « {} », ligne 4, colonne 1", f.display())),
        "{e}"
    );
    assert!(
        e.contains("dans [tableau_synthese] : clé inconnue « annex »"),
        "{e}"
    );
    assert!(e.contains("« annexe »"), "{e}");
    assert!(!e.contains("panicked"));
}

#[test]
fn profile_with_syntax_error_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("profil.toml");
    std::fs::write(&f, "session = 2026\n[grille\nepreuve = \"E5\"\n").unwrap();
    let o = siodoc(&["referentiel", "--profil", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains(&format!("profil « {} », ligne 2", f.display())),
        "{e}"
    );
    assert!(e.contains("syntaxe TOML invalide"), "{e}");
}

#[test]
fn missing_profile_file_is_a_french_error() {
    let o = siodoc(&["referentiel", "--profil", "/nonexistent/profil.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "siodoc : erreur : impossible de lire « /nonexistent/profil.toml » : fichier ou dossier introuvable ; vérifiez le chemin\n"
    );
}

#[test]
fn exported_profile_is_used_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("profil.toml");
    let o = siodoc(&[
        "referentiel",
        "--session",
        "2025",
        "--exporter-profil",
        f.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let texte = std::fs::read_to_string(&f).unwrap();
    assert!(texte.starts_with("# Profil de la session 2025"));
    std::fs::write(&f, texte.replace("ANNEXE 8-1", "ANNEXE 12-1")).unwrap();
    let o = siodoc(&[
        "referentiel",
        "--profil",
        f.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["profil"]["session"], 2025);
    assert_eq!(
        v["profil"]["tableau_synthese"]["annexe"]["SLAM"],
        "ANNEXE 12-1"
    );
}

#[test]
fn argument_errors_are_in_french() {
    let o = siodoc(&["referentiel", "--format", "pdf"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains(
            "valeur « pdf » invalide pour --format <FORMAT> ; valeurs possibles : texte, json, csv"
        ),
        "{}",
        stderr(&o)
    );
    let o = siodoc(&["referentiel", "--help"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("Utilisation : siodoc referentiel"));
    assert!(stdout(&o).contains("Codes de sortie"));
}

#[test]
fn every_help_is_in_french() {
    // « Arguments » and « Options », clap's headings, are French words too.
    for commande in [
        "generer",
        "verifier",
        "modele",
        "modeles",
        "referentiel",
        "archiver",
        "verifier-archive",
    ] {
        let o = siodoc(&[commande, "--help"]);
        assert!(o.status.success(), "{commande}");
        let aide = stdout(&o);
        assert!(
            aide.contains(&format!("Utilisation : siodoc {commande}")),
            "{aide}"
        );
        for anglais in [
            "[default:",
            "[possible values",
            "Usage:",
            "Print help",
            "Print version",
        ] {
            assert!(
                !aide.contains(anglais),
                "{commande} --help : « {anglais} »\n{aide}"
            );
        }
    }
}
