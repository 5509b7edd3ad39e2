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
