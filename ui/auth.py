"""Accounts of the Streamlit app: a JSON users file {name: {role, hash, spaces}} with bcrypt hashes.

An account belongs to one or more spaces (rag.spaces) with a role in each: élu, agent or admin of the
space; `spaces` maps space -> role, and `role` repeats the role of its first space. An account without
`spaces` (files written before spaces) belongs to the configured space (MAIRIE_SPACE). The service admin
(role "service") administers every space.

No Streamlit here: the CLI (`mairie users ...`) and the app share these functions.

>>> add_user(Path("/tmp/users.json"), "marie", "elu", "un mot de passe")
>>> authenticate(load_users(Path("/tmp/users.json")), "marie", "un mot de passe")
User(name='marie', role='elu', spaces=())

Guessing is slowed by LoginThrottle: failures per account and per client address, kept in a small SQLite
file that every session and every process of the app share.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import re
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bcrypt

from rag.errors import ConfigError
from rag.spaces import check_space

ADMIN = "admin"  # of a space: adds and removes its documents
AGENT = "agent"  # of a space: a town-hall employee, reads like an élu
ELU = "elu"
SERVICE = "service"  # the service admin: every space
SPACE_ROLES = (ADMIN, AGENT, ELU)
ROLES = (*SPACE_ROLES, SERVICE)
ROLE_LABELS = {ADMIN: "administrateur", AGENT: "agent", ELU: "élu", SERVICE: "administrateur du service"}
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
    spaces: tuple[tuple[str, str], ...] = ()  # (space, role); () = the configured space (MAIRIE_SPACE)

    @property
    def is_admin(self) -> bool:
        return self.role in (ADMIN, SERVICE)

    def space_names(self, default: str) -> tuple[str, ...] | None:
        """The spaces this account reads (None: every space, for the service admin)."""
        if self.role == SERVICE:
            return None
        return tuple(space for space, _ in self.spaces) or (default,)

    def in_space(self, space: str) -> User:
        """This account with its role in `space` (ConfigError if it does not belong to it)."""
        if self.role == SERVICE or not self.spaces:
            return self
        roles = dict(self.spaces)
        if space not in roles:
            raise ConfigError(f"Le compte {self.name!r} n'a pas accès à l'espace {space!r}.")
        return User(self.name, roles[space], self.spaces)


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


def read_json_object(path: Path, *, what: str, expected: str, hint: str = "") -> dict[str, Any]:
    """The JSON object saved in `path` ({} when the file does not exist). A damaged file raises ConfigError
    naming it: `what` is the French name of the file ("des comptes"), `expected` the shape it must have."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ConfigError(f"Fichier {what} illisible : {path} ({e}). Corrigez-le ou supprimez-le{hint}.") from e
    if not isinstance(data, dict):
        raise ConfigError(f"Fichier {what} invalide : {path} ({expected} attendu).")
    return data


def load_users(path: Path) -> dict[str, dict[str, Any]]:
    """The accounts, or {} when the file does not exist. A damaged file raises ConfigError."""
    data = read_json_object(
        path,
        what="des comptes",
        expected="objet JSON {nom: {role, hash}}",
        hint=", puis recréez les comptes avec `mairie users add`",
    )
    users: dict[str, dict[str, Any]] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES or not entry.get("hash"):
            raise ConfigError(
                f"Fichier des comptes invalide : {path}, compte {name!r} (rôle {', '.join(ROLES)} et hash attendus)."
            )
        users[str(name)] = {"role": str(entry["role"]), "hash": str(entry["hash"])}
        spaces = entry.get("spaces")
        if spaces is not None:
            if not isinstance(spaces, dict) or not all(
                isinstance(k, str) and v in SPACE_ROLES for k, v in spaces.items()
            ):
                raise ConfigError(
                    f"Fichier des comptes invalide : {path}, compte {name!r} (espaces {{espace: rôle}} attendus)."
                )
            users[str(name)]["spaces"] = {check_space(k): str(v) for k, v in spaces.items()}
    return users


def user_of(name: str, entry: dict[str, Any]) -> User:
    """The User an entry of the users file describes."""
    spaces = tuple(entry.get("spaces", {}).items())
    return User(name, spaces[0][1] if spaces and entry["role"] != SERVICE else entry["role"], spaces)


def save_users(path: Path, users: dict[str, dict[str, Any]]) -> None:
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


def authenticate(users: dict[str, dict[str, Any]], name: str, password: str) -> User | None:
    entry = users.get(name.strip())
    if entry is None:
        verify_password(password, _DUMMY_HASH.decode())
        return None
    if not verify_password(password, entry["hash"]):
        return None
    return user_of(name.strip(), entry)


