"""Entity mentions (people, places, organisations from the gazetteer) under a filter."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from core.analysis.overview import as_dates, fold_days
from core.filter import Filter
from core.index.viewcache import view

if TYPE_CHECKING:  # the read handle; analysis never builds or writes one
    from core.index.handle import Corpus


@view
def article_entities(corpus: Corpus, flt: Filter | None = None, types=None) -> pd.DataFrame:
    """Per-article mentions (the CLI's entities.csv): article_id, outlet, date, entity, type, mentions."""
    where, params = corpus.where(flt)
    tcond, params = _types(types, params)
    df = corpus.sql(
        f"SELECT a.id AS article_id, a.outlet, a.date, m.entity, m.type, m.cnt AS mentions "
        f"FROM mentions m JOIN articles a USING (aid) WHERE {where}{tcond} "
        f"ORDER BY a.date NULLS LAST, a.id, m.cnt DESC, m.entity",
        params,
    )
    df["date"] = as_dates(df["date"])
    return df


def _use_days(corpus: Corpus, flt: Filter | None) -> bool:
    """A filter without a text query is answered from the per-day rollup ``entity_days`` (when the
    index has it): the same sums over far fewer rows."""
    return not (flt and flt.query) and corpus.has_table("entity_days")


def _mention_rows(corpus: Corpus, flt: Filter | None) -> tuple[str, dict, str, str, str]:
    """``(source, params, mentions, articles, o)``: ``FROM`` + ``WHERE`` over the filtered mentions
    (alias ``m``: entity, type), the expressions summing their mentions and counting their articles,
    and the alias whose ``outlet`` and ``date`` to read: ``entity_days`` when :func:`_use_days`, else
    the per-article ``mentions`` joined to ``articles``."""
    if _use_days(corpus, flt):
        where, params = corpus.where(flt, "m")
        return f"entity_days m WHERE {where}", params, "SUM(m.mentions)", "SUM(m.articles)", "m"
    where, params = corpus.where(flt)
    return f"mentions m JOIN articles a USING (aid) WHERE {where}", params, "SUM(m.cnt)", "COUNT(*)", "a"


def _types(types, params: dict) -> tuple[str, dict]:
    if not types:
        return "", params
    return " AND list_contains($types, m.type)", {**params, "types": list(types)}


@view
def entity_totals(corpus: Corpus, flt: Filter | None = None, types=None, limit: int = 30) -> pd.DataFrame:
    """The most mentioned entities: entity, type, mentions, articles, outlets (aggregated in DuckDB).

    ``mentions`` holds one row per (article, entity) (the build sums an article's mentions), so the
    articles are counted as rows: a distinct count took three times as long at 100k."""
    src, params, mentions, articles, o = _mention_rows(corpus, flt)
    tcond, params = _types(types, params)
    return corpus.sql(
        f"SELECT m.entity, m.type, CAST({mentions} AS BIGINT) AS mentions, "
        f"CAST({articles} AS BIGINT) AS articles, CAST(COUNT(DISTINCT {o}.outlet) AS BIGINT) AS outlets "
        f"FROM {src}{tcond} GROUP BY m.entity, m.type "
        f"ORDER BY mentions DESC, articles DESC, m.entity LIMIT {int(limit)}", params)


@view
def entity_by_outlet(corpus: Corpus, flt: Filter | None = None, types=None, limit: int = 20) -> pd.DataFrame:
    """Mentions of the top entities per outlet, raw and per 1,000 words.

    Columns: outlet, entity, type, mentions, words, per_1000 (every outlet × top entity, zeros included).
    """
    where, params = corpus.where(flt)
    words = corpus.sql(f"SELECT outlet, CAST(SUM(words) AS BIGINT) AS words FROM articles a WHERE {where} GROUP BY outlet", params)
    top = entity_totals(corpus, flt, types, limit)
    cols = ["outlet", "entity", "type", "mentions", "words", "per_1000"]
    if top.empty:
        return pd.DataFrame(columns=cols)
    src, mparams, mentions, _articles, o = _mention_rows(corpus, flt)
    tcond, tparams = _types(types, {**mparams, "top": top["entity"].tolist()})
    agg = corpus.sql(
        f"SELECT {o}.outlet, m.entity, CAST({mentions} AS BIGINT) AS mentions FROM {src}{tcond} "
        f"AND list_contains($top, m.entity) GROUP BY {o}.outlet, m.entity", tparams)
    grid = words.merge(top[["entity", "type"]], how="cross")
    out = grid.merge(agg, on=["outlet", "entity"], how="left")
    out["mentions"] = out["mentions"].fillna(0).astype("int64")
    out["words"] = out["words"].fillna(0).astype("int64")
    out["per_1000"] = (1000.0 * out["mentions"] / out["words"].where(out["words"] > 0)).fillna(0).round(3)
    order = {e: i for i, e in enumerate(top["entity"])}
    out = out.assign(_o=out["entity"].map(order)).sort_values(["outlet", "_o"]).drop(columns="_o")
    return out[cols].reset_index(drop=True)


@view
def entity_trend(corpus: Corpus, flt: Filter | None = None, entities=None, freq: str = "W", limit: int = 8) -> pd.DataFrame:
    """Mentions per period for the given (default: top) entities. Columns period, entity, mentions, articles.

    DuckDB sums per day (an article has one date, so its distinct articles per day add up to
    the period's); the days are folded into periods here."""
    cols = ["period", "entity", "mentions", "articles"]
    if entities is None:
        entities = list(entity_totals(corpus, flt, limit=limit)["entity"])
    if not len(entities):
        return pd.DataFrame(columns=cols)
    src, params, mentions, articles, o = _mention_rows(corpus, flt)
    daily = corpus.sql(
        f"SELECT {o}.date, m.entity, CAST({mentions} AS BIGINT) AS mentions, CAST({articles} AS BIGINT) AS articles "
        f"FROM {src} AND {o}.date IS NOT NULL "
        f"AND list_contains($ents, m.entity) GROUP BY {o}.date, m.entity", {**params, "ents": list(entities)})
    if daily.empty:
        return pd.DataFrame(columns=cols)
    return fold_days(daily, "entity", ["mentions", "articles"], freq)[cols]


CANDIDATE_COLUMNS = ["name", "type", "mentions", "articles", "variants", "example", "key"]


@view
def candidates(corpus: Corpus, flt: Filter | None = None, types=None, limit: int = 100, min_articles: int = 2) -> pd.DataFrame:
    """Names the gazetteer lacks (found at ingestion, :mod:`core.names`), in the most articles first:
    name (as the corpus writes it most), type, mentions, articles, variants (other spellings,
    " | "-separated), example (a clause it occurs in), key (the grouping form).

    Aggregated in DuckDB from ``candidate_mentions`` under the filter; names the corpus's current
    gazetteer already has are left out (also when the index was built before they were added)."""
    from core.names import gazetteer_keys, known

    try:
        corpus.rows("SELECT 1 FROM candidate_mentions LIMIT 0")
    except Exception:        # an index built before candidates existed
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    where, params = corpus.where(flt)
    tcond, qparams = "", params
    if types:
        qparams = {**params, "types": list(types)}
        tcond = " AND list_contains($types, typ.type)"
    df = corpus.sql(f"""
        WITH m AS (SELECT c.aid, c.name, c.type, c.surface, c.cnt FROM candidate_mentions c
                   JOIN articles a USING (aid) WHERE {where}),
             tot AS (SELECT name, CAST(SUM(cnt) AS BIGINT) AS mentions, CAST(COUNT(DISTINCT aid) AS BIGINT) AS articles
                     FROM m GROUP BY name HAVING COUNT(DISTINCT aid) >= {int(min_articles)}),
             typ AS (SELECT name, arg_max(type, n) AS type FROM
                       (SELECT name, type, SUM(cnt) AS n FROM m GROUP BY name, type) GROUP BY name),
             lab AS (SELECT name, list(surface ORDER BY n DESC, surface) AS surfaces FROM
                       (SELECT name, surface, SUM(cnt) AS n FROM m GROUP BY name, surface) GROUP BY name)
        SELECT tot.name AS key, typ.type, tot.mentions, tot.articles, lab.surfaces
        FROM tot JOIN typ USING (name) JOIN lab USING (name) WHERE TRUE{tcond}
        ORDER BY tot.articles DESC, tot.mentions DESC, tot.name LIMIT {int(limit) * 2 + 50}""", qparams)
    if df.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    every, people = corpus.memo(("gazetteer_keys", corpus.resources.fingerprint()),
                                lambda: gazetteer_keys(corpus.resources.gazetteer, corpus.grouper))
    df = df[[not known(k, every, people) for k in df["key"]]].head(int(limit)).reset_index(drop=True)
    df["name"] = [list(s)[0] for s in df["surfaces"]]
    df["variants"] = [" | ".join(list(s)[1:6]) for s in df["surfaces"]]
    ex = corpus.sql(f"""SELECT e.name AS key, min_by(e.example, e.aid) AS example FROM candidate_examples e
                        JOIN articles a USING (aid) WHERE {where} AND list_contains($keys, e.name) GROUP BY e.name""",
                    {**params, "keys": df["key"].tolist()})
    df = df.merge(ex, on="key", how="left")
    df["example"] = df["example"].fillna("")
    return df[CANDIDATE_COLUMNS]
