"""The bad-input corpus (tests/data/bad/, described by its MANIFEST.json): every file gives exactly
the report rows its case names (file, row, reason) and keeps exactly its good articles, whether
it is loaded whole (``load``), streamed (``stream``, what the build reads) or built into an index
with all the others; loading every file together keeps every good article."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.ingest import PROBLEM_REASONS, load, load_bytes, load_outlets, readers, stream
from core.ingest.pipeline import prepare

BAD = Path(__file__).resolve().parent / "data" / "bad"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8"))
CASES = MANIFEST["cases"]


def pending(case: dict) -> bool:
    """A case marked "xfail" in the manifest whose reason code the product does not have yet."""
    return bool(case.get("xfail")) and not {r["reason"] for r in case["report"]} <= set(PROBLEM_REASONS)


def case_param(case: dict):
    marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if pending(case) else []
    return pytest.param(case, id=case["file"], marks=marks)


@pytest.fixture(autouse=True)
def low_caps(monkeypatch):
    """The manifest's decompression caps (so the shipped bombs can be 2 KB files)."""
    for name, value in MANIFEST["caps"].items():
        assert hasattr(readers, name)
        monkeypatch.setattr(readers, name, value)


def expected_rows(case: dict) -> list[tuple[str, int | None, str]]:
    return sorted((r.get("file", case["file"]), r["row"], r["reason"]) for r in case["report"])


def rows_of(problems, prefix: str = "") -> list[tuple[str, int | None, str]]:
    return sorted((p.file.removeprefix(prefix), p.row, p.reason) for p in problems)


def check_details(case: dict, problems, prefix: str) -> None:
    for r in case["report"]:
        if "detail" in r:
            where = (r.get("file", case["file"]), r["row"], r["reason"])
            details = [p.detail for p in problems if (p.file.removeprefix(prefix), p.row, p.reason) == where]
            assert any(r["detail"] in d for d in details), (where, details)


def check_articles(case: dict, articles) -> None:
    assert [a.id for a in articles] == case["keep"]
    by_id = {a.id: a for a in articles}
    for aid, text in case.get("text", {}).items():
        assert text in by_id[aid].text
    for aid, outlet in case.get("outlet", {}).items():
        assert by_id[aid].outlet == outlet


def streamed(paths: list[Path]):
    """What the build does with the inputs: stream, prepare, admit (in order)."""
    s = stream(paths)
    outlets = load_outlets()
    for rec, stated in s.records:
        prepared, problems = prepare(rec, stated, outlets)
        s.assembler.problems += problems
        if prepared is not None:
            s.assembler.admit(prepared)
    return s.assembler.articles, s.assembler.problems


def test_the_manifest_names_every_file_once_with_known_reasons():
    files = sorted(p.name for p in BAD.iterdir() if p.name not in ("MANIFEST.json", "_make.py"))
    assert sorted(c["file"] for c in CASES) == files
    assert {r["reason"] for c in CASES if not pending(c) for r in c["report"]} <= set(PROBLEM_REASONS)
    # every good article is one of its own: ids are unique across the corpus
    keep = [i for c in CASES for i in c["keep"]]
    assert len(keep) == len(set(keep))


@pytest.mark.parametrize("case", [case_param(c) for c in CASES])
def test_each_file_loaded_alone(case):
    path = BAD / case["file"]
    prefix = f"{BAD}/"
    result = load([path])
    assert rows_of(result.problems, prefix) == expected_rows(case)
    check_details(case, result.problems, prefix)
    check_articles(case, result.articles)

    articles, problems = streamed([path])
    assert rows_of(problems, prefix) == expected_rows(case)
    check_articles(case, articles)

    uploaded = load_bytes(case["file"], path.read_bytes())   # an upload of the same bytes
    assert rows_of(uploaded.problems) == expected_rows(case)
    check_articles(case, uploaded.articles)


def test_all_files_together_keep_every_good_article():
    paths = [BAD / c["file"] for c in CASES]
    prefix = f"{BAD}/"
    ok = [c for c in CASES if not pending(c)]
    loaded = load(paths)
    for articles, problems in ((loaded.articles, loaded.problems), streamed(paths)):
        kept = [a.id for a in articles if any(a.source_file.startswith(str(BAD / c["file"])) for c in ok)]
        assert kept == [i for c in ok for i in c["keep"]]   # in file order, none dropped, none renamed
        found = [r for r in rows_of(problems, prefix) if any(r[0].startswith(c["file"]) for c in ok)]
        assert found == sorted(row for c in ok for row in expected_rows(c))


def test_the_index_of_all_files_reports_the_manifest(tmp_path):
    from core.index.build import build_index

    ok = [c for c in CASES if not pending(c)]
    corpus = build_index([BAD / c["file"] for c in CASES], tmp_path / "bad.duckdb", workers=1,
                         reuse=False, quotes=False)
    try:
        ids = [r[0] for r in corpus.rows("SELECT id FROM articles")]
        assert sorted(ids) == sorted(i for c in CASES for i in c["keep"])
        report = sorted((f.removeprefix(f"{BAD}/"), None if r is None else int(r), reason)
                        for f, r, reason in corpus.rows("SELECT file, row, reason FROM report"))
        report = [r for r in report if any(r[0].startswith(c["file"]) for c in ok)]
        assert report == sorted(row for c in ok for row in expected_rows(c))
    finally:
        corpus.con.close()
