"""The `mairie` command line. Results on stdout, progress and diagnostics on stderr."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click

from rag.errors import KbError
from rag.schema import OUTCOME_WORDS, Filters
from rag.settings import Settings
from ui.cli_base import CONTEXT_SETTINGS, MairieGroup, use_french

use_french()
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _quiet_third_parties() -> None:
    # Nothing leaves the machine: Chroma and Streamlit telemetry off before they are imported.
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class Context:
    def __init__(self, store: str | None) -> None:
        self.store_override = Path(store).expanduser() if store else None
        self._settings: Settings | None = None
        self._kb: Any = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            try:
                self._settings = Settings.from_env(store=self.store_override)
            except KbError as e:
                raise click.ClickException(str(e)) from e
            logging.basicConfig(level=self._settings.log_level.upper(), stream=sys.stderr,
                                format="%(levelname)s %(name)s: %(message)s")
        return self._settings

    @property
    def kb(self) -> Any:
        if self._kb is None:
            from rag.kb import KnowledgeBase

            self._kb = KnowledgeBase(self.settings)
        return self._kb


pass_ctx = click.make_pass_decorator(Context)


@click.group(cls=MairieGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--store", envvar="MAIRIE_STORE", help="Dossier du magasin (défaut : MAIRIE_STORE).")
@click.version_option(package_name="mairie-rag")
@click.pass_context
def main(ctx: click.Context, store: str | None) -> None:
    """mairie-rag : la base de connaissances locale de la mairie (délibérations, CGCT)."""
    _quiet_third_parties()
    ctx.obj = Context(store)


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


def _filters_options(func: Any) -> Any:
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


def _filters(kwargs: dict[str, Any]) -> Filters:
    for key in ("since", "until"):
        value = kwargs.get(key)
        if value and not _is_iso_date(value):
            raise click.BadParameter(f"date attendue au format AAAA-MM-JJ, reçu {value!r}", param_hint=f"--{key}")
    return Filters(kind=kwargs.get("kind"), commune=kwargs.get("commune"), since=kwargs.get("since"),
                   until=kwargs.get("until"), matiere=kwargs.get("matiere"), outcome=kwargs.get("outcome"),
                   not_unanimous=bool(kwargs.get("not_unanimous")))


def _is_iso_date(value: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(value if len(value) == 10 else f"{value}-01-01")
    except ValueError:
        return False
    return True


def _run(func: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return func(*args, **kwargs)
    except KbError as e:
        raise click.ClickException(str(e)) from e


# --- settings ------------------------------------------------------------------------------------
@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_ctx
def settings_cmd(ctx: Context, as_json: bool) -> None:
    """Affiche les réglages (variables MAIRIE_*), leur valeur et leur aide."""
    settings = ctx.settings
    rows = [(env, getattr(settings, name), help_) for env, name, help_ in Settings.describe()]
    if as_json:
        click.echo(json.dumps([{"name": e, "value": str(v), "help": h} for e, v, h in rows], ensure_ascii=False,
                              indent=2))
        return
    for env, value, help_ in rows:
        shown = "****" if "KEY" in env and value else ("oui" if value else "non") if isinstance(value, bool) else value
        click.echo(f"{env} = {shown}\n    {help_}")


# --- ingest --------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Rapport JSON sur stdout.")
@click.option("--commune", help="Commune des documents qui ne la nomment pas.")
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], as_json: bool, commune: str | None) -> None:
    """Indexe des fichiers ou dossiers (PDF, arborescence Markdown du CGCT, CSV SCDL)."""
    summary = _ingest(ctx, list(paths), as_json=as_json, commune=commune)
    if summary.failed:
        sys.exit(1)


def _ingest(ctx: Context, paths: list[Path], *, as_json: bool = False, commune: str | None = None) -> Any:
    from ingest.service import ingest_files

    progress = _Progress(enabled=sys.stderr.isatty())
    try:
        summary = ingest_files(paths, kb=ctx.kb, commune=commune, who=os.environ.get("USER", "cli"),
                               on_start=progress.start, on_event=progress.event, on_embedded=progress.embedded)
    except KbError as e:
        raise click.ClickException(str(e)) from e
    finally:
        progress.close()
    if as_json:
        click.echo(json.dumps({
            "files": [{"source": e.source, "status": e.status, "chunks": e.chunks, "embedded": e.embedded,
                       "message": e.message, "warnings": e.warnings} for e in summary.events],
            "indexed": summary.indexed, "unchanged": summary.unchanged, "failed": summary.failed,
            "skipped": summary.skipped, "chunks": summary.chunks, "embedded": summary.embedded,
            "computed": summary.computed, "seconds": round(summary.seconds, 2)}, ensure_ascii=False, indent=2))
    else:
        elapsed = summary.seconds
        rate = f", {summary.embedded / elapsed:.1f} passages/s" if summary.embedded and elapsed else ""
        click.echo(
            f"Terminé en {elapsed:.0f} s : {summary.indexed} fichier(s) indexé(s), {summary.unchanged} inchangé(s), "
            f"{summary.skipped} ignoré(s), {summary.failed} en échec ; {summary.embedded} passage(s) écrit(s){rate} "
            f"({summary.computed} calculé(s) par le modèle, les autres repris du cache).",
            err=True,
        )
        for warning in summary.warnings:  # failures were printed once, as they happened
            click.echo(f"  ! {warning}", err=True)
    return summary


class _Progress:
    """Progress of `mairie ingest` on stderr: bars on a terminal, one plain line per file otherwise (logs)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.files: Any = None
        self.chunks: Any = None

    def start(self, total: int, cleaned: list[str]) -> None:
        for source in cleaned:
            click.echo(f"Nettoyage d'une indexation interrompue : {source}", err=True)
        if self.enabled:
            from tqdm import tqdm

            self.files = tqdm(total=total, desc="Fichiers", unit="fichier", file=sys.stderr, position=0,
                              dynamic_ncols=True, mininterval=2.0)
            self.chunks = tqdm(desc="Passages intégrés", unit="passage", file=sys.stderr, position=1,
                               mininterval=2.0, dynamic_ncols=True)

    def event(self, event: Any) -> None:
        line = _event_line(event)
        if self.files is None:
            click.echo(line, err=True)
            return
        self.files.update(1)
        self.files.set_postfix_str(event.source[-40:], refresh=False)
        if event.status == "failed":
            self.files.write(line, file=sys.stderr)

    def embedded(self, count: int) -> None:
        if self.chunks is not None:
            self.chunks.update(count)

    def close(self) -> None:
        for bar in (self.files, self.chunks):
            if bar is not None:
                bar.close()
        self.files = self.chunks = None


