//! ZIP containers (XLSX, ODS) checked before any spreadsheet reader sees them.
//!
//! Each entry is decompressed as a stream, a buffer at a time, and counted: a deflate bomb
//! (gigabytes from a few kilobytes) is refused at the limit without ever being held in memory.
//! The sheets' XML is scanned on the way for what makes a reader allocate: cell references and
//! repeat counts far away, an absurd shared-strings count. Only then is the file given to
//! calamine, whose own checks are not enough (calamine issue #684, the XFD allocation of #661).

use std::io::{BufReader, Read};
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{Nature, limites, octets_texte};
use crate::erreur::Erreur;

/// The kind of a ZIP container, from its entry names and its `mimetype`.
pub(super) fn nature_zip(f: std::fs::File) -> Nature {
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(f)) else {
        return Nature::ZipEndommage;
    };
    let a = |zip: &zip::ZipArchive<_>, nom: &str| zip.index_for_name(nom).is_some();
    if a(&zip, "xl/workbook.xml") {
        return Nature::Xlsx;
    }
    if a(&zip, "xl/workbook.bin") {
        return Nature::TableurNonLu {
            quoi: "un classeur Excel binaire (XLSB)",
            comment: "dans Excel, Fichier > Enregistrer sous, type « Classeur Excel (*.xlsx) »",
        };
    }
    if a(&zip, "Index/Document.iwa") || a(&zip, "Index.zip") {
        return Nature::TableurNonLu {
            quoi: "un document Numbers (Apple)",
            comment: "dans Numbers, Fichier > Exporter vers > Excel",
        };
    }
    if a(&zip, "word/document.xml") {
        return Nature::AutreZip("un document Word (DOCX)");
    }
    if a(&zip, "ppt/presentation.xml") {
        return Nature::AutreZip("une présentation PowerPoint (PPTX)");
    }
    let mut mimetype = String::new();
    if let Ok(e) = zip.by_name("mimetype") {
        let _ = e.take(100).read_to_string(&mut mimetype);
    }
    match mimetype.trim() {
        "application/vnd.oasis.opendocument.spreadsheet" => Nature::Ods,
        "application/vnd.oasis.opendocument.text" => {
            Nature::AutreZip("un document texte OpenDocument (ODT)")
        }
        m if m.starts_with("application/vnd.oasis.opendocument") => {
            Nature::AutreZip("un document OpenDocument qui n'est pas un classeur")
        }
        _ if a(&zip, "content.xml") => Nature::Ods,
        _ => Nature::AutreZip("une archive ZIP"),
    }
}

/// A reader that fails once more than `reste` bytes have come through it.
struct Borne<R> {
    interieur: R,
    lus: u64,
    limite: u64,
}

impl<R: Read> Read for Borne<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.interieur.read(buf)?;
        self.lus += n as u64;
        if self.lus > self.limite {
            return Err(std::io::Error::other(LIMITE_DEPASSEE));
        }
        Ok(n)
    }
}

const LIMITE_DEPASSEE: &str = "limite de taille dépassée";

