"""Read-only views of the store for the app: filter choices (records: rag.records; articles: rag.legal).

No Streamlit here, so tests can call these directly. Everything is derived from the chunks' metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rag import schema

# Level 1 of the ACTES classification, for charts and filters when a record has no name of its own.
ACTES_L1 = {
    "1": "Commande publique",
    "2": "Urbanisme",
    "3": "Domaine et patrimoine",
    "4": "Fonction publique",
    "5": "Institutions et vie politique",
    "6": "Libertés publiques et pouvoirs de police",
    "7": "Finances locales",
    "8": "Domaines de compétences par thèmes",
    "9": "Autres domaines de compétences",
}


def matiere_label(code: str | None, name: str | None = None) -> str:
    if not code:
        return "Non classée"
    if name:
        return f"{code} — {name}"
    return f"{code} — {ACTES_L1.get(code.split('.')[0], '')}".rstrip(" —")


@dataclass(slots=True)
class Facets:
    """The values offered by the filters, read from the chunks."""

    communes: list[str] = field(default_factory=list)
    matieres: dict[str, str] = field(default_factory=dict)  # code -> label
    years: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)


def facets(metas: Iterable[dict[str, Any]]) -> Facets:
    communes: dict[str, str] = {}
    matieres: dict[str, str] = {}
    years: set[int] = set()
    kinds: set[str] = set()
    for meta in metas:
        kinds.add(str(meta.get(schema.KIND) or schema.KIND_DOCUMENT))
        commune = meta.get(schema.COMMUNE)
        if commune:
            communes.setdefault(str(meta.get(schema.COMMUNE_KEY) or commune), str(commune))
        code = meta.get(schema.MATIERE)
        if code:
            code = str(code)
            level1 = code.split(".")[0]
            matieres.setdefault(level1, matiere_label(level1))
            matieres.setdefault(code, matiere_label(code, _short_name(meta.get(schema.MATIERE_NOM))))
        date = str(meta.get(schema.DATE) or "")
        if re.match(r"\d{4}-", date):
            years.add(int(date[:4]))
    ordered = dict(sorted(matieres.items(), key=lambda kv: [int(p) for p in kv[0].split(".") if p.isdigit()]))
    return Facets(sorted(communes.values(), key=str.lower), ordered, sorted(years), sorted(kinds))


def _short_name(name: Any) -> str | None:
    """ "domaines de compétences par thèmes/voirie" -> "Voirie" (the last level is the informative one)."""
    if not name:
        return None
    last = str(name).split("/")[-1].strip()
    return last[:1].upper() + last[1:] if last else None
