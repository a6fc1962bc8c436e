//! `siodoc importer`: the candidates' own filled official tableaux become one class workbook.
//!
//! Files are gathered (folders walked, lock files, hidden files and what is no spreadsheet set
//! aside with the reason), each is read by its landmarks ([`super::lire`]), conflicts are
//! settled (two files of one candidate: the newer is kept; mixed référentiels or sessions: an
//! error that names the files), and the class is built in the class workbook's own model. The
//! command writes it with [`crate::classeur::gabarit`], exactly as `modele` does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{Modele, TableauLu};
use crate::classeur::gabarit::{
    Contenu, ContenuParametres, LigneCandidat, LigneFiche, LigneRealisation,
};
use crate::classeur::{Champ, Classeur, Parametres, Partie, lecture, lire_coche, schema};
use crate::diagnostic::Diagnostic;
use crate::erreur::Erreur;
use crate::session::ProfilSession;

/// Extensions of the spreadsheets an official tableau comes in.
const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "ods"];

/// Spreadsheets a student may hand in that siodoc does not read: each gets told how to save it
/// as one it reads, not « ce n'est pas un tableur ».
const EXTENSIONS_NON_LUES: [&str; 4] = ["xlsb", "numbers", "fods", "gsheet"];

/// What became of one file.
#[derive(Clone, Debug)]
pub enum Statut {
    Importe(Box<TableauLu>),
    /// Read, but another file of the same candidate is newer.
    Remplace {
        par: PathBuf,
    },
    Ignore {
        raison: String,
    },
}

#[derive(Clone, Debug)]
pub struct FichierImporte {
    pub chemin: PathBuf,
    pub statut: Statut,
    /// When the document was last modified: its own properties, else the file's date (ISO).
    pub modifie: Option<String>,
}

/// The result of an import: one line per file, the class built (absent when a conflict stops
/// the import, then `refus` says why), and every remark with its file.
#[derive(Debug)]
pub struct Import {
    pub fichiers: Vec<FichierImporte>,
    /// Guesses, doubts and conflicts: (file, diagnostic with the cell of that file).
    pub constats: Vec<(PathBuf, Diagnostic)>,
    pub refus: Option<String>,
    pub classe: Option<(Classeur, ProfilSession)>,
}

/// Every file under `chemins` (folders walked recursively, links never followed), sorted; and
/// what was set aside, with the reason.
pub fn rassembler(chemins: &[PathBuf]) -> (Vec<PathBuf>, Vec<(PathBuf, String)>) {
    let mut fichiers = Vec::new();
    let mut ignores = Vec::new();
    fn parcourir(
        d: &Path,
        profondeur: usize,
        f: &mut Vec<PathBuf>,
        i: &mut Vec<(PathBuf, String)>,
    ) {
        let Ok(entrees) = std::fs::read_dir(d) else {
            i.push((d.to_path_buf(), "dossier illisible".into()));
            return;
        };
        let mut entrees: Vec<_> = entrees.filter_map(Result::ok).collect();
        entrees.sort_by_key(|e| e.file_name());
        for e in entrees {
            let p = e.path();
            let Ok(genre) = e.file_type() else { continue };
            let nom = e.file_name().to_string_lossy().into_owned();
            if nom.starts_with('.') && lecture::verrou(&nom).is_none() {
                i.push((p, "fichier caché".into()));
            } else if genre.is_symlink() {
                i.push((p, "lien symbolique : siodoc ne suit pas les liens".into()));
            } else if genre.is_dir() {
                if profondeur >= 16 {
                    i.push((p, "dossier trop profond (16 niveaux au plus)".into()));
                } else {
                    parcourir(&p, profondeur + 1, f, i);
                }
            } else {
                f.push(p);
            }
        }
    }
    for c in chemins {
        match std::fs::metadata(c) {
            Ok(m) if m.is_dir() => parcourir(c, 0, &mut fichiers, &mut ignores),
            Ok(_) => fichiers.push(c.clone()),
            Err(e) => ignores.push((c.clone(), crate::erreur::io_fr(&e))),
        }
    }
    (fichiers, ignores)
}

