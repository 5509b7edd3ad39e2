"""Compare two outlets in the browser and download the comparison: the CSV is the table on screen."""
import pandas as pd
import pytest

from core.filter import Filter

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def sample_corpus():
    from core.index.handle import Corpus

    return Corpus.build(["data/sample"])


def choose(page, key: str, option: str, wait_idle) -> None:
    page.locator(f".st-key-{key}").get_by_test_id("stSelectbox").click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page, rerun=True)


def test_two_outlets_compared_and_downloaded(page, goto, wait_idle, shoot, sample_corpus):
    from core.analysis.distinctive import distinctive_outlets

    goto(page, "/compare?lang=en", shot="compare_before_pair")
    page.locator(".st-key-cmp_mode").get_by_text("two outlets", exact=True).click()
    wait_idle(page, rerun=True)
    choose(page, "cmp_a", "الثورة", wait_idle)
    choose(page, "cmp_b", "شينخوا", wait_idle)
    shoot(page, "compare_pair_الثورة_شينخوا")

    # the diverging chart is titled with both outlets
    chart_text = page.locator(".st-key-cmp_div").text_content()
    assert "الثورة" in chart_text and "شينخوا" in chart_text

    button = page.locator(".st-key-dl_cmp_div").get_by_test_id("stDownloadButton").locator("button")
    with page.expect_download() as info:
        button.click()
    path = info.value.path()
    assert open(path, "rb").read().startswith(b"\xef\xbb\xbf")
    got = pd.read_csv(path, encoding="utf-8-sig", dtype={"term": str, "label": str, "side": str})

    expected = distinctive_outlets(sample_corpus, Filter(), "الثورة", "شينخوا", n=1, min_count=2)
    assert list(got["label"]) == list(expected["label"])
    assert list(got["side"]) == list(expected["side"])
    assert got["count_a"].tolist() == expected["count_a"].tolist()
    # Pompeo is Al-Thawra's (2019) and absent from Xinhua's 2017 article
    pompeo = got[got["label"] == "بومبيو"].iloc[0]
    assert (pompeo["side"], pompeo["count_b"]) == ("A", 0)
    assert "الثورة" in info.value.suggested_filename and "شينخوا" in info.value.suggested_filename
