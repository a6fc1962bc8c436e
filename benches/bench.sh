#!/usr/bin/env bash
# Measures `siodoc generer --formats pdf` against two peers compiling the same documents
# (the sources exported by --exporter-sources, PDF/A-2b on every side), in one run:
#   - a loop of the typst CLI, one process per document (TYPST=…, or on PATH, or
#     ~/.cargo/bin/typst; `cargo install typst-cli --version 0.15.1 --locked`);
#   - the typst Python binding in one process, fonts loaded once (`pip install typst==0.15.0`;
#     benches/pair_python.py).
# Then the peak memory (RSS) of a whole `generer` (PDF and XLSX) at each class size.
#
#   benches/bench.sh [TAILLES…]        (default: 35 1000 3000; the peers run on the first)
#
# Needs GNU time (apt-get install time). Not run by CI: tests never assert on wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPST=${TYPST:-$(command -v typst || echo "$HOME/.cargo/bin/typst")}
[ -x "$TYPST" ] || { echo "commande typst introuvable (TYPST=…)"; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time absent : apt-get install time"; exit 2; }
python3 -c "import typst" 2>/dev/null || { echo "liaison Python absente : pip install typst==0.15.0"; exit 2; }
tailles=("$@"); [ ${#tailles[@]} -gt 0 ] || tailles=(35 1000 3000)
cargo build --release -q
siodoc=$PWD/target/release/siodoc
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mediane() { sort -n | sed -n "$(( ($1 + 1) / 2 ))p"; }
echo "siodoc $("$siodoc" --version | cut -d' ' -f2), $("$TYPST" --version), typst (Python) $(python3 -c 'import typst; print(typst.__version__)'), $(nproc) cœurs, $(date -u +%F)"
echo

n=${tailles[0]}
classe="$tmp/classe-$n.xlsx"
"$siodoc" modele --session 2026 --exemple --taille "$n" "$classe" >/dev/null 2>&1
for _ in 1 2 3 4 5; do
  rm -rf "$tmp/sortie"
  /usr/bin/time -o "$tmp/time" -f "%e" "$siodoc" generer "$classe" -o "$tmp/sortie" --formats pdf >/dev/null 2>&1
  cat "$tmp/time"
done > "$tmp/siodoc"
t_siodoc=$(mediane 5 < "$tmp/siodoc")
# The same on one core: per core, what siodoc does per document against what a peer does.
for _ in 1 2 3 4 5; do
  rm -rf "$tmp/sortie"
  /usr/bin/time -o "$tmp/time" -f "%e" taskset -c 0 "$siodoc" generer "$classe" -o "$tmp/sortie" --formats pdf >/dev/null 2>&1
  cat "$tmp/time"
done > "$tmp/siodoc1"
t_siodoc1=$(mediane 5 < "$tmp/siodoc1")
docs=$(find "$tmp/sortie" -name '*.pdf' -not -path '*/impression/*' | wc -l)
"$siodoc" generer "$classe" --exporter-sources "$tmp/sources" >/dev/null 2>&1
for _ in 1 2 3; do
  debut=$(date +%s.%N)
  while IFS= read -r -d '' main; do
    "$TYPST" compile --pdf-standard a-2b --ignore-system-fonts --font-path "$tmp/sources/fonts" \
      "$main" "${main%/main.typ}.pdf"
  done < <(find "$tmp/sources" -name main.typ -print0 | sort -z)
  echo "$(date +%s.%N) - $debut" | bc -l
done > "$tmp/cli"
t_cli=$(mediane 3 < "$tmp/cli")
for _ in 1 2 3; do python3 benches/pair_python.py "$tmp/sources" | cut -d' ' -f2; done > "$tmp/py"
t_py=$(mediane 3 < "$tmp/py")
echo "| $n candidats, $docs documents | temps (médiane) | ms par document | siodoc plus rapide |"
echo "|---|---|---|---|"
awk -v d="$docs" -v s="$t_siodoc" -v u="$t_siodoc1" -v c="$t_cli" -v p="$t_py" 'BEGIN {
  printf "| siodoc generer (2 processus de rendu) | %.2f s | %.1f | |\n", s, 1000 * s / d
  printf "| siodoc generer sur un seul cœur (taskset -c 0) | %.2f s | %.1f | |\n", u, 1000 * u / d
  printf "| boucle typst compile (CLI) | %.2f s | %.1f | %.1f× |\n", c, 1000 * c / d, c / s
  printf "| boucle de la liaison Python (un processus) | %.2f s | %.1f | %.1f× |\n", p, 1000 * p / d, p / s
  printf "| liaison Python contre siodoc sur un cœur | | | %.1f× |\n", p / u
}'
echo
echo "| candidats | documents | generer (PDF et XLSX) | mémoire max |"
echo "|---|---|---|---|"
for n in "${tailles[@]}"; do
  classe="$tmp/classe-$n.xlsx"
  [ -f "$classe" ] || "$siodoc" modele --session 2026 --exemple --taille "$n" "$classe" >/dev/null 2>&1
  rm -rf "$tmp/sortie"
  /usr/bin/time -o "$tmp/time" -f "%e %M" "$siodoc" generer "$classe" -o "$tmp/sortie" >/dev/null 2>&1
  read -r t rss < "$tmp/time"
  docs=$(find "$tmp/sortie" \( -name '*.pdf' -o -name '*.xlsx' \) -not -path '*/impression/*' | wc -l)
  awk -v n="$n" -v d="$docs" -v t="$t" -v r="$rss" 'BEGIN { printf "| %d | %d | %.1f s | %.0f Mo |\n", n, d, t, r / 1024 }'
done
