"""Facts about core.analysis.overview on the sample and the ant excerpt: counts, provenance, and what a filter keeps."""
import datetime as dt
from dataclasses import replace

from core.analysis import overview
from core.filter import Filter

SEED_IDS = {"000_058533779b74fd40", "001_1fb983bfe6a1107a", "002_8bb5bcd9b53559f5",
            "003_2fb4171725300b4b", "004_b20770630bddb0e8"}


def ids(df):
    return set(df["id"])


def test_sample_overview_matches_the_walkthrough(sample_corpus):
    s = overview.summary(sample_corpus)
    assert s["articles"] == 5 and s["outlets"] == 5 and s["undated"] == 1 and s["unknown_outlet"] == 1
    assert (s["date_min"], s["date_max"]) == (dt.date(2017, 4, 12), dt.date(2019, 5, 15))
    totals = overview.outlet_totals(sample_corpus)
    assert set(totals["outlet"]) == {"قاسيون", "شينخوا", "سيريانيوز", "الثورة", "unknown"}
    assert ids(overview.articles(sample_corpus)) == SEED_IDS


def test_articles_keep_provenance_and_original_text(sample_corpus):
    art = overview.article(sample_corpus, "004_b20770630bddb0e8")
    assert (art["outlet"], art["date"], art["outlet_source"], art["date_source"]) == (
        "الثورة", dt.date(2019, 5, 15), "sidecar", "sidecar")
    assert "آخر الأخبار" in art["text_original"] and "آخر الأخبار" not in art["text"]
    assert any("آخر الأخبار" in line for line in art["removed"])
    unknown = overview.article(sample_corpus, "001_1fb983bfe6a1107a")
    assert unknown["outlet"] == "unknown" and unknown["date"] is None and unknown["date_source"] == "unknown"


def test_outlet_and_date_filters(sample_corpus):
    assert ids(overview.articles(sample_corpus, Filter(outlets=("unknown",)))) == {"001_1fb983bfe6a1107a"}
    april = Filter(date_from="2017-04-01", date_to="2017-04-30")
    # undated articles are kept by default (visible, never silently dropped) and can be excluded
    assert len(overview.articles(sample_corpus, april)) == 4
    assert ids(overview.articles(sample_corpus, replace(april, undated="exclude"))) == {
        "000_058533779b74fd40", "002_8bb5bcd9b53559f5", "003_2fb4171725300b4b"}
    assert ids(overview.articles(sample_corpus, Filter(undated="only"))) == {"001_1fb983bfe6a1107a"}


def test_query_is_normalised_and_grouped_like_the_corpus(sample_corpus):
    # سورية (the Syrian spelling) finds articles that write سوريا; للافروف finds لافروف
    assert ids(overview.articles(sample_corpus, Filter(query="سورية"))) == SEED_IDS
    assert ids(overview.articles(sample_corpus, Filter(query="للافروف"))) == SEED_IDS
    assert ids(overview.articles(sample_corpus, Filter(query="لبومبيو"))) == {"004_b20770630bddb0e8"}
    # every word must be present
    assert ids(overview.articles(sample_corpus, Filter(query="بومبيو تيلرسون"))) == set()
    # a quoted phrase is one n-gram
    assert ids(overview.articles(sample_corpus, Filter(query='"خان شيخون"'))) == {
        "001_1fb983bfe6a1107a", "002_8bb5bcd9b53559f5", "003_2fb4171725300b4b"}
    assert overview.summary(sample_corpus, Filter(query="كلمةغيرموجودة"))["articles"] == 0


def test_excerpt_loads_five_outlets_under_canonical_names(excerpt_corpus):
    totals = overview.outlet_totals(excerpt_corpus)
    assert dict(zip(totals["outlet_en"], totals["outlet"])) == {
        "Sky News Arabia": "سكاي نيوز عربية", "Al Arabiya": "العربية", "France 24 Arabic": "فرانس 24",
        "BBC Arabic": "بي بي سي عربي", "CNN Arabic": "سي إن إن بالعربية"}
    rep = overview.report(excerpt_corpus)
    assert (rep["reason"] == "duplicate-url").sum() == 18
    assert overview.summary(excerpt_corpus)["articles"] == 342
