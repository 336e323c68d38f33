"""`mairie users`, `mairie eval` and `mairie bench`: accounts, quality and speed (registered by ui.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from ui.cli_base import MairieGroup
from ui.cli_common import Context, pass_ctx, run_or_fail


# --- users (accounts of the Streamlit app) -------------------------------------------------------
@click.group(cls=MairieGroup)
def users() -> None:
    """Comptes de l'interface web (fichier MAIRIE_USERS_FILE, mots de passe hachés avec bcrypt)."""


@users.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["admin", "agent", "elu", "service"]),
    required=True,
    help="admin : ajoute et retire des documents ; agent, elu : consultent et posent des questions ; "
    "service : administre tous les espaces (sans --space).",
)
@click.option("--space", help="Espace (commune) auquel le compte accède avec ce rôle (une commande par espace).")
@click.password_option(
    "--password",
    prompt="Mot de passe",
    confirmation_prompt="Confirmez le mot de passe",
    help="Mot de passe (demandé s'il n'est pas donné ; 8 caractères au moins).",
)
@pass_ctx
def users_add(ctx: Context, name: str, role: str, space: str | None, password: str) -> None:
    """Crée un compte, ou change le mot de passe et le rôle d'un compte existant (dans un espace avec --space)."""
    from ui import auth

    path = ctx.settings.users_file
    existed = name in run_or_fail(auth.load_users, path)
    run_or_fail(auth.add_user, path, name, role, password, space=space)
    where = f", espace {space}" if space else ""
    click.echo(f"Compte {'mis à jour' if existed else 'créé'} : {name} ({role}{where}) dans {path}")


@users.command("remove")
@click.argument("name")
@pass_ctx
def users_remove(ctx: Context, name: str) -> None:
    """Supprime un compte."""
    from ui import auth

    if not run_or_fail(auth.remove_user, ctx.settings.users_file, name):
        raise click.ClickException(f"Aucun compte « {name} » (voir `mairie users list`).")
    click.echo(f"Compte supprimé : {name}")


@users.command("list")
@pass_ctx
def users_list(ctx: Context) -> None:
    """Liste les comptes et leur rôle (jamais les mots de passe)."""
    from ui import auth

    accounts = run_or_fail(auth.load_users, ctx.settings.users_file)
    if not accounts:
        click.echo(
            "Aucun compte : l'interface n'est accessible que depuis cet ordinateur (127.0.0.1), sans identification.",
            err=True,
        )
        return
    for name in sorted(accounts):
        spaces = accounts[name].get("spaces", {})
        where = "\t" + ", ".join(f"{space}:{role}" for space, role in spaces.items()) if spaces else ""
        click.echo(f"{name}\t{accounts[name]['role']}{where}")


