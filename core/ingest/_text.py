"""Small string helpers shared by the ingestion modules (pure functions, no state).

They only tidy *layout* (spaces, invisible marks, line breaks) and build matching
keys; spelling is never changed in the text handed to the store.
"""
from __future__ import annotations

import html
import re
import unicodedata

from core.arabic import DIGITS, FOLD, INVISIBLES, LETTER_VARIANTS, SPACES, normalize

#: Spaces that look like a space (NBSP, thin spaces …) → " "; zero-width and bidi marks
#: (ZWSP, ZWNJ, ZWJ, LRM, RLM, embeddings, isolates, BOM, ALM, soft hyphen) → removed.
_LAYOUT_TABLE = str.maketrans({**{c: None for c in INVISIBLES}, **SPACES, "\u2000": " ", "\u2001": " ",
                               "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ",
                               "\u2006": " ", "\u2008": " ", "\u205F": " ", "\t": " ",
                               "\v": " ", "\f": " "})
_LAYOUT_ODD = re.compile("[%s]" % re.escape("".join(chr(c) for c in _LAYOUT_TABLE)))
_SPACE_RUN = re.compile(r" {2,}")
_NON_KEY = re.compile(r"[\W_]+")
_DIGITS_TABLE = str.maketrans(DIGITS)
#: Length-preserving letter folding used only for *matching* (months, labels):
#: أ إ آ ٱ → ا, ى → ي, ة → ه, Arabic-Indic digits → ASCII.  (str.replace per pair is ~20×
#: faster than str.translate with a dict on Arabic text.)
_MATCH_FOLD_PAIRS = [*LETTER_VARIANTS.items(), *FOLD.items()]
_OTHER_DIGIT = re.compile("[%s]" % "".join(DIGITS))
_NOT_BLANK = re.compile("[^\\s%s]" % "".join(INVISIBLES + list(SPACES)))


def tidy_line(line: str) -> str:
    """One line with layout oddities fixed: NBSP → space, ZWSP/RLM removed, runs of spaces collapsed.

    >>> tidy_line("\\u200fوقررت روسيا\\u00a0 منذ ايام ")
    'وقررت روسيا منذ ايام'
    """
    if _LAYOUT_ODD.search(line):  # translate() is slow on Arabic text: only when needed
        line = line.translate(_LAYOUT_TABLE)
    if "  " in line:
        line = _SPACE_RUN.sub(" ", line)
    return line.strip()


#: Characters that print as nothing although Unicode counts them as letters or symbols (Hangul
#: fillers, the braille blank, the combining grapheme joiner): a name made of them looks blank.
NAME_FILLERS = frozenset("\u034f\u115f\u1160\u3164\uffa0\u2800")
#: Control characters that separate words (tab, line breaks, separators): a space in a name.
_NAME_BREAKS = frozenset("\t\n\v\f\r\x1c\x1d\x1e\x1f\x85")


def clean_name(value: str) -> str:
    """An outlet name, title or id as shown: no bidi controls, no invisible or control characters,
    one space between words.

    Removed: :data:`core.arabic.INVISIBLES` (zero-width characters, LRM/RLM/ALM, embeddings,
    overrides and isolates, BOM, soft hyphen) and every other format (Cf) or control (Cc)
    character, lone surrogates and :data:`NAME_FILLERS`.  ZWNJ/ZWJ go too: in a name they only
    hide a difference.  Spaces of any width and line breaks become one space.  Combining marks
    (harakat) stay.  "" when nothing visible is left.

    >>> clean_name("evil\\u202etxt.exe")
    'eviltxt.exe'
    >>> clean_name("  سكاي\\u00a0نيوز\\u200c\\nعربية ")
    'سكاي نيوز عربية'
    >>> clean_name("\\u200b\\u200c\\u2067\\u3164")
    ''
    """
    s = str(value)
    if not s.isprintable() or not NAME_FILLERS.isdisjoint(s):  # isprintable: C speed, the common case
        s = "".join(" " if ch in _NAME_BREAKS else _name_char(ch) for ch in s)
    s = " ".join(s.split())
    if s and not any(unicodedata.category(ch)[0] in "LNPS" for ch in s):  # e.g. only harakat
        return ""
    return s


def _name_char(ch: str) -> str:
    if ch in NAME_FILLERS:
        return ""
    cat = unicodedata.category(ch)
    if cat in ("Cf", "Cc", "Cs"):
        return ""
    if cat[0] == "Z":  # NBSP, thin spaces, U+2028/2029
        return " "
    return ch


def split_lines(text: str) -> list[str]:
    """Split on line breaks only (\\n, \\r\\n, \\r), never on U+2028 & co. inside a paragraph."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def is_blank(text: str) -> bool:
    """True when nothing but spaces, NBSP and invisible marks is left.

    >>> is_blank("\\u00a0\\u200b \\n")
    True
    """
    return _NOT_BLANK.search(text) is None


def to_ascii_digits(text: str) -> str:
    """Arabic-Indic and Persian digits → ASCII (١٥-٥-٢٠١٩ → 15-5-2019)."""
    return text.translate(_DIGITS_TABLE) if _OTHER_DIGIT.search(text) else text


def match_fold(text: str) -> str:
    """Length-preserving folding for pattern matching: "إبريل" and "ابريل" look the same.

    >>> match_fold("أيار ١٥")
    'ايار 15'
    """
    for src, dst in _MATCH_FOLD_PAIRS:
        if src in text:
            text = text.replace(src, dst)
    return to_ascii_digits(text)


def name_key(name: str) -> str:
    """The key two spellings of one name share: project normaliser, ة → ه, no spaces or punctuation.

    >>> name_key("فرانس 24") == name_key("فرانس٢٤") == name_key("فرانس24")
    True
    >>> name_key("Sky News Arabia")
    'skynewsarabia'
    >>> name_key("أ ف ب") == name_key("ا.ف.ب")
    True
    """
    return _NON_KEY.sub("", normalize(name).casefold().replace("ة", "ه"))


_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_entities(text: str) -> str:
    """HTML character references decoded (scraped pages often keep them): ``&#39;`` → ', ``&quot;`` → ",
    ``&#65271;`` → ﻷ.  Text without a reference is returned as is.

    >>> decode_entities("قال &quot;نعم&quot; &amp; مضى")
    'قال "نعم" & مضى'
    >>> decode_entities("AT&T")
    'AT&T'
    """
    if "&" not in text or not _ENTITY.search(text):
        return text
    return html.unescape(text)
