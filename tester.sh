#!/usr/bin/env bash
# Runs siodoc's tests on any Debian machine: installs what the tests need when it is missing,
# then runs `cargo test --release`. This is the README's test command, and what CI runs.
#
# The tests read the generated PDFs back (pdftotext, pdfinfo: poppler-utils), check their
# signatures (pdfsig, openssl), check a signed PDF's structure (qpdf) and have LibreOffice print
# a generated XLSX (soffice: libreoffice-calc-nogui). Every one is required: a test that lacks
# its tool fails, it never skips.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive

manquants=()
command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null && command -v pdfsig >/dev/null \
  || manquants+=(poppler-utils)
command -v openssl >/dev/null || manquants+=(openssl)
command -v qpdf >/dev/null || manquants+=(qpdf)
command -v soffice >/dev/null || manquants+=(libreoffice-calc-nogui)

if [ ${#manquants[@]} -gt 0 ]; then
  echo "Installation de ce qui manque aux tests : ${manquants[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "Il faut être root (ou avoir sudo) pour installer : ${manquants[*]}" >&2; exit 1; }
    sudo="sudo"
  fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${manquants[@]}" >/dev/null
fi

exec cargo test --release "$@"
