//! Official-like tableaux de synthèse, built from official-layouts.md §1 and §2 with
//! rust_xlsxwriter, with the quirks of §5 on demand: what candidates hand in.

#![allow(dead_code)]

use std::path::Path;

use rust_xlsxwriter::{
    Color, Format, FormatBorder, FormatDiagonalBorder, Shape, Workbook, Worksheet,
};
use siodoc::referentiel::{Referentiel, ReferentielId};

/// A cell's content in a fixture.
#[derive(Clone, Debug)]
pub enum V {
    Vide,
    T(String),
    N(f64),
    /// A date (Excel serial) with a date format.
    D(f64),
    /// Empty, with a fill (r, g, b).
    Couleur(u32),
    /// Empty, with a diagonal cross border.
    Croix,
    /// A text box anchored over the cell, with this text.
    Forme(String),
    /// Text struck through.
    Barre(String),
}

pub fn t(s: &str) -> V {
    if s.is_empty() {
        V::Vide
    } else {
        V::T(s.to_string())
    }
}

/// One row of a part: title (and documents after a newline), period, the six marks.
#[derive(Clone, Debug)]
pub struct Ligne {
    pub titre: V,
    pub periode: V,
    pub marques: Vec<V>,
}

pub fn ligne(titre: &str, periode: &str, marques: [&str; 6]) -> Ligne {
    Ligne {
        titre: t(titre),
        periode: t(periode),
        marques: marques.iter().map(|m| t(m)).collect(),
    }
}

/// A 2019 tableau, as the circulaire ships it (2023–2026 layout), to be filled.
#[derive(Clone, Debug)]
pub struct Tableau2019 {
    pub feuille: String,
    pub session: V,
    pub nom: V,
    pub numero: V,
    pub centre: V,
    pub option_sisr: V,
    pub option_slam: V,
    /// `None`: the 2022 template, without the URL row.
    pub url: Option<V>,
    /// Each part: its title row text (None: the title blanked) and its rows.
    pub parties: Vec<(Option<String>, Vec<Ligne>)>,
    /// Rows of each part at least, as the template has them (10/7/7).
    pub hauteurs: Vec<usize>,
    /// A compétence head written with its code before it (« B1.1-Gérer … »).
    pub tete_prefixee: bool,
    /// Text boxes drawn over cells: (row, column, text), 0-based.
    pub formes: Vec<(u32, u16, String)>,
    /// Other cells written last: (row, column, content), 0-based.
    pub cellules: Vec<(u32, u16, V)>,
    /// The row of sub-items deleted (a rearranged template).
    pub sans_sous_items: bool,
}

impl Tableau2019 {
    pub fn nouveau(nom: &str, numero: &str, option: &str) -> Tableau2019 {
        let (sisr, slam) = match option {
            "SISR" => ("X SISR", "▢ SLAM"),
            "SLAM" => ("▢ SISR", "X SLAM"),
            _ => ("▢ SISR", "▢ SLAM"),
        };
        Tableau2019 {
            feuille: "Tableau de synthèse Épreuve E5".into(),
            session: t("SESSION 2026"),
            nom: t(&format!("NOM et prénom : {nom}")),
            numero: t(&format!("N° candidat : {numero}")),
            centre: t("Centre de formation : Lycée Fictif"),
            option_sisr: t(sisr),
            option_slam: t(slam),
            url: Some(t(
                "Adresse URL du portfolio : https://portfolio.exemple.fr/candidat",
            )),
            parties: vec![
                (Some("Réalisation en cours de formation".into()), Vec::new()),
                (
                    Some("Réalisations en milieu professionnel en cours de première année".into()),
                    Vec::new(),
                ),
                (
                    Some("Réalisations en milieu professionnel en cours de seconde année".into()),
                    Vec::new(),
                ),
            ],
            hauteurs: vec![10, 7, 7],
            tete_prefixee: false,
            formes: Vec::new(),
            cellules: Vec::new(),
            sans_sous_items: false,
        }
    }

    pub fn partie(mut self, i: usize, lignes: Vec<Ligne>) -> Self {
        self.parties[i].1 = lignes;
        self
    }

    /// The sheet's row (0-based) of each part title, for the tests' cell references.
    pub fn lignes_des_parties(&self) -> Vec<u32> {
        let mut l = if self.url.is_some() { 7 } else { 6 };
        let mut v = Vec::new();
        for (i, (_, lignes)) in self.parties.iter().enumerate() {
            v.push(l);
            l += 1 + lignes.len().max(*self.hauteurs.get(i).unwrap_or(&0)) as u32;
        }
        v
    }

    pub fn ecrire(&self, chemin: &Path) {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(&self.feuille).unwrap();
        self.remplir(ws);
        wb.save(chemin).unwrap();
    }

