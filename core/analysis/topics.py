"""Topic hits: the topic lexicon's keywords counted over the stored per-article terms.

Counting happens at query time from the ``terms`` table, so editing a topic's keywords
(in ``topics.yaml`` or in the app) changes the counts at once, without re-indexing.

The build also keeps the hits of the lexicon it was built with, per article and topic
(``topic_hits``, :func:`write_topic_hits`): while the lexicon in use is that one (compared by
value: every topic's id and keywords), the per-outlet, per-day and per-article views aggregate
that small table instead of scanning ``terms`` (at 100k articles 30M term rows against ~0.3M
hit rows).  An edited lexicon takes the scan, with the same result.

A phrase hit is not counted again through its words: when a topic matches both أسعار النفط and
النفط, an article's النفط count loses the occurrences inside أسعار النفط (``_nested``), so
"أسعار النفط" in a text is one hit, not two.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pandas as pd

from core.analysis.overview import as_dates, fold_days
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus


class _Candidates(set):
    """A stand-in vocabulary that accepts every candidate key and remembers it.

    ``topic_keys`` generates the lenient variants of every keyword and asks whether each is in
    the vocabulary; answering "yes" here and checking all of them in one SQL lookup avoids
    loading a vocabulary of millions of keys into Python.
    """

    def __contains__(self, item) -> bool:
        self.add(item)
        return True


def topic_term_ids(corpus: Corpus, topics=None) -> pd.DataFrame:
    """Which vocabulary terms each topic's keywords match. Columns topic, keyword, tid, n, key, label."""
    topics = corpus.resources.topics if topics is None else topics
    sig = ("topic_terms", tuple((t.id, tuple(t.keywords)) for t in topics))
    return corpus.memo(sig, lambda: _topic_term_ids(corpus, topics))


def _topic_term_ids(corpus: Corpus, topics) -> pd.DataFrame:
    from core.textpipe import topic_keys

    cand = topic_keys(topics, _Candidates(), grouper=corpus.grouper)
    if cand.empty:
        return pd.DataFrame(columns=["topic", "keyword", "tid", "n", "key", "label"])
    cur = corpus.con.cursor()
    cur.register("cand", cand.astype({"n": "int64"}))
    return cur.execute(
        "SELECT c.topic, c.keyword, v.tid, CAST(v.n AS BIGINT) AS n, v.key, v.label FROM cand c "
        "JOIN vocab v ON v.key = c.key AND v.n = c.n ORDER BY c.topic, v.total DESC, v.tid"
    ).df()


def _nested(tt: pd.DataFrame) -> pd.DataFrame:
    """Which matched terms of a topic hold another matched term of it: columns topic, parent, child
    (term ids) and mult (how often the child's words occur in the parent's).

    Only the nearest holder counts (النفط in أسعار النفط الخام is taken off through أسعار النفط
    when that bigram is matched too, not twice), so subtracting parent hits × mult from the child's
    hits leaves each occurrence counted once, under its longest matched phrase."""
    rows = []
    for topic, g in tt.groupby("topic", sort=False):
        terms = {tuple(k.split()): int(t) for k, t in zip(g["key"], g["tid"])}
        for p, ptid in terms.items():
            if len(p) < 2:
                continue
            subs = {}
            for L in range(1, len(p)):
                for i in range(len(p) - L + 1):
                    c = p[i:i + L]
                    if c in terms:
                        subs[c] = subs.get(c, 0) + 1
            for c, mult in subs.items():
                # nearest: no other matched sub-term of p holds c
                if any(len(m) > len(c) and _holds(m, c) for m in subs if m != c):
                    continue
                rows.append((topic, ptid, terms[c], mult))
    return pd.DataFrame(rows, columns=["topic", "parent", "child", "mult"]).astype(
        {"parent": "int64", "child": "int64", "mult": "int64"})


def _holds(big: tuple, small: tuple) -> bool:
    L = len(small)
    return any(big[i:i + L] == small for i in range(len(big) - L + 1))


