//! `siodoc archiver --certificat`: PAdES signatures checked by poppler's `pdfsig` and OpenSSL,
//! as independent verifiers, and by `verifier-archive`; a change after signing is caught by all.

mod commun;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sha2::Digest;
use siodoc::archive::Manifeste;

fn siodoc(args: &[&str], mot_de_passe: Option<&str>) -> Output {
    let mut c = Command::new(commun::siodoc_bin());
    c.args(args).env_remove("SIODOC_P12_PASSWORD");
    if let Some(m) = mot_de_passe {
        c.env("SIODOC_P12_PASSWORD", m);
    }
    c.output().unwrap()
}

fn outil(programme: &str, args: &[&str], dossier: &Path) -> Output {
    Command::new(programme)
        .args(args)
        .current_dir(dossier)
        .output()
        .unwrap_or_else(|e| panic!("{programme} introuvable ({e}) : .ci/run l'installe"))
}

/// Runs openssl in `dossier`; it must succeed.
fn openssl(args: &[&str], dossier: &Path) {
    let o = outil("openssl", args, dossier);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// OpenSSL, an independent verifier, checks the manifest's detached signature in `dossier`.
fn manifeste_accepte_par_openssl(dossier: &Path) {
    openssl(
        &[
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-in",
            "manifeste.json.p7s",
            "-content",
            "manifeste.json",
            "-noverify",
            "-out",
            "/dev/null",
        ],
        dossier,
    );
}

/// `siodoc archiver CLASSE --certificat P12` with that password in the environment; these runs
/// stop at the certificate or the class folder, before writing anything.
fn sceller(classe: &str, p12: &str, mot_de_passe: Option<&str>) -> Output {
    siodoc(&["archiver", classe, "--certificat", p12], mot_de_passe)
}

/// The one file `archiver` wrote in `dossier`: the class's ZIP.
fn seul_fichier(dossier: &Path) -> PathBuf {
    let fichiers: Vec<_> = std::fs::read_dir(dossier)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(fichiers.len(), 1, "{fichiers:?}");
    fichiers.into_iter().next().unwrap()
}

/// The French error of an archiving run that stops at the certificate `p12` (exit code 2).
fn refus(classe: &Path, p12: &Path, mot_de_passe: &str) -> String {
    let a = sceller(
        classe.to_str().unwrap(),
        p12.to_str().unwrap(),
        Some(mot_de_passe),
    );
    let erreurs = String::from_utf8_lossy(&a.stderr).trim().to_string();
    assert_eq!(a.status.code(), Some(2), "{erreurs}");
    erreurs
}

/// Exports a key and its certificate to a PKCS#12 file protected by « secret ».
fn pkcs12(dossier: &Path, cle: &str, certificat: &str, p12: &str) {
    openssl(
        &[
            "pkcs12",
            "-export",
            "-inkey",
            cle,
            "-in",
            certificat,
            "-out",
            p12,
            "-passout",
            "pass:secret",
        ],
        dossier,
    );
}

/// A self-signed RSA certificate and its key in a PKCS#12 file protected by « secret ».
fn certificat(dir: &Path) -> PathBuf {
    let sujet = "/CN=Lycée Jules-Verne (essai)/O=siodoc";
    openssl(
        &[
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "cle.pem", "-out",
            "cert.pem", "-days", "30", "-utf8", "-subj", sujet,
        ],
        dir,
    );
    pkcs12(dir, "cle.pem", "cert.pem", "sceau.p12");
    dir.join("sceau.p12")
}

/// Generates a bundled sample class into `sortie` and returns its class folder.
fn generer(echantillon: &str, sortie: &Path) -> PathBuf {
    let echantillon = Path::new(env!("CARGO_MANIFEST_DIR")).join(echantillon);
    let g = siodoc(
        &[
            "generer",
            echantillon.to_str().unwrap(),
            "-o",
            sortie.to_str().unwrap(),
        ],
        None,
    );
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    std::fs::read_dir(sortie)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.is_dir())
        .unwrap()
}

