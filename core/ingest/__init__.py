"""Ingestion: files, folders, zips, tables and uploads → clean :class:`core.model.Article` s + a report.

>>> result = load("data/sample")
>>> [(a.id[:3], a.outlet, str(a.date), a.outlet_source) for a in result.articles]  # doctest: +NORMALIZE_WHITESPACE
[('000', 'قاسيون', '2017-04-12', 'sidecar'), ('001', 'unknown', 'None', 'unknown'),
 ('002', 'شينخوا', '2017-04-13', 'sidecar'), ('003', 'سيريانيوز', '2017-04-12', 'sidecar'),
 ('004', 'الثورة', '2019-05-15', 'sidecar')]

Public API
----------
``load(paths, metadata=None, mapping=None, outlets=None, progress=None) -> IngestResult``
``load_bytes(name, data, metadata=None, mapping=None, outlets=None, progress=None) -> IngestResult``
``IngestResult(articles, problems).report_frame()`` → DataFrame file,row,reason,detail
``clean(text, outlets=None) -> (cleaned, removed)`` · ``load_outlets(path=None) -> OutletTable``
``infer(text, outlets=None) -> Inferred`` · ``decode_bytes(data) -> (text, encoding)``

The counted ``Article.text`` always begins with the headline (a .txt keeps its headline line; a
table row's title is put first), and ``text_original`` is exactly what was decoded.

Problem reasons (``PROBLEM_REASONS``) — every Problem names the file, and the row/line when there is one.
Nothing one bad file or row does stops the others from loading.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from core.model import Article, Problem

from .encoding import DecodeFailure, decode_bytes
from .furniture import clean
from .metadata import Inferred, infer, split_headline
from .outlets import OutletTable, load_outlets
from .pipeline import Assembler
from .readers import FIELD_SYNONYMS, InputFile, ReadFailure, discover, discover_bytes, file_bytes, iter_records, \
    table_records, text_record
from .sidecar import Sidecar, read_sidecar, unmatched

__all__ = ["IngestResult", "Stream", "stream", "load", "load_bytes", "clean", "infer", "split_headline", "load_outlets",
           "OutletTable", "Inferred", "decode_bytes", "DecodeFailure", "PROBLEM_REASONS"]

Progress = Callable[[int, int, str], None]

#: Every reason a Problem can carry, with what it means.
PROBLEM_REASONS = {
    "missing": "a path given to load() does not exist",
    "unsupported-format": "a file type that is not read (e.g. .docx, .pdf)",
    "unreadable": "the file could not be read from disk/archive",
    "bad-archive": "a damaged zip/gzip, archives nested too deep, or a member past the decompression caps",
    "unsafe-member": "a zip member with an absolute path, '..', a symlink or a device; skipped",
    "not-text": "binary content (an image renamed .txt, NUL bytes …)",
    "undecodable": "text in no supported encoding (UTF-8/16/32, Windows-1256, ISO-8859-6)",
    "empty": "a file or row without text",
    "empty-after-cleaning": "a text made only of page furniture (e.g. a disclaimer alone); skipped",
    "invisible-name": "an outlet name, title or id with no visible character (only zero-width/bidi/control marks); "
                      "read as missing",
    "no-text-column": "a table without a recognisable text column (the columns found are named)",
    "bad-table": "a table that cannot be parsed at all (invalid JSON, unreadable Parquet …)",
    "bad-row": "one row/line that cannot be parsed; the other rows load",
    "bad-mapping": "mapping= names an unknown field or a column the file does not have",
    "date-column-guessed": "a table without a usually named date column: the dates are read from the column "
                           "whose values read as dates (named); map another one if that is not the publication date",
    "bad-date": "a stated date that cannot be read; the date is left unknown unless the text states one",
    "bad-sidecar": "a metadata file (or one of its rows) that cannot be used",
    "sidecar-unmatched": "a metadata row naming a file/id that was not loaded",
    "duplicate-url": "same URL as an earlier article; the first is kept",
    "duplicate-text": "same cleaned text as an earlier article; the first is kept",
    "duplicate-id": "an id already used; the article is loaded with a suffix (-2, -3 …)",
}


@dataclass
class IngestResult:
    """The articles loaded and the ingestion report."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def report_frame(self) -> pd.DataFrame:
        """The report as a table: columns file, row (nullable integer), reason, detail."""
        frame = pd.DataFrame([p.as_dict() for p in self.problems], columns=["file", "row", "reason", "detail"])
        frame["row"] = frame["row"].astype("Int64")
        return frame


def load(paths: list[str | Path] | str | Path, metadata: str | Path | None = None,
         mapping: dict[str, str] | None = None, outlets: OutletTable | None = None,
         progress: Progress | None = None) -> IngestResult:
    """Load articles from files and folders (recursively; .txt, tables, zips, mixed).

    ``metadata``: a sidecar (csv/json) that applies to all inputs, before any folder's own
    ``metadata.csv``.  ``mapping``: ``{"text": "my_body_col", "date": "published_on", …}`` for
    tables whose columns are not recognised.  ``progress(done, total, name)`` is called per file.
    """
    files, extra, problems = _inputs(paths, metadata)
    return _run(files, extra, problems, mapping, outlets, progress)


