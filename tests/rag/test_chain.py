"""The answer chain on the real demo store, without a language model server: refusals and whom they name,
the generator registry, the extractive generator, and what the chain does with a model's text.

A model's text is the input here (scripted below, or a server that is down); the retrieval, the refusal
rule, the verification and the fallback are the real ones.
"""

from __future__ import annotations

import ast
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.chain import FALLBACK_UNVERIFIED
from rag.errors import ConfigError
from rag.generators import GENERATORS, ModelGenerator, make_generator
from rag.kb import KnowledgeBase
from rag.llm import OpenAIChatModel
from rag.settings import Settings
from rag.text import sentences
from tests.conftest import REPO

pytestmark = pytest.mark.integration

CANTINE = "Qu'a voté le conseil municipal sur la cantine scolaire ?"
ABSENT = "Quels sont les horaires d'ouverture de la piscine municipale ?"


class Scripted:
    """A chat model whose reply is written by a function of the prompt it receives."""

    name = "scripted"

    def __init__(self, reply: str | None = None, *, quote_first_passage: bool = False) -> None:
        self.reply = reply
        self.quote_first_passage = quote_first_passage
        self.calls = 0

    def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
        self.calls += 1
        text = self.reply or ""
        if self.quote_first_passage:
            passage = re.search(r'<passage numero="1">\n[^\n]*\n(.*?)\n</passage>', messages[1][1], re.DOTALL)
            assert passage is not None
            quoted = next(s for s in sentences(passage.group(1)) if len(s.split()) >= 8 and s.endswith("."))
            text = f"{quoted[:-1]} [1]."
        yield from re.findall(r"\S+\s*", text)


def _model_chain(kb: KnowledgeBase, model: object):  # type: ignore[no-untyped-def]
    return kb.answer_chain(ModelGenerator(name="openai", model=model))  # type: ignore[arg-type]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- refusals ------------------------------------------------------------------------------------------
def test_refusal_names_whom_to_ask_by_role_not_the_secretary_herself(demo_kb: KnowledgeBase) -> None:
    answer = demo_kb.ask(ABSENT)
    assert not answer.found and answer.mode == "refusal"
    assert answer.text.startswith("Je n'ai pas trouvé cette information dans les documents indexés. ")
    assert "secrétariat de mairie" not in answer.text
    for role in ("contrôle de légalité de la préfecture", "centre de gestion", "association départementale des maires"):
        assert role in answer.text


def test_the_commune_chooses_whom_the_refusal_names(demo_kb: KnowledgeBase) -> None:
    contact = "Appelez Mme Martin, secrétaire de mairie de Couthenans, ou la sous-préfecture de Lure."
    kb = KnowledgeBase(demo_kb.settings.replace(refusal_contact=contact), store=demo_kb.store)
    answer = kb.ask(ABSENT)
    assert answer.text == f"Je n'ai pas trouvé cette information dans les documents indexés. {contact}"
    env = Settings.from_env({"MAIRIE_REFUSAL_CONTACT": contact})
    assert env.refusal_contact == contact


def test_absent_topic_is_refused_without_calling_the_model(demo_kb: KnowledgeBase) -> None:
    model = Scripted("Le centre aquatique ouvre à 9 h [1].")
    answer = _model_chain(demo_kb, model).invoke(ABSENT)
    assert not answer.found and model.calls == 0


# --- the registry ----------------------------------------------------------------------------------------
def test_an_unknown_generator_gets_one_french_error_listing_the_registered_ones() -> None:
    with pytest.raises(ConfigError) as info:
        Settings.from_env({"MAIRIE_LLM": "gpt4"})
    message = str(info.value)
    assert message.startswith("MAIRIE_LLM ne connaît pas le générateur 'gpt4' : choisissez 'extractive' (")
    assert all(f"'{name}' ({spec.help})" in message for name, spec in GENERATORS.items())
    assert set(GENERATORS) == {"extractive", "openai", "local"}
    help_line = next(h for env, _, h in Settings.describe() if env == "MAIRIE_LLM")
    assert help_line == "Générateur de réponses : 'extractive', 'openai', 'local'."


def test_registered_generators_say_which_variable_is_missing(demo_kb: KnowledgeBase) -> None:
    with pytest.raises(ConfigError, match="MAIRIE_LLM_BASE_URL"):
        make_generator(demo_kb.settings.replace(llm="openai"), demo_kb.answerer)
    with pytest.raises(ConfigError, match="MAIRIE_LLM_GGUF"):
        make_generator(demo_kb.settings.replace(llm="local"), demo_kb.answerer)
    generator = make_generator(
        demo_kb.settings.replace(llm="openai", llm_base_url="http://127.0.0.1:8080/v1", llm_model="qwen"),
        demo_kb.answerer,
    )
    assert isinstance(generator, ModelGenerator) and generator.name == "openai"


def test_the_extractive_generator_is_the_answerer_and_streams_like_the_others(demo_kb: KnowledgeBase) -> None:
    assert make_generator(demo_kb.settings, demo_kb.answerer) is demo_kb.answerer
    events = list(demo_kb.chain.stream(CANTINE))
    assert demo_kb.chain.mode == "extractive"
    assert [e.kind for e in events] == ["token", "answer"]
    answer = events[-1].answer
    assert answer is not None and answer.found and answer.mode == "extractive"
    assert events[0].text == answer.text


