#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_heldout.jsonl (see docs/EVALUATION.md).
#
# Contents: four Flaux comptes rendus of 2020 in Word format (a layout no rule was written for: items as
# headings, "Titulaires : ... - ..." designations, votes in prose) and the Montpellier compte rendu of
# 9 May 2011; none is used by another gold set, a test or data/. About 150 passages; embeddings go through
# the shared cache. HELD OUT: measured once at the end of a session, never tuned on.
#
# Usage: benchmarks/build_heldout_store.sh [STORE_DIR]   (default /tmp/heldout-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/heldout-store python -m ui.cli eval benchmarks/gold_decisions_heldout.jsonl
set -euo pipefail
STORE="${1:-/tmp/heldout-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
FLAUX="$CORPUS/deliberations/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Flaux \
  "$FLAUX/20200608-5_-_compte_rendu_du_8_juin.doc" "$FLAUX/20200619-4_-_compte_rendu_du_19_juin.doc" \
  "$FLAUX/20200720-4_-_compte_rendu_du_20_juillet_2020_1_.doc" \
  "$FLAUX/20201019-4_-_compte_rendu_du_19_octobre_2020.doc"
"$PYTHON" -m ui.cli ingest --commune Montpellier "$CORPUS/deliberations/montpellier/comptes_rendus/CR_CM_09_05_2011.pdf"
