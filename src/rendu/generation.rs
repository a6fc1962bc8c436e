//! Renders every document of a class in parallel (one worker per core) and writes each
//! atomically. One document's
//! failure is recorded and the others go on. Progress goes through a callback: this module
//! knows nothing of the terminal.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use typst::foundations::Datetime;

use super::formulaires::Document;
use super::moteur::{DocumentLot, ErreurRendu, Moteur, OptionsPdf};
use super::nommage::{Nommage, Variables, assainir};

/// Where and how to write.
pub struct Options<'a> {
    pub sortie: &'a Path,
    pub nommage: &'a Nommage,
    pub classe: &'a str,
    pub session: u16,
    pub date: Datetime,
    pub standards: typst_pdf::PdfStandards,
}

/// One document done (or failed), for progress reports.
pub struct Avancement<'a> {
    pub chemin: &'a Path,
    pub erreur: Option<&'a str>,
}

#[derive(Debug, Default)]
pub struct Bilan {
    /// Files written, relative to the output folder.
    pub ecrits: Vec<PathBuf>,
    /// (document, French reason) of each failure.
    pub echecs: Vec<(PathBuf, String)>,
    /// Typst warnings, with their document.
    pub avertissements: Vec<(PathBuf, String)>,
    /// Parts of the print files already read, for [`ecrire_impression`].
    pub prelus: Prelus,
}

/// Print-file parts read while the rendering ended (see [`lire_en_attendant`]), by document.
#[derive(Default)]
pub struct Prelus(HashMap<usize, super::impression::Piece>);

impl std::fmt::Debug for Prelus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prelus({} parties)", self.0.len())
    }
}

/// At most this many parts are read ahead: they are held until their print file is merged.
const PRELUS_MAX: usize = 256;

/// The print files: name, title, and the documents each one takes.
type Impression = (
    &'static str,
    &'static str,
    fn(super::formulaires::Genre) -> bool,
);
const IMPRESSIONS: [Impression; 2] = [
    ("tableaux-de-synthese", "Tableaux de synthèse", |g| {
        g == super::formulaires::Genre::TableauSynthese
    }),
    ("fiches", "Fiches descriptives", |g| {
        matches!(g, super::formulaires::Genre::Fiche(_))
    }),
];

/// Whether a document goes into a print file.
fn imprime(genre: super::formulaires::Genre) -> bool {
    IMPRESSIONS.iter().any(|(_, _, du_genre)| du_genre(genre))
}

/// The relative path of every document (with extension), unique even if two candidates share a
/// name and a number.
pub fn chemins(docs: &[Document], opts: &Options, extension: &str) -> Result<Vec<PathBuf>, String> {
    let mut vus = HashSet::new();
    // The next number to try for each name already taken: a pattern that gives every candidate
    // the same name (« {{classe}}/x-{{document}} ») numbers them in one pass, not by trying
    // -2, -3… again for each (3 000 candidates, XLSX only: 10.7 → 3.8 s).
    let mut suivants: std::collections::HashMap<PathBuf, usize> = std::collections::HashMap::new();
    docs.iter()
        .map(|d| {
            let base = match &d.candidat {
                Some(c) => opts.nommage.chemin(&Variables {
                    classe: opts.classe,
                    session: opts.session,
                    option: &c.option,
                    nom: &c.nom,
                    prenom: &c.prenom,
                    numero: &c.numero,
                    document: &d.genre.nom_fichier(),
                })?,
                None => Path::new(&assainir(opts.classe)).join(d.genre.nom_fichier()),
            };
            let mut chemin = base.with_extension(extension);
            if !vus.insert(chemin.clone()) {
                let n = suivants.entry(base.clone()).or_insert(2);
                loop {
                    chemin = PathBuf::from(format!("{}-{n}.{extension}", base.display()));
                    *n += 1;
                    if vus.insert(chemin.clone()) {
                        break;
                    }
                }
            }
            Ok(chemin)
        })
        .collect()
}

/// Gives a document's data (/data.json) when it is about to be rendered: made from the model
/// ([`super::formulaires::Preparation::donnees`]) or read back ([`super::reserve::Reserve`]).
/// The error says why they cannot be had; that document alone then fails.
pub type Donnees<'a> = dyn Fn(&Document) -> Result<Vec<u8>, String> + Sync + 'a;

