"""Accounts, access rules, upload names and PDF page rendering: no Streamlit server needed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.errors import ConfigError
from ui import auth
from ui.render import find_spans, render_page

REPO = Path(__file__).resolve().parents[2]
PV = REPO / "data" / "deliberations" / "preuilly-sur-claise" / "PV_CM_2020-07-23.pdf"


def test_users_file_roundtrip_and_authentication(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    auth.add_user(path, "claire", "admin", "un-long-secret")
    data = json.loads(path.read_text())
    assert data["claire"]["role"] == "admin" and data["claire"]["hash"].startswith("$2")
    assert "un-long-secret" not in path.read_text()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    users = auth.load_users(path)
    assert auth.authenticate(users, "claire", "un-long-secret") == auth.User("claire", "admin")
    assert auth.authenticate(users, "claire", "mauvais") is None
    assert auth.authenticate(users, "inconnu", "un-long-secret") is None
    assert auth.remove_user(path, "claire") and not auth.remove_user(path, "claire")


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("../x", "elu", "un-long-secret", "Nom de compte invalide"),
        ("paul", "maire", "un-long-secret", "Rôle inconnu"),
        ("paul", "elu", "court", "trop court"),
        ("paul", "elu", "é" * 40, "trop long"),
    ],
)
def test_bad_accounts_are_refused(tmp_path: Path, name: str, role: str, password: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        auth.add_user(tmp_path / "users.json", name, role, password)


def test_damaged_users_file_names_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "users.json"
    path.write_text("{pas du json")
    with pytest.raises(ConfigError, match="mairie users add"):
        auth.load_users(path)


@pytest.mark.parametrize(
    ("bind", "client", "users", "mode"),
    [
        ("127.0.0.1", "127.0.0.1", {}, auth.OPEN),
        ("localhost", "::1", {}, auth.OPEN),
        ("::1", "127.0.0.1", {}, auth.OPEN),
        ("0.0.0.0", "127.0.0.1", {}, auth.REFUSE),  # bound to every interface: reachable from the network
        ("", "127.0.0.1", {}, auth.REFUSE),  # server.address unset: Streamlit listens everywhere
        ("127.0.0.1", "192.168.1.10", {}, auth.REFUSE),  # a client from elsewhere (a local proxy in front)
        ("127.0.0.1", "", {}, auth.REFUSE),  # client unknown
        ("192.168.1.10", "192.168.1.20", {}, auth.REFUSE),
        ("127.0.0.1", "127.0.0.1", {"a": {"role": "elu", "hash": "x"}}, auth.LOGIN),
        ("0.0.0.0", "10.0.0.1", {"a": {"role": "elu", "hash": "x"}}, auth.LOGIN),
    ],
)
def test_access_mode(bind: str, client: str, users: dict, mode: str) -> None:
    assert auth.access_mode(users, bind=bind, client=client) == mode


def test_upload_names_stay_inside_the_uploads_folder(tmp_path: Path) -> None:
    from ui.views.uploads import sanitize_filename, save_upload, upload_path

    assert sanitize_filename("../../etc/passwd") == "passwd"
    assert sanitize_filename("..\\..\\boot.ini") == "boot.ini"
    assert sanitize_filename("PV\x00\x1b du 3 mai.PDF") == "PV du 3 mai.pdf"
    assert sanitize_filename("..") == "document"
    assert sanitize_filename("x/..pdf") == "pdf"
    path, source = save_upload(tmp_path, "../../évil\n.pdf", b"%PDF-1.4")
    assert path.parent == tmp_path / "uploads" and source == "uploads/évil.pdf"
    assert upload_path(tmp_path, source) == path and upload_path(tmp_path, "couthenans/a.pdf") is None


def test_find_spans_ignores_line_breaks_and_hyphenation() -> None:
    page = "Le Conseil Municipal après en avoir délibé-\r\nré, ACCEPTE les tarifs\r\nproposés."
    spans = find_spans(page, "Le Conseil Municipal après en avoir délibéré, ACCEPTE les tarifs proposés.")
    assert spans and page[spans[0][0] : spans[0][1]].startswith("Le Conseil") and page[spans[0][1] - 1] == "s"


def test_render_highlights_the_quote_on_the_right_page() -> None:
    quote = "Par 13 voix POUR – 1 voix CONTRE ACCEPTE les tarifs proposés pour les repas enfants à la cantine"
    shown = render_page(PV, pages=[3, 4], quote=quote)
    assert shown.page == 4 and shown.highlighted and shown.page_count == 10
    assert shown.png.startswith(b"\x89PNG")
    plain = render_page(PV, pages=[2], quote="une phrase qui n'est nulle part dans ce document")
    assert plain.page == 2 and not plain.highlighted


def test_render_reports_a_missing_file(tmp_path: Path) -> None:
    from ui.render import RenderError

    with pytest.raises(RenderError, match="introuvable"):
        render_page(tmp_path / "absent.pdf", pages=[1])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{pas du json", "Fichier des jetons illisible : .*tokens.json"),
        ("[1, 2]", r"Fichier des jetons invalide : .*\{nom: \{space, role, hash\}\} attendu"),
        ('{"greffe": {"role": "agent"}}', "Fichier des jetons invalide"),
    ],
)
def test_damaged_tokens_file_names_the_file(tmp_path: Path, content: str, message: str) -> None:
    from ui.tokens import load_tokens

    path = tmp_path / "tokens.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=message):
        load_tokens(path)
