"""Layouts of session 40's blind set (benchmarks/other_bodies_s40, its dev half): a centre de gestion's register of
acts printed from its web page, each card closed by "Vote : Pour 11 · Contre 3 (M. X, Mme Y, M. Z par pouvoir) ·" /
"Abstention 1 (Mme W) · Adoptée" (the labels first, no colon, the line cut after a separator)."""

from __future__ import annotations

from pathlib import Path

from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.votes import labelled_counts
from rag.schema import DeliberationRecord

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _records(path: Path) -> list[DeliberationRecord]:
    return split_deliberations(load_pdf(path, display=path.name, max_pages=10, isolate=False), source=path.name)


def test_a_vote_of_labelled_counts_is_the_cards_vote_over_its_lines() -> None:
    records = {
        r.delib_id: r for r in _records(BENCHMARKS / "other_bodies_s40" / "dorlanne-cdg-ca-registre-web-2025-06-24.pdf")
    }
    raised = records["CA-2025-031"]
    assert (raised.pour, raised.contre, raised.abstention, raised.outcome) == (11, 3, 1, "adopted")
    assert raised.vote_text is not None and raised.vote_text.endswith("Abstention 1 (Mme FOUGEIROL) · Adoptée")
    refused = records["CA-2025-037"]
    assert (refused.pour, refused.contre, refused.abstention, refused.outcome) == (4, 10, 1, "rejected")
    # the cards voted unanimously keep their vote
    assert records["CA-2025-030"].outcome == "adopted"


def test_labelled_counts_after_a_vote_label() -> None:
    assert labelled_counts("Vote : Pour 11 · Contre 3 (M. LACAMBRONE, Mme ROUMAGNOUX) ·")
    assert labelled_counts("Résultat du vote : pour 9 – contre 2")
    assert not labelled_counts("Vote : unanimité (15 votants) · Adoptée")  # (no counts: read as the unanimity)
    assert not labelled_counts("Le tarif pour 12 repas contre 10 l'an dernier")
