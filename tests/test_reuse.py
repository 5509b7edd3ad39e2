"""Facts about text reuse: shared passages are found exactly, where they are written."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from core.analysis.reuse import reuse_graph
from core.arabic import word_spans, words
from core.extract.passages import PASSAGE_COLUMNS, REUSE_PAIR_COLUMNS, find_reuse

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"


def seed_articles() -> pd.DataFrame:
    meta = pd.read_csv(SAMPLE / "metadata.csv", dtype=str, keep_default_na=False)
    rows = []
    for aid, r in meta.iterrows():
        rows.append({
            "aid": aid,
            "outlet": r["outlet"] or "unknown",
            "date": dt.date.fromisoformat(r["date"]) if r["date"] else None,
            "text": (SAMPLE / r["file"]).read_text(encoding="utf-8"),
        })
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def seeds():
    arts = seed_articles()
    pairs, passages = find_reuse(arts)
    return arts, pairs, passages


LEAD = "مجموعة عمل مشتركة خاصة بتسوية الخلافات بين البلدين، بما في ذلك، الخلافات حول الأزمة السورية"
INQUIRY = ("ضرورة إجراء تحقيق موضوعي في قضية الاستخدام المزعوم للأسلحة الكيميائية في البلدة الواقعة "
           "بمحافظة إدلب")


def test_seed_pair_kassioun_syrianews_is_the_only_pair(seeds):
    _, pairs, _ = seeds
    assert list(pairs.columns) == REUSE_PAIR_COLUMNS
    assert pairs[["a", "b"]].values.tolist() == [[0, 3]]
    row = pairs.iloc[0]
    assert (row.outlet_a, row.outlet_b) == ("قاسيون", "سيريانيوز")
    # same day (2017-04-12): nobody can be said to be first
    assert row.direction == "" and row.source_outlet == "" and row.target_outlet == ""
    assert row.longest == 15


def test_seed_shared_passages_are_the_lead_and_the_inquiry(seeds):
    arts, _, passages = seeds
    assert list(passages.columns) == PASSAGE_COLUMNS
    p = passages[(passages.a == 0) & (passages.b == 3)]
    # the lead sentence is written twice in سيريانيوز (headline paragraph and the next one)
    assert sorted(p.text_a.tolist()) == sorted([LEAD, LEAD, INQUIRY])
    assert p.text_a.tolist() == p.text_b.tolist()
    assert set(p.words) == {15}
    ta, tb = arts.loc[0, "text"], arts.loc[3, "text"]
    for r in p.itertuples():
        assert ta[r.start_a:r.end_a] == r.text_a and tb[r.start_b:r.end_b] == r.text_b
    lead_b = sorted(p[p.text_a == LEAD].start_b)
    assert len(set(lead_b)) == 2 and tb.count(LEAD) == 2


def test_seed_quote_shared_by_two_outlets_is_too_short_to_be_reuse_by_default(seeds):
    # 000 and 001 share only Tillerson's 10-word quote: a statement, not copied text.
    arts, pairs, _ = seeds
    assert not ((pairs.a == 0) & (pairs.b == 1)).any()
    loose, passages = find_reuse(arts, min_words=10)
    assert ((loose.a == 0) & (loose.b == 1)).any()
    assert "كل شيء من أجل استعادة الثقة بين بلدينا ووقف تدهور" in passages.text_a.tolist()


def excerpt(day_only: bool = True) -> pd.DataFrame:
    d = pd.read_json(ROOT / "tests" / "data" / "ant_excerpt.jsonl", lines=True)
    d["aid"] = range(len(d))
    if day_only:
        d["date"] = d["date"].dt.date
    return d[["aid", "outlet", "date", "text"]]


FIFA = ("أربع حالات يمكن أن تغير مجرى المباراة: بعد تسجيل هدف، قرار بركلة جزاء، بعد بطاقة حمراء مباشرة "
        "(ليس بطاقتين صفراوين أو إنذارا) أو في حالات الخطأ في هوية اللاعب الذي وجه إليه إنذار أو بطاقة حمراء.")


def test_excerpt_afp_copy_shared_by_france24_and_sky_news():
    # France 24 (row 343, 21:08 UTC) and Sky News Arabia (row 348, 21:19, which credits "فرانس برس")
    # both print AFP's story on FIFA approving VAR for the 2018 World Cup.
    arts = excerpt()
    pairs, passages = find_reuse(arts)
    row = pairs[(pairs.a == 343) & (pairs.b == 348)].iloc[0]
    assert (row.outlet_a, row.outlet_b) == ("France 24 Arabic", "Sky News Arabia")
    assert row.containment_b > 0.6 and row.longest >= 38
    assert row.direction == ""  # same day
    p = passages[(passages.a == 343) & (passages.b == 348)]
    assert any(FIFA in t for t in p.text_a) and any(FIFA in t for t in p.text_b)
    quote = "سيكون لدينا في 2018 أول مونديال مع استخدام \"في اي آر\"، تمت الموافقة على ذلك، وتم"
    assert any(quote in t for t in p.text_b)
    # every pair is between two outlets
    assert (pairs.outlet_a != pairs.outlet_b).all()


def test_excerpt_with_timestamps_france24_published_first():
    pairs, _ = find_reuse(excerpt(day_only=False))
    row = pairs[(pairs.a == 343) & (pairs.b == 348)].iloc[0]
    assert row.direction == "a→b"
    assert (row.source_outlet, row.target_outlet) == ("France 24 Arabic", "Sky News Arabia")


def synthetic(texts, outlets, dates):
    return pd.DataFrame({"aid": range(len(texts)), "outlet": outlets, "date": dates, "text": texts})


LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def pseudo_words(prefix: str, n: int) -> str:
    """n distinct Arabic-letter words (digits would be split off by the tokenizer)."""
    return " ".join(prefix + LETTERS[i // 28] + LETTERS[i % 28] for i in range(n))


FILLER_A = pseudo_words("كلم", 300)
FILLER_B = pseudo_words("لفظ", 300)
LEAD40 = pseudo_words("خبر", 40)


def test_forty_word_lead_inside_two_long_articles_is_found():
    arts = synthetic([LEAD40 + " " + FILLER_A, FILLER_B + "، " + LEAD40 + "."], ["أ", "ب"],
                     [dt.date(2020, 1, 2), dt.date(2020, 1, 1)])
    pairs, passages = find_reuse(arts)
    assert len(pairs) == 1
    row = pairs.iloc[0]
    assert row.shared == 34 and row.containment < 0.2
    assert row.direction == "b→a" and (row.source_outlet, row.target_outlet) == ("ب", "أ")
    assert passages.text_a.tolist() == [LEAD40] and passages.words.tolist() == [40]


def test_same_outlet_pairs_only_on_request():
    arts = synthetic([LEAD40, LEAD40 + " " + FILLER_A], ["أ", "أ"], [None, None])
    assert find_reuse(arts)[0].empty
    pairs, _ = find_reuse(arts, same_outlet=True)
    assert pairs[["a", "b", "shared", "containment_a", "direction"]].values.tolist() == [[0, 1, 34, 1.0, ""]]


def test_boilerplate_in_many_articles_is_not_reuse():
    footer = "تابعونا على مواقع التواصل الاجتماعي واشتركوا في النشرة البريدية اليومية للحصول على آخر الأخبار"
    texts = [f"{pseudo_words('نص' + LETTERS[i // 28] + LETTERS[i % 28], 30)} {footer}" for i in range(60)]
    arts = synthetic(texts, [f"o{i}" for i in range(60)], [None] * 60)
    assert find_reuse(arts)[0].empty


def test_passages_keep_original_diacritics_and_spelling():
    shared = "أكَّدَ الوزيرُ أنّ المحادثاتِ كانت مثمرةً وصريحةً وشاملةً لكلِّ القضايا المهمة للعلاقات الثنائية"
    plain = "اكد الوزير ان المحادثات كانت مثمرة وصريحة وشاملة لكل القضايا المهمة للعلاقات الثنائية"
    arts = synthetic([f"قبل ذلك: {shared}.", f"{plain} وبعده"], ["أ", "ب"], [None, None])
    _, passages = find_reuse(arts, min_words=10)
    assert passages[["text_a", "text_b"]].values.tolist() == [[shared, plain]]


def test_word_spans_match_words_and_the_original_text():
    text = "وقال لافروفُ: «إنَّ الأزمةَ\u200f السورية» ٢٠١٧"
    ws, st, en = word_spans(text)
    assert ws == words(text) == ["وقال", "لافروف", "ان", "الازمة", "السورية", "2017"]
    assert [text[s:e] for s, e in zip(st, en)] == ["وقال", "لافروفُ", "إنَّ", "الأزمةَ", "السورية", "٢٠١٧"]


def test_graph_counts_pairs_per_outlet_pair():
    pairs = pd.DataFrame({
        "a": [0, 1, 2], "b": [5, 6, 7],
        "outlet_a": ["قاسيون", "سيريانيوز", "قاسيون"], "outlet_b": ["سيريانيوز", "قاسيون", "شينخوا"],
        "containment": [0.5, 0.3, 0.9], "source_outlet": ["قاسيون", "", "شينخوا"],
    })
    nodes, edges = reuse_graph(pairs)
    e = edges.set_index(["outlet_a", "outlet_b"])
    assert e.loc[("سيريانيوز", "قاسيون"), ["pairs", "a_first", "b_first", "same_time"]].tolist() == [2, 0, 1, 1]
    assert e.loc[("شينخوا", "قاسيون"), ["pairs", "a_first", "b_first"]].tolist() == [1, 1, 0]
    assert nodes.set_index("outlet").loc["قاسيون"].tolist() == [3, 3]  # articles 0, 6, 2; three pairs


def test_frequent_shingle_lookup_is_set_membership():
    """The boilerplate check of an aligned run (is each shingle one of the corpus's frequent ones)
    answers exactly what ``np.isin`` answers, for hashes across the whole uint64 range (those above
    2**63 included), repeated values, and empty sides."""
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from core.extract.passages import in_sorted

    u64 = st.integers(min_value=0, max_value=2**64 - 1)

    @settings(max_examples=200, deadline=None)
    @given(st.lists(u64, max_size=40), st.lists(u64, max_size=40), st.data())
    def check(values, pool, data):
        # values drawn partly from the set itself, so members occur
        values = values + data.draw(st.lists(st.sampled_from(pool), max_size=10)) if pool else values
        v = np.array(values, dtype=np.uint64)
        s = np.unique(np.array(pool, dtype=np.uint64))
        assert in_sorted(v, s).tolist() == np.isin(v, s).tolist()

    check()
