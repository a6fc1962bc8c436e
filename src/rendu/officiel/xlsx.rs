//! A [`Remplissage`] applied to an XLSX (or XLSM) template by editing the XML of its sheet
//! inside the ZIP: every other part of the file (styles, shared strings, other sheets, macros,
//! images, print setup) is copied byte for byte. rust_xlsxwriter only writes new files, and an
//! editing library (umya-spreadsheet) reads the whole file into its model and writes it back,
//! which rewrites, and may drop, what it does not model; editing the one sheet leaves the rest
//! of the circulaire's file exactly as it was.
//!
//! Values are written as inline strings (`t="inlineStr"`), keeping each cell's style. Inserted
//! rows are copies of the part's last row (height, styles, one-row merges); rows below move
//! down with everything that points at them: merges, conditional formats, validations,
//! hyperlinks, row breaks, drawings' anchors, the print area and other defined names. A sheet
//! that grew is set to print on one page.

use std::io::{Cursor, Read, Write};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::Remplissage;

/// The template's bytes, filled.
pub fn remplir(modele: &[u8], r: &Remplissage) -> Result<Vec<u8>, String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(modele))
        .map_err(|e| format!("ce n'est pas un classeur XLSX lisible ({e})"))?;
    let lire = |zip: &mut zip::ZipArchive<Cursor<&[u8]>>, nom: &str| -> Result<String, String> {
        let mut s = String::new();
        zip.by_name(nom)
            .map_err(|_| format!("partie « {nom} » absente du classeur"))?
            .read_to_string(&mut s)
            .map_err(|e| format!("partie « {nom} » illisible ({e})"))?;
        Ok(s)
    };
    let classeur = lire(&mut zip, "xl/workbook.xml")?;
    let liens = lire(&mut zip, "xl/_rels/workbook.xml.rels")?;
    let (indice, chemin) = chemin_feuille(&classeur, &liens, &r.feuille)
        .ok_or_else(|| format!("feuille « {} » introuvable dans le classeur", r.feuille))?;
    let mut modifies: Vec<(String, String)> = Vec::new();
    let mut feuille = Feuille::lire(&lire(&mut zip, &chemin)?)?;
    let mut insertions = r.insertions.clone();
    // From the bottom up, so that each row number is the template's.
    insertions.sort_by_key(|&(ligne, _)| std::cmp::Reverse(ligne));
    for &(ligne, n) in &insertions {
        feuille.inserer(ligne + 1, n);
    }
    for (l, c, texte) in &r.cellules {
        feuille.ecrire(*l + 1, *c, texte);
    }
    if !insertions.is_empty() {
        feuille.sur_une_page();
    }
    modifies.push((chemin.clone(), feuille.ecrire_xml()));
    if !insertions.is_empty() {
        let mut noms = classeur.clone();
        for &(ligne, n) in &insertions {
            noms = decaler_noms(&noms, &r.feuille, indice, ligne + 1, n);
        }
        modifies.push(("xl/workbook.xml".into(), noms));
        // Drawings anchored on the sheet move with its rows.
        let rels = chemin_rels(&chemin);
        if let Ok(texte) = lire(&mut zip, &rels) {
            for cible in cibles_dessins(&texte, &chemin) {
                if let Ok(dessin) = lire(&mut zip, &cible) {
                    let mut d = dessin;
                    for &(ligne, n) in &insertions {
                        d = decaler_ancres(&d, ligne + 1, n);
                    }
                    modifies.push((cible, d));
                }
            }
        }
    }
    recopier(&mut zip, &modifies)
}