def load_bytes(name: str, data: bytes, metadata: str | Path | tuple[str, bytes] | None = None,
               mapping: dict[str, str] | None = None, outlets: OutletTable | None = None,
               progress: Progress | None = None) -> IngestResult:
    """Load one uploaded file held in memory; ``name`` ("x.zip", "corpus.csv", "a.txt") decides the format.

    ``metadata`` may be a path or an uploaded ``(name, bytes)`` pair.
    """
    files, problems = discover_bytes(name, data)
    extra: list[InputFile] = []
    if isinstance(metadata, tuple):
        meta_name, meta_data = metadata
        extra = [InputFile(meta_name, "*", lambda: meta_data, "sidecar", base=Path(meta_name).name)]
    elif metadata is not None:
        meta_files, meta_problems = discover([metadata])
        problems += meta_problems
        extra = [InputFile(f.name, "*", f.read, "sidecar", base=f.base) for f in meta_files]
    return _run(files, extra, problems, mapping, outlets, progress)


def _inputs(paths, metadata) -> tuple[list[InputFile], list[InputFile], list[Problem]]:
    """The input files, the explicit sidecar (``metadata=``) and the problems found listing them."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, problems = discover(list(paths))
    extra: list[InputFile] = []
    if metadata is not None:
        meta_files, meta_problems = discover([metadata])
        problems += meta_problems
        extra = [InputFile(f.name, "*", f.read, "sidecar", base=f.base) for f in meta_files]
    return files, extra, problems


@dataclass
class Stream:
    """A streamed load: ``records`` yields ``(record, stated values)`` one by one; the problems
    found while reading (and the sidecar rows never used, once ``records`` is exhausted) are
    appended to ``assembler.problems``.  ``assembler.admit`` takes prepared records in order."""

    assembler: Assembler
    records: object
    files: int


def stream(paths: list[str | Path] | str | Path, metadata: str | Path | None = None,
           mapping: dict[str, str] | None = None, outlets: OutletTable | None = None,
           progress: Progress | None = None) -> Stream:
    """Like :func:`load`, streamed: records are read one at a time (the streaming build's input)."""
    files, extra, problems = _inputs(paths, metadata)
    assembler, sidecars, content = _setup(files, extra, problems, mapping, outlets)
    progress = progress or (lambda done, total, name: None)

    def records():
        for done, item in enumerate(content):
            progress(done, len(content), item.name)
            for rec in iter_records(item, mapping):
                if isinstance(rec, Problem):
                    assembler.problems.append(rec)
                else:
                    yield rec, assembler.stated(rec)
        for sidecar in sidecars:
            assembler.problems += unmatched(sidecar)
        progress(len(content), len(content), "done")

    return Stream(assembler, records(), len(content))


def _setup(files, explicit_sidecars, problems, mapping, outlets):
    outlets = outlets or load_outlets()
    for key in mapping or {}:
        if key not in FIELD_SYNONYMS:
            problems.append(Problem("mapping", None, "bad-mapping",
                                    f"unknown field '{key}' (fields: {', '.join(FIELD_SYNONYMS)})"))
    assembler = Assembler(outlets)
    sidecars: list[Sidecar] = []
    seen: set[str] = set()
    for item in explicit_sidecars + [f for f in files if f.kind == "sidecar"]:
        if item.name in seen:  # the explicit sidecar may also sit in a loaded folder
            continue
        seen.add(item.name)
        sidecar, found = read_sidecar(item)
        problems += found
        if sidecar is not None and item.scope not in assembler.sidecars:
            assembler.sidecars[item.scope] = sidecar
            sidecars.append(sidecar)
    assembler.problems = problems
    return assembler, sidecars, [f for f in files if f.kind in ("txt", "table")]


def _run(files: list[InputFile], explicit_sidecars: list[InputFile], problems: list[Problem],
         mapping: dict[str, str] | None, outlets: OutletTable | None, progress: Progress | None) -> IngestResult:
    progress = progress or (lambda done, total, name: None)
    assembler, sidecars, content = _setup(files, explicit_sidecars, problems, mapping, outlets)
    for done, item in enumerate(content):
        progress(done, len(content), item.name)
        _read_one(item, mapping, assembler)
    for sidecar in sidecars:
        assembler.problems += unmatched(sidecar)
    progress(len(content), len(content), "done")
    return IngestResult(assembler.articles, assembler.problems)


def _read_one(item: InputFile, mapping: dict[str, str] | None, assembler: Assembler) -> None:
    """Read one file into the assembler; a failure becomes a Problem and never stops the load."""
    try:
        data = file_bytes(item)
        if item.kind == "txt":
            records, found = [text_record(item, data)], []
        else:
            records, found = table_records(item, data, mapping)
    except ReadFailure as exc:
        assembler.problems.append(Problem(item.name, None, exc.reason, exc.detail))
        return
    assembler.problems += found
    for record in records:
        assembler.add(record)
