"""The answer chain, used by the CLI and the UI alike: question -> retrieve -> found? -> generate -> verify.

The chain is given its parts: a retriever, the extractive answerer (the refusal rule and the fallback),
a generator (rag.generators: the extractive one, or a language model) and a verifier (rag.verify, strict).
A language model's text is checked sentence by sentence against the passages it was given; if nothing
verified remains, or the model fails (server down, timeout, even mid-answer), the extractive answer is
given instead and the answer says so.

Why plain Python and not LangChain runnables: LangChain stays where it does real work, the streaming
OpenAI-compatible client (`ChatOpenAI`, rag.llm), with its own retries of a failed request. The chain
itself would gain nothing honest from LCEL: `Runnable.with_fallbacks` falls back on a streamed run only
when the error comes before the first chunk (a server that stalls mid-answer would escape it), and the
main fallback here is not an exception at all but an answer that fails verification; `with_retry` would
replay a stream whose first tokens the user has already read; there are no callbacks to serve (the
tool runs offline; logging is enough). One `try` and one verification cover every case, in order.

Example (needs a live store)::

    chain = kb.chain                                   # MAIRIE_LLM decides the generator
    for event in chain.stream("Qu'a voté le conseil sur la cantine ?"):
        if event.kind == "token": print(event.text, end="")
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rag.answer import ExtractiveAnswerer, annotate_versions
from rag.citations import defang_quoted_markers, strip_citations
from rag.errors import AnswerError
from rag.french import source_label
from rag.generators import Draft, Generator
from rag.retrieve import HybridRetriever, Retrieval
from rag.schema import Answer, AnswerSentence, Chunk, Citation, Filters
from rag.scope import Scoper, missing_notice, with_notice
from rag.text import sentences, tokens
from rag.verify import STATUS_OK, Verifier

logger = logging.getLogger(__name__)

DONT_KNOW_RE = re.compile(r"^\W*je ne sais pas", re.IGNORECASE)
MODEL_DONT_KNOW = "Le modèle de langage n'a pas trouvé la réponse dans les passages."
FALLBACK_UNVERIFIED = (
    "La réponse du modèle de langage n'a pas pu être vérifiée dans les sources : "
    "voici à la place les passages cités tels quels."
)
FALLBACK_MODE = "extractive-fallback"
FLAGGED_NOTE = "Attention : le passage [{n}] ({source}) est signalé, il {reason} ; vérifiez-le avant de vous y fier."
DEMOTED_NOTE = "Passage signalé et écarté de la réponse : {source}, il {reason}."


@dataclass(slots=True)
class AnswerEvent:
    kind: str  # "token" | "answer"
    text: str = ""
    answer: Answer | None = None


class AnswerChain:
    """question -> retrieve -> found? -> generate -> verify, shared by the CLI and the UI.

    >>> chain = AnswerChain(retriever=kb.retriever, answerer=kb.answerer, generator=kb.answerer,
    ...                     verifier=Verifier(store=kb.store))  # doctest: +SKIP
    """

    def __init__(
        self,
        *,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        generator: Generator,
        verifier: Verifier,
        top_k: int = 5,
        scoper: Scoper | None = None,
    ) -> None:
        if top_k <= 0:
            raise ValueError(f"top_k must be greater than 0. Currently, top_k is {top_k}.")
        self.retriever = retriever
        self.answerer = answerer
        self.generator = generator
        self.verifier = verifier
        self.top_k = top_k
        self.scoper = scoper  # reads the commune / date a question names (rag.scope); None: no scope step

    @property
    def mode(self) -> str:
        """The generator's registered name: "extractive", "openai", "local"."""
        return self.generator.name

    def invoke(self, question: str, *, filters: Filters | None = None, top_k: int | None = None) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, filters=filters, top_k=top_k):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None  # stream always ends with the answer
        return answer

    def stream(
        self, question: str, *, filters: Filters | None = None, top_k: int | None = None
    ) -> Iterator[AnswerEvent]:
        """Tokens as the generator writes them, then the verified Answer (always last)."""
        scope = self.scoper.read(question) if self.scoper is not None else None
        listed = self.scoper.meeting_answer(question, scope, filters) if self.scoper and scope else None
        if listed is not None:
            yield AnswerEvent("answer", answer=listed)
            return
        retrieval = self.retriever.run(question, top_k=top_k or self.top_k, filters=filters, scope=scope)
        flags = self._demote_flagged(retrieval)
        if not self.answerer.found(question, retrieval):
            refused = self.answerer.refuse(question, retrieval)
            yield AnswerEvent("answer", answer=with_notice(_secure(refused, flags), scope))
            return
        if scope is not None and scope.missing_label():
            yield AnswerEvent("token", text=missing_notice(scope, law_follows=True) + "\n")
        final: Draft | Answer | None = None
        try:
            for item in self.generator.stream(question, retrieval):
                if isinstance(item, str):
                    yield AnswerEvent("token", text=item)
                else:
                    final = item
        except AnswerError as e:
            logger.warning("Generator %s failed, falling back to the extractive answer: %s", self.mode, e)
            fallback = self._fallback(question, retrieval, f"{e} Réponse extractive à la place.")
            yield AnswerEvent("answer", answer=_secure(fallback, flags))
            return
        if final is None:
            raise AnswerError(f"Le générateur {self.mode} n'a rendu aucune réponse : utilisez le mode extractif.")
        if isinstance(final, Draft):
            final = self.verify(question, retrieval, final)
        yield AnswerEvent("answer", answer=with_notice(_secure(final, flags), scope))

    def _demote_flagged(self, retrieval: Retrieval) -> dict[str, tuple[str, str]]:
        """Passages flagged by the verifier (rag.verify.screen_passage) move after the others; their source
        and reason by chunk id. Done before anything reads the hits (the refusal rule, the generators)."""
        flags = {
            hit.chunk.id: (source_label(hit.chunk), reason)
            for hit in retrieval.hits
            if (reason := self.verifier.screen(hit.chunk))
        }
        if flags:
            retrieval.hits.sort(key=lambda hit: hit.chunk.id in flags)  # stable: the others keep their order
            logger.warning("Demoted %d flagged passage(s): %s", len(flags), "; ".join(r for _, r in flags.values()))
        return flags

    def verify(self, question: str, retrieval: Retrieval, draft: Draft) -> Answer:
        """Check a model's text; keep it only if at least one sentence is verified."""
        if DONT_KNOW_RE.search(draft.text.strip()):
            answer = self.answerer.refuse(question, retrieval)
            answer.notes.insert(0, MODEL_DONT_KNOW)
            answer.mode = self.mode
            return answer
        _, checked = self.verifier.check(draft.text, draft.passages, question=question)
        valid = [s for s in checked if s.status == STATUS_OK and s.citations]
        if not valid or not any(tokens(strip_citations(s.text)) for s in valid):
            answer = self._fallback(question, retrieval, FALLBACK_UNVERIFIED)
            answer.sentences = checked + answer.sentences
            return answer
        passages = draft.passages
        cited = sorted({n for s in valid for n in s.citations if n in passages})
        citations = [Citation(n=n, chunk=passages[n], quote=_best_quote(passages[n], valid, n)) for n in cited]
        annotate_versions(citations, self.answerer.versions)
        notes = [f"Réponse rédigée par un modèle de langage ({self.mode}) et vérifiée phrase par phrase."]
        removed = [s for s in checked if s.status != STATUS_OK or not s.citations]
        if removed:
            notes.append(
                f"{len(removed)} phrase(s) du modèle non vérifiée(s) dans les sources : retirée(s) de la réponse."
            )
        return Answer(
            question=question,
            text=" ".join(s.text for s in checked if s in valid),
            citations=citations,
            found=True,
            mode=self.mode,
            sentences=checked,
            notes=notes,
        )

    def _fallback(self, question: str, retrieval: Retrieval, why: str) -> Answer:
        answer = self.answerer.answer_from(question, retrieval)
        answer.notes.insert(0, why)
        answer.mode = FALLBACK_MODE
        return answer


