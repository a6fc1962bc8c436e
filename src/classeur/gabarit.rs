//! Writes the class workbook template (`siodoc modele`): the sheets of [`super::schema`], with
//! drop-downs, date validation, a comment per tick column giving its official wording, red rows
//! for réalisations without any tick, and a `Lisez-moi` sheet. Optionally filled with a class.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{
    Color, ConditionalFormatFormula, DataValidation, DataValidationRule, DocProperties,
    ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Note, Workbook, Worksheet,
    XlsxError,
};

use super::schema::{self, Colonne, ColonneCoche};
use super::{Modalite, Partie};
use crate::referentiel::OptionSio;
use crate::session::ProfilSession;

/// What to write in the template's data sheets (empty for a blank template).
#[derive(Clone, Debug, Default)]
pub struct Contenu {
    pub parametres: ContenuParametres,
    pub candidats: Vec<LigneCandidat>,
    pub realisations: Vec<LigneRealisation>,
    pub fiches: Vec<LigneFiche>,
}

#[derive(Clone, Debug, Default)]
pub struct ContenuParametres {
    pub centre: String,
    pub academie: String,
    pub classe: String,
    pub formateur: String,
    pub date: Option<NaiveDate>,
}

#[derive(Clone, Debug, Default)]
pub struct LigneCandidat {
    pub numero: String,
    pub nom: String,
    pub prenom: String,
    pub option: Option<OptionSio>,
    pub portfolio: String,
    pub epreuve: String,
}

#[derive(Clone, Debug)]
pub struct LigneRealisation {
    pub candidat: String,
    pub partie: Partie,
    pub intitule: String,
    pub documents: String,
    pub debut: Option<NaiveDate>,
    pub fin: Option<NaiveDate>,
    pub periode: String,
    pub lieu: String,
    pub organisation: String,
    pub modalite: Option<Modalite>,
    /// Codes of the ticked items.
    pub coches: Vec<String>,
    /// Marks not understood, kept as written so that `verifier` reports them: (code, text).
    pub marques: Vec<(String, String)>,
    pub fiche: Option<u8>,
}

#[derive(Clone, Debug, Default)]
pub struct LigneFiche {
    pub candidat: String,
    pub numero: u8,
    pub conditions: String,
    pub ressources: String,
    pub acces: String,
    pub descriptif: String,
}

/// Rows prepared with drop-downs and formats beyond the data.
const LIGNES_PREPAREES: u32 = 1000;

const LISTES: &str = "Listes";

