"""Délibérations: the table of the council's decisions, with filters, charts and an SCDL export."""

from __future__ import annotations

import dataclasses
import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from ingest.scdl import check_siret, records_to_scdl_rows, scdl_csv_text
from rag import schema
from rag.errors import ConfigError
from rag.french import french_date
from rag.records import OUTCOME_LABELS, record_matches, record_meta, vote_label
from rag.schema import Chunk, DeliberationRecord, Filters
from ui.views import catalog, common

kb = common.get_kb()
user = common.require_user()

st.title("Délibérations")
all_records = common.records(kb, common.generation(kb))
if not all_records:
    st.info(
        "Aucune délibération indexée pour l'instant. Un administrateur peut en ajouter depuis la page "
        "Documents (procès-verbaux en PDF ou fichiers SCDL)."
    )
    st.stop()

# --- filters (the store's predicate, rag.store.matches_filters, applied to the records) --------------
sidebar = st.sidebar
sidebar.subheader("Filtres")
communes = sorted({r.commune for r in all_records if r.commune}, key=str.lower)
chosen_communes = sidebar.multiselect("Commune", communes, placeholder="Toutes")
years = sorted({r.year for r in all_records if r.year})
year_range = (years[0], years[-1]) if years else None
if years and years[0] < years[-1]:
    year_range = sidebar.slider("Années", years[0], years[-1], (years[0], years[-1]))
matieres = sorted({r.matiere_code.split(".")[0] for r in all_records if r.matiere_code}, key=int)
chosen_matiere = sidebar.selectbox(
    "Matière (nomenclature ACTES)",
    [None, *matieres],
    format_func=lambda m: "Toutes" if m is None else catalog.matiere_label(m),
)
outcome = sidebar.selectbox(
    "Résultat", [None, *OUTCOME_LABELS], format_func=lambda o: "Tous" if o is None else OUTCOME_LABELS[o]
)
not_unanimous = sidebar.checkbox("Votes non unanimes seulement")
text_filter = sidebar.text_input("Objet contient", placeholder="ex. cantine")

narrowed = bool(years and year_range and year_range != (years[0], years[-1]))
filters = Filters(
    kind=schema.KIND_DELIBERATION,
    since=f"{year_range[0]}-01-01" if narrowed and year_range else None,
    until=f"{year_range[1]}-12-31" if narrowed and year_range else None,
    matiere=chosen_matiere,
    outcome=outcome,
    not_unanimous=not_unanimous,
)
per_commune = [dataclasses.replace(filters, commune=c) for c in chosen_communes] or [filters]


def keep(record: DeliberationRecord) -> bool:
    if not any(record_matches(record, f) for f in per_commune):
        return False
    return not (text_filter and text_filter.lower() not in f"{record.objet or ''} {record.text}".lower())


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


shown = [r for r in all_records if keep(r)]
st.caption(
    f"{len(shown)} délibération(s) sur {len(all_records)} indexée(s). Les valeurs inconnues restent vides : "
    "rien n'est deviné."
)

table = pd.DataFrame(
    [
        {
            "Date": _date(r.date),
            "Commune": r.commune or "",
            "N°": r.delib_id or "",
            "Vote": vote_label(r),
            "Objet": r.objet or "",
            "Matière": catalog.matiere_label(r.matiere_code, r.matiere_nom.split("/")[-1] if r.matiere_nom else None)
            if r.matiere_code
            else "",
            "Pages": (f"{r.page_start}–{r.page_end}" if r.page_end > r.page_start else str(r.page_start or "")),
            "Source": r.source,
        }
        for r in shown
    ]
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "Date": st.column_config.DateColumn("Date", format="DD/MM/YYYY", width="small"),
        "N°": st.column_config.TextColumn("N°", width="small"),
        "Vote": st.column_config.TextColumn(
            "Vote",
            width=260,  # "13 pour, 1 contre, 0 abstention(s)" at 1366 px
            help="Le vote tel que le document l'écrit ; jamais deviné.",
        ),
        "Objet": st.column_config.TextColumn("Objet", width="large"),
    },
)

# --- export ------------------------------------------------------------------------------------------
if shown:
    with st.expander("Exporter au format SCDL (open data)"):
        siret = st.text_input(
            "SIRET de la collectivité (facultatif)",
            max_chars=17,
            help="Colonne COLL_SIRET, obligatoire pour la publication : 14 chiffres. "
            "Il ne s'applique qu'à une commune : filtrez-en une seule.",
        ).strip()
        st.caption(
            "Les valeurs inconnues (SIRET, numéro, matière…) restent vides : complétez-les avant de publier le fichier."
        )
        try:
            if siret:
                check_siret(siret)
            rows = records_to_scdl_rows(shown, coll_siret=siret or None)
        except ConfigError as e:
            several = len({r.commune for r in shown}) > 1
            st.error(
                common.md_escape(str(e))
                + (" Choisissez une seule commune dans le filtre « Commune »." if several else "")
            )
        else:
            st.download_button(
                "Télécharger au format SCDL (CSV)",
                scdl_csv_text(rows).encode("utf-8"),
                file_name="deliberations_scdl.csv",
                mime="text/csv",
                help="Socle commun des données locales, schéma des délibérations.",
            )

# --- charts ------------------------------------------------------------------------------------------
if shown:
    st.subheader("En chiffres")
    frame = pd.DataFrame(
        [
            {
                "Année": str(r.year) if r.year else "?",
                "Matière": catalog.ACTES_L1.get(r.matiere_code.split(".")[0], "Non classée")
                if r.matiere_code
                else "Non classée",
                "Non unanime": r.unanimous is False,
            }
            for r in shown
        ]
    )
    left, right = st.columns(2)
    with left:
        st.markdown("**Délibérations par année et par matière**")
        chart = (
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("Année:N", title="Année"),
                y=alt.Y("count():Q", title="Délibérations"),
                color=alt.Color("Matière:N", title="Matière"),
                tooltip=["Année", "Matière", alt.Tooltip("count():Q", title="Nombre")],
            )
        )
        st.altair_chart(chart, width="stretch")
    with right:
        st.markdown("**Votes non unanimes par année**")
        counts = frame.groupby("Année")["Non unanime"].sum().astype(int).rename("Votes non unanimes")
        st.bar_chart(counts, x_label="Année", y_label="Votes non unanimes")

# --- one record --------------------------------------------------------------------------------------
st.subheader("Lire une délibération")
labels = {
    r.key: " — ".join(p for p in (french_date(r.date), r.commune, r.delib_id, (r.objet or "")[:90]) if p) for r in shown
}
chosen = st.selectbox("Délibération", [None, *labels], format_func=lambda k: "Choisir…" if k is None else labels[k])
if chosen:
    record = next(r for r in shown if r.key == chosen)
    facts = [
        f
        for f in (
            record.commune,
            f"séance du {french_date(record.date)}" if record.date else "",
            f"n° {record.delib_id}" if record.delib_id else "",
            vote_label(record),
            record.source,
        )
        if f
    ]
    st.caption(common.md_escape(" · ".join(facts)))
    common.passage_block(record.text)
    chunk = Chunk(
        id=record.key,
        text=record.text,
        meta={**record_meta(record), schema.PAGE: record.page_start, schema.PAGE_END: record.page_end},
    )
    common.original_buttons(chunk, key=f"d-{record.key}")
