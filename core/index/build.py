"""The local engine: the streaming build on a pool of worker processes.

    read ─▶ prepare (workers) ─▶ admit (main: duplicates, ids) ─▶ staged articles (Parquet parts)
         ─▶ number (DuckDB: date, outlet, id order) ─▶ decide the grouping (main, from the vocabulary)
         ─▶ count (workers: terms, mentions, variants, labels, quotes, shingles → Parquet parts)
         ─▶ finalize (DuckDB SQL over the parts; passages aligned by the workers)

Articles flow in batches of ``batch_size``; at most ``2 × workers`` batches are in flight, so
memory holds a few batches, the vocabulary and the grouping — never the corpus.  Workers are
started with ``spawn`` (no DuckDB or Arrow threads are forked) and receive the corpus-wide
state (the outlet table, the grouping) once, when they start.
"""
from __future__ import annotations

import collections
import json
import multiprocessing as mp
import os
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import duckdb
import pandas as pd

from core.index import batches, finalize
from core.index.corrections import apply_corrections_to_articles, load_corrections

Progress = Callable[[float, str], None]
SCHEMA_VERSION = "2"
BATCH_SIZE = 400


def _noop(_f: float, _m: str) -> None:
    pass


# -- the pool ----------------------------------------------------------------------------------------

_STATE: dict = {}


def _init_worker(state: dict) -> None:
    _STATE.clear()
    _STATE.update(state)


def make_pool(workers: int, state: dict | None = None):
    """A ``spawn`` pool of ``workers`` processes holding ``state`` (None when workers ≤ 1)."""
    if workers <= 1:
        _init_worker(state or {})
        return None
    ctx = mp.get_context("spawn")
    return ctx.Pool(workers, initializer=_init_worker, initargs=(state or {},))


def ordered_map(pool, fn: Callable, items: Iterable, inflight: int | None = None) -> Iterator:
    """``map(fn, items)`` on the pool, in order, with at most ``inflight`` tasks submitted
    (back-pressure: the input is consumed only as fast as results are taken)."""
    if pool is None:
        for item in items:
            yield fn(item)
        return
    inflight = inflight or 2 * pool._processes
    queue: collections.deque = collections.deque()
    for item in items:
        queue.append(pool.apply_async(fn, (item,)))
        if len(queue) >= inflight:
            yield queue.popleft().get()
    while queue:
        yield queue.popleft().get()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


#: Inputs smaller than this are built in the calling process (starting workers costs more).
SMALL_INPUT = 4 * 2**20


def auto_workers(sources) -> int:
    """Every core, except for small inputs (a few MB), which are built in-process."""
    size = 0
    for src in sources:
        p = Path(src)
        try:
            size += p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        except OSError:
            continue
        if size >= SMALL_INPUT:
            return default_workers()
    return 1


# -- worker tasks ------------------------------------------------------------------------------------

def _prepare_task(items):
    return batches.prepare_batch(items, _STATE["outlets"])


def _count_task(task):
    arts, out_dir = task
    parts = batches.count_batch(arts, _STATE["grouper"], _STATE["matcher"], quotes=_STATE["quotes"],
                                reuse=_STATE["reuse"])
    first = int(arts["aid"].iloc[0]) if len(arts) else 0
    write_parts(parts, Path(out_dir), f"part-{first:010d}")
    return len(arts)


def write_parts(parts: dict[str, pd.DataFrame], out_dir: Path, name: str) -> None:
    """Write each part as ``out_dir/<table>/<name>.parquet`` (atomically: temp file + rename)."""
    for table, frame in parts.items():
        d = out_dir / table
        d.mkdir(parents=True, exist_ok=True)
        tmp = d / f".{name}.tmp"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, d / f"{name}.parquet")


def _chunks(it: Iterable, n: int) -> Iterator[list]:
    buf = []
    for x in it:
        buf.append(x)
        if len(buf) >= n:
            yield buf
            buf = []
    if buf:
        yield buf


# -- passes ------------------------------------------------------------------------------------------

