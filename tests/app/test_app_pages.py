"""AppTest for every page: it renders on the sample and on the ant excerpt, and the filter moves its numbers."""
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import charts
from core.i18n import t

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["overview", "keywords", "topics", "entities", "compare", "reuse", "stories", "articles", "data"]


def open_page(page: str, corpus: str = "sample", lang: str = "ar", outlets=None, query: str = "") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    as_owner(at)
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


#: The pages drawn as tabs that track their state (only the open tab computed), and their tab's key.
TABBED = {"compare": "cmp_tab", "reuse": "rq_tab"}


def each_tab(at: AppTest, page: str):
    """Yield ``at`` once per tab of ``page`` with that tab open (once, as it is, for a page without tabs)."""
    if page not in TABBED:
        yield at
        return
    for label in [t.label for t in at.tabs]:
        at.session_state[TABBED[page]] = label
        at.run()
        assert not at.exception, (label, at.exception)
        yield at


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
def test_every_page_renders_with_its_own_title(page, corpus):
    at = open_page(page, corpus=corpus)
    assert [el.value for el in at.title] == [t(f"nav.{page}", "ar")]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_in_english(page):
    at = open_page(page, lang="en")
    assert [el.value for el in at.title] == [t(f"nav.{page}", "en")]


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
    # the word cloud is text the browser draws, holding the page's top terms; its PNG waits for a click
    cloud = [m.value for m in at2.markdown if 'class="marsad-cloud"' in m.value]
    assert len(cloud) == 1 and "بومبيو" in cloud[0]
    assert not at2.get("image")


def test_topics_page_counts_move_with_the_filter():
    """The topic bars are core's per-1,000 rates under the page's filter, and an outlet changes them."""
    from core.analysis import topics
    from core.filter import Filter
    from ui import corpora, lexicons

    shown = {}
    for outlets in ((), ("شينخوا",)):
        at = open_page("topics", lang="en", outlets=list(outlets))
        want = topics.topic_by_outlet(corpora.get_corpus("sample"), Filter(outlets=outlets), lexicons.topics())
        shown[outlets] = sorted(bar_values(figures(at)[0]))
        assert shown[outlets] == pytest.approx(sorted(want["per_1000"]), abs=0.006)
    assert shown[()] != shown[("شينخوا",)]


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


def heatmap_rows(at: AppTest) -> set:
    """The row labels of every heatmap of the Compare page, its tabs opened one after another."""
    rows = set()
    for tab in ("Topics", "Entities", "Similarity"):
        at.session_state["cmp_tab"] = tab
        at.run()
        assert not at.exception, at.exception
        rows |= {y for fig in figures(at) if fig["data"][0].get("type") == "heatmap" for y in fig["data"][0]["y"]}
    return rows


def test_compare_page_follows_the_filter():
    at = open_page("compare", lang="en")
    all_outlets = heatmap_rows(at)
    at2 = open_page("compare", lang="en", outlets=["الثورة", "شينخوا"])
    two = heatmap_rows(at2)
    # every heatmap has one row per outlet of the filter (Arabic names in RLI … PDI)
    assert all_outlets == {charts.rtl(o) for o in ("الثورة", "سيريانيوز", "شينخوا", "قاسيون", "unknown")}
    assert two == {charts.rtl("الثورة"), charts.rtl("شينخوا")}
    at2.session_state["cmp_tab"] = "Distinctive words"
    at2.run()
    assert at2.selectbox(key="cmp_a").options == ["الثورة", "شينخوا"]  # one article each, so by name


def test_compare_page_computes_only_its_open_tab(monkeypatch):
    """A filter change costs the open tab's views: the hidden tabs' views are not called until opened."""
    from core.analysis import distinctive, entities, stories, topics, variants

    called = []
    for mod, name in ((topics, "topic_by_outlet"), (entities, "entity_by_outlet"), (distinctive, "similarity"),
                      (variants, "variant_table"), (stories, "story_outlet_figures"),
                      (distinctive, "distinctive_outlets")):
        real = getattr(mod, name)
        monkeypatch.setattr(mod, name, lambda *a, _real=real, _name=name, **k: called.append(_name) or _real(*a, **k))
    at = open_page("compare", lang="en")
    assert [t.label for t in at.tabs] == ["Distinctive words", "Topics", "Entities", "Similarity", "Spelling", "Stories"]
    assert set(called) == {"distinctive_outlets"}
    assert [f["data"][0]["type"] for f in figures(at)] == ["bar"]
    called.clear()
    at.session_state["cmp_tab"] = "Spelling"
    at.run()
    assert set(called) == {"variant_table"} and not at.exception
    # the open tab stays open when the interface changes language
    at.session_state["lang"] = "ar"
    at.run()
    assert not at.exception and at.session_state["cmp_tab"] == "الإملاء"
    assert "variant_table" in called and [t.label for t in at.tabs][4] == "الإملاء"


