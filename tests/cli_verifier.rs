//! `siodoc verifier` as a teacher runs it: text and JSON reports, exit codes.

mod commun;

use std::process::Command;

use commun::Tables;
use serde_json::Value;

#[test]
fn samples_verify_without_any_diagnostic() {
    for sample in ["samples/classe-2026.xlsx", "samples/classe-2020.xlsx"] {
        let o = Command::new(commun::siodoc_bin())
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["verifier", sample])
            .output()
            .unwrap();
        let sortie = String::from_utf8(o.stdout).unwrap();
        assert_eq!(o.status.code(), Some(0), "{sortie}");
        assert!(
            sortie.starts_with(&format!("{sample} : aucun problème (session 20")),
            "{sortie}"
        );
        assert!(sortie.contains("14 candidats, 98 réalisations"));
        assert_eq!(sortie.lines().count(), 1);
    }
}

fn classe_fautive() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let mut t = Tables::exemple(2026);
    let cellule = t.set("Réalisations", 2, "B1.1", "v");
    t.set("Candidats", 3, "Adresse URL du portfolio", "");
    let dir = commun::temp();
    let chemin = dir.path().join("classe.xlsx");
    t.ecrire_xlsx(&chemin);
    (dir, chemin, cellule)
}

#[test]
fn text_report_names_cell_rule_and_summary_with_exit_1() {
    let (_dir, chemin, cellule) = classe_fautive();
    let o = Command::new(commun::siodoc_bin())
        .arg("verifier")
        .arg(&chemin)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let sortie = String::from_utf8(o.stdout).unwrap();
    let lignes: Vec<&str> = sortie.lines().collect();
    assert_eq!(lignes.len(), 3, "{sortie}");
    assert!(lignes.contains(&format!(
        "{cellule} : erreur [coche-inconnue] : marque « v » non reconnue dans la colonne B1.1 ; pour cocher, écrivez X (ou x, ✓, 1, oui) ; sinon laissez la case vide"
    ).as_str()), "{sortie}");
    assert!(
        lignes
            .iter()
            .any(|l| l.starts_with("Candidats!E3 : avertissement [portfolio-absent] : ")),
        "{sortie}"
    );
    assert_eq!(
        lignes[2],
        format!(
            "{} : 1 erreur, 1 avertissement (session 2026, 14 candidats, 98 réalisations).",
            chemin.display()
        )
    );
}

#[test]
fn json_report_parses_and_locates_each_diagnostic() {
    let (_dir, chemin, cellule) = classe_fautive();
    let o = Command::new(commun::siodoc_bin())
        .arg("verifier")
        .arg(&chemin)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["session"], 2026);
    assert_eq!(v["referentiel"], "sio-2019");
    assert_eq!(v["candidats"], 14);
    assert_eq!(v["erreurs"], 1);
    assert_eq!(v["avertissements"], 1);
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 2);
    let coche = d.iter().find(|x| x["regle"] == "coche-inconnue").unwrap();
    assert_eq!(coche["gravite"], "erreur");
    assert_eq!(coche["position"], cellule.as_str());
    assert_eq!(coche["feuille"], "Réalisations");
    assert_eq!(coche["cellule"], cellule.split('!').nth(1).unwrap());
    assert_eq!(coche["candidat"], "026000101");
    let portfolio = d.iter().find(|x| x["regle"] == "portfolio-absent").unwrap();
    assert_eq!(portfolio["gravite"], "avertissement");
    assert_eq!(portfolio["candidat"], "026000102");
}

#[test]
fn session_flag_overrides_the_workbook() {
    let o = Command::new(commun::siodoc_bin())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "verifier",
            "samples/classe-2026.xlsx",
            "--session",
            "2024",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["session"], 2024);
    let regles: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["regle"].as_str().unwrap())
        .collect();
    assert!(regles.contains(&"session-differente"), "{regles:?}");
    // Dates of a 2026 class fall outside 2024's window.
    assert!(regles.contains(&"date-hors-periode"), "{regles:?}");
    assert_eq!(o.status.code(), Some(0));
}
