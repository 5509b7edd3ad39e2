"""Quoted statements: who is quoted, by which outlet, and the same statement across outlets.

Rules (each one is a small function below and is tested on the seed articles):

**Quote marks.**  «…», “…” and "…" are paired with one stack per kind of mark.  ASCII
and curly marks do not say whether they open or close, so their side is read from
the context: a mark with a space (or line start, or ``:``) before it and a letter after
it opens; a mark with a letter or punctuation before it and a space/punctuation/line
end after it closes; any other mark closes the innermost open quote if there is one,
else opens.  This pairs the seeds' stray-space quotes (``وقال الوزير " لقد كان يوما
طويلا..."``) and nested ones (``"... استخدام "في اي آر"، ..."``).  A paragraph end (a
line break after ``.`` ``!`` ``؟`` ``:`` or a quote mark, or a blank line) drops quotes
left open; a line break in the middle of a sentence does not.  A quote inside another
quote is part of it, not a statement of its own.

**Sentences.**  A sentence ends at a paragraph end or at ``.`` ``!`` ``?`` ``؟``
followed by a space, never inside a quote.

**Speech cues.**  Reporting words (normalised, with an optional و/ف prefix): the verbs
قال أكد أضاف أشار شدد أعلن اعتبر أوضح تابع ختم صرح ذكر دعا وصف لفت كشف أعرب رأى
علق أفاد حذر تساءل أجاب نفى (and their feminine/present forms), the participles
قائلا مضيفا مؤكدا مشيرا مشددا معتبرا موضحا لافتا مبينا معربا متابعا, and قوله/بالقول.
بين counts only when a person's name follows it (وبين لافروف ان "...").

**Statements.**  A quoted span is a statement when

* a cue introduces it directly (only the speaker's name, أن/إن/أنه/بأن, قائلا/بالقول
  and punctuation stand between the cue and the opening mark, and at least one of them
  or a colon: ``قال لافروف: "لا"``; a quote right after the verb, ذكرت "رويترز", is
  its subject), whatever its length; or
* it has at least 4 words, a cue stands before it in the same sentence and it ends its
  clause (punctuation, a line end or a reporting word such as مضيفا follows the closing
  mark: names in quotes go on, ``"رافا نادال تنس سنتر" بمدينة``); or
* it has at least 8 words (a long quotation even without a cue).

So scare quotes and names in quotes are not statements: «ستارت 3», «التدخل
الروسي», "الفيتو", "تقدم جزئي", the newspaper "أرغومينتي إي فاكتي" (كشفت صحيفة …).
*Colon form* without quote marks: a cue, at most 15 words, a colon, then at least
4 words up to the end of the sentence (``وقال بوتين لبومبيو: كما تعرفون …``).

**Speaker.**  For the cue nearest before the quote (outside other quotes) in its
sentence; failing that a cue right after the closing mark (``"..."، قال لافروف``):

* the first person named after the cue, before any أن/إن, colon or quote
  (``وقال وزير الخارجية الروسي، سيرغي لافروف، … إن``), else a person named up to 4
  words before it (``عن لافروف قوله``) → how = "direct";
* a participle (قائلا, مشيرا …) takes the speaker of the sentence's earlier cue, else the
  first person of the sentence → "direct";
* a cue without a subject (followed directly by the quote, a colon, أن/إن, قائلا or a
  preposition: ``وقال: "…"``, ``وأضاف في المؤتمر الصحفي "…"``) takes the speaker of an
  earlier cue of the same sentence ("direct"); otherwise it is **carried** from the
  previous sentence only when that sentence attributed exactly one speaker, by name,
  and had no unattributed statement or unnamed subject → "carried" (a sentence
  without a reporting word attributes nobody, so nothing is carried across it);
* a cue with a subject that is not a known name (``ودعا الوزير الأمريكي``,
  ``وأضاف الرئيس الروسي قائلا:``) gives no speaker, and the next sentence cannot be
  carried from it.

An unattributed statement keeps ``speaker=None`` and ``how=None`` (``"colon"`` for the
colon form, whatever the speaker): nothing is guessed.

Speaker names come from a ``find_people(text) -> [(canonical, start, end)]`` function
(character offsets of person mentions), e.g. the gazetteer's entity matcher.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Callable

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from core import arabic
from core.analysis.reuse import word_spans

FindPeople = Callable[[str], list[tuple[str, int, int]]]
#: People mentions given as word indices instead: ``(text, words, starts, ends)`` →
#: ``[(name, first word, last word + 1)]`` over :func:`word_spans`' words (no second tokenising).
PeopleInWords = Callable[[str, list, np.ndarray, np.ndarray], list[tuple[str, int, int]]]


@dataclass
class Quote:
    """One quoted statement: character offsets of the quoted words in the article text."""

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    how: str | None   # "direct" | "carried" | "colon" | None


# -- lexicon (normalised forms, see arabic.normalize) ----------------------------------------

def _forms(*words: str) -> frozenset[str]:
    return frozenset(arabic.normalize(w) for w in words)


VERBS = _forms(
    "قال", "قالت", "يقول", "تقول", "أكد", "أكدت", "يؤكد", "تؤكد", "أضاف", "أضافت", "يضيف", "تضيف",
    "أشار", "أشارت", "يشير", "تشير", "شدد", "شددت", "يشدد", "تشدد", "أعلن", "أعلنت", "يعلن", "تعلن",
    "اعتبر", "اعتبرت", "يعتبر", "تعتبر", "أوضح", "أوضحت", "يوضح", "توضح", "تابع", "تابعت", "ختم", "ختمت",
    "صرح", "صرحت", "يصرح", "ذكر", "ذكرت", "يذكر", "تذكر", "دعا", "دعت", "يدعو", "تدعو", "وصف", "وصفت",
    "لفت", "لفتت", "كشف", "كشفت", "أعرب", "أعربت", "رأى", "رأت", "يرى", "ترى", "علق", "علقت", "أفاد",
    "أفادت", "حذر", "حذرت", "يحذر", "تساءل", "تساءلت", "أجاب", "أجابت", "نفى", "نفت", "أردف", "استطرد",
    "تحدث", "تحدثت",
)
PARTICIPLES = _forms(
    "قائلا", "قائلة", "مضيفا", "مضيفة", "مؤكدا", "مؤكدة", "مشيرا", "مشيرة", "مشددا", "مشددة",
    "معتبرا", "معتبرة", "موضحا", "موضحة", "لافتا", "لافتة", "مبينا", "مبينة", "معربا", "معربة",
    "متابعا", "متابعة", "محذرا", "محذرة", "متسائلا", "مستطردا",
)
NOUNS = _forms("قوله", "قولها", "بالقول", "القول")
FILLER_NOUNS = _forms("بالقول", "القول")
# "explained"/"expressed" only when a name follows; else "between"/"via"
NEEDS_NAME = _forms("بين", "بينت", "عبر", "عبرت")
RELATIVES = _forms("الذي", "التي")
TAIL_CUES = VERBS | _forms("حسب", "بحسب", "وفق", "وفقا")
COMPLEMENTIZERS = _forms("أن", "إن", "أنه", "إنه", "أنها", "إنها", "بأن", "بأنه", "بأنها", "أنهم", "إنهم")
# Words after a cue that show it has no subject of its own (the subject is carried).
SUBJECTLESS_NEXT = COMPLEMENTIZERS | _forms(
    "قائلا", "قائلة", "بالقول", "في", "خلال", "أمام", "عبر", "على", "إلى", "لدى", "من", "عن", "مع",
    "للصحفيين", "للصحافيين", "لوكالة", "لقناة", "لصحيفة", "لشبكة", "لموقع", "لـ", "ل", "أيضا", "كذلك",
    "اليوم", "أمس", "الخميس", "الجمعة", "السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء",
)
DIRECT_FILLERS = COMPLEMENTIZERS | _forms("قائلا", "قائلة", "بالقول", "القول")
_ALL_CUES = VERBS | PARTICIPLES | NOUNS | NEEDS_NAME
#: every written form that may be a cue (with an optional و/ف prefix), for a quick first test
CUE_WORDS = frozenset(_ALL_CUES | {p + w for w in _ALL_CUES for p in "وف"})
CUE_WINDOW = 12        # words after a cue in which its speaker's name is looked for
COLON_WINDOW = 15      # words between a cue and the colon of a colon-form statement
MIN_WORDS = 4          # a statement without a directly introducing cue has at least this many words
MIN_WORDS_NO_CUE = 8   # ... and this many when no cue stands before it in the sentence


def _strip_prefix(w: str, forms: frozenset[str]) -> str | None:
    if w in forms:
        return w
    if len(w) > 3 and w[0] in "وف" and w[1:] in forms:
        return w[1:]
    return None


# -- quote marks ---------------------------------------------------------------------------------

_OPENERS = {"«": "guillemet", "“": "curly", "”": "curly", "„": "curly", '"': "ascii"}
_CLOSE_GUILLEMET = "»"
_MARK_RE = re.compile('[«»“”„"\n]')
_SENT_END = re.compile(r"[.!?؟](?=\s)|\n")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "\u0640"


def _hard_break(text: str, pos: int) -> bool:
    """Is the newline at ``pos`` a paragraph end (not a line wrapped mid-sentence)?"""
    i = pos - 1
    while i >= 0 and text[i] in " \t\r":
        i -= 1
    j = pos + 1
    while j < len(text) and text[j] in " \t\r":
        j += 1
    if i < 0 or j >= len(text) or text[i] == "\n" or text[j] == "\n":
        return True
    prev, nxt = text[i], text[j]
    return not ((_is_word_char(prev) or prev in "،,") and _is_word_char(nxt))


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text *between* paired quote marks, outermost quotes only.

    >>> t = 'وقال الوزير " لقد كان يوما طويلا" و«ستارت 3»'
    >>> [t[s:e] for s, e in quote_spans(t)]
    [' لقد كان يوما طويلا', 'ستارت 3']
    """
    stacks: dict[str, list[int]] = defaultdict(list)
    spans = []
    for m in _MARK_RE.finditer(text):
        c, p = m.group(), m.start()
        if c == "\n":
            if _hard_break(text, p):
                stacks.clear()
            continue
        if c == "«":
            stacks["guillemet"].append(p)
            continue
        if c == _CLOSE_GUILLEMET:
            if stacks["guillemet"]:
                spans.append((stacks["guillemet"].pop() + 1, p))
            continue
        kind = _OPENERS[c]
        before = text[p - 1] if p > 0 else " "
        after = text[p + 1] if p + 1 < len(text) else " "
        opens = (before.isspace() or before in ":(") and _is_word_char(after)
        closes = (not before.isspace()) and (after.isspace() or not _is_word_char(after))
        stack = stacks[kind]
        if opens and not closes:
            stack.append(p)
        elif stack:
            spans.append((stack.pop() + 1, p))
        else:
            stack.append(p)
    spans.sort()
    outer, last_end = [], -1
    for s, e in spans:  # drop quotes nested in an earlier one
        if s >= last_end:
            outer.append((s, e))
            last_end = e
    return outer


