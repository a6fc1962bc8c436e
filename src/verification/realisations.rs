//! Rules on each row of `Réalisations` and `Fiches`, taken one at a time.

use crate::classeur::dates::{DateLue, Periode, ProblemeDate, lire_date, lire_periode};
use crate::classeur::{Champ, Classeur, Modalite, Partie, lire_coche};
use crate::diagnostic::Diagnostic;
use crate::referentiel::{OptionSio, Referentiel};

pub fn verifier(
    classeur: &Classeur,
    referentiel: Referentiel,
    session: u16,
    sortie: &mut Vec<Diagnostic>,
) {
    let fenetre = super::fenetre_session(session);
    let mut proches = Proches::default();
    for r in &classeur.realisations {
        let n = r.candidat.texte.as_str();
        let ligne = format!("{}!{}", crate::classeur::schema::REALISATIONS, r.ligne);
        let position = |c: &Champ| {
            if c.cellule.is_empty() {
                ligne.clone()
            } else {
                c.cellule.to_string()
            }
        };
        let mut d_ligne = Vec::new();
        let d = &mut d_ligne;
        super::erreurs_formule(
            [
                &r.candidat,
                &r.partie,
                &r.intitule,
                &r.documents,
                &r.debut,
                &r.fin,
                &r.periode,
                &r.lieu,
                &r.organisation,
                &r.modalite,
                &r.fiche,
            ]
            .into_iter()
            .chain(r.coches.iter().map(|(_, c)| c)),
            n,
            d,
        );
        let candidat = classeur.candidat(n);
        if n.is_empty() {
            d.push(Diagnostic::erreur(
                "realisation-candidat-absent",
                position(&r.candidat),
                "la réalisation n'est rattachée à aucun candidat ; indiquez le N° candidat",
            ));
        } else if candidat.is_none() {
            d.push(Diagnostic::erreur(
                "realisation-candidat-inconnu",
                position(&r.candidat),
                format!(
                    "le N° candidat {n} n'existe pas dans la feuille Candidats{} ; corrigez le numéro ou ajoutez le candidat",
                    proches.indice(classeur, n)
                ),
            ));
        }

        // Marks.
        let mut cochees = 0;
        for (code, c) in &r.coches {
            match lire_coche(&c.brut()) {
                Some(true) => cochees += 1,
                Some(false) => {}
                None if c.est_erreur_formule() => {}
                None => d.push(Diagnostic::erreur(
                    "coche-inconnue",
                    c.cellule.to_string(),
                    format!(
                        "marque « {} » non reconnue dans la colonne {code} ; pour cocher, écrivez X (ou x, ✓, 1, oui) ; \
                         sinon laissez la case vide",
                        c.texte
                    ),
                )),
            }
        }
        if r.intitule.est_vide() {
            if cochees > 0 {
                d.push(Diagnostic::erreur(
                    "coches-sans-intitule",
                    position(&r.intitule),
                    format!("la ligne a {cochees} case(s) cochée(s) mais pas d'intitulé ; écrivez l'intitulé de la réalisation"),
                ));
            } else {
                d.push(Diagnostic::erreur(
                    "intitule-absent",
                    position(&r.intitule),
                    "la réalisation n'a pas d'intitulé ; écrivez-le, ou videz entièrement la ligne",
                ));
            }
        } else if cochees == 0 {
            d.push(Diagnostic::erreur(
                "realisation-sans-coche",
                position(&r.intitule),
                format!(
                    "« {} » ne coche aucune compétence ; cochez d'un X les compétences mises en œuvre",
                    r.intitule.texte
                ),
            ));
        }

        // Ticks outside the candidate's option grid.
        if let Some(option) = candidat.and_then(|c| c.option()) {
            for (code, c) in &r.coches {
                if lire_coche(&c.brut()) == Some(true) && !sur_la_grille(referentiel, code, option)
                {
                    d.push(Diagnostic::erreur(
                        "coche-hors-grille",
                        c.cellule.to_string(),
                        format!(
                            "{code} n'est pas une colonne du tableau de l'option {option} de ce candidat ; \
                             retirez la coche ou corrigez l'option du candidat"
                        ),
                    ));
                }
            }
        }

        // Partie.
        if r.partie.est_vide() {
            d.push(Diagnostic::erreur(
                "partie-inconnue",
                position(&r.partie),
                format!(
                    "la partie n'est pas renseignée ; attendu : {}",
                    libelles_parties()
                ),
            ));
        } else if r.partie().is_none() {
            d.push(Diagnostic::erreur(
                "partie-inconnue",
                position(&r.partie),
                format!(
                    "partie « {} » inconnue ; attendu : {}",
                    r.partie.texte,
                    libelles_parties()
                ),
            ));
        }

        // Modalité.
        if !r.modalite.est_vide() && Modalite::lire(&r.modalite.texte).is_none() {
            d.push(Diagnostic::erreur(
                "modalite-inconnue",
                position(&r.modalite),
                format!(
                    "modalité « {} » inconnue ; attendu « Seul(e) » ou « En équipe »",
                    r.modalite.texte
                ),
            ));
        }

        // Fiche number.
        if !r.fiche.est_vide() && r.numero_fiche().is_none() {
            d.push(Diagnostic::erreur(
                "fiche-numero-invalide",
                position(&r.fiche),
                format!(
                    "« {} » n'est pas un numéro de fiche ; attendu 1 ou 2, ou une case vide",
                    r.fiche.texte
                ),
            ));
        }

        // Dates: Début and Fin, or else a Période cell.
        let mut debut = date(&r.debut, d).map(|x| (x, position(&r.debut)));
        let mut fin = date(&r.fin, d).map(|x| (x, position(&r.fin)));
        if debut.is_none() && fin.is_none() && r.debut.est_vide() && r.fin.est_vide() {
            match lire_periode(&r.periode.brut()) {
                Ok(Periode::Dates { debut: a, fin: b }) => {
                    debut = a.map(|x| (x, position(&r.periode)));
                    fin = b.map(|x| (x, position(&r.periode)));
                }
                Ok(_) => {}
                Err(p) => d.push(probleme_date(&r.periode, p)),
            }
        }
        if let (Some((a, _)), Some((b, place))) = (&debut, &fin)
            && b.dernier_jour() < a.premier_jour()
        {
            d.push(Diagnostic::erreur(
                "date-inversee",
                place.clone(),
                format!(
                    "la fin ({}) est avant le début ({}) ; les deux dates sont sans doute inversées",
                    b.jj_mm_aa(),
                    a.jj_mm_aa()
                ),
            ));
        }
        if let Some((x, place)) = [debut, fin]
            .into_iter()
            .flatten()
            .find(|(x, _)| x.dernier_jour() < fenetre.0 || x.premier_jour() > fenetre.1)
        {
            d.push(Diagnostic::avertissement(
                "date-hors-periode",
                place,
                format!(
                    "la date {} est hors des deux années de formation de la session {session} (du {} au {}) ; vérifiez l'année",
                    x.jj_mm_aa(),
                    fenetre.0.format("%d/%m/%Y"),
                    fenetre.1.format("%d/%m/%Y")
                ),
            ));
        }
        sortie.extend(d_ligne.into_iter().map(|x| x.pour(n)));
    }
    fiches(classeur, referentiel, sortie);
}

