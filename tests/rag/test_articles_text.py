"""Unit tests: article numbers, French tokens and sentences, chunking, file type detection."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.chunking import split_text
from ingest.detect import (
    ARTICLE_MARKDOWN,
    CSV,
    EMPTY,
    EXECUTABLE,
    LEGI_JSON,
    MARKDOWN,
    PDF,
    VERSIONS_JSONL,
    WORD_DOC,
    detect_type,
)
from rag.articles import find_article_mentions, normalize_article
from rag.text import sentences, tokens
from rag.thesaurus import expand


@pytest.mark.parametrize(
    "spelling",
    [
        "L2121-17",
        "L. 2121-17",
        "art. L 2121-17",
        "art L 2121-17",
        "l2121-17",
        "article l2121-17 du CGCT",
        "article L.2121-17 du CGCT",
        "que dit l'article L2121-17 ?",
    ],
)
def test_every_usual_spelling_normalises(spelling: str) -> None:
    assert find_article_mentions(spelling) == ["L2121-17"]


def test_other_prefixes() -> None:
    assert normalize_article("R2121-9") == "R2121-9"
    assert normalize_article("LO2121-1") == "LO2121-1"
    assert normalize_article("L.O. 2122-4-1") == "LO2122-4-1"


def test_deliberation_numbers_and_prose_are_not_articles() -> None:
    assert find_article_mentions("la délibération n° 2020-045 a 2020-046") == []
    assert find_article_mentions("la loi du 12 juillet 2010") == []


def test_tokens_are_french_stems_with_article_token() -> None:
    toks = tokens("Les tarifs de la cantine scolaire, article L. 2121-17")
    assert "cantin" in toks and "tarif" in toks
    assert "art_l2121-17" in toks
    assert "les" not in toks


def test_thesaurus_maps_spoken_words_to_written_ones() -> None:
    assert "restauration" in expand("Qu'avons-nous voté sur la cantine ?")
    assert "jours francs" in expand("Combien de jours avant la séance ?")


def test_sentences_keep_abbreviations() -> None:
    got = sentences("Vu l'article L. 2121-29 du CGCT. M. Dupont vote contre. Le prix est de 2,50 €.")
    assert got == ["Vu l'article L. 2121-29 du CGCT.", "M. Dupont vote contre.", "Le prix est de 2,50 €."]


def test_split_text_respects_the_limit_and_loses_nothing() -> None:
    text = "\n\n".join(f"Paragraphe {i} : " + "mot " * 60 for i in range(12))
    parts = split_text(text, 500)
    assert all(len(p) <= 500 for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.pdf", b"%PDF-1.4\n...", PDF),
        ("renamed.txt", b"%PDF-1.7\n...", PDF),
        ("empty.pdf", b"", EMPTY),
        ("prog.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 20, EXECUTABLE),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, WORD_DOC),
        ("article.md", b"# Article L2121-17\n\nTexte", ARTICLE_MARKDOWN),
        ("note.md", b"# Compte rendu\n\nTexte", MARKDOWN),
        ("crpa.json", b'{"data": {"title": "Code"}, "type": "code", "children": []}', LEGI_JSON),
        ("versions.jsonl", b'{"article_num": "L1", "text": "Texte"}\n', VERSIONS_JSONL),
        ("delibs.csv", b"COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE\n", CSV),
    ],
)
def test_detect_type_from_content(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_type(path) == expected


def test_population_of_a_question_and_thresholds_of_a_passage() -> None:
    from rag.retrieve import population_fits, question_population

    assert question_population("Pour une ville de plus de 3500 habitants, quel délai ?") == 3501
    assert question_population("Chez nous on est 600 habitants") == 600
    assert question_population("dans une commune de 5 000 habitants") == 5000
    assert question_population("Qui préside la séance ?") is None
    assert population_fits("Dans les communes de moins de 3 500 habitants, la convocation ...", 600) is True
    assert population_fits("Dans les communes de moins de 3 500 habitants, la convocation ...", 5000) is False
    assert population_fits("Dans les communes de 3 500 habitants et plus, une note ...", 5000) is True
    assert population_fits("Le maire convoque le conseil.", 5000) is None
