"""The HTTP API (`mairie serve`) as a real subprocess over the two-space store of tests/test_spaces.py:
a token of space alpha never sees beta's passages, by any endpoint or parameter; the law is seen from both;
the JSON is the CLI's; tokens, limits and errors behave. One server for the whole module."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import benchmark_module
from tests.test_spaces import BETA_QUESTIONS, kb_of, own_texts, spaces_store  # noqa: F401  (the module's store)

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parent.parent
LAW_QUESTION = "que dit l'article L2121-17 ?"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The `mairie` command line as a real subprocess, with these settings, from the repository."""
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=300,
        check=False,
    )


class Server:
    def __init__(self, store: Path, env: dict[str, str], port: int, proc: subprocess.Popen[str]) -> None:
        self.store, self.env, self.port, self.proc = store, env, port, proc
        self.url = f"http://127.0.0.1:{port}"
        self.tokens: dict[str, str] = {}

    def mairie(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(self.env, *args)

    def add_token(self, name: str, space: str, role: str) -> str:
        result = self.mairie("tokens", "add", name, "--space", space, "--role", role)
        assert result.returncode == 0, result.stderr
        self.tokens[name] = result.stdout.strip()
        return self.tokens[name]

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=120)


@pytest.fixture(scope="module")
def server(spaces_store: Path, tmp_path_factory: pytest.TempPathFactory, embedding_cache: Path) -> Iterator[Server]:  # noqa: F811
    home = tmp_path_factory.mktemp("api-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIRIE_")}
    env.update(
        MAIRIE_STORE=str(spaces_store),
        MAIRIE_CACHE_DIR=str(embedding_cache),
        MAIRIE_USERS_FILE=str(home / "users.json"),
    )
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--rate", "600", "--burst", "20"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    srv = Server(spaces_store, env, port, proc)
    try:
        for name, space, role in (
            ("alpha-elu", "alpha", "elu"),
            ("beta-elu", "beta", "elu"),
            ("alpha-admin", "alpha", "admin"),
            ("rate", "alpha", "agent"),
        ):
            srv.add_token(name, space, role)
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            try:
                if httpx.get(f"{srv.url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the API did not start"
            time.sleep(0.3)
        yield srv
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def ask_records(client: httpx.Client, question: str, **extra: Any) -> list[dict[str, Any]]:
    with client.stream("POST", "/ask", json={"question": question, **extra}) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("application/x-ndjson")
        return [json.loads(line) for line in response.iter_lines() if line.strip()]


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code
    return str(body["error"]["message"])


def test_a_token_of_one_space_never_sees_another_space_by_any_endpoint(server: Server) -> None:
    beta_only = own_texts(server.store, "beta")
    beta_ids = {c.id for c in kb_of(server.store, "beta").store.iter_chunks(spaces=["beta"])}
    with server.client(server.tokens["alpha-elu"]) as alpha:
        for question in BETA_QUESTIONS:
            for extra in ({}, {"commune": "montpellier"}, {"kind": "deliberation"}, {"since": "2014-01-01"}):
                response = alpha.get("/search", params={"question": question, "top_k": 20, **extra})
                assert response.status_code == 200, response.text
                hits = response.json()["hits"]
                assert not [h for h in hits if h["text"] in beta_only or h["id"] in beta_ids]
        # A crafted parameter naming another space, or a raw filter, is refused, not ignored.
        for crafted in ({"space": "beta"}, {"where": '{"space": "beta"}'}, {"spaces": "alpha,beta"}):
            message = assert_error(
                alpha.get("/search", params={"question": "Montpellier", **crafted}), 422, "invalid_request"
            )
            assert "paramètre inconnu" in message
        assert_error(alpha.post("/ask", json={"question": "Montpellier", "space": "beta"}), 422, "invalid_request")
        records = ask_records(alpha, "Qu'a décidé le conseil de Montpellier ?")
        final = records[-1]
        cited = [c["text"] for c in final["citations"]] + [c["text"] for c in final["closest"]]
        assert not [t for t in cited if t in beta_only]
        sources = {d["source"] for d in alpha.get("/documents").json()}
        assert "alpha-seul.pdf" in sources and "beta-seul.pdf" not in sources
        rows = alpha.get("/deliberations").json()
        assert rows and not [r for r in rows if r["source"] == "beta-seul.pdf" or "montpellier" in str(r).lower()]
        assert alpha.get("/deliberations", params={"commune": "Montpellier"}).json() == []
    with server.client(server.tokens["beta-elu"]) as beta:
        sources = {d["source"] for d in beta.get("/documents").json()}
        assert "beta-seul.pdf" in sources and "alpha-seul.pdf" not in sources


def test_the_law_is_visible_from_both_spaces(server: Server) -> None:
    for name in ("alpha-elu", "beta-elu"):
        with server.client(server.tokens[name]) as client:
            hits = client.get("/search", params={"question": LAW_QUESTION, "top_k": 3}).json()["hits"]
            assert hits[0]["article"] == "L2121-17"
            article = client.get("/articles/L2121-17")
            assert article.status_code == 200 and article.json()["number"] == "L2121-17"
    with server.client(server.tokens["alpha-elu"]) as client:
        message = assert_error(client.get("/articles/L9999-99"), 404, "not_found")
        assert "L9999-99" in message


def test_search_answers_the_same_json_as_the_cli(server: Server) -> None:
    question = "subvention association conseil municipal"
    result = server.mairie("search", "--space", "alpha", question, "-k", "5", "--kind", "deliberation", "--json")
    assert result.returncode == 0, result.stderr
    with server.client(server.tokens["alpha-elu"]) as client:
        api = client.get("/search", params={"question": question, "top_k": 5, "kind": "deliberation"})
    assert api.status_code == 200
    assert api.json() == json.loads(result.stdout) and api.json()["hits"]
    result = server.mairie("documents", "--space", "beta", "--json")
    with server.client(server.tokens["beta-elu"]) as client:
        assert client.get("/documents").json() == json.loads(result.stdout)


def test_ask_streams_records_and_ends_with_the_cited_answer(server: Server) -> None:
    with server.client(server.tokens["beta-elu"]) as client:
        records = ask_records(client, LAW_QUESTION)
    assert len(records) >= 2
    assert records[0] == {"event": "start", "question": LAW_QUESTION, "space": "beta"}
    final = records[-1]
    assert final["event"] == "answer" and final["found"] and final["citations"]
    assert final["citations"][0]["article"] == "L2121-17"
    assert {"answer", "citations", "sentences", "notes", "closest", "mode"} <= set(final)
    cli = server.mairie("ask", "--space", "beta", LAW_QUESTION, "--json")
    assert cli.returncode == 0, cli.stderr
    assert {k: v for k, v in final.items() if k != "event"} == json.loads(cli.stdout)


def test_requests_without_a_valid_token_are_refused_in_json(server: Server) -> None:
    for headers in ({}, {"Authorization": "Bearer mrag_faux"}, {"Authorization": "Basic YTpi"}):
        response = httpx.get(f"{server.url}/search", params={"question": "budget"}, headers=headers)
        message = assert_error(response, 401, "unauthorized")
        assert "mairie tokens add" in message and response.headers["www-authenticate"] == "Bearer"
    assert_error(httpx.post(f"{server.url}/ask", json={"question": "budget"}), 401, "unauthorized")
    assert httpx.get(f"{server.url}/health").json() == {"status": "ok"}


def test_errors_are_json_with_french_messages(server: Server) -> None:
    with server.client(server.tokens["alpha-elu"]) as client:
        assert "question : obligatoire" in assert_error(client.get("/search"), 422, "invalid_request")
        long = client.get("/search", params={"question": "x" * 1001})
        assert "1000 caractères au plus" in assert_error(long, 422, "invalid_request")
        assert "AAAA-MM-JJ" in assert_error(
            client.get("/search", params={"question": "a", "since": "hier"}), 422, "invalid_request"
        )
        assert_error(client.get("/search", params={"question": "a", "top_k": 10_000}), 422, "invalid_request")
        assert_error(
            client.post("/ask", content=b"{pas du json", headers={"content-type": "application/json"}),
            422,
            "invalid_request",
        )
        assert "Adresse inconnue" in assert_error(client.get("/nulle-part"), 404, "not_found")
        assert_error(client.put("/search"), 405, "method_not_allowed")
        huge = {"question": "budget", "commune": "x" * 20_000}
        assert "16 Ko" in assert_error(client.post("/ask", json=huge), 413, "too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit counts what arrives
            for _ in range(40):
                yield b" " * 1024

        assert_error(
            client.post("/ask", content=chunks(), headers={"content-type": "application/json"}), 413, "too_large"
        )


def test_roles_limit_what_a_token_may_remove(server: Server) -> None:
    with server.client(server.tokens["alpha-elu"]) as client:
        assert_error(client.delete("/documents", params={"source": "alpha-seul.pdf"}), 403, "forbidden")
    with server.client(server.tokens["alpha-admin"]) as client:
        assert_error(client.delete("/documents", params={"source": "beta-seul.pdf"}), 404, "not_found")
        law = next(d["source"] for d in client.get("/documents").json() if d["kind"] == "article")
        assert "loi partagée" in assert_error(client.delete("/documents", params={"source": law}), 403, "forbidden")
    assert "alpha-seul.pdf" in {d.source for d in kb_of(server.store, "alpha").documents()}


def test_a_token_over_its_rate_gets_429_with_retry_after(server: Server) -> None:
    with server.client(server.tokens["rate"]) as client:
        statuses = []
        for _ in range(80):
            response = client.get("/search")  # authenticated and counted, then refused for its missing question
            statuses.append(response.status_code)
            if response.status_code == 429:
                break
    assert statuses[0] == 422 and statuses[-1] == 429
    assert int(response.headers["retry-after"]) >= 1
    assert "réessayez dans" in assert_error(response, 429, "rate_limited")
    with server.client(server.tokens["alpha-elu"]) as other:  # the other tokens keep their own rate
        assert other.get("/documents").status_code == 200


def test_tokens_are_stored_hashed_listed_without_secret_and_revoked_at_once(server: Server) -> None:
    secret = server.add_token("temporaire", "beta", "agent")
    path = Path(server.env["MAIRIE_USERS_FILE"]).with_name("api-tokens.json")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret not in path.read_text(encoding="utf-8") and secret.startswith("mrag_")
    listed = server.mairie("tokens", "list")
    assert "temporaire\tbeta\tagent" in listed.stdout and secret not in listed.stdout
    with server.client(secret) as client:
        assert client.get("/documents").status_code == 200
        assert server.mairie("tokens", "revoke", "temporaire").returncode == 0
        assert_error(client.get("/documents"), 401, "unauthorized")
    result = server.mairie("tokens", "revoke", "temporaire")
    assert result.returncode == 1 and "Aucun jeton « temporaire »" in result.stderr


def test_every_request_is_audited_without_its_question(server: Server) -> None:
    question = "Montpellier métropole confidentiel"
    with server.client(server.tokens["alpha-elu"]) as client:
        assert client.get("/search", params={"question": question}).status_code == 200
    lines = [json.loads(line) for line in (server.store / "audit.log").read_text(encoding="utf-8").splitlines()]
    api = [line for line in lines if line.get("action") == "api"]
    assert {"who": "api:alpha-elu", "space": "alpha", "endpoint": "GET /search", "status": 200}.items() <= api[
        -1
    ].items()
    assert any(line["status"] == 401 and line["who"] == "" for line in api)
    assert not [line for line in api if "confidentiel" in json.dumps(line)]


def test_openapi_describes_the_api_in_french(server: Server) -> None:
    doc = httpx.get(f"{server.url}/openapi.json").json()
    assert {"/search", "/ask", "/documents", "/deliberations", "/articles/{article_id}", "/health"} <= set(doc["paths"])
    ask = doc["paths"]["/ask"]["post"]
    assert "application/x-ndjson" in ask["responses"]["200"]["content"] and "NDJSON" in ask["description"]
    assert doc["paths"]["/search"]["get"]["summary"].startswith("Recherche hybride")
    assert "HTTPBearer" in doc["components"]["securitySchemes"]


def test_serve_refuses_a_network_address_without_the_flag(server: Server) -> None:
    result = server.mairie("serve", "--host", "0.0.0.0", "--port", str(free_port()))
    assert result.returncode == 1 and "--allow-network" in result.stderr


def test_new_questions_asked_at_once_get_the_passages_each_gets_alone(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Eight new questions at once, through the real server (concurrent request threads, and the QueryBatcher when
    MAIRIE_QUERY_BATCH=true): each request gets the top 5 that the same question gets alone, embedded by itself
    (no batching, an empty cache)."""
    from concurrent.futures import ThreadPoolExecutor
    from uuid import uuid4

    from rag.kb import KnowledgeBase
    from rag.settings import Settings

    tag = uuid4().hex[:6]  # texts no cache holds: the server's model computes every vector
    questions = [f"{q} {tag}" for q in benchmark_module("api_load.py").QUESTIONS]  # the load test's eight
    token = server.add_token(f"batch-{tag}", "alpha", "elu")

    def search(question: str) -> list[str]:
        with server.client(token) as client:
            response = client.get("/search", params={"question": question, "top_k": 5})
        assert response.status_code == 200, response.text
        return [h["id"] for h in response.json()["hits"]]

    with ThreadPoolExecutor(len(questions)) as pool:
        together = list(pool.map(search, questions))
    settings = Settings(
        store=server.store, cache_dir=tmp_path_factory.mktemp("empty-cache"), space="alpha", query_batch=False
    )
    alone = KnowledgeBase(settings)
    for question, ids in zip(questions, together, strict=True):
        assert ids and ids == [h.chunk.id for h in alone.search(question, top_k=5)], question
