"""Facts about entity precision: adjectives, outlet names, ambiguous short forms, nested mentions."""
import pytest

from core.resources import Entity, Resources, load_resources
from core.textpipe import EntityMatcher, Grouper, count_article

CORPUS = ("زار السعودية وفد. الخطوط السعودية والأندية السعودية. الحكومة السعودية. "
          "الإمارات والسعودية. بالسعودية والسعودية للسعودية. الشرق الأوسط. صحيفة الشرق الأوسط")


@pytest.fixture(scope="module")
def res():
    return load_resources()


@pytest.fixture(scope="module")
def gm(res):
    from collections import Counter
    from core.arabic import normalize, tokenize

    g = Grouper.build(Counter(tokenize(normalize(CORPUS))), res)
    return g, EntityMatcher(res.gazetteer, g)


def mentions(gm, text, outlet=None):
    g, m = gm
    return dict(count_article(text, g, m, outlet=outlet).mentions)


# -- adjectives are not places -----------------------------------------------------------------
@pytest.mark.parametrize("text", ["وصلت الخطوط السعودية", "تأهلت الأندية السعودية", "قررت الحكومة السعودية",
                                  "العلاقات الأمريكية السعودية"])
def test_a_definite_nisba_after_a_definite_noun_is_the_adjective(gm, text):
    assert "السعودية" not in mentions(gm, text)


@pytest.mark.parametrize("text", ["شركة سعودية", "الحكومة المصرية", "قاعدة جوية سورية"])
def test_an_indefinite_or_other_nisba_is_not_the_country(gm, text):
    assert mentions(gm, text) == {}


@pytest.mark.parametrize("text, n", [("زار الوفد السعودية أمس", 1), ("في السعودية", 1),
                                     ("بين الإمارات والسعودية", 1), ("المملكة العربية السعودية", 1),
                                     ("زار السعودية ثم السعودية", 2)])
def test_the_country_itself_still_counts(gm, text, n):
    assert mentions(gm, text).get("السعودية") == n


# -- an outlet's own name is not a mention ----------------------------------------------------
def test_an_outlet_name_in_quotes_or_after_a_media_noun_is_the_outlet(gm):
    assert mentions(gm, "وقال لـ«الشرق الأوسط» إن الوضع خطير") == {}
    assert mentions(gm, "ونقلت صحيفة الشرق الأوسط عن مصادر") == {}
    assert mentions(gm, 'وقال المسؤول لـ"الشرق الأوسط" إن التوتر في الشرق الأوسط يتصاعد') == {"الشرق الأوسط": 1}


def test_the_region_still_counts_in_the_outlets_own_articles(gm):
    assert mentions(gm, "تتصاعد الأزمة في الشرق الأوسط", outlet="الشرق الأوسط") == {"الشرق الأوسط": 1}
    # a clause that is only the outlet's name, in its own article (a signature or a dateline)
    assert mentions(gm, "لندن - الشرق الأوسط", outlet="الشرق الأوسط") == {"لندن": 1}
    assert mentions(gm, "لندن - الشرق الأوسط", outlet="سكاي نيوز عربية").get("الشرق الأوسط") == 1


def test_outlet_names_come_from_outlets_yaml_and_the_corpus(res):
    from core.ingest.outlets import load_outlets

    g = Grouper({}, res)
    assert any(o.name == "الشرق الأوسط" for o in load_outlets().outlets)
    default = EntityMatcher(res.gazetteer, g)                 # outlets.yaml
    none = EntityMatcher(res.gazetteer, g, outlets=())
    assert dict(count_article("نقلت صحيفة الشرق الأوسط", g, default).mentions) == {}
    assert dict(count_article("نقلت صحيفة الشرق الأوسط", g, none).mentions) == {"الشرق الأوسط": 1}
    # a corpus outlet that is also a gazetteer place (a newspaper called الرياض)
    assert dict(count_article("ونشرت صحيفة الرياض الخبر", g, none).mentions) == {"الرياض": 1}
    none.add_outlets(["الرياض"])
    assert dict(count_article("ونشرت صحيفة الرياض الخبر في الرياض", g, none).mentions) == {"الرياض": 1}


