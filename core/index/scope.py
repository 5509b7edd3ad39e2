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


def where(flt: Filter | None, alias: str, keys: list[tuple[int, str]], tids: Callable,
          aids: Callable | None = None) -> tuple[str, dict]:
    """SQL condition over ``articles AS alias`` for a filter, with its parameters.

    ``keys`` are the filter's query keys; ``tids(keys)`` returns their term ids (a key missing
    from the vocabulary selects nothing).  ``aids(tids)``, when given, returns the articles holding
    every one of those terms (resolved once and remembered by the caller, so a page's several
    computations do not each scan the terms table); otherwise the condition holds the subquery.
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
                    params["qaids"] = aids(ids)
                    conds.append(f"{p}aid IN (SELECT unnest($qaids))")
                else:
                    params["qtids"] = ids
                    conds.append(f"{p}aid IN ({QUERY_AIDS_SQL.format(table='terms', n=len(ids))})")
    return (" AND ".join(conds) if conds else "TRUE"), params
