"""Tables, archives, sidecars, duplicates and every Problem reason, on inputs made in tmp_path."""
from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from core.ingest import PROBLEM_REASONS, load, load_bytes
from core.model import SOURCE_INFERRED, SOURCE_SIDECAR, SOURCE_UNKNOWN, UNKNOWN

A = "قال وزير الخارجية الروسي إن المحادثات مع نظيره الأمريكي كانت صريحة."
B = "أكد المتحدث باسم الحكومة أن الاجتماع المقبل سيعقد في جنيف الشهر المقبل."
C = "أعلنت وزارة الصحة تسجيل حالات جديدة في العاصمة خلال الأسبوع الماضي."
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def rows_jsonl(rows: list[dict]) -> str:
    return "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n"


def reasons(result) -> list[str]:
    return [p.reason for p in result.problems]


# --- tables ---------------------------------------------------------------------------------------

def test_csv_with_usual_column_names_case_insensitive(tmp_path):
    path = tmp_path / "news.csv"
    pd.DataFrame({"Headline": ["عنوان أول", "عنوان ثان"], "Body": [A, B], "Source": ["Sky News Arabia", "موقع مجهول"],
                  "PubDate": ["2018-03-15T10:00:00+04:00", "15/05/2019"], "Link": ["http://x/1", "http://x/2"],
                  "Category": ["sport", ""]}).to_csv(path, index=False)
    result = load(path)
    assert result.problems == []
    a, b = result.articles
    assert (a.id, a.source_row, a.title, a.url, a.category) == ("news-1", 1, "عنوان أول", "http://x/1", "sport")
    assert (a.outlet, a.outlet_en, a.outlet_source) == ("سكاي نيوز عربية", "Sky News Arabia", SOURCE_SIDECAR)
    assert (a.date, b.date) == (dt.date(2018, 3, 15), dt.date(2019, 5, 15))
    assert a.text == "عنوان أول\n" + A and a.text_original == A
    assert (b.outlet, b.outlet_en) == ("موقع مجهول", "")  # unresolvable names are kept as given


def test_semicolon_csv_and_tsv(tmp_path):
    (tmp_path / "a.csv").write_text(f"id;text;outlet\nx1;{A};BBC Arabic\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text(f"doc_id\tcontent\tdate\nx2\t{B}\t2019-05-15\n", encoding="utf-8")
    result = load(tmp_path)
    assert result.problems == []
    assert [(a.id, a.outlet) for a in result.articles] == [("x1", "بي بي سي عربي"), ("x2", UNKNOWN)]
    assert result.articles[1].date == dt.date(2019, 5, 15)


def test_explicit_mapping_wins(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": ["ملخص قصير جدا"], "full_body": [A], "who": ["Al Arabiya"], "when": ["2018-01-02"]}).to_csv(
        path, index=False)
    result = load(path, mapping={"text": "full_body", "outlet": "WHO", "date": "when"})
    [art] = result.articles
    assert (art.text_original, art.outlet, art.date) == (A, "العربية", dt.date(2018, 1, 2))


def test_mapping_naming_a_missing_column_is_reported(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"text": [A]}).to_csv(path, index=False)
    result = load(path, mapping={"outlet": "nope", "colour": "x"})
    assert len(result.articles) == 1
    assert sorted(reasons(result)) == ["bad-mapping", "bad-mapping"]
    assert any("nope" in p.detail and "text" in p.detail for p in result.problems)


def test_csv_without_text_column_names_the_columns_found(tmp_path):
    path = tmp_path / "prices.csv"
    path.write_text("name,price,colour\napple,3,red\n", encoding="utf-8")
    result = load(path)
    assert result.articles == []
    [problem] = result.problems
    assert (problem.file, problem.row, problem.reason) == (str(path), None, "no-text-column")
    assert "name, price, colour" in problem.detail


def test_csv_row_with_too_many_fields_is_a_bad_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f"id,text\n1,{A}\n2,قال,زائد,حقل\n3,{B}\n", encoding="utf-8")
    result = load(path)
    assert [a.id for a in result.articles] == ["1", "3"]
    assert [(p.reason, p.row) for p in result.problems] == [("bad-row", 2)]


