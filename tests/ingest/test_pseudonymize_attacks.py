"""Issue 12 item 4: the attacks that made pseudonymisation leak, replayed on a real store with real files.

With MAIRIE_PSEUDONYMIZE=1: a name in the file name, a later mixed-case mention, "famille X", e-mail
addresses, phone numbers, a name without title, Markdown and CSV files, and a store indexed before the
setting was turned on. Each test ingests through ingest.service (real Chroma, real files in tmp) and reads
back everything the store keeps: passages, their metadata, the documents manifest, and the raw files.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from ingest.pseudonymize import MARKER, PSEUDONYMIZATION_VERSION, original_path
from ingest.scdl import scdl_fields
from ingest.service import ingest_files
from rag.kb import KnowledgeBase
from rag.settings import Settings
from tests.conftest import DATA

pytestmark = pytest.mark.integration

# A fixed secret key: the pseudonymised passages are then the same on every run, and the shared embedding
# cache serves them (a new key per run would make every passage a new one to embed).
KEY = "5eed" * 16
NOTE = (
    "# Cession d'un terrain communal à M. ZORGLUBIAN\n\n"
    "Le conseil municipal de Preuilly-sur-Claise approuve la cession à M. ZORGLUBIAN Gaston de la parcelle "
    "AB 12, rue Victor Hugo.\n\n"
    "Zorglubian a signé le compromis le 3 mars ; la famille Bidochon, voisine, ne s'y oppose pas.\n\n"
    "Jean Tartempion, géomètre, a borné le terrain. Contact de l'acquéreur : gaston.zorglubian@example.org, "
    "06 12 34 56 78, 06.12.34.56.78 ou +33 6 12 34 56 78. Renseignements : mairie@preuilly.fr.\n"
)
LEAKS = ("zorglubian", "bidochon", "tartempion", "gaston.", "06 12 34", "06.12.34", "+33 6")


def settings_for(tmp_path: Path, embedding_cache: Path, *, on: bool = True) -> Settings:
    settings = Settings(store=tmp_path / "store", cache_dir=embedding_cache, pseudonymize=on)
    key = settings.store / "pseudonymisation" / "pseudonymes.json.key"
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        key.write_text(KEY + "\n", encoding="ascii")
        key.chmod(0o600)
    return settings


def everything_stored(kb: KnowledgeBase) -> str:
    """Every string the store gives back: passages, their metadata, the manifest (keys, titles, metadata)."""
    parts = []
    for chunk in kb.store.iter_chunks():
        parts += [chunk.text, *(str(v) for v in chunk.meta.values())]
    for info in kb.store.documents(include_incomplete=True):
        parts += [info.source, info.title, *(str(v) for v in info.meta.values())]
    return "\n".join(parts)


def raw_store_bytes(store: Path) -> bytes:
    """The bytes of every file of the store but the private mapping (what `strings` would read)."""
    return b"".join(
        p.read_bytes() for p in store.rglob("*") if p.is_file() and "pseudonymisation" not in p.relative_to(store).parts
    )


def test_markdown_file_name_later_mentions_family_contacts_and_bare_names(
    tmp_path: Path, embedding_cache: Path
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    note = folder / "2023-03-03_Cession_ZORGLUBIAN.md"
    note.write_text(NOTE, encoding="utf-8")
    settings = settings_for(tmp_path, embedding_cache)
    kb = KnowledgeBase(settings)
    summary = ingest_files([folder], kb=kb)
    assert summary.indexed == 1, summary.events
    stored = everything_stored(kb)
    for leak in LEAKS:
        assert leak not in stored.lower(), leak
    assert "[courriel masqué]" in stored and "[téléphone masqué]" in stored
    assert "mairie@preuilly.fr" in stored  # a service's mailbox is not personal data
    # What is not a person survives: the commune, the street, the parcel, the title's words.
    for kept in ("Preuilly-sur-Claise", "rue Victor Hugo", "AB 12", "Cession d'un terrain communal"):
        assert kept in stored, kept
    (info,) = kb.store.documents()
    assert info.source.startswith("2023-03-03_Cession_Personne-") and info.source.endswith(".md")
    assert info.meta[MARKER] == PSEUDONYMIZATION_VERSION
    # The same person everywhere: the file name, the civility mention, the bare capitalised mention.
    pseudonym = info.source.removeprefix("2023-03-03_Cession_").removesuffix(".md")
    assert stored.count(pseudonym) >= 4
    # "Ouvrir la page": the stored path leads back to the real file, through the private originals file.
    chunk = next(iter(kb.store.iter_chunks()))
    assert "ZORGLUBIAN" not in chunk.meta["path"]
    assert original_path(settings.store, chunk.meta["path"]) == str(note.resolve())
    # Nothing in clear in the raw files either (Chroma's database, the lexical index ...).
    raw = raw_store_bytes(settings.store).lower()
    for leak in ("zorglubian", "bidochon", "tartempion"):
        assert leak.encode() not in raw, leak
    # The private mapping knows who is who, for an authorised person.
    mapping = (settings.store / "pseudonymisation" / "pseudonymes.json").read_text(encoding="utf-8")
    assert "ZORGLUBIAN" in mapping and "Bidochon" in mapping
    # A second run changes nothing.
    assert ingest_files([folder], kb=kb).unchanged == 1


def test_scdl_csv_rows_are_pseudonymised(tmp_path: Path, embedding_cache: Path) -> None:
    path = tmp_path / "deliberations_ZORGLUBIAN.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(scdl_fields()))
        writer.writeheader()
        writer.writerow(
            {
                "COLL_NOM": "Commune de Preuilly-sur-Claise",
                "COLL_SIRET": "00000000000000",
                "DELIB_ID": "2023-012",
                "DELIB_DATE": "2023-03-03",
                "DELIB_MATIERE_CODE": "3.2",
                "DELIB_MATIERE_NOM": "Domaine et patrimoine/Aliénations",
                "DELIB_OBJET": "Cession de la parcelle AB 12 à Mme Zorglubian et à la famille Bidochon",
                "VOTE_EFFECTIF": "15",
                "VOTE_REEL": "14",
                "VOTE_POUR": "14",
                "VOTE_CONTRE": "0",
                "VOTE_ABSTENTION": "0",
            }
        )
    kb = KnowledgeBase(settings_for(tmp_path, embedding_cache))
    summary = ingest_files([path], kb=kb)
    assert summary.indexed == 1, summary.events
    stored = everything_stored(kb)
    assert "zorglubian" not in stored.lower() and "bidochon" not in stored.lower()
    assert "Cession de la parcelle AB 12 à Mme Personne-" in stored


def test_turning_the_setting_on_reprocesses_a_store_indexed_in_clear(tmp_path: Path, embedding_cache: Path) -> None:
    folder = tmp_path / "pv"
    folder.mkdir()
    # A real council report (private persons: Bindit, Alcalay, Nguyen), its file name carrying a name.
    pdf = folder / "CR_2022-10-07_Cession_ZORGLUBIAN.pdf"
    shutil.copy(DATA / "deliberations" / "couthenans" / "CR_conseil_municipal_07_10_2022.pdf", pdf)
    plain = settings_for(tmp_path, embedding_cache, on=False)
    assert ingest_files([folder], kb=KnowledgeBase(plain)).indexed == 1
    assert "Bindit" in everything_stored(KnowledgeBase(plain))

    kb = KnowledgeBase(plain.replace(pseudonymize=True))
    summary = ingest_files([folder], kb=kb)
    assert summary.indexed == 1, summary.events
    assert any("non pseudonymisée retirée" in w for w in summary.warnings)
    (info,) = kb.store.documents(include_incomplete=True)  # the document in clear is gone, not kept beside
    assert "ZORGLUBIAN" not in info.source and info.meta[MARKER] == PSEUDONYMIZATION_VERSION
    stored = everything_stored(kb)
    for leak in ("ZORGLUBIAN", "Bindit", "Alcalay", "Nguyen"):
        assert leak not in stored, leak
    assert "LECESTRE" in stored and "FIGINI" in stored  # elected officials, acting in their role, are kept
    assert ingest_files([folder], kb=kb).unchanged == 1
    # Turned off again: the text comes back in clear, under the clear key, and the pseudonymised copy goes.
    summary = ingest_files([folder], kb=KnowledgeBase(plain))
    assert any("version pseudonymisée retirée" in w for w in summary.warnings), summary.warnings
    assert [d.source for d in KnowledgeBase(plain).store.documents(include_incomplete=True)] == [pdf.name]
