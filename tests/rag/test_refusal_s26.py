"""Session 26's refusal checks (rag.refusal), on real text copied from the stores' documents (`pdftotext`, OCR for the
scans): the word checks read the question as a town hall writes it (a noun inside a preposition, a participle or
"devenu" before a role, a plural of the thesaurus, a word typed without its accents, "numéro" for "n°", an acronym
the question spells out, a name blending a title's words, a word cut at a line's end), and two checks of what is
asked: who chairs, and a sale's price (not its floor). Figures in docs/EVALUATION.md, session 26."""

from __future__ import annotations

from collections.abc import Callable

from rag import schema
from rag.question import AMOUNT
from rag.refusal import (
    blended_name,
    cited_reason,
    defined_acronyms,
    key_nouns,
    qualifiers,
    question_numbers,
    respelt,
    states_value,
    synonym_groups,
    vocabulary,
)
from rag.retrieve import Retrieval
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk

# montpellier/pdfs/2014-05-22-0000072077.pdf, p. 1 (s22 store)
PARVIS_2014 = """A cette fin, il est proposé de renforcer l'attractivité commerciale de cette place en créant une instance de
concertation, présidée par M Pascal KRZYZANSKI, adjoint au quartier  Près d'Arènes et composée de :
- Quatre élus de la ville :
M Gérard CASTRE, adjoint délégué à la démocratie de proximité, Mme Brigitte
ROUSSEL-GALIANA, adjointe déléguée à l'Economie, M.
Fabien ABERT, adjoint délégué au sport, et
M Cédric de SAINT-JOUAN, adjoint délégué à la culture,"""
PARVIS_TITLE = "Délibération 2014/173 — Création de la Commission Municipale d'animation du parvis Georges Frêche"
# montpellier/pdfs/2014-05-22-0000072219.pdf, p. 1 (s25 store)
VINS_2014 = """Prenant la suite d'un partenariat déjà esquissé pour l'édition 2013 de la Comédie du Livre, les Vignerons du Pic
Saint Loup s'associent cette année encore à l'événement et mettront à disposition, à titre gracieux, les vins de
leur production, lors des différents déjeuners et dîners offerts par la Ville aux personnalités et aux écrivains
nordiques invités dans le cadre de la 29 e édition de la Comédie du Livre."""
VINS_TITLE = "Délibération 2014/199 — Comédie du livre 2014 Convention de partenariat avec Ikéa et Les vignerons du Pic Saint Loup"
# montpellier/pdfs/2014-04-24-0000071218.pdf, p. 1 (unseen store)
ADJOINT_2014 = """Suite à l'élection du Maire et des Adjoints en date du 5 avril 2014, et constatant la vacance d'un poste
d'Adjoint au Maire nouvellement créé, conformément aux dispositions de l'article L 2122-10 du Code
général des collectivités territoriales, il convient de procéder à l'élection de ce nouvel Adjoint au Maire.
A été élue :
- Madame Brigitte ROUSSEL-GALIANA."""
ADJOINT_TITLE = "Délibération 2014/144 — Election d'un Adjoint au Maire"
# montpellier/pdfs/2013-03-25-0000062234.pdf, p. 1 (s25 store)
LEBOUX_2013 = (
    "Il est proposé la mise en vente de ce bien, de gré à gré après mise en concurrence, au prix plancher de 112.500 € "
    "au vu de l'estimation des services fiscaux en date du 12 février 2013."
)
# CR_CM_16_02_2014.pdf, p. 2 (s23 store, OCR), the item's heading up to the acronym
PSMV_2014 = "2 Approbation du plan de sauvegarde et de mise en valeur"
# montpellier/pdfs/2013-02-04-0000061105.pdf, p. 1 (unseen store)
CINEMED_2013 = (
    "Festival International du Cinéma Méditerranéen Designation des représentants de la Ville et des personnalités "
    "qualifiées au Conseil d'administration de l'association"
)


def _chunk(text: str, doc: str, title: str, *, index: int = 0) -> Chunk:
    meta = {
        schema.DOC_ID: doc,
        schema.COMMUNE: "Montpellier",
        schema.TITLE: title,
        schema.KIND: schema.KIND_DELIBERATION,
        schema.CHUNK_INDEX: index,
        schema.RECORD_INDEX: 0,
    }
    return Chunk(id=f"{doc}-{index}", text=text, meta=meta)


