#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_fresh.jsonl (see docs/EVALUATION.md, session 21).
#
# Contents: 30 Montpellier deliberations of 2013 and 2014 that no other gold set, test, store script or data/
# used (tables per association and per building, rents and "aide en nature" tables, amounts on the line under
# a beneficiary's paragraph, "A été élu(e) :" designations, a sale price split into indemnities) and the
# Flaux "note de synthèse" of 15 December 2020 (a Word file: a water tariff in tranches, a cotisation per
# inhabitant). Unused means: not named by any gold, test, store script or data/ file, and no copy under
# tests/ or data/ (sha1 checked: the Flaux compte rendu of 10 July 2020 is tests/data/office/flaux-cr-2020-07-10.doc).
# FRESH SET: written before any code change of session 21; measured once before and once after, never tuned on.
#
# Usage: benchmarks/build_fresh_store.sh [STORE_DIR]   (default /tmp/fresh-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/fresh-store python -m ui.cli eval benchmarks/gold_decisions_fresh.jsonl
set -euo pipefail
STORE="${1:-/tmp/fresh-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/pdfs"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/2013-02-04-0000061113.pdf" \
  "$MTP/2013-02-04-0000061115.pdf" \
  "$MTP/2013-02-04-0000061128.pdf" \
  "$MTP/2013-02-04-0000061130.pdf" \
  "$MTP/2013-02-04-0000061132.pdf" \
  "$MTP/2013-03-25-0000062219.pdf" \
  "$MTP/2013-03-25-0000062223.pdf" \
  "$MTP/2013-03-25-0000062245.pdf" \
  "$MTP/2013-03-25-0000062250.pdf" \
  "$MTP/2013-03-25-0000062253.pdf" \
  "$MTP/2013-06-17-0000064273.pdf" \
  "$MTP/2013-06-17-0000064275.pdf" \
  "$MTP/2013-06-17-0000064279.pdf" \
  "$MTP/2013-06-17-0000064290.pdf" \
  "$MTP/2013-06-17-0000064293.pdf" \
  "$MTP/2013-06-17-0000064303.pdf" \
  "$MTP/2013-06-17-0000064308.pdf" \
  "$MTP/2013-06-17-0000064322.pdf" \
  "$MTP/2014-04-24-0000071266.pdf" \
  "$MTP/2014-04-24-0000071288.pdf" \
  "$MTP/2014-05-22-0000072087.pdf" \
  "$MTP/2014-05-22-0000072096.pdf" \
  "$MTP/2014-05-22-0000072100.pdf" \
  "$MTP/2014-05-22-0000072108.pdf" \
  "$MTP/2014-05-22-0000072110.pdf" \
  "$MTP/2014-05-22-0000072111.pdf" \
  "$MTP/2014-05-22-0000072186.pdf" \
  "$MTP/2014-05-22-0000072211.pdf" \
  "$MTP/2014-05-22-0000072216.pdf" \
  "$MTP/2014-05-22-0000072253.pdf"
"$PYTHON" -m ui.cli ingest --commune Flaux "$FLAUX/20201215-3_-_note_de_synthese.doc"
