"""Session 37: the vote in the document's words, a sentence that runs on past a line holding another verb, a second
part asking another kind of value, bands with no "de", a bank named in title case, a pronoun before an inverted verb,
the questions that ask how a body voted."""

from __future__ import annotations

from rag import schema
from rag.decision import extract_decision
from rag.question import AMOUNT, DURATION, VOTE, answer_type, asks_vote, gives, in_range, question_parts
from rag.records import vote_label, written_vote_label
from rag.refusal import key_nouns, qualifiers
from rag.schema import DeliberationRecord

# EPF du Pays d'Arbèse, 20 February 2025, p. 1 (the operative verb's object runs on over the next line, which holds a
# second verb further on)
TREASURY = """Délibération n° 2025-03 – Ouverture d'une ligne de trésorerie
Après consultation de trois établissements, le conseil d'administration DÉCIDE d'ouvrir auprès de la Banque de l'Arbèse et du
Tréméjac une ligne de trésorerie d'un montant maximum de 2 000 000 € pour une durée de douze mois, indexée sur l'€STR
augmenté d'une marge de 0,45 %, avec une commission d'engagement de 0,10 %, et AUTORISE le président à signer le contrat.
Adoptée à l'unanimité (16 voix)."""

# the same, a card: its decision, then its vote, whose names run over two lines
CARD = """Lagrézière – ancien garage de la route de Tréméjac
Avis du Domaine 205 000 €
Le conseil DÉCIDE d'exercer le droit de préemption et de
proposer au vendeur le prix de 205 000 € ; à défaut d'accord, le
juge de l'expropriation sera saisi.
Vote : 13 pour – 3 contre (M. Xavier GOURDOU, Mme Inès
FALGAYRAC, M. Jérôme MÉJEAN)"""


def test_a_decision_runs_on_over_a_line_that_holds_a_second_verb_further_on() -> None:
    decision = extract_decision(TREASURY)
    assert len(decision.provisions) == 1
    sentence = decision.provisions[0].sentence
    assert "Banque de l'Arbèse et du Tréméjac une ligne de trésorerie" in sentence and "2 000 000 €" in sentence
    assert gives("organisation", sentence)  # "la Banque de l'Arbèse ...": a bank, named in title case


def test_the_vote_is_stated_in_the_documents_words_when_they_give_the_same_counts() -> None:
    rejected = DeliberationRecord(
        source="x.pdf",
        pour=11,
        contre=31,
        abstention=3,
        outcome=schema.OUTCOME_REJECTED,
        vote_text="11 voix pour, 31 voix contre, 3 abstentions – la motion est rejetée",
    )
    assert written_vote_label(rejected, vote_label(rejected)) == rejected.vote_text
    other = DeliberationRecord(source="x.pdf", pour=12, contre=2, vote_text="10 voix pour, 2 voix contre")
    assert written_vote_label(other, vote_label(other)) is None  # counts that differ: the record's are stated
    cut = DeliberationRecord(source="x.pdf", pour=13, contre=3, vote_text="13 pour – 3 contre (M. Xavier GOURDOU, Mme")
    assert written_vote_label(cut, vote_label(cut)) is None


def test_a_vote_under_the_decision_is_its_vote_not_a_second_decision() -> None:
    record = DeliberationRecord(
        source="x.pdf",
        pour=13,
        contre=3,
        outcome=schema.OUTCOME_ADOPTED,
        vote_text="13 pour – 3 contre (M. Xavier GOURDOU, Mme Inès FALGAYRAC, M. Jérôme MÉJEAN)",
    )
    decision = extract_decision(CARD, record)
    assert decision.vote == "13 pour – 3 contre (M. Xavier GOURDOU, Mme Inès FALGAYRAC, M. Jérôme MÉJEAN)"


def test_a_second_part_may_ask_another_kind_of_value() -> None:
    question = "À quel prix l'établissement achète-t-il l'immeuble, et pour combien de temps le garde-t-il ?"
    first, second = question_parts(question)
    assert answer_type(first) == AMOUNT and answer_type(second) == DURATION
    assert "gard" not in key_nouns(question)  # "le garde-t-il": a pronoun and its verb, no noun "garde"


def test_a_band_written_without_de_holds_the_age_asked() -> None:
    assert in_range("30", "pass mensuel 26 a 64 ans 36,00 € 38,00 €", bare=True)
    assert not in_range("20", "pass mensuel 26 a 64 ans 36,00 €", bare=True)
    assert not in_range("10", "entree tarif reduit (4 a 17 ans, etudiants) 2,80 €")  # (to rank rows: "de" bands only)


def test_how_a_body_pronounced_itself_and_who_opposed_ask_its_vote() -> None:
    question = "Comment le conseil portuaire s'est-il prononcé sur les tarifs, et qui s'y est opposé ?"
    assert answer_type(question) == VOTE and asks_vote(question)
    assert asks_vote("Qui s'est opposé à la vente du terrain ?")
    assert not asks_vote("Qui a prononcé le discours ?")


def test_idioms_and_times_are_no_topic_nouns() -> None:
    assert key_nouns("Combien la coopérative de l'école reçoit-elle cette année ?") == ["cooper", "ecol"]
    assert "mond" not in key_nouns("Combien coûte le spectacle, et tout le monde était-il d'accord ?")
    assert "accord" not in key_nouns("Combien coûte le spectacle, et tout le monde était-il d'accord ?")
    assert key_nouns("Peuvent-ils acheter le bout de terrain de la section ?") == ["terrain", "section"]
    assert qualifiers("Le syndicat a-t-il accepté que Gravezon s'en aille ?") == []  # "s'en aille": a verb


def test_statements_a_record_joined_are_stated_by_their_counts() -> None:
    joined = DeliberationRecord(
        source="x.pdf",
        pour=13,
        contre=1,
        vote_text="Par 13 voix POUR – 1 voix CONTRE ; Le Conseil Municipal à l'unanimité",
    )
    assert written_vote_label(joined, vote_label(joined)) is None
