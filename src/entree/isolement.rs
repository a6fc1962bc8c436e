//! Reading a workbook in a child process with a memory limit and a time limit.
//!
//! The spreadsheet readers are dependencies: a file built to hurt can make one of them panic,
//! abort on an absurd allocation (which no `catch_unwind` can stop) or loop. [`super::conteneur`]
//! refuses what is known to do that; whatever is not known is read here in a copy of siodoc
//! itself, limited to [`limites::MEMOIRE_LECTURE`] of memory and [`limites::DUREE_LECTURE`]
//! seconds, and its death becomes a French error naming the file. The sheets come back as JSON
//! on its standard output.
//!
//! The command-line program turns this on with [`activer`] and answers in the child through
//! [`demande`] and [`repondre`]; a library user that does not (the tests) reads in-process,
//! panics caught.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::limites;

/// The environment variable that tells a copy of siodoc to read one file and answer.
pub const VARIABLE: &str = "SIODOC_LECTURE_ISOLEE";
/// Set beside [`VARIABLE`] when the look of the cells is wanted too.
pub const VARIABLE_APPARENCES: &str = "SIODOC_LECTURE_APPARENCES";
/// The environment variable that tells a copy of siodoc to open the PDFs whose paths come on
/// its standard input, one answer line each (see [`executer_lot`]).
pub const VARIABLE_LOT_PDF: &str = "SIODOC_PDF_ISOLES";

/// What a child process of siodoc is asked to do.
pub enum Demande {
    /// Read one workbook (with the look of its cells or not), answer once.
    Classeur(PathBuf, bool),
    /// Open PDFs one after another, their paths on standard input, an answer line each; the
    /// text is the caller's mode (see [`executer_lot`]).
    LotPdf(String),
}

static EXECUTABLE: OnceLock<PathBuf> = OnceLock::new();

/// Reads from now on in child processes of `executable` (the running siodoc).
pub fn activer(executable: PathBuf) {
    let _ = EXECUTABLE.set(executable);
}

/// In the child: what this process is asked to do, when it is one. Limits its own memory first.
pub fn demande() -> Option<Demande> {
    let lot = std::env::var_os(VARIABLE_LOT_PDF).is_some();
    let chemin = std::env::var_os(VARIABLE);
    if chemin.is_none() && !lot {
        return None;
    }
    let limite = libc::rlimit {
        rlim_cur: limites::MEMOIRE_LECTURE,
        rlim_max: limites::MEMOIRE_LECTURE,
    };
    // SAFETY: setrlimit only reads the struct passed by pointer.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limite);
    }
    // A panic's English message is not for the user: the parent reports the failure in French,
    // with this one line (what failed, and in which source file) as its detail.
    std::panic::set_hook(Box::new(|info| {
        let charge = info.payload();
        let message = charge
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| charge.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let lieu = info.location().map_or(String::new(), |l| {
            let fichier: Vec<&str> = l.file().rsplit('/').take(3).collect();
            let fichier: Vec<&str> = fichier.into_iter().rev().collect();
            format!(" ; {}:{}", fichier.join("/"), l.line())
        });
        eprintln!("{}{lieu}", message.lines().next().unwrap_or("").trim());
    }));
    Some(match chemin {
        Some(chemin) if !lot => Demande::Classeur(
            PathBuf::from(chemin),
            std::env::var_os(VARIABLE_APPARENCES).is_some(),
        ),
        _ => Demande::LotPdf(std::env::var(VARIABLE_LOT_PDF).unwrap_or_default()),
    })
}

/// In the child of [`executer_lot`]: each path of standard input (NUL-separated bytes) gets
/// `traiter`'s answer as one JSON line, written at once, so that the parent knows which file
/// a death stopped at.
pub fn repondre_lot<T: Serialize>(
    traiter: impl Fn(&Path) -> Result<T, String>,
) -> std::process::ExitCode {
    use std::io::{BufRead, Write};
    use std::os::unix::ffi::OsStrExt;
    let entree = std::io::stdin().lock();
    let mut sortie = std::io::stdout().lock();
    for chemin in entree.split(0) {
        let Ok(chemin) = chemin else { break };
        let reponse = traiter(Path::new(std::ffi::OsStr::from_bytes(&chemin)));
        let ecrit = serde_json::to_writer(&mut sortie, &reponse).is_ok()
            && sortie.write_all(b"\n").is_ok()
            && sortie.flush().is_ok();
        if !ecrit {
            return std::process::ExitCode::from(70);
        }
    }
    std::process::ExitCode::SUCCESS
}

