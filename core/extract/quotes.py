"""Statements and their speakers: who is quoted, by which outlet, and the same statement across outlets.

A *statement* is one act of speech with its content, in one of four forms:

* **direct**: quoted words, «…» “…” "…" (see :func:`quote_spans` for the pairing of marks);
* **colon**: a reporting word, at most 15 words, a colon, then the words up to the end of the
  sentence (``وقال بوتين لبومبيو: كما تعرفون …``);
* **reported**: a reporting verb, its subject, then إن/أن (``وقال وزير الخارجية عادل الجبير إن …``,
  ``وأشار المومني إلى أن …``): the content runs from after إن/أن to the end of the clause;
* **attributed**: a sentence that ends with ``وفق ما أعلن X`` / ``على ما قال X`` / ``وفقا لما ذكره X``.

Which quoted spans are statements: a quote introduced directly by a cue (only the subject,
إن/أن, قائلا and punctuation between, and at least one of them or a colon), a quote of at
least 4 words that ends its clause with a cue before it in the sentence, or any quote of at
least 8 words.  Scare quotes and names in quotes («ستارت 3», "الفيتو") are not statements.  A
reported statement whose content holds a quoted statement is that quote (not counted twice).

**The speaker is the subject of the reporting verb**, never simply the nearest known person:

* VSO: the phrase right after the verb, possibly after a ``في تصريح``/``لـ<outlet>``/time bit
  when a title or known person follows it (``قال لـ"سكاي نيوز عربية" الخبير العسكري …``);
* SVO: the phrase before a verb without و/ف (``لكن واشنطن بوست قالت إن``, ``وكان ترامب قد قال``,
  ``أن المبرمج قال إنه``);
* a participle (مشيرا, مضيفا …) takes the speaker of the sentence's earlier cue; قوله takes the
  phrase after عن (``نقلت رويترز عن الشرطة الدولية قولها``); نقل … عن X takes X.

The subject phrase ends at إن/أن, a colon or quote, a preposition (except inside a title: المتحدث
باسم, مصادر في الشرطة, السفير لدى), a time word, a relative pronoun, an addressee (للصحفيين,
لوكالة) or, after a name, a comma.  It is split into a **name** and a **title**: a gazetteer person
gives the name (its canonical form); otherwise the name is the run of name-like words (not in the
lexicon, not a known place or organisation; an ال-word only after a name word: عادل الجبير) at the
start (``جيرمايا مامابولو قائد البعثة``) or the end (``وزير الخارجية السعودي عادل الجبير``) of the
phrase.  A phrase without a name is kept whole as the speaker (``المتحدث باسم الوزارة``,
``وزارة الداخلية``, ``مصدر مسؤول``, ``مسؤول أمريكي``).

**Continued speech** (a verb without a subject: ``وأضاف``, ``وتابع: …``, ``وقال إن``) carries the
last speaker of the article (``how="carried"``).  ``يذكر أن`` / ``يشار إلى أن`` are impersonal: no
speaker, nothing carried.

**Grouping.**  Within an article a shorter name maps to the longer name it ends or begins
(الجبير → عادل الجبير, علياء → علياء مبيض), so one person is one speaker; across articles a
gazetteer hit gives one canonical name.  ``speaker_title`` keeps the title that came with a name
(``وزير الخارجية``), ``None`` otherwise.

The words (verbs, participles, titles, institutions …) are the editable lexicon
``core/resources/speech.yaml`` (:func:`load_speech_lexicon`).  Mentions come from the gazetteer's
entity matcher, as ``entities_in_words(text, words, starts, ends) -> [(name, type, i0, i1)]`` or,
for people only, ``people_in_words`` / ``find_people(text) -> [(name, start, end)]``.
"""
from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz

from core import arabic
from core.arabic import word_spans

FindPeople = Callable[[str], list[tuple[str, int, int]]]
#: People mentions given as word indices instead: ``(text, words, starts, ends)`` →
#: ``[(name, first word, last word + 1)]`` over :func:`word_spans`' words (no second tokenising).
PeopleInWords = Callable[[str, list, np.ndarray, np.ndarray], list[tuple[str, int, int]]]
#: Every gazetteer mention as word indices: ``[(name, type, first word, last word + 1)]``.
EntitiesInWords = Callable[[str, list, np.ndarray, np.ndarray], list[tuple[str, str, int, int]]]


@dataclass
class Quote:
    """One statement: character offsets of its content in the article text."""

    start: int
    end: int
    text: str
    speaker: str | None
    cue: str | None
    how: str | None   # "direct" | "reported" | "colon" | "attributed" | "carried" | None
    speaker_title: str | None = None


# -- lexicon (core/resources/speech.yaml, normalised on load) ---------------------------------

SPEECH_FILE = Path(__file__).resolve().parent.parent / "resources" / "speech.yaml"
LEXICON_KEYS = ("verbs", "participles", "nouns", "impersonal", "titles", "institutions", "complements",
                "takes_lam", "settings", "stop_words", "complementizers", "fa_inna", "filler_nouns",
                "direct_fillers", "needs_name", "tail_cues", "tail_markers", "lead_markers", "negations",
                "inner_preps", "linkers", "inner_linkers", "honorifics", "being", "left_strip", "skip_start",
                "not_before_subject", "relatives", "naqala")


@dataclass(frozen=True)
class SpeechLexicon:
    verbs: frozenset[str]
    participles: frozenset[str]
    nouns: frozenset[str]
    impersonal: frozenset[str]
    titles: frozenset[str]
    institutions: frozenset[str]
    complements: frozenset[str]
    takes_lam: frozenset[str]
    settings: frozenset[str]
    stop_words: frozenset[str]
    complementizers: frozenset[str]
    fa_inna: frozenset[str]
    filler_nouns: frozenset[str]
    direct_fillers: frozenset[str]
    needs_name: frozenset[str]
    tail_cues: frozenset[str]
    tail_markers: frozenset[str]
    lead_markers: frozenset[str]
    negations: frozenset[str]
    inner_preps: frozenset[str]
    linkers: frozenset[str]
    inner_linkers: frozenset[str]
    honorifics: frozenset[str]
    being: frozenset[str]
    left_strip: frozenset[str]
    skip_start: frozenset[str]
    not_before_subject: frozenset[str]
    relatives: frozenset[str]
    naqala: frozenset[str]


def load_speech_lexicon(path: str | Path | None = None) -> SpeechLexicon:
    """Read and validate ``speech.yaml``: exactly the keys :data:`LEXICON_KEYS`, each a list of
    single words; every problem raises ``ResourceError(file, entry, reason)``.

    >>> "قال" in load_speech_lexicon().verbs and "وزير" in load_speech_lexicon().titles
    True
    """
    from core.model import ResourceError
    from core.resources import _read_yaml, _string_list

    path = Path(path or SPEECH_FILE)
    name = path.name
    data = _read_yaml(path)
    if not isinstance(data, dict):
        raise ResourceError(name, "-", "the file must be a mapping of word lists")
    unknown = sorted(set(map(str, data)) - set(LEXICON_KEYS))
    if unknown:
        raise ResourceError(name, unknown[0], f"unknown key (expected one of {', '.join(LEXICON_KEYS)})")
    out = {}
    for key in LEXICON_KEYS:
        if key not in data:
            raise ResourceError(name, key, "missing list")
        words = _string_list(name, key, data[key], key, allow_empty=False)
        for i, w in enumerate(words, 1):
            if len(w.split()) != 1:
                raise ResourceError(name, f"{key} entry {i} ({w})", "one word per entry")
        out[key] = frozenset(arabic.normalize(w) for w in words)
    return SpeechLexicon(**out)


LEX = load_speech_lexicon()


VERBS = LEX.verbs
PARTICIPLES = LEX.participles
FILLER_NOUNS = LEX.filler_nouns
NOUNS = LEX.nouns | FILLER_NOUNS
# "explained" only when a known person follows it; else "between"
NEEDS_NAME = LEX.needs_name
TAIL_CUES = VERBS | LEX.tail_cues
COMPLEMENTIZERS = LEX.complementizers
_FA_INNA = LEX.fa_inna   # وبحسب البعثة، فإن …
LEAD_MARKERS = LEX.lead_markers
DIRECT_FILLERS = COMPLEMENTIZERS | LEX.direct_fillers | FILLER_NOUNS
_ALL_CUES = VERBS | PARTICIPLES | NOUNS | NEEDS_NAME
#: every written form that may be a cue (with an optional و/ف prefix), for a quick first test
CUE_WORDS = frozenset(_ALL_CUES | {p + w for w in _ALL_CUES for p in "وف"})
#: the part of the lexicon that is never the start of a person's name
NOT_NAME = LEX.titles | LEX.institutions | LEX.complements | LEX.stop_words | LEX.settings | COMPLEMENTIZERS
NEGATIONS = LEX.negations
INNER_PREPS = LEX.inner_preps        # inside a title: مصادر في الشرطة, السفير لدى
LINKERS = LEX.linkers
TAIL_MARKERS = LEX.tail_markers   # وفق ما أعلن X, على ما قال X
BEING = LEX.being
LEFT_STRIP = LEX.left_strip | BEING
CUE_WINDOW = 16        # words after a cue (and its subject) in which its إن/أن is looked for
COLON_WINDOW = 15      # words between a cue and the colon of a colon-form statement
MAX_SUBJECT = 12       # words in a speaker phrase
MAX_TITLE_PHRASE = 8   # ... and in one that names no one (الناطق الإعلامي بفرع الهيئة في المنطقة)
PP_SKIP = 6            # words of a ``في تصريح لـ…`` bit skipped before a VSO subject
MIN_WORDS = 4          # a statement without a directly introducing cue has at least this many words
MIN_WORDS_NO_CUE = 8   # ... and this many when no cue stands before it in the sentence
MIN_REPORTED = 3       # words of a reported statement's content
_STOP_GAP = re.compile(r'[:"«»“”„.!?؟()\[\]؛;\n/|…]|\s[-–—]|[-–—]\s')
_COMMA = re.compile("[،,]")
_SCAN_GAP = re.compile(r"[:.!?؟\n؛;]")


