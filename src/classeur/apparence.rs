//! What a cell looks like, when no value holds what a person sees in it: a fill, a diagonal
//! cross, a struck-through text, a shape or a text box drawn over it.
//!
//! About one filled official tableau in four ticks a box or chooses its option that way
//! (official-layouts.md §5). Values come from calamine; the look comes from calamine's cell
//! styles (XLSX), from the drawings' anchors (`xl/drawings/*.xml`) and, for ODS, from
//! `content.xml` (automatic cell styles and `draw:*` frames anchored in cells). The container
//! has been checked by [`crate::entree::conteneur`] before any of this is read.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use serde::{Deserialize, Serialize};

use super::feuille::Feuille;

/// The look of one cell, 0-based row and column, when it carries something a reader of values
/// would miss.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Apparence {
    pub ligne: u32,
    pub colonne: u32,
    /// Solid fill colour, (r, g, b), when not white.
    pub remplissage: Option<[u8; 3]>,
    /// A diagonal border: one line or a cross over the cell.
    pub diagonale: bool,
    /// The cell's text is struck through.
    pub barre: bool,
    /// A shape, text box or picture anchored over the cell: its text (« X », « ✖ »), or
    /// « forme » / « image » when it has none.
    pub dessin: Option<String>,
}

impl Apparence {
    /// A shape drawn over a cell: its text, or its kind (« forme », « image ») when it has none.
    fn dessin(ligne: u32, colonne: u32, texte: &str, genre: &str) -> Apparence {
        let t = texte.trim();
        Apparence {
            ligne,
            colonne,
            dessin: Some(if t.is_empty() { genre } else { t }.to_string()),
            ..Apparence::default()
        }
    }

    fn a_quelque_chose(&self) -> bool {
        self.remplissage.is_some() || self.diagonale || self.barre || self.dessin.is_some()
    }
}

/// Adds what a cell shows to the sheet's looks, kept sorted by (row, column) so that
/// [`Feuille::apparence`] finds a cell by binary search.
fn ajouter(feuille: &mut Feuille, a: Apparence) {
    if !a.a_quelque_chose() {
        return;
    }
    match feuille
        .apparences
        .binary_search_by_key(&(a.ligne, a.colonne), |e| (e.ligne, e.colonne))
    {
        Ok(i) => {
            let e = &mut feuille.apparences[i];
            e.remplissage = e.remplissage.or(a.remplissage);
            e.diagonale |= a.diagonale;
            e.barre |= a.barre;
            if e.dessin.is_none() {
                e.dessin = a.dessin;
            }
        }
        Err(i) => feuille.apparences.insert(i, a),
    }
}

/// The cell styles of an XLSX workbook, sheet by sheet (calamine reads them).
pub fn styles_xlsx<R: Read + std::io::Seek>(
    classeur: &mut calamine::Xlsx<R>,
    feuilles: &mut [Feuille],
) {
    for f in feuilles.iter_mut() {
        let Ok(styles) = classeur.worksheet_style(&f.nom) else {
            continue;
        };
        // Only where the sheet has values, cell by cell (binary search in calamine's runs): a
        // mark is on a row of the tableau, and a style spread over a whole sheet would otherwise
        // be walked over billions of cells.
        let hauteur = f.lignes.len() as u32;
        let largeur = f.lignes.iter().map(Vec::len).max().unwrap_or(0) as u32;
        let positions = (0..hauteur).flat_map(|l| (0..largeur).map(move |c| (l, c)));
        for (ligne, colonne) in positions {
            let Some(style) = styles.get((ligne, colonne)) else {
                continue;
            };
            let remplissage = style
                .fill
                .as_ref()
                .filter(|r| r.pattern == calamine::FillPattern::Solid)
                .and_then(|r| r.get_color())
                .filter(|c| !c.is_white())
                .map(|c| [c.red, c.green, c.blue]);
            let diagonale = style
                .borders
                .as_ref()
                .is_some_and(|b| b.diagonal_down.is_visible() || b.diagonal_up.is_visible());
            let barre = style.font.as_ref().is_some_and(|p| p.has_strikethrough());
            ajouter(
                f,
                Apparence {
                    ligne,
                    colonne,
                    remplissage,
                    diagonale,
                    barre,
                    dessin: None,
                },
            );
        }
    }
}

