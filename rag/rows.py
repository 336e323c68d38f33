"""Where the fact of a decision sits when the passage found does not hold it: a row of a table, or the
operative part in another passage of the same deliberation.

The answer step (rag.answer) quotes sentences close to the question; these helpers add the table row that
names the question's rare words ("429 RAIPONCE F 3 200 €" for "combien pour l'association RAIPONCE ?")
and the operative part ("A été élu : - Max LEVITA") of the record found, read from the record's other
passages (same document id and record index in the store) when needed, so that they can be cited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from rag import schema
from rag.decision import designates, extract_decision, is_name_line, is_row, is_stamp_line, logical_lines
from rag.french import fold
from rag.meeting import is_meeting_formula
from rag.question import (
    AMOUNT,
    DECISION,
    NUMBER,
    OFFICE_RE,
    ORGANISATION,
    OTHER,
    PERSON,
    PERSON_RE,
    VALUE_KINDS,
    VOTE,
    awarded,
    counted,
    counts,
    gives,
    gives_asked,
    head_noun,
    item_numbers,
    label_fits,
    name_stems,
    opposed,
    other_numbered,
    other_reference,
    rank,
)
from rag.schema import Chunk, ScoredChunk
from rag.store import ChromaStore
from rag.text import sentences, tokens

MIN_ROW_CHARS = 8
MAX_ROW_CHARS = 300
MAX_SIBLINGS = 30  # passages of one record read for its rows (a long budget has many; keep answers fast)
MAX_BLOCK_ABOVE = 3  # lines of a block read above a row for the short heading it sits under
MAX_BLOCK_BELOW = 2  # rows of the same block kept after the row ("Suppléants : ..." after "Titulaires : ...")
MAX_HEADING_CHARS = 120
MAX_BLOCK_CHARS = 400
MIN_ANNOUNCING_CHARS = 40  # a line ending with ":" this long announces rows; a shorter one is a label
GAP = "[…]"


def typed_row(
    question: str,
    kind: str,
    hits: list[ScoredChunk],
    quoted: str,
    store: ChromaStore,
    idf: Callable[[str], float],
    about_meeting: bool = False,
    near: str = "",
) -> tuple[ScoredChunk, int, str] | None:
    """(passage, line position, row): the table or list row holding the kind of fact asked for that
    names most of the question, when it names more than `quoted` (the sentences already quoted, one a line). Rows
    are looked for in `hits` and in the other passages of their records (the table often sits in the
    passage after the paragraph that was found). `near`: every sentence quoted, one a line (a row holding the
    word asked a few lines under one of them is the value asked, see below)."""
    seen = {hit.chunk.id for hit in hits}
    items = item_numbers(question)  # "le lot 2": the row "Lot n°1 à la société ..." is another lot's
    pool: list[ScoredChunk] = []
    for hit in hits:
        pool.append(hit)
        pool += [ScoredChunk(chunk=c, score=hit.score) for c in record_siblings(hit.chunk, store, seen)]
    best: tuple[tuple[Any, ...], ScoredChunk, int, str, str, str, str, str] | None = None
    by_index = {(c.chunk.meta.get(schema.DOC_ID), c.chunk.meta.get(schema.CHUNK_INDEX)): c.chunk for c in pool}
    # "À quel taux ... ?": a row holding the word asked ("Taux fixe 0.53 %") a few lines under a sentence
    # quoted, when no sentence quoted holds it, is the value asked (the list of a loan's characteristics)
    unit = counted(question) if kind == NUMBER else None  # "combien de membres": what is counted
    head = head_noun(question) if kind in VALUE_KINDS else None  # "quels élus" names the seat, not a value
    if head and any(head in tokens(line) for line in quoted.splitlines()):
        head = None  # a sentence quoted holds it already
    said = [_squash(line) for line in quoted.splitlines() if line.strip()]
    # any sentence quoted from the best passage's document: "la SERM a obtenu l'emprunt suivant :" holds no rate,
    # yet the rate row under it is the value asked
    said_near = [_squash(line) for line in near.splitlines() if line.strip()]
    first_doc = hits[0].chunk.meta.get(schema.DOC_ID) if hits else None
    headed: tuple[ScoredChunk, int, str] | None = None
    for order, hit in enumerate(pool):
        if hit.chunk.meta.get(schema.BOILERPLATE):
            continue
        # What the record is about counts for each of its rows: "Titulaire : Patricia MICHOT" under an
        # item on the CSI answers "qui représente la commune au CSI ?" (its title names the CSI).
        about = str(hit.chunk.meta.get(schema.OBJET) or "")
        lines = lines_of(hit)
        # The passage before, when read too: a sub-list's heading may end it ("- Auprès du CREDIT MUTUEL :").
        index = hit.chunk.meta.get(schema.CHUNK_INDEX)
        before = by_index.get((hit.chunk.meta.get(schema.DOC_ID), index - 1)) if isinstance(index, int) else None
        above = [" ".join(raw.split()) for raw in logical_lines(before.text)] if before is not None else []
        # (raw lines, the passage before's too: a table's header may end it, its rows under the stamp)
        raw_lines = (before.text.splitlines() if before is not None else []) + hit.chunk.text.splitlines()
        for position, raw in enumerate(lines):
            line = raw.strip(" -•–")
            # a row cut at its hyphens ("Sainte Odile HOPITAUX-", "FACULTES", "- Michèle DRAY-", "FITOUSSI"): one row
            cut = cut_row(lines, position)
            line = cut or line
            # a row under a table's header ("Lot Entreprise ... Montants retenus ..."): read with its column titles
            table = None if cut else header_above(raw_lines, line)
            wrapped = "" if kind == PERSON or gives(kind, line) else wrapped_row(lines, position, kind)
            # an entry of a list laid out alike: its own lines, then its values under labels every entry repeats
            # ("Aurélia Gonzalez ... Trans-Révérence ... Montant accordé: 1 100 €"): one row
            entry = "" if wrapped else entry_block(lines, position)
            if not MIN_ROW_CHARS <= len(wrapped or line) <= MAX_ROW_CHARS and not entry:
                continue
            line = wrapped or entry or line
            value = entry_values(lines, position) if entry else line  # (an entry's own lines give no value)
            given = gives(kind, value) or (kind == PERSON and awarded(question) and gives(ORGANISATION, value))
            # (a company's name in capitals under a column titled "Entreprise", "Titulaire": "SOGETREL")
            given = given or (table is not None and names_company(kind, question, *table))
            if not (given or unit_in_header(kind, line)):
                continue
            if any(other_reference(noun, ref, line) for noun, ref in items) or other_numbered(question, line):
                continue  # "le lot 2": the row "Lot n°1 à la société ..." is another lot's
            if not about_meeting and is_meeting_formula(line):
                continue  # "Présents : ..." lists names, but of the meeting, not of a decision
            # (a later row of the same list whose label the question names whole replaces it: "montant maximum :
            # 300.000,00 €" under "montant minimum : 100.000,00 €" for "le montant maximum")
            replaces = headed is None or (
                headed[0] is hit and label_fits(question, line) and not label_fits(question, headed[2])
            )
            if head and replaces and head in tokens(line) and not opposed(question, line):
                # (the lines above may end the passage before: "la SERM a obtenu l'emprunt suivant :")
                read = above + lines
                at = len(above) + position
                window = [_squash(prior) for prior in read[max(0, at - MAX_NEAR_LINES) : at]]
                under = said + (said_near if hit.chunk.meta.get(schema.DOC_ID) == first_doc else [])
                if any(w and any(w in q for q in under) for w in window if len(w) >= MIN_ROW_CHARS):
                    headed = (hit, position, line)
            # a row under a table's header: the column titles say what its values are ("Moyenne des besoins sur 1
            # an" over "300 000,00"), its cells run over the lines above its figures
            titled = None if wrapped or entry or cut else table
            if titled is not None and _squash(titled[1]) not in _squash(hit.chunk.text):
                titled = None
            titles = titled[0] if titled is not None else ""
            # a table flattened one cell a line, its rows alike ("1ère tranche + 1.5 %", "0 m3 à 80 m3", "1.12 €/m3")
            periodic = "" if wrapped or entry or cut or titled is not None else periodic_row(lines, position)
            block = (
                wrapped or entry or cut or periodic or (titled[1] if titled is not None else row_block(lines, position))
            )
            if kind == PERSON:
                # a table of seats: the establishment's name on its own lines above "Titulaires :" and the names
                block = seat_group(lines, position) or block
            if not about_meeting and is_meeting_formula(block):
                # under "Pour extrait conforme," or above "Publiée le :", a name is the record's frame, not a
                # decision; under "Monsieur le Maire rapporte :", the row alone may still answer
                block = line
                if gives(PERSON, line) and kind == PERSON:
                    continue
            row_rank = rank(question, f"{about} {titles} {block}", idf)
            # Two sub-lists alike ("Auprès du CREDIT FONCIER :" then "o Taux fixe maximum de 3.21 %", "Auprès
            # du CREDIT MUTUEL :" then "o Taux fixe maximum de 3.30 %"): the heading of its own names the row.
            heading = section_heading(above + lines, len(above) + position) if kind in VALUE_KINDS else ""
            if heading and heading in block:
                heading = ""  # the row's block holds it already
            own = rank(question, heading, idf)[:2] if heading else (0, 0)
            # "postes créés": a row of posts removed is never preferred to one of posts created
            # "Rédacteur : Création de 10 postes" names the rédacteurs asked about, "Rédacteur principal ..." others
            # (or, for "combien de membres", a line counting members: "10 membres élus à la représentation ...")
            fits = _fit(question, line, unit) if kind in VALUE_KINDS else 0
            key = (
                # (and, for "combien coûte", a sum in euros before an area in m²)
                2 * int(not opposed(question, block) and not other_numbered(question, block)) + int(gives_asked(question, kind, line) or unit_in_header(kind, line)),
                # a row labelled by two words of the question or more ("Taux fixe : 2.30 %" for "le taux fixe du
                # prêt") first: a row of another label naming more of the question ("garantie ... à hauteur de 80 %")
                # gives another value
                fits == 2 and len(set(tokens(line.partition(":")[0]))) >= 2, row_rank[:2], fits, own, row_rank,
                int(kind == PERSON and designated(block)), -order,
            )  # fmt: skip
            if row_rank[2] > 0 and (best is None or key > best[0]):
                # the heading is quoted with the row when the passage holds it (a quote is its passage's text)
                named = own > (0, 0) and heading in lines[:position]
                quoted_block = f"{heading} {GAP} {block}" if named else block
                best = (key, hit, position, quoted_block, about, line, wrapped, titles)
    if best is None:
        return None
    key, hit, position, block, about, row, wrapped, titles = best
    if headed is not None and not (key[0] >= 2 and names_unquoted(question, block, f"{quoted}\n{headed[2]}", idf)):
        # (unless the best row writes a name of the question that neither it nor the quotes write: "429 RAIPONCE F 3
        # 200 €", not the imputation "pour un montant de 46 550 €" under the quoted "de décider de l'affectation ...")
        return headed
    if key[0] >= 2 and wrapped and _squash(lines_of(hit)[position]) in _squash(quoted):
        # the quotes cut this row from the cell holding its figure ("4388 Le Passe Muraille Chantiers
        # citoyens" quoted, "10 000 €" three lines below): the row rebuilt answers
        return hit, position, block
    if not quoted.strip() and rank(question, f"{titles} {block}", idf)[2] > 0:
        # Nothing quoted holds the kind of fact asked for: the row that does and names the question itself
        # (not only through its record's title) answers ("émettre un avis favorable concernant ce projet").
        return hit, position, block
    than = rank(question, f"{about} {quoted}", idf)
    # A designated person (a civility or a seat's label before the name) answers "qui" better than a
    # capitalised phrase that only looks like a name, at equal rank.
    if key[0] < 2:
        return None  # the row tells the opposite of what is asked
    if names_unquoted(question, block, quoted, idf):
        # the row writes a name of the question no quote writes ("Lycée Joffre CENTRE Titulaires : - Cédric de
        # SAINT-JOUAN ..." where the quotes give another lycée's seats): what the record is about (its title, which
        # may name every row's establishment) does not make the quotes name it
        return hit, position, block
    if key[3] > max((_fit(question, line, unit) for line in quoted.splitlines()), default=0) and key[5][:2] >= than[:2]:
        # the row labelled by what is asked, where the quotes name it only in passing: quoted alone (its
        # label says what it is about; the row above may be of another label), or with its block when the block
        # names more of the question ("- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :" above
        # "Taux fixe : 2.30 %": the lender asked about)
        return hit, position, block if rank(question, block, idf)[:2] > rank(question, row, idf)[:2] else row
    better = key[6] and not designated(quoted)
    if key[5] < than or (key[5] == than and not better):
        return None
    return hit, position, block


def names_unquoted(question: str, row: str, quoted: str, idf: Callable[[str], float] | None = None) -> bool:
    r"""Whether `row` writes one of the question's names (rag.question.name_stems: "Joffre", "RAIPONCE"; not "la
    Ville") and names more of the question (rag.question.rank) than each of the `quoted` sentences (one a line)
    does: "Lycée Joffre CENTRE Titulaires : ..." names the lycée asked, "Collège Joffre CENTRE Titulaires :" of
    another record and "Lycée Mermoz CENTRE Titulaires :" name half of it each.

    >>> q = "Qui sont les titulaires qui représentent la Ville au conseil d'administration du lycée Joffre ?"
    >>> row = "Lycée Joffre CENTRE Titulaires : - Cédric de SAINT-JOUAN"
    >>> names_unquoted(q, row, "Lycée Mermoz CENTRE Titulaires :\nCollège Joffre CENTRE Titulaires :")
    True
    >>> names_unquoted(q, row, "Les titulaires du lycée Joffre sont :")
    False
    >>> names_unquoted(q, "Ville de Montpellier Titulaires : - Rémi ASSIE", "Lycée Mermoz CENTRE Titulaires :")
    False
    """
    if not set(name_stems(question)) & set(tokens(row)):
        return False
    width = 2 if idf is not None else 3  # (without weights, the count of shared words)
    own = rank(question, row, idf)[:width]
    return all(rank(question, line, idf)[:width] < own for line in quoted.splitlines() if line.strip())


def _fit(question: str, line: str, unit: str | None) -> int:
    """How closely a row is about what is asked: 2 when its label is named whole by the question ("Rédacteur :
    Création de 10 postes"), 1 when it counts what a "combien de" question counts ("10 membres élus"), else 0."""
    if label_fits(question, line):
        return 2
    return int(unit is not None and counts(line, unit))


# A seat named, then the persons it announces: "Les 3 représentants de la Ville de Montpellier sont :",
# "Représentant du Maire : Max LEVITA".
_SEATS_ANNOUNCED_RE = re.compile(
    r"(?i:\b(?:titulaires?|suppl[ée]ant(?:e|s|es)?|d[ée]l[ée]gu[ée](?:e|s|es)?|repr[ée]sentant(?:e|s|es)?|membres?)"
    r"\b[^.:;\n]{0,60}:)\s*-?\s*(?!(?:La|Le|Les|L['’]|Un|Une|Des|Du)\b)(?=[A-ZÀ-Ý])"
)  # a capital after the colon, not an article ("membres ... suivants : - La Commune de MONTPELLIER")


def designated(block: str) -> bool:
    """Whether a block gives persons as designated: a civility or a seat's label before a name (rag.decision),
    or a seat named before the list it announces ("Les 3 représentants de la Ville sont : - Philippe SAUREL").

    >>> designated("Les 3 représentants de la Ville de Montpellier sont : - Philippe SAUREL -Agnés BOYER")
    True
    >>> designated("Le Conseil désigne ses représentants au syndicat.")
    False
    >>> designated("d’autoriser Madame Le Maire, ou à défaut l’Adjoint délégué, à signer"), designated("Madame Anne LEROY")
    (False, True)
    >>> designated("Les montants des membres du Groupement seront les suivants : - La Commune de MONTPELLIER")
    False
    """
    block = OFFICE_RE.sub("", block)  # "d'autoriser Madame Le Maire" names an office, not a person designated
    return designates(block) or any(PERSON_RE.match(block, m.end()) for m in _SEATS_ANNOUNCED_RE.finditer(block))


# A table row ending with a sum whose unit is in the column's header ("4974 LANGUEDOC ROUSSILLON CINEMA
# Fonctionnement 9 000" under "Montant en €"): thousands grouped by spaces or points, or 3 digits ("800");
# 4 digits or more without grouping are a code, a year or an account ("nature 6574"), not a sum.
_BARE_SUM_RE = re.compile(r"(?<![\d,.])(?:\d{1,3}(?:[ \u00a0.]\d{3})+|\d{3})(?:,\d{2})?\s*$")


def unit_in_header(kind: str, line: str) -> bool:
    """Whether, for a question asking an amount, the line is a table row ending with a sum whose unit is
    printed in the table's header only.

    >>> unit_in_header(AMOUNT, "4974 LANGUEDOC ROUSSILLON CINEMA Fonctionnement 9 000")
    True
    >>> unit_in_header(AMOUNT, "Subventions aux associations Exercice 2014"), unit_in_header("number", "Lot 2 12 500")
    (False, False)
    >>> unit_in_header(AMOUNT, "imputées sur la nature 6574"), unit_in_header(AMOUNT, "2432 PAILLADE VIVE Paillade 800")
    (False, True)
    """
    return kind == AMOUNT and bool(_BARE_SUM_RE.search(line))


def row_block(lines: list[str], position: int) -> str:
    """The row at `position` with the short heading it sits under and the rows of its block, as one quote:
    "Syndicat Mixte d'Electricité du Gard (SMEG) Titulaires : Denis JUVIN - Jean-Pierre PLUS Suppléants :
    ..." says for what a name was designated, "Titulaires : Denis JUVIN - Jean-Pierre PLUS" alone does not.
    Only when the heading is at most MAX_BLOCK_ABOVE rows up (a row deep in a long table stays alone).
    The lines after the first are quoted as written (their bullets too: a quote is a substring).

    >>> row_block(["PETR (SCOT)", "Titulaires : Denis JUVIN", "- Suppléants : Catherine VINAS", "Questions"], 1)
    'PETR (SCOT) Titulaires : Denis JUVIN - Suppléants : Catherine VINAS'
    >>> row_block(["Les 3 représentants sont :", "- Ana BOYER", "- Michel PASSET", "Les 3 personnalités sont :"], 1)
    'Les 3 représentants sont : - Ana BOYER - Michel PASSET'
    >>> row_block(["- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :", "Taux fixe : 2.30 %"], 1)
    '2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes : Taux fixe : 2.30 %'
    """
    row = lines[position].strip(" -•–")
    start = position
    for j in range(position - 1, max(-1, position - 1 - MAX_BLOCK_ABOVE), -1):
        line = lines[j].strip(" -•–")
        if GAP in line:
            break  # a passage's own gap marker ("[…]" after a record's title) is never quoted
        # a sentence announcing the rows ("- 2 500 000 € auprès du CREDIT AGRICOLE aux conditions suivantes :") heads
        # them even when it reads like a row itself; a short label ("Titulaires :") is a row of the block
        announces = line.endswith(":") and len(line) >= MIN_ANNOUNCING_CHARS
        if not line or (_in_block(line) and not announces):
            continue
        if len(line) <= MAX_HEADING_CHARS and not line.endswith((".", ";")) and not gives(PERSON, line):
            start = j  # the heading ("Centre Socioculturel Intercommunal ... (CSI)", "Sont élus :")
        break
    if start == position:
        return row
    heading = lines[start].strip(" -•–")
    if heading.endswith(":") and start == position - 1:
        # "Les 3 représentants ... sont :" then its names: the whole list it announces (rag.rows.continuation)
        items = continuation(heading, lines[start + 1 :])
        block = " ".join([heading, *items])
        if items and all(is_name_line(i) for i in items) and len(block) <= MAX_BLOCK_CHARS:
            return block
    end = position
    for j in range(position + 1, min(len(lines), position + 1 + MAX_BLOCK_BELOW)):
        line = lines[j].strip(" -•–")
        if not line or GAP in line or not (_in_block(line) and ":" in line):
            break
        end = j
    parts = [lines[start].strip(" -•–"), *lines[start + 1 : end + 1]]
    block = " ".join(part for part in parts if part)
    return block if len(block) <= MAX_BLOCK_CHARS else row


def lines_of(hit: ScoredChunk) -> list[str]:
    """The passage's logical lines, spaces squeezed (as typed_row reads them)."""
    return [" ".join(raw.split()) for raw in logical_lines(hit.chunk.text)]


def _squash(text: str) -> str:
    return "".join(text.split()).lower()


MAX_NEAR_LINES = 12  # a row read as a value of a sentence quoted this many lines above it
MAX_WRAPPED_LINES = 5  # lines a table row's cells run over ("Ensemble des", "territoires", "prioritaires")
MAX_CELL_CHARS = 40
_ROW_START_RE = re.compile(r"^\d{2,}\s+[^\W\d_]")  # a row opening with its code ("4388 Le Passe Muraille ...")


def wrapped_row(lines: list[str], position: int, kind: str) -> str:
    """A table row whose cells run over the next lines, rebuilt: "4388 Le Passe Muraille Chantiers citoyens"
    then "Ensemble des", "territoires", "prioritaires", "10 000 €" is one row ending with its amount. Only
    short lines holding nothing of the kind asked are read between the row and the cell that holds it; empty
    when the row is whole or is not so continued.

    >>> lines = ["4388  Le Passe Muraille  Chantiers citoyens", "Ensemble des", "territoires", "prioritaires",
    ...          "10 000 €", "Les 4 chemins  AGORA  Paillade  1 000 €"]
    >>> wrapped_row(lines, 0, AMOUNT)
    '4388 Le Passe Muraille Chantiers citoyens Ensemble des territoires prioritaires 10 000 €'
    >>> wrapped_row(lines, 5, AMOUNT), wrapped_row(["4388  Le Passe Muraille", "Le Conseil adopte."], 0, AMOUNT)
    ('', '')
    """
    first = lines[position].strip()
    if gives(kind, first):
        return ""
    if not _ROW_START_RE.match(first):
        return (named_row(lines, position) if kind == AMOUNT else "") or label_value_row(lines, position, kind)
    parts = [first]
    for line in lines[position + 1 : position + 1 + MAX_WRAPPED_LINES]:
        cell = line.strip()
        if not cell or len(cell) > MAX_CELL_CHARS or _ROW_START_RE.match(cell) or cell[:1] in "-•–":
            return ""
        parts.append(cell)
        if gives(kind, cell):
            return " ".join(" ".join(part.split()) for part in parts)
    return ""


# A table row opening with its beneficiary's name in capitals ("BONSAI CLUB 2, rue des", "Tourterelles", "36€92",
# "(84 heures/an)", "35 € 1€92"); not a total or a page's heading.
_NAMED_ROW_RE = re.compile(
    r"^(?!(?:TOTAL|TOTAUX|SOUS-TOTAL|REPUBLIQUE|DEPARTEMENT|COMMUNE|VILLE)\b)[A-ZÀ-Ý][A-ZÀ-Ý'’&-]{2,}\b"
)


_CAPS_START_RE = re.compile(r"^[A-ZÀ-Ý][A-ZÀ-Ý'’&-]{2,}\b")


def named_row(lines: list[str], position: int) -> str:
    """A table row opening with a name in capitals whose cells run over the next short lines, rebuilt down to its
    last cell: the amounts of every column are kept (which column holds the sum asked is the header's to say).
    Empty when no cell holds an amount or the row is not so continued.

    >>> lines = ["BONSAI CLUB 2, rue des", "Tourterelles", "36€92", "(84 heures/an)", "35 € 1€92", "TOTAUX 36€92 35 € 1€92"]
    >>> named_row(lines, 0)
    'BONSAI CLUB 2, rue des Tourterelles 36€92 (84 heures/an) 35 € 1€92'
    >>> named_row(["ASPTT MONTPELLIER", "Le Conseil adopte."], 0), named_row(lines, 5)
    ('', '')
    """
    first = lines[position].strip()
    if not _NAMED_ROW_RE.match(first) or len(first) > MAX_CELL_CHARS:
        return ""
    parts = [first]
    for line in lines[position + 1 : position + 1 + MAX_WRAPPED_LINES]:
        cell = line.strip()
        if not cell or len(cell) > MAX_CELL_CHARS or _ROW_START_RE.match(cell) or _CAPS_START_RE.match(cell):
            break  # the next row, or the total
        if cell[:1] in "-•–" or cell.endswith(":"):
            break
        parts.append(cell)
    if len(parts) < 2 or not any(gives(AMOUNT, part) for part in parts[1:]):
        return ""
    return " ".join(" ".join(part.split()) for part in parts)


MAX_LABEL_CHARS = 60
MAX_LABEL_GAP = 2  # blank lines between a label and its value (a scanned table's cells read one under the other)
_VALUE_ONLY_WORDS = frozenset({"euros", "euro", "ht", "ttc", "par", "an", "mois", "the", "net", "brut"})


def label_value_row(lines: list[str], position: int, kind: str) -> str:
    """A two-column row read one cell under the other (a scanned table: "| Taxe foncière non-bâti", a blank
    line, "68.16 %"), rebuilt as one row: a short label holding no figure, then, after at most MAX_LABEL_GAP
    blank lines, a line holding only a value of the kind asked. Empty otherwise.

    >>> label_value_row(["| Taxe foncière non-bâti", "", "68.16 %", "", "2021 et 2022."], 0, AMOUNT)
    'Taxe foncière non-bâti 68.16 %'
    >>> label_value_row(["|-Taxe foncière bâti", "", "Le usnmée À", "", "39.11 %"], 0, AMOUNT)
    ''
    >>> label_value_row(["Le Conseil approuve.", "", "68.16 %"], 0, AMOUNT), label_value_row(["Taux", "2021"], 0, AMOUNT)
    ('', '')
    """
    label = lines[position].strip().lstrip("|-•– ").strip()
    words = re.findall(r"[^\W\d_]{2,}", label)
    if (
        kind not in VALUE_KINDS
        or len(words) < 2
        or len(label) > MAX_LABEL_CHARS
        or re.search(r"\d", label)
        or label.endswith((".", ";", ","))
    ):
        return ""
    for j in range(position + 1, min(len(lines), position + 2 + MAX_LABEL_GAP)):
        cell = lines[j].strip().strip("|").strip()
        if not cell:
            continue
        rest = re.sub(r"\d[\d \u00a0\u202f.,]*", " ", cell)
        if gives(kind, cell) and not [w for w in re.findall(r"[^\W\d_]{2,}", rest) if fold(w) not in _VALUE_ONLY_WORDS]:
            return f"{label} {cell}"
        return ""
    return ""


MAX_ENTITY_LINES = 4  # lines of an establishment's name in a table cell ("Lycée Agricole", "Frédéric Bazille")
MAX_ENTITY_LINE_CHARS = 60
MAX_GROUP_NAMES = 6


def _bulleted(line: str) -> bool:
    return line.lstrip()[:1] in "-•–" and bool(line.strip(" -•–"))


def seat_group(lines: list[str], position: int) -> str:
    """For a name in a table of seats read column after column ("Lycée Agricole", "Frédéric Bazille",
    "HOPITAUX-", "FACULTES", "Titulaire :", "- Valérie BARTHAS-ORSAL"), the establishment's name, its seat's
    label and the names under that label, as one quote; empty when the row is not laid out so.

    >>> lines = ["- Vincent HALUSKA", "Lycée Agricole", "Frédéric Bazille", "HOPITAUX-", "FACULTES", "Titulaire :",
    ...          "- Valérie BARTHAS-ORSAL", "Suppléant :", "- Titina DA SYLVA"]
    >>> seat_group(lines, 6)
    'Lycée Agricole Frédéric Bazille HOPITAUX- FACULTES Titulaire : - Valérie BARTHAS-ORSAL'
    >>> seat_group(["Lycée Joffre", "CENTRE Titulaires :", "- Cédric de SAINT-JOUAN", "- Abdi EL KANDOUSSI", "Suppléants :"], 2)
    'Lycée Joffre CENTRE Titulaires : - Cédric de SAINT-JOUAN - Abdi EL KANDOUSSI'
    >>> seat_group(["Sont élus :", "- Max LEVITA"], 1)
    ''
    """
    if not _bulleted(lines[position]) or not is_name_line(lines[position]):
        return ""
    j = position - 1
    while j >= 0 and _bulleted(lines[j]) and is_name_line(lines[j]):
        j -= 1  # the names above it under the same label
    label = lines[j].strip() if j >= 0 else ""
    if not label.endswith(":") or not _SEATS_ANNOUNCED_RE.search(f"{label} X") or len(label) > MAX_HEADING_CHARS:
        return ""
    start = j
    k = j - 1
    while k >= 0 and j - k <= MAX_ENTITY_LINES:
        line = lines[k].strip()
        if not line or _bulleted(line) or ":" in line or len(line) > MAX_ENTITY_LINE_CHARS or GAP in line:
            break
        if is_name_line(line) or line.endswith((".", ";")):
            break
        start = k
        k -= 1
    if start == j:
        return ""  # no establishment named above the seat: the row's own block says it
    end = position
    while (
        end + 1 < len(lines)
        and end + 1 - j <= MAX_GROUP_NAMES
        and _bulleted(lines[end + 1])
        and is_name_line(lines[end + 1])
    ):
        end += 1
    return " ".join(line.strip() for line in lines[start : end + 1])


MAX_ENTRY_OWN_LINES = 6  # lines an entry of a list names itself on (a beneficiary, its project, a school group)
MAX_ENTRY_LABEL_CHARS = 40
_ENTRY_LABEL_RE = re.compile(r"^[-•–\s]*([^\W\d_][^:\d]{1,40}?)\s*:")  # a label of at most MAX_ENTRY_LABEL_CHARS


_VOTE_ENTRY_LABEL_RE = re.compile(
    r"^(?:pour|contre|abstentions?|votes?|votants|exprimes|ne (?:prend|prennent) pas part.*)$"
)


def _entry_label(line: str) -> str:
    """The short label opening a line ("Montant accordé: 800 €" -> "montant accorde"), or "". A vote's lines
    ("Pour : 46", "Contre : /") close an item of minutes, read as such (rag.rows.continuation), not as an entry's.

    >>> _entry_label("Montant accordé: 800 €"), _entry_label("Pour : 46"), _entry_label("Le 3 mai : rien")
    ('montant accorde', '', '')
    """
    match = _ENTRY_LABEL_RE.match(line)
    label = " ".join(fold(match.group(1)).lower().split()) if match else ""
    return "" if _VOTE_ENTRY_LABEL_RE.match(label) else label


def _value_goes_on(lines: list[str], j: int) -> bool:
    """Whether line `j` continues the value above it: a bullet ("-Rabii YOUSSOUS"), a name cut at its hyphen
    ("-Chantal LEVY-", "RAMEAU") or a surname under a bulleted first name ("-Khanthaly", "PHOUTTASANG")."""
    line = lines[j].strip()
    if _bulleted(line):
        return True
    previous = lines[j - 1].strip() if j > 0 else ""
    return bool(previous) and (
        previous.endswith("-") or (_bulleted(previous) and len(previous.strip(" -•–").split()) == 1)
    )


_OUTCOME_RE = re.compile(r"(?i:\badopt[ée]e?s?\b|\bunanimit|\brejet[ée]e?s?\b)")


def _entry(lines: list[str], position: int) -> tuple[int, int, int] | None:
    """(first line, first label, last line) of the entry `position` is in (see entry_block), None if none."""
    labels: dict[str, int] = {}
    for line in lines:
        label = _entry_label(line)
        if label:
            labels[label] = labels.get(label, 0) + 1

    repeated = any(count >= 2 for count in labels.values())

    def labelled(j: int) -> bool:  # a label every entry repeats, or a bare label cell over a value ("Ecole primaire :")
        label = _entry_label(lines[j])
        bare = lines[j].strip().endswith(":") and j + 1 < len(lines) and _bulleted(lines[j + 1])
        return bool(label) and (labels[label] >= 2 or bare)

    def own(j: int) -> bool:  # a line of an entry's own name
        line = lines[j].strip()
        return (
            bool(line)
            and not labelled(j)
            and not _value_goes_on(lines, j)
            and GAP not in line
            and ":" not in line  # (a labelled row is a value, not an entry's name)
            and not _OUTCOME_RE.search(line)  # "Adopté à l'unanimité" closes the item before
            and len(line) <= MAX_ROW_CHARS
        )

    if not repeated or not lines[position].strip():
        return None
    # up to the entry's own lines, over the labels and values of the entry above `position`
    j = position
    while not own(j):
        if j == 0 or not lines[j].strip() or not (labelled(j) or _value_goes_on(lines, j)):
            return None
        j -= 1
    start = j
    while start > 0 and own(start - 1):
        start -= 1
    end = j
    while end + 1 < len(lines) and own(end + 1):
        end += 1
    if end - start + 1 > MAX_ENTRY_OWN_LINES or end + 1 >= len(lines) or not labelled(end + 1):
        return None  # a paragraph, or lines not followed by an entry's labels
    # then its labels and their values, down to the next entry's own lines
    end += 1
    values = end
    while end + 1 < len(lines) and lines[end + 1].strip() and (labelled(end + 1) or _value_goes_on(lines, end + 1)):
        end += 1
    return start, values, end


def entry_block(lines: list[str], position: int) -> str:
    """For a line of a list whose entries are laid out alike, each naming itself on its own lines (a beneficiary
    and its project, a school group and its schools) then giving its values under labels every entry repeats
    ("Montant accordé: 1 100 €"; "Ecole maternelle :", "-Rabii YOUSSOUS"), the whole entry as one quote: the
    value under a repeated label belongs to the lines above it, not to the entry before. Empty when no label of
    the line's entry is repeated in the passage, the entry does not name itself or gives no value.

    >>> lines = ["Simon K., étudiant", "Le rire du voleur", "Montant accordé: 800 €", "Aurélia Gonzalez, en recherche",
    ...          "Trans-Révérence", "Montant accordé: 1 100 €"]
    >>> entry_block(lines, 5)
    'Aurélia Gonzalez, en recherche Trans-Révérence Montant accordé: 1 100 €'
    >>> lines = ["Ecole maternelle :", "-Rabii YOUSSOUS", "Beethoven BEETHOVEN", "D’ARGENT/", "Ecole primaire :",
    ...          "-Khanthaly", "PHOUTTASANG", "Bologne James JOYCE", "Ecole maternelle :", "-Chantal LEVY-", "RAMEAU"]
    >>> entry_block(lines, 2), entry_block(lines, 1)
    ('Beethoven BEETHOVEN D’ARGENT/ Ecole primaire : -Khanthaly PHOUTTASANG', '')
    >>> entry_block(["Titulaire : Patricia MICHOT", "Suppléant : Denis JUVIN"], 0)
    ''
    >>> entry_block(["Hélène MANDROUX | 74 | Association", "Titulaires :", "M. Saurel", "Hélène MANDROUX | 75 | Fédération", "Titulaires :"], 0)
    ''
    """
    found = _entry(lines, position)
    if found is None or not entry_values(lines, position):
        return ""
    start, _, end = found
    block = " ".join(line.strip() for line in lines[start : end + 1])
    return block if len(block) <= MAX_BLOCK_CHARS else ""


def entry_values(lines: list[str], position: int) -> str:
    """The values of the entry `position` is in (see entry_block), its labels with them: "Ecole primaire :
    -Khanthaly PHOUTTASANG"; empty when the entry's labels give none (a bare "Titulaires :")."""
    found = _entry(lines, position)
    if found is None:
        return ""
    _, values, end = found
    text = " ".join(line.strip() for line in lines[values : end + 1])
    bare = all(":" in line and not line.partition(":")[2].strip(" -•–/") for line in lines[values : end + 1])
    return "" if bare else text


def is_entry(text: str, part: str) -> bool:
    """Whether `part` (a quote's part) is a whole entry of a list of `text` laid out alike (see entry_block).

    >>> text = "Simon K.\\nLe rire\\nMontant accordé: 800 €\\nAurélia Gonzalez\\nTrans-Révérence\\nMontant accordé: 1 100 €"
    >>> is_entry(text, "Aurélia Gonzalez Trans-Révérence Montant accordé: 1 100 €"), is_entry(text, "Montant accordé: 800 €")
    (True, False)
    """
    if ":" not in part:
        return False
    lines = [" ".join(raw.split()) for raw in logical_lines(text)]
    said = _squash(part)
    return any(
        _squash(line) in said and entry_block(lines, position) and _squash(entry_block(lines, position)) == said
        for position, line in enumerate(lines)
    )


MAX_SECTION_ABOVE = 15  # lines read above a row of a sub-list for the heading that announces it


def section_heading(lines: list[str], position: int) -> str:
    """The heading announcing the sub-list a row sits in, when the row is not right under it:
    "Auprès du CREDIT MUTUEL :" for "o Conditions financières : Taux fixe maximum de 3.30 %", six items
    below it (the same item under "Auprès du CREDIT FONCIER de France :" gives another rate). Empty when a
    paragraph comes first or the row's block already holds its heading (the line just above).

    >>> lines = ["Auprès du CREDIT FONCIER :", "o Montant : 2 €", "o Taux : 3.21 %", "Auprès du CREDIT MUTUEL :",
    ...          "o Montant : 2 €", "o Durée : 10 ans", "o Taux : 3.30 %"]
    >>> section_heading(lines, 6), section_heading(lines, 2), section_heading(lines, 4)
    ('Auprès du CREDIT MUTUEL :', 'Auprès du CREDIT FONCIER :', '')
    >>> section_heading(["Le Conseil approuve les tarifs suivants.", "- 3 €", "- 4 €"], 2)
    ''
    """
    for j in range(position - 1, max(-1, position - 1 - MAX_SECTION_ABOVE), -1):
        line = lines[j].strip(" -•–")
        if GAP in line or line.endswith("."):
            return ""  # a paragraph between: the row is not in a sub-list
        if line.endswith(":") and len(line) <= MAX_HEADING_CHARS and ":" not in line[:-1]:
            return line if j < position - 1 else ""
    return ""


def _in_block(line: str) -> bool:
    """A line of a block under a heading: a row ("Titulaire : Patricia MICHOT", "- 3.40€ ...") or a name."""
    return is_row(line) or is_name_line(line)


def operative_passage(
    kind: str, hits: list[ScoredChunk], store: ChromaStore, question: str = ""
) -> tuple[ScoredChunk, str] | None:
    """(passage, operative sentence) of the best deliberation found when the passage found is another part
    of that record (its title, its report) and another passage of the record holds the operative part.
    In a document not split into records (a note de synthèse, a compte rendu without votes), the best
    passage's "Considérant ..." may end where the decision begins: the next passage's operative sentence
    about the question ("le Conseil Municipal décide de continuer à adhérer au service commun ...")."""
    for order, hit in enumerate(hits):
        if order == 0 and question and hit.chunk.kind == schema.KIND_DOCUMENT and kind in (DECISION, OTHER):
            following = _following_decision(hit.chunk, store, question)
            if following is not None:
                return ScoredChunk(chunk=following[0], score=hit.score), following[1]
        if hit.chunk.kind != schema.KIND_DELIBERATION:
            continue
        if has_operative(hit.chunk, kind):
            return None
        for sibling in record_siblings(hit.chunk, store, {hit.chunk.id}):
            if has_operative(sibling, kind):
                sentence = extract_decision(sibling.text).provisions[0].sentence
                return ScoredChunk(chunk=sibling, score=hit.score), sentence
        return None  # only the best record: the others are not what the question is about
    return None


MIN_SHARED_STEMS = 2


def _following_decision(chunk: Chunk, store: ChromaStore, question: str) -> tuple[Chunk, str] | None:
    """(next passage, its first operative sentence sharing MIN_SHARED_STEMS of the question's words) when
    `chunk` holds no operative sentence itself."""
    if extract_decision(chunk.text).provisions:
        return None
    after = next_passage(chunk, store)
    if after is None or after.meta.get(schema.BOILERPLATE):
        return None
    wanted = set(tokens(question))
    for provision in extract_decision(after.text).provisions:
        if len(wanted & set(tokens(provision.sentence))) >= MIN_SHARED_STEMS:
            return after, provision.sentence
    return None


def has_operative(chunk: Chunk, kind: str) -> bool:
    """Whether the passage holds an operative sentence (one holding the kind of fact asked for, or rows)."""
    provisions = extract_decision(chunk.text).provisions
    if kind in (DECISION, OTHER) or not provisions:
        return bool(provisions)
    return any(gives(kind, line) for p in provisions for line in [p.sentence, *p.rows])


def written_vote(chunk: Chunk) -> str | None:
    """The record's vote as the passage writes it ("Rejeté – P 4 / C 9 / A 1", "Pour 512 voix Contre 688 voix
    Abstention 45 voix REJETÉ"), spaces as one, or None when the passage does not hold it."""
    written = str(chunk.meta.get(schema.VOTE) or "")
    if not written:
        return None
    pattern = r"\s+".join(re.escape(word) for word in written.split())
    text = chunk.text
    found = re.search(pattern, text)
    if found is None:
        return None
    # whole lines, and the lines a wrap continues ("✔ Adopté à l'unanimité – 18 pour : 18 votants, le maire de X ne" /
    # "prenant pas part au vote"): the counts alone, cut from their line, may say half of it
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    while end != -1 and text[end + 1 : end + 2].islower():
        end = text.find("\n", end + 1)
    said = " ".join(text[start : len(text) if end == -1 else end].split())
    if end == -1 and (said.endswith(",") or said.rsplit(None, 1)[-1].lower() in _DANGLING_WORDS):
        return None  # the passage ends inside the vote's sentence ("..., le maire de X ne"): its end is elsewhere
    return said


# Words no vote's sentence ends with: a line ending with one goes on past the passage
_DANGLING_WORDS = frozenset([
    "ne", "n'", "de", "d'", "du", "des", "le", "la", "les", "l'", "à", "au", "aux", "et", "ou", "par", "pour", "sur", "en",
    "un", "une", "que", "qui", "dont", "avec", "sans", "ayant", "étant",
])  # fmt: skip


def vote_passage(hit: ScoredChunk, store: ChromaStore) -> tuple[ScoredChunk, str] | None:
    """(passage, vote as written) of the deliberation `hit` belongs to: the passage itself when it holds the vote,
    else the passage of the same record that does (a long record's vote ends its last passage)."""
    if hit.chunk.kind != schema.KIND_DELIBERATION:
        return None
    said = written_vote(hit.chunk)
    if said:
        return hit, said
    for sibling in record_siblings(hit.chunk, store, {hit.chunk.id}):
        said = written_vote(sibling)
        if said:
            return ScoredChunk(chunk=sibling, score=hit.score), said
    return None


def record_siblings(chunk: Chunk, store: ChromaStore, seen: set[str]) -> list[Chunk]:
    """The other passages of the deliberation `chunk` belongs to (same document, same record), not yet
    seen, in document order; for a passage outside any record (a compte rendu's item without a vote,
    text between two records), the passages just before and after it in its document. `seen` is updated."""
    doc_id, record = chunk.meta.get(schema.DOC_ID), chunk.meta.get(schema.RECORD_INDEX)
    if doc_id is None or chunk.kind == schema.KIND_ARTICLE:
        return []
    if chunk.kind == schema.KIND_DELIBERATION and record is not None:
        where: dict[str, Any] = {"$and": [{schema.DOC_ID: doc_id}, {schema.RECORD_INDEX: record}]}
    else:
        index = chunk.meta.get(schema.CHUNK_INDEX)
        if not isinstance(index, int):
            return []
        where = {"$and": [{schema.DOC_ID: doc_id}, {schema.CHUNK_INDEX: {"$in": [index - 1, index + 1]}}]}
    siblings = [c for c in store.find(where) if c.id not in seen]
    siblings = sorted(siblings, key=lambda c: (c.page, c.meta.get(schema.CHUNK_INDEX, 0)))[:MAX_SIBLINGS]
    seen.update(c.id for c in siblings)
    return siblings


MAX_ITEMS = 12  # lines of a list announced by "... suivants :" quoted with it
MAX_ITEM_CHARS = 100  # a longer line is prose: the list has ended
MAX_ITEMS_CHARS = 400
MAX_DECIDED_CHARS = 320  # the first item of "il est demandé au Conseil Municipal :", quoted whole
_ASKS_COUNCIL_RE = re.compile(
    r"\b(?:il est|est) (?:demand[ée]|propos[ée]) au conseil\b|\ble conseil(?: municipal)?,? (?:d[ée]cide|approuve)\s*:",
    re.IGNORECASE,
)
MAX_VOTE_LINES = 4
MAX_VOTE_LINE_CHARS = 60
MAX_LABEL_CHARS = 40  # "Titulaires :", "Commission finances :"
MAX_LABELLED_LINES = 6
_VOTE_LINE_RE = re.compile(
    r"^(?:pour|contre|abstentions?|votants?|exprim[ée]s|ne (?:prend|prennent) pas part|ne participen?t? pas)\b"
    r"[^:\n]{0,20}:\s*\S"
    r"|^(?:adopt[ée]e?s?|vot[ée]e?s?|approuv[ée]e?s?|rejet[ée]e?s?)\b.{0,40}\b(?:unanimit|majorit)"
    r"|^(?:[àa] l.)?unanimit|^\d+\s+(?:voix|pour|contre|abstentions?)\b"
    r"|^votants?\s*:?\s*\d{1,3}\s*[-–,;]?\s*pour\s*:?\s*\d"  # a vote strip: "Votants 15 Pour 13 Contre 2 (...)"
    # the outcome of an item without a count, under its title in minutes ("Le Conseil prend acte.")
    r"|^le conseil(?: municipal)?,? (?:prend acte|adopte|approuve|rejette|refuse|[ée]met un avis)\b",
    re.IGNORECASE,
)


# A vote label whose count the sentence splitter put on the next line ("Contre :" then "6 (UMP – NI)").
_VOTE_LABEL_RE = re.compile(
    r"^(?:pour|contre|abstentions?|votants?|exprim[ée]s|ne (?:prend|prennent) pas part[^:]{0,20}|ne participen?t? pas"
    r"[^:]{0,20})\s*:$",
    re.IGNORECASE,
)


def _vote_pair(lines: list[str], i: int) -> bool:
    """Whether lines[i] is a vote label ending with ":" and lines[i + 1] its short count ("6 (UMP – NI)", "/")."""
    if i + 1 >= len(lines) or not _VOTE_LABEL_RE.match(lines[i].strip(" -•–")):
        return False
    value = lines[i + 1].strip()
    # a count the sentence split joined to the label of the next line ("9 >Les administrateurs de la SERM :") counts
    counted = bool(re.match(r"\d+\b", value))
    return bool(value) and len(value) <= MAX_VOTE_LINE_CHARS and (counted or not value.endswith(":"))


MAX_INTERRUPTION = 8  # lines of a page's stamp or running header that may cut a list


def _resumes(items: list[str], following: list[str], i: int) -> int | None:
    """Where a bulleted list cut at following[i] goes on: the next line with the items' bullet ("- Cédric de
    SAINT-JOUAN" after "Accusé de réception ... Envoi Préfecture : ..."), when only short lines that are no
    prose and no bullet lie between. None when the list has really ended."""
    bullet = items[-1][:1] if items and items[-1][:1] in "-•–" else ""
    if not bullet:
        return None
    for j in range(i, min(len(following), i + MAX_INTERRUPTION)):
        line = following[j].strip()
        if line.startswith(bullet):
            return j if j > i else None
        if len(line) > MAX_VOTE_LINE_CHARS or line.endswith(".") or line[:1] in "-•–":
            return None  # a sentence: the list has ended
    return None


_VOTE_TAIL_RE = re.compile(r"\b(?:pour|contre|abstentions?)\s*:$", re.IGNORECASE)


def _vote_lines(following: list[str]) -> list[str]:
    """The vote lines at the top of `following`: "Pour : 52", "Adopté à la majorité", and a label split
    from its count ("Contre :" then "6 (UMP – NI)")."""
    out: list[str] = []
    i = 0
    while i < len(following) and len(out) < 2 * MAX_VOTE_LINES:
        if _vote_pair(following, i):
            out += following[i : i + 2]
            i += 2
            continue
        line = following[i]
        if _empty_label(following, i):  # "Contre :" with no count, then "Abstentions :": a line of the vote
            out.append(line)
            i += 1
            continue
        if len(line) > MAX_VOTE_LINE_CHARS or not _VOTE_LINE_RE.search(line.strip(" -•–")):
            break
        out.append(line)
        i += 1
    return out


def _empty_label(lines: list[str], i: int) -> bool:
    """Whether lines[i] is a vote label with no count ("Contre :") followed by another line of the vote ("Abstentions
    :", "Ne prennent pas part au vote : 9")."""
    if i + 1 >= len(lines) or not _VOTE_LABEL_RE.match(lines[i].strip(" -•–")):
        return False
    after = lines[i + 1].strip(" -•–")
    return bool(_VOTE_LABEL_RE.match(after) or _VOTE_LINE_RE.search(after))


def continuation(sentence: str, following: list[str]) -> list[str]:
    """The lines that complete a quoted sentence, from the sentences that follow it in its passage: the
    items of the list it announces when it ends with ":" ("les taux suivants :" -> "Taxe d'habitation",
    "12.15 %" ...), else the vote lines right under it ("Pour : 52", "Contre : 7", "Adopté à la
    majorité"). Layout-free: a list ends at a line of prose or at the next announcement.

    >>> continuation("Le conseil vote les taux suivants :", ["Taxe d'habitation", "12.15 %", "Le maire lève la séance."])
    ["Taxe d'habitation", '12.15 %']
    >>> continuation("1 Plan de déplacements urbains", ["Pour : 52", "Contre : 7 (UMP-NI)", "2 Gare Saint-Roch"])
    ['Pour : 52', 'Contre : 7 (UMP-NI)']
    >>> continuation("Syndicat d'électricité (SMEG)", ["Titulaires :", "Denis JUVIN - Jean PLUS", "Désignations"])
    ['Titulaires :', 'Denis JUVIN - Jean PLUS']
    >>> continuation("SERM - Petit Bard", ["Pour :", "46", "Contre :", "Abstentions :", "Ne prennent pas part au vote :",
    ...                                     "9 >Les administrateurs de la SERM :", "Madame DANAN, Messieurs FLEURENCE"])
    ['Pour :', '46', 'Contre :', 'Abstentions :', 'Ne prennent pas part au vote :', '9 >Les administrateurs de la SERM :']
    >>> continuation("les votes ont été les suivants :", ["Pour :", "46", "Contre :", "7", "Adopté à la majorité."])
    ['Pour :', '46', 'Contre :', '7', 'Adopté à la majorité.']
    >>> continuation("Max LEVITA | 1 | Débat d'orientation budgétaire 2012", ["Le Conseil prend acte.", "Max LEVITA | 2 | Budget"])
    ['Le Conseil prend acte.']
    >>> continuation("Entretien littéraire avec Marek Halter.", ["14h-15h30 :", "Table ronde autour de la Fantasy."])
    []
    >>> item = "- d’autoriser la Ville à signer une convention de servitude à titre gratuit avec la société BRL pour le passage"
    >>> continuation("En conséquence, il est demandé au Conseil Municipal :", [item, "- de demander ..."]) == [item]
    True
    """
    out: list[str] = []
    if _VOTE_TAIL_RE.search(sentence) and following and len(following[0]) <= MAX_VOTE_LINE_CHARS:
        # "... arrêté Pour :" then "50": the count, then the other vote lines
        return [following[0], *_vote_lines(following[1:])]
    if sentence.rstrip().endswith(":"):
        size = 0
        i = 0
        while i < len(following) and len(out) < MAX_ITEMS:
            if _vote_pair(following, i):  # "les votes ont été les suivants :" then "Pour :", "46", "Contre :", "7"
                out += following[i : i + 2]
                size += len(following[i]) + len(following[i + 1]) + 2
                i += 2
                continue
            line = following[i]
            bulleted = bool(out) and all(item[:1] in "-•–" for item in out if item != GAP)
            if bulleted and line.strip()[:1] not in "-•–":
                resume = _resumes(out, following, i)
                if resume is not None:  # a page's stamp or header cuts the list: skipped, marked as a gap
                    out.append(GAP)
                    i = resume
                    continue
                if line.rstrip().endswith("."):
                    break  # "Le Conseil adopte." after the names: the list has ended
            vote = len(line) <= MAX_VOTE_LINE_CHARS and bool(_VOTE_LINE_RE.search(line.strip(" -•–")))
            # (a value ending with a full stop is no prose: "Nouveau montant du marché :" then "350 824,37 € HT.")
            prose = line.rstrip().endswith(".") and len(re.findall(r"[^\W\d_]{2,}", line)) > 3 and not vote
            # The first item the council is asked to decide ("il est demandé au Conseil Municipal :" then "-
            # d'autoriser la Ville à signer une convention de servitude à titre gratuit ...") is the decision:
            # quoted even when long.
            first_decided = not out and _ASKS_COUNCIL_RE.search(sentence) and line.strip()[:1] in "-•–"
            if bulleted and prose and line.strip()[:1] in "-•–" and len(line) <= MAX_ITEM_CHARS:
                out.append(line)  # a list's last item ends with a full stop ("- Plate Forme Humanitaire ... .")
                break
            limit = MAX_DECIDED_CHARS if first_decided else MAX_ITEM_CHARS
            if (
                len(line) > limit
                or (prose and not first_decided)
                or line.rstrip().endswith(":")
                or size + len(line) > MAX_ITEMS_CHARS
            ):
                break
            if first_decided and len(line) > MAX_ITEM_CHARS:
                out.append(line)
                break  # one long item is enough: the others are quoted when asked about
            out.append(line)
            size += len(line) + 1
            i += 1
        return out
    out = _vote_lines(following)
    if out or len(sentence) > MAX_HEADING_CHARS or sentence.rstrip().endswith("."):
        # (a sentence that ends is no heading: "Entretien littéraire avec Marek Halter." is not what "14h-15h30 :"
        # and "Table ronde autour de la Fantasy." under it are about)
        return out
    # A heading, then labelled rows under it: "Titulaires :", "Denis JUVIN - Jean-Pierre PLUS", "Suppléants :" ...
    for i in range(0, min(len(following), MAX_LABELLED_LINES) - 1, 2):
        label, value = following[i], following[i + 1]
        if len(label) > MAX_LABEL_CHARS or not label.rstrip().endswith(":") or len(value) > MAX_ITEM_CHARS:
            break
        if value.rstrip().endswith(":"):
            break
        out += [label, value]
    return out


def next_passage(chunk: Chunk, store: ChromaStore) -> Chunk | None:
    """The passage that follows `chunk` in its document (a list announced at the end of a passage goes on
    there), or None."""
    doc_id, index = chunk.meta.get(schema.DOC_ID), chunk.meta.get(schema.CHUNK_INDEX)
    if doc_id is None or not isinstance(index, int) or chunk.kind == schema.KIND_ARTICLE:
        return None
    found = store.find({"$and": [{schema.DOC_ID: doc_id}, {schema.CHUNK_INDEX: index + 1}]}, limit=1)
    return found[0] if found else None


def previous_passage(chunk: Chunk, store: ChromaStore) -> Chunk | None:
    """The passage before `chunk` in its document (the header of a table whose rows open `chunk` may end it),
    or None."""
    doc_id, index = chunk.meta.get(schema.DOC_ID), chunk.meta.get(schema.CHUNK_INDEX)
    if doc_id is None or not isinstance(index, int) or index < 1 or chunk.kind == schema.KIND_ARTICLE:
        return None
    found = store.find({"$and": [{schema.DOC_ID: doc_id}, {schema.CHUNK_INDEX: index - 1}]}, limit=1)
    return found[0] if found else None


_YEAR_RE = re.compile(r"(?<![\d/.,-])(?:19|20)\d{2}(?![\d/.,]\d|\s?€)")


def year_header(chunk: Chunk, store: ChromaStore, years: set[str]) -> tuple[Chunk, int, str] | None:
    """(previous passage, sentence position, sentence) of the header a table's rows at the top of `chunk`
    inherit their year from, when `chunk` writes none of `years` and its séance is of another year: the last
    sentence of the passage before it on the same page writing a year, when that year is one of `years`
    ("conditions de facturation de l'eau et de l'assainissement pour l'année 2022," above "Eau : 45 € par an").
    Quoted with the rows, it says which year their figures are for."""
    if not years or chunk.kind == schema.KIND_ARTICLE or str(chunk.meta.get(schema.DATE) or "")[:4] in years:
        return None
    if set(_YEAR_RE.findall(chunk.text)) & years:
        return None
    before = previous_passage(chunk, store)
    page = chunk.meta.get(schema.PAGE)
    if before is None or not page or page not in (before.meta.get(schema.PAGE), before.meta.get(schema.PAGE_END)):
        return None
    split = sentences(before.text)
    for position in range(len(split) - 1, -1, -1):
        written = set(_YEAR_RE.findall(split[position]))
        if written:
            return (before, position, " ".join(split[position].split())) if written & years else None
    return None


# --- lists of names announced ("Ont été élus membres du jury :", "Titulaires : Suppléants :") ----------------
MAX_NAME_ROW_CHARS = 100
MAX_NAME_ROWS = 12
MAX_ANNOUNCE_CHARS = 120
MAX_ANNOUNCE_LINE = 3  # a list continued from the passage before opens its passage: its announcement is this high
_NAME_PARTICLES = frozenset({"de", "du", "des", "la", "le", "d", "et", "van", "von", "di", "del", "da"})
_CIVILITY_RE = re.compile(r"^(?:M|MM|Mme|MME|Mmes|Mlle|Mr|Me)\b\.?")
# The result of an election or a designation announced: "Ont été élus membres du jury :", "Sont élus :",
# "A été désigné :", or the seats' labels heading the names ("Titulaires : Suppléants :").
_ELECTED_RE = re.compile(
    r"(?i:\b(?:ont|sont|est|a)\s+(?:été\s+)?(?:élu|désign|nomm)|^(?:titulaires?|suppl[ée]ants?)\b)"
)
_ELECTION_RE = re.compile(
    r"(?i:[ée]lection|[ée]lire|\b[ée]lu(?:e|s|es)?\b|d[ée]sign|repr[ée]sentants?|d[ée]l[ée]gu[ée]e?s?\b|nomm[ée]"
    r"|\btitulaires?\b|\bsuppl[ée]ante?s?\b|\bmembres?\b|\bjury\b)"
)


def name_row(line: str) -> bool:
    """A row of a list of persons: capitalised words only, one at least a civility or a name in capitals
    ("- M.PASSET - MMEDE LA GRANGE", "Mme Capuozzi-Boualam Mme Castre", "- Nicole LIZA"); no figure, no verb.

    >>> name_row("- M. TOUCHON - _ MME BOYER"), name_row("Mme Capuozzi-Boualam Mme Castre"), name_row("- Nicole LIZA")
    (True, True, True)
    >>> name_row("M. Thinés entre en séance."), name_row("Finances communales, Centrale d'achats"), name_row("Pour : 57")
    (False, False, False)
    """
    text = line.replace("_", " ").strip(" -•–\t")
    if not text or len(text) > MAX_NAME_ROW_CHARS or re.search(r"\d", text):
        return False
    words = re.findall(r"[^\W\d_][\w'’.-]*", text)
    if not words or any(w[0].islower() and fold(w).strip(".") not in _NAME_PARTICLES for w in words):
        return False
    return any(_CIVILITY_RE.match(w) or sum(ch.isupper() for ch in w) >= 3 for w in words)


def _label_row(line: str) -> bool:
    """Seats' labels heading the names: "Titulaires Suppléants", "Titulaires : Suppléants :"."""
    words = re.findall(r"[^\W\d_]+", fold(line))
    return bool(words) and all(re.fullmatch(r"titulaires?|suppleante?s?", w) for w in words)


def name_list(lines: list[str], position: int, question: str = "") -> list[str]:
    """The line at `position` and the rows of persons it announces, when it announces some: an election's or a
    designation's result ("Ont été élus membres du jury :", "Titulaires : Suppléants :"), or a seat the question
    names ("Au Conseil d'Administration :" for "désignés au conseil d'administration"). Blank lines and the seats'
    labels between the rows are skipped; the list ends at the first other line. Empty when no name follows.

    >>> lines = ["Ont été élus membres du jury :", "", "Titulaires Suppléants", "- M.SAUREL - M.LEVITA",
    ...          "- M. TOUCHON - _ MME BOYER", "M. Thinés entre en séance."]
    >>> name_list(lines, 0)
    ['Ont été élus membres du jury :', 'Titulaires Suppléants', '- M.SAUREL - M.LEVITA', '- M. TOUCHON - _ MME BOYER']
    >>> name_list(["Absents :", "Martine PETITOUT."], 0, "Qui a été élu au jury ?")
    []
    >>> name_list(["Ont été élus :", "- Guy BARRAL", "Accusé de réception", "28/04/2014", "- Cédric de SAINT-JOUAN"], 0)
    ['Ont été élus :', '- Guy BARRAL', '[…]', '- Cédric de SAINT-JOUAN']
    """
    head = lines[position].strip()
    if not head or len(head) > MAX_ANNOUNCE_CHARS or is_meeting_formula(head):
        return []
    if not _ELECTED_RE.search(head):
        asked = set(tokens(question)) - {head_noun(question) or ""}
        # a seat named by the question, announcing the names under it
        if not head.endswith(":") or len(set(tokens(head)) & asked) < 2:
            return []
    out = [head]
    names = 0
    following = [line.strip() for line in lines[position + 1 :] if line.strip()]
    i = 0
    while i < len(following) and names < MAX_NAME_ROWS:
        text = following[i]
        if name_row(text):
            names += 1
        elif (
            names
            and (resume := _resumes(out, following, i)) is not None
            and name_row(following[resume])
            and not following[resume - 1].endswith(":")  # "A l'Assemblée Générale :": another seat's names
        ):
            out.append(GAP)  # a page's stamp cuts the bulleted list ("Accusé de réception ..."): it goes on below
            i = resume
            continue
        elif not _label_row(text) or names:
            break
        out.append(text)
        i += 1
    while out and not name_row(out[-1]):
        out.pop()
    return out if names else []


def name_lists(hit: ScoredChunk, question: str, first: int | None = None) -> list[tuple[int, list[str]]]:
    """(line position, lines) of each list of persons announced in the passage (see name_list); with `first`,
    only the lists announced in its first `first` lines."""
    lines = lines_of(hit)
    end = len(lines) if first is None else min(first, len(lines))
    out: list[tuple[int, list[str]]] = []
    position = 0
    while position < end:
        found = name_list(lines, position, question)
        if found:
            out.append((position, found))
            position += len(found)
        else:
            position += 1
    return out


def announces_election(text: str) -> bool:
    """Whether a record's text is about an election or a designation of persons (its result may open the next
    passage: "élection des membres du jury", then "Ont été élus membres du jury :")."""
    return bool(_ELECTION_RE.search(text))


def opens_name_list(chunk: Chunk) -> bool:
    """Whether the passage opens with an election's or a designation's result, a list of persons announced in its
    first lines ("Ont été élus membres du jury :", then the names): the rest of the item the passage before ends."""
    return chunk.kind != schema.KIND_ARTICLE and bool(
        name_lists(ScoredChunk(chunk=chunk, score=0.0), "", MAX_ANNOUNCE_LINE)
    )


MAX_VOTE_DISTANCE = (
    3  # sentences between a decision and its vote in minutes ("Charge Monsieur le Maire de notifier ...")
)
_VOTE_HEAD_RE = re.compile(r"^vote\s*:", re.IGNORECASE)
_VOTE_STRIP_RE = re.compile(r"^votants?\s*:?\s*\d", re.IGNORECASE)
MAX_VOTE_STRIP_CHARS = 160


def vote_after(split: list[str], position: int) -> tuple[int, str] | None:
    """(position, text) of the vote written just after the decision at `position` among a passage's sentences
    (`split`), at most MAX_VOTE_DISTANCE sentences below it: in minutes not split into records, the item's vote
    follows its decision ("Majore 20 % la part communale ...", "Charge Monsieur le Maire de notifier ...", "Vote :",
    "1 contre et 10 pour"). None when another sentence holding a vote comes first or none is near.

    >>> split = ["Le conseil Majore 20 % la part communale.", "Charge Monsieur le Maire de notifier", "Vote :",
    ...          "1 contre et 10 pour", "Convention de coordination"]
    >>> vote_after(split, 0)
    (2, 'Vote : 1 contre et 10 pour')
    >>> vote_after(split, 3) is None
    True
    >>> vote_after(["LE COMITÉ DÉCIDE d'admettre en non-valeur 27 factures.", "Votants 15 Pour 13 Contre 2 (Mme NOGARET, M. RIGAL) Abstention néant"], 0)
    (1, 'Votants 15 Pour 13 Contre 2 (Mme NOGARET, M. RIGAL) Abstention néant')
    """
    for j in range(position + 1, min(len(split), position + 2 + MAX_VOTE_DISTANCE)):
        line = " ".join(split[j].split()).strip(" -•–>Ÿ")
        if _VOTE_HEAD_RE.match(line) and line.endswith(":") and j + 1 < len(split):
            count = " ".join(split[j + 1].split())
            if len(count) <= MAX_VOTE_LINE_CHARS and gives(VOTE, f"{line} {count}"):
                return j, f"{line} {count}"
        # (a vote strip may name who voted against: "Votants 15 Pour 13 Contre 2 (Mme NOGARET, M. RIGAL) ...")
        limit = MAX_VOTE_STRIP_CHARS if _VOTE_STRIP_RE.match(line) else MAX_VOTE_LINE_CHARS
        if len(line) <= limit and (_VOTE_HEAD_RE.match(line) or _VOTE_LINE_RE.search(line)):
            return (j, line) if gives(VOTE, line) or _VOTE_HEAD_RE.match(line) else None
    return None


# --- a table's header and its first data row ------------------------------------------------------------------
MAX_HEADER_CHARS = 160
MIN_HEADER_TITLES = 3  # capitalised column titles a header line holds at least
MAX_DATA_LINES = 8  # lines a data row's cells may run over ("Génie Civil - VRD -", "Raccordements", ...)
MAX_DATA_CELL_CHARS = 60
_TITLE_WORD_RE = re.compile(r"[^\W\d_][\w'’.-]*")
_TITLE_PARTICLES = frozenset(
    [
        "de",
        "du",
        "des",
        "d",
        "la",
        "le",
        "les",
        "l",
        "et",
        "a",
        "au",
        "aux",
        "en",
        "un",
        "une",
        "par",
        "pour",
        "sur",
        "sous",
        "avec",
        "dans",
        "entre",
        "ou",
    ]
)
_DATA_VALUE_RE = re.compile(r"\d[\d \u00a0.,]*\d|\d")


def table_header(line: str) -> bool:
    """Whether a line is a table's column titles ("Lot Entreprise Moyenne des besoins sur 1 an Montants retenus sur
    bordereau de prix"): at least MIN_HEADER_TITLES capitalised words, one of them after a word in lower case (where
    one column's title ends and the next begins), no value, no sentence end, no person's name.

    >>> table_header("Lot Entreprise Moyenne des besoins sur 1 an Montants retenus sur bordereau de prix")
    True
    >>> table_header("Extension du Réseau de Vidéoprotection Urbaine"), table_header("SOGETREL 34470 PEROLS 300 000,00")
    (False, False)
    >>> table_header("La Commission a attribué le Lot à la Société Dupont."), table_header("Présents : Max LEVITA")
    (False, False)
    >>> table_header("renouveler. Elles comprennent, en plus de Monsieur le Maire président de droit, 10 membres élus à la")
    False
    """
    text = " ".join(line.split()).strip(" -•–|")
    if not text or len(text) > MAX_HEADER_CHARS or text.endswith((".", ";", ":", ",")) or ":" in text:
        return False
    if gives(AMOUNT, text) or _BARE_SUM_RE.search(text) or is_meeting_formula(text) or gives(PERSON, text):
        return False
    words = _TITLE_WORD_RE.findall(text)
    if re.search(r"[.!?]\s+[A-ZÀ-Ý]|,.*,", text) or (words and fold(words[-1]).lower() in _TITLE_PARTICLES):
        return False  # prose cut by the layout ("renouveler. Elles comprennent, en plus de ..., 10 membres élus à la")
    titles = [w for w in words if w[0].isupper()]
    # (not after a particle: "Extension du Réseau de Vidéoprotection Urbaine" is one title)
    boundary = any(
        w[0].isupper() and p[0].islower() and fold(p).lower() not in _TITLE_PARTICLES
        for p, w in zip(words, words[1:], strict=False)
    )
    return len(titles) >= MIN_HEADER_TITLES and boundary


def data_row(lines: list[str]) -> tuple[int, int] | None:
    """(first, last) index of the first data row among `lines` (the lines under a table's header): the stamp's
    lines and the header's own continuation (a line in lower case: "en Euros H.T. estimatifs") skipped, then short
    cells down to the first line holding a figure ("Génie Civil - VRD -", ..., "SOGETREL", "34470 PEROLS 300 000,00
    760 683,10"). None when a sentence, a label or too many lines come first.

    >>> data_row(["Acte Certifié exécutoire", "06/02/2013", "en Euros H.T. estimatifs", "Génie Civil - VRD -",
    ...           "fibre optique", "SOGETREL", "34470 PEROLS 300 000,00  760 683,10", "En conséquence, il est proposé :"])
    (3, 6)
    >>> data_row(["Le Conseil adopte.", "SOGETREL 300 000"]) is None
    True
    """
    start = None
    for j, raw in enumerate(lines):
        line = " ".join(raw.split())
        if start is None and (not line or is_stamp_line(line) or line[:1].islower()):
            continue
        if not line:
            continue
        if start is None:
            start = j
        if j - start >= MAX_DATA_LINES or len(line) > MAX_DATA_CELL_CHARS + 20 or line.endswith((".", ":", ";")):
            return None
        if _DATA_VALUE_RE.search(line) and not is_stamp_line(line):
            return start, j
    return None


def header_data(lines: list[str], sentence: str) -> tuple[int, int] | None | bool:
    """For a quoted `sentence` that is a table's header (table_header) written on `lines` (a passage's raw lines):
    (first, last) line of its first data row below it (data_row); True when the passage ends before any (the row
    opens the next passage, under the stamp); None otherwise."""
    if not table_header(sentence):
        return None
    said = _squash(sentence)
    for end in range(len(lines)):
        joined = ""
        for start in range(end, max(-1, end - 3), -1):
            joined = _squash(lines[start]) + joined
            if joined == said:
                below = lines[end + 1 :]
                found = data_row(below)
                if found is not None:
                    return end + 1 + found[0], end + 1 + found[1]
                rest = [" ".join(x.split()) for x in below]
                return all(not x or is_stamp_line(x) or x[:1].islower() for x in rest) or None
    return None


MAX_HEADER_ABOVE = 40  # lines between a table's header and the last line of a data row under it (a stamp between)


def header_above(lines: list[str], row: str) -> tuple[str, str] | None:
    """(header, data row) when `row` is the last line of the first data row under a table's header among `lines` (raw
    lines: the passage before's, then the row's own): "Lot Entreprise Moyenne des besoins sur 1 an Montants retenus
    sur bordereau de prix" names the columns of "Génie Civil - VRD - ... SOGETREL 34470 PEROLS 300 000,00 760 683,10",
    the prefecture's stamp between them. The row is rebuilt from its cells (all in the row's passage); None when no
    header is so near.

    >>> lines = ["La commission a attribué le lot suivant :", "Lot Entreprise Moyenne des besoins Montants retenus",
    ...          "Acte Certifié exécutoire", "06/02/2013", "Génie Civil - VRD -", "SOGETREL", "34470 PEROLS 300 000,00"]
    >>> header_above(lines, "34470 PEROLS 300 000,00")
    ('Lot Entreprise Moyenne des besoins Montants retenus', 'Génie Civil - VRD - SOGETREL 34470 PEROLS 300 000,00')
    >>> header_above(lines, "SOGETREL") is None
    True
    >>> header_above(lines + ["Fibre optique", "ORANGE 10 000,00"], "ORANGE 10 000,00")  # a later row of the table
    ('Lot Entreprise Moyenne des besoins Montants retenus', 'Fibre optique ORANGE 10 000,00')
    """
    said = _squash(row)
    at = next((j for j in range(len(lines) - 1, -1, -1) if _squash(lines[j]) == said), None)
    if at is None:
        return None
    for j in range(at - 1, max(-1, at - 1 - MAX_HEADER_ABOVE), -1):
        if not table_header(lines[j]):
            continue
        # the header's rows one after the other, down to the one that ends at the row asked about
        start = j + 1
        while start <= at:
            found = data_row(lines[start : at + 1])
            if found is None:
                return None
            if start + found[1] == at:
                cells = [" ".join(x.split()) for x in lines[start + found[0] : at + 1]]
                return " ".join(lines[j].split()), " ".join(cells)
            start += found[1] + 1
        return None
    return None


MAX_CUT_LINES = 4  # lines a row cut at its hyphens may run over ("Sainte Odile HOPITAUX-", "FACULTES", ...)


def cut_row(lines: list[str], position: int) -> str:
    """A table row whose cells the layout cut at a hyphen, rebuilt: "Sainte Odile HOPITAUX-", "FACULTES", "- Michèle
    DRAY-", "FITOUSSI" is one row ("Sainte Odile HOPITAUX- FACULTES - Michèle DRAY- FITOUSSI"): a line ending with a
    hyphen goes on on the next line, and a row naming no one goes on with the bulleted name under it (its last cell).
    Empty when the line is not so cut.

    >>> lines = ["St Joseph CROIX D'ARGENT - Fabrice PALAU", "Sainte Odile HOPITAUX-", "FACULTES", "- Michèle DRAY-",
    ...          "FITOUSSI", "Sainte Jeanne d'Arc PORT MARIANNE - Fabien ABERT"]
    >>> cut_row(lines, 1)
    'Sainte Odile HOPITAUX- FACULTES - Michèle DRAY- FITOUSSI'
    >>> cut_row(lines, 0), cut_row(lines, 5), cut_row(["Le tarif est fixé à 3 € par enfant et par jour, soit un", "total"], 0)
    ('', '', '')
    """
    first = " ".join(lines[position].split())
    if not first.endswith("-") or first.endswith(" -") or len(first) > MAX_CELL_CHARS * 2:
        return ""
    parts = [first]
    for line in lines[position + 1 : position + 1 + MAX_CUT_LINES]:
        cell = " ".join(line.split())
        row = " ".join(parts)
        if not cell or len(cell) > MAX_CELL_CHARS:
            break
        if row.endswith("-") and not row.endswith(" -"):
            parts.append(cell)  # a word cut at its hyphen ("HOPITAUX-" then "FACULTES")
        elif cell.startswith("-") and " - " not in row and is_name_line(cell):
            parts.append(cell)  # the row's last cell (a name, bulleted under it), the other rows' " - Fabrice PALAU"
        else:
            break
    return " ".join(parts) if len(parts) > 1 else ""


MAX_HEADINGS_ABOVE = 25  # lines read above a list's item for the headings it sits under
MAX_ITEM_HEADING_CHARS = 70
_NUMBERED_HEADING_RE = re.compile(r"^(?:[IVX]{1,4}|\d{1,2}|[A-H])\s*[-–.)/]\s*\S")
ITEM_LINE_RE = re.compile(r"^[^:]{3,90}:\s*\S")


def _item_heading(line: str) -> bool:
    text = line.strip(" -•–")
    return 3 <= len(text) <= MAX_ITEM_HEADING_CHARS and text.endswith(":") and ":" not in text[:-1]


def item_headings(lines: list[str], position: int) -> list[str]:
    """The headings a list's item sits under, outermost first: the nearest short line ending with ":" above it
    ("Filière Administrative :") and the nearest numbered one above that ("II - Suppressions de postes :"). Items and
    headings of the same level between are passed over: "Adjoint administratif 2 ème classe : Suppression d'un
    poste." is under "II - Suppressions de postes :" and "Filière Administrative :", not "I - Créations de postes :".

    >>> lines = ["I - Créations de postes :", "Filière Administrative :", "Directeur territorial : Création d’un poste.",
    ...          "II - Suppressions de postes :", "Filière Administrative :", "Adjoint administratif : Suppression d’un poste."]
    >>> item_headings(lines, 5), item_headings(lines, 2)
    (['II - Suppressions de postes :', 'Filière Administrative :'], ['I - Créations de postes :', 'Filière Administrative :'])
    >>> item_headings(["Le Conseil approuve.", "Taux : 3 %"], 1)
    []
    """
    found: list[str] = []
    for j in range(position - 1, max(-1, position - 1 - MAX_HEADINGS_ABOVE), -1):
        line = " ".join(lines[j].split())
        if not line or is_stamp_line(line):
            continue
        if _item_heading(line):
            numbered = bool(_NUMBERED_HEADING_RE.match(line))
            if not found or (numbered and not _NUMBERED_HEADING_RE.match(found[0])):
                found.insert(0, line)
            if numbered:
                break
            continue
        if len(line) > MAX_ROW_CHARS or (line.endswith(".") and not ITEM_LINE_RE.match(line)):
            break  # a paragraph: the list has begun below it
    return found


_COMPANY_COLUMN_RE = re.compile(
    r"\b(?:entreprises?|societes?|titulaires?|attributaires?|prestataires?|fournisseurs?|candidats?|raison sociale)\b"
)
_CAPS_NAME_RE = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'’&-]{3,}\b")


def names_company(kind: str, question: str, header: str, row: str) -> bool:
    """Whether, for a question asking a company, a table's row names one in capitals under a column titled for it
    ("Lot Entreprise Moyenne ..." over "... SOGETREL 34470 PEROLS 300 000,00").

    >>> names_company("organisation", "Quelle entreprise ?", "Lot Entreprise Montants", "Génie Civil SOGETREL 300 000,00")
    True
    >>> names_company("organisation", "Quelle entreprise ?", "Lot Désignation Montants", "Génie Civil SOGETREL 300 000,00")
    False
    """
    asked = kind == ORGANISATION or (kind == PERSON and awarded(question))
    return asked and bool(_COMPANY_COLUMN_RE.search(fold(header).lower()) and _CAPS_NAME_RE.search(row))


def row_header(lines: list[str], block: str) -> tuple[int, str] | None:
    """(line index, header) of the table's header a row quoted as `block` sits under (see header_above), or None."""
    said = _squash(block)
    for line in lines:
        if line.strip() and said.endswith(_squash(line)):
            found = header_above(lines, line)
            if found is not None and _squash(found[1]) == said:
                at = max(j for j, x in enumerate(lines) if " ".join(x.split()) == found[0])
                return at, found[0]
    return None


MAX_PERIOD = (
    4  # cells a row of a table flattened one cell a line may have ("1ère tranche + 1.5 %", "0 m3 à 80 m3", "1.12 €/m3")
)
MIN_PERIODIC_ROWS = 3
PERIODIC_ALIKE = 0.7  # share of cells shaped like the cell a period below (a last row may differ)
MAX_PERIODIC_CELL_CHARS = 40
_SHAPE_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")


def _shape(line: str) -> str:
    """A cell's shape: its numbers as "9", its words as "a" ("2ème tranche + 10 %" -> "9a a + 9 %")."""
    text = _SHAPE_NUMBER_RE.sub("9", " ".join(line.split()))
    return re.sub(r"[^\W\d_]+", "a", text)


def periodic_row(lines: list[str], position: int) -> str:
    """The row a cell belongs to in a table flattened one cell a line, its rows alike ("1ère tranche + 1.5 %", "0 m3 à
    80 m3", "1.12 €/m3", then "2ème tranche + 10 %", "81 m3 à 160 m3", "1.23 €/m3" ...): the cells of the same period
    as `position`, counted from the table's first line. Empty when the lines around are not so laid out.

    >>> lines = ["3 - Facturation période hivernale :", "1ère tranche + 1.5 %", "0 m3 à 80 m3", "1.12 €/m3",
    ...          "2ème tranche + 10 %", "81 m3 à 160 m3", "1.23 €/m3", "3ème tranche + 36 %", "161 m3 à 240 m3",
    ...          "1.67 €/m3", "4 - Facturation estivale :"]
    >>> periodic_row(lines, 3), periodic_row(lines, 8)
    ('1ère tranche + 1.5 % 0 m3 à 80 m3 1.12 €/m3', '3ème tranche + 36 % 161 m3 à 240 m3 1.67 €/m3')
    >>> periodic_row(["Le Conseil adopte.", "Pour : 52"], 1)
    ''
    """

    def cell(j: int) -> bool:
        line = " ".join(lines[j].split())
        return bool(line) and len(line) <= MAX_PERIODIC_CELL_CHARS and not line.endswith((".", ":", ";"))

    if not cell(position):
        return ""
    start = position
    while start > 0 and cell(start - 1):
        start -= 1
    end = position
    while end + 1 < len(lines) and cell(end + 1):
        end += 1
    shapes = [_shape(lines[j]) for j in range(start, end + 1)]
    for period in range(2, MAX_PERIOD + 1):
        rows = len(shapes) // period
        if rows < MIN_PERIODIC_ROWS:
            break
        alike = sum(1 for i in range(len(shapes) - period) if shapes[i] == shapes[i + period])
        if alike < PERIODIC_ALIKE * (len(shapes) - period) or all(shapes[i] == shapes[0] for i in range(period)):
            continue
        first = start + ((position - start) // period) * period
        if first + period - 1 > end:
            return ""
        return " ".join(" ".join(lines[j].split()) for j in range(first, first + period))
    return ""


MAX_TITLE_LINES = 3
MAX_TITLE_LINE_CHARS = 60


def block_start(lines: list[str], position: int) -> int | None:
    """Where the block of a list item that is only a name opens: the seat's title above its label ("Collège Marcel
    Pagnol CROIX", "D'ARGENT", "Titulaire :", "- Fabrice PALAU"), passing over the other names under the same label.
    A name read alone does not say which seat it holds. None when no label ("Titulaire :") heads the item, or no title
    sits above it.

    >>> lines = ["- Fabrice PALAU", "Suppléant :", "- Vincent HALUSKA", "Collège Marcel Pagnol CROIX", "D’ARGENT",
    ...          "Titulaire :", "- Fabrice PALAU", "Suppléant :"]
    >>> block_start(lines, 6), block_start(["Collège Fontcarrade CENTRE Titulaires :", "- Isabelle MARSALA"], 1)
    (3, 0)
    >>> block_start(["Sont désignés Fabrice PALAU et Vincent HALUSKA.", "- Fabrice PALAU"], 1) is None
    True
    """
    j = position - 1
    while j >= 0 and lines[j].strip()[:1] in "-•–" and lines[j].strip():
        j -= 1  # the other names under the same label
    if j < 0 or not _item_heading(lines[j]) or len(lines[j]) > MAX_TITLE_LINE_CHARS:
        return None
    start = j if len(lines[j].rstrip(" :").split()) > 1 else None  # "Collège Fontcarrade CENTRE Titulaires :"
    j -= 1
    for _ in range(MAX_TITLE_LINES):
        line = lines[j].strip() if j >= 0 else ""
        if (
            not line
            or line[:1] in "-•–"
            or line.endswith((":", ".", ";", ","))
            or len(line) > MAX_TITLE_LINE_CHARS
            or is_stamp_line(line)
        ):
            break
        start = j
        j -= 1
    return start


MAX_SECTION_HEADING_CHARS = 160
_SECTION_HEADING_RE = re.compile(r"^\s*(?:(?:[IVX]{1,4}|\d{1,2}|[A-H])\s*[-–.)/°]\s*|[•▪■►]\s*)\S")
HEADING_PROBE_WORDS = 40


def sentence_section(text: str, sentence: str) -> str:
    """The heading of the section a sentence sits in, within its passage: the nearest line above it opening with a
    number, a letter or a bullet ("2) Réforme de mobiliers et de matériels : Direction Travaux Maintenance Action
    Solidarité", "• OPAH ... du secteur Gambetta, Figuerolles et Nord-Ecusson (2010-2015) :"); "" when none. Two
    sentences alike ("Ces équipements seront donnés à titre gracieux à ...") are told apart by it.

    >>> text = chr(10).join(["1) Réforme de matériels : Direction de l’Espace Public", "Ces équipements seront donnés à la TAM.",
    ...     "2) Réforme de mobiliers : Direction Travaux Maintenance", "Ces équipements seront donnés à deux associations :"])
    >>> sentence_section(text, "Ces équipements seront donnés à deux associations :")
    '2) Réforme de mobiliers : Direction Travaux Maintenance'
    >>> sentence_section(text, "Ces équipements seront donnés à la TAM."), sentence_section("Le Conseil adopte.", "Le Conseil adopte.")
    ('1) Réforme de matériels : Direction de l’Espace Public', '')
    >>> items = chr(10).join(["• Montant de l’avenant : 170 824,37 € HT.", "• Nouveau montant : 350 824,37 €."])
    >>> sentence_section(items, "Nouveau montant : 350 824,37 €.")
    ''
    """
    probe = sentence.split()[:HEADING_PROBE_WORDS]
    lines = text.splitlines()
    words = [(word, n) for n, line in enumerate(lines) for word in line.split()]
    at = next(
        (words[k][1] for k in range(len(words) - len(probe) + 1) if [w for w, _ in words[k : k + len(probe)]] == probe),
        None,
    )
    if not probe or at is None:
        return ""
    for line in reversed(lines[:at]):
        # (an item of a list ends with a full stop or a semicolon: "• Montant de l’avenant : 170 824,37 € HT.")
        if (
            _SECTION_HEADING_RE.match(line)
            and len(line.strip()) <= MAX_SECTION_HEADING_CHARS
            and not line.rstrip().endswith((".", ";", ","))
        ):
            return " ".join(line.split())
    return ""
    heading = ""
    for line in text.splitlines():
        words = line.split()
        if (
            len(probe) <= len(words)
            and any(words[i : i + len(probe)] == probe for i in range(len(words) - len(probe) + 1))
            or (len(words) < len(probe) and words and words == probe[: len(words)] and line.strip() == sentence.strip())
        ):
            return heading
        if _SECTION_HEADING_RE.match(line) and len(line.strip()) <= MAX_SECTION_HEADING_CHARS:
            heading = " ".join(words)
    return ""
