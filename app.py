"""Marsad (مرصد): the frame and router. Page config, RTL CSS, the shared sidebar, st.navigation.

An exception in the frame or in a page is logged with its traceback (``logging``, the server's
log) and the user sees one translated sentence instead (``client.showErrorDetails = "none"`` in
``.streamlit/config.toml`` covers whatever escapes this).
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager

import streamlit as st

from ui import corpora, lang, render, sidebar
from ui.downloads import keep_deferred_downloads

keep_deferred_downloads()   # once per process; also under `streamlit run app.py` (ui/downloads.py)

st.set_page_config(page_title="Marsad · مرصد", page_icon=":material/newspaper:", layout="wide")

# Language and corpus come first: every other widget is labelled in the interface language.
if "lang" not in st.session_state:
    st.session_state["lang"] = lang.lang()
if "corpus" not in st.session_state:
    st.session_state["corpus"] = corpora.current_corpus_name()
if "_pending_corpus" in st.session_state:  # a page asked to switch corpus (e.g. after an upload)
    st.session_state["corpus"] = st.session_state.pop("_pending_corpus")
avail = corpora.corpora()  # built-in corpora, the library folder's, and MARSAD_CORPUS's
if st.session_state["corpus"] not in avail:  # e.g. a library corpus removed meanwhile
    st.session_state["corpus"] = corpora.start_corpus_name(avail)
    sidebar.reseed()

L = lang.lang()
tr = lang.translator(L)
log = logging.getLogger("marsad")
if not log.handlers:  # the server's log (stderr), beside Streamlit's own lines
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)


@contextmanager
def friendly_errors(where: str):
    """Log an exception with its traceback and show a translated message instead. Streamlit's own
    control flow (st.rerun, st.stop, st.switch_page) raises BaseException and passes through."""
    try:
        yield
    except Exception:
        log.exception("marsad: %s failed (corpus %r)", where, st.session_state.get("corpus"))
        st.error(tr("app.error"), icon=":material/error:")
        st.stop()


corpora.touch_private()  # this session's private area (if it has one) is in use
st.markdown(render.CSS, unsafe_allow_html=True)  # static CSS, no data inside
if L == "ar":
    st.markdown(render.CSS_AR, unsafe_allow_html=True)

st.sidebar.markdown(f"### {tr('app.title')} · {tr('app.tagline')}")
st.sidebar.radio(tr("side.lang"), ["ar", "en"], key="lang", horizontal=True,
                 format_func=lambda v: "العربية" if v == "ar" else "English")
st.sidebar.selectbox(tr("side.corpus"), list(avail), key="corpus",
                     format_func=lambda n: corpora.corpus_label(n, avail[n], L),
                     on_change=sidebar.reseed)

with friendly_errors("sidebar"):
    corpus = corpora.get_corpus(st.session_state["corpus"])  # built first, so its status below is the new one
    corpora.sidebar_stale_warning(st.session_state["corpus"], L)
    st.session_state["filter"] = sidebar.sidebar_filter(corpus)
    corpora.sidebar_library(st.session_state["corpus"], L)  # every corpus, with its size, date and staleness

# Page files end in "_page" on purpose: Streamlit still wraps an app that has a pages/ folder in
# its old multipage mode for the first run, which would run pages/<url>.py directly (without this
# frame) when a URL path equals a file name. Distinct names keep every run going through here.
PAGES = [
    ("pages/overview_page.py", "nav.overview", ":material/dashboard:", "overview"),
    ("pages/keywords_page.py", "nav.keywords", ":material/key:", "keywords"),
    ("pages/topics_page.py", "nav.topics", ":material/category:", "topics"),
    ("pages/entities_page.py", "nav.entities", ":material/person_search:", "entities"),
    ("pages/compare_page.py", "nav.compare", ":material/compare_arrows:", "compare"),
    ("pages/reuse_page.py", "nav.reuse", ":material/content_copy:", "reuse"),
    ("pages/stories_page.py", "nav.stories", ":material/hub:", "stories"),
    ("pages/articles_page.py", "nav.articles", ":material/article:", "articles"),
    ("pages/data_page.py", "nav.data", ":material/upload_file:", "data"),
]

pages = [st.Page(path, title=tr(title), icon=icon, url_path=slug, default=(slug == "overview"))
         for path, title, icon, slug in PAGES if os.path.exists(path)]
page = st.navigation(pages)
with friendly_errors(f"page {page.url_path or 'overview'}"):
    page.run()