/// The template's ZIP written again: the parts in `modifies` with their new text (deflated,
/// their dates kept), every other entry copied raw, in the same order (an ODS keeps its
/// « mimetype » first and stored).
pub(super) fn recopier(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    modifies: &[(String, String)],
) -> Result<Vec<u8>, String> {
    let mut sortie = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let entree = zip
            .by_index_raw(i)
            .map_err(|e| format!("entrée {i} illisible ({e})"))?;
        let nom = entree
            .name()
            .map_err(|e| format!("nom d'entrée {i} illisible ({e})"))?
            .to_string();
        if let Some((_, contenu)) = modifies.iter().find(|(n, _)| *n == nom) {
            let mut options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            if let Some(t) = entree.last_modified() {
                options = options.last_modified_time(t);
            }
            drop(entree);
            sortie
                .start_file(nom.as_str(), options)
                .and_then(|()| sortie.write_all(contenu.as_bytes()).map_err(Into::into))
                .map_err(|e| format!("écriture de « {nom} » impossible ({e})"))?;
        } else {
            sortie
                .raw_copy_file(entree)
                .map_err(|e| format!("copie de « {nom} » impossible ({e})"))?;
        }
    }
    sortie
        .finish()
        .map(Cursor::into_inner)
        .map_err(|e| format!("écriture du classeur impossible ({e})"))
}

/// The sheet's index among the workbook's sheets and its part path, from its name.
fn chemin_feuille(classeur: &str, liens: &str, nom: &str) -> Option<(usize, String)> {
    let mut indice = 0;
    let mut rid = None;
    for (i, balise) in balises(classeur, "sheet").into_iter().enumerate() {
        if attribut(&balise, "name").map(|n| desechapper(&n)) == Some(nom.to_string()) {
            indice = i;
            rid = attribut(&balise, "r:id");
            break;
        }
    }
    let rid = rid?;
    let cible = balises(liens, "Relationship")
        .into_iter()
        .find(|b| attribut(b, "Id").as_deref() == Some(rid.as_str()))
        .and_then(|b| attribut(&b, "Target"))?;
    let chemin = match cible.strip_prefix('/') {
        Some(absolu) => absolu.to_string(),
        None => format!("xl/{cible}"),
    };
    Some((indice, chemin))
}

fn chemin_rels(chemin: &str) -> String {
    match chemin.rsplit_once('/') {
        Some((dossier, fichier)) => format!("{dossier}/_rels/{fichier}.rels"),
        None => format!("_rels/{chemin}.rels"),
    }
}

/// The drawing parts of a sheet, from its relationships.
fn cibles_dessins(rels: &str, chemin: &str) -> Vec<String> {
    let dossier = chemin.rsplit_once('/').map_or("", |(d, _)| d);
    balises(rels, "Relationship")
        .into_iter()
        .filter(|b| attribut(b, "Type").is_some_and(|t| t.ends_with("/drawing")))
        .filter_map(|b| attribut(&b, "Target"))
        .map(|t| normaliser_chemin(&format!("{dossier}/{t}")))
        .collect()
}

fn normaliser_chemin(chemin: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in chemin.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            autre => parts.push(autre),
        }
    }
    parts.join("/")
}

/// The start tags `<nom …>` (any namespace prefix) of a part, as written.
fn balises(xml: &str, nom: &str) -> Vec<String> {
    let mut v = Vec::new();
    let mut reste = xml;
    while let Some(i) = reste.find('<') {
        reste = &reste[i + 1..];
        let fin = reste.find('>').unwrap_or(reste.len());
        let balise = &reste[..fin];
        let tete = balise
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        if tete == nom || tete.rsplit(':').next() == Some(nom) && tete.contains(':') {
            v.push(balise.to_string());
        }
        reste = &reste[fin..];
    }
    v
}

/// An attribute's raw value in a start tag.
pub(super) fn attribut(balise: &str, nom: &str) -> Option<String> {
    let mut reste = balise;
    while let Some(i) = reste.find(nom) {
        let avant = reste[..i].chars().last();
        let apres = &reste[i + nom.len()..];
        if avant.is_some_and(char::is_whitespace) && apres.trim_start().starts_with('=') {
            let v = apres.trim_start()[1..].trim_start();
            // Only a quoted value is one (a stray « name= » in text is not).
            let q = v.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let corps = &v[1..];
            return corps.find(q).map(|j| corps[..j].to_string());
        }
        reste = &reste[i + nom.len()..];
    }
    None
}

