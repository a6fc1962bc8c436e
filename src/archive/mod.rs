//! Archiving a class: the generated documents (from the index `generer` leaves) and the signed
//! scans, each with its SHA-256 and SHA-512, a manifest, a `sha256sum -c` file, in one ZIP whose
//! bytes depend on the content only. And the check of such an archive, file by file.

pub mod certificat;
pub mod cms;
pub mod pades;

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256, Sha512};

use crate::classeur::schema::normaliser;
use crate::erreur::{Erreur, io_fr};
use crate::rendu::generation::{EntreeIndex, INDEX};

pub const MANIFESTE: &str = "manifeste.json";
pub const SOMMES: &str = "SHA256SUMS";
pub const NON_ATTRIBUES: &str = "non-attribués";
/// Detached CMS signature of the manifest, when the archive is sealed.
pub const SIGNATURE_MANIFESTE: &str = "manifeste.json.p7s";
/// What a sealed PDF's `signature` field says.
pub const PADES: &str = "PAdES B-B";

/// A sealing certificate and the time written in each signature.
pub struct Sceau<'a> {
    pub certificat: &'a certificat::Certificat,
    pub moment: chrono::DateTime<chrono::Utc>,
}

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

/// Something the archiving run wants the teacher to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Remarque {
    ScanNonAttribue { fichier: String, raison: String },
    PdfIllisible { fichier: String, detail: String },
    SignatureImpossible { fichier: String, detail: String },
}

impl std::fmt::Display for Remarque {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Remarque::ScanNonAttribue { fichier, raison } => {
                write!(
                    f,
                    "scan « {fichier} » non attribué ({raison}) : rangé dans « {NON_ATTRIBUES}/ »"
                )
            }
            Remarque::PdfIllisible { fichier, detail } => {
                write!(
                    f,
                    "« {fichier} » ne s'ouvre pas comme un PDF ({detail}) : archivé tel quel, à vérifier"
                )
            }
            Remarque::SignatureImpossible { fichier, detail } => {
                write!(
                    f,
                    "« {fichier} » n'a pas pu être signé ({detail}) : archivé sans signature"
                )
            }
        }
    }
}

#[derive(Deserialize)]
struct Index {
    classe: String,
    profil: serde_json::Value,
    fichiers: Vec<EntreeIndex>,
}

pub struct Archive {
    pub zip: Vec<u8>,
    pub manifeste: Manifeste,
    pub remarques: Vec<Remarque>,
}

/// The first 16 characters of a digest, for messages; the manifest may hold anything.
fn debut(empreinte: &str) -> String {
    empreinte.chars().take(16).collect()
}

fn hex(octets: &[u8]) -> String {
    octets.iter().map(|b| format!("{b:02x}")).collect()
}

fn type_media(chemin: &str) -> &'static str {
    match chemin.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("json") => "application/json",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("png") => "image/png",
        _ => "application/octet-stream",
    }
}

/// PDF/A part and conformance from the XMP metadata, when written uncompressed.
fn niveau_pdfa(octets: &[u8]) -> Option<String> {
    let texte = String::from_utf8_lossy(octets);
    let entre = |balise: &str| {
        let debut = texte.find(&format!("<pdfaid:{balise}>"))? + balise.len() + 9;
        let fin = texte[debut..].find('<')? + debut;
        Some(texte[debut..fin].trim().to_string())
    };
    Some(format!(
        "{}{}",
        entre("part")?,
        entre("conformance").unwrap_or_default()
    ))
}

fn pdf_lisible(octets: &[u8]) -> Result<(), String> {
    let pdf = hayro_syntax::Pdf::new(octets.to_vec()).map_err(|e| format!("{e:?}"))?;
    if pdf.pages().is_empty() {
        Err("aucune page".into())
    } else {
        Ok(())
    }
}

fn fichier(
    chemin: &str,
    octets: &[u8],
    candidat: Option<String>,
    document: &str,
    session: u16,
) -> Fichier {
    Fichier {
        chemin: chemin.to_string(),
        taille: octets.len() as u64,
        sha256: hex(&Sha256::digest(octets)),
        sha512: hex(&Sha512::digest(octets)),
        type_media: type_media(chemin).to_string(),
        pdfa: if chemin.to_lowercase().ends_with(".pdf") {
            niveau_pdfa(octets)
        } else {
            None
        },
        candidat,
        document: document.to_string(),
        session,
        signature: None,
    }
}

