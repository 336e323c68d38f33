"""Session 24 (issue 15): key facts, lists and named blocks. Each behaviour is checked on the text of real corpus
documents as the loader reads it: the lists of names an election announces in scanned Montpellier comptes rendus
(CR_CM_28_03_2011.pdf, CR_CM_20_06_2011.pdf) and deliberations (2014-04-24-0000071256.pdf, -0000071260.pdf), the
two loans of 2014-05-22-0000072185.pdf and the Petit Bard loan of 2013-06-17-0000064312.pdf, the vote lines of
CR_CM_16_02_2014.pdf, and the scanned Flaux PVs of 2023 (a vote after its decision, a fixed price in the passage
after the one found)."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _Candidate, _value_after, _votes_after, _with_name_lists
from rag.question import (
    AMOUNT,
    DURATION,
    NAMED_VALUE,
    ORGANISATION,
    PERSON,
    VOTE,
    answer_type,
    gives,
    gives_asked,
    value_named,
)
from rag.retrieve import Retrieval
from rag.rows import continuation, name_list, name_lists, opens_name_list, row_block, typed_row, vote_after
from rag.schema import Chunk, ScoredChunk
from rag.store import ChromaStore
from rag.text import sentences
from tests.rag.record_store import document_store, flat_idf

_flat = flat_idf


def _store(
    tmp_path: Path,
    cache: Path,
    source: str,
    texts: list[str],
    pages: list[int],
    kind: str = schema.KIND_DOCUMENT,
    records: list[int] | None = None,
) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one document written to a real store, in order (records: each passage's record index)."""
    assert len(pages) == len(texts)
    return document_store(tmp_path, cache, source, texts, pages, kind, records)


def _retrieval(hits: list[ScoredChunk]) -> Retrieval:
    return Retrieval(hits=list(hits), best_dense=1.0, exact_articles=[], query_vector=None)


# CR_CM_28_03_2011.pdf p. 1 (OCR): the item ends one record; the jury it elected opens the next one, which the
# scanned table's layout filed with the following item's vote.
JURY_ITEM = """Philippe 1 ZAC Pagézy- site de l'actuel hôtel de ville Lancement d’un concours de programmation
SAUREL et d'urbanisme et élection des membres du jury

Pour : 58
Adopté à l’unanimité"""
JURY_LIST = """Ont été élus membres du jury :

Titulaires Suppléants

- M.SAUREL - M.LEVITA

-  M.PASSET -__ M. MARTIN HERVE
- M. TOUCHON - _ MME BOYER

- M. DUFOUR - M. ASLANIAN

- M. LANNELONGUE - M. DOMERGUE

M. Thinés entre en séance.
Jean-Louis
GELY

Réussite éducative
Réalisation d’un nouveau groupe scolaire quartier Parc Marianne - ZAC Port Marianne

Lancement d’un marché de conception/réalisation - Election des membres du jury
Permis de construire - Demande de subvention

Pour : 59

Adopté à l'unanimité"""

# CR_CM_20_06_2011.pdf p. 11 (OCR)
CAO = """Administration générale, Affaire juridiques
Commission d'appel d'offres - Election des membres
te proposée par Madame le Maire : 43 voix

te proposée par Monsieur Domergue : 6 voix
Liste proposée par Monsieur Roumégas : 5 voix

Sont é
Titulaires : Suppléants :
Mme Capuozzi-Boualam Mme Castre
M. Passet M. Aslanian
M. Lévita M. HMartin
M. Tsitsonis Mme El Atmani
M. Mella Mme Augé-Caumon

Finances communales, Centrale d'achats, Contrôle en gestion

Marché n°1H078331 -Exploitation du parking du futur Hôtel de Ville- Attribution du
marché"""

# 2014-04-24-0000071256.pdf p. 1 and 2014-04-24-0000071260.pdf p. 1
TAM = """Au Conseil d’Administration :
- Patricia MIRALLES
- Mylène CHARDES
- Nicole LIZA
Accusé de réception – Ministère de l’intérieur
Acte Certifié exécutoire
A l’Assemblée Générale :
         -  Patricia MIRALLES
Le Conseil adopte."""
TOURISM = """- De désigner les représentants de la Ville dans cette instance.
Ont été élus :
- Guy BARRAL
- Christophe COUR
- Caroline NAVARRE
Accusé de réception – Ministère de l’intérieur
Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
28/04/2014
28/04/2014
034-213401722-20140424-0000071260-DE
- Cédric de SAINT-JOUAN
Le Conseil adopte."""


