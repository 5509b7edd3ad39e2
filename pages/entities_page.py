"""Entities: people, places and organisations per outlet (raw and per 1,000 words), and over time."""
import streamlit as st

from core import charts
from core.analysis import entities, overview
from ui import state

L = state.lang()
tr, olab = state.translator(L), state.outlet_labeler(L)
corpus, flt = state.get_corpus(), st.session_state["filter"]

st.title(tr("nav.entities"))
if overview.summary(corpus, flt)["articles"] == 0:
    state.empty_state()
    st.stop()

types = st.multiselect(tr("en.type"), ["person", "place", "organisation"], default=["person", "place", "organisation"],
                       format_func=lambda v: tr(f"en.type.{v}"), key="en_types")
types = types or ["person", "place", "organisation"]
top = entities.entity_totals(corpus, flt, types=types, limit=25)
if top.empty:
    st.caption(tr("empty"))
    st.stop()
top_shown = top.assign(type_label=top["type"].map(lambda v: tr(f"en.type.{v}")))
state.plot(charts.hbar(top_shown, "entity", "mentions", title=tr("en.top"), lang=L, value_title=tr("col.mentions"),
                       hover={"type_label": tr("en.type"), "articles": tr("col.articles")}), key="en_top")
state.download(top, "entities", flt, key="dl_en_top")

st.subheader(tr("en.by_outlet"))
scale = st.radio(tr("tp.scale"), ["per_1000", "mentions"], horizontal=True, key="en_scale",
                 format_func=lambda v: tr("tp.scale.norm") if v == "per_1000" else tr("tp.scale.raw"))
by = entities.entity_by_outlet(corpus, flt, types=types, limit=20)
shown = by.assign(outlet=by["outlet"].map(olab))
state.plot(charts.heatmap(shown, "outlet", "entity", scale, title=tr("en.by_outlet"), lang=L, raw="mentions",
                          value_title=tr("col.per_1000") if scale == "per_1000" else tr("col.mentions"),
                          raw_title=tr("col.mentions")), key="en_heat")
state.download(by, "entities-by-outlet", flt, key="dl_en_by")

st.subheader(tr("en.trend"))
freq = st.radio(tr("ov.freq"), ["D", "W", "M"], index=1, horizontal=True, format_func=lambda v: tr(f"ov.freq.{v}"), key="en_freq")
trend = entities.entity_trend(corpus, flt, freq=freq, limit=8)
if trend.empty:
    st.caption(tr("empty"))
else:
    state.plot(charts.lines(trend, "period", "mentions", "entity", title=tr("en.trend"), lang=L,
                            x_title=tr("col.period"), y_title=tr("col.mentions")), key="en_trend")
    state.download(trend, f"entities-trend-{freq}", flt, key="dl_en_trend")
