"""Facts about the outlet comparison on the built corpus (the store queries of core.analysis's
distinctive, variants, reuse_view and quotes_view), checked by hand
against the seed articles in data/sample and the ANT excerpt in tests/data."""
from pathlib import Path

import pandas as pd
import pytest

from core.analysis import distinctive, overview, quotes_view, reuse_view, variants
from core.filter import Filter

KASSIOUN, SYRIANEWS = "000_058533779b74fd40", "003_2fb4171725300b4b"
XINHUA, THAWRA, UNKNOWN = "002_8bb5bcd9b53559f5", "004_b20770630bddb0e8", "001_1fb983bfe6a1107a"


def variants_of(corpus, group, flt=None):
    """{(outlet, variant): (count, share)} of one alias group."""
    t = variants.variant_table(corpus, flt)
    t = t[t["group"] == group]
    return {(r.outlet, r.variant): (int(r.count), float(r.share)) for r in t.itertuples()}


# -- spelling fingerprint --------------------------------------------------------------------------

def test_syria_spelling_per_outlet(sample_corpus):
    # Counted by hand, the country only (السورية / السوري are adjectives and never counted):
    #   004 الثورة: أراضي سورية (title), الأزمة في سورية, الإرهابيين في سورية, بالأزمة في سورية,
    #       ووحدة أراضي سورية -> 5 × سورية (the two سورية of the "آخر الأخبار" footer are furniture)
    #   000 قاسيون: أن تكون سوريا دولة موحدة / الكيماوي في سورية -> 1 × سوريا, 1 × سورية
    #   002 شينخوا: في سوريا وسط, ذلك سوريا واليمن, بشأن سوريا بما, بشأن سوريا بعد, في سوريا على الرغم,
    #       في سوريا، مؤكدا -> 6 × سوريا
    #   003 سيريانيوز: 11 × سوريا (title, the lead, بشأن سوريا, حل سياسي في سوريا", في سوريا , بل,
    #       فوق سوريا بعد, على سوريا الأسبوع, فوق سوريا , عقب, على سوريا., بشأن سوريا", في سوريا")
    v = variants_of(sample_corpus, "سوريا")
    assert v[("الثورة", "سورية")] == (5, 1.0)
    assert ("الثورة", "سوريا") not in v
    assert v[("شينخوا", "سوريا")] == (6, 1.0)
    assert v[("سيريانيوز", "سوريا")] == (11, 1.0)
    assert v[("قاسيون", "سوريا")] == (1, 0.5) and v[("قاسيون", "سورية")] == (1, 0.5)


def test_adjective_syrian_after_an_indefinite_noun_is_not_the_country(sample_corpus):
    # 002 writes "على قاعدة جوية سورية" (a Syrian air base): an adjective, not a spelling of سوريا.
    assert "قاعدة جوية سورية" in overview.article(sample_corpus, XINHUA)["text"]
    v = variants_of(sample_corpus, "سوريا", Filter(outlets=("شينخوا",)))
    assert v == {("شينخوا", "سوريا"): (6, 1.0)}


def test_american_spelling_per_outlet(sample_corpus):
    # The nisba group أمريكي (الأمريكي, الأمريكية, الأمريكيين ... all forms), counted by hand; the
    # variant is the spelling as written without ال:
    #   004 الثورة: 9 × الأميركي + 8 × الأميركية -> 17 × أميركي, never أمريكي (its footer's
    #       "الحكومي الأمريكي" is furniture); "روسيا وأميركا" in the title is the group أمريكا
    #   000 قاسيون: نظيره الأمريكي, الروسية والأمريكية, الوزير الأمريكي, الروس والأمريكيين -> 4 × أمريكي
    #   002 شينخوا: الخارجية الأمريكي الزائر -> 1 × أمريكي
    #   001 unknown: زملائنا الأمريكيين -> 1 (its "علاقات أمريكية" is in an "اقرأ أيضا" line, furniture)
    #   003 سيريانيوز mixes three: الامريكي ×2, الامريكية ×2 (no hamza) -> 4 × امريكي;
    #       الاتفاق الأمريكي, الصاروخي الأمريكي, الجيش الأمريكي -> 3 × أمريكي; تجاوب أميركي -> 1 × أميركي
    v = variants_of(sample_corpus, "أمريكي")
    assert v[("الثورة", "أميركي")] == (17, 1.0)
    assert v[("قاسيون", "أمريكي")] == (4, 1.0)
    assert v[("شينخوا", "أمريكي")] == (1, 1.0)
    assert v[("unknown", "أمريكي")] == (1, 1.0)
    assert {k[1]: c for k, (c, _s) in v.items() if k[0] == "سيريانيوز"} == {"امريكي": 4, "أمريكي": 3, "أميركي": 1}
    assert v[("سيريانيوز", "امريكي")][1] == 0.5
    assert variants_of(sample_corpus, "أمريكا") == {("الثورة", "أميركا"): (1, 1.0)}


