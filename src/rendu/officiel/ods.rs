//! A [`Remplissage`] applied to an ODS template (the 2026 circulaire ships one) by editing the
//! table of its `content.xml` inside the ZIP, like [`super::xlsx`]: styles, other tables and
//! every other part are copied byte for byte, and the filled file stays an ODS.
//!
//! ODS repeats identical rows and cells (`table:number-rows-repeated`,
//! `table:number-columns-repeated`): a row or cell written is split out of its run. Merged
//! cells are spans on their first cell, so a copied row keeps its merges; inserted rows move
//! the print ranges, named ranges and conditional formats below them.

use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Remplissage;
use super::xlsx::{attribut, decaler_refs, desechapper, echapper, remplacer_attributs};

pub fn remplir(modele: &[u8], r: &Remplissage) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(modele))
        .map_err(|e| format!("ce n'est pas un classeur ODS lisible ({e})"))?;
    let mut contenu = String::new();
    zip.by_name("content.xml")
        .map_err(|_| "partie « content.xml » absente du classeur".to_string())?
        .read_to_string(&mut contenu)
        .map_err(|e| format!("partie « content.xml » illisible ({e})"))?;
    let nouveau = remplir_contenu(&contenu, r)?;
    super::xlsx::recopier(&mut zip, &[("content.xml".to_string(), nouveau)])
}

/// A `table:table-row` element of the table, as written.
struct Ligne {
    debut: usize,
    fin: usize,
    /// Its start tag (without `<` and `>`), and whether it is empty (`/>`).
    tete: String,
    vide: bool,
    interieur: String,
    repetee: usize,
}

fn remplir_contenu(contenu: &str, r: &Remplissage) -> Result<String, String> {
    let (t0, t1) = table(contenu, &r.feuille)
        .ok_or_else(|| format!("feuille « {} » introuvable dans le classeur", r.feuille))?;
    let texte_table = &contenu[t0..t1];
    let lignes = lignes(texte_table)?;
    let mut insertions = r.insertions.clone();
    insertions.sort();
    // Each write by the template row it falls on and the copy it is in (0: the row itself).
    let mut ecritures: std::collections::BTreeMap<(usize, usize), Vec<(usize, &str)>> =
        Default::default();
    for (l, c, t) in &r.cellules {
        ecritures
            .entry(origine(*l, &insertions))
            .or_default()
            .push((*c, t.as_str()));
    }
    let touchees: std::collections::BTreeSet<usize> = ecritures
        .keys()
        .map(|(l, _)| *l)
        .chain(insertions.iter().map(|(l, _)| *l))
        .collect();
    let mut o = String::with_capacity(texte_table.len() + 4096);
    let mut position = 0;
    let mut numero: usize = 0;
    for ligne in &lignes {
        o.push_str(&texte_table[position..ligne.debut]);
        position = ligne.fin;
        let couvre = numero..numero.saturating_add(ligne.repetee);
        let cibles: Vec<usize> = touchees
            .iter()
            .copied()
            .filter(|l| couvre.contains(l))
            .collect();
        if cibles.is_empty() {
            o.push_str(&texte_table[ligne.debut..ligne.fin]);
            numero = numero.saturating_add(ligne.repetee);
            continue;
        }
        // The run split around each row written.
        let mut courant = numero;
        for cible in cibles {
            if cible > courant {
                o.push_str(&ligne_repetee(ligne, cible - courant));
            }
            let vides = Vec::new();
            let cellules = ecritures.get(&(cible, 0)).unwrap_or(&vides);
            o.push_str(&ligne_ecrite(ligne, cellules, false));
            if let Some(&(_, n)) = insertions.iter().find(|(l, _)| *l == cible) {
                for k in 1..=n {
                    let cellules = ecritures.get(&(cible, k)).unwrap_or(&vides);
                    o.push_str(&ligne_ecrite(ligne, cellules, true));
                }
            }
            courant = cible + 1;
        }
        if numero.saturating_add(ligne.repetee) > courant {
            o.push_str(&ligne_repetee(
                ligne,
                numero.saturating_add(ligne.repetee) - courant,
            ));
        }
        numero = numero.saturating_add(ligne.repetee);
    }
    o.push_str(&texte_table[position..]);
    let mut resultat = format!("{}{}{}", &contenu[..t0], o, &contenu[t1..]);
    // Ranges below the inserted rows move down: print ranges, named ranges, conditional formats.
    for &(apres, n) in insertions.iter().rev() {
        resultat = decaler_adresses(&resultat, apres + 1, n);
    }
    Ok(resultat)
}

/// The template row of a row of the filled sheet, and which copy of it the row is (0: the row
/// itself). `insertions` sorted by row.
fn origine(ligne: usize, insertions: &[(usize, usize)]) -> (usize, usize) {
    let mut decalage = 0;
    for &(apres, n) in insertions {
        let premiere_copie = apres + decalage + 1;
        if ligne < premiere_copie {
            return (ligne - decalage, 0);
        }
        if ligne < premiere_copie + n {
            return (apres, ligne - premiere_copie + 1);
        }
        decalage += n;
    }
    (ligne - decalage, 0)
}

