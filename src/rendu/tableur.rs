//! XLSX outputs, written with rust_xlsxwriter: each candidate's tableau de synthèse in the
//! official spreadsheet's layout (domain.md §3.4 for 2019, §2.4 for 2011), and a class
//! workbook for sorting, filtering and pivoting.

use rust_xlsxwriter::{
    Color, ConditionalFormatCell, ConditionalFormatCellRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, FormatDiagonalBorder, Table, TableColumn, TableStyle, Workbook,
    Worksheet, XlsxError,
};

use super::ajustement::{INTERLIGNE_TABLEUR, hauteur_de_ligne};
use super::formulaires::{intitule_et_documents, nom_prenom, periode_2011, periode_2019};
use crate::classeur::{Candidat, Classeur, Partie, Realisation};
use crate::diagnostic::Diagnostic;
use crate::referentiel::{OptionSio, Referentiel};
use crate::session::ProfilSession;

const ARIAL: &str = "Arial";

fn format() -> Format {
    Format::new().set_font_name(ARIAL)
}

/// Fixed document dates: the same class gives the same bytes.
fn classeur_fixe(profil: &ProfilSession, titre: &str, auteur: &str) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(profil.session, 6, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(titre)
            .set_author(auteur)
            .set_creation_datetime(&date),
    );
    Ok(wb)
}

fn realisations_de<'a>(classeur: &'a Classeur, c: &'a Candidat) -> Vec<&'a Realisation> {
    classeur.realisations_titrees(&c.numero.texte)
}

/// The candidate's tableau de synthèse as the official spreadsheet, filled.
pub fn tableau(
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
) -> Result<Vec<u8>, XlsxError> {
    let f = &profil.tableau_synthese;
    let auteur = if classeur.parametres.centre.est_vide() {
        "siodoc"
    } else {
        classeur.parametres.centre.texte.as_str()
    };
    let mut wb = classeur_fixe(profil, &format!("{} — {}", f.titre, nom_prenom(c)), auteur)?;
    let feuille = f
        .feuille
        .as_ref()
        .map(|x| x.get(option).clone())
        .unwrap_or_else(|| "Tableau de synthèse".into());
    let ws = wb.add_worksheet();
    ws.set_name(feuille.chars().take(31).collect::<String>())?;
    let realisations = realisations_de(classeur, c);
    match profil.referentiel.charger() {
        Referentiel::Sio2019(_) => tableau_2019(ws, classeur, profil, c, option, &realisations)?,
        Referentiel::Sio2011(_) => tableau_2011(ws, classeur, profil, c, option, &realisations)?,
    }
    wb.save_to_buffer()
}

/// A format framed on each side with its own weight: the official sheets draw a medium frame
/// around each block and thin rules inside.
fn cadre(
    f: &Format,
    haut: FormatBorder,
    bas: FormatBorder,
    gauche: FormatBorder,
    droite: FormatBorder,
) -> Format {
    f.clone()
        .set_border_top(haut)
        .set_border_bottom(bas)
        .set_border_left(gauche)
        .set_border_right(droite)
}

const FIN: FormatBorder = FormatBorder::Thin;
const MOYEN: FormatBorder = FormatBorder::Medium;
const AUCUN: FormatBorder = FormatBorder::None;

