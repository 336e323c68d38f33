"""Pseudonymisation of private persons (ingest/pseudonymize.py) on sentences of the real council documents."""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path

import pytest

from ingest.pseudonymize import Pseudonymizer, find_officials, pseudonymize_pages
from rag.schema import Page

REPO = Path(__file__).resolve().parents[2]

# From PV_CM_2020-07-23.pdf (Preuilly-sur-Claise), as its text layer reads.
PREUILLY = (
    "Présents :\n\n"
    "M.CHARRIER Jean-Paul Maire, M.THOREAU Gérard, Mme STAMFELJ Marie-José, M. ROBERT Henri\n"
    "Adjoints,  Mme DEBERNE Yolande, M.BERNARD Bruno  Délégué, M. VERON Jean-François, M. JALON\n"
    "Absente  excusée: Mme VENOT Charlène\n"
    "Secrétaire de séance : Mme BOTTEMINE Charlotte.\n\n"
    "Monsieur le Maire rappelle au Conseil Municipal que Mme Robert M.Claude  Adjoint Technique\n"
    "4000€ pour l’acquisition d’un garage appartenant à Mme Destruel. Ce local est situé Route du Grand\n"
    "CHARGENT M. le Maire de prendre contact auprès Me ROBLIN, Notaire à Preuilly sur Claise et\n"
    "M. Robert indique que la Communauté de Communes aurait dû se positionner\n"
    "Il précise également que Mme Stamfelj et M. Bernard travaillent sur le prix de revient d’un repas"
)


@pytest.fixture()
def pz(tmp_path: Path) -> Pseudonymizer:
    return Pseudonymizer(tmp_path / "pseudo" / "pseudonymes.json")


def test_officials_are_read_from_the_member_lists() -> None:
    officials = find_officials(PREUILLY)
    for name in ("CHARRIER", "THOREAU", "STAMFELJ", "ROBERT", "DEBERNE", "BERNARD", "VENOT", "BOTTEMINE"):
        assert any(name in o for o in officials), name
    assert not any("Destruel" in o or "ROBLIN" in o for o in officials)


def test_private_persons_are_replaced_and_officials_kept(pz: Pseudonymizer) -> None:
    out = pz.pseudonymize(PREUILLY, officials=find_officials(PREUILLY))
    for private in ("Destruel", "ROBLIN", "Robert M.Claude"):
        assert private not in out, private
    for official in ("M.CHARRIER Jean-Paul", "M. ROBERT Henri", "M. Robert indique", "Mme Stamfelj", "M. Bernard"):
        assert official in out, official
    assert "Mme Personne-" in out and "Me Personne-" in out
    # The agent's grade "Adjoint Technique" is kept, and is not mistaken for an elected adjoint.
    assert "Adjoint Technique" in out


def test_a_land_sale_in_montpellier(pz: Pseudonymizer) -> None:
    text = (
        "Acquisition de la propriété de M. Joseph Manuel GRACIAS\nMonsieur le Maire, Philippe Saurel, rapporte :\n"
        "- de confier la rédaction de l’acte d’acquisition à Maître BONNARY, notaire à Montpellier ;\n"
        "Propriété GRACIAS\nMonsieur le Maire,\nPhilippe SAUREL"
    )
    out = pz.pseudonymize(text, officials=find_officials(text))
    assert "GRACIAS" not in out and "BONNARY" not in out
    assert "Philippe Saurel, rapporte" in out and "Philippe SAUREL" in out
    assert "Propriété Personne-" in out


