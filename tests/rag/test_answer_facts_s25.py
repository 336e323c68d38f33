"""Session 25 (issue 15): entries of a list laid out alike, table rows opening with a name in capitals, and the
kind of answer asked in paraphrased questions. Each behaviour is checked on the text of real corpus documents as
the loader reads it: the youth grants of 2013-06-17-0000064273.pdf (a block per beneficiary closed by "Montant
accordé: ..."), the school councils of 2014-05-22-0000072223.pdf (a school group, then "Ecole maternelle :" and
its names), the Bonsai Club's rent in 2013-02-04-0000061132.pdf (a table row whose cells run over five lines),
the vote lines of CR_CM_03_10_2011.doc and the air tickets' market of 2013-06-17-0000064306.pdf."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.lead import _candidates
from rag.question import AMOUNT, NUMBER, ORGANISATION, PERSON, VOTE, answer_type, gives, gives_asked
from rag.rows import entry_block, entry_values, is_entry, named_row, typed_row
from rag.schema import Chunk, ScoredChunk
from rag.store import ChromaStore
from tests.rag.record_store import document_store, flat_idf

_flat = flat_idf


def _store(tmp_path: Path, cache: Path, source: str, texts: list[str]) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one deliberation (one record) written to a real store, in order."""
    return document_store(
        tmp_path, cache, source, texts, [2] * len(texts), schema.KIND_DELIBERATION, [0] * len(texts), "2013-06-17"
    )


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines()]


# 2013-06-17-0000064273.pdf p. 2: each beneficiary's block ends with its amount.
GRANTS = """Myrddrina Antoni, étudiante en archéologie
Production culturelle
Le Nombril de Vénus
Présenter les fouilles archéologiques de la cavité du Nombril de Vénus (Gard) afin de valoriser les vestiges et le
patrimoine du Languedoc Roussillon auprès des jeunes montpelliérains.
Exposition des photos et projection à l’université Paul Valéry.
Montant accordé: 800 €
Simon Kounovsky, étudiant en audiovisuel
Production culturelle
Le rire du voleur
Réaliser un court métrage, comédie dramatique en huis clos, sur le larcin d’un vieux cambrioleur.
Projections sur le campus Paul Valéry et à l’Espace Jeunesse.
Montant accordé: 800 €
Barthélémy Belle, étudiant en cinéma
Production culturelle
Seven days out
Réaliser un documentaire du Sziget Festival de Budapest salué en 2012 par les « European Festival Awards ».
Projections à l’université Paul Valéry, au ciné-club Jean Vigo.
Montant accordé: 800 €
Aurélia Gonzalez, en recherche d’emploi
Vivre ensemble à Montpellier
Trans-Révérence
Organiser, à partir de la pièce les chaises de Ionesco, des ateliers de lecture et d’écriture intergénérationnels.
Ateliers au sein de la maison de retraite Maison de famille.
Montant accordé: 1 100 €"""


def test_an_amount_under_a_label_every_entry_repeats_is_the_entry_above_it(
    tmp_path: Path, embedding_cache: Path
) -> None:
    lines = _lines(GRANTS)
    block = entry_block(lines, len(lines) - 1)
    assert block.startswith("Aurélia Gonzalez") and block.endswith("Montant accordé: 1 100 €")
    assert "800 €" not in block and entry_values(lines, len(lines) - 1) == "Montant accordé: 1 100 €"
    # the first entry's value is its own, not the next one's
    assert entry_block(lines, 6).startswith("Myrddrina Antoni") and entry_block(lines, 6).endswith("800 €")
    q = "Combien a été accordé à Aurélia Gonzalez pour son projet Trans-Révérence ?"
    source = "deliberations/montpellier/2013-06-17-0000064273.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [GRANTS])
    # the sentence quoted first holds another beneficiary's amount
    row = typed_row(q, AMOUNT, hits, "Montant accordé: 800 €", store, _flat)
    assert row is not None and "Aurélia Gonzalez" in row[2] and row[2].endswith("1 100 €")
    # the answer's opening quotes the entry whole: its value alone would not say whose it is
    assert is_entry(GRANTS, row[2]) and _candidates(AMOUNT, row[2], GRANTS) == [row[2]]
    assert not is_entry(GRANTS, "Montant accordé: 800 €")


