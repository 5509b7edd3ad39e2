"""Facts about distinctive vocabulary (weighted log-odds with an informative Dirichlet prior)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analysis.distinctive import log_odds, outlet_vs_rest, pair, tfidf_similarity
from core.analysis import distinctive
from core.filter import Filter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def long_counts(table: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(o, t, c) for o, terms in table.items() for t, c in terms.items()], columns=["outlet", "term", "count"]
    )


A = pd.Series({"سورية": 40, "لافروف": 50, "الولايات": 50, "أميركي": 3})
B = pd.Series({"سوريا": 40, "لافروف": 50, "الولايات": 50, "أمريكي": 3})


def test_term_only_in_a_has_large_positive_z_and_shared_equal_rate_is_zero():
    r = log_odds(A, B)
    assert list(r.columns) == ["term", "count_a", "count_b", "delta", "var", "z"]
    assert r.iloc[0]["term"] == "سورية" and r.loc["سورية", "z"] > 3
    assert r.iloc[-1]["term"] == "سوريا" and r.loc["سوريا", "z"] < -3
    assert r.loc["لافروف", "z"] == pytest.approx(0, abs=1e-12)
    assert r.loc["الولايات", "delta"] == pytest.approx(0, abs=1e-12)
    assert r["z"].is_monotonic_decreasing


def test_swapping_a_and_b_negates_z():
    ab, ba = log_odds(A, B), log_odds(B, A)
    assert np.allclose(ab["z"], -ba.loc[ab.index, "z"])
    assert (ab["count_a"] == ba.loc[ab.index, "count_b"]).all()


def test_min_count_drops_rare_terms():
    assert "أميركي" not in log_odds(A, B).index  # 3 < 5
    r = log_odds(A, B, min_count=3)
    assert {"أميركي", "أمريكي"} <= set(r.index)
    assert len(log_odds(A, B, min_count=81)) == 2  # only لافروف and الولايات reach 100


def test_hand_computed_value():
    # α_0 = 20, corpus shares x 40/200, y 160/200 → α_x = 4, α_y = 16; n_a = n_b = 100.
    # δ_x = ln(14/106) − ln(34/86) = −1.0963950;  var = 1/14 + 1/34 = 0.1008403;  z = −3.4526289
    a, b = pd.Series({"x": 10, "y": 90}), pd.Series({"x": 30, "y": 70})
    r = log_odds(a, b, prior=pd.Series({"x": 40, "y": 160}), prior_scale=20, min_count=1)
    assert r.loc["x", "delta"] == pytest.approx(-1.0963950, abs=1e-6)
    assert r.loc["x", "var"] == pytest.approx(0.1008403, abs=1e-6)
    assert r.loc["x", "z"] == pytest.approx(-3.4526289, abs=1e-6)


def test_default_prior_weight_is_the_smaller_sample():
    a, b = pd.Series({"x": 10, "y": 90}), pd.Series({"x": 30, "y": 170})
    assert np.allclose(log_odds(a, b, min_count=1)["z"], log_odds(a, b, min_count=1, prior_scale=100)["z"])


def test_outlet_vs_rest_and_pair_use_the_whole_corpus():
    counts = long_counts({
        "الثورة": {"سورية": 30, "الأميركي": 20, "لافروف": 10},
        "شينخوا": {"سوريا": 30, "الأمريكي": 20, "لافروف": 10},
        "قاسيون": {"سوريا": 25, "الأمريكي": 20, "لافروف": 10, "سورية": 5},
    })
    r = outlet_vs_rest(counts, "الثورة")
    assert r["term"].head(2).tolist() == ["سورية", "الأميركي"]
    assert r.loc["سورية", ["count_a", "count_b"]].tolist() == [30, 5]
    p = pair(counts, "الثورة", "شينخوا")
    assert p["term"].iloc[0] == "سورية" and p["term"].iloc[-1] in {"سوريا", "الأمريكي"}
    assert p.loc["لافروف", "z"] == pytest.approx(0, abs=1e-12)
    # قاسيون never writes الأميركي, yet the corpus prior keeps its z finite
    assert np.isfinite(pair(counts, "قاسيون", "الثورة")["z"]).all()


def test_tfidf_similarity_is_a_symmetric_cosine_with_unit_diagonal():
    counts = long_counts({
        "الثورة": {"سورية": 30, "لافروف": 10},
        "قاسيون": {"سورية": 25, "لافروف": 10},
        "شينخوا": {"سوريا": 30, "لافروف": 10},
    })
    s = tfidf_similarity(counts)
    assert list(s.index) == list(s.columns)
    assert np.allclose(np.diag(s), 1) and np.allclose(s, s.T)
    assert s.loc["الثورة", "قاسيون"] > 0.95 > s.loc["الثورة", "شينخوا"] > 0


def test_term_counts_of_whole_months_come_from_the_rollup_and_equal_the_per_article_sums(tmp_path):
    """A filter of dates and outlets sums its whole months (and undated articles) from ``term_months`` and
    only its edge days from the per-article terms: the same counts, top terms and comparisons as summing
    every article's terms (an index without the rollup)."""
    import datetime as dt
    import shutil

    import duckdb

    from core.analysis import keywords
    from core.index.build import build_index
    from core.index.handle import Corpus

    import json

    # the excerpt's articles spread over about three years, one in twenty undated
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "ant_excerpt.jsonl").open(encoding="utf-8")]
    for i, r in enumerate(rows):
        r["date"] = "" if i % 20 == 7 else (dt.date(2016, 1, 1) + dt.timedelta(days=3 * i)).isoformat()
        r.pop("date_raw", None)
    src = tmp_path / "spread.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    db = tmp_path / "x.duckdb"
    build_index([src], db, workers=1).con.close()
    plain = tmp_path / "plain.duckdb"
    shutil.copy(db, plain)
    con = duckdb.connect(str(plain))
    con.execute("DROP TABLE term_months")
    con.close()
    rolled, summed = Corpus.open(db, read_only=True), Corpus.open(plain, read_only=True)
    assert rolled.has_table("term_months") and not summed.has_table("term_months")
    outlets = tuple(rolled.sql("SELECT outlet, COUNT(*) AS n FROM articles GROUP BY 1 ORDER BY n DESC, outlet")["outlet"][:2])
    d = dt.date
    filters = [Filter(date_from=d(2016, 2, 1), date_to=d(2016, 2, 29)),                 # one whole month
               Filter(date_from=d(2016, 2, 10), date_to=d(2017, 3, 10), outlets=outlets),  # whole months and edge days
               Filter(date_from=d(2016, 5, 3), date_to=d(2016, 5, 30)),                  # no whole month
               Filter(date_to=d(2017, 6, 5)),                                            # open start
               Filter(date_from=d(2017, 3, 1), undated="exclude"),                       # open end, no undated
               Filter(undated="only"), Filter(undated="exclude", outlets=outlets[:1])]
    assert distinctive.month_counts(rolled, filters[0], 1, True) is not None
    key = ["outlet", "tid"]
    for flt in filters:
        a = distinctive.outlet_term_frame.uncached(rolled, flt, 1)
        b = distinctive.outlet_term_frame.uncached(summed, flt, 1)
        a, b = (x.assign(outlet=x["outlet"].astype(str)).sort_values(key).reset_index(drop=True) for x in (a, b))
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
        pd.testing.assert_frame_equal(keywords.top_terms.uncached(rolled, flt, n=1, limit=30),
                                      keywords.top_terms.uncached(summed, flt, n=1, limit=30))
        pd.testing.assert_frame_equal(distinctive.similarity.uncached(rolled, flt),
                                      distinctive.similarity.uncached(summed, flt))
    sizes = [len(distinctive.outlet_term_frame.uncached(rolled, flt, 1)) for flt in filters]
    assert min(sizes) > 100 and sizes[1] > 2000, sizes
