"""What duplicate detection remembers, in a few dozen bytes an article.

Admission (:class:`core.ingest.pipeline.Assembler`) must know every URL, every (outlet, text) key and
every id it has kept, and, to name it in a report row, the kept article's id, file and row.  Held
as Python dicts of strings and small objects that took about 600 bytes an article: 600 MB of a
million-article build's main process, which it kept until the end, and 6 GB at ten million.  Here:

* :class:`KeptArticles` holds each kept article's id (UTF-8 bytes in one growing buffer), its file (an
  index into the few distinct file names) and its row, in flat arrays: ~60 bytes for a 40-byte id.
* :class:`Fingerprints` maps a key (a URL, an (outlet, text key) pair, an id) to the number of the kept
  article, by the key's 128-bit fingerprint (:func:`digest`): the latest keys in a dict, inserted every
  :data:`Fingerprints.FLUSH` keys into sorted numpy arrays (24 bytes a key).  Two distinct keys sharing
  a 128-bit fingerprint is a chance of about 10⁻²⁴ at ten million keys.

Both answer exactly what the dicts answered (tested against them).
"""
from __future__ import annotations

import functools
from hashlib import blake2b
from array import array

import numpy as np

_MASK = (1 << 64) - 1
_NO_ROW = -(1 << 63)   # a kept article without a row (a .txt file)


def digest(key) -> int:
    """A key's 128-bit fingerprint: a string, bytes, or a tuple of them (the (outlet, text key) pair).

    A string's is two of Python's string hashes (SipHash, keyed per process: a fingerprint means something
    only in the process that made it, where a :class:`Fingerprints` lives); an (outlet, text key) pair's, the
    text key's two hashes mixed with the outlet's BLAKE2b digest; anything else's, BLAKE2b.

    >>> digest("https://example.com/a") == digest("https://example.com/a"), digest(("a", b"b")) == digest(("ab", b""))
    (True, False)
    >>> digest("a") == digest(b"a"), digest(("a", bytes(16))) == digest(("b", bytes(16)))
    (False, False)
    >>> digest(("a", b"")) == digest(("a", b"\\0"))
    False
    """
    if isinstance(key, str):
        return ((hash(key) & _MASK) << 64) | (hash(key + "\0") & _MASK)
    if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], str) and isinstance(key[1], bytes):
        b = key[1]
        return (((hash(b) & _MASK) << 64) | (hash(b + b"\0") & _MASK)) ^ _salt(key[0])
    h = blake2b(digest_size=16, person=b"t" if isinstance(key, tuple) else b"b")
    for part in (key if isinstance(key, tuple) else (key,)):
        text = isinstance(part, str)
        b = part.encode("utf-8", "surrogatepass") if text else bytes(part)
        # each part's kind and length: "a" is not b"a", nor ("a", "bc") ("ab", "c")
        h.update((b"s" if text else b"b") + len(b).to_bytes(8, "little"))
        h.update(b)
    return int.from_bytes(h.digest(), "little")


@functools.lru_cache(maxsize=4096)
def _salt(outlet: str) -> int:
    """An outlet's 128-bit value, mixed into its text keys (an (outlet, text) pair is the key)."""
    return int.from_bytes(blake2b(outlet.encode("utf-8", "surrogatepass"), digest_size=16, person=b"o").digest(),
                          "little")


