"""Facts about the per-(corpus, view, filter) result cache (core.index.viewcache) and the bounded
quote table: a repeated view is served from the handle without changing what it returns."""
import dataclasses

import pandas as pd
import pytest

from core.analysis import keywords, overview, quotes_view, topics
from core.filter import Filter
from core.index.viewcache import ViewCache, Unkeyable, freeze, view
from tests.conftest import SAMPLE


@pytest.fixture
def fresh_sample():
    from core.index.handle import Corpus

    return Corpus.build([SAMPLE])


def test_a_repeated_view_is_a_hit_and_equals_the_uncached_result(excerpt_corpus):
    c, flt = excerpt_corpus, Filter(query="روسيا")
    first = keywords.top_terms(c, flt, n=1, limit=20)
    hits = c.views.hits
    again = keywords.top_terms(c, flt, n=1, limit=20)
    assert c.views.hits == hits + 1
    pd.testing.assert_frame_equal(first, again)
    pd.testing.assert_frame_equal(again, keywords.top_terms.uncached(c, flt, n=1, limit=20))
    # another argument value is another entry, not the same result
    assert len(keywords.top_terms(c, flt, n=1, limit=5)) == 5


def test_changing_a_returned_frame_does_not_change_the_next_result(excerpt_corpus):
    c = excerpt_corpus
    got = overview.outlet_totals(c, Filter())
    got["articles"] = -1
    got.drop(got.index, inplace=True)
    again = overview.outlet_totals(c, Filter())
    assert len(again) == 5 and (again["articles"] > 0).all()
    s = overview.summary(c, Filter())
    s["articles"] = 0
    assert overview.summary(c, Filter())["articles"] == 342


def test_corrections_clear_the_cache(fresh_sample, tmp_path):
    c = fresh_sample
    before = overview.outlet_totals(c, Filter())
    assert "روسيا اليوم" not in set(before["outlet"])
    c.correct(pd.DataFrame({"id": ["001_1fb983bfe6a1107a"], "outlet": ["روسيا اليوم"], "date": [""]}),
              tmp_path / "corrections.csv")
    assert len(c.views) == 0
    after = overview.outlet_totals(c, Filter())
    assert "روسيا اليوم" in set(after["outlet"])


def test_an_edited_topic_lexicon_is_a_new_key(excerpt_corpus):
    c = excerpt_corpus
    lex = list(c.resources.topics)
    base = topics.topic_by_outlet(c, Filter(), lex)
    edited = [dataclasses.replace(lex[0], keywords=["روسيا"])] + lex[1:]
    assert freeze(edited) != freeze(lex)
    changed = topics.topic_by_outlet(c, Filter(), edited)
    pd.testing.assert_frame_equal(changed, topics.topic_by_outlet.uncached(c, Filter(), edited))
    first = lex[0].id
    assert not base[base["topic"] == first].reset_index(drop=True).equals(
        changed[changed["topic"] == first].reset_index(drop=True))


def test_the_cache_is_bounded():
    cache = ViewCache(max_entries=3, max_bytes=10 ** 9)
    for i in range(10):
        assert cache.get(("k", i), lambda i=i: pd.DataFrame({"x": [i]}))["x"].iloc[0] == i
    assert len(cache) == 3
    small = ViewCache(max_entries=100, max_bytes=40_000)
    for i in range(10):
        small.get(("k", i), lambda: pd.DataFrame({"x": range(1000)}))  # ~9 KB each
    assert 1 <= len(small) <= 4


def test_a_result_being_computed_is_waited_for_not_computed_again():
    """Two threads asking for one key while the first computes it: one computation, both get its result
    (ten sessions on one filter, or a page reading back what it started with ``warm``)."""
    import threading

    cache = ViewCache()
    started, release, calls = threading.Event(), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return pd.DataFrame({"x": [len(calls)]})

    got = []
    first = threading.Thread(target=lambda: got.append(cache.get("k", slow)))
    first.start()
    assert started.wait(5)
    assert cache.has("k")   # being computed: a view may start from it and wait
    second = threading.Thread(target=lambda: got.append(cache.get("k", slow)))
    second.start()
    second.join(0.2)
    assert second.is_alive()   # waiting, not computing
    release.set()
    first.join(5)
    second.join(5)
    assert len(calls) == 1 and [g["x"].iloc[0] for g in got] == [1, 1]


def test_a_failed_computation_lets_the_waiting_caller_compute_and_raise_itself():
    import threading

    cache = ViewCache()
    started, release = threading.Event(), threading.Event()

    def failing():
        started.set()
        release.wait(5)
        raise ValueError("boom")

    errors = []

    def ask(fn):
        try:
            cache.get("k", fn)
        except ValueError as e:
            errors.append(str(e))

    first = threading.Thread(target=ask, args=(failing,))
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=ask, args=(lambda: (_ for _ in ()).throw(ValueError("mine")),))
    second.start()
    release.set()
    first.join(5)
    second.join(5)
    assert sorted(errors) == ["boom", "mine"] and not cache.has("k")


def test_a_result_computed_across_a_clear_is_not_kept():
    """Corrections clear the cache: a view that was computing from the old data is returned to its caller
    but not kept for the next one."""
    import threading

    cache = ViewCache()
    started, release = threading.Event(), threading.Event()

    def old():
        started.set()
        release.wait(5)
        return pd.DataFrame({"x": ["old"]})

    t = threading.Thread(target=lambda: cache.get("k", old))
    t.start()
    assert started.wait(5)
    cache.clear()
    release.set()
    t.join(5)
    assert cache.get("k", lambda: pd.DataFrame({"x": ["new"]}))["x"].iloc[0] == "new"


