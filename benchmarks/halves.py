"""Split a blind gold set into a dev half (read and worked on) and a test half (measured, never read).

    python benchmarks/halves.py benchmarks/gold_decisions_s30.jsonl /tmp/halves
    python benchmarks/halves.py benchmarks/gold_s30_absent.jsonl /tmp/halves

Answerable questions are split by DOCUMENT (the documents sorted by path; those at even positions, 0, 2, ..., form
the dev half), so that no document of the test half was read: a rule fitted to a document's layout cannot pass for
a general one on the test half. Absent questions, which point at no document, are split by their position in the
file (even positions: dev). Writes <name>_dev.jsonl and <name>_test.jsonl in the output folder and prints the counts.
Session 30 measured `gold_decisions_s30.jsonl` and `gold_s30_absent.jsonl` this way (docs/EVALUATION.md).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def halves(lines: list[dict]) -> tuple[list[dict], list[dict]]:
    """(dev, test): by document for answerable questions, by position for absent ones."""
    if all(not q.get("gold_docs") for q in lines):
        return lines[0::2], lines[1::2]
    docs = sorted({q["gold_docs"][0]["path"] for q in lines if q.get("gold_docs")})
    dev_docs = set(docs[0::2])
    dev = [q for q in lines if q.get("gold_docs") and q["gold_docs"][0]["path"] in dev_docs]
    test = [q for q in lines if q not in dev]
    return dev, test


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    gold, out = Path(argv[0]), Path(argv[1])
    lines = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.mkdir(parents=True, exist_ok=True)
    for name, part in zip(("dev", "test"), halves(lines), strict=True):
        path = out / f"{gold.stem}_{name}.jsonl"
        path.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in part), encoding="utf-8")
        print(f"{path}: {len(part)} questions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
