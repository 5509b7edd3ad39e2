"""Topics: hits per outlet (raw and per 1,000 words), outlet × topic heatmap, trends, and live lexicon edits."""
import streamlit as st

from core import charts
from core.analysis import topics
from ui import lexicons, render
from ui.safe import md_escape

L, tr, olab, corpus, flt = render.page("nav.topics")
lexicon = lexicons.topics()
name_col = "name_ar" if L == "ar" else "name_en"

scale = st.radio(tr("tp.scale"), ["per_1000", "hits"], horizontal=True, key="tp_scale",
                 format_func=lambda v: tr("tp.scale.norm") if v == "per_1000" else tr("tp.scale.raw"))
by = topics.topic_by_outlet(corpus, flt, lexicon)
shown = by.assign(outlet=by["outlet"].map(olab))
order = by.groupby(name_col)["hits"].sum().sort_values(ascending=False).index
shown = shown.set_index(name_col).loc[order].reset_index()
render.plot(charts.hbar(shown, name_col, scale, color="outlet", title=tr("tp.per_outlet"), lang=L,
                       value_title=tr("col.per_1000") if scale == "per_1000" else tr("col.hits"),
                       hover={"hits": tr("col.hits"), "articles": tr("col.articles")}), key="tp_bars")
render.download(by, "topics-by-outlet", flt, key="dl_tp_by")

render.plot(charts.heatmap(shown, "outlet", name_col, "per_1000", title=tr("tp.heatmap"), lang=L, raw="hits",
                          value_title=tr("col.per_1000"), raw_title=tr("col.hits")), key="tp_heat")

st.subheader(tr("tp.trend"))
freq = st.radio(tr("ov.freq"), ["D", "W", "M"], index=1, horizontal=True, format_func=lambda v: tr(f"ov.freq.{v}"), key="tp_freq")
trend = topics.topic_trend(corpus, flt, lexicon, freq=freq)
if trend.empty:
    st.caption(tr("empty"))
else:
    render.plot(charts.lines(trend, "period", "hits", name_col, title=tr("tp.trend"), lang=L,
                            x_title=tr("col.period"), y_title=tr("col.hits")), key="tp_trend")
    render.download(trend, f"topics-trend-{freq}", flt, key="dl_tp_trend")

st.subheader(tr("tp.keywords"))
st.caption(tr("tp.keywords.note"))
kw_topic = st.selectbox(tr("tp.edit.topic"), [t.id for t in lexicon], key="tp_kw_topic",
                        format_func=lambda i: next((t.name_ar if L == "ar" else t.name_en) for t in lexicon if t.id == i))
kw = topics.keyword_hits(corpus, flt, [t for t in lexicon if t.id == kw_topic])
render.table(kw, key="tp_kw_table")
render.download(kw, f"topic-keywords-{kw_topic}", flt, key="dl_tp_kw")

st.subheader(tr("tp.edit"))
ids = [t.id for t in lexicon]
names = {t.id: (t.name_ar if L == "ar" else t.name_en) for t in lexicon}
tid = st.selectbox(tr("tp.edit.topic"), ids, format_func=lambda i: names[i], key="tp_edit_id")
current = next(t for t in lexicon if t.id == tid)
text = st.text_area(tr("tp.edit.keywords"), "\n".join(current.keywords), height=220, key=f"tp_kw_{tid}")
c1, c2 = st.columns(2)
if c1.button(tr("tp.edit.save"), key="tp_save", type="primary"):
    error = lexicons.save_topic_keywords(tid, [k.strip() for k in text.splitlines() if k.strip()])
    if error:
        st.error(md_escape(error))
    else:
        st.success(tr("tp.edit.saved"))
        st.rerun()
if c2.button(tr("tp.edit.reset"), key="tp_reset"):
    lexicons.reset_topics()
    st.rerun()
matched = topics.topic_term_ids(corpus, [current])
st.caption(f"{tr('tp.matched')}: " + " · ".join(map(md_escape, matched["label"].head(60))) if not matched.empty
           else tr("tp.matched") + ": —")
