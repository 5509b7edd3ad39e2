"""The streaming build (core.index.build): the pool gives the same index as one process, the old
index survives a failed build, appending grows an index without re-reading it, and the
pool reads its input only as fast as it consumes it."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.index import build as B
from core.index.cache import cache_key, index_status
from core.index.handle import Corpus

ROOT = Path(__file__).resolve().parent.parent
EXCERPT = ROOT / "tests" / "data" / "ant_excerpt.jsonl"
PART1 = ROOT / "tests" / "data" / "split" / "part1.jsonl"   # the excerpt's first 300 lines
PART2 = ROOT / "tests" / "data" / "split" / "part2.jsonl"   # the rest

TABLES = {
    "articles": "SELECT aid, id, outlet, date, title, words, text, removed FROM articles ORDER BY aid",
    "vocab": "SELECT tid, n, key, label, forms, total, df FROM vocab ORDER BY tid",
    "terms": "SELECT aid, tid, cnt FROM terms ORDER BY aid, tid",
    "mentions": "SELECT aid, entity, type, cnt FROM mentions ORDER BY aid, entity",
    "quotes": "SELECT aid, quote_id, speaker, text FROM quotes ORDER BY aid, quote_id",
    "statements": "SELECT * FROM statements ORDER BY statement_id, aid, quote_id",
    "reuse": "SELECT a, b, shared, containment, passages, longest FROM reuse_pairs ORDER BY a, b",
    "passages": "SELECT a, b, passage_id, text_a, text_b FROM reuse_passages ORDER BY passage_id",
    "postings": "SELECT tid, aid FROM postings ORDER BY tid, aid",
    "vocab_keys": "SELECT key, n, tid FROM vocab_keys ORDER BY key, n",
}


@pytest.fixture(scope="module")
def one_process(tmp_path_factory):
    return B.build_index([EXCERPT], tmp_path_factory.mktemp("w1") / "x.duckdb", workers=1)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    return B.build_index([EXCERPT], tmp_path_factory.mktemp("w2") / "x.duckdb", workers=2)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_two_workers_build_the_same_index_as_one_process(one_process, two_workers, table):
    a, b = one_process.sql(TABLES[table]), two_workers.sql(TABLES[table])
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)


def test_the_build_leaves_no_work_files(two_workers):
    p = Path(two_workers.path)
    assert p.exists()
    assert not Path(str(p) + ".parts").exists() and not Path(str(p) + ".building").exists()


def test_a_failed_build_keeps_the_previous_index(tmp_path, monkeypatch):
    db = tmp_path / "x.duckdb"
    B.build_index([PART1], db, workers=1).con.close()

    def boom(*a, **k):
        raise RuntimeError("killed while counting")

    monkeypatch.setattr(B.batches, "count_batch", boom)
    with pytest.raises(RuntimeError):
        B.build_index([EXCERPT], db, workers=1)
    c = Corpus.open(db, read_only=True)
    assert c.rows("SELECT COUNT(*) FROM articles")[0][0] == 287
    assert not Path(str(db) + ".building").exists()


def test_ordered_map_reads_its_input_only_as_fast_as_it_is_consumed():
    taken = []

    def items():
        for i in range(1000):
            taken.append(i)
            yield i

    out = B.ordered_map(None, lambda x: x * 2, items())
    assert next(out) == 0 and len(taken) == 1
    assert list(out)[-1] == 1998


@pytest.fixture(scope="module")
def appended(tmp_path_factory):
    db = tmp_path_factory.mktemp("ap") / "x.duckdb"
    B.build_index([PART1], db, workers=1).con.close()
    first = B.append_index([PART2], db, workers=1)
    again = B.append_index([PART2], db, workers=1)
    return Corpus.open(db), first, again


def test_appending_adds_the_new_articles_and_finds_duplicates_against_the_old(appended, one_process):
    c, first, again = appended
    assert first["added"] == 55 and first["articles"] == 342
    assert again["added"] == 0 and again["problems"] == 65         # every line of part 2 again
    n = lambda corpus, q: corpus.rows(q)[0][0]
    assert n(c, "SELECT COUNT(*) FROM articles") == n(one_process, "SELECT COUNT(*) FROM articles")
    assert n(c, "SELECT COUNT(*) FROM report WHERE reason LIKE 'duplicate-%'") >= 65
    # appended articles are numbered after the old ones
    assert n(c, "SELECT MIN(aid) FROM articles WHERE source_file LIKE '%part2.jsonl'") == 287


def test_appending_counts_entities_quotes_and_passages_like_a_full_build(appended, one_process):
    c = appended[0]
    for q in ("SELECT SUM(cnt) FROM mentions", "SELECT COUNT(*) FROM quotes", "SELECT COUNT(*) FROM reuse_pairs",
              "SELECT COUNT(*) FROM statements"):
        assert c.rows(q)[0][0] == one_process.rows(q)[0][0], q
    # one mentions row per (article, entity), built or appended: the entity views count articles as rows
    for corpus in (c, one_process):
        assert corpus.rows("SELECT COUNT(*) = COUNT(DISTINCT (aid, entity)) FROM mentions")[0][0]
    # the stored topic hits follow the appended terms (the appended grouping may differ from a full build's
    # by its drift, so they are checked against the scan of this index's own terms)
    from core.analysis import topics
    stored = topics.article_topics(c)
    scanned = topics._hits(c, None, topics.topic_term_ids(c),
                           "SELECT f.id AS article_id, h.topic, CAST(SUM(h.cnt) AS BIGINT) AS hits FROM h JOIN f USING (aid) "
                           "GROUP BY f.id, h.topic HAVING SUM(h.cnt) > 0")
    assert len(stored) == len(scanned) > 100
    assert stored["hits"].sum() == scanned["hits"].sum()
    assert c.rows("SELECT MAX(aid) FROM topic_hits")[0][0] >= 287                  # appended articles have hits
    # per-outlet totals follow the appended terms
    assert c.rows("SELECT SUM(count) FROM outlet_terms")[0][0] == c.rows("SELECT SUM(cnt) FROM terms")[0][0]
    # and the per-day rollups the appended mentions and hits
    assert c.rows("SELECT SUM(mentions), SUM(articles) FROM entity_days")[0] == c.rows(
        "SELECT SUM(cnt), COUNT(*) FROM mentions")[0]
    assert c.rows("SELECT SUM(hits), SUM(articles) FROM topic_days")[0] == c.rows(
        "SELECT SUM(hits), COUNT(*) FROM topic_hits")[0]
    assert c.rows("SELECT SUM(quotes) FROM quote_days")[0][0] == c.rows("SELECT COUNT(*) FROM quotes")[0][0]
    assert c.rows("SELECT SUM(total) FROM vocab")[0][0] == c.rows("SELECT SUM(cnt) FROM terms")[0][0]


def test_an_append_adds_its_month_counts_to_the_stored_ones(appended):
    """After an append ``term_months`` is the table a whole rewrite makes, row for row and in its order."""
    c = appended[0]
    whole = c.sql("""SELECT a.outlet, CAST(date_trunc('month', a.date) AS DATE) AS month, t.tid,
                            CAST(SUM(t.cnt) AS BIGINT) AS count, CAST(COUNT(*) AS BIGINT) AS articles
                     FROM terms t JOIN articles a USING (aid) WHERE t.n = 1 GROUP BY ALL
                     ORDER BY month NULLS LAST, outlet, tid""")
    stored = c.sql("SELECT outlet, month, tid, count, articles FROM term_months")
    assert c.rows("SELECT MAX(aid) FROM terms")[0][0] >= 287 and len(stored) > 1000
    assert stored.equals(whole)


def test_an_append_reads_the_stored_shingles_and_stores_the_new_ones(appended, one_process, tmp_path):
    """The build keeps every article's shingle hashes; an append finds its shared passages from them
    (no old text re-shingled) and adds its own, so the table is the full build's, and an index built
    before the table (none stored) still gets the same passages by re-shingling."""
    c = appended[0]
    by_id = ("SELECT a.id, COUNT(*) AS n, SUM(s.h) AS total FROM shingles s JOIN articles a USING (aid) "
             "GROUP BY a.id ORDER BY a.id")
    stored = c.sql(by_id)
    assert len(stored) > 300 and stored.equals(one_process.sql(by_id))
    db = tmp_path / "old.duckdb"
    B.build_index([PART1], db, workers=1).con.close()
    import duckdb
    con = duckdb.connect(str(db))
    con.execute("DROP TABLE shingles")
    con.close()
    B.append_index([PART2], db, workers=1)
    old = Corpus.open(db, read_only=True)
    pairs = "SELECT COUNT(*), SUM(shared) FROM reuse_pairs"
    assert old.rows(pairs)[0] == one_process.rows(pairs)[0] == c.rows(pairs)[0]
    assert not old.has_table("shingles")


def test_the_index_records_how_far_its_grouping_drifted(appended):
    c, first, _ = appended
    meta = c.meta()
    assert meta["appended"] == "55" and 0 < float(meta["drift"]) < 0.05
    st = index_status(c.path)
    assert st["articles"] == 342 and st["appended"] == 55
    assert st["stale"] == (float(meta["drift"]) > B.DRIFT_LIMIT)
    assert str(PART2) in meta["sources"] and str(PART1) in meta["sources"]


def test_the_cache_key_includes_outlets_yaml(tmp_path, monkeypatch):
    import core.ingest.outlets as outlets

    before = cache_key()
    copy = tmp_path / "outlets.yaml"
    copy.write_text(outlets.DEFAULT_PATH.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    monkeypatch.setattr(outlets, "DEFAULT_PATH", copy)
    assert cache_key() != before


@pytest.fixture(scope="module")
def small_buckets(tmp_path_factory):
    """The same build with the article table numbered, sorted and read 37 articles at a time."""
    mp = pytest.MonkeyPatch()
    mp.setattr(B.finalize, "ARTICLE_BUCKET", 37)
    mp.setattr(B.finalize.number_articles, "__defaults__", (37,))
    mp.setattr(B.finalize.aid_ranges, "__defaults__", ("TRUE", 37))
    mp.setattr(B.finalize.part_groups, "__defaults__", (37,))
    mp.setattr(B.finalize.build_postings, "__defaults__", (5,))
    try:
        yield B.build_index([EXCERPT], tmp_path_factory.mktemp("b37") / "x.duckdb", workers=1)
    finally:
        mp.undo()


@pytest.mark.parametrize("table", sorted(TABLES))
def test_numbering_and_reading_in_buckets_builds_the_same_index(one_process, small_buckets, table):
    """Texts are only sorted a bucket of aids at a time (a million texts cannot be sorted in the
    memory limit): bucket boundaries change nothing."""
    a, b = one_process.sql(TABLES[table]), small_buckets.sql(TABLES[table])
    assert len(a) > 0
    pd.testing.assert_frame_equal(a, b)


def test_the_article_table_is_stored_in_aid_order(small_buckets):
    """Stored in order, an aid range is read through the zone maps, not by a sort of every text."""
    aids = small_buckets.sql("SELECT aid FROM articles")["aid"].tolist()
    assert len(aids) > 37 * 3 and aids == sorted(aids) == list(range(len(aids)))


def test_term_rows_are_stored_by_n_then_article(one_process):
    """A view reads one n of the terms table: stored by (n, aid, tid) within a group of parts (the excerpt is
    one group), each row group holds one n, and the row groups of the other two are skipped."""
    stored = one_process.sql("SELECT n, aid, tid FROM terms")
    assert set(stored["n"]) == {1, 2, 3}
    assert stored.equals(stored.sort_values(["n", "aid", "tid"]).reset_index(drop=True))


def test_postings_hold_every_term_row_sorted_by_term_id(small_buckets, appended):
    """The key → articles index: exactly the terms table's (tid, aid) pairs, stored by term id (so a
    query reads a few row groups); an append adds the new articles' pairs."""
    for c in (small_buckets, appended[0]):
        post = c.sql("SELECT tid, aid FROM postings")
        terms = c.sql("SELECT tid, aid FROM terms ORDER BY tid, aid")
        assert len(post) > 1000
        pd.testing.assert_frame_equal(post.sort_values(["tid", "aid"]).reset_index(drop=True), terms)
    built = small_buckets.sql("SELECT tid FROM postings")["tid"].tolist()
    assert built == sorted(built)


