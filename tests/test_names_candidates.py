"""Facts about name candidates: names the gazetteer lacks, found from name_patterns.yaml patterns at ingestion."""
import json

import pytest

from core.analysis import entities
from core.model import ResourceError
from core.names import CandidateFinder, add_to_gazetteer
from core.resources import DEFAULT_DIR, load_name_patterns, load_resources
from core.textpipe import EntityMatcher, Grouper, count_article_grams

# Invented names (not in the gazetteer), each in a pattern of name_patterns.yaml.
ARTICLES = [
    "استقبل الأمير نواف بن مشعل الوفد في محافظة القريحة. وقال وزير الإسكان سامر الخطيب إن المشروع جاهز.",
    "وأعلنت جامعة الملك نواف عن منح. وأكد الأمير نواف بن مشعل أن محافظة القريحة تستحق. "
    "وقال وزير الإسكان سامر الخطيب إن الخطة تتقدم.",
    "زار الأمير نواف بن مشعل جامعة الملك نواف. وصرح الدكتور هاني الزيد بأن العمل مستمر.",
]


@pytest.fixture(scope="module")
def res():
    return load_resources()


def found(res, text):
    g = Grouper({}, res)
    m = EntityMatcher(res.gazetteer, g, outlets=())
    f = CandidateFinder(res.name_patterns, g)
    count_article_grams(text, g, m, names=f)
    return {(r[2], r[3]) for r in f.take(0)}


@pytest.mark.parametrize("text, expected", [
    ("استقبل الأمير نواف بن مشعل الوفد", ("person", "نواف بن مشعل")),
    ("وقال وزير الإسكان سامر الخطيب إن", ("person", "سامر الخطيب")),
    ("وصرح الدكتور عبد الله الزيد بأن", ("person", "عبد الله الزيد")),
    ("وصل الوفد إلى محافظة القريحة", ("place", "القريحة")),
    ("أعلنت جامعة الملك نواف", ("organisation", "جامعة الملك نواف")),
    ("وحضر نواف بن مشعل الحفل", ("person", "نواف بن مشعل")),
    ("وقال سامر الخطيب إن الخطة تتقدم", ("person", "سامر الخطيب")),       # قال is a stop word
])
def test_each_pattern_finds_its_name(res, text, expected):
    assert expected in found(res, text)


@pytest.mark.parametrize("text", ["وقال مصدر مسؤول إن", "أنشئت منطقة صناعية", "رئيس الاتحاد السعودي لكرة القدم",
                                  "استقبل الأمير محمد بن سلمان الوفد", "وقال وزير الخارجية عادل الجبير إن"])
def test_non_names_and_gazetteer_names_are_not_candidates(res, text):
    assert not {n for t, n in found(res, text) if t == "person"}


def test_the_pattern_words_are_a_validated_data_file(tmp_path):
    pats = load_name_patterns(DEFAULT_DIR / "name_patterns.yaml")
    assert "الامير" in pats.titles and "محافظة" in pats.place_heads and "صحيفة" in pats.media_nouns
    bad = tmp_path / "name_patterns.yaml"
    bad.write_text("titles: [الأمير]\nprinces: [x]\n", encoding="utf-8")
    with pytest.raises(ResourceError) as e:
        load_name_patterns(bad)
    assert e.value.file == "name_patterns.yaml" and "princes" in str(e.value)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    d = tmp_path_factory.mktemp("cand")
    src = d / "a.jsonl"
    src.write_text("\n".join(json.dumps({"outlet": "الثورة", "date": f"2015-07-2{i}", "title": f"t{i}", "text": t},
                                        ensure_ascii=False) for i, t in enumerate(ARTICLES)), encoding="utf-8")
    return src


def test_the_index_ranks_candidates_by_articles_with_an_example(corpus_file):
    from core.index.handle import Corpus

    c = Corpus.build([corpus_file])
    df = entities.candidates(c)
    rows = {r.name: r for r in df.itertuples()}
    assert rows["نواف بن مشعل"].type == "person"
    assert (rows["نواف بن مشعل"].mentions, rows["نواف بن مشعل"].articles) == (3, 3)
    assert (rows["سامر الخطيب"].mentions, rows["سامر الخطيب"].articles) == (2, 2)
    assert rows["القريحة"].type == "place" and rows["جامعة الملك نواف"].type == "organisation"
    assert "نواف بن مشعل" in rows["نواف بن مشعل"].example
    assert list(df["name"])[0] == "نواف بن مشعل"
    assert "هاني الزيد" not in rows                       # one article: not a recurring name
    # the table finalize wrote and the filtered view agree
    stored = dict(c.rows("SELECT label, articles FROM candidates"))
    assert stored["نواف بن مشعل"] == 3
    from core.filter import Filter
    import datetime as dt
    one = entities.candidates(c, Filter(date_from=dt.date(2015, 7, 21), date_to=dt.date(2015, 7, 22)))
    assert dict(zip(one["name"], one["articles"]))["نواف بن مشعل"] == 2


def test_adding_a_candidate_to_the_analysts_gazetteer_counts_it(corpus_file, tmp_path):
    from core.index.handle import Corpus

    user = tmp_path / "gazetteer.yaml"
    add_to_gazetteer(user, "نواف بن مشعل", "person", ["الأمير نواف بن مشعل"])
    res = load_resources(user_gazetteer=user)
    assert res.fingerprint() != load_resources().fingerprint()
    c = Corpus.build([corpus_file], resources=res)
    assert dict(c.rows("SELECT entity, SUM(cnt) FROM mentions GROUP BY entity"))["نواف بن مشعل"] == 3
    assert "نواف بن مشعل" not in set(entities.candidates(c)["name"])
    # a form another entity has is refused, naming the file
    with pytest.raises(ResourceError) as e:
        add_to_gazetteer(user, "بن مشعل", "person", ["نواف بن مشعل"])
    assert e.value.file == "gazetteer.yaml"
    with pytest.raises(ResourceError):
        add_to_gazetteer(user, "الرياض", "place")         # the shipped gazetteer has it


def test_pattern_words_never_enter_the_token_map(res):
    """The index's token map is the corpus's vocabulary (and the gazetteer's words): the name patterns,
    the media nouns and the outlet names looked up by the matcher and the finder add nothing to it."""
    from collections import Counter

    g = Grouper.build(Counter(["سامر", "الخطيب"]), res)
    m = EntityMatcher(res.gazetteer, g)
    before = set(g.to_frame()["norm"])
    m.add_outlets(["صحيفة المستقبل", "المستقبل"])
    CandidateFinder(res.name_patterns, g)
    m.context("قال «المستقبل» لقناة الغد", "المستقبل")
    assert set(g.to_frame()["norm"]) == before
