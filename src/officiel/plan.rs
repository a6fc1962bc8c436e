//! Where things go in a blank official tableau: the cells its landmarks designate, found by the
//! same functions that read a filled one (`importer`), so that what siodoc can read it can fill
//! (`generer --modele-officiel`). Coordinates are 0-based (row, column) of the sheet.

use crate::classeur::Partie;
use crate::classeur::feuille::Feuille;
use crate::classeur::schema::normaliser;
use crate::referentiel::{self, OptionSio, Referentiel};

use super::reperes::{self, Repere};
use super::{Modele, Reperes, colonnes_2011, colonnes_2019};

/// A cell of the template and the text it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Cible {
    pub ligne: usize,
    pub colonne: usize,
    pub texte: String,
}

/// A part of the grid: its title row and the rows the template gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PartiePlan {
    pub titre: usize,
    pub premiere: usize,
    pub lignes: usize,
}

/// The landmarks of one sheet of an official tableau.
#[derive(Clone, Debug)]
pub struct Plan {
    pub modele: Modele,
    pub feuille: String,
    pub nom: Cible,
    pub numero: Cible,
    /// 2019 only (2011: the centre is in the formateur's attestation).
    pub centre: Option<Cible>,
    /// 2019 from 2023; `None` on the 2022 template.
    pub url: Option<Cible>,
    /// « SESSION 20xx » (2019), the title row (2011).
    pub session: Cible,
    /// 2019: the two boxes « ▢ SISR » « ▢ SLAM ».
    pub cases_option: Vec<(OptionSio, Cible)>,
    /// 2011: « Je soussigné-e …, formatrice (formateur) au centre de formation …, certifie… ».
    pub attestation: Option<Cible>,
    pub col_intitule: usize,
    pub col_periode: usize,
    /// Tick columns: (column, code), in the form's order.
    pub colonnes: Vec<(usize, String)>,
    pub parties: [PartiePlan; 3],
    /// The first cell of a part's rows that already holds something (a filled copy given as
    /// the template), as « Feuille!A9 » and its text.
    pub deja_rempli: Option<(String, String)>,
}

/// The first filled cell of the parts' rows: a template must be blank there, or another
/// candidate's réalisations would stay under the ones written.
fn deja_rempli(f: &Feuille, plan: &Plan) -> Option<(String, String)> {
    let mut colonnes = vec![plan.col_intitule, plan.col_periode];
    colonnes.extend(plan.colonnes.iter().map(|(c, _)| *c));
    plan.parties.iter().find_map(|p| {
        (p.premiere..p.premiere + p.lignes).find_map(|l| {
            colonnes.iter().find_map(|&c| {
                let t = f.cellule(l, c).texte();
                (!t.trim().is_empty())
                    .then(|| (crate::classeur::feuille::reference(&f.nom, l, c), t))
            })
        })
    })
}

/// The plan with what it says of the sheet's rows.
fn avec_contenu(f: &Feuille, plan: Result<Plan, Vec<String>>) -> Result<Plan, Vec<String>> {
    let mut plan = plan?;
    plan.deja_rempli = deja_rempli(f, &plan);
    Ok(plan)
}

/// The plan of a template's sheets. 2011: the sheet of `option`'s parcours. `Err`: the landmarks
/// that could not be found, by their printed label, or why no sheet is a tableau.
pub fn plan(feuilles: &[Feuille], option: OptionSio) -> Result<Plan, Vec<String>> {
    let r2019 = referentiel::ReferentielId::Sio2019.charger();
    let r2011 = referentiel::ReferentielId::Sio2011.charger();
    if let Referentiel::Sio2019(r) = r2019 {
        for f in feuilles {
            if let Some((tetes, colonnes)) = colonnes_2019(f, r) {
                return avec_contenu(f, plan_2019(f, tetes, colonnes));
            }
        }
    }
    let grilles: Vec<_> = feuilles
        .iter()
        .filter_map(|f| colonnes_2011(f, r2011).map(|c| (f, c)))
        .collect();
    if !grilles.is_empty() {
        let du_parcours = grilles.iter().find(|(f, _)| {
            let reperes = Reperes::de(f);
            reperes
                .get(Repere::Option)
                .and_then(|(_, _, v)| OptionSio::lire(v))
                .or_else(|| OptionSio::lire(&f.nom))
                == Some(option)
        });
        let Some((f, (tetes, colonnes))) = du_parcours else {
            return Err(vec![format!(
                "feuille du parcours {} (feuilles de grille trouvées : {})",
                option.code(),
                grilles
                    .iter()
                    .map(|(f, _)| format!("« {} »", f.nom))
                    .collect::<Vec<_>>()
                    .join(", ")
            )]);
        };
        return avec_contenu(f, plan_2011(f, *tetes, colonnes.clone()));
    }
    Err(vec![
        "têtes de colonnes des compétences (« Gérer le patrimoine informatique »…) ou des activités de 2011 \
         (« A1.1.1 , … »)"
            .into(),
    ])
}

