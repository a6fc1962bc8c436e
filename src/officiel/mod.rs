//! The official tableaux de synthèse that candidates fill in (2019 référentiel: annexes 6-1,
//! 8-1, VI-1 and the 2022 template; 2011 référentiel: the grid of each parcours), read by their
//! landmarks, never by fixed coordinates: a stage of its own beside [`crate::classeur`].
//!
//! [`lire`] turns the sheets of one file into a [`TableauLu`]: the candidate and the
//! réalisations as the class workbook's model holds them, each field with the cell of the
//! candidate's file it came from, and every guess or doubt as a diagnostic with that cell.
//! [`import`] gathers many files into a class.

pub mod import;
pub mod mise_en_page;
pub mod periodes;
pub mod plan;
pub mod reperes;

use crate::classeur::Adresse;
use crate::classeur::apparence::Apparence;
use crate::classeur::dates::DateLue;
use crate::classeur::feuille::{Cellule, Feuille};
use crate::classeur::schema::normaliser;
use crate::classeur::{Candidat, Champ, Partie, Realisation, lire_coche};
use crate::diagnostic::Diagnostic;
use crate::referentiel::{self, OptionSio, Referentiel};
use ecow::EcoString;
use reperes::Repere;

/// Which official form a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modele {
    /// The 2019 tableau; `sans_url`: the 2022 template, without the portfolio row.
    Sio2019 {
        sans_url: bool,
    },
    Sio2011,
}

impl Modele {
    pub fn referentiel(self) -> referentiel::ReferentielId {
        match self {
            Modele::Sio2019 { .. } => referentiel::ReferentielId::Sio2019,
            Modele::Sio2011 => referentiel::ReferentielId::Sio2011,
        }
    }
}

/// One candidate's official tableau, read.
#[derive(Clone, Debug)]
pub struct TableauLu {
    pub modele: Modele,
    pub feuille: String,
    /// The year of the SESSION cell (« 2024/2025 » gives 2025), with its field.
    pub session: Option<(u16, Champ)>,
    pub centre: Champ,
    pub candidat: Candidat,
    pub realisations: Vec<Realisation>,
    /// Codes of the tick columns, in the order of the form.
    pub colonnes: Vec<String>,
    /// Guesses and doubts, each with its cell.
    pub constats: Vec<Diagnostic>,
}

impl TableauLu {
    /// Réalisations per part, in print order.
    pub fn comptes(&self) -> [usize; 3] {
        Partie::TOUTES.map(|p| {
            self.realisations
                .iter()
                .filter(|r| r.partie() == Some(p))
                .count()
        })
    }
}

/// A sheet cell as a field: its text, its `Feuille!A1` reference, its value.
fn champ(f: &Feuille, ligne: usize, colonne: usize) -> Champ {
    Champ::de(
        f.cellule(ligne, colonne),
        Adresse::new(&f.nom, ligne, colonne),
    )
}

fn champ_texte(texte: &str, cellule: Adresse) -> Champ {
    Champ::texte(texte, cellule)
}

/// Where each landmark of a sheet is.
#[derive(Default)]
struct Reperes {
    trouves: Vec<(Repere, usize, usize, String)>,
}

impl Reperes {
    fn de(f: &Feuille) -> Reperes {
        let mut trouves: Vec<(Repere, usize, usize, String)> = Vec::new();
        // Landmarks are in the header: the first rows are enough, and a stray word far below
        // (« Session » in a title) is not one.
        for (l, ligne) in f.lignes.iter().enumerate().take(60) {
            for (c, cel) in ligne.iter().enumerate().take(80) {
                if let Cellule::Texte(t) = cel
                    && let Some((r, valeur)) = reperes::repere(t)
                    && !trouves.iter().any(|(x, ..)| *x == r)
                {
                    trouves.push((r, l, c, valeur));
                }
            }
        }
        Reperes { trouves }
    }

    fn get(&self, r: Repere) -> Option<(usize, usize, &str)> {
        self.trouves
            .iter()
            .find(|(x, ..)| *x == r)
            .map(|(_, l, c, v)| (*l, *c, v.as_str()))
    }
}

/// The value of a landmark: typed after its label in the same cell, or in the next filled cell
/// to its right that is not itself a landmark. Returns the field and whether it came from the
/// next cell.
fn valeur(f: &Feuille, (l, c, apres): (usize, usize, &str)) -> Champ {
    if !apres.is_empty() {
        return champ_texte(apres, Adresse::new(&f.nom, l, c));
    }
    let ligne = f.lignes.get(l).map_or(&[][..], Vec::as_slice);
    for (j, cel) in ligne.iter().enumerate().skip(c + 1).take(12) {
        if cel.est_vide() {
            continue;
        }
        if let Cellule::Texte(t) = cel
            && reperes::repere(t).is_some()
        {
            break;
        }
        return champ(f, l, j);
    }
    champ_texte("", Adresse::new(&f.nom, l, c))
}

