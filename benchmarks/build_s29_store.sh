#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s29.jsonl and benchmarks/gold_s29_absent.jsonl
# (see docs/EVALUATION.md, session 29, issue 15).
#
# Contents: 16 Montpellier deliberations of 2013 and 2014 (text PDFs): the CAF "Cafpro" service agreement for
# professional access to family data (Petite enfance, June 2013, a second deliberation of that meeting on the same
# service); the Festival international du Cinéma Méditerranéen designation (April 2014, elected members and
# qualified persons); and fourteen designations of representatives of May 2014 of varied services: the COPEC
# (equal opportunities), the Jean Péridier retirement home of La Croix d'Argent, the AMORCE association (waste and
# energy), the Forum Français pour la Sécurité Urbaine, the "La Providence" home for elderly people, the CESDA
# centre for deaf children, the Marie Caizergues children's home, the Maison de Montpellier à Heidelberg, the
# "Prévention spécialisée 34" association, the Font Trouvée medico-educational institute, the Maill'âge CLIC
# (gerontology), the regional public-health plan evaluation body (PRSP), the Association languedocienne pour
# l'aide aux insuffisants mentaux (four establishments) and the AVICCA (electronic communications);
# plus three distractors of other communes that other gold sets already use (no question of this set points at
# them): the Couthenans compte rendu of 29 January 2021, the Preuilly-sur-Claise PV of 23 July 2020 (the only
# Preuilly document of the corpus) and the SCANNED Flaux PV of 17 November (file PV_DU_17_NOVEMBRE-tampon.pdf,
# read by OCR at ingestion).
# No other gold set, test, store script or data/ file uses the 16 Montpellier documents (names checked with
# git grep); 3 Montpellier documents no gold set uses are kept untouched for later sessions.
# BLIND SET: written during session 29 from the documents (page images and pdftotext), kept out of the helpers'
# worktrees; measured blind during the session.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s29_store.sh [STORE_DIR]   (default /tmp/s29-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s29-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-06-17-0000064320.pdf" \
  "$MTP/2014-04-24-0000071281.pdf" \
  "$MTP/2014-05-22-0000072058.pdf" \
  "$MTP/2014-05-22-0000072073.pdf" \
  "$MTP/2014-05-22-0000072074.pdf" \
  "$MTP/2014-05-22-0000072076.pdf" \
  "$MTP/2014-05-22-0000072094.pdf" \
  "$MTP/2014-05-22-0000072097.pdf" \
  "$MTP/2014-05-22-0000072098.pdf" \
  "$MTP/2014-05-22-0000072099.pdf" \
  "$MTP/2014-05-22-0000072101.pdf" \
  "$MTP/2014-05-22-0000072102.pdf" \
  "$MTP/2014-05-22-0000072103.pdf" \
  "$MTP/2014-05-22-0000072106.pdf" \
  "$MTP/2014-05-22-0000072114.pdf" \
  "$MTP/2014-05-22-0000072117.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_reunion_20210129.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_DU_17_NOVEMBRE-tampon.pdf"
