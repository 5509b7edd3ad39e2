"""Rendering helpers every page uses: tables in the interface language, bounded long tables, CSV
downloads of exactly what is shown, charts, the empty state, right-to-left text, and the CSS."""
from __future__ import annotations

from typing import Callable, NamedTuple

import pandas as pd
import streamlit as st

from core.export import csv_bytes, csv_name
from core.filter import Filter
from core.index.viewcache import warm  # noqa: F401 - pages start their widget-free views with render.warm
from core.markup import cloud_css
from ui.lang import lang, outlet_labeler, tr, translator
from ui.safe import html_text


class Page(NamedTuple):
    """What a page needs first: the interface language, its labels, the corpus and the filter."""
    L: str
    tr: Callable[[str], str]
    olab: Callable[[str], str]
    corpus: object
    flt: Filter


def page(title_key: str, needs_articles: bool = True, corpus: bool = True) -> Page:
    """Every page's preamble: the language and labels, the corpus and the shared filter, the title.
    With ``needs_articles`` a filter that keeps no article shows the empty state and ends the page."""
    from core.analysis.overview import summary
    from ui.corpora import get_corpus

    L = lang()
    tr_ = translator(L)
    handle = get_corpus() if corpus else None
    flt = st.session_state["filter"]
    st.title(tr_(title_key))
    if needs_articles and handle is not None and summary(handle, flt)["articles"] == 0:
        empty_state()
        st.stop()
    return Page(L, tr_, outlet_labeler(L), handle, flt)

#: Tables longer than this show their first rows only (the browser gets a bounded payload); their CSV
#: download holds every row, and a caption says so.
TABLE_ROWS = 2000


#: A CSV of at most this many rows is made with the page and handed to the button as bytes; a longer
#: one is made only when its button is clicked.
STATIC_CSV_ROWS = TABLE_ROWS


def download(df, what: str, flt: Filter | None, key: str | None = None, rows: int | None = None) -> None:
    """A CSV download of exactly ``df`` (what the page shows), with the filter in the file name.

    ``df`` may be a callable returning the frame (then ``rows`` gives its length).

    A table of at most :data:`STATIC_CSV_ROWS` rows is written with the page (2,000 rows: ~9 ms),
    so the click itself starts the download. A longer one is made only on click (a 400k-row
    CSV took 4 s per rerun). That deferred path reaches the browser after a round trip to the
    server, outside the click's user gesture. Chromium's guard against sites that download
    several files then blocks it: silently in headless Chromium, behind a "download multiple
    files" prompt in a desktop browser. Measured on the excerpt's Overview (three buttons clicked
    0, 0, 1, 1, 2, 0 with 3 s pauses): with every CSV deferred, 4 of 8 runs lost a download; with
    the small ones static, 0 of 8."""
    n = len(df) if rows is None else rows
    if n <= STATIC_CSV_ROWS:
        data = csv_bytes(df() if callable(df) else df)
    else:
        data = (lambda: csv_bytes(df())) if callable(df) else (lambda: csv_bytes(df))
    st.download_button(
        f"⬇ {tr('download')} ({n} {tr('rows')})", data=data, file_name=csv_name(what, flt),
        mime="text/csv", key=key or f"dl_{what}",
        # a download changes nothing the page shows: no rerun of the whole page per click (which, under
        # load, also raced the browser's fetch of the file)
        on_click="ignore",
    )


def long_table(head: pd.DataFrame, total: int, fetch_all, what: str, flt: Filter | None,
               key: str | None = None, dl_key: str | None = None) -> None:
    """A table of ``total`` rows of which ``head`` holds the first (at most :data:`TABLE_ROWS`), and the CSV
    of all of them (``fetch_all()``, run on click)."""
    if total > len(head):
        st.caption(tr("table.first").format(shown=len(head), total=total))
    table(head, key=key)
    download(fetch_all if total > len(head) else head, what, flt, key=dl_key, rows=total)


def lazy_tabs(sections: dict[str, Callable[[], None]], prefix: str, key: str) -> None:
    """``sections`` (name → function drawing it) as tabs labelled ``tr(f"{prefix}.{name}")``, only the open one run:
    ``st.tabs`` tracks which is open (``on_change="rerun"``), so a filter change costs one section. The open tab
    stays open when the interface language changes (its state holds the label)."""
    from core.i18n import t

    held = st.session_state.get(key)
    for name in sections:
        if held in (t(f"{prefix}.{name}", "ar"), t(f"{prefix}.{name}", "en")):
            st.session_state[key] = tr(f"{prefix}.{name}")
    tabs = st.tabs([tr(f"{prefix}.{name}") for name in sections], key=key, on_change="rerun")
    for draw, tab in zip(sections.values(), tabs):
        if tab.open is not False:   # None: a Streamlit without tab state draws every tab
            with tab:
                draw()


