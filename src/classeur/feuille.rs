//! A sheet as plain cells, whatever file it came from (calamine or CSV).

/// One cell's value as stored in the file.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Cellule {
    #[default]
    Vide,
    Texte(String),
    Nombre(f64),
    Booleen(bool),
    /// A date typed as a date (Excel serial with a date format, or ODS date), as an ISO date.
    Date(chrono::NaiveDate),
    /// A formula error such as `#REF!`.
    ErreurFormule(String),
}

/// How a date cell is written as text (and read back by [`super::Champ::brut`]).
pub const FORMAT_DATE: &str = "%d/%m/%Y";

impl Cellule {
    /// The text a teacher sees: numbers without a useless « .0 », dates as JJ/MM/AAAA.
    pub fn texte(&self) -> String {
        match self {
            Cellule::Vide => String::new(),
            Cellule::Texte(t) => t.trim().to_string(),
            Cellule::Nombre(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cellule::Nombre(n) => n.to_string(),
            Cellule::Booleen(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
            Cellule::Date(d) => d.format(FORMAT_DATE).to_string(),
            Cellule::ErreurFormule(e) => e.clone(),
        }
    }

    pub fn est_vide(&self) -> bool {
        match self {
            Cellule::Vide => true,
            Cellule::Texte(t) => t.trim().is_empty(),
            _ => false,
        }
    }
}

/// A sheet: its name and its rows, row 0 being the sheet's row 1 and column 0 column A.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Feuille {
    pub nom: String,
    pub lignes: Vec<Vec<Cellule>>,
    /// The look of the cells that carry a mark no value holds (read for official tableaux
    /// only, see [`super::apparence`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub apparences: Vec<super::apparence::Apparence>,
    /// Shapes drawn on the sheet but anchored to no cell: what they tick cannot be said.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dessins_libres: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Feuille {
    /// The look of a cell, when it carries something.
    pub fn apparence(&self, ligne: usize, colonne: usize) -> Option<&super::apparence::Apparence> {
        // Sorted by (row, column) when read (see `apparence::ajouter`).
        let cle = (u32::try_from(ligne).ok()?, u32::try_from(colonne).ok()?);
        self.apparences
            .binary_search_by_key(&cle, |a| (a.ligne, a.colonne))
            .ok()
            .map(|i| &self.apparences[i])
    }

    pub fn cellule(&self, ligne: usize, colonne: usize) -> &Cellule {
        static VIDE: Cellule = Cellule::Vide;
        self.lignes
            .get(ligne)
            .and_then(|l| l.get(colonne))
            .unwrap_or(&VIDE)
    }

    /// Number of rows up to the last non-empty one.
    pub fn hauteur(&self) -> usize {
        self.lignes
            .iter()
            .rposition(|l| l.iter().any(|c| !c.est_vide()))
            .map_or(0, |i| i + 1)
    }
}

/// Column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA.
pub fn lettres_colonne(mut colonne: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (colonne % 26) as u8);
        if colonne < 26 {
            break;
        }
        colonne = colonne / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// `Feuille!H12` from 0-based row and column.
pub fn reference(feuille: &str, ligne: usize, colonne: usize) -> String {
    format!("{feuille}!{}{}", lettres_colonne(colonne), ligne + 1)
}

/// Where a value was read, shown as `Feuille!H12`: 12 bytes and no allocation, since a class
/// of 10 000 candidates holds over a million of them. The sheet's name is kept once, in
/// [`NOMS_DE_FEUILLES`]; the default address is nowhere (a column that is absent).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Adresse {
    /// 1 + the sheet's place in [`NOMS_DE_FEUILLES`]; 0 for nowhere.
    feuille: u32,
    ligne: u32,
    colonne: u32,
}

/// The names of the sheets values were read from, each once. Bounded by what was read: a few
/// names per file.
static NOMS_DE_FEUILLES: std::sync::Mutex<Vec<Box<str>>> = std::sync::Mutex::new(Vec::new());

