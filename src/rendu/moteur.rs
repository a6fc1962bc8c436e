//! The in-process Typst engine: fonts, library and parsed templates loaded once and shared by
//! every worker thread; a small [`World`] per document serving that document's data as the
//! virtual file `/data.json`. Modelled on typst-cli's `world.rs`, without any file system access.

use std::path::Path;
use std::sync::{Arc, LazyLock, OnceLock};

use typst::diag::{FileError, FileResult, SourceDiagnostic, Warned};
use typst::foundations::{Bytes, Datetime, Duration, Label, Selector, Smart};
use typst::introspection::Introspector;
use typst::syntax::{DiagSpanKind, FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::utils::PicoStr;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// A rendered PDF and the layout warnings Typst gave for it.
pub type PdfRendu = (Vec<u8>, Vec<String>);

pub use crate::polices::POLICES;

/// The templates of `templates/`, embedded.
pub const MODELES: [(&str, &str); 6] = [
    ("commun.typ", include_str!("../../templates/commun.typ")),
    (
        "tableau-2019.typ",
        include_str!("../../templates/tableau-2019.typ"),
    ),
    (
        "tableau-2011.typ",
        include_str!("../../templates/tableau-2011.typ"),
    ),
    (
        "fiche-2019.typ",
        include_str!("../../templates/fiche-2019.typ"),
    ),
    (
        "fiche-2011.typ",
        include_str!("../../templates/fiche-2011.typ"),
    ),
    (
        "synthese-classe.typ",
        include_str!("../../templates/synthese-classe.typ"),
    ),
];

/// The virtual path of each document's data.
pub const DONNEES: &str = "/data.json";

fn id(chemin: &str) -> FileId {
    // A handful of fixed ids: file ids are interned for the life of the process.
    RootedPath::new(
        VirtualRoot::Project,
        VirtualPath::new(chemin).expect("chemin virtuel valide"),
    )
    .intern()
}

static ID_DONNEES: LazyLock<FileId> = LazyLock::new(|| id(DONNEES));

/// Why a document could not be produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ErreurRendu {
    pub message: String,
}

impl std::fmt::Display for ErreurRendu {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The embedded fonts as Typst sees them, without their hinting (`polices::sans_hinting`).
struct Polices {
    book: LazyHash<FontBook>,
    faces: Vec<Font>,
}

impl Polices {
    fn charger() -> Polices {
        let faces: Vec<Font> = POLICES
            .iter()
            .flat_map(|(_, octets)| match crate::polices::sans_hinting(octets) {
                Some(nue) => Font::iter(Bytes::new(nue)),
                None => Font::iter(Bytes::new(*octets)),
            })
            .collect();
        let book = LazyHash::new(FontBook::from_infos(faces.iter().map(|f| f.info().clone())));
        Polices { book, faces }
    }
}

/// Fonts, library and templates, shared by all threads.
pub struct Moteur {
    library: LazyHash<Library>,
    polices: Arc<OnceLock<Polices>>,
    sources: Vec<(FileId, String, Source)>,
    /// The templates read from the teacher's `--modeles` folder (the others are embedded).
    du_dossier: Vec<String>,
}

impl Moteur {
    /// The engine with the embedded templates.
    pub fn new() -> Moteur {
        Moteur::avec_modeles(
            MODELES
                .iter()
                .map(|(n, t)| (n.to_string(), t.to_string()))
                .collect(),
        )
    }

