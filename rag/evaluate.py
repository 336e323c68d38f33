"""Evaluation of retrieval and answers on a gold set of questions (JSONL).

Each line: question, kind, gold_articles, gold_docs [{path, pages, delib_id}], expected, evidence, and
optionally key_facts (strings that must all appear in the answer) and key_facts_any (at least one must).
A hit matches a gold document when the file names agree (sources are relative to the folder that was
ingested, gold paths to the corpus root), and a gold article when the article numbers agree; a line with
`gold_refs` ([{code, article}], the Service-Public gold) also needs the code to agree (CGCT L211-2 is
not CRPA L211-2).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from rag.answer import quote_parts
from rag.errors import ConfigError
from rag.french import NUMBER_WORDS, fold
from rag.schema import CODE, Answer, ScoredChunk

KS = (1, 5, 10)


@dataclass(frozen=True, slots=True)
class GoldQuestion:
    id: str
    question: str
    kind: str
    gold_articles: list[str]
    gold_docs: list[dict[str, Any]]
    expected: str | None
    evidence: str | None
    key_facts: list[str] = field(default_factory=list)
    key_facts_any: list[str] = field(default_factory=list)
    gold_refs: frozenset[tuple[str, str]] = frozenset()  # (code, article) when the code matters
    split: str = ""  # "dev" / "test" where the gold set has one

    @property
    def absent(self) -> bool:
        return not self.gold_articles and not self.gold_docs


def load_gold(path: Path) -> list[GoldQuestion]:
    questions: list[GoldQuestion] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            questions.append(
                GoldQuestion(
                    id=str(row.get("id", number)),
                    question=row["question"],
                    kind=row.get("kind", "other"),
                    gold_articles=list(row.get("gold_articles") or []),
                    gold_docs=list(row.get("gold_docs") or []),
                    expected=row.get("expected"),
                    evidence=row.get("evidence"),
                    key_facts=_strings(row, "key_facts"),
                    key_facts_any=_strings(row, "key_facts_any"),
                    gold_refs=frozenset((str(r["code"]), str(r["article"])) for r in row.get("gold_refs") or []),
                    split=str(row.get("split") or ""),
                )
            )
        except (KeyError, TypeError, json.JSONDecodeError) as e:
            raise ConfigError(f"{path}, ligne {number} : question mal formée ({e}).") from e
    return questions


def _strings(row: dict[str, Any], key: str) -> list[str]:
    values = row.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise TypeError(f"{key} doit être une liste de textes non vides")
    return list(values)


def _name(path: str) -> str:
    return PurePosixPath(path).name


def hit_matches(hit: ScoredChunk, gold: GoldQuestion, *, page_level: bool) -> bool:
    article = hit.chunk.article
    right_code = not gold.gold_refs or (str(hit.chunk.meta.get(CODE, "")), article) in gold.gold_refs
    if article and article in gold.gold_articles and right_code:
        return True
    source_name = _name(hit.chunk.source)
    for doc in gold.gold_docs:
        if _name(str(doc.get("path", ""))) != source_name:
            continue
        if not page_level or not doc.get("pages"):
            return True
        start = hit.chunk.page
        end = int(hit.chunk.meta.get("page_end") or start)
        if any(start <= int(p) <= end for p in doc["pages"]):
            return True
    return False


def first_rank(hits: list[ScoredChunk], gold: GoldQuestion, *, page_level: bool) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if hit_matches(hit, gold, page_level=page_level):
            return rank
    return None


@dataclass(slots=True)
class QuestionResult:
    id: str
    kind: str
    rank_doc: int | None
    rank_page: int | None
    article_rank1: bool | None
    refused: bool | None
    absent: bool
    fact_found: bool | None
    key_fact_found: bool | None
    citation_precision: float | None
    search_ms: float
    answer_ms: float | None
    top: list[str] = field(default_factory=list)
    refusal_reason: str | None = None  # the check that refused (rag.refusal), when refused


def _fact_words(text: str) -> list[str]:
    """Folded words with number words as digits and French number formats unified ("2 500,00" -> "2500")."""
    text = fold(text)
    text = re.sub(r"(?<=\d)[ .](?=\d{3}\b)", "", text)  # thousands separators
    text = re.sub(r"(?<=\d),(?=\d)", ".", text).replace("€", " euros ")
    words = re.findall(r"[a-z]+|\d+(?:\.\d+)?", text)
    return [str(NUMBER_WORDS[w]) if w in NUMBER_WORDS else w for w in words]


def _fact_in(text: str, expected: str | None) -> bool | None:
    """Whether the answer states the expected fact: all its significant words (numbers first) appear."""
    if not expected:
        return None
    haystack = set(_fact_words(text))
    haystack |= {w.rstrip("0").rstrip(".") for w in haystack if "." in w}
    words = [w for w in _fact_words(expected) if len(w) > 3 or w[0].isdigit()]
    numbers = [w for w in words if w[0].isdigit()]
    needed = numbers or words  # a fact with numbers is judged on its numbers
    return bool(needed) and all(w in haystack or w.rstrip("0").rstrip(".") in haystack for w in needed)


# "1 250 000" (after fold, no-break spaces are plain): a number opens with one to three digits that do not end a
# decimal part or a longer number, then groups of three; "300 000,00 760 683,10" (two table cells) stays two numbers
_SPACED_NUMBER = re.compile(r"(?<![\d,.])\d{1,3}(?: \d{3})+(?!\d)")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_DOT_THOUSANDS = re.compile(r"\b\d{1,3}(?:\.\d{3})+(?=,\d)")  # "7.650,76": points group thousands
_ZERO_CENTS = re.compile(r"(?<=\d)\.00(?!\d)")


def normalize_fact(text: str) -> str:
    """Text as key facts are compared: folded (no accents, lower case), "€" spelt "euros", spaces inside
    numbers removed ("7.650,76" too), decimal commas made points, ",00" cents dropped, whitespace collapsed.

    >>> normalize_fact("2 500,00 €") == normalize_fact("2500 euros") == normalize_fact("2\u00a0500 €")
    True
    >>> normalize_fact("2,65 €"), normalize_fact("7.650,76 €") == normalize_fact("7 650,76 €")
    ('2.65 euros', True)
    >>> normalize_fact("Élu à l'unanimité ; 13 pour")
    "elu a l'unanimite ; 13 pour"
    >>> normalize_fact("la délibération n°2020-17")
    'la deliberation n 2020-17'
    >>> normalize_fact("300 000,00  760 683,10")  # two cells of a table row
    '300000 760683.10'
    """
    text = fold(text.replace("€", " euros ").replace("°", " "))  # "n°2020-17" holds "2020-17"
    text = " ".join(text.split())
    text = _SPACED_NUMBER.sub(lambda m: m.group().replace(" ", ""), text)
    text = _DOT_THOUSANDS.sub(lambda m: m.group().replace(".", ""), text)
    text = _DECIMAL_COMMA.sub(".", text)
    return _ZERO_CENTS.sub("", text)


def _contains(haystack: str, fact: str) -> bool:
    """Whether the normalised fact occurs in the normalised haystack, not inside a longer word or number."""
    needle = normalize_fact(fact)
    if not needle:
        return False
    pattern = re.escape(needle)
    if needle[0].isalnum():
        pattern = r"(?<![a-z0-9])" + pattern
    if needle[-1].isalnum():
        pattern += r"(?![a-z0-9])"
    return re.search(pattern, haystack) is not None


def key_fact_in(text: str, key_facts: list[str], key_facts_any: list[str] | None = None) -> bool | None:
    """Whether an answer states the question's key fact: every string of `key_facts` and at least one of
    `key_facts_any` (when given) appear in it, after `normalize_fact`. None when the question has none.

    >>> key_fact_in("Subvention de 2\u00a0500,00 € (13 pour, 2 contre) [1]", ["2500 €", "13 pour"])
    True
    >>> key_fact_in("113 pour", ["13 pour"])
    False
    >>> key_fact_in("M. Durand est désigné", [], ["Mme Martin", "M. DURAND"])
    True
    >>> key_fact_in("Aucun document", []) is None
    True
    """
    alternatives = key_facts_any or []
    if not key_facts and not alternatives:
        return None
    haystack = normalize_fact(text)
    return all(_contains(haystack, f) for f in key_facts) and (
        not alternatives or any(_contains(haystack, f) for f in alternatives)
    )


def evaluate(
    questions: list[GoldQuestion],
    *,
    search: Callable[[str], list[ScoredChunk]],
    ask: Callable[[str], Answer] | None = None,
    k: int = 10,
) -> list[QuestionResult]:
    results: list[QuestionResult] = []
    for gold in questions:
        started = time.perf_counter()
        hits = search(gold.question)[:k]
        search_ms = (time.perf_counter() - started) * 1000
        refused = fact = key_fact = precision = None
        answer_ms = None
        reason: str | None = None
        if ask is not None:
            started = time.perf_counter()
            answer = ask(gold.question)
            answer_ms = (time.perf_counter() - started) * 1000
            refused = not answer.found
            reason = (answer.refusal_reason or "other") if refused else None
            if not gold.absent:
                fact = _fact_in(answer.text, gold.expected)
                key_fact = key_fact_in(answer.text, gold.key_facts, gold.key_facts_any)
            if answer.citations:
                good = sum(
                    1
                    for c in answer.citations
                    if all(_squash(q) in _squash(c.chunk.text) for q in quote_parts(c.quote))
                )
                precision = good / len(answer.citations)
        article_rank1 = None
        if gold.kind == "article_ref" and gold.gold_articles:
            article_rank1 = bool(hits) and hits[0].chunk.article in gold.gold_articles
        results.append(
            QuestionResult(
                id=gold.id,
                kind=gold.kind,
                rank_doc=None if gold.absent else first_rank(hits, gold, page_level=False),
                rank_page=None if gold.absent else first_rank(hits, gold, page_level=True),
                article_rank1=article_rank1,
                refused=refused,
                absent=gold.absent,
                fact_found=fact,
                key_fact_found=key_fact,
                citation_precision=precision,
                search_ms=search_ms,
                answer_ms=answer_ms,
                top=[h.chunk.article or f"{_name(h.chunk.source)}#p{h.chunk.page}" for h in hits[:5]],
                refusal_reason=reason,
            )
        )
    return results


def _squash(text: str) -> str:
    return "".join(fold(text).split())


def summarize(results: list[QuestionResult]) -> dict[str, Any]:
    """Overall and per-kind metrics."""
    groups: dict[str, list[QuestionResult]] = {"overall": results}
    for r in results:
        groups.setdefault(r.kind, []).append(r)
    return {name: _metrics(group) for name, group in groups.items()}


def _metrics(group: list[QuestionResult]) -> dict[str, Any]:
    answerable = [r for r in group if not r.absent]
    out: dict[str, Any] = {"questions": len(group)}
    for level, attr in (("doc", "rank_doc"), ("page", "rank_page")):
        ranks = [getattr(r, attr) for r in answerable]
        if ranks:
            for k in KS:
                out[f"recall@{k}_{level}"] = round(sum(1 for x in ranks if x is not None and x <= k) / len(ranks), 3)
            out[f"mrr@10_{level}"] = round(sum(1.0 / x for x in ranks if x is not None and x <= 10) / len(ranks), 3)
    arts = [r.article_rank1 for r in group if r.article_rank1 is not None]
    if arts:
        out["article_accuracy"] = round(sum(arts) / len(arts), 3)
    absent = [r for r in group if r.absent and r.refused is not None]
    if absent:
        out["refusal_accuracy"] = round(sum(1 for r in absent if r.refused) / len(absent), 3)
    answered = [r for r in answerable if r.refused is not None]
    if answered:
        out["false_refusals"] = round(sum(1 for r in answered if r.refused) / len(answered), 3)
    facts = [r.fact_found for r in answerable if r.fact_found is not None]
    if facts:
        out["expected_fact_rate"] = round(sum(facts) / len(facts), 3)
    key_facts = [r.key_fact_found for r in answerable if r.key_fact_found is not None]
    if key_facts:
        # refused answerable questions count as misses: the user did not get the fact
        out["key_fact_rate"] = round(sum(key_facts) / len(key_facts), 3)
        out["key_fact_questions"] = len(key_facts)
    # Which checks refused: on answerable questions (false refusals) and on absent ones (right refusals).
    for key, refused in (
        ("false_refusal_reasons", [r for r in answerable if r.refused]),
        ("absent_refusal_reasons", [r for r in absent if r.refused]),
    ):
        if refused:
            out[key] = dict(sorted(Counter(r.refusal_reason or "other" for r in refused).items()))
    precisions = [r.citation_precision for r in group if r.citation_precision is not None]
    if precisions:
        out["citation_precision"] = round(statistics.mean(precisions), 3)
    for name, values in (
        ("search_ms", [r.search_ms for r in group]),
        ("answer_ms", [r.answer_ms for r in group if r.answer_ms is not None]),
    ):
        if values:
            out[f"{name}_p50"] = round(percentile(values, 50), 1)
            out[f"{name}_p95"] = round(percentile(values, 95), 1)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = (len(ordered) - 1) * q / 100
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def check_thresholds(summary: dict[str, Any], thresholds: dict[str, dict[str, float]]) -> list[str]:
    """Metrics below their minimum (or above their maximum, for keys ending in `_max`)."""
    failures: list[str] = []
    for group, limits in thresholds.items():
        metrics = summary.get(group, {})
        for key, limit in limits.items():
            name = key.removesuffix("_max")
            value = metrics.get(name)
            if value is None:
                failures.append(f"{group}.{name} absent")
            elif key.endswith("_max") and value > limit:
                failures.append(f"{group}.{name} = {value} > {limit}")
            elif not key.endswith("_max") and value < limit:
                failures.append(f"{group}.{name} = {value} < {limit}")
    return failures
