"""Where the index of a set of sources lives, and whether it is stale.

The cache key covers the sources (paths, sizes, modification times), the column mapping,
the resources (stop words, aliases, gazetteer, topics), ``outlets.yaml``, the schema and the
counting code: editing any of them rebuilds.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Callable, Sequence

Progress = Callable[[float, str], None]


def source_fingerprint(sources: Sequence[str | Path], extra: str = "") -> str:
    """A hash of the files' paths, sizes and modification times (not their contents)."""
    h = hashlib.sha256(extra.encode())
    for src in sources:
        src = Path(src)
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for f in files:
            st = f.stat()
            h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def outlets_fingerprint(path: str | Path | None = None) -> str:
    from core.ingest.outlets import DEFAULT_PATH

    p = Path(path or DEFAULT_PATH)
    return hashlib.sha256(p.read_bytes() if p.exists() else b"").hexdigest()[:16]


def code_fingerprint() -> str:
    """Changes when the counting code changes, so a cached index is rebuilt."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent.parent
    for rel in ("arabic.py", "textpipe.py", "resources.py", "index", "ingest", "extract",
                "resources/speech.yaml", "resources/dates.yaml", "resources/furniture.yaml", "resources/columns.yaml"):
        p = root / rel
        files = [p] if p.is_file() else sorted(p.rglob("*.py")) if p.exists() else []
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:8]


def file_fingerprint(path: str | Path | None) -> str:
    """A short hash of a file's content ("" when there is none)."""
    if not path or not Path(path).exists():
        return ""
    return hashlib.sha1(Path(path).read_bytes()).hexdigest()[:8]


def cache_key(resources=None, mapping: dict | None = None, furniture: str | Path | None = None) -> str:
    """Everything besides the sources that decides an index's content (the furniture decisions too)."""
    from core.index.build import SCHEMA_VERSION
    from core.resources import load_resources

    resources = resources or load_resources()
    return (resources.fingerprint() + outlets_fingerprint() + SCHEMA_VERSION + code_fingerprint()
            + json.dumps(mapping or {}, sort_keys=True) + file_fingerprint(furniture))


def cached_db_path(sources: Sequence[str | Path], cache_dir: str | Path, name: str = "corpus", resources=None,
                   mapping: dict | None = None, furniture: str | Path | None = None) -> Path:
    """Where the index of these sources lives: changes with the files, the column mapping, the resources,
    outlets.yaml, the furniture decisions and the counting code."""
    fp = source_fingerprint(sources, extra=cache_key(resources, mapping, furniture))
    return Path(cache_dir) / f"{name}-{fp}.duckdb"


def open_or_build(sources: Sequence[str | Path], cache_dir: str | Path, name: str = "corpus",
                  progress: Progress | None = None, corrections: str | Path | None = None, resources=None,
                  mapping: dict | None = None, furniture: str | Path | None = None, **kw):
    """Open the cached index for these sources, or build it once (ingestion is the heavy step).

    A superseded index of the same name is removed only after the new one is complete."""
    from core.index.build import build_index
    from core.index.corrections import load_corrections
    from core.index.handle import Corpus
    from core.resources import load_resources

    resources = resources or load_resources()
    db = cached_db_path(sources, cache_dir, name, resources, mapping, furniture)
    if db.exists():
        corpus = Corpus.open(db, resources=resources)
        if corrections:
            edits = load_corrections(corrections)
            if len(edits):
                corpus.correct(edits)
        return corpus
    corpus = build_index(sources, db, progress=progress, corrections=corrections, resources=resources,
                         mapping=mapping, furniture=furniture, **kw)
    for old in Path(cache_dir).glob(f"{name}-*.duckdb"):
        if old != db:
            for p in (old, Path(str(old) + ".wal")):   # its write-ahead log goes with it
                try:
                    p.unlink(missing_ok=True)
                except OSError:
                    pass
    return corpus


def index_status(db_path: str | Path, resources=None) -> dict:
    """What the library shows of one index: name, path, articles, size on disk, build date, and
    whether it is stale (built with other resources, another schema, or appended to since its
    grouping was decided) with the reason."""
    import duckdb

    from core.index.build import SCHEMA_VERSION
    from core.resources import load_resources

    p = Path(db_path)
    out = {"name": p.stem, "path": str(p), "size_bytes": p.stat().st_size if p.exists() else 0,
           "articles": 0, "built": "", "stale": False, "stale_reason": "", "appended": 0, "drift": 0.0}
    try:
        con = duckdb.connect(str(p), read_only=True)
    except duckdb.Error:
        try:   # already open read-write in this process (the app's own handle)
            con = duckdb.connect(str(p))
        except duckdb.Error as exc:
            return {**out, "stale": True, "stale_reason": f"cannot be opened: {exc}"}
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except duckdb.Error:
        meta = {}
    finally:
        con.close()
    out["articles"] = int(meta.get("articles") or 0)
    out["built"] = meta.get("built", "")
    out["appended"] = int(meta.get("appended") or 0)
    out["drift"] = float(meta.get("drift") or 0.0)
    resources = resources or load_resources()
    reasons = []
    if meta.get("schema") != SCHEMA_VERSION:
        reasons.append(f"schema {meta.get('schema', '?')} (now {SCHEMA_VERSION})")
    if meta.get("resources") and meta.get("resources") != resources.fingerprint():
        reasons.append("the resources changed since it was built")
    if meta.get("stale") == "1":
        reasons.append(meta.get("stale_reason") or "appended articles changed the grouping")
    out["stale"] = bool(reasons)
    out["stale_reason"] = "; ".join(reasons)
    return out


