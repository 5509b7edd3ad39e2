"""The corpus library: named corpora kept as index files in one folder (no Streamlit here).

Layout of a library folder (``MARSAD_LIBRARY``, by default ``var/library/``)::

    <name>.duckdb            the index (built by the app, or ``python -m core build PATH --db <name>.duckdb``)
    <name>.json              its settings: column mapping, sources, creation date (optional)
    <name>.sources/          the files uploaded into it, one per upload, never overwritten
    <name>.corrections.csv   the analyst's corrections of outlets and dates
    <name>.furniture.csv     the analyst's furniture decisions (patterns rejected / added)

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

from core.arabic import DIACRITICS
from core.fsutil import fsync_dir

INDEX_EXT = ".duckdb"
SETTINGS_EXT = ".json"
SOURCES_EXT = ".sources"
CORRECTIONS_EXT = ".corrections.csv"
FURNITURE_EXT = ".furniture.csv"
MAPPING_FIELDS = ("text", "title", "outlet", "date", "url")
MAX_NAME = 80

#: Letters and digits of any script, joined by spaces, "_", "-" or "."; first and last a letter/digit.
_MARKS = "\u0300-\u036f" + "".join(DIACRITICS)  # combining marks (harakat, shadda) may follow a letter
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


def furniture_path(lib: str | Path, name: str) -> Path:
    return Path(lib) / f"{name}{FURNITURE_EXT}"


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


def store_upload(lib: str | Path, name: str, file_name: str, data) -> Path:
    """Save one uploaded file (bytes, or a binary file object such as Streamlit's ``UploadedFile``,
    copied in 1 MiB chunks so no second copy of it is held in memory) into the corpus's sources
    folder and return its path.

    Written to a temporary file first (in the library folder, so a build never reads half a file)
    and then linked into place under a name no other file has: an upload never replaces another."""
    import shutil

    folder = sources_dir(lib, name)
    folder.mkdir(parents=True, exist_ok=True)
    tmp_dir = Path(lib) / ".tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, suffix=".upload")
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, (bytes, bytearray, memoryview)):
                f.write(data)
            else:
                if hasattr(data, "seek"):
                    data.seek(0)
                shutil.copyfileobj(data, f, 1 << 20)
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


# -- private areas: one per browser session, until the analyst saves a corpus to the library -----
PRIVATE_DIR = ".private"
PRIVATE_MAX_AGE = 24 * 3600  # a private area untouched for a day belongs to a dead session
_TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")


def new_token() -> str:
    """A session's private-area token: 128 random bits as 32 hex digits (never derived from anything)."""
    import secrets

    return secrets.token_hex(16)


def private_dir(lib: str | Path, token: str) -> Path:
    """The private library of one session: ``<lib>/.private/<token>/`` (the same layout as a library).

    Not listed by :func:`names` (a dot folder); only a session that holds the token finds it."""
    if not _TOKEN_RE.fullmatch(str(token or "")):
        raise ValueError("not a private-area token")
    return Path(lib) / PRIVATE_DIR / token


def touch_private(folder: str | Path) -> None:
    """Mark a private area as in use now (its age is the time since its owner last used it)."""
    try:
        os.utime(folder)
    except OSError:
        pass


def cleanup_private(lib: str | Path, max_age: float = PRIVATE_MAX_AGE, now: float | None = None,
                    keep: Iterable[str] = ()) -> list[str]:
    """Remove the private areas not used for ``max_age`` seconds (their sessions are gone); returns
    their tokens. An area counts as used when its folder or anything in it was last modified."""
    import shutil
    import time

    root = Path(lib) / PRIVATE_DIR
    if not root.is_dir():
        return []
    now = time.time() if now is None else now
    keep = set(keep)
    removed = []
    for area in root.iterdir():
        if not area.is_dir() or area.name in keep or not _TOKEN_RE.fullmatch(area.name):
            continue
        try:
            last = max([area.stat().st_mtime] + [p.stat().st_mtime for p in area.rglob("*")])
        except OSError:
            continue
        if now - last > max_age:
            trash = root / f".removing-{area.name}"
            try:
                os.replace(area, trash)  # gone from its owner's view at once, then removed
            except OSError:
                continue
            shutil.rmtree(trash, ignore_errors=True)
            removed.append(area.name)
    return removed


# -- rename, delete, save to the library -----------------------------------------------------------
_MOVE_LOCK = threading.Lock()
READONLY_KEY = "read_only"


