"""Hybrid retrieval: exact article lookup, BM25 (French stems + town-hall thesaurus) and dense e5 search,
fused by weighted reciprocal ranks, with a prior against special-regime articles nobody asked about.

Example (needs a live store)::

    retriever = HybridRetriever(store=store, settings=settings)
    [hit.chunk.article for hit in retriever.retrieve("que dit l'article L2121-17 ?", top_k=1)]
    # -> ['L2121-17']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rag import bridge as topic_bridge
from rag import schema, tuning
from rag.articles import find_article_mentions
from rag.bridge import TopicBridge
from rag.cgct_regimes import asks_special_regime
from rag.french import fold
from rag.lexical import LexicalIndex
from rag.question import memo, name_stems
from rag.rerank import rerank, rerank_council
from rag.schema import Chunk, Filters, ScoredChunk
from rag.scope import NOT_A_YEAR, Scope, commune_named
from rag.settings import Settings
from rag.store import ChromaStore, matches_filters
from rag.text import tokens
from rag.thesaurus import lexical_query

logger = logging.getLogger(__name__)

YEAR_RE = re.compile(r"\b((?:19|20)\d{2})\b" + NOT_A_YEAR)


# Words of a question about what the council decided, versus about what the law says.
_LOCAL_RE = re.compile(
    r"\b(vote|votee?s?|avons|avez|ont|delibere|decide|decidee?|accorde|attribue|subvention|tarifs?|prix|"
    r"montant|combien coute|cout|designe|delegues?|elus? comme|seance du|conseil du|compte rendu|proces-verbal"
    r"|la ville)\b"  # ("la ville": the law says "la commune"; "une ville de plus de 3 500 habitants" is the law's)
)
_RULE_RE = re.compile(
    r"\b(peut-il|peut-elle|peuvent-ils|peut-on|doit-il|doit-elle|doit-on|faut-il|est-il oblige|obligatoire|"
    r"a-t-il le droit|droit de|interdit|legal|loi|code|cgct|article|delai|regle|comment se passe|qui peut|"
    r"combien de jours|quorum|majorite|dans une commune|les communes)\b"
)


def rare_names(question: str, idf: Any, excused: set[str]) -> set[str]:
    """The stems of the question's names (rag.question.name_stems) rare in the index (idf >= NAME_PIN_IDF) that its
    scope does not name: "L'Avitarelle", "la Calandreta"; not "la Ville", "Montpellier" or a named commune.

    >>> sorted(rare_names("Combien la Ville a-t-elle accordé à L'Avitarelle ?", lambda s: 5.0 if s == "avitarel" else 1.0, set()))
    ['avitarel']
    """
    return {stem for stem in name_stems(question) if stem not in excused and idf(stem) >= tuning.NAME_PIN_IDF}


def names_council_only(question: str, hits: list[ScoredChunk], idf: Callable[[str], float]) -> bool:
    """Whether the question gives rare names (`rare_names`) that council passages among the candidates write and
    no article does: it asks about what a council did with them, whatever its wording ("À quelles dates a eu lieu
    l'enquête publique sur la demande d'IBM France ?": the law on public inquiries names no IBM)."""
    names = rare_names(question, idf, set())
    if not names:
        return False
    council: set[str] = set()
    law: set[str] = set()
    for hit in hits:
        written = names & set(tokens(f"{hit.chunk.text} {hit.chunk.meta.get(schema.TITLE, '')}"))
        (law if hit.chunk.kind == schema.KIND_ARTICLE else council).update(written)
    return names <= council and not names & law


def question_intent(question: str, *, local: bool) -> str:
    """ "local" (a decision of the council), "rule" (what the law says) or "" when it is not clear."""
    folded = fold(question)
    is_local = local or bool(_LOCAL_RE.search(folded))
    is_rule = bool(_RULE_RE.search(folded))
    if is_rule and not is_local:
        return "rule"
    if is_local and not is_rule:
        return "local"
    return ""


_NUMBER = r"(\d{1,3}(?:[ \u00a0.]?\d{3})*|\d+)"
_QUESTION_POPULATION_RE = re.compile(rf"(?:(plus|moins) de\s+)?{_NUMBER}\s*habitants", re.IGNORECASE)
_UPPER_RE = re.compile(rf"moins de\s+{_NUMBER}\s*habitants", re.IGNORECASE)
_LOWER_RE = re.compile(rf"(?:au moins|plus de)\s+{_NUMBER}\s*habitants|{_NUMBER}\s*habitants et plus", re.IGNORECASE)
# A row of a table by population (L2121-2: "De 500 à 1 499 habitants | 15").
_RANGE_RE = re.compile(rf"\bde\s+{_NUMBER}\s+[àa]\s+{_NUMBER}\s*habitants", re.IGNORECASE)


def _to_int(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def question_population(question: str) -> int | None:
    """The size of commune a question is about ("dans une commune de 4 000 habitants", "plus de 3500 habitants")."""
    match = _QUESTION_POPULATION_RE.search(question)
    if not match:
        return None
    number = _to_int(match.group(2))
    side = (match.group(1) or "").lower()
    return number + 1 if side == "plus" else number - 1 if side == "moins" else number


def population_fits(text: str, population: int) -> bool | None:
    """Whether a passage's population thresholds ("moins de 3 500 habitants", "3 500 habitants et plus")
    include this population; None when the passage states none.

    >>> population_fits("De 100 à 499 habitants | 11 ; De 500 à 1 499 habitants | 15", 800)
    True
    >>> population_fits("dans les communes de moins de 1 000 habitants", 3500)
    False
    """
    uppers = [_to_int(m.group(1)) for m in _UPPER_RE.finditer(text)]
    lowers = [_to_int(next(g for g in m.groups() if g)) for m in _LOWER_RE.finditer(text)]
    ranges = [(_to_int(low), _to_int(high)) for low, high in _RANGE_RE.findall(text)]
    if not uppers and not lowers and not ranges:
        return None
    return (
        any(low <= population <= high for low, high in ranges)
        or any(population < u for u in uppers)
        or any(population >= low for low in lowers)
    )


# "2020-045", "2014/137", "n° 2014 / 137": a year then a number (deliberation numbers as written).
DELIB_NUMBER_RE = re.compile(r"(?<![\w/-])((?:19|20)\d{2})\s?[-/]\s?(\d{1,4})(?![\w/-])")
MODES = ("hybrid", "bm25", "dense")


@dataclass(slots=True)
class Retrieval:
    """Hits plus what the refusal decision needs."""

    hits: list[ScoredChunk]
    best_dense: float  # best cosine similarity between the question and any candidate
    exact_articles: list[str]
    query_vector: np.ndarray | None
    # What the answer step derives from these hits once (sentence cosines, the refusal decision).
    derived: dict[str, Any] = field(default_factory=dict)
    scope: Scope | None = None  # the scope the hits were restricted to (rag.scope)


class HybridRetriever:
    """Exact article lookup first, then weighted RRF of BM25 and dense candidates."""

    def __init__(
        self,
        *,
        store: ChromaStore,
        settings: Settings,
        lexical: LexicalIndex | None = None,
        mode: str = "hybrid",
        bridge: TopicBridge | None | bool = True,
        second_stage: bool = True,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, got {mode!r}")
        self.store = store
        self.settings = settings
        self.lexical = lexical or LexicalIndex(store=store)
        self.mode = mode
        # The Service-Public topic bridge (rag.bridge): True for the shipped pack's, None or False for none.
        self.bridge = TopicBridge.load() if bridge is True else bridge or None
        self.second_stage = second_stage  # rag.rerank, for the questions the law answers first

    def retrieve(self, question: str, *, top_k: int = 5, filters: Filters | None = None) -> list[ScoredChunk]:
        return self.run(question, top_k=top_k, filters=filters).hits

    def run(
        self, question: str, *, top_k: int = 5, filters: Filters | None = None, scope: Scope | None = None
    ) -> Retrieval:
        """The fused hits; with a `scope` (rag.scope), only passages in it (the law always is)."""
        with self.store.pinned():  # one read of each space's generation for the whole search
            return self._run(question, top_k=top_k, filters=filters, scope=scope)

    def _run(self, question: str, *, top_k: int, filters: Filters | None, scope: Scope | None) -> Retrieval:
        question = question.strip()
        if not question:
            return Retrieval([], 0.0, [], None, scope=scope)
        admits = scope.admits if scope is not None and (scope.restricts or scope.missing_label()) else None
        pool = tuning.CANDIDATES * (tuning.SCOPE_POOL if admits else 1)
        exact_numbers = find_article_mentions(question)
        exact = self._exact(exact_numbers, filters) + self._exact_deliberations(question, filters)
        if admits:
            exact = [h for h in exact if admits(h.chunk.meta)]
        k = self.settings.rrf_k
        penalize = not asks_special_regime(question)
        query_vector: np.ndarray | None = None
        lexical: list[tuple[str, float]] = []
        dense: list[tuple[Chunk, float]] = []
        if self.mode in ("hybrid", "bm25"):
            lexical = self.lexical.search(lexical_query(question), k=pool, filters=filters)
        if self.mode in ("hybrid", "dense"):
            query_vector = self.store.embedder.embed_queries([question])[0]
            dense = self.store.dense_search(query_vector, k=pool, filters=filters)
        bridged = self._bridged(question, lexical, dense)
        chunks = {chunk.id: chunk for chunk, _ in dense}
        wanted = [cid for cid, _ in lexical if cid not in chunks] + [cid for cid in bridged if cid not in chunks]
        chunks.update({c.id: c for c in self.store.get_chunks(list(dict.fromkeys(wanted)))})
        if admits:
            chunks = {cid: c for cid, c in chunks.items() if admits(c.meta)}
        # Ids no longer in the store (removed since the lexical index was built) and passages out of scope
        # drop out before ranking: the ranks are those of the restricted channels.
        lexical = [(cid, score) for cid, score in lexical if cid in chunks][: tuning.CANDIDATES]
        dense = [(c, cosine) for c, cosine in dense if c.id in chunks][: tuning.CANDIDATES]
        fused: dict[str, ScoredChunk] = {}
        for rank, (chunk_id, score) in enumerate(lexical):
            hit = fused.setdefault(chunk_id, ScoredChunk(chunks[chunk_id], 0.0))
            hit.ranks["bm25"] = rank + 1
            hit.channel_scores["bm25"] = score
            hit.score += self.settings.bm25_weight / (k + rank + 1)
        best_dense = 0.0
        for rank, (chunk, cosine) in enumerate(dense):
            hit = fused.setdefault(chunk.id, ScoredChunk(chunk, 0.0))
            hit.ranks["dense"] = rank + 1
            hit.channel_scores["dense"] = cosine
            hit.score += self.settings.dense_weight / (k + rank + 1)
            best_dense = max(best_dense, cosine)
        for rank, chunk_id in enumerate(c for c in bridged if c in chunks and matches_filters(chunks[c].meta, filters)):
            hit = fused.setdefault(chunk_id, ScoredChunk(chunks[chunk_id], 0.0))
            hit.ranks["bridge"] = rank + 1
            hit.score += topic_bridge.WEIGHT / (k + rank + 1)
        intent = self._context_priors(question, fused.values())
        if penalize:
            for hit in fused.values():
                if hit.chunk.meta.get(schema.REGIME) == "special":
                    hit.score *= self.settings.special_regime_penalty
        ranked = sorted(fused.values(), key=lambda h: h.score, reverse=True)
        law_first = bool(ranked) and ranked[0].chunk.kind == schema.KIND_ARTICLE
        if self.second_stage and self.mode != "dense" and intent != "local" and law_first:
            # A question the law answers first: the law's passages re-ordered among their slots (rag.rerank).
            # A question about what the council decided keeps the first stage's ranking.
            ranked = rerank(ranked, self.settings)
        if self.second_stage and self.mode != "dense":
            # The council's records re-ordered by the question's words they write (rag.rerank): over a whole
            # corpus the deliberations of one meeting share most of them.
            excused = frozenset(scope.stems) if scope is not None else frozenset()
            ranked = rerank_council(ranked, question, memo(self.lexical.idf), excused=excused)
        exact_ids = {h.chunk.id for h in exact}
        ranked = exact + [h for h in ranked if h.chunk.id not in exact_ids]
        ranked = self._name_pinned(question, ranked, lexical, fused, top_k, scope)
        ranked = _boilerplate_later(ranked)
        return Retrieval(ranked[:top_k], best_dense, exact_numbers if exact else [], query_vector, scope=scope)

    def _name_pinned(
        self,
        question: str,
        ranked: list[ScoredChunk],
        lexical: list[tuple[str, float]],
        fused: dict[str, ScoredChunk],
        top_k: int,
        scope: Scope | None,
    ) -> list[ScoredChunk]:
        """The lexical channel's first passage, second in the ranking, when it alone writes the rare names the
        question gives ("à L'Avitarelle", "de la Calandreta"): a row of a 17-page table of grants is far in meaning
        from a whole question, and the record's opening pages, close in meaning, never name the association."""
        names = rare_names(question, self.lexical.idf, set(scope.stems) if scope is not None else set())
        if not names or not lexical or lexical[0][0] not in fused:
            return ranked
        first = fused[lexical[0][0]]
        if any(names & set(tokens(hit.chunk.text)) for hit in ranked[:top_k]):
            return ranked
        if not names <= set(tokens(f"{first.chunk.text} {first.chunk.meta.get(schema.TITLE, '')}")):
            return ranked
        rest = [hit for hit in ranked if hit.chunk.id != first.chunk.id]
        return rest[:1] + [first] + rest[1:]

    def _bridged(self, question: str, lexical: list[tuple[str, float]], dense: list[tuple[Chunk, float]]) -> list[str]:
        """The bridge channel's ranked passage ids (rag.bridge): the articles cited by the Service-Public fiches
        that match the question, those the other channels also found first, one passage per article. Not for
        a question about what the council decided ("combien coûte ... à Couthenans ?"): the bridge is law."""
        if self.bridge is None or self.mode == "dense" or question_intent(question, local=False) == "local":
            return []
        best: dict[str, int] = {}  # passage id -> its best rank in the other channels
        for rank, chunk_id in enumerate([cid for cid, _ in lexical]):
            best.setdefault(chunk_id, rank)
        for rank, (chunk, _) in enumerate(dense):
            best[chunk.id] = min(best.get(chunk.id, rank), rank)
        return self.bridge.ranked(question, best)

    def _context_priors(self, question: str, hits: Iterable[ScoredChunk]) -> str:
        """A commune or a year named in the question favours the passages of that commune or year
        ("Couthenans : quel montant pour la banque alimentaire en 2021 ?"). Returns the question's intent."""
        folded = set(fold(question).replace("-", " ").replace("'", " ").split())
        communes = {key for key in self.lexical.communes() if commune_named(key, folded)}
        years = set(YEAR_RE.findall(question))
        intent = question_intent(question, local=bool(communes or years))
        hits = list(hits)
        if not intent and names_council_only(question, hits, self.lexical.idf):
            intent = "local"  # "l'enquête publique sur la demande d'IBM France": only the council's records name IBM
        for hit in hits:
            is_article = hit.chunk.kind == schema.KIND_ARTICLE
            # A law question demotes council documents; a question about local decisions demotes the law.
            if (intent == "rule" and not is_article) or (intent == "local" and is_article):
                hit.score *= tuning.INTENT_DEMOTE
        population = question_population(question)
        if population is not None:
            for hit in hits:
                fits = population_fits(hit.chunk.text, population)
                if fits is not None:
                    hit.score *= tuning.POPULATION_FITS if fits else tuning.POPULATION_CONTRADICTS
        if not communes and not years:
            return intent
        for hit in hits:
            meta = hit.chunk.meta
            key = meta.get(schema.COMMUNE_KEY)
            if communes and key:
                hit.score *= tuning.COMMUNE_BOOST if key in communes else tuning.OTHER_COMMUNE
            date = str(meta.get(schema.DATE, ""))
            if years and date[:4] in years:
                hit.score *= tuning.YEAR_BOOST
        return intent

    def _exact(self, numbers: list[str], filters: Filters | None) -> list[ScoredChunk]:
        if not numbers:
            return []
        where = {schema.ARTICLE: numbers[0]} if len(numbers) == 1 else {schema.ARTICLE: {"$in": numbers}}
        chunks = [c for c in self.store.find(where) if matches_filters(c.meta, filters)]
        order = {n: i for i, n in enumerate(numbers)}
        chunks.sort(key=lambda c: (order.get(c.article or "", 99), int(c.meta.get(schema.PART, 0) or 0)))
        return [ScoredChunk(c, 1.0 + 1.0 / (1 + i), ranks={"exact": i + 1}) for i, c in enumerate(chunks)]

    def _exact_deliberations(self, question: str, filters: Filters | None) -> list[ScoredChunk]:
        """A deliberation named by its number ("délibération 2020-045", "n° 2014/137") comes first."""
        numbers = [f"{m.group(1)}{sep}{m.group(2)}" for m in DELIB_NUMBER_RE.finditer(question) for sep in ("-", "/")]
        if not numbers:
            return []
        chunks = [c for c in self.store.find({schema.DELIB_ID: {"$in": numbers}}) if matches_filters(c.meta, filters)]
        chunks.sort(key=lambda c: (str(c.meta.get(schema.SOURCE)), int(c.meta.get(schema.CHUNK_INDEX, 0) or 0)))
        return [ScoredChunk(c, 1.0 + 0.5 / (1 + i), ranks={"exact": i + 1}) for i, c in enumerate(chunks)]


def _boilerplate_later(ranked: list[ScoredChunk]) -> list[ScoredChunk]:
    """The passages of a document's running headers, footers and stamps (schema.BOILERPLATE: searchable, never
    quoted) after the first BOILERPLATE_AFTER other passages: a header naming the body ("PETR du Pays de Montaurel –
    comité syndical") comes close to any question naming it, and would take the place of a passage an answer quotes.
    """
    kept = [hit for hit in ranked if not hit.chunk.meta.get(schema.BOILERPLATE)]
    later = [hit for hit in ranked if hit.chunk.meta.get(schema.BOILERPLATE)]
    if not later:
        return ranked
    return kept[:BOILERPLATE_AFTER] + later + kept[BOILERPLATE_AFTER:]


BOILERPLATE_AFTER = 3  # (rag.refusal.REFUSAL_PASSAGES: the passages the answer's checks read)
