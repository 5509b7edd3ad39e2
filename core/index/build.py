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
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd

from core.fsutil import replace_index
from core.index import batches, finalize
from core.index.corrections import apply_corrections_to_articles, load_corrections
from core.ingest.learned import FurnitureStats, load_decisions

Progress = Callable[[float, str], None]
SCHEMA_VERSION = "4"
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
    # The workers' tasks live in core, so they never need the caller's main script: hide it while
    # they start (spawn would re-run a script without a __main__ guard, or a Streamlit/AppTest page
    # standing in as __main__, in every worker; a worker that dies at start is replaced forever).
    main = sys.modules.get("__main__")
    hidden = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
    try:
        if "__file__" in hidden:
            delattr(main, "__file__")
        if "__spec__" in hidden:
            main.__spec__ = None
        return ctx.Pool(workers, initializer=_init_worker, initargs=(state or {},))
    finally:
        for k, v in hidden.items():
            setattr(main, k, v)


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
                                reuse=_STATE["reuse"], furniture=_STATE.get("furniture"))
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
              admitted: Counter | None = None, furniture=None) -> tuple[Counter, int]:
    """Read, prepare and admit every record; stage the kept articles as Parquet parts.

    Returns the vocabulary counts of the kept articles and their number.  ``furniture`` (a
    :class:`core.ingest.learned.FurnitureStats`) receives each kept article's furniture candidates.
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
            if furniture is not None:   # every article counts in its outlet's share, keys or not
                furniture.add(p.article.outlet, p.furniture or {})
            p.furniture = None
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
    def tasks():   # in aid order, one aid range at a time (never a sort of every text)
        for lo, hi in finalize.aid_ranges(con, table, where):
            rows = con.execute(f"SELECT aid, outlet, date, text FROM {table} WHERE {where} "
                               f"AND aid >= {lo} AND aid < {hi} ORDER BY aid").fetchall()
            for i in range(0, len(rows), BATCH_SIZE):
                yield pd.DataFrame(rows[i:i + BATCH_SIZE], columns=["aid", "outlet", "date", "text"]), str(parts)

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
                quotes: bool = True, memory_limit: str = "1500MB", furniture: str | Path | None = None):
    """Build the index of ``sources`` into ``db_path`` (a DuckDB file, or ``:memory:``).

    ``furniture``: the analyst's furniture decisions (a CSV, :func:`core.ingest.learned.load_decisions`),
    applied to what the build learns.

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
        decisions = load_decisions(furniture)
        fstats = FurnitureStats()
        pool = make_pool(workers, {"outlets": outlets})
        try:
            vocab, total = read_pass(st, parts, pool, progress, corrections=edits, furniture=fstats)
        finally:
            _close(pool)
        problems = pd.DataFrame([p.as_dict() for p in st.assembler.problems], columns=["file", "row", "reason", "detail"])
        del st
        learned = fstats.decide(decisions)
        del fstats

        progress(0.35, "numbering articles")
        if total:
            finalize.number_articles(con, parts)
        else:
            _empty_articles0(con)
        progress(0.37, f"vocabulary {len(vocab)} words")
        grouper = Grouper.build(vocab, resources)
        del vocab
        matcher = EntityMatcher(resources.gazetteer, grouper)
        if total:   # the corpus's own outlet names too: an outlet's name is not a mention
            matcher.add_outlets(o for (o,) in con.execute("SELECT DISTINCT outlet FROM articles0").fetchall())
        progress(0.40, "counting")
        count_with_pool(con, parts, workers, {"grouper": grouper, "matcher": matcher, "quotes": quotes, "reuse": reuse,
                                              "furniture": learned}, progress, total)
        if not total:
            _empty_parts(parts)
        meta = finalize.dump_meta(
            schema=SCHEMA_VERSION, resources=resources.fingerprint(), built=finalize.now_iso(),
            sources=[str(s) for s in sources], corrections=str(corrections or ""), articles=total,
            appended=0, drift=0.0, engine="local", workers=workers, furniture=str(furniture or ""))
        finalize.finalize(con, parts, grouper=grouper, resources=resources, problems=problems, meta=meta,
                          progress=progress, workers=workers, quotes=quotes, reuse=reuse, furniture=learned)
        progress(0.98, "finishing")
        if tmp_db is not None:
            con.execute("CHECKPOINT")
            con.close()
            replace_index(tmp_db, db_path)   # the old index stays until this instant
            corpus = Corpus.open(db_path, resources=resources)
        else:
            corpus = Corpus(con, ":memory:", resources)
        corpus.set_grouping(grouper, matcher)
    except BaseException:
        discard_build(con, tmp_db)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, "done")
    return corpus


