//! Development aid: renders the documents of a class workbook into a folder, with timings.
//! `cargo run --release --example essai_rendu -- samples/classe-2026.xlsx /tmp/essai`

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let c = siodoc::chargement::charger(std::path::Path::new(&args[1]), None, None).unwrap();
    let (classeur, profil) = (c.classeur.unwrap(), c.profil.unwrap());
    let (docs, _) =
        siodoc::rendu::formulaires::documents(&classeur, &profil, &c.diagnostics, false);
    let moteur = siodoc::rendu::moteur::Moteur::new();
    let opts = siodoc::rendu::moteur::OptionsPdf {
        date: typst::foundations::Datetime::from_ymd(2026, 6, 1).unwrap(),
        identifiant: "essai".into(),
        standards: siodoc::rendu::moteur::standards_pdf("a-2b").unwrap(),
    };
    std::fs::create_dir_all(&args[2]).unwrap();
    let debut = std::time::Instant::now();
    let n = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(usize::MAX);
    for (i, d) in docs.iter().enumerate().take(n) {
        let t = std::time::Instant::now();
        match moteur.pdf(d.modele, &d.donnees, &opts) {
            Ok((pdf, w)) => {
                let nom = format!("{}/{:03}-{}.pdf", args[2], i, d.genre.nom_fichier());
                std::fs::write(&nom, pdf).unwrap();
                std::fs::write(format!("{}/{:03}.json", args[2], i), &d.donnees).unwrap();
                eprintln!("{nom} {:?} {w:?}", t.elapsed());
            }
            Err(e) => eprintln!("ERREUR {}: {e}", d.modele),
        }
        typst::comemo::evict(
            std::env::var("EVICT")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(2),
        );
    }
    eprintln!("total {:?}", debut.elapsed());
}
