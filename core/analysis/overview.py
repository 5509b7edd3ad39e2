"""Corpus-level numbers under a filter: totals, outlets, attention over time, the article list.

Every function takes a :class:`~core.index.handle.Corpus` and a :class:`~core.filter.Filter`
and returns a plain pandas DataFrame (or dict), so the app, the CLI and the tests
share them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import json

import pandas as pd

from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

ARTICLE_COLUMNS = ["id", "outlet", "date", "title", "words", "outlet_source", "date_source", "url"]


@view
def summary(corpus: Corpus, flt: Filter | None = None) -> dict:
    """Articles, outlets, words, date span and undated count of the filtered corpus."""
    where, params = corpus.where(flt)
    row = corpus.rows(
        f"SELECT COUNT(*), COUNT(DISTINCT outlet), CAST(COALESCE(SUM(words), 0) AS BIGINT), MIN(date), MAX(date), "
        f"COUNT(*) FILTER (WHERE date IS NULL), COUNT(*) FILTER (WHERE outlet = 'unknown') "
        f"FROM articles a WHERE {where}",
        params,
    )[0]
    return {
        "articles": int(row[0]),
        "outlets": int(row[1]),
        "words": int(row[2]),
        "date_min": row[3],
        "date_max": row[4],
        "undated": int(row[5]),
        "unknown_outlet": int(row[6]),
    }


@view
def outlet_totals(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Articles and words per outlet, most articles first. Columns outlet, outlet_en, articles, words, share."""
    where, params = corpus.where(flt)
    df = corpus.sql(
        f"SELECT outlet, MAX(outlet_en) AS outlet_en, COUNT(*) AS articles, CAST(SUM(words) AS BIGINT) AS words "
        f"FROM articles a WHERE {where} GROUP BY outlet ORDER BY articles DESC, outlet",
        params,
    )
    df["words"] = df["words"].fillna(0).astype("int64")
    total = df["articles"].sum()
    df["share"] = (df["articles"] / total).round(4) if total else 0.0
    return df


@view
def outlet_choices(corpus: Corpus) -> pd.DataFrame:
    """Every outlet of the corpus with its article count (for the sidebar), whatever the filter."""
    return corpus.sql("SELECT outlet, COUNT(*) AS articles FROM articles GROUP BY outlet ORDER BY articles DESC, outlet")


@view
def date_bounds(corpus: Corpus) -> tuple:
    return tuple(corpus.rows("SELECT MIN(date), MAX(date) FROM articles")[0])


@view
def attention(corpus: Corpus, flt: Filter | None = None, freq: str = "W") -> pd.DataFrame:
    """Articles per period and outlet, with each outlet's share of the period's coverage.

    ``freq`` is "D" (day), "W" (week starting Monday) or "M" (month). Columns: period, outlet,
    articles, share (of all filtered articles in that period), normalised (share of the outlet's
    own filtered articles that fell in the period, so a small outlet's attention is comparable to
    a big one's). Undated articles have no period and are left out (``summary`` counts them).
    """
    unit = {"D": "day", "W": "week", "M": "month"}.get(freq, "week")
    where, params = corpus.where(flt)
    df = corpus.sql(
        f"SELECT CAST(date_trunc('{unit}', date) AS DATE) AS period, outlet, COUNT(*) AS articles "
        f"FROM articles a WHERE {where} AND date IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2",
        params,
    )
    if df.empty:
        return pd.DataFrame(columns=["period", "outlet", "articles", "share", "normalised"])
    df["share"] = (df["articles"] / df.groupby("period")["articles"].transform("sum")).round(4)
    df["normalised"] = (df["articles"] / df.groupby("outlet")["articles"].transform("sum")).round(4)
    return df


@view
def articles(corpus: Corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """The filtered articles (metadata, no text), newest first, undated last."""
    where, params = corpus.where(flt)
    lim = f" LIMIT {int(limit)}" if limit else ""
    df = corpus.sql(
        f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles a WHERE {where} "
        f"ORDER BY date DESC NULLS LAST, outlet, id{lim}",
        params,
    )
    df["date"] = as_dates(df["date"])
    return df


def period_start(dates: pd.Series, freq: str = "W") -> pd.Series:
    """The day, week (starting Monday, like ``attention``) or month each date falls in, as a date."""
    dates = pd.to_datetime(dates)
    if freq == "D":
        return dates.dt.normalize().dt.date
    if freq == "M":
        return dates.dt.to_period("M").dt.start_time.dt.date
    return dates.dt.to_period("W-SUN").dt.start_time.dt.date


def fold_days(daily: pd.DataFrame, by: str, sums: list[str], freq: str = "W") -> pd.DataFrame:
    """Per-day sums ``[date, by, *sums]`` folded into periods: ``[period, by, *sums]`` (int64).
    Distinct articles add up too, since an article has one date."""
    daily = daily.assign(period=period_start(as_dates(daily["date"]), freq))
    out = daily.groupby(["period", by], as_index=False)[sums].sum()
    return out.astype({c: "int64" for c in sums})


def as_dates(values: pd.Series) -> pd.Series:
    """Calendar dates (datetime.date or None), not midnight timestamps, for tables and CSVs."""
    if not len(values):
        return pd.Series([], index=values.index, dtype="object")
    stamps = pd.to_datetime(values)  # vectorised: a Python loop over 100k rows cost ~0.3 s
    out = pd.Series(stamps.dt.date.to_numpy(dtype="object"), index=values.index, dtype="object")
    return out.where(stamps.notna(), None)


def article(corpus: Corpus, article_id: str) -> dict | None:
    """One article with its texts, metadata and provenance."""
    df = corpus.sql("SELECT * FROM articles WHERE id = $id", {"id": article_id})
    if df.empty:
        return None
    rec = df.iloc[0].to_dict()
    rec["date"] = None if pd.isna(rec.get("date")) else pd.Timestamp(rec["date"]).date()
    rec["source_row"] = None if pd.isna(rec.get("source_row")) else int(rec["source_row"])
    rec["removed"] = [line for line in (rec.get("removed") or "").split("\n") if line]
    return rec


@view
def article_terms(corpus: Corpus, article_id: str, limit: int = 30) -> pd.DataFrame:
    """The article's own top terms (unigrams and n-grams) under their corpus labels."""
    return corpus.sql(
        "SELECT v.label AS term, v.n, t.cnt AS count FROM terms t JOIN vocab v USING (tid) "
        "JOIN articles a USING (aid) WHERE a.id = $id ORDER BY t.cnt DESC, v.n DESC, v.label LIMIT $lim",
        {"id": article_id, "lim": int(limit)},
    )


@view
def entities_of_article(corpus: Corpus, article_id: str) -> pd.DataFrame:
    """The entities one article mentions (the reader): entity, type, mentions."""
    return corpus.sql(
        "SELECT m.entity, m.type, m.cnt AS mentions FROM mentions m JOIN articles a USING (aid) "
        "WHERE a.id = $id ORDER BY m.cnt DESC, m.entity",
        {"id": article_id},
    )


def report(corpus: Corpus) -> pd.DataFrame:
    """The ingestion report: file, row, reason, detail."""
    return corpus.sql("SELECT file, row, reason, detail FROM report ORDER BY file, row NULLS FIRST")


def forms_text(forms_json: str, limit: int = 8) -> str:
    """'والولايات 3 · الولايات 40' from the stored JSON list of merged surface forms."""
    try:
        forms = json.loads(forms_json or "[]")
    except ValueError:
        return ""
    return " · ".join(f"{f} ({c})" for f, c in forms[:limit])
