//! One module per subcommand, as in xsv: each owns its arguments and its output formats.

pub mod archiver;
pub mod generer;
pub mod importer;
pub mod modele;
pub mod modeles;
pub mod referentiel;
pub mod verifier;

use std::process::ExitCode;

use chrono::Datelike;
use siodoc::Erreur;

/// Exit codes, documented in `--help` and in the README.
pub const AIDE_CODES_SORTIE: &str = "\
Codes de sortie :
  0  tout s'est bien passé
  1  le classeur contient des erreurs (verifier, generer, importer) ; PDF illisible ou non signé (archiver) ; archive modifiée ou signature invalide (verifier-archive)
  2  entrée illisible ou invalide : fichier absent, profil incorrect, session inconnue, argument invalide, certificat ou mot de passe refusé ; importer : rien n'a pu être importé
  3  écriture impossible, ou dossier passé en argument inutilisable (-o, --modeles, --exporter-sources)
  4  des documents n'ont pas pu être produits (les autres l'ont été ; voir les messages)";

pub const SORTIE_ERREURS_CLASSEUR: u8 = 1;
pub const SORTIE_ENTREE_INVALIDE: u8 = 2;
pub const SORTIE_ECRITURE: u8 = 3;
pub const SORTIE_ECHECS_DOCUMENTS: u8 = 4;

pub fn code_pour(e: &Erreur) -> ExitCode {
    ExitCode::from(match e {
        Erreur::Ecriture { .. } | Erreur::Dossier { .. } => SORTIE_ECRITURE,
        Erreur::SessionInconnue { .. }
        | Erreur::Lecture { .. }
        | Erreur::Profil { .. }
        | Erreur::Classeur { .. }
        | Erreur::Certificat { .. }
        | Erreur::Argument { .. } => SORTIE_ENTREE_INVALIDE,
    })
}

/// A progress bar on stderr, drawn only when stderr is a terminal (a log file gets none);
/// `quoi` names what is counted, such as « documents ».
pub fn barre(longueur: u64, quoi: &str) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    let barre = indicatif::ProgressBar::new(longueur);
    if std::io::stderr().is_terminal() {
        barre.set_style(
            indicatif::ProgressStyle::with_template(&format!(
                "{{bar:40}} {{pos}}/{{len}} {quoi} ({{eta}} restantes) {{msg}}"
            ))
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
    } else {
        barre.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    barre
}

/// The two report formats of `verifier` and `importer`.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Texte,
    Json,
}

/// `--format`, shared by the commands that print a report.
#[derive(clap::Args)]
pub struct OptionsFormat {
    /// Format du rapport : texte (par défaut) ou json.
    #[arg(
        long,
        value_enum,
        default_value = "texte",
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub format: Format,
}

/// `--session` and `--profil`, shared by every command that needs a session profile.
#[derive(clap::Args)]
pub struct OptionsSession {
    /// Année de la session d'examen (par défaut : celle de la feuille Paramètres du classeur,
    /// ou la session en préparation, l'année suivante à partir de septembre).
    #[arg(long, value_parser = lire_session)]
    pub session: Option<u16>,

    /// Fichier TOML qui remplace des champs du profil de session (annexes, intitulés…).
    #[arg(long, value_name = "FICHIER")]
    pub profil: Option<std::path::PathBuf>,
}

impl OptionsSession {
    /// A `--session` that siodoc does not know (without a profile to describe it) is refused
    /// before any work, with exit code 2.
    pub fn controler(&self) -> Result<(), Erreur> {
        match (self.session, &self.profil) {
            (Some(s), None) => {
                siodoc::session::ProfilSession::resoudre(Some(s), None, s).map(|_| ())
            }
            _ => Ok(()),
        }
    }

    /// The profile of a command that reads no workbook: `--session`, else the session being
    /// prepared, with `--profil` over it.
    pub fn profil_sans_classeur(&self) -> Result<siodoc::session::ProfilSession, Erreur> {
        siodoc::session::ProfilSession::resoudre(
            self.session,
            self.profil.as_deref(),
            session_par_defaut(),
        )
    }
}

/// The session being prepared today: from September on, next year's.
pub fn session_par_defaut() -> u16 {
    let aujourdhui = chrono::Local::now().date_naive();
    let annee = aujourdhui.year() as u16;
    if aujourdhui.month() >= 9 {
        annee + 1
    } else {
        annee
    }
}

/// Parses `--session` so that « 3000 » or « 20x6 » reach the library's French message.
pub fn lire_session(texte: &str) -> Result<u16, String> {
    texte.trim().parse::<u16>().map_err(|_| {
        format!(
            "« {texte} » n'est pas une année de session ; sessions connues : {}",
            siodoc::session::sessions_connues_texte()
        )
    })
}
