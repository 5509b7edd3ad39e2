"""Page furniture: what a web page adds around an article, removed before anything is counted.

``clean(text)`` returns ``(cleaned_text, removed_lines)``.  The cleaned text keeps the article's
own lines (headline included), one paragraph per line, with layout oddities fixed (NBSP → space,
ZWSP/RLM removed); ``removed_lines`` lists, in order, every line (or dateline prefix / signature
suffix) that was taken out, so nothing disappears silently.

What is removed (the patterns are data, in ``LINE_RULES``, ``LIST_INTROS`` and ``TRAILING_HEADERS``
below, and the word lists ``WIDGET_WORDS``, ``GENERIC_SOURCES`` and ``NOT_PLACE_WORDS`` in
``core/resources/furniture.yaml``; each documented with a real example):

* related-article teasers: "اقرأ أيضا: رغم تدني الثقة.. الحوار مستمر"، "للمزيد: …"، "شاهد.. …";
  a bare "اقرأ أيضاً:" also takes the short headline lines listed under it;
* share / navigation widgets: lines made only of "SHARE", "close", "شارك", "Facebook", "تويتر" …,
  "تابعونا على …", "… اضغط هنا";
* "most read" / "latest news" headers (المواضيع الأكثر قراءة، آخر الأخبار …) **and everything after
  them** (the unrelated headline lists that follow); never when the header is the first line;
* outlet disclaimers and promos: "** جميع المقالات المنشورة تمثل رأي كتابها فقط.", CNN's
  "ويشار إلى أن موقع CNN بالعربية لا يمكنه التأكد …", BBC's "يمكنكم استلام إشعارات …",
  copyright and "*نقلاً عن الرياض السعودية" attribution lines;
* footer lines at the start/end of the article: "التاريخ: الأربعاء 15-5-2019", "الرقم: 16978",
  a line that is only a date, signatures ("سيريانيوز", "وكالات – الثورة:", "فرانس24/ أ ف ب");
* the dateline prefix of the first lines: "دبي، الإمارات العربية المتحدة (CNN)-- " and
  "موسكو 13 أبريل 2017 (شينخوا) " are cut, the sentence after them stays;
* lines without a single letter or digit ("-----", "×××");
* page code scraped into the text (a poll widget's CSS rules and script): a run of 40+ characters
  without an Arabic letter holding three or more of ``{ } ;`` (:func:`cut_code`).

Only whole lines (or an anchored prefix/suffix) are ever removed: a sentence that merely contains
"شارك" or "آخر الأخبار" is content.  Datelines and signatures are recognised through the outlet
table, so ``core/resources/outlets.yaml`` decides which names count.

>>> cleaned, removed = clean("عنوان الخبر\\nقال الوزير إن الاجتماع كان مفيدا.\\nاقرأ أيضا: خبر آخر\\nSHARE")
>>> cleaned
'عنوان الخبر\\nقال الوزير إن الاجتماع كان مفيدا.'
>>> removed
['اقرأ أيضا: خبر آخر', 'SHARE']
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from core.resources import DEFAULT_DIR, FURNITURE_FILE, load_word_lists

from ._text import match_fold, split_lines, tidy_line
from .dates import date_line, find_dates
from .outlets import OutletTable, load_outlets

from core.arabic import MARKS_RE as _MARKS  # harakat, dagger alef, tatweel
HEAD_LINES = 3   # dateline / date lines are looked for in the first 3 non-empty lines …
TAIL_LINES = 8   # … and signatures / footers in the last 8 (before a trailing header)
MAX_FURNITURE_LINE = 300  # longer lines are always content (except after a trailing header)


def line_key(line: str) -> str:
    """The form furniture patterns are matched against: tidy, no harakat/tatweel, أ/إ/آ → ا, ى → ي, ة → ه.

    >>> line_key(" اقرأ أيضاً: ") == "اقرا ايضا:"
    True
    """
    return match_fold(_MARKS.sub("", tidy_line(line)))


def _rx(source: str) -> re.Pattern:
    """Compile a pattern written in ordinary spelling so that it matches ``line_key`` forms."""
    return re.compile(match_fold(_MARKS.sub("", source)), re.IGNORECASE)


@dataclass(frozen=True)
class LineRule:
    """A whole-line furniture pattern.  ``where``: "any" line, or only the "edge" (head/tail) lines."""

    name: str
    pattern: re.Pattern
    example: str
    where: str = "any"


# --- teasers, widgets, disclaimers (data) --------------------------------------------------------
_SEP = r"[:：|.…\-–—»>]"

_WORDS = load_word_lists(DEFAULT_DIR / FURNITURE_FILE, ("widget_words", "generic_sources", "not_place_words"))
#: Share / navigation words: a line made only of these (and separators) is a widget.
WIDGET_WORDS = list(_WORDS["widget_words"])
_WIDGET = "(?:%s)" % "|".join(re.escape(match_fold(w)) for w in sorted(WIDGET_WORDS, key=len, reverse=True))

LINE_RULES: list[LineRule] = [
    # related-article teasers
    LineRule("teaser", _rx(rf"^(?:اقرأ|إقرأ)\s*(?:أيضا|كذلك)?\s*{_SEP}+\s*\S.*$"),
             "اقرأ أيضا: رغم تدني الثقة.. الحوار مستمر بين واشنطن وموسكو حول الأسد"),
    LineRule("teaser", _rx(r"^اقرأ\s+(?:أيضا|كذلك|المزيد)\s+\S.*$"), "اقرأ المزيد - العراق: انتخابات وانقسامات"),
    LineRule("teaser", _rx(rf"^للمزيد\s*(?:{_SEP}+|\s(?:من|حول|عن|اقرأ|اطلع|طالع|شاهد)\s).*$"),
             "للمزيد: رئاسيات مصر.. أي أداء للإعلام؟"),
    LineRule("teaser", _rx(rf"^(?:شاهد|شاهدوا|طالع|اطلع)\s+(?:أيضا|كذلك)\s*{_SEP}*.*$"),
             "شاهد أيضا: الأمير وليام والأميرة كيت يغادران المستشفى"),
    LineRule("teaser", _rx(r"^(?:شاهد|شاهدوا|طالع)\s*(?:[:：|…\-–—]+|\.{2,})\s*\S.*$"),
             "شاهد.. الغوطة الشرقية.. مجزرة تُنسى قبل انتهائها"),
    LineRule("teaser", _rx(rf"^(?:شاهد|شاهدوا)\s+(?:بالفيديو|الفيديو|بالصور|الصور)\s*{_SEP}+.*$"),
             "شاهد بالفيديو: لحظة وصول الوزير"),
    LineRule("teaser", _rx(rf"^(?:read more|read also|see also|related)\s*{_SEP}+\s*\S.*$"), "Read more: …"),
    # share and navigation widgets
    LineRule("widget", _rx(rf"^{_WIDGET}(?:\s*[|/,،·•:\-–—]*\s*{_WIDGET})*\s*[:.]?$"), "SHARE"),
    LineRule("widget", _rx(r"^(?:تابعونا|تابعنا)\s+(?:على|عبر|في)\s+.{1,60}$"), "تابعونا على فيسبوك وتويتر"),
    LineRule("widget", _rx(rf"^(?:شارك|شاركوا)\s+(?:على|عبر)\s+{_WIDGET}.{{0,40}}$"), "شارك على فيسبوك"),
    LineRule("widget", _rx(r"^.{0,80}(?:اضغط|انقر)\s+(?:هنا|على\s+\S+(?:\s+التالي)?)[\s.…:]*$"),
             "لمتابعة المباراة على الحواسيب اللوحية، اضغط هنا..."),
    # outlet disclaimers, promos, copyright, attribution
    LineRule("disclaimer", _rx(r"^\**\s*جميع المقالات المنشورة تمثل رأي كتابها فقط\s*\.?\s*\**$"),
             "** جميع المقالات المنشورة تمثل رأي كتابها فقط."),
    LineRule("disclaimer", _rx(r"^\**\s*(?:المقالات|المقال|الآراء)\s.{0,30}(?:تعبر|تمثل)\s+(?:عن\s+)?"
                               r"(?:رأي|آراء)\s+(?:كتابها|كاتبها|أصحابها|الكاتب).{0,60}$"),
             "* المقالات المنشورة تعبر عن رأي كاتبها"),
    # "<connective> that <the outlet, in 1-5 words> cannot verify …": whichever outlet says it
    LineRule("disclaimer", _rx(r"^(?:و?يشار\s+(?:إلى|على)|علما|يذكر|مع العلم)\s*(?:أن|بأن)\s+(?:\S+\s+){1,5}?"
                               r"لا\s+(?:يمكنه|يمكنها|يستطيع|تستطيع)\s+التأكد.*$"),
             "ويشار إلى أن موقع CNN بالعربية لا يمكنه التأكد بشكل مستقل من الأنباء …"),
    LineRule("disclaimer", _rx(r"^يمكنكم\s+(?:استلام|تسلم|تلقي)\s+إشعارات.*$"),
             "يمكنكم استلام إشعارات بأهم الموضوعات بعد تحميل أحدث نسخة من تطبيق بي بي سي عربي …"),
    LineRule("disclaimer", _rx(r"^\**\s*(?:حقوق النشر|جميع الحقوق|حقوق الطبع)\s+محفوظة.{0,100}$"),
             "**حقوق النشر محفوظة لمجلة القافلة، أرامكو السعودية"),
    LineRule("disclaimer", _rx(r"^(?:©|copyright\b|all rights reserved).{0,100}$"), "© 2019 Al-Thawra"),
    LineRule("disclaimer", _rx(r"^\*+\s*نقلا\s+عن\s+.{1,60}$"), "*نقلاً عن الرؤية الإماراتية"),
    LineRule("disclaimer", _rx(r"^نشر هذا المقال بالتعاون مع.{0,120}$"),
             "نشر هذا المقال بالتعاون مع موقع التوظيف الإلكتروني بيت.كوم"),
    # footers, only at the start/end of the article
    LineRule("footer", _rx(r"^التاريخ\s*[:：].{0,60}$"), "التاريخ: الأربعاء 15-5-2019", "edge"),
    LineRule("footer", _rx(r"^(?:الرقم|العدد|رقم العدد)\s*[:：]\s*\d+\s*$"), "الرقم: 16978", "edge"),
    LineRule("footer", _rx(r"^(?:المصدر|مصدر الخبر)\s*[:：]\s*.{1,40}$"), "المصدر: وكالات", "edge"),
    LineRule("footer", _rx(r"^نقلا\s+عن\s+.{1,60}$"), "نقلا عن الأهرام المصرية", "edge"),
    # decoration: no letter, no digit
    LineRule("separator", re.compile(r"^[^\w]+$"), "---------------------"),
]

_ANY_RULES = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in LINE_RULES if r.where == "any"),
                        re.IGNORECASE)
_EDGE_RULES = re.compile("|".join(f"(?:{r.pattern.pattern})" for r in LINE_RULES if r.where == "edge"),
                         re.IGNORECASE)

#: A bare header that introduces a list of related headlines: removed with the short
#: headline-like lines under it (at most ``MAX_LISTED``).
LIST_INTROS = [_rx(p) for p in (
    r"^(?:اقرأ|إقرأ|شاهد|طالع)\s*(?:أيضا|كذلك|المزيد)?\s*[:：.…|]*$",
    r"^للمزيد\s*[:：.…|]*$",
    r"^(?:مواضيع|أخبار|موضوعات|مقالات|قصص)\s+(?:ذات صلة|متعلقة|مرتبطة|قد تهمك)\s*[:：]?$",
    r"^(?:قد يهمك|قد يعجبك|اخترنا لك|اخترنا لكم|ننصحك بقراءة)\s*(?:أيضا)?\s*[:：]?$",
    r"^(?:read more|read also|see also|related(?: stories| articles)?)\s*:?$",
)]
MAX_LISTED = 6

#: "Most read" / "latest news" headers: the header and everything after it are removed.
TRAILING_HEADERS = [_rx(p) for p in (
    r"^(?:المواضيع|الموضوعات|المقالات|الأخبار)?\s*الأكثر\s+(?:قراءة|مشاهدة|تداولا|شعبية|تعليقا)\s*[:：]?$",
    r"^(?:آخر|أحدث|أهم)\s+(?:الأخبار|الأخبار العاجلة|المقالات|الموضوعات|الفيديوهات|المواضيع)\s*[:：]?$",
    r"^(?:most (?:read|popular|viewed)|latest(?: news)?|top stories|trending)\s*:?$",
)]

#: Words that stand for "several sources" in a signature line ("وكالات – الثورة:").
GENERIC_SOURCES = {match_fold(w) for w in _WORDS["generic_sources"]}

_LIST_INTRO = re.compile("|".join(f"(?:{p.pattern})" for p in LIST_INTROS), re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?؟…:،,؛;]$")
_DATELINE_PAREN = re.compile(
    r"^(?P<pre>[^()\n.!?؟\"«»“”]{0,80}?)\s*\((?P<ag>[^()\n]{1,40})\)\s*(?P<sep>--|[-–—:]+)?\s*(?![،,.])")
#: Words that never stand in the place part of a dateline: a sentence that cites an outlet in
#: brackets ("وقال هاموند، لتلفزيون هيئة الإذاعة البريطانية (بي.بي.سي)، إن …",
#: "وأوردت (وام) أن …") is not a dateline.
NOT_PLACE_WORDS = {match_fold(w) for w in _WORDS["not_place_words"]}
_DATELINE_DASH = re.compile(r"^(?P<pre>[^\-–—()\n:.!?؟\"«»“”]{1,60}?)\s+[-–—]+\s*(?P<rest>\S.*)$")
_SPLIT_SOURCES = re.compile(r"\s*[/|،,:()\[\]\-–—]+\s*")


# --- recognisers shared with metadata inference ---------------------------------------------------

def trailing_cut(lines: list[str]) -> int | None:
    """Index of a "most read"/"latest news" header line (never the first non-empty line), else None.

    >>> trailing_cut(["نص الخبر", "", "آخر الأخبار", "عنوان لا علاقة له"])
    2
    """
    seen_content = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if seen_content and len(line) < 60 and any(p.match(line_key(line)) for p in TRAILING_HEADERS):
            return i
        seen_content = True
    return None


def signature_outlet(line: str, outlets: OutletTable) -> tuple[str, str] | None | bool:
    """Read a signature line: ``(canonical, english)`` of the outlet it names,
    ``True`` for a signature naming no known outlet ("وكالات"), or None when it is not a signature.

    >>> signature_outlet("وكالات – الثورة:", load_outlets())
    ('الثورة', 'Al-Thawra')
    >>> signature_outlet("فرانس24/ أ ف ب", load_outlets())
    ('فرانس 24', 'France 24 Arabic')
    >>> signature_outlet("الثورة السورية مستمرة", load_outlets()) is None
    True
    """
    line = tidy_line(line)
    if not line or len(line) > 50 or len(line.split()) > 6:
        return None
    parts = [p for p in _SPLIT_SOURCES.split(line.strip(" .*")) if p]
    if not parts:
        return None
    found = None
    for part in parts:
        resolved = outlets.resolve(part)
        if resolved:
            found = found or resolved
        elif match_fold(_MARKS.sub("", part)) not in GENERIC_SOURCES:
            return None
    return found or True


def signature_suffix(line: str, outlets: OutletTable) -> tuple[int, tuple[str, str]] | None:
    """A signature glued to the end of the last paragraph: ``(start offset, outlet)`` or None.

    >>> line = "وقال الخبراء إن الخطر يزيد مع كل سيجارة. سكاي نيوز عربية"
    >>> start, outlet = signature_suffix(line, load_outlets())
    >>> line[:start], outlet[0]
    ('وقال الخبراء إن الخطر يزيد مع كل سيجارة.', 'سكاي نيوز عربية')
    >>> signature_suffix("وأكد الوزير أهمية الاجتماع - واس", load_outlets())[1][1]
    'SPA'
    """
    # (a bracketed name at the end, "… أفادت وكالة الأنباء الإماراتية (وام).", is a citation: kept)
    for m in (re.search(r"(?<=[.!؟?»\"”])\s*(?P<sig>[^.!؟?»\"”\n]{2,40})$", line),
              re.search(r"\s[-–—]\s*(?P<sig>[^\-–—\n]{2,40})$", line)):
        if not m:
            continue
        sig = m["sig"].strip(" .")
        resolved = signature_outlet(sig, outlets) if len(sig.split()) <= 4 else None
        body = line[:m.start()].rstrip()
        if isinstance(resolved, tuple) and len(body.split()) >= 3:
            return len(body), resolved
    return None


@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a line: where it ends, the outlet it names, the date it states."""

    end: int
    outlet: tuple[str, str] | None
    date: dt.date | None


