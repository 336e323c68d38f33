"""What a council document says about itself: its commune and séance date, and the title built from them.

Folding, month names, number words and dates come from rag.french.

>>> detect_seance_date([Page("PROCES VERBAL\\nLe vingt trois Juillet deux mille vingt", 1)], "pv.pdf")
'2020-07-23'
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path, PurePath
from typing import Any

from rag import bodies
from rag.french import (
    MONTH_NUMBERS,
    MONTH_PATTERN,
    NUMBER_WORDS,
    WEEKDAYS,
    fold,
    fold_words,
    french_date,
    iso_date,
    number_from_words,
)
from rag.schema import Page

_WEEKDAY_RE = "(?:" + "|".join(WEEKDAYS) + ")"
# Number words a written date or vote count is made of ("le vingt trois juillet deux mille vingt").
_NUMBER_WORD_RE = "|".join(sorted([*NUMBER_WORDS, "premier"], key=len, reverse=True))


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# --- dates ----------------------------------------------------------------------------------------
_BODIES_RE = "|".join(re.escape(body) for body in sorted(bodies.ASSEMBLIES, key=len, reverse=True))
# "Séance du 23 juillet 2020", "séance du conseil d'exploitation du jeudi 21 novembre 2024" (the body named between)
_SEANCE_DATE_RE = re.compile(
    rf"\b(?:seance|reunion) (?:publique |ordinaire |extraordinaire )?du\s+(?:(?:{_BODIES_RE}|conseil)\s+du\s+)?"
    rf"(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})"
)
_COUNCIL_DATE_RE = re.compile(
    rf"\b(?:conseil municipal|{_BODIES_RE}|reunion du conseil|c-?r du conseil(?: municipal)?)\s*(?:du|en date du)?\s*:?\s*"
    rf"(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})"
)
_WRITTEN_DATE_RE = re.compile(
    rf"\bl[e']\s*((?:(?:{_NUMBER_WORD_RE})[\s-]+(?:et[\s-]+)?){{1,3}})\s*({MONTH_PATTERN})\s+"
    rf"(deux[\s-]+mill?e?(?:[\s-]+(?:{_NUMBER_WORD_RE}|et))*)"
)
_LEADING_DATE_RE = re.compile(rf"^[\s+*•-]*{_WEEKDAY_RE}\s+(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})")
# A line that is only a date, as under a list's title ("Liste des délibérations votées" / "Le 16 MAI 2025").
_DATE_LINE_RE = re.compile(rf"^[\s+*•-]*(?:le\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})\s*:?\s*$")
_FILENAME_DATE_RE = re.compile(rf"(?<![a-z0-9])(\d{{1,2}}|1er)[-_ .]+({MONTH_PATTERN})[-_ .]+((?:19|20)\d{{2}})(?!\d)")


def _from_match(day: str, month: str, year: str) -> str | None:
    return iso_date(int(year), MONTH_NUMBERS[month], 1 if day == "1er" else int(day))


def _written_number(words: str) -> int | None:
    """The number a date pattern captured in words, without the separators and the dangling "et" the
    pattern may take with it ("vingt-trois-" before "juillet", "deux mille vingt et" before "s'est réuni")."""
    return number_from_words(re.sub(r"(?:[\s-]+et)?[\s-]*$", "", words))


def _date_from_filename(source: str) -> str | None:
    name = PurePath(source).name
    for pattern, order in (
        (r"(?<!\d)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?!\d)", "ymd"),
        (r"(?<!\d)(\d{2})[-_.](\d{2})[-_.]((?:19|20)\d{2})(?!\d)", "dmy"),
    ):
        for match in re.finditer(pattern, name):
            a, b, c = (int(g) for g in match.groups())
            iso = iso_date(a, b, c) if order == "ymd" else iso_date(c, b, a)
            if iso:
                return iso
    worded = _FILENAME_DATE_RE.search(fold(name))  # "liste_des_deliberations_16_mai_2025.pdf"
    return _from_match(*worded.groups()) if worded else None


# "fait approuver le procès-verbal de la séance du 12 décembre 2024": the date of an earlier séance.
# (a running footer may glue the word to a page number: "Page 1 / 3Approuvé en séance du 19 décembre 2019")
_EARLIER_RE = re.compile(r"(?<![a-z])(?:approb\w*|approuv\w*|precedente?s?|derniere)\b[^.;]{0,60}$")
# A séance to come, in the clause before its date: "prochaine séance du ...", "fixera ... lors de sa séance du ..."
_LATER_RE = re.compile(r"\b(?:prochaine|[a-z]{2,}(?:era|eront|ira|iront|dra|dront))\b[^.;]{0,60}$")


def _date_from_lines(lines: list[str]) -> str | None:
    head = fold(" ".join(lines))
    earlier: set[str | None] = set()  # a séance approved or recalled is recalled again further on
    for pattern in (_SEANCE_DATE_RE, _COUNCIL_DATE_RE):
        for found in pattern.finditer(head):
            iso = _from_match(*found.groups())
            if _EARLIER_RE.search(head[max(0, found.start() - 80) : found.start()]):
                earlier.add(iso)
                continue
            if _LATER_RE.search(head[max(0, found.start() - 80) : found.start()]):
                continue  # "Le conseil communautaire fixera les attributions ... lors de sa séance du 22 janvier 2026"
            if iso and iso not in earlier:
                return iso
    match = _WRITTEN_DATE_RE.search(head)
    if match:
        day, year = _written_number(match.group(1)), _written_number(match.group(3))
        if day and year:
            iso = iso_date(year, MONTH_NUMBERS[match.group(2)], day)
            if iso:
                return iso
    for line in lines[:10]:
        match = _LEADING_DATE_RE.search(fold(line)) or _DATE_LINE_RE.search(fold(line))
        if match:
            iso = _from_match(*match.groups())
            if iso:
                return iso
    return None


# A séance opening its own minutes in a register or a recueil that holds several, at the start of its line: "L'an deux
# mille vingt-cinq, le quatorze mars, à vingt heures trente" (a register's formula), "Séance du 11 avril 2025"
_YEAR_FIRST_RE = re.compile(
    rf"^l'an\s+(deux[\s-]+mill?e?(?:[\s-]+(?:{_NUMBER_WORD_RE}|et))*),?\s+le\s+"
    rf"((?:(?:{_NUMBER_WORD_RE})[\s-]+(?:et[\s-]+)?){{1,3}})\s*({MONTH_PATTERN})\b"
)
_OPENING_LINE_RE = re.compile(rf"^seance du\s+(?:{_WEEKDAY_RE}\s+)?(\d{{1,2}}|1er)\s+({MONTH_PATTERN})\s+(\d{{4}})\b")


def seance_openings(pages: list[Page]) -> list[tuple[int, int, str]]:
    r"""(page, line of the page, ISO date) of each séance a document holds, when it holds several (a register's
    folios, a recueil of minutes: "L'an deux mille vingt-cinq, le quatorze mars ..." then "L'an deux mille vingt-cinq,
    le onze avril ..."); empty when it holds one (its passages have the document's date).

    >>> seance_openings([Page("L'an deux mille vingt-cinq, le quatorze mars, à vingt heures\nLe conseil ...\n"
    ...     "L'an deux mille vingt-cinq, le onze avril, à vingt heures trente", 1)])
    [(1, 0, '2025-03-14'), (1, 2, '2025-04-11')]
    """
    found: list[tuple[int, int, str]] = []
    for page in pages:
        for index, raw in enumerate(page.text.splitlines()):
            line = fold(_squash(raw))
            if match := _YEAR_FIRST_RE.match(line):
                day, year = _written_number(match.group(2)), _written_number(match.group(1))
                iso = iso_date(year, MONTH_NUMBERS[match.group(3)], day) if day and year else None
            elif match := _OPENING_LINE_RE.match(line):
                iso = _from_match(*match.groups())
            else:
                continue
            if iso:
                found.append((page.page_number, index, iso))
    return found if len({iso for _, _, iso in found}) >= 2 else []


def detect_seance_date(pages: list[Page], source: str) -> str | None:
    """ISO date of the séance: from the head of the document ("Séance du 23 Juillet 2020", "Le vingt trois
    Juillet deux mille vingt", "CR du conseil municipal 09 avril 2021"), else from the file name
    ("2014-04-24-0000071216.pdf", "CR_reunion_20210604.pdf", "CR_conseil_municipal_07_10_2022.pdf")."""
    head = [line for page in pages[:1] for line in page.text.splitlines() if line.strip()][:60]
    return _date_from_lines(head) or _date_from_filename(source)


# --- commune --------------------------------------------------------------------------------------
_PARTICLES = {"sur", "sous", "en", "le", "la", "les", "de", "du", "des", "lès", "et", "aux", "au", "d", "l"}
_COMMUNE_RE = re.compile(
    r"\b(?:conseil municipal (?:de(?: la (?:ville|commune(?: nouvelle)?) (?:de\b|d['’]))?\b|d['’])"
    r"|(?:commune(?: nouvelle)?|ville|mairie) (?:de\b|d['’]))\s*"
    r"(?P<name>(?:(?:[A-ZÀ-Ý][\w'’-]*|sur|sous|en|le|la|les|lès|de|du|des|aux|au|d['’]|l['’]|SUR|SOUS|EN|LE|LA|LES|DE|DU|DES)"
    r"(?:\s+|$|(?=[.,;:)])))*)",  # (a name may end its sentence: "... du conseil municipal de Vernouillac.")
    re.IGNORECASE,
)
_NOT_A_COMMUNE = {"la", "le", "les", "commune", "communes", "ville", "conseil", "municipal", "seance", "séance"}


# The words that follow a commune's or a body's name in a heading, not part of it: "Communauté d'agglomération du
# Pays de Vérandeuil Conseil communautaire – séance du 29/06/2023", "SIVOS DES QUATRE CLOCHERS / SIÈGE : ...",
# "Commune de FARNONCOURT Folio n° 2020/01", "Commune d'Aurignol-sur-Vionne RAA n° 2021-03", "Commune de Fréchinel PV
# du conseil municipal".
_HEADING_WORDS = {
    "siege", "conseil", "comite", "bureau", "commission", "assemblee", "compte", "proces-verbal", "seance", "releve",
    "reunion", "extrait", "extraits", "registre", "deliberation", "deliberations", "ordre", "republique", "folio",
    "feuillet", "page", "raa", "recueil", "bulletin", "arrete", "arretes",
    "pv", "cr", "crs", "compte-rendu", "proces", "synthese", "ca", "cs", "cm",  # "Commune de Fréchinel PV du conseil municipal"
}  # fmt: skip


def _clean_commune(raw: str) -> str | None:
    words = list(itertools.takewhile(lambda w: fold(w) not in _HEADING_WORDS, raw.split()))
    # Trailing particles and words that start the next sentence are not part of the name.
    while words and (words[-1].lower() in _PARTICLES or fold(words[-1]) in _NOT_A_COMMUNE):
        words.pop()
    if not words or not words[0][0].isupper() or fold(words[0]) in _NOT_A_COMMUNE:
        return None
    if any(not (w[0].isupper() or w.lower() in _PARTICLES) for w in words):
        return None
    if len(words) > 5:
        return None
    name_words = []
    for index, word in enumerate(words):
        lower = word.lower()
        if index > 0 and lower in _PARTICLES:
            name_words.append(lower)
        elif word.isupper() and len(word) > 1:
            name_words.append("-".join(part.capitalize() for part in word.split("-")))
        else:
            name_words.append(word)
    return "-".join(name_words)


def detect_commune(pages: list[Page], source: str) -> str | None:
    """Name of the commune from the head of the first page ("Conseil Municipal de la Ville de Montpellier",
    "COMMUNE DE PREUILLY SUR CLAISE" -> "Preuilly-sur-Claise"), or of the grouping or other local body whose
    minutes these are ("COMMUNAUTÉ DE COMMUNES DU VAL DE DORME" -> "Communauté de communes du Val de Dorme");
    None when the text does not say it."""
    del source  # folder names are not reliable enough to name a commune
    every = [_small_caps(_squash(line)) for page in pages[:1] for line in page.text.splitlines() if line.strip()]
    lines = every[:15]
    joined = re.sub(r"(?<=\w)-\n", "-", "\n".join(lines))
    # (a régie's minutes name the grouping of communes it belongs to, when it has one: that grouping decides)
    grouping = _grouping(joined) or _grouping(joined, _SERVICE_RE)
    commune = _commune_in(lines)
    if grouping and (commune is None or grouping[0] < commune[0]):
        return grouping[1]
    if commune:
        return commune[1]
    territory = _grouping("\n".join(lines), _TERRITORY_RE)
    if territory:
        return territory[1]
    # A page whose head is a magazine's masthead and boxes ("VERNOUILLAC INFOS · n° 58", "EN CHIFFRES ..."): the
    # council named further down ("... lors des trois dernières séances du conseil municipal de Vernouillac")
    council = _commune_in([line for line in every[15:FAR_HEAD_LINES] if _FAR_COUNCIL_RE.search(fold(line))])
    if council is None or any(fold(word) in _NOT_A_COMMUNE for word in re.split(r"[-\s]", council[1])):
        return None  # (a scan's "conseil municipal de Ia Commune de Flaux" names no commune "Ia")
    return council[1]


FAR_HEAD_LINES = 40
_FAR_COUNCIL_RE = re.compile(r"\bconseil municipal d")


def _small_caps(line: str) -> str:
    """A heading set in small capitals comes out of some PDFs with its capitals apart: "C OMMUNE DE V AUGRENIER"
    -> "COMMUNE DE VAUGRENIER" (not the one-letter words "A", "À", "Y", nor the elided "L", "D")."""
    return re.sub(r"\b([B-CE-KMNP-XZÉÈ]) (?=[A-ZÀ-Ý]{2,}\b)", r"\1", line)


# The local bodies other than a commune that keep minutes, as they head them. A grouping of communes is named
# before the commune of its seat ("SIVOS ... Siège : Mairie de Pontgarel"); a département or a région only when
# no commune is named (a commune's minutes often carry "Département de l'Indre" above "Commune de ...").
_GROUPING_RE = bodies.heading_pattern(territory=False)
_TERRITORY_RE = bodies.heading_pattern(territory=True)
_SERVICE_RE = bodies.heading_pattern(territory=False, service=True)
_NAME_PARTICLES = {"de", "du", "des", "la", "l'", "d'", "le", "les", "sur", "sous", "en", "et", "&", "lès", "aux", "au"}


def _grouping(head: str, pattern: re.Pattern[str] = _GROUPING_RE) -> tuple[int, str] | None:
    """(position, name) of the first body of `pattern` followed by its name: "SIVOS DES QUATRE CLOCHERS" ->
    "SIVOS des Quatre Clochers"; "Syndicat intercommunal d'eau potable de la Haute-Lizonne" -> "Syndicat
    intercommunal de la Haute-Lizonne" (the words that say what it does are left out)."""
    for match in pattern.finditer(head):
        kind = match.group(1)
        if not kind[0].isupper():
            continue  # "le PFFS de la communauté de communes du pays d'Héricourt": a mention, not a heading
        # "SIVOS DES QUATRE CLOCHERS" is a heading in capitals; "SMICTOM du Haut-Velaunay", an acronym, is not
        acronym = bodies.label(kind) == kind
        caps = kind.isupper() and not (acronym and re.match(r"\s*[a-zà-ÿ]", head[match.end() :]))
        after = re.sub(r"\b([dlDL]['’])", r"\1 ", head[match.end() : match.end() + 200]).replace("’", "'")
        # a heading in capitals may break its name over lines ("SIVOS DES QUATRE / CLOCHERS"); another stops at the end
        words = after.split() if caps else after.split("\n", 1)[0].split()
        name = _name_after(words, caps=caps, last=caps and fold(kind).startswith(("syndicat", "regie")))
        if name:
            return match.start(), f"{bodies.label(kind)} {name}"
    return None


def _name_after(words: list[str], *, caps: bool, last: bool) -> str | None:
    """The particle and the proper name that follow a body's kind ("DU VAL DE DORME" -> "du Val de Dorme"), past
    at most ten words saying what the body does. In a heading in capitals those words are capitals too: the name
    is after the first particle, or after the last one when `last` (a syndicat's heading says what it does)."""

    def proper(word: str) -> bool:
        bare = word.strip(",;:.()")
        return bool(bare) and bare[0].isupper() and (bare.isupper() or not caps) and fold(bare) not in _HEADING_WORDS

    run = words[:14]
    if caps:
        run = list(itertools.takewhile(proper, run))

    def named_next(i: int) -> bool:  # "de la Haute-Lizonne": the name is past the article
        j = i + 2 if run[i].lower() == "de" and i + 2 < len(run) and run[i + 1].lower() in {"la", "l'"} else i + 1
        return j < len(run) and (caps or run[j][0].isupper())

    starts = [i for i, w in enumerate(run) if w.lower() in {"de", "du", "des", "d'"} and named_next(i)]
    if run and proper(run[0]) and (not starts or not caps):
        particle, rest = [], run  # its name right after its kind: "Office de tourisme Brévannes Lacs & Forêts"
    elif not starts or (not caps and any(w[0].isupper() for w in run[: starts[0]])):
        return None
    else:
        start = starts[-1] if last else starts[0]
        particle = [run[start].lower()]
        rest = run[start + 1 :]
    if particle == ["de"] and rest and rest[0].lower() in {"la", "l'"}:
        particle.append(rest[0].lower())
        rest = rest[1:]
    name: list[str] = []
    for part in rest[:6]:
        bare = part.strip(",;:.()")
        if name and bare.lower() in _NAME_PARTICLES:
            name.append(bare.lower())
        elif proper(part):
            name.append("-".join(p.capitalize() for p in bare.split("-")) if bare.isupper() else bare)
        else:
            break
        if part != bare:
            break
    while name and name[-1] in _NAME_PARTICLES:
        name.pop()
    return " ".join(particle + name).replace("' ", "'") if name else None


def _commune_in(lines: list[str]) -> tuple[int, str] | None:
    """(position in the joined lines, name) of the first commune the head names."""
    offset = 0
    for index, line in enumerate(lines):
        for match in _COMMUNE_RE.finditer(line):
            # Only words with a capital (or all-caps particles) belong to the name.
            raw = match.group("name").strip()
            if not raw and index + 1 < len(lines):
                raw = " ".join(re.findall(r"^(?:[A-ZÀ-Ý][\w'’-]*\s*)+", lines[index + 1])[:1])
            name = _clean_commune(_cut_at_lowercase(raw))
            if name:
                return offset + match.start(), name
        offset += len(line) + 1
    return None


def _cut_at_lowercase(raw: str) -> str:
    kept = []
    for word in raw.split():
        if word[0].isupper() or word.lower() in _PARTICLES:
            kept.append(word)
        else:
            break
    return " ".join(kept)


# --- title of a council document ------------------------------------------------------------------
_GENERIC_FOLDERS = {
    "pdf",
    "pdfs",
    "doc",
    "docs",
    "data",
    "deliberations",
    "délibérations",
    "comptes_rendus",
    "comptes-rendus",
    "cr",
    "pv",
    "proces-verbaux",
    "documents",
    "uploads",
    "archives",
    "conseil",
    "conseil-municipal",
    "tmp",
}
_FOLDER_PARTICLES = {"sur", "sous", "de", "des", "du", "la", "le", "les", "en", "lès", "lez", "et", "aux", "au"}


# A body named at the head of a document, in any case, in a heading or in a sentence (folded): "commune d'...",
# "mairie de ...", "syndicat intercommunal de ...", "maison de retraite de ..." (wider than `_COMMUNE_RE` and
# `_GROUPING_RE`, which read a body's name off a heading; not "Département du Gard", which every commune's masthead
# writes)
_BODY_NAMED_RE = re.compile(
    r"\b(?:commune|ville|mairie|syndicat|communaute|metropole|regie|office|centre|pole|petr|"
    r"etablissement|maison de retraite|ehpad|ccas|cias|sivos|sivu|sivom|siaep|smictom|sdis|parc|societe|spl|association)\b"
    r"[^,.;]{0,30}?\b(?:de|d'|du|des)\b"
)


def commune_from_path(path: Path | None, pages: list[Page] | None = None) -> str | None:
    """The commune named by the nearest meaningful folder ("preuilly-sur-claise" -> "Preuilly-sur-Claise").

    Given the document's `pages`, a document whose head names a body ("Commune d'Auribal-le-Vieux", "Maison de
    retraite de Védrignac": a name the text was not read for) takes the folder's name only when it writes it: a user's
    "Benchmarks" or "Téléchargements" folder names no commune. A document naming no body ("CR du conseil municipal
    28 octobre 2022") is of the commune its folder names.

    >>> commune_from_path(Path("/srv/couthenans/cr.pdf"), [Page("CR du conseil municipal 28 octobre 2022", 1)])
    'Couthenans'
    >>> commune_from_path(Path("/srv/benchmarks/cr.pdf"), [Page("Commune d'Auribal-le-Vieux – PV", 1)]) is None
    True
    """
    if path is None:
        return None
    pages = pages or []
    head = pages[0].text.splitlines()[:FAR_HEAD_LINES] if pages else []
    named = any(_BODY_NAMED_RE.search(fold(line)) for line in head)
    written = " ".join(page.text for page in pages) if named else None
    for folder in list(path.resolve().parents)[:3]:
        name = folder.name.lower()
        if (
            len(name) < 4
            or name in _GENERIC_FOLDERS
            or any(ch.isdigit() for ch in name)
            or name.startswith(("tmp", "pytest"))
        ):
            continue
        if written is not None and not _writes_name(written, name):
            continue  # a folder of the user's, not the commune the document is of
        words = re.split(r"([-_ ])", name)
        pretty = "".join(
            w if w in "-_ " else (w if i and w in _FOLDER_PARTICLES else w.capitalize()) for i, w in enumerate(words)
        )
        return pretty.replace("_", "-").replace(" ", "-")
    return None


def _writes_name(text: str, name: str) -> bool:
    """Whether the text writes a folder's name as a proper noun, its first letter a capital: "Couthenans", not the
    word "main" of "à main levée" (a user's folder "/work/main").

    >>> _writes_name("COMMUNE DE PREUILLY SUR CLAISE", "preuilly-sur-claise"), _writes_name("à main levée", "main")
    (True, False)
    """
    words = fold_words(name).split()
    if not words:
        return False
    pattern = r"(?<![A-Za-z0-9])" + r"[^A-Za-z0-9]+".join(map(re.escape, words)) + r"(?![A-Za-z0-9])"
    return any(m.group(0)[0].isupper() for m in re.finditer(pattern, fold(text, keep_case=True), re.IGNORECASE))


def describe_council_document(
    pages: list[Page], source: str, *, path: Path | None = None, default_commune: str | None = None
) -> dict[str, Any]:
    """Commune, séance date and a readable title for a council PDF (empty values when unknown)."""
    commune = detect_commune(pages, source)
    date = detect_seance_date(pages, source)
    commune = commune or default_commune or commune_from_path(path, pages)
    name = Path(source).name
    parts = [p for p in (commune, french_date(date)) if p]
    title = " — ".join(parts + [name]) if parts else name
    return {
        "commune": commune or "",
        "date": date or "",
        "title": title,
        "body": detect_bodies(pages),
        "head": document_head(pages),
    }


HEAD_LINES = 3
HEAD_LINE_CHARS = 100


def _cut(line: str, limit: int) -> str:
    return line if len(line) <= limit else line[: limit + 1].rsplit(None, 1)[0]


# A line that only numbers its page: "3", "1 sur 2", "Page 2/6", "— 1 —", "p. 1 / 2", "folio 1 / 2"
_PAGE_NUMBER_LINE_RE = re.compile(
    r"(?i)[-—–\s]*(?:page|p\.|folio|feuillet)?\s*\d{1,3}\s*(?:(?:/|sur)\s*\d{1,3})?[-—–\s]*"
)
HEAD_CHARS = 240


EDGE_LINES = 2  # the lines at a page's top or bottom where a running header or footer sits


def line_key(raw: str) -> str:
    """A line as a repeated header, footer or stamp is told apart: folded, its digits aside."""
    return re.sub(r"\d+", "#", fold(" ".join(raw.split())))


def running_keys(pages: list[Page]) -> set[str]:
    """The lines (digits aside) at the top or bottom of every page of a document of several pages: its running
    header and footer ("SMICTOM du Haut-Velaunay – Comité syndical du 21 novembre 2023", "Publié le 24/11/2023 – 2 –")."""
    if len(pages) < 2:
        return set()
    edges: list[dict[str, str]] = []
    for page in pages:
        nonblank = [" ".join(raw.split()) for raw in page.text.splitlines() if raw.strip()]
        edges.append({line_key(raw): raw for raw in nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:]})
    common = set.intersection(*(set(edge) for edge in edges))
    # two pages may open alike by chance: there, a line numbering its page ("Publié le 24/11/2023 – 2 –") must show
    # that the lines they share are the page's furniture
    numbered = any(len({edge[key] for edge in edges}) == len(pages) for key in common)
    if len(pages) < 3 and not numbered:
        return set()
    return {key for key in common if len(key) >= MIN_RUNNING_CHARS}


MIN_RUNNING_CHARS = 12  # not a lone "-" or "Le Maire,"


def document_head(pages: list[Page]) -> str:
    """The first lines of the first page, which name the body and the document ("Maison de retraite publique de
    Védrignac – EHPAD « Les Jardins du Causse » Conseil d'administration – 10.12.2024"): a name a question gives the
    body by is often written there only.

    >>> document_head([Page("SDES – Syndicat départemental d'énergies\\n\\nBureau syndical\\nPrésents : M. A\\nOrdre du jour", 1)])
    "SDES – Syndicat départemental d'énergies Bureau syndical Présents : M. A"
    """
    lines = [line.strip() for page in pages[:1] for line in page.text.splitlines() if line.strip()]
    # (the page's furniture first: a running header repeated on every page, "1 sur 2")
    running = running_keys(pages)
    furniture = [
        i
        for i, line in enumerate(lines[:EDGE_LINES])
        if line_key(line) in running or _PAGE_NUMBER_LINE_RE.fullmatch(line)
    ]
    # (a long line goes on past the body's name: "Établissement public ... – membres : Castelvéran Agglomération, ...")
    lines = [_cut(line, HEAD_LINE_CHARS) for i, line in enumerate(lines) if i not in furniture][:HEAD_LINES]
    head = _squash(" ".join(lines))[:HEAD_CHARS]
    if (
        not _BODY_NAMED_RE.search(fold(head))
        and detect_commune(pages, "") is None
        and not any("conseil municipal" in fold(page.text) for page in pages)
    ):
        # a head of furniture (a webmail's bar, a sender): the body named further down, in the opening sentence ("...
        # voici le compte rendu de la réunion du bureau de l'Association foncière de remembrement" / "(AFR) de
        # Gourvillers du vendredi 7 mars 2025")
        # (not a town's: a town council's minutes whose town was not read keep their head, the other bodies they name
        # are not theirs; nor a town named: "Ville de Montpellier" under a deliberation's services)
        opening = (
            [line.strip() for line in pages[0].text.splitlines() if line.strip()][:FAR_HEAD_LINES] if pages else []
        )
        bodies_named = [(i, m) for i, line in enumerate(opening) for m in _BODY_NAMED_RE.finditer(fold(line))]
        named, found = next(((i, m) for i, m in bodies_named if not _TOWN_RE.match(m.group(0))), (None, None))
        if named is not None and found is not None:
            line = opening[named]
            at = found.start()  # (in the folded line: the original's offset that folds as far)
            said = line[next((k for k in range(len(line) + 1) if len(fold(line[:k])) >= at), 0) :]
            if named + 1 < len(opening):
                said = f"{said} {opening[named + 1]}"
            head = f"{head} {_cut(_squash(said), HEAD_LINE_CHARS)}"
    # A document about one matter writes it once, on its first page: "Objet : Réaménagement de la place du Mercadial et
    # des rues" / "adjacentes – marché de travaux allotis" (a tender committee's minutes, an extract): every passage is
    # about it. (A document with several "Objet :" lines, one per act, names no matter of the whole.)
    every = [line.strip() for page in pages for line in page.text.splitlines()]
    objets = [i for i, line in enumerate(every) if _OBJET_LINE_RE.match(line)]
    first = [line.strip() for line in pages[0].text.splitlines()] if pages else []
    if len(objets) == 1 and objets[0] < min(len(first), FAR_HEAD_LINES):
        at = objets[0]
        matter = every[at] + (f" {every[at + 1]}" if at + 1 < len(every) and every[at + 1][:1].islower() else "")
        head = f"{head} {_squash(matter)[:HEAD_CHARS]}"
    return head


_OBJET_LINE_RE = re.compile(r"^objet\s*:\s*\S", re.IGNORECASE)
_TOWN_RE = re.compile(r"(?:commune|ville|mairie)\b")  # a town named, folded


def detect_bodies(pages: list[Page]) -> str:
    """The deciding bodies (rag.bodies.ASSEMBLIES) the head of the first page names, ";"-joined: "conseil
    communautaire", "comite syndical;sivos"... ("" for a town council's minutes, which name none of them)."""
    head = fold(" ".join(_squash(line) for page in pages[:1] for line in page.text.splitlines()[:12]))
    return ";".join(body for body in bodies.ASSEMBLIES if re.search(rf"\b{re.escape(body)}\b", head))
