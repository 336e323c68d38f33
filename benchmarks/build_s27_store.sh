#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_s27.jsonl and benchmarks/gold_s27_absent.jsonl
# (see docs/EVALUATION.md, session 27, issue 15).
#
# Contents: 16 Montpellier deliberations of 2013 and 2014 (text PDFs) of varied services and kinds: the road-trench
# repair works group-purchasing agreement (Voirie, February 2013), the grants and partnership agreement of the
# Adesso e Sempré company (Culture, 2013), the OPAH Cévennes 1 common-parts grant for building L (housing), the
# "Projets d'Intérêt Commun" grant request for the Cité des Métiers, the extension of the Ernest Onillon bowling
# club-house (building permit and grant requests, March 2013), the Languedoc-Roussillon Cinéma grant and
# partnership (June 2013), the DRAC grant request for the local arts-education plan (offres culturelles 2013), the
# retirement and auction of vehicles of June 2013 (counts per kind, auction house, fee), the free lending of Maisons
# pour tous rooms (a list of associations with amounts), the designation of the council's representatives at the
# staff social committee COSC and of the members of the markets and covered-halls commission (April 2014), at the
# Ametyst methanisation plant site-monitoring commission, at the local insertion commission (CLI) and at the SAAM
# public development company (May 2014), the prior works declaration for the Curie school and the Comédie du livre
# 2014 City/Agglomeration partnership agreement (a programme of talks);
# plus three distractors of other communes that other gold sets already use (no question of this set points at
# them): the Couthenans compte rendu of 17 September 2021, the Preuilly-sur-Claise PV of 23 July 2020 (the only
# Preuilly document of the corpus) and the SCANNED Flaux PV of 22 September 2023 (read by OCR at ingestion).
# No other gold set, test, store script or data/ file uses the 16 Montpellier documents (names checked with
# git grep).
# BLIND SET: written during session 27 from the documents (page images and pdftotext), kept out of the helpers'
# worktrees; measured blind during the session.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr).
# Usage: benchmarks/build_s27_store.sh [STORE_DIR]   (default /tmp/s27-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s27-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061097.pdf" \
  "$MTP/2013-02-04-0000061116.pdf" \
  "$MTP/2013-02-04-0000061137.pdf" \
  "$MTP/2013-02-04-0000061143.pdf" \
  "$MTP/2013-03-25-0000062244.pdf" \
  "$MTP/2013-06-17-0000064265.pdf" \
  "$MTP/2013-06-17-0000064297.pdf" \
  "$MTP/2013-06-17-0000064310.pdf" \
  "$MTP/2013-06-17-0000064319.pdf" \
  "$MTP/2014-04-24-0000071269.pdf" \
  "$MTP/2014-04-24-0000071271.pdf" \
  "$MTP/2014-04-24-0000071284.pdf" \
  "$MTP/2014-05-22-0000072109.pdf" \
  "$MTP/2014-05-22-0000072122.pdf" \
  "$MTP/2014-05-22-0000072213.pdf" \
  "$MTP/2014-05-22-0000072218.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS/deliberations/couthenans/pdfs/CR_reunion_20210917.pdf"
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$CORPUS/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$CORPUS/deliberations/flaux/docs/PV_DU_22_SEPTEMBRE-tampon.pdf"