COMMON = {"vill": 0.6, "commun": 0.7, "conseil": 0.3, "municipal": 0.3, "montpelli": 0.2}


def _idf(stem: str) -> float:
    return COMMON.get(stem, 5.0)


def _reason(question: str, chunk: Chunk, opening: str, idf: Callable[[str], float] = _idf) -> str | None:
    """cited_reason for an answer opening with `opening` and quoting the passage whole as [1]."""
    citation = Citation(n=1, chunk=chunk, quote=chunk.text.replace("\n", " "))
    retrieval = Retrieval(hits=[ScoredChunk(chunk, 1.0)], best_dense=0.9, exact_articles=[], query_vector=None)
    lead = AnswerSentence(text=f"{opening} [1].", citations=[1])
    line = AnswerSentence(text=f"Délibération : « {citation.quote} » [1]", citations=[1])
    return cited_reason(question, retrieval, [lead, line], [citation], idf)


def test_a_noun_inside_a_preposition_is_no_topic() -> None:
    assert "tet" not in key_nouns("Qui est à la tête de la commission d'animation du parvis Georges Frêche ?")
    assert "sein" not in key_nouns("Qui siège au sein du conseil d'administration du CROUS ?")
    assert "commiss" in key_nouns("Qui est à la tête de la commission d'animation du parvis Georges Frêche ?")


def test_a_participle_or_devenu_is_no_qualifier_the_evidence_must_write() -> None:
    question = "Qui offre les vins servis aux écrivains invités lors de la Comédie du livre 2014 ?"
    assert "serv" not in qualifiers(question)
    assert qualifiers("Qui est devenu adjoint au maire le 24 avril 2014 ?") == ["adjoint"]
    assert "tennis" in qualifiers("Quelle subvention pour la section tennis ?")  # a noun in "-is" stays
    vins = _chunk(VINS_2014, "mtp-2014-199", VINS_TITLE)
    assert _reason(question, vins, "Les Vignerons du Pic Saint Loup mettront à disposition les vins") is None
    adjoint = _chunk(ADJOINT_2014, "mtp-2014-144", ADJOINT_TITLE)
    opening = "Le 24 avril 2014, le conseil municipal de Montpellier a élu : Madame Brigitte ROUSSEL-GALIANA"
    assert _reason("Qui est devenu adjoint au maire le 24 avril 2014 ?", adjoint, opening) is None


def test_who_chairs_is_answered_by_the_chair_not_a_member() -> None:
    parvis = _chunk(PARVIS_2014, "mtp-2014-173", PARVIS_TITLE)
    member = "Le document cité précise : « Quatre élus de la ville : M Gérard CASTRE, adjoint délégué »"
    chair = "Le document cité précise : « présidée par M Pascal KRZYZANSKI, adjoint au quartier Près d'Arènes »"
    for question in (
        "Qui préside la commission municipale d'animation du parvis Georges Frêche ?",
        "Qui est à la tête de la commission d'animation du parvis Georges Frêche ?",
    ):
        assert _reason(question, parvis, member) == "topic"
        assert _reason(question, parvis, chair) is None
    # a member asked is still answered by the members
    assert _reason("Quels élus siègent à la commission d'animation du parvis Georges Frêche ?", parvis, member) is None


def test_a_floor_price_is_not_the_price_of_the_sale() -> None:
    sold = "À qui et à quel prix le terrain de l'impasse Leboux a-t-il finalement été vendu ?"
    leboux = _chunk(
        LEBOUX_2013, "mtp-2013-119", "Délibération 2013/119 — Mise en vente d'un terrain situé impasse Leboux"
    )
    assert _reason(sold, leboux, "Le document cité précise : « au prix plancher de 112.500 € »") == "fact"
    floor = "À partir de quel prix la ville met-elle en vente le terrain de l'impasse Leboux ?"
    assert _reason(floor, leboux, "Le document cité précise : « au prix plancher de 112.500 € »") is None
    # a surface is no price
    assert not states_value(sold, AMOUNT, "représentant une emprise foncière de 91 m², après publicité")
    assert states_value(sold, AMOUNT, "cédé à la société X au prix de 120 000 €")


