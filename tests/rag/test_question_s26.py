"""Session 26: kinds of answer and names read from questions on Montpellier deliberations that no rule was
written for (the sixth blind set, benchmarks/gold_decisions_s26.jsonl); sentences copied from those documents."""

from rag.question import (
    AMOUNT,
    DURATION,
    FREQUENCY,
    NUMBER,
    OPINION,
    answer_type,
    counted,
    counts,
    gives,
    gives_asked,
    question_names,
)
from rag.refusal import question_numbers, states_value

# 2014-05-22-0000072072.pdf (CLSPD), 2014-05-22-0000072120.pdf (SERM), 2013-06-17-0000064271.pdf (IBM)
QUARTERLY = (
    "Le comité restreint présidé par l’adjoint délégué se réunit trimestriellement et permet le suivi ainsi que la "
    "mise en œuvre opérationnelle des orientations fixées par l’assemblée plénière."
)
YEARLY = "L’assemblée plénière présidée par Maire se réunit au minimum une fois par an."
AGE = "la limite d’âge du Président du Conseil d’Administration afin qu’elle soit portée à soixante-dix-sept ans"
STAFF = (
    "Le site d’hébergement de serveurs informatiques de Grabels comptabilisera sur son site jusqu’à treize personnes."
)
RADIUS = (
    "Le Conseil Municipal de la Ville de Montpellier doit rendre un avis car le rayon d’affichage est de 3km autour "
    "du site futur de la société IBM, 83 impasse Pierre Magnol – Parc Euromédecine à Grabels (34790)"
)
MARKET = (
    "Il s’agit d’un marché à bons de commande, d’une durée d’un an, reconductible 1fois, avec un montant minimum "
    "annuel de 15 000 euros H.T. et un montant maximum annuel de 150 000 euros H.T."
)


def test_how_often_is_asked_and_given_by_a_frequency():
    question = "Tous les combien se réunit le comité restreint du CLSPD ?"
    assert answer_type(question) == FREQUENCY  # not a sum because of "combien"
    assert answer_type("À quelle fréquence le comité de suivi se réunit-il ?") == FREQUENCY
    assert gives(FREQUENCY, QUARTERLY) and gives(FREQUENCY, YEARLY) and gives(FREQUENCY, "se réunit quotidiennement")
    assert not gives(FREQUENCY, MARKET)  # "montant minimum annuel" says no rhythm
    assert states_value(question, FREQUENCY, QUARTERLY) and not states_value(question, FREQUENCY, RADIUS)


def test_an_age_is_a_number_of_years_written_in_words():
    question = "Jusqu'à quel âge le président de la SERM pourra-t-il être désigné ?"
    assert answer_type(question) == DURATION
    assert gives(DURATION, AGE)
    assert gives(DURATION, "pour une durée de quatre-vingt-dix jours")


def test_a_count_written_in_words_answers_how_many_people():
    question = "Combien de personnes travailleront sur le site d'hébergement informatique d'IBM au parc Euromédecine ?"
    # "Euromédecine" holds no euro: a count is asked, not a sum
    assert answer_type(question) == NUMBER
    assert answer_type("Combien la commune a-t-elle payé en euros ?") == AMOUNT
    assert gives_asked(question, NUMBER, STAFF)
    assert counts(STAFF, counted(question) or "")
    assert not counts(RADIUS, counted(question) or "")


def test_what_the_council_thought_asks_its_opinion():
    assert answer_type("Qu'a pensé le conseil municipal du projet de centre de serveurs d'IBM à Grabels ?") == OPINION
    assert gives(OPINION, "il est proposé au Conseil Municipal d’émettre un avis favorable à l’exploitation")


def test_the_state_is_no_name_and_a_code_is_read_whole():
    assert question_names("Quel montant de dotation globale forfaitaire l'État a-t-il notifié à Montpellier ?") == [
        "Montpellier"
    ]
    assert question_names("Quel était le minimum annuel du marché 1M485-125 ?") == ["1M485-125"]
    assert question_numbers("Quel était le minimum annuel du marché 1M485-125 ?") == {}
    assert question_numbers("Quel est le montant du lot 3 du marché 1M485-125 ?") == {"3": "lot"}


