"""Facts about the counting pipeline on the five seed articles and the ant_multisource excerpt."""
import json
import time
from collections import Counter
from pathlib import Path

import pytest

import core.textpipe as textpipe
from core.arabic import clean_surface, fold, normalize, tokenize
from core.resources import Topic, load_resources
from core.textpipe import (
    EntityMatcher,
    Grouper,
    Labeler,
    article_clauses,
    count_article,
    key_variants,
    ngrams,
    norm_counts,
    topic_keys,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "sample").glob("*.txt"))


@pytest.fixture(scope="module")
def res():
    return load_resources()


@pytest.fixture(scope="module")
def texts():
    return [p.read_text(encoding="utf-8") for p in SEEDS]


@pytest.fixture(scope="module")
def grouper(res, texts):
    return Grouper.build(norm_counts(texts), res)


@pytest.fixture(scope="module")
def matcher(res, grouper):
    return EntityMatcher(res.gazetteer, grouper)


@pytest.fixture(scope="module")
def counted(texts, grouper, matcher):
    lab = Labeler()
    counts = [count_article(t, grouper, matcher, lab) for t in texts]
    return counts, lab


def k(grouper, word):
    return grouper.key(normalize(word))


# --- grouping -------------------------------------------------------------------------------

@pytest.mark.parametrize("written, grouped", [
    ("للافروف", "لافروف"),
    ("والولايات", "الولايات"),
    ("بموسكو", "موسكو"),
    ("وبومبيو", "بومبيو"),
    ("لبومبيو", "بومبيو"),
    ("وواشنطن", "واشنطن"),
    ("وروسيا", "روسيا"),
])
def test_clitics_are_stripped_on_the_seeds(grouper, written, grouped):
    assert k(grouper, written) == k(grouper, grouped) == fold(normalize(grouped))


def test_no_proper_name_in_the_seeds_is_damaged(res, grouper, texts):
    names = res.entity_tokens()
    seen = {t for text in texts for t in tokenize(normalize(text)) if t in names}
    assert {"بوتين", "واشنطن", "لافروف", "تيلرسون", "بومبيو", "لبنان", "بريطانيا", "كوريا"} <= seen
    for t in seen:
        if t in res.stopwords:
            continue
        key = grouper.key(t)
        # unchanged, or only respelled by the alias table (سورية → سوريا)
        assert key == fold(t) or t in grouper.alias_map, (t, key)


def test_false_clitic_splits_are_refused():
    counts = {"وزير": 500, "زير": 3, "لبنان": 200, "بنان": 2, "ولي": 80, "لي": 300,
              "بوتين": 100, "وتين": 1, "واشنطن": 90, "اشنطن": 1, "فرنسا": 50, "رنسا": 1,
              "كوريا": 40, "وريا": 1, "بريطانيا": 30, "ريطانيا": 1, "وحدة": 60, "حدة": 50,
              "فيصل": 20, "يصل": 80, "وقرار": 3, "قرار": 10}
    g = Grouper.build(counts, load_resources())
    for word in ["وزير", "لبنان", "ولي", "بوتين", "واشنطن", "فرنسا", "كوريا", "بريطانيا", "فيصل"]:
        assert g.key(word) == fold(word), word
    assert g.key("وحدة") == "وحده"             # frequency rule + keep-list
    assert g.key("وقرار") == "قرار"             # a real clitic form, rarer than the bare word


def test_lam_lam_becomes_the_article():
    g = Grouper.build({"للرئيس": 5, "الرئيس": 100, "لرئيس": 2}, load_resources())
    assert g.key("للرئيس") == "الرئيس"


def test_stop_word_plus_clitic_is_a_stop_word(grouper):
    for w in ["في", "من", "قال", "بشأن", "وفي", "فإن", "وقال", "عليه", "لكنه", "وبشأن", "ولكنهم"]:
        assert grouper.key(normalize(w)) is None, w


def test_numbers_and_single_letters_have_no_key(grouper):
    assert grouper.key("2254") is None
    assert grouper.key("ب") is None


def test_syria_spellings_share_a_key_but_the_adjective_does_not(grouper):
    assert k(grouper, "سورية") == k(grouper, "سوريا") == k(grouper, "وسورية") == k(grouper, "بسوريا")
    assert k(grouper, "السورية") != k(grouper, "سوريا")
    assert k(grouper, "السوري") != k(grouper, "سوريا")


