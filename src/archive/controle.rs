//! Checking an archive: every digest against the manifest and SHA256SUMS, every signature.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256, Sha512};

use super::{
    Fichier, MANIFESTE, Manifeste, SIGNATURE_MANIFESTE, SOMMES, cms, debut, fichiers_sous, hex,
    pades,
};
use crate::erreur::{Erreur, io_fr};

/// What a check found wrong with one file.
#[derive(Debug, Clone, PartialEq)]
pub enum Ecart {
    Modifie { chemin: String, detail: String },
    Manquant { chemin: String },
    Inattendu { chemin: String },
    SignatureInvalide { chemin: String, detail: String },
}

impl std::fmt::Display for Ecart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ecart::Modifie { chemin, detail } => write!(f, "{chemin} : MODIFIÉ ({detail})"),
            Ecart::Manquant { chemin } => write!(
                f,
                "{chemin} : MANQUANT (listé dans le manifeste, absent de l'archive)"
            ),
            Ecart::Inattendu { chemin } => write!(
                f,
                "{chemin} : INATTENDU (présent dans l'archive, absent du manifeste)"
            ),
            Ecart::SignatureInvalide { chemin, detail } => {
                write!(f, "{chemin} : SIGNATURE INVALIDE ({detail})")
            }
        }
    }
}

/// An archive being checked: a ZIP, or the folder it was extracted to. Files are read one at a
/// time, so checking a large class takes little memory.
enum Source {
    Dossier(std::path::PathBuf),
    Zip(zip::ZipArchive<std::fs::File>),
}

impl Source {
    fn ouvrir(chemin: &Path) -> Result<Source, Erreur> {
        let illisible = |detail: String| Erreur::Lecture {
            chemin: chemin.to_path_buf(),
            detail,
        };
        if chemin.is_dir() {
            return Ok(Source::Dossier(chemin.to_path_buf()));
        }
        let f = std::fs::File::open(chemin).map_err(|e| illisible(io_fr(&e)))?;
        zip::ZipArchive::new(f)
            .map(Source::Zip)
            .map_err(|e| illisible(format!("ce n'est pas une archive ZIP lisible ({e})")))
    }

    /// One file by its path in the archive; `None` when absent, an error text when it cannot be
    /// read (a corrupted ZIP entry).
    fn lire(&mut self, nom: &str) -> Option<Result<Vec<u8>, String>> {
        match self {
            Source::Dossier(d) => {
                let p = d.join(nom);
                p.is_file()
                    .then(|| std::fs::read(&p).map_err(|e| io_fr(&e)))
            }
            Source::Zip(z) => {
                let mut entree = z.by_name(nom).ok()?;
                let mut octets = Vec::new();
                Some(
                    entree
                        .read_to_end(&mut octets)
                        .map(|_| octets)
                        .map_err(|e| format!("données corrompues : {e}")),
                )
            }
        }
    }

    /// Calls `visiter` with the path and the content of every file, one after the other.
    fn parcourir(
        &mut self,
        chemin: &Path,
        mut visiter: impl FnMut(String, Result<Vec<u8>, String>),
    ) -> Result<(), Erreur> {
        let illisible = |detail: String| Erreur::Lecture {
            chemin: chemin.to_path_buf(),
            detail,
        };
        match self {
            Source::Dossier(base) => {
                let fichiers = fichiers_sous(base, &|_| false).map_err(|e| illisible(io_fr(&e)))?;
                for (relatif, p) in fichiers {
                    visiter(relatif, std::fs::read(&p).map_err(|e| io_fr(&e)));
                }
                Ok(())
            }
            Source::Zip(z) => {
                for i in 0..z.len() {
                    let mut entree = z
                        .by_index(i)
                        .map_err(|e| illisible(format!("entrée {i} illisible ({e})")))?;
                    if entree.is_dir() {
                        continue;
                    }
                    let nom = entree
                        .name()
                        .map(|n| n.to_string())
                        .map_err(|e| illisible(format!("nom d'entrée {i} illisible ({e})")))?;
                    let mut octets = Vec::new();
                    let lu = entree
                        .read_to_end(&mut octets)
                        .map(|_| octets)
                        .map_err(|e| format!("données corrompues : {e}"));
                    visiter(nom, lu);
                }
                Ok(())
            }
        }
    }
}

