"""Answers fixed after reading the ninth blind set (session 29): a designation's result read from the record's
passage that was not retrieved, and "qui" asked after the question's topic. On the text of
deliberations/montpellier/pdfs/2014-05-22-0000072106.pdf (the city's representative at AMORCE) as the store holds it."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _Candidate, _with_name_lists
from rag.question import PERSON, VOTE, answer_type
from rag.retrieve import Retrieval
from tests.rag.record_store import document_store

AMORCE_TOPIC = """Désignation du représentant de la Ville à l'Assemblée générale de
l'association AMORCE
Monsieur le Maire, Philippe SAUREL, rapporte :
L’association AMORCE traite de toutes les questions en matière technique, juridique, économique, qui
concernent :
- la gestion des déchets municipaux,
- des réseaux de distribution publique de chaleur et de froid,
- la gestion territoriale de l’énergie,
dans une perspective de développement durable."""
AMORCE_RESULT = """En application de l’article 5 de ses statuts et en tant que collectivité adhérente, et suite au renouvellement de
l’assemblée délibérante, la Ville de Montpellier doit désigner son représentant titulaire et son suppléant à
l’Assemblée générale.
Ont été élus :
- Titulaire : Vincent HALUSKA
- Suppléant : Christophe COUR
Le Conseil Adopte."""
AMORCE_TITLE = (
    "Délibération 2014/236 — Désignation du représentant de la Ville à l'Assemblée générale de l'association AMORCE"
)


def test_qui_after_the_topic_asks_who() -> None:
    assert answer_type("Au CLIC Maill'âge, qui remplace le maire au conseil d'administration ?") == PERSON
    assert answer_type("AMORCE : qui vote pour Montpellier à l'assemblée générale, et qui le supplée ?") == PERSON
    assert answer_type("Qui a voté contre la subvention ?") == VOTE
    assert answer_type("Le conseil a-t-il voté pour le projet ?") == VOTE


def test_a_designations_result_is_read_where_the_record_writes_it(tmp_path: Path, embedding_cache: Path) -> None:
    """Only the record's opening was retrieved; its result, in the record's next passage, is quoted."""
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072106.pdf",
        [AMORCE_TOPIC, AMORCE_RESULT],
        [1, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
    )
    for hit in hits:
        hit.chunk.meta[schema.TITLE] = AMORCE_TITLE
    retrieval = Retrieval(hits=[hits[0]], best_dense=1.0, exact_articles=[], query_vector=None)
    question = "AMORCE : qui vote pour Montpellier à l'assemblée générale, et qui le supplée ?"
    picked = [_Candidate(0, "L’association AMORCE traite de toutes les questions en matière technique", 0.0, 1, True)]
    out = _with_name_lists(question, picked, retrieval, store)
    quoted = " ".join(c.sentence for c in out)
    assert "Vincent HALUSKA" in quoted and "Christophe COUR" in quoted
    assert retrieval.hits[out[-1].hit_index].chunk.id == hits[1].chunk.id  # cited from the passage that writes it