pub(super) fn desechapper(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

pub(super) fn echapper(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            // XML 1.0 has no other control character than tab and line feeds.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => o.push(c),
        }
    }
    o
}

/// The style of a column (`<col min max style>`, 1-based columns), if it has one.
fn style_de_colonne(avant: &str, colonne: usize) -> Option<String> {
    balises(avant, "col").into_iter().find_map(|b| {
        let min: usize = attribut(&b, "min")?.parse().ok()?;
        let max: usize = attribut(&b, "max")?.parse().ok()?;
        (min..=max)
            .contains(&(colonne + 1))
            .then(|| attribut(&b, "style"))
            .flatten()
    })
}

/// « C12 » → (row 12, column 2).
fn lire_ref(r: &str) -> Option<(usize, usize)> {
    let lettres: String = r.chars().take_while(char::is_ascii_alphabetic).collect();
    let chiffres = &r[lettres.len()..];
    if lettres.is_empty() || lettres.len() > 3 || chiffres.is_empty() {
        return None;
    }
    let col = lettres.chars().fold(0usize, |a, c| {
        a * 26 + (c.to_ascii_uppercase() as usize - 'A' as usize + 1)
    });
    Some((chiffres.parse().ok()?, col - 1))
}

fn ecrire_ref(ligne: usize, colonne: usize) -> String {
    format!(
        "{}{ligne}",
        crate::classeur::feuille::lettres_colonne(colonne)
    )
}

/// Every cell or row reference in `texte` below row `apres` (1-based) moved down by `n`:
/// « A36 », « $A$36 », « $36 » (whole rows), in ranges and lists.
pub(super) fn decaler_refs(texte: &str, apres: usize, n: usize) -> String {
    let b = texte.as_bytes();
    let mut o = String::with_capacity(texte.len());
    let mut i = 0;
    while i < b.len() {
        let limite = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if limite {
            let mut j = i;
            if j < b.len() && b[j] == b'$' {
                j += 1;
            }
            let debut_lettres = j;
            while j < b.len() && b[j].is_ascii_alphabetic() && j - debut_lettres < 3 {
                j += 1;
            }
            let lettres = j - debut_lettres;
            if j < b.len() && b[j] == b'$' {
                j += 1;
            }
            let debut_chiffres = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let suivant_ok = j >= b.len() || !(b[j].is_ascii_alphanumeric() || b[j] == b'(');
            // A cell (letters then digits) or a whole row ($ then digits).
            let est_ref = j > debut_chiffres
                && suivant_ok
                && (lettres > 0 || (debut_chiffres > i && b[i] == b'$'));
            if est_ref && let Ok(ligne) = texte[debut_chiffres..j].parse::<usize>() {
                o.push_str(&texte[i..debut_chiffres]);
                o.push_str(
                    &(if ligne > apres {
                        ligne.saturating_add(n)
                    } else {
                        ligne
                    })
                    .to_string(),
                );
                i = j;
                continue;
            }
        }
        let c = texte[i..].chars().next().unwrap_or(' ');
        o.push(c);
        i += c.len_utf8();
    }
    o
}

/// Each value of the attributes `noms` of a part's tags passed through `f`. An attribute counts
/// where its name follows a space (« sqref= » is not « ref= »).
pub(super) fn remplacer_attributs(xml: &str, noms: &[&str], f: impl Fn(&str) -> String) -> String {
    let mut o = String::with_capacity(xml.len());
    let mut reste = xml;
    loop {
        let prochain = noms
            .iter()
            .filter_map(|nom| {
                let motif = format!("{nom}=\"");
                let mut depuis = 0;
                while let Some(i) = reste[depuis..].find(&motif).map(|i| depuis + i) {
                    if reste[..i].chars().last().is_some_and(char::is_whitespace) {
                        return Some((i, motif.len()));
                    }
                    depuis = i + motif.len();
                }
                None
            })
            .min();
        let Some((i, l)) = prochain else {
            o.push_str(reste);
            return o;
        };
        o.push_str(&reste[..i + l]);
        reste = &reste[i + l..];
        let fin = reste.find('"').unwrap_or(reste.len());
        o.push_str(&f(&reste[..fin]));
        reste = &reste[fin..];
    }
}

