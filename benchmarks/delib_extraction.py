"""Precision and recall, per field, of ingest.deliberations against the hand-written gold file.

    python benchmarks/delib_extraction.py [--corpus ../shared/corpus/deliberations] [--gold tests/data/...json]

Gold records are matched to extracted ones of the same PDF by delib_id when the gold has one, else by the
objet (the gold objet is a distinctive substring of the title). For each field, a prediction is a non-empty
extracted value, precision = correct / predicted and recall = correct / non-empty gold values, so a value
extracted where the gold says "not stated" lowers precision.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ingest.deliberations import split_deliberations  # noqa: E402
from rag.french import fold  # noqa: E402
from rag.schema import DeliberationRecord, Page  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "deliberations"
DEFAULT_GOLD = ROOT / "tests" / "data" / "deliberations_gold.json"
FIELDS = (
    "delib_id",
    "date",
    "commune",
    "objet",
    "rapporteur",
    "pour",
    "contre",
    "abstention",
    "unanimous",
    "outcome",
    "en_exercice",
    "presents",
    "matiere_code",
    "articles_vises",
    "page_start",
    "page_end",
)


def _plain(text: str) -> str:
    """Folded with spaces collapsed: objets and names compare across accents, ligatures and line breaks."""
    return " ".join(fold(text).split())


def load_pages(path: Path) -> list[Page]:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reader = PdfReader(str(path))
        return [Page(page.extract_text() or "", number) for number, page in enumerate(reader.pages, start=1)]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _correct(name: str, predicted: Any, gold: Any) -> bool:
    if name == "objet":
        return _plain(str(gold)) in _plain(str(predicted))
    if name in ("rapporteur", "commune"):
        return _plain(str(gold)) == _plain(str(predicted))
    if name == "articles_vises":
        return sorted(predicted) == sorted(gold)
    return bool(predicted == gold)


def _match(gold: dict[str, Any], candidates: list[DeliberationRecord]) -> DeliberationRecord | None:
    if gold.get("delib_id"):
        return next((r for r in candidates if r.delib_id == gold["delib_id"]), None)
    return next((r for r in candidates if r.objet and _plain(gold["objet"]) in _plain(r.objet)), None)


@dataclass
class Score:
    predicted: int = 0
    gold: int = 0
    correct: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0


def evaluate(corpus: Path, gold_records: list[dict[str, Any]]) -> tuple[dict[str, Score], list[str]]:
    """Scores per field (plus "records"), and one line per error for the report."""
    scores = {name: Score() for name in ("records", *FIELDS)}
    errors: list[str] = []
    by_source: dict[str, list[dict[str, Any]]] = {}
    for record in gold_records:
        by_source.setdefault(record["source"], []).append(record)
    for source, golds in by_source.items():
        extracted = split_deliberations(load_pages(corpus / source), source=source)
        remaining = list(extracted)
        scores["records"].predicted += len(extracted)
        scores["records"].gold += len(golds)
        for gold in golds:
            found = _match(gold, remaining)
            if found is None:
                errors.append(f"{source}: no record for « {gold['objet']} »")
                for name in FIELDS:
                    scores[name].gold += not _empty(gold.get(name))
                continue
            remaining.remove(found)
            scores["records"].correct += 1
            for name in FIELDS:
                predicted, expected = getattr(found, name), gold.get(name)
                score = scores[name]
                score.predicted += not _empty(predicted)
                score.gold += not _empty(expected)
                if not _empty(predicted) and not _empty(expected) and _correct(name, predicted, expected):
                    score.correct += 1
                elif not (_empty(predicted) and _empty(expected)):
                    errors.append(
                        f"{source} [{gold.get('delib_id') or gold['objet']}] {name}: "
                        f"extrait {predicted!r}, attendu {expected!r}"
                    )
        for extra in remaining:
            errors.append(f"{source}: record en trop « {extra.objet} »")
    return scores, errors


def format_table(scores: dict[str, Score]) -> str:
    lines = [f"{'field':<14} {'predicted':>9} {'gold':>6} {'correct':>7} {'precision':>9} {'recall':>7}"]
    for name, score in scores.items():
        lines.append(
            f"{name:<14} {score.predicted:>9} {score.gold:>6} {score.correct:>7} "
            f"{score.precision:>9.3f} {score.recall:>7.3f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder of the deliberation PDFs")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="gold JSON file")
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"Corpus introuvable : {args.corpus} (indiquez-le avec --corpus)", file=sys.stderr)
        return 2
    gold = json.loads(args.gold.read_text(encoding="utf-8"))["records"]
    scores, errors = evaluate(args.corpus, gold)
    by_corpus = {}
    for prefix in sorted({g["source"].split("/")[0] for g in gold}):
        by_corpus[prefix] = sum(1 for g in gold if g["source"].startswith(prefix + "/"))
    print(f"gold: {len(gold)} deliberations " + ", ".join(f"{k} {v}" for k, v in by_corpus.items()))
    print(format_table(scores))
    if args.errors:
        print()
        print("\n".join(errors) or "no disagreement")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