/// Generates the 2026 sample class and archives it sealed, then extracts the ZIP.
fn archive_scellee(dir: &Path) -> (PathBuf, PathBuf) {
    let classe = generer("samples/classe-2026.xlsx", &dir.join("sortie"));
    let p12 = certificat(dir);
    let archive = dir.join("archive");
    let a = siodoc(
        &[
            "archiver",
            classe.to_str().unwrap(),
            "--certificat",
            p12.to_str().unwrap(),
            "-o",
            archive.to_str().unwrap(),
        ],
        Some("secret"),
    );
    let erreurs = String::from_utf8_lossy(&a.stderr);
    assert!(a.status.success(), "{erreurs}");
    assert!(
        erreurs.contains(
            "Scellé par « O=siodoc,CN=Lycée Jules-Verne (essai) » : 43 PDF signés (PAdES B-B)"
        ),
        "{erreurs}"
    );
    let zip = archive.join("BTS SIO 26.zip");
    let extrait = dir.join("extrait");
    let mut a = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    for i in 0..a.len() {
        let mut e = a.by_index(i).unwrap();
        let mut o = Vec::new();
        e.read_to_end(&mut o).unwrap();
        let p = extrait.join(e.name().unwrap().as_ref() as &str);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, o).unwrap();
    }
    (zip, extrait)
}

