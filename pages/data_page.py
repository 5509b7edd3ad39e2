"""Data: upload article files, read the ingestion report, correct outlets and dates."""
import re

import pandas as pd
import streamlit as st

from core.analysis import overview
from ui import state

L = state.lang()
tr, olab = state.translator(L), state.outlet_labeler(L)
flt = st.session_state["filter"]

st.title(tr("nav.data"))

st.subheader(tr("da.upload"))
files = st.file_uploader(tr("da.upload"), accept_multiple_files=True, help=tr("da.upload.help"),
                         type=["txt", "zip", "csv", "tsv", "jsonl", "json", "gz", "parquet"], key="da_files")
if st.button(tr("da.ingest"), type="primary", disabled=not files, key="da_ingest"):
    state.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    for f in files:
        safe = re.sub(r"[^\w.\-]+", "_", f.name, flags=re.UNICODE).lstrip(".") or "upload"
        (state.UPLOAD_DIR / safe).write_bytes(f.getvalue())
    st.session_state["_pending_corpus"] = "uploads"
    st.session_state["_filter_seeded"] = False
    st.session_state["_after_upload"] = True
    st.rerun()

with st.expander(tr("da.mapping")):
    st.caption(tr("da.mapping.help"))
    current = state.upload_mapping()
    cols = st.columns(len(state.MAPPING_FIELDS))
    wanted = {f: col.text_input(f, current.get(f, ""), key=f"da_map_{f}") for f, col in zip(state.MAPPING_FIELDS, cols)}
    if st.button(tr("da.mapping.save"), key="da_map_save"):
        state.save_upload_mapping(wanted)
        st.session_state["_pending_corpus"] = "uploads"
        st.session_state["_after_upload"] = True
        st.rerun()

corpus = state.get_corpus()
name = state.current_corpus_name()
if st.session_state.pop("_after_upload", False):
    st.success(f"{tr('da.loaded')}: {overview.summary(corpus)['articles']} · {tr('da.report')}: {len(overview.report(corpus))}")

st.subheader(tr("da.report"))
report = overview.report(corpus)
if report.empty:
    st.caption(tr("da.report.none"))
else:
    state.table(report, key="da_report")
state.download(report, f"report-{name}", None, key="dl_report")

st.subheader(tr("da.fix"))
st.caption(tr("da.fix.help"))
arts = overview.articles(corpus, flt, limit=2000)[["id", "outlet", "date", "title", "outlet_source", "date_source"]]
edit = arts.assign(date=pd.to_datetime(arts["date"]).dt.date)
edited = st.data_editor(
    edit, hide_index=True, width="stretch", key="da_editor", disabled=["id", "title", "outlet_source", "date_source"],
    column_config={"date": st.column_config.DateColumn("date", format="YYYY-MM-DD")},
)
if st.button(tr("da.fix.save"), key="da_save"):
    changed = edited[(edited["outlet"].astype(str) != edit["outlet"].astype(str))
                     | (edited["date"].astype(str) != edit["date"].astype(str))]
    if len(changed):
        changes = changed[["id"]].copy()
        orig = edit.set_index("id")
        changes["outlet"] = [o if str(o) != str(orig.loc[i, "outlet"]) else "" for i, o in zip(changed["id"], changed["outlet"])]
        changes["date"] = [str(d) if str(d) != str(orig.loc[i, "date"]) and pd.notna(d) else "" for i, d in zip(changed["id"], changed["date"])]
        corpus.correct(changes, state.corrections_file(name))
        st.cache_data.clear()
    st.success(f"{tr('da.fix.saved')}: {len(changed)}")
    st.rerun()

st.subheader(tr("da.resources"))
from core.resources import DEFAULT_DIR as RESOURCE_DIR  # noqa: E402

st.caption(" · ".join(str(p) for p in sorted(RESOURCE_DIR.glob("*.*"))))