/// The heads of the tick columns of a 2019 sheet: (row, [(column, code)]).
fn colonnes_2019(f: &Feuille, r: &referentiel::Sio2019) -> Option<(usize, Vec<(usize, String)>)> {
    let competences: Vec<(String, String)> = r
        .bloc1()
        .map(|c| (c.code.clone(), normaliser(&c.intitule)))
        .collect();
    for (l, ligne) in f.lignes.iter().enumerate().take(60) {
        let mut trouvees = Vec::new();
        for (c, cel) in ligne.iter().enumerate() {
            let n = normaliser(&cel.texte());
            if n.len() < 8 {
                continue;
            }
            // « B1.1-Gérer le patrimoine » and stray capitals (« auX ») read the same.
            if let Some((code, _)) = competences
                .iter()
                .find(|(_, i)| n.ends_with(i.as_str()) || (n.len() >= 20 && i.starts_with(&n)))
                && !trouvees.iter().any(|(_, x)| x == code)
            {
                trouvees.push((c, code.clone()));
            }
        }
        if trouvees.len() >= 4 {
            return Some((l, trouvees));
        }
    }
    None
}

/// The heads of the tick columns of a 2011 sheet: the row of « A1.1.1 , … » heads.
fn colonnes_2011(f: &Feuille, referentiel: Referentiel) -> Option<(usize, Vec<(usize, String)>)> {
    let Referentiel::Sio2011(r) = referentiel else {
        return None;
    };
    for (l, ligne) in f.lignes.iter().enumerate().take(60) {
        let mut trouvees: Vec<(usize, String)> = Vec::new();
        for (c, cel) in ligne.iter().enumerate() {
            let texte = cel.texte();
            if texte.is_empty() {
                continue;
            }
            let code =
                crate::classeur::schema::code_de_colonne(referentiel, &texte).or_else(|| {
                    // The four situation columns are headed by their wording.
                    let n = normaliser(&texte);
                    r.situations_obligatoires
                        .iter()
                        .find(|s| {
                            let (a, b) = (normaliser(&s.libelle), normaliser(&s.libelle_court));
                            n.len() >= 15
                                && (a.starts_with(&n) || n.starts_with(&b) || a == n || b == n)
                        })
                        .map(|s| s.code.clone())
                });
            if let Some(code) = code
                && !trouvees.iter().any(|(_, x)| *x == code)
            {
                trouvees.push((c, code));
            }
        }
        if trouvees.iter().filter(|(_, c)| c.starts_with('A')).count() >= 10 {
            return Some((l, trouvees));
        }
    }
    None
}

/// Whether the sheets look like an official tableau: a 2019 or 2011 head row.
pub fn est_un_tableau(feuilles: &[Feuille]) -> bool {
    let r2019 = referentiel::ReferentielId::Sio2019.charger();
    let r2011 = referentiel::ReferentielId::Sio2011.charger();
    feuilles.iter().any(|f| {
        (if let Referentiel::Sio2019(r) = r2019 {
            colonnes_2019(f, r).is_some()
        } else {
            false
        }) || colonnes_2011(f, r2011).is_some()
    })
}

/// A sub-item code typed instead of a tick: « B1.6.4 », « B.1.2.1 », « B 1-2 », « B1-2 » give
/// the compétence's number; « B1 » alone gives `Some(None)`: a tick of the column it is in.
fn code_sous_item(texte: &str) -> Option<Option<u8>> {
    let t: String = texte
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let reste = t.strip_prefix('B')?.trim_start_matches('.');
    let reste = reste.strip_prefix('1')?;
    if reste.is_empty() {
        return Some(None);
    }
    let reste = reste.trim_start_matches(['.', '-', '_']);
    let chiffre = reste.chars().next()?.to_digit(10)? as u8;
    let apres = &reste[1..];
    let suite_valide = apres.is_empty()
        || (apres.starts_with(['.', '-'])
            && apres[1..].chars().all(|c| c.is_ascii_digit() || c == '.'));
    ((1..=6).contains(&chiffre) && suite_valide).then_some(Some(chiffre))
}

