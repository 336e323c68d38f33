#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s26.jsonl and benchmarks/gold_s26_absent.jsonl
# (see docs/EVALUATION.md, session 26, issue 15).
#
# Contents: 16 Montpellier deliberations of 2013 and 2014 (text PDFs) of varied services and kinds: the report to
# 2013 of grants voted in 2012 (a 7-page table of associations and amounts), the first budget amendment (DM n°1) of
# 2013, the two "Montpellier Grand Coeur" schemes (second phase of the shop-front renovation grants, and the
# housing improvement / degraded co-ownership operations), the retirement and sale of equipment and vehicles
# (February 2013), the exhibition-structures market amendment (Atout Poses), the group-purchasing agreement for
# hardware, screws and ladders, the special mandate for councillors' international missions, the IBM France data-
# centre classified-installation opinion, the foreign residents' consultative council (CCRE), the council's
# internal rules of procedure (April 2014), designations of many representatives (local crime-prevention council
# CLSPD, the colleges' boards), the SERM statutes change (age limit of its chairman), the Energy service staff
# agreement with the Agglomeration, and prefabricated modules in several schools;
# plus three distractors of other communes that other gold sets already use (no question of this set points at
# them): the Couthenans compte rendu of 24 February 2023, the Preuilly-sur-Claise PV of 23 July 2020 and the
# SCANNED Flaux PV of 9 June 2023 (read by OCR at ingestion).
# No other gold set, test, store script or data/ file uses the 16 Montpellier documents (names checked with
# git grep).
# BLIND SET: written during session 26 from the documents (page images and pdftotext), kept out of the helpers'
# worktrees; measured blind during the session.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s26_store.sh [STORE_DIR]   (default /tmp/s26-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s26-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061089.pdf" \
  "$MTP/2013-02-04-0000061121.pdf" \
  "$MTP/2013-02-04-0000061122.pdf" \
  "$MTP/2013-02-04-0000061138.pdf" \
  "$MTP/2013-03-25-0000062254.pdf" \
  "$MTP/2013-03-25-0000062257.pdf" \
  "$MTP/2013-06-17-0000064271.pdf" \
  "$MTP/2013-06-17-0000064277.pdf" \
  "$MTP/2013-06-17-0000064291.pdf" \
  "$MTP/2013-06-17-0000064307.pdf" \
  "$MTP/2014-04-24-0000071254.pdf" \
  "$MTP/2014-05-22-0000072061.pdf" \
  "$MTP/2014-05-22-0000072072.pdf" \
  "$MTP/2014-05-22-0000072120.pdf" \
  "$MTP/2014-05-22-0000072192.pdf" \
  "$MTP/2014-05-22-0000072214.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_conseil_municipal_24_02_2023.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_DU_9_JUIN_2023-tampon.pdf"
