"""Verification of generated answers against real passages (Preuilly-sur-Claise PV of 2020-07-23, CGCT)."""

from __future__ import annotations

import pytest

from rag.citations import MASK, parse_citations, split_sentences
from rag.schema import AnswerSentence, Chunk
from rag.verify import verify_answer

# Page 4 of PV_CM_2020-07-23.pdf (deliberation 2020-045), as its text layer reads.
CANTINE = Chunk(
    id="preuilly-2020-045",
    text=(
        "2020-045 CANTINE- TARIFS POUR RENTREE SCOLAIRE 2020-2021\n"
        "Monsieur le Maire rappelle les tarifs de la cantine en 2019/2020\n"
        "- 3.30€ pour les enfants qui déjeunent de manière régulière\n"
        "- 3.40€ pour ceux qui prennent leur repas occasionnellement\n"
        "- 5.70€ pour les repas des adultes\n"
        "Il indique également que l'on doit se coordonner avec la Commune d'Yzeures sur Creuse dans le\n"
        "cadre du RPI ;\n"
        "Il précise également que Mme Stamfelj et M. Bernard travaillent sur le prix de revient d'un repas à la\n"
        "cantine.\n"
        "1) Il propose d'appliquer les tarifs suivants pour les enfants :\n"
        "- 3.40€ pour les enfants qui déjeunent de manière régulière\n"
        "- 3.50€ pour ceux qui prennent leur repas occasionnellement\n"
        "Le Conseil Municipal après en avoir délibéré,\n"
        "Par 13 voix POUR – 1 voix CONTRE\n"
        "ACCEPTE les tarifs proposés pour les repas enfants à la cantine à compter de la rentrée scolaire de\n"
        "septembre 2020.\n"
        "2) Il propose d'appliquer le tarif suivant pour les adultes :\n"
        "- 5.80€ pour les repas adultes\n"
        "Le Conseil Municipal après en avoir délibéré à l'unanimité,\n"
        "ACCEPTE les tarifs proposés pour les repas adultes à la cantine à compter de la rentrée scolaire de\n"
        "septembre 2020."
    ),
    meta={
        "title": "Procès-verbal du conseil municipal de Preuilly-sur-Claise",
        "commune": "Preuilly-sur-Claise",
        "date": "2020-07-23",
        "delib_id": "2020-045",
        "page": 4,
    },
)
# Page 1-2 of the same PV (deliberation 2020-038).
SUBVENTION = Chunk(
    id="preuilly-2020-038",
    text=(
        "2020-038 SUBVENTION EXCEPTIONNELLE POUR L'Association Sportive Yzeures-Preuilly\n"
        "Monsieur le Maire rappelle que deux subventions ont déjà été attribuées mais une subvention\n"
        "supplémentaire de 2500€ avait été sollicitée par le club. Compte tenu des contraintes imposées par la\n"
        "situation sanitaire, il en a résulté une perte de 5400 euros sur les manifestations prévues et "
        "annulées.\n"
        "Le Conseil Municipal après en avoir délibéré à l'unanimité, accepte de verser une dotation "
        "exceptionnelle de 2500 euros à l'USYP."
    ),
    meta={
        "title": "Procès-verbal du conseil municipal de Preuilly-sur-Claise",
        "delib_id": "2020-038",
        "page": 2,
    },
)
QUORUM = Chunk(
    id="cgct-L2121-17",
    text=(
        "Le conseil municipal ne délibère valablement que lorsque la majorité de ses membres en exercice est "
        "présente.\n\nSi, après une première convocation régulièrement faite selon les dispositions des "
        "articles L. 2121-10 à L. 2121-12, ce quorum n'est pas atteint, le conseil municipal est à nouveau "
        "convoqué à trois jours au moins d'intervalle. Il délibère alors valablement sans condition de quorum."
    ),
    meta={"title": "CGCT", "article": "L2121-17", "code": "CGCT", "kind": "article"},
)
# Page 3 of the same PV (deliberation 2020-042): a split vote.
EHPAD = Chunk(
    id="preuilly-2020-042",
    text=(
        "2020-042 CONSEIL D'ADMINISTRATION DE L'EHPAD : Désignation des délégués\n"
        "Monsieur le Maire expose qu'il convient de désigner deux délégués titulaires et deux délégués\n"
        "suppléants du Conseil Municipal pour représenter la Commune au Conseil d'Administration de\n"
        "l'HEPAD.\n"
        "Le Conseil Municipal après en avoir délibéré,\n"
        "Par 13 voix POUR – 1 ABSTENTION\n"
        "DESIGNE comme délégués les personnes suivantes en qualité de\n"
        "- Titulaires : Mme STAMFELJ Marie-José, M. ROBERT Henri\n"
        "- Suppléants : M. THOREAU Gérard, Mme PÉROT Dorothée"
    ),
    meta={
        "title": "Procès-verbal du conseil municipal de Preuilly-sur-Claise",
        "delib_id": "2020-042",
        "page": 3,
    },
)
PASSAGES = {1: CANTINE, 2: SUBVENTION, 3: QUORUM}
KNOWN_ARTICLES = {"L2121-10", "L2121-11", "L2121-12", "L2121-17"}
KNOWN_DELIBS = {"2020-038", "2020-045"}


