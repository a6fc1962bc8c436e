//! `siodoc verifier`: every diagnostic of a class workbook, as text or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use siodoc::Erreur;
use siodoc::chargement::{Chargement, charger_classeur_ou_tableau};
use siodoc::diagnostic::Diagnostic;

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    /// Le classeur de classe (XLSX, XLSM, XLS, ODS) ou le dossier de ses fichiers CSV ; ou le
    /// tableau de synthèse officiel rempli par un candidat.
    classeur: PathBuf,

    #[command(flatten)]
    format: super::OptionsFormat,

    #[command(flatten)]
    session: super::OptionsSession,
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    args.session.controler()?;
    let chargement = charger_classeur_ou_tableau(
        &args.classeur,
        args.session.session,
        args.session.profil.as_deref(),
    )?;
    let fichier = args.classeur.display().to_string();
    match args.format.format {
        super::Format::Texte => print!("{}", texte(&fichier, &chargement)),
        super::Format::Json => println!("{}", json(&fichier, &chargement)),
    }
    Ok(if chargement.erreurs() > 0 {
        ExitCode::from(super::SORTIE_ERREURS_CLASSEUR)
    } else {
        ExitCode::SUCCESS
    })
}

/// One line per diagnostic, then a summary.
pub fn texte(fichier: &str, c: &Chargement) -> String {
    let mut s = String::new();
    for d in &c.diagnostics {
        s.push_str(&ligne(d));
        s.push('\n');
    }
    s.push_str(&resume(fichier, c));
    s.push('\n');
    s
}

pub fn ligne(d: &Diagnostic) -> String {
    let position = if d.position.is_empty() {
        "classeur"
    } else {
        d.position.as_str()
    };
    format!(
        "{position} : {} [{}] : {}",
        d.gravite.libelle(),
        d.regle,
        d.message
    )
}

fn pluriel(n: usize, mot: &str) -> String {
    format!("{n} {mot}{}", if n > 1 { "s" } else { "" })
}

pub fn resume(fichier: &str, c: &Chargement) -> String {
    let contenu = match (&c.classeur, &c.profil) {
        (Some(k), Some(p)) => format!(
            " (session {}, {}, {})",
            p.session,
            pluriel(k.candidats.len(), "candidat"),
            pluriel(k.realisations.len(), "réalisation")
        ),
        _ => String::new(),
    };
    match (c.erreurs(), c.avertissements()) {
        (0, 0) => format!("{fichier} : aucun problème{contenu}."),
        (e, a) => format!(
            "{fichier} : {}, {}{contenu}.",
            pluriel(e, "erreur"),
            pluriel(a, "avertissement")
        ),
    }
}

#[derive(Serialize)]
struct RapportJson<'a> {
    fichier: &'a str,
    session: Option<u16>,
    referentiel: Option<&'static str>,
    candidats: usize,
    realisations: usize,
    erreurs: usize,
    avertissements: usize,
    diagnostics: Vec<DiagnosticJson<'a>>,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    gravite: &'static str,
    regle: &'static str,
    position: &'a str,
    feuille: &'a str,
    cellule: &'a str,
    message: &'a str,
    candidat: Option<&'a str>,
}

fn json(fichier: &str, c: &Chargement) -> String {
    let rapport = RapportJson {
        fichier,
        session: c.profil.as_ref().map(|p| p.session),
        referentiel: c.profil.as_ref().map(|p| p.referentiel.code()),
        candidats: c.classeur.as_ref().map_or(0, |k| k.candidats.len()),
        realisations: c.classeur.as_ref().map_or(0, |k| k.realisations.len()),
        erreurs: c.erreurs(),
        avertissements: c.avertissements(),
        diagnostics: c
            .diagnostics
            .iter()
            .map(|d| DiagnosticJson {
                gravite: d.gravite.libelle(),
                regle: d.regle,
                position: &d.position,
                feuille: d.feuille(),
                cellule: d.cellule(),
                message: &d.message,
                candidat: d.candidat.as_deref(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&rapport).unwrap_or_default()
}
