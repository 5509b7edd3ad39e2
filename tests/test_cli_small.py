"""Facts about the command line on small corpora (one article, one outlet, no dates at all) and on the
hostile corpus: ``build``, ``add`` and ``summarize`` (from sources and from an index) succeed and say
what they counted."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
SMALL = ROOT / "tests" / "data" / "small"
HOSTILE = ROOT / "tests" / "data" / "hostile"
CORPORA = {  # corpus → (articles, outlets, undated)
    "one_article": (SMALL / "one_article.jsonl", 1, 1, 0),
    "one_outlet": (SMALL / "one_outlet.jsonl", 3, 1, 0),
    "no_dates": (SMALL / "no_dates.jsonl", 3, 2, 3),
    "hostile": (HOSTILE, 6, 6, 0),
}


def core(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "core", *args, "--workers", "1"], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", CORPORA)
def test_build_then_summarize_the_index(tmp_path, name):
    path, articles, outlets, undated = CORPORA[name]
    db = tmp_path / f"{name}.duckdb"
    res = core("build", str(path), "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"{articles} articles,"), res.stdout
    out = tmp_path / "out"
    res = core("summarize", "--index", str(db), "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert f"{articles} articles, {outlets} outlets" in res.stdout and f"{undated} undated" in res.stdout, res.stdout
    assert len(read(out / "articles.csv")) == articles
    assert len(read(out / "outlets.csv")) == outlets


@pytest.mark.parametrize("name", CORPORA)
def test_summarize_from_sources(tmp_path, name):
    path, articles, outlets, undated = CORPORA[name]
    res = core("summarize", str(path), "--out", str(tmp_path / "out"))
    assert res.returncode == 0, res.stderr
    assert f"{articles} articles, {outlets} outlets" in res.stdout, res.stdout
    for csv in ("keywords.csv", "ngrams.csv", "distinctive.csv", "reuse.csv", "quotes.csv", "variants.csv"):
        assert (tmp_path / "out" / csv).exists(), csv


def test_summarize_with_a_filter_that_keeps_nothing(tmp_path):
    res = core("summarize", str(SMALL / "one_article.jsonl"), "--out", str(tmp_path / "out"), "--from", "2030-01-01")
    assert res.returncode == 0, res.stderr
    assert "0 articles, 0 outlets" in res.stdout, res.stdout
    assert read(tmp_path / "out" / "articles.csv").empty


@pytest.mark.parametrize("first, second", [("one_article", "no_dates"), ("no_dates", "one_outlet")])
def test_add_a_small_corpus_to_another(tmp_path, first, second):
    db = tmp_path / "index.duckdb"
    assert core("build", str(CORPORA[first][0]), "--db", str(db)).returncode == 0
    res = core("add", str(CORPORA[second][0]), "--db", str(db))
    assert res.returncode == 0, res.stderr
    added = CORPORA[second][1]
    assert res.stdout.startswith(f"{added} articles added"), res.stdout
    assert f"{CORPORA[first][1] + added} articles in all" in res.stdout, res.stdout


def test_the_hostile_corpus_reports_the_invisible_outlet(tmp_path):
    out = tmp_path / "out"
    assert core("summarize", str(HOSTILE), "--out", str(out)).returncode == 0
    report = read(out / "report.csv")
    assert sorted(report["reason"]) == ["invisible-name", "invisible-name"]
    assert set(report["row"]) == {"5"}
    articles = read(out / "articles.csv")
    assert "eviltxt.exe" in set(articles["id"]) and not any("\u202e" in v for v in articles["id"])
