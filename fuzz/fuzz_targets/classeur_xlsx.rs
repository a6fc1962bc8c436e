#![no_main]
// The xlsx reader: container checks, then calamine, then the class workbook's interpretation.

#[path = "commun.rs"]
mod commun;

libfuzzer_sys::fuzz_target!(|octets: &[u8]| {
    commun::lire_classeur(octets, "xlsx");
});