# 2014-05-22-0000072223.pdf p. 2: a school group's names, then its schools' labels and the councillor under each.
SCHOOLS = """Ecole maternelle :
-Chantal LEVY-
RAMEAU
Ecole élémentaire :
-Chantal LEVY-
RAMEAU
Barcelone Pablo NERUDA Simon BOLIVAR MOSSON/Paillla
de
Ecole maternelle :
-Rabii YOUSSOUS
Ecole élémentaire :
-Rabii YOUSSOUS
Beethoven  BEETHOVEN BEETHOVEN CROIX
D’ARGENT/
Grisettes
Ecole primaire :
-Khanthaly
PHOUTTASANG
Bologne James JOYCE Sedar SENGHOR MOSSON/Paillla
de
Ecole maternelle :
-Chantal LEVY-
RAMEAU"""


def test_a_name_under_a_school_label_belongs_to_the_group_named_above_it(tmp_path: Path, embedding_cache: Path) -> None:
    q = "Quel élu siège au conseil d'école du groupe scolaire Beethoven ?"
    assert answer_type(q) == PERSON
    source = "deliberations/montpellier/2014-05-22-0000072223.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [SCHOOLS])
    row = typed_row(q, PERSON, hits, "", store, _flat)
    assert row is not None
    assert row[2] == "Beethoven BEETHOVEN BEETHOVEN CROIX D’ARGENT/ Grisettes Ecole primaire : -Khanthaly PHOUTTASANG"
    assert "YOUSSOUS" not in row[2]  # the group above's councillor


# 2013-02-04-0000061132.pdf p. 1: the table's only row, its cells one under the other.
BONSAI = """Association Adresse des locaux   Valeur locative Loyer annuel
minoré
Aide annuelle en
nature
BONSAI CLUB 2, rue des
Tourterelles
36€92
(84 heures/an)
35 € 1€92
TOTAUX 36€92 35 € 1€92"""


def test_a_table_row_opening_with_a_name_in_capitals_is_read_to_its_last_cell(
    tmp_path: Path, embedding_cache: Path
) -> None:
    lines = _lines(BONSAI)
    assert named_row(lines, 4) == "BONSAI CLUB 2, rue des Tourterelles 36€92 (84 heures/an) 35 € 1€92"
    assert named_row(lines, 9) == ""  # the total is no one's row
    q = "Quel loyer annuel minoré paie le Bonsai Club pour les locaux de la rue des Tourterelles ?"
    source = "deliberations/montpellier/2013-02-04-0000061132.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [BONSAI])
    row = typed_row(q, AMOUNT, hits, "", store, _flat)
    assert row is not None and row[2].startswith("BONSAI CLUB") and "35 €" in row[2]


# CR_CM_03_10_2011.doc: items closed by their vote lines; the vote's labels are not an entry's values.
MINUTES = """Adopté à l’unanimité
Hélène MANDROUX | 74 | Association Media Forma Sud
Désignation des représentants de la Ville au Conseil d’Administration
Titulaires :
M. Saurel
M. Delafosse
Pour : 52
Contre : /
Abstention : /
Adopté à l’unanimité
Hélène MANDROUX | 75 | Fédération Nationale des Métiers du Stationnement - Désignation du représentant de la Ville
Titulaires :
M. Thinès
Pour : 52
Contre : /"""


def test_vote_lines_and_bare_seat_labels_make_no_entry() -> None:
    lines = _lines(MINUTES)
    assert all(entry_block(lines, i) == "" for i in range(len(lines)))
    q = "Quel a été le vote sur la désignation des représentants à Media Forma Sud ?"
    assert answer_type(q) == VOTE