def test_every_term_row_counts_its_term_at_least_once(one_process, appended):
    """The filtered outlet x term counts sum term rows without dropping zero sums: none can occur."""
    for c in (one_process, appended[0]):
        assert c.rows("SELECT COUNT(*) FILTER (WHERE cnt < 1), COUNT(*) FROM terms")[0][0] == 0
        assert c.rows("SELECT COUNT(*) FROM terms")[0][0] > 10_000


def test_vocab_keys_hold_the_vocabulary_sorted_by_key_and_find_every_term(small_buckets, appended):
    """The key → term id index: exactly vocab's (key, n, tid), stored by key (a lookup reads one row
    group); an append adds the new keys. term_ids finds through it what a scan of vocab finds, for
    keys of every length, keys of another n and keys the corpus lacks, few or many at once."""
    from core.index.handle import Corpus

    for c in (small_buckets, appended[0]):
        keys = c.sql("SELECT key, n, tid FROM vocab_keys")
        voc = c.sql("SELECT key, n, tid FROM vocab ORDER BY key, n")
        assert len(keys) > 1000
        pd.testing.assert_frame_equal(keys.sort_values(["key", "n"]).reset_index(drop=True), voc)
        old = Corpus(c.con, c.path, c.resources)
        old._memo[("has_table", "vocab_keys")] = False        # an index built before the table
        sample = c.sql("SELECT n, key FROM vocab USING SAMPLE 12 ROWS (reservoir, 7) ORDER BY n, key")
        asked = [(int(n), k) for n, k in zip(sample["n"], sample["key"])]
        asked += [(3 - n if n != 2 else 1, k) for n, k in asked[:3]] + [(1, "kalimazz"), (2, "kalima zz")]
        for ks in (asked[:3], asked[:8], asked):
            got, want = c.term_ids(ks), old.term_ids(ks)
            assert got == want and len(got) >= min(len(ks), 12) - 3
    built = small_buckets.sql("SELECT key FROM vocab_keys")["key"].tolist()
    assert built == sorted(built)


