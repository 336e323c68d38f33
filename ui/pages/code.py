"""Code (CGCT): browse the indexed articles by chapter and section, read one, follow its references."""

from __future__ import annotations

import streamlit as st

from rag.articles import normalize_article
from ui.pages import catalog, common

kb = common.get_kb()
user = common.require_user()

st.title("Code général des collectivités territoriales")
all_articles = common.articles(kb, common.generation(kb))
if not all_articles:
    st.info("Aucun article de code indexé. Un administrateur peut indexer l'arborescence Markdown du CGCT "
            "(`mairie ingest data/cgct`).")
    st.stop()

wanted = st.query_params.get("article")
if wanted and st.session_state.get(common.CODE_ARTICLE_KEY) is None:
    st.session_state[common.CODE_ARTICLE_KEY] = normalize_article(wanted)


def open_article(number: str) -> None:
    st.session_state[common.CODE_ARTICLE_KEY] = number


def go_to() -> None:
    typed = st.session_state.get("code-goto", "")
    number = normalize_article(typed) if typed else None
    if number in all_articles:
        open_article(number)
        st.session_state["code-goto-error"] = ""
    else:
        st.session_state["code-goto-error"] = f"Article introuvable parmi les articles indexés : {typed}"


nav, view = st.columns([2, 3], gap="large")
with nav:
    st.text_input("Aller à l'article", placeholder="ex. L2121-17", key="code-goto", on_change=go_to)
    if st.session_state.get("code-goto-error"):
        st.warning(st.session_state["code-goto-error"])
    chapters = catalog.tree(all_articles)
    current = st.session_state.get(common.CODE_ARTICLE_KEY)
    default_chapter = 0
    if current in all_articles:
        current_chapter = catalog.chapter_of(all_articles[current].heading)[0]
        default_chapter = list(chapters).index(current_chapter)
    chapter = st.selectbox("Chapitre", list(chapters), index=default_chapter,
                           format_func=lambda c: " > ".join(c.split(" > ")[-2:]))
    for section, numbers in chapters[chapter].items():
        expanded = current in numbers or len(chapters[chapter]) == 1
        with st.expander(section or "Dispositions du chapitre", expanded=expanded):
            for number in numbers:
                article = all_articles[number]
                st.button(f"{number} — {article.first_words(60)}", key=f"art-{number}", on_click=open_article,
                          args=(number,), type="primary" if number == current else "secondary", width="stretch")

with view:
    if current not in all_articles:
        st.info("Choisissez un article à gauche, ou tapez son numéro (ex. L2121-17).")
        st.stop()
    article = all_articles[current]
    st.header(article.label)
    st.caption(common.md_escape(" > ".join(article.heading)))
    if article.regime and article.regime != "general":
        st.warning("Article d'un régime particulier (Paris, Lyon, Marseille, outre-mer…) : vérifiez qu'il "
                   "s'applique à votre commune.")
    for paragraph in article.text.split("\n"):
        if paragraph.strip():
            st.markdown(common.md_escape(paragraph.strip()))
    if article.url:
        st.link_button("Voir sur Légifrance", article.url)
    st.caption(f"Source indexée : {article.source}")

    st.subheader("Articles cités")
    if not article.cites:
        st.caption("Cet article ne renvoie à aucun autre article.")
    for number in article.cites:
        if number in all_articles:
            st.button(f"Ouvrir l'article {number}", key=f"cite-{number}", on_click=open_article, args=(number,))
        else:
            st.markdown(f"- {number} (non indexé)")
    citing = catalog.cited_by(all_articles, article.number)
    if citing:
        st.subheader("Cité par")
        for number in citing:
            st.button(f"Ouvrir l'article {number}", key=f"citedby-{number}", on_click=open_article, args=(number,))
