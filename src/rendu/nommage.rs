//! Where each document goes: a handlebars pattern (`--nommage`) over plain variables, every
//! path component made safe for every file system (no `..`, no separator, none of the
//! characters or names Windows refuses).

use std::path::PathBuf;

use handlebars::Handlebars;
use serde::Serialize;

/// The default layout: `<classe>/<NOM>_<Prénom>_<N°>/<document>`.
pub const MOTIF_DEFAUT: &str = "{{classe}}/{{nom}}_{{prenom}}_{{numero}}/{{document}}";

/// Variables a pattern may use.
pub const VARIABLES: [&str; 7] = [
    "classe", "session", "option", "nom", "prenom", "numero", "document",
];

#[derive(Debug, Serialize)]
pub struct Variables<'a> {
    pub classe: &'a str,
    pub session: u16,
    pub option: &'a str,
    pub nom: &'a str,
    pub prenom: &'a str,
    pub numero: &'a str,
    pub document: &'a str,
}

#[derive(Debug)]
pub struct Nommage {
    moteur: Handlebars<'static>,
}

impl Nommage {
    /// Checks a pattern: its syntax, and that it names known variables only.
    pub fn new(motif: &str) -> Result<Nommage, String> {
        let mut moteur = Handlebars::new();
        moteur.set_strict_mode(true);
        // File names, not HTML: no escaping (each value is made safe by `assainir`).
        moteur.register_escape_fn(handlebars::no_escape);
        moteur
            .register_template_string("nom", motif)
            .map_err(|e| {
                format!(
                    "motif --nommage « {motif} » invalide : syntaxe incorrecte ; écrivez les variables entre doubles \
                     accolades, par exemple {{{{nom}}}}-{{{{document}}}} (détail : {})",
                    e.reason()
                )
            })?;
        let nommage = Nommage { moteur };
        // Render once with sample values so that an unknown variable is reported now.
        nommage
            .chemin(&Variables {
                classe: "c",
                session: 2026,
                option: "SISR",
                nom: "N",
                prenom: "P",
                numero: "1",
                document: "d",
            })
            .map_err(|e| format!("motif --nommage « {motif} » : {e}"))?;
        if !motif.contains("{{document}}") {
            return Err(format!(
                "motif --nommage « {motif} » : il doit contenir {{{{document}}}}, sinon les documents d'un candidat s'écraseraient"
            ));
        }
        Ok(nommage)
    }

    /// The relative path (without extension) of a document.
    pub fn chemin(&self, v: &Variables) -> Result<PathBuf, String> {
        let propres = Variables {
            classe: &assainir(v.classe),
            session: v.session,
            option: &assainir(v.option),
            nom: &assainir(v.nom),
            prenom: &assainir(v.prenom),
            numero: &assainir(v.numero),
            document: &assainir(v.document),
        };
        let texte = self.moteur.render("nom", &propres).map_err(|e| {
            let raison = match e.reason() {
                handlebars::RenderErrorReason::MissingVariable(Some(v)) => {
                    format!("variable inconnue {{{{{v}}}}}")
                }
                autre => format!("motif inapplicable (détail : {autre})"),
            };
            format!(
                "{raison} ; variables possibles : {}",
                VARIABLES.map(|v| format!("{{{{{v}}}}}")).join(", ")
            )
        })?;
        let chemin: PathBuf = texte
            .split(['/', '\\'])
            .filter(|c| !c.trim().is_empty())
            .map(assainir)
            .collect();
        if chemin.as_os_str().is_empty() {
            return Err("le motif donne un nom vide".into());
        }
        Ok(chemin)
    }
}

/// Longest component, in bytes: file systems cap a name at 255 bytes (NAME_MAX; 255 UTF-16
/// units on Windows), and a `-2` suffix or an extension may still be added.
const OCTETS_MAX: usize = 200;

/// One path component safe on Linux, macOS and Windows.
pub fn assainir(texte: &str) -> String {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let mut s: String = texte
        .chars()
        // Invisible format characters (zero-width spaces, byte order marks, bidirectional
        // overrides that show « fdp.exe » as « exe.pdf ») have no place in a file name.
        .filter(|c| c.general_category() != GeneralCategory::Format)
        .map(|c| {
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    // Windows drops trailing dots and spaces; a leading dot hides the file or climbs up.
    s = s.trim().trim_end_matches(['.', ' ']).to_string();
    if s.starts_with('.') {
        s = format!("_{}", s.trim_start_matches('.'));
    }
    let racine = s.split('.').next().unwrap_or("").trim().to_uppercase();
    let reserve = matches!(racine.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((racine.starts_with("COM") || racine.starts_with("LPT"))
            && racine.len() == 4
            && racine.as_bytes()[3].is_ascii_digit());
    if reserve {
        s = format!("_{s}");
    }
    if s.chars().count() > 100 {
        s = s.chars().take(100).collect();
    }
    // 100 characters of 3 or 4 bytes each would still be too long for the file system.
    while s.len() > OCTETS_MAX {
        s.pop();
    }
    if s.is_empty() { "_".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_made_safe() {
        assert_eq!(assainir("../../x"), "__.._x");
        assert_eq!(assainir(".cache"), "_cache");
        assert_eq!(assainir(".."), "_");
        assert_eq!(assainir("CON"), "_CON");
        assert_eq!(assainir("com1.pdf"), "_com1.pdf");
        assert_eq!(assainir("a:b*c?\"d<e>f|g"), "a_b_c__d_e_f_g");
        assert_eq!(assainir("fin. "), "fin");
        assert_eq!(assainir(""), "_");
        assert_eq!(assainir("LEFÈVRE"), "LEFÈVRE");
        // Invisible characters are dropped, bidirectional overrides too.
        assert_eq!(assainir("NOM\u{feff}\u{200b}\u{200b}"), "NOM");
        assert_eq!(assainir("fiche\u{202e}fdp.exe"), "fichefdp.exe");
        assert_eq!(assainir("\u{feff}"), "_");
        // At most 200 bytes, cut between two characters.
        let long = assainir(&"€".repeat(100));
        assert_eq!(long, "€".repeat(66));
        assert_eq!(assainir(&"é".repeat(150)), "é".repeat(100));
    }

    #[test]
    fn default_pattern_and_custom_ones() {
        let n = Nommage::new(MOTIF_DEFAUT).unwrap();
        let v = Variables {
            classe: "BTS SIO 26",
            session: 2026,
            option: "SISR",
            nom: "../../x",
            prenom: "Léa",
            numero: "026000101",
            document: "tableau-de-synthese",
        };
        assert_eq!(
            n.chemin(&v).unwrap(),
            PathBuf::from("BTS SIO 26/__.._x_Léa_026000101/tableau-de-synthese")
        );
        let n = Nommage::new("{{classe}}/{{nom}}-{{document}}").unwrap();
        assert_eq!(
            n.chemin(&v).unwrap(),
            PathBuf::from("BTS SIO 26/__.._x-tableau-de-synthese")
        );
        let n = Nommage::new("../{{document}}").unwrap();
        assert_eq!(
            n.chemin(&v).unwrap(),
            PathBuf::from("_/tableau-de-synthese")
        );
        assert!(
            Nommage::new("{{classe}}/{{eleve}}-{{document}}")
                .unwrap_err()
                .contains("variables possibles")
        );
        assert!(
            Nommage::new("{{classe}}/{{nom}}")
                .unwrap_err()
                .contains("{{document}}")
        );
        assert!(Nommage::new("{{#if}}").is_err());
    }
}
