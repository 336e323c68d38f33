"""Délibérations: the table of the council's decisions, with filters, charts and an SCDL export."""

from __future__ import annotations

import logging

import altair as alt
import pandas as pd
import streamlit as st

from rag import schema
from rag.french import french_date
from rag.schema import Chunk
from ui.pages import catalog, common

logger = logging.getLogger(__name__)

kb = common.get_kb()
user = common.require_user()

st.title("Délibérations")
all_records = common.records(kb, common.generation(kb))
if not all_records:
    st.info("Aucune délibération indexée pour l'instant. Un administrateur peut en ajouter depuis la page "
            "Documents (procès-verbaux en PDF ou fichiers SCDL).")
    st.stop()

# --- filters -----------------------------------------------------------------------------------------
sidebar = st.sidebar
sidebar.subheader("Filtres")
communes = sorted({r.commune for r in all_records if r.commune}, key=str.lower)
chosen_communes = sidebar.multiselect("Commune", communes, placeholder="Toutes")
years = sorted({r.year for r in all_records if r.year})
year_range = (years[0], years[-1]) if years else None
if years and years[0] < years[-1]:
    year_range = sidebar.slider("Années", years[0], years[-1], (years[0], years[-1]))
matieres = sorted({r.matiere.split(".")[0] for r in all_records if r.matiere}, key=int)
chosen_matiere = sidebar.selectbox("Matière (nomenclature ACTES)", [None, *matieres],
                                   format_func=lambda m: "Toutes" if m is None else catalog.matiere_label(m))
outcome = sidebar.selectbox("Résultat", [None, "adopted", "rejected"],
                            format_func=lambda o: "Tous" if o is None else catalog.OUTCOME_LABELS[o])
not_unanimous = sidebar.checkbox("Votes non unanimes seulement")
text_filter = sidebar.text_input("Objet contient", placeholder="ex. cantine")


def keep(record: catalog.Record) -> bool:
    if chosen_communes and record.commune not in chosen_communes:
        return False
    if year_range and record.year and not year_range[0] <= record.year <= year_range[1]:
        return False
    if chosen_matiere and record.matiere.split(".")[0] != chosen_matiere:
        return False
    if outcome and record.outcome != outcome:
        return False
    if not_unanimous and record.unanimous is not False:
        return False
    return not (text_filter and text_filter.lower() not in f"{record.objet} {record.text}".lower())


shown = [r for r in all_records if keep(r)]
st.caption(f"{len(shown)} délibération(s) sur {len(all_records)} indexée(s). Les valeurs inconnues restent vides : "
           "rien n'est deviné.")

table = pd.DataFrame([
    {
        "Date": r.date or None,
        "Commune": r.commune,
        "N°": r.delib_id,
        "Objet": r.objet,
        "Matière": catalog.matiere_label(r.matiere, r.matiere_nom.split("/")[-1] if r.matiere_nom else None)
        if r.matiere else "",
        "Vote": r.vote,
        "Résultat": catalog.OUTCOME_LABELS.get(r.outcome, r.outcome),
        "Unanimité": catalog.unanimity_label(r.unanimous),
        "Pages": (f"{r.page_start}–{r.page_end}" if r.page_end > r.page_start else str(r.page_start or "")),
        "Source": r.source,
    }
    for r in shown
])
st.dataframe(table, hide_index=True, width="stretch")

# --- export ------------------------------------------------------------------------------------------
if shown:
    if not catalog.scdl_available():
        st.caption("Export SCDL indisponible dans cette version.")
    else:
        with st.expander("Exporter au format SCDL (open data)"):
            siret = st.text_input("SIRET de la collectivité (facultatif)", max_chars=14,
                                  help="Colonne COLL_SIRET, obligatoire pour la publication.").strip()
            st.caption("Les valeurs inconnues (SIRET, numéro, matière…) restent vides : complétez-les avant de "
                       "publier le fichier.")
            selection = list(shown)

            def export() -> bytes:
                try:
                    return catalog.scdl_csv(selection, siret=siret)
                except Exception as e:  # the exporter is young: a bug there must not break the page
                    logger.warning("SCDL export failed: %s", e)
                    return f"Export SCDL impossible : {e}\n".encode()

            st.download_button("Télécharger au format SCDL (CSV)", export, file_name="deliberations_scdl.csv",
                               mime="text/csv", help="Socle commun des données locales, schéma des délibérations.")

# --- charts ------------------------------------------------------------------------------------------
if shown:
    st.subheader("En chiffres")
    frame = pd.DataFrame([
        {"Année": str(r.year) if r.year else "?",
         "Matière": catalog.ACTES_L1.get(r.matiere.split(".")[0], "Non classée") if r.matiere else "Non classée",
         "Non unanime": r.unanimous is False}
        for r in shown
    ])
    left, right = st.columns(2)
    with left:
        st.markdown("**Délibérations par année et par matière**")
        chart = alt.Chart(frame).mark_bar().encode(
            x=alt.X("Année:N", title="Année"),
            y=alt.Y("count():Q", title="Délibérations"),
            color=alt.Color("Matière:N", title="Matière"),
            tooltip=["Année", "Matière", alt.Tooltip("count():Q", title="Nombre")],
        )
        st.altair_chart(chart, width="stretch")
    with right:
        st.markdown("**Votes non unanimes par année**")
        counts = frame.groupby("Année")["Non unanime"].sum().astype(int).rename("Votes non unanimes")
        st.bar_chart(counts, x_label="Année", y_label="Votes non unanimes")

# --- one record --------------------------------------------------------------------------------------
st.subheader("Lire une délibération")
labels = {r.key: " — ".join(p for p in (french_date(r.date), r.commune, r.delib_id, r.objet[:90]) if p)
          for r in shown}
chosen = st.selectbox("Délibération", [None, *labels], format_func=lambda k: "Choisir…" if k is None else labels[k])
if chosen:
    record = next(r for r in shown if r.key == chosen)
    facts = [f for f in (record.commune, f"séance du {french_date(record.date)}" if record.date else "",
                         f"n° {record.delib_id}" if record.delib_id else "", record.vote,
                         catalog.unanimity_label(record.unanimous), record.source) if f]
    st.caption(common.md_escape(" · ".join(facts)))
    common.passage_block(record.text)
    chunk = Chunk(id=record.key, text=record.text,
                  meta={**record.meta, schema.PAGE: record.page_start, schema.PAGE_END: record.page_end})
    common.original_buttons(chunk, key=f"d-{record.key}")
