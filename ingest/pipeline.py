"""Files -> documents -> chunks -> rag.store, one event per file (the edges draw progress from them).

Example (needs a live store)::

    for event in Ingestor(store=store, settings=settings).run(collect_files([Path("data")])):
        print(event.source, event.status)
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest import cgct, deliberations, detect
from ingest.chunking import chunk_id, chunk_pages, split_text
from ingest.pdf import load_pdf
from rag import schema
from rag.errors import SourceError, StoreError
from rag.french import french_date
from rag.schema import Chunk, Document, Page
from rag.settings import Settings
from rag.store import ChromaStore, date_to_int, doc_id_for, normalize_key

logger = logging.getLogger(__name__)

# Bump when loaders or chunking change in a way that changes chunks: documents are then re-indexed.
PIPELINE_VERSION = "2"
# Small documents (one CGCT article each) are written together: fewer Chroma round trips per chunk.
WRITE_GROUP_CHUNKS = 48
WRITE_GROUP_DOCS = 64
SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}

INDEXED = "indexed"
UNCHANGED = "unchanged"
FAILED = "failed"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to ingest and its source key (path relative to the folder given, or its name)."""

    path: Path
    source: str
    root: Path | None = None  # the folder it was found in (None for a file given by name)


@dataclass(slots=True)
class FileEvent:
    """What happened to one file."""

    source: str
    status: str  # INDEXED | UNCHANGED | FAILED | SKIPPED
    chunks: int = 0
    embedded: int = 0
    message: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Summary:
    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    chunks: int = 0
    embedded: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, event: FileEvent) -> None:
        setattr(self, event.status, getattr(self, event.status) + 1)
        self.chunks += event.chunks
        self.embedded += event.embedded
        if event.status in (FAILED, SKIPPED) and event.message:
            self.problems.append(f"{event.source} : {event.message}")
        self.problems.extend(f"{event.source} : {w}" for w in event.warnings)


# C0/C1 controls, line/paragraph separators and bidi overrides (which can disguise "fdp.exe" as "exe.pdf").
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def safe_display(name: str) -> str:
    """A file name fit for messages and keys: undecodable bytes as U+FFFD, control characters as '?'."""
    name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return _UNSAFE_CHARS.sub("?", name)


def collect_files(paths: list[Path]) -> list[SourceFile]:
    """Expand folders (sorted, hidden files skipped); a missing path raises SourceError."""
    files: list[SourceFile] = []
    for given in paths:
        if not given.exists():
            raise SourceError(str(given), "chemin introuvable", fix="vérifiez le chemin donné à `mairie ingest`")
        if given.is_file():
            files.append(SourceFile(given, safe_display(given.name)))
            continue
        root = given.resolve()
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or name in SKIPPED_NAMES or _is_note(name):
                    continue
                path = Path(dirpath) / name
                rel = path.relative_to(root).as_posix()
                files.append(SourceFile(path, safe_display(rel), root))
    return files


def _is_note(name: str) -> bool:
    """Provenance, licence and changelog notes that sit beside documents are not documents."""
    stem = name.rsplit(".", 1)[0].upper()
    return stem.startswith(("PROVENANCE", "LICENSE", "LICENCE", "CHANGELOG")) and not name.startswith("article")