fn tableau_2019(
    ws: &mut Worksheet,
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
    realisations: &[&Realisation],
) -> Result<(), XlsxError> {
    use crate::officiel::mise_en_page::sio2019 as m;
    let r19 = crate::referentiel::sio2019();
    let competences: Vec<_> = r19.bloc1().collect();
    for (col, w) in m::LARGEURS.iter().enumerate() {
        ws.set_column_width(col as u16, *w)?;
    }
    // Rows 1–2: no borders, 20 pt bold.
    let titre = format()
        .set_bold()
        .set_font_size(20)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(
        0,
        0,
        0,
        5,
        "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS",
        &titre,
    )?;
    ws.merge_range(0, 6, 0, 7, &format!("SESSION {}", profil.session), &titre)?;
    ws.merge_range(1, 0, 1, 7, &profil.tableau_synthese.titre, &titre)?;
    ws.set_row_height(0, m::HAUTEUR_TITRE)?;
    ws.set_row_height(1, m::HAUTEUR_TITRE)?;

    // Rows 3–5: 18 pt bold, left, framed by a medium line; values after their labels.
    let avec_url = m::avec_url(profil.session);
    let ident = format()
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let bas_centre = if avec_url { FIN } else { MOYEN };
    ws.merge_range(
        2,
        0,
        2,
        4,
        &format!("NOM et prénom : {}", nom_prenom(c)),
        &cadre(&ident, MOYEN, FIN, MOYEN, FIN),
    )?;
    ws.merge_range(
        2,
        5,
        2,
        7,
        &format!("N° candidat : {}", c.numero.texte),
        &cadre(&ident, MOYEN, FIN, FIN, MOYEN),
    )?;
    ws.merge_range(
        3,
        0,
        3,
        4,
        &format!("Centre de formation : {}", classeur.parametres.centre.texte),
        &cadre(&ident, FIN, bas_centre, MOYEN, FIN),
    )?;
    // No rules between « Option : » and its two boxes.
    ws.write_string_with_format(
        3,
        5,
        "Option :",
        &cadre(&ident, FIN, bas_centre, FIN, AUCUN),
    )?;
    ws.write_string_with_format(
        3,
        6,
        format!("{} SISR", case(option == OptionSio::Sisr)),
        &cadre(&ident, FIN, bas_centre, AUCUN, AUCUN),
    )?;
    ws.write_string_with_format(
        3,
        7,
        format!("{} SLAM", case(option == OptionSio::Slam)),
        &cadre(&ident, FIN, bas_centre, AUCUN, MOYEN),
    )?;
    let mut ligne = 4u32;
    if avec_url {
        ws.merge_range(
            4,
            0,
            4,
            7,
            &format!("Adresse URL du portfolio : {}", c.portfolio.texte),
            &cadre(&ident, FIN, MOYEN, MOYEN, MOYEN),
        )?;
        ligne = 5;
    }
    for l in 2..ligne {
        ws.set_row_height(l, m::HAUTEUR_IDENTITE)?;
    }

    // Rows 6–7: the diagonal cell, the rotated Période head, the compétences and their items.
    let (noms, items) = (ligne, ligne + 1);
    let diagonale = cadre(
        &format()
            .set_bold()
            .set_italic()
            .set_font_size(12)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_border_diagonal(FIN)
            .set_border_diagonal_type(FormatDiagonalBorder::BorderDown),
        MOYEN,
        MOYEN,
        MOYEN,
        FIN,
    );
    let texte_diagonale = format!(
        "Compétences mises en œuvre{}Réalisations professionnelles (intitulé et liste des documents et productions associés)",
        "\n".repeat(22)
    );
    ws.merge_range(noms, 0, items, 0, &texte_diagonale, &diagonale)?;
    let tourne = cadre(
        &format()
            .set_bold()
            .set_font_size(12)
            .set_rotation(90)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        MOYEN,
        MOYEN,
        FIN,
        FIN,
    );
    ws.merge_range(
        noms,
        1,
        items,
        1,
        "Période (sous la forme du JJ/MM/AA au JJ/MM/AA)",
        &tourne,
    )?;
    let nom_comp = format()
        .set_bold()
        .set_font_size(12)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let sous_items = format()
        .set_font_size(10)
        .set_rotation(90)
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for (i, k) in competences.iter().enumerate() {
        let col = 2 + i as u16;
        let droite = if col == 7 { MOYEN } else { FIN };
        ws.write_string_with_format(
            noms,
            col,
            &k.intitule,
            &cadre(&nom_comp, MOYEN, FIN, FIN, droite),
        )?;
        let liste = k
            .sous_items
            .iter()
            .map(|s| format!("▸{s}"))
            .collect::<Vec<_>>()
            .join("\n");
        ws.write_string_with_format(
            items,
            col,
            &liste,
            &cadre(&sous_items, FIN, MOYEN, FIN, droite),
        )?;
    }
    ws.set_row_height(noms, m::HAUTEUR_NOMS)?;
    ws.set_row_height(items, m::HAUTEUR_ITEMS)?;
    ligne = items + 1;

    // The parts: title row, then one row per réalisation, at least the template's rows.
    let section = cadre(
        &format()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        MOYEN,
        FIN,
        MOYEN,
        MOYEN,
    );
    let intitule = format()
        .set_bold()
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let periode = format()
        .set_bold()
        .set_font_size(11)
        .set_shrink()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let coche = format()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    for (p, partie) in Partie::TOUTES.iter().enumerate() {
        ws.merge_range(ligne, 0, ligne, 7, m::TITRES_PARTIES[p], &section)?;
        ws.set_row_height(ligne, m::HAUTEUR_BANDE)?;
        ligne += 1;
        let de_la_partie: Vec<&&Realisation> = realisations
            .iter()
            .filter(|r| r.partie() == Some(*partie))
            .collect();
        // The template's rows, plus one per réalisation beyond them: never truncated.
        let n = de_la_partie.len().max(m::LIGNES_PARTIES[p]);
        for i in 0..n {
            let bas = if i + 1 == n { MOYEN } else { FIN };
            let bord = |col: u16| {
                let gauche = if col == 0 { MOYEN } else { FIN };
                let droite = if col == 7 { MOYEN } else { FIN };
                (FIN, bas, gauche, droite)
            };
            let avec = |f: &Format, col: u16| {
                let (h, b, g, d) = bord(col);
                cadre(f, h, b, g, d)
            };
            let r = de_la_partie.get(i);
            let texte = r.map(|r| intitule_et_documents(r)).unwrap_or_default();
            ws.write_string_with_format(ligne, 0, &texte, &avec(&intitule, 0))?;
            let p19 = r.map(|r| periode_2019(r)).unwrap_or_default();
            ws.write_string_with_format(ligne, 1, &p19, &avec(&periode, 1))?;
            let cochees: Vec<&str> = r.map(|r| r.codes_coches().collect()).unwrap_or_default();
            for (j, k) in competences.iter().enumerate() {
                let col = 2 + j as u16;
                let marque = if cochees.contains(&k.code.as_str()) {
                    "X"
                } else {
                    ""
                };
                ws.write_string_with_format(ligne, col, marque, &avec(&coche, col))?;
            }
            // A long title makes its row taller, as a spreadsheet's automatic height would.
            ws.set_row_height(
                ligne,
                hauteur_de_ligne(
                    &texte,
                    m::TAILLE_CORPS,
                    crate::officiel::mise_en_page::points(m::LARGEURS[0]),
                    m::MARGE,
                    INTERLIGNE_TABLEUR,
                    m::HAUTEUR_LIGNE,
                ),
            )?;
            ligne += 1;
        }
    }
    // Row 35: the spacer that ends the print area.
    ws.set_row_height(ligne, m::HAUTEUR_ESPACE)?;
    ws.set_paper_size(9);
    ws.set_portrait();
    // 0.5 cm on every side, no header or footer.
    ws.set_margins(0.197, 0.197, 0.197, 0.197, 0.0, 0.0);
    ws.set_print_center_horizontally(true);
    ws.set_print_center_vertically(true);
    ws.set_print_area(0, 0, ligne, 7)?;
    ws.set_print_fit_to_pages(1, 1);
    Ok(())
}