def read_pass(stream, parts: Path, pool, progress: Progress, corrections=None, stage_every: int = 2000,
              admitted: Counter | None = None) -> tuple[Counter, int]:
    """Read, prepare and admit every record; stage the kept articles as Parquet parts.

    Returns the vocabulary counts of the kept articles and their number.
    """
    vocab: Counter = Counter()
    seq = 0
    staged: list = []
    n_part = 0
    t0 = time.perf_counter()
    edits = None
    if corrections is not None and len(corrections):
        edits = corrections

    def flush():
        nonlocal staged, n_part, seq
        if not staged:
            return
        if edits is not None:
            apply_corrections_to_articles([p.article for p in staged], edits)
        frame = batches.articles_frame(staged, seq)
        seq += len(staged)
        write_parts({"articles": frame}, parts, f"part-{n_part:06d}")
        n_part += 1
        staged = []

    for prepared, problems, counts in ordered_map(pool, _prepare_task, _chunks(stream.records, BATCH_SIZE)):
        vocab.update(counts)
        for p, found in zip(prepared, problems):
            stream.assembler.problems += found
            if p is None:
                continue
            if stream.assembler.admit(p) is None:
                # a duplicate: its words do not count
                vocab.subtract(batches.vocab_counts([p.article.text]))
                continue
            staged.append(p)
        stream.assembler.articles.clear()   # the assembler keeps only its duplicate keys
        if len(staged) >= stage_every:
            flush()
        n = seq + len(staged)
        progress(min(0.34, 0.02 + 0.32 * n / max(n + 5000, 1)),
                 f"reading {n} articles ({n / max(time.perf_counter() - t0, 1e-6):.0f}/s)")
    flush()
    vocab = +vocab   # drop the zero counts left by duplicates
    return vocab, seq


def count_pass(con, parts: Path, pool, progress: Progress, total: int, table: str = "articles0",
               where: str = "TRUE", lo: float = 0.40, hi: float = 0.75) -> None:
    """Count every article of ``table`` (in aid order) into parts."""
    cur = con.cursor()
    res = cur.execute(f"SELECT aid, outlet, date, text FROM {table} WHERE {where} ORDER BY aid")

    def tasks():
        while True:
            rows = res.fetchmany(BATCH_SIZE)
            if not rows:
                return
            yield pd.DataFrame(rows, columns=["aid", "outlet", "date", "text"]), str(parts)

    done = 0
    t0 = time.perf_counter()
    for n in ordered_map(pool, _count_task, tasks()):
        done += n
        rate = done / max(time.perf_counter() - t0, 1e-6)
        progress(lo + (hi - lo) * done / max(total, 1), f"counting {done}/{total} ({rate:.0f}/s)")


# -- build -------------------------------------------------------------------------------------------

