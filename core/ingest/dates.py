"""Reading dates: table/sidecar cells and full day-month-year dates written in Arabic text.

Only *complete* dates count (day, month and a four-digit year).  "الأربعاء الماضي",
"عام 2021" or "شباط عام 2021" are not dates: nothing is guessed.

Numeric dates are read day-first, the Arab convention (15/5/2019, 5/6/2019 = 5 June);
month-first is used only when the first number cannot be a month's day order otherwise
(5/15/2019).  Year-first (2019-05-15, 2019/5/15) is unambiguous.

>>> find_dates("موسكو 13 أبريل 2017 (شينخوا)")[0][0]
datetime.date(2017, 4, 13)
>>> find_dates("التاريخ: الأربعاء ١٥-٥-٢٠١٩")[0][0]
datetime.date(2019, 5, 15)
>>> find_dates("في 5 يناير (كانون الثاني) 2013")[0][0]
datetime.date(2013, 1, 5)
>>> find_dates("الأربعاء الماضي") == find_dates("في شباط عام 2021") == []
True
>>> parse_date_value("2018-03-15T00:23:30Z")
datetime.date(2018, 3, 15)
>>> parse_date_value("Thu, 15 Mar 2018 00:23:30 GMT")
datetime.date(2018, 3, 15)
"""
from __future__ import annotations

import datetime as dt
import email.utils
import math
import re

from core.resources import DATES_FILE, DEFAULT_DIR, load_word_lists

from ._text import match_fold, to_ascii_digits

# --- month and weekday names (data: core/resources/dates.yaml) -----------------------------------
MONTH_SECTIONS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
                  "october", "november", "december")


def _name_key(name: str) -> str:
    """How a month or weekday name is matched: hamza forms, ى/ي, ة/ه and case folded, spaces as one."""
    return re.sub(r"\s+", " ", match_fold(name)).casefold()


_NAMES = load_word_lists(DEFAULT_DIR / DATES_FILE, MONTH_SECTIONS + ("weekdays",), exclusive=_name_key)
#: Month number → its names (Egyptian/Gulf, Levantine, Maghrebi, English and short forms).
MONTHS: dict[int, list[str]] = {m: list(_NAMES[s]) for m, s in enumerate(MONTH_SECTIONS, 1)}
#: Weekday names, used to recognise a line that is only a date ("الأربعاء 15-5-2019").
WEEKDAYS = list(_NAMES["weekdays"])

_MONTH_BY_KEY = {_name_key(n): m for m, names in MONTHS.items() for n in names}
_MONTH_ALT = "|".join(
    re.escape(k).replace(r"\ ", r"\s+") for k in sorted(_MONTH_BY_KEY, key=len, reverse=True))
_MON = rf"(?<![\w])(?:{_MONTH_ALT})(?![\w])"
_W = r"(?<![\w])"

