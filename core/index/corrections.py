"""Analyst corrections of outlets and dates: a CSV kept beside the corpus and re-applied on
every build (so a fix survives a restart and a rebuild).  Writes are atomic (:mod:`core.fsutil`)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from core.filter import _parse_date
from core.fsutil import atomic_write_bytes  # noqa: F401  (also imported from here)
from core.model import SOURCE_CORRECTED, Article

COLUMNS = ["id", "outlet", "date"]


def to_date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return _parse_date(value)


def load_corrections(path: str | Path) -> pd.DataFrame:
    path = Path(path)
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for c in COLUMNS:
        if c not in df.columns:
            df[c] = ""
    return df[COLUMNS]


def normalise_edits(edits: pd.DataFrame) -> pd.DataFrame:
    new = edits.copy()
    for c in COLUMNS:
        if c not in new.columns:
            new[c] = ""
    return new[COLUMNS].astype(str).replace({"nan": "", "NaT": "", "None": "", "<NA>": ""})


def save_corrections(path: str | Path, edits: pd.DataFrame) -> None:
    """Merge edits into the corrections CSV (the latest edit of an article wins), atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    both = pd.concat([load_corrections(path), normalise_edits(edits)], ignore_index=True).drop_duplicates("id", keep="last")
    atomic_write_bytes(path, both.to_csv(index=False).encode("utf-8-sig"))


def apply_corrections_to_articles(articles: list[Article], corrections: pd.DataFrame) -> None:
    by_id = {str(r.id): r for r in corrections.itertuples(index=False)}
    for art in articles:
        r = by_id.get(art.id)
        if r is None:
            continue
        if str(r.outlet).strip():
            art.outlet, art.outlet_source = str(r.outlet).strip(), SOURCE_CORRECTED
        d = to_date(r.date)
        if d:
            if art.published is not None and art.published.date() != d:
                art.published = None   # a time of another day no longer dates it
            art.date, art.date_source = d, SOURCE_CORRECTED


def apply_corrections(con, edits: pd.DataFrame) -> set[str]:
    """Apply corrections (columns id, outlet, date; blank = unchanged) to an open index; returns
    the ids changed.  Per-outlet totals and the per-day rollups are recomputed when anything changed."""
    changed = set()
    has_published = bool(con.execute("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'articles' "
                                     "AND column_name = 'published'").fetchall()[0][0])
    for row in edits.itertuples(index=False):
        rid = str(row.id)
        outlet = getattr(row, "outlet", "") or ""
        outlet = "" if pd.isna(outlet) else str(outlet).strip()
        date = to_date(getattr(row, "date", None))
        if outlet:
            con.execute("UPDATE articles SET outlet = $o, outlet_source = 'corrected' WHERE id = $id", {"o": outlet, "id": rid})
            changed.add(rid)
        if date:
            con.execute("UPDATE articles SET date = $d, date_source = 'corrected' WHERE id = $id", {"d": date, "id": rid})
            if has_published:   # a time of another day no longer dates it
                con.execute("UPDATE articles SET published = NULL WHERE id = $id AND CAST(published AS DATE) <> $d",
                            {"d": date, "id": rid})
            changed.add(rid)
    if changed:
        from core.index.finalize import build_outlet_terms, write_day_rollups

        build_outlet_terms(con)
        write_day_rollups(con)
    return changed


def edited_rows(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """The corrections an edited table asks for: one row per article whose outlet or date changed,
    with the new value, and "" where that field is unchanged (the Data page's editor → :meth:`Corpus.correct`).

    >>> before = pd.DataFrame({"id": ["a", "b"], "outlet": ["X", "Y"], "date": [dt.date(2018, 1, 1), None]})
    >>> after = before.assign(outlet=["X", "Z"], date=[dt.date(2018, 1, 2), None])
    >>> edited_rows(before, after).to_dict("records")
    [{'id': 'a', 'outlet': '', 'date': '2018-01-02'}, {'id': 'b', 'outlet': 'Z', 'date': ''}]
    """
    b = before.set_index("id")
    a = after.set_index("id").reindex(b.index)
    new_outlet = a["outlet"].astype(str) != b["outlet"].astype(str)
    new_date = (a["date"].astype(str) != b["date"].astype(str)) & a["date"].notna()
    changed = new_outlet | (a["date"].astype(str) != b["date"].astype(str))
    out = pd.DataFrame({
        "id": b.index[changed],
        "outlet": [str(o) if n else "" for o, n in zip(a["outlet"][changed], new_outlet[changed])],
        "date": [str(d) if n else "" for d, n in zip(a["date"][changed], new_date[changed])],
    })
    return out.reset_index(drop=True)
