//! The layout of the official tableaux de synthèse as the circulaire's spreadsheets have it
//! (shared official-layouts.md §1, §2): column widths in characters, row heights in points,
//! the part titles and the number of rows of each part. The PDF replica (through its template's
//! data) and the XLSX replica are both drawn from here, so a change of the next circulaire is
//! made once.

use crate::classeur::Partie;

/// Référentiel 2019 (annexes 6-1, 8-1, VI-1).
pub mod sio2019 {
    /// Columns A (titles), B (période), C–H (the six compétences of bloc 1).
    pub const LARGEURS: [f64; 8] = [70.4, 10.8, 18.7, 18.7, 18.7, 18.7, 18.7, 18.7];
    /// Rows 1–2 (20 pt titles).
    pub const HAUTEUR_TITRE: f64 = 26.0;
    /// Rows 3–5: identity, centre and option, portfolio URL.
    pub const HAUTEUR_IDENTITE: f64 = 40.0;
    /// Row 6: the compétences' names.
    pub const HAUTEUR_NOMS: f64 = 90.0;
    /// Row 7: their sub-items, rotated.
    pub const HAUTEUR_ITEMS: f64 = 325.0;
    /// A part's title row (14 pt).
    pub const HAUTEUR_BANDE: f64 = 18.0;
    /// A réalisation's row, at least: it grows with a long title.
    pub const HAUTEUR_LIGNE: f64 = 40.0;
    /// Row 35, the spacer that ends the print area.
    pub const HAUTEUR_ESPACE: f64 = 18.0;
    /// The part titles, exactly as printed.
    pub const TITRES_PARTIES: [&str; 3] = [
        "Réalisation en cours de formation",
        "Réalisations en milieu professionnel en cours de première année",
        "Réalisations en milieu professionnel en cours de seconde année",
    ];
    /// Rows of each part in the blank file (9–18, 20–26, 28–34).
    pub const LIGNES_PARTIES: [usize; 3] = [10, 7, 7];
    /// Font sizes of the sheet (Arial): rows 1–2, identity rows, column heads, sub-items, part
    /// titles, réalisations (title, documents, période), marks.
    pub const TAILLE_TITRE: f64 = 20.0;
    pub const TAILLE_IDENTITE: f64 = 18.0;
    pub const TAILLE_TETES: f64 = 12.0;
    pub const TAILLE_ITEMS: f64 = 10.0;
    pub const TAILLE_BANDE: f64 = 14.0;
    pub const TAILLE_CORPS: f64 = 11.0;
    pub const TAILLE_REPERES: f64 = 16.0;
    /// Padding of a cell's text, in points.
    pub const MARGE: f64 = 2.5;
    /// The session whose template has no « Adresse URL du portfolio » row.
    pub fn avec_url(session: u16) -> bool {
        session != 2022
    }
}

/// Référentiel 2011 (annexe V-1, one sheet per parcours).
pub mod sio2011 {
    pub const LARGEUR_SITUATION: f64 = 70.4;
    /// The four situations obligatoires.
    pub const LARGEUR_SO: f64 = 6.6;
    pub const LARGEUR_PERIODE: f64 = 4.3;
    /// One column per activité of the parcours' grid.
    pub const LARGEUR_ACTIVITE: f64 = 3.4;
    /// Rows 1 (title) and 2 (name, option, N°).
    pub const HAUTEUR_TITRE: f64 = 23.0;
    /// Row 3 and the parts' title rows.
    pub const HAUTEUR_BANDE: f64 = 15.0;
    /// Row 4: the rotated heads.
    pub const HAUTEUR_TETES: f64 = 409.5;
    pub const HAUTEUR_LIGNE: f64 = 15.0;
    /// The formateur's attestation at the foot.
    pub const HAUTEUR_PIED: f64 = 30.0;
    /// The part titles: capitals without accents, as the sheet prints them.
    pub const TITRES_PARTIES: [&str; 3] = [
        "SITUATIONS VECUES EN FORMATION",
        "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE ANNEE DANS L'ORGANISATION …",
        "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …",
    ];
    pub const LIGNES_PARTIES: [usize; 3] = [18, 8, 10];
    /// Font sizes: title row, row 2 (name and N°), the option, heads, situations, footer.
    pub const TAILLE_TITRE: f64 = 18.0;
    pub const TAILLE_IDENTITE: f64 = 12.0;
    pub const TAILLE_OPTION: f64 = 18.0;
    pub const TAILLE_TETES: f64 = 10.0;
    pub const TAILLE_CORPS: f64 = 11.0;
    pub const MARGE: f64 = 2.0;
    /// Shares of the sheet's width of row 2's three cells (name, option, N°).
    pub const PARTS_LIGNE_2: [f64; 3] = [0.58, 0.21, 0.21];
    /// Fills of the filled copies: situation columns, row-3 band and période column, parts.
    pub const VERT: (u8, u8, u8) = (175, 208, 149);
    pub const ROSE: (u8, u8, u8) = (255, 166, 166);
    pub const BLEU: (u8, u8, u8) = (180, 199, 220);
}

/// A4 in points, and the 5 mm margin of the 2019 tableau.
pub const A4: (f64, f64) = (595.276, 841.89);
pub const MARGE_A4: f64 = 5.0 * 72.0 / 25.4;
/// A3 landscape in points, and the 10 mm margin chosen for the 2011 grid.
pub const A3_PAYSAGE: (f64, f64) = (1190.551, 841.89);
pub const MARGE_A3: f64 = 10.0 * 72.0 / 25.4;

/// A spreadsheet column's printed width in points, from its width in characters: Excel's
/// pixel rule for Arial 10 (7 pixels per character plus 5 of padding) at 96 dpi.
pub fn points(caracteres: f64) -> f64 {
    (caracteres * 7.0 + 5.0).trunc() * 0.75
}

/// The index of a part in the tables above.
pub fn indice(p: Partie) -> usize {
    Partie::TOUTES.iter().position(|x| *x == p).unwrap_or(0)
}
