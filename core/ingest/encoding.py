"""Turning the bytes of a file into text, or saying why that is impossible.

Order of decisions (each a small pure function):

1. a byte-order mark decides (UTF-8-sig, UTF-16 LE/BE, UTF-32);
2. a known binary signature (PNG, JPEG, PDF, ZIP, …) → :class:`NotText`;
3. strict UTF-8 that yields no control characters is accepted at once (fast path);
4. otherwise candidate decodings are *scored* and the most Arabic-looking one wins:
   BOM-less UTF-16 LE/BE (when the bytes look like 16-bit units), Windows-1256 and
   ISO-8859-6.  A blind cp1256 decode of ISO-8859-6 bytes never fails, it silently yields
   garbage: ISO's ل (0xE4) becomes ن, its و (0xE8) becomes è, its ي (0xEA) becomes ê.
   The score counts characters that are plausible in Arabic news, penalises words that
   mix Arabic letters with Latin-1 letters or symbols, and rewards real Arabic words
   (في, من, على, words starting with ال …);
5. NUL bytes that no UTF-16 reading explains → :class:`NotText`; a best candidate that still
   looks like noise → :class:`Undecodable`.

Streaming (big tables): :func:`detect_sample` takes the same decision on a file's leading bytes,
then :func:`decode_line` decodes each line in that encoding, falling back per line to the other
supported encodings (a Windows-1256 line inside a UTF-8 file loads); UTF-16/32
(:data:`WIDE_ENCODINGS`) are decoded with an incremental decoder instead.

>>> decode_bytes("قال لافروف في موسكو".encode("cp1256"))
('قال لافروف في موسكو', 'cp1256')
>>> decode_bytes("قال لافروف في موسكو".encode("iso8859_6"))
('قال لافروف في موسكو', 'iso8859_6')
"""
from __future__ import annotations

import math
import re

_BOMS = [  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
]
#: File signatures of formats that are never text (name, magic bytes at offset 0).
BINARY_SIGNATURES = [
    ("PNG image", b"\x89PNG\r\n\x1a\n"), ("JPEG image", b"\xff\xd8\xff"), ("GIF image", b"GIF8"),
    ("PDF document", b"%PDF-"), ("ZIP archive (or .docx/.xlsx)", b"PK\x03\x04"),
    ("gzip archive", b"\x1f\x8b"), ("ELF executable", b"\x7fELF"), ("Office 97-2003 document", b"\xd0\xcf\x11\xe0"),
    ("RAR archive", b"Rar!\x1a\x07"), ("7-Zip archive", b"7z\xbc\xaf\x27\x1c"), ("Parquet file", b"PAR1"),
    ("SQLite database", b"SQLite format 3\x00"), ("WebP/WAV (RIFF) media", b"RIFF"), ("Ogg media", b"OggS"),
    ("MP3 audio", b"ID3"), ("ICO image", b"\x00\x00\x01\x00"), ("bzip2 archive", b"BZh"),
    ("xz archive", b"\xfd7zXZ\x00"), ("Windows executable", b"MZ\x90\x00"),
]
SINGLE_BYTE_CANDIDATES = ("cp1256", "iso8859_6")

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Characters that are ordinary in Arabic (or mixed Arabic/Latin) news text.
_PLAUSIBLE = re.compile(
    "[\t\n\r\f\v\x20-\x7e"
    "\u0600-\u06ff"            # Arabic block: letters, harakat, digits, ، ؛ ؟ …
    "\u00a0\u00ab\u00bb\u00b0\u00b7\u00d7"  # NBSP « » ° · ×
    "\u2010-\u201f\u2022\u2026\u2039\u203a"  # dashes, quotes, bullet, ellipsis, ‹ ›
    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff"  # zero-width and bidi marks
    "\u00c0-\u00ff"            # Latin-1 letters: plausible on their own (French names) …
    "]")
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_TOKEN = re.compile(r"\S+")
#: … but a word mixing Arabic letters with Latin-1 letters is a decoding artefact (cp1256 maps
#: ISO-8859-6's و ي ه ى ق to è ê ç é â).
_LATIN1_LETTER = "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0192\u02c6"
_MIXED_TOKEN = re.compile(f"[\u0621-\u064a][^\\s]*[{_LATIN1_LETTER}]|[{_LATIN1_LETTER}][^\\s]*[\u0621-\u064a]")
#: Harakat after a space or at a line start, and tanwin inside a word (tanwin ends a word):
#: typical of cp1256 bytes read as ISO-8859-6 (cp1256 ي/ى are ISO's kasratan/dammatan).
_STRAY_MARK = re.compile("(?:^|(?<=\\s))[\u064b-\u0652]|[\u064c\u064d][\u0621-\u064a]", re.MULTILINE)