_STATUS_WORDS = {"indexed": "Indexé", "unchanged": "Inchangé", "skipped": "Ignoré"}


def _event_line(event: Any) -> str:
    if event.status == "failed":
        return f"Échec : {event.source} : {event.message}"
    detail = f" ({event.chunks} passage(s))" if event.chunks else (f" ({event.message})" if event.message else "")
    return f"{_STATUS_WORDS.get(event.status, event.status)} : {event.source}{detail}"


# --- search / ask --------------------------------------------------------------------------------
@main.command()
@click.argument("question")
@click.option("-k", "--top-k", type=int, help="Nombre de résultats.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (format stable, voir README).")
@_filters_options
@pass_ctx
def search(ctx: Context, question: str, top_k: int | None, as_json: bool, **kwargs: Any) -> None:
    """Recherche hybride (mots + sens) dans les documents indexés."""
    filters = _filters(kwargs)
    hits = _run(ctx.kb.search, question, top_k=top_k, filters=filters)
    if as_json:
        click.echo(json.dumps({"question": question, "hits": [h.to_json() for h in hits]}, ensure_ascii=False,
                              indent=2))
        return
    if not hits:
        click.echo("Aucun résultat.")
        return
    from rag.french import source_label

    for rank, hit in enumerate(hits, start=1):
        snippet = " ".join(hit.chunk.text.split())[:240]
        click.echo(f"{rank}. {source_label(hit.chunk)}  (score {hit.score:.3f})\n   {snippet}")


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", type=int, help="Nombre de passages consultés.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (format stable, voir README).")
@_filters_options
@pass_ctx
def ask(ctx: Context, question: str, top_k: int | None, as_json: bool, **kwargs: Any) -> None:
    """Pose une question ; la réponse cite ses sources [1], [2]..."""
    filters = _filters(kwargs)
    if as_json:
        answer = _run(ctx.kb.ask, question, filters=filters, top_k=top_k)
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False, indent=2))
        return
    from rag.french import source_label

    answer = None
    streamed = False
    for event in _run(lambda: list(_stream_answer(ctx, question, filters, top_k))):
        if event.kind == "answer":
            answer = event.answer
        else:
            streamed = True
    assert answer is not None
    if streamed and answer.mode not in ("extractive",):
        click.echo("\n\n--- Réponse vérifiée ---")
    if not streamed or answer.mode != "extractive":
        click.echo(answer.text)
    if answer.citations:
        click.echo("\nSources :")
        for c in answer.citations:
            url = c.chunk.meta.get("url")
            click.echo(f"[{c.n}] {source_label(c.chunk)}" + (f" — {url}" if url else ""))
            if c.chunk.meta.get("heading_path"):
                click.echo(f"    {c.chunk.meta['heading_path']}")
    elif answer.closest:
        click.echo("\nPassages les plus proches (à vérifier) :")
        for hit in answer.closest:
            click.echo(f"- {source_label(hit.chunk)}")
    for note in answer.notes:
        click.echo(f"Note : {note}", err=True)


