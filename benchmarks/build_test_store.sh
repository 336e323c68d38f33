#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_test.jsonl (see docs/EVALUATION.md, session 20).
#
# Contents: three Montpellier comptes rendus of 2011 never used before (the text PDF of 16 December, the
# Word files of 3 October and 7 November: items as "rapporteur | n | title" rows, vote lines, designations),
# the Flaux Word compte rendu of 19 November 2020 (informal votes, "Questions diverses" with quotes) and the
# one-page Flaux list of the deliberations of 16 May 2025. None is used by another gold set, a test or
# data/. TEST SET: measured once before and once after a session's changes, never tuned on.
#
# Usage: benchmarks/build_test_store.sh [STORE_DIR]   (default /tmp/test-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/test-store python -m ui.cli eval benchmarks/gold_decisions_test.jsonl
set -euo pipefail
STORE="${1:-/tmp/test-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP="$CORPUS/deliberations/montpellier/comptes_rendus"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier \
  "$MTP/CR_CM_16_12_2011.pdf" "$MTP/CR_CM_03_10_2011.doc" "$MTP/CR_CM_07_11_2011.doc"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/20201119-5_-_compte_rendu_du_19_novembre_2020.doc" "$FLAUX/liste_des_deliberations_16_mai_2025.pdf"
