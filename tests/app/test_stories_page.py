"""The Stories page on the hand-judged ANT days: the largest stories, one story told by each outlet,
blind spots of the chosen outlet, the timeline, the per-outlet figures, a CSV for every table; titles
are data (shown in tables and options, never as Markdown)."""
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
GOLD = ROOT / "tests" / "data" / "stories_gold" / "ant_2018-05-08_10.jsonl.gz"


def _open(monkeypatch, tmp_path, lang="en") -> AppTest:
    src = tmp_path / "ant"
    src.mkdir()
    shutil.copy(GOLD, src / GOLD.name)
    monkeypatch.setenv("MARSAD_CORPUS", str(src))
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    at.switch_page("pages/stories_page.py").run()
    assert not at.exception, at.exception
    return at


def test_the_stories_page_shows_stories_blind_spots_timeline_and_figures(library_dir, monkeypatch, tmp_path):
    from core.analysis import stories as S
    from ui import state

    at = _open(monkeypatch, tmp_path)
    heads = [s.value for s in at.subheader]
    for want in ("Largest stories", "How each outlet told it", "Stories over time", "Per-outlet figures"):
        assert want in heads
    assert any(h.startswith("Blind spots") for h in heads)
    arts = S.story_articles(state.get_corpus(), None)
    lst = S.story_list(arts)
    frames = [d.value for d in at.dataframe]
    assert frames[0]["story_id"].tolist() == lst["story_id"].head(200).tolist()
    assert lst["outlets"].iloc[0] >= 3
    per = frames[1]                                    # the first story, outlet by outlet
    assert len(per) == lst["outlets"].iloc[0] and (per["lag_days"] >= 0).all() and (per["lag_days"] == 0).any()
    figs = frames[-1]
    assert len(figs) == 5 and figs["first_share"].between(0, 1).all()
    assert len(at.get("plotly_chart")) == 1
    assert len(at.get("download_button")) >= 5
    # another story: its outlets table follows
    other = lst["story_id"].iloc[1]
    at.selectbox(key="st_pick").set_value(other).run()
    assert not at.exception, at.exception
    assert set(at.dataframe[1].value["outlet"]) == set(arts.loc[arts["story_id"] == other, "outlet"])
    # blind spots of an outlet: the large stories (3+ of the 5 outlets) it did not carry
    every = sorted(set(state.get_corpus().sql("SELECT DISTINCT outlet FROM articles")["outlet"]))
    target = max(every, key=lambda o: len(S.blind_spots(arts, o, every)))
    blind = S.blind_spots(arts, target, every)
    assert len(blind) > 0 and (blind["outlets"] >= 3).all()
    assert not set(blind["story_id"]) & set(arts.loc[arts["outlet"] == target, "story_id"])
    at.selectbox(key="st_blind_outlet").set_value(target).run()
    assert not at.exception, at.exception
    assert at.dataframe[3].value["story_id"].tolist() == blind["story_id"].tolist()
    # no title ever reaches Markdown
    titles = set(arts["title"])
    assert not any(t in (m.value or "") for m in at.markdown for t in titles)


def test_the_page_in_arabic_and_under_an_outlet_filter(library_dir, monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path, lang="ar")
    assert "أكبر القصص" in [s.value for s in at.subheader]
    from core.analysis import stories as S
    from ui import state

    at.multiselect(key="f_outlets").set_value(["سي إن إن بالعربية"]).run()
    assert not at.exception, at.exception
    want = S.story_list(S.story_articles(state.get_corpus(), st_filter(at)))
    shown = at.dataframe[0].value
    assert 0 < len(shown) < len(S.story_list(S.story_articles(state.get_corpus(), None)))
    assert shown["story_id"].tolist() == want["story_id"].tolist()
    # every story listed holds a CNN article; the blind-spot outlet is the filtered one
    assert at.selectbox(key="st_blind_outlet").options == ["سي إن إن بالعربية"]


def st_filter(at):
    return at.session_state["filter"]