/// The references of the attributes that hold some (`ref`, `sqref`, …) moved down.
fn decaler_attributs(xml: &str, apres: usize, n: usize) -> String {
    let o = remplacer_attributs(xml, &["ref", "sqref", "topLeftCell", "activeCell"], |v| {
        decaler_refs(v, apres, n)
    });
    // Manual page breaks: `<brk id="36" …/>` is the row a break follows.
    let mut sortie = String::with_capacity(o.len());
    let mut reste = o.as_str();
    while let Some(i) = reste.find("<brk ") {
        sortie.push_str(&reste[..i]);
        let fin = reste[i..].find('>').map_or(reste.len(), |f| i + f + 1);
        let balise = &reste[i..fin];
        match attribut(balise, "id").and_then(|v| v.parse::<usize>().ok()) {
            Some(id) if id > apres => sortie.push_str(&balise.replacen(
                &format!("id=\"{id}\""),
                &format!("id=\"{}\"", id.saturating_add(n)),
                1,
            )),
            _ => sortie.push_str(balise),
        }
        reste = &reste[fin..];
    }
    sortie.push_str(reste);
    sortie
}

/// The workbook's defined names of the sheet (print area, print titles…) moved down.
fn decaler_noms(classeur: &str, feuille: &str, indice: usize, apres: usize, n: usize) -> String {
    let mut o = String::with_capacity(classeur.len());
    let mut reste = classeur;
    let nom_echappe = echapper(feuille).replace('\'', "&apos;");
    while let Some(i) = reste.find("<definedName ") {
        let Some(fin_tete) = reste[i..].find('>').map(|f| i + f + 1) else {
            break;
        };
        let Some(fin) = reste[fin_tete..]
            .find("</definedName>")
            .map(|f| fin_tete + f)
        else {
            break;
        };
        let tete = &reste[i..fin_tete];
        let corps = &reste[fin_tete..fin];
        let de_la_feuille = attribut(tete, "localSheetId").as_deref()
            == Some(indice.to_string().as_str())
            || corps.contains(feuille)
            || corps.contains(&nom_echappe)
            || corps.contains(&echapper(feuille));
        o.push_str(&reste[..fin_tete]);
        if de_la_feuille {
            // Only what follows « Feuille! » is a reference.
            match corps.rfind('!') {
                Some(k) => {
                    o.push_str(&corps[..=k]);
                    o.push_str(&decaler_refs(&corps[k + 1..], apres, n));
                }
                None => o.push_str(corps),
            }
        } else {
            o.push_str(corps);
        }
        reste = &reste[fin..];
    }
    o.push_str(reste);
    o
}

/// Drawing anchors (`<xdr:row>` is 0-based) below row `apres` (1-based) moved down.
fn decaler_ancres(xml: &str, apres: usize, n: usize) -> String {
    let mut o = String::with_capacity(xml.len());
    let mut reste = xml;
    while let Some(i) = reste.find(":row>") {
        let debut = i + ":row>".len();
        o.push_str(&reste[..debut]);
        reste = &reste[debut..];
        let fin = reste.find('<').unwrap_or(reste.len());
        match reste[..fin].trim().parse::<usize>() {
            Ok(ligne) if ligne >= apres => o.push_str(&ligne.saturating_add(n).to_string()),
            _ => o.push_str(&reste[..fin]),
        }
        reste = &reste[fin..];
    }
    o.push_str(reste);
    o
}

struct Cellule {
    colonne: usize,
    /// Attributes but `r`, raw.
    attributs: Vec<(String, String)>,
    /// The raw XML inside `<c>`.
    contenu: String,
}

struct Ligne {
    numero: usize,
    attributs: Vec<(String, String)>,
    cellules: Vec<Cellule>,
}

/// A worksheet part: its rows parsed, the rest kept as text.
struct Feuille {
    avant: String,
    lignes: Vec<Ligne>,
    apres: String,
    /// Namespace prefix of the sheet's elements (« x: » in some writers).
    prefixe: String,
}

