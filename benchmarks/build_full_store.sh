#!/usr/bin/env bash
# Build the FULL-CORPUS store: the shipped legal pack plus every council document of ../shared/corpus (298 files:
# text PDFs, scans read by OCR, Word files), each commune's folder ingested with its commune. 9,688 passages.
#
# Why: every gold set of benchmarks/ is measured on a small store of its own documents (15-30 files, no law). A town
# hall's store holds years of deliberations and the law: there, the deliberations of one meeting or one service share
# most of a question's words, and the law makes council words look rare. The decision sets measured on this store
# (docs/EVALUATION.md, "Session 27: the whole corpus") showed what the small stores hid.
#
# OCR needs ocrmypdf and tesseract-ocr-fra, or the OCR cache of a previous run (MAIRIE_CACHE_DIR/ocr). With a warm
# embedding cache the build takes a few minutes; from scratch, about 45 minutes on 2 cores.
# Usage: benchmarks/build_full_store.sh [STORE_DIR]   (default /tmp/full-store; run from the repo root)
# Then, for each decision set: MAIRIE_STORE=STORE_DIR mairie eval benchmarks/gold_decisions_<set>.jsonl
# (benchmarks/eval_full_store.sh runs them all). The absent sets are not measured there: a question absent from
# a set's small store may be answered by another document of the corpus.
set -euo pipefail
STORE="${1:-/tmp/full-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
C="$CORPUS/deliberations"
"$PYTHON" -m ui.cli pack load
"$PYTHON" -m ui.cli ingest --commune Preuilly-sur-Claise "$C/preuilly-sur-claise/PV_CM_2020-07-23.pdf"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$C/couthenans/pdfs"
"$PYTHON" -m ui.cli ingest --commune Flaux "$C/flaux/docs"
"$PYTHON" -m ui.cli ingest --commune Montpellier "$C/montpellier/pdfs" "$C/montpellier/comptes_rendus"
"$PYTHON" -m ui.cli documents | tail -1
