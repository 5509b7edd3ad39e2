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
``[outlet, term, count]``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfTransformer

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
    p_total = float(p.sum())
    alpha = alpha_0 * p / p_total
    keep = ((a + b) >= min_count) & (alpha > 0)
    a, b, alpha = a[keep], b[keep], alpha[keep]
    delta = np.log((a + alpha) / (n_a + alpha_0 - a - alpha)) - np.log(
        (b + alpha) / (n_b + alpha_0 - b - alpha)
    )
    var = 1.0 / (a + alpha) + 1.0 / (b + alpha)
    out = pd.DataFrame(
        {
            "term": a.index,
            "count_a": a.to_numpy().astype("int64"),
            "count_b": b.to_numpy().astype("int64"),
            "delta": delta.to_numpy(),
            "var": var.to_numpy(),
            "z": (delta / np.sqrt(var)).to_numpy(),
        },
        index=pd.Index(a.index.to_numpy(), name=None),
    )
    return out.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")


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
    wide = counts.pivot_table(index="outlet", columns="term", values="count", aggfunc="sum", fill_value=0)
    if wide.empty:
        return pd.DataFrame(dtype="float64")
    x = TfidfTransformer().fit_transform(wide.to_numpy(dtype="float64"))
    sim = (x @ x.T).toarray()
    sim = np.clip(sim, 0.0, 1.0)
    names = list(wide.index)
    out = pd.DataFrame(sim, index=pd.Index(names, name="outlet"), columns=pd.Index(names, name="outlet"))
    return out
