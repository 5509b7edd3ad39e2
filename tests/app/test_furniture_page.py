"""The Data page lists the furniture learned per outlet; rejecting or adding a pattern rebuilds the
corpus with the decision, and the decision is kept beside the corpus."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FURNITURE = ROOT / "tests" / "data" / "furniture" / "corpus.jsonl"


def _data_page(monkeypatch, tmp_path) -> AppTest:
    src = tmp_path / "أفق"
    src.mkdir()
    (src / "corpus.jsonl").write_bytes(FURNITURE.read_bytes())
    monkeypatch.setenv("MARSAD_CORPUS", str(src))
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/data_page.py").run()
    assert not at.exception, at.exception
    return at


def _patterns(at):
    from core.analysis import furniture as view
    from ui import corpora

    return view.furniture_patterns(corpora.get_corpus())


def test_the_data_page_lists_the_learned_furniture_and_saves_a_rejection(library_dir, monkeypatch, tmp_path):
    at = _data_page(monkeypatch, tmp_path)
    assert any("Learned page furniture" in s.value for s in at.subheader)
    df = _patterns(at)
    assert (df["outlet"] == "الأفق").sum() >= 5 and (df["status"] == "on").all()
    from core.ingest.learned import span_key
    from ui import corpora

    row = int(df.index[df["pattern"] == span_key("التالي السابق")][0])
    at.session_state["da_fur_أفق"] = {"edited_rows": {row: {"on": False}}, "added_rows": [], "deleted_rows": []}
    at.text_input(key="da_fur_text").set_value("تابعوا آخر الأخبار على موقع")
    at.selectbox(key="da_fur_kind").set_value("lead")
    next(b for b in at.button if b.label == "Save and rebuild").click().run()
    assert not at.exception, at.exception
    saved = corpora.furniture_file("أفق").read_text(encoding="utf-8")
    assert "الأفق,line,التالي السابق,reject" in saved and ",lead," in saved and ",add" in saved
    after = _patterns(at)
    assert after[after["pattern"] == span_key("التالي السابق")]["status"].tolist() == ["rejected"]
    texts = [r[0] for r in corpora.get_corpus().rows("SELECT text FROM articles WHERE outlet = 'الأفق'")]
    assert sum("التالي السابق" in t for t in texts) == 40    # the rebuilt corpus keeps the rejected line
