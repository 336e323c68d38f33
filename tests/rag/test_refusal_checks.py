"""The session 21 refusal checks (rag.refusal) on real text of the demo corpus: an amount must sit beside the
question's rarest topic noun and its names in an item of a compte rendu ("fact"), a question on the law needs
its names in the articles ("law"), and a list row close to nothing in meaning is still answered when one place
holds the whole question. Passages are copied from the demo PDFs
(`pdftotext -layout`); the figures on the gold sets are in docs/EVALUATION.md, session 21."""

from __future__ import annotations

import pytest

from rag import schema
from rag.schema import Chunk, ScoredChunk

# couthenans/CR_reunion_20220121.pdf, p. 2 (the questions diverses, as the PDF writes them)
DIVERSES = """Questions diverses :
A/ Equipement école :
Location d'un écran interactif pour équiper l'école en matière d'informatique. Arrivée à l'école le 28 janvier
2022.
B/ Campagne de stérilisation des chats
Coût de la campagne de stérilisation des chats passe de 700€ à 2000€ en passant par l'association 30 millions
d'amis car préférence d'implémentation d'une puce au lieu d'un tatouage. Poursuite de la campagne avec un
vétérinaire partenaire.
D/ Diagnostic amiante et radon
Mardi 26 janvier, un diagnostic sur l'amiante et le radon sera effectué sur l'école par l'APAVE."""
# couthenans/CR_reunion_20210604.pdf, p. 5
SONDAGES = """6.5.2 Panneau Pocket
Pour : 49
Contre : 33
CL : On le met en place
Proposition de l'acheter dès la semaine prochaine  Coût annuel de 180€
6.5.3 Panneau Lumineux"""
# couthenans/CR_reunion_20210604.pdf, p. 4
VERGER = """6.3 Verger de sauvegarde
Vu avec l'association « Verger vivant » (la Damassine à Vandoncourt) et la LPO .
On ne peut pas planter partout et il y a un dossier à préparer.
Adhésion à l'association verger vivant= 30€/an. : Vote : 14 pour / 0 contre / 0 abstention adopté"""


def _hits(*texts: str, title: str = "") -> list[ScoredChunk]:
    return [
        ScoredChunk(Chunk(id=str(i), text=text, meta={schema.TITLE: title, "kind": "document"}), 1.0)
        for i, text in enumerate(texts)
    ]


def _checks_only(demo_kb, question: str) -> str | None:  # type: ignore[no-untyped-def]
    """The refusal reason with the closeness thresholds at zero: only the checks on what the passages hold."""
    from rag.refusal import refusal_reason

    retrieval = demo_kb.retriever.run(question, top_k=5, scope=demo_kb.scoper.read(question))
    return refusal_reason(question, retrieval, 0.0, demo_kb.lexical.idf)


@pytest.mark.integration
@pytest.mark.parametrize(
    ("question", "reason"),
    [
        ("Quel est le coût annuel de Panneau Pocket pour Couthenans ?", None),
        ("Combien coûte la mission de l'archiviste ?", None),
        (
            "Combien de représentants du personnel siègent au comité technique paritaire de la ville de Montpellier ?",
            None,
        ),
        ("Combien de votes pour le pacte financier et fiscal de solidarité à Couthenans ?", None),
    ],
)
def test_each_session_21_check_refuses_what_it_is_for_and_only_that(demo_kb, question: str, reason: str | None) -> None:  # type: ignore[no-untyped-def]
    assert _checks_only(demo_kb, question) == reason


@pytest.mark.integration
def test_a_list_row_is_answered_when_one_place_holds_the_whole_question(demo_kb) -> None:  # type: ignore[no-untyped-def]
    # "Cycloclub Couthenans : 230€" is too short to come close in meaning to the question (sentence rule)
    answer = demo_kb.ask("Combien Couthenans a-t-elle attribué au Cycloclub en octobre 2022 ?")
    assert answer.found, answer.text
    assert "230" in answer.text


def test_the_s21_held_out_set_is_balanced_and_its_evidence_and_key_facts_are_on_the_cited_pages() -> None:
    import subprocess
    import sys

    from rag.evaluate import load_gold
    from tests.conftest import REPO

    gold = load_gold(REPO / "benchmarks" / "gold_s21_demo.jsonl")
    assert sum(q.absent for q in gold) == 20 and sum(not q.absent for q in gold) == 20
    checked = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "check_gold.py"), "benchmarks/gold_s21_demo.jsonl", "data"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "40 pass, 0 fail" in checked.stdout


def test_a_number_word_says_how_many_it_is_not_the_topic() -> None:
    """ "les trois représentants ... désignés en 2013": the year must sit with the topic, and "trois" (how many
    names the answer lists) is no topic word the passage must repeat (it refused an unseen question)."""
    from rag.refusal import _numbers_met

    text = (
        "Festival International du Cinéma Méditerranéen : désignation des représentants de la Ville au conseil "
        "d'administration. Sont désignés : Mme Annie Yague, M. Michel Miguel, M. Christian Bouillé."
    )
    meta = {schema.DATE: "2013-02-04", schema.TITLE: "Délibération 2013/16 — Festival International du Cinéma"}
    hit = ScoredChunk(Chunk(id="c1", text=text, meta=meta), 1.0)
    question = "Qui sont les trois représentants de la Ville au conseil d'administration du Festival désignés en 2013 ?"

    def idf(stem: str) -> float:
        return 5.0 if stem == "trois" else 1.0  # as in the unseen store: the only rare word was "trois"

    assert _numbers_met(question, [hit], idf, set())
    assert not _numbers_met(question.replace("2013", "2015"), [hit], idf, set())
