"""Plain dataclasses that travel between the packages, and the metadata key constants.

Metadata values stored in Chroma are flat scalars (str, int, float, bool); dates are ISO strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- metadata keys -----------------------------------------------------------------------------
SOURCE = "source"  # file path relative to the folder given to `mairie ingest` (or the file name)
DOC_ID = "doc_id"  # stable id of the document (hash of SOURCE)
DOC_HASH = "doc_hash"  # sha256 of the document's bytes: changes when the file changes
KIND = "kind"  # one of KINDS
TITLE = "title"
PAGE = "page"  # 1-based first page of the chunk (0 when the source has no pages)
PAGE_END = "page_end"  # 1-based last page of the chunk
CHUNK_INDEX = "chunk_index"
ARTICLE = "article"  # normalised article number, e.g. "L2121-17" ("" when none)
CODE = "code"  # "CGCT", "CRPA" ...
HEADING_PATH = "heading_path"  # "Partie législative > ... > Section 4 : Fonctionnement"
REGIME = "regime"  # "general" or "special" (Paris/Lyon/Marseille, overseas, départements, régions ...)
COMMUNE = "commune"
DATE = "date"  # ISO date of the séance (deliberations) or of the version (articles)
DATE_INT = "date_int"  # the same date as YYYYMMDD, for range filters (Chroma compares numbers only)
DELIB_ID = "delib_id"
OBJET = "objet"
MATIERE = "matiere"  # ACTES code, e.g. "8.1"
OUTCOME = "outcome"  # OUTCOME_ADOPTED or OUTCOME_REJECTED (absent when the document does not say)
UNANIMOUS = "unanimous"  # bool
VOTE = "vote"  # the vote as written, e.g. "13 pour, 1 contre"
URL = "url"  # Légifrance link or DELIB_URL
VERSION_DATE = "version_date"  # articles: ISO date of the consolidated text (the version it is, in force since)
LEGI_ID = "legi_id"  # articles: the LEGIARTI id of that version, when the source gives it (Légifrance link)
VERSION_NOTE = "version_note"  # set at answer time: which version a citation quotes, in French
PART = "part"  # 1-based part number of a long article split in parts
PATH = "path"  # absolute path of the original file, to show its pages
COMMUNE_KEY = "commune_key"  # COMMUNE folded (accents, case, punctuation), for the commune filter
BODY = "body"  # council documents: the deciding bodies named at the head ("conseil communautaire", "ccas"), ";"-joined
HEAD = "head"  # council documents: the first lines of the first page, which name the body ("EHPAD « Les Jardins ... »")
# A deliberation's chunks all carry its record (rag.records.record_meta writes them, record_from_meta reads).
RECORD_INDEX = "record_index"  # 0-based rank of the deliberation in its document
RECORD_PAGE_START = "record_page_start"  # first page of the whole deliberation (PAGE is the chunk's)
RECORD_PAGE_END = "record_page_end"
RAPPORTEUR = "rapporteur"
VOTE_POUR = "vote_pour"  # vote counts and attendance: present only when the document states them
VOTE_CONTRE = "vote_contre"
VOTE_ABSTENTION = "vote_abstention"
EN_EXERCICE = "en_exercice"
PRESENTS = "presents"
REPRESENTES = "representes"
VOTANTS = "votants"
MATIERE_L1 = "matiere_l1"  # level 1 of MATIERE ("8" for "8.1"), for the matière filter
MATIERE_NOM = "matiere_nom"
ARTICLES_VISES = "articles_vises"  # article numbers cited in the visas, joined with ";"
OCR_CONFIDENCE = "ocr_confidence"  # text read by OCR: Tesseract's mean word confidence (0-1) of its pages
OCR_LOW_CONFIDENCE = 0.8  # below it, an OCR'd passage is flagged as hard to read (to check on the original)
SECTION = "section"  # office files (no pages): the heading or numbered item the passage starts under
# Text of a council document outside its deliberations is indexed too (kind KIND_DOCUMENT); page numbers and
# lines repeated on most pages (headers, footers, stamps) go to one passage flagged BOILERPLATE: searchable,
# left out of answers.
BOILERPLATE = "boilerplate"  # True on such a passage (absent otherwise)
COVERAGE = "coverage"  # document manifest: share of the extracted text (whitespace ignored) found in passages

OUTCOME_ADOPTED = "adopted"
OUTCOME_REJECTED = "rejected"
OUTCOMES = (OUTCOME_ADOPTED, OUTCOME_REJECTED)
OUTCOME_WORDS = {"adoptee": OUTCOME_ADOPTED, "rejetee": OUTCOME_REJECTED}  # what a user types (rag.records)

KIND_DELIBERATION = "deliberation"
KIND_ARTICLE = "article"
KIND_DOCUMENT = "document"  # a page of a document that is not (yet) split into deliberations
KINDS = (KIND_DELIBERATION, KIND_ARTICLE, KIND_DOCUMENT)


@dataclass(frozen=True, slots=True)
class Page:
    """The text of one page of a source (page_number is 1-based; 0 for sources without pages)."""

    text: str
    page_number: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """One retrievable unit: its id is a content hash, its metadata flat scalars."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return str(self.meta.get(SOURCE, ""))

    @property
    def page(self) -> int:
        return int(self.meta.get(PAGE, 0) or 0)

    @property
    def kind(self) -> str:
        return str(self.meta.get(KIND, KIND_DOCUMENT))

    @property
    def article(self) -> str | None:
        return str(self.meta.get(ARTICLE) or "") or None

    @property
    def title(self) -> str:
        return str(self.meta.get(TITLE) or self.meta.get(SOURCE) or "")