def discard_build(con, tmp_db: Path | None) -> None:
    """After a failed build: close its connection and delete the half-written index (the old one,
    if any, was never touched: it is replaced only at the end)."""
    if con is not None:
        try:
            con.close()
        except duckdb.Error:
            pass
    if tmp_db is not None:
        for p in (tmp_db, Path(str(tmp_db) + ".wal")):
            if p.exists():
                p.unlink()


def count_with_pool(con, parts: Path, workers: int, state: dict, progress: Progress, total: int) -> None:
    """The counting pass on a pool of ``workers`` processes that hold ``state`` (grouper, matcher, …)."""
    pool = make_pool(workers, state)
    try:
        count_pass(con, parts, pool, progress, total)
    finally:
        _close(pool)


def _close(pool) -> None:
    if pool is not None:
        pool.close()
        pool.join()


def _empty_articles0(con) -> None:
    con.execute("CREATE OR REPLACE TABLE articles0 (aid INTEGER, id VARCHAR, outlet VARCHAR, outlet_en VARCHAR, "
                "date DATE, title VARCHAR, url VARCHAR, category VARCHAR, outlet_source VARCHAR, date_source VARCHAR, "
                "source_file VARCHAR, source_row INTEGER, text VARCHAR, text_original VARCHAR, removed VARCHAR, "
                "text_key BLOB, published TIMESTAMP)")


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


# -- append ------------------------------------------------------------------------------------------

#: Appended articles whose words would be grouped differently by a full rebuild, as a share of
#: their words, above which the index says it is stale.
DRIFT_LIMIT = 0.005


def _shingle_task(task):
    arts, out_dir = task
    from core import arabic
    from core.extract.passages import batch_shingles

    _counts, art, h = batch_shingles([arabic.words(t) for t in arts["text"].fillna("").tolist()])
    frame = pd.DataFrame({"aid": arts["aid"].to_numpy(dtype=np.int32)[art], "h": h.view(np.int64)})
    write_parts({"shingles": frame}, Path(out_dir), f"old-{int(arts['aid'].iloc[0]):010d}")
    return len(arts)


