//! Reading a class workbook: XLSX, XLSM, XLS and ODS through calamine, or a folder of CSV files
//! (one per sheet, named after the sheet).
//!
//! Limits: at most [`LIGNES_MAX`] rows per sheet; header rows are looked for in the first
//! [`LIGNES_ENTETE_MAX`] rows of a sheet.

use crate::classeur::Adresse;
use crate::classeur::feuille::NomDeFeuille;
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, Reader, ReaderRef};

use super::feuille::{Cellule, Feuille, reference};
use super::schema::{self, Colonne, normaliser};
use super::{Candidat, Champ, Classeur, Fiche, Parametres, Realisation};
use crate::diagnostic::Diagnostic;
use crate::entree::{self, Nature, limites};
use crate::erreur::{Erreur, io_fr};
use crate::referentiel::Referentiel;

/// Most rows read from one sheet: a class of 1 000 candidates with 50 réalisations each.
pub const LIGNES_MAX: usize = limites::LIGNES;
/// Rows searched for the header row, to allow a title or notes above it.
pub const LIGNES_ENTETE_MAX: usize = 10;

/// The sheets of an opened workbook, before interpretation.
#[derive(Debug)]
pub struct Source {
    pub chemin: PathBuf,
    pub feuilles: Vec<Feuille>,
}

fn erreur(chemin: &Path, message: impl Into<String>) -> Erreur {
    Erreur::Classeur {
        chemin: chemin.to_path_buf(),
        message: message.into(),
    }
}

/// The message for an Office or LibreOffice lock file, when `nom` is one.
pub fn verrou(nom: &str) -> Option<String> {
    if !(nom.starts_with("~$") || nom.starts_with(".~lock.")) {
        return None;
    }
    let original = nom
        .trim_start_matches("~$")
        .trim_start_matches(".~lock.")
        .trim_end_matches('#');
    Some(format!(
        "c'est un fichier de verrouillage créé par le tableur pendant l'édition, pas un classeur ; \
         passez le classeur lui-même (« {original} »)"
    ))
}

/// Opens a workbook file, or a folder (or one file) of CSV sheets. The file is recognised by
/// its content: an XLSX named .ods is read as the XLSX it is.
pub fn ouvrir(chemin: &Path) -> Result<Source, Erreur> {
    let nom = chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(message) = verrou(&nom) {
        return Err(erreur(chemin, message));
    }
    let (_, meta) = entree::resoudre(chemin, true)?;
    let extension = chemin
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let feuilles = if meta.is_dir() {
        lire_dossier_csv(chemin)?
    } else {
        match entree::nature(chemin)? {
            n @ (Nature::Xlsx | Nature::Ods | Nature::Ole) => lire_tableur_de(chemin, n, false)?,
            Nature::Texte | Nature::TexteUtf16 if extension == "csv" => {
                let dossier = chemin
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                lire_dossier_csv(dossier)?
            }
            autre => return Err(erreur(chemin, entree::pas_un_classeur(autre))),
        }
    };
    if feuilles.iter().all(|f| f.hauteur() == 0) {
        return Err(erreur(
            chemin,
            "le classeur est vide ; partez du modèle : siodoc modele --session 2026 classe.xlsx",
        ));
    }
    Ok(Source {
        chemin: chemin.to_path_buf(),
        feuilles,
    })
}

/// Reads the sheets of an XLSX, XLSM, ODS or XLS file: the container is checked first, then
/// the file is read in an isolated process (see [`entree::isolement`]).
pub fn lire_tableur(chemin: &Path) -> Result<Vec<Feuille>, Erreur> {
    lire_tableur_avec(chemin, false)
}

/// The same, with the look of the cells when `apparences` (see [`super::apparence`]).
pub fn lire_tableur_avec(chemin: &Path, apparences: bool) -> Result<Vec<Feuille>, Erreur> {
    lire_tableur_de(chemin, entree::nature(chemin)?, apparences)
}