def _sentences(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    inside = np.zeros(len(text) + 1, dtype=bool)
    for s, e in quotes:
        inside[s:e] = True
    bounds = [0]
    for m in _SENT_END.finditer(text):
        p = m.start()
        if inside[p]:
            continue
        if m.group() == "\n" and not _hard_break(text, p):
            continue
        bounds.append(p + 1)
    bounds.append(len(text))
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


# -- extraction ------------------------------------------------------------------------------

@dataclass
class _Cue:
    i: int              # word index
    form: str           # normalised base form (prefix removed)
    surface: str        # as written, without diacritics and without the و/ف prefix
    kind: str           # "verb" | "participle" | "noun"
    speaker: str | None = None
    subject: str = ""   # "named" | "carried" | "none" (no subject, nothing to carry) | "other" (unnamed subject)


def extract_quotes(text: str, find_people: FindPeople | None,
                   people_in_words: PeopleInWords | None = None) -> list[Quote]:
    """Quoted statements of one article with their speakers.

    >>> people = lambda t: [("لافروف", m.start(), m.end()) for m in re.finditer("لافروف", t)]
    >>> t = 'وقال لافروف إن المحادثات مثمرة.\\nوأضاف: "نحن واقعيون، وندرك أن التجاوز صعب".'
    >>> [(q.text, q.speaker, q.cue, q.how) for q in extract_quotes(t, people)]
    [('نحن واقعيون، وندرك أن التجاوز صعب', 'لافروف', 'أضاف', 'carried')]
    """
    if not text:
        return []
    qspans = quote_spans(text)
    words, wst, wen = word_spans(text)
    n = len(words)
    if n == 0:
        return []
    sentences = _sentences(text, qspans)
    in_quote = np.zeros(n, dtype=bool)
    for s, e in qspans:
        in_quote[np.searchsorted(wst, s):np.searchsorted(wst, e)] = True
    # person mentions → word indices (mentions inside quotes are not speakers)
    mention_at: dict[int, tuple[str, int]] = {}   # first word index → (name, last word index)
    if people_in_words is not None:
        for name, i0, i1 in people_in_words(text, words, wst, wen):
            if not in_quote[i0]:
                mention_at.setdefault(i0, (name, i1 - 1))
    else:
        for name, s, e in find_people(text):
            i0 = int(np.searchsorted(wen, s, "right"))
            i1 = int(np.searchsorted(wst, e, "left")) - 1
            if 0 <= i0 <= i1 < n and not in_quote[i0]:
                mention_at.setdefault(i0, (name, i1))
    mention_starts = sorted(mention_at)

    def surface(i: int) -> str:
        w = arabic.clean_surface(text[wst[i]:wen[i]])
        return w[1:] if _strip_prefix(words[i], _ALL_CUES) != words[i] else w

    def cue_at(i: int) -> _Cue | None:
        if words[i] not in CUE_WORDS or in_quote[i]:
            return None
        w = words[i]
        for forms, kind in ((VERBS, "verb"), (PARTICIPLES, "participle"), (NOUNS, "noun")):
            base = _strip_prefix(w, forms)
            if base:
                return _Cue(i, base, surface(i), kind)
        base = _strip_prefix(w, NEEDS_NAME)
        if base and i + 1 in mention_at:
            return _Cue(i, base, surface(i), "verb")
        return None

    quote_words = [(int(np.searchsorted(wst, s)), int(np.searchsorted(wst, e))) for s, e in qspans]

    def stop_after(i: int, limit: int, end_char: int) -> int:
        """Index after the last word a cue's name may be in (before أن/إن, a colon or a quote)."""
        j = i + 1
        while j < n and j <= i + limit and wst[j] < end_char and not in_quote[j]:
            if words[j] in COMPLEMENTIZERS:
                break
            gap = text[wen[j - 1]:wst[j]]
            if ":" in gap or any(q in gap for q in '"«“”'):
                break
            j += 1
        return j

    def resolve(cue: _Cue, sent_cues: list[_Cue], sent_start_word: int, end_char: int, prev_speaker: str | None):
        i = cue.i
        stop = stop_after(i, CUE_WINDOW, end_char)
        after = [k for k in mention_starts if i < k < stop]
        if after:
            cue.speaker, cue.subject = mention_at[after[0]][0], "named"
            return
        before = [k for k in mention_starts if sent_start_word <= k and mention_at[k][1] < i and i - mention_at[k][1] <= 4]
        if cue.kind == "participle":
            earlier = [c for c in sent_cues if c.i < i and c.kind != "participle"]
            if earlier:
                cue.speaker, cue.subject = earlier[-1].speaker, earlier[-1].subject
                return
            first = [k for k in mention_starts if sent_start_word <= k < i]
            if first:
                cue.speaker, cue.subject = mention_at[first[0]][0], "named"
            else:
                cue.subject = "other"
            return
        if before and cue.kind == "noun":   # عن لافروف قوله
            cue.speaker, cue.subject = mention_at[before[-1]][0], "named"
            return
        if before and cue.kind == "verb" and words[i] == cue.form:
            # لافروف قال / بوتين، الذي أكد: the name stands right before the verb
            last = mention_at[before[-1]][1]
            if all(words[k] in RELATIVES for k in range(last + 1, i)):
                cue.speaker, cue.subject = mention_at[before[-1]][0], "named"
                return
        if _subject_follows(i, end_char):
            cue.subject = "other"
            return
        earlier = [c for c in sent_cues if c.i < i and c.speaker]
        if earlier:
            cue.speaker, cue.subject = earlier[-1].speaker, earlier[-1].subject
        elif prev_speaker:
            cue.speaker, cue.subject = prev_speaker, "carried"
        else:
            cue.subject = "none"

    def _subject_follows(i: int, end_char: int) -> bool:
        """Is the cue followed by a word that is its (unnamed) subject, e.g. الوزير?"""
        j = i + 1
        if j >= n or wst[j] >= end_char or in_quote[j]:
            return False
        gap = text[wen[i]:wst[j]]
        if ":" in gap or any(q in gap for q in '"«“”'):
            return False
        return words[j] not in SUBJECTLESS_NEXT and not _strip_prefix(words[j], PARTICIPLES | NOUNS)

    out: list[Quote] = []
    prev_speaker: str | None = None
    for s_start, s_end in sentences:
        w0 = int(np.searchsorted(wst, s_start))
        w1 = int(np.searchsorted(wst, s_end))
        if w1 == w0:
            continue  # punctuation or a line break only: not a sentence
        cues: list[_Cue] = []
        found: list[Quote] = []
        i = w0
        while i < w1:
            c = cue_at(i)
            if c is None:
                i += 1
                continue
            resolve(c, cues, w0, s_end, prev_speaker)
            cues.append(c)
            colon = _colon_statement(c, text, s_end, words, wst, wen, n, in_quote)
            if colon is None:
                i += 1
                continue
            colon.speaker = c.speaker
            found.append(colon)
            i = int(np.searchsorted(wst, colon.end))   # no cue inside the statement itself
        # quoted statements of this sentence (not those inside a colon-form statement)
        for (qs, qe), (qi0, qi1) in zip(qspans, quote_words):
            if not (s_start <= qs < s_end) or qi1 == qi0:
                continue
            if any(f.start <= qs < f.end for f in found):
                continue
            n_words = qi1 - qi0
            before = [c for c in cues if c.i < qi0]
            if len(before) > 1 and before[-1].form in FILLER_NOUNS:
                before.pop()  # وختم بالقول: "…" → the cue is ختم
            cue = before[-1] if before else None
            direct = cue is not None and _directly(cue.i, qi0, qs - 1, mention_at, words, text, wen)
            if cue is None:
                cue = _tail_cue(qi1, w1, words, mention_at, in_quote, text, wst, wen)
                direct = cue is not None
            ends = _ends_clause(text, qe, words[qi1] if qi1 < n else None)
            if not (direct or (n_words >= MIN_WORDS and cue is not None and ends) or n_words >= MIN_WORDS_NO_CUE):
                continue
            a, b = _strip_span(text, qs, qe)
            speaker = cue.speaker if cue else None
            how = None if speaker is None else ("carried" if cue.subject == "carried" else "direct")
            found.append(Quote(a, b, text[a:b], speaker, cue.surface if cue else None, how))
        found.sort(key=lambda q: q.start)
        out.extend(found)
        named = {c.speaker for c in cues if c.speaker} | {q.speaker for q in found if q.speaker}
        unnamed = any(c.subject == "other" for c in cues) or any(q.speaker is None for q in found)
        prev_speaker = next(iter(named)) if len(named) == 1 and not unnamed else None
    return out


def _directly(cue_i: int, quote_i: int, mark: int, mention_at, words, text, wen) -> bool:
    """Does the cue introduce the quote directly?

    Only the speaker's name, أن/إن/قائلا/بالقول and punctuation stand between the cue and
    the opening mark (at ``mark``), and at least one of them, or a colon, is there: ``قال
    لافروف: "لا"``, ``وأضاف أن "..."``.  A quote right after a verb is more often its
    subject (ذكرت "رويترز", وأعلنت "ماستركارد") than a statement.
    """
    marked = ":" in text[wen[cue_i]:mark]
    j = cue_i + 1
    while j < quote_i:
        if j in mention_at:
            j = mention_at[j][1] + 1
            marked = True
            continue
        if words[j] not in DIRECT_FILLERS:
            return False
        marked = True
        j += 1
    return marked


_CLAUSE_END = re.compile(r"[ \t]*(?:[.,،؛;:!?؟)\]…\n]|$)")


def _ends_clause(text: str, close_mark: int, next_word: str | None) -> bool:
    """Is the closing quote mark followed by punctuation, a line end or a reporting word?

    Statements end their clause (``"…".``, ``"…"، مضيفا``); names in quotes go on
    (``"رافا نادال تنس سنتر" بمدينة``, ``«ستارت 3» التي``).
    """
    if _CLAUSE_END.match(text, close_mark + 1):
        return True
    return next_word is not None and _strip_prefix(next_word, PARTICIPLES | TAIL_CUES) is not None


def _tail_cue(qi1, w1, words, mention_at, in_quote, text, wst, wen) -> _Cue | None:
    """``"..."، قال لافروف`` / ``"..." بحسب لافروف``: a cue right after the quote, then a name."""
    j = qi1
    if j < w1 and not in_quote[j]:
        base = _strip_prefix(words[j], TAIL_CUES)
        if base:
            for k in range(j + 1, min(j + 5, w1)):
                if k in mention_at:
                    return _Cue(j, base, arabic.clean_surface(text[wst[j]:wen[j]]), "verb", mention_at[k][0], "named")
    return None


def _strip_span(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _colon_statement(c: _Cue, text, s_end, words, wst, wen, n, in_quote) -> Quote | None:
    """``وقال بوتين لبومبيو: كما تعرفون …``: the words after the colon up to the sentence end."""
    j = c.i + 1
    while j < n and j <= c.i + COLON_WINDOW + 1 and wst[j] < s_end:
        gap = text[wen[j - 1]:wst[j]]
        if ":" in gap:
            break
        if in_quote[j] or any(q in gap for q in '"«“”') or words[j] in COMPLEMENTIZERS:
            return None
        j += 1
    else:
        return None
    if j >= n or wst[j] >= s_end:
        return None
    colon = text.index(":", wen[j - 1])
    after = text[colon + 1:wst[j]]
    if any(q in after for q in '"«“”'):
        return None  # a quoted statement follows the colon: handled as a quote
    end = s_end
    a, b = _strip_span(text, wst[j], end)
    while b > a and text[b - 1] in ".\n":
        b -= 1
    n_words = int(np.searchsorted(wst, b) - j)
    if n_words < MIN_WORDS:
        return None
    return Quote(a, b, text[a:b], None, c.surface, "colon")


# -- frames ------------------------------------------------------------------------------------

QUOTE_COLUMNS = ["aid", "outlet", "date", "quote_id", "speaker", "text", "cue", "how", "start", "end"]


def quotes_frame(articles: pd.DataFrame, find_people: FindPeople | None,
                 people_in_words: PeopleInWords | None = None) -> pd.DataFrame:
    """All quoted statements of ``articles`` ``[aid, outlet, date, text]``.

    Returns ``[aid, outlet, date, quote_id, speaker, text, cue, how, start, end]``;
    ``quote_id`` numbers the quotes of each article from 0 in text order and
    ``start``/``end`` are offsets into that article's text.

    >>> arts = pd.DataFrame({"aid": [7], "outlet": ["قاسيون"], "date": [None],
    ...                      "text": ['قال لافروف: "نحن واقعيون ونعرف حجم المشاكل".']})
    >>> people = lambda t: [("لافروف", t.find("لافروف"), t.find("لافروف") + 6)]
    >>> quotes_frame(arts, people)[["aid", "quote_id", "speaker", "how"]].values.tolist()
    [[7, 0, 'لافروف', 'direct']]
    """
    rows = []
    for r in articles.itertuples(index=False):
        for k, q in enumerate(extract_quotes(getattr(r, "text") or "", find_people, people_in_words)):
            rows.append({"aid": r.aid, "outlet": r.outlet, "date": getattr(r, "date", None), "quote_id": k,
                         **asdict(q)})
    if not rows:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    return pd.DataFrame(rows)[QUOTE_COLUMNS]


def speaker_counts(quotes: pd.DataFrame) -> pd.DataFrame:
    """How many statements each outlet quotes from each speaker ``[outlet, speaker, quotes]``.

    Unattributed statements are left out.  Sorted by outlet, then count descending.

    >>> q = pd.DataFrame({"outlet": ["قاسيون"] * 3, "speaker": ["لافروف", "لافروف", None]})
    >>> speaker_counts(q).values.tolist()
    [['قاسيون', 'لافروف', 2]]
    """
    known = quotes[quotes["speaker"].notna() & (quotes["speaker"] != "")]
    if known.empty:
        return pd.DataFrame(columns=["outlet", "speaker", "quotes"])
    out = known.groupby(["outlet", "speaker"], as_index=False).size().rename(columns={"size": "quotes"})
    return out.sort_values(["outlet", "quotes", "speaker"], ascending=[True, False, True]).reset_index(drop=True)


STATEMENT_COLUMNS = ["statement_id", "speaker", "outlet", "aid", "quote_id", "text"]
MAX_GRAM_QUOTES = 200  # a word trigram in more quotes than this is a formula, not evidence
FRAGMENT_MIN_WORDS = 6  # a quote under a third of the other's length must have this many words ...


def same_statements(quotes: pd.DataFrame, threshold: float = 70) -> pd.DataFrame:
    """Clusters of the same statement as worded by different outlets.

    Two quotes *match* when they share a word trigram (normalised text), their
    speakers do not contradict each other (equal, or one unknown), and rapidfuzz's
    ``token_set_ratio`` of their normalised words is at least ``threshold`` (a shorter
    wording contained in a longer one scores 100), and they share two trigrams or more
    than half of the shorter one's trigrams.  A wording shorter than a third of
    the other matches only with at least 6 words and half of its trigrams in the longer
    one (otherwise a long speech would absorb every short quote and name it contains).
    Clusters are built without
    chaining: the longest wording not yet clustered leads, and the quotes matching
    *it* (and compatible with the cluster's speaker) join; so A~B and B~C never put
    A and C together unless A~C.  Only clusters spanning at least two outlets are
    returned ("unknown" counts as an outlet).  Columns
    ``[statement_id, speaker, outlet, aid, quote_id, text]``; ``speaker`` is the
    cluster's most frequent known speaker.

    >>> q = pd.DataFrame({"aid": [0, 1], "quote_id": [0, 0], "outlet": ["قاسيون", "unknown"],
    ...     "speaker": ["تيلرسون", "تيلرسون"],
    ...     "text": ["علينا أن نفعل كل شيء من أجل استعادة الثقة", "علينا أن نعمل كل شيء من أجل استعادة الثقة"]})
    >>> same_statements(q)[["statement_id", "aid", "outlet"]].values.tolist()
    [[0, 0, 'قاسيون'], [0, 1, 'unknown']]
    """
    if quotes.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    q = quotes.reset_index(drop=True)
    toks = [arabic.tokenize(arabic.normalize(t or "")) for t in q["text"]]
    norm = [" ".join(t) for t in toks]
    speakers = [s if isinstance(s, str) and s else None for s in q["speaker"]]
    grams = [{tuple(t[k:k + 3]) for k in range(len(t) - 2)} for t in toks]
    index: dict[tuple, list[int]] = defaultdict(list)
    for i, gs in enumerate(grams):
        for g in gs:
            index[g].append(i)
    cand = set()
    for ids in index.values():
        if 1 < len(ids) <= MAX_GRAM_QUOTES:
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    cand.add((ids[x], ids[y]))
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for x, y in cand:
        sx, sy = speakers[x], speakers[y]
        if sx and sy and sx != sy:
            continue
        short, long_ = sorted((x, y), key=lambda i: len(toks[i]))
        shared = len(grams[short] & grams[long_])
        if shared < 2 and shared * 2 <= len(grams[short]):
            continue  # one common phrase ("في نفس الوقت") is not the same statement
        if len(toks[short]) * 3 < len(toks[long_]):
            # a fragment of a much longer quote: only a long, mostly shared one is the same statement
            if len(toks[short]) < FRAGMENT_MIN_WORDS or shared * 2 < len(grams[short]):
                continue
        score = fuzz.token_set_ratio(norm[x], norm[y])
        if score >= threshold:
            neighbours[x].append((score, y))
            neighbours[y].append((score, x))
    # Leader clustering (no chaining): the longest wording leads, its direct matches join it.
    roots = list(range(len(q)))
    assigned = [False] * len(q)
    for lead in sorted(neighbours, key=lambda i: (-len(toks[i]), i)):
        if assigned[lead]:
            continue
        assigned[lead] = True
        speaker = speakers[lead]
        for score, other in sorted(neighbours[lead], key=lambda t: (-t[0], t[1])):
            if assigned[other] or (speaker and speakers[other] and speakers[other] != speaker):
                continue
            assigned[other] = True
            roots[other] = lead
            speaker = speaker or speakers[other]
    out = q.assign(_root=roots, speaker=speakers)
    n_outlets = out.groupby("_root")["outlet"].transform("nunique")
    out = out[n_outlets >= 2].copy()
    if out.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    known = out.dropna(subset=["speaker"])
    main = known.groupby("_root")["speaker"].agg(lambda s: s.value_counts().index[0])
    out["speaker"] = out["_root"].map(main)
    first = out.index.to_series().groupby(out["_root"]).min().sort_values()
    out["statement_id"] = out["_root"].map({root: k for k, root in enumerate(first.index)})
    out = out.sort_values(["statement_id", "aid", "quote_id"])
    return out[STATEMENT_COLUMNS].reset_index(drop=True)
