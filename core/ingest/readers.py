"""Finding input files and turning each into raw records (or Problems).

Supported inputs (by file name, case-insensitive; folders are walked recursively, in name order):

===================  ==========================================================================
``*.txt``            one article per file; id = file name without extension
``*.csv`` ``*.tsv``  one article per row; delimiter sniffed for .csv (, ; tab |)
``*.jsonl``          JSON Lines (also ``*.ndjson``); a broken line is reported, the others load
``*.json``           an array of objects, ``{"articles": [...]}``, or an object keyed by id
``*.parquet``        one article per row
``*.gz``             any of the above gzipped (``x.jsonl.gz``, ``x.csv.gz`` …)
``*.zip``            members processed by extension; ``source_file`` = "archive.zip:dir/x.txt"
``metadata.*``       a sidecar (csv/tsv/json/jsonl) describing the .txt files of its folder
===================  ==========================================================================

Dot files, ``__MACOSX/`` and README/Markdown files are skipped silently; any other file is
reported as "unsupported-format".  Table columns are recognised by usual names
(:data:`FIELD_SYNONYMS`, case-insensitive, Arabic names too); an explicit mapping wins.

Streaming (:func:`iter_records`): JSON Lines and CSV/TSV (plain, gzipped or in a zip) are read
line by line from a stream, Parquet by record batch; memory follows a batch, not the file.  The
encoding is decided on the first :data:`SAMPLE_BYTES` and lines that do not decode in it fall back
to the other supported encodings one line at a time (:func:`core.ingest.encoding.decode_line`).
JSON arrays are parsed whole, up to :data:`MAX_JSON_BYTES`.  Decompression stops at
:data:`MAX_DECOMPRESSED` bytes or at a ratio above :data:`MAX_RATIO` beyond the first
:data:`RATIO_GRACE` bytes ("bad-archive"); zip members with absolute or ``..`` paths, symbolic
links and devices are reported ("unsafe-member") and never read.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import os
import re
import shutil
import stat
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Callable, Iterable, Iterator

from core.model import Problem
from core.resources import COLUMNS_FILE, DEFAULT_DIR, load_word_lists

from .dates import is_empty_value
from .encoding import WIDE_ENCODINGS, DecodeFailure, Undecodable, bom_length, decode_bytes, decode_line, detect_sample

TEXT_EXTS = (".txt", ".text")
TABLE_EXTS = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
SIDECAR_STEMS = ("metadata",)
IGNORED_NAMES = re.compile(r"^(readme|license|licence|changelog)([._-].*)?$|\.(md|markdown)$|^(thumbs\.db|desktop\.ini)$",
                           re.IGNORECASE)
MAX_ZIP_DEPTH = 3

MiB = 1 << 20
#: Decompression caps (gzip files and zip members): the most bytes one may expand to, and the
#: largest expansion ratio allowed once more than ``RATIO_GRACE`` bytes have come out.
MAX_DECOMPRESSED = 8 << 30
MAX_RATIO = 200
RATIO_GRACE = 64 * MiB
#: JSON arrays are parsed whole; bigger ones are refused (JSON Lines streams instead).
MAX_JSON_BYTES = 512 * MiB
#: Leading bytes on which a streamed file's encoding is decided (the scoring of
#: :func:`core.ingest.encoding.decode_bytes` looks at 200,000 characters; later lines that do not
#: decode fall back one by one).
SAMPLE_BYTES = 256 * 1024
MAX_BLANK_START = 64 * MiB  # a file starting with more blank space than this is not read
#: A line longer than this is reported ("bad-row") and skipped.
MAX_LINE_BYTES = 64 * MiB
#: A CSV quoted field still open after this many lines / characters is taken for an unclosed quote.
MAX_QUOTED_LINES = 20_000
MAX_QUOTED_CHARS = 32 * MiB
#: JSON Lines rows (at most, and characters) read before the column mapping is decided
#: (columns seen later still count for the rows after them).
COLUMN_WINDOW_ROWS = 1000
COLUMN_WINDOW_CHARS = 256 * 1024
PARQUET_BATCH_ROWS = 1024


def norm_column(name: object) -> str:
    """Column name as compared: "Published At" → "published_at", "\\ufeffText" → "text"."""
    return re.sub(r"[\s\-]+", "_", str(name).replace("\ufeff", "").strip().casefold())


#: The article fields a table column can hold.
FIELDS = ("text", "title", "outlet", "outlet_en", "date", "url", "id", "category")
#: Column names recognised for each field, in order of preference (``core/resources/columns.yaml``;
#: compared after :func:`norm_column`, lower-cased with spaces/hyphens as "_").  ``mapping={"text":
#: "my_body"}`` wins.
FIELD_SYNONYMS: dict[str, list[str]] = {
    fld: [norm_column(n) for n in names]
    for fld, names in load_word_lists(DEFAULT_DIR / COLUMNS_FILE, FIELDS, exclusive=norm_column).items()}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


@dataclass
class InputFile:
    """One file to read: display name, sidecar scope (its folder), a reader for its bytes, its kind."""

    name: str
    scope: str
    read: Callable[[], bytes]
    kind: str  # "txt" | "table" | "zip" | "sidecar" | "unsupported"
    depth: int = 0
    base: str = ""  # the file's own name ("x.txt"), also for a zip member "a.zip:dir/x.txt"
    #: Opens the stored bytes as a binary stream (read by the streaming readers); when None,
    #: ``read()`` is called and its bytes are wrapped.
    opener: Callable[[], BinaryIO] | None = None


@dataclass
class RawRecord:
    """One article as read, before cleaning and metadata decisions."""

    source_file: str
    source_row: int | None
    id: str
    text: str
    kind: str                                   # "txt" or "table"
    fields: dict[str, object] = field(default_factory=dict)   # stated values (table columns)
    keys: tuple[str, ...] = ()                  # names a sidecar may use for it
    scope: str = ""
    default_id: str = ""                        # the id when the record states none (or only invisible marks)


# --- naming ---------------------------------------------------------------------------------------

def split_ext(name: str) -> tuple[str, str]:
    """``("stem", ".ext")`` where ext may be double: "a.jsonl.gz" → ("a", ".jsonl.gz").

    >>> split_ext("ant_multisource_v2.1.jsonl.gz")
    ('ant_multisource_v2.1', '.jsonl.gz')
    >>> split_ext("000_058533779b74fd40.txt")
    ('000_058533779b74fd40', '.txt')
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    lower = base.lower()
    if lower.endswith(".gz"):
        inner_stem, inner_ext = split_ext(base[:-3])
        return (inner_stem, inner_ext + base[-3:]) if inner_ext else (base[:-3], base[-3:])
    dot = base.rfind(".")
    return (base[:dot], base[dot:]) if dot > 0 else (base, "")


