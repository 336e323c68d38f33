"""Pseudonymisation benchmark on hand-labelled real council documents.

Two labelled sets: tests/data/pseudonymization_gold.json (the rules were tuned on it) and
tests/data/pseudonymization_gold_unseen.json (labelled before any run, never used for tuning).
Prints, per document and in total: private-person mentions caught / missed, officials' mentions wrongly
replaced, and "keep" strings (communes, streets, bodies) damaged. A mention is an occurrence of a gold string
(word-bounded, case-sensitive) in the text.

    python benchmarks/pseudonymization.py [--unseen] [--show]
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.pdf import load_pdf  # noqa: E402
from ingest.pseudonymize import Pseudonymizer, pseudonymize_pages  # noqa: E402

GOLD = REPO / "tests" / "data" / "pseudonymization_gold.json"
UNSEEN = REPO / "tests" / "data" / "pseudonymization_gold_unseen.json"
ROOTS = {"data": REPO / "data", "corpus": REPO.parent / "shared" / "corpus"}


def resolve(path: str) -> Path:
    head, _, rest = path.partition("/")
    return ROOTS[head] / rest


def count(needle: str, text: str) -> int:
    return len(re.findall(rf"(?<![\w]){re.escape(needle)}(?![\w])", text))


def other_words_lost(before: str, after: str, private: list[str]) -> list[str]:
    """Words of the text gone after pseudonymisation that are not part of a labelled private name (first
    names replaced with a surname, or words wrongly taken for names)."""
    lost = Counter(re.findall(r"\w[\w'’-]*", before)) - Counter(re.findall(r"\w[\w'’-]*", after))
    labelled = {w for name in private for w in re.findall(r"\w[\w'’-]*", name)}
    return sorted(w for w in lost.elements() if w not in labelled)


def evaluate(show: bool = False, gold_path: Path = GOLD) -> dict[str, int]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    totals = {
        "documents": 0,
        "private": 0,
        "caught": 0,
        "official": 0,
        "wrongly_replaced": 0,
        "keep": 0,
        "damaged": 0,
        "other_lost": 0,
    }
    missed_names: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        pz = Pseudonymizer(Path(tmp) / "pseudonymes.json")
        for doc in gold["documents"]:
            path = resolve(doc["path"])
            if not path.exists():
                print(f"absent, ignoré : {doc['path']}")
                continue
            pages = load_pdf(path, display=path.name, max_pages=2000)
            before = "\n".join(p.text for p in pages)
            after = "\n".join(p.text for p in pseudonymize_pages(pages, pz))
            private = sum(count(n, before) for n in doc["private"])
            left = sum(count(n, after) for n in doc["private"])
            official = sum(count(n, before) for n in doc["officials"])
            lost = official - sum(count(n, after) for n in doc["officials"])
            keep = sum(count(n, before) for n in doc.get("keep", []))
            damaged = max(0, keep - sum(count(n, after) for n in doc.get("keep", [])))
            missed_names += [f"{path.name}: {n}" for n in doc["private"] if count(n, after)]
            totals["documents"] += 1
            totals["private"] += private
            totals["caught"] += private - left
            totals["official"] += official
            totals["wrongly_replaced"] += max(0, lost)
            totals["keep"] += keep
            others = other_words_lost(before, after, doc["private"])
            totals["other_lost"] += len(others)
            totals["damaged"] += damaged
            print(
                f"{path.name:45s} privés {private - left:3d}/{private:<3d} manqués {left:3d}   "
                f"élus remplacés à tort {max(0, lost):3d}/{official}   autres noms abîmés {damaged}/{keep}   "
                f"autres mots remplacés {len(others)}"
            )
            if show and others:
                print(f"   autres mots remplacés : {', '.join(others)}")
            if show:
                for a, b in zip(before.splitlines(), after.splitlines(), strict=False):
                    if a != b:
                        print(f"   - {a}\n   + {b}")
    print(
        f"\nTOTAL {totals['documents']} documents : mentions de personnes privées remplacées "
        f"{totals['caught']}/{totals['private']} ({100 * totals['caught'] / max(1, totals['private']):.0f} %), "
        f"manquées {totals['private'] - totals['caught']} ; mentions d'élus remplacées à tort "
        f"{totals['wrongly_replaced']}/{totals['official']} ; lieux et organismes abîmés "
        f"{totals['damaged']}/{totals['keep']} ; autres mots remplacés (prénoms compris) {totals['other_lost']}"
    )
    for name in missed_names:
        print(f"  manqué : {name}")
    return totals


if __name__ == "__main__":
    evaluate(show="--show" in sys.argv, gold_path=UNSEEN if "--unseen" in sys.argv else GOLD)
