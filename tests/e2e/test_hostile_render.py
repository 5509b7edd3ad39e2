"""The hostile corpus (tests/data/hostile: Markdown, HTML, LaTeX, Streamlit directives and a bidi override
in outlet names, titles, ids and texts) opened in the browser: on every page the data shows as literal
text, no link, image, bold or KaTeX element is made from it, no dialog fires, and the override is gone."""

import pytest

from tests.e2e.conftest import ROOT, VIEWPORT, app_server, existing_pages, goto, wait_idle

pytestmark = pytest.mark.e2e

HOSTILE = ROOT / "tests" / "data" / "hostile"

#: Elements the corpus data would create if it were rendered as markup (none may exist).
MADE_FROM_DATA = """() => {
  const main = document.querySelector('[data-testid="stAppViewContainer"]');
  const q = s => Array.from(main.querySelectorAll(s));
  return {
    links: q('a[href*="example.com"]').map(e => e.outerHTML),
    images: q('img[src="x"], img[onerror]').map(e => e.outerHTML),
    bold: q('b, strong').filter(e => /^(x|bold)$/.test(e.textContent.trim())).map(e => e.outerHTML),
    katex: q('.katex, .katex-display, math').map(e => e.outerHTML),
    colored: q('[class*="ColoredText"], span[style*="color"]').filter(e => e.textContent.includes('alarm'))
               .map(e => e.outerHTML),
  };
}"""
#: What the page shows as text: the DOM's visible text and every SVG text (Plotly's labels).
SHOWN_TEXT = """() => {
  const main = document.querySelector('[data-testid="stAppViewContainer"]');
  const svg = Array.from(main.querySelectorAll('svg text')).map(t => t.textContent);
  return {text: main.innerText, svg: svg};
}"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    """A server whose start corpus (MARSAD_CORPUS) is the hostile corpus; stopped after the module."""
    home = tmp_path_factory.mktemp("marsad-hostile")
    with app_server(home, {"MARSAD_CORPUS": str(HOSTILE), "MARSAD_LIBRARY": str(home / "library")}) as base:
        yield base


@pytest.fixture
def hostile_page(browser, hostile_app):
    context = browser.new_context(viewport=VIEWPORT, base_url=hostile_app)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    pg.dialogs = []
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))  # an alert() from data would land here
    yield pg
    context.close()


def open_and_read(page, url: str, shot: str) -> dict:
    goto(page, url, shot=shot)
    made = page.evaluate(MADE_FROM_DATA)
    shown = page.evaluate(SHOWN_TEXT)
    return {"made": made, "text": shown["text"], "svg": shown["svg"],
            "exceptions": page.get_by_test_id("stException").all_inner_texts(),
            "dialogs": page.dialogs + page.get_by_role("dialog").all_inner_texts()}


@pytest.mark.parametrize("slug", existing_pages())
def test_hostile_data_shows_as_text_on_every_page(hostile_page, slug):
    seen = open_and_read(hostile_page, "/" if slug == "overview" else f"/{slug}", f"hostile_{slug}")
    assert seen["exceptions"] == [], seen["exceptions"]
    assert seen["dialogs"] == [], seen["dialogs"]
    assert seen["made"] == {"links": [], "images": [], "bold": [], "katex": [], "colored": []}, seen["made"]
    everything = seen["text"] + "\n".join(seen["svg"])
    assert "\u202e" not in everything, "the bidi override of 'evil\\u202etxt.exe' is shown"


def test_outlet_chart_labels_are_literal(hostile_page):
    seen = open_and_read(hostile_page, "/?lang=en", "hostile_overview_en")
    labels = {s.strip("\u2067\u2069") for s in seen["svg"]}
    assert {"<b>x</b>", "$x^2$", "[click](https://example.com)", ":red[alarm]", "eviltxt.exe"} <= labels, labels


def test_reuse_page_names_outlets_and_ids_literally(hostile_page):
    seen = open_and_read(hostile_page, "/reuse?lang=en", "hostile_reuse_en")
    for literal in ("<b>x</b>", "$x^2$", "[click](https://example.com)"):
        assert literal in seen["text"], literal
    assert seen["made"]["links"] == [] and seen["made"]["katex"] == []


@pytest.mark.parametrize("search, literals", [
    ("onerror", ["<img src=x onerror=alert(1)>", '<a href="https://example.com">link</a>', "<b>x</b>"]),
    (":red[alarm] عنوان", ["$x^2$", ":red[alarm]", ":material/home:"]),
    ("eviltxt", ["**bold**", "<b>x</b>"]),  # after two bare \r: the article's HTML block does not end there
])
def test_article_text_and_title_are_literal(hostile_page, search, literals):
    goto(hostile_page, "/articles?lang=en", shot=f"hostile_articles_{search[:7]}")
    picker = hostile_page.locator(".st-key-ar_pick").get_by_test_id("stSelectbox")
    picker.click()  # pick the article whose title holds ``search``
    hostile_page.get_by_role("option").filter(has_text=search).first.click()
    wait_idle(hostile_page, rerun=True)
    assert search in picker.get_by_role("combobox").input_value()
    body = hostile_page.get_by_test_id("marsad-article").inner_text()
    for literal in literals:
        assert literal in body, (literal, body[:300])
    seen = hostile_page.evaluate(MADE_FROM_DATA)
    assert seen == {"links": [], "images": [], "bold": [], "katex": [], "colored": []}, seen
    assert hostile_page.dialogs == []


@pytest.mark.parametrize("slug, n_tabs", [("compare", 6), ("reuse", 3)])
def test_every_tab_shows_hostile_data_as_text(hostile_page, slug, n_tabs):
    """Compare and Reuse draw one tab at a time: each, opened, makes no markup of the data."""
    goto(hostile_page, f"/{slug}?lang=en", shot=f"hostile_{slug}_tabs")
    tabs = hostile_page.get_by_test_id("stTab")
    labels = tabs.all_inner_texts()
    assert len(labels) == n_tabs, labels
    for i, label in enumerate(labels):
        tabs.nth(i).click()
        wait_idle(hostile_page, rerun=i > 0)
        assert hostile_page.get_by_test_id("stException").all_inner_texts() == [], label
        assert hostile_page.evaluate(MADE_FROM_DATA) == {"links": [], "images": [], "bold": [], "katex": [],
                                                         "colored": []}, label
        shown = hostile_page.evaluate(SHOWN_TEXT)
        assert "\u202e" not in shown["text"] + "\n".join(shown["svg"]), label
    assert hostile_page.dialogs == []