fn noms_de_feuilles() -> std::sync::MutexGuard<'static, Vec<Box<str>>> {
    // A panic elsewhere while holding it leaves a list that is still whole.
    NOMS_DE_FEUILLES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A sheet's name as kept once in [`NOMS_DE_FEUILLES`]: found once per sheet, then each of
/// its cells' addresses is made without looking the name up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NomDeFeuille(u32);

impl NomDeFeuille {
    pub fn new(feuille: &str) -> NomDeFeuille {
        let mut noms = noms_de_feuilles();
        let i = match noms.iter().position(|n| **n == *feuille) {
            Some(i) => i,
            None => {
                noms.push(feuille.into());
                noms.len() - 1
            }
        };
        NomDeFeuille(u32::try_from(i + 1).unwrap_or(u32::MAX))
    }
}

impl Adresse {
    /// The cell of `feuille` at 0-based `ligne` and `colonne`.
    pub fn new(feuille: &str, ligne: usize, colonne: usize) -> Adresse {
        Adresse::dans(NomDeFeuille::new(feuille), ligne, colonne)
    }

    /// The same, the sheet's name already kept.
    pub fn dans(feuille: NomDeFeuille, ligne: usize, colonne: usize) -> Adresse {
        Adresse {
            feuille: feuille.0,
            ligne: u32::try_from(ligne).unwrap_or(u32::MAX),
            colonne: u32::try_from(colonne).unwrap_or(u32::MAX),
        }
    }

    /// A whole sheet, when a landmark is missing from it.
    pub fn feuille(feuille: &str) -> Adresse {
        Adresse {
            ligne: FEUILLE_ENTIERE,
            ..Adresse::new(feuille, 0, 0)
        }
    }

    /// Nowhere: the column is absent.
    pub fn is_empty(&self) -> bool {
        self.feuille == 0
    }

    /// The cell without its sheet: `H12` (empty for nowhere or a whole sheet).
    pub fn case(&self) -> String {
        if self.feuille == 0 || self.ligne == FEUILLE_ENTIERE {
            return String::new();
        }
        format!(
            "{}{}",
            lettres_colonne(self.colonne as usize),
            u64::from(self.ligne) + 1
        )
    }
}

/// The row of an [`Adresse`] that names a whole sheet.
const FEUILLE_ENTIERE: u32 = u32::MAX;

impl std::fmt::Display for Adresse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.feuille == 0 {
            return Ok(());
        }
        let nom = noms_de_feuilles()
            .get(self.feuille as usize - 1)
            .map(|n| n.to_string())
            .unwrap_or_default();
        match self.case().as_str() {
            "" => write!(f, "{nom}"),
            case => write!(f, "{nom}!{case}"),
        }
    }
}

impl std::fmt::Debug for Adresse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

impl serde::Serialize for Adresse {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// What kind of value a cell held, without its text (which its field keeps): enough to read
/// dates, numbers and booleans again, from that text (see [`Champ::brut`]). One byte, so that
/// a field is 32.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Valeur {
    #[default]
    Vide,
    Texte,
    Nombre,
    Booleen,
    Date,
    ErreurFormule,
}

impl Valeur {
    pub fn de(cellule: &Cellule) -> Valeur {
        match cellule {
            Cellule::Vide => Valeur::Vide,
            Cellule::Texte(_) => Valeur::Texte,
            Cellule::Nombre(_) => Valeur::Nombre,
            Cellule::Booleen(_) => Valeur::Booleen,
            Cellule::Date(_) => Valeur::Date,
            Cellule::ErreurFormule(_) => Valeur::ErreurFormule,
        }
    }
}

