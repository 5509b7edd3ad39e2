"""Time every page's core computations on a built index, under the five filters of the
interactive-speed issue, and the naive baselines on the same rows.  Numbers, not assertions.

    .venv/bin/python scripts/bench_views.py var/bench/gen-100k.duckdb [--repeat 3] [--out FILE.md]

For each page, the calls the page makes with its default settings are run together (what one
render of the page computes); each (page, filter) is timed cold (the first render of that filter on
a fresh handle: the handle's per-query lookups included) and warm (the median of ``--repeat`` more
renders).  The filters:

* the whole corpus;
* one outlet (the largest);
* two outlets + one month (the two largest, the corpus's busiest month);
* a text query (the corpus's most frequent unigram label that is a place or person in the gazetteer,
  else its top unigram);
* a quoted phrase (its top bigram, in quotes).

Baselines, on the rows the "two outlets + one month" and "text query" filters select: the top 30 words
by pandas + ``collections.Counter`` over the filtered texts (tokenised and grouped by the corpus's own
grouper, so the words are the same keys), and by scikit-learn's ``CountVectorizer`` refit on them, each
against ``keywords.top_terms`` under the same filter.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.analysis import (distinctive, entities, keywords, overview, quotes_view, reuse_view, stories,  # noqa: E402
                           topics, variants)
from core.filter import Filter  # noqa: E402
from core.index.handle import Corpus  # noqa: E402
from core.index.viewcache import warm  # noqa: E402
from core.markup import word_cloud_html  # noqa: E402


def _cloud(top):
    """The Keywords page's word cloud of its top terms (markup the browser draws; the PNG is laid out only
    when it is downloaded, and is not timed here)."""
    return word_cloud_html(dict(zip(top["label"], top["count"])))


def page_calls(c: Corpus, flt: Filter, outlets: list[str], term: str) -> dict:
    lex = c.resources.topics
    a, b = (outlets + [None, None])[:2]
    return {
        "overview": lambda: (overview.summary(c, flt), overview.outlet_totals(c, flt),
                             overview.attention(c, flt, "W"), overview.articles(c, flt, limit=2000)),
        "keywords": lambda: _keywords(c, flt, term),
        "topics": lambda: (overview.summary(c, flt), topics.topic_by_outlet(c, flt, lex),
                           topics.topic_trend(c, flt, lex, freq="W")),
        "entities": lambda: (overview.summary(c, flt), entities.entity_totals(c, flt, limit=25),
                             entities.entity_by_outlet(c, flt, limit=20), entities.entity_trend(c, flt, freq="W")),
        # Compare draws one tab at a time: its first tab (distinctive words, one outlet against the rest, the
        # page's defaults), then each other tab as its own row (what opening it costs)
        "compare": lambda: (overview.outlet_totals(c, flt), distinctive.distinctive_outlets(c, flt, a, None, n=1, min_count=5)),
        "compare · topics tab": lambda: (overview.outlet_totals(c, flt), topics.topic_by_outlet(c, flt, lex)),
        "compare · entities tab": lambda: (overview.outlet_totals(c, flt), entities.entity_by_outlet(c, flt, limit=20)),
        "compare · similarity tab": lambda: (overview.outlet_totals(c, flt), distinctive.similarity(c, flt)),
        "compare · spelling tab": lambda: (overview.outlet_totals(c, flt), variants.variant_table(c, flt)),
        "compare · stories tab": lambda: (overview.outlet_totals(c, flt),
                                          stories.story_outlet_figures(c, flt, overview.outlet_choices(c)["outlet"].tolist())),
        # Reuse, as Compare: its first tab (shared text), then each other tab as its own row
        "reuse": lambda: _reuse(c, flt),
        "reuse · quotes tab": lambda: _reuse_quotes(c, flt),
        "reuse · same statement tab": lambda: _reuse_same(c, flt),
        "articles": lambda: _reader(c, flt, lex),
        "stories": lambda: _stories(c, flt),
    }


# Keywords and Reuse start the views no widget decides on the shared pool (``warm``), as the pages do,
# and then read each back in the page's order.

def _keywords(c: Corpus, flt: Filter, term: str):
    """The page as rerun after a filter change, its concordance term already picked (``term``)."""
    top_view = lambda: keywords.top_terms(c, flt, n=1, limit=25)  # noqa: E731
    warm(lambda: keywords.concordance(c, term, flt))
    if c.outlet_scope(flt) is not None:
        warm(top_view)
    out = [overview.summary(c, flt), keywords.top_terms_by_outlet(c, flt, n=1, limit=10)]
    top = top_view()
    return out + [_cloud(top), keywords.concordance(c, term, flt)]


def _reuse(c: Corpus, flt: Filter):
    later = [lambda: reuse_view.reuse_matrix(c, flt), lambda: reuse_view.reuse_network(c, flt)]
    first = [overview.summary(c, flt)]
    warm(*later)
    return first + [reuse_view.reuse_pairs(c, flt)] + [v() for v in later]


def _reuse_quotes(c: Corpus, flt: Filter):
    later = [lambda: quotes_view.top_speakers(c, flt, 25), lambda: quotes_view.quotes(c, flt, limit=2000),
             lambda: quotes_view.quote_count(c, flt)]
    first = [overview.summary(c, flt)]
    warm(*later)
    return first + [quotes_view.quote_speakers(c, flt)] + [v() for v in later]


def _reuse_same(c: Corpus, flt: Filter):
    later = [lambda: quotes_view.statements_across_outlets(c, flt, limit=40)]
    first = [overview.summary(c, flt)]
    warm(*later)
    return first + [quotes_view.statement_count(c, flt)] + [v() for v in later]


def _stories(c: Corpus, flt: Filter):
    """The Stories page with its default picks: the list, the largest story's outlets, terms, quotes and
    texts, the first outlet's blind spots, the timeline and the per-outlet figures."""
    every = overview.outlet_choices(c)["outlet"].tolist()
    arts, per, lst = stories.story_tables(c, flt)
    _arts_all, _per_all, lst_all = stories.story_tables(c, flt, outlets_aware=False)
    out = [lst]
    if not lst.empty:
        pick = int(lst["story_id"].iloc[0])
        out += [per[per["story_id"] == pick].reset_index(drop=True), arts[arts["story_id"] == pick], stories.story_terms(c, pick),
                stories.story_quotes(c, pick), stories.story_texts(c, pick)]
    target = (list(flt.outlets) or every)[0]
    out += [stories.story_blind_spots(c, flt, target, every), stories.timeline_figure(lst_all.head(stories.TIMELINE_STORIES), title=""),
            stories.story_outlet_figures(c, flt, every)]
    return out