def test_a_plural_has_its_singular_s_synonyms() -> None:
    groups = synonym_groups("Quelle part des prêts de la SERM pour Parc Marianne la Ville couvre-t-elle ?")
    assert "emprunt" in groups["pret"]


def test_a_word_typed_without_accents_is_read_as_the_documents_write_it() -> None:
    known = {"univers", "electr", "uzes", "journ", "pay"}

    def idf(stem: str) -> float:
        return 2.0 if stem in known else 9.0

    question = "Quels sont les delegues de Flaux au Syndicat Mixte d'Electricite du Pays d'Uzes ?"
    assert respelt(question, idf) == "Quels sont les delegues de Flaux au Syndicat Mixte d'Electricité du Pays d'Uzès ?"
    assert respelt("Combien coute la journee ?", idf) == "Combien coute la journée ?"
    assert respelt("Quel est le montant de l'avenant numéro 1 ?", idf) == "Quel est le montant de l'avenant n° 1 ?"
    assert question_numbers("Quel est le montant de l'avenant numéro 1 des travaux du Rockstore ?") == {}


def test_an_acronym_the_question_spells_out_and_a_blended_name() -> None:
    question = (
        "Quand s'est tenue la séance qui a approuvé le plan de sauvegarde et de mise en valeur (PSMV) du secteur "
        "sauvegardé ?"
    )
    words = defined_acronyms(question)["psmv"]
    assert all(any(w == v or v.startswith(w) for v in vocabulary(PSMV_2014)) for w in words)
    assert defined_acronyms("Qui représente la Ville au conseil de la SERM (Société d'équipement) ?") == {}
    assert blended_name("cinemed", CINEMED_2013)
    assert not blended_name("cinemed", "la salle de cinéma de la Ville")


def test_a_word_cut_at_a_line_s_end_is_read_whole() -> None:
    assert "amenag" in vocabulary("la convention d'aména-\ngement de la ZAC")


# montpellier/pdfs/2013-06-17-0000064278.pdf, p. 1 (s25 store)
ROCKSTORE_2013 = "L'entreprise DARVER est devenue titulaire du lot n° 1 « Gros-Œuvre – VRD »."
# montpellier/pdfs/2013-02-04-0000061135.pdf, p. 1 (s25 store), as the answer's opening gives the decision
CEVENNES_2013 = "d'attribuer une subvention de 65 313 € à la copropriété des Cévennes 1 pour son bâtiment J"
# montpellier/pdfs/2014-04-24-0000071259.pdf, p. 1 (s25 store): the attendance list, cut at the passage's edges
ROLL_2014 = "PEREZ,Khanthaly PHOUTTHASANG,Patrick RIVAS, Brigitte ROUSSEL-GALIANA, Samira SALOMON,Marie-Hélène"
# montpellier/pdfs/2014-04-24-0000071257.pdf (s25 store), as the answer's opening gives the designation
EVENTS_2014 = "Le 24 avril 2014, le conseil municipal de Montpellier a adopté : Dominique MARTIN-PRIVAT"


def test_another_lot_or_building_is_a_neighbour() -> None:
    rockstore = _chunk(
        ROCKSTORE_2013, "mtp-2013-260", "Délibération 2013/260 — Le Rockstore - Travaux de mise aux normes"
    )
    opening = f"Le document cité précise : « {ROCKSTORE_2013} »"
    question = "Quelle entreprise a été retenue pour le lot {} des travaux de mise aux normes du Rockstore ?"
    assert _reason(question.format("menuiseries"), rockstore, opening) == "reference"
    assert _reason(question.format("gros-œuvre"), rockstore, opening) is None
    cevennes = _chunk(CEVENNES_2013, "mtp-2013-33", "Délibération 2013/33 — Attribution d'une subvention, bâtiment J")
    question = "Quelle aide la ville a-t-elle accordée à la copropriété Cévennes 1 pour le bâtiment {} ?"
    opening = f"Le 4 février 2013, le conseil municipal de Montpellier a adopté : {CEVENNES_2013}"
    assert _reason(question.format("L (Larzac)"), cevennes, opening, _idf) == "reference"
    assert _reason(question.format("J"), cevennes, opening, _idf) is None


