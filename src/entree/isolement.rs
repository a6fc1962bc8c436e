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

static EXECUTABLE: OnceLock<PathBuf> = OnceLock::new();

/// Reads from now on in child processes of `executable` (the running siodoc).
pub fn activer(executable: PathBuf) {
    let _ = EXECUTABLE.set(executable);
}

/// In the child: the file to read, and whether the look of the cells is wanted, when this
/// process is one. Limits its own memory first.
pub fn demande() -> Option<(PathBuf, bool)> {
    let chemin = std::env::var_os(VARIABLE)?;
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
    Some((
        PathBuf::from(chemin),
        std::env::var_os(VARIABLE_APPARENCES).is_some(),
    ))
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
    let lire_tout = |flux: Option<Box<dyn Read + Send>>, max: u64| {
        std::thread::spawn(move || {
            let mut octets = Vec::new();
            if let Some(f) = flux {
                let _ = f.take(max).read_to_end(&mut octets);
            }
            octets
        })
    };
    let sortie = enfant.stdout.take();
    let erreurs = lire_tout(enfant.stderr.take().map(|f| Box::new(f) as _), 64 << 10);
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
    // The allocator's own line when memory ran out, else the panic hook's one line (a backtrace,
    // if any, follows them).
    let detail = erreurs
        .lines()
        .find(|l| l.contains("memory allocation"))
        .or_else(|| erreurs.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("")
        .trim();
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
                    if detail.contains("memory") || detail.contains("capacity") =>
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

fn echec(quoi: &str, detail: &str) -> String {
    let detail: String = detail.chars().take(300).collect();
    format!(
        "{quoi} : le fichier est anormal (fabriqué ou endommagé) ; ouvrez-le dans votre tableur et \
         enregistrez-le de nouveau{}",
        if detail.is_empty() {
            String::new()
        } else {
            format!(" (détail : {detail})")
        }
    )
}
