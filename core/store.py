"""The corpus store: one embedded DuckDB database built once at ingestion.

Layout (every per-article table is keyed by the integer ``aid``; articles are
numbered in (date, outlet) order so the per-article tables are stored in the
order filters select them):

``articles``  aid, id, outlet, outlet_en, date, title, url, category, words,
              outlet_source, date_source, source_file, source_row, text, text_original, removed
``vocab``     tid, n, key, label, forms (JSON list of [surface, count]), total, df
``terms``     aid, tid, n, cnt          (per-article unigram/bigram/trigram counts, by grouped key)
``mentions``  aid, entity, type, cnt    (gazetteer entity mentions)
``variants``  aid, grp, variant, cnt    (which spelling of each alias group the article wrote)
``token_map`` norm, key                 (the corpus's grouping decision, for search queries)
``quotes``    aid, quote_id, speaker, text, cue, how, start, end_
``reuse_pairs`` / ``reuse_passages``   cross-outlet shared passages
``report``    file, row, reason, detail (the ingestion report)
``meta``      key, value

A filter change only aggregates these tables; nothing is tokenised again.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Sequence

import duckdb
import pandas as pd

from core.filter import Filter, _parse_date
from core.model import UNKNOWN, Article, Problem

SCHEMA_VERSION = "1"
Progress = Callable[[float, str], None]


def _noop(_f: float, _msg: str) -> None:
    pass


class Corpus:
    """A read-mostly handle on a built corpus database.

    Build it from article files with :meth:`build` or open a built one with
    :meth:`open`. Analyses take a ``Corpus`` and a :class:`~core.filter.Filter`.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str = ":memory:", resources=None):
        self.con = con
        self.path = path
        self._resources = resources
        self._grouper = None
        self._matcher = None

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, read_only: bool = False) -> "Corpus":
        con = duckdb.connect(str(path), read_only=read_only)
        return cls(con, str(path))

    @classmethod
    def build(
        cls,
        sources: Sequence[str | Path] | str | Path,
        db_path: str | Path = ":memory:",
        metadata: str | Path | None = None,
        mapping: dict | None = None,
        resources=None,
        corrections: str | Path | None = None,
        progress: Progress | None = None,
        reuse: bool = True,
        quotes: bool = True,
    ) -> "Corpus":
        """Read article files and build the index (see the module docstring for the layout)."""
        from core.ingest import load

        progress = progress or _noop
        progress(0.0, "reading files")

        def ingest_progress(done, total, name):
            progress(0.25 * done / max(total, 1), f"reading {name}")

        result = load(sources, metadata=metadata, mapping=mapping, progress=ingest_progress)
        return cls.from_articles(
            result.articles, result.problems, db_path=db_path, resources=resources,
            corrections=corrections, progress=progress, reuse=reuse, quotes=quotes,
            sources=[str(s) for s in ([sources] if isinstance(sources, (str, Path)) else sources)],
        )

    @classmethod
    def from_articles(
        cls,
        articles: list[Article],
        problems: list[Problem] = (),
        db_path: str | Path = ":memory:",
        resources=None,
        corrections: str | Path | None = None,
        progress: Progress | None = None,
        reuse: bool = True,
        quotes: bool = True,
        sources: Iterable[str] = (),
    ) -> "Corpus":
        from core.resources import load_resources
        from core.textpipe import EntityMatcher, Grouper, Labeler, article_clauses, count_article

        progress = progress or _noop
        resources = resources or load_resources()
        if corrections:
            apply_corrections_to_articles(articles, load_corrections(corrections))

        if str(db_path) != ":memory:":
            Path(db_path).parent.mkdir(parents=True, exist_ok=True)
            tmp = Path(str(db_path) + ".building")
            for p in (tmp, Path(str(tmp) + ".wal")):
                if p.exists():
                    p.unlink()
            con = duckdb.connect(str(tmp))
        else:
            tmp = None
            con = duckdb.connect(":memory:")

        # Number articles in filter order: by date (undated last), then outlet.
        order = sorted(
            range(len(articles)),
            key=lambda i: (articles[i].date is None, articles[i].date or dt.date.min, articles[i].outlet, articles[i].id),
        )
        articles = [articles[i] for i in order]

        # Pass 1: the corpus vocabulary (normalised token frequencies) decides the grouping.
        norm_counts: Counter = Counter()
        total = len(articles)
        for i, art in enumerate(articles):
            for clause in article_clauses(art.text):
                norm_counts.update(norm for _surface, norm in clause)
            if i % 500 == 0:
                progress(0.25 + 0.15 * i / max(total, 1), f"vocabulary {i}/{total}")
        grouper = Grouper.build(norm_counts, resources)
        matcher = EntityMatcher(resources.gazetteer, grouper)
        labeler = Labeler()      # labels: the most frequent clean form of the grouped word
        word_forms = Labeler()   # merged forms of single words as written, clitics included

        # Pass 2: per-article counts.
        key_ids: dict[tuple[int, str], int] = {}
        t_aid, t_tid, t_cnt = [], [], []
        m_rows, v_rows, words = [], [], []
        for aid, art in enumerate(articles):
            counts = count_article(art.text, grouper, matcher, labeler, word_forms)
            words.append(counts.words)
            for (n, key), c in counts.terms.items():
                tid = key_ids.setdefault((n, key), len(key_ids))
                t_aid.append(aid)
                t_tid.append(tid)
                t_cnt.append(c)
            for ent, c in counts.mentions.items():
                m_rows.append((aid, ent, c))
            for (grp, variant), c in counts.variants.items():
                v_rows.append((aid, grp, variant, c))
            if aid % 200 == 0:
                progress(0.40 + 0.35 * aid / max(total, 1), f"counting {aid}/{total}")

        progress(0.75, "writing the index")
        etype = {e.name: e.type for e in resources.gazetteer}
        art_df = pd.DataFrame(
            {
                "aid": pd.array(range(total), dtype="int32"),
                "id": [a.id for a in articles],
                "outlet": [a.outlet or UNKNOWN for a in articles],
                "outlet_en": [a.outlet_en or "" for a in articles],
                "date": pd.to_datetime(pd.Series([a.date for a in articles], dtype="object")),
                "title": [a.title or "" for a in articles],
                "url": [a.url or "" for a in articles],
                "category": [a.category or "" for a in articles],
                "words": pd.array(words, dtype="int32"),
                "outlet_source": [a.outlet_source for a in articles],
                "date_source": [a.date_source for a in articles],
                "source_file": [a.source_file for a in articles],
                "source_row": pd.array([a.source_row for a in articles], dtype="Int32"),
                "text": [a.text for a in articles],
                "text_original": [a.text_original for a in articles],
                "removed": ["\n".join(a.removed) for a in articles],
            }
        )
        con.register("art_df", art_df)
        con.execute("CREATE TABLE articles AS SELECT aid, id, outlet, outlet_en, CAST(date AS DATE) AS date, title, url, "
                    "category, words, outlet_source, date_source, source_file, source_row, text, text_original, removed "
                    "FROM art_df ORDER BY aid")
        con.unregister("art_df")

        n_of = {tid: n for (n, _k), tid in key_ids.items()}
        terms_df = pd.DataFrame({"aid": pd.array(t_aid, dtype="int32"), "tid": pd.array(t_tid, dtype="int32"),
                                 "cnt": pd.array(t_cnt, dtype="int32")})
        terms_df["n"] = terms_df["tid"].map(n_of).astype("int8") if len(terms_df) else pd.Series([], dtype="int8")
        con.register("terms_df", terms_df)
        con.execute("CREATE TABLE terms AS SELECT aid, tid, CAST(n AS TINYINT) AS n, cnt FROM terms_df ORDER BY aid, tid")
        con.unregister("terms_df")

        vocab = pd.DataFrame(
            {
                "tid": pd.array(list(key_ids.values()), dtype="int32"),
                "n": pd.array([n for n, _ in key_ids], dtype="int8"),
                "key": [k for _, k in key_ids],
            }
        )
        vocab["label"] = [labeler.label(k) for k in vocab["key"]]
        vocab["forms"] = [json.dumps((word_forms if n == 1 else labeler).forms(k)[:12], ensure_ascii=False)
                          for n, k in zip(vocab["n"], vocab["key"])]
        con.register("vocab_df", vocab)
        con.execute(
            "CREATE TABLE vocab AS SELECT v.tid, CAST(v.n AS TINYINT) AS n, v.key, v.label, v.forms, "
            "COALESCE(s.total, 0) AS total, COALESCE(s.df, 0) AS df FROM vocab_df v LEFT JOIN "
            "(SELECT tid, SUM(cnt) AS total, COUNT(*) AS df FROM terms GROUP BY tid) s USING (tid) ORDER BY v.tid"
        )
        con.unregister("vocab_df")

        _build_outlet_terms(con)

        m_df = pd.DataFrame(m_rows, columns=["aid", "entity", "cnt"])
        m_df["type"] = m_df["entity"].map(etype).fillna("")
        con.register("m_df", m_df)
        con.execute("CREATE TABLE mentions AS SELECT CAST(aid AS INTEGER) AS aid, entity, type, CAST(cnt AS INTEGER) AS cnt "
                    "FROM m_df ORDER BY aid, entity")
        con.unregister("m_df")

        v_df = pd.DataFrame(v_rows, columns=["aid", "grp", "variant", "cnt"])
        con.register("v_df", v_df)
        con.execute("CREATE TABLE variants AS SELECT CAST(aid AS INTEGER) AS aid, grp, variant, CAST(cnt AS INTEGER) AS cnt "
                    "FROM v_df ORDER BY aid")
        con.unregister("v_df")

        tm = grouper.to_frame()
        con.register("tm_df", tm)
        con.execute("CREATE TABLE token_map AS SELECT norm, key FROM tm_df")
        con.unregister("tm_df")

        rep = pd.DataFrame([p.as_dict() for p in problems], columns=["file", "row", "reason", "detail"])
        rep["row"] = pd.array(rep["row"], dtype="Int64")
        con.register("rep_df", rep)
        con.execute("CREATE TABLE report AS SELECT file, CAST(row AS BIGINT) AS row, reason, detail FROM rep_df")
        con.unregister("rep_df")

        corpus = cls(con, str(db_path), resources)
        corpus._grouper, corpus._matcher = grouper, matcher
        if quotes:
            progress(0.80, "finding quotes")
            corpus._build_quotes()
        if reuse:
            progress(0.88, "finding shared passages")
            corpus._build_reuse()

        meta = {
            "schema": SCHEMA_VERSION,
            "resources": resources.fingerprint(),
            "built": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "sources": json.dumps(list(sources), ensure_ascii=False),
            "corrections": str(corrections or ""),
        }
        con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
        con.executemany("INSERT INTO meta VALUES (?, ?)", list(meta.items()))
        progress(0.97, "finishing")
        if tmp is not None:
            con.execute("CHECKPOINT")
            con.close()
            os.replace(tmp, db_path)
            corpus = cls.open(db_path)
            corpus._resources = resources
        progress(1.0, "done")
        return corpus

    # -- issue-4 tables ---------------------------------------------------------------------
    def _build_quotes(self) -> None:
        from core.analysis.quotes import quotes_frame, same_statements

        arts = self.con.execute("SELECT aid, outlet, date, text FROM articles ORDER BY aid").df()
        if len(arts):
            q = quotes_frame(arts, self.find_people)
        else:
            q = pd.DataFrame()
        # the same statement across outlets, clustered once over the whole corpus
        st_rows = same_statements(q) if len(q) else pd.DataFrame()
        st = pd.DataFrame({
            "statement_id": pd.array(st_rows.get("statement_id", []), dtype="int64"),
            "aid": pd.array(st_rows.get("aid", []), dtype="int64"),
            "quote_id": pd.Series(st_rows.get("quote_id", []), dtype="str"),
            "speaker": pd.Series(st_rows.get("speaker", []), dtype="object"),
        })
        self.con.register("st_df", st)
        self.con.execute("CREATE OR REPLACE TABLE statements AS SELECT CAST(statement_id AS INTEGER) AS statement_id, "
                         "CAST(aid AS INTEGER) AS aid, CAST(quote_id AS VARCHAR) AS quote_id, "
                         "CAST(speaker AS VARCHAR) AS speaker FROM st_df")
        self.con.unregister("st_df")
        cols = ["aid", "quote_id", "speaker", "text", "cue", "how", "start", "end"]
        for c in cols:
            if c not in q.columns:
                q[c] = pd.Series(dtype="object")
        q = q[cols].rename(columns={"end": "end_", "start": "start_"})
        self.con.register("q_df", q)
        self.con.execute("CREATE OR REPLACE TABLE quotes AS SELECT CAST(aid AS INTEGER) AS aid, CAST(quote_id AS VARCHAR) AS quote_id, "
                         "CAST(speaker AS VARCHAR) AS speaker, CAST(text AS VARCHAR) AS text, CAST(cue AS VARCHAR) AS cue, "
                         "CAST(how AS VARCHAR) AS how, CAST(start_ AS INTEGER) AS start_, CAST(end_ AS INTEGER) AS end_ FROM q_df")
        self.con.unregister("q_df")

    def _build_reuse(self) -> None:
        from core.analysis.reuse import PAIR_COLUMNS, PASSAGE_COLUMNS, find_reuse

        arts = self.con.execute("SELECT aid, outlet, date, text FROM articles ORDER BY aid").df()
        if len(arts) > 1:
            pairs, passages = find_reuse(arts)
        else:
            pairs, passages = pd.DataFrame(columns=PAIR_COLUMNS), pd.DataFrame(columns=PASSAGE_COLUMNS)
        if pairs.empty:  # typed empty tables, so queries on them still work
            pairs = pd.DataFrame({"a": pd.Series(dtype="int64"), "b": pd.Series(dtype="int64"),
                                  **{c: pd.Series(dtype="float64") for c in PAIR_COLUMNS if c not in ("a", "b")}})
        if passages.empty:
            passages = pd.DataFrame({c: pd.Series(dtype="int64" if c in ("a", "b", "passage_id", "start_a", "end_a",
                                                                          "start_b", "end_b", "words") else "str")
                                     for c in PASSAGE_COLUMNS})
        self.con.register("p_df", pairs)
        self.con.execute("CREATE OR REPLACE TABLE reuse_pairs AS SELECT * FROM p_df")
        self.con.unregister("p_df")
        self.con.register("s_df", passages)
        self.con.execute("CREATE OR REPLACE TABLE reuse_passages AS SELECT * FROM s_df")
        self.con.unregister("s_df")

    # -- shared helpers ---------------------------------------------------------------------
    @property
    def resources(self):
        if self._resources is None:
            from core.resources import load_resources

            self._resources = load_resources()
        return self._resources

    @property
    def grouper(self):
        if self._grouper is None:
            from core.textpipe import Grouper

            self._grouper = Grouper.from_frame(self.con.execute("SELECT norm, key FROM token_map").df(), self.resources)
        return self._grouper

    @property
    def matcher(self):
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

    def query_keys(self, query: str) -> list[tuple[int, str]]:
        """The term keys a free-text query asks for (normalised and grouped like the corpus).

        A quoted phrase of two or three words is one n-gram key; other words are unigram keys.
        سورية → سوريا's key, للافروف → لافروف's key; stop words are dropped.
        """
        import re

        from core.arabic import normalize, tokenize

        keys: list[tuple[int, str]] = []
        phrases = re.findall(r'"([^"]+)"|«([^»]+)»', query)
        rest = re.sub(r'"[^"]+"|«[^»]+»', " ", query)
        for a, b in phrases:
            toks = [self.grouper.key(normalize(t)) for t in tokenize(a or b)]
            toks = [t for t in toks if t]
            if 1 < len(toks) <= 3:
                keys.append((len(toks), " ".join(toks)))
            else:
                keys.extend((1, t) for t in toks)
        for tok in tokenize(rest):
            k = self.grouper.key(normalize(tok))
            if k:
                keys.append((1, k))
        return list(dict.fromkeys(keys))

    def outlet_scope(self, flt: Filter | None) -> list[str] | None:
        """The outlets a filter selects when it constrains nothing else ([] = every outlet), else None.

        Such filters are answered from the per-outlet totals computed at ingestion.
        """
        flt = flt or Filter()
        if flt.date_from or flt.date_to or flt.query or flt.undated != "include":
            return None
        return list(flt.outlets)

    def where(self, flt: Filter | None, alias: str = "a") -> tuple[str, dict]:
        """SQL condition over ``articles AS alias`` for a filter, with its parameters."""
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
            keys = self.query_keys(flt.query)
            if not keys:
                conds.append("FALSE")
            else:
                ids = self.rows(
                    "SELECT tid FROM vocab v WHERE list_contains($pairs, CAST(v.n AS VARCHAR) || ':' || v.key)",
                    {"pairs": [f"{n}:{k}" for n, k in keys]},
                )
                if len(ids) < len(keys):
                    conds.append("FALSE")
                else:
                    params["qtids"] = [r[0] for r in ids]
                    conds.append(
                        f"{p}aid IN (SELECT aid FROM terms WHERE list_contains($qtids, tid) GROUP BY aid "
                        f"HAVING COUNT(DISTINCT tid) = {len(ids)})"
                    )
        return (" AND ".join(conds) if conds else "TRUE"), params

    # -- corrections ------------------------------------------------------------------------
    def correct(self, edits: pd.DataFrame, corrections_file: str | Path | None = None) -> int:
        """Apply analyst corrections (columns id, outlet, date; blank = unchanged) and persist them.

        Returns the number of articles changed. The corrections file (CSV) is re-applied
        whenever the corpus is rebuilt, so a fix survives a restart.
        """
        changed = set()
        for row in edits.itertuples(index=False):
            rid = str(row.id)
            outlet = (getattr(row, "outlet", "") or "")
            outlet = "" if pd.isna(outlet) else str(outlet).strip()
            date = getattr(row, "date", None)
            date = _to_date(date)
            if outlet:
                self.con.execute("UPDATE articles SET outlet = $o, outlet_source = 'corrected' WHERE id = $id",
                                 {"o": outlet, "id": rid})
                changed.add(rid)
            if date:
                self.con.execute("UPDATE articles SET date = $d, date_source = 'corrected' WHERE id = $id",
                                 {"d": date, "id": rid})
                changed.add(rid)
        if changed:
            _build_outlet_terms(self.con)
        if corrections_file:
            save_corrections(corrections_file, edits)
        return len(changed)


