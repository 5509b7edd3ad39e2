"""Facts about core.index.corrections: an analyst's fix of an outlet or a date outlives a rebuild."""
import datetime as dt

import pandas as pd

from core.analysis import entities, keywords, overview, topics
from core.filter import Filter
from core.index.cache import open_or_build
from core.index.corrections import load_corrections


def test_corrections_survive_a_rebuild(tmp_path):
    cache, fix = tmp_path / "cache", tmp_path / "fix.csv"
    corpus = open_or_build(["data/sample"], cache, name="t", corrections=fix)
    corpus.correct(pd.DataFrame({"id": ["001_1fb983bfe6a1107a"], "outlet": ["روسيا اليوم"], "date": ["2017-04-14"]}), fix)
    assert load_corrections(fix).iloc[0]["outlet"] == "روسيا اليوم"
    # the per-day rollups follow the correction at once: the corrected article's entities and topics
    # are under its new outlet and day
    moved = Filter(outlets=("روسيا اليوم",), date_from="2017-04-14", date_to="2017-04-14")
    mentions = corpus.sql("SELECT entity, SUM(cnt) AS n FROM mentions m JOIN articles a USING (aid) "
                          "WHERE a.id = '001_1fb983bfe6a1107a' GROUP BY entity")
    assert len(mentions) and entities.entity_totals(corpus, moved, limit=1000).set_index("entity")["mentions"].to_dict() \
        == dict(zip(mentions["entity"], mentions["n"]))
    hits = topics.article_topics(corpus, None, article_id="001_1fb983bfe6a1107a")
    assert topics._use_days(corpus, moved, None) and \
        topics.topic_by_outlet(corpus, moved)["hits"].sum() == hits["hits"].sum() > 0
    # and the stored whole-corpus similarity has the new outlet, as computing it afresh does
    from core.analysis import distinctive
    stored = distinctive.similarity.uncached(corpus, None)
    assert "روسيا اليوم" in set(stored["outlet_a"])
    pd.testing.assert_frame_equal(stored, distinctive.similarity.uncached(corpus, Filter(date_from="1900-01-01")))
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


def test_a_corrected_date_drops_a_time_of_another_day(tmp_path):
    from core.index.build import build_index

    src = tmp_path / "t.jsonl"
    src.write_text(
        '{"id": "a", "outlet": "أ", "date": "2018-05-09T08:00:00Z", "text": "نص أول عن الانتخابات في العراق"}\n'
        '{"id": "b", "outlet": "ب", "date": "2018-05-09T09:00:00Z", "text": "نص ثان عن الأسواق المالية اليوم"}\n',
        encoding="utf-8")
    corpus = build_index([src], tmp_path / "t.duckdb", workers=1)
    corpus.correct(pd.DataFrame({"id": ["a", "b"], "outlet": ["", ""], "date": ["2018-05-10", "2018-05-09"]}))
    got = dict(corpus.rows("SELECT id, published FROM articles"))
    assert got["a"] is None                                   # 08:00 of the 9th no longer dates the 10th
    assert got["b"] == dt.datetime(2018, 5, 9, 9, 0)          # the same day: its time stands
