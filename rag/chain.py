"""The answer chain, used by the CLI and the UI alike:
question -> retrieve -> prompt -> generate -> verify, as langchain (LCEL) runnables.

The extractive generator needs no model. With a language model (`openai` or `local`), the model's text is
verified sentence by sentence against the passages it was given; if nothing verified remains, or the
server is down, the extractive answer is given instead and the answer says so.

Example (needs a live store)::

    chain = AnswerChain(kb=kb)                       # settings.llm decides the generator
    for event in chain.stream("Qu'a voté le conseil sur la cantine ?"):
        if event.kind == "token": print(event.text, end="")
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from langchain_core.runnables import Runnable, RunnableLambda

from rag import schema
from rag.answer import annotate_versions, refusal
from rag.errors import AnswerError, ConfigError
from rag.llm import Generator, build_messages
from rag.retrieve import Retrieval
from rag.schema import Answer, AnswerSentence, Chunk, Citation, Filters
from rag.text import sentences, tokens
from rag.verify import STATUS_OK, verify_answer

if TYPE_CHECKING:
    from rag.kb import KnowledgeBase

logger = logging.getLogger(__name__)

DONT_KNOW_RE = re.compile(r"^\W*je ne sais pas", re.IGNORECASE)
MODEL_DONT_KNOW = "Le modèle de langage n'a pas trouvé la réponse dans les passages."
FALLBACK_UNVERIFIED = (
    "La réponse du modèle de langage n'a pas pu être vérifiée dans les sources : "
    "voici à la place les passages cités tels quels."
)


@dataclass(slots=True)
class ChainInput:
    question: str
    filters: Filters | None = None
    top_k: int | None = None


@dataclass(slots=True)
class Prepared:
    """The state passed between the runnables."""

    question: str
    retrieval: Retrieval
    found: bool
    messages: list[tuple[str, str]] = field(default_factory=list)
    passages: dict[int, Chunk] = field(default_factory=dict)


@dataclass(slots=True)
class AnswerEvent:
    kind: str  # "token" | "answer"
    text: str = ""
    answer: Answer | None = None


def make_generator(settings: Any) -> Generator | None:
    """The configured language model, or None for the extractive mode."""
    from rag.llm import LocalGGUFGenerator, OpenAIGenerator

    if settings.llm == "extractive":
        return None
    if settings.llm == "openai":
        if not settings.llm_base_url:
            raise ConfigError("MAIRIE_LLM=openai demande MAIRIE_LLM_BASE_URL (ex. http://127.0.0.1:8080/v1).")
        if not settings.llm_model:
            raise ConfigError("MAIRIE_LLM=openai demande MAIRIE_LLM_MODEL (nom du modèle sur le serveur).")
        return OpenAIGenerator(base_url=settings.llm_base_url, model=settings.llm_model,
                               api_key=settings.llm_api_key, timeout_s=settings.llm_timeout)
    if not settings.llm_gguf:
        raise ConfigError("MAIRIE_LLM=local demande MAIRIE_LLM_GGUF (chemin d'un fichier .gguf).")
    return LocalGGUFGenerator(gguf_path=settings.llm_gguf, timeout_s=settings.llm_timeout)


class AnswerChain:
    """question -> retrieve -> prompt -> generate -> verify, shared by the CLI and the UI."""

    def __init__(self, *, kb: KnowledgeBase, generator: Generator | None = None, use_settings_llm: bool = True) -> None:
        self.kb = kb
        self.settings = kb.settings
        self._generator = generator
        self._use_settings_llm = use_settings_llm and generator is None
        self.extractive = kb.answerer
        self.prepare: Runnable[ChainInput, Prepared] = RunnableLambda(self._retrieve) | RunnableLambda(self._prompt)

    @functools.cached_property
    def generator(self) -> Generator | None:
        if self._generator is not None:
            return self._generator
        return make_generator(self.settings) if self._use_settings_llm else None

    @property
    def mode(self) -> str:
        return "extractive" if self.generator is None else self.settings.llm

    # --- runnables ---------------------------------------------------------------------------------
    def _retrieve(self, inp: ChainInput) -> Prepared:
        retrieval = self.kb.retriever.run(inp.question, top_k=inp.top_k or self.settings.top_k, filters=inp.filters)
        found = self.extractive.found(inp.question, retrieval)
        return Prepared(question=inp.question, retrieval=retrieval, found=found)

    def _prompt(self, state: Prepared) -> Prepared:
        if not state.found or self.generator is None:
            return state
        chunks = [hit.chunk for hit in state.retrieval.hits]
        messages, used = build_messages(state.question, chunks, token_budget=self.settings.llm_token_budget)
        state.messages = messages
        state.passages = {i + 1: chunk for i, chunk in enumerate(used)}
        return state

    # --- public API --------------------------------------------------------------------------------
    def invoke(self, question: str, *, filters: Filters | None = None, top_k: int | None = None) -> Answer:
        answer: Answer | None = None
        for event in self.stream(question, filters=filters, top_k=top_k):
            if event.kind == "answer":
                answer = event.answer
        assert answer is not None
        return answer

    def stream(self, question: str, *, filters: Filters | None = None, top_k: int | None = None) -> Iterator[AnswerEvent]:
        """Tokens as the model writes them, then the verified Answer (always last)."""
        state = self.prepare.invoke(ChainInput(question, filters, top_k))
        if not state.found:
            yield AnswerEvent("answer", answer=refusal(question, state.retrieval.hits[:3]))
            return
        if self.generator is None or not state.messages:
            answer = self.extractive.answer_from(question, state.retrieval)
            yield AnswerEvent("token", text=answer.text)
            yield AnswerEvent("answer", answer=answer)
            return
        parts: list[str] = []
        try:
            for token in self.generator.stream(state.messages):
                parts.append(token)
                yield AnswerEvent("token", text=token)
        except AnswerError as e:
            logger.warning("LLM failed, falling back to the extractive answer: %s", e)
            answer = self.extractive.answer_from(question, state.retrieval)
            answer.notes.insert(0, f"{e} Réponse extractive à la place.")
            answer.mode = "extractive-fallback"
            yield AnswerEvent("answer", answer=answer)
            return
        yield AnswerEvent("answer", answer=self.verify("".join(parts), state))

    def verify(self, text: str, state: Prepared) -> Answer:
        """Check the model's text; keep it only if at least one sentence is verified."""
        question = state.question
        if DONT_KNOW_RE.search(text.strip()):
            answer = refusal(question, state.retrieval.hits[:3])
            answer.notes.insert(0, MODEL_DONT_KNOW)
            answer.mode = self.mode
            return answer
        masked, checked = verify_answer(text, state.passages, known_articles=self._known_article,
                                        known_delib_ids=self._known_delib)
        valid = [s for s in checked if s.status == STATUS_OK and s.citations]
        if not valid:
            answer = self.extractive.answer_from(question, state.retrieval)
            answer.notes.insert(0, FALLBACK_UNVERIFIED)
            answer.mode = "extractive-fallback"
            answer.sentences = checked + answer.sentences
            return answer
        cited = sorted({n for s in valid for n in s.citations if n in state.passages})
        citations = [Citation(n=n, chunk=state.passages[n], quote=_best_quote(state.passages[n], valid, n))
                     for n in cited]
        annotate_versions(citations, self.extractive.versions)
        notes = [f"Réponse rédigée par un modèle de langage ({self.settings.llm}) et vérifiée phrase par phrase."]
        flagged = [s for s in checked if s.status != STATUS_OK]
        if flagged:
            notes.append(f"{len(flagged)} phrase(s) non vérifiée(s) : signalée(s) « [non vérifié] » dans la réponse.")
        return Answer(question=question, text=_render(checked, masked), citations=citations, found=True,
                      mode=self.mode, sentences=checked, notes=notes)

    @functools.lru_cache(maxsize=2048)  # noqa: B019 - the chain lives as long as its store
    def _known_article(self, number: str) -> bool:
        return bool(self.kb.store.find({schema.ARTICLE: number}, limit=1))

    @functools.lru_cache(maxsize=2048)  # noqa: B019
    def _known_delib(self, delib_id: str) -> bool:
        variants = {delib_id, delib_id.replace("-", "/"), delib_id.replace("/", "-")}
        return any(self.kb.store.find({schema.DELIB_ID: v}, limit=1) for v in variants)


def _render(checked: list[AnswerSentence], masked: str) -> str:
    """The answer text with unverified sentences marked, so nobody mistakes them for sourced facts."""
    if not checked:
        return masked
    lines = []
    for sentence in checked:
        mark = "" if sentence.status == STATUS_OK else " [non vérifié]"
        lines.append(sentence.text + mark)
    return " ".join(lines)


def _best_quote(chunk: Chunk, valid: list[AnswerSentence], n: int) -> str:
    """The passage sentence that best supports the answer sentences citing [n]."""
    claim = set(tokens(" ".join(s.text for s in valid if n in s.citations)))
    best, best_score = "", -1.0
    for sentence in sentences(chunk.text):
        score = len(claim & set(tokens(sentence)))
        if score > best_score:
            best, best_score = sentence, score
    return best or chunk.text[:300]