/// In the child: writes the answer on standard output.
pub fn repondre<T: Serialize>(reponse: &Result<T, String>) -> std::process::ExitCode {
    use std::io::Write;
    let mut sortie = std::io::stdout().lock();
    let ecrit = serde_json::to_writer(&mut sortie, reponse).is_ok() && sortie.flush().is_ok();
    if ecrit {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(70)
    }
}

/// Runs `direct` (the reading of `chemin`) in a child process when [`activer`] was called,
/// else in this process with panics caught. The error is the French reason.
pub fn executer<T: DeserializeOwned>(
    chemin: &Path,
    apparences: bool,
    direct: impl FnOnce() -> Result<T, String>,
) -> Result<T, String> {
    let Some(executable) = EXECUTABLE.get() else {
        return std::panic::catch_unwind(std::panic::AssertUnwindSafe(direct)).unwrap_or_else(
            |_| {
                Err(echec(
                    "le lecteur de tableur s'est interrompu sur ce fichier",
                    "",
                ))
            },
        );
    };
    let chemin_absolu = std::path::absolute(chemin).unwrap_or_else(|_| chemin.to_path_buf());
    let mut commande = std::process::Command::new(executable);
    if apparences {
        commande.env(VARIABLE_APPARENCES, "1");
    } else {
        commande.env_remove(VARIABLE_APPARENCES);
    }
    let mut enfant = commande
        .env(VARIABLE, &chemin_absolu)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("impossible de lancer la lecture isolée (détail : {e})"))?;
    let sortie = enfant.stdout.take();
    let erreurs = lire_en_fond(enfant.stderr.take(), 64 << 10);
    // A guard stops the child when it runs too long, which closes its output too.
    let garde = std::thread::spawn(move || {
        let debut = Instant::now();
        loop {
            match enfant.try_wait() {
                Ok(Some(s)) => break Some(s),
                Ok(None) if debut.elapsed() > Duration::from_secs(limites::DUREE_LECTURE) => {
                    let _ = enfant.kill();
                    let _ = enfant.wait();
                    break None;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(2)),
                Err(_) => break None,
            }
        }
    });
    // The answer is read as it comes, on this thread, which keeps what it reads: a class of
    // 10 000 candidates is 43 MB of JSON, never held whole. What follows an unreadable answer
    // is drained, so that the child never blocks on a full pipe.
    let reponse = sortie.map(|f| {
        let mut flux = std::io::BufReader::with_capacity(1 << 20, f.take(4 << 30));
        let lue = serde_json::from_reader::<_, Result<T, String>>(&mut flux);
        let _ = std::io::copy(&mut flux, &mut std::io::sink());
        lue
    });
    let statut = garde.join().unwrap_or(None);
    let erreurs = String::from_utf8_lossy(&erreurs.join().unwrap_or_default()).into_owned();
    let detail = detail_de(&erreurs);
    match statut {
        None => Err(format!(
            "la lecture a duré plus de {} s et a été arrêtée : le fichier est anormal (fabriqué ou \
             endommagé) ; ouvrez-le dans votre tableur et enregistrez-le de nouveau",
            limites::DUREE_LECTURE
        )),
        Some(s) if s.success() => match reponse {
            Some(Ok(lue)) => lue,
            Some(Err(e)) => Err(format!(
                "réponse de la lecture isolée illisible (détail : {e})"
            )),
            _ => Err("réponse de la lecture isolée absente".to_string()),
        },
        Some(s) => {
            use std::os::unix::process::ExitStatusExt;
            let quoi = match s.signal() {
                Some(libc::SIGABRT) | Some(libc::SIGKILL) | Some(libc::SIGSEGV) | None
                    if memoire_epuisee(detail) =>
                {
                    format!(
                        "la lecture de ce fichier demandait plus de {} de mémoire",
                        super::octets_texte(limites::MEMOIRE_LECTURE)
                    )
                }
                Some(libc::SIGABRT) => format!(
                    "la lecture de ce fichier a été interrompue (mémoire demandée au-delà de {})",
                    super::octets_texte(limites::MEMOIRE_LECTURE)
                ),
                _ => "le lecteur de tableur s'est interrompu sur ce fichier".to_string(),
            };
            Err(echec(&quoi, detail))
        }
    }
}