def _secure(answer: Answer, flags: dict[str, tuple[str, str]]) -> Answer:
    """What a document wrote cannot pass for the answer's own: "[n]" inside « quotes » is rendered
    "(renvoi n du document)", and a cited passage that was flagged is marked where it is quoted and in
    the notes."""
    answer.text = defang_quoted_markers(answer.text)
    for sentence in answer.sentences:
        sentence.text = defang_quoted_markers(sentence.text)
    warnings = []
    cited = set()
    for citation in answer.citations:
        if citation.chunk.id in flags:
            cited.add(citation.chunk.id)
            source, reason = flags[citation.chunk.id]
            mark = f" (passage signalé : il {reason})"
            answer.text = answer.text.replace(f"» [{citation.n}]", f"» [{citation.n}]{mark}")
            warnings.append(FLAGGED_NOTE.format(n=citation.n, source=source, reason=reason))
    warnings += [DEMOTED_NOTE.format(source=s, reason=r) for cid, (s, r) in flags.items() if cid not in cited]
    answer.notes[:0] = warnings
    return answer


def _best_quote(chunk: Chunk, valid: list[AnswerSentence], n: int) -> str:
    """The passage sentence that best supports the answer sentences citing [n]."""
    claim = set(tokens(" ".join(s.text for s in valid if n in s.citations)))
    best, best_score = "", -1.0
    for sentence in sentences(chunk.text):
        score = len(claim & set(tokens(sentence)))
        if score > best_score:
            best, best_score = sentence, score
    return best or chunk.text[:300]
