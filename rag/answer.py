"""Answers in French with numbered citations. The default generator is extractive: an opening built from
the cited record's fields (rag.lead), then the most relevant sentences of the top passages, chosen by meaning
(e5 similarity), shared stems, the kind of fact the question asks for (rag.question) and the operative part
of a deliberation (rag.decision). The extractive
answerer also holds the refusal rule (`found`) that every generator's answer goes through.

Example (needs a live store)::

    answerer = ExtractiveAnswerer(retriever=retriever, settings=settings)
    retrieval = retriever.run("Qu'a voté le conseil municipal sur la cantine scolaire ?", top_k=5)
    answer = answerer.answer_from("Qu'a voté le conseil municipal sur la cantine scolaire ?", retrieval)
    answer.citations[0].chunk.meta["delib_id"]
    # -> '2020-045'
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rag import schema, tuning
from rag.decision import extract_decision
from rag.french import fold, french_date, source_label
from rag.lead import lead_sentences
from rag.question import AMOUNT, DECISION, OTHER, answer_type, gives
from rag.records import record_from_meta, vote_label
from rag.retrieve import HybridRetriever, Retrieval, question_intent
from rag.schema import Answer, AnswerSentence, Chunk, Citation, ScoredChunk
from rag.settings import Settings
from rag.text import sentences, tokens
from rag.thesaurus import expand, synonyms_by_stem
from rag.versions import VersionStore

logger = logging.getLogger(__name__)

NOT_FOUND = "Je n'ai pas trouvé cette information dans les documents indexés."
MAX_PASSAGES = 3
MAX_SENTENCES = 5
MIN_SENTENCE_CHARS = 25
VOTE_WORDS_RE = re.compile(r"\bvoix\b|unanimit|\bpour\s*:|\bcontre\s*:|abstention", re.IGNORECASE)
MAX_SENTENCE_CHARS = 600


@dataclass(slots=True)
class _Candidate:
    hit_index: int
    sentence: str
    score: float
    position: int = 0  # index of the sentence within its passage
    exact: bool = True  # the sentence is quoted exactly as in the passage (no bullet or cut removed)


def relevance_signals(question: str, retrieval: Retrieval, idf: Callable[[str], float]) -> dict[str, float]:
    """What the refusal rule looks at: closeness in meaning (best e5 cosine), how much of the
    question one place of the top passages covers, the names the question uses that no indexed
    passage contains, and the question's rare nouns that none of the top passages uses. Coverage is the
    IDF-weighted share of the question's stems (or their everyday synonyms: "préfet" -> "représentant")
    found together in two consecutive sentences of one passage (plus its title and headings): an absent
    topic usually hinges on a rare word ("piscine", "déchetterie") that no passage uses in the same breath
    as the rest. The words that name an indexed scope (a commune, a month, a year: rag.scope) count as
    covered: the retrieval kept only the passages of that scope. A rare noun ("l'abonnement", "du
    gymnase") that the passages never use (nor a word of the same family: "transfert" / "transférée")
    means they are about something next to the question."""
    groups = synonyms_by_stem(question)
    scope = retrieval.scope
    met = set(scope.stems) if scope is not None and scope.restricts and not scope.missing_label() else set()
    weights = {stem: idf(stem) for stem in groups}
    total = sum(weights.values())
    coverage = 0.0
    passages = set(met)
    if total:
        for hit in retrieval.hits[:3]:
            meta = hit.chunk.meta
            head = set(tokens(f"{meta.get(schema.TITLE, '')} {meta.get(schema.HEADING_PATH, '')}"))
            stems = [set(tokens(s)) for s in sentences(hit.chunk.text)] or [set()]
            for i, current in enumerate(stems):
                window = current | (stems[i + 1] if i + 1 < len(stems) else set()) | head | met
                covered = sum(w for stem, w in weights.items() if groups[stem] & window)
                coverage = max(coverage, covered / total)
            passages |= head | set().union(*stems)
    excused = set(scope.unknown_communes) if scope is not None else set()
    nouns = [stem for stem in key_nouns(question) if stem not in met and idf(stem) >= tuning.KEY_NOUN_IDF]
    missing = [stem for stem in nouns if not _used(groups.get(stem, {stem}), passages)]
    return {
        "best_dense": retrieval.best_dense,
        "coverage": coverage,
        "score": retrieval.best_dense + COVERAGE_WEIGHT * coverage,
        "unknown_names": float(len(unknown_names(question, idf, excused=excused))),
        "missing_nouns": float(len(missing)),
    }


_NOUN_RE = re.compile(
    r"(?:\b(?:le|la|les|un|une|des|du|de|au|aux|quel|quelle|quels|quelles|nos|notre|ce|cette|ces)\s+|\b[ld]'\s*)"
    r"([^\W\d_][\w-]{3,})",
    re.IGNORECASE,
)
# Adjectives and quantifiers that come between a determiner and the noun ("la future maison").
_NOT_NOUNS = set(
    tokens(
        "petit petite grand grande même nouveau nouvelle autre autres premier première dernier dernière seul seule "
        "futur future ancien ancienne prochain prochaine jeune vieux vieille bon bonne beau belle"
    )
)


def _used(stems: set[str], passages: set[str]) -> bool:
    """Whether the passages use one of these stems or a word of its family (same first NOUN_FAMILY letters)."""
    if stems & passages:
        return True
    prefixes = {stem[:NOUN_FAMILY] for stem in stems if len(stem) >= NOUN_FAMILY}
    return any(word[:NOUN_FAMILY] in prefixes for word in passages)


NOUN_FAMILY = 5


def key_nouns(question: str) -> list[str]:
    """The stems of the words a determiner or "de" introduces ("l'abonnement", "du gymnase", "de location"):
    the things the question is about, as opposed to its verbs ("qui mange", "dort"); not the capitalised
    names ("de Lyon"), which `unknown_names` and rag.scope judge."""
    text = question.replace("\u2019", "'")
    words = (match.group(1) for match in _NOUN_RE.finditer(text))
    stems = (stem for word in words if not word[:1].isupper() for stem in tokens(word))  # names: unknown_names
    return list(dict.fromkeys(stem for stem in stems if stem not in _NOT_NOUNS))


COVERAGE_WEIGHT = 0.2
_WORD_RE = re.compile(r"[^\W\d_][\w\u2019'-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.?!:;«(\"]\s*)$")
_UNSEEN = "\x00"  # a stem no passage contains: idf(_UNSEEN) is the idf of a word absent from the corpus


def unknown_names(question: str, idf: Callable[[str], float], *, excused: set[str] | None = None) -> list[str]:
    """The names in the question (a capitalised word inside a sentence, or an acronym: "Toulouse", "TVA")
    that no indexed passage contains: the question is about something the documents do not know."""
    unseen = idf(_UNSEEN)
    names = []
    for match in _WORD_RE.finditer(question):
        word = match.group().strip("'\u2019-")
        acronym = len(word) >= 2 and word.isupper()
        inside = word[:1].isupper() and not _SENTENCE_START_RE.search(question[: match.start()])
        if not (acronym or inside) or word in (excused or set()):
            continue
        stems = tokens(word)
        if stems and all(idf(stem) >= unseen for stem in stems):
            names.append(word)
    return names


def is_found(
    question: str,
    retrieval: Retrieval,
    threshold: float,
    idf: Callable[[str], float],
    *,
    best_sentence: float | None = None,
    sentence_threshold: float = 0.0,
) -> bool:
    """The refusal rule: an exact article reference, or passages close enough to the question and a
    sentence in them close enough in meaning (when the caller measured it), and no name in the question
    that the indexed documents never use. A question about a commune or period with no indexed document
    is answered from the law only when it asks what the law says; one about a deliberation, an article, a
    code or a body the store does not hold is refused (see `refusal_reason`)."""
    return (
        refusal_reason(
            question, retrieval, threshold, idf, best_sentence=best_sentence, sentence_threshold=sentence_threshold
        )
        is None
    )


def refusal_reason(
    question: str,
    retrieval: Retrieval,
    threshold: float,
    idf: Callable[[str], float],
    *,
    best_sentence: float | None = None,
    sentence_threshold: float = 0.0,
) -> str | None:
    """Why the question is refused ("far", "names", "scope", "law", "fact", "year" ...), None when it is answered.

    Besides closeness, three checks that the passages can hold the answer at all: a question asking what
    the law or a code says is not answered from council minutes alone ("law"); a question asking how
    much something costs is not answered by passages that hold no amount at all ("fact"); a year the
    question names must be the passage's year or be written in it ("year")."""
    if not retrieval.hits:
        return "empty"
    scope = retrieval.scope
    if scope is not None and scope.missing_refs:
        return "scope"  # "la délibération n° 2020-061": no other text can say what it says
    if retrieval.exact_articles:
        return None
    if best_sentence is not None and best_sentence < sentence_threshold:
        return "sentence"
    if scope is not None and scope.missing_label() and question_intent(question, local=False) == "local":
        return "scope"  # what Lyon decided: the law (all that is left in scope) cannot say
    signals = relevance_signals(question, retrieval, idf)
    if signals["unknown_names"]:
        return "names"
    if signals["score"] < threshold:
        return "far"
    if signals["missing_nouns"] and signals["score"] < threshold + tuning.KEY_NOUN_MARGIN:
        return "topic"  # "l'abonnement à la médiathèque" answered with the lost library book
    top = retrieval.hits[:MAX_PASSAGES]
    if LAW_SOURCE_RE.search(fold(question)) and not (scope is not None and scope.communes):
        articles = [hit for hit in top if hit.chunk.kind == schema.KIND_ARTICLE]
        used = set().union(
            *(set(tokens(f"{hit.chunk.text} {hit.chunk.meta.get(schema.TITLE, '')}")) for hit in articles)
        )
        nouns = [stem for stem in key_nouns(question) if idf(stem) >= tuning.KEY_NOUN_IDF]
        if not articles or not all(_used({stem}, used) for stem in nouns):
            return "law"  # "quelle loi impose la M57 ?": no article among the passages speaks of it
    if MONEY_RE.search(fold(question)) and not any(gives(AMOUNT, hit.chunk.text) for hit in top):
        return "fact"  # how much something costs, answered by passages without a single amount
    if scope is not None and scope.years and not scope.missing_label():
        years = {str(y) for y in scope.years}
        if not any(
            str(h.chunk.meta.get(schema.DATE) or "")[:4] in years or years & _years_in(h.chunk.text) for h in top
        ):
            return "year"
    return None


# A question that asks for the legal source itself ("quelle loi", "que dit le code", "base légale").
LAW_SOURCE_RE = re.compile(
    r"\b(?:quel(?:le)?s? (?:loi|texte|article|regle legale|disposition legale|base legale|code)"
    r"|que (?:dit|prevoit) (?:la loi|le code|la reglementation)|(?:regle|base|obligation|cadre) legale?)\b"
)
# A question about a sum of money: passages with no amount in them cannot answer it.
MONEY_RE = re.compile(
    r"\b(?:combien (?:coute|coutent|paie|paye|paient|rapporte|rembourse|verse)|prix|tarifs?|montant|cout"
    r"|subventions?|loyer|salaire|redevance|cotisation|indemnites?|euros?)\b"
)
# A year written in a passage; not the year of a deliberation number ("2021-051", "2014/137").
_YEAR_RE = re.compile(r"(?<![\d/-])(?:19|20)\d{2}(?!\d|\s?[-/]\s?\d{1,3}\b)")
_YEAR_SPAN_RE = re.compile(r"(?<![\d/-])((?:19|20)\d{2})\s?[-/]\s?((?:19|20)\d{2})(?!\d)")


def _years_in(text: str) -> set[str]:
    """The years a passage writes: "en 2019", both years of "2020-2021"; not "2021-051" (a deliberation)."""
    return set(_YEAR_RE.findall(text)) | {year for span in _YEAR_SPAN_RE.findall(text) for year in span}


def annotate_versions(citations: list[Citation], versions: VersionStore) -> None:
    """Say which version of an article a citation quotes, checked against the article's known versions."""
    for citation in citations:
        chunk = citation.chunk
        if chunk.kind != schema.KIND_ARTICLE or not chunk.article:
            continue
        known = versions.versions(chunk.article)
        if not known:
            continue
        body = chunk.text.split("\n", 1)[1] if "\n" in chunk.text else chunk.text
        quoted = next((v for v in reversed(known) if _norm_text(body) in _norm_text(v.text)), None)
        newest = known[-1]
        if quoted is newest:
            note = f"version du {french_date(newest.date)}"
            if newest.confirmed and newest.confirmed > newest.date:
                note += f", inchangée au {french_date(newest.confirmed)}"
        elif quoted is not None:
            note = (
                f"version du {french_date(quoted.date)}, modifié depuis le {french_date(newest.date)} "
                f"(voir `mairie article {chunk.article}`)"
            )
        else:
            note = f"texte indexé ; dernière version connue du {french_date(newest.date)}"
        chunk.meta[schema.VERSION_NOTE] = note


def _norm_text(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split()).lower()


class ExtractiveAnswerer:
    """Builds a cited answer from the retrieved passages without any language model: the "extractive"
    generator (see rag.generators), and the fallback when a model's answer cannot be verified."""

    name = "extractive"

    def __init__(self, *, retriever: HybridRetriever, settings: Settings) -> None:
        self.retriever = retriever
        self.settings = settings
        self.versions = VersionStore(store=retriever.store)

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Answer]:
        """The generator protocol: the whole text at once (quotes need no waiting), then the Answer."""
        answer = self.answer_from(question, retrieval)
        yield answer.text
        yield answer

    def refuse(self, question: str, retrieval: Retrieval) -> Answer:
        """The refusal, naming whom to ask (MAIRIE_REFUSAL_CONTACT) and the closest passages."""
        return refusal(question, retrieval.hits[:3], contact=self.settings.refusal_contact)

    def answer_from(self, question: str, retrieval: Retrieval) -> Answer:
        if not self.found(question, retrieval):
            return self.refuse(question, retrieval)
        picked = self.select_sentences(question, retrieval)
        citations: list[Citation] = []
        lines: list[str] = []
        answer_sentences: list[AnswerSentence] = []
        by_hit: dict[int, list[_Candidate]] = {}
        for cand in picked:
            by_hit.setdefault(cand.hit_index, []).append(cand)
        annotate_versions([Citation(0, retrieval.hits[i].chunk, "") for i in by_hit], self.versions)
        for hit_index, cands in by_hit.items():
            hit = retrieval.hits[hit_index]
            n = len(citations) + 1
            quote = join_quotes(cands)
            citations.append(Citation(n=n, chunk=hit.chunk, quote=quote, score=hit.score))
            line = f"{source_label(hit.chunk)} : « {quote} » [{n}]"
            if hit.chunk.kind == schema.KIND_DELIBERATION:
                label = vote_label(record_from_meta(hit.chunk.meta))
                # The record's vote is added only when the quote states none (a PV item may hold two votes).
                if label != "vote non précisé" and not VOTE_WORDS_RE.search(quote):
                    line += f" — vote : {label}"
            lines.append(line)
            answer_sentences.append(AnswerSentence(text=line, citations=[n], status="ok"))
        # The answer first (built from the cited record's fields, each value checked on the passage),
        # then the evidence.
        lead = lead_sentences(question, citations)
        intro = "Voici ce que disent les documents indexés :"
        text = intro + "\n" + "\n".join(f"- {line}" for line in lines)
        if lead:
            text = "\n".join(s.text for s in lead) + "\n\n" + text
        return Answer(
            question=question,
            text=text,
            citations=citations,
            found=True,
            mode="extractive",
            sentences=lead + answer_sentences,
            notes=[LEAD_NOTE if lead else QUOTES_NOTE],
        )

    def found(self, question: str, retrieval: Retrieval) -> bool:
        """Whether to answer at all (see `is_found`); the best sentence's closeness is part of it.
        Decided once per retrieval: the chain asks before prompting, the answer step again."""
        if "found" not in retrieval.derived:
            best = None
            if retrieval.hits and not retrieval.exact_articles:
                best = max((cosine for _, cosine in self._sentence_cosines(question, retrieval)), default=0.0)
            reason = refusal_reason(
                question,
                retrieval,
                self.settings.refusal_threshold,
                self.retriever.lexical.idf,
                best_sentence=best,
                sentence_threshold=self.settings.sentence_threshold,
            )
            retrieval.derived["refusal_reason"] = reason
            retrieval.derived["found"] = reason is None
        return bool(retrieval.derived["found"])

    def _sentence_cosines(self, question: str, retrieval: Retrieval) -> list[tuple[_Candidate, float]]:
        """The quotable sentences of the top passages and their e5 cosine with the question (computed once)."""
        if "sentences" not in retrieval.derived:
            candidates = [
                _Candidate(index, sentence, 0.0, position, exact)
                for index, hit in enumerate(retrieval.hits[:MAX_PASSAGES])
                for position, sentence, exact in _passage_sentences(hit.chunk)
            ]
            scored: list[tuple[_Candidate, float]] = []
            if candidates:
                query_vector = retrieval.query_vector
                embedder = self.retriever.store.embedder
                if query_vector is None:
                    query_vector = embedder.embed_queries([question])[0]
                cosines = embedder.embed_passages([c.sentence for c in candidates]) @ query_vector
                scored = [(c, float(x)) for c, x in zip(candidates, cosines, strict=True)]
            retrieval.derived["sentences"] = scored
        return list(retrieval.derived["sentences"])

    def select_sentences(self, question: str, retrieval: Retrieval) -> list[_Candidate]:
        scored = self._sentence_cosines(question, retrieval)
        if not scored:
            return []
        candidates = [c for c, _ in scored]
        question_stems = set(tokens(f"{question} {expand(question)}"))
        kind = answer_type(question)
        typed = kind not in (DECISION, OTHER)
        operative = {
            index: _squash(" ".join(p.text for p in extract_decision(hit.chunk.text).provisions))
            for index, hit in enumerate(retrieval.hits[:MAX_PASSAGES])
            if hit.chunk.kind == schema.KIND_DELIBERATION
        }
        for cand, cosine in scored:
            stems = set(tokens(cand.sentence))
            overlap = len(stems & question_stems) / max(1, len(question_stems))
            # Meaning first, shared stems second, the kind of fact asked for ("combien" -> an amount),
            # and a small preference for the better-ranked passage.
            cand.score = float(cosine) + 0.15 * overlap - 0.01 * cand.hit_index
            if typed and gives(kind, cand.sentence):
                cand.score += TYPE_BONUS
            if operative.get(cand.hit_index) and _squash(cand.sentence) in operative[cand.hit_index]:
                cand.score += OPERATIVE_BONUS  # the operative part ("ACCEPTE ...", its rows) holds the decision
        best_per_hit: dict[int, list[_Candidate]] = {}
        for cand in sorted(candidates, key=lambda c: c.score, reverse=True):
            best_per_hit.setdefault(cand.hit_index, []).append(cand)
        top_score = max(c.score for c in candidates)
        picked: list[_Candidate] = []
        for index in sorted(best_per_hit):
            ranked = best_per_hit[index]
            # The best passage may give up to 3 sentences close to its best one; the others one each,
            # and only when they compete with the best sentence overall.
            if index == 0:
                picked.extend(c for c in ranked[:3] if c.score >= ranked[0].score - TOP_PASSAGE_MARGIN)
            else:
                picked.extend(c for c in ranked[:1] if c.score >= top_score - OTHER_PASSAGE_MARGIN)
        picked = sorted(picked, key=lambda c: (c.hit_index, -c.score))[:MAX_SENTENCES]
        if typed:
            picked += _typed_fact(kind, picked, best_per_hit)
        picked += _amount_context(picked, candidates)
        # Keep the document order of sentences within a passage, so the quote reads naturally.
        return sorted(picked, key=lambda c: (c.hit_index, c.position))