def test_statement_blocks_on_two_workers_give_the_one_process_statements(excerpt_corpus, monkeypatch):
    """The blocks of days are clustered on a worker pool and taken in order: the statements table is
    the one a single process writes, block offsets included."""
    import duckdb

    from core.index import finalize as F

    src = excerpt_corpus.con
    total = src.execute("SELECT COUNT(*) FROM quotes").fetchall()[0][0]
    monkeypatch.setattr(F, "STATEMENT_BLOCK", 10)   # whole days: four blocks on the excerpt
    assert total > 1000
    con = duckdb.connect()
    con.register("qdf", src.execute("SELECT * FROM quotes").df())
    con.register("adf", src.execute("SELECT aid, outlet, date FROM articles").df())
    con.execute("CREATE TABLE quotes AS SELECT * FROM qdf")
    con.execute("CREATE TABLE articles AS SELECT * FROM adf")
    assert len(F.statement_blocks(con)) >= 4
    F.build_statements(con, workers=1)
    one = con.execute("SELECT * FROM statements ORDER BY statement_id, aid, quote_id").df()
    F.build_statements(con, workers=2)
    two = con.execute("SELECT * FROM statements ORDER BY statement_id, aid, quote_id").df()
    assert one["statement_id"].nunique() > 10
    pd.testing.assert_frame_equal(one, two)


