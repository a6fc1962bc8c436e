//! Renders every document of a class in parallel and writes each atomically. One document's
//! failure is recorded and the others go on. Progress goes through a callback: this module
//! knows nothing of the terminal.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use typst::foundations::Datetime;

use super::formulaires::Document;
use super::moteur::{ErreurRendu, Moteur, OptionsPdf};
use super::nommage::{Nommage, Variables, assainir};

/// Where and how to write.
pub struct Options<'a> {
    pub sortie: &'a Path,
    pub nommage: &'a Nommage,
    pub classe: &'a str,
    pub session: u16,
    pub date: Datetime,
    pub standards: typst_pdf::PdfStandards,
}

/// One document done (or failed), for progress reports.
pub struct Avancement<'a> {
    pub chemin: &'a Path,
    pub erreur: Option<&'a str>,
}

#[derive(Debug, Default)]
pub struct Bilan {
    /// Files written, relative to the output folder.
    pub ecrits: Vec<PathBuf>,
    /// (document, French reason) of each failure.
    pub echecs: Vec<(PathBuf, String)>,
    /// Typst warnings, with their document.
    pub avertissements: Vec<(PathBuf, String)>,
}

/// The relative path of every document (with extension), unique even if two candidates share a
/// name and a number.
pub fn chemins(docs: &[Document], opts: &Options, extension: &str) -> Result<Vec<PathBuf>, String> {
    let mut vus = HashSet::new();
    docs.iter()
        .map(|d| {
            let base = match &d.candidat {
                Some(c) => opts.nommage.chemin(&Variables {
                    classe: opts.classe,
                    session: opts.session,
                    option: &c.option,
                    nom: &c.nom,
                    prenom: &c.prenom,
                    numero: &c.numero,
                    document: &d.genre.nom_fichier(),
                })?,
                None => Path::new(&assainir(opts.classe)).join(d.genre.nom_fichier()),
            };
            let mut chemin = base.with_extension(extension);
            let mut n = 2;
            while !vus.insert(chemin.clone()) {
                chemin = PathBuf::from(format!("{}-{n}.{extension}", base.display()));
                n += 1;
            }
            Ok(chemin)
        })
        .collect()
}

/// Stable PDF identifier of a document: the same document always gets the same /ID.
fn identifiant(d: &Document, session: u16) -> String {
    let qui = d.candidat.as_ref().map_or("classe", |c| c.numero.as_str());
    format!("siodoc/{session}/{qui}/{}", d.genre.nom_fichier())
}

/// Renders and writes all documents in parallel.
pub fn generer(
    moteur: &Moteur,
    docs: &[Document],
    opts: &Options,
    avancement: &(dyn Fn(Avancement) + Sync),
) -> Result<Bilan, String> {
    let chemins = chemins(docs, opts, "pdf")?;
    let resultats: Vec<(PathBuf, Result<Vec<String>, String>)> = docs
        .par_iter()
        .zip(chemins.par_iter())
        .map(|(d, relatif)| {
            let pdf = OptionsPdf {
                date: opts.date,
                identifiant: identifiant(d, opts.session),
                standards: opts.standards.clone(),
            };
            let rendu = moteur.pdf(d.modele, &d.donnees, &pdf);
            // Keep memory flat over thousands of documents, on the error path too: results
            // unused for two documents are dropped, the invariant headers stay cached.
            typst::comemo::evict(2);
            let resultat = rendu
                .map_err(|ErreurRendu { message }| format!("mise en page impossible : {message}"))
                .and_then(|(octets, avertissements)| {
                    ecrire(&opts.sortie.join(relatif), &octets).map(|()| avertissements)
                });
            avancement(Avancement {
                chemin: relatif,
                erreur: resultat.as_ref().err().map(String::as_str),
            });
            (relatif.clone(), resultat)
        })
        .collect();
    let mut bilan = Bilan::default();
    for (chemin, r) in resultats {
        match r {
            Ok(avertissements) => {
                bilan
                    .avertissements
                    .extend(avertissements.into_iter().map(|a| (chemin.clone(), a)));
                bilan.ecrits.push(chemin);
            }
            Err(e) => bilan.echecs.push((chemin, e)),
        }
    }
    Ok(bilan)
}

fn ecrire(chemin: &Path, octets: &[u8]) -> Result<(), String> {
    if let Some(dossier) = chemin.parent() {
        std::fs::create_dir_all(dossier).map_err(|e| {
            format!(
                "dossier « {} » impossible à créer : {}",
                dossier.display(),
                crate::erreur::io_fr(&e)
            )
        })?;
    }
    crate::fichier::ecrire_atomique(chemin, octets).map_err(|e| e.to_string())
}

/// Writes each document's Typst sources so that the plain `typst` CLI rebuilds it:
/// `<dossier>/<chemin>/main.typ`, `commun.typ`, `data.json`, and the fonts once in
/// `<dossier>/fonts/`. Returns the folders written.
pub fn exporter_sources(
    moteur: &Moteur,
    docs: &[Document],
    opts: &Options,
    dossier: &Path,
) -> Result<Vec<PathBuf>, String> {
    let chemins = chemins(docs, opts, "")?;
    let polices = dossier.join("fonts");
    for (nom, octets) in super::moteur::POLICES {
        ecrire(&polices.join(nom), octets)?;
    }
    let commun = moteur
        .modeles()
        .find(|(n, _)| *n == "commun.typ")
        .map(|(_, t)| t)
        .unwrap_or_default();
    let mut ecrits = Vec::new();
    for (d, relatif) in docs.iter().zip(&chemins) {
        let cible = dossier.join(relatif.with_extension(""));
        let principal = moteur
            .modeles()
            .find(|(n, _)| *n == d.modele)
            .map(|(_, t)| t)
            .unwrap_or_default();
        ecrire(&cible.join("main.typ"), principal.as_bytes())?;
        ecrire(&cible.join("commun.typ"), commun.as_bytes())?;
        ecrire(&cible.join("data.json"), &d.donnees)?;
        ecrits.push(cible);
    }
    Ok(ecrits)
}
