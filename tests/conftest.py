"""Shared fixtures: corpora built once per test session from data that ships with the project."""
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
EXCERPT = ROOT / "tests" / "data" / "ant_excerpt.jsonl"


@pytest.fixture(scope="session")
def sample_corpus():
    from core.index.handle import Corpus

    return Corpus.build([SAMPLE])


@pytest.fixture(scope="session")
def excerpt_corpus():
    from core.index.handle import Corpus

    return Corpus.build([EXCERPT])
