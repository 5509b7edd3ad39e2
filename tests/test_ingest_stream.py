"""Streaming reads (core.ingest.readers.iter_records): memory follows a batch, not the file; a
line in another encoding, a broken quote, a bomb or an unsafe zip member costs only itself."""
from __future__ import annotations

import gzip
import io
import json
import random
import stat
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pandas as pd
import pytest

from core.ingest import load
from core.ingest import readers
from core.ingest.readers import (RawRecord, discover, discover_bytes, file_bytes, iter_records, table_records,
                                 text_record)
from core.model import Problem

ROOT = Path(__file__).resolve().parent.parent
EXISTING_FIXTURES = sorted((ROOT / "data" / "sample").glob("*.txt")) + sorted((ROOT / "tests" / "data").glob("*.jsonl"))

A = "قال وزير الخارجية الروسي إن المحادثات مع نظيره الأمريكي كانت صريحة."
B = "أكد المتحدث باسم الحكومة أن الاجتماع المقبل سيعقد في جنيف الشهر المقبل."
C = "أعلنت وزارة الصحة تسجيل حالات جديدة في العاصمة خلال الأسبوع الماضي."
NOISE = bytes(b for b in random.Random(7).randbytes(600) if b >= 0x80)[:200]  # readable in no encoding


def jsonl(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def streamed(path: Path, mapping=None) -> tuple[list[RawRecord], list[Problem]]:
    files, problems = discover([path])
    records: list[RawRecord] = []
    for item in files:
        for rec in iter_records(item, mapping):
            (problems if isinstance(rec, Problem) else records).append(rec)
    return records, problems


def whole(path: Path, mapping=None) -> tuple[list[RawRecord], list[Problem]]:
    files, problems = discover([path])
    records: list[RawRecord] = []
    for item in files:
        try:
            if item.kind == "txt":
                records.append(text_record(item, file_bytes(item)))
                continue
            found, more = table_records(item, file_bytes(item), mapping)
        except readers.ReadFailure as exc:
            problems.append(Problem(item.name, None, exc.reason, exc.detail))
            continue
        records += found
        problems += more
    return records, problems


def gzip_of_repeated(path: Path, chunk: bytes, total: int) -> None:
    """Write ``total`` bytes made of ``chunk`` repeated, gzipped, without holding them in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(path, "wb") as out:
        for _ in range(total // len(chunk)):
            out.write(comp.compress(chunk))
        out.write(comp.flush())


# --- memory ---------------------------------------------------------------------------------------

def test_gzipped_jsonl_streams_in_memory_far_below_its_size(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    size = 0
    with gzip.open(path, "wb", compresslevel=1) as out:
        for i in range(50_000):
            line = (json.dumps({"id": f"r{i}", "text": f"{A} {B} {C} {i}", "outlet": "سانا"}, ensure_ascii=False)
                    + "\n").encode("utf-8")
            size += len(line)
            out.write(line)
    [item], _ = discover([path])
    tracemalloc.start()
    try:
        count = last = 0
        for rec in iter_records(item, None):
            assert isinstance(rec, RawRecord)
            count, last = count + 1, rec.source_row
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (count, last) == (50_000, 50_000)
    assert size > 15_000_000
    assert peak < size / 5, f"peak {peak:,} bytes for {size:,} decompressed bytes"


# --- encodings ------------------------------------------------------------------------------------

def test_utf8_jsonl_with_one_cp1256_line_loads_every_row(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(jsonl([{"id": "a", "text": A}]).encode("utf-8")
                     + jsonl([{"id": "b", "text": B}]).encode("cp1256")
                     + jsonl([{"id": "c", "text": C}]).encode("utf-8"))
    records, problems = streamed(path)
    assert problems == []
    assert [(r.id, r.source_row, r.text) for r in records] == [("a", 1, A), ("b", 2, B), ("c", 3, C)]


def test_line_in_no_encoding_is_one_undecodable_problem_and_the_others_load(tmp_path):
    path = tmp_path / "noisy.jsonl"
    path.write_bytes(jsonl([{"id": "a", "text": A}]).encode("utf-8")
                     + b'{"id": "x", "text": "' + NOISE + b'"}\n'
                     + jsonl([{"id": "b", "text": B}, {"id": "c", "text": C}]).encode("utf-8"))
    records, problems = streamed(path)
    assert [r.id for r in records] == ["a", "b", "c"]
    [problem] = problems
    assert (problem.file, problem.row, problem.reason) == (str(path), 2, "undecodable")
    assert "line 2" in problem.detail


def test_undecodable_csv_line_costs_only_its_row(tmp_path):
    path = tmp_path / "noisy.csv"
    path.write_bytes(f"id,text\n1,{A}\n".encode("utf-8") + b"2," + NOISE + b"\n" + f"3,{B}\n".encode("utf-8"))
    records, problems = streamed(path)
    assert [r.id for r in records] == ["1", "3"]
    assert [(p.row, p.reason) for p in problems] == [(2, "undecodable")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "cp1256", "iso8859_6"])
def test_encoding_is_decided_on_a_leading_sample(tmp_path, monkeypatch, encoding):
    monkeypatch.setattr(readers, "SAMPLE_BYTES", 7)  # cuts characters and lines in the middle
    rows = [{"id": f"r{i}", "text": t} for i, t in enumerate((A, B, C) * 3)]
    (tmp_path / "t.jsonl").write_bytes(jsonl(rows).encode(encoding))
    (tmp_path / "t.csv").write_bytes(pd.DataFrame(rows).to_csv(index=False).encode(encoding))
    for name in ("t.jsonl", "t.csv"):
        records, problems = streamed(tmp_path / name)
        assert problems == []
        assert [(r.id, r.text) for r in records] == [(r["id"], r["text"]) for r in rows]


def test_blank_start_and_blank_file(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "SAMPLE_BYTES", 16)
    (tmp_path / "late.jsonl").write_text(" \n" * 40 + jsonl([{"text": A}]), encoding="utf-8")
    (tmp_path / "blank.jsonl").write_text(" \n" * 40, encoding="utf-8")
    records, problems = streamed(tmp_path / "late.jsonl")
    assert ([r.source_row for r in records], problems) == ([41], [])
    records, problems = streamed(tmp_path / "blank.jsonl")
    assert records == [] and [(p.row, p.reason) for p in problems] == [(None, "empty")]


# --- decompression caps ---------------------------------------------------------------------------

def test_gzip_bomb_is_one_bad_archive_problem_and_the_other_file_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_DECOMPRESSED", 16 * readers.MiB)
    bomb = tmp_path / "bomb.jsonl.gz"
    gzip_of_repeated(bomb, b"0" * readers.MiB, 200 * readers.MiB)  # 200 MB of zeros in ~200 KB
    assert bomb.stat().st_size < 1_000_000
    good = tmp_path / "good.jsonl"
    good.write_text(jsonl([{"id": "g", "text": A}]), encoding="utf-8")

    records, problems = streamed(bomb)
    assert records == []
    [problem] = problems
    assert (problem.file, problem.reason) == (str(bomb), "bad-archive") and "MAX_DECOMPRESSED" in problem.detail
    assert [r.id for r in streamed(good)[0]] == ["g"]

    result = load([bomb, good])  # the whole-file path applies the same caps
    assert [a.id for a in result.articles] == ["g"]
    assert [(p.file, p.reason) for p in result.problems] == [(str(bomb), "bad-archive")]


def test_expansion_ratio_cap(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "RATIO_GRACE", readers.MiB)
    bomb = tmp_path / "bomb.csv.gz"
    gzip_of_repeated(bomb, b"text\n" + b" " * (readers.MiB - 5), 50 * readers.MiB)
    [problem] = streamed(bomb)[1]
    assert problem.reason == "bad-archive" and "MAX_RATIO" in problem.detail


def test_zip_bomb_member_is_reported_and_the_other_members_load(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "RATIO_GRACE", readers.MiB)
    path = tmp_path / "a.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"0" * (20 * readers.MiB))
        zf.writestr("good.txt", A)
    records, problems = streamed(path)
    assert [r.id for r in records] == ["good"]
    assert [(p.file, p.reason) for p in problems] == [(f"{path}:bomb.txt", "bad-archive")]
    assert "MAX_RATIO" in problems[0].detail


def test_damaged_gzip_midway_keeps_the_rows_before(tmp_path):
    data = gzip.compress(jsonl([{"id": f"r{i}", "text": f"{A} {i}"} for i in range(20_000)]).encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records, problems = streamed(path)
    assert 0 < len(records) < 20_000 and [r.source_row for r in records] == list(range(1, len(records) + 1))
    assert [(p.row, p.reason) for p in problems] == [(None, "bad-archive")]


def test_json_array_above_the_cap_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "MAX_JSON_BYTES", 100)
    path = tmp_path / "arr.json"
    path.write_text(json.dumps([{"id": "j", "text": A}] * 5, ensure_ascii=False), encoding="utf-8")
    records, problems = streamed(path)
    assert records == [] and [(p.reason, "MAX_JSON_BYTES" in p.detail) for p in problems] == [("bad-table", True)]


# --- zip members ------------------------------------------------------------------------------------

def test_unsafe_zip_members_are_reported_and_skipped(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("../escape.txt", A)
        zf.writestr("corpus/../../escape2.txt", A)
        zf.writestr("/etc/absolute.txt", A)
        link = zipfile.ZipInfo("corpus/link.txt")
        link.create_system = 3
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "../../etc/passwd")
        fifo = zipfile.ZipInfo("corpus/fifo.txt")
        fifo.create_system = 3
        fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
        zf.writestr(fifo, "")
        zf.writestr("corpus/ok.txt", B)
    files, problems = discover_bytes("up.zip", buf.getvalue())
    assert [f.name for f in files] == ["up.zip:corpus/ok.txt"]
    assert sorted((p.file, p.reason) for p in problems) == [
        ("up.zip:../escape.txt", "unsafe-member"), ("up.zip:/etc/absolute.txt", "unsafe-member"),
        ("up.zip:corpus/../../escape2.txt", "unsafe-member"), ("up.zip:corpus/fifo.txt", "unsafe-member"),
        ("up.zip:corpus/link.txt", "unsafe-member")]
    assert "symbolic link" in next(p.detail for p in problems if p.file.endswith("link.txt"))
    assert [r.text for r in iter_records(files[0], None)] == [B]


def test_nested_zip_and_gzipped_members_stream(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("t.jsonl.gz", gzip.compress(jsonl([{"id": "n1", "text": A}]).encode("utf-8")))
        zf.writestr("t.csv", f"id,text\nn2,{B}\n")
    path = tmp_path / "outer.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
    records, problems = streamed(path)
    assert problems == []
    assert [(r.id, r.source_file) for r in records] == [("n2", f"{path}:inner.zip:t.csv"),
                                                        ("n1", f"{path}:inner.zip:t.jsonl.gz")]


# --- CSV ------------------------------------------------------------------------------------------

def test_csv_quote_never_closed_is_reported_with_its_line_and_later_rows_kept(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n1,"{A}"\n2,"{B}\n3,{C}\n4,"{A} ثانية"\n', encoding="utf-8")
    records, problems = streamed(path)
    assert [(r.id, r.source_row) for r in records] == [("1", 1), ("3", 3), ("4", 4)]
    [problem] = problems
    assert (problem.row, problem.reason) == (2, "bad-row") and "line 3" in problem.detail
    assert table_records(discover([path])[0][0], path.read_bytes(), None)[0] == records  # the same either way


def test_csv_quote_open_at_the_end_of_the_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n1,{A}\n2,"{B}\n3,{C}\n', encoding="utf-8")
    records, problems = streamed(path)
    assert [r.id for r in records] == ["1", "3"]
    assert [(p.row, p.reason) for p in problems] == [(2, "bad-row")] and "line 3" in problems[0].detail


def test_csv_multiline_quoted_text_is_one_row(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(f'id,text\n1,"{A}\n\n{B}, ""{C}"""\n2,{C}\n', encoding="utf-8")
    records, problems = streamed(path)
    assert problems == []
    assert [(r.id, r.text) for r in records] == [("1", f'{A}\n\n{B}, "{C}"'), ("2", C)]


def test_header_only_csv_is_reported(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("id,text,outlet\n", encoding="utf-8")
    expected = [Problem(str(path), None, "empty", "header only, no rows")]
    assert streamed(path) == ([], expected)
    assert whole(path) == ([], expected)


# --- the same records as the whole-file readers -----------------------------------------------------

def crafted_fixtures(folder: Path) -> list[Path]:
    rows = [{"id": "x1", "text": A, "outlet": "BBC Arabic", "date": "2019-05-15"},
            {"id": "x2", "text": B, "outlet": "", "date": "15/05/2019"},
            {"id": "x3", "text": C, "outlet": "سانا", "date": ""}]
    frame = pd.DataFrame(rows)
    files = {
        "a.csv": frame.to_csv(index=False).encode("utf-8"),
        "b.tsv": frame.to_csv(index=False, sep="\t").encode("utf-16"),
        "c.csv": frame.to_csv(index=False, sep=";", lineterminator="\r\n").encode("cp1256"),
        "d.jsonl": (jsonl(rows) + "[1]\n{broken\n\n").encode("iso8859_6"),
        "e.jsonl.gz": gzip.compress(jsonl([{"doc_id": "g1", "body": A}, {"doc_id": "g2", "body": B,
                                                                        "title": "عنوان"}]).encode("utf-8")),
        "f.json": json.dumps({"k1": {"body": B}, "k2": {"body": C}}, ensure_ascii=False).encode("utf-8"),
        "g.csv": f"id,text\n1,{A}\n2,قال,زائد,حقل\n\n3,\"{B}\r\n{C}\"\n".encode("utf-8"),
        "h.ndjson": jsonl([{"content": A}, {"content": B, "title": "ت"}]).encode("utf-8-sig"),
        "i.csv": "name,price\napple,3\n".encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    pd.DataFrame({"id": [f"p{i}" for i in range(7)], "text": [A, B, C, A, B, C, A],
                  "date": pd.to_datetime(["2018-03-15", None, "2019-01-01", None, None, None, None])}
                 ).to_parquet(folder / "p.parquet", row_group_size=3)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in ("a.csv", "d.jsonl", "e.jsonl.gz", "p.parquet"):
            zf.writestr(f"in/{name}", (folder / name).read_bytes())
    (folder / "z.zip").write_bytes(buf.getvalue())
    return sorted(folder.iterdir())


def test_iter_records_gives_the_records_of_table_records_on_every_fixture(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "PARQUET_BATCH_ROWS", 2)  # several record batches
    paths = EXISTING_FIXTURES + crafted_fixtures(tmp_path)
    assert len(EXISTING_FIXTURES) >= 6
    for path in paths:
        s_records, s_problems = streamed(path)
        w_records, w_problems = whole(path)
        assert s_records == w_records, path.name
        assert sorted(map(repr, s_problems)) == sorted(map(repr, w_problems)), path.name
    assert len(streamed(tmp_path / "z.zip")[0]) == 3 + 3 + 2 + 7


def test_a_mapping_applies_to_streamed_tables(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(jsonl([{"full_body": A, "who": "Al Arabiya"}]), encoding="utf-8")
    [rec] = streamed(path, mapping={"text": "full_body", "outlet": "who"})[0]
    assert (rec.text, rec.fields) == (A, {"outlet": "Al Arabiya"})
    assert streamed(path, mapping={"outlet": "who"})[1][0].reason == "no-text-column"
