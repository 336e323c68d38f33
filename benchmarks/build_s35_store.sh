#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/other_bodies_s35/gold_decisions_s35.jsonl and gold_s35_absent.jsonl
# (see docs/EVALUATION.md, session 35): the six PDFs of invented bodies shipped with the set, ingested as a new user
# would, without --commune (each document's head names its body), plus the legal pack every store holds.
# Usage: benchmarks/build_s35_store.sh [STORE_DIR]   (default /tmp/s35-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s35-store}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
"$PYTHON" -m ui.cli ingest benchmarks/other_bodies_s35/*.pdf
