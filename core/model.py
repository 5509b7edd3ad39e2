"""Plain data types shared by every part of the core.

Nothing here computes; it only names what flows between ingestion, the text
pipeline, the store and the analyses.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UNKNOWN = "unknown"  # the outlet value (and *_source value) when nothing states it

# Where a metadata value came from.
SOURCE_SIDECAR = "sidecar"      # metadata.csv / JSON sidecar / a table column
SOURCE_INFERRED = "inferred"    # read from the article text (dateline, signature, footer)
SOURCE_CORRECTED = "corrected"  # fixed by an analyst in the app
SOURCE_UNKNOWN = UNKNOWN


@dataclass
class Article:
    """One article as ingestion hands it to the store.

    ``text_original`` is exactly what was read (decoded); ``text`` is the cleaned
    text that is counted; ``removed`` lists the furniture lines taken out, in order.
    """

    id: str
    text_original: str
    text: str = ""
    title: str = ""
    outlet: str = UNKNOWN          # canonical outlet name (Arabic where the outlet table has one)
    outlet_en: str = ""
    date: dt.date | None = None
    url: str = ""
    category: str = ""
    outlet_source: str = SOURCE_UNKNOWN
    date_source: str = SOURCE_UNKNOWN
    source_file: str = ""          # file (and member inside a zip: "a.zip:dir/x.txt")
    source_row: int | None = None  # 1-based row/line inside a table file, None for a .txt
    removed: list[str] = field(default_factory=list)
    published: dt.datetime | None = None  # the stated moment of publication (UTC), when the source gives a time


@dataclass
class Problem:
    """One row of the ingestion report: what could not be used, where, and why."""

    file: str
    row: int | None
    reason: str        # short machine-readable reason, e.g. "empty", "undecodable", "duplicate-text"
    detail: str = ""   # human sentence naming the cause

    def as_dict(self) -> dict:
        return {"file": self.file, "row": self.row, "reason": self.reason, "detail": self.detail}


class ResourceError(ValueError):
    """A resource file (stop words, aliases, gazetteer, topics, outlets) is invalid.

    The message names the file, the entry/row and the reason, e.g.
    ``gazetteer.yaml, entry 12 (لافروف): type must be person, place or organisation``.
    """

    def __init__(self, file: str, row: object, reason: str):
        self.file, self.row, self.reason = str(file), row, reason
        super().__init__(f"{self.file}, {row}: {reason}")
