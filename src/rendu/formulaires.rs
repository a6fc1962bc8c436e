//! What each form shows, as data for its template: one function per form. Everything a
//! template prints comes from here, so that a template holds layout only.

use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use crate::classeur::{Candidat, Classeur, Fiche, Modalite, Partie, Periode, Realisation};
use crate::diagnostic::{Diagnostic, Gravite};
use crate::officiel::mise_en_page::{
    A3_PAYSAGE, A4, MARGE_A3, MARGE_A4, points, sio2011 as m11, sio2019 as m19,
};
use crate::referentiel::{OptionSio, Referentiel};
use crate::session::{Formulaire, ProfilSession};

/// Kinds of documents, with the file name each gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Genre {
    TableauSynthese,
    Fiche(u8),
    SyntheseClasse,
}

impl Genre {
    /// « siodoc/2026/02600010123/fiche-1 »: the document's /ID, and its keyword in the metadata.
    pub fn identifiant(self, session: u16, numero: Option<&str>) -> String {
        format!(
            "siodoc/{session}/{}/{}",
            numero.unwrap_or("classe"),
            self.nom_fichier()
        )
    }

    pub fn nom_fichier(self) -> String {
        match self {
            Genre::TableauSynthese => "tableau-de-synthese".into(),
            Genre::Fiche(n) => format!("fiche-{n}"),
            Genre::SyntheseClasse => "synthese-classe".into(),
        }
    }
}

/// One document to render.
#[derive(Clone, Debug)]
pub struct Document {
    pub genre: Genre,
    /// Template file name.
    pub modele: &'static str,
    /// The candidate's N°, NOM, Prénom, option (one for all the candidate's documents); `None`
    /// for class documents.
    pub candidat: Option<Arc<Identite>>,
    pub titre: String,
    /// Author in the PDF metadata: the centre, one string for the whole class.
    pub auteur: Arc<str>,
    /// Stable PDF identifier: the same document always gets the same /ID.
    pub identifiant: String,
    /// Annex label and épreuve of the document's form, shared by every document of that form
    /// and option: its description and keywords are made from them when it is rendered
    /// ([`Document::description`], [`Document::mots_cles`]).
    pub libelles: Arc<Libelles>,
    /// Whether the document carries « NON VALIDÉ » (`generer --forcer`).
    pub non_valide: bool,
    /// The candidate whose document this is (index in the workbook's candidates), whose data
    /// [`Preparation::donnees`] makes when asked; `None` for a class document.
    pub source: Option<usize>,
    /// JSON handed to the template as /data.json: always there for a class document, there for
    /// a candidate's when made by [`documents`], empty when made by [`Preparation`].
    pub donnees: Vec<u8>,
    /// Further parts of the same document, each laid out on its own and appended to the first
    /// (the class overview of a large class: its memory stays that of one part).
    pub suite: Vec<Vec<u8>>,
}

impl Document {
    /// Description in the PDF metadata: what siodoc says of the document for its own use
    /// (annex label, épreuve, identifier, « NON VALIDÉ »), kept off the page.
    pub fn description(&self) -> String {
        self.meta().description(self.non_valide)
    }

    /// Keywords in the PDF metadata: the same, one by one.
    pub fn mots_cles(&self) -> Vec<String> {
        self.meta().mots_cles(self.non_valide)
    }

    fn meta(&self) -> Meta<'_> {
        Meta {
            titre: &self.titre,
            identifiant: &self.identifiant,
            annexe: &self.libelles.annexe,
            epreuve: &self.libelles.epreuve,
        }
    }
}

/// What the PDF metadata of a form's documents say of it, for one option.
#[derive(Clone, Debug, PartialEq)]
pub struct Libelles {
    pub annexe: String,
    pub epreuve: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub struct Identite {
    pub numero: String,
    pub nom: String,
    pub prenom: String,
    pub option: String,
}

/// A candidate left out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Ecarte {
    pub candidat: String,
    pub raison: String,
}

/// Every document of the class: per candidate the tableau de synthèse and the fiches, then the
/// class overview. With `forcer`, documents of candidates with errors carry « NON VALIDÉ ».
/// Each document comes with its data; [`Preparation`] gives them without, for a class too
/// large to hold every document's data at once.
pub fn documents(
    classeur: &Classeur,
    profil: &ProfilSession,
    diagnostics: &[Diagnostic],
    forcer: bool,
) -> (Vec<Document>, Vec<Ecarte>) {
    let preparation = Preparation::new(classeur, profil, diagnostics, forcer);
    let (mut docs, ecartes) = preparation.documents();
    for d in &mut docs {
        if d.source.is_some() {
            d.donnees = preparation.donnees(d);
        }
    }
    (docs, ecartes)
}

