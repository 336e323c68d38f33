"""The decision as data: the operative part ("dispositif") of a deliberation, read from its text.

Pure functions on a record's (or a passage's) text, so they work at answer time without re-ingesting.
The rules are those of French administrative writing, not of one commune's layout: an operative verb
in capitals (DÉCIDE, FIXE, ACCEPTE, APPROUVE, DÉSIGNE, AUTORISE, ATTRIBUE, ÉLIT ...), "il est proposé au
conseil :", "Sont élus :", "a été élu(e)", or "Vote pour ... : Vote : 14 pour / 0 contre" in an informal
compte rendu. The list or table the decision announces (lines after ":", "- 3.40€ pour ...",
"ACCA : 60€") is kept as rows. Unknown stays empty.

>>> text = "Il propose les tarifs suivants :\\n- 3.40€ repas enfant\\nPar 13 voix POUR – 1 voix CONTRE\\nACCEPTE les tarifs."
>>> d = extract_decision(text)
>>> d.provisions[0].rows, d.amounts, d.provisions[0].vote
(['3.40€ repas enfant'], ['3.40€'], '13 pour, 1 contre')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rag.facts import fold
from rag.question import PERSON_RE, VOTE_POUR, amounts
from rag.records import vote_label, written_vote_label
from rag.schema import DeliberationRecord

# Operative verbs written in capitals (singular or plural), the usual mark of a dispositif.
_VERBS = {
    "DECIDE": "a décidé", "FIXE": "a fixé", "ACCEPTE": "a accepté", "APPROUVE": "a approuvé",
    "DESIGNE": "a désigné", "AUTORISE": "a autorisé", "ATTRIBUE": "a attribué", "ELIT": "a élu",
    "ADOPTE": "a adopté", "EMET": "a émis", "VOTE": "a voté", "ACCORDE": "a accordé", "OCTROIE": "a octroyé",
    "ARRETE": "a arrêté", "CREE": "a créé", "SUPPRIME": "a supprimé", "DONNE": "a donné", "RETIENT": "a retenu",
    "REJETTE": "a rejeté",
}  # fmt: skip
# (an accent inside the verb, never on its last E: "ADOPTÉ", "APPROUVÉ" are an outcome written after the counts, "Votants
# : 20 — ADOPTÉ", not the operative "ADOPTE")
_CAPS_VERB_RE = re.compile(
    r"(?<![\w])(" + "|".join(v[:-1].replace("E", "[EÉÈÊ]") + v[-1] for v in _VERBS) + r")(?:NT)?(?![\w])"
)
# A proposal announcing its rows, in an informal item whose vote follows: what the item decides, when nothing else is
_PROPOSAL_RE = re.compile(r"\bpropose(?:nt)? (?:de |d')[^.;]{0,200}:$")
# Other openings of an operative part (matched on folded text).
_OPENING_RE = re.compile(
    r"^vot(?:e|er) pour\b|\bvote\s*:\s*\d+\s*pour\b|^\d+ votes?\b|:\s*\d+\s+votes?\s+pour\b|\b(?:a|ont) ete elu(?:e|s|es)?\b|^sont elu"
    r"|\b(?:a|ont) ete proclamee?s?\b|^(?:est|sont) proclamee?s?\b"  # "A été proclamée présidente ... :" (an election)
    r"|^est elu|^(?:est|sont) designe|\b(?:est|sont) designe(?:e|s|es)?\s*(?::|comme|en qualite)"
    r"|\bil est (?:donc )?(?:propose|demande) au conseil(?: municipal)?\s*:"
    r"|\bpropose(?:nt)? (?:de |d')[^.;]{0,200}:$"  # "la présidente propose de fixer les indemnités ... :" (_PROPOSAL_RE)
    r"|^avis\s*:\s*avis (?:favorable|defavorable)\b"  # a consultative body's "AVIS : avis favorable sur ... – 9 voix pour"
    # "Le conseil d'administration, après en avoir délibéré :" then "– approuve ... ;" / "– autorise ...": the rows say it
    r"|\bapres en avoir delibere(?: et vote)?\s*:$"
    r"|\b(?:le|du) conseil(?: municipal)?\b(?:[^.]{0,80}?,)?\s*(?:apres en avoir delibere\s*,?\s*)?"
    r"(?:(?:a l'unanimite|a la majorite[^,.]{0,30})\s*,?\s*)?(?:decide|fixe|accepte|approuve|designe"
    r"|autorise|attribue|adopte|vote)\b"
)
_ARTICLE_HEAD_RE = re.compile(
    r"^(?:article|art\.)\s*\d+\s*(?:er|e)?\s*:"
)  # "Article 1 :", "Article 1er :" opens the next part
_DELIBERE_RE = re.compile(r"D[ÉE]LIB[ÈE]RE\s*:?")  # alone on its line, it opens the articles decided
_BULLET_RE = re.compile(r"^\s*(?:[-•–*·▪]|\d{1,2}\s*[)°]|[a-z]\))\s*")
_LABEL_VALUE_RE = re.compile(r"^[^:]{2,80}:\s*\S.*\d")
_FORMULA_RE = re.compile(
    r"apres en avoir delibere|^par\s*:?\s*(?:\d+|[a-z]+)\s+voix|^\d+\s+voix|^le conseil(?: municipal)?,?$|^vote\s*:|^a l'unanimite"
    r"|^(?:pour|contre|abstentions?)\s*:\s*\d|^(?:les membres du )?conseil municipal,?$|^entendu l'expose"
    r"|^votants?\s*:?\s*\d"  # "Votants : 11 — Pour : 8 — Contre : 3 ..."
)
# ("13 pour, 1 contre", "Pour : 13", "Votants 15 Pour 13 Contre 2"; not "des exercices 2019 à 2022 pour un montant")
_VOTE_COUNT_RE = re.compile(
    r"(?<![\w,.])(\d{1,3})\s*(?:voix\s*|votes?\s*)?"
    rf"({VOTE_POUR}|contre|abstentions?)\b"
    r"|(pour|contre|abstentions?)\s*:\s*(\d{1,3})(?![\d,])"
)
_LABELLED_COUNT_RE = re.compile(r"\b(pour|contre|abstentions?)\s*:\s*(\d{1,3})(?![\d,])")
# A count followed by who voted so, in brackets: "Abstention : 1 (M. AGUESSE)", "2 contre (Mme NOGARET, M. RIGAL)" (a
# civility or a name in capitals opens the brackets)
_NAMED_COUNT_RE = re.compile(
    r"(?i:\b(?P<word>pour|contre|abstentions?)\s*:\s*(?P<n>\d{1,3})|(?P<n2>\d{1,3})\s+(?:voix\s+)?(?P<word2>contre|abstentions?)\b)"
    r"\s*\((?P<who>(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|[A-ZÀ-Ý]{2,})[^()]{1,100})\)"
)
_UNANIMITY_RE = re.compile(r"unanimit")
_COLUMN_COUNT_RE = re.compile(r"(pour|contre|abstentions?)\s*:?\s*(\d{1,3})")  # a whole line (folded)
# Who voted against or abstained, named after a label with no count: "C : M. LABARTHÈTE, Mme PRUNIÈRES", "abst. : M.
# BALDOUS", "Contre : Mme X" (up to the next label)
_LABELLED_NAMES_RE = re.compile(
    r"(?<![\w.])(?P<word>C|[Cc]ontre|[Aa]bst\.|[Aa]bstentions?)\s*:\s*"
    r"(?P<who>(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame)\s[^:()]{1,120}?)(?=\s+(?:[PCA]|[Pp]our|[Cc]ontre|[Aa]bst\.?)\s*:|\s*\(|$)"
)
# "décide à la majorité absolue", "adopté à la majorité des suffrages exprimés": a vote stated in prose.
_MAJORITY_RE = re.compile(
    r"\b[aà] la majorit[ée](?: (?:absolue|relative|qualifi[ée]e|simple|des (?:suffrages exprim[ée]s|voix|membres pr[ée]sents)))?",
    re.IGNORECASE,
)
_CIVILITY_RE = re.compile(r"(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame)\s")
_VOTE_LINE_RE = re.compile(r"^\d+ votes?\b")
# "Pour : 58" / "Contre : 1 (M. Viguié)" / "Abstentions : 7": a compte rendu's count lines under an item.
_COUNT_LINE_RE = re.compile(r"^(?:pour|contre|abstentions?)\s*:\s*\d")
MAX_ROWS = 30
MAX_TABLE_SCAN = 60  # lines looked at above "les subventions ci-dessus" for the table they name
MAX_TABLE_LINE = 160
MAX_SENTENCE_LINES = 4
MAX_LABEL_CELLS = 2  # label cells read before the amount cell of a flattened table row
MAX_CELL_CHARS = 60


@dataclass(slots=True)
class Provision:
    """One operative sentence, whole, with the rows of the list or table it announces."""

    sentence: str
    rows: list[str] = field(default_factory=list)
    verb: str = ""  # "a fixé", "a voté" ... ("" when the opening names no verb)
    vote: str | None = None  # the vote written next to this provision ("13 pour, 1 contre", "unanimité")

    @property
    def text(self) -> str:
        return "\n".join([self.sentence, *self.rows])


@dataclass(slots=True)
class Decision:
    """The operative part of one deliberation and its fields (empty when the text does not say)."""

    provisions: list[Provision] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)  # "3.40€", "2 500 euros", "20 %", with their unit
    rates: list[str] = field(default_factory=list)  # amounts per unit or percentages: "0,25 €/km", "5 %"
    persons: list[str] = field(default_factory=list)  # "M. ROBERT Henri", "Fabrice PALAU"
    vote: str | None = None  # the record's vote (rag.records.vote_label), None when not stated
    pour: int | None = None
    contre: int | None = None
    abstention: int | None = None


def is_row(line: str) -> bool:
    """A line of a list or a table: a bullet, "label : value" with a figure, or a line holding an amount."""
    stripped = line.strip()
    if not stripped or _is_formula(stripped) or (_BULLET_RE.match(stripped) and stripped.endswith(":")):
        return False
    label_name = re.match(r"^[^:]{2,40}:\s*(.+)$", stripped)
    return bool(
        _BULLET_RE.match(stripped)
        or _LABEL_VALUE_RE.match(stripped)
        or (label_name and PERSON_RE.match(label_name.group(1)))
        or (len(stripped) <= 160 and amounts(stripped))
    )


def _is_formula(line: str) -> bool:
    return bool(_FORMULA_RE.search(fold(_BULLET_RE.sub("", line, count=1)).strip()))


def _opening(line: str) -> str | None:
    """The verb phrase of an operative line ("a fixé"), "" for an opening without a verb, None otherwise."""
    caps = _CAPS_VERB_RE.search(line)
    if caps and re.match(r"\s*(?:n\s?°|no\b)", line[caps.end() :], re.IGNORECASE):
        caps = None  # "ARRÊTÉ N° 2021-A-078": an act's title, not its operative "ARRÊTE :"
    elif caps and caps.group(1) == "VOTE" and re.search(r"\b(?:DU|LE|AU|DE|UN|CE|SON)\s*$", line[: caps.start()], re.I):
        caps = None  # "RÉSULTAT DU VOTE" over a vote panel's counts: the noun, no operative "VOTE"
    if caps and not _is_table_header(line):
        return _VERBS[fold(caps.group(1)).upper()]
    folded = fold(line).strip()
    if _DELIBERE_RE.fullmatch(line.strip()):
        return "a décidé"  # "DÉLIBÈRE" alone, then "Article 1er : ..." (a SDIS's, a département's act)
    if _OPENING_RE.search(folded):
        if re.search(r"\b(?:a|ont) ete (?:elu|designe|proclame)|\b(?:est|sont) (?:designe|proclame)", folded):
            if folded.endswith(":"):  # "A été élu :" then the names, as rows
                return "a élu" if re.search(r"\belu|proclame", folded) else "a désigné"
            return ""  # "M. X a été élu maire": the sentence says who, as it is
        if re.search(r"^vot(?:e|er)\b|\bvote\s*:|^\d+ votes?\b|:\s*\d+\s+votes?\s+pour\b", folded):
            return "a voté"  # ("... ne prend pas part au vote, le conseil décide ...": decided, not voted)
        if re.search(r"\belu", folded):
            return "a élu"
        if "designe" in folded:
            return "a désigné"
        for verb in ("decide", "fixe", "accepte", "approuve", "autorise", "attribue", "adopte", "vote"):
            if re.search(rf"\b{verb}\b", folded):
                return _VERBS[verb.upper()]
        return ""
    return None


# Verbs a dispositif's rows open with, written lower case after "après en avoir délibéré :", that are no capital
# operative verbs (`_VERBS`)
_ROW_VERBS = {
    "DIT": "a dit", "ADMET": "a admis", "PREND": "a pris", "CHARGE": "a chargé", "SOLLICITE": "a sollicité",
    "REFUSE": "a refusé",
}  # fmt: skip


def told_as_done(row: str) -> str | None:
    """A row of a dispositif told as what was done: "approuve le budget 2025 de l'office ;" -> "a approuvé le budget
    2025 de l'office"; None when the row opens with no operative verb.

    >>> told_as_done("rejette la proposition."), told_as_done("Montant : 12 €")
    ('a rejeté la proposition', None)
    """
    verb, _, rest = row.strip().partition(" ")
    key = fold(verb).upper()
    past = (_VERBS.get(key) or _ROW_VERBS.get(key)) if verb[:1].islower() else None
    return f"{past} {rest}".rstrip(" .;:,") if past and rest else None


def _runs_on(line: str) -> bool:
    """Whether a line the sentence above goes on with holds an operative verb only further on, in the same sentence:
    "Tréméjac une ligne de trésorerie ..., et AUTORISE le président à signer" after "DÉCIDE d'ouvrir auprès de la
    Banque de l'Arbèse et du" (one provision, not two).

    >>> _runs_on("Tréméjac une ligne de trésorerie de 2 000 000 €, et AUTORISE le président à signer le contrat.")
    True
    >>> _runs_on("AUTORISE le président à signer le contrat."), _runs_on("2024. Le conseil AUTORISE le maire.")
    (False, False)
    """
    caps = _CAPS_VERB_RE.search(line)
    return (
        caps is not None
        and caps.start() > 0
        and not re.search(r"[.;:]\s", line[: caps.start()])
        and not _OPENING_RE.search(fold(line[: caps.start()]))
    )


_LOWER_VERB_RE = re.compile(
    r"\b(?:d[ée]cid|fix|accept|approuv|d[ée]sign|autoris|attribu|adopt|[ée]lu)\w*\b\s*:?", re.IGNORECASE
)


def after_verb(provision: Provision) -> str:
    """What the operative sentence says after its verb: "ACCEPTE les tarifs proposés" -> "les tarifs proposés";
    "" for an announcement whose rows say it all ("il est proposé au conseil :")."""
    sentence = provision.sentence
    if not provision.verb:
        return "" if sentence.endswith(":") and provision.rows else sentence
    if provision.verb == "a voté" or _VOTE_LINE_RE.match(fold(sentence)):
        return "" if _VOTE_LINE_RE.match(fold(sentence)) and provision.rows else sentence
    match = _CAPS_VERB_RE.search(sentence) or _LOWER_VERB_RE.search(sentence) or _DELIBERE_RE.match(sentence)
    return sentence[match.end() :] if match else sentence


def _is_table_header(line: str) -> bool:
    """A table's column titles in capitals ("NOM ASSOCIATION NATURE MONTANT ACCORDE"): no sentence."""
    stripped = line.strip()
    return not re.search(r"[a-zà-ÿ]", stripped) and len(stripped.split()) >= 4 and not stripped.endswith((":", "."))


