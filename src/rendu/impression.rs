//! Print-ready class files: every candidate's copy of one kind of document, in class order, in
//! one PDF that a teacher sends to the printer at once. They are made by merging the PDFs
//! already rendered (lopdf), never by laying the documents out a second time, so each page is
//! byte for byte the page of the candidate's own file.
//!
//! The merged file stays PDF/A: it keeps the fonts, images and output intent of its parts and
//! gets its own XMP metadata claiming the part of the standard its parts claim. The parts'
//! structure trees are left out (they describe one document each), so a part claiming PDF/A
//! level A is merged as level B, the level that does not need them.

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat, dictionary};
use sha2::{Digest, Sha256};

/// What the merged file says of itself.
pub struct Assemblage<'a> {
    pub titre: &'a str,
    pub auteur: &'a str,
    /// Date of the documents (the same as the parts', for reproducible bytes).
    pub date: (u16, u8, u8),
    /// Adds a blank page after a part with an odd page count, so that every candidate starts
    /// on a recto when printed on both sides.
    pub recto_verso: bool,
}

/// One part read and made ready to merge: its own structure tree (which describes that part
/// alone and is not carried over) already dropped, so that a merge holds no part's tree.
/// Parts are read apart from each other (in parallel, most of a merge's work); the merge
/// itself ([`assembler`]) then only numbers and joins them.
pub struct Piece {
    doc: Document,
    /// What the merged file's /ID is made from: the part's own (stable) /ID, or its bytes.
    empreinte: Vec<u8>,
}

impl Piece {
    /// `Err` says why the PDF cannot be read (a PDF siodoc wrote and that changed since, for
    /// instance).
    pub fn lire(octets: &[u8]) -> Result<Piece, String> {
        let mut doc = Document::load_mem(octets).map_err(|e| format!("illisible ({e})"))?;
        // Hashing the /ID is enough: no need to hash every byte.
        let empreinte = match doc.trailer.get(b"ID") {
            Ok(id) => format!("{id:?}").into_bytes(),
            Err(_) => octets.to_vec(),
        };
        if let Ok(racine) = doc.trailer.get(b"Root").and_then(Object::as_reference)
            && let Ok(catalogue) = doc.get_dictionary_mut(racine)
        {
            catalogue.remove(b"StructTreeRoot");
        }
        doc.prune_objects();
        doc.catalog().map_err(|e| format!("sans catalogue ({e})"))?;
        Ok(Piece { doc, empreinte })
    }
}

/// The parts merged into one, in the given order. `Err` names the part that could not be
/// merged, by its rank.
pub fn assembler(
    parts: impl IntoIterator<Item = Piece>,
    a: &Assemblage,
) -> Result<Vec<u8>, String> {
    let mut sortie = Document::with_version("1.7");
    let racine_pages = sortie.new_object_id();
    let mut pages: Vec<ObjectId> = Vec::new();
    let mut intention: Option<Object> = None;
    let mut norme: Option<(String, String)> = None;
    let mut empreinte = Sha256::new();
    for (
        n,
        Piece {
            mut doc,
            empreinte: cle,
        },
    ) in parts.into_iter().enumerate()
    {
        empreinte.update(&cle);
        doc.renumber_objects_with(sortie.max_id + 1);
        let catalogue = doc
            .catalog()
            .map_err(|e| format!("document n° {} sans catalogue ({e})", n + 1))?
            .clone();
        if n == 0 {
            intention = catalogue.get(b"OutputIntents").ok().cloned();
            norme = xmp_du_catalogue(&doc, &catalogue).and_then(|x| norme_pdfa(&x));
        }
        // Each page with what it inherits from its old tree, then hung on the new one.
        let ids: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let mut nouvelles: BTreeMap<ObjectId, Dictionary> = BTreeMap::new();
        let mut boite = None;
        for id in &ids {
            let mut page = doc
                .get_dictionary(*id)
                .map_err(|e| format!("document n° {} : page illisible ({e})", n + 1))?
                .clone();
            for cle in [&b"MediaBox"[..], b"Resources", b"CropBox", b"Rotate"] {
                if !page.has(cle)
                    && let Some(v) = herite(&doc, &page, cle)
                {
                    page.set(cle, v);
                }
            }
            page.set("Parent", racine_pages);
            // The structure tree is not carried over: nothing refers to it any more.
            page.remove(b"StructParents");
            boite = page.get(b"MediaBox").ok().cloned();
            nouvelles.insert(*id, page);
        }
        let ecartes: Vec<ObjectId> = doc
            .objects
            .iter()
            .filter(|(_, o)| {
                o.as_dict().is_ok_and(|d| {
                    d.get(b"Type")
                        .and_then(Object::as_name)
                        .is_ok_and(|t| t == b"Pages" || t == b"Catalog")
                })
            })
            .map(|(id, _)| *id)
            .collect();
        sortie.max_id = sortie.max_id.max(doc.max_id);
        for (id, objet) in std::mem::take(&mut doc.objects) {
            if ecartes.contains(&id) {
                continue;
            }
            let objet = match nouvelles.remove(&id) {
                Some(page) => Object::Dictionary(page),
                None => objet,
            };
            sortie.objects.insert(id, objet);
        }
        pages.extend(&ids);
        if a.recto_verso && ids.len() % 2 == 1 {
            let blanche = sortie.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => racine_pages,
                "MediaBox" => boite.unwrap_or_else(|| vec![0.into(), 0.into(), 595.28.into(), 841.89.into()].into()),
                "Resources" => Dictionary::new(),
            });
            pages.push(blanche);
        }
    }
    sortie.objects.insert(
        racine_pages,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => pages.iter().map(|p| Object::Reference(*p)).collect::<Vec<_>>(),
            "Count" => pages.len() as i64,
        }),
    );
    let (annee, mois, jour) = a.date;
    let createur = format!("siodoc {}", env!("CARGO_PKG_VERSION"));
    let mut catalogue = dictionary! {
        "Type" => "Catalog",
        "Pages" => racine_pages,
        "Lang" => Object::string_literal("fr"),
    };
    let date_pdf = format!("D:{annee:04}{mois:02}{jour:02}000000+00'00'");
    let info = sortie.add_object(dictionary! {
        "Title" => texte_pdf(a.titre),
        "Author" => texte_pdf(a.auteur),
        "Creator" => texte_pdf(&createur),
        "Producer" => texte_pdf(&createur),
        "CreationDate" => Object::string_literal(date_pdf.clone()),
        "ModDate" => Object::string_literal(date_pdf),
    });
    let identifiant = empreinte.finalize()[..16].to_vec();
    if let Some((partie, niveau)) = &norme {
        let xmp = xmp(a, &createur, partie, niveau, pages.len(), &identifiant);
        let mut flux = Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            xmp.into_bytes(),
        );
        // PDF/A wants the metadata readable without a filter.
        flux.allows_compression = false;
        catalogue.set("Metadata", sortie.add_object(flux));
        if let Some(i) = intention {
            catalogue.set("OutputIntents", i);
        }
    }
    let racine = sortie.add_object(catalogue);
    sortie.trailer.set("Root", racine);
    sortie.trailer.set("Info", info);
    let id = Object::String(identifiant, StringFormat::Hexadecimal);
    sortie.trailer.set("ID", vec![id.clone(), id]);
    // The parts' structure trees, info dictionaries and metadata are no longer referenced.
    sortie.prune_objects();
    let mut octets = Vec::new();
    sortie
        .save_to(&mut octets)
        .map_err(|e| format!("écriture impossible ({e})"))?;
    Ok(octets)
}