def classify(name: str) -> str | None:
    """The kind of a file from its name, or None for files skipped silently.

    >>> [classify(n) for n in ("a.TXT", "b.jsonl.gz", "metadata.csv", "README.md", ".DS_Store", "x.docx")]
    ['txt', 'table', 'sidecar', None, None, 'unsupported']
    """
    base = PurePosixPath(name.replace("\\", "/")).name
    if not base or base.startswith(".") or IGNORED_NAMES.search(base):
        return None
    stem, ext = split_ext(base)
    ext = ext.lower()
    plain = ext[:-3] if ext.endswith(".gz") else ext
    if ext == ".zip":
        return "zip"
    if plain in TABLE_EXTS and stem.lower() in SIDECAR_STEMS:
        return "sidecar"
    if plain in TEXT_EXTS:
        return "txt"
    if plain in TABLE_EXTS:
        return "table"
    return "unsupported"


# --- discovery ------------------------------------------------------------------------------------

def discover(paths: list[str | Path]) -> tuple[list[InputFile], list[Problem]]:
    """Expand files, folders (recursively) and zip archives into :class:`InputFile` s."""
    files: list[InputFile] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for sub in _walk(path):
                _add_file(files, problems, str(sub), str(sub.parent), _path_reader(sub), explicit=False,
                          opener=_path_opener(sub))
        elif path.is_file():
            _add_file(files, problems, str(path), str(path.parent), _path_reader(path), explicit=True,
                      opener=_path_opener(path))
        else:
            problems.append(Problem(str(path), None, "missing", "no such file or folder"))
    return files, problems


def discover_bytes(name: str, data: bytes) -> tuple[list[InputFile], list[Problem]]:
    """Like :func:`discover` for one uploaded file held in memory."""
    files: list[InputFile] = []
    problems: list[Problem] = []
    _add_file(files, problems, name, "", lambda: data, explicit=True, opener=lambda: io.BytesIO(data))
    return files, problems


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _path_reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _path_opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: open(path, "rb")


def _add_file(files: list[InputFile], problems: list[Problem], name: str, scope: str,
              read: Callable[[], bytes], explicit: bool, depth: int = 0, base: str = "",
              opener: Callable[[], BinaryIO] | None = None) -> None:
    base = base or PurePosixPath(name.replace("\\", "/")).name
    kind = classify(base)
    if kind is None:
        if explicit and not PurePosixPath(name).name.startswith("."):
            problems.append(Problem(name, None, "unsupported-format", "README/Markdown files are not articles"))
        return
    if kind == "zip":
        _expand_zip(files, problems, name, read, depth, opener)
        return
    if kind == "unsupported":
        problems.append(Problem(name, None, "unsupported-format",
                                f"'{split_ext(name)[1] or 'no extension'}' is not a supported format "
                                "(txt, csv, tsv, jsonl, json, parquet, gz, zip)"))
        return
    files.append(InputFile(name, scope, read, kind, depth, base, opener))


def _expand_zip(files: list[InputFile], problems: list[Problem], name: str,
                read: Callable[[], bytes], depth: int, opener: Callable[[], BinaryIO] | None = None) -> None:
    if depth >= MAX_ZIP_DEPTH:
        problems.append(Problem(name, None, "bad-archive", f"archives nested deeper than {MAX_ZIP_DEPTH} levels"))
        return
    try:
        source = _seekable_source(name, read, opener)
    except ReadFailure as exc:
        problems.append(Problem(name, None, exc.reason, exc.detail))
        return
    try:  # the archive (and its file) stays open while its members are read
        archive = zipfile.ZipFile(source)
        members = sorted(archive.infolist(), key=lambda m: m.filename)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        source.close()
        problems.append(Problem(name, None, "bad-archive", f"not a readable zip archive: {exc}"))
        return
    for info in members:
        if info.is_dir():
            continue
        member = f"{name}:{info.filename}"
        unsafe = unsafe_member(info)
        if unsafe:
            problems.append(Problem(member, None, "unsafe-member", f"zip member is {unsafe}; not read"))
            continue
        parts = PurePosixPath(info.filename).parts
        if not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            continue
        scope = f"{name}:{PurePosixPath(info.filename).parent}"
        open_member = _member_opener(archive, info)
        _add_file(files, problems, member, scope, _member_reader(open_member),
                  explicit=False, depth=depth + 1, base=parts[-1], opener=open_member)