def append_index(sources: Sequence[str | Path] | str | Path, db_path: str | Path, *, metadata=None,
                 mapping: dict | None = None, progress: Progress | None = None, workers: int | None = None,
                 resources=None, memory_limit: str = "1500MB") -> dict:
    """Add the articles of ``sources`` to a built index without re-reading the old ones.

    New words are grouped with the index's grouping; duplicates (URL, text) are detected
    against the existing articles; new articles are numbered after the existing ones.  Shared
    passages are looked for between the new articles and the existing ones of their window, and
    new quotes are clustered with the existing quotes of their days.  The whole append is one
    DuckDB transaction: a failure leaves the index as it was.

    Returns ``{"added", "problems", "articles", "drift", "stale"}``.  ``drift`` is the share of
    the appended words that a full rebuild would group differently (their keys under the
    grouping decided from the combined vocabulary, against the stored grouping).
    """
    from core.ingest import stream as ingest_stream
    from core.ingest.outlets import load_outlets
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper

    progress = progress or _noop
    resources = resources or load_resources()
    sources = [sources] if isinstance(sources, (str, Path)) else list(sources)
    workers = auto_workers(sources) if workers is None else max(1, int(workers))
    db_path = Path(db_path)
    work = Path(str(db_path) + ".append")
    shutil.rmtree(work, ignore_errors=True)
    parts = work / "parts"
    parts.mkdir(parents=True)
    (work / "spill").mkdir()
    con = duckdb.connect(str(db_path))
    try:
        finalize.configure(con, work / "spill", memory_limit)
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        outlets = load_outlets()
        progress(0.02, "reading the index")
        st = ingest_stream(sources, metadata=metadata, mapping=mapping, outlets=outlets)
        cur = con.cursor().execute(   # streamed: a million articles' keys as Python tuples took ~0.5 GB at once
            "SELECT a.id, a.source_file, a.source_row, k.url_key, k.text_key, a.outlet FROM articles a "
            "JOIN article_keys k USING (aid)")
        while rows := cur.fetchmany(50_000):
            for aid_id, sf, sr, uk, tk, outlet in rows:
                st.assembler.remember(aid_id, sf, sr, uk or "", tk or b"", outlet)
        cur.close()
        tm = con.execute("SELECT norm, key, count FROM token_map").df()
        grouper = Grouper.from_frame(tm, resources)
        matcher = EntityMatcher(resources.gazetteer, grouper)
        corrections = meta.get("corrections") or None
        edits = load_corrections(corrections) if corrections and Path(corrections).exists() else None
        fstats = FurnitureStats()
        pool = make_pool(workers, {"outlets": outlets})
        try:
            vocab, added = read_pass(st, parts, pool, progress, corrections=edits, furniture=fstats)
        finally:
            _close(pool)
        # the index's furniture stays; outlets it has no pattern of learn theirs from the new articles
        learned = finalize.append_furniture(con, fstats, load_decisions(meta.get("furniture") or None))
        del fstats
        problems = pd.DataFrame([p.as_dict() for p in st.assembler.problems], columns=["file", "row", "reason", "detail"])
        del st
        first = con.execute("SELECT COALESCE(MAX(aid) + 1, 0) FROM articles").fetchall()[0][0]
        con.execute("BEGIN TRANSACTION")
        finalize.write_report(con, problems, append=True)
        drift = 0.0
        if added:
            finalize.number_articles(con, parts)
            con.execute(f"UPDATE articles0 SET aid = aid + {int(first)}")
            # the grouping: new tokens get keys now; drift = words a rebuild would group otherwise
            drift = _grouping_drift(con, grouper, vocab, resources)
            progress(0.40, "counting")
            count_with_pool(con, parts, workers, {"grouper": grouper, "matcher": matcher, "quotes": True, "reuse": True,
                                                  "furniture": learned}, progress, added)
            _append_tables(con, parts, first, progress, workers)
            progress(0.97, "grouping stories")
            finalize.build_stories(con, keep_leads=True, first=first)   # the pairs near the new days rescored, all reclustered
            finalize.write_topic_hits(con, resources)   # and the topic hits (new words may match the lexicon)
            finalize.write_day_rollups(con, append_from=first)   # the new articles' month counts added
        total = con.execute("SELECT COUNT(*) FROM articles").fetchall()[0][0]
        appended = int(meta.get("appended") or 0) + added
        words_before = float(meta.get("appended_words") or 0)
        words_now = float(sum(vocab.values()))
        cum_drift = ((float(meta.get("drift") or 0) * words_before + drift * words_now) / (words_before + words_now)
                     if words_before + words_now else 0.0)
        stale = cum_drift > DRIFT_LIMIT
        try:
            old_sources = json.loads(meta.get("sources") or "[]")
        except ValueError:
            old_sources = []
        new_meta = {**meta, "sources": json.dumps(old_sources + [str(x) for x in sources], ensure_ascii=False),
                    "articles": total, "appended": appended, "appended_words": int(words_before + words_now),
                    "drift": round(cum_drift, 6), "stale": "1" if stale else "0",
                    "stale_reason": (f"{cum_drift:.2%} of the appended words would be grouped otherwise by a full rebuild"
                                     if stale else ""),
                    "last_append": finalize.now_iso()}
        con.execute("DELETE FROM meta")
        con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in new_meta.items()])
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise
    finally:
        con.close()
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, "done")
    return {"added": added, "problems": len(problems), "articles": total, "drift": cum_drift, "stale": stale}