/// A mark cell, cleaned of zero-width and no-break spaces.
fn texte_de_marque(c: &Cellule) -> String {
    c.texte()
        .chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}'))
        .map(|c| if c == '\u{00A0}' { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

/// A drawn mark: what the shape shows, when it shows a tick.
fn dessin_coche(a: &Apparence) -> Option<&str> {
    let d = a.dessin.as_deref()?;
    let t = d.trim();
    let coche = t.is_empty()
        || matches!(t, "forme" | "image")
        || lire_coche(&Cellule::Texte(t.to_string())) == Some(true)
        || t.chars().count() == 1
            && matches!(
                t.chars().next(),
                Some('✖' | '✕' | '✗' | '✘' | '■' | '●' | '◼' | '⬛' | 'V' | 'v')
            );
    coche.then_some(t)
}

/// The option a row of option cells shows (official-layouts.md §5): ticked boxes of any kind,
/// only the option's name kept, the other one struck through, a shape drawn over one.
fn lire_option(f: &Feuille, l: usize, c0: usize, constats: &mut Vec<Diagnostic>) -> Champ {
    let ligne = f.lignes.get(l).map_or(&[][..], Vec::as_slice);
    // (column, option, ticked, name only)
    let mut vues: Vec<(usize, OptionSio, bool, bool)> = Vec::new();
    for (c, cel) in ligne.iter().enumerate().skip(c0) {
        let t = texte_de_marque(cel);
        // ASCII case only: the byte offsets found in `haut` must be valid in `t`.
        let haut = t.to_ascii_uppercase();
        for o in OptionSio::TOUTES {
            let Some(i) = haut.find(o.code()) else {
                continue;
            };
            let avant: String = t[..i].chars().filter(|c| !c.is_whitespace()).collect();
            // The label cell « Option : SISR » counts as the name alone.
            let avant = match avant.get(..6) {
                Some(mot) if mot.eq_ignore_ascii_case("option") => {
                    avant[6..].trim_start_matches(':').to_string()
                }
                _ => avant,
            };
            let coche = matches!(
                avant.as_str(),
                "X" | "x" | "☑" | "☒" | "▣" | "✓" | "✔" | "þ" | "■" | "◼" | "⊠" | "✗" | "✘"
            );
            let nom_seul = avant.is_empty();
            vues.push((c, o, coche, nom_seul));
        }
    }
    let cellule = |c: usize| Adresse::new(&f.nom, l, c);
    let choisi = |o: OptionSio, c: usize| Champ::texte(o.code(), cellule(c));
    let cochees: Vec<_> = vues.iter().filter(|v| v.2).collect();
    if let [v] = cochees.as_slice() {
        return choisi(v.1, v.0);
    }
    if cochees.len() > 1 {
        constats.push(Diagnostic::erreur(
            "import-option",
            cellule(cochees[0].0),
            "les deux options sont cochées ; gardez une seule case cochée (SISR ou SLAM)",
        ));
        return champ_texte("", cellule(c0));
    }
    // No ticked box: a shape over one cell, the other struck through, or one name alone.
    let dessinees: Vec<_> = vues
        .iter()
        .filter(|v| f.apparence(l, v.0).and_then(dessin_coche).is_some())
        .collect();
    if let [v] = dessinees.as_slice() {
        constats.push(Diagnostic::avertissement(
            "import-marque-dessinee",
            cellule(v.0),
            format!(
                "marque dessinée (forme ancrée en {}) lue comme l'option {}",
                cellule(v.0).case(),
                v.1.code()
            ),
        ));
        return choisi(v.1, v.0);
    }
    let barrees: Vec<_> = vues
        .iter()
        .filter(|v| f.apparence(l, v.0).is_some_and(|a| a.barre))
        .collect();
    if let [b] = barrees.as_slice()
        && let Some(v) = vues.iter().find(|v| v.1 != b.1)
    {
        constats.push(Diagnostic::avertissement(
            "import-option-barree",
            cellule(b.0),
            format!(
                "l'option {} est barrée : lue comme l'option {}",
                b.1.code(),
                v.1.code()
            ),
        ));
        return choisi(v.1, v.0);
    }
    let colorees: Vec<_> = vues
        .iter()
        .filter(|v| {
            f.apparence(l, v.0)
                .is_some_and(|a| a.remplissage.is_some() || a.diagonale)
        })
        .collect();
    if let [v] = colorees.as_slice() {
        constats.push(Diagnostic::avertissement(
            "import-marque-style",
            cellule(v.0),
            format!("la case de l'option {} est colorée ou barrée en diagonale : lue comme l'option choisie", v.1.code()),
        ));
        return choisi(v.1, v.0);
    }
    let noms: Vec<_> = vues.iter().filter(|v| v.3).collect();
    let distinctes = |v: &[&(usize, OptionSio, bool, bool)]| {
        v.iter()
            .map(|x| x.1)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    if distinctes(&noms) == 1 && distinctes(&vues.iter().collect::<Vec<_>>()) == 1 {
        let v = noms[0];
        constats.push(Diagnostic::avertissement(
            "import-option-nom",
            cellule(v.0),
            format!(
                "seul le nom de l'option {} est écrit (sans case) : lue comme l'option choisie",
                v.1.code()
            ),
        ));
        return choisi(v.1, v.0);
    }
    constats.push(Diagnostic::erreur(
        "import-option",
        cellule(c0),
        "aucune option n'est cochée (ni X, ni case cochée, ni forme dessinée) ; cochez SISR ou SLAM \
         (par exemple « X SISR »)",
    ));
    champ_texte("", cellule(c0))
}

/// NOM and prénom from one text, by the documented rule: the words written all in capitals are
/// the NOM (« MARTIN Léa » and « Léa MARTIN » both occur); with none, or only capitals, the
/// first word is taken as the NOM and the choice is reported.
pub fn separer_nom(texte: &str) -> (String, String, Option<String>) {
    let mots: Vec<&str> = texte.split_whitespace().collect();
    let majuscules = |m: &str| {
        let lettres: Vec<char> = m.chars().filter(|c| c.is_alphabetic()).collect();
        lettres.len() >= 2 && lettres.iter().all(|c| c.is_uppercase())
    };
    let noms: Vec<&str> = mots.iter().copied().filter(|m| majuscules(m)).collect();
    let prenoms: Vec<&str> = mots.iter().copied().filter(|m| !majuscules(m)).collect();
    match (noms.is_empty(), prenoms.is_empty()) {
        (false, false) => (noms.join(" "), prenoms.join(" "), None),
        _ if mots.len() == 1 => (
            mots[0].to_string(),
            String::new(),
            Some(format!(
                "« {} » : un seul mot, lu comme le NOM ; le prénom est vide",
                mots[0]
            )),
        ),
        _ if mots.is_empty() => (String::new(), String::new(), None),
        _ => (
            mots[0].to_string(),
            mots[1..].join(" "),
            Some(format!(
                "« {texte} » : NOM et prénom indiscernables (aucun mot, ou tous, en capitales) ; lu NOM « {} », \
                 prénom « {} »",
                mots[0],
                mots[1..].join(" ")
            )),
        ),
    }
}

/// The session year of a SESSION value: « 2026 », « 2024/2025 » and « 2023-2024 » give the
/// later year (noted).
fn annee_session(texte: &str) -> Option<(u16, Option<String>)> {
    let annees: Vec<u16> = texte
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| g.len() == 4)
        .filter_map(|g| g.parse().ok())
        .filter(|a| (2000..=2100).contains(a))
        .collect();
    match annees.as_slice() {
        [a] => Some((*a, None)),
        [a, b] if b == &(a + 1) => Some((
            *b,
            Some(format!(
                "session « {} » lue comme la session {b} (l'année de l'examen)",
                texte.trim()
            )),
        )),
        _ => None,
    }
}

/// Reads the sheets of one file as an official tableau, or says why it is not one.
pub fn lire(feuilles: &[Feuille]) -> Result<TableauLu, String> {
    let r2011 = referentiel::ReferentielId::Sio2011.charger();
    let r2019 = referentiel::ReferentielId::Sio2019.charger();
    // 2019: the sheet with the six compétence heads.
    if let Referentiel::Sio2019(r) = r2019 {
        for f in feuilles {
            if let Some((ligne_tetes, colonnes)) = colonnes_2019(f, r) {
                return Ok(lire_2019(f, ligne_tetes, colonnes));
            }
        }
    }
    // 2011: one sheet per parcours; the one that holds data.
    type Grille2011<'a> = (&'a Feuille, usize, Vec<(usize, String)>);
    let grilles: Vec<Grille2011> = feuilles
        .iter()
        .filter_map(|f| colonnes_2011(f, r2011).map(|(l, c)| (f, l, c)))
        .collect();
    if !grilles.is_empty() {
        let lues: Vec<TableauLu> = grilles
            .into_iter()
            .map(|(f, l, c)| lire_2011(f, l, c))
            .collect();
        let remplies: Vec<&TableauLu> =
            lues.iter().filter(|t| !t.realisations.is_empty()).collect();
        return match remplies.as_slice() {
            [t] => Ok((*t).clone()),
            [] => lues
                .into_iter()
                .next()
                .ok_or_else(|| "grille de 2011 illisible".to_string()),
            plusieurs => Err(format!(
                "les feuilles {} contiennent toutes des situations : un candidat ne remplit que la grille de son \
                 parcours ; videz l'autre feuille",
                plusieurs
                    .iter()
                    .map(|t| format!("« {} »", t.feuille))
                    .collect::<Vec<_>>()
                    .join(" et ")
            )),
        };
    }
    Err(pas_un_tableau(feuilles))
}

/// Whether the sheets are siodoc's class workbook (its sheet names), not a candidate's tableau.
pub fn est_un_classeur_de_classe(feuilles: &[Feuille]) -> bool {
    feuilles.iter().any(|f| {
        crate::classeur::schema::FEUILLES
            .iter()
            .any(|s| normaliser(s) == normaliser(&f.nom))
    })
}

/// What to say of a file that is no official tableau.
fn pas_un_tableau(feuilles: &[Feuille]) -> String {
    let noms: Vec<String> = feuilles.iter().map(|f| format!("« {} »", f.nom)).collect();
    if est_un_classeur_de_classe(feuilles) {
        return "c'est un classeur de classe de siodoc, pas le tableau de synthèse d'un candidat ; passez-le \
                directement à siodoc verifier ou siodoc generer"
            .into();
    }
    format!(
        "ce n'est pas un tableau de synthèse de la circulaire : aucune feuille n'a les têtes de colonnes des \
         compétences (« Gérer le patrimoine informatique »…) ni celles des activités de 2011 (« A1.1.1 , … ») \
         (feuilles trouvées : {})",
        noms.join(", ")
    )
}

/// The rows of the réalisations: from the row after the column heads (and the sub-items row) to
/// the last filled row of the sheet, print area or not.
struct Grille<'a> {
    f: &'a Feuille,
    debut: usize,
    col_intitule: usize,
    col_periode: Option<usize>,
    colonnes: Vec<(usize, String)>,
}

