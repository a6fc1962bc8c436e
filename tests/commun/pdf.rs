//! Reading siodoc's PDFs as a reviewer would: their text and the position of each word
//! (pdftotext -bbox, from poppler-utils), their pages and metadata (pdfinfo).

use std::path::Path;
use std::process::Command;

pub fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let o = Command::new("pdftotext")
        .args(args)
        .arg(pdf)
        .arg("-")
        .output()
        .expect(
            "pdftotext (poppler-utils) est nécessaire aux tests : apt-get install poppler-utils",
        );
    assert!(o.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8(o.stdout).unwrap()
}

/// The text of a PDF with whitespace runs folded to one space.
pub fn texte(pdf: &Path) -> String {
    pdftotext(pdf, &[])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of one page (1-based), folded like [`texte`].
pub fn texte_page(pdf: &Path, page: usize) -> String {
    let p = page.to_string();
    pdftotext(pdf, &["-f", &p, "-l", &p])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A word and its box, in points from the top-left corner of its page.
#[derive(Debug, Clone)]
pub struct Mot {
    pub texte: String,
    pub page: usize,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// Centre of the box.
    pub x: f64,
    pub y: f64,
}

/// Words in reading order, page by page.
pub fn mots(pdf: &Path) -> Vec<Mot> {
    let html = pdftotext(pdf, &["-bbox"]);
    let attr = |l: &str, nom: &str| -> f64 {
        let debut = l.find(&format!("{nom}=\"")).unwrap() + nom.len() + 2;
        l[debut..].split('"').next().unwrap().parse().unwrap()
    };
    let mut page = 0;
    let mut mots = Vec::new();
    for l in html.lines() {
        let l = l.trim_start();
        if l.starts_with("<page ") {
            page += 1;
        }
        if !l.starts_with("<word ") {
            continue;
        }
        let texte = l.split('>').nth(1).unwrap().split('<').next().unwrap();
        let (x0, y0, x1, y1) = (
            attr(l, "xMin"),
            attr(l, "yMin"),
            attr(l, "xMax"),
            attr(l, "yMax"),
        );
        mots.push(Mot {
            texte: texte
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#39;", "'"),
            page,
            x0,
            y0,
            x1,
            y1,
            x: (x0 + x1) / 2.0,
            y: (y0 + y1) / 2.0,
        });
    }
    mots
}

/// The index of the first word of `phrase` in `mots`, matched word by word.
pub fn trouver(mots: &[Mot], phrase: &str) -> Option<usize> {
    let jetons: Vec<&str> = phrase.split_whitespace().collect();
    (0..=mots.len().saturating_sub(jetons.len())).find(|&i| {
        jetons
            .iter()
            .enumerate()
            .all(|(j, w)| mots[i + j].texte == *w)
    })
}

/// pdfinfo's report (pages, page size, title, subject, keywords).
pub fn info(pdf: &Path) -> String {
    let o = Command::new("pdfinfo").arg(pdf).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Number of pages, from pdfinfo.
pub fn pages(pdf: &Path) -> usize {
    info(pdf)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap()
}

/// The XMP metadata stream of a PDF (pdfinfo -meta): where PDF/A identification lives.
pub fn xmp(pdf: &Path) -> String {
    let o = Command::new("pdfinfo")
        .arg("-meta")
        .arg(pdf)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}
