"""Bad input: crafted files (tests/data/make_bad_inputs.py) each fail alone, clearly, and fast.

The batch test goes through the real CLI (`python -m ui.cli ingest DIR --json`) on one folder holding every
bad file and good ones: exit code 1, one French reason per bad file, the good files indexed, `mairie
verify` clean.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ingest.detect import SPECIAL, detect_type
from ingest.pdf import load_pdf
from rag.errors import SourceError

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "data"))
import make_bad_inputs as bad  # noqa: E402

pytestmark = pytest.mark.integration

BOMB_SECONDS = 20
BOMB_EXTRA_MB = 500


def _scdl_available() -> bool:
    try:
        import ingest.scdl  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def lot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[bad.Case]]:
    folder = tmp_path_factory.mktemp("lot") / "a-indexer"
    cases = bad.make_all(folder, with_csv=_scdl_available())
    # Not regular files: a named pipe (opening it would block for ever) and a link to a file outside the folder.
    os.mkfifo(folder / "tube.pdf")
    cases.append(bad.Case("tube.pdf", "failed", "pas un fichier ordinaire"))
    secret = folder.parent / "hors-du-dossier.md"
    secret.write_text("# Article L. 1\n\nMot de passe du serveur : ne doit pas être indexé.\n", encoding="utf-8")
    (folder / "lien.md").symlink_to(secret)
    cases.append(bad.Case("lien.md", "failed", "lien symbolique"))
    return folder, cases


def _cli(args: list[str], store: Path, *, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, MAIRIE_STORE=str(store), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


# --- one file at a time, through the loader ----------------------------------------------------------
@pytest.mark.parametrize(
    ("maker", "reason"),
    [
        (bad.make_truncated, "PDF tronqué : la fin du fichier (%%EOF) manque"),
        (bad.make_garbled_pdf, "PDF illisible ou endommagé"),
        (
            bad.make_image_only,
            "PDF sans couche texte (document scanné) : reconnaissance de caractères (OCR) nécessaire",
        ),
        (bad.make_page_bomb, "PDF de 100000 pages, au-delà de la limite de 2000"),
        (lambda p: bad.make_page_bomb(p, declared=1), "PDF de plus de 2000 pages"),
        (bad.make_deflate_bomb, "PDF suspect (bombe de décompression ?)"),
    ],
    ids=["truncated", "garbled", "image-only", "page-bomb", "page-bomb-lying-count", "deflate-bomb"],
)
def test_bad_pdf_is_rejected_with_its_reason(tmp_path: Path, maker, reason: str) -> None:  # type: ignore[no-untyped-def]
    path = maker(tmp_path / "doc.pdf")
    with pytest.raises(SourceError) as err:
        load_pdf(path, display="dossier/doc.pdf", max_pages=2000)
    assert err.value.path == "dossier/doc.pdf"
    assert reason in err.value.reason
    assert err.value.fix


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_a_user_password_is_refused(tmp_path: Path, algorithm: str) -> None:
    path = bad.make_encrypted(tmp_path / "p.pdf", user_password="secret", owner_password="o", algorithm=algorithm)
    with pytest.raises(SourceError, match="protégé par un mot de passe"):
        load_pdf(path, display="p.pdf", max_pages=2000)
    # With the password given, the same file reads.
    assert load_pdf(path, display="p.pdf", max_pages=2000, password="secret")[0].text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_pdf_with_only_an_owner_password_is_indexed(tmp_path: Path, algorithm: str) -> None:
    path = bad.make_encrypted(tmp_path / "r.pdf", user_password="", owner_password="o", algorithm=algorithm)
    pages = load_pdf(path, display="r.pdf", max_pages=2000)
    assert [p.page_number for p in pages] == [1, 2]
    assert "Montpellier" in pages[0].text


def test_corrupt_xref_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    path = bad.make_corrupt_xref(tmp_path / "x.pdf")
    notes: list[str] = []
    pages = load_pdf(path, display="x.pdf", max_pages=2000, notes=notes)
    clean = load_pdf(bad.BIG_PDF, display="pv.pdf", max_pages=2000)
    assert [p.text for p in pages] == [p.text for p in clean]
    assert notes == ["table des objets (xref) endommagée, reconstruite à la lecture : vérifiez le texte indexé"]


def test_a_file_over_its_time_budget_is_stopped_and_the_next_one_reads(tmp_path: Path) -> None:
    path = bad.make_page_bomb(tmp_path / "lent.pdf", declared=1)
    started = time.monotonic()
    with pytest.raises(SourceError, match=r"lecture du PDF interrompue après 0 s"):
        load_pdf(path, display="lent.pdf", max_pages=2000, timeout=0.2)
    assert time.monotonic() - started < 10
    assert load_pdf(bad.GOOD_PDF, display="bon.pdf", max_pages=2000)[0].page_number == 1


def test_in_process_extraction_gives_the_same_pages() -> None:
    isolated = load_pdf(bad.GOOD_PDF, display="bon.pdf", max_pages=2000)
    inline = load_pdf(bad.GOOD_PDF, display="bon.pdf", max_pages=2000, isolate=False)
    assert isolated == inline


def test_a_named_pipe_is_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "tube.pdf")
    assert detect_type(tmp_path / "tube.pdf") == SPECIAL  # returns at once: no open() on the pipe


@pytest.mark.parametrize("maker", [bad.make_page_bomb, bad.make_deflate_bomb], ids=["pages", "deflate"])
def test_pdf_bombs_cost_bounded_time_and_memory(tmp_path: Path, maker) -> None:  # type: ignore[no-untyped-def]
    """Peak RSS of the process and of its extraction worker, measured in a fresh interpreter."""
    path = maker(tmp_path / "bombe.pdf")
    script = textwrap.dedent(f"""
        import resource, sys, time
        sys.path.insert(0, {str(REPO)!r})
        from pathlib import Path
        from ingest import pdf
        from rag.errors import SourceError
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.monotonic()
        try:
            pdf.load_pdf(Path({str(path)!r}), display="bombe.pdf", max_pages=2000)
            print("INDEXED")
        except SourceError as e:
            print("REJECTED", e.reason)
        seconds = time.monotonic() - started
        pdf._WORKER.stop()
        print("SECONDS", seconds)
        print("SELF_MB", (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)
        print("WORKER_MB", resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120).stdout
    values = dict(line.split(" ", 1) for line in out.splitlines())
    assert values["REJECTED"], out
    assert float(values["SECONDS"]) < BOMB_SECONDS, out
    assert int(values["SELF_MB"]) < BOMB_EXTRA_MB, out
    assert int(values["WORKER_MB"]) < BOMB_EXTRA_MB, out


# --- the whole lot, through the CLI --------------------------------------------------------------------
@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
def test_cli_batch_of_bad_files(lot: tuple[Path, list[bad.Case]], tmp_path: Path) -> None:
    folder, cases = lot
    store = tmp_path / "store"
    started = time.monotonic()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = _cli(["ingest", str(folder), "--json", "--ocr", "never"], store)
    seconds = time.monotonic() - started
    assert run.returncode == 1, run.stderr[-3000:]
    report = json.loads(run.stdout)
    by_source = {f["source"]: f for f in report["files"]}

    problems = []
    for case in cases:
        got = by_source.get(case.source)
        if case.status == "hidden":  # reported, never read (issue 12)
            if got is None or got["status"] != "skipped" or "fichier caché" not in got["message"]:
                problems.append(f"{case.source!r}: a hidden file not reported as skipped: {got}")
            continue
        if got is None:
            problems.append(f"{case.source!r}: absent from the report")
            continue
        if got["status"] != case.status:
            problems.append(f"{case.source!r}: {got['status']} ({got['message']}), expected {case.status}")
        elif case.status in ("failed", "skipped") and case.reason not in got["message"]:
            problems.append(f"{case.source!r}: message {got['message']!r} lacks {case.reason!r}")
        elif case.status == "indexed" and case.reason and not any(case.reason in w for w in got["warnings"]):
            problems.append(f"{case.source!r}: warnings {got['warnings']!r} lack {case.reason!r}")
    assert not problems, "\n".join(problems)

    # Sources are sanitised: no control character, no undecodable byte, nothing outside the folder.
    for source in by_source:
        assert source.isprintable(), repr(source)
        source.encode("utf-8")
        assert not source.startswith(("/", "../")) and "/../" not in source, source
    # Every failure is on stderr too, naming the file.
    for case in cases:
        if case.status == "failed":
            assert f"Échec : {case.source} : " in run.stderr, case.source
    assert report["failed"] == sum(c.status == "failed" for c in cases)
    assert report["indexed"] == sum(c.status == "indexed" for c in cases)
    assert seconds < 120, f"the lot took {seconds:.0f} s"
    extra_mb = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss - before) // 1024
    assert extra_mb < 1500, f"peak RSS of the ingestion grew by {extra_mb} MB"

    verify = _cli(["verify"], store)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert verify.stdout.startswith("Magasin cohérent :")
    documents = json.loads(_cli(["documents", "--json"], store).stdout)
    assert sorted(d["source"] for d in documents) == sorted(c.source for c in cases if c.status == "indexed")
    assert not any("Mot de passe du serveur" in d["title"] for d in documents)


def test_huge_file_is_rejected_without_being_read(tmp_path: Path) -> None:
    folder = tmp_path / "gros"
    folder.mkdir()
    bad.make_sparse(folder / "enorme.pdf", megabytes=200)
    env_store = tmp_path / "store"
    started = time.monotonic()
    run = _cli(["ingest", str(folder), "--json"], env_store)
    assert run.returncode == 1
    (event,) = json.loads(run.stdout)["files"]
    assert event["status"] == "failed"
    assert event["message"] == (
        "fichier de 200 Mo, au-delà de la limite de 100 Mo (découpez-le ou augmentez MAIRIE_MAX_FILE_MB)"
    )
    assert time.monotonic() - started < 30
    # The limit is a setting.
    run = subprocess.run(
        [sys.executable, "-m", "ui.cli", "ingest", str(folder), "--json"],
        cwd=REPO,
        env=dict(os.environ, MAIRIE_STORE=str(env_store), MAIRIE_MAX_FILE_MB="10", PYTHONPATH=str(REPO)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "au-delà de la limite de 10 Mo" in json.loads(run.stdout)["files"][0]["message"]
