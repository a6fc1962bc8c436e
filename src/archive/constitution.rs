//! Building the archive of a class folder: reading, checking and signing its files, matching
//! the scans, writing the manifest and the ZIP.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Deserialize;
use sha2::{Digest, Sha256, Sha512};

use super::{
    Fichier, MANIFESTE, Manifeste, NON_ATTRIBUES, PADES, SIGNATURE_MANIFESTE, SOMMES, certificat,
    cms, hex, pades,
};
use crate::classeur::schema::normaliser;
use crate::erreur::{Erreur, io_fr};
use crate::rendu::formulaires::Identite;
use crate::rendu::generation::{EntreeIndex, INDEX};

/// A sealing certificate and the time written in each signature.
pub struct Sceau<'a> {
    pub certificat: &'a certificat::Certificat,
    pub moment: chrono::DateTime<chrono::Utc>,
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

/// The files under the scans folder, subfolders included, as (path relative to the folder with
/// `/` separators, full path), sorted. Hidden files and the thumbnails caches Windows and macOS
/// leave behind (Thumbs.db, desktop.ini, .DS_Store) are not scans.
fn lister_scans(dossier: &Path) -> Result<Vec<(String, PathBuf)>, Erreur> {
    fn parcourir(
        base: &Path,
        d: &Path,
        sortie: &mut Vec<(String, PathBuf)>,
    ) -> std::io::Result<()> {
        for e in std::fs::read_dir(d)? {
            let p = e?.path();
            let nom = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let systeme = nom.starts_with('.')
                || nom.eq_ignore_ascii_case("thumbs.db")
                || nom.eq_ignore_ascii_case("desktop.ini");
            if systeme {
                continue;
            }
            if p.is_dir() {
                parcourir(base, &p, sortie)?;
            } else if p.is_file() {
                let relatif = p
                    .strip_prefix(base)
                    .unwrap_or(&p)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                sortie.push((relatif, p));
            }
        }
        Ok(())
    }
    let mut scans = Vec::new();
    parcourir(dossier, dossier, &mut scans).map_err(|e| Erreur::Lecture {
        chemin: dossier.to_path_buf(),
        detail: io_fr(&e),
    })?;
    scans.sort();
    Ok(scans)
}

/// Where a scan goes, from its path under the scans folder (file and subfolder names): the `scans/` folder of the one candidate whose N° or
/// NOM and prénom (accents, case and separators ignored) it holds; else `non-attribués/`, with
/// the reason. Returns the path in the archive, the candidate's N° and that reason.
fn rattacher(
    nom: &str,
    candidats: &[(&Identite, String)],
) -> (String, Option<String>, Option<String>) {
    let cle = normaliser(nom);
    let trouves: Vec<&(&Identite, String)> = candidats
        .iter()
        .filter(|(c, _)| {
            let numero = normaliser(&c.numero);
            let (n, pr) = (normaliser(&c.nom), normaliser(&c.prenom));
            (numero.len() >= 4 && cle.contains(&numero))
                || (!n.is_empty()
                    && (cle.contains(&format!("{n}{pr}")) || cle.contains(&format!("{pr}{n}"))))
        })
        .collect();
    match trouves.as_slice() {
        [(c, dossier)] => (
            format!("{dossier}/scans/{nom}"),
            Some(c.numero.clone()),
            None,
        ),
        autres => {
            let raison = if autres.is_empty() {
                "ni N° candidat ni NOM et prénom reconnus dans le nom du fichier".to_string()
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
            (format!("{NON_ATTRIBUES}/{nom}"), None, Some(raison))
        }
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
        .map(|e| {
            let chemin = racine.join(&e.chemin);
            let octets = std::fs::read(&chemin).map_err(|err| Erreur::Lecture {
                chemin: chemin.clone(),
                detail: if err.kind() == std::io::ErrorKind::NotFound {
                    format!(
                        "document absent alors que {INDEX} le liste ; relancez siodoc generer \
                         pour refaire le dossier de la classe, puis archivez de nouveau"
                    )
                } else {
                    io_fr(&err)
                },
            })?;
            Ok((e, octets))
        })
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
        let mut candidats: BTreeMap<String, (&Identite, String)> = BTreeMap::new();
        for e in &index.fichiers {
            if let Some(c) = &e.candidat {
                let dossier = e
                    .chemin
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string());
                candidats.entry(c.numero.clone()).or_insert((c, dossier));
            }
        }
        let candidats: Vec<_> = candidats.into_values().collect();
        for (nom, p) in lister_scans(dossier_scans)? {
            let (chemin, candidat, raison) = rattacher(&nom, &candidats);
            if let Some(raison) = raison {
                remarques.push(Remarque::ScanNonAttribue {
                    fichier: nom.clone(),
                    raison,
                });
            }
            let octets = lire(&p)?;
            if nom.to_lowercase().ends_with(".pdf")
                && let Err(detail) = pdf_lisible(&octets)
            {
                remarques.push(Remarque::PdfIllisible {
                    fichier: chemin.clone(),
                    detail,
                });
            }
            let f = fichier(&chemin, &octets, candidat, "scan", session);
            contenu.insert(chemin, (octets, f));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn identite(numero: &str, nom: &str, prenom: &str) -> Identite {
        Identite {
            numero: numero.into(),
            nom: nom.into(),
            prenom: prenom.into(),
            option: "SLAM".into(),
        }
    }

    #[test]
    fn scans_go_to_the_one_candidate_named_or_numbered_in_the_file_name() {
        let (lea, zoe, leo) = (
            identite("026000101", "MARTIN", "Léa"),
            identite("026000102", "N'GUYEN", "Zoé"),
            identite("026000103", "MARTIN", "Léo"),
        );
        let candidats = [
            (&lea, "BTS/MARTIN_Léa".to_string()),
            (&zoe, "BTS/NGUYEN_Zoé".to_string()),
            (&leo, "BTS/MARTIN_Léo".to_string()),
        ];
        let vers = |nom: &str| rattacher(nom, &candidats);
        // Prénom first or last, accents, case, apostrophes and separators ignored.
        assert_eq!(
            vers("lea-martin attestation.pdf"),
            (
                "BTS/MARTIN_Léa/scans/lea-martin attestation.pdf".into(),
                Some("026000101".into()),
                None
            )
        );
        assert_eq!(vers("NGUYEN_ZOE.pdf").1.as_deref(), Some("026000102"));
        assert_eq!(vers("scan 026000103.pdf").1.as_deref(), Some("026000103"));
        // The family name alone is not enough: MARTIN is two candidates.
        let (chemin, candidat, raison) = vers("MARTIN.pdf");
        assert_eq!(
            (chemin.as_str(), candidat),
            ("non-attribués/MARTIN.pdf", None)
        );
        assert!(
            raison
                .unwrap()
                .starts_with("ni N° candidat ni NOM et prénom")
        );
        let (_, _, raison) = vers("martin-lea-martin-leo.pdf");
        assert_eq!(
            raison.as_deref(),
            Some("plusieurs candidats possibles : MARTIN Léa (026000101), MARTIN Léo (026000103)")
        );
    }
}