def test_shares_follow_the_filter(sample_corpus):
    # Outside 2017 only الثورة is left (and the undated 001, excluded here).
    v = variants_of(sample_corpus, "سوريا", Filter(date_from="2019-01-01", undated="exclude"))
    assert v == {("الثورة", "سورية"): (5, 1.0)}


# -- distinctive vocabulary ------------------------------------------------------------------------

def test_pair_thawra_vs_xinhua_has_pompeo_on_side_a(sample_corpus):
    # بومبيو: 13 times in 004 (title, مايك بومبيو, تحدث بومبيو, زيارة بومبيو ×2, لبومبيو, لافروف وبومبيو,
    # مع بومبيو, صرح/ذكر/لفت/جدد/أعلن بومبيو), never in 002.
    d = distinctive.distinctive_outlets(sample_corpus, None, "الثورة", "شينخوا")
    a = d[d["side"] == "A"]
    row = a[a["label"] == "بومبيو"].iloc[0]
    assert (row["count_a"], row["count_b"]) == (13, 0)
    assert row["z"] > 0 and "بومبيو" in set(a.head(5)["label"])
    # تيلرسون: 6 times in 002 (ريكس تيلرسون, قال/وأضاف/اجتماع/معه/وجدد تيلرسون), never in 004
    b = d[d["side"] == "B"]
    assert b[b["label"] == "تيلرسون"][["count_a", "count_b"]].values.tolist() == [[0, 6]]


@pytest.mark.parametrize("outlet", ["قاسيون", "الثورة", "شينخوا", "سيريانيوز", "unknown"])
def test_outlet_vs_rest_sides_have_the_sign_of_their_side(sample_corpus, outlet):
    d = distinctive.distinctive_outlets(sample_corpus, None, outlet, None, limit=100)
    assert len(d[d["side"] == "A"]) > 0 and len(d[d["side"] == "B"]) > 0
    assert (d.loc[d["side"] == "A", "z"] > 0).all()
    assert (d.loc[d["side"] == "B", "z"] < 0).all()
    assert set(d["side"]) == {"A", "B"}


def test_swapping_a_and_b_swaps_the_sides(sample_corpus):
    ab = distinctive.distinctive_outlets(sample_corpus, None, "الثورة", "شينخوا", limit=1000)
    ba = distinctive.distinctive_outlets(sample_corpus, None, "شينخوا", "الثورة", limit=1000)

    def side(df, s):
        return {r.term: (r.count_a, r.count_b, r.z) for r in df[df["side"] == s].itertuples()}

    assert side(ab, "A") and side(ab, "B")
    assert side(ba, "B") == {t: (cb, ca, -z) for t, (ca, cb, z) in side(ab, "A").items()}
    assert side(ba, "A") == {t: (cb, ca, -z) for t, (ca, cb, z) in side(ab, "B").items()}


def test_min_count_drops_terms_below_it(sample_corpus):
    for m in (5, 10, 14):
        d = distinctive.distinctive_outlets(sample_corpus, None, "الثورة", "شينخوا", min_count=m, limit=1000)
        assert ((d["count_a"] + d["count_b"]) >= m).all()
    # بومبيو has 13 + 0: listed at min_count 13, gone at 14
    at13 = distinctive.distinctive_outlets(sample_corpus, None, "الثورة", "شينخوا", min_count=13, limit=1000)
    at14 = distinctive.distinctive_outlets(sample_corpus, None, "الثورة", "شينخوا", min_count=14, limit=1000)
    assert "بومبيو" in set(at13["term"]) and "بومبيو" not in set(at14["term"])
    rest = distinctive.distinctive_outlets(sample_corpus, None, "قاسيون", None, min_count=20, limit=1000)
    assert len(rest) > 0 and ((rest["count_a"] + rest["count_b"]) >= 20).all()


