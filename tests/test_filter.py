"""Facts about the shared Filter: its URL round trip, its defaults and its file-name summary."""
import datetime as dt

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
    # the slash, the space and the quotes of the query become one hyphen each run, the end ones go
    assert Filter(date_from="2017-04-01", outlets=("شينخوا",), query='a/b "c"').slug() == "2017-04-01_end_شينخوا_q-a-b-c"
    assert Filter().slug() == "all"
