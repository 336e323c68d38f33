#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s28.jsonl and benchmarks/gold_s28_absent.jsonl
# (see docs/EVALUATION.md, session 28, issue 15).
#
# Contents: 16 Montpellier deliberations of 2013 and 2014 (text PDFs) of varied services and kinds: the Projets
# d'Intérêt Commun grant request for buying the former Departmental Archives building and the La Panacée
# contemporary-art centre grant request (Culture, February 2013), the beach-volley Rio 2016 Olympic preparation
# partnership agreement (Sports), the Cit'ergie consultancy group-purchasing agreement with the Agglomeration
# (Energy), the parenting-support agreement with the Conseil Général de l'Hérault (Enfance), the management and
# maintenance agreement for the bridges where city roads meet the national railway network (Voirie, June 2013),
# the CAF "Cafpro" professional data-access agreement, the funding agreement with the Caisse des écoles for the
# educational-success platform (June 2013); the designations of April 2014 (internal equipment and vehicle
# retirement commission, Caisse des écoles committee, GIP for social and urban development, Festival Radio France
# board, permanent commission for the Lez spring) and of May 2014 (Plante et Cité association, Société Française
# d'Évaluation, Maison de Montpellier à Chengdu);
# plus three distractors of other communes that other gold sets already use (no question of this set points at
# them): the Couthenans compte rendu of 26 November 2021, the Preuilly-sur-Claise PV of 23 July 2020 (the only
# Preuilly document of the corpus) and the SCANNED Flaux PV of 15 December 2023 (file PV_DU_15_DECEMBRE_2024-tampon.pdf, read by OCR at ingestion).
# No other gold set, test, store script or data/ file uses the 16 Montpellier documents (names checked with
# git grep); 19 Montpellier documents no gold set uses are kept untouched for later sessions.
# BLIND SET: written during session 28 from the documents (page images and pdftotext), kept out of the helpers'
# worktrees; measured blind during the session.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s28_store.sh [STORE_DIR]   (default /tmp/s28-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s28-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061106.pdf" \
  "$MTP/2013-02-04-0000061107.pdf" \
  "$MTP/2013-02-04-0000061126.pdf" \
  "$MTP/2013-02-04-0000061133.pdf" \
  "$MTP/2013-02-04-0000061134.pdf" \
  "$MTP/2013-06-17-0000064269.pdf" \
  "$MTP/2013-06-17-0000064280.pdf" \
  "$MTP/2013-06-17-0000064299.pdf" \
  "$MTP/2014-04-24-0000071270.pdf" \
  "$MTP/2014-04-24-0000071278.pdf" \
  "$MTP/2014-04-24-0000071279.pdf" \
  "$MTP/2014-04-24-0000071283.pdf" \
  "$MTP/2014-04-24-0000071286.pdf" \
  "$MTP/2014-05-22-0000072086.pdf" \
  "$MTP/2014-05-22-0000072092.pdf" \
  "$MTP/2014-05-22-0000072118.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_reunion_20211126.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_DU_15_DECEMBRE_2024-tampon.pdf"
