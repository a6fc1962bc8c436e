#!/usr/bin/env bash
# Regenerates the fixtures written by a real office suite (LibreOffice headless) from the
# example class. Run from the project root after changing `classeur::exemple`, then commit.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
cargo run --release -q -- modele --session 2026 --exemple "$tmp/classe-2026.xlsx"
profil="-env:UserInstallation=file://$tmp/profil"
(cd "$tmp" && soffice --headless "$profil" --convert-to ods classe-2026.xlsx >/dev/null)
cp "$tmp/classe-2026.ods" .
mkdir -p "$tmp/csv" classe-2026-csv
# 59 = « ; », 76 = UTF-8, 1036 = français, true (9th) = as shown, -1 = every sheet.
(cd "$tmp/csv" && soffice --headless "$profil" \
  --convert-to 'csv:Text - txt - csv (StarCalc):59,34,76,1,,1036,false,true,true,false,false,-1' \
  ../classe-2026.xlsx >/dev/null)
for f in Paramètres Candidats Réalisations Fiches; do cp "$tmp/csv/classe-2026-$f.csv" classe-2026-csv/; done
rm -rf "$tmp"
# A workbook really encrypted as Excel does it (OLE container, EncryptionInfo stream), password
# « secret »: pip install msoffcrypto-tool.
msoffcrypto-tool -e -p secret ../../samples/classe-2026.xlsx classe-2026-chiffre.xlsx