def test_quote_words_hold_every_quotes_wording_built_or_appended(appended, one_process):
    """``quote_words``: one row per quote, its ``wordings``; an append adds its new quotes' rows."""
    from core.extract.quotes import wordings

    for c in (one_process, appended[0]):
        q = c.sql("SELECT q.aid, q.quote_id, q.text, w.words FROM quotes q LEFT JOIN quote_words w "
                  "USING (aid, quote_id) ORDER BY q.aid, CAST(q.quote_id AS INTEGER)")
        assert len(q) > 300 and q["aid"].max() >= 287
        assert q["words"].tolist() == wordings(q["text"].tolist())
        assert c.rows("SELECT COUNT(*) FROM quote_words")[0][0] == len(q)


def test_an_index_without_stored_wordings_appends_the_same_statements(tmp_path):
    """An index built before ``quote_words`` existed (the table dropped here) appends the same statements
    as one with it, and keeps the new quotes' wordings from then on."""
    import duckdb

    got = {}
    for name in ("with", "without"):
        db = tmp_path / f"{name}.duckdb"
        B.build_index([PART1], db, workers=1).con.close()
        if name == "without":
            con = duckdb.connect(str(db))
            con.execute("DROP TABLE quote_words")
            con.close()
        B.append_index([PART2], db, workers=1)
        c = Corpus.open(db, read_only=True)
        got[name] = c.sql(TABLES["statements"])
        got[name + "_words"] = c.rows("SELECT COUNT(*), MIN(aid) FROM quote_words")[0]
        c.con.close()
    assert len(got["with"]) > 10
    pd.testing.assert_frame_equal(got["with"], got["without"])
    assert got["without_words"][1] >= 287      # only the appended quotes' wordings


