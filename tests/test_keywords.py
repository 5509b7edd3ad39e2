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


def test_top_terms_are_the_same_summed_alone_or_from_the_pages_outlet_counts(excerpt_corpus):
    """Under a date range or a query, top terms are summed by term alone, or read from the outlet x term
    counts when another view of the page summed them already: the same table either way."""
    from core.analysis.distinctive import outlet_term_frame

    word = keywords.top_terms(excerpt_corpus, None, n=1, limit=1)["label"].iloc[0]
    for flt in (Filter(date_from="2018-03-01"), Filter(query=word), Filter(query=word, outlets=("العربية",))):
        for n in (1, 2):
            excerpt_corpus.views.clear()
            alone = keywords.top_terms(excerpt_corpus, flt, n=n, limit=25)
            assert not outlet_term_frame.is_cached(excerpt_corpus, flt, n)
            outlet_term_frame(excerpt_corpus, flt, n)
            assert outlet_term_frame.is_cached(excerpt_corpus, flt, n)
            shared = keywords.top_terms.uncached(excerpt_corpus, flt, n=n, limit=25)
            assert len(alone) == 25
            pd.testing.assert_frame_equal(alone, shared)


def test_concordance_finds_clitic_forms_with_context(sample_corpus):
    kwic = keywords.concordance(sample_corpus, "لافروف", Filter(outlets=("شينخوا",)))
    assert "للافروف" in set(kwic["match"])
    row = kwic[kwic["match"] == "للافروف"].iloc[0]
    assert row["left"].endswith("ووفقا") and row["right"].startswith("، فإن الجانبين")
    assert set(kwic["article_id"]) == {"002_8bb5bcd9b53559f5"}


def _concordance_reference(corpus, term, flt=None, width=8, limit=500, sort="right"):
    """The concordance as it was computed before it skipped to the matches: every token's offsets and
    key, then a scan of every position (the plain algorithm the faster one must equal)."""
    from core.analysis.overview import as_dates
    from core.arabic import normalize, token_spans, tokenize

    keys = [k for k in (corpus.grouper.key(normalize(t)) for t in tokenize(term)) if k]
    cols = ["article_id", "outlet", "date", "left", "match", "right"]
    if not keys:
        return pd.DataFrame(columns=cols)
    n = len(keys)
    where, params = corpus.where(flt or Filter())
    tid = corpus.rows("SELECT tid FROM vocab WHERE key = $key AND n = $n", {"key": " ".join(keys), "n": n})
    order = [r[0] for r in corpus.rows(
        f"SELECT a.aid FROM articles a WHERE {where} AND a.aid IN (SELECT aid FROM terms WHERE tid = $tid) "
        f"ORDER BY a.date NULLS LAST, a.id", {**params, "tid": tid[0][0]})] if tid else []
    rows = []
    for aid in order:
        art = corpus.rows("SELECT id, outlet, date, text FROM articles WHERE aid = $a", {"a": aid})[0]
        text = art[3]
        toks = token_spans(text)
        wkeys = [corpus.grouper.key(normalize(w)) for w, _s, _e in toks]
        for i in range(len(toks) - n + 1):
            if wkeys[i:i + n] != keys:
                continue
            s, e = toks[i][1], toks[i + n - 1][2]
            ls, re_ = toks[max(0, i - width)][1], toks[min(len(toks) - 1, i + n - 1 + width)][2]
            rows.append({"article_id": art[0], "outlet": art[1], "date": art[2], "left": " ".join(text[ls:s].split()),
                         "match": text[s:e], "right": " ".join(text[e:re_].split())})
            if len(rows) >= limit:
                break
        if len(rows) >= limit:
            break
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = as_dates(df["date"])
    if sort == "left" and not df.empty:
        df = df.assign(_k=df["left"].map(lambda s: " ".join(reversed(s.split())))).sort_values("_k").drop(columns="_k")
    elif not df.empty:
        df = df.sort_values("right", kind="stable")
    return df.reset_index(drop=True)