def verify(text: str, passages: dict[int, Chunk] | None = None, **kwargs: bool) -> tuple[str, list[AnswerSentence]]:
    return verify_answer(
        text,
        PASSAGES if passages is None else passages,
        known_articles=KNOWN_ARTICLES.__contains__,
        known_delib_ids=KNOWN_DELIBS.__contains__,
        **kwargs,
    )


def one(text: str, **kwargs: bool) -> AnswerSentence:
    _, sentences = verify(text, **kwargs)
    assert len(sentences) == 1, sentences
    return sentences[0]


# --- split_sentences ------------------------------------------------------------------------------
def test_split_keeps_markers_and_ignores_abbreviations_and_decimals() -> None:
    text = (
        "Le Conseil Municipal a fixé le repas occasionnel à 3.50€ par 13 voix POUR – 1 CONTRE [1]. "
        "M. Bernard et Mme Stamfelj travaillent sur le prix de revient [1]. "
        "Le quorum suit l'article L. 2121-17 du CGCT. [3] "
        "Le tarif adulte passe à 2,50 € selon la délibération n° 2020-045 [1][2]."
    )
    assert split_sentences(text) == [
        "Le Conseil Municipal a fixé le repas occasionnel à 3.50€ par 13 voix POUR – 1 CONTRE [1].",
        "M. Bernard et Mme Stamfelj travaillent sur le prix de revient [1].",
        "Le quorum suit l'article L. 2121-17 du CGCT. [3]",
        "Le tarif adulte passe à 2,50 € selon la délibération n° 2020-045 [1][2].",
    ]


def test_split_on_line_breaks_and_other_terminators() -> None:
    text = "Les tarifs enfants sont :\n- 3.40€ en régulier [1]\n- 3.50€ en occasionnel [1]\nEst-ce tout ? Oui !"
    assert split_sentences(text) == [
        "Les tarifs enfants sont :",
        "- 3.40€ en régulier [1]",
        "- 3.50€ en occasionnel [1]",
        "Est-ce tout ?",
        "Oui !",
    ]


def test_split_list_numbers_and_markers_on_their_own_line() -> None:
    text = "1. Le repas régulier coûte 3.40€.\n[1]\n2) Le repas adulte coûte 5.80€ [1]."
    assert split_sentences(text) == [
        "1. Le repas régulier coûte 3.40€. [1]",
        "2) Le repas adulte coûte 5.80€ [1].",
    ]
    _, sentences = verify(text)
    assert [(s.status, s.citations) for s in sentences] == [("ok", [1]), ("ok", [1])]  # "1." is no fact


@pytest.mark.parametrize(
    ("marker", "expected"),
    [("[1]", [1]), ("[1][2]", [1, 2]), ("[1, 2]", [1, 2]), ("[1-3]", [1, 2, 3]), ("[2 et 3]", [2, 3]),
     ("[passage 2]", [2]), ("[2020-045]", [])],
)  # fmt: skip
def test_citation_forms(marker: str, expected: list[int]) -> None:
    assert parse_citations(f"Le tarif est fixé {marker}.") == expected


# --- statuses -------------------------------------------------------------------------------------
def test_ok_when_the_cited_passage_states_the_facts() -> None:
    sentence = one("Le Conseil Municipal a accepté les tarifs enfants par 13 voix POUR – 1 CONTRE [1].")
    assert (sentence.status, sentence.citations) == ("ok", [1])


