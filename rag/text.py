"""French text helpers shared by the lexical index and the answer builder: tokens, stems, sentences."""

from __future__ import annotations

import functools
import html
import re

from rag.articles import find_article_mentions
from rag.french import fold

_WORD_RE = re.compile(r"[a-zà-öø-ÿœæ0-9]+", re.IGNORECASE)
_ELISION_RE = re.compile(r"\b(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)

# Snowball French stop words, plus words of spoken questions that carry no topic.
EXTRA_STOPWORDS = {
    "quoi",
    "quel",
    "quelle",
    "quels",
    "quelles",
    "comment",
    "combien",
    "pourquoi",
    "quand",
    "est-ce",
    "dit",
    "dire",
    "faut",
    "peut",
    "peuvent",
    "doit",
    "doivent",
    "avons",
    "avez",
    "ont",
    "fait",
    "faire",
    "cela",
    "ça",
    "ca",
    "ceci",
    "celui",
    "celle",
    "ceux",
    "y",
    "a",
    "article",
    "articles",
    "art",
    "cgct",
    "code",
    "général",
    "collectivités",
    "territoriales",
    "oui",
    "non",
    "alors",
    "lors",
    "donc",
    "tout",
    "tous",
    "toute",
    "toutes",
    "être",
    "avoir",
    "chez",
    "nous",
    "notre",
    "nos",
    "vous",
    "votre",
    "vos",
    "on",
}


@functools.cache
def _stopwords() -> frozenset[str]:
    from bm25s.stopwords import STOPWORDS_FRENCH

    return frozenset(set(STOPWORDS_FRENCH) | EXTRA_STOPWORDS)


def stopwords() -> frozenset[str]:
    """The French stop words the lexical index leaves out (bm25s's list and EXTRA_STOPWORDS)."""
    return _stopwords()


@functools.cache
def _stemmer() -> object:
    import Stemmer

    return Stemmer.Stemmer("french")


@functools.lru_cache(maxsize=1 << 17)
def _fold_word(word: str) -> str:
    """`fold` of one stem, cached: a corpus repeats the same few thousand stems."""
    return fold(word)


def words(text: str) -> list[str]:
    text = _ELISION_RE.sub(" ", text.replace("\u2019", "'").lower())
    return _WORD_RE.findall(text)


def tokens(text: str) -> list[str]:
    """Stemmed content words, plus one token per normalised article number (e.g. "art_l2121-17")."""
    stop = _stopwords()
    kept = [w for w in words(text) if w not in stop and len(w) > 1]
    stems = [_fold_word(s) for s in _stemmer().stemWords(kept)]  # type: ignore[attr-defined]  # no stubs
    stems.extend(f"art_{a.lower()}" for a in find_article_mentions(text))
    return stems


_SENTENCE_END_RE = re.compile(r"(?<=[.!?;:])\s+(?=[A-ZÀ-ÖØ-Ý«\"(\-•–0-9])|\n\s*\n|\n(?=\s*[-•–]\s)")
# A vote's label before its count on the same line ends no sentence: "Votants : 30 — Pour : 30"
_COUNT_LABEL_END_RE = re.compile(
    r"(?i)\b(?:votants|pour|contre|abstentions?|exprim[ée]s|blancs?|nuls?|pr[ée]sents|repr[ée]sent[ée]s|pouvoirs|procurations)\s*:$"
)
_ABBREVIATIONS = ("M.", "MM.", "Mme.", "L.", "R.", "D.", "LO.", "art.", "n°", "cf.", "p.", "Art.", "al.", "abst.")
# "1 190.00 € H. T./forfait annuel": a scan's line break inside "H.T." ends no sentence
_PRICE_ABBREVIATIONS = ("€ H.", "€ T.", "€ T.T.", "€ H. T.", "€ T. T.", "€H.", "€T.")


# An act's ACTES transmission number (department, SIREN, date, number, nature: DE, AR ...) and what follows it
_ACTES_ID_RE = re.compile(r"(\b\d{3}-\d{9}-\d{8}-[\w-]+?-(?:DE|AR|AI|AU|BF|CC))[ \t]+(?=[A-ZÀ-Ý])")
# In PDF minutes a short line followed by a capitalised one ends an item even without a full stop:
# "- 3.50€ pour ceux qui prennent leur repas occasionnellement" / "Le Conseil Municipal ...".
_SHORT_LINE_END_RE = re.compile(r"(?m)^([^\n]{1,60}[^\n,;:'’(\-])\n(?=\s*[A-ZÀ-Ý0-9«\-•–])")


def sentences(text: str) -> list[str]:
    """Split a passage into sentences, without cutting "L. 2121-17", "M. Dupont", "2,50 €" or "€ H. T." (a scan's
    line break may fall inside "H.T.").

    >>> sentences("Le coût est de 1 190.00 € H.\\nT./forfait annuel soit 1 428.00 € TTC. Vote : à l'unanimité")
    ['Le coût est de 1 190.00 € H. T./forfait annuel soit 1 428.00 € TTC.', "Vote : à l'unanimité"]

    The prefecture's transmission number (ACTES) stamped on the page is a sentence of its own, not the opening of the
    sentence read after it:

    >>> sentences("034-213401722-20130617-0000064302-DE Considérant les éléments exposés ci-avant, il est proposé.")
    ['034-213401722-20130617-0000064302-DE', 'Considérant les éléments exposés ci-avant, il est proposé.']

    A vote's label before its count is no end of sentence:

    >>> sentences("Adopté à l'unanimité — Votants : 30 — Pour : 30")
    ["Adopté à l'unanimité — Votants : 30 — Pour : 30"]
    >>> sentences("Adopté — Votants :\\n31 — Pour : 25 — Contre : 0")
    ['Adopté — Votants : 31 — Pour : 25 — Contre : 0']
    """
    text = re.sub(r"[ \t]+", " ", text.replace("\r", ""))
    text = _SHORT_LINE_END_RE.sub(lambda m: m.group(1) + "\n\n", text)
    text = _ACTES_ID_RE.sub(lambda m: m.group(1) + "\n\n", text)
    parts = _SENTENCE_END_RE.split(text)
    merged: list[str] = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if merged and (
            merged[-1].endswith(_ABBREVIATIONS + _PRICE_ABBREVIATIONS)
            or (part[0].isdigit() and _COUNT_LABEL_END_RE.search(merged[-1]) is not None)
        ):
            merged[-1] = f"{merged[-1]} {part}"
        else:
            merged.append(part)
    return [re.sub(r"\s*\n\s*", " ", s) for s in merged]


# --- HTML of Légifrance texts -----------------------------------------------------------------------------
_HTML_TAG_RE = re.compile(r"(?i)<(?:table|tbody|thead|tr|td|th|p|br|div|sup|sub|span|font|b|i|u|li|ul|ol)\b[^>]*/?>")
_TABLE_RE = re.compile(r"(?is)<table\b.*?</table>")
_ROW_RE = re.compile(r"(?is)<tr\b.*?</tr>")
_CELL_RE = re.compile(r"(?is)<t[dh]\b[^>]*>(.*?)</t[dh]>")
_BLOCK_END_RE = re.compile(r"(?i)<br\s*/?>|</p>|</li>|</tr>|</div>")


def has_html(text: str) -> bool:
    """Whether a law text still holds Légifrance HTML (tables, paragraphs) to turn into plain text."""
    return bool(_HTML_TAG_RE.search(text))


def html_to_text(fragment: str) -> str:
    """Légifrance article HTML to plain text: one paragraph per <p> / <br>, and each table row on one line
    with its cells separated by " | " (the population table of L2121-2 reads "De 500 à 1 499 habitants | 15").

    >>> html_to_text("<p>Le nombre est fixé au tableau ci-après :</p><table><tr><td><p>De 100 à 499 habitants</p></td>"
    ...              "<td><p align='center'>11</p></td></tr><tr><td>De 500 à 1&#160;499 habitants</td><td>15</td></tr></table>")
    'Le nombre est fixé au tableau ci-après :\\n\\nDe 100 à 499 habitants | 11\\nDe 500 à 1 499 habitants | 15'
    """
    parts: list[str] = []
    start = 0
    for table in _TABLE_RE.finditer(fragment):
        parts.append(_paragraphs(fragment[start : table.start()]))
        rows = (
            " | ".join(c for c in map(_inline, _CELL_RE.findall(row)) if c) for row in _ROW_RE.findall(table.group())
        )
        parts.append("\n".join(row for row in rows if row))
        start = table.end()
    parts.append(_paragraphs(fragment[start:]))
    return "\n\n".join(part for part in parts if part)


def _inline(fragment: str) -> str:
    """A table cell's text on one line."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", fragment)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def _paragraphs(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", "", _BLOCK_END_RE.sub("\n", fragment))
    text = html.unescape(text).replace("\u00a0", " ")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.splitlines()]
    text = "\n\n".join(line for line in lines if line)
    return re.sub(r" ([,.])(?=\s|$)", r"\1", text)  # "L. 311-5 , les" left by the links (French keeps " :")