/// Checks every entry of a workbook's ZIP container against [`limites`].
pub fn controler(chemin: &Path, nature: Nature) -> Result<(), Erreur> {
    let refus = |message: String| Erreur::Classeur {
        chemin: chemin.to_path_buf(),
        message,
    };
    let f = super::ouvrir(chemin, limites::TAILLE_FICHIER)?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f))
        .map_err(|_| refus(super::pas_un_classeur(Nature::ZipEndommage)))?;
    if zip.len() > limites::ENTREES_ZIP {
        return Err(refus(format!(
            "le conteneur ZIP compte {} entrées ; un classeur en a quelques dizaines (limite : {})",
            zip.len(),
            limites::ENTREES_ZIP
        )));
    }
    let mut total = 0u64;
    let mut cumul = Cumul::default();
    for i in 0..zip.len() {
        let entree = zip.by_index(i).map_err(|e| {
            refus(format!(
                "l'entrée n° {} du conteneur ZIP est illisible (détail : {e}) ; le fichier est endommagé : \
                 reprenez l'original",
                i + 1
            ))
        })?;
        let nom = entree.name().map(|n| n.into_owned()).unwrap_or_default();
        let limite = limites::TAILLE_ENTREE_ZIP.min(limites::TAILLE_ZIP - total);
        let mut lecteur = Borne {
            interieur: entree,
            lus: 0,
            limite,
        };
        let scan =
            if nature == Nature::Xlsx && nom.starts_with("xl/worksheets/") && nom.ends_with(".xml")
            {
                scanner_feuille_xlsx(&mut lecteur, &nom).and_then(|surface| {
                    cumul.ajouter(surface, "le classeur", "", &feuille_de(&nom), "")
                })
            } else if nature == Nature::Xlsx && nom == "xl/sharedStrings.xml" {
                scanner_chaines_xlsx(&mut lecteur)
            } else if nature == Nature::Ods && nom == "content.xml" {
                scanner_ods(&mut lecteur)
            } else {
                Ok(())
            };
        // Malformed XML is calamine's to report: the scan only looks for what allocates.
        let scan = match scan {
            Err(Probleme::Io(e)) if e.to_string() == XML_MALFORME => Ok(()),
            s => s,
        };
        // The rest of the entry (or all of it) is decompressed and counted too.
        let fin = scan.and_then(|()| {
            std::io::copy(&mut lecteur, &mut std::io::sink())
                .map(|_| ())
                .map_err(Probleme::Io)
        });
        match fin {
            Ok(()) => {}
            Err(Probleme::Io(e)) if e.to_string() == LIMITE_DEPASSEE => {
                return Err(refus(if limite < limites::TAILLE_ENTREE_ZIP {
                    format!(
                        "une fois décompressé, le contenu dépasse {} (à l'entrée « {nom} ») : fichier \
                         anormal (une « bombe » de compression ?) ; siodoc ne lit pas davantage",
                        octets_texte(limites::TAILLE_ZIP)
                    )
                } else {
                    format!(
                        "l'entrée « {nom} » dépasse {} une fois décompressée : fichier anormal (une « bombe » \
                         de compression ?) ; siodoc ne lit pas davantage",
                        octets_texte(limites::TAILLE_ENTREE_ZIP)
                    )
                }));
            }
            Err(Probleme::Io(e)) => {
                return Err(refus(format!(
                    "l'entrée « {nom} » du conteneur ZIP est endommagée (détail : {e}) ; reprenez l'original, \
                     ou ouvrez-le dans votre tableur et enregistrez-le de nouveau"
                )));
            }
            Err(Probleme::Limite(message)) => return Err(refus(message)),
        }
        total += lecteur.lus;
    }
    Ok(())
}

/// What an OLE compound file (XLS, or an encrypted XLSX) holds, after its structure has been
/// checked by the `cfb` crate: every sector chain followed to its end, a loop refused.
#[derive(Debug, PartialEq, Eq)]
pub enum ContenuOle {
    Classeur,
    /// An Office file encrypted with a password (EncryptionInfo stream).
    Chiffre,
}

/// Checks an OLE compound file before calamine reads it: calamine follows sector chains
/// without detecting a loop (and runs out of memory), and asserts on a damaged sector table;
/// `cfb` reports both as errors. The workbook stream is read to its end, within the limits.
pub fn controler_ole(chemin: &Path) -> Result<ContenuOle, Erreur> {
    let refus = |message: String| Erreur::Classeur {
        chemin: chemin.to_path_buf(),
        message,
    };
    let endommage = |e: std::io::Error| {
        refus(format!(
            "le fichier XLS (conteneur OLE) est endommagé ; reprenez l'original, ou ouvrez-le dans votre \
             tableur et enregistrez-le au format XLSX (détail : {e})"
        ))
    };
    let f = super::ouvrir(chemin, limites::TAILLE_FICHIER)?;
    let mut ole = cfb::CompoundFile::open(BufReader::new(f)).map_err(endommage)?;
    if ole.exists("/EncryptionInfo") || ole.exists("/EncryptedPackage") {
        return Ok(ContenuOle::Chiffre);
    }
    let Some(flux) = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| ole.is_stream(n))
    else {
        let quoi = if ole.exists("/WordDocument") {
            "c'est un document Word au format DOC, pas un classeur"
        } else if ole.exists("/PowerPoint Document") {
            "c'est une présentation PowerPoint au format PPT, pas un classeur"
        } else {
            "ce fichier OLE ne contient pas de classeur (ni flux Workbook, ni flux Book)"
        };
        return Err(refus(format!(
            "{quoi} ; passez le fichier du tableur (XLSX, ODS, XLS)"
        )));
    };
    let lecteur = ole.open_stream(flux).map_err(endommage)?;
    let mut borne = Borne {
        interieur: lecteur,
        lus: 0,
        limite: limites::TAILLE_ENTREE_ZIP,
    };
    let mut classeur = Vec::new();
    match borne.read_to_end(&mut classeur) {
        Ok(_) => {}
        Err(e) if e.to_string() == LIMITE_DEPASSEE => {
            return Err(refus(format!(
                "la feuille de calcul du fichier XLS dépasse {} : fichier anormal ; siodoc ne lit pas davantage",
                octets_texte(limites::TAILLE_ENTREE_ZIP)
            )));
        }
        Err(e) => return Err(endommage(e)),
    }
    scanner_biff(&classeur).map_err(|p| match p {
        Probleme::Limite(m) => refus(m),
        Probleme::Io(e) => endommage(e),
    })?;
    Ok(ContenuOle::Classeur)
}

