"""The JSON documents of `mairie ... --json` and of the HTTP API (ui.api): built once here, so both say the same.

>>> documents_payload([])
[]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any


def search_payload(question: str, hits: Sequence[Any]) -> dict[str, Any]:
    """`mairie search --json` and GET /search: the question and its scored passages."""
    return {"question": question, "hits": [h.to_json() for h in hits]}


def documents_payload(docs: Sequence[Any]) -> list[dict[str, Any]]:
    """`mairie documents --json` and GET /documents: one row per indexed document."""
    return [
        {"source": d.source, "kind": d.kind, "title": d.title, "chunks": d.chunks, "coverage": d.coverage} for d in docs
    ]


def deliberations_payload(records: Sequence[Any]) -> list[dict[str, Any]]:
    """`mairie deliberations --json` and GET /deliberations: the records without their text, with the vote."""
    from rag.records import vote_label

    rows = []
    for r in records:
        row = asdict(r)
        row.pop("text")
        row["vote"] = vote_label(r)
        rows.append(row)
    return rows
