"""The decision as data, read from real minutes: the operative part, its rows, amounts, persons and votes."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ingest.deliberations import split_deliberations
from ingest.pdf import load_pdf
from rag.decision import Decision, after_verb, extract_decision, is_row
from rag.schema import DeliberationRecord

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "deliberations"
SHARED = ROOT.parent / "shared" / "corpus" / "deliberations"


@functools.cache
def _records(path: Path) -> list[DeliberationRecord]:
    pages = load_pdf(path, display=path.name, max_pages=50, isolate=False)
    return split_deliberations(pages, source=path.name)


def _decision(path: Path, *, delib_id: str | None = None, objet: str | None = None) -> Decision:
    record = next(
        r for r in _records(path) if (delib_id and r.delib_id == delib_id) or (objet and objet in (r.objet or ""))
    )
    return extract_decision(record.text, record)


PREUILLY = DATA / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"
COUTHENANS_2021 = DATA / "couthenans" / "CR_reunion_20210604.pdf"
COUTHENANS_2022 = DATA / "couthenans" / "CR_conseil_municipal_07_10_2022.pdf"
MONTPELLIER_SPLA = DATA / "montpellier" / "2014-04-24-0000071244.pdf"


def test_canteen_tariffs_are_the_rows_the_council_accepted_with_their_own_vote() -> None:
    decision = _decision(PREUILLY, delib_id="2020-045")
    children, adults = decision.provisions
    assert children.sentence.startswith("ACCEPTE les tarifs proposés pour les repas enfants")
    assert children.rows == [
        "3.40€ pour les enfants qui déjeunent de manière régulière",
        "3.50€ pour ceux qui prennent leur repas occasionnellement",
    ]
    assert children.vote == "13 pour, 1 contre"
    assert adults.rows == ["5.80€ pour les repas adultes"] and adults.vote == "unanimité"
    # The 2019/2020 prices the mayor recalled are not part of what was decided.
    assert decision.amounts == ["3.40€", "3.50€", "5.80€"]
    assert (decision.pour, decision.contre, decision.vote) == (13, 1, "13 pour, 1 contre")


def test_a_rate_table_and_its_total_are_kept_as_rows() -> None:
    decision = _decision(PREUILLY, delib_id="2020-047")
    assert decision.provisions[0].rows[-1] == "TOTAUX 1751.73€"
    assert "1751,73 euros" in decision.amounts and "55.44€" in decision.amounts


@pytest.mark.parametrize(
    ("delib_id", "persons"),
    [
        ("2020-041", ["M. CHARRIER Jean-Paul", "Mme STAMFELJ Marie-José"]),
        ("2020-042", ["Mme STAMFELJ Marie-José", "M. ROBERT Henri", "M. THOREAU Gérard", "Mme PÉROT Dorothée"]),
        ("2020-043", ["M. ROBERT Henri"]),
    ],
)
def test_persons_designated_are_read_from_the_designation(delib_id: str, persons: list[str]) -> None:
    assert _decision(PREUILLY, delib_id=delib_id).persons == persons


def test_the_vote_between_the_verb_and_its_rows_is_not_a_row() -> None:
    decision = _decision(PREUILLY, delib_id="2020-052")
    (provision,) = decision.provisions
    assert provision.rows[0].startswith("DE DONNER UN AVIS DEFAVORABLE")
    assert not any("voix" in row for row in provision.rows)
    assert decision.vote == "2 pour, 11 contre, 1 abstention(s)"


def test_names_after_sont_elus_in_a_montpellier_extract() -> None:
    decision = _decision(MONTPELLIER_SPLA, delib_id="2014/145")
    elected = next(p for p in decision.provisions if p.verb == "a élu")
    assert elected.rows == ["Fabrice PALAU", "Henri MAILLET", "Mylène CHARDES", "Vincent HALUSKA"]
    assert decision.vote == "adopté (décompte non précisé)"


def test_informal_compte_rendu_vote_keeps_the_amounts_per_association() -> None:
    decision = _decision(COUTHENANS_2021, objet="Subventions associatives")
    (provision,) = decision.provisions
    assert provision.verb == "a voté" and provision.vote == "14 pour, 0 contre, 0 abstention(s)"
    assert any(row.startswith("Banque alimentaire (demande 380€)") for row in provision.rows)
    assert decision.amounts[:4] == ["230€", "380€", "400€", "390€"]


def test_a_bare_vote_line_takes_the_list_above_it() -> None:
    decision = _decision(COUTHENANS_2022, objet="Subventions aux associations")
    (provision,) = decision.provisions
    assert provision.rows == [
        "Le budget réservé aux associations s’élève à 2000€",
        "ASSPEC : 600€",
        "Coopérative scolaire : 600€",
        "Cycloclub Couthenans : 230€",
    ]


def test_informal_vote_counts_in_any_order() -> None:
    decision = _decision(DATA / "couthenans" / "CR_reunion_20220121.pdf", objet="Travaux forestiers")
    assert decision.provisions[0].vote == "11 pour, 1 abstention(s), 2 contre"


@pytest.mark.skipif(
    not (SHARED / "couthenans" / "pdfs" / "CR_reunion_20211105.pdf").exists(),
    reason="the shared corpus is not next to this worktree",
)
def test_a_compte_rendu_no_rule_was_written_for() -> None:
    decision = _decision(SHARED / "couthenans" / "pdfs" / "CR_reunion_20211105.pdf", objet="Recensement voirie")
    assert decision.provisions[0].vote == "12 pour"
    assert decision.amounts == ["5 000 €"]


def test_unknown_stays_empty() -> None:
    decision = extract_decision(
        "Monsieur le Maire présente le rapport annuel du syndicat des eaux.\nLe rapport est consultable en mairie."
    )
    assert decision == Decision()


def test_rows() -> None:
    assert is_row("- 3.40€ pour les enfants")
    assert is_row("ACCA : 60€")
    assert is_row("Titulaire : M. CHARRIER Jean-Paul")
    assert not is_row("Par 13 voix POUR – 1 voix CONTRE")
    assert not is_row("2) Il propose d’appliquer le tarif suivant pour les adultes :")
    assert not is_row("Monsieur le Maire rappelle les tarifs de la cantine")


# Layouts no rule was written for (the documents of benchmarks/decision_gold_dev.json).
MTP = SHARED / "montpellier"
needs_montpellier = pytest.mark.skipif(not MTP.is_dir(), reason="../shared/corpus is not present")


@needs_montpellier
def test_subsidies_ci_dessus_take_the_table_above_as_rows() -> None:
    decision = _decision(MTP / "pdfs" / "2013-02-04-0000061110.pdf", objet="structures et projets culturels")
    provision = next(p for p in decision.provisions if "ci-dessus" in " ".join(p.rows))
    assert provision.sentence == "En conséquence, il est demandé au Conseil Municipal:"
    assert provision.rows[0] == "1781 Regards sur le cinéma algérien P 2 000 €"
    assert "F 40 000 €" in provision.rows
    assert {"2 000 €", "1 000 €", "10 000 €", "12 000 €", "40 000 €", "55 000 €"} <= set(decision.amounts)
    # Column titles in capitals ("... MONTANT ACCORDE") are no operative verb.
    assert not any("MONTANT ACCORDE" in p.sentence for p in decision.provisions)


@needs_montpellier
def test_compte_rendu_count_lines_are_the_vote() -> None:
    path = MTP / "comptes_rendus" / "CR_CM_07_02_2011.pdf"
    free = _decision(path, objet="Logiciels Libres")
    assert (free.pour, free.contre, free.abstention) == (51, None, 7)
    assert free.vote == "unanimité : 51 pour, 7 abstention(s)"
    place = _decision(path, objet="Place Georges FRECHE")
    assert (place.pour, place.contre) == (58, 1)
    # Two items' counts in one text: which is whose is not known, nothing is stated.
    two = extract_decision("1. Point un\nPour : 12\nContre : 1\n2. Point deux\nPour : 13\n")
    assert two.pour is None and two.vote is None


@needs_montpellier
def test_names_after_ont_ete_elus_under_a_sub_heading_or_a_label() -> None:
    services = _decision(MTP / "pdfs" / "2014-04-24-0000071263.pdf", objet="services publics locaux")
    elected = next(p for p in services.provisions if p.sentence == "Ont été élus :")
    assert elected.verb == "a élu"
    assert elected.rows[:2] == ["Patrick RIVAS", "Jean-Marc DI RUGGIERO"]
    assert "Représentants élus :" not in elected.rows
    sales = _decision(MTP / "pdfs" / "2014-04-24-0000071262.pdf", objet="cessions immobilières")
    assert "Henri de VERBIZIER" in sales.persons and len(sales.persons) == 8
    elected = next(p for p in sales.provisions if p.sentence == "Ont été élus :")
    assert elected.rows[0].startswith("Président : Monsieur le Maire")


def test_a_dispositif_in_articles_is_what_is_decided_not_the_considerant_above() -> None:
    """A département's extract (session 31's blind set): "DÉCIDE :" then "ARTICLE 1 : ..." with its table."""
    text = (
        "CONSIDÉRANT que le montant de l'autorisation de programme disponible s'élève à 95 000 € ;\n"
        "LA COMMISSION PERMANENTE, APRÈS EN AVOIR DÉLIBÉRÉ, DÉCIDE :\n"
        "ARTICLE 1 : D'attribuer au titre du FDSCR 2019 les subventions suivantes :\n"
        "Cormauville Réfection de la voirie communale 120 000 € 20 % 24 000 €\n"
        "TOTAL 73 385 €\n"
        "ARTICLE 2 : Les crédits sont imputés sur le chapitre 204.\n"
        "Pour extrait conforme, la Présidente\n"
    )
    (provision,) = extract_decision(text).provisions
    assert provision.verb == "a décidé"
    assert provision.rows[0].startswith("ARTICLE 1 : D'attribuer") and "TOTAL 73 385 €" in provision.rows
    assert provision.rows[-1].startswith("ARTICLE 2") and not any("95 000" in row for row in provision.rows)


def test_a_letter_spaced_delibere_opens_the_articles() -> None:
    """A SDIS's act (session 32's blind set, read after its test half was measured): "D É L I B È R E" spaced out
    for emphasis, then "Article 1er : ..." with its table: the articles are what it decided."""
    text = (
        "CONSIDÉRANT que la vacation horaire est fixée par arrêté ministériel ;\n"
        "D É L I B È R E\n"
        "Article 1er : Le montant de la vacation horaire versée aux sapeurs-pompiers volontaires est fixé comme suit :\n"
        "Grade Vacation horaire\n"
        "Officiers 12,40 €\n"
        "Sapeurs 8,24 €\n"
        "Article 2 : La dépense est inscrite au chapitre 012.\n"
        "Fait et délibéré les jour, mois et an susdits.\n"
    )
    (provision,) = extract_decision(text).provisions
    assert provision.verb == "a décidé" and provision.sentence == "DÉLIBÈRE" and after_verb(provision) == ""
    assert provision.rows[0].startswith("Article 1er") and "Officiers 12,40 €" in provision.rows
    assert provision.rows[-1].startswith("Article 2") and not any("CONSIDÉRANT" in row for row in provision.rows)
