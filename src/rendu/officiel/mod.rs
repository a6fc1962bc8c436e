//! `generer --modele-officiel`: each candidate's tableau de synthèse written into a copy of the
//! circulaire's own file, in the cells its landmarks designate ([`crate::officiel::plan`], the
//! reader of `importer`), everything else of the file left as it was.
//!
//! [`remplissage`] says what to write (cells, rows to insert), whatever the format; [`xlsx`]
//! and [`ods`] apply it to the file's bytes.

pub mod ods;
pub mod pdf;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::Erreur;
use crate::classeur::{Candidat, Classeur, Partie, Realisation};
use crate::entree::Nature;
use crate::officiel::Modele;
use crate::officiel::plan::Plan;
use crate::officiel::reperes::avec_valeur;
use crate::referentiel::OptionSio;

use super::formulaires::{intitule_et_documents, nom_prenom, periode_2011, periode_2019};

/// What to write into one sheet of the template.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Remplissage {
    pub feuille: String,
    /// Rows inserted: `(row, n)` puts `n` copies of the template's row `row` right under it.
    pub insertions: Vec<(usize, usize)>,
    /// Cells written, `(row, column, text)`, in the rows of the filled sheet.
    pub cellules: Vec<(usize, usize, String)>,
    /// What the teacher should know: a value left out, a session that differs.
    pub avertissements: Vec<String>,
}

/// The circulaire's file given with `--modele-officiel`, read once, with the plan of each
/// option's sheet.
pub struct ModeleOfficiel {
    pub chemin: PathBuf,
    nature: Nature,
    /// Extension of the filled copies: the template's own (xlsx, xlsm, ods).
    pub extension: String,
    octets: Vec<u8>,
    plans: Vec<(OptionSio, Plan)>,
    /// Said once for the whole class (the 2022 template without a URL row…).
    pub avertissements: Vec<String>,
}