@pytest.mark.parametrize(
    "text",
    [
        "Le repas occasionnel d'un enfant coûte 3,50 € à la rentrée [1].",  # "3.50€" in the passage
        "Les nouveaux tarifs s'appliquent dès septembre 2020 [1].",
        "Le conseil s'est réuni le 23 juillet 2020 [1].",  # the date is in the passage's metadata
        "Le conseil s'est réuni le 23/07/2020 [1].",
        "La délibération 2020-045 fixe les tarifs de la cantine [1].",
        "Mme Stamfelj et M. Bernard travaillent sur le prix de revient d'un repas [1].",
        "Une dotation exceptionnelle de 2 500 euros est versée à l'USYP [2].",
        "Le conseil délibère valablement si la majorité des membres en exercice est présente (article L2121-17) [3].",
        "Le club a perdu 5 400 € et reçoit 2 500 € [1][2].",  # one passage of two is enough
    ],
)
def test_french_formats_of_facts_are_recognised(text: str) -> None:
    sentence = one(text)
    assert sentence.status == "ok", sentence.note


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Le repas occasionnel d'un enfant coûte 3,60 € à la rentrée [1].", "3,60"),
        ("Le conseil s'est réuni le 24 juillet 2020 [1].", "24 juillet 2020"),
        ("M. Dupont travaille sur le prix de revient d'un repas [1].", "Dupont"),
        ("Le repas adulte passe à 5,80 € [2].", "5,80"),  # true, but not in the passage cited
    ],
)
def test_unsupported_when_no_key_fact_is_in_the_cited_passage(text: str, missing: str) -> None:
    sentence = one(text)
    assert sentence.status == "unsupported"
    assert missing in sentence.note


def test_unanimity_is_checked_even_when_other_facts_match() -> None:
    # MODELS.md: a model wrote "à l'unanimité" for a split vote; here 13 pour, 1 abstention.
    _, sentences = verify(
        "Mme Stamfelj et M. Robert ont été désignés délégués à l'EHPAD à l'unanimité [1].", {1: EHPAD}
    )
    assert sentences[0].status == "unsupported"
    assert "unanimité" in sentences[0].note
    _, sentences = verify("Mme Stamfelj et M. Robert ont été désignés par 13 voix POUR [1].", {1: EHPAD})
    assert sentences[0].status == "ok"


def test_partly_supported_sentence_is_ok_unless_strict() -> None:
    text = "Le repas occasionnel passe de 3,40 € à 3,60 € [1]."
    assert one(text).status == "ok"
    assert "3,60" in one(text).note
    strict = one(text, strict=True)
    assert strict.status == "unsupported" and "3,60" in strict.note


def test_invalid_citation_when_the_passage_was_not_given() -> None:
    sentence = one("Le repas adulte coûte 5,80 € [4].")
    assert (sentence.status, sentence.citations) == ("invalid_citation", [4])
    assert "[4]" in sentence.note


def test_invalid_citation_wins_over_a_valid_one() -> None:
    assert one("Le repas adulte coûte 5,80 € [1][7].").status == "invalid_citation"


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Selon l'article L. 2121-99 du CGCT, le quorum est la majorité des membres [3].", "L2121-99"),
        ("La délibération 2020-099 fixe les tarifs de la cantine [1].", "2020-099"),
        ("L'article L2121-42 impose un quorum.", "L2121-42"),  # even without a citation
    ],
)
def test_unknown_reference_when_the_store_does_not_have_it(text: str, reference: str) -> None:
    sentence = one(text)
    assert sentence.status == "unknown_reference"
    assert reference in sentence.note


def test_known_references_are_passed_to_the_callbacks_normalised() -> None:
    seen: list[str] = []

    def known(value: str) -> bool:
        seen.append(value)
        return True

    verify_answer(
        "Selon l'art. L. 2121-17 et la délibération n° 2020-045, le quorum est atteint [1][3].",
        PASSAGES,
        known_articles=known,
        known_delib_ids=known,
    )
    assert seen == ["L2121-17", "2020-045"]


@pytest.mark.parametrize(
    "text",
    [
        "Le repas des enfants coûte 3,40 € à la cantine.",
        "Le conseil municipal ne délibère valablement que si la majorité de ses membres est présente.",
    ],
)
def test_uncited_factual_sentence(text: str) -> None:
    assert one(text).status == "uncited"


@pytest.mark.parametrize(
    "text",
    [
        "Je ne sais pas : les documents fournis ne contiennent pas cette information.",
        "Voici les tarifs :",
        "Les passages ne précisent pas le tarif des repas pour les enseignants.",
    ],
)
def test_refusals_and_announcements_are_not_uncited(text: str) -> None:
    assert one(text).status == "ok"


def test_a_whole_answer() -> None:
    text = (
        "À la rentrée de septembre 2020, le repas régulier d'un enfant coûte 3,40 € et le repas "
        "occasionnel 3,50 € [1]. Le repas adulte passe à 5,80 € [1]. Les délégués à l'EHPAD ont été "
        "désignés à l'unanimité [4]. La commune a aussi versé 2 500 € à l'USYP [5]."
    )
    masked, sentences = verify(text, {**PASSAGES, 4: EHPAD})
    assert masked == text
    assert [s.status for s in sentences] == ["ok", "ok", "unsupported", "invalid_citation"]
    assert [s.citations for s in sentences] == [[1], [1], [4], [5]]