#: Letter frequencies of Arabic news (per mille, measured on 5,000 ant_multisource articles).
#: The right decoding of a text gives its letters a higher likelihood than a wrong one
#: (cp1256 reads ISO's ل as ن and its م as ه; ISO reads cp1256's ل as ف).
LETTER_FREQUENCY = {
    "ا": 148.1, "ل": 112.6, "ي": 81.0, "م": 62.1, "و": 53.8, "ن": 52.4, "ر": 50.0, "ت": 47.5, "ب": 35.9,
    "ع": 31.5, "د": 31.3, "ة": 30.9, "ف": 26.3, "س": 26.0, "ق": 22.9, "ه": 21.4, "أ": 21.4, "ك": 18.9,
    "ح": 17.4, "ج": 13.1, "إ": 10.0, "ش": 9.6, "ط": 9.0, "ص": 9.0, "ى": 8.5, "خ": 8.1, "ض": 6.7,
    "ز": 6.4, "ث": 5.6, "ذ": 5.6, "ئ": 4.5, "غ": 4.5, "ء": 3.4, "ظ": 2.1, "ؤ": 1.1, "آ": 1.0,
}
_LOGP = {ch: math.log(f / 1000) for ch, f in LETTER_FREQUENCY.items()}
_LOGP_OTHER = math.log(0.3 / 1000)  # tatweel, harakat, anything else in the Arabic block

_SAMPLE = 200_000  # characters scored per candidate (enough to decide, cheap on big files)


class DecodeFailure(Exception):
    """Base class: the bytes cannot be used as text.  ``reason`` is the Problem reason."""

    reason = "undecodable"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


class NotText(DecodeFailure):
    """The bytes are a binary format (image, archive, executable …), not text."""

    reason = "not-text"