def dateline(line: str, outlets: OutletTable) -> Dateline | None:
    """Recognise a dateline prefix: "موسكو 13 أبريل 2017 (شينخوا) …", "(CNN)-- …", "أبوظبي - سكاي نيوز عربية …".

    The bracketed or dashed name must be a known outlet; before it may stand a place
    (one word, or "city، country", or with a date).  ``end`` is the offset where the sentence starts.

    >>> d = dateline("موسكو 13 أبريل 2017 (شينخوا) اتفقت روسيا", load_outlets())
    >>> d.outlet[0], d.date, "موسكو 13 أبريل 2017 (شينخوا) اتفقت روسيا"[d.end:]
    ('شينخوا', datetime.date(2017, 4, 13), 'اتفقت روسيا')
    >>> dateline("قالت وكالة (رويترز) إن الاجتماع انتهى", load_outlets()) is None
    True
    >>> dateline("وقال روهر لوكالة الأنباء الألمانية (د.ب.أ):", load_outlets()) is None
    True
    >>> dateline("وقال هاموند، لتلفزيون هيئة الإذاعة البريطانية (بي.بي.سي)، إن", load_outlets()) is None
    True
    """
    line = tidy_line(line)
    m = _DATELINE_PAREN.match(line)
    if m and len(m["pre"].split()) <= 6:
        outlet = _resolve_any(m["ag"], outlets)
        pre = m["pre"].strip()
        dates = find_dates(pre)
        # a place: nothing ("(CNN)-- …"), one word ("القدس (CNN)"), "city، country", or with a date
        place_like = not pre or len(pre.split()) == 1 or "،" in pre or "," in pre or bool(dates)
        if outlet and place_like and not _has_non_place_word(pre):
            return Dateline(m.end(), outlet, dates[0][0] if dates else None)
    m = _DATELINE_DASH.match(line)
    if m and len(m["pre"].split()) <= 3:
        words = m["rest"].split()
        for k in range(min(4, len(words)), 0, -1):
            candidate = " ".join(words[:k]).rstrip(":،,.-–—")
            outlet = outlets.lookup(candidate)
            if not outlet:
                continue
            after = " ".join(words[k:])
            ends_clean = not after or re.match(r"^[:\-–—،,]", words[k - 1][-1:] + after[:1]) is not None
            strong = len(m["pre"].split()) == 1 and (k >= 2 or outlet.kind == "agency")
            if ends_clean or strong:
                start = m.start("rest") + len(" ".join(m["rest"].split()[:k]))
                sep = re.match(r"\s*[:\-–—،,]*\s*", line[start:])
                dates = find_dates(m["pre"])
                return Dateline(start + sep.end(), (outlet.name, outlet.en), dates[0][0] if dates else None)
            break
    return None