_TITLE_WORDS = LEX.titles | LEX.complements | LEX.institutions
_INNER_LINKERS = LEX.inner_linkers   # never the first word of a name
_LADA = arabic.normalize("لدى")
_PRONOUN_SUFFIXES = ("ه", "ها", "هم", "هما", "هن", "كم", "نا")


_HONORIFICS = LEX.honorifics


def _lam_word(w: str) -> bool:
    """A word that may be ل + noun (لشؤون, لتويتر; not لا…, not لل… which is definite)."""
    return len(w) > 3 and w[0] == "ل" and not w.startswith(("لا", "لل"))


def _strip_prefix(w: str, forms: frozenset[str]) -> str | None:
    if w in forms:
        return w
    if len(w) > 3 and w[0] in "وف" and w[1:] in forms:
        return w[1:]
    return None


def _definite(w: str) -> bool:
    return w.startswith(("ال", "لل", "بال", "وال", "كال", "فال"))


def _nisba(w: str) -> bool:
    return len(w) > 3 and w.endswith(("ي", "ية", "يه", "يون", "يين", "يان", "يتين", "يتان"))


# -- quote marks ---------------------------------------------------------------------------------

_OPENERS = {"«": "guillemet", "“": "curly", "”": "curly", "„": "curly", '"': "ascii"}
_CLOSE_GUILLEMET = "»"
_MARK_RE = re.compile('[«»“”„"\n]')
_SENT_END = re.compile(r"[.!?؟](?=\s)|\n")


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == arabic.TATWEEL


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
    title: str | None = None
    subject: str = ""   # "named" | "title" | "carried" | "impersonal" | "none"
    after: int = -1     # first word after the subject (where إن/أن is looked for)


