"""The Spark engine: the streaming build (:mod:`core.index.build`) as a PySpark job.

The same stages and the same batch functions (:mod:`core.index.batches`) as the local engine;
only the map steps run on Spark.  The index is identical to ``build_index``'s for the same input.

    read (driver, streamed) ─▶ prepare (Spark tasks: batches.prepare_batch)
         ─▶ admit (driver, in read order: duplicates, ids) ─▶ staged articles (driver's disk)
         ─▶ number (DuckDB: date IS NULL, date, outlet, id) ─▶ PARTS/numbered/*.parquet
         ─▶ stats (Spark: batches.vocab_counts per partition → (norm, count) → groupBy sum → driver)
         ─▶ decide (driver: Grouper.build; grouper + EntityMatcher broadcast)
         ─▶ count (Spark mapInPandas: batches.count_batch; each task writes its parts)
         ─▶ finalize (driver: core.index.finalize, DuckDB) ─▶ ``db_path``

Choices:

* **Prepare** runs on Spark through the pool interface :func:`core.index.build.read_pass` already
  uses (``apply_async(fn, (batch,)).get()``): the pending batches are run as one Spark job
  (``parallelize`` → ``build._prepare_task`` → ``collect``, in order) and admitted by
  ``read_pass`` itself, so admission (order-dependent duplicates, ids, corrections, staging) is
  the local engine's code, not a copy.  The ``Prepared`` objects travel pickled (exact).
* **Stats** is a Spark aggregation over the numbered articles; ``read_pass``'s own driver-side
  counts are not used.  The grouping is order-independent (a token's key depends on the counts only).
* **Numbering** is :func:`core.index.finalize.number_articles` (DuckDB on the driver), exactly the
  local engine's, then ``aid, outlet, date, text`` are exported to ``PARTS/numbered`` (files of a few
  hundred rows, so Spark makes several partitions) for the Spark jobs.
* **Count parts**: each mapInPandas task counts its rows in batches of ≤ ``build.BATCH_SIZE`` and
  writes every part itself (``build.write_parts`` on a local / shared filesystem; ``pyarrow.fs``
  for an object-store URI), named ``part-<first aid>`` (a retried or speculative task rewrites the
  same files).  The task returns only a row count.  Spark's own writer was not used: mapInPandas
  has one output schema, so the eight part tables would need eight counting passes or a long
  union schema split afterwards (and Spark's writer adds its own file names and ``_SUCCESS``).
  Every part has exactly the columns of :data:`core.index.batches.PART_COLUMNS`; text columns with
  no value in a batch are written as strings, not NULL-typed (see :func:`_typed`).

Local mode (the default, and what the tests run): ``local[workers or 2]``, driver memory 2g, Arrow
on, UI off, Spark's local and warehouse dirs under the build's work dir.

Cluster run::

    spark-submit --master yarn --conf spark.pyspark.python=/opt/marsad/.venv/bin/python \\
        core/index/spark.py --db /data/index.duckdb --parts s3a://bucket/marsad/parts /data/corpus/

The driver reads the input files (it must see them), stages the admitted articles on its local
disk (``<db>.parts``), numbers them (DuckDB) and uploads ``numbered/`` to ``--parts``.  Executors
need the project importable (the same venv on every node, or ``--py-files marsad.zip``) and write
their parts to ``--parts`` through ``pyarrow.fs`` (``s3a://`` is read as ``s3://``; credentials
come from the usual AWS environment / instance profile; ``gs://``, ``hdfs://`` also work).  Spark
itself reads ``numbered/`` through Hadoop's ``s3a`` connector (``hadoop-aws`` on the classpath).
:func:`core.index.finalize.finalize` reads local files (``finalize.glob`` / ``has_parts`` are
``pathlib`` based), so the driver copies ``--parts`` down to ``<db>.parts/parts`` (``pyarrow.fs.copy_files``)
and finalizes there, then deletes the remote parts.  (DuckDB could read them in place
with ``LOAD httpfs`` and an S3 secret if ``glob``/``has_parts`` accepted URIs.)  A ``file://`` URI
takes the same path and is what the tests use for it.
"""
from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections import Counter
from pathlib import Path
from typing import Sequence

