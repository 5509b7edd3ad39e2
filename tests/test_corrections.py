"""Facts about core.index.corrections: an analyst's fix of an outlet or a date outlives a rebuild."""
import datetime as dt

import pandas as pd

from core.analysis import keywords, overview
from core.filter import Filter
from core.index.cache import open_or_build
from core.index.corrections import load_corrections


def test_corrections_survive_a_rebuild(tmp_path):
    cache, fix = tmp_path / "cache", tmp_path / "fix.csv"
    corpus = open_or_build(["data/sample"], cache, name="t", corrections=fix)
    corpus.correct(pd.DataFrame({"id": ["001_1fb983bfe6a1107a"], "outlet": ["روسيا اليوم"], "date": ["2017-04-14"]}), fix)
    assert load_corrections(fix).iloc[0]["outlet"] == "روسيا اليوم"
    corpus.con.close()
    for db in cache.glob("*.duckdb"):  # force a real rebuild: the fix comes from the file
        db.unlink()
    again = open_or_build(["data/sample"], cache, name="t", corrections=fix)
    art = overview.article(again, "001_1fb983bfe6a1107a")
    assert (art["outlet"], art["date"], art["outlet_source"], art["date_source"]) == (
        "روسيا اليوم", dt.date(2017, 4, 14), "corrected", "corrected")
    assert overview.summary(again)["undated"] == 0
    # the per-outlet totals follow the correction too: 001 writes لافروف four times
    terms = keywords.top_terms(again, Filter(outlets=("روسيا اليوم",)), n=1).set_index("label")
    assert (terms.loc["لافروف", "count"], terms.loc["لافروف", "articles"]) == (4, 1)
