"""A :class:`~core.filter.Filter` as SQL: the condition over ``articles`` that it selects."""
from __future__ import annotations

import re
from typing import Callable

from core.filter import Filter


def outlet_scope(flt: Filter | None) -> list[str] | None:
    """The outlets a filter selects when it constrains nothing else ([] = every outlet), else None.

    Such filters are answered from the per-outlet totals computed at ingestion.

    >>> outlet_scope(Filter(outlets=("قاسيون",))), outlet_scope(Filter(query="سوريا"))
    (['قاسيون'], None)
    """
    flt = flt or Filter()
    if flt.date_from or flt.date_to or flt.query or flt.undated != "include":
        return None
    return list(flt.outlets)


def query_keys(query: str, key: Callable[[str], str | None]) -> list[tuple[int, str]]:
    """The term keys a free-text query asks for (normalised and grouped by ``key``).

    A quoted phrase of two or three words is one n-gram key; other words are unigram keys;
    stop words (key None) are dropped.

    >>> query_keys('"خان شيخون" سورية', lambda t: {"سورية": "سوريا"}.get(t, t))
    [(2, 'خان شيخون'), (1, 'سوريا')]
    """
    from core.arabic import normalize, tokenize

    keys: list[tuple[int, str]] = []
    phrases = re.findall(r'"([^"]+)"|«([^»]+)»', query)
    rest = re.sub(r'"[^"]+"|«[^»]+»', " ", query)
    for a, b in phrases:
        toks = [key(normalize(t)) for t in tokenize(a or b)]
        toks = [t for t in toks if t]
        if 1 < len(toks) <= 3:
            keys.append((len(toks), " ".join(toks)))
        else:
            keys.extend((1, t) for t in toks)
    for tok in tokenize(rest):
        k = key(normalize(tok))
        if k:
            keys.append((1, k))
    return list(dict.fromkeys(keys))


#: The articles holding every term id of ``$qtids`` (``n`` of them).
QUERY_AIDS_SQL = ("SELECT aid FROM {table} WHERE list_contains($qtids, tid) GROUP BY aid "
                  "HAVING COUNT(DISTINCT tid) = {n}")

#: A text query's articles, given as a bit string over article ids (``$qbits``: "1" at position aid,
#: see :func:`aid_bits`), tested row by row on the articles table.  Binding the same set as a list of
#: aids and semi-joining it cost ~10 ms per query at 100k articles (13k aids), the bit test ~1 ms, and
#: a page runs ten such queries.  ``0 * words`` makes the test read a second column of the articles
#: table, so DuckDB does not carry it across a join on ``aid`` to the other side (it would then test
#: every row of ``terms`` instead of probing the join: 180 against 64 ms at 100k).  ``{last}`` is the
#: string's last position, a "0" past every aid it was made for: an article numbered later (an index
#: appended to under an open handle) is not selected rather than out of the string's range.
QUERY_BITS_COND = "get_bit($qbits::BIT, LEAST({p}aid, {last})) = 1 + 0 * COALESCE({p}words, 0)"


def aid_bits(aids, size: int) -> str:
    """The bit string of ``aids`` (sorted or not) over ``size`` article ids: "1" at each of them, and
    one "0" after the last.

    >>> aid_bits([0, 3], 5)
    '100100'
    """
    import numpy as np

    bits = np.zeros(max(int(size), 0) + 1, dtype=bool)
    bits[np.asarray(list(aids), dtype=np.int64)] = True
    return np.where(bits, b"1", b"0").tobytes().decode("ascii")


