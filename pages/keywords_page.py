"""Keywords: top terms and n-grams, by outlet side by side, a word cloud, and the concordance."""
import streamlit as st

from core import charts
from core.analysis import keywords
from core.export import wordcloud_png
from core.markup import kwic_html, word_cloud_html
from ui import render

L, tr, olab, corpus, flt = render.page("nav.keywords")

a, b = st.columns(2)
n = a.radio(tr("kw.kind"), [1, 2, 3], horizontal=True, format_func=lambda v: tr(f"kw.kind.{v}"), key="kw_n")
limit = b.slider(tr("kw.top"), 10, 100, 25, step=5, key="kw_limit")

# each outlet's top terms first: under a date range or a text query they sum the filter's outlet x term counts,
# which the overall top terms then read back instead of summing the terms again (100k, a word query: 48 ms saved)
# (with a filter of outlets only, the two are separate queries on the rollups: the overall ones run beside on the
# shared pool)
# The concordance of the term already picked (a rerun after a filter change) starts first, on the pool, beside
# the counts (DuckDB, without the GIL); on a first visit, its term is the top term, once known.
kw_sort = st.session_state.get("kw_sort", "right")
kw_term = st.session_state.get("kw_term")
if kw_term:
    render.warm(lambda: keywords.concordance(corpus, kw_term, flt, sort=kw_sort))
top_view = lambda: keywords.top_terms(corpus, flt, n=n, limit=limit)  # noqa: E731
if corpus.outlet_scope(flt) is not None:
    render.warm(top_view)
by = keywords.top_terms_by_outlet(corpus, flt, n=n, limit=10)
top = top_view()
if not kw_term and not top.empty:
    first_term = top["label"].iloc[0]
    render.warm(lambda: keywords.concordance(corpus, first_term, flt, sort=kw_sort))
if top.empty:
    st.caption(tr("empty"))
else:
    event = render.plot(charts.hbar(top, "label", "count", title=tr("kw.top_title"), lang=L, value_title=tr("col.count"),
                                   hover={"articles": tr("col.articles"), "forms": tr("col.forms")}, limit_chars=1000),
                       key="kw_top", select=True)
    clicked = render.clicked_label(event)
    if clicked and clicked != st.session_state.get("_kw_clicked"):
        st.session_state["_kw_clicked"] = clicked   # a click on a bar opens that term's concordance below
        st.session_state["kw_term"] = clicked
    render.download(top, f"keywords-n{n}", flt, key="dl_kw_top")

st.subheader(tr("kw.by_outlet"))
outlets = list(dict.fromkeys(by["outlet"]))
for row_start in range(0, len(outlets), 3):
    cols = st.columns(3)
    for col, outlet in zip(cols, outlets[row_start:row_start + 3]):
        part = by[by["outlet"] == outlet]
        with col:
            render.plot(charts.hbar(part, "label", "count", title=olab(outlet), lang=L,
                                   value_title=tr("col.count"), hover={"per_1000": tr("col.per_1000"), "forms": tr("col.forms")},
                                   limit_chars=24, height=380), key=f"kw_by_{row_start}_{outlet}")
if not by.empty:
    render.download(by, f"keywords-by-outlet-n{n}", flt, key="dl_kw_by")

st.subheader(tr("kw.cloud"))
if not top.empty:
    freqs = dict(zip(top["label"], top["count"]))
    # drawn by the browser (it shapes the Arabic); the raster image is laid out only when it is downloaded
    st.markdown(word_cloud_html(freqs, lang=L, hover=tr("col.count")), unsafe_allow_html=True)
    st.download_button(tr("kw.download_png"), lambda: wordcloud_png(freqs), file_name=f"marsad_wordcloud_{flt.slug()}.png",
                       mime="image/png", key="dl_cloud", on_click="ignore")

st.subheader(tr("kw.kwic"))
c1, c2 = st.columns([2, 1])
options = list(top["label"]) if not top.empty else []
if options and st.session_state.get("kw_term") is None:
    st.session_state["kw_term"] = options[0]
term = (c1.selectbox(tr("kw.kwic.term"), options, accept_new_options=True, key="kw_term") if options
        else c1.text_input(tr("kw.kwic.term"), key="kw_term_t"))
sort = c2.radio(tr("kw.kwic.sort"), ["right", "left"], horizontal=True, format_func=lambda v: tr(f"kw.kwic.sort.{v}"),
                key="kw_sort")
if term:
    kwic = keywords.concordance(corpus, term, flt, sort=sort)
    if kwic.empty:
        st.caption(tr("kw.kwic.none"))
    else:
        st.markdown(kwic_html(kwic, olab), unsafe_allow_html=True)  # every field escaped (core.markup)
        render.download(kwic, f"concordance-{term}", flt, key="dl_kwic")