#: Per-article, per-term topic hits under the filter, each occurrence counted once (see ``_nested``):
#: the CTEs ``f`` (filtered articles) and ``h`` (aid, topic, tid, cnt), on registered ``tt`` and ``par``.
_HITS = (
    "f AS (SELECT a.aid, a.id, a.outlet, a.date FROM articles a WHERE {where}), "  # no texts: f is used twice
    "x AS (SELECT t.aid, tt.topic, t.tid, t.cnt FROM terms t JOIN tt USING (tid) JOIN f USING (aid)), "
    "m AS (SELECT x.aid, p.topic, p.child AS tid, SUM(x.cnt * p.mult) AS minus FROM x "
    "      JOIN par p ON p.topic = x.topic AND p.parent = x.tid GROUP BY x.aid, p.topic, p.child), "
    "h AS (SELECT x.aid, x.topic, x.tid, GREATEST(x.cnt - COALESCE(m.minus, 0), 0) AS cnt "
    "      FROM x LEFT JOIN m USING (aid, topic, tid)) "
)


def lexicon_signature(topics) -> str:
    """What the hits depend on: every topic's id and keywords, in order.

    >>> from core.resources import Topic
    >>> a = lexicon_signature([Topic("oil", "نفط", "Oil", ["النفط"])])
    >>> a == lexicon_signature([Topic("oil", "بترول", "Petrol", ["النفط"])]), a == lexicon_signature([Topic("oil", "نفط", "Oil", ["الغاز"])])
    (True, False)
    """
    text = json.dumps([[t.id, list(t.keywords)] for t in topics], ensure_ascii=False)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def write_topic_hits(con, topics, grouper) -> None:
    """Build time: ``topic_hits`` (aid, topic, hits > 0), each occurrence counted once as in the
    views, for ``topics`` matched with ``grouper`` (the index's own, from its ``token_map``), and
    ``topic_hits_lexicon`` (the lexicon's :func:`lexicon_signature`).  Runs on ``con`` itself, so
    inside the build's transaction; rewritten whole (an append calls it again)."""
    from core.textpipe import topic_keys

    con.execute("CREATE OR REPLACE TABLE topic_hits (aid INTEGER, topic VARCHAR, hits BIGINT)")
    con.execute("CREATE OR REPLACE TABLE topic_hits_lexicon (signature VARCHAR)")
    con.execute("INSERT INTO topic_hits_lexicon VALUES (?)", [lexicon_signature(topics)])
    cand = topic_keys(topics, _Candidates(), grouper=grouper)
    if cand.empty:
        return
    con.register("topic_cand_df", cand.astype({"n": "int64"}))
    try:
        tt = con.execute("SELECT c.topic, c.keyword, v.tid, CAST(v.n AS BIGINT) AS n, v.key, v.label "
                         "FROM topic_cand_df c JOIN vocab v ON v.key = c.key AND v.n = c.n "
                         "ORDER BY c.topic, v.total DESC, v.tid").df()
    finally:
        con.unregister("topic_cand_df")
    if tt.empty:
        return
    con.register("tt", tt[["topic", "tid"]])
    con.register("par", _nested(tt))
    try:
        con.execute("INSERT INTO topic_hits WITH " + _HITS.format(where="TRUE") +
                    "SELECT aid, topic, CAST(SUM(cnt) AS BIGINT) FROM h GROUP BY aid, topic HAVING SUM(cnt) > 0 "
                    "ORDER BY aid, topic")
    finally:
        con.unregister("tt")
        con.unregister("par")


def _rollup(corpus: Corpus, topics=None) -> bool:
    """The index keeps the hits of exactly this lexicon (``topic_hits``)."""
    topics = corpus.resources.topics if topics is None else topics

    def stored():
        rows = corpus.rows("SELECT signature FROM topic_hits_lexicon") if corpus.has_table("topic_hits_lexicon") else []
        return rows[0][0] if rows else None

    return corpus.memo(("topic_hits_lexicon",), stored) == lexicon_signature(topics)


def _rolled(corpus: Corpus, flt: Filter | None, select: str, article_id: str | None = None) -> pd.DataFrame:
    """``WITH f`` (the filtered articles), ``h`` (aid, topic, cnt: the stored hits) + ``select``."""
    where, params = corpus.where(flt)
    if article_id is not None:
        where, params = f"({where}) AND a.id = $article_id", {**params, "article_id": article_id}
    return corpus.sql("WITH f AS (SELECT a.aid, a.id, a.outlet, a.date FROM articles a WHERE " + where + "), "
                      "h AS (SELECT th.aid, th.topic, th.hits AS cnt FROM topic_hits th JOIN f USING (aid)) " + select,
                      params)