    /// The engine with the templates of a teacher's folder; files it lacks come from the embedded set.
    pub fn depuis_dossier(dossier: &Path) -> Result<Moteur, crate::Erreur> {
        crate::fichier::dossier_existant(dossier, "--modeles")?;
        let mut modeles = Vec::new();
        let mut du_dossier = Vec::new();
        let mut trouves = 0;
        for (nom, embarque) in MODELES {
            let chemin = dossier.join(nom);
            let texte = if chemin.exists() {
                trouves += 1;
                du_dossier.push(nom.to_string());
                let octets = crate::entree::lire(&chemin, 4 << 20)?;
                String::from_utf8(octets).map_err(|_| crate::Erreur::Lecture {
                    chemin: chemin.clone(),
                    detail: "ce modèle n'est pas du texte UTF-8 ; enregistrez-le en UTF-8".into(),
                })?
            } else {
                embarque.to_string()
            };
            modeles.push((nom.to_string(), texte));
        }
        if trouves == 0 {
            return Err(crate::Erreur::Dossier {
                argument: "--modeles",
                chemin: dossier.to_path_buf(),
                detail: format!(
                    "aucun modèle dans ce dossier (attendu : {}) ; écrivez-les avec siodoc modeles exporter",
                    MODELES.map(|(n, _)| n).join(", ")
                ),
            });
        }
        Ok(Moteur {
            du_dossier,
            ..Moteur::avec_modeles(modeles)
        })
    }

    fn avec_modeles(modeles: Vec<(String, String)>) -> Moteur {
        // Made in the background: reading the class, which comes next, leaves the cores idle
        // for longer than the 10 ms this takes; the first document waits for it if need be.
        let polices = Arc::new(OnceLock::new());
        let en_fond = Arc::clone(&polices);
        rayon::spawn(move || {
            en_fond.get_or_init(Polices::charger);
        });
        let sources = modeles
            .into_iter()
            .map(|(nom, texte)| {
                let fid = id(&format!("/{nom}"));
                (fid, nom, Source::new(fid, texte))
            })
            .collect();
        Moteur {
            library: LazyHash::new(Library::builder().build()),
            polices,
            sources,
            du_dossier: Vec::new(),
        }
    }

    fn polices(&self) -> &Polices {
        self.polices.get_or_init(Polices::charger)
    }

    /// The template texts, for `siodoc modeles exporter` and `--exporter-sources`.
    pub fn modeles(&self) -> impl Iterator<Item = (&str, &str)> {
        self.sources.iter().map(|(_, n, s)| (n.as_str(), s.text()))
    }

    /// Lays out `modele` (a file name such as « tableau-2019.typ ») with `donnees` as /data.json.
    /// Warnings (an unknown font, for instance) are returned with the document.
    pub fn compiler(
        &self,
        modele: &str,
        donnees: &[u8],
        aujourdhui: Datetime,
    ) -> Result<(PagedDocument, Vec<String>), ErreurRendu> {
        let main = self
            .sources
            .iter()
            .find(|(_, n, _)| n == modele)
            .map(|(id, _, _)| *id)
            .ok_or_else(|| ErreurRendu {
                message: format!("modèle « {modele} » inconnu"),
            })?;
        let monde = Monde {
            moteur: self,
            main,
            donnees: Bytes::new(donnees.to_vec()),
            aujourdhui,
        };
        let Warned { output, warnings } = typst::compile::<PagedDocument>(&monde);
        let avertissements = warnings.iter().map(|w| self.decrire(w)).collect();
        match output {
            Ok(doc) => Ok((doc, avertissements)),
            Err(erreurs) => Err(self.erreur(&erreurs)),
        }
    }

    /// Compiles and exports to PDF.
    pub fn pdf(
        &self,
        modele: &str,
        donnees: &[u8],
        options: &OptionsPdf,
    ) -> Result<PdfRendu, ErreurRendu> {
        let (doc, avertissements) = self.compiler(modele, donnees, options.date)?;
        Ok((self.exporter(&doc, options)?, avertissements))
    }

