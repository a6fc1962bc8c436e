//! Writing outputs safely: never a half-written file where a teacher expects a document.

use crate::Erreur;

/// Writes a file atomically: a temporary file in the same folder, then a rename.
pub fn ecrire_atomique(chemin: &std::path::Path, contenu: &[u8]) -> Result<(), Erreur> {
    ecrire_atomique_avec(chemin, |mut f| {
        use std::io::Write;
        f.write_all(contenu).map_err(|e| Erreur::Ecriture {
            chemin: chemin.to_path_buf(),
            detail: crate::erreur::io_fr(&e),
        })
    })
}

/// The same for a file written piece by piece: `ecrire` fills the temporary file, which takes
/// the name `chemin` only if it succeeds, and is removed otherwise.
pub fn ecrire_atomique_avec<T>(
    chemin: &std::path::Path,
    ecrire: impl FnOnce(std::fs::File) -> Result<T, Erreur>,
) -> Result<T, Erreur> {
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
    let fichier = std::fs::File::create(&temporaire).map_err(erreur)?;
    let resultat = ecrire(fichier).and_then(|r| {
        std::fs::rename(&temporaire, chemin).map_err(erreur)?;
        Ok(r)
    });
    if resultat.is_err() {
        let _ = std::fs::remove_file(&temporaire);
    }
    resultat
}
