"""Overview: totals, articles per outlet, attention over time, the article table."""
import streamlit as st

from core import charts
from core.analysis import overview
from ui import render

L, tr, olab, corpus, flt = render.page("nav.overview", needs_articles=False)
s = overview.summary(corpus, flt)
if s["articles"] == 0:
    render.empty_state()
    st.stop()

c1, c2, c3, c4, c5 = st.columns(5)
c1.metric(tr("ov.articles"), f"{s['articles']:,}")
c2.metric(tr("ov.outlets"), f"{s['outlets']:,}")
c3.metric(tr("ov.words"), f"{s['words']:,}")
c4.metric(tr("ov.first"), str(s["date_min"] or "—"))
c5.metric(tr("ov.last"), str(s["date_max"] or "—"))
if s["undated"]:
    st.caption(f"{s['undated']} {tr('ov.undated')}")

totals = overview.outlet_totals(corpus, flt)
shown = totals.assign(outlet=totals["outlet"].map(olab))
render.plot(charts.hbar(shown, "outlet", "articles", title=tr("ov.per_outlet"), lang=L, value_title=tr("col.articles"),
                       hover={"words": tr("ov.words")}), key="ov_outlets")
render.download(totals, "outlets", flt, key="dl_outlets")

st.subheader(tr("ov.attention"))
a, b = st.columns(2)
freq = a.radio(tr("ov.freq"), ["D", "W", "M"], index=1, horizontal=True, format_func=lambda v: tr(f"ov.freq.{v}"), key="ov_freq")
measure = b.radio(tr("ov.measure"), ["articles", "share", "normalised"], horizontal=True,
                  format_func=lambda v: tr(f"ov.measure.{v}"), key="ov_measure")
att = overview.attention(corpus, flt, freq)
render.section(att, f"attention-{freq}", flt, key="ov_attention", dl_key="dl_attention",
               figure=lambda att: charts.lines(att.assign(outlet=att["outlet"].map(olab)), "period", measure, "outlet",
                                               title=tr("ov.attention"), lang=L, x_title=tr("col.period"),
                                               y_title=tr(f"ov.measure.{measure}"), percent=measure != "articles"),
               empty="ov.no_dates" if s["undated"] == s["articles"] else "empty")

st.subheader(tr("ov.table"))
arts = overview.articles(corpus, flt, limit=render.TABLE_ROWS)
render.long_table(arts, s["articles"], lambda: overview.articles(corpus, flt), "articles", flt, dl_key="dl_articles")
