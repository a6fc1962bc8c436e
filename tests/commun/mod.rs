//! Helpers shared by the integration tests: the example class as plain text tables that a
//! test can change cell by cell, written back as a real XLSX file.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use siodoc::chargement::{Chargement, charger};
use siodoc::classeur::{exemple, feuille::lettres_colonne, gabarit, lecture};
use siodoc::session::ProfilSession;

/// Sheets as rows of text, row 0 being the header row (or the first label for Paramètres).
#[derive(Clone, Debug)]
pub struct Tables {
    pub feuilles: BTreeMap<String, Vec<Vec<String>>>,
    pub ordre: Vec<String>,
}

/// The example class of `modele --exemple` for a session, as XLSX bytes.
pub fn exemple_xlsx(session: u16) -> Vec<u8> {
    let profil = ProfilSession::integre(session).unwrap();
    gabarit::ecrire(&profil, None, &exemple::classe(&profil, None)).unwrap()
}

pub fn temp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

impl Tables {
    /// The example class, read back as text.
    pub fn exemple(session: u16) -> Tables {
        let dir = temp();
        let chemin = dir.path().join("exemple.xlsx");
        std::fs::write(&chemin, exemple_xlsx(session)).unwrap();
        let source = lecture::ouvrir(&chemin).unwrap();
        let mut feuilles = BTreeMap::new();
        let mut ordre = Vec::new();
        for f in &source.feuilles {
            if f.nom == "Lisez-moi" || f.nom == "Listes" {
                continue;
            }
            let lignes: Vec<Vec<String>> = f
                .lignes
                .iter()
                .map(|l| l.iter().map(|c| c.texte()).collect())
                .collect();
            feuilles.insert(f.nom.clone(), lignes);
            ordre.push(f.nom.clone());
        }
        Tables { feuilles, ordre }
    }

    pub fn colonne(&self, feuille: &str, entete: &str) -> usize {
        self.feuilles[feuille][0]
            .iter()
            .position(|h| h == entete || h.starts_with(&format!("{entete} ,")))
            .unwrap_or_else(|| panic!("pas de colonne « {entete} » dans {feuille}"))
    }

    /// Value at a 1-based sheet row under a header.
    pub fn get(&self, feuille: &str, ligne: usize, entete: &str) -> String {
        let c = self.colonne(feuille, entete);
        self.feuilles[feuille][ligne - 1]
            .get(c)
            .cloned()
            .unwrap_or_default()
    }

    pub fn set(&mut self, feuille: &str, ligne: usize, entete: &str, valeur: &str) -> String {
        let c = self.colonne(feuille, entete);
        let lignes = self.feuilles.get_mut(feuille).unwrap();
        while lignes.len() < ligne {
            lignes.push(Vec::new());
        }
        let l = &mut lignes[ligne - 1];
        if l.len() <= c {
            l.resize(c + 1, String::new());
        }
        l[c] = valeur.to_string();
        reference(feuille, ligne, c)
    }

    /// `Feuille!A1` of a header and a 1-based row.
    pub fn cellule(&self, feuille: &str, ligne: usize, entete: &str) -> String {
        reference(feuille, ligne, self.colonne(feuille, entete))
    }

    /// Appends a copy of row `ligne` at the end of the sheet; returns the new row number.
    pub fn dupliquer(&mut self, feuille: &str, ligne: usize) -> usize {
        let lignes = self.feuilles.get_mut(feuille).unwrap();
        let copie = lignes[ligne - 1].clone();
        lignes.push(copie);
        lignes.len()
    }

    /// First 1-based row of `Réalisations` for a candidate N°, plus `k`.
    pub fn realisation(&self, numero: &str, k: usize) -> usize {
        let c = self.colonne("Réalisations", "N° candidat");
        let i = self.feuilles["Réalisations"]
            .iter()
            .position(|l| l.get(c).is_some_and(|v| v == numero))
            .unwrap();
        i + 1 + k
    }

    /// Writes every cell as text into an XLSX file.
    pub fn ecrire_xlsx(&self, chemin: &Path) {
        let mut wb = rust_xlsxwriter::Workbook::new();
        for nom in &self.ordre {
            let ws = wb.add_worksheet();
            ws.set_name(nom).unwrap();
            for (i, l) in self.feuilles[nom].iter().enumerate() {
                for (j, v) in l.iter().enumerate() {
                    if let Some(erreur) = v.strip_prefix('=') {
                        // A formula whose cached result is an error, as Excel leaves #REF!.
                        let f = rust_xlsxwriter::Formula::new(v).set_result(erreur);
                        ws.write_formula(i as u32, j as u16, f).unwrap();
                    } else if !v.is_empty() {
                        ws.write_string(i as u32, j as u16, v).unwrap();
                    }
                }
            }
        }
        wb.save(chemin).unwrap();
    }

    /// Writes, reads back and checks; returns the loaded result.
    pub fn charger(&self) -> Chargement {
        let dir = temp();
        let chemin = dir.path().join("classe.xlsx");
        self.ecrire_xlsx(&chemin);
        charger(&chemin, None, None).unwrap()
    }

    /// The (rule, position) pairs found, sorted.
    pub fn diagnostics(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .charger()
            .diagnostics
            .iter()
            .map(|d| (d.regle.to_string(), d.position.clone()))
            .collect();
        v.sort();
        v
    }
}

pub fn reference(feuille: &str, ligne: usize, colonne: usize) -> String {
    format!("{feuille}!{}{ligne}", lettres_colonne(colonne))
}

pub fn un(regle: &str, position: &str) -> Vec<(String, String)> {
    vec![(regle.to_string(), position.to_string())]
}

pub fn siodoc_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_siodoc"))
}
pub mod officiel;
pub mod pdf;

/// `siodoc generer classeur -o sortie extra…`, without SOURCE_DATE_EPOCH.
pub fn generer(classeur: &Path, sortie: &Path, extra: &[&str]) -> std::process::Output {
    std::process::Command::new(siodoc_bin())
        .arg("generer")
        .arg(classeur)
        .arg("-o")
        .arg(sortie)
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap()
}

/// The folder of the candidate whose folder name starts with `debut`, in the class folder
/// `classe` (the only one when `None`).
pub fn dossier_candidat(sortie: &Path, classe: Option<&str>, debut: &str) -> PathBuf {
    let classe = match classe {
        Some(c) => sortie.join(c),
        None => std::fs::read_dir(sortie)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    };
    std::fs::read_dir(classe)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(debut))
        .unwrap_or_else(|| panic!("pas de dossier {debut}…"))
}
