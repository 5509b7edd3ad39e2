"""The Streamlit side of the shared state: corpora, the filter <-> URL, language, downloads.

Pages import from here; ``core`` never imports Streamlit. The read-only corpus handle is
held with ``st.cache_resource`` (one per corpus, shared by sessions, never mutated except by
explicit corrections); small filter-keyed results may use ``st.cache_data``.
"""
from __future__ import annotations

import datetime as dt
import html
import os
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from core.export import csv_bytes, csv_name
from core.filter import Filter
from core.i18n import STRINGS, t
from core.model import UNKNOWN

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(os.environ.get("MARSAD_CACHE", ROOT / ".cache" / "corpora"))
VAR_DIR = Path(os.environ.get("MARSAD_VAR", ROOT / "var"))
UPLOAD_DIR = VAR_DIR / "uploads"
UPLOAD_MAPPING = VAR_DIR / "uploads_mapping.json"
MAPPING_FIELDS = ("text", "title", "outlet", "date", "url")
ANT_FULL = ROOT.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.jsonl.gz"
ANT_SAMPLE = ROOT.parent / "shared" / "data" / "ant_multisource" / "ant_multisource_v2.1.sample1000.jsonl"

FILTER_KEYS = ("f_dates", "f_outlets", "f_query", "f_undated")


def corpora() -> dict[str, dict]:
    """The corpora the sidebar offers: name → {label_ar, label_en, sources}."""
    found = {
        "sample": {"ar": "العينة (5 مقالات)", "en": "Sample (5 articles)", "sources": [ROOT / "data" / "sample"]},
    }
    extra = os.environ.get("MARSAD_EXTRA_CORPUS")
    if extra and Path(extra).exists():
        found["extra"] = {"ar": f"مدونة: {Path(extra).name}", "en": f"Corpus: {Path(extra).name}", "sources": [Path(extra)]}
    if ANT_SAMPLE.exists():
        found["ant1000"] = {"ar": "ANT متعدد المصادر (1000)", "en": "ANT multi-source (1,000)", "sources": [ANT_SAMPLE]}
    if ANT_FULL.exists():
        found["ant"] = {"ar": "ANT متعدد المصادر (31 ألفًا)", "en": "ANT multi-source (31k)", "sources": [ANT_FULL]}
    if UPLOAD_DIR.exists() and any(p.is_file() for p in UPLOAD_DIR.rglob("*")):
        found["uploads"] = {"ar": "المرفوعات", "en": "Uploads", "sources": [UPLOAD_DIR], "mapping": upload_mapping()}
    return found


def upload_mapping() -> dict[str, str]:
    """The analyst's column names for uploaded tables (blank fields are recognised automatically)."""
    import json

    try:
        data = json.loads(UPLOAD_MAPPING.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v).strip() for k, v in data.items() if k in MAPPING_FIELDS and str(v).strip()}


def save_upload_mapping(mapping: dict[str, str]) -> None:
    import json

    UPLOAD_MAPPING.parent.mkdir(parents=True, exist_ok=True)
    clean = {k: v.strip() for k, v in mapping.items() if k in MAPPING_FIELDS and v and v.strip()}
    UPLOAD_MAPPING.write_text(json.dumps(clean, ensure_ascii=False, indent=1), encoding="utf-8")


def corrections_file(name: str) -> Path:
    return VAR_DIR / "corrections" / f"{name}.csv"


@st.cache_resource(show_spinner=False, max_entries=6)
def _open_db(db_path: str):
    """One read handle per built database file, shared by every session (never mutated but by corrections)."""
    from core.store import Corpus

    return Corpus.open(db_path)


_BUILD_LOCK = threading.Lock()  # two sessions opening a new corpus at once build it once


def _ensure_built(name: str, sources: list[str], mapping: dict | None = None) -> str:
    """Build the index for these sources once, with a progress bar; later runs find the file."""
    from core.store import cached_db_path

    db = cached_db_path(sources, CACHE_DIR, name, mapping=mapping)
    if not db.exists():
        with _BUILD_LOCK:
            if not db.exists():
                _build(name, sources, mapping)
    return str(db)


def _build(name: str, sources: list[str], mapping: dict | None) -> None:
    from core.store import open_or_build

    bar = st.progress(0.0, text=tr("side.building"))

    def progress(frac, msg):
        stage, _, rest = str(msg).partition(" ")
        label = tr(f"build.{stage}") if f"build.{stage}" in STRINGS else stage
        bar.progress(min(max(float(frac), 0.0), 1.0), text=f"{tr('side.building')} {label} {rest}")

    corpus = open_or_build(sources, CACHE_DIR, name=name, progress=progress, corrections=corrections_file(name),
                           mapping=mapping)
    corpus.con.close()
    bar.empty()


def _apply_saved_corrections(corpus, name: str) -> None:
    from core.store import load_corrections

    edits = load_corrections(corrections_file(name))
    if len(edits):
        corpus.correct(edits)


