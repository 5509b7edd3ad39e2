"""Shared passages, extracted at ingestion: text two articles share word for word (wire copy,
press releases).  The queries on the stored pairs are in :mod:`core.analysis.reuse`.

Method
------
1. Every article becomes its sequence of words, :func:`core.arabic.words`
   (``tokenize(normalize(text))``); all words count, stop words included.  ``normalize`` only
   deletes characters (diacritics, tatweel, invisibles) and maps the others one to
   one, so each word is traced back to its character span in the original text.
2. Each run of ``k`` consecutive words (a *shingle*) is hashed to 64 bits.
3. Candidate pairs come from an **inverted index of shingle hashes**: every shingle
   shared by two articles adds one to that pair's ``shared`` count.  Shingles found
   in more than ``max_df`` articles are boilerplate (outlet footers, disclaimers,
   formulaic lines) and are ignored.  Unlike MinHash-LSH, which estimates the
   Jaccard similarity of *whole* articles and so misses a 40-word lead shared by two
   800-word articles (Jaccard ≈ 0.02), the index is exact for containment: every
   pair with a single shared shingle is seen.  It is also fast: one sort of all
   shingle hashes (about 8 M on the 31 k-article ANT corpus) in numpy.
4. A pair is kept when it shares at least ``min_shared`` shingles (that is at least
   ``k + min_shared - 1`` words when they are consecutive: one coincidental 7-word
   phrase is not reuse) **and** either its larger containment reaches
   ``threshold`` or it shares a passage of at least ``min_words`` consecutive words
   (default 12).  The second condition finds a shared lead inside two long
   articles; the first keeps short items (briefs, captions) that were copied
   whole.  On the ANT corpus, shared runs of 7–10 words between outlets are mostly
   formulae ("وقال مدير المرصد رامي عبد الرحمن لوكالة فرانس برس"), while runs of
   12 words and more are copied wire sentences.  ``containment_a`` is the share of
   a's distinct shingles also in b (boilerplate shingles count in the denominator).
5. Aligned passages: the positions where a and b have the same shingle form
   diagonals (i in a, j in b, i−j constant); maximal runs of consecutive positions
   on a diagonal are the shared passages, mapped back to character offsets in each
   article's own text, so ``text_a == text[start_a:end_a]`` with the original
   spelling, punctuation and diacritics.
"""
from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pandas as pd

from core import arabic

REUSE_PAIR_COLUMNS = [
    "a", "b", "outlet_a", "outlet_b", "date_a", "date_b", "shared", "containment_a", "containment_b",
    "containment", "passages", "longest", "direction", "source_outlet", "target_outlet",
]
PASSAGE_COLUMNS = ["a", "b", "passage_id", "text_a", "text_b", "start_a", "end_a", "start_b", "end_b", "words"]


_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_MULT = np.array(  # odd 64-bit constants, one per position in the shingle (fixed: results are reproducible)
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93,
     0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9,
     0x2545F4914F6CDD1D, 0x9FB21C651E98DF25, 0x5851F42D4C957F2D, 0x14057B7EF767814F,
     0xA0761D6478BD642F, 0xE7037ED1A0B428DB, 0x8EBC6AF09C88C6E3, 0x589965CC75374CC3],
    dtype=np.uint64,
)


# -- shingles ---------------------------------------------------------------------------------