/// Whether an item is a column of the option's tableau (2011) or of its fiche (2019 bloc 2).
fn sur_la_grille(referentiel: Referentiel, code: &str, option: OptionSio) -> bool {
    match referentiel {
        Referentiel::Sio2011(r) => match r.activite(code) {
            Some(a) => a.tableau.contains(&option),
            None => true, // SO1–SO4 belong to both options
        },
        Referentiel::Sio2019(r) => r
            .competence(code)
            .is_none_or(|c| c.option.is_none_or(|o| o == option)),
    }
}

fn libelles_parties() -> &'static str {
    Partie::VOCABULAIRE
}

fn date(champ: &Champ, d: &mut Vec<Diagnostic>) -> Option<DateLue> {
    match lire_date(&champ.brut()) {
        Ok(x) => x,
        Err(p) => {
            d.push(probleme_date(champ, p));
            None
        }
    }
}

fn probleme_date(champ: &Champ, p: ProblemeDate) -> Diagnostic {
    match p {
        ProblemeDate::Impossible(t) => Diagnostic::erreur(
            "date-impossible",
            champ.cellule.to_string(),
            format!("la date « {t} » n'existe pas ; vérifiez le jour et le mois (JJ/MM/AAAA)"),
        ),
        ProblemeDate::LettreO(t, corrige) => Diagnostic::erreur(
            "date-lettre-o",
            champ.cellule.to_string(),
            format!(
                "« {t} » contient la lettre O à la place du chiffre zéro ; écrivez « {corrige} »"
            ),
        ),
        ProblemeDate::Ambigue(t) => Diagnostic::erreur(
            "date-ambigue",
            champ.cellule.to_string(),
            format!(
                "« {t} » peut se lire comme un jour et un mois sans année, ou comme un mois et une année ; \
                 écrivez la date entière (JJ/MM/AA, par exemple 02/10/25) ou le mois avec l'année sur quatre \
                 chiffres (MM/AAAA, par exemple 02/2010)"
            ),
        ),
        ProblemeDate::Illisible(t) => Diagnostic::erreur(
            "date-illisible",
            champ.cellule.to_string(),
            format!(
                "« {t} » n'est pas une date ; attendu JJ/MM/AAAA (ou écrivez une période libre dans la colonne Période)"
            ),
        ),
    }
}

