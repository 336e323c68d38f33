"""Rule-based splitting of council documents into deliberation records, with their metadata.

Three shapes of document are recognised from the text of their pages (pypdf `extract_text()`):

- an "extrait du registre des délibérations": one deliberation per PDF (number, séance, objet,
  rapporteur, "Le Conseil adopte.");
- a procès-verbal whose deliberations are numbered headings ("2020-045 CANTINE- TARIFS ...");
- a compte rendu with numbered agenda items ("1/ Convention RASED :") whose votes ("13 votes pour",
  "ADOPTÉ à l'unanimité.") each make one deliberation.

Unknown values stay None: a vote "adopté" without figures gives outcome "adopted" and no counts. The
commune and date come from ingest.seance, the votes from ingest.votes.
"""

from __future__ import annotations

import itertools
import logging
import re
from dataclasses import dataclass

from ingest.actes import infer_matiere
from ingest.decision_table import TableRow, table_rows
from ingest.seance import EDGE_LINES, _from_match, _squash, detect_commune, detect_seance_date, line_key, running_keys
from ingest.votes import (
    _ADOPTED_RE,
    _COUNT_RE,
    _ELECTED_RE,
    _REJECTED_RE,
    _UNANIMITY_PHRASE_RE,
    _UNANIMITY_RE,
    _analyse_votes,
    _report_vote,
    _Vote,
    count_column,
    counts_line,
    form_counts,
    labelled_counts,
    parse_counts,
)
from rag.articles import find_article_mentions
from rag.french import MONTH_PATTERN, fold
from rag.schema import DeliberationRecord, Page

logger = logging.getLogger(__name__)

SHAPE_EXTRACT = "extract"  # one deliberation per document
SHAPE_NUMBERED = "numbered"  # procès-verbal with numbered deliberations
SHAPE_REPORT = "report"  # compte rendu with agenda items and votes

# A record and the lines it was read from: [start, stop) indexes into the document's lines, that is the
# `splitlines()` of every page, pages in order.
_Span = tuple[DeliberationRecord, int, int]


# --- lines ----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Line:
    page: int
    raw: str
    text: str  # whitespace collapsed
    furniture: bool = False  # a page number, a running header or footer: blank here, left out of a record's text

    @property
    def blank(self) -> bool:
        return not self.text


def _to_lines(pages: list[Page]) -> list[_Line]:
    lines: list[_Line] = []
    running = running_keys(pages)
    for page in pages:
        page_lines = [_Line(page.page_number, raw.rstrip(), _squash(raw)) for raw in page.text.splitlines()]
        nonblank = [i for i, line in enumerate(page_lines) if not line.blank]
        # Page numbers ("3", "Page 2/6") at the top or bottom of a page are not text, nor a running header or
        # footer: a sentence that goes on over the page reads without it.
        for i in nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:]:
            text = page_lines[i].text
            if (
                text == str(page.page_number)
                or re.fullmatch(r"(?i)page \d+ ?/ ?\d+", text)
                or line_key(text) in running
            ):
                page_lines[i] = _Line(page.page_number, "", "", furniture=True)
        lines.extend(page_lines)
    return lines


def page_number_lines(pages: list[Page]) -> set[int]:
    """Indexes of the lines (as in record_spans) that only number their page: they belong to no record."""
    raw = [line for page in pages for line in page.text.splitlines()]
    return {i for i, line in enumerate(_to_lines(pages)) if line.blank and raw[i].strip()}


def _span_pages(lines: list[_Line]) -> tuple[int, int]:
    content = [line.page for line in lines if not line.blank]
    if not content:
        return (lines[0].page if lines else 0, lines[-1].page if lines else 0)
    return (content[0], content[-1])


def _join(lines: list[_Line]) -> str:
    return re.sub(r"\n{3,}", "\n\n", "\n".join(line.raw for line in lines if not line.furniture)).strip()


# --- visas ----------------------------------------------------------------------------------------
_VU_START_RE = re.compile(r"^[-•*–\s]*vu\b", re.IGNORECASE)
_CLAUSE_START_RE = re.compile(
    r"^[-•*–\s]*(?:vu|consid[ée]rant|apr[èe]s|le conseil|les membres|d[ée]cide|entendu|sur (?:la )?proposition)\b",
    re.IGNORECASE,
)


def _visa_articles(lines: list[_Line]) -> list[str]:
    """Articles cited in the "Vu ..." paragraphs (a visa runs until a blank line or the next clause)."""
    found: list[str] = []
    inside = False
    for line in lines:
        if _VU_START_RE.match(line.text):
            inside = True
        elif line.blank or _CLAUSE_START_RE.match(line.text):
            inside = False
        if inside:
            for article in find_article_mentions(line.text):
                if article not in found:
                    found.append(article)
    return found


def _rapporteur(lines: list[_Line]) -> tuple[str | None, int | None]:
    for index, line in enumerate(lines):
        match = re.match(r"^[-•\s]*(.{3,90}?)[,\s]+rapporte\s*:", line.text)
        if match:
            return (match.group(1).strip(" ,"), index)
        match = re.match(r"^rapporteur\s*:\s*(.{3,90})$", line.text, re.IGNORECASE)
        if match:
            return (match.group(1).strip(" ,."), index)
    return (None, None)


# --- members --------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Members:
    en_exercice: int | None = None
    presents: int | None = None
    representes: int | None = None
    votants: int | None = None


def _members(lines: list[_Line]) -> _Members:
    members = _Members()
    for line in lines:
        folded = fold(line.text)
        patterns = (
            ("en_exercice", r"\ben exercice\s*:?\s*(\d{1,3})\b|\b(\d{1,3})\s+(?:conseillers|membres) en exercice\b"),
            ("presents", r"\bpresents?\s*:?\s*(\d{1,3})\b"),
            ("representes", r"\b(?:representes?|pouvoirs?|procurations?)\s*:\s*(\d{1,3})\b"),
            ("votants", r"\bvotants?\s*:?\s*(\d{1,3})\b"),
        )
        for name, pattern in patterns:
            match = re.search(pattern, folded)
            if match and getattr(members, name) is None:
                setattr(members, name, int(next(g for g in match.groups() if g)))
    return members


# --- shape (a): one deliberation per document --------------------------------------------------------
_EXTRACT_ID_RE = re.compile(r"^n°\s*(\d{4})\s*/\s*(\d{1,4})\b", re.IGNORECASE)
_GENERIC_ID_RE = re.compile(r"\bd[ée]lib[ée]ration\s+n°\s*([0-9]{2,4}\s*[-/_.]\s*[0-9]{1,4}[A-Z]?)", re.IGNORECASE)


def _extract_records(lines: list[_Line], base: DeliberationRecord) -> list[_Span]:
    record = _new(base)
    head = lines[:80]
    for line in head:
        match = _EXTRACT_ID_RE.match(line.text)
        if match:
            record.delib_id = f"{match.group(1)}/{match.group(2)}"
            break
    else:
        for line in head:
            match = _GENERIC_ID_RE.search(line.text)
            if match:
                record.delib_id = re.sub(r"\s+", "", match.group(1))
                break
        else:  # a heading line "Délibération n° CP-2019-11-045"
            for line in head:
                match = _EXTRACT_NUMBER_RE.match(line.text.strip())
                if match:
                    record.delib_id = match.group(1).rstrip(".-")
                    break
    rapporteur, at = _rapporteur(lines)
    record.rapporteur = rapporteur
    if at is not None:
        record.objet = _block_before(lines, at)
    else:
        for i, line in enumerate(head):
            match = re.match(r"^objet\s*:\s*(.+)$", line.text, re.IGNORECASE)
            if match:
                record.objet = match.group(1).strip()
                nxt = head[i + 1] if i + 1 < len(head) else None
                if nxt is not None and not nxt.blank and _CONTINUED_RE.search(record.objet):
                    record.objet = f"{record.objet} {nxt.text}"  # "… « Les Cardounes » –" / "création d'un parking"
                break
    body = lines[at:] if at is not None else lines
    statements = [_closed(body, i) for i, line in enumerate(body) if _is_extract_vote(line.text)]
    if not statements:  # only the counts box beside the text: "Vote" / "Pour 14" / "Contre 0" / "Abstention 0"
        statements = _counts_column(lines[:80])
    vote = _analyse_votes(statements, _join(body), decision_fallback=False)
    _apply_vote(record, vote)
    record.articles_vises = _visa_articles(body)
    record.page_start, record.page_end = _span_pages(lines)
    record.text = _join(lines)
    return [(_finish(record), 0, len(lines))]


