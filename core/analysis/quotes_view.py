"""Quoted statements on a built corpus under a filter: the quotes, who is quoted how often, and the
same statement across outlets, for the Reuse & quotes page and the CLI's quotes.csv.

The statements are found and clustered once at ingestion (``core.analysis.quotes``, stored in the
``quotes`` and ``statements`` tables); here they are read back through the filter.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.analysis.overview import as_dates
from core.analysis.reuse_view import has_table
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

#: The columns of :func:`quotes` (the quotes as shown and downloaded, with article ids).
SHOWN_QUOTE_COLUMNS = ["article_id", "outlet", "date", "speaker", "speaker_title", "text", "cue", "how"]


@view
def quote_count(corpus: Corpus, flt: Filter | None = None) -> int:
    """How many rows :func:`quotes` returns under ``flt``."""
    if not has_table(corpus, "quotes"):
        return 0
    if _use_days(corpus, flt):
        where, params = corpus.where(flt, "d")
        return int(corpus.rows(f"SELECT COALESCE(SUM(d.quotes), 0) FROM quote_days d WHERE {where}", params)[0][0])
    where, params = corpus.where(flt)
    return int(corpus.rows(f"SELECT COUNT(*) FROM quotes q JOIN articles a USING (aid) WHERE {where}", params)[0][0])


@view
def quotes(corpus: Corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """Quoted statements of the filtered articles (the CLI's quotes.csv), the first ``limit`` of them when
    given. Unattributed speaker is empty."""
    if not has_table(corpus, "quotes"):
        return pd.DataFrame(columns=SHOWN_QUOTE_COLUMNS)
    where, params = corpus.where(flt)
    lim = f" LIMIT {int(limit)}" if limit else ""
    hi = _first_quotes_bound(corpus, flt, int(limit)) if limit else None
    if hi is not None:   # only the articles up to the day the first ``limit`` quotes reach (texts read there only)
        where, params = f"{where} AND a.aid <= $hi AND q.aid <= $hi", {**params, "hi": hi}
    df = corpus.sql(
        f"SELECT a.id AS article_id, a.outlet, a.date, q.speaker, "
        f"{'q.speaker_title' if _has_column(corpus, 'quotes', 'speaker_title') else 'NULL'} AS speaker_title, "
        f"q.text, q.cue, q.how FROM quotes q "
        f"JOIN articles a USING (aid) WHERE {where} ORDER BY a.date NULLS LAST, a.id, q.start_{lim}",
        params,
    )
    df["speaker"] = df["speaker"].fillna("")
    df["speaker_title"] = df["speaker_title"].fillna("").astype(str)
    df["date"] = as_dates(df["date"])
    return df[SHOWN_QUOTE_COLUMNS]


def _first_quotes_bound(corpus: Corpus, flt: Filter | None, limit: int) -> int | None:
    """An aid that no article holding one of the filter's first ``limit`` quotes (by date, undated last)
    exceeds, or None (fewer dated quotes than ``limit``: the undated ones are needed too).

    D is the first day by which the filter's dated quotes number ``limit``: the first ``limit`` quotes
    are all dated D or earlier, and every article dated D or earlier has an aid up to the largest such
    aid.  Articles are numbered in date order, so the quotes table (stored by aid) is then read over
    the first days only: the page's 2,000 quotes of the whole 100k corpus no longer read the texts of
    all 425k.  (A corrected date only widens the range; the rows are the same.)"""
    if _use_days(corpus, flt):
        where, params = corpus.where(flt, "d")
        per = f"SELECT d.date, SUM(d.quotes) AS n FROM quote_days d WHERE {where} AND d.date IS NOT NULL GROUP BY d.date"
    else:
        where, params = corpus.where(flt)
        per = (f"SELECT a.date, COUNT(*) AS n FROM quotes q JOIN articles a USING (aid) "
               f"WHERE {where} AND a.date IS NOT NULL GROUP BY a.date")
    row = corpus.rows(
        f"""WITH per AS ({per}),
                 cum AS (SELECT date, SUM(n) OVER (ORDER BY date ROWS UNBOUNDED PRECEDING) AS c FROM per)
            SELECT MAX(aid) FROM articles WHERE date <= (SELECT MIN(date) FROM cum WHERE c >= $lim)""",
        {**params, "lim": int(limit)})
    return None if row[0][0] is None else int(row[0][0])


def _use_days(corpus: Corpus, flt: Filter | None) -> bool:
    """A filter without a text query counts quotes from the per-day rollup ``quote_days`` (when the
    index has it): 4.2M quotes at 1M articles, about 0.5M rollup rows."""
    return not (flt and flt.query) and corpus.has_table("quote_days")


def _has_column(corpus: Corpus, table: str, column: str) -> bool:
    return corpus.has_column(table, column)


@view
def quote_speakers(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Who is quoted how often, per outlet: outlet, speaker, quotes (unattributed quotes are left out)."""
    cols = ["outlet", "speaker", "quotes"]
    if not has_table(corpus, "quotes"):
        return pd.DataFrame(columns=cols)
    scope = corpus.outlet_scope(flt)
    if scope is not None and corpus.has_table("quote_outlets"):
        cond = "list_contains($outlets, d.outlet)" if scope else "TRUE"
        out = corpus.sql(   # outlets only: the per-outlet rollup (34k rows at 100k, not 165k per-day rows)
            f"SELECT d.outlet, d.speaker, d.quotes FROM quote_outlets d WHERE {cond} AND d.speaker <> '' "
            f"ORDER BY quotes DESC, d.speaker, d.outlet", {"outlets": scope} if scope else {})
    elif _use_days(corpus, flt):
        where, params = corpus.where(flt, "d")
        out = corpus.sql(   # a filter without a text query: the per-day rollup
            f"SELECT d.outlet, d.speaker, CAST(SUM(d.quotes) AS BIGINT) AS quotes FROM quote_days d "
            f"WHERE {where} AND d.speaker <> '' GROUP BY d.outlet, d.speaker "
            f"ORDER BY quotes DESC, d.speaker, d.outlet", params)
    else:
        where, params = corpus.where(flt)
        out = corpus.sql(   # counted in DuckDB: no statement texts pulled to count them
            f"SELECT a.outlet, q.speaker, COUNT(*) AS quotes FROM quotes q JOIN articles a USING (aid) "
            f"WHERE {where} AND q.speaker IS NOT NULL AND q.speaker <> '' GROUP BY a.outlet, q.speaker "
            f"ORDER BY quotes DESC, q.speaker, a.outlet", params)
    if out.empty:
        return pd.DataFrame(columns=cols)
    out["quotes"] = out["quotes"].astype("int64")
    return out[cols]


def most_quoted(speakers: pd.DataFrame, n: int = 25) -> pd.DataFrame:
    """The rows of :func:`quote_speakers` for the ``n`` speakers quoted most over all outlets (ties by name):
    what the chart draws, where the CSV keeps every speaker."""
    if speakers.empty:
        return speakers
    totals = speakers.groupby("speaker")["quotes"].sum().reset_index().sort_values(
        ["quotes", "speaker"], ascending=[False, True], kind="mergesort")
    return speakers[speakers["speaker"].isin(set(totals["speaker"].head(n)))].reset_index(drop=True)


@view
def top_speakers(corpus: Corpus, flt: Filter | None = None, n: int = 25) -> tuple[pd.DataFrame, int]:
    """:func:`most_quoted` of the filter's :func:`quote_speakers`, with the number of distinct
    speakers: what the speaker chart draws and its caption says (remembered per filter, like the
    speakers themselves; the grouping over every speaker took ~70 ms a rerun at 100k)."""
    speakers = quote_speakers(corpus, flt)
    return most_quoted(speakers, n), int(speakers["speaker"].nunique()) if len(speakers) else 0


@view
def statements_across_outlets(corpus: Corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """The same statement across outlets, each outlet's wording side by side:
    statement_id, speaker, outlet, article_id, text; of the first ``limit`` statements (by id) when given.

    Statements are clustered once at ingestion over the whole corpus (the ``statements`` table, which
    every index of the current schema has); the filter then keeps a cluster when its filtered
    quotes still span two outlets or more.  The texts are read only for the statements returned
    (324k rows at 1M articles: the page draws 40 statements, the CSV is made on click).
    """
    cols = ["statement_id", "speaker", "outlet", "article_id", "text"]
    if not has_table(corpus, "statements"):
        return pd.DataFrame(columns=cols)
    where, params = corpus.where(flt)
    lim = f" ORDER BY statement_id LIMIT {int(limit)}" if limit is not None else ""
    df = corpus.sql(
        f"""
        WITH q AS (
            SELECT s.statement_id, s.speaker, s.aid, s.quote_id, a.outlet, a.id AS article_id, a.date
            FROM statements s JOIN articles a ON a.aid = s.aid WHERE {where}
        ),
        ok AS (SELECT statement_id FROM q GROUP BY statement_id HAVING COUNT(DISTINCT outlet) >= 2{lim})
        SELECT q.statement_id, q.speaker, q.outlet, q.article_id, qt.text
        FROM q JOIN ok USING (statement_id) JOIN quotes qt ON qt.aid = q.aid AND qt.quote_id = q.quote_id
        ORDER BY q.statement_id, q.date NULLS LAST, q.article_id, qt.start_
        """,
        params,
    )
    df["speaker"] = df["speaker"].fillna("")
    return df[cols]


@view
def statement_count(corpus: Corpus, flt: Filter | None = None) -> tuple[int, int]:
    """``(statements, rows)`` of :func:`statements_across_outlets` under ``flt``, without their texts."""
    if not has_table(corpus, "statements"):
        return 0, 0
    where, params = corpus.where(flt)
    row = corpus.rows(
        f"""
        WITH q AS (SELECT s.statement_id, a.outlet FROM statements s JOIN articles a ON a.aid = s.aid WHERE {where}),
        ok AS (SELECT statement_id, COUNT(*) AS n FROM q GROUP BY statement_id HAVING COUNT(DISTINCT outlet) >= 2)
        SELECT COUNT(*), COALESCE(SUM(n), 0) FROM ok
        """, params)[0]
    return int(row[0]), int(row[1])
