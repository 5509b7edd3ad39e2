"""Reuse between outlets, from the article pairs that share passages (the pairs frame of
:func:`core.extract.passages.find_reuse`, or the stored ``reuse_pairs`` read by
:mod:`core.analysis.reuse_view`): the network of outlets (the outlet × outlet matrix is
:func:`core.analysis.reuse_view.reuse_matrix`).
"""
from __future__ import annotations

import pandas as pd


def reuse_graph(pairs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges for a network chart of reuse between outlets.

    nodes ``[outlet, articles, pairs]`` (articles of the outlet involved in a pair,
    pairs touching it); edges ``[outlet_a, outlet_b, pairs, containment, a_first,
    b_first, same_time]`` with ``outlet_a <= outlet_b``, ``containment`` the mean larger
    containment, ``a_first``/``b_first`` the pairs where that outlet's article is
    dated earlier, ``same_time`` those with equal or unknown dates.

    >>> p = pd.DataFrame({"a": [0], "b": [3], "outlet_a": ["قاسيون"], "outlet_b": ["سيريانيوز"],
    ...                   "containment": [0.5], "source_outlet": [""]})
    >>> nodes, edges = reuse_graph(p)
    >>> edges[["outlet_a", "outlet_b", "pairs", "same_time"]].values.tolist()
    [['سيريانيوز', 'قاسيون', 1, 1]]
    """
    if pairs.empty:
        return (pd.DataFrame(columns=["outlet", "articles", "pairs"]),
                pd.DataFrame(columns=["outlet_a", "outlet_b", "pairs", "containment", "a_first", "b_first", "same_time"]))
    p = pairs.copy()
    swap = p["outlet_a"] > p["outlet_b"]
    lo = p["outlet_a"].where(~swap, p["outlet_b"])
    hi = p["outlet_b"].where(~swap, p["outlet_a"])
    src = p["source_outlet"].fillna("")
    e = pd.DataFrame({
        "outlet_a": lo, "outlet_b": hi, "containment": p["containment"],
        "a_first": (src != "") & (src == lo) & (lo != hi),
        "b_first": (src != "") & (src == hi) & (lo != hi),
        "same_time": src == "",
    })
    edges = e.groupby(["outlet_a", "outlet_b"], as_index=False).agg(
        pairs=("containment", "size"), containment=("containment", "mean"),
        a_first=("a_first", "sum"), b_first=("b_first", "sum"), same_time=("same_time", "sum"),
    )
    edges = edges.sort_values(["pairs", "outlet_a", "outlet_b"], ascending=[False, True, True]).reset_index(drop=True)
    side = pd.concat([
        pd.DataFrame({"outlet": p["outlet_a"], "aid": p["a"], "pair": p.index}),
        pd.DataFrame({"outlet": p["outlet_b"], "aid": p["b"], "pair": p.index}),
    ])
    nodes = side.groupby("outlet", as_index=False).agg(articles=("aid", "nunique"), pairs=("pair", "nunique"))
    nodes = nodes.sort_values(["pairs", "outlet"], ascending=[False, True]).reset_index(drop=True)
    return nodes, edges
