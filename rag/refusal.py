"""The refusal rule: whether the retrieved passages can answer a question at all, and why not.

Every generator's answer goes through it (`rag.answer.ExtractiveAnswerer.found`). Signals: closeness in
meaning (best e5 cosine) plus how much of the question one place of the top passages covers, the names the
question uses that no indexed passage contains, the rare nouns of the question that no top passage uses;
checks: a text the scope names that the store does not hold (rag.scope), a question on the law itself with
no article that speaks of it, a question about a sum of money with no amount in the passages, a named year
that is not the passages'. Thresholds: rag.settings (refusal_threshold, sentence_threshold), rag.tuning.

>>> key_nouns("Combien coûte l'abonnement annuel à la médiathèque ?")
['abon', 'mediathequ']
"""

from __future__ import annotations

import itertools
import logging
import re
from collections.abc import Callable, Iterator

from rag import schema, tuning
from rag.bodies import kind_of
from rag.french import MONTH_NUMBERS, MONTH_PATTERN, NUMBER_WORDS, fold, number_from_words
from rag.question import (
    AMOUNT,
    DATE,
    DURATION,
    FREQUENCY,
    HOUR,
    HOUR_QUESTION_RE,
    HOUR_RE,
    NUMBER,
    OPINION,
    ORGANISATION,
    OTHER,
    PERSON,
    UNIT_STEMS,
    VOTE,
    answer_type,
    asked_in_range,
    asks_money,
    counted,
    counts,
    gives,
    gives_asked,
    head_noun,
    name_stems,
    other_numbered,
    other_range,
    other_reference,
    question_names,
    reference_numbers,
    reference_written,
)
from rag.retrieve import Retrieval, question_intent
from rag.rows import opens_name_list
from rag.schema import AnswerSentence, Chunk, Citation, ScoredChunk
from rag.scope import NOT_A_YEAR, Scope
from rag.text import sentences, stopwords, tokens
from rag.text import words as word_list
from rag.thesaurus import same_thing, synonyms_by_stem

logger = logging.getLogger(__name__)

REFUSAL_PASSAGES = 3  # the top passages the checks look at (the ones an answer quotes)


def relevance_signals(
    question: str,
    retrieval: Retrieval,
    idf: Callable[[str], float],
    preceding: Callable[[Chunk], Chunk | None] | None = None,
    *,
    dense: float | None = None,
    weigh: Callable[[str], float] | None = None,
) -> dict[str, float]:
    """What the refusal rule looks at: closeness in meaning (best e5 cosine), how much of the
    question one place of the top passages covers, the names the question uses that no indexed
    passage contains, and the question's rare nouns that none of the top passages uses. Coverage is the
    IDF-weighted share of the question's stems (or their everyday synonyms: "préfet" -> "représentant")
    found together in two consecutive sentences of one passage (plus its title and headings): an absent
    topic usually hinges on a rare word ("piscine", "déchetterie") that no passage uses in the same breath
    as the rest. The words that name an indexed scope (a commune, a month, a year: rag.scope) count as
    covered: the retrieval kept only the passages of that scope. A rare noun ("l'abonnement", "du
    gymnase") that the passages never use (nor a word of the same family: "transfert" / "transférée")
    means they are about something next to the question."""
    groups = synonym_groups(question)
    scope = retrieval.scope
    met = set(scope.stems) if scope is not None and scope.restricts and not scope.missing_label() else set()
    # the body the question names as the head of a passage's document writes it ("le lycée de Montcabrel" for a head
    # "Lycée polyvalent ... — Montcabrel"): its records need not write it again (no noun missing). The coverage, which
    # weighs how closely the passages answer, does not count it: "le prix du mètre cube d'eau fixé par la commune de
    # Fontbrémoux" is not answered with the cemetery's prices, "la location de la salle polyvalente de Hautchamps" not
    # with another village's hall
    headed = _head_named(
        question,
        set().union(*(vocabulary(str(h.chunk.meta.get(schema.HEAD) or "")) for h in retrieval.hits[:REFUSAL_PASSAGES])),
    )
    own = set(tokens(question))  # (a word kept whole, "aides", is a key of its own: weighed once, as "aid")
    weights = {stem: (weigh or idf)(stem) for stem in groups if stem in own}
    total = sum(weights.values())
    asked = asked_nouns(question)  # "avec quel promoteur": the kind of answer, named by the answer, not by the text
    acts = infinitives(question)  # "a-t-il décidé d'adhérer": what was done, not a noun the text must write
    named = [
        stem
        for stem in key_nouns(question)
        if stem not in met and not _used(groups.get(stem, {stem}), headed) and stem not in asked and stem not in acts
    ]
    nouns = [stem for stem in named if idf(stem) >= tuning.KEY_NOUN_IDF]
    topic = [stem for stem in named if idf(stem) >= tuning.TOPIC_NOUN_IDF]
    coverage = 0.0
    together = 0  # the most rare nouns of the question that one window holds
    passages = set(met)
    windows: list[set[str]] = []
    if total:
        for hit in retrieval.hits[:REFUSAL_PASSAGES]:
            meta = hit.chunk.meta
            head = vocabulary(f"{meta.get(schema.TITLE, '')} {meta.get(schema.HEADING_PATH, '')}")
            parts = sentences(hit.chunk.text)
            stems = [vocabulary(s) for s in parts] or [set()]
            # a compte rendu's item heading ("4/ Présentation d'un projet de maison ..."), or the opening of the item
            # the passage goes on with, at the end of the passage before (after its last vote)
            item: set[str] = _item_opening(hit.chunk, preceding)
            for i, current in enumerate(stems):
                if i < len(parts) and _ITEM_HEADING_RE.match(parts[i]):
                    item = current
                elif i < len(parts) and _VOTE_LINE_RE.search(parts[i]):
                    item = set()  # the item ends with its vote
                window = current | (stems[i + 1] if i + 1 < len(stems) else set()) | head | met | item
                windows.append(window)
                covered = sum(w for stem, w in weights.items() if groups[stem] & window)
                coverage = max(coverage, covered / total)
                together = max(together, sum(_used(groups.get(stem, {stem}), window) for stem in topic))
            passages |= head | set().union(*stems)
            if topic and meta.get(schema.RECORD_INDEX) is not None:
                # a record is one decision: its retrieved passages are about one thing ("551 OFFICE CENTRAL DE LA
                # COOPERATION ..." in its table, "la réussite éducative" in its opening)
                record = head.union(*(vocabulary(h.chunk.text) for h in retrieval.hits if _same_record(h, hit)))
                together = max(together, sum(_used(groups.get(stem, {stem}), record) for stem in topic))
    excused = set(scope.unknown_communes) if scope is not None else set()
    texts = "\n".join(hit.chunk.text for hit in retrieval.hits)
    # (an acronym the passages write out: "l'APA", "allocation personnalisée d'autonomie")
    acronyms = spelt_acronyms(question, texts)
    missing = [
        stem
        for stem in nouns
        if not _used(groups.get(stem, {stem}), passages)
        and not _body_named(question, stem, windows, groups)
        and stem not in acronyms
    ]
    # A name the corpus knows but none of these passages uses ("le taux de TVA sur les repas de la cantine"
    # answered with the canteen prices, now that the whole law, which speaks of TVA, is indexed)
    # Only short acronyms (a tax, a body: "TVA", "LPO"), in any passage retrieved: a long name ("RAIPONCE") is
    # often a table row in another passage of the record, which the answer reads (rag.rows.record_siblings).
    scope_stems = set(scope.stems) | set(tokens(" ".join(excused))) if scope is not None else set()
    names = [stem for stem in name_stems(question, acronyms=True) if stem not in scope_stems]
    if names:
        retrieved = set(met).union(
            *(vocabulary(f"{hit.chunk.text} {hit.chunk.meta.get(schema.TITLE, '')}") for hit in retrieval.hits)
        )
        missing += [stem for stem in names if not _used({stem}, retrieved) and stem not in acronyms]
    scattered = [stem for stem in topic if _used(groups.get(stem, {stem}), passages)]
    logger.debug("nouns missing %s, names %s, topic nouns met %s (%d together)", missing, names, scattered, together)
    closeness = retrieval.best_dense if dense is None else dense
    return {
        "best_dense": closeness,
        "coverage": coverage,
        "score": closeness + COVERAGE_WEIGHT * coverage,
        "unknown_names": float(len(_unknown_names(question, idf, excused, retrieval.hits))),
        "missing_nouns": float(len(missing)),
        # used by the passages, but never in one place: "la location de la salle des fêtes" answered with the
        # salle des fêtes where the council met and the location of sports grounds
        "scattered_nouns": float(sum(_used(groups.get(stem, {stem}), passages) for stem in topic) - together),
    }


BODY_PHRASE_WORDS = 5  # the words before a body's name that may word its kind: "le centre de gestion de la Dorlanne"


def _head_named(question: str, heads: set[str]) -> set[str]:
    """The stems of the question's names that the head of a passage's document writes, and of the words just before
    such a name that the head writes too: the body's kind ("le centre de gestion de la Dorlanne" for a head "Centre de
    gestion de la fonction publique territoriale de la Dorlanne" over cards that never write "centre").

    >>> head = vocabulary("cdg Centre de gestion de la fonction publique territoriale de la Dorlanne")
    >>> sorted(_head_named("Quel taux le centre de gestion de la Dorlanne fixe-t-il ?", head))
    ['centr', 'dorlann', 'gestion']
    >>> sorted(_head_named("Quel taux le centre de formation fixe-t-il ?", head))  # (no name: nothing met)
    []
    """
    named = {stem for stem in name_stems(question) if stem in heads}
    found = set(named)
    spoken = word_list(question)
    for i, word in enumerate(spoken):
        if named & set(tokens(word)):
            found |= {stem for w in spoken[max(0, i - BODY_PHRASE_WORDS) : i] for stem in tokens(w) if stem in heads}
    return found


# The kinds of body a name begins with, which a question words one way and a record another ("le bureau régional
# d'information des jeunes" is the record's "centre régional d'information jeunesse")
_BODY_HEADS = set(
    tokens(
        "bureau bureaux centre centres service services office agence maison comité conseil commission association "
        "établissement organisme structure cellule pôle mission observatoire"
    )
)
_PHRASE_END_RE = re.compile(r"[?,:;.!()«»]")  # what ends a noun phrase's complements
MIN_BODY_COMPLEMENTS = 2


def _body_named(question: str, stem: str, windows: list[set[str]], groups: dict[str, set[str]]) -> bool:
    """Whether a missing noun is the kind of body a name begins with ("bureau", "centre", "service") and one place of
    the passages writes every word that follows it in the question's noun phrase (at least MIN_BODY_COMPLEMENTS):
    "le bureau régional d'information des jeunes" and "centre régional d'information jeunesse" name one body.

    >>> words = [vocabulary("Désignation au centre régional d'information jeunesse du Languedoc-Roussillon (CRIJ). "
    ...                     "Le CRIJ a pour objet de mettre à disposition des jeunes les informations")]
    >>> question = "Qui représente la ville au bureau régional d'information des jeunes ?"
    >>> _body_named(question, "bureau", words, synonym_groups(question))
    True
    >>> _body_named("Qui représente la ville au bureau régional des sports ?", "bureau", words, {})
    False
    """
    if stem not in _BODY_HEADS:
        return False
    text = fold(question.replace("\u2019", "'")).lower()
    for match in re.finditer(r"[a-z-]+", text):
        if stem not in tokens(match.group(0)):
            continue
        rest = _PHRASE_END_RE.split(text[match.end() :], maxsplit=1)[0]
        complements = tokens(rest)  # (the small words, "de", "des", are no stems)
        if len(complements) >= MIN_BODY_COMPLEMENTS and any(
            all(_used(groups.get(c, {c}), window) for c in complements) for window in windows
        ):
            return True
    return False


def synonym_groups(question: str) -> dict[str, set[str]]:
    """`rag.thesaurus.synonyms_by_stem`, a plural's synonyms included: the thesaurus keys singular words ("prêt":
    "emprunts"), a question writes "des prêts" as often.

    >>> "emprunt" in synonym_groups("Quelle part des prêts la Ville garantit-elle ?")["pret"]
    True
    >>> "subvent" in synonym_groups("À qui la ville a-t-elle accordé des aides ?")["aides"]
    True
    """
    groups = synonyms_by_stem(question)
    for word in word_list(question):
        folded = fold(word)
        if same_thing(folded) or folded[-1:] not in ("s", "x") or not same_thing(folded[:-1]):
            continue
        for stem in tokens(word):
            groups.setdefault(stem, {stem}).update(tokens(same_thing(folded[:-1])))
    for word in word_list(question):
        # a short-stemmed word kept whole ("aides": `_noun_stems`) has the synonyms of its stem ("aid": "subvention")
        whole = _noun_stems(word)
        if whole != tokens(word):
            for stem in whole:
                groups.setdefault(stem, {stem}).update(*(groups.get(t, {t}) for t in tokens(word)))
    return groups


_NOUN_RE = re.compile(
    r"(?:\b(?:le|la|les|un|une|des|du|de|au|aux|quel|quelle|quels|quelles|nos|notre|ce|cette|ces"
    r"|sa|son|ses|leur|leurs|votre|vos)\s+|\b[ld]'\s*)"
    r"([^\W\d_][\w-]{3,})",
    re.IGNORECASE,
)
# Adjectives and quantifiers that come between a determiner and the noun ("la future maison"), and the nouns
# of prepositional phrases ("au titre de", "dans le cadre de", "au niveau de") and of the kind of answer asked
# ("combien de voix", "le montant", "la date"), which name no topic: a vote line "Pour : 58" never says "voix".
_NOT_NOUNS = set(
    tokens(
        "petit petite grand grande même nouveau nouvelle autre autres premier première dernier dernière seul seule "
        "futur future ancien ancienne prochain prochaine jeune vieux vieille bon bonne beau belle "
        "titre cadre matière hauteur sujet cas lieu niveau terme moyen suite vue raison "
        "voix vote votes suffrages montant somme prix coût nombre date nom temps durée euro euros centimes environ quelque"
        " vais vas allons allez vont dessus dessous dela selon plus moins"
    )
)


def _used(stems: set[str], passages: set[str]) -> bool:
    """Whether the passages use one of these stems or a word of its family (same first NOUN_FAMILY letters)."""
    if stems & passages:
        return True
    prefixes = {stem[:NOUN_FAMILY] for stem in stems if len(stem) >= NOUN_FAMILY}
    return any(word[:NOUN_FAMILY] in prefixes for word in passages) or _misspelt(stems, passages)


def _item_opening(chunk: Chunk, preceding: Callable[[Chunk], Chunk | None] | None) -> set[str]:
    """The words of the item a compte rendu's passage goes on with: the end of the passage before, after its last vote
    ("Vote : à l'unanimité" then "Renouvellement membres de la commission de contrôle des listes électorales ...").
    Empty for a record's passage (its title says what it is about) or when the passage before ends with a vote."""
    if preceding is None or chunk.kind == schema.KIND_ARTICLE or chunk.meta.get(schema.RECORD_INDEX) is not None:
        return set()
    before = preceding(chunk)
    if before is None or before.meta.get(schema.DOC_ID) != chunk.meta.get(schema.DOC_ID):
        return set()
    parts = sentences(before.text)
    last = max((i for i, part in enumerate(parts) if _VOTE_LINE_RE.search(part)), default=-1)
    return set().union(*(vocabulary(part) for part in parts[last + 1 :]))


_VOTE_LINE_RE = re.compile(r"\bvote\s*:|\badopt[ée]e?s?\s+(?:à|a)\s+l['’]unanimit|\bpour\s*:\s*\d", re.IGNORECASE)


def _misspelt(stems: set[str], words: set[str]) -> bool:
    """Whether the words hold one of these stems (of at least MISSPELT_LETTERS letters) with one letter added, lost or
    changed: a scan or a typing slip ("le beffroi" written "le befroi").

    >>> _misspelt({"beffroi"}, {"befroi", "templ"}), _misspelt({"tennis"}, {"tenue"})
    (True, False)
    """
    long = [stem for stem in stems if len(stem) >= MISSPELT_LETTERS]
    return any(
        _one_edit(stem, word)
        for stem in long
        for word in words
        if abs(len(word) - len(stem)) <= 1 and word[:1] == stem[:1]
    )


MISSPELT_LETTERS = 6


def _one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with at most one letter added, removed or replaced."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) <= 1
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), len(a))
    return a[i:] == b[i + 1 :]


NOUN_FAMILY = 5


def key_nouns(question: str) -> list[str]:
    """The stems of the words a determiner or "de" introduces ("l'abonnement", "du gymnase", "de location"):
    the things the question is about, as opposed to its verbs ("qui mange", "dort"); not the capitalised
    names ("de Lyon"), which `unknown_names` and rag.scope judge.

    >>> key_nouns("Combien a-t-elle obtenu au final ?"), key_nouns("Quelle association a eu la plus grosse mise à disposition ?")
    ([], ['associ', 'mis'])
    >>> key_nouns("Combien coûtera la digue et qui la paie ?")
    ['digu']
    """
    text = _LOCUTION_RE.sub(" ", question.replace("\u2019", "'"))
    text = _ADVERB_LOCUTION_RE.sub(" ", _SUPERLATIVE_RE.sub(r"\1 ", text))
    text = _PRONOUN_VERB_RE.sub(" ", text)  # "qui la paie": a pronoun and its verb, no "paie"
    found = [match.group(1) for match in _NOUN_RE.finditer(text)]
    stems = (stem for word in found if not word[:1].isupper() for stem in _noun_stems(word))  # names: unknown_names
    return list(dict.fromkeys(stem for stem in stems if stem not in _NOT_NOUNS))


# Prepositional phrases whose noun names no topic ("qui est à la tête de la commission", "au sein du conseil", "en
# faveur des jeunes", "lors de la séance"): the noun is part of the preposition.
_LOCUTION_RE = re.compile(
    r"\b(?:(?:à|a|au|aux|en|de)\s+(?:la\s+|l'\s*)?(?:tête|tete|sein|faveur|profit|issue|occasion|place|égard|egard"
    r"|vue|hauteur|initiative|demande|part|cours|moyen|aide|instar|encontre|charge)"
    r"|(?:au|en|à|a)\s+(?:titre|nom|terme|lieu|cas|raison|matière|matiere|dépit|depit)|lors"
    r"|(?:prendre|prend|prendra|prendront|prennent|pris|prise)\s+la\s+(?:tête|tete))\s+(?:de|du|des|d')",
    re.IGNORECASE,
)


# Adverbs made of a preposition and a noun ("au final", "au total", "en tout", "au moins"): no topic
_ADVERB_LOCUTION_RE = re.compile(
    r"\b(?:au|en)\s+(?:final|total|tout|moins|plus|mieux|fond|juste|préalable|prealable|besoin|fait|gros)\b"
    r"|\b(?:de|à|a)\s+(?:côté|cote)\b"  # "mis de côté", "à côté"
    r"|\b(?:à|a)\s+l['’]\s*(?:unité|unite)\b"  # "un ticket à l'unité": one ticket, no topic
    # idioms of quantity or of everyone, no topic: "tout le monde", "le bout de terrain"
    r"|\btout\s+le\s+monde\b|\b(?:un|le|ce|du)\s+bout\s+(?=de\b|d['’])|\bd['’]\s*accord\b"
    # a time the question is asked in, no topic: "cette année", "cette saison", "cet été", "l'an prochain"
    r"|\b(?:cette|cet)\s+(?:année|annee|saison|été|ete|hiver|automne|printemps|semaine|fois)\b"
    r"|\bl['’]\s*(?:année|annee|an)\s+(?:prochaine?|dernière?|derniere?)\b",
    re.IGNORECASE,
)
# An object pronoun between "qui" (or "ne", "on") and its verb ("qui la paie", "qui les finance"): no determiner
_PRONOUN_VERB_RE = re.compile(
    r"\b(?:qui|on|ne|n')\s+(?:le|la|les|l')\s*[^\W\d_]+"
    # "pour combien de temps le garde-t-il": a pronoun and its verb, the subject after it
    r"|\b(?:le|la|les|l')\s*[^\W\d_]+(?=-(?:t-)?(?:il|elle|ils|elles|on)\b)",
    re.IGNORECASE,
)
# A superlative's adjective after its determiner ("la plus grosse mise à disposition"): the noun follows it
_SUPERLATIVE_RE = re.compile(r"\b(le|la|les)\s+(?:plus|moins)\s+[^\W\d_]+\s+", re.IGNORECASE)


