"""Crash safety: `mairie ingest` killed with SIGKILL at random moments, then re-run, ends with exactly the
chunks of an uninterrupted run (no loss, no duplicate, no orphan in the lexical index).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
PDFS = [
    DATA / "deliberations" / "montpellier" / "2014-04-24-0000071216.pdf",
    DATA / "deliberations" / "montpellier" / "2014-04-24-0000071244.pdf",
    DATA / "deliberations" / "montpellier" / "2014-04-24-0000071272.pdf",
    DATA / "deliberations" / "couthenans" / "CR_conseil_municipal_07_10_2022.pdf",
]
SECTION = DATA / "cgct" / "partie-legislative" / "deuxieme-partie" / "livre-ier" / "titre-ii" / "chapitre-ier"
KILLS = 12
SEED = 20240611


def make_folder(target: Path) -> Path:
    """4 council PDFs and a CGCT section of 25 articles (with the heading files above it)."""
    for pdf in PDFS:
        (target / "deliberations").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, target / "deliberations" / pdf.name)
    code = target / "cgct"
    # The article loader reads the README.md headings up the tree: keep the chain down to section 4.
    relative = SECTION.relative_to(DATA / "cgct")
    src, dst = DATA / "cgct", code
    for part in [None, *relative.parts]:
        if part is not None:
            src, dst = src / part, dst / part
        dst.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src / "README.md", dst / "README.md")
    shutil.copytree(SECTION / "section-4", dst / "section-4")
    return target


def cli(args: list[str], store: Path, cache: Path, **kwargs) -> subprocess.Popen[str]:  # type: ignore[no-untyped-def]
    env = dict(os.environ, MAIRIE_STORE=str(store), MAIRIE_CACHE_DIR=str(cache), PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", "ui.cli", *args],
        cwd=REPO,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def run_to_end(args: list[str], store: Path, cache: Path, timeout: float = 600) -> tuple[int, str, str]:
    proc = cli(args, store, cache)
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


INSPECT = """
import json, sys
from pathlib import Path
from rag.kb import KnowledgeBase
from rag.settings import Settings
kb = KnowledgeBase(Settings(store=Path(sys.argv[1]), cache_dir=Path(sys.argv[2])))
ids = [i for space in kb.store.spaces for page, _, _ in kb.store._iterate(kb.store._part(space).chunks, include=[]) for i in page]
statuses = {d.source: d.status for d in kb.store.documents(include_incomplete=True)}
print(json.dumps({"ids": ids, "statuses": statuses, "problems": kb.verify() if sys.argv[3] == "1" else []}))
"""


def store_state(store: Path, cache: Path, *, verify: bool = True) -> tuple[list[str], dict[str, str], list[str]]:
    """(every chunk id in Chroma, status of every manifest entry, KnowledgeBase.verify() problems).

    Read in a separate process: this one never holds a Chroma client on a store that others write.
    """
    done = subprocess.run(
        [sys.executable, "-c", INSPECT, str(store), str(cache), "1" if verify else "0"],
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = json.loads(done.stdout.splitlines()[-1])
    return data["ids"], data["statuses"], data["problems"]


@pytest.mark.slow
def test_sigkill_at_random_moments_then_rerun_gives_the_uninterrupted_result(
    tmp_path: Path, embedding_cache: Path
) -> None:
    folder = make_folder(tmp_path / "corpus")
    reference, killed = tmp_path / "reference", tmp_path / "killed"

    started = time.monotonic()
    code, out, err = run_to_end(["ingest", str(folder), "--json"], reference, embedding_cache)
    full_run = time.monotonic() - started
    assert code == 0, err[-2000:]
    expected_ids, expected_status, problems = store_state(reference, embedding_cache)
    assert problems == []
    assert len(expected_ids) > 30 and set(expected_status.values()) == {"complete"}

    # A cold embedding cache for the killed runs: embedding is the longest phase, kills land in it too.
    cold_cache = tmp_path / "cold-cache"
    rng = random.Random(SEED)
    outcomes: list[str] = []
    kills = 0
    for _ in range(3 * KILLS):  # bounded: a run that finishes before its kill does not count
        if kills == KILLS:
            break
        proc = cli(["ingest", str(folder), "--json"], killed, cold_cache)
        delay = rng.uniform(0.3, full_run * 1.5)
        try:
            proc.wait(timeout=delay)
            outcomes.append(f"{delay:.2f}s: finished before the kill (exit {proc.returncode}): starting again")
            proc.communicate()
            # On a fast machine the killed runs soon complete the work; the next kills must land in a store being
            # written again, so the store and the embedding cache start again from nothing.
            shutil.rmtree(killed, ignore_errors=True)
            shutil.rmtree(cold_cache, ignore_errors=True)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.communicate()
            kills += 1
            if not (killed / "chroma").exists():
                outcomes.append(f"{delay:.2f}s: killed before the store was created")
                continue
            ids, statuses, _ = store_state(killed, cold_cache, verify=False)
            writing = sum(s != "complete" for s in statuses.values())
            outcomes.append(
                f"{delay:.2f}s: killed with {len(ids)} chunks, {len(statuses)} documents ({writing} half-written)"
            )
    assert kills >= 10, outcomes

    code, out, err = run_to_end(["ingest", str(folder), "--json"], killed, cold_cache)
    assert code == 0, err[-2000:]
    report = json.loads(out)
    assert report["failed"] == 0

    ids, statuses, problems = store_state(killed, cold_cache)
    assert problems == [], problems
    assert len(ids) == len(set(ids)), "duplicate chunk ids"
    lost = set(expected_ids) - set(ids)
    extra = set(ids) - set(expected_ids)
    assert not lost and not extra, f"{len(lost)} chunk(s) lost, {len(extra)} extra; runs: {outcomes}"
    assert statuses == expected_status
    print(f"\n{kills} kills, {len(lost)} chunk(s) lost, {len(extra)} extra, {len(ids)} chunks", *outcomes, sep="\n  ")

    # Nothing half-written left beside the store (temporary lexical index folders of killed runs).
    leftovers = [p.name for p in (killed / "lexical").iterdir() if ".tmp" in p.name or ".old" in p.name]
    assert leftovers == [], leftovers

    code, out, err = run_to_end(["verify"], killed, cold_cache)
    assert code == 0, out + err


def test_the_pdf_worker_exits_when_its_parent_is_killed(tmp_path: Path) -> None:
    """A SIGKILLed ingestion leaves no extraction process behind."""
    script = (
        f"import sys, time; sys.path.insert(0, {str(REPO)!r})\n"
        "from pathlib import Path\n"
        "from ingest import pdf\n"
        f"pdf.load_pdf(Path({str(PDFS[0])!r}), display='x.pdf', max_pages=10)\n"
        "print(pdf._WORKER._proc.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    worker_pid = int(parent.stdout.readline())
    assert Path(f"/proc/{worker_pid}").exists()
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(worker_pid):
        time.sleep(0.1)
    assert not _alive(worker_pid), "the worker outlived its parent"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie is dead, only not yet reaped by its (re)parent