def test_distinctive_dates_puts_pompeo_in_2019(sample_corpus):
    d = distinctive.distinctive_dates(sample_corpus, None, ("2017-04-12", "2017-04-13"), ("2019-05-15", "2019-05-15"))
    b = d[d["side"] == "B"]
    row = b[b["label"] == "بومبيو"].iloc[0]
    assert (row["count_a"], row["count_b"]) == (0, 13) and row["z"] < 0
    # تيلرسون in 2017: 000 (3) + 002 (6) + 003 (5) = 14; the undated 001 (6 more) is not in either range
    a = d[d["side"] == "A"]
    assert a[a["label"] == "تيلرسون"][["count_a", "count_b"]].values.tolist() == [[14, 0]]


def test_distinctive_all_lists_each_outlets_positive_terms(sample_corpus):
    d = distinctive.distinctive_all(sample_corpus)
    assert set(d["outlet"]) == {"قاسيون", "الثورة", "شينخوا", "سيريانيوز", "unknown"}
    assert (d["z"] > 0).all()
    row = d[(d["outlet"] == "الثورة") & (d["label"] == "بومبيو")].iloc[0]
    assert (row["count_outlet"], row["count_rest"]) == (13, 0)


# -- similarity ------------------------------------------------------------------------------------

def test_similarity_is_symmetric_with_unit_diagonal(sample_corpus):
    s = distinctive.similarity(sample_corpus)
    m = s.pivot(index="outlet_a", columns="outlet_b", values="similarity")
    outlets = {"قاسيون", "الثورة", "شينخوا", "سيريانيوز", "unknown"}
    assert set(m.index) == set(m.columns) == outlets
    m = m.loc[sorted(outlets), sorted(outlets)]
    assert (m.values == m.values.T).all()
    assert all(m.loc[o, o] == 1.0 for o in outlets)
    assert ((s["similarity"] >= 0) & (s["similarity"] <= 1)).all()
    off = s[s["outlet_a"] != s["outlet_b"]]["similarity"]
    assert (off < 1).all() and (off > 0).all()  # different texts sharing Lavrov, Tillerson, Russia…


# -- reuse -----------------------------------------------------------------------------------------

def pair_of(pairs, x, y):
    hit = pairs[((pairs["a_id"] == x) & (pairs["b_id"] == y)) | ((pairs["a_id"] == y) & (pairs["b_id"] == x))]
    return hit.iloc[0] if len(hit) else None


def test_seed_reuse_pair_kassioun_syrianews(sample_corpus):
    pairs = reuse_view.reuse_pairs(sample_corpus)
    p = pair_of(pairs, KASSIOUN, SYRIANEWS)
    assert p is not None
    assert {p["outlet_a"], p["outlet_b"]} == {"قاسيون", "سيريانيوز"}
    assert p["direction"] == "" and p["source_outlet"] == "" and p["target_outlet"] == ""  # both 2017-04-12
    passages = reuse_view.reuse_passages(sample_corpus, p["a_id"], p["b_id"])
    # 000 writes "على إنشاء مجموعة عمل مشتركة …", 003 writes "وإنشاء مجموعة عمل مشتركة …" (twice): the
    # match is word for word, so the shared run starts at مجموعة.
    lead = "مجموعة عمل مشتركة خاصة بتسوية الخلافات بين البلدين"
    hits = passages[passages["text_a"].str.contains(lead) & passages["text_b"].str.contains(lead)]
    assert len(hits) >= 1
    text = {p["a_id"]: overview.article(sample_corpus, p["a_id"])["text"],
            p["b_id"]: overview.article(sample_corpus, p["b_id"])["text"]}
    for r in passages.itertuples():  # each passage as each article writes it
        assert r.text_a in text[p["a_id"]] and r.text_b in text[p["b_id"]]
    inquiry = "ضرورة إجراء تحقيق موضوعي في قضية الاستخدام المزعوم للأسلحة الكيميائية في البلدة الواقعة بمحافظة إدلب"
    assert any(inquiry in r.text_a and inquiry in r.text_b for r in passages.itertuples())


