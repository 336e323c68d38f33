"""The Streamlit app's logic, page by page, with streamlit.testing.v1.AppTest on the demo store."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "ui" / "app.py")
CANTEEN = "Qu'a voté le conseil municipal sur la cantine scolaire ?"
GOOD_PDF = REPO / "data" / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"

pytestmark = pytest.mark.integration


def walk(node: Any) -> Iterator[Any]:
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


def of_type(at: AppTest, name: str) -> list[Any]:
    return [e for e in walk(at.main) if type(e).__name__ == name]


def texts(elements: Any) -> str:
    return "\n".join(str(e.value) for e in elements)


@pytest.fixture()
def on_store(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.delenv("MAIRIE_UI_HOST", raising=False)

    def use(store: Path) -> AppTest:
        monkeypatch.setenv("MAIRIE_STORE", str(store))
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        assert not at.exception, at.exception
        return at

    return use


def test_local_access_without_accounts_is_admin(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    assert "Accès local sans identification" in texts(at.sidebar.info)
    assert [t.value for t in at.title] == ["Poser une question"]


def test_canteen_question_shows_a_cited_source_card(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.chat_input[0].set_value(CANTEEN).run()
    assert not at.exception, at.exception
    markdown = texts(at.markdown)
    assert "Délibération 2020-045" in markdown  # the card's title (escaped markdown)
    assert "<mark>" in markdown  # the quoted sentence highlighted inside its passage
    captions = texts(at.caption)
    assert "délibération n° 2020-045" in captions
    assert "Preuilly-sur-Claise" in captions
    assert "extractive" in texts(at.info)
    assert not of_type(at, "Image")
    at.button(key="open-a0-1").click().run()
    assert not at.exception, at.exception
    images = of_type(at, "Image")
    assert images, "the PDF page should be rendered as an image"
    assert "surligné" in str(images[0].proto)


def test_refusal_shows_closest_passages(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.chat_input[0].set_value("Quelle est la recette de la pâte feuilletée au beurre ?").run()
    assert not at.exception, at.exception
    assert "Je n'ai pas trouvé" in texts(at.warning)
    assert any("Passages les plus proches" in e.label for e in at.expander)


def test_search_page_lists_ranked_snippets(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/search.py").run()
    at.text_input[0].set_value("tarifs de la cantine")
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    assert "résultat(s) pour" in texts(at.markdown)
    captions = texts(at.caption)
    assert "score" not in captions  # ranks [1], [2]... say the order; raw fused scores mean nothing to a reader
    titles = [str(m.value) for m in at.markdown if str(m.value).startswith("**\\[")]
    assert titles[:2] and titles[0].startswith("**\\[1\\]") and titles[1].startswith("**\\[2\\]")
    assert "2020-045" in captions


def test_search_filters_restrict_to_articles(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/search.py").run()
    at.sidebar.selectbox(key="search-kind").set_value("article")
    at.text_input[0].set_value("quorum")
    at.button[0].click().run()
    titles = [m.value for m in at.markdown if str(m.value).startswith("**\\[")]
    assert titles and all("Article" in t for t in titles)


def test_deliberations_page_table_filters_and_export(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/deliberations.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "2020-045" in set(table["N°"])
    # One vote column, from vote_label: the counts as written, nothing beside them to contradict them.
    assert list(table.columns) == ["Date", "Commune", "N°", "Vote", "Objet", "Matière", "Pages", "Source"]
    canteen = table[table["N°"] == "2020-045"].iloc[0]
    assert canteen["Vote"] == "13 pour, 1 contre"
    config = json.loads(at.dataframe[0].proto.columns)
    assert config["Date"]["type_config"] == {"type": "date", "format": "DD/MM/YYYY"}
    assert config["Vote"]["width"] == 260  # the longest count label, whole, at 1366 px
    total = len(table)
    at.sidebar.checkbox[0].check().run()  # non-unanimous only
    filtered = at.dataframe[0].value
    assert 0 < len(filtered) < total
    assert all("contre" in v or "abstention" in v or "majorité" in v for v in filtered["Vote"]), list(filtered["Vote"])
    assert any(
        b.label == "Télécharger au format SCDL (CSV)" for b in walk(at.main) if type(b).__name__ == "DownloadButton"
    )


def test_deliberations_page_checks_the_siret_and_its_commune(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/deliberations.py").run()
    next(t for t in at.text_input if t.label.startswith("SIRET")).set_value("123").run()
    assert "SIRET invalide « 123 » : 14 chiffres attendus, 3 reçus" in texts(at.error)
    assert not [b for b in walk(at.main) if type(b).__name__ == "DownloadButton"]
    next(t for t in at.text_input if t.label.startswith("SIRET")).set_value("21860194600013").run()
    assert "la sélection compte 3 communes" in texts(at.error)
    assert "filtre « Commune »" in texts(at.error)
    at.sidebar.multiselect[0].select("Montpellier").run()
    assert not at.error
    assert [b for b in walk(at.main) if type(b).__name__ == "DownloadButton"]


def test_scdl_export_of_records(demo_kb: Any) -> None:
    from ingest.scdl import records_to_scdl_rows, scdl_csv_text
    from rag.records import list_records
    from rag.schema import Filters

    records = list_records(demo_kb.store, Filters(commune="Preuilly-sur-Claise"))
    canteen = [r for r in records if r.delib_id == "2020-045"]
    assert canteen and canteen[0].commune == "Preuilly-sur-Claise"
    csv_text = scdl_csv_text(records_to_scdl_rows(canteen, coll_siret="21860194600013"))
    header, row = csv_text.splitlines()[:2]
    assert "DELIB_ID" in header and "2020-045" in row and "21860194600013" in row


def test_code_page_opens_an_article_and_follows_a_reference(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/code.py").run()
    assert not at.exception, at.exception
    at.text_input(key="code-goto").set_value("l2121-17").run()
    assert [h.value for h in at.header] == ["Article L2121-17 (CGCT)"]
    assert "majorité de ses membres en exercice" in texts(at.text)  # plain text, never markdown
    cite_buttons = [b for b in at.button if b.key and b.key.startswith(("cite-", "citedby-"))]
    assert cite_buttons
    target = cite_buttons[0].key.split("-", 1)[1]
    cite_buttons[0].click().run()
    assert [h.value for h in at.header] == [f"Article {target} (CGCT)"]


def test_onboarding_walks_steps_with_citations(on_store, demo_store: Path) -> None:
    at = on_store(demo_store)
    at.switch_page("views/onboarding.py").run()
    assert not at.exception, at.exception
    assert at.header[0].value.startswith("1. Le rôle du conseiller")
    at.button(key="onb-next").click().run()
    at.button(key="onb-next").click().run()
    assert at.header[0].value == "3. L'ordre du jour"
    assert "L2121-10" in texts(at.markdown)  # the convocation article is cited
    at.button(key="onb-prev").click().run()
    assert at.header[0].value == "2. Les séances et les convocations"
    glossary = [m.value for m in at.markdown if str(m.value).startswith("**") and " — " in str(m.value)]
    assert len(glossary) >= 20


def _users_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from ui import auth

    path = tmp_path / "accounts.json"
    auth.add_user(path, "claire", "admin", "mot-de-passe-admin")
    auth.add_user(path, "paul", "elu", "mot-de-passe-elu")
    monkeypatch.setenv("MAIRIE_USERS_FILE", str(path))
    return path


def _login(at: AppTest, name: str, password: str) -> AppTest:
    at.text_input[0].set_value(name)
    at.text_input[1].set_value(password)
    return at.button[0].click().run()


def test_login_flow_with_a_users_file(
    on_store, demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _users_file(tmp_path, monkeypatch)
    at = on_store(demo_store)
    assert [t.value for t in at.title] == ["Connexion"]
    _login(at, "paul", "mauvais-mot-de-passe")
    assert "incorrect" in texts(at.error)
    _login(at, "paul", "mot-de-passe-elu")
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Poser une question"]
    assert "paul" in texts(at.sidebar.caption)
    at.sidebar.button[0].click().run()  # log out
    assert "mairie_user" not in at.session_state
    assert "Session expirée" in texts(at.error) or [t.value for t in at.title] == ["Connexion"]


def test_documents_page_refuses_role_elu(
    on_store, demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _users_file(tmp_path, monkeypatch)
    at = on_store(demo_store)
    _login(at, "paul", "mot-de-passe-elu")
    assert [t.value for t in at.title] == ["Poser une question"]
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/documents.py")  # not in an elu's navigation
    # The page itself refuses too, whatever the navigation shows.
    from ui.auth import User

    page = AppTest.from_file(str(REPO / "ui" / "views" / "documents.py"), default_timeout=120)
    page.session_state["mairie_user"] = User("paul", "elu")
    page.run()
    assert "réservée aux administrateurs" in texts(page.error)


@pytest.mark.parametrize("bind", ["0.0.0.0", None, "192.168.1.10"])
def test_network_bind_without_accounts_is_refused(
    demo_store: Path, monkeypatch: pytest.MonkeyPatch, bind_address, bind: str | None
) -> None:  # type: ignore[no-untyped-def]
    """The real bind address decides (None: Streamlit listens everywhere), not MAIRIE_UI_HOST."""
    monkeypatch.setenv("MAIRIE_STORE", str(demo_store))
    monkeypatch.setenv("MAIRIE_UI_HOST", "127.0.0.1")  # a variable that lies is not believed
    bind_address(bind)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert "mairie users add" in texts(at.error)
    assert not at.title
    assert "Accès local sans identification" not in texts(at.sidebar.info)


def test_admin_indexes_a_folder_and_removes_a_document(
    on_store, writable_demo_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "a-indexer"
    folder.mkdir()
    monkeypatch.setenv("MAIRIE_INGEST_ROOTS", str(folder))  # the app indexes only configured roots
    (folder / "casse.pdf").write_bytes(b"%PDF-1.4 garbage")
    shutil.copy(GOOD_PDF, folder / "pv-copie.pdf")
    at = on_store(writable_demo_store)
    at.switch_page("views/documents.py").run()
    assert not at.exception, at.exception
    at.text_input[0].set_value(str(folder)).run()
    next(b for b in at.button if b.label == "Indexer le dossier").click().run()
    assert not at.exception, at.exception
    errors = texts(at.error)
    assert "casse.pdf : PDF" in errors  # a French reason naming the file
    report = at.dataframe[0].value
    statuses = dict(zip(report["Fichier"], report["État"], strict=True))
    assert statuses["pv-copie.pdf"].endswith("indexé")
    sources = set(at.dataframe[1].value["Source"])
    assert "pv-copie.pdf" in sources

    at.selectbox[0].set_value("pv-copie.pdf").run()
    next(b for b in at.button if b.label == "Retirer ce document…").click().run()
    assert "Retirer définitivement" in texts(at.warning)
    next(b for b in at.button if b.label == "Confirmer la suppression").click().run()
    assert not at.exception, at.exception
    assert "Document retiré : pv-copie.pdf" in texts(at.success)
    assert "pv-copie.pdf" not in set(at.dataframe[-1].value["Source"])
    audit = (writable_demo_store / "audit.log").read_text(encoding="utf-8")
    assert '"action": "remove"' in audit and '"who": "local"' in audit
