"""Facts about core.analysis.keywords on the sample: readable top terms, the filter, the concordance."""
from dataclasses import replace

import pandas as pd

from core.analysis import keywords
from core.filter import Filter


def test_top_terms_have_readable_labels_and_no_stop_words(sample_corpus):
    uni = keywords.top_terms(sample_corpus, n=1, limit=60)
    for stop in ("في", "من", "قال", "بشأن", "وقال", "أن"):
        assert stop not in set(uni["label"])
    bi = keywords.top_terms(sample_corpus, n=2, limit=30)
    assert {"الولايات المتحدة", "خان شيخون", "مجموعة عمل"} <= set(bi["label"])
    assert "روسيا الولايات" not in set(bi["label"])
    # the merged forms are listed with their counts (whitespace tokens of the sample: 16 and 11)
    row = uni[uni["label"] == "الولايات"].iloc[0]
    assert (row["count"], row["forms"]) == (27, "الولايات (16) · والولايات (11)")
    lav = uni[uni["label"] == "لافروف"].iloc[0]
    assert "للافروف" in lav["forms"]


def test_top_terms_follow_the_filter_and_agree_across_code_paths(sample_corpus):
    one = Filter(outlets=("الثورة",))
    fast = keywords.top_terms(sample_corpus, one, n=1, limit=20)  # per-outlet totals
    slow = keywords.top_terms(sample_corpus, replace(one, date_from="2000-01-01"), n=1, limit=20)  # per-article terms
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.iloc[0]["label"] == "لافروف" and "بومبيو" in set(fast["label"])
    whole = keywords.top_terms(sample_corpus, None, n=2, limit=20)
    via_terms = keywords.top_terms(sample_corpus, Filter(date_from="2000-01-01"), n=2, limit=20)
    pd.testing.assert_frame_equal(whole, via_terms)
    # each outlet's own top terms: the same from the ingestion totals and from the per-article terms
    for n in (1, 2):
        rolled = keywords.top_terms_by_outlet(sample_corpus, None, n=n, limit=5)
        scanned = keywords.top_terms_by_outlet(sample_corpus, Filter(date_from="2000-01-01"), n=n, limit=5)
        assert len(rolled) > 5
        pd.testing.assert_frame_equal(rolled, scanned, check_dtype=False)


def test_concordance_finds_clitic_forms_with_context(sample_corpus):
    kwic = keywords.concordance(sample_corpus, "لافروف", Filter(outlets=("شينخوا",)))
    assert "للافروف" in set(kwic["match"])
    row = kwic[kwic["match"] == "للافروف"].iloc[0]
    assert row["left"].endswith("ووفقا") and row["right"].startswith("، فإن الجانبين")
    assert set(kwic["article_id"]) == {"002_8bb5bcd9b53559f5"}
