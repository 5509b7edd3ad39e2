"""Stories against hand-checked multi-outlet groups of the ANT excerpt (tests/data/stories_gold/groups.csv):
the recall of same-event pairs inside the groups, the purity of the story each group lands in, and that no
story joins two groups. See tests/data/stories_gold/README.md for how the groups were judged."""
from itertools import combinations
from pathlib import Path

import pandas as pd
import pytest

GOLD = Path(__file__).resolve().parent / "data" / "stories_gold"
EXCERPT = GOLD / "ant_2018-05-08_10.jsonl.gz"

#: What the clustering reaches on the gold groups (measured: recall 0.27 = 39 of 146 cross-outlet pairs,
#: purity 0.96; inside the 18,744 ANT articles of March-June 2018, 38 of 146, purity 0.96 on these days'
#: articles). Recall is poor: the 19-article Golan exchange of 10 May gets 1 of its 75 pairs, the
#: detainees 1 of 6, the sanctions 1 of 5, Mahathir's win 2 of 12. One story (the 8 May Kiswah strike) also takes a 10 May
#: Golan-night report (SK-middleEast-1563), so it mixes two groups; the bound below allows that one.
GROUP_RECALL = 0.25
GROUP_PURITY = 0.9
MIXED_STORIES = 1


@pytest.fixture(scope="module")
def groups() -> pd.DataFrame:
    return pd.read_csv(GOLD / "groups.csv", dtype=str)


@pytest.fixture(scope="module")
def excerpt() -> pd.DataFrame:
    return pd.read_json(EXCERPT, lines=True, dtype={"doc_id": str})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from core.index.build import build_index

    corpus = build_index([EXCERPT], tmp_path_factory.mktemp("groups") / "g.duckdb", workers=1)
    arts = corpus.sql("SELECT aid, id, outlet FROM articles")
    st = corpus.sql("SELECT s.story_id, a.id FROM stories s JOIN articles a USING (aid)")
    yield arts, dict(zip(st["id"], st["story_id"]))
    corpus.con.close()


def test_the_groups_file_is_well_formed(groups, excerpt):
    assert list(groups.columns) == ["group_id", "doc_id"]
    assert set(groups["doc_id"]) <= set(excerpt["doc_id"])
    assert not groups["doc_id"].duplicated().any()               # no article in two groups
    outlet = dict(zip(excerpt["doc_id"], excerpt["outlet"]))
    per = groups.assign(outlet=groups["doc_id"].map(outlet)).groupby("group_id")["outlet"].nunique()
    assert len(per) >= 12 and (per >= 3).sum() >= 8 and (per >= 2).all()


def measure(groups: pd.DataFrame, arts: pd.DataFrame, story: dict) -> dict:
    """Recall over same-group pairs of different outlets, purity of each group's main story, and the
    stories holding members of two groups. The index keeps one of an outlet's exact duplicates (the
    excerpt files some articles under two categories), so only members the index holds are counted."""
    outlet = dict(zip(arts["id"], arts["outlet"]))
    g = groups[groups["doc_id"].isin(outlet)]
    pairs = hits = 0
    purity, mixed, per_group = [], set(), {}
    sizes = pd.Series(list(story.values())).value_counts()
    for gid, members in g.groupby("group_id")["doc_id"]:
        members = list(members)
        cross = [(a, b) for a, b in combinations(members, 2) if outlet[a] != outlet[b]]
        got = sum(a in story and story.get(a) == story.get(b) for a, b in cross)
        pairs += len(cross)
        hits += got
        sids = pd.Series([story[m] for m in members if m in story])
        if sids.empty:
            share = 0.0
        else:
            main = sids.value_counts().index[0]
            share = (sids == main).sum() / sizes[main]
        purity.append(share)
        per_group[gid] = (got, len(cross), round(share, 2))
    owner = {}
    for gid, m in zip(g["group_id"], g["doc_id"]):
        if m in story:
            if owner.setdefault(story[m], gid) != gid:
                mixed.add(story[m])
    return {"recall": hits / max(pairs, 1), "purity": sum(purity) / max(len(purity), 1), "mixed": mixed,
            "groups": per_group}


def test_recall_and_purity_on_the_hand_checked_groups(groups, built):
    arts, story = built
    assert groups["doc_id"].isin(set(arts["id"])).mean() > 0.8
    m = measure(groups, arts, story)
    assert len(m["mixed"]) <= MIXED_STORIES, m                   # a story should not join two events
    assert m["recall"] >= GROUP_RECALL, m
    assert m["purity"] >= GROUP_PURITY, m
