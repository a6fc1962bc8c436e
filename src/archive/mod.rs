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

pub use constitution::{Archive, Remarque, Sceau, archiver};
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
