"""Found on session 24's decision set once measured blind (docs/EVALUATION.md, session 24): a table row of a
deliberation is on the topic its opening names, in another passage of the record (rag.refusal.on_topic); a name
glued to its number ("OCCE34") is the question's "OCCE 34" (rag.refusal.vocabulary, _numbers_met, the unknown-names
signal); "quels sont les cinq délégués" asks for persons (rag.question.answer_type). Passages are copied from the
documents' text layer (`pdftotext`)."""

from __future__ import annotations

from rag import schema
from rag.decision import extract_decision
from rag.question import AMOUNT, OTHER, PERSON, answer_type, awarded, gives_asked
from rag.refusal import _numbers_met, cited_reason, on_topic, relevance_signals, vocabulary
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import Facets, parse_scope

# montpellier/pdfs/2013-03-25-0000062242.pdf, p. 1: the record's opening names the topic ...
SPORTS_OPENING = """PARTENARIAT VILLE DE MONTPELLIER / ASSOCIATIONS
SPORTIVES
Attribution de subventions
Exercice 2013
Patrick VIGNAL rapporte :
Les acteurs associatifs proposent de mettre en place des actions dans le but de promouvoir l’accès à toutes les
disciplines sportives aux jeunes montpelliérains pendant les vacances scolaires"""
# ... p. 2: its table's rows name only the association and the amount
SPORTS_ROW = """Code
Asso Noms Associations Nature Montant
2831 Aéroclub de l'Hérault Languedoc Roussillon P 3 000 €"""
# montpellier/pdfs/2014-05-22-0000072187.pdf, p. 2: the OCCE's rows, its acronym glued to the department's number
OCCE_ROWS = """551
OFFICE CENTRAL DE LA
COOPERATION A L'ECOLE
DE L'HERAULT (OCCE34)
P Classes découvertes 152 889 €"""


def _hit(text: str, *, doc: str, record: int | None = 0) -> ScoredChunk:
    meta = {schema.DOC_ID: doc, schema.COMMUNE: "Montpellier", schema.TITLE: "", schema.KIND: schema.KIND_DELIBERATION}
    if record is not None:
        meta[schema.RECORD_INDEX] = record
    return ScoredChunk(Chunk(id=f"c-{hash(text)}", text=text, meta=meta), 1.0)


def _rare(stem: str) -> float:
    return 1.0 if stem in {"vill", "montpelli", "conseil", "municipal"} else 5.0


QUESTION = (
    "Quelle subvention la Ville de Montpellier a-t-elle accordée à l'Aéroclub de l'Hérault pour les stages sportifs "
    "des vacances 2013 ?"
)


def test_a_row_is_on_the_topic_its_record_s_opening_names() -> None:
    opening, row = _hit(SPORTS_OPENING, doc="d62242"), _hit(SPORTS_ROW, doc="d62242")
    assert row in on_topic(QUESTION, [opening, row], _rare, set())


def test_a_row_of_another_record_or_document_is_not() -> None:
    opening = _hit(SPORTS_OPENING, doc="d62242", record=0)
    for row in (_hit(SPORTS_ROW, doc="d62242", record=1), _hit(SPORTS_ROW, doc="other")):
        assert row not in on_topic(QUESTION, [opening, row], _rare, set())


def test_a_name_glued_to_its_number_is_the_question_s() -> None:
    assert {"occe", "occe34"} <= vocabulary(OCCE_ROWS)
    assert "herault" in vocabulary(OCCE_ROWS)
    question = "Combien l'OCCE 34 a-t-il reçu pour les classes découvertes ?"
    assert _numbers_met(question, [_hit(OCCE_ROWS, doc="d72187")], _rare, set())
    # another department's office is not this one
    assert not _numbers_met(question, [_hit(OCCE_ROWS.replace("OCCE34", "OCCE30"), doc="d")], _rare, set())


def test_the_glued_name_is_no_unknown_name() -> None:
    """The lexical index knows only "occe34": "OCCE" alone has the idf of an unseen word, yet a retrieved
    passage writes it."""

    def idf(stem: str) -> float:
        return 12.0 if stem == "occe" else 1.0

    question = "Combien l'OCCE 34 a-t-il reçu pour les classes découvertes ?"
    retrieval = Retrieval(hits=[_hit(OCCE_ROWS, doc="d72187")], best_dense=0.9, exact_articles=[], query_vector=None)
    assert relevance_signals(question, retrieval, idf)["unknown_names"] == 0
    elsewhere = Retrieval(hits=[_hit(SPORTS_ROW, doc="d62242")], best_dense=0.9, exact_articles=[], query_vector=None)
    assert relevance_signals(question, elsewhere, idf)["unknown_names"] == 1


def test_a_count_before_the_persons_asked_for() -> None:
    assert answer_type("Quels sont les cinq délégués de la Ville au conseil d'administration de la SERM ?") == PERSON
    assert answer_type("Quels sont les 3 représentants de la commune ?") == PERSON
    assert answer_type("Quelles sont les cinq communes du syndicat ?") == OTHER
    assert answer_type("Quels sont les tarifs ?") == AMOUNT