def test_broken_json_line_is_reported_with_its_line_number(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = rows_jsonl([{"doc_id": "a", "text": A}])
    path.write_text(good + '{"doc_id": "b", "text": "مكسور\n' + rows_jsonl([{"doc_id": "c", "text": C}]) + "[1, 2]\n",
                    encoding="utf-8")
    result = load(path)
    assert [a.id for a in result.articles] == ["a", "c"]
    assert [(p.reason, p.row) for p in result.problems] == [("bad-row", 2), ("bad-row", 4)]
    assert all(p.file == str(path) for p in result.problems)


def test_json_array_object_keyed_and_gz(tmp_path):
    (tmp_path / "arr.json").write_text(json.dumps([{"id": "j1", "article": A, "published": "2018-02-03"}],
                                                  ensure_ascii=False), encoding="utf-8")
    (tmp_path / "keyed.json").write_text(json.dumps({"k1": {"body": B}}, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "lines.jsonl.gz").write_bytes(gzip.compress(rows_jsonl([{"id": "g1", "text": C}]).encode("utf-8")))
    result = load(tmp_path)
    assert result.problems == []
    assert sorted((a.id, str(a.date)) for a in result.articles) == [
        ("g1", "None"), ("j1", "2018-02-03"), ("k1", "None")]


def test_parquet(tmp_path):
    path = tmp_path / "t.parquet"
    pd.DataFrame({"id": ["p1", "p2"], "text": [A, B], "date": pd.to_datetime(["2018-03-15", None]),
                  "outlet": ["CNN Arabic", None]}).to_parquet(path)
    result = load(path)
    assert result.problems == []
    p1, p2 = result.articles
    assert (p1.outlet, p1.date, p1.date_source) == ("سي إن إن بالعربية", dt.date(2018, 3, 15), SOURCE_SIDECAR)
    assert (p2.outlet, p2.date, p2.date_source) == (UNKNOWN, None, SOURCE_UNKNOWN)


def test_row_without_id_column_uses_file_stem_and_row(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text(rows_jsonl([{"text": A}, {"text": B}]), encoding="utf-8")
    assert [a.id for a in load(path).articles] == ["corpus-1", "corpus-2"]


# --- dates -------------------------------------------------------------------------------------------

def test_unreadable_date_is_reported_and_the_article_still_loads(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"id": ["a", "b"], "text": [A, B + "\nالتاريخ: الأربعاء ١٥-٥-٢٠١٩"],
                  "date": ["yesterday", "not a date"]}).to_csv(path, index=False)
    result = load(path)
    a, b = result.articles
    assert (a.date, a.date_source) == (None, SOURCE_UNKNOWN)
    assert (b.date, b.date_source) == (dt.date(2019, 5, 15), SOURCE_INFERRED)  # the text states one
    assert [(p.reason, p.row) for p in result.problems] == [("bad-date", 1), ("bad-date", 2)]
    assert "yesterday" in result.problems[0].detail


def test_relative_day_is_not_a_date(tmp_path):
    (tmp_path / "a.txt").write_text("التقى الوزيران الأربعاء الماضي في موسكو.\nوبحثا الأزمة السورية.", encoding="utf-8")
    [art] = load(tmp_path).articles
    assert (art.date, art.date_source) == (None, SOURCE_UNKNOWN)


# --- duplicates ---------------------------------------------------------------------------------------

def test_duplicate_text_is_kept_once_and_names_the_kept_article(tmp_path):
    (tmp_path / "a.txt").write_text(A + "\n" + B, encoding="utf-8")
    (tmp_path / "b.txt").write_text("  " + A + "\n\n" + B + "\nSHARE\n", encoding="utf-8")  # same once cleaned
    result = load(tmp_path)
    assert [a.id for a in result.articles] == ["a"]
    [problem] = result.problems
    assert (Path(problem.file).name, problem.reason) == ("b.txt", "duplicate-text")
    assert "'a'" in problem.detail


def test_duplicate_url_is_kept_once(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(rows_jsonl([{"id": "x", "text": A, "url": "http://n/1", "category": "sport"},
                                {"id": "y", "text": B, "url": "http://n/1/", "category": "economy"}]), encoding="utf-8")
    result = load(path)
    assert [(a.id, a.category) for a in result.articles] == [("x", "sport")]
    assert [(p.reason, p.row) for p in result.problems] == [("duplicate-url", 2)]
    assert "'x'" in result.problems[0].detail


def test_duplicate_ids_across_files_get_a_suffix(tmp_path):
    for folder, text in (("one", A), ("two", B), ("three", C)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.txt").write_text(text, encoding="utf-8")
    result = load(tmp_path)
    assert sorted(a.id for a in result.articles) == ["same", "same-2", "same-3"]
    assert reasons(result) == ["duplicate-id", "duplicate-id"]
    assert "'same-2'" in result.problems[0].detail


# --- folders, sidecars, zips ----------------------------------------------------------------------------

def test_json_sidecar_keyed_by_file(tmp_path):
    (tmp_path / "x.txt").write_text(A, encoding="utf-8")
    (tmp_path / "y.txt").write_text(B, encoding="utf-8")
    (tmp_path / "metadata.json").write_text(json.dumps(
        {"x.txt": {"outlet": "سانا", "date": "2019-05-15"}, "y": {"outlet": "", "date": ""}, "z.txt": {"outlet": "واس"}},
        ensure_ascii=False), encoding="utf-8")
    result = load(tmp_path)
    arts = {a.id: a for a in result.articles}
    assert (arts["x"].outlet, arts["x"].outlet_en, arts["x"].date) == ("سانا", "SANA", dt.date(2019, 5, 15))
    assert (arts["y"].outlet, arts["y"].date) == (UNKNOWN, None)
    assert [(p.reason, Path(p.file).name) for p in result.problems] == [("sidecar-unmatched", "metadata.json")]


def test_sidecar_bad_date_falls_back_to_the_text(tmp_path):
    (tmp_path / "x.txt").write_text(A + "\nالتاريخ: 3 آذار 2018", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet,date\nx.txt,الثورة,3rd of March\n", encoding="utf-8")
    result = load(tmp_path)
    [art] = result.articles
    assert (art.outlet_source, art.date, art.date_source) == (SOURCE_SIDECAR, dt.date(2018, 3, 3), SOURCE_INFERRED)
    [problem] = result.problems
    assert problem.reason == "bad-date" and "metadata.csv" in problem.detail


def test_zip_with_a_mix(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("corpus/a.txt", A.encode("cp1256"))
        zf.writestr("corpus/sub/b.txt", ("عنوان الخبر\n" + B).encode("utf-16"))
        zf.writestr("corpus/metadata.csv", "file,outlet,date\na.txt,Kassioun,2017-04-12\n")
        zf.writestr("corpus/table.jsonl", rows_jsonl([{"id": "t1", "text": C, "outlet": "RT"}]))
        zf.writestr("corpus/image.txt", PNG)
        zf.writestr("corpus/empty.txt", "")
        zf.writestr("corpus/notes.docx", b"PK\x03\x04")
        zf.writestr("__MACOSX/corpus/._a.txt", b"\x00\x05\x16\x07")
        zf.writestr("corpus/.hidden.txt", "مخفي")
        zf.writestr("corpus/README.md", "# readme")
    path = tmp_path / "archive.zip"
    path.write_bytes(buf.getvalue())
    result = load(path)
    arts = {a.id: a for a in result.articles}
    assert sorted(arts) == ["a", "b", "t1"]
    assert arts["a"].source_file == f"{path}:corpus/a.txt"
    assert arts["b"].source_file == f"{path}:corpus/sub/b.txt"
    assert (arts["a"].text_original, arts["a"].outlet, arts["a"].date) == (A, "قاسيون", dt.date(2017, 4, 12))
    assert arts["b"].title == "عنوان الخبر"
    assert (arts["t1"].outlet, arts["t1"].source_row) == ("روسيا اليوم", 1)
    assert sorted((p.file.split(":")[-1], p.reason) for p in result.problems) == [
        ("corpus/empty.txt", "empty"), ("corpus/image.txt", "not-text"), ("corpus/notes.docx", "unsupported-format")]


def test_load_bytes_zip_and_progress():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("a.txt", A)
        zf.writestr("b.txt", B)
    calls = []
    result = load_bytes("upload.zip", buf.getvalue(), progress=lambda d, t, n: calls.append((d, t, n)))
    assert [a.source_file for a in result.articles] == ["upload.zip:a.txt", "upload.zip:b.txt"]
    assert calls == [(0, 2, "upload.zip:a.txt"), (1, 2, "upload.zip:b.txt"), (2, 2, "done")]


def test_load_bytes_with_uploaded_sidecar():
    result = load_bytes("x.txt", A.encode("utf-8"), metadata=("meta.csv", "id,outlet\nx,SPA\n".encode("utf-8")))
    assert (result.articles[0].outlet, result.articles[0].outlet_en) == ("واس", "SPA")


def test_bad_archives_and_missing_paths_are_reported(tmp_path):
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 not really")
    (tmp_path / "broken.jsonl.gz").write_bytes(b"\x1f\x8b\x08garbage")
    (tmp_path / "ok.txt").write_text(A, encoding="utf-8")
    result = load([tmp_path, tmp_path / "nowhere"])
    assert [a.id for a in result.articles] == ["ok"]
    assert sorted(reasons(result)) == ["bad-archive", "bad-archive", "missing"]


def test_mixed_paths_files_and_folders(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(A, encoding="utf-8")
    (tmp_path / "t.csv").write_text(f"text\n{B}\n", encoding="utf-8")
    result = load([str(tmp_path / "d"), tmp_path / "t.csv"])
    assert [a.id for a in result.articles] == ["a", "t-1"]


def test_problem_reasons_are_documented(tmp_path):
    (tmp_path / "e.txt").write_text("", encoding="utf-8")
    (tmp_path / "p.txt").write_bytes(PNG)
    (tmp_path / "d.txt").write_text("** جميع المقالات المنشورة تمثل رأي كتابها فقط.", encoding="utf-8")
    result = load(tmp_path)
    assert set(reasons(result)) == {"empty", "not-text", "empty-after-cleaning"}
    assert set(reasons(result)) <= set(PROBLEM_REASONS)
