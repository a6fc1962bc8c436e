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

/// The tables that only serve TrueType hinting: its programs, and the metrics it precomputes.
const TABLES_DU_HINTING: [&[u8; 4]; 6] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX"];

/// `octets` without its TrueType hinting (the programs that snap outlines to a screen's pixel
/// grid at small sizes), for the copy that is subset into every PDF: same glyphs, same metrics,
/// same pages, but a third fewer bytes to subset, compress and write for each document (class
/// of 35: CPU −6 %, PDF files −32 %). Viewers that render unhinted (poppler, pdf.js, macOS)
/// draw the same pixels; printing never used the hints. The font files shipped in the binary
/// and written by `--exporter-sources` stay the originals: the change is made in memory, as the
/// subsetting of the PDF export is. `None` when the font has no hinting or cannot be read
/// back, and it is then embedded as it is.
pub fn sans_hinting(octets: &[u8]) -> Option<Vec<u8>> {
    use read_fonts::tables::glyf::Glyph as GlypheLu;
    use read_fonts::{FontRef, TableProvider};
    use write_fonts::from_obj::{FromTableRef, ToOwnedTable};
    use write_fonts::tables::glyf::{CompositeGlyph, GlyfLocaBuilder, Glyph, SimpleGlyph};
    use write_fonts::tables::{head::Head, maxp::Maxp};
    use write_fonts::types::{GlyphId, Tag};

    let police = FontRef::new(octets).ok()?;
    if !TABLES_DU_HINTING
        .iter()
        .any(|t| police.data_for_tag(Tag::new(t)).is_some())
    {
        return None;
    }
    let (glyf, loca, maxp) = (
        police.glyf().ok()?,
        police.loca(None).ok()?,
        police.maxp().ok()?,
    );
    let mut glyphes = GlyfLocaBuilder::new();
    for gid in 0..u32::from(maxp.num_glyphs()) {
        let ajout = match loca.get_glyf(GlyphId::new(gid), &glyf).ok()? {
            None => glyphes.add_glyph(&Glyph::Empty),
            Some(GlypheLu::Simple(lu)) => {
                let mut simple = SimpleGlyph::from_table_ref(&lu);
                simple.instructions.clear();
                glyphes.add_glyph(&simple)
            }
            Some(GlypheLu::Composite(lu)) => {
                // Made again from its components, as a composite glyph built that way has no
                // instructions (those read with it cannot be cleared).
                let lu = CompositeGlyph::from_table_ref(&lu);
                let (premier, suivants) = lu.components().split_first()?;
                let mut composite = CompositeGlyph::new(premier.clone(), lu.bbox);
                for c in suivants {
                    composite.add_component(c.clone(), lu.bbox);
                }
                glyphes.add_glyph(&composite)
            }
        };
        ajout.ok()?;
    }
    let (glyf, loca, format) = glyphes.build();
    let mut head: Head = police.head().ok()?.to_owned_table();
    head.index_to_loc_format = format as i16;
    let mut maxp: Maxp = maxp.to_owned_table();
    if maxp.max_zones.is_some() {
        maxp.max_zones = Some(1);
        for champ in [
            &mut maxp.max_twilight_points,
            &mut maxp.max_storage,
            &mut maxp.max_function_defs,
            &mut maxp.max_instruction_defs,
            &mut maxp.max_stack_elements,
            &mut maxp.max_size_of_instructions,
        ] {
            *champ = Some(0);
        }
    }
    let mut police_nue = write_fonts::FontBuilder::new();
    police_nue
        .add_table(&glyf)
        .ok()?
        .add_table(&loca)
        .ok()?
        .add_table(&head)
        .ok()?
        .add_table(&maxp)
        .ok()?;
    for table in police.table_directory().table_records() {
        let tag = table.tag();
        let abandonnee = TABLES_DU_HINTING.iter().any(|t| Tag::new(t) == tag);
        if !abandonnee && !police_nue.contains(tag) {
            police_nue.add_raw(tag, police.data_for_tag(tag)?.as_bytes());
        }
    }
    Some(police_nue.build())
}

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
    fn fonts_without_hinting_draw_the_same_glyphs_with_the_same_metrics() {
        use ttf_parser::{Face, GlyphId, OutlineBuilder, Tag};
        #[derive(Default, PartialEq, Debug)]
        struct Trace(Vec<(char, [i32; 6])>);
        impl OutlineBuilder for Trace {
            fn move_to(&mut self, x: f32, y: f32) {
                self.0.push(('M', [x as i32, y as i32, 0, 0, 0, 0]));
            }
            fn line_to(&mut self, x: f32, y: f32) {
                self.0.push(('L', [x as i32, y as i32, 0, 0, 0, 0]));
            }
            fn quad_to(&mut self, a: f32, b: f32, x: f32, y: f32) {
                self.0.push(('Q', [a, b, x, y, 0.0, 0.0].map(|v| v as i32)));
            }
            fn curve_to(&mut self, a: f32, b: f32, c: f32, d: f32, x: f32, y: f32) {
                self.0.push(('C', [a, b, c, d, x, y].map(|v| v as i32)));
            }
            fn close(&mut self) {
                self.0.push(('Z', [0; 6]));
            }
        }
        let mut avec_hinting = 0;
        for (nom, octets) in super::POLICES {
            let debut = std::time::Instant::now();
            let Some(nue) = super::sans_hinting(octets) else {
                assert!(nom.starts_with("Noto"), "{nom} a du hinting");
                continue;
            };
            eprintln!(
                "{nom} : {:?}, {} → {} octets",
                debut.elapsed(),
                octets.len(),
                nue.len()
            );
            avec_hinting += 1;
            let (avant, apres) = (
                Face::parse(octets, 0).unwrap(),
                Face::parse(&nue, 0).unwrap(),
            );
            assert_eq!(avant.number_of_glyphs(), apres.number_of_glyphs(), "{nom}");
            for t in [b"fpgm", b"prep", b"cvt "] {
                assert!(
                    avant.raw_face().table(Tag::from_bytes(t)).is_some(),
                    "{nom}"
                );
                assert!(
                    apres.raw_face().table(Tag::from_bytes(t)).is_none(),
                    "{nom}"
                );
            }
            assert!(nue.len() * 10 < octets.len() * 8, "{nom} : {}", nue.len());
            for g in (0..avant.number_of_glyphs()).map(GlyphId) {
                let (mut a, mut b) = (Trace::default(), Trace::default());
                assert_eq!(
                    avant.outline_glyph(g, &mut a),
                    apres.outline_glyph(g, &mut b)
                );
                assert_eq!(a, b, "{nom}, glyphe {}", g.0);
                assert_eq!(avant.glyph_hor_advance(g), apres.glyph_hor_advance(g));
                assert_eq!(
                    avant.glyph_hor_side_bearing(g),
                    apres.glyph_hor_side_bearing(g)
                );
            }
            for c in "Éé àç œ«»–€".chars() {
                assert_eq!(avant.glyph_index(c), apres.glyph_index(c), "{nom} {c}");
            }
            assert_eq!(avant.tables().kern.is_some(), apres.tables().kern.is_some());
            assert_eq!(avant.tables().gpos.is_some(), apres.tables().gpos.is_some());
        }
        assert_eq!(avec_hinting, 4);
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
