"""Votes as written in council documents: counts ("13 voix pour, 1 contre"), outcome, unanimity, and the
lines of a compte rendu that state a vote.

>>> parse_counts("Par 13 voix POUR – 1 voix CONTRE")
(13, 1, None)
>>> parse_counts("Par : DEUX voix POUR - ONZE voix CONTRE et 1 ABSTENTION")
(2, 11, 1)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.seance import _NUMBER_WORD_RE, _squash
from rag.french import fold, number_from_words

# A count written in words, compounds whole: "dix-neuf voix pour" is 19, not 9.
_WORDS_COUNT_RE = rf"(?:{_NUMBER_WORD_RE})(?:[\s-]+(?:et[\s-]+)?(?:{_NUMBER_WORD_RE}))*"
_COUNT_RE = re.compile(
    # (in words, "voix" may be left out after the first count: "cinq voix pour, quatorze contre et deux abstentions")
    rf"(?<![\w.,/])(?:(\d{{1,3}})\s*(?:votes?|voix)?|({_WORDS_COUNT_RE})\s+(?:votes?|voix|(?=(?:contre|abstentions?)\b(?!-))))"
    r"\s*:?\s*"
    # ("64 pour Orgeline-le-Bas, 41 pour Marvaux": counts shared out between places or persons, no vote)
    r"(pour(?!\s+(?-i:[A-ZÀ-Ý][a-zà-ÿ]))|contre|abstentions?|absentions?)\b",
    re.IGNORECASE,
)
_UNANIMITY_RE = re.compile(r"\bunanimit|\bunan\.", re.IGNORECASE)  # ("Adopté – unan. (14)": a column's abbreviation)
_ADOPTED_RE = re.compile(r"\badopt(?:e|ee|es|ees|ion)?\b|\badopte\b|\bapprouve\b", re.IGNORECASE)
_REJECTED_RE = re.compile(r"\brejet|\bnon adopt|\bn'est pas adopt|\bn'a pas ete adopt|\brefuse\b", re.IGNORECASE)
_DECISION_RE = re.compile(
    r"(?:\b(?:le|les membres du) conseil(?: municipal)?\b|apres (?:en )?avoir delibere)[^.;]{0,160}?"
    r"\b(?:decide|decident|accepte|acceptent|approuve|approuvent|designe|designent|autorise|autorisent|adopte"
    r"|charge|chargent|emet|fixe|attribue)\b",
    re.IGNORECASE,
)
_UPPER_DECISION_RE = re.compile(r"\b(?:DECIDE|DÉCIDE|ACCEPTE|APPROUVE|DESIGNE|DÉSIGNE|AUTORISE|ÉMET|EMET)\b")


# The label first, then its count: "Pour : 55 Contre : 2 (...) Abstention : 1 (...)".
_LABEL_COUNT_RE = re.compile(
    r"(?<![\w])(pour|contre|abstentions?|absentions?)\s*:\s*(\d{1,3})(?![\d,.]\d|\s\d{3}\b)", re.IGNORECASE
)


# A vote column's abbreviations, in their order: "Adopté – P 11 / C 2 / A 1", "P : 13 – C : 0" (capitals only)
_ABBREVIATED_COUNTS_RE = re.compile(
    r"(?<![\w.])P\s*:?\s*(\d{1,3})\s*[/–-]\s*C\s*:?\s*(\d{1,3})(?:\s*[/–-]\s*A\s*:?\s*(\d{1,3}))?(?![\d,.])"
)


# The label, then its count of votes, which an assembly voting by surface or by shares writes in thousands: "Pour
# 1 108 voix Contre 96 voix Abstention 41 voix"
_LABEL_VOIX_RE = re.compile(
    r"(?<![\w])(pour|contre|abstentions?)\s*:?\s+(\d{1,3}(?:[ \u00a0\u202f]\d{3})*)\s+voix\b", re.IGNORECASE
)


# The labels first without a colon, as a vote column writes them: "Pour 14 · Contre 0 · Abst. 0 – adopté", "Pour 12 ·
# Contre 2 (Mme X, M. Y) · Abst. 0" (read only when no other form is: "10 voix pour 2 contre" counts 10 for)
_BARE_LABEL_COUNTS_RE = re.compile(
    r"(?<![\w])pour\s+(\d{1,3})(?![\d,.]\d|\s*(?:%|€|ans?\b|mois\b|jours?\b|heures?\b))\s*[·,;/|–—-]\s*"
    r"contre\s+(\d{1,3})\b(?:\s*\([^()]{1,120}\))?"
    r"(?:\s*[·,;/|–—-]\s*abst(?:\.|entions?\b)?\s*:?\s*(\d{1,3})\b)?",
    re.IGNORECASE,
)


# A vote panel's column, one label and its count a line, as a chart's legend writes them: "Pour 14" / "Contre 4" /
# "Abstention 2" (or "Blancs 2" after a secret ballot)
_COLUMN_LINE_RE = re.compile(r"^(?:pour|contre|abst(?:\.|entions?)?|blancs?|nuls?)\s*:?\s*\d{1,3}$")
_COLUMN_COUNTS_RE = re.compile(
    r"^[ \t]*pour[ \t]*:?[ \t]*(\d{1,3})[ \t]*\n[ \t]*contre[ \t]*:?[ \t]*(\d{1,3})[ \t]*$"
    r"(?:\n[ \t]*abst(?:\.|entions?)?[ \t]*:?[ \t]*(\d{1,3})[ \t]*$)?",
    re.IGNORECASE | re.MULTILINE,
)

# A vote panel's column read on one line, the labels first with nothing between them and their counts, opening the
# statement: "Pour 14 Contre 4 Abstention 2 Votants : 20 — ADOPTÉ" ("10 voix pour 2 contre" opens otherwise)
_SPACED_LABELS_RE = re.compile(
    r"^\W*(?:(?:r[ée]sultat du )?vote\s*:?\s*)?pour\s+(\d{1,3})\s+contre\s+(\d{1,3})"
    r"(?:\s+abst(?:\.|entions?)?\s+(\d{1,3}))?(?![\d,.]\d|\s*(?:voix|%|€|ans?\b))\b",
    re.IGNORECASE,
)  # (on the text as written: "Pour 11 · Contre 3 (…) · Abstention 1" has its separators, `_BARE_LABEL_COUNTS_RE`)


def count_column(lines: list[str]) -> int:
    """How many of the lines, from the first, are a vote panel's column ("Pour 14" / "Contre 4" / "Abstention 2"):
    0 unless it opens with "Pour" and goes on with "Contre".

    >>> count_column(["Pour 14", "Contre 4", "Abstention 2", "Votants : 20 — ADOPTÉ"])
    3
    >>> count_column(["Pour 2025", "Contre 4"]), count_column(["Pour 12 repas", "Contre 4"])
    (0, 0)
    """
    if len(lines) < 2 or not (
        fold(lines[0].strip()).startswith("pour") and fold(lines[1].strip()).startswith("contre")
    ):
        return 0  # (read for every line of a record: the rest is folded only under a "Pour" / "Contre")
    folded = [fold(line.strip()) for line in lines]
    size = 0
    while size < len(folded) and _COLUMN_LINE_RE.match(folded[size]):
        size += 1
    return size if size >= 2 else 0


# A form's vote box label, its value on the next line (folded): "VOTANTS", "POUR", "CONTRE", "ABST.", "NPPV" (ne prend
# pas part au vote), "BLANCS", "NULS"
_FORM_LABEL_RE = re.compile(r"^(votants|pour|contre|abst\.?|abstentions?|nppv|blancs?|nuls?|exprimes)\s*:?$")
_FORM_RESULT_RE = re.compile(r"^(?:resultat|decision|sort)\s*:?$")
_TICKED_RE = re.compile(r"[☒☑✓✔✗✘⊠]\s*([^☐☒☑✓✔✗✘⊠]+)")


def form_counts(lines: list[str]) -> tuple[str, int] | None:
    """(statement, lines read) of a form's vote boxes from the first line, each label over its value ("POUR" / "07"):
    the counts as "POUR 07" lines (the page's words, its line breaks aside), then the result ticked among the boxes
    ("☒ Adoptée", not "☐ Rejetée"); None unless "POUR" and "CONTRE" are filled.

    >>> form_counts(["VOTANTS", "08", "POUR", "07", "CONTRE", "01", "ABST.", "00", "RÉSULTAT", "☒ Adoptée ☐ Rejetée"])
    ('POUR 07\\nCONTRE 01\\nABST. 00\\n☒ Adoptée', 10)
    >>> form_counts(["POUR", "le budget", "CONTRE", "01"]) is None
    True
    """
    pairs: list[tuple[str, str]] = []
    k = 0
    while (
        k + 1 < len(lines)
        and _FORM_LABEL_RE.match(fold(lines[k].strip()))
        and re.fullmatch(r"\d{1,3}", lines[k + 1].strip())
    ):
        pairs.append((lines[k].strip(), lines[k + 1].strip()))
        k += 2
    labels = [fold(label).rstrip(" .:") for label, _ in pairs]
    if "pour" not in labels or "contre" not in labels:
        return None
    counted = [f"{label} {value}" for label, value in pairs if fold(label).startswith(("pour", "contre", "abst"))]
    if k < len(lines) and _FORM_RESULT_RE.match(fold(lines[k].strip())):
        k += 1
    if k < len(lines) and (ticked := _TICKED_RE.search(lines[k])):
        counted.append(f"{ticked.group(0).strip()}")
        k += 1
    return "\n".join(counted), k


def parse_counts(text: str) -> tuple[int | None, int | None, int | None]:
    """(pour, contre, abstention) written in a vote statement; None for what it does not state.

    >>> parse_counts("Pour : 55 Contre : 2 (Madame G.) Abstention : 1 (Monsieur V.)")
    (55, 2, 1)
    >>> parse_counts("Adopté – P 11 / C 2 / A 1")
    (11, 2, 1)
    >>> parse_counts("Pour 1 108 voix Contre 96 voix Abstention 41 voix ADOPTÉ")
    (1108, 96, 41)
    >>> parse_counts("5.3 – Pour 12 · Contre 2 (Mme A, M. B) · Abst. 1 – adopté")
    (12, 2, 1)
    >>> parse_counts("10 voix pour 2 contre 1 abstention")
    (10, 2, 1)
    >>> parse_counts("Pour 14\\nContre 4\\nAbstention 2\\nVotants : 20 — ADOPTÉ")
    (14, 4, 2)
    >>> parse_counts("Pour 14 Contre 4 Abstention 2 Votants : 20 — ADOPTÉ")
    (14, 4, 2)
    """
    pour = contre = abstention = None
    if column := _COLUMN_COUNTS_RE.search(text):  # a vote panel's column: each label and its count on a line
        return (int(column[1]), int(column[2]), int(column[3]) if column[3] else None)
    if spaced := _SPACED_LABELS_RE.match(text):  # the same column on one line: "Pour 14 Contre 4 Abstention 2"
        return (int(spaced[1]), int(spaced[2]), int(spaced[3]) if spaced[3] else None)
    weighed = {fold(m[1])[:4]: int(re.sub(r"\D", "", m[2])) for m in reversed(list(_LABEL_VOIX_RE.finditer(text)))}
    if "pour" in weighed and "cont" in weighed:  # "Pour 1 108 voix Contre 96 voix Abstention 41 voix"
        return (weighed["pour"], weighed["cont"], weighed.get("abst"))
    abbreviated = _ABBREVIATED_COUNTS_RE.search(text)
    if abbreviated and not _COUNT_RE.search(text) and not _LABEL_COUNT_RE.search(text):
        return (int(abbreviated[1]), int(abbreviated[2]), int(abbreviated[3]) if abbreviated[3] else None)
    labelled = list(_LABEL_COUNT_RE.finditer(text))
    bare = _BARE_LABEL_COUNTS_RE.search(text)
    if bare and not labelled and not _COUNT_RE.search(text):
        return (int(bare[1]), int(bare[2]), int(bare[3]) if bare[3] else None)
    # With "Pour : 55 Contre : 2", "55 Contre" is not a count against: the labels come first there.
    pairs = (
        [(m.group(2), m.group(1)) for m in labelled]
        if labelled
        else [(m.group(1) or m.group(2), m.group(3)) for m in _COUNT_RE.finditer(text)]
    )
    for written, label in pairs:
        value = number_from_words(written)
        kind = fold(label)
        if value is None:
            continue
        if kind == "pour" and pour is None:
            pour = value
        elif kind == "contre" and contre is None:
            contre = value
        elif kind.startswith(("abst", "abse")) and abstention is None:
            abstention = value
    return (pour, contre, abstention)


@dataclass(slots=True)
class _Vote:
    pour: int | None = None
    contre: int | None = None
    abstention: int | None = None
    unanimous: bool | None = None
    outcome: str | None = None
    text: str | None = None


def _statement_outcome(statement: str, counts: tuple[int | None, int | None, int | None]) -> tuple[str | None, bool]:
    """Outcome of one statement and whether it was written in words (True) or derived from counts."""
    folded = fold(statement)
    if _REJECTED_RE.search(folded):
        return ("rejected", True)
    if _UNANIMITY_RE.search(folded) or _ADOPTED_RE.search(folded):
        return ("adopted", True)
    pour, contre, _ = counts
    if pour is not None and contre is not None:
        if pour > contre:
            return ("adopted", False)
        if pour < contre:
            return ("rejected", False)
        return (None, False)
    if pour is not None and pour > 0:
        # Only the "pour" (and maybe abstentions) are written: nobody voted against.
        return ("adopted", False)
    return (None, False)


_UNANIMITY_PHRASE_RE = re.compile(
    r"(?:(?:apr[èe]s en avoir d[ée]lib[ée]r[ée](?: et vot[ée])?,?\s*)?[àa] l['’]\s?unanimit[ée]"
    r"(?: des (?:membres présents|présents|suffrages exprimés|votants))?)",
    re.IGNORECASE,
)


# The outcome written right after the counts: "– la motion est rejetée", ". Rejetée", "– ADOPTÉ"
_OUTCOME_AFTER_RE = re.compile(
    r"[\s.,;–—-]{0,4}(?:(?:la|le|cette|ce) [a-zé]{3,15} (?:est )?)?(?:adopt|rejet|approuv)[a-zàâçéèêëîïôûùüÿ]*",
    re.IGNORECASE,
)


def _vote_phrase(statement: str) -> str:
    """The part of a sentence that states the vote ("Par 13 voix POUR – 1 voix CONTRE", "à l'unanimité")."""
    if _COLUMN_COUNTS_RE.search(statement):  # "Pour 14" / "Contre 4" / "Abstention 2" / "Votants : 20 — ADOPTÉ"
        return _squash(statement)
    text = _squash(statement)
    weighed = list(_LABEL_VOIX_RE.finditer(text))
    if len(weighed) >= 2:  # "Pour 1 108 voix Contre 96 voix Abstention 41 voix ADOPTÉ": as written
        return text[weighed[0].start() :].strip()
    labelled = list(_LABEL_COUNT_RE.finditer(text))
    if labelled:  # "Pour : 55 Contre : 2 (Madame G.) Abstention : 1 (Monsieur V.)": as written, names included
        return text[labelled[0].start() :].strip()
    bare = _BARE_LABEL_COUNTS_RE.search(text)
    if bare and not _COUNT_RE.search(text):  # "Pour 14 · Contre 0 · Abst. 0 – adopté": as written
        return text[bare.start() :].strip()
    counts = list(_COUNT_RE.finditer(text))
    if counts:
        start, end = counts[0].start(), counts[-1].end()
        named = re.match(r"\s*\([^()]{1,160}\)", text[end:])  # "... et 1 abstention (Mme Sandrine LAPARRE)"
        end += named.end() if named else 0
        said = _OUTCOME_AFTER_RE.match(text[end:])  # "... 3 abstentions – la motion est rejetée", "... . Rejetée"
        end += said.end() if said else 0
        before = re.search(r"(?i)\bpar\s*:?\s*$", text[:start])
        return text[before.start() if before else start : end].strip()
    match = _UNANIMITY_PHRASE_RE.search(text)
    if match and len(text) > 60:
        return match.group(0)
    return text


def _analyse_votes(statements: list[str], body: str, *, decision_fallback: bool) -> _Vote:
    vote = _Vote()
    outcomes: list[str | None] = []
    unanimities: list[bool | None] = []
    counted_rejection = False
    for statement in statements:
        counts = parse_counts(statement)
        if vote.pour is None and vote.contre is None and vote.abstention is None and any(c is not None for c in counts):
            vote.pour, vote.contre, vote.abstention = counts
        outcome, written = _statement_outcome(statement, counts)
        if outcome == "rejected" and not written:
            counted_rejection = True
        outcomes.append(outcome)
        _, contre, abstention = counts
        if (contre or 0) > 0 or (abstention or 0) > 0:
            unanimities.append(False)
        elif _UNANIMITY_RE.search(fold(statement)) or (contre == 0 and abstention == 0):
            unanimities.append(True)
        else:
            unanimities.append(None)
    if statements:
        vote.text = " ; ".join(_vote_phrase(s) for s in statements)
        if False in unanimities:
            vote.unanimous = False
        elif unanimities and all(u is True for u in unanimities):
            vote.unanimous = True
        known = {o for o in outcomes if o}
        vote.outcome = known.pop() if len(known) == 1 else None
        # "2 pour, 11 contre ... DECIDE de donner un avis défavorable": the figures are about the project,
        # not about the act, so a rejection derived from figures alone is not trusted.
        if vote.outcome == "rejected" and counted_rejection and _UPPER_DECISION_RE.search(body):
            vote.outcome = None
    elif decision_fallback and _DECISION_RE.search(fold(_squash(body))):
        vote.outcome = "adopted"
    return vote


_REPORT_VOTE_START_RE = re.compile(
    rf"^(?:adopt(?!ant\b)|vote\s*:|(?:\d{{1,3}}|{_WORDS_COUNT_RE})\s*(?:votes?|voix)?\s*(?:pour|contre|abstentions?|absentions?)\b"
    r"|\d{1,3}\s+votes?\.?$"
    # a consultative body's opinion, or an approval, with its vote: "avis favorable – 11 voix pour, 1 abstention",
    # "approuvé à l'unanimité des 12 votants" (not "Approuvé en séance du ...", a footer)
    r"|(?:avis (?:favorable|defavorable)|approuvee?s?|rejetee?s?)\b[^.]*?(?:a l'unanimite|\d{1,3}\s+(?:voix|votes?)\b)"
    # a vote column: "Rejeté – P 4 / C 9 / A 1", "élu par 9 voix sur 13 exprimés", an item with none: "Retiré – pas de
    # vote", "Information – pas de vote"
    r"|rejetee?s?\W*p\s*:?\s*\d|rejetee?s?\W*\d{1,3}\s+pour\b|(?:elue?s?|designee?s?) (?:par|avec|a) \d{1,3} voix\b"
    r"|(?:retiree?s?|ajournee?s?|reportee?s?|information)\W*pas de vote\b"
    # a consultative body's opinion under its label: "Avis du CVS : favorable (4 avis favorables, 2 avis défavorables
    # ...)", "Avis du conseil d'école : défavorable", "Pas d'avis ce jour : point renvoyé à la réunion de septembre"
    r"|avis d(?:u|e la|e l'|es)\b[^:]{1,40}:\s*(?:favorable|defavorable|reserve|sans avis)"
    r"|pas d'avis\b[^:]{0,30}:\s*(?:le |ce )?(?:point )?(?:renvoye|reporte|ajourne)"
    r"|pour\s+\d{1,3}(?:\s\d{3})*\s+voix\s+contre\s+\d"  # "Pour 1 245 voix Contre 0 voix ADOPTÉ"
    # a company board's: "Cette résolution est adoptée à l'unanimité des administrateurs présents ou représentés"
    r"|cette (?:resolution|deliberation|proposition|motion) est (?:adoptee|rejetee|approuvee)\b"
    # minutes in prose: "La délibération est adoptée par dix-huit voix pour et trois abstentions, celles de ...", "La
    # proposition de reprise, mise aux voix, recueille cinq voix pour, quatorze contre ... ; elle est rejetée"
    rf"|la (?:resolution|deliberation|proposition|motion)\b[^.;]{{0,60}}?\b(?:est|a ete) (?:adoptee|rejetee|approuvee)"
    r"\b[^.;]{0,20}?\b(?:a l'unanimite|par\b)"
    rf"|la (?:resolution|deliberation|proposition|motion)\b[^.;]{{0,60}}?\brecueille\s+(?:\d{{1,3}}|{_WORDS_COUNT_RE})\s+voix\b"
    # a commission's: "Décision prise à l'unanimité des 6 membres", "Décision prise par 5 voix pour et 1 abstention"
    r"|decision prise (?:a l'unanimite|par \d{1,3}\s+voix)\b"
    r"|unanimite\s*\(\s*\d{1,3}\s+voix\s*\))",  # "Unanimité (7 voix)."
    re.IGNORECASE,
)
_SHARE_RE = re.compile(r"^\W*\d{1,3}\s+pour\s+[A-ZÀ-Ý][a-zà-ÿ]")
_LABELLED_VOTE_RE = re.compile(r"^(?P<label>[^:]{3,160}?)\s*:\s*(?P<vote>.+)$")
_ELECTED_RE = re.compile(r"^[-•\s]*(?P<who>[^:]{2,60}?)\s*:\s*(?P<n>\d{1,3})\s+votes?\W*[ée]lue?\b", re.IGNORECASE)


_MARK_RE = re.compile(r"^[\s✔✓✅☑✖✗✘❌☒]+")


# The number of the item a vote line closes, before it: "5.3 – Pour 5 · Contre 8 · Abst. 1 – rejeté", "2.2 –
# Information – pas de vote"
_VOTE_ITEM_PREFIX_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\s*[–—-]\s*(?=\S)")
# A line of counts under their labels: "Pour 14 · Contre 0 · Abst. 0", "Votants : 11 — Pour : 9 — Contre : 1 —
# Abstention : 1", "Avis favorable – Pour 14 · Contre 0" (folded)
_COUNTS_LINE_RE = re.compile(
    r"^(?:(?:avis (?:favorable|defavorable)|votants\s*:?\s*\d{1,3}|suffrages exprimes\s*:?\s*\d{1,3})\s*[,;/|-]?\s*)?"
    r"pour\s*:?\s*\d{1,3}\b(?:\s*\([^()]{1,120}\))?\s*[,;/|-]?\s*contre\s*:?\s*\d{1,3}\b"
)


def counts_line(text: str) -> bool:
    """Whether the line is a vote written as counts under their labels, the labels first.

    >>> counts_line("4.1 – Pour 14 · Contre 0 · Abst. 0 – adopté"), counts_line("Votants : 11 — Pour : 9 — Contre : 1")
    (True, True)
    >>> counts_line("Le tarif pour 12 repas contre 10 l'an dernier")
    False
    """
    return bool(_COUNTS_LINE_RE.match(fold(_VOTE_ITEM_PREFIX_RE.sub("", text.strip()))))


_VOTE_LABEL_RE = re.compile(r"^\W*(?:resultat du |resultats du )?(?:vote|scrutin)\s*:\s*")


def labelled_counts(text: str) -> bool:
    """Whether the line is a vote's counts under their labels, after a "Vote :" label or without one.

    >>> labelled_counts("Vote : Pour 4 · Contre 10 · Abstention 1 (M. SOULARIÉ) · Rejetée")
    True
    >>> labelled_counts("Vote : à main levée")
    False
    """
    return counts_line(_VOTE_LABEL_RE.sub("", fold(text.strip())))


def _report_vote(text: str) -> tuple[str, str, str | None] | None:
    """(written, statement, label) when the line is a vote: "Vote : 14 pour ...", "DM1 approuvé : Vote : ...",
    "12 votes pour / 2 abstentions", "13 votes", "Pour le changement de prestataire : 13 votes",
    "Anne-Marie : 11 votes, Elue", "5.3 – Pour 5 · Contre 8 · Abst. 1 – rejeté"; None otherwise."""
    text = _MARK_RE.sub("", text)  # "✔ Adopté – 18 pour / 1 contre": a slide's or a table's check mark
    if _SHARE_RE.match(text):
        return None  # "64 pour Orgeline-le-Bas, 41 pour Marvaux": counts shared out between places, no vote
    bare = _VOTE_ITEM_PREFIX_RE.sub("", text)
    folded = fold(bare)
    if (bare != text and _REPORT_VOTE_START_RE.match(folded)) or _COUNTS_LINE_RE.match(folded):
        return (bare, bare, None)  # "2.2 – Information – pas de vote": the item's number is no part of the vote
    folded = fold(text)
    if _REPORT_VOTE_START_RE.match(folded):
        return (text, text, None)
    match = _LABELLED_VOTE_RE.match(text)
    if match:
        label, rest = match.group("label").strip(), match.group("vote").strip()
        rest_folded = fold(rest)
        # "Pour la décision modificative : 13 votes" (the result written after a label)
        if re.match(r"^pour\b", fold(label)) and re.fullmatch(r"\d{1,3}\s+votes?\.?", rest_folded):
            return (text, f"{rest.split()[0]} pour", label[4:].strip() or None)
        if _REPORT_VOTE_START_RE.match(rest_folded) and (
            _COUNT_RE.search(rest) or rest_folded.startswith("adopt") or _UNANIMITY_RE.search(rest_folded)
        ):
            return (rest, rest, label)
        inner = _LABELLED_VOTE_RE.match(rest)  # "DM1 ... : Vote : 14 pour"
        if inner and fold(inner.group("label")).strip() == "vote" and _COUNT_RE.search(inner.group("vote")):
            return (inner.group("vote").strip(), inner.group("vote").strip(), label)
    if _ELECTED_RE.match(text):
        written = text.strip(" -•")
        return (written, written, None)
    return None
