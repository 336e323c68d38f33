"""Poser une question: a chat whose answers cite their sources, each shown as a card."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import streamlit as st

from rag.errors import KbError
from rag.schema import Answer
from ui.views import common

HISTORY_KEY = "chat_history"
EXAMPLE_KEY = "ask-example"  # an example question clicked on the home page, asked on this run
EXAMPLES = (
    "Qu'a voté le conseil municipal sur la cantine scolaire ?",
    "Quel est le quorum pour que le conseil municipal délibère valablement ?",
    "Quel est le délai de convocation du conseil municipal ?",
)

kb = common.get_kb()
user = common.require_user()
filters = common.filters_sidebar(kb, prefix="ask")

st.title("Poser une question")
st.caption(
    "Les réponses s'appuient uniquement sur les documents indexés et citent leurs sources [1], [2]… "
    "Vérifiez toujours la source avant d'agir."
)


def _stream(markdown: str) -> Iterator[str]:
    """Word by word, for a progressive display that does not hide the wait for a long answer."""
    for piece in re.findall(r"\S+\s*", markdown):
        yield piece
        time.sleep(0.008)


def show_answer(index: int, answer: Answer, *, stream: bool) -> None:
    markdown = common.answer_markdown(answer.text)
    if not answer.found:
        st.warning(markdown)
    elif stream:
        st.write_stream(_stream(markdown))
    else:
        st.markdown(markdown)
    notes = list(answer.notes)
    if answer.found and answer.mode == "extractive" and not notes:
        notes.append("Réponse extractive : phrases citées telles quelles, sans modèle de langage.")
    for note in notes:
        st.info(common.md_escape(note), icon=":material/info:")
    for sentence in answer.sentences:
        if sentence.status != "ok":
            why = common.STATUS_LABELS.get(sentence.status, sentence.status)
            detail = f" ({sentence.note})" if sentence.note else ""
            st.warning(
                f"Phrase non vérifiée : « {common.md_escape(sentence.text)} » {why}{common.md_escape(detail)}. "
                "Ne la reprenez pas sans contrôler la source.",
                icon=":material/warning:",
            )
    if answer.citations:
        st.markdown("**Sources**")
        for citation in answer.citations:
            common.source_card(
                citation.chunk, key=f"a{index}-{citation.n}", n=citation.n, quote=citation.quote, score=None
            )
    elif answer.closest:
        with st.expander("Passages les plus proches (sans garantie qu'ils répondent)", expanded=True):
            for rank, hit in enumerate(answer.closest, start=1):
                common.source_card(hit.chunk, key=f"a{index}-c{rank}", score=hit.score, full_text=False)


history: list[tuple[str, Answer]] = st.session_state.setdefault(HISTORY_KEY, [])
if not history and EXAMPLE_KEY not in st.session_state:
    st.markdown("Exemples de questions :")
    for i, example in enumerate(EXAMPLES):
        st.button(
            example, key=f"example-{i}", icon=":material/chat:", on_click=common.remember, args=(EXAMPLE_KEY, example)
        )
for index, (asked, answer) in enumerate(history):
    with st.chat_message("user"):
        st.markdown(common.md_escape(asked))
    with st.chat_message("assistant"):
        show_answer(index, answer, stream=False)

question = st.chat_input(
    "Votre question, par ex. : Qu'a voté le conseil municipal sur la cantine scolaire ?", max_chars=1000
) or st.session_state.pop(EXAMPLE_KEY, None)
if question and question.strip():
    with st.chat_message("user"):
        st.markdown(common.md_escape(question))
    with st.chat_message("assistant"):
        result: dict[str, Answer] = {}
        asked_now = question.strip()

        def _tokens() -> Iterator[str]:
            """The draft as it is written (model tokens, or the extractive text word by word)."""
            for event in kb.chain.stream(asked_now, filters=filters):
                if event.kind == "answer" and event.answer is not None:
                    result["answer"] = event.answer
                elif kb.chain.mode == "extractive":
                    yield from _stream(common.answer_markdown(event.text))
                else:  # a model's tokens are untrusted: escaped, so no image or link is ever fetched
                    yield common.md_escape(event.text)

        draft = st.empty()
        try:
            with st.spinner("Recherche dans les documents…"), draft.container():
                st.write_stream(_tokens())
        except KbError as e:
            st.error(f"La question n'a pas pu être traitée : {common.md_escape(str(e))}")
            st.stop()
        draft.empty()  # the verified answer replaces the draft
        answer = result["answer"]
        show_answer(len(history), answer, stream=False)
    history.append((question.strip(), answer))

if history:
    st.button("Effacer la conversation", on_click=lambda: st.session_state.pop(HISTORY_KEY, None))
