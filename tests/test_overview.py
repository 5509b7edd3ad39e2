"""Facts about the built corpus: the store, the filter, and what a filter change returns."""
import datetime as dt
import io
import zlib
import struct

import pandas as pd

from core.analysis import entities, keywords, overview, topics
from core.filter import Filter
from core.store import Corpus, load_corrections, open_or_build

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
    assert ids(overview.articles(sample_corpus, april.with_(undated="exclude"))) == {
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


def test_top_terms_have_readable_labels_and_no_stop_words(sample_corpus):
    uni = keywords.top_terms(sample_corpus, n=1, limit=60)
    for stop in ("في", "من", "قال", "بشأن", "وقال", "أن"):
        assert stop not in set(uni["label"])
    bi = keywords.top_terms(sample_corpus, n=2, limit=30)
    assert {"الولايات المتحدة", "خان شيخون", "مجموعة عمل"} <= set(bi["label"])
    assert "روسيا الولايات" not in set(bi["label"])
    row = uni[uni["label"] == "الولايات"].iloc[0]
    assert "والولايات" not in row["forms"] or row["count"] > 0  # merged forms listed with their counts
    lav = uni[uni["label"] == "لافروف"].iloc[0]
    assert "للافروف" in lav["forms"]


def test_top_terms_follow_the_filter_and_agree_across_code_paths(sample_corpus):
    one = Filter(outlets=("الثورة",))
    fast = keywords.top_terms(sample_corpus, one, n=1, limit=20)  # per-outlet totals
    slow = keywords.top_terms(sample_corpus, one.with_(date_from="2000-01-01"), n=1, limit=20)  # per-article terms
    pd.testing.assert_frame_equal(fast, slow)
    assert fast.iloc[0]["label"] == "لافروف" and "بومبيو" in set(fast["label"])
    whole = keywords.top_terms(sample_corpus, None, n=2, limit=20)
    via_terms = keywords.top_terms(sample_corpus, Filter(date_from="2000-01-01"), n=2, limit=20)
    pd.testing.assert_frame_equal(whole, via_terms)


def test_concordance_finds_clitic_forms_with_context(sample_corpus):
    kwic = keywords.concordance(sample_corpus, "لافروف", Filter(outlets=("شينخوا",)))
    assert "للافروف" in set(kwic["match"])
    row = kwic[kwic["match"] == "للافروف"].iloc[0]
    assert row["left"].endswith("ووفقا") and row["right"].startswith("، فإن الجانبين")
    assert set(kwic["article_id"]) == {"002_8bb5bcd9b53559f5"}


def test_topics_count_per_outlet_and_move_when_a_keyword_is_added(sample_corpus):
    import dataclasses

    lex = sample_corpus.resources.topics
    before = topics.topic_by_outlet(sample_corpus, None, lex)
    cw = next(t for t in lex if t.id == "chemical-weapons")
    edited = [dataclasses.replace(t, keywords=list(t.keywords) + ["الكلور"]) if t.id == cw.id else t for t in lex]
    after = topics.topic_by_outlet(sample_corpus, None, edited)

    def hits(df, outlet):
        return int(df[(df["outlet"] == outlet) & (df["topic"] == cw.id)]["hits"].iloc[0])

    assert hits(after, "شينخوا") == hits(before, "شينخوا") + 1  # "قنابل الكلور" in seed 002
    assert hits(after, "قاسيون") == hits(before, "قاسيون")
    row = after[(after["outlet"] == "شينخوا") & (after["topic"] == cw.id)].iloc[0]
    assert abs(row["per_1000"] - 1000 * row["hits"] / row["words"]) < 0.01


def test_entities_per_outlet_raw_and_normalised(sample_corpus):
    by = entities.entity_by_outlet(sample_corpus)
    lav = by[(by["entity"] == "بومبيو")]
    assert int(lav[lav["outlet"] == "الثورة"]["mentions"].iloc[0]) == 13
    assert int(lav[lav["outlet"] == "شينخوا"]["mentions"].iloc[0]) == 0
    tot = entities.entity_totals(sample_corpus)
    syria = tot[tot["entity"] == "سوريا"].iloc[0]
    assert syria["type"] == "place" and syria["articles"] == 5


def test_build_reports_bad_files_and_keeps_the_rest(tmp_path):
    (tmp_path / "good.txt").write_bytes("قال لافروف إن موسكو مستعدة للحوار مع واشنطن".encode("cp1256"))
    (tmp_path / "empty.txt").write_bytes(b"")
    png = b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + bytes(13) + struct.pack(">I", zlib.crc32(b"IHDR"))
    (tmp_path / "image.txt").write_bytes(png + bytes(200))
    (tmp_path / "table.csv").write_text("headline,site\nعنوان,قناة\n", encoding="utf-8")
    corpus = Corpus.build([tmp_path])
    assert ids(overview.articles(corpus)) == {"good"}
    rep = overview.report(corpus)
    reasons = dict(zip(rep["file"].map(lambda f: f.split("/")[-1]), rep["reason"]))
    assert reasons["empty.txt"] == "empty"
    assert reasons["image.txt"] == "not-text"
    assert reasons["table.csv"] == "no-text-column"


def test_corrections_survive_a_rebuild(tmp_path):
    cache, fix = tmp_path / "cache", tmp_path / "fix.csv"
    corpus = open_or_build([str(tmp_path.parent / "none")] if False else ["data/sample"], cache, name="t", corrections=fix)
    corpus.correct(pd.DataFrame({"id": ["001_1fb983bfe6a1107a"], "outlet": ["روسيا اليوم"], "date": ["2017-04-14"]}), fix)
    assert load_corrections(fix).iloc[0]["outlet"] == "روسيا اليوم"
    corpus.con.close()
    for db in cache.glob("*.duckdb"):  # force a real rebuild: the fix comes from the file
        db.unlink()
    again = open_or_build(["data/sample"], cache, name="t", corrections=fix)
    art = overview.article(again, "001_1fb983bfe6a1107a")
    assert (art["outlet"], art["date"], art["outlet_source"], art["date_source"]) == (
        "روسيا اليوم", dt.date(2017, 4, 14), "corrected", "corrected")
    assert overview.summary(again)["undated"] == 0
    # the per-outlet totals follow the correction too
    assert not keywords.top_terms(again, Filter(outlets=("روسيا اليوم",)), n=1).empty


def test_excerpt_loads_five_outlets_under_canonical_names(excerpt_corpus):
    totals = overview.outlet_totals(excerpt_corpus)
    assert dict(zip(totals["outlet_en"], totals["outlet"])) == {
        "Sky News Arabia": "سكاي نيوز عربية", "Al Arabiya": "العربية", "France 24 Arabic": "فرانس 24",
        "BBC Arabic": "بي بي سي عربي", "CNN Arabic": "سي إن إن بالعربية"}
    rep = overview.report(excerpt_corpus)
    assert (rep["reason"] == "duplicate-url").sum() == 18
    assert overview.summary(excerpt_corpus)["articles"] == 342


def test_topic_totals_per_outlet_equal_the_sum_of_per_article_hits(excerpt_corpus):
    flt = Filter(date_from="2018-03-16", outlets=("العربية", "فرانس 24", "سكاي نيوز عربية"))
    per_outlet = topics.topic_by_outlet(excerpt_corpus, flt).set_index(["outlet", "topic"])
    per_article = topics.article_topics(excerpt_corpus, flt)
    expected = per_article.groupby(["outlet", "topic"]).agg(hits=("hits", "sum"), articles=("article_id", "nunique"))
    got = per_outlet.loc[expected.index]
    assert (got["hits"] == expected["hits"]).all() and (got["articles"] == expected["articles"]).all()
    assert per_outlet["hits"].sum() == expected["hits"].sum() > 0


def test_a_text_query_resolves_its_articles_once_and_selects_what_the_subquery_selects(sample_corpus):
    """The query's articles are looked up once per handle (a page's computations reuse them) and are
    exactly those the terms subquery selects; a handle keeps only the most recent queries."""
    from core.index import scope

    flt = Filter(query="روسيا")
    where, params = sample_corpus.where(flt)
    assert "$qaids" in where and params["qaids"]
    keys = sample_corpus.query_keys(flt.query)
    sub, sub_params = scope.where(flt, "a", keys, sample_corpus._tids)
    assert "$qtids" in sub
    direct = sample_corpus.sql(f"SELECT aid FROM articles a WHERE {sub} ORDER BY aid", sub_params)["aid"].tolist()
    assert params["qaids"] == direct
    assert sample_corpus.where(flt)[1]["qaids"] is params["qaids"]       # remembered, not recomputed
    for i in range(70):
        sample_corpus.where(Filter(query=f"كلمة{i}"))
    assert len(sample_corpus._recent) <= 64
