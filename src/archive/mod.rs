//! Archiving a class: the generated documents (from the index `generer` leaves) and the signed
//! scans, each with its SHA-256 and SHA-512, a manifest, a `sha256sum -c` file, in one ZIP whose
//! bytes depend on the content only; optionally sealed with a certificate. And the check of such
//! an archive, file by file and signature by signature.
//!
//! `constitution` builds an archive, `controle` checks one; `pades` and `cms` sign and check
//! signatures, `certificat` reads the sealing certificate.

pub mod certificat;
pub mod cms;
mod constitution;
mod controle;
pub mod pades;

pub use constitution::{Archive, Remarque, Sceau, archiver, controler_pdf};
pub use controle::{Controle, Ecart, verifier};

use serde::{Deserialize, Serialize};

pub const MANIFESTE: &str = "manifeste.json";
pub const SOMMES: &str = "SHA256SUMS";
pub const NON_ATTRIBUES: &str = "non-attribués";
/// Detached CMS signature of the manifest, when the archive is sealed.
pub const SIGNATURE_MANIFESTE: &str = "manifeste.json.p7s";
/// What a sealed PDF's `signature` field says.
pub const PADES: &str = "PAdES B-B";

/// One archived file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fichier {
    /// Path inside the archive.
    pub chemin: String,
    pub taille: u64,
    pub sha256: String,
    pub sha512: String,
    pub type_media: String,
    /// PDF/A level read from the file's metadata, such as « 2B ».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pdfa: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidat: Option<String>,
    /// « tableau-de-synthese », « fiche-1 », « scan », « synthese-classe »…
    pub document: String,
    pub session: u16,
    /// « PAdES B-B » for a PDF siodoc signed while archiving.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifeste {
    pub siodoc: String,
    pub classe: String,
    pub session: u16,
    pub profil: serde_json::Value,
    /// Holder of the certificate that sealed the archive, « CN=…,O=… ».
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sceau: Option<String>,
    pub fichiers: Vec<Fichier>,
}

/// The first 16 characters of a digest, for messages; the manifest may hold anything.
pub(crate) fn debut(empreinte: &str) -> String {
    empreinte.chars().take(16).collect()
}

pub(crate) fn hex(octets: &[u8]) -> String {
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether a path written in an index, a manifest or a ZIP stays inside its folder: relative,
/// made of plain names only (no `..`, no root, no drive).
pub(crate) fn chemin_sur(chemin: &str) -> bool {
    use std::path::Component;
    !chemin.is_empty()
        && !chemin.contains('\\')
        && !chemin.contains('\0')
        && std::path::Path::new(chemin)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// The files under `dossier`, subfolders included, as (path relative to it with `/`
/// separators, full path), sorted by that path; a file or folder whose name `ignorer` accepts is
/// left out with its content. Symbolic links are never followed (neither out of the folder nor
/// in a loop): their paths are returned apart.
pub(crate) struct Parcours {
    pub fichiers: Vec<(String, std::path::PathBuf)>,
    pub liens: Vec<String>,
}

pub(crate) fn fichiers_sous(
    dossier: &std::path::Path,
    ignorer: &dyn Fn(&str) -> bool,
) -> std::io::Result<Parcours> {
    fn descendre(
        base: &std::path::Path,
        d: &std::path::Path,
        ignorer: &dyn Fn(&str) -> bool,
        sortie: &mut Parcours,
    ) -> std::io::Result<()> {
        for e in std::fs::read_dir(d)? {
            let e = e?;
            let p = e.path();
            let nom = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if ignorer(&nom) {
                continue;
            }
            let relatif = p
                .strip_prefix(base)
                .unwrap_or(&p)
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            // `DirEntry::file_type` does not follow links.
            let genre = e.file_type()?;
            if genre.is_symlink() {
                sortie.liens.push(relatif);
            } else if genre.is_dir() {
                descendre(base, &p, ignorer, sortie)?;
            } else if genre.is_file() {
                sortie.fichiers.push((relatif, p));
            }
        }
        Ok(())
    }
    let mut parcours = Parcours {
        fichiers: Vec::new(),
        liens: Vec::new(),
    };
    descendre(dossier, dossier, ignorer, &mut parcours)?;
    parcours.fichiers.sort();
    parcours.liens.sort();
    Ok(parcours)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_that_leave_their_folder_are_refused() {
        for bon in ["BTS SIO 26/MARTIN_Léa/fiche-1.pdf", "a.pdf"] {
            assert!(super::chemin_sur(bon), "{bon}");
        }
        for mauvais in [
            "../../etc/passwd",
            "/etc/passwd",
            "a/../../b",
            "./a",
            "",
            "a\\..\\b",
            "C:\\x",
        ] {
            assert!(!super::chemin_sur(mauvais), "{mauvais}");
        }
    }
}
