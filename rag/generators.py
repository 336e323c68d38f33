"""Answer generators, registered by name in one table (`GENERATORS`, help text from rag.settings).

A generator writes the answer to a question from its retrieved passages. It streams its text piece by
piece, then ends with either
- an `Answer`, when what it wrote is verified by construction (the extractive generator quotes the
  passages word for word), or
- a `Draft`, when a language model wrote it: the chain then checks every sentence against the numbered
  passages (rag.verify) before anyone reads it as an answer.

>>> sorted(GENERATORS)
['extractive', 'local', 'openai']
>>> gen = make_generator(settings, answerer)  # doctest: +SKIP
>>> for piece in gen.stream("Quel est le prix du repas ?", retrieval): ...  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from rag.decision import after_verb, extract_decision
from rag.errors import ConfigError
from rag.french import french_date
from rag.llm import ChatModel, LocalGGUFChatModel, OpenAIChatModel, build_messages
from rag.records import record_from_meta
from rag.schema import DATE, KIND_DELIBERATION, Answer, Chunk
from rag.settings import GENERATOR_HELP, check_generator_name

if TYPE_CHECKING:
    from rag.answer import ExtractiveAnswerer
    from rag.retrieve import Retrieval
    from rag.settings import Settings


@dataclass(slots=True)
class Draft:
    """What a language model wrote over numbered passages, before verification."""

    text: str
    passages: dict[int, Chunk]


class Generator(Protocol):
    """Writes a cited answer from the retrieved passages: text pieces, then an `Answer` or a `Draft`."""

    name: str

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Draft | Answer]: ...


MAX_FACT_PROVISIONS = 2
MAX_FACT_ROWS = 6
MAX_FACT_CHARS = 200


def decision_facts(chunk: Chunk) -> str:
    """The fields of a deliberation passage on one line (rag.decision): the date, what was decided with
    the rows it announces, and the vote; "" for other passages or when nothing was extracted.

    >>> text = "Il propose les tarifs suivants :\\n- 3.40€ repas enfant\\nPar 13 voix POUR – 1 voix CONTRE\\nACCEPTE les tarifs."
    >>> decision_facts(Chunk(id="d", text=text, meta={"kind": "deliberation", "date": "2020-07-23"}))
    'séance du 23 juillet 2020 | a accepté : les tarifs. — 3.40€ repas enfant | vote : 13 pour, 1 contre'
    """
    if chunk.kind != KIND_DELIBERATION:
        return ""
    decision = extract_decision(chunk.text, record_from_meta(chunk.meta))
    parts = []
    for provision in decision.provisions[:MAX_FACT_PROVISIONS]:
        what = " ".join(after_verb(provision).split())[:MAX_FACT_CHARS]
        line = f"{provision.verb or 'décision'} : {what}".rstrip(" :")
        if provision.rows:
            line += " — " + " ; ".join(" ".join(r.split()) for r in provision.rows[:MAX_FACT_ROWS])
        parts.append(line)
    if not parts:
        return ""
    date = str(chunk.meta.get(DATE) or "")
    if date:
        parts.insert(0, f"séance du {french_date(date)}")
    vote = decision.vote or next((p.vote for p in decision.provisions if p.vote), None)
    if vote:
        parts.append(f"vote : {vote}")
    return " | ".join(parts)


class ModelGenerator:
    """A chat model answering over the top passages, numbered [1]..[n] within a token budget.

    >>> ModelGenerator(name="openai", model=OpenAIChatModel(base_url="http://127.0.0.1:8080/v1", model="m")).name
    'openai'
    """

    def __init__(self, *, name: str, model: ChatModel, token_budget: int = 1500) -> None:
        if token_budget <= 0:
            raise ValueError(f"token_budget must be greater than 0. Currently, token_budget is {token_budget}.")
        self.name = name
        self.model = model
        self.token_budget = token_budget

    def stream(self, question: str, retrieval: Retrieval) -> Iterator[str | Draft]:
        """The model's text as it arrives, then the Draft with the passages it was given."""
        chunks = [hit.chunk for hit in retrieval.hits]
        facts = {c.id: f for c in chunks if (f := decision_facts(c))}
        messages, used = build_messages(question, chunks, token_budget=self.token_budget, facts=facts)
        parts: list[str] = []
        for piece in self.model.stream(messages):
            parts.append(piece)
            yield piece
        yield Draft(text="".join(parts), passages={i + 1: chunk for i, chunk in enumerate(used)})


# --- the registry --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GeneratorSpec:
    """How to build a generator from the settings, and one line of French help for the user."""

    help: str
    build: Callable[[Settings, ExtractiveAnswerer], Generator]


def _extractive(settings: Settings, answerer: ExtractiveAnswerer) -> Generator:
    return answerer


def _openai(settings: Settings, answerer: ExtractiveAnswerer) -> Generator:
    if not settings.llm_base_url:
        raise ConfigError("MAIRIE_LLM=openai demande MAIRIE_LLM_BASE_URL (ex. http://127.0.0.1:8080/v1).")
    if not settings.llm_model:
        raise ConfigError("MAIRIE_LLM=openai demande MAIRIE_LLM_MODEL (nom du modèle sur le serveur).")
    model = OpenAIChatModel(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        api_key=settings.llm_api_key,
        timeout_s=settings.llm_timeout,
    )
    return ModelGenerator(name="openai", model=model, token_budget=settings.llm_token_budget)


def _local(settings: Settings, answerer: ExtractiveAnswerer) -> Generator:
    if not settings.llm_gguf:
        raise ConfigError("MAIRIE_LLM=local demande MAIRIE_LLM_GGUF (chemin d'un fichier .gguf).")
    model = LocalGGUFChatModel(gguf_path=settings.llm_gguf, timeout_s=settings.llm_timeout)
    return ModelGenerator(name="local", model=model, token_budget=settings.llm_token_budget)


GENERATORS: dict[str, GeneratorSpec] = {
    name: GeneratorSpec(GENERATOR_HELP[name], build)
    for name, build in (("extractive", _extractive), ("openai", _openai), ("local", _local))
}


def make_generator(settings: Settings, answerer: ExtractiveAnswerer) -> Generator:
    """The generator named by MAIRIE_LLM; the extractive one is the answerer itself."""
    check_generator_name(settings.llm)
    return GENERATORS[settings.llm].build(settings, answerer)
