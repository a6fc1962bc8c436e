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
    Modifie {
        chemin: String,
        detail: String,
    },
    Manquant {
        chemin: String,
    },
    Inattendu {
        chemin: String,
    },
    SignatureInvalide {
        chemin: String,
        detail: String,
    },
    /// A path that leaves the archive (`..`, absolute) or a symbolic link: never read.
    CheminRefuse {
        chemin: String,
    },
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
            Ecart::CheminRefuse { chemin } => write!(
                f,
                "{} : CHEMIN REFUSÉ (sort de l'archive, chemin absolu ou lien symbolique : jamais lu ni extrait)",
                chemin.chars().take(200).collect::<String>()
            ),
        }
    }
}

/// Largest file read from an archive being checked; a file larger than the manifest says is
/// modified anyway and is not read past its announced size.
const TAILLE_MAX: u64 = 512 << 20;
/// Largest manifest, SHA256SUMS and signature read.
const TAILLE_METADONNEES: u64 = 64 << 20;

/// An archive being checked: a ZIP, or the folder it was extracted to. Files are read one at a
/// time, each within a size limit, so checking a large class (or a bomb) takes little memory.
enum Source {
    Dossier(std::path::PathBuf),
    Zip(zip::ZipArchive<std::io::BufReader<std::fs::File>>),
}

/// Reads at most `limite` bytes of `lecteur`: more is an error that says so.
fn lire_borne(lecteur: impl Read, limite: u64) -> Result<Vec<u8>, String> {
    let mut octets = Vec::new();
    lecteur
        .take(limite + 1)
        .read_to_end(&mut octets)
        .map_err(|e| format!("données corrompues : {e}"))?;
    if octets.len() as u64 > limite {
        return Err(format!(
            "bien plus gros que le manifeste ne l'annonce ; lecture arrêtée à {}",
            crate::entree::octets_texte(limite)
        ));
    }
    Ok(octets)
}

/// One file met while going through an archive.
enum Lu {
    Contenu(Result<Vec<u8>, String>),
    /// Not read: the manifest does not list it.
    Inconnu,
    /// Its path leaves the archive (`..`, absolute) or it is a link: never read.
    Refuse,
}

impl Source {
    fn ouvrir(chemin: &Path) -> Result<Source, Erreur> {
        let illisible = |detail: String| Erreur::Lecture {
            chemin: chemin.to_path_buf(),
            detail,
        };
        let (_, meta) = crate::entree::resoudre(chemin, true)?;
        if meta.is_dir() {
            return Ok(Source::Dossier(chemin.to_path_buf()));
        }
        let f = crate::entree::ouvrir(chemin, u64::MAX)?;
        zip::ZipArchive::new(std::io::BufReader::new(f))
            .map(Source::Zip)
            .map_err(|e| {
                illisible(format!(
                    "ce n'est pas une archive ZIP lisible, ou elle est tronquée (détail : {e})"
                ))
            })
    }

    /// One file by its path in the archive; `None` when absent, an error text when it cannot be
    /// read (a corrupted ZIP entry, a size past `limite`).
    fn lire(&mut self, nom: &str, limite: u64) -> Option<Result<Vec<u8>, String>> {
        match self {
            Source::Dossier(d) => {
                let p = d.join(nom);
                let meta = std::fs::symlink_metadata(&p).ok()?;
                meta.is_file().then(|| {
                    std::fs::File::open(&p)
                        .map_err(|e| io_fr(&e))
                        .and_then(|f| lire_borne(f, limite))
                })
            }
            Source::Zip(z) => {
                let entree = z.by_name(nom).ok()?;
                Some(lire_borne(entree, limite))
            }
        }
    }