class _Article:
    """One article's words, quotes and mentions, and the speaker-phrase rules over them."""

    def __init__(self, text: str, mentions: list[tuple[str, str, int, int]], words, wst, wen, in_quote, qspans,
                 vocab: Mapping[str, int] | None = None):
        self.text, self.words, self.wst, self.wen, self.in_quote = text, words, wst, wen, in_quote
        self.vocab = vocab
        self.n = len(words)
        self.mention_at: dict[int, tuple[str, str, int]] = {}   # first word → (name, type, end word excl.)
        for name, typ, i0, i1 in mentions:
            if 0 <= i0 < i1 <= self.n and not in_quote[i0]:
                self.mention_at.setdefault(i0, (name, typ, i1))
        self.qspans = qspans
        self.starts = wst.tolist()     # the word starts as a list: bisect on it beats a numpy call per look-up
        self.quote_words = [(bisect_left(self.starts, s), bisect_left(self.starts, e)) for s, e in qspans]

    # -- small tests on words --------------------------------------------------------------------

    def gap(self, k: int) -> str:
        """The characters between word k-1 and word k."""
        return self.text[self.wen[k - 1]:self.wst[k]] if k > 0 else ""

    def hard_gap(self, k: int) -> bool:
        return bool(_STOP_GAP.search(self.gap(k)))

    def comma_gap(self, k: int) -> bool:
        return bool(_COMMA.search(self.gap(k)))

    def is_cue(self, k: int) -> bool:
        return self.words[k] in CUE_WORDS and _strip_prefix(self.words[k], VERBS | PARTICIPLES | NOUNS) is not None

    def adjective(self, w: str) -> bool:
        """A nisba-like word (أمريكي, عسكري) that is an adjective, not a name (كونتي, جوزيبي): with a
        corpus vocabulary, one the corpus also writes with ال (at least a fifth as often)."""
        if not _nisba(w) or _definite(w):
            return False
        if self.vocab is None:
            return True
        return self.vocab.get("ال" + w, 0) * 5 >= max(1, self.vocab.get(w, 0))

    # -- is a speaker plausible? (precision first: no speaker rather than a doubtful one) -------

    def count(self, w: str) -> int:
        return self.vocab.get(w, 0) if self.vocab is not None else 0

    def unprefixed(self, w: str) -> str:
        """w without a conjunction و/ف when the corpus has the stem's verb forms more than twice
        as often as w, at least (وتنال → تنال; not فيصل)."""
        if w[:1] in "وف" and len(w) > 4 and w[1] in "يتن":
            stem = w[2:]
            if sum(self.count(p + stem) for p in "يتنا") >= 2 * self.count(w):
                return w[1:]
        return w

    def verb_like(self, w: str) -> bool:
        """An imperfect verb (يؤيد, وتنال, تدخل), not a name (يوسف, نبيل, تركي): the corpus writes
        the same stem with another person prefix (تؤيد, نؤيد, أؤيد), and the word is
        not a noun the corpus writes with ال."""
        if self.vocab is None:
            return False
        w = self.unprefixed(w)
        if len(w) < 4 or w[0] not in "يتن" or _definite(w):
            return False
        stem = w[1:]
        siblings = sum(1 for p in "يتنا" if p != w[0] and self.count(p + stem) > 0)
        return siblings >= 1 and self.count("ال" + w) * 20 < max(1, self.count(w))

    def adverb_like(self, w: str) -> bool:
        """An accusative adverb or adjective (مستحيلا, حاليا): it ends in the tanween alif and the
        corpus writes the word with ال and without the alif (المستحيل) at least half as often."""
        if self.vocab is None or len(w) < 5 or not w.endswith("ا") or _definite(w):
            return False
        base = w[:-1]
        return len(base) >= 4 and self.count("ال" + base) > 0 and (
            (self.count(base) + self.count("ال" + base)) * 2 >= max(1, self.count(w)))

    def prep_word(self, w: str) -> bool:
        """A word with a preposition (بتقلبات, لصيف): بـ/لـ/كـ before a stem the corpus writes
        more often bare or with ال; or a بال-/لل-/كال- word."""
        if w.startswith(("بال", "لل", "كال")):
            return True
        if self.vocab is None or len(w) < 5 or w[0] not in "بلك":
            return False
        stem = w[1:]
        return self.count(stem) + self.count("ال" + stem) > max(1, self.count(w))

    def common_noun(self, w: str) -> bool:
        """A word the corpus writes with ال at least a fifth as often as without (فكرة/الفكرة,
        عشوائية/العشوائية), or a verb or adverb: a common word, rarely a name (خالد, سيلا)."""
        if self.vocab is None or _definite(w) or w in LINKERS:
            return False
        w = self.unprefixed(w)
        return (self.count("ال" + w) * 5 >= max(1, self.count(w)) or self.verb_like(w)
                or self.adverb_like(w))

    def possessed(self, w: str) -> bool:
        """A noun with a pronoun suffix (هويته, قراره): the corpus writes its stem with ال."""
        if any(w.endswith(suf) and (w[:-len(suf)] in _TITLE_WORDS | _HONORIFICS
                                    or w[:-len(suf)] + "ة" in _TITLE_WORDS | _HONORIFICS) for suf in ("ته", "ه", "ها")):
            return False   # سموه, سماحته, مراسلها: a title with a pronoun names the person named before
        for suf in ("ته", "تها", "تهم"):
            if w.endswith(suf) and len(w) - len(suf) >= 2 and self.count("ال" + w[:-len(suf)] + "ة") > 0:
                return True
        for suf in ("ه", "ها", "هم"):
            if w.endswith(suf) and len(w) - len(suf) >= 3 and self.count("ال" + w[:-len(suf)]) > 0:
                return True
        return False

    def plausible(self, speaker: str, a: int, b: int, named: bool) -> bool:
        """Can ``speaker`` (from the phrase ``[a, b)``) be one?  A name is not only linkers (بن),
        and starts with no verb, adverb or preposition word; a phrase without a name is headed by
        a title or a body (المتحدث, وزارة), an ال-noun (المصادر), a quoted or known name, or an
        indefinite noun with its definite complement (نتائج الدراسة): not فكرة عشوائية تدخل."""
        toks = _tokens(speaker)
        if not toks:
            return False
        first = toks[0]
        if all(t in LINKERS for t in toks):
            return False
        if self.words[a][:1].isdigit() or (a > 0 and (self.words[a - 1][:1].isdigit() or re.search(r"\d", self.gap(a)))):
            return False   # أضاف 1.23 نقطة: a quantity, not a subject
        if self.verb_like(first) or self.prep_word(first) or (len(toks) == 1 and self.adverb_like(first)):
            return False
        if named:   # a name of common nouns only is a phrase (فكرة عشوائية تدخل), a name holds no verb
            # (الأشد غضبا يصرخ) and does not start with a conjoined title (شهود ومصادر بمشرحة)
            if first[:1] == "و" and (first[1:] in NOT_NAME or self.common_noun(first[1:])):
                return False   # ومراجعة ميزانية السفر
            if any(self.possessed(t) for t in toks):
                return False   # هويته, برشلونة هدفه الثاني (أضاف هدفه: a goal, not a statement)
            return not all(self.common_noun(t) for t in toks) and not any(self.verb_like(t) for t in toks)
        if len(toks) > MAX_TITLE_PHRASE or any(self.verb_like(t) for t in toks[1:]):
            return False   # a clause, not a title (متدنية التعليم والثقافة وتنال حظا أقل)
        if self.in_quote[a:b].any():
            return True
        m = self.mention_at.get(a)
        if m:
            return True
        k = 0
        while k < len(toks) - 1 and toks[k] in _HONORIFICS:
            k += 1
        head = toks[k]
        if head in LEX.titles or head in LEX.institutions or _definite(head):
            return True
        return (k + 1 < len(toks) and _definite(toks[k + 1]) and not self.adverb_like(head)
                and not self.prep_word(toks[k + 1]))

    def name_like(self, k: int) -> bool:
        w = self.words[k]
        if w in NOT_NAME or _strip_prefix(w, PARTICIPLES | VERBS) or len(w) < 2:
            return False
        if w[0].isdigit() or w.startswith(("لل", "بال", "وال")):
            return False
        if _lam_word(w) and (k + 1 >= self.n or _definite(self.words[k + 1])):
            return False
        m = self.mention_at.get(k)
        return not (m and m[1] != "person")

    def surface(self, a: int, b: int) -> str:
        s = arabic.clean_surface(self.text[self.wst[a]:self.wen[b - 1]])
        s = s.replace("#", "").replace("_", " ")
        s = re.sub(r'["«»“”„]', "", s)
        return re.sub(r"\s+", " ", s).strip(" ،,")

    def quote_at(self, k: int) -> tuple[int, int] | None:
        """Word range of the quote holding word k."""
        if not self.in_quote[k]:
            return None
        for a, b in self.quote_words:
            if a <= k < b:
                return a, b
        return None

    # -- the speaker phrase ----------------------------------------------------------------------

    def phrase_after(self, j: int, limit: int) -> tuple[int, int]:
        """Word range ``[j, end)`` of a speaker phrase starting at word j (empty if none)."""
        words, n = self.words, self.n
        limit = min(n, limit)
        k, named, pp = j, False, False
        end = j
        if j >= n or ":" in self.gap(j):
            return j, j
        quote_end = -1
        while k < limit and k - j < MAX_SUBJECT:
            w = words[k]
            if self.in_quote[k]:
                q = self.quote_at(k)   # a name in quotes: ذكرت "رويترز", مراسل "سكاي نيوز عربية"
                if (q and q[0] == k and q[1] - q[0] <= 4 and ":" not in self.gap(k)
                        and (k == j or words[k - 1] in LEX.titles | LEX.institutions)):
                    k = end = quote_end = q[1]
                    named = True
                    if k == j + (q[1] - q[0]):
                        break   # the quoted name is the whole subject
                    continue
                break
            if k > j and k != quote_end and self.hard_gap(k):
                break
            if k == quote_end and re.search(r"[:.!?؟\n]", self.gap(k)):
                break
            if k > j and self.comma_gap(k):
                if named or pp or w in LEX.stop_words or w in COMPLEMENTIZERS or self.is_cue(k) or not (
                        self.name_like(k) or w in LEX.titles):
                    break
            m = self.mention_at.get(k)
            if m and m[1] == "person":
                k = end = m[2]
                named = True
                continue
            if w in COMPLEMENTIZERS or self.is_cue(k):
                break
            if w in LEX.stop_words:
                nxt = words[k + 1] if k + 1 < limit else None
                if (w in INNER_PREPS and not named and k > j and nxt is not None
                        and not self.hard_gap(k + 1) and not self.comma_gap(k + 1) and not self.in_quote[k + 1]
                        and (words[k - 1] in _TITLE_WORDS or _nisba(words[k - 1]))
                        and nxt not in LEX.settings and nxt not in LEX.stop_words and not self.is_cue(k + 1)
                        and nxt not in COMPLEMENTIZERS and not nxt[0].isdigit()):
                    pp = pp or w != _LADA
                    k += 1
                    continue
                break
            if k > j and _lam_word(w):
                # a ل-word: a title's complement (وزير الدولة لشؤون, نجم المنتخب لكرة القدم), a name
                # (لورا), or else an addressee (لبي بي سي, لنظيره): the phrase ends
                if w.endswith(_PRONOUN_SUFFIXES) or (named and k in self.mention_at):
                    break
                if named and not (self.name_like(k) and self.name_like(k - 1)):
                    break
            if pp and not _definite(w) and _definite(words[k - 1]) and k - 1 > j:
                break
            if self.name_like(k) and not _definite(w) and not _lam_word(w) and not self.adjective(w) and not (
                    k == j and w in LEX.titles):
                named = True
            k += 1
            end = k
        # a trailing preposition taken as a title's inner one has no object: drop it
        while end > j and words[end - 1] in LEX.stop_words:
            end -= 1
        return j, end

    def split_name(self, a: int, b: int) -> tuple[str | None, str | None, str]:
        """(name, title, whole phrase) of the speaker phrase ``[a, b)``."""
        whole = self.surface(a, b)
        words = self.words
        # a name never stands inside a prepositional phrase of the title (مصدر مقرب من ترامب)
        pp = next((k for k in range(a + 1, b) if words[k] in INNER_PREPS and words[k] != _LADA), b)
        k = a
        while k < pp:   # a gazetteer person names the speaker ...
            m = self.mention_at.get(k)
            if m and m[1] == "person":
                # ... unless it is the genitive of a title: محامي ترمب, مستشار الرئيس ترامب
                h = k - 1
                while h > a and words[h] in LEX.titles and _definite(words[h]):
                    h -= 1
                # ... or the end of a longer name: خليفة بن سلمان is not (محمد) بن سلمان
                tail_of_name = (k > a and words[k] in LINKERS and self.name_like(k - 1)
                                and not _definite(words[k - 1]) and words[k - 1] not in LINKERS)
                if tail_of_name:
                    k = m[2]
                    continue
                if not (h >= a and words[h] in LEX.titles and not _definite(words[h])
                        and words[h] not in _HONORIFICS):   # سمو الأمير X: X is the speaker
                    title = self.surface(a, k) if k > a else None
                    return m[0], title, whole
                if h == a:
                    return None, None, whole
                pp = h   # جون بولتون مستشار ترامب: the name before the title
                break
            k = m[2] if m else k + 1
        if self.in_quote[a:b].any():   # ذكرت "رويترز", موقع "مذربورد": the quoted name as written
            return None, None, whole
        b = pp

        def is_run_word(k: int, prev: int | None) -> bool:
            if not self.name_like(k):
                return False
            if _definite(words[k]):   # عادل الجبير: an ال-word only after a name word (or alone)
                return prev is None or words[prev] in LINKERS or (
                    self.name_like(prev) and not _definite(words[prev]))
            return True

        def valid(run: list[int]) -> bool:
            if len(run) == 1 and run[0] == a and _definite(words[a]):
                return True   # وقال المومني إن: a surname alone
            if (len(run) == 1 and run[0] > a and _nisba(words[run[0]]) and not _definite(words[run[0]])
                    and not _definite(words[run[0] - 1]) and words[run[0] - 1] in _TITLE_WORDS):
                return False   # مسؤول أمني صومالي, محللون سياسيون: the title's adjective, not a name
            return bool(run) and not all(self.adjective(words[k]) or words[k] in LINKERS for k in run)

        if words[a] in LEX.institutions:   # نادي ريال مدريد, صحيفة واشنطن بوست: a body, named as written
            return None, None, whole
        # leading run: جيرمايا مامابولو قائد بعثة …, or after honorifics: الفريق ضاحي خلفان تميم نائب …
        start = a
        while start < b - 1 and words[start] in _HONORIFICS:   # سمو الأمير خليفة بن سلمان
            start += 1
        while start < b - 1 and words[start] in LEX.titles and (_definite(words[start]) or start > a) \
                and not _definite(words[start + 1]) and words[start + 1] in LEX.titles:
            start += 1
        if start < b - 1 and words[start] in LEX.titles and _definite(words[start]) and not _definite(words[start + 1]) \
                and self.name_like(start + 1) and not self.adjective(words[start + 1]):
            start += 1
        lead = []
        k = start
        while k < b and (words[k] in LINKERS or is_run_word(k, k - 1 if k > start else None)):
            if k > start and self.comma_gap(k):
                break
            lead.append(k)
            k += 1
        if (len(lead) == 1 and lead[0] == a and _definite(words[a]) and k < b and _definite(words[k])
                and _nisba(words[k])):
            lead = []   # الوفد الوزاري, الكتلة البرلمانية: a noun and its adjective, not a surname
        if valid(lead) and (k == b or words[k] in LEX.titles or self.comma_gap(k) or _definite(words[start])
                            or (len(lead) >= 2 and not self.adjective(words[start]))):
            title = " ".join(t for t in (self.surface(a, start) if start > a else "",
                                         self.surface(k, b) if k < b else "") if t) or None
            return self.surface(lead[0], lead[-1] + 1), title, whole
        # trailing run: وزير الخارجية السعودي عادل الجبير
        run: list[int] = []
        k = b - 1
        while k >= a:
            if run and self.comma_gap(run[0]):
                break
            prev = k - 1 if k > a else None
            if words[k] in LINKERS and run:
                run.insert(0, k)
            elif is_run_word(k, prev):
                run.insert(0, k)
            else:
                break
            k -= 1
        while run and words[run[0]] in _INNER_LINKERS:
            run.pop(0)
        if valid(run) and run[0] > a and not _definite(words[run[0]]):
            return self.surface(run[0], run[-1] + 1), self.surface(a, run[0]), whole
        # no name: the title ends where a plain word follows its ال-words (وزير الخارجية الأميركي | وجود …)
        for x in range(a + 1, b):
            if (_definite(words[x - 1]) and not _definite(words[x]) and self.name_like(x)
                    and words[x] not in LINKERS and not self.in_quote[x]):
                return None, None, self.surface(a, x)
        return None, None, whole

    def phrase_before(self, i: int, floor: int) -> tuple[int, int]:
        """SVO: the speaker phrase ending right before the verb at word i (``لكن واشنطن بوست قالت``,
        ``وكان ترامب قد قال``, ``أن المبرمج قال``).  The phrase must start its clause (the sentence
        start, a comma, لكن/بينما/كان …, or إن/أن before it), else it is not the subject."""
        words = self.words
        end = i
        k = i - 1
        while k >= floor and words[k] in LEFT_STRIP and not self.hard_gap(k + 1):
            end = k
            k -= 1
        if end < i and self.hard_gap(end):
            return i, i
        start = end
        k = end - 1
        clause_start = False
        while k >= floor and end - k <= 8:
            if self.hard_gap(k + 1) or self.comma_gap(k + 1) or self.in_quote[k]:
                clause_start = not self.in_quote[k]
                break
            w = words[k]
            if w in COMPLEMENTIZERS or w in LEFT_STRIP:
                clause_start = True
                break
            if self.is_cue(k) or (w in LEX.stop_words and w not in INNER_PREPS):
                break
            if w in INNER_PREPS and not (start < end and k > floor and words[k - 1] in _TITLE_WORDS):
                break
            start = k
            k -= 1
        else:
            clause_start = k < floor
        if not clause_start or start >= end:
            return i, i
        while start < end and (words[start] in LEX.stop_words or words[start] in BEING):
            start += 1
        return (start, end) if start < end else (i, i)

    def skip_to_subject(self, j: int, limit: int) -> tuple[int, int]:
        """``وقال في تصريح لـ"سكاي نيوز عربية" الخبير العسكري …``: a title or a known person after a
        short setting/addressee/time bit is the subject."""
        words = self.words
        if j >= limit:
            return j, j
        w = words[j]
        if not (w in _SKIP_START or w in LEX.stop_words or (w[0] == "ل" and len(w) > 2) or self.in_quote[j]):
            return j, j
        k = j
        while k < limit and k - j < PP_SKIP:
            w = words[k]
            if not self.in_quote[k]:
                if k > j and (":" in self.gap(k) or w in COMPLEMENTIZERS or self.is_cue(k)):
                    break
                m = self.mention_at.get(k)
                if (k > j and (w in LEX.titles or (m and m[1] == "person")) and words[k - 1] not in _NOT_BEFORE_SUBJECT
                        and not (_definite(w) and _definite(words[k - 1]) and not self.in_quote[k - 1])):
                    # (المؤتمر الصحفي: an ال-title right after an ال-noun is its adjective)
                    return self.phrase_after(k, limit)
            k += 1
        return j, j


