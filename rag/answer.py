"""Answers in French with numbered citations. The default generator is extractive: an opening built from
the cited record's fields (rag.lead), then the most relevant sentences of the top passages, chosen by meaning
(e5 similarity), shared stems, the kind of fact the question asks for (rag.question) and the operative part
of a deliberation (rag.decision). The extractive
answerer also applies the refusal rule (`found`, see rag.refusal) that every generator's answer goes through.

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

from rag import schema
from rag.decision import extract_decision, is_stamp_line
from rag.french import fold, french_date, source_label
from rag.lead import lead_sentences, with_list_rest
from rag.legal import consolidated, newer_known
from rag.meeting import asks_about_meeting, is_meeting_formula
from rag.question import (
    DECISION,
    NAMED_VALUE,
    NEAR_KINDS,
    NEAR_WORDS,
    NUMBER,
    ORGANISATION,
    OTHER,
    PERSON,
    PERSON_RE,
    VOTE,
    answer_type,
    asked_in_range,
    asks_elected,
    asks_recalled,
    asks_reporter,
    asks_vote,
    asks_why,
    asks_yes_no,
    counted,
    counts,
    frames,
    gives,
    gives_asked,
    gives_reason,
    head_noun,
    memo,
    name_stems,
    names_elected,
    names_reference,
    one_elected,
    opposed,
    other_numbered,
    other_range,
    predicate,
    question_names,
    rank,
    recalls,
    reporter_line,
    slot_word,
    states_new,
    value_named,
    value_near,
    value_spans,
)
from rag.records import record_from_meta, vote_label
from rag.refusal import cited_reason, refusal_reason
from rag.retrieve import HybridRetriever, Retrieval, population_fits, question_population
from rag.rows import (
    ITEM_LINE_RE,
    MAX_ANNOUNCE_LINE,
    announces_election,
    block_start,
    continuation,
    cut_row,
    data_row,
    header_data,
    is_entry,
    item_headings,
    lines_of,
    name_lists,
    next_passage,
    opens_name_list,
    operative_passage,
    previous_passage,
    record_siblings,
    row_header,
    sentence_section,
    typed_row,
    vote_after,
    vote_passage,
    year_header,
)
from rag.rows import MAX_ITEMS as MAX_LIST_ITEMS
from rag.schema import Answer, AnswerSentence, Chunk, Citation, ScoredChunk
from rag.settings import Settings
from rag.store import ChromaStore
from rag.text import sentences, tokens
from rag.thesaurus import expand
from rag.versions import VersionStore, same_text

logger = logging.getLogger(__name__)

NOT_FOUND = "Je n'ai pas trouvé cette information dans les documents indexés."
MAX_PASSAGES = 3
EXTRA_ROW_PASSAGES = 2  # passages read beyond MAX_PASSAGES for a row of the kind asked when no quote gives one
MAX_SENTENCES = 5
MIN_SENTENCE_CHARS = 25
VOTE_WORDS_RE = re.compile(r"\bvoix\b|unanimit|\b[aà] la majorit|\bpour\s*:|\bcontre\s*:|abstention", re.IGNORECASE)
MAX_SENTENCE_CHARS = 600


@dataclass(slots=True)
class _Candidate:
    hit_index: int
    sentence: str
    score: float
    position: int = 0  # index of the sentence within its passage
    exact: bool = True  # the sentence is quoted exactly as in the passage (no bullet or cut removed)
    heads: int = -1  # a table's header (rag.rows.year_header): the hit index of the rows it heads, cited after it


def annotate_versions(citations: list[Citation], versions: VersionStore) -> None:
    """Say which consolidated text of an article a citation quotes, checked against the article's known versions:
    "texte consolidé au 1er janvier 2005 ; une version plus récente du 3 juin 2023 est connue (voir …)"."""
    for citation in citations:
        chunk = citation.chunk
        if chunk.kind != schema.KIND_ARTICLE or not chunk.article:
            continue
        known = versions.versions(chunk.article, code=str(chunk.meta.get(schema.CODE) or "") or None)
        if not known:
            continue  # source_label says the date stored with the passage, if any
        body = chunk.text.split("\n", 1)[1] if "\n" in chunk.text else chunk.text
        # The version whose text the passage is; a part of a long article: the newest version that holds it.
        quoted = next((v for v in reversed(known) if same_text(body, v.text)), None) or next(
            (v for v in reversed(known) if _norm_text(body) in _norm_text(v.text)), None
        )
        newest = known[-1]
        date = quoted.date if quoted is not None else str(chunk.meta.get(schema.VERSION_DATE) or "")
        note = consolidated(date) if date else "texte de la base"
        if quoted is newest:
            if newest.confirmed and newest.confirmed > newest.date:
                note += f", inchangé au {french_date(newest.confirmed)}"
        elif not date or newest.date > date:
            note += f" ; {newer_known(newest.date)} (voir `mairie article {chunk.article}`)"
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
        answer = refusal(question, retrieval.hits[:3], contact=self.settings.refusal_contact)
        answer.refusal_reason = retrieval.derived.get("refusal_reason")
        return answer

    def answer_from(self, question: str, retrieval: Retrieval) -> Answer:
        # One state of the store for the whole answer: each space's generation is read once, not at every
        # idf lookup of the checks (thirty-odd reads of Chroma per answer).
        with self.retriever.store.pinned():
            return self._answer_from(question, retrieval)

    def _answer_from(self, question: str, retrieval: Retrieval) -> Answer:
        if not self.found(question, retrieval):
            return self.refuse(question, retrieval)
        picked = self.select_sentences(question, retrieval)
        citations: list[Citation] = []
        lines: list[str] = []
        answer_sentences: list[AnswerSentence] = []
        by_hit: dict[int, list[_Candidate]] = {}
        for cand in picked:
            by_hit.setdefault(cand.hit_index, []).append(cand)
        by_hit = _headers_first(by_hit)
        annotate_versions([Citation(0, retrieval.hits[i].chunk, "") for i in by_hit], self.versions)
        for hit_index, cands in by_hit.items():
            hit = retrieval.hits[hit_index]
            n = len(citations) + 1
            quote = join_quotes(cands)
            citations.append(Citation(n=n, chunk=hit.chunk, quote=quote, score=hit.score))
            line = f"{source_label(hit.chunk)} : « {quote} » [{n}]"
            if hit.chunk.kind == schema.KIND_DELIBERATION and not opens_name_list(hit.chunk):
                # (a passage opening with an election's result continues the item before it: its record's vote
                # may be the next item's)
                label = vote_label(record_from_meta(hit.chunk.meta))
                # The record's vote is added only when the quote states none (a PV item may hold two votes).
                if label != "vote non précisé" and not VOTE_WORDS_RE.search(quote):
                    line += f" — vote : {label}"
            lines.append(line)
            answer_sentences.append(AnswerSentence(text=line, citations=[n], status="ok"))
        # The answer first (built from the cited record's fields, each value checked on the passage),
        # then the evidence.
        lead = lead_sentences(question, citations, self._row_idf(retrieval))
        # (refusal5) the composed answer's evidence must name what the question names (rag.refusal.cited_reason)
        following, preceding = self._neighbours(retrieval)
        reason = cited_reason(
            question,
            retrieval,
            lead + answer_sentences,
            citations,
            self.retriever.lexical.idf,
            following,
            preceding=preceding,
        )
        if reason is not None:
            logger.debug("refused (%s) the draft: %s", reason, " ".join(s.text for s in lead + answer_sentences))
            retrieval.derived.update(found=False, refusal_reason=reason)
            return self.refuse(question, retrieval)
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

    def _neighbours(
        self, retrieval: Retrieval
    ) -> tuple[Callable[[Chunk], Chunk | None], Callable[[Chunk], Chunk | None]]:
        """The passage after and before a passage in its document, each read from the store once per retrieval
        (the refusal checks before the answer and the evidence check after it ask for the same ones)."""
        if "neighbours" not in retrieval.derived:
            store = self.retriever.store
            after: dict[str, Chunk | None] = {}
            before: dict[str, Chunk | None] = {}

            def following(chunk: Chunk) -> Chunk | None:
                if chunk.id not in after:
                    after[chunk.id] = next_passage(chunk, store)
                return after[chunk.id]

            def preceding(chunk: Chunk) -> Chunk | None:
                if chunk.id not in before:
                    before[chunk.id] = previous_passage(chunk, store)
                return before[chunk.id]

            retrieval.derived["neighbours"] = (following, preceding)
        return retrieval.derived["neighbours"]  # type: ignore[no-any-return]

    def found(self, question: str, retrieval: Retrieval) -> bool:
        """Whether to answer at all (see rag.refusal.refusal_reason); the best sentence's closeness is part of it.
        Decided once per retrieval: the chain asks before prompting, the answer step again."""
        if "found" not in retrieval.derived:
            with self.retriever.store.pinned():
                self._decide(question, retrieval)
        return bool(retrieval.derived["found"])

    def best_sentence(self, question: str, retrieval: Retrieval) -> float | None:
        """The closest sentence's e5 cosine with the question (None for an exact article reference or no hit)."""
        if not retrieval.hits or retrieval.exact_articles:
            return None
        best = max((cosine for _, cosine in self._sentence_cosines(question, retrieval)), default=0.0)
        if best < self.settings.sentence_threshold:  # the formulas left aside might be closer
            best = max((x for _, x in self._sentence_cosines(question, retrieval, complete=True)), default=0.0)
        return best

    def _decide(self, question: str, retrieval: Retrieval) -> None:
        reason = refusal_reason(
            question,
            retrieval,
            self.settings.refusal_threshold,
            self.retriever.lexical.idf,
            best_sentence=self.best_sentence(question, retrieval),
            sentence_threshold=self.settings.sentence_threshold,
            following=self._neighbours(retrieval)[0],
            preceding=self._neighbours(retrieval)[1],
        )
        retrieval.derived["refusal_reason"] = reason
        retrieval.derived["found"] = reason is None

    def _sentence_cosines(
        self, question: str, retrieval: Retrieval, *, complete: bool = False
    ) -> list[tuple[_Candidate, float]]:
        """The quotable sentences of the top passages and their e5 cosine with the question (computed once).

        Embedding these sentences is nearly all of a new question's answer time (linear in their tokens), so no
        text is embedded twice, and a meeting's opening formulas (convocation, chair, attendance lists) are
        embedded only when they may matter: when the question is about the meeting, when no other sentence
        exists (select_sentences quotes them only then), or when `complete` is asked (the refusal rule's best
        sentence, when the others are not close enough). The cosines and their order are the same as if every
        sentence had been embedded.
        """
        derived = retrieval.derived
        if "sentences" not in derived:
            hits = retrieval.hits
            candidates = [
                _Candidate(index, sentence, 0.0, position, exact)
                for index, hit in enumerate(hits[:MAX_PASSAGES])
                for position, sentence, exact in _passage_sentences(hit.chunk)
            ]
            later: list[_Candidate] = []
            if not asks_about_meeting(question):
                now = [c for c in candidates if not _opening_formula(hits, c)]
                if now:
                    kept = {id(c) for c in now}
                    later = [c for c in candidates if id(c) not in kept]
                    candidates = now
            derived["sentences"] = self._cosines(question, retrieval, candidates)
            derived["sentences_later"] = later
        if complete and derived["sentences_later"]:
            scored = derived["sentences"] + self._cosines(question, retrieval, derived["sentences_later"])
            derived["sentences"] = sorted(scored, key=lambda pair: (pair[0].hit_index, pair[0].position))
            derived["sentences_later"] = []
        return list(derived["sentences"])

    def _cosines(
        self, question: str, retrieval: Retrieval, candidates: list[_Candidate]
    ) -> list[tuple[_Candidate, float]]:
        if not candidates:
            return []
        query_vector = retrieval.query_vector
        embedder = self.retriever.store.embedder
        if query_vector is None:
            query_vector = retrieval.query_vector = embedder.embed_queries([question])[0]
        texts = list(dict.fromkeys(c.sentence for c in candidates))  # a header repeated in two passages
        cosine = dict(zip(texts, (embedder.embed_passages(texts) @ query_vector).tolist(), strict=True))
        return [(c, float(cosine[c.sentence])) for c in candidates]

    def _record_rest(self, question: str, retrieval: Retrieval) -> list[tuple[_Candidate, float]]:
        """The sentences of the passages ranked after the first MAX_PASSAGES (down to MAX_PASSAGES +
        EXTRA_ROW_PASSAGES) that belong to the best passage's record (or, outside any record, to its document),
        with their cosines: over a whole archive the record's passages are ranked among other records', and the one
        holding the fact may be fourth ("Autoriser Monsieur le Maire à transmettre ces propositions au référent
        préfectoral" after the agenda and the concertation's two passages). Other
        records' passages so deep are left out, and the refusal rule does not read these (computed once)."""
        derived = retrieval.derived
        if "record_rest" not in derived:
            hits = retrieval.hits
            best = _record_key(hits[0].chunk) if hits else None
            candidates = [
                _Candidate(index, sentence, 0.0, position, exact)
                for index in range(MAX_PASSAGES, min(len(hits), MAX_PASSAGES + EXTRA_ROW_PASSAGES))
                if best is not None and _record_key(hits[index].chunk) == best
                for position, sentence, exact in _passage_sentences(hits[index].chunk)
            ]
            if not asks_about_meeting(question):
                candidates = [c for c in candidates if not _opening_formula(hits, c)]
            # (a sentence the first passages hold too, a running header, is not embedded twice)
            known = {c.sentence: cosine for c, cosine in self._sentence_cosines(question, retrieval)}
            new = self._cosines(question, retrieval, [c for c in candidates if c.sentence not in known])
            known.update((c.sentence, cosine) for c, cosine in new)
            derived["record_rest"] = [(c, known[c.sentence]) for c in candidates]
        return list(derived["record_rest"])

    def _row_idf(self, retrieval: Retrieval) -> Callable[[str], float]:
        return scope_excused(memo(self.retriever.lexical.idf), retrieval)

    def select_sentences(self, question: str, retrieval: Retrieval) -> list[_Candidate]:
        scored = self._sentence_cosines(question, retrieval)
        if not scored:
            return []
        scored += self._record_rest(question, retrieval)
        kind = answer_type(question)
        typed = kind not in (DECISION, OTHER)
        about_meeting = asks_about_meeting(question)
        hits = retrieval.hits

        def formula(c: _Candidate) -> bool:
            return _opening_formula(hits, c)

        skip = (lambda c: False) if about_meeting else formula
        if not about_meeting:
            # The meeting's opening (convocation, chair, attendance) answers nothing about a decision: it is
            # quoted only when nothing else was found (rag.meeting).
            kept = [(c, x) for c, x in scored if not formula(c)]
            scored = kept or scored
        candidates = [c for c, _ in scored]
        # A yes/no question ("Le règlement intérieur parle-t-il des groupes politiques ?") is answered by the sentence
        # that writes what it asks of its subject (its predicate: "groupes politiques"), rare words weighing more;
        # its subject is what the whole record is about.
        asked = _predicate_stems(question) if asks_yes_no(question) else set()
        weigh = memo(self.retriever.lexical.idf)
        asked_weight = sum(weigh(t) for t in asked)
        verb = (
            next(iter(tokens(predicate(question))), None) if asked and not fold(question).startswith("est-ce") else None
        )
        why = asks_why(question)
        question_words = set(tokens(question))
        question_stems = asked or set(tokens(f"{question} {expand(question)}"))
        operative = {
            index: _squash(" ".join(p.text for p in extract_decision(hit.chunk.text).provisions))
            for index, hit in enumerate(retrieval.hits[: MAX_PASSAGES + EXTRA_ROW_PASSAGES])
            if hit.chunk.kind != schema.KIND_ARTICLE  # a compte rendu not split into records has decisions too
            and (index < MAX_PASSAGES or any(c.hit_index == index for c, _ in scored))
        }
        population = question_population(question)
        elected_asked = kind == PERSON and asks_elected(question)
        unit = counted(question)  # "combien de noms": a sentence counting names, not any number
        for cand, cosine in scored:
            stems = set(tokens(cand.sentence))
            # a sentence reads with the heading of its section ("2) Réforme de mobiliers ... : Direction Travaux
            # Maintenance" over "Ces équipements seront donnés à titre gracieux à deux associations :")
            heading = set(tokens(sentence_section(hits[cand.hit_index].chunk.text, cand.sentence)))
            # (the heading counts by the question's own words, not their thesaurus synonyms: "2) Il propose
            # d'appliquer le tarif suivant" is no closer to "combien ça coûte")
            shared = (stems & question_stems) | (heading & question_words)
            overlap = len(shared) / max(1, len(question_stems))
            # Meaning first, shared stems second, the kind of fact asked for ("combien" -> an amount),
            # and a small preference for the better-ranked passage.
            cand.score = float(cosine) + 0.15 * overlap - 0.01 * cand.hit_index
            if why and gives_reason(cand.sentence):
                cand.score += TYPE_BONUS  # "pourquoi": "dans le but de ne pas détruire ces vestiges archéologiques"
            if asked_weight > 0:
                cand.score += YES_NO_WEIGHT * sum(weigh(t) for t in asked & stems) / asked_weight
                if verb and verb in stems:
                    cand.score += YES_NO_WEIGHT  # "rembourse-t-elle": "exonérée du remboursement" answers
            if opposed(question, cand.sentence) or other_numbered(question, cand.sentence):
                cand.score -= TYPE_BONUS  # "postes créés": the posts removed are not the answer
            elif typed and gives_asked(question, kind, cand.sentence):
                cand.score += TYPE_BONUS
                if unit and counts(cand.sentence, unit):
                    cand.score += TYPE_BONUS
                if value_named(question, kind, cand.sentence) >= NAMED_VALUE:
                    cand.score += TYPE_BONUS  # "risques CNRACL à 7,40 %": the value of what is asked
                if states_new(question, kind, cand.sentence):
                    cand.score += TYPE_BONUS  # "passe de 477 000€ à 504 000€": the value in force after a change
            if elected_asked and names_elected(question, cand.sentence):
                cand.score += TYPE_BONUS  # "qui a été élu président": "A été proclamée présidente … : Mme X"
            if names_reference(question, cand.sentence):
                cand.score += TYPE_BONUS  # "sur l'article 2181": the line "Chapitre 21 - article 2181 20 000 €"
            if asked_in_range(question, cand.sentence):
                cand.score += POPULATION_BONUS  # "un quotient familial de 700 €": the row "QF de 501 € à 800 € 2,35 €"
            elif other_range(question, cand.sentence):
                cand.score -= POPULATION_BONUS  # ... not the row "QF de 801 € à 1 200 €"
            if operative.get(cand.hit_index) and _squash(cand.sentence) in operative[cand.hit_index]:
                cand.score += OPERATIVE_BONUS  # the operative part ("ACCEPTE ...", its rows) holds the decision
            fits = population_fits(cand.sentence, population) if population is not None else None
            if fits is not None:  # "dans une commune de 800 habitants": the row or rule of that size
                cand.score += POPULATION_BONUS if fits else -POPULATION_BONUS
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
        if not any(names_reference(question, c.sentence) for c in picked):
            # "sur l'article 2181": the line that writes it is quoted even when longer sentences come closer
            named = [c for c in candidates if names_reference(question, c.sentence) and not skip(c)]
            if named:
                picked.append(max(named, key=lambda c: c.score))
        # The operative part and the table row that answer may sit in passages not retrieved (rag.rows):
        # those passages are then cited too.
        store = self.retriever.store
        part = operative_passage(kind, retrieval.hits[:MAX_PASSAGES], store, question)
        if part is not None:
            picked.append(_Candidate(_hit_index(retrieval, part[0]), _clip(part[1]), 0.0, ROW_POSITION, False))
        if kind == VOTE:
            picked += _votes_after(picked, retrieval)
        voting = asks_vote(question)
        if (voting or asks_yes_no(question)) and retrieval.hits:
            # "qui a voté contre", "ont-ils accepté ...", "devient-il gratuit ?": the record's vote as written, from
            # the passage that holds it
            voted = vote_passage(_first_record(retrieval) or retrieval.hits[0], store)
            if voted is not None and not any(_squash(voted[1]) in _squash(c.sentence) for c in picked):
                index = _hit_index(retrieval, voted[0])
                position = ROW_POSITION + len(retrieval.hits[index].chunk.text)  # (after the passage's other quotes)
                picked.append(_Candidate(index, voted[1], 0.0, position, False))
            elif voted is None and voting and kind != VOTE:
                # minutes not split into records: the vote written just after the quoted decision
                picked += _votes_after(picked, retrieval)
        if typed:
            # (a vote in minutes not split into records is the one after the quoted decision: _votes_after, above)
            # (nor does another record than the best one: "Votants : 20 — ADOPTÉ (unanimité)" of a gift retrieved
            # third is no answer to how the phone ban was voted)
            picked += _typed_fact(kind, picked, best_per_hit, skip, _other_acts(retrieval) if kind == VOTE else set())
            quoted = "\n".join(c.sentence for c in picked if gives_asked(question, kind, c.sentence) and not skip(c))
            idf = self._row_idf(retrieval)
            near = "\n".join(c.sentence for c in picked if not skip(c))
            row = typed_row(question, kind, retrieval.hits[:MAX_PASSAGES], quoted, store, idf, about_meeting, near)
            if row is None and not quoted.strip():
                # nothing quoted nor any row of the best passages gives the kind asked: two more passages are read
                # (a compte rendu's item "Agent de Prévention: ... Monsieur MARTEL Hervé sera nommé" ranked fourth)
                deeper = retrieval.hits[: MAX_PASSAGES + EXTRA_ROW_PASSAGES]
                row = typed_row(question, kind, deeper, quoted, store, idf, about_meeting, near)
            if row is not None and not any(_squash(row[2]) in _squash(c.sentence) for c in picked):
                index = _hit_index(retrieval, row[0])
                if is_entry(row[0].chunk.text, row[2]):
                    # a sentence of a list's entry is quoted once, within it ("Aurélia Gonzalez, en recherche
                    # d'emploi", then the entry down to "Montant accordé: 1 100 €")
                    picked = [c for c in picked if c.hit_index != index or _squash(c.sentence) not in _squash(row[2])]
                picked.append(_Candidate(index, row[2], 0.0, ROW_POSITION + row[1], False))
                picked += _row_header(index, row[2], picked, retrieval, store)
            picked += _value_after(question, kind, picked, retrieval, store, skip)
            picked += _rows_alike(question, kind, picked, retrieval)
            picked += _record_fact(question, kind, picked, retrieval, store, idf, skip)
            picked += _record_scan(question, kind, picked, retrieval, store, idf, about_meeting)
        if kind == PERSON:
            picked = _with_name_lists(question, picked, retrieval, store)
        if asks_reporter(question):
            picked += _reporter(picked, retrieval, store)
        if kind in (OTHER, ORGANISATION):
            picked += _rows_naming(question, picked, retrieval, store)
        picked += _parallel(question, picked, retrieval, store)
        if kind in (OTHER, DECISION):
            picked += _headed_item(question, picked, retrieval, store, memo(self.retriever.lexical.idf))
        if why:
            picked += _antecedents(picked, retrieval)
        picked += _referents(question, picked, retrieval)
        picked += _names_unquoted(question, picked, retrieval, store, self._row_idf(retrieval))
        picked += _slot_sequel(question, kind, picked, retrieval)
        picked += _framed_value(question, kind, picked, retrieval, store, self._row_idf(retrieval))
        picked += _amount_context(picked, candidates)
        _cut_rows(picked, retrieval)
        picked = _completed(picked, retrieval, store)
        picked += _header_rows(picked, retrieval, store)
        picked += _year_headers(picked, retrieval, store)
        # A quote is the passage's text: one a step rebuilt differently (a line's end hyphen dropped: "Saint" /
        # "Cirvain" for "Saint-" / "Cirvain") is read back from the passage, or left out.
        picked = [v for v in (_verbatim(c, retrieval) for c in picked) if v is not None]
        # Keep the document order of sentences within a passage, so the quote reads naturally.
        return sorted(picked, key=lambda c: (c.hit_index, c.position))


