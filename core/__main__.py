"""Command line: ``python -m core summarize PATH… --out DIR`` and friends.

The CLI calls the same functions as the app, so its CSVs hold the same numbers.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def _progress(frac: float, msg: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{frac:5.0%} {msg[:60]:<60}", end="", file=sys.stderr, flush=True)


def _filter_from(args):
    from core.filter import Filter

    return Filter(date_from=args.date_from, date_to=args.date_to, outlets=tuple(args.outlet or ()),
                  query=args.query or "")


def cmd_summarize(args) -> int:
    from core.analysis import entities, keywords, overview, topics
    from core.export import write_csv
    from core.store import Corpus

    t0 = time.perf_counter()
    corpus = Corpus.build(args.paths, db_path=args.db or ":memory:", metadata=args.metadata,
                          mapping=_mapping(args.map), progress=_progress,
                          reuse=not args.no_reuse)
    if sys.stderr.isatty():
        print(file=sys.stderr)
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
    write_csv(overview.outlet_totals(corpus, flt), out / "outlets.csv")
    write_csv(overview.report(corpus), out / "report.csv")
    extra = _compare_outputs(corpus, flt, out)
    s = overview.summary(corpus, flt)
    print(f"{s['articles']} articles, {s['outlets']} outlets, {s['words']} words, "
          f"{s['date_min']} … {s['date_max']}, {s['undated']} undated; "
          f"{len(overview.report(corpus))} report rows; {time.perf_counter() - t0:.1f}s → {out}")
    for name in ["articles.csv", "keywords.csv", "ngrams.csv", "entities.csv", "topics.csv", "outlets.csv",
                 "report.csv", *extra]:
        print(f"  {out / name}")
    return 0


def _compare_outputs(corpus, flt, out: Path) -> list[str]:
    """distinctive.csv, reuse.csv, quotes.csv, variants.csv (the outlet comparison)."""
    from core.analysis import compare
    from core.export import write_csv

    written = []
    for name, fn in (("distinctive.csv", compare.distinctive_all), ("reuse.csv", compare.reuse_pairs),
                     ("quotes.csv", compare.quotes), ("variants.csv", compare.variant_table)):
        write_csv(fn(corpus, flt), out / name)
        written.append(name)
    return written


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
    from core.store import Corpus

    t0 = time.perf_counter()
    corpus = Corpus.build(args.paths, db_path=args.db, metadata=args.metadata, mapping=_mapping(args.map),
                          progress=_progress, reuse=not args.no_reuse)
    n = corpus.rows("SELECT COUNT(*) FROM articles")[0][0]
    r = corpus.rows("SELECT COUNT(*) FROM report")[0][0]
    print(f"\n{n} articles, {r} report rows, built in {time.perf_counter() - t0:.1f}s → {args.db}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m core", description="Marsad: Arabic news coverage explorer (core CLI)")
    sub = ap.add_subparsers(dest="cmd", required=True)

    def common(p):
        p.add_argument("paths", nargs="+", help="article files, folders, tables (CSV/TSV/JSONL[.gz]/Parquet) or zips")
        p.add_argument("--metadata", help="a sidecar metadata.csv / .json for .txt articles")
        p.add_argument("--map", action="append", metavar="FIELD=COLUMN",
                       help="explicit column mapping for tables, e.g. --map text=body --map outlet=site")
        p.add_argument("--no-reuse", action="store_true", help="skip the text-reuse index (faster on huge corpora)")

    s = sub.add_parser("summarize", help="build the corpus and write the summary CSVs")
    common(s)
    s.add_argument("--outlet", action="append", help="keep only this outlet (repeatable; 'unknown' for none)")
    s.add_argument("--from", dest="date_from", help="first date, YYYY-MM-DD")
    s.add_argument("--to", dest="date_to", help="last date, YYYY-MM-DD")
    s.add_argument("--query", help="keep only articles containing these words (normalised like the corpus)")
    s.add_argument("--top", type=int, default=200, help="how many terms/n-grams to list (default 200)")
    s.add_argument("--db", help="also keep the built DuckDB database in this file")
    s.add_argument("--out", required=True, help="output folder")
    s.set_defaults(func=cmd_summarize)

    b = sub.add_parser("build", help="build a corpus database file")
    common(b)
    b.add_argument("--db", required=True, help="the DuckDB file to write")
    b.set_defaults(func=cmd_build)

    args = ap.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