def _grouping_drift(con, grouper, vocab: Counter, resources) -> float:
    """Insert the appended tokens the grouping did not know into ``token_map`` (keyed by the
    stored grouping) and add every appended token's count; return the share of appended words a
    grouping decided from the combined counts would key differently."""
    from core.textpipe import Grouper

    if not vocab:
        return 0.0
    norms = list(vocab)
    stored = dict(con.execute("SELECT norm, key FROM token_map WHERE list_contains($n, norm)", {"n": norms}).fetchall())
    combined = dict(grouper.counts)
    for t, c in vocab.items():
        combined[t] = combined.get(t, 0) + c
    fresh = Grouper(combined, resources)
    changed = 0
    rows = []
    for t, c in vocab.items():
        now = grouper.key(t)
        if t not in stored and now is not None:
            rows.append((t, now, c))
        if fresh.key(t) != now:
            changed += c
    upd = pd.DataFrame([(t, c) for t, c in vocab.items() if t in stored], columns=["norm", "count"])
    con.register("upd_df", upd)
    con.execute("UPDATE token_map SET count = token_map.count + u.count FROM upd_df u WHERE token_map.norm = u.norm")
    con.unregister("upd_df")
    if rows:
        con.register("tm_new", pd.DataFrame(rows, columns=["norm", "key", "count"]))
        con.execute("INSERT INTO token_map SELECT norm, key, count FROM tm_new")
        con.unregister("tm_new")
    return changed / max(sum(vocab.values()), 1)


