"""The scope a question names: a commune, a séance date, a month or a year, a deliberation number, an
article, a code, a body (conseil communautaire, CCAS ...).

A scope restricts the answer. `Scoper.read` parses it against what the store holds (its communes and
séance dates, from the chunk metadata): a named commune or period with no indexed document is "missing",
and the answer says so plainly instead of quoting another commune; one that is indexed restricts the
retrieval to it (the law stays allowed). A question about one séance and nothing more ("Qu'a décidé le
conseil le 7 octobre 2022 ?") lists that séance's records. A deliberation number, an article, a code or a
deciding body that the store does not hold is "missing" too (`Scope.missing_refs`): the question is refused
with a notice that names it, since no other passage can say what that text says.

>>> facets = Facets(communes={"preuilly-sur-claise": "Preuilly-sur-Claise"}, dates={"2020-07-23"}, delib_ids={"2020-045"})
>>> scope = parse_scope("Qu'a voté le conseil municipal de Lyon sur la cantine scolaire ?", facets)
>>> scope.missing_label()
'de Lyon'
>>> parse_scope("la séance de Preuilly du 23 juillet 2020", facets).date
'2020-07-23'
>>> parse_scope("Que dit la délibération 2020-061 ?", facets).missing_refs
('la délibération n° 2020-061',)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rag import schema, tuning
from rag.articles import find_article_mentions
from rag.bodies import ASSEMBLIES, is_grouping, kinds_named, of_kinds, own_words
from rag.french import MONTH_PATTERN, MONTHS, fold, fold_words, french_date, month_number, parse_french_date
from rag.records import group_deliberation_chunks, list_records, vote_label
from rag.schema import Answer, AnswerSentence, Citation, Filters
from rag.store import ChromaStore, normalize_key
from rag.text import tokens

if TYPE_CHECKING:
    from rag.lexical import LexicalIndex

logger = logging.getLogger(__name__)

# A year; not a number of inhabitants or an amount ("pour 2000 habitants", "1950 €").
NOT_A_YEAR = r"(?!\s*(?:habitants|euros?\b|€|%))"
# A programme named with a year is no period: "le comité Natura 2000", "Horizon 2020" (on folded text)
NOT_AFTER_PROGRAMME = r"(?<!natura )(?<!horizon )"
YEAR_RE = re.compile(NOT_AFTER_PROGRAMME + r"(?<![\d/-])((?:19|20)\d{2})(?![\d/-]|\s?[-/]\s?\d)" + NOT_A_YEAR)
_MONTH_RE = re.compile(rf"\b({MONTH_PATTERN})\s+((?:19|20)\d{{2}})\b")
# "depuis septembre 2020", "à la rentrée de septembre 2020": when a rule applies from, not when it was decided.
_SINCE_RE = re.compile(
    r"\b(depuis|a partir d[eu]|a compter d[eu]|des|rentree(?: scolaire)?(?: de)?)\s+"
    r"(?:le\s+|l'annee\s+|la rentree\s+(?:de\s+)?)?$"
)
_PARTICLES = {"sur", "sous", "les", "des", "lez", "aux", "saint", "sainte"}
_NAME = r"[A-ZÉÈÂÎÔ][a-zéèêëàâîïôöûüç]+"
# A commune named after the words that introduce one: "conseil municipal de Lyon", "mairie d'Albi" (a bare
# "à Paris" may be where an agent travels; rag.refusal.unknown_names catches a name no passage contains).
_NAMED_PLACE_RE = re.compile(
    r"\b(?i:conseil municipal|conseil communautaire|commune|mairie|ville|maire|habitants)\s+(?:de\s+|d'|d\u2019|à\s+)"
    rf"({_NAME}(?:[- ](?:(?:sur|sous|en|le|la|lès|lez)[- ])?{_NAME})*)"
)
_NOT_PLACES = {"Monsieur", "Madame", "Mairie", "Commune", "Conseil", "Article", "Noël", "Pâques", "Toussaint"}
# A capitalised common noun is no town: "représente la ville à Prévention spécialisée 34" (an association's name)
_COMMON_NOUN_RE = re.compile(r"(?:tion|sion|ment|ité|isme|ance|ence)s?$", re.IGNORECASE)
# A deliberation named by its number: "délibération 2020-045", "délib. n° 2014/137", "n° 2014/300".
_DELIB_REF_RE = re.compile(
    r"\b(?:deliberations?|delib\.?)\s+(?:n(?:o|°)?\.?\s*)?((?:19|20)\d{2}\s?[-/]\s?\d{1,4})(?![\w/-])"
    r"|\bn(?:o|°)?\.?\s*((?:19|20)\d{2}\s?[-/]\s?\d{1,4})(?![\w/-])"
)
# A school or financial year written "2023-2024": both years are named.
_YEAR_SPAN_RE = re.compile(r"(?<![\d/-])((?:19|20)\d{2})\s?[-/]\s?((?:19|20)\d{2})(?![\d/-])")
# Codes other than those indexed (their article chunks carry schema.CODE): "code de l'environnement" ...
_CODES = {
    "general des collectivites territoriales": "CGCT",
    "des relations entre le public et l'administration": "CRPA",
    "de l'environnement": "CENV",
    "forestier": "CFOR",
    "electoral": "CELE",
    "de l'urbanisme": "CURB",
    "des marches publics": "CMP",
    "de la commande publique": "CCP",
    "civil": "CCIV",
    "penal": "CPEN",
    "du travail": "CTRAV",
    "de l'education": "CEDU",
    "de la sante publique": "CSP",
    "de la route": "CROUTE",
    "rural": "CRUR",
    "general des impots": "CGI",
    "de l'action sociale et des familles": "CASF",
    "du patrimoine": "CPAT",
    "de la construction et de l'habitation": "CCH",
    "de la securite interieure": "CSI",
    "du sport": "CSPORT",
    "du tourisme": "CTOUR",
    "de la voirie routiere": "CVR",
    "general de la propriete des personnes publiques": "CG3P",
}
_CODE_RE = re.compile(r"\bcode (" + "|".join(re.escape(name) for name in _CODES) + r")\b")
BODIES = ASSEMBLIES  # the deciding bodies a question may name
_BODY = "(" + "|".join(re.escape(b) for b in BODIES) + ")"
_BODY_ACTS = r"(?:vote|decide|adopte|approuve|delibere|fixe|accorde|attribue|valide)"
_BODY_RE = re.compile(
    rf"\b{_BODY_ACTS}e?s?\s+(?:par\s+)?(?:le|la|les|l')\s*{_BODY}\b"
    rf"|\b(?:le|la|l')\s*{_BODY}\b[^?]*?\b(?:a|ont)-t-(?:il|elle|ils|elles)\s+{_BODY_ACTS}"
    rf"|\b(?:decisions?|deliberations?|votes?|compte rendu|seance)\s+(?:du|de la|de l')\s*{_BODY}\b"
)
_TITLE_BODY_RE = re.compile(rf"^(?:compte rendu (?:du|de la) |proces-verbal (?:du|de la) |pv (?:du|de la) )?{_BODY}\b")
# Words of a question about a séance as a whole: with the date and the commune, nothing else is asked.
_MEETING_WORDS = set(
    tokens(
        "qu que quoi quel quels quelle quelles qui a ont été est sont été décidé décidés décidées décision décisions "
        "voté votés votées vote votes délibéré délibération délibérations adopté adoptées conseil municipal "
        "communautaire séance réunion ordre jour le la les de du des lors au à en pendant liste lister donne "
        "ce cette on nous vous il elle ils sur pris prises compte rendu procès verbal"
    )
)


@dataclass(frozen=True, slots=True)
class Facets:
    """What the store holds: commune keys -> names as written, and séance dates (ISO)."""

    communes: dict[str, str] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)
    commune_dates: dict[str, set[str]] = field(default_factory=dict)
    delib_ids: set[str] = field(default_factory=set)  # "2020-045", "2014/137"
    articles: set[str] = field(default_factory=set)  # "L2121-17"
    codes: set[str] = field(default_factory=set)  # "CGCT", "CRPA"
    bodies: set[str] = field(default_factory=set)  # deciding bodies other than the municipal council
    # the first lines of each council document, folded to its words -> the commune keys of its documents ("" when
    # none was read): where a body's name is written even when it was not read as the document's commune
    heads: dict[str, set[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scope:
    """The restriction a question names. Empty when it names none."""

    communes: tuple[str, ...] = ()  # keys of indexed communes named
    unknown_communes: tuple[str, ...] = ()  # names of communes with no indexed document
    date: str | None = None  # one séance (ISO)
    month: str | None = None  # "YYYY-MM"
    years: tuple[int, ...] = ()
    missing_period: bool = False  # the named date, month or year has no indexed document (in the communes named)
    period_label: str = ""  # "de 2015", "du 12 mars 2019", "de mars 2019"
    residual: tuple[str, ...] = ()  # the question's content stems once the scope and séance words are removed
    stems: frozenset[str] = frozenset()  # the stems that name the scope (communes, month, year): met by metadata
    delib_ids: tuple[str, ...] = ()  # deliberation numbers named and indexed
    missing_refs: tuple[str, ...] = ()  # "la délibération n° 2020-061", "l'article L2224-12", "le code forestier"
    indexed_communes: tuple[str, ...] = ()  # the communes the store holds, named when the one asked for is not
    event_month: str = ""  # "2014-10": the month of what the question is about, no séance's (a year scope instead)

    @property
    def restricts(self) -> bool:
        return bool(self.communes or self.date or self.month or self.years or self.delib_ids)

    def missing_label(self) -> str:
        """ "de Lyon", "de Preuilly-sur-Claise de 2015", "du 15 septembre 2021": what is not indexed ("" if all is)."""
        if self.unknown_communes:
            return "de " + " ni de ".join(self.unknown_communes)
        if self.missing_period:
            return self.period_label
        return ""

    def admits(self, meta: dict[str, Any]) -> bool:
        """Whether a passage is in scope: the law always is; a council document when its commune and date are."""
        if meta.get(schema.KIND) == schema.KIND_ARTICLE:
            return True
        if self.missing_label():
            return False
        key = meta.get(schema.COMMUNE_KEY)
        if self.communes and key and key not in self.communes:
            return False
        if self.delib_ids and _delib_key(str(meta.get(schema.DELIB_ID) or "")) not in self.delib_ids:
            return False
        return _date_admitted(str(meta.get(schema.DATE) or ""), self)

    @property
    def lists_meeting(self) -> bool:
        """A question about one indexed séance that asks nothing else: list its records."""
        return bool(self.date) and not self.missing_label() and not self.residual


def _delib_key(number: str) -> str:
    """ "2020-045", "2020 / 45" and "2020/045" are one number: "2020-45"."""
    match = re.fullmatch(r"\s*(\d{4})\s?[-/]\s?0*(\d+)\s*", number)
    return f"{match.group(1)}-{match.group(2)}" if match else number


def _refs(question: str, folded: str, facets: Facets) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(indexed deliberation numbers named, missing references named): deliberations, articles, codes, bodies."""
    held = {_delib_key(d) for d in facets.delib_ids}
    named, missing = [], []
    for match in _DELIB_REF_RE.finditer(folded):
        number = (match.group(1) or match.group(2)).replace(" ", "")
        key = _delib_key(number)
        if key in held:
            named.append(key)
        elif facets.delib_ids:
            missing.append(f"la délibération n° {number}")
    if facets.articles:
        missing += [f"l'article {a}" for a in find_article_mentions(question) if a not in facets.articles]
    if facets.codes:
        missing += [
            f"le code {m.group(1)}" for m in _CODE_RE.finditer(folded) if _CODES[m.group(1)] not in facets.codes
        ]
    for match in _BODY_RE.finditer(folded):
        body = next(g for g in match.groups() if g)
        if body not in facets.bodies:
            missing.append(f"du {body.replace('ccas', 'CCAS')}")
    return tuple(dict.fromkeys(named)), tuple(dict.fromkeys(missing))


