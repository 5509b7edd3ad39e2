"""Facts about what leaves the app (core.export): CSV files that open in Excel and cannot run as formulas,
and the raster word cloud with its labels shaped for Pillow with or without Raqm."""
import io
import re

import arabic_reshaper
import pandas as pd
import pytest
from bidi import get_display
from PIL import Image

from core.export import csv_bytes, csv_name, raster_label, wordcloud_png
from core.filter import Filter

PRESENTATION = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# -- word cloud and raster labels ------------------------------------------------------------------

FREQS = {"سوريا": 26, "لافروف": 36, "الولايات المتحدة": 27, "تيلرسون": 20, "بومبيو": 13}


@pytest.mark.parametrize("shaping", [True, False])
def test_wordcloud_is_a_png_of_the_requested_size(shaping):
    png = wordcloud_png(FREQS, width=320, height=160, shaping=shaping)
    assert png.startswith(PNG_MAGIC)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (320, 160)
    assert len(set(img.convert("L").getdata())) > 1  # something was drawn on the white


def test_raster_label_without_shaping_is_reshaped_visual_order():
    for s in ("الولايات المتحدة", "لافروف", "قمة العشرين 2019"):
        out = raster_label(s, shaping=False)
        assert out == get_display(arabic_reshaper.reshape(s), base_dir="R")
        assert out != s and PRESENTATION.search(out)


def test_raster_label_with_shaping_is_the_logical_string():
    for s in ("الولايات المتحدة", "لافروف", "قمة العشرين 2019"):
        assert raster_label(s, shaping=True) == s


# -- CSV -------------------------------------------------------------------------------------------

def test_csv_bytes_neutralises_formula_cells_but_not_negative_numbers():
    df = pd.DataFrame({
        "label": ["=HYPERLINK(\"http://x\")", "+1", "-سوريا", "@SUM(A1)", "سوريا"],
        "z": [-1.5, 2.0, -0.25, 0.0, -3.0],
        "count": [-1, 2, -3, 4, 5],
    })
    data = csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["label"].tolist() == ["'=HYPERLINK(\"http://x\")", "'+1", "'-سوريا", "'@SUM(A1)", "سوريا"]
    assert back["z"].tolist() == ["-1.5", "2.0", "-0.25", "0.0", "-3.0"]
    assert back["count"].tolist() == ["-1", "2", "-3", "4", "5"]
    assert list(back.columns) == ["label", "z", "count"]


def test_word_cloud_reads_the_same_with_and_without_raqm():
    """The reshaped fallback (Pillow without Raqm) draws the same word as Raqm's own shaping."""
    import io

    import numpy as np
    from PIL import Image

    from core.export import wordcloud_png

    def ink(png):
        """The word's ink, cropped to its bounding box and scaled to a common size (placement may differ)."""
        img = Image.open(io.BytesIO(png)).convert("L")
        ys, xs = np.nonzero(np.asarray(img) < 200)
        return np.asarray(img.crop((xs.min(), ys.min(), xs.max() + 1, ys.max() + 1)).resize((400, 100))) < 200

    def iou(a, b):
        return (a & b).sum() / (a | b).sum()

    for word in ("الولايات المتحدة", "لافروف", "خان شيخون"):
        raqm = ink(wordcloud_png({word: 1.0}, 400, 200, shaping=True))
        basic = ink(wordcloud_png({word: 1.0}, 400, 200, shaping=False))
        reversed_word = ink(wordcloud_png({word[::-1]: 1.0}, 400, 200, shaping=True))  # what a bug would draw
        assert iou(raqm, basic) > 0.85, word
        assert iou(raqm, reversed_word) < 0.5, word


def test_csv_neutralises_pandas_str_dtype_columns():
    df = pd.DataFrame({"t": pd.array(["=1+1", "ok"], dtype="str")})
    back = pd.read_csv(io.BytesIO(csv_bytes(df)), encoding="utf-8-sig")
    assert back["t"].tolist() == ["'=1+1", "ok"]


def test_csv_name_carries_the_filter_summary():
    assert csv_name("keywords", Filter()) == "marsad_keywords_all.csv"
    assert csv_name("topics", Filter(outlets=("شينخوا",))) == "marsad_topics_شينخوا.csv"


def test_a_remembered_word_cloud_is_the_cloud_drawn_again():
    """The Keywords page's cloud is remembered per set of words: that is only right because the
    same words always give the same picture (the layout is seeded)."""
    from core.export import _wordcloud_png

    first = wordcloud_png(FREQS, width=320, height=160)
    assert wordcloud_png(dict(reversed(list(FREQS.items()))), width=320, height=160) is not None
    _wordcloud_png.cache_clear()
    assert wordcloud_png(FREQS, width=320, height=160) == first
    assert wordcloud_png(FREQS, width=320, height=160) is wordcloud_png(FREQS, width=320, height=160)


def test_arrow_text_columns_are_checked_like_startswith_in_one_pass():
    """The Arrow-backed text columns (pandas' default) are checked by one regex over the column: the same cells as
    ``str.startswith`` of the ten formula prefixes, a formula on a later line of a cell included (not flagged),
    missing cells left missing."""
    from core.export import _FORMULA_START, _formula_cells, safe_frame

    cells = ["=1", "+x", "ok", None, "\tt", "\rr", "＝1", "－1", "＋1", "＠1", "-5", "@a", "ab=", "", "لا", "ok\n=x", "'=x"]
    s = pd.Series(cells, dtype="str")
    assert isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow"
    want = [isinstance(c, str) and c.startswith(_FORMULA_START) for c in cells]
    assert _formula_cells(s).tolist() == want
    out = safe_frame(pd.DataFrame({"c": s}))["c"].tolist()
    assert [o if isinstance(o, str) else None for o in out] == [
        ("'" + c if w else c) for c, w in zip(cells, want)]