_EXTRACT_HEAD_RE = re.compile(r"\bextrait du registre des deliberations\b")
CLOSING_LINES = 3  # how many lines a vote's bracket (who voted against, who abstained) may run on over


def _closed(lines: list[_Line], i: int) -> str:
    """Line i, with the next lines while a bracket it opens is not closed: "par 11 voix pour, 1 voix contre (M. Alain"
    / "MAZIÈRES) et 1 abstention (Mme Sandrine LAPARRE),": who voted so is part of the vote."""
    text = lines[i].text
    for line in lines[i + 1 : i + 1 + CLOSING_LINES]:
        if text.count("(") <= text.count(")") or line.blank:
            break
        text = f"{text} {line.text}"
    return text


_COUNT_CELL_RE = re.compile(r"^(pour|contre|abstentions?)\s*:?\s*(\d{1,3})$", re.IGNORECASE)


def _counts_column(lines: list[_Line]) -> list[str]:
    """The vote of a counts box whose cells come out one per line ("Pour 14" / "Contre 0" / "Abstention 0"), as one
    statement "Pour : 14 – Contre : 0 – Abstention : 0" ([] when the lines hold no such box)."""
    cells = [m for line in lines if (m := _COUNT_CELL_RE.match(line.text))]
    labels = [fold(m.group(1))[:6] for m in cells]
    if len(cells) < 2 or len(set(labels)) != len(labels) or not {"pour", "contre"} <= set(labels):
        return []
    return [" – ".join(f"{m.group(1)} : {m.group(2)}" for m in cells)]


def _extracts(lines: list[_Line]) -> list[tuple[int, int]]:
    """The [first, last) line ranges of the extracts a file holds: one, or several when the heading "EXTRAIT DU
    REGISTRE DES DÉLIBÉRATIONS" starts again with another deliberation number (a département's commission
    permanente files its day's deliberations together, each on new pages)."""
    heads = [i for i in range(len(lines)) if _extract_head_at(lines, i)]
    bounds = [0] + [_masthead_start(lines, head, after) for after, head in itertools.pairwise(heads)] + [len(lines)]
    if len(heads) >= 2:
        # the first extract starts where the others do: at the masthead they all repeat above their heading
        # ("CENTRE HOSPITALIER DE VAUDELANNE" / "Établissement public de santé – Vaudelanne"), not at the file's top,
        # which may hold what is no extract's (the recap table of a signature workflow's export: each row names
        # another act)
        bounds[0] = _first_extract_start(lines, heads[0], heads[1])
    ranges = list(itertools.pairwise(bounds))
    ids = [
        {m.group(1) for line in lines[first:last] if (m := _EXTRACT_NUMBER_RE.search(line.text))}
        for first, last in ranges
    ]
    if len(ranges) < 2 or not all(ids) or len(set().union(*ids)) < len(ranges):
        return [(0, len(lines))]
    return ranges


def _first_extract_start(lines: list[_Line], head: int, later: int) -> int:
    """Where the first of several extracts starts, given the headings of the first and the second: above the first
    heading, the lines the second repeats above its own (their shared masthead); the file's top when none is
    repeated (the first extract's own masthead, as before)."""
    shared = 0
    while (
        shared < MASTHEAD_LINES
        and head - shared - 1 >= 0
        and later - shared - 1 > head
        and not lines[head - shared - 1].blank
        and line_key(lines[head - shared - 1].text) == line_key(lines[later - shared - 1].text)
    ):
        shared += 1
    return head - shared if shared else 0


def _extract_head_at(lines: list[_Line], i: int) -> bool:
    """Whether the heading "EXTRAIT DU REGISTRE DES DÉLIBÉRATIONS" starts on line i, whole or set over the next
    lines ("EXTRAIT DU REGISTRE" / "DES DÉLIBÉRATIONS" / "DU CONSEIL MUNICIPAL")."""
    first = fold(lines[i].text)
    if not first.startswith("extrait"):
        return False
    following = [line.text for line in lines[i + 1 : i + 6] if not line.blank][:2]
    return bool(_EXTRACT_HEAD_RE.search(fold(" ".join([lines[i].text, *following]))))


_MASTHEAD_RE = re.compile(r"^(?:accuse de reception|republique francaise\b)")
MASTHEAD_LINES = 20  # how far above an extract's heading its masthead (the prefecture's stamp, the Republic) starts


def _masthead_start(lines: list[_Line], head: int, previous: int) -> int:
    """Where the extract whose heading is on line `head` starts: at its masthead, when the prefecture's receipt
    stamp or "RÉPUBLIQUE FRANÇAISE" stands just above the heading (the stamp of the next page's deliberation is at
    the end of this page's text), never before the previous extract's heading."""
    for i in range(max(previous + 1, head - MASTHEAD_LINES), head):
        if _MASTHEAD_RE.match(fold(lines[i].text)):
            return i
    return head


_EXTRACT_NUMBER_RE = re.compile(r"\bd[ée]lib[ée]ration\s+n°\s*([A-Z]{0,3}-?[0-9][0-9A-Z/_.-]*)", re.IGNORECASE)


def _is_extract_vote(text: str) -> bool:
    folded = fold(text)
    if labelled_counts(text):
        return True  # "Vote : Pour 4 · Contre 10 · Abstention 1 (M. X) · Rejetée"
    if re.match(r"^(?:le conseil (?:municipal )?(?:adopte|rejette|approuve)|adopte|rejete)\b", folded):
        return True
    return bool(re.search(r"\b(?:voix|votes?)\b", folded) and _COUNT_RE.search(text)) or bool(
        re.search(r"\ba l'unanimite\b", folded) and re.search(r"\b(?:adopt|conseil)", folded)
    )


def _block_before(lines: list[_Line], index: int) -> str | None:
    """The last paragraph (lines between blank lines) before lines[index]: the title of an extract."""
    block: list[str] = []
    i = index - 1
    while i >= 0 and lines[i].blank:
        i -= 1
    while i >= 0 and not lines[i].blank:
        block.insert(0, lines[i].text)
        i -= 1
    # "Règlement d'attribution ... à de jeunes actifs:" + blank line + "« Clé Montpellier Logement GRL »"
    while i >= 0 and lines[i].blank:
        i -= 1
    if i >= 0 and lines[i].text.endswith(":") and not re.match(r"(?i)^(absents?|pr[ée]sents?)\b", lines[i].text):
        previous: list[str] = []
        while i >= 0 and not lines[i].blank:
            previous.insert(0, lines[i].text)
            i -= 1
        block = previous + block
    title = _squash(" ".join(block))
    if not title or re.match(r"(?i)^(absents?|pr[ée]sents?)\b", title) or len(title) > 400:
        return None
    return title