def test_american_spellings_share_a_key(grouper):
    assert k(grouper, "أمريكي") == k(grouper, "أميركي") == k(grouper, "امريكي")
    assert k(grouper, "الأمريكي") == k(grouper, "الأميركي") == k(grouper, "الامريكي")
    assert k(grouper, "الأمريكية") == k(grouper, "الأميركية") == k(grouper, "والأميركية")
    assert k(grouper, "الأمريكيين") == k(grouper, "الأميركيين")
    assert k(grouper, "الأمريكي") != k(grouper, "الأمريكية")
    assert k(grouper, "الكيميائية") == k(grouper, "الكيماوية") == k(grouper, "الكيمياوية")


def test_grouper_round_trips_through_a_frame(res, grouper):
    df = grouper.to_frame()
    assert list(df.columns) == ["norm", "key", "count"]
    # the corpus frequencies travel with the map (appending decides new words against them)
    assert all(c == grouper.counts.get(n, 0) for n, c in zip(df["norm"], df["count"]))
    assert df["count"].sum() > 0
    assert len(df) > 1000
    g2 = Grouper.from_frame(df, res)
    for w in df["norm"].head(300):
        assert g2.key(w) == grouper.key(w)
    # search queries go through the same rules against the stored vocabulary
    assert g2.query_key("سورية") == g2.query_key("سوريا") == "سوريا"
    assert g2.query_key("للافروف") == "لافروف"
    assert g2.query_key("وللافروف") == "لافروف"      # not in the corpus: rules, not the map
    assert g2.query_key("الولايات المتحدة") == "الولايات المتحده"
    assert g2.key("في") is None


# --- n-grams --------------------------------------------------------------------------------

def test_ngrams_stop_at_a_removed_word_and_at_a_stripped_conjunction(grouper):
    # "روسيا والولايات المتحدة في سوريا موحدة": في is removed, and so is the و of والولايات
    norms = [normalize(w) for w in "روسيا والولايات المتحدة في سوريا موحدة".split()]
    recs = grouper.analyse_clause(norms)
    keys = [a.key for a in recs]
    assert keys == ["روسيا", "الولايات", "المتحده", None, "سوريا", "موحده"]
    conj = textpipe.stripped_conjunctions(recs, norms)
    assert conj == [1]
    assert ngrams(keys, 1, conj) == ["روسيا", "الولايات", "المتحده", "سوريا", "موحده"]
    assert ngrams(keys, 2, conj) == ["الولايات المتحده", "سوريا موحده"]
    assert ngrams(keys, 3, conj) == []
    # and that is what an article counts
    c = count_article("روسيا والولايات المتحدة في سوريا موحدة", grouper, None)
    assert sorted(key for n, key in c.terms if n == 2) == ["الولايات المتحده", "سوريا موحده"]
    assert not [key for n, key in c.terms if n == 3]


def test_clause_tokens_find_the_words_once_as_written_and_normalised():
    assert textpipe.clause_tokens(clean_surface("قال الأمريكيّ Trump: سورية")) == [
        ("قال الأمريكي Trump", ["قال", "الأمريكي", "Trump"], ["قال", "الامريكي", "trump"]),
        (" سورية", ["سورية"], ["سورية"])]


def test_no_ngram_across_a_removed_stop_word_or_a_clause(grouper):
    clauses = article_clauses("اتفقت روسيا على إنشاء مجموعة عمل، وقال لافروف")
    keys = [[grouper.key(n) for _, n in c] for c in clauses]
    bigrams = [b for c in keys for b in ngrams(c, 2)]
    assert "روسيا انشاء" not in bigrams          # على was removed between them
    assert "عمل لافروف" not in bigrams          # the comma ends the clause
    assert "مجموعه عمل" in bigrams


def test_article_clauses_pairs_surface_and_norm():
    assert article_clauses("قال الأمريكيّ: سورية") == [
        [("قال", "قال"), ("الأمريكي", "الامريكي")], [("سورية", "سورية")]]


# --- counting the seeds ---------------------------------------------------------------------

def test_top_keywords_of_the_seeds(counted):
    counts, _ = counted
    total = Counter()
    for c in counts:
        total.update(c.terms)
    top_uni = {key for (n, key), _ in Counter({t: v for t, v in total.items() if t[0] == 1}).most_common(40)}
    top_bi = {key for (n, key), _ in Counter({t: v for t, v in total.items() if t[0] == 2}).most_common(40)}
    assert "الولايات المتحده" in top_bi
    assert "خان شيخون" in top_bi
    assert "مجموعه عمل" in top_bi
    assert {"لافروف", "روسيا", "سوريا"} <= top_uni
    every_word = {w for (n, key) in total for w in key.split()}
    for stop in ["في", "من", "قال", "بشان", "وقال", "الي", "علي", "ان"]:
        assert stop not in every_word, stop


