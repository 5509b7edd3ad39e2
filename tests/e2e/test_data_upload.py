"""A zip uploaded on the Data page into a new named corpus is ingested and its problems are reported, file by file."""
import re
import struct
import zipfile
import zlib

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

GOOD = ("موسكو - أكد وزير الخارجية الروسي سيرغي لافروف اليوم أن بلاده مستعدة للحوار مع الولايات المتحدة "
        "بشأن الأزمة السورية، وقال في مؤتمر صحفي إن العلاقات الثنائية تمر بمرحلة صعبة.\n")


def _png() -> bytes:
    """A real 1×1 PNG image."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def scraper_zip(tmp_path):
    """What a scraper leaves: one Windows-1256 article, one empty file, one image saved as .txt."""
    path = tmp_path / "scrape.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("good_cp1256.txt", GOOD.encode("cp1256"))
        z.writestr("empty.txt", b"")
        z.writestr("picture.txt", _png())
    return path


def report_rows(page) -> list[list[str]]:
    """The ingestion report's rows as cell texts, read from the data grid's accessible table."""
    grid = page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first.locator('[role="grid"]')
    rows = [row.locator('[role="gridcell"]').all_inner_texts() for row in grid.locator('[role="row"]').all()]
    return [[c.strip() for c in r] for r in rows if r]


def test_uploaded_zip_reports_the_empty_and_the_not_text_file(page, goto, wait_idle, shoot, scraper_zip):
    goto(page, "/data?lang=en", shot="data_before_upload")
    ingest = page.get_by_role("button", name="Add to the corpus")
    expect(ingest).to_be_disabled()  # nothing chosen yet
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(scraper_zip))
    wait_idle(page, rerun=True)
    expect(ingest).to_be_disabled()  # files, but no corpus named yet
    name = page.get_by_role("textbox", name="Name of the new corpus")
    name.fill("scraper export")
    name.press("Enter")
    wait_idle(page, rerun=True)
    expect(ingest).to_be_enabled()

    ingest.click()
    wait_idle(page, rerun=True, timeout_ms=120_000)
    # st.rerun() after saving the files starts a second run that builds the index: wait for its result
    expect(page.get_by_test_id("stMain").get_by_text("scrape.zip:empty.txt").first).to_be_attached(timeout=120_000)
    wait_idle(page, timeout_ms=120_000)
    shoot(page, "data_after_upload")
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, "pressing the ingest button raised:\n" + "\n---\n".join(errors.all_inner_texts())

    # the new corpus is the current one, listed in the sidebar and named in the URL
    expect(page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first.get_by_role("combobox")).to_have_value(
        re.compile("^scraper export"))
    expect(page).to_have_url(re.compile(r"corpus=(~|%7E)scraper(\+|%20)export"))  # private to this session
    expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first).to_be_visible()
    rows = report_rows(page)
    assert any(any(c.endswith("empty.txt") for c in r) and "empty" in r for r in rows), rows
    assert any(any(c.endswith("picture.txt") for c in r) and "not-text" in r for r in rows), rows
    assert not any("good_cp1256.txt" in c for r in rows for c in r), rows  # the good article is in, not reported