/// The template as XLSX bytes. `option` restricts the tick columns and the option drop-down.
pub fn ecrire(
    profil: &ProfilSession,
    option: Option<OptionSio>,
    contenu: &Contenu,
) -> Result<Vec<u8>, XlsxError> {
    let referentiel = profil.referentiel.charger();
    let options: Vec<OptionSio> = option.map_or(OptionSio::TOUTES.to_vec(), |o| vec![o]);
    let coches = schema::colonnes_coches(referentiel, &options);

    let mut wb = Workbook::new();
    // Fixed date: the same class gives the same bytes.
    let date_fixe = ExcelDateTime::from_ymd(profil.session.saturating_sub(1), 9, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_title(format!(
                "Classeur de classe BTS SIO, session {}",
                profil.session
            ))
            .set_author("siodoc")
            .set_creation_datetime(&date_fixe),
    );

    let gras = Format::new().set_bold();
    let entete = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xDDEBF7))
        .set_border(FormatBorder::Thin);
    let texte = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let retour = Format::new().set_text_wrap().set_align(FormatAlign::Top);

    lisez_moi(wb.add_worksheet(), profil, &coches, &gras)?;

    // Hidden lists behind defined names: inline lists are capped at 255 characters.
    let listes: [(&str, Vec<String>); 6] = [
        (
            "Options",
            options.iter().map(|o| o.code().to_string()).collect(),
        ),
        (
            "Parties",
            Partie::TOUTES
                .iter()
                .map(|p| p.libelle().to_string())
                .collect(),
        ),
        (
            "Modalites",
            [Modalite::Seul, Modalite::EnEquipe]
                .iter()
                .map(|m| m.libelle().to_string())
                .collect(),
        ),
        ("Coche", vec!["X".to_string()]),
        ("NumerosFiche", vec!["1".to_string(), "2".to_string()]),
        (
            "Epreuves",
            vec!["Ponctuelle".to_string(), "CCF".to_string()],
        ),
    ];
    {
        let ws = wb.add_worksheet();
        ws.set_name(LISTES)?;
        for (i, (_, valeurs)) in listes.iter().enumerate() {
            for (j, v) in valeurs.iter().enumerate() {
                ws.write_string(j as u32, i as u16, v)?;
            }
        }
        ws.set_hidden(true);
    }
    for (i, (nom, valeurs)) in listes.iter().enumerate() {
        let col = super::feuille::lettres_colonne(i);
        wb.define_name(
            *nom,
            &format!("={LISTES}!${col}$1:${col}${}", valeurs.len()),
        )?;
    }
    let liste =
        |nom: &str| DataValidation::new().allow_list_formula(Formula::new(format!("={nom}")));

    // Paramètres.
    {
        let ws = wb.add_worksheet();
        ws.set_name(schema::PARAMETRES)?;
        ws.set_column_width(0, 28)?;
        ws.set_column_width(1, 45)?;
        let p = &contenu.parametres;
        for (i, (cle, libelle, _)) in schema::LIGNES_PARAMETRES.iter().enumerate() {
            let l = i as u32;
            ws.write_string_with_format(l, 0, *libelle, &gras)?;
            match *cle {
                "session" => {
                    ws.write_number(l, 1, f64::from(profil.session))?;
                }
                "centre" => {
                    ws.write_string(l, 1, &p.centre)?;
                }
                "academie" => {
                    ws.write_string(l, 1, &p.academie)?;
                }
                "classe" => {
                    ws.write_string(l, 1, &p.classe)?;
                }
                "formateur" => {
                    ws.write_string(l, 1, &p.formateur)?;
                }
                "date" => {
                    ws.set_cell_format(l, 1, &date)?;
                    if let Some(d) = p.date {
                        ws.write_datetime_with_format(l, 1, excel_date(d)?, &date)?;
                    }
                    ws.add_data_validation(l, 1, l, 1, &validation_date()?)?;
                }
                _ => {}
            }
        }
        ws.write_string(
            8,
            0,
            "Remplissez la colonne B. La session décide du référentiel et des épreuves imprimées sur les documents.",
        )?;
    }

    // Candidats.
    {
        let ws = wb.add_worksheet();
        ws.set_name(schema::CANDIDATS)?;
        entetes(ws, schema::COLONNES_CANDIDATS, &[], &entete)?;
        let col = |cle: &str| colonne(schema::COLONNES_CANDIDATS, cle);
        ws.set_column_format(col("numero"), &texte)?;
        ws.add_data_validation(
            1,
            col("option"),
            LIGNES_PREPAREES,
            col("option"),
            &liste("Options"),
        )?;
        ws.add_data_validation(
            1,
            col("epreuve"),
            LIGNES_PREPAREES,
            col("epreuve"),
            &liste("Epreuves"),
        )?;
        for (i, c) in contenu.candidats.iter().enumerate() {
            let l = i as u32 + 1;
            ws.write_string_with_format(l, col("numero"), &c.numero, &texte)?;
            ws.write_string(l, col("nom"), &c.nom)?;
            ws.write_string(l, col("prenom"), &c.prenom)?;
            if let Some(o) = c.option {
                ws.write_string(l, col("option"), o.code())?;
            }
            ws.write_string(l, col("portfolio"), &c.portfolio)?;
            ws.write_string(l, col("epreuve"), &c.epreuve)?;
        }
    }

    // Réalisations.
    {
        let ws = wb.add_worksheet();
        ws.set_name(schema::REALISATIONS)?;
        let cols = schema::COLONNES_REALISATIONS;
        entetes(ws, cols, &coches, &entete)?;
        let col = |cle: &str| colonne(cols, cle);
        let premiere_coche = cols.len() as u16;
        let derniere_coche = premiere_coche + coches.len() as u16 - 1;
        ws.set_column_format(col("candidat"), &texte)?;
        ws.set_column_format(col("debut"), &date)?;
        ws.set_column_format(col("fin"), &date)?;
        for cle in ["intitule", "documents"] {
            ws.set_column_format(col(cle), &retour)?;
        }
        ws.add_data_validation(
            1,
            col("partie"),
            LIGNES_PREPAREES,
            col("partie"),
            &liste("Parties"),
        )?;
        ws.add_data_validation(
            1,
            col("modalite"),
            LIGNES_PREPAREES,
            col("modalite"),
            &liste("Modalites"),
        )?;
        ws.add_data_validation(
            1,
            col("fiche"),
            LIGNES_PREPAREES,
            col("fiche"),
            &liste("NumerosFiche"),
        )?;
        for c in [col("debut"), col("fin")] {
            ws.add_data_validation(1, c, LIGNES_PREPAREES, c, &validation_date()?)?;
        }
        if !coches.is_empty() {
            ws.add_data_validation(
                1,
                premiere_coche,
                LIGNES_PREPAREES,
                derniere_coche,
                &liste("Coche"),
            )?;
            // A réalisation with a title and no tick at all is shown red.
            let intitule = super::feuille::lettres_colonne(col("intitule") as usize);
            let a = super::feuille::lettres_colonne(premiere_coche as usize);
            let b = super::feuille::lettres_colonne(derniere_coche as usize);
            let rouge = Format::new()
                .set_background_color(Color::RGB(0xFFC7CE))
                .set_font_color(Color::RGB(0x9C0006));
            ws.add_conditional_format(
                1,
                0,
                LIGNES_PREPAREES,
                derniere_coche,
                &ConditionalFormatFormula::new()
                    .set_rule(format!("=AND(${intitule}2<>\"\",COUNTA(${a}2:${b}2)=0)").as_str())
                    .set_format(rouge),
            )?;
        }
        let centre = Format::new().set_align(FormatAlign::Center);
        for (i, r) in contenu.realisations.iter().enumerate() {
            let l = i as u32 + 1;
            ws.write_string_with_format(l, col("candidat"), &r.candidat, &texte)?;
            ws.write_string(l, col("partie"), r.partie.libelle())?;
            ws.write_string_with_format(l, col("intitule"), &r.intitule, &retour)?;
            ws.write_string_with_format(l, col("documents"), &r.documents, &retour)?;
            for (cle, d) in [("debut", r.debut), ("fin", r.fin)] {
                if let Some(d) = d {
                    ws.write_datetime_with_format(l, col(cle), excel_date(d)?, &date)?;
                }
            }
            ws.write_string(l, col("periode"), &r.periode)?;
            ws.write_string(l, col("lieu"), &r.lieu)?;
            ws.write_string(l, col("organisation"), &r.organisation)?;
            if let Some(m) = r.modalite {
                ws.write_string(l, col("modalite"), m.libelle())?;
            }
            for (j, c) in coches.iter().enumerate() {
                if r.coches.contains(&c.code) {
                    ws.write_string_with_format(l, premiere_coche + j as u16, "X", &centre)?;
                } else if let Some((_, m)) = r.marques.iter().find(|(code, _)| *code == c.code) {
                    ws.write_string_with_format(l, premiere_coche + j as u16, m, &centre)?;
                }
            }
            if let Some(f) = r.fiche {
                ws.write_number(l, col("fiche"), f64::from(f))?;
            }
        }
    }

    // Fiches.
    {
        let ws = wb.add_worksheet();
        ws.set_name(schema::FICHES)?;
        let cols = schema::COLONNES_FICHES;
        entetes(ws, cols, &[], &entete)?;
        let col = |cle: &str| colonne(cols, cle);
        ws.set_column_format(col("candidat"), &texte)?;
        for cle in ["conditions", "ressources", "acces", "descriptif"] {
            ws.set_column_format(col(cle), &retour)?;
        }
        ws.add_data_validation(
            1,
            col("numero"),
            LIGNES_PREPAREES,
            col("numero"),
            &liste("NumerosFiche"),
        )?;
        for (i, f) in contenu.fiches.iter().enumerate() {
            let l = i as u32 + 1;
            ws.write_string_with_format(l, col("candidat"), &f.candidat, &texte)?;
            ws.write_number(l, col("numero"), f64::from(f.numero))?;
            ws.write_string_with_format(l, col("conditions"), &f.conditions, &retour)?;
            ws.write_string_with_format(l, col("ressources"), &f.ressources, &retour)?;
            ws.write_string_with_format(l, col("acces"), &f.acces, &retour)?;
            ws.write_string_with_format(l, col("descriptif"), &f.descriptif, &retour)?;
        }
    }
    wb.save_to_buffer()
}