if __name__ == "__main__":
    # run as a script (spark-submit core/index/spark.py): the project root instead of core/index on the path
    _root = str(Path(__file__).resolve().parents[2])
    if sys.path and Path(sys.path[0] or ".").resolve() == Path(__file__).resolve().parent:
        sys.path[0] = _root
    elif _root not in sys.path:
        sys.path.insert(0, _root)

import duckdb
import pandas as pd

from core.index import batches, build, finalize
from core.index.corrections import load_corrections
from core.ingest.learned import FurnitureStats, load_decisions

ROOT = Path(__file__).resolve().parents[2]
#: The part tables the counting job writes (and cleans before and after a build).
PART_TABLES = tuple(batches.PART_COLUMNS)
NUMBERED = "numbered"

# PySpark 4.x warns on every pandas call under pandas 3; the pandas paths used here (mapInPandas in,
# DataFrames of int64/str out, toPandas of such) are covered by tests/test_spark.py.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)

_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


# -- where parts live ---------------------------------------------------------------------------------

def is_uri(path) -> bool:
    return "://" in str(path)


def _arrow_fs(uri: str):
    """``(pyarrow filesystem, path)`` of a URI (``s3a://`` / ``s3n://`` are read as ``s3://``)."""
    from pyarrow import fs

    uri = str(uri)
    for alias in ("s3a://", "s3n://"):
        if uri.startswith(alias):
            uri = "s3://" + uri[len(alias):]
    return fs.FileSystem.from_uri(uri)


def _spark_path(location) -> str:
    """The location as Spark reads it (a local path as a ``file:`` URI)."""
    return str(location) if is_uri(location) else Path(location).resolve().as_uri()


def _join(location, *names) -> str:
    return "/".join([str(location).rstrip("/"), *names])


def _clear(location, names) -> None:
    """Remove ``location/<name>`` for each name (local path or URI)."""
    if is_uri(location):
        from pyarrow import fs as pafs

        fs, base = _arrow_fs(location)
        for name in names:
            p = _join(base, name)
            if fs.get_file_info(p).type != pafs.FileType.NotFound:
                fs.delete_dir(p)
    else:
        for name in names:
            shutil.rmtree(Path(location) / name, ignore_errors=True)


