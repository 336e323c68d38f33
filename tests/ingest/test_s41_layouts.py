"""Layouts of session 40's blind set, its test half, read at the end of session 40 and fixed in session 41: a lycée's
board minutes with acts headed "Acte n° 2025-19 …" and each vote drawn as a bar chart ("Pour 14" / "Contre 4" /
"Abstention 2" / "Votants : 20 — ADOPTÉ", a line each); a land association's bureau minutes sent as an e-mail, its
outcomes in sentences of their own ("Approuvé à l'unanimité des 6 votants.", "Unanimité (7 voix).") and an earlier
message quoted under the signature ("> je propose qu'on passe à 14 €/ha")."""

from __future__ import annotations

from pathlib import Path

from ingest.council import outside_blocks, quoted_lines
from ingest.deliberations import record_spans, split_deliberations
from ingest.pdf import load_pdf
from ingest.seance import commune_from_path, detect_seance_date, document_head
from ingest.votes import count_column, form_counts, parse_counts
from rag.schema import DeliberationRecord, Page

S40 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s40"
LYCEE = S40 / "montcabrel-lycee-ca-pv-2025-11-18.pdf"
EMAIL = S40 / "gourvillers-af-bureau-cr-2025-03-07.pdf"


def _pages(path: Path) -> list[Page]:
    return load_pdf(path, display=path.name, max_pages=10, isolate=False)


def _records(path: Path) -> list[DeliberationRecord]:
    return split_deliberations(_pages(path), source=path.name)


def test_acts_headed_acte_n_are_records_with_their_vote_panel() -> None:
    records = {r.delib_id: r for r in _records(LYCEE)}
    assert sorted(records) == [f"2025-0{n}" for n in range(19, 27)]
    budget = records["2025-019"]
    assert budget.objet == "Budget de l'exercice 2026"
    assert (budget.pour, budget.contre, budget.abstention, budget.outcome) == (14, 4, 2, "adopted")
    assert budget.unanimous is False
    assert budget.vote_text == "Pour 14 Contre 4 Abstention 2 Votants : 20 — ADOPTÉ"
    ballot = records["2025-023"]  # the secret ballot: "Blancs 2", no abstention line
    assert (ballot.pour, ballot.contre, ballot.outcome) == (11, 7, "adopted")
    assert ballot.vote_text is not None and ballot.vote_text.endswith("Blancs 2 Scrutin secret — ADOPTÉ")
    refused = records["2025-026"]
    assert (refused.pour, refused.contre, refused.abstention, refused.outcome) == (6, 12, 2, "rejected")
    assert records["2025-025"].unanimous is True


def test_a_vote_panels_column() -> None:
    assert count_column(["Pour 14", "Contre 4", "Abstention 2", "Votants : 20 — ADOPTÉ"]) == 3
    assert count_column(["Pour 11", "Contre 7", "Blancs 2", "Scrutin secret — ADOPTÉ"]) == 3
    assert count_column(["Pour 2025", "Contre 4"]) == 0  # (a year is no count)
    assert count_column(["Contre 4", "Pour 14"]) == 0
    assert parse_counts("Pour 6\nContre 12\nAbstention 2\nVotants : 20 — REJETÉ") == (6, 12, 2)
    # the same column read on one line: the labels first ("14 Contre" counts nobody against)
    assert parse_counts("Pour 14 Contre 4 Abstention 2") == (14, 4, 2)
    assert parse_counts("10 voix pour 2 contre 1 abstention") == (10, 2, 1)
    assert parse_counts("Vote : Pour 11 · Contre 3 (M. X, Mme Y) · Abstention 1 (Mme Z) · Adoptée") == (11, 3, 1)


def test_outcomes_in_sentences_of_their_own_close_an_emails_items() -> None:
    records = _records(EMAIL)
    titles = {r.objet: r for r in records}
    assert titles["Compte administratif 2024"].vote_text == "Approuvé à l'unanimité des 6 votants."
    assert titles["Budget 2025"].vote_text == "Adopté à l'unanimité (7 voix)."  # (over a line break)
    works = next(r for r in records if r.objet and r.objet.startswith("Travaux sur le chemin"))
    assert works.vote_text == "Unanimité (7 voix)." and works.outcome == "adopted"
    tax = titles["Taxe AF 2025 (redevance à l'hectare)"]
    assert (tax.pour, tax.contre) == (5, 2)
    assert all(r.unanimous for r in records if r.vote_text and "nanimit" in r.vote_text)


def test_an_earlier_message_quoted_in_an_email_is_never_quoted_as_the_minutes() -> None:
    pages = _pages(EMAIL)
    spans = [(start, stop) for _, start, stop in record_spans(pages, source=EMAIL.name)]
    quoted = [block for block in outside_blocks(pages, spans) if "14 €/ha" in block.text]
    assert len(quoted) == 1 and quoted[0].boilerplate  # (searchable, never quoted)
    assert quoted[0].text.startswith("Le lun. 3 mars 2025 à 21:07")
    # the minutes above it stay text of the document
    minutes = [block for block in outside_blocks(pages, spans) if "Prochaine réunion du bureau" in block.text]
    assert minutes and not minutes[0].boilerplate


