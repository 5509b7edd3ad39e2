"""Arabic text primitives: cleaning, normalisation, clauses and word tokens.

Every function here takes a string and returns a string, a list of strings or (``word_spans``)
the words with their offsets; nothing keeps state.  The character tables are plain data at the
top of the module so that the rules can be read (and tested) without reading code; the
ingestion helpers (``core.ingest``) and the library derive their character sets from them.

The pipeline order used everywhere in the project::

    clean_surface  ->  normalize  ->  split_clauses  ->  tokenize  ->  (grouping, in core.textpipe)  ->  fold

* ``clean_surface`` keeps hamza forms and ة/ى: it is the form shown to people.
* ``normalize`` is the ONE normaliser for text, stop words, lexicons, gazetteer,
  aliases and search queries.  It maps single characters to single characters
  (apart from the NFKC step for presentation forms, which ``clean_surface``
  already did), so tokenizing a cleaned text and normalizing each token gives
  exactly the tokens of the normalized text, at the same offsets.
* ``fold`` (ة → ه, ى → ي) is applied only to final grouping keys (the grouper keeps ة where
  the corpus attests the ه spelling as another word: والدة / والده).
"""
from __future__ import annotations

import itertools
import re
import unicodedata

import numpy as np

# ---------------------------------------------------------------------------
# Character tables (data)
# ---------------------------------------------------------------------------

#: Harakat, tanwin, shadda, sukun, Quranic marks and the dagger alef: removed.
DIACRITICS = [chr(c) for c in range(0x064B, 0x0660)] + ["\u0670"]

#: Tatweel / kashida (a stretching stroke, not a letter): removed.
TATWEEL = "\u0640"

#: Zero-width and bidi control characters: removed.
INVISIBLES = (
    [chr(c) for c in range(0x200B, 0x2010)]      # ZWSP, ZWNJ, ZWJ, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]    # LRE, RLE, PDF, LRO, RLO
    + [chr(c) for c in range(0x2066, 0x206A)]    # LRI, RLI, FSI, PDI
    + ["\uFEFF", "\u061C", "\u00AD"]             # BOM/ZWNBSP, Arabic letter mark, soft hyphen
)

#: Spaces that look like a space: mapped to a plain space.
SPACES = {"\u00A0": " ", "\u2007": " ", "\u202F": " ", "\u2009": " ", "\u200A": " ", "\u3000": " "}

#: Arabic-Indic (U+0660..) and Persian/Urdu (U+06F0..) digits → ASCII digits.
DIGITS = {chr(0x0660 + i): str(i) for i in range(10)} | {chr(0x06F0 + i): str(i) for i in range(10)}

#: Letter variants merged by ``normalize`` (hamza-on-alef forms, wasla).  Alef maqsura ى is
#: kept: every outlet of both corpora measured here writes final ى distinctly (إلى is written
#: الي in under 1% of its uses, على as علي in about 2%), so علي (the name Ali) and على (the
#: preposition) are told apart by their written form.  ى → ي is applied on grouping keys (``fold``).
LETTER_VARIANTS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"}

#: ``fold``: taa marbuta → haa and alef maqsura → yaa, only on final grouping keys.
FOLD = {"ة": "ه", "ى": "ي"}

#: Presentation forms (old web sites, PDFs): NFKC is applied only when present.
PRESENTATION_FORMS = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFE]")

#: Marks written on or between letters, never part of a word's spelling: removed by ``clean_surface``.
MARKS = DIACRITICS + [TATWEEL]
MARKS_RE = re.compile("[%s]" % "".join(MARKS))

#: ``clean_surface`` as data: character → replacement ("" removes it).
CLEAN_MAP = {**{c: "" for c in MARKS + INVISIBLES}, **SPACES, **DIGITS}
_CLEAN_RE = re.compile("[%s]" % re.escape("".join(CLEAN_MAP)))
_ASCII_UPPER = re.compile("[A-Z]+")
#: code points ``clean_surface`` removes, and the marks among them (for ``word_spans``)
_REMOVED_CPS = np.array(sorted(ord(c) for c, r in CLEAN_MAP.items() if not r), dtype=np.uint32)
_MARK_CPS = np.array(sorted(ord(c) for c in MARKS), dtype=np.uint32)
#: the same two sets as look-up tables over every code point (one indexing instead of ``np.isin``)
_IS_REMOVED = np.zeros(0x110000, dtype=bool)
_IS_REMOVED[_REMOVED_CPS] = True
_IS_MARK = np.zeros(0x110000, dtype=bool)
_IS_MARK[_MARK_CPS] = True
_FOLD_TABLE = str.maketrans(FOLD)


def _clean_char(m: re.Match) -> str:
    return CLEAN_MAP[m.group()]


