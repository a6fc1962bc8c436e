//! Opening any file a user hands to siodoc, safely: only regular files, within documented
//! limits, recognised by their content rather than their extension.
//!
//! Every reader of the crate (workbooks, CSV, official tableaux, indexes, manifests,
//! certificates) goes through here first, so that a pipe never blocks, a symbolic-link loop or
//! a bomb never reaches a dependency, and each kind of wrong file gets its own French diagnosis.

pub mod conteneur;
pub mod isolement;

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::erreur::{Erreur, io_fr};

/// The limits of every reader, documented in the README (« Limites »).
pub mod limites {
    /// Largest input file: a class of 1 000 candidates is about 5 MB in XLSX.
    pub const TAILLE_FICHIER: u64 = 200 << 20;
    /// Largest decompressed entry of a ZIP container (XLSX, ODS).
    pub const TAILLE_ENTREE_ZIP: u64 = 200 << 20;
    /// Largest decompressed content of a whole ZIP container.
    pub const TAILLE_ZIP: u64 = 500 << 20;
    /// Most entries in a ZIP container.
    pub const ENTREES_ZIP: usize = 10_000;
    /// Most rows of a sheet (a promotion of 10 000 candidates with 20 réalisations each).
    pub const LIGNES: usize = 200_000;
    /// Most columns of a sheet.
    pub const COLONNES: usize = 1_000;
    /// Most cells of the rectangle that holds a sheet's values (memory of the reader).
    pub const CELLULES: u64 = 10_000_000;
    /// Most shared strings announced by an XLSX.
    pub const CHAINES_PARTAGEES: u64 = 2_000_000;
    /// Longest cell text kept: Excel's own limit. Longer texts are cut one character past it,
    /// so that the verifier still sees (and reports) that they are too long.
    pub const LONGUEUR_CELLULE: usize = 32_767;
    /// Most nested symbolic links followed.
    pub const PROFONDEUR_LIENS: usize = 8;
    /// Memory allowed to the process that reads a workbook (see [`super::isolement`]).
    pub const MEMOIRE_LECTURE: u64 = 3 << 30;
    /// Time allowed to read one workbook, in seconds.
    pub const DUREE_LECTURE: u64 = 60;
}

/// What a file is, from its first bytes (and, for a ZIP, its entry names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nature {
    Vide,
    /// An Office Open XML workbook (XLSX, XLSM).
    Xlsx,
    /// An OpenDocument spreadsheet (ODS).
    Ods,
    /// A ZIP of another kind: a Word or Writer document, a plain archive…
    AutreZip(&'static str),
    /// A ZIP that cannot be read: truncated or damaged.
    ZipEndommage,
    /// A spreadsheet in a format siodoc does not read (XLSB, Numbers, flat ODS, a Google
    /// Sheets shortcut): what it is, and how to save it as one siodoc reads.
    TableurNonLu {
        quoi: &'static str,
        comment: &'static str,
    },
    /// An OLE compound file: XLS, or an encrypted XLSX.
    Ole,
    Pdf,
    Gzip,
    /// Text encoded in UTF-16 (a CSV saved as « Unicode text »).
    TexteUtf16,
    /// Plain text: a CSV or a TSV.
    Texte,
    Inconnue,
}

fn erreur(chemin: &Path, message: impl Into<String>) -> Erreur {
    Erreur::Lecture {
        chemin: chemin.to_path_buf(),
        detail: message.into(),
    }
}

/// Resolves symbolic links one at a time, at most [`limites::PROFONDEUR_LIENS`] deep, and
/// checks that the target is a regular file (or a folder when `dossier_permis`): a named pipe
/// would block forever, a device would never end.
pub fn resoudre(
    chemin: &Path,
    dossier_permis: bool,
) -> Result<(PathBuf, std::fs::Metadata), Erreur> {
    use std::os::unix::fs::FileTypeExt;
    let mut courant = chemin.to_path_buf();
    for _ in 0..=limites::PROFONDEUR_LIENS {
        let meta = std::fs::symlink_metadata(&courant).map_err(|e| erreur(chemin, io_fr(&e)))?;
        let genre = meta.file_type();
        if genre.is_symlink() {
            let cible = std::fs::read_link(&courant).map_err(|e| erreur(chemin, io_fr(&e)))?;
            courant = match courant.parent() {
                Some(p) if cible.is_relative() => p.join(cible),
                _ => cible,
            };
            continue;
        }
        let refus = if genre.is_fifo() {
            Some("c'est un tube nommé (FIFO), pas un fichier")
        } else if genre.is_char_device() || genre.is_block_device() {
            Some("c'est un périphérique, pas un fichier")
        } else if genre.is_socket() {
            Some("c'est une socket, pas un fichier")
        } else if genre.is_dir() && !dossier_permis {
            Some("c'est un dossier ; passez un fichier")
        } else {
            None
        };
        if let Some(r) = refus {
            return Err(erreur(chemin, r));
        }
        return Ok((courant, meta));
    }
    Err(erreur(
        chemin,
        format!(
            "plus de {} liens symboliques à suivre (une boucle de liens ?) ; passez le fichier lui-même",
            limites::PROFONDEUR_LIENS
        ),
    ))
}

/// Opens a regular file for reading, after [`resoudre`], and refuses it past `taille_max`.
pub fn ouvrir(chemin: &Path, taille_max: u64) -> Result<std::fs::File, Erreur> {
    let (reel, meta) = resoudre(chemin, false)?;
    if meta.len() > taille_max {
        return Err(erreur(
            chemin,
            format!(
                "le fichier fait {} ; siodoc lit au plus {} par fichier",
                octets_texte(meta.len()),
                octets_texte(taille_max)
            ),
        ));
    }
    std::fs::File::open(&reel).map_err(|e| erreur(chemin, io_fr(&e)))
}

