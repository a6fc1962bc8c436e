#!/usr/bin/env bash
# Rewrites the fictional candidates' filled official tableaux of this folder (tests/importer.rs,
# ecrire_les_exemples, builds them), then has LibreOffice make the .ods one.
set -euo pipefail
cd "$(dirname "$0")"
cargo test --release --test importer -- --ignored ecrire_les_exemples
soffice --headless --convert-to ods --outdir . roux.xlsx >/dev/null
rm -f roux.xlsx
ls -l
