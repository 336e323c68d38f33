"""The `mairie` command line. Results on stdout, progress and diagnostics on stderr."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from rag.errors import KbError
from rag.schema import Filters
from rag.settings import Settings
from ui.cli_base import CONTEXT_SETTINGS, MairieGroup, use_french
from ui.cli_common import (
    Context,
    echo,
    echo_json,
    filters_from,
    filters_options,
    pass_ctx,
    run_or_fail,
    space_option,
    terminal_safe,
)
from ui.payloads import documents_payload, search_payload

use_french()
DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def _quiet_third_parties() -> None:
    # Nothing leaves the machine: Chroma and Streamlit telemetry off before they are imported.
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@click.group(cls=MairieGroup, context_settings=CONTEXT_SETTINGS)
@click.option("--store", envvar="MAIRIE_STORE", help="Dossier du magasin (défaut : MAIRIE_STORE).")
@click.version_option(package_name="mairie-rag")
@click.pass_context
def main(ctx: click.Context, store: str | None) -> None:
    """mairie-rag : la base de connaissances locale de la mairie (délibérations, CGCT)."""
    _quiet_third_parties()
    ctx.obj = Context(store)


# --- settings ------------------------------------------------------------------------------------
@main.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_ctx
def settings_cmd(ctx: Context, as_json: bool) -> None:
    """Affiche les réglages (variables MAIRIE_*), leur valeur et leur aide."""
    settings = ctx.settings
    rows = [(env, getattr(settings, name), help_) for env, name, help_ in Settings.describe()]
    if as_json:
        click.echo(
            json.dumps([{"name": e, "value": str(v), "help": h} for e, v, h in rows], ensure_ascii=False, indent=2)
        )
        return
    for env, value, help_ in rows:
        shown = "****" if "KEY" in env and value else ("oui" if value else "non") if isinstance(value, bool) else value
        click.echo(f"{env} = {shown}\n    {help_}")


# --- ingest --------------------------------------------------------------------------------------
@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Rapport JSON sur stdout.")
@click.option("--commune", help="Commune des documents qui ne la nomment pas.")
@click.option(
    "--replace",
    is_flag=True,
    help="Remplace les documents de même nom indexés depuis un autre fichier (sinon ils sont ignorés).",
)
@click.option(
    "--ocr",
    type=click.Choice(["auto", "always", "never"]),
    help="OCR des pages scannées : auto (celles qui en ont besoin), always (toutes), never (scans ignorés).",
)
@space_option
@pass_ctx
def ingest(
    ctx: Context, paths: tuple[Path, ...], as_json: bool, commune: str | None, replace: bool, ocr: str | None
) -> None:
    """Indexe des fichiers ou dossiers (PDF, y compris scannés, Word .doc/.docx, .odt, Markdown, CSV SCDL)."""
    if ocr is not None:  # before the knowledge base is built from the settings
        ctx._settings = ctx.settings.replace(ocr=ocr)
    summary = _ingest(ctx, list(paths), as_json=as_json, commune=commune, replace=replace)
    if summary.failed or any(e.status == "skipped" and e.message and not e.informational for e in summary.events):
        sys.exit(1)  # a path or file not indexed (missing, empty folder, link ...), or a name already taken


def _ingest(
    ctx: Context, paths: list[Path], *, as_json: bool = False, commune: str | None = None, replace: bool = False
) -> Any:
    from ingest.service import ingest_files

    progress = _Progress(enabled=sys.stderr.isatty())
    try:
        summary = ingest_files(
            paths,
            kb=ctx.kb,
            commune=commune,
            who=os.environ.get("USER", "cli"),
            replace=replace,
            on_start=progress.start,
            on_event=progress.event,
            on_embedded=progress.embedded,
            on_ocr_page=progress.ocr_page,
        )
    except KbError as e:
        raise click.ClickException(str(e)) from e
    finally:
        progress.close()
    if as_json:
        echo_json(
            {
                "files": [
                    {
                        "source": e.source,
                        "status": e.status,
                        "chunks": e.chunks,
                        "embedded": e.embedded,
                        "message": e.message,
                        "warnings": e.warnings,
                        "coverage": e.coverage,
                    }
                    for e in summary.events
                ],
                "indexed": summary.indexed,
                "unchanged": summary.unchanged,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "chunks": summary.chunks,
                "embedded": summary.embedded,
                "computed": summary.computed,
                "seconds": round(summary.seconds, 2),
            },
        )
    else:
        elapsed = summary.seconds
        rate = f", {summary.embedded / elapsed:.1f} passages/s" if summary.embedded and elapsed else ""
        echo(
            f"Terminé en {elapsed:.0f} s : {summary.indexed} fichier(s) indexé(s), {summary.unchanged} inchangé(s), "
            f"{summary.skipped} ignoré(s), {summary.failed} en échec ; {summary.embedded} passage(s) écrit(s){rate} "
            f"({summary.computed} calculé(s) par le modèle, les autres repris du cache).",
            err=True,
        )
        for warning in summary.warnings:  # failures were printed once, as they happened
            echo(f"  ! {warning}", err=True)
    return summary


class _Progress:
    """Progress of `mairie ingest` on stderr: bars on a terminal, one plain line per file otherwise (logs)."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self.files: Any = None
        self.chunks: Any = None
        self.ocr: Any = None
        self.ocr_source = ""
        self.ocr_started = 0.0
        self.ocr_done = 0

    def start(self, total: int, cleaned: list[str]) -> None:
        for source in cleaned:
            echo(f"Nettoyage d'une indexation interrompue : {source}", err=True)
        if self.enabled:
            from tqdm import tqdm

            self.files = tqdm(
                total=total,
                desc="Fichiers",
                unit="fichier",
                file=sys.stderr,
                position=0,
                dynamic_ncols=True,
                mininterval=2.0,
            )
            self.chunks = tqdm(
                desc="Passages intégrés",
                unit="passage",
                file=sys.stderr,
                position=1,
                mininterval=2.0,
                dynamic_ncols=True,
            )

    def event(self, event: Any) -> None:
        line = _event_line(event)
        if self.files is None:
            echo(line, err=True)
            return
        self.files.update(1)
        self.files.set_postfix_str(event.source[-40:], refresh=False)
        if event.status == "failed" or (event.status == "skipped" and event.message):
            self.files.write(terminal_safe(line), file=sys.stderr)

    def embedded(self, count: int) -> None:
        if self.chunks is not None:
            self.chunks.update(count)

    def ocr_page(self, source: str, done: int, total: int) -> None:
        """Scanned pages read by OCR: a bar with its ETA on a terminal, one line per page otherwise."""
        now = time.monotonic()
        if self.ocr_source != source:
            self.ocr_source, self.ocr_started, self.ocr_done = source, now, 0
            if self.ocr is not None:
                self.ocr.close()
            if self.enabled:
                from tqdm import tqdm

                self.ocr = tqdm(total=total, desc=f"OCR {source[-30:]}", unit="page", file=sys.stderr, position=2)
        if done <= self.ocr_done:
            return
        if self.ocr is not None:
            self.ocr.update(done - self.ocr_done)
        else:
            left = (now - self.ocr_started) / done * (total - done)
            click.echo(f"OCR : {source} : page {done}/{total} (reste environ {left:.0f} s)", err=True)
        self.ocr_done = done

    def close(self) -> None:
        for bar in (self.files, self.chunks, self.ocr):
            if bar is not None:
                bar.close()
        self.files = self.chunks = self.ocr = None


