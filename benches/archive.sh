#!/usr/bin/env bash
# Measures `siodoc archiver` with and without a sealing certificate, and `verifier-archive`,
# on a generated class; the baseline is `zip -r` plus `sha256sum` of the same folder (what a
# teacher would do by hand, without manifest nor signatures).
#
#   benches/archive.sh [TAILLES…]        (default: 35 1000)
#
# Needs: openssl (test certificate), zip, GNU time. Not run by CI.
set -euo pipefail
cd "$(dirname "$0")/.."
for outil in openssl zip /usr/bin/time; do
  command -v "$outil" >/dev/null || { echo "$outil absent : apt-get install openssl zip time"; exit 2; }
done
tailles=("$@"); [ ${#tailles[@]} -gt 0 ] || tailles=(35 1000)
cargo build --release -q
siodoc=$PWD/target/release/siodoc
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/cle.pem" -out "$tmp/cert.pem" -days 1 \
  -subj "/CN=Banc d'essai" 2>/dev/null
openssl pkcs12 -export -inkey "$tmp/cle.pem" -in "$tmp/cert.pem" -out "$tmp/sceau.p12" -passout pass:x
export SIODOC_P12_PASSWORD=x
mesure() { /usr/bin/time -o "$tmp/time" -f "%e %M" "$@" >/dev/null 2>&1 || true; cat "$tmp/time"; }
echo "siodoc $("$siodoc" --version | cut -d' ' -f2), $(nproc) cœurs, $(date -u +%F), clé RSA 2048"
echo
echo "| candidats | PDF | zip + sha256sum | archiver | archiver --certificat | PDF signés/s | verifier-archive (scellée) | mémoire max (scellée) |"
echo "|---|---|---|---|---|---|---|---|"
for n in "${tailles[@]}"; do
  rm -f "$tmp/classe.xlsx"
  "$siodoc" modele --session 2026 --exemple --taille "$n" "$tmp/classe.xlsx" 2>/dev/null
  rm -rf "$tmp/sortie" "$tmp/a" "$tmp/b" "$tmp/ref.zip"
  "$siodoc" generer "$tmp/classe.xlsx" -o "$tmp/sortie" >/dev/null 2>&1
  classe=$(find "$tmp/sortie" -mindepth 1 -maxdepth 1 -type d | head -1)
  pdf=$(find "$classe" -name '*.pdf' | wc -l)
  read -r ref _ < <(mesure bash -c "cd '$classe' && find . -type f -print0 | xargs -0 sha256sum > /dev/null && zip -qr '$tmp/ref.zip' .")
  read -r simple _ < <(mesure "$siodoc" archiver "$classe" -o "$tmp/a")
  read -r scelle rss < <(mesure "$siodoc" archiver "$classe" --certificat "$tmp/sceau.p12" -o "$tmp/b")
  read -r verif _ < <(mesure "$siodoc" verifier-archive "$tmp/b/"*.zip)
  awk -v n="$n" -v p="$pdf" -v r="$ref" -v a="$simple" -v s="$scelle" -v v="$verif" -v m="$rss" 'BEGIN {
    printf "| %d | %d | %.2f s | %.2f s | %.2f s | %.0f | %.2f s | %.0f Mo |\n", n, p, r, a, s, p / s, v, m / 1024
  }'
done
