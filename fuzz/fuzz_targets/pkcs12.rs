#![no_main]
// The sealing certificate: structure check, then PKCS#12 decoding with a password.

#[path = "commun.rs"]
mod commun;

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    let chemin = commun::fichier(octets, "p12");
    if let Ok(o) = siodoc::archive::certificat::Certificat::lire(&chemin) {
        let _ = siodoc::archive::certificat::Certificat::depuis_octets(&chemin, &o, "motdepasse");
    }
});