def file_hash(path: Path, *, pseudonymized: bool = False) -> str:
    """The file's content hash, salted with what changes its chunks (pipeline version, pseudonymisation)."""
    digest = hashlib.sha256(f"{PIPELINE_VERSION}:{int(pseudonymized)}".encode())
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Ingestor:
    """Loads files into documents and writes them to the store, skipping unchanged ones."""

    def __init__(self, *, store: ChromaStore, settings: Settings, commune: str | None = None) -> None:
        self.store = store
        self.settings = settings
        self.commune = commune or settings.commune or None  # when a document does not name its commune
        self._pseudonymizer: Any = None

    @property
    def pseudonymizer(self) -> Any:
        """The local pseudonym mapping (kept beside the store, readable by its owner only)."""
        if self._pseudonymizer is None:
            from ingest.pseudonymize import Pseudonymizer

            self._pseudonymizer = Pseudonymizer(self.settings.store / "pseudonymisation" / "pseudonymes.json")
        return self._pseudonymizer

    def run(
        self, files: list[SourceFile], *, on_embedded: Callable[[int], None] | None = None
    ) -> Iterator[FileEvent]:
        known = {d.source: d for d in self.store.documents(include_incomplete=True)}
        pending: list[tuple[Document, list[str]]] = []
        for item in files:
            try:
                outcome = self._one(item, known, on_embedded)
            except SourceError as e:
                logger.warning("Skipping %s: %s", item.source, e)
                yield FileEvent(item.source, FAILED, message=f"{e.reason}" + (f" ({e.fix})" if e.fix else ""))
                continue
            except MemoryError:
                yield FileEvent(item.source, FAILED, message="fichier trop volumineux pour la mémoire disponible")
                continue
            except (StoreError, KeyboardInterrupt):
                raise
            except Exception as e:  # one file never stops the batch (a loader bug, an OS error ...)
                logger.exception("Unexpected error on %s", item.source)
                yield FileEvent(item.source, FAILED,
                                message=f"erreur inattendue en lisant le fichier ({type(e).__name__} : {e})")
                continue
            if isinstance(outcome, FileEvent):
                yield outcome
                continue
            pending.append(outcome)
            if sum(len(d.chunks) for d, _ in pending) >= WRITE_GROUP_CHUNKS or len(pending) >= WRITE_GROUP_DOCS:
                yield from self._flush(pending, on_embedded)
                pending = []
        yield from self._flush(pending, on_embedded)

    def _flush(
        self, pending: list[tuple[Document, list[str]]], on_embedded: Callable[[int], None] | None
    ) -> Iterator[FileEvent]:
        """Write loaded documents together (each one still atomic for readers)."""
        if not pending:
            return
        embedded = self.store.write_documents([d for d, _ in pending], progress=on_embedded)
        for (document, warnings), count in zip(pending, embedded, strict=True):
            yield FileEvent(document.source, INDEXED, chunks=len(document.chunks), embedded=count, warnings=warnings)

    def _one(
        self, item: SourceFile, known: dict[str, Any], on_embedded: Callable[[int], None] | None
    ) -> FileEvent | tuple[Document, list[str]]:
        """A final event (unchanged, skipped, legal file), or a loaded document to write."""
        if item.root is not None and item.path.is_symlink() and not item.path.resolve().is_relative_to(item.root):
            raise SourceError(item.source, "lien symbolique vers un fichier hors du dossier indexé",
                              fix="copiez le document dans le dossier au lieu d'y mettre un lien")
        size = item.path.stat().st_size
        limit = int(self.settings.max_file_mb * 1024 * 1024)
        if size > limit:
            raise SourceError(
                item.source,
                f"fichier de {size / 2**20:.0f} Mo, au-delà de la limite de {self.settings.max_file_mb:g} Mo",
                fix="découpez-le ou augmentez MAIRIE_MAX_FILE_MB",
            )
        kind = detect.detect_type(item.path)
        if kind == detect.SPECIAL:
            raise SourceError(item.source, "pas un fichier ordinaire (tube, périphérique ou socket), non lu",
                              fix="retirez-le du dossier")
        if kind == detect.UNREADABLE:
            raise SourceError(item.source, "fichier illisible (droits d'accès ?)", fix="vérifiez les droits du fichier")
        if kind == detect.UNKNOWN and item.path.suffix.lower() in (".json", ".jsonl"):
            event = self._legal_file(item, known, on_embedded)
            if event is not None:
                return event
        if item.path.name == "README.md" and kind == detect.MARKDOWN:
            # Heading files of a code tree: their titles are read by the article loader.
            head = item.path.read_text(encoding="utf-8", errors="replace")[:300]
            if not cgct.is_article_file(head):
                return FileEvent(item.source, SKIPPED, message="")
        digest = file_hash(item.path, pseudonymized=self.settings.pseudonymize)
        previous = known.get(item.source)
        if previous is not None and previous.doc_hash == digest and previous.status == "complete":
            return FileEvent(item.source, UNCHANGED, chunks=previous.chunks)
        warnings: list[str] = []
        return self.load(item, kind, digest, warnings), warnings

    def _legal_file(
        self, item: SourceFile, known: dict[str, Any], on_embedded: Callable[[int], None] | None
    ) -> FileEvent | None:
        """Article versions (.jsonl, no embedding) or a legi-data code tree (.json); None for other JSON."""
        from ingest import legi, versions

        if versions.is_versions_jsonl(item.path):
            written = versions.write_versions(self.store, versions.load_versions_jsonl(item.path))
            return FileEvent(item.source, INDEXED, message=f"{written} version(s) d'articles")
        if legi.is_legi_json(item.path):
            written, chunks, embedded = legi.write_code_file(
                self.store, item.path, file_name=item.source, max_chars=self.settings.chunk_chars,
                known=known, progress=on_embedded)
            return FileEvent(item.source, INDEXED if written else UNCHANGED, chunks=chunks, embedded=embedded)
        return None

    # --- loaders -----------------------------------------------------------------------------------
    def load(self, item: SourceFile, kind: str, digest: str, warnings: list[str]) -> Document:
        if kind == detect.PDF:
            return self._pdf(item, digest, warnings)
        if kind == detect.MARKDOWN:
            return self._markdown(item, digest, warnings)
        if kind == detect.CSV:
            return self._csv(item, digest, warnings)
        reasons = {
            detect.EMPTY: ("fichier vide (0 octet)", "vérifiez la copie du fichier"),
            detect.WORD_DOC: ("document Word (.doc/.docx) non pris en charge", "enregistrez-le en PDF puis indexez le PDF"),
            detect.EXECUTABLE: ("ce fichier est un programme, pas un document", "retirez-le du dossier"),
            detect.UNKNOWN: ("type de fichier non reconnu", "formats pris en charge : PDF, Markdown, CSV SCDL"),
        }
        reason, fix = reasons.get(kind, reasons[detect.UNKNOWN])
        if kind == detect.UNKNOWN and item.path.suffix.lower() == ".pdf":
            reason = "extension .pdf mais le contenu n'est pas un PDF"
        raise SourceError(item.source, reason, fix=fix)

    def _pdf(self, item: SourceFile, digest: str, warnings: list[str]) -> Document:
        pages = load_pdf(item.path, display=item.source, max_pages=self.settings.max_pages, notes=warnings)
        if self.settings.pseudonymize:
            from ingest.pseudonymize import pseudonymize_pages

            pages = pseudonymize_pages(pages, self.pseudonymizer)
        doc_id = doc_id_for(item.source)
        info = describe_council_document(pages, item.source, path=item.path, default_commune=self.commune)
        base = {
            schema.SOURCE: item.source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: digest,
            schema.KIND: schema.KIND_DOCUMENT,
            schema.TITLE: info["title"],
            "path": safe_display(str(item.path.resolve())),
        }
        base.update(_commune_date_meta(info.get("commune"), info.get("date")))
        records = split_records(pages, item.source, info)
        if records:
            chunks = record_chunks(records, pages, doc_id=doc_id, base=base, max_chars=self.settings.chunk_chars)
            kind = schema.KIND_DELIBERATION
        else:
            chunks = chunk_pages(pages, doc_id=doc_id, base_meta=base, max_chars=self.settings.chunk_chars)
            kind = schema.KIND_DOCUMENT
        if not chunks:
            raise SourceError(item.source, "aucun texte exploitable", fix="vérifiez le document")
        meta = {"pages": len(pages), "records": len(records), "path": safe_display(str(item.path.resolve()))}
        meta.update({k: v for k, v in info.items() if isinstance(v, str) and v})
        return Document(item.source, doc_id, digest, kind, info["title"], chunks, meta)

    def _markdown(self, item: SourceFile, digest: str, warnings: list[str]) -> Document:
        raw = item.path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise SourceError(item.source, "texte non encodé en UTF-8", fix="ré-enregistrez le fichier en UTF-8") from e
        doc_id = doc_id_for(item.source)
        article = cgct.parse_article(item.path, text)
        if article is None:
            warnings.append("aucun titre « # Article ... » : indexé comme document texte simple")
            title = next((ln.lstrip("# ").strip() for ln in text.splitlines() if ln.strip()), item.path.name)
            base = {schema.SOURCE: item.source, schema.DOC_ID: doc_id, schema.DOC_HASH: digest,
                    schema.KIND: schema.KIND_DOCUMENT, schema.TITLE: title[:200], "path": safe_display(str(item.path.resolve()))}
            chunks = chunk_pages([Page(text, 0)], doc_id=doc_id, base_meta=base, max_chars=self.settings.chunk_chars)
            if not chunks:
                raise SourceError(item.source, "fichier sans texte", fix="vérifiez le fichier")
            return Document(item.source, doc_id, digest, schema.KIND_DOCUMENT, title[:200], chunks)
        chunks = article_chunks(article, doc_id=doc_id, source=item.source, digest=digest,
                                max_chars=self.settings.chunk_chars)
        title = f"Article {article.number}"
        meta = {"code": article.code, "article": article.number}
        return Document(item.source, doc_id, digest, schema.KIND_ARTICLE, title, chunks, meta)

    def _csv(self, item: SourceFile, digest: str, warnings: list[str]) -> Document:
        from ingest.scdl import read_scdl_csv

        records, problems = read_scdl_csv(item.path, display=item.source)
        if not records:
            raise SourceError(item.source, "aucune ligne valide dans le CSV SCDL : " + "; ".join(problems[:5]))
        doc_id = doc_id_for(item.source)
        chunks = scdl_chunks(records, doc_id=doc_id, source=item.source, digest=digest)
        chunks = [Chunk(c.id, c.text, {**c.meta, "path": safe_display(str(item.path.resolve()))}) for c in chunks]
        meta = {"rows": len(records), "rejected": len(problems)}
        warnings.extend(f"ligne rejetée : {p}" for p in problems)
        return Document(item.source, doc_id, digest, schema.KIND_DELIBERATION, item.path.name, chunks, meta)


