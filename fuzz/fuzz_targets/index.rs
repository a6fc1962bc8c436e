#![no_main]
// archiver on a class folder whose siodoc-index.json is any text: paths must never leave the
// folder, whatever the index says.

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    let base = std::env::temp_dir().join(format!("siodoc-fuzz-index-{}", std::process::id()));
    let classe = base.join("classe");
    let _ = std::fs::create_dir_all(&classe);
    std::fs::write(classe.join("siodoc-index.json"), octets).expect("index");
    let sortie = base.join("archive");
    let _ = siodoc::archive::archiver(&classe, None, None, &sortie, &|_, _| {});
    let _ = std::fs::remove_dir_all(&sortie);
});
