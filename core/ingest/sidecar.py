"""Sidecar metadata: what is known about article files from outside their text.

A sidecar is ``metadata.csv`` (or .tsv/.json/.jsonl) in a folder (or zip folder), or a file
passed as ``load(..., metadata=path)``.  It has a key column ``file`` (or ``id`` / ``filename``)
naming the article file, with or without its extension, and any of the columns outlet,
outlet_en, date, title, url, category (the same names tables accept).

JSON sidecars are a list of objects with a ``file``/``id`` key, or an object keyed by file::

    {"000_058533779b74fd40.txt": {"outlet": "قاسيون", "date": "2017-04-12"}}

An empty cell means "not stated" (seed 001's row is all empty: its outlet stays unknown and
its date None unless the text itself states them).  A stated value wins over anything inferred.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from core.model import Problem

from .dates import is_empty_value
from .readers import (FIELD_SYNONYMS, InputFile, ReadFailure, cell_text, file_bytes, norm_column, split_ext,
                      table_rows)

KEY_COLUMNS = ("file", "filename", "file_name", "id", "doc_id", "article_id", "name", "الملف")
SIDECAR_FIELDS = ("title", "outlet", "outlet_en", "date", "url", "category")


@dataclass
class SidecarEntry:
    """One sidecar row: its stated (non-empty) values and where it was read."""

    key: str
    values: dict[str, object]
    file: str
    row: int | None
    used: bool = False


@dataclass
class Sidecar:
    """The entries of one sidecar file, looked up by file name or stem (case-insensitive)."""

    file: str
    entries: list[SidecarEntry] = field(default_factory=list)
    _index: dict[str, SidecarEntry] = field(default_factory=dict, repr=False)

    def add(self, entry: SidecarEntry) -> bool:
        """Index an entry; False when its key is already taken (the first row is kept)."""
        names = {entry.key.casefold(), split_ext(entry.key)[0].casefold()}
        if any(n in self._index for n in names):
            return False
        self.entries.append(entry)
        for n in names:
            self._index[n] = entry
        return True

    def find(self, keys: tuple[str, ...]) -> SidecarEntry | None:
        """The entry for the first of ``keys`` (file name, stem, id) that the sidecar lists."""
        for key in keys:
            entry = self._index.get(key.casefold()) if key else None
            if entry:
                return entry
        return None


def read_sidecar(item: InputFile) -> tuple[Sidecar | None, list[Problem]]:
    """Parse a sidecar file; problems name the file and row (never raises)."""
    try:
        columns, rows, problems = table_rows(item, file_bytes(item))
    except ReadFailure as exc:
        return None, [Problem(item.name, None, "bad-sidecar", f"metadata file cannot be used: {exc.detail}")]
    norm = {norm_column(c): c for c in columns}
    key_col = next((norm[k] for k in KEY_COLUMNS if k in norm), None)
    if key_col is None:
        return None, problems + [Problem(item.name, None, "bad-sidecar",
                                         f"no 'file' or 'id' column (columns found: {', '.join(map(str, columns))})")]
    field_cols = {}
    for fld in SIDECAR_FIELDS:
        col = next((norm[n] for n in FIELD_SYNONYMS[fld] if n in norm and norm[n] != key_col), None)
        if col is not None and col not in field_cols.values():
            field_cols[fld] = col
    sidecar = Sidecar(item.name)
    for row_no, row in rows:
        key = cell_text(row.get(key_col)).strip()
        if not key:
            if any(not is_empty_value(v) for v in row.values()):
                problems.append(Problem(item.name, row_no, "bad-sidecar", f"row {row_no} names no file"))
            continue
        values = {f: row.get(c) for f, c in field_cols.items() if not is_empty_value(row.get(c))}
        if not sidecar.add(SidecarEntry(key, values, item.name, row_no)):
            problems.append(Problem(item.name, row_no, "bad-sidecar",
                                    f"'{key}' is listed twice; the first row is used"))
    return sidecar, problems


def unmatched(sidecar: Sidecar) -> list[Problem]:
    """A Problem for every sidecar row no article used ("sidecar-unmatched")."""
    return [Problem(sidecar.file, e.row, "sidecar-unmatched", f"no article file or id '{e.key}' was loaded")
            for e in sidecar.entries if not e.used]
