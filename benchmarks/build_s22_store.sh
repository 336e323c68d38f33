#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s22.jsonl (see docs/EVALUATION.md, session 22).
#
# Contents: 19 Montpellier deliberations of 2013 and 2014 that no other gold set, test, store script or data/
# used (a market awarded in a table, staff put at another body's disposal, a tableau des effectifs of created and
# removed posts, designations per lycée in a three-column table, members elected to commissions, a list of 32
# taxpayers, a table of programme authorisations, a table of CUCS grants whose cells run over several lines, loan
# guarantees in bullet lists, an opinion on a classified installation) and three SCANNED Flaux comptes rendus of
# 2021 (11 March, 19 May, 24 September: no text layer, read by OCR at ingestion; a layout and years no gold used:
# "Vote : à l'unanimité" under each item, information items, a loan's characteristics as a two-column list).
# Unused means: not named by any gold, test, store script or data/ file, and no copy under tests/ or data/
# (sha1 checked by tests/rag/test_decision_golds.py).
# BLIND SET: written and committed before any code change of session 22; measured once before and once after.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s22_store.sh [STORE_DIR]   (default /tmp/s22-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/s22-store python -m ui.cli eval benchmarks/gold_decisions_s22.jsonl
set -euo pipefail
STORE="${1:-/tmp/s22-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061095.pdf" \
  "$MTP/2013-02-04-0000061102.pdf" \
  "$MTP/2013-02-04-0000061129.pdf" \
  "$MTP/2013-03-25-0000062241.pdf" \
  "$MTP/2013-03-25-0000062243.pdf" \
  "$MTP/2013-03-25-0000062248.pdf" \
  "$MTP/2013-06-17-0000064300.pdf" \
  "$MTP/2013-06-17-0000064305.pdf" \
  "$MTP/2013-06-17-0000064313.pdf" \
  "$MTP/2014-04-24-0000071253.pdf" \
  "$MTP/2014-05-22-0000072063.pdf" \
  "$MTP/2014-05-22-0000072077.pdf" \
  "$MTP/2014-05-22-0000072088.pdf" \
  "$MTP/2014-05-22-0000072125.pdf" \
  "$MTP/2014-05-22-0000072188.pdf" \
  "$MTP/2014-05-22-0000072193.pdf" \
  "$MTP/2014-05-22-0000072209.pdf" \
  "$MTP/2014-05-22-0000072215.pdf" \
  "$MTP/2014-05-22-0000072222.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/compte_rendu_du_11_mars_2021.pdf" \
  "$FLAUX/20210519_-_compte_rendu_19_Mai_2021.pdf" \
  "$FLAUX/compte_rendu_du_24_sept_21.pdf"