def _append_tables(con, parts: Path, first: int, progress: Progress, workers: int) -> None:
    finalize.apply_cleaned(con, parts)
    words = finalize.glob(parts, "words")
    progress(0.78, "writing articles")
    finalize.insert_in_aid_order(con, "articles", f"""
        SELECT a.aid, a.id, a.outlet, a.outlet_en, a.date, a.title, a.url, a.category,
               CAST(COALESCE(w.words, 0) AS INTEGER), a.outlet_source, a.date_source, a.source_file,
               a.source_row, a.text, a.text_original, a.removed, a.published
        FROM articles0 a LEFT JOIN read_parquet('{words}') w USING (aid) WHERE TRUE""", "articles0")
    con.execute(f"""INSERT INTO article_keys
        SELECT a.aid, lower(rtrim(trim(a.url), '/')), a.text_key, CAST(COALESCE(w.shingles, 0) AS INTEGER)
        FROM articles0 a LEFT JOIN read_parquet('{words}') w USING (aid) ORDER BY a.aid""")
    progress(0.80, "writing terms")
    first_tid = con.execute("SELECT COALESCE(MAX(tid) + 1, 0) FROM vocab").fetchall()[0][0]
    finalize.append_vocab_and_terms(con, parts)
    if con.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'vocab_keys'").fetchall()[0][0]:
        finalize.write_vocab_keys(con, first_tid)   # the new keys after the old
    else:
        finalize.write_vocab_keys(con)              # an index built before the table: made whole
    finalize.append_outlet_terms(con, first)
    finalize.append_postings(con, first)
    con.execute(f"""INSERT INTO mentions
        SELECT CAST(m.aid AS INTEGER), m.entity, COALESCE(t.type, ''), CAST(m.cnt AS INTEGER)
        FROM read_parquet('{finalize.glob(parts, "mentions")}') m
        LEFT JOIN (SELECT DISTINCT entity, type FROM mentions) t USING (entity)""")
    con.execute(f"""INSERT INTO variants SELECT CAST(aid AS INTEGER), grp, variant, CAST(cnt AS INTEGER)
        FROM read_parquet('{finalize.glob(parts, "variants")}')""")
    finalize.write_candidates(con, parts, append=True)
    if finalize.has_parts(parts, "quotes"):
        if not con.execute("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'quotes' "
                           "AND column_name = 'speaker_title'").fetchall()[0][0]:
            con.execute("ALTER TABLE quotes ADD COLUMN speaker_title VARCHAR")   # an index built before it
        con.execute(f"""INSERT INTO quotes
            SELECT CAST(aid AS INTEGER), CAST(quote_id AS VARCHAR), CAST(speaker AS VARCHAR), CAST(text AS VARCHAR),
                   CAST(cue AS VARCHAR), CAST(how AS VARCHAR), CAST(start_ AS INTEGER), CAST(end_ AS INTEGER),
                   CAST(speaker_title AS VARCHAR)
            FROM read_parquet('{finalize.glob(parts, "quotes")}', union_by_name = true)""")
    progress(0.86, "clustering statements (and, meanwhile, finding shared passages)")
    statements = finalize.start_statements(con, first)   # matched on a thread while the passages are found
    # shared passages: the new articles against the existing ones of their window
    progress(0.90, "finding shared passages")
    lo, hi = con.execute("SELECT MIN(date), MAX(date), COUNT(*) FILTER (WHERE date IS NULL) FROM articles0").fetchall()[0][:2]
    w = finalize.REUSE_WINDOW_DAYS * 2
    if lo is not None:
        cond = f"aid < {int(first)} AND (date IS NULL OR date BETWEEN DATE '{lo}' - {w} AND DATE '{hi}' + {w})"
    else:
        cond = f"aid < {int(first)}"
    con.execute("DROP TABLE articles0")
    stored = con.execute("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'shingles'").fetchall()[0][0]
    if stored:
        # the build kept them: the old articles of the window are read, not re-shingled, and only their shingles
        # that a new article holds. A pair kept has a new article, so only those shingles can make its hits; every
        # old row of such a shingle is read, so its count of articles (the frequent cut-off) is the same. The same
        # candidates, and the same passages (a run is of shingles both articles hold); ``reuse_frequent`` then
        # holds the frequent shingles among the new articles'. 1,000 articles over six years added to 100k: the
        # window's 25M old shingles were read and grouped to find the pairs of ~250k new ones (9.5 s).
        # (no new article with a shingle: no pair can be found, nothing to read)
        if finalize.has_parts(parts, "shingles"):
            con.execute(f"CREATE OR REPLACE TEMP TABLE new_h AS SELECT DISTINCT h FROM read_parquet('{finalize.glob(parts, 'shingles')}')")
            con.execute(f"COPY (SELECT s.aid, s.h FROM shingles s JOIN articles USING (aid) WHERE {cond} "
                        f"AND s.h IN (SELECT h FROM new_h) ORDER BY s.aid) "
                        f"TO '{parts / 'shingles' / 'old-stored.parquet'}' (FORMAT PARQUET)")
            con.execute("DROP TABLE new_h")
    else:        # an index built before the table: the old articles' texts are shingled again
        pool = make_pool(workers)
        try:
            res = con.execute(f"SELECT aid, text FROM articles WHERE {cond} ORDER BY aid")

            def tasks():
                while True:
                    rows = res.fetchmany(BATCH_SIZE)
                    if not rows:
                        return
                    yield pd.DataFrame(rows, columns=["aid", "text"]), str(parts)

            for _ in ordered_map(pool, _shingle_task, tasks()):
                pass
        finally:
            _close(pool)
    finalize.build_reuse(con, parts, workers=workers, progress=progress, append_from=first)
    if stored:
        finalize.store_shingles(con, parts, append=True)
    finalize.finish_statements(con, statements)
