"""A question's verb and the minutes' noun name the same act (session 23): "la Ville a-t-elle décidé
d'acheter ..." is about the item "Achat de ...", so the noun check of rag.refusal finds its word there."""

from __future__ import annotations

from rag.refusal import _used, key_nouns, vocabulary
from rag.thesaurus import synonyms_by_stem


def test_buying_is_met_by_the_purchase_of_a_compte_rendu_item() -> None:
    question = "Quel matériel la Ville a-t-elle décidé d'acheter en mai 2011 ?"
    # the compte rendu of 9 May 2011 (Montpellier), its item 26
    item = "Marché négocié sans mise en concurrence pour l'achat de matériel de régulation trafic"
    groups = synonyms_by_stem(question)
    passage = vocabulary(item)
    missing = [stem for stem in key_nouns(question) if not _used(groups.get(stem, {stem}), passage)]
    assert missing == []
    assert not _used({"achet"}, passage)  # without the family, the verb's stem is not the noun's