fn attribut(e: &BytesStart, nom: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == nom)
        .map(|a| a.value.to_string())
}

type Zip = zip::ZipArchive<BufReader<std::fs::File>>;

/// The workbook's container (already checked by `entree::conteneur`).
fn ouvrir_zip(chemin: &Path) -> Option<Zip> {
    let f = crate::entree::ouvrir(chemin, crate::entree::limites::TAILLE_FICHIER).ok()?;
    zip::ZipArchive::new(BufReader::new(f)).ok()
}

fn lire_entree(zip: &mut Zip, nom: &str) -> Option<String> {
    let mut texte = String::new();
    zip.by_name(nom)
        .ok()?
        .take(crate::entree::limites::TAILLE_ENTREE_ZIP)
        .read_to_string(&mut texte)
        .ok()?;
    Some(texte)
}

/// `Id → Target` of a relationships part.
fn relations(xml: &str) -> HashMap<String, String> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut sortie = HashMap::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                if let (Some(id), Some(cible)) = (attribut(&e, "Id"), attribut(&e, "Target")) {
                    sortie.insert(id, cible);
                }
            }
            Ok(Event::Eof) | Err(_) => return sortie,
            _ => {}
        }
    }
}

/// A path of the package from a relationship target, relative to `dossier` (« xl/worksheets »).
fn resoudre(dossier: &str, cible: &str) -> String {
    if let Some(absolu) = cible.strip_prefix('/') {
        return absolu.to_string();
    }
    let mut parties: Vec<&str> = dossier.split('/').filter(|p| !p.is_empty()).collect();
    for p in cible.split('/') {
        match p {
            ".." => {
                parties.pop();
            }
            "." | "" => {}
            autre => parties.push(autre),
        }
    }
    parties.join("/")
}