/// The span of `<table:table table:name="…">…</table:table>`.
fn table(contenu: &str, nom: &str) -> Option<(usize, usize)> {
    let mut reste = 0;
    while let Some(i) = contenu[reste..].find("<table:table ") {
        let debut = reste + i;
        let fin_tete = contenu[debut..].find('>')? + debut;
        let tete = &contenu[debut..fin_tete];
        if attribut(tete, "table:name")
            .map(|n| desechapper(&n))
            .as_deref()
            == Some(nom)
        {
            let fin =
                contenu[fin_tete..].find("</table:table>")? + fin_tete + "</table:table>".len();
            return Some((debut, fin));
        }
        reste = fin_tete;
    }
    None
}

fn lignes(table: &str) -> Result<Vec<Ligne>, String> {
    let illisible = |e: String| format!("table ODS illisible ({e})");
    let mut reader = Reader::from_str(table);
    let mut v = Vec::new();
    loop {
        let debut = reader.buffer_position() as usize;
        match reader.read_event().map_err(|e| illisible(e.to_string()))? {
            Event::Start(e) if e.name().into_inner() == "table:table-row" => {
                let span = reader
                    .read_to_end(e.name())
                    .map_err(|e| illisible(e.to_string()))?;
                let fin = reader.buffer_position() as usize;
                let tete = table[debut + 1..table[debut..].find('>').map_or(debut, |f| debut + f)]
                    .to_string();
                v.push(Ligne {
                    debut,
                    fin,
                    repetee: repetition(&tete, "table:number-rows-repeated"),
                    tete,
                    vide: false,
                    interieur: table[span.start as usize..span.end as usize].to_string(),
                });
            }
            Event::Empty(e) if e.name().into_inner() == "table:table-row" => {
                let fin = reader.buffer_position() as usize;
                let tete = table[debut + 1..fin - 2].to_string();
                v.push(Ligne {
                    debut,
                    fin,
                    repetee: repetition(&tete, "table:number-rows-repeated"),
                    tete,
                    vide: true,
                    interieur: String::new(),
                });
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(v)
}

fn repetition(tete: &str, attr: &str) -> usize {
    attribut(tete, attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
        .max(1)
}

/// A start tag with one attribute set (or removed with `None`).
fn avec_attribut(tete: &str, attr: &str, valeur: Option<&str>) -> String {
    let mut t = sans_attribut(tete, attr);
    if let Some(v) = valeur {
        t.push_str(&format!(" {attr}=\"{v}\""));
    }
    t
}

fn sans_attribut(tete: &str, attr: &str) -> String {
    let Some(v) = attribut(tete, attr) else {
        return tete.to_string();
    };
    for q in ['"', '\''] {
        let motif = format!(" {attr}={q}{v}{q}");
        if tete.contains(&motif) {
            return tete.replacen(&motif, "", 1);
        }
    }
    tete.to_string()
}

fn ligne_repetee(ligne: &Ligne, n: usize) -> String {
    let tete = avec_attribut(
        &ligne.tete,
        "table:number-rows-repeated",
        (n > 1).then(|| n.to_string()).as_deref(),
    );
    if ligne.vide {
        format!("<{tete}/>")
    } else {
        format!("<{tete}>{}</table:table-row>", ligne.interieur)
    }
}

/// One row of a run with its cells written (`copie`: a row inserted under it, its values
/// cleared first).
fn ligne_ecrite(ligne: &Ligne, ecritures: &[(usize, &str)], copie: bool) -> String {
    let tete = sans_attribut(&ligne.tete, "table:number-rows-repeated");
    let mut cellules = cellules(&ligne.interieur);
    if copie {
        for c in &mut cellules {
            c.vider();
        }
    }
    for &(colonne, texte) in ecritures {
        // Split the run holding the column, then write its cell.
        let mut numero: usize = 0;
        let mut i = 0;
        while i < cellules.len() && numero.saturating_add(cellules[i].repetee) <= colonne {
            numero = numero.saturating_add(cellules[i].repetee);
            i += 1;
        }
        if i == cellules.len() {
            // Past the last cell: blank cells up to it.
            if colonne > numero {
                cellules.push(Cellule::vide(colonne - numero));
            }
            cellules.push(Cellule::vide(1));
            i = cellules.len() - 1;
        } else {
            let avant = colonne - numero;
            if avant > 0 {
                let mut a = cellules[i].clone();
                a.repetee = avant;
                cellules[i].repetee -= avant;
                cellules.insert(i, a);
                i += 1;
            }
            if cellules[i].repetee > 1 {
                let mut b = cellules[i].clone();
                b.repetee -= 1;
                cellules[i].repetee = 1;
                cellules.insert(i + 1, b);
            }
        }
        cellules[i].ecrire(texte);
    }
    let interieur: String = cellules.iter().map(Cellule::xml).collect();
    if interieur.is_empty() {
        format!("<{tete}/>")
    } else {
        format!("<{tete}>{interieur}</table:table-row>")
    }
}

#[derive(Clone)]
struct Cellule {
    /// `table:table-cell` or `table:covered-table-cell`.
    nom: String,
    tete: String,
    interieur: Option<String>,
    repetee: usize,
}

impl Cellule {
    fn vide(n: usize) -> Cellule {
        Cellule {
            nom: "table:table-cell".into(),
            tete: "table:table-cell".into(),
            interieur: None,
            repetee: n,
        }
    }

    fn vider(&mut self) {
        for a in VALEURS {
            self.tete = sans_attribut(&self.tete, a);
        }
        self.interieur = None;
    }

    fn ecrire(&mut self, texte: &str) {
        self.vider();
        self.tete = avec_attribut(&self.tete, "office:value-type", Some("string"));
        self.tete = avec_attribut(&self.tete, "calcext:value-type", Some("string"));
        self.interieur = Some(
            texte
                .split('\n')
                .map(|l| format!("<text:p>{}</text:p>", echapper(l)))
                .collect(),
        );
    }

    fn xml(&self) -> String {
        let tete = avec_attribut(
            &self.tete,
            "table:number-columns-repeated",
            (self.repetee > 1)
                .then(|| self.repetee.to_string())
                .as_deref(),
        );
        match &self.interieur {
            Some(i) if !i.is_empty() => format!("<{tete}>{i}</{}>", self.nom),
            _ => format!("<{tete}/>"),
        }
    }
}

/// What holds a cell's value, removed before another is written.
const VALEURS: [&str; 9] = [
    "office:value-type",
    "calcext:value-type",
    "office:value",
    "office:date-value",
    "office:time-value",
    "office:boolean-value",
    "office:string-value",
    "office:currency",
    "table:formula",
];

fn cellules(interieur: &str) -> Vec<Cellule> {
    let mut v = Vec::new();
    let mut reader = Reader::from_str(interieur);
    loop {
        let debut = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) if est_cellule(e.name().into_inner()) => {
                let nom = e.name().into_inner().to_string();
                let fin_tete = interieur[debut..].find('>').map_or(debut, |f| debut + f);
                let tete = interieur[debut + 1..fin_tete].to_string();
                let Ok(span) = reader.read_to_end(e.name()) else {
                    break;
                };
                v.push(Cellule {
                    repetee: repetition(&tete, "table:number-columns-repeated"),
                    nom,
                    tete,
                    interieur: Some(interieur[span.start as usize..span.end as usize].to_string()),
                });
            }
            Ok(Event::Empty(e)) if est_cellule(e.name().into_inner()) => {
                let fin = reader.buffer_position() as usize;
                let tete = interieur[debut + 1..fin - 2].to_string();
                v.push(Cellule {
                    repetee: repetition(&tete, "table:number-columns-repeated"),
                    nom: e.name().into_inner().to_string(),
                    tete,
                    interieur: None,
                });
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    v
}

fn est_cellule(nom: &str) -> bool {
    nom == "table:table-cell" || nom == "table:covered-table-cell"
}

/// Address attributes of the document below row `apres` (1-based) moved down by `n`.
fn decaler_adresses(xml: &str, apres: usize, n: usize) -> String {
    remplacer_attributs(
        xml,
        &[
            "table:print-ranges",
            "table:cell-range-address",
            "calcext:target-range-address",
            "table:base-cell-address",
            "table:target-range-address",
        ],
        |v| decaler_refs(v, apres, n),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_repeated_run_is_split_around_the_written_row_and_copies_follow() {
        let contenu = r#"<office:body><table:table table:name="T" table:print-ranges="T.A1:T.B4"><table:table-row table:style-name="ro1"><table:table-cell office:value-type="string"><text:p>Titre</text:p></table:table-cell></table:table-row><table:table-row table:style-name="ro2" table:number-rows-repeated="3"><table:table-cell table:style-name="ce1" table:number-columns-repeated="2"/></table:table-row></table:table></office:body>"#;
        let r = Remplissage {
            feuille: "T".into(),
            insertions: vec![(3, 1)],
            cellules: vec![(2, 1, "X".into()), (4, 0, "copie".into())],
            avertissements: Vec::new(),
        };
        let o = remplir_contenu(contenu, &r).unwrap();
        assert_eq!(
            o,
            r#"<office:body><table:table table:name="T" table:print-ranges="T.A1:T.B4"><table:table-row table:style-name="ro1"><table:table-cell office:value-type="string"><text:p>Titre</text:p></table:table-cell></table:table-row><table:table-row table:style-name="ro2"><table:table-cell table:style-name="ce1" table:number-columns-repeated="2"/></table:table-row><table:table-row table:style-name="ro2"><table:table-cell table:style-name="ce1"/><table:table-cell table:style-name="ce1" office:value-type="string" calcext:value-type="string"><text:p>X</text:p></table:table-cell></table:table-row><table:table-row table:style-name="ro2"><table:table-cell table:style-name="ce1" table:number-columns-repeated="2"/></table:table-row><table:table-row table:style-name="ro2"><table:table-cell table:style-name="ce1" office:value-type="string" calcext:value-type="string"><text:p>copie</text:p></table:table-cell><table:table-cell table:style-name="ce1"/></table:table-row></table:table></office:body>"#
        );
    }
}