def test_reuse_page_follows_the_filter():
    at = open_page("reuse", lang="en")
    assert [t.label for t in at.tabs] == ["Shared text", "Quotes", "Same statement"]
    pairs = at.dataframe[0].value
    assert set(zip(pairs["a_id"], pairs["b_id"])) == {("003_2fb4171725300b4b", "000_058533779b74fd40")}
    at2 = open_page("reuse", lang="en", outlets=["شينخوا"])
    # no shared passage involves Xinhua's article; its quotes remain (in their own tab)
    assert all("a_id" not in df.value.columns for df in at2.dataframe)
    at2.session_state["rq_tab"] = "Quotes"
    at2.run()
    quotes = next(df.value for df in at2.dataframe if "speaker" in df.value.columns)
    assert set(quotes["outlet"]) == {"شينخوا"}


def test_reuse_page_computes_only_its_open_tab(monkeypatch):
    from core.analysis import quotes_view, reuse_view

    called = []
    for mod, name in ((reuse_view, "reuse_pairs"), (reuse_view, "reuse_matrix"), (quotes_view, "quote_speakers"),
                      (quotes_view, "quotes"), (quotes_view, "statement_count")):
        real = getattr(mod, name)
        monkeypatch.setattr(mod, name, lambda *a, _real=real, _name=name, **k: called.append(_name) or _real(*a, **k))
    at = open_page("reuse", lang="en")
    assert set(called) == {"reuse_pairs", "reuse_matrix"}
    called.clear()
    at.session_state["rq_tab"] = "Same statement"
    at.run()
    assert set(called) == {"statement_count"} and not at.exception


def test_articles_and_data_pages_follow_the_filter():
    at = open_page("articles", lang="en", outlets=["قاسيون", "شينخوا"])
    assert len(at.selectbox(key="ar_pick").options) == 2
    at = open_page("data", lang="en", outlets=["قاسيون"])
    editor = corrections_editor(at)  # the corrections editor lists the filtered articles
    assert list(editor["id"]) == ["000_058533779b74fd40"]


EXPORT_CSV = ("body_ar,site,published_on\n"
              "\"قال لافروف إن موسكو مستعدة للحوار مع واشنطن بشأن سوريا\",RT Arabic,2018-03-15\n"
              "\"أكد بومبيو أن واشنطن تريد تحسين العلاقات مع موسكو\",RT Arabic,2019-05-14\n").encode("utf-8")
ARTICLE = "موسكو - قال وزير الخارجية الروسي سيرغي لافروف اليوم إن بلاده مستعدة للحوار مع واشنطن بشأن سوريا.\n"


def as_owner(at: AppTest) -> AppTest:
    """The session's private-area token of the uploads these tests make with ``corpora.library_upload``
    outside a script run (bare mode has one process-wide session state): the AppTest session is then
    their owner, as the browser tab that uploaded them would be."""
    import streamlit as st

    token = st.session_state.get("_private_token")
    if token:
        at.session_state["_private_token"] = token
    return at


def start_app(lang: str = "en", query: dict | None = None) -> AppTest:
    """A fresh session with nothing chosen yet (the corpus comes from the URL or MARSAD_CORPUS)."""
    at = AppTest.from_file(APP, default_timeout=240)
    as_owner(at)
    at.session_state["lang"] = lang
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def corrections_editor(at: AppTest):
    return next(df.value for df in at.main.dataframe if "outlet_source" in df.value.columns)


def library_row(at: AppTest, label: str):
    """The Data page's library table row of one corpus (the page is opened if need be)."""
    if not any("stale" in df.value.columns for df in at.main.dataframe):
        at.switch_page("pages/data_page.py").run()
        assert not at.exception, at.exception
    table = next(df.value for df in at.main.dataframe if "stale" in df.value.columns)
    return table[table["corpus"] == label].iloc[0]


