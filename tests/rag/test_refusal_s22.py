"""The session 22 refusal checks (rag.refusal) on real text: a row of a list or table has the year of the line
above it ("Rappel des demandes 2019"), an ordinal counts what follows it ("1er semestre"), the article "un" is
no number, and a unit written with a digit ("m3") is a word the passage can hold. Passages are copied from the
demo PDFs and the Flaux note (`pdftotext -layout`, `antiword`); figures in docs/EVALUATION.md, session 22."""

from __future__ import annotations

from rag import schema
from rag.schema import Chunk, ScoredChunk
from tests.rag.test_refusal_checks import DIVERSES  # couthenans/CR_reunion_20220121.pdf, p. 2

# data/deliberations/couthenans/CR_reunion_20210604.pdf, p. 1 (one line per row, as the loader keeps it)
SUBVENTIONS_2021 = """1 Subventions associatives
Rappel des demandes 2019, on a donné 3110€ :
ACCA : 60€
Amicale sportive 1220€
Banque alimentaire 100€
Coop scolaire 400€
Cyclo club 230€
Cette année 2000 € budget mais on peut dépasser."""
# data/deliberations/preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 5
ORANGE_2020 = """2020- 047 REDEVANCE POUR OCCUPATION DU DOMAINE PUBLIC PAR ORANGE
A ce jour, les modalités de calcul de la revalorisation du montant des redevances prévues à l'article
R20-53 du Code des Postes et communications électroniques l'article R20-53, prévoient que les
redevances sont révisées au 1er Janvier de chaque année :
Les calculs effectués en tenant compte de ces nouveaux éléments s'établissent comme suit :
Artères en aérien : 55.44 € du km linéaire
Artères souterraines : 41.66 € du km linéaire
La redevance s'établit comme suit :
Redevance 2020 longueur Prix unitaire Total
Artère aérienne 12.753 kms 55.44€ 707.03€
Artère en sous-sol 25.077 kms 41.66€ 1044.70€"""
SPORTS_2019 = """2020-048 LOCATION DES EQUIPEMENTS SPORTIFS –2019- Collège Gaston Defferre
Monsieur le Maire informe le Conseil Municipal le versement de la somme suivante :
- 850.56€ pour le 2e semestre 2019
Par le Conseil Départemental d'Indre et Loire, au titre de la location des équipements sportifs utilisés
par le Collège Gaston Defferre.
Le Conseil Municipal après en avoir délibéré à l'unanimité,
CHARGE le Maire d'émettre un titre pour un montant total de 850.56€ à l'encontre du Collège Gaston
Defferre."""
# montpellier/pdfs/2014-05-22-0000072190.pdf (unseen store): a law's date in prose is not the row's year
GROUPES_2014 = """Conformément à l'article L 2121-28 du code général des collectivités territoriales et à la Loi n° 2002-276 du
27 février 2002 relative à la démocratie de proximité, les groupes d'élus peuvent disposer de collaborateurs.
En application de ces dispositions, il est proposé d'attribuer à chaque groupe le nombre de collaborateurs figurant dans
le tableau ci-dessous exprimé en équivalent temps plein."""
# flaux/docs/20201215-3_-_note_de_synthese.doc (fresh store)
EAU_2021 = """Eau et assainissement - Conditions de facturation 2021
Monsieur le Maire expose qu'il convient, comme chaque année, de fixer les conditions de facturation de l'eau et de
l'assainissement pour l'année 2021 et propose le maintien des conditions votées par la commune en 2020 et une légère
baisse des taux des redevances à savoir :
1 - Maintien des 2 périodes : estivale : juin à septembre et hivernale : octobre à mai
2 - Maintien du prix du m3 d'eau assainie à 1.02 €."""


def _hit(text: str, date: str, title: str = "") -> ScoredChunk:
    return ScoredChunk(Chunk(id="c", text=text, meta={schema.DATE: date, schema.TITLE: title}), 1.0)


def _idf(stem: str) -> float:
    return 5.0  # every word rare: the checks then look at every topic word of the question


def test_a_row_has_the_year_of_the_list_above_it_not_the_year_of_the_seance() -> None:
    from rag.refusal import _year_met

    hit = _hit(SUBVENTIONS_2021, "2021-06-04")  # the séance of 2021 recalls the grants of 2019
    question = "Quel montant Couthenans a-t-elle versé à l'amicale sportive en {} ?"
    assert not _year_met(question.format(2021), hit, {"2021"}, _idf, {"couthenan", "2021"})
    assert _year_met(question.format(2019), hit, {"2019"}, _idf, {"couthenan", "2019"})
    # a question on this year's budget is answered by the séance of 2021 (its line writes no year)
    assert _year_met("Quel budget pour les subventions associatives en 2021 ?", hit, {"2021"}, _idf, {"2021"})