/// Renders and writes all documents in parallel, each one's data made by `donnees` when its
/// lot is rendered.
pub fn generer(
    moteur: &Moteur,
    docs: &[Document],
    donnees: &Donnees,
    opts: &Options,
    avancement: &(dyn Fn(Avancement) + Sync),
) -> Result<Bilan, String> {
    let chemins = chemins(docs, opts, "pdf")?;
    let lots = lots(docs);
    // Plain worker threads, not tasks of the global rayon pool: a rayon worker waiting on
    // Typst's parallel work would steal another document and start it on top of its stack
    // (deep stacks, many documents in flight, memory growing). Each worker runs inside a rayon
    // pool of its own, of one thread, so that what Typst and krilla hand to rayon (page runs,
    // page streams) is done by that worker between its own steps, not passed to other
    // threads that wake, spin and yield: the two cores stay on the two documents in hand.
    // 35 candidates, 30 runs each way: wall time median 0.28 → 0.27 s, CPU time −2 %; the
    // system calls futex 440 → 139 and sched_yield 1 540 → 375.
    let suivant = AtomicUsize::new(0);
    let travailleurs = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(lots.len().max(1));
    // The PDFs are written by a thread of their own, so that the workers lay out the next lot
    // while a file waits for the disk (each write is synced, about 0.3 ms twice). The queue
    // holds two lots per worker at most.
    let (envoi, file) =
        std::sync::mpsc::sync_channel::<(usize, Rendu)>(2 * TAILLE_LOT * travailleurs);
    // Documents written (set by the writer), workers still rendering, and the print-file parts
    // read by a worker that has no lot left while another finishes its own.
    let ecrits: Vec<AtomicBool> = docs.iter().map(|_| AtomicBool::new(false)).collect();
    let actifs = AtomicUsize::new(0);
    let attente = Attente {
        ordre: lots.iter().flatten().copied().collect(),
        suivant: AtomicUsize::new(0),
        lus: Mutex::new(HashMap::new()),
    };
    let resultats: Vec<(usize, PathBuf, Result<Vec<String>, String>)> = std::thread::scope(|s| {
        let ecrivain = s.spawn(|| {
            let mut faits = Vec::new();
            for (i, rendu) in file {
                let resultat = rendu.and_then(|(octets, avertissements)| {
                    ecrire(&opts.sortie.join(&chemins[i]), &octets).map(|()| avertissements)
                });
                if resultat.is_ok() {
                    ecrits[i].store(true, Ordering::Release);
                }
                avancement(Avancement {
                    chemin: &chemins[i],
                    erreur: resultat.as_ref().err().map(String::as_str),
                });
                faits.push((i, chemins[i].clone(), resultat));
            }
            faits
        });
        for _ in 0..travailleurs {
            let envoi = envoi.clone();
            let (suivant, lots, actifs) = (&suivant, &lots, &actifs);
            let (ecrits, attente, chemins) = (&ecrits, &attente, &chemins);
            actifs.fetch_add(1, Ordering::AcqRel);
            // Typst lays out deep content recursively: give each worker room. A worker that
            // cannot start leaves its lots to the others.
            let lance = std::thread::Builder::new()
                .stack_size(PILE)
                .spawn_scoped(s, move || {
                    let travail = || {
                        while let Some(lot) = lots.get(suivant.fetch_add(1, Ordering::Relaxed)) {
                            for rendu in rendre_lot(moteur, docs, donnees, lot, opts) {
                                if envoi.send(rendu).is_err() {
                                    return;
                                }
                            }
                        }
                    };
                    // Without its pool (threads refused), the worker uses the global one.
                    match rayon::ThreadPoolBuilder::new()
                        .num_threads(1)
                        .stack_size(PILE)
                        .build()
                    {
                        Ok(pool) => pool.install(travail),
                        Err(_) => travail(),
                    }
                    drop(envoi);
                    if actifs.fetch_sub(1, Ordering::AcqRel) > 1 {
                        lire_en_attendant(docs, chemins, opts, ecrits, actifs, attente);
                    }
                });
            if lance.is_err() {
                actifs.fetch_sub(1, Ordering::AcqRel);
            }
        }
        drop(envoi);
        let mut tous = ecrivain.join().unwrap_or_default();
        tous.sort_by_key(|(i, _, _)| *i);
        tous
    });
    let mut bilan = Bilan {
        prelus: Prelus(attente.lus.into_inner().unwrap_or_default()),
        ..Bilan::default()
    };
    // A document no worker reached is a failure too, never a silent gap.
    let faits: HashSet<usize> = resultats.iter().map(|(i, _, _)| *i).collect();
    for (_, chemin) in chemins
        .iter()
        .enumerate()
        .filter(|(i, _)| !faits.contains(i))
    {
        bilan.echecs.push((
            chemin.clone(),
            "document non produit : aucun processus de rendu n'a pu démarrer".into(),
        ));
    }
    for (_, chemin, r) in resultats {
        match r {
            Ok(avertissements) => {
                bilan
                    .avertissements
                    .extend(avertissements.into_iter().map(|a| (chemin.clone(), a)));
                bilan.ecrits.push(chemin);
            }
            Err(e) => bilan.echecs.push((chemin, e)),
        }
    }
    Ok(bilan)
}