fn pdfsig(pdf: &Path) -> String {
    let o = outil("pdfsig", &[pdf.to_str().unwrap()], Path::new("."));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn manifeste(extrait: &Path) -> Manifeste {
    serde_json::from_slice(&std::fs::read(extrait.join("manifeste.json")).unwrap()).unwrap()
}

#[test]
fn sealed_archive_is_accepted_by_pdfsig_openssl_and_verifier_archive() {
    let dir = commun::temp();
    let (zip, extrait) = archive_scellee(dir.path());

    let m = manifeste(&extrait);
    assert_eq!(
        m.sceau.as_deref(),
        Some("O=siodoc,CN=Lycée Jules-Verne (essai)")
    );
    let pdf: Vec<_> = m
        .fichiers
        .iter()
        .filter(|f| f.type_media == "application/pdf")
        .collect();
    assert_eq!(pdf.len(), 43);
    assert!(
        pdf.iter()
            .all(|f| f.signature.as_deref() == Some("PAdES B-B"))
    );
    assert!(
        m.fichiers
            .iter()
            .filter(|f| f.chemin.ends_with(".xlsx"))
            .all(|f| f.signature.is_none())
    );
    // The signed PDF keeps its PDF/A identification: the update only appends.
    let tableau = m
        .fichiers
        .iter()
        .find(|f| f.chemin == "BTS SIO 26/MARTIN_Léa_026000101/tableau-de-synthese.pdf")
        .unwrap();
    assert_eq!(tableau.pdfa.as_deref(), Some("2B"));
    let signe = std::fs::read(extrait.join(&tableau.chemin)).unwrap();
    let original = std::fs::read(
        dir.path()
            .join("sortie/BTS SIO 26/MARTIN_Léa_026000101/tableau-de-synthese.pdf"),
    )
    .unwrap();
    assert!(signe.len() > original.len() && signe.starts_with(&original));

    // Poppler, an independent verifier.
    let rapport = pdfsig(&extrait.join(&tableau.chemin));
    assert!(
        rapport.contains("Signature Type: ETSI.CAdES.detached"),
        "{rapport}"
    );
    assert!(
        rapport.contains("Signature Validation: Signature is Valid."),
        "{rapport}"
    );
    assert!(rapport.contains("Total document signed"), "{rapport}");
    assert!(rapport.contains("Lycée Jules-Verne (essai)"), "{rapport}");
    // qpdf finds the appended xref section and objects well formed.
    let o = outil(
        "qpdf",
        &["--check", extrait.join(&tableau.chemin).to_str().unwrap()],
        Path::new("."),
    );
    assert!(
        o.status.success()
            && String::from_utf8_lossy(&o.stdout).contains("No syntax or stream encoding errors"),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    // The text is still there.
    let texte = outil(
        "pdftotext",
        &[extrait.join(&tableau.chemin).to_str().unwrap(), "-"],
        Path::new("."),
    );
    assert!(String::from_utf8_lossy(&texte.stdout).contains("MARTIN"));

    // OpenSSL checks the manifest's detached signature.
    manifeste_accepte_par_openssl(&extrait);
    // And SHA256SUMS lists the signature too.
    let o = outil("sha256sum", &["-c", "SHA256SUMS"], &extrait);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("manifeste.json.p7s: OK"));

    // The certificate's validity period, as OpenSSL reads it.
    let dates = outil(
        "openssl",
        &[
            "x509",
            "-in",
            "cert.pem",
            "-noout",
            "-startdate",
            "-enddate",
        ],
        dir.path(),
    );
    let dates = String::from_utf8_lossy(&dates.stdout).into_owned();
    let date = |cle: &str| {
        let texte = dates
            .lines()
            .find_map(|l| l.strip_prefix(cle))
            .unwrap()
            .trim()
            .to_string();
        chrono::NaiveDateTime::parse_from_str(&texte, "%b %e %H:%M:%S %Y GMT")
            .unwrap()
            .format("%d/%m/%Y")
            .to_string()
    };
    let validite = format!(
        "(certificat valable du {} au {})",
        date("notBefore="),
        date("notAfter=")
    );
    for cible in [&zip, &extrait] {
        let v = siodoc(&["verifier-archive", cible.to_str().unwrap()], None);
        let sortie = String::from_utf8_lossy(&v.stdout);
        assert_eq!(v.status.code(), Some(0), "{sortie}");
        assert!(
            sortie.contains(&format!(
                "Signatures valides : 43 PDF (PAdES B-B) et le manifeste, tous par \
                 « O=siodoc,CN=Lycée Jules-Verne (essai) » {validite}"
            )),
            "{sortie}"
        );
    }
}

#[test]
fn a_pdf_changed_after_signing_is_rejected_even_with_updated_digests() {
    let dir = commun::temp();
    let (_, extrait) = archive_scellee(dir.path());
    let chemin = "BTS SIO 26/DURAND_Manon_026000107/fiche-2.pdf";
    let pdf = extrait.join(chemin);
    let mut octets = std::fs::read(&pdf).unwrap();
    // One byte of the signed part: inside the document title.
    let titre = octets.windows(6).position(|w| w == b"/Title").unwrap() + 8;
    octets[titre] ^= 0x01;
    std::fs::write(&pdf, &octets).unwrap();

    let rapport = pdfsig(&pdf);
    assert!(!rapport.contains("Signature is Valid."), "{rapport}");
    assert!(rapport.contains("Digest Mismatch"), "{rapport}");

    let v = siodoc(&["verifier-archive", extrait.to_str().unwrap()], None);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(
        sortie.contains(&format!("{chemin} : MODIFIÉ (SHA-256 attendu")),
        "{sortie}"
    );
    assert!(
        sortie.contains(&format!(
            "{chemin} : SIGNATURE INVALIDE (le contenu a été modifié depuis la signature"
        )),
        "{sortie}"
    );

    // Someone updates the manifest and SHA256SUMS to match: the digests agree again, the
    // signatures do not.
    let mut m = manifeste(&extrait);
    let hex = |o: &[u8]| -> String { o.iter().map(|b| format!("{b:02x}")).collect() };
    let f = m.fichiers.iter_mut().find(|f| f.chemin == chemin).unwrap();
    f.sha256 = hex(&sha2::Sha256::digest(&octets));
    f.sha512 = hex(&sha2::Sha512::digest(&octets));
    let json = serde_json::to_vec_pretty(&m).unwrap();
    std::fs::write(extrait.join("manifeste.json"), &json).unwrap();
    let sommes: String = std::fs::read_to_string(extrait.join("SHA256SUMS"))
        .unwrap()
        .lines()
        .map(|l| {
            let (_, nom) = l.split_once("  ").unwrap();
            let o = std::fs::read(extrait.join(nom)).unwrap();
            format!("{}  {nom}\n", hex(&sha2::Sha256::digest(&o)))
        })
        .collect();
    std::fs::write(extrait.join("SHA256SUMS"), sommes).unwrap();

    let v = siodoc(&["verifier-archive", extrait.to_str().unwrap()], None);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(!sortie.contains("MODIFIÉ"), "{sortie}");
    assert!(
        sortie.contains("manifeste.json : SIGNATURE INVALIDE (le contenu a été modifié"),
        "{sortie}"
    );
    assert!(
        sortie.contains(&format!("{chemin} : SIGNATURE INVALIDE")),
        "{sortie}"
    );
    assert!(sortie.contains("2 écart(s) avec le manifeste"), "{sortie}");
}

#[test]
fn appending_to_a_signed_pdf_or_dropping_its_signature_is_reported() {
    let dir = commun::temp();
    let (_, extrait) = archive_scellee(dir.path());
    let ajoute = "BTS SIO 26/MARTIN_Léa_026000101/fiche-1.pdf";
    let mut octets = std::fs::read(extrait.join(ajoute)).unwrap();
    octets.extend_from_slice(b"\n% ajout\n");
    std::fs::write(extrait.join(ajoute), &octets).unwrap();
    std::fs::remove_file(extrait.join("manifeste.json.p7s")).unwrap();
    let v = siodoc(&["verifier-archive", extrait.to_str().unwrap()], None);
    assert_eq!(v.status.code(), Some(1));
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert!(
        sortie.contains(&format!(
            "{ajoute} : SIGNATURE INVALIDE (le fichier a été complété ou tronqué après la signature)"
        )),
        "{sortie}"
    );
    assert!(sortie.contains("manifeste.json.p7s : MANQUANT"), "{sortie}");
}

#[test]
fn wrong_password_or_not_a_certificate_is_a_french_error() {
    let dir = commun::temp();
    let p12 = certificat(dir.path());
    let classe = dir.path().join("classe");
    std::fs::create_dir(&classe).unwrap();
    assert_eq!(
        refus(&classe, &p12, "faux"),
        format!(
            "siodoc : erreur : certificat « {} » : mot de passe incorrect (ou fichier PKCS#12 endommagé)",
            p12.display()
        )
    );
    let erreurs = refus(&classe, &dir.path().join("cert.pem"), "secret");
    assert!(
        erreurs.contains("ce n'est pas un fichier PKCS#12 (.p12, .pfx) ; exportez le certificat"),
        "{erreurs}"
    );
    // A legacy export (RC2 and 3DES, SHA-1 MAC, as older Windows tools make) opens: the error
    // is then about the class folder, past the certificate.
    openssl(
        &[
            "pkcs12",
            "-export",
            "-legacy",
            "-inkey",
            "cle.pem",
            "-in",
            "cert.pem",
            "-out",
            "ancien.p12",
            "-passout",
            "pass:secret",
        ],
        dir.path(),
    );
    let a = sceller(
        classe.to_str().unwrap(),
        dir.path().join("ancien.p12").to_str().unwrap(),
        Some("secret"),
    );
    let erreurs = String::from_utf8_lossy(&a.stderr);
    assert!(!erreurs.contains("certificat"), "{erreurs}");
    assert!(erreurs.contains("siodoc-index.json"), "{erreurs}");

    // An Ed25519 key is refused with a message that says which keys work.
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "ed25519",
            "-nodes",
            "-keyout",
            "ed.pem",
            "-out",
            "ed-cert.pem",
            "-days",
            "30",
            "-subj",
            "/CN=Ed",
        ],
        dir.path(),
    );
    pkcs12(dir.path(), "ed.pem", "ed-cert.pem", "ed.p12");
    let erreurs = refus(&classe, &dir.path().join("ed.p12"), "secret");
    assert!(
        erreurs.contains(
            "la clé privée n'est ni une clé RSA ni une clé ECDSA P-256 : siodoc ne sait signer \
             qu'avec l'une d'elles"
        ),
        "{erreurs}"
    );

    // An expired certificate (issued by `openssl ca` with dates in the past) is refused.
    std::fs::write(
        dir.path().join("ca.cnf"),
        "[ ca ]\ndefault_ca = sceau\n[ sceau ]\ndatabase = index.txt\nnew_certs_dir = .\n\
         serial = serial\ndefault_md = sha256\npolicy = tout\nunique_subject = no\n\
         [ tout ]\ncommonName = supplied\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("index.txt"), "").unwrap();
    std::fs::write(dir.path().join("serial"), "01\n").unwrap();
    for etape in [
        &[
            "req",
            "-new",
            "-key",
            "cle.pem",
            "-out",
            "perime.csr",
            "-subj",
            "/CN=Perime",
        ][..],
        &[
            "ca",
            "-batch",
            "-config",
            "ca.cnf",
            "-selfsign",
            "-keyfile",
            "cle.pem",
            "-in",
            "perime.csr",
            "-out",
            "perime.pem",
            "-startdate",
            "20200101000000Z",
            "-enddate",
            "20200201000000Z",
            "-notext",
        ],
    ] {
        openssl(etape, dir.path());
    }
    pkcs12(dir.path(), "cle.pem", "perime.pem", "perime.p12");
    let perime = dir.path().join("perime.p12");
    assert_eq!(
        refus(&classe, &perime, "secret"),
        format!(
            "siodoc : erreur : certificat « {} » : le certificat a expiré le 01/02/2020 : les \
             signatures seraient refusées ; demandez un certificat en cours de validité",
            perime.display()
        )
    );

    // Without the variable, the password is asked at the terminal (here a pseudo-terminal
    // made by `script`), and without a terminal the message says how to pass it.
    let commande = format!(
        "{} archiver {} --certificat {}",
        commun::siodoc_bin().display(),
        classe.display(),
        p12.display()
    );
    let mut script = Command::new("script")
        .args(["-qec", &commande, "/dev/null"])
        .env_remove("SIODOC_P12_PASSWORD")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux) introuvable");
    use std::io::Write;
    script.stdin.take().unwrap().write_all(b"secret\n").unwrap();
    let o = script.wait_with_output().unwrap();
    let sortie = String::from_utf8_lossy(&o.stdout);
    assert!(
        sortie.contains(&format!(
            "Mot de passe du certificat « {} » :",
            p12.display()
        )),
        "{sortie}"
    );
    assert!(sortie.contains("siodoc-index.json"), "{sortie}");
    let a = Command::new("setsid")
        .args([
            commun::siodoc_bin().to_str().unwrap(),
            "archiver",
            classe.to_str().unwrap(),
            "--certificat",
            p12.to_str().unwrap(),
        ])
        .env_remove("SIODOC_P12_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(a.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&a.stderr)
            .contains("passez-le dans la variable d'environnement SIODOC_P12_PASSWORD"),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
}