def corpus_paths(lib: str | Path, name: str) -> list[Path]:
    """Every path that belongs to a corpus, the index first: index (+ DuckDB's ``.wal``), settings,
    uploads folder, corrections."""
    idx = index_path(lib, name)
    return [idx, idx.with_name(idx.name + ".wal"), settings_path(lib, name), sources_dir(lib, name),
            corrections_path(lib, name), furniture_path(lib, name)]


def is_read_only(lib: str | Path, name: str) -> bool:
    """A corpus that cannot be renamed or deleted: marked ``"read_only": true`` in its settings, or
    kept in a folder this process cannot write (a shared, read-only library)."""
    if load_settings(lib, name).get(READONLY_KEY):
        return True
    return not os.access(Path(lib), os.W_OK | os.X_OK)


def _move_no_replace(src: Path, dst: Path) -> None:
    """Move ``src`` to ``dst``; never replaces a file (a hard link claims the name) or a folder."""
    if src.is_dir():
        if dst.exists():
            raise FileExistsError(dst)
        os.rename(src, dst)  # a folder: fails if dst is a non-empty folder
        return
    try:
        os.link(src, dst)  # fails if dst exists
    except FileExistsError:
        raise
    except OSError:  # no hard links here: check and rename (under _MOVE_LOCK)
        if dst.exists():
            raise FileExistsError(dst)
        os.rename(src, dst)
        return
    os.unlink(src)


def move_corpus(src_lib: str | Path, name: str, dst_lib: str | Path, new_name: str,
                reserved: Iterable[str] = ()) -> str:
    """Move a corpus (its index, settings, uploads and corrections) to ``dst_lib`` as ``new_name``.

    The name is validated; a corpus of that name in ``dst_lib`` is never overwritten
    (:class:`BadName` "exists"); leftovers of a failed build under that name (no index) are
    replaced. Each file moves with one ``os.link``/``os.rename``; if a step fails the moved ones go
    back. Close any open handle on the index first. Returns the new name."""
    src_lib, dst_lib = Path(src_lib), Path(dst_lib)
    new_name = validate_name(new_name, reserved)
    if not exists(src_lib, name):
        raise BadName("missing", name)
    if src_lib.resolve() == dst_lib.resolve() and new_name == name:
        return name
    dst_lib.mkdir(parents=True, exist_ok=True)
    with _MOVE_LOCK:
        if exists(dst_lib, new_name):
            raise BadName("exists", new_name)
        pairs = list(zip(corpus_paths(src_lib, name), corpus_paths(dst_lib, new_name)))
        for _, dst in pairs[1:]:  # no index under that name: these are a failed build's leftovers
            _remove(dst)
        done: list[tuple[Path, Path]] = []
        try:
            for src, dst in pairs:  # the index first: it claims the name
                if src.exists():
                    _move_no_replace(src, dst)
                    done.append((src, dst))
        except BaseException:
            for src, dst in reversed(done):
                try:
                    os.rename(dst, src)
                except OSError:
                    pass
            raise
    if settings_path(dst_lib, new_name).exists():
        data = load_settings(dst_lib, new_name)
        data["name"] = new_name
        atomic_write(settings_path(dst_lib, new_name), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return new_name


def rename(lib: str | Path, name: str, new_name: str, reserved: Iterable[str] = ()) -> str:
    """Rename a corpus of ``lib`` (refused for a read-only one: :class:`BadName` "readonly")."""
    if exists(lib, name) and is_read_only(lib, name):
        raise BadName("readonly", name)
    return move_corpus(lib, name, lib, new_name, reserved)


def save_to_library(private_lib: str | Path, name: str, lib: str | Path, new_name: str,
                    reserved: Iterable[str] = ()) -> str:
    """Move a session's private corpus into the shared library as ``new_name`` (never over another)."""
    return move_corpus(private_lib, name, lib, new_name, reserved)


def _remove(path: Path) -> None:
    import shutil

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def delete(lib: str | Path, name: str) -> None:
    """Delete a corpus and everything that belongs to it. Its index goes first (in one rename to a
    hidden name), so the corpus stops being listed at once; then the rest is removed."""
    lib = Path(lib)
    if not exists(lib, name):
        raise BadName("missing", name)
    if is_read_only(lib, name):
        raise BadName("readonly", name)
    with _MOVE_LOCK:
        paths = corpus_paths(lib, name)
        trash = lib / ".tmp" / f"deleting-{new_token()}"
        trash.parent.mkdir(parents=True, exist_ok=True)
        os.rename(paths[0], trash)
        for p in paths[1:]:
            _remove(p)
        trash.unlink()
