"""Filters (rag.schema.Filters) as a Chroma `where` clause and as the same predicate in Python.

The lexical channel filters with `matches_filters`, Chroma with `filters_to_where`: both say the same.
Neither can widen a query beyond the spaces of the store it runs on (rag.store, rag.spaces).

>>> filters_to_where(Filters(kind="article"))
{'kind': 'article'}
"""

from __future__ import annotations

from typing import Any

from rag import schema
from rag.errors import StoreError
from rag.french import fold
from rag.schema import Filters


def filters_to_where(filters: Filters | None) -> dict[str, Any] | None:
    """Translate Filters into a Chroma `where` clause (None when there is nothing to filter)."""
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.kind:
        clauses.append({schema.KIND: filters.kind})
    if filters.commune:
        clauses.append({schema.COMMUNE_KEY: normalize_key(filters.commune)})
    if filters.since:
        clauses.append({schema.DATE_INT: {"$gte": date_to_int(filters.since)}})
    if filters.until:
        clauses.append({schema.DATE_INT: {"$lte": date_to_int(filters.until)}})
    if filters.matiere:
        key = schema.MATIERE if "." in filters.matiere else schema.MATIERE_L1
        clauses.append({key: filters.matiere})
    if filters.outcome:
        clauses.append({schema.OUTCOME: filters.outcome})
    if filters.not_unanimous:
        clauses.append({schema.UNANIMOUS: False})
    if filters.source:
        clauses.append({schema.SOURCE: filters.source})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def matches_filters(meta: dict[str, Any], filters: Filters | None) -> bool:
    """The same predicate as filters_to_where, evaluated in Python (for the lexical channel)."""
    if filters is None:
        return True
    if filters.kind and meta.get(schema.KIND) != filters.kind:
        return False
    if filters.commune and meta.get(schema.COMMUNE_KEY) != normalize_key(filters.commune):
        return False
    date_int = int(meta.get(schema.DATE_INT) or 0)
    if filters.since and date_int < date_to_int(filters.since):
        return False
    if filters.until and (not date_int or date_int > date_to_int(filters.until)):
        return False
    if filters.matiere:
        key = schema.MATIERE if "." in filters.matiere else schema.MATIERE_L1
        if meta.get(key) != filters.matiere:
            return False
    if filters.outcome and meta.get(schema.OUTCOME) != filters.outcome:
        return False
    if filters.not_unanimous and meta.get(schema.UNANIMOUS) is not False:
        return False
    return not (filters.source and meta.get(schema.SOURCE) != filters.source)


def normalize_key(value: str) -> str:
    folded = fold(value)
    return "-".join(part for part in "".join(c if c.isalnum() else " " for c in folded).split())


def date_to_int(iso: str) -> int:
    digits = iso.replace("-", "")[:8]
    if len(digits) == 4:
        digits += "0101"
    if not digits.isdigit() or len(digits) != 8:
        raise StoreError(f"Date invalide : {iso!r} (format attendu AAAA-MM-JJ).")
    return int(digits)
