"""Duplicate detection's memory (core.ingest.seen): the same decisions as dicts of every key, in a few
dozen bytes an article."""
from __future__ import annotations

import tracemalloc

from hypothesis import given, settings
from hypothesis import strategies as st

from core.ingest.pipeline import Assembler, Prepared, text_key
from core.ingest.outlets import load_outlets
from core.ingest.seen import Fingerprints, KeptArticles
from core.model import Article


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.text(max_size=6), st.binary(max_size=4),
                                    st.tuples(st.text(max_size=3), st.binary(max_size=3))),
                          st.integers(0, 10 ** 9)), max_size=60))
def test_fingerprints_answer_as_a_dict_does(pairs):
    # merged into the sorted arrays every 4 keys, so that the arrays answer most look-ups, and a bitmap of
    # 8 bits, so that absent keys are searched for in the arrays too
    (Fingerprints.FLUSH, Fingerprints.BITS), flush = (4, 3), (Fingerprints.FLUSH, Fingerprints.BITS)
    try:
        f, ref = Fingerprints(), {}
        for key, value in pairs:
            assert f.get(key) == ref.get(key)
            assert f.setdefault(key, value) == ref.setdefault(key, value)
            assert key in f and len(f) == len(ref)
    finally:
        Fingerprints.FLUSH, Fingerprints.BITS = flush


def test_a_tuple_key_is_its_parts_not_their_concatenation():
    f = Fingerprints()
    f.setdefault(("سكاي", b"\x01\x02"), 1)
    assert f.get(("سكا", "ي".encode() + b"\x01\x02")) is None
    assert f.get(("سكاي", b"\x01\x02")) == 1


def test_kept_articles_give_back_id_file_and_row():
    k = KeptArticles()
    got = [k.add(i, f, r) for i, f, r in [("لافروف-1", "أ.csv", 0), ("x\udcff", "b.txt", None), ("", "أ.csv", 2 ** 40)]]
    assert got == [0, 1, 2]
    assert [k.get(i) for i in got] == [("لافروف-1", "أ.csv", 0), ("x\udcff", "b.txt", None), ("", "أ.csv", 2 ** 40)]


# -- the Assembler: its decisions as the dicts of every key made them ---------------------------------

class _DictAssembler:
    """The admission rules as written before the compact memory (every key in a dict): the reference."""

    def __init__(self):
        self.urls, self.texts, self.ids, self.problems = {}, {}, {}, []

    def remember(self, id, file, row, url_key, tkey, outlet):
        kept = (id, file, row)
        if url_key:
            self.urls.setdefault(url_key, kept)
        if tkey:
            self.texts.setdefault((outlet, bytes(tkey)), kept)
        self.ids.setdefault(id, kept)

    def admit(self, art: Article, tkey: bytes):
        where = (art.source_file, art.source_row)
        place = lambda k: k[1] + (f", row {k[2]}" if k[2] is not None else "")  # noqa: E731
        url_key = art.url.strip().rstrip("/").casefold()
        if url_key and url_key in self.urls:
            k = self.urls[url_key]
            self.problems.append((*where, "duplicate-url", f"same URL as article '{k[0]}' ({place(k)}); the first is kept"))
            return None
        t = (art.outlet, tkey)
        if t in self.texts:
            k = self.texts[t]
            self.problems.append((*where, "duplicate-text", f"same text as article '{k[0]}' ({place(k)}); the first is kept"))
            return None
        kept = (art.id, art.source_file, art.source_row)
        if url_key:
            self.urls[url_key] = kept
        self.texts[t] = kept
        if art.id in self.ids:
            first, n = self.ids[art.id], 2
            while f"{art.id}-{n}" in self.ids:
                n += 1
            new_id = f"{art.id}-{n}"
            self.problems.append((*where, "duplicate-id", f"id '{art.id}' is already used by {place(first)}; "
                                                         f"this article is loaded as '{new_id}'"))
            art.id = new_id
        self.ids[art.id] = (art.id, art.source_file, art.source_row)
        return art.id


def _article(i: int, id: str, url: str, outlet: str, text: str) -> Article:
    return Article(id=id, text_original=text, text=text, outlet=outlet, url=url, source_file=f"f{i % 3}.csv",
                   source_row=None if i % 5 == 0 else i)


_records = st.lists(st.tuples(st.sampled_from(["a", "a-2", "b", "ب", "a-3"]),           # ids that collide
                              st.sampled_from(["", "http://x/1", "http://x/1/", "HTTP://X/2", "http://x/3"]),
                              st.sampled_from(["سكاي", "العربية"]),
                              st.sampled_from(["نص أول", "نص  أول", "نص ثان", "نص ثالث"])),
                    max_size=40)


@settings(max_examples=80, deadline=None)
@given(_records, st.lists(st.tuples(st.sampled_from(["a", "c"]), st.sampled_from(["", "http://x/3"]),
                                    st.sampled_from(["نص ثالث", "نص رابع"])), max_size=3))
def test_the_assembler_keeps_renames_and_reports_as_the_dicts_did(records, stored):
    Fingerprints.FLUSH, flush = 3, Fingerprints.FLUSH
    try:
        asm, ref = Assembler(load_outlets()), _DictAssembler()
        for j, (id, url, body) in enumerate(stored):   # an index being appended to
            asm.remember(id, "index.jsonl", j, url, text_key(body), "سكاي")
            ref.remember(id, "index.jsonl", j, url, text_key(body), "سكاي")
        for i, (id, url, outlet, body) in enumerate(records):
            a, b = _article(i, id, url, outlet, body), _article(i, id, url, outlet, body)
            got = asm.admit(Prepared(a, text_key(body)))
            want = ref.admit(b, text_key(body))
            assert (got.id if got is not None else None) == want
        assert [(p.file, p.row, p.reason, p.detail) for p in asm.problems] == ref.problems
    finally:
        Fingerprints.FLUSH = flush


def test_remembering_a_hundred_thousand_articles_takes_under_150_bytes_each():
    """The dicts took ~600 bytes an article (600 MB of a million-article build's main process)."""
    asm = Assembler(load_outlets())
    n = 100_000
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(n):
            asm.remember(f"SK-world-{i}-20180301#s0r{i}", "var/bench/ant-100k.jsonl.gz", i,
                         f"https://www.skynewsarabia.com/world/{i}-%d8%a7%d9%84%d8%b1%d8%a6%d9%8a%d8%b3",
                         i.to_bytes(16, "little"), "سكاي نيوز عربية")
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert used / n < 150, used / n
    assert asm._ids.get(f"SK-world-{n - 1}-20180301#s0r{n - 1}") == n - 1   # and it still answers
    assert asm._urls.get(f"https://www.skynewsarabia.com/world/7-%d8%a7%d9%84%d8%b1%d8%a6%d9%8a%d8%b3") == 7