def _date_admitted(date: str, scope: Scope) -> bool:
    if not date:
        return not (scope.date or scope.month or scope.years)
    if scope.date:
        return date == scope.date
    if scope.month:
        return date[:7] == scope.month
    if scope.years:
        return any(abs(int(date[:4]) - year) <= tuning.SCOPE_YEAR_SLACK for year in scope.years)
    return True


_SPAN_RE = re.compile(
    rf"\bdu\s+(?:1er|\d{{1,2}})(?:\s+(?:{MONTH_PATTERN}))?(?:\s+(?:19|20)\d{{2}})?\s+au\s+(?:1er|\d{{1,2}})\s+(?:{MONTH_PATTERN})\b"
)


_LANDFORMS = {
    "vallee",
    "pays",
    "plateau",
    "haut",
    "haute",
    "hauts",
    "hautes",
    "basse",
    "mont",
    "monts",
    "coteaux",
    "rive",
    "rives",
    "plaine",
    "val",
}


def commune_named(key: str, folded_words: set[str]) -> bool:
    """ "preuilly-sur-claise" is named by "Preuilly"; particles and short words do not count. A grouping is named
    by all the words of its own name: "sivos-des-quatre-clochers" by "Quatre Clochers", not by "quatre".

    >>> commune_named("siaep-de-la-vallee-de-l-arnegue", {"syndicat", "arnegue"})
    True
    """
    parts = [p for p in key.split("-") if len(p) >= 4 and p not in _PARTICLES]
    if is_grouping(key):
        # (the landform words of a name may go unsaid: "le syndicat de l'Arnègue" is the SIAEP de la Vallée de
        # l'Arnègue, "le SMICTOM du Velaunay" the one of the Haut-Velaunay)
        own = own_words(key) - _PARTICLES
        proper = own - _LANDFORMS
        return bool(own) and (own <= folded_words or bool(proper) and proper <= folded_words)
    return bool(parts) and parts[0] in folded_words


