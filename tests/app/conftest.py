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
