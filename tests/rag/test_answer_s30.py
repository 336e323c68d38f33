"""Answers fixed after reading the dev half of the tenth blind set (session 30): the reporter named at the end of the
record's title line, and the things a quote names by a demonstrative only. On the text of Montpellier deliberations
2013/135 (the civil-service access programme) and 2013/270 (the BIAU land) as pypdf reads them."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _Candidate, _passage_sentences, _referents, _reporter
from rag.lead import lead_sentences
from rag.question import reporter_part
from rag.retrieve import Retrieval
from rag.schema import Chunk, Citation
from tests.rag.record_store import document_store

PROGRAMME = (
    "Approbation du programme pluriannuel d'accès à l'emploi titulaire \nSerge FLEURENCE rapporte : \nLa loi n° "
    "2012-347 du 12 mars 2012 (titre 1 – chapitre 2) relative à l'accès à l'emploi titulaire et à l'amélioration \n"
    "des conditions d'emploi des agents contractuels dans la fonction publique."
)
JOINED = "Approbation du programme pluriannuel d'accès à l'emploi titulaire Serge FLEURENCE rapporte :"
BIAU = (
    "Monsieur Dominique BIAU est propriétaire d'une villa avec terrain attenant sise 168 impasse d'Arcole et \n"
    "cadastrée section CR n° 105 qu'il souhaite vendre. \n \nCette propriété est située entre le parc municipal des "
    "Pastourelles et le plateau sportif de la Pompignane.  \n \nLa mise en vente de ce bien a été l'occasion d'étudier "
    "la possibilité de réaliser un chemin piéton entre ces deux \néquipements publics et plus généralement de relier "
    "le parc au centre du quartier de la Pompignane."
)


def test_the_reporter_named_after_the_title(tmp_path: Path, embedding_cache: Path) -> None:
    """The title and "Serge FLEURENCE rapporte :" are read as one sentence: the line is still the reporter's, and the
    opening quotes the reporter's part."""
    assert reporter_part(JOINED) == "Serge FLEURENCE rapporte :"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-03-25-0000062246.pdf",
        [PROGRAMME],
        [1],
        schema.KIND_DELIBERATION,
        [0],
        date="2013-03-25",
    )
    retrieval = Retrieval(hits=hits, best_dense=1.0, exact_articles=[], query_vector=None)
    found = _reporter([], retrieval, store)
    assert [c.sentence for c in found] == [JOINED]
    question = "Quel élu a présenté au conseil du 25 mars 2013 le programme pluriannuel d'accès à l'emploi titulaire ?"
    chunk = Chunk("c", PROGRAMME, {schema.KIND: schema.KIND_DOCUMENT, schema.SOURCE: "2013-03-25-0000062246.pdf"})
    lead = lead_sentences(question, [Citation(n=1, chunk=chunk, quote=JOINED)])
    assert lead and lead[0].text == "Le document cité précise : « Serge FLEURENCE rapporte » [1]."


def test_things_named_by_a_demonstrative_are_read_before(tmp_path: Path, embedding_cache: Path) -> None:
    """ "entre ces deux équipements publics": the sentence before says which ones."""
    hits, store = document_store(
        tmp_path, embedding_cache, "deliberations/montpellier/pdfs/2013-06-17-0000064294.pdf", [BIAU], [1]
    )
    retrieval = Retrieval(hits=hits, best_dense=1.0, exact_articles=[], query_vector=None)
    position, quoted, _ = next(s for s in _passage_sentences(hits[0].chunk) if "ces deux" in s[1])
    picked = [_Candidate(0, quoted, 0.5, position, True)]
    found = _referents("Le nouveau chemin piéton de la Pompignane va relier quels équipements ?", picked, retrieval)
    assert [c.position for c in found] == [position - 1] and "Pastourelles" in found[0].sentence
    # a question about something else reads nothing more
    assert _referents("Quelle est la surface du terrain ?", picked, retrieval) == []
