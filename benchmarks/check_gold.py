#!/usr/bin/env python3
"""Check a mairie-rag gold set (JSONL) against the real source texts.

Usage:
    python benchmarks/check_gold.py [--warn-expected] [GOLD_JSONL] [CORPUS_ROOT]

    python benchmarks/check_gold.py benchmarks/gold.jsonl /work/shared/corpus
    python benchmarks/check_gold.py benchmarks/gold_demo.jsonl /work/main/data

Defaults: GOLD_JSONL = benchmarks/gold.jsonl next to this script; CORPUS_ROOT =
/work/shared/corpus, or /work/main/data when the gold file is named gold_demo*.

For every line the script checks the schema (id, question, kind, gold_articles,
gold_docs, expected, evidence), and for every question that has gold it checks
that `evidence` really occurs in the source text:

* PDFs (gold_docs[].path, relative to CORPUS_ROOT): in the pypdf extract_text()
  of ONE of the listed 1-based pages;
* articles (gold_articles): in the text of the article .md file, found by article
  number (file `article-<num>.md`, case-insensitive) anywhere under the CGCT tree
  (CORPUS_ROOT/legal/cgct-markdown, or CORPUS_ROOT/cgct, or CORPUS_ROOT itself).

Before comparison both sides are normalised: Unicode NFKC, lower case, typographic
apostrophes and quotes (’ ‘ ʼ ´ `) -> ', non-breaking spaces -> space, HTML tags
removed (tables in the article files), control characters dropped, whitespace
collapsed. Line-break hyphenation is handled by also trying the source text with
"-<newline>" joined (désaffec-\\ntion -> désaffection) and the evidence and source
with every hyphen removed.

A question whose gold spans several sources (kind "mixed") may give several
evidence fragments separated by " || ": each fragment must be found in at least
one of the question's sources.

`absent` questions must have gold_articles [], gold_docs [], expected null and
evidence null.

Optional `key_facts` (every string must appear in the answer) and `key_facts_any`
(one of them must) are lists of non-empty strings; every key fact, and at least
one alternative, must be found in the text of the listed sources by the matcher
that `mairie eval` scores answers with (rag.evaluate.key_fact_in: accents, spaces
inside numbers and decimal commas normalised), so that a key fact is always
something the cited page states.

With --warn-expected, also warn (never fail) when `expected` is not literally
inside the normalised evidence (expected is often a short paraphrase, so this is
only a reading aid).

Exit status 0 when every line passes, 1 otherwise; each failing line is printed.
The standard library, pypdf and, for key facts, rag.evaluate of this repository.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
import unicodedata
from functools import cache

try:
    from pypdf import PdfReader
except ImportError:  # pragma: no cover
    sys.exit("pypdf is required: pip install pypdf")

KINDS = {"cgct_paraphrase", "article_ref", "deliberation", "absent", "mixed"}
ARTICLE_RE = re.compile(r"^(?:LO|L|R|D|A)\d{4}(?:-\d+)*$")
REQUIRED = ["id", "question", "kind", "gold_articles", "gold_docs", "expected", "evidence"]
SEP = " || "

_QUOTES = {
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "`": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u2010": "-",
    "\u2011": "-",
}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tables in the CGCT markdown
    for a, b in _QUOTES.items():
        text = text.replace(a, b)
    text = "".join(ch if (ch in "\n\t" or unicodedata.category(ch)[0] != "C") else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip().lower()


def variants(raw: str) -> list[str]:
    """Normalised forms of a source text: as is, with line-break hyphens joined."""
    raw = unicodedata.normalize("NFKC", raw)
    joined = re.sub(r"(\w)[-\u2010\u2011]\s*\n\s*(\w)", r"\1\2", raw)
    out = [normalise(raw)]
    if joined != raw:
        out.append(normalise(joined))
    return out


def found(evidence: str, sources: list[str]) -> bool:
    ev = normalise(evidence)
    if not ev:
        return False
    ev_nohyph = ev.replace("-", "")
    for raw in sources:
        for v in variants(raw):
            if ev in v:
                return True
            if ev_nohyph and ev_nohyph in v.replace("-", ""):
                return True
    return False


@cache
def pdf_pages(path: str) -> tuple[str, ...]:
    if path.lower().endswith(".doc"):
        return (word_text(path),)
    reader = PdfReader(path)
    return tuple((p.extract_text() or "") for p in reader.pages)


def word_text(path: str) -> str:
    """A Word 97-2003 file's text as the ingester reads it (antiword, no wrapping): one page."""
    import subprocess

    out = subprocess.run(["antiword", "-w", "0", "-m", "UTF-8.txt", path], capture_output=True, timeout=120, check=True)
    return out.stdout.decode("utf-8", "replace")


class ArticleIndex:
    def __init__(self, root: str):
        self.files: dict[str, str] = {}
        bases = [os.path.join(root, "legal", "cgct-markdown"), os.path.join(root, "cgct")]
        bases = [b for b in bases if os.path.isdir(b)] or [root]
        for base in bases:
            for dirpath, _dirs, files in os.walk(base):
                for f in files:
                    m = re.match(r"^article-(.+)\.md$", f, re.I)
                    if m:
                        self.files.setdefault(m.group(1).upper(), os.path.join(dirpath, f))

    def text(self, num: str) -> str | None:
        path = self.files.get(num.upper())
        if path is None:
            return None
        with open(path, encoding="utf-8") as fh:
            return fh.read()


