"""The corpus library in the browser: uploads go into named (private) corpora the sidebar lists, and
``make run CORPUS=PATH`` (MARSAD_CORPUS) opens an index at start. Arabic interface."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import app_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
NAME = "أخبار مرفوعة"
FIRST = ("موسكو - قال وزير الخارجية الروسي سيرغي لافروف اليوم إن بلاده مستعدة للحوار مع الولايات المتحدة "
         "بشأن الأزمة السورية.\n")
SECOND = ("واشنطن - أكد وزير الخارجية الأميركي مايك بومبيو أن بلاده تريد تحسين العلاقات مع روسيا "
          "رغم الخلاف بشأن سوريا.\n")


def ar(key: str) -> str:
    return t(key, "ar")


def corpus_picker(page):
    """The sidebar's corpus selector (the first select box of the sidebar)."""
    return page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.get_by_role("combobox")


def url_with_corpus(name: str) -> re.Pattern:
    """The address bar names the corpus (a space may be written "+" or "%20", the private mark "~" "%7E")."""
    parts = (re.escape(quote(part)).replace(re.escape("~"), "(~|%7E)") for part in name.split(" "))
    return re.compile("corpus=" + "(\\+|%20)".join(parts))


def upload(page, wait_idle, path: Path) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(path))
    wait_idle(page, rerun=True)


def press_ingest(page, wait_idle) -> None:
    button = page.get_by_role("button", name=ar("da.ingest"))
    expect(button).to_be_enabled()
    button.click()
    wait_idle(page, rerun=True, timeout_ms=120_000)
    expect(page.get_by_test_id("stMain").get_by_test_id("stAlertContentSuccess")).to_be_visible(timeout=120_000)
    wait_idle(page, timeout_ms=120_000)


def no_exception(page) -> None:
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, "\n---\n".join(errors.all_inner_texts())


def test_an_upload_creates_a_named_corpus_and_the_same_file_name_twice_keeps_both(page, goto, wait_idle, shoot,
                                                                                   tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    (one / "خبر.txt").write_text(FIRST, encoding="utf-8")
    (two / "خبر.txt").write_text(SECOND, encoding="utf-8")  # the same file name, another article

    goto(page, "/data", shot="library_data_before_ar")
    upload(page, wait_idle, one / "خبر.txt")
    name = page.get_by_role("textbox", name=ar("da.newname"))
    name.fill(NAME)
    name.press("Enter")
    wait_idle(page, rerun=True)
    press_ingest(page, wait_idle)
    no_exception(page)
    expect(page.get_by_test_id("stMain").get_by_text(ar("da.created"))).to_be_visible()
    expect(corpus_picker(page)).to_have_value(f"{NAME} (خاصة) (المقالات: 1)")  # private to this session
    expect(page).to_have_url(url_with_corpus("~" + NAME))

    # the page now offers the corpus it just made; the same file name is added beside the first
    expect(page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first.get_by_role("combobox")).to_have_value(
        f"{NAME} (خاصة) (المقالات: 1)")
    upload(page, wait_idle, two / "خبر.txt")
    press_ingest(page, wait_idle)
    no_exception(page)
    expect(page.get_by_test_id("stMain").get_by_text(ar("da.appended"))).to_be_visible()
    expect(corpus_picker(page)).to_have_value(f"{NAME} (خاصة) (المقالات: 2)")
    cells = page.get_by_test_id("stMain").locator('[role="gridcell"]')
    for article_id in ("خبر", "خبر-2"):  # both articles: the second file did not replace the first
        expect(cells.filter(has_text=re.compile(rf"^\s*{re.escape(article_id)}\s*$"))).to_have_count(1)

    # the library in the sidebar lists it with its size
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(ar("lib.title"), exact=True).click()
    entry = sidebar.locator(".marsad-lib-name", has_text=NAME)
    expect(entry).to_be_visible()
    expect(sidebar.locator(".marsad-lib-name + .marsad-lib-stat").filter(has_text="المقالات: 2").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1900})  # the whole sidebar, library open, in one picture
    wait_idle(page)
    sidebar.screenshot(path=str(SHOTS / "library_sidebar_ar.png"))
    page.set_viewport_size({"width": 1400, "height": 1000})
    shoot(page, "library_data_after_ar")


# -- MARSAD_CORPUS: a server started on an index ----------------------------------------------------
@pytest.fixture(scope="module")
def start_corpus_server(tmp_path_factory):
    """`python -m ui.serve` (what `make run CORPUS=PATH` starts) with MARSAD_CORPUS naming a built index."""
    from core.index.build import build_index

    home = tmp_path_factory.mktemp("marsad-start")
    db = home / "indexes" / "أرشيف آذار.duckdb"
    build_index([ROOT / "data" / "sample"], db, workers=1).con.close()
    with app_server(home, {"MARSAD_CORPUS": str(db)}, drop=("MARSAD_LIBRARY",)) as base:
        yield base, db


def test_marsad_corpus_opens_an_index_at_start(browser, start_corpus_server, goto):
    base, db = start_corpus_server
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=base)
    try:
        pg = context.new_page()
        goto(pg, "/", shot="library_start_corpus_ar")
        no_exception(pg)
        expect(corpus_picker(pg)).to_have_value("أرشيف آذار (المقالات: 5)")
        metric = pg.get_by_test_id("stMetric").filter(
            has=pg.get_by_test_id("stMetricLabel").get_by_text(ar("ov.articles"), exact=True))
        expect(metric.get_by_test_id("stMetricValue")).to_have_text("5")
        expect(pg).to_have_url(url_with_corpus("أرشيف آذار"))
    finally:
        context.close()