/// What is wrong with one file listed by the manifest, from its bytes.
fn controler_fichier(
    f: &Fichier,
    octets: &[u8],
    sceau_annonce: Option<&String>,
) -> (Vec<Ecart>, bool) {
    let mut ecarts = Vec::new();
    let (s256, s512) = (hex(&Sha256::digest(octets)), hex(&Sha512::digest(octets)));
    if octets.len() as u64 != f.taille || s256 != f.sha256 || s512 != f.sha512 {
        ecarts.push(Ecart::Modifie {
            chemin: f.chemin.clone(),
            detail: format!(
                "SHA-256 attendu {}…, trouvé {}…",
                debut(&f.sha256),
                debut(&s256)
            ),
        });
    }
    let mut signature_valide = false;
    if f.signature.is_some() {
        let invalide = |detail: String| Ecart::SignatureInvalide {
            chemin: f.chemin.clone(),
            detail,
        };
        match pades::verifier(octets) {
            pades::EtatSignature::Valide(s) if sceau_annonce == Some(&s.titulaire) => {
                signature_valide = true
            }
            pades::EtatSignature::Valide(s) => ecarts.push(invalide(format!(
                "signé par « {} », le manifeste annonce « {} »",
                s.titulaire,
                sceau_annonce.map_or("aucun sceau", |s| s.as_str())
            ))),
            pades::EtatSignature::Absente => ecarts.push(invalide(
                "le manifeste l'annonce signé, aucune signature trouvée".into(),
            )),
            pades::EtatSignature::Invalide(detail) => ecarts.push(invalide(detail)),
        }
    }
    (ecarts, signature_valide)
}

/// What checking an archive found.
#[derive(Debug)]
pub struct Controle {
    pub manifeste: Manifeste,
    pub ecarts: Vec<Ecart>,
    /// PDF signatures that checked out.
    pub signatures_valides: usize,
    /// Who signed the manifest, when its signature checked out.
    pub sceau: Option<cms::Signataire>,
}