# --- shape (b): numbered deliberations ------------------------------------------------------------
# ("DCM 2024-141 Centre aquatique – Tarifs": the acronym a town numbers its council's deliberations with, before the
# number: délibération du conseil municipal, communautaire, syndical ...)
_NUMBERED_RE = re.compile(
    r"^(?:(?i:d[ée]lib[ée]ration|acte)\s*)?(?:[Nn]°\s*(?P<prefix>[A-Z]{1,4}-)?|(?P<acronym>DCM|DCC|DCS|DEL|DELIB|DB|DC|CM|CC|CS|CA|CP)[\s_-]+(?:[Nn]°\s*)?)?"
    r"(?P<year>(?:19|20)\d{2})\s*[-/]\s*(?P<num>\d{1,3})"
    r"(?![\d/-])\s*[-–:.)]?\s*"
    r"(?P<title>[A-ZÀ-Ý].*)$"
)
_END_RE = re.compile(
    r"^(?:questions diverses|la seance est levee|seance levee|fin de (?:la )?seance|l'ordre du jour etant epuise)",
)
# A section of information or an annex after the last deliberation ("IV. INFORMATIONS", "ANNEXE – Programme ...")
_LAST_END_RE = re.compile(r"^(?:[ivx]{1,4}\s*[.)\-–]\s*)?(?:i\s?nformations?|questions diverses)\b|^annexes?\b")
_CONTINUED_RE = re.compile(
    r"(?:[:\-–,]|\b(?:a|à|de|des|du|la|le|les|et|pour|au|aux|d'|l'|sur|en)|\bn\s?°)$", re.IGNORECASE
)  # ("(parcelle AK n°" / "208)")
# A title cut inside a date: "applicable au 1er janvier" / "2024" (on folded text)
_MONTH_END_RE = re.compile(rf"\b(?:{MONTH_PATTERN})$")


# "Délibération n° 2023-117" alone on its line, its title on the next one (in capitals, often); after the code of
# the item or card that carries it: "FI 2025-04 · délibération n° 2025-04" (a fiche d'intervention)
_NUMBER_LINE_RE = re.compile(
    r"^(?:(?P<code>[A-Z]{1,5})\s+(?:19|20)\d{2}\s*[-/]\s*\d{1,3}\s*[·•|–-]\s*)?"
    r"(?i:d[ée]lib[ée]ration)\s+(?:[Nn]°\s*)?(?P<year>(?:19|20)\d{2})\s*[-/]\s*(?P<num>\d{1,3})\s*$"
)
# A form's label of the deliberation's number, its value on the next line: "N° DE DÉLIBÉRATION" / "D2025-21" (folded)
_FORM_NUMBER_LABEL_RE = re.compile(r"^(?:n\s?°?|no|numero)\s+(?:de\s+(?:la\s+)?)?deliberation\s*:?$")
_FORM_NUMBER_RE = re.compile(r"^(?P<prefix>[A-Z]{1,4})?\s*-?\s*(?P<year>(?:19|20)\d{2})\s*[-/]\s*(?P<num>\d{1,3})$")
# The code alone ("FI 2025-09"), its title on the next line: an item of the same series that no deliberation
# carries (withdrawn, adjourned), when other items of the document carry the code beside their deliberation
_CODE_LINE_RE = re.compile(r"^(?P<code>[A-Z]{1,5})\s+(?P<year>(?:19|20)\d{2})\s*[-/]\s*(?P<num>\d{1,3})\s*$")


# A decision taken by delegation, dated on its heading: "DÉCISION N° 2024-D-011 3 avril 2024", "DÉCISION DU BUREAU
# N° 2024-B-07 20 juin 2024", "Décision du Maire n° 2023-D-05 du 12 mai 2023" (its objet on the next line; folded);
# a mayor's order, dated where it is signed: "ARRÊTÉ N° 2021-A-061" / "portant ..." ... "Fait à ..., le 2 juillet 2021"
_DECISION_LINE_RE = re.compile(
    r"^(?:decision(?:\s+(?:du|de\s+la)\s+(?:bureau|presidente?|maire))?|arrete(?:\s+(?:du\s+maire|municipal))?)"
    r"\s+(?:n°?|no|numero)\s*"
    r"(?:(?P<year>(?:19|20)\d{2})\s*-\s*(?P<letter>[a-z]{1,2})\s*-\s*(?P<num>\d{1,3})"
    # (the letter first: "Décision n° D-2025-07 du 10 mars 2025")
    r"|(?P<first>[a-z]{1,2})\s*-\s*(?P<fyear>(?:19|20)\d{2})\s*-\s*(?P<fnum>\d{1,3}))"
    rf"(?:\s+(?:du\s+)?(?P<day>\d{{1,2}}|1er)\s+(?P<month>{MONTH_PATTERN})\s+(?P<dyear>(?:19|20)\d{{2}}))?\s*$"
)


# Where an act is signed: "Fait à Aurignol-sur-Vionne, le 2 juillet 2021" (folded)
_SIGNED_RE = re.compile(
    rf"^fait a [^,]{{2,60}},? le (?:\w+ )?(?P<day>\d{{1,2}}|1er) (?P<month>{MONTH_PATTERN}) (?P<year>(?:19|20)\d{{2}})\b"
)
# A séance's own heading inside a document that reports several: "Séance du jeudi 8 juillet 2021 – 15 présents, ..."
# (a capital S opening the line: "de la séance du 24 ..." inside a sentence is no heading)
_SEANCE_LINE_RE = re.compile(
    rf"^seance du (?:\w+ )?(?P<day>\d{{1,2}}|1er) (?P<month>{MONTH_PATTERN}) (?P<year>(?:19|20)\d{{2}})\b"
)


def _seance_headings(lines: list[_Line]) -> list[tuple[int, str | None]]:
    """(line, date) of each "Séance du ..." heading of a document that reports several séances (a recueil des actes,
    a bulletin); empty when it reports one (its deliberations have the document's date)."""
    found = [
        (i, m)
        for i, line in enumerate(lines)
        if line.text.lstrip()[:1] == "S" and (m := _SEANCE_LINE_RE.match(fold(line.text.strip())))
    ]
    if len({m.group(0) for _, m in found}) < 2:
        return []
    return [(i, _from_match(m["day"], m["month"], m["year"])) for i, m in found]


def _own_date(lines: list[_Line], start: int, stop: int, seances: list[tuple[int, str | None]]) -> str | None:
    """The date of a numbered act read from its own lines or the heading of its séance: the act of a mayor or a
    president where it is signed ("Fait à ..., le 2 juillet 2021"); a deliberation of a document reporting several
    séances (`_seance_headings`), the date of the last heading above it; None otherwise."""
    if _DECISION_LINE_RE.match(fold(lines[start].text.strip())):
        for line in lines[start + 1 : stop]:
            if m := _SIGNED_RE.match(fold(line.text.strip())):
                return _from_match(m["day"], m["month"], m["year"])
        return None
    return next((date for i, date in reversed(seances) if i < start), None)


def _numbered_headings(lines: list[_Line]) -> list[tuple[int, str, str]]:
    return [(i, number, title) for i, number, title, _ in _dated_headings(lines)]