/// What a worker with no lot left reads while the others finish theirs.
struct Attente {
    /// Documents in the order they were rendered (lot after lot).
    ordre: Vec<usize>,
    /// Next place in `ordre` to look at, shared by the workers that wait.
    suivant: AtomicUsize,
    lus: Mutex<HashMap<usize, super::impression::Piece>>,
}

/// Reads the print-file parts already written while another worker renders the last lots: the
/// core that would wait does part of the merge's work (lopdf parsing every part, most of it)
/// before it starts. Stops as soon as the rendering is over. A part not yet written, or that
/// cannot be read here, is read by [`ecrire_impression`], which says what is wrong with it.
/// Class of 35, 30 runs each way, twice: median −4 to −9 ms (about 2 %); 15 to 90 parts read.
fn lire_en_attendant(
    docs: &[Document],
    chemins: &[PathBuf],
    opts: &Options,
    ecrits: &[AtomicBool],
    actifs: &AtomicUsize,
    attente: &Attente,
) {
    while actifs.load(Ordering::Acquire) > 0 {
        let Some(&i) = attente
            .ordre
            .get(attente.suivant.fetch_add(1, Ordering::Relaxed))
        else {
            return;
        };
        if !imprime(docs[i].genre) || !ecrits[i].load(Ordering::Acquire) {
            continue;
        }
        let lu = crate::entree::lire(&opts.sortie.join(&chemins[i]), 256 << 20)
            .ok()
            .and_then(|octets| super::impression::Piece::lire(&octets).ok());
        let Ok(mut lus) = attente.lus.lock() else {
            return;
        };
        if let Some(piece) = lu {
            lus.insert(i, piece);
        }
        if lus.len() >= PRELUS_MAX {
            return;
        }
    }
}

/// Cache age kept by comemo after each lot (each worker evicts after its own lot): 2 keeps what
/// the lots just laid out share with the next ones (the templates' evaluation, their common
/// blocks). `generer --formats pdf`: 35 candidates 0.35 → 0.31 s (CPU time −15 %), 1 000
/// candidates CPU time 12.8 → 10.5 s; peak memory +10 to +20 MB, bounded (10 000 candidates:
/// 163 MB); 1 gains nothing, 4 no more than 2.
const EVICTION: usize = 2;

/// Stack of each worker thread.
const PILE: usize = 64 << 20;

/// Documents laid out together: same template, at most [`TAILLE_LOT`], in workbook order.
pub const TAILLE_LOT: usize = 8;

fn lots(docs: &[Document]) -> Vec<Vec<usize>> {
    let mut ordre: Vec<usize> = (0..docs.len()).collect();
    ordre.sort_by_key(|&i| docs[i].modele);
    let mut lots: Vec<Vec<usize>> = Vec::new();
    for i in ordre {
        match lots.last_mut() {
            Some(l)
                if l.len() < TAILLE_LOT
                    && docs[l[0]].modele == docs[i].modele
                    && docs[l[0]].suite.is_empty()
                    && docs[i].suite.is_empty() =>
            {
                l.push(i)
            }
            _ => lots.push(vec![i]),
        }
    }
    lots
}

