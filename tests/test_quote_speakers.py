"""Facts about who makes a statement: the subject of the reporting verb, titles and institutions
kept as written, continued speech, reported/colon/direct forms, and the measured coverage and
precision on the hand-checked ANT statements (tests/data/quotes_gold)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from core.extract.quotes import extract_quotes, load_speech_lexicon
from core.model import ResourceError

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("eval_quotes", ROOT / "scripts" / "eval_quotes.py")
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)

# Persons the (tiny, crafted) gazetteer knows; everyone else is found without it.
KNOWN = {"لافروف": "لافروف", "ترامب": "ترامب", "بوتين": "بوتين", "الاسد": "الأسد"}


def known_people(text, words, starts, ends):
    return [(KNOWN[w], "person", i, i + 1) for i, w in enumerate(words) if w in KNOWN]


def _vocab():
    """A corpus vocabulary from shipped ANT text (it tells adjectives such as روسي from names)."""
    import json

    from core.textpipe import norm_counts

    texts = [json.loads(line)["text"] for line in (ROOT / "tests/data/quotes_gold/articles.jsonl").open(encoding="utf-8")]
    texts += [json.loads(line).get("text") or "" for line in (ROOT / "tests/data/ant_excerpt.jsonl").open(encoding="utf-8")]
    return norm_counts(texts)


VOCAB = _vocab()


def said(text: str) -> list[tuple]:
    return [(q.text, q.speaker, q.how) for q in extract_quotes(text, entities_in_words=known_people, vocab=VOCAB)]


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in extract_quotes(text, entities_in_words=known_people, vocab=VOCAB)]


# -- the speaker is the subject of the verb ----------------------------------------------------

def test_the_subject_not_the_nearest_known_person():
    # قال <A> مستشار <B>: A speaks, though only B is in the gazetteer
    assert said('وقال جون بولتون مستشار ترامب: "لن نسمح بذلك أبدا".') == [
        ("لن نسمح بذلك أبدا", "جون بولتون", "direct")]
    # the advisor of a known person is not that person
    assert speakers('وقال مستشار ترامب إن القرار سيصدر قريبا جدا.') == ["مستشار ترامب"]
    assert speakers('وقال محامي ترامب إنه لم يسافر إلى براغ أبدا.') == ["محامي ترامب"]
    # a known person inside the reported content is not the speaker
    assert speakers('وقال مسؤول روسي إن بوتين سيزور دمشق الشهر المقبل.') == ["مسؤول روسي"]


def test_a_known_name_inside_a_longer_name_is_not_that_person():
    def people(text, words, starts, ends):   # a gazetteer whose محمد بن سلمان has the variant "بن سلمان"
        return [("محمد بن سلمان", "person", i, i + 2) for i in range(len(words) - 1)
                if words[i:i + 2] == ["بن", "سلمان"]]
    got = extract_quotes("قال الأمير خليفة بن سلمان آل خليفة رئيس الوزراء إن الوحدة هي السبيل الوحيد.",
                         entities_in_words=people, vocab=VOCAB)
    assert [q.speaker for q in got] == ["خليفة بن سلمان آل خليفة"]
    got = extract_quotes("قال ولي العهد الأمير محمد بن سلمان إن الإصلاحات مستمرة بلا توقف.",
                         entities_in_words=people, vocab=VOCAB)
    assert [q.speaker for q in got] == ["محمد بن سلمان"]


def test_a_name_with_a_title_gives_the_name_and_keeps_the_title():
    q = extract_quotes("وقال وزير الخارجية السعودي عادل الجبير إن المملكة لن تقبل بذلك.", vocab=VOCAB)
    assert [(x.speaker, x.speaker_title, x.how) for x in q] == [("عادل الجبير", "وزير الخارجية السعودي", "reported")]
    q = extract_quotes("قالت المتحدثة باسم البيت الأبيض، سارة ساندرز، إنه لا توجد تغييرات في المجلس.", vocab=VOCAB)
    assert [(x.speaker, x.speaker_title) for x in q] == [("سارة ساندرز", "المتحدثة باسم البيت الأبيض")]


def test_a_title_or_an_institution_alone_is_kept_as_written():
    assert speakers("وقال المتحدث باسم الوزارة إن الاجتماع سيعقد الأسبوع المقبل.") == ["المتحدث باسم الوزارة"]
    assert speakers("وأكدت وزارة الداخلية أن الحادث لم يسفر عن إصابات.") == ["وزارة الداخلية"]
    assert speakers("وقال مصدر مسؤول إن المفاوضات ستستأنف قريبا.") == ["مصدر مسؤول"]
    assert speakers("وقالت مصادر في الشرطة إن عائلته فقدت الاتصال معه.") == ["مصادر في الشرطة"]
    assert speakers("وقال شهود عيان إنهم رأوا رجلين يهربان من المكان.") == ["شهود عيان"]


def test_vso_after_a_setting_and_svo_before_the_verb():
    # the subject after "لـ<outlet>": a title follows the addressee
    assert speakers('وقال لـ"سكاي نيوز عربية" الخبير العسكري أحمد حسن إن الهجوم كان متوقعا.') == ["أحمد حسن"]
    # a setting after the subject is not part of it
    assert speakers("وقال الوزير في مؤتمر صحفي إن بلاده ترفض القرار.") == ["الوزير"]
    # SVO: the phrase before a verb without و
    assert speakers("لكن واشنطن بوست قالت إن الرئيس عازم على إقالته.") == ["واشنطن بوست"]
    assert speakers("وكان رئيس الوزراء الإيطالي جوزيبي كونتي قد قال إن بلاده ستستقبل المهاجرين.") == [
        "جوزيبي كونتي"]


# -- forms of speech -----------------------------------------------------------------------------

def test_reported_speech_with_inna_and_anna():
    assert said("وقال لافروف إن المحادثات كانت مثمرة.") == [("المحادثات كانت مثمرة", "لافروف", "reported")]
    assert said("وأوضح المرصد أن القصف استهدف مواقع عسكرية.") == [
        ("القصف استهدف مواقع عسكرية", "المرصد", "reported")]
    # أشار … إلى أن, and the content ends where a participle starts a new statement
    assert said("وأشار بوتين إلى أن العلاقات صعبة للغاية، مؤكدا أن الحوار مستمر بين البلدين.") == [
        ("العلاقات صعبة للغاية", "بوتين", "reported"), ("الحوار مستمر بين البلدين", "بوتين", "reported")]


def test_colon_speech_and_direct_speech_marks():
    assert said("وقال بوتين لبومبيو: كما تعرفون تحدثت مع الرئيس الأميركي.") == [
        ("كما تعرفون تحدثت مع الرئيس الأميركي", "بوتين", "colon")]
    for open_, close in (("«", "»"), ("“", "”"), ('"', '"')):
        assert said(f"وقال الرئيس الأسد: {open_}نحن لن نتراجع عن مواقفنا{close}.") == [
            ("نحن لن نتراجع عن مواقفنا", "الأسد", "direct")]


def test_continued_speech_carries_the_last_speaker():
    text = ("وقال وزير الخارجية عادل الجبير إن المملكة تدعم الحل السياسي.\n"
            "وأضاف: \"لن نقبل بأي تدخل في شؤوننا\".\nوتابع أن الحوار هو الطريق الوحيد للحل.\n"
            "ولفت إلى أن الأزمة طالت أكثر مما ينبغي.")
    got = extract_quotes(text, vocab=VOCAB)
    assert [(q.speaker, q.how) for q in got] == [("عادل الجبير", "reported"), ("عادل الجبير", "carried"),
                                                 ("عادل الجبير", "carried"), ("عادل الجبير", "carried")]
    # وقال followed directly by إن has no subject of its own either
    assert speakers("وقال الجبير إن الحرب ستنتهي قريبا جدا.\nوقال إن المملكة لن تتراجع عن موقفها.") == ["الجبير", "الجبير"]
    # a feminine verb does not continue a masculine speaker
    assert speakers("وقال الوزير إن الاجتماع انتهى بنجاح.\nوأضافت أن الطرفين اتفقا على موعد جديد.") == [
        "الوزير", None]


def test_impersonal_statements_have_no_speaker():
    assert said("وقال لافروف إن المحادثات كانت مثمرة.\nيذكر أن الوزيرين التقيا مرتين هذا العام.") == [
        ("المحادثات كانت مثمرة", "لافروف", "reported"), ("الوزيرين التقيا مرتين هذا العام", None, None)]


def test_one_person_one_speaker_in_an_article():
    text = ("وقال وزير الخارجية السعودي عادل الجبير إن المملكة تدعم الحل السياسي.\n"
            "وأكد الجبير أن الحوار هو الطريق الوحيد.")
    got = extract_quotes(text, vocab=VOCAB)
    assert [q.speaker for q in got] == ["عادل الجبير", "عادل الجبير"]
    assert got[1].speaker_title == "وزير الخارجية السعودي"


def test_the_lexicon_file_is_validated(tmp_path):
    lex = load_speech_lexicon()
    assert "قال" in lex.verbs and "وزير" in lex.titles and "وزارة" in lex.institutions
    assert {"ان", "بانه"} <= lex.complementizers and "ابو" in lex.linkers   # normalised on load
    bad = tmp_path / "speech.yaml"
    bad.write_text("verbs: [قال]\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="missing"):
        load_speech_lexicon(bad)
    text = (ROOT / "core" / "resources" / "speech.yaml").read_text(encoding="utf-8")
    bad.write_text(text + "\nextra: [x]\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="unknown key"):
        load_speech_lexicon(bad)
    bad.write_text(text.replace("verbs: [قال,", "verbs: [قال لي,"), encoding="utf-8")
    with pytest.raises(ResourceError, match="one word"):
        load_speech_lexicon(bad)


# -- measured on the hand-checked ANT statements ------------------------------------------------

@pytest.fixture(scope="module")
def gold():
    articles, statements = ev.load_gold()
    return articles, statements, ev.score(statements, ev.predict(articles))


def test_gold_set_is_valid_and_spans_all_outlets(gold):
    articles, statements, _ = gold
    assert len(statements) >= 100
    assert {s["outlet"] for s in statements} == {"Al Arabiya", "BBC Arabic", "CNN Arabic", "France 24 Arabic",
                                                 "Sky News Arabia"}
    for s in statements:
        assert articles[s["doc_id"]]["text"][s["start"]:s["end"]] == s["text"]


def test_gold_coverage_and_precision_reach_the_targets(gold):
    _, _, res = gold
    assert res["coverage"] >= ev.COVERAGE_TARGET, res["coverage"]
    assert res["precision"] >= ev.PRECISION_TARGET, res["precision"]
    assert res["speaker_on_none"] == 0   # impersonal statements get no speaker


def test_speaker_matching_rule():
    assert ev.speaker_matches("الجبير", "عادل الجبير")
    assert ev.speaker_matches("وزير الخارجية عادل الجبير", "عادل الجبير")
    assert ev.speaker_matches("مسؤول كبير", "مسؤول كبير في فيلق الحدود")
    assert not ev.speaker_matches("مسؤول", "مسؤول كبير في فيلق الحدود")
    assert not ev.speaker_matches("ترامب", "محامي ترمب")
    assert not ev.speaker_matches(None, "ترامب")


# -- a doubtful speaker is no speaker (precision first) -----------------------------------------

def _with(vocab: dict[str, int], text: str, people=None) -> list[str | None]:
    """Speakers of ``text`` under a crafted corpus vocabulary (the word counts are the evidence)."""
    from core import arabic

    counts = {arabic.normalize(w): n for w, n in vocab.items()}
    return [q.speaker for q in extract_quotes(text, entities_in_words=people, vocab=counts)]


def test_a_verb_is_not_a_speaker():
    # the corpus writes يؤيد with another person prefix (تؤيد) and never as الـيؤيد: a verb
    assert _with({"يؤيد": 3, "تؤيد": 2}, "ويرى يؤيد الفنان أن المشروع مهم للقرية كلها.") == [None]
    # يوسف has no such siblings: a name
    assert _with({"يوسف": 5}, "وقال يوسف إن المشروع مهم للقرية كلها.") == ["يوسف"]


def test_an_accusative_adverb_is_not_a_speaker():
    # مستحيلا: the corpus writes المستحيل; سيلا: no السيل-less evidence of an adjective (سيل is short)
    assert _with({"مستحيلا": 2, "المستحيل": 3}, "ويرى مستحيلا أن يعود الرئيس إلى مقعده.") == [None]
    assert _with({"سيلا": 2, "سيل": 3, "السيل": 2}, "وقال سيلا إن الراحة النفسية مهمة للاعب.") == ["سيلا"]
    # ... and an adverb before a name is dropped: نائب الرئيس السابق المنشق حاليا عبدالحليم خدام
    got = _with({"حاليا": 5, "الحالي": 5}, "ويرى نائب الرئيس السابق المنشق حاليا عبدالحليم خدام أن المقترح كان لمصلحة الشعب.")
    assert got == ["عبدالحليم خدام"]


def test_common_nouns_are_not_a_name_but_a_title_phrase_may_be_the_speaker():
    vocab = {"فكرة": 5, "الفكرة": 4, "عشوائية": 2, "العشوائية": 2, "تدخل": 3, "التدخل": 5,
             "شفرات": 2, "الشفرات": 2}
    assert _with(vocab, "وحتى تعتبر فكرة عشوائية تدخل ضمن المفهوم أن الأندية لن تخسر شيئا.") == [None]
    # خبير شفرات: no name in it, but a title heads it
    assert _with(vocab, "وقال خبير شفرات إنه ليس من الغريب أن يستغرق الحل سنوات.") == ["خبير شفرات"]


def test_a_word_with_a_preposition_does_not_start_a_speaker():
    # the corpus writes مهرجان more often than لمهرجان: a ل-phrase (an addressee), not a subject
    assert _with({"لمهرجان": 1, "مهرجان": 5}, "وقال لمهرجان المحافظة إن هناك فعاليات كثيرة هذا العام.") == [None]
    assert _with({}, "وقال بالمدينة إن هناك فعاليات كثيرة هذا العام.") == [None]


def test_a_nisba_adjective_after_an_indefinite_title_is_not_a_name():
    assert speakers("وأوضح مسؤول أمني صومالي أن قوات الأمن بدأت بالتحقيق في الحادث.") == ["مسؤول أمني صومالي"]
    assert speakers("وأكد محللون سياسيون أن المقترح كان واضحا منذ البداية.") == ["محللون سياسيون"]


def test_an_indefinite_head_keeps_its_definite_complement():
    assert speakers("كما أشارت نتائج الدراسة إلى أن نسبة كبيرة من أفراد العينة ترى ذلك.") == ["نتائج الدراسة"]


def test_a_conjoined_title_is_not_a_name():
    got = speakers("وقال شهود ومصادر بمشرحة في الموصل إن معظم عمليات الإعدام وقعت مؤخرا.")
    assert len(got) == 1 and got[0].startswith("شهود ومصادر")


def test_an_honorific_before_a_known_person_names_that_person():
    def people(text, words, starts, ends):   # the gazetteer knows خليفة بن سلمان (and آل خليفة after it)
        return [("خليفة بن سلمان", "person", i, i + 5) for i in range(len(words) - 2)
                if words[i:i + 3] == ["خليفة", "بن", "سلمان"]]
    got = _with({}, "قال سمو الأمير خليفة بن سلمان آل خليفة رئيس وزراء البحرين: إن الوحدة الوطنية هي السبيل.",
                people)
    assert got == ["خليفة بن سلمان"]


def test_after_a_doubtful_speaker_no_earlier_speaker_is_carried():
    text = ('وقال الوزير عادل الجبير إن المحادثات كانت مثمرة جدا.\n'
            'ويرى يؤيد الفنان أن المشروع مهم للقرية كلها.\n'
            'وأضاف: "نحن واقعيون، وندرك أن التجاوز صعب".')
    assert _with({"يؤيد": 3, "تؤيد": 2}, text) == ["عادل الجبير", None, None]


def test_a_negated_verb_reports_nothing():
    assert speakers("لم يذكر المصدر أن الحادث أسفر عن إصابات بين المدنيين.") == []


def test_a_saying_whose_sayer_is_not_named_has_no_speaker():
    text = ('وقال الكاتب أحمد علي إن المشروع لا يقدم جديدا.\n'
            'ولعل أهم التساؤلات التي طرحها قوله: "إذا كان النظام يحتكم إلى الإسلام فأين وجه المخالفة؟".')
    assert speakers(text) == ["أحمد علي", None]


def test_a_definite_noun_keeps_its_definite_adjective():
    # الوفد الوزاري is a body and its adjective, not the surname الوفد with a title
    assert speakers("وقد أعلن الوفد الوزاري الذي اتجه إلى اليمن أن عدن أصبحت مدينة آمنة.") == ["الوفد الوزاري"]


def test_where_it_was_said_is_no_part_of_the_speaker():
    assert speakers("وأوضحت الشركة في إعلان لها اليوم أن نسبة التوزيع تمثل ربع رأس المال.") == ["الشركة"]


def test_an_object_after_the_name_is_no_part_of_it():
    # استضافة is a common noun of the corpus (it writes الاستضافة): the verb's object, not a surname
    got = _with({"استضافة": 3, "الاستضافة": 2}, 'وأكد بلاتر استضافة روسيا للبطولة قائلا إن اللجنة لديها "ثقة كاملة".')
    assert set(got) == {"بلاتر"}


def test_a_conjoined_common_noun_or_a_possessed_noun_is_not_a_speaker():
    vocab = {"مراجعة": 4, "المراجعة": 3, "ومراجعة": 2, "هويته": 2, "الهوية": 6}
    assert _with(vocab, "مع تذكر ومراجعة ميزانية السفر أن الرحلة قامت على الديون.") == [None]
    assert _with(vocab, "والذي تمكنت الوزارة من كشف هويته في أقل من يومين إلا أن الخبراء تمكنوا من ذلك.") == [None]
    # a title with a pronoun is still the speaker as written (the person named before)
    assert _with(vocab, "وأوضح سموه بأن تخليد أسمائهم أقل ما يقدم للشهداء.") == ["سموه"]


def test_a_quantity_or_a_possessed_object_after_the_verb_is_no_speaker():
    # أضاف 1.23 نقطة / أضاف برشلونة هدفه الثاني: "added", not "said"
    assert speakers("وكان المؤشر قد أضاف 1.23 نقطة، بعد أن قال المحللون إن السوق ستتراجع.") == [None]
    got = _with({"هدفه": 3, "الهدف": 9}, "وأضاف برشلونة هدفه الثاني بعد 14 دقيقة عندما شق ساندرو طريقه من الناحية اليسرى قبل أن يسدد بقوة في الشباك.")
    assert got == [None]


def test_the_sentence_subject_after_a_leading_particle():
    # كما أبدى X إعجابه …، مؤكدا أن: X is the subject of أبدى, not أبدى itself
    assert speakers("كما أبدى الكابتن صالح العريض، إعجابه بما شاهده من تنظيم، مؤكدا أنه تبقى لديه عرضان.") == [
        "صالح العريض"]
