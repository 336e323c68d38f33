"""Items of a compte rendu whose rapporteur's name stands in a column before the item number, written
without a dot ("Philippe SAUREL 2 Pôle d'Echanges ..."): each item is its own record with its own vote
(session 20; before, every vote of the Montpellier compte rendu of 9 May 2011 was filed under item 1)."""

from __future__ import annotations

import re

import pytest

from ingest.deliberations import split_deliberations
from rag.schema import Page
from tests.conftest import SHARED_CORPUS
from tests.ingest.test_deliberations import pdf_pages

CR = SHARED_CORPUS / "deliberations" / "montpellier" / "comptes_rendus" / "CR_CM_09_05_2011.pdf"


@pytest.mark.skipif(not CR.is_file(), reason="../shared/corpus is not present")
def test_items_numbered_without_a_dot_after_the_rapporteur_are_records_of_their_own() -> None:
    records = split_deliberations(pdf_pages(CR), source=CR.name, commune="Montpellier")
    titles = [r.objet or "" for r in records]
    assert len(records) > 60
    assert sum(t.startswith("Plan Déplacements Urbains") for t in titles) == 1
    pem = next(r for r in records if (r.objet or "").startswith("Pôle d'Echanges Multimodal"))
    assert pem.unanimous and pem.rapporteur == "Philippe SAUREL" and "Pour : 59" in pem.text
    pdu = records[0]
    assert "majorité" in (pdu.vote_text or "") and "Contre : 7" in pdu.text and "Pôle d'Echanges" not in pdu.text


CR_DEC = SHARED_CORPUS / "deliberations" / "montpellier" / "comptes_rendus" / "CR_CM_16_12_2011.pdf"


@pytest.mark.skipif(not CR_DEC.is_file(), reason="../shared/corpus is not present")
def test_a_lost_item_number_does_not_file_the_following_items_under_the_previous_one() -> None:
    """Session 23: in the compte rendu of 16 December 2011 one item's heading is not read; before, the 59
    following votes were all filed under the item before it."""
    records = split_deliberations(pdf_pages(CR_DEC), source=CR_DEC.name, commune="Montpellier")
    sections = [(r.objet or "").split(" : ")[0] for r in records]
    assert max(sections.count(s) for s in set(sections)) <= 3
    budget = records[0]
    assert budget.objet and budget.objet.startswith("Exercice 2012 - Budget Primitif 2012")
    assert (budget.pour, budget.contre, budget.abstention, budget.unanimous) == (46, 7, 2, False)


@pytest.mark.skipif(not CR.is_file(), reason="../shared/corpus is not present")
def test_votes_whose_items_were_not_read_are_records_titled_by_their_own_lines() -> None:
    """A scanned table read by OCR gives the rapporteurs and the item numbers apart from the titles (the
    Montpellier scans of 2011): the compte rendu of 9 May 2011 without its "Name N" prefixes, as OCR gives
    it (all but the first, which the scans kept), still has one record per vote, titled by its own lines, not
    by the first item's title."""
    pages = pdf_pages(CR)
    prefix = re.compile(r"^(?:[A-ZÀ-Ý][\w'’-]+\s+){1,3}\d{1,2}\.?\s+(?=[A-ZÀ-Ý«])", re.MULTILINE)
    stripped = [
        Page(prefix.sub("", page.text) if page.page_number > 1 else page.text, page.page_number) for page in pages
    ]
    records = split_deliberations(stripped, source=CR.name, commune="Montpellier")
    assert len(records) > 60
    titles = [r.objet or "" for r in records]
    assert sum(t.startswith("Plan Déplacements Urbains") for t in titles) == 1  # not a prefix of the others
    pem = next(r for r in records if "Pôle d'Echanges Multimodal" in (r.objet or ""))
    assert pem.unanimous and pem.pour == 59 and "Plan Déplacements" not in (pem.text or "")
    assert not [t for t in titles if re.search(r"s[ée]ance|procuration|^Pour\b", t)]