/// Rows of `Fiches` taken one at a time.
fn fiches(classeur: &Classeur, referentiel: Referentiel, d: &mut Vec<Diagnostic>) {
    let mut proches = Proches::default();
    for f in &classeur.fiches {
        let n = f.candidat.texte.as_str();
        // The 2011 fiche (annexe IV-1) has no « Description des ressources » field: a text
        // written there would be printed nowhere.
        if matches!(referentiel, Referentiel::Sio2011(_)) && !f.ressources.est_vide() {
            d.push(
                Diagnostic::avertissement(
                    "champ-hors-formulaire",
                    f.ressources.cellule.to_string(),
                    "la fiche descriptive de situation professionnelle (E4, annexe IV-1) n'a pas de champ \
                     « Description des ressources documentaires, matérielles et logicielles utilisées » : \
                     ce texte ne sera imprimé sur aucun document ; reportez-le dans les conditions de \
                     réalisation ou dans le descriptif",
                )
                .pour(n),
            );
        }
        super::erreurs_formule(
            [
                &f.candidat,
                &f.numero,
                &f.conditions,
                &f.ressources,
                &f.acces,
                &f.descriptif,
            ],
            n,
            d,
        );
        let ligne = format!("{}!{}", crate::classeur::schema::FICHES, f.ligne);
        if classeur.candidat(n).is_none() {
            d.push(Diagnostic::erreur(
                "fiche-candidat-inconnu",
                if f.candidat.cellule.is_empty() {
                    ligne.clone()
                } else {
                    f.candidat.cellule.to_string()
                },
                format!(
                    "le N° candidat « {n} » n'existe pas dans la feuille Candidats{}",
                    proches.indice(classeur, n)
                ),
            ));
            continue;
        }
        let Some(numero) = f.numero_fiche() else {
            d.push(
                Diagnostic::erreur(
                    "fiche-numero-invalide",
                    if f.numero.cellule.is_empty() {
                        ligne
                    } else {
                        f.numero.cellule.to_string()
                    },
                    format!(
                        "« {} » n'est pas un numéro de fiche ; attendu 1 ou 2",
                        f.numero.texte
                    ),
                )
                .pour(n),
            );
            continue;
        };
        // A row prepared for a fiche and still blank (as `importer` writes them) has no text to lose.
        let a_du_texte = [&f.conditions, &f.ressources, &f.acces, &f.descriptif]
            .iter()
            .any(|c| !c.est_vide());
        if a_du_texte
            && !classeur
                .realisations_de(n)
                .any(|r| r.numero_fiche() == Some(numero))
        {
            d.push(
                Diagnostic::avertissement(
                    "fiche-sans-realisation",
                    f.numero.cellule.to_string(),
                    format!(
                        "aucune réalisation du candidat {n} n'est marquée « fiche {numero} » dans la feuille Réalisations ; \
                         ce texte ne sera imprimé sur aucune fiche"
                    ),
                )
                .pour(n),
            );
        }
    }
}

/// The candidates' numbers with spaces and case set aside, made the first time a number is
/// not found (once per check, whatever the number of réalisations).
#[derive(Default)]
struct Proches<'a>(Option<std::collections::HashMap<String, &'a Champ>>);

impl<'a> Proches<'a> {
    /// « (la cellule Candidats!A3 porte « 026 000 102 », le même numéro écrit autrement…) »
    /// when an unknown number is a candidate's once spaces and case are set aside: the two
    /// are not taken for one another (no silent guess), but the teacher is told where the
    /// other spelling is.
    fn indice(&mut self, classeur: &'a Classeur, n: &str) -> String {
        let cle = cle_de_numero(n);
        if cle.is_empty() {
            return String::new();
        }
        let index = self.0.get_or_insert_with(|| {
            let mut index = std::collections::HashMap::new();
            for c in &classeur.candidats {
                index
                    .entry(cle_de_numero(&c.numero.texte))
                    .or_insert(&c.numero);
            }
            index
        });
        match index.get(&cle) {
            Some(numero) => format!(
                " (la cellule {} porte « {} », le même numéro écrit autrement : écrivez-le partout de la même façon)",
                numero.cellule, numero.texte
            ),
            None => String::new(),
        }
    }
}

fn cle_de_numero(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}' && *c != '\u{FEFF}')
        .flat_map(char::to_uppercase)
        .collect()
}
