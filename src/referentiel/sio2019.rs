//! The 2019 référentiel (modified in 2024): blocs of compétences with their sub-items.

use serde::{Deserialize, Serialize};

use super::{OptionSio, ParOption, premier_doublon};

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sio2019 {
    pub id: String,
    pub intitule: String,
    pub blocs: Vec<Bloc>,
    pub competences: Vec<Competence2019>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bloc {
    pub numero: u8,
    pub intitule: IntituleBloc,
}

/// Bloc 2 has one title per option; the others one title.
#[derive(Debug, Serialize, Deserialize)]
#[serde(untagged)]
pub enum IntituleBloc {
    Commun(String),
    ParOption(ParOption<String>),
}

impl IntituleBloc {
    pub fn pour(&self, option: OptionSio) -> &str {
        match self {
            IntituleBloc::Commun(t) => t,
            IntituleBloc::ParOption(p) => p.get(option),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Competence2019 {
    /// Informal code (B1.1, B2.SISR.1…): the référentiel numbers none of them.
    pub code: String,
    pub bloc: u8,
    /// `None` for the compétences common to both options.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<OptionSio>,
    pub intitule: String,
    /// Sub-items in the order of the official tableau de synthèse.
    pub sous_items: Vec<String>,
}

impl Sio2019 {
    pub fn depuis_toml(texte: &str) -> Result<Sio2019, String> {
        let r: Sio2019 = toml::from_str(texte).map_err(|e| e.to_string())?;
        if let Some(c) = premier_doublon(r.competences.iter().map(|c| c.code.as_str())) {
            return Err(format!("code en double : {c}"));
        }
        for c in &r.competences {
            if !r.blocs.iter().any(|b| b.numero == c.bloc) {
                return Err(format!("{} : bloc inconnu {}", c.code, c.bloc));
            }
            if c.sous_items.is_empty() {
                return Err(format!("{} : aucun sous-item", c.code));
            }
        }
        Ok(r)
    }

    pub fn bloc(&self, numero: u8) -> Option<&Bloc> {
        self.blocs.iter().find(|b| b.numero == numero)
    }

    pub fn competence(&self, code: &str) -> Option<&Competence2019> {
        let code = code.trim();
        self.competences
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(code))
    }

    /// The compétences of a bloc that apply to `option`: the common ones, then the option's.
    /// With `option = None`, every compétence of the bloc.
    pub fn competences_du_bloc(
        &self,
        bloc: u8,
        option: Option<OptionSio>,
    ) -> impl Iterator<Item = &Competence2019> {
        self.competences.iter().filter(move |c| {
            c.bloc == bloc && (option.is_none() || c.option.is_none() || c.option == option)
        })
    }

    /// The 6 bloc-1 compétences: the columns of the tableau de synthèse.
    pub fn bloc1(&self) -> impl Iterator<Item = &Competence2019> {
        self.competences_du_bloc(1, None)
    }

    /// The 3 bloc-2 compétences of an option: the boxes of the fiche descriptive.
    pub fn bloc2(&self, option: OptionSio) -> impl Iterator<Item = &Competence2019> {
        self.competences_du_bloc(2, Some(option))
    }
}
