"""Benchmark the index build: wall time, peak memory, throughput, index size; append; engines.

    .venv/bin/python scripts/bench.py [--sizes 100k,1m] [--file PATH] [--workers 2]
                                      [--no-append] [--no-compare] [--timeout S] [--out BENCHMARKS.md]

``make bench`` runs the default sizes (100k, 1m); ``make bench-quick`` runs ``--sizes 10k``.

* Corpora: ``var/bench/ant-<size>.jsonl.gz``, made (once, then cached) by ``scripts/make_corpus.py``
  from ant_multisource; ``--file PATH`` benchmarks that file instead of the sizes.  Each corpus has
  ``<file>.stats.json`` beside it (rows, UTF-8 bytes of the ``text`` fields).
* Every size: ``python -m core build FILE --db var/bench/<name>.duckdb --workers N`` in a subprocess.
  Peak memory is sampled from /proc every 0.2 s (every 1 s after the first minute) over the whole process tree (the CLI and its
  worker processes): RSS summed (shared pages counted once per process) and PSS summed (shared
  pages split between processes; the better "how much RAM does this take" figure).
* Append: ``python -m core add var/bench/ant-1k-s99.jsonl.gz --db COPY`` on a copy of each index
  (1,000 articles with their own URLs/texts: ``make_corpus.py --n 1000 --seed 99``).
* Compare (on the 10k corpus): the naive baseline (``--workers 1``; ``core.index.handle.Corpus.build``
  in-process when the CLI has no ``--workers``) and ``--engine spark``, and the workers=N vs
  workers=1 ratio.
* Writes BENCHMARKS.md (overwritten) and prints it.  Numbers, not assertions.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "var/bench"
PY = sys.executable
PAGE = os.sysconf("SC_PAGE_SIZE")
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1m": 1_000_000}
APPEND_FILE = BENCH / "ant-1k-s99.jsonl.gz"
APPEND_ROWS, APPEND_SEED = 1000, 99
COMPARE = "10k"


def rel(p) -> str:
    p = Path(p).absolute()
    try:
        return str(p.relative_to(ROOT))
    except ValueError:
        return str(p)


def parse_size(s: str) -> tuple[str, int]:
    s = s.strip().lower()
    m = re.fullmatch(r"(\d+)([km]?)", s)
    if not m:
        raise SystemExit(f"bench: bad size {s!r} (use e.g. 10k, 100k, 1m, 5000)")
    n = int(m[1]) * {"": 1, "k": 1_000, "m": 1_000_000}[m[2]]
    return s, n


# -- corpora --------------------------------------------------------------------------------------------

def stats_path(path: Path) -> Path:
    return Path(str(path) + ".stats.json")


def make_corpus(label: str, n: int, seed: int = 0, path: Path | None = None, day: str | None = None) -> dict:
    """The cached corpus of ``n`` rows (generated with make_corpus.py when missing); ``day``: every
    row dated that day (a day of news to append)."""
    path = path or BENCH / f"ant-{label}.jsonl.gz"
    sp = stats_path(path)
    if path.exists() and sp.exists():
        st = json.loads(sp.read_text(encoding="utf-8"))
        if st.get("rows") == n and st.get("seed") == seed and st.get("day") == day:
            return {**st, "path": path}
    cmd = [PY, "scripts/make_corpus.py", "--n", str(n), "--seed", str(seed), "--out", rel(path)]
    if day:
        cmd += ["--day", day]
    print(f"generating {rel(path)}: {shlex.join(cmd)}", flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)
    return {**json.loads(sp.read_text(encoding="utf-8")), "path": path}


_TEXT_COLUMNS = ("text", "content", "body", "article", "article_text", "full_text", "fulltext", "story")


def file_stats(path: Path) -> dict:
    """Rows and text bytes of a given file (JSON Lines / CSV / TSV, gz or not); cached as <file>.stats.json
    (or var/bench/<name>.stats.json when the file's folder is read-only)."""
    for sp in (stats_path(path), BENCH / (path.name + ".stats.json")):
        if sp.exists():
            st = json.loads(sp.read_text(encoding="utf-8"))
            if st.get("file_bytes") == path.stat().st_size:
                return {**st, "path": path}
    rows = text_bytes = 0
    name = path.name.lower().removesuffix(".gz")
    op = gzip.open if path.name.lower().endswith(".gz") else open
    if path.is_file() and name.endswith((".jsonl", ".ndjson", ".csv", ".tsv")):
        with op(path, "rt", encoding="utf-8-sig", errors="replace", newline="") as f:
            if name.endswith((".csv", ".tsv")):
                csv.field_size_limit(2**31 - 1)
                reader = csv.DictReader(f, delimiter="\t" if name.endswith(".tsv") else ",")
                col = next((c for c in reader.fieldnames or [] if c.strip().lower() in _TEXT_COLUMNS), None)
                for r in reader:
                    rows += 1
                    text_bytes += len((r.get(col) or "").encode("utf-8")) if col else 0
            else:
                for line in f:
                    if not line.strip():
                        continue
                    rows += 1
                    try:
                        r = json.loads(line)
                    except ValueError:
                        continue
                    t = next((r[c] for c in _TEXT_COLUMNS if isinstance(r.get(c), str)), "") if isinstance(r, dict) else ""
                    text_bytes += len(t.encode("utf-8"))
        st = {"file": path.name, "rows": rows, "text_bytes": text_bytes, "text_mb": round(text_bytes / 1e6, 2),
              "file_bytes": path.stat().st_size}
    else:
        st = {"file": path.name, "rows": None, "text_bytes": None, "text_mb": None,
              "file_bytes": path.stat().st_size if path.is_file() else None}
    # beside the file only when its folder is writable by its mode bits (root ignores read-only modes)
    beside = [stats_path(path)] if path.parent.stat().st_mode & 0o222 else []
    for sp in (*beside, BENCH / (path.name + ".stats.json")):
        try:
            sp.parent.mkdir(parents=True, exist_ok=True)
            sp.write_text(json.dumps(st, indent=1) + "\n", encoding="utf-8")
            break
        except OSError:
            continue
    return {**st, "path": path}


# -- measuring a process tree ---------------------------------------------------------------------------

def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as f:
                s = f.read()
        except OSError:
            continue
        ppid = int(s[s.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def _tree(pid: int) -> list[int]:
    kids, out, todo = _children_map(), [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, ()))
    return out


def _rss_pss(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/statm") as f:
            rss = int(f.read().split()[1]) * PAGE
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                    break
    except (OSError, ValueError, IndexError):
        pass
    return rss, pss


class TreeMonitor(threading.Thread):
    """Samples the RSS / PSS sums of a process and all its descendants every ``interval`` s."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = self.peak_procs = 0
        self._halt = threading.Event()

    def sample(self) -> None:
        pids = _tree(self.pid)
        rss = pss = 0
        for p in pids:
            r, s = _rss_pss(p)
            rss += r
            pss += s
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)
        self.peak_procs = max(self.peak_procs, len(pids))

    def run(self) -> None:
        # every 0.2 s for the first minute, then every second: reading smaps_rollup walks the page tables
        # of every process of the tree, and at 0.2 s it took ~14 % of a core beside the 1M build
        start = time.monotonic()
        while not self._halt.is_set():
            self.sample()
            self._halt.wait(self.interval if time.monotonic() - start < 60 else max(self.interval, 1.0))

    def stop(self) -> None:
        self._halt.set()
        self.join()


def run(cmd: list[str], log: Path, timeout: float | None = None) -> dict:
    """Run ``cmd`` in ROOT; wall time, peak tree RSS/PSS, exit status, output tail."""
    log.parent.mkdir(parents=True, exist_ok=True)
    load = open("/proc/loadavg").read().split()[0]
    print(f"$ {shlex.join(cmd)}", flush=True)
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        mon = TreeMonitor(proc.pid)
        mon.start()
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 15)
            proc.wait()
            rc = f"timeout after {timeout:.0f} s"
        except KeyboardInterrupt:   # the child has its own session: stop it too
            os.killpg(proc.pid, 15)
            proc.wait()
            mon.stop()
            raise
        wall = time.perf_counter() - t0
        mon.stop()
    lines = [ln for ln in log.read_text(encoding="utf-8", errors="replace").replace("\r", "\n").splitlines() if ln.strip()]
    res = {"cmd": cmd, "rc": rc, "wall": wall, "rss": mon.peak_rss, "pss": mon.peak_pss, "procs": mon.peak_procs,
           "load": load, "log": log, "last": lines[-1] if lines else ""}
    status = "ok" if rc == 0 else f"FAILED ({rc}): {res['last'][:200]}"
    print(f"  {wall:.1f} s, peak RSS {mon.peak_rss / 1e6:.0f} MB, PSS {mon.peak_pss / 1e6:.0f} MB, "
          f"{mon.peak_procs} processes — {status}", flush=True)
    return res


def index_files(db: Path) -> list[Path]:
    return [db] + sorted(p for p in db.parent.glob(db.name + ".*")) if db.exists() else []


def disk_size(db: Path) -> int:
    total = 0
    for p in index_files(db):
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.is_file():
            total += p.stat().st_size
    return total


def remove_index(db: Path) -> None:
    for p in index_files(db):
        shutil.rmtree(p) if p.is_dir() else p.unlink()


def copy_index(src: Path, dst: Path) -> None:
    remove_index(dst)
    for p in index_files(src):
        q = dst.parent / (dst.name + p.name[len(src.name):])
        shutil.copytree(p, q) if p.is_dir() else shutil.copy2(p, q)


def count_articles(db: Path) -> int | None:
    try:
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except Exception:  # noqa: BLE001 - a benchmark reports, it does not fail
        return None


def cli_help(sub: str) -> str | None:
    p = subprocess.run([PY, "-m", "core", sub, "--help"], cwd=ROOT, capture_output=True, text=True)
    return p.stdout if p.returncode == 0 else None


# -- the runs -----------------------------------------------------------------------------------------

def build_run(label: str, corpus: dict, db: Path, extra: list[str], timeout, legacy: bool = False) -> dict:
    remove_index(db)
    if legacy:   # the old in-process path, for a CLI without --workers
        code = ("import sys; from core.index.handle import Corpus; "
                f"Corpus.build([{str(corpus['path'])!r}], db_path={str(db)!r})")
        cmd = [PY, "-c", code]
    else:
        cmd = [PY, "-m", "core", "build", rel(corpus["path"]), "--db", rel(db), *extra]
    r = run(cmd, BENCH / "logs" / f"{db.stem}.log", timeout)
    r.update(label=label, rows_in=corpus.get("rows"), text_mb=corpus.get("text_mb"))
    if r["rc"] == 0:
        r["articles"] = count_articles(db)
        r["index_bytes"] = disk_size(db)
    return r


def next_day(db: Path) -> str | None:
    """The day after the index's last dated article (None when nothing is dated)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        (d,), = con.execute("SELECT MAX(date) + 1 FROM articles").fetchall()
    finally:
        con.close()
    return str(d)[:10] if d is not None else None


def append_run(built: Path, add_corpus: dict, timeout, label: str = "add 1k") -> dict:
    copy = built.with_name(built.stem + "-append.duckdb")
    need, free = disk_size(built), shutil.disk_usage(built.parent).free
    if free < 1.5 * need + 2e9:
        return {"label": label, "rc": None,
                "why": f"skipped: copying the {need / 1e9:.1f} GB index needs more than the {free / 1e9:.1f} GB free"}
    copy_index(built, copy)
    before = count_articles(copy)
    cmd = [PY, "-m", "core", "add", rel(add_corpus["path"]), "--db", rel(copy)]
    slug = re.sub(r"[^0-9a-z]+", "-", label.lower()).strip("-")   # one log per append run, not one per index
    r = run(cmd, BENCH / "logs" / f"{copy.stem}-{slug}.log", timeout)
    r.update(label=label, rows_in=add_corpus.get("rows"), text_mb=add_corpus.get("text_mb"))
    if r["rc"] == 0:
        after = count_articles(copy)
        r["articles"] = after - before if after is not None and before is not None else None
        r["index_bytes"] = disk_size(copy)
    remove_index(copy)
    return r


# -- the report ---------------------------------------------------------------------------------------

HEADER = """# Benchmarks

Generated by `scripts/bench.py` (`make bench`: 100k and 1M articles; `make bench-quick`: 10k). Do not edit:
rerun. The corpora are ant_multisource resampled with replacement by `scripts/make_corpus.py` (each row a
distinct article: own URL/id, dates spread over six years, a unique stop-word sentence in the text, so
nothing is deduplicated away; see its docstring).

Columns:
- **wall s**: wall-clock time of the whole command (interpreter start-up, reading, counting, finalize, writing).
- **peak RSS MB**: the highest sum, over the CLI process and all its descendants (workers, Spark's JVM), of
  resident memory, sampled from /proc every 0.2 s (every second after the first minute); pages shared between processes are counted in each.
- **peak PSS MB**: the same with shared pages divided between the processes that share them (closer to the RAM
  actually used).
- **text MB**: UTF-8 size of the input rows' `text` fields (10^6 bytes); **MB/s** = text MB / wall s.
- **rows in**: input rows; **articles**: articles in the index after the run (for `add`: articles added);
  **articles/s** = articles / wall s.
- **index MB**: the index on disk after the run (the .duckdb file and any `<db>.*` sidecar).
- **load**: the 1-minute load average just before the run (other work on the machine skews the numbers).
"""


def fmt(x, spec=".1f", none="–"):
    return none if x is None else format(x, spec)


def table(rows: list[dict]) -> list[str]:
    out = ["| run | wall s | peak RSS MB | peak PSS MB | text MB | MB/s | rows in | articles | articles/s | index MB | load |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        if r.get("rc") != 0:
            out.append(f"| {r['label']} | not available: {str(r.get('why') or r.get('last') or r.get('rc'))[:160]} |"
                       + " |" * 9)
            continue
        w = r["wall"]
        mbs = r["text_mb"] / w if r.get("text_mb") else None
        aps = r["articles"] / w if r.get("articles") is not None else None
        out.append(f"| {r['label']} | {w:.1f} | {r['rss'] / 1e6:.0f} | {r['pss'] / 1e6:.0f} | {fmt(r.get('text_mb'))} | "
                   f"{fmt(mbs, '.2f')} | {fmt(r.get('rows_in'), ',')} | {fmt(r.get('articles'), ',')} | {fmt(aps, ',.0f')} | "
                   f"{fmt(r.get('index_bytes') and r['index_bytes'] / 1e6)} | {r['load']} |")
    cmds = [f"- {r['label']}: `{shlex.join([rel(c) if c == PY else c for c in r['cmd']])}`" for r in rows if r.get("cmd")]
    return out + [""] + cmds


def machine() -> list[str]:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    for line in open("/proc/meminfo"):
        if line.startswith("MemTotal:"):
            mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True,
                               text=True).stdout.strip()
        commit = f"{commit}{' + uncommitted changes' if dirty else ''}"
    except OSError:
        commit = "?"
    return [f"- machine: {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {mem} RAM, {cpu}; "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
            f"- code: {commit}"]


def main() -> int:
    ap = argparse.ArgumentParser(description="benchmark the index build")
    ap.add_argument("--sizes", default="100k,1m", help="comma-separated corpus sizes (10k, 100k, 1m, 5000 …)")
    ap.add_argument("--file", action="append", help="benchmark this file instead of the sizes (repeatable)")
    ap.add_argument("--workers", type=int, default=2, help="workers of the measured builds (default 2)")
    ap.add_argument("--no-append", action="store_true", help="skip the 1k append")
    ap.add_argument("--no-compare", action="store_true", help="skip the 10k baseline (workers=1) and spark runs")
    ap.add_argument("--keep", action="store_true", help="keep the baseline/spark indexes too (the main ones are kept)")
    ap.add_argument("--timeout", type=float, default=None, help="seconds per command")
    ap.add_argument("--no-views", action="store_true",
                    help="skip the views (scripts/bench_views.py) and the browser load (scripts/load_test.py) "
                         "on the built indexes")
    ap.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = ap.parse_args()
    argv = " ".join(shlex.quote(a) for a in sys.argv[1:])
    command = f"{rel(PY)} scripts/bench.py{(' ' + argv) if argv else ''}"
    started = dt.datetime.now().astimezone()
    host = machine()   # the code as the run starts: the commands below run it, whatever is committed meanwhile
    BENCH.mkdir(parents=True, exist_ok=True)
    w = str(args.workers)

    build_help = cli_help("build") or ""
    has_workers = "--workers" in build_help
    has_engine = "--engine" in build_help
    add_help = cli_help("add")
    wflag = ["--workers", w] if has_workers else []

    targets = []   # (name, corpus stats)
    if args.file:
        for f in args.file:
            p = Path(f).absolute()
            if not p.exists():
                raise SystemExit(f"bench: no such file: {f}")
            name = re.sub(r"\.(jsonl|ndjson|csv|tsv|json|parquet|zip)(\.gz)?$", "", p.name)
            targets.append((name, file_stats(p)))
    else:
        for s in args.sizes.split(","):
            label, n = parse_size(s)
            targets.append((f"ant-{label}", {**make_corpus(label, n), "label": label}))
    add_corpus = None if args.no_append or add_help is None else make_corpus("1k", APPEND_ROWS, APPEND_SEED, APPEND_FILE)
    cmp_corpus = None if args.no_compare else make_corpus(COMPARE, SIZES[COMPARE])

    corpora = {rel(c["path"]): c for _, c in targets}
    for c in (add_corpus, cmp_corpus):
        if c:
            corpora.setdefault(rel(c["path"]), c)

    sections = []
    view_sections = []
    w2_cmp = None
    for name, corpus in targets:
        print(f"== {name}", flush=True)
        rows = []
        db = BENCH / f"{name}.duckdb"
        b = build_run(f"build, workers={w}" if has_workers else "build (default workers)", corpus, db, wflag, args.timeout)
        rows.append(b)
        if corpus is cmp_corpus or (cmp_corpus and corpus.get("path") == cmp_corpus["path"]):
            w2_cmp = b
        if args.no_append:
            pass
        elif add_help is None:
            rows.append({"label": "add 1k", "rc": None, "why": "`python -m core add` does not exist yet"})
        elif b["rc"] != 0:
            rows.append({"label": "add 1k", "rc": None, "why": "the build failed"})
        else:
            # 1,000 resampled articles spread over the corpus's six years (every window of the index is
            # touched: the worst case), then 1,000 dated the day after the corpus's last (a day of news)
            rows.append(append_run(db, add_corpus, args.timeout, "add 1k, over six years"))
            day = next_day(db)
            if day:
                day_corpus = make_corpus("1k-day", APPEND_ROWS, APPEND_SEED - 1, BENCH / "ant-1k-day.jsonl.gz", day=day)
                rows.append(append_run(db, day_corpus, args.timeout, f"add 1k, one day ({day})"))
        sections.append((f"{name} ({fmt(corpus.get('rows'), ',')} rows, {fmt(corpus.get('text_mb'))} MB of text)", rows))
        if not args.no_views and b["rc"] == 0:
            view_sections.append(views_run(db, args.timeout))

    compare_lines = []
    if cmp_corpus:
        print(f"== compare on ant-{COMPARE}", flush=True)
        rows = []
        if w2_cmp is None:
            w2_cmp = build_run(f"build, workers={w}", cmp_corpus, BENCH / f"ant-{COMPARE}-w{w}.duckdb", wflag, args.timeout)
            rows.append(w2_cmp)
            if not args.keep:
                remove_index(BENCH / f"ant-{COMPARE}-w{w}.duckdb")
        db1 = BENCH / f"ant-{COMPARE}-w1.duckdb"
        if has_workers:
            w1 = build_run("baseline: build, workers=1", cmp_corpus, db1, ["--workers", "1"], args.timeout)
        else:
            w1 = build_run("baseline: Corpus.build (in-process)", cmp_corpus, db1, [], args.timeout, legacy=True)
        rows.append(w1)
        dbs = BENCH / f"ant-{COMPARE}-spark.duckdb"
        if has_engine:
            sp = build_run(f"build --engine spark{', workers=' + w if has_workers else ''}", cmp_corpus, dbs,
                           ["--engine", "spark", *wflag], args.timeout)
        else:
            sp = {"label": "build --engine spark", "rc": None, "why": "the CLI has no --engine"}
        rows.append(sp)
        if not args.keep:
            remove_index(db1)
            remove_index(dbs)
        if w2_cmp["rc"] == 0 and w1["rc"] == 0:
            compare_lines.append(f"- workers={w} vs workers=1 on ant-{COMPARE}: **{w1['wall'] / w2_cmp['wall']:.2f}×** "
                                 f"the speed ({w2_cmp['wall']:.1f} s vs {w1['wall']:.1f} s), "
                                 f"{w2_cmp['pss'] / max(w1['pss'], 1):.2f}× the peak PSS "
                                 f"({w2_cmp['pss'] / 1e6:.0f} MB vs {w1['pss'] / 1e6:.0f} MB)")
            if w2_cmp.get("articles") != w1.get("articles"):
                compare_lines.append(f"- note: article counts differ ({w2_cmp.get('articles')} vs {w1.get('articles')})")
        else:
            compare_lines.append(f"- workers={w} vs workers=1 on ant-{COMPARE}: not available (a run failed)")
        if sp.get("rc") == 0 and w2_cmp["rc"] == 0:
            compare_lines.append(f"- spark vs local (workers={w}) on ant-{COMPARE}: {w2_cmp['wall'] / sp['wall']:.2f}× the speed "
                                 f"({sp['wall']:.1f} s vs {w2_cmp['wall']:.1f} s)")
        else:
            compare_lines.append(f"- spark on ant-{COMPARE}: not available ({sp.get('why') or str(sp.get('last'))[:200]})")
        sections.append((f"naive baseline and engines, ant-{COMPARE}", rows))

    finished = dt.datetime.now().astimezone()
    md = [HEADER, "## Run", "",
          f"- date: {started:%Y-%m-%d %H:%M %Z} (took {(finished - started).total_seconds() / 60:.1f} min)",
          f"- command: `{command}`", *host,
          f"- CLI: build --workers {'yes' if has_workers else 'no'}, --engine {'yes' if has_engine else 'no'}; "
          f"add {'yes' if add_help is not None else 'not available'}", "",
          "## Corpora", "",
          "| file | rows | text MB | file MB | generated in s |", "|---|---:|---:|---:|---:|"]
    for p, c in corpora.items():
        md.append(f"| {p} | {fmt(c.get('rows'), ',')} | {fmt(c.get('text_mb'))} | {fmt(c.get('file_bytes') and c['file_bytes'] / 1e6)} "
                  f"| {fmt(c.get('generated_seconds'))} |")
    for title, rows in sections:
        md += ["", f"## {title}", "", *table(rows)]
    if compare_lines:
        md += ["", "## Ratios", "", *compare_lines]
    for lines in view_sections:
        md += ["", *lines]
    md.append(f"\nLogs of every command: `{rel(BENCH / 'logs')}/`.")
    text = "\n".join(md) + "\n"
    Path(args.out).write_text(text, encoding="utf-8")
    print("\n" + text)
    return 0


def views_run(db: Path, timeout: float | None) -> list[str]:
    """Every page's computations under five filters with the naive baselines (scripts/bench_views.py), then the
    app in Debian's Chromium: every page opened, an outlet picked and a search typed (scripts/felt.py), then
    one session for 60 s and ten sessions for 120 s of random steps in Chromium, and ten for 120 s over Streamlit's
    protocol (scripts/load_test.py), on the index just built."""
    print(f"== views on {rel(db)}", flush=True)
    out = BENCH / f"{db.stem}-views.md"
    lines = []
    r = subprocess.run([str(PY), str(ROOT / "scripts" / "bench_views.py"), rel(db), "--out", str(out)],
                       capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    lines += (out.read_text(encoding="utf-8").splitlines() if r.returncode == 0 and out.exists()
              else [f"## Views on `{rel(db)}`", "", f"- failed (rc {r.returncode}): {r.stderr[-400:]}"])
    print("== felt in Chromium, page by page", flush=True)
    felt = BENCH / f"{db.stem}-felt.md"
    r = subprocess.run([str(PY), str(ROOT / "scripts" / "felt.py"), "--corpus-file", str(db), "--out", str(felt)],
                       capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    lines += [""] + (felt.read_text(encoding="utf-8").splitlines() if felt.exists()
                     else [f"## Felt in Chromium on `{rel(db)}`", "", f"- failed (rc {r.returncode}): {r.stderr[-400:]}"])
    for client, sessions, seconds in (("browser", 1, 60), ("browser", 10, 120), ("protocol", 10, 120)):
        print(f"== {client} load: {sessions} session(s) × {seconds} s", flush=True)
        cmd = [str(PY), str(ROOT / "scripts" / "load_test.py"), "--corpus-file", str(db), "--sessions", str(sessions),
               "--seconds", str(seconds), "--client", client,
               "--out", str(BENCH / f"{db.stem}-load-{sessions}{'' if client == 'browser' else '-' + client}.json")]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        where = ("In Chromium" if client == "browser" else "Over Streamlit's protocol, without browsers")
        how = ("latency is from the action until Streamlit is idle again; Chromium runs on the same 2 cores."
               if client == "browser" else
               "latency is from the action until the server has sent the whole page (the sessions speak Streamlit's "
               "websocket protocol and draw nothing: ten analysts' browsers run on their own machines).")
        lines += ["", f"## {where}: {sessions} session{'s' if sessions > 1 else ''} × {seconds} s on `{rel(db)}`", "",
                  f"`{' '.join(rel(Path(c)) if c.startswith(str(ROOT)) else c for c in cmd)}` (rc {r.returncode}); " + how,
                  "", "```", *(r.stdout.strip().splitlines() or [r.stderr[-800:]]), "```"]
    return lines


if __name__ == "__main__":
    raise SystemExit(main())