def _vote_of(lines: list[str]) -> str | None:
    """The vote written in these lines ("13 pour, 1 contre", "unanimité"), None when they state none.

    >>> _vote_of(["d'admettre en non-valeur 27 factures des exercices 2019 à 2022 pour un montant de 3 412,86 €"])
    >>> _vote_of(["Votants : 15 – Pour : 13 – Contre : 2"])
    '13 pour, 2 contre'
    >>> _vote_of(["Voix délibératives : 9 – Pour : 8 – Contre : 0 – Abstention : 1 (M. AGUESSE)"])
    '8 pour, 0 contre, 1 abstention(s) (M. AGUESSE)'
    >>> _vote_of(["RÉSULTAT DU VOTE", "Pour 14", "Contre 4", "Abstention 2", "Votants : 20 — ADOPTÉ"])
    '14 pour, 4 contre, 2 abstention(s)'
    """
    counts: dict[str, int] = {}
    for line in lines:
        folded = fold(line)
        # "Pour : 13 – Contre : 2": the labels come first there ("15 – Pour" and "13 – Contre" are no counts)
        labelled = [(m.group(2), m.group(1)) for m in _LABELLED_COUNT_RE.finditer(folded)]
        if column := _COLUMN_COUNT_RE.fullmatch(folded.strip()):
            labelled = [(column.group(2), column.group(1))]  # a vote panel's "Pour 14" / "Contre 4", a line each
        found = labelled or [
            (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            for m in _VOTE_COUNT_RE.finditer(folded)
        ]
        for number, word in found:
            counts.setdefault("abstention(s)" if word.startswith("abstention") else word, int(number))
    if counts:
        return _with_voters(", ".join(f"{n} {w}" for w, n in counts.items()), lines)
    if any(_UNANIMITY_RE.search(fold(line)) for line in lines):
        return "unanimité"
    for line in lines:
        majority = _MAJORITY_RE.search(" ".join(line.split()))
        if majority:
            return majority.group(0)  # as written: "à la majorité absolue"
    return None


def _with_voters(label: str, lines: list[str]) -> str:
    """A record's vote label with who voted so when its text names them beside the same count: "8 pour, 0 contre,
    1 abstention(s)" and "Abstention : 1 (M. AGUESSE)" -> "8 pour, 0 contre, 1 abstention(s) (M. AGUESSE)".

    >>> _with_voters("8 pour, 1 abstention(s)", ["Voix délibératives : 9 – Pour : 8 – Abstention : 1 (M. AGUESSE)"])
    '8 pour, 1 abstention(s) (M. AGUESSE)'
    >>> _with_voters("8 pour, 2 abstention(s)", ["Abstention : 1 (M. AGUESSE)"])
    '8 pour, 2 abstention(s)'

    The names may run over a line break: "par 11 voix pour, 1 voix contre (M. Alain" / "MAZIÈRES) et 1 abstention".

    >>> _with_voters("11 pour, 1 contre", ["par 11 voix pour, 1 voix contre (M. Alain", "MAZIÈRES) et 1 abstention"])
    '11 pour, 1 contre (M. Alain MAZIÈRES)'

    A vote column names them under the counts, after the counts' abbreviations:

    >>> _with_voters("11 pour, 2 contre, 1 abstention(s)", ["Adopté – P 11 / C 2 / A 1", "C : M. LABARTHÈTE, Mme",
    ...     "PRUNIÈRES", "abst. : M. BALDOUS"])
    '11 pour, 2 contre (M. LABARTHÈTE, Mme PRUNIÈRES), 1 abstention(s) (M. BALDOUS)'
    """
    # A vote column's names under the counts: "C : M. LABARTHÈTE, Mme PRUNIÈRES", "abst. : M. BALDOUS"
    for m in _LABELLED_NAMES_RE.finditer(" ".join(" ".join(lines).split())):
        word = "contre" if fold(m["word"]).startswith("c") else "abstention(s)"
        found = re.search(rf"(?<!\d)(\d{{1,3}}) {re.escape(word)}(?! \()", label)
        if found and int(found[1]):
            label = label[: found.end()] + f" ({m['who'].strip(' ,;.')})" + label[found.end() :]
    # "Abstention : 1 (M. AGUESSE)", "2 contre (Mme NOGARET, M. RIGAL)"
    for m in _NAMED_COUNT_RE.finditer(" ".join(lines)):
        word, number = fold(m["word"] or m["word2"]), int(m["n"] or m["n2"])
        if not number:
            continue
        count = f"{number} {'abstention(s)' if word.startswith('abstention') else word}"
        named = f"{count} ({' '.join(m['who'].split())})"
        if named not in label:
            label = re.sub(rf"(?<!\d){re.escape(count)}(?! \()", named, label, count=1)
    return label


# A word set letter by letter for emphasis ("D É L I B È R E"), as a PDF's text gives it.
_SPACED_RE = re.compile(r"(?<![\w])(?:[A-ZÀ-Ý] ){4,}[A-ZÀ-Ý](?![\w])")


def _unspaced(line: str) -> str:
    """ "D É L I B È R E" -> "DÉLIBÈRE" (a line's letter-spaced capitals read as the word they spell).

    >>> _unspaced("D É L I B È R E"), _unspaced("A B C sont des lettres")
    ('DÉLIBÈRE', 'A B C sont des lettres')
    """
    return _SPACED_RE.sub(lambda m: m.group(0).replace(" ", ""), line)


def extract_decision(text: str, record: DeliberationRecord | None = None) -> Decision:
    """The operative part of a deliberation's text, with its rows and fields; `record` gives the vote."""
    lines = [_unspaced(line) for line in logical_lines(text)]
    provisions: list[Provision] = []
    used: set[int] = set()
    i = 0
    # "Monsieur le Maire propose de ... :" and last year's prices, then "ACCEPTE les tarifs ...": the act decides, and a
    # proposal is what an item decides only when it holds no operative verb
    acts = any(_opening(line) for line in lines)
    while i < len(lines):
        verb = _opening(lines[i]) if i not in used else None
        if verb == "" and acts and _PROPOSAL_RE.search(fold(lines[i])):
            verb = None
        if verb is None:
            i += 1
            continue
        # The operative sentence, whole: up to its full stop, a blank line or a row.
        end = i
        while (
            end + 1 < len(lines)
            and end - i + 1 < MAX_SENTENCE_LINES
            and lines[end + 1].strip()
            and not lines[end].rstrip().endswith((".", ":"))
            and not is_row(lines[end + 1])
            and (_opening(lines[end + 1]) is None or _runs_on(lines[end + 1]))
            and not _ARTICLE_HEAD_RE.match(fold(lines[end + 1]).strip())
        ):
            end += 1
        sentence_lines = [lines[j].strip() for j in range(i, end + 1)]
        sentence = " ".join(sentence_lines)
        used.update(range(i, end + 1))
        rows: list[str] = []
        after = end + 1
        if sentence.endswith(":") or not (sentence.endswith(".") or _VOTE_COUNT_RE.search(fold(sentence))):
            rows, after = _rows_after(lines, end + 1, used)
        formulas: list[str] = []
        if (
            not rows
            and (
                sentence.endswith(":") or _CAPS_VERB_RE.fullmatch(sentence.strip()) or _DELIBERE_RE.fullmatch(sentence)
            )
            and end + 1 < len(lines)
            and _ARTICLE_HEAD_RE.match(fold(lines[end + 1]).strip())
        ):
            # "DÉCIDE :" then "ARTICLE 1 : D'attribuer ... :", its table, "ARTICLE 2 : ...": the articles are what
            # it decides (never the "CONSIDÉRANT ..." lines above it)
            rows, after = _articles_after(lines, end + 1, used)
        if not rows:
            rows, formulas = _rows_before(lines, i - 1, used)
        if "ci-dessus" in fold(" ".join([sentence, *rows])):
            rows = _table_above(lines, i - 1, used) + rows  # "les subventions ci-dessus": the table they name
        if not rows and _VOTE_LINE_RE.match(fold(sentence)):
            # "13 votes pour" alone says nothing of what was voted: the lines just above say it.
            context = _paragraph_before(lines, i - 1, used)
            sentence = " ".join([*context, sentence])
        vote = _vote_of(sentence_lines + formulas)
        provisions.append(Provision(sentence=_clean(sentence), rows=[_clean(r) for r in rows], verb=verb, vote=vote))
        i = max(end + 1, after)
    decision = Decision(provisions=provisions)
    body = "\n".join(p.text for p in provisions)
    decision.amounts = amounts(body)
    decision.rates = [a for a in decision.amounts if "%" in a or "/" in a or "pour cent" in a.lower()]
    decision.persons = _persons(provisions)
    if record is not None:
        label = _with_voters(vote_label(record), lines)
        label = written_vote_label(record, label) or label
        decision.vote = None if label == "vote non précisé" else label
        decision.pour, decision.contre, decision.abstention = record.pour, record.contre, record.abstention
    _count_lines(decision, lines)
    return decision


# The end of a dispositif written in articles: the signatures, the certification, the vote's own lines.
_ARTICLES_END_RE = re.compile(
    r"^(?:fait (?:a|et delibere)|pour extrait|certifie|le (?:president|maire)|la presidente|acte rendu|votants?\s*:"
    r"|adopte|rejete|vote\s*:|(?:pour|contre|abstentions?)\s*:)"
)


MIN_WRAPPED_CHARS = 60  # a line this long, with no end mark, is a sentence the next line goes on with


def _articles_after(lines: list[str], start: int, used: set[int]) -> tuple[list[str], int]:
    """The lines of the articles from `start` (each "ARTICLE n : ..." and the rows of its table) up to the
    signatures or the vote, as rows; and the index after them."""
    rows: list[str] = []
    j = start
    while j < len(lines) and len(rows) < MAX_ROWS:
        line = lines[j].strip()
        if not line:
            if rows and j + 1 < len(lines) and _ARTICLE_HEAD_RE.match(fold(lines[j + 1]).strip()):
                j += 1
                continue
            break
        if _ARTICLES_END_RE.match(fold(line)):
            break
        if (
            rows
            and len(rows[-1]) >= MIN_WRAPPED_CHARS
            and not rows[-1].endswith((":", ".", ";"))
            and not _ARTICLE_HEAD_RE.match(fold(line))
        ):
            rows[-1] = f"{rows[-1]} {line}"  # an article's sentence goes on over the line (a table's row is short)
        else:
            rows.append(line)
        used.add(j)
        j += 1
    return rows, j


def _count_lines(decision: Decision, lines: list[str]) -> None:
    """The counts of "Pour : 58 / Contre : 1" lines (a compte rendu's item), when the record has none."""
    if decision.pour is not None or decision.contre is not None:
        return
    counted = [line for line in lines if _COUNT_LINE_RE.match(fold(line).strip())]
    words = [fold(line).split(":")[0].strip().rstrip("s") for line in counted]
    if not counted or len(words) != len(set(words)):
        return  # none, or two items' counts in one text: which is whose is not known
    for line in counted:
        word, number = fold(line).split(":")[0].strip(), int(re.findall(r"\d+", line)[0])
        if word == "pour":
            decision.pour = number
        elif word == "contre":
            decision.contre = number
        else:
            decision.abstention = number
    counts = _vote_of(counted)
    outcome = (decision.vote or "").replace("(décompte non précisé)", "").strip()
    decision.vote = f"{outcome} : {counts}" if outcome else counts


# "o Montant total : 2.000.000 €": a letter "o" used as a bullet (a sub-list in Word documents) starts an item.
_O_BULLET_RE = re.compile(r"^o\s+(?=[A-ZÀ-Ý0-9])")


def logical_lines(text: str) -> list[str]:
    """The text's lines, a line that starts in lower case joined to the one it continues (PDF wrapping);
    a sub-list's "o" bullet starts a line of its own.

    >>> logical_lines("Auprès du CREDIT MUTUEL :\\no Montant total : 2 €\\no Durée : 10 ans\\nsans phase")
    ['Auprès du CREDIT MUTUEL :', 'o Montant total : 2 €', 'o Durée : 10 ans sans phase']
    """
    out: list[str] = []
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        previous = out[-1].rstrip() if out else ""
        if (
            previous
            and stripped
            and (
                (stripped[0].islower() and not previous.endswith((":", ";", ".")) and not _O_BULLET_RE.match(stripped))
                or re.search(r"\b(?:M\.|MM\.|Mme|Mmes|Mlle)$", previous)
            )
        ):
            out[-1] = f"{previous} {stripped}"
        else:
            out.append(line)
    return out


def _paragraph_before(lines: list[str], start: int, used: set[int]) -> list[str]:
    """Up to three non-blank lines above `start`, not a heading ("3/ Subventions :") nor already used."""
    out: list[str] = []
    j = start
    while j >= 0 and len(out) < 3 and lines[j].strip() and j not in used:
        line = lines[j].strip()
        if re.match(r"^\d+(?:\.\d+)?\s*[/).-]?\s+\S.*:?$", line) and line.endswith(":"):
            break
        out.insert(0, line)
        used.add(j)
        j -= 1
    return out


# The lines of the prefecture's stamp a page may print in the middle of a list (folded): "Accusé de réception -
# Ministère de l'intérieur", "Acte Certifié exécutoire", "Envoi Préfecture :", "28/04/2014", "034-213401722-...-DE".
_STAMP_LINE_RE = re.compile(
    r"^(?:accuse de reception\b.{0,60}|acte certifie executoire|(?:envoi|reception) (?:en )?prefecture\s*:?[\d/ ]*"
    r"|\d{2}/\d{2}/\d{4}|\d{3}-\d{9}-\d{8}-\S+-[a-z]{2})$"
)


def is_stamp_line(line: str) -> bool:
    """A line of the prefecture's stamp printed across a page ("Acte Certifié exécutoire", "06/02/2013").

    >>> is_stamp_line("Réception en Préfecture :"), is_stamp_line("034-213401722-20130204-0000061100-DE")
    (True, True)
    >>> is_stamp_line("SOGETREL")
    False
    """
    return bool(_STAMP_LINE_RE.match(fold(line.strip())))


def _after_stamp(lines: list[str], j: int) -> int:
    """The first line after the stamp's lines starting at `j`, blank lines skipped."""
    while j < len(lines) and (not lines[j].strip() or _STAMP_LINE_RE.match(fold(lines[j].strip()))):
        j += 1
    return j


def _list_goes_on(lines: list[str], k: int) -> bool:
    """Whether rows, or a subheading and its rows ("Au Conseil d'Administration :", "- Max LEVITA"), start at `k`."""
    if k >= len(lines):
        return False
    return _rows_follow(lines, k) or (_is_subheading(lines[k].strip()) and _rows_follow(lines, k + 1))


def _rows_after(lines: list[str], start: int, used: set[int]) -> tuple[list[str], int]:
    """The rows following an operative sentence (blank lines between rows allowed)."""
    rows: list[str] = []
    j = start
    while j < len(lines) and len(rows) < MAX_ROWS:
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if _is_formula(line) and j not in used:
            used.add(j)  # "Par : DEUX voix POUR ..." between the verb and its rows
            j += 1
            continue
        if j not in used and _STAMP_LINE_RE.match(fold(line)) and _list_goes_on(lines, _after_stamp(lines, j)):
            used.add(j)  # the prefecture's stamp printed between "Ont été élus :" and the names
            j += 1
            continue
        if j not in used and _is_subheading(line) and _rows_follow(lines, j + 1):
            used.add(j)  # "Représentants élus :" between "Ont été élus :" and the names
            j += 1
            continue
        cell = _label_cells(lines, j, used)
        if cell is not None:  # a table flattened to one cell a line: "Taxe d'habitation" / "12.15 %"
            row, j = cell
            rows.append(row)
            continue
        labelled = bool(re.match(r"^[^:]{2,30}\s:\s*\S", line)) and _rows_follow(lines, j + 1)
        if j in used or not (is_row(line) or is_name_line(line) or labelled):
            break  # ("Président : Monsieur le Maire" heads the names below it: a row too)
        if _opening(line) is not None and not _BULLET_RE.match(line):
            break
        rows.append(line)
        used.add(j)
        j += 1
    return rows, j


def _label_cells(lines: list[str], start: int, used: set[int]) -> tuple[str, int] | None:
    """("Section de fonctionnement Recettes 297 843.00 €", next index) when the line at `start` is a short
    label and one or two such labels are followed by a line that is only an amount (a table whose cells
    came one per line), else None."""
    labels: list[str] = []
    j = start
    while j < len(lines) and len(labels) <= MAX_LABEL_CELLS:
        line = lines[j].strip()
        if not line:
            j += 1
            continue
        if j in used:
            return None
        if amounts(line) and len(line) <= MAX_CELL_CHARS and labels:
            used.update(range(start, j + 1))
            return " ".join([*labels, line]), j + 1
        if len(line) > MAX_CELL_CHARS or line.endswith((".", ":", ";")) or amounts(line) or is_row(line):
            return None
        if _opening(line) is not None or _is_formula(line) or is_name_line(line):
            return None
        labels.append(line)
        j += 1
    return None


def _is_subheading(line: str) -> bool:
    """A short label announcing the rows below ("Représentants élus :", "Associations :")."""
    return len(line) <= 60 and line.endswith(":") and _opening(line) is None and not _is_formula(line)


def _rows_follow(lines: list[str], start: int) -> bool:
    """Whether the next non-blank line from `start` is a row or a name."""
    nxt = next((line.strip() for line in lines[start:] if line.strip()), "")
    return bool(nxt) and (is_row(nxt) or is_name_line(nxt))


# A name given as the one designated: after a civility ("Monsieur Jean-Paul Charrier"), or after the label
# of a seat or an election ("Titulaires : Denis JUVIN", "Suppléante : Madame Muriel NIGGEL", "élu : X").
_DESIGNATED_RE = re.compile(
    r"(?:\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame)\s+[A-ZÀ-Ý])"
    r"|(?:\b(?:titulaires?|suppl[ée]ant(?:e|s|es)?|d[ée]l[ée]gu[ée]s?|repr[ée]sentants?|conseill[eè]re?s?"
    r"(?: \w+)?|pr[ée]sidente?|[ée]lu(?:e|s|es)?|d[ée]sign[ée](?:e|s|es)?|membres?)\s*:\s*-?\s*[A-ZÀ-Ý])",
    re.IGNORECASE,
)


def designates(text: str) -> bool:
    """Whether the text gives a person as the one designated or elected (a civility or a seat's label
    before the name), not only a capitalised phrase that looks like a name ("Programmation LEADER").

    >>> designates("Titulaires : Denis JUVIN - Jean-Pierre PLUS"), designates("Comité de Programmation LEADER")
    (True, False)
    """
    return any(PERSON_RE.search(text[m.start() : m.end() + 60]) for m in _DESIGNATED_RE.finditer(text))


def is_name_line(line: str) -> bool:
    """A line that is only a person's name ("Fabrice PALAU", "M. ROBERT Henri")."""
    match = PERSON_RE.search(line)
    return match is not None and len(line.strip(" -•–")) <= len(match.group(0).strip()) + 3


def _rows_before(lines: list[str], start: int, used: set[int]) -> tuple[list[str], list[str]]:
    """The rows just above an operative sentence (the proposal it accepts), skipping the formulas
    ("après en avoir délibéré", "Par 13 voix POUR"), up to the line that announces them (ending ":")."""
    rows: list[str] = []
    formulas: list[str] = []
    j = start
    while j >= 0 and len(rows) < MAX_ROWS:
        line = lines[j].strip()
        if not line:
            j -= 1
            continue
        if j in used:
            break
        if _is_formula(line) and not rows:
            formulas.append(line)
        elif is_row(line) and not line.endswith(":"):
            rows.append(line)
            used.add(j)
        elif rows and _SEAT_LABEL_RE.match(fold(line)):
            # "Suppléants :" over its names, "Titulaires :" over theirs: each list with its seat, both read
            rows[-1] = f"{line} {rows[-1].lstrip(' -•–')}"
            used.add(j)
        else:
            break
        j -= 1
    return list(reversed(rows)), formulas


# A seat's label over the names of a designation ("Titulaires :", "Suppléants :", "Délégués titulaires :").
_SEAT_LABEL_RE = re.compile(
    r"^(?:titulaires?|suppleant(?:e|s|es)?|delegue(?:e|s|es)?(?: \w+)?|representant(?:e|s|es)?(?: \w+)?|membres?(?: \w+)?)"
    r"\s*:$"
)


def _table_above(lines: list[str], start: int, used: set[int]) -> list[str]:
    """The nearest table of amounts above `start` (rows holding an amount, page stamps and headers
    between them skipped), up to the paragraph that introduces it."""
    rows: list[str] = []
    j = start
    while j >= 0 and start - j < MAX_TABLE_SCAN:
        line = lines[j].strip()
        if j in used or (rows and (len(line) > MAX_TABLE_LINE or (line.endswith(":") and len(line) > 40))):
            break  # (short labels ending with ":" are page stamps or column titles, not the introduction)
        if line and len(line) <= MAX_TABLE_LINE and amounts(line) and not _is_formula(line):
            rows.append(line)
            used.add(j)
        j -= 1
    return list(reversed(rows))


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _BULLET_RE.sub("", text, count=1) if _BULLET_RE.match(text) else text).strip()