#[test]
fn sealed_archive_is_reproducible_with_source_date_epoch() {
    let dir = commun::temp();
    let classe = generer("samples/classe-2020.xlsx", &dir.path().join("sortie"));
    let p12 = certificat(dir.path());
    let sceller_a = |cible: &str, epoque: &str| -> Vec<u8> {
        let archive = dir.path().join(cible);
        let o = Command::new(commun::siodoc_bin())
            .args([
                "archiver",
                classe.to_str().unwrap(),
                "--certificat",
                p12.to_str().unwrap(),
                "-o",
                archive.to_str().unwrap(),
            ])
            .env("SIODOC_P12_PASSWORD", "secret")
            .env("SOURCE_DATE_EPOCH", epoque)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let zip = seul_fichier(&archive);
        std::fs::read(zip).unwrap()
    };
    let a = sceller_a("a", "1780000000");
    let b = sceller_a("b", "1780000000");
    let c = sceller_a("c", "1780000060");
    assert!(
        a == b,
        "mêmes fichiers, même certificat, même instant : mêmes octets"
    );
    assert!(a != c, "l'heure de signature fait partie des octets signés");
    // The signing time is the one given, in each PDF's signature dictionary.
    let entree = |zip: &[u8]| -> Vec<u8> {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(zip)).unwrap();
        let nom = (0..z.len())
            .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
            .find(|n| n.ends_with(".pdf"))
            .unwrap();
        let mut o = Vec::new();
        z.by_name(&nom).unwrap().read_to_end(&mut o).unwrap();
        o
    };
    // 1780000000 = 2026-05-28 20:26:40 UTC.
    let pdf = entree(&a);
    let moment = b"/M(D:20260528202640+00'00')";
    assert!(
        pdf.windows(moment.len()).any(|w| w == moment),
        "heure de signature absente"
    );
}

