"""The HTTP API of `mairie serve` (FastAPI): search, ask (streamed), documents, deliberations, articles.

Every request but /health and /openapi.json carries `Authorization: Bearer <token>` (ui.tokens). The token's
space is the only space the request reads, plus the shared law: each space has its own KnowledgeBase over a
store bound to that space (rag.spaces), so no parameter of a request can reach another space. The JSON is the
CLI's (`mairie search --json` ...), built by ui.payloads. Errors are `{"error": {"code", "message"}}` with a
French message. Each request writes one audit line (who, space, endpoint, status), never the question.

>>> app = create_app(Settings(store=Path("/tmp/kb")))
>>> sorted(p for p in app.openapi()["paths"])
['/articles/{article_id}', '/ask', '/deliberations', '/documents', '/health', '/search']
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.kb import KnowledgeBase
from rag.schema import Filters
from rag.settings import Settings
from rag.store import ChromaStore
from ui.api_errors import ApiError, error_body, french_validation_message, status_code_name
from ui.payloads import deliberations_payload, documents_payload, search_payload
from ui.tokens import ApiToken, find_token, load_tokens, tokens_path

logger = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 1000
MAX_TOP_K = 50


@dataclass(frozen=True, slots=True)
class Limits:
    """What one client may ask of the server."""

    max_body_bytes: int = 16 * 1024
    rate_per_minute: float = 120.0  # requests per token, refilled continuously
    burst: int = 30  # requests a token may send at once
    timeout_seconds: float = 60.0  # a search or an answer that takes longer is abandoned with a 504


class RateLimiter:
    """A token bucket per API token: `burst` requests at once, then `per_minute` a minute.

    >>> limiter = RateLimiter(per_minute=60, burst=1, clock=lambda: 0.0)
    >>> limiter.take("a"), limiter.take("a")
    (0.0, 1.0)
    """

    def __init__(self, *, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 when the request may go on (one unit taken), else the seconds until one is available."""
        with self._lock:
            now = self.clock()
            level, at = self._buckets.get(key, (self.burst, now))
            level = min(self.burst, level + (now - at) * self.rate)
            if level >= 1.0:
                self._buckets[key] = (level - 1.0, now)
                return 0.0
            self._buckets[key] = (level, now)
            return (1.0 - level) / self.rate if self.rate > 0 else math.inf


class SpaceBases:
    """One KnowledgeBase per space, over one Chroma client and one embedder, built once and then shared by
    the server's threads (built whole under a lock: no thread sees a half-built one)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._bases: dict[str, KnowledgeBase] = {}
        self._root: ChromaStore | None = None

    @property
    def root(self) -> ChromaStore:
        if self._root is None:
            self._root = ChromaStore(settings=self.settings)
        return self._root

    def built(self, space: str) -> KnowledgeBase | None:
        """The space's knowledge base if it is already built (None otherwise: `of` builds it)."""
        with self._lock:
            return self._bases.get(space)

    def of(self, space: str) -> KnowledgeBase:
        with self._lock:
            kb = self._bases.get(space)
            if kb is None:
                settings = self.settings.replace(space=space)
                store = ChromaStore(
                    settings=settings, embedder=self.root.embedder, client=self.root.client, spaces=[space]
                )
                kb = KnowledgeBase(settings, store=store)
                _ = kb.retriever, kb.chain, kb.legal  # the lazy parts, built before any thread shares them
                self._bases[space] = kb
            return kb


