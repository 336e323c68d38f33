"""Session 22, second pass (issue 15): the answer states the fact asked for on layouts of the blind s22 gold.
Each behaviour is checked on text copied from the corpus (Montpellier deliberations of 2013 and 2014, a scanned
Flaux compte rendu read by OCR): the question's head noun types the answer ("quelle entreprise", "quel avis",
"quel niveau", "quel taux"), the question's verb decides between rows (créés / supprimés), a sub-list's heading
names its rows, a table of seats read column after column, a table row whose cells run over several lines."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rag import schema
from rag.decision import logical_lines
from rag.lead import lead_sentences
from rag.question import (
    AMOUNT,
    LEVEL,
    NUMBER,
    OPINION,
    ORGANISATION,
    PERSON,
    answer_type,
    gives,
    gives_asked,
    head_noun,
    label_fits,
    opposed,
)
from rag.rows import continuation, seat_group, section_heading, typed_row, wrapped_row
from rag.schema import Chunk, Citation, Document, ScoredChunk
from rag.settings import Settings
from rag.store import ChromaStore, doc_id_for


def _flat(_: str) -> float:
    return 1.0  # every word weighs the same: the choice rests on the layout, not on the index's statistics


def _store(
    tmp_path: Path, cache: Path, source: str, texts: list[str], objet: str
) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one deliberation (one record) written to a real store, in order."""
    doc_id = doc_id_for(source)
    chunks = [
        Chunk(f"{doc_id}-{i}", text, {schema.SOURCE: source, schema.DOC_ID: doc_id, schema.CHUNK_INDEX: i,
                                      schema.RECORD_INDEX: 0, schema.OBJET: objet, schema.PAGE: 1,
                                      schema.KIND: schema.KIND_DELIBERATION})
        for i, text in enumerate(texts)
    ]  # fmt: skip
    store = ChromaStore(settings=Settings(store=tmp_path / "store", cache_dir=cache))
    vectors = np.eye(len(chunks), 8, dtype=np.float32)  # the vectors play no part in reading rows
    store.write_documents([Document(source, doc_id, "0" * 64, "deliberation", source, chunks)], embeddings=vectors)
    return [ScoredChunk(chunk=c, score=1.0) for c in chunks], store


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Quelle entreprise a obtenu le marché des viandes fraîches sous vide de la cuisine centrale ?", ORGANISATION),
        ("Quel avis le conseil municipal a-t-il rendu sur l'autorisation d'exploiter l'hypermarché ?", OPINION),
        ("Quel niveau de rémunération pour le poste de médecin du travail créé en juin 2013 ?", LEVEL),
        ("Quelle part le prix a-t-il dans les critères de choix du marché ?", AMOUNT),
        ("À quelle compagnie le marché des billets d'avion des élus a-t-il été attribué en 2013 ?", ORGANISATION),
        ("À quelle S.C.A. la Ville de Montpellier a-t-elle adhéré en novembre 2011 ?", ORGANISATION),
        # the older types are untouched: "quels titulaires" are persons, "quel taux" an amount
        ("Quels sont les titulaires qui représentent la Ville au lycée Joffre ?", PERSON),
        ("Quel est le taux fixe maximum de l'emprunt du Crédit Mutuel ?", AMOUNT),
    ],
)
def test_the_head_noun_types_the_answer(question: str, kind: str) -> None:
    assert answer_type(question) == kind