#[test]
fn an_ecdsa_p256_certificate_seals_too() {
    let dir = commun::temp();
    let classe = generer("samples/classe-2020.xlsx", &dir.path().join("sortie"));
    openssl(
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ec.pem",
            "-out",
            "ec-cert.pem",
            "-days",
            "30",
            "-subj",
            "/CN=Cachet EC/O=siodoc",
        ],
        dir.path(),
    );
    pkcs12(dir.path(), "ec.pem", "ec-cert.pem", "ec.p12");
    let archive = dir.path().join("archive");
    let a = siodoc(
        &[
            "archiver",
            classe.to_str().unwrap(),
            "--certificat",
            dir.path().join("ec.p12").to_str().unwrap(),
            "-o",
            archive.to_str().unwrap(),
        ],
        Some("secret"),
    );
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let zip = seul_fichier(&archive);
    let v = siodoc(&["verifier-archive", zip.to_str().unwrap()], None);
    let sortie = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(0), "{sortie}");
    assert!(sortie.contains("« O=siodoc,CN=Cachet EC »"), "{sortie}");

    // Poppler and OpenSSL accept the ECDSA signatures too.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&zip).unwrap()).unwrap();
    let nom_pdf = (0..z.len())
        .map(|i| z.by_index(i).unwrap().name().unwrap().to_string())
        .find(|n| n.ends_with(".pdf"))
        .unwrap();
    let mut extraire = |nom: &str| -> PathBuf {
        let mut o = Vec::new();
        z.by_name(nom).unwrap().read_to_end(&mut o).unwrap();
        let p = dir.path().join(nom.rsplit('/').next().unwrap());
        std::fs::write(&p, o).unwrap();
        p
    };
    let pdf = extraire(&nom_pdf);
    let rapport = pdfsig(&pdf);
    assert!(
        rapport.contains("Signature Validation: Signature is Valid."),
        "{rapport}"
    );
    extraire("manifeste.json");
    extraire("manifeste.json.p7s");
    manifeste_accepte_par_openssl(dir.path());
}