def check_line(
    obj: dict, root: str, arts: ArticleIndex, seen: set, warn_expected: bool = False
) -> tuple[list[str], list[str]]:
    errs: list[str] = []
    warns: list[str] = []
    for k in REQUIRED:
        if k not in obj:
            errs.append(f"missing key {k!r}")
    if errs:
        return errs, warns
    qid, kind = obj["id"], obj["kind"]
    if qid in seen:
        errs.append(f"duplicate id {qid}")
    seen.add(qid)
    if kind not in KINDS:
        errs.append(f"unknown kind {kind!r}")
    if not isinstance(obj["question"], str) or len(obj["question"].strip()) < 8:
        errs.append("question empty or too short")
    if not isinstance(obj["gold_articles"], list) or not isinstance(obj["gold_docs"], list):
        return errs + ["gold_articles and gold_docs must be lists"], warns

    if kind == "absent":
        if obj["gold_articles"] or obj["gold_docs"] or obj["expected"] is not None or obj["evidence"] is not None:
            errs.append("absent question must have empty gold and null expected/evidence")
        return errs, warns

    if not obj["gold_articles"] and not obj["gold_docs"]:
        errs.append("no gold_articles nor gold_docs")
    if not isinstance(obj["evidence"], str) or not obj["evidence"].strip():
        errs.append("evidence missing")
        return errs, warns
    if not isinstance(obj["expected"], str) or not obj["expected"].strip():
        errs.append("expected missing")

    sources: list[str] = []
    for a in obj["gold_articles"]:
        if not isinstance(a, str) or not ARTICLE_RE.match(a):
            errs.append(f"article number not normalised: {a!r}")
            continue
        t = arts.text(a)
        if t is None:
            errs.append(f"article {a} not found under the CGCT tree")
        else:
            sources.append(t)
    for d in obj["gold_docs"]:
        if not isinstance(d, dict) or "path" not in d or "pages" not in d:
            errs.append(f"bad gold_doc {d!r}")
            continue
        if "delib_id" not in d:
            errs.append(f"gold_doc without delib_id key: {d['path']}")
        full = os.path.join(root, d["path"])
        if not os.path.isfile(full):
            errs.append(f"document not found: {d['path']}")
            continue
        try:
            pages = pdf_pages(full)
        except Exception as exc:  # noqa: BLE001
            errs.append(f"cannot read {d['path']}: {exc}")
            continue
        if full.lower().endswith(".doc") and not d["pages"]:
            sources.append(pages[0])  # Word files have no pages: the whole text
        elif not d["pages"]:
            errs.append(f"no pages listed for {d['path']}")
        for p in d["pages"]:
            if not isinstance(p, int) or p < 1 or p > len(pages):
                errs.append(f"page {p!r} out of range 1..{len(pages)} in {d['path']}")
            else:
                sources.append(pages[p - 1])
    if errs:
        return errs, warns

    fragments = [f for f in obj["evidence"].split(SEP) if f.strip()]
    for frag in fragments:
        if not found(frag, sources):
            errs.append(f"evidence not found in listed sources: {frag[:90]!r}")

    errs += _check_key_facts(obj, sources)

    if warn_expected and isinstance(obj["expected"], str):
        ev = normalise(obj["evidence"])
        exp = normalise(obj["expected"])
        if exp not in ev and exp.replace(" ", "") not in ev.replace(" ", ""):
            warns.append(f"expected {obj['expected']!r} not literally inside evidence")
    return errs, warns


def _check_key_facts(obj: dict, sources: list[str]) -> list[str]:
    facts, alternatives = obj.get("key_facts", []), obj.get("key_facts_any", [])
    errs = [
        f"{key} must be a list of non-empty strings"
        for key, values in (("key_facts", facts), ("key_facts_any", alternatives))
        if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values)
    ]
    if errs or not (facts or alternatives):
        return errs
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from rag.evaluate import key_fact_in

    text = "\n".join(sources)
    errs += [f"key fact not found in listed sources: {f!r}" for f in facts if not key_fact_in(text, [f])]
    if alternatives and not key_fact_in(text, [], alternatives):
        errs.append(f"no key_facts_any alternative found in listed sources: {alternatives!r}")
    return errs


def main(argv: list[str]) -> int:
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # "Ignoring wrong pointing object" noise
    warn_expected = "--warn-expected" in argv
    argv = [a for a in argv if a != "--warn-expected"]
    here = os.path.dirname(os.path.abspath(__file__))
    gold = argv[1] if len(argv) > 1 else os.path.join(here, "gold.jsonl")
    if len(argv) > 2:
        root = argv[2]
    elif os.path.basename(gold).startswith("gold_demo"):
        root = "/work/main/data"
    else:
        root = "/work/shared/corpus"
    if not os.path.isdir(root):
        print(f"corpus root not found: {root}")
        return 2
    arts = ArticleIndex(root)
    seen: set = set()
    n = n_fail = n_warn = 0
    kinds: dict[str, int] = {}
    with open(gold, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            n += 1
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                n_fail += 1
                print(f"FAIL line {lineno}: invalid JSON: {exc}")
                continue
            kinds[obj.get("kind", "?")] = kinds.get(obj.get("kind", "?"), 0) + 1
            errs, warns = check_line(obj, root, arts, seen, warn_expected)
            for w in warns:
                n_warn += 1
                print(f"warn line {lineno} [{obj.get('id')}]: {w}")
            if errs:
                n_fail += 1
                for e in errs:
                    print(f"FAIL line {lineno} [{obj.get('id')}]: {e}")
    print(f"{gold}: {n} questions, {n - n_fail} pass, {n_fail} fail, {n_warn} warnings; corpus root {root}")
    print("kinds: " + ", ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
