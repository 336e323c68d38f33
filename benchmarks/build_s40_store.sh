#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/other_bodies_s40/gold_decisions_s40.jsonl and gold_s40_absent.jsonl
# (see docs/EVALUATION.md, session 40): the six PDFs of invented bodies shipped with the set, ingested as a new user
# would, without --commune (each document's head names its body), plus the legal pack every store holds.
# Usage: benchmarks/build_s40_store.sh [STORE_DIR]   (default /tmp/s40-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s40-store}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
"$PYTHON" -m ui.cli ingest benchmarks/other_bodies_s40/*.pdf