def test_reuse_pair_follows_the_outlet_and_date_filter(sample_corpus):
    assert pair_of(reuse_view.reuse_pairs(sample_corpus, Filter(outlets=("قاسيون",))), KASSIOUN, SYRIANEWS) is not None
    assert pair_of(reuse_view.reuse_pairs(sample_corpus, Filter(outlets=("سيريانيوز",))), KASSIOUN, SYRIANEWS) is not None
    assert reuse_view.reuse_pairs(sample_corpus, Filter(outlets=("شينخوا",))).empty
    assert reuse_view.reuse_pairs(sample_corpus, Filter(date_from="2017-04-13")).empty
    assert reuse_view.reuse_pairs(sample_corpus, Filter(date_to="2017-04-11")).empty
    assert pair_of(reuse_view.reuse_pairs(sample_corpus, Filter(date_from="2017-04-12", date_to="2017-04-12")),
                   KASSIOUN, SYRIANEWS) is not None


def check_matrix_matches_pairs(corpus, flt=None):
    pairs = reuse_view.reuse_pairs(corpus, flt)
    mat = reuse_view.reuse_matrix(corpus, flt)
    expect = {}
    for r in pairs.itertuples():
        lo, hi = sorted([r.outlet_a, r.outlet_b])
        e = expect.setdefault((lo, hi), {"pairs": 0, "cont": [], "a_first": 0, "b_first": 0, "same": 0})
        e["pairs"] += 1
        e["cont"].append(r.containment)
        if r.source_outlet == "":
            e["same"] += 1
        elif r.source_outlet == lo:
            e["a_first"] += 1
        else:
            e["b_first"] += 1
    got = {(r.outlet_a, r.outlet_b): r for r in mat.itertuples()}
    assert len(got) == len(mat) == 2 * len(expect)   # every cell both ways, once each
    assert set(got) == set(expect) | {(hi, lo) for lo, hi in expect}
    for (lo, hi), e in expect.items():
        g, back = got[(lo, hi)], got[(hi, lo)]
        assert (g.pairs, g.a_first, g.b_first, g.same_time) == (e["pairs"], e["a_first"], e["b_first"], e["same"])
        assert (back.pairs, back.a_first, back.b_first, back.same_time) == (e["pairs"], e["b_first"], e["a_first"], e["same"])
        assert abs(g.containment - sum(e["cont"]) / len(e["cont"])) < 1e-3 and back.containment == g.containment
    return pairs, mat


def test_reuse_matrix_agrees_with_the_pairs(sample_corpus, excerpt_corpus):
    pairs, mat = check_matrix_matches_pairs(sample_corpus)
    assert mat[["outlet_a", "outlet_b", "pairs", "same_time"]].values.tolist() == [["سيريانيوز", "قاسيون", 1, 1],
                                                                                  ["قاسيون", "سيريانيوز", 1, 1]]
    pairs, mat = check_matrix_matches_pairs(excerpt_corpus)
    assert len(mat) >= 6 and int(mat["pairs"].sum()) == 2 * len(pairs)
    check_matrix_matches_pairs(excerpt_corpus, Filter(outlets=("فرانس 24",)))
    # the network's edges come first, in its order (the heat map's rows and columns follow it)
    nodes, edges = reuse_view.reuse_network(excerpt_corpus)
    cells = ["outlet_a", "outlet_b", "pairs"]
    assert edges[cells].values.tolist() == mat[cells].head(len(edges)).values.tolist()


