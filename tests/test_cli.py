"""Facts about the command line: ``python -m core summarize PATH… --out DIR`` writes the documented
CSVs with the library's numbers, follows the filter options and reports bad inputs."""
import io
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from core.export import csv_bytes
from core.filter import Filter

ROOT = Path(__file__).resolve().parent.parent
VENV_PY = ROOT / ".venv" / "bin" / "python"
PYTHON = str(VENV_PY if VENV_PY.exists() else Path(sys.executable))
BOM = b"\xef\xbb\xbf"
FILES = ["articles.csv", "keywords.csv", "ngrams.csv", "entities.csv", "topics.csv", "candidates.csv", "outlets.csv",
         "report.csv",
         "distinctive.csv", "reuse.csv", "quotes.csv", "variants.csv", "stories.csv", "story_outlets.csv"]
SEED_IDS = {"000_058533779b74fd40", "001_1fb983bfe6a1107a", "002_8bb5bcd9b53559f5",
            "003_2fb4171725300b4b", "004_b20770630bddb0e8"}


def summarize(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "core", "summarize", *args, "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "out"
    res = summarize(out, "data/sample")
    assert res.returncode == 0, res.stderr
    return out


def test_writes_every_csv_as_utf8_after_one_bom(sample_out):
    assert sorted(p.name for p in sample_out.iterdir()) == sorted(FILES)
    for name in FILES:
        data = (sample_out / name).read_bytes()
        assert data.startswith(BOM) and not data[3:].startswith(BOM), name
        data[3:].decode("utf-8")  # raises UnicodeDecodeError at the first byte that is not UTF-8


def test_documented_columns(sample_out):
    def header(name):
        return list(read(sample_out / name).columns)

    assert header("articles.csv") == ["id", "outlet", "date", "title", "words", "outlet_source", "date_source"]
    kw = header("keywords.csv")
    assert kw[:4] == ["term", "label", "count", "articles"]
    assert set(kw[4:]) == {f"count:{o}" for o in ("قاسيون", "شينخوا", "سيريانيوز", "الثورة", "unknown")}
    ng = header("ngrams.csv")
    assert ng[0] == "n" and ng[1:5] == ["term", "label", "count", "articles"] and ng[5:] == kw[4:]
    assert header("entities.csv") == ["article_id", "entity", "type", "mentions"]
    assert header("candidates.csv") == ["name", "type", "mentions", "articles", "example"]
    assert header("topics.csv") == ["article_id", "topic", "hits"]
    assert header("report.csv") == ["file", "row", "reason", "detail"]
    assert header("stories.csv") == ["story_id", "article_id", "outlet", "date", "title", "published"]
    assert header("story_outlets.csv") == ["story_id", "outlet", "first_date", "articles", "lag_days", "lag_hours",
                                           "first_published"]


def test_articles_csv_lists_the_five_seeds_with_provenance(sample_out):
    arts = read(sample_out / "articles.csv")
    assert set(arts["id"]) == SEED_IDS
    row = arts[arts["id"] == "001_1fb983bfe6a1107a"].iloc[0]
    assert (row["outlet"], row["date"], row["outlet_source"], row["date_source"]) == ("unknown", "", "unknown", "unknown")
    row = arts[arts["id"] == "002_8bb5bcd9b53559f5"].iloc[0]
    assert (row["outlet"], row["date"], row["outlet_source"]) == ("شينخوا", "2017-04-13", "sidecar")


def test_keywords_csv_is_the_librarys_keyword_table(sample_out, sample_corpus):
    from core.analysis import keywords

    expected = csv_bytes(keywords.keyword_table(sample_corpus, Filter(), n=1, limit=200))
    assert (sample_out / "keywords.csv").read_bytes() == expected
    kw = read(sample_out / "keywords.csv")
    # لافروف counted by hand (with للافروف in 002): 000 ×6, 001 ×4, 002 ×4, 003 ×7, 004 ×15
    row = kw[kw["label"] == "لافروف"].iloc[0]
    assert (row["count"], row["articles"]) == ("36", "5")
    assert (row["count:قاسيون"], row["count:unknown"], row["count:شينخوا"], row["count:سيريانيوز"],
            row["count:الثورة"]) == ("6", "4", "4", "7", "15")


def test_other_csvs_hold_the_librarys_numbers(sample_out, sample_corpus):
    from core.analysis import distinctive, entities, quotes_view, reuse_view, topics, variants

    same = {
        "entities.csv": entities.article_entities(sample_corpus, Filter())[["article_id", "entity", "type", "mentions"]],
        "topics.csv": topics.article_topics(sample_corpus, Filter())[["article_id", "topic", "hits"]],
        "variants.csv": variants.variant_table(sample_corpus, Filter()),
        "quotes.csv": quotes_view.quotes(sample_corpus, Filter()),
        "reuse.csv": reuse_view.reuse_pairs(sample_corpus, Filter()),
        "distinctive.csv": distinctive.distinctive_all(sample_corpus, Filter()),
    }
    for name, df in same.items():
        assert (sample_out / name).read_bytes() == csv_bytes(df), name
    ent = read(sample_out / "entities.csv")
    pompeo = ent[(ent["article_id"] == "004_b20770630bddb0e8") & (ent["entity"] == "بومبيو")]
    assert pompeo[["type", "mentions"]].values.tolist() == [["person", "13"]]  # 13 by hand in 004
    reuse = read(sample_out / "reuse.csv")
    assert {frozenset(p) for p in zip(reuse["a_id"], reuse["b_id"])} == {
        frozenset({"000_058533779b74fd40", "003_2fb4171725300b4b"})}


def test_outlet_option_narrows_to_one_article(tmp_path):
    res = summarize(tmp_path, "data/sample", "--outlet", "شينخوا")
    assert res.returncode == 0, res.stderr
    arts = read(tmp_path / "articles.csv")
    assert arts["id"].tolist() == ["002_8bb5bcd9b53559f5"]
    kw = read(tmp_path / "keywords.csv")
    assert [c for c in kw.columns if c.startswith("count:")] == ["count:شينخوا"]
    assert read(tmp_path / "reuse.csv").empty  # شينخوا shares no passage with anyone


def test_date_options_keep_the_day_and_the_undated(tmp_path):
    # core.filter: undated articles are included unless the filter says otherwise (the CLI has no
    # option for it), so the undated 001 stays beside 002, the only article of 2017-04-13.
    res = summarize(tmp_path, "data/sample", "--from", "2017-04-13", "--to", "2017-04-13")
    assert res.returncode == 0, res.stderr
    arts = read(tmp_path / "articles.csv")
    assert set(arts["id"]) == {"002_8bb5bcd9b53559f5", "001_1fb983bfe6a1107a"}
    assert set(arts.loc[arts["date"] != "", "date"]) == {"2017-04-13"}


def test_a_bad_path_is_a_report_row_not_a_crash(tmp_path):
    missing = tmp_path / "no_such_folder" / "x.txt"
    res = summarize(tmp_path / "out", "data/sample", str(missing))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    rep = read(tmp_path / "out" / "report.csv")
    rows = rep[rep["file"] == str(missing)]
    assert len(rows) == 1 and rows.iloc[0]["reason"] == "missing"
    assert set(read(tmp_path / "out" / "articles.csv")["id"]) == SEED_IDS


def test_formula_title_comes_out_neutralised(tmp_path):
    src = tmp_path / "in.csv"
    pd.DataFrame({
        "title": ["=HYPERLINK(1)"],
        "text": ["قال لافروف إن موسكو مستعدة للحوار مع واشنطن بشأن سوريا"],
        "outlet": ["شينخوا"],
        "date": ["2017-04-13"],
    }).to_csv(src, index=False)
    res = summarize(tmp_path / "out", str(src))
    assert res.returncode == 0, res.stderr
    raw = (tmp_path / "out" / "articles.csv").read_bytes().decode("utf-8-sig")
    arts = pd.read_csv(io.StringIO(raw), dtype=str, keep_default_na=False)
    assert arts["title"].tolist() == ["'=HYPERLINK(1)"]
    assert ",=HYPERLINK" not in raw
    assert arts["outlet"].tolist() == ["شينخوا"]