def test_concordance_equals_the_plain_scan_on_real_articles(excerpt_corpus):
    """On the ANT excerpt: words, clitic forms, bigrams and a trigram, under filters and short limits,
    the concordance that jumps to the matches gives exactly the rows of a scan of every token."""
    c = excerpt_corpus
    uni = keywords.top_terms(c, None, n=1, limit=8)["label"].tolist()
    bi = keywords.top_terms(c, None, n=2, limit=3)["label"].tolist()
    tri = keywords.top_terms(c, None, n=3, limit=1)["label"].tolist()
    outlet = c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC LIMIT 1")[0][0]
    cases = 0
    for term in uni + bi + tri + ["والولايات", "kalimazz"]:
        for flt in (None, Filter(outlets=(outlet,)), Filter(query=uni[0])):
            for limit, sort in ((500, "right"), (7, "left")):
                got = keywords.concordance.uncached(c, term, flt, limit=limit, sort=sort)
                want = _concordance_reference(c, term, flt, limit=limit, sort=sort)
                pd.testing.assert_frame_equal(got, want)
                cases += len(got) > 0
    assert cases > 40


def test_each_outlets_top_terms_equal_the_ranking_of_every_term(excerpt_corpus):
    """top_terms_by_outlet ranks only the terms that reach an outlet's limit-th largest count: the same
    rows as ranking every term of every outlet, from the ingestion totals and from the filtered sums,
    for limits that cut through ties (1, 3, 10) and one beyond the terms of a small filter."""
    from core.analysis.distinctive import counts_cursor

    c = excerpt_corpus
    outs = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    d1 = c.rows("SELECT MAX(date) FROM articles")[0][0]
    rows = 0
    for flt in (None, Filter(outlets=tuple(outs[1:3])), Filter(date_from=d1), Filter(query="روسيا"),
                Filter(query='"الولايات المتحدة"', outlets=(outs[-1],))):
        for n in (1, 2):
            for limit in (1, 3, 10, 5000):
                got = keywords.top_terms_by_outlet.uncached(c, flt, n=n, limit=limit)
                where, params = c.where(flt)
                rolled = c.outlet_scope(flt) is not None
                counts = ("SELECT outlet, tid, count, articles FROM outlet_terms WHERE n = $n AND outlet IN (SELECT outlet FROM w)"
                          if rolled else "SELECT CAST(outlet AS VARCHAR) AS outlet, tid, count, articles FROM counts_df")
                sql = f"""
                    WITH f AS (SELECT aid, outlet, words FROM articles a WHERE {where}),
                    w AS (SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM f GROUP BY outlet),
                    c AS ({counts}),
                    r AS (SELECT *, row_number() OVER (PARTITION BY outlet ORDER BY count DESC, articles DESC, tid) AS rank FROM c)
                    SELECT r.outlet, r.rank, v.key AS term, v.label, CAST(r.count AS BIGINT) AS count, r.articles,
                           ROUND(1000.0 * r.count / NULLIF(w.words, 0), 3) AS per_1000, v.forms
                    FROM r JOIN vocab v USING (tid) JOIN w USING (outlet) WHERE r.rank <= $lim ORDER BY r.outlet, r.rank"""
                p = {**params, "lim": limit, **({"n": n} if rolled else {})}
                want = c.sql(sql, p) if rolled else counts_cursor(c, flt, n).execute(sql, p).df()
                want["forms"] = want["forms"].map(keywords.forms_text)
                pd.testing.assert_frame_equal(got, want)
                rows += len(got)
    assert rows > 1000


def test_the_concordances_shared_word_keys_stop_at_their_limit_and_change_nothing(excerpt_corpus, monkeypatch):
    """The concordance keeps written word -> key on the handle up to WORD_KEYS_MAX words, never emptied (another
    session may be reading it); past the limit a call keeps its own. The lines are the same either way."""
    c = excerpt_corpus
    c._memo.pop(("concordance_word_keys", id(c.grouper)), None)   # what earlier tests' concordances kept
    top = keywords.top_terms(c, None, n=1, limit=40)["label"].tolist()
    first = keywords.concordance.uncached(c, top[0], None)
    shared = c.memo(("concordance_word_keys", id(c.grouper)), dict)
    assert len(shared) > 50
    monkeypatch.setattr(keywords, "WORD_KEYS_MAX", len(shared))
    before = dict(shared)
    other = keywords.concordance.uncached(c, top[-1], None)   # articles with words the shared keys lack
    assert len(other) and shared == before          # full: nothing added, nothing removed
    monkeypatch.setattr(keywords, "WORD_KEYS_MAX", 10 ** 9)
    pd.testing.assert_frame_equal(keywords.concordance.uncached(c, top[-1], None), other)
    assert len(shared) > len(before)                # below the limit the other term's words are kept
    pd.testing.assert_frame_equal(keywords.concordance.uncached(c, top[0], None), first)