/// An inherited page attribute, looked up the page's old `Parent` chain (bounded: a loop in a
/// damaged tree must not hang).
fn herite(doc: &Document, page: &Dictionary, cle: &[u8]) -> Option<Object> {
    let mut parent = page.get(b"Parent").and_then(Object::as_reference).ok();
    for _ in 0..32 {
        let d = doc.get_dictionary(parent?).ok()?;
        if let Ok(v) = d.get(cle) {
            return Some(v.clone());
        }
        parent = d.get(b"Parent").and_then(Object::as_reference).ok();
    }
    None
}

fn xmp_du_catalogue(doc: &Document, catalogue: &Dictionary) -> Option<String> {
    let id = catalogue
        .get(b"Metadata")
        .and_then(Object::as_reference)
        .ok()?;
    let flux = doc.get_object(id).and_then(Object::as_stream).ok()?;
    let contenu = flux
        .decompressed_content()
        .unwrap_or_else(|_| flux.content.clone());
    String::from_utf8(contenu).ok()
}

/// The PDF/A part and level a part's XMP claims: level A is merged as B (no structure tree).
fn norme_pdfa(xmp: &str) -> Option<(String, String)> {
    let entre = |balise: &str| {
        let debut = xmp.find(&format!("<pdfaid:{balise}>"))? + balise.len() + "<pdfaid:>".len();
        let fin = xmp[debut..].find('<')?;
        Some(xmp[debut..debut + fin].trim().to_string())
    };
    let partie = entre("part")?;
    let niveau = match entre("conformance")?.as_str() {
        "A" | "a" => "B".to_string(),
        n => n.to_uppercase(),
    };
    Some((partie, niveau))
}

fn xmp(
    a: &Assemblage,
    createur: &str,
    partie: &str,
    niveau: &str,
    pages: usize,
    identifiant: &[u8],
) -> String {
    use xmp_writer::{DateTime, LangId, XmpWriter};
    let (annee, mois, jour) = a.date;
    let date = DateTime {
        year: annee,
        month: Some(mois),
        day: Some(jour),
        hour: Some(0),
        minute: Some(0),
        second: Some(0),
        timezone: Some(xmp_writer::Timezone::Utc),
    };
    let mut x = XmpWriter::new();
    x.title([(Some(LangId("x-default")), a.titre)]);
    x.creator([a.auteur]);
    x.creator_tool(createur);
    x.producer(createur);
    x.create_date(date);
    x.modify_date(date);
    x.format("application/pdf");
    x.language([LangId("fr")]);
    x.num_pages(pages as u32);
    x.document_id(&crate::archive::hex(identifiant));
    x.pdfa_part(partie.parse().unwrap_or(2));
    x.pdfa_conformance(niveau);
    x.finish(None)
}

/// A text string of the PDF info dictionary: UTF-16BE with its byte order mark, the encoding
/// every reader accepts for accented text.
fn texte_pdf(t: &str) -> Object {
    let mut octets = vec![0xFE, 0xFF];
    for u in t.encode_utf16() {
        octets.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(octets, StringFormat::Hexadecimal)
}
