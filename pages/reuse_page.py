"""Reuse & quotes: shared passages between outlets (with direction), reuse matrix and graph; quotes and speakers."""
import streamlit as st

from core import charts
from core.analysis import quotes_view, reuse_view
from ui import render
from ui.safe import data_block

L, tr, olab, corpus, flt = render.page("nav.reuse")
SHOWN_STATEMENTS = 40  # statements drawn on the page (each is several blocks of text)
CHART_SPEAKERS = 25  # the chart's bars stay readable and its payload bounded; the CSV has every speaker

# Three tabs (shared text; quotes and speakers; the same statement across outlets), only the open one computed
# (render.lazy_tabs): the three together took ~90-150 ms a filter at 100k, CPU-bound on the two
# cores.  Within a tab, the views no widget decides start on the shared pool while this thread computes the
# first, and each is read back where it is shown (from the cache, or waited for).


def reuse_tab():
    matrix_view = lambda: reuse_view.reuse_matrix(corpus, flt)  # noqa: E731
    network_view = lambda: reuse_view.reuse_network(corpus, flt)  # noqa: E731
    render.warm(matrix_view, network_view)
    st.subheader(tr("rq.pairs"))
    pairs = reuse_view.reuse_pairs(corpus, flt)
    if pairs.empty:
        st.caption(tr("empty"))
        return
    view = pairs.assign(outlet_a=pairs["outlet_a"].map(olab), outlet_b=pairs["outlet_b"].map(olab))
    if len(view) > render.TABLE_ROWS:  # the browser gets the first rows; the CSV has every pair
        st.caption(tr("table.first").format(shown=render.TABLE_ROWS, total=len(view)))
    render.table(view.head(render.TABLE_ROWS), key="rq_pairs_table")
    render.download(pairs, "reuse-pairs", flt, key="dl_rq_pairs")

    labels = [f"{r.a_id} ↔ {r.b_id} · {olab(r.outlet_a)} / {olab(r.outlet_b)} · {r.containment:.0%}"
              for r in pairs.head(render.TABLE_ROWS).itertuples()]
    pick = st.selectbox(tr("rq.passages"), range(len(labels)), format_func=lambda i: labels[i], key="rq_pick")
    row = pairs.iloc[pick]
    psg = reuse_view.reuse_passages(corpus, row["a_id"], row["b_id"])
    ca, cb = st.columns(2)
    for col, side in ((ca, "a"), (cb, "b")):
        col.markdown(data_block(olab(row[f"outlet_{side}"]), row[f"date_{side}"] or "—", row[f"{side}_id"], strong=0),
                     unsafe_allow_html=True)
    for p in psg.itertuples():
        with ca:
            render.rtl_text(p.text_a, extra_style="background:#eef7f7;padding:6px;border-radius:4px;margin-bottom:6px")
        with cb:
            render.rtl_text(p.text_b, extra_style="background:#fff4e0;padding:6px;border-radius:4px;margin-bottom:6px")
    render.download(psg, f"reuse-passages-{row['a_id']}-{row['b_id']}", flt, key="dl_rq_psg")

    st.subheader(tr("rq.matrix"))
    mat = matrix_view()
    shown = mat.assign(outlet_a=mat["outlet_a"].map(olab), outlet_b=mat["outlet_b"].map(olab))
    render.plot(charts.heatmap(shown, "outlet_a", "outlet_b", "pairs", title=tr("rq.matrix"), lang=L, raw="containment",
                              value_title=tr("col.articles"), raw_title=tr("col.containment")), key="rq_matrix")
    render.download(mat, "reuse-matrix", flt, key="dl_rq_matrix")

    st.subheader(tr("rq.graph"))
    nodes, edges = network_view()
    if not edges.empty:
        render.plot(charts.network(nodes.assign(outlet=nodes["outlet"].map(olab)),
                                  edges.assign(outlet_a=edges["outlet_a"].map(olab),
                                               outlet_b=edges["outlet_b"].map(olab)),
                                  title=tr("rq.graph"), lang=L, size="articles", source="outlet_a", target="outlet_b",
                                  weight="pairs"), key="rq_graph")


def quotes_tab():
    speakers_view = lambda: quotes_view.quote_speakers(corpus, flt)  # noqa: E731
    top_view = lambda: quotes_view.top_speakers(corpus, flt, CHART_SPEAKERS)  # noqa: E731
    quotes_head = lambda: quotes_view.quotes(corpus, flt, limit=render.TABLE_ROWS)  # noqa: E731
    quote_count = lambda: quotes_view.quote_count(corpus, flt)  # noqa: E731
    render.warm(top_view, quotes_head, quote_count)
    st.subheader(tr("rq.quotes"))
    speakers = speakers_view()
    if speakers.empty:
        st.caption(tr("empty"))
    else:
        top, n_speakers = top_view()
        if n_speakers > CHART_SPEAKERS:
            st.caption(tr("rq.top_speakers").format(shown=CHART_SPEAKERS, total=n_speakers))
        render.plot(charts.hbar(top.assign(outlet=top["outlet"].map(olab)), "speaker", "quotes",
                               color="outlet", title=tr("rq.quotes"), lang=L, value_title=tr("col.count")), key="rq_speakers")
        render.download(speakers, "quote-speakers", flt, key="dl_rq_speakers")
    quotes = quotes_head()
    if not quotes.empty:
        render.long_table(quotes, quote_count(), lambda: quotes_view.quotes(corpus, flt), "quotes", flt,
                         key="rq_quotes_table", dl_key="dl_rq_quotes")


def same_tab():
    statements_shown = lambda: quotes_view.statements_across_outlets(corpus, flt, limit=SHOWN_STATEMENTS)  # noqa: E731
    render.warm(statements_shown)
    st.subheader(tr("rq.same"))
    n_same, rows_same = quotes_view.statement_count(corpus, flt)
    if not n_same:
        st.caption(tr("empty"))
    else:
        # each statement is drawn as blocks of text: the page shows the first ones (27k rows at 100k made a page
        # the browser could not draw; 324k at 1M), and only their texts are read; the CSV holds all of them
        if n_same > SHOWN_STATEMENTS:
            st.caption(tr("rq.same.first").format(shown=SHOWN_STATEMENTS, total=n_same))
        shown_same = statements_shown()
        for sid, grp in shown_same.groupby("statement_id", sort=False):
            st.markdown(data_block(grp["speaker"].iloc[0] or "—", strong=0), unsafe_allow_html=True)
            cols = st.columns(min(len(grp), 3))
            for col, r in zip(cols * 10, grp.itertuples()):
                with col:
                    st.caption(data_block(olab(r.outlet), r.article_id), unsafe_allow_html=True)
                    render.rtl_text(r.text, extra_style="border-inline-start:3px solid #0f6e6e;padding:4px 8px")
        render.download(shown_same if n_same <= SHOWN_STATEMENTS else (lambda: quotes_view.statements_across_outlets(corpus, flt)),
                        "same-statements", flt, key="dl_rq_same", rows=rows_same)


render.lazy_tabs({"reuse": reuse_tab, "quotes": quotes_tab, "same": same_tab}, "rq.tab", "rq_tab")
