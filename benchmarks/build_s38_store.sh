#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/other_bodies_s38/gold_decisions_s38.jsonl and gold_s38_absent.jsonl
# (see docs/EVALUATION.md, session 38): the six PDFs of invented bodies shipped with the set, ingested as a new user
# would, without --commune (each document's head names its body), plus the legal pack every store holds.
# Usage: benchmarks/build_s38_store.sh [STORE_DIR]   (default /tmp/s38-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s38-store}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
"$PYTHON" -m ui.cli ingest benchmarks/other_bodies_s38/*.pdf
