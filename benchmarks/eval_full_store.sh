#!/usr/bin/env bash
# Every decision set of benchmarks/ (and the full-corpus gold) measured on the full-corpus store built by
# benchmarks/build_full_store.sh; one summary line per set, the JSON reports in OUT_DIR.
# Usage: benchmarks/eval_full_store.sh [STORE_DIR] [OUT_DIR]   (defaults /tmp/full-store, /tmp/full-eval; from the repo root)
set -euo pipefail
export MAIRIE_STORE="${1:-/tmp/full-store}"
OUT="${2:-/tmp/full-eval}"
PYTHON="${PYTHON:-python}"
mkdir -p "$OUT"
for gold in benchmarks/gold_decisions_*.jsonl benchmarks/gold.jsonl; do
  name=$(basename "$gold" .jsonl)
  "$PYTHON" -m ui.cli eval "$gold" --json > "$OUT/$name.json"
  "$PYTHON" - "$OUT/$name.json" "$name" <<'PY'
import json, sys
overall = json.load(open(sys.argv[1]))["summary"]["overall"]
keys = ("questions", "recall@1_doc", "recall@5_doc", "mrr@10_doc", "key_fact_rate", "false_refusals", "citation_precision")
print(f"{sys.argv[2]:32}", "  ".join(f"{k} {overall.get(k)}" for k in keys))
PY
done