/// The sheets of a BIFF workbook stream, read as calamine reads them: each from the offset its
/// BOUNDSHEET record gives (a crafted offset makes garbage look like cells), its cell records
/// (row and column in their first four bytes, a range of columns for MULRK/MULBLANK) and its
/// DIMENSIONS record checked against the same limits as an XLSX sheet: calamine reserves and
/// allocates the whole rectangle of an XLS sheet's cells.
fn scanner_biff(flux: &[u8]) -> Result<(), Probleme> {
    const BOF: u16 = 0x0809;
    const EOF: u16 = 0x000A;
    const BOUNDSHEET: u16 = 0x0085;
    // Records read in all, whatever the offsets: a bound on the work.
    let mut budget = 4_000_000usize;
    let enregistrements = |depart: usize| {
        let mut i = depart;
        std::iter::from_fn(move || {
            let entete = flux.get(i..i + 4)?;
            let genre = u16::from_le_bytes([entete[0], entete[1]]);
            let longueur = usize::from(u16::from_le_bytes([entete[2], entete[3]]));
            let donnees = flux.get(i + 4..i + 4 + longueur)?;
            i += 4 + longueur;
            Some((genre, donnees))
        })
    };
    let mut positions = Vec::new();
    for (genre, donnees) in enregistrements(0) {
        match genre {
            BOUNDSHEET if donnees.len() >= 4 => {
                positions.push(
                    u32::from_le_bytes([donnees[0], donnees[1], donnees[2], donnees[3]]) as usize,
                )
            }
            EOF => break,
            _ => {}
        }
    }
    // A sheet listed many times by crafted BOUNDSHEET records counts each time: calamine parses
    // it each time.
    let mut cumul = Cumul::default();
    let feuilles = format!("{} ", positions.len());
    for (n, position) in positions.into_iter().enumerate() {
        let ou = format!("la feuille n° {} du fichier XLS", n + 1);
        let mut etendue = Etendue::default();
        let mut annoncee = 0u64;
        let (mut vu_bof, mut profondeur) = (false, 0usize);
        for (genre, donnees) in enregistrements(position) {
            budget = budget.saturating_sub(1);
            if budget == 0 {
                return Err(Probleme::Limite(
                    "le fichier XLS a plus d'enregistrements qu'un classeur n'en a : fichier anormal".into(),
                ));
            }
            let mot = |k: usize| {
                donnees
                    .get(k..k + 2)
                    .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
            };
            let double = |k: usize| {
                donnees
                    .get(k..k + 4)
                    .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            };
            match genre {
                BOF if vu_bof => profondeur += 1,
                BOF => vu_bof = true,
                EOF if profondeur > 0 => profondeur -= 1,
                EOF => break,
                _ if profondeur > 0 => {}
                // DIMENSIONS, computed as calamine computes it (wrapping included).
                0x0200 if matches!(donnees.len(), 10 | 14 | 16) => {
                    let (rf, rl, cf, cl) = if donnees.len() == 10 {
                        (mot(0), mot(2), mot(4), mot(6))
                    } else {
                        (double(0), double(4), mot(8), mot(10))
                    };
                    if let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) {
                        let cf = if 0xFF < cf || cl < cf { 0 } else { cf };
                        let (lignes, colonnes) = if rl >= 1 && cl >= 1 {
                            (
                                (rl - 1).wrapping_sub(rf).wrapping_add(1) & 0xFFFF_FFFF,
                                (cl - 1).wrapping_sub(cf).wrapping_add(1) & 0xFFFF_FFFF,
                            )
                        } else {
                            (1, 1)
                        };
                        annoncee = annoncee.max(lignes.saturating_mul(colonnes));
                        if lignes.saturating_mul(colonnes) > limites::CELLULES {
                            return Err(Probleme::Limite(format!(
                                "{ou} annonce {lignes} lignes × {colonnes} colonnes ; siodoc lit au plus {} cellules \
                                 par feuille : le fichier est endommagé ou fabriqué",
                                limites::CELLULES
                            )));
                        }
                    }
                }
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA: one cell.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    if let (Some(l), Some(c)) = (mot(0), mot(2)) {
                        etendue.ajouter(l, c, &ou)?;
                    }
                }
                // MULRK: a row and a range of columns, the last one in the last two bytes.
                0x00BD if donnees.len() >= 6 => {
                    if let (Some(l), Some(c1), Some(c2)) = (mot(0), mot(2), mot(donnees.len() - 2))
                    {
                        etendue.ajouter(l, c1, &ou)?;
                        etendue.ajouter(l, c2.max(c1), &ou)?;
                    }
                }
                _ => {}
            }
        }
        cumul.ajouter(
            annoncee.max(etendue.surface()),
            "le fichier XLS",
            &feuilles,
            &format!("la feuille n° {}", n + 1),
            "-le au format XLSX",
        )?;
    }
    Ok(())
}