def _verbatim(cand: _Candidate, retrieval: Retrieval) -> _Candidate | None:
    """The candidate as its passage writes it: itself when its text is the passage's (spaces aside), else the span of
    the passage that writes the same words with other marks between them ("Saint- Cirvain" for "Saint Cirvain"),
    else None."""
    text = retrieval.hits[cand.hit_index].chunk.text
    squashed = _squash(text)
    # (a quote with gaps, "… […] …", is checked part by part; a gap mark opening or closing it is no text)
    parts = [p.strip().removeprefix("[…]").removesuffix("[…]").strip() for p in quote_parts(cand.sentence)]
    parts = [p for p in parts if p]
    if all(_squash(part) in squashed for part in parts):
        return cand
    read: list[str] = []
    for part in parts:
        words = [w for w in re.split(r"[\s\-–]+", part) if w]
        found = re.search(r"[\s\-–]*".join(re.escape(w) for w in words), text) if words else None
        if found is None:
            return None
        read.append(" ".join(found.group(0).split()))
    cand.sentence = QUOTE_GAP.join(read)
    return cand


# "cette découverte", "ces deux équipements publics": a thing named again by a demonstrative (and a count)
_DEMONSTRATIVE_RE = re.compile(
    r"\b(?:[Cc]ette|[Cc]es|[Cc]et|[Cc]e)\s+(?:(?:deux|trois|quatre|cinq|six|\d{1,2})\s+)?(?P<noun>[a-zà-ÿ]{4,})"
)
MAX_ANTECEDENTS = 2