def _dated_headings(lines: list[_Line]) -> list[tuple[int, str, str, str | None]]:
    """(line, number, title, date written on the heading) of each numbered deliberation or decision."""
    headings: list[tuple[int, str, str, str | None]] = []
    codes = {m["code"] for line in lines if (m := _NUMBER_LINE_RE.match(line.text.strip())) and m["code"]}
    for i, line in enumerate(lines):
        if (m := _DECISION_LINE_RE.match(fold(line.text.strip()))) and i + 1 < len(lines) and not lines[i + 1].blank:
            if m["year"]:
                number = f"{m['year']}-{m['letter'].upper()}-{int(m['num']):03d}"
            else:
                number = f"{m['first'].upper()}-{m['fyear']}-{int(m['fnum']):03d}"
            date = _from_match(m["day"], m["month"], m["dyear"]) if m["day"] else None  # "3 avril 2024"
            headings.append((i, number, lines[i + 1].text.strip(), date))
        elif m := _NUMBERED_RE.match(line.text):
            title = m.group("title")
            after = next((other.text for other in lines[i + 1 : i + 3] if not other.blank), "")
            if re.match(r"Rapporteur\s*:", title) and re.match(r"Objet\s*:", after):
                title = after  # "N° CA-2021-061 Rapporteur : M. ..." then "Objet : Fixation du montant ..."
            headings.append((i, _heading_number(m), title, None))
        elif (m := _NUMBER_LINE_RE.match(line.text.strip())) and i + 1 < len(lines) and not lines[i + 1].blank:
            headings.append((i, _heading_number(m), lines[i + 1].text.strip(), None))
        elif (
            _FORM_NUMBER_LABEL_RE.match(fold(line.text.strip()))
            and i + 2 < len(lines)
            and (m := _FORM_NUMBER_RE.match(lines[i + 1].text.strip()))
        ):
            # a form's field: "N° DE DÉLIBÉRATION" / "D2025-21" / "OBJET" / "Tarifs de location ..." (the title under
            # its own label, when the form gives one)
            at = i + 3 if fold(lines[i + 2].text.strip()) == "objet" and i + 3 < len(lines) else i + 2
            number = f"{m['prefix']}-" if m["prefix"] else ""
            headings.append((i, f"{number}{m['year']}-{int(m['num']):03d}", lines[at].text.strip(), None))
        elif (
            (m := _CODE_LINE_RE.match(line.text.strip()))
            and m["code"] in codes
            and i + 1 < len(lines)
            and not lines[i + 1].blank
        ):
            headings.append((i, f"{m['code']}-{m['year']}-{int(m['num']):03d}", lines[i + 1].text.strip(), None))
    return headings


def _heading_number(match: re.Match[str]) -> str:
    """ "CA-2021-061", "2023-117": the prefix a body numbers its acts with, the year, the number on three digits."""
    groups = match.groupdict()
    prefix = groups.get("prefix") or (f"{groups['acronym']}-" if groups.get("acronym") else "")
    return f"{prefix}{match.group('year')}-{int(match.group('num')):03d}"


def _numbered_records(lines: list[_Line], base: DeliberationRecord) -> list[_Span]:
    headings = _dated_headings(lines)
    first = headings[0][0]
    end = next((i for i in range(first + 1, len(lines)) if _END_RE.match(fold(lines[i].text))), len(lines))
    headings = [h for h in headings if h[0] < end]
    last = headings[-1][0] if headings else first
    end = next((i for i in range(last + 1, end) if _LAST_END_RE.match(fold(lines[i].text))), end)
    # An agenda or a closing list repeats the numbers without a body: keep, for each number, the
    # occurrence with the longest body.
    spans: dict[str, tuple[int, int, str, str | None]] = {}
    for k, (start, delib_id, title, date) in enumerate(headings):
        stop = headings[k + 1][0] if k + 1 < len(headings) else end
        size = sum(len(line.text) for line in lines[start + 1 : stop])
        if size == 0:
            continue
        if delib_id not in spans or size > spans[delib_id][1] - spans[delib_id][0]:
            spans[delib_id] = (start, stop, title, date)
    records = []
    seances = _seance_headings(lines)
    for delib_id, (start, stop, title, date) in sorted(spans.items(), key=lambda item: item[1][0]):
        body = lines[start:stop]
        record = _new(base)
        record.delib_id = delib_id
        # (a decision taken by delegation: its own date, no séance's; an order: where it is signed)
        record.date = date or _own_date(lines, start, stop, seances) or record.date
        objet = _squash(title)
        nxt = body[1] if len(body) > 1 else None
        if (
            nxt is not None
            and not nxt.blank
            and (_CONTINUED_RE.search(objet) or _MONTH_END_RE.search(fold(objet)) or len(title) > 85)
        ):
            objet = f"{objet} {nxt.text}"
        record.objet = re.sub(r"^objet\s*:\s*", "", objet.strip(" :-–"), flags=re.IGNORECASE)
        record.rapporteur, _ = _rapporteur(body)
        statements: list[str] = []
        last = -2
        for index, line in enumerate(body):
            if index == last + 1 and _goes_on(statements[-1]) and not line.blank:
                # "Vote : 13 pour – 3 contre (M. Xavier GOURDOU, Mme Inès" / "FALGAYRAC, M. Jérôme MÉJEAN)": the names
                statements[-1] = f"{statements[-1]} {line.text}"
                last = index
                continue
            if index <= last:
                continue  # (a vote panel's line, read with its column)
            if fields := form_counts([other.text for other in body[index : index + 2 * MAX_COLUMN_LINES + 2]]):
                # a form's vote boxes, each label over its value: "VOTANTS" / "08" / "POUR" / "07" / "CONTRE" / "01",
                # then the result ticked: "RÉSULTAT" / "☒ Adoptée ☐ Rejetée ☐ Ajournée ☐ Retirée"
                statement, size = fields
                statements.append(statement)
                last = index + size - 1
                continue
            if size := count_column([other.text for other in body[index : index + MAX_COLUMN_LINES]]):
                # a vote panel: "Pour 14" / "Contre 4" / "Abstention 2", then maybe "Votants : 20 — ADOPTÉ"
                end = index + size
                if end < len(body) and len(body[end].text) <= MAX_OUTCOME_LINE * 2:
                    end += bool(_ADOPTED_RE.search(fold(body[end].text)) or _REJECTED_RE.search(fold(body[end].text)))
                statements.append("\n".join(other.text.strip() for other in body[index:end]))
                last = end - 1
                continue
            if not _is_numbered_vote(line.text):
                continue
            if index == last + 1 and not statements[-1].rstrip().endswith((".", ")", ";")):
                statements[-1] = f"{statements[-1]} {line.text}"  # one vote over two lines
            elif index and _COUNT_CUT_RE.search(body[index - 1].text):
                # "... est soumise au vote. Rejetée par 7 voix" / "pour, 10 voix contre et 1 abstention."
                cut = re.split(r"(?<=[a-zà-ÿ)])\.\s+", body[index - 1].text)[-1]
                statements.append(f"{cut} {line.text}")
            else:
                statements.append(line.text)
            last = index
        if not any(_UNANIMITY_RE.search(fold(st)) or _COUNT_RE.search(st) for st in statements):
            # "délibéré et voté à\nl'unanimité": the phrase can straddle a line break (not a recital's "Considérant
            # que le Conseil a décidé, à l'unanimité, de ne pas procéder au scrutin secret")
            said = " ".join(line.text for line in body if not _RECITAL_LINE_RE.match(fold(line.text)))
            joined = _UNANIMITY_PHRASE_RE.search(_squash(said))
            if joined:
                statements.append(joined.group(0))
        _apply_vote(record, _analyse_votes(statements, _join(body), decision_fallback=True))
        record.articles_vises = _visa_articles(body)
        record.page_start, record.page_end = _span_pages(body)
        record.text = _join(body)
        records.append((_finish(record), start, stop))
    return records


# A vote box with the label before the count: "Votants : 38 – Pour : 35 – Contre : 1 – Abstentions : 2".
_LABELLED_COUNTS_RE = re.compile(r"\bpour\s*:\s*\d{1,3}\b.*\bcontre\s*:\s*\d{1,3}\b")


# A recital of the act ("Vu ...", "Considérant que ..."): why the body decides, not its vote (folded)
_RECITAL_LINE_RE = re.compile(r"^\W*(?:vu|considerant)\b")


# A count of votes cut from what it counts by a line break: "Rejetée par 7 voix" / "pour, ..."
_COUNT_CUT_RE = re.compile(r"\b\d{1,3}\s+voix$")


