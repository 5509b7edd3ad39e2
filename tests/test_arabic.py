"""Facts about core.arabic: the one normaliser, clauses and tokens."""

import pytest

import core.arabic as arabic
from core.arabic import (
    clause_spans,
    clean_surface,
    fold,
    is_arabic,
    is_latin,
    is_number,
    normalize,
    normalize_letters,
    split_clauses,
    token_spans,
    tokenize,
)


@pytest.mark.parametrize("raw, clean", [
    ("سُورِيَّةُ", "سورية"),                    # harakat, shadda
    ("حلاً فورياً", "حلا فوريا"),               # tanwin
    ("الرحمٰن", "الرحمن"),                      # dagger alef
    ("الـمتحدة", "المتحدة"),                    # tatweel
    ("أمريكا\u200f\u200b", "أمريكا"),           # RLM, zero-width space
    ("\u2067سوريا\u2069", "سوريا"),             # bidi isolates
    ("\ufeffروسيا\u061c", "روسيا"),             # BOM, Arabic letter mark
    ("٢٠١٩ ۱۵", "2019 15"),                     # Arabic-Indic and Persian digits
    ("موسكو\u00a0واشنطن", "موسكو واشنطن"),      # NBSP
    ("\ufef7\ufe8e", "لأا"),                    # presentation forms → NFKC
    ("إدلب أُوكرانيا آسيا مصطفى المدرسة", "إدلب أوكرانيا آسيا مصطفى المدرسة"),  # keeps hamza, ى, ة
])
def test_clean_surface_table(raw, clean):
    assert clean_surface(raw) == clean


@pytest.mark.parametrize("raw, norm", [
    ("أمريكي", "امريكي"),
    ("إدلب", "ادلب"),
    ("آسيا", "اسيا"),
    ("ٱلله", "الله"),
    ("إلى", "الى"),                # ى is kept: علي (the name) is not على (the preposition)
    ("مصطفى", "مصطفى"),
    ("المتحدة", "المتحدة"),        # ة is kept by normalize: it is folded only on keys
    ("مسؤول رئيس", "مسؤول رئيس"),   # ؤ ئ are not merged
    ("الأمريكيّة", "الامريكية"),
    ("SHARE Close", "share close"),
])
def test_normalize_table(raw, norm):
    assert normalize(raw) == norm


def test_nfkc_only_with_presentation_forms():
    # a full-width digit is left alone when there is no presentation form in the text
    assert clean_surface("１") == "１"
    assert clean_surface("ﻻ ١") == "لا 1"


def test_normalize_is_per_character_so_tokens_commute():
    text = "وقال لافروف: إنّ الولايات المتحدة وسورية… «ستارت 3»"
    assert [normalize(t) for t in tokenize(clean_surface(text))] == tokenize(normalize(text))
    clean = clean_surface(text)
    assert len(normalize_letters(clean)) == len(clean)


def test_fold_only_taa_marbuta():
    assert fold("المتحدة") == "المتحده"
    assert fold("سورية") == "سوريه"
    assert fold("الولايات") == "الولايات"


def test_split_clauses_at_punctuation_quotes_brackets_dashes_newlines():
    text = ('اتفقت روسيا والولايات المتحدة، على إنشاء مجموعة عمل. وقال: "نحن واقعيون"؛ (ستارت) '
            'موسكو - واشنطن – دمشق… ثم... هنا\nسطر «آخر» هل؟ نعم! لا; نعم, لا')
    assert split_clauses(text) == [
        "اتفقت روسيا والولايات المتحدة", "على إنشاء مجموعة عمل", "وقال", "نحن واقعيون",
        "ستارت", "موسكو", "واشنطن", "دمشق", "ثم", "هنا", "سطر", "آخر", "هل", "نعم", "لا",
        "نعم", "لا"]


def test_split_clauses_keeps_numbers_and_hyphenated_dates_whole():
    assert split_clauses("التاريخ: 15-5-2019 ونسبة 3.5 و1,000") == ["التاريخ", "15-5-2019 ونسبة 3.5 و1,000"]


def test_clause_spans_are_offsets_into_the_text():
    text = "قال لافروف، إن «سوريا» موحدة"
    assert [text[a:b] for a, b in clause_spans(text)] == split_clauses(text)


def test_tokenize_words_numbers_latin():
    assert tokenize("قرار مجلس الأمن رقم 2254 (CNN) ستارت3") == ["قرار", "مجلس", "الأمن", "رقم", "2254", "CNN",
                                                              "ستارت", "3"]


def test_tokenize_keeps_hamza_forms_inside_words():
    assert tokenize("مسؤولين أؤكد رئيس إيران آسيا") == ["مسؤولين", "أؤكد", "رئيس", "إيران", "آسيا"]


def test_tatweel_joined_proclitic_is_a_one_letter_token():
    # بـ"النظر" and لـ الأسد: the detached proclitic becomes "ب"/"ل" (a stop word, so it is
    # dropped by grouping and breaks n-grams); the next word is a token of its own
    assert tokenize(clean_surface('وتكليفهم بـ"النظر بصورة مفصلة"')) == ["وتكليفهم", "ب", "النظر", "بصورة", "مفصلة"]
    assert tokenize(clean_surface("توجيه الاتهام لـ الأسد")) == ["توجيه", "الاتهام", "ل", "الأسد"]


def test_tokenize_raw_text_keeps_marks_inside_the_word():
    assert [clean_surface(t) for t in tokenize("حلاً فورياً")] == ["حلا", "فوريا"]


def test_token_spans_offsets():
    text = "قال: للافروف"
    assert [(t, text[a:b]) for t, a, b in token_spans(text)] == [("قال", "قال"), ("للافروف", "للافروف")]


def test_token_classes():
    assert is_arabic("والولايات") and not is_arabic("CNN") and not is_arabic("2254")
    assert is_number("2254") and is_number("3.5") and not is_number("ستارت")
    assert is_latin("SHARE") and not is_latin("سوريا")


def test_normalize_keeps_alef_maqsura_so_ali_is_not_ala():
    # every outlet of both corpora writes final ى (إلى as الي in <1% of uses): the written
    # form tells the name علي from the preposition على; keys fold ى → ي (fold)
    assert normalize("على") != normalize("علي")
    assert normalize("عَلِيّ") == "علي" and normalize("عَلَى") == "على"
    assert fold(normalize("مصطفى")) == fold(normalize("مصطفي"))


def test_the_normaliser_applies_exactly_its_tables_to_every_character():
    # clean_surface and normalize_letters are regex passes: on every code point (presentation
    # forms aside, which go through NFKC first) they do what the tables in core.arabic say
    clean_map = arabic.CLEAN_MAP
    letters = {**arabic.LETTER_VARIANTS, **{chr(c): chr(c + 32) for c in range(65, 91)}}
    for c in map(chr, range(0x10000)):
        if "\ud800" <= c <= "\udfff" or arabic.PRESENTATION_FORMS.match(c):
            continue
        assert clean_surface(c) == clean_map.get(c, c), hex(ord(c))
        assert normalize_letters(c) == letters.get(c, c), hex(ord(c))
        assert normalize(c) == letters.get(clean_map.get(c, c), clean_map.get(c, c)), hex(ord(c))
    assert clean_surface("سُورِيَّة\u200f\u00a0٢٠") == "سورية 20"
    assert normalize("أإآٱ BBC") == "اااا bbc"