# Words that end a name found by PERSON_RE ("Mme Destruel ET DE ...", "M. Thoreau Gérard Agent").
_NOT_NAME_WORDS = frozenset(
    [
        "et",
        "de",
        "du",
        "le",
        "la",
        "les",
        "en",
        "pour",
        "par",
        "agent",
        "elu",
        "elue",
        "titulaire",
        "titulaires",
        "suppleant",
        "suppleante",
        "suppleants",
        "maire",
        "adjoint",
        "adjointe",
        "conseil",
        "municipal",
        "conseiller",
        "conseillere",
        "delegue",
        "deleguee",
        "membre",
        *(fold(v) for v in _VERBS),
    ]
)


def _persons(provisions: list[Provision]) -> list[str]:
    """Names after a civility ("M. ROBERT Henri") anywhere, bare names ("Fabrice PALAU") in rows only."""
    matches = [m for p in provisions for m in PERSON_RE.finditer(p.sentence) if _CIVILITY_RE.match(m.group(0))]
    matches += [m for p in provisions for row in p.rows for m in PERSON_RE.finditer(row)]
    out: list[str] = []
    for match in matches:
        kept: list[str] = []
        words = match.group(0).split()
        for k, word in enumerate(words):
            particle = fold(word).lower() in ("de", "du") and kept and k + 1 < len(words) and words[k + 1].isupper()
            if not particle and (fold(word).strip(".").lower() in _NOT_NAME_WORDS or word.rstrip("NT") in _VERBS):
                break  # ("Henri de VERBIZIER": a particle before a surname in capitals stays)
            kept.append(word)
        name = " ".join(kept).strip(" .")
        if len(kept) >= 2 and name not in out:
            out.append(name)
    return out
