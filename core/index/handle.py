"""The read handle on a built index: :class:`Corpus`.

Analyses take a ``Corpus`` and a :class:`~core.filter.Filter`.  The handle runs queries on
its own cursors (safe from several app sessions at once), knows the corpus's grouping (for
search queries) and turns a filter into SQL through :mod:`core.index.scope`.  Building lives
in :mod:`core.index.build`, corrections in :mod:`core.index.corrections`, the cache of built
indexes in :mod:`core.index.cache`.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import pandas as pd

from core.filter import Filter
from core.index import scope
from core.index.viewcache import ViewCache


class Corpus:
    """A read-mostly handle on a built index (a DuckDB database)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str = ":memory:", resources=None):
        self.con = con
        self.path = path
        self._resources = resources
        self._grouper = None
        self._matcher = None
        self._memo: dict = {}
        self._memo_locks: dict = {}   # key -> the lock its first computation holds
        self._memo_generation = 0     # bumped when corrections clear the memos: a value computed before is not kept
        self._recent: OrderedDict = OrderedDict()
        self._lock = threading.RLock()   # re-entrant: a memo may ask another (e.g. has_table)
        self._load_lock = threading.RLock()   # the grouping and the matcher are built once, whoever asks first
        self.corrections_applied = False
        self.views = ViewCache()  # results per (view, filter); see core.index.viewcache

    @classmethod
    def open(cls, path: str | Path, read_only: bool = False, resources=None) -> "Corpus":
        con = duckdb.connect(str(path), read_only=read_only)
        return cls(con, str(path), resources)

    @classmethod
    def build(cls, sources, db_path=":memory:", **kw) -> "Corpus":
        """Build an index (see :func:`core.index.build.build_index`) and open it."""
        from core.index.build import build_index

        return build_index(sources, db_path, **kw)

    def set_grouping(self, grouper, matcher=None) -> None:
        """The grouping the build decided (saves reloading it from ``token_map``)."""
        self._grouper, self._matcher = grouper, matcher

    def memo(self, key, compute):
        """A value computed once per handle (e.g. topic keys for a lexicon version), under a lock of its own
        key: another thread asking for it waits (the stories' tables take seconds at 1M), while other keys,
        and the views a computation may wait on, go on (one lock for every memo would let a computation that
        waits on a view block the thread computing that view)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
            key_lock = self._memo_locks.setdefault(key, threading.RLock())
        with key_lock:
            with self._lock:
                if key in self._memo:
                    return self._memo[key]
                generation = self._memo_generation
            value = compute()
            with self._lock:
                self._memo_locks.pop(key, None)
                if generation != self._memo_generation:   # corrections changed the data meanwhile
                    return value
                return self._memo.setdefault(key, value)

    def has_table(self, name: str) -> bool:
        """Whether the index has the table ``name`` (older indexes lack the newer tables); asked of
        the catalogue once per handle (each ask costs 1–2 ms, and a page asks several times)."""
        return self.memo(("has_table", name), lambda: bool(self.rows(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = $n", {"n": name})[0][0]))

    def has_column(self, table: str, column: str) -> bool:
        """Whether ``table`` has ``column`` (e.g. ``articles.published`` from schema 4 on), once per handle."""
        return self.memo(("has_column", table, column), lambda: bool(self.rows(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = $t AND column_name = $c",
            {"t": table, "c": column})[0][0]))

    # -- shared helpers ---------------------------------------------------------------------
    @property
    def resources(self):
        if self._resources is None:
            from core.resources import load_resources

            self._resources = load_resources()
        return self._resources

    @property
    def grouper(self):
        """The index's grouping, built from its token map on first use (0.86 s at 1M): under a lock, since a
        page's views may ask for it from two threads at once (it was then built twice, each holding the GIL)."""
        if self._grouper is None:
            with self._load_lock:
                if self._grouper is None:
                    from core.textpipe import Grouper

                    self._grouper = Grouper.from_frame(
                        self.con.cursor().execute("SELECT norm, key FROM token_map").df(), self.resources)
        return self._grouper

    @property
    def matcher(self):
        if self._matcher is None:
            with self._load_lock:
                if self._matcher is None:
                    from core.textpipe import EntityMatcher

                    self._matcher = EntityMatcher(self.resources.gazetteer, self.grouper)
        return self._matcher

    def find_people(self, text: str) -> list[tuple[str, int, int]]:
        """Person mentions in a string: (canonical name, start, end) character offsets."""
        return [(name, s, e) for name, typ, s, e in self.matcher.find_in_text(text) if typ == "person"]

    def meta(self) -> dict[str, str]:
        try:
            return dict(self.rows("SELECT key, value FROM meta"))
        except duckdb.Error:
            return {}

    def sql(self, query: str, params=None) -> pd.DataFrame:
        """Run a read query on its own cursor (safe from several app sessions at once)."""
        return self.con.cursor().execute(query, params or {}).df()

    def rows(self, query: str, params=None) -> list[tuple]:
        return self.con.cursor().execute(query, params or {}).fetchall()

    # -- the filter -------------------------------------------------------------------------
    def query_keys(self, query: str) -> list[tuple[int, str]]:
        """The term keys a free-text query asks for (see :func:`core.index.scope.query_keys`)."""
        return scope.query_keys(query, self.grouper.key)

    def outlet_scope(self, flt: Filter | None) -> list[str] | None:
        return scope.outlet_scope(flt)

    def where(self, flt: Filter | None, alias: str = "a") -> tuple[str, dict]:
        """SQL condition over ``articles AS alias`` for a filter, with its parameters."""
        flt = flt or Filter()
        keys = self.query_keys(flt.query) if flt.query else []
        return scope.where(flt, alias, keys, self._tids, self._query_aids)

    def _query_aids(self, tids: list[int]) -> str:
        """The articles holding every one of ``tids``, as a bit string over aids (see
        :func:`core.index.scope.aid_bits`), remembered per corpus (cleared on corrections)."""
        def compute():
            aids = [r[0] for r in self.rows(scope.QUERY_AIDS_SQL.format(table=self.postings, n=len(tids)),
                                            {"qtids": list(tids)})]
            return scope.aid_bits(aids, self.aid_bound())
        return self._bounded(("query_aids", tuple(sorted(tids))), compute)

    def aid_bound(self) -> int:
        """One more than the largest article id (the length of a query's bit string), once per handle."""
        return self.memo(("aid_bound",), lambda: int(self.rows("SELECT COALESCE(MAX(aid) + 1, 0) FROM articles")[0][0]))

    @property
    def postings(self) -> str:
        """The table to find a term's articles in: ``postings`` (sorted by term id), or ``terms`` in an
        index built before it existed."""
        return "postings" if self.has_table("postings") else "terms"

    def _bounded(self, key, compute, limit: int = 64):
        """Like :meth:`memo`, for per-query values: only the ``limit`` most recently used are kept."""
        with self._lock:
            if key in self._recent:
                self._recent.move_to_end(key)
                return self._recent[key]
        value = compute()
        with self._lock:
            self._recent[key] = value
            while len(self._recent) > limit:
                self._recent.popitem(last=False)
        return value

    def _tids(self, keys: list[tuple[int, str]]) -> list[int]:
        """Term ids of ``(n, key)`` pairs (those in the vocabulary), remembered per handle."""
        def compute():
            ids = self.term_ids(keys)
            return [ids[k] for k in keys if k in ids]
        return self._bounded(("tids", tuple(keys)), compute)

    def term_ids(self, keys) -> dict[tuple[int, str], int]:
        """``{(n, key): tid}`` for the ``(n, key)`` pairs the vocabulary has: one equality per key on
        ``vocab_keys`` (sorted by key, so each reads one row group: 2 ms where a scan of the 2.1M
        ``vocab`` rows at 100k took 61 ms), or that scan in an index built before the table."""
        keys = list(dict.fromkeys((int(n), str(k)) for n, k in keys))
        if not keys:
            return {}
        if self.has_table("vocab_keys") and len(keys) <= 8:
            parts = [f"SELECT key, n, tid FROM vocab_keys WHERE key = $k{i} AND n = $n{i}" for i in range(len(keys))]
            params = {**{f"k{i}": k for i, (_n, k) in enumerate(keys)}, **{f"n{i}": n for i, (n, _k) in enumerate(keys)}}
            rows = self.rows(" UNION ALL ".join(parts), params)
        elif self.has_table("vocab_keys"):   # a long query: one pass over the keys (9 ms at 100k)
            rows = self.rows("SELECT key, n, tid FROM vocab_keys WHERE list_contains($keys, key)",
                             {"keys": sorted({k for _, k in keys})})
        else:
            rows = self.rows("SELECT key, n, tid FROM vocab v WHERE list_contains($keys, v.key)",
                             {"keys": sorted({k for _, k in keys})})
        wanted = set(keys)
        return {(int(n), key): int(tid) for key, n, tid in rows if (int(n), key) in wanted}

    # -- corrections ------------------------------------------------------------------------
    def correct(self, edits: pd.DataFrame, corrections_file: str | Path | None = None) -> int:
        """Apply analyst corrections (columns id, outlet, date; blank = unchanged) and persist them.

        Returns the number of articles changed.  The corrections file (CSV) is re-applied
        whenever the corpus is rebuilt, so a fix survives a restart.
        """
        from core.index.corrections import apply_corrections, save_corrections

        changed = apply_corrections(self.con, edits)
        if changed:
            with self._lock:
                self._memo.clear()
                self._memo_generation += 1
            self._recent.clear()
            self.views.clear()
        if corrections_file:
            save_corrections(corrections_file, edits)
        return len(changed)