def _hit_query(corpus: Corpus, flt: Filter | None, topics, select: str, article_id: str | None = None) -> pd.DataFrame | None:
    """``select`` over the hit CTEs ``f`` and ``h``: from the stored hits while ``topics`` is the
    lexicon the index was built with, else from the scan of the terms; None when no keyword of
    ``topics`` is in the vocabulary."""
    if _rollup(corpus, topics):
        return _rolled(corpus, flt, select, article_id=article_id)
    tt = topic_term_ids(corpus, topics)
    return None if tt.empty else _hits(corpus, flt, tt, select, article_id=article_id)


def _use_days(corpus: Corpus, flt: Filter | None, topics) -> bool:
    """A filter without a text query, under the lexicon the index was built with, is answered from
    the per-day rollup ``topic_days`` (when the index has it): the same sums over far fewer rows."""
    return not (flt and flt.query) and _rollup(corpus, topics) and corpus.has_table("topic_days")


def _days(corpus: Corpus, flt: Filter | None, select: str) -> pd.DataFrame:
    """``select`` over ``d`` (outlet, date, topic, hits, articles): the filter's rows of ``topic_days``."""
    where, params = corpus.where(flt, "t")
    return corpus.sql(f"WITH d AS (SELECT * FROM topic_days t WHERE {where}) " + select, params)


def _topic_names(corpus: Corpus, topics=None) -> pd.DataFrame:
    topics = corpus.resources.topics if topics is None else topics
    return pd.DataFrame([{"topic": t.id, "name_ar": t.name_ar, "name_en": t.name_en} for t in topics],
                        columns=["topic", "name_ar", "name_en"])


def _hits(corpus: Corpus, flt: Filter | None, tt: pd.DataFrame, select: str, article_id: str | None = None) -> pd.DataFrame:
    """``WITH`` the hit CTEs (``f``, ``h``: see ``_HITS``) + ``select``, run on a cursor of its own
    (over one article only when ``article_id`` is given)."""
    where, params = corpus.where(flt)
    if article_id is not None:
        where, params = f"({where}) AND a.id = $article_id", {**params, "article_id": article_id}
    cur = corpus.con.cursor()
    cur.register("tt", tt[["topic", "tid"]])
    cur.register("par", _nested(tt))
    return cur.execute("WITH " + _HITS.format(where=where) + select, params).df()


@view
def article_topics(corpus: Corpus, flt: Filter | None = None, topics=None, article_id: str | None = None) -> pd.DataFrame:
    """Per-article topic hits (the CLI's topics.csv): article_id, outlet, date, topic, hits; of one article
    only when ``article_id`` is given (the reader)."""
    cols = ["article_id", "outlet", "date", "topic", "hits"]
    select = ("SELECT f.id AS article_id, f.outlet, f.date, h.topic, CAST(SUM(h.cnt) AS BIGINT) AS hits "
              "FROM h JOIN f USING (aid) GROUP BY f.id, f.outlet, f.date, h.topic HAVING SUM(h.cnt) > 0 "
              "ORDER BY f.date NULLS LAST, f.id, hits DESC, h.topic")
    df = _hit_query(corpus, flt, topics, select, article_id=article_id)
    if df is None:
        return pd.DataFrame(columns=cols)
    df["date"] = as_dates(df["date"])
    return df[cols]


@view
def keyword_hits(corpus: Corpus, flt: Filter | None = None, topics=None) -> pd.DataFrame:
    """What each keyword contributes under the filter: topic, keyword, hits (each occurrence once,
    under its longest matched phrase), articles (with at least one such hit), terms (the matched
    term labels).  Every keyword of the lexicon has a row, zeros included."""
    topics = corpus.resources.topics if topics is None else topics
    cols = ["topic", "keyword", "hits", "articles", "terms"]
    allkw = pd.DataFrame([(t.id, k) for t in topics for k in t.keywords], columns=["topic", "keyword"]).drop_duplicates()
    tt = topic_term_ids(corpus, topics)
    if tt.empty:
        return allkw.assign(hits=0, articles=0, terms="")[cols]
    where, params = corpus.where(flt)
    cur = corpus.con.cursor()
    cur.register("tt", tt[["topic", "tid"]])
    cur.register("par", _nested(tt))
    cur.register("kw", tt[["topic", "keyword", "tid"]])
    agg = cur.execute(
        "WITH " + _HITS.format(where=where) +
        "SELECT kw.topic, kw.keyword, CAST(SUM(h.cnt) AS BIGINT) AS hits, "
        "CAST(COUNT(DISTINCT h.aid) FILTER (WHERE h.cnt > 0) AS BIGINT) AS articles "
        "FROM h JOIN kw USING (topic, tid) GROUP BY kw.topic, kw.keyword", params).df()
    labels = tt.groupby(["topic", "keyword"], sort=False)["label"].agg(" · ".join).rename("terms").reset_index()
    agg = labels.merge(agg, on=["topic", "keyword"], how="left")
    out = allkw.merge(agg, on=["topic", "keyword"], how="left")
    out["hits"] = out["hits"].fillna(0).astype("int64")
    out["articles"] = out["articles"].fillna(0).astype("int64")
    out["terms"] = out["terms"].fillna("")
    return out[cols].sort_values(["topic", "hits", "keyword"], ascending=[True, False, True], kind="stable"
                                 ).reset_index(drop=True)


