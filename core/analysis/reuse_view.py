"""Text reuse on a built corpus under a filter: the shared-passage pairs, their passages, the outlet ×
outlet matrix and the network, for the Reuse & quotes page and the CLI's reuse.csv.

The pairs and passages are found once at ingestion (``core.analysis.reuse.find_reuse``, stored in
the ``reuse_pairs`` and ``reuse_passages`` tables); here they are read back through the filter, with
the outlets and dates of the articles table, so corrections apply.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import dataclasses

import numpy as np
import pandas as pd

from core.analysis.overview import as_dates
from core.analysis.reuse import reuse_graph
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

#: The columns of :func:`reuse_pairs` (the pairs as shown and downloaded, with article ids and titles).
SHOWN_PAIR_COLUMNS = ["a_id", "b_id", "outlet_a", "outlet_b", "date_a", "date_b", "title_a", "title_b", "shared",
                      "containment_a", "containment_b", "containment", "passages", "longest", "direction",
                      "source_outlet", "target_outlet"]
#: The columns of :func:`reuse_matrix`.
MATRIX_COLUMNS = ["outlet_a", "outlet_b", "pairs", "containment", "a_first", "b_first", "same_time"]


def has_table(corpus: Corpus, name: str) -> bool:
    """Whether the corpus's index has the table ``name``."""
    return corpus.has_table(name)


@view
def reuse_pairs(corpus: Corpus, flt: Filter | None = None, limit: int | None = None) -> pd.DataFrame:
    """Article pairs of different outlets that share passages, ranked by the larger containment.

    A pair is shown when both articles pass the filter's dates and query and at least one of them
    is from a selected outlet (so "one outlet" shows what it shares with every other). Outlets and
    dates are read from the articles table, so corrections apply.
    """
    if not has_table(corpus, "reuse_pairs") or not corpus.rows("SELECT COUNT(*) FROM reuse_pairs")[0][0]:
        return pd.DataFrame(columns=SHOWN_PAIR_COLUMNS)
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
    ab, ba = (df["direction"] == "a→b").to_numpy(), (df["direction"] == "b→a").to_numpy()
    oa, ob = df["outlet_a"].to_numpy(dtype=object), df["outlet_b"].to_numpy(dtype=object)
    df["source_outlet"] = np.where(ab, oa, np.where(ba, ob, ""))   # vectorised: iterating arrow strings took 38 ms
    df["target_outlet"] = np.where(ab, ob, np.where(ba, oa, ""))
    for c in ("containment_a", "containment_b", "containment"):
        df[c] = df[c].astype(float).round(4)
    df["date_a"], df["date_b"] = as_dates(df["date_a"]), as_dates(df["date_b"])
    return df[SHOWN_PAIR_COLUMNS]


@view
def reuse_passages(corpus: Corpus, a_id: str, b_id: str) -> pd.DataFrame:
    """The aligned shared passages of one pair, as each article writes them: passage_id, words, text_a, text_b."""
    if not has_table(corpus, "reuse_passages"):
        return pd.DataFrame(columns=["passage_id", "words", "text_a", "text_b"])
    return corpus.sql(
        "SELECT s.passage_id, s.words, s.text_a, s.text_b FROM reuse_passages s "
        "JOIN articles x ON x.aid = s.a JOIN articles y ON y.aid = s.b "
        "WHERE (x.id = $a AND y.id = $b) ORDER BY s.start_a",
        {"a": a_id, "b": b_id},
    )


@view
def reuse_network(corpus: Corpus, flt: Filter | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Nodes and edges of reuse between outlets (``reuse.reuse_graph`` over :func:`reuse_pairs`)."""
    pairs = reuse_pairs(corpus, flt)
    return reuse_graph(pairs.assign(a=pairs["a_id"], b=pairs["b_id"]))


@view
def reuse_matrix(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Outlet × outlet reuse, every cell both ways: what the Reuse page's heat map draws and its CSV holds.

    Columns :data:`MATRIX_COLUMNS`: pairs, containment (their mean larger containment, rounded),
    a_first / b_first (the pairs where outlet_a's / outlet_b's article is dated earlier) and
    same_time (equal or unknown dates).  The network's edges (outlet_a before outlet_b) come first,
    then the same cells from the other side."""
    _nodes, edges = reuse_network(corpus, flt)
    if edges.empty:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    edges = edges.assign(containment=edges["containment"].astype(float).round(4))[MATRIX_COLUMNS]
    back = edges[edges["outlet_a"] != edges["outlet_b"]].rename(columns={
        "outlet_a": "outlet_b", "outlet_b": "outlet_a", "a_first": "b_first", "b_first": "a_first"})
    return pd.concat([edges, back[MATRIX_COLUMNS]], ignore_index=True)