/// The same, for a file whose [`Nature`] is already known.
pub fn lire_tableur_de(
    chemin: &Path,
    nature: Nature,
    apparences: bool,
) -> Result<Vec<Feuille>, Erreur> {
    // An empty file, a damaged ZIP, a PDF…: said as what it is, not as a spreadsheet that the
    // reader of old XLS files could not open.
    if !matches!(nature, Nature::Xlsx | Nature::Ods | Nature::Ole) {
        return Err(erreur(chemin, entree::pas_un_classeur(nature)));
    }
    if nature == Nature::Ole
        && entree::conteneur::controler_ole(chemin)? == entree::conteneur::ContenuOle::Chiffre
    {
        return Err(erreur(
            chemin,
            "le classeur est protégé par un mot de passe ; enregistrez-en une copie sans mot de passe \
             (Fichier > Informations > Protéger le classeur)",
        ));
    }
    if matches!(nature, Nature::Xlsx | Nature::Ods) {
        entree::conteneur::controler(chemin, nature)?;
    }
    entree::isolement::executer(chemin, apparences, || {
        lire_tableur_direct(chemin, nature, apparences)
    })
    .map_err(|m| erreur(chemin, m))
}

/// The reading itself, through calamine, once the container has been checked.
pub fn lire_tableur_direct(
    chemin: &Path,
    nature: Nature,
    apparences: bool,
) -> Result<Vec<Feuille>, String> {
    let f = entree::ouvrir(chemin, limites::TAILLE_FICHIER).map_err(|e| e.to_string())?;
    let lecteur = std::io::BufReader::new(f);
    let illisible = |e: &dyn std::fmt::Display| {
        let detail = e.to_string();
        if detail.to_lowercase().contains("password") || detail.to_lowercase().contains("encrypt") {
            "le classeur est protégé par un mot de passe ; enregistrez-en une copie sans mot de passe".to_string()
        } else {
            format!(
                "le classeur est endommagé et ne peut pas être lu ; ouvrez-le dans votre tableur et \
                 enregistrez-le de nouveau (détail : {detail})"
            )
        }
    };
    let mut classeur: calamine::Sheets<_> = match nature {
        Nature::Xlsx => {
            calamine::Sheets::Xlsx(calamine::Xlsx::new(lecteur).map_err(|e| illisible(&e))?)
        }
        Nature::Ods => {
            calamine::Sheets::Ods(calamine::Ods::new(lecteur).map_err(|e| illisible(&e))?)
        }
        Nature::Ole => {
            calamine::Sheets::Xls(calamine::Xls::new(lecteur).map_err(|e| illisible(&e))?)
        }
        autre => return Err(entree::pas_un_classeur(autre)),
    };
    let mut feuilles = Vec::new();
    for nom in classeur.sheet_names() {
        let illisible = |e: &dyn std::fmt::Display| {
            format!("la feuille « {nom} » est illisible (détail : {e})")
        };
        let feuille = match &mut classeur {
            // An XLSX sheet is read with its shared strings borrowed, each cell made into a
            // `Cellule` on its own (by calamine's own conversion), rather than copied whole
            // into a second sheet first: 10 000 candidates, peak of the reading 152 → 139 MB.
            calamine::Sheets::Xlsx(x) => {
                let plage = x.worksheet_range_ref(&nom).map_err(|e| illisible(&e))?;
                lignes_de(
                    &nom,
                    &plage,
                    |c| matches!(c, DataRef::Empty),
                    |c| cellule_calamine(&Data::from(c.clone())),
                )?
            }
            autre => {
                let plage = autre.worksheet_range(&nom).map_err(|e| illisible(&e))?;
                lignes_de(&nom, &plage, |c| matches!(c, Data::Empty), cellule_calamine)?
            }
        };
        feuilles.push(Feuille {
            nom,
            lignes: feuille,
            ..Feuille::default()
        });
    }
    if apparences {
        match &mut classeur {
            calamine::Sheets::Xlsx(x) => {
                super::apparence::styles_xlsx(x, &mut feuilles);
                super::apparence::dessins_xlsx(chemin, &mut feuilles);
            }
            calamine::Sheets::Ods(_) => super::apparence::apparences_ods(chemin, &mut feuilles),
            _ => {}
        }
    }
    Ok(feuilles)
}