def test_excerpt_afp_copy_france24_and_sky_news(excerpt_corpus):
    # 2018-03-16, AFP's story on FIFA approving the video assistant referee for the 2018 World Cup:
    # France 24 FR-internationalNews-471-20180316 and Sky News Arabia SK-sport-299-20180316 (which
    # credits "فرانس برس") carry the same paragraphs, e.g. the four cases the VAR may review.
    fr, sk = "FR-internationalNews-471-20180316", "SK-sport-299-20180316"
    pairs = reuse_view.reuse_pairs(excerpt_corpus)
    p = pair_of(pairs, fr, sk)
    assert p is not None
    assert {p["outlet_a"], p["outlet_b"]} == {"فرانس 24", "سكاي نيوز عربية"}
    assert p["direction"] == ""  # same day
    assert p["longest"] >= 38
    passages = reuse_view.reuse_passages(excerpt_corpus, p["a_id"], p["b_id"])
    cases = "يمكن أن تغير مجرى المباراة: بعد تسجيل هدف، قرار بركلة جزاء، بعد بطاقة حمراء مباشرة"
    assert any(cases in r.text_a and cases in r.text_b for r in passages.itertuples())
    test_2016 = "وتم اختبار تقنية الفيديو عام 2016 في أكثر من 20 بلدا وفي نحو ألف مباراة"
    assert any(test_2016 in r.text_a and test_2016 in r.text_b for r in passages.itertuples())
    # one side selected keeps the pair, a third outlet alone does not
    assert pair_of(reuse_view.reuse_pairs(excerpt_corpus, Filter(outlets=("سكاي نيوز عربية",))), fr, sk) is not None
    assert pair_of(reuse_view.reuse_pairs(excerpt_corpus, Filter(outlets=("بي بي سي عربي",))), fr, sk) is None
    assert pair_of(reuse_view.reuse_pairs(excerpt_corpus, Filter(date_to="2018-03-15")), fr, sk) is None


# -- quotes ----------------------------------------------------------------------------------------

def test_quote_speakers_per_outlet_on_the_seeds(sample_corpus):
    # Checked by hand statement by statement under the documented rules (core/analysis/quotes.py:
    # the speaker is the subject of the reporting verb, a title alone is kept as written, continued
    # speech carries the last speaker; reported speech "قال X إن …" counts as a statement):
    # 000 قاسيون, لافروف 9: قال … إن الطرفين اتفقا, بـ"النظر بصورة مفصلة…", واعتبر أن, مشدداً على أن,
    #   وقال لافروف إن العلاقات, وقال: "أعتقد…", وشدد لافروف على أن, وختم بالقول: "إنني متأكد…", أعلن لافروف…:
    #   "من الواضح…"; تيلرسون 1: قال تيلرسون: "علينا أن نفعل…"; الوزير الأمريكي 2: ودعا الوزير الأمريكي …،
    #   وأكد … أن تكون سوريا, وأضاف: "وافقنا…".
    # 001 unknown, تيلرسون 5: "علينا أن نعمل…", أشار تيلرسون إلى أن, وقال: "لقد تحدثنا…", بالقول: "لقد
    #   اتفقنا…", "لقد أمضينا…"; لافروف 3: وبحث لافروف …، وأكد أن روسيا لا تسعى, "نسعى رغم…", "نحن واقعيون…";
    #   بوتين 1: بوتين، الذي أكد خلال اللقاء أن.
    # 002 شينخوا, تيلرسون 6: قال تيلرسون إن, وأضاف تيلرسون…" اتفقت…", قائلا إن العلاقات, وقال في المؤتمر
    #   الصحفي " هناك…", مضيفا أن موسكو وواشنطن, مشيرا إلى أن ذلك تكرر; لافروف 2: قال وزير الخارجية الروسي
    #   سيرغي لافروف إن, مؤكدا أن روسيا ليست لديها نية; الوزير 2: وقال الوزير " لقد كان…", وقال" مع كل
    #   المشاكل…"; بوتين 1: قال بوتين إن الثقة. (قالت إنه يأتي ردا …: the subject is not in the clause.)
    # 003 سيريانيوز, لافروف 8 (the 7 quotes, and مبينا ان after وأبدى لافروف), تيلرسون 3.
    # 004 الثورة, لافروف 13, بومبيو 6 (صرح / ذكر / ولفت بومبيو, مضيفاً, مشيراً, أعلن بومبيو), بوتين 3 (أكد
    #   الرئيس الروسي فلاديمير بوتين … معبرا عن أمله بأن, وقال بوتين لبومبيو:, قال بوتين:), الرئيس الروسي 2
    #   (وأضاف الرئيس الروسي قائلا:, ورأى الرئيس الروسي:), وزير الخارجية الأميركي 1 (أكد وزير الخارجية
    #   الأميركي وجود مجال … قائلا:).
    got = {(r.outlet, r.speaker): r.quotes for r in quotes_view.quote_speakers(sample_corpus).itertuples()}
    assert got == {
        ("قاسيون", "لافروف"): 9, ("قاسيون", "الوزير الأمريكي"): 2, ("قاسيون", "تيلرسون"): 1,
        ("unknown", "تيلرسون"): 5, ("unknown", "لافروف"): 3, ("unknown", "بوتين"): 1,
        ("شينخوا", "تيلرسون"): 6, ("شينخوا", "لافروف"): 2, ("شينخوا", "الوزير"): 2, ("شينخوا", "بوتين"): 1,
        ("سيريانيوز", "لافروف"): 8, ("سيريانيوز", "تيلرسون"): 3,
        ("الثورة", "لافروف"): 13, ("الثورة", "بومبيو"): 6, ("الثورة", "بوتين"): 3, ("الثورة", "الرئيس الروسي"): 2,
        ("الثورة", "وزير الخارجية الأميركي"): 1,
    }
    only = quotes_view.quote_speakers(sample_corpus, Filter(outlets=("سيريانيوز",)))
    assert only[["speaker", "quotes"]].values.tolist() == [["لافروف", 8], ["تيلرسون", 3]]


