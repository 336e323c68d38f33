"""Session 27 (issue 15): the value after a change, a list's last item, a sentence cut before its end, a name alone
under a seat's label, yes/no questions read by their predicate, and kinds of answer of two more phrasings. Each
behaviour is checked on the text of real corpus documents as the loader reads them: the OPAH amendments of
2013-02-04-0000061138.pdf, the SERM chairman's age limit of 2014-05-22-0000072120.pdf, the retired equipment of
2013-02-04-0000061121.pdf, the collèges' representatives of 2014-05-22-0000072061.pdf, the rules of procedure of
2014-04-24-0000071254.pdf and the Energie service's agreement of 2014-05-22-0000072192.pdf."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _antecedents, _Candidate, _completed, _passage_sentences, _predicate_stems, _rows_naming
from rag.lead import _naming_records, _typed_quote
from rag.question import (
    AMOUNT,
    DURATION,
    NUMBER,
    answer_type,
    asks_former,
    asks_why,
    asks_yes_no,
    gives_reason,
    new_value,
    predicate,
    states_new,
)
from rag.retrieve import Retrieval
from rag.rows import block_start, continuation, lines_of, sentence_section
from rag.schema import Chunk, Citation, ScoredChunk
from rag.text import sentences
from tests.rag.record_store import document_store


def _retrieval(hits: list[ScoredChunk]) -> Retrieval:
    return Retrieval(hits=list(hits), best_dense=1.0, exact_articles=[], query_vector=None)


# 2013-02-04-0000061138.pdf p. 2 (one passage as the store holds it): two OPAH, each with its new figures.
OPAH = """Les aides réservées aux propriétaires occupants et les primes complémentaires (en faveur des économies d’énergie,
de sortie de vacance ou de travaux dans les parties communes) demeurent identiques.
Cette réorientation du dispositif induit également une modification  des participations financières de l’Anah et de
Montpellier Agglomération: pour l’Anah, le montant prévisionnel des subventions augmente de  1 351 744€ à
1 566 568€ et celui de Montpellier Agglomération augmente de 194 000€ à 218 000€.
La participation de la Ville passe de 394 000€ à 349 000€.
Les plafonds de subventionnement de la Ville pour les travaux dans les parties communes des copropriétés
dégradées (article 3.1 des règlements attributifs de subvention) est homogéneisé avec le plafond des aides pour la
réalisation de travaux de mise aux normes dans les parties communes des immeubles (article 3.4 et 3.6
respectivement des règlements attributifs de subvention des OPAH RU St Guilhem-Laissac-Sud Comédie et
Gambetta, Figuerolles et Nord-Ecusson)
Ainsi les plafonds de 5000€ et 7000€, respectivement pour les OPAH RU St Guilhem-Laissac-Sud Comédie et
Gambetta, Figuerolles et Nord-Ecusson sont ramenés à 4000€."""
SOURCE_OPAH = "deliberations/montpellier/pdfs/2013-02-04-0000061138.pdf"

# 2014-05-22-0000072120.pdf p. 1: the age limit and the one the city agrees to.
SERM_LIMIT = (
    "Néanmoins, les statuts de la SERM prévoient que le Président du Conseil d'administration ne peut être âgé de "
    "plus de 75 ans au moment de sa désignation."
)
SERM_NEW = (
    "La SERM a consulté ses différentes collectivités actionnaires pour obtenir leur accord sur une augmentation de "
    "cette limite d’âge afin qu’elle soit portée à soixante-dix-sept ans."
)


def test_the_value_after_a_change_is_the_one_in_force() -> None:
    for sentence in sentences(OPAH):
        if "passe de" in sentence:
            assert new_value(sentence) == "349 000€."
    assert new_value(SERM_NEW) == "soixante-dix-sept ans."
    assert new_value(SERM_LIMIT) is None  # a limit stated, no change
    question = "Jusqu'à quel âge le président de la SERM pourra-t-il être désigné si les statuts sont modifiés ?"
    assert answer_type(question) == DURATION
    assert states_new(question, DURATION, SERM_NEW) and not states_new(question, DURATION, SERM_LIMIT)
    # the former value asked (an imperfect verb): the change is no better answer than the limit
    former = "Quelle limite d'âge les statuts de la société d'équipement imposaient-ils à son président ?"
    assert asks_former(former) and not states_new(former, DURATION, SERM_NEW)
    # "le nouveau plafond" asks a sum, as "quel plafond" does; the sentence that lowers the ceilings states it
    ceiling = "Quel est le nouveau plafond de l'aide municipale pour les travaux des parties communes ?"
    assert answer_type(ceiling) == AMOUNT
    lowered = next(s for s in sentences(OPAH) if s.startswith("Ainsi"))
    assert states_new(ceiling, AMOUNT, lowered)
    assert not states_new(ceiling, AMOUNT, "Le budget réservé aux associations s’élève à 2000€")  # no change


def test_the_lead_quotes_the_new_value() -> None:
    chunk = Chunk(
        "serm-0",
        f"{SERM_LIMIT}\n{SERM_NEW}",
        {schema.SOURCE: "deliberations/montpellier/pdfs/2014-05-22-0000072120.pdf", schema.KIND: "deliberation"},
    )
    citations = [Citation(n=1, chunk=chunk, quote=f"{SERM_LIMIT} […] {SERM_NEW}")]
    question = "Jusqu'à quel âge le président de la SERM pourra-t-il être désigné si les statuts sont modifiés ?"
    lead = _typed_quote(question, DURATION, citations)
    assert lead and "soixante-dix-sept ans" in lead[0].text


def test_a_sentence_cut_at_a_line_before_a_capital_is_quoted_to_its_end(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = document_store(
        tmp_path, embedding_cache, SOURCE_OPAH, [OPAH], [2], schema.KIND_DELIBERATION, [0], "2013-02-04"
    )
    # a row read on the passage's lines stops at the line's end, before the sentence ends
    cut = (
        "Gambetta, Figuerolles et Nord-Ecusson) Ainsi les plafonds de 5000€ et 7000€, respectivement pour les OPAH RU "
        "St Guilhem-Laissac-Sud Comédie et"
    )
    out = _completed([_Candidate(0, cut, 0.0, 10_000, False)], _retrieval(hits), store)
    assert out[0].sentence.endswith("Gambetta, Figuerolles et Nord-Ecusson sont ramenés à 4000€.")
    # a sentence that ends is left as it is
    whole = "La participation de la Ville passe de 394 000€ à 349 000€."
    assert _completed([_Candidate(0, whole, 0.0, 2, True)], _retrieval(hits), store)[0].sentence == whole


# 2013-02-04-0000061121.pdf p. 1: the announcement ends a passage; the list, ending with a full stop, opens the next.
RETIRED_END = """2) Réforme de mobiliers et de matériels : Direction Travaux Maintenance Action Solidarité
Suite à l’état de vétusté des mobiliers, il convient de réformer ces mobiliers dont la liste est jointe en annexe.
Ces équipements seront donnés à titre gracieux à deux associations :"""
RETIRED_LIST = """- Solidarité France Afrique Caraïbe,
- Plate Forme Humanitaire et de Solidarité de l’Hérault.
3) Réforme de véhicules et matériels : Direction Paysage et Biodiversité"""


def test_a_lists_last_item_ending_with_a_full_stop_is_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    items = continuation(
        "Ces équipements seront donnés à titre gracieux à deux associations :", RETIRED_LIST.splitlines()
    )
    assert items == ["- Solidarité France Afrique Caraïbe,", "- Plate Forme Humanitaire et de Solidarité de l’Hérault."]
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-02-04-0000061121.pdf",
        [RETIRED_END, RETIRED_LIST],
        [1, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
        "2013-02-04",
    )
    announced = _Candidate(0, "Ces équipements seront donnés à titre gracieux à deux associations :", 0.0, 2, True)
    out = _completed([announced], _retrieval(hits[:1]), store)
    assert any("Plate Forme Humanitaire" in c.sentence for c in out)


# 2014-05-22-0000072061.pdf p. 2: seats of collèges, a title cut over two lines, its label, the name under it.
COLLEGES = """Collège Arthur Rimbaud CEVENNES Titulaires :
- Rabii YOUSSOUS
- Sabria BOUALLAGA
Suppléants :
- Rémi ASSIE
- Samira SALOMON
Collège Croix d'Argent CROIX
D’ARGENT
Titulaire :
- Fabrice PALAU
Suppléant :
- Vincent HALUSKA
Collège Marcel Pagnol CROIX
D’ARGENT
Titulaire :
- Fabrice PALAU
Suppléant :
- Vincent HALUSKA
Collège Jeu de Mail HOPITAUX-
FACULTES
Titulaire :
- Nicole LIZA"""


def test_a_name_alone_under_a_seat_is_quoted_with_its_block(tmp_path: Path, embedding_cache: Path) -> None:
    lines = COLLEGES.splitlines()
    assert block_start(lines, lines.index("- Fabrice PALAU")) == lines.index("Collège Croix d'Argent CROIX")
    assert block_start(lines, 2) == 0  # the title and its label on one line, over two names
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072061.pdf",
        [COLLEGES],
        [2],
        schema.KIND_DELIBERATION,
        [0],
        "2014-05-22",
    )
    assert lines_of(hits[0])[6:10] == lines[6:10]
    question = "Dans quels collèges Fabrice Palau siège-t-il comme titulaire depuis mai 2014 ?"
    found = [c.sentence for c in _rows_naming(question, [], _retrieval(hits), store)]
    assert found == [
        "Collège Croix d'Argent CROIX D’ARGENT Titulaire : - Fabrice PALAU",
        "Collège Marcel Pagnol CROIX D’ARGENT Titulaire : - Fabrice PALAU",
    ]
    # the name opening the question: its first name is no name of question_names, the pair is read all the same
    opening = [
        c.sentence
        for c in _rows_naming("Fabrice Palau est titulaire dans quels collèges ?", [], _retrieval(hits), store)
    ]
    assert opening == found
    assert _rows_naming("Le Palau est-il cité ?", [], _retrieval(hits), store) == []  # an article, no first name


def test_a_yes_no_question_is_read_by_its_predicate() -> None:
    rules = "Le règlement intérieur adopté par la nouvelle équipe municipale de Montpellier parle-t-il des groupes politiques ?"
    assert asks_yes_no(rules) and predicate(rules) == "parle des groupes politiques"
    stems = _predicate_stems(rules)
    assert {"group", "polit"} <= stems and "regl" not in stems  # the subject is what the record is about
    wages = "La ville rembourse-t-elle les salaires des agents de l'Agglo mis à disposition ?"
    assert asks_yes_no(wages) and predicate(wages).startswith("rembourse les salaires")
    assert not asks_yes_no("Dans quels collèges Fabrice Palau siège-t-il comme titulaire ?")


def test_how_many_there_are_is_a_count() -> None:
    question = "Combien y a-t-il de groupes territoriaux de prévention et sécurité à Montpellier, et qui les préside ?"
    assert answer_type(question) == NUMBER
    assert answer_type("Combien y a-t-il d'euros dans l'enveloppe ?") == AMOUNT


# 2013-06-17-0000064278.pdf p. 1: the consequence quoted refers back to its cause ("cette sujétion technique").
ROCKSTORE = """Une étude archéologique a donc été menée en urgence pour définir les zones concernées par la présence de
caveaux. Fait exceptionnel : Il s’avère que c’est toute la surface de la Nef qui est concernée (caveau
individuels)  ainsi que la moitié des collatéraux (voûtes).
Dès lors, le système constructif initialement prévu pour les fondations de la dalle ne pouvait plus être envisagé
du fait de cette sujétion technique imprévue."""


def test_a_reason_pointing_back_is_quoted_with_what_it_points_to() -> None:
    question = "Pourquoi a-t-il fallu changer les fondations de la dalle acoustique du Rockstore ?"
    assert asks_why(question) and not asks_why("Quand les travaux du Rockstore ont-ils commencé ?")
    chunk = Chunk(
        "rockstore-3",
        ROCKSTORE,
        {schema.SOURCE: "deliberations/montpellier/pdfs/2013-06-17-0000064278.pdf", schema.KIND: "deliberation"},
    )
    positions = {text: position for position, text, _ in _passage_sentences(chunk)}
    reason = next(text for text in positions if text.startswith("Dès lors"))
    assert gives_reason(reason)
    quoted = _Candidate(0, reason, 1.0, positions[reason], True)
    found = _antecedents([quoted], _retrieval([ScoredChunk(chunk=chunk, score=1.0)]))
    assert [c.sentence for c in found] == [
        "Il s’avère que c’est toute la surface de la Nef qui est concernée (caveau individuels) ainsi que la moitié "
        "des collatéraux (voûtes)."
    ]
    # a reason that points back to nothing ("en raison des travaux") brings nothing
    plain = _Candidate(0, "Le marché est prolongé en raison des travaux.", 1.0, positions[reason], True)
    assert _antecedents([plain], _retrieval([ScoredChunk(chunk=chunk, score=1.0)])) == []


# 2013-02-04-0000061121.pdf p. 1: two sentences alike, each under its numbered section.
RETIRED_SECTIONS = """1) Réforme de matériels : Direction de l’Espace Public
Suite à l’état de vétusté des matériels, il convient de réformer les matériels ci-dessous.
- 4 Blocs WC année 95/97 de marque MDO
Ces équipements seront donnés à titre gracieux à la TAM.
2) Réforme de mobiliers et de matériels : Direction Travaux Maintenance Action Solidarité
Suite à l’état de vétusté des mobiliers, il convient de réformer ces mobiliers dont la liste est jointe en annexe.
Ces équipements seront donnés à titre gracieux à deux associations :"""


def test_a_sentence_reads_with_the_heading_of_its_section() -> None:
    to_tam = "Ces équipements seront donnés à titre gracieux à la TAM."
    to_associations = "Ces équipements seront donnés à titre gracieux à deux associations :"
    assert sentence_section(RETIRED_SECTIONS, to_tam) == "1) Réforme de matériels : Direction de l’Espace Public"
    assert sentence_section(RETIRED_SECTIONS, to_associations).endswith(
        "Direction Travaux Maintenance Action Solidarité"
    )
    # the heading itself and a text with no numbered section have none above them
    assert sentence_section(RETIRED_SECTIONS, "1) Réforme de matériels : Direction de l’Espace Public") == ""
    assert sentence_section(SERM_NEW, SERM_NEW) == ""


def test_of_several_records_the_lead_lists_those_naming_the_person_asked() -> None:
    montpellier = Chunk(
        "colleges-3",
        COLLEGES,
        {
            schema.SOURCE: "deliberations/montpellier/pdfs/2014-05-22-0000072061.pdf",
            schema.DOC_ID: "m",
            schema.RECORD_INDEX: 0,
        },
    )
    preuilly = Chunk(
        "preuilly-7",
        "Titulaire : M. CHARRIER Jean-Paul Suppléant : Mme STAMFELJ Marie-José",
        {schema.SOURCE: "deliberations/preuilly/PV_CM_2020-07-23.pdf", schema.DOC_ID: "p", schema.RECORD_INDEX: 4},
    )
    citations = [
        Citation(n=1, chunk=montpellier, quote="Collège Marcel Pagnol CROIX D’ARGENT Titulaire : - Fabrice PALAU"),
        Citation(n=2, chunk=montpellier, quote="Collège Arthur Rimbaud CEVENNES Titulaires : - Rabii YOUSSOUS"),
        Citation(n=3, chunk=preuilly, quote=preuilly.text),
    ]
    found = [("2020-07-23", "a désigné comme délégués ...", 3), ("2014-05-22", "a délibéré sur « Collèges ... »", 2)]
    question = "Fabrice Palau est titulaire dans quels collèges ?"
    assert _naming_records(question, found, citations) == [found[1]]  # the name is in another quote of its record
    assert _naming_records("Qui est titulaire ?", found, citations) == found  # no name asked: every record