#: 13 أبريل 2017 · 15 أيار/مايو 2019 · 5 يناير (كانون الثاني) 2013 · 15 من شهر مايو عام 2019 · 15 March 2018
_DAY_MONTH_YEAR = re.compile(
    rf"{_W}(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s*(?:من\s+)?(?:شهر\s+)?(?P<m1>{_MON})"
    rf"(?:\s*[/(\-–]\s*(?P<m2>{_MON})\s*\)?)?\s*[,،]?\s*(?:(?:من\s+)?(?:عام|سنه|العام)\s+)?"
    rf"(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)
#: March 15, 2018 (English month-first prose)
_MONTH_DAY_YEAR = re.compile(rf"(?P<m1>{_MON})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d)", re.IGNORECASE)
#: 15-5-2019 · 15/5/2019 · 15.05.2019
_NUM_DMY = re.compile(r"(?<![\d/.\-])(?P<a>\d{1,2})(?P<s>[-/.])(?P<b>\d{1,2})(?P=s)(?P<y>\d{4})(?![\d/\-]|\.\d)")
#: 2019-05-15 · 2019/5/15
_NUM_YMD = re.compile(r"(?<![\d/.\-])(?P<y>\d{4})(?P<s>[-/.])(?P<a>\d{1,2})(?P=s)(?P<b>\d{1,2})(?![\d/\-]|\.\d)")

_ISO_HEAD = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_YEARS = range(1900, 2101)


def _make(y: int, m: int, d: int) -> dt.date | None:
    if y not in _YEARS:
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month(name: str | None) -> int | None:
    if not name:
        return None
    return _MONTH_BY_KEY.get(re.sub(r"\s+", " ", name).casefold())


def _day_first(a: int, b: int, y: int) -> dt.date | None:
    """Day-first unless that is impossible and month-first is possible (5/15/2019)."""
    return _make(y, b, a) or (_make(y, a, b) if a <= 12 < b else None)


def find_dates(text: str) -> list[tuple[dt.date, tuple[int, int]]]:
    """Every complete date written in ``text``, with its (start, end) offsets, in text order.

    Months may be Egyptian/Gulf (يناير … ديسمبر), Levantine (كانون الثاني … كانون الأول),
    Maghrebi (جانفي …) or English; digits may be Arabic-Indic.

    >>> [d.isoformat() for d, _ in find_dates("نشر في 15 أيار/مايو 2019 ثم 2019/05/16")]
    ['2019-05-15', '2019-05-16']
    """
    folded = match_fold(text)  # same length as text: offsets stay valid
    found: list[tuple[dt.date, tuple[int, int]]] = []
    taken: list[tuple[int, int]] = []

    def add(date: dt.date | None, span: tuple[int, int]) -> None:
        if date and not any(s < span[1] and span[0] < e for s, e in taken):
            found.append((date, span))
            taken.append(span)

    for m in _DAY_MONTH_YEAR.finditer(folded):
        m1, m2 = _month(m["m1"]), _month(m["m2"])
        if m2 is not None and m2 != m1:
            continue  # "5 يناير (شباط) 2013" contradicts itself: not a date
        add(_make(int(m["y"]), m1, int(m["d"])), m.span())
    for m in _MONTH_DAY_YEAR.finditer(folded):
        add(_make(int(m["y"]), _month(m["m1"]), int(m["d"])), m.span())
    for m in _NUM_YMD.finditer(folded):
        add(_make(int(m["y"]), int(m["a"]), int(m["b"])), m.span())
    for m in _NUM_DMY.finditer(folded):
        add(_day_first(int(m["a"]), int(m["b"]), int(m["y"])), m.span())
    found.sort(key=lambda item: item[1][0])
    return found


_DATE_LINE_LABEL = re.compile(
    r"^\s*(?:التاريخ|تاريخ النشر|تاريخ|نشر في|نشر بتاريخ|نشر|بتاريخ|Date|Published)\s*[:：]?\s*", re.IGNORECASE)
_WEEKDAY_RE = re.compile(r"(?:%s)" % "|".join(re.escape(match_fold(w)) for w in WEEKDAYS))


def date_line(line: str) -> dt.date | None:
    """The date of a line that is *only* a date (a dateline/footer line), else None.

    Allowed around the date: a label (التاريخ: / نشر في / تاريخ النشر:), a weekday, a time, commas.

    >>> date_line("التاريخ: الأربعاء 15-5-2019")
    datetime.date(2019, 5, 15)
    >>> date_line("عناوين الصحف العالمية 24/11/2024") is None
    True
    """
    if len(line) > 80:
        return None
    dates = find_dates(line)
    if len(dates) != 1:
        return None
    date, (start, end) = dates[0]
    rest = match_fold(line[:start] + " " + line[end:])
    rest = _DATE_LINE_LABEL.sub("", rest.strip())
    rest = _WEEKDAY_RE.sub("", rest)
    rest = re.sub(r"\d{1,2}:\d{2}(?::\d{2})?\s*(?:ص|م|AM|PM|am|pm|GMT|UTC)?|الساعه|[\s,،:\-–—|()]+", "", rest)
    return date if not rest else None


def parse_date_value(value: object) -> dt.date | None:
    """A date from a table/sidecar cell, or None when it cannot be read.

    Accepts date/datetime/Timestamp objects, ISO strings (the date part as written,
    no time-zone shift: "2018-03-15T00:23:30Z" → 2018-03-15), RFC 2822 feed dates,
    numeric day-first dates and written dates in Arabic or English.  Empty cells return
    None too: call :func:`is_empty_value` first to tell "not stated" from "unreadable".

    >>> parse_date_value("١٥/٥/٢٠١٩")
    datetime.date(2019, 5, 15)
    >>> parse_date_value("13 نيسان 2017")
    datetime.date(2017, 4, 13)
    >>> parse_date_value("yesterday") is None
    True
    """
    if value is None or is_empty_value(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    to_pydt = getattr(value, "to_pydatetime", None)  # pandas.Timestamp
    if to_pydt is not None:
        try:
            return to_pydt().date()
        except (ValueError, TypeError):
            return None
    if isinstance(value, (int, float)):
        return None  # bare numbers (epoch seconds? Excel serials?) are not guessed
    text = to_ascii_digits(str(value)).strip()
    m = _ISO_HEAD.match(text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    if re.search(r"[A-Za-z]{3},\s*\d{1,2}\s+[A-Za-z]{3}", text):
        try:
            return email.utils.parsedate_to_datetime(text).date()
        except (TypeError, ValueError):
            pass
    dates = find_dates(text)
    return dates[0][0] if len(dates) == 1 else None


_ISO_TIME = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[T\s](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*"
                       r"(Z|UTC|GMT|[+-]\d{2}:?\d{2})?\s*$", re.IGNORECASE)


def _utc(moment: dt.datetime) -> dt.datetime | None:
    """``moment`` in UTC without a zone (as written when it names none); midnight exactly is taken for
    a day-only value written as a timestamp (``2018-03-15T00:00:00``), so it gives None."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if (moment.hour, moment.minute, moment.second, moment.microsecond) == (0, 0, 0, 0):
        return None
    return moment if moment.year in _YEARS else None


def parse_time_value(value: object) -> dt.datetime | None:
    """The moment of publication a cell states, in UTC, or None when it states only a day (or nothing).

    ISO timestamps (``Z`` or an offset shifts to UTC; no zone is taken as written), RFC 2822 feed
    dates and datetime objects count.  This is what a story's lag in hours is measured with; the
    article's *date* stays :func:`parse_date_value`'s.

    >>> parse_time_value("2018-03-15T00:23:30Z")
    datetime.datetime(2018, 3, 15, 0, 23, 30)
    >>> parse_time_value("Sat, 12 Jan 2013 09:04:00 +0400")
    datetime.datetime(2013, 1, 12, 5, 4)
    >>> parse_time_value("2015-07-21 14:05:09")
    datetime.datetime(2015, 7, 21, 14, 5, 9)
    >>> parse_time_value("2018-03-15 10:00:00 +03:00"), parse_time_value("2018-03-15T10:00 UTC")
    (datetime.datetime(2018, 3, 15, 7, 0), datetime.datetime(2018, 3, 15, 10, 0))
    >>> [parse_time_value(v) for v in ("2018-03-15", "2018-03-15T00:00:00", "13 نيسان 2017", None)]
    [None, None, None, None]
    """
    if value is None or is_empty_value(value):
        return None
    to_pydt = getattr(value, "to_pydatetime", None)  # pandas.Timestamp
    if to_pydt is not None:
        try:
            value = to_pydt()
        except (ValueError, TypeError):
            return None
    if isinstance(value, dt.datetime):
        return _utc(value)
    if not isinstance(value, str):
        return None
    text = to_ascii_digits(value).strip()
    m = _ISO_TIME.match(text)
    if m:
        try:
            moment = dt.datetime(*map(int, (text[0:4], text[5:7], text[8:10], m[1], m[2], m[3] or 0)))
        except ValueError:
            return None
        zone = (m[4] or "").upper()
        if zone in ("Z", "UTC", "GMT"):
            moment = moment.replace(tzinfo=dt.timezone.utc)
        elif zone:
            sign, digits = (1 if zone[0] == "+" else -1), zone[1:].replace(":", "")
            moment = moment.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=int(digits[:2]),
                                                                           minutes=int(digits[2:]))))
        return _utc(moment)
    if re.search(r"[A-Za-z]{3},\s*\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d{1,2}:\d{2}", text):
        try:
            return _utc(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError):
            return None
    return None


def is_empty_value(value: object) -> bool:
    """True for None, NaN, NaT and blank strings: "the source does not say"."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NaTType", "NAType"):
        return True
    return isinstance(value, str) and not value.strip()
