"""Precision and recall, per field, of rag.decision (the operative part) against a hand-written gold.

    python benchmarks/decision_fields.py [--data data/deliberations] [--gold benchmarks/decision_gold.json]

A field's values are compared as sets, after folding case and accents and removing spaces ("2 500 €" =
"2500€"); precision = correct / extracted, recall = correct / gold, summed over the records.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.deliberations import split_deliberations  # noqa: E402
from ingest.pdf import load_pdf  # noqa: E402
from rag.decision import Decision, extract_decision  # noqa: E402
from rag.french import fold  # noqa: E402

FIELDS = ("amounts", "persons", "votes")  # a gold record without a field's key is not scored on it


def _votes(decision: Decision) -> list[str]:
    """The vote counts as "58 pour", "1 contre", "7 abstention"."""
    counts = (("pour", decision.pour), ("contre", decision.contre), ("abstention", decision.abstention))
    return [f"{n} {word}" for word, n in counts if n is not None]


def _key(value: str) -> str:
    return "".join(fold(value).split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "deliberations")
    parser.add_argument("--gold", type=Path, default=ROOT / "benchmarks" / "decision_gold.json")
    args = parser.parse_args()
    gold = json.loads(args.gold.read_text(encoding="utf-8"))["records"]
    totals = {name: [0, 0, 0] for name in FIELDS}  # correct, extracted, gold
    records_by_source: dict[str, list] = {}
    for item in gold:
        source = item["source"]
        if source not in records_by_source:
            path = args.data / source
            records_by_source[source] = split_deliberations(
                load_pdf(path, display=source, max_pages=50, isolate=False), source=source
            )
        record = next(
            (
                r
                for r in records_by_source[source]
                if (item.get("delib_id") and r.delib_id == item["delib_id"])
                or (item.get("objet") and item["objet"] in (r.objet or ""))
            ),
            None,
        )
        decision = extract_decision(record.text, record) if record else None
        for name in FIELDS:
            if name not in item:
                continue
            expected = {_key(v) for v in item[name]}
            values = (_votes(decision) if name == "votes" else getattr(decision, name)) if decision else []
            found = {_key(v) for v in values}
            totals[name][0] += len(expected & found)
            totals[name][1] += len(found)
            totals[name][2] += len(expected)
            if expected != found:
                print(
                    f"{source} {item.get('delib_id') or item.get('objet')} {name}: "
                    f"missing {sorted(expected - found)} extra {sorted(found - expected)}"
                )
    for name, (correct, extracted, expected) in totals.items():
        precision = correct / extracted if extracted else 1.0
        recall = correct / expected if expected else 1.0
        print(f"{name:8} precision {precision:.2f} ({correct}/{extracted})  recall {recall:.2f} ({correct}/{expected})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
