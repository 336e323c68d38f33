"""Files -> loaders (ingest.loaders) -> documents -> rag.store, one event per file.

The edges do not call this directly but ingest.service.ingest_files, which adds the write lock, the cleanup
of interrupted runs, the lexical refresh and the audit line.

Example (needs a live store)::

    for event in Ingestor(store=store, settings=settings).run(collect_files([Path("data")])):
        print(event.source, event.status)
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shlex
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ingest import detect
from ingest.base import Loaded, SourceMeta, display_path, safe_display
from ingest.loaders import LOADERS, refusal
from ingest.ocr import ScanSkipped
from ingest.pseudonymize import MARKER, PSEUDONYMIZATION_VERSION, Pseudonymizer, pseudonymize_loaded
from rag import schema
from rag.errors import SourceError, StoreError
from rag.schema import Document
from rag.settings import Settings
from rag.store import ChromaStore, DocumentInfo
from rag.versions import VersionStore

logger = logging.getLogger(__name__)

# Bump when loaders or chunking change in a way that changes chunks: documents are then re-indexed
# (passages already in the store keep their vectors and get the new metadata). 5: dates of CGCT articles;
# 6: compte rendu items numbered without a dot after the rapporteur's name are records of their own.
# 7: the HTML tables and paragraphs of Légifrance texts (CGCT Markdown, versions) read as plain rows.
# 8: a séance dated by a line of its own ("Le 16 MAI 2025") or by a file name with the month in words.
PIPELINE_VERSION = "8"
# Small documents (one CGCT article each) are written together: fewer Chroma round trips per chunk.
WRITE_GROUP_CHUNKS = 48
WRITE_GROUP_DOCS = 64
SKIPPED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
HIDDEN_FILE = "fichier caché (nom commençant par un point), non indexé : renommez-le pour l'indexer"
HIDDEN_FOLDER = "dossier caché (nom commençant par un point), non parcouru : renommez-le pour l'indexer"
LINKED_FOLDER = "lien symbolique vers un dossier, non suivi : indexez le dossier cible directement"

INDEXED = "indexed"
UNCHANGED = "unchanged"
FAILED = "failed"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file to ingest and its source key (path relative to the folder given, or its name).

    Two files can have the same key (pv.pdf in two folders, names that differ only by a control character):
    the Ingestor indexes the first of a batch and reports the others, and never replaces a document indexed
    from another absolute path (metadata schema.PATH) unless asked to (`replace=True`).
    """

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
    coverage: float | None = None  # share of the file's text found in its passages (None when not measured)
    informational: bool = False  # a skip worth saying that does not make the run fail (a hidden file)


@dataclass(slots=True)
class Summary:
    """The outcome of a run: counts, every file's event, and what the edges show at the end."""

    indexed: int = 0
    unchanged: int = 0
    failed: int = 0
    skipped: int = 0
    chunks: int = 0
    embedded: int = 0
    computed: int = 0  # passages embedded by the model (the others came from the embedding cache)
    seconds: float = 0.0
    events: list[FileEvent] = field(default_factory=list)
    cleaned: list[str] = field(default_factory=list)  # sources of documents left incomplete by a crash

    def add(self, event: FileEvent) -> None:
        setattr(self, event.status, getattr(self, event.status) + 1)
        self.chunks += event.chunks
        self.embedded += event.embedded
        self.events.append(event)

    @property
    def coverage(self) -> float | None:
        """The lowest coverage of the files read (None when none was measured)."""
        figures = [e.coverage for e in self.events if e.coverage is not None]
        return min(figures) if figures else None

    @property
    def warnings(self) -> list[str]:
        """Warnings about files that were read (a failure is reported once, by its own event)."""
        return [f"{e.source} : {w}" for e in self.events for w in e.warnings]


def walk(paths: list[Path]) -> tuple[list[SourceFile], list[FileEvent]]:
    """Expand folders (sorted) into files, and say why anything given or found is not among them.

    Every path given is walked, whatever happens to the others: a missing path, a symbolic link that loops or
    points nowhere, a folder with no file and a subfolder that cannot be listed are FAILED events; hidden
    files and folders (name starting with ".") and links to folders (never followed: they can loop or leave
    the folder) are SKIPPED events. Hidden ones are `informational` (a ".gitkeep" is no failure).
    """
    files: list[SourceFile] = []
    events: list[FileEvent] = []
    for given in paths:
        shown = safe_display(str(given))
        problem = _broken_link(given)
        if problem is not None or not given.exists():
            events.append(FileEvent(shown, FAILED, message=problem or "chemin introuvable (vérifiez le chemin donné)"))
            continue
        if given.is_file():
            files.append(SourceFile(given, safe_display(given.name)))
            continue
        found = len(files)
        files.extend(_walk_folder(given.resolve(), events))
        if len(files) == found:
            events.append(FileEvent(shown, FAILED, message="aucun fichier à indexer dans ce dossier"))
    return files, events