fn cible(f: &Feuille, (l, c): (usize, usize)) -> Cible {
    Cible {
        ligne: l,
        colonne: c,
        texte: f.cellule(l, c).texte(),
    }
}

/// A landmark's cell, or its label pushed on the missing ones.
fn repere(f: &Feuille, r: &Reperes, quoi: Repere, manquants: &mut Vec<String>) -> Option<Cible> {
    match r.get(quoi) {
        Some((l, c, _)) => Some(cible(f, (l, c))),
        None => {
            manquants.push(quoi.libelle().to_string());
            None
        }
    }
}

/// The part title rows under the heads: the first row announcing each part, in order.
fn titres_de_parties(f: &Feuille, debut: usize, col: usize, fin: usize) -> [Option<usize>; 3] {
    let mut titres = [None; 3];
    let mut suivante = 0;
    for l in debut..fin {
        let t = f.cellule(l, col).texte();
        if let Some(annonce) = reperes::titre_de_partie(&t) {
            let p = annonce.unwrap_or(Partie::TOUTES[suivante.min(2)]);
            let i = crate::officiel::mise_en_page::indice(p);
            if titres[i].is_none() && i >= suivante {
                titres[i] = Some(l);
                suivante = i + 1;
            }
        }
    }
    titres
}

fn parties(
    titres: [Option<usize>; 3],
    fin_derniere: impl Fn(usize) -> usize,
    manquants: &mut Vec<String>,
    libelles: [&str; 3],
) -> Option<[PartiePlan; 3]> {
    let mut plans = [PartiePlan {
        titre: 0,
        premiere: 0,
        lignes: 0,
    }; 3];
    for i in 0..3 {
        let Some(t) = titres[i] else {
            manquants.push(libelles[i].to_string());
            continue;
        };
        let fin = match titres.get(i + 1).copied().flatten() {
            Some(suivant) => suivant,
            None => fin_derniere(t),
        };
        plans[i] = PartiePlan {
            titre: t,
            premiere: t + 1,
            lignes: fin.saturating_sub(t + 1).max(1),
        };
    }
    titres.iter().all(Option::is_some).then_some(plans)
}

