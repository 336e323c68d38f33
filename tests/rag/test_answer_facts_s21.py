"""Session 21 (issue 15): the answer states the fact on layouts no rule was written for. Each behaviour is
checked on text copied from the corpus (Montpellier deliberations and comptes rendus, Flaux comptes rendus):
vote counts split from their label, a list of names cut by the prefecture's stamp, the meeting's formulas
that answer nothing about a decision, the kind of fact a question asks for, and the opening sentence when
the cited record gives none."""

from __future__ import annotations

import pytest

from rag import schema
from rag.lead import _with_announced, lead_sentences
from rag.meeting import asks_about_meeting, is_meeting_formula
from rag.question import AMOUNT, DURATION, NUMBER, PERSON, answer_type, counted, counts, gives
from rag.rows import GAP, continuation
from rag.schema import Chunk, Citation

# CR_CM_03_10_2011.doc (Montpellier compte rendu, Word): the sentence splitter cuts "Pour :" from "50".
SCOT_ITEM = [
    "50",
    "Contre :",
    "6 (UMP – NI)",
    "Abstention : /",
    "Adopté à la majorité",
    "Qualité de l’espace public, espaces verts, génie urbain",
    "Monsieur Gély sort de séance, Monsieur Saurel entre en séance.",
]
# 2014-04-24-0000071260.pdf (Montpellier 2014/149): the list of names runs across the page's stamp.
ELECTED_ACROSS_STAMP = [
    "- Guy BARRAL",
    "- Christophe COUR",
    "- Caroline NAVARRE",
    "Accusé de réception – Ministère de l’intérieur",
    "Acte Certifié exécutoire",
    "Envoi Préfecture :",
    "Réception en Préfecture :",
    "28/04/2014",
    "28/04/2014",
    "034-213401722-20140424-0000071260-DE",
    "- Cédric de SAINT-JOUAN",
    "Le Conseil adopte.",
    "Pour extrait conforme, Monsieur le Maire",
]


def test_a_vote_count_on_the_line_after_its_label_is_kept_with_the_item() -> None:
    sentence = "Michaël DELAFOSSE | 24 | Communauté de Communes du Pays de l’Or ... sur le projet de SCOT arrêté Pour :"
    assert continuation(sentence, SCOT_ITEM) == SCOT_ITEM[:5]
    # An item whose label and count are both split: "Pour :" / "56", then the other vote lines only.
    following = ["Pour :", "56", "Contre : /", "Abstention : /", "Adopté à l’unanimité", "Philippe THINES | 26 | DSP"]
    assert continuation("Philippe THINES | 25 | Dénomination de voies", following) == following[:5]
    # Unchanged: vote lines already whole.
    votes = ["Pour : 46", "Contre : 7", "Abstention : 2", "Adopté à la majorité.", "2 Dotation de mobilier"]
    assert continuation("1 Exercice 2012 - Budget Primitif 2012", votes) == votes[:4]


def test_a_list_of_names_cut_by_the_prefecture_stamp_goes_on_after_it_with_a_gap() -> None:
    items = continuation("Ont été élus :", ELECTED_ACROSS_STAMP)
    assert items == ["- Guy BARRAL", "- Christophe COUR", "- Caroline NAVARRE", GAP, "- Cédric de SAINT-JOUAN"]
    # Each side of the gap is the passage's text as it is (a quote is made of substrings).
    text = "\n".join(["Ont été élus :", *ELECTED_ACROSS_STAMP])
    quote = " ".join(["Ont été élus :", *items])
    for part in quote.split(f" {GAP} "):
        assert "".join(part.split()) in "".join(text.split())
    # A sentence after the names ends the list: nothing is skipped over it.
    ended = ["- Guy BARRAL", "- Christophe COUR", "Le Conseil adopte.", "- Autre ligne"]
    assert continuation("Ont été élus :", ended) == ended[:2]