enum Probleme {
    Io(std::io::Error),
    Limite(String),
}

fn xml_erreur(e: quick_xml::Error) -> Probleme {
    match e {
        quick_xml::Error::Io(io) => Probleme::Io(std::io::Error::new(io.kind(), io.to_string())),
        _ => Probleme::Io(std::io::Error::other(XML_MALFORME)),
    }
}

const XML_MALFORME: &str = "XML malformé";

fn attribut(e: &BytesStart, nom: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == nom)
        .map(|a| a.value.to_string())
}

/// `(row, column)`, 0-based, of a reference such as « AB12 », within Excel's grid.
fn reference(texte: &str) -> Option<(u64, u64)> {
    let lettres = texte.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (l, c) = texte.split_at(lettres);
    if !(1..=3).contains(&l.len())
        || c.is_empty()
        || c.len() > 7
        || !c.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let colonne = l.bytes().fold(0u64, |n, b| {
        n * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
    });
    let ligne: u64 = c.parse().ok()?;
    // `then`, not `then_some`: the subtraction must not run for row 0.
    ((1..=1_048_576).contains(&ligne) && colonne <= 16_384).then(|| (ligne - 1, colonne - 1))
}

/// The rectangle of a sheet's cells that hold something, checked against the limits.
#[derive(Default)]
struct Etendue {
    lignes: u64,
    colonnes: u64,
    min_ligne: Option<u64>,
    min_colonne: Option<u64>,
}

impl Etendue {
    /// Cells of the rectangle from the first filled cell to the last: what calamine allocates.
    fn surface(&self) -> u64 {
        (self.lignes - self.min_ligne.unwrap_or(0))
            * (self.colonnes - self.min_colonne.unwrap_or(0))
    }

    fn ajouter(&mut self, ligne: u64, colonne: u64, ou: &str) -> Result<(), Probleme> {
        self.lignes = self.lignes.max(ligne + 1);
        self.colonnes = self.colonnes.max(colonne + 1);
        self.min_ligne = Some(self.min_ligne.map_or(ligne, |m| m.min(ligne)));
        self.min_colonne = Some(self.min_colonne.map_or(colonne, |m| m.min(colonne)));
        if self.lignes > limites::LIGNES as u64 {
            return Err(Probleme::Limite(format!(
                "{ou} a des valeurs jusqu'à la ligne {} ; siodoc lit au plus {} lignes par feuille : \
                 supprimez les lignes inutiles (ou le contenu isolé tout en bas) et enregistrez",
                self.lignes,
                limites::LIGNES
            )));
        }
        if self.colonnes > limites::COLONNES as u64 {
            return Err(Probleme::Limite(format!(
                "{ou} a des valeurs jusqu'à la colonne {} (n° {}) ; siodoc lit au plus {} colonnes par feuille : \
                 supprimez le contenu isolé à droite et enregistrez",
                crate::classeur::feuille::lettres_colonne(colonne as usize),
                self.colonnes,
                limites::COLONNES
            )));
        }
        if self.surface() > limites::CELLULES {
            return Err(Probleme::Limite(format!(
                "{ou} couvre plus de {} cellules ; siodoc n'en lit pas davantage par feuille",
                limites::CELLULES
            )));
        }
        Ok(())
    }
}

