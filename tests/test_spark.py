"""The Spark engine (core.index.spark) builds exactly the local engine's index.

Spark runs in local mode (``local[2]``).  pyspark and Java are required: ``make test`` installs
them (requirements.txt, scripts/sysdeps.sh), so a missing one fails here rather than skipping.
"""
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

import pyspark  # noqa: F401  (required: an ImportError fails the module)

from core.filter import Filter
from core.index.build import build_index
from core.index.spark import build_index_spark, local_session

ROOT = Path(__file__).resolve().parent.parent
EXCERPT = ROOT / "tests" / "data" / "ant_excerpt.jsonl"
SAMPLE = ROOT / "data" / "sample"
FURNITURE = ROOT / "tests" / "data" / "furniture" / "corpus.jsonl"

TIMES: dict = {}

# PySpark 4.x warns about pandas 3 on each pandas conversion; exactness is what these tests check.
pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def test_java_present():
    assert shutil.which("java"), "the Spark engine needs Java (scripts/sysdeps.sh installs openjdk-17-jre-headless)"


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    t0 = time.perf_counter()
    spark = local_session(2, tmp_path_factory.mktemp("spark"))
    TIMES["session"] = time.perf_counter() - t0
    yield spark
    spark.stop()


def _pair(name, src, tmp, session, parts_dir=None):
    t0 = time.perf_counter()
    local = build_index([src], tmp / f"{name}-local.duckdb", workers=2)
    TIMES[f"{name} local"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    spark = build_index_spark([src], tmp / f"{name}-spark.duckdb", workers=2, spark=session, parts_dir=parts_dir)
    TIMES[f"{name} spark"] = time.perf_counter() - t0
    return local, spark


@pytest.fixture(scope="module")
def built(session, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("builds")
    out = {
        "excerpt": _pair("excerpt", EXCERPT, tmp, session),
        # parts written through a URI (the object-store path: pyarrow.fs writes, copy down, finalize)
        "sample": _pair("sample", SAMPLE, tmp, session, parts_dir=(tmp / "remote-parts").as_uri()),
        # outlets with page furniture nobody wrote a rule for: the learned patterns and the cut texts
        "furniture": _pair("furniture", FURNITURE, tmp, session),
    }
    yield out
    print("\nbuild times (s): " + ", ".join(f"{k} {v:.1f}" for k, v in TIMES.items()))
    for pair in out.values():
        for c in pair:
            c.con.close()


CORPORA = ["excerpt", "sample", "furniture"]


def q(corpus, sql):
    return corpus.con.cursor().execute(sql).df()


def same(a: pd.DataFrame, b: pd.DataFrame):
    pd.testing.assert_frame_equal(a.reset_index(drop=True), b.reset_index(drop=True), check_exact=True)


TABLE_SQL = {
    "articles": "SELECT aid, id, outlet, date, title, words FROM articles ORDER BY aid",
    "articles_rest": "SELECT aid, outlet_en, url, category, outlet_source, date_source, source_file, source_row, "
                     "text, text_original, removed FROM articles ORDER BY aid",
    "article_keys": "SELECT * FROM article_keys ORDER BY aid",
    "vocab": "SELECT n, key, label, total, df FROM vocab ORDER BY n, key",
    "vocab_ids": "SELECT tid, n, key, forms FROM vocab ORDER BY tid",
    "vocab_keys": "SELECT key, n, tid FROM vocab_keys ORDER BY key, n",
    "terms": "SELECT t.aid, t.n, v.key, t.cnt FROM terms t JOIN vocab v USING (tid) ORDER BY t.aid, t.n, v.key",
    "outlet_terms": "SELECT o.outlet, o.n, v.key, o.count, o.articles FROM outlet_terms o JOIN vocab v USING (tid) "
                    "ORDER BY o.outlet, o.n, v.key",
    "token_map": "SELECT * FROM token_map ORDER BY norm",
    "mentions": "SELECT * FROM mentions ORDER BY aid, entity",
    "variants": "SELECT * FROM variants ORDER BY aid, grp, variant",
    "quotes": "SELECT * FROM quotes ORDER BY aid, CAST(quote_id AS INTEGER)",
    "statements": "SELECT * FROM statements ORDER BY statement_id, aid, quote_id",
    "reuse_pairs": "SELECT * FROM reuse_pairs ORDER BY a, b",
    "reuse_passages": "SELECT * FROM reuse_passages ORDER BY a, b, passage_id",
    "reuse_frequent": "SELECT * FROM reuse_frequent ORDER BY h",
    "report": "SELECT * FROM report ORDER BY file, row, reason, detail",
    "furniture": "SELECT * FROM furniture ORDER BY outlet, kind, pattern",
    "stories": "SELECT * FROM stories ORDER BY story_id, aid",
}


@pytest.mark.parametrize("name", CORPORA)
def test_built_something(built, name):
    local, spark = built[name]
    n = q(local, "SELECT COUNT(*) AS n FROM articles")["n"][0]
    assert n > 0
    assert q(spark, "SELECT COUNT(*) AS n FROM articles")["n"][0] == n
    assert q(spark, "SELECT COUNT(*) AS n FROM terms")["n"][0] > 0
    meta = dict(spark.con.execute("SELECT key, value FROM meta").fetchall())
    assert meta["engine"] == "spark" and meta["spark_master"].startswith("local")
    if name == "furniture":
        assert q(local, "SELECT COUNT(*) AS n FROM furniture")["n"][0] > 0
    if name == "excerpt":
        assert q(local, "SELECT COUNT(*) AS n FROM quotes")["n"][0] > 0
        assert q(local, "SELECT COUNT(*) AS n FROM mentions")["n"][0] > 0


@pytest.mark.parametrize("name", CORPORA)
@pytest.mark.parametrize("table", list(TABLE_SQL))
def test_same_tables(built, name, table):
    local, spark = built[name]
    same(q(local, TABLE_SQL[table]), q(spark, TABLE_SQL[table]))


def _outlet(corpus):
    return q(corpus, "SELECT outlet, COUNT(*) AS c FROM articles GROUP BY outlet ORDER BY c DESC, outlet")["outlet"][0]


@pytest.mark.parametrize("name", CORPORA)
@pytest.mark.parametrize("n", [1, 2, 3])
def test_same_keywords(built, name, n):
    from core.analysis.keywords import keyword_table

    local, spark = built[name]
    same(keyword_table(local, None, n=n), keyword_table(spark, None, n=n))
    flt = Filter(outlets=(_outlet(local),))
    same(keyword_table(local, flt, n=n), keyword_table(spark, flt, n=n))


@pytest.mark.parametrize("name", CORPORA)
def test_same_entities(built, name):
    from core.analysis import entities

    local, spark = built[name]
    for flt in (None, Filter(outlets=(_outlet(local),))):
        same(entities.article_entities(local, flt), entities.article_entities(spark, flt))
        same(entities.entity_totals(local, flt), entities.entity_totals(spark, flt))
        same(entities.entity_by_outlet(local, flt), entities.entity_by_outlet(spark, flt))
        same(entities.entity_trend(local, flt), entities.entity_trend(spark, flt))


@pytest.mark.parametrize("name", CORPORA)
def test_same_topics(built, name):
    from core.analysis.topics import article_topics

    local, spark = built[name]
    same(article_topics(local), article_topics(spark))
    flt = Filter(outlets=(_outlet(local),))
    same(article_topics(local, flt), article_topics(spark, flt))


def test_work_files_removed(built):
    for pair in built.values():
        path = Path(pair[1].path)
        assert path.exists()
        assert not Path(str(path) + ".parts").exists()
        assert not Path(str(path) + ".building").exists()
    remote = Path(built["sample"][1].path).parent / "remote-parts"
    assert not list(remote.rglob("*.parquet"))


def test_empty_input(session, tmp_path):
    (tmp_path / "in").mkdir()
    corpus = build_index_spark([tmp_path / "in"], tmp_path / "empty.duckdb", spark=session)
    assert corpus.con.execute("SELECT COUNT(*) FROM articles").fetchall()[0][0] == 0
    assert corpus.con.execute("SELECT COUNT(*) FROM vocab").fetchall()[0][0] == 0
    corpus.con.close()


def test_first_batch_without_mentions(session, tmp_path):
    """Batches with no mention / variant at all come first in aid order: their parts must still
    type the text columns (a NULL-typed Parquet column first makes DuckDB's multi-file read fail)."""
    import json

    rows = [{"outlet": "A", "date": f"2018-01-{1 + i % 28:02d}", "title": f"t{i}", "url": f"http://a/{i}",
             "text": f"كتب الكاتب مقالا طويلا عن الزراعة والمطر رقم {i} في الحقول الخضراء والبساتين"} for i in range(400)]
    rows.append({"outlet": "B", "date": "2019-01-01", "title": "x", "url": "http://b/1",
                 "text": "قال وزير الخارجية الروسي سيرغي لافروف في موسكو إن سوريا وسورية وروسيا تتفق."})
    src = tmp_path / "c.jsonl"
    src.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    corpus = build_index_spark([src], tmp_path / "c.duckdb", spark=session)
    try:
        assert corpus.con.execute("SELECT COUNT(*) FROM articles").fetchall()[0][0] == 401
        assert corpus.con.execute("SELECT COUNT(*) FROM mentions WHERE aid = 400").fetchall()[0][0] > 0
        assert corpus.con.execute("SELECT COUNT(*) FROM variants WHERE aid = 400").fetchall()[0][0] > 0
    finally:
        corpus.con.close()
