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

/// Whether the documents can print `c`: a font has it, or it is a line break, a tab, or an
/// invisible formatting character that is never drawn.
pub fn dessinable(c: char) -> bool {
    matches!(c, '\n' | '\r' | '\t')
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
        || (!c.is_control() && faces().iter().any(|f| f.glyph_index(c).is_some()))
}

#[cfg(test)]
mod tests {
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