/// The rows of a sheet read by calamine, row 0 being the sheet's row 1 (a range starts at its
/// first non-empty cell), down to its last non-empty row; refused past the limits.
fn lignes_de<T: calamine::CellType>(
    nom: &str,
    plage: &calamine::Range<T>,
    vide: impl Fn(&T) -> bool,
    cellule: impl Fn(&T) -> Cellule,
) -> Result<Vec<Vec<Cellule>>, String> {
    let Some((ligne0, colonne0)) = plage.start() else {
        return Ok(Vec::new());
    };
    let hauteur_reelle = plage
        .rows()
        .rposition(|l| l.iter().any(|c| !vide(c)))
        .map_or(0, |i| i + 1);
    let (ligne0, colonne0) = (ligne0 as usize, colonne0 as usize);
    if ligne0 + hauteur_reelle > LIGNES_MAX || colonne0 + plage.width() > limites::COLONNES {
        return Err(format!(
            "la feuille « {nom} » compte {} lignes et {} colonnes ; siodoc en lit au plus {LIGNES_MAX} \
             lignes et {} colonnes par feuille. Supprimez les lignes inutiles ou découpez la classe.",
            ligne0 + hauteur_reelle,
            colonne0 + plage.width(),
            limites::COLONNES
        ));
    }
    let mut lignes = vec![Vec::new(); ligne0];
    for l in plage.rows().take(hauteur_reelle) {
        // A row with nothing in it is kept without cells (every reader of a sheet takes a cell
        // past a row's end as empty): a value far from the others, stray or crafted, would
        // otherwise make millions of empty cells, held for every sheet read. Four sheets each
        // with a value in A1 and EU40000 (XLSX): 1.3 GB → 0.2 GB.
        if l.iter().all(&vide) {
            lignes.push(Vec::new());
            continue;
        }
        let mut cellules = vec![Cellule::Vide; colonne0];
        cellules.extend(l.iter().map(&cellule));
        lignes.push(cellules);
    }
    Ok(lignes)
}

/// Cuts a text one character past [`limites::LONGUEUR_CELLULE`]: what is longer cannot be
/// printed anyway, and the verifier reports the cell as too long.
pub fn borner(texte: &str) -> String {
    match texte.char_indices().nth(limites::LONGUEUR_CELLULE + 1) {
        Some((i, _)) => texte[..i].to_string(),
        None => texte.to_string(),
    }
}

fn cellule_calamine(d: &Data) -> Cellule {
    use calamine::DataType;
    match d {
        Data::Empty => Cellule::Vide,
        Data::String(s) => cellule_texte(s),
        Data::Int(i) => Cellule::Nombre(*i as f64),
        Data::Float(f) => Cellule::Nombre(*f),
        Data::Bool(b) => Cellule::Booleen(*b),
        // A date-formatted number outside the years 1900-9999 is not a date (chrono would
        // panic on −1e20): it stays the number it is, and a date column reports it.
        Data::DateTime(dt) if !(0.0..=2_958_465.0).contains(&dt.as_f64()) => {
            Cellule::Nombre(dt.as_f64())
        }
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_date() {
            Some(date) => Cellule::Date(date),
            None => Cellule::Texte(borner(&d.to_string())),
        },
        Data::DurationIso(s) => Cellule::Texte(borner(s)),
        Data::Error(e) => Cellule::ErreurFormule(e.to_string()),
    }
}

