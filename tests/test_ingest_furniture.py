"""Furniture removal, dateline/signature/date reading and the outlet table, as units."""
from __future__ import annotations

import datetime as dt

import pytest

from core.ingest import clean, infer, load_outlets, split_headline
from core.ingest.dates import date_line, find_dates, parse_date_value
from core.ingest.furniture import LINE_RULES, line_key
from core.ingest.outlets import OutletTable
from core.model import ResourceError

BODY = "قال وزير الخارجية إن المحادثات كانت صريحة وبناءة.\nوأضاف أن الجانبين اتفقا على مواصلة الحوار."


# --- what is removed ---------------------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "اقرأ أيضا: رغم تدني الثقة.. الحوار مستمر بين واشنطن وموسكو حول الأسد",
    "اقرأ أيضاً: \"إجبار\" طلاب مسلمين على الإفطار في الصين",
    "اقرأ ايضا: خبر آخر",
    "إقرأ أيضا: أردوغان يتحدث",
    "اقرأ.. ولي العهد السعودي من باريس: سنتدخل بسوريا إن دعت الحاجة",
    "اقرأ أيضا| خطيبة جمال خاشقجي تطلب مساعدة",
    "اقرأ المزيد - العراق: انتخابات وانقسامات",
    "للمزيد: رئاسيات مصر.. أي أداء للإعلام؟",
    "للمزيد - معركة عفرين: من يقاتل من؟ ولماذا؟",
    "شاهد أيضا: الأمير وليام والأميرة كيت يغادران المستشفى",
    "شاهد.. الغوطة الشرقية.. مجزرة تُنسى قبل انتهائها",
    "SHARE", "close", "شارك", "Facebook Twitter WhatsApp", "تابعونا على فيسبوك وتويتر",
    "لمتابعة المباراة على الحواسيب اللوحية، اضغط هنا...",
    "** جميع المقالات المنشورة تمثل رأي كتابها فقط.",
    "ويشار إلى أن موقع CNN بالعربية لا يمكنه التأكد بشكل مستقل من الأنباء والمعلومات.",
    "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي على هاتفكم المحمول.",
    "*نقلاً عن الرؤية الإماراتية",
    "---------------------------------------",
])
def test_furniture_line_is_removed(line):
    cleaned, removed = clean(f"{BODY}\n{line}\n{BODY.split(chr(10))[1]} ثم انتهى اللقاء.")
    assert line.strip() in removed
    assert line not in cleaned
    assert cleaned.startswith("قال وزير الخارجية")


@pytest.mark.parametrize("line", [
    "شارك الوزير في الاجتماع الذي عقد في موسكو أمس.",
    "وشارك في المؤتمر ممثلون عن عشرين دولة.",
    "شاهد آلاف الأشخاص فيلما نشرته الشركة الموزعة له على يوتيوب.",
    "وتتيح لك منصة فيسبوك تحديد ما يصل إلى 30 صفحة في خلاصة آخر الأخبار.",
    "المزيد من المخاطر",
    "وقال هاموند، لتلفزيون هيئة الإذاعة البريطانية (بي.بي.سي)، إن هناك تحقيقا.",
    "وأوردت (وام) أن الشيخ محمد بن راشد رحب بالضيف.",
    "أعلنت الجزيرة أن مراسلها أصيب.",
    "إيران",
])
def test_content_is_kept(line):
    text = f"{BODY}\n{line}\nوختم بالقول إن الأيام المقبلة حاسمة."
    cleaned, removed = clean(text)
    assert line in cleaned
    assert removed == []


def test_read_also_header_takes_its_headline_list_only():
    text = (f"{BODY}\nاقرأ أيضاً:\nلماذا تتدهور الليرة التركية؟\nأردوغان يعين صهره وزيرا للمالية\n"
            "وتواجه الليرة التركية ضغوطا كبيرة منذ بداية العام بسبب المخاوف من التضخم والتوتر مع واشنطن.")
    cleaned, removed = clean(text)
    assert removed == ["اقرأ أيضاً:", "لماذا تتدهور الليرة التركية؟", "أردوغان يعين صهره وزيرا للمالية"]
    assert cleaned.endswith("التوتر مع واشنطن.")


def test_most_read_header_cuts_the_rest_but_not_as_first_line():
    cleaned, removed = clean(f"{BODY}\nالأكثر قراءة\nسورية: الأسد يستقبل\nواشنطن تعلن")
    assert cleaned == BODY and removed == ["الأكثر قراءة", "سورية: الأسد يستقبل", "واشنطن تعلن"]
    cleaned, removed = clean(f"آخر الأخبار\n{BODY}")
    assert cleaned == f"آخر الأخبار\n{BODY}" and removed == []


def test_footer_lines_only_at_the_edges():
    paragraphs = "\n".join(["فقرة من الخبر تستمر هنا."] * 12)
    middle = f"{BODY}\n{paragraphs}\nالتاريخ: الأربعاء 15-5-2019\n{paragraphs}"  # neither first 3 nor last 8 lines
    assert "التاريخ: الأربعاء 15-5-2019" in clean(middle)[0]
    assert clean(f"{BODY}\nالتاريخ: الأربعاء 15-5-2019")[1] == ["التاريخ: الأربعاء 15-5-2019"]