def test_paraphrased_questions_ask_the_kind_of_answer_they_mean() -> None:
    assert answer_type("Quel conseiller municipal a été désigné au conseil d'école ?") == PERSON
    assert answer_type("Quelle élue représente la Ville ?") == PERSON
    assert answer_type("Comment s'est déroulé le vote sur le règlement intérieur ?") == VOTE
    assert answer_type("Combien de conseillers se sont abstenus sur le budget ?") == VOTE
    assert answer_type("Auprès de quel établissement la SERM a-t-elle emprunté ?") == ORGANISATION
    assert answer_type("Auprès de qui la SERM a-t-elle emprunté ?") == ORGANISATION
    assert answer_type("Quelle avance de trésorerie la Ville consent-elle à la SERM ?") == AMOUNT
    assert answer_type("Quelle est l'estimation de France Domaine pour le terrain ?") == AMOUNT
    assert answer_type("Combien de personnes sont venues consulter le dossier ?") == NUMBER
    # a sum given, not an area, answers "combien la Ville verse-t-elle"
    q = "Combien la Ville verse-t-elle à l'association pour les locaux ?"
    assert answer_type(q) == AMOUNT
    assert not gives_asked(q, AMOUNT, "des locaux d’une surface de 112 m²")
    assert gives_asked(q, AMOUNT, "une subvention de 3 500 €")
    # 2013-06-17-0000064306.pdf p. 1: the company is named after "la compagnie aérienne"
    sentence = "Dans sa séance du 28 mai 2013, la Commission d’appel d’offres a attribué le marché négocié à la compagnie aérienne Air France."
    assert answer_type("À quelle compagnie le marché des billets d'avion a-t-il été attribué ?") == ORGANISATION
    assert gives(ORGANISATION, sentence)


def test_who_supplies_or_does_the_work_of_a_market_is_answered_by_a_company() -> None:
    # 2013-06-17-0000064300.pdf p. 1 and 2013-02-04-0000061125.pdf p. 2: the lot's holder in a table row
    row = "1 Viandes fraîches sous vide 60.000 240.000 BRAKE FRANCE (Béziers)"
    for q in (
        "Qui fournit la viande fraîche sous vide de la cuisine centrale ?",
        "Qui a décroché le lot 2 (citadines) pour les véhicules de la Ville ?",
        "Qui a obtenu le marché des viandes fraîches ?",
    ):
        assert answer_type(q) == PERSON and gives_asked(q, PERSON, row), q
    q = "Quelle boîte s'occupe des menuiseries intérieures de la salle de boxe Jean Farré ?"
    assert answer_type(q) == ORGANISATION
    assert gives(ORGANISATION, "Lot 6 - menuiserie intérieures ATELIER DUCROT 15 545,00")


def test_the_opening_head_date_is_not_the_date_asked() -> None:
    from rag.lead import _states

    # 2014-05-22-0000072209.pdf p. 1: the record's lead is dated by its séance, the fact asked is another date
    q = "Quand se termine la mise à disposition des deux agents de catégorie C au GIP ?"
    record = (
        "Le 22 mai 2014, le conseil municipal de Montpellier a adopté : D’autoriser Monsieur le Maire à signer la "
        "convention relative à cette mise à disposition (adopté, décompte non précisé) [2]."
    )
    quoted = (
        "Le document cité indique : « D’approuver la mise à disposition auprès du GIP de deux agents de catégorie C à "
        "temps plein et ce jusqu’au 31/12/2014 » [2]."
    )
    assert not _states(q, "date", record) and _states(q, "date", quoted)


def test_a_salary_asks_a_level_and_a_proportion_a_percentage() -> None:
    from rag.question import LEVEL

    # 2013-06-17-0000064305.pdf p. 1
    q = "Quel salaire pour le médecin du travail recruté en juin 2013 ?"
    assert answer_type(q) == LEVEL and gives(LEVEL, "Niveau de rémunération : IB 429 à 1 157")
    # 2013-06-17-0000064313.pdf p. 1
    q = "Dans quelle proportion la Ville garantit-elle les prêts de la SERM ?"
    assert answer_type(q) == AMOUNT
    assert gives_asked(q, AMOUNT, "o Garantie requise : caution de la Ville de Montpellier à hauteur de 80 %")
    assert not gives_asked(q, AMOUNT, "o Montant : 3 000 000 €")


def test_for_or_against_asks_an_opinion_and_who_redoes_the_work_a_company() -> None:
    from rag.question import OPINION, awarded

    # 2014-05-22-0000072254.pdf: "émet un avis favorable"
    q = "Le conseil est-il pour ou contre l'exploitation de l'hypermarché Carrefour de Saint-Clément-de-Rivière ?"
    assert answer_type(q) == OPINION and gives(OPINION, "d’émettre un avis favorable à la demande d’autorisation")
    assert answer_type("Le conseil a-t-il voté pour ou contre le budget ?") == VOTE
    # 2013-06-17-0000064282.pdf: "l'offre présentée par l'entreprise ASTEN"
    q = "Qui va refaire l'asphalte coulé des trottoirs en 2013 ?"
    assert awarded(q) and gives_asked(q, PERSON, "a retenu l'offre présentée par l'entreprise ASTEN")


