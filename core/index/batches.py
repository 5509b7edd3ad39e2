"""The build's batch functions: plain functions on one batch of articles, run by a local
process pool (:mod:`core.index.build`) or by Spark (:mod:`core.index.spark`).

The stages, in order (each stage's corpus-wide state is small and explicit):

=========  ====================================================  =============================
stage      batch function                                        corpus-wide state
=========  ====================================================  =============================
read       ``core.ingest.readers.iter_records`` (streamed)       sidecars
prepare    :func:`prepare_batch` (clean, headline, outlet, date)  —
admit      ``Assembler.admit`` (duplicates, unique ids)          url / text-hash / id sets
stats      :func:`vocab_counts` (normalised-token counts),          the vocabulary (a Counter),
           ``learned.article_keys`` (furniture candidates)         per-outlet lossy key counts
decide     ``Grouper.build(vocabulary)``,                         the grouping, the furniture
           ``FurnitureStats.decide`` (learned furniture)          patterns (broadcast)
number     articles in (date, outlet, id) order → ``aid``         —
count      :func:`count_batch` (terms, mentions, variants,       —
           labels, forms, quotes, shingles)
finalize   :mod:`core.index.finalize` (DuckDB SQL over parts)     —
=========  ====================================================  =============================

Every output of :func:`count_batch` is a DataFrame whose columns are listed in
:data:`PART_COLUMNS`; the local engine writes each as a Parquet part, Spark writes the same
tables, and :func:`core.index.finalize.finalize` turns the parts into the index.
"""
from __future__ import annotations

from collections import Counter
from typing import Iterable

import numpy as np
import pandas as pd

from core.arabic import _TOKEN_RE, clean_surface, normalize_letters
from core.ingest.outlets import OutletTable
from core.ingest.pipeline import Prepared, prepare
from core.ingest.readers import RawRecord
from core.model import UNKNOWN, Problem

#: The columns of the staged article table (before numbering).
ARTICLE_COLUMNS = ["seq", "id", "outlet", "outlet_en", "date", "title", "url", "category", "outlet_source",
                   "date_source", "source_file", "source_row", "text", "text_original", "removed", "text_key",
                   "published"]

#: The parts :func:`count_batch` returns, with their columns.
PART_COLUMNS: dict[str, list[str]] = {
    "words": ["aid", "words", "shingles"],
    "terms": ["aid", "n", "key", "cnt", "ord"],
    "mentions": ["aid", "entity", "cnt"],
    "variants": ["aid", "grp", "variant", "cnt"],
    "labels": ["key", "surface", "cnt"],     # every counted term, as written (clean form)
    "forms": ["key", "surface", "cnt"],      # unigrams, the whole word as written (clitics included)
    "quotes": ["aid", "quote_id", "speaker", "text", "cue", "how", "start_", "end_", "speaker_title"],
    "shingles": ["aid", "h"],
    "cleaned": ["aid", "text", "removed"],   # articles whose learned furniture was cut: the new text
    # names the gazetteer lacks (core.names): per article, one example per name per batch
    "candidates": ["aid", "name", "type", "surface", "cnt", "example"],
}

REUSE_K = 7   # words per shingle (core.extract.passages.find_reuse's k)


# -- prepare + stats ----------------------------------------------------------------------------

def vocab_counts(texts: Iterable[str], counts: Counter | None = None) -> Counter:
    """Normalised-token counts of texts (the statistics that decide the grouping).

    The tokens are the counting pass's own: ``_TOKEN_RE`` over ``normalize_letters(clean_surface(text))``.

    >>> vocab_counts(["وقال لافروف: لافروف"])["لافروف"]
    2
    """
    counts = Counter() if counts is None else counts
    findall = _TOKEN_RE.findall
    for text in texts:
        counts.update(findall(normalize_letters(clean_surface(text or ""))))
    return counts


def prepare_batch(items: list[tuple[RawRecord, dict]], outlets: OutletTable
                  ) -> tuple[list[Prepared | None], list[list[Problem]], Counter]:
    """Prepare a batch of ``(record, stated values)``: one Prepared (or None) and its problems per
    record, and the vocabulary counts of the prepared texts."""
    prepared, problems = [], []
    vocab: Counter = Counter()
    for raw, stated in items:
        p, found = prepare(raw, stated, outlets)
        prepared.append(p)
        problems.append(found)
        if p is not None:
            vocab_counts([p.article.text], vocab)
    return prepared, problems, vocab