/// A row's marks, as the class workbook's fields, with what was guessed.
struct MarquesLues {
    coches: Vec<(EcoString, Champ)>,
    texte: usize,
}

impl Grille<'_> {
    /// The tableau read: the header's fields and the grid's réalisations. Fills count as
    /// ticks on the 2019 tableau only: the 2011 grid's columns are coloured by the template.
    fn tableau(&self, modele: Modele, entete: Entete, mut constats: Vec<Diagnostic>) -> TableauLu {
        if self.f.dessins_libres > 0 {
            constats.push(Diagnostic::avertissement(
                "import-dessin-libre",
                self.f.nom.clone(),
                format!(
                    "{} forme(s) dessinée(s) sur la feuille sans être rattachée(s) à une cellule : siodoc ne peut pas \
                     dire quelle case elle(s) coche(nt) ; vérifiez ce tableau à l'œil et reportez les coches dans le \
                     classeur",
                    self.f.dessins_libres
                ),
            ));
        }
        let codes: Vec<String> = self.colonnes.iter().map(|(_, c)| c.clone()).collect();
        let avec_couleurs = matches!(modele, Modele::Sio2019 { .. });
        let realisations =
            lire_realisations(self, &entete.candidat, &codes, &mut constats, avec_couleurs);
        TableauLu {
            modele,
            feuille: self.f.nom.clone(),
            session: entete.session,
            centre: entete.centre,
            candidat: entete.candidat,
            realisations,
            colonnes: codes,
            constats,
        }
    }

    fn marques(
        &self,
        l: usize,
        tout_code: &[String],
        constats: &mut Vec<Diagnostic>,
        avec_couleurs: bool,
    ) -> MarquesLues {
        let f = self.f;
        let mut coches: Vec<(EcoString, Champ)> = tout_code
            .iter()
            .map(|code| (code.as_str().into(), champ_texte("", Adresse::default())))
            .collect();
        let mut texte = 0;
        let poser =
            |coches: &mut Vec<(EcoString, Champ)>, code: &str, valeur: &str, cellule: Adresse| {
                if let Some((_, ch)) = coches.iter_mut().find(|(c, _)| c == code)
                    && (ch.est_vide() || lire_coche(&ch.brut()) != Some(true))
                {
                    *ch = champ_texte(valeur, cellule);
                }
            };
        for (c, code) in &self.colonnes {
            let cellule = Adresse::new(&f.nom, l, *c);
            let t = texte_de_marque(f.cellule(l, *c));
            if t.is_empty() {
                continue;
            }
            texte += 1;
            match lire_coche(&Cellule::Texte(t.clone())) {
                Some(true) => poser(&mut coches, code, "X", cellule),
                Some(false) => {}
                None => match code_sous_item(&t) {
                    Some(Some(n)) if code.starts_with("B1.") => {
                        let vise = format!("B1.{n}");
                        if vise != *code {
                            constats.push(Diagnostic::avertissement(
                                "import-code-sous-item",
                                cellule,
                                format!("code « {t} » écrit dans la colonne {code} : compté pour la compétence {vise}"),
                            ));
                        } else {
                            constats.push(Diagnostic::avertissement(
                                "import-code-sous-item",
                                cellule,
                                format!("code « {t} » au lieu d'une croix : compté comme une coche de {vise}"),
                            ));
                        }
                        poser(&mut coches, &vise, "X", cellule);
                    }
                    Some(None) if code.starts_with("B1.") => {
                        constats.push(Diagnostic::avertissement(
                            "import-code-sous-item",
                            cellule,
                            format!(
                                "« {t} » au lieu d'une croix : compté comme une coche de {code}"
                            ),
                        ));
                        poser(&mut coches, code, "X", cellule);
                    }
                    // Kept as written: `verifier` reports it (coche-inconnue).
                    _ => poser(&mut coches, code, &t, cellule),
                },
            }
        }
        // Marks no value holds: a shape, a diagonal cross, a fill (2019 only, and only on a row
        // with no typed mark and no fill on its title: a highlighted row is no tick).
        let titre_colore = f
            .apparence(l, self.col_intitule)
            .is_some_and(|a| a.remplissage.is_some());
        for (c, code) in &self.colonnes {
            if !texte_de_marque(f.cellule(l, *c)).is_empty() {
                continue;
            }
            let Some(a) = f.apparence(l, *c) else {
                continue;
            };
            let cellule = Adresse::new(&f.nom, l, *c);
            let position = cellule.case();
            let lue = if let Some(d) = dessin_coche(a) {
                Some(format!(
                    "marque dessinée ({}) ancrée en {position} lue comme une coche de {code}",
                    if matches!(d, "forme" | "image") {
                        format!("une {d}")
                    } else {
                        format!("« {d} »")
                    }
                ))
            } else if a.diagonale {
                Some(format!(
                    "case barrée d'une diagonale en {position} lue comme une coche de {code}"
                ))
            } else if avec_couleurs && texte == 0 && !titre_colore && a.remplissage.is_some() {
                Some(format!(
                    "case colorée en {position} lue comme une coche de {code}"
                ))
            } else {
                None
            };
            if let Some(message) = lue {
                constats.push(Diagnostic::avertissement(
                    "import-marque-dessinee",
                    cellule,
                    message,
                ));
                poser(&mut coches, code, "X", cellule);
            }
        }
        MarquesLues { coches, texte }
    }
}

