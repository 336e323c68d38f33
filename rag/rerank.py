"""Second stage of the ranking: the law's passages re-ordered by a sharper fusion, the council's by coverage.

The first stage (rag/retrieve.py) fuses the channels by weighted reciprocal ranks with k = 20 (a user
setting, tuned on the council-decision gold sets). Over the whole law the channels often disagree: an
article that one channel ranks first and the other does not find at all ends below an article both rank
fifth to tenth. Among the law's passages of the first DEPTH hits, this stage fuses the same channel ranks
with a smaller k (a channel's first ranks weigh more), keeps every other factor of the first stage (intent,
special regime, population, commune and year priors: the first score divided by its own fusion), and
demotes a little the articles of the partie réglementaire (R, D), which detail the legislative articles
of the same topic. The passages keep the slots they held: a deliberation or a council document never moves,
and a law passage only swaps with another law passage.

Tuned on the dev half of benchmarks/gold_service_public.jsonl (leave-one-out, docs/EVALUATION.md,
"Session 23"); hybrid + bridge dev MRR 0.489 -> 0.601.

Council documents (`rerank_council`): over a whole corpus, the deliberations of one meeting or one service
share most of a question's words, and reciprocal-rank fusion hardly tells them apart (the designation of the
members of one commission ranks above that of another). Among the council passages of the first
COUNCIL_DEPTH hits, each first score is multiplied by 1 + COVERAGE_WEIGHT x coverage, where coverage is the
share of the question's stems, weighted by their IDF, that the passage's record writes (its passages among
those hits, titles included), and by 1 + PASSAGE_WEIGHT x the passage's own coverage: the record naming "contrôle", "lots 8 et 9" or "électriques" comes before the
one naming only "commission" and "marché"; and a record that lacks a number the question writes (a market's number,
a budget line "6574/925/1398") is divided by 1 + NUMBER_PENALTY for each: an identifier says which record is meant
better than any share of words. Measured on the full corpus (9,688 passages) over 13 gold sets
(567 council questions, docs/EVALUATION.md, "Session 27"): right document first 0.765 -> 0.869, in the top 5
0.961 -> 0.986, MRR 0.851 -> 0.922, no set losing.

Example::

    ranked = rerank(ranked, settings)  # the same hits, the law's passages re-ordered among their slots
    ranked = rerank_council(ranked, question, idf)  # and the council's, by the question's stems they write
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from rag import bridge as topic_bridge
from rag import schema
from rag.schema import ScoredChunk
from rag.settings import Settings
from rag.text import tokens
from rag.thesaurus import lexical_query

DEPTH = 30  # the first hits the second stage looks at
RRF_K = 10  # the second stage's reciprocal-rank constant (the first stage's: Settings.rrf_k, 20)
REGULATORY = 0.9  # factor of an article of the partie réglementaire ("R2123-3", "D231-2")
COUNCIL_DEPTH = 20  # the first hits whose council passages are re-ordered by coverage
COVERAGE_WEIGHT = 2.0  # a record writing all the question's stems: first score x 3
PASSAGE_WEIGHT = 0.5  # and a passage writing them all: x 1.5 more (the row naming the association first)
NUMBER_PENALTY = 0.5  # a record lacking a number the question writes ("n° 21091140", "6574/925/1398"): score / 1.5 each

_REGULATORY_RE = re.compile(r"^[RD]\*?\d")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def is_regulatory(article: str) -> bool:
    """Whether an article number is of the partie réglementaire ("R2123-3", "D231-2", not "L2123-3", "LO1112-1").

    >>> [is_regulatory(a) for a in ("R2123-3", "D231-2", "L2123-3", "LO1112-1", "Annexe IX")]
    [True, True, False, False, False]
    """
    return bool(_REGULATORY_RE.match(article or ""))


def _fusion(hit: ScoredChunk, settings: Settings, k: float) -> float:
    """The weighted reciprocal-rank fusion of a hit's channel ranks with constant k (as rag.retrieve fuses)."""
    weights = {"bm25": settings.bm25_weight, "dense": settings.dense_weight, "bridge": topic_bridge.WEIGHT}
    return sum(weights[channel] / (k + rank) for channel, rank in hit.ranks.items() if channel in weights)


def second_score(hit: ScoredChunk, settings: Settings) -> float:
    """A law passage's second-stage score: its channels fused with RRF_K, times the first stage's other
    factors (its score over its own fusion), times REGULATORY for an article of the partie réglementaire."""
    first = _fusion(hit, settings, settings.rrf_k)
    if first <= 0:
        return hit.score
    score = hit.score / first * _fusion(hit, settings, RRF_K)
    if is_regulatory(hit.chunk.article or ""):
        score *= REGULATORY
    return score


