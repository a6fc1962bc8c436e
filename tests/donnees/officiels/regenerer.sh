#!/usr/bin/env bash
# Rewrites the official-like tableaux of this folder (tests/commun/officiel.rs builds them),
# then has LibreOffice make the .ods and .xls copies the tests read.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --release --test importer -- --ignored ecrire_les_fixtures
soffice --headless --convert-to ods --outdir . martin.xlsx >/dev/null
soffice --headless --convert-to xls --outdir . bernard.xlsx dubois.xlsx >/dev/null
cargo test --release --test modele_officiel -- --ignored ecrire_le_modele_vierge
soffice --headless --convert-to ods --outdir . modele-vierge-2026.xlsx >/dev/null
rm -f martin.xlsx bernard.xlsx dubois.xlsx modele-vierge-2026.xlsx
ls -l
