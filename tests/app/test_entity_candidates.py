"""AppTest: the Entities page lists names the gazetteer lacks, and one click adds one to the analyst's
gazetteer; the corpus is recounted and the name is then counted as an entity, no longer a candidate."""
import json
from pathlib import Path

import pytest

from tests.app.test_app_pages import figures, open_page

pytestmark = pytest.mark.app

CORPUS = Path(__file__).resolve().parents[1] / "data" / "names_candidates.jsonl"


@pytest.fixture
def start(monkeypatch):
    from ui import corpora

    monkeypatch.setenv("MARSAD_CORPUS", str(CORPUS))
    corpora.USER_GAZETTEER.unlink(missing_ok=True)
    yield CORPUS.name.split(".")[0]
    corpora.USER_GAZETTEER.unlink(missing_ok=True)     # the next tests see the shipped gazetteer only
    corpora.reload_corpus()


def candidate_names(at) -> list[str]:
    for df in at.dataframe:
        if "variants" in df.value.columns and "example" in df.value.columns:
            return list(df.value["name"])
    return []


def bar_labels(at) -> str:
    return json.dumps(figures(at), ensure_ascii=False)


def test_candidates_are_listed_and_one_click_counts_one(start):
    from core.resources import load_gazetteer
    from ui import corpora

    at = open_page("entities", corpus=start)
    names = candidate_names(at)
    assert names[:1] == ["نواف بن مشعل"] and "سامر الخطيب" in names and "القريحة" in names
    assert any(b.proto.label.startswith("⬇") for b in at.get("download_button"))
    assert "نواف بن مشعل" not in bar_labels(at)

    at.selectbox(key="en_cand_pick").set_value("نواف بن مشعل").run()
    assert at.text_input(key="en_cand_name_نواف بن مشعل").value == "نواف بن مشعل"
    assert at.selectbox(key="en_cand_type_نواف بن مشعل").value == "person"
    at.button(key="en_cand_add").click().run()
    assert not at.exception, at.exception

    assert [e.name for e in load_gazetteer(corpora.USER_GAZETTEER)] == ["نواف بن مشعل"]
    assert any("نواف بن مشعل" in s.value for s in at.success)
    assert "نواف بن مشعل" in bar_labels(at)                  # counted now (the corpus was recounted)
    assert "نواف بن مشعل" not in candidate_names(at)
    assert "سامر الخطيب" in candidate_names(at)

    at.button(key="en_cand_reset").click().run()              # remove the additions: counted as before
    assert not at.exception, at.exception
    assert not corpora.USER_GAZETTEER.exists()
    assert "نواف بن مشعل" in candidate_names(at)


def test_a_refused_addition_says_why(start):
    at = open_page("entities", corpus=start, lang="en")
    at.selectbox(key="en_cand_pick").set_value("سامر الخطيب").run()
    at.text_input(key="en_cand_name_سامر الخطيب").set_value("الرياض").run()   # the gazetteer has it
    at.button(key="en_cand_add").click().run()
    assert not at.exception, at.exception
    assert at.error and "gazetteer" in at.error[0].value
