"""Facts about core.analysis.entities on the sample: mentions per outlet and totals."""
from core.analysis import entities


def test_entity_mentions_per_outlet_and_articles_per_entity(sample_corpus):
    by = entities.entity_by_outlet(sample_corpus)
    lav = by[(by["entity"] == "بومبيو")]
    assert int(lav[lav["outlet"] == "الثورة"]["mentions"].iloc[0]) == 13
    assert int(lav[lav["outlet"] == "شينخوا"]["mentions"].iloc[0]) == 0
    tot = entities.entity_totals(sample_corpus)
    syria = tot[tot["entity"] == "سوريا"].iloc[0]
    assert syria["type"] == "place" and syria["articles"] == 5


def test_the_per_day_rollup_gives_what_the_mentions_give(excerpt_corpus, monkeypatch):
    """Filters without a text query read ``entity_days`` (outlet × day × entity); every entity view
    must equal the same view summed over the per-article mentions, under dates, outlets, types and
    each treatment of undated articles."""
    import pandas as pd

    from core.filter import Filter

    c = excerpt_corpus
    assert entities._use_days(c, Filter()) and not entities._use_days(c, Filter(query="سوريا"))
    assert 0 < c.rows("SELECT COUNT(*) FROM entity_days")[0][0] < c.rows("SELECT COUNT(*) FROM mentions")[0][0]
    flts = [Filter(), Filter(date_from="2018-03-16", outlets=("العربية", "فرانس 24")),
            Filter(date_to="2018-03-20", undated="exclude"), Filter(undated="only"), Filter(outlets=("العربية",))]
    calls = [lambda f: entities.entity_totals(c, f, limit=40), lambda f: entities.entity_totals(c, f, types=["person"]),
             lambda f: entities.entity_by_outlet(c, f, limit=15), lambda f: entities.entity_trend(c, f, freq="W")]
    rolled = [[call(f) for f in flts] for call in calls]
    monkeypatch.setattr(entities, "_use_days", lambda corpus, flt: False)
    c.views.clear()
    nonempty = 0
    for row, call in zip(rolled, calls):
        for got, f in zip(row, flts):
            want = call(f)
            nonempty += len(want) > 0
            pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert nonempty >= 12
