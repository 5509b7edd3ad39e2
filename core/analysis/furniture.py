"""Page furniture as the analyst reviews it: the patterns learned per outlet, and how many articles
lost something before counting (see :mod:`core.ingest.learned` and :mod:`core.ingest.furniture`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.filter import Filter
from core.index.viewcache import view
from core.ingest.learned import PATTERN_COLUMNS, Decisions

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

#: The columns of :func:`furniture_patterns`.
COLUMNS = PATTERN_COLUMNS


def _has_table(corpus: Corpus) -> bool:
    return corpus.has_table("furniture")


@view
def furniture_patterns(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Every furniture pattern of the filtered outlets (all outlets when the filter names none):
    outlet, kind, pattern, articles (that have it), outlet_articles, share, example, source
    (learned / added), status (on / rejected).  Most frequent first within each outlet."""
    if not _has_table(corpus):
        return pd.DataFrame(columns=COLUMNS)
    outlets = list((flt or Filter()).outlets)
    where = "outlet IN (SELECT unnest($outlets)) OR outlet = '*'" if outlets else "TRUE"
    df = corpus.sql(f"SELECT {', '.join(COLUMNS)} FROM furniture WHERE {where} "
                    "ORDER BY outlet, articles DESC, kind, pattern", {"outlets": outlets} if outlets else None)
    return df.reset_index(drop=True)


@view
def removal_summary(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """Per outlet, under the filter: articles, articles that had furniture removed (by the hand
    rules or the learned patterns), their share, and the number of learned patterns in use."""
    where, params = corpus.where(flt)
    df = corpus.sql(f"""SELECT outlet, COUNT(*) AS articles,
            COUNT(*) FILTER (WHERE removed IS NOT NULL AND removed <> '') AS with_removed
        FROM articles a WHERE {where} GROUP BY outlet ORDER BY articles DESC, outlet""", params)
    df["share"] = (df["with_removed"] / df["articles"].where(df["articles"] > 0)).fillna(0).round(4)
    if _has_table(corpus):
        n = corpus.sql("SELECT outlet, COUNT(*) AS patterns FROM furniture WHERE status = 'on' GROUP BY outlet")
        df = df.merge(n, on="outlet", how="left")
    else:
        df["patterns"] = 0
    df["patterns"] = df["patterns"].fillna(0).astype("int64")
    return df


def decisions_from_table(edited: pd.DataFrame, added: list[tuple[str, str, str]] = ()) -> Decisions:
    """The analyst's decisions from the reviewed table (``status`` set per row) and new patterns."""
    dec = Decisions()
    for r in edited.itertuples(index=False):
        if r.status == "rejected" and r.source == "learned":
            dec.rejected.add((r.outlet, r.kind, r.pattern))
        elif r.source == "added" and r.status == "on":
            dec.added.append((r.outlet, r.kind, r.pattern))
    dec.added.extend(added)
    return dec