/// A document in parts (the class overview of a large class): each part laid out alone, the
/// cache cleared between them, then the PDFs joined into one.
fn rendre_en_parties(
    moteur: &Moteur,
    d: &Document,
    pdf: &OptionsPdf,
    opts: &Options,
) -> Result<super::moteur::PdfRendu, ErreurRendu> {
    // The parts' structure trees would be left by the merge: they are not made. A standard
    // that requires them (PDF/UA, PDF/A level A) gets them, and loses them in the merge as before.
    let sans_balises = OptionsPdf {
        identifiant: d.identifiant.clone(),
        balise: false,
        ..pdf.clone()
    };
    let balisees = OptionsPdf {
        balise: true,
        ..sans_balises.clone()
    };
    let mut parts = Vec::new();
    let mut avertissements = Vec::new();
    for donnees in std::iter::once(&d.donnees).chain(&d.suite) {
        let (octets, a) = moteur
            .pdf(d.modele, donnees, &sans_balises)
            .or_else(|_| moteur.pdf(d.modele, donnees, &balisees))?;
        typst::comemo::evict(0);
        let n = parts.len() + 1;
        parts.push(
            super::impression::Piece::lire(&octets).map_err(|e| ErreurRendu {
                message: format!("partie n° {n} {e}"),
            })?,
        );
        avertissements.extend(a);
    }
    let date = date_pdf(opts);
    let octets = super::impression::assembler(
        parts,
        &super::impression::Assemblage {
            titre: &d.titre,
            auteur: &d.auteur,
            date,
            recto_verso: false,
        },
    )
    .map_err(|message| ErreurRendu { message })?;
    Ok((octets, avertissements))
}

/// A document rendered (its PDF and layout warnings), or why it was not.
type Rendu = Result<(Vec<u8>, Vec<String>), String>;

/// One lot: layout, one PDF per document (written by the caller).
fn rendre_lot(
    moteur: &Moteur,
    docs: &[Document],
    donnees: &Donnees,
    lot: &[usize],
    opts: &Options,
) -> Vec<(usize, Rendu)> {
    // A document whose data cannot be had fails alone; the others of the lot are rendered.
    let mut sans_donnees = Vec::new();
    let mut faites = Vec::new();
    for &i in lot {
        match donnees(&docs[i]) {
            Ok(faite) => faites.push((i, faite)),
            Err(e) => sans_donnees.push((i, Err(format!("données du document illisibles : {e}")))),
        }
    }
    if faites.is_empty() {
        return sans_donnees;
    }
    let lot: Vec<usize> = faites.iter().map(|(i, _)| *i).collect();
    let metas: Vec<(String, Vec<String>)> = lot
        .iter()
        .map(|&i| (docs[i].description(), docs[i].mots_cles()))
        .collect();
    let entrees: Vec<DocumentLot> = faites
        .iter()
        .zip(&metas)
        .map(|(&(i, ref faite), (description, mots_cles))| DocumentLot {
            donnees: faite,
            titre: &docs[i].titre,
            auteur: &docs[i].auteur,
            description,
            mots_cles,
            identifiant: docs[i].identifiant.clone(),
        })
        .collect();
    let pdf = OptionsPdf {
        date: opts.date,
        identifiant: String::new(),
        standards: opts.standards.clone(),
        balise: true,
    };
    let rendus = if lot.len() == 1 && !docs[lot[0]].suite.is_empty() {
        vec![rendre_en_parties(moteur, &docs[lot[0]], &pdf, opts)]
    } else {
        moteur.pdf_lot(docs[lot[0]].modele, &entrees, &pdf)
    };
    // Keep memory flat over thousands of documents, on the error path too: only what recent
    // lots used is kept (see EVICTION).
    typst::comemo::evict(EVICTION);
    lot.iter()
        .zip(rendus)
        .map(|(&i, rendu)| {
            (
                i,
                rendu.map_err(|ErreurRendu { message }| {
                    format!("mise en page impossible : {message}")
                }),
            )
        })
        .chain(sans_donnees)
        .collect()
}

