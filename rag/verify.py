"""Check a generated answer against the numbered passages it was given, whatever the model.

The answer must never depend on a model's honesty: every sentence is split out, its citations [n]
are parsed, and its key facts (numbers, dates, article and deliberation numbers, proper names) are
looked up in the cited passages. Contact details the passages do not contain are masked.

>>> from rag.schema import Chunk
>>> passages = {1: Chunk(id="a", text="Le repas adulte est fixé à 5,80 € à compter de septembre 2020.")}
>>> text, sentences = verify_answer(
...     "Le repas adulte coûte 5,80 € [1]. Il coûte 6,20 € [1].",
...     passages,
...     known_articles=lambda a: True,
...     known_delib_ids=lambda d: True,
... )
>>> [s.status for s in sentences]
['ok', 'unsupported']
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rag.articles import find_article_mentions
from rag.french import MONTH_NUMBERS, NUMBER_WORDS, fold, month_number
from rag.schema import ARTICLE, COMMUNE, DATE, DELIB_ID, OBJET, TITLE, AnswerSentence, Chunk

logger = logging.getLogger(__name__)

MASK = "[masqué]"

STATUS_OK = "ok"
STATUS_UNSUPPORTED = "unsupported"
STATUS_INVALID_CITATION = "invalid_citation"
STATUS_UNKNOWN_REFERENCE = "unknown_reference"
STATUS_UNCITED = "uncited"
# When a sentence has several problems, the most serious one is its status (all are in its note).
_STATUS_PRIORITY = (STATUS_INVALID_CITATION, STATUS_UNKNOWN_REFERENCE, STATUS_UNSUPPORTED, STATUS_UNCITED)

# --- citations ---------------------------------------------------------------------------------
# [1]  [1, 2]  [1;2]  [1-3]  [1 et 2]  [passage 1]  [source 2]; "[1][2]" is two markers.
_CITATION_RE = re.compile(
    r"\[\s*(?:(?:passages?|sources?|documents?|doc\.?)\s*)?"
    r"(?P<body>\d{1,3}(?:\s*(?:[,;]|-|–|et)\s*\d{1,3})*)\s*\]",
    re.IGNORECASE,
)
_MAX_RANGE = 50

# --- sentence splitting ------------------------------------------------------------------------
# Words that end with a period without ending the sentence ("M. Bernard", "art. 12", "p. 3").
_ABBREVIATIONS = frozenset(
    ["m", "mm", "mme", "mmes", "mlle", "mlles", "dr", "me", "pr", "st", "ste", "art", "arts", "al", "cf", "chap", "ex", "env", "n", "no", "nos", "p", "pp", "vol", "réf", "ref", "av", "bd", "fig", "tel", "tél", "janv", "févr", "fevr", "avr", "juil", "sept", "oct", "nov", "déc", "dec", "op", "éd", "ed", "min", "max", "approx"]
)
_TERMINATOR_RE = re.compile(r"[.!?…]+")
_TRAILING_MARKERS_RE = re.compile(r"(?:\s*" + _CITATION_RE.pattern + r")*", re.IGNORECASE)
# A list item's own number or bullet: "1. ", "2) ", "- ", "* ", "• ".
_LIST_PREFIX_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•–])\s+")
_MARKERS_ONLY_RE = re.compile(r"(?:\s*" + _CITATION_RE.pattern + r")+\s*[.;,]?", re.IGNORECASE)
_SENTENCE_START_RE = re.compile(r"[\"«“(\[A-ZÀ-ÖØ-Þ0-9]")

# --- contact details ---------------------------------------------------------------------------
_URL_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"«»\]\)]+", re.IGNORECASE)
_EMAIL_RE = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
# French numbers: 02 47 94 50 04, 02.47.94.50.04, 0247945004, +33 2 47 94 50 04, (+33) 2-47-94-50-04.
_PHONE_RE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|\(\+33\)\s?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)"
)

# --- key facts ---------------------------------------------------------------------------------
_MONTH_ALT = "|".join(sorted((re.escape(m) for m in MONTH_NUMBERS), key=len, reverse=True))
_DATE_TEXT_RE = re.compile(
    rf"(?<![\w])(?:(?P<day>\d{{1,2}})(?:er|e|ème)?\s+)?(?P<month>{_MONTH_ALT})\.?(?![\w])"
    r"(?:\s+(?P<year>(?:19|20)\d{2})(?!\d))?",
    re.IGNORECASE,
)
_DATE_ISO_RE = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
_DATE_NUM_RE = re.compile(
    r"(?<![\d/.\-])(?P<day>\d{1,2})\s?[/.\-]\s?(?P<month>\d{1,2})\s?[/.\-]\s?(?P<year>\d{4}|\d{2})(?![\d/])"
)
_MONTH_YEAR_NUM_RE = re.compile(r"(?<![\d/.\-])(?P<month>\d{1,2})/(?P<year>(?:19|20)\d{2})(?![\d/])")
# Deliberation numbers: 2020-045, 2013/123, 2021_12 (the second part is not a year: "2020-2021").
_DELIB_RE = re.compile(r"(?<![\w\-/])(?P<year>(?:19|20)\d{2})\s?[-/_]\s?(?P<num>\d{1,4})(?![\d\-/])")
# A number: "2 500" (space, no-break space or narrow no-break space between thousands), "2.500",
# "2,50", "3.40", "1er", "20 %". Candidates are kept for ambiguous spellings ("2.500").
_NUMBER_RE = re.compile(
    r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)*)(?![\d])"
)
# "un" and "une" are mostly articles: a number word counts from "deux" on.
_NUMBER_WORDS = {word: value for word, value in NUMBER_WORDS.items() if value >= 2}
_NUMBER_WORD_RE = re.compile(r"(?<![\w\-])(" + "|".join(_NUMBER_WORDS) + r")(?![\w\-])", re.IGNORECASE)
# "à l'unanimité" is a fact of its own: a model that writes it for a split vote must be caught.
_UNANIMITY_RE = re.compile(r"unanimit|unanime", re.IGNORECASE)
_UNANIMITY = "unanimité"
_WORD_RE = re.compile(r"[^\W\d_][\w\-]*")
# Capitalised words that are not proper names in council minutes and in answers about them (folded).
_NOT_NAMES_TEXT = """
    le la les l un une des du de d au aux ce cet cette ces il ils elle elles on en et ou mais donc or ni car
    si par pour sur sous dans avec sans selon entre vers chez apres avant depuis lors lorsque
    quand que qui quoi dont leur leurs son sa ses notre nos votre vos mon ma mes ton ta tes
    y a est sont ont ete etre fait ne pas plus non oui aucun aucune tout tous toute toutes
    je tu nous vous me te se moi toi lui eux
    m mm mme mmes mlle monsieur madame messieurs mesdames maire adjoint adjointe adjoints conseil
    conseiller conseillere conseillers municipal municipale municipaux communal communale commune
    communes communaute ville mairie seance proces verbal compte rendu ordre jour
    deliberation deliberations delibere
    president presidente prefet prefecture etat republique
    article articles code loi decret arrete alinea partie livre titre chapitre section annexe cgct crpa cgi
    contre abstention abstentions voix vote votes unanimite accepte acceptee adopte adoptee approuve
    decide designe autorise charge rejette emet considerant vu entendu expose objet rapporteur rapport
    decision titulaire titulaires suppleant suppleants delegue delegues budget subvention tarif tarifs
    total montant euros euro
    janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
    lundi mardi mercredi jeudi vendredi samedi dimanche
    passage passages source sources document documents reponse
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split()) | frozenset(_NUMBER_WORDS)


