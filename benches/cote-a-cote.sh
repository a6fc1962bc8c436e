#!/usr/bin/env bash
# Vérification côte à côte : rend chaque formulaire de l'exemple fourni en images PNG, pour les
# regarder à côté du fichier officiel (ouvert dans LibreOffice ou Word).
#
#   benches/cote-a-cote.sh [DOSSIER]      (par défaut : docs/images)
#
# Écrit, pour la session 2026 (référentiel 2019) et la session 2020 (référentiel 2011) :
# tableau-2019.png, fiche-2019.png (recto), fiche-2019-verso.png, tableau-2011.png,
# fiche-2011.png, synthese-classe.png, et les répliques XLSX imprimées par LibreOffice
# (tableau-2019-xlsx.png, tableau-2011-xlsx.png) quand soffice est installé.
# Nécessite pdftoppm (poppler-utils).
set -euo pipefail
racine=$(cd "$(dirname "$0")/.." && pwd)
dest=$(realpath -m "${1:-$racine/docs/images}")
mkdir -p "$dest"
command -v pdftoppm >/dev/null || { echo "pdftoppm manque : apt-get install -y poppler-utils" >&2; exit 1; }
cd "$racine"
cargo build --release --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./target/release/siodoc generer samples/classe-2026.xlsx -o "$tmp/2026" >/dev/null 2>&1
./target/release/siodoc generer samples/classe-2020.xlsx -o "$tmp/2020" >/dev/null 2>&1
lea26=$(find "$tmp/2026" -maxdepth 2 -type d -name 'MARTIN_L*' | head -1)
lea20=$(find "$tmp/2020" -maxdepth 2 -type d -name 'MARTIN_L*' | head -1)
png() { pdftoppm -q -r "$3" -png -f "${4:-1}" -l "${4:-1}" -singlefile "$1" "$dest/$2"; }
png "$lea26/tableau-de-synthese.pdf" tableau-2019 80
png "$lea26/fiche-1.pdf" fiche-2019 80
png "$lea26/fiche-1.pdf" fiche-2019-verso 80 2
png "$lea20/tableau-de-synthese.pdf" tableau-2011 60
png "$lea20/fiche-1.pdf" fiche-2011 80
png "$(find "$tmp/2026" -name synthese-classe.pdf | head -1)" synthese-classe 60
if command -v soffice >/dev/null; then
  cp "$lea26/tableau-de-synthese.xlsx" "$tmp/t2019.xlsx"
  cp "$lea20/tableau-de-synthese.xlsx" "$tmp/t2011.xlsx"
  (cd "$tmp" && timeout 180 soffice --headless "-env:UserInstallation=file://$tmp/profil" \
    --convert-to pdf t2019.xlsx t2011.xlsx >/dev/null 2>&1) || true
  [ -f "$tmp/t2019.pdf" ] && png "$tmp/t2019.pdf" tableau-2019-xlsx 80
  [ -f "$tmp/t2011.pdf" ] && png "$tmp/t2011.pdf" tableau-2011-xlsx 60
else
  echo "soffice absent : répliques XLSX non imprimées (apt-get install -y libreoffice-calc-nogui)" >&2
fi
ls -1 "$dest"/*.png
