"""Benchmark: ingestion once, then what a filter change costs.

    .venv/bin/python scripts/bench.py [PATH] [--db FILE] [--rebuild]

Defaults to ../shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz. Prints the build time
(reading, counting, writing the index, quotes, reuse) and, for a handful of filters, the time
of every query a page makes. Numbers, not assertions: run it and report them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.analysis import entities, keywords, overview, topics  # noqa: E402
from core.filter import Filter  # noqa: E402
from core.store import Corpus  # noqa: E402

DEFAULT = Path(__file__).resolve().parent.parent.parent / "shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz"


def timed(label, fn, *a, **kw):
    t0 = time.perf_counter()
    out = fn(*a, **kw)
    ms = 1000 * (time.perf_counter() - t0)
    print(f"  {label:<34} {ms:8.1f} ms")
    return out, ms


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--db", default=".cache/bench/ant.duckdb")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    db = Path(args.db)
    stages = {}
    last = [time.perf_counter(), ""]

    def progress(frac, msg):
        stage = msg.split(" ")[0]
        if stage != last[1]:
            now = time.perf_counter()
            if last[1]:
                stages[last[1]] = stages.get(last[1], 0) + now - last[0]
            last[0], last[1] = now, stage

    if args.rebuild or not db.exists():
        t0 = time.perf_counter()
        corpus = Corpus.build([args.path], db_path=db, progress=progress)
        progress(1, "end")
        print(f"build: {time.perf_counter() - t0:.1f} s")
        for k, v in stages.items():
            print(f"  {k:<12} {v:7.1f} s")
    else:
        corpus = Corpus.open(db)
    n = corpus.rows("SELECT COUNT(*) FROM articles")[0][0]
    t = corpus.rows("SELECT COUNT(*) FROM terms")[0][0]
    print(f"{n} articles, {t} term rows, db {db.stat().st_size / 1e6:.0f} MB")
    outlets = [r[0] for r in corpus.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    lo, hi = corpus.rows("SELECT MIN(date), MAX(date) FROM articles WHERE date >= DATE '2018-01-01'")[0]
    filters = {
        "all": Filter(),
        "one outlet": Filter(outlets=(outlets[0],)),
        "two outlets, one month": Filter(outlets=tuple(outlets[1:3]), date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 31)),
        "query سورية": Filter(query="سورية"),
    }
    worst = 0.0
    for name, flt in filters.items():
        print(f"filter: {name}")
        total = 0.0
        for label, fn, kw in [
            ("summary", overview.summary, {}),
            ("outlet totals", overview.outlet_totals, {}),
            ("attention (week)", overview.attention, {"freq": "W"}),
            ("article table (first 1000)", overview.articles, {"limit": 1000}),
            ("top terms", keywords.top_terms, {"n": 1, "limit": 30}),
            ("top bigrams", keywords.top_terms, {"n": 2, "limit": 30}),
            ("top terms by outlet", keywords.top_terms_by_outlet, {"n": 1, "limit": 15}),
            ("topics by outlet", topics.topic_by_outlet, {}),
            ("entities by outlet", entities.entity_by_outlet, {}),
        ]:
            _, ms = timed(label, fn, corpus, flt, **kw)
            total += ms
        _, ms = timed("concordance سوريا", keywords.concordance, corpus, "سوريا", flt, limit=200)
        total += ms
        print(f"  {'= page queries total':<34} {total:8.1f} ms")
        worst = max(worst, total)
    print(f"worst filter total: {worst:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