def unsafe_member(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be read (absolute path, "..", symbolic link, device), else None.

    >>> unsafe_member(zipfile.ZipInfo("../etc/passwd")), unsafe_member(zipfile.ZipInfo("corpus/a.txt"))
    ("a path containing '..' (../etc/passwd)", None)
    """
    name = info.filename
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return f"an absolute path ({name})"
    if ".." in re.split(r"[/\\]", name):
        return f"a path containing '..' ({name})"
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        return f"a symbolic link ({name})"
    if mode and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)):
        return f"a device or special file ({name})"
    return None


def _seekable_source(name: str, read: Callable[[], bytes], opener: Callable[[], BinaryIO] | None) -> BinaryIO:
    """A seekable stream of an archive's bytes: the file itself, or (a member of another archive)
    a temporary copy that spills to disk, so a nested archive is never held whole in memory."""
    if opener is None:
        return io.BytesIO(read())
    try:
        source = opener()
    except ReadFailure:
        raise
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError) as exc:
        raise ReadFailure("unreadable", f"cannot be read: {exc}") from exc
    if source.seekable():
        return source
    spool = tempfile.SpooledTemporaryFile(max_size=16 * MiB)
    with source:
        shutil.copyfileobj(source, spool, MiB)
    spool.seek(0)
    return spool


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], BinaryIO]:
    def open_member() -> BinaryIO:
        _check_declared(info)
        return _Checked(archive.open(info), "unreadable", "cannot be read", "the zip member",
                        compressed=lambda: info.compress_size)
    return open_member


def _member_reader(open_member: Callable[[], BinaryIO]) -> Callable[[], bytes]:
    def read() -> bytes:
        with open_member() as stream:
            return stream.read()
    return read


# --- streams --------------------------------------------------------------------------------------

class ReadFailure(Exception):
    """A whole file cannot be used; carries the Problem reason and detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def _size(n: int) -> str:
    """ "8 GiB", "64 MiB", "1.5 KiB", "200 bytes"."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.4g} {unit}"
    return f"{n} bytes"


def _check_caps(produced: int, compressed: int, what: str) -> None:
    if produced > MAX_DECOMPRESSED:
        raise ReadFailure("bad-archive", f"{what} decompresses to more than {_size(MAX_DECOMPRESSED)} "
                                         "(the MAX_DECOMPRESSED cap); the rest is not read")
    if produced > RATIO_GRACE and produced > MAX_RATIO * max(compressed, 1):
        raise ReadFailure("bad-archive", f"{what} expands more than {MAX_RATIO}:1 beyond its first "
                                         f"{_size(RATIO_GRACE)} (the MAX_RATIO cap; {_size(compressed)} became "
                                         f"over {_size(produced)}): a decompression bomb?; the rest is not read")


def _check_declared(info: zipfile.ZipInfo) -> None:
    """The caps applied to the sizes a zip member declares (its actual output is checked too)."""
    what = "the zip member"
    if info.file_size > MAX_DECOMPRESSED:
        raise ReadFailure("bad-archive", f"{what} declares {_size(info.file_size)} uncompressed, more than "
                                         f"{_size(MAX_DECOMPRESSED)} (the MAX_DECOMPRESSED cap); not read")
    if info.file_size > RATIO_GRACE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ReadFailure("bad-archive", f"{what} declares {_size(info.compress_size)} compressed → "
                                         f"{_size(info.file_size)} uncompressed, more than {MAX_RATIO}:1 "
                                         "(the MAX_RATIO cap): a decompression bomb?; not read")


_READ_ERRORS = (OSError, EOFError, ValueError, RuntimeError, NotImplementedError, zlib.error, zipfile.BadZipFile)


class _Checked(io.RawIOBase):
    """A raw binary stream over ``inner`` whose read errors become :class:`ReadFailure` (reason,
    detail prefix); with ``compressed`` (bytes of input consumed so far) it is a decompressing
    stream and stops at the caps."""

    def __init__(self, inner, reason: str, prefix: str, what: str = "",
                 compressed: Callable[[], int] | None = None, also_close=()):
        super().__init__()
        self._inner, self._reason, self._prefix, self._what = inner, reason, prefix, what
        self._compressed, self._also_close = compressed, tuple(also_close)
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            n = self._inner.readinto(buffer)
        except ReadFailure:
            raise
        except _READ_ERRORS as exc:
            raise ReadFailure(self._reason, f"{self._prefix}: {exc}") from exc
        n = n or 0
        if n and self._compressed is not None:
            self.produced += n
            _check_caps(self.produced, self._compressed(), self._what)
        return n

    def readall(self) -> bytes:
        chunks = []
        while chunk := self.read(MiB):
            chunks.append(chunk)
        return b"".join(chunks)

    def close(self) -> None:
        if not self.closed:
            for stream in (self._inner, *self._also_close):
                try:
                    stream.close()
                except Exception:  # closing a damaged stream may raise again; nothing to report
                    pass
        super().close()


class _Counted:
    """A file-like reader that counts the bytes read through it (the compressed side of a gzip)."""

    def __init__(self, inner):
        self._inner, self.count = inner, 0

    def read(self, n: int = -1) -> bytes:
        data = self._inner.read(n)
        self.count += len(data)
        return data


def _open_stored(item: InputFile) -> _Checked:
    """The stored bytes of a file as a raw stream (raises :class:`ReadFailure` "unreadable")."""
    try:
        inner = item.opener() if item.opener is not None else io.BytesIO(item.read())
    except ReadFailure:
        raise
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError) as exc:
        raise ReadFailure("unreadable", f"cannot be read: {exc}") from exc
    if isinstance(inner, _Checked):
        return inner
    return _Checked(inner, "unreadable", "cannot be read")


def _is_gz(item: InputFile) -> bool:
    return (item.base or item.name).lower().endswith(".gz")


def open_binary(item: InputFile) -> io.BufferedReader:
    """The file's content as a buffered binary stream: gunzipped for .gz (with the caps), read
    errors raised as :class:`ReadFailure`.  The caller closes it."""
    stored = _open_stored(item)
    if not _is_gz(item):
        return io.BufferedReader(stored, 64 * 1024)
    counted = _Counted(stored)
    gz = gzip.GzipFile(fileobj=counted, mode="rb")
    return io.BufferedReader(_Checked(gz, "bad-archive", "not a readable gzip file", "the gzip data",
                                      compressed=lambda: counted.count, also_close=(stored,)), 64 * 1024)


# --- bytes → text ---------------------------------------------------------------------------------

def file_bytes(item: InputFile) -> bytes:
    """The file's bytes, gunzipped when the name ends in .gz; raises :class:`ReadFailure`
    (the decompression caps apply)."""
    with open_binary(item) as stream:
        return stream.read()


def _read_capped(item: InputFile, cap: int, what: str) -> bytes:
    with open_binary(item) as stream:
        data = stream.read(cap + 1)
    if len(data) > cap:
        raise ReadFailure("bad-table", f"{what} larger than {_size(cap)} is not read whole "
                                       "(the MAX_JSON_BYTES cap); convert it to JSON Lines")
    return data


def file_text(item: InputFile, data: bytes) -> str:
    """Decoded text of a file; raises :class:`ReadFailure` (not-text / undecodable)."""
    try:
        text, _encoding = decode_bytes(data)
    except DecodeFailure as exc:
        raise ReadFailure(exc.reason, exc.detail) from exc
    return text


#: A line of a text file: ``(line number, text with its "\\n", None)`` or, for a line that
#: cannot be used, ``(line number, None, (reason, detail))``.
Line = tuple[int, "str | None", "tuple[str, str] | None"]


def text_lines(text: str) -> Iterator[Line]:
    """The lines of a decoded text, split on "\\n" only (U+2028 may be inside a line)."""
    lines = text.split("\n")
    last = lines.pop()
    lineno = 0
    for lineno, line in enumerate(lines, start=1):
        yield lineno, line + "\n", None
    if last:
        yield lineno + 1, last, None


def stream_lines(item: InputFile) -> Iterator[Line]:
    """The lines of a text file, streamed: the encoding is decided on the first
    :data:`SAMPLE_BYTES` (as :func:`file_text` decides for a whole file), then each line is
    decoded on its own (falling back to the other encodings for that line only).

    Raises :class:`ReadFailure` for a file that cannot be used (not-text, undecodable, empty …),
    also midway for a damaged archive or a cap.
    """
    stream = open_binary(item)
    try:
        size = SAMPLE_BYTES
        while True:
            sample = stream.read(size)
            complete = len(sample) < size or not stream.peek(1)
            try:
                encoding, sample_text = detect_sample(sample, complete)
            except DecodeFailure as exc:
                raise ReadFailure(exc.reason, exc.detail) from exc
            if sample_text and not sample_text.isspace():
                break
            if complete:
                raise ReadFailure("empty", "the file holds no text")
            if size >= MAX_BLANK_START:
                if _rest_is_blank(stream, encoding):
                    raise ReadFailure("empty", "the file holds no text")
                raise ReadFailure("bad-table", f"the file starts with more than {_size(size)} of blank space")
            # only blank space so far: decide on a bigger sample, from the first byte again
            size *= 4
            stream.close()
            stream = open_binary(item)
        del sample_text
        body = io.BufferedReader(_Prefixed(sample[bom_length(sample):], stream), 64 * 1024)
        del sample
        if encoding in WIDE_ENCODINGS:
            yield from _wide_lines(body, encoding)
        else:
            yield from _byte_lines(body, encoding)
    finally:
        stream.close()


def _rest_is_blank(stream: BinaryIO, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8" if encoding in ("utf-8-sig", "empty") else encoding)("replace")
    while chunk := stream.read(MiB):
        if decoder.decode(chunk).strip():
            return False
    return not decoder.decode(b"", final=True).strip()


class _Prefixed(io.RawIOBase):
    """``head`` (bytes already read) followed by the rest of ``inner``."""

    def __init__(self, head: bytes, inner: BinaryIO):
        super().__init__()
        self._head, self._pos, self._inner = head, 0, inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head is not None:
            n = min(len(buffer), len(self._head) - self._pos)
            if n > 0:
                buffer[:n] = self._head[self._pos:self._pos + n]
                self._pos += n
                return n
            self._head = None  # release the sample
        return self._inner.readinto(buffer)


def _too_long(lineno: int) -> tuple[str, str]:
    return "bad-row", f"line {lineno} is longer than {_size(MAX_LINE_BYTES)}; skipped"


def _byte_lines(body: io.BufferedReader, encoding: str) -> Iterator[Line]:
    lineno = 0
    while raw := body.readline(MAX_LINE_BYTES + 1):
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (more := body.readline(MiB)) and not more.endswith(b"\n"):
                pass
            yield lineno, None, _too_long(lineno)
            continue
        try:
            text, _used = decode_line(raw, encoding)
        except Undecodable as exc:
            yield lineno, None, ("undecodable", f"line {lineno} decodes in no supported encoding: {exc.detail}")
            continue
        yield lineno, text, None


def _wide_lines(body: io.BufferedReader, encoding: str) -> Iterator[Line]:
    decoder = codecs.getincrementaldecoder(encoding)()
    lineno, carry, skipping = 0, "", False
    while True:
        chunk = body.read(256 * 1024)
        try:
            text = decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            raise ReadFailure("undecodable", f"not valid {encoding} after line {lineno}: {exc.reason}") from exc
        parts = (carry + text).split("\n")
        carry = parts.pop()
        for part in parts:
            lineno += 1
            if skipping or len(part) > MAX_LINE_BYTES:
                skipping = False
                yield lineno, None, _too_long(lineno)
            else:
                yield lineno, part + "\n", None
        if len(carry) > MAX_LINE_BYTES:
            carry, skipping = "", True
        if not chunk:
            break
    if carry or skipping:
        lineno += 1
        yield (lineno, None, _too_long(lineno)) if skipping else (lineno, carry, None)


# --- tables ---------------------------------------------------------------------------------------

def column_map(columns: list[str], mapping: dict[str, str] | None, file: str) -> tuple[dict[str, str], list[Problem]]:
    """``{field: column}`` for a table's columns; explicit ``mapping`` entries win.

    >>> column_map(["Outlet", "Published", "Body"], {"text": "body"}, "x.csv")[0]
    {'text': 'Body', 'outlet': 'Outlet', 'date': 'Published'}
    """
    by_norm: dict[str, str] = {}
    for col in columns:
        by_norm.setdefault(norm_column(col), col)
    result: dict[str, str] = {}
    problems: list[Problem] = []
    for fld, col in (mapping or {}).items():
        if fld not in FIELD_SYNONYMS:
            continue  # reported once by load()
        if norm_column(col) in by_norm:
            result[fld] = by_norm[norm_column(col)]
        else:
            problems.append(Problem(file, None, "bad-mapping",
                                    f"mapping {fld} → '{col}', but the columns are: {', '.join(map(str, columns))}"))
    for fld, names in FIELD_SYNONYMS.items():
        if fld in result:
            continue
        for cand in names:
            if cand in by_norm and by_norm[cand] not in result.values():
                result[fld] = by_norm[cand]
                break
    return result, problems


def table_rows(item: InputFile, data: bytes) -> tuple[list[str], Iterator[tuple[int, dict]], list[Problem]]:
    """``(columns, rows, problems)`` of a table file; rows are ``(row number, {column: value})``.

    Row numbers are 1-based: the data row for CSV/TSV/Parquet/JSON arrays (header not counted),
    the physical line for JSON Lines.  Raises :class:`ReadFailure` for a file that cannot be used.
    (The whole-file form of what :func:`iter_records` streams; both share the parsers below.)
    """
    ext = _table_ext(item)
    if ext == ".parquet":
        return _parquet_rows(data)
    text = file_text(item, data)
    if not text.strip():
        raise ReadFailure("empty", "the file holds no text")
    if ext in (".jsonl", ".ndjson"):
        return _jsonl_rows(item.name, text)
    if ext == ".json":
        return _json_rows(item.name, text)
    return _csv_rows(item.name, text, "\t" if ext == ".tsv" else None)


def _table_ext(item: InputFile) -> str:
    return split_ext(item.base or item.name)[1].lower().removesuffix(".gz")


class _Columns:
    """The columns of a table as its parser finds them (JSON Lines: the union so far, at most 200)."""

    def __init__(self):
        self.names: list[str] = []
        self.final = False   # True once no new column can appear (CSV header, Parquet schema)
        self.chars = 0       # text read so far (JSON Lines), to bound the column window

    def add(self, keys) -> None:
        if len(self.names) < 200:
            seen = set(self.names)
            self.names += [k for k in keys if k not in seen and not seen.add(k)]


def _collect(events: Iterable, columns: _Columns):
    rows: list[tuple[int, dict]] = []
    problems: list[Problem] = []
    for ev in events:
        (problems if isinstance(ev, Problem) else rows).append(ev)
    return list(columns.names), iter(rows), problems


# -- Parquet

def _parquet_rows(data: bytes):
    columns = _Columns()
    return _collect(_parquet_events(io.BytesIO(data), columns), columns)


def _parquet_events(source: BinaryIO, columns: _Columns) -> Iterator[tuple[int, dict]]:
    """The rows of a Parquet file, one record batch at a time (row numbers 1-based)."""
    try:
        import pyarrow.parquet as pq
        parquet = pq.ParquetFile(source)
        columns.names, columns.final = list(parquet.schema_arrow.names), True
        batches = parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        source.close()
        raise ReadFailure("bad-table", f"not a readable Parquet file: {exc}") from exc
    n = 0
    try:
        while True:
            try:
                batch = next(batches, None)
            except ReadFailure:
                raise
            except Exception as exc:
                raise ReadFailure("bad-table", f"Parquet file damaged after row {n}: {exc}") from exc
            if batch is None:
                return
            for row in batch.to_pylist():
                n += 1
                yield n, row
    finally:
        source.close()


def _parquet_source(item: InputFile) -> BinaryIO:
    """A seekable stream for pyarrow: the file itself, else (gzipped, zip member) a temporary
    copy that spills to disk."""
    if not _is_gz(item):
        try:
            raw = item.opener() if item.opener is not None else io.BytesIO(item.read())
        except ReadFailure:
            raise
        except (OSError, zipfile.BadZipFile, RuntimeError, ValueError, NotImplementedError) as exc:
            raise ReadFailure("unreadable", f"cannot be read: {exc}") from exc
        if not isinstance(raw, _Checked) and raw.seekable():  # a file on disk, or bytes in memory
            return raw
        raw.close()
    spool = tempfile.SpooledTemporaryFile(max_size=16 * MiB)
    with open_binary(item) as stream:
        shutil.copyfileobj(stream, spool, MiB)
    spool.seek(0)
    return spool


# -- JSON Lines and JSON

def _jsonl_rows(name: str, text: str):
    columns = _Columns()
    return _collect(_jsonl_events(name, text_lines(text), columns), columns)


def _jsonl_events(name: str, lines: Iterable[Line], columns: _Columns) -> Iterator[tuple[int, dict] | Problem]:
    """Rows of JSON Lines (row number = physical line); a broken line is a Problem.

    Problems before the first good row are held back (up to 1,000): a file where no line is a
    JSON object is one "bad-table" failure, as for the whole-file reader.
    """
    held: list[Problem] = []
    broken, seen_row = 0, False
    for lineno, text, bad in lines:
        if text is None:
            problem = Problem(name, lineno, *bad)
        else:
            columns.chars += len(text)
            line = text.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problem = Problem(name, lineno, "bad-row", f"line {lineno} is not valid JSON: {exc.msg}")
            else:
                if isinstance(obj, dict):
                    if held:
                        yield from held
                        held = []
                    seen_row = True
                    columns.add(obj)
                    yield lineno, obj
                    continue
                problem = Problem(name, lineno, "bad-row",
                                  f"line {lineno} is a JSON {type(obj).__name__}, not an object")
        broken += 1
        if seen_row:
            yield problem
        else:
            held.append(problem)
            if len(held) > 1000:
                yield from held
                held = []
    if not seen_row and broken:
        raise ReadFailure("bad-table", f"no line is a valid JSON object ({broken} broken lines)")


def _json_rows(name: str, text: str):
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg.startswith("Extra data"):
            return _jsonl_rows(name, text)  # a .json file that is really JSON Lines
        raise ReadFailure("bad-table", f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}") from exc
    if isinstance(doc, dict):
        for key in ("articles", "data", "items", "rows", "records"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            if doc and all(isinstance(v, dict) for v in doc.values()):
                doc = [{"id": k, **v} if "id" not in v else v for k, v in doc.items()]
            else:
                doc = [doc]
    if not isinstance(doc, list):
        raise ReadFailure("bad-table", "JSON must be an array of objects or an object of objects")
    problems: list[Problem] = []
    rows: list[tuple[int, dict]] = []
    columns: dict[str, None] = {}
    for i, obj in enumerate(doc, start=1):
        if not isinstance(obj, dict):
            problems.append(Problem(name, i, "bad-row", f"item {i} is a JSON {type(obj).__name__}, not an object"))
            continue
        columns.update(dict.fromkeys(obj))
        rows.append((i, obj))
    return list(columns), iter(rows), problems


# -- CSV / TSV

def sniff_delimiter(header: str) -> str:
    """The delimiter of a CSV header line among , ; tab | (most frequent outside quotes).

    >>> sniff_delimiter('file;outlet;date')
    ';'
    """
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_rows(name: str, text: str, delimiter: str | None):
    columns = _Columns()
    return _collect(_csv_events(name, text_lines(text), delimiter, columns), columns)


_LONE_CR = re.compile(r"(?<=\r)(?!\n)")
_START, _UNQUOTED, _QUOTED, _QUOTE_IN_QUOTED = range(4)


def _scan_quotes(body: str, state: int, delimiter: str) -> tuple[int, bool, bool]:
    """Advance the csv module's quoting state (default dialect, strict=False) over one line
    without its line break: ``(state, a quote opened here, a quote opened on an earlier line was
    followed by a stray character)`` — the last is how a never-closed quote shows up."""
    i, n = 0, len(body)
    opened = stray_early = False
    while i < n:
        if state == _QUOTED:
            j = body.find('"', i)
            if j < 0:
                break
            state, i = _QUOTE_IN_QUOTED, j + 1
        elif state == _QUOTE_IN_QUOTED:
            c = body[i]
            i += 1
            if c == '"':
                state = _QUOTED
            elif c == delimiter:
                state = _START
            else:  # csv keeps the character (strict=False); valid CSV never has it
                state = _UNQUOTED
                stray_early = stray_early or not opened
        elif state == _START:
            c = body[i]
            if c == '"':
                state, opened = _QUOTED, True
                i += 1
            elif c == delimiter:
                i += 1
            else:
                state = _UNQUOTED
        else:
            j = body.find(delimiter, i)
            if j < 0:
                break
            state, i = _START, j + 1
    return state, opened, stray_early


def _csv_records(name: str, lines: Iterable[Line], delimiter: str):
    """``(first line, last line, [piece texts], bad)`` per CSV record, where ``bad`` is None, the
    (reason, detail) of an unusable line inside it, or ("quote", line where an unclosed quote opened).

    Records are split exactly where the csv module splits them; a quote that is never closed
    (it reaches the end of the file, stays open for :data:`MAX_QUOTED_LINES` lines, or "closes"
    on a later line followed by a stray character) is reported once, and reading resumes on the
    line after the one where it opened.  Line numbers count lines as the csv module does.
    """
    source = iter(lines)
    split_cr: list = []   # the rest of a line cut at lone "\r"s
    pushed: list[tuple[int, str | None, tuple | None]] = []   # pieces to read again (a stack)
    record: list[tuple[int, str | None, tuple | None]] = []
    state, open_line, quoted_chars, piece_no = _START, 0, 0, 0

    def resync():
        nonlocal record, state
        pushed.extend(reversed([p for p in record if p[0] > open_line]))
        first = record[0][0]
        record, state = [], _START
        return first, open_line, [], ("quote", open_line)

    while True:
        if pushed:
            piece = pushed.pop()
        else:
            if split_cr:
                text, bad = split_cr.pop(), None
            else:
                nxt = next(source, None)
                if nxt is None:
                    if not record:
                        return
                    yield resync()  # the file ends inside a quoted field
                    continue
                _lineno, text, bad = nxt
                if text is not None and "\r" in text and _LONE_CR.search(text):
                    split_cr = [t for t in reversed(_LONE_CR.split(text)) if t]
                    text = split_cr.pop()
            piece_no += 1
            piece = (piece_no, text, bad)
        no, text, _bad = piece
        record.append(piece)
        body = text.rstrip("\r\n") if text else ""  # a piece ends in one line break at most
        if '"' in body:
            state, opened, stray_early = _scan_quotes(body, state, delimiter)
            if stray_early and open_line < no:
                yield resync()
                continue
            if opened:
                open_line, quoted_chars = no, 0
        if state == _QUOTED:
            quoted_chars += len(body)
            if no - open_line >= MAX_QUOTED_LINES or quoted_chars > MAX_QUOTED_CHARS:
                yield resync()
            continue
        yield (record[0][0], no, [p[1] if p[1] is not None else "\n" for p in record],
               next((p[2] for p in record if p[1] is None), None))
        record, state = [], _START


def _csv_events(name: str, lines: Iterable[Line], delimiter: str | None,
                columns: _Columns) -> Iterator[tuple[int, dict] | Problem]:
    """Rows of a CSV/TSV text (row numbers = data rows, the header not counted)."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:
        raise ReadFailure("bad-table", "no header row: the file is empty")
    if first[1] is not None:
        first = (first[0], first[1].lstrip("\ufeff"), None)
    if delimiter is None:
        delimiter = sniff_delimiter((first[1] or "").split("\n", 1)[0])
    records = _csv_records(name, chain([first], lines), delimiter)
    header_rec = next(records, None)
    if header_rec is None:
        raise ReadFailure("bad-table", "no header row")
    _first, _last, texts, bad = header_rec
    if bad is not None:
        where = f"the quote opened on line {bad[1]} is never closed" if bad[0] == "quote" else bad[1]
        raise ReadFailure("bad-table", f"no header row: {where}")
    header = [h.strip() for h in _parse_csv(texts, delimiter)]
    columns.names, columns.final = header, True
    n = 0
    for first_line, last_line, texts, bad in records:
        n += 1
        if bad is not None:
            if bad[0] == "quote":
                yield Problem(name, n, "bad-row", f"row {n} (line {bad[1]}): the quote opened on line {bad[1]} is "
                                                  f"never closed; the row is skipped and reading resumes on line "
                                                  f"{bad[1] + 1}")
            else:
                yield Problem(name, n, bad[0], f"row {n} (line {first_line}): {bad[1]}")
            continue
        try:
            values = _parse_csv(texts, delimiter)
        except csv.Error as exc:
            yield Problem(name, n, "bad-row", f"row {n} (line {last_line}) cannot be parsed: {exc}")
            continue
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            yield Problem(name, n, "bad-row", f"row {n} (line {last_line}) has {len(values)} fields, the header has "
                                              f"{len(header)}: a delimiter or quote is probably missing")
            continue
        values += [""] * (len(header) - len(values))
        yield n, dict(zip(header, values))


def _parse_csv(texts: list[str], delimiter: str) -> list[str]:
    return next(csv.reader(texts, delimiter=delimiter), [])


def cell_text(value: object) -> str:
    """A cell as text: None/NaN → "", a list of paragraphs → joined by newlines, 12.0 → "12"."""
    if is_empty_value(value):
        return ""
    if isinstance(value, list):
        return "\n".join(cell_text(v) for v in value if not is_empty_value(v))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


# --- records --------------------------------------------------------------------------------------

#: A column no usual name makes the date column becomes it when at least this share of its first rows'
#: non-empty cells are short cells that read as dates (:func:`guess_date_column`).
DATE_GUESS_SHARE = 0.9
DATE_GUESS_MIN_CELLS = 3
DATE_GUESS_MAX_CHARS = 40
#: How many of a table's first rows (problems aside) the guess reads, and at most how many characters of
#: them (a reader holds those rows until it has decided: huge rows must not pile up).
DATE_GUESS_ROWS = 50
DATE_GUESS_CHARS = 4 * 1024 * 1024


class _GuessRows:
    """The rows a date column is guessed from, one rule for both readers: the first
    :data:`DATE_GUESS_ROWS` rows (problems aside), fewer when they hold :data:`DATE_GUESS_CHARS` characters."""

    def __init__(self):
        self.rows: list[tuple[int, dict]] = []
        self.chars = 0

    @property
    def full(self) -> bool:
        return len(self.rows) >= DATE_GUESS_ROWS or self.chars >= DATE_GUESS_CHARS

    def take(self, ev) -> bool:
        """Take a reader's event (a row or a Problem) while not full; True once full."""
        if not self.full and not isinstance(ev, Problem):
            self.rows.append(ev)
            self.chars += sum(len(v) for v in ev[1].values() if isinstance(v, str))
        return self.full


def _may_guess_date(columns: list[str], mapping: dict[str, str] | None) -> bool:
    """True when no mapping names the date column and no column has a usual date name."""
    return "date" not in (mapping or {}) and "date" not in column_map(columns, mapping, "")[0]


def guess_date_column(columns: list[str], mapping: dict[str, str] | None, rows: Iterable
                      ) -> tuple[str, int, int] | None:
    """``(column, cells read as dates, non-empty cells)`` of the column to take the dates from when
    no column has a usual date name and no mapping names one: the first of the other columns whose
    non-empty cells in the first rows of ``rows`` (``(row number, {column: value})`` or Problems; which rows:
    :class:`_GuessRows`) read as dates for at least :data:`DATE_GUESS_SHARE` of them (a text cell must be
    short: :data:`DATE_GUESS_MAX_CHARS` characters at most), in at least half the rows and
    :data:`DATE_GUESS_MIN_CELLS` at least.  A crawler's ``date_extracted`` or an export's ``created``
    is found by its values, not by a list of names.

    >>> rows = [(i, {"body": "نص", "crawled": f"2015-07-2{i} 02:47:05", "note": "soon" if i == 2 else "2015-07-21"})
    ...         for i in (1, 2, 3)]
    >>> guess_date_column(["body", "note", "crawled"], None, rows)
    ('crawled', 3, 3)
    >>> guess_date_column(["body", "note", "crawled"], {"date": "note"}, rows) is None
    True
    """
    from .dates import parse_date_value

    cmap = column_map(columns, mapping, "")[0]
    if "date" in cmap or "date" in (mapping or {}):
        return None
    taken = set(cmap.values())
    picked = _GuessRows()
    for ev in rows:
        if picked.take(ev):
            break
    rows = picked.rows
    for col in columns:
        if col in taken:
            continue
        cells = [v for _n, row in rows if not is_empty_value(v := row.get(col))]
        if len(cells) < max(DATE_GUESS_MIN_CELLS, (len(rows) + 1) // 2):
            continue
        ok = sum(1 for v in cells if (not isinstance(v, str) or len(v.strip()) <= DATE_GUESS_MAX_CHARS)
                 and parse_date_value(v) is not None)   # a Parquet timestamp is a date too
        if ok >= DATE_GUESS_SHARE * len(cells):
            return col, ok, len(cells)
    return None


def _with_guessed_date(item: InputFile, columns: list[str], mapping: dict[str, str] | None, rows: Iterable
                       ) -> tuple[dict[str, str] | None, list[Problem]]:
    """``mapping`` with the date column :func:`guess_date_column` finds, and the report row that says so."""
    guess = guess_date_column(columns, mapping, rows)
    if guess is None:
        return mapping, []
    col, ok, cells = guess
    return {**(mapping or {}), "date": col}, [Problem(
        item.name, None, "date-column-guessed",
        f"no column has a usual date name ({', '.join(FIELD_SYNONYMS['date'][:4])} …); the dates are read from "
        f"'{col}', whose cells read as dates in {ok} of the first {cells} rows that fill it. If it is not the "
        f"publication date (a crawl time, say), map another column (--map date=COLUMN, or the Data page's "
        f"column names)")]


def record_maker(item: InputFile, columns: list[str], mapping: dict[str, str] | None
                 ) -> tuple[Callable[[int, dict], RawRecord] | None, list[Problem]]:
    """``(make, problems)``: ``make(row number, row)`` builds the :class:`RawRecord` of one table row
    under the column mapping of ``columns`` (:func:`column_map`); ``make`` is None when no column
    holds the text (then see :func:`no_text_column`).  One function for every table reader."""
    cmap, problems = column_map(columns, mapping, item.name)
    if "text" not in cmap:
        return None, problems
    stem = split_ext(item.base or item.name)[0]
    name, scope = item.name, item.scope
    text_col, id_col = cmap["text"], cmap.get("id")
    other = [(f, c) for f, c in cmap.items() if f not in ("text", "id")]

    def make(row_no: int, row: dict) -> RawRecord:
        rid = cell_text(row.get(id_col)).strip() if id_col else ""
        fields = {f: row.get(c) for f, c in other}
        default = f"{stem}-{row_no}"
        return RawRecord(name, row_no, rid or default, cell_text(row.get(text_col)),
                         "table", fields, keys=(rid,) if rid else (), scope=scope, default_id=default)
    return make, problems


def no_text_column(item: InputFile, columns: list[str]) -> Problem:
    shown = ", ".join(map(str, columns)) or "none"
    return Problem(item.name, None, "no-text-column",
                   f"no column holds the article text (looked for {', '.join(FIELD_SYNONYMS['text'][:6])} …; "
                   f"columns found: {shown}); pass mapping={{'text': '<column>'}}")


def _header_only(item: InputFile) -> Problem | None:
    if _table_ext(item) in (".csv", ".tsv"):
        return Problem(item.name, None, "empty", "header only, no rows")
    return None


def table_records(item: InputFile, data: bytes, mapping: dict[str, str] | None) -> tuple[list[RawRecord], list[Problem]]:
    """All records of a table file, with the file-level and row-level problems found.

    A JSON Lines/CSV/TSV file that no one encoding decodes whole (a Windows-1256 line in UTF-8,
    one stray Latin-1 byte) is read line by line as :func:`iter_records` reads it: each line is
    decoded on its own and only a line in no encoding is lost (an "undecodable" row)."""
    try:
        columns, rows, row_problems = table_rows(item, data)
    except ReadFailure as exc:
        if exc.reason != "undecodable" or _table_ext(item) not in (".jsonl", ".ndjson", ".csv", ".tsv"):
            raise
        return _records_line_by_line(item, data, mapping)
    rows = list(rows)
    mapping, guessed = _with_guessed_date(item, columns, mapping, rows)
    make, problems = record_maker(item, columns, mapping)
    problems += (guessed if make is not None else []) + row_problems
    if make is None:
        problems.append(no_text_column(item, columns))
        return [], problems
    records = [make(row_no, row) for row_no, row in rows]
    if not records and not row_problems and (empty := _header_only(item)):
        problems.append(empty)
    return records, problems


def _records_line_by_line(item: InputFile, data: bytes, mapping: dict[str, str] | None
                          ) -> tuple[list[RawRecord], list[Problem]]:
    """:func:`table_records` through the streaming reader, on bytes already read (and gunzipped)."""
    base = (item.base or PurePosixPath(item.name).name)
    plain = replace(item, read=lambda: data, opener=lambda: io.BytesIO(data),
                    base=base[:-3] if base.lower().endswith(".gz") else base)
    records: list[RawRecord] = []
    problems: list[Problem] = []
    for rec in iter_records(plain, mapping):
        (problems if isinstance(rec, Problem) else records).append(rec)
    return records, problems


def text_record(item: InputFile, data: bytes) -> RawRecord:
    """The record of one plain-text article file; raises :class:`ReadFailure`."""
    text = file_text(item, data)
    base = item.base or PurePosixPath(item.name).name
    stem = split_ext(base)[0]
    return RawRecord(item.name, None, stem, text, "txt", {}, keys=(base, stem), scope=item.scope,
                     default_id="article")


def iter_records(item: InputFile, mapping: dict[str, str] | None) -> Iterator[RawRecord | Problem]:
    """The records of one input file, streamed: each item is a :class:`RawRecord` or a :class:`Problem`.

    JSON Lines and CSV/TSV (also gzipped, also zip members) are read line by line and Parquet by
    record batch, so memory follows a batch, not the file; a .txt article and a JSON array are
    read whole (a JSON array up to :data:`MAX_JSON_BYTES`).  Records, row numbers and Problems are
    those of :func:`table_records` / :func:`text_record` for the same file, with the streaming
    differences: problems come in file order, interleaved with the records; a line in another
    encoding than the file's start is decoded on its own (or is one "undecodable" Problem); a
    damaged archive or a decompression cap met midway ends the file with one Problem after the
    records already read.  For JSON Lines the column mapping is decided on the first
    :data:`COLUMN_WINDOW_ROWS` rows and updated when later rows bring new columns.
    A file that cannot be used at all yields one Problem.
    """
    try:
        if item.kind == "txt":
            yield text_record(item, file_bytes(item))
            return
        yield from _stream_table(item, mapping)
    except ReadFailure as exc:
        yield Problem(item.name, None, exc.reason, exc.detail)


def _stream_table(item: InputFile, mapping: dict[str, str] | None) -> Iterator[RawRecord | Problem]:
    ext = _table_ext(item)
    columns = _Columns()
    if ext == ".parquet":
        events = _parquet_events(_parquet_source(item), columns)
    elif ext == ".json":
        names, rows, problems = table_rows(item, _read_capped(item, MAX_JSON_BYTES, "a JSON file"))
        columns.names, columns.final = names, True
        events = chain(problems, rows)
    elif ext in (".jsonl", ".ndjson"):
        events = _jsonl_events(item.name, stream_lines(item), columns)
    else:
        events = _csv_events(item.name, stream_lines(item), "\t" if ext == ".tsv" else None, columns)
    window: list = []
    guess_rows = _GuessRows()   # the rows guess_date_column would read
    for ev in events:
        window.append(ev)
        full = guess_rows.take(ev)
        if len(window) >= COLUMN_WINDOW_ROWS:
            break
        if (columns.final or columns.chars >= COLUMN_WINDOW_CHARS) and (
                full or not _may_guess_date(columns.names, mapping)):
            break   # the columns are known, and so are the rows a date column would be guessed from
    mapping, guessed = _with_guessed_date(item, columns.names, mapping, window)
    make, problems = record_maker(item, columns.names, mapping)
    yield from problems
    if make is not None:
        yield from guessed
    events = chain(window, events)
    del window
    if make is None:
        yield from (ev for ev in events if isinstance(ev, Problem))
        yield no_text_column(item, columns.names)
        return
    known, rows, row_problems = len(columns.names), 0, 0
    for ev in events:
        if isinstance(ev, Problem):
            row_problems += 1
            yield ev
            continue
        if len(columns.names) != known:  # JSON Lines: a row brought new columns
            known = len(columns.names)
            make = record_maker(item, columns.names, mapping)[0] or make
        rows += 1
        yield make(*ev)
    if not rows and not row_problems and (empty := _header_only(item)):
        yield empty