QUOTE_GAP = " […] "
QUOTES_NOTE = "Réponse extractive : phrases citées telles quelles, sans modèle de langage."
LEAD_NOTE = (
    "Réponse extractive, sans modèle de langage : la première phrase reprend les éléments de la source "
    "citée (chaque chiffre, date et nom y a été vérifié), puis les phrases citées telles quelles."
)
TYPE_BONUS = 0.05
OPERATIVE_BONUS = 0.04
TYPED_MARGIN = 0.25
TOP_PASSAGE_MARGIN = 0.1
OTHER_PASSAGE_MARGIN = 0.04
_AMOUNT_RE = re.compile(r"\d\s?(?:€|euros?\b|%)|\d+[.,]\d{2}\b", re.IGNORECASE)


def _squash(text: str) -> str:
    return "".join(fold(text).split())


def _typed_fact(kind: str, picked: list[_Candidate], ranked: dict[int, list[_Candidate]]) -> list[_Candidate]:
    """For each quoted passage whose quote holds no fact of the kind asked for (no amount for "combien",
    no name for "qui"), its best sentence or table row that holds one, when it is close enough."""
    extra: list[_Candidate] = []
    for index in sorted({c.hit_index for c in picked}):
        if any(gives(kind, c.sentence) for c in picked if c.hit_index == index):
            continue
        best = ranked[index][0].score
        typed = next((c for c in ranked[index] if gives(kind, c.sentence)), None)
        if typed is not None and typed.score >= best - TYPED_MARGIN:
            extra.append(typed)
    return extra


