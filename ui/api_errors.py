"""Errors of the HTTP API (ui.api): one JSON shape, `{"error": {"code", "message"}}`, with French messages.

>>> error_body("not_found", "Article inconnu.")
{'error': {'code': 'not_found', 'message': 'Article inconnu.'}}
>>> french_validation_message([{"type": "missing", "loc": ("query", "question")}])
'Requête invalide : question : obligatoire.'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from starlette.exceptions import HTTPException


class ApiError(HTTPException):
    """An error answered to the client as it is: status, code, French message, extra headers.

    An HTTPException, so that Starlette's own handling (and FastAPI's, in a dependency) lets it through.
    """

    def __init__(self, status: int, code: str, message: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"error": {"code": code, "message": message}}


_STATUS = {
    400: ("bad_request", "Requête mal formée."),
    401: ("unauthorized", "Jeton d'API absent ou invalide."),
    403: ("forbidden", "Opération non permise."),
    405: ("method_not_allowed", "Méthode non permise pour cette adresse."),
    413: ("too_large", "Requête trop volumineuse."),
    429: ("rate_limited", "Trop de requêtes."),
}


def status_code_name(status: int, path: str) -> tuple[str, str]:
    """(code, French message) of an error Starlette raised itself (unknown address, wrong method ...)."""
    if status == 404:
        return "not_found", f"Adresse inconnue : {path[:100]} (voir /openapi.json)."
    return _STATUS.get(status, ("error", f"Erreur HTTP {status}."))


def _what(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "obligatoire"
    if kind == "extra_forbidden":
        return "paramètre inconnu (l'espace est celui du jeton ; voir /openapi.json)"
    if kind == "string_too_long":
        return f"trop long ({ctx.get('max_length')} caractères au plus)"
    if kind == "string_too_short":
        return "vide"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ctx.get("ge", ctx.get("le", ctx.get("gt", ctx.get("lt"))))
        return f"hors limites ({'au moins' if kind.startswith('greater') else 'au plus'} {bound})"
    if kind.startswith("int_"):
        return "nombre entier attendu"
    if kind.startswith("bool_"):
        return "booléen attendu (true ou false)"
    if kind == "literal_error":
        return f"valeur attendue parmi {ctx.get('expected', '')}"
    if kind.startswith("json"):
        return "JSON invalide"
    if kind in ("model_attributes_type", "dict_type"):
        return "objet JSON attendu"
    if kind.startswith("string_"):
        return "texte attendu"
    return "valeur invalide"


def french_validation_message(errors: Sequence[Any]) -> str:
    """One French sentence for FastAPI's validation errors (which are English and nested)."""
    parts = []
    for error in list(errors)[:5]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path", "header"))
        parts.append(f"{where or 'corps de la requête'} : {_what(error)}")
    return "Requête invalide : " + " ; ".join(parts) + "."