def _is_numbered_vote(text: str) -> bool:
    folded = fold(text)
    if _RECITAL_LINE_RE.match(folded):
        return False  # "Considérant que le Conseil a décidé, à l'unanimité, de ne pas procéder au scrutin secret"
    if re.search(r"\ba l'unanimite\b", folded) or _LABELLED_COUNTS_RE.search(folded) or labelled_counts(text):
        return True  # ("Vote : Pour 11 · Contre 3 (...) ·": the labels first, without colons)
    if re.match(r"(?:resultat du )?vote\s*:\s*(?:unanimite|\d)", folded):
        return True  # "Vote : unanimité (16 voix)", "Vote : 14 pour – 2 abstentions"
    if re.match(r"(?:retiree?s?|ajournee?s?|reportee?s?)\W*pas de vote\b", folded):
        return True  # "AJOURNÉ – pas de vote": the item's outcome, no decision
    if _COUNT_RE.search(text) and re.search(r"\b(?:voix|votes?|par)\b", folded):
        return True
    return bool(re.match(r"^(?:adopte|rejete|le conseil (?:municipal )?(?:adopte|rejette))\b", folded))


# --- shape (c): reports with agenda items ---------------------------------------------------------
_ROMAN = {
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "VI": 6,
    "VII": 7,
    "VIII": 8,
    "IX": 9,
    "X": 10,
    "XI": 11,
    "XII": 12,
    "XIII": 13,
    "XIV": 14,
    "XV": 15,
}
# "3. Tarifs", "IV – Budget", "Point n° 2 – Tarifs des redevances", "Point n°4 — Réhabilitation ..." (the word
# "Point" before the number)
_ITEM_RE = re.compile(
    r"^(?:(?i:point|question|affaire|dossier|rapport)\s+(?:n\s?°\s*)?)?"
    r"(?P<num>\d{1,2}|[IVX]{1,4})(?:\s*[/.)\-–—:]\s*|\s+)(?P<title>[A-ZÀ-Ý].*)$"
)
# A decision that names the agenda item it settles: "DÉCISION DU COMITÉ – POINT 2" above "✔ Adopté – 18 pour / 1
# contre" (folded)
_POINT_NAMED_RE = re.compile(r"\bpoint\s+(?:n\s?°\s*)?(\d{1,2})\b")
# "PREMIÈRE RÉSOLUTION", "Deuxième délibération" alone on their line (folded), the title on the next one
_ORDINALS = (
    "premiere", "deuxieme", "troisieme", "quatrieme", "cinquieme", "sixieme", "septieme", "huitieme", "neuvieme",
    "dixieme", "onzieme", "douzieme", "treizieme", "quatorzieme", "quinzieme",
)  # fmt: skip
_ORDINAL_ITEM_RE = re.compile(rf"^({'|'.join(_ORDINALS)}) (?:resolution|deliberation|question|point)$")
# The hour a timed procès-verbal writes before each item ("18 h 10 POINT 1 ...", "20:05 ...")
_CLOCK_RE = re.compile(r"^\d{1,2}\s?[hH:]\s?\d{2}\s+(?=\S)")
_NAMED_VOTERS_RE = re.compile(r"\b(?:celles?|ceux) d(?:e|u|es)\b[^.;]*$")  # "..., celles de M. X" (folded)
_COUNT_WORD_RE = re.compile(r"\s*(?:voix\s+)?(?:pour|contre|abstentions?)\b")  # "... 0 contre, 2" / "abstentions."
# A vote after the sentence that decides, on the same line ("... du réseau de distribution. Vote :" / "unanimité ...")
# ("... reste inchangée. La délibération est adoptée par dix-huit voix pour ...": minutes in prose)
_INLINE_VOTE_RE = re.compile(
    r"(?<=[.;!])\s+(?=(?:vote|r[ée]sultat du vote)\s*:"
    r"|la (?:r[ée]solution|d[ée]lib[ée]ration|proposition|motion)\b[^.;]{0,60}?\b(?:est (?:adopt|rejet|approuv)|recueille\b))",
    re.IGNORECASE,
)
# An outcome in a sentence of its own, opening the line or after another sentence: "Approuvé à l'unanimité des 6
# votants.", "Adopté à l'unanimité", "Adoptée par 12 voix ...", "Unanimité (7 voix)."
_SENTENCE_VOTE_RE = re.compile(
    r"(?:^|(?<=[.;!])\s+)(?P<vote>(?:(?:adopt|approuv|rejet)[ée]e?s?\s+(?:[àa]\s+l['’]\s?unanimit[ée]|par\s+\d{1,3}\s+voix)"
    r"|unanimit[ée]\s*\(\s*\d{1,3}\s+voix\s*\)).*)$",
    re.IGNORECASE,
)
# "RAPPORT N° 2", "POINT 3" alone on their line (folded), the title on the next one
_NAMED_ITEM_LINE_RE = re.compile(r"^(?:point|question|affaire|dossier|rapport)\s+(?:n\s?°?\s*)?(\d{1,2})\s*[:.–-]?$")
# "Philippe SAUREL 6. ZAC Port Marianne ...", "Philippe SAUREL 2 Pôle d'Echanges ...": the rapporteur's name
# in a column before the item number (with or without its dot; the numbers must follow each other).
_RAPPORTEUR_ITEM_RE = re.compile(
    r"^(?P<who>(?:(?:M\.|Mme|Monsieur|Madame)\s+)?[A-ZÀ-Ý][\w'’-]+(?:\s+[A-ZÀ-Ý][\w'’-]+){0,3}|M(?:me|\.)? le Maire)"
    r"\s+(?P<num>\d{1,2})\.?\s+(?P<title>[A-ZÀ-Ý].*)$"
)
# "2.1 Tarifs", "B / Budget", "b) Dénomination des voies ..." under "II. URBANISME"
_SUBITEM_RE = re.compile(
    r"^(?:(?P<n>\d{1,2})\.(?P<m>\d{1,2})\s+|(?P<letter>[A-Z])\s*/\s*|(?P<small>[a-h])\)\s*)(?P<title>[A-ZÀ-Ý].*)$"
)
# What a vote column writes under the vote: who voted against or abstained, who left ("C : M. LABARTHÈTE, Mme" /
# "PRUNIÈRES", "abst. : Mme DALBIÈS", "13 votants (M. R. VIDOUZE sorti)", "(trésorière du football club)")
_VOTE_DETAIL_RE = re.compile(
    r"^(?:(?:c|p|a|contre|pour|abst\.?|abstentions?|ne prend pas part au vote)\s*:|\d{1,3}\s+votants\b|\("
    r"|(?:ont vote (?:contre|pour)|s'est abstenue?|se sont abstenue?s)\s*:)",
    re.IGNORECASE,
)
_GENERIC_LABEL_RE = re.compile(r"^(?:r[ée]sultat du vote|vote|d[ée]cision|nota|avis)$", re.IGNORECASE)


@dataclass(slots=True)
class _ReportVote:
    index: int  # line index of the vote
    written: str  # the vote as written
    statement: str  # what the counts are read from
    label: str | None
    item: int  # index into the items list
    section: str  # title of the item or sub-item
    section_start: int  # line of the heading of that item or sub-item
    start: int  # first line after the previous vote or heading
    end: int = -1  # last line of the vote with what is written under it (`_with_details`; the vote's line if none)

    def __post_init__(self) -> None:
        if self.end < 0:
            self.end = self.index


_COUNTED_ROW_RE = re.compile(r"^\d{1,2}\s+[A-ZÀ-Ý].*\s\d{1,3}$")


def _counted_rows(lines: list[_Line]) -> set[int]:
    """The lines of a run of numbered rows each ending with a count, two or more in a row ("1 Nombre de délégués en
    exercice 14" / "2 Nombre de délégués présents 12"): an election form's table, not item headings (a heading alone
    may end with a number: "44 Centre d'Arts Contemporains ... Relance du lot 14")."""
    rows = [i for i, line in enumerate(lines) if not line.blank and _COUNTED_ROW_RE.match(line.text)]
    nonblank = [i for i, line in enumerate(lines) if not line.blank]
    following = dict(itertools.pairwise(nonblank))
    run = {i for i in rows if following.get(i) in rows}
    return run | {following[i] for i in run}


