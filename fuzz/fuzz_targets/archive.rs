#![no_main]
// verifier-archive on any ZIP: entry names, sizes, manifest JSON, SHA256SUMS, signatures.

#[path = "commun.rs"]
mod commun;

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    let chemin = commun::fichier(octets, "zip");
    let _ = siodoc::archive::verifier(&chemin);
});