def test_chain_does_not_import_the_knowledge_base() -> None:
    tree = ast.parse(Path(REPO / "rag" / "chain.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert "rag.kb" not in imported and "langchain_core.runnables" not in imported


# --- a model's text --------------------------------------------------------------------------------------
def test_a_verbatim_sentence_of_the_cited_passage_is_kept_and_streamed(demo_kb: KnowledgeBase) -> None:
    chain = _model_chain(demo_kb, Scripted(quote_first_passage=True))
    events = list(chain.stream(CANTINE))
    assert [e.kind for e in events[:-1]] == ["token"] * (len(events) - 1) and len(events) > 2
    answer = events[-1].answer
    assert answer is not None and answer.mode == "openai", answer.sentences
    assert [s.status for s in answer.sentences] == ["ok"]
    assert [c.n for c in answer.citations] == [1]
    assert "vérifiée phrase par phrase" in answer.notes[0]


@pytest.mark.parametrize(
    "reply",
    [
        "[1] [2]",
        "",
        "Le conseil municipal a voté sur la cantine scolaire [1].",
        "Le conseil a fixé le repas à 12,50 € pour tous les enfants [1].",
    ],
)
def test_markers_an_empty_text_an_echo_or_an_invented_figure_fall_back(demo_kb: KnowledgeBase, reply: str) -> None:
    answer = _model_chain(demo_kb, Scripted(reply)).invoke(CANTINE)
    assert answer.found and answer.mode == "extractive-fallback"
    assert answer.notes[0] == FALLBACK_UNVERIFIED
    assert answer.citations and all(c.quote for c in answer.citations)
    assert not any(s.status == "ok" and s.text == reply for s in answer.sentences)


def test_server_down_gives_the_extractive_answer_with_a_note(demo_kb: KnowledgeBase) -> None:
    model = OpenAIChatModel(base_url=f"http://127.0.0.1:{_closed_port()}/v1", model="x", timeout_s=5, max_retries=0)
    answer = _model_chain(demo_kb, model).invoke(CANTINE)
    assert answer.found and answer.mode == "extractive-fallback"
    assert "ne répond pas (connexion impossible)" in answer.notes[0]
    assert answer.notes[0].endswith("Réponse extractive à la place.")


def test_invented_contacts_and_references_are_caught(demo_kb: KnowledgeBase) -> None:
    """A model that invents a phone number, an article and a vote is verified and falls back."""
    model = Scripted(
        "Le conseil a voté à l'unanimité selon l'article L2121-99 [1]. "
        "Appelez le 01 23 45 67 89 ou ecrivez a maire@example.org [7]."
    )
    answer = _model_chain(demo_kb, model).invoke(CANTINE)
    assert "01 23 45 67 89" not in answer.text and "maire@example.org" not in answer.text
    statuses = {s.status for s in answer.sentences}
    assert "invalid_citation" in statuses or "unknown_reference" in statuses
    assert answer.mode == "extractive-fallback"
    assert answer.citations and all(c.chunk.text for c in answer.citations)


# --- the edges -------------------------------------------------------------------------------------------
def test_cli_refusal_names_the_configured_contact_and_unknown_generators_are_listed(demo_store: Path) -> None:
    from tests.test_cli import mairie

    contact = "Demandez au service juridique de la communauté de communes."
    result = mairie("ask", ABSENT, store=demo_store, MAIRIE_REFUSAL_CONTACT=contact)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.splitlines()[0] == f"Je n'ai pas trouvé cette information dans les documents indexés. {contact}"
    )
    result = mairie("ask", ABSENT, store=demo_store, MAIRIE_LLM="gpt4")
    assert result.returncode == 1
    assert "MAIRIE_LLM ne connaît pas le générateur 'gpt4' : choisissez 'extractive'" in result.stderr


def test_the_model_is_given_the_extracted_decision_fields_and_unverified_sentences_are_removed(
    demo_kb: KnowledgeBase,
) -> None:
    """The prompt carries "Faits extraits" (rag.decision) above a deliberation passage; a verified sentence
    is kept and an invented one is removed from the text the user reads (kept, flagged, in sentences)."""
    prompts: list[str] = []

    class Recording(Scripted):
        def stream(self, messages: list[tuple[str, str]]) -> Iterator[str]:
            prompts.append(messages[1][1])
            yield from super().stream(messages)

    model = Recording(quote_first_passage=True)
    answer = _model_chain(demo_kb, model).invoke("Combien coûte le repas à la cantine de Preuilly depuis 2020 ?")
    assert re.search(r"Faits extraits : séance du \d", prompts[0]), prompts[0][:2000]
    assert answer.mode == "openai" and [s.status for s in answer.sentences] == ["ok"]
    kept = answer.sentences[0].text
    invented = "Le repas coûte 12,50 € pour tous les enfants [1]."
    answer = _model_chain(demo_kb, Scripted(f"{kept} {invented}")).invoke(
        "Combien coûte le repas à la cantine de Preuilly depuis 2020 ?"
    )
    assert answer.mode == "openai" and [s.status for s in answer.sentences] == ["ok", "unsupported"]
    assert answer.text == kept and "12,50" not in answer.text
    assert any("retirée(s) de la réponse" in note for note in answer.notes)