@dataclass(slots=True)
class _Item:
    title: str
    start: int
    rapporteur: str | None = None


def _report_records(lines: list[_Line], base: DeliberationRecord) -> list[_Span]:
    items: list[_Item] = []
    expected = 1
    sub_expected: tuple[int, int] | None = None
    section, section_start = "", 0
    segment_start = 0
    votes: list[_ReportVote] = []
    counted_rows = _counted_rows(lines)
    vote_ends: dict[int, int] = {}  # a vote written after its sentence and over the lines below: its last line
    skipped = -1
    for index, line in enumerate(lines):
        if line.blank:
            continue
        found = _report_vote(line.text)
        nxt = lines[index + 1] if index + 1 < len(lines) else None
        if found is None and nxt is not None and nxt.text[:1].islower() and not line.text.endswith((".", ";", ":")):
            # a vote wrapped by the PDF: "AVIS : avis favorable sur les tarifs ... au présent compte" / "rendu – 9 voix
            # pour, 2 voix contre (...)"
            found = _report_vote(f"{line.text} {nxt.text}")
            if found is not None and index > skipped:
                vote_ends[index] = skipped = index + 1  # (the next line is this vote's: not a vote again)
        inline = _INLINE_VOTE_RE.split(line.text) if found is None and index > skipped else []
        if len(inline) > 1 and nxt is not None and not nxt.blank:
            # "... du réseau de distribution. Vote :" / "unanimité (34 voix).": the vote after the sentence, on its line
            found = _report_vote(f"{inline[-1]} {nxt.text}")
            if found is not None:
                vote_ends[index] = skipped = index + 1
        elif found is None and index > skipped and nxt is not None and nxt.text[:1].islower():
            # "... de Tourvilliers 413 000 €. La" / "délibération est adoptée par dix-neuf voix pour ...": the vote's
            # sentence starts at the line's end
            joined = f"{line.text} {nxt.text}"
            starts = [m.end() for m in _INLINE_VOTE_RE.finditer(joined)]
            # (the vote's sentence starts on this line: one that starts on the next is read there)
            found = _report_vote(joined[starts[-1] :]) if starts and starts[-1] <= len(line.text) else None
            if found is not None:
                vote_ends[index] = skipped = index + 1
        if found is None and index > skipped and (said := _SENTENCE_VOTE_RE.search(line.text)):
            # "... reporté sur 2025. Approuvé à l'unanimité des 6 votants.", "... les semis. Unanimité (7 voix).": an
            # informal compte rendu's outcome in a sentence of its own, maybe ending on the next line ("Adopté à
            # l'unanimité" / "(7 voix).")
            sentence, end = said.group("vote"), index
            if not re.search(r"[.;!]", sentence) and nxt is not None and not nxt.blank and not _ITEM_RE.match(nxt.text):
                sentence, end = f"{sentence} {nxt.text}", index + 1
            found = _report_vote(re.split(r"(?<=[.;!])\s+", sentence, maxsplit=1)[0])
            if found is not None and end > index:
                vote_ends[index] = skipped = end
        if index <= skipped and index not in vote_ends:
            continue  # (a line of the vote above)
        if found is not None and counts_line(line.text) and not line.text.rstrip().endswith((",", "–", "—")):
            below = next((other for other in lines[index + 1 : index + 3] if not other.blank), None)
            if below is not None and _report_vote(below.text) is not None:
                found = None  # "Pour : 9 — Contre : 1 — Abstention : 1" above "Adopté ...": the counts of that vote
        if found is not None and found[2] and re.search(r"[.;!?]\s", found[2]):
            # "... figurant dans la dernière colonne du tableau. Vote : 33 pour ...": the sentence before is no label
            found = (found[0], found[1], re.split(r"(?<=[.;!?])\s+", found[2])[-1])
        if found is not None:
            # a vote cut by the line's end goes on below: "... vice-présidents. Vote : 31 pour, 0 contre, 2" /
            # "abstentions.", "Vote : 29 pour, 3" / "contre (M. Lucien DURBAN, ...), 2 abstentions."
            written, statement, label = found
            j = vote_ends.get(index, index)
            while (
                j + 1 < len(lines)
                and not lines[j + 1].blank
                and j - index <= MAX_OPEN_LINES
                and (
                    _unclosed(statement)
                    or statement.rstrip().endswith((",", "–", "—"))  # "... ne prenant pas part au vote –" / "adopté"
                    or bool(
                        re.search(r"(?:\d|\bvoix)\s*$", statement) and _COUNT_WORD_RE.match(fold(lines[j + 1].text))
                    )
                    # "... deux voix contre, celles de M. TERRASSOU" / "et de M. MÉRINDOL, qui contestent ...": who
                    # voted so, named on over the line
                    or bool(
                        _NAMED_VOTERS_RE.search(fold(statement))
                        and lines[j + 1].text[:1].islower()
                        and not statement.rstrip().endswith(".")
                    )
                )
                and (
                    _report_vote(lines[j + 1].text) is None
                    # ("... ne prenant pas part au vote –" / "adopté": the outcome closes the vote above)
                    or (statement.rstrip().endswith(("–", "—")) and len(lines[j + 1].text) < MAX_OUTCOME_LINE)
                )
            ):
                j += 1
                written, statement = f"{written} {lines[j].text}", f"{statement} {lines[j].text}"
            if j > index:
                found = (written, statement, label)
                vote_ends[index] = skipped = max(skipped, j)
        # (a timed procès-verbal writes the clock before each item: "18 h 10 POINT 1 Élection du président")
        untimed = _CLOCK_RE.sub("", line.text)
        heading = None if found else (_ITEM_RE.match(untimed) or _RAPPORTEUR_ITEM_RE.match(line.text))
        ordinal = None if found or heading else _ORDINAL_ITEM_RE.match(fold(line.text.strip()))
        named_line = None if found or heading or ordinal else _NAMED_ITEM_LINE_RE.match(fold(line.text.strip()))
        if ordinal or named_line:
            # "PREMIÈRE RÉSOLUTION" / "Approbation du procès-verbal ...": a company board's items, titled below (past
            # the page's running header, which is furniture); "RAPPORT N° 2" / "Budget supplémentaire 2025"
            below = next((other for other in lines[index + 1 : index + 8] if not other.blank), None)
            rank = _ORDINALS.index(ordinal.group(1)) + 1 if ordinal else int(named_line.group(1))  # type: ignore[union-attr]
            if below is not None:
                heading = _ITEM_RE.match(f"{rank}. {below.text.strip()}")
        if heading and index in counted_rows:
            heading = None  # "1 Nombre de délégués en exercice 14": a numbered row of a table, with its count
        if heading:
            raw = heading.group("num")
            number = _ROMAN.get(raw) if raw.isalpha() else int(raw)
            # The next number, or one or two further when a heading was lost (OCR of a table drops a number
            # now and then) and the current item already has its vote: "16 Transfert ..." after item 14.
            resync = bool(votes) and votes[-1].item == len(items) - 1 and expected < (number or 0) <= expected + 2
            if number is not None and (number == expected or number == 1 or resync):
                title = heading.group("title").strip()
                following = lines[index + 1] if index + 1 < len(lines) else None
                if (
                    following is not None
                    and not following.blank
                    and not _report_vote(following.text)
                    and re.search(r"\b(?:a|à|de|des|du|la|le|les|et|pour|au|aux|sur|en)$", title, re.IGNORECASE)
                    and len(following.text) < 60
                ):
                    title = f"{title} {following.text}"
                who = heading.groupdict().get("who")
                items.append(_Item(title=_clean_title(title), start=index, rapporteur=who))
                expected, sub_expected = number + 1, None
                section, section_start = items[-1].title, index
                segment_start = index + 1
                continue
        sub = None if found else _SUBITEM_RE.match(line.text)
        if sub and items:
            if sub.group("letter") or sub.group("small"):
                order = ord((sub.group("letter") or sub.group("small")).upper()) - ord("A") + 1
                accept = order == 1 or (sub_expected is not None and order == sub_expected[1])
                key = (0, order + 1)
            else:
                n, m = int(sub.group("n")), int(sub.group("m"))
                accept = n == expected - 1 and (m == 1 or (sub_expected is not None and m == sub_expected[1]))
                key = (n, m + 1)
            if accept:
                sub_expected = key
                # a run-in heading ends at its first full stop: "a) Approbation du procès-verbal du 12 mai 2025. Le
                # procès-verbal, transmis ..."
                title = re.split(r"(?<=[\wà-ÿ)»])\.\s+(?=[A-ZÀ-Ý])", sub.group("title"), maxsplit=1)[0]
                section, section_start = _clean_title(title), index
                segment_start = index + 1
                continue
        if found and items:
            written, statement, label = found
            previous = next((lines[j] for j in range(index - 1, segment_start - 1, -1) if not lines[j].blank), None)
            # (the line above: the agenda point the vote names, or the label it writes before the figures)
            named = _POINT_NAMED_RE.search(fold(previous.text)) if previous is not None else None
            if named and 0 < int(named.group(1)) <= len(items) and int(named.group(1)) < expected - 1:
                # the vote of an agenda item listed above ("1. ... 7." then "DÉCISION – POINT 2"): that item's record
                item = int(named.group(1)) - 1
                votes.append(
                    _ReportVote(index, written, statement, None, item, items[item].title, index, segment_start)
                )
                segment_start = index + 1
                continue
            if label is None and previous is not None and previous.text.endswith(":"):
                label = previous.text.rstrip(
                    " :"
                )  # "Vote des comptes de gestion 2020 :" on the line before the figures
            if label and _GENERIC_LABEL_RE.match(_clean_title(label)):
                label = None
            votes.append(
                _ReportVote(index, written, statement, label, len(items) - 1, section, section_start, segment_start)
            )
            segment_start = index + 1
    for vote in votes:
        vote.end = max(vote.end, vote_ends.get(vote.index, vote.index))
    _with_details(lines, votes)
    records = []
    for vote in votes:
        siblings = [v for v in votes if v.section_start == vote.section_start]
        # Many votes under one heading: the items were not recognised (a scanned table whose numbers and
        # rapporteurs OCR read apart from the titles), not one item voted many times. Each vote is then a
        # record of its own, titled by its own lines, without the first item's heading.
        lost = len(siblings) >= _LOST_ITEMS and vote is not siblings[0]
        detail = vote.label
        if detail is None and len(siblings) > 1:
            detail = (
                _block_title(lines, vote.start, vote.index) if lost else _first_words(lines, vote.start, vote.index)
            )
        record = _new(base)
        if lost:
            record.objet = _clean_title(detail) if detail else vote.section
        else:
            record.objet = f"{vote.section} : {_clean_title(detail)}" if detail else vote.section
        record.rapporteur = None if lost else items[vote.item].rapporteur
        first_of_section = vote is siblings[0]
        body_start = vote.section_start if first_of_section else vote.start
        body = lines[body_start : vote.end + 1]
        text_block = _join(body)
        if not first_of_section and not lost:
            text_block = f"{lines[vote.section_start].text}\n[…]\n{text_block}"
        if _ELECTED_RE.match(vote.statement):
            vote_info = _Vote(text=_squash(vote.written))
        else:
            # "Pour : 55 / Contre : 2 (...) / Abstention : 1 (...)" on the lines above "Adopté ...".
            counted = [
                line.text
                for line in lines[vote.start : vote.index]
                if not line.blank and _COUNT_LINE_RE.match(line.text.strip()) and re.search(r":\s*\d", line.text)
            ]
            vote_info = _analyse_votes([vote.statement], text_block, decision_fallback=False)
            vote_info.text = _squash(vote.written) if vote.written != vote.statement else vote_info.text
            counts = parse_counts(" ".join(counted))
            if counted and any(c is not None for c in counts) and (vote_info.pour, vote_info.contre) == (None, None):
                # the counts as written; "à l'unanimité" stands with abstentions (of the votes cast), not with
                # votes against (a template left unchanged: "Contre : 2 ... Adopté à l'unanimité")
                vote_info.pour, vote_info.contre, vote_info.abstention = counts
                vote_info.text = f"{_squash(' '.join(counted))} ; {vote_info.text}"
                if (counts[1] or 0) > 0:
                    vote_info.unanimous = None if vote_info.unanimous else False
        _apply_vote(record, vote_info)
        record.articles_vises = _visa_articles(body)
        record.page_start, record.page_end = _span_pages(body)
        record.text = text_block
        records.append((_finish(record), body_start, vote.end + 1))
    return records