def test_lines_that_give_an_organisation_an_opinion_a_level() -> None:
    # 2013-06-17-0000064300.pdf: the market's table row; 2014-05-22-0000072088.pdf; 2014-05-22-0000072222.pdf;
    # 2013-06-17-0000064305.pdf
    assert gives(ORGANISATION, "1 Viandes fraîches sous vide 60.000 240.000 BRAKE FRANCE (Béziers)")
    assert gives(ORGANISATION, "une convention de servitude à titre gratuit avec la société BRL pour le passage")
    # 2013-02-04-0000061118.pdf; a Flaux compte rendu's running header (20201119 compte rendu) names no company
    assert gives(ORGANISATION, "La société de Fulldawa Productions représentée par Avi AMAR a pour projet")
    assert not gives(ORGANISATION, "19 novembre 2020 2/3 REPUBLIQUE FRANCAISE")
    assert not gives(ORGANISATION, "- Cédric de SAINT-JOUAN") and not gives(ORGANISATION, "Le Conseil adopte.")
    assert gives(OPINION, "Il est proposé au Conseil Municipal d’émettre un avis favorable concernant ce projet,")
    assert not gives(OPINION, "Le Conseil Municipal de la Ville de Montpellier doit rendre un avis concernant")
    assert gives(LEVEL, "Niveau de rémunération : IB 429 à 1 157")
    assert not gives(LEVEL, "Un poste Médecin hors classe à temps complet est créé à compter du 01/08/2013")


# 2014-05-22-0000072222.pdf (Montpellier 2014/202): the opinion sits in the proposal, not in the title.
CARREFOUR = """Le Conseil Municipal de la Ville de Montpellier doit rendre un avis concernant l’autorisation d’exploiter un
hypermarché Carrefour (Régularisation), route de Sète à Saint Jean de Védas, la Ville de Montpellier se
trouvant dans le périmètre de l’installation.
Après examen du dossier, dont les conclusions techniques sont annexées à la présente,
Il est proposé au Conseil Municipal d’émettre un avis favorable concernant ce projet,
sous réserve:
- que les eaux d’extinction soient récupérées, contenues puis éliminées sans risque de contamination du réseau
d’eaux pluviales, y compris au niveau de la zone de dépotage.
Le Conseil Adopte."""


def test_what_opinion_is_answered_by_the_proposal_when_nothing_quoted_gives_one(
    tmp_path: Path, embedding_cache: Path
) -> None:
    hits, store = _store(
        tmp_path, embedding_cache, "2014-05-22-0000072222.pdf", [CARREFOUR],
        "Installations Classées pour la Protection de l'Environnement SOCIETE CARREFOUR Autorisation d'exploiter"
        " (régularisation) Avis du Conseil Municipal",
    )  # fmt: skip
    question = "Quel avis le conseil municipal a-t-il rendu sur l'autorisation d'exploiter l'hypermarché Carrefour ?"
    row = typed_row(question, answer_type(question), hits, "", store, _flat)
    assert row is not None and "avis favorable" in row[2], row


# 2013-06-17-0000064313.pdf (Montpellier 2013/289): two loans listed alike; the heading of the second ends the
# passage before the one holding its rate.
LOANS_1 = """Aussi, après négociation avec le Crédit Mutuel et le Crédit Foncier de France, la SERM a obtenu les emprunts
suivants :
- Auprès du CREDIT FONCIER de France :
o Montant total : 2.000.000 €
o Durée totale maximale : 10 ans sans phase de mobilisation
o Versement des fonds : en une seule fois dès la signature du contrat
o Conditions financières : Taux fixe maximum de 3.21 %
Frais de commission : 5 000 euros
- Auprès du CREDIT MUTUEL :"""
LOANS_2 = """o Montant total : 2.000.000 €
o Durée totale maximale : 10 ans sans phase de mobilisation
o Différé d’amortissement de 2 ans
o Périodicité des échéances : annuelle
o Echéances constantes
o Versement des fonds : en une seule fois dès la signature du contrat
o Conditions financières : Taux fixe maximum de 3.30 %
Frais de commission : néant
En conséquence, il est proposé au Conseil Municipal :"""


