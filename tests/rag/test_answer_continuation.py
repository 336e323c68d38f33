"""A quoted sentence comes with what completes it (issue 15): the list it announces ("... à savoir :",
"les taux suivants :"), the vote lines under an item ("Pour : 52", "Contre : 7"), the labelled rows under
a heading ("Titulaires :", names). Those lines are too short to be quoted alone, yet they hold the fact."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.answer import quote_parts
from rag.rows import continuation
from tests.conftest import REPO

FLAUX_DOC = REPO / "tests" / "data" / "office" / "flaux-cr-2020-07-10.doc"


def test_a_list_announced_by_a_colon_is_kept_up_to_the_next_prose_or_announcement() -> None:
    following = ["Taxe d'habitation", "12.15 %", "Taxe foncière non-bâti", "68.16 %", "Le budget suivant :", "x"]
    assert continuation("Le conseil vote les taux suivants :", following) == following[:4]
    prose = ["Muriel NIGGEL", "Le Maire invite le conseil à procéder à l'élection."]
    assert continuation("à savoir :", prose) == ["Muriel NIGGEL"]
    assert continuation("à savoir :", ["x" * 150]) == []


def test_vote_lines_under_an_item_and_labelled_rows_under_a_heading() -> None:
    votes = ["Pour : 46", "Contre : 7", "Abstention : 2", "Adopté à la majorité.", "2 Dotation de mobilier"]
    assert continuation("1 Exercice 2012 - Budget Primitif 2012", votes) == votes[:4]
    rows = ["Titulaires :", "Denis JUVIN - Jean-Pierre PLUS", "Suppléants :", "Muriel NIGGEL", "Désignation"]
    assert continuation("Syndicat Mixte d'Electricité du Gard (SMEG)", rows) == rows[:4]
    # A sentence of prose is no heading: nothing is added after it but votes.
    assert continuation("Le conseil municipal approuve la convention. " * 4, rows) == []
    assert continuation("Le conseil municipal approuve la convention.", ["Monsieur le Maire informe."]) == []


@pytest.mark.skipif(not FLAUX_DOC.is_file(), reason="test document missing")
def test_names_after_a_colon_are_quoted_with_the_sentence_on_a_real_compte_rendu(
    tmp_path: Path, embedding_cache: Path
) -> None:
    from ingest.pipeline import Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache)
    kb = KnowledgeBase(settings)
    events = list(Ingestor(store=kb.store, settings=settings, commune="Flaux").run(collect_files([FLAUX_DOC])))
    assert not [e for e in events if e.status == "failed"]
    kb.lexical.ensure_fresh()
    answer = kb.ask("Quels conseillers composent le bureau électoral des élections sénatoriales à Flaux ?")
    assert answer.found
    quoted = [c for c in answer.citations if "à savoir :" in c.quote]
    assert quoted, answer.text
    # The names under "à savoir :" are in the same part of the quote, and each part is the passage's text.
    part = next(p for p in quote_parts(quoted[0].quote) if "à savoir :" in p)
    assert "Muriel NIGGEL" in part and "Michel VAILLIES - Jean-Pierre PLUS" in part
    passage = " ".join(quoted[0].chunk.text.split())
    assert all(" ".join(p.split()) in passage for p in quote_parts(quoted[0].quote))


def test_the_passage_gap_mark_is_no_part_of_a_quoted_sentence() -> None:
    """A record's later passage starts with its heading and the gap mark ("heading\\n[…]\\nbody", ingest.deliberations):
    the mark quoted with the sentence, next to the quote's own gap mark, gave "[…] […]" and a quote part that
    is not the passage's text (a citation failing its own precision check)."""
    from rag.answer import _passage_sentences
    from rag.schema import Chunk

    text = (  # the compte rendu of 9 May 2011 (Montpellier), a later vote of its item 1 as a passage
        "Philippe SAUREL 1 Plan Déplacements Urbains de l'Agglomération de Montpellier\n[…]\n"
        "Attribution d’une subvention à l’association CICADE dans le cadre de la commission\n"
        "Droit des femmes – exercice 2011\nPour : 51\nAdopté à l’unanimité"
    )
    chunk = Chunk(id="c1", text=text, meta={"kind": "deliberation"})
    quoted = [sentence for _, sentence, _ in _passage_sentences(chunk)]
    assert quoted and not [s for s in quoted if "[…]" in s]
    joined = " […] ".join(quoted)
    assert all(" ".join(part.split()) in " ".join(text.split()) for part in quote_parts(joined))


def test_a_question_on_the_time_of_day_chooses_the_sentence_with_an_hour() -> None:
    """ "À quelle heure la séance a-t-elle été levée ?" asks for an hour (session 23: it was answered with the
    compte rendu's header, which names the séance but no hour)."""
    from rag.question import HOUR, answer_type, gives

    question = "À quelle heure la séance du conseil municipal du 9 mai 2011 a-t-elle été levée ?"
    assert answer_type(question) == HOUR
    assert answer_type("Combien d'heures hebdomadaires pour le poste d'adjoint technique ?") != HOUR
    # the compte rendu of 9 May 2011 (Montpellier): its header, then its last line
    assert not gives(HOUR, "Compte-rendu du Conseil municipal Séance publique du lundi 9 mai 2011")
    assert gives(HOUR, "Plus rien n’étant à délibérer, la séance est levée à 20h15.")