def split_sentences(text: str) -> list[str]:
    """Cut a French answer into sentences, keeping each "[n]" marker with the sentence it follows.

    Line breaks (paragraphs, list items) always end a sentence; "M. Bernard", "L. 2121-17", "n° 12",
    "p. 3" and decimals such as "2,50" or "3.40" do not.

    >>> split_sentences("M. Bernard travaille sur le prix [1]. Le tarif est de 3.40 € (art. L. 2121-17). [2] Fin.")
    ['M. Bernard travaille sur le prix [1].', 'Le tarif est de 3.40 € (art. L. 2121-17). [2]', 'Fin.']
    """
    sentences: list[str] = []
    for line in text.splitlines():
        for piece in _split_line(line):
            if sentences and _MARKERS_ONLY_RE.fullmatch(piece):
                sentences[-1] = f"{sentences[-1]} {piece}"  # "[1]" alone on the next line
            elif piece:
                sentences.append(piece)
    return sentences


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    prefix = _LIST_PREFIX_RE.match(line)
    start = 0
    for match in _TERMINATOR_RE.finditer(line):
        if prefix and match.end() <= prefix.end():
            continue  # "1. Le tarif ...": a list number, not a sentence
        end = match.end()
        markers = _TRAILING_MARKERS_RE.match(line, end)
        has_markers = bool(markers and markers.group(0))
        if markers:
            end = markers.end()
        rest = line[end:]
        stripped = rest.lstrip()
        if not stripped:
            continue  # the end of the line closes the sentence anyway
        if stripped == rest and not has_markers:
            continue  # "3.40", "L.2121-17", "www.x.fr": no space after the period
        if not _SENTENCE_START_RE.match(stripped):
            continue
        if match.group(0) == "." and _is_abbreviation(line[start : match.start()]):
            continue
        parts.append(line[start:end].strip())
        start = end
    parts.append(line[start:].strip())
    return parts


