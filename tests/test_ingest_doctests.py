"""The Arabic examples in the ingestion docstrings are facts too: run them."""
from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

MODULES = ["core.ingest", "core.ingest._text", "core.ingest.dates", "core.ingest.encoding", "core.ingest.furniture",
           "core.ingest.metadata", "core.ingest.outlets", "core.ingest.readers"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parent.parent)  # examples read data/sample
    module = importlib.import_module(name)
    failures, attempted = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert attempted > 0 and failures == 0
