"""`mairie serve` (the HTTP API, ui.api) and `mairie tokens` (its tokens, ui.tokens) (registered by ui.cli)."""

from __future__ import annotations

import click

from ui.cli_base import MairieGroup
from ui.cli_common import Context, pass_ctx, run_or_fail


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", type=int, default=8000, show_default=True, help="Port de l'API.")
@click.option(
    "--allow-network",
    is_flag=True,
    help="Autorise une adresse joignable depuis le réseau (derrière un proxy inverse TLS : docs/DEPLOYMENT.md).",
)
@click.option(
    "--rate", type=click.FloatRange(min=1), default=120, show_default=True, help="Requêtes par minute et par jeton."
)
@click.option(
    "--burst", type=click.IntRange(min=1), default=30, show_default=True, help="Requêtes d'affilée par jeton."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=60,
    show_default=True,
    help="Délai d'une recherche ou d'une réponse (s).",
)
@pass_ctx
def serve(ctx: Context, host: str, port: int, allow_network: bool, rate: float, burst: int, timeout: float) -> None:
    """Lance l'API HTTP (recherche, questions, documents, délibérations, articles ; description : /openapi.json).

    Chaque requête porte un jeton d'API (`mairie tokens add`) qui ne donne accès qu'à un espace et à la loi.
    """
    import uvicorn

    from ui.api import Limits, create_app
    from ui.auth import is_loopback
    from ui.serve import ensure_port_free
    from ui.tokens import load_tokens, tokens_path

    if not is_loopback(host) and not allow_network:
        raise click.ClickException(
            f"L'adresse {host} est joignable depuis le réseau : l'API n'y écoute qu'avec --allow-network, "
            "derrière un proxy inverse qui chiffre (TLS) ; voir docs/DEPLOYMENT.md."
        )
    ensure_port_free(host, port)
    settings = ctx.settings
    if not run_or_fail(load_tokens, tokens_path(settings)):
        click.echo(
            "Aucun jeton d'API : toutes les requêtes seront refusées. Créez-en avec `mairie tokens add`.", err=True
        )
    app = create_app(settings, limits=Limits(rate_per_minute=rate, burst=burst, timeout_seconds=timeout))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"API sur http://{shown}:{port} (description : /openapi.json ; Ctrl+C pour arrêter)", err=True)
    # No access log: a URL carries the question (GET /search), which the audit log never keeps.
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False, timeout_keep_alive=5)


@click.group(cls=MairieGroup)
def tokens() -> None:
    """Jetons de l'API HTTP : chacun donne accès à un espace avec un rôle (fichier api-tokens.json, haché)."""


@tokens.command("add")
@click.argument("name")
@click.option("--space", required=True, help="L'espace (commune) que le jeton lit, en plus de la loi partagée.")
@click.option(
    "--role",
    type=click.Choice(["admin", "agent", "elu"]),
    required=True,
    help="elu, agent : consultent ; admin : peut aussi retirer des documents de l'espace.",
)
@pass_ctx
def tokens_add(ctx: Context, name: str, space: str, role: str) -> None:
    """Crée un jeton (ou remplace celui de ce nom) et l'affiche une seule fois."""
    from ui.tokens import add_token, tokens_path

    path = tokens_path(ctx.settings)
    secret = run_or_fail(add_token, path, name, space=space, role=role)
    click.echo(
        f"Jeton « {name} » ({role}, espace {space}) enregistré dans {path}. Notez-le, il ne sera plus affiché :",
        err=True,
    )
    click.echo(secret)


@tokens.command("list")
@pass_ctx
def tokens_list(ctx: Context) -> None:
    """Liste les jetons : nom, espace, rôle, date de création (jamais le jeton lui-même)."""
    from ui.tokens import load_tokens, tokens_path

    found = run_or_fail(load_tokens, tokens_path(ctx.settings))
    if not found:
        click.echo("Aucun jeton d'API (voir `mairie tokens add`).", err=True)
    for name in sorted(found):
        entry = found[name]
        click.echo(f"{name}\t{entry['space']}\t{entry['role']}\t{entry.get('created', '')}")


@tokens.command("revoke")
@click.argument("name")
@pass_ctx
def tokens_revoke(ctx: Context, name: str) -> None:
    """Révoque un jeton : il est refusé dès la requête suivante."""
    from ui.tokens import revoke_token, tokens_path

    if not run_or_fail(revoke_token, tokens_path(ctx.settings), name):
        raise click.ClickException(f"Aucun jeton « {name} » (voir `mairie tokens list`).")
    click.echo(f"Jeton révoqué : {name}")
