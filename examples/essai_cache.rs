//! Development aid: time of each tableau compiled in a row, to see what stays cached.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let c = siodoc::chargement::charger(std::path::Path::new(&args[1]), None, None).unwrap();
    let (classeur, profil) = (c.classeur.unwrap(), c.profil.unwrap());
    let (docs, _) =
        siodoc::rendu::formulaires::documents(&classeur, &profil, &c.diagnostics, false);
    let moteur = match std::env::var("MODELES") {
        Ok(d) => siodoc::rendu::moteur::Moteur::depuis_dossier(std::path::Path::new(&d)).unwrap(),
        Err(_) => siodoc::rendu::moteur::Moteur::new(),
    };
    let date = typst::foundations::Datetime::from_ymd(2026, 6, 1).unwrap();
    let evict: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2);
    for genre in ["tableau", "fiche"] {
        let choisis: Vec<_> = docs
            .iter()
            .filter(|d| d.genre.nom_fichier().starts_with(genre))
            .take(30)
            .collect();
        let mut temps = Vec::new();
        for d in &choisis {
            let t = std::time::Instant::now();
            let _ = moteur.compiler(d.modele, &d.donnees, date).unwrap();
            let compile = t.elapsed();
            temps.push(format!("{:.1}", compile.as_secs_f64() * 1000.0));
            typst::comemo::evict(evict);
        }
        let moyenne: f64 = temps
            .iter()
            .skip(2)
            .map(|t| t.parse::<f64>().unwrap())
            .sum::<f64>()
            / (temps.len() - 2) as f64;
        println!("{genre} (evict {evict}): moyenne {moyenne:.1} ms");
    }
}
