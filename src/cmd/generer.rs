//! `siodoc generer`: validates, then renders every document of every candidate.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use siodoc::Erreur;
use siodoc::chargement::charger;
use siodoc::rendu::generation::{self, Avancement, Options};
use siodoc::rendu::moteur::{Moteur, standards_pdf};
use siodoc::rendu::nommage::{MOTIF_DEFAUT, Nommage};
use siodoc::rendu::officiel::{ModeleOfficiel, pdf as pdf_libreoffice};
use siodoc::rendu::reserve::Reserve;
use siodoc::rendu::{date_des_documents, formulaires};

#[derive(clap::Args)]
#[command(after_help = super::AIDE_CODES_SORTIE)]
pub struct Args {
    /// Le classeur de classe (XLSX, XLSM, XLS, ODS) ou le dossier de ses fichiers CSV.
    classeur: PathBuf,

    /// Dossier de sortie (par défaut : sortie).
    #[arg(
        short = 'o',
        long = "sortie",
        value_name = "DOSSIER",
        default_value = "sortie",
        hide_default_value = true
    )]
    sortie: PathBuf,

    /// Produit les documents malgré les erreurs ; ceux des candidats concernés portent la
    /// mention « NON VALIDÉ ».
    #[arg(long)]
    forcer: bool,

    /// Chemin de chaque document, sans extension. Variables : {{classe}}, {{session}},
    /// {{option}}, {{nom}}, {{prenom}}, {{numero}}, {{document}}.
    #[arg(long, value_name = "MOTIF", default_value = MOTIF_DEFAUT, hide_default_value = true)]
    nommage: String,

    /// Norme PDF : a-2b (par défaut), a-3b, a-2u, ua-1… ou aucun.
    #[arg(
        long,
        value_name = "NORME",
        default_value = "a-2b",
        hide_default_value = true
    )]
    pdf_standard: String,

    /// Formats produits : pdf, xlsx ou les deux (par défaut « pdf,xlsx »).
    #[arg(
        long,
        value_name = "FORMATS",
        default_value = "pdf,xlsx",
        hide_default_value = true
    )]
    formats: String,

    /// Fichiers d'impression de la classe (dossier impression/) pour une impression recto
    /// verso : une page blanche suit chaque document d'un nombre impair de pages, pour que
    /// chaque candidat commence sur un recto.
    #[arg(long)]
    recto_verso: bool,

    /// Le tableau de synthèse de la circulaire elle-même (XLSX, XLSM ou ODS) : chaque candidat
    /// reçoit une copie de ce fichier remplie à ses repères, à la place de la réplique XLSX.
    #[arg(long, value_name = "FICHIER")]
    modele_officiel: Option<PathBuf>,

    /// Avec --modele-officiel : imprime aussi chaque copie remplie en PDF avec LibreOffice
    /// (tableau-de-synthese-officiel.pdf), si LibreOffice est installé.
    #[arg(long)]
    pdf_officiel: bool,

    /// Dossier de modèles Typst qui remplacent ceux de siodoc (voir siodoc modeles exporter).
    #[arg(long, value_name = "DOSSIER")]
    modeles: Option<PathBuf>,

    /// Au lieu des PDF, écrit les sources Typst de chaque document (main.typ, data.json,
    /// polices), pour les recompiler avec la commande typst.
    #[arg(long, value_name = "DOSSIER")]
    exporter_sources: Option<PathBuf>,

    #[command(flatten)]
    session: super::OptionsSession,
}

