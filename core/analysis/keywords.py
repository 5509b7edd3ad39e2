"""Top terms and n-grams under a filter, and the keyword-in-context concordance."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from core.analysis.distinctive import counts_cursor, month_counts, outlet_term_frame
from core.analysis.overview import as_dates, forms_text
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus


@view
def top_terms(corpus: Corpus, flt: Filter | None = None, n: int = 1, limit: int = 30) -> pd.DataFrame:
    """The most frequent grouped terms (n=1), bigrams (2) or trigrams (3).

    Columns: term (the grouping key), label (most frequent clean surface form), count,
    articles (how many articles use it), forms (the merged surface forms with counts).
    ``للافروف`` and ``لافروف`` are one term labelled ``لافروف``.
    """
    where, params = corpus.where(flt)
    params = {**params, "n": int(n), "lim": int(limit)}
    scope = corpus.outlet_scope(flt)
    # asked once: another session sharing the handle may add or evict the frame between two asks
    shared = scope is None and outlet_term_frame.is_cached(corpus, flt, n)
    if scope == []:  # the whole corpus: totals were computed once at ingestion
        counts = "SELECT tid, total AS count, df AS articles FROM vocab WHERE n = $n ORDER BY count DESC, articles DESC, tid LIMIT $lim"
    elif scope:  # outlets only: per-outlet totals
        params = {"n": int(n), "lim": int(limit), "outlets": scope}
        counts = ("SELECT tid, SUM(count) AS count, SUM(articles) AS articles FROM outlet_terms "
                  "WHERE n = $n AND list_contains($outlets, outlet) GROUP BY tid "
                  "ORDER BY count DESC, articles DESC, tid LIMIT $lim")
    elif shared:
        # the filter's outlet x term counts, already summed by another view of the page (per outlet, Compare)
        counts = ("SELECT tid, SUM(count) AS count, SUM(articles) AS articles FROM counts_df GROUP BY tid "
                  "ORDER BY count DESC, articles DESC, tid LIMIT $lim")
    elif (rolled := month_counts(corpus, flt, n, by_outlet=False)) is not None:
        # dates and outlets only: whole months from the per-outlet and month rollup, the edge days from the terms
        counts = f"SELECT * FROM ({rolled[0]}) ORDER BY count DESC, articles DESC, tid LIMIT $lim"
        params = {**rolled[1], "lim": int(limit)}
    else:  # summed here by term alone: fewer groups than per outlet and term (100k, a word query: 95 -> 48 ms)
        counts = (f"SELECT t.tid, SUM(t.cnt) AS count, COUNT(*) AS articles FROM terms t "
                  f"JOIN (SELECT aid FROM articles a WHERE {where}) f USING (aid) WHERE t.n = $n GROUP BY t.tid "
                  f"ORDER BY count DESC, articles DESC, tid LIMIT $lim")
    sql = (f"SELECT v.key AS term, v.label, CAST(c.count AS BIGINT) AS count, CAST(c.articles AS BIGINT) AS articles, v.forms "
           f"FROM ({counts}) c JOIN vocab v USING (tid) ORDER BY count DESC, articles DESC, v.label, v.key")
    if shared:
        df = counts_cursor(corpus, flt, n).execute(sql, {"lim": int(limit)}).df()
    else:
        df = corpus.sql(sql, params)
    df["forms"] = df["forms"].map(forms_text)
    return df


@view
def top_terms_by_outlet(corpus: Corpus, flt: Filter | None = None, n: int = 1, limit: int = 15) -> pd.DataFrame:
    """Each outlet's own top terms. Columns outlet, rank, term, label, count, articles, per_1000 (per 1,000 words).

    Only the terms counted at least as often as an outlet's ``limit``-th largest count can rank in its top
    ``limit``, so those are found first (a top-``limit`` of the counts per outlet, one pass) and only they
    are ranked: sorting all 274k unigram rows of outlet_terms by outlet took ~100 ms of CPU at 100k."""
    if corpus.outlet_scope(flt) is None:   # dates or a text query: ranked from the filter's outlet x term counts
        return _top_by_outlet_from_frame(corpus, flt, n, limit)
    where, params = corpus.where(flt)
    params = {**params, "n": int(n), "lim": int(limit)}
    df = corpus.sql(
        f"""
        WITH f AS (SELECT aid, outlet, words FROM articles a WHERE {where}),
        w AS (SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM f GROUP BY outlet),
        c0 AS (SELECT outlet, tid, count, articles FROM outlet_terms WHERE n = $n AND outlet IN (SELECT outlet FROM w)),
        thr AS (SELECT outlet, MIN(x) AS thr FROM (SELECT outlet, unnest(max(count, $lim)) AS x FROM c0 GROUP BY outlet)
                GROUP BY outlet),
        c AS (SELECT c0.* FROM c0 JOIN thr USING (outlet) WHERE c0.count >= thr.thr),
        r AS (SELECT *, row_number() OVER (PARTITION BY outlet ORDER BY count DESC, articles DESC, tid) AS rank FROM c
              QUALIFY rank <= $lim)
        SELECT r.outlet, r.rank, v.key AS term, v.label, CAST(r.count AS BIGINT) AS count, r.articles,
               ROUND(1000.0 * r.count / NULLIF(w.words, 0), 3) AS per_1000, v.forms
        FROM r JOIN vocab v USING (tid) JOIN w USING (outlet)
        WHERE r.rank <= $lim ORDER BY r.outlet, r.rank
        """,
        params,
    )
    df["forms"] = df["forms"].map(forms_text)
    return df


def _top_rows_per_code(codes, cnt, art, tid, limit: int) -> np.ndarray:
    """The rows of each code >= 0 (codes ascending) that rank in its first ``limit`` by count, articles (both
    descending) and term id, in that order.  Only rows counted at least as often as the code's ``limit``-th
    largest count can rank there: those are found with a partition and only they are sorted, where a lexsort
    of every row took ~11 of ~13 ms under a word query at 100k (95k rows)."""
    if limit <= 0:
        return np.zeros(0, dtype=np.int64)
    by = np.argsort(codes, kind="stable")
    keep = []
    for seg in np.split(by, np.flatnonzero(np.diff(codes[by])) + 1):
        if not len(seg) or codes[seg[0]] < 0:   # an article without an outlet is in no outlet's list
            continue
        if len(seg) > limit:
            counts = cnt[seg]
            seg = seg[counts >= np.partition(counts, len(seg) - limit)[len(seg) - limit]]
        keep.append(seg[np.lexsort((tid[seg], -art[seg], -cnt[seg]))[:limit]])
    return np.concatenate(keep) if keep else np.zeros(0, dtype=np.int64)


def _top_by_outlet_from_frame(corpus: Corpus, flt: Filter | None, n: int, limit: int) -> pd.DataFrame:
    """:func:`top_terms_by_outlet` from :func:`outlet_term_frame` (shared with the Compare page): each outlet's
    ``limit`` first rows by count, articles (both descending) and term id, picked in numpy from the frame
    (~95k rows under a word query at 100k; ranking them in SQL over the registered frame took ~40 ms),
    then labelled and divided by the outlet's words in DuckDB over those few rows."""
    frame = outlet_term_frame(corpus, flt, n)
    codes = frame["outlet"].cat.codes.to_numpy()
    cnt, art, tid = (frame[c].to_numpy() for c in ("count", "articles", "tid"))
    keep = _top_rows_per_code(codes, cnt, art, tid, limit)
    oc = codes[keep]
    first = np.r_[0, np.flatnonzero(np.diff(oc)) + 1] if len(oc) else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(oc)) - np.repeat(first, np.diff(np.r_[first, len(oc)]))
    picked = pd.DataFrame({"oc": oc.astype(np.int32), "rank": (rank + 1).astype(np.int64),
                           "tid": tid[keep], "count": cnt[keep], "articles": art[keep]})
    where, params = corpus.where(flt)
    cur = corpus.con.cursor()
    cur.register("picked", picked)
    df = cur.execute(
        f"""WITH w AS (SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM articles a WHERE {where} GROUP BY outlet)
            SELECT $outs[r.oc + 1] AS outlet, r.rank, v.key AS term, v.label, CAST(r.count AS BIGINT) AS count,
                   CAST(r.articles AS BIGINT) AS articles, ROUND(1000.0 * r.count / NULLIF(w.words, 0), 3) AS per_1000, v.forms
            FROM picked r JOIN vocab v USING (tid) JOIN w ON w.outlet = $outs[r.oc + 1]
            ORDER BY outlet, r.rank""",
        {**params, "outs": list(frame["outlet"].cat.categories)}).df()
    df["forms"] = df["forms"].map(forms_text)
    return df