def _build_outlet_terms(con) -> None:
    """Per-outlet term totals: a filter on outlets alone (the common case) reads these, not ``terms``."""
    con.execute(
        "CREATE OR REPLACE TABLE outlet_terms AS SELECT a.outlet, t.n, t.tid, CAST(SUM(t.cnt) AS BIGINT) AS count, "
        "CAST(COUNT(*) AS BIGINT) AS articles FROM terms t JOIN articles a USING (aid) GROUP BY a.outlet, t.n, t.tid "
        "ORDER BY a.outlet, t.n, count DESC"
    )


# -- corrections file -----------------------------------------------------------------------
def _to_date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return _parse_date(value)


def load_corrections(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=["id", "outlet", "date"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for c in ("id", "outlet", "date"):
        if c not in df.columns:
            df[c] = ""
    return df[["id", "outlet", "date"]]


def save_corrections(path: str | Path, edits: pd.DataFrame) -> None:
    """Merge edits into the corrections CSV (the latest edit of an article wins)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = load_corrections(path)
    new = edits.copy()
    for c in ("id", "outlet", "date"):
        if c not in new.columns:
            new[c] = ""
    new = new[["id", "outlet", "date"]].astype(str).replace({"nan": "", "NaT": "", "None": "", "<NA>": ""})
    both = pd.concat([old, new], ignore_index=True).drop_duplicates("id", keep="last")
    both.to_csv(path, index=False, encoding="utf-8-sig")


def apply_corrections_to_articles(articles: list[Article], corrections: pd.DataFrame) -> None:
    from core.model import SOURCE_CORRECTED

    by_id = {str(r.id): r for r in corrections.itertuples(index=False)}
    for art in articles:
        r = by_id.get(art.id)
        if r is None:
            continue
        if str(r.outlet).strip():
            art.outlet, art.outlet_source = str(r.outlet).strip(), SOURCE_CORRECTED
        d = _to_date(r.date)
        if d:
            art.date, art.date_source = d, SOURCE_CORRECTED


# -- a cache of built corpora -----------------------------------------------------------------
def source_fingerprint(sources: Sequence[str | Path], extra: str = "") -> str:
    """A hash of the files' paths, sizes and modification times (not their contents)."""
    h = hashlib.sha256(extra.encode())
    for src in sources:
        src = Path(src)
        files = [src] if src.is_file() else sorted(p for p in src.rglob("*") if p.is_file())
        for f in files:
            st = f.stat()
            h.update(f"{f.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:16]


def cached_db_path(sources: Sequence[str | Path], cache_dir: str | Path, name: str = "corpus", resources=None,
                   mapping: dict | None = None) -> Path:
    """Where the index of these sources lives: changes with the files, the column mapping, the resources
    and the counting code."""
    from core.resources import load_resources

    resources = resources or load_resources()
    extra = resources.fingerprint() + SCHEMA_VERSION + _code_fingerprint() + json.dumps(mapping or {}, sort_keys=True)
    fp = source_fingerprint(sources, extra=extra)
    return Path(cache_dir) / f"{name}-{fp}.duckdb"


def open_or_build(
    sources: Sequence[str | Path],
    cache_dir: str | Path,
    name: str = "corpus",
    progress: Progress | None = None,
    corrections: str | Path | None = None,
    resources=None,
    mapping: dict | None = None,
    **kw,
) -> Corpus:
    """Open the cached database for these sources, or build it once (ingestion is the heavy step)."""
    from core.resources import load_resources

    resources = resources or load_resources()
    db = cached_db_path(sources, cache_dir, name, resources, mapping)
    if db.exists():
        corpus = Corpus.open(db)
        corpus._resources = resources
        if corrections:
            edits = load_corrections(corrections)
            if len(edits):
                corpus.correct(edits)
        return corpus
    for old in Path(cache_dir).glob(f"{name}-*.duckdb"):
        try:
            old.unlink()
        except OSError:
            pass
    return Corpus.build(sources, db_path=db, progress=progress, corrections=corrections, resources=resources,
                        mapping=mapping, **kw)


def _code_fingerprint() -> str:
    """Changes when the counting code changes, so a cached index is rebuilt."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for rel in ("arabic.py", "textpipe.py", "store.py", "ingest", "analysis/quotes.py", "analysis/reuse.py"):
        p = root / rel
        files = [p] if p.is_file() else sorted(p.rglob("*.py")) if p.exists() else []
        for f in files:
            h.update(f.read_bytes())
    return h.hexdigest()[:8]