def test_a_sub_lists_heading_names_its_rows_even_from_the_passage_before(tmp_path: Path, embedding_cache: Path) -> None:
    # The "o" bullets start lines of their own (they are not a lower-case continuation).
    assert logical_lines(LOANS_2)[:2] == [
        "o Montant total : 2.000.000 €",
        "o Durée totale maximale : 10 ans sans phase de mobilisation",
    ]
    lines = logical_lines(LOANS_1)
    assert section_heading(lines, lines.index("o Conditions financières : Taux fixe maximum de 3.21 %")) == (
        "Auprès du CREDIT FONCIER de France :"
    )
    hits, store = _store(
        tmp_path, embedding_cache, "2013-06-17-0000064313.pdf", [LOANS_1, LOANS_2],
        "Garantie d’emprunt – Ville de Montpellier/S.E.R.M. – ZAC Parc Marianne 2M€ Crédit Foncier de France – 2 M€"
        " Crédit Mutuel",
    )  # fmt: skip
    question = "Quel est le taux fixe maximum de l'emprunt du Crédit Mutuel garanti pour la ZAC Parc Marianne ?"
    row = typed_row(question, answer_type(question), hits, "", store, _flat)
    assert row is not None and "3.30 %" in row[2] and "3.21" not in row[2], row


# 2014-05-22-0000072125.pdf (Montpellier 2014/250): the tableau des effectifs creates and removes rédacteurs.
EFFECTIFS = """I – Créations de postes :
Filière administrative
Attaché : Création d’un poste
Rédacteur principal de 2ème classe : Création de six postes
Rédacteur : Création de 10 postes
II – Suppressions de postes :
Rédacteur principal de 2ème classe : Suppressions de six postes
Rédacteur : Suppression de douze postes"""


