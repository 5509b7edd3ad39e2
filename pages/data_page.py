"""Data: upload files into a private corpus, save it to the library, rename or delete a corpus, read the
ingestion report, correct outlets and dates."""
import pandas as pd
import streamlit as st

from core import library
from core.analysis import furniture as furniture_view
from core.analysis import overview
from core.i18n import column_label
from core.index.corrections import edited_rows
from core.ingest.learned import KINDS, BadDecisions, parse_decisions
from core.resources import DEFAULT_DIR as RESOURCE_DIR
from ui import corpora, render, safe, sidebar

L, tr, olab, _, flt = render.page("nav.data", needs_articles=False, corpus=False)  # the corpus may change below
name = corpora.current_corpus_name()


def _rebuilt(action) -> None:
    """Run a change that rebuilds the corpus; on success seed the filter anew and show the corpus again."""
    try:
        action()
    except Exception as exc:
        st.error(f"{tr('da.failed')}: {safe.md_escape(str(exc))}", icon=":material/error:")
    else:
        sidebar.reseed()
        st.session_state["_after_upload"] = True
        st.rerun()


# -- upload into a private corpus of this session: a new one, or appended to one of its own ------------
st.subheader(tr("da.upload"))
st.caption(tr("da.private"))
lib_names = corpora.private_names()
for key in ("da_mode", "da_target"):  # set by the previous run (after an upload), before the widgets exist
    if f"_next_{key}" in st.session_state:
        st.session_state[key] = st.session_state.pop(f"_next_{key}")
modes = ["new", "existing"] if lib_names else ["new"]
if st.session_state.get("da_mode") not in modes:
    st.session_state["da_mode"] = "existing" if corpora.is_private(name) else "new"
mode = st.radio(tr("da.target"), modes, key="da_mode", horizontal=True, format_func=lambda m: tr(f"da.target.{m}"))
problem = None
if mode == "new":
    target = st.text_input(tr("da.newname"), key="da_new_name", help=tr("da.newname.help"), max_chars=library.MAX_NAME)
    if target.strip():
        try:
            target = library.validate_name(target, corpora.RESERVED)
            if library.exists(corpora.private_lib(), target):
                problem = "exists"
        except library.BadName as exc:
            problem = exc.code
        if problem:
            st.error(tr(f"lib.name.{problem}"), icon=":material/error:")
    else:
        problem = "empty"
else:
    own = corpora.corpus_home(name)[1] if corpora.is_private(name) else None
    if st.session_state.get("da_target") not in lib_names:
        st.session_state["da_target"] = own if own in lib_names else lib_names[0]
    avail = corpora.corpora()
    target = st.selectbox(tr("da.existing"), lib_names, key="da_target",
                          format_func=lambda n: corpora.corpus_label(n, avail[corpora.PRIVATE + n], L)
                          if corpora.PRIVATE + n in avail else n)

uploads = st.session_state.setdefault("_da_uploads", 0)  # a new key empties the uploader after an upload
files = st.file_uploader(tr("da.upload"), accept_multiple_files=True, help=tr("da.upload.help"),
                         type=["txt", "zip", "csv", "tsv", "jsonl", "json", "gz", "parquet"], key=f"da_files_{uploads}")
if st.button(tr("da.ingest"), type="primary", disabled=not files or problem is not None, key="da_ingest"):
    try:
        res = corpora.library_upload(target, [(f.name, f) for f in files], new=(mode == "new"))
    except library.BadName as exc:
        st.error(tr(f"lib.name.{exc.code}"), icon=":material/error:")
    except ImportError:
        st.error(tr("lib.append.missing"), icon=":material/error:")
    except Exception as exc:  # the files were removed again; say what went wrong
        st.error(f"{tr('da.failed')}: {safe.md_escape(str(exc))}", icon=":material/error:")
    else:
        st.session_state["_pending_corpus"] = res["key"]
        sidebar.reseed()
        st.session_state["_after_upload"] = res
        st.session_state["_da_uploads"] = uploads + 1
        st.session_state["_next_da_mode"] = "existing"
        st.session_state["_next_da_target"] = res["name"]
        st.rerun()

