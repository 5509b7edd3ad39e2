"""Facts about core.index.handle: how the read handle turns a text query into the articles it selects."""
from core.filter import Filter
from core.index import scope


def test_a_text_query_resolves_its_articles_once_and_selects_what_the_subquery_selects(sample_corpus):
    """The query's articles are looked up once per handle (a page's computations reuse them) and are
    exactly those the terms subquery selects; a handle keeps only the most recent queries."""
    flt = Filter(query="روسيا")
    where, params = sample_corpus.where(flt)
    assert "$qbits" in where
    keys = sample_corpus.query_keys(flt.query)
    sub, sub_params = scope.where(flt, "a", keys, sample_corpus._tids)
    assert "$qtids" in sub
    direct = sample_corpus.sql(f"SELECT aid FROM articles a WHERE {sub} ORDER BY aid", sub_params)["aid"].tolist()
    bits = sample_corpus.sql(f"SELECT aid FROM articles a WHERE {where} ORDER BY aid", params)["aid"].tolist()
    assert bits == direct == [0, 1, 2, 3, 4]  # every seed writes روسيا
    assert [i for i, b in enumerate(params["qbits"]) if b == "1"] == direct
    assert sample_corpus.where(flt)[1]["qbits"] is params["qbits"]       # remembered, not recomputed
    for i in range(70):  # 70 words no article writes (a digit would be a token of its own)
        sample_corpus.where(Filter(query="kalima" + "abcdefghij"[i // 10] + "abcdefghij"[i % 10]))
    assert len(sample_corpus._recent) == 64
    assert sample_corpus.where(flt)[1]["qbits"] is not params["qbits"]   # the oldest was let go


def test_the_query_bit_string_selects_what_the_subquery_selects_on_real_articles(excerpt_corpus):
    """On the ANT excerpt, for a word, a quoted phrase, two words and a word no article writes: the
    remembered bit string selects exactly the articles of the terms subquery, alone and joined to a
    per-article table (where DuckDB could otherwise move the test across the join)."""
    c = excerpt_corpus
    top = c.sql("SELECT key FROM vocab WHERE n = 1 AND df > 3 AND df < 200 ORDER BY df DESC LIMIT 2")["key"].tolist()
    bigram = c.sql("SELECT key FROM vocab WHERE n = 2 ORDER BY df DESC LIMIT 1")["key"].iloc[0]
    seen = set()
    for q in (top[0], f'"{bigram}"', f"{top[0]} {top[1]}", "kalimazz"):
        flt = Filter(query=q, outlets=())
        where, params = c.where(flt)
        sub, sub_params = scope.where(flt, "a", c.query_keys(q), c._tids)
        direct = c.sql(f"SELECT aid FROM articles a WHERE {sub} ORDER BY aid", sub_params)["aid"].tolist()
        got = c.sql(f"SELECT aid FROM articles a WHERE {where} ORDER BY aid", params)["aid"].tolist()
        assert got == direct
        assert len(params.get("qbits", "")) in (0, c.aid_bound() + 1)
        joined = ("SELECT a.outlet, t.tid, SUM(t.cnt) AS c FROM terms t JOIN articles a USING (aid) WHERE {w} "
                  "GROUP BY 1, 2 ORDER BY 1, 2")
        assert c.sql(joined.format(w=where), params).equals(c.sql(joined.format(w=sub), sub_params))
        seen.add(len(direct) > 0)
    assert seen == {True, False}   # queries that select articles and one that selects none


def test_an_article_numbered_after_the_bit_string_is_not_selected(excerpt_corpus):
    """The bit string ends with a "0" past every aid it was made for: an aid beyond it (an article appended
    under an open handle) is simply not selected, never out of the string's range."""
    c = excerpt_corpus
    where, params = c.where(Filter(query="روسيا"))
    n = len(params["qbits"])
    got = c.sql(f"SELECT a.aid FROM (SELECT aid, words FROM articles UNION ALL SELECT {n + 5}, 10) a WHERE {where} "
                "ORDER BY a.aid", params)["aid"].tolist()
    assert got and got == [i for i, b in enumerate(params["qbits"]) if b == "1"] and max(got) < n
