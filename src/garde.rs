//! A guard over the rendering of documents: Typst runs templates, and a template (one of
//! `--modeles` above all) can ask for unbounded memory (`range(400000000)`: 24 GB, then the
//! kernel kills the process) or loop for hours. Neither can be stopped inside Typst, so a thread
//! watches the process from outside and, past a limit, stops the run itself with a French
//! message and a documented exit code, rather than let the machine swap, the kernel kill
//! siodoc, or the run hang. Documents already written stay complete (each is written
//! atomically); the temporary file of one being written is removed.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// Resident memory past which the rendering is stopped. A class of 10 000 candidates peaks at
/// about 160 MB; the reading of workbooks has its own limit, in its own process.
const MEMOIRE_MAX: u64 = 2 << 30;

/// Time without a document finished past which the rendering is stopped (a lot of eight
/// documents takes well under a second). `SIODOC_DELAI_SANS_DOCUMENT` (seconds) changes it, 0
/// lifts it.
const DELAI_SANS_DOCUMENT: Duration = Duration::from_secs(300);

/// How often the guard looks.
const PERIODE: Duration = Duration::from_millis(20);

pub struct Garde {
    /// Milliseconds since `debut` at the last document finished.
    dernier: Arc<AtomicU64>,
    debut: Instant,
    /// Dropped when the rendering ends: the guard wakes at once and stops, instead of finishing
    /// its sleep (up to 20 ms that the end of every run waited for).
    fin: Option<Sender<()>>,
    fil: Option<std::thread::JoinHandle<()>>,
}

impl Garde {
    /// Starts watching; `sortie` is the output folder (where a temporary file may be left),
    /// `modeles` says whether the templates are the teacher's (the message then names them).
    pub fn surveiller(sortie: &Path, modeles: bool) -> Garde {
        // 0: no time limit (a very slow machine, a template known to be long).
        let delai = match std::env::var("SIODOC_DELAI_SANS_DOCUMENT")
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            Some(0) => None,
            Some(s) => Some(Duration::from_secs(s)),
            None => Some(DELAI_SANS_DOCUMENT),
        };
        let debut = Instant::now();
        let dernier = Arc::new(AtomicU64::new(0));
        let (fin, attente): (Sender<()>, Receiver<()>) = std::sync::mpsc::channel();
        let sortie = sortie.to_path_buf();
        let fil = {
            let dernier = dernier.clone();
            std::thread::Builder::new()
                .name("garde".into())
                .spawn(move || {
                    while let Err(RecvTimeoutError::Timeout) = attente.recv_timeout(PERIODE) {
                        if memoire_residente().is_some_and(|m| m > MEMOIRE_MAX) {
                            arreter(
                                &sortie,
                                &format!(
                                    "la mise en page des documents a demandé plus de {} Go de mémoire",
                                    MEMOIRE_MAX >> 30
                                ),
                                modeles,
                            );
                        }
                        let depuis = debut.elapsed().saturating_sub(Duration::from_millis(
                            dernier.load(Ordering::Relaxed),
                        ));
                        if let Some(delai) = delai.filter(|d| depuis > *d) {
                            arreter(
                                &sortie,
                                &format!(
                                    "aucun document n'a été produit depuis {} s",
                                    delai.as_secs()
                                ),
                                modeles,
                            );
                        }
                    }
                })
                .ok()
        };
        Garde {
            dernier,
            debut,
            fin: Some(fin),
            fil,
        }
    }

    /// A document is finished (written or failed): the rendering is moving.
    pub fn progres(&self) {
        let ms = u64::try_from(self.debut.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.dernier.store(ms, Ordering::Relaxed);
    }
}

impl Drop for Garde {
    fn drop(&mut self) {
        drop(self.fin.take());
        if let Some(fil) = self.fil.take() {
            let _ = fil.join();
        }
    }
}

/// Stops the whole run: says why and what to do, removes this run's temporary files, exits
/// with the code of documents not produced.
fn arreter(sortie: &Path, raison: &str, modeles: bool) -> ! {
    let cause = if modeles {
        "un modèle de --modeles en est sans doute la cause (une boucle sur une très grande plage, \
         une récursion sans fin…) : corrigez-le, ou relancez sans --modeles pour les modèles fournis"
    } else {
        "relancez ; si cela se reproduit, signalez-le avec le classeur"
    };
    eprintln!(
        "siodoc : erreur : rendu arrêté : {raison} ; {cause}. Les documents déjà écrits dans « {} » \
         sont complets ; les autres ne sont pas produits.",
        sortie.display()
    );
    siodoc::fichier::retirer_temporaires(sortie);
    std::process::exit(crate::cmd::SORTIE_ECHECS_DOCUMENTS.into());
}

/// The process's resident memory, in bytes, where the system tells it (Linux).
fn memoire_residente() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    static TAILLE_PAGE: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();
    // SAFETY: sysconf reads a constant of the system; a failure returns -1, refused below.
    let taille = *TAILLE_PAGE.get_or_init(|| {
        u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
            .ok()
            .filter(|&t| t > 0)
    });
    Some(pages.saturating_mul(taille?))
}
