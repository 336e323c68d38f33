"""`mairie deliberations` and `mairie export-scdl`: the deliberation records (registered by ui.cli)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ui.cli_common import Context, echo, echo_json, filters_from, filters_options, pass_ctx, run_or_fail, space_option


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@filters_options
@space_option
@pass_ctx
def deliberations(ctx: Context, as_json: bool, **kwargs: Any) -> None:
    """Liste les délibérations indexées (date, numéro, objet, vote, source, pages)."""
    from rag.records import list_records, vote_label
    from ui.payloads import deliberations_payload

    records = run_or_fail(list_records, ctx.kb.store, filters_from(kwargs))
    if as_json:
        echo_json(deliberations_payload(records))
        return
    for r in records:
        pages = f"p. {r.page_start}" + (f"-{r.page_end}" if r.page_end and r.page_end != r.page_start else "")
        echo(
            f"{r.date or '????-??-??'}  {r.delib_id or '-':10s} {(r.objet or '')[:70]:70s}  "
            f"{vote_label(r)[:40]:40s}  {r.source} {pages}"
        )
    echo(f"{len(records)} délibération(s).", err=True)


@click.command("export-scdl")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--coll-nom",
    help="Nom de la collectivité (COLL_NOM), sinon la commune du document. "
    "Avec --commune si le magasin contient plusieurs communes.",
)
@click.option(
    "--coll-siret",
    help="SIRET de la collectivité (COLL_SIRET, 14 chiffres). "
    "Avec --commune si le magasin contient plusieurs communes.",
)
@filters_options
@pass_ctx
def export_scdl(ctx: Context, out: Path, coll_nom: str | None, coll_siret: str | None, **kwargs: Any) -> None:
    """Exporte les délibérations au format SCDL « Délibérations » (17 champs, CSV)."""
    from ingest.scdl import check_siret, records_to_scdl_rows, scdl_csv_text
    from rag.errors import ConfigError
    from rag.records import list_records

    if coll_siret:
        run_or_fail(check_siret, coll_siret)
    records = run_or_fail(list_records, ctx.kb.store, filters_from(kwargs))
    try:
        rows = records_to_scdl_rows(records, coll_nom=coll_nom, coll_siret=coll_siret)
    except ConfigError as e:  # several communes: --commune chooses one
        example = next((r.commune for r in records if r.commune), "Preuilly-sur-Claise")
        raise click.ClickException(f"{e} Ajoutez par exemple --commune « {example} ».") from e
    try:
        out.write_text(scdl_csv_text(rows, name=out.name), encoding="utf-8", newline="")
    except OSError as e:
        raise click.ClickException(f"Impossible d'écrire {out} : {e.strerror or e}.") from e
    incomplete = sum(
        1 for row in rows if not all(row[k] for k in ("COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_MATIERE_CODE"))
    )
    click.echo(f"{len(records)} délibération(s) exportée(s) dans {out}.")
    if incomplete:
        click.echo(
            f"{incomplete} ligne(s) incomplète(s) : numéro, matière ou SIRET inconnus dans les documents "
            "(laissés vides, jamais inventés) ; complétez-les avant publication.",
            err=True,
        )