def _amount_context(picked: list[_Candidate], candidates: list[_Candidate]) -> list[_Candidate]:
    """The sentence just before a picked decision when it holds the amount decided ("- 3.50€ pour ...",
    then "Le Conseil Municipal ... ACCEPTE"): a decision quoted without its figure says little."""
    chosen = {(c.hit_index, c.position) for c in picked}
    by_position = {(c.hit_index, c.position): c for c in candidates}
    extra: list[_Candidate] = []
    for cand in picked:
        before = by_position.get((cand.hit_index, cand.position - 1))
        if (
            before is not None
            and (before.hit_index, before.position) not in chosen
            and not _AMOUNT_RE.search(cand.sentence)
            and _AMOUNT_RE.search(before.sentence)
        ):
            chosen.add((before.hit_index, before.position))
            extra.append(before)
    return extra


def join_quotes(cands: list[_Candidate]) -> str:
    """Sentences of one passage in document order; a gap between non-adjacent ones is marked […]."""
    parts: list[str] = []
    previous: int | None = None
    previous_exact = True
    for cand in cands:
        if parts:
            adjacent = previous is not None and cand.position == previous + 1 and cand.exact and previous_exact
            parts.append(" " if adjacent else QUOTE_GAP)
        parts.append(cand.sentence)
        previous, previous_exact = cand.position, cand.exact
    return "".join(parts)


