"""The sidebar filter drives the overview, and the URL carries it both ways.

The overview is the default page, served at "/": the links the app writes into the address bar
start with "/?", so these flows open those. (/overview itself is covered by test_pages.)
"""
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from core.i18n import t

pytestmark = pytest.mark.e2e

ARTICLES = t("ov.articles", "ar")


def articles_metric(page):
    """The value of the overview's "number of articles" metric."""
    metric = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(ARTICLES, exact=True))
    return metric.get_by_test_id("stMetricValue")


def article_table(page):
    """The overview's article table (the glide grid's accessible table; its row count includes the header)."""
    return page.get_by_test_id("stMain").get_by_test_id("stDataFrame").last.locator('[role="grid"]')


def table_ids(page) -> list[str]:
    rows = article_table(page).locator('[role="rowgroup"]').last.locator('[role="row"]')
    return [row.locator('[role="gridcell"]').first.inner_text().strip() for row in rows.all()]


def outlet_picker(page):
    return page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")


def test_picking_an_outlet_narrows_the_overview_and_goes_into_the_url(page, goto, wait_idle, shoot):
    goto(page, "/", shot="filter_before")
    expect(articles_metric(page)).to_have_text("5")
    expect(article_table(page)).to_have_attribute("aria-rowcount", "6")
    before = table_ids(page)

    outlet_picker(page).locator("input").click()
    page.get_by_role("option", name="شينخوا (1)").click()
    page.keyboard.press("Escape")
    wait_idle(page, rerun=True)

    expect(articles_metric(page)).to_have_text("1")
    expect(article_table(page)).to_have_attribute("aria-rowcount", "2")
    after = table_ids(page)
    assert len(after) == 1 and after[0] in before, (before, after)
    expect(page).to_have_url(re.compile(re.escape(f"outlet={quote('شينخوا')}")))
    shoot(page, "filter_after_outlet")


def test_shared_url_with_two_outlets_restores_the_selection(page, goto):
    goto(page, f"/?outlet={quote('شينخوا')}&outlet={quote('قاسيون')}", shot="url_two_outlets")
    chips = outlet_picker(page).get_by_test_id("stMultiSelectTagsContainer").locator("[data-tag]")
    expect(chips).to_have_count(2)
    assert sorted(c.split(" (")[0] for c in chips.all_inner_texts()) == sorted(["شينخوا", "قاسيون"])
    expect(articles_metric(page)).to_have_text("2")


def test_shared_url_with_a_query_restores_the_search(page, goto):
    goto(page, f"/?q={quote('بومبيو')}", shot="url_query")
    box = page.get_by_test_id("stSidebar").get_by_test_id("stTextInput").locator("input")
    expect(box).to_have_value("بومبيو")
    expect(articles_metric(page)).to_have_text("1")  # only 004 (الثورة, Sochi 2019) names Pompeo
