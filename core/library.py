"""The corpus library: named corpora kept as index files in one folder (no Streamlit here).

Layout of a library folder (``MARSAD_LIBRARY``, by default ``var/library/``)::

    <name>.duckdb            the index (built by the app, or ``python -m core build PATH --db <name>.duckdb``)
    <name>.json              its settings: column mapping, sources, creation date (optional)
    <name>.sources/          the files uploaded into it, one per upload, never overwritten
    <name>.corrections.csv   the analyst's corrections of outlets and dates

A corpus exists when its ``.duckdb`` file does.  Names are what the analyst typed (Arabic
allowed) and are checked by :func:`validate_name` before any path is made from them.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import threading
import unicodedata
from pathlib import Path
from typing import Iterable

from core.fsutil import fsync_dir

INDEX_EXT = ".duckdb"
SETTINGS_EXT = ".json"
SOURCES_EXT = ".sources"
CORRECTIONS_EXT = ".corrections.csv"
MAPPING_FIELDS = ("text", "title", "outlet", "date", "url")
MAX_NAME = 80

#: Letters and digits of any script, joined by spaces, "_", "-" or "."; first and last a letter/digit.
_MARKS = "\u0300-\u036f\u064b-\u065f\u0670"  # combining marks (harakat, shadda) may follow a letter
_NAME_RE = re.compile(rf"^[^\W_][{_MARKS}]*(?:[\w .\-{_MARKS}]*[^\W_][{_MARKS}]*)?$", re.UNICODE)


class BadName(ValueError):
    """A corpus name that cannot be used; ``code`` is the i18n key suffix (``lib.name.<code>``)."""

    def __init__(self, code: str, name: str):
        super().__init__(f"corpus name {name!r}: {code}")
        self.code = code
        self.name = name


def validate_name(name: str, reserved: Iterable[str] = ()) -> str:
    """The name, NFC-normalised and stripped, or :class:`BadName` (codes: empty, long, chars, reserved).

    Allowed: letters and digits of any script (Arabic too), with single spaces, "_", "-" or "." between
    them.  No path separators, no leading dot, no control or bidi characters."""
    clean = unicodedata.normalize("NFC", str(name or "")).strip()
    if not clean:
        raise BadName("empty", clean)
    if len(clean) > MAX_NAME:
        raise BadName("long", clean)
    if not _NAME_RE.match(clean) or "  " in clean or ".." in clean or clean.startswith("."):
        raise BadName("chars", clean)
    if clean.casefold() in {r.casefold() for r in reserved}:
        raise BadName("reserved", clean)
    return clean


def is_valid_name(name: str, reserved: Iterable[str] = ()) -> bool:
    try:
        validate_name(name, reserved)
    except BadName:
        return False
    return True


# -- paths ---------------------------------------------------------------------------------------
def index_path(lib: str | Path, name: str) -> Path:
    return Path(lib) / f"{name}{INDEX_EXT}"


def settings_path(lib: str | Path, name: str) -> Path:
    return Path(lib) / f"{name}{SETTINGS_EXT}"


def sources_dir(lib: str | Path, name: str) -> Path:
    return Path(lib) / f"{name}{SOURCES_EXT}"


def corrections_path(lib: str | Path, name: str) -> Path:
    return Path(lib) / f"{name}{CORRECTIONS_EXT}"


def names(lib: str | Path, reserved: Iterable[str] = ()) -> list[str]:
    """The corpora of a library folder (``<name>.duckdb`` files with a valid, unreserved name), sorted.

    Files being built (``.building``) and unusable names are not listed."""
    lib = Path(lib)
    if not lib.is_dir():
        return []
    reserved = list(reserved)
    found = []
    for p in lib.glob(f"*{INDEX_EXT}"):
        if p.is_file() and is_valid_name(p.name[: -len(INDEX_EXT)], reserved):
            found.append(p.name[: -len(INDEX_EXT)])
    return sorted(found, key=str.casefold)


def exists(lib: str | Path, name: str) -> bool:
    return index_path(lib, name).is_file()


# -- settings ------------------------------------------------------------------------------------
def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``path`` through a temporary file in the same folder and ``os.replace``."""
    from core.index.corrections import atomic_write_bytes

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(Path(path), data)


def clean_mapping(mapping: dict | None) -> dict[str, str]:
    """Only the known fields, with a non-blank column name."""
    return {k: str(v).strip() for k, v in (mapping or {}).items() if k in MAPPING_FIELDS and v and str(v).strip()}