def articles_frame(prepared: list[Prepared], first_seq: int) -> pd.DataFrame:
    """Admitted articles as a staged table (:data:`ARTICLE_COLUMNS`)."""
    arts = [p.article for p in prepared]
    return pd.DataFrame({
        "seq": pd.array(range(first_seq, first_seq + len(arts)), dtype="int64"),
        "id": [a.id for a in arts],
        "outlet": [a.outlet or UNKNOWN for a in arts],
        "outlet_en": [a.outlet_en or "" for a in arts],
        "date": pd.Series([a.date for a in arts], dtype="object"),
        "title": [a.title or "" for a in arts],
        "url": [a.url or "" for a in arts],
        "category": [a.category or "" for a in arts],
        "outlet_source": [a.outlet_source for a in arts],
        "date_source": [a.date_source for a in arts],
        "source_file": [a.source_file for a in arts],
        "source_row": pd.array([a.source_row for a in arts], dtype="Int64"),
        "text": [a.text for a in arts],
        "text_original": [a.text_original for a in arts],
        "removed": ["\n".join(a.removed) for a in arts],
        "text_key": [p.text_key for p in prepared],
        "published": pd.Series([a.published for a in arts], dtype="datetime64[us]"),
    }, columns=ARTICLE_COLUMNS)


# -- count ----------------------------------------------------------------------------------------

def _candidate_finder(grouper):
    """The name-candidate collector of a batch (None when the resources have no name patterns)."""
    from core.names import CandidateFinder

    patterns = getattr(getattr(grouper, "resources", None), "name_patterns", None)
    return CandidateFinder(patterns, grouper) if patterns is not None and patterns.titles else None


def _terms_frame(aids: np.ndarray, lens: list[list[int]], keys: list[str], counts: list[int]) -> pd.DataFrame:
    """The terms part from the articles' n-gram counts, laid end to end: article by article,
    unigrams then bigrams then trigrams (``lens`` holds each article's three lengths)."""
    from core.textpipe import str_series

    per = np.array(lens, dtype=np.int64).reshape(-1, 3)
    total = per.sum(axis=1)
    n = np.repeat(np.tile(np.array([1, 2, 3], dtype=np.int8), len(per)), per.ravel())
    starts = np.repeat(np.cumsum(total) - total, total)
    return pd.DataFrame({"aid": np.repeat(aids, total).astype("int32"), "n": n,
                         "key": str_series(keys), "cnt": np.array(counts, dtype="int32"),
                         "ord": (np.arange(len(keys), dtype=np.int64) - starts).astype("int32")})