_SKIP_START = LEX.skip_start
_NOT_BEFORE_SUBJECT = LEX.not_before_subject
_TAIL_OBJ = ("ه", "ته", "ها", "تها", "هم")
_RELATIVES = LEX.relatives
_NAQALA = LEX.naqala
#: the words where extract_quotes' scan of a sentence can find something: a cue or a tail marker
_HOT_WORDS = CUE_WORDS | TAIL_MARKERS


def _gender(form: str) -> str | None:
    """"f" for قالت / مشيرة, "m" for قال / مشيرا, None when the form does not say."""
    if form.endswith("ت") and form[:-1] in VERBS or form.endswith("ة") and form in PARTICIPLES:
        return "f"
    if form + "ت" in VERBS or form.endswith("ا") and form[:-1] + "ة" in PARTICIPLES:
        return "m"
    return None


def _tail_verb(w: str) -> str | None:
    """ذكره / قاله / أعلنته → the verb (after وفقا لما, بحسب ما)."""
    for suf in ("",) + _TAIL_OBJ:
        base = w[: len(w) - len(suf)] if suf and w.endswith(suf) else (w if not suf else None)
        if base and base in VERBS:
            return base
    return None


def _mentions(text, words, wst, wen, find_people, people_in_words, entities_in_words):
    if entities_in_words is not None:
        return list(entities_in_words(text, words, wst, wen))
    if people_in_words is not None:
        return [(nm, "person", a, b) for nm, a, b in people_in_words(text, words, wst, wen)]
    out = []
    n = len(words)
    for name, s, e in (find_people(text) if find_people else []):
        i0 = int(np.searchsorted(wen, s, "right"))
        i1 = int(np.searchsorted(wst, e, "left"))
        if 0 <= i0 < i1 <= n:
            out.append((name, "person", i0, i1))
    return out


