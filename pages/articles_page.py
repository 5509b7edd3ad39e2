"""Articles: a reader with metadata and provenance, clean/original text, safe highlighting, own terms."""
import pandas as pd
import streamlit as st

from core.analysis import overview, topics
from core.i18n import column_label
from core.highlight import highlight_html
from ui import lexicons, render

L, tr, olab, corpus, flt = render.page("nav.articles", needs_articles=False)
arts = overview.articles(corpus, flt, limit=5000)
if arts.empty:
    render.empty_state()
    st.stop()

labels = {r.id: f"{r.date or '—'} · {olab(r.outlet)} · {(r.title or r.id)[:90]}" for r in arts.itertuples()}
ids = list(labels)
wanted = st.query_params.get("article")
aid = st.selectbox(tr("ar.pick"), ids, index=ids.index(wanted) if wanted in ids else 0,
                   format_func=lambda i: labels[i], key="ar_pick")
art = overview.article(corpus, aid)

st.subheader(tr("ar.meta"))
meta = [
    ("id", art["id"], ""),
    ("outlet", olab(art["outlet"]) + (f" ({art['outlet_en']})" if art.get("outlet_en") else ""), art["outlet_source"]),
    ("date", str(art["date"]) if art["date"] is not None else tr("unknown"), art["date_source"]),
    ("title", art["title"], ""),
    ("url", art["url"], ""),
    ("file", f"{art['source_file']}" + (f" : {art['source_row']}" if art["source_row"] is not None else ""), ""),
    ("words", str(art["words"]), ""),
]


render.table(pd.DataFrame([(column_label(f, L), v, src) for f, v, src in meta], columns=["field", "value", "source"]))

show_original = st.toggle(tr("ar.original"), key="ar_original")
keys = corpus.query_keys(flt.query) if flt.query else []
text = art["text_original"] if show_original else art["text"]
st.markdown(
    f'<div dir="rtl" class="marsad-rtl" data-testid="marsad-article">{highlight_html(text, keys, corpus.grouper, removed=art["removed"] if show_original else ())}</div>',
    unsafe_allow_html=True,  # highlight_html escapes every character of the article itself
)
if art["removed"]:
    with st.expander(f"{tr('ar.removed')} ({len(art['removed'])})"):
        for line in art["removed"]:
            render.rtl_text(line, extra_style="color:#a33;")

c1, c2, c3 = st.columns(3)
with c1:
    st.markdown(f"**{tr('ar.terms')}**")
    render.table(overview.article_terms(corpus, aid))
with c2:
    st.markdown(f"**{tr('ar.entities')}**")
    render.table(overview.entities_of_article(corpus, aid))
with c3:
    st.markdown(f"**{tr('ar.topics')}**")
    lexicon = lexicons.topics()
    names = {t.id: (t.name_ar if L == "ar" else t.name_en) for t in lexicon}
    mine = topics.article_topics(corpus, None, lexicon, article_id=aid)[["topic", "hits"]]
    render.table(mine.assign(topic=mine["topic"].map(lambda i: names.get(i, i))))