impl From<Adresse> for String {
    fn from(a: Adresse) -> String {
        a.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_shows_its_sheet_and_cell_and_keeps_each_name_once() {
        let a = Adresse::new("Réalisations", 11, 27);
        assert_eq!(a.to_string(), "Réalisations!AB12");
        assert_eq!(a.case(), "AB12");
        assert_eq!(Adresse::new("Réalisations", 11, 27), a);
        assert_eq!(Adresse::dans(NomDeFeuille::new("Réalisations"), 11, 27), a);
        assert_ne!(Adresse::new("Candidats", 11, 27), a);
        assert_eq!(Adresse::feuille("Tableau").to_string(), "Tableau");
        assert_eq!(Adresse::feuille("Tableau").case(), "");
        assert!(!Adresse::feuille("Tableau").is_empty());
        assert!(Adresse::default().is_empty());
        assert_eq!(Adresse::default().to_string(), "");
        assert_eq!(String::from(a), "Réalisations!AB12");
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"Réalisations!AB12\"");
        let noms = noms_de_feuilles();
        assert_eq!(noms.iter().filter(|n| &***n == "Réalisations").count(), 1);
    }

    #[test]
    fn a_field_gives_back_the_cell_it_was_read_from() {
        use crate::classeur::Champ;
        let ici = Adresse::new("Réalisations", 1, 4);
        let date = chrono::NaiveDate::from_ymd_opt(2024, 10, 2).unwrap();
        for (cellule, texte) in [
            (Cellule::Vide, ""),
            (Cellule::Texte("  X ".into()), "X"),
            (Cellule::Nombre(26000101.0), "26000101"),
            (Cellule::Booleen(true), "VRAI"),
            (Cellule::Date(date), "02/10/2024"),
            (Cellule::ErreurFormule("#REF!".into()), "#REF!"),
        ] {
            let champ = Champ::de(&cellule, ici);
            assert_eq!(champ.texte, texte);
            // Taking the cell gives the same field as copying it.
            let pris = Champ::prendre(cellule.clone(), ici);
            assert_eq!(pris, champ);
            assert_eq!(format!("{:?}", pris.brut()), format!("{:?}", champ.brut()));
            let attendu = match cellule {
                Cellule::Texte(t) => Cellule::Texte(t.trim().to_string()),
                autre => autre,
            };
            assert_eq!(format!("{:?}", champ.brut()), format!("{attendu:?}"));
        }
        // Numbers and dates are read again from their text, exactly, whatever their size.
        let jour = |a, m, j| chrono::NaiveDate::from_ymd_opt(a, m, j).unwrap();
        for cellule in [
            Cellule::Nombre(0.1),
            Cellule::Nombre(-12.5),
            Cellule::Nombre(1e20),
            Cellule::Nombre(123_456_789_012_345_680.0),
            Cellule::Nombre(f64::MAX),
            Cellule::Nombre(f64::MIN_POSITIVE),
            Cellule::Nombre(f64::INFINITY),
            Cellule::Booleen(false),
            Cellule::Date(jour(999, 1, 31)),
            Cellule::Date(jour(10_000, 12, 1)),
            Cellule::Date(jour(-44, 3, 15)),
            Cellule::Date(chrono::NaiveDate::MIN),
            Cellule::Date(chrono::NaiveDate::MAX),
        ] {
            assert_eq!(Champ::de(&cellule, ici).brut(), cellule);
        }
        assert!(matches!(
            Champ::de(&Cellule::Nombre(f64::NAN), ici).brut(),
            Cellule::Nombre(n) if n.is_nan()
        ));
        // A text changed since it was read is given back as text.
        let mut change = Champ::de(&Cellule::Nombre(3.0), ici);
        change.texte = "trois".into();
        assert_eq!(change.brut(), Cellule::Texte("trois".into()));
        assert_eq!(change.nombre(), None);
        assert!(Champ::de(&Cellule::ErreurFormule("#N/A".into()), ici).est_erreur_formule());
        assert_eq!(Champ::de(&Cellule::Nombre(3.0), ici).nombre(), Some(3.0));
        assert!(Champ::texte("   ", ici).brut().est_vide());
    }
}