    /// Lays out several documents of one template in a single compilation (their data as a
    /// JSON list), then exports each one's pages as its own PDF with its own title. The
    /// template, the fonts and the page setup are processed once for the lot. If the lot
    /// fails as a whole, each document is rendered alone so that one bad document does not
    /// take the others with it.
    pub fn pdf_lot(
        &self,
        modele: &str,
        lot: &[DocumentLot],
        options: &OptionsPdf,
    ) -> Vec<Result<PdfRendu, ErreurRendu>> {
        let seul = |d: &DocumentLot| {
            let opts = OptionsPdf {
                identifiant: d.identifiant.clone(),
                ..options.clone()
            };
            self.pdf(modele, d.donnees, &opts)
        };
        if lot.len() == 1 {
            return vec![seul(&lot[0])];
        }
        let mut donnees = b"[".to_vec();
        for (i, d) in lot.iter().enumerate() {
            if i > 0 {
                donnees.push(b',');
            }
            donnees.extend_from_slice(d.donnees);
        }
        donnees.push(b']');
        let Ok((mut doc, avertissements)) = self.compiler(modele, &donnees, options.date) else {
            return lot.iter().map(seul).collect();
        };
        // First page of each document: where its `<siodoc-document>` marker landed.
        let marque = Label::new(PicoStr::intern("siodoc-document")).expect("étiquette valide");
        let debuts: Vec<usize> = doc
            .introspector()
            .query(&Selector::Label(marque))
            .iter()
            .filter_map(|c| c.location())
            .filter_map(|l| doc.introspector().page(l))
            .map(|p| p.get() - 1)
            .collect();
        if debuts.len() != lot.len() || debuts.windows(2).any(|w| w[0] >= w[1]) {
            return lot.iter().map(seul).collect();
        }
        let pages = doc.pages().to_vec();
        let info = doc.info_mut().clone();
        lot.iter()
            .enumerate()
            .map(|(i, d)| {
                let fin = debuts.get(i + 1).copied().unwrap_or(pages.len());
                let mut info = info.clone();
                // PDF/A caps a string at 32 767 bytes: a metadata text never gets near it.
                info.title = Some(super::formulaires::imprimable(d.titre, 300).into());
                info.author = vec![super::formulaires::imprimable(d.auteur, 300).into()];
                // The lot's metadata are the last document's: each gets its own back.
                info.description = Some(super::formulaires::imprimable(d.description, 600).into());
                info.keywords = d
                    .mots_cles
                    .iter()
                    .map(|m| super::formulaires::imprimable(m, 300).into())
                    .collect();
                let une = PagedDocument::new(pages[debuts[i]..fin].iter().cloned().collect(), info);
                let opts = OptionsPdf {
                    identifiant: d.identifiant.clone(),
                    ..options.clone()
                };
                self.exporter(&une, &opts)
                    .map(|octets| (octets, avertissements.clone()))
            })
            .collect()
    }