    /// Calls `visiter` with the path and the content of every file, one after the other;
    /// `limite` gives the most bytes to read of a path, `None` when it is not to be read.
    fn parcourir(
        &mut self,
        chemin: &Path,
        limite: impl Fn(&str) -> Option<u64>,
        mut visiter: impl FnMut(String, Lu),
    ) -> Result<(), Erreur> {
        let illisible = |detail: String| Erreur::Lecture {
            chemin: chemin.to_path_buf(),
            detail,
        };
        match self {
            Source::Dossier(base) => {
                let parcours = fichiers_sous(base, &|_| false).map_err(|e| illisible(io_fr(&e)))?;
                for lien in parcours.liens {
                    visiter(lien, Lu::Refuse);
                }
                for (relatif, p) in parcours.fichiers {
                    let lu = match limite(&relatif) {
                        None => Lu::Inconnu,
                        Some(max) => Lu::Contenu(
                            std::fs::File::open(&p)
                                .map_err(|e| io_fr(&e))
                                .and_then(|f| lire_borne(f, max)),
                        ),
                    };
                    visiter(relatif, lu);
                }
                Ok(())
            }
            Source::Zip(z) => {
                for i in 0..z.len() {
                    let entree = z
                        .by_index(i)
                        .map_err(|e| illisible(format!("entrée {i} illisible ({e})")))?;
                    if entree.is_dir() {
                        continue;
                    }
                    let nom = entree
                        .name()
                        .map(|n| n.to_string())
                        .map_err(|e| illisible(format!("nom d'entrée {i} illisible ({e})")))?;
                    if !super::chemin_sur(&nom) || entree.is_symlink() {
                        visiter(nom, Lu::Refuse);
                        continue;
                    }
                    let lu = match limite(&nom) {
                        None => Lu::Inconnu,
                        Some(max) => Lu::Contenu(lire_borne(entree, max)),
                    };
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
    let manifeste_octets = match source.lire(MANIFESTE, TAILLE_METADONNEES) {
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
                "« {MANIFESTE} » illisible, {}",
                crate::erreur::traduire_json(&e)
            ),
        })?;
    let sommes = source.lire(SOMMES, TAILLE_METADONNEES);
    let signature_manifeste = source.lire(SIGNATURE_MANIFESTE, 1 << 20);

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
    let limite = |nom: &str| {
        position
            .get(nom)
            // Room to tell a PDF completed after signing from one merely different.
            .map(|&i| {
                let taille = manifeste.fichiers[i].taille;
                taille
                    .saturating_mul(2)
                    .max(taille.saturating_add(1 << 20))
                    .min(TAILLE_MAX)
            })
    };
    source.parcourir(chemin, limite, |nom, lu| {
        if [MANIFESTE, SOMMES, SIGNATURE_MANIFESTE].contains(&nom.as_str()) {
            return;
        }
        let lu = match lu {
            Lu::Refuse => {
                inattendus.push(Ecart::CheminRefuse { chemin: nom });
                return;
            }
            Lu::Inconnu => {
                inattendus.push(Ecart::Inattendu { chemin: nom });
                return;
            }
            Lu::Contenu(c) => c,
        };
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

    // SHA256SUMS must agree with the manifest, itself included, line by line: every line well
    // formed, every file of the manifest listed once, nothing else.
    match sommes {
        None => ecarts.push(Ecart::Manquant {
            chemin: SOMMES.into(),
        }),
        Some(Err(detail)) => ecarts.push(Ecart::Modifie {
            chemin: SOMMES.into(),
            detail,
        }),
        Some(Ok(octets)) => {
            let attendu_manifeste = hex(&Sha256::digest(&manifeste_octets));
            let attendu_signature = match &signature_manifeste {
                Some(Ok(p7s)) => Some(hex(&Sha256::digest(p7s))),
                _ => None,
            };
            let mut listes = std::collections::HashSet::new();
            let texte = String::from_utf8_lossy(&octets);
            let modifie = |detail: String| Ecart::Modifie {
                chemin: SOMMES.into(),
                detail,
            };
            for (n, ligne) in texte.lines().enumerate() {
                if ligne.trim().is_empty() {
                    continue;
                }
                let forme = ligne.split_once("  ").filter(|(somme, nom)| {
                    somme.len() == 64
                        && somme.bytes().all(|b| b.is_ascii_hexdigit())
                        && !nom.is_empty()
                });
                let Some((somme, nom)) = forme else {
                    ecarts.push(modifie(format!(
                        "ligne {} illisible : « {} » ; attendu « empreinte SHA-256 (64 caractères), deux espaces, chemin »",
                        n + 1,
                        ligne.chars().take(80).collect::<String>()
                    )));
                    continue;
                };
                let attendue = if nom == MANIFESTE {
                    Some(attendu_manifeste.as_str())
                } else if nom == SIGNATURE_MANIFESTE {
                    // An absent signature file is reported as missing already.
                    match attendu_signature.as_deref() {
                        None => continue,
                        a => a,
                    }
                } else {
                    position
                        .get(nom)
                        .map(|&i| manifeste.fichiers[i].sha256.as_str())
                };
                match attendue {
                    None => ecarts.push(modifie(format!(
                        "ligne {} : « {} » n'est pas dans le manifeste",
                        n + 1,
                        nom.chars().take(200).collect::<String>()
                    ))),
                    Some(a) if a != somme => ecarts.push(Ecart::Modifie {
                        chemin: nom.to_string(),
                        detail: format!("ne correspond pas à {SOMMES}"),
                    }),
                    Some(_) => {}
                }
                if !listes.insert(nom.to_string()) {
                    ecarts.push(modifie(format!(
                        "ligne {} : « {nom} » listé deux fois",
                        n + 1
                    )));
                }
            }
            let oublies: Vec<&str> = manifeste
                .fichiers
                .iter()
                .map(|f| f.chemin.as_str())
                .chain([MANIFESTE])
                .filter(|c| !listes.contains(*c))
                .collect();
            if !oublies.is_empty() {
                ecarts.push(modifie(format!(
                    "ne liste pas {} fichier(s) du manifeste : {}{}",
                    oublies.len(),
                    oublies
                        .iter()
                        .take(5)
                        .map(|c| format!("« {c} »"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if oublies.len() > 5 { "…" } else { "" }
                )));
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