impl ModeleOfficiel {
    /// Reads the template and finds its landmarks for each option of the class. A template
    /// whose landmarks are not all there is refused with the list of those missing, before
    /// anything is written.
    pub fn charger(
        chemin: &Path,
        referentiel: crate::referentiel::ReferentielId,
        options: &[OptionSio],
    ) -> Result<ModeleOfficiel, Erreur> {
        let refus = |message: String| Erreur::Classeur {
            chemin: chemin.to_path_buf(),
            message,
        };
        let extension = chemin
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let nature = crate::entree::nature(chemin)?;
        if !matches!(nature, Nature::Xlsx | Nature::Ods) {
            return Err(refus(
                "le modèle officiel doit être le fichier XLSX, XLSM ou ODS de la circulaire (un XLS ou un CSV \
                 ne se remplit pas en gardant sa mise en page : enregistrez-le en XLSX)"
                    .into(),
            ));
        }
        let extension = match (nature, extension.as_str()) {
            (Nature::Ods, _) => "ods".to_string(),
            (_, "xlsm") => "xlsm".to_string(),
            _ => "xlsx".to_string(),
        };
        let feuilles = crate::classeur::lecture::lire_tableur_de(chemin, nature, false)?;
        let octets = crate::entree::lire(chemin, crate::entree::limites::TAILLE_FICHIER)?;
        if crate::officiel::est_un_classeur_de_classe(&feuilles) {
            return Err(refus(
                "c'est un classeur de classe de siodoc, pas le tableau de synthèse de la circulaire ; passez à \
                 --modele-officiel le fichier de l'annexe (par exemple « Annexe VI-1 … .xlsx »)"
                    .into(),
            ));
        }
        let mut plans = Vec::new();
        let mut avertissements = Vec::new();
        for &option in options {
            let plan = crate::officiel::plan::plan(&feuilles, option).map_err(|manquants| {
                refus(format!(
                    "{} {} ; ce fichier est-il le tableau de synthèse de la circulaire ?",
                    if manquants.len() == 1 {
                        "repère introuvable :"
                    } else {
                        "repères introuvables :"
                    },
                    manquants
                        .iter()
                        .map(|m| format!("« {m} »"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            if let Some((cellule, texte)) = &plan.deja_rempli {
                return Err(refus(format!(
                    "ce tableau est déjà rempli ({cellule} : « {} ») : les réalisations d'un autre candidat \
                     resteraient sous celles qui seront écrites ; passez le fichier vierge de la circulaire",
                    texte.chars().take(60).collect::<String>()
                )));
            }
            if plan.modele.referentiel() != referentiel {
                return Err(refus(format!(
                    "ce modèle est un tableau du référentiel {} et la classe relève du référentiel {referentiel} : \
                     passez le tableau de synthèse de la circulaire de sa session",
                    plan.modele.referentiel()
                )));
            }
            if matches!(plan.modele, Modele::Sio2019 { sans_url: true })
                && !avertissements.iter().any(|a: &String| a.contains("URL"))
            {
                avertissements.push(format!(
                    "le modèle « {} » n'a pas de ligne « Adresse URL du portfolio » (modèle 2022) : les adresses \
                     des portfolios ne sont pas écrites",
                    chemin.display()
                ));
            }
            plans.push((option, plan));
        }
        Ok(ModeleOfficiel {
            chemin: chemin.to_path_buf(),
            nature,
            extension,
            octets,
            plans,
            avertissements,
        })
    }

    /// The template filled for candidate `c`, with what the teacher should know of it.
    pub fn remplir(
        &self,
        classeur: &Classeur,
        session: u16,
        c: &Candidat,
        option: OptionSio,
    ) -> Result<(Vec<u8>, Vec<String>), String> {
        let plan = self
            .plans
            .iter()
            .find(|(o, _)| *o == option)
            .map(|(_, p)| p)
            .ok_or_else(|| format!("pas de feuille pour l'option {}", option.code()))?;
        let mut r = remplissage(plan, classeur, session, c, option);
        // Said once for the class, not for each candidate.
        r.avertissements
            .retain(|a| !a.contains("Adresse URL du portfolio"));
        let octets = match self.nature {
            Nature::Ods => ods::remplir(&self.octets, &r)?,
            _ => xlsx::remplir(&self.octets, &r)?,
        };
        Ok((octets, r.avertissements))
    }
}

/// The filling of `plan`'s sheet for candidate `c`.
pub fn remplissage(
    plan: &Plan,
    classeur: &Classeur,
    session: u16,
    c: &Candidat,
    option: OptionSio,
) -> Remplissage {
    let mut r = Remplissage {
        feuille: plan.feuille.clone(),
        ..Remplissage::default()
    };
    let cellule = |ci: &crate::officiel::plan::Cible| {
        crate::classeur::feuille::reference(&plan.feuille, ci.ligne, ci.colonne)
    };
    // The header rows are above every inserted row: their coordinates do not move.
    let mut ecrire = |ci: &crate::officiel::plan::Cible, texte: String| {
        r.cellules.push((ci.ligne, ci.colonne, texte));
    };
    ecrire(&plan.nom, avec_valeur(&plan.nom.texte, &nom_prenom(c)));
    ecrire(
        &plan.numero,
        avec_valeur(&plan.numero.texte, &c.numero.texte),
    );
    let centre = &classeur.parametres.centre.texte;
    if let Some(ci) = &plan.centre {
        ecrire(ci, avec_valeur(&ci.texte, centre));
    }
    // Without a URL row (the 2022 template) the address is left out: ModeleOfficiel::charger
    // says so once for the class.
    if let Some(ci) = &plan.url {
        ecrire(ci, avec_valeur(&ci.texte, &c.portfolio.texte));
    }
    // SESSION: the year of the class; a template of another year is said.
    let texte_session = &plan.session.texte;
    let annee_modele = annee_dans(texte_session);
    if let Some(a) = annee_modele
        && a != session
    {
        r.avertissements.push(format!(
            "le modèle est celui de la session {a} ({}) et la classe est de la session {session} : \
             vérifiez que c'est le fichier de la bonne circulaire",
            cellule(&plan.session)
        ));
    }
    let session_ecrite = match plan.modele {
        Modele::Sio2019 { .. } => avec_valeur(texte_session, &session.to_string()),
        Modele::Sio2011 => remplacer_annee(texte_session, session),
    };
    ecrire(&plan.session, session_ecrite);
    for (o, ci) in &plan.cases_option {
        let t = cocher(&ci.texte, *o == option);
        if t != ci.texte {
            ecrire(ci, t);
        }
    }
    if let Some(ci) = &plan.attestation {
        match attestation(&ci.texte, &classeur.parametres.formateur.texte, centre) {
            Some(t) => ecrire(ci, t),
            None => r.avertissements.push(format!(
                "{} : la phrase « Je soussigné-e …, formatrice (formateur) au centre de formation … » n'a pas la \
                 forme attendue ; formateur et centre non écrits",
                cellule(ci)
            )),
        }
    }
    // The réalisations, part by part, rows inserted where a part overflows.
    let realisations = classeur.realisations_titrees(&c.numero.texte);
    let mut decalage = 0;
    for (i, partie) in Partie::TOUTES.iter().enumerate() {
        let p = plan.parties[i];
        let de_la_partie: Vec<&&Realisation> = realisations
            .iter()
            .filter(|x| x.partie() == Some(*partie))
            .collect();
        if de_la_partie.len() > p.lignes {
            r.insertions
                .push((p.premiere + p.lignes - 1, de_la_partie.len() - p.lignes));
        }
        for (j, x) in de_la_partie.iter().enumerate() {
            let ligne = p.premiere + decalage + j;
            r.cellules
                .push((ligne, plan.col_intitule, intitule_et_documents(x)));
            let periode = match plan.modele {
                Modele::Sio2019 { .. } => periode_2019(x),
                Modele::Sio2011 => periode_2011(x),
            };
            if !periode.is_empty() {
                r.cellules.push((ligne, plan.col_periode, periode));
            }
            let cochees: Vec<&str> = x.codes_coches().collect();
            for (col, code) in &plan.colonnes {
                if cochees.contains(&code.as_str()) {
                    r.cellules.push((ligne, *col, "X".into()));
                }
            }
        }
        decalage += de_la_partie.len().saturating_sub(p.lignes);
    }
    r
}

/// The year written in a text (« SESSION 2025 », « … - SESSION 2020 - … »), if any.
fn annee_dans(texte: &str) -> Option<u16> {
    let chiffres: Vec<(usize, char)> = texte.char_indices().collect();
    chiffres.windows(4).find_map(|w| {
        let s: String = w.iter().map(|(_, c)| *c).collect();
        let avant = w[0]
            .0
            .checked_sub(1)
            .and_then(|i| texte[..w[0].0].chars().last().map(|c| (i, c)));
        let isole = avant.is_none_or(|(_, c)| !c.is_ascii_digit());
        (s.starts_with("20") && s.chars().all(|c| c.is_ascii_digit()) && isole)
            .then(|| s.parse().ok())
            .flatten()
    })
}

/// The title row's « SESSION 20xx » (or the year there) replaced by the class's year.
fn remplacer_annee(texte: &str, session: u16) -> String {
    let haut = texte.to_ascii_uppercase();
    let Some(i) = haut.find("SESSION") else {
        return texte.to_string();
    };
    let debut = i + "SESSION".len();
    let reste = &texte[debut..];
    let blancs = reste.len() - reste.trim_start().len();
    let apres = &reste[blancs..];
    let longueur = apres
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric())
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    format!(
        "{}{}{session}{}",
        &texte[..debut],
        if blancs == 0 { " " } else { &reste[..blancs] },
        &apres[longueur..]
    )
}

/// An option box ticked (☒) or not (▢), the rest of its cell kept.
fn cocher(texte: &str, coche: bool) -> String {
    const CASES: [char; 6] = ['▢', '☐', '□', '☒', '☑', '■'];
    match texte.char_indices().find(|(_, c)| CASES.contains(c)) {
        Some((i, c)) => format!(
            "{}{}{}",
            &texte[..i],
            if coche { '☒' } else { '▢' },
            &texte[i + c.len_utf8()..]
        ),
        None if coche => format!("☒ {}", texte.trim_start()),
        None => texte.to_string(),
    }
}

/// The 2011 attestation with the formateur and the centre in their places.
fn attestation(texte: &str, formateur: &str, centre: &str) -> Option<String> {
    let i = texte.find("formatrice")?;
    let j = texte.find("certifie")?;
    let k = texte[..j].find("centre de formation")? + "centre de formation".len();
    let debut = texte[..i].trim_end().trim_end_matches(',');
    let debut = debut.trim_end_matches(['…', '.', ' ', '_']).trim_end();
    let milieu = texte[i..k].trim_end();
    let points = "……………………";
    let ou = |v: &str| {
        if v.is_empty() {
            points.to_string()
        } else {
            v.to_string()
        }
    };
    Some(format!(
        "{debut} {}, {milieu} {}, {}",
        ou(formateur),
        ou(centre),
        &texte[j..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_years_boxes_and_attestation() {
        assert_eq!(annee_dans("SESSION 2025"), Some(2025));
        assert_eq!(annee_dans("SESSION 20xx"), None);
        assert_eq!(
            remplacer_annee("BTS SIO - SESSION 20xx - TABLEAU DE SYNTHESE", 2019),
            "BTS SIO - SESSION 2019 - TABLEAU DE SYNTHESE"
        );
        assert_eq!(cocher("▢ SISR", true), "☒ SISR");
        assert_eq!(cocher("☒ SLAM", false), "▢ SLAM");
        assert_eq!(
            attestation(
                "Je soussigné-e ……, formatrice (formateur) au centre de formation ……, certifie que le candidat",
                "Claire FONTAINE",
                "Lycée X"
            )
            .unwrap(),
            "Je soussigné-e Claire FONTAINE, formatrice (formateur) au centre de formation Lycée X, certifie que le candidat"
        );
    }
}
