"""Answer first, then the evidence: the question's type, and the opening sentences of extractive answers
on the real demo store, every value of which must be on the cited passage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.citations import strip_citations
from rag.facts import extract_facts, index_passage, missing_facts
from rag.question import AMOUNT, DATE, DECISION, DURATION, NUMBER, OTHER, PERSON, VOTE, amounts, answer_type, gives

ROOT = Path(__file__).resolve().parents[2]
INTRO = "Voici ce que disent les documents indexés :"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Combien paie un enfant qui mange occasionnellement à la cantine ?", AMOUNT),
        ("Quel tarif pour le repas adulte ?", AMOUNT),
        ("Quel montant pour la banque alimentaire en 2021 ?", AMOUNT),
        ("Combien coûte la mission de l'archiviste ?", AMOUNT),
        # a number of days or a maximal duration: a duration, answered with its unit (session 21)
        ("Combien de jours avant le conseil la convocation doit-elle partir ?", DURATION),
        ("Combien d'élus représentent Montpellier à la SPLA ?", NUMBER),
        ("Pour quelle durée maximale ?", DURATION),
        ("Qui sont nos délégués au collège ?", PERSON),
        ("Quels élus siègent au conseil d'administration ?", PERSON),
        ("Quand est-ce qu'on bascule en M57 ?", DATE),
        ("À partir de quelle date le tarif s'applique-t-il ?", DATE),
        ("Combien de voix pour la subvention ?", VOTE),
        ("Le conseil a-t-il validé les travaux forestiers ? Avec quel vote ?", VOTE),
        ("Qu'a décidé le conseil sur les éoliennes ?", DECISION),
        ("Que dit l'article L2121-29 ?", OTHER),
        # "a-t-il voté" is the verb of the decision, not a question about the vote (session 20)
        ("Quel taux de taxe foncière sur le non-bâti le conseil a-t-il voté pour 2020 ?", AMOUNT),
        ("Quel montant le conseil a-t-il voté pour le club de football ?", AMOUNT),
        ("Le conseil a-t-il voté la convention avec le département ?", DECISION),
        ("Comment le conseil municipal a-t-il voté sur le budget ?", VOTE),
    ],
)
def test_answer_type(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_gives_the_kind_of_fact_asked_for() -> None:
    assert gives(AMOUNT, "Tarif de 250€ / jour & mission de 5 jours => soit 1250€ au total.")
    assert not gives(AMOUNT, "Vote pour faire venir l'archiviste et faire le travail proposé")
    assert gives(PERSON, "Titulaire : M. CHARRIER Jean-Paul")
    assert gives(PERSON, "Fabrice PALAU")
    assert not gives(PERSON, "Le Conseil Municipal après en avoir délibéré")
    assert gives(DATE, "La nouvelle nomenclature sera obligatoire au plus tard le 1er janvier 2024.")
    assert gives(VOTE, "Vote : 14 pour / 0 contre / 0 abstention")
    assert amounts("Indemnité de 0.25€/Km, abattement de 50 % et 2 500 euros") == ["0.25€", "50 %", "2 500 euros"]


def test_vote_wording() -> None:
    from rag.lead import _vote_text

    assert _vote_text("2 pour, 11 contre, 1 abstention(s)") == "2 pour, 11 contre, 1 abstention"
    assert _vote_text("11 pour, 3 abstention(s)") == "11 pour, 3 abstentions"
    assert _vote_text("adopté (décompte non précisé)") == "adopté, décompte non précisé"


def _lead(text: str) -> str:
    """The answer's opening, before the quoted evidence."""
    assert INTRO in text, text
    return text.split(INTRO)[0].strip()


