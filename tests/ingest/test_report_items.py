"""Items of a compte rendu whose rapporteur's name stands in a column before the item number, written
without a dot ("Philippe SAUREL 2 Pôle d'Echanges ..."): each item is its own record with its own vote
(session 20; before, every vote of the Montpellier compte rendu of 9 May 2011 was filed under item 1)."""

from __future__ import annotations

import pytest

from ingest.deliberations import split_deliberations
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
