"""The Keywords page's word cloud is text the browser draws (the top terms, right to left, the largest word
the largest), and its PNG is made when the analyst clicks its download button, after a CSV too."""
import pytest

pytestmark = pytest.mark.e2e


def test_the_cloud_is_drawn_text_and_its_png_arrives_on_click(page, goto):
    from core.analysis import keywords
    from core.index.handle import Corpus

    goto(page, "/keywords?lang=en", shot="keywords_cloud")
    top = keywords.top_terms(Corpus.build(["data/sample"]), None, n=1, limit=25)
    cloud = page.locator(".marsad-cloud")
    words = cloud.locator("span")
    shown = words.all_text_contents()
    assert sorted(shown) == sorted(top["label"])
    assert cloud.evaluate("e => getComputedStyle(e).direction") == "rtl"
    height = {w: words.nth(i).bounding_box()["height"] for i, w in enumerate(shown)}
    first, last = top["label"].iloc[0], top["label"].iloc[-1]
    assert height[first] == max(height.values()) and height[first] > 2 * height[last]

    # a CSV of the page first, then the PNG: the PNG is made on click and reaches the browser after a round
    # trip, outside the click's gesture, where Chromium's guard against many downloads could stop it
    first = page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").locator("button").first
    with page.expect_download(timeout=15_000) as csv:
        first.click()
    assert csv.value.suggested_filename.endswith(".csv")
    button = page.locator(".st-key-dl_cloud").get_by_test_id("stDownloadButton").locator("button")
    with page.expect_download(timeout=30_000) as info:
        button.click()
    raw = open(info.value.path(), "rb").read()
    assert raw.startswith(b"\x89PNG\r\n\x1a\n") and len(raw) > 10_000
    assert info.value.suggested_filename.startswith("marsad_wordcloud_")
