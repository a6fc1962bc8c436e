//! Writing outputs safely: never a half-written file where a teacher expects a document.

use crate::Erreur;

/// Writes a file atomically: a temporary file in the same folder, then a rename.
pub fn ecrire_atomique(chemin: &std::path::Path, contenu: &[u8]) -> Result<(), Erreur> {
    let erreur = |e: std::io::Error| Erreur::Ecriture {
        chemin: chemin.to_path_buf(),
        detail: crate::erreur::io_fr(&e),
    };
    let dossier = chemin
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let nom = chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporaire = dossier.join(format!(".{nom}.{}.tmp", std::process::id()));
    std::fs::write(&temporaire, contenu).map_err(erreur)?;
    std::fs::rename(&temporaire, chemin).map_err(|e| {
        let _ = std::fs::remove_file(&temporaire);
        erreur(e)
    })
}