def _lower(m: re.Match) -> str:
    return m.group().lower()


# Letter classes used by the tokenizer.  Arabic letters U+0621–U+063A, U+0641–U+064A,
# the extended block U+0671–U+06D3 (wasla, Persian/Urdu letters), U+06D5, U+06EE–U+06EF,
# U+06FA–U+06FF, and the presentation forms.  Marks/tatweel/ZW characters may occur
# inside a word (they are removed by clean_surface, but raw text may still hold them).
_AR_LETTER = "\u0621-\u063A\u0641-\u064A\u0671-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC"
_AR_INNER = "\u064B-\u065F\u0670\u0640\u200C\u200D"
_LATIN_LETTER = "A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F"
_DIGIT = "0-9\u0660-\u0669\u06F0-\u06F9"

#: One word token: an Arabic letter run (marks allowed inside), a Latin word, or a number
#: (digits, with inner decimal/thousand separators: 2254, 3.5, 1,000, 15/5 is two numbers).
TOKEN_PATTERN = (
    f"[{_AR_LETTER}][{_AR_LETTER}{_AR_INNER}]*"
    f"|[{_LATIN_LETTER}]+(?:['’][{_LATIN_LETTER}]+)*"
    f"|[{_DIGIT}]+(?:[.,٫٬][{_DIGIT}]+)*"
)
_TOKEN_RE = re.compile(TOKEN_PATTERN)
#: the same, captured: ``split`` then gives separators and tokens alternately (their offsets in C)
_TOKEN_SPLIT_RE = re.compile(f"({TOKEN_PATTERN})")

#: Clause boundaries: sentence punctuation, commas, semicolons, colons, quotes, brackets,
#: dashes, newlines and ellipses.  "." and "," between two digits are not boundaries (3.5, 1,000);
#: an ASCII hyphen is a boundary only with space on both sides ("موسكو - واشنطن"), so 15-5-2019
#: and "Al-Thawra" stay whole; "'" between two Latin letters (don't, l'État) is not a boundary: a
#: word the tokenizer reads as one token is never split in two by a clause boundary.
CLAUSE_BOUNDARY_PATTERN = (
    r"[!?؟،؛;:\"“”„«»‹›()\[\]{}<>﴾﴿–—\n\r\u2028\u2029…]"
    r"|\.(?:\.+|(?!(?<=[0-9]\.)[0-9]))"          # . and ... but not 3.5
    r"|,(?!(?<=[0-9],)[0-9])"                      # , but not 1,000
    f"|'(?!(?<=[{_LATIN_LETTER}]')[{_LATIN_LETTER}])"  # ' but not don't, l'État (the tokenizer's letters)
    r"|\s-+(?=\s|$)|^-+\s"                         # a spaced hyphen: "موسكو - واشنطن"
)
_CLAUSE_RE = re.compile(CLAUSE_BOUNDARY_PATTERN, re.MULTILINE)
#: the same, captured (``split`` gives the texts and the boundaries alternately)
_CLAUSE_SPLIT_RE = re.compile(f"({CLAUSE_BOUNDARY_PATTERN})", re.MULTILINE)

_ARABIC_WORD_RE = re.compile(f"[{_AR_LETTER}]+")
_NUMBER_RE = re.compile(f"[{_DIGIT}]+(?:[.,٫٬][{_DIGIT}]+)*")
_LATIN_WORD_RE = re.compile(f"[{_LATIN_LETTER}]+(?:['’][{_LATIN_LETTER}]+)*")


# ---------------------------------------------------------------------------
# Characters
# ---------------------------------------------------------------------------

def clean_surface(text: str) -> str:
    """Remove what is never part of a word's spelling; keep hamza forms, ة and ى.

    Drops harakat, tanwin, shadda, sukun, dagger alef, tatweel, zero-width and bidi
    controls; maps Arabic-Indic/Persian digits to ASCII and NBSP to a space; applies
    NFKC only when presentation forms are present.  This is the display form.

    >>> clean_surface("سُورِيَّةُ الـمُتَّحِدَة ٢٠١٧")
    'سورية المتحدة 2017'
    >>> clean_surface("أمريكا\u200f")
    'أمريكا'
    """
    if PRESENTATION_FORMS.search(text):
        text = unicodedata.normalize("NFKC", text)
    # a regex visits only the characters to change (str.translate is slow on Arabic text)
    return _CLEAN_RE.sub(_clean_char, text)


def normalize(text: str) -> str:
    """The one normaliser: ``clean_surface`` + أ إ آ ٱ → ا (+ Latin lower case); ى and ة are kept.

    Used alike for article text, stop words, lexicons, gazetteer, aliases and
    search queries, so that they always match each other.

    >>> normalize("إلى الأمريكيّ مُصطفى علي")
    'الى الامريكي مصطفى علي'
    >>> normalize("SHARE")
    'share'
    """
    return normalize_letters(clean_surface(text))


