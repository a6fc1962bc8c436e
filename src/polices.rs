//! The fonts every document is set in, embedded, and what they can draw.
//!
//! Rendering uses them (`rendu::moteur`); validation asks [`dessinable`] so that a character no
//! font has (an emoji) is reported with its cell by `verifier`, instead of making the PDF/A
//! export fail in `generer`.

use std::sync::OnceLock;

/// The fonts of `fonts/`, embedded: OFL fonts only, system fonts are never looked at.
pub const POLICES: [(&str, &[u8]); 5] = [
    (
        "LiberationSans-Regular.ttf",
        include_bytes!("../fonts/LiberationSans-Regular.ttf"),
    ),
    (
        "LiberationSans-Bold.ttf",
        include_bytes!("../fonts/LiberationSans-Bold.ttf"),
    ),
    (
        "LiberationSans-Italic.ttf",
        include_bytes!("../fonts/LiberationSans-Italic.ttf"),
    ),
    (
        "LiberationSans-BoldItalic.ttf",
        include_bytes!("../fonts/LiberationSans-BoldItalic.ttf"),
    ),
    (
        "NotoSansSymbols2-Regular.ttf",
        include_bytes!("../fonts/NotoSansSymbols2-Regular.ttf"),
    ),
];

fn faces() -> &'static [ttf_parser::Face<'static>] {
    static FACES: OnceLock<Vec<ttf_parser::Face<'static>>> = OnceLock::new();
    FACES.get_or_init(|| {
        POLICES
            .iter()
            .filter_map(|(_, octets)| ttf_parser::Face::parse(octets, 0).ok())
            .collect()
    })
}

/// What the fonts know of the first code points (Latin, punctuation, the boxes and arrows):
/// whether one draws it and its advance in each text face, per em. Looked up for every
/// character of every document, it is computed once.
struct Table {
    dessinable: Vec<bool>,
    avances: Vec<[f32; 3]>,
}

const TABLE_JUSQUA: u32 = 0x2700;

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| Table::de(&couverts()))
}

impl Table {
    /// The table from `couverts` (see there): a code point no face maps is looked up in none.
    fn de(couverts: &[bool]) -> Table {
        let mut t = Table {
            dessinable: Vec::with_capacity(TABLE_JUSQUA as usize),
            avances: Vec::with_capacity(TABLE_JUSQUA as usize),
        };
        for u in 0..TABLE_JUSQUA {
            let (c, a_chercher) = match char::from_u32(u) {
                Some(c) => (c, couverts.get(u as usize).copied().unwrap_or(true)),
                // A surrogate is never looked up: it stands as U+FFFD, as it always did.
                None => ('\u{FFFD}', true),
            };
            if a_chercher {
                t.dessinable.push(dessinable_calcule(c));
                t.avances.push(
                    [Graisse::Normale, Graisse::Grasse, Graisse::GrasseItalique]
                        .map(|g| avance_calculee(c, g) as f32),
                );
            } else {
                t.dessinable.push(dessinable_sans_police(c));
                t.avances.push([AVANCE_INCONNUE as f32; 3]);
            }
        }
        t
    }
}

/// The code points below [`TABLE_JUSQUA`] that some face maps, found by walking each face's
/// character map once rather than asking every face for each of the 10 000 code points (which
/// took about 4 % of a 35-candidate run, before any document).
fn couverts() -> Vec<bool> {
    let mut couverts = vec![false; TABLE_JUSQUA as usize];
    for face in faces() {
        let Some(cmap) = face.tables().cmap else {
            continue;
        };
        for sous_table in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
            sous_table.codepoints(|u| {
                if let Some(c) = couverts.get_mut(u as usize) {
                    *c = true;
                }
            });
        }
    }
    couverts
}

/// Whether the documents can print `c`: a font has it, or it is a line break, a tab, or an
/// invisible formatting character that is never drawn.
pub fn dessinable(c: char) -> bool {
    match table().dessinable.get(c as usize) {
        Some(d) => *d,
        None => dessinable_calcule(c),
    }
}

fn dessinable_calcule(c: char) -> bool {
    dessinable_sans_police(c)
        || (!c.is_control() && faces().iter().any(|f| f.glyph_index(c).is_some()))
}

/// Bidirectional embeddings, overrides and isolates: invisible, and obeyed by Typst, which
/// prints the text after them in the order they force (« \u{202E}web » prints « bew »).
pub fn force_le_sens(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Line breaks, tabs and invisible formatting characters: printed though no font draws them.
fn dessinable_sans_police(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
}

/// The advance, per em, given to a character no face has.
const AVANCE_INCONNUE: f64 = 0.6;

/// A face of the text font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Graisse {
    Normale = 0,
    Grasse = 1,
    GrasseItalique = 2,
}

