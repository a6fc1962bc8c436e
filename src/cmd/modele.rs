//! `siodoc modele`: writes the class workbook template, blank or filled.

use std::path::PathBuf;
use std::process::ExitCode;

use siodoc::Erreur;
use siodoc::classeur::{cyclades, exemple, gabarit};
use siodoc::referentiel::OptionSio;

use super::referentiel::OptionArg;

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    /// Le classeur à écrire (.xlsx).
    classeur: PathBuf,

    #[command(flatten)]
    session: super::OptionsSession,

    /// Une seule option (sisr ou slam) : seules ses cases à cocher sont proposées.
    #[arg(long, value_enum, hide_possible_values = true)]
    option: Option<OptionArg>,

    /// Remplit le classeur avec une classe fictive (14 candidats, les deux options).
    #[arg(long, conflicts_with = "candidats")]
    exemple: bool,

    /// Nombre de candidats de la classe fictive (pour les mesures de performance), 1 à 20 000 :
    /// au-delà, sa feuille Réalisations dépasserait les 200 000 lignes que siodoc lit.
    #[arg(
        long,
        requires = "exemple",
        default_value_t = 14,
        hide = true,
        value_parser = taille_de_classe
    )]
    taille: usize,

    /// Remplit la feuille Candidats depuis un export Cyclades « liste simple » (CSV).
    #[arg(long, value_name = "EXPORT_CSV")]
    candidats: Option<PathBuf>,

    /// Remplace le fichier s'il existe déjà (sinon siodoc refuse, pour ne rien perdre).
    #[arg(long)]
    ecraser: bool,
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    let profil = args.session.profil_sans_classeur()?;
    let option = args.option.map(OptionSio::from);
    if args.classeur.exists() && !args.ecraser {
        return Err(Erreur::Ecriture {
            chemin: args.classeur.clone(),
            detail: "le fichier existe déjà ; choisissez un autre nom, ou ajoutez --ecraser pour le remplacer".into(),
        });
    }
    let mut contenu = if args.exemple {
        exemple::classe_de_taille(&profil, option, args.taille)
    } else {
        gabarit::Contenu::default()
    };
    if let Some(export) = &args.candidats {
        let import = cyclades::importer(export)?;
        eprintln!(
            "{} candidat(s) importé(s) depuis « {} ».",
            import.candidats.len(),
            export.display()
        );
        contenu.parametres.classe = import.classe.unwrap_or_default();
        contenu.candidats = import.candidats;
        if let Some(o) = option {
            for c in contenu.candidats.iter_mut().filter(|c| c.option.is_none()) {
                c.option = Some(o);
            }
        }
    }
    let octets = gabarit::ecrire(&profil, option, &contenu).map_err(|e| Erreur::Ecriture {
        chemin: args.classeur.clone(),
        detail: format!("classeur impossible à constituer (détail : {e})"),
    })?;
    siodoc::fichier::ecrire_atomique(&args.classeur, &octets)?;
    eprintln!(
        "Classeur de la session {} écrit dans « {} »{}.",
        profil.session,
        args.classeur.display(),
        if args.exemple {
            " (classe fictive)"
        } else {
            ""
        }
    );
    Ok(ExitCode::SUCCESS)
}

/// `--taille`: a whole number of candidates, 1 to 20 000.
fn taille_de_classe(texte: &str) -> Result<usize, String> {
    match texte.trim().parse::<usize>() {
        Ok(n) if (1..=20_000).contains(&n) => Ok(n),
        _ => Err(format!(
            "« {texte} » : attendu un nombre de candidats de 1 à 20 000 (au-delà, la feuille \
             Réalisations dépasserait les 200 000 lignes que siodoc lit)"
        )),
    }
}
