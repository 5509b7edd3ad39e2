"""Parts → index: DuckDB SQL over the Parquet parts the counting pass wrote.

The local engine and the Spark job write the same parts (``PARTS/<table>/*.parquet``, columns
in :data:`core.index.batches.PART_COLUMNS`); :func:`finalize` turns them into the index
tables described in :mod:`core.index`.  DuckDB does the grouping with a memory limit
and spills to disk, so nothing here grows with the corpus in Python.
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

Progress = Callable[[float, str], None]

#: A per-shingle article count above this marks boilerplate (find_reuse's max_df).
REUSE_MAX_DF = 50
#: Candidate reuse pairs are looked for inside windows of this many days (about six months) (an article is compared
#: with the articles of its own window and the next; undated articles with every article).
REUSE_WINDOW_DAYS = 183
#: Quotes are clustered into same-statement groups in blocks of about this many quotes (whole
#: days; undated quotes together with the first block).  A corpus with fewer quotes is one block.
STATEMENT_BLOCK = 150_000


def glob(parts: Path, table: str) -> str:
    return str(Path(parts) / table / "*.parquet")


def has_parts(parts: Path, table: str) -> bool:
    return any((Path(parts) / table).glob("*.parquet"))


def configure(con, tmp_dir: Path, memory_limit: str = "1500MB", threads: int | None = None) -> None:
    """Bounded memory: DuckDB spills to ``tmp_dir`` beyond ``memory_limit``."""
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tmp_dir}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")


#: Articles per numbering bucket, and per ordered read of the article table: wide rows (texts) are
#: only ever sorted this many at a time (DuckDB cannot spill a sort of a million texts in 1.5 GB).
ARTICLE_BUCKET = 40_000

_ARTICLES0 = ("aid", "id", "outlet", "outlet_en", "date", "title", "url", "category", "outlet_source",
              "date_source", "source_file", "source_row", "text", "text_original", "removed", "text_key", "published")


def number_articles(con, parts: Path, bucket: int = ARTICLE_BUCKET) -> int:
    """``articles0``: the staged articles numbered in (date, outlet, id) order (``aid`` from 0),
    stored in aid order.

    Only the narrow sort keys are sorted whole; the rows, texts included, are written once into
    buckets of ``bucket`` consecutive aids (Parquet, one pass) and each bucket is sorted on its own
    and appended, so memory holds one bucket whatever the corpus size.
    """
    src = glob(parts, "articles")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE aid_map AS
        SELECT seq, CAST(row_number() OVER (ORDER BY date IS NULL, date, outlet, id) - 1 AS INTEGER) AS aid
        FROM (SELECT seq, date, outlet, id FROM read_parquet('{src}'))""")
    rows = f"""SELECT m.aid, p.id, p.outlet, p.outlet_en, CAST(p.date AS DATE) AS date, p.title, p.url,
               p.category, p.outlet_source, p.date_source, p.source_file,
               CAST(p.source_row AS INTEGER) AS source_row, p.text, p.text_original, p.removed, p.text_key,
               CAST(p.published AS TIMESTAMP) AS published
        FROM read_parquet('{src}') p JOIN aid_map m USING (seq)"""
    con.execute(f"CREATE OR REPLACE TABLE articles0 AS {rows} LIMIT 0")
    out = Path(parts) / "numbered_articles"
    shutil.rmtree(out, ignore_errors=True)
    con.execute(f"COPY (SELECT aid // {int(bucket)} AS bucket, * FROM ({rows})) TO '{out}' "
                "(FORMAT parquet, PARTITION_BY (bucket))")
    cols = ", ".join(_ARTICLES0)
    found = sorted(out.glob("bucket=*"), key=lambda d: int(d.name.split("=", 1)[1])) if out.exists() else []
    for d in found:
        con.execute(f"INSERT INTO articles0 SELECT {cols} FROM read_parquet('{d}/*.parquet', "
                    "hive_partitioning = false) ORDER BY aid")
    shutil.rmtree(out, ignore_errors=True)
    con.execute("DROP TABLE aid_map")
    return con.execute("SELECT COUNT(*) FROM articles0").fetchall()[0][0]


def aid_ranges(con, table: str, where: str = "TRUE", step: int = ARTICLE_BUCKET) -> list[tuple[int, int]]:
    """``[lo, hi)`` ranges of ``step`` aids covering the rows of ``table`` that match ``where``."""
    lo, hi = con.execute(f"SELECT MIN(aid), MAX(aid) FROM {table} WHERE {where}").fetchall()[0]
    if lo is None:
        return []
    return [(a, min(a + step, hi + 1)) for a in range(int(lo), int(hi) + 1, step)]


def insert_in_aid_order(con, target: str, select: str, table: str, alias: str = "a",
                        where: str = "TRUE", create: bool = False) -> None:
    """``INSERT INTO target select … ORDER BY aid``, one aid range at a time (wide rows are sorted a
    bucket at a time).  ``select`` reads ``table AS alias`` and ends with a ``WHERE`` clause
    to which the range is added; ``create`` makes ``target`` first (same columns)."""
    if create:
        con.execute(f"CREATE OR REPLACE TABLE {target} AS {select} AND FALSE")
    for lo, hi in aid_ranges(con, table, where):
        con.execute(f"INSERT INTO {target} {select} AND {alias}.aid >= {lo} AND {alias}.aid < {hi} "
                    f"ORDER BY {alias}.aid")


