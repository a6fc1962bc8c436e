//! Errors of the library, with the French message a teacher reads.

use std::fmt::Write as _;
use std::path::PathBuf;

/// An error that stops the current command. Each message says where, what was found and what
/// to do; the CLI maps each kind to a documented exit code.
#[derive(Debug, thiserror::Error)]
pub enum Erreur {
    #[error(
        "session {session} inconnue : siodoc connaît les sessions {connues}. \
         Pour une autre session, décrivez-la entièrement dans un fichier de profil \
         (modèle : siodoc referentiel --session 2026 --exporter-profil profil.toml) \
         et passez-le avec --profil."
    )]
    SessionInconnue { session: String, connues: String },

    #[error("impossible de lire « {} » : {detail}", chemin.display())]
    Lecture { chemin: PathBuf, detail: String },

    #[error("impossible d'écrire « {} » : {detail}", chemin.display())]
    Ecriture { chemin: PathBuf, detail: String },

    #[error("{message}")]
    Argument { message: String },

    /// A folder given on the command line that cannot be used: named by its argument.
    #[error("{argument} « {} » : {detail}", chemin.display())]
    Dossier {
        argument: &'static str,
        chemin: PathBuf,
        detail: String,
    },

    #[error("certificat « {} » : {message}", chemin.display())]
    Certificat { chemin: PathBuf, message: String },

    #[error("classeur « {} » : {message}", chemin.display())]
    Classeur { chemin: PathBuf, message: String },

    #[error("profil « {} »{} : {message}", chemin.display(), position_texte(*position))]
    Profil {
        chemin: PathBuf,
        /// Line and column, 1-based.
        position: Option<(usize, usize)>,
        message: String,
    },
}

fn position_texte(position: Option<(usize, usize)>) -> String {
    match position {
        Some((l, c)) => format!(", ligne {l}, colonne {c}"),
        None => String::new(),
    }
}

/// Translates the usual serde/TOML messages into French; `extrait` is the text the error
/// points at, used to name the key when the message does not.
pub fn traduire_serde(message: &str, extrait: Option<&str>) -> String {
    let m = message.trim();
    let noms = |s: &str| -> String {
        s.split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, n)| format!("« {n} »"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(reste) = m.strip_prefix("unknown field ") {
        let (cle, attendus) = reste.split_once(", ").unwrap_or((reste, ""));
        let mut s = format!("clé inconnue {}", noms(cle));
        let attendus = noms(attendus);
        if attendus.is_empty() {
            s.push_str(" : ce tableau n'accepte aucune clé");
        } else {
            let _ = write!(s, " ; clés possibles à cet endroit : {attendus}");
        }
        return s;
    }
    if let Some(reste) = m.strip_prefix("missing field ") {
        return format!("clé obligatoire absente : {}", noms(reste));
    }
    if let Some(reste) = m.strip_prefix("unknown variant ") {
        let (valeur, attendus) = reste.split_once(", ").unwrap_or((reste, ""));
        return format!(
            "valeur inconnue {} ; valeurs possibles : {}",
            noms(valeur),
            noms(attendus)
        );
    }
    if let Some(reste) = m.strip_prefix("invalid type: ") {
        let (trouve, attendu) = reste.split_once(", expected ").unwrap_or((reste, "?"));
        let traduit = |t: &str| {
            t.replace("a string", "un texte entre guillemets")
                .replace("string", "texte")
                .replace("integer", "nombre entier")
                .replace("boolean", "booléen")
                .replace("a sequence", "une liste")
                .replace("sequence", "liste")
                .replace("map", "tableau")
                .replace("struct", "tableau")
                .replace("u16", "nombre entier (année)")
        };
        return format!(
            "type de valeur incorrect : trouvé {}, attendu {}",
            traduit(trouve),
            traduit(attendu)
        );
    }
    if m.contains("duplicate key") {
        return format!(
            "clé définie deux fois{}",
            extrait.map(|e| format!(" : « {e} »")).unwrap_or_default()
        );
    }
    format!(
        "syntaxe TOML invalide{} ; vérifiez les guillemets, les crochets et les signes « = » (détail : {m})",
        extrait
            .filter(|e| !e.is_empty())
            .map(|e| format!(" près de « {e} »"))
            .unwrap_or_default()
    )
}

/// A JSON error in French, with its line and column.
pub fn traduire_json(e: &serde_json::Error) -> String {
    // serde_json appends « at line L column C », given here in French.
    let message = e.to_string();
    let sans_position = message.split(" at line ").next().unwrap_or_default();
    let cause = match e.classify() {
        serde_json::error::Category::Syntax => {
            format!("syntaxe JSON invalide (détail : {sans_position})")
        }
        serde_json::error::Category::Eof => "fichier JSON tronqué (fin inattendue)".to_string(),
        serde_json::error::Category::Io => format!("lecture impossible (détail : {sans_position})"),
        serde_json::error::Category::Data => traduire_serde(sans_position, None),
    };
    format!("ligne {}, colonne {} : {cause}", e.line(), e.column())
}

/// A system error in French, for messages that already name the file.
pub fn io_fr(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "fichier ou dossier introuvable ; vérifiez le chemin".into(),
        K::PermissionDenied => {
            "accès refusé ; vérifiez les droits sur ce fichier ou ce dossier".into()
        }
        K::AlreadyExists => "le fichier existe déjà".into(),
        K::IsADirectory => "c'est un dossier, pas un fichier".into(),
        K::NotADirectory => "un élément du chemin n'est pas un dossier".into(),
        K::StorageFull => "disque plein".into(),
        K::ReadOnlyFilesystem => "support en lecture seule".into(),
        K::InvalidData => "contenu illisible (ce n'est pas du texte UTF-8 ?)".into(),
        K::InvalidFilename => "nom de fichier trop long ou invalide".into(),
        K::DirectoryNotEmpty => "le dossier n'est pas vide".into(),
        K::CrossesDevices => "déplacement impossible d'un disque à l'autre".into(),
        K::FileTooLarge => "fichier trop gros pour ce support".into(),
        K::Interrupted | K::TimedOut => "opération interrompue ; réessayez".into(),
        K::UnexpectedEof => "fichier tronqué (fin inattendue)".into(),
        K::OutOfMemory => "mémoire insuffisante".into(),
        _ => match e.raw_os_error() {
            Some(libc::ELOOP) => {
                "trop de liens symboliques imbriqués (une boucle de liens ?)".into()
            }
            Some(libc::EIO) => {
                "erreur d'entrée-sortie du support (disque ou clé défaillant ?)".into()
            }
            Some(libc::ENOSPC) => "disque plein".into(),
            Some(libc::EBUSY) | Some(libc::ETXTBSY) => {
                "fichier occupé par un autre programme".into()
            }
            Some(libc::EINVAL) => {
                "opération impossible sur ce fichier (pseudo-fichier système ?)".into()
            }
            Some(libc::EXDEV) => "déplacement impossible d'un disque à l'autre".into(),
            _ => format!("erreur système (détail : {e})"),
        },
    }
}