def test_an_attendance_list_names_no_one_designated() -> None:
    roll = _chunk(ROLL_2014, "mtp-2014-148", "Délibération 2014/148 — SOMIMON, désignation des représentants")
    question = "Qui est le suppléant de Brigitte Roussel-Galiana au conseil d'administration de la SOMIMON ?"
    assert _reason(question, roll, f"Le document cité précise : « {ROLL_2014} »") == "fact"
    # the same question is left to the other checks when the opening names someone designated
    assert _reason(question, roll, "Le document cité précise : « Suppléant : -Brigitte ROUSSEL-GALIANA »") != "fact"
    events = _chunk(EVENTS_2014, "mtp-2014-147", "Délibération 2014/147 — Montpellier Events, désignation")
    assert _reason("Qui préside le conseil d'administration de Montpellier Events ?", events, EVENTS_2014) == "topic"


# montpellier/pdfs/2014-04-24-0000071247.pdf (unseen store), as the answer's opening gives the election
CCAS_2014 = (
    "Le 24 avril 2014, le conseil municipal de Montpellier a élu : Représentant du Maire : Max LEVITA ; Henri MAILLET ; "
    "Nicole LIZA ; Vincent HALUSKA ; Françoise BONNET"
)


# montpellier/pdfs/2014-04-24-0000071285.pdf, p. 1 (unseen store), and the answer's opening built on it
SAGE_2014 = (
    "La Commission Locale de l'Eau (CLE) est chargée d'élaborer le schéma d'aménagement et de gestion des eaux (SAGE) "
    "du Lez, de la Mosson et des étangs palavasiens. Conformément à l'arrêté préfectoral en date du 9 février 1999, la Ville de Montpellier est représentée au sein de "
    "la Commission par un représentant titulaire et un suppléant."
)
SAGE_OPENING = (
    "Le 24 avril 2014, le conseil municipal de Montpellier a élu : Titulaire : Sauveur TORTORICI ; Suppléant : Pascal "
    "KRYZANSKI"
)


def test_the_role_asked_is_written_by_the_answer_s_first_sentence() -> None:
    ccas = _chunk(CCAS_2014, "mtp-2014-142", "Délibération 2014/142 — Election des membres du conseil d'administration")
    question = "Qui est le directeur général des services de la Ville de Montpellier ?"
    assert _reason(question, ccas, CCAS_2014) == "topic"
    # "Titulaire" answers "le représentant titulaire"
    sage = _chunk(SAGE_2014, "mtp-2014-185", "Délibération 2014/161 — Commission locale de l'eau (SAGE)")
    question = "Qui est le représentant titulaire de la Ville à la Commission locale de l'eau du SAGE du Lez ?"
    assert _reason(question, sage, SAGE_OPENING) is None
    assert _reason(question, sage, "Le 24 avril 2014, le conseil a élu : Suppléant : Pascal KRYZANSKI") == "topic"


# montpellier/pdfs/2014-04-24-0000071305.pdf (s24 store): a row of the table of posts
POSTES_2014 = "Rédacteur principal de 2 ème classe : Création de deux postes"


def test_posts_counted_are_of_the_grade_asked() -> None:
    posts = _chunk(POSTES_2014, "mtp-2014-170", "Délibération 2014/170 — Tableau des effectifs")
    opening = f"Le document cité précise : « {POSTES_2014} »"
    question = "Combien de postes d'adjoint administratif la Ville de Montpellier a-t-elle créés en avril 2014 ?"
    assert _reason(question, posts, opening) == "topic"
    question = "Combien de postes de rédacteur principal de 2e classe ont été créés ?"
    assert _reason(question, posts, opening) is None


def test_abbreviated_names_are_read_whole() -> None:
    # montpellier/pdfs/2014-05-22-0000072224.pdf, p. 2 (s25 store) writes "Sainte Odile"; a question may write "Ste Odile"
    assert respelt("Quelle élue a été désignée pour l'école privée Ste Odile ?", _idf) == (
        "Quelle élue a été désignée pour l'école privée Sainte Odile ?"
    )
    assert {"saint", "roch"} <= vocabulary("la ZAC Nouveau St-Roch")