@view
def keyword_table(corpus: Corpus, flt: Filter | None = None, n: int = 1, limit: int = 50) -> pd.DataFrame:
    """The CLI's keywords.csv / ngrams.csv: term, label, count, articles, then one count column per outlet."""
    top = top_terms(corpus, flt, n=n, limit=limit)
    if top.empty:
        return top.drop(columns=["forms"], errors="ignore")
    where, params = corpus.where(flt)
    params = {**params, "terms": list(top["term"]), "n": int(n)}
    per = corpus.sql(
        f"SELECT v.key AS term, a.outlet, CAST(SUM(t.cnt) AS BIGINT) AS count FROM terms t JOIN articles a USING (aid) "
        f"JOIN vocab v USING (tid) WHERE t.n = $n AND list_contains($terms, v.key) AND {where} GROUP BY 1, 2",
        params,
    )
    wide = per.pivot_table(index="term", columns="outlet", values="count", aggfunc="sum", fill_value=0)
    wide.columns = [f"count:{c}" for c in wide.columns]
    out = top.drop(columns=["forms"]).merge(wide, left_on="term", right_index=True, how="left")
    for c in wide.columns:
        out[c] = out[c].fillna(0).astype("int64")
    return out


def _normalized(words: list[str], normalize) -> list[str]:
    """``[normalize(w) for w in words]`` in one call over the words joined by newlines (its substitutions map
    one character at a time), or word by word when NFKC would apply to the whole (a presentation form in any
    word) or the join does not split back: ~15 -> ~3 ms of a 500-line concordance at 100k."""
    from core.arabic import PRESENTATION_FORMS

    joined = "\n".join(words)
    if not PRESENTATION_FORMS.search(joined):
        out = normalize(joined).split("\n")
        if len(out) == len(words):
            return out
    return [normalize(w) for w in words]