def _antecedents(picked: list[_Candidate], retrieval: Retrieval) -> list[_Candidate]:
    """For "pourquoi", the sentences a quoted reason points back to by a demonstrative ("... ne pouvait plus être
    envisagé du fait de cette sujétion technique imprévue." <- "Cette découverte était donc imprévisible." <- "Des
    vestiges archéologiques ont été découverts en cours de chantier ..."): the cause is what it refers to."""
    out: list[_Candidate] = []
    quoted = {(c.hit_index, c.position) for c in picked}
    for cand in sorted(picked, key=lambda c: -c.score):
        if not cand.exact or cand.position >= ROW_POSITION or not gives_reason(cand.sentence):
            continue
        if not _DEMONSTRATIVE_RE.search(cand.sentence):
            continue
        by_position = {p: (text, exact) for p, text, exact in _passage_sentences(retrieval.hits[cand.hit_index].chunk)}
        position = cand.position - 1
        for _ in range(MAX_ANTECEDENTS):
            if position not in by_position or (cand.hit_index, position) in quoted:
                break
            text, exact = by_position[position]
            out.append(_Candidate(cand.hit_index, text, 0.0, position, exact))
            quoted.add((cand.hit_index, position))
            if not _DEMONSTRATIVE_RE.search(text):
                break  # the sentence that names the cause itself
            position -= 1
        break  # the best reason only
    return out


def _referents(question: str, picked: list[_Candidate], retrieval: Retrieval) -> list[_Candidate]:
    """For "quels équipements", the sentence before a quote that names the things asked by a demonstrative only
    ("... un chemin piéton entre ces deux équipements publics" <- "Cette propriété est située entre le parc municipal
    des Pastourelles et le plateau sportif de la Pompignane."): it is what they are. The first such quote only."""
    head = head_noun(question)
    if head is None:
        return []
    quoted = {(c.hit_index, c.position) for c in picked}
    for cand in picked:
        if not cand.exact or cand.position >= ROW_POSITION or cand.position == 0:
            continue
        if not any(head in tokens(m["noun"]) for m in _DEMONSTRATIVE_RE.finditer(cand.sentence)):
            continue
        if (cand.hit_index, cand.position - 1) in quoted:
            return []
        by_position = {p: (text, exact) for p, text, exact in _passage_sentences(retrieval.hits[cand.hit_index].chunk)}
        if cand.position - 1 not in by_position:
            return []
        text, exact = by_position[cand.position - 1]
        return [_Candidate(cand.hit_index, text, 0.0, cand.position - 1, exact)]
    return []


def _predicate_stems(question: str) -> set[str]:
    """The stems of what a yes/no question asks (rag.question.predicate), with their thesaurus synonyms."""
    asked = predicate(question)
    return set(tokens(f"{asked} {expand(asked)}"))


YES_NO_WEIGHT = 0.15
QUOTE_GAP = " […] "
QUOTES_NOTE = "Réponse extractive : phrases citées telles quelles, sans modèle de langage."
LEAD_NOTE = (
    "Réponse extractive, sans modèle de langage : la première phrase reprend les éléments de la source "
    "citée (chaque chiffre, date et nom y a été vérifié), puis les phrases citées telles quelles."
)
TYPE_BONUS = 0.05
OPERATIVE_BONUS = 0.04
POPULATION_BONUS = 0.1
TYPED_MARGIN = 0.25
TOP_PASSAGE_MARGIN = 0.1
OTHER_PASSAGE_MARGIN = 0.04
ROW_POSITION = 10_000  # rows are quoted after the sentences of their passage, never joined to them
_AMOUNT_RE = re.compile(r"\d\s?(?:€|euros?\b|%)|\d+[.,]\d{2}\b", re.IGNORECASE)


def _squash(text: str) -> str:
    return "".join(fold(text).split())


def _first_record(retrieval: Retrieval) -> ScoredChunk | None:
    """The first passage of a record among the two best: the best may be the document's opening, no record's."""
    return next((h for h in retrieval.hits[:2] if h.chunk.meta.get(schema.RECORD_INDEX) is not None), None)


def _other_acts(retrieval: Retrieval) -> set[int]:
    """The hits that may hold another act's vote than the one asked: those of no record, and the records other than
    the first one (`_first_record`)."""
    best = _first_record(retrieval)
    return {
        i
        for i, hit in enumerate(retrieval.hits)
        if hit.chunk.meta.get(schema.RECORD_INDEX) is None
        or (best is not None and _record_key(hit.chunk) != _record_key(best.chunk))
    }


