//! `siodoc referentiel`: the référentiel and session profile that apply, as text, JSON or CSV.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;
use siodoc::Erreur;
use siodoc::referentiel::{OptionSio, Referentiel, Sio2011, Sio2019};
use siodoc::session::ProfilSession;

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    #[command(flatten)]
    session: super::OptionsSession,

    /// N'afficher que ce qui concerne une option : sisr ou slam (texte et CSV ; le JSON reste
    /// complet).
    #[arg(long, value_enum, hide_possible_values = true)]
    option: Option<OptionArg>,

    /// Format de sortie : texte (lisible, par défaut), json ou csv (complets, pour d'autres
    /// outils).
    #[arg(
        long,
        value_enum,
        default_value = "texte",
        hide_default_value = true,
        hide_possible_values = true
    )]
    format: Format,

    /// Écrit le profil de la session en TOML, à modifier puis passer avec --profil.
    #[arg(long, value_name = "FICHIER")]
    exporter_profil: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum OptionArg {
    Sisr,
    Slam,
}

impl From<OptionArg> for OptionSio {
    fn from(o: OptionArg) -> OptionSio {
        match o {
            OptionArg::Sisr => OptionSio::Sisr,
            OptionArg::Slam => OptionSio::Slam,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Texte,
    Json,
    Csv,
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    let profil = args.session.profil_sans_classeur()?;
    if let Some(chemin) = &args.exporter_profil {
        siodoc::fichier::ecrire_atomique(chemin, profil.vers_toml().as_bytes())?;
        eprintln!(
            "Profil de la session {} écrit dans « {} ».",
            profil.session,
            chemin.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let referentiel = profil.referentiel.charger();
    let option = args.option.map(OptionSio::from);
    let sortie = match args.format {
        Format::Texte => texte(&profil, referentiel, option, textwrap::termwidth()),
        Format::Json => json(&profil, referentiel),
        Format::Csv => csv(referentiel, option),
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout.write_all(sortie.as_bytes());
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Export<'a> {
    profil: &'a ProfilSession,
    referentiel: Referentiel,
}

fn json(profil: &ProfilSession, referentiel: Referentiel) -> String {
    let export = Export {
        profil,
        referentiel,
    };
    // Serialising plain data structures cannot fail.
    serde_json::to_string_pretty(&export).unwrap_or_default() + "\n"
}

/// One flat row per item, for spreadsheets and scripts.
#[derive(Serialize)]
struct LigneCsv<'a> {
    referentiel: &'static str,
    #[serde(rename = "type")]
    genre: &'static str,
    code: &'a str,
    parent: &'a str,
    rang: usize,
    options: String,
    libelle: &'a str,
    libelle_court: &'a str,
    epreuve: &'a str,
}

fn csv(referentiel: Referentiel, option: Option<OptionSio>) -> String {
    let mut lignes = Vec::new();
    let options_texte = |o: &[OptionSio]| o.iter().map(|o| o.code()).collect::<Vec<_>>().join(" ");
    match referentiel {
        Referentiel::Sio2011(r) => {
            let id = "sio-2011";
            for (i, s) in r.situations_obligatoires.iter().enumerate() {
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "situation_obligatoire",
                    code: &s.code,
                    parent: "",
                    rang: i + 1,
                    options: "SISR SLAM".into(),
                    libelle: &s.libelle,
                    libelle_court: &s.libelle_court,
                    epreuve: "",
                });
            }
            for (i, p) in r.processus.iter().enumerate() {
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "processus",
                    code: &p.code,
                    parent: "",
                    rang: i + 1,
                    options: options_texte(&p.parcours),
                    libelle: &p.intitule,
                    libelle_court: "",
                    epreuve: "",
                });
            }
            for d in &r.domaines {
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "domaine",
                    code: &d.code,
                    parent: &d.processus,
                    rang: 0,
                    options: options_texte(&d.parcours),
                    libelle: &d.intitule,
                    libelle_court: "",
                    epreuve: "",
                });
            }
            for a in &r.activites {
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "activite",
                    code: &a.code,
                    parent: &a.domaine,
                    rang: 0,
                    options: options_texte(&a.tableau),
                    libelle: &a.intitule,
                    libelle_court: "",
                    epreuve: &a.epreuve,
                });
            }
            for c in &r.competences {
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "competence",
                    code: &c.code,
                    parent: &c.activite,
                    rang: 0,
                    options: r
                        .activite(&c.activite)
                        .map(|a| options_texte(&a.tableau))
                        .unwrap_or_default(),
                    libelle: &c.libelle,
                    libelle_court: "",
                    epreuve: "",
                });
            }
            if let Some(o) = option {
                // Keep the option's columns, and the processus and domaines that hold them.
                let colonnes: Vec<&str> = r.colonnes_tableau(o).map(|a| a.code.as_str()).collect();
                let garde = |code: &str| {
                    colonnes
                        .iter()
                        .any(|a| a[1..].starts_with(&format!("{}.", &code[1..])))
                };
                lignes.retain(|l| match l.genre {
                    "processus" | "domaine" => garde(l.code),
                    "activite" => colonnes.contains(&l.code),
                    "competence" => colonnes.contains(&l.parent),
                    _ => true,
                });
            }
        }
        Referentiel::Sio2019(r) => {
            let id = "sio-2019";
            for c in &r.competences {
                if option.is_some_and(|o| c.option.is_some_and(|co| co != o)) {
                    continue;
                }
                let options = c
                    .option
                    .map_or("SISR SLAM".into(), |o| o.code().to_string());
                lignes.push(LigneCsv {
                    referentiel: id,
                    genre: "competence",
                    code: &c.code,
                    parent: "",
                    rang: c.bloc as usize,
                    options: options.clone(),
                    libelle: &c.intitule,
                    libelle_court: "",
                    epreuve: "",
                });
                for (i, s) in c.sous_items.iter().enumerate() {
                    lignes.push(LigneCsv {
                        referentiel: id,
                        genre: "sous_item",
                        code: "",
                        parent: &c.code,
                        rang: i + 1,
                        options: options.clone(),
                        libelle: s,
                        libelle_court: "",
                        epreuve: "",
                    });
                }
            }
        }
    }
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for l in &lignes {
        // Writing to memory cannot fail.
        let _ = w.serialize(l);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Readable listing, wrapped to the terminal width.
fn texte(
    profil: &ProfilSession,
    referentiel: Referentiel,
    option: Option<OptionSio>,
    largeur: usize,
) -> String {
    let mut s = String::new();
    let mut ligne = |indent: usize, suite: usize, t: &str| {
        let premier = " ".repeat(indent);
        let reste = " ".repeat(indent + suite);
        let opts = textwrap::Options::new(largeur.max(40))
            .initial_indent(&premier)
            .subsequent_indent(&reste);
        for l in textwrap::wrap(t, opts) {
            s.push_str(&l);
            s.push('\n');
        }
    };
    let titre_ref = match referentiel {
        Referentiel::Sio2011(r) => &r.intitule,
        Referentiel::Sio2019(r) => &r.intitule,
    };
    ligne(
        0,
        0,
        &format!(
            "Session {} : {} ({})",
            profil.session, titre_ref, profil.referentiel
        ),
    );
    ligne(0, 0, "");
    ligne(0, 0, "Formulaires de la session");
    let options: Vec<OptionSio> = option.map_or(OptionSio::TOUTES.to_vec(), |o| vec![o]);
    for (_, f) in profil.formulaires() {
        for (i, &o) in options.iter().enumerate() {
            // Print a form once when both options share every field.
            let commun = f.intitule.commun().is_some()
                && f.annexe.commun().is_some()
                && f.feuille.as_ref().is_none_or(|x| x.commun().is_some());
            if commun && i > 0 {
                continue;
            }
            let pour = if commun && options.len() > 1 {
                String::new()
            } else {
                format!(" [{o}]")
            };
            let feuille = f
                .feuille
                .as_ref()
                .map(|x| format!(", feuille « {} »", x.get(o)))
                .unwrap_or_default();
            ligne(
                2,
                4,
                &format!(
                    "{}{pour} : {} ; {}{feuille}",
                    f.titre,
                    f.libelle_epreuve(o),
                    f.annexe.get(o)
                ),
            );
        }
    }
    if let Some(note) = &profil.note {
        ligne(2, 6, &format!("Note : {note}"));
    }
    ligne(0, 0, "");
    match referentiel {
        Referentiel::Sio2011(r) => texte_2011(r, option, &mut ligne),
        Referentiel::Sio2019(r) => texte_2019(r, option, &mut ligne),
    }
    s
}

fn texte_2011(r: &Sio2011, option: Option<OptionSio>, ligne: &mut impl FnMut(usize, usize, &str)) {
    ligne(
        0,
        0,
        "Situations obligatoires (chacune au moins une fois, sinon 5 points de pénalité en E6)",
    );
    for so in &r.situations_obligatoires {
        ligne(2, 6, &format!("{}  {}", so.code, so.libelle));
    }
    ligne(0, 0, "");
    if let Some(o) = option {
        ligne(
            0,
            0,
            &format!(
                "Activités du tableau de synthèse {o} ({} colonnes) ; * épreuve d'après une base d'établissement, non officielle",
                r.colonnes_tableau(o).count()
            ),
        );
    } else {
        ligne(
            0,
            0,
            "Activités ; [SISR SLAM] : colonnes du tableau de synthèse ; * épreuve non officielle",
        );
    }
    for p in &r.processus {
        let activites: Vec<_> = r
            .activites
            .iter()
            .filter(|a| r.processus_de(a).is_some_and(|q| q.code == p.code))
            .filter(|a| option.is_none_or(|o| a.tableau.contains(&o)))
            .collect();
        if activites.is_empty() {
            continue;
        }
        ligne(0, 0, "");
        let parcours: Vec<_> = p.parcours.iter().map(|o| o.code()).collect();
        ligne(
            0,
            4,
            &format!(
                "{}  {} (parcours {})",
                p.code,
                p.intitule,
                parcours.join(", ")
            ),
        );
        for d in r.domaines_du_processus(&p.code) {
            let du_domaine: Vec<_> = activites.iter().filter(|a| a.domaine == d.code).collect();
            if du_domaine.is_empty() {
                continue;
            }
            ligne(2, 6, &format!("{}  {}", d.code, d.intitule));
            for a in du_domaine {
                let colonnes = if option.is_none() {
                    let t: Vec<_> = a.tableau.iter().map(|o| o.code()).collect();
                    format!(" [{}]", t.join(" "))
                } else {
                    String::new()
                };
                ligne(
                    4,
                    8,
                    &format!("{}  {} ({}*){colonnes}", a.code, a.intitule, a.epreuve),
                );
                for c in r.competences_de(&a.code) {
                    ligne(8, 10, &format!("{}  {}", c.code, c.libelle));
                }
            }
        }
    }
}

fn texte_2019(r: &Sio2019, option: Option<OptionSio>, ligne: &mut impl FnMut(usize, usize, &str)) {
    for bloc in &r.blocs {
        let titre = match option {
            Some(o) => bloc.intitule.pour(o).to_string(),
            None => {
                let a = bloc.intitule.pour(OptionSio::Sisr);
                let b = bloc.intitule.pour(OptionSio::Slam);
                if a == b {
                    a.to_string()
                } else {
                    format!("{a} (SISR) / {b} (SLAM)")
                }
            }
        };
        ligne(0, 4, &format!("Bloc {} : {titre}", bloc.numero));
        for c in r.competences_du_bloc(bloc.numero, option) {
            let pour = c.option.map(|o| format!(" [{o}]")).unwrap_or_default();
            ligne(2, 6, &format!("{}{pour}  {}", c.code, c.intitule));
            for s in &c.sous_items {
                ligne(6, 2, &format!("▸ {s}"));
            }
        }
        ligne(0, 0, "");
    }
    ligne(
        0,
        0,
        "Les codes B1.x, B2.x et B3.x sont une convention d'établissement : le référentiel ne numérote pas les compétences.",
    );
}
