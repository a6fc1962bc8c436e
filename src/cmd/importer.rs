//! `siodoc importer`: the candidates' filled official tableaux become the class workbook.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use siodoc::Erreur;
use siodoc::chargement::charger;
use siodoc::diagnostic::{Diagnostic, Gravite};
use siodoc::officiel::import::{self, Import, Statut};

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    /// Les tableaux de synthèse remplis par les candidats (XLSX, XLSM, XLS, ODS), ou les
    /// dossiers qui les contiennent (parcourus avec leurs sous-dossiers).
    #[arg(required = true, value_name = "FICHIER|DOSSIER")]
    chemins: Vec<PathBuf>,

    /// Le classeur de classe à écrire (XLSX).
    #[arg(short = 'o', long = "sortie", value_name = "FICHIER")]
    sortie: PathBuf,

    /// Remplace le classeur s'il existe déjà.
    #[arg(long)]
    ecraser: bool,

    #[command(flatten)]
    format: super::OptionsFormat,

    #[command(flatten)]
    session: super::OptionsSession,
}

fn ligne_fichier(f: &import::FichierImporte) -> String {
    match &f.statut {
        Statut::Importe(t) => {
            let [a, b, c] = t.comptes();
            let option = t
                .candidat
                .option()
                .map_or("non lue".to_string(), |o| o.code().to_string());
            format!(
                "importé : {} {} ({}), {a} + {b} + {c} réalisations, option {option} — {} [{}]",
                t.candidat.nom.texte,
                t.candidat.prenom.texte,
                if t.candidat.numero.texte.is_empty() {
                    "sans N°"
                } else {
                    &t.candidat.numero.texte
                },
                f.chemin.display(),
                t.modele.libelle()
            )
        }
        Statut::Remplace { par } => format!(
            "ignoré : {} parce qu'un fichier plus récent du même candidat est gardé (« {} »)",
            f.chemin.display(),
            par.display()
        ),
        Statut::Ignore { raison } => format!("ignoré : {} parce que {raison}", f.chemin.display()),
    }
}

/// « fichier › Feuille!B12 : message ».
fn ligne_constat(fichier: &Path, d: &Diagnostic) -> String {
    let position = if d.position.is_empty() {
        String::new()
    } else {
        format!(" › {}", d.position)
    };
    format!(
        "{}{position} : {} [{}] : {}",
        fichier.display(),
        d.gravite.libelle(),
        d.regle,
        d.message
    )
}

#[derive(Serialize)]
struct FichierJson<'a> {
    fichier: String,
    statut: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    raison: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modele: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    candidat: Option<CandidatJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    realisations: Option<[usize; 3]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    modifie: Option<&'a str>,
}

#[derive(Serialize)]
struct CandidatJson<'a> {
    numero: &'a str,
    nom: &'a str,
    prenom: &'a str,
    option: Option<&'static str>,
}

#[derive(Serialize)]
struct DiagnosticJson<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fichier: Option<String>,
    gravite: &'static str,
    regle: &'static str,
    position: &'a str,
    message: &'a str,
}

fn diagnostic_json<'a>(fichier: Option<&Path>, d: &'a Diagnostic) -> DiagnosticJson<'a> {
    DiagnosticJson {
        fichier: fichier.map(|f| f.display().to_string()),
        gravite: d.gravite.libelle(),
        regle: d.regle,
        position: &d.position,
        message: &d.message,
    }
}