def quote_parts(quote: str) -> list[str]:
    return [part for part in quote.split(QUOTE_GAP) if part.strip()]


def _passage_sentences(chunk: Chunk) -> list[tuple[int, str, bool]]:
    """(position in the passage, sentence) of the sentences worth quoting; positions count every
    sentence, so two quotes are adjacent only if nothing was skipped between them."""
    if chunk.meta.get(schema.BOILERPLATE):  # running headers, page numbers: searchable, never quoted
        return []
    text = chunk.text
    if chunk.kind == schema.KIND_ARTICLE and "\n" in text:
        text = text.split("\n", 1)[1]  # drop the "Article L... — heading" line
    out: list[tuple[int, str, bool]] = []
    for position, raw in enumerate(sentences(text)):
        # A bullet opening a sentence or a cut is not quoted; such a sentence then joins no neighbour.
        sentence = _clip(raw.strip(" -•–"))
        if len(sentence) >= MIN_SENTENCE_CHARS and re.search(r"[a-zà-ÿ]{3}", sentence):
            out.append((position, sentence, sentence == raw.strip()))
    if not out and text.strip():
        out.append((0, _clip(text.strip()), False))
    return out


def _clip(sentence: str) -> str:
    """At most MAX_SENTENCE_CHARS, cut between words: a cut inside "1958" would quote a "19" the text never says."""
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return sentence
    return sentence[: MAX_SENTENCE_CHARS + 1].rsplit(None, 1)[0].rstrip(" ,;:")


def refusal(question: str, closest: list[ScoredChunk], *, contact: str) -> Answer:
    """Nothing is asserted; `contact` says whom to ask (by role: the secretary asking is the mairie)."""
    text = f"{NOT_FOUND} {contact}".strip()
    notes = ["Aucun passage assez proche de la question : rien n'est affirmé."]
    if closest:
        notes.append("Les passages les plus proches sont proposés ci-dessous, sans garantie qu'ils répondent.")
    return Answer(
        question=question, text=text, citations=[], found=False, mode="refusal", notes=notes, closest=list(closest)
    )
