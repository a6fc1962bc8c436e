//! `siodoc modeles exporter`: writes the embedded Typst templates for a teacher to adapt.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use siodoc::Erreur;
use siodoc::rendu::moteur::MODELES;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// Écrit les modèles Typst dans un dossier, à modifier puis passer avec generer --modeles.
    Exporter {
        /// Dossier où écrire les modèles.
        dossier: PathBuf,
        /// Remplace les fichiers existants.
        #[arg(long)]
        ecraser: bool,
    },
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    let Action::Exporter { dossier, ecraser } = args.action;
    std::fs::create_dir_all(&dossier).map_err(|e| Erreur::Ecriture {
        chemin: dossier.clone(),
        detail: siodoc::erreur::io_fr(&e),
    })?;
    for (nom, texte) in MODELES {
        let chemin = dossier.join(nom);
        if chemin.exists() && !ecraser {
            return Err(Erreur::Ecriture {
                chemin,
                detail: "le fichier existe déjà ; ajoutez --ecraser pour le remplacer".into(),
            });
        }
        siodoc::fichier::ecrire_atomique(&chemin, texte.as_bytes())?;
    }
    eprintln!(
        "{} modèles écrits dans « {} ». Modifiez-les, puis : siodoc generer classe.xlsx --modeles {}",
        MODELES.len(),
        dossier.display(),
        dossier.display()
    );
    Ok(ExitCode::SUCCESS)
}
