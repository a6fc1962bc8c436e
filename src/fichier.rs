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
    // Only a regular file is ever replaced: renaming over /dev/full or a named pipe would
    // replace the device itself.
    if let Ok(m) = std::fs::symlink_metadata(chemin)
        && !m.file_type().is_file()
    {
        return Err(Erreur::Ecriture {
            chemin: chemin.to_path_buf(),
            detail: if m.is_dir() {
                "c'est un dossier ; donnez le nom du fichier à écrire".into()
            } else {
                "ce n'est pas un fichier ordinaire (périphérique, tube ou lien) : siodoc ne le remplace pas ; \
                 choisissez un autre nom"
                    .into()
            },
        });
    }
    let temporaire = dossier.join(nom_temporaire(&nom));
    // `create_new`: never through a link or over a file left there by someone else.
    let creer = || {
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temporaire)
    };
    let fichier = match creer() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let _ = std::fs::remove_file(&temporaire);
            creer()
        }
        autre => autre,
    }
    .map_err(erreur)?;
    // The content reaches the disk before the name does, and the name before we say done: a
    // power cut leaves the old file or the new one, never an empty one.
    let copie = fichier.try_clone().map_err(erreur)?;
    let resultat = ecrire(fichier).and_then(|r| {
        copie.sync_all().map_err(erreur)?;
        drop(copie);
        std::fs::rename(&temporaire, chemin).map_err(erreur)?;
        if let Ok(d) = std::fs::File::open(dossier) {
            let _ = d.sync_all();
        }
        Ok(r)
    });
    if resultat.is_err() {
        let _ = std::fs::remove_file(&temporaire);
    }
    resultat
}

/// The temporary file `ecrire_atomique` writes `nom` into, beside it: hidden, and marked with
/// this process's id so that two runs never share one.
fn nom_temporaire(nom: &str) -> String {
    format!(".{nom}.{}.tmp", std::process::id())
}

/// Removes the temporary files this process left under `dossier` (a run stopped while a file
/// was being written), a few levels deep, never following links.
pub fn retirer_temporaires(dossier: &std::path::Path) {
    fn retirer(dossier: &std::path::Path, suffixe: &str, profondeur: usize) {
        let Ok(entrees) = std::fs::read_dir(dossier) else {
            return;
        };
        for e in entrees.flatten() {
            let Ok(genre) = e.file_type() else { continue };
            let nom = e.file_name().to_string_lossy().into_owned();
            if genre.is_dir() && profondeur < 8 {
                retirer(&e.path(), suffixe, profondeur + 1);
            } else if genre.is_file() && nom.starts_with('.') && nom.ends_with(suffixe) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    retirer(dossier, &nom_temporaire(""), 0);
}

/// Checks, before any work, that `chemin` (given as `argument`) is a folder siodoc can write
/// in, or can be created in a folder it can write in: a file, a device, /proc or a read-only
/// place is refused with the argument named. Nothing is left behind.
pub fn preparer_dossier(chemin: &std::path::Path, argument: &'static str) -> Result<(), Erreur> {
    let refus = |detail: String| Erreur::Dossier {
        argument,
        chemin: chemin.to_path_buf(),
        detail,
    };
    // The folder itself, or the nearest existing folder above it.
    let mut existant = chemin.to_path_buf();
    loop {
        match std::fs::metadata(&existant) {
            Ok(m) if m.is_dir() => break,
            Ok(_) if existant == chemin => {
                return Err(refus(
                    "ce n'est pas un dossier ; passez le dossier où écrire".into(),
                ));
            }
            Ok(_) => {
                return Err(refus(format!(
                    "« {} » n'est pas un dossier : impossible d'y créer le dossier de sortie",
                    existant.display()
                )));
            }
            Err(_) => match existant.parent() {
                Some(p) if !p.as_os_str().is_empty() => existant = p.to_path_buf(),
                _ => {
                    existant = std::path::PathBuf::from(".");
                    break;
                }
            },
        }
    }
    let essai = existant.join(format!(".siodoc-essai-{}", std::process::id()));
    let ecrit = std::fs::File::create(&essai).and_then(|mut f| {
        use std::io::Write;
        f.write_all(b"siodoc")?;
        f.sync_all()
    });
    let _ = std::fs::remove_file(&essai);
    ecrit.map_err(|e| {
        refus(format!(
            "on ne peut pas écrire dans « {} » ({})",
            existant.display(),
            crate::erreur::io_fr(&e)
        ))
    })
}

/// Checks that a folder given as `argument` exists and can be read.
pub fn dossier_existant(chemin: &std::path::Path, argument: &'static str) -> Result<(), Erreur> {
    let refus = |detail: String| Erreur::Dossier {
        argument,
        chemin: chemin.to_path_buf(),
        detail,
    };
    match std::fs::metadata(chemin) {
        Ok(m) if m.is_dir() => std::fs::read_dir(chemin)
            .map(|_| ())
            .map_err(|e| refus(crate::erreur::io_fr(&e))),
        Ok(_) => Err(refus("ce n'est pas un dossier".into())),
        Err(e) => Err(refus(crate::erreur::io_fr(&e))),
    }
}