corpus = corpora.get_corpus()
after = st.session_state.pop("_after_upload", None)
if after:
    if isinstance(after, dict) and after.get("name"):
        what = tr("da.created") if after.get("created") else tr("da.appended")
        st.success(f"{what} «{safe.md_escape(after['name'])}»: {tr('da.added').format(n=after['added'])} · "
                   f"{tr('da.problems').format(n=after['problems'])}", icon=":material/check_circle:")
    else:
        st.success(f"{tr('da.loaded')}: {overview.summary(corpus)['articles']} · {tr('da.report')}: "
                   f"{len(overview.report(corpus))}", icon=":material/check_circle:")

# -- the current corpus: its column mapping, and a rebuild for a stale library index ---------------
st.subheader(tr("da.corpus"))
st.text(corpora.corpora()[name]["ar" if L == "ar" else "en"])
with st.expander(tr("da.mapping")):
    if corpora.mapping_editable(name):
        st.caption(tr("da.mapping.help"))
        if st.session_state.get("_da_map_for") != name:  # another corpus: show its mapping, not the last one's
            for f in corpora.MAPPING_FIELDS:
                st.session_state.pop(f"da_map_{f}", None)
            st.session_state["_da_map_for"] = name
        current = corpora.corpus_mapping(name)
        cols = st.columns(len(corpora.MAPPING_FIELDS))
        wanted = {f: col.text_input(f, current.get(f, ""), key=f"da_map_{f}")
                  for f, col in zip(corpora.MAPPING_FIELDS, cols)}
        if st.button(tr("da.mapping.save"), key="da_map_save"):
            _rebuilt(lambda: corpora.save_corpus_mapping(name, wanted))
    else:
        st.caption(tr("da.mapping.readonly"))
if corpora.is_library(name):
    if st.button(tr("da.rebuild"), key="da_rebuild", type="primary" if corpora.corpus_status(name).get("stale") else "secondary"):
        _rebuilt(lambda: corpora.rebuild_library_corpus(name))