def parse_scope(question: str, facets: Facets, *, mentioned: Callable[[str], bool] | None = None) -> Scope:
    """The scope named in `question`, checked against what the store holds (see the module example).

    `mentioned(word)` says whether the minutes of a grouping of communes (a SIVOS, a communauté de communes) write
    that stem: "combien la commune de Quincelles verse-t-elle au SIVOS" names a member commune the SIVOS's minutes
    write, not a council missing from the store. (A town's minutes naming a neighbour do not make it a member: "la
    commune d'Uzès a-t-elle voté ..." stays a council the store lacks.)
    """
    folded = fold(question)
    words = set(re.findall(r"[a-z0-9]+", folded))  # "À Preuilly, combien ...": no punctuation stuck to a name
    communes = tuple(sorted(key for key in facets.communes if commune_named(key, words)))
    if not communes:  # "la CC", "le SIVOS", "le Département": the store's bodies of that kind
        kinds = kinds_named(folded)
        communes = tuple(sorted(key for key in facets.communes if of_kinds(key, kinds)))
    unknown: tuple[str, ...] = ()
    if not communes:
        names = [
            m.group(1)
            for m in _NAMED_PLACE_RE.finditer(question)
            if m.group(1) not in _NOT_PLACES
            and not _COMMON_NOUN_RE.search(m.group(1).split()[0])
            and not (
                mentioned is not None
                and fold(m.group(0)).startswith(("commune", "habitants", "maire"))
                and all(mentioned(t) for t in tokens(m.group(1)))
            )
        ]
        unknown = tuple(dict.fromkeys(names))
        headed = {name: _heads_naming(name, facets) for name in unknown}
        # "la commune d'Auribal-le-Vieux" written at the head of a document whose commune was not read (or read as
        # another name): the store holds that body's document; the scope is that document's commune, if it has one
        communes = tuple(sorted({key for keys in headed.values() if keys is not None for key in keys if key}))
        unknown = tuple(name for name in unknown if headed[name] is None)
    date, month, years, label = _period(question, folded)
    delib_ids, missing_refs = _refs(question, folded, facets)
    scope = Scope(communes=communes, unknown_communes=unknown, date=date, month=month, years=years, period_label=label)
    held = set().union(*(facets.commune_dates.get(k, set()) for k in communes)) if communes else facets.dates
    missing = bool(date or month or years) and not any(_date_admitted(d, scope) for d in held)
    event, event_label, event_month = date or month, label, ""
    if missing and event and (not _SEANCE_WORDS_RE.search(folded) or _EVENT_DATE_RE.search(folded)):
        # "la Convention des Avocats d'octobre 2014", "le déficit au 1er janvier 2021": the date of what the
        # question is about, not of a séance; no séance that day or month, but one of that year may decide it.
        year = Scope(communes=communes, years=(int(event[:4]),))
        if any(_date_admitted(d, year) for d in held):
            date, month, years, label, missing = None, None, year.years, f"de {event[:4]}", False
            # (a span "du 01 juin au 30 septembre 2014" is how long what is decided lasts: its months are no event's)
            event_month = "" if _SPAN_RE.search(folded) else event[:7]
            scope = dataclasses.replace(scope, date=None, month=None, years=years, period_label=label)
    if missing and date and _head_dated(date, facets):
        # "le conseil municipal du 28 novembre 2019": the séance a document's head names, whose date was read as
        # another one (a footer's "Approuvé en séance du 19 décembre 2019"): the named date's year restricts instead
        year = Scope(communes=communes, years=(int(date[:4]),))
        if any(_date_admitted(d, year) for d in held):
            label = f"de {date[:4]}"
            date, years, missing = None, year.years, False
            scope = dataclasses.replace(scope, date=None, month=None, years=years, period_label=label)
    if missing and years and not (date or month) and _BEFORE_RE.search(folded):
        # "combien la Ville avait-elle payé en 2007 pour acquérir ...": the pluperfect dates an earlier event that a
        # later decision recalls, not a séance; the year stays a number the evidence must write (rag.refusal)
        years, label, missing = (), "", False
        scope = dataclasses.replace(scope, years=(), period_label="")
    if (
        missing
        and years
        and not (date or month)
        and not _YEAR_SPAN_RE.search(folded)  # (a school year names when it is decided: "la rentrée 2023-2024")
        and not _SEANCE_WORDS_RE.search(folded)
        and any(held)
        and min(years) > max(int(str(d)[:4]) for d in held if d)
    ):
        # "la taxe de séjour d'un hôtel 3 étoiles en 2027": a year after every séance held is when a decision applies,
        # not a séance's; the year stays a number the evidence must write (rag.refusal)
        years, label, missing = (), "", False
        scope = dataclasses.replace(scope, years=(), period_label="")
    if missing and communes:
        label = "de " + " ni de ".join(facets.communes[k] for k in communes) + " " + label
    scope_words = set(
        tokens(
            " ".join(
                [
                    *unknown,
                    *(facets.communes[k] for k in communes),
                    *words_of(folded, communes),
                    scope.period_label,
                    event_label,  # "octobre 2014" is met by the passages of 2014 (a year scope)
                    *(str(y) for y in years),
                ]
            )
        )
    )
    residual = tuple(
        t
        for t in tokens(question)
        if t not in _MEETING_WORDS and t not in scope_words and t not in _MONTH_STEMS and not t.isdigit()
    )
    return Scope(
        communes=communes,
        unknown_communes=unknown,
        date=date,
        month=month,
        years=years,
        missing_period=missing,
        period_label=label,
        residual=residual,
        stems=frozenset(scope_words),
        delib_ids=delib_ids,
        missing_refs=missing_refs,
        indexed_communes=tuple(sorted(facets.communes.values())) if unknown else (),
        event_month=event_month,
    )