/// What a child said before it died: the allocator's own line when memory ran out, else the
/// panic hook's one line (a backtrace, if any, follows them).
fn detail_de(erreurs: &str) -> &str {
    erreurs
        .lines()
        .find(|l| l.contains("memory allocation"))
        .or_else(|| erreurs.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim()
}

/// Whether a child's last words say it ran out of memory (the allocator's message, or a
/// collection refused its capacity).
fn memoire_epuisee(detail: &str) -> bool {
    detail.contains("memory") || detail.contains("capacity")
}

/// `texte`, followed by the child's last words when it said any (300 characters at most).
fn avec_detail(texte: String, detail: &str) -> String {
    let detail: String = detail.chars().take(300).collect();
    if detail.is_empty() {
        texte
    } else {
        format!("{texte} (détail : {detail})")
    }
}

/// Reads up to `max` bytes of a child's stream on a thread of its own, so that the child never
/// blocks on a full pipe.
fn lire_en_fond(
    flux: Option<impl Read + Send + 'static>,
    max: u64,
) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut octets = Vec::new();
        if let Some(f) = flux {
            let _ = f.take(max).read_to_end(&mut octets);
        }
        octets
    })
}

fn echec(quoi: &str, detail: &str) -> String {
    avec_detail(
        format!(
            "{quoi} : le fichier est anormal (fabriqué ou endommagé) ; ouvrez-le dans votre tableur \
             et enregistrez-le de nouveau"
        ),
        detail,
    )
}

/// Opens each of `chemins` with `direct` (a PDF reader: a dependency that a file built to hurt
/// can make allocate gigabytes or loop) in child processes of siodoc, under the same limits as
/// the reading of workbooks; one child takes the files one after another, so that a class of
/// thousands of PDFs costs a few processes, not one each. A file that kills its child, or keeps
/// it more than [`limites::DUREE_LECTURE`] seconds, fails alone with the reason, followed by
/// `conseil`; a new child takes the next files. Without [`activer`] (a library user), the files
/// are opened in this process, panics caught.
pub fn executer_lot<T: Serialize + DeserializeOwned>(
    chemins: &[&Path],
    mode: &str,
    direct: impl Fn(&Path) -> Result<T, String>,
    conseil: &str,
) -> Vec<Result<T, String>> {
    let Some(executable) = EXECUTABLE.get() else {
        return chemins
            .iter()
            .map(|c| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| direct(c))).unwrap_or_else(
                    |_| {
                        Err(format!(
                            "le lecteur s'est interrompu sur ce fichier ; {conseil}"
                        ))
                    },
                )
            })
            .collect();
    };
    let mut reponses: Vec<Result<T, String>> = Vec::with_capacity(chemins.len());
    while reponses.len() < chemins.len() {
        let reste = &chemins[reponses.len()..];
        let arret = lot_dans_un_enfant(executable, reste, mode, &mut reponses);
        if reponses.len() == chemins.len() {
            break;
        }
        match arret {
            // The file the child was on when it stopped fails alone; a new child goes on.
            Ok(quoi) => reponses.push(Err(format!("{quoi} ; {conseil}"))),
            // No child could start: every file left gets the reason.
            Err(e) => reponses.resize_with(chemins.len(), || Err(e.clone())),
        }
    }
    reponses
}

