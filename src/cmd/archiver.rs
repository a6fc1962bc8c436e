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

    /// Dossier où écrire l'archive <classe>.zip (par défaut : archive).
    #[arg(
        short = 'o',
        long = "sortie",
        value_name = "DOSSIER",
        default_value = "archive",
        hide_default_value = true
    )]
    sortie: PathBuf,

    /// Certificat de scellement (PKCS#12 : .p12 ou .pfx) : signe chaque PDF produit par siodoc
    /// (PAdES B-B) et le manifeste (manifeste.json.p7s). Le mot de passe est lu dans la variable
    /// d'environnement SIODOC_P12_PASSWORD, sinon demandé au clavier ; jamais sur la ligne de
    /// commande.
    #[arg(long, value_name = "FICHIER")]
    certificat: Option<PathBuf>,
}

/// Variable holding the PKCS#12 password, for unattended runs.
const VARIABLE_MOT_DE_PASSE: &str = "SIODOC_P12_PASSWORD";

fn mot_de_passe(certificat: &std::path::Path) -> Result<String, Erreur> {
    if let Ok(m) = std::env::var(VARIABLE_MOT_DE_PASSE) {
        return Ok(m);
    }
    rpassword::prompt_password(format!(
        "Mot de passe du certificat « {} » : ",
        certificat.display()
    ))
    .map_err(|e| Erreur::Argument {
        message: format!(
            "impossible de demander le mot de passe du certificat au clavier (pas de \
             terminal ? détail : {}) ; passez-le dans la variable d'environnement \
             {VARIABLE_MOT_DE_PASSE}",
            siodoc::erreur::io_fr(&e)
        ),
    })
}

/// The signing time: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
fn moment_de_signature() -> chrono::DateTime<chrono::Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .unwrap_or_else(chrono::Utc::now)
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    let certificat = match &args.certificat {
        Some(chemin) => {
            // The file is read and checked before the password is asked for.
            let octets = archive::certificat::Certificat::lire(chemin)?;
            let c = archive::certificat::Certificat::depuis_octets(
                chemin,
                &octets,
                &mot_de_passe(chemin)?,
            )?;
            // Against the real clock: SOURCE_DATE_EPOCH only fixes the time written.
            c.verifier_validite(chemin, chrono::Utc::now())?;
            Some(c)
        }
        None => None,
    };
    let sceau = certificat.as_ref().map(|certificat| archive::Sceau {
        certificat,
        moment: moment_de_signature(),
    });
    siodoc::fichier::preparer_dossier(&args.sortie, "-o")?;
    // A bar on a terminal only: archiving a large sealed class takes seconds.
    let barre = super::barre(0, "fichiers archivés");
    let avancement = |fait: usize, total: usize| {
        barre.set_length(total as u64);
        barre.set_position(fait as u64);
    };
    let a = archive::archiver(
        &args.classe,
        args.scans.as_deref(),
        sceau.as_ref(),
        &args.sortie,
        &avancement,
    );
    barre.finish_and_clear();
    let a = a?;
    let cible = &a.chemin;
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
    if let Some(titulaire) = &a.manifeste.sceau {
        let signes = a
            .manifeste
            .fichiers
            .iter()
            .filter(|f| f.signature.is_some())
            .count();
        eprintln!(
            "Scellé par « {titulaire} » : {signes} PDF signés ({}) et {}.",
            archive::PADES,
            archive::SIGNATURE_MANIFESTE
        );
    }
    // A broken PDF or a PDF left unsigned is archived anyway, but the run is not clean.
    Ok(
        if a.remarques
            .iter()
            .any(|r| !matches!(r, archive::Remarque::ScanNonAttribue { .. }))
        {
            ExitCode::from(super::SORTIE_ERREURS_CLASSEUR)
        } else {
            ExitCode::SUCCESS
        },
    )
}

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct ArgsVerification {
    /// L'archive (.zip) ou le dossier où elle a été décompressée.
    archive: PathBuf,
}

pub fn verifier(args: ArgsVerification) -> Result<ExitCode, Erreur> {
    let controle = archive::verifier(&args.archive)?;
    let (manifeste, ecarts) = (&controle.manifeste, &controle.ecarts);
    for e in ecarts {
        println!("{e}");
    }
    if ecarts.is_empty() {
        println!(
            "{} : les {} fichiers correspondent au manifeste (SHA-256 et SHA-512).",
            args.archive.display(),
            manifeste.fichiers.len()
        );
        if let Some(s) = &controle.sceau {
            println!(
                "Signatures valides : {} PDF ({}) et le manifeste, tous par « {} » \
                 (certificat valable du {} au {}). La confiance dans ce certificat reste à \
                 établir (autorité, révocation).",
                controle.signatures_valides,
                archive::PADES,
                s.titulaire,
                s.valable_du,
                s.valable_au
            );
        }
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