/// Reads a whole regular file, within `taille_max` (checked again while reading, in case the
/// file grows).
pub fn lire(chemin: &Path, taille_max: u64) -> Result<Vec<u8>, Erreur> {
    let f = ouvrir(chemin, taille_max)?;
    let mut octets = Vec::new();
    f.take(taille_max + 1)
        .read_to_end(&mut octets)
        .map_err(|e| erreur(chemin, io_fr(&e)))?;
    if octets.len() as u64 > taille_max {
        return Err(erreur(
            chemin,
            format!(
                "le fichier dépasse {} ; siodoc n'en lit pas davantage",
                octets_texte(taille_max)
            ),
        ));
    }
    Ok(octets)
}

/// « 12,5 Mo », for messages.
pub fn octets_texte(n: u64) -> String {
    if n >= 1 << 30 {
        format!("{:.1} Go", n as f64 / (1u64 << 30) as f64).replace('.', ",")
    } else if n >= 1 << 20 {
        format!("{:.1} Mo", n as f64 / (1u64 << 20) as f64).replace('.', ",")
    } else if n >= 1 << 10 {
        format!("{} Ko", n >> 10)
    } else {
        format!("{n} octets")
    }
}

/// What the file at `chemin` is, from its content (the extension is never trusted).
pub fn nature(chemin: &Path) -> Result<Nature, Erreur> {
    let mut f = ouvrir(chemin, limites::TAILLE_FICHIER)?;
    let mut debut = [0u8; 512];
    let mut lus = 0;
    while lus < debut.len() {
        match f.read(&mut debut[lus..]) {
            Ok(0) => break,
            Ok(n) => lus += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(erreur(chemin, io_fr(&e))),
        }
    }
    let debut = &debut[..lus];
    Ok(match debut {
        [] => Nature::Vide,
        [b'P', b'K', 3, 4, ..] | [b'P', b'K', 5, 6, ..] => conteneur::nature_zip(f),
        [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => Nature::Ole,
        [b'%', b'P', b'D', b'F', ..] => Nature::Pdf,
        [0x1F, 0x8B, ..] => Nature::Gzip,
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => Nature::TexteUtf16,
        _ if contient(debut, b"<?xml") && contient(debut, b"opendocument.spreadsheet") => {
            Nature::TableurNonLu {
                quoi: "un classeur OpenDocument « à plat » (FODS)",
                comment: "dans LibreOffice, Fichier > Enregistrer sous, type « Classeur ODF (.ods) »",
            }
        }
        _ if contient(debut, b"docs.google.com") && contient(debut, b"\"doc_id\"") => {
            Nature::TableurNonLu {
                quoi: "un raccourci vers une feuille Google Sheets (le classeur lui-même est en ligne)",
                comment: "ouvrez la feuille dans Google Sheets, puis Fichier > Télécharger > \
                          Microsoft Excel (.xlsx)",
            }
        }
        _ if debut
            .iter()
            .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
            && (std::str::from_utf8(debut).is_ok() || debut.iter().all(|&b| b != 0x7F)) =>
        {
            Nature::Texte
        }
        _ => Nature::Inconnue,
    })
}

fn contient(octets: &[u8], motif: &[u8]) -> bool {
    octets.windows(motif.len()).any(|w| w == motif)
}

/// The French diagnosis of a file that is not a workbook, and what to do about it.
pub fn pas_un_classeur(nature: Nature) -> String {
    match nature {
        Nature::Vide => {
            "le fichier est vide (0 octet) ; il a peut-être été mal copié ou mal téléchargé : \
             reprenez l'original"
                .into()
        }
        Nature::Pdf => {
            "c'est un PDF, pas un classeur ; passez le fichier du tableur (XLSX, ODS, XLS)".into()
        }
        Nature::Gzip => {
            "c'est une archive compressée gzip, pas un classeur ; décompressez-la d'abord".into()
        }
        Nature::TexteUtf16 => {
            "c'est un fichier texte en UTF-16 (« texte Unicode ») ; enregistrez-le en CSV \
             UTF-8 (séparateur point-virgule), avec l'extension .csv"
                .into()
        }
        Nature::Texte => "c'est un fichier texte (CSV ?), pas un classeur ; s'il s'agit d'un CSV, \
             renommez-le avec l'extension .csv"
            .into(),
        Nature::ZipEndommage => {
            "l'archive ZIP du classeur est tronquée ou endommagée (fichier incomplet ?) ; \
             reprenez l'original, ou ouvrez-le dans votre tableur et enregistrez-le de nouveau"
                .into()
        }
        Nature::AutreZip(quoi) => {
            format!("c'est {quoi}, pas un classeur ; passez le fichier du tableur (XLSX, ODS, XLS)")
        }
        Nature::TableurNonLu { quoi, comment } => {
            format!(
                "c'est {quoi}, un format que siodoc ne lit pas ; enregistrez-le en XLSX ou ODS : {comment}"
            )
        }
        Nature::Inconnue => {
            "ce n'est pas un classeur (ni XLSX, ni ODS, ni XLS, ni CSV) ; ouvrez-le dans votre \
             tableur et enregistrez-le au format XLSX"
                .into()
        }
        Nature::Xlsx | Nature::Ods | Nature::Ole => String::new(),
    }
}