fn plan_2019(
    f: &Feuille,
    tetes: usize,
    colonnes: Vec<(usize, String)>,
) -> Result<Plan, Vec<String>> {
    use crate::officiel::mise_en_page::sio2019 as m;
    let r = Reperes::de(f);
    let mut manquants = Vec::new();
    if colonnes.len() < 6 {
        manquants.push(format!(
            "les six compétences du bloc 1 en têtes de colonnes ({} trouvées)",
            colonnes.len()
        ));
    }
    let nom = repere(f, &r, Repere::NomPrenom, &mut manquants);
    let numero = repere(f, &r, Repere::NumeroCandidat, &mut manquants);
    let centre = repere(f, &r, Repere::CentreFormation, &mut manquants);
    let session = repere(f, &r, Repere::Session, &mut manquants);
    let option = repere(f, &r, Repere::Option, &mut manquants);
    let periode = repere(f, &r, Repere::Periode, &mut manquants);
    let intitules = repere(f, &r, Repere::Intitules, &mut manquants);
    // The 2022 template, the one known without a URL row, is told by its other landmarks.
    let url = r
        .get(Repere::AdressePortfolio)
        .map(|(l, c, _)| cible(f, (l, c)));
    let mut cases_option = Vec::new();
    if let Some(o) = &option {
        let ligne = f.lignes.get(o.ligne).map_or(&[][..], Vec::as_slice);
        for (c, cel) in ligne.iter().enumerate().skip(o.colonne) {
            let n = normaliser(&cel.texte());
            for x in OptionSio::TOUTES {
                if n.ends_with(&x.code().to_lowercase())
                    && !cases_option.iter().any(|(y, _)| *y == x)
                {
                    cases_option.push((x, cible(f, (o.ligne, c))));
                }
            }
        }
        if cases_option.len() < 2 {
            manquants.push("cases « ▢ SISR » et « ▢ SLAM » à droite de « Option : »".into());
        }
    }
    // Data rows start under the heads and the sub-items row.
    let sous_items = colonnes.iter().any(|(c, _)| {
        let t = f.cellule(tetes + 1, *c).texte();
        t.contains('▸') || t.chars().count() > 40
    });
    let debut = tetes + 1 + usize::from(sous_items);
    let col_intitule = intitules.as_ref().map_or(0, |c| c.colonne);
    let titres = titres_de_parties(f, debut, col_intitule, debut + 400);
    // The last part ends where the template's rows do: its row count in the blank file.
    let parties = parties(
        titres,
        |t| t + 1 + m::LIGNES_PARTIES[2],
        &mut manquants,
        m::TITRES_PARTIES,
    );
    if !manquants.is_empty() {
        return Err(manquants);
    }
    let (Some(nom), Some(numero), Some(session), Some(periode), Some(parties)) =
        (nom, numero, session, periode, parties)
    else {
        return Err(vec!["repères".into()]);
    };
    Ok(Plan {
        deja_rempli: None,
        modele: Modele::Sio2019 {
            sans_url: url.is_none(),
        },
        feuille: f.nom.clone(),
        nom,
        numero,
        centre,
        url,
        session,
        cases_option,
        attestation: None,
        col_intitule,
        col_periode: periode.colonne,
        colonnes,
        parties,
    })
}

fn plan_2011(
    f: &Feuille,
    tetes: usize,
    colonnes: Vec<(usize, String)>,
) -> Result<Plan, Vec<String>> {
    use crate::officiel::mise_en_page::sio2011 as m;
    let r = Reperes::de(f);
    let mut manquants = Vec::new();
    let nom = repere(f, &r, Repere::NomPrenom, &mut manquants);
    let numero = repere(f, &r, Repere::NumeroCandidat, &mut manquants);
    let periode = repere(f, &r, Repere::Periode, &mut manquants);
    let intitules = repere(f, &r, Repere::Intitules, &mut manquants);
    // The session is in the title row: « … - SESSION 20xx - TABLEAU DE SYNTHESE ».
    let session = (0..tetes.min(6)).find_map(|l| {
        let ligne = f.lignes.get(l)?;
        ligne.iter().enumerate().find_map(|(c, cel)| {
            let t = cel.texte();
            t.to_ascii_uppercase()
                .contains("SESSION")
                .then(|| cible(f, (l, c)))
        })
    });
    if session.is_none() {
        manquants.push("SESSION (ligne de titre)".into());
    }
    let col_intitule = intitules.as_ref().map_or(0, |c| c.colonne);
    let hauteur = f.hauteur();
    let attestation = (tetes + 1..hauteur).find_map(|l| {
        let t = f.cellule(l, col_intitule).texte();
        normaliser(&t)
            .starts_with("jesoussigne")
            .then(|| cible(f, (l, col_intitule)))
    });
    if attestation.is_none() {
        manquants.push("Je soussigné-e …, formatrice (formateur) au centre de formation …".into());
    }
    let fin = attestation.as_ref().map_or(hauteur, |a| a.ligne);
    let titres = titres_de_parties(f, tetes + 1, col_intitule, fin);
    let parties = parties(titres, |_| fin, &mut manquants, m::TITRES_PARTIES);
    if !manquants.is_empty() {
        return Err(manquants);
    }
    let (Some(nom), Some(numero), Some(session), Some(periode), Some(parties)) =
        (nom, numero, session, periode, parties)
    else {
        return Err(vec!["repères".into()]);
    };
    Ok(Plan {
        deja_rempli: None,
        modele: Modele::Sio2011,
        feuille: f.nom.clone(),
        nom,
        numero,
        centre: None,
        url: None,
        session,
        cases_option: Vec::new(),
        attestation,
        col_intitule,
        col_periode: periode.colonne,
        colonnes,
        parties,
    })
}
