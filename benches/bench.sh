#!/usr/bin/env bash
# Measures `siodoc generer` against the plain typst CLI compiling the same documents one by
# one (one process per document, as a teacher's script would), in the same run.
#
#   benches/bench.sh [TAILLES…]        (default: 35 1000)
#
# Needs: the typst CLI 0.15 (TYPST=…, or on PATH, or /opt/typst/bin/typst; install with
# `cargo install typst-cli --version 0.15.1 --locked`, about 11 minutes) and GNU time
# (apt-get install time). Not run by CI: tests never assert on wall time.
set -euo pipefail
cd "$(dirname "$0")/.."
TYPST=${TYPST:-$(command -v typst || echo /opt/typst/bin/typst)}
[ -x "$TYPST" ] || { echo "commande typst introuvable (TYPST=…)"; exit 2; }
[ -x /usr/bin/time ] || { echo "GNU time absent : apt-get install time"; exit 2; }
tailles=("$@"); [ ${#tailles[@]} -gt 0 ] || tailles=(35 1000)
cargo build --release -q
siodoc=$PWD/target/release/siodoc
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "siodoc $("$siodoc" --version | cut -d' ' -f2), $("$TYPST" --version), $(nproc) cœurs, $(date -u +%F)"
echo
echo "| candidats | documents | siodoc : temps (médiane) | siodoc : documents/s | mémoire max | typst CLI : temps | typst CLI : documents/s | rapport |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${tailles[@]}"; do
  classe="$tmp/classe-$n.xlsx"
  "$siodoc" modele --session 2026 --exemple --taille "$n" "$classe" 2>/dev/null
  essais=$(( n <= 100 ? 5 : 1 ))
  temps=()
  for _ in $(seq "$essais"); do
    rm -rf "$tmp/sortie"
    /usr/bin/time -o "$tmp/time" -f "%e %M" "$siodoc" generer "$classe" -o "$tmp/sortie" >/dev/null 2>&1
    read -r t rss < "$tmp/time"
    temps+=("$t"); rss_max=$rss
  done
  mediane=$(printf '%s\n' "${temps[@]}" | sort -n | sed -n "$(( (essais + 1) / 2 ))p")
  docs=$(find "$tmp/sortie" -name '*.pdf' | wc -l)
  rm -rf "$tmp/sources"
  "$siodoc" generer "$classe" --exporter-sources "$tmp/sources" >/dev/null 2>&1
  debut=$(date +%s.%N)
  while IFS= read -r -d '' main; do
    "$TYPST" compile --pdf-standard a-2b --ignore-system-fonts --font-path "$tmp/sources/fonts" \
      "$main" "${main%/main.typ}.pdf"
  done < <(find "$tmp/sources" -name main.typ -print0 | sort -z)
  fin=$(date +%s.%N)
  cli=$(echo "$fin - $debut" | bc -l)
  awk -v n="$n" -v d="$docs" -v t="$mediane" -v r="$rss_max" -v c="$cli" 'BEGIN {
    printf "| %d | %d | %.2f s | %.0f | %.0f Mo | %.1f s | %.0f | %.1f× |\n", n, d, t, d / t, r / 1024, c, d / c, (d / t) / (d / c)
  }'
done
