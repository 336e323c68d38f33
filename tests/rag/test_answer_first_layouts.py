"""Answer first on layouts no rule was written for (issue 15): real Montpellier deliberations and one
compte rendu of ../shared/corpus that no gold set tunes on except the dev gold. Each test pins one
failure kind: the fact in a table row, names on the lines after "A été élu :", the operative part in
another passage of the same record, the vote counts of a compte rendu's item. Every value of an opening
sentence must be on the passage it cites."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest

from rag.citations import strip_citations
from rag.evaluate import load_gold
from rag.facts import extract_facts, index_passage, missing_facts
from rag.schema import Answer
from tests.conftest import DATA, REPO, SHARED_CORPUS

MTP = SHARED_CORPUS / "deliberations" / "montpellier"
FILES = [
    MTP / "pdfs" / f"{stem}.pdf"
    for stem in (
        "2013-03-25-0000062240",  # subsidies per association: a table in the passage after the one found
        "2013-06-17-0000064267",  # another table of subsidies (a distractor)
        "2014-05-22-0000072068",  # "A été élu :" then the name, in another passage than the title
        "2014-04-24-0000071263",  # "Ont été élus :" / "Représentants élus :" / the names
    )
] + [MTP / "comptes_rendus" / "CR_CM_07_02_2011.pdf"]  # items with "Pour : 58 / Contre : 1"
INTRO = "Voici ce que disent les documents indexés :"
DEV = REPO / "benchmarks" / "gold_decisions_dev.jsonl"

pytestmark = pytest.mark.skipif(not MTP.is_dir(), reason="../shared/corpus is not present")


@pytest.fixture(scope="module")
def layouts_kb(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path):  # type: ignore[no-untyped-def]
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    settings = Settings(store=tmp_path_factory.mktemp("layouts-store"), cache_dir=embedding_cache)
    kb = KnowledgeBase(settings)
    events = list(Ingestor(store=kb.store, settings=settings, commune="Montpellier").run(collect_files(FILES)))
    assert not [e for e in events if e.status == "failed"]
    kb.lexical.ensure_fresh()
    return kb


def _opening(answer: Answer) -> list[str]:
    """The opening sentences, each checked: its numbers, dates and names are on the passage it cites."""
    by_n = {c.n: c.chunk for c in answer.citations}
    lead = answer.text.split(INTRO)[0].strip()
    opening = [s for s in answer.sentences if s.citations and s.text in lead]
    for sentence in opening:
        facts = extract_facts(strip_citations(sentence.text), with_names=True)
        passages = [index_passage(by_n[n]) for n in sentence.citations]
        assert not missing_facts(facts, passages, strict=True)[1], sentence.text
    return [s.text for s in opening]


def _cited(answer: Answer, sentence: str) -> str:
    n = int(sentence.rsplit("[", 1)[1].split("]")[0])
    return next(c.chunk.source for c in answer.citations if c.n == n)


def test_how_much_for_one_association_opens_with_its_table_row(layouts_kb) -> None:  # type: ignore[no-untyped-def]
    answer = layouts_kb.ask(
        "Quel montant la Ville a-t-elle attribué à l'association RAIPONCE au titre de la cohésion sociale ?"
    )
    first = _opening(answer)[0]
    assert "RAIPONCE" in first and "3 200 €" in first
    assert _cited(answer, first).endswith("2013-03-25-0000062240.pdf")


def test_who_opens_with_the_name_elected_in_another_passage_of_the_record(layouts_kb) -> None:  # type: ignore[no-untyped-def]
    answer = layouts_kb.ask(
        "Qui représente la Ville au conseil d'administration du PRES Université Montpellier Sud de France ?"
    )
    first = _opening(answer)[0]
    assert first.startswith("Le 22 mai 2014, le conseil municipal de Montpellier a élu : Max LEVITA [")
    passage = next(c.chunk for c in answer.citations if c.n == int(first.rsplit("[", 1)[1][:-2]))
    assert "A été élu" in passage.text  # the passage that holds the decision is the one cited


def test_names_under_a_sub_heading_after_ont_ete_elus(layouts_kb) -> None:  # type: ignore[no-untyped-def]
    answer = layouts_kb.ask(
        "Quels élus représentent la Ville à la commission consultative des services publics locaux ?"
    )
    first = _opening(answer)[0]
    assert "a élu : Patrick RIVAS ; Jean-Marc DI RUGGIERO" in first
    assert "Représentants élus" not in first


def test_the_vote_of_a_compte_rendu_item_is_stated_with_its_counts(layouts_kb) -> None:  # type: ignore[no-untyped-def]
    answer = layouts_kb.ask(
        "Avec quel vote le conseil municipal a-t-il adopté l'engagement de la Ville en faveur des logiciels libres ?"
    )
    first = _opening(answer)[0]
    assert first.startswith(
        "Le 7 février 2011, le conseil municipal de Montpellier a délibéré sur "
        "« Engagement de la Ville en faveur des Logiciels Libres » (unanimité : 51 pour, 7 abstentions) ["
    )


def test_dev_gold_uses_no_document_of_the_other_gold_sets_nor_of_the_demo_corpus() -> None:
    seen = {
        PurePosixPath(d["path"]).name
        for name in ("gold.jsonl", "gold_demo.jsonl", "gold_decisions_unseen.jsonl")
        for q in load_gold(REPO / "benchmarks" / name)
        for d in q.gold_docs
    }
    seen |= {p.name for p in DATA.rglob("*.pdf")}
    dev = {PurePosixPath(d["path"]).name for q in load_gold(DEV) for d in q.gold_docs}
    assert len(load_gold(DEV)) >= 25 and dev and not dev & seen
    assert all(json.loads(line)["key_facts"] or json.loads(line)["key_facts_any"] for line in DEV.open())


@pytest.mark.slow  # reads 15 PDFs with pypdf
def test_dev_gold_evidence_and_key_facts_are_on_the_cited_pages() -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "check_gold.py"), str(DEV), str(SHARED_CORPUS)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "28 pass, 0 fail" in result.stdout
