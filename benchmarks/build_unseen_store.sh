#!/usr/bin/env bash
# Rebuild the store used to measure benchmarks/gold_decisions_unseen.jsonl (see docs/EVALUATION.md).
#
# Contents: the 44 Montpellier deliberations the questions were written from (each one a distractor for
# the others), the 11 Couthenans comptes rendus, and the demo CGCT articles (data/cgct): about 1,000
# passages. Embeddings are read from / written to the shared cache, so a rebuild is fast when warm.
#
# Usage: benchmarks/build_unseen_store.sh [STORE_DIR]   (default /tmp/gold-store; run from the repo root)
# Then:  MAIRIE_STORE=/tmp/gold-store python -m ui.cli eval benchmarks/gold_decisions_unseen.jsonl
set -euo pipefail
STORE="${1:-/tmp/gold-store}"
CORPUS="${MAIRIE_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
PYTHON="${PYTHON:-python}"  # the venv's python (activate it, or set PYTHON)
export MAIRIE_STORE="$STORE"
MTP=(
  2013-02-04-0000061092 2013-02-04-0000061096 2013-02-04-0000061104 2013-02-04-0000061105
  2013-02-04-0000061112 2013-02-04-0000061118 2013-02-04-0000061120 2013-02-04-0000061124
  2013-02-04-0000061131 2013-03-25-0000062218 2013-03-25-0000062235 2013-03-25-0000062236
  2013-03-25-0000062239 2013-03-25-0000062251 2013-03-25-0000062255 2013-03-25-0000062258
  2013-06-17-0000064263 2013-06-17-0000064264 2013-06-17-0000064266 2013-06-17-0000064272
  2013-06-17-0000064274 2013-06-17-0000064295 2013-06-17-0000064296 2013-06-17-0000064306
  2013-06-17-0000064315 2014-04-05-0000070899 2014-04-24-0000071218 2014-04-24-0000071246
  2014-04-24-0000071247 2014-04-24-0000071260 2014-04-24-0000071267 2014-04-24-0000071276
  2014-04-24-0000071280 2014-04-24-0000071285 2014-05-22-0000072016 2014-05-22-0000072079
  2014-05-22-0000072083 2014-05-22-0000072090 2014-05-22-0000072093 2014-05-22-0000072107
  2014-05-22-0000072129 2014-05-22-0000072190 2014-05-22-0000072217 2014-05-22-0000072220
)
files=()
for stem in "${MTP[@]}"; do files+=("$CORPUS/deliberations/montpellier/pdfs/$stem.pdf"); done
"$PYTHON" -m ui.cli ingest --commune Montpellier "${files[@]}"
"$PYTHON" -m ui.cli ingest --commune Couthenans "$CORPUS"/deliberations/couthenans/pdfs/*.pdf
"$PYTHON" -m ui.cli ingest data/cgct
