"""Key facts of a French text (numbers, dates, article and deliberation numbers, proper names,
"à l'unanimité") and their lookup in the passages an answer cites.

>>> facts = extract_facts("Le repas coûte 3,40 € depuis le 1er septembre 2020.", with_names=True)
>>> [raw for raw, _ in facts.numbers], [raw for raw, _ in facts.dates]
(['3,40'], ['1er septembre 2020'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rag.articles import find_article_mentions
from rag.citations import EMAIL_RE, PHONE_RE, URL_RE, passage_text
from rag.french import MONTH_NUMBERS, MONTHS, NUMBER_WORDS, WEEKDAYS, fold, month_number
from rag.schema import DELIB_ID, Chunk

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
_NUMBER_RE = re.compile(r"(?<![\w.,])(?P<num>\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)*)(?![\d])")
_MAGNITUDE_RE = re.compile(r"[ \u00a0\u202f]*(millions?|milliards?)\b", re.IGNORECASE)
_MAGNITUDES = {"million": Decimal(10) ** 6, "milliard": Decimal(10) ** 9}
# "un" and "une" are mostly articles: a number word counts from "deux" on.
_NUMBER_WORDS = {word: value for word, value in NUMBER_WORDS.items() if value >= 2}
_NUMBER_WORD_RE = re.compile(r"(?<![\w\-])(" + "|".join(_NUMBER_WORDS) + r")(?![\w\-])", re.IGNORECASE)
# "à l'unanimité" is a fact of its own: a model that writes it for a split vote must be caught.
UNANIMITY_RE = re.compile(r"unanimit|unanime", re.IGNORECASE)
UNANIMITY = "unanimité"
WORD_RE = re.compile(r"[^\W\d_][\w\-]*")
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
    passage passages source sources document documents reponse
"""
_NOT_NAMES = (
    frozenset(_NOT_NAMES_TEXT.split()) | frozenset(_NUMBER_WORDS) | {fold(m) for m in MONTHS} | frozenset(WEEKDAYS)
)


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
class Facts:
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


def extract_facts(text: str, *, with_names: bool) -> Facts:
    """Key facts of a text. Each span is consumed by the first kind that claims it (a date's digits
    are not also counted as numbers)."""
    facts = Facts()
    work = text
    for pattern in (URL_RE, EMAIL_RE, PHONE_RE):
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
        magnitude = _MAGNITUDE_RE.match(work, m.end())
        if magnitude:  # "15 millions d'euros" is 15 000 000, not the "15" of some other figure
            scale = _MAGNITUDES[magnitude.group(1).lower().rstrip("s")]
            values = frozenset((v * scale).normalize() for v in values)
        if values:
            facts.numbers.append((m.group("num"), values))
    for m in _NUMBER_WORD_RE.finditer(work):
        facts.numbers.append((m.group(1), frozenset({Decimal(_NUMBER_WORDS[m.group(1).lower()])})))
    facts.unanimity = bool(UNANIMITY_RE.search(work))
    if with_names:
        facts.names = _proper_names(work)
    return facts


# The spans find_article_mentions looks at, so that "2121-17" is not read as a deliberation number.
_ARTICLE_SPAN_RE = re.compile(r"(?<![A-Za-z0-9])(?:LO|L\.?O\.?|[LRDA])\s?\.?\s?\*?\s?\d{1,4}(?:\s?-\s?\d{1,4}){1,3}")


def _proper_names(text: str) -> list[str]:
    names: list[str] = []
    first = True
    for m in WORD_RE.finditer(text):
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


@dataclass(slots=True)
class PassageIndex:
    """What one passage states, precomputed once for all sentences."""

    folded: str
    numbers: set[Decimal]  # lenient: every digit run, including those inside dates and ids
    stated_numbers: set[Decimal]  # strict: the numbers the passage states, and the parts of its dates and ids
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


def index_passage(chunk: Chunk) -> PassageIndex:
    text = passage_text(chunk)
    facts = extract_facts(text, with_names=False)
    stated: set[Decimal] = set()
    for _, values in facts.numbers:
        stated.update(values)
    for _, date in facts.dates:
        stated.update(Decimal(part) for part in (date.year, date.month, date.day) if part is not None)
    # Lenient on the passage side: every digit run counts, including those inside dates and ids.
    numbers = stated | {Decimal(m.group(0)).normalize() for m in re.finditer(r"\d+", text)}
    articles = set(facts.articles)
    if chunk.article:
        articles.add(chunk.article)
    delib_keys = {_delib_key(d) for d in facts.delib_ids}
    if chunk.meta.get(DELIB_ID):
        delib_keys.add(_delib_key(str(chunk.meta[DELIB_ID])))
    for key in delib_keys:
        stated.update(Decimal(part) for part in key.split("-") if part.isdigit())
    return PassageIndex(
        folded=fold(text),
        numbers=numbers,
        stated_numbers=stated,
        dates=[d for _, d in facts.dates],
        articles=articles,
        delib_keys=delib_keys,
    )


def missing_facts(facts: Facts, cited: list[PassageIndex], *, strict: bool = False) -> tuple[list[str], list[str]]:
    """(found, missing) labels of the sentence's key facts among the cited passages. With ``strict`` a
    number must be one the passage states (not any digit run: "15" of a date is no "15 millions")."""
    found: list[str] = []
    missing: list[str] = []

    def check(label: str, ok: bool) -> None:
        (found if ok else missing).append(label)

    for raw, values in facts.numbers:
        check(raw, any(values & (p.stated_numbers if strict else p.numbers) for p in cited))
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
        check(UNANIMITY, any(UNANIMITY_RE.search(p.folded) for p in cited))
    return found, missing
