"""The opening of an extractive answer: one or two sentences that answer, before the quoted evidence.

For a decision they are built only from the fields of the cited record (rag.decision): what was decided,
when, the rows that carry the figures or names the question asks for, and the vote. Every number, date
and name of such a sentence is looked up in the cited passage (rag.facts, strictly); a sentence that
does not pass is dropped, never softened. For a rule, the article's sentence that answers is quoted
with the article named.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rag import schema
from rag.bodies import KINDS, body_article
from rag.citations import strip_citations
from rag.decision import (
    Decision,
    Provision,
    after_verb,
    extract_decision,
    is_name_line,
    is_stamp_line,
    told_as_done,
)
from rag.facts import extract_facts, fold, index_passage, missing_facts
from rag.french import french_date
from rag.meeting import asks_about_meeting, is_meeting_formula
from rag.question import (
    DECISION,
    LEVEL,
    NAMED_VALUE,
    NUMBER,
    OFFICE_RE,
    OPINION,
    ORGANISATION,
    OTHER,
    PERSON,
    PERSON_RE,
    VALUE_KINDS,
    VOTE,
    answer_type,
    asked_in_range,
    asks_elected,
    asks_recalled,
    asks_reporter,
    asks_vote,
    counted,
    counts,
    gives,
    gives_asked,
    head_noun,
    label_fits,
    name_stems,
    names_elected,
    names_more,
    names_reference,
    one_elected,
    opposed,
    other_numbered,
    question_names,
    question_parts,
    rank,
    recalls,
    reporter_line,
    reporter_part,
    states_new,
    value_named,
    value_near,
)
from rag.records import record_from_meta
from rag.rows import data_row, designated, header_data, is_entry, opens_name_list, unit_in_header, written_vote
from rag.schema import AnswerSentence, Citation
from rag.text import sentences, tokens

MAX_ROWS = 4
MAX_NAMES = 12  # names of a list of persons elected or designated stated in the opening
MAX_OBJECT_CHARS = 220
MAX_LISTED = 3
MAX_TALLY_CHARS = 80  # a ballot's line for one person (name and count)
ANNOUNCED_ITEMS = 3
_QUOTE_GAP = " […] "
_INFORMAL_VOTE_RE = re.compile(r"\s*:?\s*\b(?:vote\s*:|\d+\s+votes?\b).*$", re.IGNORECASE)


def lead_sentences(
    question: str, citations: list[Citation], idf: Callable[[str], float] | None = None
) -> list[AnswerSentence]:
    """The answer's opening sentences (empty when nothing can be stated safely). `idf` weighs the
    question's words when rows are chosen (a rare name counts more than "montant").

    When the cited record's fields give no sentence (a compte rendu not split into records, an item
    whose operative part has no verb), or give one without the kind of fact asked for while the best
    passage quotes it, the answer opens with that passage's sentence that answers, quoted as it is:
    the first sentence then states the amount, the name, the count or the vote."""
    lead = _record_lead(question, citations, idf)
    if not citations or (citations[0].chunk.kind == schema.KIND_ARTICLE and citations[0].chunk.article):
        return lead
    opening = _opening(question, lead, citations, idf)
    return (
        opening
        + _tally(question, opening, citations)
        + _second_part(question, opening, citations, idf)
        + _written_vote(question, opening, citations)
    )


MAX_WRITTEN_VOTE_CHARS = 240


def _written_vote(question: str, opening: list[AnswerSentence], citations: list[Citation]) -> list[AnswerSentence]:
    """For a question whose answer is the vote or the body's yes or no (`asks_vote`), the record's vote as the
    document writes it ("Rejeté – P 4 / C 9 / A 1", "Pour 512 voix Contre 688 voix Abstention 45 voix REJETÉ", with
    the names a vote column gives under it), quoted from the cited passage of the opening's record that holds it,
    when the opening does not already say it."""
    if not opening or not opening[0].citations or not asks_vote(question):
        return []
    cited = next((c for c in citations if c.n == opening[0].citations[0]), None)
    if cited is None or cited.chunk.kind != schema.KIND_DELIBERATION:
        return []
    record = _record_of(cited)
    said = _squash(" ".join(s.text for s in opening))
    for citation in sorted(citations, key=lambda c: c is not cited):
        written = written_vote(citation.chunk) if _record_of(citation) == record else None
        if written and len(written) <= MAX_WRITTEN_VOTE_CHARS and _squash(written) not in said:
            text = f"Le vote, tel qu'il est écrit : « {written} » [{citation.n}]."
            return [AnswerSentence(text=text, citations=[citation.n])]
    return []


# A person's surname as a ballot's result writes it (two letters at least, capitals, hyphens or apostrophes)
_SURNAME_RE = re.compile(r"\b[A-ZÀ-Ý][A-ZÀ-Ý'’-]+[A-ZÀ-Ý]\b")
# Where a ballot's line for one person starts: a colon, a semicolon, a line break, a sentence's end
# (a line break only after a row of a table, "Majorité absolue 7", not inside "M. Rémi\nCASTAGNOL")
# "CASTAGNOL, 27 voix", "CASSAGNES 11 voix", an election form's "CAMBEFORT Chantal 8 huit voix" (first name, then the
# count in figures and in words)
# ("LABARTHÈTE obtient 9 voix", "DUPONT a recueilli 12 voix": the verb between the name and the count)
_COUNT_AFTER_NAME = (
    r"(?:\s+[A-ZÀ-Ý][a-zà-ÿ'’-]+)?(?:\s+(?:a\s+)?(?:obtient|obtenu|recueille|recueilli))?"
    r"[^\d;:.\n]{0,3}(\d{1,3})\s+(?:[a-zà-ÿ-]+\s+)?voix\b"
)
_TALLY_START_RE = re.compile(
    r"[:;]|(?<=\d|x)\n|(?<=[a-zà-ÿ]{3})\.\s|(?<=\d)\.\s(?=[A-ZÀ-Ý])|\n(?=(?:M\.|MM\.|Mme|Mlle)\s)"
)  # (a ballot's row opening on its own line with a civility: "M. Théo CHAUVINEAU 8 voix")


def _tally(question: str, opening: list[AnswerSentence], citations: list[Citation]) -> list[AnswerSentence]:
    """For "qui a été élu / désigné", the votes the person named in the opening obtained, when the cited passage counts
    them on another line than the one quoted ("Ont obtenu : M. Rémi CASTAGNOL, 27 voix ; ..." above "Est désigné
    délégué titulaire ... : M. Rémi CASTAGNOL"): "Le document cité indique aussi : « M. Rémi CASTAGNOL, 27 voix »
    [1].". Nothing when the opening already gives that person's count.

    >>> passage = "Ont obtenu : M. Rémi CASTAGNOL, 27 voix ; M. Patrick ROUSTAN, 6 voix.\\nEst désigné : M. Rémi CASTAGNOL"
    >>> chunk = schema.Chunk(id="c", text=passage, meta={"kind": schema.KIND_DELIBERATION})
    >>> cited = [Citation(n=1, chunk=chunk, quote="Est désigné : M. Rémi CASTAGNOL")]
    >>> opening = [AnswerSentence(text="Le document cité indique : « Est désigné : M. Rémi CASTAGNOL » [1].", citations=[1])]
    >>> [s.text for s in _tally("Qui a été désigné délégué ?", opening, cited)]
    ['Le document cité indique aussi : « M. Rémi CASTAGNOL, 27 voix » [1].']
    >>> _tally("Quel est le montant ?", opening, cited)
    []
    """
    if answer_type(question) not in (PERSON, VOTE) or not opening or not opening[0].citations:
        return []
    said = " ".join(s.text for s in opening)
    quoted = next((c for c in citations if c.n == opening[0].citations[0]), None)
    if quoted is None:
        return []
    # the quoted passage first, then the other passages of its document (a chunk's end may fall between the ballot's
    # result and the name of the person elected)
    same = [c for c in citations if c is not quoted and c.chunk.source == quoted.chunk.source]
    for surname in dict.fromkeys(_SURNAME_RE.findall(_quoted(opening[0].text))):
        if re.search(re.escape(surname) + _COUNT_AFTER_NAME, said):
            continue  # (the opening gives that person's count already)
        for citation in (quoted, *same):
            passage = citation.chunk.text
            count = re.search(re.escape(surname) + _COUNT_AFTER_NAME, passage)
            if count is None:
                continue
            starts = [m.end() for m in _TALLY_START_RE.finditer(passage, 0, count.start())]
            span = " ".join(passage[starts[-1] if starts else 0 : count.end()].split())
            n = citation.n
            sentence = AnswerSentence(text=f"Le document cité indique aussi : « {span} » [{n}].", citations=[n])
            if len(span) <= MAX_TALLY_CHARS and _verified(sentence, citations):
                return [sentence]
    return []


def _second_part(
    question: str, opening: list[AnswerSentence], citations: list[Citation], idf: Callable[[str], float] | None
) -> list[AnswerSentence]:
    """For a question asking two things ("De quel pourcentage ... a-t-il augmenté, et quel est son nouveau montant
    ?"), the quoted sentence that answers the second when the opening states no such value: "Nouveau montant du
    marché : 350 824,37 € HT." after "Pourcentage d'augmentation du marché : 95 %."."""
    parts = question_parts(question)
    if len(parts) < 2 or not opening:
        return []
    first, second = parts
    kind = answer_type(second)
    if kind in (DECISION, OTHER):
        return []
    said = " ".join(s.text for s in opening)
    found = _typed_quote(second, kind, citations, idf) if kind != VOTE else []
    if not found and kind != VOTE and opening[0].citations:
        # the quotes were chosen for the first part: the second's answer may be another sentence of the passage the
        # opening cites ("Les travaux seront réalisés ... à partir du lundi 4 septembre 2023")
        cited = [c for c in citations if c.n == opening[0].citations[0]]
        whole = [Citation(n=c.n, chunk=c.chunk, quote=_QUOTE_GAP.join(sentences(c.chunk.text))) for c in cited]
        # (what the second part asks of is what the first names: "..., et pour combien de temps le garde-t-il ?")
        found = _typed_quote(second, kind, whole, idf) or _typed_quote(f"{first} {second}", kind, whole, idf)
    if not found or _squash(_quoted(found[0].text)) in _squash(said) or not gives_asked(second, kind, found[0].text):
        return []
    if answer_type(first) == kind and not any(
        t in tokens(found[0].text) for t in set(tokens(second)) - set(tokens(first))
    ):
        return []  # a value of the first part's kind again, not what the second asks
    return found


def _quoted(text: str) -> str:
    return text[text.find("«") + 1 : text.rfind("»")] if "«" in text else text


def _verified(sentence: AnswerSentence, citations: list[Citation]) -> bool:
    """Every number, date and name of an opening sentence is in the passage it cites (strictly): a quote is,
    but the checker reads "18H30" as a name "H30" the passage does not hold alone; such a quote is dropped."""
    cited = [index_passage(c.chunk) for c in citations if c.n in sentence.citations]
    if not cited:
        return not sentence.citations
    return not missing_facts(extract_facts(strip_citations(sentence.text), with_names=True), cited, strict=True)[1]


def _opening(
    question: str, lead: list[AnswerSentence], citations: list[Citation], idf: Callable[[str], float] | None
) -> list[AnswerSentence]:
    """The record's lead, or the quoted sentence that answers when the lead states no fact of the kind asked."""
    kind = answer_type(question)
    typed = kind not in (DECISION, OTHER)
    if lead and typed:
        qualified = _qualified(question, kind, lead, citations, idf)
        if qualified:
            return qualified
    head = head_noun(question) if kind == OTHER else None
    if lead and head and not any(head in tokens(s.text) for s in lead):
        # "Quel poste ... a été supprimé": the quoted item that writes the thing asked ("... : Suppression d'un
        # poste.") opens the answer, not the record's title that does not
        named = _quoted_answer(question, kind, citations, idf, head=head)
        if named:
            return named + [s for s in lead if s.citations == named[0].citations]
    if lead and (not typed or any(_states(question, kind, s.text) for s in lead)):
        first = citations[0]
        by_title = lead[0].text.find(RECORD_TITLE_MARK) >= 0  # only the record's title and vote (_record_sentence)
        if not typed or not by_title or lead[0].citations == [first.n] or not gives(kind, first.quote):
            return lead
        # The lead states a fact of another record than the best passage, which quotes one itself and
        # names more of the question ("13 Attribution exceptionnelle à l'association Le Refuge ... Pour : 52"
        # found first, another item's vote in the lead): the best passage's sentence answers.
        own = _quoted_answer(question, kind, [first], idf)
        said = " ".join(s.text for s in lead)
        if own and names_more(question, own[0].text, said, idf):
            return own
        return lead
    quoted = _quoted_answer(question, kind, citations, idf)
    if quoted and lead and not any(_states(question, kind, s.text) for s in lead):
        return quoted + [s for s in lead if s.citations == quoted[0].citations]
    return lead or quoted


# A qualifier that picks one value among several of the same kind: the seat ("les membres titulaires"), the total
# ("le montant total"), a bound ("le montant maximum").
_QUALIFIER_RE = re.compile(r"\b(titulaire|suppleant|total|maxim|minim)(?:e|s|es|um|al|ale|aux)?\b")


def _qualified(
    question: str, kind: str, lead: list[AnswerSentence], citations: list[Citation], idf: Callable[[str], float] | None
) -> list[AnswerSentence]:
    """When the question qualifies the value asked ("les membres titulaires", "le montant total") and the record's
    lead states values without that qualifier (the last list of the operative part, "Suppléants : - Henri MAILLET
    ...", or the table's rows for "le montant total"), the quoted sentence that states it ("Titulaires : - Cédric
    de SAINT JOUAN ...", "pour un montant total de 289 250 €"); empty otherwise.

    >>> q = "Qui sont les membres titulaires de la commission ?"
    >>> lead = [AnswerSentence(text="Le 24 avril 2014, le conseil municipal a adopté : Henri MAILLET [1].", citations=[1])]
    >>> _qualified(q, "person", lead, [], None)
    []
    """
    asked = _QUALIFIER_RE.search(fold(question))
    if asked is None or any(asked.group(1) in fold(s.text) for s in lead):
        return []
    own = _quoted_answer(question, kind, citations, idf)
    return own if own and asked.group(1) in fold(own[0].text) else []


_LEAD_HEAD_RE = re.compile(
    r"^Le [^,]{6,30}, (?:le conseil municipal\b|(?:le|la) (?i:"
    + "|".join(k.heading for k in KINDS)
    + r")\b[^:]*?(?= a ))"
)


def _states(question: str, kind: str, sentence: str) -> bool:
    """Whether an opening sentence states the kind of fact asked, its head aside: "Le 22 mai 2014, le conseil
    municipal ... a adopté : d'autoriser ... la convention" gives the séance's date, not when the convention ends.

    >>> q = "Quand se termine la mise à disposition des deux agents au GIP ?"
    >>> _states(q, "date", "Le 22 mai 2014, le conseil municipal de Montpellier a adopté : D’autoriser le Maire [1].")
    False
    >>> _states(q, "date", "Le document cité précise : « La mise à disposition prendra fin le 31/12/2014 » [1].")
    True
    >>> _states("Quand le conseil a-t-il approuvé le PSMV ?", "date", "Le 17 février 2014, le conseil municipal a adopté : X [1].")
    True
    """
    if _COUNCIL_ACT_RE.search(fold(question)):
        return gives_asked(question, kind, sentence)  # "Quand le conseil a-t-il approuvé ...": the séance's date
    return gives_asked(question, kind, _LEAD_HEAD_RE.sub("", sentence))


# A question on the council's own act or meeting: the séance's date answers "quand".
_COUNCIL_ACT_RE = re.compile(
    r"\b(?:conseil|seance|reunion|vote|votee?s?|adopte|adoptee?s?|approuve|approuvee?s?|delibere|decide|decidee?s?)\b"
)


def _quoted_answer(
    question: str,
    kind: str,
    citations: list[Citation],
    idf: Callable[[str], float] | None = None,
    head: str | None = None,
) -> list[AnswerSentence]:
    """ "Le document cité indique : « ... » [n]." with the quoted sentence that answers best: the one holding
    the kind of fact asked for (an amount, a name, a count, a vote) that names most of the question, or for
    "what was decided", the operative sentence ("De se prononcer contre le transfert ...")."""
    about_meeting = asks_about_meeting(question)
    typed = kind not in (DECISION, OTHER)
    ranked: list[tuple[tuple[int, int, int, int, int, int, int, float], int, str]] = []
    top = _record_of(citations[0]) if citations else None
    for order, citation in enumerate(citations):
        # a vote is asked of the best passage's record: its vote line ("Pour 11 Contre 7 Blancs 2 Scrutin secret —
        # ADOPTÉ") names nothing of the question, another record's ("... ADOPTÉ (unanimité)") is no answer
        own = int(kind == VOTE and citation.chunk.kind == schema.KIND_DELIBERATION and _record_of(citation) == top)
        for part in _headed_parts(quote_parts_of(citation.quote)):
            if not about_meeting and (is_meeting_formula(part) or roll_call(part)):
                continue
            if typed and not gives_asked(question, kind, part):
                continue
            if head and head not in tokens(part):
                continue  # (the thing asked, "poste", written in the part)
            names, rare, weight = rank(question, part, idf)
            # "un quotient familial de 800 €": the row of its band ("QF de 601 à 1 000 € 3,10 €") first
            banded = int(asked_in_range(question, part))
            if not (weight or banded or own) or opposed(question, part) or other_numbered(question, part):
                continue  # shares no word with the question, or tells the opposite ("supprimés" for "créés")
            # "What was decided": the operative sentence first ("De se prononcer contre le transfert ...")
            operative = int(not typed and _is_operative(part))
            # "sur l'article 2181": the line writing "article 2181" first
            named = int(names_reference(question, part))
            voted = int(kind in (PERSON, VOTE) and _names_the_vote(question, part))  # "qui a voté contre"
            ranked.append(
                ((own, voted, banded, named, operative, names, rare, weight - 0.01 * order), citation.n, part)
            )
    for _, n, part in sorted(ranked, key=lambda item: item[0], reverse=True)[:MAX_TRIED]:
        passage = next(c.chunk.text for c in citations if c.n == n)
        part = with_list_rest(with_sequel(part, passage), passage)
        sentence = AnswerSentence(text=f"Le document cité indique : « {_clip_quote(part)} » [{n}].", citations=[n])
        if _verified(sentence, citations):
            return [sentence]
    return []


def with_list_rest(part: str, passage: str) -> str:
    r"""A quoted part ending on an item of a bulleted list ("Membres titulaires : - Samira SALOMON") with the items that
    follow it in the passage, up to the next label or the list's end; the prefecture's stamp printed across the page
    in the middle of the list is left out, marked by a gap. The part alone otherwise.

    >>> with_list_rest("Membres titulaires : - Samira SALOMON", "Membres titulaires :\n- Samira SALOMON\n- Patrick "
    ...     "RIVAS\nActe Certifié exécutoire\n28/04/2014\n- Nicole LIZA\nMembres suppléants :\n- Henri MAILLET")
    'Membres titulaires : - Samira SALOMON - Patrick RIVAS […] - Nicole LIZA'
    >>> with_list_rest("Commission locale de l'eau Titulaire : Mme Solène BRIVADEAU", "Commission locale de l'eau\n"
    ...     "Titulaire : Mme Solène BRIVADEAU\nTitulaire : M. Patrice LOUVANDRE\nSuppléante : Mme Noëlle GARANCHE\nLa liste")
    "Commission locale de l'eau Titulaire : Mme Solène BRIVADEAU Titulaire : M. Patrice LOUVANDRE Suppléante : Mme Noëlle GARANCHE"
    """
    split = sentences(passage)
    index = _ending_at(part, split)
    if index is not None and index > 0 and _SEAT_LABEL_RE.search(split[index - 1]) and not _ITEM_RE.match(split[index]):
        return _with_role_rows(part, split, index)
    if index is None or not _ITEM_RE.match(split[index]):
        return part
    text, items, stamped = part, 0, False
    for following in split[index + 1 :]:
        if is_stamp_line(following):
            stamped = True
            continue
        if items == LIST_REST_ITEMS or not _ITEM_RE.match(following):
            break
        text, items, stamped = f"{text}{_QUOTE_GAP if stamped else ' '}{following}", items + 1, False
    return text


def _with_role_rows(part: str, split: list[str], index: int) -> str:
    """A part ending on a designation's row ("Titulaire :" / "Mme Solène BRIVADEAU") with the rows after it, up to
    the list's end: the other titulaires and the suppléants of the same body, not the next body's rows (its name
    opens the sentence of its first label)."""
    text, rows, at = part, 0, index
    while rows < LIST_REST_ITEMS and at + 1 < len(split):
        if _SEAT_LABEL_RE.search(split[at]) and not _SEAT_LABEL_RE.match(split[at].strip()):
            # a person, then the next label on the same line: "Mme Danielle POMMERAIS Suppléant :" / "M. Hugues ..."
            if split[at] not in text:
                text = f"{text} {split[at]}"
            text, rows, at = f"{text} {split[at + 1]}", rows + 1, at + 1
        elif at + 2 < len(split) and _SEAT_LABEL_RE.match(split[at + 1].strip()):
            text, rows, at = f"{text} {split[at + 1]} {split[at + 2]}", rows + 1, at + 2
        else:
            break
    return text


LIST_REST_ITEMS = 8  # the items of a list quoted after the one the opening found
_ITEM_RE = re.compile(r"^\s*[-•–]\s+\S")
# a designation's row label, its person in the next sentence ("Titulaire :" / "Mme Agnès RIBOULEAU")
_SEAT_LABEL_RE = re.compile(
    r"(?:^\s*|(?<=\s))(?:membres?\s+)?(?:titulaires?|suppl[ée]ant(?:e|s|es)?|d[ée]l[ée]gu[ée]e?s?(?:\s+(?:titulaires?|suppl[ée]ant(?:e|s|es)?))?)"
    r"\s*:$",
    re.IGNORECASE,
)


def with_sequel(part: str, passage: str) -> str:
    """A short quoted line with the sentence after it in the passage when that sentence goes on about the same thing
    by a demonstrative ("4 Blocs WC année 95/97 de marque MDO" then "Ces équipements seront donnés à titre gracieux à
    la TAM."): the line names the thing, the next sentence says what was decided about it. The part alone otherwise.

    >>> text = "- 4 Blocs WC année 95/97 de marque MDO\\n\\nCes équipements seront donnés à titre gracieux à la TAM.\\n\\n2) Réforme"
    >>> with_sequel("4 Blocs WC année 95/97 de marque MDO", text)
    '4 Blocs WC année 95/97 de marque MDO Ces équipements seront donnés à titre gracieux à la TAM.'
    >>> with_sequel("Le Conseil adopte.", "Le Conseil adopte.\\nCes équipements seront donnés.")
    'Le Conseil adopte.'
    """
    if len(part) > MAX_SEQUEL_PART or part.rstrip().endswith((".", ":")):
        return part
    split = sentences(passage)
    at = next((i for i, s in enumerate(split) if _squash(s).endswith(_squash(part))), None)
    if at is None or at + 1 >= len(split) or not _SEQUEL_RE.match(split[at + 1]):
        return part
    sequel = split[at + 1]
    end = sequel.find(". ")
    return f"{part} {sequel[: end + 1] if end > 0 else sequel}"  # (its first sentence: the splitter may join more)


MAX_SEQUEL_PART = 120  # a line naming a thing (an item of a list, a row), not a sentence that says something of it
# a sentence going on about what the line before named: "Ces équipements ...", "Cette somme ...", "Ceux-ci ..."
_SEQUEL_RE = re.compile(r"(?:Ce|Cet|Cette|Ces|Celui-ci|Celle-ci|Ceux-ci|Celles-ci)\s+\w")


def _headed_parts(parts: list[str]) -> list[str]:
    """The parts of a quote, a short heading ("Filière Technique :") joined to the parts it heads down to the first
    that heads nothing ("Filière Technique : […] Ingénieur en chef classe exceptionnelle : Création d'un poste."): a
    heading quoted alone announces, it says nothing.

    >>> _headed_parts(["Le Conseil adopte.", "I - Créations de postes :", "Filière Technique :", "Ingénieur : Création d’un poste."])
    ['Le Conseil adopte.', 'I - Créations de postes : […] Filière Technique : […] Ingénieur : Création d’un poste.']
    """
    out: list[str] = []
    pending: list[str] = []
    for part in parts:
        if part.endswith(":") and len(part) <= MAX_LABEL_CHARS:
            pending.append(part)
            continue
        out.append(_QUOTE_GAP.join([*pending, part]))
        pending = []
    return out + pending


_OPERATIVE_RE = re.compile(
    r"^(?:d[e'’]\s*(?:se\s+)?[a-zà-ÿ]+er\b)|\b(?:d[ée]cide|approuve|adopte|accepte|fixe|autorise|d[ée]signe"
    r"|attribue|valide|se prononce|prend acte|[ée]met un avis|demande)\b",
    re.IGNORECASE,
)
MAX_LEAD_QUOTE_CHARS = 400
MAX_ANNOUNCED_CHARS = 200  # the lines a sentence ending with ":" announces, quoted with it in the opening
MAX_LABEL_CHARS = 60  # "Rédacteur :", "Niveau de rémunération :": a row's label
MAX_TRIED = 5  # quoted sentences tried, best first, until one passes the check of its values
RECORD_TITLE_MARK = " a délibéré sur « "
# An item written as not voted on: "Retiré – pas de vote", "Information – sans vote", "Point ajourné" (folded)
_NO_VOTE_RE = re.compile(r"\b(?:pas de vote|sans vote|retire|ajourne|reporte)\b")


def _is_operative(part: str) -> bool:
    """A sentence of the operative part ("décide de ...", "De se prononcer contre ..."), not a bare
    "Le Conseil adopte." (which says that, not what)."""
    return bool(extract_decision(part).provisions or _OPERATIVE_RE.search(part)) and len(part.split()) > 5


def _clip_quote(part: str) -> str:
    """At most MAX_LEAD_QUOTE_CHARS of a quote part, cut after a sentence (never inside a number)."""
    if len(part) <= MAX_LEAD_QUOTE_CHARS:
        return part
    kept = ""
    for sentence in sentences(part):
        if kept and len(kept) + len(sentence) + 1 > MAX_LEAD_QUOTE_CHARS:
            break
        candidate = f"{kept} {sentence}".strip()
        if _squash(candidate) not in _squash(part):
            break
        kept = candidate
    return kept or part


def quote_parts_of(quote: str) -> list[str]:
    """The parts of a citation's quote (separated by […]): each is the passage's text as it is."""
    return [p.strip() for p in quote.split(_QUOTE_GAP) if p.strip()]


def _record_lead(
    question: str, citations: list[Citation], idf: Callable[[str], float] | None = None
) -> list[AnswerSentence]:
    """The lead built from the cited records' fields (see lead_sentences)."""
    if not citations:
        return []
    kind = answer_type(question)
    first = citations[0]
    if first.chunk.kind == schema.KIND_ARTICLE and first.chunk.article:
        return _article_lead(kind, first)
    found: list[tuple[str, str, int]] = []  # (date, sentence, citation number)
    seen: set[tuple[str, str]] = set()
    for citation in citations:
        chunk = citation.chunk
        if chunk.kind != schema.KIND_DELIBERATION or opens_name_list(chunk):
            # (a passage opening with an election's result continues the item before it: its record's vote and
            # title may be the next item's, read apart by a scan's layout)
            continue
        key = (str(chunk.meta.get(schema.DOC_ID, chunk.source)), str(chunk.meta.get(schema.RECORD_INDEX, 0)))
        if key in seen:
            continue
        sentence = decision_sentence(question, citation, idf)
        if sentence:
            seen.add(key)
            found.append((str(chunk.meta.get(schema.DATE) or ""), sentence, citation.n))
        if found and (kind not in (DECISION, VOTE, OTHER) or kind == VOTE and _ONE_VOTE_RE.search(fold(question))):
            break  # "how much / who / when", "par combien de voix": the best record answers
    found = _naming_records(question, found, citations)
    if len(found) <= 1:
        lead = [AnswerSentence(text=s, citations=[n]) for _, s, n in found]
        if kind not in (DECISION, VOTE, OTHER):
            typed = _typed_quote(question, kind, citations, idf)
            said = " ".join(s.text for s in lead if gives_asked(question, kind, s.text))
            # What the decision is about counts with it: "a élu : Max LEVITA" about the PRES outranks a
            # sentence that only names the PRES.
            cited = {n for s in lead for n in s.citations}
            about = " ".join(str(c.chunk.meta.get(schema.OBJET) or "") for c in citations if c.n in cited)
            # "Combien de contribuables": the quote counting contribuables answers, a decision's other count does not.
            unit = counted(question) if kind == NUMBER else None
            counting = bool(typed) and unit is not None and counts(typed[0].text, unit) and not counts(said, unit)
            # the quote whose value more of the question's words stand next to ("Le coût du projet ... s'élève pour la
            # Ville à 10,8 millions d'euros" over the lead's "la Panacée, pour un montant de 167 224 €")
            # (of the lead's own record or the best passage's: another record's value is no better answer for naming
            # the question more)
            records = {_record_of(c) for c in citations if c.n in cited} | {_record_of(citations[0])}
            nearer = (
                bool(typed)
                and bool(said)
                and {_record_of(c) for c in citations if c.n in typed[0].citations} <= records
                and (asks_recalled(question) or not recalls(_quoted(typed[0].text)))  # (not a value recalled)
                and value_near(question, kind, _quoted(typed[0].text), idf)[:2]
                > max(value_near(question, kind, s.text, idf)[:2] for s in lead if gives_asked(question, kind, s.text))
            )
            # (a recital's value, "CONSIDÉRANT que le montant 2021 s'élevait à ...", never goes before the decision's)
            recital = bool(typed) and bool(said) and bool(_RECITAL_RE.match(fold(_quoted(typed[0].text))))
            if (
                typed
                and not recital
                and (not said or counting or nearer or names_more(question, typed[0].text, f"{said} {about}", idf))
            ):
                # The row that answers first, then the decision it belongs to (not another record's).
                lead = typed + [s for s in lead if s.citations == typed[0].citations]
        return lead
    found.sort(key=lambda item: item[0], reverse=True)  # newest first
    head = AnswerSentence(text="Décisions trouvées, de la plus récente à la plus ancienne :", citations=[])
    return [head, *(AnswerSentence(text=f"- {s}", citations=[n]) for _, s, n in found[:MAX_LISTED])]


# A vote question about one decision: by how many votes, who voted (folded)
_ONE_VOTE_RE = re.compile(r"\bpar combien\b|\bcombien de voix\b|^qui\b")


def _record_of(citation: Citation) -> tuple[str, str]:
    """The cited passage's record: its document and its record's index (a compte rendu's whole text is one)."""
    meta = citation.chunk.meta
    return str(meta.get(schema.DOC_ID, citation.chunk.source)), str(meta.get(schema.RECORD_INDEX, 0))


def _naming_records(
    question: str, found: list[tuple[str, str, int]], citations: list[Citation]
) -> list[tuple[str, str, int]]:
    """Of several records' decisions, those whose quote or sentence writes a name the question gives ("Fabrice
    Palau": the collèges' designations naming "Fabrice PALAU", not another commune's delegates), when one does; all
    of them otherwise."""
    names = set(name_stems(question))
    if not names or len(found) < 2:
        return found
    quoted: dict[tuple[str, str], set[str]] = {}
    for citation in citations:  # every quote of the record: the name may be in another passage's quote
        quoted.setdefault(_record_of(citation), set()).update(tokens(citation.quote))
    by_n = {c.n: _record_of(c) for c in citations}
    naming = [item for item in found if names & (quoted.get(by_n.get(item[2], ("", "")), set()) | set(tokens(item[1])))]
    return naming or found


def _typed_quote(
    question: str, kind: str, citations: list[Citation], idf: Callable[[str], float] | None = None
) -> list[AnswerSentence]:
    """The quoted sentence or row holding the kind of fact asked for (an amount, a name, a date) that
    names most of the question, as it is."""
    # Ranked with what the cited record is about (its title), then, for "qui", a designated person (a
    # civility or a seat's label before the name) before a capitalised phrase that looks like a name.
    about_meeting = asks_about_meeting(question)
    reporter = asks_reporter(question)  # "qui rapporte": the line "Monsieur El Kandoussi rapporte :" answers
    unit = counted(question) if kind == NUMBER else None  # "combien de noms": "une liste de 24 noms" first
    head = head_noun(question) if kind in VALUE_KINDS else None  # "À quel taux": "Taux fixe 0.53 %" first
    # Of two rows naming the question alike, the one of the record cited first (the retrieval's best: rag.rerank)
    top = _record_of(citations[0]) if citations else None
    former = asks_recalled(question)  # (a value recalled, "rappelle les tarifs de 2019/2020", is the one asked)
    qualified = _QUALIFIER_RE.search(fold(question))  # "le montant total": "TOTAL 37 900 €" over each row's sum
    qualifier = qualified.group(1) if qualified else ""
    elected = asks_elected(question)  # "qui a été élu président": "A été proclamée présidente … : Mme X" first
    typed = [
        (2 * int(not opposed(question, s) and not other_numbered(question, s)) + int(gives_asked(question, kind, s) or unit_in_header(kind, s)),
         int(kind != PERSON or not _CIVILITY_RE.search(question) or _names_another(question, s)),
         int(kind in (PERSON, VOTE) and (_names_the_vote(question, s) or (elected and names_elected(question, s)))), int(asked_in_range(question, s)), int(bool(unit) and counts(s, unit or "")), int(names_reference(question, s)),
         int(value_named(question, kind, s) >= NAMED_VALUE), int(states_new(question, kind, s)),
         int(not _RECITAL_RE.match(fold(s))), rank(question, f"{_about(c)} {s}", idf)[:2], int(_record_of(c) == top),
         int(former or not recalls(f"{_around(part, s)[0]} {s}")), int(bool(qualifier) and qualifier in fold(s)),
         value_near(question, kind, s, idf, *_around(part, s))[:2],
         int(bool(head) and head in tokens(s)),
         int(kind in VALUE_KINDS and label_fits(question, s)), rank(question, f"{_about(c)} {s}", idf),
         int(kind == PERSON and designated(f"{_label_before(part, s)} {s}")),
         rank(question, s, idf), -c.n, s, c.n)
        for c in citations
        for part in c.quote.split(_QUOTE_GAP)
        for s in _candidates(kind, part, c.chunk.text)
        if (gives(kind, s) or gives_asked(question, kind, s) or unit_in_header(kind, s))
        and (about_meeting or (reporter and reporter_line(s))
             or not (is_meeting_formula(s) or roll_call(s) or is_meeting_formula(_label_before(part, s))))
    ]  # fmt: skip
    if not typed:
        return []
    # a value stated as changed ("ramenée à 120 €") tells the answer among the lines of the topic asked, not over a
    # line naming it better ("25 dictionnaires à 18,90 € l'unité" for the dictionaries, not the snow class's fee)
    best_topic = max(t[9] for t in typed)
    typed = [(*t[:7], 0, *t[8:]) if t[7] and t[9] < best_topic else t for t in typed]
    not_opposed, _, _, _, _, _, _, _, _, _, _, _, _, _, _, _, score, _, _, _, sentence, n = max(typed)
    if not score[2] or not_opposed < 2:
        return []  # a name or a figure, but about nothing the question asks
    if reporter and reporter_line(sentence):
        # "Monsieur El Kandoussi rapporte :" announces the report, not a name left to fill in: quoted without its colon
        said = reporter_part(sentence).rstrip(" :")
        return [AnswerSentence(text=f"Le document cité précise : « {said} » [{n}].", citations=[n])]
    cited = next(c for c in citations if c.n == n)
    tabled = _with_data_row(sentence, n, citations)
    if tabled is not None and _verified(tabled, citations):
        return [tabled]
    said = _with_announced(sentence, cited.quote, cited.chunk.text)
    label = next((_label_before(p, sentence) for p in cited.quote.split(_QUOTE_GAP) if sentence in p), "")
    if kind == PERSON and _role_label(label) and gives(PERSON, sentence):
        # "Rapporteur : M. Lionel QUÉRARD, ...": the label says what the person named is
        labelled = AnswerSentence(text=f"Le document cité précise : « {label} {said} » [{n}].", citations=[n])
        if labelled.text.find(sentence) >= 0 and _verified(labelled, citations):
            return [labelled]
    announced = AnswerSentence(text=f"Le document cité précise : « {said} » [{n}].", citations=[n])
    if announced.text.find(sentence) >= 0 and _verified(announced, citations):
        return [announced]
    return [AnswerSentence(text=f"Le document cité précise : « {sentence} » [{n}].", citations=[n])]


# A recital ("VU ...", "CONSIDÉRANT que ...") says why or under what a body decides, not what it decided (folded)
_RECITAL_RE = re.compile(
    r"^\W*(?:vu\s+(?:le|la|les|l'|l’)|consid[eé]rant\s+(?:que|qu'|qu’))(?!.*\b(?:decide|fixe|attribue|accorde|approuve)\b)"
)
# "qui s'est abstenu", "qui a voté contre", "qui s'y est opposé": the vote's line names them (on folded text)
_ABSTENTION_RE = re.compile(r"\babsten|\babstention")
_AGAINST_RE = re.compile(r"\bcontre\b|\boppose")


_CIVILITY_RE = re.compile(r"\b(?:M\.|MM\.|Mme|Mmes|Monsieur|Madame)\s+[A-ZÀ-Ý]")  # a question naming a person


def _names_another(question: str, sentence: str) -> bool:
    """Whether the sentence names a person the question does not: "qui remplace Mme BRISSAC" is answered by "Est
    désigné délégué titulaire ... : M. Rémi CASTAGNOL", not by "la démission de Mme Anne-Laure BRISSAC".

    >>> q = "Qui remplace Mme BRISSAC comme délégué au syndicat ?"
    >>> _names_another(q, "M. LE M AIRE . — À la suite de la démission de Mme Anne-Laure BRISSAC de ses fonctions")
    False
    >>> _names_another(q, "Est désigné délégué titulaire : M. Rémi CASTAGNOL")
    True
    """
    own = {fold(name) for name in question_names(question) if len(name) > 2}
    # (an office names no one: "M. le Maire", set in small capitals "M. LE M AIRE")
    text = OFFICE_RE.sub("", re.sub(r"\b([A-ZÀ-Ý]) (?=[A-ZÀ-Ý]{2,}\b)", r"\1", sentence))
    return any(not own & {fold(w) for w in re.findall(r"[\w'’-]+", m.group(0))} for m in PERSON_RE.finditer(text))


def _names_the_vote(question: str, sentence: str) -> bool:
    """Whether a sentence is the vote's line a "qui s'est abstenu / a voté contre" question asks: "Abstention : 1
    (M. Gérald MONTAGUT)", not the rapporteur's line above.

    >>> _names_the_vote("Qui s'est abstenu ?", "Votants : 20 – Pour : 19 – Abstention : 1 (M. Gérald MONTAGUT).")
    True
    >>> _names_the_vote("Qui s'est abstenu ?", "Rapporteur : M. Didier CAUSSANEL, vice-président")
    False
    """
    folded = fold(question)
    # ("qui a voté contre": the line naming them, "Contre 2 (Mme NOGARET, M. RIGAL)", not another's "Contre néant")
    named = not folded.lstrip().startswith("qui") or gives(PERSON, sentence)
    if _ABSTENTION_RE.search(folded):
        return bool(_ABSTENTION_RE.search(fold(sentence))) and named
    return bool(_AGAINST_RE.search(folded)) and bool(re.search(r"\bcontre\b", fold(sentence))) and named


def _around(part: str, sentence: str) -> tuple[str, str]:
    """The text of a quote part before and after one of its sentences (a row's cell "2.30 %" reads with "2 500 000 €
    auprès du CREDIT AGRICOLE aux conditions suivantes : Taux fixe :" before it)."""
    at = part.find(sentence)
    return (part[:at], part[at + len(sentence) :]) if at >= 0 else ("", "")


def _with_data_row(header: str, n: int, citations: list[Citation]) -> AnswerSentence | None:
    """A table's header quoted as the answer ("Lot Entreprise Moyenne des besoins sur 1 an Montants retenus sur
    bordereau de prix") with its first data row, quoted too (rag.answer cites it, in the header's passage or the next
    one): "... » [1] : « Génie Civil ... SOGETREL 34470 PEROLS 300 000,00 760 683,10 » [2]." None when the sentence
    is no header or its row is not quoted."""
    first = next(c for c in citations if c.n == n)
    lines = first.chunk.text.splitlines()
    found = header_data(lines, header)
    under: Citation | None = first
    rows_of = lines
    if found is True:
        doc, index = first.chunk.meta.get(schema.DOC_ID), first.chunk.meta.get(schema.CHUNK_INDEX)
        under = next(
            (
                c
                for c in citations
                if isinstance(index, int)
                and c.chunk.meta.get(schema.DOC_ID) == doc
                and c.chunk.meta.get(schema.CHUNK_INDEX) == index + 1
            ),
            None,
        )
        if under is None:
            return None
        rows_of = under.chunk.text.splitlines()
        found = data_row(rows_of)
    if not isinstance(found, tuple) or under is None:
        return None
    row = " ".join(" ".join(line.split()) for line in rows_of[found[0] : found[1] + 1])
    if _squash(row) not in _squash(under.quote):
        return None
    if under is first:
        return AnswerSentence(text=f"Le document cité précise : « {header} […] {row} » [{n}].", citations=[n])
    text = f"Le document cité précise : « {header} » [{n}] : « {row} » [{under.n}]."
    return AnswerSentence(text=text, citations=[n, under.n])


MIN_ROLL_NAMES = 3


MAX_ROLE_LABEL_CHARS = 40  # a label quoted before a name ("Rapporteur :"), not a sentence
# One person's role in a meeting, as a label before their name (a list of those elected is the decision's: rag.decision)
_ROLE_LABEL_RE = re.compile(r"^\W*(?:rapporteure?|president(?:e)? de seance|secretaire de seance)\s*:")


def _role_label(label: str) -> bool:
    """Whether a label cut before a sentence says what a person is ("Rapporteur :"), not the end of a row or of a
    sentence ("180€ annuelle - Le passage :").

    >>> _role_label("Rapporteur :"), _role_label("Représentants élus :"), _role_label("180€ annuelle - Le passage :")
    (True, False, False)
    """
    return bool(label) and len(label) <= MAX_ROLE_LABEL_CHARS and bool(_ROLE_LABEL_RE.match(fold(label)))


def _label_before(part: str, sentence: str) -> str:
    """The label ending with ":" that the splitter cut from the sentence in the quote part ("A été élue :" before
    "- Mylène CHARDES", "Absents :" before "Patrick VIGNAL"), or "".

    >>> _label_before("Absents : Patrick VIGNAL", "Patrick VIGNAL"), _label_before("Patrick VIGNAL", "Patrick VIGNAL")
    ('Absents :', '')
    """
    split = sentences(part)
    for before, current in zip(split, split[1:], strict=False):
        if current == sentence and before.rstrip().endswith(":"):
            return before
    return ""


def roll_call(sentence: str) -> bool:
    """Whether the sentence is only names separated by commas: the tail of a meeting's attendance list cut from
    its "Présents :" by the passage's start ("Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia
    KERANGUEVEN, Gérard LANNELONGUE."), not a person designated ("A été élue : - Mylène CHARDES").

    >>> roll_call("Valérie BARTHAS-ORSAL, Perla DANAN, Henri DE VERBIZIER, Sonia KERANGUEVEN, Gérard LANNELONGUE.")
    True
    >>> roll_call("A été élue : - Mylène CHARDES"), roll_call("Titulaires : Denis JUVIN, Jean-Pierre PLUS, Anne ROY")
    (False, False)

    The list may run into the title of the item that follows it on the page:

    >>> roll_call("Laure FARGIER, Arnaud JULIEN, Stéphane MELLA, Martine PETITOUT Réforme et cession du matériel")
    True
    >>> roll_call("SAINT JOUAN, Jean-Marc DI RUGGIERO, Jacques DOMERGUE, Michèle DRAY-FITOUSSI, Christian DUMONT, Abdi EL")
    True
    >>> roll_call("SOGETREL, EIFFAGE, SPIE, BOUYGUES")
    False
    """
    pieces = [p.strip(" .;") for p in sentence.split(",") if p.strip(" .;")]
    if len(pieces) < MIN_ROLL_NAMES or ":" in sentence:
        return False
    first, last = pieces[0], pieces[-1]
    return (
        all(is_name_line(p) for p in pieces[1:-1])
        and (is_name_line(first) or bool(_SURNAME_ONLY_RE.fullmatch(first)))  # the list cut before its first name
        and (is_name_line(last) or bool(_NAME_THEN_TEXT_RE.match(last)))
    )


# a surname in capitals whose first name the passage's start cut off ("SAINT JOUAN, Jean-Marc DI RUGGIERO, ...")
_SURNAME_ONLY_RE = re.compile(r"[A-ZÀ-Ý]{2,}(?:[ -][A-ZÀ-Ý]{2,}){0,2}")
# a first name and a surname in capitals, then anything ("Martine PETITOUT Réforme et cession du matériel")
_NAME_THEN_TEXT_RE = re.compile(r"[A-ZÀ-Ý][\w'’-]+ (?:[Dd][eu] )?[A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?\s")


def _about(citation: Citation) -> str:
    """What the cited passage is about: its record's title and its commune ("la commune de Flaux" in a
    question is where, not what: a Flaux sentence naming "FLAUX" is no closer than one that does not)."""
    meta = citation.chunk.meta
    return f"{meta.get(schema.OBJET) or ''} {meta.get(schema.COMMUNE) or ''}"


def _candidates(kind: str, part: str, text: str = "") -> list[str]:
    """The sentences of a quote part, and for "qui", the part itself when it is a seat and the names it
    announces ("Les 3 représentants de la Ville sont : - Philippe SAUREL -Agnés BOYER - Michel PASSET"):
    split into lines, the seat and its names would be quoted apart. An entry of a list laid out alike (its own
    lines, then its values: "Aurélia Gonzalez ... Montant accordé: 1 100 €", rag.rows.is_entry) is quoted whole:
    its value alone does not say whose it is."""
    split = sentences(part)
    if text and len(split) > 1 and len(part) <= MAX_LEAD_QUOTE_CHARS and is_entry(text, part):
        return [part.strip()]
    several = len(PERSON_RE.findall(part)) >= 2  # a list of names (one name is quoted on its own line)
    if kind == PERSON and several and len(split) > 1 and len(part) <= MAX_LEAD_QUOTE_CHARS and designated(part):
        return [*split, part.strip()]
    # A row's label cut from its value by the splitter ("Rédacteur :", "Création de 10 postes"): the two
    # together say of what the value is.
    labelled = [
        f"{label} {value}"
        for label, value in zip(split, split[1:], strict=False)
        if kind in VALUE_KINDS and label.endswith(":") and len(label) <= MAX_LABEL_CHARS and f"{label} {value}" in part
    ]
    # The formula that proclaims one person and the name on the line under it ("A été proclamée présidente du
    # syndicat et immédiatement installée :" / "Mme Chantal CAMBEFORT") say together who was elected to what.
    elected = [
        f"{formula} {name}"
        for formula, name in zip(split, split[1:], strict=False)
        if kind == PERSON and formula.endswith(":") and one_elected(formula) and PERSON_RE.match(name)
        and f"{formula} {name}" in part
    ]  # fmt: skip
    return split + labelled + elected


def _with_announced(sentence: str, quote: str, passage: str = "") -> str:
    """A sentence ending with ":" ("le montant ... s'élève à :", "voici le détail :", a seat's label "Titulaire :")
    with the lines it announces, as they follow it in the quote, or in the cited passage when the quote stops at
    the colon; the sentence alone otherwise."""
    if not sentence.rstrip().endswith(":"):
        return sentence
    for part in [*quote_parts_of(quote), passage]:
        split = sentences(part)
        index = _ending_at(sentence, split)
        if index is None:
            continue
        text = sentence
        for following in split[index + 1 : index + 1 + ANNOUNCED_ITEMS + 3]:
            if text != sentence and following.rstrip().endswith(":"):
                break  # the next label ("Suppléant :" after "Titulaire : - Sabria BOUALLAGA") announces its own
            candidate = f"{text} {following}"
            # what it announces is read even after a long sentence ("... s'élèverait donc à :" then the sum)
            limit = max(MAX_LEAD_QUOTE_CHARS, len(sentence) + MAX_ANNOUNCED_CHARS)
            if len(candidate) > limit or _squash(candidate) not in _squash(part):
                break
            text = candidate
            if following.rstrip().endswith("."):
                break
        if text != sentence:
            return text
    return sentence


def _ending_at(sentence: str, split: list[str]) -> int | None:
    """The index of the sentence of `split` that `sentence` is, or ends with when it joins consecutive ones (a
    row's label and value cut by the splitter: "Eau :" then "45 € par an Assainissement :"); None if neither."""
    for start in range(len(split)):
        joined = split[start]
        for end in range(start, len(split)):
            if end > start:
                joined = f"{joined} {split[end]}"
            if joined == sentence:
                return end
            if len(joined) >= len(sentence):
                break
    return None


def _article_lead(kind: str, citation: Citation) -> list[AnswerSentence]:
    """The sentence of the article that answers (one holding the kind of fact asked for when there is one)."""
    parts = [p for p in citation.quote.split(_QUOTE_GAP) if p.strip()]
    if not parts:
        return []
    split = [s for p in parts for s in sentences(p)] or parts
    index = next((i for i, s in enumerate(split) if gives(kind, s)), 0)
    part = split[index]
    if part.endswith(":"):  # "Il est voté au scrutin secret :" announces what follows: keep it
        part = " ".join([part, *announced_items(part, citation.chunk.text, split[index + 1 :])])
    text = f"Selon l'article {citation.chunk.article} : « {part} » [{citation.n}]."
    return [AnswerSentence(text=text, citations=[citation.n])]


_ITEM_RE = re.compile(r"^\s*(?:\d+°|[a-z]\)|[IVX]+\.|[-•–])\s")


def announced_items(sentence: str, text: str, quoted: list[str]) -> list[str]:
    """The items a sentence ending with ":" announces, read in the article's own text ("1° Soit lorsqu'un
    tiers des membres présents le réclame ;", "2° Soit ..."): the quote may have skipped them. Falls back to
    the quoted sentences that follow it.

    >>> announced_items("Il est voté au scrutin secret :", "Il est voté au scrutin secret :\\n\\n1° Soit A ;\\n\\n2° Soit B.\\n\\nDans ces cas, C.", [])
    ['1° Soit A ;', '2° Soit B.']
    """
    own = sentences(text)
    at = next((i for i, s in enumerate(own) if s.strip() == sentence.strip()), None)
    if at is None:
        return quoted[:ANNOUNCED_ITEMS]
    following = own[at + 1 : at + 1 + ANNOUNCED_ITEMS]
    items = []
    for item in following:
        if not _ITEM_RE.match(item):
            break
        items.append(item)
    return items or following[:1]


def decision_sentence(question: str, citation: Citation, idf: Callable[[str], float] | None = None) -> str | None:
    """ "Le 23 juillet 2020, le conseil municipal de X a accepté ... : 3.40€ ... (13 pour, 1 contre) [1]."
    built from the cited passage's decision, or None when it has none or a value is not in the passage."""
    chunk = citation.chunk
    record = record_from_meta(chunk.meta)
    decision = extract_decision(chunk.text, record)
    wanted = set(tokens(question))
    kind = answer_type(question)
    if not decision.provisions:
        # (what company, what opinion, what level: the item's title may name it, "... avec Fulldawa Productions")
        untyped = kind in (DECISION, VOTE, OTHER, ORGANISATION, OPINION, LEVEL)
        return _record_sentence(question, citation, decision, idf) if untyped else None
    provision = max(decision.provisions, key=lambda p: _relevance(p, kind, wanted))
    # (the body's own name, which its document's head writes, says nothing of what is decided: "le lycée" of a
    # question on the lycée's phone ban is in its gift's "Amicale des anciens élèves du lycée Lourtiac")
    named_body = set(tokens(f"{chunk.meta.get(schema.HEAD) or ''} {record.commune or ''}"))
    if not (wanted - named_body) & set(tokens(f"{provision.text} {record.objet or ''}")):
        return None  # a decision about something else than the question
    rows = _rows(provision, kind, question, idf)
    if provision.sentence.rstrip().endswith(":") and not rows:
        return None  # "il est demandé au Conseil Municipal :" without what follows says nothing
    vote = provision.vote
    # ("Vote : 13 pour – 3 contre (...)" under the decision is its vote, no other decision)
    if (
        vote is None
        and sum(1 for p in decision.provisions if p.verb and not _VOTE_ONLY_RE.match(fold(p.sentence))) <= 1
    ):
        vote = decision.vote  # the record's vote, when the record holds a single decision
    head = _head(record.date, record.commune, _assembly(chunk), council=_council_named(chunk))
    subject = _object(provision)
    passage = index_passage(chunk)
    # The full sentence first, then with less in it: a value that is not in the passage is never stated.
    for with_rows, with_vote in ((True, True), (True, False), (False, True), (False, False)):
        body = subject
        if with_rows and rows:
            body = f"{body} : {' ; '.join(rows)}" if body else " ; ".join(rows)
        if not body:
            continue
        # "a accepté les tarifs ...", "a élu : Fabrice PALAU ; ...", "a délibéré : <what the item says>"
        sep = " " if provision.verb and subject else " : "
        text = f"{head} {provision.verb or 'a délibéré'}{sep}{body}".rstrip(" .;:,")
        acts = [] if provision.verb or subject or not (with_rows and rows) else [told_as_done(row) for row in rows]
        if acts and all(acts):
            # "après en avoir délibéré :" / "– approuve ... ;" / "– rejette la proposition.": the rows are its acts
            text = f"{head} {' ; '.join(act for act in acts if act)}".rstrip(" .;:,")
        if with_vote and vote:
            text += f" ({_vote_text(vote)})"
        text += f" [{citation.n}]."
        facts = extract_facts(strip_citations(text), with_names=True)
        if not missing_facts(facts, [passage], strict=True)[1]:
            return text
    return None


def _record_sentence(
    question: str, citation: Citation, decision: Decision, idf: Callable[[str], float] | None = None
) -> str | None:
    """ "Le 7 février 2011, le conseil municipal de X a délibéré sur « Dénomination de la place ... »
    (adopté à la majorité : 58 pour, 1 contre) [1]." for an item that states its vote but no operative
    sentence (a compte rendu's list of items), or None."""
    chunk = citation.chunk
    record = record_from_meta(chunk.meta)
    objet = " ".join((record.objet or "").split()).strip(" .")
    shared = set(tokens(question)) & set(tokens(objet))
    about = rank(question, objet, idf)[1] > 0 if idf is not None else len(shared) >= 2
    written = str(chunk.meta.get(schema.VOTE) or "")
    unvoted = not decision.vote and bool(_NO_VOTE_RE.search(fold(written))) and written_vote(chunk) is not None
    if not objet or not (decision.vote or unvoted) or not about:
        return None  # an item about something else (sharing "conseil" or "ville" is not enough)
    if _squash(objet) not in _squash(chunk.text):  # a title cut in the metadata: never quote a cut word
        objet = objet.rsplit(" ", 1)[0] + " …"
    head = _head(record.date, record.commune, _assembly(chunk), council=_council_named(chunk))
    if unvoted:  # "Retiré – pas de vote", "Information – pas de vote": an item on which nothing was decided
        text = f"{head} n'a pris aucune décision sur « {objet} » (« {written} ») [{citation.n}]."
    else:
        text = f"{head}{RECORD_TITLE_MARK}{objet} » ({_vote_text(decision.vote or '')}) [{citation.n}]."
    facts = extract_facts(strip_citations(text), with_names=True)
    return None if missing_facts(facts, [index_passage(chunk)], strict=True)[1] else text


def _squash(text: str) -> str:
    return "".join(fold(text).split())


_VOTE_ONLY_RE = re.compile(r"^(?:r[ée]sultat du )?vote\s*:")


def _vote_text(vote: str) -> str:
    """ "1 abstention(s)" -> "1 abstention", "adopté (décompte non précisé)" -> "adopté, décompte non précisé"."""
    vote = re.sub(r"\b1 abstention\(s\)", "1 abstention", vote).replace("abstention(s)", "abstentions")
    return re.sub(r" \((décompte [^)]*)\)", r", \1", vote)  # (who voted so stays in brackets: "1 abstention (M. X)")


def _relevance(provision: Provision, kind: str, wanted: set[str]) -> tuple[int, int, int]:
    """A provision holding the kind of fact asked for, then sharing most words with the question."""
    lines = [provision.sentence, *provision.rows]
    return (
        int(any(gives(kind, line) for line in lines)),
        len(wanted & set(tokens(provision.text))),
        int(bool(provision.verb)),
    )


def _rows(provision: Provision, kind: str, question: str, idf: Callable[[str], float] | None = None) -> list[str]:
    """Up to MAX_ROWS rows, those holding the kind of fact asked for and closest to the question, in order."""
    rows = [r for r in provision.rows if gives(kind, r)] or provision.rows
    # "Qui sont les membres élus ?": every name of the list elected (each is checked on the passage).
    # ("Titulaires : Cédric de SAINT JOUAN" is a name under its seat)
    limit = MAX_NAMES if kind == PERSON and all(is_name_line(r.rpartition(" : ")[2]) for r in rows) else MAX_ROWS
    if len(rows) > limit:
        ranked = sorted(rows, key=lambda r: rank(question, r, idf), reverse=True)[:limit]
        rows = [r for r in rows if r in ranked]
    return [r.rstrip(" .;,") for r in rows]


def _council_named(chunk: schema.Chunk) -> bool:
    """Whether a record of a document whose commune was not read is a town council's: its document's head or its own
    text names the municipal council."""
    return "conseil municipal" in fold(f"{chunk.meta.get(schema.HEAD) or ''} {chunk.text}")


def _head(date: str | None, commune: str | None, assembly: str = "", *, council: bool = True) -> str:
    """ "Le 23 juillet 2020, le conseil municipal de Preuilly-sur-Claise"; "Le 18 novembre 2019, le Département de la
    Sarvienne" (a body's minutes name it, not a town council).

    >>> _head("2019-11-18", "Département de la Sarvienne")
    'Le 18 novembre 2019, le Département de la Sarvienne'
    >>> _head(None, "Communauté de communes du Val de Dorme")
    'La Communauté de communes du Val de Dorme'
    >>> _head("2024-01-25", "Office de tourisme Brévannes Lacs & Forêts")
    "Le 25 janvier 2024, l'Office de tourisme Brévannes Lacs & Forêts"

    A commune's commission whose minutes these are (`_assembly`) is the one that decided:

    >>> _head("2024-07-23", "Vermagnac", "commission d'appel d'offres")
    "Le 23 juillet 2024, la commission d'appel d'offres de Vermagnac"

    A body no commune's name heads decided as the assembly its minutes name (never "le conseil municipal"):

    >>> _head("2024-12-12", None, "conseil d'administration")
    "Le 12 décembre 2024, le conseil d'administration"

    Minutes that name neither a commune, nor an assembly, nor a municipal council (an association's bureau, sent by
    e-mail) say who decided in their own words; the answer says "l'assemblée", no town council:

    >>> _head("2025-03-07", None, council=False)
    "Le 7 mars 2025, l'assemblée"
    """
    body = body_article(commune) if commune else None
    if body:
        subject = f"{body}{commune}" if body.endswith("'") else f"{body} {commune}"  # "l'Office de tourisme ..."
    elif assembly:
        article = "la" if assembly.startswith(("commission", "assemblée")) else "le"
        subject = f"{article} {assembly} de {commune}" if commune else f"{article} {assembly}"
    elif commune or council:
        subject = f"le conseil municipal de {commune}" if commune else "le conseil municipal"
    else:
        subject = "l'assemblée"
    return f"Le {french_date(date)}, {subject}" if date else subject[0].upper() + subject[1:]


def _assembly(chunk: schema.Chunk) -> str:
    """The commission of a commune that decided, when its minutes are the commission's: the deciding body named at the
    document's head (`schema.BODY`, rag.bodies.ASSEMBLIES: "commission d'appel d'offres", written without accents),
    unless the head names the municipal council (whose agenda may list an election of that commission)."""
    if "conseil municipal" in fold(str(chunk.meta.get(schema.HEAD) or "")):
        return ""
    named = [a for a in str(chunk.meta.get(schema.BODY) or "").split(";") if a]
    if not chunk.meta.get(schema.COMMUNE) and named:
        # a body whose name was not read (an office's brand: "CANTELOUZE HABITAT"): its assembly decided
        return " ".join(_ACCENTED.get(word, word) for word in named[0].split())
    return next((a for a in named if a.startswith("commission ")), "")


# The words of rag.bodies.ASSEMBLIES as a sentence writes them
_ACCENTED = {
    "comite": "comité",
    "assemblee": "assemblée",
    "ecole": "école",
    "ecoles": "écoles",
    "d'ecole": "d'école",
    "departemental": "départemental",
    "regional": "régional",
    "metropolitain": "métropolitain",
    "proprietaires": "propriétaires",
    "generale": "générale",
    "ccas": "CCAS",
}


def _object(provision: Provision) -> str:
    """What the operative sentence says after its verb ("les tarifs proposés pour ..."), shortened."""
    sentence = _INFORMAL_VOTE_RE.sub("", after_verb(provision))
    sentence = re.sub(r"^\s*(?:vot(?:e|er)\s+)(?=pour\b)", "", sentence, flags=re.IGNORECASE)
    sentence = sentence.strip(" ,.;:")
    if len(sentence) > MAX_OBJECT_CHARS:
        sentence = sentence[:MAX_OBJECT_CHARS].rsplit(" ", 1)[0] + " …"
    return sentence
