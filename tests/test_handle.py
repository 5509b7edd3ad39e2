"""Facts about core.index.handle: how the read handle turns a text query into the articles it selects."""
from core.filter import Filter
from core.index import scope


def test_a_text_query_resolves_its_articles_once_and_selects_what_the_subquery_selects(sample_corpus):
    """The query's articles are looked up once per handle (a page's computations reuse them) and are
    exactly those the terms subquery selects; a handle keeps only the most recent queries."""
    flt = Filter(query="روسيا")
    where, params = sample_corpus.where(flt)
    assert "$qaids" in where
    keys = sample_corpus.query_keys(flt.query)
    sub, sub_params = scope.where(flt, "a", keys, sample_corpus._tids)
    assert "$qtids" in sub
    direct = sample_corpus.sql(f"SELECT aid FROM articles a WHERE {sub} ORDER BY aid", sub_params)["aid"].tolist()
    assert params["qaids"] == direct == [0, 1, 2, 3, 4]  # every seed writes روسيا
    assert sample_corpus.where(flt)[1]["qaids"] is params["qaids"]       # remembered, not recomputed
    for i in range(70):  # 70 words no article writes (a digit would be a token of its own)
        sample_corpus.where(Filter(query="kalima" + "abcdefghij"[i // 10] + "abcdefghij"[i % 10]))
    assert len(sample_corpus._recent) == 64
    assert sample_corpus.where(flt)[1]["qaids"] is not params["qaids"]   # the oldest was let go