def extract_quotes(text: str, find_people: FindPeople | None = None,
                   people_in_words: PeopleInWords | None = None,
                   entities_in_words: EntitiesInWords | None = None,
                   vocab: Mapping[str, int] | None = None, spans=None) -> list[Quote]:
    """Statements of one article with their speakers.

    ``vocab`` (normalised-token counts of the corpus, e.g. the grouper's) tells adjectives from
    names: عسكري is written العسكري too, كونتي never.  ``spans`` is ``word_spans(text)`` when the
    caller has it already (the counting pass tokenises each article once).

    >>> t = 'وقال وزير الخارجية عادل الجبير إن المحادثات كانت مثمرة.\\nوأضاف: "نحن واقعيون، وندرك أن التجاوز صعب".'
    >>> [(q.text, q.speaker, q.speaker_title, q.how) for q in extract_quotes(t)]
    [('المحادثات كانت مثمرة', 'عادل الجبير', 'وزير الخارجية', 'reported'), ('نحن واقعيون، وندرك أن التجاوز صعب', 'عادل الجبير', 'وزير الخارجية', 'carried')]
    """
    if not text:
        return []
    qspans = quote_spans(text)
    words, wst, wen = word_spans(text) if spans is None else spans
    n = len(words)
    if n == 0:
        return []
    sentences = _sentences(text, qspans)
    starts = wst.tolist()   # bisect on a list beats a numpy call per look-up
    in_quote = np.zeros(n, dtype=bool)
    for s, e in qspans:
        in_quote[bisect_left(starts, s):bisect_left(starts, e)] = True
    A = _Article(text, _mentions(text, words, wst, wen, find_people, people_in_words, entities_in_words),
                 words, wst, wen, in_quote, qspans, vocab)
    # the only words where a statement can start: a cue, or a tail marker (وفق ما أعلن)
    hot_words = _HOT_WORDS.intersection(words)
    hot = [i for i, w in enumerate(words) if w in hot_words] if hot_words else []
    mention_people = {i: (m[0], m[2] - 1) for i, m in A.mention_at.items() if m[1] == "person"}
    names: dict[str, bool] = {}          # names found in speaker phrases → from the gazetteer?
    state = {"last": (None, None), "gender": None}

    def surface(i: int) -> str:
        w = arabic.clean_surface(text[wst[i]:wen[i]])
        return w[1:] if _strip_prefix(words[i], _ALL_CUES) != words[i] else w

    def cue_at(i: int) -> _Cue | None:
        if words[i] not in CUE_WORDS or in_quote[i]:
            return None
        if i > 0 and words[i - 1] in NEGATIONS and not in_quote[i - 1]:
            return None   # لا ترى النور, لم يذكر: a negated verb reports nothing
        w = words[i]
        for forms, kind in ((VERBS, "verb"), (PARTICIPLES, "participle"), (NOUNS, "noun")):
            base = _strip_prefix(w, forms)
            if base:
                return _Cue(i, base, surface(i), kind)
        base = _strip_prefix(w, NEEDS_NAME)
        if base and (i + 1 in mention_people or (
                i + 1 < n and not _definite(words[i + 1]) and A.name_like(i + 1) and not A.adjective(words[i + 1])
                and next((words[k] in COMPLEMENTIZERS for k in range(i + 2, min(n, i + 4))
                          if words[k] in COMPLEMENTIZERS or words[k][0] == "و"), False))):
            return _Cue(i, base, surface(i), "verb")   # وبين لافروف أن, وبين طيب أن (not بين الطرفين)
        return None

    def set_speaker(c: _Cue, a: int, b: int, subject: str = "named") -> bool:
        name, title, whole = A.split_name(a, b)
        from_gazetteer = any(m[1] == "person" and a <= i < b for i, m in A.mention_at.items())
        if name and " " in name and A.adverb_like(_tokens(name)[0]):
            name = name.split(" ", 1)[1]   # المنشق حاليا عبدالحليم خدام
        if name and not from_gazetteer:
            parts = name.split(" ")
            toks = [(_tokens(x) or [""])[0] for x in parts]
            # وأكد بلاتر استضافة روسيا: a common noun right after a one-word name is the verb's object
            if (len(parts) >= 2 and toks[1].endswith("ة") and A.common_noun(toks[1]) and toks[0] not in LINKERS
                    and not _lam_word(toks[0]) and not A.common_noun(toks[0])):
                name = parts[0]
        if not from_gazetteer and name and not A.plausible(name, a, b, True):
            name, title = None, None   # خبير شفرات: not a name, but a title's phrase
        if not from_gazetteer and not A.plausible(name or whole, a, b, bool(name)):
            c.subject = "doubtful"   # no speaker rather than a doubtful one, nor an earlier one
            return False
        if name:
            names.setdefault(name, from_gazetteer)
            c.speaker, c.title, c.subject = name, title, subject
        elif whole:
            c.speaker, c.title, c.subject = whole, None, "title"
        else:
            return False
        return True

    def carry(c: _Cue, cues: list[_Cue]) -> None:
        if c.subject == "doubtful":
            return
        earlier = [x for x in cues if x.i < c.i and x.speaker and x.kind != "tail"]
        if earlier:
            c.speaker, c.title, c.subject = earlier[-1].speaker, earlier[-1].title, earlier[-1].subject
        elif state["last"][0] and not (_gender(c.form) and state["gender"] and _gender(c.form) != state["gender"]):
            (c.speaker, c.title), c.subject = state["last"], "carried"
        else:
            c.subject = "none"

    def sentence_subject(c: _Cue, w0: int, i: int) -> bool:
        """The first known person or ال-title of the sentence before word i, outside a PP: the
        subject of a sentence whose first verb is not a reporting one (وبحث لافروف …، وأكد أن)."""
        k = w0 + 1   # right after the sentence's first verb: ورفع آل محمود …، مضيفاً أن
        if words[w0] in LEFT_STRIP and k < i:
            k += 1   # كما أبدى قائد الفرقة …، مؤكدا أن
        if k < i and not in_quote[k] and not A.hard_gap(k) and (
                k in mention_people or (A.name_like(k) and not _definite(words[k])) or words[k] in LEX.titles):
            a, b = A.phrase_after(k, i)
            if b > a and set_speaker(c, a, b):
                return True
        for k in range(w0 + 1, i):
            if in_quote[k] or words[k - 1] in LEX.stop_words and words[k - 1] not in LEX.settings:
                continue
            if k in mention_people or (words[k] in LEX.titles and _definite(words[k])):
                a, b = A.phrase_after(k, i)
                return b > a and set_speaker(c, a, b)
        return False

    def resolve(c: _Cue, cues: list[_Cue], w0: int, w1: int) -> None:
        i = c.i
        c.after = i + 1
        if c.kind == "participle":
            earlier = [x for x in cues if x.i < i and x.speaker and x.kind != "tail"]
            if earlier:
                carry(c, cues)
                return
            if not sentence_subject(c, w0, i):   # واتفق معه تيلرسون …، قائلا إن
                carry(c, cues)
            return
        if c.kind == "noun":   # نقلت رويترز عن الشرطة الدولية قولها
            k = i - 1
            while k >= w0 and i - k <= 9 and not A.hard_gap(k + 1) and words[k] != "عن":
                k -= 1
            if k >= w0 and words[k] == "عن":
                a, b = A.phrase_after(k + 1, i)
                if b > a and set_speaker(c, a, b):
                    return
            c.subject = "none"   # أهم ما طرحه قوله: whose saying is not said
            return
        if c.form in LEX.impersonal and i + 1 < w1 and (
                words[i + 1] in COMPLEMENTIZERS or (words[i + 1] == "الي" and i + 2 < w1 and words[i + 2] in COMPLEMENTIZERS)):
            c.subject = "impersonal"
            return
        if (words[i][0] in "وف" and words[i] != c.form and A.comma_gap(i)
                and any(x.kind == "verb" and x.speaker for x in cues)
                and not (i + 1 < w1 and (words[i + 1] in LEX.titles | LEX.institutions or i + 1 in mention_people))):
            carry(c, cues)   # ودعا الوزير إلى …، وأكد وحدة موقف …: the same subject, then the object
            return
        a, b = A.phrase_after(i + 1, w1)
        if b == a:
            a, b = A.skip_to_subject(i + 1, w1)
        # (a doubtful subject is still the subject: its words are skipped, so that which statements
        # are found never depends on the corpus vocabulary, only who made them)
        if b > a and (set_speaker(c, a, b) or c.subject == "doubtful"):
            c.after = b
            if c.form in _NAQALA and b < w1 and words[b] == "عن":   # نقل … عن X: X speaks
                a2, b2 = A.phrase_after(b + 1, w1)
                if b2 > a2 and (set_speaker(c, a2, b2) or c.subject == "doubtful"):
                    c.after = b2
                    if c.subject == "doubtful":
                        c.speaker, c.title = None, None
            return
        if words[i] != c.form and A.comma_gap(i) and not any(x.speaker for x in cues) and sentence_subject(c, w0, i):
            return
        if words[i] == c.form and i > w0:
            if words[i - 1] in _RELATIVES:
                m = next(((nm, e) for s0, (nm, e) in mention_people.items() if e == i - 2 or e == i - 1), None)
                if m:
                    c.speaker, c.subject = m[0], "named"
                else:
                    c.subject = "none"
                return
            a, b = A.phrase_before(i, w0)
            if b > a and set_speaker(c, a, b):
                return
        carry(c, cues)

    out: list[Quote] = []
    for s_start, s_end in sentences:
        w0 = bisect_left(starts, s_start)
        w1 = bisect_left(starts, s_end)
        if w1 == w0:
            continue  # punctuation or a line break only: not a sentence
        cues: list[_Cue] = []
        found: list[Quote] = []
        tails: list[tuple[int, int, _Cue]] = []
        if words[w0] in LEAD_MARKERS and not in_quote[w0]:
            c = _Cue(w0, words[w0], surface(w0), "tail")
            a, b = A.phrase_after(w0 + 1, w1)
            k = b
            if b > a and k < w1 and words[k] in _FA_INNA and w1 - k - 1 >= MIN_REPORTED and (
                    set_speaker(c, a, b) or c.subject == "doubtful"):
                qa, qb = _strip_span(text, int(wst[k + 1]), int(wen[w1 - 1]))
                tails.append((qa, qb, c))
                cues.append(c)
        i = w0
        while i < w1:
            h = bisect_left(hot, i)   # every other word is neither a tail marker nor a cue: skip to the next one
            if h == len(hot) or hot[h] >= w1:
                break
            i = hot[h]
            # وفق ما أعلن X / على ما قال X / وفقا لما ذكره X: the sentence before it is X's
            if (not in_quote[i] and i + 2 < w1 and words[i] in TAIL_MARKERS and words[i + 1] in ("ما", "لما")
                    and _tail_verb(words[i + 2])):
                c = _Cue(i + 2, _tail_verb(words[i + 2]), surface(i + 2), "tail")
                a, b = A.phrase_after(i + 3, w1)
                if b == a:
                    a, b = A.skip_to_subject(i + 3, w1)
                if (b > a and not any(x.kind != "tail" for x in cues) and i - w0 >= MIN_REPORTED
                        and (set_speaker(c, a, b) or c.subject == "doubtful")):
                    qa, qb = _strip_span(text, int(wst[w0]), int(wen[i - 1]))
                    qb = qb - 1 if qb > qa and text[qb - 1] in "،," else qb
                    tails.append((qa, qb, c))
                cues.append(c)
                i += 3
                continue
            c = cue_at(i)
            if c is None:
                i += 1
                continue
            resolve(c, cues, w0, w1)
            cues.append(c)
            colon = _colon_statement(c, text, s_end, words, wst, wen, n, in_quote)
            if colon is None:
                i += 1
                continue
            colon.speaker, colon.speaker_title = c.speaker, c.title
            colon.how = "carried" if c.subject == "carried" else "colon"
            found.append(colon)
            i = bisect_left(starts, colon.end)   # no cue inside the statement itself
        # quoted statements of this sentence (not those inside a colon-form statement)
        speech = [c for c in cues if c.kind != "tail"]
        for (qs, qe), (qi0, qi1) in zip(qspans, A.quote_words):
            if not (s_start <= qs < s_end) or qi1 == qi0:
                continue
            if any(f.start <= qs < f.end for f in found):
                continue
            n_words = qi1 - qi0
            before = [c for c in speech if c.i < qi0]
            if len(before) > 1 and before[-1].form in FILLER_NOUNS:
                before.pop()  # وختم بالقول: "…" → the cue is ختم
            cue = before[-1] if before else None
            direct = cue is not None and _directly(cue, qi0, qs - 1, A)
            if cue is None:
                cue = _tail_cue(qi1, w1, A)
                direct = cue is not None
            ends = _ends_clause(text, qe, words[qi1] if qi1 < n else None)
            if not (direct or (n_words >= MIN_WORDS and cue is not None and ends) or n_words >= MIN_WORDS_NO_CUE):
                continue
            a, b = _strip_span(text, qs, qe)
            speaker = cue.speaker if cue else None
            how = None if speaker is None else ("carried" if cue.subject == "carried" else "direct")
            found.append(Quote(a, b, text[a:b], speaker, cue.surface if cue else None, how,
                               cue.title if cue else None))
        # reported statements: cue, subject, إن/أن, content to the end of the clause
        for c in speech:
            rep = _reported(c, A, w1, found)
            if rep is not None:
                found.append(rep)
        # attributed: "…، وفق ما أعلن X" / "وبحسب X، فإن …": the span is X's, unless a statement
        # with a speaker of its own is in it (an unattributed quote in it becomes X's)
        for qa, qb, c in tails:
            inside = [f for f in found if qa <= f.start < qb]
            if any(f.speaker for f in inside):
                continue
            for f in inside:
                f.speaker, f.speaker_title, f.how, f.cue = c.speaker, c.title, "attributed", c.surface
            if not inside:
                found.append(Quote(qa, qb, text[qa:qb], c.speaker, c.surface, "attributed", c.title))
        found.sort(key=lambda q: q.start)
        out.extend(found)
        # the last speaker of a statement (not a trailing attribution) is carried to the next cue
        said = [c for c in speech if c.speaker and c.subject in ("named", "title")]
        doubtful = [c for c in speech if c.subject == "doubtful"]
        if doubtful and not (said and said[-1].i > doubtful[-1].i):
            state["last"], state["gender"] = (None, None), None   # who goes on speaking is unknown
        elif said:
            state["last"], state["gender"] = (said[-1].speaker, said[-1].title), _gender(said[-1].form)
    return _group_names(out, names)