/// The documents of a class, their data made when asked: what a candidate's documents show is
/// computed from the workbook when they are rendered, so that memory does not grow with the
/// class.
pub struct Preparation<'a> {
    classeur: &'a Classeur,
    profil: &'a ProfilSession,
    diagnostics: &'a [Diagnostic],
    /// Candidates with an error, when `forcer` marks their documents « NON VALIDÉ » (all of
    /// them when the error concerns the whole workbook).
    non_valides: std::collections::HashSet<&'a str>,
    tous_non_valides: bool,
    auteur: Arc<str>,
}

impl<'a> Preparation<'a> {
    pub fn new(
        classeur: &'a Classeur,
        profil: &'a ProfilSession,
        diagnostics: &'a [Diagnostic],
        forcer: bool,
    ) -> Preparation<'a> {
        let erreurs = diagnostics.iter().filter(|d| d.gravite == Gravite::Erreur);
        let centre = classeur.parametres.centre.texte.as_str();
        Preparation {
            classeur,
            profil,
            diagnostics,
            non_valides: if forcer {
                erreurs
                    .clone()
                    .filter_map(|d| d.candidat.as_deref())
                    .collect()
            } else {
                Default::default()
            },
            tous_non_valides: forcer && erreurs.clone().any(|d| d.candidat.is_none()),
            auteur: if centre.is_empty() { "siodoc" } else { centre }.into(),
        }
    }

    fn non_valide(&self, numero: &str) -> bool {
        self.tous_non_valides || self.non_valides.contains(numero)
    }

    /// Every document, the candidates' without their data (see [`Preparation::donnees`]), and
    /// the candidates left out.
    pub fn documents(&self) -> (Vec<Document>, Vec<Ecarte>) {
        let (classeur, profil) = (self.classeur, self.profil);
        let referentiel = profil.referentiel.charger();
        let mut docs = Vec::new();
        let mut ecartes = Vec::new();
        let mut libelles: std::collections::HashMap<(Genre, OptionSio), Arc<Libelles>> =
            Default::default();
        for (indice, c) in classeur.candidats.iter().enumerate() {
            let numero = c.numero.texte.as_str();
            let Some(option) = c.option() else {
                ecartes.push(Ecarte {
                    candidat: format!("{} {} ({numero})", c.nom.texte, c.prenom.texte),
                    raison: "option inconnue : aucun document".into(),
                });
                continue;
            };
            if numero.is_empty() {
                ecartes.push(Ecarte {
                    candidat: format!("{} {}", c.nom.texte, c.prenom.texte),
                    raison: "N° candidat vide : aucun document".into(),
                });
                continue;
            }
            let identite = Arc::new(Identite {
                numero: numero.into(),
                nom: c.nom.texte.to_string(),
                prenom: c.prenom.texte.to_string(),
                option: option.code().into(),
            });
            let nv = self.non_valide(numero);
            // A candidate's document, its data left to `donnees`.
            let mut document =
                |genre: Genre, f: &Formulaire, titre: String, modele_2019, modele_2011| {
                    let identifiant = genre.identifiant(profil.session, Some(numero));
                    Document {
                        genre,
                        modele: match referentiel {
                            Referentiel::Sio2019(_) => modele_2019,
                            Referentiel::Sio2011(_) => modele_2011,
                        },
                        candidat: Some(identite.clone()),
                        libelles: libelles
                            .entry((genre, option))
                            .or_insert_with(|| {
                                Arc::new(Libelles {
                                    annexe: f.annexe.get(option).into(),
                                    epreuve: f.libelle_epreuve(option),
                                })
                            })
                            .clone(),
                        non_valide: nv,
                        auteur: self.auteur.clone(),
                        source: Some(indice),
                        donnees: Vec::new(),
                        suite: Vec::new(),
                        titre,
                        identifiant,
                    }
                };
            let f = &profil.tableau_synthese;
            let titre = format!(
                "{} — {} — session {}",
                f.titre,
                nom_prenom(c),
                profil.session
            );
            docs.push(document(
                Genre::TableauSynthese,
                f,
                titre,
                "tableau-2019.typ",
                "tableau-2011.typ",
            ));
            let realisations = classeur.realisations_titrees(numero);
            for k in [1u8, 2] {
                if !realisations.iter().any(|r| r.numero_fiche() == Some(k)) {
                    continue;
                }
                let f = &profil.fiche_descriptive;
                let titre = format!(
                    "{} n° {k} — {} — session {}",
                    f.titre,
                    nom_prenom(c),
                    profil.session
                );
                docs.push(document(
                    Genre::Fiche(k),
                    f,
                    titre,
                    "fiche-2019.typ",
                    "fiche-2011.typ",
                ));
            }
        }
        let titre = format!(
            "Synthèse de la classe {} — session {}",
            classeur.parametres.classe.texte, profil.session
        );
        let identifiant = Genre::SyntheseClasse.identifiant(profil.session, None);
        let session = format!("session {}", profil.session);
        let meta = Meta {
            titre: &titre,
            identifiant: &identifiant,
            annexe: "Synthèse de la classe",
            epreuve: &session,
        };
        // The class overview in parts of a few pages, the first one as its data.
        let mut parties: Vec<Vec<u8>> = synthese(classeur, profil, self.diagnostics, &meta)
            .iter()
            .map(octets)
            .collect();
        docs.push(Document {
            genre: Genre::SyntheseClasse,
            modele: "synthese-classe.typ",
            candidat: None,
            titre: titre.clone(),
            auteur: self.auteur.clone(),
            libelles: Arc::new(Libelles {
                annexe: meta.annexe.into(),
                epreuve: meta.epreuve.into(),
            }),
            non_valide: false,
            identifiant: identifiant.clone(),
            source: None,
            donnees: if parties.is_empty() {
                Vec::new()
            } else {
                parties.remove(0)
            },
            suite: parties,
        });
        (docs, ecartes)
    }

    /// A document's data as its template reads it (/data.json): made now from the workbook for
    /// a candidate's document, the data it carries for the class overview.
    pub fn donnees(&self, d: &Document) -> Vec<u8> {
        let Some(c) = d.source.and_then(|i| self.classeur.candidats.get(i)) else {
            return d.donnees.clone();
        };
        let (classeur, profil) = (self.classeur, self.profil);
        let Some(option) = c.option() else {
            return d.donnees.clone();
        };
        let numero = c.numero.texte.as_str();
        let nv = self.non_valide(numero);
        let realisations = classeur.realisations_titrees(numero);
        // The tableau holds at most what the form prints (the rule realisations-trop-nombreuses
        // says so); a fiche's réalisation is found among all.
        let imprimees = &realisations[..realisations
            .len()
            .min(crate::verification::longueurs::REALISATIONS)];
        let referentiel = profil.referentiel.charger();
        let f = match d.genre {
            Genre::TableauSynthese => &profil.tableau_synthese,
            Genre::Fiche(_) => &profil.fiche_descriptive,
            Genre::SyntheseClasse => return d.donnees.clone(),
        };
        let epreuve = f.libelle_epreuve(option);
        let meta = Meta {
            titre: &d.titre,
            identifiant: &d.identifiant,
            annexe: f.annexe.get(option),
            epreuve: &epreuve,
        };
        let v = match (d.genre, referentiel) {
            (Genre::Fiche(k), _) => {
                let Some(r) = realisations.iter().find(|r| r.numero_fiche() == Some(k)) else {
                    return d.donnees.clone();
                };
                let texte = classeur
                    .fiches_de(numero)
                    .find(|f| f.numero_fiche() == Some(k));
                fiche(classeur, profil, c, option, r, texte, k, nv, &meta)
            }
            (_, Referentiel::Sio2019(_)) => {
                tableau_2019(classeur, profil, c, option, imprimees, nv, &meta)
            }
            (_, Referentiel::Sio2011(_)) => {
                tableau_2011(classeur, profil, c, option, imprimees, nv, &meta)
            }
        };
        octets(&v)
    }
}