def rerank(ranked: list[ScoredChunk], settings: Settings, *, depth: int = DEPTH) -> list[ScoredChunk]:
    """The hits with the law's passages among the first `depth` re-ordered by `second_score`, each in one of
    the slots the law's passages held; every other hit keeps its place. The hits' scores are not changed."""
    head = ranked[:depth]
    slots = [i for i, hit in enumerate(head) if hit.chunk.kind == schema.KIND_ARTICLE]
    if len(slots) < 2:
        return ranked
    law = sorted((head[i] for i in slots), key=lambda hit: second_score(hit, settings), reverse=True)
    reordered = list(head)
    for slot, hit in zip(slots, law, strict=True):
        reordered[slot] = hit
    return reordered + ranked[depth:]


def coverage(question_stems: set[str], stems: set[str] | frozenset[str], idf: Callable[[str], float]) -> float:
    """The share of the question's stems, weighted by IDF, found in `stems` (0.0 to 1.0).

    >>> coverage({"lot", "electr"}, {"lot", "march"}, lambda s: {"lot": 1.0, "electr": 3.0}.get(s, 1.0))
    0.25
    """
    total = sum(idf(s) for s in question_stems)
    return sum(idf(s) for s in question_stems if s in stems) / total if total > 0 else 0.0


@lru_cache(maxsize=4096)
def _stems(text: str) -> frozenset[str]:
    """A passage's stems, remembered: the same passages come back search after search."""
    return frozenset(tokens(text))


def rerank_council(
    ranked: list[ScoredChunk],
    question: str,
    idf: Callable[[str], float],
    *,
    depth: int = COUNCIL_DEPTH,
    excused: frozenset[str] = frozenset(),
) -> list[ScoredChunk]:
    """The hits with the council passages among the first `depth` re-ordered by their first score times
    1 + COVERAGE_WEIGHT x the coverage of the question's stems by their record (the passages of the same
    document and title among those hits, titles included) times 1 + PASSAGE_WEIGHT x their own coverage,
    divided by 1 + NUMBER_PENALTY for each number of the question (three digits or more, not a year) the record
    does not write,
    each in one of the slots the council passages held; the law's passages keep their places and no score is
    changed. `excused`: the stems of the question's scope (its commune, month, year: rag.scope), which the retrieval
    has already met; they would favour the passages that happen to write them (a compte rendu's heading)."""
    head = ranked[:depth]
    slots = [i for i, hit in enumerate(head) if hit.chunk.kind != schema.KIND_ARTICLE]
    question_stems = set(tokens(lexical_query(question))) - excused
    if len(slots) < 2 or not question_stems:
        return ranked

    def record_key(hit: ScoredChunk) -> tuple[str, str]:
        return str(hit.chunk.meta.get(schema.SOURCE, "")), str(hit.chunk.meta.get(schema.TITLE, ""))

    # (the head of a document names the body every passage of it is of: "CANTELOUZE HABITAT Office public de
    # l'habitat ...", which only its first passage writes; so does the assembly it names, "CONSEIL D'ADMINISTRATION"
    # under a lycée's name: "voté par le conseil d'administration" tells none of its acts from another)
    own = {
        head[i].chunk.id: _stems(
            f"{head[i].chunk.text} {record_key(head[i])[1]} {head[i].chunk.meta.get(schema.HEAD) or ''} "
            f"{str(head[i].chunk.meta.get(schema.BODY) or '').replace(';', ' ')}"
        )
        for i in slots
    }
    records: dict[tuple[str, str], set[str]] = {}
    for i in slots:
        records.setdefault(record_key(head[i]), set()).update(own[head[i].chunk.id])

    # Identifiers of three digits or more, not years (the scope's, rag.scope) nor units ("m3") or a département's
    # number ("l'OCCE 34"), which a record's OCR or wording may write otherwise.
    numbers = {stem for stem in question_stems if stem.isdigit() and len(stem) >= 3 and not _YEAR_RE.fullmatch(stem)}

    def score(hit: ScoredChunk) -> float:
        written = records[record_key(hit)]
        record = coverage(question_stems, written, idf)
        passage = coverage(question_stems, own[hit.chunk.id], idf)
        lacking = len(numbers - written)
        return (
            hit.score * (1 + COVERAGE_WEIGHT * record) * (1 + PASSAGE_WEIGHT * passage) / (1 + NUMBER_PENALTY * lacking)
        )

    council = sorted((head[i] for i in slots), key=score, reverse=True)
    # A record's passages keep their first order among the places the record now holds: records move, the
    # passage the first stage found best within a record stays its first.
    queues: dict[tuple[str, str], list[ScoredChunk]] = {}
    for i in slots:
        queues.setdefault(record_key(head[i]), []).append(head[i])
    council = [queues[record_key(hit)].pop(0) for hit in council]
    reordered = list(head)
    for slot, hit in zip(slots, council, strict=True):
        reordered[slot] = hit
    return reordered + ranked[depth:]