/// Reads one file as an official tableau, or says why it is set aside.
pub fn lire_fichier(chemin: &Path) -> Result<TableauLu, String> {
    let nom = chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(m) = lecture::verrou(&nom) {
        return Err(m);
    }
    let extension = chemin
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if EXTENSIONS_NON_LUES.contains(&extension.as_str()) {
        // A spreadsheet all the same: its content says which, and how to save it.
        return Err(match crate::entree::nature(chemin) {
            Ok(n @ crate::entree::Nature::TableurNonLu { .. }) => crate::entree::pas_un_classeur(n),
            _ => format!(
                "c'est un classeur au format « {extension} », que siodoc ne lit pas ; enregistrez-le \
                 en XLSX ou ODS depuis votre tableur"
            ),
        });
    }
    if !EXTENSIONS.contains(&extension.as_str()) {
        return Err(format!(
            "ce n'est pas un tableur (extension « {extension} ») ; siodoc lit les fichiers XLSX, XLSM, XLS et ODS"
        ));
    }
    // The report names the file already: only the reason is kept.
    let raison = |e: Erreur| match e {
        Erreur::Classeur { message, .. } => message,
        Erreur::Lecture { detail, .. } => detail,
        autre => autre.to_string(),
    };
    let nature = crate::entree::nature(chemin).map_err(raison)?;
    let feuilles = lecture::lire_tableur_de(chemin, nature, true).map_err(raison)?;
    let mut tableau = super::lire(&feuilles)?;
    // The old XLS format keeps fills and shapes where calamine does not read them: a row or an
    // option without a visible mark may hide one.
    let sans_marque = tableau.candidat.option.est_vide()
        || tableau
            .realisations
            .iter()
            .any(|r| r.codes_coches().next().is_none());
    if nature == crate::entree::Nature::Ole && sans_marque {
        tableau.constats.push(Diagnostic::avertissement(
            "import-xls-apparences",
            tableau.feuille.clone(),
            "fichier au format XLS : les cases colorées et les formes dessinées n'y sont pas lues ; une ligne \
             ou l'option sans coche peut en cacher une : vérifiez à l'œil, ou enregistrez le fichier en XLSX et \
             importez-le de nouveau",
        ));
    }
    Ok(tableau)
}