def test_the_whole_list_an_election_announces_is_read_to_its_end() -> None:
    lines = JURY_LIST.splitlines()
    found = name_list(lines, 0)
    assert found[0] == "Ont été élus membres du jury :"
    assert any("TOUCHON" in line for line in found) and "LANNELONGUE" in found[-1]
    assert not any("Thinés" in line or "GELY" in line for line in found)  # a member coming in ends the list
    cao = name_lists(ScoredChunk(chunk=Chunk("c", CAO, {}), score=1.0), "")
    assert len(cao) == 1
    rows = cao[0][1]
    assert rows[0] == "Titulaires : Suppléants :" and rows[-1] == "M. Mella Mme Augé-Caumon" and len(rows) == 6


def test_a_seat_the_question_names_announces_its_names_and_a_stamp_does_not_end_a_list() -> None:
    q = "Quels délégués la Ville a-t-elle désignés au conseil d'administration de la TaM en 2014 ?"
    found = name_lists(ScoredChunk(chunk=Chunk("t", TAM, {}), score=1.0), q)
    assert [rows for _, rows in found] == [["Au Conseil d’Administration :", "- Patricia MIRALLES", "- Mylène CHARDES",
                                           "- Nicole LIZA"]]  # fmt: skip
    # "A l'Assemblée Générale :" is a seat the question does not name; "Absents :" or "Présents :" never count
    assert name_list(["Absents :", "Martine PETITOUT."], 0, "Qui a été élu au jury ?") == []
    tourism = name_lists(ScoredChunk(chunk=Chunk("o", TOURISM, {}), score=1.0), "")
    assert tourism[0][1] == ["Ont été élus :", "- Guy BARRAL", "- Christophe COUR", "- Caroline NAVARRE", "[…]",
                             "- Cédric de SAINT-JOUAN"]  # fmt: skip


def test_the_list_of_an_election_is_quoted_from_the_passage_after_its_item(
    tmp_path: Path, embedding_cache: Path
) -> None:
    source = "deliberations/montpellier/CR_CM_28_03_2011.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [JURY_ITEM, JURY_LIST], [1, 1], schema.KIND_DELIBERATION,
                         records=[0, 1])  # fmt: skip
    assert opens_name_list(hits[1].chunk) and not opens_name_list(hits[0].chunk)
    q = "Qui a été élu membre titulaire du jury du concours de programmation de la ZAC Pagézy ?"
    retrieval = _retrieval(hits[:1])
    item = _Candidate(0, "élection des membres du jury Pour : 58 Adopté à l’unanimité", 1.0, 1)
    picked = _with_name_lists(q, [item], retrieval, store)
    added = [c for c in picked if c.hit_index == 1]
    assert len(retrieval.hits) == 2 and retrieval.hits[1].chunk.id == hits[1].chunk.id  # cited too
    assert len(added) == 1 and "M. TOUCHON" in added[0].sentence and "M. LANNELONGUE" in added[0].sentence
    assert "".join(added[0].sentence.split()) in "".join(JURY_LIST.split())  # a quote is its passage's text
    # a question on no election or designation wants no list of names
    assert _with_name_lists("Qui a signé la convention du concours ?", [item], _retrieval(hits[:1]), store) == [item]


def test_the_rows_of_the_loan_of_the_lender_asked_are_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    """2014-05-22-0000072185.pdf: two loans, each announced by its lender; the question names the second."""
    first = """Aussi, après négociation avec des banques partenaires, la SERM a obtenu les emprunts suivants :
- 2 500 000 € auprès de la BANQUE POSTALE CREDIT ENTREPRISES aux conditions suivantes :
Prêteur
LA BANQUE POSTALE CREDIT ENTREPRISES
Montant maximum
2.500.000,00 EUR (deux millions cinq cent mille euros)
Taux d’Intérêt"""
    second = """Sur simple notification de l’impayé par lettre simple de la Banque Postale Crédit Entreprises, la collectivité
s’engage dans les meilleurs délais à se substituer  à l’Emprunteur  pour son paiement.
- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :
\x01 Taux fixe : 2.30 %
\x01 Durée : 5 ans,
La garantie de la Ville est proposée à hauteur de 80 % du montant contracté."""
    q = "Quel est le taux fixe du prêt du Crédit Agricole à la SERM pour l'opération Ovalie ?"
    assert answer_type(q) == AMOUNT
    # a rate asked: a percentage, not the loan's sum nor the share the guarantee covers
    assert not gives_asked(q, AMOUNT, "- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :")
    assert not gives_asked(q, AMOUNT, "La garantie de la Ville est proposée à hauteur de 80 % du montant contracté.")
    assert gives_asked(q, AMOUNT, "Taux fixe : 2.30 %")
    source = "deliberations/montpellier/2014-05-22-0000072185.pdf"
    hits, store = _store(tmp_path, embedding_cache, source, [first, second], [1, 2], schema.KIND_DELIBERATION,
                         records=[0, 0])  # fmt: skip
    row = typed_row(q, AMOUNT, hits[:1], "", store, _flat)
    assert row is not None
    assert "CREDIT AGRICOLE" in row[2] and "2.30 %" in row[2] and "BANQUE POSTALE" not in row[2]
    lines = [" ".join(line.split()) for line in second.splitlines()]
    assert row_block(lines, 3).startswith("2 500 000 € auprès du CREDIT AGRICOLE")