def _stream_answer(ctx: Context, question: str, filters: Filters, top_k: int | None) -> Any:
    """Print tokens as they come (the model's draft), and yield every event."""
    printed = False
    for event in ctx.kb.chain.stream(question, filters=filters, top_k=top_k):
        if event.kind == "token":
            click.echo(event.text, nl=False)
            sys.stdout.flush()
            printed = True
        yield event
    if printed:
        click.echo("")


# --- documents, removal, verification ------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_ctx
def documents(ctx: Context, as_json: bool) -> None:
    """Liste les documents indexés et leur nombre de passages."""
    docs = _run(ctx.kb.documents)
    if as_json:
        click.echo(json.dumps([{"source": d.source, "kind": d.kind, "title": d.title, "chunks": d.chunks}
                               for d in docs], ensure_ascii=False, indent=2))
        return
    for d in docs:
        click.echo(f"{d.chunks:5d}  {d.kind:13s} {d.source}")
    click.echo(f"{len(docs)} document(s), {sum(d.chunks for d in docs)} passage(s).", err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@pass_ctx
def remove(ctx: Context, sources: tuple[str, ...]) -> None:
    """Supprime des documents (ou un dossier indexé) partout : Chroma et index dérivés."""
    missing = False
    for source in sources:
        reports = _run(ctx.kb.remove, source, who=os.environ.get("USER", "cli"))
        if not reports:
            click.echo(f"Aucun document indexé ne correspond à « {source} » (voir `mairie documents`).", err=True)
            missing = True
        for report in reports:
            click.echo(f"Supprimé : {report.source} ({report.chunks} passage(s)).")
    if missing:
        sys.exit(1)


@main.command()
@pass_ctx
def verify(ctx: Context) -> None:
    """Vérifie que les index dérivés correspondent exactement à Chroma."""
    problems = _run(ctx.kb.verify)
    if problems:
        for problem in problems:
            click.echo(f"! {problem}")
        raise click.ClickException(f"{len(problems)} incohérence(s) trouvée(s).")
    docs = ctx.kb.documents()
    click.echo(f"Magasin cohérent : {len(docs)} document(s), {sum(d.chunks for d in docs)} passage(s), "
               "index lexical identique à Chroma.")


# --- demo and UI ---------------------------------------------------------------------------------
@main.command()
@click.option("--no-ui", is_flag=True, help="Indexe seulement, sans ouvrir l'interface.")
@click.option("--port", type=int, default=8501, show_default=True, help="Port de l'interface web.")
@pass_ctx
def demo(ctx: Context, no_ui: bool, port: int) -> None:
    """Indexe le corpus de démonstration (data/) puis ouvre l'interface."""
    if not no_ui:
        from ui.serve import ensure_port_free

        ensure_port_free("127.0.0.1", port)  # before indexing, not after
    if not DATA_DIR.is_dir():
        raise click.ClickException(f"Corpus de démonstration introuvable : {DATA_DIR}")
    click.echo(f"Indexation du corpus de démonstration ({DATA_DIR}) dans {ctx.settings.store} ...", err=True)
    summary = _ingest(ctx, [DATA_DIR / "cgct", DATA_DIR / "deliberations", DATA_DIR / "legal"])
    if summary.failed:
        click.echo("Certains fichiers n'ont pas pu être indexés (voir ci-dessus).", err=True)
    if no_ui:
        return
    _start_ui(ctx, host="127.0.0.1", port=port)


@main.command("ui")
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute (0.0.0.0 pour le réseau).")
@click.option("--port", type=int, default=8501, show_default=True, help="Port de l'interface web.")
@pass_ctx
def ui_cmd(ctx: Context, host: str, port: int) -> None:
    """Ouvre l'application Streamlit (statistiques d'usage désactivées)."""
    _start_ui(ctx, host=host, port=port)


def _start_ui(ctx: Context, *, host: str, port: int) -> None:
    from ui.serve import ensure_port_free, run_child, streamlit_command

    ensure_port_free(host, port)
    cmd, env = streamlit_command(ctx.settings, host=host, port=port)
    click.echo(f"Interface sur http://{host}:{port} (Ctrl+C pour arrêter)", err=True)
    sys.exit(run_child(cmd, env))


# --- users (accounts of the Streamlit app) -------------------------------------------------------
@main.group()
def users() -> None:
    """Comptes de l'interface web (fichier MAIRIE_USERS_FILE, mots de passe hachés avec bcrypt)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "elu"]), required=True,
              help="admin : ajoute et retire des documents ; elu : consulte et pose des questions.")
@click.password_option("--password", prompt="Mot de passe", confirmation_prompt="Confirmez le mot de passe",
                       help="Mot de passe (demandé s'il n'est pas donné ; 8 caractères au moins).")
@pass_ctx
def users_add(ctx: Context, name: str, role: str, password: str) -> None:
    """Crée un compte, ou change le mot de passe et le rôle d'un compte existant."""
    from ui import auth

    path = ctx.settings.users_file
    existed = name in _run(auth.load_users, path)
    _run(auth.add_user, path, name, role, password)
    click.echo(f"Compte {'mis à jour' if existed else 'créé'} : {name} ({role}) dans {path}")


@users.command("remove")
@click.argument("name")
@pass_ctx
def users_remove(ctx: Context, name: str) -> None:
    """Supprime un compte."""
    from ui import auth

    if not _run(auth.remove_user, ctx.settings.users_file, name):
        raise click.ClickException(f"Aucun compte « {name} » (voir `mairie users list`).")
    click.echo(f"Compte supprimé : {name}")


@users.command("list")
@pass_ctx
def users_list(ctx: Context) -> None:
    """Liste les comptes et leur rôle (jamais les mots de passe)."""
    from ui import auth

    accounts = _run(auth.load_users, ctx.settings.users_file)
    if not accounts:
        click.echo("Aucun compte : l'interface n'est accessible que depuis cet ordinateur (127.0.0.1), sans "
                   "identification.", err=True)
        return
    for name in sorted(accounts):
        click.echo(f"{name}\t{accounts[name]['role']}")




# --- evaluation and benchmarks -------------------------------------------------------------------
@main.command("eval")
@click.argument("questions", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--mode", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid", show_default=True,
              help="Canal de recherche évalué.")
@click.option("--no-ask", is_flag=True, help="Recherche seulement (pas de réponse ni de refus).")
@click.option("--check", "thresholds", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Fichier JSON de seuils : code de sortie 1 si une mesure passe sous son seuil.")
@click.option("--details", is_flag=True, help="Affiche chaque question manquée.")
@pass_ctx
def eval_cmd(ctx: Context, questions: Path, as_json: bool, mode: str, no_ask: bool, thresholds: Path | None,
             details: bool) -> None:
    """Évalue la recherche et les réponses sur un jeu de questions de référence (JSONL)."""
    from dataclasses import asdict

    from rag.evaluate import check_thresholds, evaluate, load_gold, summarize
    from rag.retrieve import HybridRetriever

    kb = ctx.kb
    gold = _run(load_gold, questions)
    retriever = HybridRetriever(store=kb.store, settings=ctx.settings, lexical=kb.lexical, mode=mode)
    results = _run(evaluate, gold, search=lambda q: retriever.retrieve(q, top_k=10),
                   ask=None if no_ask else kb.ask)
    summary = summarize(results)
    failures = check_thresholds(summary, json.loads(thresholds.read_text(encoding="utf-8"))) if thresholds else []
    if as_json:
        click.echo(json.dumps({"mode": mode, "summary": summary, "failures": failures,
                               "questions": [asdict(r) for r in results]}, ensure_ascii=False, indent=2))
    else:
        _print_eval(summary)
        if details:
            for r in results:
                if (not r.absent and (r.rank_doc is None or r.rank_doc > 5)) or (r.absent and r.refused is False):
                    click.echo(f"  manquée : {r.id} rang={r.rank_doc} top={r.top}")
        for failure in failures:
            click.echo(f"SOUS LE SEUIL : {failure}", err=True)
    if failures:
        sys.exit(1)


def _print_eval(summary: dict[str, dict[str, Any]]) -> None:
    columns = [("questions", "n"), ("recall@1_doc", "R@1"), ("recall@5_doc", "R@5"), ("recall@10_doc", "R@10"),
               ("mrr@10_doc", "MRR"), ("recall@5_page", "R@5 p."), ("mrr@10_page", "MRR p."),
               ("article_accuracy", "art."), ("refusal_accuracy", "refus"), ("false_refusals", "faux ref."),
               ("expected_fact_rate", "fait"), ("citation_precision", "cit."), ("search_ms_p50", "rech. p50"),
               ("search_ms_p95", "p95"), ("answer_ms_p50", "rép. p50"), ("answer_ms_p95", "p95")]
    header = f"{'type':16s}" + "".join(f"{label:>10s}" for _, label in columns)
    click.echo(header)
    for name, metrics in summary.items():
        cells = []
        for key, _ in columns:
            value = metrics.get(key)
            cells.append(f"{'-':>10s}" if value is None else f"{value:>10.3f}" if isinstance(value, float)
                         else f"{value:>10}")
        click.echo(f"{name:16s}" + "".join(cells))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@click.option("--corpus", "corpora", multiple=True, type=click.Path(exists=True, path_type=Path),
              help="Corpus plus large à mesurer (répétable) ; défaut : le corpus de démonstration.")
@click.option("--scaling/--no-scaling", default=True, help="Courbe de latence à 1k, 10k, 100k passages.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Questions (JSONL) pour les latences ; défaut : benchmarks/gold_demo.jsonl.")
@click.option("--on-store", is_flag=True, help="Latences seulement, sur le magasin configuré (sans indexer).")
@click.option("--sizes", default="1000,10000,100000", show_default=True, help="Tailles de la courbe d'échelle.")
@pass_ctx
def bench(ctx: Context, as_json: bool, corpora: tuple[Path, ...], scaling: bool, queries: Path | None,
          on_store: bool, sizes: str) -> None:
    """Mesure débit d'indexation, latences de recherche et de réponse, mémoire, et leur évolution."""
    from ingest.bench import run_bench

    try:
        scaling_sizes = tuple(int(s) for s in sizes.split(",") if s.strip())
    except ValueError as e:
        raise click.BadParameter("liste de nombres séparés par des virgules attendue", param_hint="--sizes") from e
    report = _run(run_bench, ctx.settings, corpora=list(corpora), scaling=scaling, queries=queries,
                  log=lambda m: click.echo(m, err=True), scaling_sizes=scaling_sizes, on_store=on_store)
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        from ingest.bench import format_report

        click.echo(format_report(report))


def _register_commands() -> None:
    from ui.cli_legal import article

    main.add_command(article)





# --- deliberations ---------------------------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@_filters_options
@pass_ctx
def deliberations(ctx: Context, as_json: bool, **kwargs: Any) -> None:
    """Liste les délibérations indexées (date, numéro, objet, vote, source, pages)."""
    from dataclasses import asdict

    from rag.records import list_records, vote_label

    records = _run(list_records, ctx.kb.store, _filters(kwargs))
    if as_json:
        rows = []
        for r in records:
            row = asdict(r)
            row.pop("text")
            row["vote"] = vote_label(r)
            rows.append(row)
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in records:
        pages = f"p. {r.page_start}" + (f"-{r.page_end}" if r.page_end and r.page_end != r.page_start else "")
        click.echo(f"{r.date or '????-??-??'}  {r.delib_id or '-':10s} {(r.objet or '')[:70]:70s}  "
                   f"{vote_label(r)[:40]:40s}  {r.source} {pages}")
    click.echo(f"{len(records)} délibération(s).", err=True)


@main.command("export-scdl")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--coll-nom", help="Nom de la collectivité (COLL_NOM), sinon la commune du document. "
                                 "Avec --commune si le magasin contient plusieurs communes.")
@click.option("--coll-siret", help="SIRET de la collectivité (COLL_SIRET, 14 chiffres). "
                                   "Avec --commune si le magasin contient plusieurs communes.")
@_filters_options
@pass_ctx
def export_scdl(ctx: Context, out: Path, coll_nom: str | None, coll_siret: str | None, **kwargs: Any) -> None:
    """Exporte les délibérations au format SCDL « Délibérations » (17 champs, CSV)."""
    from ingest.scdl import check_siret, records_to_scdl_rows, scdl_csv_text
    from rag.errors import ConfigError
    from rag.records import list_records

    if coll_siret:
        _run(check_siret, coll_siret)
    records = _run(list_records, ctx.kb.store, _filters(kwargs))
    try:
        rows = records_to_scdl_rows(records, coll_nom=coll_nom, coll_siret=coll_siret)
    except ConfigError as e:  # several communes: --commune chooses one
        example = next((r.commune for r in records if r.commune), "Preuilly-sur-Claise")
        raise click.ClickException(f"{e} Ajoutez par exemple --commune « {example} ».") from e
    try:
        out.write_text(scdl_csv_text(rows, name=out.name), encoding="utf-8", newline="")
    except OSError as e:
        raise click.ClickException(f"Impossible d'écrire {out} : {e.strerror or e}.") from e
    incomplete = sum(1 for row in rows if not all(row[k] for k in ("COLL_NOM", "COLL_SIRET", "DELIB_ID",
                                                                      "DELIB_MATIERE_CODE")))
    click.echo(f"{len(records)} délibération(s) exportée(s) dans {out}.")
    if incomplete:
        click.echo(f"{incomplete} ligne(s) incomplète(s) : numéro, matière ou SIRET inconnus dans les documents "
                   "(laissés vides, jamais inventés) ; complétez-les avant publication.", err=True)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