def _has_non_place_word(pre: str) -> bool:
    for word in match_fold(_MARKS.sub("", pre)).replace("،", " ").replace(",", " ").split():
        if word in NOT_PLACE_WORDS or (word[:1] in ("و", "ف") and word[1:] in NOT_PLACE_WORDS):
            return True
    return False


def _resolve_any(name: str, outlets: OutletTable) -> tuple[str, str] | None:
    resolved = outlets.resolve(name)
    if resolved:
        return resolved
    for part in _SPLIT_SOURCES.split(name):
        resolved = outlets.resolve(part) if part else None
        if resolved:
            return resolved
    return None


def headline_like(line: str) -> bool:
    """A short line that does not end like a sentence: a headline in a teaser list.

    >>> headline_like("لماذا تتدهور الليرة التركية؟")
    True
    >>> headline_like("وقال الوزير إن الاجتماع كان مفيدا.")
    False
    """
    line = tidy_line(line)
    if not line or len(line) > 120 or len(line.split()) > 20:
        return False
    return not _SENTENCE_END.search(line) or line.endswith(("..", "…", "؟", "?"))


def edge_indexes(lines: list[str], cut: int | None) -> tuple[list[int], list[int]]:
    """Indexes of the first ``HEAD_LINES`` and last ``TAIL_LINES`` non-empty lines before ``cut``."""
    body = [i for i, line in enumerate(lines) if line.strip() and (cut is None or i < cut)]
    return body[:HEAD_LINES], body[-TAIL_LINES:]