fn ecrire(chemin: &Path, octets: &[u8]) -> Result<(), String> {
    creer_dossier_de(chemin)?;
    crate::fichier::ecrire_atomique(chemin, octets).map_err(|e| e.to_string())
}

/// Makes the folder `chemin` goes in.
fn creer_dossier_de(chemin: &Path) -> Result<(), String> {
    if let Some(dossier) = chemin.parent() {
        std::fs::create_dir_all(dossier).map_err(|e| {
            format!(
                "dossier « {} » impossible à créer : {}",
                dossier.display(),
                crate::erreur::io_fr(&e)
            )
        })?;
    }
    Ok(())
}

/// Writes each document's Typst sources so that the plain `typst` CLI rebuilds it:
/// `<dossier>/<chemin>/main.typ`, `commun.typ`, `data.json`, and the fonts once in
/// `<dossier>/fonts/`. Returns the folders written.
pub fn exporter_sources(
    moteur: &Moteur,
    docs: &[Document],
    donnees: &Donnees,
    opts: &Options,
    dossier: &Path,
) -> Result<Vec<PathBuf>, String> {
    let chemins = chemins(docs, opts, "")?;
    let polices = dossier.join("fonts");
    for (nom, octets) in super::moteur::POLICES {
        ecrire(&polices.join(nom), octets)?;
    }
    let commun = moteur
        .modeles()
        .find(|(n, _)| *n == "commun.typ")
        .map(|(_, t)| t)
        .unwrap_or_default();
    let mut ecrits = Vec::new();
    for (d, relatif) in docs.iter().zip(&chemins) {
        let cible = dossier.join(relatif.with_extension(""));
        let principal = moteur
            .modeles()
            .find(|(n, _)| *n == d.modele)
            .map(|(_, t)| t)
            .unwrap_or_default();
        ecrire(&cible.join("main.typ"), principal.as_bytes())?;
        ecrire(&cible.join("commun.typ"), commun.as_bytes())?;
        ecrire(&cible.join("data.json"), &donnees(d)?)?;
        ecrits.push(cible);
    }
    Ok(ecrits)
}

/// Writes the XLSX outputs next to the PDFs: each candidate's tableau de synthèse (same path
/// as its PDF, `.xlsx`) and the class workbook `<classe>/classe-synthese.xlsx`.
pub fn generer_tableurs(
    classeur: &crate::classeur::Classeur,
    profil: &crate::session::ProfilSession,
    diagnostics: &[crate::diagnostic::Diagnostic],
    docs: &[Document],
    opts: &Options,
    officiel: Option<&super::officiel::ModeleOfficiel>,
) -> Result<Bilan, String> {
    use rayon::prelude::*;
    // With --modele-officiel, each candidate's copy of the circulaire's file (same extension)
    // takes the place of the replica.
    let extension = officiel.map_or("xlsx", |o| o.extension.as_str());
    let chemins = chemins(docs, opts, extension)?;
    // Each workbook is written as soon as it is made: memory does not grow with the class.
    type Travail = (PathBuf, Result<(), String>, Vec<String>);
    let mut travaux: Vec<Travail> = docs
        .par_iter()
        .zip(chemins.par_iter())
        .filter(|(d, _)| d.genre == super::formulaires::Genre::TableauSynthese)
        .filter_map(|(d, chemin)| {
            let identite = d.candidat.as_ref()?;
            let c = classeur.candidat(&identite.numero)?;
            let option = c.option()?;
            Some(match officiel {
                Some(o) => match o.remplir(classeur, profil.session, c, option) {
                    Ok((octets, avertissements)) => (
                        chemin.clone(),
                        ecrire(&opts.sortie.join(chemin), &octets),
                        avertissements,
                    ),
                    Err(e) => (
                        chemin.clone(),
                        Err(format!("modèle officiel impossible à remplir : {e}")),
                        Vec::new(),
                    ),
                },
                None => (
                    chemin.clone(),
                    super::tableur::tableau(classeur, profil, c, option)
                        .map_err(|e| format!("classeur impossible à produire : {e}"))
                        .and_then(|octets| ecrire(&opts.sortie.join(chemin), &octets)),
                    Vec::new(),
                ),
            })
        })
        .collect();
    let classe = Path::new(&assainir(opts.classe)).join("classe-synthese.xlsx");
    let ecrit = super::tableur::classe(classeur, profil, diagnostics)
        .map_err(|e| format!("classeur impossible à produire : {e}"))
        .and_then(|octets| ecrire(&opts.sortie.join(&classe), &octets));
    travaux.push((classe, ecrit, Vec::new()));
    let mut bilan = Bilan::default();
    for (chemin, ecrit, avertissements) in travaux {
        bilan
            .avertissements
            .extend(avertissements.into_iter().map(|a| (chemin.clone(), a)));
        match ecrit {
            Ok(()) => bilan.ecrits.push(chemin),
            Err(e) => bilan.echecs.push((chemin, e)),
        }
    }
    Ok(bilan)
}