def test_a_table_row_has_the_year_of_its_header() -> None:
    from rag.refusal import _year_met

    hit = _hit(ORANGE_2020, "2020-07-23")
    question = "Quel était le tarif de la redevance Orange par kilomètre d'artère aérienne en {} ?"
    assert not _year_met(question.format(2021), hit, {"2021"}, _idf, {"2021"})
    assert _year_met(question.format(2020), hit, {"2020"}, _idf, {"2020"})


def test_a_date_in_prose_does_not_date_the_lines_below_it() -> None:
    from rag.refusal import _year_met

    hit = _hit(GROUPES_2014, "2014-05-22")
    question = "Combien de collaborateurs obtient chaque groupe d'élus en 2014 ?"
    assert _year_met(question, hit, {"2014"}, _idf, {"2014"})


def test_an_ordinal_counts_the_word_after_it() -> None:
    from rag.refusal import _numbers_met, question_numbers

    question = "Combien Preuilly a-t-elle reçu pour la location des équipements sportifs au {} semestre 2019 ?"
    assert question_numbers(question.format("1er")) == {"1": "semestr", "2019": "semestr"}
    assert question_numbers("Quel est le prix du m3 d'eau dans la 1ère tranche d'hiver ?") == {"1": "tranch"}
    hit = _hit(SPORTS_2019, "2020-07-23")
    met = {"preuilly", "2019"}
    assert not _numbers_met(question.format("1er"), [hit], _idf, met)  # "2e semestre" only; "un titre" is no 1
    assert _numbers_met(question.format("2e"), [hit], _idf, met)


def test_the_article_un_is_no_number_but_deux_is() -> None:
    from rag.refusal import _numbers

    assert "1" not in _numbers("CHARGE le Maire d'émettre un titre pour un montant total de 850.56€")
    assert "2" in _numbers("Maintien des deux périodes")


def test_a_unit_written_with_a_digit_is_a_word_of_the_passage() -> None:
    from rag.refusal import _numbers_met

    hit = _hit(EAU_2021, "2020-12-15", title="Flaux — 15 décembre 2020")
    question = "Quel prix du m3 d'eau assainie Flaux a-t-il retenu pour {} ?"
    assert _numbers_met(question.format(2021), [hit], _idf, {"flaux", "2021"})
    assert not _numbers_met(question.format(2022), [hit], _idf, {"flaux", "2022"})


# montpellier/pdfs/2014-05-22-0000072107.pdf (unseen store) and the row of 2013-03-25-0000062239.pdf
CREDIT_MUNICIPAL = """Caisse de Crédit municipal de Nîmes
Désignation du représentant de la Ville au Conseil d'orientation et de surveillance
Conformément aux dispositions statutaires de la Caisse de Crédit Municipal de Nîmes, établissement communal de
crédit et d'aide sociale, la ville de Montpellier peut être représentée au sein de son conseil."""
CLECT_LOCHES = """2020-039 DESIGNATION DES MEMBRES DE LA COMMISSION LOCALE D'EVALUATION DES CHARGES TRANSFÉRÉES DE LA
COMMUNAUTÉ de Communes de Loches Sud Touraine
Monsieur le Maire expose que le conseil communautaire de Loches Sud Touraine a décidé, par délibération en date du
16 juillet 2020, de la composition de la commission locale d'évaluation des charges transférées (CLECT)."""


def test_one_passage_must_name_every_rare_name_of_the_question() -> None:
    from rag.refusal import _names_together

    def idf(stem: str) -> float:
        return 1.0 if stem in {"vill"} else 5.0  # "la Ville" is in every Montpellier deliberation

    credit, clect = _hit(CREDIT_MUNICIPAL, "2014-05-22"), _hit(CLECT_LOCHES, "2020-07-23")
    assert _names_together("Qui représente la Ville au Crédit Municipal de Nîmes ?", [credit], set(), idf)
    # the CLECT of Loches is not the CLECT of the Pays d'Héricourt, though the question's words are all there
    question = "Combien de membres compte la CLECT de la communauté de communes du pays d'Héricourt ?"
    assert not _names_together(question, [clect, credit], set(), idf)
    assert _names_together(question.replace("Héricourt", "Loches"), [credit, clect], set(), idf)
    # a name the scope names (an indexed commune) is the scope's to judge
    assert _names_together(question, [clect], {"hericourt"}, idf)


# montpellier/pdfs/2013-03-25-0000062250.pdf (fresh store), two passages of one deliberation
DEMAT_1 = """Convention de gestion de services entre la commune de Montpellier et la communauté d'agglomération de
Montpellier pour la dématérialisation des procédures de marchés publics. La Communauté d'Agglomération propose à ses
communes membres depuis plusieurs années une solution mutualisée de dématérialisation des procédures. Maintenance et
mise à jour du portail de dématérialisation ; formations en rapport avec la plateforme de dématérialisation."""
DEMAT_2 = """Le coût annuel de mise à disposition des services de la Communauté d'Agglomération de Montpellier pour la
mise en œuvre de cette gestion de dématérialisation des procédures de marchés publics pour la commune de
Montpellier s'élève à 3 726,30 € HT par an."""