fn tableau_2011(
    ws: &mut Worksheet,
    classeur: &Classeur,
    profil: &ProfilSession,
    c: &Candidat,
    option: OptionSio,
    realisations: &[&Realisation],
) -> Result<(), XlsxError> {
    use crate::officiel::mise_en_page::sio2011 as m;
    let r11 = crate::referentiel::sio2011();
    let colonnes: Vec<_> = r11.colonnes_tableau(option).collect();
    let derniere = 5 + colonnes.len() as u16;
    let rgb =
        |(r, g, b): (u8, u8, u8)| Color::RGB(u32::from(r) << 16 | u32::from(g) << 8 | u32::from(b));
    let (vert, rose, bleu) = (rgb(m::VERT), rgb(m::ROSE), rgb(m::BLEU));
    ws.set_column_width(0, m::LARGEUR_SITUATION)?;
    for col in 1..5 {
        ws.set_column_width(col, m::LARGEUR_SO)?;
    }
    ws.set_column_width(5, m::LARGEUR_PERIODE)?;
    for col in 6..=derniere {
        ws.set_column_width(col, m::LARGEUR_ACTIVITE)?;
    }
    // A medium rule on the left of the first activité of each sub-domain.
    let gauche_de = |col: u16| -> FormatBorder {
        let i = col as usize;
        if col < 6 || i - 6 >= colonnes.len() {
            return FIN;
        }
        if i == 6 || colonnes[i - 7].domaine != colonnes[i - 6].domaine {
            MOYEN
        } else {
            FIN
        }
    };
    let avec = |f: &Format, col: u16| cadre(f, FIN, FIN, gauche_de(col), FIN);

    let titre = format()
        .set_bold()
        .set_font_size(18)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(
        0,
        0,
        0,
        derniere,
        &format!(
            "BTS SERVICES INFORMATIQUES AUX ORGANISATIONS - SESSION {} - TABLEAU DE SYNTHESE",
            profil.session
        ),
        &titre,
    )?;
    // Row 2, no borders: name (about 58 % of the width), option (21 %, 18 pt), N° (21 %).
    let largeurs: Vec<f64> = (0..=derniere)
        .map(|col| match col {
            0 => m::LARGEUR_SITUATION,
            1..=4 => m::LARGEUR_SO,
            5 => m::LARGEUR_PERIODE,
            _ => m::LARGEUR_ACTIVITE,
        })
        .collect();
    let total: f64 = largeurs.iter().sum();
    let mut cumul = 0.0;
    let mut coupes = Vec::new();
    for (col, w) in largeurs.iter().enumerate() {
        cumul += w;
        if coupes.len() < 2
            && cumul >= total * (m::PARTS_LIGNE_2[0] + coupes.len() as f64 * m::PARTS_LIGNE_2[1])
        {
            coupes.push(col as u16);
        }
    }
    let (fin_nom, fin_option) = (
        coupes.first().copied().unwrap_or(14),
        coupes.get(1).copied().unwrap_or(30),
    );
    let gras12 = format()
        .set_bold()
        .set_font_size(12)
        .set_align(FormatAlign::VerticalCenter);
    ws.merge_range(
        1,
        0,
        1,
        fin_nom,
        &format!("NOM et Prénom du candidat : {}", nom_prenom(c)),
        &gras12,
    )?;
    ws.merge_range(
        1,
        fin_nom + 1,
        1,
        fin_option,
        &format!("Option {}", option.code()),
        &format()
            .set_bold()
            .set_font_size(18)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
    )?;
    ws.merge_range(
        1,
        fin_option + 1,
        1,
        derniere,
        &format!("N° du candidat : {}", c.numero.texte),
        &gras12,
    )?;
    ws.set_row_height(0, m::HAUTEUR_TITRE)?;
    ws.set_row_height(1, m::HAUTEUR_TITRE)?;

    let bande = |fond: Color| {
        cadre(
            &format()
                .set_bold()
                .set_font_size(10)
                .set_align(FormatAlign::Center)
                .set_background_color(fond),
            FIN,
            FIN,
            FIN,
            FIN,
        )
    };
    ws.merge_range(2, 1, 2, 4, "Situations obligatoires", &bande(vert))?;
    ws.merge_range(
        2,
        5,
        2,
        derniere,
        "Compétences mises en œuvre",
        &bande(rose),
    )?;
    ws.set_row_height(2, m::HAUTEUR_BANDE)?;
    let tourne = |fond: Option<Color>, gras: bool| {
        let mut f = format()
            .set_font_size(10)
            .set_rotation(90)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        if gras {
            f = f.set_bold().set_align(FormatAlign::Center);
        }
        match fond {
            Some(c) => f.set_background_color(c),
            None => f,
        }
    };
    ws.write_string_with_format(3, 0,
        "Situation professionnelle\n      (intitulé et liste des documents et productions associés)",
        &cadre(&format().set_bold().set_italic().set_font_size(12).set_text_wrap().set_align(FormatAlign::VerticalCenter), FIN, FIN, FIN, FIN))?;
    for (i, so) in r11.situations_obligatoires.iter().enumerate() {
        ws.write_string_with_format(
            3,
            1 + i as u16,
            &so.libelle,
            &avec(&tourne(Some(vert), false), 1),
        )?;
    }
    ws.write_string_with_format(
        3,
        5,
        "Période (sous la forme MM/AA)",
        &avec(&tourne(Some(rose), true), 5),
    )?;
    for (i, a) in colonnes.iter().enumerate() {
        let col = 6 + i as u16;
        ws.write_string_with_format(
            3,
            col,
            format!("{} , {}", a.code, a.intitule),
            &avec(&tourne(None, false), col),
        )?;
    }
    ws.set_row_height(3, m::HAUTEUR_TETES)?;

    let section = cadre(
        &format()
            .set_bold()
            .set_font_size(11)
            .set_align(FormatAlign::Center)
            .set_background_color(bleu),
        FIN,
        FIN,
        FIN,
        FIN,
    );
    let intitule = format()
        .set_bold()
        .set_font_size(11)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter);
    let coche = format()
        .set_bold()
        .set_font_size(11)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let so: Vec<&str> = r11
        .situations_obligatoires
        .iter()
        .map(|s| s.code.as_str())
        .collect();
    let mut ligne = 4u32;
    for (p, partie) in Partie::TOUTES.iter().enumerate() {
        ws.merge_range(ligne, 0, ligne, derniere, m::TITRES_PARTIES[p], &section)?;
        ws.set_row_height(ligne, m::HAUTEUR_BANDE)?;
        ligne += 1;
        let de_la_partie: Vec<&&Realisation> = realisations
            .iter()
            .filter(|r| r.partie() == Some(*partie))
            .collect();
        for i in 0..de_la_partie.len().max(m::LIGNES_PARTIES[p]) {
            let r = de_la_partie.get(i);
            let texte = r.map(|r| intitule_et_documents(r)).unwrap_or_default();
            ws.write_string_with_format(ligne, 0, &texte, &avec(&intitule, 0))?;
            let cochees: Vec<&str> = r.map(|r| r.codes_coches().collect()).unwrap_or_default();
            for (i, code) in so.iter().enumerate() {
                let col = 1 + i as u16;
                let marque = if cochees.contains(code) { "X" } else { "" };
                ws.write_string_with_format(
                    ligne,
                    col,
                    marque,
                    &avec(&coche.clone().set_background_color(vert), col),
                )?;
            }
            let p11 = r.map(|r| periode_2011(r)).unwrap_or_default();
            ws.write_string_with_format(
                ligne,
                5,
                &p11,
                &avec(&coche.clone().set_shrink().set_background_color(rose), 5),
            )?;
            for (i, a) in colonnes.iter().enumerate() {
                let col = 6 + i as u16;
                let marque = if cochees.contains(&a.code.as_str()) {
                    "X"
                } else {
                    ""
                };
                ws.write_string_with_format(ligne, col, marque, &avec(&coche, col))?;
            }
            ws.set_row_height(
                ligne,
                hauteur_de_ligne(
                    &texte,
                    m::TAILLE_CORPS,
                    crate::officiel::mise_en_page::points(m::LARGEUR_SITUATION),
                    m::MARGE,
                    INTERLIGNE_TABLEUR,
                    m::HAUTEUR_LIGNE,
                ),
            )?;
            ligne += 1;
        }
    }
    let vide = |t: &str| {
        if t.is_empty() {
            "……………………".to_string()
        } else {
            t.to_string()
        }
    };
    // The formateur's attestation: bold, no box, no « Signature » label.
    ws.merge_range(ligne, 0, ligne, derniere,
        &format!(
            "Je soussigné-e {}, formatrice (formateur) au centre de formation {}, certifie que le candidat (la candidate) a bien effectué en formation les activités et missions présentées dans ce tableau.",
            vide(&classeur.parametres.formateur.texte),
            vide(&classeur.parametres.centre.texte)
        ),
        &format().set_bold().set_font_size(11).set_text_wrap().set_align(FormatAlign::VerticalCenter))?;
    ws.set_row_height(ligne, m::HAUTEUR_PIED)?;
    ws.set_paper_size(8);
    ws.set_landscape();
    ws.set_margins(0.394, 0.394, 0.394, 0.394, 0.0, 0.0);
    ws.set_print_center_horizontally(true);
    ws.set_print_center_vertically(true);
    ws.set_print_area(0, 0, ligne, derniere)?;
    ws.set_print_fit_to_pages(1, 1);
    Ok(())
}

