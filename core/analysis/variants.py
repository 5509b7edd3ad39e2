"""Spelling fingerprint: which written variant of a merged group each outlet prefers.

Outlets differ systematically in spelling (Syrian state media writes سورية and
أميركي, others سوريا and أمريكي).  The text pipeline merges the variants into
one group for counting; here the unmerged counts become the finding.

Input is a long frame ``[outlet, group, variant, count]``: for the group سوريا,
the variants سوريا and سورية with their counts in each outlet.  ``variant_table`` feeds it from a
built corpus under a filter (the Compare page and the CLI's variants.csv).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus

SHARE_COLUMNS = ["outlet", "group", "variant", "count", "share"]


def variant_shares(variants: pd.DataFrame) -> pd.DataFrame:
    """Share of each variant within its outlet × group (the shares of a group sum to 1).

    Rows with the same outlet, group and variant are added up; groups an outlet
    never writes (total 0) are left out.  Sorted by outlet, group, share descending.

    >>> v = pd.DataFrame({"outlet": ["الثورة", "الثورة", "شينخوا"],
    ...                   "group": ["سوريا", "سوريا", "سوريا"],
    ...                   "variant": ["سورية", "سوريا", "سوريا"], "count": [9, 1, 4]})
    >>> variant_shares(v)[["outlet", "variant", "share"]].values.tolist()
    [['الثورة', 'سورية', 0.9], ['الثورة', 'سوريا', 0.1], ['شينخوا', 'سوريا', 1.0]]
    """
    keys = ["outlet", "group", "variant"]
    if variants.empty:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    out = variants.groupby(keys, as_index=False, sort=False)["count"].sum()
    total = out.groupby(["outlet", "group"], sort=False)["count"].transform("sum")
    out = out[total > 0].copy()
    out["share"] = out["count"] / total[total > 0]
    out = out.sort_values(["outlet", "group", "share", "variant"], ascending=[True, True, False, True])
    return out[SHARE_COLUMNS].reset_index(drop=True)


def variant_pivot(shares: pd.DataFrame, group: str | None = None, value: str = "share") -> pd.DataFrame:
    """Outlet × variant table of ``value`` ("share" or "count") from :func:`variant_shares`.

    With ``group`` the columns are that group's variants; without it the columns
    are labelled ``"group: variant"`` (one flat header, easy to export).  Missing
    combinations are 0.

    >>> v = pd.DataFrame({"outlet": ["الثورة", "الثورة", "شينخوا"], "group": ["سوريا"] * 3,
    ...                   "variant": ["سورية", "سوريا", "سوريا"], "count": [9, 1, 4]})
    >>> variant_pivot(variant_shares(v), "سوريا").loc["شينخوا"].to_dict()
    {'سوريا': 1.0, 'سورية': 0.0}
    """
    rows = shares if group is None else shares[shares["group"] == group]
    if rows.empty:
        return pd.DataFrame(dtype="float64")
    col = rows["variant"] if group is not None else rows["group"] + ": " + rows["variant"]
    wide = rows.assign(_col=col).pivot_table(
        index="outlet", columns="_col", values=value, aggfunc="sum", fill_value=0
    )
    wide.columns.name = None
    return wide


def preferred_variants(shares: pd.DataFrame) -> pd.DataFrame:
    """The most used variant of every group in every outlet ``[outlet, group, variant, count, share]``.

    >>> v = pd.DataFrame({"outlet": ["الثورة", "الثورة"], "group": ["سوريا"] * 2,
    ...                   "variant": ["سورية", "سوريا"], "count": [9, 1]})
    >>> preferred_variants(variant_shares(v))["variant"].tolist()
    ['سورية']
    """
    if shares.empty:
        return pd.DataFrame(columns=SHARE_COLUMNS)
    ordered = shares.sort_values(["outlet", "group", "share", "variant"], ascending=[True, True, False, True])
    return ordered.drop_duplicates(["outlet", "group"]).reset_index(drop=True)[SHARE_COLUMNS]


# -- on the store -------------------------------------------------------------------------------
@view
def variant_counts(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """The unmerged counts of the filtered articles: outlet, group, variant, count."""
    where, params = corpus.where(flt)
    return corpus.sql(
        f"SELECT a.outlet, v.grp AS \"group\", v.variant, CAST(SUM(v.cnt) AS BIGINT) AS count FROM variants v JOIN articles a USING (aid) "
        f"WHERE {where} GROUP BY 1, 2, 3",
        params,
    )


@view
def variant_table(corpus: Corpus, flt: Filter | None = None) -> pd.DataFrame:
    """The spelling fingerprint (the CLI's variants.csv): outlet, group, variant, count, share."""
    out = variant_shares(variant_counts(corpus, flt))
    if not out.empty:
        out["share"] = out["share"].round(4)
    return out