MAX_WRAPPED_DETAIL = 40


MAX_OUTCOME_LINE = 30  # characters of a line that only says the outcome ("adopté", "rejeté à la majorité")
MAX_COLUMN_LINES = 6  # lines of a vote panel's column: pour, contre, abstention, blancs, nuls
MAX_OPEN_LINES = 3  # lines a vote's open bracket (the names of who voted so) may run over


def _unclosed(text: str) -> bool:
    return text.count("(") > text.count(")")


def _goes_on(statement: str) -> bool:
    """Whether a vote statement goes on to the next line: a bracket left open, or a separator ending it ("Pour 11 ·
    Contre 3 (M. X, Mme Y) ·" / "Abstention 1 (Mme Z) · Adoptée")."""
    return _unclosed(statement) or statement.rstrip().endswith(("·", "–", "—", ","))


def _with_details(lines: list[_Line], votes: list[_ReportVote]) -> None:
    """Extend each vote over the lines a vote column writes under it (`_VOTE_DETAIL_RE`, and a name wrapped from
    them), which then belong to its record and its vote, not to the next item's."""
    for k, vote in enumerate(votes):
        limit = votes[k + 1].index if k + 1 < len(votes) else len(lines)
        last, j = vote.end, vote.end + 1
        details: list[str] = []
        while j < limit:
            text = lines[j].text.strip()
            # (a column's narrow lines wrap: "P : M. PEYRALADE et son" / "pouvoir (M. ESCARGUEL), M." / "GARRABÉ, Mme X")
            wrapped = details and (
                (len(text) <= MAX_WRAPPED_DETAIL and details[-1].endswith((",", " M.", " Mme", " et", " son", " sa")))
                or (text[:1].islower() and not details[-1].endswith("."))
            )
            heading = _SUBITEM_RE.match(text) or _ITEM_RE.match(text) or _ORDINAL_ITEM_RE.match(fold(text))
            # ("38 voix pour, 4 voix contre (M. Didier LASBORDES, Mme Corinne" / "MIALHE, ...), 3 abstentions (...)": a
            # bracket left open goes on below, with the counts after it)
            opened = _unclosed(" ".join([vote.written, *details])) and len(details) < MAX_OPEN_LINES
            if lines[j].blank or heading or not (_VOTE_DETAIL_RE.match(fold(text)) or wrapped or opened):
                break
            details.append(text)
            last, j = j, j + 1
        if not details:
            continue
        vote.end = last
        if _unclosed(vote.statement):
            vote.statement = _squash(f"{vote.statement} {' '.join(details)}")
        vote.written = _squash(f"{vote.written} {' '.join(details)}")
        if k + 1 < len(votes) and votes[k + 1].start == vote.index + 1:
            votes[k + 1].start = last + 1


