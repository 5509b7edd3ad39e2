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
    from ui import corpora

    at = _open(monkeypatch, tmp_path)
    heads = [s.value for s in at.subheader]
    for want in ("Largest stories", "How each outlet told it", "Stories over time", "Per-outlet figures"):
        assert want in heads
    assert any(h.startswith("Blind spots") for h in heads)
    arts = S.story_articles(corpora.get_corpus(), None)
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
    every = sorted(set(corpora.get_corpus().sql("SELECT DISTINCT outlet FROM articles")["outlet"]))
    target = max(every, key=lambda o: len(S.blind_spots(arts, o, every)))
    blind = S.blind_spots(arts, target, every)
    assert len(blind) > 0 and (blind["outlets"] >= 3).all()
    assert not set(blind["story_id"]) & set(arts.loc[arts["outlet"] == target, "story_id"])
    at.selectbox(key="st_blind_outlet").set_value(target).run()
    assert not at.exception, at.exception
    assert at.dataframe[5].value["story_id"].tolist() == blind["story_id"].tolist()
    # no title reaches Markdown, except inside the escaped HTML block of a version read side by side
    titles = set(arts["title"])
    assert not any(t in (m.value or "") for m in at.markdown for t in titles
                   if 'data-testid="marsad-story-version"' not in (m.value or ""))


def test_the_page_in_arabic_and_under_an_outlet_filter(library_dir, monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path, lang="ar")
    assert "أكبر القصص" in [s.value for s in at.subheader]
    from core.analysis import stories as S
    from ui import corpora

    at.multiselect(key="f_outlets").set_value(["سي إن إن بالعربية"]).run()
    assert not at.exception, at.exception
    want = S.story_list(S.story_articles(corpora.get_corpus(), st_filter(at)))
    shown = at.dataframe[0].value
    assert 0 < len(shown) < len(S.story_list(S.story_articles(corpora.get_corpus(), None)))
    assert shown["story_id"].tolist() == want["story_id"].tolist()
    # every story listed holds a CNN article; the blind-spot outlet is the filtered one
    assert at.selectbox(key="st_blind_outlet").options == ["سي إن إن بالعربية"]


def st_filter(at):
    return at.session_state["filter"]


def test_one_story_shows_each_outlets_terms_quotes_and_two_versions_side_by_side(library_dir, monkeypatch, tmp_path):
    from core.analysis import stories as S
    from ui import corpora

    at = _open(monkeypatch, tmp_path)
    heads = [s.value for s in at.subheader]
    for want in ("What sets each outlet's telling apart (log-odds on the story's articles)",
                 "Whom each outlet quoted in the story", "Two outlets' versions side by side"):
        assert want in heads
    corpus = corpora.get_corpus()
    pick = at.selectbox(key="st_pick").value
    texts = S.story_texts(corpus, pick)
    versions = [m.value for m in at.markdown if 'data-testid="marsad-story-version"' in m.value]
    assert len(versions) == 2                        # the first two articles of the story, escaped
    from core.markup import html_text

    for html, (_i, row) in zip(versions, texts.head(2).iterrows()):
        assert html_text(row["text"].split("\n")[0][:30]) in html      # escaped as the page escapes it
    terms = S.story_terms(corpus, pick)
    assert set(terms["outlet"]) <= set(texts["outlet"]) and (terms["z"] > 0).all()
    assert len(set(terms["outlet"])) >= 2           # each outlet's telling has words of its own


def test_the_compare_page_shows_the_story_figures_per_outlet(library_dir, monkeypatch, tmp_path):
    at = _open(monkeypatch, tmp_path)
    at.switch_page("pages/compare_page.py").run()
    assert not at.exception, at.exception
    at.session_state["cmp_tab"] = "Stories"   # its own tab, computed when opened
    at.run()
    assert not at.exception, at.exception
    assert "Stories: first reports, lag and blind spots (the Stories page)" in [s.value for s in at.subheader]
    figs = next(d.value for d in at.dataframe if "first_share" in d.value.columns)
    assert len(figs) == 5 and figs["first_share"].between(0, 1).all()


def test_the_timeline_draws_the_largest_stories_and_says_so(library_dir, monkeypatch, tmp_path):
    import json

    from core.analysis import stories as S
    from ui import corpora

    monkeypatch.setattr(S, "TIMELINE_STORIES", 3)
    at = _open(monkeypatch, tmp_path)
    total = len(S.story_list(S.story_articles(corpora.get_corpus(), None, outlets_aware=False)))
    assert total > 3
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert len(spec["data"][0]["x"]) == 3
    assert any(c.value == f"The chart draws the 3 largest of {total:,} stories."
               for c in at.caption)