/// Name of the index `generer` leaves in the class folder: which file belongs to whom.
pub const INDEX: &str = "siodoc-index.json";

/// One generated file, as the archive stage needs to know it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct EntreeIndex {
    /// Path relative to the output folder.
    pub chemin: String,
    /// « tableau-de-synthese », « fiche-1 », « synthese-classe », « classe-synthese »…
    pub document: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidat: Option<super::formulaires::Identite>,
}

/// The index of everything written, sorted by path, in `<sortie>/<classe>/siodoc-index.json`.
/// Written as it is serialized, one entry made at a time: the index of 10 000 candidates
/// (40 000 files) is never held whole, as a tree or as bytes.
pub fn ecrire_index(
    docs: &[Document],
    opts: &Options,
    ecrits: &[PathBuf],
    profil: &crate::session::ProfilSession,
) -> Result<PathBuf, String> {
    let ecrits: HashSet<&PathBuf> = ecrits.iter().collect();
    let mut entrees: Vec<(String, Option<&Document>)> = Vec::new();
    for extension in ["pdf", "xlsx", "xlsm", "ods"] {
        for (d, chemin) in docs.iter().zip(chemins(docs, opts, extension)?) {
            if ecrits.contains(&chemin) {
                entrees.push((chemin.to_string_lossy().replace('\\', "/"), Some(d)));
            }
        }
    }
    let classe = Path::new(&assainir(opts.classe)).join("classe-synthese.xlsx");
    if ecrits.contains(&classe) {
        entrees.push((classe.to_string_lossy().replace('\\', "/"), None));
    }
    entrees.sort_by(|a, b| a.0.cmp(&b.0));
    let index = Index {
        classe: opts.classe,
        fichiers: Entrees(entrees),
        profil: serde_json::to_value(profil).map_err(|e| e.to_string())?,
        siodoc: env!("CARGO_PKG_VERSION"),
    };
    let relatif = Path::new(&assainir(opts.classe)).join(INDEX);
    let chemin = opts.sortie.join(&relatif);
    creer_dossier_de(&chemin)?;
    crate::fichier::ecrire_atomique_avec(&chemin, |f| {
        use std::io::Write;
        let mut tampon = std::io::BufWriter::new(f);
        serde_json::to_writer_pretty(&mut tampon, &index)
            .map_err(std::io::Error::from)
            .and_then(|()| tampon.flush())
            .map_err(|e| crate::Erreur::Ecriture {
                chemin: chemin.clone(),
                detail: crate::erreur::io_fr(&e),
            })
    })
    .map_err(|e| e.to_string())?;
    Ok(relatif)
}

/// The index as written: its keys in alphabetical order, as a `serde_json::Value` gives them.
#[derive(serde::Serialize)]
struct Index<'a> {
    classe: &'a str,
    fichiers: Entrees<'a>,
    profil: serde_json::Value,
    siodoc: &'static str,
}

/// The index's files (path, and the document written there, none for the class workbook), each
/// made into its [`EntreeIndex`] only when serialized.
struct Entrees<'a>(Vec<(String, Option<&'a Document>)>);

