"""Facts about the shared Filter and about what leaves the app as CSV."""
import datetime as dt
import io

import pandas as pd

from core.export import csv_bytes, csv_name
from core.filter import Filter


def test_filter_round_trips_through_url_params():
    flt = Filter(date_from="2017-04-01", date_to=dt.date(2017, 4, 30), outlets=("شينخوا", "unknown"),
                 query="للافروف", undated="exclude")
    params = flt.to_params()
    assert params == {"from": "2017-04-01", "to": "2017-04-30", "outlet": ["شينخوا", "unknown"],
                      "q": "للافروف", "undated": "exclude"}
    assert Filter.from_params(params) == flt


def test_default_filter_has_no_params_and_bad_values_fall_back():
    assert Filter().to_params() == {}
    flt = Filter.from_params({"from": "not-a-date", "undated": "sometimes", "outlet": ""})
    assert flt == Filter()


def test_filter_slug_is_file_name_safe_and_names_the_filter():
    slug = Filter(date_from="2017-04-01", outlets=("شينخوا",), query='a/b "c"').slug()
    assert "/" not in slug and '"' not in slug and " " not in slug
    assert "2017-04-01" in slug and "شينخوا" in slug
    assert csv_name("keywords", Filter()) == "marsad_keywords_all.csv"


def test_csv_is_utf8_with_bom_and_formula_safe():
    df = pd.DataFrame({"term": ["=HYPERLINK(\"http://x\")", "سوريا", "+1", "@cmd", "-2"], "count": [1, 2, 3, -4, 5]})
    raw = csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert list(back["term"]) == ["'=HYPERLINK(\"http://x\")", "سوريا", "'+1", "'@cmd", "'-2"]
    # numbers stay numbers, negative ones included
    assert list(back["count"]) == [1, 2, 3, -4, 5]


def test_csv_neutralises_pandas_str_dtype_columns():
    df = pd.DataFrame({"t": pd.array(["=1+1", "ok"], dtype="str")})
    back = pd.read_csv(io.BytesIO(csv_bytes(df)), encoding="utf-8-sig")
    assert back["t"].tolist() == ["'=1+1", "ok"]