def test_unattributed_quotes_have_an_empty_speaker(sample_corpus):
    q = quotes_view.quotes(sample_corpus)
    assert q["speaker"].map(type).eq(str).all()
    # وأبدى لافروف استعداد بلاده "لحوار مفتوح …" (003): no reporting word, no speaker
    row = q[q["text"].str.startswith("لحوار مفتوح مع واشنطن")]
    assert len(row) == 1 and row.iloc[0]["speaker"] == "" and row.iloc[0]["article_id"] == SYRIANEWS
    # a title alone is the speaker, as written: وقال الوزير " لقد كان يوما طويلا..." (002)
    minister = q[q["text"].str.startswith("لقد كان يوما طويلا")]
    assert minister["speaker"].tolist() == ["الوزير"]
    assert "" not in set(quotes_view.quote_speakers(sample_corpus)["speaker"])


def test_start_3_is_not_a_quote(sample_corpus):
    q = quotes_view.quotes(sample_corpus)
    assert not q["text"].str.strip().isin(["ستارت 3", "التدخل الروسي", "تهدئة الأمور"]).any()
    thawra = q[q["article_id"] == THAWRA]
    assert not thawra["text"].str.startswith("ستارت").any()
    assert not q["text"].str.contains("أرغومينتي").any()


def test_tillerson_restore_trust_is_one_statement_across_two_outlets(sample_corpus):
    s = quotes_view.statements_across_outlets(sample_corpus)
    trust = s[s["text"].str.contains("من أجل استعادة الثقة بين بلدينا")]
    assert trust["statement_id"].nunique() == 1
    cluster = s[s["statement_id"] == trust["statement_id"].iloc[0]]
    assert set(cluster["outlet"]) == {"قاسيون", "unknown"}
    assert set(cluster["article_id"]) == {KASSIOUN, UNKNOWN}
    assert set(cluster["speaker"]) == {"تيلرسون"}
    # restricted to one outlet there is nothing to compare
    assert quotes_view.statements_across_outlets(sample_corpus, Filter(outlets=("قاسيون",))).empty
    assert quotes_view.statement_count(sample_corpus, Filter(outlets=("قاسيون",))) == (0, 0)


def test_the_first_statements_and_the_count_agree_with_every_statement(excerpt_corpus):
    """The Reuse page reads the first statements and the count (its CSV takes them all, on click)."""
    for flt in (Filter(), Filter(date_from="2018-03-16"), Filter(query="ترامب")):
        every = quotes_view.statements_across_outlets(excerpt_corpus, flt)
        ids = every["statement_id"].drop_duplicates()
        assert quotes_view.statement_count(excerpt_corpus, flt) == (len(ids), len(every))
        first = quotes_view.statements_across_outlets(excerpt_corpus, flt, limit=3)
        pd.testing.assert_frame_equal(first, every[every["statement_id"].isin(ids.iloc[:3])].reset_index(drop=True))
    assert len(ids) > 3