    fn remplir(&self, ws: &mut Worksheet) {
        let Referentiel::Sio2019(r) = ReferentielId::Sio2019.charger() else {
            unreachable!()
        };
        let gras = Format::new().set_bold().set_font_name("Arial");
        ws.set_column_width(0, 70.4).unwrap();
        ws.set_column_width(1, 10.8).unwrap();
        ws.set_column_range_width(2, 7, 18.7).unwrap();
        ws.merge_range(
            0,
            0,
            0,
            5,
            "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
            &gras,
        )
        .unwrap();
        ecrire(ws, 0, 6, &self.session);
        ws.merge_range(
            1,
            0,
            1,
            7,
            "Tableau de synthèse des réalisations professionnelles",
            &gras,
        )
        .unwrap();
        ecrire(ws, 2, 0, &self.nom);
        ecrire(ws, 2, 5, &self.numero);
        ecrire(ws, 3, 0, &self.centre);
        ws.write(3, 5, "Option :").unwrap();
        ecrire(ws, 3, 6, &self.option_sisr);
        ecrire(ws, 3, 7, &self.option_slam);
        let mut l = 4;
        if let Some(url) = &self.url {
            ecrire(ws, 4, 0, url);
            l = 5;
        }
        let bas = if self.sans_sous_items { l } else { l + 1 };
        let diagonale = Format::new()
            .set_bold()
            .set_italic()
            .set_text_wrap()
            .set_border_diagonal(FormatBorder::Thin)
            .set_border_diagonal_type(FormatDiagonalBorder::BorderDown);
        let texte_diagonale = "Compétences mises en œuvre\nRéalisations professionnelles (intitulé et liste des documents et productions associés)";
        let periode = "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)";
        if self.sans_sous_items {
            ws.write_with_format(l, 0, texte_diagonale, &diagonale)
                .unwrap();
            ws.write_with_format(l, 1, periode, &gras).unwrap();
        } else {
            ws.merge_range(l, 0, bas, 0, texte_diagonale, &diagonale)
                .unwrap();
            ws.merge_range(l, 1, bas, 1, periode, &gras).unwrap();
        }
        for (j, c) in r.bloc1().enumerate() {
            let tete = if self.tete_prefixee && j == 0 {
                format!("{}-{}", c.code, c.intitule)
            } else {
                c.intitule.clone()
            };
            ws.write_with_format(l, 2 + j as u16, tete, &gras).unwrap();
            if !self.sans_sous_items {
                let items: Vec<String> = c.sous_items.iter().map(|s| format!("▸{s}")).collect();
                ws.write(l + 1, 2 + j as u16, items.join("\n")).unwrap();
            }
        }
        let mut l = bas + 1;
        for (i, (titre, lignes)) in self.parties.iter().enumerate() {
            if let Some(titre) = titre {
                ws.write_with_format(l, 0, titre.as_str(), &gras).unwrap();
            }
            l += 1;
            let hauteur = lignes.len().max(*self.hauteurs.get(i).unwrap_or(&0));
            for k in 0..hauteur {
                if let Some(li) = lignes.get(k) {
                    ecrire(ws, l, 0, &li.titre);
                    ecrire(ws, l, 1, &li.periode);
                    for (j, m) in li.marques.iter().enumerate() {
                        ecrire(ws, l, 2 + j as u16, m);
                    }
                }
                l += 1;
            }
        }
        for (l, c, v) in &self.cellules {
            ecrire(ws, *l, *c, v);
        }
        for (l, c, texte) in &self.formes {
            ws.insert_shape(*l, *c, &Shape::textbox().set_text(texte))
                .unwrap();
        }
        ws.set_print_area(0, 0, l, 7).unwrap();
    }
}

fn ecrire(ws: &mut Worksheet, l: u32, c: u16, v: &V) {
    match v {
        V::Vide => {}
        V::T(s) => {
            ws.write_string(l, c, s).unwrap();
        }
        V::N(n) => {
            ws.write_number(l, c, *n).unwrap();
        }
        V::D(n) => {
            ws.write_number_with_format(l, c, *n, &Format::new().set_num_format("dd/mm/yyyy"))
                .unwrap();
        }
        V::Couleur(rgb) => {
            ws.write_blank(l, c, &Format::new().set_background_color(Color::RGB(*rgb)))
                .unwrap();
        }
        V::Croix => {
            ws.write_blank(
                l,
                c,
                &Format::new()
                    .set_border_diagonal(FormatBorder::Thin)
                    .set_border_diagonal_type(FormatDiagonalBorder::BorderUpDown),
            )
            .unwrap();
        }
        V::Forme(texte) => {
            ws.insert_shape(l, c, &Shape::textbox().set_text(texte))
                .unwrap();
        }
        V::Barre(texte) => {
            ws.write_string_with_format(l, c, texte, &Format::new().set_font_strikethrough())
                .unwrap();
        }
    }
}

