"""Session 26 (issue 15): a table's header and its first data row, rows cut at a hyphen, a list's item under its
headings, the item's reporter, every row naming the person asked, and the kinds of answer of paraphrased questions.
Each behaviour is checked on the text of real corpus documents as the loader reads them: the video-protection market
of 2013-02-04-0000061100.pdf (a header ending one passage, its row under the prefecture's stamp in the next), the
private schools' representatives of 2014-05-22-0000072224.pdf, the tables of posts of 2013-03-25-0000062247.pdf and
2014-04-24-0000071277.pdf, the Rockstore's amendment of 2013-06-17-0000064278.pdf and the Comédie du Livre's partners
of 2014-05-22-0000072219.pdf."""

from __future__ import annotations

from pathlib import Path

from rag import schema
from rag.answer import _Candidate, _cut_rows, _headed_item, _header_rows, _reporter, _rows_naming
from rag.lead import _headed_parts, _typed_quote, _with_data_row
from rag.question import (
    AMOUNT,
    DATE,
    LEVEL,
    PERSON,
    answer_type,
    asks_reporter,
    awarded,
    gives_asked,
    reporter_line,
)
from rag.retrieve import Retrieval
from rag.rows import continuation, cut_row, data_row, header_above, header_data, item_headings, table_header, typed_row
from rag.schema import Chunk, Citation, ScoredChunk
from rag.store import ChromaStore
from rag.text import sentences
from tests.rag.record_store import document_store, flat_idf

_flat = flat_idf


def _store(tmp_path: Path, cache: Path, source: str, texts: list[str]) -> tuple[list[ScoredChunk], ChromaStore]:
    """The passages of one deliberation (one record) written to a real store, in order."""
    return document_store(
        tmp_path, cache, source, texts, [1] * len(texts), schema.KIND_DELIBERATION, [0] * len(texts), "2013-02-04"
    )


def _retrieval(hits: list[ScoredChunk]) -> Retrieval:
    return Retrieval(hits=list(hits), best_dense=1.0, exact_articles=[], query_vector=None)


# 2013-02-04-0000061100.pdf p. 1: the table's header ends a passage; its only row comes under the stamp in the next.
MARKET_END = """Ce marché conclu pour une période initiale d’un an à compter de la notification, pourra être reconduit par
périodes successives d’un an pour une durée maximale de reconduction de 3 ans.
La commission d’Appel d’offres, en date du 08 janvier 2013, a décidé d’attribuer le lot suivant à l’entreprise
désignée ci-dessous présentant l’offre économiquement la plus avantageuse :
Lot Entreprise Moyenne des besoins sur 1 an  Montants retenus sur bordereau de prix
Accusé de réception – Ministère de l’intérieur"""
MARKET_ROW = """Acte Certifié exécutoire
Envoi Préfecture :
Réception en Préfecture :
06/02/2013
06/02/2013
034-213401722-20130204-0000061100-DE
en Euros H.T. estimatifs en Euros H.T.
Génie Civil - VRD -
Raccordements
Electriques, liaisons
optiques, télémétrie par
fibre optique
SOGETREL
34470 PEROLS 300 000,00  760 683,10
En conséquence, il est proposé au Conseil Municipal :
- D’approuver l’avis de la commission d’Appel d’offres en date du 08 janvier 2013.
Le Conseil adopte."""
HEADER = "Lot Entreprise Moyenne des besoins sur 1 an Montants retenus sur bordereau de prix"
ROW = (
    "Génie Civil - VRD - Raccordements Electriques, liaisons optiques, télémétrie par fibre optique SOGETREL "
    "34470 PEROLS 300 000,00 760 683,10"
)
SOURCE_MARKET = "deliberations/montpellier/pdfs/2013-02-04-0000061100.pdf"


def test_a_table_header_is_told_from_its_data_row_and_from_prose() -> None:
    assert table_header(HEADER)
    assert not table_header("SOGETREL") and not table_header("34470 PEROLS 300 000,00  760 683,10")
    assert not table_header("Extension du Réseau de Vidéoprotection Urbaine")  # a record's title
    assert not table_header(
        "renouveler. Elles comprennent, en plus de Monsieur le Maire président de droit, 10 membres élus à la"
    )
    assert header_data(MARKET_END.splitlines(), HEADER) is True  # the passage ends before any row
    lines = MARKET_ROW.splitlines()
    first, last = data_row(lines) or (0, 0)
    assert " ".join(" ".join(x.split()) for x in lines[first : last + 1]) == ROW  # stamp and unit line skipped
    assert header_above(MARKET_END.splitlines() + lines, "34470 PEROLS 300 000,00  760 683,10") == (HEADER, ROW)