def sidebar_html(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def test_uploaded_table_with_its_own_column_names_loads_through_the_mapping(library_dir):
    from ui import corpora

    corpora.library_upload("صادرات", [("export.csv", EXPORT_CSV)], new=True)
    at = open_page("data", lang="en", corpus="~صادرات")
    report = next(df.value for df in at.dataframe if "reason" in df.value.columns)
    assert "no-text-column" in set(report["reason"])  # body_ar is not a usual name
    for field, column in (("text", "body_ar"), ("outlet", "site"), ("date", "published_on")):
        at.text_input(key=f"da_map_{field}").set_value(column)
    at.button(key="da_map_save").click().run()
    assert not at.exception, at.exception
    editor = corrections_editor(at)
    assert len(editor) == 2 and set(editor["date"].astype(str)) == {"2018-03-15", "2019-05-14"}
    # the mapping is the corpus's own, kept beside it; another corpus does not inherit it
    saved = json.loads((corpora.private_lib() / "صادرات.json").read_text(encoding="utf-8"))
    assert saved["mapping"] == {"text": "body_ar", "outlet": "site", "date": "published_on"}
    assert corpora.corpus_mapping("sample") == {}


def test_library_lists_a_built_index_with_its_article_count_and_stale_flag(library_dir, sample_index):
    import duckdb

    from core import library

    sample_index(library_dir / "أرشيف.duckdb")
    at = start_app()
    assert "أرشيف (5 articles)" in at.selectbox(key="corpus").options  # the option labels the widget shows
    assert 'marsad-lib-name" style="text-align: left">أرشيف</div>' in sidebar_html(at)  # the sidebar's library list
    row = library_row(at, "أرشيف")
    st = library.status(library_dir / "أرشيف.duckdb")
    assert (row["articles"], row["stale"], row["size_mb"], row["built"]) == (
        5, "no", library.size_mb(st["size_bytes"]), library.built_label(st["built"]))

    con = duckdb.connect(str(library_dir / "أرشيف.duckdb"))  # as an append that moved the grouping leaves it
    con.execute("UPDATE meta SET value = '1' WHERE key = 'stale'")
    con.execute("INSERT INTO meta SELECT 'stale', '1' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stale')")
    con.close()
    at = start_app(query={"corpus": "أرشيف"})
    assert at.selectbox(key="corpus").value == "أرشيف"
    assert "أرشيف (5 articles) · stale" in at.selectbox(key="corpus").options
    assert any("The index is stale" in w.value for w in at.sidebar.warning)
    assert ">5 articles</span> · " in sidebar_html(at) and "⚠ stale" in sidebar_html(at)
    row = library_row(at, "أرشيف")
    assert row["stale"] == "yes" and row["stale_reason"] == "appended articles changed the word grouping"


def test_start_corpus_opens_an_index_file(library_dir, sample_index, tmp_path, monkeypatch):
    db = sample_index(tmp_path / "elsewhere" / "مرصد-آذار.duckdb")
    monkeypatch.setenv("MARSAD_CORPUS", str(db))
    at = start_app()
    assert at.selectbox(key="corpus").value == "مرصد-آذار"
    assert metric(at, "Articles") == "5"
    from ui import corpora

    assert corpora.corpus_db("مرصد-آذار") == str(db)  # opened where it is: no copy, no rebuild into the cache


def test_start_corpus_builds_a_folder_of_sources(library_dir, tmp_path, monkeypatch):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("002_8bb5bcd9b53559f5.txt", "004_b20770630bddb0e8.txt", "metadata.csv"):
        (seeds / name).write_bytes((ROOT / "data" / "sample" / name).read_bytes())
    monkeypatch.setenv("MARSAD_CORPUS", str(seeds))
    at = start_app()
    assert at.selectbox(key="corpus").value == "seeds"
    assert metric(at, "Articles") == "2"


def test_upload_into_a_new_named_corpus_creates_it_and_the_sidebar_lists_it(library_dir):
    from ui import corpora

    res = corpora.library_upload("تجربة الرفع", [("خبر.txt", ARTICLE.encode())], new=True)
    assert (res["key"], res["name"], res["created"], res["added"]) == ("~تجربة الرفع", "تجربة الرفع", True, 1)
    mine = corpora.private_lib()  # the session's private area, inside the library folder but not listed there
    assert mine.parent.parent == library_dir and not (library_dir / "تجربة الرفع.duckdb").exists()
    assert (mine / "تجربة الرفع.duckdb").is_file()
    assert (mine / "تجربة الرفع.sources" / "خبر.txt").read_text(encoding="utf-8") == ARTICLE
    at = start_app()
    assert "تجربة الرفع (private) (1 articles)" in at.selectbox(key="corpus").options
    assert ">تجربة الرفع &#40;private&#41;</div>" in sidebar_html(at)  # as _html_line escapes it
    assert library_row(at, "تجربة الرفع (private)")["articles"] == 1  # (on the Data page)
    at.radio(key="da_mode").set_value("existing").run()
    assert at.selectbox(key="da_target").options == ["تجربة الرفع (private) (1 articles)"]
    # a new corpus of a taken name is refused in the page before anything is written
    at.radio(key="da_mode").set_value("new").run()
    at.text_input(key="da_new_name").set_value("تجربة الرفع").run()
    assert any("A corpus of that name exists" in e.value for e in at.error)
    at.text_input(key="da_new_name").set_value("a/b").run()
    assert any("no slashes" in e.value for e in at.error)
    assert at.button(key="da_ingest").disabled


def test_two_uploads_of_the_same_file_name_keep_both(library_dir):
    from ui import corpora

    corpora.library_upload("مكرر", [("خبر.txt", ARTICLE.encode())], new=True)
    other = ARTICLE.replace("لافروف", "بومبيو").replace("الروسي", "الأميركي").replace("موسكو", "واشنطن")
    res = corpora.library_upload("مكرر", [("خبر.txt", other.encode())], new=False)
    assert res["files"] == ["خبر-2.txt"] and res["added"] == 1 and res["articles"] == 2
    folder = corpora.private_lib() / "مكرر.sources"
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()} == {"خبر.txt": ARTICLE, "خبر-2.txt": other}
    at = open_page("data", lang="en", corpus="~مكرر")
    assert set(corrections_editor(at)["id"]) == {"خبر", "خبر-2"}