def where(flt: Filter | None, alias: str, keys: list[tuple[int, str]], tids: Callable,
          aids: Callable | None = None) -> tuple[str, dict]:
    """SQL condition over ``articles AS alias`` for a filter, with its parameters.

    ``keys`` are the filter's query keys; ``tids(keys)`` returns their term ids (a key missing
    from the vocabulary selects nothing).  ``aids(tids)``, when given, returns the articles holding
    every one of those terms as an :func:`aid_bits` string (resolved once and remembered by the
    caller, so a page's several computations do not each scan the terms table; tested with
    :data:`QUERY_BITS_COND`, so ``alias`` must be the articles table); otherwise the condition holds
    the subquery.
    """
    flt = flt or Filter()
    conds, params = [], {}
    p = f"{alias}." if alias else ""
    if flt.undated == "only":
        conds.append(f"{p}date IS NULL")
    else:
        rng = []
        if flt.date_from:
            rng.append(f"{p}date >= $date_from")
            params["date_from"] = flt.date_from
        if flt.date_to:
            rng.append(f"{p}date <= $date_to")
            params["date_to"] = flt.date_to
        if flt.undated == "exclude":
            rng.append(f"{p}date IS NOT NULL")
            conds.append("(" + " AND ".join(rng) + ")")
        elif rng:
            conds.append(f"(({' AND '.join(rng)}) OR {p}date IS NULL)")
    if flt.outlets:
        conds.append(f"list_contains($outlets, {p}outlet)")
        params["outlets"] = list(flt.outlets)
    if flt.query:
        if not keys:
            conds.append("FALSE")
        else:
            ids = tids(keys)
            if len(ids) < len(keys):
                conds.append("FALSE")
            else:
                if aids is not None:
                    params["qbits"] = aids(ids)
                    conds.append(QUERY_BITS_COND.format(p=p, last=len(params["qbits"]) - 1))
                else:
                    params["qtids"] = ids
                    conds.append(f"{p}aid IN ({QUERY_AIDS_SQL.format(table='terms', n=len(ids))})")
    return (" AND ".join(conds) if conds else "TRUE"), params


def month_parts(flt: Filter | None) -> tuple[list[str], str, dict] | None:
    """A filter of dates (and outlets), without a text query, split in parts that partition its
    articles: the whole calendar months it covers and its undated articles, read from the per-outlet
    and month rollup ``term_months``, and the days at its edges outside a whole month, read from the
    per-article terms.  Returns ``(conditions over term_months, one per part so each can skip the
    row groups outside it, condition over articles AS a, params)``, or None when the filter has a
    text query or no date bound (other paths answer those).

    >>> import datetime as dt
    >>> m, e, p = month_parts(Filter(date_from=dt.date(2017, 5, 1), date_to=dt.date(2017, 6, 10)))
    >>> m, p["m_lo"], p["m_hi"]
    (['month BETWEEN $m_lo AND $m_hi', 'month IS NULL'], datetime.date(2017, 5, 1), datetime.date(2017, 5, 1))
    >>> e, p["d_lo"], p["d_hi"], p["w_lo"], p["w_hi"]
    ('a.date BETWEEN $d_lo AND $d_hi AND NOT (a.date BETWEEN $w_lo AND $w_hi)', datetime.date(2017, 5, 1), datetime.date(2017, 6, 10), datetime.date(2017, 5, 1), datetime.date(2017, 5, 31))
    """
    import datetime as dt

    flt = flt or Filter()
    if flt.query or not (flt.date_from or flt.date_to or flt.undated != "include"):
        return None
    if flt.undated == "only":
        return ["month IS NULL"], "FALSE", {}
    lo, hi = flt.date_from or dt.date.min, flt.date_to or dt.date.max
    # the whole months inside [lo, hi]: from lo's month (or the next one) to hi's month (or the one before)
    w_lo = lo if lo.day == 1 else (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    nxt = (hi.replace(day=28) + dt.timedelta(days=4)).replace(day=1) if hi < dt.date(9999, 12, 1) else None
    w_hi = hi if nxt is None or nxt - dt.timedelta(days=1) == hi else hi.replace(day=1) - dt.timedelta(days=1)
    params: dict = {"d_lo": lo, "d_hi": hi}
    undated = ["month IS NULL"] if flt.undated == "include" else []
    if w_lo > w_hi:   # no whole month: every dated article from the per-article terms
        return undated, "a.date BETWEEN $d_lo AND $d_hi", params
    months = {"m_lo": w_lo, "m_hi": w_hi.replace(day=1)}
    if (w_lo, w_hi) == (lo, hi):   # whole months only: no edge days
        return ["month BETWEEN $m_lo AND $m_hi"] + undated, "FALSE", months
    params.update(months, w_lo=w_lo, w_hi=w_hi)
    return (["month BETWEEN $m_lo AND $m_hi"] + undated,
            "a.date BETWEEN $d_lo AND $d_hi AND NOT (a.date BETWEEN $w_lo AND $w_hi)", params)