def test_word_count_includes_stop_words(texts, grouper, matcher):
    c = count_article("قال لافروف في موسكو 2019", grouper, matcher)
    assert c.words == 5
    assert c.terms[(1, "لافروف")] == 1 and (1, "في") not in c.terms


def test_labels_keep_hamza_and_follow_frequency(counted, grouper):
    _, lab = counted
    assert lab.label(k(grouper, "لافروف")) == "لافروف"
    assert lab.label(k(grouper, "بومبيو")) == "بومبيو"
    forms = dict(lab.forms(k(grouper, "الأمريكي")))
    assert {"الأمريكي", "الأميركي"} <= set(forms)
    assert lab.label(k(grouper, "الأمريكي")) == max(forms, key=forms.get) == "الأميركي"
    assert lab.label(k(grouper, "سوريا")) == "سوريا"
    assert lab.label("الولايات المتحده") == "الولايات المتحدة"
    assert lab.label(k(grouper, "إدلب")) == "إدلب"


def test_labeler_merges_and_breaks_ties_deterministically():
    lab = Labeler()
    lab.add("x", "ب", 2)
    lab.add("x", "أ", 2)
    other = Labeler()
    other.add("x", "ب", 1)
    lab.update(other)
    assert lab.label("x") == "ب" and lab.forms("x") == [("ب", 3), ("أ", 2)]
    assert lab.label("unseen") == "unseen"


def test_lavrov_mentions_in_seed_000_counted_by_hand(counted):
    counts, _ = counted
    # سيرغي لافروف، | وقال لافروف إن | حسب لافروف | وشدد لافروف | وعبر لافروف | أعلن لافروف
    assert counts[0].mentions["لافروف"] == 6
    # "سوريا دولة موحدة" and "في سورية"; الأزمة السورية / بالصراع السوري are adjectives
    assert counts[0].mentions["سوريا"] == 2
    assert counts[0].mentions["الولايات المتحدة"] == 6


def test_syrian_air_base_is_not_syria_in_seed_002(counted, matcher, texts):
    counts, _ = counted
    assert "قاعدة جوية سورية" in texts[2]
    assert counts[2].mentions["سوريا"] == texts[2].count("سوريا")     # 6 × سوريا, 0 × the adjective
    clause = article_clauses("هجوم صاروخي شنته الولايات المتحدة على قاعدة جوية سورية يوم الخميس")[0]
    assert [m[0] for m in matcher.find(clause)] == ["الولايات المتحدة"]
    clause = article_clauses("تسوية النزاع في سوريا")[0]
    assert [m[0] for m in matcher.find(clause)] == ["سوريا"]
    # the adjective keeps its own key, and is not counted as a spelling of the country
    assert counts[2].terms[(3, "قاعده جويه سوريه")] == 1
    assert counts[2].variants[("سوريا", "سورية")] == 0


def test_mentions_count_with_clitics(matcher):
    def names(text):
        return [m[0] for c in article_clauses(text) for m in matcher.find(c)]
    assert names("ووفقا للافروف") == ["لافروف"]
    assert names("وبومبيو وصل بموسكو") == ["بومبيو", "موسكو"]
    assert names("روسيا والولايات المتحدة") == ["روسيا", "الولايات المتحدة"]
    assert names("الرئيس الروسي فلاديمير بوتين") == ["بوتين"]          # longest match, one mention
    assert names("الأزمة السورية والمواقف الروسية") == []
    assert names("الغوطة الشرقية") == ["الغوطة الشرقية"]


def test_find_in_text_gives_character_offsets(matcher):
    text = "قال وزير الخارجية الروسي سيرغي لافروف: «نتفق مع الولايات المتحدة» بشأن سورية."
    found = matcher.find_in_text(text)
    assert [(n, text[a:b]) for n, _, a, b in found] == [
        ("لافروف", "سيرغي لافروف"), ("الولايات المتحدة", "الولايات المتحدة"), ("سوريا", "سورية")]
    # raw text with harakat: offsets still point into the given string
    raw = "وصَلَ بومبيو إلى سوتشي"
    (n1, _, a, b), (n2, _, c, d) = matcher.find_in_text(raw)
    assert (n1, raw[a:b], n2, raw[c:d]) == ("بومبيو", "بومبيو", "سوتشي", "سوتشي")