@pytest.mark.parametrize(
    "sentence",
    [
        "Convoqué le 17 avril 2014, le Conseil Municipal de la Ville de Montpellier s'est réuni en mairie, Salle du"
        " Conseil Municipal, le jeudi 24 avril 2014 à 18h00, sous la présidence de Monsieur le Maire, Philippe SAUREL",
        "Absents ayant voté par procuration en application de l'article L 2121-20 du Code",
        "Monsieur Philippe VINÇON été nommé secrétaire de séance",
        "Séance publique du jeudi 22 mai 2014",
        "Extrait du registre des délibérations du Conseil",
        "Montpellier n° 2014 / 149",
        "Accusé de réception – Ministère de l’intérieur",
        "Monsieur le Maire, Philippe SAUREL, rapporte :",
    ],
)
def test_the_meeting_formulas_of_a_record(sentence: str) -> None:
    assert is_meeting_formula(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Ont été élus : - Guy BARRAL - Christophe COUR - Caroline NAVARRE",
        "Monsieur Denis JUVIN, a obtenu 10 voix, il est proclamé élu et a déclaré accepter le mandat.",
        "Le montant prévisionnel de ces travaux est de 650 000 € TTC.",
        "Après en avoir délibéré et à l’unanimité, le Conseil Municipal décide de continuer à adhérer au service"
        " commun",
    ],
)
def test_what_a_record_decides_is_no_formula(sentence: str) -> None:
    assert not is_meeting_formula(sentence)


