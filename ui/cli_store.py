"""`mairie backup` and `mairie restore`: a consistent copy of the store, and its return (registered by ui.cli)."""

from __future__ import annotations

from pathlib import Path

import click

from ui.cli_common import Context, pass_ctx, run_or_fail


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@pass_ctx
def backup(ctx: Context, dest: Path) -> None:
    """Sauvegarde le magasin dans DEST (dossier neuf ou vide), sans arrêter la consultation.

    Les indexations et suppressions attendent la fin de la copie. Restaurer : `mairie restore DEST`.
    """
    from rag import maintenance
    from rag.store import WriteLock

    settings = ctx.settings
    if settings.chroma_url:
        raise click.ClickException("MAIRIE_CHROMA_URL est défini : sauvegardez le serveur Chroma lui-même.")

    def run() -> dict[str, object]:
        with WriteLock(settings):
            return maintenance.backup_store(settings, dest.expanduser().resolve())

    info = run_or_fail(run)
    click.echo(
        f"Sauvegarde faite dans {dest} : {info['documents']} document(s), {info['chunks']} passage(s). "
        f"Restaurer : mairie restore {dest}"
    )


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Remplace un magasin non vide (l'ancien est gardé à côté).")
@pass_ctx
def restore(ctx: Context, src: Path, force: bool) -> None:
    """Remet en place une sauvegarde faite avec `mairie backup`, après l'avoir vérifiée.

    Un magasin non vide n'est remplacé qu'avec --force ; il est alors renommé (…avant-restauration-DATE),
    jamais effacé.
    """
    from rag import maintenance
    from rag.store import WriteLock

    settings = ctx.settings
    if settings.chroma_url:
        raise click.ClickException("MAIRIE_CHROMA_URL est défini : restaurez le serveur Chroma lui-même.")

    def run() -> tuple[dict[str, object], Path | None]:
        with WriteLock(settings):
            return maintenance.restore_store(settings, src.expanduser().resolve(), force=force)

    info, aside = run_or_fail(run)
    click.echo(f"Magasin restauré depuis {src} : {info['documents']} document(s), {info['chunks']} passage(s).")
    if aside is not None:
        click.echo(f"L'ancien magasin est gardé dans {aside} (supprimez-le quand tout va bien).")
