#!/usr/bin/env bash
# Runs every fuzz target for DUREE seconds (600 by default), one after the other, each on its
# corpus (fuzz/corpus/<cible>, kept out of git) seeded with fuzz/seeds/<cible>. Crashes land in
# fuzz/artifacts/<cible>/. Needs nightly Rust and cargo-fuzz (cargo install cargo-fuzz).
set -uo pipefail
cd "$(dirname "$0")"
DUREE="${DUREE:-600}"
CIBLES="${*:-classeur_xlsx classeur_ods classeur_xls classeur_csv dates archive index pkcs12}"
for cible in $CIBLES; do
  mkdir -p "corpus/$cible"
  echo "== $cible : $DUREE s"
  cargo +nightly fuzz run --sanitizer none "$cible" "corpus/$cible" "seeds/$cible" -- \
    -max_total_time="$DUREE" -rss_limit_mb=3072 -timeout=30 -print_final_stats=1 2>&1 \
    | grep -E "^(#[0-9]+.*DONE|Done|stat::|==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)|panicked|deadly signal" 
  echo "== $cible : fin (code ${PIPESTATUS[0]})"
done