def _reader(c: Corpus, flt: Filter, lex):
    """The Articles page: its picker's rows, then the first article with its terms, entities and topics."""
    arts = overview.articles(c, flt, limit=5000)
    if arts.empty:
        return arts
    aid = arts["id"].iloc[0]
    return (overview.article(c, aid), overview.article_terms(c, aid), overview.entities_of_article(c, aid),
            topics.article_topics(c, None, lex, article_id=aid))


def filters(c: Corpus) -> tuple[dict[str, Filter], list[str], str]:
    outlets = [r[0] for r in c.rows("SELECT outlet FROM articles GROUP BY outlet ORDER BY COUNT(*) DESC")]
    month = c.rows("SELECT date_trunc('month', date) m FROM articles WHERE date IS NOT NULL "
                   "GROUP BY m ORDER BY COUNT(*) DESC LIMIT 1")
    m0 = month[0][0] if month else dt.date(2018, 1, 1)
    m0 = m0.date() if hasattr(m0, "date") else m0
    m1 = (m0.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    names = {e.name for e in c.resources.gazetteer}
    top = keywords.top_terms(c, Filter(), n=1, limit=200)
    word = next((lab for lab in top["label"] if lab in names), top["label"].iloc[0])
    bigram = keywords.top_terms(c, Filter(), n=2, limit=1)["label"].iloc[0]
    return ({
        "whole corpus": Filter(),
        "one outlet": Filter(outlets=(outlets[0],)),
        "two outlets + one month": Filter(outlets=tuple(outlets[:2]), date_from=m0, date_to=m1),
        f"query {word}": Filter(query=word),
        f'phrase "{bigram}"': Filter(query=f'"{bigram}"'),
    }, outlets, word)


def timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def repeated(run, times: int) -> float:
    """The median of ``times`` calls of ``run`` (each returning its seconds); one call when it took over 5 s."""
    first = run()
    return first if first > 5 or times <= 1 else statistics.median([first] + [run() for _ in range(times - 1)])


def naive_counter(c: Corpus, flt: Filter) -> float:
    from core.arabic import normalize, tokenize

    where, params = c.where(flt)
    t = time.perf_counter()
    texts = c.sql(f"SELECT a.text FROM articles a WHERE {where}", params)["text"]
    key, counts = c.grouper.key, Counter()
    for text in texts:
        counts.update(k for k in (key(w) for w in tokenize(normalize(text))) if k)
    counts.most_common(30)
    return time.perf_counter() - t


def naive_vectorizer(c: Corpus, flt: Filter) -> float:
    from sklearn.feature_extraction.text import CountVectorizer

    from core.arabic import normalize, tokenize

    where, params = c.where(flt)
    t = time.perf_counter()
    texts = c.sql(f"SELECT a.text FROM articles a WHERE {where}", params)["text"]
    key = c.grouper.key
    vec = CountVectorizer(analyzer=lambda text: [k for k in (key(w) for w in tokenize(normalize(text))) if k])
    m = vec.fit_transform(texts)
    m.sum(axis=0)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("index")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out")
    args = ap.parse_args()
    t0 = time.perf_counter()
    c = Corpus.open(args.index, read_only=True)
    opened = time.perf_counter() - t0
    n = c.rows("SELECT COUNT(*) FROM articles")[0][0]
    flts, outlets, word = filters(c)
    lines = [f"## Views on `{args.index}` ({n:,} articles)", "",
             f"- opened in {opened * 1000:.0f} ms; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
             f"command: `.venv/bin/python scripts/bench_views.py {args.index}`", "",
             "ms per render of each page's computations: cold (first render of the filter on a fresh handle) / "
             "warm (median of the next renders with the result cache emptied first: the work a new filter costs once "
             "the handle is warm) / cached (median of the next renders, served by the per-(view, filter) result "
             "cache: a filter the analyst comes back to, or a rerun after a widget that does not change it).", "",
             "| page | " + " | ".join(flts) + " |", "|---|" + "---:|" * len(flts)]
    warm_all, cached_all = [], []
    for page in page_calls(c, Filter(), outlets, word):
        cells = []
        for label, flt in flts.items():
            fresh = Corpus.open(args.index, read_only=True)
            fresh.set_grouping(c.grouper, c.matcher)   # the grouping is loaded once per process in the app too
            calls = page_calls(fresh, flt, outlets, word)[page]
            cold = timed(calls)
            cached = statistics.median(timed(calls) for _ in range(args.repeat))

            def uncached():
                fresh.views.clear()   # keep the handle's other memos (grouping, query ids), drop the results
                return timed(calls)
            warm = statistics.median(uncached() for _ in range(args.repeat))
            warm_all.append(warm)
            cached_all.append(cached)
            cells.append(f"{cold * 1000:,.0f} / {warm * 1000:,.0f} / {cached * 1000:,.1f}")
            fresh.con.close()
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
        print(lines[-1], flush=True)
    lines += ["", f"- warm median over every page and filter: {statistics.median(warm_all) * 1000:,.0f} ms; "
              f"max {max(warm_all) * 1000:,.0f} ms; cached: median {statistics.median(cached_all) * 1000:,.1f} ms, "
              f"max {max(cached_all) * 1000:,.1f} ms", ""]
    lines += ["Naive baselines against `keywords.top_terms` (top 30 words) under the same filter, each timed with the "
              "handle's remembered results emptied first (what a new filter costs); every figure is the median of "
              f"{args.repeat} runs (a baseline run over 5 s is run once):", "",
              "| filter | articles | top_terms ms | pandas + Counter ms | ratio | CountVectorizer ms | ratio |",
              "|---|---:|---:|---:|---:|---:|---:|"]
    for label in ("two outlets + one month", next(k for k in flts if k.startswith("query"))):
        flt = flts[label]
        def fresh_top():   # what a new filter costs: no remembered result of any view (e.g. the filter's
            c.views.clear()   # outlet x term counts, which the pages above left on this handle)
            return keywords.top_terms.uncached(c, flt, n=1, limit=30)

        ours = statistics.median(timed(fresh_top) for _ in range(args.repeat))
        k = overview.summary(c, flt)["articles"]
        # each baseline's median over the same number of runs as ours (one run when it takes over 5 s): a
        # single run of the same baseline took 474 to 1,232 ms at 100k from one run to the next
        a, b = repeated(lambda: naive_counter(c, flt), args.repeat), repeated(lambda: naive_vectorizer(c, flt), args.repeat)
        lines.append(f"| {label} | {k:,} | {ours * 1000:,.0f} | {a * 1000:,.0f} | {a / ours:.0f}× | "
                     f"{b * 1000:,.0f} | {b / ours:.0f}× |")
        print(lines[-1], flush=True)
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