# 2014-05-22-0000072061.pdf: the collèges' boards, one seat's label per line and the names under it
BOARDS = (
    "Collège Fontcarrade CENTRE Titulaires :\n- Isabelle MARSALA\nSuppléants :\n- Chantal LEVY-RAMEAU\n"
    "Collège Las Cazes  CEVENNES Titulaire :\n- Sabria BOUALLAGA\nSuppléant :\n- Khanthaly PHOUTTHASANG\n"
    "Collège Arthur Rimbaud CEVENNES Titulaires :\n- Rabii YOUSSOUS\n"
)


def test_a_seat_label_ending_the_quote_is_quoted_with_the_name_under_it():
    from rag.lead import _with_announced

    label = "Suppléants : - Chantal LEVY-RAMEAU Collège Las Cazes CEVENNES Titulaire :"
    quote = "Collège Fontcarrade CENTRE Titulaires : - Isabelle MARSALA " + label  # the quote stops at the colon
    said = _with_announced(label, quote, BOARDS)
    assert said == label + " - Sabria BOUALLAGA"  # up to the next label, not the suppléant nor the next collège
    assert _with_announced(label, quote) == label  # without the passage, nothing to add


def test_a_roll_call_cut_by_the_passage_or_run_into_a_title_is_no_answer():
    from rag.lead import roll_call

    assert roll_call(
        "Stéphanie BLANPIED, Laure FARGIER, Arnaud JULIEN, Stéphane MELLA, Martine PETITOUT Réforme et cession du "
        "matériel et des véhicules"
    )
    assert roll_call("SAINT JOUAN, Jean-Marc DI RUGGIERO, Jacques DOMERGUE, Michèle DRAY-FITOUSSI, Christian DUMONT")
    assert not roll_call("Titulaires : Denis JUVIN, Jean-Pierre PLUS, Anne ROY, Paul MARTIN")


def test_who_receives_may_be_a_body_and_a_sum_of_money_is_no_distance():
    from rag.question import ORGANISATION, asks_money, awarded

    question = "Qui récupère les ordinateurs et imprimantes réformés de la mairie pour les recycler ?"
    assert awarded(question)
    given = (
        "D’autoriser la mise à disposition gracieuse du matériel informatique réformé à l’association Informatique "
        "Plus Protection de l’Environnement"
    )
    assert gives(ORGANISATION, given)
    money = "Combien IBM investit-il dans l'extension de son site de Grabels ?"
    assert asks_money(money) and answer_type(money) == AMOUNT
    assert not states_value(money, AMOUNT, RADIUS)  # "3km" is no sum
    assert states_value(money, AMOUNT, MARKET)


def test_which_company_is_answered_by_a_named_body():
    question = "Quelle entreprise a remporté le lot échelles du groupement de commandes ?"
    title = (
        "Groupement de commandes entre la Ville, la Communauté d'Agglomération, le CCAS - Fournitures de quincaillerie"
    )
    assert not states_value(question, "organisation", title)
    assert states_value(question, "organisation", "Lot 3 - échelles : la société FRANCE ECHELLES")


def test_a_line_naming_a_thing_is_quoted_with_what_the_next_sentence_says_of_it():
    from rag.lead import with_sequel

    # 2013-02-04-0000061121.pdf p. 1, as ingestion reads it
    passage = (
        "1) Réforme de matériels : Direction de l’Espace Public\nSuite à l’état de vétusté des matériels, il convient "
        "de réformer les matériels ci-dessous.\n- 4 Blocs WC année 95/97 de marque MDO\nCes équipements seront donnés "
        "à titre gracieux à la TAM.\n2) Réforme de mobiliers et de matériels : Direction Travaux Maintenance Action "
        "Solidarité"
    )
    said = with_sequel("4 Blocs WC année 95/97 de marque MDO", passage)
    assert said == "4 Blocs WC année 95/97 de marque MDO Ces équipements seront donnés à titre gracieux à la TAM."
    # a whole sentence is not a line naming a thing
    whole = "Suite à l’état de vétusté des matériels, il convient de réformer les matériels ci-dessous."
    assert with_sequel(whole, passage) == whole