fn json(
    import: &Import,
    classeur: Option<&Path>,
    session: Option<u16>,
    diagnostics: &[Diagnostic],
) -> String {
    let fichiers: Vec<FichierJson> = import
        .fichiers
        .iter()
        .map(|f| {
            let (statut, raison, t) = match &f.statut {
                Statut::Importe(t) => ("importé", None, Some(t.as_ref())),
                Statut::Remplace { par } => (
                    "remplacé",
                    Some(format!("fichier plus récent gardé : {}", par.display())),
                    None,
                ),
                Statut::Ignore { raison } => ("ignoré", Some(raison.clone()), None),
            };
            FichierJson {
                fichier: f.chemin.display().to_string(),
                statut,
                raison,
                modele: t.map(|t| t.modele.libelle()),
                candidat: t.map(|t| CandidatJson {
                    numero: &t.candidat.numero.texte,
                    nom: &t.candidat.nom.texte,
                    prenom: &t.candidat.prenom.texte,
                    option: t.candidat.option().map(|o| o.code()),
                }),
                realisations: t.map(|t| t.comptes()),
                modifie: f.modifie.as_deref(),
            }
        })
        .collect();
    let v = serde_json::json!({
        "classeur": classeur.map(|c| c.display().to_string()),
        "session": session,
        "refus": import.refus,
        "fichiers": fichiers,
        "constats": import.constats.iter().map(|(f, d)| diagnostic_json(Some(f), d)).collect::<Vec<_>>(),
        "diagnostics": diagnostics.iter().map(|d| diagnostic_json(None, d)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    args.session.controler()?;
    // The output, checked before any reading.
    if args.sortie.exists() && !args.ecraser {
        return Err(Erreur::Ecriture {
            chemin: args.sortie.clone(),
            detail: "le fichier existe déjà ; choisissez un autre nom, ou ajoutez --ecraser pour le remplacer".into(),
        });
    }
    if args.sortie.is_dir() {
        return Err(Erreur::Dossier {
            argument: "-o",
            chemin: args.sortie.clone(),
            detail:
                "c'est un dossier ; -o attend le nom du classeur à écrire (par exemple classe.xlsx)"
                    .into(),
        });
    }
    let dossier = args
        .sortie
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    siodoc::fichier::preparer_dossier(dossier, "-o")?;
    let barre = super::barre(0, "fichiers");
    let import = import::importer(
        &args.chemins,
        args.session.session,
        args.session.profil.as_deref(),
    );
    barre.finish_and_clear();
    let import = import?;

    let mut texte = String::new();
    for f in &import.fichiers {
        texte.push_str(&ligne_fichier(f));
        texte.push('\n');
    }
    for (f, d) in &import.constats {
        texte.push_str(&ligne_constat(f, d));
        texte.push('\n');
    }
    let Some((classeur, profil)) = &import.classe else {
        let refus = import.refus.clone().unwrap_or_default();
        match args.format.format {
            super::Format::Texte => print!("{texte}"),
            super::Format::Json => println!("{}", json(&import, None, None, &[])),
        }
        eprintln!("siodoc : erreur : {refus}");
        return Ok(ExitCode::from(super::SORTIE_ENTREE_INVALIDE));
    };
    let contenu = import::contenu(classeur);
    let octets = siodoc::classeur::gabarit::ecrire(profil, None, &contenu).map_err(|e| {
        Erreur::Ecriture {
            chemin: args.sortie.clone(),
            detail: format!("classeur impossible à constituer (détail : {e})"),
        }
    })?;
    siodoc::fichier::ecrire_atomique(&args.sortie, &octets)?;
    // The verifier's rules on the workbook just written: what remains to complete.
    let chargement = charger(
        &args.sortie,
        Some(profil.session),
        args.session.profil.as_deref(),
    )?;
    let importes = import
        .fichiers
        .iter()
        .filter(|f| matches!(f.statut, Statut::Importe(_)))
        .count();
    match args.format.format {
        super::Format::Texte => {
            print!("{texte}");
            println!(
                "Classeur de classe écrit : « {} » (session {}, {importes} candidat(s), {} réalisation(s)). \
                 Ce qui reste à compléter :",
                args.sortie.display(),
                profil.session,
                classeur.realisations.len()
            );
            for d in &chargement.diagnostics {
                println!("{}", super::verifier::ligne(d));
            }
            println!(
                "{}",
                super::verifier::resume(&args.sortie.display().to_string(), &chargement)
            );
        }
        super::Format::Json => println!(
            "{}",
            json(
                &import,
                Some(&args.sortie),
                Some(profil.session),
                &chargement.diagnostics
            )
        ),
    }
    Ok(
        if chargement
            .diagnostics
            .iter()
            .any(|d| d.gravite == Gravite::Erreur)
        {
            ExitCode::from(super::SORTIE_ERREURS_CLASSEUR)
        } else {
            ExitCode::SUCCESS
        },
    )
}
