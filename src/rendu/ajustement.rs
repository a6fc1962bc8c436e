//! Fitting text into the fixed cells of the official forms, decided once from the data and the
//! font metrics ([`crate::polices`]) instead of being measured in the templates: a template
//! without `measure` (and so without `context`) lays out the same way for every candidate, and
//! Typst reuses what candidates share (the column heads) from one document to the next.
//!
//! Sizes are the official sheet's, in points at 100 %; a factor below 1 is how much a text is
//! shrunk to fit, as a spreadsheet's « shrink to fit » prints it. The estimates err on the side
//! of more room (no kerning, greedy line breaks, a line of margin when close).

use crate::polices::{Graisse, largeur, lignes};

/// Height of the first line of a paragraph (cap height) and the gap between lines, in em, as
/// Typst sets text with its default edges: a paragraph of n lines is `n·CAPITALE + (n−1)·interligne`.
const CAPITALE: f64 = 0.72;

/// Height of `n` lines at `taille` with `interligne` em between them.
pub fn hauteur(n: usize, taille: f64, interligne: f64) -> f64 {
    if n == 0 {
        return 0.0;
    }
    taille * (CAPITALE * n as f64 + interligne * (n as f64 - 1.0))
}

/// The factor that makes one line of `texte` fit `place` points.
pub fn echelle_ligne(texte: &str, graisse: Graisse, taille: f64, place: f64) -> f64 {
    let l = largeur(texte, graisse, taille);
    if l <= place || l <= 0.0 {
        1.0
    } else {
        place / l
    }
}

/// The factor that makes `texte`, wrapped at `l` points, fit `h` points high (paragraphs at
/// `\n`, `interligne` em between lines and between paragraphs).
pub fn echelle_bloc(
    texte: &str,
    graisse: Graisse,
    taille: f64,
    l: f64,
    h: f64,
    interligne: f64,
) -> f64 {
    let mut f: f64 = 1.0;
    while f > 0.2 {
        let n = lignes(texte, graisse, taille * f, l);
        if hauteur(n, taille * f, interligne) <= h * 0.9 {
            return f;
        }
        f -= 0.02;
    }
    f
}

/// The height a wrapped text needs, in points, with one line of margin when its last line is
/// nearly full (a greedy count may be one short of Typst's breaking).
pub fn hauteur_texte(texte: &str, graisse: Graisse, taille: f64, l: f64, interligne: f64) -> f64 {
    let n = lignes(texte, graisse, taille, l * 0.96);
    hauteur(n, taille, interligne)
}

/// The height a réalisation's row needs: its text, bold, wrapped in a cell `largeur` wide with
/// `marge` of padding, at least `minimum` (the form's row), as a spreadsheet's automatic height.
pub fn hauteur_de_ligne(
    texte: &str,
    taille: f64,
    largeur: f64,
    marge: f64,
    interligne: f64,
    minimum: f64,
) -> f64 {
    (hauteur_texte(
        texte,
        Graisse::Grasse,
        taille,
        largeur - 2.0 * marge,
        interligne,
    ) + 2.0 * marge
        + 1.0)
        .max(minimum)
}

/// The gap between lines a spreadsheet leaves (Arial: 1.15 em from one baseline to the next).
pub const INTERLIGNE_TABLEUR: f64 = 0.43;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_keep_their_size_long_ones_shrink() {
        assert_eq!(
            echelle_ligne("du 02/10/24", Graisse::Grasse, 8.0, 100.0),
            1.0
        );
        let f = echelle_ligne("du 02/10/24", Graisse::Grasse, 11.0, 55.0);
        assert!(f < 1.0 && f > 0.7, "{f}");
        assert!((largeur("du 02/10/24", Graisse::Grasse, 11.0 * f) - 55.0).abs() < 0.01);
        let long = "mot ".repeat(200);
        let f = echelle_bloc(&long, Graisse::Normale, 10.0, 320.0, 97.0, 0.4);
        assert!(f < 1.0);
        let n = lignes(&long, Graisse::Normale, 10.0 * f, 320.0);
        assert!(hauteur(n, 10.0 * f, 0.4) <= 97.0);
    }
}
