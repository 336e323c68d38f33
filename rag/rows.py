"""Where the fact of a decision sits when the passage found does not hold it: a row of a table, or the
operative part in another passage of the same deliberation.

The answer step (rag.answer) quotes sentences close to the question; these helpers add the table row that
names the question's rare words ("429 RAIPONCE F 3 200 €" for "combien pour l'association RAIPONCE ?")
and the operative part ("A été élu : - Max LEVITA") of the record found, read from the record's other
passages (same document id and record index in the store) when needed, so that they can be cited.
"""

from __future__ import annotations

from collections.abc import Callable

from rag import schema
from rag.decision import extract_decision, logical_lines
from rag.question import DECISION, OTHER, gives, names_more, rank
from rag.schema import Chunk, ScoredChunk
from rag.store import ChromaStore

MIN_ROW_CHARS = 8
MAX_ROW_CHARS = 300
MAX_SIBLINGS = 30  # passages of one record read for its rows (a long budget has many; keep answers fast)


def typed_row(
    question: str,
    kind: str,
    hits: list[ScoredChunk],
    quoted: str,
    store: ChromaStore,
    idf: Callable[[str], float],
) -> tuple[ScoredChunk, int, str] | None:
    """(passage, line position, row): the table or list row holding the kind of fact asked for that
    names most of the question, when it names more than `quoted` (the sentences already quoted). Rows
    are looked for in `hits` and in the other passages of their records (the table often sits in the
    passage after the paragraph that was found)."""
    seen = {hit.chunk.id for hit in hits}
    pool: list[ScoredChunk] = []
    for hit in hits:
        pool.append(hit)
        pool += [ScoredChunk(chunk=c, score=hit.score) for c in record_siblings(hit.chunk, store, seen)]
    best: tuple[tuple[int, int, float], int, ScoredChunk, int, str] | None = None
    for order, hit in enumerate(pool):
        if hit.chunk.meta.get(schema.BOILERPLATE):
            continue
        for position, raw in enumerate(logical_lines(hit.chunk.text)):
            line = " ".join(raw.strip(" -•–").split())
            if not MIN_ROW_CHARS <= len(line) <= MAX_ROW_CHARS or not gives(kind, line):
                continue
            row_rank = rank(question, line, idf)
            if row_rank[2] > 0 and (best is None or (row_rank, -order) > (best[0], -best[1])):
                best = (row_rank, order, hit, position, line)
    if best is None or not names_more(question, best[4], quoted, idf):
        return None
    return best[2], best[3], best[4]


def operative_passage(kind: str, hits: list[ScoredChunk], store: ChromaStore) -> tuple[ScoredChunk, str] | None:
    """(passage, operative sentence) of the best deliberation found when the passage found is another part
    of that record (its title, its report) and another passage of the record holds the operative part."""
    for hit in hits:
        if hit.chunk.kind != schema.KIND_DELIBERATION:
            continue
        if has_operative(hit.chunk, kind):
            return None
        for sibling in record_siblings(hit.chunk, store, {hit.chunk.id}):
            if has_operative(sibling, kind):
                sentence = extract_decision(sibling.text).provisions[0].sentence
                return ScoredChunk(chunk=sibling, score=hit.score), sentence
        return None  # only the best record: the others are not what the question is about
    return None


def has_operative(chunk: Chunk, kind: str) -> bool:
    """Whether the passage holds an operative sentence (one holding the kind of fact asked for, or rows)."""
    provisions = extract_decision(chunk.text).provisions
    if kind in (DECISION, OTHER) or not provisions:
        return bool(provisions)
    return any(gives(kind, line) for p in provisions for line in [p.sentence, *p.rows])


def record_siblings(chunk: Chunk, store: ChromaStore, seen: set[str]) -> list[Chunk]:
    """The other passages of the deliberation `chunk` belongs to (same document, same record), not yet
    seen, in document order; `seen` is updated."""
    doc_id, record = chunk.meta.get(schema.DOC_ID), chunk.meta.get(schema.RECORD_INDEX)
    if chunk.kind != schema.KIND_DELIBERATION or doc_id is None or record is None:
        return []
    where = {"$and": [{schema.DOC_ID: doc_id}, {schema.RECORD_INDEX: record}]}
    siblings = [c for c in store.find(where) if c.id not in seen]
    siblings = sorted(siblings, key=lambda c: (c.page, c.meta.get(schema.CHUNK_INDEX, 0)))[:MAX_SIBLINGS]
    seen.update(c.id for c in siblings)
    return siblings
