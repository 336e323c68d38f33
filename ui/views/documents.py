"""Documents (administrators): add PDFs or SCDL CSVs, index a server folder, list and remove documents."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from rag.errors import KbError, StoreError
from ui.views import common, uploads

PENDING_REMOVAL = "documents_pending_removal"
REPORT_KEY = "documents_last_report"
STATUS_LABELS = {"indexed": "indexé", "unchanged": "inchangé (déjà indexé)", "failed": "échec", "skipped": "ignoré"}


kb = common.get_kb()
user = common.require_user()
if not user.is_admin:
    st.error("Page réservée aux administrateurs : demandez à un administrateur d'ajouter ou de retirer des documents.")
    st.stop()

settings = kb.settings
st.title("Documents")


def ingest(files: list[Any]) -> None:  # SourceFile uploads, or one folder (a Path) to walk
    """Index the files (ingest.service: lock, cleanup, audit), with a progress bar and one report line per file."""
    from ingest.service import ingest_files

    rows: list[dict[str, Any]] = []
    bar = st.progress(0.0, text="Préparation…")
    total = max(1, len(files))

    def on_start(count: int, _cleaned: list[str]) -> None:
        nonlocal total
        total = max(1, count)  # a folder's files and what its walk left out

    def on_event(event: Any) -> None:
        message = event.message or "; ".join(event.warnings)
        rows.append(
            {
                "Fichier": event.source,
                "État": STATUS_LABELS.get(event.status, event.status),
                "Passages": event.chunks,
                "Message": message,
            }
        )
        bar.progress(min(1.0, len(rows) / total), text=f"{len(rows)}/{total} : {event.source}")

    try:
        summary = ingest_files(files, kb=kb, who=user.name, on_start=on_start, on_event=on_event)
    except StoreError as e:
        bar.empty()
        st.error(common.md_escape(str(e)))
        return
    except KbError as e:
        bar.empty()
        st.error(f"Indexation interrompue : {common.md_escape(str(e))}")
        return
    bar.progress(1.0, text="Terminé")
    st.session_state[REPORT_KEY] = {"rows": rows, "summary": summary}


def show_report() -> None:
    for source in st.session_state.pop("documents_not_sent", []):
        st.warning(
            f"« {common.md_escape(source)} » est déjà indexé ou en double dans l'envoi : non remplacé. Cochez « Remplacer "
            "les documents de même nom » pour le remplacer.",
            icon=None,
        )
    report = st.session_state.get(REPORT_KEY)
    if not report:
        return
    summary = report["summary"]
    text = (
        f"{summary.indexed} fichier(s) indexé(s), {summary.unchanged} inchangé(s), {summary.skipped} ignoré(s), "
        f"{summary.failed} en échec ; {summary.chunks} passage(s)."
    )
    if summary.failed:
        show = st.warning if summary.indexed or summary.unchanged else st.error
        show(f"Indexation terminée avec des erreurs : {text}")
        for row in report["rows"]:
            if row["État"] == STATUS_LABELS["failed"]:
                st.error(common.md_escape(f"{row['Fichier']} : {row['Message']}"))
    else:
        st.success(f"Indexation terminée : {text}")
    st.dataframe(pd.DataFrame(report["rows"]), hide_index=True, width="stretch")


show_report()
add_tab, folder_tab, list_tab = st.tabs(["Ajouter des fichiers", "Indexer un dossier du serveur", "Documents indexés"])

with add_tab:
    st.write("Procès-verbaux et délibérations en PDF (avec couche texte), ou fichiers CSV au format SCDL.")
    chosen_files = st.file_uploader(
        "Fichiers à indexer",
        type=["pdf", "csv"],
        accept_multiple_files=True,
        key=f"uploader-{st.session_state.get('uploader_round', 0)}",
    )
    replace = st.checkbox(
        "Remplacer les documents de même nom",
        help="Sans cette case, un fichier dont le nom est déjà indexé n'est pas envoyé.",
    )
    if st.button("Indexer les fichiers", type="primary", disabled=not chosen_files):
        from ingest.pipeline import SourceFile

        files: list[SourceFile] = []
        indexed = {d.source for d in kb.documents()}
        for upload in chosen_files or []:
            source = f"{uploads.UPLOADS}/{uploads.sanitize_filename(upload.name)}"
            if source in {f.source for f in files} or (source in indexed and not replace):
                st.session_state.setdefault("documents_not_sent", []).append(source)
                continue
            target, source = uploads.save_upload(settings.store, upload.name, upload.getvalue())
            files.append(SourceFile(target, source))
        ingest(files)
        st.session_state["uploader_round"] = st.session_state.get("uploader_round", 0) + 1
        st.rerun()

with folder_tab:
    st.write(
        "Un dossier déjà présent sur le serveur (par ex. un partage des archives). Ses sous-dossiers sont "
        "parcourus ; les fichiers déjà indexés et inchangés sont ignorés."
    )
    roots = [r for r in settings.ingest_roots.split(os.pathsep) if r.strip()]
    st.caption(
        "Dossiers autorisés : " + ", ".join(roots)
        if roots
        else "Aucun dossier autorisé : l'administrateur du serveur les définit avec MAIRIE_INGEST_ROOTS."
    )
    folder_text = st.text_input("Chemin du dossier", placeholder="/srv/archives/deliberations")
    if st.button("Indexer le dossier", disabled=not folder_text.strip()):
        from ingest.service import allowed_folder

        try:
            path = allowed_folder(Path(folder_text.strip()), settings.ingest_roots)
        except KbError as e:
            kb.audit("ingest-refused", who=user.name, folder=folder_text.strip())
            st.error(common.md_escape(str(e)))
        else:
            if not path.is_dir():
                st.error(f"Dossier introuvable sur le serveur : {common.md_escape(str(path))}")
            else:
                ingest([path])
                st.rerun()

with list_tab:
    docs = kb.documents()
    if not docs:
        st.info("Aucun document indexé.")
    else:
        st.caption(f"{len(docs)} document(s), {sum(d.chunks for d in docs)} passage(s).")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Source": d.source,
                        "Type": common.KIND_LABELS.get(d.kind, d.kind),
                        "Titre": d.title,
                        "Passages": d.chunks,
                    }
                    for d in docs
                ]
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader("Retirer un document")
        sources = [d.source for d in docs]
        chosen = st.selectbox(
            "Document à retirer", [None, *sources], format_func=lambda s: "Choisir…" if s is None else s
        )
        pending = st.session_state.get(PENDING_REMOVAL)
        if chosen and pending != chosen and st.button("Retirer ce document…"):
            st.session_state[PENDING_REMOVAL] = chosen
            st.rerun()
        if pending and pending in sources:
            st.warning(
                f"Retirer définitivement « {common.md_escape(pending)} » de la base (passages, index et copie téléversée) ? "
                "Cette action est enregistrée dans le journal d'audit."
            )
            confirm, cancel = st.columns(2)
            if confirm.button("Confirmer la suppression", type="primary"):
                try:
                    reports = kb.remove(pending, who=user.name)
                except StoreError as e:
                    st.error(common.md_escape(str(e)))
                    reports = None
                if reports is not None:
                    st.session_state.pop(PENDING_REMOVAL, None)
                    copy = uploads.upload_path(settings.store, pending)
                    if copy is not None:
                        copy.unlink(missing_ok=True)
                    removed = ", ".join(f"{r.source} ({r.chunks} passage(s))" for r in reports) or pending
                    st.session_state["documents_removed"] = f"Document retiré : {removed}."
                    st.rerun()
            if cancel.button("Annuler"):
                st.session_state.pop(PENDING_REMOVAL, None)
                st.rerun()
        if st.session_state.get("documents_removed"):
            st.success(common.md_escape(st.session_state.pop("documents_removed")))