def _walk_folder(root: Path, events: list[FileEvent]) -> Iterator[SourceFile]:
    def report(path: Path, status: str, message: str, *, informational: bool = False) -> None:
        source = safe_display(path.relative_to(root).as_posix())
        events.append(FileEvent(source, status, message=message, informational=informational))

    def unreadable(error: OSError) -> None:
        where = Path(error.filename) if error.filename else root
        report(where, FAILED, f"dossier illisible ({error.strerror or error}), non parcouru : vérifiez ses droits")

    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable):
        here = Path(dirpath)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                report(here / name, SKIPPED, HIDDEN_FOLDER, informational=True)
            elif (here / name).is_symlink():
                report(here / name, SKIPPED, LINKED_FOLDER)
            else:
                kept.append(name)
        dirnames[:] = kept
        for name in sorted(filenames):
            path = here / name
            if name in SKIPPED_NAMES or _is_note(name):
                continue
            if name.startswith("."):
                report(path, SKIPPED, HIDDEN_FILE, informational=True)
                continue
            problem = _broken_link(path)
            if problem is not None:
                report(path, FAILED, problem)
                continue
            yield SourceFile(path, safe_display(path.relative_to(root).as_posix()), root)


def _broken_link(path: Path) -> str | None:
    """Why a symbolic link cannot be followed (a loop, a missing target), or None."""
    if not path.is_symlink():
        return None
    try:
        path.resolve(strict=True)
    except RuntimeError:  # Python 3.11 raises it for a loop, later versions OSError(ELOOP)
        return "lien symbolique en boucle (il pointe sur lui-même, directement ou non) : supprimez-le"
    except OSError as e:
        if e.errno == errno.ELOOP:
            return "lien symbolique en boucle (il pointe sur lui-même, directement ou non) : supprimez-le"
        return "lien symbolique cassé (sa cible n'existe plus) : supprimez-le ou corrigez-le"
    return None


def collect_files(paths: list[Path]) -> list[SourceFile]:
    """The files of `walk` for callers that need all of them: the first path that fails raises SourceError."""
    files, events = walk(paths)
    failed = next((e for e in events if e.status == FAILED), None)
    if failed is not None:
        raise SourceError(failed.source, failed.message)
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


@dataclass(slots=True)
class _Pending:
    """A loaded file waiting to be written with others; `documents` are the changed ones."""

    source: str
    documents: list[Document]
    chunks: int
    warnings: list[str]
    embedded: int = 0
    coverage: float | None = None