@pytest.mark.parametrize("n", [1, 2])
def test_distinctive_in_duckdb_equals_the_pandas_log_odds(excerpt_corpus, n):
    """The log-odds (distinctive._log_odds_sql over the totals, _log_odds_frame in numpy) return exactly what distinctive.pair / outlet_vs_rest give
    on the pulled outlet × term counts, under filters of every kind."""
    c = excerpt_corpus
    outs = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    checked = 0
    for flt in (Filter(), Filter(outlets=tuple(outs[:2])), Filter(query="روسيا"), Filter(query='"الولايات المتحدة"')):
        counts = distinctive.term_counts(c, flt, n)
        for a, b in ((outs[0], outs[1]), (outs[0], None), (outs[-1], None)):
            ref = distinctive.pair(counts, a, b, min_count=5) if b else distinctive.outlet_vs_rest(counts, a, min_count=5)
            want = distinctive._top_labelled(c, ref, n, 25).reset_index(drop=True)
            got = distinctive.distinctive_outlets(c, flt, a, b, n=n).reset_index(drop=True)
            if want.empty:  # the empty frame keeps the page's column order
                assert got.empty and list(got.columns) == distinctive.DISTINCTIVE_COLUMNS
                continue
            pd.testing.assert_frame_equal(got, want, check_dtype=False)
            checked += len(got)
    assert checked > 200


@pytest.mark.parametrize("n", [1, 2])
def test_similarity_in_duckdb_equals_scikit_learns_tfidf(excerpt_corpus, n):
    """distinctive.similarity (summed in DuckDB) gives what distinctive.tfidf_similarity (scikit-learn's
    TfidfTransformer) gives on the pulled counts, to the four decimals shown."""
    c = excerpt_corpus
    outs = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    for flt in (Filter(), Filter(outlets=tuple(outs[:3])), Filter(query="روسيا"), Filter(query='"الولايات المتحدة"')):
        sim = distinctive.tfidf_similarity(distinctive.term_counts(c, flt, n))
        want = sim.rename_axis(index="outlet_a", columns="outlet_b").stack().rename("similarity").reset_index()
        want["similarity"] = want["similarity"].round(4)
        got = distinctive.similarity(c, flt, n)
        assert len(got) == len(want) >= 4
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False)


def test_the_speaker_chart_keeps_the_most_quoted_speakers_whole(excerpt_corpus):
    every = quotes_view.quote_speakers(excerpt_corpus)
    top = quotes_view.most_quoted(every, 3)
    totals = every.groupby("speaker")["quotes"].sum()
    assert top["speaker"].nunique() == 3 < every["speaker"].nunique()
    assert totals[top["speaker"].unique()].min() >= totals.drop(top["speaker"].unique()).max()
    # a kept speaker keeps every outlet's row
    for sp in top["speaker"].unique():
        assert len(top[top["speaker"] == sp]) == len(every[every["speaker"] == sp])
    # the page reads them, with the number of speakers its caption gives, from the per-filter view
    chart, n_speakers = quotes_view.top_speakers(excerpt_corpus, None, 3)
    pd.testing.assert_frame_equal(chart, top)
    assert n_speakers == every["speaker"].nunique()


def test_quote_counts_from_the_per_day_rollup_equal_the_quotes(excerpt_corpus, monkeypatch):
    """Filters without a text query count quotes from ``quote_days``; the speakers table and the count
    must equal the same counted over the quotes themselves."""
    c = excerpt_corpus
    assert quotes_view._use_days(c, Filter()) and not quotes_view._use_days(c, Filter(query="ترامب"))
    flts = [Filter(), Filter(date_from="2018-03-16", outlets=("العربية", "فرانس 24")),
            Filter(date_to="2018-03-20", undated="exclude"), Filter(outlets=("العربية",))]
    rolled = [(quotes_view.quote_speakers(c, f), quotes_view.quote_count(c, f)) for f in flts]
    # and filters of outlets only read the per-outlet rollup quote_outlets: also compared with the quotes
    from core.index.handle import Corpus
    assert c.has_table("quote_outlets")
    days = Corpus(c.con, c.path, c.resources)
    days._memo[("has_table", "quote_outlets")] = False
    by_day = [quotes_view.quote_speakers.uncached(days, f) for f in flts]
    monkeypatch.setattr(quotes_view, "_use_days", lambda corpus, flt: False)
    days.views.clear()
    for (speakers, count), day, f in zip(rolled, by_day, flts):
        want = quotes_view.quote_speakers(days, f)
        assert len(want) and count == quotes_view.quote_count(days, f) == len(quotes_view.quotes(days, f)) > 0
        pd.testing.assert_frame_equal(speakers, want)
        pd.testing.assert_frame_equal(day, want)


