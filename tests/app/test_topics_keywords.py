"""AppTest: the Topics page shows what each keyword contributes, under the filter."""
import pytest
from test_app_pages import open_page

pytestmark = pytest.mark.app


def keyword_table(at):
    return next(df.value for df in at.dataframe if df.value is not None and "keyword" in df.value.columns)


def test_the_keyword_table_accounts_for_the_topic_hits_and_moves_with_the_filter(sample_corpus):
    from core.analysis import topics
    from core.filter import Filter

    at = open_page("topics", lang="en")
    at.selectbox(key="tp_kw_topic").set_value("syria-war").run()
    assert not at.exception, at.exception
    table = keyword_table(at)
    assert list(table.columns) == ["topic", "keyword", "hits", "articles", "terms"]
    assert set(table["topic"]) == {"syria-war"}
    by = topics.topic_by_outlet(sample_corpus, Filter())
    total = int(by.loc[by["topic"] == "syria-war", "hits"].sum())
    assert int(table["hits"].sum()) == total > 0

    at2 = open_page("topics", lang="en", outlets=["شينخوا"])
    at2.selectbox(key="tp_kw_topic").set_value("syria-war").run()
    one = keyword_table(at2)
    assert 0 < int(one["hits"].sum()) < total
    assert any(b.label.startswith("⬇") for b in at2.get("download_button"))