impl serde::Serialize for Entrees<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut suite = s.serialize_seq(Some(self.0.len()))?;
        for (chemin, d) in &self.0 {
            let entree = EntreeIndex {
                chemin: chemin.clone(),
                document: d.map_or("classe-synthese".into(), |d| d.genre.nom_fichier()),
                candidat: d.and_then(|d| d.candidat.as_deref().cloned()),
            };
            // Through a Value, so that its keys (and its candidate's) stay in alphabetical order.
            suite.serialize_element(&serde_json::to_value(&entree).map_err(S::Error::custom)?)?;
        }
        suite.end()
    }
}

/// Candidates per print-ready file: a larger class gets numbered volumes
/// (`tableaux-de-synthese-01.pdf`…), so that merging never holds more than this in memory.
pub const CANDIDATS_PAR_VOLUME: usize = 50;

/// Where the print-ready class files go, inside the class folder.
pub const DOSSIER_IMPRESSION: &str = "impression";

/// A part of a print file: its document (index) and file.
type Partie<'a> = (usize, &'a PathBuf);

/// The print-ready class files: `<classe>/impression/tableaux-de-synthese.pdf` and
/// `fiches.pdf`, each every candidate's PDF of that kind in class order, merged from the files
/// just written (a candidate whose document failed is absent, as the run already said).
/// Returns the files written and, for each kind, how many documents it holds. The parts
/// `prelus` holds are not read again.
pub fn ecrire_impression(
    docs: &[Document],
    opts: &Options,
    ecrits: &[PathBuf],
    recto_verso: bool,
    prelus: Prelus,
) -> Result<Vec<(PathBuf, usize)>, String> {
    use super::impression::{Assemblage, Piece, assembler};
    let chemins = chemins(docs, opts, "pdf")?;
    let date = date_pdf(opts);
    let auteur = docs.first().map_or("siodoc", |d| &*d.auteur);
    let ecrits: HashSet<&PathBuf> = ecrits.iter().collect();
    // Each volume: its file, its title, its parts. Merged two at a time (one per core).
    let mut volumes_a_faire: Vec<(String, String, Vec<Partie>)> = Vec::new();
    for (nom, titre, du_genre) in IMPRESSIONS {
        // The documents of this kind, in class order, grouped by candidate.
        let mut candidats: Vec<Vec<Partie>> = Vec::new();
        let mut dernier: Option<&str> = None;
        for (i, (d, chemin)) in docs.iter().zip(&chemins).enumerate() {
            if !du_genre(d.genre) || !ecrits.contains(chemin) {
                continue;
            }
            let qui = d.candidat.as_ref().map(|c| c.numero.as_str());
            if qui != dernier || candidats.is_empty() {
                candidats.push(Vec::new());
                dernier = qui;
            }
            if let Some(c) = candidats.last_mut() {
                c.push((i, chemin));
            }
        }
        // A class of any size is printed in volumes, so that memory stays bounded.
        let volumes: Vec<&[Vec<Partie>]> = candidats.chunks(CANDIDATS_PAR_VOLUME).collect();
        for (v, volume) in volumes.iter().enumerate() {
            let (fichier, titre) = if volumes.len() == 1 {
                (
                    format!("{nom}.pdf"),
                    format!(
                        "{titre} — classe {} — session {}",
                        opts.classe, opts.session
                    ),
                )
            } else {
                let premier = v * CANDIDATS_PAR_VOLUME + 1;
                (
                    format!("{nom}-{:02}.pdf", v + 1),
                    format!(
                        "{titre} — classe {} — session {} — candidats {premier} à {}",
                        opts.classe,
                        opts.session,
                        premier + volume.len() - 1
                    ),
                )
            };
            volumes_a_faire.push((fichier, titre, volume.iter().flatten().copied().collect()));
        }
    }
    use rayon::prelude::*;
    let prelus = Mutex::new(prelus.0);
    let faits: Vec<Result<(PathBuf, usize), String>> = volumes_a_faire
        .par_iter()
        .map(|(fichier, titre, chemins)| {
            // Reading the parts is most of a merge's work (lopdf parses every object), and
            // each part is read alone: in parallel, so that the two cores share the larger
            // volume rather than one core each taking a volume (70 fiches, 35 tableaux).
            let parts: Vec<Piece> = chemins
                .par_iter()
                .map(|&(i, chemin)| {
                    if let Some(piece) = prelus.lock().ok().and_then(|mut p| p.remove(&i)) {
                        return Ok(piece);
                    }
                    let octets = crate::entree::lire(&opts.sortie.join(chemin), 256 << 20)
                        .map_err(|e| e.to_string())?;
                    Piece::lire(&octets).map_err(|e| format!("{} {e}", chemin.display()))
                })
                .collect::<Result<_, String>>()
                .map_err(|e| format!("{fichier} : {e}"))?;
            let documents = parts.len();
            let octets = assembler(
                parts,
                &Assemblage {
                    titre,
                    auteur,
                    date,
                    recto_verso,
                },
            )
            .map_err(|e| format!("{fichier} : {e}"))?;
            let relatif = Path::new(&assainir(opts.classe))
                .join(DOSSIER_IMPRESSION)
                .join(fichier);
            ecrire(&opts.sortie.join(&relatif), &octets)?;
            Ok((relatif, documents))
        })
        .collect();
    // The first failure in class order, whatever finished first.
    faits.into_iter().collect()
}

