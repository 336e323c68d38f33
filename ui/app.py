"""The Streamlit app: `mairie ui` (or `streamlit run ui/app.py`). Access first, then the pages.

Who may do what: accounts in MAIRIE_USERS_FILE (`mairie users add`). Without any account the app opens
without login (everyone administrator) only when the server really listens on a loopback address
(its `server.address` option) and the browser connects from this machine (the connection's peer address, no
proxy header); otherwise it asks for an account. Only the pages listed by st.navigation below exist: the
page modules live in ui/views/, which Streamlit does not serve by itself.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

# `streamlit run ui/app.py` puts ui/ on sys.path, not the project root.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

# Nothing leaves the machine: telemetry off before Chroma or Streamlit's usage stats are touched.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import streamlit as st  # noqa: E402

from rag.errors import KbError  # noqa: E402
from ui import auth  # noqa: E402
from ui.views import common  # noqa: E402

# The icon is a local file: an emoji or a Material icon as favicon would be fetched from a CDN.
st.set_page_config(page_title="Mairie — base de connaissances", page_icon=str(_ROOT / "ui" / "icon.png"), layout="wide")
common.inject_css()

_PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def _addresses() -> tuple[str, str]:
    """(the address the server is bound to, the client's address), as the running server knows them.

    "" when unknown. An unset server.address means every interface. Without a real Streamlit runtime
    (AppTest) there is no server and no network: the client is this process.
    """
    from streamlit import runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    bind = str(st.get_option("server.address") or "")
    if not runtime.exists() or type(runtime.get_instance()) is not runtime.Runtime:  # AppTest's is a mock
        return bind, "127.0.0.1"
    ctx = get_script_run_ctx()
    client = runtime.get_instance().get_client(ctx.session_id) if ctx is not None else None
    context = getattr(client, "client_context", None)
    if context is None:
        return bind, ""
    if any(name.lower() in _PROXY_HEADERS for name, _ in context.headers):
        return bind, ""  # behind a proxy, the peer address is the proxy's
    return bind, str(context.remote_ip or "")


def _users() -> dict[str, dict[str, str]]:
    settings = common.settings()
    try:
        return auth.load_users(settings.users_file)
    except KbError as e:
        st.error(str(e))
        st.stop()
        raise


def login_page() -> None:
    st.title("Connexion")
    st.write("Identifiez-vous pour consulter la base de connaissances de la mairie.")
    with st.form("login"):
        name = st.text_input("Nom d'utilisateur")
        password = st.text_input("Mot de passe", type="password")
        submitted = st.form_submit_button("Se connecter")
    if submitted:
        settings = common.settings()
        client = _addresses()[1] or "inconnue"
        throttle = auth.LoginThrottle(settings.store / "login_attempts.sqlite3")
        wait = throttle.reserve(name, client)  # shared by every session: parallel guesses are counted too
        if wait > 0:
            st.error(auth.wait_message(wait))
            return
        user = auth.authenticate(_users(), name, password)
        if user is None:
            kb = common.get_kb()
            kb.audit("login-failed", who=name.strip()[:64], client=client)
            wait = throttle.waiting(name, client)
            if wait > 0:
                kb.audit("login-locked", who=name.strip()[:64], client=client, seconds=round(wait))
            time.sleep(0.5)  # slows down guessing; bcrypt already costs ~0.2 s
            st.error("Nom d'utilisateur ou mot de passe incorrect.")
            return
        throttle.succeeded(name, client)
        st.session_state[common.USER_KEY] = user
        st.rerun()


def _only_page(page: Any) -> None:
    """A navigation of one hidden page: whatever the address asks for, only this page runs."""
    st.navigation([st.Page(page, title="Connexion", icon=":material/login:", default=True)], position="hidden")


def _logout() -> None:
    st.session_state.pop(common.USER_KEY, None)


def resolve_user() -> auth.User | None:
    users = _users()
    bind, client = _addresses()
    mode = auth.access_mode(users, bind=bind, client=client)
    if mode == auth.REFUSE:
        _only_page(login_page)
        where = f"l'adresse {bind}" if bind and auth.is_loopback(bind) else "une adresse joignable depuis le réseau"
        st.header("Aucun compte défini")
        st.error(
            f"L'application écoute sur {where} ou est consultée depuis un autre ordinateur, et aucun compte "
            "n'est défini : elle ne s'ouvre sans identification que sur cet ordinateur, avec `mairie ui` "
            "(adresse 127.0.0.1). Pour l'ouvrir au réseau, créez d'abord un compte administrateur sur le "
            "serveur :\n\n`mairie users add NOM --role admin`\n\npuis rechargez cette page."
        )
        st.stop()
    if mode == auth.OPEN:
        st.session_state[common.USER_KEY] = auth.LOCAL_USER
        return auth.LOCAL_USER
    user = common.current_user()
    if user is not None and (user.name not in users or auth.user_of(user.name, users[user.name]) != user):
        _logout()  # account removed or role changed since the login
        user = None
    return user


user = resolve_user()
if user is None:
    # Whatever page the address asks for, an anonymous visitor gets the login form.
    _only_page(login_page)
    login_page()
    st.stop()


def choose_space(user: auth.User) -> auth.User:
    """The user's spaces: a selector in the sidebar when there are several; returns the user in that space."""
    default = common.settings().space
    spaces = user.space_names(default) or tuple(common.get_kb().store.all_spaces()) or (default,)
    if st.session_state.get(common.SPACE_KEY) not in spaces:
        st.session_state[common.SPACE_KEY] = spaces[0]
    if len(spaces) > 1:
        st.sidebar.selectbox("Espace", spaces, key=common.SPACE_KEY)
    return user.in_space(st.session_state[common.SPACE_KEY])


user = choose_space(user)
pages = {
    "Consulter": [
        st.Page("views/ask.py", title="Poser une question", icon=":material/chat:", default=True),
        st.Page("views/search.py", title="Rechercher", icon=":material/search:"),
        st.Page("views/deliberations.py", title="Délibérations", icon=":material/how_to_vote:"),
        st.Page("views/code.py", title="Codes", icon=":material/menu_book:"),
        st.Page("views/onboarding.py", title="Nouveaux élus", icon=":material/school:"),
    ],
    "Informations": [st.Page("views/privacy.py", title="Confidentialité", icon=":material/lock:")],
}
if user.is_admin:
    pages["Administration"] = [st.Page("views/documents.py", title="Documents", icon=":material/folder_open:")]
navigation = st.navigation(pages)

with st.sidebar:
    if user is auth.LOCAL_USER:
        st.info(
            "Accès local sans identification : toutes les fonctions, y compris l'administration, "
            "sont ouvertes sur cet ordinateur."
        )
    else:
        st.caption(f"Connecté : **{user.name}** ({auth.ROLE_LABELS.get(user.role, user.role)})")
        st.button("Se déconnecter", on_click=_logout)

navigation.run()
