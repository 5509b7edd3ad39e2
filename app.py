"""Marsad (مرصد): the frame and router. Page config, RTL CSS, the shared sidebar, st.navigation."""
from __future__ import annotations

import streamlit as st

from ui import state

st.set_page_config(page_title="Marsad · مرصد", page_icon="📰", layout="wide")

# Language and corpus come first: every other widget is labelled in the interface language.
if "lang" not in st.session_state:
    st.session_state["lang"] = state.lang()
if "corpus" not in st.session_state:
    st.session_state["corpus"] = state.current_corpus_name()

L = state.lang()
st.markdown(state.CSS, unsafe_allow_html=True)  # static CSS, no data inside
if L == "ar":
    st.markdown(state.CSS_AR, unsafe_allow_html=True)

st.sidebar.markdown(f"### {state.tr('app.title')} · {state.tr('app.tagline')}")
st.sidebar.radio(state.tr("side.lang"), ["ar", "en"], key="lang", horizontal=True,
                 format_func=lambda v: "العربية" if v == "ar" else "English")
avail = state.corpora()
st.sidebar.selectbox(state.tr("side.corpus"), list(avail), key="corpus",
                     format_func=lambda n: avail[n]["ar" if state.lang() == "ar" else "en"],
                     on_change=lambda: st.session_state.update(_filter_seeded=False))

corpus = state.get_corpus(st.session_state["corpus"])
st.session_state["_corpus_handle"] = corpus
st.session_state["filter"] = state.sidebar_filter(corpus)

PAGES = [
    ("pages/overview.py", "nav.overview", "📊", "overview"),
    ("pages/keywords.py", "nav.keywords", "🔤", "keywords"),
    ("pages/topics.py", "nav.topics", "🗂️", "topics"),
    ("pages/entities.py", "nav.entities", "👤", "entities"),
    ("pages/compare.py", "nav.compare", "⚖️", "compare"),
    ("pages/reuse.py", "nav.reuse", "🔁", "reuse"),
    ("pages/articles.py", "nav.articles", "📄", "articles"),
    ("pages/data.py", "nav.data", "📥", "data"),
]
import os  # noqa: E402

pages = [st.Page(path, title=state.tr(title), icon=icon, url_path=slug, default=(slug == "overview"))
         for path, title, icon, slug in PAGES if os.path.exists(path)]
st.navigation(pages).run()
