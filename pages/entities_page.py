"""Entities: people, places and organisations per outlet (raw and per 1,000 words), and over time."""
import streamlit as st

from core import charts
from core.analysis import entities
from ui import corpora, lexicons, render, safe

L, tr, olab, corpus, flt = render.page("nav.entities")

types = st.multiselect(tr("en.type"), ["person", "place", "organisation"], default=["person", "place", "organisation"],
                       format_func=lambda v: tr(f"en.type.{v}"), key="en_types")
types = types or ["person", "place", "organisation"]
top = entities.entity_totals(corpus, flt, types=types, limit=25)
if render.section(top, "entities", flt, key="en_top", dl_key="dl_en_top", figure=lambda top: charts.hbar(
        top.assign(type_label=top["type"].map(lambda v: tr(f"en.type.{v}"))), "entity", "mentions", title=tr("en.top"),
        lang=L, value_title=tr("col.mentions"), hover={"type_label": tr("en.type"), "articles": tr("col.articles")})):

    st.subheader(tr("en.by_outlet"))
    scale = st.radio(tr("tp.scale"), ["per_1000", "mentions"], horizontal=True, key="en_scale",
                     format_func=lambda v: tr("tp.scale.norm") if v == "per_1000" else tr("tp.scale.raw"))
    by = entities.entity_by_outlet(corpus, flt, types=types, limit=20)
    shown = by.assign(outlet=by["outlet"].map(olab))
    render.plot(charts.heatmap(shown, "outlet", "entity", scale, title=tr("en.by_outlet"), lang=L, raw="mentions",
                              value_title=tr("col.per_1000") if scale == "per_1000" else tr("col.mentions"),
                              raw_title=tr("col.mentions")), key="en_heat")
    render.download(by, "entities-by-outlet", flt, key="dl_en_by")

    st.subheader(tr("en.trend"))
    freq = st.radio(tr("ov.freq"), ["D", "W", "M"], index=1, horizontal=True, format_func=lambda v: tr(f"ov.freq.{v}"), key="en_freq")
    trend = entities.entity_trend(corpus, flt, freq=freq, limit=8)
    render.section(trend, f"entities-trend-{freq}", flt, key="en_trend", dl_key="dl_en_trend",
                   figure=lambda trend: charts.lines(trend, "period", "mentions", "entity", title=tr("en.trend"), lang=L,
                                                     x_title=tr("col.period"), y_title=tr("col.mentions")))

# -- names the gazetteer lacks: candidates found at ingestion, one click adds one ----------------
st.subheader(tr("en.cand"))
st.caption(tr("en.cand.help"))
done = st.session_state.pop("_en_cand_done", None)
if done:
    st.success(done, icon=":material/check_circle:")
cands = entities.candidates(corpus, flt, types=types, limit=200)
if cands.empty:
    st.caption(tr("en.cand.none"))
else:
    shown = cands.drop(columns=["key"]).assign(type=cands["type"].map(lambda v: tr(f"en.type.{v}")))
    render.table(shown, key="en_cand_table")
    render.download(cands.drop(columns=["key"]), "candidates", flt, key="dl_en_cand")
    keys = cands["key"].tolist()
    by_key = {r.key: r for r in cands.itertuples()}
    pick = st.selectbox(tr("en.cand.pick"), keys, key="en_cand_pick",
                        format_func=lambda k: f"{by_key[k].name} · {tr('en.type.' + by_key[k].type)} · {by_key[k].articles}")
    row = by_key[pick]
    c1, c2 = st.columns([2, 1])
    name = c1.text_input(tr("en.cand.name"), row.name, key=f"en_cand_name_{pick}")
    etype = c2.selectbox(tr("en.type"), ["person", "place", "organisation"],
                         index=["person", "place", "organisation"].index(row.type), key=f"en_cand_type_{pick}",
                         format_func=lambda v: tr(f"en.type.{v}"))
    variants = st.text_area(tr("en.cand.variants"), "\n".join(v for v in row.variants.split(" | ") if v),
                            key=f"en_cand_var_{pick}", height=90)
    if st.button(tr("en.cand.add"), key="en_cand_add", type="primary"):
        try:
            how = lexicons.add_entity(name, etype, [v.strip() for v in variants.splitlines() if v.strip()])
        except Exception as exc:
            st.error(safe.md_escape(str(exc)), icon=":material/error:")
        else:
            st.session_state["_en_cand_done"] = (f"{tr('en.cand.added')}: «{safe.md_escape(name)}»" if how == "recounted"
                                                 else tr("en.cand.stale"))
            st.rerun()

mine = lexicons.user_entities()
if mine:
    with st.expander(f"{tr('en.cand.mine')} ({len(mine)})"):
        import pandas as pd

        st.caption(str(corpora.USER_GAZETTEER))
        render.table(pd.DataFrame([{"name": e.name, "type": tr(f"en.type.{e.type}"), "variants": " | ".join(e.variants)}
                                  for e in mine]), key="en_mine_table")
        if st.button(tr("en.cand.reset"), key="en_cand_reset"):
            lexicons.reset_user_entities()
            st.rerun()