@pytest.mark.parametrize("text, prefix, rest", [
    ("دبي، الإمارات العربية المتحدة (CNN)-- قال مسؤول إن الوضع هادئ.", "دبي، الإمارات العربية المتحدة (CNN)--",
     "قال مسؤول إن الوضع هادئ."),
    ("(CNN)— أعلنت الشركة نتائجها.", "(CNN)—", "أعلنت الشركة نتائجها."),
    ("أبوظبي - سكاي نيوز عربية قال مسؤول إماراتي إن المعرض يفتتح غدا.", "أبوظبي - سكاي نيوز عربية",
     "قال مسؤول إماراتي إن المعرض يفتتح غدا."),
    ("الرياض - واس: وصل ولي العهد إلى القاهرة.", "الرياض - واس:", "وصل ولي العهد إلى القاهرة."),
    ("موسكو 13 أبريل 2017 (شينخوا) اتفقت روسيا والولايات المتحدة.", "موسكو 13 أبريل 2017 (شينخوا)",
     "اتفقت روسيا والولايات المتحدة."),
])
def test_dateline_prefix_is_cut_and_the_sentence_kept(text, prefix, rest):
    cleaned, removed = clean(text + "\n" + BODY)
    assert removed == [prefix]
    assert cleaned.split("\n")[0] == rest


def test_signature_suffix_is_cut_from_the_last_paragraph():
    cleaned, removed = clean(f"{BODY}\nوتقول الدراسة إن الخطر يزيد مع كل سيجارة. سكاي نيوز عربية")
    assert cleaned.endswith("مع كل سيجارة.") and removed == ["سكاي نيوز عربية"]


def test_cleaning_normalises_invisible_and_odd_spaces():
    cleaned, _ = clean("\u200fوقررت\u00a0روسيا\u200b  منذ أيام\u202f وقف العمل\r\n\r\n\tبالمذكرة.")
    assert cleaned == "وقررت روسيا منذ أيام وقف العمل\nبالمذكرة."


def test_every_rule_example_is_removed_by_its_own_rule():
    for rule in LINE_RULES:
        assert rule.pattern.match(line_key(rule.example)), rule.example


# --- metadata from the text ------------------------------------------------------------------------

@pytest.mark.parametrize("text, outlet, date", [
    ("موسكو 13 أبريل 2017 (شينخوا) اتفقت روسيا.\n" + BODY, "شينخوا", dt.date(2017, 4, 13)),
    ("دمشق، سوريا (سانا) -- " + BODY, "سانا", None),
    (BODY + "\n\nسيريانيوز\n\nالمواضيع الأكثر قراءة\nSHARE", "سيريانيوز", None),
    (BODY + "\nوكالات – الثورة:\nالتاريخ: الأربعاء ١٥-٥-٢٠١٩\nالرقم: 16978", "الثورة", dt.date(2019, 5, 15)),
    (BODY + "\nوأكد الوزير أهمية الزيارة - واس", "واس", None),
    (BODY + "\nفرانس24/ أ ف ب", "فرانس 24", None),
    ("بيروت، 5 أيار/مايو 2019 (أ ف ب) - " + BODY, "فرانس برس", dt.date(2019, 5, 5)),
])
def test_infer_reads_datelines_footers_and_signatures(text, outlet, date):
    found = infer(text)
    assert (found.outlet[0] if found.outlet else None, found.date) == (outlet, date)


@pytest.mark.parametrize("text", [
    "أعلنت قناة الجزيرة أن مراسلها أصيب في شباط عام 2021.\n" + BODY,
    BODY + "\nوالتقى الوزيران الأربعاء الماضي.",
    BODY + "\nوقالت وكالة الأنباء الإماراتية (وام).",
    "في 15 أيار 2019 التقى الوزيران في سوتشي وتباحثا طويلا في ملفات عديدة.\n" + BODY,
])
def test_infer_never_guesses_from_the_story_body(text):
    found = infer(text)
    assert (found.outlet, found.date) == (None, None)


@pytest.mark.parametrize("text, when", [
    ("13 أبريل 2017", dt.date(2017, 4, 13)), ("13 إبريل 2017", dt.date(2017, 4, 13)),
    ("13 ابريل 2017", dt.date(2017, 4, 13)), ("13 نيسان 2017", dt.date(2017, 4, 13)),
    ("1 كانون الثاني 2018", dt.date(2018, 1, 1)), ("31 كانون الأول 2018", dt.date(2018, 12, 31)),
    ("3 آذار 2018", dt.date(2018, 3, 3)), ("3 اذار 2018", dt.date(2018, 3, 3)),
    ("15 أيار/مايو 2019", dt.date(2019, 5, 15)), ("5 يناير (كانون الثاني) 2013", dt.date(2013, 1, 5)),
    ("15-5-2019", dt.date(2019, 5, 15)), ("15/5/2019", dt.date(2019, 5, 15)), ("2019-05-15", dt.date(2019, 5, 15)),
    ("١٥-٥-٢٠١٩", dt.date(2019, 5, 15)), ("١٥ مايو ٢٠١٩", dt.date(2019, 5, 15)),
    ("5/15/2019", dt.date(2019, 5, 15)), ("2 تشرين الثاني عام 2018", dt.date(2018, 11, 2)),
])
def test_find_dates_reads_full_dates(text, when):
    assert [d for d, _ in find_dates(text)] == [when]


