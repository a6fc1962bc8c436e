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
    charger_source(lecture::ouvrir(chemin)?, session, profil)
}

/// The same, for a workbook already opened.
fn charger_source(
    source: lecture::Source,
    session: Option<u16>,
    profil: Option<&Path>,
) -> Result<Chargement, Erreur> {
    let chemin = source.chemin.clone();
    let chemin = chemin.as_path();
    if !source.est_un_classeur_de_classe() {
        let message = if crate::officiel::est_un_tableau(&source.feuilles) {
            format!(
                "c'est le tableau de synthèse officiel d'un candidat, pas un classeur de classe ; pour faire le \
                 classeur de la classe à partir des tableaux des candidats : siodoc importer <dossier des tableaux> \
                 -o classe.xlsx ; pour vérifier ce seul tableau : siodoc verifier « {} »",
                chemin.display()
            )
        } else {
            source.pas_un_classeur_de_classe()
        };
        return Err(Erreur::Classeur {
            chemin: chemin.to_path_buf(),
            message,
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
                    parametres.session.cellule.to_string(),
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
                parametres.session.cellule.to_string()
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

/// Like [`charger`], and a candidate's own official tableau is checked too: read by its
/// landmarks as a one-candidate class, with every rule that concerns one candidate; each
/// diagnostic names the cell of the candidate's file.
pub fn charger_classeur_ou_tableau(
    chemin: &Path,
    session: Option<u16>,
    profil: Option<&Path>,
) -> Result<Chargement, Erreur> {
    let source = lecture::ouvrir(chemin)?;
    if source.est_un_classeur_de_classe() || !crate::officiel::est_un_tableau(&source.feuilles) {
        return charger_source(source, session, profil);
    }
    // A candidate's tableau is read again with the look of its cells (the fills and shapes that
    // tick boxes), which a class workbook never needs.
    let tableau =
        crate::officiel::import::lire_fichier(chemin).map_err(|message| Erreur::Classeur {
            chemin: chemin.to_path_buf(),
            message,
        })?;
    let mut diagnostics = tableau.constats.clone();
    let annee = match (session, &tableau.session) {
        (Some(s), Some((a, ch))) => {
            if s != *a {
                diagnostics.push(Diagnostic::avertissement(
                    "session-differente",
                    ch.cellule.to_string(),
                    format!("le tableau indique la session {a}, mais --session {s} est demandé : la session {s} est utilisée"),
                ));
            }
            s
        }
        (Some(s), None) => s,
        (None, Some((a, _))) => *a,
        (None, None) => {
            diagnostics.push(Diagnostic::erreur(
                "session-invalide",
                tableau.feuille.clone(),
                "la session n'est pas lisible dans ce tableau (cellule « SESSION 20xx ») ; écrivez-la, ou passez --session",
            ));
            return Ok(Chargement {
                classeur: None,
                profil: None,
                diagnostics,
            });
        }
    };
    let profil = ProfilSession::resoudre(Some(annee), profil, annee)?;
    if profil.referentiel != tableau.modele.referentiel() {
        diagnostics.push(Diagnostic::erreur(
            "session-invalide",
            tableau.session.as_ref().map_or(tableau.feuille.clone(), |(_, c)| c.cellule.to_string()),
            format!(
                "la session {annee} relève du référentiel {}, mais ce fichier est un {} ; vérifiez la session",
                profil.referentiel.code(),
                tableau.modele.libelle()
            ),
        ));
        return Ok(Chargement {
            classeur: None,
            profil: None,
            diagnostics,
        });
    }
    // A tableau without N° is still checked as a whole: its réalisations are linked to it
    // under a stand-in number, and the missing N° is said once.
    let mut tableau = tableau;
    if tableau.candidat.numero.est_vide() {
        diagnostics.push(Diagnostic::erreur(
            "candidat-numero-absent",
            tableau.candidat.numero.cellule.to_string(),
            "le N° candidat est vide ; recopiez-le depuis la convocation, après « N° candidat : »",
        ));
        let provisoire = "sans N°".to_string();
        tableau.candidat.numero.texte = provisoire.as_str().into();
        for r in &mut tableau.realisations {
            r.candidat.texte = provisoire.as_str().into();
        }
    }
    let classeur = crate::officiel::import::classe(&[&tableau], &profil);
    diagnostics.extend(
        verification::verifier(&classeur, &profil)
            .into_iter()
            .filter(crate::officiel::import::regle_pour_un_tableau),
    );
    Ok(Chargement {
        classeur: Some(classeur),
        profil: Some(profil),
        diagnostics,
    })
}
