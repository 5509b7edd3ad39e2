"""AppTest runs the real app.py in-process: point its caches at a temporary folder first."""
import os
import tempfile
from pathlib import Path

import pytest

_TMP = Path(tempfile.mkdtemp(prefix="marsad-apptest-"))
os.environ.setdefault("MARSAD_CACHE", str(_TMP / "cache"))
os.environ.setdefault("MARSAD_VAR", str(_TMP / "var"))
os.environ.setdefault("MARSAD_EXTRA_CORPUS", str(Path(__file__).resolve().parents[1] / "data" / "ant_excerpt.jsonl"))

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _run_from_project_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def library_dir(tmp_path, monkeypatch):
    """An empty corpus library (MARSAD_LIBRARY) for one test; the app's handles are released after it."""
    lib = tmp_path / "library"
    lib.mkdir()
    monkeypatch.setenv("MARSAD_LIBRARY", str(lib))
    monkeypatch.delenv("MARSAD_CORPUS", raising=False)
    yield lib
    from ui import corpora

    corpora.reload_corpus()


@pytest.fixture
def sample_index(tmp_path):
    """The five sample articles indexed into a .duckdb file (what `python -m core build` writes)."""
    from core.index.build import build_index

    def make(path):
        build_index([ROOT / "data" / "sample"], path, workers=1).con.close()
        return path

    return make
