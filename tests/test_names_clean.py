"""Facts about names at ingestion: outlet names, titles and ids lose bidi controls and invisible
characters; one left with nothing visible is reported ("invisible-name") and read as missing, and the
article is still loaded."""
import json

import pytest

from core.ingest import PROBLEM_REASONS, load
from core.ingest._text import clean_name
from core.model import SOURCE_INFERRED, UNKNOWN

BODY = "قال وزير الخارجية الروسي سيرغي لافروف إن المحادثات مع واشنطن كانت مفيدة وبناءة."


@pytest.mark.parametrize("raw, shown", [
    ("evil\u202etxt.exe", "eviltxt.exe"),                     # RLO: would show "evilexe.txt"
    ("\u202bالجزيرة\u202c", "الجزيرة"),                        # RLE … PDF
    ("\u2067سكاي نيوز\u2069", "سكاي نيوز"),                    # RLI … PDI
    ("\u200fقناة\u200e \u061cالعربية", "قناة العربية"),        # RLM, LRM, ALM
    ("ال\u200cجزيرة\u200d", "الجزيرة"),                        # ZWNJ/ZWJ: removed in names
    ("\ufeffBBC\u00ad عربي", "BBC عربي"),                      # BOM, soft hyphen
    ("CNN\tبالعربية\nالموقع", "CNN بالعربية الموقع"),          # control breaks → one space
    ("فرانس\u00a0\u200924", "فرانس 24"),                       # odd spaces → one space
    ("a\x00b\x07c\u2060d\U000e0041", "abcd"),                 # NUL, BEL, word joiner, a tag character
    ("وَكالة", "وَكالة"),                                      # harakat stay
])
def test_clean_name_removes_bidi_and_invisible_characters(raw, shown):
    assert clean_name(raw) == shown


@pytest.mark.parametrize("raw", ["\u200b\u200c\u200d", "\u202e\u202c", "\ufeff", "\u3164\u115f", "\u2800",
                                 "\u00ad\u034f", " \u200b \n", "\u064b\u064e"])
def test_a_name_of_invisible_characters_only_is_empty(raw):
    assert clean_name(raw) == ""


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_outlet_title_and_id_are_cleaned_at_ingestion(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "evil\u202etxt.exe", "outlet": "\u202eشبكة\u200b الأخبار", "title": "عنوان\u2066 الخبر\u2069",
         "text": BODY}])
    result = load(path)
    art, = result.articles
    assert (art.id, art.outlet, art.title) == ("eviltxt.exe", "شبكة الأخبار", "عنوان الخبر")
    assert art.text.startswith("عنوان الخبر\n")
    assert [p.reason for p in result.problems] == []


def test_an_outlet_of_invisible_characters_is_reported_and_falls_back_like_a_missing_one(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [
        {"id": "a1", "outlet": "\u200b\u200c\u2067", "text": BODY},
        {"id": "a2", "outlet": "\u200b", "text": "موسكو 13 أبريل 2017 (شينخوا) اتفقت روسيا والولايات المتحدة على مواصلة الحوار."},
        {"id": "a3", "text": "نص آخر عن الاجتماع في جنيف بين الوزيرين الأسبوع الماضي."}])
    result = load(path)
    by_id = {a.id: a for a in result.articles}
    assert set(by_id) == {"a1", "a2", "a3"}          # every article is kept
    assert by_id["a1"].outlet == UNKNOWN == by_id["a3"].outlet
    assert (by_id["a2"].outlet, by_id["a2"].outlet_source) == ("شينخوا", SOURCE_INFERRED)
    rejected = [p for p in result.problems if p.reason == "invisible-name"]
    assert [(p.file, p.row) for p in rejected] == [(str(path), 1), (str(path), 2)]
    assert all("outlet" in p.detail for p in rejected)
    assert "\u200b" not in rejected[0].detail and "\\u200b" in rejected[0].detail  # the report shows the marks
    assert "invisible-name" in PROBLEM_REASONS


def test_an_id_of_invisible_characters_falls_back_to_the_row_id(tmp_path):
    path = write_jsonl(tmp_path / "feed.jsonl", [{"id": "x1", "text": BODY},
                                                 {"id": "\u200b\u202e", "text": "خبر ثان عن مؤتمر المناخ."}])
    result = load(path)
    assert [a.id for a in result.articles] == ["x1", "feed-2"]     # as a row without an id
    assert [(p.row, p.reason) for p in result.problems] == [(2, "invisible-name")]
    assert "id" in result.problems[0].detail


def test_a_title_of_invisible_characters_falls_back_to_none(tmp_path):
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "t1", "title": "\u200f\u200e", "text": BODY}])
    result = load(path)
    art, = result.articles
    assert art.title == "" and art.text == BODY
    assert [(p.row, p.reason) for p in result.problems] == [(1, "invisible-name")]


def test_a_text_file_named_with_a_bidi_override_gets_a_clean_id(tmp_path):
    (tmp_path / "evil\u202etxt.exe.txt").write_text(BODY, encoding="utf-8")
    result = load(tmp_path)
    assert [a.id for a in result.articles] == ["eviltxt.exe"]


def test_article_bodies_are_not_touched_by_name_cleaning(tmp_path):
    body = "قال الوزير\u200c إن «المحادثات» كانت مفيدة وبناءة، وأضاف أن الجولة المقبلة في جنيف."
    path = write_jsonl(tmp_path / "c.jsonl", [{"id": "b1", "text": body}])
    art, = load(path).articles
    assert art.text_original == body