impl Feuille {
    fn lire(xml: &str) -> Result<Feuille, String> {
        let illisible = |e: String| format!("feuille XML illisible ({e})");
        let mut reader = Reader::from_str(xml);
        let mut lignes = Vec::new();
        let mut debut = None;
        let mut fin = None;
        let mut prefixe = String::new();
        let mut courante: Option<Ligne> = None;
        loop {
            let position = reader.buffer_position() as usize;
            let evenement = reader.read_event().map_err(|e| illisible(e.to_string()))?;
            match evenement {
                Event::Start(e) | Event::Empty(e) if e.local_name().into_inner() == "sheetData" => {
                    let nom = e.name().into_inner().to_string();
                    prefixe = nom.strip_suffix("sheetData").unwrap_or("").to_string();
                    let apres_tete = reader.buffer_position() as usize;
                    debut = Some((position, apres_tete));
                    if xml[position..apres_tete].trim_end().ends_with("/>") {
                        fin = Some((apres_tete, apres_tete));
                        break;
                    }
                }
                Event::End(e) if e.local_name().into_inner() == "sheetData" => {
                    fin = Some((position, reader.buffer_position() as usize));
                    break;
                }
                Event::Start(e) if e.local_name().into_inner() == "row" => {
                    let precedente = lignes.last().map_or(0, |l: &Ligne| l.numero);
                    courante = Some(Ligne::de(&e, precedente)?);
                }
                Event::Empty(e) if e.local_name().into_inner() == "row" => {
                    let precedente = lignes.last().map_or(0, |l: &Ligne| l.numero);
                    lignes.push(Ligne::de(&e, precedente)?);
                }
                Event::End(e) if e.local_name().into_inner() == "row" => {
                    if let Some(l) = courante.take() {
                        lignes.push(l);
                    }
                }
                Event::Start(e) if e.local_name().into_inner() == "c" => {
                    let suivante = courante
                        .as_ref()
                        .and_then(|l| l.cellules.last())
                        .map_or(0, |c| c.colonne + 1);
                    let (colonne, attributs) = attributs_cellule(&e, suivante)?;
                    let span = reader
                        .read_to_end(e.name())
                        .map_err(|e| illisible(e.to_string()))?;
                    let contenu = xml[span.start as usize..span.end as usize].to_string();
                    if let Some(l) = courante.as_mut() {
                        l.cellules.push(Cellule {
                            colonne,
                            attributs,
                            contenu,
                        });
                    }
                }
                Event::Empty(e) if e.local_name().into_inner() == "c" => {
                    let suivante = courante
                        .as_ref()
                        .and_then(|l| l.cellules.last())
                        .map_or(0, |c| c.colonne + 1);
                    let (colonne, attributs) = attributs_cellule(&e, suivante)?;
                    if let Some(l) = courante.as_mut() {
                        l.cellules.push(Cellule {
                            colonne,
                            attributs,
                            contenu: String::new(),
                        });
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        let (Some((d0, _)), Some((_, f1))) = (debut, fin) else {
            return Err("feuille sans données (sheetData absent)".into());
        };
        Ok(Feuille {
            avant: xml[..d0].to_string(),
            lignes,
            apres: xml[f1..].to_string(),
            prefixe,
        })
    }

    fn inserer(&mut self, apres: usize, n: usize) {
        // The part's last row, copied without its values.
        let modele = self
            .lignes
            .iter()
            .find(|l| l.numero == apres)
            .map(|l| Ligne {
                numero: 0,
                attributs: l
                    .attributs
                    .iter()
                    .filter(|(k, _)| k != "spans")
                    .cloned()
                    .collect(),
                cellules: l
                    .cellules
                    .iter()
                    .map(|c| Cellule {
                        colonne: c.colonne,
                        attributs: c
                            .attributs
                            .iter()
                            .filter(|(k, _)| k != "t")
                            .cloned()
                            .collect(),
                        contenu: String::new(),
                    })
                    .collect(),
            });
        for l in &mut self.lignes {
            if l.numero > apres {
                l.numero = l.numero.saturating_add(n);
            }
        }
        let position = self
            .lignes
            .iter()
            .position(|l| l.numero > apres)
            .unwrap_or(self.lignes.len());
        if let Some(m) = modele {
            for k in (1..=n).rev() {
                self.lignes.insert(
                    position,
                    Ligne {
                        numero: apres + k,
                        attributs: m.attributs.clone(),
                        cellules: m
                            .cellules
                            .iter()
                            .map(|c| Cellule {
                                colonne: c.colonne,
                                attributs: c.attributs.clone(),
                                contenu: String::new(),
                            })
                            .collect(),
                    },
                );
            }
        }
        self.avant = decaler_attributs(&self.avant, apres, n);
        self.apres = decaler_attributs(&self.apres, apres, n);
        self.copier_fusions(apres, n);
    }

    /// One-row merges of the copied row, repeated on each new row.
    fn copier_fusions(&mut self, apres: usize, n: usize) {
        let Some(i) = self.apres.find("<mergeCells") else {
            return;
        };
        let Some(f) = self.apres[i..].find("</mergeCells>").map(|f| i + f) else {
            return;
        };
        let section = &self.apres[i..f];
        let mut refs: Vec<String> = balises(section, "mergeCell")
            .iter()
            .filter_map(|b| attribut(b, "ref"))
            .collect();
        let mut nouvelles = Vec::new();
        for r in &refs {
            if let Some((a, b)) = r.split_once(':')
                && let (Some((la, ca)), Some((lb, cb))) = (lire_ref(a), lire_ref(b))
                && la == apres
                && lb == apres
            {
                for k in 1..=n {
                    nouvelles.push(format!(
                        "{}:{}",
                        ecrire_ref(apres + k, ca),
                        ecrire_ref(apres + k, cb)
                    ));
                }
            }
        }
        refs.extend(nouvelles);
        let p = &self.prefixe;
        let corps: String = refs
            .iter()
            .map(|r| format!("<{p}mergeCell ref=\"{r}\"/>"))
            .collect();
        let texte = format!("<{p}mergeCells count=\"{}\">{corps}", refs.len());
        self.apres.replace_range(i..f, &texte);
    }

    fn ecrire(&mut self, ligne: usize, colonne: usize, texte: &str) {
        let position = match self.lignes.iter().position(|l| l.numero >= ligne) {
            Some(i) if self.lignes[i].numero == ligne => i,
            Some(i) => {
                self.lignes.insert(
                    i,
                    Ligne {
                        numero: ligne,
                        attributs: Vec::new(),
                        cellules: Vec::new(),
                    },
                );
                i
            }
            None => {
                self.lignes.push(Ligne {
                    numero: ligne,
                    attributs: Vec::new(),
                    cellules: Vec::new(),
                });
                self.lignes.len() - 1
            }
        };
        let l = &mut self.lignes[position];
        l.attributs.retain(|(k, _)| k != "spans");
        let p = &self.prefixe;
        let contenu = format!(
            "<{p}is><{p}t xml:space=\"preserve\">{}</{p}t></{p}is>",
            echapper(texte)
        );
        match l.cellules.iter().position(|c| c.colonne >= colonne) {
            Some(i) if l.cellules[i].colonne == colonne => {
                let c = &mut l.cellules[i];
                c.attributs.retain(|(k, _)| k != "t");
                c.attributs.push(("t".into(), "inlineStr".into()));
                c.contenu = contenu;
            }
            autre => {
                // A cell the template does not write takes the style its row or column has.
                let style = l
                    .attributs
                    .iter()
                    .any(|(k, v)| k == "customFormat" && (v == "1" || v == "true"))
                    .then(|| {
                        l.attributs
                            .iter()
                            .find(|(k, _)| k == "s")
                            .map(|(_, v)| v.clone())
                    })
                    .flatten()
                    .or_else(|| style_de_colonne(&self.avant, colonne));
                let mut attributs = Vec::new();
                if let Some(s) = style {
                    attributs.push(("s".into(), s));
                }
                attributs.push(("t".into(), "inlineStr".into()));
                let i = autre.unwrap_or(l.cellules.len());
                l.cellules.insert(
                    i,
                    Cellule {
                        colonne,
                        attributs,
                        contenu,
                    },
                );
            }
        }
    }

    /// The sheet printed on one page, as the circulaire's file is.
    fn sur_une_page(&mut self) {
        let p = self.prefixe.clone();
        if self.avant.contains("fitToPage=\"0\"") {
            self.avant = self.avant.replace("fitToPage=\"0\"", "fitToPage=\"1\"");
        } else if !self.avant.contains("fitToPage=") {
            let reglage = format!("<{p}pageSetUpPr fitToPage=\"1\"/>");
            if let Some(i) = self.avant.find(&format!("<{p}sheetPr")) {
                let fin = self.avant[i..]
                    .find('>')
                    .map_or(self.avant.len(), |f| i + f);
                if self.avant[..fin].ends_with('/') {
                    self.avant
                        .replace_range(fin - 1..=fin, &format!(">{reglage}</{p}sheetPr>"));
                } else if let Some(f) = self.avant.find(&format!("</{p}sheetPr>")) {
                    self.avant.insert_str(f, &reglage);
                }
            } else if let Some(i) = self.avant.find(&format!("<{p}worksheet")) {
                let fin = self.avant[i..]
                    .find('>')
                    .map_or(self.avant.len(), |f| i + f + 1);
                self.avant
                    .insert_str(fin, &format!("<{p}sheetPr>{reglage}</{p}sheetPr>"));
            }
        }
        // One page wide and one high (Excel's defaults when the attributes are absent).
        for attr in ["fitToWidth", "fitToHeight"] {
            for v in ["0", "2", "3"] {
                self.apres = self
                    .apres
                    .replace(&format!("{attr}=\"{v}\""), &format!("{attr}=\"1\""));
            }
        }
    }

    fn ecrire_xml(&self) -> String {
        let p = &self.prefixe;
        let mut o =
            String::with_capacity(self.avant.len() + self.apres.len() + self.lignes.len() * 200);
        o.push_str(&self.avant);
        o.push_str(&format!("<{p}sheetData>"));
        for l in &self.lignes {
            o.push_str(&format!("<{p}row r=\"{}\"", l.numero));
            for (k, v) in &l.attributs {
                o.push_str(&format!(" {k}=\"{v}\""));
            }
            if l.cellules.is_empty() {
                o.push_str("/>");
                continue;
            }
            o.push('>');
            for c in &l.cellules {
                o.push_str(&format!("<{p}c r=\"{}\"", ecrire_ref(l.numero, c.colonne)));
                for (k, v) in &c.attributs {
                    o.push_str(&format!(" {k}=\"{v}\""));
                }
                if c.contenu.is_empty() {
                    o.push_str("/>");
                } else {
                    o.push('>');
                    o.push_str(&c.contenu);
                    o.push_str(&format!("</{p}c>"));
                }
            }
            o.push_str(&format!("</{p}row>"));
        }
        o.push_str(&format!("</{p}sheetData>"));
        o.push_str(&self.apres);
        o
    }
}

impl Ligne {
    /// A row from its start tag; without `r`, it is the row after `precedente` (the schema
    /// allows rows and cells to be numbered implicitly).
    fn de(e: &quick_xml::events::BytesStart, precedente: usize) -> Result<Ligne, String> {
        let mut numero = 0;
        let mut attributs = Vec::new();
        for a in e.attributes().flatten() {
            let k = a.key.as_ref().to_string();
            let v = a.value.to_string();
            if k == "r" {
                numero = v
                    .parse()
                    .map_err(|_| format!("numéro de ligne « {v} » illisible"))?;
            } else {
                attributs.push((k, v));
            }
        }
        if numero == 0 {
            numero = precedente + 1;
        }
        Ok(Ligne {
            numero,
            attributs,
            cellules: Vec::new(),
        })
    }
}

fn attributs_cellule(
    e: &quick_xml::events::BytesStart,
    suivante: usize,
) -> Result<(usize, Vec<(String, String)>), String> {
    let mut colonne = None;
    let mut attributs = Vec::new();
    for a in e.attributes().flatten() {
        let k = a.key.as_ref().to_string();
        let v = a.value.to_string();
        if k == "r" {
            colonne = lire_ref(&v).map(|(_, c)| c);
        } else {
            attributs.push((k, v));
        }
    }
    Ok((colonne.unwrap_or(suivante), attributs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_move_down_below_the_inserted_rows() {
        assert_eq!(decaler_refs("A1:H35", 26, 3), "A1:H38");
        assert_eq!(decaler_refs("$A$1:$H$35", 26, 3), "$A$1:$H$38");
        assert_eq!(decaler_refs("A27:H27 B30", 26, 2), "A29:H29 B32");
        assert_eq!(decaler_refs("$6:$7", 26, 2), "$6:$7");
        assert_eq!(decaler_refs("$30:$31", 26, 2), "$32:$33");
        assert_eq!(decaler_refs("A26", 26, 2), "A26");
        assert_eq!(decaler_refs("SUM(A1)", 0, 1), "SUM(A2)");
    }

    #[test]
    fn implicit_row_and_cell_numbers_and_styles_of_new_cells() {
        let xml = r#"<worksheet><cols><col min="1" max="1" width="70" style="7"/></cols><sheetData><row><c t="s"><v>0</v></c><c s="3"/></row><row r="3" s="5" customFormat="1"/></sheetData></worksheet>"#;
        let mut f = Feuille::lire(xml).unwrap();
        f.ecrire(1, 1, "B1");
        f.ecrire(3, 2, "C3");
        f.ecrire(4, 0, "A4");
        assert_eq!(
            f.ecrire_xml(),
            r#"<worksheet><cols><col min="1" max="1" width="70" style="7"/></cols><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="3" t="inlineStr"><is><t xml:space="preserve">B1</t></is></c></row><row r="3" s="5" customFormat="1"><c r="C3" s="5" t="inlineStr"><is><t xml:space="preserve">C3</t></is></c></row><row r="4"><c r="A4" s="7" t="inlineStr"><is><t xml:space="preserve">A4</t></is></c></row></sheetData></worksheet>"#
        );
    }

    /// Sheets built to hurt give an error or a sheet, never a panic.
    #[test]
    fn hostile_sheets_never_panic() {
        let cas = [
            "",
            "<worksheet>",
            "<worksheet><sheetData>",
            "<worksheet><sheetData><row r=\"x\"/></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"18446744073709551615\"><c r=\"ZZZZ1\"/></row></sheetData></worksheet>",
            "<worksheet><sheetData><row r=\"2\"><c r=\"A2\"><v>1</c></row></sheetData></worksheet>",
            "<worksheet><sheetPr/><sheetData/><mergeCells><mergeCell ref=\"A1:\"/></mergeCells><brk id=\"é\"/></worksheet>",
            "<worksheet sqref=é><sheetData/></worksheet>",
        ];
        for xml in cas {
            if let Ok(mut f) = Feuille::lire(xml) {
                f.inserer(1, 3);
                f.ecrire(1, 0, "é<&>");
                f.sur_une_page();
                let _ = f.ecrire_xml();
            }
        }
        assert_eq!(attribut(" name=é", "name"), None);
        assert_eq!(
            decaler_refs("A18446744073709551615", 0, 2),
            "A18446744073709551615"
        );
    }

    #[test]
    fn attributes_and_page_breaks() {
        let x = r#"<mergeCell ref="A27:H27"/><dataValidation sqref="C28:H34"/><brk id="30" max="16383"/>"#;
        assert_eq!(
            decaler_attributs(x, 26, 2),
            r#"<mergeCell ref="A29:H29"/><dataValidation sqref="C30:H36"/><brk id="32" max="16383"/>"#
        );
    }
}
