"""Writing files so that nothing is lost: a reader, or a crash at any instant, sees the old
content or the new one, never a part.

Every file the product writes goes through here: the corrections CSV, a corpus's settings and
column mapping, the resource files saved from the app, the CLI's CSV exports, and the index
itself (built beside the old one and swapped in by :func:`replace_index`).

The recipe is the usual one: write a temporary file in the *same folder* (so the rename stays on
one file system), ``fsync`` it, ``os.replace`` it over the target (atomic on POSIX and Windows),
then ``fsync`` the folder so the rename itself survives a power cut.  Temporary files start with
a dot and end in ``.tmp``, so no reader that lists ``*.csv``, ``*.json`` or ``*.duckdb`` takes
one for data.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

#: The suffix of every temporary file made here (``.<name>.<random>.tmp``).
TMP_SUFFIX = ".tmp"


def fsync_dir(folder: str | Path) -> None:
    """Flush a folder's entries (a rename or a new link) to disk; a no-op where folders cannot
    be opened (Windows)."""
    try:
        fd = os.open(str(folder), os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    The folder is created when missing.  On any failure (a full disk, an interrupt) the
    temporary file is removed and ``path`` keeps its old content."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)
    return path


def atomic_write_text(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """:func:`atomic_write_bytes` of ``text`` encoded (UTF-8 by default)."""
    return atomic_write_bytes(path, text.encode(encoding))


def replace_index(built: str | Path, db_path: str | Path) -> None:
    """Swap a complete, checkpointed and closed DuckDB file ``built`` in for ``db_path``.

    A write-ahead log left beside the old index (``db_path.wal``: a process killed after a commit
    and before its checkpoint) belongs to the old file; DuckDB refuses to open the new file with
    it ("WAL does not match database file").  So the old index is checkpointed first (its last
    commits are kept while it is still the index) and the log removed; only then is the new
    file renamed over it.  A crash at any point leaves one openable index: the old or the new."""
    import duckdb

    built, db_path = Path(built), Path(db_path)
    wal = Path(str(db_path) + ".wal")
    if wal.exists():
        try:
            con = duckdb.connect(str(db_path))
            try:
                con.execute("CHECKPOINT")
            finally:
                con.close()
        except duckdb.Error:
            pass  # a log the old file cannot replay: it is being replaced anyway
        wal.unlink(missing_ok=True)
        fsync_dir(db_path.parent)
    with open(built, "rb") as f:   # DuckDB's checkpoint syncs too; this costs little
        os.fsync(f.fileno())
    os.replace(built, db_path)
    fsync_dir(db_path.parent)