fn lire_dossier_csv(dossier: &Path) -> Result<Vec<Feuille>, Erreur> {
    let entrees = std::fs::read_dir(dossier).map_err(|e| erreur(dossier, io_fr(&e)))?;
    let mut fichiers: Vec<PathBuf> = entrees
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    fichiers.sort();
    if fichiers.is_empty() {
        return Err(erreur(
            dossier,
            format!(
                "aucun fichier CSV dans ce dossier ; attendu un fichier par feuille : {}",
                schema::FEUILLES.map(|f| format!("{f}.csv")).join(", ")
            ),
        ));
    }
    let mut feuilles: Vec<(Feuille, PathBuf)> = Vec::new();
    for f in fichiers {
        let nom = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Only the workbook's sheets: other CSV files in the folder are not ours to read.
        // « Réalisations.csv », or « classe-Réalisations.csv » as LibreOffice names each sheet.
        let Some(feuille) = schema::FEUILLES
            .iter()
            .find(|s| normaliser(&nom).ends_with(&normaliser(s)))
        else {
            continue;
        };
        if let Some((_, premier)) = feuilles.iter().find(|(x, _)| x.nom == *feuille) {
            return Err(erreur(
                dossier,
                format!(
                    "deux fichiers CSV pour la feuille {feuille} : « {} » et « {} » ; siodoc ne choisit pas \
                     à votre place : gardez-en un seul dans le dossier",
                    premier.file_name().unwrap_or_default().to_string_lossy(),
                    f.file_name().unwrap_or_default().to_string_lossy()
                ),
            ));
        }
        let octets = entree::lire(&f, limites::TAILLE_FICHIER)?;
        let lignes = lire_csv(&octets, &f)?;
        feuilles.push((
            Feuille {
                nom: feuille.to_string(),
                lignes,
                ..Feuille::default()
            },
            f,
        ));
    }
    Ok(feuilles.into_iter().map(|(f, _)| f).collect())
}

/// Decodes a CSV file (UTF-8 with or without BOM, else Windows-1252) into rows of text cells.
pub fn lire_csv(octets: &[u8], chemin: &Path) -> Result<Vec<Vec<Cellule>>, Erreur> {
    let texte = decoder_texte(octets);
    if texte.lines().count() > LIGNES_MAX {
        return Err(erreur(
            chemin,
            format!("plus de {LIGNES_MAX} lignes ; siodoc n'en lit pas davantage par feuille"),
        ));
    }
    let debut: String = texte.lines().take(10).collect::<Vec<_>>().join("\n");
    let separateur = if debut.matches(';').count() >= debut.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .has_headers(false)
        .flexible(true)
        .from_reader(texte.as_bytes());
    let mut lignes = Vec::new();
    for (i, enregistrement) in lecteur.records().enumerate() {
        let enregistrement = enregistrement.map_err(|e| {
            erreur(
                chemin,
                format!("ligne {} illisible ; enregistrez de nouveau le CSV depuis le tableur (détail : {e})", i + 1),
            )
        })?;
        if enregistrement.len() > limites::COLONNES {
            return Err(erreur(
                chemin,
                format!(
                    "la ligne {} compte {} colonnes ; siodoc en lit au plus {} par feuille",
                    i + 1,
                    enregistrement.len(),
                    limites::COLONNES
                ),
            ));
        }
        lignes.push(enregistrement.iter().map(cellule_texte).collect());
    }
    Ok(lignes)
}

/// The formula errors a spreadsheet shows, in English, French and LibreOffice forms.
pub const ERREURS_FORMULE: [&str; 13] = [
    "#NULL!",
    "#REF!",
    "#N/A",
    "#DIV/0!",
    "#VALUE!",
    "#NAME?",
    "#NUM!",
    "#N/D",
    "#VALEUR!",
    "#NOM?",
    "#NOMBRE!",
    "#NUL!",
    "#GETTING_DATA",
];

/// A cell of text as a CSV or a text cell holds it: blank is empty, a formula error shown as
/// text (« #REF! », LibreOffice's « Err:502 ») is a formula error.
pub fn cellule_texte(texte: &str) -> Cellule {
    let t = texte.trim();
    if t.is_empty() {
        Cellule::Vide
    } else if ERREURS_FORMULE.iter().any(|e| e.eq_ignore_ascii_case(t))
        || (t.starts_with("Err:") && t.len() <= 7 && t[4..].bytes().all(|b| b.is_ascii_digit()))
    {
        Cellule::ErreurFormule(t.to_string())
    } else {
        Cellule::Texte(borner(texte))
    }
}

