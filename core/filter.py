"""The one filter value every page, the CLI and the tests share.

A :class:`Filter` says which articles are looked at: a date range, a set of
outlets, a free-text query (normalised like the corpus, so سورية finds سوريا
and للافروف finds لافروف) and what to do with undated articles. It round-trips
through a URL query string so a view can be shared by link.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Mapping

UNDATED_CHOICES = ("include", "exclude", "only")


def _parse_date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value if str(v)]


@dataclass(frozen=True)
class Filter:
    """Which articles to look at.

    >>> Filter(outlets=("شينخوا",), date_from=dt.date(2017, 4, 1)).to_params()
    {'from': '2017-04-01', 'outlet': ['شينخوا']}
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlets: tuple[str, ...] = ()  # empty: every outlet; "unknown" selects articles without one
    query: str = ""
    undated: str = "include"       # include / exclude / only articles without a date

    def __post_init__(self):
        object.__setattr__(self, "date_from", _parse_date(self.date_from))
        object.__setattr__(self, "date_to", _parse_date(self.date_to))
        object.__setattr__(self, "outlets", tuple(dict.fromkeys(_as_list(self.outlets))))
        object.__setattr__(self, "query", (self.query or "").strip())
        if self.undated not in UNDATED_CHOICES:
            object.__setattr__(self, "undated", "include")

    # -- URL round trip ---------------------------------------------------------------------
    def to_params(self) -> dict[str, str | list[str]]:
        """The non-default parts as URL query parameters."""
        params: dict[str, str | list[str]] = {}
        if self.date_from:
            params["from"] = self.date_from.isoformat()
        if self.date_to:
            params["to"] = self.date_to.isoformat()
        if self.outlets:
            params["outlet"] = list(self.outlets)
        if self.query:
            params["q"] = self.query
        if self.undated != "include":
            params["undated"] = self.undated
        return params

    @classmethod
    def from_params(cls, params: Mapping) -> "Filter":
        """Read a filter back from URL query parameters (unknown keys are ignored)."""

        def get_all(key):
            if hasattr(params, "get_all"):
                return params.get_all(key)
            return _as_list(params.get(key))

        def get_one(key):
            vals = get_all(key)
            return vals[-1] if vals else None

        return cls(
            date_from=get_one("from"),
            date_to=get_one("to"),
            outlets=tuple(get_all("outlet")),
            query=get_one("q") or "",
            undated=get_one("undated") or "include",
        )

    def slug(self) -> str:
        """A short, file-name-safe summary: ``2017-04-01_2017-04-30_شينخوا+قاسيون_q-لافروف``."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or 'start'}_{self.date_to or 'end'}")
        if self.outlets:
            parts.append("+".join(self.outlets[:3]) + (f"+{len(self.outlets) - 3}more" if len(self.outlets) > 3 else ""))
        if self.query:
            parts.append("q-" + self.query[:30])
        if self.undated != "include":
            parts.append(f"undated-{self.undated}")
        text = "_".join(parts) or "all"
        return re.sub(r"[^\w+\-]+", "-", text, flags=re.UNICODE).strip("-")[:120]
