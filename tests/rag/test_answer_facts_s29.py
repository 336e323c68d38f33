"""Session 29 (issue 15): answers that state the key fact the right record writes. A typed scan of every sentence of
the best record (rag.answer._record_scan, rag.question.value_near), the opening choosing the value the question's words
stand next to (rag.lead), a sum in millions of euros, and the record's line naming the question's names no quote writes
(rag.answer._names_unquoted). Checked on the text of real corpus documents as the store holds them: the Cafpro
convention of 2013-06-17-0000064280.pdf, the Panacée of 2013-02-04-0000061107.pdf, the Comédie du livre's programme of
2014-05-22-0000072218.pdf and the trench works' group purchase of 2013-02-04-0000061097.pdf."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _Candidate, _names_unquoted, _passage_sentences, _record_scan, _slot_sequel
from rag.lead import lead_sentences
from rag.question import AMOUNT, DATE, DURATION, amounts, answer_type, asks_money, gives_asked, value_near
from rag.retrieve import Retrieval
from rag.schema import Citation, ScoredChunk
from tests.rag.record_store import document_store, flat_idf


def _retrieval(hits: list[ScoredChunk]) -> Retrieval:
    return Retrieval(hits=list(hits), best_dense=1.0, exact_articles=[], query_vector=None, scope=None)


# 2013-06-17-0000064280.pdf p. 1-2 (passages 2, 3 and 4 of the record): the Cafpro convention.
CAFPRO_TARIFS = """Convention de Service « Cafpro » entre la CAF et la Ville
 Autorisation pour l’accès professionnel aux données des Caf
