"""API tokens of `mairie serve`: each bound to one space and one role, stored hashed in a file next to the
accounts file (ui.auth), readable by its owner only.

A token is 32 random bytes (`mrag_` + URL-safe base64), shown once when it is made. The file keeps its
SHA-256 digest, not a bcrypt hash as for passwords: a token cannot be guessed from a dictionary, and the
server checks one on every request, where bcrypt's quarter second would be the whole latency budget.

>>> path = Path("/tmp/doctest-tokens.json"); path.unlink(missing_ok=True)
>>> secret = add_token(path, "mairie-a", space="couthenans", role="elu")
>>> find_token(load_tokens(path), secret)
ApiToken(name='mairie-a', space='couthenans', role='elu')
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.errors import ConfigError
from rag.settings import Settings
from rag.spaces import check_space
from ui.auth import ADMIN, SPACE_ROLES, check_name, read_json_object, save_users

PREFIX = "mrag_"


@dataclass(frozen=True, slots=True)
class ApiToken:
    """Who calls the API: the token's name, the one space it reads (plus the law) and its role there."""

    name: str
    space: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


def tokens_path(settings: Settings) -> Path:
    """The tokens file: `api-tokens.json` beside the accounts file (MAIRIE_USERS_FILE)."""
    return settings.users_file.with_name("api-tokens.json")


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def load_tokens(path: Path) -> dict[str, dict[str, Any]]:
    """{name: {space, role, hash, created}}, or {} when the file does not exist; a damaged file raises."""
    data = read_json_object(path, what="des jetons", expected="{nom: {space, role, hash}}")
    if not all(
        isinstance(e, dict) and e.get("role") in SPACE_ROLES and e.get("hash") and e.get("space") for e in data.values()
    ):
        raise ConfigError(f"Fichier des jetons invalide : {path} ({{nom: {{space, role, hash}}}} attendu).")
    return data


def add_token(path: Path, name: str, *, space: str, role: str) -> str:
    """Create the token `name` (replacing one of that name) and return its secret, which is not stored."""
    check_name(name)
    check_space(space)
    if role not in SPACE_ROLES:
        raise ConfigError(f"Rôle inconnu : {role!r} (valeurs possibles : {', '.join(SPACE_ROLES)}).")
    tokens = load_tokens(path)
    secret = PREFIX + secrets.token_urlsafe(32)
    tokens[name] = {"space": space, "role": role, "hash": digest(secret), "created": time.strftime("%Y-%m-%d")}
    save_users(path, tokens)  # atomic, mode 0600
    return secret


def revoke_token(path: Path, name: str) -> bool:
    tokens = load_tokens(path)
    if tokens.pop(name, None) is None:
        return False
    save_users(path, tokens)
    return True


def find_token(tokens: dict[str, dict[str, Any]], secret: str) -> ApiToken | None:
    """The token whose digest matches `secret` (compared in constant time), or None."""
    wanted = digest(secret)
    found = None
    for name, entry in tokens.items():
        if hmac.compare_digest(wanted, str(entry["hash"])):
            found = ApiToken(name, str(entry["space"]), str(entry["role"]))
    return found