class Fingerprints:
    """A map of keys (by :func:`digest`) to small non-negative integers, first value kept.

    >>> f = Fingerprints(); f.setdefault("x", 3), f.setdefault("x", 4), f.get("x"), f.get("y"), "x" in f, len(f)
    (3, 3, 3, None, True, 1)
    """

    FLUSH = 1 << 13   # keys in the dict (~105 bytes each) before a merge (a copy of the arrays)

    #: A bitmap of the digests' top bits that the arrays hold (4 MB): a key whose bit is clear is not there,
    #: without a search of the arrays (most look-ups: a new article's keys are new).  3 % of absent keys
    #: still search at a million keys, 26 % at ten million.
    BITS = 25

    def __init__(self):
        self._recent: dict[int, int] = {}
        self._seen = bytearray(1 << (self.BITS - 3))
        self._hi = np.empty(0, np.uint64)   # the digests' high halves, sorted; the low halves and values beside
        self._lo = np.empty(0, np.uint64)
        self._val = np.empty(0, np.int64)

    def __len__(self) -> int:
        return len(self._recent) + len(self._hi)

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def get(self, key) -> int | None:
        return self.find(key)[1]

    def find(self, key) -> tuple[int, int | None]:
        """``(digest, value)`` of a key (value None when absent): the digest is then given to :meth:`add`."""
        d = digest(key)
        v = self._recent.get(d)
        return d, (self._search(d) if v is None and len(self._hi) else v)

    def add(self, d: int, value: int) -> None:
        """Give the key of digest ``d`` (from :meth:`find`, found absent) its value."""
        self._recent[d] = int(value)
        if len(self._recent) >= self.FLUSH:
            self._merge()

    def setdefault(self, key, value: int) -> int:
        """The value of ``key``, after giving it ``value`` if it had none."""
        d, got = self.find(key)
        if got is not None:
            return got
        self.add(d, value)
        return int(value)

    def _search(self, d: int) -> int | None:
        """The value of digest ``d`` in the sorted arrays."""
        top = d >> (128 - self.BITS)
        if not self._seen[top >> 3] & (1 << (top & 7)):
            return None
        hi, lo = np.uint64(d >> 64), np.uint64(d & _MASK)
        i = int(self._hi.searchsorted(hi))
        while i < len(self._hi) and self._hi[i] == hi:
            if self._lo[i] == lo:
                return int(self._val[i])
            i += 1
        return None

    def _merge(self) -> None:
        """The latest keys into the sorted arrays: sorted among themselves, then inserted where they go (a copy
        of the arrays, not a sort of them).  The arrays are sorted by the digest's high half; two keys sharing
        it (a chance of about 3·10⁻⁶ at ten million) sit side by side, and :meth:`_search` reads each of them."""
        n = len(self._recent)
        keys = list(self._recent)
        hi = np.fromiter((k >> 64 for k in keys), dtype=np.uint64, count=n)
        lo = np.fromiter((k & _MASK for k in keys), dtype=np.uint64, count=n)
        val = np.fromiter(self._recent.values(), dtype=np.int64, count=n)
        order = np.argsort(hi, kind="stable")
        hi, lo, val = hi[order], lo[order], val[order]
        top = hi >> np.uint64(64 - self.BITS)
        np.bitwise_or.at(np.frombuffer(self._seen, dtype=np.uint8), (top >> np.uint64(3)).astype(np.intp),
                         (np.uint8(1) << (top & np.uint64(7)).astype(np.uint8)))
        at = self._hi.searchsorted(hi)
        self._hi, self._lo, self._val = np.insert(self._hi, at, hi), np.insert(self._lo, at, lo), np.insert(self._val, at, val)
        self._recent = {}


class KeptArticles:
    """The kept articles' (id, file, row), numbered from 0 in the order they are added.

    >>> k = KeptArticles(); k.add("a-1", "x.csv", 2), k.add("ب", "y.txt", None), k.get(0), k.get(1)
    (0, 1, ('a-1', 'x.csv', 2), ('ب', 'y.txt', None))
    """

    def __init__(self):
        self._ids = bytearray()
        self._ends = array("q")
        self._files: list[str] = []
        self._file_no: dict[str, int] = {}
        self._file = array("i")
        self._rows = array("q")

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, id: str, source_file: str, source_row: int | None) -> int:
        self._ids += id.encode("utf-8", "surrogatepass")
        self._ends.append(len(self._ids))
        no = self._file_no.get(source_file)
        if no is None:
            no = self._file_no[source_file] = len(self._files)
            self._files.append(source_file)
        self._file.append(no)
        self._rows.append(_NO_ROW if source_row is None else int(source_row))
        return len(self._ends) - 1

    def get(self, i: int) -> tuple[str, str, int | None]:
        start = self._ends[i - 1] if i else 0
        row = self._rows[i]
        return (self._ids[start:self._ends[i]].decode("utf-8", "surrogatepass"), self._files[self._file[i]],
                None if row == _NO_ROW else row)