def test_the_vote_lines_go_on_past_a_label_with_no_count() -> None:
    """CR_CM_16_02_2014.pdf p. 20 (OCR): "Ne prennent pas part au vote : 9" under two empty labels."""
    text = """SERM - Petit Bard — Garantie d’emprunt Ville de Montpellier - Prêt PRU 2014 auprè
de la Caisse des Dépôts et Consignations
Pour : 46
Contre :
Abstentions :
Ne prennent pas part au vote : 9
>Les administrateurs de la SERM : Madame DANAN, Messieurs FLEURENCE
(procuration), LEVITA, PASSET, DUFOUR, GELY (procuration)
Adopté à l'unanimité."""
    split = [" ".join(s.split()) for s in sentences(text)]
    items = continuation(split[0], split[1:])
    assert "Ne prennent pas part au vote :" in items and items[-1].startswith("9")
    assert not any("FLEURENCE" in item for item in items)


def test_the_vote_written_after_a_decision_in_minutes_is_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    """PV_DU_22_SEPTEMBRE-tampon.pdf p. 5-6 (OCR): the item's vote follows its decision, the item before has its own."""
    before = """Le conseil municipal après en avoir délibéré
>  Adopte le nouveau règlement de la location du château,
Modification du règlement
Vote : Unanimité
Majoration de la cotisation due au titre des logements meublés non affectés à
Phabitation principale"""
    after = """Le conseil municipal après en avoir délibéré
Ÿ Majore 20 % la part communale de la cotisation de taxe d’habitation sur les
résidences secondaires et autres locaux meublés non affectés à l’habitation
principale due au titre des logements meublés.
Charge Monsieur le Maire de notifier cette décision aux services
préfectoraux
Vote : 1 contre et 10 pour
Convention de coordination entre la police intercommunale de ia communauté
de communes Pays d’Uzès et la Gendarmerie"""
    q = ("De combien Flaux a-t-elle majoré la part communale de la taxe d'habitation sur les logements meublés non "
         "affectés à l'habitation principale, et avec quel vote ?")  # fmt: skip
    assert answer_type(q) == VOTE
    split = sentences(after)
    assert vote_after(split, 0) == (2, "Vote : 1 contre et 10 pour")
    hits, _ = _store(tmp_path, embedding_cache, "communes/flaux/PV_DU_22_SEPTEMBRE-tampon.pdf", [before, after], [5, 6])
    heading = _Candidate(0, "Majoration de la cotisation due au titre des logements meublés", 1.0, 4)
    decision = _Candidate(1, split[0], 1.0, 0)
    extra = _votes_after([heading, decision], _retrieval(hits))
    # the heading's passage: the vote above it is the item before's, none below it
    assert [(c.hit_index, c.sentence) for c in extra] == [(1, "Vote : 1 contre et 10 pour")]


def test_a_price_asked_is_read_from_the_passage_after_the_one_found(tmp_path: Path, embedding_cache: Path) -> None:
    """PV_du_31_mars_2023-tampon.pdf p. 5 (OCR): the offer ends one passage, its yearly price opens the next."""
    offer = """Pour bénéficier de l’évolution des services de JVS- MAIRISTEM Pack horizon villages infinity, il convient
d'accepter la proposition 091159839 - 15603 dont les principales caractéristiques sont les suivantes : il est
conclu pour une durée de 3 ans."""
    price = """accès à la plateforme E-learning pour accéder aux cours en ligne et webinaires.
le forfait annuel est de 4 143 00€ HT."""
    q = "Quel est le forfait annuel du pack Horizon Villages Infinity de JVS-Mairistem accepté par Flaux ?"
    assert answer_type(q) == AMOUNT
    hits, store = _store(
        tmp_path, embedding_cache, "communes/flaux/PV_du_31_mars_2023-tampon.pdf", [offer, price], [5, 5]
    )
    retrieval = _retrieval(hits[:1])
    quoted = _Candidate(0, " ".join(offer.split()), 1.0, 0)
    extra = _value_after(q, AMOUNT, [quoted], retrieval, store, lambda c: False)
    assert len(extra) == 1 and extra[0].sentence.endswith("le forfait annuel est de 4 143 00€ HT.")
    assert extra[0].hit_index == 1 and retrieval.hits[1].chunk.id == hits[1].chunk.id
    # a value already quoted: nothing is read further
    assert _value_after(q, AMOUNT, [*extra], retrieval, store, lambda c: False) == []


