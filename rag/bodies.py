"""The local bodies other than a commune that keep minutes: one table read by ingestion (which body heads a
document), by the scope of a question ("la CC", "le SIVOS") and by the opening sentence of an answer ("la
Communauté de communes du Val de Dorme a ...").

A body's name, as `ingest.seance` writes it, is its kind followed by its own name ("SIVOS des Quatre
Clochers", "Syndicat intercommunal de la Haute-Lizonne"); its key in the store is that name slugged
("sivos-des-quatre-clochers").

>>> body_article("Communauté de communes du Val de Dorme"), body_article("SIVOS des Quatre Clochers")
('la', 'le')
>>> body_article("Preuilly-sur-Claise") is None
True
>>> is_grouping("syndicat-intercommunal-de-la-haute-lizonne"), is_grouping("preuilly-sur-claise")
(True, False)
>>> sorted(own_words("syndicat-intercommunal-de-la-haute-lizonne"))
['haute', 'lizonne']
>>> kinds_named("que verse la commune au sivos ?")
('sivos',)
>>> body_article("Office de tourisme Brévannes Lacs & Forêts"), body_article("SMICTOM du Haut-Velaunay")
("l'", 'le')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.french import fold


@dataclass(frozen=True)
class BodyKind:
    """A kind of local body: how its minutes head it, its article, how a question names it."""

    heading: str  # the kind in a heading, accents optional: "communaut[ée] de communes"
    key: str  # the start of the store keys of this kind: "communaute-de-communes" (a pattern: "sm?i[cr]tom")
    article: str  # "la" Communauté ..., "le" SIVOS ..., "l'" Office ...
    asked: str  # the kind alone in a folded question: "la cc|communaute de communes"
    words: str = ""  # other words of its keys that are not the body's own name ("intercommunal")
    acronym: bool = False  # written in capitals in its name: "SIVOS"
    territory: bool = False  # a département or a région: heads a document only when no commune does
    service: bool = False  # a public service's board (a régie): heads a document only when no grouping of communes does


_WATER = r"sm?iaep|smaep|sm?iaea|siae|siah|siep|sm?iaa"
# The kinds of French local public bodies that deliberate, besides the communes (groupings of communes, their
# syndicates and public establishments, the territories).
KINDS = (
    BodyKind(r"communaut[ée] de communes", "communaute-de-communes", "la", r"la cc|communaute de communes"),
    BodyKind(
        r"communaut[ée] d['’]agglom[ée]ration",
        "communaute-d-agglomeration",
        "la",
        r"communaute d'agglomeration|l'agglo(?:meration)?",
    ),
    BodyKind(r"communaut[ée] urbaine", "communaute-urbaine", "la", r"communaute urbaine"),
    BodyKind(r"m[ée]tropole", "metropole", "la", r"la metropole"),
    BodyKind(r"sivos", "sivos", "le", r"sivos", acronym=True),
    BodyKind(r"sivom", "sivom", "le", r"sivom", acronym=True),
    BodyKind(r"sivu", "sivu", "le", r"sivu", acronym=True),
    # the household-waste syndicates: SICTOM, SMICTOM, SIRTOM, SMIRTOM, SMITOM, SYCTOM
    BodyKind(r"sm?i[cr]?tom|syctom", "sm?i[cr]?tom|syctom", "le", r"sm?i[cr]?tom|syctom", acronym=True),
    # the water and sanitation syndicates: SIAEP, SMAEP, SIAEA, SIAE, SIAH, SIEP ("d'alimentation en eau potable",
    # "d'assainissement")
    BodyKind(_WATER, _WATER, "le", _WATER, acronym=True),
    BodyKind(r"syndicat(?: intercommunal| mixte)?", "syndicat", "le", r"syndicat", words="intercommunal mixte"),
    BodyKind(r"p[ôo]le d['’][ée]quilibre territorial et rural", "pole-d-equilibre-territorial-et-rural", "le", r"petr"),
    BodyKind(r"petr", "petr", "le", r"petr|pole d'equilibre", acronym=True),
    BodyKind(
        r"centre (?:inter)?communal d['’]action sociale",
        "centre-(?:inter)?communal-d-action-sociale",
        "le",
        r"c[ci]as|centre (?:inter)?communal d'action sociale",
    ),
    BodyKind(r"c[ci]as", "c[ci]as", "le", r"c[ci]as|centre (?:inter)?communal d'action sociale", acronym=True),
    BodyKind(
        r"service d[ée]partemental d['’]incendie et de secours",
        "service-departemental-d-incendie-et-de-secours",
        "le",
        r"sdis|service departemental d'incendie",
    ),
    BodyKind(r"sdis", "sdis", "le", r"sdis|service departemental d'incendie", acronym=True),
    # a public care home for the elderly, its own établissement public with a conseil d'administration
    BodyKind(r"maison de retraite", "maison-de-retraite", "la", r"maison de retraite|ehpad"),
    BodyKind(r"ehpad", "ehpad", "l'", r"ehpad|maison de retraite", acronym=True),
    BodyKind(
        r"office (?:intercommunal |municipal )?de tourisme",
        "office-(?:intercommunal-|municipal-)?de-tourisme",
        "l'",
        r"office (?:intercommunal |municipal )?de tourisme",
        words="intercommunal municipal",
    ),  # fmt: skip
    # the landowners' associations that manage irrigation, drainage or land (établissements publics administratifs)
    BodyKind(
        r"association syndicale(?: autoris[ée]e| libre| constitu[ée]e d['’]office)?",
        "association-syndicale",
        "l'",
        r"association syndicale|l'asa",
        words="autorisee libre",
    ),
    BodyKind(r"asa", "asa", "l'", r"\basa\b|association syndicale", acronym=True),
    BodyKind(r"association fonci[èe]re", "association-fonciere", "l'", r"association fonciere"),
    # a regional nature park's syndicate, a local public company owned by communes
    BodyKind(r"parc naturel r[ée]gional", "parc-naturel-regional", "le", r"parc naturel regional|\bpnr\b"),
    BodyKind(r"pnr", "pnr", "le", r"\bpnr\b|parc naturel regional", acronym=True),
    BodyKind(r"soci[ée]t[ée] publique locale", "societe-publique-locale", "la", r"societe publique locale|\bspl\b"),
    BodyKind(r"spl", "spl", "la", r"\bspl\b|societe publique locale", acronym=True),
    # a land agency buying land for its member groupings (établissement public foncier local), a public board running a
    # service (régie des transports, des eaux ...) with its own conseil d'administration or d'exploitation
    BodyKind(
        r"[ée]tablissement public foncier(?: local)?",
        "etablissement-public-foncier",
        "l'",
        r"etablissement public foncier|\bepfl?\b",
        words="local",
    ),
    BodyKind(r"epfl?", "epfl?", "l'", r"\bepfl?\b|etablissement public foncier", acronym=True),
    BodyKind(
        r"r[ée]gie(?: des transports(?: urbains)?| des eaux| de l['’]eau| d['’]assainissement)?",
        "regie",
        "la",
        r"\bla regie\b",
        words="transports urbains eaux eau assainissement",
        service=True,
    ),
    # a commune's own public bodies with a committee of their own: the school fund, a section of commune's property
    BodyKind(r"caisse des [ée]coles", "caisse-des-ecoles", "la", r"caisse des ecoles"),
    BodyKind(r"section de commune", "section-de-commune", "la", r"la section\b|section de commune"),
    BodyKind(r"conseil d[ée]partemental", "conseil-departemental", "le", r"conseil departemental", territory=True),
    BodyKind(r"d[ée]partement", "departement", "le", r"(?:le|du|au) departement", territory=True),
    BodyKind(r"conseil r[ée]gional", "conseil-regional", "le", r"conseil regional", territory=True),
    BodyKind(r"r[ée]gion", "region", "la", r"(?:la|de la) region", territory=True),
)

# The deciding assemblies other than the municipal council, named as the one who voted or decided (folded).
ASSEMBLIES = (
    "conseil communautaire",
    "bureau communautaire",
    "conseil metropolitain",
    "conseil departemental",
    "conseil regional",
    "comite syndical",
    "bureau syndical",
    "conseil portuaire",
    "conseil d'exploitation",
    "conseil de surveillance",
    "conseil d'administration du ccas",
    "conseil d'administration",
    "comite de direction",
    "ccas",
    "conseil d'ecole",
    "commission permanente",
    "assemblee des proprietaires",
    "commission d'appel d'offres",
    "commission syndicale",
    "comite de la caisse des ecoles",
    "assemblee generale",
)


def heading_pattern(*, territory: bool, service: bool = False) -> re.Pattern[str]:
    """The kinds of body (groupings of communes, départements and régions, or public services' boards) as a heading
    writes them."""
    kinds = "|".join(kind.heading for kind in KINDS if kind.territory == territory and kind.service == service)
    return re.compile(rf"(?<![^\W\d_])({kinds})\b", re.IGNORECASE)  # ("1/2Caisse des écoles ...": a page number glued)


def label(kind_text: str) -> str:
    """A kind as a body's name writes it: "SIVOS", "Communauté de communes" (from "COMMUNAUTÉ DE COMMUNES")."""
    folded = fold(kind_text)
    if any(kind.acronym and re.fullmatch(kind.heading, folded) for kind in KINDS):
        return kind_text.upper()
    return kind_text[0].upper() + kind_text[1:].lower()


def body_article(name: str) -> str | None:
    """The article of a body's name ("la" Communauté de communes ...), None for a commune's name."""
    return next((kind.article for kind in KINDS if re.match(rf"(?:{kind.heading})\b", name, re.IGNORECASE)), None)


_KEY_WORDS = {word for kind in KINDS for word in re.findall(r"[a-z]{4,}", f"{kind.key} {kind.words}")}


def is_grouping(key: str) -> bool:
    """Whether a store key is a grouping's or a territory's ("sivos-des-quatre-clochers"), not a commune's."""
    return any(re.match(rf"(?:{kind.key})(?:-|$)", key) for kind in KINDS)


def own_words(key: str) -> set[str]:
    """The words of a body's key that name it, not its kind: "sivos-des-quatre-clochers" -> quatre, clochers."""
    return {
        part
        for part in key.split("-")
        if len(part) >= 4 and part not in _KEY_WORDS and not any(re.fullmatch(kind.key, part) for kind in KINDS)
    }


def kinds_named(folded_question: str) -> tuple[str, ...]:
    """The key patterns of the kinds a question names by their kind alone ("la CC", "le SIVOS")."""
    return tuple(kind.key for kind in KINDS if re.search(rf"\b(?:{kind.asked})\b", folded_question))


def kind_of(key: str) -> str | None:
    """The kind of a body's store key ("syndicat-de-la-sarnonne" -> "syndicat"), None for a commune's key.

    >>> kind_of("syndicat-mixte-de-la-vireze"), kind_of("sivos-des-quatre-clochers"), kind_of("couthenans")
    ('syndicat', 'sivos', None)
    """
    return next((kind.key for kind in KINDS if re.match(rf"(?:{kind.key})(?:-|$)", key)), None)


def of_kinds(key: str, kinds: tuple[str, ...]) -> bool:
    """Whether a store key is a body of one of `kinds` (the patterns `kinds_named` gives)."""
    return any(re.match(rf"(?:{kind})-", key) for kind in kinds)
