"""Accounts of the Streamlit app: a JSON users file {name: {role, hash}} with bcrypt hashes.

No Streamlit here: the CLI (`mairie users ...`) and the app share these functions.

>>> add_user(Path("/tmp/users.json"), "marie", "elu", "un mot de passe")
>>> authenticate(load_users(Path("/tmp/users.json")), "marie", "un mot de passe")
User(name='marie', role='elu')
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt

from rag.errors import ConfigError

ADMIN = "admin"
ELU = "elu"
ROLES = (ADMIN, ELU)
ROLE_LABELS = {ADMIN: "administrateur", ELU: "élu"}
MIN_PASSWORD_CHARS = 8
MAX_PASSWORD_BYTES = 72  # bcrypt only reads the first 72 bytes; longer ones are refused, not truncated
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
# Checked when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = b"$2b$12$d3IrEKDHYycumFCli1Y2pONdMD0igObDGAf6QU8MPMVSlTCqvu0Oe"

OPEN = "open"  # no account defined, bound to loopback and a loopback client: no login, everyone is admin
LOGIN = "login"
REFUSE = "refuse"  # reachable from the network without any account


@dataclass(frozen=True, slots=True)
class User:
    """Who is using the app and what they may do."""

    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


LOCAL_USER = User("local", ADMIN)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and "localhost"; 0.0.0.0 and every other address are not loopback."""
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access_mode(users: dict[str, Any], *, bind: str, client: str) -> str:
    """LOGIN when accounts exist; without any, OPEN only when the server's real bind address and the client's
    address are both loopback ("" = unknown, never loopback), else REFUSE."""
    if users:
        return LOGIN
    return OPEN if is_loopback(bind) and is_loopback(client) else REFUSE


def load_users(path: Path) -> dict[str, dict[str, str]]:
    """The accounts, or {} when the file does not exist. A damaged file raises ConfigError."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(
            f"Fichier des comptes illisible : {path} ({e}). Corrigez-le ou supprimez-le, "
            "puis recréez les comptes avec `mairie users add`."
        ) from e
    if not isinstance(data, dict):
        raise ConfigError(f"Fichier des comptes invalide : {path} (objet JSON {{nom: {{role, hash}}}} attendu).")
    users: dict[str, dict[str, str]] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES or not entry.get("hash"):
            raise ConfigError(
                f"Fichier des comptes invalide : {path}, compte {name!r} (rôle 'admin' ou 'elu' et hash attendus)."
            )
        users[str(name)] = {"role": str(entry["role"]), "hash": str(entry["hash"])}
    return users


def save_users(path: Path, users: dict[str, dict[str, str]]) -> None:
    """Write atomically, readable by the owner only (the file holds password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".users-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(users, fh, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write("\n")
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_name(name: str) -> str:
    if not _NAME_RE.match(name):
        raise ConfigError(
            f"Nom de compte invalide : {name!r} (lettres, chiffres, '.', '_', '-', '@' ; 64 caractères au plus)."
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ConfigError(f"Mot de passe trop court : {MIN_PASSWORD_CHARS} caractères au moins.")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise ConfigError(f"Mot de passe trop long : {MAX_PASSWORD_BYTES} octets au plus.")


def hash_password(password: str) -> str:
    check_password(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt()).decode("ascii")


def verify_password(password: str, hashed: str) -> bool:
    data = password.encode("utf-8")
    if len(data) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bcrypt.checkpw(data, hashed.encode("ascii"))
    except ValueError:  # a damaged hash in the file
        return False


def authenticate(users: dict[str, dict[str, str]], name: str, password: str) -> User | None:
    entry = users.get(name.strip())
    if entry is None:
        verify_password(password, _DUMMY_HASH.decode())
        return None
    if not verify_password(password, entry["hash"]):
        return None
    return User(name.strip(), entry["role"])


def add_user(path: Path, name: str, role: str, password: str) -> None:
    """Create or replace an account (replacing is how a password is changed)."""
    check_name(name)
    if role not in ROLES:
        raise ConfigError(f"Rôle inconnu : {role!r} (valeurs possibles : admin, elu).")
    users = load_users(path)
    users[name] = {"role": role, "hash": hash_password(password)}
    save_users(path, users)


def remove_user(path: Path, name: str) -> bool:
    users = load_users(path)
    if name not in users:
        return False
    del users[name]
    save_users(path, users)
    return True
