//! The 2011 référentiel: processus, domaines, activités, compétences, situations obligatoires.

use serde::{Deserialize, Serialize};

use super::{OptionSio, premier_doublon};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sio2011 {
    pub id: String,
    pub intitule: String,
    /// Where the activité → épreuve mapping comes from (it is not official).
    pub epreuve_source: String,
    pub processus: Vec<Processus>,
    pub domaines: Vec<Domaine>,
    pub activites: Vec<Activite>,
    pub competences: Vec<Competence2011>,
    pub situations_obligatoires: Vec<SituationObligatoire>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Processus {
    pub code: String,
    pub intitule: String,
    /// Parcours named in the référentiel's header for this processus.
    pub parcours: Vec<OptionSio>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domaine {
    pub code: String,
    pub processus: String,
    pub intitule: String,
    pub parcours: Vec<OptionSio>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Activite {
    pub code: String,
    pub domaine: String,
    pub intitule: String,
    /// Options whose tableau de synthèse has a column for this activité (domain.md §2.4: the
    /// official grid has 7 cross-over activités, so this is not the domaine's parcours).
    pub tableau: Vec<OptionSio>,
    /// Épreuve the activité is evaluated in, from a school database: not official.
    pub epreuve: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competence2011 {
    pub code: String,
    pub activite: String,
    pub libelle: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SituationObligatoire {
    pub code: String,
    /// Official wording (sessions ≈ 2015–2020).
    pub libelle: String,
    /// Short label of the 2013-era tools.
    pub libelle_court: String,
}

impl Sio2011 {
    /// Parses and checks the data file.
    pub fn depuis_toml(texte: &str) -> Result<Sio2011, String> {
        let r: Sio2011 = toml::from_str(texte).map_err(|e| e.to_string())?;
        r.verifier_integrite()?;
        Ok(r)
    }

    fn verifier_integrite(&self) -> Result<(), String> {
        let codes = self
            .processus
            .iter()
            .map(|p| p.code.as_str())
            .chain(self.domaines.iter().map(|d| d.code.as_str()))
            .chain(self.activites.iter().map(|a| a.code.as_str()))
            .chain(self.competences.iter().map(|c| c.code.as_str()))
            .chain(self.situations_obligatoires.iter().map(|s| s.code.as_str()));
        if let Some(c) = premier_doublon(codes) {
            return Err(format!("code en double : {c}"));
        }
        for d in &self.domaines {
            self.processus(&d.processus)
                .ok_or_else(|| format!("{} : processus inconnu {}", d.code, d.processus))?;
        }
        for a in &self.activites {
            self.domaine(&a.domaine)
                .ok_or_else(|| format!("{} : domaine inconnu {}", a.code, a.domaine))?;
            // A1.2.3 belongs to D1.2: the code carries its parent.
            if !a.code[1..].starts_with(&format!("{}.", &a.domaine[1..])) {
                return Err(format!(
                    "{} n'appartient pas au domaine {}",
                    a.code, a.domaine
                ));
            }
        }
        for c in &self.competences {
            self.activite(&c.activite)
                .ok_or_else(|| format!("{} : activité inconnue {}", c.code, c.activite))?;
            if !c.code[1..].starts_with(&format!("{}.", &c.activite[1..])) {
                return Err(format!(
                    "{} n'appartient pas à l'activité {}",
                    c.code, c.activite
                ));
            }
        }
        Ok(())
    }

    pub fn processus(&self, code: &str) -> Option<&Processus> {
        self.processus.iter().find(|p| p.code == code)
    }

    pub fn domaine(&self, code: &str) -> Option<&Domaine> {
        self.domaines.iter().find(|d| d.code == code)
    }

    /// Finds an activité by code, accepting the variants seen in real spreadsheets
    /// (« A.1.1.1 », « 2.2.2 », surrounding spaces).
    pub fn activite(&self, code: &str) -> Option<&Activite> {
        let code = normaliser_code_activite(code)?;
        self.activites.iter().find(|a| a.code == code)
    }

    pub fn situation_obligatoire(&self, code: &str) -> Option<&SituationObligatoire> {
        let code = code.trim().to_uppercase();
        self.situations_obligatoires.iter().find(|s| s.code == code)
    }

    pub fn domaines_du_processus<'a>(
        &'a self,
        processus: &'a str,
    ) -> impl Iterator<Item = &'a Domaine> {
        self.domaines
            .iter()
            .filter(move |d| d.processus == processus)
    }

    pub fn activites_du_domaine<'a>(
        &'a self,
        domaine: &'a str,
    ) -> impl Iterator<Item = &'a Activite> {
        self.activites.iter().filter(move |a| a.domaine == domaine)
    }

    pub fn competences_de<'a>(
        &'a self,
        activite: &'a str,
    ) -> impl Iterator<Item = &'a Competence2011> {
        self.competences
            .iter()
            .filter(move |c| c.activite == activite)
    }

    /// The processus an activité belongs to.
    pub fn processus_de(&self, activite: &Activite) -> Option<&Processus> {
        self.domaine(&activite.domaine)
            .and_then(|d| self.processus(&d.processus))
    }

    /// The activité columns of an option's tableau de synthèse, in référentiel order (48 each).
    pub fn colonnes_tableau(&self, option: OptionSio) -> impl Iterator<Item = &Activite> {
        self.activites
            .iter()
            .filter(move |a| a.tableau.contains(&option))
    }
}

/// Normalises an activité code as teachers type it: « A1.1.1 », « a1.1.1 », « A.1.1.1 »,
/// « 1.1.1 » (letter lost) all give « A1.1.1 ». Returns `None` when it is not shaped like one.
pub fn normaliser_code_activite(code: &str) -> Option<String> {
    let t = code.trim();
    let chiffres = t
        .strip_prefix(['A', 'a'])
        .map(|r| r.strip_prefix('.').unwrap_or(r))
        .unwrap_or(t);
    let parties: Vec<&str> = chiffres.split('.').collect();
    let valide = parties.len() == 3
        && parties
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
    valide.then(|| format!("A{}", parties.join(".")))
}
