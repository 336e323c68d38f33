"""Session 38: a number is shared with a line only in the same unit, everyday words of the s37 misses, "à l'unité",
a value stated as changed tells the answer only among the lines of the topic asked."""

from __future__ import annotations

from rag import schema
from rag.french import fold
from rag.lead import _typed_quote, with_list_rest
from rag.question import AMOUNT, rank
from rag.records import vote_label, written_vote_label
from rag.refusal import key_nouns
from rag.schema import Chunk, Citation, DeliberationRecord
from rag.scope import YEAR_RE, Facets, parse_scope
from rag.text import tokens
from rag.thesaurus import synonyms_by_stem


def test_a_number_of_the_question_is_shared_only_in_the_same_unit() -> None:
    question = "J'ai 30 ans et je prends le bus : combien me coûtera l'abonnement au mois en 2026 ?"
    rate = "SOLLICITE l'aide de l'État au titre de l'appel à projets « bus à faibles émissions » au taux de 30 %"
    row = "Pass mensuel 26 à 30 ans 36,00 € 38,00 €"
    assert rank(question, rate)[2] == 1.0  # "bus" only: "30 %" is no "30 ans"
    assert rank(question, row)[2] == 2.0  # "30" and "ans", as asked
    assert rank("Le lot 30 ?", "lot 30")[2] == 2.0  # a number with no unit is a number


def test_everyday_words_of_the_s37_misses_count_as_the_minutes_words() -> None:
    groups = synonyms_by_stem("Combien les parents paieront-ils, et combien par vache ? Qui sont les chauffeurs ?")
    assert set(tokens("familles")) <= groups[tokens("parents")[0]]
    assert set(tokens("bovin")) <= groups[tokens("vache")[0]]
    assert set(tokens("conducteurs")) <= groups[tokens("chauffeurs")[0]]


def test_a_ticket_a_l_unite_names_no_topic_of_its_own() -> None:
    assert key_nouns("Combien coûtera un ticket de bus à l'unité ?") == tokens("ticket")  # (not "unité")


def test_a_value_stated_as_changed_does_not_outrank_the_line_of_the_topic_asked() -> None:
    snow = Chunk(
        "a",
        "Le comité décide de prendre en charge 115 € par élève, la participation des familles étant fixée à 160 € par "
        "enfant ; pour les familles dont le quotient familial est inférieur ou égal à 700 €, la participation est "
        "ramenée à 120 €.",
        {schema.RECORD_INDEX: 2, schema.TITLE: "Classe de neige des CM1-CM2"},
    )
    books = Chunk(
        "b",
        "Le comité approuve l'achat de 25 dictionnaires à 18,90 € l'unité, soit quatre cent soixante-douze euros et "
        "cinquante centimes (472,50 €).",
        {schema.RECORD_INDEX: 5, schema.TITLE: "Dictionnaires offerts aux élèves de CM2"},
    )
    citations = [Citation(n=1, chunk=books, quote=books.text), Citation(n=2, chunk=snow, quote=snow.text)]
    question = "Combien la caisse des écoles dépense-t-elle pour les dictionnaires des CM2 ?"
    found = _typed_quote(question, AMOUNT, citations, lambda token: 1.0)
    assert found and "472,50 €" in found[0].text and found[0].citations == [1]


def test_a_designations_rows_are_quoted_down_to_the_next_body() -> None:
    passage = (
        "désigne à l'unanimité des vingt et un votants :\n"
        "Commission locale de l'eau (CLE) – 3 titulaires et 3 suppléants\n"
        "Titulaire : Mme Solène BRIVADEAU\nTitulaire : M. Patrice LOUVANDRE\nSuppléante : Mme Noëlle GARANCHE\n"
        "Commission d'appel d'offres – présidée de droit par la présidente\nTitulaire : M. Ludovic FAUCHEREAU\n"
    )
    part = "Commission locale de l'eau (CLE) – 3 titulaires et 3 suppléants Titulaire : Mme Solène BRIVADEAU"
    quoted = with_list_rest(part, passage)
    assert quoted.endswith("Titulaire : M. Patrice LOUVANDRE Suppléante : Mme Noëlle GARANCHE")
    assert "FAUCHEREAU" not in quoted and "appel d'offres" not in quoted


def test_a_programme_named_with_a_year_restricts_no_period() -> None:
    assert YEAR_RE.findall(fold("Qui siège au comité Natura 2000 des prairies humides en 2024 ?")) == ["2024"]


def test_a_vote_written_in_words_is_stated_in_the_documents_words() -> None:
    record = DeliberationRecord(
        source="x.pdf",
        pour=5,
        contre=14,
        abstention=2,
        outcome="rejected",
        vote_text="cinq voix pour, quatorze contre et deux abstentions",
    )
    assert (
        written_vote_label(record, vote_label(record)) == "rejeté : cinq voix pour, quatorze contre et deux abstentions"
    )
    other = DeliberationRecord(
        source="x.pdf", pour=18, abstention=2, vote_text="par dix-huit voix pour et trois abstentions"
    )
    assert written_vote_label(other, vote_label(other)) is None  # three abstentions written, two read: the counts


def test_a_year_after_every_seance_held_is_when_a_decision_applies() -> None:
    facets = Facets(communes={"brumieres": "Brumières"}, dates={"2024-10-15", "2025-10-14"})
    future = parse_scope("Quelle taxe de séjour pour un hôtel 3 étoiles en 2027 ?", facets)
    assert future.years == () and not future.missing_period  # (the evidence must still write 2027: rag.refusal)
    past = parse_scope("Quelle taxe de séjour pour un hôtel 3 étoiles en 2019 ?", facets)
    assert past.years == (2019,) and past.missing_period
    meeting = parse_scope("Qu'a décidé le conseil en 2027 ?", facets)
    assert meeting.missing_period  # a séance's year: none held
