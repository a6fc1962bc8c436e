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
    cms, fichiers_sous, hex, pades,
};
use crate::classeur::schema::normaliser;
use crate::erreur::{Erreur, io_fr};
use crate::fichier::ecrire_atomique_avec;
use crate::rendu::formulaires::Identite;
use crate::rendu::generation::{EntreeIndex, INDEX};
use crate::rendu::nommage::assainir;

/// A sealing certificate and the time written in each signature.
pub struct Sceau<'a> {
    pub certificat: &'a certificat::Certificat,
    pub moment: chrono::DateTime<chrono::Utc>,
}

/// Something the archiving run wants the teacher to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Remarque {
    ScanNonAttribue {
        fichier: String,
        raison: String,
    },
    PdfIllisible {
        fichier: String,
        detail: String,
    },
    SignatureImpossible {
        fichier: String,
        detail: String,
    },
    /// A symbolic link among the scans: never followed, so never archived.
    LienIgnore {
        fichier: String,
    },
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
            Remarque::LienIgnore { fichier } => {
                write!(
                    f,
                    "« {fichier} » est un lien symbolique : siodoc ne suit pas les liens, il n'est pas \
                     archivé ; copiez le fichier lui-même dans le dossier des scans"
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
    /// The ZIP written.
    pub chemin: PathBuf,
    pub manifeste: Manifeste,
    pub remarques: Vec<Remarque>,
}

fn type_media(chemin: &str) -> &'static str {
    match chemin.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("pdf") => "application/pdf",
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("json") => "application/json",
        Some("zip") => "application/zip",
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
    let pdf = hayro_syntax::Pdf::new(octets.to_vec()).map_err(|e| match e {
        hayro_syntax::LoadPdfError::Decryption(d) => {
            format!("PDF chiffré, illisible sans son mot de passe ({d:?})")
        }
        hayro_syntax::LoadPdfError::Invalid => {
            "structure PDF invalide : fichier tronqué, endommagé, ou qui n'est pas un PDF"
                .to_string()
        }
    })?;
    if pdf.pages().is_empty() {
        Err("aucune page".into())
    } else {
        Ok(())
    }
}

/// The mode of [`controler_pdf`] when the PDFs are to be sealed.
const MODE_SCEAU: &str = "sceau";

