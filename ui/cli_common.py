"""What the `mairie` commands share: the lazily built settings and knowledge base, the filter options."""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path
from typing import Any

import click

from rag.errors import KbError
from rag.schema import OUTCOME_WORDS, Filters
from rag.settings import Settings


class Context:
    def __init__(self, store: str | None) -> None:
        self.store_override = Path(store).expanduser() if store else None
        self.space_override: str | None = None
        self._settings: Settings | None = None
        self._kb: Any = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings.from_env(store=self.store_override, space=self.space_override)
            except KbError as e:
                raise click.ClickException(str(e)) from e
            logging.basicConfig(
                level=self._settings.log_level.upper(), stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s"
            )
        return self._settings

    @property
    def kb(self) -> Any:
        if self._kb is None:
            from rag.kb import KnowledgeBase

            self._kb = KnowledgeBase(self.settings)
        return self._kb


pass_ctx = click.make_pass_decorator(Context)


def _set_space(click_ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        click_ctx.ensure_object(Context).space_override = value


space_option = click.option(
    "--space",
    expose_value=False,
    callback=_set_space,
    help="Espace (commune) lu et alimenté, plus la loi partagée (défaut : MAIRIE_SPACE).",
)

# What a document must never send to the terminal: escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"
# that sets the window title or writes a hyperlink, other "ESC x"), then any remaining C0 control except
# newline and tab, DEL, C1 controls (0x9b is a one-byte CSI on some terminals), line separators and bidi
# overrides (which make a name read backwards).
_ESCAPES = re.compile(
    r"(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1b[ -/]*[0-~]?"
)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_C1 = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """`text` without terminal escape sequences and control characters (newlines and tabs are kept).

    >>> terminal_safe("PV\x1b]0;pirate\x07 du 3 mai\x1b[31m")
    'PV du 3 mai'
    """
    return _CONTROLS.sub("", _ESCAPES.sub("", text))


def echo(message: object = "", **kwargs: Any) -> None:
    """click.echo for text that may come from a document: made terminal-safe first."""
    click.echo(terminal_safe(str(message)), **kwargs)


def echo_json(data: Any) -> None:
    """JSON on stdout; json escapes C0 controls itself, C1 controls and bidi overrides are escaped here."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    click.echo(_C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


class _Outcome(click.Choice[str]):
    """adoptee|rejetee (accents and case folded); the English adopted|rejected still work, unlisted."""

    def __init__(self) -> None:
        super().__init__(list(OUTCOME_WORDS))

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from rag.records import outcome_from_text

        outcome = outcome_from_text(str(value))
        if outcome is None:
            self.fail(f"« {value} » : valeur attendue adoptee ou rejetee.", param, ctx)
        return outcome


def filters_options(func: Any) -> Any:
    options = [
        click.option("--kind", type=click.Choice(["deliberation", "article", "document"]), help="Type de passage."),
        click.option("--commune", help="Commune (ex. Preuilly-sur-Claise)."),
        click.option("--since", help="Depuis cette date (AAAA-MM-JJ), incluse."),
        click.option("--until", help="Jusqu'à cette date (AAAA-MM-JJ), incluse."),
        click.option("--matiere", help="Code matière ACTES (ex. 8.1 ou 2)."),
        click.option("--outcome", type=_Outcome(), help="Délibérations adoptées ou rejetées."),
        click.option("--not-unanimous", is_flag=True, help="Seulement les votes non unanimes."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def filters_from(kwargs: dict[str, Any]) -> Filters:
    for key in ("since", "until"):
        value = kwargs.get(key)
        if value and not is_iso_date(value):
            raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, reçu {value!r}", param_hint=f"--{key}")
    return Filters(
        kind=kwargs.get("kind"),
        commune=kwargs.get("commune"),
        since=kwargs.get("since"),
        until=kwargs.get("until"),
        matiere=kwargs.get("matiere"),
        outcome=kwargs.get("outcome"),
        not_unanimous=bool(kwargs.get("not_unanimous")),
    )


def is_iso_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01-01")
    except ValueError:
        return False
    return True


def run_or_fail(func: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except KbError as e:
        raise click.ClickException(str(e)) from e