def test_quoted_lines() -> None:
    lines = ["Karine", "Le lun. 3 mars 2025, F. a écrit :", "> Karine,", "> la taxe à", "14 €/ha ?", "> Francis", "fin"]
    assert quoted_lines(lines) == {1, 2, 3, 4, 5}
    assert quoted_lines(["Ordre du jour :", "> Carrière", "> Questions diverses"]) == set()  # (an agenda's marks)


def test_a_head_of_webmail_furniture_takes_the_body_named_in_the_opening() -> None:
    head = document_head(_pages(EMAIL))
    assert "Association foncière de remembrement (AFR) de Gourvillers" in head


def test_a_folder_names_a_commune_only_as_a_proper_noun_of_the_text(tmp_path: Path) -> None:
    folder = tmp_path / "main"
    folder.mkdir()
    pages = [Page("Association foncière de Gourvillers\nélu vice-président à main levée", 1)]
    assert commune_from_path(folder / "cr.pdf", pages) is None  # ("à main levée" is no commune "Main")
    named = tmp_path / "couthenans"
    named.mkdir()
    pages = [Page("Commune de Couthenans\nCompte rendu", 1)]
    assert commune_from_path(named / "cr.pdf", pages) == "Couthenans"


# Session 41's blind set, its dev half (benchmarks/other_bodies_s41): a syndicate's procès-verbal typed into a
# pre-printed form (comb fields, "N° DE DÉLIBÉRATION" over its value, vote boxes each label over its count, the result
# ticked), a hospital's signed extracts exported from a signature workflow after the batch's recap table, a CLECT's
# report printed as an imposed booklet (its last page first, a later séance announced there).
S41 = Path(__file__).resolve().parents[2] / "benchmarks" / "other_bodies_s41"
FORM = S41 / "courtebize-sivu-gymnase-formulaire-pv-2025-12-08.pdf"
EXPORT = S41 / "vaudelanne-ch-conseil-surveillance-export-parapheur-2025-10-16.pdf"
BOOKLET = S41 / "lurcelles-cc-clect-rapport-2025-09-17.pdf"


def test_a_forms_comb_fields_are_read_as_typed() -> None:
    text = _pages(FORM)[0].text.splitlines()
    assert "08/12/2025" in text and "251093648" in text and "D2025-21" in text


def test_a_forms_decisions_are_records_with_their_ticked_result() -> None:
    records = {r.delib_id: r for r in _records(FORM)}
    assert sorted(records) == [f"D-2025-0{n}" for n in range(21, 28)]
    tariffs = records["D-2025-021"]
    assert tariffs.objet == "Tarifs de location du gymnase pour l'année 2026"
    assert (tariffs.pour, tariffs.contre, tariffs.abstention, tariffs.outcome) == (7, 1, 0, "adopted")
    assert tariffs.vote_text == "POUR 07 CONTRE 01 ABST. 00 ☒ Adoptée"
    refused = records["D-2025-025"]  # "☒ Rejetée": the ticked box, not the "☐ Adoptée" beside it
    assert (refused.pour, refused.contre, refused.outcome) == (2, 6, "rejected")


def test_form_counts_need_pour_and_contre_filled() -> None:
    assert form_counts(["POUR", "07", "CONTRE", "01", "RÉSULTAT", "☐ Adoptée ☒ Rejetée"]) == (
        "POUR 07\nCONTRE 01\n☒ Rejetée",
        6,
    )
    assert form_counts(["VOTANTS", "08", "QUORUM", "05"]) is None


def test_an_exports_recap_table_is_no_part_of_its_first_extract() -> None:
    pages = _pages(EXPORT)
    spans = record_spans(pages, source=EXPORT.name)
    first, start, _ = spans[0]
    assert first.delib_id == "CS-2025-12"
    lines = [line for page in pages for line in page.text.splitlines()]
    assert lines[start] == "CENTRE HOSPITALIER DE VAUDELANNE"  # (the masthead every extract repeats)
    recap = [b for b in outside_blocks(pages, [(a, b) for _, a, b in spans]) if "Récapitulatif du lot" in b.text]
    assert recap and "CS-2025-" in recap[0].text


def test_a_seance_announced_for_later_is_not_the_documents() -> None:
    assert detect_seance_date(_pages(BOOKLET), BOOKLET.name) == "2025-09-17"
    page = Page("Le conseil fixera les attributions lors de sa séance du jeudi 22 janvier 2026.", 1)
    assert detect_seance_date([page], "rapport.pdf") is None
