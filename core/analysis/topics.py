"""Topic hits: the topic lexicon's keywords counted over the stored per-article terms.

Counting happens at query time from the ``terms`` table, so editing a topic's keywords
(in ``topics.yaml`` or in the app) changes the counts at once, without re-indexing.
"""
from __future__ import annotations

import pandas as pd

from core.analysis.overview import as_dates, fold_days
from core.filter import Filter


class _Candidates(set):
    """A stand-in vocabulary that accepts every candidate key and remembers it.

    ``topic_keys`` generates the lenient variants of every keyword and asks whether each is in
    the vocabulary; answering "yes" here and checking all of them in one SQL lookup avoids
    loading a vocabulary of millions of keys into Python.
    """

    def __contains__(self, item) -> bool:
        self.add(item)
        return True


def topic_term_ids(corpus, topics=None) -> pd.DataFrame:
    """Which vocabulary terms each topic's keywords match. Columns topic, tid, n, key, label."""
    topics = corpus.resources.topics if topics is None else topics
    sig = ("topic_terms", tuple((t.id, tuple(t.keywords)) for t in topics))
    return corpus.memo(sig, lambda: _topic_term_ids(corpus, topics))


def _topic_term_ids(corpus, topics) -> pd.DataFrame:
    from core.textpipe import topic_keys

    cand = topic_keys(topics, _Candidates(), grouper=corpus.grouper)
    if cand.empty:
        return pd.DataFrame(columns=["topic", "tid", "n", "key", "label"])
    cur = corpus.con.cursor()
    cur.register("cand", cand.astype({"n": "int64"}))
    return cur.execute(
        "SELECT c.topic, v.tid, CAST(v.n AS BIGINT) AS n, v.key, v.label FROM cand c "
        "JOIN vocab v ON v.key = c.key AND v.n = c.n ORDER BY c.topic, v.total DESC"
    ).df()


def _topic_names(corpus, topics=None) -> pd.DataFrame:
    topics = corpus.resources.topics if topics is None else topics
    return pd.DataFrame([{"topic": t.id, "name_ar": t.name_ar, "name_en": t.name_en} for t in topics],
                        columns=["topic", "name_ar", "name_en"])


def _hits(corpus, flt: Filter | None, tt: pd.DataFrame, select: str) -> pd.DataFrame:
    """``select`` (which reads the registered topic terms ``tt`` and has a ``{where}`` for the filter)
    run on a cursor of its own."""
    where, params = corpus.where(flt)
    cur = corpus.con.cursor()
    cur.register("tt", tt[["topic", "tid"]])
    return cur.execute(select.format(where=where), params).df()


def article_topics(corpus, flt: Filter | None = None, topics=None) -> pd.DataFrame:
    """Per-article topic hits (the CLI's topics.csv): article_id, outlet, date, topic, hits."""
    tt = topic_term_ids(corpus, topics)
    cols = ["article_id", "outlet", "date", "topic", "hits"]
    if tt.empty:
        return pd.DataFrame(columns=cols)
    df = _hits(corpus, flt, tt,
               "SELECT a.id AS article_id, a.outlet, a.date, tt.topic, CAST(SUM(t.cnt) AS BIGINT) AS hits "
               "FROM terms t JOIN tt USING (tid) JOIN articles a USING (aid) WHERE {where} "
               "GROUP BY a.id, a.outlet, a.date, tt.topic ORDER BY a.date NULLS LAST, a.id, hits DESC, tt.topic")
    df["date"] = as_dates(df["date"])
    return df[cols]


def topic_by_outlet(corpus, flt: Filter | None = None, topics=None) -> pd.DataFrame:
    """Topic hits per outlet, raw and per 1,000 words of that outlet's filtered articles.

    Columns: outlet, topic, name_ar, name_en, hits, articles (with at least one hit), words, per_1000.
    Every (outlet, topic) pair is present, zeros included, so heatmaps have no holes.
    """
    where, params = corpus.where(flt)
    words = corpus.sql(f"SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM articles a WHERE {where} GROUP BY outlet", params)
    names = _topic_names(corpus, topics)
    tt = topic_term_ids(corpus, topics)
    if tt.empty:
        agg = pd.DataFrame(columns=["outlet", "topic", "hits", "articles"])
    else:  # aggregated in the database: per article first (for "articles"), then per outlet
        cur = corpus.con.cursor()
        cur.register("tt", tt[["topic", "tid"]])
        agg = cur.execute(
            f"WITH f AS (SELECT aid, outlet FROM articles a WHERE {where}), "
            f"h AS (SELECT f.outlet, tt.topic, t.aid, SUM(t.cnt) AS hits FROM terms t JOIN tt USING (tid) "
            f"JOIN f USING (aid) GROUP BY f.outlet, tt.topic, t.aid) "
            f"SELECT outlet, topic, CAST(SUM(hits) AS BIGINT) AS hits, CAST(COUNT(*) AS BIGINT) AS articles "
            f"FROM h GROUP BY outlet, topic",
            params,
        ).df()
    grid = words.merge(names, how="cross")
    out = grid.merge(agg, on=["outlet", "topic"], how="left")
    out["hits"] = out["hits"].fillna(0).astype("int64")
    out["articles"] = out["articles"].fillna(0).astype("int64")
    out["words"] = out["words"].fillna(0).astype("int64")
    out["per_1000"] = (1000.0 * out["hits"] / out["words"].where(out["words"] > 0)).fillna(0).round(3)
    return out[["outlet", "topic", "name_ar", "name_en", "hits", "articles", "words", "per_1000"]].sort_values(
        ["outlet", "hits", "topic"], ascending=[True, False, True]).reset_index(drop=True)


def topic_trend(corpus, flt: Filter | None = None, topics=None, freq: str = "W") -> pd.DataFrame:
    """Topic hits per period (D/W/M). Columns period, topic, name_ar, name_en, hits, articles.

    DuckDB sums per day (an article has one date, so its distinct articles per day add up to the
    period's); the days are folded into periods here."""
    cols = ["period", "topic", "name_ar", "name_en", "hits", "articles"]
    tt = topic_term_ids(corpus, topics)
    if tt.empty:
        return pd.DataFrame(columns=cols)
    daily = _hits(corpus, flt, tt,
                  "SELECT a.date, tt.topic, CAST(SUM(t.cnt) AS BIGINT) AS hits, "
                  "CAST(COUNT(DISTINCT t.aid) AS BIGINT) AS articles FROM terms t JOIN tt USING (tid) "
                  "JOIN articles a USING (aid) WHERE {where} AND a.date IS NOT NULL GROUP BY a.date, tt.topic")
    if daily.empty:
        return pd.DataFrame(columns=cols)
    out = fold_days(daily, "topic", ["hits", "articles"], freq)
    out = out.merge(_topic_names(corpus, topics), on="topic", how="left")
    return out[cols]