/// Identity, centre, URL and session of a sheet, by its landmarks.
struct Entete {
    candidat: Candidat,
    centre: Champ,
    session: Option<(u16, Champ)>,
}

fn lire_entete(
    f: &Feuille,
    reperes: &Reperes,
    constats: &mut Vec<Diagnostic>,
    option: Champ,
) -> Entete {
    // A landmark not found: the field points at the whole sheet.
    let vide = |_: Repere| champ_texte("", Adresse::feuille(&f.nom));
    let nom_prenom = reperes.get(Repere::NomPrenom).map(|r| valeur(f, r));
    let (nom, prenom) = match &nom_prenom {
        Some(ch) => {
            let (nom, prenom, doute) = separer_nom(&ch.texte);
            if let Some(d) = doute {
                constats.push(Diagnostic::avertissement(
                    "import-nom",
                    ch.cellule.to_string(),
                    d,
                ));
            }
            (
                champ_texte(&nom, ch.cellule),
                champ_texte(&prenom, ch.cellule),
            )
        }
        None => (vide(Repere::NomPrenom), vide(Repere::NomPrenom)),
    };
    let mut numero = reperes
        .get(Repere::NumeroCandidat)
        .map_or_else(|| vide(Repere::NumeroCandidat), |r| valeur(f, r));
    if let Some(n) = numero.nombre() {
        constats.push(Diagnostic::avertissement(
            "candidat-numero-nombre",
            numero.cellule.to_string(),
            format!(
                "le N° candidat est enregistré comme un nombre ({}) : un zéro en tête a pu être perdu ; il est \
                 gardé comme texte « {} » : vérifiez-le sur la convocation",
                numero.texte, numero.texte
            ),
        ));
        let _ = n;
    }
    // Kept as text whatever the cell held.
    numero = Champ::texte(&numero.texte, numero.cellule);
    let centre = reperes
        .get(Repere::CentreFormation)
        .map_or_else(|| vide(Repere::CentreFormation), |r| valeur(f, r));
    let mut portfolio = reperes
        .get(Repere::AdressePortfolio)
        .map_or_else(|| vide(Repere::AdressePortfolio), |r| valeur(f, r));
    // « http: https://… »: a label typed before the address.
    if let Some(i) = portfolio
        .texte
        .find("https://")
        .or_else(|| portfolio.texte.find("http://"))
        && i > 0
    {
        let propre = portfolio.texte[i..].trim().to_string();
        constats.push(Diagnostic::avertissement(
            "import-portfolio",
            portfolio.cellule.to_string(),
            format!("adresse « {} » lue comme « {propre} »", portfolio.texte),
        ));
        portfolio = champ_texte(&propre, portfolio.cellule);
    }
    let session = reperes.get(Repere::Session).and_then(|r| {
        let ch = valeur(f, r);
        match annee_session(&ch.texte) {
            Some((a, note)) => {
                if let Some(n) = note {
                    constats.push(Diagnostic::avertissement(
                        "import-session",
                        ch.cellule.to_string(),
                        n,
                    ));
                }
                Some((a, champ_texte(&a.to_string(), ch.cellule)))
            }
            None => {
                if !ch.texte.is_empty() {
                    constats.push(Diagnostic::avertissement(
                        "import-session",
                        ch.cellule.to_string(),
                        format!("session « {} » illisible : ignorée", ch.texte),
                    ));
                }
                None
            }
        }
    });
    let ligne = reperes
        .get(Repere::NomPrenom)
        .map_or(1, |(l, ..)| l as u32 + 1);
    Entete {
        candidat: Candidat {
            ligne,
            numero,
            nom,
            prenom,
            option,
            portfolio,
            epreuve: champ_texte("", Adresse::default()),
        },
        centre,
        session,
    }
}