/// UTF-8 (BOM stripped) when valid, UTF-16 with its BOM, else Windows-1252 as French Excel
/// writes it.
pub fn decoder_texte(octets: &[u8]) -> String {
    if let Some((encodage, _)) = encoding_rs::Encoding::for_bom(octets)
        && encodage != encoding_rs::UTF_8
    {
        return encodage.decode_with_bom_removal(octets).0.into_owned();
    }
    let sans_bom = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets);
    match std::str::from_utf8(sans_bom) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(sans_bom).0.into_owned(),
    }
}

/// A data sheet's header row, and where each known column is.
struct Entetes {
    ligne: usize,
    colonnes: Vec<(&'static str, usize)>,
}

impl Entetes {
    fn colonne(&self, cle: &str) -> Option<usize> {
        self.colonnes
            .iter()
            .find(|(c, _)| *c == cle)
            .map(|(_, i)| *i)
    }
}

fn entetes_de(feuille: &Feuille, colonnes: &[Colonne]) -> Option<Entetes> {
    // Each name and each cell normalized once, not once for every pair compared.
    let noms: Vec<Vec<String>> = colonnes.iter().map(Colonne::noms).collect();
    (0..LIGNES_ENTETE_MAX.min(feuille.lignes.len()))
        .map(|ligne| {
            let cellules: Vec<String> = feuille.lignes[ligne]
                .iter()
                .map(|cel| normaliser(&cel.texte()))
                .collect();
            let trouves: Vec<(&'static str, usize)> = colonnes
                .iter()
                .zip(&noms)
                .filter_map(|(c, noms)| {
                    cellules
                        .iter()
                        .position(|n| !n.is_empty() && noms.contains(n))
                        .map(|i| (c.cle, i))
                })
                .collect();
            Entetes {
                ligne,
                colonnes: trouves,
            }
        })
        .filter(|e| e.colonnes.len() >= 2)
        .max_by_key(|e| (e.colonnes.len(), std::cmp::Reverse(e.ligne)))
}

fn champ(feuille: &Feuille, ligne: usize, colonne: Option<usize>) -> Champ {
    match colonne {
        None => Champ::vide(),
        Some(c) => Champ::de(
            feuille.cellule(ligne, c),
            Adresse::new(&feuille.nom, ligne, c),
        ),
    }
}

/// One data row being read: its cells are moved into the fields (no copy of their text), and
/// the row is let go once read.
struct Rangee {
    feuille: NomDeFeuille,
    ligne: usize,
    cellules: Vec<Cellule>,
}

impl Rangee {
    /// The field of `colonne` (absent: an empty field that is nowhere). Each column is read
    /// once per row: its cell is taken.
    fn prendre(&mut self, colonne: Option<usize>) -> Champ {
        match colonne {
            None => Champ::vide(),
            Some(c) => {
                let cellule = self
                    .cellules
                    .get_mut(c)
                    .map(std::mem::take)
                    .unwrap_or_default();
                Champ::prendre(cellule, Adresse::dans(self.feuille, self.ligne, c))
            }
        }
    }

    /// The tick cells that hold something, each with its item code.
    fn prendre_coches(&mut self, coches: &[(String, usize)]) -> Vec<(ecow::EcoString, Champ)> {
        let mut prises = Vec::new();
        for (code, c) in coches {
            if self.cellules.get(*c).is_some_and(|x| !x.est_vide()) {
                prises.push((code.as_str().into(), self.prendre(Some(*c))));
            }
        }
        prises
    }
}

impl Source {
    /// Whether at least one sheet of the class workbook is there (the others are then
    /// reported one by one as missing).
    pub fn est_un_classeur_de_classe(&self) -> bool {
        schema::FEUILLES.iter().any(|f| self.feuille(f).is_some())
    }

    /// What to say of a file that has none of the class workbook's sheets.
    pub fn pas_un_classeur_de_classe(&self) -> String {
        let noms: Vec<String> = self
            .feuilles
            .iter()
            .map(|f| format!("« {} »", f.nom))
            .collect();
        format!(
            "ce n'est pas un classeur de classe de siodoc : aucune des feuilles {} (feuilles trouvées : {}) ; \
             partez du modèle : siodoc modele --session 2026 classe.xlsx",
            schema::FEUILLES.join(", "),
            noms.join(", ")
        )
    }

    fn feuille(&self, nom: &str) -> Option<&Feuille> {
        self.place_de_feuille(nom).map(|i| &self.feuilles[i])
    }

    /// Where the sheet `nom` is, its name compared as a teacher would (case, accents).
    fn place_de_feuille(&self, nom: &str) -> Option<usize> {
        let n = normaliser(nom);
        self.feuilles.iter().position(|f| normaliser(&f.nom) == n)
    }

    /// The `Paramètres` sheet: each known label in column A (or any column) with its value just
    /// to the right.
    pub fn parametres(&self) -> Parametres {
        let valeur = |cle: &str| -> Champ {
            let Some(f) = self.feuille(schema::PARAMETRES) else {
                return Champ::vide();
            };
            let Some((_, libelle, alias)) =
                schema::LIGNES_PARAMETRES.iter().find(|(k, _, _)| *k == cle)
            else {
                return Champ::vide();
            };
            for (l, ligne) in f.lignes.iter().enumerate() {
                for (c, cel) in ligne.iter().enumerate() {
                    let n = normaliser(&cel.texte());
                    if !n.is_empty()
                        && (n == normaliser(libelle) || alias.iter().any(|a| normaliser(a) == n))
                    {
                        return champ(f, l, Some(c + 1));
                    }
                }
            }
            Champ::vide()
        };
        Parametres {
            session: valeur("session"),
            centre: valeur("centre"),
            academie: valeur("academie"),
            classe: valeur("classe"),
            formateur: valeur("formateur"),
            date: valeur("date"),
        }
    }

    /// Reads every sheet against the session's référentiel. The diagnostics are the structural
    /// ones: missing sheets or headers, unknown columns.
    /// The sheets are consumed as they are read.
    pub fn lire(mut self, referentiel: Referentiel) -> (Classeur, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        for nom in schema::FEUILLES {
            if self.feuille(nom).is_none() {
                let presentes: Vec<&str> = self.feuilles.iter().map(|f| f.nom.as_str()).collect();
                diagnostics.push(Diagnostic::erreur(
                    "feuille-absente",
                    nom,
                    format!(
                        "la feuille « {nom} » est absente (feuilles trouvées : {}) ; attendu les feuilles {}",
                        presentes.join(", "),
                        schema::FEUILLES.join(", ")
                    ),
                ));
            }
        }
        let parametres = self.parametres();
        if let Some(f) = self.feuille(schema::PARAMETRES)
            && parametres.session.cellule.is_empty()
        {
            diagnostics.push(Diagnostic::erreur(
                "entete-absente",
                f.nom.clone(),
                format!(
                    "la ligne « Session » est absente de la feuille {} ; attendu en colonne A les libellés : {}",
                    f.nom,
                    schema::LIGNES_PARAMETRES.map(|(_, l, _)| l).join(", ")
                ),
            ));
        }

        let (candidats, _) = self.lire_lignes(
            schema::COLONNES_CANDIDATS,
            schema::CANDIDATS,
            None,
            &mut diagnostics,
            |r, e, _| Candidat {
                ligne: r.ligne as u32 + 1,
                numero: r.prendre(e.colonne("numero")),
                nom: r.prendre(e.colonne("nom")),
                prenom: r.prendre(e.colonne("prenom")),
                option: r.prendre(e.colonne("option")),
                portfolio: r.prendre(e.colonne("portfolio")),
                epreuve: r.prendre(e.colonne("epreuve")),
            },
        );

        // Tick columns expected: those of the options present in the class.
        let attendues = schema::colonnes_coches(referentiel, &super::options_presentes(&candidats));
        let (realisations, colonnes_coches) = self.lire_lignes(
            schema::COLONNES_REALISATIONS,
            schema::REALISATIONS,
            Some((
                referentiel,
                &attendues.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            )),
            &mut diagnostics,
            |r, e, coches| Realisation {
                ligne: r.ligne as u32 + 1,
                candidat: r.prendre(e.colonne("candidat")),
                partie: r.prendre(e.colonne("partie")),
                intitule: r.prendre(e.colonne("intitule")),
                documents: r.prendre(e.colonne("documents")),
                debut: r.prendre(e.colonne("debut")),
                fin: r.prendre(e.colonne("fin")),
                periode: r.prendre(e.colonne("periode")),
                lieu: r.prendre(e.colonne("lieu")),
                organisation: r.prendre(e.colonne("organisation")),
                modalite: r.prendre(e.colonne("modalite")),
                coches: r.prendre_coches(coches),
                fiche: r.prendre(e.colonne("fiche")),
            },
        );
        let (fiches, _) = self.lire_lignes(
            schema::COLONNES_FICHES,
            schema::FICHES,
            None,
            &mut diagnostics,
            |r, e, _| Fiche {
                ligne: r.ligne as u32 + 1,
                candidat: r.prendre(e.colonne("candidat")),
                numero: r.prendre(e.colonne("numero")),
                conditions: r.prendre(e.colonne("conditions")),
                ressources: r.prendre(e.colonne("ressources")),
                acces: r.prendre(e.colonne("acces")),
                descriptif: r.prendre(e.colonne("descriptif")),
            },
        );
        let classeur = Classeur::new(parametres, candidats, realisations, fiches, colonnes_coches);
        (classeur, diagnostics)
    }

    /// Reads the data rows of one sheet. `coches` gives the référentiel that names tick columns
    /// and the codes that must be present; `construire` gets the sheet, the row, the header map
    /// and the tick columns found.
    fn lire_lignes<T>(
        &mut self,
        colonnes: &[Colonne],
        nom: &str,
        coches_attendues: Option<(Referentiel, &[String])>,
        diagnostics: &mut Vec<Diagnostic>,
        mut construire: impl FnMut(&mut Rangee, &Entetes, &[(String, usize)]) -> T,
    ) -> (Vec<T>, Vec<String>)
    where
        T: EstVide,
    {
        let Some(i) = self.place_de_feuille(nom) else {
            return (Vec::new(), Vec::new());
        };
        let f = &self.feuilles[i];
        let Some(entetes) = entetes_de(f, colonnes) else {
            diagnostics.push(Diagnostic::erreur(
                "entete-absente",
                f.nom.clone(),
                format!(
                    "aucune ligne d'en-tête reconnue dans la feuille {} (cherchée dans les {LIGNES_ENTETE_MAX} premières lignes) ; \
                     attendu les colonnes : {}",
                    f.nom,
                    colonnes.iter().map(|c| c.entete).collect::<Vec<_>>().join(", ")
                ),
            ));
            return (Vec::new(), Vec::new());
        };
        let manquantes: Vec<&str> = colonnes
            .iter()
            .filter(|c| c.obligatoire && entetes.colonne(c.cle).is_none())
            .map(|c| c.entete)
            .collect();
        if !manquantes.is_empty() {
            diagnostics.push(Diagnostic::erreur(
                "entete-absente",
                format!("{}!{}", f.nom, entetes.ligne + 1),
                format!(
                    "colonne(s) obligatoire(s) absente(s) de la ligne d'en-tête : {} ; colonnes attendues : {}",
                    manquantes.join(", "),
                    colonnes.iter().map(|c| c.entete).collect::<Vec<_>>().join(", ")
                ),
            ));
        }
        // Every other header is a tick column, or unknown.
        let codes_attendus: &[String] = coches_attendues.map_or(&[], |(_, c)| c);
        let mut coches: Vec<(String, usize)> = Vec::new();
        let ligne_entete = &f.lignes[entetes.ligne];
        for (i, cel) in ligne_entete.iter().enumerate() {
            let texte = cel.texte();
            if texte.is_empty() || entetes.colonnes.iter().any(|(_, c)| *c == i) {
                continue;
            }
            let code = coches_attendues.and_then(|(r, _)| schema::code_de_colonne(r, &texte));
            match code {
                Some(code) if !coches.iter().any(|(c, _)| *c == code) => coches.push((code, i)),
                _ => diagnostics.push(Diagnostic::avertissement(
                    "colonne-inconnue",
                    reference(&f.nom, entetes.ligne, i),
                    format!(
                        "colonne « {} » inconnue ou en double, elle est ignorée{}",
                        texte.replace('\n', " "),
                        if codes_attendus.is_empty() {
                            String::new()
                        } else {
                            " (les colonnes de cases à cocher sont nommées par leur code, par exemple « B1.1 » ou « A1.1.1 , libellé »)".to_string()
                        }
                    ),
                )),
            }
        }
        let absentes: Vec<&str> = codes_attendus
            .iter()
            .filter(|code| !coches.iter().any(|(c, _)| c == *code))
            .map(String::as_str)
            .collect();
        if !absentes.is_empty() {
            diagnostics.push(Diagnostic::erreur(
                "entete-absente",
                format!("{}!{}", f.nom, entetes.ligne + 1),
                format!(
                    "colonne(s) de cases à cocher absente(s) : {} ; ajoutez-les (en-tête : le code, éventuellement suivi de « , libellé »)",
                    absentes.join(", ")
                ),
            ));
        }
        if let Some((r, _)) = coches_attendues {
            let ordre = schema::colonnes_coches(r, &[]);
            coches.sort_by_key(|(code, _)| ordre.iter().position(|c| c.code == *code));
        }
        // Each row's cells are let go once it is read: the sheet and the model it becomes are
        // never both whole in memory (10 000 candidates: 1,6 million cells).
        let mut lignes: Vec<T> = Vec::new();
        let f = &mut self.feuilles[i];
        let feuille = NomDeFeuille::new(&f.nom);
        for l in entetes.ligne + 1..f.lignes.len() {
            let mut rangee = Rangee {
                feuille,
                ligne: l,
                cellules: std::mem::take(&mut f.lignes[l]),
            };
            let t = construire(&mut rangee, &entetes, &coches);
            if !t.est_vide() {
                lignes.push(t);
            }
        }
        // Grown by doubling, the list can hold twice what it needs for the whole run.
        lignes.shrink_to_fit();
        (lignes, coches.into_iter().map(|(code, _)| code).collect())
    }
}

/// Rows that hold nothing are skipped.
pub trait EstVide {
    fn est_vide(&self) -> bool;
}

impl EstVide for Candidat {
    fn est_vide(&self) -> bool {
        [
            &self.numero,
            &self.nom,
            &self.prenom,
            &self.option,
            &self.portfolio,
            &self.epreuve,
        ]
        .iter()
        .all(|c| c.est_vide())
    }
}

impl EstVide for Realisation {
    fn est_vide(&self) -> bool {
        Realisation::est_vide(self)
    }
}

impl EstVide for Fiche {
    fn est_vide(&self) -> bool {
        [
            &self.candidat,
            &self.numero,
            &self.conditions,
            &self.ressources,
            &self.acces,
            &self.descriptif,
        ]
        .iter()
        .all(|c| c.est_vide())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A sheet with a value in its first cell and one 39 999 rows and 149 columns further: the
    /// rows between hold no cell at all, the two rows with a value are read whole.
    #[test]
    fn empty_rows_of_a_sheet_hold_no_cells() {
        let mut plage = calamine::Range::new((0, 0), (39_999, 149));
        plage.set_value((0, 0), Data::String("début".into()));
        plage.set_value((39_999, 149), Data::Float(2.0));
        let lignes = lignes_de(
            "Feuille",
            &plage,
            |c| matches!(c, Data::Empty),
            cellule_calamine,
        )
        .unwrap();
        assert_eq!(lignes.len(), 40_000);
        assert_eq!(lignes[0].len(), 150);
        assert_eq!(lignes[0][0], Cellule::Texte("début".into()));
        assert!(lignes[1..39_999].iter().all(Vec::is_empty));
        assert_eq!(lignes[39_999].len(), 150);
        assert_eq!(lignes[39_999][149], Cellule::Nombre(2.0));
        let feuille = Feuille {
            nom: "Feuille".into(),
            lignes,
            ..Feuille::default()
        };
        assert_eq!(feuille.cellule(20_000, 3), &Cellule::Vide);
        assert_eq!(feuille.hauteur(), 40_000);
    }
}
