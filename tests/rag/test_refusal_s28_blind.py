"""Refusal checks fixed after reading the eighth blind set (session 28): the words of Montpellier deliberations of
2013-2014 (deliberations/montpellier/pdfs of the shared corpus), as ingestion reads them."""

from __future__ import annotations

from rag import schema
from rag.refusal import _unknown_names, key_nouns, spelled_acronyms, vocabulary
from rag.schema import Chunk, ScoredChunk

# 2013-02-04-0000061107.pdf (the Panacée's grant request), p. 1
PANACEE = (
    "Un financement complémentaire peut être sollicité au titre du PIC 2013 auprès de l’Agglomération sur la base "
    "d’un montant de 167 224 € au titre de la dernière phase de travaux. - d’autoriser le dépôt d’une demande de "
    "subvention auprès de la Communauté d’Agglomération de Montpellier"
)
# 2014-05-22-0000072118.pdf (the Maison de Montpellier à Chengdu), p. 1
CHENGDU = (
    "Désignation des représentants de la Ville au Conseil d'Administration et à l'Assemblée générale de "
    "l'Association de la Maison de Montpellier à Chengdu"
)


def _hit(text: str, source: str = "2013-02-04-0000061107.pdf") -> ScoredChunk:
    meta = {schema.SOURCE: source, schema.KIND: schema.KIND_DELIBERATION, schema.RECORD_INDEX: 0}
    return ScoredChunk(Chunk(source, text, meta), 0.1)


def _unseen_idf(unseen: set[str]):  # type: ignore[no-untyped-def]
    """An IDF where the corpus never writes these stems (nor the probe of words no passage has)."""
    return lambda stem: 9.0 if stem in unseen or stem == "\x00" else 1.0


def test_a_name_cut_short_is_the_passages_longer_word() -> None:
    """ "l'Agglo": no passage writes the word, a retrieved one writes "l'Agglomération"; "Toulouse" is no cut "Toulon"."""
    idf = _unseen_idf({"agglo", "toulous"})
    question = "Combien l'Agglo avait-elle déjà donné pour la Panacée avant 2013 ?"
    assert _unknown_names(question, idf, set(), [_hit(PANACEE)]) == []
    other = "Combien Toulouse avait-elle déjà donné pour la Panacée avant 2013 ?"
    assert _unknown_names(other, idf, set(), [_hit(PANACEE + " Toulon")]) == ["Toulouse"]


def test_a_two_letter_acronym_is_spelt_out_by_two_long_words() -> None:
    assert {"ag", "ca"} <= spelled_acronyms(CHENGDU)
    assert {"ag", "ca"} <= vocabulary(CHENGDU)
    idf = _unseen_idf({"ag"})
    question = "Combien d'élus représentent la ville à l'AG et au CA de la Maison de Montpellier à Chengdu ?"
    assert _unknown_names(question, idf, set(), [_hit(CHENGDU, "2014-05-22-0000072118.pdf")]) == []
    assert "lc" not in spelled_acronyms("Le conseil municipal")


def test_a_prefix_joined_by_a_hyphen_is_no_topic_noun() -> None:
    nouns = key_nouns("Rachat puis réhabilitation des ex-archives du département : combien au budget 2013 ?")
    assert "archiv" in nouns
    assert not any(noun.startswith("ex") for noun in nouns)