def test_an_append_touching_many_quotes_matches_them_block_by_block(tmp_path, monkeypatch):
    """Past ``APPEND_QUOTES_AT_ONCE`` stored quotes in its days, an append matches its new quotes day block
    by day block (bounded memory): here every day its own block, with new quotes on two days months
    apart, which gives the statements of the single pass."""
    import json

    import duckdb

    from core.index import finalize

    rows = [json.loads(line) for line in PART2.read_text(encoding="utf-8").splitlines()]
    moved = [dict(r, date=("2018-03-16T09:00:00Z" if i % 2 else "2018-06-29T09:00:00Z")) for i, r in enumerate(rows)]
    (tmp_path / "moved.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in moved), encoding="utf-8")
    from core.extract import quotes as Q

    got, calls = {}, []
    real = Q.join_statements

    def spy(q, new, *a, **kw):
        calls.append(int(np.asarray(new).sum()))
        return real(q, new, *a, **kw)

    monkeypatch.setattr(Q, "join_statements", spy)
    for name, at_once in (("single", None), ("blocks", 1)):
        db = tmp_path / f"{name}.duckdb"
        B.build_index([PART1], db, workers=1).con.close()
        monkeypatch.setattr(finalize, "APPEND_QUOTES_AT_ONCE", at_once or 1_000_000)
        calls.clear()
        B.append_index([tmp_path / "moved.jsonl"], db, workers=1)
        got[name] = (list(calls), duckdb.connect(str(db), read_only=True).execute(TABLES["statements"]).df())
    assert len(got["single"][0]) == 1 and len(got["blocks"][0]) == 2      # two days: two blocks
    assert sum(got["blocks"][0]) == got["single"][0][0] > 20               # every new quote once
    # the new quotes that join a stored statement join the same one; a new cluster may only span the days
    # of one block (the single pass also pairs new quotes of both days: wire copies moved apart here)
    stored = lambda st: st[(st.statement_id < first_new) & (st.aid >= 287)].reset_index(drop=True)
    first_new = duckdb.connect(str(tmp_path / "single.duckdb"), read_only=True).execute(
        "SELECT MIN(statement_id) FROM statements WHERE statement_id NOT IN "
        "(SELECT statement_id FROM statements WHERE aid < 287)").fetchall()[0][0]
    assert len(stored(got["single"][1])) >= 3
    pd.testing.assert_frame_equal(stored(got["single"][1]), stored(got["blocks"][1]))
    for st in (got["single"][1], got["blocks"][1]):
        assert not st.duplicated(["aid", "quote_id"]).any()