def test_the_header_quoted_brings_its_data_row_from_the_next_passage(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = _store(tmp_path, embedding_cache, SOURCE_MARKET, [MARKET_END, MARKET_ROW])
    retrieval = _retrieval(hits[:1])
    header = _Candidate(0, HEADER, 0.9, 4, True)
    extra = _header_rows([header], retrieval, store)
    assert [c.sentence for c in extra] == [ROW]
    assert retrieval.hits[extra[0].hit_index].chunk.id == hits[1].chunk.id  # cited from the passage that holds it
    # The opening quotes the header with its row, each cited from its own passage: the company and the sum it names.
    citations = [Citation(1, hits[0].chunk, HEADER), Citation(2, hits[1].chunk, ROW)]
    opening = _with_data_row(HEADER, 1, citations)
    assert opening is not None and opening.citations == [1, 2]
    assert "SOGETREL" in opening.text and "300 000,00" in opening.text
    question = "Quelle entreprise a décroché le lot génie civil et fibre optique pour la vidéoprotection ?"
    lead = _typed_quote(question, answer_type(question), citations, _flat)
    assert lead and "SOGETREL" in lead[0].text


def test_a_row_under_the_header_is_read_with_its_column_titles(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = _store(tmp_path, embedding_cache, SOURCE_MARKET, [MARKET_END, MARKET_ROW])
    question = "Quel besoin annuel moyen a été estimé pour le marché à bons de commande de génie civil ?"
    assert answer_type(question) == AMOUNT  # a value estimated is a sum
    found = typed_row(question, AMOUNT, hits[:1], "", store, _flat)
    assert found is not None and found[2] == ROW


# 2014-05-22-0000072224.pdf p. 1: each school's row gives its elected member after " - "; one row is cut at hyphens.
SCHOOLS = """Ecoles privées sous contrat d'association Quartier Elu(s)
Ecole St François d'Assisse CENTRE - Maud BODKIN
Saint Charles CENTRE - Lorraine ACQUIER
Ste Thérèse CENTRE - Chantal MARION
St François Régis CENTRE - Lorraine ACQUIER
Sainte Emilie CROIX D’ARGENT - Fabrice PALAU
St Joseph (lycée) CROIX D’ARGENT - Fabrice PALAU
Sainte Odile HOPITAUX-
FACULTES
- Michèle DRAY-
FITOUSSI
Sainte Jeanne d'Arc PORT MARIANNE - Fabien ABERT
En conséquence, il est proposé au Conseil municipal de désigner ces représentants dans les conseils d’écoles.
Le Conseil Adopte."""
SOURCE_SCHOOLS = "deliberations/montpellier/pdfs/2014-05-22-0000072224.pdf"


def test_a_row_cut_at_its_hyphens_is_read_to_its_name(tmp_path: Path, embedding_cache: Path) -> None:
    lines = SCHOOLS.splitlines()
    at = lines.index("Sainte Odile HOPITAUX-")
    assert cut_row(lines, at) == "Sainte Odile HOPITAUX- FACULTES - Michèle DRAY- FITOUSSI"
    assert cut_row(lines, at + 4) == ""  # a whole row
    hits, _ = _store(tmp_path, embedding_cache, SOURCE_SCHOOLS, [SCHOOLS])
    quoted = _Candidate(0, "Sainte Odile HOPITAUX- FACULTES", 0.9, 7, True)  # as the sentence splitter cuts it
    _cut_rows([quoted], _retrieval(hits))
    assert quoted.sentence.endswith("Michèle DRAY- FITOUSSI") and not quoted.exact


def test_every_row_naming_the_person_asked_is_quoted(tmp_path: Path, embedding_cache: Path) -> None:
    hits, store = _store(tmp_path, embedding_cache, SOURCE_SCHOOLS, [SCHOOLS])
    question = "Dans quelles écoles privées Lorraine Acquier représente-t-elle la commune ?"
    found = _rows_naming(question, [], _retrieval(hits), store)
    assert [c.sentence for c in found] == [
        "Saint Charles CENTRE - Lorraine ACQUIER",
        "St François Régis CENTRE - Lorraine ACQUIER",
    ]
    # a name the rows give once: the row found by meaning answers, nothing is added
    assert _rows_naming("Dans quelle école Maud Bodkin siège-t-elle ?", [], _retrieval(hits), store) == []


# 2013-03-25-0000062247.pdf p. 1: the same label under "I - Créations" and "II - Suppressions".
POSTS = """Modification du tableau des effectifs
Serge FLEURENCE rapporte :
Les modifications suivantes au tableau des effectifs sont proposées :
I - Créations de postes :
Filière Administrative :
Directeur territorial : Création d’un poste.
Cadre d’emplois des Rédacteurs territoriaux : Création de deux postes.
Filière Technique :
Ingénieur en chef classe exceptionnelle : Création de deux postes.
Adjoint technique 2 ème  classe : Création d’un poste.
II - Suppressions de postes :
Filière Administrative :
Adjoint administratif 2 ème  classe : Suppression d’un poste.
Filière Technique :
Ingénieur : Suppression d’un poste.
En conséquence, il est proposé au Conseil municipal d’approuver ces modifications.
Le Conseil adopte."""
SOURCE_POSTS = "deliberations/montpellier/pdfs/2013-03-25-0000062247.pdf"


def test_a_list_item_is_read_under_its_headings(tmp_path: Path, embedding_cache: Path) -> None:
    lines = POSTS.splitlines()
    at = lines.index("Adjoint administratif 2 ème  classe : Suppression d’un poste.")
    assert item_headings(lines, at) == ["II - Suppressions de postes :", "Filière Administrative :"]
    hits, store = _store(tmp_path, embedding_cache, SOURCE_POSTS, [POSTS])
    question = "Quel poste de la filière administrative a été supprimé en mars 2013 ?"
    found = _headed_item(question, [], _retrieval(hits), store, _flat)
    assert [c.sentence for c in found] == [
        "II - Suppressions de postes :",
        "Filière Administrative :",
        "Adjoint administratif 2 ème classe : Suppression d’un poste.",
    ]
    created = _headed_item("Quel poste a été créé dans la filière technique ?", [], _retrieval(hits), store, _flat)
    assert created[-1].sentence.startswith("Ingénieur en chef classe exceptionnelle")  # not the one removed
    # the opening quotes a heading with what it heads, never alone
    parts = [c.sentence for c in found]
    assert _headed_parts(parts) == [" […] ".join(parts)]


# 2014-04-24-0000071277.pdf p. 1: the reporter's line opens the item, after the attendance list.
REPORTED = """Stéphanie JANNIN,Bernard TRAVIER,Dominique MARTIN-PRIVAT.
Absents :
Modifications du tableau des effectifs
Monsieur El Kandoussi rapporte :
I – Créations de postes :
Filière administrative :
Rédacteur principal de 2 ème  classe : Création de deux postes
Niveau de rémunération : IB 379 à 966"""
SOURCE_REPORTED = "deliberations/montpellier/pdfs/2014-04-24-0000071277.pdf"


def test_the_reporter_answers_who_presented_the_item(tmp_path: Path, embedding_cache: Path) -> None:
    question = "Quel élu a présenté les modifications du tableau des effectifs le 24 avril 2014 ?"
    assert asks_reporter(question) and asks_reporter("qui rapporte la délibération sur la piscine ?")
    assert not asks_reporter("Qui représente la Ville au CCAS ?") and not asks_reporter("Combien rapporte la taxe ?")
    assert reporter_line("Monsieur El Kandoussi rapporte :") and not reporter_line("Absents :")
    closing = "En conséquence, il est demandé au Conseil Municipal d’accepter l’ensemble des modifications. Le Conseil Adopte."
    hits, store = _store(tmp_path, embedding_cache, SOURCE_REPORTED, [closing, REPORTED])
    retrieval = _retrieval(hits[:1])
    found = _reporter([], retrieval, store)
    assert [c.sentence for c in found] == ["Monsieur El Kandoussi rapporte :"]
    chunk = retrieval.hits[found[0].hit_index].chunk
    chunk.meta[schema.OBJET] = "Modifications du tableau des effectifs"  # the record's title, as the loader reads it
    citation = Citation(1, chunk, found[0].sentence)
    lead = _typed_quote(question, PERSON, [citation], _flat)
    # quoted without its colon: the line announces the report, no name is left to fill in
    assert lead and lead[0].text == "Le document cité précise : « Monsieur El Kandoussi rapporte » [1]."


def test_a_value_ending_with_a_full_stop_completes_its_label() -> None:
    # 2013-06-17-0000064278.pdf p. 2: the splitter cuts each bulleted label from its value
    text = """• Montant de l’avenant : 170 824,37 € HT.
• Nouveau montant du marché : 350 824,37 €  HT.
• Pourcentage d’augmentation du marché : 95 %."""
    split = sentences(text)
    at = split.index("• Nouveau montant du marché :")
    assert continuation(split[at], split[at + 1 :])[:1] == ["350 824,37 € HT."]


def test_paraphrased_questions_ask_the_kind_of_answer_they_mean() -> None:
    assert answer_type("À quelles dates s'est déroulée l'enquête publique avant le déclassement ?") == DATE
    assert answer_type("Quelle grille de rémunération est prévue pour les ingénieurs contractuels ?") == LEVEL
    assert answer_type("Quel niveau de diplôme est exigé ?") != LEVEL
    question = "Qui offre les vins servis aux écrivains invités lors de la Comédie du livre 2014 ?"
    assert awarded(question) and not awarded("Qui a été élu maire ?")
    # 2014-05-22-0000072219.pdf p. 1: the partner is named by its capitalised words, with no legal form
    wines = (
        "Prenant la suite d’un partenariat déjà esquissé pour l’édition 2013 de la Comédie du Livre, les Vignerons du "
        "Pic Saint Loup s’associent cette année encore à l’événement et mettront à disposition, à titre gracieux, les vins"
    )
    assert gives_asked(question, PERSON, wines)
    assert not gives_asked("Qui a été élu maire ?", PERSON, wines)


# 2014-04-24-0000071277.pdf p. 1: three posts opened, each a paragraph opening alike, the same sentence after each.
VACANT = """II - Ouverture de poste à des agents non titulaires :
Direction Culture et patrimoine :
Un poste d’Ingénieur à temps complet est vacant sur des fonctions de Responsable du service manifestations
culturelles. Compte tenu des besoins de service et en application de l’article 3-3 de la loi du 26 janvier 1984
modifiée, ce poste pourra être ouvert au recrutement d’un agent non titulaire.
Niveau de rémunération : IB 379 à 966
Direction des Systèmes d’Informations:
Un poste d’Ingénieur à temps complet est vacant sur des fonctions de Chef de projet informatique. Compte tenu
des besoins de service et en application de l’article 3-3 de la loi du 26 janvier 1984 modifiée, ce poste pourra
être ouvert au recrutement d’un agent non titulaire.
Niveau de rémunération : IB 379 à 966"""


def test_the_sentences_of_a_list_written_as_sentences_are_quoted_together(
    tmp_path: Path, embedding_cache: Path
) -> None:
    from rag.answer import _parallel

    hits, store = _store(tmp_path, embedding_cache, SOURCE_REPORTED, [VACANT])
    first = "Un poste d’Ingénieur à temps complet est vacant sur des fonctions de Chef de projet informatique."
    quoted = _Candidate(0, first, 0.9, 6, True)
    question = "Quels postes d'ingénieur vacants la ville a-t-elle ouverts aux agents non titulaires ?"
    found = _parallel(question, [quoted], _retrieval(hits), store)
    assert [c.sentence for c in found] == [
        "Un poste d’Ingénieur à temps complet est vacant sur des fonctions de Responsable du service manifestations "
        "culturelles."
    ]  # the repeated "Compte tenu ..." sentence is not added
    assert _parallel("Quel poste d'ingénieur est vacant ?", [quoted], _retrieval(hits), store) == []  # one asked


def test_short_questions_without_a_question_word_ask_the_value_they_name() -> None:
    assert answer_type("Avitarelle subvention 2013 ?") == AMOUNT
    assert answer_type("tarif piscine 2014 ?") == AMOUNT
    assert answer_type("salaire des ingénieurs contractuels avril 2014 ?") == LEVEL
    assert answer_type("Le conseil a-t-il voté la subvention ?") != AMOUNT  # a yes/no question: the decision
    assert answer_type("besoin annuel vidéoprotection génie civil ?") not in (AMOUNT, LEVEL, DATE)  # names no value


def test_a_company_row_under_its_column_is_quoted_with_the_header(tmp_path: Path, embedding_cache: Path) -> None:
    from rag.answer import _row_header
    from rag.question import ORGANISATION
    from rag.rows import names_company

    assert names_company(ORGANISATION, "Quelle entreprise ?", HEADER, ROW)
    assert not names_company(AMOUNT, "Combien ?", HEADER, ROW)
    hits, store = _store(tmp_path, embedding_cache, SOURCE_MARKET, [MARKET_END, MARKET_ROW])
    question = "Quelle entreprise a obtenu le marché de génie civil et fibre optique ?"
    found = typed_row(question, ORGANISATION, hits[1:2], "", store, _flat)
    assert found is not None and found[2] in (
        ROW,
        HEADER,
    )  # "SOGETREL" is no company by its form, its column says it is
    retrieval = _retrieval(hits[1:])
    header = _row_header(0, ROW, [], retrieval, store)
    assert [c.sentence for c in header] == [HEADER]  # from the passage before, cited too
    assert retrieval.hits[header[0].hit_index].chunk.id == hits[0].chunk.id


def test_a_quote_never_has_a_part_opening_with_a_gap_mark() -> None:
    from rag.answer import join_quotes, quote_parts

    # a list cut by a page's stamp ends with a gap mark (rag.rows.name_list); the next quote follows it
    cands = [
        _Candidate(
            0, "Université Montpellier III Titulaire : - Guy BARRAL […] - Khanthaly PHOUTTHASANG […]", 0.0, 10, False
        ),
        _Candidate(0, "Conseil de l'UFR 1 Université Montpellier III Titulaire : - Sonia KERANGUEVEN", 0.0, 20, False),
    ]
    parts = quote_parts(join_quotes(cands))
    assert parts[-1] == "Conseil de l'UFR 1 Université Montpellier III Titulaire : - Sonia KERANGUEVEN"
    assert not any(part.strip().startswith("[…]") or part.strip().endswith("[…]") for part in parts)


def test_a_two_part_question_opens_with_both_values() -> None:
    from rag.lead import lead_sentences
    from rag.question import question_parts

    question = (
        "De quel pourcentage le marché de gros œuvre du Rockstore a-t-il augmenté, et quel est son nouveau montant ?"
    )
    assert question_parts(question)[1] == "quel est son nouveau montant ?"
    # 2013-06-17-0000064278.pdf p. 2, as the answer quotes it
    text = """Ces techniques de fondation engendrent une plus-value importante par rapport au système constructif prévu au
marché :
• Montant initial du marché : 180 000 € HT.
• Montant de l’avenant : 170 824,37 € HT.
• Nouveau montant du marché : 350 824,37 €  HT.
• Pourcentage d’augmentation du marché : 95 %."""
    chunk = Chunk("rockstore-5", text, {schema.KIND: schema.KIND_DOCUMENT, schema.DOC_ID: "rockstore"})
    quote = "Nouveau montant du marché : 350 824,37 € HT. […] Pourcentage d’augmentation du marché : 95 %."
    opening = " ".join(s.text for s in lead_sentences(question, [Citation(1, chunk, quote)], _flat))
    assert "95 %" in opening and "350 824,37 €" in opening


def test_the_item_writing_the_thing_asked_opens_the_answer() -> None:
    from rag.lead import lead_sentences

    question = "Quel poste de la filière administrative a été supprimé en mars 2013 ?"
    meta = {schema.KIND: schema.KIND_DELIBERATION, schema.DOC_ID: "posts", schema.DATE: "2013-03-25",
            schema.COMMUNE: "Montpellier", schema.OBJET: "Modification du tableau des effectifs", schema.OUTCOME: schema.OUTCOME_ADOPTED}  # fmt: skip
    chunk = Chunk("posts-2", POSTS, meta)
    quote = (
        "Modification du tableau des effectifs […] II - Suppressions de postes : […] Filière Administrative : […] "
        "Adjoint administratif 2 ème classe : Suppression d’un poste."
    )
    opening = lead_sentences(question, [Citation(1, chunk, quote)], _flat)
    assert opening and "Adjoint administratif 2 ème classe : Suppression d’un poste." in opening[0].text


# 20201215-3_-_note_de_synthese.doc (Flaux): the water tariff's table flattened one cell a line, three cells a row.
WATER = """3 - Facturation période hivernale :
1ère tranche + 1.5 %
0 m3 à 80 m3
1.12 €/m3
2ème tranche + 10 %
81 m3 à 160 m3
1.23 €/m3
3ème tranche + 36 %
161 m3 à 240 m3
1.67 €/m3
4ème tranche + 72 %
au-delà de 241 m3
2.87 €/m3
4 - Facturation estivale :"""


def test_a_table_flattened_one_cell_a_line_is_read_row_by_row(tmp_path: Path, embedding_cache: Path) -> None:
    from rag.rows import periodic_row

    lines = WATER.splitlines()
    assert periodic_row(lines, 3) == "1ère tranche + 1.5 % 0 m3 à 80 m3 1.12 €/m3"
    assert periodic_row(lines, 9) == "3ème tranche + 36 % 161 m3 à 240 m3 1.67 €/m3"
    hits, store = _store(
        tmp_path, embedding_cache, "deliberations/flaux/docs/20201215-3_-_note_de_synthese.doc", [WATER]
    )
    question = "Quel est le prix du m3 d'eau dans la 1ère tranche d'hiver ?"
    found = typed_row(question, AMOUNT, hits, "", store, _flat)
    assert found is not None and found[2] == "1ère tranche + 1.5 % 0 m3 à 80 m3 1.12 €/m3"