def test_a_question_about_the_meeting_may_quote_its_formulas() -> None:
    assert asks_about_meeting("Qui présidait la séance du conseil municipal du 24 avril 2014 ?")
    assert asks_about_meeting("Qui était absent au conseil du 10 juillet 2020 ?")
    assert not asks_about_meeting(
        "À combien le nombre d'adjoints au maire a-t-il été porté lors de la séance du 24 avril 2014 ?"
    )
    assert not asks_about_meeting("Qui a été élu au conseil d'administration de l'Office de tourisme ?")


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("À hauteur de quel pourcentage la Ville garantit-elle les emprunts de la SERM ?", AMOUNT),
        ("Quelle cotisation la Ville paie-t-elle à l'Association des Maires des Grandes Villes de France ?", AMOUNT),
        ("Quel loyer annuel est prévu pour le bail emphytéotique ?", AMOUNT),
        ("Quel notaire est chargé de l'acte pour le classement de la rue René Etiemble ?", PERSON),
        ("À combien le nombre d'adjoints au maire a-t-il été porté le 24 avril 2014 ?", NUMBER),
        ("Combien de noms le conseil municipal a-t-il proposés pour la Commission des Impôts Directs ?", NUMBER),
        ("Pour combien de temps le conseil a-t-il prolongé la convention avec le Centre Socioculturel ?", DURATION),
        ("Pour quelle durée minimale le bail est-il promis à la Ville ?", DURATION),
    ],
)
def test_answer_type_of_questions_written_on_other_layouts(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_a_count_or_a_duration_is_not_the_digits_of_a_date() -> None:
    # Flaux, 19 November 2020: the date of the approved compte rendu is no answer to "for how long".
    dated = "Le compte rendu du Conseil Municipal du 19 octobre 2020 est validé à l’unanimité"
    assert not gives(NUMBER, dated) and not gives(DURATION, dated)
    assert gives(DURATION, "la convention est prolongée pour une durée d’1 an à compter du 1er janvier 2021")
    assert gives(NUMBER, "de cinq membres de l’assemblée délibérante élus en son sein")
    assert gives(PERSON, "Le notaire désigné est Maître Laurent Daudet à Montpellier.")


def test_a_count_of_what_the_question_counts() -> None:
    unit = counted("Combien de noms le conseil municipal de Flaux a-t-il proposés ?")
    assert unit and counts("Monsieur le Maire dresse une liste de 24 noms :", unit)
    assert not counts("la commission est composée de 6 commissaires titulaires", unit)
    unit = counted("À combien d'associations les Maisons pour tous prêtent-elles une salle ?")
    assert unit and counts("La mise à disposition ponctuelle de salle à titre gratuit à 9 associations", unit)


def _citation(n: int, text: str, quote: str, kind: str = schema.KIND_DOCUMENT) -> Citation:
    chunk = Chunk(id=f"c{n}", text=text, meta={schema.SOURCE: "compte_rendu.doc", schema.KIND: kind})
    return Citation(n=n, chunk=chunk, quote=quote)


# Flaux compte rendu of 19 November 2020 (Word): an item of a compte rendu not split into records.
PLU_PREAMBLE = (
    "Monsieur Le Maire rappelle aux membres du Conseil Municipal, Vu le code d’urbanisme, Vu le code général des"
    " collectivités territoriales, Considérant que les statuts en vigueur de la Communauté de Communes Pays d’Uzès"
    " ne prévoient pas le transfert de la compétence PLU"
)
PLU_DECISION = (
    "De se prononcer contre le transfert de cette compétence au profit de la Communauté des Communes Pays d’Uzès"
)


def test_an_item_without_record_fields_opens_with_its_operative_sentence() -> None:
    question = "Le conseil municipal de Flaux a-t-il accepté le transfert de la compétence PLU à la Communauté de Communes Pays d'Uzès ?"
    citations = [
        _citation(1, PLU_PREAMBLE, PLU_PREAMBLE),
        _citation(2, f"Après en avoir délibéré, le Conseil Municipal décide :\n{PLU_DECISION}", PLU_DECISION),
    ]
    lead = lead_sentences(question, citations)
    assert lead and lead[0].text.startswith("Le document cité indique : « De se prononcer contre le transfert")
    assert lead[0].citations == [2]


def test_a_typed_question_opens_with_the_quoted_figure_when_no_record_gives_one() -> None:
    # Montpellier compte rendu of 16 December 2011: items with their vote lines.
    refuge = "13 Attribution exceptionnelle à l'association Le Refuge Exercice 2011 Pour : 52 Contre : / Adopté à l’unanimité."
    europe = "36 Attribution d'une subvention exceptionnelle à la Maison de l'Europe Pour : 49 Contre : / Adopté à l’unanimité."
    question = "Par combien de voix l'attribution exceptionnelle à l'association Le Refuge a-t-elle été adoptée ?"
    lead = lead_sentences(question, [_citation(1, refuge, refuge), _citation(2, europe, europe)])
    assert lead and "Pour : 52" in lead[0].text and lead[0].citations == [1]


def test_a_sentence_announcing_its_figure_is_quoted_with_it() -> None:
    quote = "Le montant de la dotation 2013, compte tenu des effectifs s’élève à : 1 127 850 Euros pour les classes élémentaires."
    sentence = "Le montant de la dotation 2013, compte tenu des effectifs s’élève à :"
    assert _with_announced(sentence, quote) == quote
    assert _with_announced("Le Conseil adopte.", quote) == "Le Conseil adopte."


def test_how_many_opens_with_the_sentence_counting_what_is_asked() -> None:
    # Flaux compte rendu of 8 June 2020: the article's "6 commissaires" comes first, the "24 noms" after.
    rule = (
        "Désignations des membres de la Commission des Impôts Directs L’article 1650 du Code Général des Impôts"
        " indique que dans les communes de moins de 2 000 habitants la commission est composée de 6 commissaires"
        " titulaires et 6 commissaires suppléants."
    )
    listed = "Monsieur le Maire dresse une liste de 24 noms pour la Commission des Impôts Directs :"
    question = "Combien de noms le conseil municipal de Flaux a-t-il proposés pour la Commission des Impôts Directs ?"
    lead = lead_sentences(question, [_citation(1, rule, rule), _citation(2, listed, listed)])
    assert lead and "24 noms" in lead[0].text and lead[0].citations == [2]


def test_an_operative_sentence_that_only_announces_gives_no_opening_of_its_own() -> None:
    # Montpellier 2014/250-like record: "il est demandé au Conseil Municipal :" and nothing after it in the
    # passage; the opening then quotes the sentence that says what the council asks.
    text = (
        "Vœu de soutien aux intermittents du spectacle\n"
        "C’est pourquoi, le Conseil municipal demande au Ministre du Travail et au Ministre de la Culture de"
        " ré-ouvrir les négociations afin de prendre en compte les propositions des intermittents du spectacle.\n"
        "En conséquence, il est demandé au Conseil Municipal :"
    )
    chunk = Chunk(
        id="d1",
        text=text,
        meta={
            schema.SOURCE: "2014-05-22.pdf",
            schema.KIND: schema.KIND_DELIBERATION,
            schema.DATE: "2014-05-22",
            schema.COMMUNE: "Montpellier",
            schema.OBJET: "Vœu de soutien aux intermittents du spectacle",
        },
    )
    asked = text.split("\n")[1]
    citations = [Citation(n=1, chunk=chunk, quote=f"{asked} […] En conséquence, il est demandé au Conseil Municipal :")]
    question = "Que demande le conseil municipal aux ministres dans son vœu de soutien aux intermittents du spectacle ?"
    lead = lead_sentences(question, citations)
    assert lead and "ré-ouvrir les négociations" in lead[0].text, lead
