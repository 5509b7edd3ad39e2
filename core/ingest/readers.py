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
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

from core.model import Problem

from .dates import is_empty_value
from .encoding import DecodeFailure, decode_bytes

TEXT_EXTS = (".txt", ".text")
TABLE_EXTS = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet")
SIDECAR_STEMS = ("metadata",)
IGNORED_NAMES = re.compile(r"^(readme|license|licence|changelog)([._-].*)?$|\.(md|markdown)$|^(thumbs\.db|desktop\.ini)$",
                           re.IGNORECASE)
MAX_ZIP_DEPTH = 3

#: Column names recognised for each article field, in order of preference (compared after
#: lower-casing and turning spaces/hyphens into "_").  ``mapping={"text": "my_body"}`` wins.
FIELD_SYNONYMS: dict[str, list[str]] = {
    "text": ["text", "content", "body", "article", "article_text", "full_text", "fulltext", "story",
             "النص", "نص", "المحتوى", "المتن"],
    "title": ["title", "headline", "heading", "العنوان", "عنوان"],
    "outlet": ["outlet", "source", "publisher", "site", "source_name", "outlet_name", "newspaper", "media",
               "المصدر", "الوسيلة", "الموقع", "الصحيفة"],
    "outlet_en": ["outlet_en", "outlet_english", "source_en"],
    "date": ["date", "published", "pubdate", "pub_date", "published_at", "publish_date", "publication_date",
             "date_published", "datetime", "التاريخ", "تاريخ"],
    "url": ["url", "link", "href", "permalink", "الرابط", "رابط"],
    "id": ["id", "doc_id", "docid", "article_id", "uid", "guid", "المعرف"],
    "category": ["category", "section", "topic", "القسم", "التصنيف"],
}
FIELDS = tuple(FIELD_SYNONYMS)

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
                _add_file(files, problems, str(sub), str(sub.parent), _path_reader(sub), explicit=False)
        elif path.is_file():
            _add_file(files, problems, str(path), str(path.parent), _path_reader(path), explicit=True)
        else:
            problems.append(Problem(str(path), None, "missing", "no such file or folder"))
    return files, problems


def discover_bytes(name: str, data: bytes) -> tuple[list[InputFile], list[Problem]]:
    """Like :func:`discover` for one uploaded file held in memory."""
    files: list[InputFile] = []
    problems: list[Problem] = []
    _add_file(files, problems, name, "", lambda: data, explicit=True)
    return files, problems


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX")
        for name in sorted(filenames):
            yield Path(dirpath) / name


def _path_reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _add_file(files: list[InputFile], problems: list[Problem], name: str, scope: str,
              read: Callable[[], bytes], explicit: bool, depth: int = 0, base: str = "") -> None:
    base = base or PurePosixPath(name.replace("\\", "/")).name
    kind = classify(base)
    if kind is None:
        if explicit and not PurePosixPath(name).name.startswith("."):
            problems.append(Problem(name, None, "unsupported-format", "README/Markdown files are not articles"))
        return
    if kind == "zip":
        _expand_zip(files, problems, name, read, depth)
        return
    if kind == "unsupported":
        problems.append(Problem(name, None, "unsupported-format",
                                f"'{split_ext(name)[1] or 'no extension'}' is not a supported format "
                                "(txt, csv, tsv, jsonl, json, parquet, gz, zip)"))
        return
    files.append(InputFile(name, scope, read, kind, depth, base))


def _expand_zip(files: list[InputFile], problems: list[Problem], name: str,
                read: Callable[[], bytes], depth: int) -> None:
    if depth >= MAX_ZIP_DEPTH:
        problems.append(Problem(name, None, "bad-archive", f"archives nested deeper than {MAX_ZIP_DEPTH} levels"))
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(read()))
        members = sorted(archive.infolist(), key=lambda m: m.filename)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        problems.append(Problem(name, None, "bad-archive", f"not a readable zip archive: {exc}"))
        return
    for info in members:
        parts = PurePosixPath(info.filename).parts
        if info.is_dir() or not parts or parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts):
            continue
        member = f"{name}:{info.filename}"
        scope = f"{name}:{PurePosixPath(info.filename).parent}"
        _add_file(files, problems, member, scope, _member_reader(archive, info),
                  explicit=False, depth=depth + 1, base=parts[-1])


def _member_reader(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        return archive.read(info)
    return read


# --- bytes → text ---------------------------------------------------------------------------------

class ReadFailure(Exception):
    """A whole file cannot be used; carries the Problem reason and detail."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def file_bytes(item: InputFile) -> bytes:
    """The file's bytes, gunzipped when the name ends in .gz; raises :class:`ReadFailure`."""
    try:
        data = item.read()
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError) as exc:
        raise ReadFailure("unreadable", f"cannot be read: {exc}") from exc
    if (item.base or item.name).lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, ValueError) as exc:
            raise ReadFailure("bad-archive", f"not a readable gzip file: {exc}") from exc
    return data


