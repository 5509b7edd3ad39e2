"""Facts about the spelling fingerprint: each outlet's share of each variant."""
from __future__ import annotations

import pandas as pd
import pytest

from core.analysis.variants import preferred_variants, variant_pivot, variant_shares

VARIANTS = pd.DataFrame(
    [
        ("الثورة", "سوريا", "سورية", 18), ("الثورة", "سوريا", "سوريا", 2),
        ("الثورة", "امريكي", "الأميركي", 7),
        ("شينخوا", "سوريا", "سوريا", 9), ("شينخوا", "سوريا", "سورية", 1),
        ("شينخوا", "امريكي", "الأمريكي", 3), ("شينخوا", "امريكي", "الأمريكي", 1),  # two articles
        ("قاسيون", "امريكي", "الأمريكي", 0),
    ],
    columns=["outlet", "group", "variant", "count"],
)


def test_shares_sum_to_one_within_outlet_and_group():
    s = variant_shares(VARIANTS)
    assert list(s.columns) == ["outlet", "group", "variant", "count", "share"]
    assert s.groupby(["outlet", "group"])["share"].sum().tolist() == pytest.approx([1, 1, 1, 1])
    row = s[(s.outlet == "الثورة") & (s.variant == "سورية")].iloc[0]
    assert (row["count"], row["share"]) == (18, pytest.approx(0.9))
    # rows of the same variant are added up; an outlet that never writes the group is absent
    assert s[(s.outlet == "شينخوا") & (s.group == "امريكي")][["count", "share"]].values.tolist() == [[4, 1.0]]
    assert "قاسيون" not in set(s.outlet)


def test_pivot_by_group_and_flat():
    s = variant_shares(VARIANTS)
    p = variant_pivot(s, "سوريا")
    assert p.loc["الثورة", "سورية"] == pytest.approx(0.9) and p.loc["شينخوا", "سوريا"] == pytest.approx(0.9)
    flat = variant_pivot(s)
    assert "امريكي: الأميركي" in flat.columns and flat.loc["شينخوا", "امريكي: الأميركي"] == 0
    counts = variant_pivot(s, "سوريا", value="count")
    assert counts.loc["الثورة"].to_dict() == {"سوريا": 2, "سورية": 18}


def test_preferred_variant_is_the_fingerprint():
    p = preferred_variants(variant_shares(VARIANTS)).set_index(["outlet", "group"])["variant"]
    assert p.to_dict() == {
        ("الثورة", "امريكي"): "الأميركي", ("الثورة", "سوريا"): "سورية",
        ("شينخوا", "امريكي"): "الأمريكي", ("شينخوا", "سوريا"): "سوريا",
    }