/// The official spreadsheet's box: ▢ (U+25A2), ticked by replacing it with ☒.
fn case(coche: bool) -> &'static str {
    if coche { "☒" } else { "▢" }
}

/// The class workbook: per option a candidates × items grid, the gaps, every réalisation
/// flattened, and the parameters of the run.
///
/// Every sheet is written row by row in rust_xlsxwriter's constant-memory mode (each row goes
/// to a temporary file as soon as the next one starts): a class of 10 000 candidates
/// (1,7 million cells) then costs no more memory than a class of 35.
pub fn classe(
    classeur: &Classeur,
    profil: &ProfilSession,
    diagnostics: &[Diagnostic],
) -> Result<Vec<u8>, XlsxError> {
    let referentiel = profil.referentiel.charger();
    let auteur = if classeur.parametres.centre.est_vide() {
        "siodoc"
    } else {
        classeur.parametres.centre.texte.as_str()
    };
    let mut wb = classeur_fixe(
        profil,
        &format!(
            "Synthèse de la classe {} — session {}",
            classeur.parametres.classe.texte, profil.session
        ),
        auteur,
    )?;
    let gras = format().set_bold();
    let pourcent = format().set_num_format("0%");
    let rouge = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006));
    let vert = Format::new()
        .set_background_color(Color::RGB(0xC6EFCE))
        .set_font_color(Color::RGB(0x006100));
    let options = crate::classeur::options_presentes(&classeur.candidats);

    // The gaps are found while the option sheets are written: their sheet is filled alongside.
    let mut manques = Manques::new(wb.new_worksheet_with_constant_memory()?, &gras)?;
    let mut feuilles = Vec::new();
    for option in &options {
        let items: Vec<String> = crate::classeur::schema::colonnes_coches(referentiel, &[*option])
            .into_iter()
            .map(|c| c.code)
            .collect();
        let candidats: Vec<&Candidat> = classeur
            .candidats
            .iter()
            .filter(|c| c.option() == Some(*option) && !c.numero.est_vide())
            .collect();
        let mut ws = wb.new_worksheet_with_constant_memory()?;
        ws.set_name(option.code())?;
        let mut entetes: Vec<String> = vec!["N° candidat".into(), "NOM".into(), "Prénom".into()];
        entetes.extend(items.iter().cloned());
        entetes.extend([
            "Couverture".to_string(),
            "Réalisations".to_string(),
            "Fiches".to_string(),
        ]);
        let premier_item = 3u16;
        let col_couv = premier_item + items.len() as u16;
        let n = candidats.len() as u32;
        // The table writes its header row: it comes first, rows are written in order.
        if n > 0 {
            let colonnes: Vec<TableColumn> = entetes
                .iter()
                .map(|e| TableColumn::new().set_header(e))
                .collect();
            let table = Table::new()
                .set_columns(&colonnes)
                .set_style(TableStyle::Medium2);
            ws.add_table(0, 0, n, col_couv + 2, &table)?;
        } else {
            for (j, e) in entetes.iter().enumerate() {
                ws.write_string_with_format(0, j as u16, e, &gras)?;
            }
        }
        let mut couverts_par_item = vec![0usize; items.len()];
        for (i, c) in candidats.iter().enumerate() {
            let l = i as u32 + 1;
            let realisations = realisations_de(classeur, c);
            ws.write_string(l, 0, &c.numero.texte)?;
            ws.write_string(l, 1, &c.nom.texte)?;
            ws.write_string(l, 2, &c.prenom.texte)?;
            let mut couverts = 0;
            for (j, item) in items.iter().enumerate() {
                let n = realisations
                    .iter()
                    .filter(|r| r.codes_coches().any(|k| k == item))
                    .count();
                ws.write_number(l, premier_item + j as u16, n as f64)?;
                if n > 0 {
                    couverts += 1;
                    couverts_par_item[j] += 1;
                } else {
                    manques.ecrire([
                        &c.numero.texte,
                        &c.nom.texte,
                        &c.prenom.texte,
                        option.code(),
                        "élément non couvert",
                        &libelle_item(referentiel, item),
                    ])?;
                }
            }
            ws.write_number_with_format(
                l,
                col_couv,
                couverts as f64 / items.len().max(1) as f64,
                &pourcent,
            )?;
            ws.write_number(l, col_couv + 1, realisations.len() as f64)?;
            let fiches = crate::classeur::fiches_en_ordre(&realisations);
            ws.write_number(l, col_couv + 2, fiches as f64)?;
        }
        // Coverage of each item over the option's candidates, below the table.
        let l_couv = n + 2;
        ws.write_string_with_format(l_couv, 0, "Couverture par élément", &gras)?;
        for (j, couverts) in couverts_par_item.iter().enumerate() {
            ws.write_number_with_format(
                l_couv,
                premier_item + j as u16,
                *couverts as f64 / n.max(1) as f64,
                &pourcent,
            )?;
        }
        if n > 0 {
            let fin = premier_item + items.len() as u16 - 1;
            ws.add_conditional_format(
                1,
                premier_item,
                n,
                fin,
                &ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::EqualTo(0))
                    .set_format(&rouge),
            )?;
            ws.add_conditional_format(
                1,
                premier_item,
                n,
                fin,
                &ConditionalFormatCell::new()
                    .set_rule(ConditionalFormatCellRule::GreaterThan(0))
                    .set_format(&vert),
            )?;
        }
        ws.set_column_width(0, 14)?;
        ws.set_column_width(1, 18)?;
        ws.set_column_width(2, 14)?;
        ws.set_freeze_panes(1, 3)?;
        feuilles.push(ws);
    }

    // Gaps: uncovered items, then every rule that failed for the candidate.
    for d in diagnostics {
        let Some(n) = &d.candidat else { continue };
        let c = classeur.candidat(n);
        manques.ecrire([
            n,
            c.map_or("", |c| c.nom.texte.as_str()),
            c.map_or("", |c| c.prenom.texte.as_str()),
            c.and_then(Candidat::option).map_or("", |o| o.code()),
            &format!("{} ({})", d.regle, d.gravite.libelle()),
            &format!("{} : {}", d.position, d.message),
        ])?;
    }
    feuilles.push(manques.terminer()?);

    // Every réalisation on one row, ticks as 1/0, for pivot tables.
    {
        let mut ws = wb.new_worksheet_with_constant_memory()?;
        ws.set_name("Réalisations")?;
        let codes: Vec<String> = crate::classeur::schema::colonnes_coches(referentiel, &options)
            .into_iter()
            .map(|c| c.code)
            .collect();
        let mut entetes: Vec<String> = [
            "N° candidat",
            "NOM",
            "Prénom",
            "Option",
            "Partie",
            "Intitulé",
            "Documents",
            "Période",
            "Lieu",
            "Organisation support",
            "Modalité",
            "Fiche n°",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        entetes.extend(codes.iter().cloned());
        for (j, e) in entetes.iter().enumerate() {
            ws.write_string_with_format(0, j as u16, e, &gras)?;
        }
        let mut l = 1u32;
        for c in &classeur.candidats {
            for r in realisations_de(classeur, c) {
                let periode = match referentiel {
                    Referentiel::Sio2019(_) => periode_2019(r),
                    Referentiel::Sio2011(_) => periode_2011(r),
                };
                let valeurs = [
                    c.numero.texte.as_str(),
                    c.nom.texte.as_str(),
                    c.prenom.texte.as_str(),
                    c.option().map_or("", |o| o.code()),
                    r.partie().map_or(r.partie.texte.as_str(), |p| p.libelle()),
                    r.intitule.texte.as_str(),
                    r.documents.texte.as_str(),
                    periode.as_str(),
                    r.lieu.texte.as_str(),
                    r.organisation.texte.as_str(),
                    r.modalite.texte.as_str(),
                    r.fiche.texte.as_str(),
                ];
                for (j, v) in valeurs.iter().enumerate() {
                    ws.write_string(l, j as u16, *v)?;
                }
                for (j, code) in codes.iter().enumerate() {
                    let coche = r.codes_coches().any(|k| k == code);
                    ws.write_number(l, (valeurs.len() + j) as u16, if coche { 1.0 } else { 0.0 })?;
                }
                l += 1;
            }
        }
        ws.set_freeze_panes(1, 3)?;
        ws.autofilter(0, 0, l.saturating_sub(1).max(1), entetes.len() as u16 - 1)?;
        feuilles.push(ws);
    }

    {
        let mut ws = wb.new_worksheet_with_constant_memory()?;
        ws.set_name("Paramètres")?;
        let f = &profil.tableau_synthese;
        let lignes = [
            ("Session", profil.session.to_string()),
            ("Référentiel", profil.referentiel.code().to_string()),
            (
                "Tableau de synthèse",
                format!("Épreuve {} ; {}", f.epreuve, f.annexe.sisr),
            ),
            (
                "Fiches descriptives",
                format!(
                    "Épreuve {} ; {} / {}",
                    profil.fiche_descriptive.epreuve,
                    profil.fiche_descriptive.annexe.sisr,
                    profil.fiche_descriptive.annexe.slam
                ),
            ),
            (
                "Centre de formation",
                classeur.parametres.centre.texte.to_string(),
            ),
            ("Classe", classeur.parametres.classe.texte.to_string()),
            (
                "Formateur ou formatrice",
                classeur.parametres.formateur.texte.to_string(),
            ),
            ("Version de siodoc", env!("CARGO_PKG_VERSION").to_string()),
        ];
        for (i, (k, v)) in lignes.iter().enumerate() {
            ws.write_string_with_format(i as u32, 0, *k, &gras)?;
            ws.write_string(i as u32, 1, v)?;
        }
        ws.set_column_width(0, 26)?;
        ws.set_column_width(1, 60)?;
        feuilles.push(ws);
    }
    for ws in feuilles {
        wb.push_worksheet(ws);
    }
    wb.save_to_buffer()
}

