"""What leaves the app: CSV files analysts open in Excel, and a raster word cloud."""
from __future__ import annotations

import functools
import io
from pathlib import Path

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: The same first characters as one RE2 class (every one of them is a single character).
_FORMULA_RE = "^[" + "".join(f"\\x{{{ord(c):04x}}}" for c in _FORMULA_START) + "]"


def _neutralise(value):
    """Prefix a text cell that a spreadsheet would run as a formula with an apostrophe.

    >>> print(_neutralise('=HYPERLINK("http://x")'))
    '=HYPERLINK("http://x")
    >>> _neutralise("لافروف"), _neutralise(-3)
    ('لافروف', -3)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be read as spreadsheet formulas (numbers stay numbers)."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s) or pd.api.types.is_datetime64_any_dtype(s):
            continue
        # vectorised: only the cells that start like a formula are rewritten (a Python call per cell
        # took half the time of a 400k-row CSV)
        risky = None
        if isinstance(s.dtype, pd.StringDtype) and s.dtype.storage == "pyarrow":
            risky = _formula_cells(s)
        elif s.dtype == object or (pd.api.types.is_string_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype)):
            try:
                risky = s.str.startswith(_FORMULA_START, na=False)
            except AttributeError:      # no text at all (a column of dates): nothing can be a formula
                continue
        if risky is not None and risky.dtype == bool:
            if risky.any():
                out[col] = s.where(~risky, "'" + s[risky].astype(str))
        else:
            out[col] = s.map(_neutralise)
    out.columns = [_neutralise(str(c)) for c in out.columns]
    return out


def _formula_cells(s: pd.Series) -> pd.Series:
    """Which cells of an Arrow-backed text column start like a formula, in one Arrow regex pass.  pandas'
    ``str.startswith`` with the ten prefixes makes ten Arrow calls, each giving the GIL back and taking it
    again: ~9 % of the server's samples under ten sessions (py-spy), 0.17 -> 0.08 ms for 2,000 titles alone."""
    import pyarrow as pa
    import pyarrow.compute as pc

    hits = pc.match_substring_regex(pa.array(s.array), _FORMULA_RE).fill_null(False)
    return pd.Series(hits.to_numpy(zero_copy_only=False), index=s.index, dtype=bool)


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM (Excel shows Arabic), formula-injection safe, no index."""
    buf = io.StringIO()
    safe_frame(df).to_csv(buf, index=False, lineterminator="\r\n")
    return buf.getvalue().encode("utf-8-sig")


def write_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """:func:`csv_bytes` written atomically (the CLI's exports): never half a file."""
    from core.fsutil import atomic_write_bytes

    return atomic_write_bytes(path, csv_bytes(df))


def csv_name(what: str, flt=None) -> str:
    """``marsad_keywords_2017-04-01_2017-04-30_شينخوا.csv``: the filter summary in the file name."""
    slug = flt.slug() if flt is not None else "all"
    return f"marsad_{what}_{slug}.csv"


# -- word cloud --------------------------------------------------------------------------------
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/fonts-hosny-amiri/Amiri-Regular.ttf",
    "/usr/share/fonts/opentype/fonts-hosny-amiri/Amiri-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def arabic_font() -> str | None:
    for f in FONT_CANDIDATES:
        if Path(f).exists():
            return f
    return None


def pillow_shapes_arabic() -> bool:
    """True when Pillow lays text out with Raqm (it then shapes and orders Arabic itself)."""
    try:
        from PIL import features

        return bool(features.check("raqm"))
    except Exception:
        return False


def raster_label(text: str, shaping: bool | None = None) -> str:
    """Text ready for a renderer that may not shape Arabic.

    With Raqm, Pillow shapes logical-order text itself; without it the text is reshaped and
    put in visual order here (arabic-reshaper + python-bidi), which is only right for rasters.
    """
    if shaping is None:
        shaping = pillow_shapes_arabic()
    if shaping:
        return text
    import arabic_reshaper
    from bidi import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R")


_BASIC_LAYOUT_LOCK = __import__("threading").Lock()


def wordcloud_png(frequencies: dict[str, float], width: int = 900, height: int = 450, shaping: bool | None = None) -> bytes:
    """A PNG word cloud of label → weight, Arabic shaped correctly with or without Raqm.

    With Raqm (``shaping``) Pillow shapes logical-order labels itself. Without it the labels are
    reshaped and put in visual order here, and Pillow is held to its basic layout so the two
    never combine (a reshaped label laid out by Raqm would be reversed twice).
    """
    if shaping is None:
        shaping = pillow_shapes_arabic()
    return _wordcloud_png(tuple((str(k), float(v)) for k, v in frequencies.items()), width, height, bool(shaping))


@functools.lru_cache(maxsize=64)
def _wordcloud_png(items: tuple, width: int, height: int, shaping: bool) -> bytes:
    """The cloud is the same image for the same words (its layout is seeded), and laying it out
    costs about 0.1 s (1 s for a process's first): the Keywords page asks again on every rerun and
    every visit with a filter already seen, so the last 64 clouds (~140 KB each) are kept."""
    frequencies = dict(items)
    if not shaping:
        return _wordcloud_basic_layout(frequencies, width, height)
    return _wordcloud(frequencies, width, height, shaping=True)


def _wordcloud_basic_layout(frequencies, width, height) -> bytes:
    from PIL import ImageFont

    with _BASIC_LAYOUT_LOCK:
        original = ImageFont.truetype

        def basic(*args, **kwargs):
            kwargs["layout_engine"] = ImageFont.Layout.BASIC
            return original(*args, **kwargs)

        ImageFont.truetype = basic
        try:
            return _wordcloud(frequencies, width, height, shaping=False)
        finally:
            ImageFont.truetype = original


def _wordcloud(frequencies, width, height, shaping: bool) -> bytes:
    from wordcloud import WordCloud

    freqs = {raster_label(k, shaping): float(v) for k, v in frequencies.items() if v > 0}
    # laid out on a canvas half the size and drawn at full size (WordCloud's ``scale``): the layout's
    # position search is 4x smaller, ~105 -> ~50 ms for the Keywords page's 25 words at 900 x 450
    scale = 2 if width >= 200 and height >= 100 and width % 2 == 0 and height % 2 == 0 else 1
    w, h = width // scale, height // scale
    wc = WordCloud(
        font_path=arabic_font(), width=w, height=h, scale=scale, background_color="white",
        prefer_horizontal=1.0, colormap="viridis", max_words=max(len(freqs), 1), random_state=7,
        # the largest word's size, given: left open, WordCloud lays the cloud out twice to find it
        # (about 210 -> 100 ms for the page's 25 words; it finds ~0.38 x the height itself)
        max_font_size=max(10 // scale, int(h * 0.4)),   # at least 10 px drawn, as before the scale
    )
    if not freqs:
        freqs = {" ": 1.0}
    img = wc.generate_from_frequencies(freqs).to_image()
    buf = io.BytesIO()
    # zlib's fastest level: ~15 -> ~9.5 ms for a 900 x 450 cloud, the file ~7 % larger (121 -> 130 KB)
    img.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()