def _is_abbreviation(before: str) -> bool:
    word = re.search(r"([^\W\d_]+)$", before)
    if not word:
        return False
    token = word.group(1)
    # A single letter is an initial or a code prefix ("L. 2121-17", "J.-P. Charrier", "D.D.C.S.").
    return len(token) == 1 or token.lower() in _ABBREVIATIONS


def parse_citations(sentence: str) -> list[int]:
    """The passage numbers cited in a sentence, in order, without duplicates ("[1][3]", "[1-2]", "[1, 2]")."""
    numbers: list[int] = []
    for match in _CITATION_RE.finditer(sentence):
        for part in re.split(r"\s*(?:[,;]|et)\s*", match.group("body")):
            bounds = re.split(r"\s*[-–]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                low, high = int(bounds[0]), int(bounds[1])
                values = range(low, high + 1) if 0 <= high - low <= _MAX_RANGE else [low, high]
            else:
                values = [int(b) for b in bounds if b.isdigit()]
            for value in values:
                if value not in numbers:
                    numbers.append(value)
    return numbers


def _strip_citations(sentence: str) -> str:
    return _CITATION_RE.sub(" ", sentence)


# --- masking -----------------------------------------------------------------------------------
def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def _url_key(url: str) -> str:
    url = url.rstrip(".,;:!?)»\"'").lower()
    url = re.sub(r"^https?://", "", url)
    return url.removeprefix("www.").rstrip("/")


def mask_contacts(text: str, passages: Iterable[Chunk]) -> tuple[str, int]:
    """Replace phone numbers, e-mail addresses and URLs that no passage contains by "[masqué]".

    Returns the masked text and the number of masked items.
    """
    haystack = "\n".join(_haystack_parts(p) for p in passages)
    phones = {_phone_key(m.group(0)) for m in _PHONE_RE.finditer(haystack)}
    emails = {m.group(0).lower().rstrip(".") for m in _EMAIL_RE.finditer(haystack)}
    urls = {_url_key(m.group(0)) for m in _URL_RE.finditer(haystack)}
    masked = 0

    def _mask(known: set[str], key: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            nonlocal masked
            value = match.group(0)
            trailing = ""
            if key is _url_key:  # keep the sentence's own punctuation out of the URL
                stripped = value.rstrip(".,;:!?)»\"'")
                value, trailing = stripped, value[len(stripped) :]
            if key(value) in known:
                return match.group(0)
            masked += 1
            return MASK + trailing

        return replace

    # URLs first: they may contain "@" or digit runs that look like phone numbers.
    text = _URL_RE.sub(_mask(urls, _url_key), text)
    text = _EMAIL_RE.sub(_mask(emails, lambda e: e.lower().rstrip(".")), text)
    text = _PHONE_RE.sub(_mask(phones, _phone_key), text)
    return text, masked


# --- key facts ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Date:
    year: int | None
    month: int | None
    day: int | None

    def matches(self, other: _Date) -> bool:
        pairs = ((self.year, other.year), (self.month, other.month), (self.day, other.day))
        if any(a is not None and b is not None and a != b for a, b in pairs):
            return False
        # What the sentence states must be stated by the passage too (the passage may say more).
        return all(b is not None for a, b in pairs if a is not None)


@dataclass(slots=True)
class _Facts:
    """Key facts of a text: what a sentence claims, or what a passage states."""

    numbers: list[tuple[str, frozenset[Decimal]]] = field(default_factory=list)
    dates: list[tuple[str, _Date]] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    delib_ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    unanimity: bool = False

    def count(self) -> int:
        return (
            len(self.numbers) + len(self.dates) + len(self.articles) + len(self.delib_ids) + len(self.names)
            + int(self.unanimity)
        )  # fmt: skip


def _number_candidates(raw: str) -> frozenset[Decimal]:
    """Every value a French spelling of a number can mean: "2.500" is 2500 or 2.5, "2,50" is 2.5."""
    compact = re.sub(r"[ \u00a0\u202f]", "", raw)
    candidates: set[str] = set()
    if "," in compact and "." in compact:
        candidates.add(compact.replace(".", "").replace(",", "."))  # 2.500,50
    elif "," in compact:
        candidates.add(compact.replace(",", ".") if compact.count(",") == 1 else compact.replace(",", ""))
    elif "." in compact:
        groups = compact.split(".")
        if all(len(g) == 3 for g in groups[1:]):
            candidates.add(compact.replace(".", ""))  # thousands
        if compact.count(".") == 1:
            candidates.add(compact)  # decimal point, as in "3.40€"
    else:
        candidates.add(compact)
    if re.search(r"\d[ \u00a0\u202f]\d", raw):  # "3 200 repas" might be "3" and "200"
        candidates.update(re.split(r"[ \u00a0\u202f]", raw))
    values: set[Decimal] = set()
    for candidate in candidates:
        try:
            values.add(Decimal(candidate).normalize())
        except InvalidOperation:
            continue
    return frozenset(values)


def _year(raw: str) -> int:
    value = int(raw)
    if len(raw) == 2:
        value += 2000 if value < 50 else 1900
    return value


def _valid(day: int | None, month: int | None) -> bool:
    return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31)


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _extract_facts(text: str, *, with_names: bool) -> _Facts:
    """Key facts of a text. Each span is consumed by the first kind that claims it (a date's digits
    are not also counted as numbers)."""
    facts = _Facts()
    work = text
    for pattern in (_URL_RE, _EMAIL_RE, _PHONE_RE):
        for m in pattern.finditer(work):
            work = _blank(work, m.start(), m.end())
    for pattern in (_DATE_ISO_RE, _DATE_NUM_RE, _DATE_TEXT_RE, _MONTH_YEAR_NUM_RE):
        for m in pattern.finditer(work):
            groups = m.groupdict()
            day = int(groups["day"]) if groups.get("day") else None
            month_raw = groups["month"]
            month = month_number(month_raw) if not month_raw.isdigit() else int(month_raw)
            year = _year(groups["year"]) if groups.get("year") else None
            if pattern is _DATE_TEXT_RE and day is None and year is None:
                continue  # "mai" alone is not a date
            if not _valid(day, month):
                continue
            facts.dates.append((m.group(0).strip(), _Date(year, month, day)))
            work = _blank(work, m.start(), m.end())
    facts.articles = find_article_mentions(work)
    for article_match in _ARTICLE_SPAN_RE.finditer(work):
        work = _blank(work, article_match.start(), article_match.end())
    for m in _DELIB_RE.finditer(work):
        num = m.group("num")
        if len(num) == 4 and num[:2] in ("19", "20"):
            continue  # "2020-2021" is a span of years
        delib_id = re.sub(r"\s", "", m.group(0))
        if delib_id not in facts.delib_ids:
            facts.delib_ids.append(delib_id)
        work = _blank(work, m.start(), m.end())
    for m in _NUMBER_RE.finditer(work):
        values = _number_candidates(m.group("num"))
        if values:
            facts.numbers.append((m.group("num"), values))
    for m in _NUMBER_WORD_RE.finditer(work):
        facts.numbers.append((m.group(1), frozenset({Decimal(_NUMBER_WORDS[m.group(1).lower()])})))
    facts.unanimity = bool(_UNANIMITY_RE.search(work))
    if with_names:
        facts.names = _proper_names(work)
    return facts


# The spans find_article_mentions looks at, so that "2121-17" is not read as a deliberation number.
_ARTICLE_SPAN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:LO|L\.?O\.?|[LRDA])\s?\.?\s?\*?\s?\d{1,4}(?:\s?-\s?\d{1,4}){1,3}"
)


