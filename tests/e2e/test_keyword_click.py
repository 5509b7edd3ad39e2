"""Clicking a term's bar opens its keyword-in-context lines, Arabic-style: preceding words on the right."""
import pytest

pytestmark = pytest.mark.e2e


def test_clicking_a_bar_opens_that_terms_concordance(page, goto, wait_idle, shoot):
    goto(page, "/keywords?lang=en", shot="keywords_before_click")
    labels = [t.replace("\u2067", "").replace("\u2069", "")
              for t in page.locator(".st-key-kw_top .yaxislayer-above .ytick text").all_text_contents()]
    bars = page.locator(".st-key-kw_top .barlayer .point path")
    boxes = sorted((b.bounding_box() for b in bars.all()), key=lambda bb: bb["y"])  # rank 1 on top
    ticks = sorted(((t.bounding_box()["y"], txt) for t, txt in
                    zip(page.locator(".st-key-kw_top .yaxislayer-above .ytick text").all(), labels)))
    target = "موسكو"
    rank = [txt for _y, txt in ticks].index(target)
    box = boxes[rank]
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page, rerun=True)
    shoot(page, "keywords_after_click")

    table = page.get_by_test_id("marsad-kwic")
    rows = table.locator("tr")
    assert rows.count() >= 5
    matches = set(table.locator("td.m").all_text_contents())
    assert matches <= {"موسكو", "بموسكو", "وموسكو", "لموسكو"} and "موسكو" in matches
    # in the browser, the preceding-context cell is drawn to the right of the match, the following to its left
    row = rows.first
    pre, match, post = (row.locator(f"td.{c}").bounding_box() for c in ("pre", "m", "post"))
    assert pre["x"] > match["x"] > post["x"]