/// The rectangles of all the sheets of a workbook, added up as they are scanned: calamine
/// parses every sheet of an XLS or an ODS when it opens the file, and siodoc keeps every sheet
/// it has read until the whole workbook is read, so all the rectangles are held at once. Sheets
/// each just under the limit of one would otherwise fill the memory together.
#[derive(Default)]
struct Cumul(u64);

impl Cumul {
    /// Adds the rectangle of a sheet scanned to its end, then checks the sum (see `controler`).
    fn ajouter(
        &mut self,
        surface: u64,
        fichier: &str,
        feuilles: &str,
        ou: &str,
        format: &str,
    ) -> Result<(), Probleme> {
        self.0 = self.0.saturating_add(surface);
        self.controler(0, fichier, feuilles, ou, format)
    }

    /// Checks the sheets added so far with `en_cours`, the rectangle of the sheet `ou` being
    /// scanned, for the message: `fichier` (« le fichier XLS »…), `feuilles` their count when
    /// known (« 2 »), `format` what to save the file as (« -le au format XLSX »).
    fn controler(
        &self,
        en_cours: u64,
        fichier: &str,
        feuilles: &str,
        ou: &str,
        format: &str,
    ) -> Result<(), Probleme> {
        if self.0.saturating_add(en_cours) <= limites::CELLULES {
            return Ok(());
        }
        Err(Probleme::Limite(format!(
            "{fichier} couvre plus de {} cellules en tout sur ses {feuilles}feuilles (jusqu'à {ou}) ; \
             siodoc n'en lit pas davantage : le fichier est endommagé ou fabriqué, ou bien supprimez \
             les feuilles inutiles et enregistrez{format}",
            limites::CELLULES
        )))
    }
}

/// « la feuille « Candidats » », for messages.
fn feuille_de(nom: &str) -> String {
    format!("la feuille « {nom} »")
}

/// Scans one XLSX sheet; returns the cells of the rectangle that holds its values.
fn scanner_feuille_xlsx(lecteur: &mut impl Read, nom: &str) -> Result<u64, Probleme> {
    let ou = feuille_de(nom);
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(lecteur));
    let mut buf = Vec::new();
    let mut etendue = Etendue::default();
    let (mut ligne, mut colonne) = (0u64, 0u64);
    let reference_invalide = |r: &str| {
        Probleme::Limite(format!(
            "{ou} contient la référence de cellule « {} », hors de la grille d'un tableur (la dernière \
             cellule possible est XFD1048576) : le fichier est endommagé ou fabriqué ; reprenez l'original",
            r.chars().take(40).collect::<String>()
        ))
    };
    loop {
        buf.clear();
        let evenement = xml.read_event_into(&mut buf).map_err(xml_erreur)?;
        let (e, contenu) = match &evenement {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.local_name().as_ref() == "row" => {
                ligne += 1;
                colonne = 0;
                continue;
            }
            Event::Eof => return Ok(etendue.surface()),
            _ => continue,
        };
        match e.local_name().as_ref() {
            "dimension" => {
                if let Some(r) = attribut(e, "ref")
                    && !r.split(':').all(|p| reference(p).is_some())
                {
                    return Err(reference_invalide(&r));
                }
            }
            "row" => {
                if let Some(r) = attribut(e, "r") {
                    let n: u64 = r
                        .parse()
                        .ok()
                        .filter(|n| (1..=1_048_576).contains(n))
                        .ok_or_else(|| reference_invalide(&format!("ligne {r}")))?;
                    ligne = n - 1;
                }
                colonne = 0;
                if !contenu {
                    ligne += 1;
                }
            }
            "c" => {
                if let Some(r) = attribut(e, "r") {
                    let (l, c) = reference(&r).ok_or_else(|| reference_invalide(&r))?;
                    ligne = l;
                    colonne = c;
                }
                if contenu {
                    etendue.ajouter(ligne, colonne, &ou)?;
                }
                colonne += 1;
            }
            _ => {}
        }
    }
}