def _proper_names(text: str) -> list[str]:
    names: list[str] = []
    first = True
    for m in _WORD_RE.finditer(text):
        word = m.group(0).strip("-")
        if first:
            first = False
            continue  # the first word is capitalised anyway
        if len(word) < 2 or not word[0].isupper():
            continue
        if fold(word) in _NOT_NAMES:
            continue
        if word not in names:
            names.append(word)
    return names


def _haystack_parts(chunk: Chunk) -> str:
    meta = chunk.meta
    extra = [str(meta.get(k) or "") for k in (TITLE, ARTICLE, DELIB_ID, COMMUNE, DATE, OBJET)]
    return "\n".join([chunk.text, *[e for e in extra if e]])


@dataclass(slots=True)
class _PassageIndex:
    """What one passage states, precomputed once for all sentences."""

    folded: str
    numbers: set[Decimal]
    dates: list[_Date]
    articles: set[str]
    delib_keys: set[str]


_DELIB_KEY_RE = re.compile(r"((?:19|20)\d{2})\s?[-/_]\s?(\d{1,4})")


def _delib_key(delib_id: str) -> str:
    """ "2020-045", "2020/45" and "DEL2020_045" all give "2020-45"."""
    match = _DELIB_KEY_RE.search(delib_id)
    if not match:
        return delib_id.strip().lower()
    return f"{match.group(1)}-{int(match.group(2))}"


