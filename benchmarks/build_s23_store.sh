#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s23.jsonl and benchmarks/gold_s23_absent.jsonl
# (see docs/EVALUATION.md, session 23, issue 15).
#
# Contents: 4 SCANNED Montpellier comptes rendus of council meetings in their summary layout (28 March 2011,
# 20 June 2011, 25 July 2011, 17 February 2014 in CR_CM_16_02_2014.pdf; no text layer, read by OCR at ingestion),
# 3 SCANNED stamped Flaux procès-verbaux of 2023 (31 March, 9 June, 22 September; their text layer is at most the
# prefecture stamp, so the body is read by OCR too) and 5 Montpellier deliberations of 2013 and 2014 (text PDFs)
# that share their topics (SERM loan guarantees, TaM, a market, crèches). No other gold
# set, test, store script or data/ file uses these documents (names and sha1 checked).
# BLIND SET: written during session 23 from the documents (page images and the OCR text as ingestion read it),
# kept out of the helpers' worktrees, never tuned on the product's answers.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s23_store.sh [STORE_DIR]   (default /tmp/s23-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s23-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP_CR="$CORPUS/deliberations/montpellier/comptes_rendus"
MTP="$CORPUS/deliberations/montpellier/pdfs"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP_CR/CR_CM_28_03_2011.pdf" \
  "$MTP_CR/CR_CM_20_06_2011.pdf" \
  "$MTP_CR/CR_CM_25_07_2011.pdf" \
  "$MTP_CR/CR_CM_16_02_2014.pdf" \
  "$MTP/2013-06-17-0000064282.pdf" \
  "$MTP/2013-06-17-0000064312.pdf" \
  "$MTP/2013-06-17-0000064321.pdf" \
  "$MTP/2014-04-24-0000071256.pdf" \
  "$MTP/2014-05-22-0000072185.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/PV_du_31_mars_2023-tampon.pdf" \
  "$FLAUX/PV_DU_9_JUIN_2023-tampon.pdf" \
  "$FLAUX/PV_DU_22_SEPTEMBRE-tampon.pdf"