_STATUS_WORDS = {"indexed": "Indexé", "unchanged": "Inchangé", "skipped": "Ignoré"}


def _event_line(event: Any) -> str:
    if event.status == "failed":
        return f"Échec : {event.source} : {event.message}"
    detail = f" ({event.chunks} passage(s))" if event.chunks else (f" ({event.message})" if event.message else "")
    if event.chunks and event.coverage is not None:
        detail = f" (texte couvert à {_percent(event.coverage)}, {event.chunks} passage(s))"
    return f"{_STATUS_WORDS.get(event.status, event.status)} : {event.source}{detail}"


def _percent(share: float) -> str:
    """0.9934 -> "99,3 %" (rounded down, so that a document missing text never shows 100 %)."""
    return f"{int(share * 1000 + 1e-9) / 10:.1f} %".replace(".", ",")


# --- search / ask --------------------------------------------------------------------------------
@main.command()
@click.argument("question")
@click.option("-k", "--top-k", type=int, help="Nombre de résultats.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (format stable, voir README).")
@filters_options
@space_option
@pass_ctx
def search(ctx: Context, question: str, top_k: int | None, as_json: bool, **kwargs: Any) -> None:
    """Recherche hybride (mots + sens) dans les documents indexés."""
    filters = filters_from(kwargs)
    hits = run_or_fail(ctx.kb.search, question, top_k=top_k, filters=filters)
    if as_json:
        echo_json(search_payload(question, hits))
        return
    if not hits:
        echo("Aucun résultat.")
        return
    from rag.french import source_label

    for rank, hit in enumerate(hits, start=1):
        snippet = " ".join(hit.chunk.text.split())[:240]
        echo(f"{rank}. {source_label(hit.chunk)}  (score {hit.score:.3f})\n   {snippet}")