/// Recomputes every digest of an archive against its manifest and its SHA256SUMS, and checks
/// every signature: the PDFs the manifest says are signed, and the manifest's own.
pub fn verifier(chemin: &Path) -> Result<Controle, Erreur> {
    let mut source = Source::ouvrir(chemin)?;
    let manifeste_octets = match source.lire(MANIFESTE) {
        Some(Ok(o)) => o,
        _ => {
            return Err(Erreur::Lecture {
                chemin: chemin.to_path_buf(),
                detail: format!(
                    "« {MANIFESTE} » absent ou illisible : ce n'est pas une archive de siodoc, ou elle est endommagée"
                ),
            });
        }
    };
    let manifeste: Manifeste =
        serde_json::from_slice(&manifeste_octets).map_err(|e| Erreur::Lecture {
            chemin: chemin.to_path_buf(),
            detail: format!(
                "« {MANIFESTE} » illisible, ligne {}, colonne {} : {}",
                e.line(),
                e.column(),
                // serde_json appends the position, already given above.
                crate::erreur::traduire_serde(
                    e.to_string().split(" at line ").next().unwrap_or_default(),
                    None
                )
            ),
        })?;
    let sommes = source
        .lire(SOMMES)
        .and_then(Result::ok)
        .map(|o| String::from_utf8_lossy(&o).into_owned());
    let signature_manifeste = source.lire(SIGNATURE_MANIFESTE);

    let mut ecarts = Vec::new();
    let mut sceau = None;
    match &signature_manifeste {
        Some(Ok(p7s)) => match cms::verifier(p7s, &Sha256::digest(&manifeste_octets)) {
            Ok(s) if manifeste.sceau.as_ref() == Some(&s.titulaire) => sceau = Some(s),
            Ok(s) => ecarts.push(Ecart::SignatureInvalide {
                chemin: MANIFESTE.into(),
                detail: format!(
                    "signé par « {} », le manifeste annonce « {} »",
                    s.titulaire,
                    manifeste.sceau.as_deref().unwrap_or("aucun sceau")
                ),
            }),
            Err(detail) => ecarts.push(Ecart::SignatureInvalide {
                chemin: MANIFESTE.into(),
                detail,
            }),
        },
        Some(Err(detail)) => ecarts.push(Ecart::Modifie {
            chemin: SIGNATURE_MANIFESTE.into(),
            detail: detail.clone(),
        }),
        None if manifeste.sceau.is_some() => ecarts.push(Ecart::Manquant {
            chemin: SIGNATURE_MANIFESTE.into(),
        }),
        None => {}
    }

    // Each file once, in archive order; what is found goes to its place in the manifest so that
    // the report follows the manifest's order.
    let position: HashMap<&str, usize> = manifeste
        .fichiers
        .iter()
        .enumerate()
        .map(|(i, f)| (f.chemin.as_str(), i))
        .collect();
    let mut constats: Vec<Option<Vec<Ecart>>> = vec![None; manifeste.fichiers.len()];
    let mut inattendus = Vec::new();
    let mut signatures_valides = 0;
    source.parcourir(chemin, |nom, lu| {
        if [MANIFESTE, SOMMES, SIGNATURE_MANIFESTE].contains(&nom.as_str()) {
            return;
        }
        let Some(&i) = position.get(nom.as_str()) else {
            inattendus.push(Ecart::Inattendu { chemin: nom });
            return;
        };
        let f = &manifeste.fichiers[i];
        constats[i] = Some(match lu {
            Err(detail) => vec![Ecart::Modifie {
                chemin: f.chemin.clone(),
                detail,
            }],
            Ok(octets) => {
                let (e, valide) = controler_fichier(f, &octets, manifeste.sceau.as_ref());
                signatures_valides += usize::from(valide);
                e
            }
        });
    })?;
    for (f, constat) in manifeste.fichiers.iter().zip(constats) {
        match constat {
            None => ecarts.push(Ecart::Manquant {
                chemin: f.chemin.clone(),
            }),
            Some(e) => ecarts.extend(e),
        }
    }
    ecarts.extend(inattendus);

    // SHA256SUMS must agree with the manifest, itself included.
    match sommes {
        None => ecarts.push(Ecart::Manquant {
            chemin: SOMMES.into(),
        }),
        Some(texte) => {
            let attendu_manifeste = hex(&Sha256::digest(&manifeste_octets));
            let attendu_signature = match &signature_manifeste {
                Some(Ok(p7s)) => Some(hex(&Sha256::digest(p7s))),
                _ => None,
            };
            for ligne in texte.lines().filter(|l| !l.trim().is_empty()) {
                let Some((somme, nom)) = ligne.split_once("  ") else {
                    continue;
                };
                let attendue = if nom == MANIFESTE {
                    Some(attendu_manifeste.as_str())
                } else if nom == SIGNATURE_MANIFESTE {
                    attendu_signature.as_deref()
                } else {
                    position
                        .get(nom)
                        .map(|&i| manifeste.fichiers[i].sha256.as_str())
                };
                if attendue != Some(somme) {
                    ecarts.push(Ecart::Modifie {
                        chemin: nom.to_string(),
                        detail: format!("ne correspond pas à {SOMMES}"),
                    });
                }
            }
        }
    }
    Ok(Controle {
        manifeste,
        ecarts,
        signatures_valides,
        sceau,
    })
}