def finalize(con, parts: Path, *, grouper, resources, problems: pd.DataFrame, meta: dict,
             progress: Progress, workers: int = 1, quotes: bool = True, reuse: bool = True,
             append_from: int | None = None, furniture=None) -> None:
    """Create every index table from the parts (``articles0`` must exist)."""
    parts = Path(parts)
    progress(0.76, "writing articles")
    apply_cleaned(con, parts)
    write_furniture(con, furniture)
    words = glob(parts, "words")
    insert_in_aid_order(con, "articles", f"""
        SELECT a.aid, a.id, a.outlet, a.outlet_en, a.date, a.title, a.url, a.category,
               CAST(COALESCE(w.words, 0) AS INTEGER) AS words, a.outlet_source, a.date_source, a.source_file,
               a.source_row, a.text, a.text_original, a.removed, a.published
        FROM articles0 a LEFT JOIN read_parquet('{words}') w USING (aid) WHERE TRUE""", "articles0", create=True)
    con.execute(f"""CREATE OR REPLACE TABLE article_keys AS
        SELECT a.aid, lower(rtrim(trim(a.url), '/')) AS url_key, a.text_key,
               CAST(COALESCE(w.shingles, 0) AS INTEGER) AS shingles
        FROM articles0 a LEFT JOIN read_parquet('{words}') w USING (aid) ORDER BY a.aid""")
    con.execute("DROP TABLE articles0")

    progress(0.79, "writing terms")
    _vocab_and_terms(con, parts)
    write_vocab_keys(con)
    build_outlet_terms(con)
    build_postings(con, parts)

    progress(0.84, "writing mentions")
    etype = pd.DataFrame([(e.name, e.type) for e in resources.gazetteer], columns=["entity", "type"])
    etype = etype.drop_duplicates("entity")
    con.register("etype_df", etype)
    insert_parts_in_order(con, "mentions", parts, "mentions", """
        SELECT CAST(m.aid AS INTEGER) AS aid, m.entity, COALESCE(t.type, '') AS type, CAST(m.cnt AS INTEGER) AS cnt
        FROM {src} m LEFT JOIN etype_df t USING (entity)
        ORDER BY aid, entity""", create=True)
    con.unregister("etype_df")
    write_candidates(con, parts)
    insert_parts_in_order(con, "variants", parts, "variants", """
        SELECT CAST(aid AS INTEGER) AS aid, grp, variant, CAST(cnt AS INTEGER) AS cnt
        FROM {src} ORDER BY aid, grp, variant""", create=True)

    tm = grouper.to_frame() if grouper is not None else pd.read_parquet(parts / "token_map.parquet")
    con.register("tm_df", tm)
    con.execute("CREATE OR REPLACE TABLE token_map AS SELECT CAST(norm AS VARCHAR) AS norm, CAST(key AS VARCHAR) AS key, "
                "CAST(count AS BIGINT) AS count FROM tm_df")
    con.unregister("tm_df")

    write_report(con, problems)

    progress(0.86, "writing quotes")
    write_quotes(con, parts, quotes)
    progress(0.88, "clustering statements")
    build_statements(con, workers=workers)
    progress(0.90, "finding shared passages")
    if reuse:
        build_reuse(con, parts, workers=workers, progress=progress)
        store_shingles(con, parts)
    else:
        empty_reuse(con)

    progress(0.97, "grouping stories")
    build_stories(con)
    write_topic_hits(con, resources)
    write_day_rollups(con)

    con.execute("CREATE OR REPLACE TABLE meta (key VARCHAR, value VARCHAR)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, str(v)) for k, v in meta.items()])


def write_topic_hits(con, resources) -> None:
    """``topic_hits`` for the lexicon of ``resources``, matched with the grouping the index keeps
    (its ``token_map``, as a read handle rebuilds it): see :func:`core.analysis.topics.write_topic_hits`."""
    from core.analysis import topics
    from core.textpipe import Grouper

    grouper = Grouper.from_frame(con.execute("SELECT norm, key FROM token_map").df(), resources)
    topics.write_topic_hits(con, resources.topics, grouper)


def write_day_rollups(con, append_from: int | None = None) -> None:
    """Per outlet and day: the entity mentions (``entity_days``: outlet, date, entity, type, mentions,
    articles), the quotes per speaker (``quote_days``: outlet, date, speaker, '' when unattributed,
    quotes) and the topic hits of the build's lexicon (``topic_days``: outlet, date, topic, hits,
    articles); the quotes per outlet and speaker over every day (``quote_outlets``: outlet, speaker,
    quotes, for filters of outlets only); and the whole corpus's outlet similarity
    (``outlet_similarity``: outlet_a, outlet_b, similarity, see :func:`core.analysis.distinctive.similarity`).
    A filter of dates and outlets only (no text query) sums these instead of the per-article tables:
    at 1M articles 5.0M mention rows become 0.45M, 2.0M topic-hit rows 77k.  ``term_months`` (outlet,
    month, tid, count, articles: the unigram terms per outlet and calendar month, 12.3M term rows → 3.0M at
    100k) answers the whole months of such a filter's term counts.
    Rewritten whole after a build, an append and a correction of outlets or dates (about 0.3 s at 1M), except
    ``term_months`` after an append (``append_from``: the first new aid): an append changes no old article's
    terms, so the new articles' month counts are added to the stored ones (1,000 articles added to 100k:
    1.5 → 0.9 s; the whole rewrite reads every unigram row, 12M at 100k), the same table row for row."""
    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if "mentions" in have:
        con.execute("""CREATE OR REPLACE TABLE entity_days AS
            SELECT a.outlet, a.date, m.entity, m.type, CAST(SUM(m.cnt) AS BIGINT) AS mentions,
                   CAST(COUNT(*) AS BIGINT) AS articles
            FROM mentions m JOIN articles a USING (aid) GROUP BY a.outlet, a.date, m.entity, m.type
            ORDER BY a.date NULLS LAST, a.outlet, m.entity""")
    if "quotes" in have:
        con.execute("""CREATE OR REPLACE TABLE quote_days AS
            SELECT a.outlet, a.date, COALESCE(q.speaker, '') AS speaker, CAST(COUNT(*) AS BIGINT) AS quotes
            FROM quotes q JOIN articles a USING (aid) GROUP BY a.outlet, a.date, COALESCE(q.speaker, '')
            ORDER BY a.date NULLS LAST, a.outlet, speaker""")
        con.execute("""CREATE OR REPLACE TABLE quote_outlets AS
            SELECT outlet, speaker, CAST(SUM(quotes) AS BIGINT) AS quotes FROM quote_days
            GROUP BY outlet, speaker ORDER BY outlet, quotes DESC, speaker""")
    if "terms" in have and append_from is not None and "term_months" in have:
        con.execute(f"""CREATE OR REPLACE TABLE term_months AS
            SELECT outlet, month, tid, CAST(SUM(count) AS BIGINT) AS count, CAST(SUM(articles) AS BIGINT) AS articles
            FROM (SELECT outlet, month, tid, count, articles FROM term_months
                  UNION ALL
                  SELECT a.outlet, CAST(date_trunc('month', a.date) AS DATE) AS month, t.tid,
                         SUM(t.cnt) AS count, COUNT(*) AS articles
                  FROM terms t JOIN articles a USING (aid)
                  WHERE t.n = 1 AND t.aid >= {int(append_from)} AND a.aid >= {int(append_from)} GROUP BY ALL)
            GROUP BY ALL ORDER BY month NULLS LAST, outlet, tid""")
    elif "terms" in have:   # unigram counts per outlet and calendar month (NULL: undated), see scope.month_parts
        con.execute("""CREATE OR REPLACE TABLE term_months AS
            SELECT a.outlet, CAST(date_trunc('month', a.date) AS DATE) AS month, t.tid,
                   CAST(SUM(t.cnt) AS BIGINT) AS count, CAST(COUNT(*) AS BIGINT) AS articles
            FROM terms t JOIN articles a USING (aid) WHERE t.n = 1 GROUP BY ALL
            ORDER BY month NULLS LAST, outlet, tid""")
    if "outlet_terms" in have:   # the Compare page's similarity on the whole corpus (unigrams)
        from core.analysis.distinctive import WHOLE_CORPUS_COUNTS, similarity_long

        sim = similarity_long(con.execute(WHOLE_CORPUS_COUNTS).df())
        con.register("outlet_similarity_df", sim)
        con.execute("CREATE OR REPLACE TABLE outlet_similarity AS SELECT outlet_a, outlet_b, similarity FROM outlet_similarity_df")
        con.unregister("outlet_similarity_df")
    if "topic_hits" in have:
        con.execute("""CREATE OR REPLACE TABLE topic_days AS
            SELECT a.outlet, a.date, h.topic, CAST(SUM(h.hits) AS BIGINT) AS hits, CAST(COUNT(*) AS BIGINT) AS articles
            FROM topic_hits h JOIN articles a USING (aid) WHERE h.hits > 0 GROUP BY a.outlet, a.date, h.topic
            ORDER BY a.date NULLS LAST, a.outlet, h.topic""")


def apply_cleaned(con, parts: Path) -> None:
    """The count pass's ``cleaned`` parts into ``articles0``: the text without its learned
    furniture, and the cut spans after what the hand rules removed."""
    if not has_parts(parts, "cleaned"):
        return
    con.execute(f"""UPDATE articles0 SET text = c.text,
            removed = CASE WHEN articles0.removed IS NULL OR articles0.removed = '' THEN c.removed
                           ELSE articles0.removed || chr(10) || c.removed END
        FROM read_parquet('{glob(parts, "cleaned")}') c WHERE articles0.aid = c.aid""")


FURNITURE_SCHEMA = ("outlet VARCHAR, kind VARCHAR, pattern VARCHAR, articles INTEGER, outlet_articles INTEGER, "
                    "share DOUBLE, example VARCHAR, source VARCHAR, status VARCHAR")


def write_furniture(con, furniture) -> None:
    """The ``furniture`` table: every learned or added pattern, per outlet, with its status."""
    con.execute(f"CREATE OR REPLACE TABLE furniture ({FURNITURE_SCHEMA})")
    if furniture is None:
        return
    df = furniture.frame()
    if len(df):
        con.register("fur_df", df)
        con.execute("INSERT INTO furniture SELECT outlet, kind, pattern, CAST(articles AS INTEGER), "
                    "CAST(outlet_articles AS INTEGER), share, example, source, status FROM fur_df")
        con.unregister("fur_df")


def append_furniture(con, stats, decisions):
    """The furniture an append cuts: the index's patterns, plus what the new articles teach about
    outlets the index has no pattern of; the table is rewritten with both."""
    from core.ingest.learned import Furniture

    have = con.execute("SELECT table_name FROM information_schema.tables WHERE table_name = 'furniture'").fetchall()
    old = con.execute("SELECT * FROM furniture").df() if have else pd.DataFrame()
    old_fur = Furniture.from_frame(old) if len(old) else Furniture.empty()
    known = set(old["outlet"]) if len(old) else set()
    new = stats.decide(decisions)
    rows = list(old_fur.patterns) + [p for p in new.patterns if p.outlet not in known]
    merged = Furniture.from_patterns(rows, decisions)
    write_furniture(con, merged)
    return merged


CANDIDATE_MIN_ARTICLES = 2   # a candidate recurs: named in at least two articles


def write_candidates(con, parts: Path, append: bool = False) -> None:
    """Names the gazetteer lacks (:mod:`core.names`): ``candidate_mentions`` (aid, name, type,
    surface, cnt: every occurrence counted at ingestion), ``candidate_examples`` (name, type, aid,
    example) and ``candidates``, the ranked list (name, type, label, mentions, articles, example),
    re-aggregated from the first two (also after an append)."""
    cols = "aid INTEGER, name VARCHAR, type VARCHAR, surface VARCHAR, cnt INTEGER"
    if not append:
        con.execute(f"CREATE OR REPLACE TABLE candidate_mentions ({cols})")
        con.execute("CREATE OR REPLACE TABLE candidate_examples (name VARCHAR, type VARCHAR, aid INTEGER, example VARCHAR)")
    else:
        con.execute(f"CREATE TABLE IF NOT EXISTS candidate_mentions ({cols})")
        con.execute("CREATE TABLE IF NOT EXISTS candidate_examples (name VARCHAR, type VARCHAR, aid INTEGER, example VARCHAR)")
    if has_parts(parts, "candidates"):
        src = f"read_parquet('{glob(parts, 'candidates')}', union_by_name = true)"
        con.execute(f"""INSERT INTO candidate_mentions SELECT CAST(aid AS INTEGER), name, type, surface,
            CAST(cnt AS INTEGER) FROM {src} ORDER BY aid""")
        con.execute(f"""INSERT INTO candidate_examples SELECT name, type, CAST(aid AS INTEGER), example
            FROM {src} WHERE example <> ''""")
    con.execute(f"""CREATE OR REPLACE TABLE candidates AS
        WITH tot AS (SELECT name, CAST(SUM(cnt) AS BIGINT) AS mentions, CAST(COUNT(DISTINCT aid) AS BIGINT) AS articles
                     FROM candidate_mentions GROUP BY name HAVING COUNT(DISTINCT aid) >= {CANDIDATE_MIN_ARTICLES}),
             typ AS (SELECT name, arg_max(type, m) AS type FROM
                       (SELECT name, type, SUM(cnt) AS m FROM candidate_mentions GROUP BY name, type) GROUP BY name),
             lab AS (SELECT name, arg_max(surface, m) AS label FROM
                       (SELECT name, surface, SUM(cnt) AS m FROM candidate_mentions GROUP BY name, surface) GROUP BY name),
             ex AS (SELECT name, min_by(example, aid) AS example FROM candidate_examples GROUP BY name)
        SELECT tot.name, typ.type, lab.label, tot.mentions, tot.articles, COALESCE(ex.example, '') AS example
        FROM tot JOIN typ USING (name) JOIN lab USING (name) LEFT JOIN ex USING (name)
        ORDER BY tot.articles DESC, tot.mentions DESC, tot.name""")


def part_groups(parts: Path, table: str, step: int = ARTICLE_BUCKET) -> list[str]:
    """The count pass's parts of ``table`` (``part-<first aid>.parquet``, each a run of consecutive
    aids) in groups of about ``step`` aids, as ``read_parquet`` sources in aid order: a table
    written group by group, each group sorted on its own, is sorted whole."""
    files = sorted((Path(parts) / table).glob("part-*.parquet"))
    groups, cur, start = [], [], None
    for f in files:
        try:
            first = int(f.stem.split("-", 1)[1])
        except ValueError:     # not named by its first aid: one group, one sort
            return [f"read_parquet('{glob(parts, table)}', union_by_name = true)"]
        if cur and first - start >= step:
            groups.append(cur)
            cur = []
        if not cur:
            start = first
        cur.append(f)
    if cur:
        groups.append(cur)
    return ["read_parquet([" + ", ".join(f"'{f}'" for f in g) + "], union_by_name = true)" for g in groups]


def insert_parts_in_order(con, target: str, parts: Path, table: str, select: str, create: bool = False) -> None:
    """``INSERT INTO target`` ``select`` (which reads ``{src}`` and ends with its ORDER BY), one
    :func:`part_groups` group at a time; ``create`` makes ``target`` from the first group."""
    groups = part_groups(parts, table)
    if not groups:
        groups = [f"read_parquet('{glob(parts, table)}', union_by_name = true)"]
    for i, src in enumerate(groups):
        sql = select.format(src=src)
        con.execute(f"CREATE OR REPLACE TABLE {target} AS {sql}" if create and i == 0 else f"INSERT INTO {target} {sql}")


def write_report(con, problems: pd.DataFrame, append: bool = False) -> None:
    """The ingestion report (file, row, reason, detail): made anew, or appended to."""
    rep = problems.copy()
    rep["row"] = pd.array(rep["row"], dtype="Int64")
    con.register("rep_df", rep)
    sel = ("SELECT CAST(file AS VARCHAR) AS file, CAST(row AS BIGINT) AS row, CAST(reason AS VARCHAR) AS reason, "
           "CAST(detail AS VARCHAR) AS detail FROM rep_df")
    con.execute(f"INSERT INTO report {sel}" if append else f"CREATE OR REPLACE TABLE report AS {sel}")
    con.unregister("rep_df")


def _label_tables(con, parts: Path) -> None:
    """Temp tables ``lab`` (every counted term as written) and ``frm`` (unigrams, whole words), summed."""
    for name, table in (("lab", "labels"), ("frm", "forms")):
        con.execute(f"""CREATE OR REPLACE TEMP TABLE {name} AS
            SELECT key, surface, SUM(cnt)::BIGINT AS c FROM read_parquet('{glob(parts, table)}') GROUP BY key, surface""")


# -- vocabulary, labels, terms ----------------------------------------------------------------------

def _vocab_and_terms(con, parts: Path) -> None:
    """``vocab`` and ``terms``.  Each group of parts is written sorted by (n, aid, tid), so that the row groups
    hold one n each: a view reads one n, and the others' row groups are skipped by their zone maps, where
    sorted by aid every row group held all three (at 100k the outlet x term counts under a word query
    61 -> 44 ms, under a two-word phrase 84 -> 57)."""
    terms = glob(parts, "terms")
    # term ids in first-seen order: by first article, then the article's own term order
    con.execute(f"""CREATE OR REPLACE TEMP TABLE tv AS
        SELECT (row_number() OVER (ORDER BY first) - 1)::INTEGER AS tid, n, key, total, df FROM (
            SELECT CAST(n AS TINYINT) AS n, key, SUM(cnt)::BIGINT AS total, COUNT(*)::BIGINT AS df,
                   MIN(aid::BIGINT * 4294967296 + ord) AS first
            FROM read_parquet('{terms}') GROUP BY n, key)""")
    _label_tables(con, parts)
    con.execute(_VOCAB_SQL.format(target="vocab"))
    con.execute("DROP TABLE lab")
    con.execute("DROP TABLE frm")
    insert_parts_in_order(con, "terms", parts, "terms", """
        SELECT CAST(t.aid AS INTEGER) AS aid, v.tid, v.n, CAST(t.cnt AS INTEGER) AS cnt
        FROM {src} t JOIN tv v ON v.n = CAST(t.n AS TINYINT) AND v.key = t.key
        ORDER BY n, aid, tid""", create=True)
    con.execute("DROP TABLE tv")


# label: the most frequent clean form (ties: alphabetical); forms: the 12 most frequent as JSON
_VOCAB_SQL = """
CREATE OR REPLACE TABLE {target} AS
WITH lr AS (SELECT key, surface, c, row_number() OVER (PARTITION BY key ORDER BY c DESC, surface) AS r FROM lab),
     fr AS (SELECT key, surface, c, row_number() OVER (PARTITION BY key ORDER BY c DESC, surface) AS r FROM frm),
     lj AS (SELECT key, '[' || string_agg('[' || to_json(surface) || ', ' || c || ']', ', ' ORDER BY r) || ']' AS forms
            FROM lr WHERE r <= 12 GROUP BY key),
     fj AS (SELECT key, '[' || string_agg('[' || to_json(surface) || ', ' || c || ']', ', ' ORDER BY r) || ']' AS forms
            FROM fr WHERE r <= 12 GROUP BY key)
SELECT v.tid, v.n, v.key, COALESCE(l1.surface, v.key) AS label,
       COALESCE(CASE WHEN v.n = 1 THEN fj.forms ELSE lj.forms END, '[]') AS forms, v.total, v.df
FROM tv v
LEFT JOIN (SELECT key, surface FROM lr WHERE r = 1) l1 ON l1.key = v.key
LEFT JOIN lj ON lj.key = v.key AND v.n > 1
LEFT JOIN fj ON fj.key = v.key AND v.n = 1
ORDER BY v.tid
"""


def append_vocab_and_terms(con, parts: Path) -> None:
    """Appending: the new articles' terms join the vocabulary (new keys get new ids after the
    existing ones, in first-seen order; existing keys keep their id and label, their totals grow)."""
    terms = glob(parts, "terms")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE nt AS
        SELECT CAST(n AS TINYINT) AS n, key, SUM(cnt)::BIGINT AS total, COUNT(*)::BIGINT AS df,
               MIN(aid::BIGINT * 4294967296 + ord) AS first
        FROM read_parquet('{terms}') GROUP BY 1, 2""")
    con.execute("UPDATE vocab SET total = vocab.total + nt.total, df = vocab.df + nt.df FROM nt "
                "WHERE vocab.n = nt.n AND vocab.key = nt.key")
    base = con.execute("SELECT COALESCE(MAX(tid) + 1, 0) FROM vocab").fetchall()[0][0]
    con.execute(f"""CREATE OR REPLACE TEMP TABLE tv AS
        SELECT ({int(base)} + row_number() OVER (ORDER BY first) - 1)::INTEGER AS tid, n, key, total, df
        FROM nt ANTI JOIN vocab USING (n, key)""")
    _label_tables(con, parts)
    con.execute(_VOCAB_SQL.format(target="vocab_new"))
    con.execute("INSERT INTO vocab SELECT * FROM vocab_new")
    for t in ("vocab_new", "lab", "frm", "tv", "nt"):
        con.execute(f"DROP TABLE {t}")
    insert_parts_in_order(con, "terms", parts, "terms", """
        SELECT CAST(t.aid AS INTEGER) AS aid, v.tid, v.n, CAST(t.cnt AS INTEGER) AS cnt
        FROM {src} t JOIN vocab v ON v.n = CAST(t.n AS TINYINT) AND v.key = t.key
        ORDER BY n, aid, tid""")


def write_vocab_keys(con, first_tid: int | None = None) -> None:
    """``vocab_keys (key, n, tid)``: the vocabulary sorted by key, the index from a key to its term id.
    ``vocab`` is stored in term-id order, so finding a key there tests every row (61 ms for 2.1M keys
    at 100k articles); here the zone maps leave one row group to read (2 ms).  Appending
    (``first_tid``: the first new id) adds the new keys after the old ones, sorted among themselves
    (the old row groups keep their narrow key ranges; lookups stay exact either way)."""
    if first_tid is None:
        con.execute("CREATE OR REPLACE TABLE vocab_keys AS SELECT key, n, tid FROM vocab ORDER BY key, n")
        return
    con.execute("CREATE TABLE IF NOT EXISTS vocab_keys AS SELECT key, n, tid FROM vocab WHERE FALSE")
    con.execute(f"INSERT INTO vocab_keys SELECT key, n, tid FROM vocab WHERE tid >= {int(first_tid)} ORDER BY key, n")


#: Term-id buckets of the postings table (each sorted alone, so memory holds one bucket).
POSTING_BUCKETS = 64


def build_postings(con, scratch: Path, buckets: int = POSTING_BUCKETS) -> None:
    """``postings (tid, aid)``: the terms table sorted by term id, the index from a key to its
    articles (a text query or a concordance reads a few zone-mapped row groups, not every term row).
    Written in ``buckets`` ranges of term ids, each sorted on its own."""
    con.execute("CREATE OR REPLACE TABLE postings (tid INTEGER, aid INTEGER)")
    ntid = con.execute("SELECT COALESCE(MAX(tid) + 1, 0) FROM vocab").fetchall()[0][0]
    if not ntid:
        return
    width = max(1, -(-int(ntid) // buckets))
    out = Path(scratch) / "postings_by_tid"
    shutil.rmtree(out, ignore_errors=True)
    con.execute(f"COPY (SELECT tid // {width} AS bucket, tid, aid FROM terms) TO '{out}' "
                "(FORMAT parquet, PARTITION_BY (bucket))")
    found = sorted(out.glob("bucket=*"), key=lambda d: int(d.name.split("=", 1)[1])) if out.exists() else []
    for d in found:
        con.execute(f"INSERT INTO postings SELECT tid, aid FROM read_parquet('{d}/*.parquet', "
                    "hive_partitioning = false) ORDER BY tid, aid")
    shutil.rmtree(out, ignore_errors=True)


def append_postings(con, first_aid: int) -> None:
    """Appending: the new articles' postings go after the old ones (sorted among themselves)."""
    con.execute(f"INSERT INTO postings SELECT tid, aid FROM terms WHERE aid >= {int(first_aid)} ORDER BY tid, aid")


def append_outlet_terms(con, first_aid: int) -> None:
    """Add the per-outlet totals of the articles from ``first_aid`` on (not a full regrouping)."""
    con.execute(f"""CREATE OR REPLACE TABLE outlet_terms AS
        SELECT outlet, n, tid, CAST(SUM(count) AS BIGINT) AS count, CAST(SUM(articles) AS BIGINT) AS articles FROM (
            SELECT * FROM outlet_terms
            UNION ALL
            SELECT a.outlet, t.n, t.tid, SUM(t.cnt) AS count, COUNT(*) AS articles
            FROM terms t JOIN articles a USING (aid) WHERE t.aid >= {int(first_aid)} GROUP BY a.outlet, t.n, t.tid)
        GROUP BY outlet, n, tid ORDER BY outlet, n, count DESC""")


def build_outlet_terms(con) -> None:
    """Per-outlet term totals: a filter on outlets alone (the common case) reads these, not ``terms``."""
    con.execute(
        "CREATE OR REPLACE TABLE outlet_terms AS SELECT a.outlet, t.n, t.tid, CAST(SUM(t.cnt) AS BIGINT) AS count, "
        "CAST(COUNT(*) AS BIGINT) AS articles FROM terms t JOIN articles a USING (aid) GROUP BY a.outlet, t.n, t.tid "
        "ORDER BY a.outlet, t.n, count DESC"
    )


# -- quotes and statements ----------------------------------------------------------------------------

def write_quotes(con, parts: Path, enabled: bool = True) -> None:
    if enabled and has_parts(parts, "quotes"):
        insert_parts_in_order(con, "quotes", parts, "quotes", """
            SELECT CAST(aid AS INTEGER) AS aid, CAST(quote_id AS VARCHAR) AS quote_id, CAST(speaker AS VARCHAR) AS speaker,
                   CAST(text AS VARCHAR) AS text, CAST(cue AS VARCHAR) AS cue, CAST(how AS VARCHAR) AS how,
                   CAST(start_ AS INTEGER) AS start_, CAST(end_ AS INTEGER) AS end_,
                   CAST(speaker_title AS VARCHAR) AS speaker_title
            FROM {src}
            ORDER BY aid, CAST(quote_id AS INTEGER)""", create=True)
    else:
        con.execute("CREATE OR REPLACE TABLE quotes (aid INTEGER, quote_id VARCHAR, speaker VARCHAR, text VARCHAR, "
                    "cue VARCHAR, how VARCHAR, start_ INTEGER, end_ INTEGER, speaker_title VARCHAR)")


def statement_blocks(con, block: int | None = None) -> list[tuple]:
    """Date ranges ``(first, last)`` holding about ``block`` quotes each (whole days); the first
    block also takes the undated quotes.  One block ``(None, None)`` when the corpus is small."""
    block = block or STATEMENT_BLOCK
    total = con.execute("SELECT COUNT(*) FROM quotes").fetchall()[0][0]
    if total <= block:
        return [(None, None)]
    days = con.execute("SELECT a.date, COUNT(*) FROM quotes q JOIN articles a USING (aid) WHERE a.date IS NOT NULL "
                       "GROUP BY a.date ORDER BY a.date").fetchall()
    return day_blocks(days, block) or [(None, None)]


def day_blocks(days: list[tuple], block: int) -> list[tuple]:
    """``(first, last)`` runs of whole days from ``(day, count)`` rows in day order, each closed
    once it holds ``block`` or more.

    >>> day_blocks([(1, 2), (2, 2), (3, 1)], 3)
    [(1, 2), (3, 3)]
    """
    out, start, acc = [], None, 0
    for d, c in days:
        start = start or d
        acc += c
        if acc >= block:
            out.append((start, d))
            start, acc = None, 0
    if start is not None:
        out.append((start, days[-1][0]))
    return out


def _squeeze(con, to: str = "400MB") -> str | None:
    """Lower DuckDB's memory limit to ``to`` while worker processes hold the memory, so that its
    buffers of the earlier stages are given back; returns the limit to restore (None for an in-memory
    database, whose tables cannot leave memory)."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    if not path or not path[0][0]:
        return None
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    con.execute(f"SET memory_limit = '{to}'")
    return limit


def _cluster_block(q: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One block's statements and its quotes' wordings ``(aid, quote_id, words)`` (a worker's task)."""
    from core.extract.quotes import cluster_statements, wordings

    if not len(q):
        return pd.DataFrame(), pd.DataFrame()
    words = wordings(q["text"].tolist())
    return (cluster_statements(q, words=words),
            pd.DataFrame({"aid": q["aid"].to_numpy(), "quote_id": q["quote_id"].to_numpy(), "words": words}))


QUOTE_WORDS_DDL = "CREATE OR REPLACE TABLE quote_words (aid INTEGER, quote_id VARCHAR, words VARCHAR)"


def insert_quote_words(con, words: pd.DataFrame) -> None:
    """Append rows ``(aid, quote_id, words)`` to ``quote_words``."""
    if words.empty:
        return
    con.register("qw_df", words)
    con.execute("INSERT INTO quote_words SELECT CAST(aid AS INTEGER), CAST(quote_id AS VARCHAR), "
                "CAST(words AS VARCHAR) FROM qw_df")
    con.unregister("qw_df")


def build_statements(con, workers: int = 1) -> None:
    """The same statement across outlets (``quotes.cluster_statements``), clustered per block of
    days, the blocks on ``workers`` processes (at most ``workers`` blocks in flight, taken in order,
    so the statement ids are those of a one-process run)."""
    from core.index.build import make_pool, ordered_map

    blocks = statement_blocks(con)
    con.execute(QUOTE_WORDS_DDL)

    def block_quotes():
        for i, (lo, hi) in enumerate(blocks):
            if lo is None:
                where, params = "TRUE", {}
            else:
                where = "(a.date BETWEEN $lo AND $hi)" + (" OR a.date IS NULL" if i == 0 else "")
                params = {"lo": lo, "hi": hi}
            q = con.execute(f"SELECT q.aid, a.outlet, a.date, q.quote_id, q.speaker, q.text FROM quotes q JOIN articles a "
                            f"USING (aid) WHERE {where} ORDER BY q.aid, CAST(q.quote_id AS INTEGER)", params).df()
            q["quote_id"] = q["quote_id"].astype(int)
            yield q

    pool = make_pool(min(workers, len(blocks))) if len(blocks) > 1 else None
    frames, offset = [], 0
    limit = _squeeze(con) if pool is not None else None   # the workers need the memory now
    try:
        for st, words in ordered_map(pool, _cluster_block, block_quotes(), inflight=max(1, min(workers, len(blocks)))):
            insert_quote_words(con, words)
            if st.empty:
                continue
            st["statement_id"] += offset
            offset = int(st["statement_id"].max()) + 1
            frames.append(st)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        if limit:
            con.execute(f"SET memory_limit = '{limit}'")
    st = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    st = pd.DataFrame({
        "statement_id": pd.array(st.get("statement_id", []), dtype="int64"),
        "aid": pd.array(st.get("aid", []), dtype="int64"),
        "quote_id": pd.Series(st.get("quote_id", []), dtype="str"),
        "speaker": pd.Series(st.get("speaker", []), dtype="object"),
    })
    con.register("st_df", st)
    con.execute("CREATE OR REPLACE TABLE statements AS SELECT CAST(statement_id AS INTEGER) AS statement_id, "
                "CAST(aid AS INTEGER) AS aid, CAST(quote_id AS VARCHAR) AS quote_id, "
                "CAST(speaker AS VARCHAR) AS speaker FROM st_df")
    con.unregister("st_df")


#: An append matches its new quotes against the stored quotes of their days (± 3) at once up to this
#: many of them; beyond (a year of news added to 1M touches nearly every day: 4.1M stored quotes, 6.7 GB),
#: in blocks of whole days holding about this many each, one after the other.
APPEND_QUOTES_AT_ONCE = 1_000_000


def start_statements(con, first: int, days: int = 3, at_once: int | None = None):
    """Appending: the new quotes join the statements of the stored quotes of their days (± ``days``) or
    cluster anew (``quotes.join_statements``); the stored statements stay as they are.  This reads those
    quotes and starts matching them on a thread of their own; :func:`finish_statements` waits for the
    result and writes it (None: nothing to match).

    Only the days that hold a new quote (± ``days``) are read, not the span from the first to the
    last (1,000 articles spread over six years read every stored quote), and only the pairs that
    hold a new quote are scored: 14 → 6 s for 1,000 articles appended across the 30k ANT.  The stored
    quotes' normalised words are read from ``quote_words``, not made again.  The matching is Python on
    data already read, so the append finds its shared passages meanwhile (DuckDB and the worker pool,
    which leave the interpreter free).

    When those days hold more than ``at_once`` (:data:`APPEND_QUOTES_AT_ONCE`) quotes, the new quotes
    are matched block by block of days (each with the stored quotes of its days ± ``days``; the undated
    new quotes with the first block), here and now, so that memory stays bounded; a trigram's count of
    quotes is then taken over its block, as the build's own blocks do."""
    from concurrent.futures import Future, ThreadPoolExecutor

    from core.extract.quotes import join_statements

    if con.execute(f"SELECT COUNT(*) FROM quotes WHERE aid >= {int(first)}").fetchall()[0][0] == 0:
        return None
    at_once = at_once or APPEND_QUOTES_AT_ONCE
    if "quote_words" not in {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}:
        con.execute(QUOTE_WORDS_DDL)   # an index built before the wordings were stored: the new ones are kept from now on
    # the days read: a new quote's day ± days
    con.execute(f"""CREATE OR REPLACE TEMP TABLE st_read AS SELECT DISTINCT a.date + CAST(k AS INTEGER) AS day
        FROM (SELECT DISTINCT a.date FROM quotes q JOIN articles a USING (aid)
              WHERE q.aid >= {int(first)} AND a.date IS NOT NULL) a, range(-{int(days)}, {int(days) + 1}) r(k)""")
    per_day = con.execute("""SELECT d.day, COUNT(q.aid) FROM st_read d LEFT JOIN articles a ON a.date = d.day
        LEFT JOIN quotes q USING (aid) GROUP BY d.day ORDER BY d.day""").fetchall()
    try:
        if sum(c for _d, c in per_day) <= at_once:
            q, new, words = _append_quotes(con, first, "a.date IN (SELECT day FROM st_read)", True)
            if q is None:
                return None
            pool = ThreadPoolExecutor(1, thread_name_prefix="statements")
            try:
                return pool.submit(join_statements, q, new, q["stored"].to_numpy(), q["stored_speaker"].tolist(),
                                   words=words)
            finally:
                pool.shutdown(wait=False)
        frames, offset = [], 0
        for i, (lo, hi) in enumerate(day_blocks(per_day, at_once)):
            # this block's new quotes: those of its days (the undated ones with the first block); the
            # stored ones: those of the days read within ± days of the block
            mine = f"a.date BETWEEN DATE '{lo}' AND DATE '{hi}'" + (" OR a.date IS NULL" if i == 0 else "")
            near = f"a.date BETWEEN DATE '{lo}' - {int(days)} AND DATE '{hi}' + {int(days)} AND a.date IN (SELECT day FROM st_read)"
            q, new, words = _append_quotes(con, first, near, mine)
            if q is None or not new.any():
                continue
            st = join_statements(q, new, q["stored"].to_numpy(), q["stored_speaker"].tolist(), words=words)
            ids = st["statement_id"].astype(int)
            st["statement_id"] = ids.where(ids >= 0, ids - offset)   # new clusters stay -1, -2, … across blocks
            offset += int(ids[ids < 0].nunique())
            frames.append(st)
        done: Future = Future()
        done.set_result(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())
        return done
    finally:
        con.execute("DROP TABLE IF EXISTS st_read")


def _append_quotes(con, first: int, days_sql: str, new_sql):
    """``(q, new, words)`` for :func:`start_statements`: the quotes of the days ``days_sql`` (a condition on
    ``a.date``) and the new quotes (``aid >= first``; with ``new_sql`` a condition, only those meeting it;
    True: all of them), in (aid, quote_id) order, each new one flagged; their wordings as an Arrow array,
    the new quotes' made here and stored.  ``(None, None, None)`` when there is none."""
    from core.extract.quotes import wordings

    is_new = f"q.aid >= {int(first)}" if new_sql is True else f"(q.aid >= {int(first)} AND ({new_sql}))"
    # a stored quote's text is read only when its wording is not stored (the wordings stay in Arrow)
    t = con.sql(f"""SELECT q.aid, a.outlet, a.date, CAST(q.quote_id AS INTEGER) AS quote_id, q.speaker,
               CASE WHEN w.words IS NULL THEN q.text END AS text,
               COALESCE(s.statement_id, -1) AS stored, s.stored_speaker, w.words
        FROM quotes q JOIN articles a USING (aid)
        LEFT JOIN (SELECT aid, quote_id, statement_id, FIRST(speaker) OVER (PARTITION BY statement_id) AS stored_speaker
                   FROM statements) s ON s.aid = q.aid AND s.quote_id = q.quote_id
        LEFT JOIN quote_words w ON w.aid = q.aid AND w.quote_id = q.quote_id
        WHERE {is_new} OR (q.aid < {int(first)} AND {days_sql})""").to_arrow_table()
    if t.num_rows == 0:
        return None, None, None
    # row order breaks ties (a new quote joins the statement of its first best match), and DuckDB's Arrow
    # export of an ordered query has been seen to hand back its sorted runs unmerged: sorted here
    t = t.sort_by([("aid", "ascending"), ("quote_id", "ascending")])
    words = t.column("words").combine_chunks()
    q = t.drop_columns(["words"]).to_pandas()
    del t
    new = (q["aid"] >= int(first)).to_numpy()
    # the new quotes' wordings are made here and stored; the stored quotes' are read, not made again
    # (normalising ~425k stored quotes was ~7 s of an append of 1,000 articles over six years to 100k)
    fresh = np.flatnonzero(new & words.is_null().to_numpy(zero_copy_only=False))
    if len(fresh):
        made = wordings(q["text"].iloc[fresh].tolist())
        insert_quote_words(con, pd.DataFrame({"aid": q["aid"].to_numpy()[fresh], "quote_id": q["quote_id"].to_numpy()[fresh],
                                              "words": made}))
        mask = np.zeros(len(q), dtype=bool)
        mask[fresh] = True
        words = pc.replace_with_mask(words, pa.array(mask), pa.array(made, type=words.type))
    return q, new, words


def finish_statements(con, started) -> None:
    """Wait for :func:`start_statements`' matching (its error, if any, is raised here) and insert the new
    statement rows after the stored ids."""
    if started is None:
        return
    st = started.result()
    if st.empty:
        return
    next_id = con.execute("SELECT COALESCE(MAX(statement_id) + 1, 0) FROM statements").fetchall()[0][0]
    ids = st["statement_id"].astype(int)
    st["statement_id"] = ids.where(ids >= 0, next_id - 1 - ids)   # new clusters -1, -2, … after the stored ids
    con.register("st_new", st)
    con.execute("INSERT INTO statements SELECT CAST(statement_id AS INTEGER), CAST(aid AS INTEGER), "
                "CAST(quote_id AS VARCHAR), CAST(speaker AS VARCHAR) FROM st_new")
    con.unregister("st_new")


# -- shared passages ----------------------------------------------------------------------------------

def store_shingles(con, parts: Path, append: bool = False) -> None:
    """Keep the articles' shingle hashes (``shingles``: aid, h; in aid order) so an append finds
    the passages its articles share with the stored ones without re-reading and re-shingling their
    texts (1,000 articles spread over the six years of a 100k index re-shingled all 100k: 32 s).
    About 260 distinct shingles an ANT article, 12 bytes each before compression."""
    if not has_parts(parts, "shingles"):
        if not append:
            con.execute("CREATE OR REPLACE TABLE shingles (aid INTEGER, h BIGINT)")
        return
    select = "SELECT CAST(aid AS INTEGER) AS aid, CAST(h AS BIGINT) AS h FROM {src} ORDER BY aid"
    if append:
        select = select.replace("ORDER BY", "WHERE aid >= (SELECT COALESCE(MAX(aid) + 1, 0) FROM shingles) ORDER BY")
    insert_parts_in_order(con, "shingles", parts, "shingles", select, create=not append)


def empty_reuse(con) -> None:
    con.execute("CREATE OR REPLACE TABLE reuse_pairs (a BIGINT, b BIGINT, outlet_a VARCHAR, outlet_b VARCHAR, "
                "date_a DATE, date_b DATE, shared BIGINT, containment_a DOUBLE, containment_b DOUBLE, containment DOUBLE, "
                "passages BIGINT, longest BIGINT, direction VARCHAR, source_outlet VARCHAR, target_outlet VARCHAR)")
    con.execute("CREATE OR REPLACE TABLE reuse_passages (a BIGINT, b BIGINT, passage_id BIGINT, text_a VARCHAR, "
                "text_b VARCHAR, start_a BIGINT, end_a BIGINT, start_b BIGINT, end_b BIGINT, words BIGINT)")


def reuse_candidates(con, parts: Path, *, max_df: int = REUSE_MAX_DF, min_shared: int = 3, threshold: float = 0.2,
                     min_words: int = 12, k: int = 7, window: int = REUSE_WINDOW_DAYS, min_b: int = 0) -> None:
    """``reuse_cand`` (a, b, shared, containment_a, containment_b, containment) and
    ``reuse_frequent`` (h): the exact inverted index of shingles, in SQL.

    A shingle held by 2..``max_df`` articles adds one to each cross-outlet pair holding it, for
    pairs dated within the same or the next ``window``-day bucket (or undated).  The rule is
    ``find_reuse``'s: at least ``min_shared`` shingles and either containment ≥ ``threshold`` or
    enough shingles for a ``min_words`` passage.
    """
    sh = glob(parts, "shingles")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE sh AS
        SELECT CAST(s.aid AS INTEGER) AS aid, s.h, o.oid,
               CASE WHEN a.date IS NULL THEN NULL ELSE CAST(floor((a.date - DATE '1970-01-01') / {int(window)}) AS INTEGER) END AS bucket
        FROM read_parquet('{sh}') s JOIN articles a ON a.aid = s.aid
        JOIN (SELECT outlet, CAST(row_number() OVER (ORDER BY outlet) AS SMALLINT) AS oid
              FROM (SELECT DISTINCT outlet FROM articles)) o ON o.outlet = a.outlet""")
    con.execute("CREATE OR REPLACE TEMP TABLE sh_df AS SELECT h, COUNT(*) AS df FROM sh GROUP BY h")
    con.execute(f"CREATE OR REPLACE TABLE reuse_frequent AS SELECT h FROM sh_df WHERE df > {int(max_df)}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE shc AS SELECT sh.* FROM sh JOIN sh_df USING (h) "
                f"WHERE df BETWEEN 2 AND {int(max_df)}")
    con.execute("DROP TABLE sh")
    con.execute("DROP TABLE sh_df")
    need_len = min_words - k + 1
    # An append (min_b > 0) keeps only the pairs holding a new article (aid >= min_b), so only the hits
    # holding one are made: with x.aid < y.aid that is y new; across neighbouring buckets, y new or x new
    # and y old. The same counts for every pair kept; 1,000 articles over six years added to 100k: the
    # self-join of the window's 26M shingles made every old pair's hits only to drop them (~7 s).
    new = f"(SELECT * FROM shc WHERE aid >= {int(min_b)})" if min_b else "shc"
    across_new_x = (f"""
            UNION ALL
            SELECT x.aid, y.aid FROM {new} x JOIN shc y
              ON x.h = y.h AND y.bucket = x.bucket + 1 AND x.oid <> y.oid AND y.aid < {int(min_b)}""" if min_b else "")
    con.execute(f"""CREATE OR REPLACE TABLE reuse_cand AS
        WITH hits AS (
            SELECT x.aid AS a, y.aid AS b FROM shc x JOIN {new} y
              ON x.h = y.h AND x.bucket = y.bucket AND x.aid < y.aid AND x.oid <> y.oid
            UNION ALL
            SELECT x.aid, y.aid FROM shc x JOIN {new} y
              ON x.h = y.h AND y.bucket = x.bucket + 1 AND x.oid <> y.oid{across_new_x}
            UNION ALL
            SELECT x.aid, y.aid FROM shc x JOIN {new} y
              ON x.h = y.h AND x.aid < y.aid AND x.oid <> y.oid AND (x.bucket IS NULL OR y.bucket IS NULL)),
        c AS (SELECT least(a, b) AS a, greatest(a, b) AS b, COUNT(*) AS shared FROM hits GROUP BY 1, 2
              HAVING COUNT(*) >= {int(min_shared)})
        SELECT c.a, c.b, c.shared, c.shared / greatest(ka.shingles, 1) AS containment_a,
               c.shared / greatest(kb.shingles, 1) AS containment_b,
               greatest(c.shared / greatest(ka.shingles, 1), c.shared / greatest(kb.shingles, 1)) AS containment
        FROM c JOIN article_keys ka ON ka.aid = c.a JOIN article_keys kb ON kb.aid = c.b
        WHERE (greatest(c.shared / greatest(ka.shingles, 1), c.shared / greatest(kb.shingles, 1)) >= {float(threshold)}
               OR c.shared >= {int(need_len)}) AND c.b >= {int(min_b)}
        ORDER BY c.a, c.b""")
    con.execute("DROP TABLE shc")


_FREQUENT: np.ndarray = np.empty(0, np.uint64)


def _frequent() -> np.ndarray:
    from core.index.build import _STATE

    return _STATE.get("frequent", _FREQUENT)


def _align_chunk(task):
    """Worker: align a chunk of candidate pairs (texts shipped with the task)."""
    from core.extract.passages import align_pair, text_shingles

    pairs, arts, k = task
    cache = {}

    def side(aid):
        if aid not in cache:
            outlet, date, text = arts[aid]
            cache[aid] = (aid, outlet, date, text, text_shingles(text, k))
        return cache[aid]

    out = []
    for a, b, s, ca, cb, cm in pairs:
        got = align_pair(side(a), side(b), s, ca, cb, cm, _frequent(), k)
        if got is not None:
            out.append(got)
    return out


def build_reuse(con, parts: Path, workers: int = 1, progress: Progress | None = None, k: int = 7,
                chunk: int = 400, append_from: int | None = None) -> None:
    """``reuse_pairs`` and ``reuse_passages`` (see :mod:`core.extract.passages`), streamed: candidate
    pairs from SQL, aligned in chunks by the worker pool."""
    global _FREQUENT
    from core.extract.passages import PASSAGE_COLUMNS, REUSE_PAIR_COLUMNS

    if append_from is None:
        empty_reuse(con)
    if not has_parts(parts, "shingles"):
        return
    reuse_candidates(con, parts, k=k, min_b=append_from or 0)
    _FREQUENT = np.sort(con.execute("SELECT h FROM reuse_frequent").fetchnumpy()["h"].astype(np.int64).view(np.uint64))
    total = con.execute("SELECT COUNT(*) FROM reuse_cand").fetchall()[0][0]
    if not total:
        con.execute("DROP TABLE reuse_cand")
        return

    cand = con.execute("SELECT a, b, shared, containment_a, containment_b, containment FROM reuse_cand "
                       "ORDER BY a, b").fetchall()
    con.execute("DROP TABLE reuse_cand")

    def tasks():
        for i in range(0, len(cand), chunk):
            rows = cand[i:i + chunk]
            ids = sorted({r[0] for r in rows} | {r[1] for r in rows})
            arts = {aid: (o, d, t) for aid, o, d, t in con.execute(
                "SELECT aid, outlet, date, text FROM articles WHERE aid IN (SELECT UNNEST($ids))",
                {"ids": ids}).fetchall()}
            yield [tuple(r) for r in rows], arts, k

    from core.index.build import make_pool, ordered_map

    pool = make_pool(workers, {"frequent": _FREQUENT})
    pid = con.execute("SELECT COALESCE(MAX(passage_id) + 1, 0) FROM reuse_passages").fetchall()[0][0]
    done = 0
    pair_rows, passage_rows = [], []
    for result in ordered_map(pool, _align_chunk, tasks()):
        for pair, rows in result:
            pair_rows.append(pair)
            for row in rows:
                passage_rows.append(row[:2] + (pid,) + row[2:])
                pid += 1
        done += chunk
        if progress:
            progress(0.90 + 0.07 * min(done, total) / total, f"passages {min(done, total)}/{total}")
    if pool is not None:
        pool.close()
        pool.join()
    pairs = pd.DataFrame(pair_rows, columns=REUSE_PAIR_COLUMNS)
    passages = pd.DataFrame(passage_rows, columns=PASSAGE_COLUMNS)
    if not pairs.empty:
        pairs["date_a"] = pd.to_datetime(pairs["date_a"])
        pairs["date_b"] = pd.to_datetime(pairs["date_b"])
        pairs = pairs.sort_values(["containment", "shared", "a", "b"], ascending=[False, False, True, True])
    con.register("p_df", pairs)
    con.execute("INSERT INTO reuse_pairs SELECT a, b, outlet_a, outlet_b, CAST(date_a AS DATE), CAST(date_b AS DATE), "
                "shared, containment_a, containment_b, containment, passages, longest, direction, source_outlet, "
                "target_outlet FROM p_df")
    con.unregister("p_df")
    con.register("s_df", passages)
    con.execute("INSERT INTO reuse_passages SELECT * FROM s_df")
    con.unregister("s_df")


# -- stories ------------------------------------------------------------------------------------------

#: Stories are found in blocks of about this many dated articles (whole days), each block read with
#: the ``window`` days before it, so a story across a block boundary is still found.
STORY_BLOCK = 100_000


def story_blocks(con, window: int, block: int = STORY_BLOCK) -> list[tuple]:
    """Date ranges ``(first, last)`` of about ``block`` dated articles each (whole days)."""
    days = con.execute("SELECT date, COUNT(*) FROM articles WHERE date IS NOT NULL GROUP BY date ORDER BY date").fetchall()
    return day_blocks(days, block)


STORY_PAIRS_DDL = "CREATE OR REPLACE TABLE story_pairs (a INTEGER, b INTEGER, shared INTEGER, sim DOUBLE)"


def build_stories(con, keep_leads: bool = False, first: int | None = None) -> None:
    """The ``stories`` table (story_id, aid): articles of several outlets reporting the same event
    (see :mod:`core.analysis.stories`), from every dated article's title and lead; a story's id is the
    aid of its first article, so it stays the same across appends that do not change the story's first
    article.  The scored pairs (after the place check) are kept in ``story_pairs``.

    Each article's lead keys are kept in ``story_leads`` (aid, pos, key, boost). ``keep_leads`` (an
    append) reuses the stored keys of the old articles: an append groups new words with the
    index's grouping and never regroups an old word, so an old lead's keys do not change, and
    finding them (tokenising 100k leads) was two thirds of the regrouping's time.

    ``first`` (an append: its first aid, with ``story_pairs`` stored) rescores only the pairs that can
    change.  An article's key weights count the leads of its day ± ``STATS_DAYS``, so only the articles
    dated within that of a new article (the *touched* ones) weigh their keys anew, and only the pairs
    holding one of them can score otherwise; they are scored again from the days that can reach them
    (a new article's day ± ``WINDOW_DAYS + 2 * STATS_DAYS``), the other stored pairs stay, and every
    pair is clustered again (cheap: pairs, not texts), which gives the stories a whole regrouping gives
    (tested).  A day of news added to 100k rescored 3 days instead of 1,765."""
    from core.analysis import stories as S

    have = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    if not keep_leads or "story_leads" not in have:
        con.execute("CREATE OR REPLACE TABLE story_leads (aid INTEGER, pos SMALLINT, key VARCHAR, boost DOUBLE)")
    w, sd = S.WINDOW_DAYS, S.STATS_DAYS
    partial = first is not None and "story_pairs" in have and "story_leads" in have
    if not partial:
        con.execute(STORY_PAIRS_DDL)
    if "token_map" not in have:
        con.execute("CREATE OR REPLACE TABLE stories (story_id INTEGER, aid INTEGER)")
        return
    if partial:
        # the new articles' days; the touched articles (dated within sd days of one); the days read
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _st_new AS SELECT DISTINCT date AS day FROM articles
                        WHERE aid >= {int(first)} AND date IS NOT NULL""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _st_touched AS SELECT aid FROM articles WHERE date IN (
                        SELECT DISTINCT day + CAST(k AS INTEGER) FROM _st_new, range(-{sd}, {sd + 1}) r(k))""")
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _st_days AS SELECT DISTINCT day + CAST(k AS INTEGER) AS day
                        FROM _st_new, range(-{w + 2 * sd}, {w + 2 * sd + 1}) r(k)""")
        in_scope = " AND a.date IN (SELECT day FROM _st_days)"
        touching = "a IN (SELECT aid FROM _st_touched) OR b IN (SELECT aid FROM _st_touched)"
    else:
        in_scope = ""
    keymap = dict(con.execute("SELECT norm, key FROM token_map").fetchall())
    chars = S.LEAD_WORDS * 14
    frames = []
    for lo, hi in story_blocks(con, w):
        # pairs among the articles of [lo - w, hi] (the w days before: a story across the block boundary);
        # their key statistics count the articles of the sd days on either side, so the block reads
        # [lo - w - sd, hi + sd] and every pair is scored exactly as in a single pass
        first_day, last_day = f"DATE '{lo}' - {w + sd}", f"DATE '{hi}' + {sd}"
        in_block = f"a.date BETWEEN {first_day} AND {last_day}{in_scope}"
        # the text only of the articles whose lead keys are not stored yet
        arts = con.execute(f"""SELECT a.aid, a.outlet, a.date, CASE WHEN s.aid IS NULL THEN a.title END AS title,
                CASE WHEN s.aid IS NULL THEN substr(a.text, 1, {chars}) END AS text, s.aid IS NOT NULL AS stored
            FROM articles a LEFT JOIN (SELECT DISTINCT aid FROM story_leads) s USING (aid)
            WHERE {in_block} ORDER BY a.aid""").df()
        if arts.empty:
            continue
        stored = arts["stored"].astype(bool)
        fresh = S.postings(arts[~stored], keymap)
        if len(fresh):
            fresh["pos"] = fresh.groupby("aid").cumcount()
            con.register("leads_df", fresh)
            con.execute("INSERT INTO story_leads SELECT CAST(aid AS INTEGER), CAST(pos AS SMALLINT), key, boost FROM leads_df")
            con.unregister("leads_df")
        arts = arts.drop(columns=["stored", "title", "text"])
        places = con.execute(f"""SELECT m.aid, m.entity, m.cnt FROM mentions m JOIN articles a USING (aid)
            WHERE m.type = 'place' AND {in_block}""").df() if "mentions" in have else None
        # the block's leads are scored where they are stored (3.4M keys at 100k: no copy into pandas and back)
        pairs = S.scored_pairs(con, f"(SELECT aid, outlet, date FROM articles a WHERE {in_block})",
                               f"(SELECT l.aid, l.key, l.boost FROM story_leads l JOIN articles a USING (aid) WHERE {in_block})",
                               only=(pd.Timestamp(lo) - pd.Timedelta(days=w), pd.Timestamp(hi)))
        pairs = S.drop_place_conflicts(pairs, places, arts)
        if partial and len(pairs):
            con.register("pairs_df", pairs)
            pairs = con.execute(f"SELECT * FROM pairs_df WHERE {touching}").df()
            con.unregister("pairs_df")
        frames.append(pairs)
    pairs = pd.concat(frames, ignore_index=True).drop_duplicates(["a", "b"]) if frames else S.empty_pairs()
    if partial:
        con.execute(f"DELETE FROM story_pairs WHERE {touching}")
        for t in ("_st_new", "_st_touched", "_st_days"):
            con.execute(f"DROP TABLE {t}")
    con.register("pairs_df", pairs)
    con.execute("INSERT INTO story_pairs SELECT CAST(a AS INTEGER), CAST(b AS INTEGER), CAST(shared AS INTEGER), sim "
                "FROM pairs_df")
    con.unregister("pairs_df")
    # every pair, stored and new, clustered again (strongest first: the order of a single pass)
    pairs = con.execute("SELECT CAST(a AS BIGINT) AS a, CAST(b AS BIGINT) AS b, CAST(shared AS BIGINT) AS shared, sim "
                        "FROM story_pairs ORDER BY sim DESC, a, b").df()
    arts = con.execute("SELECT aid, date FROM articles WHERE aid IN (SELECT a FROM story_pairs UNION SELECT b FROM story_pairs)").df()
    st = S.cluster(pairs, arts)
    con.execute("CREATE OR REPLACE TABLE stories (story_id INTEGER, aid INTEGER)")
    if st.empty:
        return
    # a story's id is the aid of its first article: an append numbers its articles after the old ones,
    # so a story it does not touch keeps its id (and one it joins keeps it too)
    st["story_id"] = st.groupby("story_id")["aid"].transform("min")
    con.register("story_df", st)
    con.execute("INSERT INTO stories SELECT CAST(story_id AS INTEGER), CAST(aid AS INTEGER) FROM story_df "
                "ORDER BY story_id, aid")
    con.unregister("story_df")


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def dump_meta(**kw) -> dict:
    return {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in kw.items()}