def _reported(c: _Cue, A: _Article, w1: int, found: list[Quote]) -> Quote | None:
    words, text = A.words, A.text
    k = max(c.after, c.i + 1)
    limit = min(w1, k + CUE_WINDOW)
    while k < limit:
        if A.in_quote[k]:
            q = A.quote_at(k)   # a short quoted name on the way: في مقابلة مع قناة "العربية" إن
            if q and q[1] - q[0] <= 4 and k > c.i + 1:
                k = q[1]
                continue
            return None
        if k > c.i + 1 and _SCAN_GAP.search(A.gap(k)):
            return None
        if words[k] in COMPLEMENTIZERS:
            break
        if A.is_cue(k):
            return None
        k += 1
    else:
        return None
    s = k + 1
    if s >= w1 or ":" in A.gap(s):
        return None
    e = s
    while e < w1:   # to the end of the sentence, or the next reporting word
        if e > s and not A.in_quote[e] and A.is_cue(e) and (
                A.comma_gap(e) or words[e][0] in "وف"
                or (e + 1 < w1 and words[e + 1] in COMPLEMENTIZERS and words[e] in VERBS)):
            break
        e += 1
    if e - s < MIN_REPORTED:
        return None
    a, b = int(A.wst[s]), int(A.wen[e - 1])
    if text[a - 1:a] in '"«“”':
        a -= 1
    if text[b:b + 1] in '"»“”':
        b += 1
    inside = [f for f in found if f.start < b and a < f.end]
    if inside:
        # a quoted statement in the content counts for itself; the words before it, if enough, too
        first = min(f.start for f in inside)
        cut = int(np.searchsorted(A.wst, first))
        while cut > s and A.in_quote[cut - 1]:
            cut -= 1
        if cut - s < MIN_REPORTED or first <= a:
            return None
        a, b = _strip_span(text, a, int(A.wen[cut - 1]))
        b = b + 1 if text[b:b + 1] in '"»“”' else b
    if c.subject == "impersonal":
        return Quote(a, b, text[a:b], None, c.surface, None)
    how = None if c.speaker is None else ("carried" if c.subject == "carried" else "reported")
    return Quote(a, b, text[a:b], c.speaker, c.surface, how, c.title)


def _tokens(s: str) -> list[str]:
    return arabic.tokenize(arabic.normalize(s))


def _group_names(quotes: list[Quote], names: Mapping[str, bool]) -> list[Quote]:
    """One person, one speaker within an article: a name that ends or begins a longer name found
    in the article (not a gazetteer name, which is canonical already) becomes that longer name,
    with the longer name's title when it has none (الجبير → عادل الجبير)."""
    toks = {nm: _tokens(nm) for nm in names}
    longer = {}
    for nm, gaz in names.items():
        if gaz:
            continue
        t = toks[nm]
        if len(t) >= 2 and _definite(t[-1]) and not _definite(t[-2]):
            # كونتي المؤيد (name + description) when كونتي ends a longer name of the article
            head = t[:-1]
            if any(len(ot) > len(head) and ot[-len(head):] == head for ot in toks.values()):
                t = head
        best = None
        for other, ot in toks.items():
            if other == nm or len(ot) <= len(t):
                continue
            if ot[-len(t):] == t or ot[:len(t)] == t:
                if best is None or len(ot) > len(toks[best]):
                    best = other
        if best:
            longer[nm] = best
    if not longer:
        return quotes
    titles = {}
    for q in quotes:
        if q.speaker in toks and q.speaker_title and q.speaker not in titles:
            titles[q.speaker] = q.speaker_title
    for q in quotes:
        if q.speaker in longer:
            q.speaker = longer[q.speaker]
            q.speaker_title = q.speaker_title or titles.get(q.speaker)
    return quotes
def _directly(cue: _Cue, quote_i: int, mark: int, A: _Article) -> bool:
    """Does the cue introduce the quote directly?

    Only the cue's subject, أن/إن/قائلا/بالقول and punctuation stand between the cue and the
    opening mark (at ``mark``), and at least one of them, or a colon, is there: ``قال
    لافروف: "لا"``, ``وأضاف أن "..."``.  A quote right after a verb is more often its
    subject (ذكرت "رويترز", وأعلنت "ماستركارد") than a statement.
    """
    marked = ":" in A.text[A.wen[cue.i]:mark]
    j = cue.i + 1
    if j < cue.after <= quote_i:
        j, marked = cue.after, True
    while j < quote_i:
        m = A.mention_at.get(j)
        if m and m[1] == "person":
            j, marked = m[2], True
            continue
        if A.words[j] not in DIRECT_FILLERS:
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


def _tail_cue(qi1: int, w1: int, A: _Article) -> _Cue | None:
    """``"..."، قال لافروف`` / ``"..." بحسب لافروف``: a cue right after the quote, then its subject."""
    j = qi1
    if j < w1 and not A.in_quote[j]:
        base = _strip_prefix(A.words[j], TAIL_CUES)
        if base:
            a, b = A.phrase_after(j + 1, w1)
            if b > a:
                name, title, whole = A.split_name(a, b)
                return _Cue(j, base, arabic.clean_surface(A.text[A.wst[j]:A.wen[j]]), "verb",
                            name or whole, title if name else None, "named", b)
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

QUOTE_FRAME_COLUMNS = ["aid", "outlet", "date", "quote_id", "speaker", "text", "cue", "how", "start", "end", "speaker_title"]


def quotes_frame(articles: pd.DataFrame, find_people: FindPeople | None = None,
                 people_in_words: PeopleInWords | None = None,
                 entities_in_words: EntitiesInWords | None = None,
                 vocab: Mapping[str, int] | None = None, spans: list | None = None) -> pd.DataFrame:
    """All quoted statements of ``articles`` ``[aid, outlet, date, text]``.

    Returns ``[aid, outlet, date, quote_id, speaker, text, cue, how, start, end, speaker_title]``;
    ``quote_id`` numbers the quotes of each article from 0 in text order and
    ``start``/``end`` are offsets into that article's text.  ``spans`` (optional) holds each
    article's ``word_spans(text)``, in row order.

    >>> arts = pd.DataFrame({"aid": [7], "outlet": ["قاسيون"], "date": [None],
    ...                      "text": ['قال لافروف: "نحن واقعيون ونعرف حجم المشاكل".']})
    >>> people = lambda t: [("لافروف", t.find("لافروف"), t.find("لافروف") + 6)]
    >>> quotes_frame(arts, people)[["aid", "quote_id", "speaker", "how"]].values.tolist()
    [[7, 0, 'لافروف', 'direct']]
    """
    rows = []
    for i, r in enumerate(articles.itertuples(index=False)):
        found = extract_quotes(getattr(r, "text") or "", find_people, people_in_words, entities_in_words, vocab,
                               spans[i] if spans is not None else None)
        date = getattr(r, "date", None)
        for k, q in enumerate(found):
            rows.append((r.aid, r.outlet, date, k, q.speaker, q.text, q.cue, q.how, q.start, q.end, q.speaker_title))
    if not rows:
        return pd.DataFrame(columns=QUOTE_FRAME_COLUMNS)
    return pd.DataFrame(rows, columns=QUOTE_FRAME_COLUMNS)


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


