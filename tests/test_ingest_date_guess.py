"""A table whose date column has no usual name (a crawler's ``date_extracted``, an export's ``created``):
the dates are read from the column whose values read as dates, one report row says which, and a mapping
or a usually named column always wins.  The same in the streamed and the whole-file reader."""
from __future__ import annotations

import csv
import datetime as dt
import json

import pandas as pd
import pytest

from core.ingest import PROBLEM_REASONS, load
from core.ingest import readers

from tests.test_ingest_stream import streamed, whole

TEXTS = ["قال وزير الخارجية الروسي إن المحادثات مع نظيره الأمريكي كانت صريحة.",
         "أكد المتحدث باسم الحكومة أن الاجتماع المقبل سيعقد في جنيف الشهر المقبل.",
         "أعلنت وزارة الصحة تسجيل حالات جديدة في العاصمة خلال الأسبوع الماضي."]


def rows(n: int, **extra) -> list[dict]:
    out = []
    for i in range(n):
        row = {"source": "alwatan", "content": f"{TEXTS[i % 3]} رقم {i}", "author": "الرياض - واس",
               "date_extracted": f"2015-07-{21 + i % 9:02d} 0{i % 10}:47:05"}
        row.update({k: (v(i) if callable(v) else v) for k, v in extra.items()})
        out.append(row)
    return out


def write(path, table: list[dict]):
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(table[0]))
            w.writeheader()
            w.writerows(table)
    elif path.suffix == ".parquet":
        pd.DataFrame(table).to_parquet(path)
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table), encoding="utf-8")
    return path


@pytest.mark.parametrize("ext", [".jsonl", ".csv", ".parquet"])
def test_a_crawl_time_column_gives_the_dates_and_one_report_row(tmp_path, ext):
    path = write(tmp_path / f"crawl{ext}", rows(120))
    result = load([path])
    assert len(result.articles) == 120
    assert [a.date for a in result.articles[:3]] == [dt.date(2015, 7, 21), dt.date(2015, 7, 22), dt.date(2015, 7, 23)]
    assert all(a.date_source == "sidecar" for a in result.articles)
    assert result.articles[1].published == dt.datetime(2015, 7, 22, 1, 47, 5)
    guessed = [p for p in result.problems if p.reason == "date-column-guessed"]
    assert len(guessed) == 1 and guessed[0].file == str(path) and guessed[0].row is None
    assert "'date_extracted'" in guessed[0].detail and "50 of the first 50" in guessed[0].detail
    assert "date-column-guessed" in PROBLEM_REASONS


@pytest.mark.parametrize("ext", [".jsonl", ".csv"])
def test_streamed_and_whole_file_readers_agree(tmp_path, ext):
    # the third column reads as a date in too few rows (a note), the fifth in all of them
    path = write(tmp_path / f"t{ext}", rows(80, note=lambda i: "2015-07-21" if i % 3 else "قريبا"))
    a, b = streamed(path), whole(path)
    assert [(r.id, r.fields.get("date")) for r in a[0]] == [(r.id, r.fields.get("date")) for r in b[0]]
    assert [p.as_dict() for p in a[1]] == [p.as_dict() for p in b[1]]
    assert a[0][0].fields["date"] == "2015-07-21 00:47:05"


def test_a_usual_date_name_or_a_mapping_wins_and_nothing_is_guessed(tmp_path):
    named = write(tmp_path / "named.jsonl", rows(10, published="2018-05-08"))
    result = load([named])
    assert {a.date for a in result.articles} == {dt.date(2018, 5, 8)}
    assert "date-column-guessed" not in {p.reason for p in result.problems}
    plain = write(tmp_path / "plain.jsonl", rows(10, stamp="2019-01-02"))
    result = load([plain], mapping={"date": "stamp"})
    assert {a.date for a in result.articles} == {dt.date(2019, 1, 2)}
    assert "date-column-guessed" not in {p.reason for p in result.problems}


def test_columns_that_only_mention_dates_are_not_taken(tmp_path):
    # a long text holding one date, a short column that is mostly not a date, a sparse date column, numbers
    table = rows(60, summary=lambda i: f"نشر التقرير يوم 2015-07-21 وتضمن تفاصيل كثيرة عن الاجتماع رقم {i}",
                 tag=lambda i: "2015-07-21" if i % 2 else "عاجل", sparse=lambda i: "2015-07-21" if i < 5 else "",
                 year=2015)
    for r in table:
        del r["date_extracted"]
    result = load([write(tmp_path / "t.jsonl", table)])
    assert {a.date for a in result.articles} == {None}
    assert "date-column-guessed" not in {p.reason for p in result.problems}


def test_a_table_without_text_gets_no_guess_row(tmp_path):
    table = [{"who": "x", "when": "2015-07-21"} for _ in range(5)]
    for read in (streamed, whole):
        _recs, problems = read(write(tmp_path / "t.jsonl", table))
        assert [p.reason for p in problems] == ["no-text-column"]


def held_rows(monkeypatch, path) -> list[int]:
    """How many events the streamed reader held when it decided the column mapping of ``path``."""
    seen = []
    real = readers._with_guessed_date

    def spy(item, columns, mapping, window):
        seen.append(len(window))
        return real(item, columns, mapping, window)
    with monkeypatch.context() as m:
        m.setattr(readers, "_with_guessed_date", spy)
        streamed(path)
    return seen


def test_the_guess_reads_past_a_csv_header_but_no_further_than_it_needs(tmp_path, monkeypatch):
    """A CSV's columns are known from its header; the guess still reads its first rows, and only them."""
    assert held_rows(monkeypatch, write(tmp_path / "t.csv", rows(500))) == [readers.DATE_GUESS_ROWS]
    # a usual date name: nothing to guess, the header decides
    assert held_rows(monkeypatch, write(tmp_path / "named.csv", rows(500, date="2015-01-01"))) == [1]


def test_the_guess_holds_a_bounded_number_of_characters(tmp_path, monkeypatch):
    """Rows of huge texts: the guess decides on the rows that fit its character budget, in both readers, and a
    CSV's streamed reader holds no more rows than those before deciding."""
    monkeypatch.setattr(readers, "DATE_GUESS_CHARS", 2_000)
    table = rows(40, content=lambda i: "نص طويل " * 100 + str(i))   # ~800 characters a row
    for ext in (".jsonl", ".csv"):
        path = write(tmp_path / f"big{ext}", table)
        a, b = streamed(path), whole(path)
        # the third row crosses 2,000 characters: the guess reads three rows
        assert [p.detail for p in a[1]] == [p.detail for p in b[1]] and "3 of the first 3" in a[1][0].detail
        assert [r.fields.get("date") for r in a[0]] == [r.fields.get("date") for r in b[0]]
    assert held_rows(monkeypatch, tmp_path / "big.csv") == [3]