def _record(text: str, chunk_id: str, record: int) -> ScoredChunk:
    meta = {schema.DOC_ID: "d1", schema.RECORD_INDEX: record, schema.TITLE: "Délibération 2013/139"}
    return ScoredChunk(Chunk(id=chunk_id, text=text, meta=meta), 1.0)


def test_an_amount_must_sit_in_the_item_of_the_question_s_topic() -> None:
    from rag.refusal import _amount_beside_topic

    hit = _hit(DIVERSES, "2022-01-21")
    # the cats' campaign holds an amount; the asbestos diagnosis and the screen hire, two items away, do not
    assert _amount_beside_topic("Combien coûte la campagne de stérilisation des chats ?", [hit], [hit], _idf, set())
    assert not _amount_beside_topic("Quel est le coût du diagnostic amiante par l'APAVE ?", [hit], [hit], _idf, set())
    assert not _amount_beside_topic("Combien coûte la location de l'écran interactif ?", [hit], [hit], _idf, set())


def test_a_deliberation_is_one_place_with_the_other_retrieved_passages_of_its_record() -> None:
    from rag.refusal import _amount_beside_topic

    first, second = _record(DEMAT_1, "a", 0), _record(DEMAT_2, "b", 0)
    question = "Combien coûte par an à la Ville la plateforme de dématérialisation des marchés publics ?"
    assert _amount_beside_topic(question, [first], [first, second], _idf, set())  # the amount is further down
    other = _record(DEMAT_2, "b", 1)  # the same text in another deliberation of the document does not count
    assert not _amount_beside_topic(question, [first], [first, other], _idf, set())


def test_a_question_on_the_time_of_day_needs_an_hour_in_the_passages() -> None:
    from rag.french import fold
    from rag.refusal import HOUR_QUESTION_RE, HOUR_RE

    assert HOUR_QUESTION_RE.search(fold("À quelle heure la séance du conseil de Couthenans a-t-elle été levée ?"))
    assert not HOUR_QUESTION_RE.search(fold("Combien d'heures hebdomadaires pour le poste d'adjoint technique ?"))
    # preuilly-sur-claise/PV_CM_2020-07-23.pdf, p. 1 and 9; the Flaux note's opening
    assert HOUR_RE.search("La séance est levée à 20H50- Le Conseil Municipal a délibéré 15 fois -")
    assert HOUR_RE.search("La séance est ouverte à 18H30.")
    assert HOUR_RE.search("L'an deux mille vingt, le quinze décembre à vingt heures, le Conseil Municipal")
    # couthenans/CR_reunion_20210604.pdf, p. 1: no hour; a count of hours per year is no time of day
    assert not HOUR_RE.search("Conseil municipal du 4 juin 2021 Présents : Jean-Pierre, Yves, Jacques, Mathieu")
    assert not HOUR_RE.search("1427H/52 semaines")


def test_a_single_rare_name_must_be_in_a_top_passage_or_another_retrieved_passage_of_its_record() -> None:
    from rag.question import name_stems
    from rag.refusal import _names_together

    # montpellier/pdfs/2013-02-04-0000061092.pdf (unseen store): a shop front grant, in another street
    façade = _record(
        "Requalification du local commercial situé 12 rue de l'Argenterie : subvention de 4 661 €.", "a", 0
    )
    question = "Quel montant de subvention la Ville a-t-elle accordé pour la devanture d'un commerce rue de la Loge ?"

    def idf(stem: str) -> float:
        return 1.0 if stem == "vill" else 5.0

    assert not _names_together(question, [façade], set(), idf, [façade])
    row = _record("Commerce de la rue de la Loge : 3 000 €", "b", 0)  # a row of the same record, retrieved lower
    assert _names_together(question, [façade], set(), idf, [façade, row])
    # "M. Martin": a name after a civility is inside the sentence
    assert "martin" in name_stems("Quel prix pour la parcelle de M. Martin, route de Bionne ?")


def test_the_month_of_an_event_must_be_written_by_a_passage() -> None:
    from rag.refusal import _month_written
    from rag.scope import Facets, parse_scope

    facets = Facets(
        communes={"couthenans": "Couthenans"}, dates={"2021-06-04"}, commune_dates={"couthenans": {"2021-06-04"}}
    )
    scope = parse_scope("Quelles demandes de subvention sont arrivées avant fin décembre 2020 à Couthenans ?", facets)
    assert (scope.years, scope.event_month, scope.missing_label()) == ((2020,), "2020-12", "")
    # couthenans/CR_reunion_20210604.pdf, p. 1
    hit = _hit("Normalement les associations auraient dû faire les demandes avant fin décembre 2020.", "2021-06-04")
    assert _month_written("2020-12", hit)
    assert not _month_written("2020-11", hit) and not _month_written("2019-12", hit)