def _heads_naming(name: str, facets: Facets) -> set[str] | None:
    """The commune keys of the documents whose first lines write `name` (None when no document's do)."""
    words = f" {fold_words(name)} "
    keys = [key for head, key_set in facets.heads.items() if words in f" {head} " for key in key_set]
    return set(keys) if keys else None


def _head_dated(date: str, facets: Facets) -> bool:
    """Whether a document's first lines write the day `date` (ISO), in words or in figures ("28 novembre 2019",
    "28/11/2019", "10.12.2024")."""
    year, month, day = (int(part) for part in date.split("-"))
    forms = {
        f" {'1er' if day == 1 else day} {fold(MONTHS[month - 1])} {year} ",
        f" {day} {fold(MONTHS[month - 1])} {year} ",
        f" {day:02d} {fold(MONTHS[month - 1])} {year} ",
        f" {day:02d} {month:02d} {year} ",
        f" {day} {month} {year} ",
    }
    return any(form in f" {head} " for head in facets.heads for form in forms)


_MONTH_STEMS = set(tokens(" ".join(MONTHS)))
# A date after "pour le", "au", "jusqu'au", "à partir du" ... is when something happens or ends, never the séance's,
# even in a question about what the council decided ("le conseil a-t-il retenu pour le 14 juillet 2021").
# So is a date that names an event ("la fête du village du 12 juillet 2025", "le marché de Noël du 16 décembre").
_EVENT_DATE_RE = re.compile(
    rf"\b(?:pour|au|jusqu'?au|a partir du|a compter du|avant|apres|des|depuis)\s+(?:le\s+)?(?:1er|\d{{1,2}})\s+"
    rf"(?:{MONTH_PATTERN})\b"
    r"|\b(?:fetes?|feux? d'artifice|marches?|festivals?|ceremonies?|repas|concerts?|brocantes?|foires?|courses?|"
    r"journees?|soirees?|spectacles?|inaugurations?|manifestations?|salons?|expositions?|bals?)"
    rf"(?:\s+[a-z'-]+){{0,4}}\s+du\s+(?:1er|\d{{1,2}})\s+(?:{MONTH_PATTERN})\b"
)
# The pluperfect ("avait payé", "avaient-ils acquis"): what the question dates happened before the decision asked about.
_BEFORE_RE = re.compile(r"\bavai(?:t|ent)(?:-(?:il|elle|ils|elles|on))?\s+(?:ete\s+)?[a-z]+(?:e|es|i|is|u|us|t|ts)\b")
# Words that make a named date or month the séance's: a meeting, its record, or a decision taken that day.
_SEANCE_WORDS_RE = re.compile(
    r"\b(?:seances?|reunions?|conseils?|compte rendu|proces-verbal|pv|deliber\w*|ordre du jour|"
    r"(?:vote|decide|adopte|approuve|elu|designe)e?s?)\b"
)