def _texts_in_order(corpus: Corpus, aids: list[int], size: int = 64):
    """(id, outlet, date, text) of ``aids``, in that order, read ``size`` articles at a time."""
    for i in range(0, len(aids), size):
        page = aids[i:i + size]
        got = {r[0]: r[1:] for r in corpus.rows(
            "SELECT aid, id, outlet, date, text FROM articles WHERE aid IN (SELECT unnest($ids))", {"ids": page})}
        for aid in page:
            yield got[aid]


#: how many written words' grouping keys the concordance keeps on a handle (~100 bytes each)
WORD_KEYS_MAX = 400_000


@view
def concordance(corpus: Corpus, term: str, flt: Filter | None = None, width: int = 8, limit: int = 500,
                sort: str = "right") -> pd.DataFrame:
    """Keyword in context for a term (any surface form; grouped like the corpus).

    Columns: article_id, outlet, date, left (the preceding words), match (as written),
    right (the following words). In Arabic the preceding context is shown on the right of the
    match and the following context on the left; the columns keep logical order, the page lays
    them out. ``sort`` is "right" (by the words after the match) or "left" (by the words before,
    nearest first).
    """
    from core.arabic import normalize, token_matches, tokenize

    toks = [t for t in tokenize(term)]
    keys = [corpus.grouper.key(normalize(t)) for t in toks]
    keys = [k for k in keys if k]
    cols = ["article_id", "outlet", "date", "left", "match", "right"]
    if not keys:
        return pd.DataFrame(columns=cols)
    n = len(keys)
    phrase = " ".join(keys)
    flt = flt or Filter()
    where, params = corpus.where(flt)
    # the matching articles in order (a narrow sort), then their texts a page at a time until ``limit`` lines
    tid = corpus.term_ids([(n, phrase)]).get((n, phrase))
    order = [r[0] for r in corpus.rows(
        f"SELECT a.aid FROM articles a WHERE {where} AND a.aid IN "
        f"(SELECT aid FROM {corpus.postings} WHERE tid = $tid) ORDER BY a.date NULLS LAST, a.id",
        {**params, "tid": tid})] if tid is not None else []
    rows = []
    grouper = corpus.grouper
    # word as written -> its grouping key: kept on the handle for every concordance (a pure function of the
    # index's grouping, ~10k words for a 500-line concordance at 100k) until it holds WORD_KEYS_MAX words, then
    # this call's own. Never emptied: another session's concordance may be reading it.
    seen: dict[str, str | None] = corpus.memo(("concordance_word_keys", id(grouper)), dict)
    if len(seen) >= WORD_KEYS_MAX:
        seen = {}
    for art in _texts_in_order(corpus, order):
        text = art[3]
        # the words in C (findall); keys only for words not met before; then where the first key
        # sits (list.index), and token offsets only for an article that has a match. Per-token Python
        # (offsets and a key lookup for every word) took ~110 ms of a 500-line concordance at 100k.
        words = tokenize(text)
        distinct = set(words)
        fresh = list(distinct.difference(seen))
        if fresh:
            for w, norm in zip(fresh, _normalized(fresh, normalize)):
                seen[w] = grouper.key(norm)
        last = len(words) - n
        at = []
        for w in distinct:
            if seen[w] == keys[0]:
                i = -1
                try:
                    while True:
                        i = words.index(w, i + 1)
                        if i > last:
                            break
                        at.append(i)
                except ValueError:
                    pass
        if not at:
            continue
        at.sort()
        spans = None
        for i in at:
            # allow the n-gram's words to be consecutive non-stop-word tokens
            if n > 1 and [seen[words[i + j]] for j in range(n)] != keys:
                continue
            if spans is None:   # the offsets of the tokens up to the last match's right context only
                spans = token_matches(text, min(len(words), at[-1] + n + width))
            s, e = spans[i].start(), spans[i + n - 1].end()
            left_start = spans[max(0, i - width)].start()
            right_end = spans[min(len(words) - 1, i + n - 1 + width)].end()
            rows.append(
                {
                    "article_id": art[0],
                    "outlet": art[1],
                    "date": art[2],
                    "left": " ".join(text[left_start:s].split()),
                    "match": text[s:e],
                    "right": " ".join(text[e:right_end].split()),
                }
            )
            if len(rows) >= limit:
                break
        if len(rows) >= limit:
            break
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = as_dates(df["date"])
    if sort == "left" and not df.empty:
        df = df.assign(_k=df["left"].map(lambda s: " ".join(reversed(s.split())))).sort_values("_k").drop(columns="_k")
    elif not df.empty:
        df = df.sort_values("right", kind="stable")
    return df.reset_index(drop=True)
