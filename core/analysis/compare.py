"""Source by source, on a built corpus under a filter.

The statistics live in ``distinctive``, ``variants``, ``reuse`` and ``quotes`` (plain pandas in,
pandas out); this module feeds them from the store and applies the filter, for the Compare
and Reuse & quotes pages and for the CLI's distinctive/reuse/quotes/variants CSVs.
"""
from __future__ import annotations

import dataclasses

import pandas as pd

from core.analysis import distinctive as dist
from core.analysis import variants as var
from core.analysis.overview import as_dates, forms_text
from core.filter import Filter
from core.index.viewcache import view

DISTINCTIVE_COLUMNS = ["side", "term", "label", "count_a", "count_b", "delta", "z", "forms"]


@view
def term_counts(corpus, flt: Filter | None = None, n: int = 1) -> pd.DataFrame:
    """Long frame outlet, term (grouping key), count of the filtered articles."""
    scope = corpus.outlet_scope(flt)
    if scope is not None:  # outlets only: per-outlet totals from ingestion
        cond = "AND list_contains($outlets, o.outlet)" if scope else ""
        return corpus.sql(
            f"SELECT o.outlet, v.key AS term, o.count FROM outlet_terms o JOIN vocab v USING (tid) WHERE o.n = $n {cond}",
            {"n": int(n), **({"outlets": scope} if scope else {})},
        )
    where, params = corpus.where(flt)
    return corpus.sql(
        f"SELECT a.outlet, v.key AS term, CAST(SUM(t.cnt) AS BIGINT) AS count FROM terms t JOIN articles a USING (aid) "
        f"JOIN vocab v USING (tid) WHERE t.n = $n AND {where} GROUP BY 1, 2",
        {**params, "n": int(n)},
    )


def _labelled(corpus, df: pd.DataFrame, n: int) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=[c for c in DISTINCTIVE_COLUMNS if c != "side"])
    lab = corpus.sql("SELECT key AS term, label, forms FROM vocab WHERE n = $n AND list_contains($t, key)",
                     {"n": int(n), "t": list(df["term"])})
    out = df.reset_index(drop=True).merge(lab, on="term", how="left")
    out["label"] = out["label"].fillna(out["term"])
    out["forms"] = out["forms"].map(forms_text)
    out["delta"] = out["delta"].round(4)
    out["z"] = out["z"].round(3)
    return out[["term", "label", "count_a", "count_b", "delta", "z", "forms"]]