/// Builds the archive of a class folder written by `siodoc generer` (it holds `siodoc-index.json`),
/// with the scans of `scans` matched to candidates by N° or by NOM and prénom in their file name.
/// With a `sceau`, every generated PDF is signed (PAdES B-B) and so is the manifest; the scans
/// are archived as they came.
pub fn archiver(
    dossier_classe: &Path,
    scans: Option<&Path>,
    sceau: Option<&Sceau>,
) -> Result<Archive, Erreur> {
    let lire = |p: &Path| {
        std::fs::read(p).map_err(|e| Erreur::Lecture {
            chemin: p.to_path_buf(),
            detail: io_fr(&e),
        })
    };
    let chemin_index = dossier_classe.join(INDEX);
    let index: Index = serde_json::from_slice(&lire(&chemin_index)?).map_err(|e| Erreur::Lecture {
        chemin: chemin_index.clone(),
        detail: format!(
            "index de siodoc illisible ({e}) ; passez le dossier d'une classe produit par siodoc generer \
             (par exemple sortie/<classe>)"
        ),
    })?;
    let session = index
        .profil
        .get("session")
        .and_then(|s| s.as_u64())
        .unwrap_or(0) as u16;
    // Index paths are relative to the output folder, the parent of the class folder.
    let racine = dossier_classe.parent().unwrap_or(Path::new("."));
    let mut contenu: BTreeMap<String, (Vec<u8>, Fichier)> = BTreeMap::new();
    let lus = index
        .fichiers
        .iter()
        .map(|e| Ok((e, lire(&racine.join(&e.chemin))?)))
        .collect::<Result<Vec<_>, Erreur>>()?;
    // Check and sign in parallel: RSA signing dominates a sealed run.
    let traites: Vec<_> = lus
        .into_par_iter()
        .map(|(e, octets)| {
            let mut remarques = Vec::new();
            let mut signature = None;
            let mut octets = octets;
            if e.chemin.ends_with(".pdf") {
                match pdf_lisible(&octets) {
                    Err(detail) => remarques.push(Remarque::PdfIllisible {
                        fichier: e.chemin.clone(),
                        detail,
                    }),
                    Ok(()) => {
                        if let Some(sceau) = sceau {
                            match pades::signer(&octets, sceau.certificat, sceau.moment) {
                                Ok(signe) => {
                                    octets = signe;
                                    signature = Some(PADES.to_string());
                                }
                                Err(detail) => remarques.push(Remarque::SignatureImpossible {
                                    fichier: e.chemin.clone(),
                                    detail,
                                }),
                            }
                        }
                    }
                }
            }
            let mut f = fichier(
                &e.chemin,
                &octets,
                e.candidat.as_ref().map(|c| c.numero.clone()),
                &e.document,
                session,
            );
            f.signature = signature;
            (octets, f, remarques)
        })
        .collect();
    let mut remarques = Vec::new();
    for (octets, f, r) in traites {
        remarques.extend(r);
        contenu.insert(f.chemin.clone(), (octets, f));
    }

    if let Some(dossier_scans) = scans {
        // Each candidate once, with the folder of its documents.
        let mut candidats: BTreeMap<String, (&crate::rendu::formulaires::Identite, String)> =
            BTreeMap::new();
        for e in &index.fichiers {
            if let Some(c) = &e.candidat {
                let dossier = e
                    .chemin
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string());
                candidats.entry(c.numero.clone()).or_insert((c, dossier));
            }
        }
        let mut noms: Vec<PathBuf> = std::fs::read_dir(dossier_scans)
            .map_err(|e| Erreur::Lecture {
                chemin: dossier_scans.to_path_buf(),
                detail: io_fr(&e),
            })?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        noms.sort();
        for p in noms {
            let nom = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let cle = normaliser(&nom);
            let trouves: Vec<&(&crate::rendu::formulaires::Identite, String)> = candidats
                .values()
                .filter(|(c, _)| {
                    let numero = normaliser(&c.numero);
                    let (n, pr) = (normaliser(&c.nom), normaliser(&c.prenom));
                    (numero.len() >= 4 && cle.contains(&numero))
                        || (!n.is_empty()
                            && (cle.contains(&format!("{n}{pr}"))
                                || cle.contains(&format!("{pr}{n}"))))
                })
                .collect();
            let octets = lire(&p)?;
            let chemin = match trouves.as_slice() {
                [(c, dossier)] => {
                    let chemin = format!("{dossier}/scans/{nom}");
                    contenu.insert(
                        chemin.clone(),
                        (
                            octets.clone(),
                            fichier(&chemin, &octets, Some(c.numero.clone()), "scan", session),
                        ),
                    );
                    chemin
                }
                autres => {
                    let raison = if autres.is_empty() {
                        "ni N° candidat ni NOM et prénom reconnus dans le nom du fichier"
                            .to_string()
                    } else {
                        format!(
                            "plusieurs candidats possibles : {}",
                            autres
                                .iter()
                                .map(|(c, _)| format!("{} {} ({})", c.nom, c.prenom, c.numero))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    remarques.push(Remarque::ScanNonAttribue {
                        fichier: nom.clone(),
                        raison,
                    });
                    let chemin = format!("{NON_ATTRIBUES}/{nom}");
                    contenu.insert(
                        chemin.clone(),
                        (
                            octets.clone(),
                            fichier(&chemin, &octets, None, "scan", session),
                        ),
                    );
                    chemin
                }
            };
            if nom.to_lowercase().ends_with(".pdf")
                && let Some((o, _)) = contenu.get(&chemin)
                && let Err(detail) = pdf_lisible(o)
            {
                remarques.push(Remarque::PdfIllisible {
                    fichier: chemin.clone(),
                    detail,
                });
            }
        }
    }

    let manifeste = Manifeste {
        siodoc: env!("CARGO_PKG_VERSION").to_string(),
        classe: index.classe.clone(),
        session,
        profil: index.profil.clone(),
        sceau: sceau.map(|s| s.certificat.titulaire()),
        fichiers: contenu.values().map(|(_, f)| f.clone()).collect(),
    };
    let manifeste_json = serde_json::to_vec_pretty(&manifeste).unwrap_or_default();
    let mut sommes = String::new();
    for (_, f) in contenu.values() {
        sommes.push_str(&format!("{}  {}\n", f.sha256, f.chemin));
    }
    sommes.push_str(&format!(
        "{}  {MANIFESTE}\n",
        hex(&Sha256::digest(&manifeste_json))
    ));
    let signature_manifeste = match sceau {
        Some(s) => {
            let p7s =
                cms::signer(s.certificat, &Sha256::digest(&manifeste_json)).map_err(|detail| {
                    Erreur::Ecriture {
                        chemin: PathBuf::from(SIGNATURE_MANIFESTE),
                        detail: format!("signature du manifeste impossible ({detail})"),
                    }
                })?;
            sommes.push_str(&format!(
                "{}  {SIGNATURE_MANIFESTE}\n",
                hex(&Sha256::digest(&p7s))
            ));
            Some(p7s)
        }
        None => None,
    };

    // Sorted entries, fixed dates and permissions: the same content gives the same ZIP bytes.
    let date =
        zip::DateTime::from_date_and_time(session.max(1980), 6, 1, 0, 0, 0).unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let erreur_zip = |e: zip::result::ZipError| Erreur::Ecriture {
        chemin: PathBuf::from(format!("{}.zip", index.classe)),
        detail: format!("archive ZIP impossible à constituer (détail : {e})"),
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut entrees: Vec<(String, Vec<u8>)> =
        contenu.into_iter().map(|(c, (o, _))| (c, o)).collect();
    entrees.push((MANIFESTE.to_string(), manifeste_json));
    entrees.push((SOMMES.to_string(), sommes.into_bytes()));
    if let Some(p7s) = signature_manifeste {
        entrees.push((SIGNATURE_MANIFESTE.to_string(), p7s));
    }
    entrees.sort_by(|a, b| a.0.cmp(&b.0));
    for (chemin, octets) in &entrees {
        zip.start_file(chemin.as_str(), options)
            .map_err(erreur_zip)?;
        zip.write_all(octets).map_err(|e| Erreur::Ecriture {
            chemin: PathBuf::from(chemin),
            detail: io_fr(&e),
        })?;
    }
    let zip = zip.finish().map_err(erreur_zip)?.into_inner();
    Ok(Archive {
        zip,
        manifeste,
        remarques,
    })
}

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
