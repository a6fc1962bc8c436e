//! The embedded référentiels of the BTS SIO, as typed data.
//!
//! The data lives in TOML files next to this module (`sio-2011.toml`, `sio-2019.toml`), written
//! from `shared/docs/domain.md` and embedded in the binary. Each file is parsed once, on first use,
//! and checked for integrity (unique codes, existing parents); the tests guarantee that the
//! embedded files pass, so a failure there is a build defect, not a user error.

mod sio2011;
mod sio2019;

use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub use sio2011::{
    Activite, Competence2011, Domaine, Processus, Sio2011, SituationObligatoire,
    normaliser_code_activite,
};
pub use sio2019::{Bloc, Competence2019, Sio2019};

/// One of the two options (« parcours » in 2011) of the BTS SIO.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum OptionSio {
    #[serde(rename = "SISR")]
    Sisr,
    #[serde(rename = "SLAM")]
    Slam,
}

impl OptionSio {
    pub const TOUTES: [OptionSio; 2] = [OptionSio::Sisr, OptionSio::Slam];

    pub fn code(self) -> &'static str {
        match self {
            OptionSio::Sisr => "SISR",
            OptionSio::Slam => "SLAM",
        }
    }

    /// Official long name of the option.
    pub fn intitule(self) -> &'static str {
        match self {
            OptionSio::Sisr => "Solutions d'infrastructure, systèmes et réseaux",
            OptionSio::Slam => "Solutions logicielles et applications métiers",
        }
    }

    /// Reads an option as teachers write it: « SISR », « slam », « Option A », « B – SLAM »…
    /// Returns `None` when the text names no option or both.
    pub fn lire(texte: &str) -> Option<OptionSio> {
        let t = texte.trim().to_uppercase();
        let sisr = t.contains("SISR");
        let slam = t.contains("SLAM");
        match (sisr, slam) {
            (true, false) => Some(OptionSio::Sisr),
            (false, true) => Some(OptionSio::Slam),
            (false, false) => match t.trim_start_matches("OPTION").trim() {
                "A" => Some(OptionSio::Sisr),
                "B" => Some(OptionSio::Slam),
                _ => None,
            },
            (true, true) => None,
        }
    }
}

impl fmt::Display for OptionSio {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A value that may differ between the two options (an annex label, an épreuve title…).
///
/// Written in TOML as `{ SISR = "…", SLAM = "…" }`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParOption<T> {
    #[serde(rename = "SISR")]
    pub sisr: T,
    #[serde(rename = "SLAM")]
    pub slam: T,
}

impl<T> ParOption<T> {
    pub fn get(&self, option: OptionSio) -> &T {
        match option {
            OptionSio::Sisr => &self.sisr,
            OptionSio::Slam => &self.slam,
        }
    }

    pub fn get_mut(&mut self, option: OptionSio) -> &mut T {
        match option {
            OptionSio::Sisr => &mut self.sisr,
            OptionSio::Slam => &mut self.slam,
        }
    }
}

impl<T: PartialEq> ParOption<T> {
    /// The common value when both options agree.
    pub fn commun(&self) -> Option<&T> {
        (self.sisr == self.slam).then_some(&self.sisr)
    }
}

/// Which référentiel a session is examined under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReferentielId {
    #[serde(rename = "sio-2011")]
    Sio2011,
    #[serde(rename = "sio-2019")]
    Sio2019,
}

impl ReferentielId {
    pub fn code(self) -> &'static str {
        match self {
            ReferentielId::Sio2011 => "sio-2011",
            ReferentielId::Sio2019 => "sio-2019",
        }
    }

    pub fn charger(self) -> Referentiel {
        match self {
            ReferentielId::Sio2011 => Referentiel::Sio2011(sio2011()),
            ReferentielId::Sio2019 => Referentiel::Sio2019(sio2019()),
        }
    }
}

impl fmt::Display for ReferentielId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A loaded référentiel.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(untagged)]
pub enum Referentiel {
    Sio2011(&'static Sio2011),
    Sio2019(&'static Sio2019),
}

impl Referentiel {
    pub fn id(self) -> ReferentielId {
        match self {
            Referentiel::Sio2011(_) => ReferentielId::Sio2011,
            Referentiel::Sio2019(_) => ReferentielId::Sio2019,
        }
    }
}

static SIO_2011: LazyLock<Sio2011> = LazyLock::new(|| {
    Sio2011::depuis_toml(include_str!("sio-2011.toml"))
        .unwrap_or_else(|e| panic!("référentiel sio-2011 embarqué invalide : {e}"))
});

static SIO_2019: LazyLock<Sio2019> = LazyLock::new(|| {
    Sio2019::depuis_toml(include_str!("sio-2019.toml"))
        .unwrap_or_else(|e| panic!("référentiel sio-2019 embarqué invalide : {e}"))
});

/// The 2011 référentiel (sessions 2013–2020).
pub fn sio2011() -> &'static Sio2011 {
    &SIO_2011
}

/// The 2019 référentiel (sessions 2022 onward).
pub fn sio2019() -> &'static Sio2019 {
    &SIO_2019
}

/// Checks that every code in `codes` appears once; returns the first duplicate.
fn premier_doublon<'a>(codes: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut vus = std::collections::HashSet::new();
    codes.into_iter().find(|c| !vus.insert(*c))
}