def legifrance_url(article: cgct.Article) -> str:
    if article.code_id:
        return f"https://www.legifrance.gouv.fr/codes/id/{article.code_id}/"
    return "https://www.legifrance.gouv.fr/"


def article_chunks(article: cgct.Article, *, doc_id: str, source: str, digest: str, max_chars: int) -> list[Chunk]:
    """One chunk per article, or per part of a long article (split on paragraphs / numbered items)."""
    heading = " > ".join(article.heading_path)
    context = " > ".join(article.heading_path[-2:])
    parts = split_text(article.text, max_chars) or [""]
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, part in enumerate(parts, start=1):
        label = f"Article {article.number}" + (f" ({index}/{len(parts)})" if len(parts) > 1 else "")
        text = f"{label} — {context}\n{part}" if context else f"{label}\n{part}"
        meta = {
            schema.SOURCE: source,
            schema.DOC_ID: doc_id,
            schema.DOC_HASH: digest,
            schema.KIND: schema.KIND_ARTICLE,
            schema.TITLE: f"Article {article.number}",
            schema.ARTICLE: article.number,
            schema.CODE: article.code,
            schema.HEADING_PATH: heading,
            schema.REGIME: article.regime,
            schema.PART: index,
            schema.PAGE: 0,
            schema.CHUNK_INDEX: index - 1,
            schema.URL: legifrance_url(article),
        }
        chunks.append(Chunk(id=chunk_id(doc_id, text, 0, seen), text=text, meta=meta))
    return chunks


