"""Keeping an embedded store honest: purge what a removal leaves on disk, detect damaged or emptied
stores, back up and restore.

- Purge: Chroma keeps every write in its write-ahead log (the `embeddings_queue` table of
  chroma.sqlite3: text, metadata and vector) until its vector segment is flushed, and SQLite keeps
  deleted rows in free pages. `scrub_chroma` deletes the log rows that a later delete of the same id
  made useless (replaying the log gives the same result with or without them), merges the full-text
  index (`optimize` drops deleted entries) and runs `VACUUM`.
- Proof: a removal records, in the audit log, short digests of 8-word extracts of each removed passage
  (never the text). `scan_for_probes` looks for those extracts in the raw bytes of every file.
- Damage: `sqlite_problem` checks a file's header and runs `PRAGMA quick_check`; `store-state.json`
  remembers how many documents the store held, so an emptied chroma.sqlite3 is not taken for a new store.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import struct
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rag.errors import StoreError
from rag.settings import Settings

logger = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
CHROMA_FILE = "chroma.sqlite3"
STATE_FILE = "store-state.json"
BACKUP_FILE = "sauvegarde.json"
PROBE_WORDS = 8
PROBE_MIN_BYTES = 32
PROBES_PER_PASSAGE = 3
_SCAN_BLOCK = 16 * 1024 * 1024
_SCAN_OVERLAP = 4096
_RUN = re.compile(rb"[A-Za-z0-9]+(?: [A-Za-z0-9]+){%d,}" % (PROBE_WORDS - 1))
# Chroma's log operations (chromadb.proto Operation): ADD, UPDATE, UPSERT, DELETE.
_OP_DELETE = 3


def chroma_file(settings: Settings) -> Path:
    return settings.store / "chroma" / CHROMA_FILE


RECOVERY = (
    "Les fichiers d'origine (PDF, CSV...) ne sont pas touchés. Pour réparer : `mairie restore DOSSIER` "
    "depuis une sauvegarde faite avec `mairie backup` ; sans sauvegarde, mettez le dossier {store} de côté "
    "et réindexez les documents d'origine avec `mairie ingest` (voir docs/OPERATIONS.md)."
)


# --- damage --------------------------------------------------------------------------------------
def sqlite_problem(path: Path, *, full: bool = True) -> str | None:
    """What is wrong with an SQLite file (in French), or None; `full` runs PRAGMA quick_check."""
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as e:
        return f"{path} illisible ({e.strerror or e})"
    if size == 0:
        return f"{path} est vide (0 octet)"
    if header != SQLITE_HEADER:
        return f"{path} n'est pas une base SQLite (en-tête invalide)"
    if not full:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.Error as e:
        return f"{path} endommagé ({e})"
    if rows != [("ok",)]:
        return f"{path} endommagé ({'; '.join(str(r[0]) for r in rows[:3])})"
    return None


def damaged_store_error(settings: Settings, problem: str) -> StoreError:
    expected = expected_documents(settings)
    lost = (
        f"les {expected} document(s) indexé(s), leurs passages et leurs vecteurs sont inaccessibles"
        if expected
        else "les documents indexés, leurs passages et leurs vecteurs sont inaccessibles"
    )
    return StoreError(f"Magasin endommagé : {problem} ; {lost}. " + RECOVERY.format(store=settings.store))


def emptied_store_error(settings: Settings, expected: int) -> StoreError:
    return StoreError(
        f"Magasin vidé : {settings.store} contenait {expected} document(s) mais la base Chroma "
        f"({chroma_file(settings)}) n'en contient plus aucun ; tous les passages et vecteurs sont perdus. "
        + RECOVERY.format(store=settings.store)
    )


# --- what the store is expected to hold ----------------------------------------------------------
def write_state(settings: Settings, *, documents: int, chunks: int) -> None:
    """Remember how many documents and passages the collection holds (written after every change)."""
    path = settings.store / STATE_FILE
    state = _read_json(path)
    collections = state.setdefault("collections", {})
    collections[settings.collection] = {"documents": documents, "chunks": chunks, "at": time.time()}
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def expected_documents(settings: Settings) -> int:
    """Documents the collection held at its last change (0 when unknown).

    Stores written before store-state.json existed fall back on the lexical index: passages listed there
    mean the store was not empty.
    """
    entry = _read_json(settings.store / STATE_FILE).get("collections", {}).get(settings.collection)
    if isinstance(entry, dict):
        return int(entry.get("documents", 0) or 0)
    ids = _read_json(settings.store / "lexical" / settings.collection / "ids.json")
    metas = ids.get("metas") or []
    return len({m.get("doc_id") for m in metas if isinstance(m, dict) and m.get("doc_id")})


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def open_embedded(settings: Settings, factory: Callable[[str], Any]) -> Any:
    """`factory(folder)` (a Chroma PersistentClient), with damage reported as a StoreError in French.

    Chroma must never open a 0-byte or foreign chroma.sqlite3: it would quietly make a new, empty
    database over it. A damaged file makes Chroma's Rust core panic (printing on stderr, then raising
    pyo3's PanicException, a BaseException): both are caught here.
    """
    db = chroma_file(settings)
    problem = sqlite_problem(db, full=False) if db.exists() else None
    if problem:
        raise damaged_store_error(settings, problem)
    try:
        with quiet_native_stderr() as native:
            client = factory(str(db.parent))
    except BaseException as e:
        if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
            raise
        logger.debug("Chroma failed to open %s: %s", db, "".join(native))
        problem = sqlite_problem(db) or f"{db} illisible par Chroma ({str(e)[:200]})"
        raise damaged_store_error(settings, problem) from e
    if "".join(native).strip():
        sys.stderr.write("".join(native))
    return client


@contextmanager
def quiet_native_stderr() -> Iterator[list[str]]:
    """Hold what native code (Chroma's Rust panics) writes on file descriptor 2; the caller decides.

    Yields a list that receives the captured text when the block ends.
    """
    captured: list[str] = []
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield captured
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            captured.append(tmp.read().decode("utf-8", errors="replace"))


# --- purge ---------------------------------------------------------------------------------------
def scrub_chroma(settings: Settings) -> int:
    """Remove deleted records from chroma.sqlite3 for good; return the log rows dropped.

    Call with the write lock held. A no-op for a Chroma server (its files are not ours).
    """
    if settings.chroma_url:
        logger.warning("Chroma server mode: deleted records stay in the server's log until it compacts")
        return 0
    path = chroma_file(settings)
    if not path.exists():
        return 0
    conn = sqlite3.connect(path, timeout=30)
    try:
        dropped = conn.execute(
            "DELETE FROM embeddings_queue WHERE operation != ? AND EXISTS (SELECT 1 FROM embeddings_queue AS d "
            "WHERE d.operation = ? AND d.topic = embeddings_queue.topic AND d.id = embeddings_queue.id "
            "AND d.seq_id > embeddings_queue.seq_id)",
            (_OP_DELETE, _OP_DELETE),
        ).rowcount
        conn.execute("INSERT INTO embedding_fulltext_search(embedding_fulltext_search) VALUES('optimize')")
        conn.commit()
        conn.execute("VACUUM")
    except sqlite3.Error as e:
        raise StoreError(f"Purge de {path} impossible ({e}). Relancez la suppression ; voir `mairie verify`.") from e
    finally:
        conn.close()
    return int(dropped)


# hnswlib's persistent header (chroma-hnswlib): version, offsetLevel0, max_elements, cur_element_count,
# size_data_per_element, label_offset, offsetData, maxlevel, enterpoint_node, maxM, maxM0, M, mult, ef_construction.
_HNSW_HEADER = struct.Struct("<iQQQQQQiiQQQdQ")


def scrub_hnsw(settings: Settings) -> int:
    """Zero the unused slots of Chroma's vector index files; return the files changed.

    hnswlib allocates room for `max_elements` without clearing it and writes the whole buffer: the unused
    slots carry whatever the process's memory held, passages read moments before included. Slots below
    `cur_element_count` are left alone.
    """
    changed = 0
    for header in sorted((settings.store / "chroma").glob("*/header.bin")):
        try:
            fields = _HNSW_HEADER.unpack(header.read_bytes()[: _HNSW_HEADER.size])
        except (OSError, struct.error):
            continue
        version, _, max_elements, count, per_element = fields[:5]
        for name, width in (("data_level0.bin", per_element), ("length.bin", 4)):
            path = header.with_name(name)
            if version != 1 or not path.exists() or path.stat().st_size != max_elements * width:
                continue
            with path.open("r+b") as fh:
                fh.seek(count * width)
                fh.write(bytes((max_elements - count) * width))
            changed += 1
    return changed


# --- proof: removed text absent from every file --------------------------------------------------
def _grams(data: bytes) -> Iterator[bytes]:
    for match in _RUN.finditer(data):
        words = match.group().split(b" ")
        for i in range(len(words) - PROBE_WORDS + 1):
            gram = b" ".join(words[i : i + PROBE_WORDS])
            if len(gram) >= PROBE_MIN_BYTES:
                yield gram


def _digest(gram: bytes) -> str:
    return hashlib.blake2b(gram, digest_size=8).hexdigest()


def passage_probes(text: str) -> list[str]:
    """Digests of up to 3 extracts (8 plain-ASCII words) of a passage: enough to find a copy, not to read it.

    Plain ASCII words because Chroma's log stores text JSON-escaped (accents as \\u00e9).
    """
    grams = list(dict.fromkeys(_grams(text.encode("utf-8"))))
    if not grams:
        return []
    picks = {grams[0], grams[len(grams) // 2], grams[-1]}
    return sorted(_digest(g) for g in picks)[:PROBES_PER_PASSAGE]


def probes_in(texts: Iterable[str]) -> set[str]:
    """Every extract digest of these texts (to tell a removed passage from one still indexed)."""
    found: set[str] = set()
    for text in texts:
        found.update(_digest(g) for g in _grams(text.encode("utf-8")))
    return found


def scan_for_probes(paths: Iterable[Path], probes: set[str]) -> dict[Path, int]:
    """Files whose raw bytes contain an extract with one of these digests, and how many digests."""
    hits: dict[Path, int] = {}
    if not probes:
        return hits
    for path in paths:
        found: set[str] = set()
        try:
            with path.open("rb") as fh:
                tail = b""
                while block := fh.read(_SCAN_BLOCK):
                    data = tail + block
                    found.update(d for d in (_digest(g) for g in _grams(data)) if d in probes)
                    tail = data[-_SCAN_OVERLAP:]
        except OSError as e:
            logger.warning("Cannot scan %s: %s", path, e)
            continue
        if found:
            hits[path] = len(found)
    return hits


def forget_derived_text(settings: Settings, removed_texts: list[str]) -> int:
    """Delete the cached OCR text (`<cache_dir>/ocr/*.json`, written by ingest.ocr) of removed passages.

    The cache is keyed by file content, not by document: a cache file holding an extract of a removed passage
    (that no stored passage has: `removed_texts` are those) is deleted; the file is OCR'd again if it comes
    back. Returns how many cache files were deleted.
    """
    folder = settings.cache_dir / "ocr" if settings.cache_dir else None
    if folder is None or not folder.is_dir() or not removed_texts:
        return 0
    probes = {p for t in removed_texts for p in passage_probes(t)}
    hits = scan_for_probes(sorted(folder.glob("*.json")), probes)
    for path in hits:
        path.unlink(missing_ok=True)
    return len(hits)


def store_files(settings: Settings) -> list[Path]:
    """Every file of the store folder and of the embedding cache (the places text could be left)."""
    roots = [settings.store] + ([settings.cache_dir] if settings.cache_dir else [])
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(p for p in sorted(root.rglob("*")) if p.is_file() and p.name != "write.lock")
    return files


# --- backup and restore --------------------------------------------------------------------------
def backup_store(settings: Settings, dest: Path) -> dict[str, Any]:
    """Copy the store into `dest` (absent or empty): chroma.sqlite3 through SQLite's online backup, the
    rest as files. Call with the write lock held, so that no writer changes the store meanwhile."""
    source_db = chroma_file(settings)
    problem = sqlite_problem(source_db) if source_db.exists() else f"{source_db} absent"
    if problem:
        raise damaged_store_error(settings, problem)
    if dest.exists() and any(dest.iterdir()):
        raise StoreError(f"{dest} n'est pas vide : choisissez un dossier neuf pour la sauvegarde.")
    dest.mkdir(parents=True, exist_ok=True)
    for item in sorted(settings.store.iterdir()):
        if item.name in ("write.lock", "chroma"):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name)
        else:
            shutil.copy2(item, dest / item.name)
    (dest / "chroma").mkdir()
    for item in sorted(source_db.parent.iterdir()):
        if item.is_dir():
            shutil.copytree(item, dest / "chroma" / item.name)
    src = sqlite3.connect(f"file:{source_db}?mode=ro", uri=True)
    dst = sqlite3.connect(dest / "chroma" / CHROMA_FILE)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    counts = _chroma_counts(dest / "chroma" / CHROMA_FILE, settings.collection)
    info = {"created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "source": str(settings.store), **counts}
    (dest / BACKUP_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return info


def check_backup(src: Path, collection: str) -> dict[str, Any]:
    """The backup's description, after checking its database and its counts; StoreError if unusable."""
    db = src / "chroma" / CHROMA_FILE
    if not db.exists():
        raise StoreError(f"{src} n'est pas une sauvegarde mairie (fichier {db} absent).")
    problem = sqlite_problem(db)
    if problem:
        raise StoreError(f"Sauvegarde inutilisable : {problem}.")
    info = _read_json(src / BACKUP_FILE)
    counts = _chroma_counts(db, collection)
    for key in ("documents", "chunks"):
        if key in info and info[key] != counts[key]:
            raise StoreError(
                f"Sauvegarde incomplète : {counts[key]} {key} dans {db}, {info[key]} au moment de la sauvegarde."
            )
    return {**info, **counts}


def restore_store(settings: Settings, src: Path, *, force: bool) -> tuple[dict[str, Any], Path | None]:
    """Replace the store with a checked copy of the backup `src`; return its description and where the
    previous store was put aside (None if there was none). Call with the write lock held."""
    store = settings.store
    if not force and _has_data(store):
        raise StoreError(
            f"Le magasin {store} n'est pas vide : ajoutez --force pour le remplacer "
            "(l'ancien est gardé à côté, rien n'est effacé)."
        )
    check_backup(src, settings.collection)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    staging = store.with_name(f"{store.name}.restauration-{stamp}")
    shutil.copytree(src, staging, ignore=shutil.ignore_patterns("write.lock"))
    try:
        info = check_backup(staging, settings.collection)
    except StoreError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    aside: Path | None = None
    if _has_data(store):
        aside = store.with_name(f"{store.name}.avant-restauration-{stamp}")
        store.mkdir(parents=True, exist_ok=True)
        aside.mkdir()
        for item in list(store.iterdir()):
            if item.name != "write.lock":  # held by us until the end
                item.rename(aside / item.name)
    store.mkdir(parents=True, exist_ok=True)
    for item in list(staging.iterdir()):
        item.rename(store / item.name)
    staging.rmdir()
    return info, aside


def _has_data(store: Path) -> bool:
    return store.is_dir() and any(p.name != "write.lock" for p in store.iterdir())


def _chroma_counts(db: Path, collection: str) -> dict[str, int]:
    """Passages and documents of a collection, read from chroma.sqlite3 without starting Chroma."""
    query = (
        "SELECT count(*) FROM embeddings AS e JOIN segments AS s ON e.segment_id = s.id "
        "JOIN collections AS c ON s.collection = c.id WHERE c.name = ? AND s.scope = 'METADATA'"
    )
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        chunks = conn.execute(query, (collection,)).fetchone()[0]
        manifest = conn.execute(query, (f"{collection}_documents",)).fetchone()[0]
    except sqlite3.Error as e:
        raise StoreError(f"{db} illisible ({e}).") from e
    finally:
        conn.close()
    return {"chunks": int(chunks), "documents": max(0, int(manifest) - 1)}  # minus the generation record