def _typed(parts: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Object columns holding no value (an empty batch, or no speaker in a batch) as strings: Parquet
    would store them as NULL-typed columns, which DuckDB's multi-file read cannot cast to VARCHAR
    when such a file comes first."""
    out = {}
    for name, frame in parts.items():
        fix = [c for c in frame.columns if frame[c].dtype == object and frame[c].isna().all()]
        out[name] = frame.astype({c: "string" for c in fix}) if fix else frame
    return out


def write_parts(parts: dict[str, pd.DataFrame], location, name: str) -> None:
    """``location/<table>/<name>.parquet`` for each part: ``build.write_parts`` for a local path,
    ``pyarrow.fs`` for a URI (an object-store put is atomic)."""
    parts = _typed(parts)
    if not is_uri(location):
        build.write_parts(parts, Path(location), name)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    fs, base = _arrow_fs(location)
    for table, frame in parts.items():
        d = _join(base, table)
        fs.create_dir(d, recursive=True)
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), _join(d, f"{name}.parquet"), filesystem=fs)


def _copy_down(location, local: Path, tables) -> None:
    """Copy ``location/<table>/`` (a URI) to ``local/<table>/``."""
    from pyarrow import fs as pafs

    fs, base = _arrow_fs(location)
    for table in tables:
        src = _join(base, table)
        if fs.get_file_info(src).type == pafs.FileType.NotFound:
            continue
        dst = local / table
        shutil.rmtree(dst, ignore_errors=True)
        dst.mkdir(parents=True)
        pafs.copy_files(src, str(dst), source_filesystem=fs, destination_filesystem=pafs.LocalFileSystem())


# -- the session ---------------------------------------------------------------------------------------

def local_session(workers: int = 2, tmp_dir: str | Path | None = None, app: str = "marsad-build"):
    """A local-mode session ``local[workers]`` (driver memory 2g, Arrow on, UI off), with Spark's
    scratch and warehouse dirs under ``tmp_dir``.  Python workers run this interpreter and can
    import the project."""
    from pyspark.sql import SparkSession

    tmp = Path(tmp_dir or tempfile.mkdtemp(prefix="marsad-spark-"))
    (tmp / "local").mkdir(parents=True, exist_ok=True)
    log4j = tmp / "log4j2.properties"      # errors only (Spark's default logs every WARN at startup)
    log4j.write_text(_LOG4J)
    _python_env()
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(f"local[{max(1, int(workers))}]").appName(app)
               .config("spark.driver.memory", "2g")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.local.dir", str(tmp / "local"))
               .config("spark.sql.warehouse.dir", str(tmp / "warehouse"))
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log4j.resolve().as_uri()}")
               .config("spark.sql.shuffle.partitions", str(max(2, 2 * int(workers))))
               .config("spark.pyspark.python", sys.executable)
               .config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"]))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _python_env() -> None:
    """Spark's Python workers: this interpreter, with the project on the path (set before the JVM starts)."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if str(ROOT) not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *paths])


# -- prepare on Spark, behind read_pass's pool interface -------------------------------------------------

def _run_task(state, task):
    """Spark task: ``fn(*args)`` with the worker state (``build._STATE``) set from the broadcast."""
    fn, args = task
    if build._STATE.get("_broadcast") is not state:   # the worker's broadcast object (one per broadcast)
        build._init_worker({**state.value, "_broadcast": state})
    return fn(*args)


class _Pending:
    def __init__(self, pool):
        self._pool, self._done, self._value = pool, False, None

    def get(self):
        if not self._done:
            self._pool._run()
        return self._value


class SparkPool:
    """The part of ``multiprocessing.Pool`` that ``build.ordered_map`` uses, on Spark: tasks are
    held until a result is asked for, then every pending task runs in one Spark job (one Spark
    task each), results in submission order.  ``ordered_map`` keeps ``2 × _processes`` tasks in
    flight, so each job has ``2 × slots`` batches."""

    def __init__(self, sc, state: dict, slots: int):
        self._sc = sc
        self._state = sc.broadcast(state)
        self._processes = max(1, int(slots))
        self._pending: list = []
        self.jobs = 0

    def apply_async(self, fn, args=()):
        r = _Pending(self)
        self._pending.append((fn, tuple(args), r))
        return r

    def _run(self) -> None:
        from functools import partial

        pending, self._pending = self._pending, []
        if not pending:
            return
        tasks = [(fn, args) for fn, args, _ in pending]
        out = self._sc.parallelize(tasks, len(tasks)).map(partial(_run_task, self._state)).collect()
        self.jobs += 1
        for (_, _, r), value in zip(pending, out):
            r._value, r._done = value, True

    def close(self) -> None:
        self._run()
        self._state.unpersist()


# -- the Spark jobs -------------------------------------------------------------------------------------

def _vocab_partition(frames):
    """mapInPandas: the normalised-token counts of a partition's texts, one Counter per partition."""
    counts: Counter = Counter()
    for pdf in frames:
        batches.vocab_counts(pdf["text"].tolist(), counts)
    yield pd.DataFrame({"norm": pd.Series(list(counts), dtype=object),
                        "count": pd.Series(list(counts.values()), dtype="int64")})


def vocabulary(spark, numbered: str) -> Counter:
    """The corpus vocabulary, aggregated by Spark: ``(norm, count)`` per partition, summed by norm."""
    from pyspark.sql import functions as F

    df = (spark.read.parquet(numbered).select("text")
          .mapInPandas(_vocab_partition, "norm string, count long")
          .groupBy("norm").agg(F.sum("count").alias("count")))
    pdf = df.toPandas()
    return Counter(dict(zip(pdf["norm"].tolist(), (int(c) for c in pdf["count"].tolist()))))


def _count_partition(frames, state, out: str, quotes: bool, reuse: bool):
    """mapInPandas: count the partition's numbered articles in batches; each batch's parts are
    written to ``out`` by the task; yields one (first aid, articles) row per batch."""
    grouper, matcher, furniture = state.value
    for pdf in frames:
        for i in range(0, len(pdf), build.BATCH_SIZE):
            arts = pdf.iloc[i:i + build.BATCH_SIZE].reset_index(drop=True)
            parts = batches.count_batch(arts, grouper, matcher, quotes=quotes, reuse=reuse, furniture=furniture)
            first = int(arts["aid"].iloc[0])
            write_parts(parts, out, f"part-{first:010d}")
            yield pd.DataFrame({"first": [first], "articles": [len(arts)]}, dtype="int64")


def count_job(spark, numbered: str, out, grouper, matcher, quotes: bool, reuse: bool, furniture=None) -> int:
    """Count every numbered article on Spark; the tasks write the parts to ``out``.  Returns the
    number of articles counted."""
    from functools import partial

    state = spark.sparkContext.broadcast((grouper, matcher, furniture))
    try:
        fn = partial(_count_partition, state=state, out=str(out), quotes=quotes, reuse=reuse)
        rows = (spark.read.parquet(numbered).select("aid", "outlet", "date", "text")
                .mapInPandas(fn, "first long, articles long").toPandas())
    finally:
        state.unpersist()
    return int(rows["articles"].sum()) if len(rows) else 0


def export_numbered(con, location, total: int, slots: int) -> int:
    """``location/numbered/part-*.parquet``: ``aid, outlet, date, text`` of ``articles0`` in aid
    order, in files of at most ``build.BATCH_SIZE`` rows (at least ``2 × slots`` files when the corpus
    allows, so Spark splits the work).  Returns the number of files."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = max(1, min(build.BATCH_SIZE, math.ceil(total / max(1, 2 * slots))))
    if is_uri(location):
        fs, base = _arrow_fs(location)
    else:
        from pyarrow import fs as pafs

        fs, base = pafs.LocalFileSystem(), str(Path(location).resolve())
    d = _join(base, NUMBERED)
    fs.create_dir(d, recursive=True)
    n = 0
    for lo, hi in finalize.aid_ranges(con, "articles0"):   # never a sort of every text at once
        reader = con.sql(f"SELECT aid, outlet, date, text FROM articles0 WHERE aid >= {lo} AND aid < {hi} "
                         "ORDER BY aid").to_arrow_reader(rows)
        for batch in reader:
            if batch.num_rows:
                pq.write_table(pa.Table.from_batches([batch]), _join(d, f"part-{n:06d}.parquet"), filesystem=fs)
                n += 1
    return n


# -- build -----------------------------------------------------------------------------------------------

def build_index_spark(sources: Sequence[str | Path] | str | Path, db_path: str | Path = ":memory:", *,
                      metadata=None, mapping: dict | None = None, resources=None, corrections=None,
                      progress: build.Progress | None = None, workers: int | None = None, reuse: bool = True,
                      quotes: bool = True, spark=None, parts_dir: str | Path | None = None,
                      memory_limit: str = "1500MB", furniture: str | Path | None = None):
    """Build the index of ``sources`` into ``db_path`` with Spark (see the module docstring): the
    same index as :func:`core.index.build.build_index`.

    ``spark``: a session to use (left running); by default a local-mode session ``local[workers or 2]``
    is started and stopped.  ``parts_dir``: where the Spark tasks write the count parts (a local or
    shared directory, or an object-store URI such as ``s3a://bucket/prefix``); by default the build's
    work dir beside ``db_path``.  Parts are deleted when the build ends.
    """
    from core.index.handle import Corpus
    from core.ingest import stream as ingest_stream
    from core.ingest.outlets import load_outlets
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper

    progress = progress or build._noop
    resources = resources or load_resources()
    sources = [sources] if isinstance(sources, (str, Path)) else list(sources)
    workers = 2 if workers is None else max(1, int(workers))
    outlets = load_outlets()
    in_memory = str(db_path) == ":memory:"
    if in_memory:
        work = Path(tempfile.mkdtemp(prefix="marsad-spark-build-"))
        tmp_db = None
    else:
        db_path = Path(db_path)
        db_path.parent.mkdir(parents=True, exist_ok=True)
        work = Path(str(db_path) + ".parts")
        tmp_db = Path(str(db_path) + ".building")
        for p in (tmp_db, Path(str(tmp_db) + ".wal")):
            if p.exists():
                p.unlink()
    shutil.rmtree(work, ignore_errors=True)
    staged = work / "parts"              # the driver's: staged articles (and the parts, copied down for a URI)
    staged.mkdir(parents=True)
    (work / "spill").mkdir()
    out = staged if parts_dir is None else (str(parts_dir) if is_uri(parts_dir) else Path(parts_dir))
    remote = is_uri(out)
    own = [*PART_TABLES, NUMBERED]
    created = spark is None
    con = None
    try:
        if created:
            spark = local_session(workers, work / "spark")
        sc = spark.sparkContext
        slots = max(1, int(sc.defaultParallelism))
        if out is not staged:
            _clear(out, own)
        con = duckdb.connect(":memory:" if tmp_db is None else str(tmp_db))
        finalize.configure(con, work / "spill", memory_limit)

        progress(0.0, "reading files")
        t0 = time.perf_counter()
        st = ingest_stream(sources, metadata=metadata, mapping=mapping, outlets=outlets)
        edits = load_corrections(corrections) if corrections else None
        pool = SparkPool(sc, {"outlets": outlets}, slots)
        fstats = FurnitureStats()   # furniture candidates come back with the prepared articles (driver-side)
        try:
            _driver_vocab, total = build.read_pass(st, staged, pool, progress, corrections=edits, furniture=fstats)
        finally:
            pool.close()
        del _driver_vocab   # the vocabulary is Spark's (below)
        learned = fstats.decide(load_decisions(furniture))
        del fstats
        problems = pd.DataFrame([p.as_dict() for p in st.assembler.problems], columns=["file", "row", "reason", "detail"])
        del st
        progress(0.34, f"read {total} articles ({time.perf_counter() - t0:.1f}s, {pool.jobs} Spark prepare jobs)")

        progress(0.35, "numbering articles")
        if total:
            finalize.number_articles(con, staged)
            export_numbered(con, out, total, slots)
            numbered = _spark_path(_join(out, NUMBERED)) if remote else _spark_path(Path(out) / NUMBERED)
            t0 = time.perf_counter()
            vocab = vocabulary(spark, numbered)
            progress(0.36, f"statistics on Spark ({time.perf_counter() - t0:.1f}s)")
        else:
            build._empty_articles0(con)
            vocab = Counter()
        progress(0.37, f"vocabulary {len(vocab)} words")
        grouper = Grouper.build(vocab, resources)
        del vocab
        matcher = EntityMatcher(resources.gazetteer, grouper)

        progress(0.40, "counting (Spark)")
        if total:
            t0 = time.perf_counter()
            counted = count_job(spark, numbered, out, grouper, matcher, quotes, reuse, learned)
            progress(0.74, f"counted {counted} articles on Spark ({time.perf_counter() - t0:.1f}s)")
            if counted != total:
                raise RuntimeError(f"Spark counted {counted} articles of {total}")
            if remote:
                _copy_down(out, staged, PART_TABLES)
            parts = staged if remote else Path(out)
        else:
            parts = staged
            build._empty_parts(parts)
        progress(0.75, "finalizing")
        meta = finalize.dump_meta(
            schema=build.SCHEMA_VERSION, resources=resources.fingerprint(), built=finalize.now_iso(),
            sources=[str(s) for s in sources], corrections=str(corrections or ""), articles=total,
            appended=0, drift=0.0, engine="spark", workers=workers, spark_master=sc.master,
            furniture=str(furniture or ""))
        finalize.finalize(con, parts, grouper=grouper, resources=resources, problems=problems, meta=meta,
                          progress=progress, workers=workers, quotes=quotes, reuse=reuse, furniture=learned)
        progress(0.98, "finishing")
        if tmp_db is not None:
            con.execute("CHECKPOINT")
            con.close()
            build.replace_index(tmp_db, db_path)   # the same swap as the local engine (old WAL folded)
            corpus = Corpus.open(db_path, resources=resources)
        else:
            corpus = Corpus(con, ":memory:", resources)
        corpus.set_grouping(grouper, matcher)
    except BaseException:
        build.discard_build(con, tmp_db)
        raise
    finally:
        if created and spark is not None:
            spark.stop()
        if out is not staged:
            try:
                _clear(out, own)
            except OSError:
                pass
        shutil.rmtree(work, ignore_errors=True)
    progress(1.0, "done")
    return corpus


# -- spark-submit -----------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    """``spark-submit core/index/spark.py --db out.duckdb [--parts s3a://…] PATH...``"""
    ap = argparse.ArgumentParser(prog="core/index/spark.py", description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+", help="input files or folders")
    ap.add_argument("--db", required=True, help="the index to write (a DuckDB file)")
    ap.add_argument("--parts", help="where the Spark tasks write the parts (directory or s3a:// / gs:// / hdfs:// URI)")
    ap.add_argument("--metadata", help="a metadata sidecar (CSV/JSON) for the inputs")
    ap.add_argument("--map", action="append", metavar="FIELD=COLUMN", help="column mapping (repeatable)")
    ap.add_argument("--corrections", help="a corrections file (id, outlet, date)")
    ap.add_argument("--workers", type=int, help="local mode: cores (default 2); ignored under a cluster master")
    ap.add_argument("--no-reuse", action="store_true", help="skip shared-passage detection")
    ap.add_argument("--no-quotes", action="store_true", help="skip quote extraction")
    args = ap.parse_args(argv)
    mapping = dict(p.split("=", 1) for p in args.map) if args.map else None

    spark = None
    if "PYSPARK_GATEWAY_PORT" in os.environ:       # under spark-submit: its master and settings
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession

        SparkContext._ensure_initialized()
        conf = SparkConf()                           # spark-submit's --master / --conf (JVM properties)
        builder = SparkSession.builder.appName("marsad-build")
        if conf.get("spark.master", "local[*]").startswith("local"):
            _python_env()
            if not conf.contains("spark.executorEnv.PYTHONPATH"):
                builder = builder.config("spark.executorEnv.PYTHONPATH", os.environ["PYTHONPATH"])
            if not conf.contains("spark.sql.execution.arrow.pyspark.enabled"):
                builder = builder.config("spark.sql.execution.arrow.pyspark.enabled", "true")
        spark = builder.getOrCreate()
        spark.sparkContext.setLogLevel("ERROR")
    t0 = time.perf_counter()

    def report(f, msg):
        print(f"[{time.perf_counter() - t0:7.1f}s] {f:4.0%} {msg}", file=sys.stderr, flush=True)

    try:
        corpus = build_index_spark(args.paths, args.db, metadata=args.metadata, mapping=mapping,
                                   corrections=args.corrections, progress=report, workers=args.workers,
                                   reuse=not args.no_reuse, quotes=not args.no_quotes, spark=spark,
                                   parts_dir=args.parts)
        n = corpus.con.execute("SELECT COUNT(*) FROM articles").fetchall()[0][0]
        corpus.con.close()
    finally:
        if spark is not None:
            spark.stop()
    print(f"{n} articles → {args.db} in {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    # this module by name, so Spark pickles its functions by reference (not as __main__)
    from core.index.spark import main as _main

    sys.exit(_main())