def count_batch(arts: pd.DataFrame, grouper, matcher, quotes: bool = True, reuse: bool = True,
                k: int = REUSE_K, furniture=None) -> dict[str, pd.DataFrame]:
    """Count one batch of numbered articles ``[aid, text]`` (``outlet``, ``date`` optional).

    ``furniture`` (a :class:`core.ingest.learned.Furniture`) is cut from each text first; the
    articles it changed are returned in the ``cleaned`` part (their new text, and the cut spans
    to add to what the hand rules removed), and everything else is counted on the new text.

    Returns one DataFrame per :data:`PART_COLUMNS` entry.  ``ord`` numbers each article's terms
    in the order they are first met (unigrams, then bigrams, then trigrams), which is how
    term ids are assigned: by first article, then this order.
    """
    from core.arabic import clean_word_spans, word_spans
    from core.extract.passages import batch_shingles
    from core.extract.quotes import quotes_frame
    from core.textpipe import Labeler, article_words, count_article_grams

    labeler, word_forms = Labeler(), Labeler()
    names = _candidate_finder(grouper)
    outlets = arts["outlet"].fillna("").astype(str).tolist() if "outlet" in arts else None
    c_rows: list[tuple] = []
    aids = arts["aid"].to_numpy(dtype=np.int64)
    texts = arts["text"].fillna("").astype(str).tolist()
    c_aid, c_text, c_removed = [], [], []
    if furniture:
        art_outlets = [o or UNKNOWN for o in outlets] if outlets is not None else [UNKNOWN] * len(texts)
        for i, (aid, text, outlet) in enumerate(zip(aids.tolist(), texts, art_outlets)):
            new, cut = furniture.apply(text, outlet)
            if cut:
                texts[i] = new
                c_aid.append(aid)
                c_text.append(new)
                c_removed.append("\n".join(cut))
        if c_aid:
            arts = arts.copy()
            arts["text"] = texts
    w_words = []
    t_key, t_cnt = [], []
    t_lens = []          # per article: how many unigram, bigram and trigram terms
    m_rows, v_rows = [], []
    spans = []           # per article: its words with their offsets, for the shingles and the quotes
    known: dict[int, dict] = {}   # id of an article's words → what its counting found for the quotes' mentions
    for ai, (aid, text) in enumerate(zip(aids.tolist(), texts)):
        # the words are found once: the counts' clauses and words, and the spans of the same words in
        # the text for the shingles and the quotes (word_spans(text), unless presentation forms)
        clean = clean_surface(text)
        clauses, cuts, surfaces, norms, cst, cen = article_words(clean)
        if reuse or quotes:
            spans.append(clean_word_spans(text, clean, surfaces, norms, cst, cen) or word_spans(text))
        shared = None
        if quotes and matcher is not None and spans[-1][0] is norms:
            shared = known[id(norms)] = {}   # (spans keeps the list alive: its id stays its own)
        words, grams, mentions, variants = count_article_grams(
            text, grouper, matcher, labeler, word_forms, outlet=outlets[ai] if outlets else None, names=names,
            words=(clean, clauses, cuts, surfaces, norms), shared=shared)
        if names is not None:
            c_rows.extend(names.take(aid))
        w_words.append(words)
        for counted in grams:
            t_key.extend(counted.keys())
            t_cnt.extend(counted.values())
        t_lens.append([len(g) for g in grams])
        for ent, cnt in mentions.items():
            m_rows.append((aid, ent, cnt))
        for (grp, variant), cnt in variants.items():
            v_rows.append((aid, grp, variant, cnt))
    if reuse:   # the shingles of the whole batch at once
        w_sh, sh_art, sh_h = batch_shingles([w for w, _s, _e in spans], k)
        sh_aid, sh_h = aids[sh_art].astype(np.int32), sh_h.view(np.int64)
    else:
        w_sh, sh_aid, sh_h = np.zeros(len(aids)), np.empty(0, np.int32), np.empty(0, np.int64)
    out = {
        "words": pd.DataFrame({"aid": aids.astype("int32"), "words": np.array(w_words, dtype="int32"),
                               "shingles": np.asarray(w_sh).astype("int32")}),
        "terms": _terms_frame(aids, t_lens, t_key, t_cnt),
        "mentions": pd.DataFrame(m_rows, columns=PART_COLUMNS["mentions"]).astype(
            {"aid": "int32", "entity": "str", "cnt": "int32"}),
        "variants": pd.DataFrame(v_rows, columns=PART_COLUMNS["variants"]).astype(
            {"aid": "int32", "grp": "str", "variant": "str", "cnt": "int32"}),
        "labels": labeler.to_frame().rename(columns={"count": "cnt"}).astype({"key": "str", "surface": "str", "cnt": "int64"}),
        "forms": word_forms.to_frame().rename(columns={"count": "cnt"}).astype({"key": "str", "surface": "str", "cnt": "int64"}),
        "shingles": pd.DataFrame({"aid": sh_aid, "h": sh_h}),
        "cleaned": pd.DataFrame({"aid": np.array(c_aid, dtype=np.int32), "text": pd.Series(c_text, dtype="str"),
                                 "removed": pd.Series(c_removed, dtype="str")}),
    }
    out["candidates"] = pd.DataFrame(c_rows, columns=PART_COLUMNS["candidates"]).astype(
        {"aid": "int32", "name": "str", "type": "str", "surface": "str", "cnt": "int32", "example": "str"})
    if quotes:
        frame = arts[["aid", "text"]].assign(outlet=arts["outlet"] if "outlet" in arts else "",
                                             date=arts["date"] if "date" in arts else None)
        def entities_in_words(text, words, wst, wen):
            return matcher.find_in_words(text, words, wst, wen, known=known.get(id(words)))

        q = quotes_frame(frame, entities_in_words=entities_in_words, vocab=matcher.grouper.counts, spans=spans)
        q = q.rename(columns={"start": "start_", "end": "end_"})
        out["quotes"] = pd.DataFrame({
            "aid": pd.array(q["aid"], dtype="int32"), "quote_id": q["quote_id"].astype(str),
            "speaker": q["speaker"].astype("str"), "text": q["text"].astype("str"), "cue": q["cue"].astype("str"),
            "how": q["how"].astype("str"), "start_": pd.array(q["start_"], dtype="int32"),
            "end_": pd.array(q["end_"], dtype="int32"),
            "speaker_title": (q["speaker_title"] if "speaker_title" in q else pd.Series("", index=q.index)).astype("str")},
            columns=PART_COLUMNS["quotes"])
    else:
        out["quotes"] = pd.DataFrame({c: pd.Series(dtype="str") for c in PART_COLUMNS["quotes"]})
    return out