@main.command()
@click.argument("question")
@click.option("-k", "--top-k", type=int, help="Nombre de passages consultés.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (format stable, voir README).")
@filters_options
@space_option
@pass_ctx
def ask(ctx: Context, question: str, top_k: int | None, as_json: bool, **kwargs: Any) -> None:
    """Pose une question ; la réponse cite ses sources [1], [2]..."""
    filters = filters_from(kwargs)
    if as_json:
        answer = run_or_fail(ctx.kb.ask, question, filters=filters, top_k=top_k)
        echo_json(answer.to_json())
        return
    from rag.french import source_label

    answer = None
    streamed = False
    for event in run_or_fail(lambda: list(_stream_answer(ctx, question, filters, top_k))):
        if event.kind == "answer":
            answer = event.answer
        else:
            streamed = True
    assert answer is not None
    if streamed and answer.mode not in ("extractive",):
        echo("\n\n--- Réponse vérifiée ---")
    if not streamed or answer.mode != "extractive":
        echo(answer.text)
    for note in answer.notes:  # before the passages: "proposés ci-dessous" must come above them
        echo(f"Note : {note}", err=True)
    if answer.citations:
        echo("\nSources :")
        for c in answer.citations:
            url = c.chunk.meta.get("url")
            echo(f"[{c.n}] {source_label(c.chunk)}" + (f" — {url}" if url else ""))
            if c.chunk.meta.get("heading_path"):
                echo(f"    {c.chunk.meta['heading_path']}")
    elif answer.closest:
        echo("\nPassages les plus proches (à vérifier) :")
        for hit in answer.closest:
            echo(f"- {source_label(hit.chunk)}")


def _stream_answer(ctx: Context, question: str, filters: Filters, top_k: int | None) -> Any:
    """Print tokens as they come (the model's draft), and yield every event."""
    printed = False
    for event in ctx.kb.chain.stream(question, filters=filters, top_k=top_k):
        if event.kind == "token":
            echo(event.text, nl=False)
            sys.stdout.flush()
            printed = True
        yield event
    if printed:
        echo("")


# --- documents, removal, verification ------------------------------------------------------------
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@space_option
@pass_ctx
def documents(ctx: Context, as_json: bool) -> None:
    """Liste les documents indexés, leur nombre de passages et la part de leur texte indexée."""
    docs = run_or_fail(ctx.kb.documents)
    if as_json:
        echo_json(documents_payload(docs))
        return
    for d in docs:
        coverage = _percent(d.coverage) if d.coverage is not None else "—"
        echo(f"{d.chunks:5d}  {coverage:>7s}  {d.kind:13s} {d.source}")
    echo(f"{len(docs)} document(s), {sum(d.chunks for d in docs)} passage(s).", err=True)


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("--all", "everything", is_flag=True, help="Autorise une suppression qui vide toute la base.")
@space_option
@pass_ctx
def remove(ctx: Context, sources: tuple[str, ...], everything: bool) -> None:
    """Supprime des documents partout (Chroma et index dérivés).

    SOURCES : le chemin d'un fichier ou d'un dossier indexé (tel que donné à `mairie ingest`, absolu ou relatif
    au dossier courant), ou le nom affiché par `mairie documents`. Une suppression qui viderait toute la base
    (par ex. `mairie remove /`) est refusée sans --all.
    """
    if not everything:
        indexed = run_or_fail(ctx.kb.documents)
        for source in sources:
            found = run_or_fail(ctx.kb.find_documents, source)
            if len(indexed) > 1 and len(found) >= len(indexed):
                raise click.ClickException(
                    f"« {terminal_safe(source)} » désigne tous les documents indexés ({len(indexed)}) : rien n'est "
                    "supprimé. Pour vider la base, relancez avec --all ; sinon, nommez le fichier ou le dossier à "
                    "retirer (voir `mairie documents`)."
                )
    missing = False
    for source in sources:
        reports = run_or_fail(ctx.kb.remove, source, who=os.environ.get("USER", "cli"))
        if not reports:
            echo(f"Aucun document indexé ne correspond à « {source} » (voir `mairie documents`).", err=True)
            missing = True
        for report in reports:
            echo(f"Supprimé : {report.source} ({report.chunks} passage(s)).")
    if missing:
        sys.exit(1)


