"""Data: upload files into a named library corpus, read the ingestion report, correct outlets and dates."""
import pandas as pd
import streamlit as st

from core import library
from core.analysis import overview
from ui import state

L = state.lang()
tr, olab = state.translator(L), state.outlet_labeler(L)
flt = st.session_state["filter"]
name = state.current_corpus_name()

st.title(tr("nav.data"))

# -- upload into a named corpus: a new one, or appended to one of the library ------------------------
st.subheader(tr("da.upload"))
lib_names = state.library_names()
for key in ("da_mode", "da_target"):  # set by the previous run (after an upload), before the widgets exist
    if f"_next_{key}" in st.session_state:
        st.session_state[key] = st.session_state.pop(f"_next_{key}")
modes = ["new", "existing"] if lib_names else ["new"]
if st.session_state.get("da_mode") not in modes:
    st.session_state["da_mode"] = "existing" if name in lib_names else "new"
mode = st.radio(tr("da.target"), modes, key="da_mode", horizontal=True, format_func=lambda m: tr(f"da.target.{m}"))
problem = None
if mode == "new":
    target = st.text_input(tr("da.newname"), key="da_new_name", help=tr("da.newname.help"), max_chars=library.MAX_NAME)
    if target.strip():
        try:
            target = library.validate_name(target, state.RESERVED)
            if library.exists(state.library_dir(), target):
                problem = "exists"
        except library.BadName as exc:
            problem = exc.code
        if problem:
            st.error(tr(f"lib.name.{problem}"), icon=":material/error:")
    else:
        problem = "empty"
else:
    if st.session_state.get("da_target") not in lib_names:
        st.session_state["da_target"] = name if name in lib_names else lib_names[0]
    avail = state.corpora()
    target = st.selectbox(tr("da.existing"), lib_names, key="da_target",
                          format_func=lambda n: state.corpus_label(n, avail[n], L) if n in avail else n)

uploads = st.session_state.setdefault("_da_uploads", 0)  # a new key empties the uploader after an upload
files = st.file_uploader(tr("da.upload"), accept_multiple_files=True, help=tr("da.upload.help"),
                         type=["txt", "zip", "csv", "tsv", "jsonl", "json", "gz", "parquet"], key=f"da_files_{uploads}")
if st.button(tr("da.ingest"), type="primary", disabled=not files or problem is not None, key="da_ingest"):
    try:
        res = state.library_upload(target, [(f.name, f.getvalue()) for f in files], new=(mode == "new"))
    except library.BadName as exc:
        st.error(tr(f"lib.name.{exc.code}"), icon=":material/error:")
    except ImportError:
        st.error(tr("lib.append.missing"), icon=":material/error:")
    except Exception as exc:  # the files were removed again; say what went wrong
        st.error(f"{tr('da.failed')}: {state.md_escape(str(exc))}", icon=":material/error:")
    else:
        st.session_state["_pending_corpus"] = res["name"]
        st.session_state["_filter_seeded"] = False
        st.session_state["_after_upload"] = res
        st.session_state["_da_uploads"] = uploads + 1
        st.session_state["_next_da_mode"] = "existing"
        st.session_state["_next_da_target"] = res["name"]
        st.rerun()

corpus = state.get_corpus()
after = st.session_state.pop("_after_upload", None)
if after:
    if isinstance(after, dict) and after.get("name"):
        what = tr("da.created") if after.get("created") else tr("da.appended")
        st.success(f"{what} «{state.md_escape(after['name'])}»: {tr('da.added').format(n=after['added'])} · "
                   f"{tr('da.problems').format(n=after['problems'])}", icon=":material/check_circle:")
    else:
        st.success(f"{tr('da.loaded')}: {overview.summary(corpus)['articles']} · {tr('da.report')}: "
                   f"{len(overview.report(corpus))}", icon=":material/check_circle:")

# -- the current corpus: its column mapping, and a rebuild for a stale library index ---------------
st.subheader(tr("da.corpus"))
st.text(state.corpora()[name]["ar" if L == "ar" else "en"])
with st.expander(tr("da.mapping")):
    if state.mapping_editable(name):
        st.caption(tr("da.mapping.help"))
        if st.session_state.get("_da_map_for") != name:  # another corpus: show its mapping, not the last one's
            for f in state.MAPPING_FIELDS:
                st.session_state.pop(f"da_map_{f}", None)
            st.session_state["_da_map_for"] = name
        current = state.corpus_mapping(name)
        cols = st.columns(len(state.MAPPING_FIELDS))
        wanted = {f: col.text_input(f, current.get(f, ""), key=f"da_map_{f}")
                  for f, col in zip(state.MAPPING_FIELDS, cols)}
        if st.button(tr("da.mapping.save"), key="da_map_save"):
            try:
                state.save_corpus_mapping(name, wanted)
            except Exception as exc:
                st.error(f"{tr('da.failed')}: {state.md_escape(str(exc))}", icon=":material/error:")
            else:
                st.session_state["_filter_seeded"] = False
                st.session_state["_after_upload"] = True
                st.rerun()
    else:
        st.caption(tr("da.mapping.readonly"))
if state.is_library(name):
    if st.button(tr("da.rebuild"), key="da_rebuild", type="primary" if state.corpus_status(name).get("stale") else "secondary"):
        try:
            state.rebuild_library_corpus(name)
        except Exception as exc:
            st.error(f"{tr('da.failed')}: {state.md_escape(str(exc))}", icon=":material/error:")
        else:
            st.session_state["_filter_seeded"] = False
            st.session_state["_after_upload"] = True
            st.rerun()

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

st.subheader(tr("lib.table"))
st.caption(tr("lib.help"))
library_df = state.library_table(L)
state.table(library_df, key="da_library")
state.download(library_df, "library", None, key="dl_library")

st.subheader(tr("da.resources"))
from core.resources import DEFAULT_DIR as RESOURCE_DIR  # noqa: E402

st.caption(" · ".join(str(p) for p in sorted(RESOURCE_DIR.glob("*.*"))))
