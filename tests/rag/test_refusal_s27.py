"""Session 27's refusal checks (rag.refusal), on real text copied from the stores' documents (the quotes the extractive
answer gave): what the question asks must be what the answer states. A unit asked ("au m²", "quelle puissance") is
written with the value; a date asked of an event is not the séance's nor a budget's label ("inscrite au BP 2014"); a
company asked is not named by an attendance list, by the names the question gives itself, nor by a school named after a
person; a year with no word of its own may be the title's of a table of grants. Figures in docs/EVALUATION.md, session
27."""

from __future__ import annotations

from rag import schema
from rag.refusal import _asked_given, _own_names_removed, question_numbers, unit_asked
from rag.refusal import _numbers_met as numbers_met
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk

# montpellier/pdfs/2013-02-04-0000061138.pdf, p. 2 (s26 store)
OPAH_2013 = (
    "Ainsi les plafonds de 5000€ et 7000€, respectivement pour les OPAH RU St Guilhem-Laissac-Sud Comédie et Gambetta, "
    "Figuerolles et Nord-Ecusson sont ramenés à 4000€."
)
# montpellier/pdfs/2013-03-25-0000062233.pdf, p. 1 (s25 store)
ARCHIVES_2013 = (
    "de la parcelle CD 291 d’une superficie de 3492 m² supportant le bâtiment principal affecté aux archives, d’une "
    "superficie utile d’environ 8137 m², représentant environ 34 km linéaires d’archivage,"
)
# 20201215-3_-_note_de_synthese.doc (fresh store)
FLAUX_WATER_2020 = (
    "1 - Maintien des 2 périodes : estivale : juin à septembre et hivernale : octobre à mai 2 - Maintien du prix du m3 "
    "d’eau assainie à 1.02 €."
)
# montpellier/pdfs/2013-06-17-0000064271.pdf, p. 1 (s26 store)
IBM_2013 = (
    "Par arrêté préfectoral n° 2013-I-563 en date du 21 mars 2013, Monsieur le Préfet de l’Hérault a ordonné l’ouverture "
    "d’une enquête publique, qui s’est déroulée du jeudi 18 avril 2013 au vendredi 31 mai 2013 inclus, à l’égard de la "
    "demande formulée par Monsieur LECAILLE, Directeur d’établissement d’IBM France à Montpellier"
)
# montpellier/pdfs/2014-05-22-0000072214.pdf, p. 1 (s26 store): the answer's opening, then a quote
MODULES_LEAD = (
    "Le 22 mai 2014, le conseil municipal de Montpellier a délibéré : D’approuver le principe de la pose de modules "
    "préfabriqués ; D’autoriser le dépôt de dossiers de demande de permis de construire auprès des services compétents ; "
    "De dire que la dépense est inscrite au BP 2014, section investissement, fonction 90211 et 90212, nature (adopté, "
    "décompte non précisé) [1]."
)
MODULES_2014 = (
    "Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia KERANGUEVEN, Gérard LANNELONGUE. Absents : Patrick "
    "VIGNAL […] Mise en place de modules préfabriqués - Diverses écoles […] Ecoles élémentaire et maternelle Jean MACE – "
    "Paul ELUARD, pose de modules pour la création de salles d’activités, de dortoirs et de sanitaires complémentaires "
    "pour un montant de 750 000€TTC. […] Ecole primaire Victor SCHOELCHER- Lily BOULANGER, pose de modules pour la "
    "création de salle de classe, dortoirs et sanitaires pour un montant de 750 000€ TTC."
)
# montpellier/pdfs/2013-06-17-0000064292.pdf, p. 1 (s24 store)
SERM_ADVANCE_2013 = (
    "La convention d’avance de trésorerie est consentie au plus tard jusqu’au 31 décembre 2016, date à laquelle elle "
    "devra avoir été entièrement remboursée."
)
# montpellier/pdfs/2013-02-04-0000061100.pdf, p. 1 (s25 store): a table's header and the row under it
LOT_HEADER_2013 = "Lot Entreprise Moyenne des besoins sur 1 an Montants retenus sur bordereau de prix"
# montpellier/pdfs/2013-02-04-0000061122.pdf, p. 3 (s26 store), and its record's title
REPORTS_2013 = """CODE STRUCTURE NATURE SUBV ACCORDE A REPORTER
5599 Team Marcou P 8 000 €               2 400 €
5368 Montpellier Rugby Club SASP F 114 000 €          57 000 €
3176 Festival International des sports extremes - FISE P 9 000 €               2 700 €"""
REPORTS_TITLE = "Délibération 2013/55 — Report d'affectation de subventions votées en 2012"


def _chunk(text: str, title: str = "Délibération") -> Chunk:
    meta = {schema.DOC_ID: "doc", schema.TITLE: title, schema.KIND: schema.KIND_DELIBERATION, schema.RECORD_INDEX: 0}
    return Chunk(id="doc-0", text=text, meta=meta)


def _given(question: str, quote: str, opening: str | None = None) -> bool:
    """_asked_given for an answer quoting `quote` as [1], after `opening` when given."""
    citation = Citation(n=1, chunk=_chunk(quote), quote=quote)
    line = AnswerSentence(text=f"Délibération : « {quote} » [1]", citations=[1])
    lead = [AnswerSentence(text=opening, citations=[1])] if opening else []
    return _asked_given(question, [*lead, line], [citation])


