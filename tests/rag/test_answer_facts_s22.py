"""Session 22 (issue 15): the answer states the fact on layouts no rule was written for. Each behaviour is checked
on text copied from the corpus (Montpellier comptes rendus and deliberations, a Flaux note de synthèse): vote
counts split from their labels under "les votes ont été les suivants :", an item's outcome line ("Le Conseil
prend acte."), a seat that announces its list of names, the names of a whole list elected, a yes/no question,
and the decision that follows the "Considérant" in the next passage of a document not split into records."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag import schema
from rag.lead import decision_sentence, lead_sentences
from rag.question import AMOUNT, DECISION, ORGANISATION, OTHER, PERSON, answer_type, gives
from rag.rows import continuation, designated, operative_passage, row_block, unit_in_header
from rag.schema import Chunk, Citation, Document, ScoredChunk
from rag.settings import Settings
from rag.store import ChromaStore, doc_id_for
from rag.text import sentences

# CR_CM_07_11_2011.doc (Montpellier compte rendu, Word), item 30: the counts are on the lines under their labels.
FLUX_ITEM = """Max LEVITA | 30 | Attribution de subvention et ajustement d'une cotisation
Concernant la subvention à l’association de promotion des flux touristiques et économiques, les votes ont été les suivants :
Pour : 46
Contre : 7
Abstention : 4
Adopté à la majorité.
Concernant les autres subventions mises au vote, elles sont adoptées à l’unanimité.
Pour : 57
Actions solidaires"""
# The same compte rendu, item 1: a title and its outcome, no count.
DOB_ITEM = """Max LEVITA | 1 | Débat d'orientation budgétaire 2012
Le Conseil prend acte.
Max LEVITA | 2 | Budget supplémentaire 2011"""


def test_vote_counts_under_their_labels_complete_the_sentence_announcing_them() -> None:
    split = sentences(FLUX_ITEM)
    # each label stays with its count (session 40: "Votants :" / "30 — Pour : 30" was cut at the label)
    assert split[1:4] == ["Pour : 46", "Contre : 7", "Abstention : 4"]
    assert continuation(split[0], split[1:]) == ["Pour : 46", "Contre : 7", "Abstention : 4", "Adopté à la majorité."]


def test_an_items_outcome_line_completes_its_title() -> None:
    split = sentences(DOB_ITEM)
    assert continuation(split[0], split[1:]) == ["Le Conseil prend acte."]
    # The next item's title is no outcome.
    assert continuation(split[1], split[2:]) == []


# 2013-02-04-0000061105.pdf (Montpellier 2013/16, Cinemed): a seat announces its list of names.
CINEMED_LINES = [
    "désignées par la ville de Montpellier.",
    "Les 3 représentants de la Ville de Montpellier sont :",
    "- Philippe SAUREL",
    "-Agnés BOYER",
    "- Michel PASSET",
    "Les 3 personnalités qualifiées et désignées par la Ville de Montpellier sont :",
    "- Sophie MENENTEAU",
    "-Patrick BEDOS",
    "- Nathalie COMBE",
    "En conséquence, il est proposé au Conseil Municipal :",
]


def test_a_seat_announcing_its_names_is_quoted_with_the_whole_list() -> None:
    block = row_block(CINEMED_LINES, 2)
    assert (
        block == "Les 3 représentants de la Ville de Montpellier sont : - Philippe SAUREL -Agnés BOYER - Michel PASSET"
    )
    assert designated(block)
    # A row deeper in the list keeps the earlier rule (heading and the rows around it), never the next list.
    assert "MENENTEAU" not in row_block(CINEMED_LINES, 3)


def test_madame_le_maire_is_an_office_not_a_person_designated() -> None:
    authorise = (
        "d’autoriser Madame Le Maire, ou à défaut l’Adjoint délégué, à signer tous documents relatifs à cette affaire."
    )
    assert not designated(authorise)
    assert designated("Représentant du Maire : Max LEVITA")
    assert designated("- Monsieur Philippe SAUREL, Maire")


# 2014-04-24-0000071246.pdf (Montpellier 2014/143): eight members of the council elected to the CCAS.
CCAS_TEXT = """Il convient de procéder à la désignation de ces représentants.
Ont été élus :
- Patricia MIRALLES
- Samira SALOMON
- Jérémie MALEK
- Rémi ASSIE
- Nicole LIZA
- Khanthaly PHOUTTHASANG
- Clare HART
- Nancy CANAUD
Le Conseil Adopte."""


def test_who_was_elected_names_the_whole_list_in_the_opening() -> None:
    meta = {
        schema.SOURCE: "2014-04-24-0000071246.pdf",
        schema.KIND: schema.KIND_DELIBERATION,
        schema.DATE: "2014-04-24",
        schema.COMMUNE: "Montpellier",
        schema.OBJET: "Centre Communal d'Action Sociale - Election des membres du Conseil d'Administration",
    }
    citation = Citation(n=1, chunk=Chunk(id="c1", text=CCAS_TEXT, meta=meta), quote="Ont été élus :")
    question = "Qui sont les membres du conseil municipal élus au conseil d'administration du CCAS de Montpellier en avril 2014 ?"
    assert answer_type(question) == PERSON
    sentence = decision_sentence(question, citation) or ""
    assert "Patricia MIRALLES" in sentence and "Nancy CANAUD" in sentence, sentence
    assert sentence.count(";") == 7  # all eight, each checked on the passage


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        (
            "Flaux reste-t-il adhérent au service commun d'instruction des autorisations d'urbanisme du Pays d'Uzès ?",
            DECISION,
        ),
        ("La servitude de passage accordée à la société BRL est-elle payante ?", DECISION),
        ("Est-ce que le préfet peut dissoudre un conseil municipal qui ne fonctionne plus ?", DECISION),
        # An inverted verb after a question word asks that word's fact, not yes or no ("quelle société" asks
        # for a company's name: session 22's second pass types it).
        (
            "Avec quelle société le conseil municipal de Flaux a-t-il résilié le contrat de maintenance informatique ?",
            ORGANISATION,
        ),
        ("À qui la Ville de Montpellier a-t-elle vendu la Chapelle de la Visitation ?", OTHER),
        ("Combien de postes de rédacteur sont créés au tableau des effectifs ?", "number"),
    ],
)
def test_a_yes_no_question_asks_what_was_decided(question: str, kind: str) -> None:
    assert answer_type(question) == kind


# 20201215-3_-_note_de_synthese.doc (Flaux): the "Considérant" end one passage, the decision opens the next.
CONSIDERANTS = (
    "Considérant que les communes demeurent compétentes en matière d’instruction des actes d’urbanisme et sont"
    " libres d’adhérer à ce service commun.\nConsidérant que la Communauté de Communes Pays d’Uzès a décidé de"
    " renforcer son service pour une meilleure efficacité et assurer plus de compétence à compter du 1er janvier 2021"
)
DECISION_TEXT = (
    "Après en avoir délibéré et à l’unanimité, le Conseil Municipal décide de continuer à adhérer au service commun"
    " d’instruction des autorisations d’urbanisme par convention et autorise Monsieur le Maire à signer la convention."
)


def test_the_decision_after_the_considerants_is_read_from_the_next_passage(
    tmp_path: Path, embedding_cache: Path
) -> None:
    source = "note_de_synthese.doc"
    doc_id = doc_id_for(source)
    chunks = [
        Chunk(f"{doc_id}-{i}", text, {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.CHUNK_INDEX: i,
                                      schema.KIND: schema.KIND_DOCUMENT})
        for i, text in enumerate([CONSIDERANTS, DECISION_TEXT])
    ]  # fmt: skip
    store = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=embedding_cache))
    vectors = np.eye(2, 8, dtype=np.float32)  # the passages' vectors play no part in reading the next passage
    store.write_documents([Document(source, doc_id, "0" * 64, "document", source, chunks)], embeddings=vectors)
    question = "Flaux reste-t-il adhérent au service commun d'instruction des autorisations d'urbanisme ?"
    found = operative_passage(answer_type(question), [ScoredChunk(chunk=chunks[0], score=1.0)], store, question)
    assert found is not None
    passage, sentence = found
    assert passage.chunk.id == chunks[1].id and "décide de continuer à adhérer" in sentence
    # A question about something else finds no decision there, and a passage holding its own decision keeps it.
    other = "Quel est le tarif de l'eau en 2021 ?"
    assert operative_passage(answer_type(other), [ScoredChunk(chunk=chunks[0], score=1.0)], store, other) is None
    assert operative_passage(DECISION, [ScoredChunk(chunk=chunks[1], score=1.0)], store, question) is None


def test_a_person_is_named_not_an_office() -> None:
    # 2013-02-04-0000061105.pdf: the operative part authorises the mayor's office, it names no one designated.
    assert not gives(PERSON, "d’autoriser Madame Le Maire, ou à défaut l’Adjoint délégué, à signer tous documents")
    assert gives(PERSON, "Représentant du Maire : Max LEVITA")
    # 2013-03-25-0000062256.pdf: a list of members that are communes is no list of persons designated.
    assert not designated(
        "Les montants estimatifs HT des commandes des membres du Groupement seront les suivants : - La Commune de"
        " MONTPELLIER sur une estimation annuelle de 550 000 € HT/an,"
    )


def test_a_table_row_whose_unit_is_in_the_header_gives_an_amount() -> None:
    # 2014-05-22-0000072216.pdf: "Montant en €" heads the column; the rows hold bare sums.
    assert unit_in_header(AMOUNT, "4974 LANGUEDOC ROUSSILLON CINEMA Fonctionnement 9 000")
    assert not unit_in_header(AMOUNT, "Attribution de subventions aux associations culturelles Exercice 2014")
    assert not unit_in_header(PERSON, "4974 LANGUEDOC ROUSSILLON CINEMA Fonctionnement 9 000")


def test_the_opening_names_the_seat_and_its_list() -> None:
    quote = "Les 3 représentants de la Ville de Montpellier sont : - Philippe SAUREL -Agnés BOYER - Michel PASSET"
    meta = {schema.SOURCE: "2013-02-04-0000061105.pdf", schema.KIND: schema.KIND_DOCUMENT}
    citation = Citation(n=1, chunk=Chunk(id="c1", text="\n".join(CINEMED_LINES), meta=meta), quote=quote)
    question = "Qui sont les trois représentants de la Ville au conseil d'administration du Cinemed ?"
    lead = lead_sentences(question, [citation])
    assert lead and quote in lead[0].text, lead


# 2014-05-22-0000072216.pdf (Montpellier 2014/196): the column "Montant" holds bare sums.
CINEMA_TABLE = """Après examen des dossiers, il est proposé l’attribution des subventions aux 6 associations figurant dans le
tableau ci-après pour un montant total de 26 500 € au titre de l’exercice 2014.
Code
association Nom association Nature Montant
ARTS PLASTIQUES
771 CHAMP LIBRE Projet 10 000
ARTS VISUELS ET MEDIAS
867 CELLANOVA.ORG Projet 1 500
4974 LANGUEDOC ROUSSILLON CINEMA Fonctionnement 9 000
5171 ALETHEIA Fonctionnement 1 500"""


def test_how_much_opens_with_the_row_of_a_table_whose_unit_is_in_its_header() -> None:
    total = (
        "Après examen des dossiers, il est proposé l’attribution des subventions aux 6 associations figurant dans le"
        " tableau ci-après pour un montant total de 26 500 € au titre de l’exercice 2014."
    )
    row = "4974 LANGUEDOC ROUSSILLON CINEMA Fonctionnement 9 000"
    meta = {schema.SOURCE: "2014-05-22-0000072216.pdf", schema.KIND: schema.KIND_DOCUMENT}
    citation = Citation(n=1, chunk=Chunk(id="c1", text=CINEMA_TABLE, meta=meta), quote=f"{total} […] {row}")
    lead = lead_sentences(
        "Combien l'association Languedoc Roussillon Cinéma reçoit-elle de la Ville en 2014 ?", [citation]
    )
    assert any(row in s.text for s in lead), lead


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # "quel" + copula + the noun: the noun says what is asked, as in "quelle valeur", "quels délégués"
        ("Quelle est la valeur locative annuelle du local à vélos mis gratuitement à disposition du CROUS ?", AMOUNT),
        ("Quels sont les délégués titulaires de Flaux au Syndicat Mixte d'Electricité du Gard (SMEG) ?", PERSON),
        ("Quel a été le résultat du vote sur la convention de partenariat avec la librairie Sauramps ?", "vote"),
        ("Quelle est la durée du contrat d'assurance contre les risques statutaires ?", "duration"),
        ("À quelle hauteur la Ville garantit-elle les emprunts de la SERM ?", AMOUNT),
        # an estimate is a sum (session 25: "20 000 € HT/an" answers it)
        ("Quelle est l'estimation annuelle des achats de carburant de la commune de Grabels ?", AMOUNT),
        # a noun that names no kind of value keeps the question untyped
        ("Quelle est l'adresse du local mis à disposition du CROUS ?", OTHER),
    ],
)
def test_what_is_asked_after_quel_est_le(question: str, kind: str) -> None:
    assert answer_type(question) == kind
