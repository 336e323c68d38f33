"""Load on the HTTP API (`mairie serve`), loopback only, bounded in requests and time.

    python benchmarks/api_load.py [--spaces 8] [--clients 1,4,16] [--seconds 15] [--ask-share 0.2] [--whole-law]

Builds a store of S spaces (two council PDFs of data/deliberations each, renamed `<space>-...pdf`, plus the
CGCT chapter on the council in the shared law, or with --whole-law the whole legal pack; embeddings come
from MAIRIE_CACHE_DIR when warm), starts
`mairie serve` on a free loopback port with one token per space, then for each N of --clients runs N
client threads for --seconds (at most --max-requests requests): each request picks a space's token and a
question, and is a GET /search (or, for --ask-share of them, a streamed POST /ask read to its end). Each
level runs twice: search alone, then while one space ingests a new PV (`mairie ingest --space s0`, a
separate process with an empty embedding cache, as an admin would). It prints throughput, latency p50/p95/p99 (all requests, then
GET /search alone), the server's CPU time per request (from /proc), errors (any status but 200) and
cross-space results: a passage whose source is not the token's space nor the shared law (must be 0).

--keep DIR builds the store once and reuses it (before/after runs on the same store; the PVs a run
ingests into s0 are removed by the next). The server uses MAIRIE_CACHE_DIR: with the default 8 questions,
their vectors come from that cache after the first time; --questions distinct makes every request's
question a new text (a gold question and a number), so that every query is embedded by the model.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # `python benchmarks/api_load.py` from the checkout: ui.tokens below
    sys.path.insert(0, str(REPO))
DATA = REPO / "data"
CHAPTER = DATA / "cgct/partie-legislative/deuxieme-partie/livre-ier/titre-ii/chapitre-ier"
POOL = [
    "couthenans/CR_conseil_municipal_07_10_2022.pdf",
    "couthenans/CR_reunion_20220121.pdf",
    "montpellier/2014-04-24-0000071216.pdf",
    "montpellier/2014-04-24-0000071217.pdf",
]
EXTRA = "montpellier/2014-04-24-0000071244.pdf"  # the PV ingested during the runs
QUESTIONS = [
    "subvention association conseil municipal",
    "que dit l'article L2121-17 ?",
    "budget primitif vote",
    "tarifs de la cantine",
    "convocation du conseil municipal",
    "délibération travaux voirie",
    "quorum du conseil municipal",
    "indemnités des élus",
]


def kept_bases(root: Path) -> tuple[list[str], Any]:
    """The spaces of a store this script built and kept (`--keep root`), and the server's SpaceBases over it, with
    an empty query cache (for benchmarks/search_profile.py and benchmarks/concurrent_ids.py)."""
    os.environ.update(
        MAIRIE_STORE=str(root / "store"),
        MAIRIE_USERS_FILE=str(root / "users.json"),
        MAIRIE_CACHE_DIR=tempfile.mkdtemp(prefix="query-cache-"),
    )
    from rag.settings import Settings
    from ui.api import SpaceBases

    spaces = [f"s{i}" for i in range(json.loads((root / "built.json").read_text())["spaces"])]
    return spaces, SpaceBases(Settings.from_env())


def mairie(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], capture_output=True, text=True, env=env, cwd=REPO, check=False
    )


def build_store(root: Path, spaces: list[str], env: dict[str, str], *, whole_law: bool = False) -> None:
    started = time.monotonic()
    # The whole legal pack (CGCT, CRPA, versions) is pre-embedded: nothing is embedded to load it.
    law = mairie(env, "pack", "load") if whole_law else mairie(env, "ingest", "--space", spaces[0], str(CHAPTER))
    assert law.returncode == 0, law.stderr[-2000:]
    for i, space in enumerate(spaces):
        folder = root / "files" / space
        folder.mkdir(parents=True)
        for name in (POOL[(2 * i) % len(POOL)], POOL[(2 * i + 1) % len(POOL)]):
            shutil.copy(DATA / "deliberations" / name, folder / f"{space}-{Path(name).name}")
        result = mairie(env, "ingest", "--space", space, str(folder))
        assert result.returncode == 0, result.stderr[-2000:]
    print(f"store: {len(spaces)} spaces built in {time.monotonic() - started:.0f} s", file=sys.stderr)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Level:
    latencies: list[float] = field(default_factory=list)
    searches: list[float] = field(default_factory=list)  # GET /search alone
    errors: int = 0
    cross: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def foreign(space: str, passages: list[dict[str, Any]]) -> int:
    """Passages neither of `space` (sources named `<space>-...`) nor of the shared law."""
    return sum(1 for p in passages if p["kind"] != "article" and not Path(p["source"]).name.startswith(f"{space}-"))


GOLDS = ("gold_demo.jsonl", "gold_service_public.jsonl", "gold.jsonl")


def gold_questions() -> list[str]:
    found: dict[str, None] = {}
    for name in GOLDS:
        for line in (REPO / "benchmarks" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                found.setdefault(json.loads(line)["question"].strip(), None)
    return list(found)


GOLD_QUESTIONS = gold_questions()
COUNTER = itertools.count(1)  # next() is atomic under the GIL


def client_loop(
    url: str, tokens: dict[str, str], level: Level, stop: float, budget: list[int], ask_share: float, distinct: bool
) -> None:
    rng = random.Random(threading.get_ident())
    with httpx.Client(base_url=url, timeout=120) as client:
        while time.monotonic() < stop:
            with level.lock:
                if budget[0] <= 0:
                    return
                budget[0] -= 1
            space = rng.choice(list(tokens))
            headers = {"Authorization": f"Bearer {tokens[space]}"}
            # distinct: a text the server has never embedded (a gold question and the request's number)
            question = f"{rng.choice(GOLD_QUESTIONS)} (n° {next(COUNTER)})" if distinct else rng.choice(QUESTIONS)
            started = time.perf_counter()
            asking = rng.random() < ask_share
            try:
                if asking:
                    with client.stream("POST", "/ask", json={"question": question}, headers=headers) as response:
                        lines = [json.loads(x) for x in response.iter_lines() if x.strip()]
                    final = lines[-1] if lines else {}
                    passages = final.get("citations", []) + final.get("closest", [])
                    ok = response.status_code == 200 and final.get("event") == "answer"
                else:
                    response = client.get("/search", params={"question": question, "top_k": 5}, headers=headers)
                    ok = response.status_code == 200
                    passages = response.json().get("hits", []) if ok else []
            except (httpx.HTTPError, ValueError):
                ok, passages = False, []
            elapsed = time.perf_counter() - started
            with level.lock:
                level.latencies.append(elapsed)
                if not asking:
                    level.searches.append(elapsed)
                level.errors += 0 if ok else 1
                level.cross += foreign(space, passages)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system, all threads) a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS, from /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait_for(process: subprocess.Popen[bytes], ended: list[float]) -> None:
    process.wait()
    ended.append(time.monotonic())


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else float("nan")


def run_level(url: str, tokens: dict[str, str], clients: int, args: argparse.Namespace) -> tuple[Level, float]:
    level = Level()
    budget = [args.max_requests]
    started = time.monotonic()
    stop = started + args.seconds
    threads = [
        threading.Thread(
            target=client_loop, args=(url, tokens, level, stop, budget, args.ask_share, args.questions == "distinct")
        )
        for _ in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return level, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=8)
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument("--seconds", type=float, default=15.0, help="per level (bounded)")
    parser.add_argument("--max-requests", type=int, default=3000, help="per level (bounded)")
    parser.add_argument("--ask-share", type=float, default=0.2, help="share of streamed POST /ask requests")
    parser.add_argument(
        "--whole-law", action="store_true", help="the whole legal pack as the shared law (default: one CGCT chapter)"
    )
    parser.add_argument(
        "--keep",
        type=Path,
        help="build the store in this folder and keep it; a later run with the same folder reuses it "
        "(same spaces and law), so before/after runs read the same store",
    )
    parser.add_argument("--build-only", action="store_true", help="with --keep: build the store, run nothing")
    parser.add_argument(
        "--questions",
        choices=("fixed", "distinct"),
        default="fixed",
        help="fixed: 8 questions asked again and again (their vectors come from the server's query cache after "
        "the first time); distinct: every request a new text (a gold question and a number), embedded by the model",
    )
    args = parser.parse_args()
    if args.seconds > 120 or args.max_requests > 20_000 or args.spaces > 100:
        parser.error("bounded: --seconds <= 120, --max-requests <= 20000, --spaces <= 100")
    root = args.keep.absolute() if args.keep else Path(tempfile.mkdtemp(prefix="api-load-"))
    built = root / "built.json"
    recipe = {"spaces": args.spaces, "whole_law": args.whole_law}
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIRIE_LLM")}
    env.update(MAIRIE_STORE=str(root / "store"), MAIRIE_USERS_FILE=str(root / "users.json"))
    spaces = [f"s{i}" for i in range(args.spaces)]
    server = None
    try:
        from ui.tokens import add_token

        if built.exists():
            assert json.loads(built.read_text()) == recipe, f"{root} holds another store: {built.read_text()}"
            extra = sorted((root / "extra").glob("*/*.pdf"))  # the PVs ingested during a previous run
            if extra:
                removed = mairie(env, "remove", "--space", "s0", *map(str, extra))
                assert removed.returncode == 0, removed.stderr[-2000:]
            shutil.rmtree(root / "extra", ignore_errors=True)
            tokens = json.loads((root / "tokens.json").read_text())
        else:
            build_store(root, spaces, env, whole_law=args.whole_law)
            tokens = {s: add_token(root / "api-tokens.json", f"t-{s}", space=s, role="elu") for s in spaces}
            if args.keep:
                (root / "tokens.json").write_text(json.dumps(tokens))
                built.write_text(json.dumps(recipe))
        if args.build_only:
            return
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--rate", "1000000", "--burst", "1000000"],
            env=env,
            cwd=REPO,
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "the API did not start"
                time.sleep(0.3)
        run_level(url, tokens, 2, argparse.Namespace(**{**vars(args), "seconds": 5, "max_requests": 40}))  # warm-up
        print(f"load average before the levels: {os.getloadavg()[0]:.1f}; questions: {args.questions}")
        print(
            "| clients | ingest in s0 | requests | req/s | p50 ms | p95 ms | p99 ms | /search p50 / p95 ms "
            "| server CPU ms/request | server RSS MB | errors | cross-space |"
        )
        print("|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n, clients in enumerate(int(c) for c in args.clients.split(",")):
            for ingesting in (False, True):
                ingest = None
                ingest_seconds = float("nan")
                if ingesting:
                    extra = root / "extra" / f"{n}"
                    extra.mkdir(parents=True)
                    shutil.copy(DATA / "deliberations" / EXTRA, extra / f"s0-ajout-{n}.pdf")
                    ingest_started = time.monotonic()
                    ingest = subprocess.Popen(
                        [sys.executable, "-m", "ui.cli", "ingest", "--space", "s0", str(extra)],
                        # an empty embedding cache: the new PV is embedded by the model, as a real new one is
                        env={**env, "MAIRIE_CACHE_DIR": str(extra / "cache")},
                        cwd=REPO,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    ended: list[float] = []
                    waiter = threading.Thread(target=wait_for, args=(ingest, ended))
                    waiter.start()
                cpu = cpu_seconds(server.pid)
                level, elapsed = run_level(url, tokens, clients, args)
                cpu = cpu_seconds(server.pid) - cpu
                if ingest is not None:
                    waiter.join()
                    assert ingest.returncode == 0, "the ingestion during the run failed"
                    ingest_seconds = ended[0] - ingest_started  # the ingestion alone, which may end before the level
                lat = level.latencies
                during = f"yes ({ingest_seconds:.0f} s)" if ingesting else "no"
                print(
                    f"| {clients} | {during} | {len(lat)} | {len(lat) / elapsed:.1f} | {statistics.median(lat) * 1000:.0f} "
                    f"| {pct(lat, 0.95):.0f} | {pct(lat, 0.99):.0f} "
                    f"| {pct(level.searches, 0.5):.0f} / {pct(level.searches, 0.95):.0f} "
                    f"| {cpu / max(1, len(lat)) * 1000:.1f} | {rss_mb(server.pid):.0f} "
                    f"| {level.errors} | {level.cross} |",
                    flush=True,
                )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