def table(df: pd.DataFrame, key: str | None = None, **kw) -> None:
    """A read-only table with headers in the interface language (values exactly as in the CSV)."""
    from core.i18n import column_label

    L = lang()
    config = {c: st.column_config.Column(column_label(c, L)) for c in df.columns}
    st.dataframe(blank_missing(df), hide_index=True, width="stretch", column_config=config, key=key, **kw)


def blank_missing(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with the missing values of its text and date columns as empty cells, as its CSV writes them:
    ``st.dataframe`` shows a grey English "None" in them (an undated article's date), also in the Arabic
    interface.  Such a date or time column becomes its ISO text (``2018-05-08``, ``2018-05-08 05:27:21``), as
    the grid showed it; numbers keep their type (and their sorting)."""
    def text(v):
        return "" if v is None or v is pd.NaT or (isinstance(v, float) and v != v) else str(v)

    cols = [c for c in df.columns
            if (df[c].dtype == object or pd.api.types.is_string_dtype(df[c]) or pd.api.types.is_datetime64_any_dtype(df[c]))
            and df[c].isna().any()]
    return df.assign(**{c: df[c].map(text).astype("str") for c in cols}) if cols else df


def section(df: pd.DataFrame, what: str, flt: Filter | None, figure=None, key: str | None = None,
            dl_key: str | None = None, show_table: bool = False, empty: str = "empty") -> bool:
    """One part of a page: when ``df`` is empty a caption says so; else ``figure(df)`` is drawn (and/or
    the table shown) and the CSV of exactly ``df`` offered. Returns whether there was anything."""
    if df.empty:
        st.caption(tr(empty))
        return False
    if figure is not None:
        plot(figure(df), key=key)
    if show_table:
        table(df, key=key if figure is None else None)
    download(df, what, flt, key=dl_key)
    return True


def empty_state() -> None:
    st.info(f"{tr('empty')} {tr('empty.hint')}", icon=":material/search_off:")


def rtl_text(text: str, tag: str = "div", extra_style: str = "") -> None:
    """Show article-derived text right-to-left. The text is escaped: it is data, never markup."""
    st.markdown(f'<{tag} dir="auto" class="marsad-rtl" style="{extra_style}">{html_text(text, breaks=True)}</{tag}>',
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
    from core.charts import label_text

    p = points[0]
    return label_text(p.get("y") if isinstance(p.get("y"), str) else p.get("x"))


CSS = """
<style>
.marsad-rtl { direction: rtl; text-align: right; unicode-bidi: plaintext; line-height: 1.9; }
html[lang="ar"] [data-testid="stMarkdownContainer"] p, .marsad-ar [data-testid="stMarkdownContainer"] { direction: rtl; text-align: right; }
.marsad-lib-name { font-weight: 600; margin-top: 0.45rem; }
.marsad-lib-current { color: #0f6e6e; }
.marsad-lib-stat { font-size: 0.8rem; color: #666; }
.marsad-lib-path { font-size: 0.75rem; color: #777; text-align: left; word-break: break-all; overflow-wrap: anywhere; white-space: normal; }
mark.marsad-hit { background: #ffe08a; padding: 0 2px; border-radius: 3px; }
.marsad-kwic { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
.marsad-kwic td { padding: 2px 6px; border-bottom: 1px solid #eee; white-space: nowrap; }
.marsad-kwic td.pre { text-align: left; direction: rtl; width: 42%; }
.marsad-kwic td.post { text-align: right; direction: rtl; width: 42%; }
.marsad-kwic td.m { text-align: center; font-weight: 700; color: #0f6e6e; }
.marsad-kwic td.src { color: #777; font-size: 0.8rem; }
""" + cloud_css() + """</style>
"""

CSS_AR = """
<style>
section.main .block-container, [data-testid="stMain"] .block-container { direction: rtl; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] { text-align: right; }
[data-testid="stCaptionContainer"] { text-align: right; }
[data-testid="stSidebar"] { direction: rtl; }
[data-testid="stMain"] .js-plotly-plot { direction: ltr; }
</style>
"""
