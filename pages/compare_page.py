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

# Six sections, one tab each; only the open tab is computed (render.lazy_tabs), so a filter change
# costs the open tab's views, not all six: under a word query at 100k the six took ~150-220 ms together, the
# distinctive words alone ~70 ms.  The open tab is kept across reruns and a change of language.
lex = lexicons.topics()


def distinctive_tab():
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
            return
        res = distinctive.distinctive_outlets(corpus, flt, a, b, n=n, min_count=int(min_count))
        side_a = olab(a)
        side_b = olab(b) if b else tr("cmp.rest")
        what = f"distinctive-{a}-vs-{b or 'rest'}-n{n}"
    else:
        lo, hi = overview.date_bounds(corpus)
        if lo is None:
            st.info(tr("empty"))
            return
        mid = lo + (hi - lo) / 2
        x1, x2 = st.columns(2)
        ra = x1.date_input(tr("cmp.range_a"), (lo, mid), min_value=lo, max_value=hi, key="cmp_ra")
        rb = x2.date_input(tr("cmp.range_b"), (mid, hi), min_value=lo, max_value=hi, key="cmp_rb")
        if len(ra) != 2 or len(rb) != 2:
            return
        res = distinctive.distinctive_dates(corpus, flt, tuple(ra), tuple(rb), n=n, min_count=int(min_count))
        side_a, side_b = f"{ra[0]} … {ra[1]}", f"{rb[0]} … {rb[1]}"
        what = f"distinctive-{ra[0]}_{ra[1]}-vs-{rb[0]}_{rb[1]}-n{n}"

    st.subheader(tr("cmp.distinctive"))
    if res.empty:
        st.caption(tr("empty"))
        return
    shown = res.assign(who=res["side"].map({"A": side_a, "B": side_b}))
    render.plot(charts.diverging(shown, "label", "z", title=(f"{side_a} ⟷ {side_b}" if L == "ar"  # Arabic: A first, on the right
                                       else f"{charts.rtl(side_a)} ⟷ {charts.rtl(side_b)}"), lang=L, value_title=tr("col.z"),
                                hover={"count_a": side_a, "count_b": side_b, "forms": tr("col.forms")},
                                left_name=side_b, right_name=side_a), key="cmp_div")
    render.table(res)
    render.download(res, what, flt, key="dl_cmp_div")


def topics_tab():
    st.subheader(tr("cmp.topic_heat"))
    tb = topics.topic_by_outlet(corpus, flt, lex)
    name_col = "name_ar" if L == "ar" else "name_en"
    render.plot(charts.heatmap(tb.assign(outlet=tb["outlet"].map(olab)), "outlet", name_col, "per_1000",
                              title=tr("cmp.topic_heat"), lang=L, raw="hits", value_title=tr("col.per_1000"),
                              raw_title=tr("col.hits")), key="cmp_topics")
    render.download(tb, "outlet-topic", flt, key="dl_cmp_topics")


def entities_tab():
    st.subheader(tr("cmp.entity_heat"))
    eb = entities.entity_by_outlet(corpus, flt, limit=20)
    if eb.empty:
        st.caption(tr("empty"))
        return
    render.plot(charts.heatmap(eb.assign(outlet=eb["outlet"].map(olab)), "outlet", "entity", "per_1000",
                              title=tr("cmp.entity_heat"), lang=L, raw="mentions", value_title=tr("col.per_1000"),
                              raw_title=tr("col.mentions")), key="cmp_entities")
    render.download(eb, "outlet-entity", flt, key="dl_cmp_entities")


def similarity_tab():
    st.subheader(tr("cmp.similarity"))
    sim = distinctive.similarity(corpus, flt)
    if sim.empty or sim["outlet_a"].nunique() < 2:
        st.caption(tr("empty"))
        return
    lab = sim.assign(outlet_a=sim["outlet_a"].map(olab), outlet_b=sim["outlet_b"].map(olab))
    render.plot(charts.heatmap(lab, "outlet_a", "outlet_b", "similarity", title=tr("cmp.similarity"), lang=L,
                              value_title=tr("col.similarity")), key="cmp_sim")
    render.download(sim, "similarity", flt, key="dl_cmp_sim")


def variants_tab():
    st.subheader(tr("cmp.variants"))
    vt = variants.variant_table(corpus, flt)
    if vt.empty:
        st.caption(tr("empty"))
        return
    groups = list(vt.groupby("group")["count"].sum().sort_values(ascending=False).index)
    g = st.selectbox(tr("cmp.variants"), groups, key="cmp_group", label_visibility="collapsed")
    part = vt[vt["group"] == g]
    render.plot(charts.hbar(part.assign(outlet=part["outlet"].map(olab)), "outlet", "share", color="variant",
                           title=g, lang=L, value_title=tr("col.share"), hover={"count": tr("col.count")}), key="cmp_var")
    render.table(vt)
    render.download(vt, "variants", flt, key="dl_cmp_var")


def stories_tab():
    st.subheader(tr("st.compare"))
    figs = stories.story_outlet_figures(corpus, flt, overview.outlet_choices(corpus)["outlet"].tolist())
    if figs.empty:
        st.caption(tr("st.none"))
        return
    figs = figs[figs["outlet"].isin(outlets)].reset_index(drop=True)
    render.table(figs.assign(outlet=figs["outlet"].map(olab)), key="cmp_story_figures")
    render.download(figs, "story-outlet-figures", flt, key="dl_cmp_story_figures")


render.lazy_tabs({"distinctive": distinctive_tab, "topics": topics_tab, "entities": entities_tab,
                  "similarity": similarity_tab, "variants": variants_tab, "stories": stories_tab}, "cmp.tab", "cmp_tab")