@main.command()
@click.option("--purge", is_flag=True, help="Efface d'abord pour de bon ce qui reste des documents supprimés.")
@space_option
@pass_ctx
def verify(ctx: Context, purge: bool) -> None:
    """Vérifie le magasin : base intacte, index dérivés identiques à Chroma, aucun texte de document
    supprimé dans les fichiers (magasin et cache)."""
    if purge:
        from rag.store import WriteLock

        def run_purge() -> None:
            with WriteLock(ctx.settings):
                ctx.kb.purge([])

        run_or_fail(run_purge)
    problems = run_or_fail(ctx.kb.verify, check_removed=False)
    looked_for, left = run_or_fail(ctx.kb.removal_proof)
    problems += left
    if problems:
        for problem in problems:
            click.echo(f"! {problem}")
        hint = " Relancez `mairie verify --purge`." if left else ""
        raise click.ClickException(f"{len(problems)} incohérence(s) trouvée(s).{hint}")
    docs = ctx.kb.documents()
    click.echo(
        f"Magasin cohérent : {len(docs)} document(s), {sum(d.chunks for d in docs)} passage(s), "
        "index lexical identique à Chroma."
    )
    if looked_for:
        click.echo(
            f"Documents supprimés : aucun de leurs {looked_for} extraits ne reste dans les fichiers du magasin "
            "ni dans le cache."
        )


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
    from ui.cli_pack import ensure_pack, pack_available

    legal = [DATA_DIR / "cgct", DATA_DIR / "legal"]  # the demo's extract of the law, when no pack is installed
    if pack_available():  # the whole law, loaded with no embedding
        ensure_pack(ctx)
        legal = []
    click.echo(f"Indexation du corpus de démonstration ({DATA_DIR}) dans {ctx.settings.store} ...", err=True)
    # The bundled corpus is ours: a moved checkout re-indexes it from its new place instead of refusing.
    summary = _ingest(ctx, [*legal, DATA_DIR / "deliberations"], replace=True)
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
    from ui.cli_pack import is_new_store, pack_available

    if pack_available() and is_new_store(ctx.settings):
        click.echo("Magasin neuf : `mairie pack load` y charge le CGCT et le CRPA livrés, sans calcul.", err=True)
    _start_ui(ctx, host=host, port=port)


def _start_ui(ctx: Context, *, host: str, port: int) -> None:
    from ui.serve import ensure_port_free, run_child, streamlit_command

    ensure_port_free(host, port)
    cmd, env = streamlit_command(ctx.settings, host=host, port=port)
    click.echo(f"Interface sur http://{host}:{port} (Ctrl+C pour arrêter)", err=True)
    sys.exit(run_child(cmd, env))


def _register_commands() -> None:
    from ui.cli_admin import bench, eval_cmd, users
    from ui.cli_legal import article
    from ui.cli_pack import pack
    from ui.cli_records import deliberations, export_scdl
    from ui.cli_serve import serve, tokens
    from ui.cli_spaces import spaces
    from ui.cli_store import backup, restore

    for command in (
        users,
        eval_cmd,
        bench,
        article,
        deliberations,
        export_scdl,
        backup,
        restore,
        spaces,
        pack,
        serve,
        tokens,
    ):
        main.add_command(command)


_register_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
