//! Reading a class workbook: XLSX, XLSM, XLS and ODS through calamine, or a folder of CSV files
//! (one per sheet, named after the sheet).
//!
//! Limits: at most [`LIGNES_MAX`] rows per sheet; header rows are looked for in the first
//! [`LIGNES_ENTETE_MAX`] rows of a sheet.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use super::feuille::{Cellule, Feuille, reference};
use super::schema::{self, Colonne, normaliser};
use super::{Candidat, Champ, Classeur, Fiche, Parametres, Realisation};
use crate::diagnostic::Diagnostic;
use crate::erreur::{Erreur, io_fr};
use crate::referentiel::{OptionSio, Referentiel};

/// Most rows read from one sheet: a class of 1 000 candidates with 50 réalisations each.
pub const LIGNES_MAX: usize = 50_000;
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

/// Opens a workbook file, or a folder (or one file) of CSV sheets.
pub fn ouvrir(chemin: &Path) -> Result<Source, Erreur> {
    let meta = std::fs::metadata(chemin).map_err(|e| erreur(chemin, io_fr(&e)))?;
    let nom = chemin
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if nom.starts_with("~$") || nom.starts_with(".~lock.") {
        let original = nom
            .trim_start_matches("~$")
            .trim_start_matches(".~lock.")
            .trim_end_matches('#');
        return Err(erreur(
            chemin,
            format!(
                "c'est un fichier de verrouillage créé par le tableur pendant l'édition, pas un classeur ; \
                 passez le classeur lui-même (« {original} »)"
            ),
        ));
    }
    let extension = chemin
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let feuilles = if meta.is_dir() {
        lire_dossier_csv(chemin)?
    } else if extension == "csv" {
        let dossier = chemin
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        lire_dossier_csv(dossier)?
    } else {
        lire_tableur(chemin, &extension)?
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

fn lire_tableur(chemin: &Path, extension: &str) -> Result<Vec<Feuille>, Erreur> {
    let mut debut = [0u8; 8];
    if let Ok(mut f) = std::fs::File::open(chemin) {
        use std::io::Read;
        let _ = f.read(&mut debut);
    }
    // Office stores an encrypted XLSX inside an OLE container instead of a ZIP, with an
    // « EncryptionInfo » stream; the file may also have been renamed .xls. Only an OLE file is
    // read whole to look for that stream.
    let ole = debut == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let chiffre = ole
        && (matches!(extension, "xlsx" | "xlsm") || {
            let info_chiffrement: Vec<u8> = "EncryptionInfo"
                .encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect();
            std::fs::read(chemin)
                .unwrap_or_default()
                .windows(info_chiffrement.len())
                .any(|w| w == info_chiffrement)
        });
    if chiffre {
        return Err(erreur(
            chemin,
            "le classeur est protégé par un mot de passe ; enregistrez-en une copie sans mot de passe \
             (Fichier > Informations > Protéger le classeur)",
        ));
    }
    let mut classeur = calamine::open_workbook_auto(chemin).map_err(|e| {
        let detail = e.to_string();
        if detail.to_lowercase().contains("password") || detail.to_lowercase().contains("encrypt") {
            erreur(chemin, "le classeur est protégé par un mot de passe ; enregistrez-en une copie sans mot de passe")
        } else {
            erreur(
                chemin,
                format!(
                    "ce n'est pas un classeur lisible (XLSX, XLSM, XLS, ODS) ou il est endommagé ; \
                     ouvrez-le dans votre tableur et enregistrez-le de nouveau (détail : {detail})"
                ),
            )
        }
    })?;
    let mut feuilles = Vec::new();
    for nom in classeur.sheet_names() {
        let plage = classeur
            .worksheet_range(&nom)
            .map_err(|e| erreur(chemin, format!("la feuille « {nom} » est illisible ({e})")))?;
        let Some((ligne0, colonne0)) = plage.start() else {
            feuilles.push(Feuille {
                nom,
                lignes: Vec::new(),
            });
            continue;
        };
        let hauteur_reelle = plage
            .rows()
            .rposition(|l| l.iter().any(|c| !matches!(c, Data::Empty)))
            .map_or(0, |i| i + 1);
        if ligne0 as usize + hauteur_reelle > LIGNES_MAX {
            return Err(erreur(
                chemin,
                format!(
                    "la feuille « {nom} » compte {} lignes ; siodoc en lit au plus {LIGNES_MAX} par feuille. \
                     Supprimez les lignes inutiles ou découpez la classe.",
                    ligne0 as usize + hauteur_reelle
                ),
            ));
        }
        let mut lignes = vec![Vec::new(); ligne0 as usize];
        for l in plage.rows().take(hauteur_reelle) {
            let mut cellules = vec![Cellule::Vide; colonne0 as usize];
            cellules.extend(l.iter().map(cellule_calamine));
            lignes.push(cellules);
        }
        feuilles.push(Feuille { nom, lignes });
    }
    Ok(feuilles)
}

fn cellule_calamine(d: &Data) -> Cellule {
    use calamine::DataType;
    match d {
        Data::Empty => Cellule::Vide,
        Data::String(s) if s.trim().is_empty() => Cellule::Vide,
        Data::String(s) => Cellule::Texte(s.clone()),
        Data::Int(i) => Cellule::Nombre(*i as f64),
        Data::Float(f) => Cellule::Nombre(*f),
        Data::Bool(b) => Cellule::Booleen(*b),
        Data::DateTime(_) | Data::DateTimeIso(_) => match d.as_date() {
            Some(date) => Cellule::Date(date),
            None => Cellule::Texte(d.to_string()),
        },
        Data::DurationIso(s) => Cellule::Texte(s.clone()),
        Data::Error(e) => Cellule::ErreurFormule(e.to_string()),
    }
}

fn lire_dossier_csv(dossier: &Path) -> Result<Vec<Feuille>, Erreur> {
    let entrees = std::fs::read_dir(dossier).map_err(|e| erreur(dossier, io_fr(&e)))?;
    let mut fichiers: Vec<PathBuf> = entrees
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")))
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
    let mut feuilles = Vec::new();
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
        let octets = std::fs::read(&f).map_err(|e| erreur(&f, io_fr(&e)))?;
        let lignes = lire_csv(&octets, &f)?;
        feuilles.push(Feuille {
            nom: feuille.to_string(),
            lignes,
        });
    }
    Ok(feuilles)
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
        let enregistrement = enregistrement
            .map_err(|e| erreur(chemin, format!("ligne {} illisible : {e}", i + 1)))?;
        lignes.push(
            enregistrement
                .iter()
                .map(|c| {
                    if c.trim().is_empty() {
                        Cellule::Vide
                    } else {
                        Cellule::Texte(c.to_string())
                    }
                })
                .collect(),
        );
    }
    Ok(lignes)
}

