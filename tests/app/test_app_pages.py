"""AppTest for every page: it renders on the sample and on the ant excerpt, and the filter moves its numbers."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["overview", "keywords", "topics", "entities", "compare", "reuse", "articles", "data"]


def open_page(page: str, corpus: str = "sample", lang: str = "ar", outlets=None, query: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["corpus"] = corpus
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    if outlets is not None or query:
        if outlets is not None:
            at.multiselect(key="f_outlets").set_value(list(outlets))
        if query:
            at.text_input(key="f_query").set_value(query)
        at.run()
        assert not at.exception, at.exception
    if page != "overview":
        at.switch_page(f"pages/{page}_page.py")
        at.run()
    assert not at.exception, at.exception
    return at


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def decode(arr) -> list:
    """Plotly sends numeric arrays as {"dtype", "bdata"} (base64); give plain numbers back."""
    if isinstance(arr, dict) and "bdata" in arr:
        import base64

        import numpy as np

        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=arr["dtype"]).tolist()
    return list(arr or [])


def bar_values(fig: dict) -> list:
    return [v for tr in fig["data"] for v in decode(tr.get("x") if tr.get("orientation") == "h" else tr.get("y"))]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("corpus", ["sample", "extra"])
def test_every_page_renders_without_exception(page, corpus):
    at = open_page(page, corpus=corpus)
    assert at.title, f"{page} shows no title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_english(page):
    at = open_page(page, lang="en")
    assert at.title[0].value in {"Overview", "Keywords", "Topics", "Entities", "Compare outlets", "Reuse & quotes",
                                 "Articles", "Data"}


def test_overview_numbers_follow_the_outlet_filter():
    at = open_page("overview", lang="en")
    assert metric(at, "Articles") == "5"
    assert metric(at, "Outlets") == "5"
    assert len(at.dataframe[0].value) == 5
    at = open_page("overview", lang="en", outlets=["شينخوا"])
    assert metric(at, "Articles") == "1"
    assert list(at.dataframe[0].value["id"]) == ["002_8bb5bcd9b53559f5"]
    outlets_fig = figures(at)[0]
    assert bar_values(outlets_fig) == [1]


def test_overview_shows_unknown_outlet_and_undated_article_on_the_sample():
    at = open_page("overview", lang="en")
    fig = figures(at)[0]
    labels = [lab for tr in fig["data"] for lab in tr["y"]]
    assert "unknown" in labels
    assert (metric(at, "First date"), metric(at, "Last date")) == ("2017-04-12", "2019-05-15")
    assert any("1 undated" in c.value for c in at.caption)


def test_query_is_normalised_like_the_corpus():
    # سورية (Syrian spelling) finds the articles that write سوريا too
    at = open_page("overview", lang="en", query="سورية")
    assert metric(at, "Articles") == "5"
    at = open_page("overview", lang="en", query="بومبيو")
    assert metric(at, "Articles") == "1"


def test_keywords_change_with_the_filter_and_contain_no_stop_words():
    at = open_page("keywords", lang="en")
    top = figures(at)[0]
    labels = [y.strip("\u2067\u2069") for tr in top["data"] for y in tr["y"]]
    for stop in ("في", "من", "قال", "بشأن"):
        assert stop not in labels
    at2 = open_page("keywords", lang="en", outlets=["الثورة"])
    labels2 = [y.strip("\u2067\u2069") for tr in figures(at2)[0]["data"] for y in tr["y"]]
    assert labels2 != labels
    assert "بومبيو" in labels2 and "بومبيو" not in labels[:3]


def test_topics_page_counts_move_with_the_filter():
    at = open_page("topics", lang="en")
    all_hits = sum(bar_values(figures(at)[0]))
    at2 = open_page("topics", lang="en", outlets=["شينخوا"])
    one_hits = sum(bar_values(figures(at2)[0]))
    assert all_hits > one_hits > 0


def test_entities_page_counts_move_with_the_filter():
    at = open_page("entities", lang="en")
    all_mentions = sum(bar_values(figures(at)[0]))
    at2 = open_page("entities", lang="en", outlets=["قاسيون"])
    assert 0 < sum(bar_values(figures(at2)[0])) < all_mentions


def test_articles_page_shows_provenance_and_highlights_the_query():
    at = open_page("articles", lang="en", outlets=["الثورة"], query="لبومبيو")
    meta = at.dataframe[0].value
    row = meta[meta["field"] == "date"].iloc[0]
    assert row["value"] == "2019-05-15" and row["source"] == "sidecar"
    body = next(m.value for m in at.markdown if "marsad-article" in m.value)
    # the query's clitic form finds the bare name, and the hits are marked
    assert '<mark class="marsad-hit">بومبيو</mark>' in body
    assert '<mark class="marsad-hit">لبومبيو</mark>' in body
    # cleaned text: the "latest news" footer list is not shown
    assert "آخر الأخبار" not in body


def test_articles_page_can_show_the_original_with_removed_furniture():
    at = open_page("articles", lang="en", outlets=["الثورة"])
    at.toggle(key="ar_original").set_value(True).run()
    body = next(m.value for m in at.markdown if "marsad-article" in m.value)
    assert "آخر الأخبار" in body and "marsad-removed" in body


def test_data_page_shows_the_report_table():
    at = open_page("data", lang="en", corpus="extra")
    assert any(df.value is not None and "reason" in df.value.columns for df in at.dataframe)


def test_topic_edit_in_the_page_changes_the_counts():
    at = open_page("topics", lang="en")
    before = sum(bar_values(figures(at)[0]))
    at.selectbox(key="tp_edit_id").set_value("chemical-weapons").run()
    area = next(a for a in at.text_area if a.key and a.key.startswith("tp_kw_chemical-weapons"))
    area.set_value(area.value + "\nالكلور").run()
    at.button(key="tp_save").click().run()
    assert not at.exception, at.exception
    after = sum(bar_values(figures(at)[0]))
    try:
        # per 1,000 words: one more hit ("قنابل الكلور" in seed 002) moves Xinhua's chemical-weapons bar up
        assert after > before
        assert "الكلور" in next(c.value for c in at.caption if "الكلور" in c.value)
    finally:
        at.button(key="tp_reset").click().run()
    assert sum(bar_values(figures(at)[0])) == before


@pytest.mark.parametrize("page", PAGES)
def test_empty_filter_shows_an_empty_state_not_an_error(page):
    at = open_page(page, lang="en", query="كلمةلاتوجد")
    assert not at.exception
    if page != "data":  # the data page still shows the corpus report and the upload form
        assert any("No articles match this filter" in i.value for i in at.info)


def test_compare_page_follows_the_filter():
    at = open_page("compare", lang="en")
    all_outlets = {y for fig in figures(at) if fig["data"][0].get("type") == "heatmap" for y in fig["data"][0]["y"]}
    at2 = open_page("compare", lang="en", outlets=["الثورة", "شينخوا"])
    two = {y for fig in figures(at2) if fig["data"][0].get("type") == "heatmap" for y in fig["data"][0]["y"]}
    assert len(all_outlets) > len(two) >= 2
    assert at2.selectbox(key="cmp_a").options == ["الثورة (1)"] or set(at2.selectbox(key="cmp_a").options) == {"الثورة", "شينخوا"}


def test_reuse_page_follows_the_filter():
    at = open_page("reuse", lang="en")
    pairs = at.dataframe[0].value
    assert set(zip(pairs["a_id"], pairs["b_id"])) == {("003_2fb4171725300b4b", "000_058533779b74fd40")}
    at2 = open_page("reuse", lang="en", outlets=["شينخوا"])
    # no shared passage involves Xinhua's article; its quotes remain
    assert all("a_id" not in df.value.columns for df in at2.dataframe)
    quotes = next(df.value for df in at2.dataframe if "speaker" in df.value.columns)
    assert set(quotes["outlet"]) == {"شينخوا"}


def test_articles_and_data_pages_follow_the_filter():
    at = open_page("articles", lang="en", outlets=["قاسيون", "شينخوا"])
    assert len(at.selectbox(key="ar_pick").options) == 2
    at = open_page("data", lang="en", outlets=["قاسيون"])
    editor = at.dataframe[-1].value  # the corrections editor lists the filtered articles
    assert list(editor["id"]) == ["000_058533779b74fd40"]


def test_uploaded_table_with_its_own_column_names_loads_through_the_mapping():
    from ui import state

    state.UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    (state.UPLOAD_DIR / "export.csv").write_text(
        "body_ar,site,published_on\n"
        "\"قال لافروف إن موسكو مستعدة للحوار مع واشنطن بشأن سوريا\",RT Arabic,2018-03-15\n"
        "\"أكد بومبيو أن واشنطن تريد تحسين العلاقات مع موسكو\",RT Arabic,2019-05-14\n",
        encoding="utf-8")
    try:
        at = open_page("data", lang="en", corpus="uploads")
        report = next(df.value for df in at.dataframe if "reason" in df.value.columns)
        assert "no-text-column" in set(report["reason"])  # body_ar is not a usual name
        for field, column in (("text", "body_ar"), ("outlet", "site"), ("date", "published_on")):
            at.text_input(key=f"da_map_{field}").set_value(column)
        at.button(key="da_map_save").click().run()
        assert not at.exception, at.exception
        editor = at.dataframe[-1].value
        assert len(editor) == 2 and set(editor["date"].astype(str)) == {"2018-03-15", "2019-05-14"}
    finally:
        (state.UPLOAD_DIR / "export.csv").unlink()
        state.UPLOAD_MAPPING.unlink(missing_ok=True)