/// A 2011 grid: one sheet per parcours, the candidate's data on one of them.
pub struct Grille2011 {
    pub session: u16,
    pub nom: String,
    pub numero: String,
    pub option: &'static str,
    /// (part index, title, période, codes ticked)
    pub situations: Vec<(usize, String, String, Vec<&'static str>)>,
}

impl Grille2011 {
    pub fn ecrire(&self, chemin: &Path) {
        let Referentiel::Sio2011(r) = ReferentielId::Sio2011.charger() else {
            unreachable!()
        };
        let mut wb = Workbook::new();
        for option in ["SISR", "SLAM"] {
            let o = siodoc::referentiel::OptionSio::lire(option).unwrap();
            let ws = wb.add_worksheet();
            ws.set_name(format!("tableau de synthèse {option}"))
                .unwrap();
            ws.write(
                0,
                0,
                format!("BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION {} - TABLEAU DE SYNTHESE", self.session),
            )
            .unwrap();
            let rempli = option == self.option;
            ws.write(
                1,
                0,
                format!(
                    "NOM et Prénom du candidat : {}",
                    if rempli { self.nom.as_str() } else { "" }
                ),
            )
            .unwrap();
            ws.write(1, 20, format!("Option {option}")).unwrap();
            ws.write(
                1,
                40,
                format!(
                    "N° du candidat : {}",
                    if rempli { self.numero.as_str() } else { "" }
                ),
            )
            .unwrap();
            ws.write(2, 1, "Situations obligatoires").unwrap();
            ws.write(2, 6, "Compétences mises en œuvre").unwrap();
            ws.write(3, 0, "Situation professionnelle\n(intitulé et liste des documents et productions associés)").unwrap();
            for (k, so) in r.situations_obligatoires.iter().enumerate() {
                ws.write(3, 1 + k as u16, so.libelle.as_str()).unwrap();
            }
            ws.write(3, 5, "Période (sous la forme MM/AA)").unwrap();
            let activites: Vec<_> = r
                .activites
                .iter()
                .filter(|a| a.tableau.contains(&o))
                .collect();
            for (k, a) in activites.iter().enumerate() {
                ws.write(3, 6 + k as u16, format!("{} , {}", a.code, a.intitule))
                    .unwrap();
            }
            let titres = [
                "SITUATIONS VECUES EN FORMATION",
                "SITUATIONS VECUES OU OBSERVEES EN STAGE DE PREMIERE ANNEE DANS L'ORGANISATION …",
                "SITUATIONS VECUES OU OBSERVEES EN STAGE DE DEUXIEME ANNEE DANS L'ORGANISATION …",
            ];
            let mut l = 4u32;
            for (p, titre) in titres.iter().enumerate() {
                ws.write(l, 0, *titre).unwrap();
                l += 1;
                let lignes: Vec<_> = if rempli {
                    self.situations.iter().filter(|s| s.0 == p).collect()
                } else {
                    Vec::new()
                };
                for k in 0..lignes.len().max([18, 8, 10][p]) {
                    if let Some((_, titre, periode, codes)) = lignes.get(k) {
                        ws.write(l, 0, titre.as_str()).unwrap();
                        ws.write(l, 5, periode.as_str()).unwrap();
                        for code in codes {
                            let col = if let Some(i) = r
                                .situations_obligatoires
                                .iter()
                                .position(|s| s.code == *code)
                            {
                                1 + i
                            } else {
                                6 + activites.iter().position(|a| a.code == *code).unwrap()
                            };
                            ws.write(l, col as u16, "X").unwrap();
                        }
                    }
                    l += 1;
                }
            }
            ws.write(
                l,
                0,
                "Je soussigné-e …, formatrice (formateur) au centre de formation …, certifie que le candidat (la candidate) a bien effectué en formation les activités et missions présentées dans ce tableau.",
            )
            .unwrap();
        }
        wb.save(chemin).unwrap();
    }
}

/// A blank 2019 tableau as the circulaire ships it (official-layouts.md §1): merges, borders,
/// row heights, print area A1:H35 on one page, a second sheet and a defined name, so that a
/// test can check a filled copy keeps all of it. `sans_url`: the 2022 template.
pub fn modele_vierge_2019(chemin: &Path, session: &str, sans_url: bool) {
    let Referentiel::Sio2019(r) = ReferentielId::Sio2019.charger() else {
        unreachable!()
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let feuille = "Tableau de synthèse Épreuve E5";
    ws.set_name(feuille).unwrap();
    let base = Format::new().set_font_name("Arial");
    let titre = base
        .clone()
        .set_bold()
        .set_font_size(20)
        .set_align(rust_xlsxwriter::FormatAlign::Center);
    let ident = base
        .clone()
        .set_bold()
        .set_font_size(18)
        .set_border(FormatBorder::Thin)
        .set_border_left(FormatBorder::Medium);
    let fin = base.clone().set_border(FormatBorder::Thin);
    ws.set_column_width(0, 70.4).unwrap();
    ws.set_column_width(1, 10.8).unwrap();
    ws.set_column_range_width(2, 7, 18.7).unwrap();
    ws.merge_range(
        0,
        0,
        0,
        5,
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
        &titre,
    )
    .unwrap();
    ws.merge_range(0, 6, 0, 7, session, &titre).unwrap();
    ws.merge_range(
        1,
        0,
        1,
        7,
        "Tableau de synthèse des réalisations professionnelles",
        &titre,
    )
    .unwrap();
    ws.merge_range(2, 0, 2, 4, "NOM et prénom : ", &ident)
        .unwrap();
    ws.merge_range(2, 5, 2, 7, "N° candidat : ", &ident)
        .unwrap();
    ws.merge_range(3, 0, 3, 4, "Centre de formation : ", &ident)
        .unwrap();
    ws.write_with_format(3, 5, "Option : ", &ident).unwrap();
    ws.write_with_format(3, 6, "▢ SISR", &ident).unwrap();
    ws.write_with_format(3, 7, "▢ SLAM", &ident).unwrap();
    let mut l = 4;
    if !sans_url {
        ws.merge_range(4, 0, 4, 7, "Adresse URL du portfolio : ", &ident)
            .unwrap();
        l = 5;
    }
    for k in 2..l {
        ws.set_row_height(k, 40).unwrap();
    }
    let diagonale = fin
        .clone()
        .set_bold()
        .set_italic()
        .set_font_size(12)
        .set_text_wrap()
        .set_border_diagonal(FormatBorder::Thin)
        .set_border_diagonal_type(FormatDiagonalBorder::BorderDown);
    ws.merge_range(
        l,
        0,
        l + 1,
        0,
        &format!(
            "Compétences mises en œuvre{}Réalisations professionnelles (intitulé et liste des documents et productions associés)",
            "\n".repeat(22)
        ),
        &diagonale,
    )
    .unwrap();
    ws.merge_range(
        l,
        1,
        l + 1,
        1,
        "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)",
        &fin.clone().set_bold().set_rotation(90),
    )
    .unwrap();
    for (j, c) in r.bloc1().enumerate() {
        ws.write_with_format(
            l,
            2 + j as u16,
            c.intitule.as_str(),
            &fin.clone().set_bold().set_text_wrap(),
        )
        .unwrap();
        let items: Vec<String> = c.sous_items.iter().map(|s| format!("▸{s}")).collect();
        ws.write_with_format(
            l + 1,
            2 + j as u16,
            items.join("\n"),
            &fin.clone().set_rotation(90).set_text_wrap(),
        )
        .unwrap();
    }
    ws.set_row_height(l, 90).unwrap();
    ws.set_row_height(l + 1, 325).unwrap();
    let mut l = l + 2;
    let bande = base
        .clone()
        .set_bold()
        .set_font_size(14)
        .set_align(rust_xlsxwriter::FormatAlign::Center)
        .set_border(FormatBorder::Medium);
    let corps = fin.clone().set_bold().set_font_size(11).set_text_wrap();
    for (i, n) in [10u32, 7, 7].iter().enumerate() {
        let titres = [
            "Réalisation en cours de formation",
            "Réalisations en milieu professionnel en cours de première année",
            "Réalisations en milieu professionnel en cours de seconde année",
        ];
        ws.merge_range(l, 0, l, 7, titres[i], &bande).unwrap();
        ws.set_row_height(l, 18).unwrap();
        l += 1;
        for _ in 0..*n {
            for c in 0..8 {
                ws.write_blank(l, c, &corps).unwrap();
            }
            ws.set_row_height(l, 40).unwrap();
            l += 1;
        }
    }
    ws.set_row_height(l, 18).unwrap();
    ws.set_paper_size(9);
    ws.set_portrait();
    ws.set_margins(0.197, 0.197, 0.197, 0.197, 0.0, 0.0);
    ws.set_print_center_horizontally(true);
    ws.set_print_center_vertically(true);
    ws.set_print_fit_to_pages(1, 1);
    ws.set_print_area(0, 0, l, 7).unwrap();
    // What the circulaire adds around the form: a notice sheet and a name.
    let notice = wb.add_worksheet();
    notice.set_name("Notice").unwrap();
    notice
        .write(0, 0, "Remplir une ligne par réalisation.")
        .unwrap();
    wb.define_name("Periode_modele", &format!("='{feuille}'!$B$9:$B$34"))
        .unwrap();
    wb.save(chemin).unwrap();
}