@pytest.mark.parametrize("text", ["عام 2021", "شباط عام 2021", "الأربعاء الماضي", "15 أكتوبر", "32-1-2019",
                                  "قرار مجلس الأمن رقم 2254", "3-1 في المباراة"])
def test_find_dates_ignores_partial_dates(text):
    assert find_dates(text) == []


def test_date_line_and_parse_date_value():
    assert date_line("التاريخ: الأربعاء 15-5-2019") == dt.date(2019, 5, 15)
    assert date_line("عناوين الصحف العالمية 24/11/2024") is None
    assert parse_date_value("2018-03-15T23:59:00Z") == dt.date(2018, 3, 15)
    assert parse_date_value("Thu, 15 Mar 2018 00:23:30 GMT") == dt.date(2018, 3, 15)
    assert parse_date_value(dt.datetime(2018, 3, 15, 23, 0)) == dt.date(2018, 3, 15)
    assert parse_date_value("غدا") is None and parse_date_value(1521072000) is None


def test_headline_rules():
    assert split_headline("عنوان قصير للخبر\n" + BODY) == "عنوان قصير للخبر"
    assert split_headline("قال الوزير إن الاجتماع كان مفيدا.\n" + BODY) == ""       # a sentence
    assert split_headline("عنوان وحيد") == ""                                       # the only line
    assert split_headline("(CNN)-- قال مسؤول\n" + BODY) == ""                        # a dateline


# --- outlet table ----------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, canonical, english", [
    ("Sky News Arabia", "سكاي نيوز عربية", "Sky News Arabia"), ("سكاي نيوز", "سكاي نيوز عربية", "Sky News Arabia"),
    ("BBC Arabic", "بي بي سي عربي", "BBC Arabic"), ("Al Arabiya", "العربية", "Al Arabiya"),
    ("France 24 Arabic", "فرانس 24", "France 24 Arabic"), ("فرانس24", "فرانس 24", "France 24 Arabic"),
    ("CNN Arabic", "سي إن إن بالعربية", "CNN Arabic"), ("Kassioun", "قاسيون", "Kassioun"),
    ("Xinhua", "شينخوا", "Xinhua Arabic"), ("سيريا نيوز", "سيريانيوز", "SyriaNews"),
    ("Al-Thawra", "الثورة", "Al-Thawra"), ("SPA", "واس", "SPA"), ("SANA", "سانا", "SANA"),
    ("الجزيرة", "الجزيرة", "Al Jazeera"), ("RT Arabic", "روسيا اليوم", "RT Arabic"),
    ("سبوتنيك", "سبوتنيك", "Sputnik Arabic"), ("الاناضول", "الأناضول", "Anadolu Agency"),
    ("Reuters", "رويترز", "Reuters"), ("أ ف ب", "فرانس برس", "AFP"), ("AFP", "فرانس برس", "AFP"),
])
def test_outlet_table_resolves_spellings(raw, canonical, english):
    assert load_outlets().resolve(raw) == (canonical, english)


def test_outlet_table_validation(tmp_path):
    bad = tmp_path / "outlets.yaml"
    bad.write_text("outlets:\n  - name: أ\n    aliases: [X]\n  - name: ب\n    aliases: [x]\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        load_outlets(bad)
    assert err.value.file == "outlets.yaml" and "entry 2 (ب)" in str(err.value) and "already belongs" in str(err.value)
    bad.write_text("outlets:\n  - en: Nameless\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="name is missing or empty"):
        load_outlets(bad)
    bad.write_text("outlets: [\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="invalid YAML"):
        load_outlets(bad)


def test_custom_outlet_table_is_used_for_inference(tmp_path):
    table = OutletTable.from_entries([{"name": "صحيفتي", "en": "My Paper", "aliases": ["mypaper"]}])
    found = infer(BODY + "\nصحيفتي", table)
    assert found.outlet == ("صحيفتي", "My Paper")
    assert infer(BODY + "\nسيريانيوز", table).outlet is None


def test_page_code_scraped_into_a_line_is_cut_and_listed():
    from core.ingest.furniture import clean

    code = ".box_vote h4 { padding:10px 5px; color: #7b7a7a; } jQuery(document).ready(function(){ x(); });"
    text, removed = clean(f"عنوان الخبر\nبرأيك ما أفضل معسكر للفريق؟ {code} نعم لا")
    assert "jQuery" not in text and "padding" not in text and "برأيك ما أفضل معسكر للفريق؟" in text
    assert removed == [code]
    # prose with a few semicolons and parentheses is not code
    prose = "قال (في بيان): الوضع مستقر; والعمل جار; وسنعلن لاحقا; شكرا"
    assert clean(f"عنوان\n{prose}")[0].endswith(prose)