def test_posts_created_are_not_answered_by_posts_removed(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Combien de postes de rédacteur sont créés au tableau des effectifs de mai 2014 ?"
    assert opposed(question, "Rédacteur : Suppression de douze postes")
    assert not opposed(question, "Rédacteur : Création de 10 postes")
    # 2013-06-17-0000064293.pdf: a seller "promettant de céder à la Ville" is the city buying (no opposite there)
    assert not opposed(
        "À quel prix la Ville achète-t-elle l'emprise de la SCI Les Vignes de l'Ecluse ?",
        "d’accepter la promesse unilatérale de vente, promettant de céder à la Ville un terrain nu de 272 m²",
    )
    assert label_fits(question, "Rédacteur : Création de 10 postes")
    assert not label_fits(question, "Rédacteur principal de 2ème classe : Création de six postes")
    hits, store = _store(tmp_path, embedding_cache, "2014-05-22-0000072125.pdf", [EFFECTIFS], "Tableau des effectifs")
    row = typed_row(question, NUMBER, hits, "Rédacteur principal de 2ème classe : Création de six postes", store, _flat)
    assert row is not None and row[2] == "Rédacteur : Création de 10 postes", row
    # The opening quotes the row labelled by what is asked, with its label.
    meta = {schema.SOURCE: "2014-05-22-0000072125.pdf", schema.KIND: schema.KIND_DOCUMENT}
    quote = "Rédacteur principal de 2ème classe : Création de six postes […] Rédacteur : Suppression de douze postes […] Rédacteur : Création de 10 postes"
    lead = lead_sentences(question, [Citation(n=1, chunk=Chunk(id="c1", text=EFFECTIFS, meta=meta), quote=quote)])
    assert lead and "« Rédacteur : Création de 10 postes »" in lead[0].text, lead


# 2014-05-22-0000072063.pdf (Montpellier 2014/206) as ingestion reads it: the lycée, its quarter, "Titulaire :"
# and each name on lines of their own.
SEATS = """Lycée Jules Guesde
CEVENNES Titulaires :
- Robert COTTE
- Vincent HALUSKA
Suppléants :
- Nicole LIZA
- Patrick RIVAS
Lycée Agricole
Frédéric Bazille
HOPITAUX-
FACULTES
Titulaire :
- Valérie BARTHAS-ORSAL
Suppléant :
- Titina DA SYLVA
Lycée Professionnel
Léonard de Vinci
MOSSON Titulaires :
- Rabii YOUSSOUS
- Chantal LEVY-RAMEAU"""


def test_a_table_of_seats_read_column_after_column(tmp_path: Path, embedding_cache: Path) -> None:
    lines = logical_lines(SEATS)
    assert seat_group(lines, lines.index("- Valérie BARTHAS-ORSAL")) == (
        "Lycée Agricole Frédéric Bazille HOPITAUX- FACULTES Titulaire : - Valérie BARTHAS-ORSAL"
    )
    assert seat_group(lines, lines.index("- Robert COTTE")) == (
        "Lycée Jules Guesde CEVENNES Titulaires : - Robert COTTE - Vincent HALUSKA"
    )
    hits, store = _store(
        tmp_path, embedding_cache, "2014-05-22-0000072063.pdf", [SEATS],
        "Désignation des représentants de la Ville dans les conseils d'administration des lycées",
    )  # fmt: skip
    question = "Qui est le titulaire désigné pour le lycée agricole Frédéric Bazille ?"
    row = typed_row(question, PERSON, hits, "Jules Ferry CEVENNES Titulaires : - Samira SALOMON", store, _flat)
    assert row is not None and "BARTHAS-ORSAL" in row[2] and "Frédéric Bazille" in row[2], row


# 2013-03-25-0000062241.pdf (Montpellier 2013/130, CUCS 2013) as ingestion reads it: cells run over lines.
CUCS = """2242  L'oiseau lyre  Ateliers conte et maîtrise de la langue  Paillade  500 €
3064  Lâche les Mots  Les vacances s'écrivent  Gély - Figuerolles  2 000 €
4388  Le Passe Muraille  Chantiers citoyens
Ensemble des
territoires
prioritaires
10 000 €
  Les 4 chemins  AGORA  Paillade  1 000 €"""


def test_a_row_whose_cells_run_over_several_lines_is_rebuilt(tmp_path: Path, embedding_cache: Path) -> None:
    lines = logical_lines(CUCS)
    whole = "4388 Le Passe Muraille Chantiers citoyens Ensemble des territoires prioritaires 10 000 €"
    assert wrapped_row(lines, 2, AMOUNT) == whole
    assert wrapped_row(lines, 0, AMOUNT) == ""  # a whole row
    hits, store = _store(
        tmp_path, embedding_cache, "2013-03-25-0000062241.pdf", [CUCS], "Contrat Urbain de Cohésion Sociale"
    )
    question = "Quelle subvention l'association Le Passe Muraille reçoit-elle pour ses chantiers citoyens ?"
    # the sentence splitter quoted the rows above with the row's first line, cut from its amount
    quoted = (
        "2242 L'oiseau lyre Ateliers conte et maîtrise de la langue Paillade 500 € 3064 Lâche les Mots Les vacances"
        " s'écrivent Gély - Figuerolles 2 000 € 4388 Le Passe Muraille Chantiers citoyens"
    )
    row = typed_row(question, AMOUNT, hits, quoted, store, _flat)
    assert row is not None and row[2] == whole, row


# compte_rendu_du_11_mars_2021.pdf (Flaux, scanned, read by OCR), p. 4: a loan's characteristics as a table.
FLAUX_LOAN = """Emprunt à court terme
Suite au projet de réhabilitation du lavoir du Hameau des Auvis, monsieur le Maire
propose de recourir à un emprunt à court terme sur 2 ans pour l'intégralité du
montant total T. T. C, de l'opération, soit 35 000.00 €.
Après consultation, il s'avère que seul le Crédit Agricole a été en mesure de nous
proposer le prêt dans les conditions demandées, sur la totalité de l'opération soit
35 000.00 €, à court terme sur 2 ans.
Les caractéristiques du prêt sont les suivantes :
Objet Court terme
Montant 35 000 €
Durée 24 mois
Taux fixe 0.53 %
Frais de dossier 0.20 %
Vote : à l'unanimité"""


def test_what_rate_is_answered_by_the_row_holding_the_word_asked(tmp_path: Path, embedding_cache: Path) -> None:
    question = "À quel taux la commune de Flaux a-t-elle emprunté pour le lavoir du Hameau des Auvis ?"
    assert head_noun(question) == "taux"
    hits, store = _store(tmp_path, embedding_cache, "compte_rendu_du_11_mars_2021.pdf", [FLAUX_LOAN], "")
    quoted = (
        "Après consultation, il s'avère que seul le Crédit Agricole a été en mesure de nous proposer le prêt dans les"
        " conditions demandées, sur la totalité de l'opération soit 35 000.00 €, à court terme sur 2 ans."
    )
    row = typed_row(question, AMOUNT, hits, quoted, store, _flat)
    assert row is not None and row[2] == "Taux fixe 0.53 %", row
    # A question about the amount keeps the amount quoted: no rate row is forced on it.
    other = "Quel montant la commune de Flaux a-t-elle emprunté pour le lavoir ?"
    found = typed_row(other, AMOUNT, hits, quoted, store, _flat)
    assert found is None or "0.53" not in found[2], found


def test_which_company_opens_with_the_row_naming_it() -> None:
    # 2013-06-17-0000064300.pdf (Montpellier 2013/276): the winner is in the table, the title names no one.
    quote = "1 Viandes fraîches sous vide 60.000 240.000 BRAKE FRANCE (Béziers)"
    meta = {schema.SOURCE: "2013-06-17-0000064300.pdf", schema.KIND: schema.KIND_DOCUMENT}
    citation = Citation(n=1, chunk=Chunk(id="c1", text=quote, meta=meta), quote=quote)
    question = "Quelle entreprise a obtenu le marché des viandes fraîches sous vide de la cuisine centrale ?"
    lead = lead_sentences(question, [citation])
    assert lead and "BRAKE FRANCE" in lead[0].text, lead


def test_the_first_item_the_council_is_asked_to_decide_is_quoted_even_when_long() -> None:
    # 2014-05-22-0000072088.pdf (Montpellier 2014/179): "est-elle payante ?" is answered by "à titre gratuit",
    # in the first item under "il est demandé au Conseil Municipal :" (longer than a list's usual line).
    first = (
        "- d’autoriser la Ville à signer une convention de servitude à titre gratuit avec la société BRL pour le"
        " passage en souterrain d’un réseau d’eau brute sur les parcelles cadastrées RI 29 et RI 15, pour une"
        " longueur totale d’environ 840 mètres linéaires ;"
    )
    second = (
        "- de demander à Maître Stéphan GARBUIO, notaire à Bouillargues (30), de publier cette convention au service"
        " de la publicité foncière compétent, aux frais de la société BRL ;"
    )
    assert continuation("En conséquence, il est demandé au Conseil Municipal :", [first, second]) == [first]
    # Any other announcement keeps its short items only.
    assert continuation("Les critères de choix pondérés sont :", [first, second]) == []


# 2014-04-24-0000071253.pdf (Montpellier 2014/137): the count sits in a passage of the record after its heading.
COMMISSIONS = [
    "Extrait du registre des délibérations du Conseil\nSéance publique du jeudi 24 avril 2014",
    "L’article 5 du règlement intérieur fixe à 2 le nombre des commissions municipales qu’il convient de\n"
    "renouveler. Elles comprennent, en plus de Monsieur le Maire président de droit, 10 membres élus à la\n"
    "représentation proportionnelle avec répartition des sièges au plus fort reste.",
]


def test_how_many_members_is_answered_by_the_line_counting_members(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = _store(
        tmp_path, embedding_cache, "2014-04-24-0000071253.pdf", COMMISSIONS, "Commissions municipales - Composition"
    )
    question = "Combien de membres élus compte chaque commission municipale de Montpellier en 2014 ?"
    # Only the record's first passage was found; another deliberation's line was quoted.
    row = typed_row(question, NUMBER, hits[:1], "Quatre élus de la ville :", store, _flat)
    assert row is not None and "10 membres élus" in row[2], row


def test_how_much_it_costs_opens_with_a_sum_in_euros_not_an_area() -> None:
    # 2013-03-25-0000062243.pdf (Montpellier, vestiaires du terrain Astruc): the area is quoted by meaning,
    # the cost is what is asked.
    area = (
        "Ces locaux d’une surface totale de 112 m² répondent aux normes exigées par la Fédération Française de"
        " Football et permettent l’accès aux personnes à mobilité réduite."
    )
    cost = "Les travaux seront réalisés en une seule tranche. Le montant estimé de cette opération est de 250 000 €."
    question = "Combien coûtent les vestiaires et locaux modulaires du terrain Astruc aux Arceaux ?"
    assert gives(AMOUNT, area) and not gives_asked(question, AMOUNT, area)
    assert gives_asked(question, AMOUNT, cost)
    assert gives_asked("Quelle est la surface totale des locaux du terrain Astruc ?", AMOUNT, area)
    decided = "-d’approuver le projet de création de vestiaires et locaux techniques ;"
    meta = {
        schema.SOURCE: "2013-03-25-0000062243.pdf",
        schema.KIND: schema.KIND_DELIBERATION,
        schema.OBJET: "Quartier Montpellier Centre - Terrain Astruc (les Arceaux) Mise en oeuvre de bâtiments modulaires",
    }
    text = f"{area}\n{cost}\nEn conséquence, il est demandé au Conseil Municipal :\n{decided}"
    citation = Citation(n=1, chunk=Chunk(id="c1", text=text, meta=meta), quote=f"{area} […] {cost} […] {decided}")
    lead = lead_sentences(question, [citation])
    assert lead and "250 000 €" in lead[0].text, lead


def test_how_many_opens_with_the_sentence_counting_what_is_asked() -> None:
    # 2014-05-22-0000072188.pdf (Montpellier 2014/185): the record's decision holds a count of another thing
    # ("la 1ère réunion"); the sentence counting contribuables answers.
    counting = (
        "Conformément à l’article 1650 du Code Général des Impôts, le Conseil Municipal est appelé à proposer une"
        " liste de 32 contribuables parmi lesquels la Directrice Régionale des Finances Publiques désigne 8"
        " commissaires titulaires et 8 commissaires suppléants."
    )
    decided = (
        "- de dire que seuls les membres titulaires sont habilités à voter le règlement intérieur qui sera adopté lors"
        " de la 1ère réunion de la Commission."
    )
    text = f"{counting}\nEn conséquence, il est proposé au Conseil municipal de :\n{decided}\nLe Conseil Adopte."
    meta = {
        schema.SOURCE: "2014-05-22-0000072188.pdf",
        schema.KIND: schema.KIND_DELIBERATION,
        schema.OBJET: "Commission Communale des Impôts Directs - Liste des contribuables proposés par le Conseil Municipal",
    }
    citation = Citation(n=1, chunk=Chunk(id="c1", text=text, meta=meta), quote=f"{counting} […] {decided}")
    question = "Combien de contribuables le conseil municipal doit-il proposer pour la commission communale des impôts directs ?"
    lead = lead_sentences(question, [citation])
    assert lead and "32 contribuables" in lead[0].text, lead


def test_a_length_is_an_amount_and_a_valuation_a_sum_of_money() -> None:
    # 2014-05-22-0000072088.pdf (2014/179) and 2013-02-04-0000061129.pdf (groupe scolaire Chengdu): the length is in
    # metres; "à combien ... évalué" asks euros, not the lot's 2014 m².
    question = "Sur quelle longueur totale porte la servitude de passage du réseau d'eau brute de la société BRL ?"
    assert answer_type(question) == AMOUNT
    assert gives(AMOUNT, "pour une longueur totale d’environ 840 mètres linéaires ;")
    valued = "À combien les services fiscaux ont-ils évalué la parcelle SB 210 du groupe scolaire Chengdu ?"
    assert not gives_asked(
        valued, AMOUNT, "le lot 16 C de la ZAC Port Marianne-Parc Marianne d’une superficie de 2014 m²"
    )
    assert gives_asked(
        valued, AMOUNT, "Les services fiscaux ont évalué ce bien au prix de 336 000 € par avis du 5 juillet 2012."
    )
    assert gives_asked("À combien de mètres du bassin ?", AMOUNT, "à 200 mètres")  # "à combien de" is no price
