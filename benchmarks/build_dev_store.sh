#!/usr/bin/env bash
# Rebuild the store used to tune answers on benchmarks/gold_decisions_dev.jsonl (see docs/EVALUATION.md).
#
# Contents: 14 Montpellier deliberations used by no other gold (tables of amounts per association, tariff
# tables, totals, "A été élu :" designations) and one Montpellier compte rendu of 2011 (item titles with
# "Pour : / Contre : / Abstention :" vote counts), about 200 passages. Embeddings go through the shared
# cache. This is the DEVELOPMENT set: tune on it; gold_decisions_unseen.jsonl is measured once, never tuned.
#
# Usage: benchmarks/build_dev_store.sh [STORE_DIR]   (default /tmp/dev-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/dev-store python -m ui.cli eval benchmarks/gold_decisions_dev.jsonl
set -euo pipefail
STORE="${1:-/tmp/dev-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP=(
  2013-02-04-0000061086 2013-02-04-0000061099 2013-02-04-0000061110 2013-02-04-0000061111
  2013-02-04-0000061117 2013-03-25-0000062240 2013-03-25-0000062252 2013-03-25-0000062256
  2013-06-17-0000064267 2014-04-24-0000071262 2014-04-24-0000071263 2014-05-22-0000072056
  2014-05-22-0000072060 2014-05-22-0000072068
)
files=()
for stem in "${MTP[@]}"; do files+=("$CORPUS/deliberations/montpellier/pdfs/$stem.pdf"); done
"$PYTHON" -m ui.cli ingest --commune Montpellier "${files[@]}" \
  "$CORPUS/deliberations/montpellier/comptes_rendus/CR_CM_07_02_2011.pdf"