def load_settings(lib: str | Path, name: str) -> dict:
    """The corpus's settings (``{}`` when it has none or the file is unreadable)."""
    try:
        data = json.loads(settings_path(lib, name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_settings(lib: str | Path, name: str, **changes) -> dict:
    """Merge ``changes`` into the corpus's settings file (written atomically); returns the result."""
    data = {**load_settings(lib, name), **changes, "name": name}
    if "mapping" in data:
        data["mapping"] = clean_mapping(data["mapping"])
    data.setdefault("created", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    atomic_write(settings_path(lib, name), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return data


def mapping(lib: str | Path, name: str) -> dict[str, str]:
    return clean_mapping(load_settings(lib, name).get("mapping"))


def save_mapping(lib: str | Path, name: str, new: dict) -> dict[str, str]:
    return save_settings(lib, name, mapping=clean_mapping(new))["mapping"]


def rebuild_sources(lib: str | Path, name: str, meta_sources: Iterable[str] = ()) -> list[Path]:
    """What a full rebuild of a library corpus reads: the sources it was built from outside the
    library (from the index's ``meta``) plus its folder of uploads (once, not file by file)."""
    up = sources_dir(lib, name).resolve()
    out: list[Path] = []
    for s in list(load_settings(lib, name).get("sources") or []) + list(meta_sources):
        p = Path(s)
        try:
            rp = p.resolve()
        except OSError:
            continue
        if rp == up or up in rp.parents or not p.exists() or p in out:
            continue
        out.append(p)
    if up.is_dir() and any(f.is_file() for f in up.rglob("*")):
        out.append(up)
    return out


# -- uploads -------------------------------------------------------------------------------------
_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_STORE_LOCK = threading.Lock()


def safe_file_name(name: str) -> str:
    """An uploaded file's name as a plain file name (no folders, no leading dot), extensions kept."""
    base = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    safe = _SAFE.sub("_", base).strip("._") or "upload"
    return safe[-120:]


def _split_ext(name: str) -> tuple[str, str]:
    """("export", ".jsonl.gz") for "export.jsonl.gz": a suffix goes before every extension."""
    stem, dot, rest = name.partition(".")
    return (stem, dot + rest) if stem else (name, "")


def unique_file_name(folder: str | Path, name: str) -> str:
    """``name`` if no file of that name is in ``folder``, else ``stem-2.ext``, ``stem-3.ext`` …"""
    folder = Path(folder)
    stem, ext = _split_ext(name)
    cand, i = name, 1
    while (folder / cand).exists():
        i += 1
        cand = f"{stem}-{i}{ext}"
    return cand


def store_upload(lib: str | Path, name: str, file_name: str, data: bytes) -> Path:
    """Save one uploaded file into the corpus's sources folder and return its path.

    Written to a temporary file first (in the library folder, so a build never reads half a file)
    and then linked into place under a name no other file has: an upload never replaces another."""
    folder = sources_dir(lib, name)
    folder.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(lib) / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        safe = safe_file_name(file_name)
        with _STORE_LOCK:
            while True:
                target = folder / unique_file_name(folder, safe)
                try:
                    os.link(tmp, target)  # fails if the name was taken meanwhile: never overwrites
                    break
                except FileExistsError:
                    continue
                except OSError:  # a file system without hard links: replace under the lock
                    if target.exists():
                        continue
                    os.replace(tmp, target)
                    break
        fsync_dir(folder)  # the new name is on disk before the upload counts as saved
    finally:
        Path(tmp).unlink(missing_ok=True)
    return target


# -- listing -------------------------------------------------------------------------------------
def status(path: str | Path, resources=None) -> dict:
    """:func:`core.index.cache.index_status` of one index (also when this process has it open)."""
    from core.index.cache import index_status

    return index_status(path, resources=resources)


def list_library(lib: str | Path, reserved: Iterable[str] = (), resources=None) -> list[dict]:
    """Every corpus of the library with its status: name, path, articles, size_bytes, built, stale,
    stale_reason (as :func:`status`) and its mapping."""
    out = []
    for name in names(lib, reserved):
        st = status(index_path(lib, name), resources=resources)
        out.append({**st, "name": name, "mapping": mapping(lib, name)})
    return out


def stale_codes(reason: str) -> list[str]:
    """The stale reasons as i18n key suffixes (``lib.stale.<code>``): schema, resources, appended,
    broken, other."""
    codes = []
    for part in filter(None, (s.strip() for s in str(reason or "").split(";"))):
        low = part.lower()
        code = ("broken" if "cannot be opened" in low else "schema" if low.startswith("schema")
                else "resources" if "resources" in low else "appended" if ("append" in low or "group" in low)
                else "other")
        if code not in codes:
            codes.append(code)
    return codes


def size_mb(size_bytes: int | float) -> float:
    return round(float(size_bytes or 0) / 1_000_000, 1)


def built_label(built: str) -> str:
    """"2025-01-31 14:05" from an ISO time stamp (UTC as stored); "" when unknown."""
    if not built:
        return ""
    try:
        return dt.datetime.fromisoformat(str(built)).strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return str(built)[:16]


def is_index_file(path: str | Path) -> bool:
    """An index file (``.duckdb``) rather than sources to build."""
    p = Path(path)
    if p.suffix.lower() == INDEX_EXT:
        return True
    if p.is_file():
        try:
            with open(p, "rb") as f:
                head = f.read(16)
        except OSError:
            return False
        return head[8:12] == b"DUCK"
    return False