# -- an ambiguous short form needs the article's context ---------------------------------------
def test_bin_salman_after_another_first_name_is_not_mohammed_bin_salman(gm):
    got = mentions(gm, "استقبل الأمير محمد بن سلمان وفدا ثم استقبل الأمير فيصل بن سلمان أمير المدينة")
    assert got.get("محمد بن سلمان") == 1
    assert got.get("فيصل بن سلمان") == 1
    assert "محمد بن سلمان" not in mentions(gm, "واستقبل سلطان بن سلمان الوفد")   # not in the gazetteer either


def test_a_bare_short_form_counts_only_after_the_full_name(gm):
    assert "محمد بن سلمان" not in mentions(gm, "وقال بن سلمان إن")
    assert mentions(gm, "التقى ولي العهد الأمير محمد بن سلمان الوفد. وقال بن سلمان إن")["محمد بن سلمان"] == 2


def test_a_shared_surname_is_ambiguous_until_the_article_settles_it():
    ents = [Entity("سعد الحريري", "person", ("الحريري",), "Saad Hariri"),
            Entity("رفيق الحريري", "person", (), "Rafik Hariri")]
    res = Resources(gazetteer=ents)
    g = Grouper({}, res)
    m = EntityMatcher(ents, g, outlets=())
    assert dict(count_article("وقال الحريري إن", g, m).mentions) == {}
    assert dict(count_article("وصل سعد الحريري. وقال الحريري إن", g, m).mentions) == {"سعد الحريري": 2}
    assert dict(count_article("ذكرى رفيق الحريري. وقال الحريري إن", g, m).mentions) == {"رفيق الحريري": 1}


# -- nested and adjacent mentions count once --------------------------------------------------
@pytest.mark.parametrize("text, name", [("استقبل خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز الوفد", "الملك سلمان"),
                                        ("وصل خادم الحرمين الشريفين الملك سلمان", "الملك سلمان"),
                                        ("استقبل الأمير محمد بن سلمان بن عبدالعزيز الوفد", "محمد بن سلمان")])
def test_nested_or_appositive_forms_are_one_mention(gm, text, name):
    assert mentions(gm, text) == {name: 1}


def test_find_in_text_returns_the_longest_span(gm):
    g, m = gm
    text = "استقبل خادم الحرمين الشريفين الملك سلمان الوفد"
    [(name, typ, a, b)] = m.find_in_text(text)
    assert (name, typ, text[a:b]) == ("الملك سلمان", "person", "خادم الحرمين الشريفين الملك سلمان")


def test_the_index_counts_what_count_article_counts(tmp_path):
    import json

    from core.index.handle import Corpus

    rows = [{"outlet": "الشرق الأوسط", "date": "2015-07-21", "title": "t1",
             "text": "قال لـ«الشرق الأوسط» إن الخطوط السعودية ستسير رحلات إلى الرياض. "
                     "واستقبل خادم الحرمين الشريفين الملك سلمان الوفد."},
            {"outlet": "سكاي نيوز عربية", "date": "2015-07-22", "title": "t2",
             "text": "استقبل الأمير فيصل بن سلمان وفدا في المدينة المنورة. وتتصاعد الأزمة في الشرق الأوسط."}]
    src = tmp_path / "a.jsonl"
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    c = Corpus.build([src])
    got = {(e, int(n)) for e, n in c.rows("SELECT entity, SUM(cnt) FROM mentions GROUP BY entity")}
    assert got == {("الرياض", 1), ("الملك سلمان", 1), ("فيصل بن سلمان", 1), ("المدينة المنورة", 1),
                   ("الشرق الأوسط", 1)}
