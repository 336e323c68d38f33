"""Audit helper for benchmarks/gold_full_absent.jsonl: is an "absent" question still absent over the whole corpus?

It reads documents, never the product: no store, no retrieval, no answer. Two steps.

1. `extract` writes the text of every council file of the corpus (the 297 PDF and Word files that
   benchmarks/build_full_store.sh ingests) to TEXT_DIR, one .txt per file, pages marked `=== page N ===`:
   text PDFs by `pdftotext -layout`; scanned pages from the OCR cache of ingestion (MAIRIE_CACHE_DIR/ocr,
   one JSON per sha256 of the file, written by ingest/ocr.py when the full store was built), or, for a scanned
   page whose OCR is not in that cache, the passages of that page in a built full store (--store, read-only
   SQLite read of its Chroma file); .doc by `antiword`.
2. `grep TERM...` prints every page (file, page) where ALL the terms occur, with context, over the extracted
   texts and the legal pack (CGCT Markdown articles, CRPA JSON). Terms are regular expressions matched with
   accents folded and case ignored, e.g. `grep 'veolia' 'tranch'`; the context shown is around the last term.
   `rank QUESTION_FILE` lists, for each question, the pages sharing the most of its rare words (a reading list
   for the human judge; the judging itself is done by reading, see gold_full_absent_notes.md).

Usage (from the repo root):
    python benchmarks/check_full_absent.py extract [--text-dir /tmp/s28/absentfull/text]
    python benchmarks/check_full_absent.py grep 'hybrides' '2014' [--context 200]
    python benchmarks/check_full_absent.py rank benchmarks/gold_full_absent.jsonl [--top 3]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import re
import sqlite3
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("MAIRIE_CORPUS", ROOT.parent / "shared" / "corpus"))
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")
COUNCIL_DIRS = [
    "deliberations/preuilly-sur-claise",
    "deliberations/couthenans/pdfs",
    "deliberations/flaux/docs",
    "deliberations/montpellier/pdfs",
    "deliberations/montpellier/comptes_rendus",
]
OCR_DIR = Path(os.environ.get("MAIRIE_CACHE_DIR", "/work/cache/embeddings")) / "ocr"
DEFAULT_TEXT_DIR = Path("/tmp/s28/absentfull/text")
DEFAULT_STORE = Path("/tmp/s28/stores/full")  # benchmarks/build_full_store.sh output, read-only
PAGE_MARK = "=== page {} ==="
_LETTER = re.compile(r"[A-Za-zÀ-ÿ]")


def fold(text: str) -> str:
    """Lower case, accents removed, ligatures opened, apostrophes unified: the form every search uses."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("’", "'").replace("\u00a0", " ")
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def council_files() -> list[Path]:
    files: list[Path] = []
    for folder in COUNCIL_DIRS:
        base = CORPUS / folder
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix.lower() in {".pdf", ".doc", ".docx", ".odt"}:
                files.append(path)
    return files


def _ocr_pages(path: Path) -> dict[int, str]:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cached = OCR_DIR / f"{digest}.json"
    if not cached.exists():
        return {}
    data = json.loads(cached.read_text(encoding="utf-8"))
    return {int(n): p["text"] for n, p in data.get("pages", {}).items()}


def store_pages(store: Path | None, path: Path) -> dict[int, str]:
    """The passages a built store holds for `path`, joined per page (for scans whose OCR is not cached here)."""
    db = store / "chroma" / "chroma.sqlite3" if store is not None else None
    if db is None or not db.exists():
        return {}
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = [
            r[0]
            for r in con.execute(
                "SELECT id FROM embedding_metadata WHERE key='path' AND string_value=?", (str(path.resolve()),)
            )
        ]
        pages: dict[int, list[str]] = {}
        for i in ids:
            meta = dict(
                (k, s if s is not None else n)
                for k, s, n in con.execute(
                    "SELECT key, string_value, int_value FROM embedding_metadata WHERE id=?", (i,)
                )
            )
            if isinstance(meta.get("page"), int) and meta.get("chroma:document"):
                pages.setdefault(meta["page"], []).append(str(meta["chroma:document"]))
    finally:
        con.close()
    return {n: "\n".join(texts) for n, texts in pages.items()}


def pdf_pages(path: Path, store: Path | None = None) -> list[str]:
    """Each page's text: the text layer, or the cached OCR where ingestion OCR'd that page, or else the
    passages of a built store for a page with no readable text (a scan whose OCR cache is elsewhere)."""
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=False)
    pages = out.stdout.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    ocr = _ocr_pages(path)
    for number, text in ocr.items():
        while len(pages) < number:
            pages.append("")
        layer = pages[number - 1]
        # ingestion OCRs a page whose layer it cannot trust; keep the layer too when it has words (stamps, etc.)
        pages[number - 1] = text + ("\n" + layer if len(_LETTER.findall(layer)) >= 20 else "")
    if any(len(_LETTER.findall(p)) < 20 for p in pages):
        for number, text in store_pages(store, path).items():
            if 0 < number <= len(pages) and len(_LETTER.findall(pages[number - 1])) < 20:
                pages[number - 1] = text
    return pages