/// When a document was last modified: `dcterms:modified` (XLSX) or `dc:date` (ODS), else the
/// file's own date.
pub fn date_du_document(chemin: &Path) -> Option<String> {
    let depuis_zip = || -> Option<String> {
        use std::io::Read;
        let f = crate::entree::ouvrir(chemin, crate::entree::limites::TAILLE_FICHIER).ok()?;
        let mut z = zip::ZipArchive::new(std::io::BufReader::new(f)).ok()?;
        for (entree, balise) in [("docProps/core.xml", "modified"), ("meta.xml", "date")] {
            let Ok(e) = z.by_name(entree) else { continue };
            let mut texte = String::new();
            e.take(1 << 20).read_to_string(&mut texte).ok()?;
            let mut r = quick_xml::Reader::from_str(&texte);
            let mut dedans = false;
            loop {
                match r.read_event().ok()? {
                    quick_xml::events::Event::Start(s) if s.local_name().as_ref() == balise => {
                        dedans = true
                    }
                    quick_xml::events::Event::Text(t) if dedans => {
                        let v = t.xml10_content().trim().to_string();
                        if !v.is_empty() {
                            return Some(v);
                        }
                    }
                    quick_xml::events::Event::Eof => break,
                    _ => {}
                }
            }
        }
        None
    };
    depuis_zip().or_else(|| {
        let m = std::fs::metadata(chemin).ok()?.modified().ok()?;
        let d: chrono::DateTime<chrono::Utc> = m.into();
        Some(d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    })
}

fn liste(fichiers: &[&Path]) -> String {
    fichiers
        .iter()
        .map(|f| format!("« {} »", f.display()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Imports the official tableaux found under `chemins`. `session` (from the command line) wins
/// over the files' SESSION cells, which are often stale.
pub fn importer(
    chemins: &[PathBuf],
    session: Option<u16>,
    profil: Option<&Path>,
) -> Result<Import, Erreur> {
    let (a_lire, ignores) = rassembler(chemins);
    let mut fichiers: Vec<FichierImporte> = a_lire
        .par_iter()
        .map(|chemin| {
            let statut = match lire_fichier(chemin) {
                Ok(t) => Statut::Importe(Box::new(t)),
                Err(raison) => Statut::Ignore { raison },
            };
            FichierImporte {
                chemin: chemin.clone(),
                modifie: matches!(statut, Statut::Importe(_))
                    .then(|| date_du_document(chemin))
                    .flatten(),
                statut,
            }
        })
        .collect();
    fichiers.extend(ignores.into_iter().map(|(chemin, raison)| FichierImporte {
        chemin,
        statut: Statut::Ignore { raison },
        modifie: None,
    }));
    fichiers.sort_by(|a, b| a.chemin.cmp(&b.chemin));
    let mut constats: Vec<(PathBuf, Diagnostic)> = Vec::new();
    for f in &fichiers {
        if let Statut::Importe(t) = &f.statut {
            constats.extend(t.constats.iter().map(|d| (f.chemin.clone(), d.clone())));
        }
    }
    let mut import = Import {
        fichiers,
        constats,
        refus: None,
        classe: None,
    };
    let lus: Vec<(&Path, &TableauLu)> = import
        .fichiers
        .iter()
        .filter_map(|f| match &f.statut {
            Statut::Importe(t) => Some((f.chemin.as_path(), t.as_ref())),
            _ => None,
        })
        .collect();
    if lus.is_empty() {
        import.refus = Some("aucun tableau de synthèse n'a pu être lu : rien n'est écrit ; les raisons sont données ci-dessus, fichier par fichier".into());
        return Ok(import);
    }

    // One référentiel only.
    let mut par_referentiel: BTreeMap<&str, Vec<&Path>> = BTreeMap::new();
    for (c, t) in &lus {
        par_referentiel
            .entry(t.modele.referentiel().code())
            .or_default()
            .push(c);
    }
    if par_referentiel.len() > 1 {
        import.refus = Some(format!(
            "les fichiers relèvent de deux référentiels ; une classe n'en a qu'un : {} ; rien n'est écrit, \
             importez-les séparément",
            par_referentiel
                .iter()
                .map(|(r, f)| format!(
                    "{} : {}",
                    if *r == "sio-2011" {
                        "grille de 2011"
                    } else {
                        "tableau de 2019"
                    },
                    liste(f)
                ))
                .collect::<Vec<_>>()
                .join(" ; ")
        ));
        return Ok(import);
    }

    // One session: the command line's, else the files' if they agree.
    let mut par_session: BTreeMap<u16, Vec<&Path>> = BTreeMap::new();
    for (c, t) in &lus {
        if let Some((s, _)) = &t.session {
            par_session.entry(*s).or_default().push(c);
        }
    }
    let annee = match session {
        Some(s) => {
            let mut avertis = Vec::new();
            for (c, t) in &lus {
                if let Some((a, ch)) = &t.session
                    && *a != s
                {
                    avertis.push((
                        c.to_path_buf(),
                        Diagnostic::avertissement(
                            "import-session-differente",
                            ch.cellule.to_string(),
                            format!("le fichier indique la session {a} ; la session {s} demandée par --session est retenue"),
                        ),
                    ));
                }
            }
            import.constats.extend(avertis);
            s
        }
        None => match par_session.len() {
            1 => *par_session.keys().next().unwrap_or(&0),
            0 => {
                import.refus = Some(
                    "aucun fichier n'indique de session lisible ; passez la session avec --session (par exemple --session 2026)"
                        .into(),
                );
                return Ok(import);
            }
            _ => {
                import.refus = Some(format!(
                    "les fichiers indiquent plusieurs sessions (les étudiants reprennent souvent le modèle d'une autre \
                     année) : {} ; choisissez la session de la classe avec --session",
                    par_session
                        .iter()
                        .map(|(s, f)| format!("{s} : {}", liste(f)))
                        .collect::<Vec<_>>()
                        .join(" ; ")
                ));
                return Ok(import);
            }
        },
    };
    let profil = ProfilSession::resoudre(Some(annee), profil, annee)?;
    let referentiel_des_fichiers = lus[0].1.modele.referentiel();
    if profil.referentiel != referentiel_des_fichiers {
        import.refus = Some(format!(
            "la session {annee} relève du référentiel {}, mais les fichiers sont des tableaux du référentiel {} ; \
             vérifiez --session",
            profil.referentiel.code(),
            referentiel_des_fichiers.code()
        ));
        return Ok(import);
    }

    // Two files for one candidate: the newer is kept.
    let cle = |t: &TableauLu| {
        if t.candidat.numero.texte.is_empty() {
            format!(
                "nom:{}",
                schema::normaliser(&format!(
                    "{}{}",
                    t.candidat.nom.texte, t.candidat.prenom.texte
                ))
            )
        } else {
            format!("n:{}", t.candidat.numero.texte)
        }
    };
    let mut groupes: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, f) in import.fichiers.iter().enumerate() {
        if let Statut::Importe(t) = &f.statut {
            groupes.entry(cle(t)).or_default().push(i);
        }
    }
    for indices in groupes.values().filter(|v| v.len() > 1) {
        let garde = *indices
            .iter()
            .max_by(|a, b| {
                let (fa, fb) = (&import.fichiers[**a], &import.fichiers[**b]);
                fa.modifie.cmp(&fb.modifie).then(fa.chemin.cmp(&fb.chemin))
            })
            .unwrap_or(&indices[0]);
        let par = import.fichiers[garde].chemin.clone();
        let noms: Vec<&Path> = indices
            .iter()
            .map(|i| import.fichiers[*i].chemin.as_path())
            .collect();
        let message = format!(
            "{} fichiers pour le même candidat : {} ; gardé le plus récent, « {} » (modifié le {})",
            indices.len(),
            liste(&noms),
            par.display(),
            import.fichiers[garde].modifie.as_deref().unwrap_or("?")
        );
        import.constats.push((
            par.clone(),
            Diagnostic::avertissement("import-doublon", "", message),
        ));
        for &i in indices.iter().filter(|i| **i != garde) {
            import.fichiers[i].statut = Statut::Remplace { par: par.clone() };
        }
    }

    // The report groups the remarks by file, in the order of the files.
    import.constats.sort_by(|a, b| a.0.cmp(&b.0));
    let tableaux: Vec<&TableauLu> = import
        .fichiers
        .iter()
        .filter_map(|f| match &f.statut {
            Statut::Importe(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let classeur = classe(&tableaux, &profil);
    import.classe = Some((classeur, profil));
    Ok(import)
}

/// The class of the tableaux kept, in the class workbook's model; fields keep the cells of the
/// candidates' files.
pub fn classe(tableaux: &[&TableauLu], profil: &ProfilSession) -> Classeur {
    let vide = Champ::vide;
    // The centre most files name.
    let mut centres: BTreeMap<&str, usize> = BTreeMap::new();
    for t in tableaux.iter().filter(|t| !t.centre.est_vide()) {
        *centres.entry(t.centre.texte.as_str()).or_default() += 1;
    }
    let centre = centres
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(c, _)| c.to_string())
        .unwrap_or_default();
    let session = profil.session.to_string();
    let parametres = Parametres {
        session: Champ::texte(
            &session,
            tableaux
                .first()
                .and_then(|t| t.session.as_ref())
                .map(|(_, c)| c.cellule)
                .unwrap_or_default(),
        ),
        centre: Champ::texte(
            &centre,
            tableaux
                .iter()
                .find(|t| t.centre.texte == centre)
                .map(|t| t.centre.cellule)
                .unwrap_or_default(),
        ),
        academie: vide(),
        classe: vide(),
        formateur: vide(),
        date: vide(),
    };
    let candidats: Vec<crate::classeur::Candidat> =
        tableaux.iter().map(|t| t.candidat.clone()).collect();
    let colonnes_coches = schema::colonnes_coches(
        profil.referentiel.charger(),
        &crate::classeur::options_presentes(&candidats),
    )
    .into_iter()
    .map(|c| c.code)
    .collect();
    Classeur::new(
        parametres,
        candidats,
        tableaux
            .iter()
            .flat_map(|t| t.realisations.iter().cloned())
            .collect(),
        Vec::new(),
        colonnes_coches,
    )
}

/// What the class workbook holds for the class: the template's content, with the rows of fiches
/// 1 and 2 of each candidate ready to fill.
pub fn contenu(classeur: &Classeur) -> Contenu {
    let p = &classeur.parametres;
    Contenu {
        parametres: ContenuParametres {
            centre: p.centre.texte.to_string(),
            academie: p.academie.texte.to_string(),
            classe: p.classe.texte.to_string(),
            formateur: p.formateur.texte.to_string(),
            date: None,
        },
        candidats: classeur
            .candidats
            .iter()
            .map(|c| LigneCandidat {
                numero: c.numero.texte.to_string(),
                nom: c.nom.texte.to_string(),
                prenom: c.prenom.texte.to_string(),
                option: c.option(),
                portfolio: c.portfolio.texte.to_string(),
                epreuve: c.epreuve.texte.to_string(),
            })
            .collect(),
        realisations: classeur
            .realisations
            .iter()
            .map(|r| {
                let jour = |c: &Champ| match c.brut() {
                    crate::classeur::Cellule::Date(d) => Some(d),
                    _ => None,
                };
                LigneRealisation {
                    candidat: r.candidat.texte.to_string(),
                    partie: r.partie().unwrap_or(Partie::Formation),
                    intitule: r.intitule.texte.to_string(),
                    documents: r.documents.texte.to_string(),
                    debut: jour(&r.debut),
                    fin: jour(&r.fin),
                    periode: r.periode.texte.to_string(),
                    lieu: String::new(),
                    organisation: String::new(),
                    modalite: None,
                    coches: r.codes_coches().map(str::to_string).collect(),
                    marques: r
                        .coches
                        .iter()
                        .filter(|(_, c)| !c.est_vide() && lire_coche(&c.brut()) != Some(true))
                        .map(|(code, c)| (code.to_string(), c.texte.to_string()))
                        .collect(),
                    fiche: None,
                }
            })
            .collect(),
        fiches: classeur
            .candidats
            .iter()
            .flat_map(|c| {
                [1u8, 2].map(|numero| LigneFiche {
                    candidat: c.numero.texte.to_string(),
                    numero,
                    ..LigneFiche::default()
                })
            })
            .collect(),
    }
}

/// The rules of `verifier` that concern one candidate's own tableau (not the class workbook's
/// fiches or parameters), for `siodoc verifier tableau.xlsx`.
pub fn regle_pour_un_tableau(d: &Diagnostic) -> bool {
    !matches!(
        d.regle,
        "fiches-nombre"
            | "fiches-couverture"
            | "fiche-sans-texte"
            | "fiche-sans-realisation"
            | "parametre-vide"
    )
}

impl Modele {
    /// How the report names the form.
    pub fn libelle(self) -> &'static str {
        match self {
            Modele::Sio2019 { sans_url: false } => "tableau de synthèse 2019",
            Modele::Sio2019 { sans_url: true } => {
                "tableau de synthèse 2019 (modèle 2022, sans URL)"
            }
            Modele::Sio2011 => "grille de synthèse 2011",
        }
    }
}
