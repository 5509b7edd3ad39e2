"""Learned page furniture (core/ingest/learned.py) on outlets nobody wrote a rule for.

tests/data/furniture/corpus.jsonl re-dresses ANT excerpt bodies as two fictional outlets: "الأفق"
with a byline, an agency end mark and time, tag lists, "Next Previous", a columnist's SMS footer
and a link-back line, none of them known to the hand-written rules; "النجمة" without furniture.
"""
import json
from pathlib import Path

import pytest

from core.analysis import furniture as furniture_view
from core.analysis import keywords
from core.filter import Filter
from core.highlight import highlight_html
from core.index.build import append_index, build_index
from core.ingest._text import tidy_line
from core.ingest.learned import (MIN_ARTICLES, BadDecisions, FurnitureStats, _Lossy, article_keys,
                                 parse_decisions, span_key)

DATA = Path(__file__).parent / "data" / "furniture"
CORPUS = DATA / "corpus.jsonl"
ROWS = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
FURNITURE_WORDS = ["الوسوم", "التالي السابق", "SMS", "تابعوا", " ت م", "الأفق:", "alofoq"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    c = build_index([CORPUS], tmp_path_factory.mktemp("fur") / "fur.duckdb", workers=1)
    yield c
    c.con.close()


def _texts(c, outlet):
    return [r[0] for r in c.rows("SELECT text FROM articles WHERE outlet = $o", {"o": outlet})]


def test_every_kind_of_unknown_furniture_is_removed_before_counting(corpus):
    texts = _texts(corpus, "الأفق")
    assert len(texts) == 41
    for word in FURNITURE_WORDS:
        assert not [t for t in texts if word in t], word
    # the content stays: every paragraph of the source bodies is still there (the byline and the end mark cut off)
    src = {r["id"]: r for r in ROWS}
    for aid_id, text in corpus.rows("SELECT id, text FROM articles WHERE outlet = 'الأفق'"):
        body = src[aid_id]["text"].split("\n")
        middle = body[1:-1]
        kept = [m for m in middle if not any(w in m for w in FURNITURE_WORDS)]
        assert all(tidy_line(m) in text for m in kept)   # (the hand rules' layout tidying: NBSP → space)


def test_the_removed_furniture_is_kept_for_the_reader(corpus):
    aid_id, original, removed = corpus.rows(
        "SELECT id, text_original, removed FROM articles WHERE id = 'f000'")[0]
    cut = removed.split("\n")
    assert "التالي السابق" in cut and any(c.startswith("الوسوم:") for c in cut)
    assert any(c.endswith("- الأفق:") for c in cut)                     # the byline, with its city
    assert any(c.startswith("(وكالة الأفق)") for c in cut)              # the end mark, with its time
    html = highlight_html(original, [], corpus.grouper, removed=cut)
    assert html.count('class="marsad-removed"') == len(cut)
    assert "<del" in html.split("<br>")[0]           # the byline struck inside the first line, the text after it not
    assert html.split("<br>")[0].split("</del>")[1].strip().startswith("قالت")


def test_furniture_words_are_not_counted(corpus):
    top = keywords.keyword_table(corpus, Filter(outlets=("الأفق",)), n=1, limit=200)
    labels = set(top["term"] if "term" in top else top.iloc[:, 0])
    for word in ("الوسوم", "التالي", "السابق", "تابعوا", "وكاله"):
        assert word not in labels


def test_the_patterns_are_listed_per_outlet_with_counts_and_examples(corpus):
    df = furniture_view.furniture_patterns(corpus)
    ours = df[df["outlet"] == "الأفق"]
    assert set(ours["kind"]) == {"line", "lead", "tail", "label"}
    assert (ours["articles"] >= MIN_ARTICLES).all() and (ours["example"].str.len() > 0).all()
    nxt = ours[ours["pattern"] == span_key("التالي السابق")].iloc[0]
    assert nxt["articles"] == 40 and nxt["outlet_articles"] == 41 and nxt["source"] == "learned"
    assert (df["outlet"] != "النجمة").all()          # a line three of its articles share is content
    assert sum("مستقبل هذا الملف" in t for t in _texts(corpus, "النجمة")) == 3
    summary = furniture_view.removal_summary(corpus).set_index("outlet")
    assert summary.loc["الأفق", "with_removed"] == 40      # f900, a copy of النجمة's article, has none
    assert summary.loc["الأفق", "patterns"] == len(ours) and summary.loc["النجمة", "patterns"] == 0


def test_same_text_in_two_outlets_is_reuse_and_in_one_outlet_a_duplicate(corpus):
    ids = {r[0] for r in corpus.rows("SELECT id FROM articles")}
    assert {"f045", "f900"} <= ids                   # النجمة's article and الأفق's copy: both kept
    assert "f901" not in ids                         # the same text again in النجمة: a duplicate
    reasons = corpus.rows("SELECT reason, detail FROM report WHERE detail LIKE '%f046%'")
    assert [r[0] for r in reasons] == ["duplicate-text"]
    pairs = corpus.rows("SELECT COUNT(*) FROM reuse_pairs p JOIN articles a ON a.aid = p.a JOIN articles b "
                        "ON b.aid = p.b WHERE (a.id = 'f045' AND b.id = 'f900') OR (a.id = 'f900' AND b.id = 'f045')")
    assert pairs[0][0] == 1


def test_rejected_and_added_patterns_are_applied_on_the_next_build(tmp_path):
    dec = tmp_path / "decisions.csv"
    dec.write_text("outlet,kind,pattern,decision\n"
                   "الأفق,line,التالي السابق,reject\n"
                   "*,line,ومن المفترض أن تُمكّن خدمة واتساب,add\n", encoding="utf-8")
    c = build_index([CORPUS], tmp_path / "d.duckdb", workers=1, furniture=dec)
    try:
        texts = _texts(c, "الأفق")
        assert sum("التالي السابق" in t for t in texts) == 40
        df = furniture_view.furniture_patterns(c)
        assert df[df["pattern"] == span_key("التالي السابق")]["status"].tolist() == ["rejected"]
        assert "added" in set(df["source"])
        assert c.meta()["furniture"] == str(dec)
    finally:
        c.con.close()


def test_an_append_cuts_the_furniture_the_build_learned(tmp_path):
    first = tmp_path / "first.jsonl"
    second = tmp_path / "second.jsonl"
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    first.write_text("\n".join(lines[:30]) + "\n", encoding="utf-8")
    second.write_text("\n".join(lines[30:40]) + "\n", encoding="utf-8")
    db = tmp_path / "a.duckdb"
    build_index([first], db, workers=1).con.close()
    append_index([second], db, workers=1)
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        texts = [r[0] for r in con.execute("SELECT text FROM articles WHERE outlet = 'الأفق'").fetchall()]
    finally:
        con.close()
    assert len(texts) == 40
    assert not [t for t in texts if "التالي السابق" in t or "الوسوم" in t]


def test_decisions_file_is_validated_row_by_row():
    with pytest.raises(BadDecisions, match="row 1"):
        parse_decisions("a,b\n")
    with pytest.raises(BadDecisions, match="row 2: kind"):
        parse_decisions("outlet,kind,pattern,decision\nالأفق,paragraph,x,reject\n")
    with pytest.raises(BadDecisions, match="row 3: decision"):
        parse_decisions("outlet,kind,pattern,decision\nالأفق,line,x,add\nالأفق,line,y,keep\n")
    with pytest.raises(BadDecisions, match="no letter"):
        parse_decisions("outlet,kind,pattern,decision\nالأفق,line,12:30,add\n")
    dec = parse_decisions("outlet,kind,pattern,decision\nالأفق,lead,* | واس,add\n")
    assert dec.added == [("الأفق", "lead", "* | واس")]
    assert parse_decisions(dec.to_csv().decode()).added == dec.added


def test_keys_generalise_digits_addresses_and_open_one_segment():
    keys = article_keys("عنوان\nجدة - واس: افتتح الأمير المعرض.\nنص.\nلمراسلة الكاتب: a.b@example.net")
    assert "lead\t* | واس" in keys and "lead\tجده | *" in keys and "lead\tجده | واس" in keys
    assert "line\tلمراسله الكاتب @" in keys and "label\tلمراسله الكاتب" in keys
    assert not any(k.startswith("line\tعنوان") for k in keys)      # the headline is never furniture
    # a number with a decimal point is not a sentence end; a bare number or address says nothing
    assert "tail\t0 نقطه" not in article_keys("عنوان\nارتفع المؤشر 2.5 في المئة إلى 8000 نقطة.")
    assert "tail\turl" not in article_keys("عنوان\nالتفاصيل في الموقع. www.example.sa")
    # a separator glued inside a date is no span boundary ("15/7/1436هـ" is not a closing span "0ه")
    assert not [k for k in article_keys("عنوان\nصدر القرار بتاريخ 15/7/1436هـ") if k.startswith("tail")]
    # a sentence going on past a separator ends with its full stop: no closing span
    assert not [k for k in article_keys("عنوان\nاختفى بعد زيارته القنصلية في 2 أكتوبر/ تشرين الأول الجاري.")
                if k.startswith("tail")]
    # a teaser line: a short label, "..", a headline
    assert "label\tايضا" in article_keys("عنوان\nنص.\nأيضاً.. ماتيس حول الهجوم: بعض الأمور لا يمكن غفرانها")
    assert not [k for k in article_keys("عنوان\nنص.\nوقال.. " + "كلمة " * 20) if k.startswith("label")]
    # a line that is only an address is a candidate (a columnist's e-mail line)
    assert "line\t@" in article_keys("عنوان\nنص المقال.\nsomeone@example.com")
    # a segment left open never leaves only digits behind ("* | 0 عاما" would cut names off)
    assert not [k for k in article_keys("عنوان\nمحمد (45 عاما) - قال إنه") if "0" in k and "*" in k]


def test_lossy_counting_keeps_memory_bounded_and_frequent_keys_exact_enough():
    lossy = _Lossy(epsilon=0.001)
    n = 30_000
    for i in range(n):
        keys = {f"unique {i}": ""}
        if i % 100 == 0:
            keys["frequent"] = ""
        lossy.add(keys, keys)
    assert len(lossy.counts) <= 2 * lossy.width        # not one entry per article
    count, under = lossy.counts["frequent"]
    assert n // 100 - 0.001 * n <= count <= n // 100


def test_a_labelled_footer_of_one_section_is_learned_at_a_lower_share():
    stats = FurnitureStats()
    for i in range(2000):       # 3 ‰ of the outlet's articles end with a columnist's contact line
        text = f"عنوان {i}\nنص المقال رقم {i}"
        if i % 600 == 0 or i in (1, 2):
            text += f"\nلمراسلة الكاتب: writer{i}@example.com"
            text += "\nوتبقى الأسئلة مفتوحة."            # the same share, but not a labelled list line
        stats.add("أ", article_keys(text))
    fur = stats.decide()
    kinds = {(p.kind, p.key) for p in fur.patterns}
    assert ("label", "لمراسله الكاتب") in kinds
    assert ("line", span_key("وتبقى الأسئلة مفتوحة.")) not in kinds


def test_keys_are_per_outlet():
    stats = FurnitureStats()
    for i in range(6):
        stats.add("أ", article_keys(f"عنوان {i}\nنص {i} طويل بما يكفي\nاقرأ على موقعنا"))
        stats.add("ب", article_keys(f"عنوان {i}\nنص آخر {i}\nلا تكرار هنا {i}"))
    fur = stats.decide()
    assert fur.apply("عنوان\nنص\nاقرأ على موقعنا", "ب") == ("عنوان\nنص\nاقرأ على موقعنا", [])
    assert fur.apply("عنوان\nنص\nاقرأ على موقعنا", "أ") == ("عنوان\nنص", ["اقرأ على موقعنا"])
