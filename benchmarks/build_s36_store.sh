#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/other_bodies_s36/gold_decisions_s36.jsonl and gold_s36_absent.jsonl
# (see docs/EVALUATION.md, session 36): the six PDFs of invented bodies shipped with the set, ingested as a new user
# would, without --commune (each document's head names its body), plus the legal pack every store holds.
# Usage: benchmarks/build_s36_store.sh [STORE_DIR]   (default /tmp/s36-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s36-store}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
"$PYTHON" -m ui.cli ingest benchmarks/other_bodies_s36/*.pdf
