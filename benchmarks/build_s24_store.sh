#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s24.jsonl and benchmarks/gold_s24_absent.jsonl
# (see docs/EVALUATION.md, session 24, issue 15).
#
# Contents: the SCANNED stamped Flaux procès-verbal PV_DU_15_DECEMBRE_2024-tampon.pdf (the meeting of 15 December
# 2023, sent to the prefecture in February 2024; its text layer is only the prefecture stamp, so the body is read
# by OCR at ingestion), the Flaux compte rendu of 10 July 2020 (a Word .doc, read with antiword; it is also the
# test fixture tests/data/office/flaux-cr-2020-07-10.doc and a distractor of build_s22b_store.sh, so its questions
# are kept apart in gold_decisions_s24_fixture_doc.jsonl, not in the blind set) and 14 Montpellier deliberations
# of 2013 and 2014 (text PDFs) of varied services and kinds:
# subsidies with per-association amounts (arts venues, disability, sports, 2014 grants), vehicle purchase
# markets, the Jean Farré boxing hall markets, a road-works contract assignment to COLAS, land sales to the
# SERM (avenue de Maurin, rue Jules Ferry), a treasury advance for the ZAC Port Marianne, a table of posts,
# and designations of representatives (SERM board, public-service delegation control commission, school
# councils). No other gold set, test, store script or data/ file uses the 15 Montpellier/PV documents (names
# checked with git grep, sha1 against data/ and tests/data/).
# BLIND SET: written during session 24 from the documents (page images, pdftotext and the OCR text as
# ingestion read it), kept out of the helpers' worktrees; measured blind at the session's start and once after the
# helpers' branches were merged, then read and fixed on: seen since.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr);
# the .doc needs antiword.
# Usage: benchmarks/build_s24_store.sh [STORE_DIR]   (default /tmp/s24-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s24-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061125.pdf" \
  "$MTP/2013-03-25-0000062232.pdf" \
  "$MTP/2013-03-25-0000062238.pdf" \
  "$MTP/2013-03-25-0000062242.pdf" \
  "$MTP/2013-06-17-0000064262.pdf" \
  "$MTP/2013-06-17-0000064292.pdf" \
  "$MTP/2013-06-17-0000064301.pdf" \
  "$MTP/2013-06-17-0000064311.pdf" \
  "$MTP/2014-04-24-0000071265.pdf" \
  "$MTP/2014-04-24-0000071303.pdf" \
  "$MTP/2014-04-24-0000071305.pdf" \
  "$MTP/2014-05-22-0000072187.pdf" \
  "$MTP/2014-05-22-0000072223.pdf" \
  "$MTP/2014-05-22-0000072225.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/PV_DU_15_DECEMBRE_2024-tampon.pdf" \
  "$FLAUX/20200710-5_-_compte_rendu_du_10_juillet.doc"
