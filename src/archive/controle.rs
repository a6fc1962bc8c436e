//! Checking an archive: every digest against the manifest and SHA256SUMS, every signature.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256, Sha512};

use super::{MANIFESTE, Manifeste, SIGNATURE_MANIFESTE, SOMMES, cms, debut, hex, pades};
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

/// The files of an archive, from a ZIP or an extracted folder. A file that cannot be read
/// (a corrupted ZIP entry) comes back as an error text.
fn contenu_archive(chemin: &Path) -> Result<BTreeMap<String, Result<Vec<u8>, String>>, Erreur> {
    let illisible = |detail: String| Erreur::Lecture {
        chemin: chemin.to_path_buf(),
        detail,
    };
    let mut fichiers = BTreeMap::new();
    if chemin.is_dir() {
        fn parcourir(
            base: &Path,
            d: &Path,
            sortie: &mut BTreeMap<String, Result<Vec<u8>, String>>,
        ) -> std::io::Result<()> {
            for e in std::fs::read_dir(d)? {
                let p = e?.path();
                if p.is_dir() {
                    parcourir(base, &p, sortie)?;
                } else {
                    let relatif = p
                        .strip_prefix(base)
                        .unwrap_or(&p)
                        .to_string_lossy()
                        .replace('\\', "/");
                    sortie.insert(relatif, std::fs::read(&p).map_err(|e| io_fr(&e)));
                }
            }
            Ok(())
        }
        parcourir(chemin, chemin, &mut fichiers).map_err(|e| illisible(io_fr(&e)))?;
    } else {
        let f = std::fs::File::open(chemin).map_err(|e| illisible(io_fr(&e)))?;
        let mut zip = zip::ZipArchive::new(f)
            .map_err(|e| illisible(format!("ce n'est pas une archive ZIP lisible ({e})")))?;
        for i in 0..zip.len() {
            let mut entree = match zip.by_index(i) {
                Ok(e) => e,
                Err(e) => return Err(illisible(format!("entrée {i} illisible ({e})"))),
            };
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
            fichiers.insert(nom, lu);
        }
    }
    Ok(fichiers)
}

/// What checking an archive found.
#[derive(Debug)]
pub struct Controle {
    pub manifeste: Manifeste,
    pub ecarts: Vec<Ecart>,
    /// PDF signatures that checked out.
    pub signatures_valides: usize,
    /// Who signed the manifest, when its signature checked out.
    pub sceau: Option<String>,
}

/// Recomputes every digest of an archive against its manifest and its SHA256SUMS, and checks
/// every signature: the PDFs the manifest says are signed, and the manifest's own.
pub fn verifier(chemin: &Path) -> Result<Controle, Erreur> {
    let mut fichiers = contenu_archive(chemin)?;
    let manifeste_octets = match fichiers.remove(MANIFESTE) {
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
    let sommes = fichiers
        .remove(SOMMES)
        .and_then(Result::ok)
        .map(|o| String::from_utf8_lossy(&o).into_owned());
    let mut ecarts = Vec::new();
    let mut signatures_valides = 0;
    let signature_manifeste = fichiers.remove(SIGNATURE_MANIFESTE);
    let mut sceau = None;
    match &signature_manifeste {
        Some(Ok(p7s)) => match cms::verifier(p7s, &Sha256::digest(&manifeste_octets)) {
            Ok(s) if manifeste.sceau.as_ref() == Some(&s.titulaire) => sceau = Some(s.titulaire),
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
    for f in &manifeste.fichiers {
        match fichiers.remove(&f.chemin) {
            None => ecarts.push(Ecart::Manquant {
                chemin: f.chemin.clone(),
            }),
            Some(Err(detail)) => ecarts.push(Ecart::Modifie {
                chemin: f.chemin.clone(),
                detail,
            }),
            Some(Ok(o)) => {
                let (s256, s512) = (hex(&Sha256::digest(&o)), hex(&Sha512::digest(&o)));
                if o.len() as u64 != f.taille || s256 != f.sha256 || s512 != f.sha512 {
                    ecarts.push(Ecart::Modifie {
                        chemin: f.chemin.clone(),
                        detail: format!(
                            "SHA-256 attendu {}…, trouvé {}…",
                            debut(&f.sha256),
                            debut(&s256)
                        ),
                    });
                }
                if f.signature.is_some() {
                    match pades::verifier(&o) {
                        pades::EtatSignature::Valide(s)
                            if manifeste.sceau.as_ref() == Some(&s.titulaire) =>
                        {
                            signatures_valides += 1
                        }
                        pades::EtatSignature::Valide(s) => ecarts.push(Ecart::SignatureInvalide {
                            chemin: f.chemin.clone(),
                            detail: format!(
                                "signé par « {} », le manifeste annonce « {} »",
                                s.titulaire,
                                manifeste.sceau.as_deref().unwrap_or("aucun sceau")
                            ),
                        }),
                        pades::EtatSignature::Absente => ecarts.push(Ecart::SignatureInvalide {
                            chemin: f.chemin.clone(),
                            detail: "le manifeste l'annonce signé, aucune signature trouvée".into(),
                        }),
                        pades::EtatSignature::Invalide(detail) => {
                            ecarts.push(Ecart::SignatureInvalide {
                                chemin: f.chemin.clone(),
                                detail,
                            })
                        }
                    }
                }
            }
        }
    }
    for chemin in fichiers.keys() {
        ecarts.push(Ecart::Inattendu {
            chemin: chemin.clone(),
        });
    }
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
                    manifeste
                        .fichiers
                        .iter()
                        .find(|f| f.chemin == nom)
                        .map(|f| f.sha256.as_str())
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