def _typed_fact(
    kind: str,
    picked: list[_Candidate],
    ranked: dict[int, list[_Candidate]],
    skip: Callable[[_Candidate], bool] = lambda c: False,
    unread: set[int] | None = None,
) -> list[_Candidate]:
    """For each quoted passage whose quote holds no fact of the kind asked for (no amount for "combien",
    no name for "qui"), its best sentence or table row that holds one, when it is close enough. The
    meeting's formulas (rag.meeting) hold names and dates but give no fact of a decision. The passages
    `unread` give none: a vote line of minutes not split into records may close another act than the one quoted
    ("Votants : 20 — ADOPTÉ (unanimité)" under the next act's item, for "le budget a-t-il été voté à
    l'unanimité ?")."""

    def typed_fact(c: _Candidate) -> bool:
        return gives(kind, c.sentence) and not skip(c)

    extra: list[_Candidate] = []
    for index in sorted({c.hit_index for c in picked} - (unread or set())):
        if index not in ranked or any(typed_fact(c) for c in picked if c.hit_index == index):
            continue  # (a passage added for its operative part or a row has no ranked sentences)
        best = ranked[index][0].score
        typed = next((c for c in ranked[index] if typed_fact(c)), None)
        if typed is not None and typed.score >= best - TYPED_MARGIN:
            extra.append(typed)
    return extra


def scope_excused(idf: Callable[[str], float], retrieval: Retrieval) -> Callable[[str], float]:
    """`idf` for choosing a row or a quote by what of the question it names (rag.question.rank), the question's scope
    aside: the commune, day and month it names (rag.scope), and its year when it is the best record's séance's, chose
    the documents, every row of theirs shares them; "Séance du 15 décembre 2023" names no more of "Combien de
    conseillers ... ont pris part aux délibérations du 15 décembre 2023 ?" than "... pris part à la délibération : 9
    dont 3 procurations". Another year is the event's ("payé en 2007" in a deliberation of 2013): it counts."""
    scope = retrieval.scope
    if scope is None or not scope.stems:
        return idf
    held = str(retrieval.hits[0].chunk.meta.get(schema.DATE) or "")[:4] if retrieval.hits else ""
    excused = {stem for stem in scope.stems if stem == held or not _YEAR_STEM_RE.fullmatch(stem)}
    if not excused:
        return idf
    return lambda token: 0.0 if token in excused else idf(token)


_YEAR_STEM_RE = re.compile(r"(?:19|20)\d{2}")


def _record_key(chunk: Chunk) -> tuple[str, str] | None:
    """The record a council passage belongs to (its document and record index; its document alone outside any
    record); None for an article of the law."""
    if chunk.kind == schema.KIND_ARTICLE:
        return None
    record = chunk.meta.get(schema.RECORD_INDEX) if chunk.kind == schema.KIND_DELIBERATION else None
    return str(chunk.meta.get(schema.DOC_ID, chunk.source)), str(record)


def _opening_formula(hits: list[ScoredChunk], c: _Candidate) -> bool:
    """A sentence of a meeting's opening in minutes (an article on quorum or convocation is law)."""
    return hits[c.hit_index].chunk.kind != schema.KIND_ARTICLE and is_meeting_formula(c.sentence)


def _hit_index(retrieval: Retrieval, hit: ScoredChunk) -> int:
    """The index of `hit`'s passage among the hits, added at the end when it is not one of them."""
    index = next((i for i, h in enumerate(retrieval.hits) if h.chunk.id == hit.chunk.id), None)
    if index is None:
        retrieval.hits.append(hit)
        index = len(retrieval.hits) - 1
    return index


def _value_after(
    question: str,
    kind: str,
    picked: list[_Candidate],
    retrieval: Retrieval,
    store: ChromaStore,
    skip: Callable[[_Candidate], bool],
) -> list[_Candidate]:
    """When nothing quoted gives the kind of value asked, the sentence of the passage after the best one (same
    document) that gives it and names the word asked: "Pour bénéficier ... du Pack horizon villages infinity, il
    convient d'accepter la proposition ..." ends a passage, "le forfait annuel est de 4 143 00€ HT." opens the
    next one. Only the word after "quel" ("forfait", "taux", "durée") names it: a passing figure does not."""
    head = head_noun(question)
    if not head or not picked or any(gives_asked(question, kind, c.sentence) and not skip(c) for c in picked):
        return []
    best = retrieval.hits[min(c.hit_index for c in picked)]
    after = next_passage(best.chunk, store)
    if after is None:
        return []
    for position, sentence, _ in _passage_sentences(after):
        if head in tokens(sentence) and gives_asked(question, kind, sentence) and not is_meeting_formula(sentence):
            index = _hit_index(retrieval, ScoredChunk(chunk=after, score=best.score))
            return [_Candidate(index, sentence, 0.0, position, True)]
    return []


def _headed_item(
    question: str,
    picked: list[_Candidate],
    retrieval: Retrieval,
    store: ChromaStore,
    idf: Callable[[str], float],
) -> list[_Candidate]:
    """For "quel poste de la filière administrative a été supprimé", the item of the best record's list that writes
    the thing asked ("poste") and whose headings name the rest ("II - Suppressions de postes :", "Filière
    Administrative :", then "Adjoint administratif 2 ème classe : Suppression d'un poste."), quoted with the headings
    its passage holds: an item read alone does not say under which heading it sits, and the same label may sit under
    another ("I - Créations de postes :")."""
    head = head_noun(question)
    best = next((h for h in retrieval.hits[:MAX_PASSAGES] if h.chunk.kind == schema.KIND_DELIBERATION), None)
    if not head or best is None:
        return []
    asked = set(tokens(question)) - {head}
    chunks = sorted(
        [best.chunk, *record_siblings(best.chunk, store, {best.chunk.id})],
        key=lambda c: c.meta.get(schema.CHUNK_INDEX, 0),
    )
    said = " ".join(_squash(c.sentence) for c in picked)
    found: tuple[tuple[int, int, float], Chunk, int, list[str]] | None = None
    previous: list[str] = []
    for chunk in chunks:
        own = [" ".join(line.split()) for line in chunk.text.splitlines()]
        lines = previous + own
        for i, item in enumerate(own):
            if len(item) > MAX_NAMING_ROW_CHARS or not ITEM_LINE_RE.match(item) or head not in tokens(item):
                continue
            headings = item_headings(lines, len(previous) + i)
            text = " ".join([*headings, item])
            if not headings or opposed(question, text) or not asked & set(tokens(" ".join(headings))):
                continue
            score = rank(question, text, idf)
            if found is None or score > found[0]:
                found = (score, chunk, i, [h for h in headings if h in own[:i]])
        previous = own
    if found is None or _squash(found[1].text.splitlines()[found[2]]) in said:
        return []
    _, chunk, i, headings = found
    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
    own = [" ".join(line.split()) for line in chunk.text.splitlines()]
    positions = [max(j for j in range(i) if own[j] == h) for h in headings] + [i]
    return [_Candidate(index, own[j], 0.0, ROW_POSITION + j, False) for j in positions]


PARALLEL_WORDS = 8  # words two sentences of a list written as sentences open with alike
MAX_PARALLEL = 5
_PLURAL_ASKED_RE = re.compile(r"\bquel(?:le)?s\b|\blesquel(?:le)?s\b")


def _parallel(question: str, picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """For a question asking several things ("Quels postes d'ingénieur vacants ..."), the other sentences of the
    quoted record written like a quoted one, each naming another of them: "Un poste d'Ingénieur à temps complet est
    vacant sur des fonctions de Responsable du service architecture." and "... de Chef de projet informatique.", "...
    de Responsable du service manifestations culturelles." (a list written as sentences, one a paragraph). The same
    sentence repeated says nothing new: it is not added."""
    if not _PLURAL_ASKED_RE.search(fold(question)):
        return []
    said = {_squash(c.sentence) for c in picked}
    for cand in picked:
        hit = retrieval.hits[cand.hit_index]
        words = cand.sentence.split()
        if hit.chunk.kind != schema.KIND_DELIBERATION or not cand.exact or len(words) < PARALLEL_WORDS + 2:
            continue
        prefix = fold(" ".join(words[:PARALLEL_WORDS])).lower()
        found: list[_Candidate] = []
        for chunk in [hit.chunk, *record_siblings(hit.chunk, store, {hit.chunk.id})]:
            for position, sentence, exact in _passage_sentences(chunk):
                if _squash(sentence) in said or fold(" ".join(sentence.split()[:PARALLEL_WORDS])).lower() != prefix:
                    continue
                said.add(_squash(sentence))
                index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=hit.score))
                found.append(_Candidate(index, sentence, 0.0, position, exact))
        if found:
            return found[:MAX_PARALLEL]
    return []


MAX_NAMING_ROWS = 6
MAX_NAMING_ROW_CHARS = 120


def _record_fact(
    question: str,
    kind: str,
    picked: list[_Candidate],
    retrieval: Retrieval,
    store: ChromaStore,
    idf: Callable[[str], float],
    skip: Callable[[_Candidate], bool],
) -> list[_Candidate]:
    """The sentence of the best record's passages not retrieved that gives the kind of value asked and names more
    of the question than every quote giving one (rag.question.rank): over a whole archive, the passage holding "Par
    délibération de la Commission Locale d'Amélioration de l'Habitat (CLAH) en date du 12 décembre 2012, ... pour le
    bâtiment L ..." may not be among the hits, while "Par délibération en date du 03 mai 2010, ..." is quoted. Read
    in the record's other passages (same document and record), cited too; never a meeting's formula."""
    best = next((h for h in retrieval.hits[:MAX_PASSAGES] if h.chunk.kind == schema.KIND_DELIBERATION), None)
    if best is None:
        return []
    given = [c.sentence for c in picked if gives_asked(question, kind, c.sentence) and not skip(c)]
    # (by the question's rare words and their weight: the record's passages share its names, "Cévennes 1")
    than = max((rank(question, sentence, idf)[1:] for sentence in given), default=(0, 0.0))
    seen = {h.chunk.id for h in retrieval.hits}
    found: tuple[tuple[int, float], Chunk, int, str, bool] | None = None
    for chunk in record_siblings(best.chunk, store, set(seen)):
        for position, sentence, exact in _passage_sentences(chunk):
            if is_meeting_formula(sentence) or opposed(question, sentence) or not gives_asked(question, kind, sentence):
                continue
            score = rank(question, sentence, idf)[1:]
            if score > than and (found is None or score > found[0]):
                found = (score, chunk, position, sentence, exact)
    if found is None or found[0][0] < MIN_RECORD_FACT_RARE:
        return []
    _, chunk, position, sentence, exact = found
    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
    return [_Candidate(index, sentence, 0.0, position, exact)]