def words_of(folded: str, communes: tuple[str, ...]) -> list[str]:
    """The question's words that name one of these communes ("preuilly" for "preuilly-sur-claise")."""
    return [part for key in communes for part in key.split("-") if len(part) >= 4 and part in folded]


def _period(question: str, folded: str) -> tuple[str | None, str | None, tuple[int, ...], str]:
    """(date, month, years, label) named in the question; a period after "depuis" is not a restriction."""
    date = parse_french_date(question)
    if date:
        return date, None, (), f"du {french_date(date)}"
    for match in _MONTH_RE.finditer(folded):
        if _SINCE_RE.search(folded[: match.start()]):
            folded = folded[: match.start()] + " " * len(match.group()) + folded[match.end() :]
            continue
        number = month_number(match.group(1))
        if number:
            return None, f"{match.group(2)}-{number:02d}", (), f"de {match.group(1)} {match.group(2)}"
    # A school year ("la rentrée 2023-2024") names its two years even after "rentrée" (a year's slack admits
    # the séance that fixed it the year before).
    spans = [m for m in _YEAR_SPAN_RE.finditer(folded) if int(m.group(2)) == int(m.group(1)) + 1]
    singles = [m for m in YEAR_RE.finditer(folded) if not _SINCE_RE.search(folded[: m.start()])]
    years = tuple(int(y) for m in spans for y in m.groups()) + tuple(int(m.group(1)) for m in singles)
    if years:
        named = [f"{m.group(1)}-{m.group(2)}" for m in spans] + [m.group(1) for m in singles]
        return None, None, years, "de " + " ni de ".join(named)
    return None, None, (), ""


