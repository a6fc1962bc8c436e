//! Every rule about the content of a class workbook, checked against the session's référentiel.
//!
//! One function per group of rules; each diagnostic carries a stable rule id (listed in the
//! README) and names the cell. Reading problems (missing sheets and headers) come from
//! [`crate::classeur::lecture`]; this module only sees a [`Classeur`].

mod candidats;
mod couverture;
mod impression;

pub use impression::longueurs;
mod realisations;

use chrono::NaiveDate;

use crate::classeur::feuille::Cellule;
use crate::classeur::{Champ, Classeur, Parametres};
use crate::diagnostic::Diagnostic;
use crate::referentiel::Referentiel;
use crate::session::ProfilSession;

/// Runs every rule. The order of the result follows the workbook: parameters, candidates,
/// réalisations, fiches, then each candidate's coverage.
pub fn verifier(classeur: &Classeur, profil: &ProfilSession) -> Vec<Diagnostic> {
    let referentiel = profil.referentiel.charger();
    let mut d = Vec::new();
    parametres(&classeur.parametres, referentiel, &mut d);
    candidats::verifier(classeur, referentiel, &mut d);
    realisations::verifier(classeur, referentiel, profil.session, &mut d);
    couverture::verifier(classeur, referentiel, &mut d);
    impression::verifier(classeur, &mut d);
    d
}

/// The session year written in `Paramètres`, or the diagnostic that explains why it cannot be
/// used. Accepts « 2026 », 2026 as a number, « Session 2026 ».
pub fn session_du_classeur(parametres: &Parametres) -> Result<u16, Diagnostic> {
    let champ = &parametres.session;
    let position = if champ.cellule.is_empty() {
        crate::classeur::schema::PARAMETRES.to_string()
    } else {
        champ.cellule.to_string()
    };
    // « 2026 », 2026 as a whole number, « Session 2026 »: nothing else (« 2026.5 » is no year).
    let texte = champ.texte.trim();
    let annee = texte
        .get(..7)
        .filter(|debut| debut.eq_ignore_ascii_case("session"))
        .map_or(texte, |_| texte[7..].trim());
    let chiffres: Vec<u16> = (annee.len() == 4 && annee.bytes().all(|b| b.is_ascii_digit()))
        .then(|| annee.parse().ok())
        .flatten()
        .into_iter()
        .collect();
    match chiffres.as_slice() {
        [annee] => Ok(*annee),
        _ if champ.est_vide() => Err(Diagnostic::erreur(
            "session-invalide",
            position,
            "la session d'examen n'est pas renseignée ; écrivez l'année (par exemple 2026) à côté du libellé « Session », \
             ou passez --session",
        )),
        _ => Err(Diagnostic::erreur(
            "session-invalide",
            position,
            format!(
                "« {} » n'est pas une année de session ; écrivez l'année seule, en nombre entier, par exemple 2026",
                champ.texte
            ),
        )),
    }
}

fn parametres(p: &Parametres, referentiel: Referentiel, d: &mut Vec<Diagnostic>) {
    erreurs_formule(
        [
            &p.session,
            &p.centre,
            &p.academie,
            &p.classe,
            &p.formateur,
            &p.date,
        ],
        "",
        d,
    );
    let position = |c: &Champ| {
        if c.cellule.is_empty() {
            crate::classeur::schema::PARAMETRES.to_string()
        } else {
            c.cellule.to_string()
        }
    };
    let mut vides = vec![
        (&p.centre, "le centre de formation"),
        (&p.classe, "la classe"),
    ];
    if matches!(referentiel, Referentiel::Sio2011(_)) {
        vides.push((
            &p.formateur,
            "le formateur ou la formatrice (ligne « Je soussigné-e … » du tableau de synthèse)",
        ));
    }
    for (champ, quoi) in vides {
        if champ.est_vide() {
            d.push(Diagnostic::avertissement(
                "parametre-vide",
                position(champ),
                format!("{quoi} n'est pas renseigné(e) dans la feuille Paramètres ; il sera laissé en blanc sur les documents"),
            ));
        }
    }
    if !p.date.est_vide() && crate::classeur::dates::lire_date(&p.date.brut()).is_err() {
        d.push(Diagnostic::erreur(
            "date-illisible",
            position(&p.date),
            format!("date « {} » illisible ; attendu JJ/MM/AAAA", p.date.texte),
        ));
    }
}

/// Formula errors (#REF!, #N/A…) anywhere in a row.
fn erreurs_formule<'a>(
    champs: impl IntoIterator<Item = &'a Champ>,
    candidat: &str,
    d: &mut Vec<Diagnostic>,
) {
    for c in champs {
        if let Cellule::ErreurFormule(e) = &c.brut() {
            d.push(
                Diagnostic::erreur(
                    "cellule-erreur-formule",
                    c.cellule.to_string(),
                    format!(
                        "la cellule contient l'erreur de formule {e} ; remplacez la formule par la valeur voulue \
                         (une référence vers une cellule supprimée, le plus souvent)"
                    ),
                )
                .pour(candidat),
            );
        }
    }
}

/// First and last day accepted for a réalisation: the two school years before the session.
pub fn fenetre_session(session: u16) -> (NaiveDate, NaiveDate) {
    let s = i32::from(session);
    (
        NaiveDate::from_ymd_opt(s - 2, 9, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(s, 7, 31).unwrap_or_default(),
    )
}
