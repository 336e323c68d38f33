#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/other_bodies_s41/gold_decisions_s41.jsonl and gold_s41_absent.jsonl
# (see docs/EVALUATION.md, session 41): the six PDFs of invented bodies shipped with the set, ingested as a new user
# would, without --commune (each document's head names its body), plus the legal pack every store holds.
# Usage: benchmarks/build_s41_store.sh [STORE_DIR]   (default /tmp/s41-store; run from the repo root)
set -euo pipefail
STORE="${1:-/tmp/s41-store}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
"$PYTHON" -m ui.cli ingest benchmarks/other_bodies_s41/*.pdf
