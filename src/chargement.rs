//! The first two stages chained, as every command needs them: open the workbook, settle the
//! session, read the sheets, run the rules.

use std::path::Path;

use crate::classeur::{Classeur, lecture};
use crate::diagnostic::{Diagnostic, Gravite};
use crate::erreur::Erreur;
use crate::session::ProfilSession;
use crate::verification;

/// A workbook read and checked. `classeur` and `profil` are absent when the session could not
/// be settled (the diagnostics then say why).
#[derive(Debug)]
pub struct Chargement {
    pub classeur: Option<Classeur>,
    pub profil: Option<ProfilSession>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Chargement {
    pub fn erreurs(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.gravite == Gravite::Erreur)
            .count()
    }

    pub fn avertissements(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.gravite == Gravite::Avertissement)
            .count()
    }
}

/// Reads and checks `chemin`. `session` (from the command line) wins over the workbook's;
/// `profil` is a teacher's profile file. An unreadable file is an `Err`; everything about the
/// content is a diagnostic.
pub fn charger(
    chemin: &Path,
    session: Option<u16>,
    profil: Option<&Path>,
) -> Result<Chargement, Erreur> {
    let source = lecture::ouvrir(chemin)?;
    if !source.est_un_classeur_de_classe() {
        return Err(Erreur::Classeur {
            chemin: chemin.to_path_buf(),
            message: source.pas_un_classeur_de_classe(),
        });
    }
    let parametres = source.parametres();
    let mut diagnostics = Vec::new();
    let du_classeur = verification::session_du_classeur(&parametres);
    let annee = match (session, du_classeur) {
        (Some(s), Ok(c)) => {
            if s != c {
                diagnostics.push(Diagnostic::avertissement(
                    "session-differente",
                    parametres.session.cellule.clone(),
                    format!("le classeur indique la session {c}, mais --session {s} est demandé : la session {s} est utilisée"),
                ));
            }
            s
        }
        (Some(s), Err(_)) => s,
        (None, Ok(c)) => c,
        (None, Err(d)) if profil.is_none() => {
            diagnostics.push(d);
            return Ok(Chargement {
                classeur: None,
                profil: None,
                diagnostics,
            });
        }
        // A profile file may name the session itself.
        (None, Err(_)) => 0,
    };
    let demandee = session;
    let session = (annee != 0).then_some(annee);
    let profil = match ProfilSession::resoudre(session, profil, annee) {
        Ok(p) => p,
        // A session asked for on the command line is an argument error, before any reading.
        Err(e @ Erreur::SessionInconnue { .. }) if demandee.is_some() => return Err(e),
        Err(Erreur::SessionInconnue { session, connues }) => {
            let position = if parametres.session.cellule.is_empty() {
                crate::classeur::schema::PARAMETRES.to_string()
            } else {
                parametres.session.cellule.clone()
            };
            diagnostics.push(Diagnostic::erreur(
                "session-invalide",
                position,
                format!(
                    "session {session} inconnue ; siodoc connaît les sessions {connues} \
                     (pour une autre session : un fichier de profil complet, --profil)"
                ),
            ));
            return Ok(Chargement {
                classeur: None,
                profil: None,
                diagnostics,
            });
        }
        Err(e) => return Err(e),
    };
    let (classeur, lecture) = source.lire(profil.referentiel.charger());
    diagnostics.extend(lecture);
    diagnostics.extend(verification::verifier(&classeur, &profil));
    Ok(Chargement {
        classeur: Some(classeur),
        profil: Some(profil),
        diagnostics,
    })
}