MIN_RECORD_FACT_RARE = 2  # rare words of the question a sentence read outside the hits must name
MAX_SCAN_VALUES = 2  # values of the kind asked a sentence of the scan may hold
SCAN_CONTEXT = 2  # sentences read on each side of a value's sentence for the words next to it
MAX_SCAN_QUOTE_CHARS = 240  # a short line holding the value ("DIMANCHE 25 MAI") quoted with the lines under it


def _record_chunks(retrieval: Retrieval, store: ChromaStore) -> list[Chunk]:
    """The best record's passages (the first hit's): those among the hits read for quotes, a passage of its document
    outside any record among them (a compte rendu's text before its first item: "Nature des prestations : tous risques
    CNRACL à 7.40 %" above the item found), then its other passages from the store."""
    hits = retrieval.hits
    best = hits[0].chunk
    key, doc = _record_key(best), best.meta.get(schema.DOC_ID)
    chunks = [
        h.chunk
        for h in hits[: MAX_PASSAGES + EXTRA_ROW_PASSAGES]
        if _record_key(h.chunk) == key
        or (h.chunk.meta.get(schema.DOC_ID) == doc and h.chunk.meta.get(schema.RECORD_INDEX) is None)
    ]
    return chunks + record_siblings(best, store, {h.chunk.id for h in hits})


def _record_scan(
    question: str,
    kind: str,
    picked: list[_Candidate],
    retrieval: Retrieval,
    store: ChromaStore,
    idf: Callable[[str], float],
    about_meeting: bool,
) -> list[_Candidate]:
    """A typed scan of every sentence of the best record (the first hit's: its passages retrieved or not): the one
    holding a value of the kind asked with the question's words right next to it (rag.question.value_near: the
    question's preposition before the value, then how many of its words are around it), quoted when it beats every
    quote giving such a value. The sentences were chosen by meaning: "Pour définir les tarifs, ... une attestation de la
    CAF datant de moins de trois mois" came closer than "Cette convention est conclue pour un an" for "elle est signée
    pour combien de temps ?". A value on a short line is read with the lines around it ("DIMANCHE 25 MAI", then
    "11h30-12h30 : Entretien littéraire avec Marek Halter."), and quoted with those under it that the question names."""
    hits = retrieval.hits
    if kind not in NEAR_KINDS or not hits or hits[0].chunk.kind == schema.KIND_ARTICLE:
        return []
    best = hits[0]
    chunks = _record_chunks(retrieval, store)

    said = [
        _squash(c.sentence) for c in picked if gives_asked(question, kind, c.sentence) and not _opening_formula(hits, c)
    ]
    unit = counted(question) if kind == NUMBER else None
    former = asks_recalled(question)
    # the quotes giving a value already, each read with its context when it is the record's
    than = max(
        (value_near(question, kind, c.sentence, idf) for c in picked if _squash(c.sentence) in said), default=None
    )
    entries: list[tuple[tuple[int, int, float], Chunk, int, str]] = []
    for chunk in chunks:
        if chunk.meta.get(schema.BOILERPLATE):
            continue
        split = [" ".join(raw.split()) for raw in sentences(chunk.text)]
        for position, raw in enumerate(split):
            sentence = raw.lstrip(" -•–")  # (a bullet opening it; the text's own marks inside are kept)
            if not sentence or len(sentence) > MAX_SENTENCE_CHARS or not gives_asked(question, kind, sentence):
                continue
            if (not about_meeting and is_meeting_formula(sentence)) or opposed(question, sentence):
                continue
            if other_numbered(question, sentence) or is_stamp_line(sentence):
                continue  # (the prefecture's stamp: "034-213401722-20130617-0000064280-DE" counts nothing)
            if unit is not None and not counts(sentence, unit):
                continue  # "combien d'agents": a number of agents, not any figure
            if recalls(sentence) and not former:
                continue  # "rappelle les tarifs de la cantine en 2019/2020": the value before the decision
            if len(value_spans(question, kind, sentence)) > MAX_SCAN_VALUES:
                continue  # a table's rows read as one sentence: the rows are chosen as rows (rag.rows.typed_row)
            before = after = ""
            if len(sentence.split()) < NEAR_WORDS:  # a short line: what the lines around it say it is
                before = " ".join(split[max(0, position - SCAN_CONTEXT) : position])
                after = " ".join(split[position + 1 : position + 1 + SCAN_CONTEXT])
            score = value_near(question, kind, sentence, idf, before, after)
            quote = sentence
            for following in split[position + 1 : position + 1 + SCAN_CONTEXT]:
                if (len(quote) >= MIN_SENTENCE_CHARS and not quote.endswith(":")) or len(quote) + len(
                    following
                ) > MAX_SCAN_QUOTE_CHARS:
                    break
                quote = f"{quote} {following}"  # a short line: the value of the lines under it
            if any(_squash(sentence) in text for text in said):
                than = max(than, score) if than is not None else score
            entries.append((score, chunk, position, quote))
    if not entries:
        return []
    score, chunk, position, quote = max(entries, key=lambda entry: entry[0])
    if not any(score[:2]) or (than is not None and score[:2] <= than[:2]):
        return []
    if any(_squash(quote) in _squash(c.sentence) for c in picked):
        return []
    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
    return [_Candidate(index, _clip(quote), 0.0, position, False)]


_CAPITALISED_RE = re.compile(r"\b[A-ZÀ-Ý][\w'’-]+")


def _slot_sequel(question: str, kind: str, picked: list[_Candidate], retrieval: Retrieval) -> list[_Candidate]:
    """The sentence right after a quoted one that opens with the question's preposition before its interrogative word
    (rag.question.slot_word) and gives what is asked: "Avec quels auteurs se tient la table ronde sur la Fantasy ?" is
    answered by "Avec Jérôme Noirez, Laurent Kloetzer, Jean-Louis Fetjaine." under the quoted "Table ronde autour de la
    Fantasy.". For a question asking no kind of value, the sentence must name someone or something (a capital after
    its first word)."""
    slot = slot_word(question)
    if slot is None:
        return []
    typed = kind not in (DECISION, OTHER)
    out: list[_Candidate] = []
    quoted = {(c.hit_index, c.position) for c in picked}
    for cand in picked:
        chunk = retrieval.hits[cand.hit_index].chunk
        if chunk.kind == schema.KIND_ARTICLE or not cand.exact or cand.position >= ROW_POSITION:
            continue
        by_position = {p: (text, exact) for p, text, exact in _passage_sentences(chunk)}
        after = by_position.get(cand.position + 1)
        if after is None or (cand.hit_index, cand.position + 1) in quoted:
            continue
        text, exact = after
        words = text.split()
        if not words or fold(words[0]).lower() != slot:
            continue
        if (typed and not gives_asked(question, kind, text)) or (
            not typed and not _CAPITALISED_RE.search(" ".join(words[1:]))
        ):
            continue
        quoted.add((cand.hit_index, cand.position + 1))
        out.append(_Candidate(cand.hit_index, text, 0.0, cand.position + 1, exact))
    return out


_WORD_RE = re.compile(r"[\w-]+")
_LINK_WORDS = frozenset(["du", "de", "des", "d", "la", "le", "les", "l"])


def _framed(frame: tuple[str, ...], sentence: str) -> bool:
    """Whether the sentence writes the frame's words in a row, then (past an article) a name or a number: "ligne de
    crédit 20291", "l'équivalent du CERTU"."""
    words = _WORD_RE.findall(sentence)
    folded = [fold(w).lower() for w in words]
    stems = [tokens(w)[:1] or [f] for w, f in zip(words, folded, strict=True)]
    wanted = [tokens(w)[:1] or [w] for w in frame]
    for i in range(len(words) - len(frame)):
        if stems[i : i + len(frame)] != wanted:
            continue
        j = i + len(frame)
        while j < len(words) - 1 and j - i - len(frame) < 2 and folded[j] in _LINK_WORDS:
            j += 1
        filler = words[j]
        if sum(ch.isdigit() for ch in filler) >= 2 or filler[:1].isupper():
            return True
    return False


def _framed_value(
    question: str,
    kind: str,
    picked: list[_Candidate],
    retrieval: Retrieval,
    store: ChromaStore,
    idf: Callable[[str], float],
) -> list[_Candidate]:
    """For "Sur quelle ligne de crédit passe la dépense ?" or "l'équivalent de quels organismes", the sentence of the
    best record (its passages retrieved or not) that writes the question's frame (rag.question.frames) right before a
    name or a number ("nature 6188 fonction 928822, ligne de crédit 20291", "créer l'équivalent du CERTU en matière
    d'urbanisme"), the one naming most of the question; none when a quote writes one already."""
    hits = retrieval.hits
    framing = frames(question)
    if kind not in (OTHER, ORGANISATION) or not framing or not hits or hits[0].chunk.kind == schema.KIND_ARTICLE:
        return []
    if any(_framed(frame, c.sentence) for frame in framing for c in picked):
        return []
    best = hits[0]
    chunks = _record_chunks(retrieval, store)
    found: tuple[tuple[int, int, float], Chunk, int, str, bool] | None = None
    for chunk in chunks:
        for position, sentence, exact in _passage_sentences(chunk):
            if is_meeting_formula(sentence) or is_stamp_line(sentence):
                continue
            if not any(_framed(frame, sentence) for frame in framing):
                continue
            score = rank(question, sentence, idf)
            if found is None or score > found[0]:
                found = (score, chunk, position, sentence, exact)
    if found is None:
        return []
    _, chunk, position, sentence, exact = found
    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
    return [_Candidate(index, sentence, 0.0, position, exact)]


