"""The outlet table: canonical outlet names and every spelling that means them.

The table lives in ``core/resources/outlets.yaml`` (editable by analysts).  One entry::

    - name: سكاي نيوز عربية        # canonical (Arabic) name shown in the app
      en: Sky News Arabia          # English name, kept in Article.outlet_en
      aliases: [Sky News Arabia, سكاي نيوز, skynewsarabia.com]

>>> table = load_outlets()
>>> table.resolve("Sky News Arabia")
('سكاي نيوز عربية', 'Sky News Arabia')
>>> table.resolve("فرانس24")
('فرانس 24', 'France 24 Arabic')
>>> table.resolve("صحيفة لا نعرفها") is None
True
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from core.model import ResourceError
from core.resources import DEFAULT_DIR, OUTLETS_FILE, _entry_head, _read_yaml, _string_list

from ._text import name_key

DEFAULT_PATH = DEFAULT_DIR / OUTLETS_FILE
_ALLOWED_KEYS = {"name", "en", "aliases", "kind", "note", "url"}


@dataclass(frozen=True)
class Outlet:
    """One outlet: canonical name, English name and the aliases it is known by."""

    name: str
    en: str = ""
    aliases: tuple[str, ...] = ()
    kind: str = ""


@dataclass
class OutletTable:
    """Resolve any spelling of an outlet to ``(canonical, english)``.

    Build it with :func:`load_outlets` (validated) or :meth:`from_entries`.
    """

    outlets: list[Outlet] = field(default_factory=list)
    _index: dict[str, Outlet] = field(default_factory=dict, repr=False)
    source: str = "<memory>"

    @classmethod
    def from_entries(cls, entries: list, source: str = "<memory>") -> "OutletTable":
        """Validate raw entries (dicts as in the YAML file) and index every alias.

        Raises :class:`core.model.ResourceError` naming the file, the entry and the reason.
        """
        table = cls(source=source)
        if not isinstance(entries, list):
            raise ResourceError(source, "outlets", "must be a list of entries")
        for i, raw in enumerate(entries, start=1):
            table._add(_validate_entry(raw, i, source), i)
        return table

    def _add(self, outlet: Outlet, row: int) -> None:
        self.outlets.append(outlet)
        for spelling in (outlet.name, outlet.en, *outlet.aliases):
            key = name_key(spelling) if spelling else ""
            if not key:
                continue
            other = self._index.get(key)
            if other is not None and other is not outlet:
                raise ResourceError(
                    self.source, f"entry {row} ({outlet.name})",
                    f"alias {spelling!r} already belongs to outlet {other.name!r}")
            self._index[key] = outlet

    def lookup(self, raw: str) -> Outlet | None:
        """The :class:`Outlet` a spelling names, or None."""
        if not raw:
            return None
        return self._index.get(name_key(raw))

    def resolve(self, raw: str) -> tuple[str, str] | None:
        """``(canonical, english)`` for any known spelling, else None.

        >>> load_outlets().resolve("  (شينخوا) ".strip(" ()"))
        ('شينخوا', 'Xinhua Arabic')
        """
        outlet = self.lookup(raw)
        return (outlet.name, outlet.en) if outlet else None

    def __len__(self) -> int:
        return len(self.outlets)


def _validate_entry(raw: object, row: int, source: str) -> Outlet:
    name, label = _entry_head(source, row, raw, "name", _ALLOWED_KEYS, "at least a name")
    en = raw.get("en") or ""
    if not isinstance(en, str):
        raise ResourceError(source, label, "en must be a string")
    aliases = _string_list(source, label, raw.get("aliases"), "aliases")
    return Outlet(name=name, en=en.strip(), kind=str(raw.get("kind") or ""), aliases=tuple(aliases))


def load_outlets(path: str | Path | None = None) -> OutletTable:
    """Read and validate an outlet table (default: ``core/resources/outlets.yaml``).

    The file is a mapping with an ``outlets:`` list (a bare list is accepted too).
    Every entry needs a ``name``; an alias claimed by two outlets is an error.

    >>> len(load_outlets()) > 10
    True
    """
    if path is None:
        return _default_table()
    return _read_table(Path(path))


@lru_cache(maxsize=1)
def _default_table() -> OutletTable:
    return _read_table(DEFAULT_PATH)


def _read_table(path: Path) -> OutletTable:
    """Read with the other resources' reader (:mod:`core.resources`): errors name the file by its name."""
    doc = _read_yaml(path)
    if isinstance(doc, dict):
        if set(doc) != {"outlets"}:
            raise ResourceError(path.name, "-", "the file must be a mapping with one section, 'outlets:' (or a list)")
        doc = doc["outlets"]
    return OutletTable.from_entries(doc or [], source=path.name)