def file_text(item: InputFile, data: bytes) -> str:
    """Decoded text of a file; raises :class:`ReadFailure` (not-text / undecodable)."""
    try:
        text, _encoding = decode_bytes(data)
    except DecodeFailure as exc:
        raise ReadFailure(exc.reason, exc.detail) from exc
    return text


# --- tables ---------------------------------------------------------------------------------------

def norm_column(name: object) -> str:
    """Column name as compared: "Published At" → "published_at", "\\ufeffText" → "text"."""
    return re.sub(r"[\s\-]+", "_", str(name).replace("\ufeff", "").strip().casefold())


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
    """
    ext = split_ext(item.base or item.name)[1].lower().removesuffix(".gz")
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


def _parquet_rows(data: bytes):
    try:
        import pyarrow.parquet as pq
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise ReadFailure("bad-table", f"not a readable Parquet file: {exc}") from exc
    columns = list(table.column_names)
    rows = table.to_pylist()
    return columns, ((i, row) for i, row in enumerate(rows, start=1)), []


def _jsonl_rows(name: str, text: str):
    problems: list[Problem] = []
    rows: list[tuple[int, dict]] = []
    columns: dict[str, None] = {}
    for lineno, line in enumerate(text.split("\n"), start=1):  # never splitlines(): U+2028 may be inside
        line = line.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(Problem(name, lineno, "bad-row", f"line {lineno} is not valid JSON: {exc.msg}"))
            continue
        if not isinstance(obj, dict):
            problems.append(Problem(name, lineno, "bad-row", f"line {lineno} is a JSON {type(obj).__name__}, not an object"))
            continue
        if len(columns) < 200:
            columns.update(dict.fromkeys(obj))
        rows.append((lineno, obj))
    if not rows and problems:
        raise ReadFailure("bad-table", f"no line is a valid JSON object ({len(problems)} broken lines)")
    return list(columns), iter(rows), problems


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
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = delimiter or sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise ReadFailure("bad-table", f"no header row: {exc}") from exc
    header = [h.strip() for h in header]
    problems: list[Problem] = []
    rows: list[tuple[int, dict]] = []
    n = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            n += 1
            problems.append(Problem(name, n, "bad-row", f"row {n} (line {reader.line_num}) cannot be parsed: {exc}"))
            continue
        n += 1
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header):]):
            problems.append(Problem(name, n, "bad-row",
                                    f"row {n} (line {reader.line_num}) has {len(values)} fields, the header has "
                                    f"{len(header)}: a delimiter or quote is probably missing"))
            continue
        values += [""] * (len(header) - len(values))
        rows.append((n, dict(zip(header, values))))
    return header, iter(rows), problems


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


def table_records(item: InputFile, data: bytes, mapping: dict[str, str] | None) -> tuple[list[RawRecord], list[Problem]]:
    """All records of a table file, with the file-level and row-level problems found."""
    columns, rows, problems = table_rows(item, data)
    cmap, map_problems = column_map(columns, mapping, item.name)
    problems = map_problems + problems
    if "text" not in cmap:
        shown = ", ".join(map(str, columns)) or "none"
        problems.append(Problem(item.name, None, "no-text-column",
                                f"no column holds the article text (looked for {', '.join(FIELD_SYNONYMS['text'][:6])} …; "
                                f"columns found: {shown}); pass mapping={{'text': '<column>'}}"))
        return [], problems
    stem = split_ext(item.base or item.name)[0]
    records: list[RawRecord] = []
    text_col, id_col = cmap["text"], cmap.get("id")
    other = [(f, c) for f, c in cmap.items() if f not in ("text", "id")]
    for row_no, row in rows:
        rid = cell_text(row.get(id_col)).strip() if id_col else ""
        fields = {f: row.get(c) for f, c in other}
        records.append(RawRecord(item.name, row_no, rid or f"{stem}-{row_no}", cell_text(row.get(text_col)),
                                 "table", fields, keys=(rid,) if rid else (), scope=item.scope))
    return records, problems


def text_record(item: InputFile, data: bytes) -> RawRecord:
    """The record of one plain-text article file; raises :class:`ReadFailure`."""
    text = file_text(item, data)
    base = item.base or PurePosixPath(item.name).name
    stem = split_ext(base)[0]
    return RawRecord(item.name, None, stem, text, "txt", {}, keys=(base, stem), scope=item.scope)


def iter_records(item: InputFile, mapping: dict[str, str] | None) -> Iterator[RawRecord | Problem]:
    """The records of one input file, streamed: each item is a :class:`RawRecord` or a :class:`Problem`.

    A file that cannot be used yields one Problem.  (The streaming build reads files through this.)
    """
    try:
        data = file_bytes(item)
        if item.kind == "txt":
            yield text_record(item, data)
            return
        records, found = table_records(item, data, mapping)
    except ReadFailure as exc:
        yield Problem(item.name, None, exc.reason, exc.detail)
        return
    yield from found
    yield from records