/// The advance width of `texte` set at `taille` points in Liberation Sans (the symbols from
/// Noto Sans Symbols2, as Typst falls back to it), without kerning: a slight overestimate, which
/// is what fitting needs. Lets the layout of a form be decided once, from the data, instead of
/// being measured in the template for each document.
pub fn largeur(texte: &str, graisse: Graisse, taille: f64) -> f64 {
    let t = table();
    let i = graisse as usize;
    texte
        .chars()
        .map(|c| match t.avances.get(c as usize) {
            Some(a) => f64::from(a[i]),
            None => avance_calculee(c, graisse),
        })
        .sum::<f64>()
        * taille
}

/// The advance of `c` per em, in the face of `graisse` or the symbols' font.
fn avance_calculee(c: char, graisse: Graisse) -> f64 {
    let f = faces();
    let (Some(texte_face), Some(symboles)) = (
        f.get(match graisse {
            Graisse::Normale => 0,
            Graisse::Grasse => 1,
            Graisse::GrasseItalique => 3,
        }),
        f.get(4),
    ) else {
        return AVANCE_INCONNUE;
    };
    let (face, g) = match texte_face.glyph_index(c) {
        Some(g) => (texte_face, g),
        None => match symboles.glyph_index(c) {
            Some(g) => (symboles, g),
            None => return AVANCE_INCONNUE,
        },
    };
    face.glyph_hor_advance(g).unwrap_or(0) as f64 / face.units_per_em() as f64
}

/// The lines `texte` takes when wrapped at `largeur_max` points (greedy, at spaces; a word
/// longer than a line counts the lines it spans), each `\n` starting a new one.
pub fn lignes(texte: &str, graisse: Graisse, taille: f64, largeur_max: f64) -> usize {
    let espace = largeur(" ", graisse, taille);
    texte
        .split('\n')
        .map(|paragraphe| {
            let mut n = 1;
            let mut courante = 0.0;
            for mot in paragraphe.split_whitespace() {
                let l = largeur(mot, graisse, taille);
                let avec = if courante > 0.0 {
                    courante + espace + l
                } else {
                    l
                };
                if avec <= largeur_max {
                    courante = avec;
                } else if courante == 0.0 {
                    // A word wider than the line breaks where Typst breaks it.
                    n += (l / largeur_max).ceil() as usize - 1;
                    courante = l % largeur_max;
                } else {
                    n += 1;
                    courante = l;
                    if l > largeur_max {
                        n += (l / largeur_max).ceil() as usize - 1;
                        courante = l % largeur_max;
                    }
                }
            }
            n
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_from_the_character_maps_is_the_table_of_every_code_point() {
        use super::{TABLE_JUSQUA, Table, couverts};
        // Every code point looked up in every face, as the table was first made.
        let lente = Table::de(&vec![true; TABLE_JUSQUA as usize]);
        let rapide = Table::de(&couverts());
        assert_eq!(rapide.dessinable, lente.dessinable);
        assert_eq!(rapide.avances, lente.avances);
        assert!(rapide.dessinable['é' as usize] && rapide.dessinable['☒' as usize]);
        assert!(!rapide.dessinable['\u{7}' as usize]);
    }

    #[test]
    fn widths_and_lines_from_the_font_metrics() {
        use super::{Graisse, largeur, lignes};
        // Liberation Sans has Arial's metrics: digits are 0.556 em.
        assert!((largeur("00", Graisse::Normale, 10.0) - 11.12).abs() < 0.01);
        assert!(largeur("Bold", Graisse::Grasse, 10.0) > largeur("Bold", Graisse::Normale, 10.0));
        assert_eq!(lignes("un deux trois", Graisse::Normale, 10.0, 1000.0), 1);
        assert_eq!(lignes("un deux\ntrois", Graisse::Normale, 10.0, 1000.0), 2);
        assert_eq!(lignes("un deux trois", Graisse::Normale, 10.0, 30.0), 3);
        assert!(largeur("▸☒", Graisse::Normale, 10.0) > 0.0);
    }

    #[test]
    fn french_text_and_boxes_print_emoji_do_not() {
        for c in "Éléonore Ça œuvre « À » ☒ ▢ ✓ – €".chars() {
            assert!(super::dessinable(c), "{c}");
        }
        for c in ['😀', '\u{0007}', '你'] {
            assert!(!super::dessinable(c), "{c}");
        }
    }
}