def _index_passage(chunk: Chunk) -> _PassageIndex:
    text = _haystack_parts(chunk)
    facts = _extract_facts(text, with_names=False)
    numbers: set[Decimal] = set()
    for _, values in facts.numbers:
        numbers.update(values)
    # Lenient on the passage side: every digit run counts, including those inside dates and ids.
    for m in re.finditer(r"\d+", text):
        numbers.add(Decimal(m.group(0)).normalize())
    articles = set(facts.articles)
    if chunk.article:
        articles.add(chunk.article)
    delib_keys = {_delib_key(d) for d in facts.delib_ids}
    if chunk.meta.get(DELIB_ID):
        delib_keys.add(_delib_key(str(chunk.meta[DELIB_ID])))
    return _PassageIndex(
        folded=fold(text),
        numbers=numbers,
        dates=[d for _, d in facts.dates],
        articles=articles,
        delib_keys=delib_keys,
    )


def _missing_facts(facts: _Facts, cited: list[_PassageIndex]) -> tuple[list[str], list[str]]:
    """(found, missing) labels of the sentence's key facts among the cited passages."""
    found: list[str] = []
    missing: list[str] = []

    def check(label: str, ok: bool) -> None:
        (found if ok else missing).append(label)

    for raw, values in facts.numbers:
        check(raw, any(values & p.numbers for p in cited))
    for raw, date in facts.dates:
        check(raw, any(date.matches(d) for p in cited for d in p.dates))
    for article in facts.articles:
        check(article, any(article in p.articles for p in cited))
    for delib_id in facts.delib_ids:
        key = _delib_key(delib_id)
        check(delib_id, any(key in p.delib_keys for p in cited))
    for name in facts.names:
        pattern = re.compile(r"(?<![\w])" + re.escape(fold(name)) + r"(?![\w])")
        check(name, any(pattern.search(p.folded) for p in cited))
    if facts.unanimity:
        check(_UNANIMITY, any(_UNANIMITY_RE.search(p.folded) for p in cited))
    return found, missing


# Sentences that state no fact: refusals, announcements of a list, questions.
_NON_FACTUAL_RE = re.compile(
    r"je ne sais pas|ne (?:contien|mentionn|precis|permet|dispos|trouv|fourni)|aucun (?:passage|document)"
    r"|pas d'information|n'(?:est|sont) pas (?:indique|precise|mentionne)|ne sont pas (?:indique|precise)",
)
_MIN_FACTUAL_WORDS = 8


