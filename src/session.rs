//! Session profiles: which référentiel applies to an exam session, and for each form its
//! épreuve, title, annex label and official sheet name.
//!
//! The built-in profiles come from `referentiel/sessions.toml`. Circulaires renumber annexes every
//! year, so a teacher may override any field with a small TOML file (`--profil`), or describe a
//! session this version does not know with a complete one.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::erreur::Erreur;
use crate::referentiel::{OptionSio, ParOption, ReferentielId};

/// Everything that depends on the session year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfilSession {
    pub session: u16,
    pub referentiel: ReferentielId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Tableau de synthèse (2011: E6 parcours de professionnalisation; 2019: bloc 1).
    pub tableau_synthese: Formulaire,
    /// Fiche descriptive (2011: E4 situation professionnelle; 2019: bloc 2 réalisation).
    pub fiche_descriptive: Formulaire,
    /// Grille d'aide à l'évaluation of the tableau's épreuve.
    pub grille: Formulaire,
    /// Attestation de stage.
    pub attestation: Formulaire,
}

/// One official form as a given session prints it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Formulaire {
    /// Épreuve number, e.g. « E5 ».
    pub epreuve: String,
    /// Title of the épreuve, per option (bloc 2 titles differ).
    pub intitule: ParOption<String>,
    /// Title of the form itself.
    pub titre: String,
    /// Annex label of the session's circulaire, e.g. « ANNEXE 8-1 ».
    pub annexe: ParOption<String>,
    /// Sheet name of the official spreadsheet, for the forms shipped as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feuille: Option<ParOption<String>>,
    /// The header prints the annex line before the épreuve line (fiches from session 2025).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub annexe_avant_epreuve: bool,
}

/// A range of sessions sharing one profile, as written in `sessions.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Periode {
    premiere: u16,
    derniere: u16,
    referentiel: ReferentielId,
    note: Option<String>,
    tableau_synthese: Formulaire,
    fiche_descriptive: Formulaire,
    grille: Formulaire,
    attestation: Formulaire,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FichierSessions {
    periodes: Vec<Periode>,
}

static PERIODES: LazyLock<Vec<Periode>> = LazyLock::new(|| {
    toml::from_str::<FichierSessions>(include_str!("referentiel/sessions.toml"))
        .unwrap_or_else(|e| panic!("sessions.toml embarqué invalide : {e}"))
        .periodes
});

/// Every session year with a built-in profile, in order.
pub fn sessions_connues() -> Vec<u16> {
    PERIODES
        .iter()
        .flat_map(|p| p.premiere..=p.derniere)
        .collect()
}

