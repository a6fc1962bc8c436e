//! `--pdf-officiel`: the filled official files printed to PDF by LibreOffice headless, the one
//! place where siodoc calls another program (the file is the circulaire's, only the program
//! that reads it renders it as its authors meant). Without LibreOffice, nothing is done and the
//! caller says so.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The LibreOffice program on the PATH, if installed.
pub fn soffice() -> Option<PathBuf> {
    let chemin = std::env::var_os("PATH")?;
    std::env::split_paths(&chemin)
        .flat_map(|d| ["soffice", "libreoffice"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// Longest a conversion run may take before it is stopped.
const DUREE_MAX: Duration = Duration::from_secs(600);

/// Converts each `(filled file, PDF to write)`; the PDFs are written atomically. Returns, for
/// each file, its PDF or why there is none.
pub fn convertir(
    programme: &Path,
    fichiers: &[(PathBuf, PathBuf)],
) -> Vec<(PathBuf, Result<(), String>)> {
    static SUIVANT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let travail = std::env::temp_dir().join(format!(
        "siodoc-pdf-officiel-{}-{}",
        std::process::id(),
        SUIVANT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let resultat = convertir_dans(programme, fichiers, &travail);
    let _ = std::fs::remove_dir_all(&travail);
    resultat
}

fn convertir_dans(
    programme: &Path,
    fichiers: &[(PathBuf, PathBuf)],
    travail: &Path,
) -> Vec<(PathBuf, Result<(), String>)> {
    let (entree, sortie) = (travail.join("entree"), travail.join("sortie"));
    if let Err(e) = std::fs::create_dir_all(&entree).and_then(|()| std::fs::create_dir_all(&sortie))
    {
        let m = format!(
            "dossier de travail impossible à créer ({})",
            crate::erreur::io_fr(&e)
        );
        return fichiers
            .iter()
            .map(|(_, p)| (p.clone(), Err(m.clone())))
            .collect();
    }
    // Numbered copies: two candidates' files never share a name in one run.
    let mut copies = Vec::new();
    for (i, (source, _)) in fichiers.iter().enumerate() {
        let ext = source
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("xlsx");
        let copie = entree.join(format!("{i:06}.{ext}"));
        copies.push(std::fs::copy(source, &copie).ok().map(|_| copie));
    }
    let lancer = |liste: &[&PathBuf]| -> Result<(), String> {
        let mut c = Command::new(programme);
        c.arg("--headless")
            .arg("--norestore")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                travail.join("profil").display()
            ))
            .arg("--convert-to")
            .arg("pdf")
            .arg("--outdir")
            .arg(&sortie)
            .args(liste)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut enfant = c.spawn().map_err(|e| {
            format!(
                "LibreOffice n'a pas pu être lancé ({})",
                crate::erreur::io_fr(&e)
            )
        })?;
        let debut = Instant::now();
        loop {
            match enfant.try_wait() {
                Ok(Some(_)) => return Ok(()),
                Ok(None) if debut.elapsed() > DUREE_MAX => {
                    let _ = enfant.kill();
                    let _ = enfant.wait();
                    return Err(format!(
                        "LibreOffice arrêté après {} s",
                        DUREE_MAX.as_secs()
                    ));
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(100)),
                Err(e) => return Err(crate::erreur::io_fr(&e)),
            }
        }
    };
    let pdf_de =
        |copie: &Path| sortie.join(copie.with_extension("pdf").file_name().unwrap_or_default());
    let a_faire: Vec<&PathBuf> = copies.iter().flatten().collect();
    let premier = lancer(&a_faire);
    // One call with many files has been seen to stop early: each missing one is tried alone.
    for copie in &a_faire {
        if !pdf_de(copie).is_file() {
            let _ = lancer(&[*copie]);
        }
    }
    fichiers
        .iter()
        .zip(&copies)
        .map(|((_, pdf), copie)| {
            let r = match copie {
                None => Err("copie du fichier rempli impossible".to_string()),
                Some(c) => match std::fs::read(pdf_de(c)) {
                    Ok(octets) => {
                        crate::fichier::ecrire_atomique(pdf, &octets).map_err(|e| e.to_string())
                    }
                    Err(_) => Err(match &premier {
                        Err(e) => e.clone(),
                        Ok(()) => "LibreOffice n'a pas produit de PDF pour ce fichier".to_string(),
                    }),
                },
            };
            (pdf.clone(), r)
        })
        .collect()
}
