"""Globals for the docstring examples of core/textpipe.py (run by ``--doctest-modules``): the seeds'
grouping ``g``, its entity matcher ``m`` and the resources ``res``, as tests/test_textpipe.py builds them."""
from pathlib import Path

import pytest

SEEDS = sorted((Path(__file__).resolve().parent.parent / "data" / "sample").glob("*.txt"))


@pytest.fixture(scope="session")
def _seed_pipeline():
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper, norm_counts

    res = load_resources()
    g = Grouper.build(norm_counts([p.read_text(encoding="utf-8") for p in SEEDS]), res)
    return {"res": res, "g": g, "m": EntityMatcher(res.gazetteer, g)}


@pytest.fixture(autouse=True)
def _textpipe_globals(request, doctest_namespace):
    if request.node.nodeid.startswith("core/textpipe.py"):
        doctest_namespace.update(request.getfixturevalue("_seed_pipeline"))