def current_corpus_name() -> str:
    avail = corpora()
    name = st.session_state.get("corpus") or st.query_params.get("corpus") or "sample"
    return name if name in avail else "sample"


def get_corpus(name: str | None = None):
    name = name or current_corpus_name()
    info = corpora()[name]
    db = _ensure_built(name, [str(p) for p in info["sources"]], info.get("mapping"))
    corpus = _open_db(db)
    if not getattr(corpus, "_corrections_applied", False):
        _apply_saved_corrections(corpus, name)
        corpus._corrections_applied = True
    return corpus


def reload_corpus() -> None:
    _open_db.clear()
    st.cache_data.clear()


def lang() -> str:
    val = st.session_state.get("lang") or st.query_params.get("lang") or "ar"
    return val if val in ("ar", "en") else "ar"


def tr(key: str) -> str:
    return t(key, lang())


def translator(language: str):
    """``tr`` bound to one language (widget format functions may run outside the script run)."""
    return lambda key: t(key, language)


def outlet_label(name: str, language: str | None = None) -> str:
    return t("unknown", language or lang()) if name == UNKNOWN else name


def outlet_labeler(language: str):
    return lambda name: outlet_label(name, language)


# -- filter <-> widgets <-> URL ---------------------------------------------------------------
def _init_from_url(corpus) -> None:
    """On a fresh session, seed the sidebar widgets from the URL (a shared link restores the view)."""
    if st.session_state.get("_filter_seeded"):
        return
    flt = Filter.from_params(st.query_params)
    from core.analysis.overview import date_bounds, outlet_choices

    lo, hi = date_bounds(corpus)
    if flt.date_from or flt.date_to:
        st.session_state["f_dates"] = (flt.date_from or lo, flt.date_to or hi)
    else:
        st.session_state.pop("f_dates", None)
    known = set(outlet_choices(corpus)["outlet"])
    st.session_state["f_outlets"] = [o for o in flt.outlets if o in known]
    st.session_state["f_query"] = flt.query
    st.session_state["f_undated"] = flt.undated
    st.session_state["_filter_seeded"] = True


def reset_filter() -> None:
    for k in FILTER_KEYS:
        st.session_state.pop(k, None)
    st.session_state["f_outlets"] = []
    st.session_state["f_query"] = ""
    st.session_state["f_undated"] = "include"


def sidebar_filter(corpus) -> Filter:
    """Draw the shared filter in the sidebar and return it (also written to the URL)."""
    from core.analysis.overview import date_bounds, outlet_choices

    _init_from_url(corpus)
    L = lang()
    tr = translator(L)
    lo, hi = date_bounds(corpus)
    st.sidebar.markdown(f"**{tr('side.filter')}**")
    date_from = date_to = None
    if lo is not None:
        lo, hi = pd.Timestamp(lo).date(), pd.Timestamp(hi).date()
        cur = st.session_state.get("f_dates")
        if cur is not None and len(cur) == 2 and (cur[0] < lo or cur[1] > hi):
            start, end = max(cur[0], lo), min(cur[1], hi)
            st.session_state["f_dates"] = (start, end) if start <= end else (lo, hi)
        val = st.sidebar.date_input(tr("side.dates"), value=(lo, hi), min_value=lo, max_value=hi, key="f_dates",
                                    format="YYYY-MM-DD")
        if isinstance(val, (tuple, list)) and len(val) == 2:
            date_from, date_to = val
            if date_from == lo and date_to == hi:
                date_from = date_to = None
    undated = st.sidebar.radio(tr("side.undated"), ["include", "exclude", "only"], key="f_undated",
                               format_func=lambda v: tr(f"side.undated.{v}"), horizontal=True)
    counts = outlet_choices(corpus)
    count_of = dict(zip(counts["outlet"], counts["articles"]))
    outlets = st.sidebar.multiselect(
        tr("side.outlets"), list(counts["outlet"]), key="f_outlets", help=tr("side.outlets.help"),
        placeholder=tr("side.outlets.help"),
        format_func=lambda o: f"{outlet_label(o, L)} ({count_of.get(o, 0)})",
    )
    query = st.sidebar.text_input(tr("side.query"), key="f_query", help=tr("side.query.help"))
    st.sidebar.button(tr("side.reset"), on_click=reset_filter)
    flt = Filter(date_from=date_from, date_to=date_to, outlets=tuple(outlets), query=query, undated=undated)
    write_url(flt)
    return flt


def write_url(flt: Filter) -> None:
    want = {k: v for k, v in flt.to_params().items()}
    if lang() != "ar":
        want["lang"] = lang()
    if current_corpus_name() != "sample":
        want["corpus"] = current_corpus_name()
    have = {k: (st.query_params.get_all(k) if k == "outlet" else st.query_params.get(k)) for k in st.query_params.keys()}
    if have != want:
        st.query_params.from_dict(want)


