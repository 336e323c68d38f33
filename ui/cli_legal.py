"""`mairie article`: one article of an indexed code, its links and versions (registered by ui.cli)."""

from __future__ import annotations

import sys
from typing import Any

import click

from rag.errors import KbError
from ui.cli_common import echo, echo_json, space_option


def _legal_index(kb: Any) -> Any:
    legal = getattr(kb, "legal", None)  # KnowledgeBase.legal when the facade offers it (cached there)
    if legal is not None:
        return legal
    from rag.legal import LegalIndex

    return LegalIndex(store=kb.store)


def _check_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        dt.date.fromisoformat(value)
    except ValueError as e:
        raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, reçu {value!r}") from e
    return value


@click.command("article")
@click.argument("number")
@click.option(
    "--date", callback=_check_date, help="Texte en vigueur à cette date (AAAA-MM-JJ) ; défaut : le plus récent."
)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@space_option
def article(number: str, date: str | None, as_json: bool) -> None:
    """Affiche un article (ex. L2121-17) : texte et sa date, place dans le code, lien Légifrance, renvois, versions.

    Le texte vient des codes indexés (voir le README : date du droit livré) ; il ne remplace pas Légifrance.
    """
    from rag.legal import UnknownArticleError, article_display

    kb = click.get_current_context().obj.kb
    try:
        view = _legal_index(kb).lookup(number, date=date)
    except UnknownArticleError as e:
        echo(str(e), err=True)
        sys.exit(1)
    except KbError as e:
        raise click.ClickException(str(e)) from e
    if as_json:
        echo_json(view.to_json())
        return
    shown = article_display(view)
    echo(shown.title)
    if view.heading_path:
        echo(view.heading_path)
    echo(shown.dated)
    echo("")
    echo(shown.text or "(texte vide)")
    if shown.newer:
        echo("")
        echo(shown.newer)
        if shown.newer_text:
            echo(shown.newer_text)
    echo("")
    echo(f"Légifrance : {shown.link}")
    echo(f"Cite : {', '.join(view.cites) if view.cites else 'aucun article'}")
    echo(f"Cité par : {', '.join(view.cited_by) if view.cited_by else 'aucun article'}")
    if len(view.versions) > 1:
        dates = ", ".join(v.date for v in view.versions)
        echo(f"Versions connues ({len(view.versions)}) : {dates}")
    for note in shown.notes:
        echo(f"Note : {note}", err=True)