def test_companies_named_after_a_colon_are_organisations() -> None:
    """CR_CM_16_02_2014.pdf p. 6 (OCR): "l'Avenant de transfert entre les sociétés : Agence de Sécurité ..."."""
    line = "Autorisation de signer l'Avenant de transfert entre les sociétés : Agence de Sécurité Intégrale et Isopro"
    assert gives(ORGANISATION, line)
    assert not gives(ORGANISATION, "les associations de la commune")


def test_who_abstained_is_answered_by_the_vote_line_naming_them() -> None:
    """CR_CM_28_03_2011.pdf p. 2 (OCR): "Abstention : 1 (NPA M. Viguié)" under the item; a title in capitals that
    only looks like a name ("AIRE PIETONNE Secteur ...", CR_CM_25_07_2011.pdf) does not answer."""
    q = "Qui s'est abstenu sur la concertation de l'aire piétonne Gambetta-Saunerie-Laissac ?"
    assert answer_type(q) == PERSON
    assert gives_asked(q, PERSON, "Abstention : 1 (NPA M. Viguié)")
    assert not gives_asked(q, PERSON, "AIRE PIETONNE Secteur Cours Gambetta - Rue du Faubourg de la Saunerie Pour : 50")
    assert gives(PERSON, "AIRE PIETONNE Secteur Cours Gambetta")  # what "qui" alone would have taken for a name


def test_a_duration_is_how_long_not_how_often_and_is_named_by_the_words_before_it() -> None:
    """20201119-5_-_compte_rendu_du_19_novembre_2020.doc (Flaux): "comme tous les 4 ans" is a period; the convention
    "est prolongée pour une durée d'1 an" (the verb asked four words of meaning before the value), the agrément's
    "repousser d'un an" another duration."""
    q = (
        "Pour combien de temps le conseil municipal de Flaux a-t-il prolongé la convention avec le Centre "
        "Socioculturel Intercommunal en novembre 2020 ?"
    )
    assert answer_type(q) == DURATION
    assert not gives(DURATION, "La présente convention devait prendre fin en 2020, et comme tous les 4 ans le centre")
    extended = "La présente convention de coopération est prolongée pour une durée d’1 an à compter du 1er janvier 2021"
    assert gives(DURATION, extended) and value_named(q, DURATION, extended) >= NAMED_VALUE
    other = "la CNAF a donné la possibilité au CSI en cours de renouvellement d’agrément de repousser d’un an."
    assert value_named(q, DURATION, other) < NAMED_VALUE


def test_a_person_asked_is_looked_for_in_two_more_passages(tmp_path: Path, embedding_cache: Path) -> None:
    """20201119-5_-_compte_rendu_du_19_novembre_2020.doc (Flaux): the item "Agent de Prévention" is the compte
    rendu's fourth passage found; the first three and the passages next to them name no one for it (the answer step
    then reads two more)."""
    texts = [
        "Monsieur le Maire rappelle aux membres du Conseil Municipal que depuis de nombreuses années la commune de "
        "Flaux est signataire d’une Convention qui la lie au CSI dans la réalisation d’objectifs d’animation sociale.",
        "Transfert de la compétence et documents d’urbanisme (PLUI)\nMonsieur Le Maire rappelle que la loi ALUR prévoit "
        "le transfert de la compétence.",
        "Changement de prestataire informatique et téléphonie\nLe conseil municipal valide le changement.",
        "Questions diverses\nNoël 2020– La crise sanitaire nous contraint à supprimer les manifestations prévues.",
        "Pour les séniors : Distribution d’un colis de Noël (coffrets gourmands EYMET village).à domicile .\nAgent de "
        "Prévention: Monsieur le Maire informe les membres du Conseil que Monsieur MARTEL Hervé sera nommé par arrêté.",
    ]
    source = "communes/flaux/20201119-5_-_compte_rendu_du_19_novembre_2020.doc"
    stored, store = _store(tmp_path, embedding_cache, source, texts, [0, 0, 0, 0, 0])
    hits = [*stored[:3], stored[4]]  # found in this order; the passage between (no hit) names no one
    q = "Qui sera nommé agent de prévention à Flaux ?"
    assert typed_row(q, PERSON, hits[:3], "", store, _flat) is None
    row = typed_row(q, PERSON, hits[:5], "", store, _flat)
    assert row is not None and row[0].chunk.id == stored[4].chunk.id and "MARTEL Hervé sera nommé" in row[2]