def test_warm_leaves_the_pages_results_in_the_cache(excerpt_corpus):
    """A page's warmed views are computed on the pool; its own later calls get the same results, whichever
    thread computed them."""
    import time

    from core.analysis import distinctive, entities
    from core.index.viewcache import warm

    c = excerpt_corpus
    flt = Filter(query="روسيا")
    c.views.clear()
    calls = [lambda: entities.entity_by_outlet(c, flt, limit=20), lambda: distinctive.similarity(c, flt),
             lambda: topics.topic_by_outlet(c, flt, c.resources.topics)]
    warm(*calls)
    deadline = time.time() + 60
    warmed = [lambda: entities.entity_by_outlet.is_cached(c, flt, limit=20), lambda: distinctive.similarity.is_cached(c, flt),
              lambda: topics.topic_by_outlet.is_cached(c, flt, c.resources.topics)]
    while (c.views.busy() or not all(w() for w in warmed)) and time.time() < deadline:
        time.sleep(0.01)
    misses = c.views.misses
    got = [fn() for fn in calls]
    assert c.views.misses == misses   # read back, none computed again
    pd.testing.assert_frame_equal(got[0], entities.entity_by_outlet.uncached(c, flt, limit=20))
    pd.testing.assert_frame_equal(got[1], distinctive.similarity.uncached(c, flt))
    pd.testing.assert_frame_equal(got[2], topics.topic_by_outlet.uncached(c, flt, c.resources.topics))


def test_unkeyable_arguments_skip_the_cache(excerpt_corpus):
    calls = []

    @view
    def probe(corpus, thing):
        calls.append(1)
        return 1

    with pytest.raises(Unkeyable):
        freeze(pd.DataFrame())
    probe(excerpt_corpus, pd.DataFrame())
    probe(excerpt_corpus, pd.DataFrame())
    assert len(calls) == 2
    probe(excerpt_corpus, ("a", ["b"]))
    probe(excerpt_corpus, ("a", ["b"]))
    assert len(calls) == 3


def test_quotes_head_and_count_match_the_full_table(excerpt_corpus):
    c = excerpt_corpus
    for flt in (Filter(), Filter(query="روسيا"), Filter(outlets=("العربية",))):
        full = quotes_view.quotes(c, flt)
        assert quotes_view.quote_count(c, flt) == len(full)
        head = quotes_view.quotes(c, flt, limit=7)
        pd.testing.assert_frame_equal(head, full.head(7))
    assert quotes_view.quote_count(c, Filter()) > 7


def test_the_article_count_of_the_summary_is_the_article_table_length(excerpt_corpus):
    c = excerpt_corpus
    for flt in (Filter(), Filter(query="روسيا"), Filter(undated="only")):
        assert overview.summary(c, flt)["articles"] == len(overview.articles(c, flt))


def test_one_articles_topics_are_its_rows_of_the_corpus_table(excerpt_corpus):
    c = excerpt_corpus
    every = topics.article_topics(c, None)
    for aid in list(every["article_id"].unique()[:5]) + ["no-such-id"]:
        one = topics.article_topics(c, None, article_id=aid).reset_index(drop=True)
        mine = every[every["article_id"] == aid].reset_index(drop=True)
        if aid == "no-such-id":
            assert one.empty and list(one.columns) == list(mine.columns)
        else:
            pd.testing.assert_frame_equal(one, mine)
    assert len(every["article_id"].unique()) >= 5


def test_a_memo_is_computed_once_while_other_keys_go_on(excerpt_corpus):
    """Two threads asking a handle for one memo: one computes it, the other waits for that value; a
    different key is not held up meanwhile."""
    import threading

    c = excerpt_corpus
    started, release, calls = threading.Event(), threading.Event(), []

    def slow():
        calls.append(1)
        started.set()
        release.wait(5)
        return object()

    got = []
    a = threading.Thread(target=lambda: got.append(c.memo(("test-slow-memo",), slow)))
    a.start()
    assert started.wait(5)
    b = threading.Thread(target=lambda: got.append(c.memo(("test-slow-memo",), slow)))
    b.start()
    assert c.memo(("test-other-memo",), lambda: 42) == 42   # another key: not held up
    b.join(0.2)
    assert b.is_alive()   # waiting for the first computation, not computing
    release.set()
    a.join(5)
    b.join(5)
    assert len(calls) == 1 and len(got) == 2 and got[0] is got[1]


def test_a_memo_computed_across_corrections_is_not_kept(fresh_sample):
    """Corrections clear a handle's memos: one that was being computed from the old data is returned to its
    caller but not kept for the next."""
    import threading

    c = fresh_sample
    started, release = threading.Event(), threading.Event()

    def old():
        started.set()
        release.wait(5)
        return "old"

    t = threading.Thread(target=lambda: c.memo(("test-memo-across",), old))
    t.start()
    assert started.wait(5)
    first = c.sql("SELECT id FROM articles LIMIT 1")["id"].iloc[0]
    assert c.correct(pd.DataFrame({"id": [first], "outlet": ["منفذ مصحح"], "date": [""]})) == 1
    release.set()
    t.join(5)
    assert c.memo(("test-memo-across",), lambda: "new") == "new"