/// The « Manques » sheet of the class workbook, filled one gap at a time.
struct Manques {
    feuille: Worksheet,
    lignes: u32,
}

impl Manques {
    fn new(mut feuille: Worksheet, gras: &Format) -> Result<Manques, XlsxError> {
        feuille.set_name("Manques")?;
        for (j, e) in ["N° candidat", "NOM", "Prénom", "Option", "Manque", "Détail"]
            .iter()
            .enumerate()
        {
            feuille.write_string_with_format(0, j as u16, *e, gras)?;
        }
        Ok(Manques { feuille, lignes: 0 })
    }

    fn ecrire(&mut self, valeurs: [&str; 6]) -> Result<(), XlsxError> {
        self.lignes += 1;
        for (j, v) in valeurs.iter().enumerate() {
            self.feuille.write_string(self.lignes, j as u16, *v)?;
        }
        Ok(())
    }

    fn terminer(mut self) -> Result<Worksheet, XlsxError> {
        self.feuille.set_column_width(5, 100)?;
        self.feuille.set_column_width(4, 34)?;
        self.feuille.set_freeze_panes(1, 0)?;
        self.feuille.autofilter(0, 0, self.lignes, 5)?;
        Ok(self.feuille)
    }
}

fn libelle_item(referentiel: Referentiel, code: &str) -> String {
    match referentiel {
        Referentiel::Sio2011(r) => r
            .situation_obligatoire(code)
            .map(|s| format!("{code} {}", s.libelle_court))
            .or_else(|| r.activite(code).map(|a| format!("{code} {}", a.intitule)))
            .unwrap_or_else(|| code.to_string()),
        Referentiel::Sio2019(r) => r
            .competence(code)
            .map(|c| format!("{code} {}", c.intitule))
            .unwrap_or_else(|| code.to_string()),
    }
}