# --- page code ----------------------------------------------------------------------------------

#: A run of text without an Arabic letter; page code (CSS rules, a script) is such a run full of braces
#: and semicolons, which prose never is.
_NON_ARABIC_RUN = re.compile(r"[^\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]{40,}")
CODE_MARKS = 3   # "{", "}" or ";" in a run of 40+ characters without an Arabic letter: code


def cut_code(line: str) -> tuple[str, list[str]]:
    """The line without the page code scraped into it (a poll widget's CSS and script), and the cut runs.

    >>> cut_code("برأيك ما الأفضل؟ .box_vote h4 { padding:10px 5px; color: #7b7a7a; } jQuery.noConflict(); نعم")
    ('برأيك ما الأفضل؟ نعم', ['.box_vote h4 { padding:10px 5px; color: #7b7a7a; } jQuery.noConflict();'])
    """
    if line.count(";") + line.count("{") + line.count("}") < CODE_MARKS:
        return line, []
    cut, out, pos = [], [], 0
    for m in _NON_ARABIC_RUN.finditer(line):
        run = m.group()
        if run.count(";") + run.count("{") + run.count("}") >= CODE_MARKS:
            out.append(line[pos:m.start()])
            cut.append(run.strip())
            pos = m.end()
    if not cut:
        return line, []
    out.append(line[pos:])
    return " ".join(" ".join(out).split()), cut