class Undecodable(DecodeFailure):
    """The bytes look like text but no supported encoding gives readable text."""

    reason = "undecodable"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """``(text, encoding)`` for the bytes of one text file; raises :class:`DecodeFailure`.

    A BOM is removed from the text.  Line breaks are left exactly as they were.

    >>> decode_bytes("\\ufeffسوريا".encode("utf-8"))
    ('سوريا', 'utf-8-sig')
    >>> decode_bytes("سوريا والعراق".encode("utf-16-le"))
    ('سوريا والعراق', 'utf-16-le')
    """
    if not data:
        return "", "empty"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_bom(data[len(bom):], codec)
    kind = binary_signature(data)
    if kind:
        raise NotText(f"the file is a {kind}, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _too_many_controls(text):
        return text, "utf-8"
    return _best_candidate(data, utf8_ok=text is not None)


def binary_signature(data: bytes) -> str | None:
    """The name of a binary format whose signature starts ``data``, else None."""
    for name, magic in BINARY_SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def _decode_with_bom(body: bytes, codec: str) -> tuple[str, str]:
    label = "utf-8-sig" if codec == "utf-8" else codec
    try:
        return body.decode(codec), label
    except UnicodeDecodeError as exc:
        raise Undecodable(f"starts with a {codec} byte-order mark but byte {exc.start + len(_bom_of(codec))} "
                          f"is not valid {codec}") from exc


def _bom_of(codec: str) -> bytes:
    return next(b for b, c in _BOMS if c == codec)


def _too_many_controls(text: str) -> bool:
    end = min(len(text), _SAMPLE)  # (pos/endpos instead of a slice: no copy of a big text)
    if not _CONTROL.search(text, 0, end):
        return False
    return len(_CONTROL.findall(text, 0, end)) > max(2, end // 1000)


def _best_candidate(data: bytes, utf8_ok: bool) -> tuple[str, str]:
    candidates: list[tuple[str, str]] = []
    has_nul = b"\x00" in data[:_SAMPLE * 2]
    codecs = ("utf-16-le", "utf-16-be") if len(data) % 2 == 0 and (has_nul or utf8_ok) else ()
    if not has_nul:
        codecs += SINGLE_BYTE_CANDIDATES
    for codec in codecs:
        text = _try(data, codec)
        if text is not None:
            candidates.append((codec, text))
    scored = [(plausibility(text), letter_likelihood(text), codec, text) for codec, text in candidates]
    readable = [c for c in scored if c[0] >= READABLE]
    if readable:
        # Most likely letters first; on a tie the order of ``codecs`` (cp1256 before ISO) decides.
        best = max(readable, key=lambda c: (round(c[1], 2), -codecs.index(c[2])))
        return best[3], best[2]
    if has_nul or utf8_ok:
        raise NotText("binary content (NUL or control bytes) that no UTF-16 reading explains")
    tried = ", ".join(f"{c} {p:.2f}" for p, _, c, _ in scored) or "none decodes"
    raise Undecodable(f"not UTF-8, and no candidate encoding gives readable Arabic text ({tried})")


#: Encodings whose lines cannot be split on the byte b"\n" (decode them incrementally).
WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
READABLE = 0.85  # plausibility from which a decoding counts as readable text


def bom_length(data: bytes) -> int:
    """Length of the byte-order mark that starts ``data`` (0 when there is none).

    >>> bom_length(b"\\xef\\xbb\\xbfabc"), bom_length(b"\\xff\\xfe\\x00\\x00"), bom_length(b"abc")
    (3, 4, 0)
    """
    return next((len(bom) for bom, _codec in _BOMS if data.startswith(bom)), 0)


def detect_sample(sample: bytes, complete: bool = True) -> tuple[str, str]:
    """``(encoding, text)`` for the leading bytes of a file, decided as :func:`decode_bytes` decides.

    ``complete=False`` says more bytes follow: a character cut by the end of the sample is left
    out before deciding.  Unlike :func:`decode_bytes`, a sample whose non-ASCII lines are mostly
    valid UTF-8 is UTF-8 even when some lines are not (those lines fall back on their own).
    Raises :class:`DecodeFailure` like :func:`decode_bytes`.

    >>> data = "قال لافروف".encode("utf-8")
    >>> detect_sample(data[:5], complete=False)   # the 3rd letter is cut in the middle
    ('utf-8', 'قا')
    """
    if not complete:
        sample = _whole_characters(sample)
    try:
        text, encoding = decode_bytes(sample)
    except Undecodable:
        if not _mostly_utf8(sample):
            raise
        return "utf-8", sample.decode("utf-8", "replace")
    if encoding in SINGLE_BYTE_CANDIDATES and _mostly_utf8(sample):
        return "utf-8", sample.decode("utf-8", "replace")
    return encoding, text


def _mostly_utf8(sample: bytes) -> bool:
    """More of the non-ASCII lines are valid UTF-8 than not: a UTF-8 file with some lines in
    another encoding (each line is then decoded on its own, see :func:`decode_line`)."""
    good = bad = 0
    for line in sample.split(b"\n"):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            good += 1
        except UnicodeDecodeError:
            bad += 1
    return good > bad


def _whole_characters(sample: bytes) -> bytes:
    """``sample`` without a character cut at its end (UTF-8 sequence, 16/32-bit unit, surrogate)."""
    bom = bom_length(sample)
    codec = next((c for b, c in _BOMS if len(b) == bom and sample.startswith(b)), "") if bom else ""
    if codec.startswith("utf-32"):
        return sample[:len(sample) - len(sample) % 4]
    if codec.startswith("utf-16") or (not codec and b"\x00" in sample):
        sample = sample[:len(sample) - len(sample) % 2]
        last = sample[-2:]
        if len(last) == 2 and (0xD8 <= last[1] <= 0xDB or 0xD8 <= last[0] <= 0xDB):  # a high surrogate (LE or BE)
            sample = sample[:-2]
        return sample
    for back in range(1, min(4, len(sample)) + 1):  # UTF-8: drop an incomplete trailing sequence
        byte = sample[-back]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            if (2 if byte < 0xE0 else 3 if byte < 0xF0 else 4) > back:
                sample = sample[:-back]
            break
    return sample


def decode_line(raw: bytes, encoding: str) -> tuple[str, str]:
    """``(text, encoding used)`` for one line of a file whose encoding (from :func:`detect_sample`)
    is ``encoding``, a byte-oriented one (UTF-8 or a single-byte code page).

    A line that is not valid in ``encoding`` is decoded in whichever other supported encoding
    gives readable, most Arabic-looking text; a line that is valid multi-byte UTF-8 in a
    single-byte file is UTF-8 (Arabic Windows-1256/ISO-8859-6 text is never valid UTF-8).
    Raises :class:`Undecodable` when no encoding gives readable text.

    >>> decode_line("سوريا\\n".encode("cp1256"), "utf-8")
    ('سوريا\\n', 'cp1256')
    """
    primary = "utf-8" if encoding == "utf-8-sig" else encoding
    if primary in WIDE_ENCODINGS:
        raise ValueError(f"decode_line() is for byte-oriented encodings, not {primary}")
    if raw.isascii():
        return raw.decode("ascii"), primary
    if primary != "utf-8":
        text = _try(raw, "utf-8")
        if text is not None:
            return text, "utf-8"
    text = _try(raw, primary)
    if text is not None:
        return text, primary
    order = [c for c in SINGLE_BYTE_CANDIDATES if c != primary]
    scored = []
    for codec in order:
        text = _try(raw, codec)
        if text is not None:
            scored.append((plausibility(text), letter_likelihood(text), codec, text))
    readable = [c for c in scored if c[0] >= READABLE]
    if readable:
        best = max(readable, key=lambda c: (round(c[1], 2), -order.index(c[2])))
        return best[3], best[2]
    tried = ", ".join(f"{c} {p:.2f}" for p, _, c, _ in scored) or "none decodes"
    raise Undecodable(f"not {primary}, and no other supported encoding gives readable text ({tried})")


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def plausibility(text: str) -> float:
    """Share of ``text`` that looks like real text, 0..1; ≥ 0.85 counts as readable.

    share of plausible characters − share of words mixing Arabic and Latin-1 letters
    − share of stray harakat (a mark after a space, tanwin inside a word).

    >>> raw = "قال الوزير إن الاجتماع في موسكو كان مفيدا".encode("iso8859_6")
    >>> plausibility(raw.decode("iso8859_6")) > 0.85 > plausibility(raw.decode("cp1256"))
    True
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    plausible = len(_PLAUSIBLE.findall(sample)) / len(sample)
    tokens = _TOKEN.findall(sample)
    if not tokens:
        return plausible
    mixed = sum(1 for t in tokens if _MIXED_TOKEN.search(t)) / len(tokens)
    stray = len(_STRAY_MARK.findall(sample)) / len(tokens)
    return plausible - mixed - stray


def letter_likelihood(text: str) -> float:
    """Mean log-probability of the Arabic-block characters of ``text`` under Arabic letter frequencies.

    0.0 when the text has no Arabic characters (nothing to compare).

    >>> raw = "أعلنت إدارة النادي".encode("iso8859_6")
    >>> letter_likelihood(raw.decode("iso8859_6")) > letter_likelihood(raw.decode("cp1256"))
    True
    """
    chars = [ch for ch in text[:_SAMPLE] if "\u0600" <= ch <= "\u06ff"]
    if not chars:
        return 0.0
    return sum(_LOGP.get(ch, _LOGP_OTHER) for ch in chars) / len(chars)
