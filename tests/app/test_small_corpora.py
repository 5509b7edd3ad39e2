"""AppTest on the corpora that break assumptions: one article, one outlet only, no dates at all
(``tests/data/small/``), and the hostile corpus (``tests/data/hostile/``: markup, LaTeX, directives and a
bidi override in outlet names, titles, ids and texts). Every page renders without an exception, and on
the hostile corpus every piece of corpus data reaches Markdown and Plotly escaped."""
import json
from pathlib import Path

import pytest

from tests.app.test_app_pages import PAGES, each_tab, open_page

pytestmark = pytest.mark.app

DATA = Path(__file__).resolve().parents[1] / "data"
SMALL = {"one_article": DATA / "small" / "one_article.jsonl", "one_outlet": DATA / "small" / "one_outlet.jsonl",
         "no_dates": DATA / "small" / "no_dates.jsonl"}
HOSTILE = DATA / "hostile"
#: Strings of the hostile corpus that would turn into markup if they reached a renderer unescaped.
MARKUP = ["[click](https://example.com)", "**bold**", "<b>x</b>", "<img src=x onerror=alert(1)>", "$x^2$",
          ":red[alarm]", "<a href"]


def start_on(monkeypatch, path: Path) -> str:
    """Make ``path`` the start corpus (MARSAD_CORPUS); returns its key in the corpus selector."""
    monkeypatch.setenv("MARSAD_CORPUS", str(path))
    return path.name.split(".")[0]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("corpus", list(SMALL))
def test_every_page_renders_on_a_small_corpus(monkeypatch, corpus, page):
    at = open_page(page, corpus=start_on(monkeypatch, SMALL[corpus]))
    assert at.title, f"{page} shows no title on {corpus}"
    for at in each_tab(at, page):   # and every tab of a tabbed page, opened
        assert not at.get("exception")


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_overview_counts_a_corpus_without_dates(monkeypatch, lang):
    at = open_page("overview", corpus=start_on(monkeypatch, SMALL["no_dates"]), lang=lang)
    values = [m.value for m in at.metric]
    assert values[:3] == ["3", "2", values[2]] and values[3] == values[4] == "—"
    assert any(c.value.startswith("3 ") for c in at.caption)  # "3 undated"
    # the time line says why it is empty (no date at all), not that the filter matches nothing
    from core.i18n import STRINGS
    captions = [c.value for c in at.caption]
    assert STRINGS["ov.no_dates"][lang == "en"] in captions and STRINGS["empty"][lang == "en"] not in captions
    # the article table leaves an unknown date empty, as its CSV does (Streamlit would write a grey "None")
    table = at.dataframe[-1].value
    assert len(table) == 3 and table["date"].tolist() == ["", "", ""]


def strings(node) -> list[str]:
    """Every string inside a figure's JSON."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in strings(v)]
    return []


def markdown_bodies(at) -> list[tuple[str, bool]]:
    """(body, allows HTML) of every Markdown-rendered element: markdown, caption, alerts."""
    found = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success"):
        for el in at.get(kind):
            found.append((el.proto.body, bool(getattr(el.proto, "allow_html", False))))
    return found


@pytest.mark.parametrize("page", PAGES)
def test_hostile_names_and_texts_reach_every_page_escaped(monkeypatch, page):
    at = open_page(page, corpus=start_on(monkeypatch, HOSTILE))
    assert at.title
    for at in each_tab(at, page):   # a tabbed page computes its open tab only: every tab, opened
        texts = [s for el in at.get("plotly_chart") for s in strings(json.loads(el.proto.spec))]
        for s in texts:
            for raw in MARKUP:
                if raw.startswith("<") or raw.startswith("$"):  # what Plotly reads as tags or LaTeX
                    assert raw not in s, f"{page}: {raw!r} reaches Plotly as is: {s[:200]!r}"
            assert "\u202e" not in s
        for body, html in markdown_bodies(at):
            for raw in MARKUP:
                assert raw not in body, f"{page}: {raw!r} reaches Markdown unescaped: {body[:300]!r}"
            assert "\u202e" not in body, f"{page}: a bidi override is shown: {body[:200]!r}"


def test_hostile_outlets_show_as_escaped_labels_in_the_outlet_chart(monkeypatch):
    at = open_page("overview", corpus=start_on(monkeypatch, HOSTILE), lang="en")
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    shown = {s.strip("\u2067\u2069") for s in strings(fig["data"][0]["y"])}
    assert {"&lt;b&gt;x&lt;/b&gt;", "&#36;x^2&#36;", "[click](https://example.com)", "eviltxt.exe",
            ":red[alarm]"} <= shown


def test_reuse_page_names_the_pair_and_the_quoted_outlets_in_escaped_html(monkeypatch):
    at = open_page("reuse", corpus=start_on(monkeypatch, HOSTILE), lang="en")
    html_bodies = [b for at in each_tab(at, "reuse") for b, allow_html in markdown_bodies(at) if allow_html]
    assert any("<strong>&#60;b&#62;x&#60;/b&#62;</strong>" in b for b in html_bodies)   # the pair, in bold
    assert any("&#91;click&#93;&#40;https&#58;//example&#46;com&#41;" in b for b in html_bodies)  # a quoting outlet