def test_spelling_variants_per_article(counted):
    counts, _ = counted
    assert counts[4].variants[("سوريا", "سورية")] >= 5          # Al-Thawra writes سورية
    assert counts[4].variants[("أمريكي", "أميركي")] >= 10        # … and أميركي
    assert counts[0].variants[("أمريكي", "أمريكي")] >= 3        # Kassioun writes أمريكي
    assert counts[3].variants[("أمريكي", "امريكي")] >= 3        # SyriaNews without hamza
    assert all(isinstance(v, str) and v == clean_surface(v) for _, v in counts[4].variants)


# --- topics ---------------------------------------------------------------------------------

def test_topic_keys_lenient_matching(grouper):
    vocab = {(1, "الكيماوي"), (1, "كيماويه"), (1, "الكيماويه"), (1, "الكيماويات"), (2, "السلاح الكيماوي"),
             (2, "الهجوم الكيماوي"), (1, "كيمياء"), (1, "سلاح"), (2, "اسلحه كيماويه")}
    topics = [Topic("cw", "الأسلحة الكيماوية", "Chemical weapons", ["كيماوي", "سلاح كيماوي", "كيميائية"])]
    df = topic_keys(topics, vocab, grouper)
    got = set(zip(df["n"], df["key"]))
    assert got == {(1, "الكيماوي"), (1, "كيماويه"), (1, "الكيماويه"), (1, "الكيماويات"), (2, "السلاح الكيماوي")}
    assert list(df.columns) == ["topic", "keyword", "n", "key"]
    assert set(df.loc[df["key"] == "السلاح الكيماوي", "keyword"]) == {"سلاح كيماوي"}


def test_key_variants_do_not_turn_a_feminine_noun_into_another_word():
    assert "معاهد" not in key_variants("معاهده")          # معاهدة (treaty) ≠ معاهد (institutes)
    assert {"المعاهده", "معاهدات"} <= key_variants("معاهده")
    assert {"انتخابات", "الانتخابات"} <= key_variants("انتخابات")
    assert {"الحوثيون", "حوثيين"} <= key_variants("الحوثيين")     # the plural's case forms
    assert {"الحوثيين", "الحوثية"} <= key_variants("الحوثي")          # a singular grows
    # a plural never shrinks to the singular: المدنيين (civilians) is not المدني (الدفاع المدني)
    assert not {"المدني", "مدني"} & key_variants("المدنيين")


def test_key_variants_never_give_a_shorter_stem_that_is_another_word():
    # السارين (sarin) is not سار ("pleasant") nor سارة (a name); البيانات (data) is not بيان
    # (a statement); تعاون (cooperation) is not تعاين; قطر (Qatar) is not قطرة (a drop)
    assert not {"سار", "ساره", "سارة", "السار"} & key_variants("السارين")
    assert not {"بيان", "البيان"} & key_variants("البيانات")
    assert "تعاين" not in key_variants("التعاون")
    assert not {"قطره", "قطرة", "قطرات"} & key_variants("قطر")
    # ... while clitic and spelling forms still match
    assert {"سارين", "السارين"} <= key_variants("السارين")
    assert {"بيانات", "البيانات"} <= key_variants("البيانات")
    assert {"عقوبة", "العقوبه", "العقوبات"} <= key_variants("عقوبه")   # ة/ه kept or folded, plural ات


def test_topic_keys_do_not_match_a_shorter_word(grouper):
    vocab = {(1, "ساره"), (1, "سار"), (1, "السارين"), (1, "بيان"), (1, "البيانات")}
    topics = [Topic("t", "t", "t", ["السارين", "البيانات"])]
    got = set(topic_keys(topics, vocab, grouper)["key"])
    assert got == {"السارين", "البيانات"}


def test_adding_chlorine_to_the_chemical_topic_changes_the_counts(res, counted, grouper):
    counts, _ = counted
    vocab = {t for c in counts for t in c.terms}
    chem = next(t for t in res.topics if t.id == "chemical-weapons")
    assert not any(normalize(kw) == "الكلور" for kw in chem.keywords)
    before = topic_keys([chem], vocab, grouper)
    edited = Topic(chem.id, chem.name_ar, chem.name_en, chem.keywords + ["الكلور"])
    after = topic_keys([edited], vocab, grouper)
    assert (1, "الكلور") in set(zip(after["n"], after["key"])) - set(zip(before["n"], before["key"]))
    assert counts[2].terms[(1, "الكلور")] == 1