    fn exporter(&self, doc: &PagedDocument, options: &OptionsPdf) -> Result<Vec<u8>, ErreurRendu> {
        let opts = PdfOptions {
            ident: Smart::Custom(options.identifiant.clone()),
            creator: Smart::Custom(Some(format!("siodoc {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(options.date)),
            page_ranges: None,
            standards: options.standards.clone(),
            tagged: options.balise,
            pretty: false,
        };
        typst_pdf::pdf(doc, &opts).map_err(|e| self.erreur(&e))
    }

    fn erreur(&self, diagnostics: &[SourceDiagnostic]) -> ErreurRendu {
        ErreurRendu {
            message: diagnostics
                .iter()
                .map(|d| self.decrire(d))
                .collect::<Vec<_>>()
                .join(" ; "),
        }
    }

    /// « modèle tableau-2019.typ, ligne 12 : message » for a Typst diagnostic.
    fn decrire(&self, d: &SourceDiagnostic) -> String {
        let lieu = (|| {
            let (fid, plage) = match d.span.get() {
                DiagSpanKind::Number { id, num, sub_range } => {
                    let (_, _, source) = self.sources.iter().find(|(i, _, _)| *i == id)?;
                    (id, source.range(num, sub_range)?)
                }
                DiagSpanKind::Range { id, range } => (id, range),
                DiagSpanKind::Detached => return None,
            };
            let (_, nom, source) = self.sources.iter().find(|(i, _, _)| *i == fid)?;
            let ligne = source.text()[..plage.start].matches('\n').count() + 1;
            Some((nom.as_str(), format!("modèle {nom}, ligne {ligne} : ")))
        })();
        // An embedded template calling what the teacher's older commun.typ does not define.
        let commun_ancien = lieu.as_ref().is_some_and(|(nom, _)| {
            self.du_dossier.iter().any(|n| n == "commun.typ")
                && !self.du_dossier.iter().any(|n| n == nom)
                && d.message.starts_with("unknown variable")
        });
        // Typst speaks English: its words stay inside the parenthesised detail.
        let mut detail = d.message.to_string();
        for h in &d.hints {
            detail.push_str(&format!(" ; indice : {}", h.v));
        }
        let conseil = if commun_ancien {
            "ce modèle est celui de siodoc, mais commun.typ vient de --modeles, sans doute d'une \
             version antérieure : réécrivez les modèles avec siodoc modeles exporter et reportez-y \
             vos changements, ou retirez commun.typ du dossier"
        } else {
            "le modèle Typst ne peut pas être mis en page ; corrigez-le ou revenez au modèle fourni"
        };
        format!(
            "{}{conseil} (détail : {detail})",
            lieu.map(|(_, l)| l).unwrap_or_default()
        )
    }
}

impl Default for Moteur {
    fn default() -> Moteur {
        Moteur::new()
    }
}

/// One document of a lot: its data (a JSON object) and what its PDF is called.
pub struct DocumentLot<'a> {
    pub donnees: &'a [u8],
    pub titre: &'a str,
    pub auteur: &'a str,
    pub description: &'a str,
    pub mots_cles: &'a [String],
    pub identifiant: String,
}

/// What makes a PDF reproducible and archivable.
#[derive(Clone)]
pub struct OptionsPdf {
    /// Date of the document: PDF timestamp and Typst's « today ».
    pub date: Datetime,
    /// Stable PDF /ID, derived from the document's identity.
    pub identifiant: String,
    pub standards: PdfStandards,
    /// Whether the PDF carries its structure tree (tags). Only a part of a document merged
    /// afterwards goes without: the merge leaves the tree of each part.
    pub balise: bool,
}

/// Reads a `--pdf-standard` value: « a-2b » (default), « a-3b », « ua-1 », « 1.7 », or « aucun ».
pub fn standards_pdf(texte: &str) -> Result<PdfStandards, String> {
    if texte.eq_ignore_ascii_case("aucun") {
        return PdfStandards::new(&[]).map_err(|e| e.message().to_string());
    }
    let liste: Result<Vec<PdfStandard>, String> = texte
        .split(',')
        .map(|s| {
            serde_json::from_value(serde_json::Value::String(s.trim().to_lowercase())).map_err(
                |_| {
                    format!(
                        "norme PDF « {s} » inconnue ; exemples : a-2b, a-3b, a-2u, ua-1, 1.7, aucun"
                    )
                },
            )
        })
        .collect();
    PdfStandards::new(&liste?).map_err(|e| format!("normes PDF incompatibles : {}", e.message()))
}

/// One document's view of the world.
struct Monde<'a> {
    moteur: &'a Moteur,
    main: FileId,
    donnees: Bytes,
    aujourdhui: Datetime,
}

impl World for Monde<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.moteur.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.moteur.polices().book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, fid: FileId) -> FileResult<Source> {
        self.moteur
            .sources
            .iter()
            .find(|(i, _, _)| *i == fid)
            .map(|(_, _, s)| s.clone())
            .ok_or_else(|| FileError::NotFound(fid.vpath().get_with_slash().into()))
    }

    fn file(&self, fid: FileId) -> FileResult<Bytes> {
        if fid == *ID_DONNEES {
            return Ok(self.donnees.clone());
        }
        // Templates may read each other; nothing else exists (no file system access).
        self.source(fid)
            .map(|s| Bytes::from_string(s.text().to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.moteur.polices().faces.get(index).cloned()
    }

    fn today(&self, _: Option<Duration>) -> Option<Datetime> {
        Some(self.aujourdhui)
    }
}