def test_canteen_price_is_stated_first_with_the_vote(demo_kb) -> None:  # type: ignore[no-untyped-def]
    answer = demo_kb.ask(
        "Combien paie un enfant qui mange occasionnellement à la cantine de Preuilly depuis septembre 2020 ?"
    )
    lead = _lead(answer.text)
    assert lead.startswith("Le 23 juillet 2020, le conseil municipal de Preuilly-sur-Claise a accepté les tarifs")
    assert "3.50€ pour ceux qui prennent leur repas occasionnellement" in lead
    assert "3.30€" not in lead  # the 2019/2020 price the mayor recalled is not what was decided
    assert lead.endswith("(13 pour, 1 contre) [1].")
    assert answer.citations[0].chunk.meta["delib_id"] == "2020-045"
    # The evidence quotes the row that carries the new price.
    assert "3.50€ pour ceux qui prennent leur repas occasionnellement" in answer.citations[0].quote


def test_who_gets_the_names_of_the_designation(demo_kb) -> None:  # type: ignore[no-untyped-def]
    lead = _lead(demo_kb.ask("Qui sont nos délégués au conseil d'administration du collège Gaston Defferre ?").text)
    assert "Titulaire : M. CHARRIER Jean-Paul" in lead and "Suppléant : Mme STAMFELJ Marie-José" in lead


def test_how_much_quotes_the_figure_when_the_decision_holds_none(demo_kb) -> None:  # type: ignore[no-untyped-def]
    lead = _lead(demo_kb.ask("Combien coûte la mission de l'archiviste ?").text)
    # The first sentence states the figure (issue 15: "how much" opens with an amount), the decision follows.
    first, _, rest = lead.partition("\n")
    assert first.startswith("Le document cité précise : « Tarif de 250€ / jour") and "1250€" in first
    assert rest.startswith("Le 4 juin 2021, le conseil municipal de Couthenans a voté pour faire venir l’archiviste")


def test_a_rule_opens_with_the_article_sentence(demo_kb) -> None:  # type: ignore[no-untyped-def]
    lead = _lead(
        demo_kb.ask(
            "Chez nous on est 600 habitants : combien de jours avant le conseil la convocation doit-elle partir ?"
        ).text
    )
    assert lead.startswith(
        "Selon l'article L2121-11 : « Dans les communes de moins de 3 500 habitants, "
        "la convocation est adressée trois jours francs"
    )


def test_a_rule_announcing_a_list_opens_with_its_items(demo_kb) -> None:  # type: ignore[no-untyped-def]
    """L2121-21's "Il est voté au scrutin secret :" is followed by its two cases, even when the quote below
    skipped them for a closer sentence."""
    lead = _lead(demo_kb.ask("Comment se passe un vote à bulletin secret ?").text)
    assert lead.startswith("Selon l'article L2121-21 : « Il est voté au scrutin secret : 1° Soit lorsqu'un tiers")
    assert "2° Soit lorsqu'il y a lieu de procéder à une nomination" in lead


@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_every_value_of_an_opening_is_on_the_cited_passage(demo_kb) -> None:  # type: ignore[no-untyped-def]
    """Honesty: over the demo gold questions, a number, date or name of an opening sentence is in the
    passage that sentence cites (strict: a digit run elsewhere in the passage does not count)."""
    lines = (ROOT / "benchmarks" / "gold_demo.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line)["question"] for line in lines if line.strip()]
    checked = 0
    for question in questions:
        answer = demo_kb.ask(question)
        if not answer.found:
            continue
        by_n = {c.n: c.chunk for c in answer.citations}
        for sentence in answer.sentences:
            if sentence.text not in _lead(answer.text) or not sentence.citations:
                continue
            passages = [index_passage(by_n[n]) for n in sentence.citations]
            facts = extract_facts(strip_citations(sentence.text), with_names=True)
            assert not missing_facts(facts, passages, strict=True)[1], (question, sentence.text)
            checked += 1
    assert checked >= 20


def test_a_long_sentence_is_cut_between_words_never_inside_a_number() -> None:
    from rag.answer import MAX_SENTENCE_CHARS, _clip

    sentence = "x" * (MAX_SENTENCE_CHARS - 10) + " du 13 décembre 1958 portant loi organique"
    clipped = _clip(sentence)
    assert len(clipped) <= MAX_SENTENCE_CHARS
    assert sentence.startswith(clipped)
    assert sentence[len(clipped)] == " "  # the cut falls between two words
    assert not clipped.endswith("19")