# --- council documents ------------------------------------------------------------------------------
_GENERIC_FOLDERS = {
    "pdf", "pdfs", "doc", "docs", "data", "deliberations", "délibérations", "comptes_rendus", "comptes-rendus",
    "cr", "pv", "proces-verbaux", "documents", "uploads", "archives", "conseil", "conseil-municipal", "tmp",
}
_PARTICLES = {"sur", "sous", "de", "des", "du", "la", "le", "les", "en", "lès", "lez", "et", "aux", "au"}


def commune_from_path(path: Path | None) -> str | None:
    """The commune named by the nearest meaningful folder ("preuilly-sur-claise" -> "Preuilly-sur-Claise")."""
    if path is None:
        return None
    for folder in list(path.resolve().parents)[:3]:
        name = folder.name.lower()
        if len(name) < 4 or name in _GENERIC_FOLDERS or any(ch.isdigit() for ch in name) or name.startswith(("tmp", "pytest")):
            continue
        words = re.split(r"([-_ ])", name)
        pretty = "".join(
            w if w in "-_ " else (w if i and w in _PARTICLES else w.capitalize()) for i, w in enumerate(words)
        )
        return pretty.replace("_", "-").replace(" ", "-")
    return None


def describe_council_document(
    pages: list[Page], source: str, *, path: Path | None = None, default_commune: str | None = None
) -> dict[str, Any]:
    """Commune, séance date and a readable title for a council PDF (empty values when unknown)."""
    commune = deliberations.detect_commune(pages, source)
    date = deliberations.detect_seance_date(pages, source)
    commune = commune or default_commune or commune_from_path(path)
    name = Path(source).name
    parts = [p for p in (commune, french_date(date)) if p]
    title = " — ".join(parts + [name]) if parts else name
    return {"commune": commune or "", "date": date or "", "title": title}


