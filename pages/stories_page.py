"""Stories across outlets: the same event in several outlets, who reported it first, who skipped it."""
import streamlit as st

from core.analysis import overview
from core.analysis import stories as S
from core.markup import html_text
from ui import render

L, tr, olab, corpus, flt = render.page("nav.stories")
st.caption(tr("st.method"))

every = overview.outlet_choices(corpus)["outlet"].tolist()
chosen = list(flt.outlets) if flt.outlets else every
arts, per_all, lst = S.story_tables(corpus, flt)                    # stories touching the filter's outlets
arts_all, _per_all, lst_all = S.story_tables(corpus, flt, outlets_aware=False)  # every story of the dates and query
if arts_all.empty:
    st.info(tr("st.none"), icon=":material/hub:")
    st.stop()


def labelled(df, cols=("outlet",)):
    return df.assign(**{c: df[c].map(olab) for c in cols if c in df})


st.subheader(tr("st.largest"))
if lst.empty:
    st.caption(tr("st.none"))
else:
    shown = lst.head(200)
    render.table(shown.assign(first_outlets=shown["first_outlets"].map(
        lambda s: " · ".join(olab(o) for o in s.split(" · ")))), key="st_list")
    render.download(lst, "stories", flt, key="dl_st_list")

    ids = shown["story_id"].tolist()
    names = dict(zip(shown["story_id"], shown["title"].fillna("").str.slice(0, 90)))
    sizes = dict(zip(shown["story_id"], shown["outlets"]))
    pick = st.selectbox(tr("st.pick"), ids, key="st_pick",
                        format_func=lambda i: f"{names[i]} · {sizes[i]} {tr('st.outlets')}")
    st.subheader(tr("st.per_outlet"))
    per = per_all[per_all["story_id"] == pick].reset_index(drop=True)   # its rows of the outlets table
    render.table(labelled(per), key="st_per_outlet")
    render.download(per, f"story-{pick}-outlets", flt, key="dl_st_per")
    one = arts[arts["story_id"] == pick]
    render.table(labelled(one), key="st_story_articles")
    render.download(one, f"story-{pick}-articles", flt, key="dl_st_one")

    st.subheader(tr("st.terms"))
    terms = S.story_terms(corpus, pick)
    render.table(labelled(terms), key="st_terms")
    render.download(terms, f"story-{pick}-terms", flt, key="dl_st_terms")

    st.subheader(tr("st.quotes"))
    said = S.story_quotes(corpus, pick)
    render.table(labelled(said), key="st_quotes")
    render.download(said, f"story-{pick}-quotes", flt, key="dl_st_quotes")

    st.subheader(tr("st.side"))
    texts = S.story_texts(corpus, pick)
    if len(texts) >= 2:
        versions = texts["article_id"].tolist()
        vlabel = dict(zip(texts["article_id"], [f"{olab(o)} · {d or '—'} · {str(t)[:60]}" for o, d, t in
                                                 zip(texts["outlet"], texts["date"], texts["title"].fillna(""))]))
        cols = st.columns(2)
        for col, label, default, key in ((cols[0], "st.side.a", 0, "st_side_a"), (cols[1], "st.side.b", 1, "st_side_b")):
            with col:
                chosen_id = st.selectbox(tr(label), versions, index=default, format_func=vlabel.get, key=f"{key}_{pick}")
                row = texts[texts["article_id"] == chosen_id].iloc[0]
                st.markdown(  # the article is data: html_text escapes every character of it
                    f'<div dir="rtl" class="marsad-rtl" data-testid="marsad-story-version">'
                    f'<b>{html_text(row["title"] or "")}</b><br>{html_text(row["text"] or "", breaks=True)}</div>',
                    unsafe_allow_html=True)

st.subheader(tr("st.blind"))
target = st.selectbox(tr("st.blind.outlet"), chosen, format_func=olab, key="st_blind_outlet")
blind = S.story_blind_spots(corpus, flt, target, every)
if blind.empty:
    st.caption(tr("st.blind.none"))
else:
    render.table(blind.assign(first_outlets=blind["first_outlets"].map(
        lambda s: " · ".join(olab(o) for o in s.split(" · ")))), key="st_blind")
render.download(blind, f"blind-spots-{target}", flt, key="dl_st_blind")

st.subheader(tr("st.timeline"))
drawn = lst_all.head(S.TIMELINE_STORIES)   # largest first: a bounded chart payload (≈40k stories at 1M)
if len(lst_all) > len(drawn):
    st.caption(tr("st.timeline.first").format(shown=len(drawn), total=len(lst_all)))
render.plot(S.timeline_figure(drawn, title=tr("st.timeline"), lang=L, x_title=tr("col.date"),
                             y_title=tr("st.outlets")), key="st_timeline")

st.subheader(tr("st.figures"))
figs = S.story_outlet_figures(corpus, flt, every)
figs = figs[figs["outlet"].isin(chosen)].reset_index(drop=True)
render.table(labelled(figs), key="st_figures")
render.download(figs, "story-outlet-figures", flt, key="dl_st_figures")