# Votes under one heading beyond which the items' headings were lost (a budget voted chapter by chapter
# gives a handful of votes under one heading; the Montpellier scans gave 60 to 100).
_LOST_ITEMS = 10
# Lines of a vote block that are not its title: a name alone ("Michel PASSET", "Frédéric", "TSITSONIS"),
# an item number alone, members leaving or coming back.
_NAME_LINE_RE = re.compile(r"^(?:(?:M\.|Mme|Monsieur|Madame)\s+)?(?:[A-ZÀ-Ý][\w'’-]*\.?\s*){1,3}$|^\d{1,3}\.?$")
_MOVEMENT_RE = re.compile(
    r"\b(?:entre(?:nt)?|sort(?:ent)?|revien(?:nen)?t|quitte(?:nt)?)\b.*\b(?:s[ée]ance|d[ée]finitivement)\b"
    r"|\bprocuration\b",
    re.IGNORECASE,
)
# The counts that open the vote itself ("Pour : 55", "Contre : 2 (...)"): the title stops there.
_COUNT_LINE_RE = re.compile(r"(?i)^(?:pour|contre|abstentions?|ne (?:prennent|prend|participe)\w*)\b\s*:?")


def _block_title(lines: list[_Line], start: int, stop: int, limit: int = 160) -> str | None:
    """The title of a vote block whose item heading was not recognised: its lines that are neither a name
    alone, nor a number alone, nor members moving in or out (with the sentence before them), joined."""
    kept: list[str] = []
    moving = False  # inside a sentence on members moving in or out, which may run over several lines
    for line in lines[start:stop]:
        text = line.text.strip()
        if line.blank or not text:
            continue
        if _COUNT_LINE_RE.match(text):
            break
        while text and (moving or _MOVEMENT_RE.search(text)):
            # "... sortent de la séance. Redevance spéciale ...": OCR joined the title to the sentence
            parts = re.split(r"(?<=[a-zà-ÿ)])\.\s+", text, maxsplit=1)
            moving = len(parts) == 1 and not text.endswith(".")
            text = parts[1] if len(parts) == 2 and len(parts[1].split()) >= 3 else ""
        if not text:
            continue
        if _NAME_LINE_RE.match(text) and not re.search(r"[a-zà-ÿ]{3,}\s+[a-zà-ÿ]{3,}", text):
            continue
        if re.match(r"(?i)^\s*(?:mesdames|messieurs|madame|monsieur)\b", text) and "," in text:
            moving = not text.endswith(".")  # "Mesdames Fargier, El Aumani, ..." opening a movement
            continue
        kept.append(text)
    title = _squash(" ".join(kept))
    if not title:
        return _first_words(lines, start, stop)
    return title if len(title) <= limit else title[:limit].rsplit(" ", 1)[0] + " …"


def _first_words(lines: list[_Line], start: int, stop: int, limit: int = 100) -> str | None:
    for line in lines[start:stop]:
        if not line.blank:
            text = line.text
            if len(text) > limit:
                text = text[:limit].rsplit(" ", 1)[0] + " …"
            return text
    return None


def _clean_title(title: str) -> str:
    return _squash(title).strip(" .:;-–")


# --- assembly -------------------------------------------------------------------------------------
def _new(base: DeliberationRecord) -> DeliberationRecord:
    return DeliberationRecord(
        source=base.source,
        commune=base.commune,
        date=base.date,
        en_exercice=base.en_exercice,
        presents=base.presents,
        representes=base.representes,
        votants=base.votants,
    )


def _apply_vote(record: DeliberationRecord, vote: _Vote) -> None:
    record.pour, record.contre, record.abstention = vote.pour, vote.contre, vote.abstention
    record.unanimous, record.outcome, record.vote_text = vote.unanimous, vote.outcome, vote.text


# An item headed by its number: "DÉLIBÉRATION N° 2020-14 – INDEMNITÉS DE FONCTION ..." (the number, then the objet)
_NUMBERED_TITLE_RE = re.compile(
    r"^d[ée]lib[ée]ration\s+n\s?°\s*(?P<id>[A-Z]{0,4}-?\d[\w/.-]*?)\s*[–:-]\s+(?P<objet>\S.*)$", re.IGNORECASE
)


def _finish(record: DeliberationRecord) -> DeliberationRecord:
    if record.objet and record.delib_id is None and (m := _NUMBERED_TITLE_RE.match(_squash(record.objet))):
        record.delib_id, record.objet = m["id"], m["objet"]
    if record.objet:
        record.objet = _squash(record.objet)
        record.matiere_code, record.matiere_nom = infer_matiere(record.objet, record.text)
    return record


def detect_shape(pages: list[Page]) -> str:
    """SHAPE_EXTRACT, SHAPE_NUMBERED or SHAPE_REPORT, from the text."""
    lines = _to_lines(pages)
    head = fold(" ".join(line.text for line in lines[:80]))
    if "extrait du registre des deliberations" in head or "extrait du proces-verbal" in head:
        return SHAPE_EXTRACT
    if len({delib_id for _, delib_id, _ in _numbered_headings(lines)}) >= 2:
        return SHAPE_NUMBERED
    return SHAPE_REPORT


def split_deliberations(
    pages: list[Page], *, source: str, commune: str | None = None, seance_date: str | None = None
) -> list[DeliberationRecord]:
    """Deliberation records of a council document (pages = pypdf text per page, 1-based numbers).

    `commune` and `seance_date` override what the text says; unknown values stay None.
    """
    return [record for record, _, _ in record_spans(pages, source=source, commune=commune, seance_date=seance_date)]


def record_spans(
    pages: list[Page], *, source: str, commune: str | None = None, seance_date: str | None = None
) -> list[tuple[DeliberationRecord, int, int]]:
    """Each deliberation record with the lines it was read from: (record, start, stop), where [start, stop)
    indexes the lines of the document (`page.text.splitlines()` of every page, pages in order).

    The lines outside every span (attendance, "questions diverses", information items ...) are not part of
    any record; ingest.council indexes them as passages of the document.
    """
    lines = _to_lines(pages)
    if not any(not line.blank for line in lines):
        return []
    shape = detect_shape(pages)
    base = DeliberationRecord(
        source=source,
        commune=commune or detect_commune(pages, source),
        date=seance_date or detect_seance_date(pages, source),
    )
    if shape == SHAPE_EXTRACT:
        header_end = next((i for i, line in enumerate(lines) if re.search(r"rapporte\s*:", line.text)), 80)
    elif shape == SHAPE_NUMBERED:
        header_end = _numbered_headings(lines)[0][0]
    else:
        header_end = min(len(lines), 40)
    members = _members(lines[:header_end])
    base.en_exercice, base.presents = members.en_exercice, members.presents
    base.representes, base.votants = members.representes, members.votants
    if shape == SHAPE_EXTRACT:
        records = [
            (record, first + start, first + stop)
            for first, last in _extracts(lines)
            for record, start, stop in _extract_records(lines[first:last], base)
        ]
    elif shape == SHAPE_NUMBERED:
        records = _numbered_records(lines, base)
    else:
        records = _report_records(lines, base)
    head, rows = table_rows(lines)
    if rows:
        # a "relevé des décisions" table sums up the decisions: its rows are the records, whatever was read as one
        # across it (the debate above holds no vote; the votes read there were the table's)
        records = [span for span in records if span[2] <= head or span[1] >= rows[-1].stop]
        records = sorted([*records, *(_row_record(lines, row, base) for row in rows)], key=lambda span: span[1])
    logger.debug("%s: %s document, %d deliberation(s)", source, shape, len(records))
    return records


def _row_record(lines: list[_Line], row: TableRow, base: DeliberationRecord) -> _Span:
    """A record of one row of a "relevé des décisions" table (ingest.decision_table)."""
    record = _new(base)
    record.delib_id, record.objet = row.number, row.objet
    _apply_vote(record, _analyse_votes([row.vote], f"{row.decision} {row.vote}", decision_fallback=True))
    body = lines[row.start : row.stop]
    record.page_start, record.page_end = _span_pages(body)
    record.text = _join(body)
    return (_finish(record), row.start, row.stop)
