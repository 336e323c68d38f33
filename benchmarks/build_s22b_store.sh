#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s22b.jsonl (see docs/EVALUATION.md, session 22,
# "merged figures, a second blind decision set").
#
# Contents: 8 Montpellier deliberations of 2013 and 2014 and 3 SCANNED Flaux comptes rendus (16 June 2021,
# 26 November 2021, 25 March 2022: no text layer, read by OCR at ingestion) that no other gold set, test, store
# script or data/ file uses (names and sha1 checked), plus the Flaux compte rendu of 10 July 2020 (Word), a
# distractor that is also a test fixture (tests/data/office/flaux-cr-2020-07-10.doc) and has no question.
# BLIND SET: written while session 22's helpers worked, kept out of their worktrees, measured before (40c14fd)
# and once after the merge; its misses were read after that measurement only.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s22b_store.sh [STORE_DIR]   (default /tmp/s22b-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s22b-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061098.pdf" \
  "$MTP/2013-03-25-0000062224.pdf" \
  "$MTP/2013-06-17-0000064276.pdf" \
  "$MTP/2013-06-17-0000064318.pdf" \
  "$MTP/2014-04-24-0000071282.pdf" \
  "$MTP/2014-05-22-0000072089.pdf" \
  "$MTP/2014-05-22-0000072116.pdf" \
  "$MTP/2014-05-22-0000072254.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/20200710-5_-_compte_rendu_du_10_juillet.doc" \
  "$FLAUX/compte_rendu_16_juin.pdf" \
  "$FLAUX/compte_rendu_conseil_municipal_26_novembre_2021.pdf" \
  "$FLAUX/compte_rendu_du_25_mars_2022_1_.pdf"