/// The documents' date as the merged files' info dictionary and metadata write it.
fn date_pdf(opts: &Options) -> (u16, u8, u8) {
    (
        u16::try_from(opts.date.year().unwrap_or(2000)).unwrap_or(2000),
        opts.date.month().unwrap_or(1),
        opts.date.day().unwrap_or(1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The print files are the same bytes whether their parts were read ahead, by a worker
    /// waiting for the last lots, or read by the merge itself.
    #[test]
    fn print_files_are_the_same_with_parts_read_ahead() {
        use crate::rendu::formulaires::Preparation;
        let exemple = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/classe-2026.xlsx");
        let chargement = crate::chargement::charger(&exemple, None, None).unwrap();
        let (Some(classeur), Some(profil)) = (&chargement.classeur, &chargement.profil) else {
            panic!("exemple illisible");
        };
        let preparation = Preparation::new(classeur, profil, &chargement.diagnostics, true);
        let (docs, _) = preparation.documents();
        let donnees = |d: &Document| Ok(preparation.donnees(d));
        let dir = tempfile::tempdir().unwrap();
        let nommage = Nommage::new(super::super::nommage::MOTIF_DEFAUT).unwrap();
        let opts = Options {
            sortie: dir.path(),
            nommage: &nommage,
            classe: "classe",
            session: 2026,
            date: Datetime::from_ymd(2026, 6, 1).unwrap(),
            standards: super::super::moteur::standards_pdf("a-2b").unwrap(),
        };
        let bilan = generer(&Moteur::new(), &docs, &donnees, &opts, &|_| {}).unwrap();
        assert!(bilan.echecs.is_empty(), "{:?}", bilan.echecs);
        let imprimer = |prelus: Prelus| {
            let faits = ecrire_impression(&docs, &opts, &bilan.ecrits, false, prelus).unwrap();
            assert_eq!(faits.len(), 2);
            faits
                .iter()
                .map(|(chemin, _)| std::fs::read(dir.path().join(chemin)).unwrap())
                .collect::<Vec<_>>()
        };
        let sans = imprimer(Prelus::default());

        // What a waiting worker reads while `actifs` workers still render.
        let chemins = chemins(&docs, &opts, "pdf").unwrap();
        let ecrits: Vec<AtomicBool> = docs.iter().map(|_| AtomicBool::new(true)).collect();
        let lire_d_avance = |actifs: usize| {
            let attente = Attente {
                ordre: (0..docs.len()).collect(),
                suivant: AtomicUsize::new(0),
                lus: Mutex::new(HashMap::new()),
            };
            let actifs = AtomicUsize::new(actifs);
            lire_en_attendant(&docs, &chemins, &opts, &ecrits, &actifs, &attente);
            attente.lus.into_inner().unwrap()
        };

        // Every part read ahead, as if another worker were still rendering.
        let lus = lire_d_avance(1);
        let attendus = docs.iter().filter(|d| imprime(d.genre)).count();
        assert_eq!(lus.len(), attendus);
        assert!(attendus >= 3);
        assert!(
            imprimer(Prelus(lus)) == sans,
            "fichiers d'impression différents"
        );
        // Nothing is read once no worker renders any more.
        assert!(lire_d_avance(0).is_empty());
    }
}