def normalize_letters(clean_text: str) -> str:
    """The letter-only part of ``normalize``, for text already passed through ``clean_surface``.

    Length-preserving: offsets in the result are offsets in the input.

    >>> normalize_letters("الأمريكي")
    'الامريكي'
    """
    for src, dst in LETTER_VARIANTS.items():
        if src in clean_text:
            clean_text = clean_text.replace(src, dst)
    return _ASCII_UPPER.sub(_lower, clean_text)


def fold(key: str) -> str:
    """Fold taa marbuta into haa and alef maqsura into yaa; applied only to final grouping keys.

    >>> fold("المتحدة"), fold("مصطفى")
    ('المتحده', 'مصطفي')
    """
    return key.translate(_FOLD_TABLE)


# ---------------------------------------------------------------------------
# Clauses and tokens
# ---------------------------------------------------------------------------

def split_clauses(text: str) -> list[str]:
    """Split text into clauses at punctuation, quotes, brackets, dashes, newlines and ellipses.

    N-grams are built inside clauses only.  Empty and blank clauses are dropped.

    >>> split_clauses('وقال لافروف: "نحن واقعيون، وندرك ذلك".')
    ['وقال لافروف', 'نحن واقعيون', 'وندرك ذلك']
    """
    return [c.strip() for c in _CLAUSE_RE.split(text) if c and not c.isspace()]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) character offsets of the clauses of ``text`` (same rules as ``split_clauses``).

    >>> clause_spans("روسيا، سوريا")
    [(0, 5), (7, 12)]
    """
    spans, start = [], 0
    for m in _CLAUSE_RE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = max(start, m.end())
    if start < len(text):
        spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        stripped = seg.strip()
        if stripped:
            a2 = a + (len(seg) - len(seg.lstrip()))
            out.append((a2, a2 + len(stripped)))
    return out


def tokenize(text: str) -> list[str]:
    """Word tokens: Arabic letter runs (hamza forms included), Latin words, numbers.

    Punctuation is dropped; digits glued to letters become separate tokens.  A
    tatweel-joined proclitic written apart ("بـ" in بـ"النظر", "لـ" in لـ الأسد) stays a
    one-letter token ("ب", "ل") after cleaning: it is a stop word, so the grouping step
    removes it and no n-gram joins the words on either side of it.

    >>> tokenize(clean_surface('وتكليفهم بـ"النظر" في القرار 2254'))
    ['وتكليفهم', 'ب', 'النظر', 'في', 'القرار', '2254']
    """
    return _TOKEN_RE.findall(text)


def token_spans(text: str) -> list[tuple[str, int, int]]:
    """Tokens of (possibly raw, uncleaned) ``text`` with their character offsets.

    >>> token_spans("بموسكو، أمس")
    [('بموسكو', 0, 6), ('أمس', 8, 11)]
    """
    return [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def token_matches(text: str, count: int | None = None) -> list[re.Match]:
    """The match of every token of ``text`` (the tokens of :func:`tokenize`, in order), for their
    offsets: made in C, where :func:`token_spans` builds a tuple per token in Python.  With ``count``,
    only the first ``count`` tokens' (the text after them is not searched).

    >>> [m.span() for m in token_matches("بموسكو، أمس")]
    [(0, 6), (8, 11)]
    >>> [m.span() for m in token_matches("بموسكو، أمس", 1)]
    [(0, 6)]
    """
    if count is None:
        return list(_TOKEN_RE.finditer(text))
    return list(itertools.islice(_TOKEN_RE.finditer(text), max(0, count)))


def words(text: str) -> list[str]:
    """The normalised words of ``text`` in order: ``tokenize(normalize(text))``.

    >>> words("وقال لافروفُ: «إنَّ الأزمة»")
    ['وقال', 'لافروف', 'ان', 'الازمة']
    """
    return tokenize(normalize(text or ""))


def word_spans(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The words of :func:`words` with their character spans in the *original* ``text``.

    ``normalize`` only deletes characters (diacritics, tatweel, invisibles) and maps
    the others one to one, so each position of the normalised text is traced back
    to the original; a word's span also covers the diacritics written after its last
    letter.  (Texts with presentation forms, which NFKC changes, are tokenised
    word by word on the original instead.)

    >>> w, s, e = word_spans("قال: «إنَّ»")
    >>> w, "قال: «إنَّ»"[s[1]:e[1]]
    (['قال', 'ان'], 'إنَّ')
    """
    text = text or ""
    norm = normalize(text)
    if len(norm) == len(text) and not PRESENTATION_FORMS.search(text):  # nothing removed: same offsets
        return token_offsets(norm)
    found = _kept_positions(text, len(norm))
    if found is None:
        toks, starts, ends = [], [], []
        for tok, s, e in token_spans(text):
            for w in tokenize(normalize(tok)):
                toks.append(w), starts.append(s), ends.append(e)
        return toks, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64)
    toks, ns, ne = token_offsets(norm)
    if not toks:
        return [], np.empty(0, np.int64), np.empty(0, np.int64)
    return (toks, *_raw_spans(*found, ns, ne))