class Scoper:
    """Reads a question's scope against the store's facets (recomputed when the store changes)."""

    def __init__(self, *, store: ChromaStore, lexical: LexicalIndex | None = None) -> None:
        self.store = store
        self.lexical = lexical  # tells a commune the council documents only mention from one missing (parse_scope)
        self._state: tuple[str, Facets] | None = None  # (generation, its facets), replaced whole

    def facets(self) -> Facets:
        generation = self.store.generation()
        state = self._state  # one read: the server's threads share this Scoper (no half-updated state)
        if state is not None and state[0] == generation:
            return state[1]
        # Reading every passage's metadata takes ~0.5 s on the whole law: a new process (each CLI ask)
        # reads the facets saved for this generation instead.
        facets = self._saved(generation)
        if facets is None:
            facets = self._computed()
            self._save(generation, facets)
        self._state = (generation, facets)
        return facets

    def _cache_path(self) -> Path:
        settings = self.store.settings
        view = hashlib.sha1(f"{settings.chroma_url}|{settings.collection}|{'|'.join(self.store.spaces)}".encode())
        return settings.store / "facets" / f"{view.hexdigest()[:16]}.json"

    def _saved(self, generation: str) -> Facets | None:
        """The facets saved for this generation of the view (None when absent, stale or unreadable)."""
        if not generation:
            return None
        try:
            data = json.loads(self._cache_path().read_text(encoding="utf-8"))
            if data.get("generation") != generation:
                return None
            raw = data["facets"]
            return Facets(
                communes=dict(raw["communes"]),
                dates=set(raw["dates"]),
                commune_dates={k: set(v) for k, v in raw["commune_dates"].items()},
                delib_ids=set(raw["delib_ids"]),
                articles=set(raw["articles"]),
                codes=set(raw["codes"]),
                bodies=set(raw["bodies"]),
                heads={k: set(v) for k, v in raw["heads"].items()},
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def _save(self, generation: str, facets: Facets) -> None:
        if not generation:
            return
        raw = {
            "communes": facets.communes,
            "dates": sorted(facets.dates),
            "commune_dates": {k: sorted(v) for k, v in facets.commune_dates.items()},
            "delib_ids": sorted(facets.delib_ids),
            "articles": sorted(facets.articles),
            "codes": sorted(facets.codes),
            "bodies": sorted(facets.bodies),
            "heads": {k: sorted(v) for k, v in facets.heads.items()},
        }
        path = self._cache_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"generation": generation, "facets": raw}), encoding="utf-8")
            tmp.replace(path)
        except OSError as e:  # a read-only store folder: the facets are recomputed next time
            logger.info("Facets not saved at %s (%s)", path, e)

    def _computed(self) -> Facets:
        """The facets read from the metadata of every passage of the view."""
        communes: dict[str, str] = {}
        commune_dates: dict[str, set[str]] = {}
        dates: set[str] = set()
        delib_ids: set[str] = set()
        articles: set[str] = set()
        codes: set[str] = set()
        bodies: set[str] = set()
        heads: dict[str, set[str]] = {}
        for meta in self.store.chunks_all_meta():
            if meta.get(schema.KIND) == schema.KIND_ARTICLE:
                articles.add(str(meta.get(schema.ARTICLE) or ""))
                codes.add(str(meta.get(schema.CODE) or ""))
                continue
            if meta.get(schema.DELIB_ID):
                delib_ids.add(str(meta[schema.DELIB_ID]))
            body = _TITLE_BODY_RE.match(fold(str(meta.get(schema.TITLE) or "")))
            if body:
                bodies.add(body.group(1))
            bodies.update(b for b in str(meta.get(schema.BODY) or "").split(";") if b)
            key, date = meta.get(schema.COMMUNE_KEY), meta.get(schema.DATE)
            head = fold_words(str(meta.get(schema.HEAD) or ""))
            if head:
                heads.setdefault(head, set()).add(str(key or ""))
            if key:
                communes.setdefault(str(key), str(meta.get(schema.COMMUNE) or key))
            if date:
                dates.add(str(date))
                if key:
                    commune_dates.setdefault(str(key), set()).add(str(date))
        return Facets(
            communes=communes,
            dates=dates,
            commune_dates=commune_dates,
            delib_ids=delib_ids,
            articles=articles - {""},
            codes=codes - {""},
            bodies=bodies,
            heads=heads,
        )

    def read(self, question: str) -> Scope:
        lexical = self.lexical
        mentioned = (lambda stem: lexical.written_by(stem, is_grouping)) if lexical is not None else None
        return parse_scope(question, self.facets(), mentioned=mentioned)

    def meeting_answer(self, question: str, scope: Scope, filters: Filters | None = None) -> Answer | None:
        """The records of the one séance the question names, newest first; None when it names none."""
        if not scope.lists_meeting or scope.date is None:
            return None
        period = dataclasses.replace(filters or Filters(), since=scope.date, until=scope.date)
        records = [
            r
            for r in list_records(self.store, period)
            if not scope.communes or normalize_key(r.commune or "") in scope.communes
        ]
        groups = group_deliberation_chunks(self.store.find({schema.DATE: scope.date}))
        first_chunks = {f"{doc_id}:{index}": parts[0] for (doc_id, index), parts in groups.items()}
        citations: list[Citation] = []
        lines: list[str] = []
        for record in records:
            first = first_chunks.get(record.key or "")
            if first is None:
                continue
            n = len(citations) + 1
            objet = (record.objet or first.text[:200]).strip()
            citations.append(Citation(n=n, chunk=first, quote=objet))
            number = f"n° {record.delib_id} : " if record.delib_id else ""
            lines.append(f"{number}{objet} — vote : {vote_label(record)} [{n}]")
        if not citations:
            return None
        communes = sorted({r.commune for r in records if r.commune})
        where = f" ({', '.join(communes)})" if communes else ""
        intro = f"Séance du {french_date(scope.date)}{where} : {len(lines)} délibération(s) indexée(s)."
        text = intro + "\n" + "\n".join(f"- {line}" for line in lines)
        sentences = [AnswerSentence(text=line, citations=[i + 1]) for i, line in enumerate(lines)]
        logger.info("Séance du %s : %d records listed for %r", scope.date, len(lines), question)
        return Answer(
            question=question,
            text=text,
            citations=citations,
            found=True,
            mode="records",
            sentences=sentences,
            notes=["Liste des délibérations indexées de cette séance (objet et vote), sans modèle de langage."],
        )