fn lire_2019(f: &Feuille, ligne_tetes: usize, colonnes: Vec<(usize, String)>) -> TableauLu {
    let mut constats = Vec::new();
    let reperes = Reperes::de(f);
    let sans_url = reperes.get(Repere::AdressePortfolio).is_none();
    let option = match reperes.get(Repere::Option) {
        Some((l, c, _)) => lire_option(f, l, c, &mut constats),
        None => {
            constats.push(Diagnostic::erreur(
                "import-option",
                f.nom.clone(),
                "repère « Option » introuvable : l'option n'a pas pu être lue ; ajoutez-la dans le classeur de classe",
            ));
            champ_texte("", Adresse::feuille(&f.nom))
        }
    };
    let entete = lire_entete(f, &reperes, &mut constats, option);
    if sans_url {
        constats.push(Diagnostic::avertissement(
            "import-modele-2022",
            f.nom.clone(),
            "pas de ligne « Adresse URL du portfolio » (modèle 2022) : l'adresse est à compléter dans le classeur",
        ));
    }
    let col_periode = reperes
        .get(Repere::Periode)
        .map(|(_, c, _)| c)
        .or_else(|| colonnes.first().map(|(c, _)| c.saturating_sub(1)));
    let col_intitule = reperes
        .get(Repere::Intitules)
        .map(|(_, c, _)| c)
        .unwrap_or_else(|| col_periode.map_or(0, |p| p.saturating_sub(1)));
    // Data starts under the heads, after the sub-items row (« ▸… » lines) when it is there.
    let sous_items = colonnes.iter().any(|(c, _)| {
        let t = f.cellule(ligne_tetes + 1, *c).texte();
        t.contains('▸') || t.chars().count() > 40
    });
    let grille = Grille {
        f,
        debut: ligne_tetes + 1 + usize::from(sous_items),
        col_intitule,
        col_periode,
        colonnes,
    };
    grille.tableau(Modele::Sio2019 { sans_url }, entete, constats)
}

