//! The data of every candidate's document, made once and kept in an anonymous temporary file
//! while the documents are rendered: the model of the workbook (about 7 KB per candidate) can
//! then be let go before the longest stage, and memory no longer holds the class while it is
//! laid out. The file has no name: the system deletes it when siodoc closes it or stops.

use std::collections::HashMap;
use std::io::Write;
use std::os::unix::fs::FileExt;

use super::formulaires::{Document, Genre};
use super::generation::Donnees;

/// Documents whose data are made together (in parallel) before being written.
const PAR_MORCEAU: usize = 256;

pub struct Reserve {
    fichier: std::fs::File,
    /// Where each candidate's document's data are: (candidate, kind) → (offset, length).
    places: HashMap<(usize, Genre), (u64, usize)>,
}

impl Reserve {
    /// Makes, with `donnees`, the data of every document of `docs` that belongs to a candidate,
    /// and writes them to a new temporary file. The error says why the file could not be used.
    pub fn new(docs: &[Document], donnees: &Donnees) -> Result<Reserve, String> {
        use rayon::prelude::*;
        let mut fichier = tempfile::tempfile()
            .map_err(|e| format!("fichier temporaire impossible à créer ({e})"))?;
        let mut places = HashMap::new();
        let mut fin = 0u64;
        let des_candidats: Vec<&Document> = docs.iter().filter(|d| d.source.is_some()).collect();
        for morceau in des_candidats.chunks(PAR_MORCEAU) {
            let faites: Vec<Result<Vec<u8>, String>> =
                morceau.par_iter().map(|d| donnees(d)).collect();
            for (d, faite) in morceau.iter().zip(faites) {
                let faite = faite?;
                let Some(source) = d.source else { continue };
                if places
                    .insert((source, d.genre), (fin, faite.len()))
                    .is_some()
                {
                    return Err(format!(
                        "deux documents « {} » pour le même candidat",
                        d.genre.nom_fichier()
                    ));
                }
                fichier
                    .write_all(&faite)
                    .map_err(|e| format!("fichier temporaire impossible à écrire ({e})"))?;
                fin += faite.len() as u64;
            }
        }
        Ok(Reserve { fichier, places })
    }

    /// The data of `d`, as `donnees` made them (those of a document of the class, such as the
    /// class overview, are the ones it carries).
    pub fn donnees(&self, d: &Document) -> Result<Vec<u8>, String> {
        let Some(source) = d.source else {
            return Ok(d.donnees.clone());
        };
        let Some(&(debut, longueur)) = self.places.get(&(source, d.genre)) else {
            return Err("document absent du fichier temporaire des données".into());
        };
        let mut octets = vec![0; longueur];
        self.fichier
            .read_exact_at(&mut octets, debut)
            .map_err(|e| format!("fichier temporaire impossible à relire ({e})"))?;
        Ok(octets)
    }
}
