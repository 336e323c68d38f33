"""Session 39: what the dev half of the s39 blind set (benchmarks/other_bodies_s39) showed the answers lacked: a year
written in words ("l'année deux mille vingt-quatre"), the winner's ballots beside the proclamation of an election,
an opinion asked about a price (no amount asked), a body no commune's name heads ("le conseil d'administration", not
"le conseil municipal"), the head of a document naming the body every passage of it is of."""

from __future__ import annotations

from rag import schema
from rag.answer import _passage_sentences
from rag.lead import _assembly, _head
from rag.refusal import _years_in, worded_years
from rag.rerank import rerank_council
from rag.retrieve import ScoredChunk
from rag.schema import Chunk
from rag.text import tokens
from rag.thesaurus import synonyms_by_stem


def test_a_year_written_in_words_is_that_year() -> None:
    text = "approuve à l'unanimité des cinq votants le compte administratif de l'année deux mille vingt-quatre, qui"
    assert _years_in(text) == {"2024"}
    assert worded_years("L'an deux mille vingt et un, le dix mars") == "L'an deux mille vingt et un (2021), le dix mars"
    assert _years_in("pour deux mille euros") == _years_in("en deux mille cinq cents exemplaires") == set()  # amounts


def test_the_proclamation_of_an_election_is_quoted_with_the_winners_ballots() -> None:
    chunk = Chunk(
        "a",
        "Vote à bulletin secret : 6 votants.\nMme Nathalie POUJAVEL : 4 voix. M. Raymond CALVEYRINES : 2 voix.\n"
        "Mme Nathalie POUJAVEL est élue présidente du conseil de la vie sociale. M. Raymond\nCALVEYRINES accepte.",
        {},
    )
    quoted = [sentence for _, sentence, _ in _passage_sentences(chunk)]
    assert (
        "Mme Nathalie POUJAVEL : 4 voix. M. Raymond CALVEYRINES : 2 voix. Mme Nathalie POUJAVEL est élue" in (quoted[0])
    )
    # a proclamation with no ballots counted before it is quoted alone
    alone = Chunk("b", "Le conseil procède à l'élection.\nM. Paul DURAND est élu maire.", {})
    assert [s for _, s, _ in _passage_sentences(alone)][-1] == "M. Paul DURAND est élu maire."


def test_a_body_no_communes_name_heads_decided_as_its_assembly() -> None:
    chunk = Chunk("a", "approuve le budget 2025 de l'office ;", {schema.BODY: "conseil d'administration"})
    assert _head("2024-12-12", None, _assembly(chunk)) == "Le 12 décembre 2024, le conseil d'administration"
    home = Chunk("b", "x", {schema.BODY: "comite de direction"})
    assert _head(None, None, _assembly(home)) == "Le comité de direction"
    town = Chunk("c", "x", {schema.COMMUNE: "Fontbrémoux", schema.BODY: "conseil d'administration"})
    assert _assembly(town) == ""  # (a commune's minutes: its council decided)


def test_everyday_words_of_the_s39_dev_half() -> None:
    groups = synonyms_by_stem("Le conseil a-t-il éteint l'éclairage la nuit ? L'office HLM ?")
    assert set(tokens("minuit")) <= groups[tokens("nuit")[0]]
    assert set(tokens("habitat")) <= groups[tokens("hlm")[0]]


def test_the_head_of_a_document_counts_for_each_of_its_passages() -> None:
    """The masthead passage of a housing office's minutes writes "Cantelouze" and "Habitat" once, the record on the
    rents neither: the head (schema.HEAD) names the body for both, and the record writing the rents comes first."""
    head = "CANTELOUZE HABITAT Office public de l'habitat rattaché à Cantelouze Agglomération"
    common = {schema.SOURCE: "oph.pdf", schema.HEAD: head}
    masthead = ScoredChunk(
        Chunk("m", f"{head}\nPROCÈS-VERBAL DU CONSEIL D'ADMINISTRATION", {**common, schema.TITLE: "12 décembre 2024"}),
        0.080,
    )
    rents = ScoredChunk(
        Chunk(
            "r",
            "Point n°2 — Évolution des loyers au 1er janvier 2025. Le conseil approuve l'augmentation de 2,90 % des loyers.",
            {**common, schema.TITLE: "Évolution des loyers au 1er janvier 2025", schema.RECORD_INDEX: 1},
        ),
        0.078,
    )
    ranked = rerank_council(
        [masthead, rents], "De combien les loyers de Cantelouze Habitat augmentent-ils ?", lambda s: 1.0
    )
    assert [h.chunk.id for h in ranked] == ["r", "m"]