fn lire_2011(f: &Feuille, ligne_tetes: usize, colonnes: Vec<(usize, String)>) -> TableauLu {
    let mut constats = Vec::new();
    let reperes = Reperes::de(f);
    // « Option SISR »: the landmark cell holds the parcours; else the sheet's name does.
    let option = reperes
        .get(Repere::Option)
        .and_then(|(l, c, v)| OptionSio::lire(v).map(|o| (o, Adresse::new(&f.nom, l, c))))
        .or_else(|| OptionSio::lire(&f.nom).map(|o| (o, Adresse::feuille(&f.nom))))
        .map_or_else(
            || champ_texte("", Adresse::feuille(&f.nom)),
            |(o, cellule)| champ_texte(o.code(), cellule),
        );
    let mut entete = lire_entete(f, &reperes, &mut constats, option);
    // The title row: « … - SESSION 2019 - TABLEAU DE SYNTHESE ».
    if entete.session.is_none() {
        'recherche: for (l, ligne) in f.lignes.iter().enumerate().take(5) {
            for (c, cel) in ligne.iter().enumerate() {
                let t = cel.texte();
                if let Some(i) = t.to_ascii_uppercase().find("SESSION")
                    && let Some((a, _)) =
                        annee_session(&t[i..].chars().take(20).collect::<String>())
                {
                    entete.session =
                        Some((a, champ_texte(&a.to_string(), Adresse::new(&f.nom, l, c))));
                    break 'recherche;
                }
            }
        }
    }
    let col_periode = reperes.get(Repere::Periode).map(|(_, c, _)| c);
    let col_intitule = reperes.get(Repere::Intitules).map_or(0, |(_, c, _)| c);
    let grille = Grille {
        f,
        debut: ligne_tetes + 1,
        col_intitule,
        col_periode,
        colonnes,
    };
    grille.tableau(Modele::Sio2011, entete, constats)
}