@dataclass(frozen=True, slots=True)
class Document:
    """A source file turned into chunks, ready to be written to the store as one unit."""

    source: str
    doc_id: str
    doc_hash: str
    kind: str
    title: str
    chunks: list[Chunk]
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class ScoredChunk:
    """A chunk with its retrieval score and, for explanation, the ranks it got in each channel."""

    chunk: Chunk
    score: float
    ranks: dict[str, int] = field(default_factory=dict)
    channel_scores: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        meta = self.chunk.meta
        return {
            "id": self.chunk.id,
            "source": self.chunk.source,
            "page": self.chunk.page or None,
            "page_end": meta.get(PAGE_END) or None,
            "kind": self.chunk.kind,
            "title": self.chunk.title,
            "article": self.chunk.article,
            "heading_path": meta.get(HEADING_PATH) or None,
            "commune": meta.get(COMMUNE) or None,
            "date": meta.get(DATE) or None,
            "delib_id": meta.get(DELIB_ID) or None,
            "url": meta.get(URL) or None,
            "score": round(float(self.score), 6),
            "ranks": dict(self.ranks),
            "text": self.chunk.text,
        }


@dataclass(frozen=True, slots=True)
class Filters:
    """Metadata filters shared by search, ask and the deliberation list."""

    kind: str | None = None
    commune: str | None = None
    since: str | None = None  # ISO date, inclusive
    until: str | None = None  # ISO date, inclusive
    matiere: str | None = None  # ACTES code prefix, e.g. "8" or "8.1"
    outcome: str | None = None  # OUTCOME_ADOPTED | OUTCOME_REJECTED
    not_unanimous: bool = False
    source: str | None = None

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(slots=True)
class Citation:
    """A numbered source of an answer: the chunk and the sentence(s) quoted from it."""

    n: int
    chunk: Chunk
    quote: str
    score: float = 0.0

    def to_json(self) -> dict[str, Any]:
        data = ScoredChunk(self.chunk, self.score).to_json()
        data.pop("ranks")
        data["n"] = self.n
        data["quote"] = self.quote
        return data


@dataclass(slots=True)
class AnswerSentence:
    """One sentence of an answer with the citations it carries and its verification status."""

    text: str
    citations: list[int]
    status: str = "ok"  # "ok" | "unsupported" | "invalid_citation" | "unknown_reference" | "uncited"
    note: str = ""


@dataclass(slots=True)
class Answer:
    """What `ask` returns: the French answer, its citations, and whether anything was found."""

    question: str
    text: str
    citations: list[Citation]
    found: bool
    mode: str = "extractive"
    sentences: list[AnswerSentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    closest: list[ScoredChunk] = field(default_factory=list)
    # Which check refused (rag.refusal: "far", "names", "topic", "fact" ...), for evaluation and logs; None when
    # answered. Not shown to the user: the notes say it in French.
    refusal_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "found": self.found,
            "mode": self.mode,
            "citations": [c.to_json() for c in self.citations],
            "sentences": [
                {"text": s.text, "citations": s.citations, "status": s.status, "note": s.note} for s in self.sentences
            ],
            "notes": list(self.notes),
            "closest": [c.to_json() for c in self.closest],
            "refusal_reason": self.refusal_reason,
        }


@dataclass(slots=True)
class DeliberationRecord:
    """One deliberation extracted from a council document (or imported from an SCDL CSV).

    Unknown values stay None: counts are never invented (a vote "adopté" without figures keeps
    pour/contre/abstention at None). rag.records converts it to chunk metadata and back.
    """

    source: str
    commune: str | None = None
    date: str | None = None  # ISO date of the séance
    delib_id: str | None = None
    objet: str | None = None
    rapporteur: str | None = None
    outcome: str | None = None  # OUTCOME_ADOPTED | OUTCOME_REJECTED | None
    unanimous: bool | None = None
    vote_text: str | None = None  # the vote as written in the document
    pour: int | None = None
    contre: int | None = None
    abstention: int | None = None
    en_exercice: int | None = None
    presents: int | None = None
    representes: int | None = None
    votants: int | None = None
    matiere_code: str | None = None
    matiere_nom: str | None = None
    articles_vises: list[str] = field(default_factory=list)
    page_start: int = 0
    page_end: int = 0
    text: str = ""
    url: str | None = None
    path: str | None = None  # the original file, when the store knows it (to show its pages)
    key: str = ""  # "doc_id:record index": where the record lives in the store (set by rag.records.list_records)

    @property
    def year(self) -> int | None:
        return int(self.date[:4]) if self.date and self.date[:4].isdigit() else None