/// The sessions as ranges, for messages: « 2013 à 2020, 2022 à 2030 ».
pub fn sessions_connues_texte() -> String {
    PERIODES
        .iter()
        .map(|p| (p.premiere, p.derniere))
        // Merge adjacent ranges so the user sees the real gaps only.
        .fold(Vec::<(u16, u16)>::new(), |mut acc, (a, b)| {
            match acc.last_mut() {
                Some(last) if last.1 + 1 == a => last.1 = b,
                _ => acc.push((a, b)),
            }
            acc
        })
        .iter()
        .map(|(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} à {b}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl ProfilSession {
    /// The built-in profile of a session year.
    pub fn integre(session: u16) -> Result<ProfilSession, Erreur> {
        let p = PERIODES
            .iter()
            .find(|p| (p.premiere..=p.derniere).contains(&session))
            .ok_or_else(|| Erreur::SessionInconnue {
                session: session.to_string(),
                connues: sessions_connues_texte(),
            })?;
        Ok(ProfilSession {
            session,
            referentiel: p.referentiel,
            note: p.note.clone(),
            tableau_synthese: p.tableau_synthese.clone(),
            fiche_descriptive: p.fiche_descriptive.clone(),
            grille: p.grille.clone(),
            attestation: p.attestation.clone(),
        })
    }

    /// Resolves the profile for a run: the built-in profile of `session`, with the teacher's
    /// file applied on top. Without `session`, the file's `session` key decides, then
    /// `session_par_defaut`. A session this version does not know needs a complete file.
    pub fn resoudre(
        session: Option<u16>,
        fichier: Option<&Path>,
        session_par_defaut: u16,
    ) -> Result<ProfilSession, Erreur> {
        let Some(chemin) = fichier else {
            return ProfilSession::integre(session.unwrap_or(session_par_defaut));
        };
        // A profile is a few kilobytes: a regular file of 1 MB at most, in UTF-8.
        let octets = crate::entree::lire(chemin, 1 << 20)?;
        let texte = String::from_utf8(octets).map_err(|_| Erreur::Profil {
            chemin: chemin.to_path_buf(),
            position: None,
            message: "ce n'est pas un texte UTF-8 ; enregistrez le profil en UTF-8".into(),
        })?;
        let patch: ProfilPatch =
            toml::from_str(&texte).map_err(|e| erreur_toml(chemin, &texte, &e))?;
        if let (Some(demandee), Some(dans_fichier)) = (session, patch.session)
            && demandee != dans_fichier
        {
            return Err(Erreur::Profil {
                chemin: chemin.to_path_buf(),
                position: position_cle(&texte, "session"),
                message: format!(
                    "le fichier décrit la session {dans_fichier} alors que la session {demandee} est demandée ; \
                     corrigez la clé « session » ou l'option --session"
                ),
            });
        }
        let annee = session.or(patch.session).unwrap_or(session_par_defaut);
        match ProfilSession::integre(annee) {
            Ok(mut profil) => {
                if let Some(r) = patch.referentiel
                    && r != profil.referentiel
                {
                    return Err(Erreur::Profil {
                        chemin: chemin.to_path_buf(),
                        position: position_cle(&texte, "referentiel"),
                        message: format!(
                            "la session {annee} relève du référentiel « {} », pas de « {r} » ; retirez la clé « referentiel »",
                            profil.referentiel
                        ),
                    });
                }
                patch.appliquer(&mut profil);
                controler_textes(&profil, chemin, &texte)?;
                Ok(profil)
            }
            // Unknown year: the file must describe the whole session.
            Err(_) => {
                let mut profil: ProfilSession = toml::from_str(&texte).map_err(|e| {
                    let mut erreur = erreur_toml(chemin, &texte, &e);
                    if let Erreur::Profil { message, .. } = &mut erreur {
                        *message = format!(
                            "la session {annee} n'est pas connue de siodoc, le fichier doit donc la décrire \
                             entièrement (partez de siodoc referentiel --session {} --exporter-profil) : {message}",
                            crate::session::sessions_connues().last().copied().unwrap_or(2030)
                        );
                    }
                    erreur
                })?;
                profil.session = annee;
                controler_textes(&profil, chemin, &texte)?;
                Ok(profil)
            }
        }
    }

    /// The form profile by its key in the TOML file.
    pub fn formulaire(&self, cle: &str) -> Option<&Formulaire> {
        match cle {
            "tableau_synthese" => Some(&self.tableau_synthese),
            "fiche_descriptive" => Some(&self.fiche_descriptive),
            "grille" => Some(&self.grille),
            "attestation" => Some(&self.attestation),
            _ => None,
        }
    }

    /// The forms with their TOML key, in a stable order.
    pub fn formulaires(&self) -> [(&'static str, &Formulaire); 4] {
        [
            ("tableau_synthese", &self.tableau_synthese),
            ("fiche_descriptive", &self.fiche_descriptive),
            ("grille", &self.grille),
            ("attestation", &self.attestation),
        ]
    }

    /// The profile as a commented TOML file for a teacher to edit.
    pub fn vers_toml(&self) -> String {
        let corps = toml::to_string_pretty(self).unwrap_or_default();
        format!(
            "# Profil de la session {} pour siodoc.\n\
             # Modifiez les champs qui diffèrent de votre circulaire (libellés d'annexe, intitulés…),\n\
             # supprimez les autres si vous le souhaitez, puis passez ce fichier avec --profil.\n\n{corps}",
            self.session
        )
    }
}

impl Formulaire {
    /// « Épreuve E5 - Support et mise à disposition… » as printed on the forms.
    pub fn libelle_epreuve(&self, option: OptionSio) -> String {
        format!("Épreuve {} - {}", self.epreuve, self.intitule.get(option))
    }
}

/// A teacher's override: every field optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfilPatch {
    session: Option<u16>,
    referentiel: Option<ReferentielId>,
    note: Option<String>,
    tableau_synthese: Option<FormulairePatch>,
    fiche_descriptive: Option<FormulairePatch>,
    grille: Option<FormulairePatch>,
    attestation: Option<FormulairePatch>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormulairePatch {
    epreuve: Option<String>,
    intitule: Option<ParOption<Option<String>>>,
    titre: Option<String>,
    annexe: Option<ParOption<Option<String>>>,
    feuille: Option<ParOption<Option<String>>>,
    annexe_avant_epreuve: Option<bool>,
}

impl ProfilPatch {
    fn appliquer(self, profil: &mut ProfilSession) {
        if let Some(n) = self.note {
            profil.note = Some(n);
        }
        let paires = [
            (self.tableau_synthese, &mut profil.tableau_synthese),
            (self.fiche_descriptive, &mut profil.fiche_descriptive),
            (self.grille, &mut profil.grille),
            (self.attestation, &mut profil.attestation),
        ];
        for (patch, cible) in paires {
            if let Some(p) = patch {
                p.appliquer(cible);
            }
        }
    }
}

impl FormulairePatch {
    fn appliquer(self, f: &mut Formulaire) {
        if let Some(e) = self.epreuve {
            f.epreuve = e;
        }
        if let Some(t) = self.titre {
            f.titre = t;
        }
        if let Some(b) = self.annexe_avant_epreuve {
            f.annexe_avant_epreuve = b;
        }
        fusionner(self.intitule, &mut f.intitule);
        fusionner(self.annexe, &mut f.annexe);
        if let Some(p) = self.feuille {
            let cible = f.feuille.get_or_insert_with(ParOption::default);
            fusionner(Some(p), cible);
        }
    }
}

fn fusionner(patch: Option<ParOption<Option<String>>>, cible: &mut ParOption<String>) {
    let Some(p) = patch else { return };
    for option in OptionSio::TOUTES {
        if let Some(v) = p.get(option) {
            *cible.get_mut(option) = v.clone();
        }
    }
}

/// Longest text of a profile printed on a document (an annex label, a title).
const TEXTE_PROFIL_MAX: usize = 300;

/// The texts a teacher's profile puts on every document are checked as the workbook's are
/// (`verification::impression`): a length the header can hold, characters the fonts draw, no
/// invisible character that reverses the text after it.
fn controler_textes(profil: &ProfilSession, chemin: &Path, texte: &str) -> Result<(), Erreur> {
    let mut champs: Vec<(String, &str)> = Vec::new();
    for (cle, f) in profil.formulaires() {
        champs.push((format!("{cle}.epreuve"), &f.epreuve));
        champs.push((format!("{cle}.titre"), &f.titre));
        for option in OptionSio::TOUTES {
            champs.push((format!("{cle}.intitule.{option}"), f.intitule.get(option)));
            champs.push((format!("{cle}.annexe.{option}"), f.annexe.get(option)));
            if let Some(feuille) = &f.feuille {
                champs.push((format!("{cle}.feuille.{option}"), feuille.get(option)));
            }
        }
    }
    for (cle, valeur) in champs {
        let n = valeur.chars().count();
        let probleme = if n > TEXTE_PROFIL_MAX {
            Some(format!(
                "le texte compte {n} caractères ; un document en imprime au plus {TEXTE_PROFIL_MAX} : raccourcissez-le"
            ))
        } else if let Some(c) = valeur.chars().find(|&c| crate::polices::force_le_sens(c)) {
            Some(format!(
                "le texte contient un caractère invisible de direction d'écriture (U+{:04X}) : les documents \
                 imprimeraient à l'envers ce qui suit ; retirez-le",
                c as u32
            ))
        } else {
            valeur.chars().find(|c| !crate::polices::dessinable(*c)).map(|c| {
                format!(
                    "le texte contient un caractère que les polices des documents ne savent pas dessiner \
                     (U+{:04X}) ; retirez-le ou remplacez-le par du texte",
                    c as u32
                )
            })
        };
        if let Some(message) = probleme {
            // The value as written in the file, where it can be found (a long one by its start).
            let debut: String = valeur.chars().take(40).collect();
            let position = texte
                .find(&debut)
                .filter(|_| !debut.is_empty())
                .map(|o| ligne_colonne(texte, o));
            return Err(Erreur::Profil {
                chemin: chemin.to_path_buf(),
                position,
                message: format!("« {cle} » : {message}"),
            });
        }
    }
    Ok(())
}

/// Line and column (1-based) of a byte offset.
fn ligne_colonne(texte: &str, offset: usize) -> (usize, usize) {
    let avant = &texte[..offset.min(texte.len())];
    let ligne = avant.matches('\n').count() + 1;
    let colonne = avant.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (ligne, colonne)
}

/// Where a top-level key is written, for messages about its value.
fn position_cle(texte: &str, cle: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for ligne in texte.split_inclusive('\n') {
        let t = ligne.trim_start();
        if t.starts_with(cle) && t[cle.len()..].trim_start().starts_with('=') {
            return Some(ligne_colonne(texte, offset + ligne.len() - t.len()));
        }
        offset += ligne.len();
    }
    None
}

/// Turns a TOML/serde error into a French message with the line, the column and the key.
fn erreur_toml(chemin: &Path, texte: &str, e: &toml::de::Error) -> Erreur {
    let span: Option<Range<usize>> = e.span();
    let position = span.as_ref().map(|s| ligne_colonne(texte, s.start));
    let section = span.as_ref().and_then(|s| section_avant(texte, s.start));
    let extrait = span
        .as_ref()
        .and_then(|s| texte.get(s.clone()))
        .map(|s| s.trim().to_string());
    Erreur::Profil {
        chemin: PathBuf::from(chemin),
        position,
        message: match section {
            Some(t) => format!(
                "dans [{t}] : {}",
                crate::erreur::traduire_serde(e.message(), extrait.as_deref())
            ),
            None => crate::erreur::traduire_serde(e.message(), extrait.as_deref()),
        },
    }
}

/// The `[table]` header that an offset falls under, if any.
fn section_avant(texte: &str, offset: usize) -> Option<String> {
    texte[..offset.min(texte.len())]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('[') && l.ends_with(']') && !l.starts_with("[["))
        .map(|l| l.trim_matches(['[', ']']).trim().to_string())
}
