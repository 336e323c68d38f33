"""Session 28 (issue 15): key facts over the whole corpus, where a record's passages are ranked among other records'
and the law makes council words rare. Each behaviour is checked on the text of real corpus documents as the store
holds them: the lycées' representatives of 2014-05-22-0000072063.pdf, the cohesion grants of
2013-03-25-0000062240.pdf, the Maison de la Poésie's grants of 2013-02-04-0000061113.pdf and the stamped Flaux
procès-verbal of 15 December 2023 (PV_DU_15_DECEMBRE_2024-tampon.pdf, OCR text)."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import (
    ExtractiveAnswerer,
    _Candidate,
    _completed,
    _passage_sentences,
    _record_fact,
    _record_key,
    _rows_alike,
    ends_with_item,
    scope_excused,
)
from rag.lexical import LexicalIndex
from rag.meeting import asks_about_meeting
from rag.question import AMOUNT, DATE, NUMBER, PERSON, answer_type, other_numbered
from rag.retrieve import HybridRetriever, Retrieval
from rag.rows import names_unquoted, typed_row
from rag.schema import ScoredChunk
from rag.scope import Scope
from rag.settings import Settings
from rag.text import tokens
from tests.rag.record_store import document_store, flat_idf


def _retrieval(hits: list[ScoredChunk], scope: Scope | None = None) -> Retrieval:
    return Retrieval(hits=list(hits), best_dense=1.0, exact_articles=[], query_vector=None, scope=scope)


# 2014-05-22-0000072063.pdf p. 1 (passage 2): the lycées' seats, one block an establishment.
LYCEES = """Lycées professionnels, lycées généraux et autres établissements scolaires du
second degré de Montpellier
Désignation des représentants de la Ville dans les conseils
Monsieur le Maire, Philippe Saurel, rapporte :
A la suite de l’élection du nouveau Maire et des adjoints, il convient de procéder à la désignation de ces
représentants.
Ont été élus :
Lycées Quartier Elu(s)
Lycée Joffre
CENTRE Titulaires :
- Cédric de SAINT-JOUAN
- Abdi EL KANDOUSSI
Suppléants :
- Titina DA SYLVA
- Rémi ASSIE
Lycée Clemenceau
CENTRE Titulaires :
- Luc ALBERNHE
- Pascal KRZYZANSKI
Suppléants :
- Maud BODKIN
- Guy BARRAL
Lycée Mermoz CENTRE Titulaires :"""


def test_a_row_naming_the_question_more_than_each_quote_is_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Qui sont les titulaires qui représentent la Ville au conseil d'administration du lycée Joffre ?"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072063.pdf",
        [LYCEES],
        [1],
        schema.KIND_DELIBERATION,
        [0],
    )
    # over the whole corpus, the quotes hold another lycée's seats and the collèges' record's "Collège Joffre"
    quoted = "Lycée Mermoz CENTRE Titulaires :\nCollège Joffre CENTRE Titulaires :"
    row = typed_row(question, PERSON, hits, quoted, store, flat_idf)
    assert row is not None and "Lycée Joffre" in row[2] and "Abdi EL KANDOUSSI" in row[2]
    # a quote naming the lycée as the row does: nothing to add
    assert not names_unquoted(question, row[2], "Titulaires du Lycée Joffre :", flat_idf)
    # "la Ville" is no name (rag.question.name_stems): a row writing it names nothing more
    assert not names_unquoted(question, "Ville de Montpellier Titulaires : - Rémi ASSIE", quoted, flat_idf)


# 2013-03-25-0000062240.pdf: the table of grants (p. 1, passage 3), the operative part (p. 2, passage 4).
GRANTS = """Numéro
Association Association Nature Montant
429 RAIPONCE  F 3 200 €
1155 ADAGES ANIMATION COLLECTIVE DES FAMILLES  F 11 500 €
1463 PEDAGOGIE ET PRISON  M 500 €
2971 ASSOCIATION DE MEDIATION PENALE MONTPELLIERAINE  F 5 000 €
1036 APS 34 F 5 700 €
   46  550 €"""
GRANTS_DECIDED = """En conséquence, il est proposé au Conseil municipal :
- de décider de l’affectation des subventions ci-dessus, sous réserve de la signature de la lettre d’engagement ou de la
convention ;
- de prélever ces sommes sur les crédits inscrits au budget 2013 de la Ville sur l’imputation suivante : nature 6574,
chapitre 925- ligne de crédit 21498, pour un montant de 46 550 € ;
- d’approuver la lettre d’engagement ou la convention type annexée à la présente délibération ;
Le Conseil adopte."""


def test_the_row_naming_the_association_comes_before_the_line_labelled_by_the_word_asked(
    tmp_path: Path, embedding_cache: Path
) -> None:
    question = "Quel montant la Ville a-t-elle attribué à l'association RAIPONCE au titre de la cohésion sociale ?"
    assert answer_type(question) == AMOUNT
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-03-25-0000062240.pdf",
        [GRANTS, GRANTS_DECIDED],
        [1, 2],
        schema.KIND_DELIBERATION,
        [0, 0],
        "2013-03-25",
    )
    # the sentence quoted from the operative part; the imputation two lines under it writes "montant" (the word asked)
    decided = "de décider de l’affectation des subventions ci-dessus, sous réserve de la signature de la lettre"
    row = typed_row(question, AMOUNT, hits[1:], "", store, flat_idf, near=decided)
    assert row is not None and "429 RAIPONCE" in row[2] and "3 200 €" in row[2]
    # a question naming no association keeps the line labelled by the word asked
    total = typed_row(
        "Quel montant total la Ville a-t-elle prélevé ?", AMOUNT, hits[1:], "", store, flat_idf, near=decided
    )
    assert total is not None and "46 550 €" in total[2] and "RAIPONCE" not in total[2]


# 2013-02-04-0000061113.pdf p. 2 (passage 7): the association's two grants, one a row.
POESIE = """Considérant que les objectifs poursuivis par l’association Maison de la Poésie s’inscrivent pleinement dans la politique de
la Ville en matière de diffusion de la poésie, de défense du livre, de l’écrit et de la lecture, il est proposé de lui
attribuer deux subventions: 10 000 euros pour son fonctionnement et 5 000 euros pour l’organisation de l’édition
montpelliéraine du Printemps des Poètes 2013, et de passer avec l’association une convention de partenariat jointe en
annexe. Le budget prévisionnel global de l’association Maison de la Poésie est également joint en annexe.
Tableau d’attribution
Code
association
Nom Association Nature Montant
3988 Maison de la Poésie F 10 000 €
3988 Maison de la Poésie P 5 000 €
                                                                      TOTAL  15 000 €
