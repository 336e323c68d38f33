"""Rechercher: the passages closest to a query (words and meaning), without any generated answer."""

from __future__ import annotations

import streamlit as st

from rag.errors import KbError
from ui.views import common

kb = common.get_kb()
user = common.require_user()
filters = common.filters_sidebar(kb, prefix="search")

st.title("Rechercher")
st.caption(
    "Recherche hybride : mots exacts et sens proche. Les passages sont numérotés du plus au moins "
    "pertinent : [1] est le plus proche de la recherche."
)

with st.form("search"):
    cols = st.columns([5, 1])
    query = cols[0].text_input(
        "Recherche",
        placeholder="ex. tarifs de la cantine, L2121-17, indemnités des adjoints",
        label_visibility="collapsed",
    )
    top_k = cols[1].number_input("Résultats", min_value=1, max_value=50, value=10, label_visibility="collapsed")
    st.form_submit_button("Rechercher")

if query.strip():
    try:
        hits = kb.search(query.strip(), top_k=int(top_k), filters=filters)
    except KbError as e:
        st.error(f"La recherche a échoué : {common.md_escape(str(e))}")
        st.stop()
    if not hits:
        st.info("Aucun résultat. Essayez d'autres mots ou retirez des filtres.")
    else:
        st.write(f"{len(hits)} résultat(s) pour « {common.md_escape(query.strip())} »")
    for rank, hit in enumerate(hits, start=1):
        common.source_card(hit.chunk, key=f"s{rank}-{hit.chunk.id}", n=rank, score=hit.score, full_text=False)
        with st.expander("Texte complet du passage"):
            st.text(hit.chunk.text)