# --- masking --------------------------------------------------------------------------------------
def test_contact_details_absent_from_passages_are_masked() -> None:
    text = (
        "Pour inscrire un enfant à la cantine, appelez le 02 47 94 50 04 ou le +33 6 12 34 56 78, "
        "écrivez à cantine@preuilly-sur-claise.fr ou consultez https://www.preuilly-sur-claise.fr/cantine [1]."
    )
    masked, sentences = verify(text)
    assert masked == (
        f"Pour inscrire un enfant à la cantine, appelez le {MASK} ou le {MASK}, "
        f"écrivez à {MASK} ou consultez {MASK} [1]."
    )
    assert sentences[0].text == masked


def test_contact_details_present_in_a_passage_are_kept() -> None:
    mairie = Chunk(
        id="contact",
        text="Mairie de Preuilly-sur-Claise, tél. 02.47.94.50.04, mairie@preuilly.fr, www.preuilly.fr/contact",
    )
    text = "Appelez le 02 47 94 50 04, écrivez à Mairie@Preuilly.fr ou voyez https://www.preuilly.fr/contact. [1]"
    masked, sentences = verify(text, {1: mairie})
    assert masked == text
    assert sentences[0].status == "ok"


def test_masked_numbers_are_not_checked_as_facts() -> None:
    # Without masking, "02 47 94 50 04" would read as numbers absent from the passage.
    sentence = one("Le tarif adulte est de 5,80 €, renseignements au 02 47 94 50 04 [1].")
    assert sentence.status == "ok"
    assert MASK in sentence.text


# --- what strict verification (the chain's) adds ------------------------------------------------------
def test_markers_alone_assert_nothing() -> None:
    _, sentences = verify("[1] [2]")
    assert [s.status for s in sentences] == ["unsupported"]
    assert "renvois" in sentences[0].note
    _, sentences = verify("Le repas adulte coûte 5.80€ [1].\n[1] [2]")
    assert [s.status for s in sentences] == ["ok"]  # a marker line joins the sentence before it


def test_question_repeated_back_is_not_an_answer() -> None:
    question = "Qu'a voté le conseil municipal sur la cantine scolaire ?"
    _, sentences = verify("Le conseil municipal a voté sur la cantine scolaire [1].", question=question)
    assert sentences[0].status == "unsupported" and "répète la question" in sentences[0].note
    # An answer that states a fact the question did not hold is kept.
    answer = one("Le conseil municipal a fixé le repas régulier de la cantine à 3.40€ [1].")
    assert answer.status == "ok"
    _, sentences = verify("Le repas de la cantine scolaire coûte 3.40€ [1].", question=question)
    assert sentences[0].status == "ok"


def test_strict_wants_every_figure_even_beside_a_true_name() -> None:
    # "USYP" is in the passage, the figure is not (the real dotation is 2500 €).
    text = "Une dotation exceptionnelle de 3500 € est versée à l'USYP [2]."
    assert one(text, strict=True).status == "unsupported" and "3500" in one(text, strict=True).note


def test_strict_wants_the_names_too() -> None:
    text = "M. Bernard et Mme Durand travaillent sur le prix de revient d'un repas [1]."
    assert one(text).status == "ok"  # lenient: Bernard is there
    strict = one(text, strict=True)
    assert strict.status == "unsupported" and "Durand" in strict.note


def test_a_magnitude_changes_the_number() -> None:
    # "15" is stated (the day of the vote); "15 millions" is another figure.
    passage = Chunk(id="budget", text="Le déficit de clôture 2015 s'élève à 273 769,28 €, voté le 15/04/2016.")
    _, sentences = verify("Le déficit s'élève à 15 millions d'euros [1].", {1: passage}, strict=True)
    assert sentences[0].status == "unsupported" and "15" in sentences[0].note
    _, sentences = verify("Le déficit s'élève à 273 769,28 € [1].", {1: passage}, strict=True)
    assert sentences[0].status == "ok"


def test_strict_numbers_are_the_stated_ones_not_any_digit_run() -> None:
    passage = Chunk(
        id="pv", text="Séance du 12/03/2021 (article L2121-17) : 18 conseillers présents, délibération 2021-045."
    )
    lenient = verify("Le conseil compte 17 conseillers présents [1].", {1: passage})[1][0]
    strict = verify("Le conseil compte 17 conseillers présents [1].", {1: passage}, strict=True)[1][0]
    assert lenient.status == "ok"  # "17" is a digit run of "L2121-17"
    assert strict.status == "unsupported"
    for sentence in (
        "La séance a eu lieu le 12 mars 2021 [1].",
        "18 conseillers étaient présents [1].",
        "Elle porte le numéro 45 de l'année 2021 [1].",
    ):
        assert verify(sentence, {1: passage}, strict=True)[1][0].status == "ok", sentence