def test_pseudonyms_are_stable_across_runs_and_the_files_private(tmp_path: Path) -> None:
    mapping = tmp_path / "pseudo" / "pseudonymes.json"
    first = Pseudonymizer(mapping).pseudonymize("vente à Mme Destruel", officials=set())
    again = Pseudonymizer(mapping).pseudonymize("Madame Destruel accepte", officials=set())
    assert first.split()[-1] == again.split()[1]
    assert first.split()[-1].startswith("Personne-") and len(first.split()[-1]) == len("Personne-1A2B")
    for path in (mapping, mapping.with_name(mapping.name + ".key")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    data = json.loads(mapping.read_text(encoding="utf-8"))
    (entry,) = data["pseudonyms"].values()
    assert entry["names"] == ["Madame Destruel", "Mme Destruel"]
    # Another key, other pseudonyms: they come from the local secret, not from the name alone.
    other = Pseudonymizer(tmp_path / "autre" / "p.json").pseudonymize("vente à Mme Destruel", officials=set())
    assert other != first


def test_a_person_named_on_another_page_is_found(pz: Pseudonymizer) -> None:
    pages = [
        Page("Il informe que Cindy MOREAU a déposé sa candidature.", 7),
        Page("le Conseil Municipal ACCEPTE la nomination de Mme Moreau\nCindy, Stagiaire", 8),
    ]
    out = pseudonymize_pages(pages, pz)
    assert [p.page_number for p in out] == [7, 8]
    assert "MOREAU" not in out[0].text and "Moreau" not in out[1].text


@pytest.mark.integration
def test_benchmark_on_the_labelled_documents(capsys: pytest.CaptureFixture[str]) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import pseudonymization

    totals = pseudonymization.evaluate()
    assert totals["documents"] >= 2
    assert totals["caught"] / totals["private"] >= 0.9
    assert totals["wrongly_replaced"] == 0


def test_a_person_found_once_is_replaced_everywhere_in_any_casing(pz: Pseudonymizer) -> None:
    text = (
        "Zorglubian a écrit au maire.\nVente à M. ZORGLUBIAN Gaston d'une parcelle.\n"
        "ZORGLUBIAN signe ; Gaston Zorglubian paiera ; le dossier Zorglubian est clos."
    )
    out = pz.pseudonymize(text, officials=find_officials(text))
    assert "zorglubian" not in out.lower()
    (pseudonym,) = set(re.findall(r"Personne-[0-9A-F]{4}", out))
    assert out.count(pseudonym) == 5  # the first mention, before the civility, too


def test_families_emails_and_phone_numbers_are_masked(pz: Pseudonymizer) -> None:
    text = (
        "La famille Bidochon et les consorts TARTEMPION demandent un rendez-vous. "
        "Écrire à jean-paul.bidochon@example.org ou à mairie@commune.fr ; "
        "tél. 06 12 34 56 78, 06.12.34.56.78, 0612345678, 06-12-34-56-78, +33 6 12 34 56 78, "
        "+33 (0)6 12 34 56 78, 0033 6 12 34 56 78. Budget : 2 345 678 euros, délibération 2023-045."
    )
    out = pz.pseudonymize(text, officials=set())
    assert "Bidochon" not in out and "TARTEMPION" not in out and "bidochon@" not in out
    assert "La famille Personne-" in out and "les consorts Personne-" in out
    assert out.count("[téléphone masqué]") == 7 and "[courriel masqué]" in out
    assert "mairie@commune.fr" in out  # a service's mailbox is not a person's
    assert "2 345 678 euros" in out and "2023-045" in out


def test_names_without_title_and_what_must_survive(pz: Pseudonymizer) -> None:
    text = (
        "Jean Tartempion et BIDOCHON Martine ont déposé un permis. Le Conseil Municipal de Preuilly-sur-Claise "
        "approuve. Travaux rue Jean Jaurès, avenue du Professeur Louis Ravaz, salle Charlie Chaplin, "
        "école Marie Curie. Article L2121-17 du Code Général des Collectivités Territoriales."
    )
    out = pz.pseudonymize(text, officials=set())
    assert "Tartempion" not in out and "BIDOCHON" not in out
    for kept in (
        "Conseil Municipal de Preuilly-sur-Claise",
        "rue Jean Jaurès",
        "Professeur Louis Ravaz",
        "salle Charlie Chaplin",
        "école Marie Curie",
        "Code Général des Collectivités Territoriales",
    ):
        assert kept in out, kept


def test_pseudonymising_twice_changes_nothing(pz: Pseudonymizer) -> None:
    once = pz.pseudonymize(PREUILLY + "\nLa famille Destruel, Mme Personne-1A2B.", officials=find_officials(PREUILLY))
    assert pz.pseudonymize(once, officials=find_officials(once)) == once


def test_file_names_lose_names_and_keep_document_words(pz: Pseudonymizer) -> None:
    masked = pz.mask_source("deliberations/2023-05-12_Cession_ZORGLUBIAN.pdf")
    assert masked == f"deliberations/2023-05-12_Cession_{pz.surname_pseudonym('Zorglubian')}.pdf"
    assert "Dupont" not in pz.mask_source("dossiers/famille_dupont/acte.pdf")
    # Damage: no key of the repository's documents changes (CGCT articles, council PDFs, legal data).
    keys = [p.relative_to(REPO / "data").as_posix() for p in (REPO / "data").rglob("*") if p.is_file()]
    assert len(keys) > 100
    assert [k for k in keys if pz.mask_source(k) != k] == []
    assert pz.mask_source("PV_DU_15_DECEMBRE_2024-tampon.pdf") == "PV_DU_15_DECEMBRE_2024-tampon.pdf"
