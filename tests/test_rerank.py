"""The second stage of the ranking (rag/rerank.py): the law's passages re-ordered among their slots, and the
council's records by the question's words they write."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import retrieve, schema
from rag.bridge import TopicBridge
from rag.evaluate import load_gold
from rag.kb import KnowledgeBase
from rag.pack import LegalPack, install_pack
from rag.rerank import (
    COUNCIL_DEPTH,
    DEPTH,
    REGULATORY,
    RRF_K,
    coverage,
    is_regulatory,
    rerank,
    rerank_council,
    second_score,
)
from rag.retrieve import HybridRetriever, _boilerplate_later
from rag.schema import Chunk, ScoredChunk
from rag.settings import Settings
from rag.text import tokens
from rag.thesaurus import lexical_query
from tests.conftest import REPO
from tests.rag.record_store import flat_idf

GOLD = REPO / "benchmarks" / "gold_service_public.jsonl"


@pytest.fixture(scope="module")
def pack_chunks() -> dict[tuple[str, str], Chunk]:
    """The first passage of each article of the shipped legal pack, by (code, article)."""
    chunks: dict[tuple[str, str], Chunk] = {}
    for document in LegalPack().documents():
        for chunk in document.chunks:
            chunks.setdefault((str(chunk.meta.get(schema.CODE)), chunk.article or ""), chunk)
    return chunks


def _first_stage(chunk: Chunk, ranks: dict[str, int], settings: Settings) -> ScoredChunk:
    """A hit scored as rag.retrieve's fusion scores it (weighted reciprocal ranks, k = settings.rrf_k)."""
    weights = {"bm25": settings.bm25_weight, "dense": settings.dense_weight, "bridge": 1.0}
    score = sum(weights[c] / (settings.rrf_k + r) for c, r in ranks.items())
    return ScoredChunk(chunk, score, ranks=dict(ranks))