def _csv_row(values: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


def _switch_to(key: str, message: str) -> None:
    """Select ``key`` on the next run (before the corpus selector exists) and say what was done."""
    st.session_state["_pending_corpus"] = key
    sidebar.reseed()
    st.session_state["_da_done"] = message
    st.session_state.pop("_da_delete_for", None)
    st.rerun()


def _name_error(exc: library.BadName) -> None:
    code = "taken" if exc.code == "exists" else exc.code
    st.error(tr(f"lib.name.{code}"), icon=":material/error:")


done = st.session_state.pop("_da_done", None)
if done:
    st.success(done, icon=":material/check_circle:")
home = corpora.corpus_home(name)
if corpora.is_private(name):  # save the private corpus to the shared library, under a name nobody has
    with st.form("da_save_form", border=False):
        c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
        new_name = c1.text_input(tr("da.save.name"), home[1], key=f"da_save_name_{name}", max_chars=library.MAX_NAME)
        if c2.form_submit_button(tr("da.save"), type="primary", key="da_save_lib"):
            try:
                key = corpora.save_to_library(name, new_name)
            except library.BadName as exc:
                _name_error(exc)
            else:
                _switch_to(key, f"{tr('da.save.done')}: «{safe.md_escape(key)}»")
with st.expander(tr("da.manage")):
    if not corpora.can_manage(name):
        st.caption(tr("da.manage.readonly"))
    else:
        with st.form("da_rename_form", border=False):
            c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
            new_name = c1.text_input(tr("da.rename.name"), home[1], key=f"da_rename_name_{name}",
                                     max_chars=library.MAX_NAME)
            if c2.form_submit_button(tr("da.rename"), key="da_rename"):
                try:
                    key = corpora.rename_corpus(name, new_name)
                except library.BadName as exc:
                    _name_error(exc)
                else:
                    _switch_to(key, f"{tr('da.rename.done')}: «{safe.md_escape(key.removeprefix(corpora.PRIVATE))}»")
        if st.session_state.get("_da_delete_for") != name:  # first step: ask
            if st.button(tr("da.delete"), key="da_delete", icon=":material/delete:"):
                st.session_state["_da_delete_for"] = name
                st.rerun()
        else:  # second step: confirm or cancel
            st.warning(tr("da.delete.confirm"), icon=":material/warning:")
            c1, c2 = st.columns(2)
            if c1.button(tr("da.delete.yes"), key="da_delete_yes", type="primary"):
                corpora.delete_corpus(name)
                _switch_to("sample", f"{tr('da.delete.done')}: «{safe.md_escape(home[1])}»")
            if c2.button(tr("da.delete.no"), key="da_delete_no"):
                st.session_state.pop("_da_delete_for", None)
                st.rerun()

st.subheader(tr("da.report"))
report = overview.report(corpus)
if report.empty:
    st.caption(tr("da.report.none"))
else:
    render.table(report, key="da_report")
render.download(report, f"report-{name}", None, key="dl_report")

st.subheader(tr("da.fur"))
st.caption(tr("da.fur.help"))

fur_summary = furniture_view.removal_summary(corpus, flt)
st.markdown(f"**{tr('da.fur.summary')}**")
render.table(fur_summary.assign(outlet=fur_summary["outlet"].map(olab)), key="da_fur_summary")
render.download(fur_summary, f"furniture-summary-{name}", flt, key="dl_fur_summary")
patterns = furniture_view.furniture_patterns(corpus, flt)
if patterns.empty:
    st.caption(tr("da.fur.none"))
editable = corpora.furniture_editable(name)
review = patterns.assign(on=patterns["status"] == "on")[["on", "outlet", "kind", "pattern", "example", "articles",
                                                         "share", "source"]]
edited_fur = st.data_editor(review, hide_index=True, width="stretch", key=f"da_fur_{name}",
                            disabled=[c for c in review.columns if c != "on"] if editable else True,
                            column_config={"on": st.column_config.CheckboxColumn(tr("da.fur.on")),
                                           **{c: st.column_config.Column(column_label(c, L))
                                              for c in review.columns if c != "on"}})
render.download(patterns, f"furniture-{name}", flt, key="dl_furniture")
if not editable:
    st.caption(tr("da.fur.readonly"))
    st.code("python -m core build … --db INDEX --furniture decisions.csv", language="bash")
else:
    with st.form("da_fur_add", border=False):
        outlet_names = ["*"] + overview.outlet_choices(corpus)["outlet"].tolist()
        c1, c2, c3 = st.columns([2, 2, 4], vertical_alignment="bottom")
        add_outlet = c1.selectbox(tr("da.fur.outlet"), outlet_names, key="da_fur_outlet",
                                  format_func=lambda o: o if o == "*" else olab(o))
        add_kind = c2.selectbox(tr("da.fur.kind"), list(KINDS), key="da_fur_kind",
                                format_func=lambda k: tr(f"da.fur.kind.{k}"))
        add_text = c3.text_input(tr("da.fur.pattern"), key="da_fur_text", max_chars=300)
        save_fur = st.form_submit_button(tr("da.fur.save"), type="primary")
    if save_fur:
        try:
            added = []
            if add_text.strip():
                one = parse_decisions("outlet,kind,pattern,decision\n" + _csv_row([add_outlet, add_kind,
                                                                                      add_text, "add"]))
                added = one.added
            table_now = patterns.assign(status=["on" if v else "rejected" for v in edited_fur["on"]])
            corpora.save_furniture_decisions(name, furniture_view.decisions_from_table(table_now, added))
        except BadDecisions as exc:
            st.error(safe.md_escape(str(exc)), icon=":material/error:")
        except Exception as exc:
            st.error(f"{tr('da.failed')}: {safe.md_escape(str(exc))}", icon=":material/error:")
        else:
            sidebar.reseed()
            st.session_state["_da_done"] = tr("da.fur.saved")
            st.rerun()

st.subheader(tr("da.fix"))
st.caption(tr("da.fix.help"))
arts = overview.articles(corpus, flt, limit=2000)[["id", "outlet", "date", "title", "outlet_source", "date_source"]]
edit = arts.assign(date=pd.to_datetime(arts["date"]).dt.date)
edited = st.data_editor(
    edit, hide_index=True, width="stretch", key="da_editor", disabled=["id", "title", "outlet_source", "date_source"],
    column_config={"date": st.column_config.DateColumn("date", format="YYYY-MM-DD")},
)
if st.button(tr("da.fix.save"), key="da_save"):
    changes = edited_rows(edit, edited)
    if len(changes):
        corpus.correct(changes, corpora.corrections_file(name))
        st.cache_data.clear()
    st.success(f"{tr('da.fix.saved')}: {len(changes)}")
    st.rerun()

st.subheader(tr("lib.table"))
st.caption(tr("lib.help"))
library_df = corpora.library_table(L)
render.table(library_df, key="da_library")
render.download(library_df, "library", None, key="dl_library")

st.subheader(tr("da.resources"))

st.caption(" · ".join(str(p) for p in sorted(RESOURCE_DIR.glob("*.*"))))