def _noun_stems(word: str) -> list[str]:
    """The word's stems; a long word cut to a short stem ("tennis" -> "ten", the stem of "tenir") is kept whole
    (`vocabulary` holds the passages' whole words too); a prefix joined by a hyphen is left out: "les
    ex-archives" are the archives the passages name.

    >>> _noun_stems("ex-archives"), _noun_stems("tennis")
    (['archiv'], ['tennis'])

    A compound is its words, each read as a word: "le bar-restaurant" is what "un bar restaurant" names.

    >>> _noun_stems("bar-restaurant"), _noun_stems("outre-mer")
    (['bar', 'restaur'], ['outre-mer'])
    """
    word = _HYPHEN_PREFIX_RE.sub("", word)
    parts = word.split("-")
    if len(parts) > 1 and all(len(part) >= 3 and fold(part).lower() not in _COMPOUND_PARTICLES for part in parts):
        return list(dict.fromkeys(stem for part in parts for stem in _noun_stems(part)))
    stems = tokens(word)
    if any(len(stem) < SHORT_STEM for stem in stems) and len(word) > SHORT_STEM:
        return [fold(word).lower()]
    return stems


SHORT_STEM = 4
# Words that make a compound of their own with the word they join, not two things: "outre-mer" is no "mer"
_COMPOUND_PARTICLES = {"outre", "sous", "sur", "contre", "entre", "arriere", "avant", "apres", "haut", "bas", "mi"}
_HYPHEN_PREFIX_RE = re.compile(r"^(?:ex|anti|pr[ée]|post|non|n[ée]o|semi|demi|quasi)-(?=[^\W\d_]{3})", re.IGNORECASE)


def vocabulary(text: str) -> set[str]:
    """The stems of a passage's words, its long words whole (see `_noun_stems`), a name glued to a number
    without it ("OCCE34", "CDG30": the OCCE, the CDG of the question) and an acronym written with dots ("S.E.R.M").

    >>> sorted(vocabulary("Vente à la S.E.R.M de terrains"))
    ['serm', 'terrain', 'terrains', 'vent', 'vente']
    >>> "saeml" in vocabulary("Société Anonyme d'Economie Mixte Locale MONTPELLIER EVENTS")
    True
    >>> "m3" in vocabulary("gravats 18 € le m³")
    True
    """
    text = _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(1)], text)  # "Ste Odile" is "Sainte Odile"
    text = text.translate(_SUPERSCRIPTS)  # "18 € le m³": the question's "mètre cube" (rag.thesaurus: "m3")
    joined = _LINE_HYPHEN_RE.sub(r"\1\2", text)  # "aménage-\nment": a word cut at a line's end
    if joined != text:
        return vocabulary(joined) | vocabulary(_LINE_HYPHEN_RE.sub(r"\1-\2", text))
    folded = fold(text).lower()
    return (
        set(tokens(text))
        | set(re.findall(rf"[a-z]{{{SHORT_STEM + 1},}}", folded))
        | {m.group(1) for m in _GLUED_NUMBER_RE.finditer(folded)}
        | {m.group(0).replace(".", "") for m in _DOTTED_RE.finditer(folded)}
        | spelled_acronyms(text)
    )


_LINE_HYPHEN_RE = re.compile(r"([^\W\d_])-[ \t]*\n[ \t]*([a-zà-ÿ])")
_SUPERSCRIPTS = str.maketrans({"²": "2", "³": "3"})
_DOTTED_RE = re.compile(r"\b(?:[a-z]\.){2,}[a-z]?\b")  # "S.E.R.M", "Z.A.C.": the SERM, the ZAC
# A run of capitalised words ("Société Anonyme d'Economie Mixte Locale"), the small words of a name between them
_TITLE_RUN_RE = re.compile(
    r"[A-ZÀ-Ý][a-zà-ÿ]+(?:[ \t]+(?:(?:d|l)['’]|(?:de|du|des|la|le|les|et|à|au|aux|en)[ \t]+)?[A-ZÀ-Ý][a-zà-ÿ]+)+"
)
_SMALL_WORDS = frozenset({"de", "du", "des", "la", "le", "les", "et", "a", "au", "aux", "en"})
_PREPOSITIONS = frozenset({"pour", "sur", "par", "dans", "avec", "sous", "entre"})


def spelled_acronyms(text: str) -> set[str]:
    """The acronyms a passage spells out in capitalised words: "Société Anonyme d'Economie Mixte Locale" is the
    question's "SAEML", "Centre Communal d'Action Sociale" its "CCAS" (three to seven initials in a row, the small
    words of the name skipped).

    >>> sorted(a for a in spelled_acronyms("le Centre Communal d'Action Sociale") if len(a) == 4)
    ['ccas']

    A name whose first word alone is capitalised is spelt out too, from that word: "la commission de suivi de site"
    is no "CSS", "la Commission de suivi de site" is.

    >>> "css" in spelled_acronyms("la Commission de suivi de site Usine de méthanisation"), "css" in spelled_acronyms(
    ...     "la commission de suivi de site")
    (True, False)

    Two initials only from two long words: "l'Assemblée générale" is the "AG", "Le conseil" no "LC".

    >>> sorted(a for a in spelled_acronyms("à l'Assemblée générale et au Conseil d'administration") if len(a) == 2)
    ['ag', 'ca']
    >>> "ime" in spelled_acronyms("Institut médico-éducatif Font Trouvée")
    True
    """
    found: set[str] = set()
    for run in _TITLE_RUN_RE.finditer(text):
        words = [w for w in re.split(r"[ \t'’]+", run.group(0)) if w and fold(w).lower() not in _SMALL_WORDS]
        words = [w for w in words if w not in ("d", "l")]
        initials = "".join(fold(w[0]).lower() for w in words)
        for start in range(len(initials)):
            for end in range(start + 3, min(len(initials), start + 7) + 1):
                found.add(initials[start:end])
    for run in _NAME_THEN_WORDS_RE.finditer(text):
        # ("l'Institut médico-éducatif" is the "IME": each part of a compound word gives its initial)
        words = [w for w in re.split(r"[ \t'’-]+", run.group(0)) if w and fold(w).lower() not in _SMALL_WORDS]
        words = [w for w in words if w not in ("d", "l")]
        # (with its prepositions or without: the "Centre d'éducation spécialisée pour déficients auditifs" is the CESDA)
        for kept in (words, [w for w in words if fold(w).lower() not in _PREPOSITIONS]):
            initials = "".join(fold(w[0]).lower() for w in kept)
            found.update(initials[:end] for end in range(3, min(len(initials), 7) + 1))
    # "l'AG", "le CA": "Assemblée générale", "Conseil d'administration"
    found.update(fold(m.group(1)[0] + m.group(2)[0]).lower() for m in _TWO_LONG_WORDS_RE.finditer(text))
    return found


# A capitalised word and the word after it, both long (a two-letter acronym is spelt out by nothing shorter)
_TWO_LONG_WORDS_RE = re.compile(
    r"\b([A-ZÀ-Ý][a-zà-ÿ]{4,})[ \t]+(?:(?:d|l)['’]|(?:de|du|des|la|le|les)[ \t]+)?([^\W\d_]{5,})"
)


