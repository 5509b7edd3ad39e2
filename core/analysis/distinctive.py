"""Distinctive vocabulary: which terms one outlet uses more than another.

The score is the weighted log-odds ratio with an informative Dirichlet prior of
Monroe, Colaresi & Quinn (2008), "Fightin' Words", *Political Analysis* 16(4),
eq. 16-22.  For a term *w*, counts ``y_a``, ``y_b`` in the two samples of sizes
``n_a``, ``n_b`` (all tokens of each sample) and prior pseudo-counts ``α_w``
(summing to ``α_0``)::

    δ_w = log((y_a + α_w) / (n_a + α_0 − y_a − α_w))
        − log((y_b + α_w) / (n_b + α_0 − y_b − α_w))          (eq. 16)
    var(δ_w) ≈ 1 / (y_a + α_w) + 1 / (y_b + α_w)              (eq. 20)
    z_w = δ_w / sqrt(var(δ_w))                                (eq. 22)

The prior is *informative*: ``α_w = α_0 · π_w`` where ``π_w`` is the term's
share of the whole corpus (all outlets).  Its total weight ``α_0`` is, unless
``prior_scale`` says otherwise, the size of the smaller of the two samples: the
corpus then counts as much as the smaller sample, so a term seen a handful of
times in one outlet is pulled about halfway towards its corpus rate, while a term
seen hundreds of times is barely moved.  (With a tiny ``α_0`` rare terms get a
huge variance, with ``α_0`` far above the samples every δ shrinks to 0; the
z-scores are not very sensitive between ``α_0 = 0.1·n`` and ``α_0 = n``.)

Counts come in as plain pandas: a Series indexed by term, or a long frame
``[outlet, term, count]``.  The store queries at the end of the module (``distinctive_outlets``,
``distinctive_dates``, ``distinctive_all``, ``similarity``) feed them from a built corpus under a
filter, for the Compare page and the CLI's distinctive.csv; the outlet-against-outlet log-odds and
the similarity run the same formulas inside DuckDB over integer term ids.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import dataclasses

import numpy as np
import pandas as pd

from core.analysis.overview import forms_text
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

COLUMNS = ["term", "count_a", "count_b", "delta", "var", "z"]


def log_odds(
    counts_a: pd.Series,
    counts_b: pd.Series,
    prior: pd.Series | None = None,
    min_count: int = 5,
    prior_scale: float | None = None,
) -> pd.DataFrame:
    """Weighted log-odds ratio of every term, sample A against sample B.

    ``counts_a`` / ``counts_b``: term → count.  ``prior``: term → count in the
    whole corpus (default: ``counts_a + counts_b``); terms missing from it get
    their A+B count.  ``prior_scale``: the prior's total weight α_0 (default:
    ``min(n_a, n_b)``).  Only terms with ``count_a + count_b >= min_count`` are
    returned, sorted by ``z`` descending (A's most distinctive first).

    >>> a = pd.Series({"سورية": 30, "لافروف": 10})
    >>> b = pd.Series({"سوريا": 30, "لافروف": 10})
    >>> r = log_odds(a, b)
    >>> bool(r.loc["سورية", "z"] > 2 > 0 > r.loc["سوريا", "z"]), float(r.loc["لافروف", "z"])
    (True, 0.0)
    """
    a = pd.Series(counts_a, dtype="float64")
    b = pd.Series(counts_b, dtype="float64")
    terms = a.index.union(b.index)
    if prior is not None:
        terms = terms.union(pd.Index(prior.index))
    a = a.reindex(terms, fill_value=0.0)
    b = b.reindex(terms, fill_value=0.0)
    if prior is None:
        p = a + b
    else:
        p = pd.Series(prior, dtype="float64").reindex(terms)
        p = p.fillna(a + b)
    n_a, n_b = float(a.sum()), float(b.sum())
    if n_a <= 0 or n_b <= 0:
        return pd.DataFrame(columns=COLUMNS)
    alpha_0 = float(prior_scale) if prior_scale is not None else min(n_a, n_b)
    alpha = alpha_0 * p / float(p.sum())
    keep = ((a + b) >= min_count) & (alpha > 0)
    a, b, alpha = a[keep], b[keep], alpha[keep]
    delta, var = log_odds_arrays(a, b, alpha, n_a, n_b, alpha_0)
    out = pd.DataFrame(
        {
            "term": a.index,
            "count_a": a.to_numpy().astype("int64"),
            "count_b": b.to_numpy().astype("int64"),
            "delta": np.asarray(delta),
            "var": np.asarray(var),
            "z": (delta / np.sqrt(var)).to_numpy(),
        },
        index=pd.Index(a.index.to_numpy(), name=None),
    )
    return out.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")


def log_odds_arrays(a, b, alpha, n_a, n_b, alpha_0):
    """The weighted log-odds ``(delta, var)`` of counts ``a`` against ``b`` with prior weights
    ``alpha`` (Monroe et al. 2008): the one formula behind :func:`log_odds` and the one-pass version
    of several comparisons at once (2-D arrays, one column per comparison, broadcasting ``n_a``,
    ``n_b`` and ``alpha_0`` per column).  ``z`` is ``delta / sqrt(var)``.

    >>> d, v = log_odds_arrays(np.array([30.0]), np.array([30.0]), np.array([1.0]), 40.0, 40.0, 40.0)
    >>> float(d[0]), round(float(v[0]), 4)
    (0.0, 0.0645)
    """
    delta = np.log((a + alpha) / (n_a + alpha_0 - a - alpha)) - np.log((b + alpha) / (n_b + alpha_0 - b - alpha))
    var = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    return delta, var


def each_outlet_vs_rest(counts: pd.DataFrame, min_count: int = 5) -> tuple[pd.Index, list, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`outlet_vs_rest` of every outlet of ``counts`` at once: ``(terms, outlets, count_a,
    count_b, z)``, the last three terms × outlets arrays, ``z`` NaN where :func:`outlet_vs_rest`
    leaves the term out (below ``min_count``, or an outlet with no counts or no rest).  One pivot
    and one vectorised formula instead of three group-bys and a sort per outlet.

    >>> c = pd.DataFrame({"outlet": ["الثورة", "الثورة", "شينخوا", "شينخوا"],
    ...                   "term": ["سورية", "لافروف", "سوريا", "لافروف"],
    ...                   "count": [30, 10, 30, 10]})
    >>> terms, outlets, ca, cb, z = each_outlet_vs_rest(c)
    >>> terms[int(np.nanargmax(z[:, outlets.index("الثورة")]))]
    'سورية'
    """
    codes_t, terms = pd.factorize(counts["term"], sort=True)
    codes_o, outlets = pd.factorize(counts["outlet"], sort=True)
    m = np.zeros((len(terms), len(outlets)))
    np.add.at(m, (codes_t, codes_o), counts["count"].to_numpy(dtype="float64"))
    total = m.sum(axis=1, keepdims=True)
    a, b = m, total - m
    n_a, n_b = a.sum(axis=0), b.sum(axis=0)
    alpha_0 = np.minimum(n_a, n_b)
    alpha = alpha_0 * total / float(total.sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        delta, var = log_odds_arrays(a, b, alpha, n_a, n_b, alpha_0)
        z = delta / np.sqrt(var)
    keep = ((a + b) >= min_count) & (alpha > 0) & (n_a > 0) & (n_b > 0)
    z = np.where(keep, z, np.nan)
    return pd.Index(terms), list(outlets), a.astype("int64"), b.astype("int64"), z


def _term_counts(counts: pd.DataFrame, mask: pd.Series | None = None) -> pd.Series:
    rows = counts if mask is None else counts[mask]
    return rows.groupby("term")["count"].sum()


def outlet_vs_rest(counts: pd.DataFrame, outlet: str, **kwargs) -> pd.DataFrame:
    """Distinctive terms of one outlet against all other outlets together.

    ``counts``: long frame ``[outlet, term, count]``; the prior is the whole
    corpus.  Extra keyword arguments go to :func:`log_odds`.

    >>> c = pd.DataFrame({"outlet": ["الثورة", "الثورة", "شينخوا", "شينخوا"],
    ...                   "term": ["سورية", "لافروف", "سوريا", "لافروف"],
    ...                   "count": [30, 10, 30, 10]})
    >>> outlet_vs_rest(c, "الثورة")["term"].iloc[0]
    'سورية'
    """
    mine = counts["outlet"] == outlet
    return log_odds(
        _term_counts(counts, mine), _term_counts(counts, ~mine), prior=_term_counts(counts), **kwargs
    )


def pair(counts: pd.DataFrame, a: str, b: str, **kwargs) -> pd.DataFrame:
    """Distinctive terms of outlet ``a`` against outlet ``b`` (negative z: typical of ``b``).

    The prior is the whole corpus (every outlet in ``counts``).

    >>> c = pd.DataFrame({"outlet": ["الثورة", "شينخوا"], "term": ["سورية", "سوريا"], "count": [30, 30]})
    >>> pair(c, "الثورة", "شينخوا")["term"].tolist()
    ['سورية', 'سوريا']
    """
    return log_odds(
        _term_counts(counts, counts["outlet"] == a),
        _term_counts(counts, counts["outlet"] == b),
        prior=_term_counts(counts),
        **kwargs,
    )


def tfidf_similarity(counts: pd.DataFrame) -> pd.DataFrame:
    """Outlet × outlet cosine similarity of the outlets' TF-IDF term vectors.

    Each outlet is one document (its summed term counts); scikit-learn's
    ``TfidfTransformer`` (smoothed idf, l2 norm) weights them, so the dot product
    is the cosine.  The diagonal is 1 for every outlet with at least one term.

    >>> c = pd.DataFrame({"outlet": ["الثورة", "شينخوا"], "term": ["سورية", "سورية"], "count": [3, 5]})
    >>> float(tfidf_similarity(c).loc["الثورة", "شينخوا"])
    1.0
    """
    # imported here: scikit-learn takes ~1 s to import, which every append and correction paid for the
    # similarity rollup that does not use it (the app imports it before freezing its heap)
    from sklearn.feature_extraction.text import TfidfTransformer

    wide = counts.pivot_table(index="outlet", columns="term", values="count", aggfunc="sum", fill_value=0)
    if wide.empty:
        return pd.DataFrame(dtype="float64")
    x = TfidfTransformer().fit_transform(wide.to_numpy(dtype="float64"))
    sim = (x @ x.T).toarray()
    sim = np.clip(sim, 0.0, 1.0)
    names = list(wide.index)
    out = pd.DataFrame(sim, index=pd.Index(names, name="outlet"), columns=pd.Index(names, name="outlet"))
    return out


# -- on the store -------------------------------------------------------------------------------
DISTINCTIVE_COLUMNS = ["side", "term", "label", "count_a", "count_b", "delta", "z", "forms"]


def _outlet_term_counts(corpus: Corpus, flt: Filter | None, n: int) -> tuple[str, dict]:
    """``(sql, params)`` of the filtered articles' non-zero counts as rows outlet, tid, count: the
    per-outlet totals from ingestion when the filter is outlets only, else summed over the articles."""
    scope = corpus.outlet_scope(flt)
    if scope is not None:
        cond = "AND list_contains($outlets, outlet)" if scope else ""
        return (f"SELECT outlet, tid, count FROM outlet_terms WHERE n = $n AND count > 0 {cond}",
                {"n": int(n), **({"outlets": scope} if scope else {})})
    where, params = corpus.where(flt)
    return (f"SELECT a.outlet, t.tid, SUM(t.cnt) AS count FROM terms t JOIN articles a USING (aid) "
            f"WHERE t.n = $n AND {where} GROUP BY 1, 2 HAVING SUM(t.cnt) > 0", {**params, "n": int(n)})


def month_counts(corpus: Corpus, flt: Filter | None, n: int, by_outlet: bool) -> tuple[str, dict] | None:
    """``(sql, params)`` of a filter's term counts (``[outlet,] tid, count, articles``) from the per-outlet and
    month rollup ``term_months`` for its whole months and undated articles, and from the per-article terms for
    the days at its edges (:func:`core.index.scope.month_parts`); None when that does not apply (a text query,
    no date bound, n > 1, or an index without the rollup).  Two outlets and one month at 100k: about 30k
    rollup rows instead of 207k term rows."""
    from core.index.scope import month_parts

    parts = month_parts(flt) if n == 1 and corpus.has_table("term_months") else None
    if parts is None:
        return None
    mconds, econd, params = parts
    ocond = ""
    if flt.outlets:
        ocond, params = " AND list_contains($outlets, outlet)", {**params, "outlets": list(flt.outlets)}
    key = "outlet, tid" if by_outlet else "tid"
    selects = [f"SELECT {key}, count, articles FROM term_months WHERE {m}{ocond}" for m in mconds]
    if econd != "FALSE":   # the edge days outside whole months, from the per-article terms
        selects.append(f"""SELECT {'a.outlet, ' if by_outlet else ''}t.tid, SUM(t.cnt) AS count, COUNT(*) AS articles
                         FROM terms t JOIN (SELECT aid, outlet FROM articles a WHERE {econd}{ocond}) a USING (aid)
                         WHERE t.n = 1 GROUP BY ALL""")
    union = " UNION ALL ".join(selects) or f"SELECT {key}, count, articles FROM term_months WHERE FALSE"
    return (f"SELECT {key}, CAST(SUM(count) AS BIGINT) AS count, CAST(SUM(articles) AS BIGINT) AS articles "
            f"FROM ({union}) GROUP BY ALL", params)


@view
def outlet_term_frame(corpus: Corpus, flt: Filter | None, n: int = 1) -> pd.DataFrame:
    """The filtered articles' non-zero counts (outlet as a category, tid, count, articles), summed
    once per filter and kept: the Keywords page's top terms (overall and per outlet) and the Compare
    page's outlet comparisons (distinctive terms for any pair, the similarity matrix) all read them
    when the filter needs the per-article terms (dates or a text query).  At 100k under a quoted phrase, summing took
    ~230 ms a view; reading this frame takes ~5 ms.  Every ``terms`` row counts its term at least once,
    so no group sums to zero: a ``HAVING SUM(cnt) > 0`` cost ~30 % of the summing (143 → 99 ms under a
    word query at 100k) for nothing."""
    rolled = month_counts(corpus, flt, n, by_outlet=True)
    if rolled is not None:   # dates and outlets only: the whole months from the rollup
        df = corpus.sql(*rolled)
        df["outlet"] = df["outlet"].astype("category")
        return df
    where, params = corpus.where(flt)
    # grouped by a small integer per outlet (its place in the sorted outlet list), not by the outlet's
    # name: hashing 2M (name, tid) keys under a word query at 100k cost ~25 % more CPU than (code, tid)
    outs = _outlet_list(corpus)
    code = "USMALLINT" if len(outs) < 65535 else "INTEGER"
    # the outlet comes back as its code and becomes a categorical here: DuckDB naming 95k rows and pandas
    # turning the names back into a category took ~25 ms of the ~90 under a word query at 100k
    got = corpus.con.cursor().execute(
        f"""WITH f AS (SELECT a.aid, CAST(COALESCE(list_position($outs, a.outlet), 0) AS {code}) AS oc
                       FROM articles a WHERE {where})
            SELECT f.oc, t.tid, CAST(SUM(t.cnt) AS BIGINT) AS count, CAST(COUNT(*) AS BIGINT) AS articles
            FROM terms t JOIN f USING (aid) WHERE t.n = $n GROUP BY 1, 2""",
        {**params, "n": int(n), "outs": outs}).fetchnumpy()
    return pd.DataFrame({"outlet": _outlets_of(got["oc"], outs), "tid": np.asarray(got["tid"], dtype=np.int32),
                         "count": np.asarray(got["count"], dtype=np.int64),
                         "articles": np.asarray(got["articles"], dtype=np.int64)})


def _outlet_list(corpus: Corpus) -> list[str]:
    """The index's outlets in DuckDB's text order, once per handle: an outlet's code is its place here."""
    return corpus.memo(("outlet_list",), lambda: [r[0] for r in corpus.rows(
        "SELECT DISTINCT outlet FROM articles WHERE outlet IS NOT NULL ORDER BY outlet")])


def _coded_counts(corpus: Corpus, sql: str, params: dict) -> pd.DataFrame:
    """``sql``'s rows (outlet, tid, count) as a frame with the outlet as a category, fetched as outlet codes:
    pulling one outlet's 270k ``outlet_terms`` rows with its name on each took ~40 ms at 100k."""
    outs = _outlet_list(corpus)
    got = corpus.con.cursor().execute(
        f"SELECT CAST(COALESCE(list_position($outs, c.outlet), 0) AS INTEGER) AS oc, c.tid, c.count FROM ({sql}) c",
        {**params, "outs": outs}).fetchnumpy()
    return pd.DataFrame({"outlet": _outlets_of(got["oc"], outs), "tid": np.asarray(got["tid"]),
                         "count": np.asarray(got["count"], dtype=np.int64)})


def _outlets_of(codes, outs: list[str]) -> pd.Categorical:
    """Outlet codes (an outlet's place in ``outs`` from 1, 0 for none) as a categorical of the outlets."""
    return pd.Categorical.from_codes(np.asarray(codes, dtype=np.int32) - 1, categories=outs)


def counts_cursor(corpus: Corpus, flt: Filter | None, n: int):
    """A cursor on which ``counts_df`` is :func:`outlet_term_frame` (outlet, tid, count, articles)."""
    cur = corpus.con.cursor()
    cur.register("counts_df", outlet_term_frame(corpus, flt, n))
    return cur


@view
def term_counts(corpus: Corpus, flt: Filter | None = None, n: int = 1) -> pd.DataFrame:
    """Long frame outlet, term (grouping key), count of the filtered articles."""
    counts, params = _outlet_term_counts(corpus, flt, n)
    return corpus.sql(f"SELECT c.outlet, v.key AS term, CAST(c.count AS BIGINT) AS count FROM ({counts}) c "
                      f"JOIN vocab v USING (tid)", params)


def _with_labels(corpus: Corpus, df: pd.DataFrame, n: int) -> pd.DataFrame:
    """``df`` with each term's corpus label (the term itself when it has none) and its merged forms.

    Looked up by term id when ``df`` has a ``tid`` column (dropped then): a semi-join on the ids reads
    a few row groups of ``vocab`` (2 ms at 100k), where testing every key of it took 39 ms."""
    if "tid" in df.columns:
        lab = corpus.sql("SELECT tid, label, forms FROM vocab WHERE tid IN (SELECT unnest($t))",
                         {"t": [int(t) for t in df["tid"]]})
        out = df.reset_index(drop=True).merge(lab, on="tid", how="left").drop(columns="tid")
    else:
        lab = corpus.sql("SELECT key AS term, label, forms FROM vocab WHERE n = $n AND list_contains($t, key)",
                         {"n": int(n), "t": list(df["term"])})
        out = df.reset_index(drop=True).merge(lab, on="term", how="left")
    out["label"] = out["label"].fillna(out["term"])
    out["forms"] = out["forms"].map(forms_text)
    return out


def _labelled(corpus: Corpus, df: pd.DataFrame, n: int) -> pd.DataFrame:
    if df.empty:
        return pd.DataFrame(columns=[c for c in DISTINCTIVE_COLUMNS if c != "side"])
    out = _with_labels(corpus, df, n)
    out["delta"] = out["delta"].round(4)
    out["z"] = out["z"].round(3)
    return out[["term", "label", "count_a", "count_b", "delta", "z", "forms"]]


def _top_labelled(corpus: Corpus, res: pd.DataFrame, n: int, limit: int) -> pd.DataFrame:
    """The ``limit`` most distinctive terms of side A (highest z) and of side B (lowest z), z rounded
    first, labelled (only the rows kept are looked up: the labels and forms of tens of thousands of
    terms were once parsed to show fifty)."""
    if res.empty:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    r = res.reset_index(drop=True)
    r = r.assign(delta=r["delta"].round(4), z=r["z"].round(3))
    a = r[r["z"] > 0].nlargest(limit, "z").assign(side="A")
    b = r[r["z"] < 0].nsmallest(limit, "z").assign(side="B")
    return _with_labels(corpus, pd.concat([a, b], ignore_index=True), n)[DISTINCTIVE_COLUMNS]


@view
def distinctive_outlets(corpus: Corpus, flt: Filter | None = None, a: str | None = None, b: str | None = None,
                        n: int = 1, min_count: int = 5, limit: int = 25) -> pd.DataFrame:
    """Distinctive terms of outlet ``a`` against outlet ``b`` (or against every other outlet when b is None).

    Weighted log-odds with an informative Dirichlet prior from the filtered corpus (Monroe et al. 2008).
    Columns: side (A: typical of a; B: typical of b / the rest), term, label, count_a, count_b, delta, z, forms.
    """
    if a is None:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    if corpus.outlet_scope(flt) is None:   # dates or a text query: from the filter's outlet x term frame
        res = _log_odds_frame(corpus, flt, a, b, n, min_count, int(limit) * 4 + 50)
    else:                                  # outlets only: over the ingestion totals, in DuckDB
        res = _log_odds_sql(corpus, flt, a, b, n, min_count, limit)
    if res.empty:  # no articles, an unknown outlet, or no term reaching min_count
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    return _top_labelled(corpus, res, n, limit)


def _log_odds_sql(corpus: Corpus, flt, a, b, n, min_count, limit) -> pd.DataFrame:
    """``pair`` / ``outlet_vs_rest`` of an outlets-only filter, over the ingestion totals, computed inside
    DuckDB over integer term ids (the same
    formula, operation for operation), returning only the rows either side could show: the most and
    the least distinctive, with a margin for ties once z is rounded. The outlet × term counts (~1M rows
    at 100k articles) are no longer pulled into pandas to be grouped there."""
    params = {"oa": a, "min": int(min_count), "lim": int(limit) * 4 + 50}
    if b is None:
        side_b = "outlet <> $oa"
    else:
        side_b, params["ob"] = "outlet = $ob", b
    counts, cparams = _outlet_term_counts(corpus, flt, n)
    df = corpus.sql(
        f"""WITH c AS ({counts}),
        g AS (SELECT tid, CAST(SUM(CASE WHEN outlet = $oa THEN count ELSE 0 END) AS DOUBLE) AS ya,
                     CAST(SUM(CASE WHEN {side_b} THEN count ELSE 0 END) AS DOUBLE) AS yb,
                     CAST(SUM(count) AS DOUBLE) AS p FROM c GROUP BY tid),
        tot AS (SELECT SUM(ya) AS na, SUM(yb) AS nb, SUM(p) AS pt, LEAST(SUM(ya), SUM(yb)) AS a0 FROM g),
        s AS (SELECT g.tid, g.ya, g.yb, tot.na, tot.nb, tot.a0, tot.a0 * g.p / tot.pt AS alpha
              FROM g, tot WHERE tot.na > 0 AND tot.nb > 0 AND g.ya + g.yb >= $min),
        d AS (SELECT tid, ya, yb, LN((ya + alpha) / (na + a0 - ya - alpha)) - LN((yb + alpha) / (nb + a0 - yb - alpha)) AS delta,
                     1.0 / (ya + alpha) + 1.0 / (yb + alpha) AS var FROM s WHERE alpha > 0),
        z AS (SELECT d.*, d.delta / SQRT(d.var) AS z, v.key AS term FROM d JOIN vocab v USING (tid))
        (SELECT term, tid, ya, yb, delta, var, z FROM z WHERE z > 0 ORDER BY z DESC, term LIMIT $lim)
        UNION ALL
        (SELECT term, tid, ya, yb, delta, var, z FROM z WHERE z < 0 ORDER BY z ASC, term LIMIT $lim)
        """,
        {**cparams, **params},
    )
    if df.empty:
        return pd.DataFrame(columns=COLUMNS)
    # the term ids ride along, so the rows kept are labelled by id (see _with_labels)
    df = df.assign(count_a=df["ya"].astype("int64"), count_b=df["yb"].astype("int64"))[COLUMNS + ["tid"]]
    return df.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")


def unique_ids(ids) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(ids, return_inverse=True)`` for non-negative integer ids (term ids): the sorted distinct ids
    and each id's place among them, through a mark per possible id instead of a sort (122k term rows under a
    phrase at 100k: 7.5 -> 1.2 ms)."""
    ids = np.asarray(ids)
    if not len(ids):
        return ids.astype(np.int64), np.zeros(0, dtype=np.intp)
    seen = np.zeros(int(ids.max()) + 1, dtype=bool)
    seen[ids] = True
    distinct = np.flatnonzero(seen)
    place = np.empty(len(seen), dtype=np.int32)   # uninitialised: only the pages of ids present are touched
    place[distinct] = np.arange(len(distinct), dtype=np.int32)
    return distinct.astype(ids.dtype, copy=False), place[ids].astype(np.intp)


def _log_odds_frame(corpus: Corpus, flt, a, b, n, min_count, lim) -> pd.DataFrame:
    """:func:`_log_odds_sql`'s rows from :func:`outlet_term_frame` in numpy, the same sums and formula in the same
    order: the frame is already in memory (Keywords and Compare share it), and registering it for the SQL
    took ~35 ms under a word query at 100k, this ~5 ms.  The ``lim`` most and least distinctive rows, ties at
    the cut included until ordered by term."""
    frame = outlet_term_frame(corpus, flt, n)
    cats = frame["outlet"].cat.categories
    if a not in cats or (b is not None and b not in cats):
        return pd.DataFrame(columns=COLUMNS)
    codes = frame["outlet"].cat.codes.to_numpy()
    ia = cats.get_loc(a)
    in_b = (codes == cats.get_loc(b)) if b is not None else ((codes != ia) & (codes >= 0))
    terms, col = unique_ids(frame["tid"].to_numpy())
    cnt = frame["count"].to_numpy().astype(np.float64)
    ya = np.bincount(col, weights=np.where(codes == ia, cnt, 0.0), minlength=len(terms))
    yb = np.bincount(col, weights=np.where(in_b, cnt, 0.0), minlength=len(terms))
    p = np.bincount(col, weights=cnt, minlength=len(terms))
    na, nb, pt = ya.sum(), yb.sum(), p.sum()
    if not (na > 0 and nb > 0):
        return pd.DataFrame(columns=COLUMNS)
    a0 = min(na, nb)
    alpha = a0 * p / pt
    keep = (ya + yb >= min_count) & (alpha > 0)
    tid, ya, yb, alpha = terms[keep], ya[keep], yb[keep], alpha[keep]
    delta, var = log_odds_arrays(ya, yb, alpha, na, nb, a0)
    z = delta / np.sqrt(var)
    picks = []
    for side in (z > 0, z < 0):
        idx = np.flatnonzero(side)
        if len(idx) > lim:   # everything as extreme as the lim-th, ties included; ordered by term below
            cut = np.sort(np.abs(z[idx]))[::-1][lim - 1]
            idx = idx[np.abs(z[idx]) >= cut]
        picks.append(idx)
    idx = np.concatenate(picks)
    if not len(idx):
        return pd.DataFrame(columns=COLUMNS)
    df = pd.DataFrame({"tid": tid[idx].astype(np.int64), "ya": ya[idx], "yb": yb[idx], "delta": delta[idx],
                       "var": var[idx], "z": z[idx]})
    keys = corpus.sql("SELECT tid, key AS term FROM vocab WHERE tid IN (SELECT unnest($t))", {"t": df["tid"].tolist()})
    df = df.merge(keys.astype({"tid": "int64"}), on="tid", how="inner")
    top = df[df["z"] > 0].sort_values(["z", "term"], ascending=[False, True], kind="mergesort").head(lim)
    low = df[df["z"] < 0].sort_values(["z", "term"], ascending=[True, True], kind="mergesort").head(lim)
    df = pd.concat([top, low], ignore_index=True)
    df = df.assign(count_a=df["ya"].astype("int64"), count_b=df["yb"].astype("int64"))[COLUMNS + ["tid"]]
    return df.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")


@view
def distinctive_dates(corpus: Corpus, flt: Filter | None, range_a: tuple, range_b: tuple, n: int = 1,
                      min_count: int = 5, limit: int = 25) -> pd.DataFrame:
    """Distinctive terms of one date range against another (same outlets and query as ``flt``)."""
    flt = flt or Filter()
    fa = dataclasses.replace(flt, date_from=range_a[0], date_to=range_a[1], undated="exclude")
    fb = dataclasses.replace(flt, date_from=range_b[0], date_to=range_b[1], undated="exclude")
    ca = term_counts(corpus, fa, n).groupby("term")["count"].sum()
    cb = term_counts(corpus, fb, n).groupby("term")["count"].sum()
    if ca.empty or cb.empty:
        return pd.DataFrame(columns=DISTINCTIVE_COLUMNS)
    res = log_odds(ca, cb, prior=ca.add(cb, fill_value=0), min_count=min_count)
    return _top_labelled(corpus, res, n, limit)


@view
def distinctive_all(corpus: Corpus, flt: Filter | None = None, n: int = 1, min_count: int = 5, limit: int = 50) -> pd.DataFrame:
    """Every outlet against the rest (the CLI's distinctive.csv): outlet, side, term, label, counts, delta, z."""
    counts = term_counts(corpus, flt, n)
    frames = []
    for outlet in sorted(counts["outlet"].unique()) if not counts.empty else []:
        if counts["outlet"].nunique() < 2:
            break
        res = _labelled(corpus, outlet_vs_rest(counts, outlet, min_count=min_count), n)
        if res.empty:  # no term reaches min_count (a small corpus): the empty frame's z is not numeric
            continue
        top = res[res["z"] > 0].nlargest(limit, "z")
        frames.append(top.assign(outlet=outlet))
    if not frames:
        return pd.DataFrame(columns=["outlet", "term", "label", "count_a", "count_b", "delta", "z"])
    out = pd.concat(frames, ignore_index=True)
    return out.rename(columns={"count_a": "count_outlet", "count_b": "count_rest"})[
        ["outlet", "term", "label", "count_outlet", "count_rest", "delta", "z"]]


def similarity_long(counts: pd.DataFrame) -> pd.DataFrame:
    """The outlet x outlet cosine of TF-IDF over ``counts`` (outlet, tid, count; outlet as text or a category):
    scikit-learn's TfidfTransformer (smooth idf = ln((1 + N) / (1 + df)) + 1, l2 norm) with the outlets as
    documents, as :func:`tfidf_similarity`, over term ids in a sparse outlet x term matrix. A long frame
    outlet_a, outlet_b, similarity over every pair of the outlets with a count, sorted by both; unclipped,
    unrounded.  Under a word query at 100k: ~30 ms as a self-join in DuckDB, ~5 ms here."""
    from scipy import sparse

    c = counts[(counts["count"] > 0) & counts["outlet"].notna()]
    if c.empty:
        return pd.DataFrame({"outlet_a": pd.Series(dtype="str"), "outlet_b": pd.Series(dtype="str"),
                             "similarity": pd.Series(dtype="float64")})
    outlet = c["outlet"]
    cat = (outlet.cat.remove_unused_categories() if isinstance(outlet.dtype, pd.CategoricalDtype)
           else outlet.astype(str).astype("category"))
    cat = cat.cat.reorder_categories(sorted(cat.cat.categories))   # code-point order, as DuckDB sorts text
    oc = cat.cat.codes.to_numpy().astype(np.int64)
    names = [str(x) for x in cat.cat.categories]
    tid = c["tid"].to_numpy().astype(np.int64)
    cnt = c["count"].to_numpy().astype(np.float64)
    terms, col = unique_ids(tid)
    df = np.bincount(col, minlength=len(terms)).astype(np.float64)     # outlets using each term
    w = cnt * (np.log((1.0 + len(names)) / (1.0 + df)) + 1.0)[col]
    m = sparse.csr_matrix((w, (oc, col)), shape=(len(names), len(terms)))
    m.sort_indices()   # each outlet's terms in term order: the sums below do not depend on the rows' order
    nrm = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    sim = (m @ m.T).toarray() / np.outer(nrm, nrm)
    k = len(names)
    return pd.DataFrame({"outlet_a": np.repeat(names, k), "outlet_b": np.tile(names, k), "similarity": sim.ravel()})


#: The whole corpus's unigram totals: what ``outlet_similarity`` stores the :func:`similarity_long` of.
WHOLE_CORPUS_COUNTS = "SELECT outlet, tid, count FROM outlet_terms WHERE n = 1 AND count > 0"


@view
def similarity(corpus: Corpus, flt: Filter | None = None, n: int = 1) -> pd.DataFrame:
    """Outlet × outlet cosine similarity over TF-IDF of grouped terms, as a long frame outlet_a, outlet_b, similarity.

    The whole corpus's unigram similarity is computed once with the other rollups (``outlet_similarity``,
    :func:`core.index.finalize.write_day_rollups`): 120 ms of CPU at 100k for the Compare page's default view."""
    if n == 1 and corpus.outlet_scope(flt) == [] and corpus.has_table("outlet_similarity"):
        long = corpus.sql("SELECT outlet_a, outlet_b, similarity FROM outlet_similarity ORDER BY outlet_a, outlet_b")
    else:
        scope = corpus.outlet_scope(flt)
        if scope is not None:   # outlets only: the per-outlet totals from ingestion
            counts = _coded_counts(corpus, *_outlet_term_counts(corpus, flt, n))
        else:
            counts = outlet_term_frame(corpus, flt, n)
        long = similarity_long(counts)
    if long.empty:
        return pd.DataFrame(columns=["outlet_a", "outlet_b", "similarity"])
    long["similarity"] = long["similarity"].clip(0.0, 1.0).round(4)
    return long