fn scanner_chaines_xlsx(lecteur: &mut impl Read) -> Result<(), Probleme> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(lecteur));
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match xml.read_event_into(&mut buf).map_err(xml_erreur)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                for cle in ["uniqueCount", "count"] {
                    if let Some(n) = attribut(&e, cle) {
                        let trop = n
                            .trim()
                            .parse::<u64>()
                            .map_or(n.trim().len() > 19, |n| n > limites::CHAINES_PARTAGEES);
                        if trop {
                            return Err(Probleme::Limite(format!(
                                "la table des textes du classeur (xl/sharedStrings.xml) annonce {} textes ; \
                                 siodoc en accepte au plus {} : le fichier est endommagé ou fabriqué",
                                n.chars().take(30).collect::<String>(),
                                limites::CHAINES_PARTAGEES
                            )));
                        }
                    }
                }
                return Ok(());
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn repetition(e: &BytesStart, nom: &str, ou: &str) -> Result<u64, Probleme> {
    match attribut(e, nom) {
        None => Ok(1),
        Some(v) => v.trim().parse::<u64>().map_err(|_| {
            Probleme::Limite(format!(
                "{ou} : nombre de répétitions « {} » illisible ; le fichier est endommagé",
                v.chars().take(30).collect::<String>()
            ))
        }),
    }
}

fn scanner_ods(lecteur: &mut impl Read) -> Result<(), Probleme> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(lecteur));
    let mut buf = Vec::new();
    let mut etendue = Etendue::default();
    let mut cumul = Cumul::default();
    let mut feuille = String::new();
    let (mut ligne, mut colonne) = (0u64, 0u64);
    let mut repetitions_ligne = 1u64;
    loop {
        buf.clear();
        let evenement = xml.read_event_into(&mut buf).map_err(xml_erreur)?;
        let (e, enfants) = match &evenement {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                ligne += repetitions_ligne;
                continue;
            }
            Event::Eof => return Ok(()),
            _ => continue,
        };
        let ou = feuille_de(&feuille);
        match e.name().as_ref() {
            "table:table" => {
                feuille = attribut(e, "table:name").unwrap_or_default();
                // The sheet before this one is done (`ou` still names it).
                cumul.ajouter(etendue.surface(), "le fichier ODS", "", &ou, "")?;
                etendue = Etendue::default();
                ligne = 0;
            }
            "table:table-row" => {
                repetitions_ligne = repetition(e, "table:number-rows-repeated", &ou)?;
                colonne = 0;
                if !enfants {
                    ligne = ligne.saturating_add(repetitions_ligne);
                }
            }
            "table:table-cell" | "table:covered-table-cell" => {
                let n = repetition(e, "table:number-columns-repeated", &ou)?;
                let rempli = enfants || attribut(e, "office:value-type").is_some();
                if rempli && n > 0 {
                    let derniere = ligne.saturating_add(repetitions_ligne - 1);
                    etendue.ajouter(ligne, colonne, &ou)?;
                    etendue.ajouter(derniere, colonne.saturating_add(n - 1), &ou)?;
                    // Checked as the sheet grows, not at its end: a sheet whose XML breaks
                    // later is read by calamine up to the break.
                    cumul.controler(etendue.surface(), "le fichier ODS", "", &ou, "")?;
                }
                colonne = colonne.saturating_add(n);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::reference;

    #[test]
    fn references_within_the_grid() {
        assert_eq!(reference("A1"), Some((0, 0)));
        assert_eq!(reference("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(reference("XFE1"), None);
        assert_eq!(reference("A1048577"), None);
        assert_eq!(reference("ZZZZZZ99999999999"), None);
        assert_eq!(reference("A0"), None);
        // Found by fuzzing (fuzz/artifacts/classeur_xlsx): row 0 underflowed before the check.
        assert_eq!(reference("B0"), None);
    }
}