Michel PASSET rapporte :
Afin de déterminer la situation des familles pour le règlement des frais de garde dans les
établissements et services d’accueil municipaux du jeune enfant (crèches, multi accueils, accueils
familiaux) ainsi que dans les accueils de loisirs sans hébergement périscolaires et extrascolaires
(ALAE et ALSH), la Ville de Montpellier prend en compte les ressources des familles et le nombre de
personnes à charge.
Pour définir les tarifs, établis à partir d’un barème imposé par la CNAF pour les établissements
d’accueil de jeunes enfants, les familles allocataires CAF doivent communiquer chaque année, aux
services de la Ville concernés, le dernier avis d’imposition et une attestation de la CAF datant de
moins de trois mois et mentionnant leur quotient familial."""
CAFPRO_TERM = """Dans l’objectif de simplifier les démarches administratives pour les usagers, de rationnaliser le
recensement des informations manquantes mais également devant la difficulté à obtenir dans les
délais des pièces fiables et contrôlées, la Caisse d’Allocations Familiales de l’Hérault propose, à ses
partenaires et aux organismes tiers justifiant d’un besoin professionnel, l’accès direct à son service
télématique « Cafpro ».
Ce service permet de visualiser en temps réel la situation ainsi que les ressources des familles
allocataires. Cet accès est conditionné à la signature d'une convention de service entre la CAF et la
Ville pour les établissements précités qui ont fait l’objet d’une signature de convention d’objectif et de
financement pour le versement de la prestation de service. Cette convention est conclue pour un an
renouvelable par tacite reconduction par période d’un an.
Accusé de réception – Ministère de l’intérieur
Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
20/06/2013
20/06/2013
034-213401722-20130617-0000064280-DE
Après étude, il est demandé au Conseil Municipal :"""
CAFPRO_DECIDED = """- D’approuver les termes de la convention de service entre la Ville et la CAF afin d’autoriser l’accès
aux données « Cafpro » pour les agents justifiant d’un besoin professionnel;
- D’autoriser Madame le Maire ou à défaut, l’Adjoint Délégué, à signer la convention de service
« Cafpro » ci jointe et tout document relatif à cette affaire.
Le Conseil adopte."""


def test_the_record_scan_quotes_the_duration_the_question_frames(tmp_path: Path, embedding_cache: Path) -> None:
    question = "La convention Cafpro avec la CAF, elle est signée pour combien de temps ?"
    assert answer_type(question) == DURATION
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-06-17-0000064280.pdf",
        [CAFPRO_TARIFS, CAFPRO_TERM, CAFPRO_DECIDED],
        [1, 1, 2],
        schema.KIND_DELIBERATION,
        [0, 0, 0],
    )
    # retrieved: the operative part and the tarifs' passage, whose "moins de trois mois" was quoted by meaning; the
    # passage saying how long the convention lasts was not retrieved
    retrieval = _retrieval([hits[2], hits[0]])
    tarifs = next(s for s in CAFPRO_TARIFS.replace("\n", " ").split(". ") if s.startswith("Pour définir"))
    picked = [_Candidate(1, tarifs, 0.9, 4, True)]
    found = _record_scan(question, DURATION, picked, retrieval, store, flat_idf, False)
    assert len(found) == 1 and found[0].sentence.startswith("Cette convention est conclue pour un an")
    assert retrieval.hits[found[0].hit_index].chunk.id == hits[1].chunk.id  # the record's passage, cited too
    # the question's preposition introduces that value, not the tarifs' one
    assert value_near(question, DURATION, found[0].sentence)[0] == 1 and value_near(question, DURATION, tarifs)[0] == 0
    # a quote giving that value already: nothing to add
    said = [*picked, _Candidate(0, found[0].sentence, 0.9, 0, True)]
    assert _record_scan(question, DURATION, said, _retrieval([hits[1], hits[0]]), store, flat_idf, False) == []


# 2013-02-04-0000061107.pdf p. 1 (passages 2 and 3): the Panacée's cost, then the grant asked.
PANACEE_COST = """Centre d'art contemporain la Panacée
Demande de subvention auprès de la Communauté d'Agglomération de
Montpellier
Philippe SAUREL rapporte :
Par délibération en date du 25 juillet 2006, la Ville a approuvé le dépôt des demandes de subventions pour la
réalisation du Centre d’art Contemporain la Panacée.
Le coût du projet, qui sera achevé en 2013, s’élève pour la Ville à 10,8 millions d’euros.
La Région Languedoc Roussillon a financé cet équipement à hauteur de 2 250 000 €"""
PANACEE_DECIDED = """En conséquence, il est proposé au Conseil municipal :
- d’autoriser le dépôt d’une demande de subvention auprès de la Communauté d’Agglomération de Montpellier
au titre des Projets d’Intérêt Commun 2013 pour la réalisation du Centre d’Art Contemporain la Panacée, pour
un montant de 167 224 € au titre de la dernière phase de travaux ;
Le Conseil adopte."""
PANACEE_SENTENCE = "Le coût du projet, qui sera achevé en 2013, s’élève pour la Ville à 10,8 millions d’euros."


def test_a_sum_in_millions_of_euros_is_a_sum() -> None:
    question = "Au final, combien la Panacée coûte-t-elle à la ville ?"
    assert answer_type(question) == AMOUNT and asks_money(question)
    assert gives_asked(question, AMOUNT, PANACEE_SENTENCE)
    assert amounts(PANACEE_SENTENCE) == ["10,8 millions d’euros"]
    assert amounts("soit 5 millions de visiteurs") == []


def test_the_opening_states_the_value_the_question_words_stand_next_to(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Au final, combien la Panacée coûte-t-elle à la ville ?"
    hits, _ = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-02-04-0000061107.pdf",
        [PANACEE_COST, PANACEE_DECIDED],
        [1, 1],
        schema.KIND_DELIBERATION,
        [0, 0],
        date="2013-02-04",
    )
    for hit in hits:
        hit.chunk.meta[schema.OBJET] = "Centre d'art contemporain la Panacée Demande de subvention"
    decided = "d’autoriser le dépôt d’une demande de subvention auprès de la Communauté d’Agglomération de Montpellier"
    citations = [
        Citation(1, hits[0].chunk, PANACEE_SENTENCE, 1.0),
        Citation(2, hits[1].chunk, f"{decided} au titre des Projets d’Intérêt Commun 2013 pour la réalisation du "
                 "Centre d’Art Contemporain la Panacée, pour un montant de 167 224 € au titre de la dernière phase de "
                 "travaux ;", 0.9),
    ]  # fmt: skip
    for citation in citations:
        assert " ".join(citation.quote.split()) in " ".join(citation.chunk.text.split())
    lead = lead_sentences(question, citations, flat_idf)
    assert lead and "10,8 millions d’euros" in lead[0].text and lead[0].citations == [1]
    # the grant asked is a value of the same record the question's words do not stand next to
    assert value_near(question, AMOUNT, PANACEE_SENTENCE)[:2] > value_near(question, AMOUNT, citations[1].quote)[:2]


# 2014-05-22-0000072218.pdf p. 1: the Comédie du livre's programme, a day heading over its hours.
PROGRAMME = """VENDREDI 23 MAI
16h-17h30 : « Le polar polaire », par l’association La Noir’ Rode.
Proposé par les Médiathèques d’Agglomération.
DIMANCHE 25 MAI
11h30-12h30 :
Entretien littéraire avec Marek Halter.
14h-15h30 :
Table ronde autour de la Fantasy.
Avec Jérôme Noirez, Laurent Kloetzer, Jean-Louis Fetjaine."""


def test_a_date_on_a_short_line_is_read_with_the_lines_under_it(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Quand a lieu l'entretien avec Marek Halter à l'auditorium ?"
    assert answer_type(question) == DATE
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072218.pdf",
        [PROGRAMME],
        [1],
        schema.KIND_DELIBERATION,
        [0],
    )
    retrieval = _retrieval(hits)
    picked = [_Candidate(0, "11h30-12h30 : Entretien littéraire avec Marek Halter.", 0.9, 5, False)]
    found = _record_scan(question, DATE, picked, retrieval, store, flat_idf, False)
    assert [c.sentence for c in found] == ["DIMANCHE 25 MAI 11h30-12h30 : Entretien littéraire avec Marek Halter."]
    assert " ".join(found[0].sentence.split()) in " ".join(PROGRAMME.split())  # the passage's text as it is


# 2013-02-04-0000061097.pdf p. 1 (passage 4): the group's last members under the prefecture's stamp.
TRENCHES = """Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
06/02/2013
06/02/2013
034-213401722-20130204-0000061097-DE
- France Télécom,
- FREE.
Il convient donc de conclure une convention de groupement de commande réunissant tous les membres précités;
Cette convention :
- vaut constitution du groupement,
- désigne la Ville de Montpellier comme coordonateur du groupement ayant le pouvoir adjudicateur."""


def test_the_record_line_writing_the_names_no_quote_writes_is_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Free et France Télécom font-ils partie du groupement de commandes monté par Montpellier ?"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-02-04-0000061097.pdf",
        [TRENCHES],
        [1],
        schema.KIND_DELIBERATION,
        [0],
    )
    retrieval = _retrieval(hits)
    coordinator = "désigne la Ville de Montpellier comme coordonateur du groupement ayant le pouvoir adjudicateur."
    picked = [_Candidate(0, coordinator, 0.9, 11, True)]
    found = _names_unquoted(question, picked, retrieval, store, flat_idf)
    assert len(found) == 1 and found[0].sentence.startswith("France Télécom, - FREE.")
    assert "".join(found[0].sentence.split()) in "".join(TRENCHES.split())
    # every name quoted already: nothing to add
    assert _names_unquoted(question, [*picked, *found], retrieval, store, flat_idf) == []


def test_the_sentence_opening_with_the_question_preposition_goes_with_its_quote(
    tmp_path: Path, embedding_cache: Path
) -> None:
    question = "Avec quels auteurs se tient la table ronde sur la Fantasy du 25 mai 2014 ?"
    hits, _ = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2014-05-22-0000072218.pdf",
        [PROGRAMME],
        [1],
        schema.KIND_DELIBERATION,
        [0],
    )
    retrieval = _retrieval(hits)
    table = next((p, s) for p, s, _ in _passage_sentences(hits[0].chunk) if "Fantasy" in s)
    found = _slot_sequel(question, answer_type(question), [_Candidate(0, table[1], 0.9, table[0], True)], retrieval)
    assert [c.sentence for c in found] == ["Avec Jérôme Noirez, Laurent Kloetzer, Jean-Louis Fetjaine."]
    # another preposition asks another thing: "Pour quel festival ..." is not answered by "Avec ..."
    other = "Pour quel festival se tient la table ronde sur la Fantasy ?"
    assert _slot_sequel(other, answer_type(other), [_Candidate(0, table[1], 0.9, table[0], True)], retrieval) == []


def test_the_record_scan_reads_no_stamp_and_counts_what_is_asked(tmp_path: Path, embedding_cache: Path) -> None:
    # s28's absent question: the record says nothing of how many agents; its stamp's number counts nothing
    question = "Combien d'agents municipaux auront un accès à Cafpro ?"
    hits, store = document_store(
        tmp_path,
        embedding_cache,
        "deliberations/montpellier/pdfs/2013-06-17-0000064280.pdf",
        [CAFPRO_TARIFS, CAFPRO_TERM, CAFPRO_DECIDED],
        [1, 1, 2],
        schema.KIND_DELIBERATION,
        [0, 0, 0],
    )
    decided = "D’autoriser Madame le Maire ou à défaut, l’Adjoint Délégué, à signer la convention de service"
    picked = [_Candidate(0, decided, 0.9, 1, False)]
    assert _record_scan(question, answer_type(question), picked, _retrieval([hits[2]]), store, flat_idf, False) == []


def test_colloquial_and_short_questions_ask_their_kind_of_value() -> None:
    assert answer_type("Ils ont voté comment ?") == "vote"
    assert answer_type("C'est qui le titulaire du lot 3 ?") == "person"
    assert answer_type("Durée de la convention CAF ?") == DURATION
    # eight words and a question mark: a short question (the mark is no word)
    assert answer_type("Plafond de la subvention pour une devanture commerciale ?") == AMOUNT
    assert answer_type("Qui a voté contre la convention ?") == "vote"
