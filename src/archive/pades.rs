//! PAdES B-B signatures of PDF files: an incremental update (the original bytes are kept as they
//! are, so their PDF/A conformance is too) adding an invisible signature field whose value is a
//! detached CAdES signature of every byte but its own.

use lopdf::{Dictionary, IncrementalDocument, Object, StringFormat, dictionary};
use sha2::{Digest, Sha256};

use super::certificat::Certificat;
use super::cms::{self, Signataire};

/// Bytes reserved for the CMS signature: room for a 4096-bit key and a chain of a few
/// certificates, and under PDF/A's 32 767-byte string limit.
const RESERVE: usize = 16_384;

/// Stands for each ByteRange number until the offsets are known; as wide as any real one.
const PROVISOIRE: i64 = 9_999_999_999;

/// What a PDF's last signature says.
#[derive(Debug, Clone, PartialEq)]
pub enum EtatSignature {
    Absente,
    Valide(Signataire),
    Invalide(String),
}

fn chercher(octets: &[u8], motif: &[u8], depuis: usize) -> Option<usize> {
    octets
        .get(depuis..)?
        .windows(motif.len())
        .position(|w| w == motif)
        .map(|p| p + depuis)
}

/// Signs `pdf` with `certificat`; `moment` is the signing time, written in the signature
/// dictionary as PAdES asks.
pub fn signer(
    pdf: &[u8],
    certificat: &Certificat,
    moment: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<u8>, String> {
    let lopdf = |e: lopdf::Error| format!("structure PDF non reconnue ({e})");
    let precedent = lopdf::Document::load_mem(pdf).map_err(lopdf)?;
    let mut doc = IncrementalDocument::create_from(pdf.to_vec(), precedent);
    let ancien = doc.get_prev_documents();
    let racine = ancien
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(lopdf)?;
    let page = *ancien
        .get_pages()
        .values()
        .next()
        .ok_or("le document n'a aucune page")?;
    if ancien.catalog().map_err(lopdf)?.has(b"AcroForm") {
        return Err("le document a déjà un formulaire (AcroForm) : signature non prévue".into());
    }
    let annotations_existantes = match ancien.get_dictionary(page).map_err(lopdf)?.get(b"Annots") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(Object::Reference(id)) => ancien
            .get_object(*id)
            .and_then(Object::as_array)
            .map_err(lopdf)?
            .clone(),
        _ => Vec::new(),
    };

    let nouveau = &mut doc.new_document;
    let signature = nouveau.add_object(dictionary! {
        "Type" => "Sig",
        "Filter" => "Adobe.PPKLite",
        "SubFilter" => "ETSI.CAdES.detached",
        "ByteRange" => vec![Object::Integer(0), PROVISOIRE.into(), PROVISOIRE.into(), PROVISOIRE.into()],
        "Contents" => Object::String(vec![0; RESERVE], StringFormat::Hexadecimal),
        "M" => Object::string_literal(moment.format("D:%Y%m%d%H%M%S+00'00'").to_string()),
        "Reason" => Object::string_literal("Scellement des dossiers d'examen (siodoc)"),
    });
    // Invisible (zero-size) and printable: PDF/A wants no appearance for such a widget.
    let champ = nouveau.add_object(dictionary! {
        "Type" => "Annot",
        "Subtype" => "Widget",
        "FT" => "Sig",
        "T" => Object::string_literal("Signature siodoc"),
        "V" => signature,
        "P" => page,
        "Rect" => vec![0.into(), 0.into(), 0.into(), 0.into()],
        "F" => 132,
    });
    doc.opt_clone_object_to_new_document(page).map_err(lopdf)?;
    doc.opt_clone_object_to_new_document(racine)
        .map_err(lopdf)?;
    let nouveau = &mut doc.new_document;
    let mut annotations = annotations_existantes;
    annotations.push(champ.into());
    nouveau
        .get_object_mut(page)
        .and_then(Object::as_dict_mut)
        .map_err(lopdf)?
        .set("Annots", annotations);
    let formulaire: Dictionary = dictionary! {
        "Fields" => vec![champ.into()],
        "SigFlags" => 3,
    };
    nouveau
        .get_object_mut(racine)
        .and_then(Object::as_dict_mut)
        .map_err(lopdf)?
        .set("AcroForm", formulaire);

    let mut sortie = Vec::with_capacity(pdf.len() + 2 * RESERVE + 4096);
    doc.save_to(&mut sortie)
        .map_err(|e| format!("écriture impossible ({e})"))?;

    // Where the placeholders landed, in the appended part only.
    let debut_ajout = pdf.len();
    let zeros = vec![b'0'; 2 * RESERVE];
    let a = chercher(&sortie, &zeros, debut_ajout)
        .and_then(|p| p.checked_sub(1))
        .filter(|&p| sortie[p] == b'<')
        .ok_or("emplacement de la signature introuvable")?;
    let b = a + 2 * RESERVE + 2;
    let plage = chercher(&sortie, b"/ByteRange", debut_ajout)
        .ok_or("emplacement de /ByteRange introuvable")?;
    let ouvre = chercher(&sortie, b"[", plage).ok_or("/ByteRange illisible")?;
    let ferme = chercher(&sortie, b"]", ouvre).ok_or("/ByteRange illisible")?;
    let valeurs = format!("0 {a} {b} {}", sortie.len() - b);
    let largeur = ferme - ouvre - 1;
    if valeurs.len() > largeur {
        return Err("document trop grand pour être signé".into());
    }
    sortie[ouvre + 1..ferme].copy_from_slice(format!("{valeurs:<largeur$}").as_bytes());

    let mut empreinte = Sha256::new();
    empreinte.update(&sortie[..a]);
    empreinte.update(&sortie[b..]);
    let cms = cms::signer(certificat, &empreinte.finalize())?;
    if cms.len() > RESERVE {
        return Err(format!(
            "signature de {} octets, plus que les {RESERVE} réservés (chaîne de certificats trop longue)",
            cms.len()
        ));
    }
    let hexa: String = cms.iter().map(|o| format!("{o:02X}")).collect();
    sortie[a + 1..a + 1 + hexa.len()].copy_from_slice(hexa.as_bytes());
    Ok(sortie)
}

