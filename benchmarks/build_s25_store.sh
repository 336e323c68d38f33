#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s25.jsonl and benchmarks/gold_s25_absent.jsonl
# (see docs/EVALUATION.md, session 25, issue 15).
#
# Contents: 16 Montpellier deliberations of 2013 and 2014 (text PDFs) of varied services and kinds: subsidies with
# per-association amounts (the 2013 grants annex of 17 pages, equal-rights grants), an OPAH subsidy to the
# Cévennes 1 co-ownership (building J), the video-protection civil-works market (SOGETREL), the Rockstore works
# amendment (DARVER), the sale of a plot impasse Leboux and the purchase of the former departmental archives, the
# declassification of plot EW 562 rue Pagézy, two tables of posts (March 2013, April 2014), the State "emplois
# d'avenir" agreement, the Comédie du livre 2014 partnership (Ikea, Pic Saint Loup winegrowers), and designations
# of representatives (private schools, universities, SOMIMON, Montpellier Events);
# plus three distractors of other communes that other gold sets already use (no question of this set points at
# them): the Couthenans compte rendu of 28 October 2022, the Preuilly-sur-Claise PV of 23 July 2020 and the
# SCANNED Flaux PV of 31 March 2023 (read by OCR at ingestion).
# No other gold set, test, store script or data/ file uses the 16 Montpellier documents (names checked with
# git grep).
# BLIND SET: written during session 25 from the documents (page images and pdftotext), kept out of the helpers'
# worktrees; measured blind at the session's start and once after the helpers' branches were merged, then read
# and fixed on: seen since.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s25_store.sh [STORE_DIR]   (default /tmp/s25-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s25-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061100.pdf" \
  "$MTP/2013-02-04-0000061123.pdf" \
  "$MTP/2013-02-04-0000061135.pdf" \
  "$MTP/2013-03-25-0000062233.pdf" \
  "$MTP/2013-03-25-0000062234.pdf" \
  "$MTP/2013-03-25-0000062247.pdf" \
  "$MTP/2013-06-17-0000064268.pdf" \
  "$MTP/2013-06-17-0000064278.pdf" \
  "$MTP/2013-06-17-0000064314.pdf" \
  "$MTP/2014-04-24-0000071257.pdf" \
  "$MTP/2014-04-24-0000071259.pdf" \
  "$MTP/2014-04-24-0000071277.pdf" \
  "$MTP/2014-05-22-0000072065.pdf" \
  "$MTP/2014-05-22-0000072084.pdf" \
  "$MTP/2014-05-22-0000072219.pdf" \
  "$MTP/2014-05-22-0000072224.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_conseil_municipal_28_10_2022.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_du_31_mars_2023-tampon.pdf"