def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (uint64 arithmetic wraps)."""
    with np.errstate(over="ignore"):
        x = x + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def _shingle_hashes(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit hash of every window of ``k`` word ids (empty when fewer than ``k`` words)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.empty(0, dtype=np.uint64)
    m = _mix(ids.view(np.uint64))
    h = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h += m[j:j + n] * _MULT[j % len(_MULT)] + np.uint64(j)
    return _mix(h)


class _WordIds(dict):
    """word → id, filled on first look-up (a per-process cache of the vocabulary, bounded)."""

    def __missing__(self, w: str) -> int:
        i = int.from_bytes(hashlib.blake2b(w.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
        if len(self) > 4_000_000:
            self.clear()
        self[w] = i
        return i


_WORD_IDS = _WordIds()


def _word_ids(ws: list[str]) -> np.ndarray:
    """One 64-bit id per word: a hash of its UTF-8 bytes, the same in every process and every
    run (so shingles computed by different workers, or when articles are appended, match),
    cached per distinct word (looked up in C: no Python call per word)."""
    return np.fromiter(map(_WORD_IDS.__getitem__, ws), dtype=np.int64, count=len(ws))


def article_shingles(text: str, k: int = 7, words: list[str] | None = None) -> np.ndarray:
    """The distinct shingle hashes of one article (sorted, uint64); ``words``, when given, are
    the article's words already found (``arabic.words(text)``, e.g. :func:`core.arabic.word_spans`')."""
    return np.unique(_shingle_hashes(_word_ids(arabic.words(text) if words is None else words), k))


def batch_shingles(word_lists: list[list[str]], k: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`article_shingles` of several articles' words at once (numpy calls per batch, not per
    article): ``(counts, article, hashes)``, each article's distinct hashes sorted, the articles in
    order, ``article[i]`` the index of the article of ``hashes[i]`` and ``counts`` their number per
    article.  A window's hash depends only on its words, so the windows are hashed along the
    articles laid end to end and those that cross from one article into the next are dropped.

    >>> ws = [["a", "b", "c"], ["b", "c", "a"], []]
    >>> c, a, h = batch_shingles(ws, k=2)
    >>> c.tolist(), a.tolist()
    ([2, 2, 0], [0, 0, 1, 1])
    >>> all((h[a == i] == article_shingles("", 2, w)).all() for i, w in enumerate(ws))
    True
    """
    n_art = len(word_lists)
    lens = np.fromiter(map(len, word_lists), dtype=np.int64, count=n_art)
    wins = np.maximum(lens - k + 1, 0)                  # windows inside each article
    if not wins.sum():
        return np.zeros(n_art, dtype=np.int64), np.empty(0, np.int64), np.empty(0, np.uint64)
    h = _shingle_hashes(_word_ids(list(itertools.chain.from_iterable(word_lists))), k)
    first_word = np.cumsum(lens) - lens
    first_win = np.cumsum(wins) - wins
    art = np.repeat(np.arange(n_art, dtype=np.int64), wins)
    h = h[np.repeat(first_word - first_win, wins) + np.arange(len(art))]
    order = np.lexsort((h, art))                         # by article, then hash (as uint64)
    h, art = h[order], art[order]
    keep = np.r_[True, (h[1:] != h[:-1]) | (art[1:] != art[:-1])]
    h, art = h[keep], art[keep]
    return np.bincount(art, minlength=n_art), art, h


# -- candidate pairs --------------------------------------------------------------------------

def _pair_counts(hashes: list[np.ndarray], group: np.ndarray, max_df: int, same_group: bool):
    """Count shared distinct shingles for every article pair, via a sorted inverted index.

    Returns (keys a*N+b with a<b, counts, frequent hashes (df > max_df)).
    """
    n_docs = len(hashes)
    lens = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=n_docs)
    if lens.sum() == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.uint64)
    all_h = np.concatenate(hashes)
    all_d = np.repeat(np.arange(n_docs, dtype=np.int32), lens)
    order = np.argsort(all_h, kind="stable")
    all_h, all_d = all_h[order], all_d[order]
    del order
    starts = np.flatnonzero(np.r_[True, all_h[1:] != all_h[:-1]])
    sizes = np.diff(np.r_[starts, len(all_h)])
    frequent = all_h[starts[sizes > max_df]]
    keys = []
    for g in np.unique(sizes[(sizes >= 2) & (sizes <= max_df)]):
        first = starts[sizes == g]
        docs = all_d[first[:, None] + np.arange(g)]          # (groups, g): articles holding the shingle
        iu, ju = np.triu_indices(int(g), 1)
        da, db = docs[:, iu].ravel().astype(np.int64), docs[:, ju].ravel().astype(np.int64)
        if not same_group:
            ok = group[da] != group[db]
            da, db = da[ok], db[ok]
        keys.append(np.minimum(da, db) * n_docs + np.maximum(da, db))
    if not keys:
        return np.empty(0, np.int64), np.empty(0, np.int64), frequent
    key, count = np.unique(np.concatenate(keys), return_counts=True)
    return key, count, frequent


# -- aligned passages -------------------------------------------------------------------------