/// Whether the PDF at `chemin` opens (hayro), and, in `mode` [`MODE_SCEAU`], whether the reader
/// that seals it (lopdf) loads it. Both readers follow a file's compressed streams without a
/// bound: a 3 MB PDF can ask them for 4 GB. So [`archiver`] runs this in child processes of
/// siodoc (`entree::isolement::executer_lot`), never on its own memory.
pub fn controler_pdf(chemin: &Path, mode: &str) -> Result<(), String> {
    let octets = crate::entree::lire(chemin, TAILLE_PIECE).map_err(|e| e.to_string())?;
    pdf_lisible(&octets)?;
    if mode == MODE_SCEAU {
        lopdf::Document::load_mem(&octets)
            .map_err(|e| format!("structure PDF non reconnue ({e})"))?;
    }
    Ok(())
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
        pdfa: if type_media(chemin) == "application/pdf" {
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

/// The files under the scans folder, subfolders included, as (path relative to the folder,
/// full path), sorted. Hidden files and the thumbnails caches Windows and macOS leave behind
/// (Thumbs.db, desktop.ini, .DS_Store) are not scans.
fn lister_scans(dossier: &Path) -> Result<super::Parcours, Erreur> {
    let systeme = |nom: &str| {
        nom.starts_with('.')
            || nom.eq_ignore_ascii_case("thumbs.db")
            || nom.eq_ignore_ascii_case("desktop.ini")
    };
    fichiers_sous(dossier, &systeme).map_err(|e| Erreur::Lecture {
        chemin: dossier.to_path_buf(),
        detail: io_fr(&e),
    })
}

/// Where a scan goes, from its path under the scans folder (file and subfolder names): the
/// `scans/` folder of the one candidate whose N° or NOM and prénom (accents, case and
/// separators ignored) it holds; else `non-attribués/`, with the reason. Returns the path in the archive, the candidate's N° and that reason.
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

/// One file to archive: where it is read, where it goes in the archive, what it is.
struct Piece {
    source: PathBuf,
    chemin: String,
    candidat: Option<String>,
    document: String,
    /// A document siodoc generated: listed by the index, signed when sealing. Scans are
    /// archived as they came.
    genere: bool,
}

/// Largest file archived (a scan of a whole dossier is a few tens of megabytes).
const TAILLE_PIECE: u64 = 512 << 20;

/// Files read, checked and signed at once: enough work for every core, little memory.
const LOT: usize = 64;

/// Reads, checks and (when sealing) signs one file.
fn traiter(
    piece: &Piece,
    racine: Option<&Path>,
    sceau: Option<&Sceau>,
    session: u16,
    controle: Option<&Result<(), String>>,
) -> Result<(Vec<u8>, Fichier, Vec<Remarque>), Erreur> {
    if piece.genere && !piece.source.exists() {
        return Err(Erreur::Lecture {
            chemin: piece.source.clone(),
            detail: format!(
                "document absent alors que {INDEX} le liste ; relancez siodoc generer pour \
                 refaire le dossier de la classe, puis archivez de nouveau"
            ),
        });
    }
    // A generated document reached through a link (itself, or a folder on its way) is refused:
    // it could be any file.
    let hors_du_dossier = piece.genere
        && match (std::fs::canonicalize(&piece.source), racine) {
            (Ok(reel), Some(r)) => !reel.starts_with(r),
            _ => false,
        };
    if hors_du_dossier
        || std::fs::symlink_metadata(&piece.source).is_ok_and(|m| m.file_type().is_symlink())
    {
        return Err(Erreur::Lecture {
            chemin: piece.source.clone(),
            detail:
                "c'est un lien symbolique, pas un document produit par siodoc ; siodoc ne suit pas \
                     les liens dans une archive : relancez siodoc generer"
                    .into(),
        });
    }
    let mut octets = crate::entree::lire(&piece.source, TAILLE_PIECE)?;
    let mut remarques = Vec::new();
    let mut signature = None;
    if type_media(&piece.chemin) == "application/pdf" {
        let controle = match controle {
            Some(c) => c.clone(),
            None => Err("fichier non ouvert : il n'est pas un fichier ordinaire".to_string()),
        };
        match controle {
            Err(detail) => remarques.push(Remarque::PdfIllisible {
                fichier: piece.chemin.clone(),
                detail,
            }),
            Ok(()) => {
                if let Some(sceau) = sceau.filter(|_| piece.genere) {
                    match pades::signer(&octets, sceau.certificat, sceau.moment) {
                        Ok(signe) => {
                            octets = signe;
                            signature = Some(PADES.to_string());
                        }
                        Err(detail) => remarques.push(Remarque::SignatureImpossible {
                            fichier: piece.chemin.clone(),
                            detail,
                        }),
                    }
                }
            }
        }
    }
    let mut f = fichier(
        &piece.chemin,
        &octets,
        piece.candidat.clone(),
        &piece.document,
        session,
    );
    f.signature = signature;
    Ok((octets, f, remarques))
}

/// Why a folder has no index, and what to pass instead: often the output folder itself, whose
/// subfolders are the classes.
fn index_absent(dossier: &Path) -> String {
    if !dossier.is_dir() {
        return "dossier introuvable ; passez le dossier d'une classe produit par siodoc \
                generer (par exemple sortie/<classe>)"
            .into();
    }
    let mut classes: Vec<String> = std::fs::read_dir(dossier)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| e.path().join(INDEX).is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    classes.sort();
    match classes.first() {
        Some(premiere) => format!(
            "pas de {INDEX} ici, mais ce dossier contient les classes {} : passez l'une \
             d'elles, par exemple « {} »",
            classes
                .iter()
                .map(|c| format!("« {c} »"))
                .collect::<Vec<_>>()
                .join(", "),
            dossier.join(premiere).display()
        ),
        None => format!(
            "pas de {INDEX} : ce n'est pas le dossier d'une classe produit par siodoc generer \
             (par exemple sortie/<classe>)"
        ),
    }
}

/// Builds the archive of a class folder written by `siodoc generer` (it holds `siodoc-index.json`),
/// with the scans of `scans` matched to candidates by N° or by NOM and prénom in their file name,
/// and writes it as `<classe>.zip` in `dossier_sortie`. With a `sceau`, every generated PDF is
/// signed (PAdES B-B) and so is the manifest; the scans are archived as they came.
///
/// Files are streamed into the ZIP a batch at a time, so memory does not grow with the class;
/// the ZIP appears under its name only once complete. `avancement` hears (files archived, files
/// in all) after each batch.
pub fn archiver(
    dossier_classe: &Path,
    scans: Option<&Path>,
    sceau: Option<&Sceau>,
    dossier_sortie: &Path,
    avancement: &dyn Fn(usize, usize),
) -> Result<Archive, Erreur> {
    let chemin_index = dossier_classe.join(INDEX);
    crate::entree::resoudre(dossier_classe, true)?;
    if !dossier_classe.is_dir() {
        return Err(Erreur::Lecture {
            chemin: dossier_classe.to_path_buf(),
            detail: "ce n'est pas un dossier ; passez le dossier d'une classe produit par siodoc generer".into(),
        });
    }
    if !chemin_index.exists() {
        return Err(Erreur::Lecture {
            chemin: dossier_classe.to_path_buf(),
            detail: index_absent(dossier_classe),
        });
    }
    let octets_index = crate::entree::lire(&chemin_index, 64 << 20)?;
    let index: Index = serde_json::from_slice(&octets_index).map_err(|e| Erreur::Lecture {
        chemin: chemin_index.clone(),
        detail: format!(
            "index de siodoc illisible : {} ; passez le dossier d'une classe produit par siodoc generer \
             (par exemple sortie/<classe>), ou relancez generer",
            crate::erreur::traduire_json(&e)
        ),
    })?;
    // Every path of the index stays inside the output folder: a `..`, an absolute path or a
    // link leading out is refused, with the entry named.
    if let Some(e) = index
        .fichiers
        .iter()
        .find(|e| !super::chemin_sur(&e.chemin))
    {
        return Err(Erreur::Lecture {
            chemin: chemin_index.clone(),
            detail: format!(
                "l'entrée « {} » sort du dossier de sortie (chemin absolu ou « .. ») : index modifié à la \
                 main ? Relancez siodoc generer pour le refaire",
                e.chemin.chars().take(200).collect::<String>()
            ),
        });
    }
    let session = index
        .profil
        .get("session")
        .and_then(|s| s.as_u64())
        .unwrap_or(0) as u16;
    // Index paths are relative to the output folder, the parent of the class folder; a class
    // folder renamed since is found by its index, whatever its name.
    let racine = dossier_classe.parent().unwrap_or(Path::new("."));
    let nom_classe = assainir(&index.classe);
    // Where every generated document must really be, links resolved.
    let racine_reelle = std::fs::canonicalize(racine).ok();
    let source_de = |chemin: &str| match chemin.split_once('/') {
        Some((premier, reste)) if premier == nom_classe => dossier_classe.join(reste),
        _ => racine.join(chemin),
    };
    let mut pieces: Vec<Piece> = index
        .fichiers
        .iter()
        .map(|e| Piece {
            source: source_de(&e.chemin),
            chemin: e.chemin.clone(),
            candidat: e.candidat.as_ref().map(|c| c.numero.clone()),
            document: e.document.clone(),
            genere: true,
        })
        .collect();
    let mut remarques = Vec::new();
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
        let parcours = lister_scans(dossier_scans)?;
        remarques.extend(
            parcours
                .liens
                .into_iter()
                .map(|fichier| Remarque::LienIgnore { fichier }),
        );
        for (nom, source) in parcours.fichiers {
            let (chemin, candidat, raison) = rattacher(&nom, &candidats);
            if let Some(raison) = raison {
                remarques.push(Remarque::ScanNonAttribue {
                    fichier: nom.clone(),
                    raison,
                });
            }
            pieces.push(Piece {
                source,
                chemin,
                candidat,
                document: "scan".into(),
                genere: false,
            });
        }
    }
    pieces.sort_by(|a, b| a.chemin.cmp(&b.chemin));

    if dossier_sortie.is_file() {
        return Err(Erreur::Ecriture {
            chemin: dossier_sortie.to_path_buf(),
            detail: "c'est un fichier ; -o attend le dossier où écrire l'archive".into(),
        });
    }
    std::fs::create_dir_all(dossier_sortie).map_err(|e| Erreur::Ecriture {
        chemin: dossier_sortie.to_path_buf(),
        detail: io_fr(&e),
    })?;
    let cible = dossier_sortie.join(format!("{}.zip", assainir(&index.classe)));
    let erreur_zip = |e: zip::result::ZipError| Erreur::Ecriture {
        chemin: cible.clone(),
        detail: format!("archive ZIP impossible à constituer (détail : {e})"),
    };
    // Fixed dates and permissions, files in path order then the manifest, SHA256SUMS and the
    // manifest's signature: the same content gives the same ZIP bytes.
    let date =
        zip::DateTime::from_date_and_time(session.max(1980), 6, 1, 0, 0, 0).unwrap_or_default();
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date)
        .unix_permissions(0o644);
    let ajouter = |zip: &mut zip::ZipWriter<std::fs::File>, chemin: &str, octets: &[u8]| {
        // PDF, XLSX and images are compressed already, in part: the fastest deflate level
        // gets most of what is left to gain.
        let niveau = match type_media(chemin) {
            "application/json" | "application/octet-stream" => None,
            _ => Some(1),
        };
        zip.start_file(chemin, options.compression_level(niveau))
            .map_err(erreur_zip)?;
        zip.write_all(octets).map_err(|e| Erreur::Ecriture {
            chemin: cible.clone(),
            detail: io_fr(&e),
        })
    };

    let manifeste = ecrire_atomique_avec(&cible, |fichier| {
        let mut zip = zip::ZipWriter::new(fichier);
        let mut fichiers = Vec::with_capacity(pieces.len());
        for lot in pieces.chunks(LOT) {
            // The lot's PDFs opened first, away from this process's memory (controler_pdf);
            // only regular files: a link is refused by `traiter` before any reading.
            let pdfs: Vec<&Path> = lot
                .iter()
                .filter(|p| type_media(&p.chemin) == "application/pdf")
                .filter(|p| std::fs::symlink_metadata(&p.source).is_ok_and(|m| m.is_file()))
                .map(|p| p.source.as_path())
                .collect();
            let mode = if sceau.is_some() { MODE_SCEAU } else { "" };
            let controles: std::collections::HashMap<&Path, Result<(), String>> = pdfs
                .iter()
                .copied()
                .zip(crate::entree::isolement::executer_lot(
                    &pdfs,
                    mode,
                    |c| controler_pdf(c, mode),
                    "rescannez le document, ou ouvrez-le et enregistrez-le de nouveau en PDF",
                ))
                .collect();
            // Check and sign in parallel: RSA signing dominates a sealed run.
            let traites: Vec<_> = lot
                .par_iter()
                .map(|p| {
                    let controle = controles.get(p.source.as_path());
                    traiter(p, racine_reelle.as_deref(), sceau, session, controle)
                })
                .collect();
            for t in traites {
                let (octets, f, r) = t?;
                remarques.extend(r);
                ajouter(&mut zip, &f.chemin, &octets)?;
                fichiers.push(f);
            }
            avancement(fichiers.len(), pieces.len());
        }
        let manifeste = Manifeste {
            siodoc: env!("CARGO_PKG_VERSION").to_string(),
            classe: index.classe.clone(),
            session,
            profil: index.profil.clone(),
            sceau: sceau.map(|s| s.certificat.titulaire()),
            fichiers,
        };
        let manifeste_json = serde_json::to_vec_pretty(&manifeste).unwrap_or_default();
        let mut sommes = String::new();
        for f in &manifeste.fichiers {
            sommes.push_str(&format!("{}  {}\n", f.sha256, f.chemin));
        }
        sommes.push_str(&format!(
            "{}  {MANIFESTE}\n",
            hex(&Sha256::digest(&manifeste_json))
        ));
        let signature_manifeste = match sceau {
            Some(s) => {
                let p7s = cms::signer(s.certificat, &Sha256::digest(&manifeste_json)).map_err(
                    |detail| Erreur::Ecriture {
                        chemin: cible.clone(),
                        detail: format!("signature du manifeste impossible ({detail})"),
                    },
                )?;
                sommes.push_str(&format!(
                    "{}  {SIGNATURE_MANIFESTE}\n",
                    hex(&Sha256::digest(&p7s))
                ));
                Some(p7s)
            }
            None => None,
        };
        ajouter(&mut zip, MANIFESTE, &manifeste_json)?;
        ajouter(&mut zip, SOMMES, sommes.as_bytes())?;
        if let Some(p7s) = signature_manifeste {
            ajouter(&mut zip, SIGNATURE_MANIFESTE, &p7s)?;
        }
        zip.finish().map_err(erreur_zip)?;
        Ok(manifeste)
    })?;
    Ok(Archive {
        chemin: cible,
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
        // A name written by macOS: « é » as « e » and a combining accent.
        assert_eq!(
            vers("Zoe\u{301} N'Guyen.pdf").1.as_deref(),
            Some("026000102")
        );
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
