//! What a check found in the class workbook: where, how serious, which rule, and what to do.

use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gravite {
    Erreur,
    Avertissement,
}

impl Gravite {
    pub fn libelle(self) -> &'static str {
        match self {
            Gravite::Erreur => "erreur",
            Gravite::Avertissement => "avertissement",
        }
    }
}

/// One finding. `regle` is a stable identifier (documented in the README) that scripts and
/// tests can rely on; `message` is the French sentence for the teacher.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub gravite: Gravite,
    pub regle: &'static str,
    /// `Feuille!A1`, or a sheet name alone, or empty for the whole workbook.
    pub position: String,
    pub message: String,
    /// N° of the candidate concerned, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub candidat: Option<String>,
}

impl Diagnostic {
    pub fn erreur(
        regle: &'static str,
        position: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            gravite: Gravite::Erreur,
            regle,
            position: position.into(),
            message: message.into(),
            candidat: None,
        }
    }

    pub fn avertissement(
        regle: &'static str,
        position: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic {
            gravite: Gravite::Avertissement,
            ..Diagnostic::erreur(regle, position, message)
        }
    }

    pub fn pour(mut self, candidat: &str) -> Diagnostic {
        if !candidat.is_empty() {
            self.candidat = Some(candidat.to_string());
        }
        self
    }

    /// The sheet part of the position.
    pub fn feuille(&self) -> &str {
        self.position.split('!').next().unwrap_or("")
    }

    /// The cell part of the position (« H12 »), empty when the position is a whole sheet.
    pub fn cellule(&self) -> &str {
        self.position.split_once('!').map_or("", |(_, c)| c)
    }
}