class _TokenFile:
    """The tokens file, read again when it changes (a revoked token stops working at once)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._tokens: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def find(self, secret: str) -> ApiToken | None:
        with self._lock:
            try:
                stat = self.path.stat()
                stamp: tuple[int, int] | None = (stat.st_mtime_ns, stat.st_size)
            except FileNotFoundError:
                stamp = None
            if stamp != self._stamp:
                self._tokens = load_tokens(self.path) if stamp else {}
                self._stamp = stamp
            tokens = self._tokens
        return find_token(tokens, secret)


class BodyLimit:
    """Refuses a request body over `limit` bytes with a JSON 413, whether it announces its length or not.

    (FastAPI's own `max_body_size` answers an announced length in plain text, before any handler.)
    """

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await JSONResponse(error_body("too_large", self.message), status_code=413)(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:  # an HTTPException: FastAPI lets it through to the handlers
                    raise ApiError(413, "too_large", self.message)
            return message

        await self.app(scope, limited, send)

    @property
    def message(self) -> str:
        return f"Requête trop volumineuse : {self.limit // 1024} Ko au plus."


class Audit:
    """One audit line per request (rag.kb.KnowledgeBase.audit): who, space, endpoint, status, and the time
    until the answer starts (for /ask, until its stream opens).

    Never the question nor any other parameter: the endpoint is the route's template (/articles/{article_id}).
    """

    def __init__(self, app: ASGIApp, *, bases: SpaceBases) -> None:
        self.app = app
        self.bases = bases

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in ("/health", "/openapi.json"):
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        audited = False

        async def watch(message: Message) -> None:
            nonlocal audited
            if message["type"] == "http.response.start" and not audited:
                audited = True  # written before the client has its answer: no answer goes unaudited
                await self._write(scope, int(message["status"]), started)
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            if not audited:  # an exception, answered with a 500 by the server's outermost layer
                await self._write(scope, 500, started)

    async def _write(self, scope: Scope, status: int, started: float) -> None:
        who: ApiToken | None = (scope.get("state") or {}).get("caller")
        route = getattr(scope.get("route"), "path", None) or "(adresse inconnue)"
        fields: dict[str, Any] = {"who": f"api:{who.name}" if who else "", "endpoint": f"{scope['method']} {route}"}
        fields.update(status=status, ms=round((time.monotonic() - started) * 1000))
        built = self.bases.built(who.space) if who else None
        try:
            if built is not None:  # one short append to a local file: written here, without a thread-pool trip
                built.audit("api", **fields)
            else:  # building the space's knowledge base may read the store: in the thread pool
                kb = self.bases.of(who.space) if who else KnowledgeBase(self.bases.settings, store=self.bases.root)
                await run_in_threadpool(kb.audit, "api", **fields)
        except OSError as e:  # the answer is given all the same; the failure is in the server's log
            logger.error("audit line not written: %s", e)


class FilterParams(BaseModel):
    """The filters of `mairie search` (--kind, --commune ...), as query parameters or JSON fields."""

    model_config = ConfigDict(extra="forbid")  # an unknown parameter (`space`, `where` ...) is refused

    kind: Literal["deliberation", "article", "document"] | None = Field(None, description="Type de passage.")
    commune: str | None = Field(None, max_length=100, description="Commune (ex. Preuilly-sur-Claise).")
    since: str | None = Field(None, max_length=10, description="Depuis cette date (AAAA-MM-JJ), incluse.")
    until: str | None = Field(None, max_length=10, description="Jusqu'à cette date (AAAA-MM-JJ), incluse.")
    matiere: str | None = Field(None, max_length=10, description="Code matière ACTES (ex. 8.1 ou 2).")
    outcome: str | None = Field(None, max_length=20, description="adoptee ou rejetee.")
    not_unanimous: bool = Field(False, description="Seulement les votes non unanimes.")

    def filters(self) -> Filters:
        from rag.records import outcome_from_text
        from ui.cli_common import is_iso_date

        for name in ("since", "until"):
            value = getattr(self, name)
            if value and not is_iso_date(value):
                raise ApiError(422, "invalid_request", f"{name} : date attendue au format AAAA-MM-JJ, reçu {value!r}.")
        outcome = outcome_from_text(self.outcome) if self.outcome else None
        if self.outcome and outcome is None:
            raise ApiError(
                422, "invalid_request", f"outcome : valeur attendue adoptee ou rejetee, reçu {self.outcome!r}."
            )
        return Filters(
            kind=self.kind,
            commune=self.commune,
            since=self.since,
            until=self.until,
            matiere=self.matiere,
            outcome=outcome,
            not_unanimous=self.not_unanimous,
        )


class SearchParams(FilterParams):
    question: str = Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="La question ou les mots cherchés.")
    top_k: int | None = Field(None, ge=1, le=MAX_TOP_K, description="Nombre de résultats (défaut : MAIRIE_TOP_K).")


class AskBody(SearchParams):
    """The body of POST /ask: the question, and the same filters as /search."""


_BEARER = HTTPBearer(auto_error=False, description="Jeton d'API lié à un espace : `mairie tokens add`.")
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"description": text, "content": {"application/json": {"example": error_body(name, text)}}}
    for code, name, text in (
        (401, "unauthorized", "Jeton absent ou invalide."),
        (403, "forbidden", "Le rôle du jeton ne permet pas cette opération."),
        (413, "too_large", "Requête trop volumineuse."),
        (422, "invalid_request", "Paramètre invalide."),
        (429, "rate_limited", "Trop de requêtes : réessayez après le délai de l'en-tête Retry-After."),
        (504, "timeout", "Délai dépassé."),
    )
}


async def caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)]
) -> ApiToken:
    """The token of the request (401 without a valid one), within its rate (429 past it).

    Async: a hash and a dictionary lookup (the tokens file is read again only when it changes), run on the
    event loop; a plain function would cost a trip to the thread pool per request (~0.3 ms of CPU)."""
    token = request.app.state.tokens.find(credentials.credentials) if credentials else None
    if token is None:
        raise ApiError(
            401,
            "unauthorized",
            "Jeton d'API absent ou invalide : en-tête « Authorization: Bearer <jeton> » attendu "
            "(un administrateur le crée avec `mairie tokens add`).",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.caller = token
    wait = request.app.state.limiter.take(token.name)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiError(
            429,
            "rate_limited",
            f"Trop de requêtes pour ce jeton : réessayez dans {seconds} seconde(s).",
            headers={"Retry-After": str(seconds)},
        )
    return token


Caller = Annotated[ApiToken, Depends(caller)]


def create_app(settings: Settings, *, limits: Limits | None = None) -> FastAPI:
    """The API over the store of `settings`, with the tokens of `ui.tokens.tokens_path(settings)`."""
    limits = limits or Limits()
    bases = SpaceBases(settings)
    app = FastAPI(
        title="mairie-rag",
        summary="API de la base de connaissances des mairies : délibérations et loi, réponses citées.",
        description=(
            "Chaque requête porte `Authorization: Bearer <jeton>` ; le jeton donne accès à un seul espace "
            "(une commune) et à la loi partagée. Le JSON est celui de la ligne de commande (`--json`). "
            'Erreurs : `{"error": {"code", "message"}}`. /ask répond en NDJSON (une ligne JSON par événement).'
        ),
        version="1",
        docs_url=None,  # Swagger UI loads its scripts from a CDN: nothing leaves the machine
        redoc_url=None,
        responses=_ERRORS,
    )
    app.state.tokens = _TokenFile(tokens_path(settings))
    app.state.limiter = RateLimiter(per_minute=limits.rate_per_minute, burst=limits.burst)

    async def run(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await asyncio.wait_for(run_in_threadpool(func, *args, **kwargs), timeout=limits.timeout_seconds)
        except TimeoutError as e:
            raise ApiError(
                504, "timeout", f"Délai dépassé ({limits.timeout_seconds:.0f} s) : réessayez ou précisez la question."
            ) from e

    @app.get("/health", summary="État du serveur (sans jeton)", tags=["service"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/search",
        summary="Recherche hybride (mots + sens) dans l'espace du jeton et la loi",
        tags=["consulter"],
        response_model=dict[str, Any],
    )
    async def search(who: Caller, params: Annotated[SearchParams, Query()]) -> Response:
        filters = params.filters()

        def found() -> bytes:  # one trip to the thread pool; the JSON encoded there, as FastAPI would
            hits = bases.of(who.space).search(params.question, top_k=params.top_k, filters=filters)
            return _json(search_payload(params.question, hits))

        return Response(await run(found), media_type="application/json")

    @app.post(
        "/ask",
        summary="Pose une question ; réponse citée, diffusée en NDJSON",
        description=(
            "Réponse en flux NDJSON (`application/x-ndjson`), une ligne JSON par événement : "
            '`{"event": "start", "question", "space"}`, puis des `{"event": "token", "text"}` à mesure '
            'que le modèle écrit (aucun en mode extractif), enfin `{"event": "answer", ...}` : la réponse '
            "vérifiée, mêmes champs que `mairie ask --json` (answer, citations, sentences, notes, closest). "
            'Une erreur en cours de flux arrive comme `{"event": "error", "error": {"code", "message"}}`.'
        ),
        response_class=StreamingResponse,
        responses={200: {"content": {"application/x-ndjson": {}}, "description": "Flux NDJSON."}},
        tags=["consulter"],
    )
    async def ask(who: Caller, body: AskBody) -> StreamingResponse:
        filters = body.filters()
        kb = await run(bases.of, who.space)
        deadline = time.monotonic() + limits.timeout_seconds

        def records() -> Iterator[str]:
            yield _line({"event": "start", "question": body.question, "space": who.space})
            try:
                for event in kb.chain.stream(body.question, filters=filters, top_k=body.top_k):
                    if event.kind == "token":
                        yield _line({"event": "token", "text": event.text})
                    elif event.answer is not None:
                        yield _line({"event": "answer", **event.answer.to_json()})
                    if time.monotonic() > deadline:
                        yield _line({"event": "error", **error_body("timeout", "Délai dépassé : réponse interrompue.")})
                        return
            except Exception:
                logger.exception("POST /ask failed")
                yield _line(
                    {"event": "error", **error_body("internal", "Erreur interne du serveur (voir son journal).")}
                )

        return StreamingResponse(records(), media_type="application/x-ndjson")

    @app.get("/documents", summary="Documents de l'espace du jeton et de la loi partagée", tags=["consulter"])
    async def documents(who: Caller) -> list[dict[str, Any]]:
        kb = await run(bases.of, who.space)
        return documents_payload(await run(kb.documents))

    @app.delete(
        "/documents",
        summary="Retire un document de l'espace du jeton (rôle admin)",
        tags=["administrer"],
    )
    async def remove_document(
        who: Caller, source: Annotated[str, Query(min_length=1, max_length=500, description="Nom du document.")]
    ) -> dict[str, Any]:
        if not who.is_admin:
            raise ApiError(403, "forbidden", "Seul un jeton de rôle admin peut retirer des documents.")
        kb = await run(bases.of, who.space)
        found = await run(kb.find_documents, source)
        if not found:
            raise ApiError(404, "not_found", f"Aucun document de l'espace ne correspond à « {source} ».")
        if any(d.space != who.space for d in found):
            raise ApiError(403, "forbidden", "La loi partagée par tous les espaces ne se retire pas par l'API.")
        indexed = await run(kb.store.documents, spaces=[who.space])
        if len(indexed) > 1 and len(found) >= len(indexed):
            raise ApiError(409, "conflict", f"« {source} » désigne tous les documents de l'espace : rien n'est retiré.")
        reports = await run(kb.remove, source, who=f"api:{who.name}")
        return {"removed": [{"source": r.source, "chunks": r.chunks} for r in reports]}

    @app.get("/deliberations", summary="Délibérations de l'espace du jeton", tags=["consulter"])
    async def deliberations(who: Caller, params: Annotated[FilterParams, Query()]) -> list[dict[str, Any]]:
        from rag.records import list_records

        filters = params.filters()
        kb = await run(bases.of, who.space)
        return deliberations_payload(await run(list_records, kb.store, filters))

    @app.get(
        "/articles/{article_id}",
        summary="Un article de code (ex. L2121-17), ses renvois et versions",
        tags=["consulter"],
    )
    async def article(
        who: Caller,
        article_id: str,
        date: Annotated[
            str | None, Query(max_length=10, description="Texte en vigueur à cette date (AAAA-MM-JJ).")
        ] = None,
    ) -> dict[str, Any]:
        from rag.legal import UnknownArticleError
        from ui.cli_common import is_iso_date

        if date is not None and (len(date) != 10 or not is_iso_date(date)):
            raise ApiError(422, "invalid_request", f"date : date attendue au format AAAA-MM-JJ, reçu {date!r}.")
        kb = await run(bases.of, who.space)
        try:
            view = await run(kb.legal.lookup, article_id, date=date)
        except UnknownArticleError as e:
            raise ApiError(404, "not_found", str(e)) from e
        result: dict[str, Any] = view.to_json()
        return result

    _install_errors(app)
    app.add_middleware(Audit, bases=bases)
    app.add_middleware(BodyLimit, limit=limits.max_body_bytes)  # the outermost: before anything reads the body
    return app


def _json(content: Any) -> bytes:
    """What FastAPI's JSONResponse writes, without its generic encoder (a search's payload is plain JSON)."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")


def _line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = status_code_name(exc.status_code, request.url.path)
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(error_body("invalid_request", french_validation_message(exc.errors())), status_code=422)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> JSONResponse:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=exc)
        return JSONResponse(error_body("internal", "Erreur interne du serveur (voir son journal)."), status_code=500)