def test_a_rate_per_square_metre_is_written_with_its_unit() -> None:
    question = (
        "Quel loyer au m² un propriétaire bailleur doit-il respecter après travaux dans l'OPAH Gambetta-Figuerolles ?"
    )
    assert not _given(question, OPAH_2013)  # ceilings of grants, in euros only
    assert _given("Quelle est la superficie de la parcelle CD 291 du site des anciennes archives ?", ARCHIVES_2013)


def test_the_thing_priced_is_no_unit_asked() -> None:
    # "le prix du m3 d'eau assainie": the answer repeats "prix du m3 d'eau assainie à 1.02 €" (a scan may lose the "3")
    assert unit_asked("Quel prix du m3 d'eau assainie Flaux a-t-il retenu pour 2021 ?") is None
    assert _given("Quel prix du m3 d'eau assainie Flaux a-t-il retenu pour 2021 ?", FLAUX_WATER_2020)


def test_a_power_asked_needs_a_power() -> None:
    assert not _given("Quelle est la puissance électrique du centre de serveurs d'IBM à Grabels ?", IBM_2013)
    assert _given("Quelle est la puissance du centre de serveurs ?", "une puissance électrique de 12 MW sera installée")


def test_a_date_of_an_event_is_not_the_seance_nor_a_budget_label() -> None:
    question = "Quand les modules préfabriqués des écoles seront-ils livrés ?"
    assert not _given(question, "Mise en place de modules préfabriqués - Diverses écoles", MODULES_LEAD)
    question = (
        "Jusqu'à quand l'avance de trésorerie consentie à la SERM pour la ZAC Port Marianne doit-elle être remboursée ?"
    )
    assert _given(question, SERM_ADVANCE_2013)


def test_a_company_is_not_named_by_who_attended_nor_by_the_schools_asked_about() -> None:
    question = (
        "Quelle société fournit les modules préfabriqués installés dans les écoles Jean Macé et Victor Schoelcher ?"
    )
    assert not _given(question, MODULES_2014)
    assert _given(question, MODULES_2014 + " Les modules seront fournis par la société ALGECO.")
    assert "SCHOELCHER" not in _own_names_removed(question, MODULES_2014)


def test_a_table_header_still_names_the_company_of_its_row() -> None:
    question = (
        "Quelle entreprise a décroché le lot génie civil et fibre optique pour l'extension de la vidéoprotection ?"
    )
    assert _given(question, LOT_HEADER_2013)


def test_a_year_without_a_word_is_the_title_of_a_table_of_grants() -> None:
    question = "Combien reste-t-il à verser au Montpellier Rugby Club sur sa subvention de 2012 ?"
    assert question_numbers(question) == {"2012": None}
    hit = ScoredChunk(_chunk(REPORTS_2013, REPORTS_TITLE), 1.0)
    assert numbers_met(question, [hit], lambda stem: 5.0, set())
    other = ScoredChunk(
        _chunk(REPORTS_2013, "Délibération 2013/56 — Report d'affectation de subventions votées en 2011"), 1.0
    )
    assert not numbers_met(question, [other], lambda stem: 5.0, set())


def test_a_question_typed_in_haste_is_read_as_written_properly() -> None:
    from rag.refusal import key_nouns, qualifiers, respelt

    def idf(stem: str) -> float:
        return 1.0 if stem in {"vill", "pai", "terrain", "gracias", "bionn", "minimum", "march", "bloc"} else 9.0

    # an inversion typed without hyphens: "paie" is the verb, not a qualifier of "la Ville"
    question = respelt("Combien la Ville paie t elle les terrains de M. GRACIAS à Bionne ?", idf)
    assert question == "Combien la Ville paie-t-elle les terrains de M. GRACIAS à Bionne ?"
    assert "pai" not in qualifiers(question)
    # "etait" without its accent is the verb "était", no noun the passages must write
    assert "etait" not in key_nouns(respelt("Quel etait le minimum annuel du marché 1M485-125 ?", idf))
    # a number in words is read as the documents write it ("4 Blocs WC année 95/97 de marque MDO")
    assert "quatr" not in key_nouns(respelt("Les quatre blocs WC MDO mis au rebut par la ville, ils vont où ?", idf))
    assert respelt("Quel taux pour le prêt de cinq millions de la Caisse des Dépôts ?", idf).count("5 millions") == 1
    assert respelt("l’assemblée générale de l’ANACEJ", idf) == "l'assemblée générale de l'ANACEJ"


# PV_DU_22_SEPT_2023-tampon.pdf (s23 store, OCR text as ingestion reads it)
REMOULINS_2023 = (
    "VU ka délibération de Remoulins en date du 20 juin 2023 fixant la répartition intercommunale des charges de "
    "fonctionnement des écoles publiques à hauteur 1 602.91 € par élève de maternelle et son projet convention."
)


def test_a_rate_per_unit_of_another_kind_is_refused() -> None:
    from rag.refusal import _other_category

    assert _other_category("Combien Flaux paie-t-elle à Remoulins par élève d'école élémentaire ?", REMOULINS_2023)
    assert not _other_category("Combien Flaux paie-t-elle à Remoulins par élève de maternelle ?", REMOULINS_2023)
    # no rate per unit asked: the check says nothing
    assert not _other_category(
        "Combien Flaux paie-t-elle pour la scolarité d'un enfant en maternelle ?", REMOULINS_2023
    )
