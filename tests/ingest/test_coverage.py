"""Nothing dropped at ingestion: the text of a council document outside its deliberations is indexed too.

Coverage = characters of the extracted text (whitespace ignored) found in some passage / all characters
(ingest.chunking.text_coverage); the council loader stores it in the document's manifest metadata.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ingest.base import SourceMeta
from ingest.chunking import text_coverage
from ingest.council import CouncilPdfLoader, council_chunks, outside_blocks, record_chunks
from ingest.deliberations import record_spans
from ingest.pdf import load_pdf
from rag import schema
from rag.schema import Chunk, Page
from rag.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "corpus" / "deliberations"

HEADER = "Commune de Valcourt - Procès-verbal du conseil municipal"
PAGES = [
    Page(
        f"{HEADER}\n"
        "Séance du 12 mars 2021\n"
        "Présents : M. Martin, Mme Durand, M. Petit. Absente excusée : Mme Leroy.\n"
        "Secrétaire de séance : M. Petit.\n\n"
        "2021-001 SUBVENTION AU COMITE DES FETES\n"
        "Le conseil municipal attribue 600 € au comité des fêtes.\n"
        "Adopté à l'unanimité.\n"
        "1",
        1,
    ),
    Page(
        f"{HEADER}\n"
        "2021-002 TARIFS DE LA CANTINE\n"
        "Le prix du repas enfant est fixé à 3,10 €.\n"
        "Adopté par 12 voix pour et 2 contre.\n"
        "2",
        2,
    ),
    Page(
        f"{HEADER}\n"
        "Questions diverses\n"
        "Le maire informe le conseil de la fermeture de la boulangerie le 3 avril.\n"
        "La séance est levée à 21 h 30.\n"
        "3",
        3,
    ),
]
BASE = {schema.KIND: schema.KIND_DOCUMENT, schema.DOC_ID: "doc", schema.COMMUNE: "Valcourt", schema.DATE: "2021-03-12"}


def _chunks_of(pages: list[Page]) -> tuple[list[Chunk], list[Chunk]]:
    """(all chunks as indexed now, the deliberation chunks alone as indexed before)."""
    spans = record_spans(pages, source="pv.pdf", commune="Valcourt", seance_date="2021-03-12")
    chunks = council_chunks(spans, pages, doc_id="doc", base=BASE, max_chars=1200)
    records_only = record_chunks([r for r, _, _ in spans], pages, doc_id="doc", base=BASE, max_chars=1200)
    return chunks, records_only


def test_text_outside_the_deliberations_becomes_document_passages_in_reading_order() -> None:
    chunks, records_only = _chunks_of(PAGES)
    assert text_coverage(PAGES, chunks) == 1.0
    assert text_coverage(PAGES, records_only) < 0.7  # attendance, questions diverses and header were dropped
    kinds = [(c.meta[schema.KIND], bool(c.meta.get(schema.BOILERPLATE))) for c in chunks]
    assert kinds == [
        (schema.KIND_DOCUMENT, True),  # the header repeated on every page and the page numbers, once
        (schema.KIND_DOCUMENT, False),  # séance, attendance
        (schema.KIND_DELIBERATION, False),
        (schema.KIND_DELIBERATION, False),
        (schema.KIND_DOCUMENT, False),  # questions diverses
    ]
    boiler, attendance, _, _, diverses = chunks
    assert boiler.text.splitlines() == [HEADER, "1", "2", "3"]
    assert (boiler.meta[schema.PAGE], boiler.meta[schema.PAGE_END]) == (1, 3)
    assert "Présents : M. Martin" in attendance.text and HEADER not in attendance.text
    assert attendance.meta[schema.PAGE] == 1
    assert diverses.text.startswith("Questions diverses") and "boulangerie" in diverses.text
    assert (diverses.meta[schema.PAGE], diverses.meta[schema.PAGE_END]) == (3, 3)
    for chunk in (attendance, diverses):
        assert (chunk.meta[schema.COMMUNE], chunk.meta[schema.DATE]) == ("Valcourt", "2021-03-12")
        assert chunk.meta[schema.DOC_ID] == "doc" and schema.BOILERPLATE not in chunk.meta
    assert [c.meta[schema.CHUNK_INDEX] for c in chunks] == list(range(len(chunks)))
    assert [c.meta[schema.RECORD_INDEX] for c in chunks if schema.RECORD_INDEX in c.meta] == [0, 1]
    assert len({c.id for c in chunks}) == len(chunks)


def test_coverage_counts_the_characters_of_the_lines_found_in_passages() -> None:
    chunks, _ = _chunks_of(PAGES)
    without_last = chunks[:-1]
    lost = sum(len("".join(line.split())) for line in PAGES[2].text.splitlines()[1:4])
    total = sum(len("".join(page.text.split())) for page in PAGES)
    assert text_coverage(PAGES, without_last) == pytest.approx((total - lost) / total)
    # A passage placed on another page does not cover this page's lines.
    moved = [Chunk(c.id, c.text, {**c.meta, schema.PAGE: 1, schema.PAGE_END: 1}) for c in chunks]
    assert text_coverage(PAGES, moved) < 1.0
    assert text_coverage([Page("", 1)], []) == 1.0


def test_short_documents_have_no_repeated_lines_marked() -> None:
    pages = [
        Page("Le maire ouvre la séance.\nQuestions diverses : néant.", 1),
        Page("Le maire ouvre la séance.\nFin.", 2),
    ]
    blocks = outside_blocks(pages, [])
    assert [b.boilerplate for b in blocks] == [False, False]
    assert [(b.page_start, b.text) for b in blocks] == [(1, pages[0].text), (2, pages[1].text)]


# --- the real PVs and comptes rendus of ../shared/corpus ----------------------------------------------
def _real_documents() -> list[str]:
    if not SHARED.is_dir():
        return []
    montpellier = sorted(p.relative_to(SHARED).as_posix() for p in (SHARED / "montpellier" / "pdfs").glob("*.pdf"))
    return [
        "preuilly-sur-claise/PV_CM_2020-07-23.pdf",
        *sorted(p.relative_to(SHARED).as_posix() for p in (SHARED / "couthenans" / "pdfs").glob("*.pdf")),
        *(f"montpellier/comptes_rendus/CR_CM_{day}.pdf" for day in ("07_02_2011", "09_05_2011", "16_12_2011")),
        *montpellier[::25][:10],  # a sample of 10 deliberation extracts spread over the years
    ]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/deliberations absent beside the repository")
def test_the_real_corpus_sample_is_complete() -> None:
    documents = _real_documents()
    assert len(documents) == 25
    assert len([d for d in documents if d.startswith("couthenans/")]) == 11


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/deliberations absent beside the repository")
@pytest.mark.parametrize("relative", _real_documents())
def test_real_council_documents_are_indexed_whole(relative: str, tmp_path: Path) -> None:
    path = SHARED / relative
    settings = Settings(store=tmp_path / "store")
    meta = SourceMeta(relative, hashlib.sha256(path.read_bytes()).hexdigest(), settings)
    (document,) = CouncilPdfLoader().load(path, meta=meta).documents
    pages = load_pdf(path, display=relative, max_pages=settings.max_pages)
    coverage = text_coverage(pages, document.chunks)
    assert coverage >= 0.99, f"{relative}: {coverage:.1%} of the text in passages"
    assert document.meta[schema.COVERAGE] == pytest.approx(coverage, abs=1e-4)
    last = len(pages)
    for chunk in document.chunks:
        assert 1 <= chunk.meta[schema.PAGE] <= chunk.meta[schema.PAGE_END] <= last
        assert chunk.meta[schema.DOC_ID] == document.doc_id


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/deliberations absent beside the repository")
def test_the_couthenans_information_items_are_passages(tmp_path: Path) -> None:
    """The compte rendu of 2021-06-04 gave 7 passages, about a third of its text, before."""
    relative = "couthenans/pdfs/CR_reunion_20210604.pdf"
    path = SHARED / relative
    meta = SourceMeta(relative, "digest", Settings(store=tmp_path / "store"))
    (document,) = CouncilPdfLoader().load(path, meta=meta).documents
    others = [c for c in document.chunks if c.meta[schema.KIND] == schema.KIND_DOCUMENT]
    assert len(document.chunks) - len(others) == 7
    text = "\n".join(c.text for c in others if not c.meta.get(schema.BOILERPLATE))
    for expected in ("Présents :", "Préparation des élections départementales", "Gens du voyage"):
        assert expected in text
    assert {(c.meta[schema.COMMUNE], c.meta[schema.DATE]) for c in others} == {("Couthenans", "2021-06-04")}


# --- where the figure is shown ---------------------------------------------------------------------
@pytest.mark.slow  # over 20 s on 2 cores: run in the slow step (the default run stays under 15 min)
@pytest.mark.integration
def test_the_coverage_is_in_the_manifest_the_ingest_report_and_mairie_documents(
    writable_demo_store: Path, embedding_cache: Path
) -> None:
    from click.testing import CliRunner

    from ingest.pipeline import UNCHANGED, FileEvent, Ingestor, collect_files
    from rag.kb import KnowledgeBase
    from ui.cli import _event_line, main

    result = CliRunner().invoke(main, ["documents", "--json", "--store", str(writable_demo_store)])
    assert result.exit_code == 0, result.output
    listed = {d["source"]: d for d in json.loads(result.stdout)}
    pv = listed["preuilly-sur-claise/PV_CM_2020-07-23.pdf"]
    assert pv["coverage"] == 1.0 and pv["chunks"] == 31
    assert all(d["coverage"] is None for d in listed.values() if d["kind"] == schema.KIND_ARTICLE)
    result = CliRunner().invoke(main, ["documents", "--store", str(writable_demo_store)])
    pv_line = next(line for line in result.stdout.splitlines() if line.endswith("PV_CM_2020-07-23.pdf"))
    assert pv_line.split()[:3] == ["31", "100,0", "%"]

    settings = Settings(store=writable_demo_store, cache_dir=embedding_cache)
    kb = KnowledgeBase(settings)
    files = collect_files([REPO / "data" / "deliberations"])
    events = {e.source: e for e in Ingestor(store=kb.store, settings=settings).run(files)}
    event = events["preuilly-sur-claise/PV_CM_2020-07-23.pdf"]
    assert (event.status, event.coverage) == (UNCHANGED, 1.0)  # read back from the manifest
    line = _event_line(FileEvent("cr.pdf", "indexed", chunks=20, coverage=0.99349))
    assert line == "Indexé : cr.pdf (texte couvert à 99,3 %, 20 passage(s))"