/// The réalisations of a grid: part titles set the part, every other row with a title or a
/// mark is one réalisation.
fn lire_realisations(
    g: &Grille,
    candidat: &Candidat,
    codes: &[String],
    constats: &mut Vec<Diagnostic>,
    avec_couleurs: bool,
) -> Vec<Realisation> {
    let f = g.f;
    let mut partie: Option<Partie> = None;
    let mut titres_vus = 0usize;
    let mut realisations = Vec::new();
    let fin = f.hauteur();
    for l in g.debut..fin {
        let titre_cel = f.cellule(l, g.col_intitule);
        let titre = titre_cel.texte();
        let n = normaliser(&titre);
        // The 2011 footer ends the grid.
        if n.starts_with("jesoussigne") {
            break;
        }
        let marques = g.marques(l, codes, constats, avec_couleurs);
        let cochees = marques.coches.iter().filter(|(_, c)| !c.est_vide()).count();
        let periode_cel = g
            .col_periode
            .map_or(Cellule::Vide, |c| f.cellule(l, c).clone());
        // A part title: a known title (or a typed sub-heading of the vocabulary) on a row with
        // no mark and no period.
        if cochees == 0 && marques.texte == 0 && periode_cel.est_vide() && !titre.is_empty() {
            let annonce = reperes::titre_de_partie(&titre).or_else(|| {
                (titre.chars().count() <= 40)
                    .then(|| Partie::lire(&titre))
                    .flatten()
                    .map(Some)
            });
            if let Some(p) = annonce {
                let p = p.unwrap_or_else(|| {
                    // The part after the current one (réalisations before any title were
                    // put in the first).
                    let rang = partie.map_or(0, |x| Partie::TOUTES.iter().position(|y| *y == x).unwrap_or(0) + 1);
                    let par_ordre = Partie::TOUTES[rang.max(titres_vus).min(2)];
                    constats.push(Diagnostic::avertissement(
                        "import-partie",
                        Adresse::new(&f.nom, l, g.col_intitule),
                        format!(
                            "titre de partie « {titre} » : lu, d'après sa place, comme la partie « {} »",
                            par_ordre.libelle()
                        ),
                    ));
                    par_ordre
                });
                if Partie::TOUTES.iter().position(|x| *x == p).unwrap_or(0) + 1 > titres_vus {
                    titres_vus = Partie::TOUTES.iter().position(|x| *x == p).unwrap_or(0) + 1;
                }
                partie = Some(p);
                continue;
            }
        }
        // Text with no title and nothing a reader takes for a tick (stray words far below the
        // tableau, a note in a mark column) is no réalisation.
        let reconnues = marques
            .coches
            .iter()
            .filter(|(_, c)| lire_coche(&c.brut()) == Some(true))
            .count();
        if titre.is_empty() && reconnues == 0 && marques.texte > 0 {
            constats.push(Diagnostic::avertissement(
                "import-ligne-ignoree",
                Adresse::new(&f.nom, l, g.colonnes.first().map_or(0, |(c, _)| *c)),
                "du texte sans intitulé ni coche reconnaissable : ligne ignorée (ce n'est pas une réalisation)",
            ));
            continue;
        }
        if titre.is_empty() && cochees == 0 && marques.texte == 0 {
            // A blank row, or a period alone: nothing to import (a period alone is noted).
            if !periode_cel.est_vide() {
                constats.push(Diagnostic::avertissement(
                    "import-ligne-ignoree",
                    Adresse::new(&f.nom, l, g.col_periode.unwrap_or(0)),
                    "une période sans intitulé ni coche : ligne ignorée",
                ));
            }
            continue;
        }
        let p = partie.unwrap_or_else(|| {
            constats.push(Diagnostic::avertissement(
                "import-partie",
                Adresse::new(&f.nom, l, g.col_intitule),
                "réalisation avant tout titre de partie : rangée dans « En formation », la première partie du tableau",
            ));
            partie = Some(Partie::Formation);
            Partie::Formation
        });
        // Title: first line; documents: the following lines.
        let mut lignes = titre.lines().map(str::trim).filter(|x| !x.is_empty());
        let intitule = lignes.next().unwrap_or("").to_string();
        let documents = lignes.collect::<Vec<_>>().join("\n");
        let cellule_titre = Adresse::new(&f.nom, l, g.col_intitule);
        let cellule_periode = g
            .col_periode
            .map_or(Adresse::default(), |c| Adresse::new(&f.nom, l, c));
        let lue = periodes::lire(&periode_cel);
        if let Some(note) = &lue.note {
            constats.push(Diagnostic::avertissement(
                "import-periode",
                cellule_periode,
                note.clone(),
            ));
        }
        let date = |d: Option<DateLue>| match d {
            Some(DateLue::Jour(j)) => Champ::de(&Cellule::Date(j), cellule_periode),
            _ => champ_texte("", cellule_periode),
        };
        // Days go to Début/Fin; months (MM/AA) and free text stay in Période.
        let en_jours = matches!(lue.debut, Some(DateLue::Jour(_)) | None)
            && matches!(lue.fin, Some(DateLue::Jour(_)) | None)
            && lue.libre.is_none();
        let (debut, fin, periode) = if en_jours {
            (
                date(lue.debut),
                date(lue.fin),
                champ_texte("", cellule_periode),
            )
        } else if let Some(libre) = &lue.libre {
            (date(None), date(None), champ_texte(libre, cellule_periode))
        } else {
            let texte = |d: Option<DateLue>| match d {
                Some(DateLue::Jour(j)) => j.format("%d/%m/%Y").to_string(),
                Some(DateLue::Mois { annee, mois }) => format!("{mois:02}/{annee}"),
                None => String::new(),
            };
            let t = match lue.fin {
                Some(_) => format!("{} au {}", texte(lue.debut), texte(lue.fin)),
                None => texte(lue.debut),
            };
            (date(None), date(None), champ_texte(&t, cellule_periode))
        };
        realisations.push(Realisation {
            ligne: l as u32 + 1,
            candidat: candidat.numero.clone(),
            partie: champ_texte(p.libelle(), cellule_titre),
            intitule: champ_texte(&intitule, cellule_titre),
            documents: champ_texte(&documents, cellule_titre),
            debut,
            fin,
            periode,
            lieu: champ_texte("", Adresse::default()),
            organisation: champ_texte("", Adresse::default()),
            modalite: champ_texte("", Adresse::default()),
            coches: marques
                .coches
                .into_iter()
                .filter(|(_, c)| !c.est_vide())
                .collect(),
            fiche: champ_texte("", Adresse::default()),
        });
    }
    realisations
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_split_on_capitals() {
        assert_eq!(separer_nom("MARTIN Léa").0, "MARTIN");
        assert_eq!(
            separer_nom("Léa MARTIN"),
            ("MARTIN".into(), "Léa".into(), None)
        );
        assert_eq!(
            separer_nom("DE LA FONTAINE Jean-Pierre").0,
            "DE LA FONTAINE"
        );
        assert_eq!(separer_nom("N'DIAYE Awa").0, "N'DIAYE");
        assert!(separer_nom("DUPONT").2.is_some());
        assert!(separer_nom("léa martin").2.is_some());
    }

    #[test]
    fn sub_item_codes_count_for_their_competence() {
        for (t, n) in [
            ("B1.6.4", Some(6)),
            ("B.1.2.1", Some(2)),
            ("B 1-2", Some(2)),
            ("B1-2", Some(2)),
            ("b1.3", Some(3)),
        ] {
            assert_eq!(code_sous_item(t), Some(n), "{t}");
        }
        assert_eq!(code_sous_item("B1"), Some(None));
        assert_eq!(code_sous_item("B2.1"), None);
        assert_eq!(code_sous_item("Bof"), None);
    }

    #[test]
    fn session_labels() {
        assert_eq!(annee_session("2026"), Some((2026, None)));
        assert_eq!(annee_session("2024/2025").map(|x| x.0), Some(2025));
        assert_eq!(annee_session("2023-2024").map(|x| x.0), Some(2024));
        assert_eq!(annee_session("20xx"), None);
    }
}
