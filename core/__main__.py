"""Command line: ``python -m core summarize PATH… --out DIR`` and friends.

The CLI calls the same functions as the app, so its CSVs hold the same numbers.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


class Progress:
    """Build progress on stderr: a bar with the stage, its rate and the time left on a terminal;
    plain lines (one per stage, and at most one every 10 s) otherwise."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()
        self.t0 = time.perf_counter()
        self.stage = None
        self.last = 0.0

    def __call__(self, frac: float, msg: str) -> None:
        now = time.perf_counter() - self.t0
        frac = min(max(float(frac), 0.0), 1.0)
        left = f"{now * (1 - frac) / frac:4.0f}s left" if frac > 0.02 else "       "
        stage = str(msg).split(" ", 1)[0]
        if self.tty:
            bar = "█" * int(frac * 30) + "░" * (30 - int(frac * 30))
            print(f"\r{bar} {frac:4.0%} {now:5.0f}s {left} {msg[:50]:<50}", end="", file=self.stream, flush=True)
        elif stage != self.stage or now - self.last >= 10:
            print(f"[{now:6.1f}s] {frac:4.0%} {msg}", file=self.stream, flush=True)
            self.last = now
        self.stage = stage

    def done(self) -> None:
        if self.tty:
            print(file=self.stream)



def _filter_from(args):
    from core.filter import Filter

    return Filter(date_from=args.date_from, date_to=args.date_to, outlets=tuple(args.outlet or ()),
                  query=args.query or "")


