"""Compare outlets: distinctive vocabulary, outlet × topic/entity heatmaps, similarity, spelling fingerprint."""
import streamlit as st

from core import charts
from core.analysis import distinctive, entities, overview, stories, topics, variants
from ui import lexicons, render

L, tr, olab, corpus, flt = render.page("nav.compare", needs_articles=False)
totals = overview.outlet_totals(corpus, flt)
if totals.empty:
    render.empty_state()
    st.stop()
outlets = [o for o in totals["outlet"] if o != "unknown"] + [o for o in totals["outlet"] if o == "unknown"]

# the sections no widget of this page decides start now, on the shared pool, while this thread picks the
# distinctive terms; each is then read back below (from the cache, or waited for while it is computed)
lex = lexicons.topics()
topic_view = lambda: topics.topic_by_outlet(corpus, flt, lex)  # noqa: E731
entity_view = lambda: entities.entity_by_outlet(corpus, flt, limit=20)  # noqa: E731
similarity_view = lambda: distinctive.similarity(corpus, flt)  # noqa: E731
variant_view = lambda: variants.variant_table(corpus, flt)  # noqa: E731
figures_view = lambda: stories.story_outlet_figures(corpus, flt, overview.outlet_choices(corpus)["outlet"].tolist())  # noqa: E731
render.warm(topic_view, entity_view, similarity_view, variant_view, figures_view)

c1, c2, c3 = st.columns([2, 2, 1])
mode = c1.radio(tr("cmp.mode"), ["rest", "pair", "dates"], horizontal=True, format_func=lambda v: tr(f"cmp.mode.{v}"),
                key="cmp_mode")
n = c2.radio(tr("kw.kind"), [1, 2, 3], horizontal=True, format_func=lambda v: tr(f"kw.kind.{v}"), key="cmp_n")
min_count = c3.number_input(tr("cmp.min_count"), 1, 1000, 5 if totals["articles"].sum() > 50 else 2, key="cmp_min")

a = b = None
if mode in ("rest", "pair"):
    x1, x2 = st.columns(2)
    a = x1.selectbox(tr("cmp.a"), outlets, format_func=olab, key="cmp_a")
    if mode == "pair":
        others = [o for o in outlets if o != a]
        b = x2.selectbox(tr("cmp.b"), others, format_func=olab, key="cmp_b") if others else None
    if mode == "pair" and b is None:
        st.info(tr("empty"))
        st.stop()
    res = distinctive.distinctive_outlets(corpus, flt, a, b, n=n, min_count=int(min_count))
    side_a = olab(a)
    side_b = olab(b) if b else tr("cmp.rest")
    what = f"distinctive-{a}-vs-{b or 'rest'}-n{n}"
else:
    lo, hi = overview.date_bounds(corpus)
    if lo is None:
        st.info(tr("empty"))
        st.stop()
    mid = lo + (hi - lo) / 2
    x1, x2 = st.columns(2)
    ra = x1.date_input(tr("cmp.range_a"), (lo, mid), min_value=lo, max_value=hi, key="cmp_ra")
    rb = x2.date_input(tr("cmp.range_b"), (mid, hi), min_value=lo, max_value=hi, key="cmp_rb")
    if len(ra) != 2 or len(rb) != 2:
        st.stop()
    res = distinctive.distinctive_dates(corpus, flt, tuple(ra), tuple(rb), n=n, min_count=int(min_count))
    side_a, side_b = f"{ra[0]} … {ra[1]}", f"{rb[0]} … {rb[1]}"
    what = f"distinctive-{ra[0]}_{ra[1]}-vs-{rb[0]}_{rb[1]}-n{n}"

st.subheader(tr("cmp.distinctive"))
if res.empty:
    st.caption(tr("empty"))
else:
    shown = res.assign(who=res["side"].map({"A": side_a, "B": side_b}))
    render.plot(charts.diverging(shown, "label", "z", title=(f"{side_a} ⟷ {side_b}" if L == "ar"  # Arabic: A first, on the right
                                       else f"{charts.rtl(side_a)} ⟷ {charts.rtl(side_b)}"), lang=L, value_title=tr("col.z"),
                                hover={"count_a": side_a, "count_b": side_b, "forms": tr("col.forms")},
                                left_name=side_b, right_name=side_a), key="cmp_div")
    render.table(res)
    render.download(res, what, flt, key="dl_cmp_div")

st.subheader(tr("cmp.topic_heat"))
tb = topic_view()
name_col = "name_ar" if L == "ar" else "name_en"
render.plot(charts.heatmap(tb.assign(outlet=tb["outlet"].map(olab)), "outlet", name_col, "per_1000",
                          title=tr("cmp.topic_heat"), lang=L, raw="hits", value_title=tr("col.per_1000"),
                          raw_title=tr("col.hits")), key="cmp_topics")
render.download(tb, "outlet-topic", flt, key="dl_cmp_topics")

st.subheader(tr("cmp.entity_heat"))
eb = entity_view()
if not eb.empty:
    render.plot(charts.heatmap(eb.assign(outlet=eb["outlet"].map(olab)), "outlet", "entity", "per_1000",
                              title=tr("cmp.entity_heat"), lang=L, raw="mentions", value_title=tr("col.per_1000"),
                              raw_title=tr("col.mentions")), key="cmp_entities")
    render.download(eb, "outlet-entity", flt, key="dl_cmp_entities")

st.subheader(tr("cmp.similarity"))
sim = similarity_view()
if sim.empty or sim["outlet_a"].nunique() < 2:
    st.caption(tr("empty"))
else:
    lab = sim.assign(outlet_a=sim["outlet_a"].map(olab), outlet_b=sim["outlet_b"].map(olab))
    render.plot(charts.heatmap(lab, "outlet_a", "outlet_b", "similarity", title=tr("cmp.similarity"), lang=L,
                              value_title=tr("col.similarity")), key="cmp_sim")
    render.download(sim, "similarity", flt, key="dl_cmp_sim")

st.subheader(tr("cmp.variants"))
vt = variant_view()
if vt.empty:
    st.caption(tr("empty"))
else:
    groups = list(vt.groupby("group")["count"].sum().sort_values(ascending=False).index)
    g = st.selectbox(tr("cmp.variants"), groups, key="cmp_group", label_visibility="collapsed")
    part = vt[vt["group"] == g]
    render.plot(charts.hbar(part.assign(outlet=part["outlet"].map(olab)), "outlet", "share", color="variant",
                           title=g, lang=L, value_title=tr("col.share"), hover={"count": tr("col.count")}), key="cmp_var")
    render.table(vt)
    render.download(vt, "variants", flt, key="dl_cmp_var")

st.subheader(tr("st.compare"))

figs = figures_view()
if figs.empty:
    st.caption(tr("st.none"))
else:
    figs = figs[figs["outlet"].isin(outlets)].reset_index(drop=True)
    render.table(figs.assign(outlet=figs["outlet"].map(olab)), key="cmp_story_figures")
    render.download(figs, "story-outlet-figures", flt, key="dl_cmp_story_figures")