Crédits inscrits au chapitre 923, nature 6574, ligne de crédit 1596"""


def test_a_question_asking_several_values_gets_every_row_of_what_it_names() -> None:
    hit = ScoredChunk(
        chunk=schema.Chunk("poesie-7", POESIE, {schema.KIND: schema.KIND_DELIBERATION, schema.PAGE: 2}), score=1.0
    )
    first = _Candidate(0, "3988 Maison de la Poésie F 10 000 €", 0.9, 6, True)
    plural = (
        "Quelles subventions la Ville de Montpellier a-t-elle attribuées à la Maison de la Poésie en février 2013 ?"
    )
    found = [c.sentence for c in _rows_alike(plural, AMOUNT, [first], _retrieval([hit]))]
    assert found == ["3988 Maison de la Poésie P 5 000 €"]  # not the TOTAL, which names no association
    single = "Quelle subvention de fonctionnement la Maison de la Poésie a-t-elle reçue ?"
    assert _rows_alike(single, AMOUNT, [first], _retrieval([hit])) == []


# PV_DU_15_DECEMBRE_2024-tampon.pdf p. 1 (passage 0, OCR): the prefecture's frame, then the séance's opening.
FLAUX_PV = """Envoyé en préfecture le 12/02/2024
REPUBLIQUE FRANCAISE
DEPARTEMENT du GARD
Nombre de membres
en exercice : il
qui ont pris part à la
délibération : 9
dont 3 procurations
Date de la convocation :
12 décembre 2023
Objet :
Procès verbai
conseil municipal du
15 décembre 2023
1/5
Séance du 15 décembre 2023
L'an deux mille vingt-trois le quinze décembre à dix-huit heures trente, le Conseil Municipal
de la commune, régulièrement convoqué, s’est réuni au nombre prescrit par la loi, dans la
salle de réunion de la mairie, sous la présidence de Monsieur Denis JUVIN - Maire"""


def test_the_scope_of_the_question_names_no_row(tmp_path: Path, embedding_cache: Path) -> None:
    question = (
        "Combien de conseillers municipaux de Flaux ont pris part aux délibérations du 15 décembre 2023, "
        "dont combien de procurations ?"
    )
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/flaux/PV_DU_15_DECEMBRE_2024-tampon.pdf",
        [FLAUX_PV],
        date="2023-12-15",
    )
    scope = Scope(date="2023-12-15", years=(2023,), stems=frozenset(tokens("Flaux 15 décembre 2023")))
    excused = scope_excused(flat_idf, _retrieval(hits, scope))
    assert [excused(t) for t in tokens("Flaux décembre 2023 procurations")] == [0.0, 0.0, 0.0, 1.0]
    assert asks_about_meeting(question)  # (who attended: the meeting's frame answers)
    row = typed_row(question, NUMBER, hits, "", store, excused, about_meeting=True)
    assert row is not None and "9 dont 3 procurations" in row[2]
    # with the scope's words counted, the séance's line names the question more
    counted = typed_row(question, NUMBER, hits, "", store, flat_idf, about_meeting=True)
    assert counted is not None and "9 dont 3 procurations" not in counted[2]
    # the same séance's year, named as an event's in a later record, counts
    later = [ScoredChunk(chunk=schema.Chunk("x", "x", {**hits[0].chunk.meta, schema.DATE: "2024-02-02"}), score=1.0)]
    assert scope_excused(flat_idf, _retrieval(later, scope))("2023") == 1.0


def test_the_best_records_passages_ranked_fourth_and_fifth_are_read(tmp_path: Path, embedding_cache: Path) -> None:
    # one document holding two records: the grants (record 0) and, as record 1, other deliberations' text
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-03-25-0000062240.pdf",
        [GRANTS, LYCEES, POESIE, GRANTS_DECIDED, FLAUX_PV],
        [1, 1, 2, 2, 3],
        schema.KIND_DELIBERATION,
        [0, 1, 1, 0, 1],
        "2013-03-25",
    )
    assert _record_key(hits[0].chunk) == _record_key(hits[3].chunk) != _record_key(hits[4].chunk)
    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache)
    retriever = HybridRetriever(store=store, settings=settings, lexical=LexicalIndex(store=store))
    answerer = ExtractiveAnswerer(retriever=retriever, settings=settings)
    question = "Quel montant total la Ville a-t-elle prélevé pour les subventions de cohésion sociale ?"
    retrieval = _retrieval(hits)
    rest = answerer._record_rest(question, retrieval)
    assert rest and {c.hit_index for c, _ in rest} == {3}  # the grants' operative part, not the fifth passage
    assert any("46 550 €" in c.sentence for c, _ in rest)
    picked = answerer.select_sentences(question, retrieval)
    assert any("46 550 €" in c.sentence for c in picked)


# 2014-05-22-0000072065.pdf: the universities' seats (p. 1, passage 3, its start; p. 2, passage 5).
UNIVERSITIES_I = """Instance  Université Représentants proposés
Conseil d’administration Université Montpellier I Titulaire  : -Mylène CHARDES
Suppléant :-Annie YAGUE
Conseil d’UFR Droit Université Montpellier I Titulaire  : -Nicole LIZA
Suppléant :-Khanthaly PHOUTTHASANG"""
UNIVERSITIES_III = """Conseil d’administration de
l’Institut des technosciences
de l’information et de la
communication
Université Montpellier III Titulaire  : - Samira SALOMON
Suppléant : - Anne-Louise KNAPNOUGEL
En conséquence, il est proposé au Conseil municipal de désigner les représentants dans ces instances."""


def test_a_name_numbered_otherwise_is_another_one(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Qui est titulaire pour la ville au conseil d'administration de l'Université Montpellier I ?"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072065.pdf",
        [UNIVERSITIES_III, UNIVERSITIES_I],
        [2, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
    )
    assert other_numbered(question, "Université Montpellier III Titulaire : - Samira SALOMON")
    row = typed_row(question, PERSON, hits, "", store, flat_idf)
    assert row is not None and "Mylène CHARDES" in row[2]  # not Montpellier III's, ranked first


# 2014-04-24-0000071271.pdf p. 1 (passage 3, its end): the members elected, the prefecture's stamp across the list.
HALLES = """Membres titulaires :
- Samira SALOMON
- Patrick RIVAS
Accusé de réception – Ministère de l’intérieur
Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
28/04/2014
28/04/2014
034-213401722-20140424-0000071271-DE
- Caroline NAVARRE
- Nicole LIZA
- Mylène CHARDES
- Luc ALBERNHE
Membres suppléants :
- Anne-Louise KNAPNOUGEL
- Jean-Marc DI RUGGIERO
Le Conseil adopte."""


def test_a_quoted_item_goes_on_with_its_list(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-04-24-0000071271.pdf",
        [HALLES],
        [1],
        schema.KIND_DELIBERATION,
        [0],
        "2014-04-24",
    )
    row = _Candidate(0, "Membres titulaires : - Samira SALOMON", 0.0, 10_000, False)
    out = _completed([row], _retrieval(hits), store)
    assert [c.sentence for c in out] == [
        "Membres titulaires : - Samira SALOMON",
        "- Patrick RIVAS […] - Caroline NAVARRE - Nicole LIZA - Mylène CHARDES - Luc ALBERNHE",
    ]  # (not the next label's list, another seat's)


def test_a_list_ending_its_passage_goes_on_in_the_next_one(tmp_path: Path, embedding_cache: Path) -> None:
    # the same list, cut where a passage would end
    first, second = HALLES.split("\nAccusé de réception")[0], "- Caroline NAVARRE\n- Nicole LIZA\nMembres suppléants :"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-04-24-0000071271.pdf",
        [first, second],
        [1, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
        "2014-04-24",
    )
    assert ends_with_item("Membres titulaires : - Samira SALOMON - Patrick RIVAS", first)
    row = _Candidate(0, "Membres titulaires : - Samira SALOMON - Patrick RIVAS", 0.0, 10_000, False)
    retrieval = _retrieval(hits[:1])
    out = _completed([row], retrieval, store)
    assert [c.sentence for c in out[1:]] == ["- Caroline NAVARRE - Nicole LIZA"]
    assert retrieval.hits[out[1].hit_index].chunk.id == hits[1].chunk.id  # cited from the passage that holds it


# 2013-02-04-0000061137.pdf p. 1: the report's opening (passage 2) and the passage under the stamp (passage 5).
CEVENNES_OPENING = """QUARTIER DES CEVENNES
Opération Programmée d'Amélioration de l'Habitat (OPAH)
Copropriété Cévennes 1
Attribution d'une subvention
en partie commune pour le bâtiment L
Christian BOUILLE rapporte :
Par délibération en date du 03 mai 2010, la Ville de Montpellier a signé, en partenariat avec l’Agence
Nationale de l’Habitat (ANAH), la Communauté d’Agglomération de Montpellier, une convention
d’Opération Programmée d’amélioration de l’habitat (OPAH) –Copropriété dégradée Cévennes 1. Ce
dispositif permet la mise en œuvre d’un programme de réhabilitation des parties communes et privatives de la
copropriété et acte les engagements des différents financeurs."""
CEVENNES_CLAH = """Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
06/02/2013
06/02/2013
034-213401722-20130204-0000061137-DE
Par délibération de la Commission Locale d’Amélioration de l’Habitat (CLAH) en date du 12 décembre 2012,
sur un montant total de travaux subventionnables de 933 049,86 € HT, l’ANAH a décidé de réserver pour le
bâtiment L une subvention d’un montant de 540 000 €. Sur cette base et conformément à son engagement
inscrit dans la convention pluriannuelle d’OPAH, la Ville de Montpellier a apporté son concours pour un
montant de 93 30 4 €  soit 10 % du montant des travaux subventionnables.
En conséquence, il est proposé au Conseil Municipal :"""


def test_the_records_sentence_not_retrieved_that_names_the_question_more_is_quoted(
    tmp_path: Path, embedding_cache: Path
) -> None:
    question = "À quelle date la commission locale d'amélioration de l'habitat a-t-elle statué sur le bâtiment L de Cévennes 1 ?"
    assert answer_type(question) == DATE
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-02-04-0000061137.pdf",
        [CEVENNES_OPENING, CEVENNES_CLAH],
        [1, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
        "2013-02-04",
    )
    quoted = next(s for _, s, _ in _passage_sentences(hits[0].chunk) if "03 mai 2010" in s)
    retrieval = _retrieval(hits[:1])  # the passage under the stamp is not among the hits
    found = _record_fact(question, DATE, [_Candidate(0, quoted, 0.9, 1, True)], retrieval, store, flat_idf, _never)
    assert len(found) == 1 and "12 décembre 2012" in found[0].sentence
    assert retrieval.hits[found[0].hit_index].chunk.id == hits[1].chunk.id  # cited from its passage
    # a quote that names the question as much: nothing read outside the hits
    clah = next(s for _, s, _ in _passage_sentences(hits[1].chunk) if "12 décembre 2012" in s)
    assert (
        _record_fact(question, DATE, [_Candidate(0, clah, 0.9, 1, True)], _retrieval(hits[:1]), store, flat_idf, _never)
        == []
    )


def _never(_: _Candidate) -> bool:
    return False


# 2014-05-22-0000072218.pdf p. 1 (passage 4, its end): a programme, each entry under its time.
PROGRAMME = """DIMANCHE 25 MAI
11h30-12h30 :
Entretien littéraire avec Marek Halter.
14h-15h30 :
Table ronde autour de la Fantasy.
Avec Jérôme Noirez, Laurent Kloetzer, Jean-Louis Fetjaine."""


def test_a_quoted_entry_reads_with_its_own_label_not_the_next_ones(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072218.pdf",
        [PROGRAMME],
        [1],
        schema.KIND_DELIBERATION,
        [0],
    )
    position = next(p for p, s, _ in _passage_sentences(hits[0].chunk) if "Marek Halter" in s)
    entry = _Candidate(0, "Entretien littéraire avec Marek Halter.", 0.9, position, True)
    out = _completed([entry], _retrieval(hits), store)
    assert (
        out[0].sentence == "11h30-12h30 : Entretien littéraire avec Marek Halter."
    )  # not "... 14h-15h30 : Table ronde"
    # a candidate completed twice (the same sentence found again) gets its label once
    assert _completed([entry], _retrieval(hits), store)[0].sentence == out[0].sentence