def split_records(pages: list[Page], source: str, info: dict[str, Any]) -> list[schema.DeliberationRecord]:
    return deliberations.split_deliberations(pages, source=source, commune=info.get("commune") or None,
                               seance_date=info.get("date") or None)


def _commune_date_meta(commune: str | None, date: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if commune:
        meta[schema.COMMUNE] = commune
        meta["commune_key"] = normalize_key(commune)
    if date:
        meta[schema.DATE] = date
        meta[schema.DATE_INT] = date_to_int(date)
    return meta


def record_meta(record: schema.DeliberationRecord) -> dict[str, Any]:
    meta: dict[str, Any] = {
        schema.KIND: schema.KIND_DELIBERATION,
        schema.DELIB_ID: record.delib_id,
        schema.OBJET: (record.objet or "")[:500] or None,
        "rapporteur": record.rapporteur,
        schema.OUTCOME: record.outcome,
        schema.UNANIMOUS: record.unanimous,
        schema.VOTE: record.vote_text,
        "vote_pour": record.pour,
        "vote_contre": record.contre,
        "vote_abstention": record.abstention,
        "en_exercice": record.en_exercice,
        "presents": record.presents,
        "representes": record.representes,
        "votants": record.votants,
        schema.MATIERE: record.matiere_code,
        "matiere_l1": record.matiere_code.split(".")[0] if record.matiere_code else None,
        "matiere_nom": record.matiere_nom,
        "articles_vises": ";".join(record.articles_vises) or None,
        "record_page_start": record.page_start,
        "record_page_end": record.page_end,
    }
    if record.url:
        meta[schema.URL] = record.url
    meta.update(_commune_date_meta(record.commune, record.date))
    return {k: v for k, v in meta.items() if v is not None}


def record_chunks(
    records: list[schema.DeliberationRecord], pages: list[Page], *, doc_id: str, base: dict[str, Any], max_chars: int
) -> list[Chunk]:
    """Chunks of each deliberation's text; each chunk is placed on the page where its text starts."""
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        meta_common = dict(base)
        meta_common.update(record_meta(record))
        meta_common["record_index"] = index
        title = " ".join(p for p in (f"Délibération {record.delib_id}" if record.delib_id else "Délibération",
                                      f"— {record.objet}" if record.objet else "") if p)
        meta_common[schema.TITLE] = title[:300]
        span = [p for p in pages if record.page_start <= p.page_number <= max(record.page_end, record.page_start)]
        for text in split_text(record.text, max_chars):
            page = _locate_page(text, span) or record.page_start or 1
            meta = dict(meta_common)
            meta.update({schema.PAGE: page, schema.PAGE_END: _locate_page(text, span, last=True) or page,
                         schema.CHUNK_INDEX: len(chunks)})
            chunks.append(Chunk(id=chunk_id(doc_id, text, page, seen), text=text, meta=meta))
    return chunks


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _locate_page(text: str, pages: list[Page], *, last: bool = False) -> int | None:
    probe = _squash(text[-80:] if last else text[:80])
    for page in reversed(pages) if last else pages:
        if probe and probe in _squash(page.text):
            return page.page_number
    return None


def scdl_chunks(records: list[schema.DeliberationRecord], *, doc_id: str, source: str, digest: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(records):
        text = record.text or " — ".join(p for p in (record.delib_id, record.objet, record.vote_text) if p)
        meta = {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.DOC_HASH: digest, schema.PAGE: 0,
                schema.TITLE: (f"Délibération {record.delib_id} — {record.objet}" if record.delib_id else
                               record.objet or source)[:300], "record_index": index, schema.CHUNK_INDEX: index}
        meta.update(record_meta(record))
        chunks.append(Chunk(id=chunk_id(doc_id, text, 0, seen), text=text, meta=meta))
    return chunks