def test_the_first_quotes_are_the_first_rows_of_every_quote(excerpt_corpus, monkeypatch):
    """quotes(limit=k) reads only the articles up to the day its first k quotes reach: under every kind
    of filter and limit (from the rollup and from the per-article quotes) they are the first k rows of
    the whole list, and the bound did cut the articles read."""
    c = excerpt_corpus
    outs = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    d0, d1 = c.rows("SELECT MIN(date), MAX(date) FROM articles")[0]
    mid = d0 + (d1 - d0) / 2
    bounded = 0
    for days in (True, False):
        if not days:
            monkeypatch.setattr(quotes_view, "_use_days", lambda corpus, flt: False)
        for flt in (Filter(), Filter(outlets=(outs[0],)), Filter(outlets=tuple(outs[1:3]), date_from=mid),
                    Filter(query="روسيا"), Filter(undated="exclude", date_to=mid), Filter(undated="only")):
            every = quotes_view.quotes.uncached(c, flt)
            for k in (1, 3, 40, len(every), len(every) + 5):
                got = quotes_view.quotes.uncached(c, flt, limit=k)
                with monkeypatch.context() as m:   # the query as it was: every quote sorted, the first k kept
                    m.setattr(quotes_view, "_first_quotes_bound", lambda *a: None)
                    want = quotes_view.quotes.uncached(c, flt, limit=k)
                pd.testing.assert_frame_equal(got, want)
                assert got["text"].tolist() == every["text"].head(k).tolist()
                hi = quotes_view._first_quotes_bound(c, flt, k)
                bounded += hi is not None and hi < c.aid_bound() - 1
    assert bounded > 10


@pytest.mark.parametrize("n", [1, 2, 3])
def test_the_filtered_outlet_term_counts_equal_the_plain_sum(excerpt_corpus, n):
    """outlet_term_frame (grouped by an outlet code, named after) holds exactly the rows of the plain
    sum grouped by outlet name, under dates, outlets, a word and a phrase."""
    c = excerpt_corpus
    outs = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    d0, d1 = c.rows("SELECT MIN(date), MAX(date) FROM articles")[0]
    for flt in (Filter(date_from=d0 + (d1 - d0) / 2), Filter(outlets=tuple(outs[:2]), date_from=d1),
                Filter(query="روسيا"), Filter(query='"الولايات المتحدة"'), Filter(query="kalimazz")):
        got = distinctive.outlet_term_frame.uncached(c, flt, n)
        where, params = c.where(flt)
        want = c.sql(f"SELECT a.outlet, t.tid, CAST(SUM(t.cnt) AS BIGINT) AS count, COUNT(*) AS articles FROM terms t "
                     f"JOIN articles a USING (aid) WHERE t.n = $n AND {where} GROUP BY 1, 2 HAVING SUM(t.cnt) > 0",
                     {**params, "n": n})
        want["outlet"] = want["outlet"].astype("category")
        key = ["outlet", "tid"]
        got, want = (x.sort_values(key).reset_index(drop=True) for x in (got, want))
        assert got["outlet"].astype(str).tolist() == want["outlet"].astype(str).tolist()
        pd.testing.assert_frame_equal(got.drop(columns="outlet"), want.drop(columns="outlet"))
        assert flt.query == "kalimazz" or len(got) > 50


def test_the_stored_whole_corpus_similarity_equals_computing_it(excerpt_corpus, tmp_path):
    """outlet_similarity (written with the day rollups) gives the similarity the outlet x term totals give,
    on the built excerpt and after an append; other filters and n are still computed."""
    from core.index import build as B
    from core.index.handle import Corpus

    root = Path(__file__).resolve().parent / "data" / "split"
    db = tmp_path / "x.duckdb"
    B.build_index([root / "part1.jsonl"], db, workers=1).con.close()
    B.append_index([root / "part2.jsonl"], db, workers=1)
    for c in (excerpt_corpus, Corpus.open(db)):
        assert c.has_table("outlet_similarity")
        stored = distinctive.similarity.uncached(c, None)
        old = Corpus(c.con, c.path, c.resources)
        old._memo[("has_table", "outlet_similarity")] = False     # an index built before the table
        computed = distinctive.similarity.uncached(old, None)
        assert len(stored) == c.rows("SELECT COUNT(DISTINCT outlet) FROM articles")[0][0] ** 2
        pd.testing.assert_frame_equal(stored, computed)