def build_index(sources: Sequence[str | Path] | str | Path, db_path: str | Path = ":memory:", *,
                metadata=None, mapping: dict | None = None, resources=None, corrections=None,
                progress: Progress | None = None, workers: int | None = None, reuse: bool = True,
                quotes: bool = True, memory_limit: str = "1500MB"):
    """Build the index of ``sources`` into ``db_path`` (a DuckDB file, or ``:memory:``).

    The old index at ``db_path`` stays in place until the new one is complete (it is built
    beside it and renamed over it).  Returns the open :class:`~core.index.handle.Corpus`.
    """
    from core.index.handle import Corpus
    from core.ingest import stream as ingest_stream
    from core.ingest.outlets import load_outlets
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper

    progress = progress or _noop
    resources = resources or load_resources()
    sources = [sources] if isinstance(sources, (str, Path)) else list(sources)
    workers = auto_workers(sources) if workers is None else max(1, int(workers))
    outlets = load_outlets()
    in_memory = str(db_path) == ":memory:"
    if in_memory:
        work = Path(tempfile.mkdtemp(prefix="marsad-build-"))
        tmp_db = None
        con = duckdb.connect(":memory:")
    else:
        db_path = Path(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        work = Path(str(db_path) + ".parts")
        tmp_db = Path(str(db_path) + ".building")
        for p in (tmp_db, Path(str(tmp_db) + ".wal")):
            if p.exists():
                p.unlink()
        con = duckdb.connect(str(tmp_db))
    shutil.rmtree(work, ignore_errors=True)
    parts = work / "parts"
    parts.mkdir(parents=True)
    spill = work / "spill"
    spill.mkdir()
    try:
        finalize.configure(con, spill, memory_limit)
        progress(0.0, "reading files")
        st = ingest_stream(sources, metadata=metadata, mapping=mapping, outlets=outlets)
        edits = load_corrections(corrections) if corrections else None
        pool = make_pool(workers, {"outlets": outlets})
        try:
            vocab, total = read_pass(st, parts, pool, progress, corrections=edits)
        finally:
            _close(pool)
        problems = pd.DataFrame([p.as_dict() for p in st.assembler.problems], columns=["file", "row", "reason", "detail"])
        del st

        progress(0.35, "numbering articles")
        if total:
            finalize.number_articles(con, parts)
        else:
            _empty_articles0(con)
        progress(0.37, f"vocabulary {len(vocab)} words")
        grouper = Grouper.build(vocab, resources)
        del vocab
        matcher = EntityMatcher(resources.gazetteer, grouper)
        progress(0.40, "counting")
        pool = make_pool(workers, {"grouper": grouper, "matcher": matcher, "quotes": quotes, "reuse": reuse})
        try:
            count_pass(con, parts, pool, progress, total)
        finally:
            _close(pool)
        if not total:
            _empty_parts(parts)
        meta = finalize.dump_meta(
            schema=SCHEMA_VERSION, resources=resources.fingerprint(), built=finalize.now_iso(),
            sources=[str(s) for s in sources], corrections=str(corrections or ""), articles=total,
            appended=0, drift=0.0, engine="local", workers=workers)
        finalize.finalize(con, parts, grouper=grouper, resources=resources, problems=problems, meta=meta,
                          progress=progress, workers=workers, quotes=quotes, reuse=reuse)
        progress(0.98, "finishing")
        if tmp_db is not None:
            con.execute("CHECKPOINT")
            con.close()
            os.replace(tmp_db, db_path)
            corpus = Corpus.open(db_path, resources=resources)
        else:
            corpus = Corpus(con, ":memory:", resources)
        corpus.set_grouping(grouper, matcher)
    except BaseException:
        try:
            con.close()
        except duckdb.Error:
            pass
        if tmp_db is not None:
            for p in (tmp_db, Path(str(tmp_db) + ".wal")):
                if p.exists():
                    p.unlink()
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, "done")
    return corpus


def _close(pool) -> None:
    if pool is not None:
        pool.close()
        pool.join()


def _empty_articles0(con) -> None:
    con.execute("CREATE OR REPLACE TABLE articles0 (aid INTEGER, id VARCHAR, outlet VARCHAR, outlet_en VARCHAR, "
                "date DATE, title VARCHAR, url VARCHAR, category VARCHAR, outlet_source VARCHAR, date_source VARCHAR, "
                "source_file VARCHAR, source_row INTEGER, text VARCHAR, text_original VARCHAR, removed VARCHAR, "
                "text_key BLOB)")


def _empty_parts(parts: Path) -> None:
    """Typed empty parts, so finalize's SQL works on an empty corpus."""
    empty = batches.count_batch(pd.DataFrame({"aid": pd.Series(dtype="int32"), "text": pd.Series(dtype="str"),
                                              "outlet": pd.Series(dtype="str"), "date": pd.Series(dtype="object")}),
                                None, None, quotes=False, reuse=False)
    empty["terms"] = empty["terms"].astype({"key": "str"})
    for k in ("labels", "forms"):
        empty[k] = pd.DataFrame({"key": pd.Series(dtype="str"), "surface": pd.Series(dtype="str"),
                                 "cnt": pd.Series(dtype="int64")})
    empty["mentions"] = pd.DataFrame({"aid": pd.Series(dtype="int32"), "entity": pd.Series(dtype="str"),
                                      "cnt": pd.Series(dtype="int32")})
    empty["variants"] = pd.DataFrame({"aid": pd.Series(dtype="int32"), "grp": pd.Series(dtype="str"),
                                      "variant": pd.Series(dtype="str"), "cnt": pd.Series(dtype="int32")})
    del empty["quotes"], empty["shingles"]
    write_parts(empty, parts, "part-empty")
