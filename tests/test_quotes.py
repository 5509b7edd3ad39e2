"""Facts about quoted statements: what is a statement, who said it, and the same statement across outlets."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from core.extract.quotes import QUOTE_FRAME_COLUMNS, cluster_statements, join_statements, extract_quotes, quote_spans, quotes_frame, speaker_counts
from core.arabic import word_spans

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample"

# A tiny person matcher (word sequences, one-letter proclitics allowed), independent of the gazetteer.
NAMES = {
    "لافروف": [["سيرغي", "لافروف"], ["لافروف"]], "تيلرسون": [["ريكس", "تيلرسون"], ["تيلرسون"]],
    "بوتين": [["فلاديمير", "بوتين"], ["بوتين"]], "بومبيو": [["مايك", "بومبيو"], ["بومبيو"]],
    "ترامب": [["ترامب"]], "أوباما": [["باراك", "اوباما"]], "الأسد": [["بشار", "الاسد"], ["الاسد"]],
    "روبرت مولر": [["روبرت", "مولر"]], "إنفانتينو": [["انفانتينو"]],
}


def tiny_people(text: str) -> list[tuple[str, int, int]]:
    ws, st, en = word_spans(text)
    out, i = [], 0
    while i < len(ws):
        for name, forms in NAMES.items():
            hit = next((f for f in forms if ws[i:i + len(f)][1:] == f[1:] and len(ws[i:i + len(f)]) == len(f)
                        and (ws[i] == f[0] or (ws[i][0] in "وفبل" and ws[i][1:] == f[0]))), None)
            if hit:
                out.append((name, int(st[i]), int(en[i + len(hit) - 1])))
                i += len(hit)
                break
        else:
            i += 1
    return out


def seed_articles() -> pd.DataFrame:
    meta = pd.read_csv(SAMPLE / "metadata.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "aid": range(len(meta)),
        "outlet": [o or "unknown" for o in meta["outlet"]],
        "date": [dt.date.fromisoformat(d) if d else None for d in meta["date"]],
        "text": [(SAMPLE / f).read_text(encoding="utf-8") for f in meta["file"]],
    })


def gazetteer_people(texts):
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper, norm_counts

    res = load_resources()
    matcher = EntityMatcher(res.gazetteer, Grouper.build(norm_counts(texts), res))
    return lambda t: [(name, s, e) for name, typ, s, e in matcher.find_in_text(t) if typ == "person"]


@pytest.fixture(scope="module", params=["tiny matcher", "gazetteer matcher"])
def seeds(request):
    arts = seed_articles()
    people = tiny_people if request.param == "tiny matcher" else gazetteer_people(arts["text"])
    return arts, quotes_frame(arts, people)


def one(q: pd.DataFrame, aid: int, starts: str) -> pd.Series:
    rows = q[(q.aid == aid) & q.text.str.startswith(starts)]
    assert len(rows) == 1, (starts, rows.text.tolist())
    return rows.iloc[0]


def test_frame_columns_and_offsets(seeds):
    arts, q = seeds
    assert list(q.columns) == QUOTE_FRAME_COLUMNS
    for r in q.itertuples():
        assert arts.loc[r.aid, "text"][r.start:r.end] == r.text
    assert q.groupby("aid")["quote_id"].apply(list).map(lambda ids: ids == list(range(len(ids)))).all()


def test_tillerson_restore_trust_in_both_articles(seeds):
    _, q = seeds
    a = one(q, 0, "علينا أن نفعل كل شيء من أجل استعادة الثقة")
    b = one(q, 1, "علينا أن نعمل كل شيء من أجل استعادة الثقة")
    assert (a.speaker, a.cue, a.how) == ("تيلرسون", "قال", "direct")   # من جانبه، قال تيلرسون: "…"
    assert (b.speaker, b.how) == ("تيلرسون", "direct")
    assert a.text == "علينا أن نفعل كل شيء من أجل استعادة الثقة بين بلدينا ووقف تدهور العلاقات"


def test_tillerson_statement_is_one_statement_across_kassioun_and_unknown_outlet(seeds):
    _, q = seeds
    st = cluster_statements(q)
    trust = st[st.text.str.contains("استعادة الثقة بين بلدينا")]
    assert trust.statement_id.nunique() == 1
    assert sorted(trust.outlet) == sorted(["قاسيون", "unknown"]) and set(trust.speaker) == {"تيلرسون"}
    # the only cross-outlet statement among the seeds
    assert st.statement_id.nunique() == 1 and len(st) == 2


def test_subjectless_cue_is_carried_from_a_single_speaker_sentence(seeds):
    _, q = seeds
    # وقال لافروف إن العلاقات … ⏎ وقال: "أعتقد أن …"
    r = one(q, 0, "أعتقد أن في الولايات المتحدة وروسيا")
    assert (r.speaker, r.cue, r.how) == ("لافروف", "قال", "carried")
    # وعبر لافروف عن تفاؤله … ⏎ وختم بالقول: "إنني متأكد …" (the names inside the quote are not speakers)
    r = one(q, 0, "إنني متأكد من أن الساعات العديدة")
    assert (r.speaker, r.cue, r.how) == ("لافروف", "ختم", "carried")
    # وتابع … : Xinhua, "واتفق معه تيلرسون … قائلا إن …" ⏎ وقال في المؤتمر الصحفي " هناك …"
    r = one(q, 2, "هناك مستوى متدن من الثقة بين دولتينا")
    assert (r.speaker, r.how) == ("تيلرسون", "carried")


def test_a_title_alone_is_the_speaker_and_is_carried(seeds):
    # Kassioun: "ودعا الوزير الأمريكي إلى …" (Tillerson, but not by name) ⏎ وأضاف: "وافقنا على …"
    # The subject is kept as written and carried to the subjectless وأضاف.
    _, q = seeds
    r = one(q, 0, "وافقنا على إنشاء مجموعة عمل")
    assert (r.speaker, r.how, r.cue) == ("الوزير الأمريكي", "carried", "أضاف")
    # Xinhua: "وقال الوزير " لقد كان يوما طويلا..." (stray spaces inside the quote marks)
    r = one(q, 2, "لقد كان يوما طويلا...")
    assert r.speaker == "الوزير" and r.text.endswith("على الساحة الدولية")
    # Al-Thawra: "وأضاف الرئيس الروسي قائلا: ونحن …" (colon form, a title as subject)
    r = one(q, 4, "ونحن من جانبنا عبرنا مرارا")
    assert (r.speaker, r.how) == ("الرئيس الروسي", "colon")


def test_reported_with_qawluhu_and_participles(seeds):
    _, q = seeds
    # ونقلت وكالات انباء عن لافروف قوله, خلال مؤتمر صحفي , مع نظيره الامريكي, انه "سيجري …"، لافتا الى ان " موسكو …"
    r = one(q, 3, "سيجري تشكيل مجموعة عمل")
    assert (r.speaker, r.cue, r.how) == ("لافروف", "قوله", "direct")
    r = one(q, 3, "موسكو وواشنطن اتفقتا أيضا")
    assert (r.speaker, r.cue) == ("لافروف", "لافتا")
    # من جانبه, وصف تيلرسون … بانها "متدنية", مشددا على "وقف تدهور العلاقات …"
    r = one(q, 3, "وقف تدهور العلاقات واعادة الثقة")
    assert (r.speaker, r.cue) == ("تيلرسون", "مشددا")


def test_colon_form_without_quote_marks(seeds):
    arts, q = seeds
    r = one(q, 4, "كما تعرفون تحدثت مع الرئيس الأميركي")
    assert (r.speaker, r.cue, r.how) == ("بوتين", "قال", "colon")
    assert r.text.endswith("لحل المسائل ذات الاهتمام المشترك معا")
    r = one(q, 4, "اتفقنا على مواصلة المشاورات")   # وأضاف قائلاً: … after "وقال لافروف … أمس: …"
    assert (r.speaker, r.how) == ("لافروف", "carried")


def test_scare_quotes_and_names_are_not_statements(seeds):
    _, q = seeds
    texts = set(q.text)
    for short in ["ستارت 3", "التدخل الروسي", "تهدئة الأمور", "أرغومينتي إي فاكتي", "تقدم جزئي", "الفيتو",
                  "متدنية", "تصحيح العلاقات", "واثقة تماما", "تحقيق موضوعي ومحايد", "عملية سياسية سلمية"]:
        assert short not in texts
        assert not any(t.strip() == short for t in texts)
    # ... while a 5-word quote introduced by "وأكد لافروف … أن الجانبين اتفقا على" is one
    assert one(q, 4, "أهمية إعادة إقامة القنوات للتواصل").speaker == "لافروف"


def test_quote_across_a_wrapped_line(seeds):
    _, q = seeds
    r = one(q, 1, "لقد اتفقنا على أن تكون")
    assert r.text == "لقد اتفقنا على أن تكون\nكوريا الشمالية خالية من الأسلحة النووية"
    assert (r.speaker, r.cue) == ("تيلرسون", "علق")


# -- rules on small examples ---------------------------------------------------------------------

def quotes_of(text: str):
    return [(q.text, q.speaker, q.cue, q.how) for q in extract_quotes(text, tiny_people)]


def test_continued_speech_carries_the_last_speaker():
    # the last speaker, even when the sentence before named two
    text = 'قال لافروف إن المحادثات مثمرة، فيما قال تيلرسون إن الثقة متدنية.\nوأضاف: "لن نتراجع عن موقفنا أبدا".'
    assert quotes_of(text)[-1] == ("لن نتراجع عن موقفنا أبدا", "تيلرسون", "أضاف", "carried")
    text = 'قال لافروف إن المحادثات كانت مثمرة.\nوأضاف: "لن نتراجع عن موقفنا أبدا".'
    assert quotes_of(text) == [("المحادثات كانت مثمرة", "لافروف", "قال", "reported"),
                               ("لن نتراجع عن موقفنا أبدا", "لافروف", "أضاف", "carried")]


def test_speaker_after_the_quote_and_short_direct_quotes():
    assert quotes_of('"نحن مستعدون للحوار مع الجميع"، قال لافروف.') == [
        ("نحن مستعدون للحوار مع الجميع", "لافروف", "قال", "direct")]
    assert quotes_of('قال لافروف: "لا".') == [("لا", "لافروف", "قال", "direct")]
    assert quotes_of('ذكرت "رويترز" أن الاجتماع انتهى.') == []          # the quoted word is the subject
    assert quotes_of('واستخدمت روسيا حق النقض "الفيتو" للمرة الثامنة.') == []


def test_the_name_after_an_is_not_the_speaker():
    # the name after إن belongs to the reported content; the subject is the unnamed official
    assert quotes_of('وقال مسؤول أمريكي إن ترامب "لن يغير رأيه في هذه المسألة أبدا".') == [
        ("لن يغير رأيه في هذه المسألة أبدا", "مسؤول أمريكي", "قال", "direct")]


def test_nested_and_mixed_quote_marks():
    t = 'وقال إنفانتينو "سيكون لدينا أول مونديال مع استخدام "في اي آر"، تمت الموافقة على ذلك".'
    assert quotes_of(t) == [('سيكون لدينا أول مونديال مع استخدام "في اي آر"، تمت الموافقة على ذلك',
                             "إنفانتينو", "قال", "direct")]
    t = "وتحدث بوتين عن «التدخل الروسي» ووصفه بأنه «كلام فارغ لا أساس له من الصحة»، وقال لافروف: “نحن واقعيون جدا في هذا”."
    assert [q[:2] for q in quotes_of(t)] == [("كلام فارغ لا أساس له من الصحة", "بوتين"),
                                             ("نحن واقعيون جدا في هذا", "لافروف")]
    two = 'قال " لقد كان يوما طويلا".\nوقال" مع كل المشاكل".'
    assert [two[s:e] for s, e in quote_spans(two)] == [
        " لقد كان يوما طويلا", " مع كل المشاكل"]


def test_same_statements_respects_speakers_and_needs_two_outlets():
    q = pd.DataFrame({
        "aid": [1, 2, 3, 4, 5], "quote_id": [0, 0, 0, 0, 0],
        "outlet": ["قاسيون", "شينخوا", "شينخوا", "الثورة", "الثورة"],
        "speaker": ["لافروف", None, "تيلرسون", "لافروف", "بوتين"],
        "text": [
            "روسيا تصر على إجراء تحقيق موضوعي في حادثة إدلب",
            "إن روسيا تصر على إجراء تحقيق موضوعي في حادثة إدلب",
            "روسيا تصر على إجراء تحقيق موضوعي في حادثة إدلب",
            "نحن واقعيون وندرك أن تجاوز هذه الحواجز صعب",
            "نحن واقعيون وندرك أن تجاوز هذه الحواجز صعب",
        ],
    })
    st = cluster_statements(q)
    groups = st.groupby("statement_id")["aid"].apply(sorted).tolist()
    # Lavrov's wording and the unattributed one are one statement; Tillerson's identical words are not his;
    # 4 (Lavrov) and 5 (Putin) are both in الثورة and by different speakers: no cluster
    assert groups == [[1, 2]]
    assert set(st.speaker) == {"لافروف"}



def test_joining_statements_with_nothing_stored_is_the_full_clustering(excerpt_corpus):
    """An append's clustering (``join_statements``) with no stored statement and every quote new is
    ``cluster_statements``: the same clusters, numbered -1, -2, …"""
    q = excerpt_corpus.sql("SELECT q.aid, a.outlet, CAST(q.quote_id AS INTEGER) AS quote_id, q.speaker, q.text "
                           "FROM quotes q JOIN articles a USING (aid) ORDER BY q.aid, CAST(q.quote_id AS INTEGER)")
    full = cluster_statements(q)
    assert full.statement_id.nunique() >= 5
    joined = join_statements(q, np.ones(len(q), dtype=bool), np.full(len(q), -1), [None] * len(q))
    pd.testing.assert_frame_equal(joined.assign(statement_id=-1 - joined.statement_id).sort_values(
        ["statement_id", "aid", "quote_id"]).reset_index(drop=True), full.assign(statement_id=full.statement_id.astype(int)),
        check_dtype=False)


def test_a_new_quote_joins_the_stored_statement_it_matches_unless_the_speakers_differ():
    q = pd.DataFrame({"aid": [0, 1, 2, 3], "quote_id": [0, 0, 0, 0],
                      "outlet": ["قاسيون", "الثورة", "قاسيون", "شينخوا"],
                      "speaker": [None, None, None, "لافروف"],
                      "text": ["روسيا تصر على إجراء تحقيق موضوعي في حادثة إدلب"] * 2
                              + ["إن روسيا تصر على إجراء تحقيق موضوعي في حادثة إدلب"] * 2})
    st = join_statements(q, [False, False, True, True], [4, 4, -1, -1], ["بوتين", "بوتين", None, None])
    # 2 joins Putin's stored statement 4 (one outlet is enough: the statement spans two); 3 is Lavrov's,
    # so it does not, and alone it is no statement
    assert st[["statement_id", "aid", "speaker"]].values.tolist() == [[4, 2, "بوتين"]]


def test_repeated_wordings_are_matched_once_and_give_every_copy_the_same_matches(excerpt_corpus):
    """The build matches each (wording, speaker) once and hands the matches to every copy: the same
    match graph as scoring every pair of quotes, on quotes repeated as agency copy is (and as the
    benchmark's resampled corpora are), some copies by another speaker."""
    from core.extract.quotes import _statement_matches

    q = excerpt_corpus.sql("SELECT q.aid, a.outlet, CAST(q.quote_id AS INTEGER) AS quote_id, q.speaker, q.text "
                           "FROM quotes q JOIN articles a USING (aid) ORDER BY q.aid, CAST(q.quote_id AS INTEGER)")
    copies = q.sample(frac=0.5, random_state=1).assign(aid=lambda f: f.aid + 10_000)
    other = q.sample(frac=0.2, random_state=2).assign(aid=lambda f: f.aid + 20_000, speaker="متحدث آخر")
    many = pd.concat([q, copies, copies.assign(aid=lambda f: f.aid + 30_000), other], ignore_index=True)
    grouped, toks, speakers = _statement_matches(many, 70)
    every, toks2, speakers2 = _statement_matches(many, 70, focus=np.ones(len(many), dtype=bool))
    as_sets = lambda nb: {i: sorted(v) for i, v in nb.items() if v}
    assert as_sets(grouped) == as_sets(every)
    assert sum(map(len, grouped.values())) > 2 * len(q)        # the copies do match each other
    assert (toks, speakers) == (toks2, speakers2)


def test_the_appends_numpy_matching_finds_the_pairs_the_plain_matching_finds(excerpt_corpus, monkeypatch):
    """An append matches its new quotes with every word and trigram numbered in numpy
    (quotes._focused_grams); the same match graph as numbering them quote by quote, here with the
    excerpt's quotes, a text in presentation forms (NFKC applies to it alone), one holding the separator
    word the numpy way joins the texts with, and an empty one."""
    from core.extract import quotes as Q

    q = excerpt_corpus.sql("SELECT q.aid, a.outlet, q.speaker, q.text FROM quotes q JOIN articles a USING (aid) "
                           "ORDER BY q.aid, q.quote_id")
    extra = pd.DataFrame({"aid": [10**6] * 4, "outlet": ["x"] * 4, "speaker": [None] * 4,
                          "text": ["\ufefb\ufe8e\ufee3 " + q["text"].iloc[0], "QxSepXq " + q["text"].iloc[1], "",
                                   q["text"].iloc[2] + " qxsepxq"]})
    q = pd.concat([q, extra], ignore_index=True)
    focus = np.zeros(len(q), bool)
    focus[::7] = True
    focus[-4:] = True
    got = Q._statement_matches(q, 70, focus)
    monkeypatch.setattr(Q, "_focused_grams", lambda w, f: None)
    want = Q._statement_matches(q, 70, focus)
    assert sum(len(v) for v in want[0].values()) > 20
    assert {k: sorted(v) for k, v in got[0].items()} == {k: sorted(v) for k, v in want[0].items()}
    assert got[1] == want[1] and got[2] == want[2]


def test_wordings_are_the_normalised_words_of_each_quote_joined_by_a_space(excerpt_corpus):
    """``wordings`` (what the index stores in ``quote_words``): for every quote, its normalised tokens
    joined by one space, and ``split(" ")`` gives them back, presentation forms, the separator word and
    empty or missing texts included."""
    from core import arabic
    from core.extract.quotes import wordings

    texts = excerpt_corpus.sql("SELECT text FROM quotes ORDER BY aid, quote_id")["text"].tolist()
    texts += ["\ufefb\ufe8e\ufee3 " + texts[0], "QxSepXq " + texts[1], "", None, "«»"]
    got = wordings(texts)
    want = [arabic.tokenize(arabic.normalize(t or "")) for t in texts]
    assert len(got) == len(texts) > 300
    assert [w.split(" ") if w else [] for w in got] == want
    assert got[-3:] == ["", "", ""]


def test_stored_wordings_give_the_match_graph_of_the_texts(excerpt_corpus):
    """An append reads the stored quotes' wordings (an Arrow array, null where none is stored) instead of
    normalising their texts again: the same match graph, word counts and statements as from the texts,
    also when the stored quotes' texts are not read at all."""
    import pyarrow as pa

    from core.extract import quotes as Q

    q = excerpt_corpus.sql("SELECT q.aid, a.outlet, CAST(q.quote_id AS INTEGER) AS quote_id, q.speaker, q.text "
                           "FROM quotes q JOIN articles a USING (aid) ORDER BY q.aid, CAST(q.quote_id AS INTEGER)")
    new = np.zeros(len(q), bool)
    new[::5] = True
    words = Q.wordings(q["text"].tolist())
    known = pa.array([None if n else w for n, w in zip(new, words)], type=pa.string())
    blind = q.assign(text=[t if n else None for n, t in zip(new, q["text"])])   # only the new quotes' texts
    want = Q._statement_matches(q, 70, new)
    for frame, given in ((q, words), (q, known), (blind, known)):
        got = Q._statement_matches(frame, 70, new, words=given)
        assert {k: sorted(v) for k, v in got[0].items()} == {k: sorted(v) for k, v in want[0].items()}
        assert got[1] == want[1] and got[2] == want[2]
    assert sum(len(v) for v in want[0].values()) > 20
    stored = np.where(new, -1, np.arange(len(q)) % 7)
    speakers = [None] * len(q)
    joined = join_statements(q, new, stored, speakers)[["statement_id", "aid", "quote_id"]]
    assert (joined["statement_id"] >= 0).sum() >= 3    # new quotes joined stored statements
    pd.testing.assert_frame_equal(join_statements(blind, new, stored, speakers, words=known)[["statement_id", "aid", "quote_id"]],
                                  joined)
    with pytest.raises(ValueError):
        Q._statement_matches(q, 70, new, words=words[:-1])