fn colonne(colonnes: &[Colonne], cle: &str) -> u16 {
    colonnes.iter().position(|c| c.cle == cle).unwrap_or(0) as u16
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

fn validation_date() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_date(DataValidationRule::Between(
            ExcelDateTime::from_ymd(2000, 1, 1)?,
            ExcelDateTime::from_ymd(2100, 12, 31)?,
        ))
        .set_error_message("Écrivez une date au format JJ/MM/AAAA.")
}

/// Header row: bold, frozen, with help as comments; tick columns after the named ones.
fn entetes(
    ws: &mut Worksheet,
    colonnes: &[Colonne],
    coches: &[ColonneCoche],
    format: &Format,
) -> Result<(), XlsxError> {
    for (i, c) in colonnes.iter().enumerate() {
        let i = i as u16;
        ws.write_string_with_format(0, i, c.entete, format)?;
        ws.set_column_width(i, c.largeur)?;
        if !c.aide.is_empty() {
            ws.insert_note(
                0,
                i,
                &Note::new(c.aide)
                    .set_author("siodoc")
                    .add_author_prefix(false),
            )?;
        }
    }
    let premiere = colonnes.len() as u16;
    for (j, c) in coches.iter().enumerate() {
        let i = premiere + j as u16;
        ws.write_string_with_format(0, i, &c.entete, format)?;
        ws.set_column_width(i, if c.entete.len() > 8 { 16 } else { 7 })?;
        ws.insert_note(
            0,
            i,
            &Note::new(&c.libelle)
                .set_author("siodoc")
                .add_author_prefix(false)
                .set_width(360)
                .set_height(200),
        )?;
    }
    let hauteur = if coches.iter().any(|c| c.entete.len() > 8) {
        75
    } else {
        30
    };
    ws.set_row_height(0, hauteur)?;
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn lisez_moi(
    ws: &mut Worksheet,
    profil: &ProfilSession,
    coches: &[ColonneCoche],
    gras: &Format,
) -> Result<(), XlsxError> {
    ws.set_name("Lisez-moi")?;
    ws.set_column_width(0, 110)?;
    let tableau = &profil.tableau_synthese;
    let fiche = &profil.fiche_descriptive;
    let lignes: Vec<String> = vec![
        format!("Classeur de classe BTS SIO, session {} (référentiel {})", profil.session, profil.referentiel),
        String::new(),
        "Ce classeur décrit toute la classe ; siodoc le vérifie (siodoc verifier) puis produit les documents de chaque candidat.".into(),
        String::new(),
        "Paramètres : la session, le centre de formation, l'académie, la classe, le formateur ou la formatrice, la date des documents.".into(),
        "Candidats : une ligne par candidat ; le N° candidat est un texte (les zéros en tête sont gardés) ; option SISR ou SLAM.".into(),
        format!(
            "Réalisations : une ligne par réalisation, avec la partie du {} où elle figure, son intitulé, ses dates, puis une case par compétence (X pour cocher).",
            tableau.titre.to_lowercase()
        ),
        format!(
            "    Colonne « Fiche n° » : 1 ou 2 pour les deux réalisations décrites sur une {} ({}).",
            fiche.titre.to_lowercase(),
            fiche.libelle_epreuve(OptionSio::Sisr).split(" - ").next().unwrap_or_default()
        ),
        "    Une réalisation avec un intitulé mais sans aucune case cochée apparaît en rouge.".into(),
        "    Le commentaire de chaque en-tête de case donne le libellé officiel complet.".into(),
        "Fiches : pour chaque fiche (N° candidat + n° de fiche), les conditions de réalisation, les ressources, l'accès aux productions et le descriptif.".into(),
        String::new(),
        "Les colonnes sont reconnues par leur en-tête (majuscules, accents et ponctuation ignorés) : on peut les déplacer, pas les renommer.".into(),
        format!("Cases à cocher de cette session : {}.", coches.iter().map(|c| c.code.as_str()).collect::<Vec<_>>().join(", ")),
    ];
    for (i, l) in lignes.iter().enumerate() {
        if i == 0 {
            ws.write_string_with_format(i as u32, 0, l, gras)?;
        } else {
            ws.write_string(i as u32, 0, l)?;
        }
    }
    Ok(())
}