# -- rendering helpers -------------------------------------------------------------------------
def download(df: pd.DataFrame, what: str, flt: Filter | None, key: str | None = None) -> None:
    """A CSV download of exactly ``df`` (what the page shows), with the filter in the file name."""
    st.download_button(
        f"⬇ {tr('download')} ({len(df)} {tr('rows')})", data=csv_bytes(df), file_name=csv_name(what, flt),
        mime="text/csv", key=key or f"dl_{what}",
    )


def table(df: pd.DataFrame, key: str | None = None, **kw) -> None:
    """A read-only table with headers in the interface language (values exactly as in the CSV)."""
    from core.i18n import column_label

    L = lang()
    config = {c: st.column_config.Column(column_label(c, L)) for c in df.columns}
    st.dataframe(df, hide_index=True, width="stretch", column_config=config, key=key, **kw)


def empty_state() -> None:
    st.info(f"{tr('empty')} {tr('empty.hint')}", icon=":material/search_off:")


def rtl_text(text: str, tag: str = "div", extra_style: str = "") -> None:
    """Show article-derived text right-to-left. The text is escaped: it is data, never markup."""
    st.markdown(f'<{tag} dir="auto" class="marsad-rtl" style="{extra_style}">{html.escape(text)}</{tag}>',
                unsafe_allow_html=True)


def plot(fig, key: str | None = None, select: bool = False):
    """Draw a figure (Plotly's camera button exports PNG). With ``select`` a click on a bar reruns
    the page and the returned event names the clicked point."""
    config = {"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}}
    if select:
        return st.plotly_chart(fig, key=key, config=config, on_select="rerun", selection_mode="points")
    st.plotly_chart(fig, key=key, config=config)
    return None


def clicked_label(event) -> str | None:
    """The category label of the bar clicked in a ``plot(..., select=True)`` chart."""
    try:
        points = event.selection.points
    except AttributeError:
        return None
    if not points:
        return None
    from core.charts import unwrap

    p = points[0]
    return unwrap(p.get("y") if isinstance(p.get("y"), str) else p.get("x"))


CSS = """
<style>
.marsad-rtl { direction: rtl; text-align: right; unicode-bidi: plaintext; line-height: 1.9; }
html[lang="ar"] [data-testid="stMarkdownContainer"] p, .marsad-ar [data-testid="stMarkdownContainer"] { direction: rtl; text-align: right; }
mark.marsad-hit { background: #ffe08a; padding: 0 2px; border-radius: 3px; }
.marsad-kwic { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.marsad-kwic td { padding: 2px 6px; border-bottom: 1px solid #eee; white-space: nowrap; }
.marsad-kwic td.pre { text-align: left; direction: rtl; width: 42%; }
.marsad-kwic td.post { text-align: right; direction: rtl; width: 42%; }
.marsad-kwic td.m { text-align: center; font-weight: 700; color: #0f6e6e; }
.marsad-kwic td.src { color: #777; font-size: 0.8rem; }
</style>
"""

CSS_AR = """
<style>
section.main .block-container, [data-testid="stMain"] .block-container { direction: rtl; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { text-align: right; }
[data-testid="stSidebar"] { direction: rtl; }
[data-testid="stMain"] .js-plotly-plot { direction: ltr; }
</style>
"""


# -- editable topic lexicon ------------------------------------------------------------------
USER_TOPICS = VAR_DIR / "resources" / "topics.yaml"


def topics():
    """The topic lexicon in force: the analyst's edited copy if there is one, else the shipped defaults."""
    from core.resources import load_resources, load_topics

    if USER_TOPICS.exists():
        try:
            return load_topics(USER_TOPICS)
        except Exception as exc:  # a broken user file must not cost the page: say so and use defaults
            st.warning(f"{USER_TOPICS}: {exc}")
    return load_resources().topics


def save_topic_keywords(topic_id: str, keywords: list[str]) -> str | None:
    """Replace one topic's keywords in the analyst's copy; returns an error message or None."""
    import dataclasses
    import tempfile

    from core.resources import dump_topics, load_resources, load_topics, validate_topics

    lexicon = [dataclasses.replace(t, keywords=list(keywords)) if t.id == topic_id else t for t in topics()]
    try:  # the file's rules plus "no stop word in a keyword" (it could never match)
        validate_topics(lexicon, load_resources().stopwords, file=str(USER_TOPICS))
    except Exception as exc:
        return str(exc)
    USER_TOPICS.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", dir=USER_TOPICS.parent, delete=False) as tmp:
        tmp_path = Path(tmp.name)
    try:
        dump_topics(lexicon, tmp_path)
        load_topics(tmp_path)  # validate before it replaces the analyst's file
    except Exception as exc:
        tmp_path.unlink(missing_ok=True)
        return str(exc)
    tmp_path.replace(USER_TOPICS)
    return None


def reset_topics() -> None:
    USER_TOPICS.unlink(missing_ok=True)