# --- cleaning -------------------------------------------------------------------------------------

def clean(text: str, outlets: OutletTable | None = None) -> tuple[str, list[str]]:
    """Remove page furniture; return ``(cleaned_text, removed)``.

    Seed 003 ends with "سيريانيوز", "المواضيع الأكثر قراءة", "SHARE", "close": all four go.

    >>> clean("قال الوزير إن الاتفاق قريب.\\n\\nسيريانيوز\\n\\nالمواضيع الأكثر قراءة\\nSHARE\\nclose")
    ('قال الوزير إن الاتفاق قريب.', ['سيريانيوز', 'المواضيع الأكثر قراءة', 'SHARE', 'close'])
    >>> clean("دبي، الإمارات العربية المتحدة (CNN)-- قال مسؤول إن …")[0]
    'قال مسؤول إن …'
    """
    outlets = outlets or load_outlets()
    lines = [tidy_line(raw) for raw in split_lines(text)]
    removed: dict[int, str] = {}
    code: list[str] = []
    for i, line in enumerate(lines):
        lines[i], found = cut_code(line)
        code += found
    cut = trailing_cut(lines)
    if cut is not None:
        removed.update({i: lines[i] for i in range(cut, len(lines)) if lines[i]})
    head, tail = edge_indexes(lines, cut)
    edge = set(head) | set(tail)
    body = [i for i in range(len(lines) if cut is None else cut) if lines[i]]

    listing = 0
    for i in body:
        line = lines[i]
        if listing and headline_like(line):
            removed[i] = line
            listing -= 1
            continue
        listing = 0
        if len(line) > MAX_FURNITURE_LINE:
            continue
        key = line_key(line)
        if _LIST_INTRO.match(key):
            removed[i] = line
            listing = MAX_LISTED
        elif _ANY_RULES.match(key) or (i in edge and _EDGE_RULES.match(key)):
            removed[i] = line
        elif i in edge and (date_line(line) or signature_outlet(line, outlets)):
            removed[i] = line

    kept = [i for i in body if i not in removed]
    edits: dict[int, str] = {}
    for n, i in enumerate(kept[:2]):  # a dateline opens the first line, or the second after a headline
        if n == 1 and not headline_like(lines[kept[0]]):
            break
        found = dateline(lines[i], outlets)
        if found:
            removed[i] = lines[i][:found.end].rstrip()
            edits[i] = lines[i][found.end:].strip()
            break
    if kept:
        last = kept[-1]
        suffix = signature_suffix(edits.get(last, lines[last]), outlets)
        if suffix:
            text_last = edits.get(last, lines[last])
            removed[last] = (removed[last] + " … " if last in removed else "") + text_last[suffix[0]:].strip()
            edits[last] = text_last[:suffix[0]]
    cleaned = [edits.get(i, lines[i]) for i in kept]
    return "\n".join(line for line in cleaned if line), [removed[i] for i in sorted(removed)] + code