def test_topic_keys_is_fast_on_a_large_vocabulary(res, grouper):
    vocab = {(1 + i % 3, f"كلمه{i}") for i in range(500_000)} | {(1, "السارين")}
    t0 = time.perf_counter()
    df = topic_keys(res.topics, vocab, grouper)
    assert time.perf_counter() - t0 < 2.0
    assert (1, "السارين") in set(zip(df["n"], df["key"]))


def test_topic_keys_without_a_grouper_uses_the_default_resources():
    df = topic_keys([Topic("cw", "كيماوي", "Chemical", ["كيميائي"])], {(1, "الكيماوي")})
    assert list(df["key"]) == ["الكيماوي"]


# --- realistic text -------------------------------------------------------------------------

def test_counts_the_ant_excerpt(res):
    rows = [json.loads(line) for line in (ROOT / "tests" / "data" / "ant_excerpt.jsonl").open(encoding="utf-8")]
    texts = [r.get("text") or "" for r in rows]
    g = Grouper.build(norm_counts(texts), res)
    m = EntityMatcher(res.gazetteer, g)
    total, mentions = Counter(), Counter()
    for t in texts:
        c = count_article(t, g, m)
        total.update({key: v for (n, key), v in c.terms.items() if n == 1})
        mentions.update(c.mentions)
    top = [key for key, _ in total.most_common(30)]
    assert not set(top) & {"في", "من", "قال", "بشان", "علي", "الي", "ان", "التي", "الذي"}
    assert mentions["ترامب"] > 0 and mentions["الولايات المتحدة"] > 0


def test_every_docstring_example_runs():
    # --doctest-modules runs them (core/conftest.py gives them the seeds' g, m and res); none is skipped
    assert "doctest: +SKIP" not in Path(textpipe.__file__).read_text(encoding="utf-8")


def test_labeler_frames_and_single_occurrences():
    lab = Labeler()
    lab.add("الولايات المتحده", "الولايات المتحدة")
    lab.add("امريكي", "أميركي")
    lab.add("امريكي", "أمريكي")
    lab.add("امريكي", "أميركي")
    assert len(lab) == 2 and "امريكي" in lab and "x" not in lab
    assert lab.forms("الولايات المتحده") == [("الولايات المتحدة", 1)]
    labels = dict(lab.labels_frame().itertuples(index=False))
    assert labels == {"الولايات المتحده": "الولايات المتحدة", "امريكي": "أميركي"}
    assert lab.to_frame()["count"].sum() == 4


def test_no_ngram_crosses_a_stripped_conjunction():
    """و in "روسيا والولايات" is a removed function word: no bigram "روسيا الولايات"."""
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper, count_article, norm_counts

    res = load_resources()
    text = "اتفقت روسيا والولايات المتحدة على إنشاء مجموعة عمل"
    g = Grouper.build(norm_counts([text, "الولايات روسيا"]), res)
    c = count_article(text, g, EntityMatcher(res.gazetteer, g))
    bigrams = {k for n, k in c.terms if n == 2}
    assert "الولايات المتحده" in bigrams
    assert "روسيا الولايات" not in bigrams
    assert "مجموعه عمل" in bigrams


# --- normalisation by evidence, names and labels (issue 9) ---------------------------------------

def _corpus(texts, res):
    g = Grouper.build(norm_counts(texts), res)
    lab = Labeler()
    return g, lab, [count_article(t, g, None, lab) for t in texts]


def test_the_name_ali_is_not_the_preposition_ala(res):
    g, _, counts = _corpus(["التقى علي بن حسن على هامش القمة. وقال علي إن الأمر بيد علي"], res)
    assert g.key("علي") == "علي" and g.key("على") is None
    assert counts[0].terms[(1, "علي")] == 3


def test_taa_marbuta_is_kept_where_the_corpus_has_both_spellings_as_words(res):
    # والدة ("mother") and والده ("his father" = والد + ه) are both words of this corpus;
    # المتحدة has a rare misspelling المتحده, which is folded into the same key
    text = ("حضر والده. حضرت والدة الطفل. والده مريض. والدة اللاعب. والده يعمل. والدة سعيدة. والد الطفل. "
            "الولايات المتحدة. الولايات المتحدة. الأمم المتحدة. الأمم المتحدة. الأمم المتحده")
    g, _, counts = _corpus([text], res)
    assert g.key(normalize("والدة")) != g.key(normalize("والده"))
    assert g.key(normalize("المتحدة")) == g.key(normalize("المتحده"))
    assert counts[0].terms[(2, "الامم المتحده")] == 3