# A capitalised word and the words after it up to a punctuation mark ("Commission de suivi de site Usine ...")
_NAME_THEN_WORDS_RE = re.compile(r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:(?:[ \t'’]+|-)[^\W\d_]+){1,8}")


COVERAGE_WEIGHT = 0.2
WHOLE_COVERAGE = 0.85  # above it, one place of the passages holds the question's words: the sentence rule is waived
_WORD_RE = re.compile(r"[^\W\d_][\w\u2019'-]*")
_SENTENCE_START_RE = re.compile(r"(?:^|[.?!:;«(\"]\s*)$")
_UNSEEN = "\x00"  # a stem no passage contains: idf(_UNSEEN) is the idf of a word absent from the corpus


def unknown_names(question: str, idf: Callable[[str], float], *, excused: set[str] | None = None) -> list[str]:
    """The names in the question (a capitalised word inside a sentence, or an acronym: "Toulouse", "TVA")
    that no indexed passage contains: the question is about something the documents do not know."""
    unseen = idf(_UNSEEN)
    names = []
    for word in question_names(question):
        if word in (excused or set()):
            continue
        stems = tokens(word)
        if stems and all(idf(stem) >= unseen for stem in stems):
            names.append(word)
    return names


def _unknown_names(question: str, idf: Callable[[str], float], excused: set[str], hits: list[ScoredChunk]) -> list[str]:
    """`unknown_names`, less the names a retrieved passage writes glued to a number ("OCCE34" for "l'OCCE 34"):
    the lexical index knows the glued word only."""
    names = unknown_names(question, idf, excused=excused)
    if not names:
        return names
    written = set().union(*(vocabulary(hit.chunk.text) for hit in hits))
    texts = "\n".join(hit.chunk.text for hit in hits)
    return [
        name
        for name in names
        if not all(stem in written for stem in tokens(name))
        and not _cut(name, written)
        and not (name.isupper() and spelt_out(name, texts))  # "l'APA": "allocation personnalisée d'autonomie"
    ]


def _cut(name: str, written: set[str]) -> bool:
    """Whether a name the corpus never writes is a word of the passages cut short, as one writes "l'Agglo" for
    "l'Agglomération" (a name of CUT_LETTERS letters or more, starting a longer word of the passages).

    >>> _cut("Agglo", vocabulary("la Communauté d'Agglomération")), _cut("Toulouse", vocabulary("Toulon"))
    (True, False)
    """
    folded = fold(name).lower()
    return (
        len(folded) >= CUT_LETTERS
        and folded.isalpha()
        and any(len(word) > len(folded) and word.startswith(folded) for word in written)
    )


CUT_LETTERS = 5


def is_found(
    question: str,
    retrieval: Retrieval,
    threshold: float,
    idf: Callable[[str], float],
    *,
    best_sentence: float | None = None,
    sentence_threshold: float = 0.0,
) -> bool:
    """The refusal rule: an exact article reference, or passages close enough to the question and a
    sentence in them close enough in meaning (when the caller measured it), and no name in the question
    that the indexed documents never use. A question about a commune or period with no indexed document
    is answered from the law only when it asks what the law says; one about a deliberation, an article, a
    code or a body the store does not hold is refused (see `refusal_reason`)."""
    return (
        refusal_reason(
            question, retrieval, threshold, idf, best_sentence=best_sentence, sentence_threshold=sentence_threshold
        )
        is None
    )


def refusal_reason(
    question: str,
    retrieval: Retrieval,
    threshold: float,
    idf: Callable[[str], float],
    *,
    best_sentence: float | None = None,
    sentence_threshold: float = 0.0,
    following: Callable[[Chunk], Chunk | None] | None = None,
    preceding: Callable[[Chunk], Chunk | None] | None = None,
) -> str | None:
    """Why the question is refused ("far", "names", "scope", "law", "fact", "number", "year" ...), None when answered.

    Besides closeness, three checks that the passages can hold the answer at all: a question asking what
    the law or a code says is not answered from council minutes alone ("law"); a question asking how
    much something costs is not answered by passages that hold no amount at all ("fact"); a year the
    question names must be the passage's year or be written in it ("year"). `following` gives the passage
    after a passage in its document (the answer quotes a list or table that goes on there); `preceding` the passage
    before it (a table's rows may be cut from the header that gives their year: "pour l'année 2022,")."""
    return next(
        refusal_checks(
            question,
            retrieval,
            threshold,
            idf,
            best_sentence=best_sentence,
            sentence_threshold=sentence_threshold,
            following=following,
            preceding=preceding,
        ),
        None,
    )


def refusal_checks(
    question: str,
    retrieval: Retrieval,
    threshold: float,
    idf: Callable[[str], float],
    *,
    best_sentence: float | None = None,
    sentence_threshold: float = 0.0,
    following: Callable[[Chunk], Chunk | None] | None = None,
    preceding: Callable[[Chunk], Chunk | None] | None = None,
) -> Iterator[str]:
    """The checks of `refusal_reason`, each reason yielded as it fails, in order; the first one is the refusal's.
    Read whole (`list(...)`), they tell every check a question fails: what `mairie eval`'s diagnostics weigh."""
    if not retrieval.hits:
        yield "empty"
        return
    weigh, idf = idf, within_spaces(idf)  # (the coverage's weights stay the store's: the threshold was set with them)
    scope = retrieval.scope
    if scope is not None and scope.missing_refs:
        yield "scope"  # "la délibération n° 2020-061": no other text can say what it says
    if retrieval.exact_articles:
        return
    described = described_counts(question)
    question = respelt(question, idf)
    # A scope over a large store may leave the dense channel no passage of it ("la séance du 25 juillet 2011": its
    # candidates were all of other séances): its closeness is then unmeasured, not nil; the best sentence's of the
    # passages retrieved stands for it
    dense = best_sentence if not retrieval.best_dense and best_sentence is not None else None
    signals = relevance_signals(question, retrieval, idf, preceding, dense=dense, weigh=weigh)
    retrieval.derived["relevance"] = signals  # (read by the evaluation's diagnostics)
    # A row of a list ("Cycloclub Couthenans : 230€") is too short to come close in meaning to a whole question:
    # when one place of a top passage holds (nearly) all of the question's words, its closeness is not asked.
    named = _full_name_written(question, retrieval.hits[:REFUSAL_PASSAGES])
    if (
        best_sentence is not None
        and best_sentence < sentence_threshold
        and signals["coverage"] < WHOLE_COVERAGE
        and not named
    ):
        yield "sentence"
    if scope is not None and scope.missing_label() and question_intent(question, local=False) == "local":
        yield "scope"  # what Lyon decided: the law (all that is left in scope) cannot say
    if signals["unknown_names"]:
        yield "names"
    if signals["score"] < threshold and not named and not _titled(question, retrieval.hits[0], idf, retrieval.scope):
        yield "far"
    if (signals["missing_nouns"] or signals["scattered_nouns"]) and signals[
        "score"
    ] < threshold + tuning.KEY_NOUN_MARGIN:
        yield "topic"  # "l'abonnement à la médiathèque" answered with the lost library book
    top = retrieval.hits[:REFUSAL_PASSAGES]
    if (
        LAW_SOURCE_RE.search(fold(question))
        and not (scope is not None and scope.communes)
        and not _reference_in_record(question, top, scope, idf)
    ):
        articles = [hit for hit in top if hit.chunk.kind == schema.KIND_ARTICLE]
        used = set().union(
            *(vocabulary(f"{hit.chunk.text} {hit.chunk.meta.get(schema.TITLE, '')}") for hit in articles)
        )
        nouns = [stem for stem in key_nouns(question) if idf(stem) >= tuning.KEY_NOUN_IDF]
        nouns += name_stems(question, acronyms=True)  # "la M57", "la DGF": the article must name it too
        if not articles or not all(_used({stem}, used) for stem in nouns):
            yield "law"  # "quelle loi impose la M57 ?": no article among the passages speaks of it
    if not _names_together(question, top, set(scope_stems(scope)), idf, retrieval.hits, following):
        yield "names"  # "la Caisse d'Epargne ... la SERM": no passage names both (the SERM's loan is from the CDC)
    local = scope is not None and bool(scope.communes) and question_intent(question, local=False) != "rule"
    if local and all(hit.chunk.kind == schema.KIND_ARTICLE for hit in top):
        yield "commune"  # "le prix de l'eau à Preuilly": the law on water prices says nothing of Preuilly's
    met = set(scope.stems) if scope is not None else set()
    # A name of the question that the head of a passage's document writes names the body it is of ("Cantelouze" for
    # "CANTELOUZE HABITAT Office public de l'habitat ..."), as the scope's commune does: no line of the passage need write it
    heads = set().union(*(vocabulary(str(hit.chunk.meta.get(schema.HEAD) or "")) for hit in top))
    met |= _head_named(question, heads)
    # (for one commune's question only: elsewhere the amounts often sit in a table the record's other passages hold)
    # A money word in a question that asks for a vote, a name, a date or a count ("Par combien de voix la
    # subvention a-t-elle été votée ?") does not ask for an amount.
    asks_amount = answer_type(question) not in (VOTE, OPINION, PERSON, DATE, DURATION, NUMBER, HOUR, FREQUENCY)
    if (
        asks_amount
        and MONEY_RE.search(fold(question))
        and not any(
            gives(AMOUNT, hit.chunk.text) for hit in (on_topic(question, top, idf, met, local=True) if local else top)
        )
    ):
        yield "fact"  # how much something costs, answered by passages without an amount beside its topic
    if (
        asks_amount
        and MONEY_RE.search(fold(question))
        and not _amount_beside_topic(question, top, retrieval.hits, idf, met, following, preceding)
    ):
        yield "fact"  # "le coût du diagnostic amiante": the item on the diagnosis holds no amount, others do
    if HOUR_QUESTION_RE.search(fold(question)) and not any(_hour_given(question, hit.chunk.text) for hit in top):
        yield "fact"  # "à quelle heure la séance a-t-elle été levée": no passage writes an hour (of its end)
    if RATE_RE.search(fold(question)) and not any(
        PERCENT_RE.search(chunk.text)
        for chunk in _with_following([hit.chunk for hit in on_topic(question, top, idf, met, local=local)], following)
    ):  # (the passage after: "... un emprunt de 5 000 000 €" then "aux conditions suivantes : taux fixe 2,30 %")
        yield "fact"  # "le taux de la taxe foncière à Couthenans": the passage on the tax holds no rate
    years = {str(y) for y in scope.years} if scope is not None and not scope.missing_label() else set()
    # A table's rows inherit the year of the header above them, even at the end of the passage before on their page.
    # (read only when a passage alone does not give the year: one more passage read from the store)
    headers: dict[str, set[str]] = {}

    def header_of(hit: ScoredChunk) -> set[str]:
        if hit.chunk.id not in headers:
            headers[hit.chunk.id] = _header_years(hit, preceding)
        return headers[hit.chunk.id]

    # a record is one decision: its other retrieved passages are read with it ("Lot n°3 , 4, 6, 8 et 9 à la société
    # RENAULT RETAIL" two passages below the record's opening), as the answer quotes them
    siblings = [
        hit
        for hit in retrieval.hits[REFUSAL_PASSAGES:]
        if hit.chunk.meta.get(schema.RECORD_INDEX) is not None and any(_same_record(hit, t) for t in top)
    ]
    if not _numbers_met(question, top + siblings, idf, met, header_of, described=described):
        yield "number"  # "le lot 3", "la saison 2013/2014": the passages hold numbers, never this one by its topic
    dated = on_topic(question, top, idf, met, local=True) or top  # (the law has no séance year)
    if years and not any(
        _year_met(question, hit, years, idf, met) or _year_met(question, hit, years, idf, met, header_of(hit))
        for hit in dated
    ):
        yield "year"  # "la redevance Orange en 2021" answered with the table "Redevance 2020"
    if scope is not None and scope.event_month and not any(_month_written(scope.event_month, hit) for hit in top):
        yield "year"  # "la session de novembre": a month no séance has must be written by the passage


def _titled(question: str, hit: ScoredChunk, idf: Callable[[str], float], scope: Scope | None) -> bool:
    """Whether the first passage is a council record whose title names every rare noun and name of the question: the
    record is about what is asked, however the question words the rest ("Combien va coûter l'archiviste pour
    remettre les archives en ordre ?" and the record "Archivage : Vote pour faire venir l'archiviste ...", whose
    "250€ / jour & mission de 5 jours" shares no other word with it)."""
    if hit.chunk.kind == schema.KIND_ARTICLE or hit.chunk.meta.get(schema.RECORD_INDEX) is None:
        return False
    groups = synonym_groups(question)
    met = scope_stems(scope)
    nouns = [stem for stem in key_nouns(question) if stem not in met and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    nouns += [stem for stem in name_stems(question) if stem not in met and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    title = vocabulary(str(hit.chunk.meta.get(schema.TITLE, "")))
    if not nouns or not all(_used(groups.get(stem, {stem}), title) for stem in nouns):
        return False
    # (and it holds a value of the kind asked: "combien de temps un permis de construire reste-t-il valable" is not
    # answered by the record authorising the mayor to sign the schools' building permits)
    kind = answer_type(question)
    return kind not in STATED_KINDS or gives(kind, hit.chunk.text)


def within_spaces(idf: Callable[[str], float]) -> Callable[[str], float]:
    """The IDF the checks read: a stem's lowest over the store and within each of its large spaces
    (`rag.lexical.LexicalIndex.space_idf`) when `idf` is a lexical index's, so that a word common in the council's
    minutes is not made rare by the law beside them ("supplémentaires", "meubles", "secrétaire" over the whole
    corpus); `idf` itself otherwise. Each stem is looked up once."""
    lowest = getattr(getattr(idf, "__self__", None), "space_idf", None)
    if not callable(lowest):
        return idf
    seen: dict[str, float] = {}

    def lookup(stem: str) -> float:
        if stem not in seen:
            seen[stem] = lowest(stem)
        return seen[stem]

    return lookup


def respelt(question: str, idf: Callable[[str], float]) -> str:
    """The question with its words written as the documents write them, for the checks that compare words: a word
    typed without its accents whose stem no passage has, when an accented spelling of it has one ("Universite" ->
    "Université", "Uzes" -> "Uzès", "journee" -> "journée": the stemmer cuts them otherwise); "numéro 2", "no 2" ->
    "n° 2".

    >>> known = {"univers", "uzes"}
    >>> respelt("Qui represente la Ville au PRES Universite de Uzes, avenant numéro 2 ?", lambda s: 1.0 if s in known else 9.0)
    'Qui represente la Ville au PRES Université de Uzès, avenant n° 2 ?'
    >>> respelt("Combien la Ville paie t elle ? Quel etait le minimum ?", lambda s: 1.0 if s in {"vill", "pai"} else 9.0)
    'Combien la Ville paie-t-elle ? Quel était le minimum ?'
    >>> respelt("Les quatre blocs ont ete cédés à l’OCCE, vingt et un", lambda s: 1.0)
    "Les 4 blocs ont été cédés à l'OCCE, vingt et un"
    """
    question = _NUMERO_RE.sub("n° ", question)
    question = _ABBREVIATION_RE.sub(lambda m: _ABBREVIATIONS[m.group(1)], question)  # "St-Roch" -> "Saint-Roch"
    question = _INVERSION_TYPED_RE.sub(r"\1-t-\2", question)  # "paie t elle", "a t il" -> "paie-t-elle", "a-t-il"
    question = question.replace("\u2019", "'")  # "l’ANACEJ": the checks read the typewriter's apostrophe
    question = _NUMBER_WORD_RE.sub(
        lambda m: str(NUMBER_WORDS[m.group(1).lower()]), question
    )  # "quatre blocs" -> "4 blocs"
    unseen = idf(_UNSEEN)

    def respell(match: re.Match[str]) -> str:
        word = match.group(0)
        stems = tokens(word)
        if not stems or all(idf(stem) < unseen for stem in stems):
            return word
        for variant in _accented(word):
            if not tokens(variant):
                return variant  # "etait" -> "était", a word that names nothing ("Quel etait le minimum")
            if all(idf(stem) < unseen for stem in tokens(variant)):
                return variant
        return word

    return _PLAIN_WORD_RE.sub(respell, question)


# A verb and its subject inverted, typed without hyphens: "paie t elle", "a t il", "parle-t il", "verse t-elle"
_INVERSION_TYPED_RE = re.compile(r"\b([^\W\d_]+)[ -]t[ -](il|elle|ils|elles|on)\b")
# A number written in words, alone ("les quatre blocs", "cinq millions"), read as its digits, as the documents mostly
# write it; not "un", "une" (mostly the article), "neuf" (new), "cent", "mille", nor a compound ("vingt et un", "quatre-vingt")
_NUMBER_WORD_RE = re.compile(
    r"(?<![\w-])(deux|trois|quatre|cinq|six|sept|huit|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|quarante"
    r"|cinquante|soixante)(?![\w-])(?!\s+(?:et|cents?|mille|vingts?|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)\b)",
    re.IGNORECASE,
)
# Abbreviations of names' words: "St Roch", "Ste Odile", "Bd Renouvier", "Av. de Lodève"
_ABBREVIATIONS = {"St": "Saint", "Ste": "Sainte", "Bd": "Boulevard", "Av": "Avenue"}
_ABBREVIATION_RE = re.compile(r"\b(St|Ste|Bd|Av)\b\.?(?=[\s-])")
_NUMERO_RE = re.compile(r"\b(?:num[ée]ro|no\.?|num\.)\s*(?=\d)", re.IGNORECASE)
_PLAIN_WORD_RE = re.compile(r"(?<![\w-])[A-Za-z]{3,}(?![\w-])")  # a word without any accent ("d'Uzes", "ete" too)
# Where French writes accents that a hurried typist leaves out, and the stemmer reads: "-ité", "-ée", "-ère", "-ès", "é-"
_ACCENT_ENDINGS = (("ites", "ités"), ("ite", "ité"), ("ees", "ées"), ("ee", "ée"), ("eres", "ères"), ("ere", "ère"),
                   ("es", "és"), ("es", "ès"), ("e", "é"))  # fmt: skip


def _accented(word: str) -> list[str]:
    """Spellings of a word typed without accents, its ending and first letter accented ("electricite" ->
    "électricité", "Uzes" -> "Uzès"), in order of likelihood."""
    starts = [word]
    if word[:1] in "eE" and len(word) > 1 and word[1].lower() not in "aeiouy":
        starts.append(("É" if word[0] == "E" else "é") + word[1:])
    out = []
    for start in starts:
        out += [start[: -len(end)] + acc for end, acc in _ACCENT_ENDINGS if start.endswith(end)]
        if start != word:
            out.append(start)
    return list(dict.fromkeys(out))


def cited_reason(
    question: str,
    retrieval: Retrieval,
    answer_sentences: list[AnswerSentence],
    citations: list[Citation],
    idf: Callable[[str], float],
    following: Callable[[Chunk], Chunk | None] | None = None,
    preceding: Callable[[Chunk], Chunk | None] | None = None,
) -> str | None:
    """Why an answer, once composed, must be refused after all: its evidence is about something else. None when
    it may be given.

    The evidence is what the answer's first cited sentence (its lead, or its first quote) cites: the cited
    deliberation as a whole (its retrieved passages and the passage after each: a table goes on there), or a
    passage that belongs to no record (a compte rendu, a note) and the passage after it; for names, every passage
    the answer cites from a compte rendu (a name is often written only in an item's heading), and, for a passage
    of no record, the passage before it (`preceding`: the item's heading). Checks:
    - every rare name of the question that its scope does not name is in the evidence (reason "names"): "le
      suppléant au conseil d'administration du CROUS" is not answered with the CREPS's, "les travaux de l'école
      Jean Jaurès" not with the école Sévigné's, however close they are in meaning; a person the question names
      with a civility ("M. Martin") however common the name, and names of middling rarity (CITED_NAME_IDF);
    - every number the question gives a thing with "n°" is the evidence's, and the first cited sentence gives that
      thing no other number (reason "reference"): "la décision modificative n°2" is not answered with the n°1;
    - a year the question names is the séance's of a passage the first sentence cites, or is written in it, in that
      sentence or in the header ending the passage before (reason "year"): "la subvention à La Vista en 2012" is
      not answered with the 2013 one;
    - every topic noun of the question (a noun a determiner introduces, IDF >= TOPIC_NOUN_IDF, not a word of the
      kind of answer asked: "délai", "heure") is in the evidence (reason "topic"): "la subvention au club de
      tennis" is not answered with the cycle club's row, "le prix de l'assainissement au mètre cube" not with
      the price of water. Not for the law (its articles paraphrase the question's words: "le juge" is "le
      tribunal administratif"); and a noun is excused when the evidence holds what identifies the thing asked
      about anyway: a rare name of the question ("le club de foot (USYP)": the record says "l'USYP") or every
      number of the question ("une voiture de 5 chevaux": the table's "5 CV" row of the "véhicule")."""
    return next(cited_checks(question, retrieval, answer_sentences, citations, idf, following, preceding), None)


def cited_checks(
    question: str,
    retrieval: Retrieval,
    answer_sentences: list[AnswerSentence],
    citations: list[Citation],
    idf: Callable[[str], float],
    following: Callable[[Chunk], Chunk | None] | None = None,
    preceding: Callable[[Chunk], Chunk | None] | None = None,
) -> Iterator[str]:
    """The checks of `cited_reason`, each reason yielded as it fails, in order; the first one is the refusal's."""
    idf = within_spaces(idf)
    question = respelt(question, idf)
    first = next((s for s in answer_sentences if s.citations), None)
    if not _asked_given(question, answer_sentences, citations):
        yield "fact"  # "de combien ... augmenté": the quotes say it was raised, never by how much
    if first is not None and _label_left_empty(question, first, answer_sentences, citations):
        yield "fact"  # "Université Montpellier II Titulaire :": the row names no one
    if first is not None and answer_type(question) == PERSON and _quotes_roll_call(first.text):
        yield "fact"  # "PEREZ, Khanthaly PHOUTTHASANG, Patrick RIVAS, ...": who attended, not who was designated
    if first is not None and _other_designator(question, first.text):
        yield "reference"  # "le bâtiment L" answered with "son bâtiment J", "le lot menuiseries" with the lot n° 1
    if first is not None and other_numbered(question, first.text):
        yield "reference"  # "le premier adjoint" answered with the third's resignation, "Montpellier I" with III
    if (
        first is not None
        and other_range(question, first.text)
        and any(asked_in_range(question, c.chunk.text) for c in citations)
    ):
        yield "reference"  # "un quotient familial de 700 €" answered with the row "QF de 801 € à 1 200 €" above its own
    if first is not None and (
        _other_category(question, first.text)
        or _other_category(question, " ".join(c.chunk.text for c in citations), whole=True)
    ):
        yield "reference"  # "par élève d'école élémentaire" answered with "1 602.91 € par élève de maternelle"
    by_n = {c.n: c.chunk for c in citations}
    cited = [by_n[n] for n in (first.citations if first is not None else []) if n in by_n]
    if not cited:
        return
    first_cited = list(cited)
    # a compte rendu's item: its heading ("Contrat d'assurance contre les risques statutaires") may end the passage
    # before the one the answer quotes, on the page before
    heading: set[str] = set()
    heading_text = ""
    for chunk in cited:
        if preceding is None:
            continue
        # (facts7) a passage opening with an election's result ("Ont été élus membres du jury :" and the names)
        # continues the item before it, whatever record it was filed under: that item's heading counts too
        if chunk.meta.get(schema.RECORD_INDEX) is not None and not opens_name_list(chunk):
            continue
        before = preceding(chunk)
        if before is not None:
            heading |= vocabulary(before.text)
            heading_text += " " + before.text
    own = _evidence_words(cited, retrieval, following) | heading
    used = own
    if any(c.meta.get(schema.RECORD_INDEX) is None for c in cited):
        # a compte rendu's passages: a name is often written only in the item's heading, in another passage; of
        # another document (another meeting's minutes) only when the first cited sentence names something the question
        # names ("Leader a octroyé ..." for "le FEADER LEADER"): a designation naming nothing asked is another item's
        documents = {c.meta.get(schema.DOC_ID) for c in first_cited}
        asked = set(name_stems(question)) - scope_stems(retrieval.scope)
        if first is None or not _akin(asked, vocabulary(first.text)):
            cited = [c.chunk for c in citations if c.chunk.meta.get(schema.DOC_ID) in documents]
        else:
            cited = [c.chunk for c in citations]
        used = _evidence_words(cited, retrieval, following) | heading
    excused = scope_stems(retrieval.scope)
    names = [stem for stem in name_stems(question) if stem not in excused and idf(stem) >= CITED_NAME_IDF]
    parts = [stem for stem in name_qualifiers(question, idf) if stem not in excused]
    people = [stem for stem in person_names(question) if stem not in excused]  # "M. Martin": however common
    unmet = [stem for stem in names + people if not _akin({stem}, used)]
    # A name's qualifier is written as it is, or misspelt: no word of its family ("le Secours catholique" is not met
    # by a councillor named CATHALA in the attendance list)
    unmet += [stem for stem in parts if stem not in used and not _misspelt({stem}, used)]
    evidence_text = " ".join(
        f"{c.meta.get(schema.TITLE, '')}\n{c.text}" for c in _evidence_chunks(cited, retrieval, following)
    )
    spelt = spelt_acronyms(
        question, f"{evidence_text}\n{heading_text}"
    )  # ("le CH de X": its "Centre hospitalier de X")
    if unmet:
        # "le plan de sauvegarde et de mise en valeur (PSMV)": the question spells its acronym out, the evidence may
        # write only the words; "le Cinemed": a name blending the first letters of the evidence's "Cinéma
        # Méditerranéen"
        defined = defined_acronyms(question)
        unmet = [
            stem
            for stem in unmet
            if not (stem in defined and all(_akin({w}, used) for w in defined[stem]))
            and not blended_name(stem, f"{evidence_text}\n{heading_text}")
            and not spelt_out(stem, f"{evidence_text}\n{heading_text}")
            and stem not in spelt
        ]
    if unmet:
        logger.debug("cited names missing: %s", unmet)
        yield "names"
    if _named_elsewhere(question, used, retrieval, excused | spelt, idf):
        yield "names"
    if _other_body_unwritten(retrieval.scope, citations, used):
        yield "names"  # "la contribution de Val-Sorbier au SDIS": the SDIS's total, no word of Val-Sorbier
    # "la décision modificative n°2", "le lot n°1": the evidence must write this number, and its quote no other one
    references = reference_numbers(question)
    if references:
        texts = [f"{c.meta.get(schema.TITLE, '')}\n{c.text}" for c in _evidence_chunks(cited, retrieval, following)]
        texts.append(heading_text)
        if not all(any(reference_written(noun, ref, t) for t in texts) for noun, ref in references):
            yield "reference"
        if first is not None and any(other_reference(noun, ref, first.text) for noun, ref in references):
            yield "reference"
    if any(c.kind == schema.KIND_ARTICLE for c in first_cited):
        return  # (the law paraphrases the question's words; an article cited after a compte rendu's item does not)
    if first is not None and _PRESIDENT_ASKED_RE.search(fold(question)) and not _PRESIDENT_RE.search(fold(first.text)):
        yield "topic"  # "qui préside le conseil d'administration": a member designated is not its president
    counted_of = _COUNTED_OF_RE.search(fold(question).replace("\u2019", "'"))
    if (
        first is not None
        and counted_of is not None
        and fold(counted_of["what"]) not in _TIE_WORDS
        and not _akin(set(_noun_stems(counted_of["what"])), vocabulary(first.text))
    ):
        yield "topic"  # "combien de postes d'adjoint administratif": not the "Création de deux postes" of rédacteur
    role = _ROLE_ASKED_RE.search(question) or (
        _ROLE_NAME_ASKED_RE.search(question) if answer_type(question) == PERSON else None
    )
    if first is not None and role is not None:
        # (the role or the word qualifying it: "le représentant titulaire" is answered by "Titulaire : ...")
        words = [role["role"]] + ([role["qual"]] if role["qual"] and _qualifies(role["qual"]) else [])
        # (a representative is any member designated: "Titulaire : ... ; Suppléant : ...", "a été élue :")
        # (not a seat asked: "le représentant titulaire" is not answered by "Suppléant : ...")
        seat = bool(role["qual"]) and bool(_SEAT_RE.search(fold(role["qual"])))
        designated = (
            not seat
            and _REPRESENTATIVE_RE.search(fold(role["role"]))
            and _DESIGNATION_RE.search(fold(" ".join([first.text] + [c.text for c in first_cited])))
        )
        if not designated and not any(_akin(set(_noun_stems(w)), vocabulary(first.text)) for w in words):
            yield "topic"  # "qui est le directeur général des services": not the mayor's representatives elected
    scope = retrieval.scope
    years = {str(y) for y in scope.years} if scope is not None and not scope.missing_label() else set()
    # (a table's rows inherit the year of the header that ends the passage before: "pour l'année 2022,")
    # An opening that lists dated decisions ("Décisions trouvées ... : - Le 4 février 2013 ... - Le 16 décembre 2011
    # ... « Exercice 2012 - Budget Primitif 2012 »") gives the year asked when one of them does.
    listed = [s for s in answer_sentences if s.citations and s.text.startswith(LISTED_MARK)]
    dated = first_cited
    if first is not None and first.text.startswith(LISTED_MARK):
        dated = first_cited + [by_n[n] for s in listed for n in s.citations if n in by_n]
    if (
        years
        and not any(
            (str(c.meta.get(schema.DATE) or "")[:4] in years and not _titled_other_year(c, years))
            or years & _years_in(f"{c.text} {c.meta.get(schema.TITLE, '')}")
            for c in dated
        )
        and not years & _years_in(f"{first.text if first else ''} {heading_text}")
        and not any(
            years & _header_years(ScoredChunk(c, 0.0), preceding)
            for c in first_cited
            if not _titled_other_year(c, years)
        )
    ):
        yield "year"
    groups = synonym_groups(question)
    done = infinitives(question)
    # the role a "qui" question asks about is what the person must be, however common the word ("délégué")
    roles = {stem for m in _ROLE_RE.finditer(question) for stem in _noun_stems(m.group(1))}
    # a name the evidence holds identifies the thing it names: "le club de foot (USYP)", "au cinéma Nestor Burma"
    # need not write "club" or "cinéma"; the question's other words still count ("pour un adulte")
    done |= _named_by(question, [stem for stem in names if idf(stem) >= tuning.TOPIC_NOUN_IDF])
    done |= asked_nouns(question)  # "avec quel promoteur": the evidence names the promoter, not the word
    if answer_type(question) == VOTE:
        done.add(counted(question) or "")  # "combien d'élus ont voté contre": a vote line counts them, "Contre : 6"
    # "a-t-elle le droit de vendre": a modal ("le droit de", "la possibilité de") says nothing of the topic
    done |= {stem for m in _MODAL_NOUN_RE.finditer(fold(question)) for stem in _noun_stems(m["noun"])}
    # "des produits montpelliérains": a word made from the name of a commune of the passages is that commune's
    places = {
        fold(str(hit.chunk.meta.get(schema.COMMUNE) or "")).lower().replace(" ", "-") for hit in retrieval.hits
    } - {""}
    # the question's nouns and qualifiers, less the names, the kind of answer and the acts excused above
    candidates = [
        stem
        for stem in dict.fromkeys(key_nouns(question) + qualifiers(question))
        if stem not in excused
        and stem not in done
        and stem not in _ASKED_WORDS
        and stem not in _NOT_NOUNS
        and not any(len(place) >= 5 and stem.startswith(place) for place in places)
    ]
    nouns = [
        stem
        for stem in candidates
        if idf(stem) >= tuning.TOPIC_NOUN_IDF or stem in roles and idf(stem) >= CITED_NAME_IDF
    ]
    # a commoner noun counts when another retrieved passage writes it and the evidence does not: "la commission
    # d'appel d'offres" answered with the commission de contrôle's members, the CAO's deliberation retrieved too
    quoted = [c.chunk for c in citations if c.chunk.kind != schema.KIND_ARTICLE]
    evidence = {c.id for c in _evidence_chunks(first_cited + quoted, retrieval, following)}
    quoted_words = _evidence_words(quoted, retrieval, following)
    elsewhere = set().union(
        *(
            vocabulary(
                f"{h.chunk.text} {h.chunk.meta.get(schema.TITLE, '')} {h.chunk.meta.get(schema.HEADING_PATH, '')}"
            )
            for h in retrieval.hits
            if h.chunk.id not in evidence
        )
    )
    nouns += [
        stem
        for stem in candidates
        if stem not in nouns
        and stem not in _GENERIC_WORDS
        and idf(stem) >= NEIGHBOUR_NOUN_IDF
        and stem in elsewhere
        and not _akin(groups.get(stem, {stem}), quoted_words)
    ]
    heads = _heads(question)  # "le club de foot": the club the evidence names is the one asked about
    determined = set(key_nouns(question))  # a head with its determiner ("le club"), not "du mètre cube d'..."
    missing = [stem for stem in nouns if not _akin(groups.get(stem, {stem}), own)]
    missing = [
        stem
        for stem in missing
        if not any(
            _akin({head}, own)  # the word itself: "club" is not "association" here
            for head in heads.get(stem, [])
            if head in determined and head not in _ASKED_WORDS and idf(head) >= tuning.TOPIC_NOUN_IDF
        )
    ]
    # "sa section rugby": the row "ASPTT Montpellier (rugby)" names the section by its qualifier alone
    qualified = {
        stem
        for m in _AFTER_NOUN_RE.finditer(question.replace("\u2019", "'"))
        if not _PARTICIPLE_RE.search(m["word"].lower())
        and fold(m["word"].lower()) not in _TIE_WORDS
        and _noun_stems(m["word"])  # (not "la vaisselle avec ...": a preposition qualifies nothing)
        and all(_akin({q}, own) for q in _noun_stems(m["word"]))
        for stem in _noun_stems(m["noun"])
    }
    missing = [stem for stem in missing if stem not in qualified]
    if not missing:
        return
    logger.debug("cited topic nouns missing: %s", missing)
    numbers = question_numbers(question)
    if numbers and set(numbers) <= _numbers(_NOT_TOPIC_NUMBER_RE.sub(" ", fold(" ".join(c.text for c in cited)))):
        return
    yield "topic"


def _other_body_unwritten(scope: Scope | None, citations: list[Citation], used: set[str]) -> bool:
    """Whether the question names several communes or bodies, the answer cites the documents of only some of them,
    and the evidence never writes the others' names: "la contribution de Val-Sorbier au SDIS" is Val-Sorbier's row
    of the SDIS's table, not the SDIS's total.

    >>> scope = Scope(communes=("sdis-de-la-serionne", "val-sorbier"))
    >>> chunk = Chunk("x", "Le montant global ...", {schema.COMMUNE_KEY: "sdis-de-la-serionne"})
    >>> citation = Citation(n=1, chunk=chunk, quote="")
    >>> _other_body_unwritten(scope, [citation], {"montant", "global"}), _other_body_unwritten(scope, [citation], {"val", "sorbi"})
    (True, False)
    >>> either = Scope(communes=("syndicat-de-la-sarnonne", "syndicat-mixte-de-la-vireze"))
    >>> cited = Chunk("x", "...", {schema.COMMUNE_KEY: "syndicat-de-la-sarnonne"})
    >>> _other_body_unwritten(either, [Citation(n=1, chunk=cited, quote="")], {"montant"})
    False
    """
    if scope is None or len(scope.communes) < 2:
        return False
    cited = {str(c.chunk.meta.get(schema.COMMUNE_KEY) or "") for c in citations}
    # (bodies of one kind are the alternatives a question naming the kind alone leaves open, "le syndicat": not two
    # bodies named)
    kinds = {kind_of(key) for key in cited} - {None}
    return any(
        key not in cited
        and kind_of(key) not in kinds
        and not all(_akin({stem}, used) for stem in tokens(key.replace("-", " ")))
        for key in scope.communes
    )


_REPRESENTATIVE_RE = re.compile(r"^(?:representant|delegue|membre)e?s?$")  # (a "suppléant" is one seat)
_SEAT_RE = re.compile(r"^(?:titulaire|suppleante?)s?$")
_DESIGNATION_RE = re.compile(r"\b(?:titulaires?|suppleante?s?|elue?s?|designee?s?)\b")
_MODAL_NOUN_RE = re.compile(
    r"\b(?:le|un|la|une|l')\s*(?P<noun>droit|possibilite|faculte|permission|obligation|autorisation)\s+d(?:e\b|')"
)
LISTED_MARK = "- "  # an item of the opening's list of decisions (rag.lead: "Décisions trouvées ... :")
# A question on who chairs ("qui préside", "à la tête de", "quel est le président"), answered only by a sentence that
# writes the chair ("présidée par M ...", "Président : ..."), not by a list of members
_PRESIDENT_ASKED_RE = re.compile(
    r"\bqui\s+(?:la\s+|le\s+|les\s+)?presid(?:e|era|ait|aient|ent)\b|\bqui\s+(?:est|sera|etait)\s+a\s+la\s+tete\b"
    r"|\bquel(?:le)?s?\s+(?:(?:est|sont|etait)\s+)?(?:(?:le|la|les)\s+)?(?:nouveau\s+|nouvelle\s+)?president"
)
_PRESIDENT_RE = re.compile(r"\bpresid")
# "combien de postes d'adjoint administratif": what the counted things are of, which the answer's first sentence writes
# (a post, job or place is of a grade or kind: "postes d'adjoint", not "crédits de paiement", "agents de police")
_COUNTED_OF_RE = re.compile(
    r"\bcombien\s+(?:de|d')\s*(?:postes?|emplois?|places?|logements?)\s+(?:de|d')\s*(?P<what>[a-z][a-z-]{3,})"
)
# "Qui est le directeur ...", "qui est la secrétaire ...": the role a person holds, which the answer's first sentence
# writes ("Directeur général des services : M ...")
_ROLE_ASKED_RE = re.compile(
    r"\b[Qq]ui\s+(?:est|était|sera)\s+(?:le|la|l['’])\s*(?:(?:autre|nouvel(?:le)?|nouveau|actuel(?:le)?|ancien(?:ne)?)\s+)?"
    r"(?P<role>[^\W\d_][\w-]{3,})(?:\s+(?P<qual>[^\W\d_][\w-]{3,}))?"
)
# "Quel est le nom du coordonnateur ...": the same, for a question asking who (`_ROLE_ASKED_RE`)
_ROLE_NAME_ASKED_RE = re.compile(
    r"\b[Qq]uel\s+(?:est|était|sera)\s+le\s+nom\s+(?:du\s+|de\s+la\s+|de\s+l['’]\s*)(?P<role>[^\W\d_][\w-]{3,})"
    r"(?:\s+(?P<qual>[^\W\d_][\w-]{3,}))?"
)
# A floor price ("au prix plancher de 112.500 € HT", "mise à prix"): not what a sale was made at, unless a floor is asked
_FLOOR_PRICE_RE = re.compile(
    r"\b(?:prix\s+plancher|plancher|mise\s+[àa]\s+prix|prix\s+minimum|prix\s+de\s+r[ée]serve)\s*(?:de|d['’]|:|;|,|\s)*"
    r"\d[\d \u00a0\u202f.,]*\s?(?:€|euros?\b)(?:\s*(?:HT|TTC|H\.T\.))?",
    re.IGNORECASE,
)
_FLOOR_ASKED_RE = re.compile(r"\b(?:plancher|minim|a partir de quel|au moins|mise a prix|reserve)")

# A company asked for by what it is ("quelle société", "quelle entreprise a remporté le lot"): named by its legal
# form, "la société X" or words in capitals
_COMPANY_ASKED_RE = re.compile(
    r"\bquel(?:le)?s? (?:societes?|entreprises?|prestataires?|attributaires?|fournisseurs?|cabinets?|bureaux? d'etudes"
    r"|banques?|preteurs?|etablissements? (?:bancaires?|preteurs?)|assureurs?|compagnies?|mutuelles?)\b"
)
# The kinds of fact whose value the answer must state: a sum, a count, a duration, an hour, how often.
STATED_KINDS = (AMOUNT, NUMBER, DURATION, HOUR, FREQUENCY)  # (not a date: "affiché dans la huitaine" says when)
# "Quelle puissance", "quelle capacité": a measure the answer gives as a figure
_MEASURE_ASKED_RE = re.compile(
    r"\bquel(?:le)?s? (?:(?:est|sont) (?:la |le |les |l')?)?(?:puissance|capacite|quantite|volume|debit|effectif"
    r"|population|superficie|surface|longueur|frequentation|consommation|production)\b"
)


def _quotes_roll_call(text: str) -> bool:
    """Whether a sentence of the answer quotes only an attendance list ("« PEREZ,Khanthaly PHOUTTHASANG,Patrick RIVAS,
    Brigitte ROUSSEL-GALIANA, Samira SALOMON,Marie-Hélène » [2]", rag.lead.roll_call).

    >>> _quotes_roll_call("Le document cité précise : « PEREZ,Khanthaly PHOUTTHASANG,Patrick RIVAS, Brigitte ROUSSEL-GALIANA, Samira SALOMON,Marie-Hélène » [2].")
    True
    >>> _quotes_roll_call("Le document cité précise : « A été élue : - Mylène CHARDES » [1].")
    False
    """
    if "«" not in text or "»" not in text:
        return False
    pieces = [p.strip(" .;") for p in text[text.find("«") + 1 : text.rfind("»")].split(",")]
    pieces = [p for p in pieces if p]
    if len(pieces) < ROLL_NAMES or any(not _ROLL_NAME_RE.fullmatch(p) for p in pieces):
        return False
    return sum(bool(_SURNAME_RE.search(p)) for p in pieces) * 2 >= len(pieces)


ROLL_NAMES = 4  # a list of this many names, commas between them, and nothing else: who attended
# one to four capitalised words: "Khanthaly PHOUTTHASANG", "Marie-Hélène", "Henri DE VERBIZIER" (the list cut at its ends)
_ROLL_NAME_RE = re.compile(r"(?:[A-ZÀ-Ý][\w'’-]*\s*){1,4}")
_SURNAME_RE = re.compile(r"\b[A-ZÀ-Ý]{2,}(?:-[A-ZÀ-Ý]{2,})?\b")


# A thing the question tells from its neighbours by a letter or a word right after its noun ("le bâtiment L", "le lot
# menuiseries", "l'îlot B"): the sentence that answers, when it names such a thing, names this one.
_DESIGNATED_RE = re.compile(
    r"\b(?P<noun>b[âa]timent|lot|[îi]lot|tranche|bloc|escalier|tour|aile|pavillon)s?\s+"
    r"(?:n\s?°\s?)?(?P<name>[A-Z](?![\w'’])|[^\W\d_]{4,})",
)
_NOT_DESIGNATORS = {"dont", "pour", "avec", "sans", "dans", "situe", "situee", "numero", "attribue", "relance"}


_CARDINAL_RE = re.compile(r"(?<=[a-zà-ÿ] )(Nord|Sud|Est|Ouest)\b")


def _other_designator(question: str, sentence: str) -> bool:
    """Whether the answer's first sentence names the thing the question designates by a letter or a word ("le bâtiment
    L (Larzac)", "le lot menuiseries") but not by that letter or word: it is about a neighbour ("son bâtiment J", "le
    lot n° 1 « Gros-Œuvre – VRD »").

    >>> q = "Quelle aide la ville a-t-elle accordée à la copropriété Cévennes 1 pour le bâtiment L (Larzac) ?"
    >>> _other_designator(q, "d'attribuer une subvention de 65 313 € à la copropriété des Cévennes 1 pour son bâtiment J")
    True
    >>> _other_designator(q, "une subvention de 40 000 € pour le bâtiment L de la copropriété")
    False
    >>> q = "Qui a été nommé chef du groupement territorial Sud du SDIS ?"
    >>> _other_designator(q, "la nomination du commandant X en qualité de chef du groupement territorial Nord")
    True
    """
    sentence = _MARKER_RE.sub(" ", sentence)
    # a part of a territory by its cardinal point: "le groupement territorial Sud" is not the "groupement territorial
    # Nord", "le secteur Est" not the "secteur Ouest" (capitalised after a word: "est" lower case is a verb)
    asked = set(_CARDINAL_RE.findall(question))
    written = set(_CARDINAL_RE.findall(sentence))
    if asked and written and not asked & written:
        return True
    for m in _DESIGNATED_RE.finditer(question):
        name = m["name"]
        noun = fold(m["noun"]).lower()
        if fold(name).lower() in _NOT_DESIGNATORS or (len(name) > 1 and _VERB_FORM_RE.search(name.lower())):
            continue
        if not re.search(rf"\b{noun}s?\s+(?:n\s?°\s?)?(?:\d+|[A-Z](?![\w'’]))", fold(sentence), re.IGNORECASE):
            continue  # the sentence names no such thing by its number or letter ("Lot Entreprise": a table's header)
        if len(name) == 1:
            if not re.search(rf"\b{name}(?![\w'’])", sentence):
                return True
        elif not _akin(set(_noun_stems(name)), vocabulary(sentence)):
            return True
    return False


# A rate per unit of a kind ("par élève d'école élémentaire", "par enfant de moins de 3 ans", "par heure de nuit"): the
# unit, then the word that tells its kind (after "école", "classe" ...), on folded text
_PER_KIND_RE = re.compile(
    r"\bpar (?P<unit>[a-z]{3,}) (?:d'|de |du |des |en )(?:l'|la |le |les )?(?:(?:ecoles?|classes?|sections?|niveau) "
    r"(?:d'|de |du |des |en )?(?:l'|la |le |les )?)?(?P<kind>[a-z]{3,})"
)


def _other_category(question: str, sentence: str, *, whole: bool = False) -> bool:
    """Whether the answer's first sentence gives a rate per unit of another kind than the question's: "par élève
    d'école élémentaire" answered with "par élève de maternelle". With `whole`, `sentence` is a cited record's text:
    it writes rates per unit of other kinds only, never the one asked.

    >>> q = "Combien la commune de Flaux paie-t-elle à Remoulins par élève d'école élémentaire ?"
    >>> _other_category(q, "à hauteur 1 602.91 € par élève de maternelle"), _other_category(q, "600 € par élève de l'école élémentaire")
    (True, False)
    >>> _other_category(q, "1 602.91 € par élève de maternelle, 600 € par élève d'école élémentaire", whole=True)
    False
    """
    folded = fold(sentence).replace("\u2019", "'")
    for asked in _PER_KIND_RE.finditer(fold(question).replace("\u2019", "'")):
        same = [
            _akin(set(_noun_stems(asked["kind"])), set(_noun_stems(given["kind"])))
            for given in _PER_KIND_RE.finditer(folded)
            if given["unit"][:WORD_FAMILY] == asked["unit"][:WORD_FAMILY]
        ]
        if (not all(same)) if not whole else (bool(same) and not any(same)):
            return True
    return False


LABEL_LINE_CHARS = 80  # a row's label: "Université Montpellier II Titulaire :"
_EMPTY_LABEL_RE = re.compile(r":\s*»?\s*(?:\[\d+\])?\s*\.?\s*$")


def _label_left_empty(
    question: str, first: AnswerSentence, answer_sentences: list[AnswerSentence], citations: list[Citation]
) -> bool:
    """Whether a question asking who (a person, a company) is answered by a short quote that ends on a label left
    empty ("« Université Montpellier II Titulaire : » [3]": a table's row with no name in it) and the sentence after
    it, unless it is a quoted passage of the evidence (which may name others), names no one either: the name
    announced is not in the documents.

    >>> q = "Qui représente la ville au conseil d'administration de l'Université Montpellier II ?"
    >>> empty = AnswerSentence("Le document cité précise : « Université Montpellier II Titulaire : » [3].", [3])
    >>> _label_left_empty(q, empty, [empty], [])
    True
    >>> named = AnswerSentence("« Université Montpellier I Titulaire : -Mylène CHARDES » [1].", [1])
    >>> _label_left_empty(q, named, [named], [])
    False
    """
    kind = answer_type(question)
    quoted = first.text[first.text.find("«") + 1 : first.text.rfind("»")]
    if kind not in (PERSON, ORGANISATION) or "«" not in first.text or not _EMPTY_LABEL_RE.search(first.text):
        return False
    if len(quoted.strip()) > LABEL_LINE_CHARS:
        return False  # a sentence that names its president then announces the members ("présidée par M ... :")
    at = answer_sentences.index(first)
    quotes = [c.quote for c in citations]  # (a sentence holding a whole citation's quote is the evidence, as below)
    after = [s for s in answer_sentences[at + 1 : at + 2] if not any(f"« {q} »" in s.text for q in quotes)]
    return not any(gives(kind, _MARKER_RE.sub(" ", s.text)) for s in after)


def _asked_given(question: str, answer_sentences: list[AnswerSentence], citations: list[Citation]) -> bool:
    """Whether the answer states a value of the kind the question asks for (a sum, a count, a duration, an hour) in
    what it quotes or in its opening sentences (the séance's date left out): "de combien le régime indemnitaire
    a-t-il été augmenté" is not answered by "bénéficiera d'une augmentation de son régime indemnitaire", nor "combien
    peut-il mandater" by the blanks of a form ("25% de € = €"). True for the other kinds."""
    kind = answer_type(question)
    quotes = [c.quote for c in citations]
    texts = quotes + [
        _MARKER_RE.sub(" ", _SEANCE_DATE_RE.sub("", s.text))  # (the séance's date states no value asked)
        for s in answer_sentences
        if not any(f"« {q} »" in s.text for q in quotes)
    ]
    unit = unit_asked(question)
    if unit is not None and not any(unit.search(fold(text)) for text in texts):
        return False  # "quel loyer au m²", "quelle puissance": a value in that unit, not "ramenés à 4000€"
    if kind == DATE and not _ACT_DATE_RE.search(fold(question)):
        # "quand seront-ils livrés": a date of that event, not the séance's, nor "inscrite au BP 2014"
        return any(_states_date(text) for text in texts)
    if kind == OTHER and _MEASURE_ASKED_RE.search(fold(question)):
        kind = NUMBER  # "quelle puissance ... permettent-elles d'installer": a figure
    if kind == ORGANISATION and not _COMPANY_ASKED_RE.search(fold(question)):
        return True  # "avec quel organisme": "le centre de gestion" is no name in capitals
    trade_asked = _NAMED_PERSON_ASKED_RE.search(fold(question)) if kind == PERSON else None
    if trade_asked is not None:
        # "quel architecte a dessiné l'extension": a name, of a person or a firm, beyond the question's own ("Ernest
        # Onillon" is the boulodrome's) and the attendance lists
        texts = [_own_names_removed(question, _NAME_LIST_RE.sub(" ", _ATTENDANCE_RE.sub(" ", text))) for text in texts]
        # where the texts write the trade, the name goes with it ("par Maître VILLEMIN, notaire"): "à faire arpenter
        # par géomètre-expert" names no surveyor, whoever else the sentence names ("Monsieur BIAU a fait part ...")
        first = trade_asked["trade"].split()[0]
        trade = first[: max(5, len(first) - 3)]  # ("commissa": the commissaire's word, not "commission")
        near = [
            text[max(0, m.start() - TRADE_REACH) : m.end() + TRADE_REACH]
            for text in texts
            for m in re.finditer(r"[^\W\d_][\w'’-]*", text)
            if fold(m.group(0)).lower().startswith(trade)
        ]
        return any(gives(PERSON, text) or gives(ORGANISATION, text) for text in (near or texts))
    if kind not in STATED_KINDS and kind != ORGANISATION:
        return True
    if kind == ORGANISATION:
        # who attended ("Absents : Patrick VIGNAL") and the names the question gives itself ("les écoles Jean Macé et
        # Victor Schoelcher") name no company
        texts = [_own_names_removed(question, _NAME_LIST_RE.sub(" ", _ATTENDANCE_RE.sub(" ", text))) for text in texts]
    if kind == AMOUNT and not _FLOOR_ASKED_RE.search(fold(question)):
        texts = [_FLOOR_PRICE_RE.sub(" ", text) for text in texts]  # "à quel prix ... finalement vendu": not the floor
    return any(states_value(question, kind, text) for text in texts)


# A value counted in a unit the question names ("quel loyer au m²", "le prix du mètre cube", "combien de kilomètres")
# or in the unit of the measure it asks ("quelle puissance", "quelle superficie"): the answer writes the value with it.
# Read on folded text ("m²" is "m2").
_M2 = r"m\s?2\b|metres?\s+carres?"
_M3 = r"m\s?3\b|metres?\s+cubes?"
_UNITS = {
    "m2": _M2,
    "m3": _M3,
    "km": r"km\b|kilometres?\b",
    "ha": r"ha\b|hectares?\b|ares?\b|centiares?\b|ca\b",
    "kwh": r"[kmg]wh\b|(?:kilo|mega|giga)?watts?[ -]heures?\b",
    "kw": r"[kmg]?wc?\b|kva\b|(?:kilo|mega|giga)?watts?\b",
    "l": r"l\b(?!')|litres?\b|hl\b|hectolitres?\b",
    "m": r"m\b|ml\b|km\b|metres?\b|kilometres?\b",
}
# ("au m²", "par kilomètre", "combien de kilomètres"; not "le prix du m3 d'eau", which names the thing priced: the answer
# writes "prix du m3 d'eau assainie à 1.02 €", or "prix du m d'eau" in a scan)
_PER_UNIT_RE = re.compile(
    r"(?:\bau|\bpar|\ben|\bcombien\s+d(?:e\s+|'\s*))\s*(?P<unit>m2|m3|metres?\s+carres?|metres?\s+cubes?|kilometres?|km|hectares?|kwh|mwh"
    r"|kw|mw|kva|litres?|metres?(?!\s+(?:carres?|cubes?))|ml)\b"
)
_MEASURE_UNITS = {
    "puissance": ("kw",),
    "superficie": ("m2", "ha"),
    "surface": ("m2", "ha"),
    "longueur": ("m",),
    "distance": ("m",),
    "volume": ("m3", "l"),
    "consommation": ("kwh", "m3", "l"),
}
_MEASURE_RE = re.compile(
    r"\b(?:quel(?:le)?s?|la|le)\s+(?:(?:est|sont)\s+(?:la|le)\s+)?(?P<what>" + "|".join(_MEASURE_UNITS) + r")\b"
)


def unit_asked(question: str) -> re.Pattern[str] | None:
    """The values of the unit the question asks for, on folded text; None when it names none.

    >>> unit_asked("Quel loyer au m² un propriétaire bailleur doit-il respecter ?").search("4 000 euros") is None
    True
    >>> bool(unit_asked("Quelle est la puissance électrique du centre ?").search("une puissance de 12 mw"))
    True
    >>> unit_asked("Quel est le prix du repas au restaurant scolaire ?") is None
    True
    """
    folded = fold(question).replace("\u2019", "'")
    keys: tuple[str, ...] = ()
    per = _PER_UNIT_RE.search(folded)
    if per is not None:
        word = re.sub(r"\s+", " ", per["unit"])
        keys = (
            "m2" if word in ("m2",) or "carre" in word else
            "m3" if word in ("m3",) or "cube" in word else
            "km" if word.startswith(("km", "kilometre")) else
            "ha" if word.startswith("hectare") else
            "kwh" if word in ("kwh", "mwh") else
            "kw" if word in ("kw", "mw", "kva") else
            "l" if word.startswith("litre") else "m",
        )  # fmt: skip
    else:
        measure = _MEASURE_RE.search(folded)
        if measure is not None:
            keys = _MEASURE_UNITS[measure["what"]]
    if not keys:
        return None
    units = "(?<![a-z])(?:" + "|".join(_UNITS[k] for k in keys) + ")"
    # the value before its unit ("708 m2", "1,20 € HT/m3") or after it ("le m3 : 1,20 €")
    return re.compile(rf"\d[^\n\d]{{0,20}}?{units}|{units}[^\n\d]{{0,20}}\d")


# A date asked of the council's own act ("quand le conseil a-t-il voté", "quand s'est tenue la séance") is the séance's
_ACT_DATE_RE = re.compile(r"seance|conseil|reuni|delibere|deliberation|vot|adopt|approuv|decid|decision")
# A year the answer gives as a time ("en 2015", "à partir de 2015", "d'ici fin 2014", "à la rentrée 2014"), not a label
# ("inscrite au BP 2014", "le budget 2014")
_TIME_YEAR_RE = re.compile(
    r"\b(?:en|depuis|a partir de|jusqu'en|d'ici(?: a)?(?: la)?(?: fin)?|avant|apres|des|fin|debut|courant|mi|rentree"
    r"|ete|automne|hiver|printemps|semestre|trimestre)\s+(?:(?:de |d')?l'annee\s+)?(?:19|20)\d{2}\b"
)


def _states_date(text: str) -> bool:
    """Whether the text gives a time: a date ("31/12/2014", "18 août", "janvier 2022"), an hour, a deadline in words
    or a year as a time ("en 2015", not "au BP 2014").

    >>> _states_date("De dire que la dépense est inscrite au BP 2014, section investissement"), _states_date("livrés en 2015")
    (False, True)
    """
    return (
        gives(DATE, text)
        or gives(HOUR, text)
        or bool(_DEADLINE_RE.search(text))
        or bool(_TIME_YEAR_RE.search(fold(text).replace("\u2019", "'")))
    )


# Who attended: "Absents : Patrick VIGNAL", "Présents : ...", or a list of names, commas between them
_ATTENDANCE_RE = re.compile(
    r"\b(?:Pr[ée]sents?|Absents?|Excus[ée]s?|Procurations?|Pouvoirs?|[ÉE]taient pr[ée]sents?)"
    r"\b[^:\n]{0,30}:[^…\[\n]*"
)
_NAME_LIST_RE = re.compile(
    r"(?:[A-ZÀ-Ý][\w'’-]*(?:[ \t]+[A-ZÀ-Ý][\w'’-]*){1,3}[ \t]*[,.;][ \t]*){3,}(?:[A-ZÀ-Ý][\w'’-]*(?:[ \t]+[A-ZÀ-Ý][\w'’-]*){0,3})?"
)
# A place named after a person ("l'école Victor SCHOELCHER- Lily BOULANGER", "rue Jean Jaurès", "gymnase Pierre de
# Coubertin"): its names are the place's, no company's or person's asked
_PLACE_NAME_RE = re.compile(
    r"\b(?i:[ée]coles?|coll[èe]ges?|lyc[ée]es?|groupes?\s+scolaires?|maternelles?|[ée]l[ée]mentaires?|primaires?|cr[èe]ches?"
    r"|rues?|avenues?|boulevards?|places?|all[ée]es?|impasses?|chemins?|quais?|quartiers?|r[ée]sidences?|salles?|stades?"
    r"|gymnases?|piscines?|parcs?|jardins?|m[ée]diath[èe]ques?|biblioth[èe]ques?|maisons?\s+pour\s+tous|parvis)"
    r"(?P<names>(?:\s*[–-]\s*|\s+)(?:(?:de|du|des|la|le|et)\s+|d['’])?[A-ZÀ-Ý][\w'’]*(?:-[A-ZÀ-Ý][\w'’]*)*"
    r"(?:(?:\s*[–-]\s*|\s+)(?:(?:de|du|des|la|le|et)\s+|d['’])?[A-ZÀ-Ý][\w'’]*(?:-[A-ZÀ-Ý][\w'’]*)*){0,5})"
)


def _own_names_removed(question: str, text: str) -> str:
    """The text without the capitalised words the question writes itself (the names it gives are not the answer) and
    the names of places named after a person.

    >>> _own_names_removed("Quelle société fournit les modules de Jean Macé ?", "Jean MACE, société SOLUTIONS")
    '· ·, société SOLUTIONS'
    >>> _own_names_removed("Quelle société ?", "Ecole primaire Victor SCHOELCHER- Lily BOULANGER, pose de modules")
    'Ecole primaire, pose de modules'
    """
    own = {fold(w) for w in question_names(question)}
    text = _PLACE_NAME_RE.sub(lambda m: m.group(0)[: m.start("names") - m.start(0)], text)
    return re.sub(r"\b[A-ZÀ-Ý][\w'’]*", lambda m: "·" if fold(m.group(0)) in own else m.group(0), text)


def states_value(question: str, kind: str, text: str) -> bool:
    """Whether the text states a value of this kind: for a sum, an amount with its unit or a sum of a table without
    one ("179 710,19"); for a duration, a duration, a date or a deadline in words ("dans la huitaine"); for a count, a
    number that is no date, lone year, duration, price, vote count or deliberation number; for an hour, an hour.

    >>> q = "Combien Flaux peut-il mandater au chapitre 21 avant le vote du budget ?"
    >>> states_value(q, AMOUNT, "25% de € = € sur le chapitre 21"), states_value(q, AMOUNT, "TOTAL en euros HT 446 930,36")
    (False, True)
    >>> q = "De combien le régime indemnitaire a-t-il été augmenté ?"
    >>> states_value(q, NUMBER, "bénéficiera d'une augmentation de son régime indemnitaire (IFTS ou IHTS)")
    False
    """
    if kind in (HOUR, FREQUENCY):
        return gives(kind, text)
    if kind == ORGANISATION:
        # "quelle société fournit les modules": a company, body or person named, not the record's title alone
        # (a person's name is no company's: "Paul ELUARD" of the school "Jean MACE – Paul ELUARD" supplies no modules;
        # nor is a councillor's surname written in capitals with its particle, "Henri DE VERBIZIER")
        return gives_asked(question, ORGANISATION, _PARTICLE_NAME_RE.sub(" ", text))
    if kind == DURATION:
        return gives(DURATION, text) or gives(DATE, text) or bool(_DEADLINE_RE.search(text))
    if kind == AMOUNT:
        # "25% de € = €": a share of a sum left blank is no sum; "compte 2156 €": an account's number is no sum; nor is
        # a postcode ("route départementale 613, 34 740 VENDARGUES")
        text = _NOT_A_SUM_RE.sub(" ", _POSTCODE_RE.sub(" ", text))
        return (
            gives_asked(question, kind, text)
            # "à quel prix", "combien ... investit": not "91 m²", not "3km"
            or (gives(AMOUNT, text) and not _PRICE_ASKED_RE.search(fold(question)) and not asks_money(question))
            or (gives(DURATION, text) and not asks_money(question))  # "combien IBM investit-il": not "365 jours"
            or bool(_BARE_SUM_RE.search(text))
        )
    # "combien de places": "pour une durée de 13 ans" or "les redevances 2013" count none ("combien d'heures": 25
    # heures do)
    what = counted(question) or ""
    text = _RECORD_NUMBER_RE.sub(" ", text)  # "2020-045", "2020-2021": a deliberation's number, a span count nothing
    values = _DURATION_VALUE_RE.sub(
        lambda m: m.group(0) if what[:3] and fold(m.group(1)).startswith(what[:3]) else " ",
        _LONE_YEAR_RE.sub(" ", text),
    )
    if what and not _MONEY_WORD_RE.match(what):
        values = _MONEY_VALUE_RE.sub(" ", values)  # "combien d'enfants": "3.40€ pour les enfants" counts none
        text = _MONEY_VALUE_RE.sub(" ", text)
    if what and not _VOTER_WORD_RE.match(what):
        values = _VOTE_COUNT_RE.sub(" ", values)  # nor does the vote "(13 pour, 1 contre)"
    if what and not _MONEY_WORD_RE.match(what) and not _VOTER_WORD_RE.match(what):
        # "combien d'habitants": a number of the things counted ("treize personnes", "la commune compte 1 050
        # habitants") or a number alone ("Nrb de résultats reçus : 86"), not "10 Communes sélectionnées"
        return any(
            counts(part, what) or (gives(NUMBER, part) and (what in tokens(part) or _bare_number(part)))
            for part in sentences(values) or [values]
        )
    return gives(NUMBER, values) or gives(AMOUNT, text)


def _bare_number(text: str) -> bool:
    """Whether a number of the text stands alone, no word after it saying what it counts ("reçus : 86", not "10
    Communes", "5 seulement"), nor a share ("Action Logement (1% logement)").

    >>> _bare_number("Nrb de résultats reçus : 86"), _bare_number("10 Communes"), _bare_number("(1% logement)")
    (True, False, False)
    """
    folded = fold(text)
    return any(
        not m.group(1) and not _SHARE_AFTER_RE.match(folded, m.end()) for m in _NUMBER_THEN_WORD_RE.finditer(folded)
    )


_SHARE_AFTER_RE = re.compile(r"[ \t]*%")


_NUMBER_THEN_WORD_RE = re.compile(r"(?<![\d.,])\d+(?:[ .]\d{3})*(?:,\d+)?(?![\d.,])[ \t]*([a-z]{2,})?")
_PRICE_ASKED_RE = re.compile(r"\b(?:a|pour) quel prix\b")
# "Quel architecte", "quel notaire": a person asked by trade, whom the answer names
_NAMED_PERSON_ASKED_RE = re.compile(
    r"\bquel(?:le)?s? (?P<trade>architecte|notaire|geometre|avocat|huissier|commissaire enqueteur|expert"
    r"|maitre d'oeuvre|syndic|directeur|directrice|president|presidente|laureat|gagnant)s?\b"
)
TRADE_REACH = 60  # characters around a trade's word where the text names who holds it
# A first name and a surname in capitals with its particle ("Henri DE VERBIZIER", "Jean-Pierre DE LA MOTTE"): a person
_PARTICLE_NAME_RE = re.compile(
    r"\b[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?[ \t]+(?:DE|DU|DES|D['’]|LA|LE)(?:[ \t]+[A-ZÀ-Ý'’-]{2,})+"
)
_VOTER_WORD_RE = re.compile(r"voi|vot|elu|conseil|membr|suffrag|bulletin|abst|person|particip")
_VOTE_COUNT_RE = re.compile(
    r"\d+\s*(?:pour|contre|abstentions?|votes?|voix)\b|\b(?:pour|contre|abstentions?|votants?|exprim[ée]s)\s*:\s*\d+",
    re.IGNORECASE,
)
_MONEY_WORD_RE = re.compile(r"euro|argent|centim|credit|fond|subvent|aide")
_MONEY_VALUE_RE = re.compile(r"\d(?:[\d \u00a0\u202f.,]*\d)?\s?(?:€|euros?\b|eur\b)", re.IGNORECASE)


_NOT_A_SUM_RE = re.compile(
    r"\d[\d \u00a0\u202f,.]*\s?%\s*(?:de|d['’])\s*€"
    r"|\b(?:comptes?|articles?|chapitres?|n°|no)\s*\d[\d.-]*"
    r"|\b(?:19|20)\d{2}\s?[-/]\s?\d{1,4}\b",
    re.IGNORECASE,
)
_POSTCODE_RE = re.compile(
    r"(?<![\d,.])\b\d{2}\s?\d{3}\s+(?!(?:EUROS?|EUR|HT|TTC|TVA)\b)(?:[A-ZÀ-Ý][A-ZÀ-Ý'’-]{2,}\b|CEDEX\b)"
)  # "34 740 VENDARGUES"
_DURATION_VALUE_RE = re.compile(r"\d+[’']?\s?(ans?|années?|mois|semaines?|jours?|heures?)\b", re.IGNORECASE)
_LONE_YEAR_RE = re.compile(r"(?<![\d,.])(?<!\d[ \u00a0\u202f])\b(?:19|20)\d{2}\b(?![,.]\d|[ \u00a0\u202f]\d{3})")
# A deadline in words: "dans la huitaine", "sans délai", "au plus tard", "avant le vote du budget"
_DEADLINE_RE = re.compile(
    r"\b(?:huitaine|quinzaine|sans d[ée]lai|imm[ée]diatement|aussit[ôo]t|au plus tard|avant l[ea'’]|d[èe]s (?:la|le|l['’]|que))",
    re.IGNORECASE,
)
_MARKER_RE = re.compile(r"\[\d+\]")  # a citation's marker
_RECORD_NUMBER_RE = re.compile(r"\b(?:19|20)\d{2}\s?[-/]\s?\d{1,4}\b")
_SEANCE_DATE_RE = re.compile(r"^Le \d{1,2}(?:er)? \w+ \d{4},")
# A sum in a table, without its unit ("179 710,19", "3 925"), or a length ("8717 m")
_BARE_SUM_RE = re.compile(
    r"(?<![\d,.])\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d{1,2})?(?![\d])|\b\d+,\d{2}\b|\b\d+\s?(?:m|ml|kw|kwh|mw|mwh)\b"
)


def _named_elsewhere(
    question: str, used: set[str], retrieval: Retrieval, excused: set[str], idf: Callable[[str], float]
) -> bool:
    """Whether a name of the question (not its scope's, not a common word: NEIGHBOUR_NAME_IDF) is missing from the
    evidence while a retrieved passage outside it writes it: the evidence is about a neighbour of the thing asked
    ("la ZAC Nouveau Saint Roch" answered with Port Marianne's advance, the deliberation on Saint Roch retrieved too).
    Whatever the name's rarity in the corpus: a small store makes every name common."""
    names = [stem for stem in name_stems(question) if stem not in excused and idf(stem) >= NEIGHBOUR_NAME_IDF]
    missing = [stem for stem in names if not _akin({stem}, used)]
    if not missing:
        return False
    elsewhere = set().union(
        *(
            vocabulary(
                f"{h.chunk.text} {h.chunk.meta.get(schema.TITLE, '')} {h.chunk.meta.get(schema.HEADING_PATH, '')}"
            )
            for h in retrieval.hits
        )
    )
    return any(stem in elsewhere for stem in missing)


NEIGHBOUR_NAME_IDF = 2.0  # not "la Ville"
NEIGHBOUR_NOUN_IDF = 2.0  # not "la commune"
# Words of a question that name no neighbour: the council itself, a total, a preposition after "d'" ("d'après")
_GENERIC_WORDS = set(tokens("conseil municipal municipale total totale général générale après avant"))


_DEFINED_ACRONYM_RE = re.compile(r"((?:[^\W\d_][\w'’-]*[ \t]+){2,14})\(\s*([A-Z]{2,8})\s*\)")


def defined_acronyms(question: str) -> dict[str, list[str]]:
    """The acronyms the question spells out itself, each with the stems of the words it stands for: "le plan de
    sauvegarde et de mise en valeur (PSMV)" -> {"psmv": ["plan", "sauvegard", "mis", "valeur"]} (the initials of the
    last words before the parenthesis, the small words of the name skipped).

    >>> defined_acronyms("Qui a approuvé le plan de sauvegarde et de mise en valeur (PSMV) ?")
    {'psmv': ['plan', 'sauvegard', 'mis', 'valeur']}
    """
    found: dict[str, list[str]] = {}
    for m in _DEFINED_ACRONYM_RE.finditer(question):
        acronym = m.group(2).lower()
        spelt = [
            w for w in re.split(r"[ \t'’-]+", m.group(1)) if w and fold(w).lower() not in _SMALL_WORDS | {"d", "l"}
        ]
        spelt = spelt[-len(acronym) :]
        if len(spelt) == len(acronym) and "".join(fold(w[0]).lower() for w in spelt) == acronym:
            found[acronym] = [stem for w in spelt for stem in tokens(w)[:1]]
    return found


def blended_name(name: str, text: str) -> bool:
    """Whether a name of the question (a stem, folded) is made of the first letters of consecutive capitalised words
    of the text, two at least, each giving two letters or more: "Cinemed" is the "Cinéma Méditerranéen", "Somimon"
    the "Société ... du Marché d'Intérêt national de Montpellier" only if its words run so (the small words of a name
    skipped).

    >>> blended_name("cinemed", "Festival International du Cinéma Méditerranéen de Montpellier")
    True
    >>> blended_name("cinemed", "le cinéma de la ville"), blended_name("cinemed", "Cinéma Nestor Burma")
    (False, False)
    """
    if len(name) < BLEND_LETTERS:
        return False
    for run in _TITLE_RUN_RE.finditer(text):
        parts = [fold(w).lower() for w in re.split(r"[ \t'’]+", run.group(0)) if w]
        parts = [w for w in parts if w not in _SMALL_WORDS and w not in ("d", "l")]
        if any(_blends(name, parts[i:]) for i in range(len(parts) - 1)):
            return True
    return False


BLEND_LETTERS = 5


def spelt_out(acronym: str, text: str) -> bool:
    """Whether an acronym of the question (three to six letters) is written out in the text: the first letters of
    consecutive words, the small words skipped, in any case ("l'APA": "allocation personnalisée d'autonomie"; "le
    SDES": "Syndicat départemental d'énergies"). `spelled_acronyms` reads every acronym a passage may stand for, from
    capitalised names only; this one looks for one acronym the question writes, wherever its words are.

    >>> spelt_out("APA", "avant allocation personnalisée d'autonomie et aide au logement")
    True
    >>> spelt_out("apa", "une aide pour les anciens"), spelt_out("APA", "l'APL")
    (False, False)
    """
    letters = fold(acronym).lower()
    if not (SPELT_LETTERS <= len(letters) <= 6 and letters.isalpha()):
        return False
    stop = stopwords()
    parts = [w for w in re.split(r"[^\w]+", fold(text).lower()) if len(w) >= 3 and w not in stop]
    initials = "".join(w[0] for w in parts)
    return letters in initials and any(
        "".join(w[0] for w in parts[i : i + len(letters)]) == letters for i in range(len(parts) - len(letters) + 1)
    )


SPELT_LETTERS = 3


def spelt_acronyms(question: str, text: str) -> set[str]:
    """The acronyms of the question (folded) that the text writes out (`spelt_out`).

    >>> spelt_acronyms("Le montant de l'APA ?", "l'allocation personnalisée d'autonomie")
    {'apa'}
    >>> spelt_acronyms("Le CH de Vaudelanne", "CENTRE HOSPITALIER DE VAUDELANNE"), spelt_acronyms("Le CH de Vaudelanne", "la commune de Vaudelanne")
    ({'ch'}, set())
    """
    found = {fold(w).lower() for w in re.findall(r"\b[A-Z]{3,6}\b", question) if spelt_out(w, text)}
    # two letters stand for two words only before the name they are of: "le CH de Vaudelanne" is the "Centre hospitalier
    # de Vaudelanne" the text writes ("CH" alone would be any two words)
    folded = fold(text).lower()
    for m in re.finditer(r"\b([A-Z]{2})\s+(?:de|du|des|d['’])\s*([A-ZÀ-Ý][\w-]+)", question):
        letters = fold(m[1]).lower()
        first, second = letters[0], letters[1]
        name = re.escape(fold(m[2]).lower())
        if re.search(rf"\b{first}\w+\s+{second}\w+\s+(?:de|du|des|d')\s*{name}\b", folded):
            found.add(first + second)
    return found


def _blends(name: str, parts: list[str], *, first: bool = True) -> bool:
    """Whether `name` is prefixes of the first words of `parts`, in order, at least two words."""
    if not name:
        return not first
    if not parts:
        return False
    word = parts[0]
    for cut in range(min(len(word), len(name)), 1, -1):
        if (
            word.startswith(name[:cut])
            and (cut < len(name) or not first)
            and _blends(name[cut:], parts[1:], first=False)
        ):
            return True
    return False


def _full_name_written(question: str, hits: list[ScoredChunk]) -> bool:
    """Whether a passage writes a name the question gives in two capitalised words, a person's first name and
    surname most often ("Fabrice Palau": "- Fabrice PALAU" under a seat's label; a school, "Jean Macé"): a row of a
    list of names is far in meaning from a whole question, the name is not.

    >>> from rag.schema import Chunk
    >>> hit = ScoredChunk(Chunk(id="c", text="Collège Croix d'Argent Titulaire : - Fabrice PALAU", meta={}), 1.0)
    >>> _full_name_written("Dans quels collèges Fabrice Palau siège-t-il ?", [hit])
    True
    >>> _full_name_written("Dans quels collèges Fabrice Martin siège-t-il ?", [hit])
    False
    """
    names = [fold(m.group(0)) for m in _FULL_NAME_RE.finditer(question)]
    if not names:
        return False
    texts = [" ".join(fold(hit.chunk.text).split()) for hit in hits]
    return any(re.search(rf"\b{re.escape(name)}\b", text) for name in names for text in texts)


# two capitalised words inside the question: a first name and a surname ("Fabrice Palau", "Marie-Hélène Santarelli"),
# or any name of two words ("Jean Macé", "Montpellier Rugby")
_FULL_NAME_RE = re.compile(r"(?<=\s)[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)? [A-ZÀ-Ý][a-zà-ÿA-ZÀ-Ý'’-]{2,}")


def person_names(question: str) -> list[str]:
    """The stems of the names of people the question names with a civility ("M. Martin", "Madame Giner"): whom the
    fact is of, however common the name is in the corpus.

    >>> person_names("Quel prix la Ville a-t-elle payé pour la parcelle de M. Martin, route de Bionne ?")
    ['martin']
    """
    return list(dict.fromkeys(stem for m in _PERSON_RE.finditer(question) for stem in tokens(m.group(1))))


_PERSON_RE = re.compile(r"\b(?:M\.|MM\.|Mme|Mmes|Mlle|Monsieur|Madame|Mademoiselle)\s+((?:[A-ZÀ-Ý][\w'’-]+\s?)+)")


CITED_NAME_IDF = 2.5  # a name of the question rarer than this must be in the cited evidence (common: "Ville")
NAME_WINDOW = 4  # words of the noun phrase before a name that it identifies ("le club de foot de Preuilly (USYP)")
_PHRASE_START = {
    "le",
    "la",
    "les",
    "l",
    "un",
    "une",
    "au",
    "aux",
    "à",
    "a",
    "pour",
    "par",
    "avec",
    "sur",
    "dans",
    "en",
    "et",
    "ou",
}


def _named_by(question: str, names: list[str]) -> set[str]:
    """The stems of the words of the noun phrase a name of the question closes ("au cinéma Nestor Burma", "le club
    de foot de Preuilly (USYP)"): at most NAME_WINDOW words back, up to the determiner or preposition opening it.

    >>> sorted(_named_by("Quel est le prix pour un adulte au cinéma Nestor Burma ?", tokens("Nestor Burma")))
    ['cinem']
    >>> sorted(_named_by("Quelle subvention pour le club de foot de Preuilly (USYP) ?", ["usyp"]))
    ['club', 'foot', 'preuilly']
    """
    words = _WORD_RE.findall(question.replace("\u2019", "'"))
    out: set[str] = set()
    for i, word in enumerate(words):
        if not any(stem in names for stem in tokens(word)):
            continue
        for near in reversed(words[max(0, i - 2 * NAME_WINDOW) : i]):
            folded = fold(near).lower().rstrip("'")
            if folded in _PHRASE_START:
                break
            if folded in ("de", "du", "des", "d"):
                continue
            stems = [stem for stem in _noun_stems(near) if stem not in names]
            out.update(stems)
            if len(out) >= NAME_WINDOW:
                break
    return out


def qualifiers(question: str) -> list[str]:
    """The stems of the words that qualify what the question is about without a determiner of their own: the
    word after "en" ("en moto", "en outre-mer") and the word right after a noun ("le montant mensuel", "le tarif
    horaire", "la dotation globale"); not verbs ("la Ville a-t-elle", "l'économie faite", "les subventions
    votées", "qui mangent", "dort"), names, or words that only tie the sentence ("depuis", "chaque").

    >>> qualifiers("Quel est le tarif horaire de location d'une salle, réservée en ligne ?")
    ['lign', 'horair']
    >>> qualifiers("Qui a été désigné délégué au syndicat ?")
    ['delegu']
    >>> qualifiers("Terrain Biau : la ville en prendra possession quand ?")
    []
    >>> qualifiers("Quel est le prix de l'abonnement mensuel senior du réseau ?")
    ['mensuel', 'senior']
    """
    text = question.replace("\u2019", "'")
    # (after the pronoun "en", a verb: "la ville en prendra possession", "qu'en fera-t-on")
    words = [m.group(1) for m in _AFTER_EN_RE.finditer(text) if not _FUTURE_RE.search(m.group(1).lower())]
    for m in _AFTER_NOUN_RE.finditer(text):
        words.append(m["word"])
        # and a second one after a first ("l'abonnement mensuel senior": not the "mensuel tout public")
        second = _NEXT_WORD_RE.match(text, m.end())
        if second is not None and _qualifies(m["word"]) and _noun_stems(m["word"]):
            words.append(second.group(1))
    kept = [w for w in words if _qualifies(w)]
    # a role may look like a participle ("délégué")
    kept += [m.group(1) for m in _ROLE_RE.finditer(text) if fold(m.group(1).lower()) not in _TIE_WORDS]
    return list(dict.fromkeys(stem for word in kept for stem in _noun_stems(word)))


def name_qualifiers(question: str, idf: Callable[[str], float]) -> list[str]:
    """The stems of the words that are part of a rare name of the question though not capitalised: "le Secours
    catholique" is not "le Secours populaire". Only after a name rarer than TOPIC_NOUN_IDF ("la Ville paie" is no
    name).

    >>> name_qualifiers("Quelle aide est valorisée pour le Secours catholique ?", lambda stem: 5.0)
    ['cathol']
    """
    text = question.replace("\u2019", "'")
    words = [
        m["word"]
        for m in _AFTER_NOUN_RE.finditer(text)
        if m["noun"][:1].isupper()
        and not _SENTENCE_START_RE.search(text[: m.start("noun")])
        and all(idf(stem) >= tuning.TOPIC_NOUN_IDF for stem in tokens(m["noun"]) or ["-"])
        and _qualifies(m["word"])
    ]
    return list(dict.fromkeys(stem for word in words for stem in _noun_stems(word)))


def _heads(question: str) -> dict[str, list[str]]:
    """The noun each complement of the question completes: "le club de foot" -> {"foot": ["club"]}.

    >>> _heads("Quelle subvention pour le club de foot de Preuilly ?")
    {'foot': ['club']}
    """
    heads: dict[str, list[str]] = {}
    for match in _COMPLEMENT_RE.finditer(fold(question).replace("\u2019", "'")):
        for stem in _noun_stems(match["noun"]):
            heads.setdefault(stem, []).extend(_noun_stems(match["head"]))
    return heads


_COMPLEMENT_RE = re.compile(r"\b(?P<head>[a-z][a-z-]{3,})\s+(?:de|du|des|d')\s*(?:la\s+|l')?(?P<noun>[a-z][a-z-]{3,})")


def _qualifies(word: str) -> bool:
    """Whether a word after a noun or "en" may qualify it: not a name, a verb form, an inversion or a tie word."""
    lower = word.lower()
    return (
        not word[:1].isupper()
        and not _VERB_FORM_RE.search(lower)
        and not _INVERSION_RE.search(lower)
        and fold(lower) not in _TIE_WORDS
        and not _DEMONSTRATIVE_RE.search(lower)
    )


_DEMONSTRATIVE_RE = re.compile(r"^(?:celui|celle|ceux|celles)-(?:ci|là)$")  # "celle-ci regroupe": a pronoun


# ("en moto", not "en vertu de", "en raison de": a preposition made of words)
_FUTURE_RE = re.compile(r"(?:ra|ras|rai|rons|rez|ront|rait|raient)$")  # a future or conditional ("prendra")
# (not the pronoun after an elided one: "que Gravezon s'en aille", "il n'en reste")
_AFTER_EN_RE = re.compile(r"(?<!['’])\ben\s+([^\W\d_][\w-]{3,})\b(?!\s+(?:de|d'|du|des)\b)", re.IGNORECASE)
_NEXT_WORD_RE = re.compile(r"\s+([^\W\d_][\w-]{3,})\b")
_AFTER_NOUN_RE = re.compile(
    r"(?:\b(?:le|la|les|un|une|des|du|de|au|aux|sa|son|ses|leur|leurs|votre|vos)\s+|\b[ld]'\s*)(?P<noun>[^\W\d_][\w-]{3,})\s+(?P<word>[^\W\d_][\w-]{3,})",
    re.IGNORECASE,
)
# the role a "qui" question asks about, written with no determiner: "qui était secrétaire de séance", "qui a été
# désigné délégué"
_ROLE_RE = re.compile(
    r"\bqui\s+(?:est|était|sont|étaient|sera|seront|a été|ont été)\s+"
    r"(?:(?:re)?devenue?s?\s+|toujours\s+|actuellement\s+|désormais\s+|encore\s+)?"
    r"(?:(?:désigné|élu|nommé|choisi|retenu|recruté)e?s?\s+(?:comme\s+|en tant que\s+)?)?"
    r"([^\W\d_][\w-]{3,})",
    re.IGNORECASE,
)
# verb forms: participles ("créée", "faite", "vendues"), third persons ("mangent", "dort", "perçoit"), gerunds
# (and "servis", "acquis", "compris": not "tennis")
# (not "catholique"; "prend", "répond": a verb of the third group)
_VERB_FORM_RE = re.compile(r"(?:é|ée|és|ées|ent|t|ite|ites|(?<!q)ue|(?<!q)ues|us|ant|(?<!n)is|end|(?<!sec)ond)$")
_PARTICIPLE_RE = re.compile(r"(?:é|ée|és|ées|ant|ent)$|-")  # "le montant versé" is no "section basket"
_INVERSION_RE = re.compile(r"-(?:t-)?(?:il|ils|elle|elles|on)$")  # "a-t-elle", "sont-elles"
_TIE_WORDS = {
    "depuis",
    "pendant",
    "avant",
    "apres",
    "chaque",
    "pour",
    "sans",
    "entre",
    "vers",
    "dont",
    "elle",
    "elles",
    "ils",
    "plus",
    "moins",
    "tout",
    "tous",
    "toute",
    "toutes",
    "cette",
    "leur",
    "leurs",
    "grace",  # "grâce à", "faute de", "suite à", "sauf": prepositions made of a noun
    "faute",
    "suite",
    "sauf",
    "selon",
    "malgre",
}


# Words of the kind of answer a question asks for ("dans quel délai", "à quelle heure", "au maximum", "le résultat
# du vote", "la séance"), and numbers in words ("les trois représentants"): no topic the evidence must name.
# (and the units a value is written in by its symbol: "au mètre carré" is "495 €/m²", "quel pourcentage" "7 %")
_ASKED = (
    "délai durée maximum minimum heure heures résultat séance âge fois date dates mètre mètres kilomètre kilomètres "
    "hectare hectares litre litres pourcentage pourcentages"
)
_ASKED_WORDS = set(tokens(_ASKED)) | set(fold(_ASKED).split()) | set(NUMBER_WORDS)


def asked_nouns(question: str) -> set[str]:
    """The stems of the kind of answer the question asks for, in every form `key_nouns` may give them: the noun
    after "quel" ("À quelles dates": "dat" and the whole word "dates", see `_noun_stems`; "quelle grille": "grill")
    and the question's words of `_ASKED_WORDS`. The answer names them by its value ("du 5 au 19 décembre 2013"),
    the evidence need not write them.

    >>> sorted(asked_nouns("À quelles dates s'est déroulée l'enquête publique ?"))
    ['dat', 'dates']
    """
    head = head_noun(question)
    words = [m.group(1) for m in _NOUN_RE.finditer(question.replace("\u2019", "'"))]
    heads = {stem for word in words if head is not None and head in tokens(word) for stem in _noun_stems(word)}
    return ({head} if head is not None else set()) | heads | (_ASKED_WORDS & set(key_nouns(question)))


# The verb a decision verb introduces ("a-t-il décidé de donner une concession"): what was done, not a topic noun.
_INFINITIVE_RE = re.compile(
    r"\b(?:d[ée]cid\w*|accept\w*|refus\w*|propos\w*|demand\w*|charg\w*|permet\w*|envisag\w*|afin)\s+"
    r"(?:de\s+|d['’]\s*)(\w+(?:er|ir|re))\b",
    re.IGNORECASE,
)


def infinitives(question: str) -> set[str]:
    """The stems of the verbs a decision verb introduces ("a-t-il décidé d'adhérer", "propose de donner"): the act
    asked about, which the text writes as a noun ("adhésion") or another verb, not a topic noun it must write.

    >>> sorted(infinitives("À quelle association le conseil a-t-il décidé d'adhérer en mai 2025 ?"))
    ['adher']
    """
    return {stem for match in _INFINITIVE_RE.finditer(question) for stem in _noun_stems(match.group(1))}


WORD_FAMILY = 4  # in `cited_reason`, words of one family share their first letters: "journée" / "jours" not, 4 do


def _akin(stems: set[str], words: set[str]) -> bool:
    """Whether the words hold one of these stems or a word sharing its first WORD_FAMILY letters ("foot" /
    "football", "salari" / "salaire")."""
    if stems & words:
        return True
    prefixes = {stem[: _family(stem)] for stem in stems if len(stem) >= WORD_FAMILY}
    return any(word.startswith(prefix) for prefix in prefixes for word in words) or _misspelt(stems, words)


def _family(stem: str) -> int:
    """How many first letters a word shares with a stem to be of its family: WORD_FAMILY for a short stem, all but
    the last FAMILY_ENDING letters of a long one ("directeur" is not "direction", "recenseur" not "recette")."""
    return max(WORD_FAMILY, len(stem) - FAMILY_ENDING)


FAMILY_ENDING = 2


def _evidence_chunks(
    cited: list[Chunk], retrieval: Retrieval, following: Callable[[Chunk], Chunk | None] | None
) -> list[Chunk]:
    """The cited passages, the other retrieved passages of their records and the passage after each."""
    evidence = {c.id: c for c in cited}
    records = {_record_key(c) for c in cited if c.meta.get(schema.RECORD_INDEX) is not None}
    for hit in retrieval.hits:
        if _record_key(hit.chunk) in records:
            evidence.setdefault(hit.chunk.id, hit.chunk)
    return _with_following(sorted(evidence.values(), key=lambda c: c.meta.get(schema.CHUNK_INDEX) or 0), following)


def _evidence_words(
    cited: list[Chunk], retrieval: Retrieval, following: Callable[[Chunk], Chunk | None] | None
) -> set[str]:
    """The words of the cited passages, of the other retrieved passages of their records and of the passage after
    each (text, title, headings, commune, the head of their document that names its body)."""
    chunks = _evidence_chunks(cited, retrieval, following)
    return set().union(
        *(
            vocabulary(
                f"{c.text} {c.meta.get(schema.TITLE, '')} {c.meta.get(schema.HEADING_PATH, '')} "
                f"{c.meta.get(schema.COMMUNE) or ''} {c.meta.get(schema.HEAD) or ''} "
                f"{str(c.meta.get(schema.BODY) or '').replace(';', ' ')}"  # ("commission d'appel d'offres")
            )
            for c in chunks
        )
    )


def _record_key(chunk: Chunk) -> tuple[object, object]:
    return chunk.meta.get(schema.DOC_ID), chunk.meta.get(schema.RECORD_INDEX)


def _month_written(month: str, hit: ScoredChunk) -> bool:
    """Whether the passage writes this month ("2014-10": "octobre 2014", "10/2014", "oct. 2014" not) of its year."""
    year, number = month[:4], int(month[5:7])
    folded = fold(hit.chunk.text)
    names = [name for name, n in MONTH_NUMBERS.items() if n == number]
    if any(re.search(rf"\b{re.escape(name)}\s+(?:{year})\b", folded) for name in names) or re.search(
        rf"\b\d{{1,2}}/0?{number}/{year}\b", folded
    ):
        return True
    # a day of that month in a programme of that year ("Jeudi 16 mai : Ibn Khaldoun avec Albert Memmi" in the
    # "programme des Rencontres Littéraires du premier semestre 2013")
    of_year = str(hit.chunk.meta.get(schema.DATE) or "")[:4] == year or re.search(rf"\b{year}\b", folded)
    return bool(of_year) and any(re.search(rf"\b\d{{1,2}}(?:er)?\s+{re.escape(name)}\b", folded) for name in names)


def _header_years(hit: ScoredChunk, preceding: Callable[[Chunk], Chunk | None] | None) -> set[str]:
    """The years of the last line writing one in the passage before `hit` on the same page: the header a table's
    rows at the top of `hit` inherit ("conditions de facturation ... pour l'année 2022," then, in the next passage,
    "Maintenir le prix des abonnements", "Eau : 45 € par an"). Empty when there is no such passage or line."""
    if preceding is None or hit.chunk.kind == schema.KIND_ARTICLE:
        return set()
    before = preceding(hit.chunk)
    page = hit.chunk.meta.get(schema.PAGE)
    if before is None or not page:
        return set()
    # (or on the page before, when it ends announcing what follows: "les tarifs suivants, applicables au 1er janvier
    # 2025 :" at the foot of page 1, the table at the top of page 2)
    ends = before.meta.get(schema.PAGE_END) or before.meta.get(schema.PAGE)
    announces = isinstance(page, int) and ends == page - 1 and before.text.rstrip().endswith(":")
    if page not in (before.meta.get(schema.PAGE), before.meta.get(schema.PAGE_END)) and not announces:
        return set()
    for part in reversed(sentences(before.text)):
        written = _years_in(part)
        if written:
            return written
    return set()


def _year_met(
    question: str,
    hit: ScoredChunk,
    years: set[str],
    idf: Callable[[str], float],
    met: set[str],
    header: set[str] | None = None,
) -> bool:
    """Whether the passage gives the question's fact for one of `years`. A line that names the question's topic
    (its rarest topic noun or name the passage uses) has a year of its own: the one it writes, or for a row of a
    list or table (a short line: "Amicale sportive 1220€") the one of the nearest line above that writes one
    ("Rappel des demandes 2019", "Redevance 2020"), or above the passage the `header` years (rag.refusal._header_years);
    a line ending in a colon gives its years to the line after it ("pour 2024 : … 78,4 % (76,1 % en 2023)").
    When every such line has a year and none is asked for, the passage gives another year's fact; otherwise its
    séance year or a year written in it must be one asked for."""
    anchor = _anchor(question, hit, idf, met)
    own: set[str] = set()
    undated = anchor is None
    if anchor is not None:
        above: set[str] = set(header or ())
        announced: set[str] = set()  # "Le rapport indique pour 2024 :" dates what follows it, whatever its length
        for part in sentences(hit.chunk.text):
            written = _heading_years(part)
            if _used(anchor, vocabulary(part)):
                dated = (written | announced) or (above if len(part.split()) <= ROW_WORDS else set())
                own |= dated
                undated = undated or not dated
            above = written or above
            announced = written if part.endswith(":") else set()
    if own & years:
        return True
    if own and not undated:
        return False
    written = _years_in(hit.chunk.text) | set(header or ())
    return str(hit.chunk.meta.get(schema.DATE) or "")[:4] in years or bool(years & written)


ROW_WORDS = 8  # a line of at most this many words is a row of a list or table
ROW_CHARS = 60  # a table row's length at most ("QF de 601 à 1 000 € 3,10 €"): `_table_head`


def _anchor(question: str, hit: ScoredChunk, idf: Callable[[str], float], met: set[str]) -> set[str] | None:
    """The stems of the question's rarest topic noun or name that the passage's text uses ("l'amicale sportive"
    -> "amical"), with their everyday synonyms; None when it uses none."""
    groups = synonym_groups(question)
    names = [stem for stem in name_stems(question) if stem not in met]
    nouns = [stem for stem in key_nouns(question) if stem not in met and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    used = vocabulary(hit.chunk.text)
    present = [stem for stem in dict.fromkeys(names + nouns) if _used(groups.get(stem, {stem}), used)]
    if not present:
        return None
    rarest = max(present, key=idf)
    return groups.get(rarest, {rarest})


def scope_stems(scope: Scope | None) -> set[str]:
    """The stems that name the question's scope (its communes, known or not, its period)."""
    if scope is None:
        return set()
    return set(scope.stems) | set(tokens(" ".join(scope.unknown_communes)))


def _names_together(
    question: str,
    top: list[ScoredChunk],
    excused: set[str],
    idf: Callable[[str], float],
    hits: list[ScoredChunk] | None = None,
    following: Callable[[Chunk], Chunk | None] | None = None,
) -> bool:
    """Whether one of the passages (text, title, headings, with the other retrieved passages of its record and the
    passage after it in its record: a table row often sits in the next passage, which the answer quotes too)
    names every rare name of the question that its scope does not ("la Caisse
    d'Epargne" and "la SERM"; "le Crédit Municipal" and "Nîmes"; "la rue de la Loge"): names are what a fact is of,
    and a passage that names only some of them is about a neighbour (another lender, another street). Common
    capitalised words ("la Ville") are no such names. The body a document is of (its commune, the head of its first
    page: "SMVA – Syndicat mixte de la Virèze") is named by each of its passages."""
    names = [stem for stem in name_stems(question) if stem not in excused and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    names = [stem for stem in names if stem not in spelt_acronyms(question, "\n".join(h.chunk.text for h in top))]
    if not names:
        return True
    for hit in top:
        record = [h.chunk for h in hits or [] if _same_record(h, hit)] or [hit.chunk]
        used = set().union(
            *(
                vocabulary(
                    f"{c.text} {c.meta.get(schema.TITLE, '')} {c.meta.get(schema.HEADING_PATH, '')} "
                    f"{c.meta.get(schema.COMMUNE) or ''} {c.meta.get(schema.HEAD) or ''}"
                )
                for c in record
            )
        )
        if all(_used({stem}, used) for stem in names):
            return True
        if following is None:
            continue
        used |= set().union(*(vocabulary(c.text) for c in _with_following(record, following)))
        if all(_used({stem}, used) for stem in names):
            return True
    return False


def _amount_beside_topic(
    question: str,
    top: list[ScoredChunk],
    hits: list[ScoredChunk],
    idf: Callable[[str], float],
    met: set[str],
    following: Callable[[Chunk], Chunk | None] | None = None,
    preceding: Callable[[Chunk], Chunk | None] | None = None,
) -> bool:
    """Whether an amount is written in one place of a top passage together with the rarest topic noun of the
    question that the passages use and its rare names they use ("la LPO"): the cost of the school's asbestos
    diagnosis is not the cats' campaign two lines up. In a compte rendu's item (a passage with item headings:
    "6.5.2 Panneau Pocket", "B/ ..."), one place is two consecutive sentences plus their item's heading; a
    deliberation is one place as a whole, with the other retrieved passages of its record (its amounts are its
    topic's, however far down they are written, the passage after each included). True when the passages use no
    topic noun or name."""
    groups = synonym_groups(question)
    nouns = [stem for stem in key_nouns(question) if stem not in met and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    # the record's metadata are part of it: its title, its commune (a Preuilly deliberation never writes "Preuilly")
    titles = [f"{hit.chunk.meta.get(schema.TITLE, '')} {hit.chunk.meta.get(schema.COMMUNE) or ''}" for hit in top]
    used = set().union(*(vocabulary(f"{hit.chunk.text} {title}") for hit, title in zip(top, titles, strict=True)))
    nouns = [stem for stem in nouns if _used(groups.get(stem, {stem}), used)]
    names = [
        {stem}
        for stem in name_stems(question)
        if stem not in met and idf(stem) >= tuning.TOPIC_NOUN_IDF and _used({stem}, used)
    ]
    if not nouns and not names:
        return True
    wanted = [groups.get(max(nouns, key=idf), {max(nouns, key=idf)})] if nouns else []
    wanted += names
    for hit, title in zip(top, titles, strict=True):
        parts = sentences(hit.chunk.text) or [""]
        # (a compte rendu's item going on from the passage before: "CIMETIÈRE – TARIFS" there, its table here)
        opening = _item_opening(hit.chunk, preceding)
        if not any(_ITEM_HEADING_RE.match(part) for part in parts):
            parts = [
                " ".join(c.text for c in _with_following([h.chunk for h in hits if _same_record(h, hit)], following))
            ]
        heading = ""
        for i, current in enumerate(parts):
            if _ITEM_HEADING_RE.match(current):
                heading = current  # "6.5.2 Panneau Pocket", "B/ Campagne de stérilisation des chats"
            window = f"{current} {parts[i + 1] if i + 1 < len(parts) else ''}"
            if gives(AMOUNT, window) and all(
                _used(stems, vocabulary(f"{window} {heading} {title}") | (opening if i < 2 else set()))
                for stems in wanted
            ):
                return True
    return False


def _with_following(record: list[Chunk], following: Callable[[Chunk], Chunk | None] | None) -> list[Chunk]:
    """The record's retrieved passages and, when `following` is given, the passage after each in the same record
    (a table announced at the end of a passage goes on there), in document order, each once."""
    chunks = {c.id: c for c in record}
    if following is None:
        return record
    for chunk in record:
        after = following(chunk)
        if after is not None and after.meta.get(schema.RECORD_INDEX) == chunk.meta.get(schema.RECORD_INDEX):
            chunks.setdefault(after.id, after)
    return sorted(chunks.values(), key=lambda c: c.meta.get(schema.CHUNK_INDEX) or 0)


def _same_record(a: ScoredChunk, b: ScoredChunk) -> bool:
    """Whether two passages belong to one record (a deliberation) of one document."""
    ka = (a.chunk.meta.get(schema.DOC_ID), a.chunk.meta.get(schema.RECORD_INDEX))
    kb = (b.chunk.meta.get(schema.DOC_ID), b.chunk.meta.get(schema.RECORD_INDEX))
    return a.chunk.id == b.chunk.id or (ka == kb and ka[0] is not None and ka[1] is not None)


# The heading of an item of a compte rendu: "3/ Subventions aux associations :", "6.5.2 Panneau Pocket", "B/ Campagne
# de stérilisation des chats" (short; a numbered row such as "1º D'arrêter ..." is not one).
_ITEM_HEADING_RE = re.compile(
    r"^(?!\d{1,2}\s+(?i:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre"
    r"|d[ée]cembre)\b)"  # not a date ("5 mars 2021" in a scanned page's header)
    r"(?:\d{1,2}(?:\.\d{1,2}){0,3}\s*/?|[A-Z]\s?/)\s+[^\W\d_].{0,70}$"
)


def on_topic(
    question: str, top: list[ScoredChunk], idf: Callable[[str], float], met: set[str], *, local: bool = False
) -> list[ScoredChunk]:
    """The passages that use every topic noun of the question that the passages use at all (in their text,
    title or headings, or the head of their document that names its body): where the fact asked for can be. An amount in the passage on the school's pupils does
    not give the price of the school's screen rental; a question on one commune's fact is not answered by the
    law (`local`)."""
    groups = synonym_groups(question)
    asked = asked_nouns(question)  # "avec quel promoteur": the kind of answer, named by the answer, not by the text
    named = [stem for stem in key_nouns(question) if stem not in met and stem not in asked]
    nouns = [stem for stem in named if idf(stem) >= tuning.TOPIC_NOUN_IDF] or sorted(named, key=idf)[-1:]
    hits = [hit for hit in top if not (local and hit.chunk.kind == schema.KIND_ARTICLE)]
    # (the head of a passage's document names the body it is of: "l'office public de l'habitat" of its every record)
    used = [
        vocabulary(
            f"{h.chunk.text} {h.chunk.meta.get(schema.TITLE, '')} {h.chunk.meta.get(schema.HEADING_PATH, '')} "
            f"{h.chunk.meta.get(schema.HEAD) or ''}"
        )
        for h in hits
    ]
    nouns = [stem for stem in nouns if any(_used(groups.get(stem, {stem}), stems) for stems in used)]
    # A record is one decision: a row of its table ("2831 Aéroclub de l'Hérault ... 3 000 €") is about the topic its
    # opening names ("Associations sportives, attribution de subventions"), in another passage of the record.
    record_used = [
        stems.union(*(other for h, other in zip(hits, used, strict=True) if h is not hit and _same_record(h, hit)))
        for hit, stems in zip(hits, used, strict=True)
    ]
    return [
        hit
        for hit, stems in zip(hits, record_used, strict=True)
        if all(_used(groups.get(stem, {stem}), stems) for stem in nouns)
    ]


# A question that asks for the legal source itself ("quelle loi", "que dit le code", "base légale").
# A question about the text a local act relies on ("sur quelle loi s'appuie la délibération de juin 2013",
# "selon quel article de ses statuts"): the act itself writes it.
_LOCAL_ACT_RE = re.compile(r"\b(?:deliberation|statuts?|convention|contrat|marche|reglement interieur)\b")
# A reference to a text: "loi n° 2012-1189", "l'article 15 de ses statuts", "article L2121-29", "décret du ..."
_TEXT_REFERENCE_RE = re.compile(
    r"\b(?:loi|decret|ordonnance|arrete|article|code)s?\b[^.;:]{0,30}?(?:\bn\s*[o°]?\s*\d|\b[lrd]?\.?\s?\d)",
)


def _reference_in_record(
    question: str, top: list[ScoredChunk], scope: Scope | None, idf: Callable[[str], float]
) -> bool:
    """Whether a question on the text a local act relies on (it names the act, or a period: `_LOCAL_ACT_RE`) has
    its answer in a council passage on its topic that writes such a reference ("dans le cadre de la loi n°
    2012-1189"): the act answers, not the law's own articles."""
    folded = fold(question)
    period = scope is not None and bool(scope.years or scope.month or scope.date) and not scope.missing_label()
    if not (period or _LOCAL_ACT_RE.search(folded)):
        return False
    council = [hit for hit in top if hit.chunk.kind != schema.KIND_ARTICLE]
    met = set(scope.stems) if scope is not None else set()
    return any(_TEXT_REFERENCE_RE.search(fold(hit.chunk.text)) for hit in on_topic(question, council, idf, met))


LAW_SOURCE_RE = re.compile(
    r"\b(?:quel(?:le)?s? (?:loi|texte|article|regle legale|disposition legale|base legale|code)"
    r"|que (?:dit|prevoit) (?:la loi|le code|la reglementation)|(?:regle|base|obligation|cadre) legale?"
    r"|(?:d'apres|selon|aux termes d[eu]) (?:la loi|le code|la reglementation))\b"  # "D'après le code de l'action sociale"
)
# A question about a sum of money: passages with no amount in them cannot answer it.
MONEY_RE = re.compile(
    r"\b(?:combien (?:coute|coutent|paie|paye|paient|rapporte|rembourse|verse)|prix|tarifs?|montant|cout"
    r"|subventions?|loyer|salaire|redevance|cotisation|indemnites?|euros?)\b"
)
# A question about when a séance ended, answered only by an hour in a sentence that says it ended ("La séance est
# levée à 22h15"), not by the opening's "à vingt heures".
END_QUESTION_RE = re.compile(r"\b(?:levee?s?|clos|close|cloture|fin|termine(?:e|s)?|achevee?)\b")
END_SENTENCE_RE = re.compile(r"\b(?:lev|(?<!huis )clos|clotur|fin\b|termin|achev)", re.IGNORECASE)  # not "à huis clos"


def _hour_given(question: str, text: str) -> bool:
    """Whether the text writes an hour, and for a question on the end of a séance, an hour in a sentence on its end."""
    if not END_QUESTION_RE.search(fold(question)):
        return bool(HOUR_RE.search(text))
    return any(HOUR_RE.search(part) and END_SENTENCE_RE.search(fold(part)) for part in sentences(text))


# A question about a rate, answered only by a percentage.
RATE_RE = re.compile(r"\b(?:quel(?:le)?s? (?:est (?:le|la) )?(?:taux|pourcentage)|a quel taux)\b")
PERCENT_RE = re.compile(r"\d\s?%|\bpour ?cent\b", re.IGNORECASE)
# A year written in a passage; not the year of a deliberation number ("2021-051", "2014/137").
_YEAR_RE = re.compile(r"(?<![\d/-])(?:19|20)\d{2}(?!\d|\s?[-/]\s?\d{1,3}\b)" + NOT_A_YEAR)  # not "2000 €"
_YEAR_SPAN_RE = re.compile(r"(?<![\d/-])((?:19|20)\d{2})\s?[-/]\s?((?:19|20)\d{2})(?!\d)")


_DAY_WORDS = "|".join(word for word, value in NUMBER_WORDS.items() if 1 < value <= 30)
# Numbers of a question that name no topic of their own: dates ("le 7 octobre 2022", "mars 2021", "07/10/2022"),
# populations ("3 500 habitants"), article, deliberation and other reference numbers ("L. 2121-17", "n° 12",
# "2020-045", "M57"); rag.scope reads them.
_NOT_TOPIC_NUMBER_RE = re.compile(
    rf"\b(?:1er|\d{{1,2}})\s+(?:{MONTH_PATTERN})(?:\s+(?:19|20)\d{{2}})?|\b(?:{MONTH_PATTERN})\s+(?:19|20)\d{{2}}"
    rf"|\b(?:premier|{_DAY_WORDS})(?:[ -](?:et[ -])?(?:{_DAY_WORDS}))*\s+(?:{MONTH_PATTERN})\b"  # "au quinze octobre"
    rf"|\b(?:{_DAY_WORDS})(?:[ -](?:et[ -])?(?:{_DAY_WORDS}))*\s+heures\s+(?:{_DAY_WORDS})(?:[ -](?:et[ -])?(?:{_DAY_WORDS}))*"  # "vingt-deux heures quinze"
    r"|\b\d{1,2}/\d{1,2}/\d{2,4}|\d[\d \u00a0\u202f]*\s*habitants|\b(?:n(?:o|°)?\.?\s?°?|numero)\s?\d+\b"
    r"|(?<!\d)(?:19|20)\d{2}\s?[-/]\s?\d{1,3}(?!\d)|\b(?:[lrdo]{1,2}\.\s?|[a-z]{1,6})\d+(?:-\d+)*"
    r"|\b\d+[a-z]+\d[\w-]*"  # a code opening on digits: "le marché 1M485-125" counts nothing
    # a figure the asker rounds ("le maire parle d'environ 29 euros"): the text writes the exact one, not this
    r"|\b(?:environ|a peu pres|approximativement|quelque|autour de|pres de)\s+\d[\d \u00a0\u202f]*(?:[.,]\d+)?"
)
_NUMBER_RE = re.compile(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:[.,]\d+)?")
_ARTICLES = {"un", "une"}
_ORDINAL_RE = re.compile(r"(?:er|ere|re|e|eme|ieme|nd|nde|d|de)")  # "1er", "1ère", "2e", "2ème", "2nd" (folded)


def _numbers(text: str, *, words: bool = True) -> set[str]:
    """The numbers written in `text`, normalised: "2 500" -> "2500", "5,80" -> "5.8", "03" -> "3", and with
    `words` the numbers written in words ("trois" -> "3"; "un", "une" are left out: mostly the article)."""
    found: set[str] = set()
    for match in _NUMBER_RE.finditer(text):
        value = re.sub(r"[ \u00a0\u202f]", "", match.group()).replace(",", ".")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value.lstrip("0") or "0")
    if words:
        # "trois jours"; not "un" / "une", which are mostly the article ("pour un montant" counts nothing)
        found |= {
            str(NUMBER_WORDS[w]) for w in re.findall(r"[a-z]+", fold(text)) if w in NUMBER_WORDS and w not in _ARTICLES
        }
    return found


def described_counts(question: str) -> set[str]:
    """The counts a question writes in words after a definite determiner, as digits: "des trois taxes locales",
    "les deux écoles", "ses quatre adjoints" describe the things asked about, which the documents list without
    counting them; they ask for no number ("une concession de trente ans" does: its determiner is indefinite).

    >>> sorted(described_counts("Montpellier 2013 : quel produit fiscal attendu des trois taxes locales ?"))
    ['3']
    >>> described_counts("Combien coûte une concession de trente ans ?")
    set()
    """
    return {str(NUMBER_WORDS[m.group(1)]) for m in _DESCRIBED_COUNT_RE.finditer(fold(question))}


# A count in words after a definite determiner (on folded text): "des trois taxes", "les deux lots", "aux quatre ecoles"
_DESCRIBED_COUNT_RE = re.compile(
    r"\b(?:les|des|ces|ses|leurs|nos|vos|aux)\s+(deux|trois|quatre|cinq|six|sept|huit|dix|onze|douze)\s+[a-z]"
)


def question_numbers(question: str) -> dict[str, str | None]:
    """The numbers a question names about its topic, each with the word that says what it counts ("le lot 3",
    "une concession de 50 ans", "la saison 2013/2014"; None when no word sits beside it: "en 2012").

    >>> question_numbers("Combien coûte une concession de 50 ans au cimetière le 7 octobre 2022 ?")
    {'50': 'an'}
    >>> question_numbers("Quel était le minimum annuel du marché 1M485-125 ?")
    {}
    >>> question_numbers("Quel prix pour une concession de quinze ans au cimetière ?")
    {'15': 'an'}
    >>> question_numbers("Combien paiera-t-il par jour en 2025, avant les aides ?")
    {'2025': None}
    >>> question_numbers("Le maire parle d'environ 29 euros : de combien augmente la facture ?")
    {}
    >>> _numbers(_NOT_TOPIC_NUMBER_RE.sub(" ", "inscription au quinze octobre, séance levée à vingt-deux heures quinze"))
    set()
    """
    folded = _NOT_TOPIC_NUMBER_RE.sub(" ", fold(question))
    numbers: dict[str, str | None] = {}
    for match in _NUMBER_RE.finditer(folded):
        value = next(iter(_numbers(match.group(), words=False)))
        if value == "0":
            continue
        # (a comma or a colon ends what a number is of: "en 2025, avant les aides")
        head = re.split(r"[,;:?!()]", folded[: match.start()])[-1]
        before = [w for w in re.findall(r"[a-z]+", head)[-1:] if not _IMPERFECT_RE.search(w)]
        after = re.findall(r"[a-z]+", re.split(r"[,;:?!()]", folded[match.end() :], maxsplit=1)[0])[:2]
        if after and _ORDINAL_RE.fullmatch(after[0]) and folded[match.end() : match.end() + 1].isalpha():
            after = after[1:]  # "au 1er semestre": the semester is what 1 counts, "er" is no word
            before = []
        after = after[:1]
        unit = [stem for word in before for stem in tokens(word) if stem not in _NOT_NOUNS] or [
            stem for word in after for stem in tokens(word) if stem not in _NOT_NOUNS
        ]
        numbers.setdefault(value, unit[0] if unit else None)
    for match in _WORDED_MEASURE_RE.finditer(folded):  # "une concession de quinze ans": 15 years
        numbers.setdefault(str(NUMBER_WORDS[match.group(1)]), next(iter(tokens(match.group(2))), None))
    return numbers


# A duration or a measure written in words ("de quinze ans", "trente jours"), on folded text: a number asked, not the
# article "un" nor a count of things described ("les deux écoles": described_counts)
_WORDED_MEASURE_RE = re.compile(
    r"\b(?<!-)(deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt|trente|"
    r"quarante|cinquante|soixante|cent)(?!-)\s+(ans|annees|mois|jours|semaines|heures|minutes|euros|metres|kilometres|"
    r"litres|places)\b"
)


# A verb in the imperfect or the conditional ("réclamait 55 000 €", "coûterait 3 000 €") says nothing of what a number
# counts; not the nouns ending so ("un forfait de", "le souhait")
_IMPERFECT_RE = re.compile(
    r"^(?!(?:forfait|souhait|portrait|extrait|retrait|attrait|bienfait)s?$)[a-z]{3,}(?:ait|aient)$"
)
_MILLIONS_RE = re.compile(r"(\d)\s*M\s?€")


def _numbers_met(
    question: str,
    top: list[ScoredChunk],
    idf: Callable[[str], float],
    met: set[str],
    header_of: Callable[[ScoredChunk], set[str]] | None = None,
    *,
    described: set[str] | None = None,
) -> bool:
    """Whether every number the question names (less the `described` counts: `described_counts`) is written in one place of a passage (two consecutive
    sentences) with the word that says what it counts or with one of the question's rarer nouns ("la saison
    2013/2014" is not answered by "saison 2011/2012"; "14 élus ... le quorum" is by "Présents 14 - le quorum
    étant atteint"), or is the year of the séance of a passage on the question's topic, or a year with no word of its
    own ("pour 2022") that the passage's header gives (`header_of`, `_header_years`: "pour l'année 2022," ending the passage
    before, on the same page, then the rows "Maintenir le prix des abonnements", "Eau : 45 € par an"). A unit
    ("le prix du m3") says what a value is counted in, not what it is of: it is no topic word."""
    # ("Montpellier 2013 : ...": the commune the question is scoped to says where, not what the year counts)
    wanted = {
        number: None if unit in met else unit
        for number, unit in question_numbers(question).items()
        if number not in (described or set())
    }
    if not wanted:
        return True
    groups = synonym_groups(question)
    asked = set(tokens(question))  # (not a word kept whole: its stem is there)
    # "quelle quantité ... en 2023": a word for the value asked, not what the year is of ("l'excédent 2021" is)
    kind = asked_nouns(question) & _VALUE_WORDS
    kind |= {stem for m in _MODAL_INFINITIVE_RE.finditer(question) for stem in tokens(m.group(1))}  # "vais-je payer"
    content = [
        stem
        for stem in groups
        if stem in asked
        and stem not in met
        and stem not in kind
        and not stem.isdigit()
        and stem not in _NOT_NOUNS
        and stem not in NUMBER_WORDS
    ]  # "les trois représentants": "trois" says how many, it is not the topic
    topic = [stem for stem in content if stem not in UNIT_STEMS]
    nouns = [stem for stem in key_nouns(question) if stem in content and idf(stem) >= tuning.TOPIC_NOUN_IDF]
    rare = [stem for stem in content if idf(stem) >= tuning.TOPIC_NOUN_IDF]
    if topic != content and not (nouns or [stem for stem in rare if stem in topic]):
        # "le prix du m3 d'eau assainie ... pour 2022": m3 is the price's unit (a scan may lose its "3"), the
        # year is met beside any other word of the question
        anchors = topic
    else:
        # no rare noun: the rarest noun or name of the question says what the number is of ("la subvention ... à
        # l'association FISE en 2014"), not a rarer verb or qualifier ("paie", "en argent")
        named = [stem for stem in key_nouns(question) + name_stems(question) if stem in content]
        anchors = nouns or sorted(named, key=idf)[-1:] or rare or sorted(content, key=idf)[-1:]

    def holds(text: str, stems: list[str]) -> bool:
        text = _MILLIONS_RE.sub(r"\1 millions €", text)  # "5M€" is "5 millions d'euros"
        used = set(tokens(re.sub(r"\d", " ", text))) | set(tokens(text))  # "50ANS" holds "an", "le m3" holds "m3"
        used |= spelled_acronyms(text)  # "la DRAC": "Direction Régionale des Affaires Culturelles"
        used |= spelt_acronyms(question, text)  # "l'APA": "allocation personnalisée d'autonomie"
        return not stems or any(_used(groups.get(stem, {stem}), used) for stem in stems)

    def placed(number: str, unit: str | None, hit: ScoredChunk) -> bool:
        text = hit.chunk.text
        if str(hit.chunk.meta.get(schema.DATE) or "")[:4] == number and holds(
            f"{text} {hit.chunk.meta.get(schema.TITLE, '')}", anchors
        ):
            return True
        # a year with no word of its own written in the passage's title ("Report d'affectation de subventions votées en
        # 2012"): the table's rows below are of that year
        heading = f"{hit.chunk.meta.get(schema.TITLE, '')} {hit.chunk.meta.get(schema.HEADING_PATH, '')}"
        if unit is None and number in _years_in(heading) and holds(f"{text} {heading}", anchors):
            return True
        text = _SPAN_WORD_RE.sub(lambda m: f"{m.group(0)} ({_SPAN_WORDS[m.group(0).lower()]} ans)", text)
        text = worded_years(text)
        parts = sentences(text) or [""]
        title = str(hit.chunk.meta.get(schema.TITLE, "")) if hit.chunk.meta.get(schema.RECORD_INDEX) is not None else ""
        # (a table row reads with its column heads and the sentence announcing it, for its words only: its numbers
        # and its band are its own)
        windows = (
            (f"{current} {parts[i + 1] if i + 1 < len(parts) else ''}", _table_head(parts, i))
            for i, current in enumerate(parts)
        )
        if any(
            (
                number
                in _numbers(
                    _NOT_TOPIC_NUMBER_RE.sub(" ", _NUMBERED_RE.sub(" ", _GLUED_NUMBER_RE.sub(r"\1 \2", fold(w))))
                )
                or (unit is None and number in _years_in(w))
                or number in _years_in(head)  # a row under the column heads "2022 2023"
                # "un quotient de 700 €": "QF de 501 € à 800 €"; "9 mètres": "De 8 m à 9,99 m"
                or asked_in_range(question, w, bare=True)
            )  # a year asked may be a date's: "acquis ... en novembre 2007"
            # (a number with no word of its own, a year most often, is of what the record's title names: "Année
            # scolaire 2012/2013" in a record titled "Demande de subvention à la Direction Régionale des Affaires ...")
            and (
                holds(f"{head} {w} {title}", anchors)
                if not unit
                else holds(w, [unit]) or _symbol_written(unit, w) or bool(anchors) and holds(f"{head} {w}", anchors)
            )
            for w, head in windows
        ):
            return True
        # the rows of a list announced by a sentence writing the year ("les tarifs applicables au 1er janvier 2025. Le
        # comité propose de retenir les tarifs suivants :" and the table below; not any colon near a year: "le compte
        # administratif de l'année deux mille vingt-quatre ... les subventions suivantes : au comité des fêtes")
        if unit is None and any(
            window.rstrip().endswith(":") and number in _years_in(window) and holds(" ".join(parts[i:]), anchors)
            for i, window in enumerate(
                f"{current} {parts[i + 1] if i + 1 < len(parts) else ''}" for i, current in enumerate(parts)
            )
        ):
            return True
        # the rows of a table on the question's topic, under a header writing the year (unless the passage writes a
        # year of its own above them: "L'an deux mille vingt-cinq, le onze avril" opens another séance of a register)
        if unit is None and header_of is not None and holds(text, anchors) and number in header_of(hit):
            above = list(itertools.takewhile(lambda part: not holds(part, anchors), parts))
            return not _years_in(" ".join(above))
        return False

    return all(any(placed(number, unit, hit) for hit in top) for number, unit in wanted.items())


# The symbols a unit is written with beside a number in a table: "9 mètres" is met by "De 8,00 m à 9,99 m".
_UNIT_SYMBOLS = {
    "metr": re.compile(r"\d\s?m\b"),
    "kilometr": re.compile(r"\d\s?km\b"),
    "kilo": re.compile(r"\d\s?kg\b"),
    "kilogramm": re.compile(r"\d\s?kg\b"),
    "tonn": re.compile(r"\d\s?t\b"),
    "euro": re.compile(r"\d\s?€"),
}


def _symbol_written(unit: str, text: str) -> bool:
    """Whether the text writes a number with the symbol of this unit (a stem: "metr")."""
    symbol = _UNIT_SYMBOLS.get(unit)
    return bool(symbol and symbol.search(fold(text)))


def _table_head(parts: list[str], index: int) -> str:
    """The lines a table row of `parts` reads under: the column heads and the sentence announcing the table, above
    the rows before it ("... une tarification au quotient familial ... le barème suivant :", "Quotient familial Prix
    du repas enfant", then "QF ≤ 600 € 1,90 €", "QF de 601 à 1 000 € 3,10 €"). Empty for a sentence that is no row.

    >>> parts = ["Le barème au quotient familial :", "Quotient Prix", "QF ≤ 600 € 1,90 €", "QF de 601 à 1 000 € 3,10 €"]
    >>> _table_head(parts, 3), _table_head(parts, 0)
    ('Le barème au quotient familial : Quotient Prix', '')
    """

    def row(part: str) -> bool:
        return len(part) <= ROW_CHARS and any(c.isdigit() for c in part)

    if not row(parts[index]):
        return ""
    start = index
    while start > 0 and row(parts[start - 1]):
        start -= 1
    head = parts[max(0, start - 2) : start]
    if len(head) == 2 and len(head[1]) > ROW_CHARS:
        head = head[1:]  # (the announcing sentence right above the rows: no column heads)
    return " ".join(head)


_VALUE_WORDS = set(tokens("quantité montant somme nombre valeur total chiffre volume niveau part proportion"))
# A span in one word: "une concession cinquantenaire" lasts 50 years
_SPAN_WORDS = {"quinzenaire": 15, "trentenaire": 30, "cinquantenaire": 50, "centenaire": 100}
_SPAN_WORD_RE = re.compile(r"\b(?:" + "|".join(_SPAN_WORDS) + r")\b", re.IGNORECASE)
# The verb after an inverted modal ("combien vais-je payer", "peut-on construire"): an act, not what a number is of
_MODAL_INFINITIVE_RE = re.compile(
    r"\b\w+[ -](?:t[ -])?(?:je|on|il|elle|ils|elles|nous|vous)\s+(\w+(?:er|ir|re))\b", re.IGNORECASE
)


# "n° 1" in a passage: the number itself ("le lot n° 1 du marché" is the question's "lot 1"), on folded text
_NUMBERED_RE = re.compile(r"\b(?:n(?:o|°)?\.?\s?°?|numero)\s?(?=\d)")
# A name glued to its number ("OCCE34", "CDG30"): the question writes "l'OCCE 34".
_GLUED_NUMBER_RE = re.compile(r"\b([a-z]{3,})(\d{2,3})\b")


def _titled_other_year(chunk: Chunk, years: set[str]) -> bool:
    """Whether a record's title names the year it is for, another than those asked: the "Grille tarifaire applicable
    au 1er janvier 2024" voted in November 2023 is no answer for the 2023 tariff.

    >>> objet = "Redevance incitative – Grille tarifaire applicable au 1er janvier 2024"
    >>> chunk = Chunk("x", "120 litres 152,00 €", {schema.OBJET: objet, schema.RECORD_INDEX: 0})
    >>> _titled_other_year(chunk, {"2023"}), _titled_other_year(chunk, {"2024"})
    (True, False)
    """
    if chunk.meta.get(schema.RECORD_INDEX) is None:
        return False
    named = _years_in(str(chunk.meta.get(schema.OBJET) or ""))  # (not its title: its number is no year)
    return bool(named) and not named & years


_DAY_DATE_RE = re.compile(rf"\b(?:\d{{1,2}}|1er)\s+(?:{MONTH_PATTERN})\s+((?:19|20)\d{{2}})\b")


def _heading_years(text: str) -> set[str]:
    """The years a line gives what it states (or the rows it announces): those it writes, less the years of its full
    dates when it writes another year too ("sur la base de la coupe GIR du 14 mars 2024, ... les tarifs suivants pour
    2025 :" is 2025).

    >>> sorted(_heading_years("la coupe GIR du 14 mars 2024, les tarifs suivants pour 2025 :"))
    ['2025']
    >>> sorted(_heading_years("les tarifs applicables au 1er janvier 2025 :"))
    ['2025']
    """
    written = _years_in(text)
    dated = set(_DAY_DATE_RE.findall(fold(text)))
    return written - dated if written - dated else written


def _years_in(text: str) -> set[str]:
    """The years a passage writes: "en 2019", both years of "2020-2021", "l'année deux mille vingt-quatre" (a
    register); not "2021-051" (a deliberation)."""
    text = worded_years(text)
    return set(_YEAR_RE.findall(text)) | {year for span in _YEAR_SPAN_RE.findall(text) for year in span}


# A year written in words, as a register writes it: "l'an deux mille vingt-cinq", "de l'année deux mille vingt-quatre"
# (after what introduces a year: "l'an", "l'année", "l'exercice", "en", a month; "deux mille cinq cents euros" is none)
_NUMBER_WORDS_RE = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_WORDED_YEAR_RE = re.compile(
    r"(?:\bl['’]an|\bann[ée]e|\bexercice|\ben|\b(?:janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre"
    r"|octobre|novembre|d[ée]cembre))\s+deux[\s-]mille"
    rf"(?P<rest>(?:[\s-]+(?:et[\s-]+)?(?:{_NUMBER_WORDS_RE})\b){{0,4}})"
    rf"(?![\s-]+(?:et[\s-]+)?(?:cents?|mille|euros?|{_NUMBER_WORDS_RE})\b|\s*€)",
    re.IGNORECASE,
)


def worded_years(text: str) -> str:
    """The text with each year written in words followed by its digits, for the checks that look for a year.

    >>> worded_years("le compte administratif de l'année deux mille vingt-quatre, qui")
    "le compte administratif de l'année deux mille vingt-quatre (2024), qui"
    >>> worded_years("l'an deux mille, deux mille cinq cents euros")
    "l'an deux mille (2000), deux mille cinq cents euros"
    """

    def digits(match: re.Match[str]) -> str:
        rest = match.group("rest").strip(" -")
        value = number_from_words(rest) if rest else 0
        if value is None or not 0 <= value < 100:
            return match.group(0)
        return f"{match.group(0)} ({2000 + value})"

    return _WORDED_YEAR_RE.sub(digits, text) if "mille" in text.lower() else text