# montpellier/pdfs/2013-03-25-0000062232.pdf, p. 1: a price paid in 2007, recalled by a sale of 2013
MAURIN_2013 = """La Ville est propriétaire de trois parcelles de terrain nu sise 19, 21 bis et 23 avenue de Maurin, cadastrées
section EX n° 690, 692 et 694.
La Ville a acquis ces biens auprès de la Communauté d'Agglomération en novembre 2007 pour un montant de 60 000 €,
dans le cadre de la réalisation de la deuxième ligne de tramway."""
# montpellier/pdfs/2013-02-04-0000061125.pdf, p. 2: the lots' table
BOXE_ROWS = """LOTS ENTREPRISES RETENUES OBSERVATIONS NOM Montant du Marché € HT
Lot 5 - cloisons-plafonds MIDI PLAFOND 23 368,50
Lot 6 - menuiserie intérieures ATELIER DUCROT 15 545,00 Après négociation"""


def test_a_year_asked_may_be_written_in_a_date() -> None:
    question = "Combien la Ville avait-elle payé en 2007 pour acquérir les parcelles avenue de Maurin ?"
    assert _numbers_met(question, [_hit(MAURIN_2013, doc="d62232")], _rare, set())
    other = question.replace("2007", "2009")
    assert not _numbers_met(other, [_hit(MAURIN_2013, doc="d62232")], _rare, set())


def test_the_pluperfect_dates_an_event_not_a_seance() -> None:
    facets = Facets(communes={"montpellier": "Montpellier"}, dates={"2013-03-25", "2014-05-22"})
    recalled = parse_scope("Combien la Ville avait-elle payé en 2007 pour acquérir les parcelles ?", facets)
    assert recalled.years == () and not recalled.missing_label()
    decided = parse_scope("Combien la Ville a-t-elle payé en 2007 pour acquérir les parcelles ?", facets)
    assert decided.years == (2007,) and decided.missing_label() == "de 2007"


def test_a_company_answers_who_was_awarded_a_lot() -> None:
    question = "Qui a remporté le lot menuiseries intérieures de la salle de boxe Jean Farré ?"
    row = BOXE_ROWS.splitlines()[2]
    assert awarded(question) and gives_asked(question, PERSON, row)
    assert not gives_asked("Qui a signé la convention de la salle de boxe ?", PERSON, row)


# montpellier/pdfs/2013-03-25-0000062242.pdf, p. 1: one of the ASPTT's sections
ASPTT_ROW = "2139 ASPTT Montpellier (basket) P 2 000 €"


def _cited_reason(question: str, text: str) -> str | None:
    chunk = _hit(text, doc="d62242").chunk
    retrieval = Retrieval(hits=[ScoredChunk(chunk, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    sentences = [AnswerSentence(text=f"Le document cité précise : « {text} » [1].", citations=[1])]
    return cited_reason(question, retrieval, sentences, [Citation(n=1, chunk=chunk, quote=text)], _rare)


def test_a_section_after_a_possessive_is_what_is_asked() -> None:
    """ "sa section rugby": the basket section's row does not answer; the row naming the section asked does, though
    it writes the section by its qualifier alone ("(basket)")."""
    rugby = "Quelle subvention l'ASPTT Montpellier a-t-elle reçue pour sa section rugby ?"
    assert _cited_reason(rugby, ASPTT_ROW) == "topic"
    assert _cited_reason(rugby.replace("rugby", "basket"), ASPTT_ROW) is None


# montpellier/pdfs/2014-04-24-0000071303.pdf, p. 1-2: the prefecture's stamp printed between "Ont été élus :" and the names
SERM_2014 = """Il est donc proposé au Conseil municipal :
- de désigner les nouveaux représentants dans cette instance.
Ont été élus :
Accusé de réception – Ministère de l’intérieur
Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
28/04/2014
28/04/2014
034-213401722-20140424-0000071303-DE
Au Conseil d’Administration :
- Max LEVITA
-  Fabrice PALAU
-  Sauveur TORTORICI
-  Pascal KRYZANSKI
- Patricia MIRALLES
A l’Assemblée Générale :
- Max LEVITA
Le Conseil Adopte."""


def test_the_names_elected_go_on_under_the_prefecture_s_stamp() -> None:
    elected = next(p for p in extract_decision(SERM_2014).provisions if p.sentence.startswith("Ont été élus"))
    assert elected.rows[:5] == [
        "Max LEVITA",
        "Fabrice PALAU",
        "Sauveur TORTORICI",
        "Pascal KRYZANSKI",
        "Patricia MIRALLES",
    ]
    assert not any("Préfecture" in row or "2014" in row for row in elected.rows)
    # a stamp after which no list goes on is no part of the decision's rows
    cut = SERM_2014.split("Au Conseil")[0] + "Le Conseil Adopte."
    assert next(p for p in extract_decision(cut).provisions if p.sentence.startswith("Ont été élus")).rows == []