/// Reads the four numbers of the /ByteRange that starts at `debut`.
fn plage_signee(pdf: &[u8], debut: usize) -> Option<[usize; 4]> {
    let ouvre = chercher(pdf, b"[", debut)?;
    let ferme = chercher(pdf, b"]", ouvre)?;
    let texte = std::str::from_utf8(&pdf[ouvre + 1..ferme]).ok()?;
    let nombres: Vec<usize> = texte
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    nombres.try_into().ok()
}

/// Checks the last signature of `pdf`: that it covers the whole file, and that the signed bytes
/// are unchanged.
pub fn verifier(pdf: &[u8]) -> EtatSignature {
    let motif = b"/ByteRange";
    let Some(position) = pdf.windows(motif.len()).rposition(|w| w == motif) else {
        return EtatSignature::Absente;
    };
    let Some([debut, a, b, longueur]) = plage_signee(pdf, position + motif.len()) else {
        return EtatSignature::Invalide("plage signée (/ByteRange) illisible".into());
    };
    if debut != 0 || a >= b || b > pdf.len() || pdf[a] != b'<' || pdf[b - 1] != b'>' {
        return EtatSignature::Invalide("plage signée (/ByteRange) incohérente".into());
    }
    if b + longueur != pdf.len() {
        return EtatSignature::Invalide(
            "le fichier a été complété ou tronqué après la signature".into(),
        );
    }
    let hexa = &pdf[a + 1..b - 1];
    let chiffre = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let Some(cms) = hexa
        .chunks(2)
        .map(|p| Some(chiffre(p[0])? << 4 | chiffre(*p.get(1)?)?))
        .collect::<Option<Vec<u8>>>()
    else {
        return EtatSignature::Invalide("valeur de signature (/Contents) illisible".into());
    };
    // The DER ends where its outer length says; the rest is padding.
    let cms = longueur_der(&cms).map_or(&cms[..], |n| &cms[..n.min(cms.len())]);
    let mut empreinte = Sha256::new();
    empreinte.update(&pdf[..a]);
    empreinte.update(&pdf[b..]);
    match cms::verifier(cms, &empreinte.finalize()) {
        Ok(s) => EtatSignature::Valide(s),
        Err(e) => EtatSignature::Invalide(e),
    }
}

/// Total length of the DER element at the start of `octets`.
fn longueur_der(octets: &[u8]) -> Option<usize> {
    let premier = *octets.get(1)? as usize;
    if premier < 0x80 {
        return Some(2 + premier);
    }
    let n = premier & 0x7f;
    let mut longueur = 0usize;
    for &o in octets.get(2..2 + n)? {
        longueur = longueur.checked_mul(256)? + o as usize;
    }
    Some(2 + n + longueur)
}
