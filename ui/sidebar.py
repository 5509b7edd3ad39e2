"""The shared filter: the sidebar widgets, the session state keys behind them (``f_*``) and the URL.

This module alone writes those keys and the seeding flag: a shared link seeds the widgets once per
session (:func:`reseed` asks for that again, e.g. after the corpus changed).
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from core.filter import Filter
from ui.corpora import current_corpus_name
from ui.lang import lang, outlet_label, translator

FILTER_KEYS = ("f_dates", "f_outlets", "f_query", "f_undated")
_SEEDED = "_filter_seeded"


def reseed() -> None:
    """Seed the filter widgets from the URL on the next run (a new corpus, an upload, a rebuild)."""
    st.session_state[_SEEDED] = False


def _init_from_url(corpus) -> None:
    """On a fresh session, seed the sidebar widgets from the URL (a shared link restores the view)."""
    if st.session_state.get(_SEEDED):
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
    st.session_state[_SEEDED] = True


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
        if "f_dates" not in st.session_state:  # the widget's default; a seeded or chosen range is in the state
            st.session_state["f_dates"] = (lo, hi)
        val = st.sidebar.date_input(tr("side.dates"), min_value=lo, max_value=hi, key="f_dates", format="YYYY-MM-DD")
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