def test_the_seat_asked_opens_the_answer_when_the_record_lead_names_another() -> None:
    from rag.lead import _qualified
    from rag.schema import AnswerSentence, Citation

    # 2014-04-24-0000071265.pdf p. 1: the titulaires, then the suppléants read under "Le Conseil adopte."
    text = """Titulaires :
- Cédric de SAINT JOUAN
- Gérard CASTRE
- Khanthaly PHOUTTHASANG
Suppléants :
- Henri MAILLET
- Nicole LIZA
Le Conseil adopte."""
    meta = {schema.SOURCE: "deliberations/montpellier/2014-04-24-0000071265.pdf", schema.KIND: schema.KIND_DELIBERATION}
    quote = "Titulaires : - Cédric de SAINT JOUAN - Gérard CASTRE - Khanthaly PHOUTTHASANG"
    citation = Citation(n=1, chunk=Chunk("c1", text, meta), quote=quote, score=1.0)
    lead = [
        AnswerSentence(
            text="Le 24 avril 2014, le conseil municipal de Montpellier a adopté : Henri MAILLET ; Nicole LIZA [1].",
            citations=[1],
        )
    ]
    q = "Qui sont les membres titulaires de la commission de contrôle des délégataires de service public ?"
    opening = _qualified(q, PERSON, lead, [citation], _flat)
    assert opening and "SAINT JOUAN" in opening[0].text and "MAILLET" not in opening[0].text
    # the suppléants asked: the record's lead stands
    assert _qualified(q.replace("titulaires", "suppléants"), PERSON, lead, [citation], _flat) == []


def test_an_attendance_list_cut_from_its_heading_is_not_the_person_asked() -> None:
    from rag.lead import _typed_quote, roll_call
    from rag.schema import Citation

    # 2014-05-22-0000072093.pdf p. 1: the passage opens with the attendance list's tail, then "Absents :"
    first = "Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia KERANGUEVEN, Gérard LANNELONGUE. Absents : Patrick VIGNAL"
    second = "A été élue : - Mylène CHARDES"
    meta = {schema.SOURCE: "deliberations/montpellier/2014-05-22-0000072093.pdf", schema.KIND: schema.KIND_DELIBERATION,
            schema.OBJET: "Association nationale des élus de la vigne et du vin (ANEV) Désignation d'un représentant"}  # fmt: skip
    citations = [
        Citation(n=1, chunk=Chunk("c1", first, meta), quote=first, score=1.0),
        Citation(n=2, chunk=Chunk("c2", second, meta), quote=second, score=1.0),
    ]
    assert roll_call(first.split(" Absents")[0])
    q = "Qui représente la Ville à l'Association nationale des élus de la vigne et du vin ?"
    opening = _typed_quote(q, PERSON, citations, _flat)
    assert opening and "CHARDES" in opening[0].text and "VIGNAL" not in opening[0].text


def test_plural_value_nouns_ask_an_amount() -> None:
    # 2013-02-04-0000061113.pdf: "10 000 euros pour son fonctionnement et 5 000 euros pour l'organisation"
    q = "Quelles subventions la Ville de Montpellier a-t-elle attribuées à la Maison de la Poésie en février 2013 ?"
    assert answer_type(q) == AMOUNT and gives_asked(q, AMOUNT, "10 000 euros pour son fonctionnement")
    assert answer_type("Quelles cotisations la Ville paie-t-elle en 2013 ?") == AMOUNT
    assert answer_type("Quels loyers les associations paient-elles ?") == AMOUNT


def test_both_seats_of_a_designation_are_the_decisions_rows() -> None:
    from rag.decision import extract_decision

    # 2014-04-24-0000071267.pdf p. 1: the titulaires, then the suppléants, above "Le Conseil adopte."
    text = """Suite au renouvellement du Conseil municipal, il est nécessaire de désigner à nouveau les deux membres
titulaires et les deux membres suppléants de cette Commission :
Titulaires :
- Monsieur le Maire, président de droit
- Stéphanie JANNIN
Suppléants :
- Vincent HALUSKA
- Caroline NAVARRE
Le Conseil adopte."""
    (provision,) = extract_decision(text).provisions
    assert provision.rows == [
        "Titulaires : Monsieur le Maire, président de droit",
        "Stéphanie JANNIN",
        "Suppléants : Vincent HALUSKA",
        "Caroline NAVARRE",
    ]
