//! `siodoc archiver` and `siodoc verifier-archive`.

use std::path::PathBuf;
use std::process::ExitCode;

use siodoc::Erreur;
use siodoc::archive;

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    /// Le dossier d'une classe produit par siodoc generer (par exemple sortie/<classe>).
    classe: PathBuf,

    /// Dossier des PDF signés et scannés, rattachés à chaque candidat par son N° ou son NOM et
    /// prénom dans le nom du fichier.
    #[arg(long, value_name = "DOSSIER")]
    scans: Option<PathBuf>,

    /// Dossier où écrire l'archive <classe>.zip.
    #[arg(
        short = 'o',
        long = "sortie",
        value_name = "DOSSIER",
        default_value = "archive"
    )]
    sortie: PathBuf,
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    let a = archive::archiver(&args.classe, args.scans.as_deref())?;
    let nom = siodoc::rendu::nommage::assainir(&a.manifeste.classe);
    let cible = args.sortie.join(format!("{nom}.zip"));
    std::fs::create_dir_all(&args.sortie).map_err(|e| Erreur::Ecriture {
        chemin: args.sortie.clone(),
        detail: siodoc::erreur::io_fr(&e),
    })?;
    siodoc::fichier::ecrire_atomique(&cible, &a.zip)?;
    for r in &a.remarques {
        eprintln!("{r}");
    }
    let scans = a
        .manifeste
        .fichiers
        .iter()
        .filter(|f| f.document == "scan")
        .count();
    eprintln!(
        "Archive « {} » : {} fichiers dont {scans} scan(s), avec {} et {}.",
        cible.display(),
        a.manifeste.fichiers.len(),
        archive::MANIFESTE,
        archive::SOMMES
    );
    let illisibles = a
        .remarques
        .iter()
        .any(|r| matches!(r, archive::Remarque::PdfIlLisible { .. }));
    Ok(if illisibles {
        ExitCode::from(super::SORTIE_ERREURS_CLASSEUR)
    } else {
        ExitCode::SUCCESS
    })
}

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct ArgsVerification {
    /// L'archive (.zip) ou le dossier où elle a été décompressée.
    archive: PathBuf,
}

pub fn verifier(args: ArgsVerification) -> Result<ExitCode, Erreur> {
    let (manifeste, ecarts) = archive::verifier(&args.archive)?;
    for e in &ecarts {
        println!("{e}");
    }
    if ecarts.is_empty() {
        println!(
            "{} : les {} fichiers correspondent au manifeste (SHA-256 et SHA-512).",
            args.archive.display(),
            manifeste.fichiers.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "{} : {} écart(s) avec le manifeste.",
            args.archive.display(),
            ecarts.len()
        );
        Ok(ExitCode::from(super::SORTIE_ERREURS_CLASSEUR))
    }
}
