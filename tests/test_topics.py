"""Facts about core.analysis.topics: a phrase hit is counted once, keywords never match a shorter word,
the per-keyword table accounts for every hit under the filter (crafted articles); on the sample and the
ant excerpt, per-outlet counts follow an edited lexicon and equal the sum of the per-article hits."""
import dataclasses
import json

import pandas as pd
import pytest

from core.analysis import topics
from core.filter import Filter
from core.resources import Topic
from core.index.handle import Corpus

ARTICLES = [
    # أسعار النفط الخام (3 words) ⊃ أسعار النفط ⊃ النفط: every occurrence counts once
    ("صحيفة أ", "2024-01-01", "ارتفعت أسعار النفط الخام أمس. وتراجعت أسعار النفط بعد ذلك. والنفط سلعة مهمة"),
    ("صحيفة أ", "2024-01-02", "قالت سارة إن غاز السارين خطير. وذكر البيان أن البيانات ناقصة"),
    ("صحيفة ب", "2024-01-02", "أعلنت حماس موقفها. واستقبل الجمهور الفريق بحماس. الحماس كبير. النفط رخيص"),
]

ECONOMY = Topic("eco", "الاقتصاد", "Economy", ["أسعار النفط الخام", "أسعار النفط", "النفط"])
CHEM = Topic("cw", "كيماوي", "Chemical", ["السارين"])
TECH = Topic("tech", "تقنية", "Tech", ["البيانات"])
PAL = Topic("pal", "فلسطين", "Palestine", ["=حماس"])
PAL_LOOSE = Topic("pal2", "فلسطين", "Palestine", ["حماس"])
LEX = [ECONOMY, CHEM, TECH, PAL, PAL_LOOSE]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    p = tmp_path_factory.mktemp("topics") / "articles.jsonl"
    with p.open("w", encoding="utf-8") as f:
        for i, (outlet, date, text) in enumerate(ARTICLES):
            f.write(json.dumps({"id": f"a{i}", "outlet": outlet, "date": date, "title": f"خبر {i}", "text": text},
                               ensure_ascii=False) + "\n")
    return Corpus.build([str(p)])


def _hits(corpus, flt=None):
    by = topics.topic_by_outlet(corpus, flt, LEX)
    return by.groupby("topic")["hits"].sum().to_dict()


def test_a_phrase_hit_is_not_counted_again_through_its_words(corpus):
    h = _hits(corpus)
    # article 0: one trigram, one bigram, one lone النفط; article 2: one lone النفط
    assert h["eco"] == 4
    kw = topics.keyword_hits(corpus, None, [ECONOMY]).set_index("keyword")
    assert kw.loc["أسعار النفط الخام", "hits"] == 1
    assert kw.loc["أسعار النفط", "hits"] == 1
    assert kw.loc["النفط", "hits"] == 2 and kw.loc["النفط", "articles"] == 2


def test_keywords_never_match_a_shorter_word(corpus):
    h = _hits(corpus)
    assert h["cw"] == 1          # السارين, not سارة
    assert h["tech"] == 1        # البيانات, not البيان


def test_an_exact_keyword_does_not_match_its_other_forms(corpus):
    h = _hits(corpus)
    assert h["pal2"] == 3        # حماس, بحماس and الحماس ("enthusiasm")
    assert h["pal"] == 2         # =حماس: حماس and بحماس (the clitic form), not الحماس


def test_the_keyword_table_accounts_for_every_hit_under_the_filter(corpus):
    for flt in (None, Filter(outlets=("صحيفة ب",))):
        kw = topics.keyword_hits(corpus, flt, LEX)
        assert list(kw.columns) == ["topic", "keyword", "hits", "articles", "terms"]
        assert kw.groupby("topic")["hits"].sum().to_dict() == _hits(corpus, flt)
        per_article = topics.article_topics(corpus, flt, LEX)
        assert per_article.groupby("topic")["hits"].sum().to_dict() == {
            t: n for t, n in _hits(corpus, flt).items() if n}
    only_b = topics.keyword_hits(corpus, Filter(outlets=("صحيفة ب",)), [ECONOMY]).set_index("keyword")
    assert only_b.loc["النفط", "hits"] == 1 and only_b.loc["أسعار النفط", "hits"] == 0


def test_topics_count_per_outlet_and_move_when_a_keyword_is_added(sample_corpus):
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


def test_topic_totals_per_outlet_equal_the_sum_of_per_article_hits(excerpt_corpus):
    flt = Filter(date_from="2018-03-16", outlets=("العربية", "فرانس 24", "سكاي نيوز عربية"))
    per_outlet = topics.topic_by_outlet(excerpt_corpus, flt).set_index(["outlet", "topic"])
    per_article = topics.article_topics(excerpt_corpus, flt)
    expected = per_article.groupby(["outlet", "topic"]).agg(hits=("hits", "sum"), articles=("article_id", "nunique"))
    got = per_outlet.loc[expected.index]
    assert (got["hits"] == expected["hits"]).all() and (got["articles"] == expected["articles"]).all()
    assert per_outlet["hits"].sum() == expected["hits"].sum() > 0


def test_the_stored_hits_give_what_the_term_scan_gives(excerpt_corpus, monkeypatch):
    """The build keeps the hits of its lexicon (topic_hits); every view reading them must equal the scan
    of the terms an edited lexicon takes, under filters with dates, outlets and a text query."""
    c = excerpt_corpus
    assert topics._rollup(c) and c.rows("SELECT COUNT(*) FROM topic_hits")[0][0] > 100
    assert topics._use_days(c, Filter(), None) and not topics._use_days(c, Filter(query="سوريا"), None)
    edited = [dataclasses.replace(t, keywords=list(t.keywords) + ["الكلور"]) if i == 0 else t
              for i, t in enumerate(c.resources.topics)]
    assert not topics._rollup(c, edited)                      # another lexicon: the scan
    flts = [Filter(), Filter(date_from="2018-03-16", outlets=("العربية", "فرانس 24")), Filter(query="سوريا"),
            Filter(date_to="2018-03-20", undated="exclude")]
    calls = [lambda f: topics.topic_by_outlet(c, f), lambda f: topics.topic_trend(c, f, freq="W"),
             lambda f: topics.article_topics(c, f)]
    stored = [[call(f) for f in flts] for call in calls]
    monkeypatch.setattr(topics, "_rollup", lambda corpus, topics=None: False)
    c.views.clear()
    for row, call in zip(stored, calls):
        for got, f in zip(row, flts):
            scanned = call(f)
            assert len(scanned) and scanned["hits"].sum() > 0
            pd.testing.assert_frame_equal(got.reset_index(drop=True), scanned.reset_index(drop=True), check_dtype=False)