/// The data of a document as its template reads it. Every text is made printable first: with
/// --forcer, a workbook that `verifier` rejected is still rendered (marked « NON VALIDÉ »), so a
/// character no font has, or a text past what a page and PDF/A hold, must not fail the document.
fn octets(v: &Value) -> Vec<u8> {
    fn nettoyer(v: &mut Value) {
        match v {
            Value::String(s)
                if s.len() > TEXTE_MAX || !s.chars().all(crate::polices::dessinable) =>
            {
                *s = imprimable(s, TEXTE_MAX);
            }
            Value::Array(a) => a.iter_mut().for_each(nettoyer),
            Value::Object(o) => o.values_mut().for_each(nettoyer),
            _ => {}
        }
    }
    let mut v = v.clone();
    nettoyer(&mut v);
    serde_json::to_vec(&v).unwrap_or_default()
}

/// Longest text handed to a template: the longest field `verifier` accepts (a descriptif).
const TEXTE_MAX: usize = crate::verification::longueurs::DESCRIPTIF;

/// `texte` with each character the fonts cannot draw replaced by « ? », cut at `max`
/// characters (with « … »). Only reached for data `verifier` has reported.
pub(crate) fn imprimable(texte: &str, max: usize) -> String {
    let mut s: String = texte
        .chars()
        .take(max)
        .map(|c| {
            if crate::polices::dessinable(c) {
                c
            } else {
                '?'
            }
        })
        .collect();
    if texte.chars().nth(max).is_some() {
        s.push('…');
    }
    s
}