def test_regulatory_articles_are_told_from_legislative_ones() -> None:
    assert [is_regulatory(a) for a in ("R2123-3", "D231-2", "R*2213-1", "L2123-3", "LO1112-1", "Annexe IX", "")] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_an_article_one_channel_ranks_first_passes_two_middling_ranks(pack_chunks: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """The ranks the channels gave two articles for "Associations cultuelles : que prévoit la loi ?" over the
    whole law (dev question sp-F21925): L1311-2 (bail emphytéotique "en vue de l'affectation à une association
    cultuelle d'un édifice du culte", cited by the fiche) first in BM25 only; R2113-22 (associations
    municipales of a commune nouvelle, not cited) 18th in BM25 and 4th in the dense channel. The first stage
    ranks R2113-22 first; the second ranks L1311-2 first."""
    settings = Settings(store=tmp_path / "store")
    cited = pack_chunks[("CGCT", "L1311-2")]
    assert "association cultuelle" in cited.text
    first = [
        _first_stage(pack_chunks[("CGCT", "R2113-22")], {"bm25": 18, "dense": 4}, settings),
        _first_stage(cited, {"bm25": 1}, settings),
    ]
    assert first[0].score > first[1].score
    second = rerank(first, settings)
    assert [h.chunk.article for h in second] == ["L1311-2", "R2113-22"]
    assert [h.score for h in second] == [first[1].score, first[0].score]  # scores are not changed
    assert second_score(second[0], settings) > second_score(second[1], settings)


def test_the_partie_reglementaire_gives_way_at_equal_ranks(pack_chunks: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    """ "Élu local salarié : absence et crédits d'heures" (sp-F2310): L2123-3 and R2123-3 with the same ranks
    (swapped between the channels): the legislative article first, the regulatory one at REGULATORY."""
    settings = Settings(store=tmp_path / "store")
    regulatory = _first_stage(pack_chunks[("CGCT", "R2123-3")], {"bm25": 2, "dense": 3}, settings)
    legislative = _first_stage(pack_chunks[("CGCT", "L2123-3")], {"bm25": 3, "dense": 2}, settings)
    assert [h.chunk.article for h in rerank([regulatory, legislative], settings)] == ["L2123-3", "R2123-3"]
    k1, k2, w = settings.rrf_k, RRF_K, settings.dense_weight
    assert regulatory.score == pytest.approx(1 / (k1 + 2) + w / (k1 + 3))
    assert second_score(regulatory, settings) == pytest.approx(REGULATORY * (1 / (k2 + 2) + w / (k2 + 3)))
    assert second_score(legislative, settings) == pytest.approx(1 / (k2 + 3) + w / (k2 + 2))


def test_other_passages_keep_their_slots_and_the_tail_is_untouched(demo_kb) -> None:  # type: ignore[no-untyped-def]
    """A law question on the demo store (the demo CGCT and CRPA with the council documents): the first stage's
    hits, the second's: every council passage in the same slot, the same law passages in the first DEPTH,
    the hits after DEPTH unchanged."""
    kb = demo_kb
    question = "Un conseiller peut-il avoir deux procurations pour la même séance ?"
    first = HybridRetriever(store=kb.store, settings=kb.settings, lexical=kb.lexical, second_stage=False)
    hits = first.retrieve(question, top_k=DEPTH + 10)
    assert hits[0].chunk.kind == schema.KIND_ARTICLE
    # A council passage among the law's (as in a mixed ranking), to check it stays where it is.
    council = next(
        h for h in first.retrieve("mission de l'archiviste", top_k=20) if h.chunk.kind != schema.KIND_ARTICLE
    )
    mixed = [*hits[:2], council, *hits[2:]]
    second = rerank(mixed, kb.settings)
    assert second[2] is council
    assert {h.chunk.id for h in second[:DEPTH]} == {h.chunk.id for h in mixed[:DEPTH]}
    assert [h.chunk.id for h in second[DEPTH:]] == [h.chunk.id for h in mixed[DEPTH:]]


@pytest.mark.parametrize(
    "question",
    [
        "Combien coûte la mission de l'archiviste ?",
        "Combien coûtera la campagne de stérilisation des chats avec 30 millions d'amis ?",
        "Quel est le tarif de la concession centenaire au cimetière de Couthenans ?",
    ],
)
def test_a_council_decision_question_is_left_to_the_council_stage(demo_kb, question: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Questions of the demo gates about what the council decided: the law's stage leaves them alone; with the
    second stage, the first ten hits are the first stage's re-ordered by rerank_council only (the passages of running
    headers then after the first three others, as every ranking: rag.retrieve._boilerplate_later)."""
    kb = demo_kb
    first = HybridRetriever(store=kb.store, settings=kb.settings, lexical=kb.lexical, second_stage=False)
    both = HybridRetriever(store=kb.store, settings=kb.settings, lexical=kb.lexical)
    with monkeypatch.context() as patch:
        patch.setattr(retrieve, "_boilerplate_later", lambda ranked: ranked)  # the first stage's own order
        ranked = first.retrieve(question, top_k=COUNCIL_DEPTH + 10)
    assert ranked[0].chunk.kind != schema.KIND_ARTICLE
    expected = _boilerplate_later(rerank_council(ranked, question, kb.lexical.idf))
    assert [h.chunk.id for h in both.retrieve(question, top_k=10)] == [h.chunk.id for h in expected[:10]]


def _passage(source: str, title: str, text: str, index: int, score: float) -> ScoredChunk:
    meta = {
        schema.SOURCE: source,
        schema.TITLE: title,
        schema.KIND: schema.KIND_DELIBERATION,
        schema.CHUNK_INDEX: index,
    }
    return ScoredChunk(Chunk(f"{source}-{index}", text, meta), score)


# Two records of the Montpellier council of 17 June 2013 (corpus: deliberations/montpellier/pdfs), in the words of
# their pages: the security market ranked first over the whole corpus for a question on the electric vehicles.
SECURITY = (
    "2013-06-17-0000064160.pdf",
    "Marchés de Sécurité et Accompagnement Evènementiel Autorisation à signer les marchés",
)
VEHICLES = (
    "2013-06-17-0000064311.pdf",
    "Achat de véhicules à motorisation essence, diesel, GPL, GNV, électrique d'usine. Autorisation de signer les marchés.",
)
# The IDF of the question's stems over the whole corpus (law pack and 297 council documents, 9,688 passages)
CORPUS_IDF = {"societ": 3.3, "fourn": 4.6, "vehicul": 4.4, "electr": 4.2, "lot": 4.6, "march": 3.2, "2013": 2.5}
QUESTION = "Quelle société fournira les véhicules électriques (lots 8 et 9 du marché de 2013) ?"


def corpus_idf(stem: str) -> float:
    return CORPUS_IDF.get(stem, 1.0)


def test_the_record_writing_the_questions_words_comes_first() -> None:
    """The first stage ranks the security market (its "lot n° 1", "marchés", "sociétés") above the vehicles'
    market, whose passages write "électrique", "véhicules" and "lots 8 et 9": the council stage swaps them; the law
    passage between them keeps its slot and no score changes."""
    security = _passage(*SECURITY, "La commission d'Appel d'offres, en date du 23 avril 2013, a décidé d'attribuer "
                        "les marchés aux sociétés pour le lot n° 1 de l'accueil et de la sécurité.", 0, 0.115)  # fmt: skip
    law = ScoredChunk(Chunk("L2122-22", "Le maire peut ... prendre toute décision concernant les marchés.",
                            {schema.KIND: schema.KIND_ARTICLE, schema.ARTICLE: "L2122-22"}), 0.110)  # fmt: skip
    vehicles = _passage(*VEHICLES, "Véhicules utilitaires camionnettes standards et compactes à motorisation "
                        "électrique. Quantités annuelles estimées par lot. *pour les lots 8 et 9 :", 3, 0.107)  # fmt: skip
    ranked = rerank_council([security, law, vehicles], QUESTION, corpus_idf)
    assert [h.chunk.id for h in ranked] == [vehicles.chunk.id, law.chunk.id, security.chunk.id]
    assert [h.score for h in ranked] == [0.107, 0.110, 0.115]
    stems = set(tokens(lexical_query(QUESTION)))
    assert coverage(stems, set(tokens(f"{vehicles.chunk.text} {VEHICLES[1]}")), corpus_idf) > coverage(
        stems, set(tokens(f"{security.chunk.text} {SECURITY[1]}")), corpus_idf
    )


def test_a_records_passages_keep_their_first_order() -> None:
    """The vehicles' record moves up as a whole; its opening passage, first of the two in the first stage, stays
    before its table though the table writes more of the question's words; hits after COUNCIL_DEPTH stay put."""
    opening = _passage(*VEHICLES, "Un appel d'offres a été lancé en vue de l'achat de véhicules à motorisation "
                       "essence, diesel, GPL, GNV et électrique d'usine destinés à équiper des services de la ville.",
                       1, 0.100)  # fmt: skip
    table = _passage(*VEHICLES, "Véhicules particuliers petites citadines à motorisation électrique. *pour les lots "
                     "8 et 9 : Critères Pondération 1 - Prix des prestations", 3, 0.090)  # fmt: skip
    security = _passage(*SECURITY, "Les prestations feront l'objet de marchés à bons de commande sans minimum, ni "
                        "maximum, comportant deux lots.", 0, 0.105)  # fmt: skip
    tail = [_passage("autre.pdf", "Autre", f"marché {i}", 10 + i, 0.01) for i in range(COUNCIL_DEPTH)]
    ranked = rerank_council([security, opening, table, *tail], QUESTION, corpus_idf)
    assert [h.chunk.id for h in ranked[:3]] == [opening.chunk.id, table.chunk.id, security.chunk.id]
    assert [h.chunk.id for h in ranked[3:]] == [h.chunk.id for h in tail]


# The two records of the whole corpus that write most of a question on a security market (IDF over the whole
# corpus): the market's award of 17 June 2013, and the compte rendu of 17 February 2014 that transfers it, the one
# record writing the market's number.
TRANSFER_QUESTION = (
    "Entre quelles sociétés le marché de sécurité et d'accompagnement événementiel n° 21091140 a-t-il été transféré ?"
)
TRANSFER_IDF = {"21091140": 8.8, "evenementiel": 7.5, "accompagn": 3.8, "transfer": 3.6, "secur": 3.6, "societ": 3.3,
                "march": 3.2, "entre": 2.0}  # fmt: skip


def test_a_record_lacking_the_number_the_question_writes_comes_after_the_one_writing_it() -> None:
    award = _passage(*SECURITY, "La Ville de Montpellier a souhaité lancer un marché de services permettant de désigner "
                     "des prestataires chargés pour le lot n° 1 de l'accueil et de la sécurité et pour le lot n° 2 de "
                     "l'accompagnement et de la protection rapprochée. Lots Entreprises : GROUPEMENT Agence de Sécurité "
                     "Intégrale (mandataire) / Global Organisation Services", 1, 0.082)  # fmt: skip
    transfer = _passage("CR_CM_16_02_2014.pdf", "Montpellier — 17 février 2014 — CR_CM_16_02_2014.pdf",
                        "Marché de sécurité et accompagnement évènementiel n° 21091140 Lot n° 1 : Accueil sécurité "
                        "Lot n° 2 : Accompagnement et protection rapprochée Autorisation de signer l'Avenant de transfert "
                        "entre les sociétés : Agence de Sécurité Intégrale", 12, 0.048)  # fmt: skip
    idf = lambda stem: TRANSFER_IDF.get(stem, 1.0)  # noqa: E731
    ranked = rerank_council([award, transfer], TRANSFER_QUESTION, idf)
    assert [h.chunk.id for h in ranked] == [transfer.chunk.id, award.chunk.id]
    # Without its number the question is about the market itself: the award comes first.
    unnumbered = TRANSFER_QUESTION.replace(" n° 21091140", "").replace("a-t-il été transféré", "a-t-il été attribué")
    assert [h.chunk.id for h in rerank_council([award, transfer], unnumbered, idf)] == [
        award.chunk.id,
        transfer.chunk.id,
    ]


def test_a_question_without_content_words_keeps_the_ranking() -> None:
    hits = [_passage(*SECURITY, "sécurité", 0, 0.2), _passage(*VEHICLES, "véhicules", 1, 0.1)]
    assert rerank_council(hits, "Et alors ?", flat_idf) == hits


@pytest.fixture(scope="module")
def law_store(tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Path:
    """The whole legal pack shipped in the package, loaded into a new store (no embedding)."""
    store = tmp_path_factory.mktemp("rerank-law") / "store"
    install_pack(KnowledgeBase(Settings(store=store, cache_dir=embedding_cache)), LegalPack())
    return store


@pytest.mark.slow
@pytest.mark.parametrize("gold_id", ["sp-F21925", "sp-F10003"])
def test_over_the_whole_law_a_cited_article_comes_first(law_store: Path, embedding_cache: Path, gold_id: str) -> None:
    """Two dev questions of the Service-Public gold, asked leave-one-out (their own fiche out of the bridge):
    the first stage ranks an article the fiche does not cite first, the second stage one it cites."""
    settings = Settings(store=law_store, cache_dir=embedding_cache)
    kb = KnowledgeBase(settings)
    (gold,) = [q for q in load_gold(GOLD) if q.id == gold_id]
    shipped = TopicBridge.load()
    assert shipped is not None
    bridge = shipped.without({gold.id.removeprefix("sp-")})

    def first_hit(second_stage: bool) -> tuple[str, str]:
        retriever = HybridRetriever(
            store=kb.store, settings=settings, lexical=kb.lexical, bridge=bridge, second_stage=second_stage
        )
        hit = retriever.retrieve(gold.question, top_k=1)[0]
        return (str(hit.chunk.meta.get(schema.CODE)), hit.chunk.article or "")

    assert first_hit(False) not in gold.gold_refs
    assert first_hit(True) in gold.gold_refs


def test_the_scopes_words_count_for_no_record() -> None:
    """ "Combien Couthenans a-t-elle attribué au Cycloclub en octobre 2022 ?" in the compte rendu of 7 October 2022
    (data/deliberations/couthenans): the heading item writes the commune and the month, the grants item the club; with
    the scope's stems excused (the retrieval kept only that meeting), the grants item comes first."""
    source = "CR_conseil_municipal_07_10_2022.pdf"
    heading = _passage(source, "CR du conseil municipal 7 octobre 2022", "Présents : Jean-Pierre JEANROY", 0, 0.129)
    grants = _passage(source, "3/ Subventions aux associations", "ASSPEC : 600€ Cycloclub Couthenans : 230€", 1, 0.122)
    question = "Combien Couthenans a-t-elle attribué au Cycloclub en octobre 2022 ?"
    assert rerank_council([heading, grants], question, flat_idf) == [heading, grants]
    excused = frozenset(tokens("Couthenans octobre 2022"))
    assert rerank_council([heading, grants], question, flat_idf, excused=excused) == [grants, heading]