def word_pages(path: Path) -> list[str]:
    if path.suffix.lower() == ".doc":
        out = subprocess.run(["antiword", "-w", "0", str(path)], capture_output=True, text=True, check=False)
        return [out.stdout]
    sys.path.insert(0, str(ROOT))
    from ingest import office  # the product's readers for .docx/.odt (reading, not asking the product)

    reader = office.docx_text if path.suffix.lower() == ".docx" else office.odt_text
    return [reader(path, path.name).text]  # type: ignore[attr-defined]


def extract(text_dir: Path, store: Path | None) -> None:
    text_dir.mkdir(parents=True, exist_ok=True)
    files = council_files()
    empty = []
    for path in files:
        rel = path.relative_to(CORPUS / "deliberations")
        pages = pdf_pages(path, store) if path.suffix.lower() == ".pdf" else word_pages(path)
        body = "\n".join(PAGE_MARK.format(i) + "\n" + page for i, page in enumerate(pages, 1))
        if len(_LETTER.findall(body)) < 200:
            empty.append(str(rel))
        (text_dir / (str(rel).replace("/", "__") + ".txt")).write_text(body, encoding="utf-8")
    print(f"{len(files)} files extracted to {text_dir}; nearly empty (stamp only or unread scan): {len(empty)}")
    for name in empty:
        print("  ", name)


def load_pages(text_dir: Path, with_law: bool = True) -> list[tuple[str, str, str]]:
    """(document, page label, folded text) for every page of the council texts and every legal article."""
    pages: list[tuple[str, str, str]] = []
    for txt in sorted(text_dir.glob("*.txt")):
        parts = re.split(r"=== page (\d+) ===\n", txt.read_text(encoding="utf-8"))
        for i in range(1, len(parts), 2):
            pages.append((txt.name[:-4].replace("__", "/"), "p. " + parts[i], fold(parts[i + 1])))
    if with_law:
        for md in sorted((CORPUS / "legal" / "cgct-markdown").rglob("*.md")):
            if md.name != "README.md":
                pages.append(("CGCT", md.stem, fold(md.read_text(encoding="utf-8"))))
        for js in sorted((CORPUS / "legal" / "crpa-legi-data").rglob("*.json")):
            pages.append(("CRPA", js.name, fold(js.read_text(encoding="utf-8"))))
    return pages


def grep(terms: list[str], text_dir: Path, context: int) -> None:
    patterns = [re.compile(fold(t)) for t in terms]
    hits = 0
    for doc, label, text in load_pages(text_dir):
        if all(p.search(text) for p in patterns):
            hits += 1
            m = patterns[-1].search(text)  # context around the last (put the rarest term last)
            assert m is not None
            start, end = max(0, m.start() - context), m.end() + context
            snippet = re.sub(r"\s+", " ", text[start:end])
            print(f"--- {doc} {label}\n    {snippet}")
    print(f"{hits} page(s) hold all of {terms}")


_WORD = re.compile(r"[a-z0-9]{3,}")
_STOP = set(
    [
        "les",
        "des",
        "une",
        "est",
        "que",
        "qui",
        "quel",
        "quelle",
        "quels",
        "quelles",
        "combien",
        "pour",
        "par",
        "sur",
        "dans",
        "avec",
        "son",
        "ses",
        "leur",
        "leurs",
        "aux",
        "ont",
        "pas",
        "plus",
        "elle",
        "ils",
        "lors",
        "cette",
        "ces",
        "été",
        "etre",
        "être",
        "fait",
        "quoi",
        "comment",
        "date",
        "montant",
        "prix",
        "nom",
        "deux",
        "trois",
    ]
)


def rank(question_file: Path, text_dir: Path, top: int) -> None:
    pages = load_pages(text_dir)
    tokens = [set(_WORD.findall(text)) for _, _, text in pages]
    df: Counter[str] = Counter()
    for t in tokens:
        df.update(t)
    n = len(pages)
    for line in question_file.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        q = json.loads(line)
        words = {w for w in _WORD.findall(fold(q["question"])) if w not in _STOP}
        idf = {w: math.log(n / (1 + df[w])) for w in words}
        scored = sorted(((sum(idf[w] for w in words & t), i) for i, t in enumerate(tokens)), reverse=True)[:top]
        print(f"## {q['id']}: {q['question']}")
        for score, i in scored:
            doc, label, _ = pages[i]
            shared = sorted(words & tokens[i], key=lambda w: -idf[w])
            print(f"   {score:5.1f} {doc} {label}: {' '.join(shared)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["extract", "grep", "rank"])
    parser.add_argument("args", nargs="*")
    parser.add_argument("--text-dir", type=Path, default=DEFAULT_TEXT_DIR)
    parser.add_argument("--context", type=int, default=200)
    parser.add_argument("--store", type=Path, default=DEFAULT_STORE)
    parser.add_argument("--top", type=int, default=3)
    a = parser.parse_args()
    if a.command == "extract":
        extract(a.text_dir, a.store)
    elif a.command == "grep":
        grep(a.args, a.text_dir, a.context)
    else:
        rank(Path(a.args[0]), a.text_dir, a.top)


if __name__ == "__main__":
    main()