MAX_NAME_LINE_CHARS = 200


def _names_unquoted(
    question: str, picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore, idf: Callable[[str], float]
) -> list[_Candidate]:
    """The line of the best record (its passages retrieved or not) that writes the most of the question's names no
    quote writes: "Free et France Télécom font-ils partie du groupement ... ?" is answered by the list's "- France
    Télécom, - FREE.", "Quel spectacle ... pour le Noël 2023 ?" by "Noël 16 décembre 2023 Spectacle CAP/SUD Serge
    Gaubert" (a short line read with the one under it). The names of the question's scope (its commune) chose the
    documents: they are not looked for."""
    hits = retrieval.hits
    if not hits or hits[0].chunk.kind == schema.KIND_ARTICLE:
        return []
    said = set(tokens(" ".join(c.sentence for c in picked)))
    missing = {stem for stem in name_stems(question) if stem not in said and idf(stem) > 0}
    if not missing:
        return []
    best = hits[0]
    chunks = _record_chunks(retrieval, store)
    found: tuple[int, Chunk, int, str] | None = None
    for chunk in chunks:
        if chunk.meta.get(schema.BOILERPLATE):
            continue
        lines = [" ".join(line.split()) for line in chunk.text.splitlines()]
        for position, line in enumerate(lines):
            named = len(missing & set(tokens(line)))
            if (
                not named
                or (found is not None and named <= found[0])
                or is_meeting_formula(line)
                or is_stamp_line(line)
            ):
                continue
            quote = line.lstrip(" -•–")
            for following in lines[position + 1 : position + 1 + SCAN_CONTEXT]:
                if (len(quote) >= MIN_SENTENCE_CHARS and not quote.endswith((":", ","))) or not following:
                    break
                quote = f"{quote} {following}"  # a heading or a list's item: read with the line under it
            if len(quote) <= MAX_NAME_LINE_CHARS:
                found = (named, chunk, position, quote)
    if found is None:
        return []
    _, chunk, position, quote = found
    if any(_squash(quote) in _squash(c.sentence) for c in picked):
        return []
    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
    return [_Candidate(index, quote, 0.0, ROW_POSITION + position, False)]


def _rows_alike(question: str, kind: str, picked: list[_Candidate], retrieval: Retrieval) -> list[_Candidate]:
    """For a question asking several values of what it names ("Quelles subventions ... à la Maison de la Poésie ?"),
    the other rows of a quoted row's passage that give the kind asked and write the same names of the question:
    "3988 Maison de la Poésie P 5 000 €" with "3988 Maison de la Poésie F 10 000 €" (one row quoted gives half the
    answer). Only short rows (a table's or a list's), in the passage quoted."""
    if not _PLURAL_ASKED_RE.search(fold(question)):
        return []
    names = set(name_stems(question))
    found: list[_Candidate] = []
    said = [(c.hit_index, _squash(c.sentence)) for c in picked]
    for cand in picked:
        chunk = retrieval.hits[cand.hit_index].chunk
        if (
            chunk.kind == schema.KIND_ARTICLE
            or len(cand.sentence) > MAX_NAMING_ROW_CHARS
            or not gives(kind, cand.sentence)
        ):
            continue
        own = names & set(tokens(cand.sentence))
        if not own:
            continue
        for position, raw in enumerate(lines_of(ScoredChunk(chunk=chunk, score=0.0))):
            line = raw.strip(" -•–")
            if len(line) > MAX_NAMING_ROW_CHARS or not gives(kind, line) or not own <= set(tokens(line)):
                continue
            if any(i == cand.hit_index and _squash(line) in text for i, text in said):
                continue
            said.append((cand.hit_index, _squash(line)))
            found.append(_Candidate(cand.hit_index, line, 0.0, ROW_POSITION + position, False))
    return found[:MAX_NAMING_ROWS]


def _rows_naming(question: str, picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """For a question on a person it names ("Dans quelles écoles privées Lorraine Acquier représente-t-elle la
    commune ?"), every row of the best record that names that person, when several do ("Saint Charles CENTRE -
    Lorraine ACQUIER", "St François Régis CENTRE - Lorraine ACQUIER"): one row quoted gives half the answer. Only a
    person named by a first name and a surname; an attendance list (several names a line) is no such row."""
    names = [w for w in question_names(question) if not w.isupper()]
    pair = next((f"{a} {b}" for a, b in zip(names, names[1:], strict=False) if f"{a} {b}" in question), None)
    if pair is None:
        # a first name opening the question is no name of question_names ("Fabrice Palau est titulaire ...")
        opening = re.match(r"\s*([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?) ([A-ZÀ-Ý][\w'’-]+)\b", question)
        if opening and opening.group(2) in names and len(set(tokens(opening.group(0)))) == 2:
            pair = " ".join(opening.group(0).split())
    if pair is None:
        return []  # a first name and a surname, side by side ("Lorraine Acquier")
    wanted = set(tokens(pair))
    best = next((h for h in retrieval.hits[:MAX_PASSAGES] if h.chunk.kind == schema.KIND_DELIBERATION), None)
    if best is None:
        return []
    found: list[_Candidate] = []
    said = {(c.hit_index, _squash(c.sentence)) for c in picked}
    for chunk in [best.chunk, *record_siblings(best.chunk, store, {best.chunk.id})]:
        lines = lines_of(ScoredChunk(chunk=chunk, score=best.score))
        for position, line in enumerate(lines):
            sentence = line.strip(" -•–")
            if len(sentence) > MAX_NAMING_ROW_CHARS or sentence.count(",") >= 2 or len(PERSON_RE.findall(sentence)) > 2:
                continue
            if is_meeting_formula(sentence) or not wanted <= set(tokens(sentence)):
                continue
            start = block_start(lines, position) if set(tokens(sentence)) <= wanted else None
            if start is not None:
                # a name alone under a seat's label: quoted with its block ("Collège Marcel Pagnol CROIX D'ARGENT
                # Titulaire : - Fabrice PALAU"), which says the seat
                sentence, position = " ".join(lines[start : position + 1]), start
            index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=best.score))
            if (index, _squash(sentence)) not in said and not any(
                c.hit_index == index and _squash(sentence) in _squash(c.sentence) for c in picked
            ):
                found.append(_Candidate(index, sentence, 0.0, ROW_POSITION + position, False))
    named = len(found) + sum(1 for c in picked if wanted <= set(tokens(c.sentence)))
    return found[:MAX_NAMING_ROWS] if named >= 2 else []


def _reporter(picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """For "qui rapporte", "quel élu a présenté ...": the line naming the best record's reporter ("Monsieur El
    Kandoussi rapporte :"), read in the record's other passages when the one found does not hold it (cited too). A
    record's opening is no answer otherwise (rag.meeting): this line is, when the reporter is asked."""
    for hit in retrieval.hits[:MAX_PASSAGES]:
        if hit.chunk.kind != schema.KIND_DELIBERATION:
            continue
        for chunk in [hit.chunk, *record_siblings(hit.chunk, store, {hit.chunk.id})]:
            for position, sentence, exact in _passage_sentences(chunk):
                if reporter_line(sentence):
                    index = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=hit.score))
                    if any(c.hit_index == index and c.position == position for c in picked):
                        return []
                    return [_Candidate(index, sentence, 0.0, position, exact)]
        return []  # the best record only
    return []


def _votes_after(picked: list[_Candidate], retrieval: Retrieval) -> list[_Candidate]:
    """For "avec quel vote", the vote written just after a quoted decision in minutes not split into records
    (rag.rows.vote_after): "Majore 20 % la part communale ..." then "Vote : 1 contre et 10 pour". A quoted passage
    whose quotes hold a vote already gets none; the first vote found in a passage only."""
    extra: list[_Candidate] = []
    for index in sorted({c.hit_index for c in picked}):
        chunk = retrieval.hits[index].chunk
        quoted = [c for c in picked if c.hit_index == index]
        if chunk.kind == schema.KIND_ARTICLE or any(gives(VOTE, c.sentence) for c in quoted):
            continue
        split = sentences(chunk.text)
        for cand in sorted(quoted, key=lambda c: c.position):
            if cand.position >= ROW_POSITION or not cand.exact:
                continue
            found = vote_after(split, cand.position)
            if found is not None:
                extra.append(_Candidate(index, found[1], cand.score, found[0], False))
                break
    return extra


def _with_name_lists(
    question: str, picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore
) -> list[_Candidate]:
    """For "qui" / "quels élus", the whole list of persons a quoted passage announces (rag.rows.name_list:
    "Ont été élus membres du jury :", "Titulaires : Suppléants :" and the rows of names under it), not only its
    first row or the item's vote. The list of an election whose item ends a passage opens the next one (a
    compte rendu's item "élection des membres du jury Pour : 58", then "Ont été élus membres du jury :"): it is
    read there, cited too. A sentence the list holds is no longer quoted on its own. When no quoted passage holds
    a list, the best record's result is read from its passages that were not retrieved. Only for a question on an
    election or a designation ("élu", "désignés", "délégués", "représentants"), or when the best record is one:
    "qui a signé" wants no list."""
    hits = retrieval.hits
    record = bool(hits) and hits[0].chunk.kind != schema.KIND_ARTICLE
    titled = record and announces_election(str(hits[0].chunk.meta.get(schema.TITLE, "")))
    if not announces_election(question) and not titled:
        return picked
    out = list(picked)
    listed = False
    for index in sorted({c.hit_index for c in picked}):
        hit = retrieval.hits[index]
        if hit.chunk.kind == schema.KIND_ARTICLE:
            continue
        at, lists = index, name_lists(hit, question)
        if not lists and announces_election(hit.chunk.text):
            after = next_passage(hit.chunk, store)
            if after is not None:
                following = ScoredChunk(chunk=after, score=hit.score)
                lists = name_lists(following, question, first=MAX_ANNOUNCE_LINE)
                if lists:
                    at = _hit_index(retrieval, following)
        listed = listed or bool(lists)
        for position, rows in lists:
            text = _clip(" ".join(rows))
            said = _squash(text)
            out = [c for c in out if c.hit_index != at or _squash(c.sentence) not in said]
            if not any(c.hit_index == at and said in _squash(c.sentence) for c in out):
                out.append(_Candidate(at, text, 0.0, ROW_POSITION + position, False))
    if record and not listed:
        # the best record's result, in a passage of it not retrieved ("Titulaire : Vincent HALUSKA - Suppléant :
        # Christophe COUR" at the foot of a designation whose opening pages were found)
        for chunk in _record_chunks(retrieval, store):
            found = ScoredChunk(chunk=chunk, score=hits[0].score)
            lists = name_lists(found, question)
            if lists:
                position, rows = lists[0]
                out.append(
                    _Candidate(_hit_index(retrieval, found), _clip(" ".join(rows)), 0.0, ROW_POSITION + position, False)
                )
                break
    return out


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