def add_user(path: Path, name: str, role: str, password: str | None, *, space: str | None = None) -> None:
    """Create an account, or change its password (None: unchanged) and its role in `space`.

    Without `space`, the account is the single-space kind of files written before spaces (role only).
    With `space`, the account joins that space with `role`, keeping its other spaces.
    """
    check_name(name)
    allowed = ROLES if space is None else SPACE_ROLES
    if role not in allowed:
        raise ConfigError(f"Rôle inconnu : {role!r} (valeurs possibles : {', '.join(allowed)}).")
    users = load_users(path)
    entry = dict(users.get(name, {}))
    if password is not None or "hash" not in entry:
        if password is None:
            raise ConfigError(f"Le compte {name!r} n'existe pas : donnez-lui un mot de passe.")
        entry["hash"] = hash_password(password)
    if space is None:
        entry["role"] = role
        entry.pop("spaces", None)
    else:
        spaces = dict(entry.get("spaces", {}))
        spaces[check_space(space)] = role
        entry["spaces"] = spaces
        entry["role"] = spaces[min(spaces)]  # the file is saved with sorted keys: the first space
    users[name] = entry
    save_users(path, users)


def remove_user(path: Path, name: str) -> bool:
    users = load_users(path)
    if name not in users:
        return False
    del users[name]
    save_users(path, users)
    return True


# --- login throttling ---------------------------------------------------------------------------------
ACCOUNT_FAILURES = 5  # failed logins of one account within the window before it must wait
ADDRESS_FAILURES = 20  # of one client address (several people may share an office's address)
WINDOW_SECONDS = 15 * 60
FIRST_DELAY_SECONDS = 30.0  # doubled at each further failure
MAX_DELAY_SECONDS = 15 * 60.0


class LoginThrottle:
    """Counts login attempts per account and per client address; past a threshold, makes them wait.

    An attempt is counted *before* the password is checked (`reserve`) and forgotten when it succeeds
    (`succeeded`), in one SQLite transaction: parallel sessions cannot slip extra guesses in while bcrypt
    runs. After `ACCOUNT_FAILURES` failures of an account (or `ADDRESS_FAILURES` from an address) in
    `WINDOW_SECONDS`, each further attempt waits FIRST_DELAY_SECONDS, doubled per failure, up to
    MAX_DELAY_SECONDS.

    >>> throttle = LoginThrottle(Path("/tmp/logins.sqlite3"))
    >>> throttle.reserve("marie", "192.0.2.7")  # seconds to wait: 0, the attempt may go on
    0.0
    """

    def __init__(self, path: Path, *, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.clock = clock

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            with contextlib.suppress(OSError):
                os.chmod(self.path, 0o600)
            db.execute("CREATE TABLE IF NOT EXISTS attempts (key TEXT NOT NULL, at REAL NOT NULL)")
            db.execute("BEGIN IMMEDIATE")  # one writer at a time: counting and recording are one step
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.close()

    @staticmethod
    def _keys(name: str, address: str) -> list[tuple[str, int]]:
        return [(f"account:{name.strip().lower()[:64]}", ACCOUNT_FAILURES), (f"address:{address}", ADDRESS_FAILURES)]

    def _wait(self, db: sqlite3.Connection, key: str, allowed: int, now: float) -> float:
        row = db.execute(
            "SELECT count(*), max(at) FROM attempts WHERE key = ? AND at > ?", (key, now - WINDOW_SECONDS)
        ).fetchone()
        count, last = int(row[0]), row[1]
        if count < allowed:
            return 0.0
        delay = min(FIRST_DELAY_SECONDS * 2 ** (count - allowed), MAX_DELAY_SECONDS)
        return max(0.0, float(last) + delay - now)

    def reserve(self, name: str, address: str) -> float:
        """0 and the attempt counted (as a failure until `succeeded`), or the seconds to wait (not counted)."""
        with self._transaction() as db:
            now = self.clock()  # read once the lock is held: rows are written in time order
            db.execute("DELETE FROM attempts WHERE at <= ?", (now - WINDOW_SECONDS,))
            wait = max(self._wait(db, key, allowed, now) for key, allowed in self._keys(name, address))
            if wait <= 0:
                db.executemany("INSERT INTO attempts VALUES (?, ?)", [(k, now) for k, _ in self._keys(name, address)])
            return wait

    def waiting(self, name: str, address: str) -> float:
        """Seconds the next attempt of that account or address must wait (0: none)."""
        with self._transaction() as db:
            now = self.clock()
            return max(self._wait(db, key, allowed, now) for key, allowed in self._keys(name, address))

    def succeeded(self, name: str, address: str) -> None:
        """The account's failures are forgotten, and this attempt no longer counts against the address."""
        (account, _), (client, _) = self._keys(name, address)
        with self._transaction() as db:
            db.execute("DELETE FROM attempts WHERE key = ?", (account,))
            db.execute("DELETE FROM attempts WHERE rowid = (SELECT max(rowid) FROM attempts WHERE key = ?)", (client,))


def wait_message(seconds: float) -> str:
    """The French line shown to someone who must wait before trying again."""
    minutes = int(seconds // 60) + (1 if seconds % 60 else 0)
    when = f"{minutes} minute(s)" if seconds >= 60 else f"{max(1, int(seconds + 0.999))} seconde(s)"
    return (
        f"Trop de tentatives de connexion échouées pour ce compte ou depuis cet ordinateur : réessayez dans {when}. "
        "En cas d'oubli du mot de passe, un administrateur peut le changer avec `mairie users add`."
    )