def test_alef_maqsura_is_kept_where_the_yaa_spelling_is_another_word(res):
    text = "أصيب في قدمه اليمنى. قال المسؤول اليمني. الحكومة اليمنية. أصيب في يده اليمنى. الجيش اليمني. الوفد اليمني"
    g, _, _ = _corpus([text], res)
    assert g.key(normalize("اليمنى")) != g.key(normalize("اليمني"))
    # without the ي word in the corpus, a rare spelling folds into the usual one
    g2, _, _ = _corpus(["مصطفى قال. مصطفى جاء. مصطفى ذهب. مصطفي"], res)
    assert g2.key("مصطفى") == g2.key("مصطفي")


def test_name_chains_and_honorifics_do_not_fill_the_ngram_lists(res):
    text = ("استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود صاحب السمو الملكي الأمير "
            "محمد بن سلمان بن عبدالعزيز ولي ولي العهد")
    _, lab, counts = _corpus([text], res)
    grams = {key for (n, key) in counts[0].terms if n > 1}
    # no n-gram starts or ends with a connector, nor holds a piece of a formula
    assert not [g for g in grams if g.split()[0] == "بن" or g.split()[-1] == "بن"]
    assert not [g for g in grams if "السمو" in g.split() or "صاحب" in g.split()]
    assert "الشريفين الملك" not in grams and "الحرمين الشريفين الملك" not in grams
    assert "ولي ولي" not in grams
    # whole names and whole titles are counted
    assert {"سلمان بن عبدالعزيز", "محمد بن سلمان", "خادم الحرمين الشريفين", "الملك سلمان",
            "الامير محمد", "ولي ولي العهد"} <= grams
    # the courtesy formula and the connector are not counted as words either
    assert counts[0].terms[(1, "السمو")] == 0 and counts[0].terms[(1, "بن")] == 0
    assert counts[0].terms[(1, "سلمان")] == 2


def test_spaced_and_joined_names_merge_when_the_corpus_writes_them_joined(res):
    texts = ["زار الأمير عبدالعزيز أبوظبي", "زار الأمير عبد العزيز أبو ظبي", "قال عبد الله إن عبدالله غائب",
             "قال عبد الكريم"]     # عبدالكريم is never written joined: no evidence, no merge
    g, lab, counts = _corpus(texts, res)
    assert counts[1].terms[(1, "عبدالعزيز")] == 1 and counts[1].terms[(1, "ابوظبي")] == 1
    assert counts[1].terms[(1, "عبد")] == 0
    assert counts[1].terms[(2, "الامير عبدالعزيز")] == 1
    assert counts[2].terms[(1, "عبدالله")] == 2
    assert counts[3].terms[(1, "عبد")] == 1 and counts[3].terms[(1, "الكريم")] == 1
    assert g.keys("عبد العزيز") == ["عبدالعزيز"]            # a search query is grouped alike
    assert lab.label("ابوظبي") in ("أبوظبي", "أبو ظبي")


def test_a_phrase_label_keeps_the_preposition_of_the_text(res):
    texts = ["زار مدير الوكالة الدولية للطاقة الذرية طهران"] * 3 + ["قالت الطاقة الذرية الإيرانية"] * 2
    g, lab, counts = _corpus(texts, res)
    key = "الوكاله الدوليه الطاقه"
    assert g.key(normalize("للطاقة")) == "الطاقه"          # one key with الطاقة ...
    assert counts[0].terms[(3, key)] == 1
    assert lab.label(key) == "الوكالة الدولية للطاقة"      # ... shown as written in the phrase
    assert lab.label("الطاقه") == "الطاقة"                 # a word alone is shown bare


def test_added_stop_words_are_not_counted(res):
    _, _, counts = _corpus(["هل يمكن ذلك؟ لا بد من الحل ولا شك في ذلك عند ذي الحجة مع عدم الرد"], res)
    words = {key for (n, key) in counts[0].terms if n == 1}
    assert not {"هل", "بد", "شك", "ذي", "عدم"} & words
    assert {"الحل", "الحجه", "الرد"} <= words