def test_corpus_in_the_url_round_trips_with_the_filter(library_dir, sample_index):
    sample_index(library_dir / "دورة.duckdb")
    at = start_app(query={"corpus": "دورة", "outlet": "شينخوا"})
    assert at.selectbox(key="corpus").value == "دورة"
    assert at.multiselect(key="f_outlets").value == ["شينخوا"]
    assert metric(at, "Articles") == "1"
    assert at.query_params["corpus"] == "دورة" and at.query_params["outlet"] == "شينخوا"


def test_corrections_are_kept_per_library_corpus(library_dir, sample_index):
    import pandas as pd

    from ui import corpora

    sample_index(library_dir / "مصحح.duckdb")
    corpus = corpora.get_corpus("مصحح")
    corpus.correct(pd.DataFrame({"id": ["001_1fb983bfe6a1107a"], "outlet": ["سانا"], "date": [""]}),
                   corpora.corrections_file("مصحح"))
    assert corpora.corrections_file("مصحح") == library_dir / "مصحح.corrections.csv"
    assert corpora.corrections_file("sample") != corpora.corrections_file("مصحح")
    at = open_page("overview", lang="en", corpus="مصحح", outlets=["سانا"])
    assert metric(at, "Articles") == "1"
    handle = corpora.get_corpus("مصحح")
    assert handle.corrections_applied is True and not hasattr(handle, "_corrections_applied")
    corpora.reload_corpus()  # a restart: the saved corrections are applied again to a fresh handle
    assert corpora.get_corpus("مصحح").corrections_applied is True
    at = open_page("overview", lang="en", corpus="مصحح", outlets=["سانا"])
    assert metric(at, "Articles") == "1"


def test_long_tables_show_their_first_rows_and_say_the_csv_holds_all(monkeypatch):
    from ui import corpora, render

    monkeypatch.setattr(render, "TABLE_ROWS", 10)
    at = open_page("overview", corpus="extra", lang="en")
    arts = next(df.value for df in at.main.dataframe if "outlet_source" in df.value.columns)
    assert len(arts) == 10
    assert any("first 10 of 342 rows" in c.value for c in at.caption)
    assert any(b.proto.label.endswith("(342 rows)") for b in at.get("download_button"))
    at.switch_page("pages/reuse_page.py")
    at.run()
    assert not at.exception, at.exception
    at.session_state["rq_tab"] = "Quotes"
    at.run()
    quotes = next(df.value for df in at.main.dataframe if "speaker" in df.value.columns)
    assert len(quotes) == 10
    from core.analysis import quotes_view
    from core.filter import Filter

    total = quotes_view.quote_count(corpora.get_corpus("extra"), Filter())
    assert total > 10 and any(f"first 10 of {total:,} rows" in c.value for c in at.caption)
    # the reuse pairs table is bounded the same way, and its CSV keeps every pair
    from core.analysis import reuse_view

    at.session_state["rq_tab"] = "Shared text"
    at.run()

    n_pairs = len(reuse_view.reuse_pairs(corpora.get_corpus("extra"), Filter()))
    shown_pairs = next(df.value for df in at.main.dataframe if "containment" in df.value.columns)
    assert len(shown_pairs) == 10
    assert any(b.proto.label.endswith(f"({n_pairs} rows)") for b in at.get("download_button"))
    assert n_pairs > 10 and any(f"first 10 of {n_pairs:,} rows" in c.value for c in at.caption)
