//! The `siodoc` command line: parses arguments, calls the library, prints, sets the exit code.

mod allocateur;
mod cmd;
mod garde;

// Typst allocates many small objects from two threads at once: with the system allocator the
// memory of a 1 000-candidate run grew by about 30 KB per document; with mimalloc it stays
// flat and the run is about 10 % faster (benches/bench.sh).
#[global_allocator]
static ALLOCATEUR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches, Parser, Subcommand};

/// Dossiers d'examen du BTS SIO pour toute une classe, à partir d'un seul classeur.
#[derive(Parser)]
#[command(
    name = "siodoc",
    version,
    about,
    after_help = cmd::AIDE_CODES_SORTIE,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    commande: Commande,
}

#[derive(Subcommand)]
enum Commande {
    /// Produit les documents de chaque candidat (PDF et XLSX), après vérification.
    Generer(cmd::generer::Args),
    /// Vérifie le classeur de classe (ou le tableau de synthèse d'un candidat) : chaque problème avec sa cellule.
    Verifier(cmd::verifier::Args),
    /// Fait le classeur de classe à partir des tableaux de synthèse remplis par les candidats.
    Importer(cmd::importer::Args),
    /// Écrit le modèle de classeur de classe (vide, exemple ou import Cyclades).
    Modele(cmd::modele::Args),
    /// Archive une classe produite : documents, scans signés, manifeste, sommes SHA-256.
    Archiver(cmd::archiver::Args),
    /// Vérifie une archive : chaque fichier contre le manifeste.
    VerifierArchive(cmd::archiver::ArgsVerification),
    /// Affiche le référentiel et le profil de session qui s'appliquent.
    Referentiel(cmd::referentiel::Args),
    /// Les modèles Typst des documents (exporter pour les adapter).
    Modeles(cmd::modeles::Args),
}

fn main() -> ExitCode {
    allocateur::regler();
    // A copy of siodoc started to read a workbook, or open PDFs, in isolation
    // (siodoc::entree::isolement).
    use siodoc::entree::isolement::{self, Demande};
    match isolement::demande() {
        Some(Demande::Classeur(chemin, apparences)) => {
            let reponse = siodoc::entree::nature(&chemin)
                .map_err(|e| e.to_string())
                .and_then(|n| {
                    siodoc::classeur::lecture::lire_tableur_direct(&chemin, n, apparences)
                });
            return isolement::repondre(&reponse);
        }
        Some(Demande::LotPdf(mode)) => {
            return isolement::repondre_lot(|chemin| siodoc::archive::controler_pdf(chemin, &mode));
        }
        None => {}
    }
    if let Ok(executable) = std::env::current_exe() {
        siodoc::entree::isolement::activer(executable);
    }
    // Typst lays out deep content (a class overview of 1 000 candidates is one long table)
    // recursively: give the worker threads room.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(64 << 20)
        .build_global();
    let cli = match franciser(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return erreur_arguments(e),
    };
    let resultat = match cli.commande {
        Commande::Generer(args) => cmd::generer::executer(args),
        Commande::Verifier(args) => cmd::verifier::executer(args),
        Commande::Importer(args) => cmd::importer::executer(args),
        Commande::Modeles(args) => cmd::modeles::executer(args),
        Commande::Archiver(args) => cmd::archiver::executer(args),
        Commande::VerifierArchive(args) => cmd::archiver::verifier(args),
        Commande::Modele(args) => cmd::modele::executer(args),
        Commande::Referentiel(args) => cmd::referentiel::executer(args),
    };
    match resultat {
        Ok(code) => code,
        Err(e) => {
            eprintln!("siodoc : erreur : {e}");
            cmd::code_pour(&e)
        }
    }
}

/// Puts clap's own words (headings, help and version flags) in French, on every subcommand.
fn franciser(commande: Command) -> Command {
    let avec_version = commande.get_version().is_some();
    let mut c = commande
        .help_template("{about-with-newline}\nUtilisation : {usage}\n\n{all-args}{after-help}\n")
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .disable_help_flag(true)
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche cette aide"),
        );
    if avec_version {
        c = c.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Affiche la version"),
        );
    }
    c.mut_subcommands(franciser)
}

/// Argument errors in French, exit code 2; help and version go to stdout with code 0.
fn erreur_arguments(e: clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let contexte = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    let argument = contexte(ContextKind::InvalidArg);
    let valeur = contexte(ContextKind::InvalidValue);
    let message = match e.kind() {
        ErrorKind::InvalidValue => format!(
            "valeur « {valeur} » invalide pour {argument} ; valeurs possibles : {}",
            contexte(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => {
            let cause = std::error::Error::source(&e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            format!("{argument} : {cause}")
        }
        ErrorKind::UnknownArgument => format!("argument inconnu « {argument} »"),
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} » ; commandes : {}",
            contexte(ContextKind::InvalidSubcommand),
            Cli::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ErrorKind::MissingRequiredArgument => format!("argument obligatoire manquant : {argument}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "indiquez une commande ; la liste : siodoc --help".to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "{argument} ne peut pas être combiné avec {}",
            contexte(ContextKind::PriorArg)
        ),
        ErrorKind::NoEquals
        | ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues => {
            format!("nombre de valeurs incorrect pour {argument}")
        }
        _ => e
            .render()
            .to_string()
            .replacen("error:", "", 1)
            .trim()
            .to_string(),
    };
    eprintln!("siodoc : erreur : {message}\nPour l'aide : siodoc --help");
    ExitCode::from(cmd::SORTIE_ENTREE_INVALIDE)
}
