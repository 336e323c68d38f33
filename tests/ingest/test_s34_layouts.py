"""Layouts met in session 34: a verbatim procès-verbal whose speakers are set in small capitals
(benchmarks/other_bodies_s33/castelbrune-pv-2023-11-27.pdf), which pypdf gives as "M ME  F AURIEL . —"; and the dev
half of session 34's blind set (benchmarks/other_bodies_s34): a commune's recueil des actes administratifs, a public
care home's conseil d'administration, an energy syndicate's bureau."""

from __future__ import annotations

from pathlib import Path

from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import detect_commune, detect_seance_date, document_head
from rag.bodies import body_article
from rag.schema import Page

S33 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s33"


def test_small_capitals_are_read_as_the_words_they_spell() -> None:
    path = S33 / "castelbrune-pv-2023-11-27.pdf"
    text = "\n".join(page.text for page in load_pdf(path, display=path.name, max_pages=10, isolate=False))
    assert "MME  FAURIEL . —" in text
    assert "M. LE  MAIRE . —" in text
    assert "M ME" not in text and "M AIRE" not in text
    # ordinary capitals keep their spaces: "À RETENIR", "A LA MAJORITÉ" are words of their own
    assert "Le rapport est adopté à la majorité" in text


S34 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s34"


def _pages(name: str) -> list[Page]:
    path = S34 / name
    return load_pdf(path, display=name, max_pages=10, isolate=False)


def test_a_recueil_des_actes_holds_orders_dated_where_signed_and_each_seances_deliberations() -> None:
    """A commune's "recueil des actes administratifs": the mayor's orders ("ARRÊTÉ N° 2021-A-061" / "portant ...")
    are records of their own, dated where they are signed ("Fait à ..., le 2 juillet 2021"); the deliberations of
    two séances summed up on the last page take the date of their own "Séance du ..." heading."""
    name = "aurignol-raa-2021-t3.pdf"
    pages = _pages(name)
    assert detect_commune(pages[:1], name) == "Aurignol-sur-Vionne"  # "Commune d'Aurignol-sur-Vionne RAA n° ..."
    records = {r.delib_id: r for r in split_deliberations(pages, source=name)}
    assert [(n, records[n].date) for n in ("2021-A-061", "2021-A-064", "2021-A-078")] == [
        ("2021-A-061", "2021-07-02"),
        ("2021-A-064", "2021-07-09"),
        ("2021-A-078", "2021-08-30"),
    ]
    assert records["2021-A-064"].objet.startswith("portant limitation de la vitesse à 30 km/h")
    assert (records["2021-041"].date, records["2021-049"].date) == ("2021-07-08", "2021-09-23")
    # "Rejetée par 7 voix" / "pour, 10 voix contre et 1 abstention.": one vote over a line break
    rejected = records["2021-051"]
    assert (rejected.pour, rejected.contre, rejected.abstention, rejected.outcome) == (7, 10, 1, "rejected")


def test_a_public_care_home_heads_its_minutes() -> None:
    name = "ehpad-vedrignac-ca-2024-12-10.pdf"
    assert detect_commune(_pages(name)[:1], name) == "Maison de retraite de Védrignac"
    assert body_article("Maison de retraite de Védrignac") == "la"


def test_the_head_of_a_document_names_its_body() -> None:
    """The first lines of the first page are kept with every passage: "SDES" is written there only. (Since session 39
    the running header and the page number above them are not counted among them: the masthead under them is.)"""
    name = "sdes-bureau-2022-05-17.pdf"
    head = document_head(_pages(name))
    assert head == "SDES Syndicat départemental d'énergies de la Sarnonne"


def test_the_seance_is_not_the_one_approving_the_minutes_nor_the_one_they_approve() -> None:
    """Read after s34's test half: a running footer "Page 1 / 3Approuvé en séance du 19 décembre 2019" (the page number
    glued to it) and "Le procès-verbal de la séance du 26 septembre 2019 est approuvé" are no dates of this séance,
    which is "du conseil municipal du jeudi 28 novembre 2019"."""
    name = "auribal-pv-2019-11-28.pdf"
    pages = _pages(name)
    assert (detect_commune(pages[:1], name), detect_seance_date(pages, "x.pdf")) == ("Auribal-le-Vieux", "2019-11-28")


def test_a_bulletins_commune_is_named_below_its_masthead() -> None:
    """Read after s34's test half: a bulletin's page opens on its masthead and boxes; the council is named further
    down ("... lors des trois dernières séances du conseil municipal de Vernouillac.")."""
    name = "vernouillac-echos-2025-06.pdf"
    assert detect_commune(_pages(name)[:1], name) == "Vernouillac"
