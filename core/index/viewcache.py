"""Results remembered per (corpus, view, filter): a filter the analyst comes back to costs nothing.

Streamlit reruns the whole page script on every widget change, so a page recomputes every view
of the filter when only a radio button moved; analysts also flip back and forth between a few
filters. :func:`view` wraps an analysis function ``f(corpus, *args, **kwargs)`` so its result is
kept on the :class:`~core.index.handle.Corpus` handle, keyed by the function and its arguments
(the :class:`~core.filter.Filter` among them).

- Bounded: at most ``MAX_ENTRIES`` results and ``MAX_BYTES`` of frames per handle, least recently
  used first out, so memory does not grow with the number of filters tried.
- Safe to mutate: every hit returns a copy, so a page that adds a column to what it got does not
  change what the next caller gets.
- Cleared whenever the handle's data changes (corrections; see ``Corpus.correct``); an append or a
  rebuild opens a new handle.
- Arguments that cannot be frozen into a key (an open file, a callable) skip the cache.
- Computed once at a time: a caller asking for a result another thread is computing waits for it
  instead of computing it again (two sessions on one filter, or a page and its :func:`warm`).

:func:`warm` starts a page's views that no widget of the page decides on a small shared pool of
threads, while the page's own thread goes on with the rest: DuckDB works without the GIL, so one view's
query runs beside another's pandas (the Compare page under a word query at 100k: ~178 -> ~144 ms).
"""
from __future__ import annotations

import copy
import dataclasses
import functools
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

MAX_ENTRIES = 512
MAX_BYTES = 512 * 1024 * 1024


class Unkeyable(TypeError):
    pass


def freeze(value):
    """A hashable stand-in for an argument: lists become tuples, dicts sorted item tuples, plain
    dataclasses their field tuples; anything else must already be hashable."""
    if isinstance(value, (list, tuple)):
        return (type(value).__name__,) + tuple(freeze(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return ("set",) + tuple(sorted((freeze(v) for v in value), key=repr))
    if isinstance(value, dict):
        return ("dict",) + tuple(sorted(((freeze(k), freeze(v)) for k, v in value.items()), key=repr))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        params = getattr(type(value), "__dataclass_params__", None)
        if params is not None and params.frozen:
            try:
                hash(value)
                return value
            except TypeError:
                pass
        return (type(value).__qualname__,) + tuple(freeze(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, (pd.DataFrame, pd.Series)) or callable(value):
        raise Unkeyable(type(value).__name__)
    try:
        hash(value)
    except TypeError as e:
        raise Unkeyable(type(value).__name__) from e
    return value


def _size(value) -> int:
    if isinstance(value, pd.DataFrame):
        return int(value.memory_usage(index=True, deep=False).sum()) + 1024
    if isinstance(value, (tuple, list)):
        return sum(_size(v) for v in value) + 64
    if isinstance(value, pd.Series):
        return int(value.memory_usage(index=True, deep=False)) + 256
    return sys.getsizeof(value)


def _copy(value):
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    if isinstance(value, (list, dict, set)):
        return copy.deepcopy(value)
    return value  # scalars, strings, figures are rebuilt by callers, never mutated in place by core


class ViewCache:
    """The bounded LRU a handle keeps its view results in."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self._running: dict = {}   # key -> Event set when the thread computing it is done
        self._generation = 0       # bumped by clear(): a result computed before it is not kept
        self.hits = self.misses = 0

    def get(self, key, compute):
        while True:
            with self._lock:
                if key in self._items:
                    self._items.move_to_end(key)
                    self.hits += 1
                    return _copy(self._items[key][0])
                done = self._running.get(key)
                if done is None:
                    self.misses += 1
                    done = self._running[key] = threading.Event()
                    generation = self._generation
                    break
            # another thread computes it: wait, then take its result (or, if it failed or the cache was
            # cleared meanwhile, compute it here)
            done.wait()
        try:
            value = compute()
            size = _size(value)
            with self._lock:
                if size <= self.max_bytes // 4 and generation == self._generation:  # one huge result must not evict everything else
                    if key in self._items:
                        self._bytes -= self._items.pop(key)[1]
                    self._items[key] = (value, size)
                    self._bytes += size
                    while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                        self._bytes -= self._items.popitem(last=False)[1][1]
        finally:
            with self._lock:
                if self._running.get(key) is done:
                    del self._running[key]
            done.set()
        return _copy(value)

    def has(self, key) -> bool:
        """Whether ``key``'s result is kept or being computed (asking for it then costs no new work)."""
        with self._lock:
            return key in self._items or key in self._running

    def busy(self) -> int:
        """How many results are being computed now."""
        with self._lock:
            return len(self._running)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self._generation += 1

    def __len__(self) -> int:
        return len(self._items)


def view(fn):
    """Remember ``fn(corpus, ...)``'s result on the corpus handle, per argument values."""
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(corpus, *args, **kwargs):
        cache = getattr(corpus, "views", None)
        if cache is None:
            return fn(corpus, *args, **kwargs)
        try:
            key = (name, freeze(args), freeze(kwargs))
            hash(key)
        except (Unkeyable, TypeError):
            return fn(corpus, *args, **kwargs)
        return cache.get(key, lambda: fn(corpus, *args, **kwargs))

    def is_cached(corpus, *args, **kwargs) -> bool:
        """Whether ``fn(corpus, ...)``'s result is remembered or being computed (another view can then start
        from it)."""
        cache = getattr(corpus, "views", None)
        try:
            return cache is not None and cache.has((name, freeze(args), freeze(kwargs)))
        except (Unkeyable, TypeError):
            return False

    wrapper.uncached = fn
    wrapper.is_cached = is_cached
    return wrapper


#: The threads :func:`warm` runs views on, shared by every session of the process: bounded, so ten
#: sessions' pages queue here instead of multiplying the threads that compete for the cores.
WARM_THREADS = 3
_POOL: ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def warm(*calls) -> None:
    """Start ``calls`` (argument-free calls of :func:`view` functions) on the shared pool and return at once.

    Nothing is returned: the page later makes the same calls itself and gets each result from the
    cache, waits for it while it is being computed, or computes it if its turn has not come (so a busy
    pool never holds a page back). An error is left for the page's own call to raise."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = ThreadPoolExecutor(WARM_THREADS, thread_name_prefix="marsad-warm")
        pool = _POOL
    for call in calls:
        pool.submit(_quietly, call)


def _quietly(call) -> None:
    try:
        call()
    except Exception:   # noqa: BLE001 - the page's own call raises it where it is shown
        pass
