"""Private uploads in the browser: two sessions (two browser contexts) on one server. What one uploads
is invisible to the other, even given the link, until it is saved to the library. Arabic interface."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from core.i18n import t
from tests.e2e.conftest import VIEWPORT
from tests.e2e.test_library_flow import FIRST, corpus_picker, no_exception, press_ingest, upload

pytestmark = pytest.mark.e2e


def ar(key: str) -> str:
    return t(key, "ar")


def upload_private(page, goto, wait_idle, folder: Path, name: str) -> str:
    """Upload one article into a new private corpus ``name``; returns the URL the owner sees."""
    (folder / "مقال.txt").write_text(FIRST, encoding="utf-8")
    goto(page, "/data")
    upload(page, wait_idle, folder / "مقال.txt")
    box = page.get_by_role("textbox", name=ar("da.newname"))
    box.fill(name)
    box.press("Enter")
    wait_idle(page, rerun=True)
    press_ingest(page, wait_idle)
    no_exception(page)
    expect(corpus_picker(page)).to_have_value(f"{name} (خاصة) (المقالات: 1)")
    return page.url


def picker_options(page, wait_idle) -> list[str]:
    corpus_picker(page).click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    wait_idle(page)
    return options


def test_another_session_given_the_link_does_not_see_a_private_upload(page, browser, app, goto, wait_idle,
                                                                     tmp_path):
    url = upload_private(page, goto, wait_idle, tmp_path, "مسودة خاصة")
    other = browser.new_context(viewport=VIEWPORT, base_url=app.url)
    try:
        pg = other.new_page()
        goto(pg, url[len(app.url):], shot="private_link_in_another_session_ar")  # the owner's address, pasted
        no_exception(pg)
        expect(corpus_picker(pg)).to_have_value("العينة (5 مقالات)")
        assert not any("مسودة خاصة" in o for o in picker_options(pg, wait_idle))
        expect(pg.get_by_test_id("stSidebar").locator(".marsad-lib-name", has_text="مسودة خاصة")).to_have_count(0)
    finally:
        other.close()
    # the owner, moving through the app in the same session, keeps it (a reload starts a new session)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=ar("nav.keywords")).click()
    wait_idle(page, rerun=True)
    no_exception(page)
    expect(corpus_picker(page)).to_have_value("مسودة خاصة (خاصة) (المقالات: 1)")
    assert "corpus=" in page.url and "/keywords" in page.url


def test_saved_to_the_library_a_corpus_is_seen_by_every_session(page, browser, app, goto, wait_idle, tmp_path):
    upload_private(page, goto, wait_idle, tmp_path, "للنشر")
    box = page.get_by_role("textbox", name=ar("da.save.name"))
    box.fill("منشورة للجميع")
    page.get_by_role("button", name=ar("da.save")).click()
    wait_idle(page, rerun=True, timeout_ms=60_000)
    expect(page.get_by_test_id("stMain").get_by_test_id("stAlertContentSuccess").filter(
        has_text=ar("da.save.done"))).to_be_visible()
    expect(corpus_picker(page)).to_have_value("منشورة للجميع (المقالات: 1)")
    other = browser.new_context(viewport=VIEWPORT, base_url=app.url)
    try:
        pg = other.new_page()
        goto(pg, "/", shot="saved_corpus_in_another_session_ar")
        assert "منشورة للجميع (المقالات: 1)" in picker_options(pg, wait_idle)
    finally:
        other.close()
