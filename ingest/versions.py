"""Loader for article versions as JSON lines, kept in the versions collection (no embedding, see ingest.pipeline).

Two shapes are read, one JSON object per line:

- a history: `{"article_num": "L2122-22", "code": "...", "hierarchy": [...], "versions": [{"date", "message",
  "text"}, ...]}` (cgct-versions-2015.jsonl, rebuilt from etalab/codes-juridiques-francais);
- a snapshot: `{"article_num": "L2121-10", "text": "...", "date"?: "2023-06-03"}` (cgct-key-articles-2023.jsonl):
  one version dated by its `date` / `version_date` field, else by the first ISO date of its `source`
  description, else SNAPSHOT_DATE.

A history also dates the text of a code tree loaded from Markdown (ingest.cgct): `histories_beside` finds
the history files next to the tree, `consolidation_date` gives the date of the version an article's text is.

Example (needs a live store)::

    records = load_versions_jsonl(Path("data/legal/cgct-versions-demo.jsonl"))
    VersionStore(store=store).write(records)
"""

from __future__ import annotations

import functools
import json
import logging
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.base import Loaded, SourceMeta
from rag.articles import code_tag, normalize_article
from rag.errors import SourceError
from rag.text import has_html, html_to_text
from rag.versions import VersionRecord, fingerprint

logger = logging.getLogger(__name__)

# The Archeo-Lex export of cgct-key-articles-2023.jsonl logs its last pull on this date.
SNAPSHOT_DATE = "2023-06-03"
_ISO_DATE_RE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def is_versions_jsonl(path: Path) -> bool:
    """True when the first line is a JSON object with "article_num" and "versions" or "text"."""
    if path.suffix.lower() not in (".jsonl", ".ndjson"):
        return False
    try:
        with path.open(encoding="utf-8") as fh:
            first = fh.readline()
        record = json.loads(first)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(record, dict) and "article_num" in record and ("versions" in record or "text" in record)


def load_versions_jsonl(path: Path, *, default_code: str = "CGCT", snapshots: bool = True) -> list[VersionRecord]:
    """Every version of every article of the file (a snapshot line gives one version; none if not `snapshots`)."""
    records: list[VersionRecord] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(path.name, f"fichier illisible ({e})", fix="vérifiez qu'il s'agit de JSON lines UTF-8") from e
    for line_number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as e:
            raise SourceError(path.name, f"ligne {line_number} : JSON invalide ({e.msg})") from e
        if not isinstance(raw, dict) or "article_num" not in raw:
            raise SourceError(path.name, f"ligne {line_number} : champ « article_num » absent")
        if snapshots or isinstance(raw.get("versions"), list):
            records.extend(_records(raw, path.name, default_code))
    return records


@functools.lru_cache(maxsize=8)
def histories_beside(root: Path, code: str) -> dict[str, list[tuple[str, str]]]:
    """Article number -> (date, text fingerprint) of each version of `code` in the history files next to a
    code tree, oldest first (fingerprints, not texts: the whole CGCT history is 20 MB).

    Looked for: `*.jsonl` files in `root`, its parent folder and that folder's sub-folders. Only
    histories count (lines with "versions"): a snapshot says when a text was seen, not when it took effect.
    """
    folders = [root, root.parent, *(d for d in sorted(root.parent.iterdir()) if d.is_dir() and d != root)]
    by_article: dict[str, list[tuple[str, str]]] = {}
    for folder in folders:
        for path in sorted(folder.glob("*.jsonl")):
            if not is_versions_jsonl(path):
                continue
            try:
                records = load_versions_jsonl(path, snapshots=False)
            except SourceError as e:
                logger.warning("Version history %s not read: %s", path, e)
                continue
            for record in records:
                if record.code == code and record.text.strip():  # a repeal (no text) dates no text
                    by_article.setdefault(record.article, []).append((record.date, fingerprint(record.text)))
    for versions in by_article.values():
        versions.sort()
    return by_article


def consolidation_date(versions: Sequence[tuple[str, str]], text: str) -> str:
    """The date of the newest (date, fingerprint) version whose text is `text` ("" when none is)."""
    key = fingerprint(text)
    return next((date for date, version_key in reversed(versions) if version_key == key), "")


class VersionsLoader:
    """Article versions (history or snapshot lines): no document, only versions."""

    def load(self, path: Path, *, meta: SourceMeta) -> Loaded:
        return Loaded(versions=load_versions_jsonl(path))


def _plain(text: str) -> str:
    """A version's text as the article's passages read it: Légifrance HTML (tables) turned into plain text."""
    return html_to_text(text) if has_html(text) else text


def _records(raw: dict[str, Any], source: str, default_code: str) -> list[VersionRecord]:
    number = normalize_article(str(raw["article_num"])) or str(raw["article_num"]).strip()
    code = code_tag(str(raw["code"])) if raw.get("code") else default_code
    hierarchy = raw.get("hierarchy") or []
    heading = " > ".join(str(h.get("title", "")) for h in hierarchy if isinstance(h, dict) and h.get("title"))
    common = {"article": number, "code": code, "heading_path": heading, "source": source}
    versions = raw.get("versions")
    if isinstance(versions, list):  # a history; an empty one (25 lines of the 2015 file) dates nothing
        return [
            # A version with status "D" and no text: the article was repealed on that date (kept as "").
            VersionRecord(
                date=str(v["date"])[:10],
                text=_plain(str(v.get("text") or "")),
                message=str(v.get("message") or ""),
                **common,
            )
            for v in versions
            if isinstance(v, dict) and v.get("date")
        ]
    date = str(raw.get("date") or raw.get("version_date") or "")[:10] or _date_in(raw.get("source")) or SNAPSHOT_DATE
    origin = raw.get("source")
    repo = origin.get("repo", "") if isinstance(origin, dict) else ""
    message = f"relevé dans l'export {repo}" if repo else "texte relevé à cette date"
    return [VersionRecord(date=date, text=_plain(str(raw.get("text", ""))), message=message, **common)]


def _date_in(value: Any) -> str:
    match = _ISO_DATE_RE.search(json.dumps(value, ensure_ascii=False)) if value else None
    return match.group(1) if match else ""