def _kept_positions(text: str, n_clean: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The code points of ``text`` and the positions of the ``n_clean`` characters ``clean_surface``
    keeps, or None when its offsets cannot be traced back that way (presentation forms: NFKC
    changes them)."""
    if PRESENTATION_FORMS.search(text):
        return None
    cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    kept = np.flatnonzero(~_IS_REMOVED[cps])
    return (cps, kept) if len(kept) == n_clean else None


def _raw_spans(cps: np.ndarray, kept: np.ndarray, ns: np.ndarray, ne: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Word spans ``[ns, ne)`` in the clean text as spans in the text of code points ``cps`` (``kept``:
    the positions of the clean text's characters in it); an end also covers the marks written right
    after the word."""
    starts = kept[ns]
    ends = kept[ne - 1] + 1
    # the first position at or after each end that holds no mark (or the end of the text)
    unmarked = np.flatnonzero(~_IS_MARK[cps])
    ends = np.append(unmarked, len(cps))[np.searchsorted(unmarked, ends)]
    return starts.astype(np.int64), ends.astype(np.int64)


def clean_word_spans(text: str, clean: str, surfaces: list[str], norms: list[str], cst: np.ndarray,
                     cen: np.ndarray) -> tuple[list[str], np.ndarray, np.ndarray] | None:
    """:func:`word_spans` of ``text`` from its words already found in ``clean = clean_surface(text)``
    (``surfaces``, at ``[cst, cen)``) and normalised (``norms``): the same words (``norms`` itself)
    and spans, without tokenising again; None in the rare case :func:`word_spans` tokenises word by
    word (presentation forms).

    >>> t = "قالَ: «إنَّ»"; c = clean_surface(t); w, s, e = token_offsets(c)
    >>> ws, st, en = clean_word_spans(t, c, w, [normalize_letters(x) for x in w], s, e)
    >>> ws, st.tolist(), en.tolist(), word_spans(t)[1].tolist(), word_spans(t)[2].tolist()
    (['قال', 'ان'], [0, 7], [4, 11], [0, 7], [4, 11])
    """
    if len(clean) == len(text) and not PRESENTATION_FORMS.search(text):
        return norms, cst, cen
    found = _kept_positions(text, len(clean))
    if found is None:
        return None
    if not norms:
        return [], np.empty(0, np.int64), np.empty(0, np.int64)
    return (norms, *_raw_spans(*found, cst, cen))


def token_offsets(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The tokens of ``text`` (:func:`tokenize`) with their start and end offsets in ``text``.

    >>> w, s, e = token_offsets("قال: «ان»")
    >>> w, s.tolist(), e.tolist()
    (['قال', 'ان'], [0, 6], [3, 8])
    """
    parts = _TOKEN_SPLIT_RE.split(text)        # separator, token, separator, …, separator
    toks = parts[1::2]
    if not toks:
        return [], np.empty(0, np.int64), np.empty(0, np.int64)
    bounds = np.cumsum(np.fromiter(map(len, parts), dtype=np.int64, count=len(parts)))
    return toks, bounds[0:-1:2], bounds[1::2]


# ---------------------------------------------------------------------------
# Token classes
# ---------------------------------------------------------------------------

def is_arabic(token: str) -> bool:
    """True when the token is made of Arabic letters only (after cleaning).

    >>> is_arabic("لافروف"), is_arabic("Lavrov"), is_arabic("2254")
    (True, False, False)
    """
    return _ARABIC_WORD_RE.fullmatch(token) is not None


def is_number(token: str) -> bool:
    """True for a number token (ASCII or Arabic-Indic digits).

    >>> is_number("2254"), is_number("٢٠١٩"), is_number("ستارت")
    (True, True, False)
    """
    return _NUMBER_RE.fullmatch(token) is not None


def is_latin(token: str) -> bool:
    """True for a Latin-script word.

    >>> is_latin("SHARE"), is_latin("سوريا")
    (True, False)
    """
    return _LATIN_WORD_RE.fullmatch(token) is not None


def has_definite_article(token: str) -> bool:
    """True when a normalized token starts with the article ال and has a stem after it.

    >>> has_definite_article("السورية"), has_definite_article("سورية"), has_definite_article("الا")
    (True, False, False)
    """
    return token.startswith("ال") and len(token) > 3