def _year_headers(picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """For a quoted passage of table rows cut from the header that gives their year (rag.rows.year_header), that
    header, quoted from the passage before it on the same page (cited too): "pour l'année 2022" then "Eau : 45 €
    par an" answers "le prix de l'abonnement pour 2022"; the rows alone would not say which year."""
    scope = retrieval.scope
    years = {str(y) for y in scope.years} if scope is not None else set()
    if not years:
        return []
    quoted = {(c.hit_index, _squash(c.sentence)) for c in picked}
    extra: list[_Candidate] = []
    for index in sorted({c.hit_index for c in picked}):
        header = year_header(retrieval.hits[index].chunk, store, years)
        if header is None:
            continue
        chunk, position, sentence = header
        at = _hit_index(retrieval, ScoredChunk(chunk=chunk, score=retrieval.hits[index].score))
        if (at, _squash(sentence)) not in quoted and not any(
            c.hit_index == at and _squash(sentence) in _squash(c.sentence) for c in picked + extra
        ):
            extra.append(_Candidate(at, _clip(sentence), 0.0, position, False, heads=index))
            quoted.add((at, _squash(sentence)))
    return extra


def _cut_rows(picked: list[_Candidate], retrieval: Retrieval) -> None:
    """Each quoted table row the layout cut at a hyphen read to its last cell (rag.rows.cut_row): "Sainte Odile
    HOPITAUX- FACULTES" is quoted with "- Michèle DRAY- FITOUSSI", the name its row gives on the lines under it."""
    for cand in picked:
        chunk = retrieval.hits[cand.hit_index].chunk
        if chunk.kind == schema.KIND_ARTICLE or "-" not in cand.sentence:
            continue
        lines = chunk.text.splitlines()
        said = _squash(cand.sentence)
        for i, line in enumerate(lines):
            if not line.strip() or not said.startswith(_squash(line)):
                continue
            row = cut_row(lines, i)
            if row and _squash(row).startswith(said) and len(_squash(row)) > len(said):
                cand.sentence, cand.exact = _clip(row), False
                break


def _row_header(
    index: int, row: str, picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore
) -> list[_Candidate]:
    """The header of the table a quoted row sits under (rag.rows.row_header), quoted too, from the row's passage or
    the passage before it (cited too): the column titles say what its values are."""
    chunk = retrieval.hits[index].chunk
    before = previous_passage(chunk, store)
    above = before.text.splitlines() if before is not None else []
    found = row_header(above + chunk.text.splitlines(), row)
    if found is None:
        return []
    at, header = found
    if at >= len(above):
        where, position = index, at - len(above)
    elif before is not None:
        where, position = _hit_index(retrieval, ScoredChunk(chunk=before, score=retrieval.hits[index].score)), at
    else:
        return []
    if any(c.hit_index == where and _squash(header) in _squash(c.sentence) for c in picked):
        return []
    return [_Candidate(where, header, 0.0, ROW_POSITION + position, False, heads=index if where != index else -1)]


def _header_rows(picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """For a quoted table header (rag.rows.table_header: "Lot Entreprise Moyenne des besoins sur 1 an Montants
    retenus sur bordereau de prix"), its first data row, from the same passage or, when the header ends its passage,
    from the next one under the prefecture's stamp (cited too): the titles alone answer nothing."""
    extra: list[_Candidate] = []
    said = {_squash(c.sentence) for c in picked}
    for cand in picked:
        chunk = retrieval.hits[cand.hit_index].chunk
        if chunk.kind == schema.KIND_ARTICLE:
            continue
        lines = chunk.text.splitlines()
        found = header_data(lines, cand.sentence)
        at, rows_of = cand.hit_index, lines
        if found is True:
            after = next_passage(chunk, store)
            rows_of = after.text.splitlines() if after is not None else []
            found = data_row(rows_of)
            if found is not None and after is not None:
                at = _hit_index(retrieval, ScoredChunk(chunk=after, score=retrieval.hits[cand.hit_index].score))
        if not isinstance(found, tuple):
            continue
        row = _clip(" ".join(" ".join(line.split()) for line in rows_of[found[0] : found[1] + 1]))
        if _squash(row) not in said:
            said.add(_squash(row))
            extra.append(_Candidate(at, row, 0.0, ROW_POSITION + found[0], False))
    return extra


def _headers_first(by_hit: dict[int, list[_Candidate]]) -> dict[int, list[_Candidate]]:
    """The passages in citation order, a table's header (quoted from the passage before its rows) just before
    the passage of the rows it heads."""
    headed = {c.heads: index for index, cands in by_hit.items() for c in cands if c.heads >= 0 and c.heads != index}
    order: list[int] = []
    for index in by_hit:
        if index in headed.values() and index not in order:
            continue  # placed before the rows it heads
        if index in headed and headed[index] not in order:
            order.append(headed[index])
        if index not in order:
            order.append(index)
    order += [index for index in by_hit if index not in order]
    return {index: by_hit[index] for index in order}


def _completed(picked: list[_Candidate], retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """Each quoted sentence with what completes it in its passage (rag.rows.continuation): the list it
    announces ("les taux suivants :" and the rates under it) or the vote lines under it ("Pour : 52").
    Those short lines are never quoted on their own, yet they hold the figure asked for. A list announced
    at the very end of a passage is read from the next passage of the document, cited too."""
    out: list[_Candidate] = []
    covered: set[tuple[int, int]] = set()
    for cand in sorted(picked, key=lambda c: (c.hit_index, c.position)):
        said = [_squash(c.sentence) for c in out if c.hit_index == cand.hit_index]
        if (cand.hit_index, cand.position) in covered or any(_squash(cand.sentence) in s for s in said):
            continue  # already quoted, in a list completed above or as the same sentence found twice
        out.append(cand)
        chunk = retrieval.hits[cand.hit_index].chunk
        if chunk.kind == schema.KIND_ARTICLE:
            continue
        lines = [" ".join(s.split()) for s in sentences(chunk.text)]
        position = cand.position
        if cand.position >= ROW_POSITION or not cand.exact:  # a row or an operative part: where it sits
            position = next((i for i, line in enumerate(lines) if line.strip(" -•–") == cand.sentence), -1)
            if position < 0:
                if _cut_at_end(cand.sentence):
                    ending = _sentence_end(cand.sentence, chunk.text)
                    if len(cand.sentence) + len(ending) < MAX_SENTENCE_CHARS:
                        cand.sentence = f"{cand.sentence} {ending}".strip()
                elif with_list_rest(cand.sentence, chunk.text) != cand.sentence:
                    # a row ending on a list's item, then the items that follow it ("Membres titulaires : - Samira
                    # SALOMON", then "- Patrick RIVAS […] - Caroline NAVARRE ...", the prefecture's stamp left out),
                    # quoted apart: the row stays what the opening reads
                    tail = with_list_rest(cand.sentence, chunk.text)[len(cand.sentence) :].strip()
                    out.append(_Candidate(cand.hit_index, _clip(tail), 0.0, cand.position + 1, False))
                elif ends_with_item(cand.sentence, chunk.text):
                    # a list quoted down to its passage's last line goes on in the next passage ("Membres titulaires
                    # : - Samira SALOMON" ends one, "- Patrick RIVAS ..." opens the next), cited too
                    out += _list_rest(cand, chunk, retrieval, store)
                continue
        label = label_above(lines, position)
        if (
            label
            and cand.exact
            and cand.position < ROW_POSITION
            and not cand.sentence.startswith(label)  # (a candidate completed once already)
            and not any(_squash(label) in s for s in said)
        ):
            # "11h30-12h30 :" above "Entretien littéraire avec Marek Halter.": the label says what the sentence is
            cand.sentence = f"{label} {cand.sentence}"
        following = lines[position + 1 :]
        announces = cand.sentence.rstrip().endswith(":")
        items = continuation(cand.sentence, following)
        if items:
            cand.sentence = _clip(" ".join([cand.sentence, *items]))
            covered.update((cand.hit_index, position + 1 + i) for i in range(len(items)))
        after = next_passage(chunk, store) if announces and len(items) == len(following) else None
        if after is not None:  # the list runs to the end of the passage: it goes on in the next one, cited too
            rest = continuation(":", [" ".join(s.split()) for s in sentences(after.text)])[
                : MAX_LIST_ITEMS - len(items)
            ]
            if rest:
                index = _hit_index(retrieval, ScoredChunk(chunk=after, score=retrieval.hits[cand.hit_index].score))
                out.append(_Candidate(index, _clip(" ".join(rest)), 0.0, 0, False))
    return out


def ends_with_item(quote: str, passage: str) -> bool:
    """Whether a quote ends its passage on an item of a bulleted list (the list may go on in the next passage).

    >>> ends_with_item("Membres titulaires : - Samira SALOMON", "Ont été élus :\\nMembres titulaires :\\n- Samira SALOMON")
    True
    >>> ends_with_item("Membres titulaires : - Samira SALOMON", "Membres titulaires :\\n- Samira SALOMON\\nLe Conseil adopte.")
    False
    """
    lines = [line for line in passage.splitlines() if line.strip()]
    return bool(lines) and bool(_BULLET_ITEM_RE.match(lines[-1])) and _squash(passage).endswith(_squash(quote))


_BULLET_ITEM_RE = re.compile(r"^\s*[-•–]\s*\S")


def _list_rest(cand: _Candidate, chunk: Chunk, retrieval: Retrieval, store: ChromaStore) -> list[_Candidate]:
    """The items opening the next passage of `chunk`'s document that go on with the list a quote ends on."""
    after = next_passage(chunk, store)
    if after is None or after.meta.get(schema.BOILERPLATE):
        return []
    rest = continuation(":", [" ".join(s.split()) for s in sentences(after.text)])[:MAX_LIST_ITEMS]
    if not rest or not _BULLET_ITEM_RE.match(rest[0]):
        return []
    index = _hit_index(retrieval, ScoredChunk(chunk=after, score=retrieval.hits[cand.hit_index].score))
    return [_Candidate(index, _clip(" ".join(rest)), 0.0, 0, False)]


MAX_LABEL_ABOVE_CHARS = 40


def label_above(lines: list[str], position: int) -> str:
    """The short label ending with ":" on the line just above a sentence of a passage ("11h30-12h30 :" above
    "Entretien littéraire avec Marek Halter."): a schedule's time, a row's title; "" when there is none. A vote's
    label ("Pour :") or a sentence announcing a list is none.

    >>> lines = ["DIMANCHE 25 MAI", "11h30-12h30 :", "Entretien littéraire avec Marek Halter.", "14h-15h30 :"]
    >>> label_above(lines, 2), label_above(lines, 1), label_above(["Pour :", "Adopté à l'unanimité."], 1)
    ('11h30-12h30 :', '', '')
    >>> label_above(["Max LEVITA rapporte :", "Suite aux instructions comptables de la Ville."], 1)
    ''
    """
    if position < 1:
        return ""
    above = lines[position - 1].strip()
    if not above.endswith(":") or len(above) > MAX_LABEL_ABOVE_CHARS or len(above) < 3:
        return ""
    if VOTE_WORDS_RE.search(above) or len(above.split()) > 4 or reporter_line(above) or is_meeting_formula(above):
        return ""  # (nor who reports, "Max LEVITA rapporte :", nor the meeting's "Absents :")
    return above


_CUT_END_RE = re.compile(r"(?<![\w’'-])[a-zà-ÿ]{2,}$")
MIN_CUT_SENTENCE_CHARS = 60


def _cut_at_end(sentence: str) -> bool:
    """Whether a row read on a passage's lines stops before its sentence's end: long, and ending on a word in lower
    case with no punctuation ("... respectivement pour les OPAH RU St Guilhem-Laissac-Sud Comédie et"), not on a
    title's noun.

    >>> _cut_at_end("Ainsi les plafonds de 5000€ et 7000€, respectivement pour les OPAH RU St Guilhem-Laissac-Sud Comédie et")
    True
    >>> _cut_at_end("La participation de la Ville passe de 477 000€ à 504 000€."), _cut_at_end("Réforme du matériel et")
    (False, False)
    >>> _cut_at_end("Considérant que la présente délibération a pour objet de définir les critères d’attribution Madame")
    False
    """
    return len(sentence) >= MIN_CUT_SENTENCE_CHARS and bool(_CUT_END_RE.search(sentence.rstrip()))


MAX_END_WORDS = 30


def _sentence_end(piece: str, text: str) -> str:
    """The words that end the sentence a row or piece of the passage's text stops in ("Ainsi les plafonds de 5000€
    et 7000€, respectivement pour les OPAH RU St Guilhem-Laissac-Sud Comédie et" -> "Gambetta, Figuerolles et
    Nord-Ecusson sont ramenés à 4000€."): the piece is found whole in the text, and read on to the next full stop;
    "" when the text does not hold the piece or the sentence runs on too long.

    >>> text = "Les plafonds (OPAH Sud Comédie et Gambetta) Ainsi les plafonds de 5000€, pour l'OPAH Sud Comédie et Gambetta sont ramenés à 4000€. Fin."
    >>> _sentence_end("Gambetta) Ainsi les plafonds de 5000€, pour l'OPAH Sud Comédie et", text)
    'Gambetta sont ramenés à 4000€.'
    """
    wanted, words = piece.split(), text.split()
    for start in range(len(words) - len(wanted), -1, -1):
        if words[start : start + len(wanted)] == wanted:
            rest = words[start + len(wanted) : start + len(wanted) + MAX_END_WORDS]
            end = next((i for i, word in enumerate(rest) if word[-1] in ".!?;"), None)
            return "" if end is None else " ".join(rest[: end + 1])
    return ""


def join_quotes(cands: list[_Candidate]) -> str:
    """Sentences of one passage in document order; a gap between non-adjacent ones is marked […]."""
    parts: list[str] = []
    previous: int | None = None
    previous_exact = True
    for cand in cands:
        # (a gap mark a list's lines hold at its end or twice in a row ("PHOUTTHASANG […]" then the gap between two
        # quotes) would leave a part that opens with a gap mark, no text of the passage)
        sentence = _GAPS_RE.sub("[…]", cand.sentence).strip().removeprefix("[…]").removesuffix("[…]").strip()
        if not sentence:
            continue
        if parts:
            adjacent = previous is not None and cand.position == previous + 1 and cand.exact and previous_exact
            parts.append(" " if adjacent else QUOTE_GAP)
        parts.append(sentence)
        previous, previous_exact = cand.position, cand.exact
    return "".join(parts)


_GAPS_RE = re.compile(r"\[…\](?:\s*\[…\])+")


def quote_parts(quote: str) -> list[str]:
    return [part for part in quote.split(QUOTE_GAP) if part.strip()]


# A table row of short words and amounts: "QF de 501 € à 800 € 2,35 €" (no word of three letters, still a row).
_AMOUNT_ROW_RE = re.compile(r"^(?=.*\b[A-Za-zÀ-ÿ]{2,}\b).*\d\s?(?:€|%)")


MAX_ELECTED_LINE_CHARS = 120  # the line naming the person an election formula proclaims, with its office


def _passage_sentences(chunk: Chunk) -> list[tuple[int, str, bool]]:
    """(position in the passage, sentence) of the sentences worth quoting; positions count every
    sentence, so two quotes are adjacent only if nothing was skipped between them."""
    if chunk.meta.get(schema.BOILERPLATE):  # running headers, page numbers: searchable, never quoted
        return []
    text = chunk.text
    if chunk.kind == schema.KIND_ARTICLE and "\n" in text:
        text = text.split("\n", 1)[1]  # drop the "Article L... — heading" line
    out: list[tuple[int, str, bool]] = []
    asked = ""  # the question the document asks just before, which the next sentence answers
    split = sentences(text)
    for position, raw in enumerate(split):
        # A bullet opening a sentence or a cut is not quoted; such a sentence then joins no neighbour.
        # The passage's own gap mark ("heading\n[…]\nbody") is no part of a sentence: quoted next to the
        # quote's gap mark, "[…] […]" made a quote that is not the passage's text.
        sentence = _clip(raw.strip(" -•–").removeprefix("[…]").removesuffix("[…]").strip(" -•–"))
        if sentence.endswith("?"):
            # A question the document asks ("Et la vente de l'ancien presbytère ?") states nothing by itself: it
            # opens the sentence that answers it ("… ? Aucune décision n'a été prise."), which names no topic alone.
            asked = sentence if "[…]" not in sentence else ""
            continue
        if asked and not sentence.endswith("?") and "[…]" not in raw:
            joined = f"{asked} {sentence}"
            if _squash(joined) in _squash(text):  # the two are one run of the passage's text
                sentence = _clip(joined)
        asked = ""
        if position + 1 < len(split) and one_elected(sentence):
            named = split[position + 1].strip()
            if len(named) <= MAX_ELECTED_LINE_CHARS and PERSON_RE.match(named):
                sentence = _clip(f"{sentence} {named}")  # "A été proclamée présidente … installée :" / "Mme Chantal X"
        elif "[…]" not in raw:
            sentence = _with_ballot(split, position, sentence, text)
        if len(sentence) >= MIN_SENTENCE_CHARS and (
            re.search(r"[a-zà-ÿ]{3}", sentence) or _AMOUNT_ROW_RE.search(sentence)
        ):
            out.append((position, sentence, sentence == raw.strip()))
    if not out and text.strip():
        out.append((0, _clip(text.strip()), False))
    return out


# A sentence that proclaims who was elected ("Mme Nathalie POUJAVEL est élue présidente du conseil ..."), and the
# count of a candidate's ballots ("Mme Nathalie POUJAVEL : 4 voix.", "... ESTRABOULIN obtient 7 voix et ...")
_PROCLAIMED_RE = re.compile(r"\b(?:est|a été) (?:élue?|proclamée?|nommée?)\b")
_BALLOTS_RE = re.compile(r"\b\d{1,3}\s+voix\b|\b(?:obtient|obtenu|recueille)\b", re.IGNORECASE)
_SURNAME_RE = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'’-]{2,}\b")
BALLOT_LOOKBACK = 6  # parts of sentences before a proclamation where the winner's ballots may be counted
BALLOT_PART_CHARS = 140  # at most this long, each of them: a result, not a debate


def _with_ballot(split: list[str], position: int, sentence: str, text: str) -> str:
    """A proclamation of who was elected, with the count of the winner's ballots the lines just before give:
    "Mme Nathalie POUJAVEL : 4 voix. M. Raymond CALVEYRINES : 2 voix. Mme Nathalie POUJAVEL est élue présidente"
    (the count is what "avec combien de voix" asks; the two are one run of the passage's text, or unchanged)."""
    if not _PROCLAIMED_RE.search(sentence):
        return sentence
    surnames = set(_SURNAME_RE.findall(sentence))
    start = None
    for back in range(1, BALLOT_LOOKBACK + 1):
        if position - back < 0:
            break
        before = split[position - back].strip()
        if "[…]" in before or len(before) > BALLOT_PART_CHARS:
            break
        if surnames & set(_SURNAME_RE.findall(before)):
            start = position - back
    if start is None:
        return sentence
    joined = " ".join(part.strip() for part in split[start : position + 1])
    if not _BALLOTS_RE.search(joined.replace(sentence, "")) or _squash(joined) not in _squash(text):
        return sentence
    return _clip(joined)


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