def in_sorted(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin(values, sorted_set)`` for a sorted ``sorted_set``, by binary search.

    ``np.isin`` sorts both arrays on every call: against the frequent shingles of a million
    articles (millions of hashes) that cost about a second per aligned pair, where a binary
    search of a few hundred values costs a fraction of a millisecond.

    >>> in_sorted(np.array([3, 5, 9], np.uint64), np.array([1, 5, 9], np.uint64)).tolist()
    [False, True, True]
    """
    if not len(sorted_set) or not len(values):
        return np.zeros(len(values), bool)
    i = np.searchsorted(sorted_set, values)
    i[i == len(sorted_set)] = 0
    return sorted_set[i] == values


def _runs(ha: np.ndarray, hb: np.ndarray, frequent: np.ndarray):
    """Maximal diagonal runs of equal shingles: list of (i0, i1, j0, j1) shingle positions, inclusive."""
    common = np.intersect1d(ha, hb)
    if len(common) == 0:
        return []
    ia = np.flatnonzero(np.isin(ha, common))
    jb = np.flatnonzero(np.isin(hb, common))
    ob = np.argsort(hb[jb], kind="stable")
    jb, hbs = jb[ob], hb[jb][ob]
    lo = np.searchsorted(hbs, ha[ia], "left")
    hi = np.searchsorted(hbs, ha[ia], "right")
    reps = hi - lo
    i_pos = np.repeat(ia, reps)
    j_pos = jb[np.concatenate([np.arange(a, b) for a, b in zip(lo, hi)])] if len(ia) else np.empty(0, np.int64)
    diag = i_pos - j_pos
    o = np.lexsort((i_pos, diag))
    i_pos, j_pos, diag = i_pos[o], j_pos[o], diag[o]
    brk = np.flatnonzero((np.diff(diag) != 0) | (np.diff(i_pos) != 1)) + 1
    starts = np.r_[0, brk]
    ends = np.r_[brk, len(i_pos)] - 1
    is_freq = in_sorted(ha, frequent)
    out = []
    for s, e in zip(starts, ends):
        i0, i1 = int(i_pos[s]), int(i_pos[e])
        if is_freq[i0:i1 + 1].all():
            continue  # boilerplate only
        out.append((i0, i1, int(j_pos[s]), int(j_pos[e])))
    out.sort()
    return out


# -- public API -------------------------------------------------------------------------------

def _direction(da, db) -> str:
    ta, tb = pd.Timestamp(da) if da is not None else pd.NaT, pd.Timestamp(db) if db is not None else pd.NaT
    if pd.isna(ta) or pd.isna(tb) or ta == tb:
        return ""
    return "a→b" if ta < tb else "b→a"


def text_shingles(text: str, k: int = 7) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every shingle hash of a text in word order, with the words' start and end offsets."""
    ws, st, en = arabic.word_spans(text)
    return _shingle_hashes(_word_ids(ws), k), st, en


def align_pair(a: tuple, b: tuple, shared: int, cont_a: float, cont_b: float, cmax: float,
               frequent: np.ndarray, k: int = 7, threshold: float = 0.2, min_words: int = 12):
    """Align one candidate pair; ``a``/``b`` are ``(aid, outlet, date, text, text_shingles(text))``
    with a's aid the smaller.  Returns ``(pair row, passage rows)`` (passage rows without their
    ``passage_id``: ``(a, b, text_a, text_b, start_a, end_a, start_b, end_b, words)``), or None
    when the pair does not qualify (see the module docstring)."""
    aid_x, out_x, date_x, tx, (hx, sx, ex) = a
    aid_y, out_y, date_y, ty, (hy, sy, ey) = b
    runs = _runs(hx, hy, frequent)
    longest = max((i1 - i0 + k for i0, i1, _, _ in runs), default=0)
    if (cmax < threshold and longest < min_words) or not runs:
        return None
    d = _direction(date_x, date_y)
    src = {"a→b": out_x, "b→a": out_y}.get(d, "")
    tgt = {"a→b": out_y, "b→a": out_x}.get(d, "")
    pair = (aid_x, aid_y, out_x, out_y, date_x, date_y, shared, cont_a, cont_b, cmax, len(runs), longest, d, src, tgt)
    rows = []
    for i0, i1, j0, j1 in runs:
        a0, a1 = int(sx[i0]), int(ex[i1 + k - 1])
        b0, b1 = int(sy[j0]), int(ey[j1 + k - 1])
        rows.append((aid_x, aid_y, tx[a0:a1], ty[b0:b1], a0, a1, b0, b1, i1 - i0 + k))
    return pair, rows


def find_reuse(
    articles: pd.DataFrame,
    k: int = 7,
    threshold: float = 0.2,
    min_shared: int = 3,
    same_outlet: bool = False,
    num_perm: int = 128,
    max_df: int = 50,
    min_words: int = 12,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Find article pairs that share passages word for word, and the passages themselves.

    ``articles``: ``[aid, outlet, date, text]`` (date may be None/NaT; timestamps
    work too and give a finer direction).  Returns
    ``(pairs, passages)``:

    * pairs ``[a, b, outlet_a, outlet_b, date_a, date_b, shared, containment_a,
      containment_b, containment, passages, longest, direction, source_outlet,
      target_outlet]``, one row per article pair (a < b by aid), ranked by
      ``containment`` = max(containment_a, containment_b).  ``direction`` is
      "a→b" when a is dated earlier, "b→a" when later, "" when the dates are equal
      or unknown; ``source_outlet``/``target_outlet`` follow it ("" without one).
      ``longest`` is the longest passage in words.
    * passages ``[a, b, passage_id, text_a, text_b, start_a, end_a, start_b, end_b,
      words]``: every maximal shared run (at least ``k`` words; runs made only of
      boilerplate shingles are left out) of every kept pair, as written in each
      article (``text_a == text[start_a:end_a]`` of article a); ``passage_id`` is
      unique over the result.  A passage written twice in b appears twice.

    Only pairs of different outlets unless ``same_outlet``.  Selection rule: see the
    module docstring (``min_shared`` and (``threshold`` or ``min_words``)).
    ``num_perm`` is accepted for compatibility and unused: the index is exact, no
    MinHash is computed.

    Example: قاسيون and سيريانيوز (2017-04-12, both) share «مجموعة عمل مشتركة
    خاصة بتسوية الخلافات بين البلدين، بما في ذلك، الخلافات حول الأزمة السورية»,
    direction "".
    """
    del num_perm
    arts = articles.reset_index(drop=True)
    n = len(arts)
    if n < 2:
        return pd.DataFrame(columns=REUSE_PAIR_COLUMNS), pd.DataFrame(columns=PASSAGE_COLUMNS)
    texts = arts["text"].fillna("").astype(str).tolist()
    outlets = arts["outlet"].fillna("").astype(str).to_numpy()
    group = pd.factorize(outlets)[0]
    hashes = [article_shingles(t, k) for t in texts]
    n_sh = np.fromiter((len(h) for h in hashes), dtype=np.float64, count=n)

    key, shared, frequent = _pair_counts(hashes, group, max_df, same_outlet)
    ia, ib = key // n, key % n
    cont_a = shared / np.maximum(n_sh[ia], 1)
    cont_b = shared / np.maximum(n_sh[ib], 1)
    cmax = np.maximum(cont_a, cont_b)
    # At least min_shared shingles; then either containment or a long enough run is checked below.
    cand = shared >= min_shared
    ia, ib, shared, cont_a, cont_b, cmax = ia[cand], ib[cand], shared[cand], cont_a[cand], cont_b[cand], cmax[cand]
    # A run of min_words words needs min_words-k+1 shingles: pairs sharing fewer cannot qualify by length.
    need_len = min_words - k + 1
    cand = (cmax >= threshold) | (shared >= need_len)
    ia, ib, shared, cont_a, cont_b, cmax = ia[cand], ib[cand], shared[cand], cont_a[cand], cont_b[cand], cmax[cand]

    spans: dict[int, tuple] = {}

    def spans_of(i: int):
        if i not in spans:
            spans[i] = text_shingles(texts[i], k)
        return spans[i]

    aids = arts["aid"].to_numpy()
    dates = arts["date"].tolist() if "date" in arts else [None] * n
    pair_rows, passage_rows = [], []
    for x, y, s, ca, cb, cm in zip(ia.tolist(), ib.tolist(), shared.tolist(), cont_a, cont_b, cmax):
        # a is the smaller aid
        if aids[x] > aids[y]:
            x, y, ca, cb = y, x, cb, ca
        got = align_pair((aids[x], outlets[x], dates[x], texts[x], spans_of(x)),
                         (aids[y], outlets[y], dates[y], texts[y], spans_of(y)),
                         s, ca, cb, cm, frequent, k, threshold, min_words)
        if got is None:
            continue
        pair, passages_xy = got
        pair_rows.append(pair)
        for row in passages_xy:
            passage_rows.append(row[:2] + (len(passage_rows),) + row[2:])
    pairs = pd.DataFrame(pair_rows, columns=REUSE_PAIR_COLUMNS)
    passages = pd.DataFrame(passage_rows, columns=PASSAGE_COLUMNS)
    if not pairs.empty:
        pairs = pairs.sort_values(["containment", "shared", "a", "b"], ascending=[False, False, True, True])
        pairs = pairs.reset_index(drop=True)
    return pairs, passages