class Ingestor:
    """Loads files into documents and writes them to the store, skipping unchanged ones.

    Locking, cleanup and the lexical refresh belong to ingest.service.ingest_files, which edges call.
    """

    def __init__(
        self,
        *,
        store: ChromaStore,
        settings: Settings,
        commune: str | None = None,
        replace: bool = False,
        on_page: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.store = store
        self.on_page = on_page  # progress of slow page work (OCR): (source, done, total)
        self.settings = settings
        self.commune = commune or settings.commune or None  # when a document does not name its commune
        self.replace = replace  # replace documents of the same key indexed from another file
        self._pseudonymizer: Pseudonymizer | None = None
        # The pseudonymisation a stored document must carry (metadata MARKER) to be left as it is.
        self._marker = PSEUDONYMIZATION_VERSION if settings.pseudonymize else ""

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        """The local pseudonym mapping (kept beside the store, readable by its owner only)."""
        if self._pseudonymizer is None:
            self._pseudonymizer = Pseudonymizer(self.settings.store / "pseudonymisation" / "pseudonymes.json")
        return self._pseudonymizer

    def _stored(self, item: SourceFile) -> SourceFile:
        """The file under the key it is stored with: names in its path pseudonymised when the setting is on."""
        if not self.settings.pseudonymize:
            return item
        return SourceFile(item.path, self.pseudonymizer.mask_source(item.source), item.root)

    def _stored_path(self, path: Path) -> str:
        """The path kept in metadata (schema.PATH), pseudonymised when the setting is on."""
        return self.pseudonymizer.stored_path(path) if self.settings.pseudonymize else display_path(path)

    def _retire_other_form(self, given: SourceFile, item: SourceFile, known: dict[str, DocumentInfo]) -> str | None:
        """The setting changed: the same file (`given`, stored as `item`), indexed before under its key in the
        other form (in clear when pseudonymisation is now on, pseudonymised when it is now off), is removed."""
        if self.settings.pseudonymize:
            other, pseudonymized = given.source, False
        elif (self.settings.store / "pseudonymisation").is_dir():
            other, pseudonymized = self.pseudonymizer.mask_source(given.source), True
        else:
            return None
        previous = known.get(other)
        if other == item.source:
            return None  # same key: the document is replaced in place
        if previous is None or bool(previous.meta.get(MARKER)) != pseudonymized:
            return None
        stored = str(previous.meta.get(schema.PATH, ""))
        if stored and self.pseudonymizer.original(stored) != display_path(item.path):
            return None  # another file with that key: it is processed when it is ingested again
        self.store.remove_document(previous.doc_id)
        return f"ancienne version {'pseudonymisée' if pseudonymized else 'non pseudonymisée'} retirée de l'index"

    def run(self, files: list[SourceFile], *, on_embedded: Callable[[int], None] | None = None) -> Iterator[FileEvent]:
        known = {d.source: d for d in self.store.documents(include_incomplete=True)}
        pending: list[_Pending] = []
        taken: dict[str, Path] = {}  # source key -> the file of this batch that has it
        for given in files:
            item = self._stored(given)
            if item.source in taken:
                yield FileEvent(
                    item.source,
                    SKIPPED,
                    message=(
                        f"même nom qu'un autre fichier de ce lot ({display_path(taken[item.source])}), non indexé : "
                        "renommez l'un des deux fichiers ou indexez-le à part"
                    ),
                )
                continue
            taken[item.source] = item.path
            try:
                outcome = self._one(item, known)
            except ScanSkipped as e:  # left out on purpose (OCR off): reported, not a failure
                yield FileEvent(item.source, SKIPPED, message=f"{e.reason} ({e.fix})")
                continue
            except SourceError as e:
                logger.info("Skipping %s: %s", item.source, e)  # the edge reports it from the event
                yield FileEvent(item.source, FAILED, message=f"{e.reason}" + (f" ({e.fix})" if e.fix else ""))
                continue
            except MemoryError:
                yield FileEvent(item.source, FAILED, message="fichier trop volumineux pour la mémoire disponible")
                continue
            except (StoreError, KeyboardInterrupt):
                raise
            except Exception as e:  # one file never stops the batch (a loader bug, an OS error ...)
                logger.exception("Unexpected error on %s", item.source)
                yield FileEvent(
                    item.source, FAILED, message=f"erreur inattendue en lisant le fichier ({type(e).__name__} : {e})"
                )
                continue
            if isinstance(outcome, FileEvent):
                yield outcome
                continue
            clash = [d.source for d in outcome.documents if d.source in taken and d.source != item.source]
            if clash:  # a loader that makes several documents (one per article) met a key already in the batch
                yield FileEvent(
                    item.source,
                    SKIPPED,
                    message=f"document(s) déjà fournis par un autre fichier de ce lot : {', '.join(clash)}",
                )
                continue
            taken.update((d.source, item.path) for d in outcome.documents)
            retired = self._retire_other_form(given, item, known)
            if retired:
                outcome.warnings.append(retired)
            pending.append(outcome)
            docs = [d for p in pending for d in p.documents]
            if sum(len(d.chunks) for d in docs) >= WRITE_GROUP_CHUNKS or len(docs) >= WRITE_GROUP_DOCS:
                yield from self._flush(pending, on_embedded)
                pending = []
        yield from self._flush(pending, on_embedded)

    def _flush(self, pending: list[_Pending], on_embedded: Callable[[int], None] | None) -> Iterator[FileEvent]:
        """Write loaded documents together, in groups (each document still atomic for readers)."""
        owners = [(entry, document) for entry in pending for document in entry.documents]
        group: list[tuple[_Pending, Document]] = []
        for index, owned in enumerate(owners):
            group.append(owned)
            last = index == len(owners) - 1
            if last or len(group) >= WRITE_GROUP_DOCS or sum(len(d.chunks) for _, d in group) >= WRITE_GROUP_CHUNKS:
                counts = self.store.write_documents([d for _, d in group], progress=on_embedded)
                for (entry, _), count in zip(group, counts, strict=True):
                    entry.embedded += count
                group = []
        for entry in pending:
            status = INDEXED if entry.documents else UNCHANGED
            yield FileEvent(
                entry.source,
                status,
                chunks=entry.chunks,
                embedded=entry.embedded,
                warnings=entry.warnings,
                coverage=entry.coverage,
            )

    def _one(self, item: SourceFile, known: dict[str, DocumentInfo]) -> FileEvent | _Pending:
        """A final event (unchanged, skipped, versions kept), or loaded documents to write."""
        if item.root is not None and item.path.is_symlink() and not item.path.resolve().is_relative_to(item.root):
            raise SourceError(
                item.source,
                "lien symbolique vers un fichier hors du dossier indexé",
                fix="copiez le document dans le dossier au lieu d'y mettre un lien",
            )
        size = item.path.stat().st_size
        limit = int(self.settings.max_file_mb * 1024 * 1024)
        if size > limit:
            raise SourceError(
                item.source,
                f"fichier de {size / 2**20:.0f} Mo, au-delà de la limite de {self.settings.max_file_mb:g} Mo",
                fix="découpez-le ou augmentez MAIRIE_MAX_FILE_MB",
            )
        kind = detect.detect_type(item.path)
        loader = LOADERS.get(kind)
        if loader is None:
            reason, fix = refusal(kind, item.path.suffix)
            raise SourceError(item.source, reason, fix=fix)
        if item.path.name == "README.md" and kind == detect.MARKDOWN:
            # Heading files of a code tree: their titles are read by the article loader.
            return FileEvent(item.source, SKIPPED, message="")
        digest = file_hash(item.path, pseudonymized=self.settings.pseudonymize)
        conflict = self._conflict(item.source, item, known, digest)
        if conflict is not None:
            return conflict
        previous = known.get(item.source)
        if (
            previous is not None
            and previous.doc_hash == digest
            and previous.status == "complete"
            and previous.meta.get(MARKER, "") == self._marker  # pseudonymised as the setting asks
            and not self._elsewhere(previous, item.path)
        ):  # replacing: the new place is written
            return FileEvent(item.source, UNCHANGED, chunks=previous.chunks, coverage=previous.coverage)
        meta = SourceMeta(item.source, digest, self.settings, commune=self.commune, on_page=self.on_page)
        loaded = loader.load(item.path, meta=meta)
        if self.settings.pseudonymize:  # one place for every loader, before anything is stored
            loaded = pseudonymize_loaded(loaded, self.pseudonymizer, path=item.path)
        return self._keep(item, loaded, known)

    def _elsewhere(self, previous: DocumentInfo | None, path: Path) -> bool:
        """True when the stored document of that key was indexed from another file than `path`."""
        stored = str(previous.meta.get(schema.PATH, "")) if previous is not None else ""
        return bool(stored) and stored != self._stored_path(path)

    def _conflict(self, source: str, item: SourceFile, known: dict[str, DocumentInfo], digest: str) -> FileEvent | None:
        """A SKIPPED event when `source` is already the key of a document indexed from another file.

        When the content is the same (a folder moved or copied), the message gives the command that records
        the new place.
        """
        previous = known.get(source)
        if self.replace or previous is None or not self._elsewhere(previous, item.path):
            return None
        stored = previous.meta[schema.PATH]
        if previous.doc_hash == digest:
            again = shlex.quote(safe_display(str(item.root or item.path)))
            message = (
                f"contenu identique au document déjà indexé depuis {stored} (dossier déplacé ou copié ?) ; "
                f"non ré-indexé : pour enregistrer le nouvel emplacement, lancez `mairie ingest --replace {again}`"
            )
        else:
            message = (
                f"un document de même nom, indexé depuis {stored}, existe déjà ; non remplacé : relancez avec "
                "--replace pour le remplacer, ou renommez le fichier"
            )
        return FileEvent(source, SKIPPED, message=message)

    def _keep(self, item: SourceFile, loaded: Loaded, known: dict[str, DocumentInfo]) -> FileEvent | _Pending:
        """Versions are written at once (no embedding); documents unchanged since the last run are dropped."""
        if loaded.versions:
            written = VersionStore(store=self.store).write(loaded.versions)
            return FileEvent(item.source, INDEXED, message=f"{written} version(s) d'articles", warnings=loaded.warnings)
        too_long = next((d for d in loaded.documents if len(d.chunks) > self.settings.max_passages), None)
        if too_long is not None:  # embedding it would hold the write lock for hours
            raise SourceError(
                too_long.source,
                f"document de {len(too_long.chunks)} passages, au-delà de la limite de {self.settings.max_passages} "
                "passages par document",
                fix="découpez-le en plusieurs fichiers ou augmentez MAIRIE_MAX_PASSAGES",
            )
        changed = []
        for document in loaded.documents:
            conflict = (
                self._conflict(document.source, item, known, document.doc_hash)
                if document.source != item.source
                else None
            )
            if conflict is not None:
                return conflict
            document.meta.setdefault(schema.PATH, display_path(item.path))  # where it came from, for `remove`
            previous = known.get(document.source)
            if (
                previous is None
                or previous.doc_hash != document.doc_hash
                or previous.status != "complete"
                or previous.meta.get(MARKER, "") != self._marker
                or self._elsewhere(previous, item.path)
            ):
                changed.append(document)
        chunks = sum(len(d.chunks) for d in loaded.documents)
        figures = [d.meta[schema.COVERAGE] for d in loaded.documents if schema.COVERAGE in d.meta]
        return _Pending(item.source, changed, chunks, loaded.warnings, coverage=min(figures) if figures else None)