/// One child over `chemins`, its answers pushed as they come. `Ok` says why it stopped early
/// (if it did), `Err` that it could not start.
fn lot_dans_un_enfant<T: DeserializeOwned>(
    executable: &Path,
    chemins: &[&Path],
    mode: &str,
    reponses: &mut Vec<Result<T, String>>,
) -> Result<String, String> {
    use std::io::{BufRead, Write};
    use std::os::unix::ffi::OsStrExt;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let mut enfant = std::process::Command::new(executable)
        .env(VARIABLE_LOT_PDF, if mode.is_empty() { "-" } else { mode })
        .env_remove(VARIABLE)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("impossible de lancer la lecture isolée (détail : {e})"))?;
    let mut entree = enfant.stdin.take();
    let chemins_octets: Vec<Vec<u8>> = chemins
        .iter()
        .map(|c| {
            std::path::absolute(c)
                .unwrap_or_else(|_| c.to_path_buf())
                .as_os_str()
                .as_bytes()
                .to_vec()
        })
        .collect();
    // The paths go in from a thread of their own: a full pipe must not block the answers.
    let ecrivain = std::thread::spawn(move || {
        if let Some(e) = entree.as_mut() {
            for c in chemins_octets {
                if e.write_all(&c).and_then(|()| e.write_all(&[0])).is_err() {
                    break;
                }
            }
        }
        drop(entree);
    });
    let erreurs = lire_en_fond(enfant.stderr.take(), 64 << 10);
    let sortie = enfant.stdout.take();
    // The guard kills a child that answers nothing for too long.
    let debut = Instant::now();
    let derniere = Arc::new(AtomicU64::new(0));
    let fini = Arc::new(AtomicBool::new(false));
    let garde = {
        let (derniere, fini) = (derniere.clone(), fini.clone());
        std::thread::spawn(move || {
            loop {
                match enfant.try_wait() {
                    Ok(Some(s)) => break Some(s),
                    Ok(None) => {
                        let maintenant = debut.elapsed().as_millis() as u64;
                        let depuis = maintenant.saturating_sub(derniere.load(Ordering::Relaxed));
                        if depuis > limites::DUREE_LECTURE * 1000 || fini.load(Ordering::Relaxed) {
                            let _ = enfant.kill();
                            let _ = enfant.wait();
                            break None;
                        }
                        std::thread::sleep(Duration::from_millis(2));
                    }
                    Err(_) => break None,
                }
            }
        })
    };
    let avant = reponses.len();
    if let Some(f) = sortie {
        let lecteur = std::io::BufReader::new(f.take(1 << 30));
        for ligne in lecteur.split(b'\n') {
            let Ok(ligne) = ligne else { break };
            let reponse = serde_json::from_slice::<Result<T, String>>(&ligne).unwrap_or_else(|e| {
                Err(format!(
                    "réponse de la lecture isolée illisible (détail : {e})"
                ))
            });
            reponses.push(reponse);
            derniere.store(debut.elapsed().as_millis() as u64, Ordering::Relaxed);
            if reponses.len() - avant == chemins.len() {
                break;
            }
        }
    }
    let complet = reponses.len() - avant == chemins.len();
    if complet {
        fini.store(true, Ordering::Relaxed);
    }
    let statut = garde.join().unwrap_or(None);
    let _ = ecrivain.join();
    let erreurs = String::from_utf8_lossy(&erreurs.join().unwrap_or_default()).into_owned();
    if complet {
        return Ok(String::new());
    }
    let detail = detail_de(&erreurs);
    let quoi = match statut {
        None => format!(
            "l'ouverture a duré plus de {} s et a été arrêtée : le fichier est anormal (fabriqué ou endommagé)",
            limites::DUREE_LECTURE
        ),
        Some(_) if memoire_epuisee(detail) => format!(
            "l'ouverture de ce fichier demandait plus de {} de mémoire : le fichier est anormal (fabriqué ou endommagé)",
            super::octets_texte(limites::MEMOIRE_LECTURE)
        ),
        Some(_) => "le lecteur s'est interrompu sur ce fichier : le fichier est anormal (fabriqué ou endommagé)"
            .to_string(),
    };
    Ok(avec_detail(quoi, detail))
}