/// UTF-8 (BOM stripped) when valid, else Windows-1252 as French Excel writes it.
pub fn decoder_texte(octets: &[u8]) -> String {
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
    (0..LIGNES_ENTETE_MAX.min(feuille.lignes.len()))
        .map(|ligne| {
            let trouves: Vec<(&'static str, usize)> = colonnes
                .iter()
                .filter_map(|c| {
                    feuille.lignes[ligne]
                        .iter()
                        .position(|cel| c.reconnait(&cel.texte()))
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
        Some(c) => {
            let brut = feuille.cellule(ligne, c).clone();
            Champ {
                texte: brut.texte(),
                cellule: reference(&feuille.nom, ligne, c),
                brut,
            }
        }
    }
}

impl Source {
    fn feuille(&self, nom: &str) -> Option<&Feuille> {
        let n = normaliser(nom);
        self.feuilles.iter().find(|f| normaliser(&f.nom) == n)
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
    pub fn lire(&self, referentiel: Referentiel) -> (Classeur, Vec<Diagnostic>) {
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
            |f, l, e, _| Candidat {
                ligne: l as u32 + 1,
                numero: champ(f, l, e.colonne("numero")),
                nom: champ(f, l, e.colonne("nom")),
                prenom: champ(f, l, e.colonne("prenom")),
                option: champ(f, l, e.colonne("option")),
                portfolio: champ(f, l, e.colonne("portfolio")),
                epreuve: champ(f, l, e.colonne("epreuve")),
            },
        );

        // Tick columns expected: those of the options present in the class.
        let mut options: Vec<OptionSio> = candidats.iter().filter_map(Candidat::option).collect();
        options.sort();
        options.dedup();
        let attendues = schema::colonnes_coches(referentiel, &options);
        let (realisations, colonnes_coches) = self.lire_lignes(
            schema::COLONNES_REALISATIONS,
            schema::REALISATIONS,
            Some((
                referentiel,
                &attendues.iter().map(|c| c.code.clone()).collect::<Vec<_>>(),
            )),
            &mut diagnostics,
            |f, l, e, coches| Realisation {
                ligne: l as u32 + 1,
                candidat: champ(f, l, e.colonne("candidat")),
                partie: champ(f, l, e.colonne("partie")),
                intitule: champ(f, l, e.colonne("intitule")),
                documents: champ(f, l, e.colonne("documents")),
                debut: champ(f, l, e.colonne("debut")),
                fin: champ(f, l, e.colonne("fin")),
                periode: champ(f, l, e.colonne("periode")),
                lieu: champ(f, l, e.colonne("lieu")),
                organisation: champ(f, l, e.colonne("organisation")),
                modalite: champ(f, l, e.colonne("modalite")),
                coches: coches
                    .iter()
                    .map(|(code, c)| (code.clone(), champ(f, l, Some(*c))))
                    .collect(),
                fiche: champ(f, l, e.colonne("fiche")),
            },
        );
        let (fiches, _) = self.lire_lignes(
            schema::COLONNES_FICHES,
            schema::FICHES,
            None,
            &mut diagnostics,
            |f, l, e, _| Fiche {
                ligne: l as u32 + 1,
                candidat: champ(f, l, e.colonne("candidat")),
                numero: champ(f, l, e.colonne("numero")),
                conditions: champ(f, l, e.colonne("conditions")),
                ressources: champ(f, l, e.colonne("ressources")),
                acces: champ(f, l, e.colonne("acces")),
                descriptif: champ(f, l, e.colonne("descriptif")),
            },
        );
        let classeur = Classeur {
            parametres,
            candidats,
            realisations,
            fiches,
            colonnes_coches,
        };
        (classeur, diagnostics)
    }

    /// Reads the data rows of one sheet. `coches` gives the référentiel that names tick columns
    /// and the codes that must be present; `construire` gets the sheet, the row, the header map
    /// and the tick columns found.
    fn lire_lignes<T>(
        &self,
        colonnes: &[Colonne],
        nom: &str,
        coches_attendues: Option<(Referentiel, &[String])>,
        diagnostics: &mut Vec<Diagnostic>,
        mut construire: impl FnMut(&Feuille, usize, &Entetes, &[(String, usize)]) -> T,
    ) -> (Vec<T>, Vec<String>)
    where
        T: EstVide,
    {
        let Some(f) = self.feuille(nom) else {
            return (Vec::new(), Vec::new());
        };
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
        let lignes = (entetes.ligne + 1..f.lignes.len())
            .map(|l| construire(f, l, &entetes, &coches))
            .filter(|t| !t.est_vide())
            .collect();
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
