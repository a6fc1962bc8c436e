//! Import of the candidates from a Cyclades « liste simple » export: `;`-separated, a few
//! preamble lines before the header, ISO-8859-1 or UTF-8.

use std::path::Path;

use super::gabarit::LigneCandidat;
use super::lecture::{decoder_texte, lire_csv};
use super::schema::normaliser;
use crate::erreur::Erreur;
use crate::referentiel::OptionSio;

/// The candidates of the export, and the class (« Division de classe ») when all share one.
#[derive(Debug, Default)]
pub struct Import {
    pub candidats: Vec<LigneCandidat>,
    pub classe: Option<String>,
}

pub fn importer(chemin: &Path) -> Result<Import, Erreur> {
    let erreur = |message: String| Erreur::Classeur {
        chemin: chemin.to_path_buf(),
        message,
    };
    let octets = crate::entree::lire(chemin, crate::entree::limites::TAILLE_FICHIER)?;
    // Re-encode as UTF-8 first so that the CSV reader sees the accented headers right.
    let texte = decoder_texte(&octets);
    let lignes = lire_csv(texte.as_bytes(), chemin)?;
    let textes: Vec<Vec<String>> = lignes
        .iter()
        .map(|l| l.iter().map(|c| c.texte()).collect())
        .collect();
    let Some(i_entete) = textes.iter().position(|l| {
        l.iter()
            .any(|c| normaliser(c) == "ncandidat" || normaliser(c) == "numerocandidat")
    }) else {
        return Err(erreur(
            "aucune ligne d'en-tête avec « N° Candidat » ; attendu l'export « liste simple » de Cyclades".into(),
        ));
    };
    let entete = &textes[i_entete];
    let col = |noms: &[&str]| {
        entete
            .iter()
            .position(|c| noms.contains(&normaliser(c).as_str()))
    };
    let numero = col(&["ncandidat", "numerocandidat"]);
    let nom_famille = col(&["nomdefamille", "nom"]);
    let nom_usage = col(&["nomdusage"]);
    let prenoms = col(&["prenoms", "prenom"]);
    let division = col(&["divisiondeclasse", "division", "classe"]);
    let (Some(numero), Some(prenoms)) = (numero, prenoms) else {
        return Err(erreur(format!(
            "ligne {} : colonnes « N° Candidat » et « Prénom(s) » attendues dans l'en-tête",
            i_entete + 1
        )));
    };
    if nom_famille.is_none() && nom_usage.is_none() {
        return Err(erreur(format!(
            "ligne {} : colonne « Nom de famille » attendue dans l'en-tête",
            i_entete + 1
        )));
    }
    let cellule = |l: &[String], c: Option<usize>| {
        c.and_then(|c| l.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    let mut import = Import::default();
    let mut divisions = Vec::new();
    for l in &textes[i_entete + 1..] {
        let n = cellule(l, Some(numero));
        if n.is_empty() {
            continue;
        }
        // The name in use on documents is the « nom d'usage » when there is one.
        let usage = cellule(l, nom_usage);
        let nom = if usage.is_empty() {
            cellule(l, nom_famille)
        } else {
            usage
        };
        let prenom = cellule(l, Some(prenoms))
            .split([',', ' '])
            .find(|p| !p.is_empty())
            .unwrap_or_default()
            .to_string();
        // The option is written in one of the columns (« SISR », « option B SLAM »…).
        let option = l.iter().find_map(|c| {
            let n = normaliser(c);
            (n.contains("sisr") ^ n.contains("slam"))
                .then(|| OptionSio::lire(c))
                .flatten()
        });
        divisions.push(cellule(l, division));
        import.candidats.push(LigneCandidat {
            numero: n,
            nom: nom.to_uppercase(),
            prenom,
            option,
            portfolio: String::new(),
            epreuve: String::new(),
        });
    }
    divisions.sort();
    divisions.dedup();
    if let [d] = divisions.as_slice()
        && !d.is_empty()
    {
        import.classe = Some(d.clone());
    }
    Ok(import)
}