def cluster_statements(quotes: pd.DataFrame, threshold: float = 70, words=None) -> pd.DataFrame:
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
    cluster's most frequent known speaker.  ``words`` (optional): each quote's
    :func:`wordings`, in row order, when they are known already.

    >>> q = pd.DataFrame({"aid": [0, 1], "quote_id": [0, 0], "outlet": ["قاسيون", "unknown"],
    ...     "speaker": ["تيلرسون", "تيلرسون"],
    ...     "text": ["علينا أن نفعل كل شيء من أجل استعادة الثقة", "علينا أن نعمل كل شيء من أجل استعادة الثقة"]})
    >>> cluster_statements(q)[["statement_id", "aid", "outlet"]].values.tolist()
    [[0, 0, 'قاسيون'], [0, 1, 'unknown']]
    """
    if quotes.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    q = quotes.reset_index(drop=True)
    neighbours, toks, speakers = _statement_matches(q, threshold, words=words)
    roots = list(range(len(q)))
    _lead(neighbours, toks, speakers, [False] * len(q), roots)
    return _statement_frame(q, roots, speakers)


def join_statements(quotes: pd.DataFrame, new, stored, stored_speaker, threshold: float = 70,
                    words=None) -> pd.DataFrame:
    """Appending: the new quotes (``new``, a boolean per quote) joined to the statements already
    stored (``stored``: each quote's statement id, -1 for none; ``stored_speaker``: that
    statement's speaker), or clustered anew.

    Only the pairs that hold a new quote are scored, with :func:`cluster_statements`' rule (a
    trigram's count of quotes is taken over all of them).  The longest new wording first, each new
    quote that matches a quote of a stored statement joins the statement of its best such match
    (if its own speaker does not contradict the statement's); the others, with the stored quotes
    that belong to no statement, are clustered as :func:`cluster_statements` does.  Returns
    ``[statement_id, speaker, outlet, aid, quote_id, text]`` for the new quotes that join a stored
    statement (its id and speaker) and the members of each new cluster that spans two outlets
    (ids -1, -2, … in the order of their first quote).  ``words`` (optional): each quote's
    :func:`wordings` (a list or an Arrow string array; None/null where unknown), in row order: the index stores them, so an append does not
    normalise every stored quote of its days again.

    >>> q = pd.DataFrame({"aid": [0, 1, 2], "quote_id": [0, 0, 0], "outlet": ["قاسيون", "الثورة", "قاسيون"],
    ...     "speaker": ["تيلرسون", None, None],
    ...     "text": ["علينا أن نفعل كل شيء من أجل استعادة الثقة", "علينا أن نعمل كل شيء من أجل استعادة الثقة",
    ...              "علينا أن نفعل كل شيء من أجل استعادة الثقة بين بلدينا"]})
    >>> join_statements(q, [False, False, True], [7, 7, -1], ["تيلرسون", "تيلرسون", None])[["statement_id", "aid"]].values.tolist()
    [[7, 2]]
    """
    if quotes.empty:
        return pd.DataFrame(columns=STATEMENT_COLUMNS)
    q = quotes.reset_index(drop=True)
    new = np.asarray(new, dtype=bool)
    stored = np.asarray(stored, dtype=np.int64)
    neighbours, toks, speakers = _statement_matches(q, threshold, focus=new, words=words)
    joined: dict[int, int] = {}
    for i in sorted(np.flatnonzero(new).tolist(), key=lambda i: (-toks[i], i)):
        for _score, j in sorted(neighbours.get(i, ()), key=lambda t: (-t[0], t[1])):
            sid = int(stored[j])
            theirs = stored_speaker[j] if isinstance(stored_speaker[j], str) and stored_speaker[j] else None
            if sid >= 0 and not (speakers[i] and theirs and speakers[i] != theirs):
                joined[i] = sid
                break
    # the rest clusters among itself: quotes in a stored statement or just joined to one stay out
    taken = [bool(stored[i] >= 0) or i in joined for i in range(len(q))]
    rest = {i: [(s, j) for s, j in nb if not taken[j]] for i, nb in neighbours.items() if not taken[i]}
    roots = list(range(len(q)))
    _lead(rest, toks, speakers, list(taken), roots)
    fresh = _statement_frame(q, roots, speakers)
    fresh = fresh.assign(statement_id=-1 - fresh["statement_id"].astype(int))
    speaker_of = {int(sid): sp for sid, sp in zip(stored.tolist(), stored_speaker) if sid >= 0}
    order = sorted(joined)
    old = q.loc[order].assign(statement_id=[joined[i] for i in order], speaker=[speaker_of[joined[i]] for i in order])
    out = pd.concat([old[STATEMENT_COLUMNS], fresh[STATEMENT_COLUMNS]], ignore_index=True)
    out["statement_id"] = out["statement_id"].astype(int)
    return out.sort_values(["statement_id", "aid", "quote_id"]).reset_index(drop=True)


def _statement_matches(q: pd.DataFrame, threshold: float, focus=None, words=None):
    """The match graph of :func:`cluster_statements` (``neighbours``: quote → [(score, quote)]), each
    quote's number of words and its speaker; with ``focus``, only the pairs holding a focused quote.
    ``words``: the quotes' :func:`wordings` where known (None elsewhere)."""
    texts = [t if isinstance(t, str) else "" for t in q["text"].tolist()]
    words = _complete_wordings(texts, words)
    speakers = [s if isinstance(s, str) and s else None for s in q["speaker"].tolist()]
    if focus is not None:
        got = _focused_grams(words, np.asarray(focus, dtype=bool))
        if got is not None:
            norm, toks, grams, cand = got
            return _scored(threshold, cand, norm, toks, grams, speakers)
    # Lean on memory (two blocks of 150k quotes cluster at once on a 2-core build): each word becomes
    # an integer, each trigram one integer, and only the words' count is kept of each wording.
    if isinstance(words, pa.Array):
        words = words.to_pylist()
    ids: dict[str, int] = {}
    norm, n_words, numbered = words, [], []
    for wording in words:
        t = wording.split(" ") if wording else []
        n_words.append(len(t))
        numbered.append([ids.setdefault(x, len(ids)) for x in t])
    words = numbered
    b = max(len(ids), 1)   # a trigram (x, y, z) of word numbers below b is exactly (x·b + y)·b + z
    del ids
    grams = [{(w[k] * b + w[k + 1]) * b + w[k + 2] for k in range(len(w) - 2)} for w in words]
    del words
    toks = n_words   # below, len(toks[i]) is the number of words
    if focus is None:
        return _grouped_matches(threshold, norm, toks, grams, speakers), toks, speakers
    return _focused_matches(threshold, norm, toks, grams, np.asarray(focus, dtype=bool), speakers)


def wordings(texts: list) -> list[str]:
    """Each quote's normalised words joined by a space, ``" ".join(arabic.tokenize(arabic.normalize(t)))``
    (a token holds no space, so ``split(" ")`` gives the words back), for many texts at once
    (:func:`_normalized_words`).  The index stores them with the quotes (``quote_words``).

    >>> wordings(["قالَ: «إنّ الأمرَ»", None])
    ['قال ان الامر', '']
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    if not texts:
        return []
    flat, starts, lens = _normalized_words(texts)
    flat = flat.tolist()
    return [" ".join(flat[s:s + n]) for s, n in zip(starts.tolist(), lens.tolist())]


def _complete_wordings(texts: list, words) -> list[str] | pa.Array:
    """``words`` (a list, or an Arrow string array, with None/null where unknown; None: all unknown) with
    the missing ones made from ``texts``; an Arrow array stays one (its strings need not become Python
    objects: :func:`_focused_grams` reads them in Arrow)."""
    if words is None:
        return wordings(texts)
    if isinstance(words, pa.ChunkedArray):
        words = words.combine_chunks()
    if len(words) != len(texts):
        raise ValueError(f"{len(words)} wordings for {len(texts)} quotes")
    if not isinstance(words, pa.Array):
        words = list(words)
        for i, w in zip(*_made_wordings(texts, [not isinstance(w, str) for w in words])):
            words[i] = w
        return words
    if words.null_count == 0:
        return words
    missing, made = _made_wordings(texts, words.is_null().to_numpy(zero_copy_only=False))
    return pc.replace_with_mask(words.cast(pa.string()), words.is_null(), pa.array(made, type=pa.string()))


def _made_wordings(texts: list, missing) -> tuple[list[int], list[str]]:
    at = np.flatnonzero(np.asarray(missing, dtype=bool)).tolist()
    return at, wordings([texts[i] for i in at])


_SEP_WORD = "qxsepxq"   # a word of ASCII letters: normalize keeps it (lower case), tokenize finds it


def _normalized_words(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The words of ``arabic.tokenize(arabic.normalize(t))`` of every text, from one ``normalize`` and one
    ``findall`` over the texts joined by a separator word (their substitutions map one character at a
    time, and no word spans the separator) instead of a call each per text.  Returns the words (an object
    array, the separators left between the texts), each text's first word's place in it and its number
    of words.  A text with a presentation form (NFKC then applies) or holding the separator word is
    done on its own."""
    from bisect import bisect_right

    offsets = np.cumsum([0] + [len(t) + 1 for t in texts[:-1]]).tolist()
    joined = "\n".join(texts)
    hits = [m.start() for m in arabic.PRESENTATION_FORMS.finditer(joined)]
    low, at = joined.lower(), 0
    while (at := low.find(_SEP_WORD, at)) >= 0:
        hits.append(at)
        at += 1
    alone = {bisect_right(offsets, h) - 1 for h in hits}
    glue = f" {_SEP_WORD} "
    flat = arabic.tokenize(arabic.normalize(glue.join("" if i in alone else t for i, t in enumerate(texts))))
    if alone:   # their words spliced in where their empty place is
        cut = [-1] + [i for i, w in enumerate(flat) if w == _SEP_WORD]
        pieces, prev = [], 0
        for i in sorted(alone):
            pieces += [flat[prev:cut[i] + 1], arabic.tokenize(arabic.normalize(texts[i]))]
            prev = cut[i] + 1
        pieces.append(flat[prev:])
        flat = [w for p in pieces for w in p]
    words = np.array(flat, dtype=object)
    bounds = np.concatenate([[-1], np.flatnonzero(words == _SEP_WORD), [len(words)]])
    if len(bounds) != len(texts) + 1:   # cannot happen (the separator is in no text); the plain way, to be sure
        each = [arabic.tokenize(arabic.normalize(t)) for t in texts]
        words = np.array([w for ws in each for w in ws], dtype=object)
        lens = np.array([len(ws) for ws in each], dtype=np.int64)
        return words, np.cumsum(lens) - lens, lens
    return words, bounds[:-1] + 1, np.diff(bounds) - 1


def _focused_grams(words, focused: np.ndarray):
    """``(norm, toks, grams, cand)`` as :func:`_statement_matches` makes them from the quotes' :func:`wordings`
    (a list or an Arrow string array), with the candidate pairs (:func:`_focused_matches`' ``cand``) found in
    pandas and the trigram sets made only for the quotes of a candidate pair (the others' are empty: of 415k
    stored quotes, 155k share some trigram with a new one, 128k a rare one).  The words are numbered by
    Arrow's dictionary encoding and every trigram number is computed and looked up in numpy (the numbers
    differ from the plain way's, which trigrams are equal does not).  None when the trigram numbers would
    not fit in 63 bits (then the plain way is taken)."""
    arr = words if isinstance(words, pa.Array) else pa.array(words, type=pa.string())
    # in Arrow: 425k wordings split into 7.5M words as Python strings took ~3 s, factorizing them ~1.5 s
    split = pc.split_pattern(arr, " ")
    empty = pc.binary_length(arr).to_numpy(zero_copy_only=False) == 0   # "" splits into [""]: no word
    lens = np.where(empty, 0, pc.list_value_length(split).to_numpy(zero_copy_only=False)).astype(np.int64)
    starts = np.cumsum(lens) - lens
    flat = pc.list_flatten(split)
    del split
    if empty.any():
        flat = flat.filter(pc.not_equal(flat, ""))   # a word is never empty: only those placeholders go
    coded = pc.dictionary_encode(flat)
    del flat
    b = max(len(coded.dictionary), 1)
    if b ** 3 >= 2 ** 63:
        return None
    c = coded.indices.to_numpy().astype(np.int64)
    del coded
    g = (c[:-2] * b + c[1:-1]) * b + c[2:] if len(c) >= 3 else np.zeros(0, np.int64)
    ngram = np.maximum(lens - 2, 0)           # a quote's trigrams start at its first len - 2 words
    edge = np.zeros(len(g) + 1, dtype=np.int32)   # +1 where a quote's trigrams start, -1 past its last
    np.add.at(edge, starts[ngram > 0], 1)
    np.add.at(edge, (starts + ngram)[ngram > 0], -1)
    inside = np.cumsum(edge[:-1]) > 0
    del edge
    g_in = g[inside]
    owner = np.repeat(np.arange(len(lens), dtype=np.int32), ngram)
    del inside
    mine = set(g_in[focused[owner]].tolist())
    shares = pd.Series(g_in).isin(mine).to_numpy()   # a hash look-up (np.isin sorts the 7M trigrams: ~1.5 s)
    # the trigrams of the focused quotes with their holders, each holder once; a trigram in 2..MAX_GRAM_QUOTES
    # quotes makes candidates: each focused holder with each other holder
    held = pd.DataFrame({"g": g_in[shares], "o": owner[shares]}).drop_duplicates()
    del g_in, owner, shares
    size = held.groupby("g")["o"].transform("size").to_numpy()
    held = held[(size > 1) & (size <= MAX_GRAM_QUOTES)]
    pairs = held[focused[held["o"].to_numpy()]].merge(held, on="g", suffixes=("x", "y"))
    ox, oy = pairs["ox"].to_numpy(), pairs["oy"].to_numpy()
    keep = (ox != oy) & (~focused[oy] | (ox < oy))   # two focused quotes: the pair once, the first one first
    cand = pd.DataFrame({"x": ox[keep], "y": oy[keep]}).drop_duplicates()
    del held, pairs, ox, oy, keep
    need = np.union1d(cand["x"].to_numpy(), cand["y"].to_numpy())
    norm = [""] * len(lens)
    grams: list = [set()] * len(lens)
    for i, wording in zip(need.tolist(), arr.take(pa.array(need, type=pa.int64())).to_pylist()):
        s0 = int(starts[i])
        norm[i] = wording
        grams[i] = set(g[s0:s0 + int(ngram[i])].tolist())
    return norm, lens.tolist(), grams, list(zip(cand["x"].tolist(), cand["y"].tolist()))


def _focused_matches(threshold: float, norm: list, toks: list, grams: list, focused: np.ndarray, speakers: list):
    """The pairs of :func:`_statement_matches` that hold a focused quote."""
    # the focused quotes' trigrams, then the other quotes that hold one of them
    mine: dict = defaultdict(list)
    for i in np.flatnonzero(focused).tolist():
        for g in grams[i]:
            mine[g].append(i)
    others: dict = defaultdict(list)
    for i in np.flatnonzero(~focused).tolist():
        for g in grams[i]:
            if g in mine:
                others[g].append(i)
    cand = set()
    for g, ids in mine.items():
        rest = others.get(g, ())
        if 1 < len(ids) + len(rest) <= MAX_GRAM_QUOTES:
            for x in range(len(ids)):
                for y in range(x + 1, len(ids)):
                    cand.add((ids[x], ids[y]))
                for y in rest:
                    cand.add((ids[x], y))
    return _scored(threshold, cand, norm, toks, grams, speakers)


def _scored(threshold: float, cand, norm: list, toks: list, grams: list, speakers: list):
    """``(neighbours, toks, speakers)``: the candidate pairs ``cand`` (each unordered pair once) that match."""
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for x, y in cand:
        score = _pair_score(x, y, norm, toks, grams, speakers)
        if score is not None and score >= threshold:
            neighbours[x].append((score, y))
            neighbours[y].append((score, x))
    return neighbours, toks, speakers


def _pair_score(x: int, y: int, norm: list, toks: list, grams: list, speakers: list) -> float | None:
    """The match score of two candidate quotes (that share a trigram), None when they cannot match."""
    sx, sy = speakers[x], speakers[y]
    if sx and sy and sx != sy:
        return None
    short, long_ = (x, y) if toks[x] <= toks[y] else (y, x)
    shared = len(grams[short] & grams[long_])
    if shared < 2 and shared * 2 <= len(grams[short]):
        return None  # one common phrase ("في نفس الوقت") is not the same statement
    if toks[short] * 3 < toks[long_]:
        # a fragment of a much longer quote: only a long, mostly shared one is the same statement
        if toks[short] < FRAGMENT_MIN_WORDS or shared * 2 < len(grams[short]):
            return None
    return fuzz.token_set_ratio(norm[x], norm[y])


def _grouped_matches(threshold: float, norm: list, toks: list, grams: list, speakers: list) -> dict:
    """:func:`_statement_matches` of every pair, each wording said by one speaker matched once.

    Quotes of the same normalised words and speaker have the same trigrams, the same checks and the
    same score against any other quote, and match each other (score 100) when one of their trigrams
    is in at most ``MAX_GRAM_QUOTES`` quotes: the pairs are scored between distinct wordings and
    given to every copy.  The same graph as scoring every pair of quotes (tested), for much less
    when wordings repeat: agency copy across outlets and days, or the benchmark's corpora resampled
    with replacement (a 150,000-quote block of the 1M corpus holds each wording ~33 times)."""
    first: dict = {}
    members: list[list[int]] = []
    for i in range(len(norm)):
        g = first.setdefault((norm[i], speakers[i]), len(members))
        if g == len(members):
            members.append([])
        members[g].append(i)
    del first
    rep = [m[0] for m in members]
    index: dict = defaultdict(list)
    for g, i in enumerate(rep):
        for gram in grams[i]:
            index[gram].append(g)
    cand = set()
    self_match = [False] * len(members)
    for gs in index.values():
        quotes = sum(len(members[g]) for g in gs)
        if 1 < quotes <= MAX_GRAM_QUOTES:
            for x in range(len(gs)):
                if len(members[gs[x]]) > 1:
                    self_match[gs[x]] = True
                for y in range(x + 1, len(gs)):
                    cand.add((gs[x], gs[y]))
    neighbours: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for g, same in enumerate(self_match):
        if same:
            ms = members[g]
            for x in ms:
                neighbours[x].extend((100.0, y) for y in ms if y != x)
    for gx, gy in cand:
        score = _pair_score(rep[gx], rep[gy], norm, toks, grams, speakers)
        if score is not None and score >= threshold:
            for a in members[gx]:
                neighbours[a].extend((score, b) for b in members[gy])
            for b in members[gy]:
                neighbours[b].extend((score, a) for a in members[gx])
    return neighbours


def _lead(neighbours: dict, toks: list, speakers: list, assigned: list, roots: list) -> None:
    """Leader clustering (no chaining), in place: the longest wording not yet assigned leads, its
    direct matches join it."""
    for lead in sorted(neighbours, key=lambda i: (-toks[i], i)):
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


def _statement_frame(q: pd.DataFrame, roots: list, speakers: list) -> pd.DataFrame:
    """The clusters (``roots``: each quote's leader) that span two outlets, numbered in the order of
    their first quote, with their most frequent known speaker."""
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