/// The shapes and pictures of an XLSX workbook, each at the cell its anchor starts in.
pub fn dessins_xlsx(chemin: &Path, feuilles: &mut [Feuille]) {
    let Some(mut zip) = ouvrir_zip(chemin) else {
        return;
    };
    let Some(classeur) = lire_entree(&mut zip, "xl/workbook.xml") else {
        return;
    };
    let rels = lire_entree(&mut zip, "xl/_rels/workbook.xml.rels")
        .map(|x| relations(&x))
        .unwrap_or_default();
    // Sheet name → sheet part.
    let mut parties = Vec::new();
    let mut r = quick_xml::Reader::from_str(&classeur);
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == "sheet" => {
                let id = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "id")
                    .map(|a| a.value.to_string());
                if let (Some(nom), Some(cible)) =
                    (attribut(&e, "name"), id.and_then(|i| rels.get(&i).cloned()))
                {
                    parties.push((nom, resoudre("xl", &cible)));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    for (nom, partie) in parties {
        let Some(feuille) = feuilles.iter_mut().find(|f| f.nom == nom) else {
            continue;
        };
        let (dossier, fichier) = partie.rsplit_once('/').unwrap_or(("", partie.as_str()));
        let Some(rels_feuille) = lire_entree(&mut zip, &format!("{dossier}/_rels/{fichier}.rels"))
        else {
            continue;
        };
        for cible in relations(&rels_feuille).values() {
            if !cible.contains("drawings/") || cible.contains("vmlDrawing") {
                continue;
            }
            if let Some(xml) = lire_entree(&mut zip, &resoudre(dossier, cible)) {
                ancres_xlsx(&xml, feuille);
            }
        }
    }
}

/// The anchors of one drawing part: `xdr:from` gives the cell, the shape's text (if any)
/// what it shows.
fn ancres_xlsx(xml: &str, feuille: &mut Feuille) {
    let mut r = quick_xml::Reader::from_str(xml);
    let (mut ligne, mut colonne) = (None::<u32>, None::<u32>);
    let mut dans_from = false;
    let mut champ: Option<&str> = None;
    let mut texte = String::new();
    let mut genre = "forme";
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => {
                    (ligne, colonne) = (None, None);
                    texte.clear();
                    genre = "forme";
                }
                "from" => dans_from = true,
                "row" if dans_from => champ = Some("row"),
                "col" if dans_from => champ = Some("col"),
                "pic" => genre = "image",
                "t" => champ = Some("t"),
                _ => {}
            },
            Ok(Event::Text(t)) => {
                let valeur = t.xml10_content().into_owned();
                match champ {
                    Some("row") => ligne = valeur.trim().parse().ok(),
                    Some("col") => colonne = valeur.trim().parse().ok(),
                    Some("t") => texte.push_str(&valeur),
                    _ => {}
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "from" => dans_from = false,
                "row" | "col" | "t" => champ = None,
                "twoCellAnchor" | "oneCellAnchor" | "absoluteAnchor" => {
                    if ligne.is_none() || colonne.is_none() {
                        feuille.dessins_libres += 1;
                    }
                    if let (Some(l), Some(c)) = (ligne, colonne) {
                        ajouter(feuille, Apparence::dessin(l, c, &texte, genre));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => return,
            _ => {}
        }
    }
}

/// An ODS cell style: what of it shows a mark.
#[derive(Clone, Default)]
struct StyleOds {
    remplissage: Option<[u8; 3]>,
    diagonale: bool,
    barre: bool,
}

fn couleur(texte: &str) -> Option<[u8; 3]> {
    let h = texte.trim().strip_prefix('#')?;
    if h.len() != 6 {
        return None;
    }
    let octet = |i: usize| u8::from_str_radix(h.get(i..i + 2)?, 16).ok();
    let c = [octet(0)?, octet(2)?, octet(4)?];
    (c != [255, 255, 255]).then_some(c)
}

/// Fills, diagonals, struck-through text and frames anchored in cells, from an ODS
/// `content.xml`.
pub fn apparences_ods(chemin: &Path, feuilles: &mut [Feuille]) {
    let Some(mut zip) = ouvrir_zip(chemin) else {
        return;
    };
    let Some(xml) = lire_entree(&mut zip, "content.xml") else {
        return;
    };
    let mut styles: HashMap<String, StyleOds> = HashMap::new();
    let mut style_courant: Option<String> = None;
    let mut r = quick_xml::Reader::from_str(&xml);
    let mut feuille: Option<usize> = None;
    let (mut ligne, mut colonne) = (0u32, 0u32);
    let mut repetitions_ligne = 1u32;
    // The open cell: its position, and whether a frame inside has been met (with its text).
    let mut cellule: Option<(u32, u32)> = None;
    let mut dessin: Option<String> = None;
    let mut dans_dessin = 0u32;
    // Depth inside a shape not anchored to a cell (its inner draw:* elements are not counted).
    let mut dans_dessin_libre = 0u32;
    loop {
        let evenement = match r.read_event() {
            Ok(Event::Eof) | Err(_) => return,
            Ok(e) => e,
        };
        let (e, ouvert) = match &evenement {
            Event::Start(e) => (Some(e), true),
            Event::Empty(e) => (Some(e), false),
            _ => (None, false),
        };
        if let Some(e) = e {
            let nom = e.name();
            match nom.as_ref() {
                "style:style" => {
                    style_courant = attribut(e, "style:name");
                    if let Some(n) = &style_courant {
                        styles.entry(n.clone()).or_default();
                    }
                }
                "style:table-cell-properties" => {
                    if let Some(s) = style_courant.as_ref().and_then(|n| styles.get_mut(n)) {
                        s.remplissage =
                            attribut(e, "fo:background-color").and_then(|c| couleur(&c));
                        s.diagonale = ["style:diagonal-tl-br", "style:diagonal-bl-tr"]
                            .iter()
                            .any(|a| attribut(e, a).is_some_and(|v| v != "none"));
                    }
                }
                "style:text-properties" => {
                    if let Some(s) = style_courant.as_ref().and_then(|n| styles.get_mut(n)) {
                        s.barre = attribut(e, "style:text-line-through-style")
                            .is_some_and(|v| v != "none");
                    }
                }
                "table:table" => {
                    let n = attribut(e, "table:name").unwrap_or_default();
                    feuille = feuilles.iter().position(|f| f.nom == n);
                    ligne = 0;
                }
                "table:table-row" => {
                    repetitions_ligne = attribut(e, "table:number-rows-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    colonne = 0;
                    if !ouvert {
                        ligne = ligne.saturating_add(repetitions_ligne);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" => {
                    let n: u32 = attribut(e, "table:number-columns-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    // A style repeated over many cells is a template's, not a tick: only a few
                    // neighbouring cells of a single row count.
                    if n <= 8
                        && repetitions_ligne == 1
                        && let (Some(i), Some(s)) = (
                            feuille,
                            attribut(e, "table:style-name").and_then(|s| styles.get(&s).cloned()),
                        )
                    {
                        for k in 0..n {
                            ajouter(
                                &mut feuilles[i],
                                Apparence {
                                    ligne,
                                    colonne: colonne.saturating_add(k),
                                    remplissage: s.remplissage,
                                    diagonale: s.diagonale,
                                    barre: s.barre,
                                    dessin: None,
                                },
                            );
                        }
                    }
                    if ouvert {
                        cellule = Some((ligne, colonne));
                    }
                    colonne = colonne.saturating_add(n);
                }
                // A shape in the sheet's own shapes (anchored to the page): no cell to read it in.
                n if n.starts_with("draw:") && cellule.is_none() && feuille.is_some() => {
                    if let Some(i) = feuille.filter(|_| dans_dessin_libre == 0) {
                        feuilles[i].dessins_libres += 1;
                    }
                    if ouvert {
                        dans_dessin_libre += 1;
                    }
                }
                n if n.starts_with("draw:") && cellule.is_some() => {
                    if dans_dessin == 0 {
                        dessin = Some(String::new());
                    }
                    if ouvert {
                        dans_dessin += 1;
                    }
                    if n == "draw:image" && dessin.as_deref() == Some("") {
                        dessin = Some("image".into());
                    }
                }
                _ => {}
            }
        }
        match &evenement {
            Event::Text(t) if dans_dessin > 0 => {
                if let Some(d) = dessin.as_mut().filter(|d| d.as_str() != "image") {
                    d.push_str(&t.xml10_content());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "style:style" => style_courant = None,
                "table:table-row" => ligne = ligne.saturating_add(repetitions_ligne),
                "table:table-cell" | "table:covered-table-cell" => {
                    if let (Some((l, c)), Some(d), Some(i)) = (cellule, dessin.take(), feuille) {
                        ajouter(&mut feuilles[i], Apparence::dessin(l, c, &d, "forme"));
                    }
                    cellule = None;
                    dans_dessin = 0;
                }
                n if n.starts_with("draw:") && dans_dessin > 0 => dans_dessin -= 1,
                n if n.starts_with("draw:") && dans_dessin_libre > 0 => dans_dessin_libre -= 1,
                _ => {}
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shapes_at_a_cell_are_marks_and_shapes_at_a_position_are_counted() {
        let xml = r#"<xdr:wsDr xmlns:xdr="x" xmlns:a="a">
            <xdr:twoCellAnchor><xdr:from><xdr:col>7</xdr:col><xdr:row>3</xdr:row></xdr:from>
              <xdr:sp><xdr:txBody><a:p><a:r><a:t>✖</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:twoCellAnchor>
            <xdr:absoluteAnchor><xdr:pos x="1" y="2"/><xdr:sp/></xdr:absoluteAnchor>
        </xdr:wsDr>"#;
        let mut f = super::Feuille::default();
        super::ancres_xlsx(xml, &mut f);
        assert_eq!(
            f.apparence(3, 7).and_then(|a| a.dessin.as_deref()),
            Some("✖")
        );
        assert_eq!(f.dessins_libres, 1);
    }

    #[test]
    fn relationship_targets_resolve_within_the_package() {
        assert_eq!(
            super::resoudre("xl/worksheets", "../drawings/drawing1.xml"),
            "xl/drawings/drawing1.xml"
        );
        assert_eq!(
            super::resoudre("xl", "worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
        assert_eq!(
            super::resoudre("xl", "/xl/worksheets/sheet2.xml"),
            "xl/worksheets/sheet2.xml"
        );
    }
}