def _top_both_sides(df: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The ``limit`` most distinctive terms of side A (highest z) and of side B (lowest z)."""
    if df.empty:
        return df.assign(side=pd.Series(dtype="str"))
    a = df[df["z"] > 0].nlargest(limit, "z").assign(side="A")
    b = df[df["z"] < 0].nsmallest(limit, "z").assign(side="B")
    return pd.concat([a, b], ignore_index=True)[DISTINCTIVE_COLUMNS]


def _top_labelled(corpus, res: pd.DataFrame, n: int, limit: int) -> pd.DataFrame:
    """``_top_both_sides(_labelled(corpus, res, n), limit)``, labelling only the rows it keeps (the
    labels and forms of tens of thousands of terms were looked up and parsed to show fifty)."""
    if res.empty:
        return _top_both_sides(_labelled(corpus, res, n), limit)
    r = res.reset_index(drop=True)
    r = r.assign(delta=r["delta"].round(4), z=r["z"].round(3))
    a = r[r["z"] > 0].nlargest(limit, "z").assign(side="A")
    b = r[r["z"] < 0].nsmallest(limit, "z").assign(side="B")
    top = pd.concat([a, b], ignore_index=True)
    lab = corpus.sql("SELECT key AS term, label, forms FROM vocab WHERE n = $n AND list_contains($t, key)",
                     {"n": int(n), "t": list(top["term"])})
    out = top.merge(lab, on="term", how="left")
    out["label"] = out["label"].fillna(out["term"])
    out["forms"] = out["forms"].map(forms_text)
    return out[DISTINCTIVE_COLUMNS]


@view
def distinctive(corpus, flt: Filter | None = None, a: str | None = None, b: str | None = None, n: int = 1,
                min_count: int = 5, limit: int = 25) -> pd.DataFrame:
    """Distinctive terms of outlet ``a`` against outlet ``b`` (or against every other outlet when b is None).

    Weighted log-odds with an informative Dirichlet prior from the filtered corpus (Monroe et al. 2008).
    Columns: side (A: typical of a; B: typical of b / the rest), term, label, count_a, count_b, delta, z, forms.
    """
    if a is None:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    res = _log_odds_sql(corpus, flt, a, b, n, min_count, limit)
    if res.empty:  # no articles, an unknown outlet, or no term reaching min_count
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    return _top_labelled(corpus, res, n, limit)


def _log_odds_sql(corpus, flt, a, b, n, min_count, limit) -> pd.DataFrame:
    """``distinctive.pair`` / ``outlet_vs_rest`` computed inside DuckDB over integer term ids (the same
    formula, operation for operation), returning only the rows either side could show: the most and
    the least distinctive, with a margin for ties once z is rounded. The outlet × term counts (~1M rows
    at 100k articles) are no longer pulled into pandas to be grouped there."""
    scope = corpus.outlet_scope(flt)
    params = {"n": int(n), "oa": a, "min": int(min_count), "lim": int(limit) * 4 + 50}
    if scope is not None:
        cond = "AND list_contains($outlets, outlet)" if scope else ""
        counts = f"SELECT outlet, tid, count FROM outlet_terms WHERE n = $n {cond}"
        if scope:
            params["outlets"] = scope
    else:
        where, wparams = corpus.where(flt)
        params.update(wparams)
        counts = (f"SELECT a.outlet, t.tid, SUM(t.cnt) AS count FROM terms t JOIN articles a USING (aid) "
                  f"WHERE t.n = $n AND {where} GROUP BY 1, 2")
    if b is None:
        side_b = "outlet <> $oa"
    else:
        side_b, params["ob"] = "outlet = $ob", b
    df = corpus.sql(
        f"""
        WITH c AS ({counts}),
        g AS (SELECT tid, CAST(SUM(CASE WHEN outlet = $oa THEN count ELSE 0 END) AS DOUBLE) AS ya,
                     CAST(SUM(CASE WHEN {side_b} THEN count ELSE 0 END) AS DOUBLE) AS yb,
                     CAST(SUM(count) AS DOUBLE) AS p FROM c GROUP BY tid),
        tot AS (SELECT SUM(ya) AS na, SUM(yb) AS nb, SUM(p) AS pt, LEAST(SUM(ya), SUM(yb)) AS a0 FROM g),
        s AS (SELECT g.tid, g.ya, g.yb, tot.na, tot.nb, tot.a0, tot.a0 * g.p / tot.pt AS alpha
              FROM g, tot WHERE tot.na > 0 AND tot.nb > 0 AND g.ya + g.yb >= $min),
        d AS (SELECT tid, ya, yb, LN((ya + alpha) / (na + a0 - ya - alpha)) - LN((yb + alpha) / (nb + a0 - yb - alpha)) AS delta,
                     1.0 / (ya + alpha) + 1.0 / (yb + alpha) AS var FROM s WHERE alpha > 0),
        z AS (SELECT d.*, d.delta / SQRT(d.var) AS z, v.key AS term FROM d JOIN vocab v USING (tid))
        (SELECT term, ya, yb, delta, var, z FROM z WHERE z > 0 ORDER BY z DESC, term LIMIT $lim)
        UNION ALL
        (SELECT term, ya, yb, delta, var, z FROM z WHERE z < 0 ORDER BY z ASC, term LIMIT $lim)
        """,
        params,
    )
    if df.empty:
        return pd.DataFrame(columns=dist.COLUMNS)
    df = df.assign(count_a=df["ya"].astype("int64"), count_b=df["yb"].astype("int64"))[dist.COLUMNS]
    return df.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")


@view
def distinctive_dates(corpus, flt: Filter | None, range_a: tuple, range_b: tuple, n: int = 1,
                      min_count: int = 5, limit: int = 25) -> pd.DataFrame:
    """Distinctive terms of one date range against another (same outlets and query as ``flt``)."""
    flt = flt or Filter()
    fa = dataclasses.replace(flt, date_from=range_a[0], date_to=range_a[1], undated="exclude")
    fb = dataclasses.replace(flt, date_from=range_b[0], date_to=range_b[1], undated="exclude")
    ca = term_counts(corpus, fa, n).groupby("term")["count"].sum()
    cb = term_counts(corpus, fb, n).groupby("term")["count"].sum()
    if ca.empty or cb.empty:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    res = dist.log_odds(ca, cb, prior=ca.add(cb, fill_value=0), min_count=min_count)
    return _top_labelled(corpus, res, n, limit)


@view
def distinctive_all(corpus, flt: Filter | None = None, n: int = 1, min_count: int = 5, limit: int = 50) -> pd.DataFrame:
    """Every outlet against the rest (the CLI's distinctive.csv): outlet, side, term, label, counts, delta, z."""
    counts = term_counts(corpus, flt, n)
    frames = []
    for outlet in sorted(counts["outlet"].unique()) if not counts.empty else []:
        if counts["outlet"].nunique() < 2:
            break
        res = _labelled(corpus, dist.outlet_vs_rest(counts, outlet, min_count=min_count), n)
        if res.empty:  # no term reaches min_count (a small corpus): the empty frame's z is not numeric
            continue
        top = res[res["z"] > 0].nlargest(limit, "z")
        frames.append(top.assign(outlet=outlet))
    if not frames:
        return pd.DataFrame(columns=["outlet", "term", "label", "count_a", "count_b", "delta", "z"])
    out = pd.concat(frames, ignore_index=True)
    return out.rename(columns={"count_a": "count_outlet", "count_b": "count_rest"})[
        ["outlet", "term", "label", "count_outlet", "count_rest", "delta", "z"]]


@view
def similarity(corpus, flt: Filter | None = None, n: int = 1) -> pd.DataFrame:
    """Outlet × outlet cosine similarity over TF-IDF of grouped terms, as a long frame outlet_a, outlet_b, similarity."""
    scope = corpus.outlet_scope(flt)
    params = {"n": int(n)}
    if scope is not None:
        cond = "AND list_contains($outlets, outlet)" if scope else ""
        counts = f"SELECT outlet, tid, count FROM outlet_terms WHERE n = $n AND count > 0 {cond}"
        if scope:
            params["outlets"] = scope
    else:
        where, wparams = corpus.where(flt)
        params.update(wparams)
        counts = (f"SELECT a.outlet, t.tid, SUM(t.cnt) AS count FROM terms t JOIN articles a USING (aid) "
                  f"WHERE t.n = $n AND {where} GROUP BY 1, 2 HAVING SUM(t.cnt) > 0")
    # scikit-learn's TfidfTransformer (smooth idf = ln((1 + N) / (1 + df)) + 1, l2 norm) over the outlets
    # as documents, as in distinctive.tfidf_similarity, but summed in DuckDB over term ids
    long = corpus.sql(
        f"""
        WITH c AS ({counts}),
        nd AS (SELECT CAST(COUNT(DISTINCT outlet) AS DOUBLE) AS docs FROM c),
        df AS (SELECT tid, CAST(COUNT(*) AS DOUBLE) AS df FROM c GROUP BY tid),
        w AS (SELECT c.outlet, c.tid, c.count * (LN((1 + nd.docs) / (1 + df.df)) + 1) AS w FROM c JOIN df USING (tid), nd),
        nrm AS (SELECT outlet, SQRT(SUM(w * w)) AS nrm FROM w GROUP BY outlet),
        dot AS (SELECT x.outlet AS outlet_a, y.outlet AS outlet_b, SUM(x.w * y.w) AS d FROM w x JOIN w y USING (tid)
                GROUP BY 1, 2),
        pairs AS (SELECT p.outlet AS outlet_a, q.outlet AS outlet_b, p.nrm AS na, q.nrm AS nb FROM nrm p, nrm q)
        SELECT pairs.outlet_a, pairs.outlet_b, COALESCE(dot.d / (pairs.na * pairs.nb), 0.0) AS similarity
        FROM pairs LEFT JOIN dot USING (outlet_a, outlet_b) ORDER BY pairs.outlet_a, pairs.outlet_b
        """,
        params,
    )
    if long.empty:
        return pd.DataFrame(columns=["outlet_a", "outlet_b", "similarity"])
    long["similarity"] = long["similarity"].clip(0.0, 1.0).round(4)
    return long


@view
def variant_counts(corpus, flt: Filter | None = None) -> pd.DataFrame:
    where, params = corpus.where(flt)
    return corpus.sql(
        f"SELECT a.outlet, v.grp AS \"group\", v.variant, CAST(SUM(v.cnt) AS BIGINT) AS count FROM variants v JOIN articles a USING (aid) "
        f"WHERE {where} GROUP BY 1, 2, 3",
        params,
    )


@view
def variant_table(corpus, flt: Filter | None = None) -> pd.DataFrame:
    """The spelling fingerprint (the CLI's variants.csv): outlet, group, variant, count, share."""
    out = var.variant_shares(variant_counts(corpus, flt))
    if not out.empty:
        out["share"] = out["share"].round(4)
    return out


# -- reuse ---------------------------------------------------------------------------------------
PAIR_COLUMNS = ["a_id", "b_id", "outlet_a", "outlet_b", "date_a", "date_b", "title_a", "title_b", "shared",
                "containment_a", "containment_b", "containment", "passages", "longest", "direction",
                "source_outlet", "target_outlet"]


def _has_table(corpus, name: str) -> bool:
    return bool(corpus.rows("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = $n", {"n": name})[0][0])


@view
def reuse_pairs(corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """Article pairs of different outlets that share passages, ranked by the larger containment.

    A pair is shown when both articles pass the filter's dates and query and at least one of them
    is from a selected outlet (so "one outlet" shows what it shares with every other). Outlets and
    dates are read from the articles table, so corrections apply.
    """
    if not _has_table(corpus, "reuse_pairs") or not corpus.rows("SELECT COUNT(*) FROM reuse_pairs")[0][0]:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    flt = flt or Filter()
    base = dataclasses.replace(flt, outlets=())
    where_a, params = corpus.where(base, "x")
    where_b, _ = corpus.where(base, "y")
    cond = ""
    if flt.outlets:
        params = {**params, "sel": list(flt.outlets)}
        cond = " AND (list_contains($sel, x.outlet) OR list_contains($sel, y.outlet))"
    lim = f" LIMIT {int(limit)}" if limit else ""
    df = corpus.sql(
        f"""
        SELECT x.id AS a_id, y.id AS b_id, x.outlet AS outlet_a, y.outlet AS outlet_b, x.date AS date_a, y.date AS date_b,
               x.title AS title_a, y.title AS title_b, p.shared, p.containment_a, p.containment_b, p.containment,
               p.passages, p.longest,
               CASE WHEN x.date IS NULL OR y.date IS NULL OR x.date = y.date THEN ''
                    WHEN x.date < y.date THEN 'a→b' ELSE 'b→a' END AS direction
        FROM reuse_pairs p JOIN articles x ON x.aid = p.a JOIN articles y ON y.aid = p.b
        WHERE x.outlet <> y.outlet AND {where_a} AND {where_b}{cond}
        ORDER BY p.containment DESC, p.shared DESC, x.id, y.id{lim}
        """,
        params,
    )
    df["source_outlet"] = [oa if d == "a→b" else ob if d == "b→a" else "" for d, oa, ob in
                           zip(df["direction"], df["outlet_a"], df["outlet_b"])]
    df["target_outlet"] = [ob if d == "a→b" else oa if d == "b→a" else "" for d, oa, ob in
                           zip(df["direction"], df["outlet_a"], df["outlet_b"])]
    for c in ("containment_a", "containment_b", "containment"):
        df[c] = df[c].astype(float).round(4)
    df["date_a"], df["date_b"] = as_dates(df["date_a"]), as_dates(df["date_b"])
    return df[PAIR_COLUMNS]


@view
def reuse_passages(corpus, a_id: str, b_id: str) -> pd.DataFrame:
    """The aligned shared passages of one pair, as each article writes them: passage_id, words, text_a, text_b."""
    if not _has_table(corpus, "reuse_passages"):
        return pd.DataFrame(columns=["passage_id", "words", "text_a", "text_b"])
    return corpus.sql(
        "SELECT s.passage_id, s.words, s.text_a, s.text_b FROM reuse_passages s "
        "JOIN articles x ON x.aid = s.a JOIN articles y ON y.aid = s.b "
        "WHERE (x.id = $a AND y.id = $b) ORDER BY s.start_a",
        {"a": a_id, "b": b_id},
    )


@view
def reuse_matrix(corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Outlet × outlet reuse as a long frame: outlet_a, outlet_b, pairs, containment (mean), a_first, b_first."""
    pairs = reuse_pairs(corpus, flt)
    cols = ["outlet_a", "outlet_b", "pairs", "containment", "a_first", "b_first", "same_time"]
    if pairs.empty:
        return pd.DataFrame(columns=cols)
    from core.analysis.reuse import reuse_graph

    _nodes, edges = reuse_graph(pairs.assign(a=pairs["a_id"], b=pairs["b_id"]))
    edges = edges.copy()
    edges["containment"] = edges["containment"].astype(float).round(4)
    return edges[[c for c in cols if c in edges.columns]]


@view
def reuse_network(corpus, flt: Filter | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    pairs = reuse_pairs(corpus, flt)
    from core.analysis.reuse import reuse_graph

    return reuse_graph(pairs.assign(a=pairs["a_id"], b=pairs["b_id"]))


# -- quotes --------------------------------------------------------------------------------------
QUOTE_COLUMNS = ["article_id", "outlet", "date", "speaker", "speaker_title", "text", "cue", "how"]


@view
def quote_count(corpus, flt: Filter | None = None) -> int:
    """How many rows :func:`quotes` returns under ``flt``."""
    if not _has_table(corpus, "quotes"):
        return 0
    where, params = corpus.where(flt)
    return int(corpus.rows(f"SELECT COUNT(*) FROM quotes q JOIN articles a USING (aid) WHERE {where}", params)[0][0])


@view
def quotes(corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """Quoted statements of the filtered articles (the CLI's quotes.csv), the first ``limit`` of them when
    given. Unattributed speaker is empty."""
    if not _has_table(corpus, "quotes"):
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    where, params = corpus.where(flt)
    lim = f" LIMIT {int(limit)}" if limit else ""
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
    return df[QUOTE_COLUMNS]


def _has_column(corpus, table: str, column: str) -> bool:
    return bool(corpus.rows("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = $t AND column_name = $c",
                            {"t": table, "c": column})[0][0])


@view
def quote_speakers(corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Who is quoted how often, per outlet: outlet, speaker, quotes (unattributed quotes are left out)."""
    cols = ["outlet", "speaker", "quotes"]
    if not _has_table(corpus, "quotes"):
        return pd.DataFrame(columns=cols)
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
def same_statements(corpus, flt: Filter | None = None, threshold: int = 70) -> pd.DataFrame:
    """The same statement across outlets, each outlet's wording side by side:
    statement_id, speaker, outlet, article_id, text.

    Statements are clustered once at ingestion over the whole corpus (``core.extract.quotes.cluster_statements``);
    the filter then keeps a cluster when its filtered quotes still span two outlets or more.
    (``threshold`` applies to corpora built before the clusters were stored.)
    """
    cols = ["statement_id", "speaker", "outlet", "article_id", "text"]
    if not _has_table(corpus, "statements"):
        return _cluster_now(corpus, flt, threshold)
    where, params = corpus.where(flt)
    df = corpus.sql(
        f"""
        WITH q AS (
            SELECT s.statement_id, s.speaker, a.outlet, a.id AS article_id, q.text, a.date, q.start_
            FROM statements s JOIN quotes q ON q.aid = s.aid AND q.quote_id = s.quote_id
            JOIN articles a ON a.aid = s.aid WHERE {where}
        )
        SELECT * FROM q WHERE statement_id IN
            (SELECT statement_id FROM q GROUP BY statement_id HAVING COUNT(DISTINCT outlet) >= 2)
        ORDER BY statement_id, date NULLS LAST, article_id, start_
        """,
        params,
    )
    df["speaker"] = df["speaker"].fillna("")
    return df[cols]


def _cluster_now(corpus, flt, threshold) -> pd.DataFrame:
    from core.extract.quotes import cluster_statements as cluster

    q = quotes(corpus, flt)
    cols = ["statement_id", "speaker", "outlet", "article_id", "text"]
    if q.empty:
        return pd.DataFrame(columns=cols)
    frame = q.rename(columns={"article_id": "aid"}).assign(speaker=q["speaker"].replace("", None))
    frame["quote_id"] = range(len(frame))
    res = cluster(frame, threshold=threshold)
    if res.empty:
        return pd.DataFrame(columns=cols)
    res = res.rename(columns={"aid": "article_id"})
    res["speaker"] = res["speaker"].fillna("")
    return res[[c for c in cols if c in res.columns]]