/// The first cell of a réalisation's row: its title, then its documents on a new line.
pub(crate) fn intitule_et_documents(r: &Realisation) -> String {
    if r.documents.est_vide() {
        r.intitule.texte.to_string()
    } else {
        format!("{}\n{}", r.intitule.texte, r.documents.texte)
    }
}

pub(crate) fn nom_prenom(c: &Candidat) -> String {
    format!("{} {}", c.nom.texte, c.prenom.texte)
        .trim()
        .to_string()
}

/// What siodoc says of a document for its own use: it goes in the PDF metadata (title,
/// description, keywords), never on the page, which shows what the official form shows.
struct Meta<'a> {
    titre: &'a str,
    identifiant: &'a str,
    annexe: &'a str,
    epreuve: &'a str,
}

impl Meta<'_> {
    fn description(&self, non_valide: bool) -> String {
        format!(
            "{} — {} — document {}{}",
            self.annexe,
            self.epreuve,
            self.identifiant,
            if non_valide {
                " — NON VALIDÉ : le classeur comporte des erreurs pour ce candidat (siodoc verifier)"
            } else {
                ""
            }
        )
    }

    fn mots_cles(&self, non_valide: bool) -> Vec<String> {
        let mut mots = vec![
            self.annexe.to_string(),
            self.epreuve.to_string(),
            self.identifiant.to_string(),
        ];
        if non_valide {
            mots.push("NON VALIDÉ".into());
        }
        mots
    }
}

fn document(meta: &Meta, classeur: &Classeur, non_valide: bool) -> Value {
    json!({
        "titre": meta.titre,
        "auteur": if classeur.parametres.centre.est_vide() { "siodoc" } else { classeur.parametres.centre.texte.as_str() },
        "description": meta.description(non_valide),
        "mots_cles": meta.mots_cles(non_valide),
        "non_valide": non_valide,
    })
}

/// Période as the 2019 forms print it: « du 02/10/24 au 15/12/24 ».
pub(crate) fn periode_2019(r: &Realisation) -> String {
    match r.periode_lue() {
        Periode::Dates {
            debut: Some(a),
            fin: Some(b),
        } if a == b => a.jj_mm_aa(),
        Periode::Dates {
            debut: Some(a),
            fin: Some(b),
        } => format!("du {} au {}", a.jj_mm_aa(), b.jj_mm_aa()),
        Periode::Dates {
            debut: Some(a),
            fin: None,
        } => format!("depuis le {}", a.jj_mm_aa()),
        Periode::Dates {
            debut: None,
            fin: Some(b),
        } => format!("jusqu'au {}", b.jj_mm_aa()),
        Periode::Dates { .. } | Periode::Vide => String::new(),
        Periode::Libre(t) => t,
    }
}

/// A période split where the 2019 tableau's narrow column breaks it: « du 02/10/24 » over
/// « au 15/12/24 ».
fn periode_en_lignes(p: &str) -> Vec<String> {
    match p.split_once(" au ") {
        Some((a, b)) => vec![a.to_string(), format!("au {b}")],
        None if p.is_empty() => Vec::new(),
        None => vec![p.to_string()],
    }
}

/// Période as the 2011 tableau asks for it: one « MM/AA », the month the situation began (the
/// column holds five characters; the whole période is on the fiche).
pub(crate) fn periode_2011(r: &Realisation) -> String {
    match r.periode_lue() {
        Periode::Dates { debut: Some(a), .. }
        | Periode::Dates {
            debut: None,
            fin: Some(a),
        } => a.mm_aa(),
        Periode::Dates { .. } | Periode::Vide => String::new(),
        Periode::Libre(t) => t,
    }
}

