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

impl Cellule {
    /// The text a teacher sees: numbers without a useless « .0 », dates as JJ/MM/AAAA.
    pub fn texte(&self) -> String {
        match self {
            Cellule::Vide => String::new(),
            Cellule::Texte(t) => t.trim().to_string(),
            Cellule::Nombre(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cellule::Nombre(n) => n.to_string(),
            Cellule::Booleen(b) => if *b { "VRAI" } else { "FAUX" }.to_string(),
            Cellule::Date(d) => d.format("%d/%m/%Y").to_string(),
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