def _is_factual(sentence: str, facts: _Facts) -> bool:
    plain = fold(_strip_citations(sentence)).strip()
    if not plain or _NON_FACTUAL_RE.search(plain):
        return False
    if plain.endswith((":", "?")):
        return False
    if facts.count():
        return True
    return len(_WORD_RE.findall(plain)) >= _MIN_FACTUAL_WORDS


def verify_answer(
    text: str,
    passages: dict[int, Chunk],
    *,
    known_articles: Callable[[str], bool],
    known_delib_ids: Callable[[str], bool],
    strict: bool = False,
) -> tuple[str, list[AnswerSentence]]:
    """Check every sentence of a generated answer against the numbered passages the model was given.

    Statuses, the most serious first when a sentence has several problems (all are listed in its note):
    "invalid_citation" ([n] names no given passage), "unknown_reference" (an article or deliberation
    number that the store does not know, per the callbacks), "unsupported" (key facts, none of which
    appear in the cited passages; with ``strict`` any missing number, date, article, deliberation
    number or "unanimité"), "uncited" (a factual sentence without [n]), "ok".

    known_articles receives normalised numbers ("L2121-17"); known_delib_ids the number as written
    without spaces ("2020-045"). Phone numbers, e-mails and URLs that no passage contains are replaced
    by "[masqué]" in the returned text and sentences.
    """
    masked_text, masked = mask_contacts(text, passages.values())
    if masked:
        logger.info("Masked %d contact detail(s) absent from the passages", masked)
    index = {n: _index_passage(chunk) for n, chunk in passages.items()}
    results: list[AnswerSentence] = []
    for sentence in split_sentences(masked_text):
        results.append(
            _verify_sentence(
                sentence, index, known_articles=known_articles, known_delib_ids=known_delib_ids, strict=strict
            )
        )
    counts: dict[str, int] = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    logger.debug("Verified %d sentence(s): %s", len(results), counts)
    return masked_text, results


def _verify_sentence(
    sentence: str,
    index: dict[int, _PassageIndex],
    *,
    known_articles: Callable[[str], bool],
    known_delib_ids: Callable[[str], bool],
    strict: bool,
) -> AnswerSentence:
    citations = parse_citations(sentence)
    body = _LIST_PREFIX_RE.sub("", _strip_citations(sentence), count=1)
    facts = _extract_facts(body, with_names=True)
    problems: dict[str, str] = {}

    invalid = [n for n in citations if n not in index]
    if invalid:
        given = ", ".join(f"[{n}]" for n in sorted(index)) or "aucun"
        problems[STATUS_INVALID_CITATION] = (
            f"cite {', '.join(f'[{n}]' for n in invalid)} alors que les passages fournis sont : {given}"
        )

    unknown = [a for a in facts.articles if not known_articles(a)]
    unknown += [d for d in facts.delib_ids if not known_delib_ids(d)]
    if unknown:
        problems[STATUS_UNKNOWN_REFERENCE] = f"référence inconnue de la base : {', '.join(unknown)}"

    cited = [index[n] for n in citations if n in index]
    if cited and facts.count():
        found, missing = _missing_facts(facts, cited)
        hard_missing = [m for m in missing if m not in facts.names]
        labels = ", ".join(f"[{n}]" for n in citations if n in index)
        if not found:
            problems[STATUS_UNSUPPORTED] = f"absent de {labels} : {', '.join(missing)}"
        elif _UNANIMITY in missing:
            # A vote outcome is checked on its own: models write "à l'unanimité" for split votes.
            problems[STATUS_UNSUPPORTED] = f"absent de {labels} : {', '.join(missing)}"
        elif strict and hard_missing:
            problems[STATUS_UNSUPPORTED] = f"absent de {labels} : {', '.join(hard_missing)}"
        elif missing:
            problems.setdefault("partial", f"non retrouvé dans {labels} : {', '.join(missing)}")

    if not citations and _is_factual(sentence, facts):
        problems[STATUS_UNCITED] = "affirmation sans source [n]"

    status = next((s for s in _STATUS_PRIORITY if s in problems), STATUS_OK)
    note = " ; ".join(problems.values())
    return AnswerSentence(text=sentence, citations=citations, status=status, note=note)