# --- evaluation and benchmarks -------------------------------------------------------------------
@click.command("eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option(
    "--mode",
    type=click.Choice(["hybrid", "bm25", "dense"]),
    default="hybrid",
    show_default=True,
    help="Canal de recherche évalué.",
)
@click.option("--no-ask", is_flag=True, help="Recherche seulement (pas de réponse ni de refus).")
@click.option(
    "--check",
    "thresholds",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Fichier JSON de seuils : code de sortie 1 si une mesure passe sous son seuil.",
)
@click.option("--details", is_flag=True, help="Affiche chaque question manquée.")
@pass_ctx
def eval_cmd(
    ctx: Context, questions: Path, as_json: bool, mode: str, no_ask: bool, thresholds: Path | None, details: bool
) -> None:
    """Évalue la recherche et les réponses sur un jeu de questions de référence (JSONL)."""
    from dataclasses import asdict

    from rag.evaluate import check_thresholds, evaluate, load_gold, summarize
    from rag.retrieve import HybridRetriever

    kb = ctx.kb
    gold = run_or_fail(load_gold, questions)
    retriever = HybridRetriever(store=kb.store, settings=ctx.settings, lexical=kb.lexical, mode=mode)
    results = run_or_fail(
        evaluate, gold, search=lambda q: retriever.retrieve(q, top_k=10), ask=None if no_ask else kb.ask
    )
    summary = summarize(results)
    failures = check_thresholds(summary, json.loads(thresholds.read_text(encoding="utf-8"))) if thresholds else []
    if as_json:
        click.echo(
            json.dumps(
                {"mode": mode, "summary": summary, "failures": failures, "questions": [asdict(r) for r in results]},
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        _print_eval(summary)
        for key, label in (("false_refusal_reasons", "refus à tort"), ("absent_refusal_reasons", "refus justes")):
            reasons = summary["overall"].get(key)
            if reasons:
                click.echo(f"{label} par contrôle : " + ", ".join(f"{name} {n}" for name, n in reasons.items()))
        if details:
            for r in results:
                if (not r.absent and (r.rank_doc is None or r.rank_doc > 5)) or (r.absent and r.refused is False):
                    click.echo(f"  manquée : {r.id} rang={r.rank_doc} top={r.top}")
                elif r.key_fact_found is False:
                    refusal = f" ({r.refusal_reason})" if r.refused else ""
                    click.echo(f"  fait clé absent : {r.id} rang={r.rank_doc} refus={r.refused}{refusal}")
        for failure in failures:
            click.echo(f"SOUS LE SEUIL : {failure}", err=True)
    if failures:
        sys.exit(1)


def _print_eval(summary: dict[str, dict[str, Any]]) -> None:
    columns = [
        ("questions", "n"),
        ("recall@1_doc", "R@1"),
        ("recall@5_doc", "R@5"),
        ("recall@10_doc", "R@10"),
        ("mrr@10_doc", "MRR"),
        ("recall@5_page", "R@5 p."),
        ("mrr@10_page", "MRR p."),
        ("article_accuracy", "art."),
        ("refusal_accuracy", "refus"),
        ("false_refusals", "faux ref."),
        ("expected_fact_rate", "fait"),
        ("key_fact_rate", "fait clé"),
        ("citation_precision", "cit."),
        ("search_ms_p50", "rech. p50"),
        ("search_ms_p95", "p95"),
        ("answer_ms_p50", "rép. p50"),
        ("answer_ms_p95", "p95"),
    ]
    header = f"{'type':16s}" + "".join(f"{label:>10s}" for _, label in columns)
    click.echo(header)
    for name, metrics in summary.items():
        cells = []
        for key, _ in columns:
            value = metrics.get(key)
            cells.append(
                f"{'-':>10s}" if value is None else f"{value:>10.3f}" if isinstance(value, float) else f"{value:>10}"
            )
        click.echo(f"{name:16s}" + "".join(cells))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Corpus plus large à mesurer (répétable) ; défaut : le corpus de démonstration.",
)
@click.option("--scaling/--no-scaling", default=True, help="Courbe de latence à 1k, 10k, 100k passages.")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Questions (JSONL) pour les latences ; défaut : benchmarks/gold_demo.jsonl.",
)
@click.option("--on-store", is_flag=True, help="Latences seulement, sur le magasin configuré (sans indexer).")
@click.option("--sizes", default="1000,10000,100000", show_default=True, help="Tailles de la courbe d'échelle.")
@click.option(
    "--cores",
    "cores_passages",
    type=int,
    default=32,
    show_default=True,
    help="Passages du débit par cœurs (1 et 2 fils, 1 et 2 processus) ; 0 = ne pas le mesurer.",
)
@pass_ctx
def bench(
    ctx: Context,
    as_json: bool,
    corpora: tuple[Path, ...],
    scaling: bool,
    queries: Path | None,
    on_store: bool,
    sizes: str,
    cores_passages: int,
) -> None:
    """Mesure débit d'indexation (par cœurs utilisés), latences de recherche et de réponse, mémoire."""
    from ingest.bench import run_bench

    try:
        scaling_sizes = tuple(int(s) for s in sizes.split(",") if s.strip())
    except ValueError as e:
        raise click.BadParameter("liste de nombres séparés par des virgules attendue", param_hint="--sizes") from e
    report = run_or_fail(
        run_bench,
        ctx.settings,
        corpora=list(corpora),
        scaling=scaling,
        queries=queries,
        log=lambda m: click.echo(m, err=True),
        scaling_sizes=scaling_sizes,
        on_store=on_store,
        cores_passages=cores_passages,
    )
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        from ingest.bench import format_report

        click.echo(format_report(report))
