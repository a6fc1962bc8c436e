#!/usr/bin/env bash
# Measures `siodoc importer` on N candidates' official tableaux (N = 35 by default), against
# two peers that read the same files: LibreOffice converting each to CSV (soffice
# --convert-to csv, one call for all files) and a Python loop over openpyxl.load_workbook
# (values only, no report, no class workbook).
#
#   benches/importer.sh [N]
#
# Needs: LibreOffice (soffice), python3 with openpyxl (pip install openpyxl), GNU time. Not run
# by CI: tests never assert on wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-35}
cargo build --release -q
siodoc=$PWD/target/release/siodoc
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$siodoc" modele --session 2026 --exemple --taille "$n" "$tmp/classe.xlsx" 2>/dev/null
"$siodoc" generer "$tmp/classe.xlsx" -o "$tmp/sortie" --formats xlsx >/dev/null 2>&1
mkdir -p "$tmp/tableaux"
find "$tmp/sortie" -name 'tableau-de-synthese.xlsx' | while read -r f; do
  cp "$f" "$tmp/tableaux/$(basename "$(dirname "$f")").xlsx"
done
fichiers=$(ls "$tmp/tableaux" | wc -l)
mesure() { # median of 5 runs of "$@", in seconds
  local t=()
  for _ in 1 2 3 4 5; do
    /usr/bin/time -o "$tmp/time" -f "%e %M" "$@" >/dev/null 2>&1 || true
    read -r s rss < <(tail -n 1 "$tmp/time"); t+=("$s"); echo "$rss" > "$tmp/rss"
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}
s=$(mesure "$siodoc" importer "$tmp/tableaux" -o "$tmp/importe.xlsx" --ecraser); rss=$(cat "$tmp/rss")
echo "siodoc $("$siodoc" --version | cut -d' ' -f2), $(nproc) cœurs, $(date -u +%F), $fichiers fichiers"
echo
echo "| outil | temps (médiane de 5) | rapport à siodoc |"
echo "|---|---|---|"
echo "| siodoc importer (lecture, repères, apparences, classeur écrit, vérification) | ${s} s (mémoire max $((rss / 1024)) Mo) | 1 |"
if command -v soffice >/dev/null; then
  l=$(mesure soffice --headless --convert-to csv --outdir "$tmp/csv" "$tmp"/tableaux/*.xlsx)
  echo "| soffice --convert-to csv (valeurs seulement) | ${l} s | $(echo "scale=1; $l / $s" | bc) |"
fi
if python3 -c 'import openpyxl' 2>/dev/null; then
  cat > "$tmp/lire.py" <<'PY'
import sys, glob, openpyxl
for f in sorted(glob.glob(sys.argv[1] + "/*.xlsx")):
    wb = openpyxl.load_workbook(f, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
PY
  p=$(mesure python3 "$tmp/lire.py" "$tmp/tableaux")
  echo "| python3 + openpyxl, boucle de lecture (valeurs seulement) | ${p} s | $(echo "scale=1; $p / $s" | bc) |"
fi