def cmd_summarize(args) -> int:
    from core.analysis import entities, keywords, overview, topics
    from core.export import write_csv
    from core.index.handle import Corpus

    t0 = time.perf_counter()
    if args.index:
        if args.paths:
            raise SystemExit("summarize: give source PATHs or --index INDEX, not both")
        if not Path(args.index).exists():
            raise SystemExit(f"summarize: no index at {args.index}")
        corpus = Corpus.open(args.index, read_only=True)
        _warn_stale(args.index)
    else:
        if not args.paths:
            raise SystemExit("summarize: give source PATHs or --index INDEX")
        bar = Progress()
        corpus = Corpus.build(args.paths, db_path=args.db or ":memory:", metadata=args.metadata,
                              mapping=_mapping(args.map), progress=bar, reuse=not args.no_reuse,
                              workers=args.workers)
        bar.done()
    flt = _filter_from(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    arts = overview.articles(corpus, flt)
    write_csv(arts.drop(columns=["url"]), out / "articles.csv")
    write_csv(keywords.keyword_table(corpus, flt, n=1, limit=args.top), out / "keywords.csv")
    ng = [keywords.keyword_table(corpus, flt, n=n, limit=args.top).assign(n=n) for n in (2, 3)]
    import pandas as pd

    ngrams = pd.concat(ng, ignore_index=True)
    if not ngrams.empty:
        ngrams = ngrams[["n"] + [c for c in ngrams.columns if c != "n"]].fillna(0)
    write_csv(ngrams, out / "ngrams.csv")
    write_csv(entities.article_entities(corpus, flt)[["article_id", "entity", "type", "mentions"]], out / "entities.csv")
    write_csv(topics.article_topics(corpus, flt)[["article_id", "topic", "hits"]], out / "topics.csv")
    write_csv(entities.candidates(corpus, flt, limit=args.top)[["name", "type", "mentions", "articles", "example"]],
              out / "candidates.csv")
    write_csv(overview.outlet_totals(corpus, flt), out / "outlets.csv")
    write_csv(overview.report(corpus), out / "report.csv")
    extra = _compare_outputs(corpus, flt, out)
    s = overview.summary(corpus, flt)
    print(f"{s['articles']} articles, {s['outlets']} outlets, {s['words']} words, "
          f"{s['date_min']} … {s['date_max']}, {s['undated']} undated; "
          f"{len(overview.report(corpus))} report rows; {time.perf_counter() - t0:.1f}s → {out}")
    for name in ["articles.csv", "keywords.csv", "ngrams.csv", "entities.csv", "topics.csv", "candidates.csv", "outlets.csv",
                 "report.csv", *extra]:
        print(f"  {out / name}")
    return 0


def _compare_outputs(corpus, flt, out: Path) -> list[str]:
    """distinctive.csv, reuse.csv, quotes.csv, variants.csv (the outlet comparison), stories.csv and
    story_outlets.csv (the same event across outlets)."""
    from core.analysis import distinctive, quotes_view, reuse_view, variants
    from core.export import write_csv

    written = []
    for name, fn in (("distinctive.csv", distinctive.distinctive_all), ("reuse.csv", reuse_view.reuse_pairs),
                     ("quotes.csv", quotes_view.quotes), ("variants.csv", variants.variant_table)):
        write_csv(fn(corpus, flt), out / name)
        written.append(name)
    from core.analysis.stories import story_csvs

    arts, per = story_csvs(corpus, flt)
    write_csv(arts, out / "stories.csv")
    write_csv(per, out / "story_outlets.csv")
    return written + ["stories.csv", "story_outlets.csv"]


def _mapping(pairs):
    if not pairs:
        return None
    m = {}
    for p in pairs:
        if "=" not in p:
            raise SystemExit(f"--map expects FIELD=COLUMN, got {p!r}")
        k, v = p.split("=", 1)
        m[k.strip()] = v.strip()
    return m


def cmd_build(args) -> int:
    t0 = time.perf_counter()
    bar = Progress()
    kw = dict(metadata=args.metadata, mapping=_mapping(args.map), progress=bar, reuse=not args.no_reuse,
              workers=args.workers, furniture=args.furniture)
    if args.furniture:
        from core.ingest.learned import BadDecisions, load_decisions

        if not Path(args.furniture).exists():
            raise SystemExit(f"build: no furniture decisions file at {args.furniture}")
        try:
            load_decisions(args.furniture)
        except BadDecisions as e:
            raise SystemExit(f"build: {args.furniture}: {e}")
    if args.engine == "spark":
        from core.index.spark import build_index_spark

        corpus = build_index_spark(args.paths, args.db, **kw)
    else:
        from core.index.build import build_index

        corpus = build_index(args.paths, args.db, **kw)
    bar.done()
    n = corpus.rows("SELECT COUNT(*) FROM articles")[0][0]
    r = corpus.rows("SELECT COUNT(*) FROM report")[0][0]
    print(f"{n} articles, {r} report rows, built in {time.perf_counter() - t0:.1f}s → {args.db}")
    return 0


def cmd_add(args) -> int:
    from core.index.build import append_index

    if not Path(args.db).exists():
        raise SystemExit(f"add: no index at {args.db} (build it first: python -m core build PATH… --db {args.db})")
    t0 = time.perf_counter()
    bar = Progress()
    res = append_index(args.paths, args.db, metadata=args.metadata, mapping=_mapping(args.map), progress=bar,
                       workers=args.workers)
    bar.done()
    print(f"{res['added']} articles added ({res['problems']} report rows) in {time.perf_counter() - t0:.1f}s → "
          f"{args.db}; {res['articles']} articles in all")
    _warn_stale(args.db)
    return 0


def _warn_stale(db) -> None:
    from core.index.cache import index_status

    st = index_status(db)
    if st["stale"]:
        print(f"note: a full rebuild would change the counts ({st['stale_reason']}; "
              f"{st['appended']} articles appended since the build): "
              f"python -m core build … --db {db}", file=sys.stderr)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m core", description="Marsad: Arabic news coverage explorer (core CLI)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p, paths_required=True):
        p.add_argument("paths", nargs="+" if paths_required else "*",
                       help="article files, folders, tables (CSV/TSV/JSONL[.gz]/Parquet) or zips")
        p.add_argument("--metadata", help="a sidecar metadata.csv / .json for .txt articles")
        p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                       help="explicit column mapping for tables, e.g. --map text=body --map outlet=site")
        p.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: every core; small inputs are built in-process)")

    s = sub.add_parser("summarize", help="write the summary CSVs, from sources or from a built index")
    common(s, paths_required=False)
    s.add_argument("--index", help="a built index (python -m core build … --db INDEX): nothing is re-read")
    s.add_argument("--no-reuse", action="store_true", help="skip the text-reuse index when building")
    s.add_argument("--outlet", action="append", help="keep only this outlet (repeatable; 'unknown' for none)")
    s.add_argument("--from", dest="date_from", help="first date, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="last date, YYYY-MM-DD")
    s.add_argument("--query", help="keep only articles containing these words (normalised like the corpus)")
    s.add_argument("--top", type=int, default=200, help="how many terms/n-grams to list (default 200)")
    s.add_argument("--db", help="also keep the built DuckDB database in this file")
    s.add_argument("--out", required=True, help="output folder")
    s.set_defaults(func=cmd_summarize)

    b = sub.add_parser("build", help="build an index (a DuckDB file) from article files")
    common(b)
    b.add_argument("--db", required=True, help="the index file to write (replaced only once the new one is complete)")
    b.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local: a process pool on this machine; spark: the same pipeline as a PySpark job")
    b.add_argument("--no-reuse", action="store_true", help="skip the text-reuse index")
    b.add_argument("--furniture", metavar="CSV",
                   help="the analyst's furniture decisions (outlet,kind,pattern,decision: reject / add), "
                        "applied to the furniture the build learns")
    b.set_defaults(func=cmd_build)

    a = sub.add_parser("add", help="append articles to a built index without re-reading the old ones")
    common(a)
    a.add_argument("--db", required=True, help="the index to add to")
    a.set_defaults(func=cmd_add)

    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
