"""`mairie spaces`: the spaces of a store (one per commune or organisation) and the shared law (registered by ui.cli)."""

from __future__ import annotations

import click

from ui.cli_base import MairieGroup
from ui.cli_common import Context, echo, pass_ctx, run_or_fail


@click.group(cls=MairieGroup)
def spaces() -> None:
    """Espaces du magasin : chaque commune voit ses documents et la loi, partagée par tous."""


@spaces.command("list")
@pass_ctx
def spaces_list(ctx: Context) -> None:
    """Liste les espaces et leur nombre de documents (« law » : la loi partagée)."""
    from rag.kb import KnowledgeBase

    names = run_or_fail(lambda: ctx.kb.store.all_spaces())
    for name in names:
        kb = KnowledgeBase(ctx.settings, spaces=[name])
        docs = run_or_fail(kb.store.documents, spaces=[name])
        echo(f"{name}\t{len(docs)} document(s)")


@spaces.command("share-law")
@pass_ctx
def spaces_share_law(ctx: Context) -> None:
    """Déplace la loi d'un magasin créé avant les espaces vers l'espace partagé, sans recalcul."""
    from rag.store import WriteLock

    with WriteLock(ctx.settings):
        moved = run_or_fail(ctx.kb.store.share_law)
        run_or_fail(ctx.kb.lexical.ensure_fresh)
    echo(f"{len(moved)} document(s) de loi déplacé(s) vers l'espace partagé.")