@view
def topic_by_outlet(corpus: Corpus, flt: Filter | None = None, topics=None) -> pd.DataFrame:
    """Topic hits per outlet, raw and per 1,000 words of that outlet's filtered articles.

    Columns: outlet, topic, name_ar, name_en, hits, articles (with at least one hit), words, per_1000.
    Every (outlet, topic) pair is present, zeros included, so heatmaps have no holes.
    """
    where, params = corpus.where(flt)
    words = corpus.sql(f"SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM articles a WHERE {where} GROUP BY outlet", params)
    names = _topic_names(corpus, topics)
    # aggregated in the database: per article first (for "articles"), then per outlet
    select = (", pa AS (SELECT f.outlet, h.topic, h.aid, SUM(h.cnt) AS hits FROM h JOIN f USING (aid) "
              "GROUP BY f.outlet, h.topic, h.aid HAVING SUM(h.cnt) > 0) "
              "SELECT outlet, topic, CAST(SUM(hits) AS BIGINT) AS hits, CAST(COUNT(*) AS BIGINT) AS articles "
              "FROM pa GROUP BY outlet, topic")
    if _use_days(corpus, flt, topics):
        agg = _days(corpus, flt, "SELECT outlet, topic, CAST(SUM(hits) AS BIGINT) AS hits, "
                                 "CAST(SUM(articles) AS BIGINT) AS articles FROM d GROUP BY outlet, topic")
    else:
        agg = _hit_query(corpus, flt, topics, select)
    if agg is None:
        agg = pd.DataFrame(columns=["outlet", "topic", "hits", "articles"])
    grid = words.merge(names, how="cross")
    out = grid.merge(agg, on=["outlet", "topic"], how="left")
    out["hits"] = out["hits"].fillna(0).astype("int64")
    out["articles"] = out["articles"].fillna(0).astype("int64")
    out["words"] = out["words"].fillna(0).astype("int64")
    out["per_1000"] = (1000.0 * out["hits"] / out["words"].where(out["words"] > 0)).fillna(0).round(3)
    return out[["outlet", "topic", "name_ar", "name_en", "hits", "articles", "words", "per_1000"]].sort_values(
        ["outlet", "hits", "topic"], ascending=[True, False, True]).reset_index(drop=True)


@view
def topic_trend(corpus: Corpus, flt: Filter | None = None, topics=None, freq: str = "W") -> pd.DataFrame:
    """Topic hits per period (D/W/M). Columns period, topic, name_ar, name_en, hits, articles.

    DuckDB sums per day (an article has one date, so its distinct articles per day add up to the
    period's); the days are folded into periods here."""
    cols = ["period", "topic", "name_ar", "name_en", "hits", "articles"]
    select = ("SELECT f.date, h.topic, CAST(SUM(h.cnt) AS BIGINT) AS hits, "
              "CAST(COUNT(DISTINCT h.aid) FILTER (WHERE h.cnt > 0) AS BIGINT) AS articles FROM h JOIN f USING (aid) "
              "WHERE f.date IS NOT NULL GROUP BY f.date, h.topic HAVING SUM(h.cnt) > 0")
    if _use_days(corpus, flt, topics):
        daily = _days(corpus, flt, "SELECT date, topic, CAST(SUM(hits) AS BIGINT) AS hits, "
                                   "CAST(SUM(articles) AS BIGINT) AS articles FROM d WHERE date IS NOT NULL "
                                   "GROUP BY date, topic HAVING SUM(hits) > 0")
    else:
        daily = _hit_query(corpus, flt, topics, select)
    if daily is None or daily.empty:
        return pd.DataFrame(columns=cols)
    out = fold_days(daily, "topic", ["hits", "articles"], freq)
    out = out.merge(_topic_names(corpus, topics), on="topic", how="left")
    return out[cols]