def missing_notice(scope: Scope, *, law_follows: bool) -> str:
    """ "Aucun document de Lyon n'est indexé (communes indexées : Couthenans, ...) ; voici ce que dit la loi."
    (or without the law); for a text the store does not hold: "La délibération n° 2020-061 n'est pas indexée." """
    notices = [_ref_notice(ref) for ref in scope.missing_refs]
    label = scope.missing_label()
    if label:
        others = f" (communes indexées : {', '.join(scope.indexed_communes)})" if scope.indexed_communes else ""
        law = " ; voici ce que dit la loi." if law_follows and not notices else "."
        notices.insert(0, f"Aucun document {label} n'est indexé{others}{law}")
    return " ".join(notices)


def _ref_notice(ref: str) -> str:
    """ "la délibération n° 2020-061" -> "La délibération n° 2020-061 n'est pas indexée." """
    if ref.startswith("du "):
        return f"Aucun document {ref} n'est indexé."
    feminine = ref.startswith("la ")
    return f"{ref[:1].upper()}{ref[1:]} n'est pas indexé{'e' if feminine else ''}."


def with_notice(answer: Answer, scope: Scope | None) -> Answer:
    """The answer opened by the notice that the named commune, period or text is not indexed (unchanged otherwise)."""
    if scope is None or not (scope.missing_label() or scope.missing_refs):
        return answer
    notice = missing_notice(scope, law_follows=answer.found)
    answer.text = f"{notice}\n{answer.text}" if answer.found else f"{notice} {answer.text}"
    answer.notes.insert(0, notice)
    return answer