pub fn executer(args: Args) -> Result<ExitCode, Erreur> {
    args.session.controler()?;
    let invalide = |message: String| Erreur::Argument { message };
    let nommage = Nommage::new(&args.nommage).map_err(invalide)?;
    let formats: Vec<String> = args
        .formats
        .split(',')
        .map(|f| f.trim().to_lowercase())
        .collect();
    if let Some(f) = formats
        .iter()
        .find(|f| !matches!(f.as_str(), "pdf" | "xlsx"))
    {
        return Err(invalide(format!(
            "--formats : format « {f} » inconnu ; attendu pdf, xlsx ou pdf,xlsx"
        )));
    }
    let (pdf, xlsx) = (
        formats.iter().any(|f| f == "pdf"),
        formats.iter().any(|f| f == "xlsx"),
    );
    let standards =
        standards_pdf(&args.pdf_standard).map_err(|m| invalide(format!("--pdf-standard : {m}")))?;
    if args.modele_officiel.is_some() && !xlsx {
        return Err(invalide(
            "--modele-officiel remplit le tableur de la circulaire : gardez xlsx dans --formats"
                .into(),
        ));
    }
    if args.pdf_officiel && args.modele_officiel.is_none() {
        return Err(invalide(
            "--pdf-officiel imprime les copies remplies du modèle officiel : passez aussi --modele-officiel FICHIER"
                .into(),
        ));
    }
    // Folders named on the command line are checked before any work.
    match &args.exporter_sources {
        Some(dossier) => siodoc::fichier::preparer_dossier(dossier, "--exporter-sources")?,
        None => siodoc::fichier::preparer_dossier(&args.sortie, "-o")?,
    }
    let moteur = match &args.modeles {
        Some(dossier) => Moteur::depuis_dossier(dossier)?,
        None => Moteur::new(),
    };
    let debut = Instant::now();
    let mut chargement = charger(
        &args.classeur,
        args.session.session,
        args.session.profil.as_deref(),
    )?;
    let fichier = args.classeur.display().to_string();
    for d in &chargement.diagnostics {
        println!("{}", super::verifier::ligne(d));
    }
    if chargement.classeur.is_none() || chargement.profil.is_none() {
        println!("{}", super::verifier::resume(&fichier, &chargement));
        return Ok(ExitCode::from(super::SORTIE_ERREURS_CLASSEUR));
    }
    if chargement.erreurs() > 0 && !args.forcer {
        println!("{}", super::verifier::resume(&fichier, &chargement));
        eprintln!(
            "Aucun document produit : corrigez les erreurs ci-dessus, ou relancez avec --forcer pour produire \
             des documents marqués « NON VALIDÉ »."
        );
        return Ok(ExitCode::from(super::SORTIE_ERREURS_CLASSEUR));
    }
    let erreurs_du_classeur = chargement.erreurs();
    // Owned, so that it can be let go once the documents' data are made (see below).
    let mut modele = chargement.classeur.take();
    let (Some(classeur), Some(profil)) = (modele.as_ref(), chargement.profil.as_ref()) else {
        return Ok(ExitCode::from(super::SORTIE_ERREURS_CLASSEUR));
    };
    let diagnostics = &chargement.diagnostics;
    // The official template is read, and its landmarks found, before anything is written.
    let officiel = match &args.modele_officiel {
        Some(chemin) => {
            let options = siodoc::classeur::options_presentes(&classeur.candidats);
            let m = ModeleOfficiel::charger(chemin, profil.referentiel, &options)?;
            for a in &m.avertissements {
                eprintln!("avertissement : {a}");
            }
            Some(m)
        }
        None => None,
    };
    let preparation = formulaires::Preparation::new(classeur, profil, diagnostics, args.forcer);
    let (docs, ecartes) = preparation.documents();
    let direct = |d: &formulaires::Document| Ok(preparation.donnees(d));
    for e in &ecartes {
        eprintln!("{} : {}", e.candidat, e.raison);
    }
    let classe = if classeur.parametres.classe.est_vide() {
        "classe".to_string()
    } else {
        classeur.parametres.classe.texte.to_string()
    };
    let opts = Options {
        sortie: &args.sortie,
        nommage: &nommage,
        classe: &classe,
        session: profil.session,
        date: date_des_documents(
            &classeur.parametres,
            profil.session,
            std::env::var("SOURCE_DATE_EPOCH").ok().as_deref(),
        ),
        standards,
    };
    if let Some(dossier) = &args.exporter_sources {
        let ecrits = generation::exporter_sources(&moteur, &docs, &direct, &opts, dossier)
            .map_err(invalide)?;
        eprintln!(
            "Sources de {} documents écrites dans « {} » ; pour en recompiler un : \
             typst compile --font-path {}/fonts --ignore-system-fonts <dossier>/main.typ",
            ecrits.len(),
            dossier.display(),
            dossier.display()
        );
        return Ok(ExitCode::SUCCESS);
    }

    // The spreadsheets first: they are made from the workbook's model, which the PDFs then no
    // longer need.
    let mut bilan = generation::Bilan::default();
    if xlsx {
        let tableurs = generation::generer_tableurs(
            classeur,
            profil,
            diagnostics,
            &docs,
            &opts,
            officiel.as_ref(),
        )
        .map_err(invalide)?;
        for (chemin, e) in &tableurs.echecs {
            eprintln!("ÉCHEC {} : {e}", chemin.display());
        }
        if let Some(m) = &officiel {
            eprintln!(
                "Tableaux de synthèse écrits dans des copies de « {} » (une par candidat).",
                m.chemin.display()
            );
        }
        if args.pdf_officiel {
            pdf_officiels(&args.sortie, &tableurs.ecrits, &mut bilan);
        }
        bilan.avertissements.extend(tableurs.avertissements);
        bilan.ecrits.extend(tableurs.ecrits);
        bilan.echecs.extend(tableurs.echecs);
    }

    // Every document's data made once, into a temporary file, and the model let go: the
    // rendering, the longest stage, does not hold the class (10 000 candidates: about 66 MB).
    // Without a temporary file, the data are made from the model as each lot is rendered.
    let reserve = if pdf {
        match Reserve::new(&docs, &direct) {
            Ok(r) => Some(r),
            Err(e) => {
                eprintln!("avertissement : {e} ; les données des documents restent en mémoire");
                None
            }
        }
    } else {
        None
    };
    drop(preparation);
    if reserve.is_some() {
        modele = None;
    }
    let secours = modele
        .as_ref()
        .map(|c| formulaires::Preparation::new(c, profil, diagnostics, args.forcer));
    let donnees = |d: &formulaires::Document| match (&reserve, &secours) {
        (Some(r), _) => r.donnees(d),
        (None, Some(p)) => Ok(p.donnees(d)),
        (None, None) => Err("données des documents perdues".to_string()),
    };

    let terminal = std::io::stderr().is_terminal();
    let barre = super::barre(if pdf { docs.len() as u64 } else { 0 }, "documents");
    let total = docs.len();
    let fait = std::sync::atomic::AtomicUsize::new(0);
    // Past a memory or time limit that no template needs, the run is stopped (see garde.rs).
    let garde = crate::garde::Garde::surveiller(&args.sortie, args.modeles.is_some());
    let avancement = |a: Avancement| {
        garde.progres();
        let n = fait.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(e) = a.erreur {
            barre.suspend(|| eprintln!("ÉCHEC {} : {e}", a.chemin.display()));
        } else if !terminal {
            eprintln!("[{n}/{total}] {}", a.chemin.display());
        }
        barre.inc(1);
    };
    let a_rendre: &[formulaires::Document] = if pdf { &docs } else { &[] };
    crate::allocateur::rendre_apres(crate::allocateur::DELAI_PENDANT_LE_RENDU);
    let mut rendus =
        generation::generer(&moteur, a_rendre, &donnees, &opts, &avancement).map_err(invalide)?;
    barre.finish_and_clear();
    drop(garde);
    crate::allocateur::rendre_apres(0);
    bilan.avertissements.extend(rendus.avertissements);
    bilan.ecrits.extend(rendus.ecrits);
    bilan.echecs.extend(rendus.echecs);
    if pdf {
        let prelus = std::mem::take(&mut rendus.prelus);
        match generation::ecrire_impression(&docs, &opts, &bilan.ecrits, args.recto_verso, prelus) {
            Ok(faits) => {
                for (chemin, n) in faits {
                    eprintln!("Impression : {} ({n} documents)", chemin.display());
                }
            }
            Err(e) => {
                eprintln!("ÉCHEC fichiers d'impression : {e}");
                bilan
                    .echecs
                    .push((PathBuf::from(generation::DOSSIER_IMPRESSION), e));
            }
        }
    }
    if let Err(e) = generation::ecrire_index(&docs, &opts, &bilan.ecrits, profil) {
        eprintln!("ÉCHEC index des documents : {e}");
    }
    for (chemin, a) in &bilan.avertissements {
        eprintln!("avertissement, {} : {a}", chemin.display());
    }
    let candidats = docs
        .iter()
        .filter_map(|d| d.candidat.as_ref().map(|c| &c.numero))
        .collect::<std::collections::HashSet<_>>()
        .len();
    eprintln!(
        "{} documents ({}) pour {candidats} candidats en {:.1} s dans « {} »{}.",
        bilan.ecrits.len(),
        formats.join(", "),
        debut.elapsed().as_secs_f64(),
        args.sortie.display(),
        if bilan.echecs.is_empty() {
            String::new()
        } else {
            format!(
                " ; {} document(s) en échec (voir ci-dessus)",
                bilan.echecs.len()
            )
        }
    );
    Ok(if !bilan.echecs.is_empty() {
        ExitCode::from(super::SORTIE_ECHECS_DOCUMENTS)
    } else if erreurs_du_classeur > 0 {
        ExitCode::from(super::SORTIE_ERREURS_CLASSEUR)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--pdf-officiel`: each filled copy printed by LibreOffice, next to it, when LibreOffice is
/// installed; otherwise said, and nothing else done.
fn pdf_officiels(sortie: &std::path::Path, ecrits: &[PathBuf], bilan: &mut generation::Bilan) {
    let Some(programme) = pdf_libreoffice::soffice() else {
        eprintln!(
            "--pdf-officiel : LibreOffice (soffice) n'est pas installé sur cette machine, aucun PDF des copies \
             officielles n'est produit ; installez-le (apt-get install -y libreoffice-calc-nogui) ou imprimez \
             les copies depuis votre tableur"
        );
        return;
    };
    let fichiers: Vec<(PathBuf, PathBuf)> = ecrits
        .iter()
        .filter(|c| c.file_stem().is_some_and(|s| s == "tableau-de-synthese"))
        .map(|c| {
            (
                sortie.join(c),
                sortie.join(c.with_file_name("tableau-de-synthese-officiel.pdf")),
            )
        })
        .collect();
    eprintln!(
        "Impression par LibreOffice de {} copies officielles…",
        fichiers.len()
    );
    for (pdf, r) in pdf_libreoffice::convertir(&programme, &fichiers) {
        let relatif = pdf.strip_prefix(sortie).map(PathBuf::from).unwrap_or(pdf);
        match r {
            Ok(()) => bilan.ecrits.push(relatif),
            Err(e) => {
                eprintln!("ÉCHEC {} : {e}", relatif.display());
                bilan.echecs.push((relatif, e));
            }
        }
    }
}