fn parties(
    realisations: &[&Realisation],
    titres: [&str; 3],
    lignes_min: [usize; 3],
    ligne: impl Fn(&Realisation) -> Value,
) -> Vec<Value> {
    Partie::TOUTES
        .iter()
        .enumerate()
        .map(|(i, p)| {
            json!({
                "titre": titres[i],
                "lignes_min": lignes_min[i],
                "realisations": realisations.iter().filter(|r| r.partie() == Some(*p)).map(|r| ligne(r)).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn tableau_2019(
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
    realisations: &[&Realisation],
    non_valide: bool,
    meta: &Meta,
) -> Value {
    use super::ajustement::{echelle_bloc, echelle_ligne, hauteur_de_ligne};
    use crate::polices::Graisse;
    let r19 = crate::referentiel::sio2019();
    let competences: Vec<_> = r19.bloc1().collect();
    let f = &profil.tableau_synthese;
    let l = m19::LARGEURS.map(points);
    let m = m19::MARGE;
    let (gauche, droite) = (
        l[..5].iter().sum::<f64>() - 2.0 * m,
        l[5..].iter().sum::<f64>() - 2.0 * m,
    );
    let identite =
        |t: &str, place: f64| echelle_ligne(t, Graisse::Grasse, m19::TAILLE_IDENTITE, place);
    let centre = &classeur.parametres.centre.texte;
    json!({
        "document": document(meta, classeur, non_valide),
        "non_valide": non_valide,
        "session": profil.session,
        "titre": f.titre,
        // The 2022 template has no URL row.
        "avec_url": m19::avec_url(profil.session),
        "candidat": {
            "nom_prenom": nom_prenom(c),
            "numero": c.numero.texte,
            "option": option.code(),
            "portfolio": c.portfolio.texte,
            // Each identity line shrunk to its cells if it must be.
            "echelles": {
                "nom": identite(&format!("NOM et prénom : {}", nom_prenom(c)), gauche),
                "numero": identite(&format!("N° candidat : {}", c.numero.texte), droite),
                "centre": identite(&format!("Centre de formation : {centre}"), gauche),
                "url": identite(&format!("Adresse URL du portfolio : {}", c.portfolio.texte), l.iter().sum::<f64>() - 2.0 * m),
            },
        },
        "centre": centre,
        "competences": competences.iter().enumerate().map(|(i, k)| {
            let items = k.sous_items.iter().map(|s| format!("▸{s}")).collect::<Vec<_>>().join("\n");
            json!({
                "code": k.code,
                "intitule": k.intitule,
                "sous_items": k.sous_items,
                "echelle_nom": echelle_bloc(&k.intitule, Graisse::Grasse, m19::TAILLE_TETES, l[2 + i] - 2.0 * m, m19::HAUTEUR_NOMS - 2.0 * m, 0.45),
                "echelle_items": echelle_bloc(&items, Graisse::Normale, m19::TAILLE_ITEMS, m19::HAUTEUR_ITEMS - 2.0 * m, l[2 + i] - 2.0 * m, 0.4),
            })
        }).collect::<Vec<_>>(),
        "gabarit": {
            "colonnes": l,
            "hauteurs": {
                "titre": m19::HAUTEUR_TITRE,
                "identite": m19::HAUTEUR_IDENTITE,
                "noms": m19::HAUTEUR_NOMS,
                "items": m19::HAUTEUR_ITEMS,
                "bande": m19::HAUTEUR_BANDE,
                "ligne": m19::HAUTEUR_LIGNE,
                "espace": m19::HAUTEUR_ESPACE,
            },
            "tailles": {
                "titre": m19::TAILLE_TITRE,
                "identite": m19::TAILLE_IDENTITE,
                "tetes": m19::TAILLE_TETES,
                "items": m19::TAILLE_ITEMS,
                "bande": m19::TAILLE_BANDE,
                "corps": m19::TAILLE_CORPS,
                "reperes": m19::TAILLE_REPERES,
            },
            "marge": m,
            "page": { "largeur": A4.0, "hauteur": A4.1, "marge": MARGE_A4 },
        },
        "parties": parties(
            realisations,
            m19::TITRES_PARTIES,
            m19::LIGNES_PARTIES,
            |r| {
                let cochees: Vec<&str> = r.codes_coches().collect();
                // A long title makes its row taller, as the spreadsheet's automatic height.
                let h = hauteur_de_ligne(&intitule_et_documents(r), m19::TAILLE_CORPS, l[0], m, 0.45, m19::HAUTEUR_LIGNE);
                let periode = periode_en_lignes(&periode_2019(r));
                let echelle_periode = periode
                    .iter()
                    .map(|p| echelle_ligne(p, Graisse::Grasse, m19::TAILLE_CORPS, l[1] - 2.0 * m))
                    .fold(1.0_f64, f64::min);
                json!({
                    "intitule": r.intitule.texte,
                    "documents": r.documents.texte,
                    "hauteur": h,
                    "periode": periode,
                    "echelle_periode": echelle_periode,
                    "coches": competences.iter().map(|k| cochees.contains(&k.code.as_str())).collect::<Vec<_>>(),
                })
            },
        ),
    })
}

fn tableau_2011(
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
    realisations: &[&Realisation],
    non_valide: bool,
    meta: &Meta,
) -> Value {
    let r11 = crate::referentiel::sio2011();
    let colonnes: Vec<_> = r11.colonnes_tableau(option).collect();
    let so: Vec<_> = r11.situations_obligatoires.iter().collect();
    use super::ajustement::{echelle_bloc, echelle_ligne, hauteur_de_ligne};
    use crate::polices::Graisse;
    let m = m11::MARGE;
    let (l_so, l_p, l_act, l_a) = (
        points(m11::LARGEUR_SO),
        points(m11::LARGEUR_PERIODE),
        points(m11::LARGEUR_ACTIVITE),
        points(m11::LARGEUR_SITUATION),
    );
    let largeur = l_a + 4.0 * l_so + l_p + colonnes.len() as f64 * l_act;
    let tete = m11::HAUTEUR_TETES - 2.0 * m;
    json!({
        "document": document(meta, classeur, non_valide),
        "non_valide": non_valide,
        "session": profil.session,
        "candidat": {
            "nom_prenom": nom_prenom(c),
            "numero": c.numero.texte,
            "option": option.code(),
            "echelle_nom": echelle_ligne(
                &format!("NOM et Prénom du candidat : {}", nom_prenom(c)),
                Graisse::Grasse,
                m11::TAILLE_IDENTITE,
                largeur * m11::PARTS_LIGNE_2[0] - 2.0 * m,
            ),
        },
        "centre": classeur.parametres.centre.texte,
        "formateur": classeur.parametres.formateur.texte,
        "situations_obligatoires": so.iter().map(|s| json!({
            "libelle": s.libelle,
            "echelle": echelle_bloc(&s.libelle, Graisse::Normale, m11::TAILLE_TETES, tete, l_so - 2.0 * m, 0.3),
        })).collect::<Vec<_>>(),
        // Each activité column; the sheet draws a medium rule where a sub-domain starts.
        "activites": colonnes.iter().enumerate().map(|(i, a)| {
            let libelle = format!("{} , {}", a.code, a.intitule.replace('\'', "’"));
            json!({
                "echelle": echelle_bloc(&libelle, Graisse::Normale, m11::TAILLE_TETES, tete, l_act - 2.0 * m, 0.3),
                "libelle": libelle,
                "debut_sous_domaine": i == 0 || colonnes[i - 1].domaine != a.domaine,
            })
        }).collect::<Vec<_>>(),
        "gabarit": {
            "situation": points(m11::LARGEUR_SITUATION),
            "so": points(m11::LARGEUR_SO),
            "periode": points(m11::LARGEUR_PERIODE),
            "activite": points(m11::LARGEUR_ACTIVITE),
            "hauteurs": {
                "titre": m11::HAUTEUR_TITRE,
                "bande": m11::HAUTEUR_BANDE,
                "tetes": m11::HAUTEUR_TETES,
                "ligne": m11::HAUTEUR_LIGNE,
                "pied": m11::HAUTEUR_PIED,
            },
            "parts_ligne_2": m11::PARTS_LIGNE_2,
            "page": { "largeur": A3_PAYSAGE.0, "hauteur": A3_PAYSAGE.1, "marge": MARGE_A3 },
            "tailles": {
                "titre": m11::TAILLE_TITRE,
                "identite": m11::TAILLE_IDENTITE,
                "option": m11::TAILLE_OPTION,
                "tetes": m11::TAILLE_TETES,
                "corps": m11::TAILLE_CORPS,
            },
            "marge": m,
            "vert": m11::VERT,
            "rose": m11::ROSE,
            "bleu": m11::BLEU,
        },
        "parties": parties(
            realisations,
            m11::TITRES_PARTIES,
            m11::LIGNES_PARTIES,
            |r| {
                let cochees: Vec<&str> = r.codes_coches().collect();
                let h = hauteur_de_ligne(&intitule_et_documents(r), m11::TAILLE_CORPS, l_a, m, 0.3, m11::HAUTEUR_LIGNE);
                let periode = periode_2011(r);
                json!({
                    "intitule": r.intitule.texte,
                    "documents": r.documents.texte,
                    "hauteur": h,
                    "echelle_periode": echelle_ligne(&periode, Graisse::Grasse, m11::TAILLE_CORPS, l_p - 2.0),
                    "periode": periode,
                    "so": so.iter().map(|s| cochees.contains(&s.code.as_str())).collect::<Vec<_>>(),
                    "coches": colonnes.iter().map(|a| cochees.contains(&a.code.as_str())).collect::<Vec<_>>(),
                })
            },
        ),
    })
}

#[allow(clippy::too_many_arguments)]
fn fiche(
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
    r: &Realisation,
    texte: Option<&Fiche>,
    k: u8,
    non_valide: bool,
    meta: &Meta,
) -> Value {
    let f = &profil.fiche_descriptive;
    let cochees: Vec<&str> = r.codes_coches().collect();
    let epreuve = crate::classeur::schema::normaliser(&c.epreuve.texte);
    let champ =
        |g: fn(&Fiche) -> &ecow::EcoString| texte.map(|t| g(t).to_string()).unwrap_or_default();
    let modalite = Modalite::lire(&r.modalite.texte);
    let (competences, activites) = match profil.referentiel.charger() {
        Referentiel::Sio2019(r19) => (
            r19.bloc2(option)
                .map(
                    |k| json!({"libelle": k.intitule, "coche": cochees.contains(&k.code.as_str())}),
                )
                .collect::<Vec<_>>(),
            Vec::new(),
        ),
        Referentiel::Sio2011(r11) => (
            Vec::new(),
            r11.activites
                .iter()
                .filter(|a| cochees.contains(&a.code.as_str()))
                .map(|a| json!({"code": a.code, "intitule": a.intitule}))
                .collect::<Vec<_>>(),
        ),
    };
    json!({
        "document": document(meta, classeur, non_valide),
        "non_valide": non_valide,
        "session": profil.session,
        "titre": f.titre,
        "epreuve": f.libelle_epreuve(option),
        // 2011: « E4 – Conception et maintenance… », without the word « Épreuve ».
        "epreuve_court": format!("{} – {}", f.epreuve, f.intitule.get(option)),
        "annexe": f.annexe.get(option),
        "annexe_avant_epreuve": f.annexe_avant_epreuve,
        "numero": k,
        "candidat": { "nom_prenom": nom_prenom(c), "numero": c.numero.texte, "option": option.code() },
        "ponctuelle": epreuve.contains("ponctuel"),
        "ccf": epreuve.contains("ccf") || epreuve.contains("controleencours"),
        "date": classeur.parametres.date.texte,
        "organisation": r.organisation.texte,
        "intitule": r.intitule.texte,
        "documents": r.documents.texte,
        "periode": periode_2019(r),
        "lieu": r.lieu.texte,
        "seul": modalite == Some(Modalite::Seul),
        "equipe": modalite == Some(Modalite::EnEquipe),
        "competences": competences,
        "activites": activites,
        "conditions": champ(|t| &t.conditions.texte),
        "ressources": champ(|t| &t.ressources.texte),
        "acces": champ(|t| &t.acces.texte),
        "descriptif": champ(|t| &t.descriptif.texte),
        // Whether the verso's box of the blank form (19 cm) holds the descriptif.
        "descriptif_tient": descriptif_tient(&champ(|t| &t.descriptif.texte)),
    })
}

/// Whether a descriptif fits the 2019 fiche's verso box (175 mm × 191 mm, 10 pt, its heading
/// line), with room to spare: otherwise the box grows onto the following pages.
fn descriptif_tient(texte: &str) -> bool {
    use crate::polices::{Graisse, lignes};
    let mm = 72.0 / 25.4;
    let (largeur, hauteur) = (175.0 * mm - 12.0, 191.0 * mm - 12.0);
    let paragraphes: Vec<&str> = texte.split("\n\n").collect();
    let n: usize = paragraphes
        .iter()
        .map(|p| lignes(p.trim(), Graisse::Normale, 10.0, largeur * 0.96))
        .sum::<usize>()
        + 2;
    let h = super::ajustement::hauteur(n, 10.0, 0.55) + paragraphes.len() as f64 * 8.0;
    h < hauteur * 0.85
}

/// Candidates per part of the class overview: four pages of the A3 grid (40 a page), five of
/// the A4 one (28 a page).
const SYNTHESE_PAR_PARTIE: [usize; 2] = [160, 140];

/// The class overview's data, in parts of [`SYNTHESE_PAR_PARTIE`] candidates: the first part
/// carries the title, the last one the class totals and the legend.
fn synthese(
    classeur: &Classeur,
    profil: &ProfilSession,
    diagnostics: &[Diagnostic],
    meta: &Meta,
) -> Vec<Value> {
    let centre = classeur.parametres.centre.texte.as_str();
    let referentiel = profil.referentiel.charger();
    let options = crate::classeur::options_presentes(&classeur.candidats);
    let colonnes = crate::classeur::schema::colonnes_coches(referentiel, &options);
    // An item is required when a coverage rule asks for it: 2019 bloc 1, 2011 SO1–SO4.
    let requis = |code: &str| match referentiel {
        Referentiel::Sio2019(_) => code.starts_with("B1."),
        Referentiel::Sio2011(_) => code.starts_with("SO"),
    };
    let sur_grille = |code: &str, option: Option<OptionSio>| match (referentiel, option) {
        (Referentiel::Sio2011(r), Some(o)) => {
            r.activite(code).is_none_or(|a| a.tableau.contains(&o))
        }
        (Referentiel::Sio2019(r), Some(o)) => r
            .competence(code)
            .is_none_or(|k| k.option.is_none_or(|x| x == o)),
        _ => true,
    };
    let mut totaux = vec![0usize; colonnes.len()];
    let lignes: Vec<Value> = classeur
        .candidats
        .iter()
        .filter(|c| !c.numero.est_vide())
        .map(|c| {
            let n = c.numero.texte.as_str();
            let realisations = classeur.realisations_titrees(n);
            let comptes: Vec<Value> = colonnes
                .iter()
                .enumerate()
                .map(|(i, k)| {
                    if !sur_grille(&k.code, c.option()) {
                        return Value::Null;
                    }
                    let compte = realisations
                        .iter()
                        .filter(|r| r.codes_coches().any(|x| x == k.code))
                        .count();
                    if compte > 0 {
                        totaux[i] += 1;
                    }
                    json!(compte)
                })
                .collect();
            let de = |g: Gravite| {
                diagnostics
                    .iter()
                    .filter(|d| d.gravite == g && d.candidat.as_deref() == Some(n))
                    .count()
            };
            let fiches = crate::classeur::fiches_en_ordre(&realisations);
            json!({
                "nom_prenom": nom_prenom(c),
                "numero": n,
                "option": c.option().map(|o| o.code()).unwrap_or("?"),
                "comptes": comptes,
                "realisations": realisations.len(),
                "fiches": fiches,
                "erreurs": de(Gravite::Erreur),
                "avertissements": de(Gravite::Avertissement),
            })
        })
        .collect();
    let base = json!({
        "document": document(meta, classeur, false),
        "non_valide": false,
        "session": profil.session,
        "referentiel": profil.referentiel.code(),
        "classe": classeur.parametres.classe.texte,
        "centre": centre,
        "items": colonnes.iter().map(|k| json!({"code": k.code, "requis": requis(&k.code)})).collect::<Vec<_>>(),
        "candidats": [],
        "totaux": totaux,
        "grand_format": colonnes.len() > 20,
        "premiere": true,
        "derniere": true,
    });
    let par_partie = SYNTHESE_PAR_PARTIE[usize::from(colonnes.len() <= 20)];
    let paquets: Vec<&[Value]> = if lignes.is_empty() {
        vec![&[][..]]
    } else {
        lignes.chunks(par_partie).collect()
    };
    let n = paquets.len();
    paquets
        .into_iter()
        .enumerate()
        .map(|(i, paquet)| {
            let mut v = base.clone();
            v["candidats"] = Value::Array(paquet.to_vec());
            v["premiere"] = json!(i == 0);
            v["derniere"] = json!(i + 1 == n);
            v["nombre_candidats"] = json!(lignes.len());
            v
        })
        .collect()
}
