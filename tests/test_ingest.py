"""Ingestion facts on the founding sample (with and without its sidecar) and on the ANT excerpt."""
from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from core.ingest import IngestResult, load
from core.model import SOURCE_INFERRED, SOURCE_SIDECAR, SOURCE_UNKNOWN, UNKNOWN

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"
EXCERPT = ROOT / "tests" / "data" / "ant_excerpt.jsonl"
IDS = ["000_058533779b74fd40", "001_1fb983bfe6a1107a", "002_8bb5bcd9b53559f5",
       "003_2fb4171725300b4b", "004_b20770630bddb0e8"]


@pytest.fixture(scope="module")
def with_sidecar() -> dict:
    result = load(SAMPLE)
    assert result.problems == []
    return {a.id: a for a in result.articles}


@pytest.fixture(scope="module")
def without_sidecar(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("sample_no_sidecar")
    for path in SAMPLE.glob("*.txt"):
        shutil.copy(path, folder / path.name)
    result = load(folder)
    assert result.problems == []
    return {a.id: a for a in result.articles}


def seed_text(i: int) -> str:
    return (SAMPLE / f"{IDS[i]}.txt").read_text(encoding="utf-8")


# --- metadata with and without the sidecar -------------------------------------------------------

def test_sample_loads_five_articles_named_after_their_files(with_sidecar):
    assert sorted(with_sidecar) == IDS
    assert all(a.source_file.endswith(a.id + ".txt") and a.source_row is None for a in with_sidecar.values())


@pytest.mark.parametrize("i, outlet, outlet_en, date", [
    (0, "قاسيون", "Kassioun", dt.date(2017, 4, 12)),
    (2, "شينخوا", "Xinhua Arabic", dt.date(2017, 4, 13)),
    (3, "سيريانيوز", "SyriaNews", dt.date(2017, 4, 12)),
    (4, "الثورة", "Al-Thawra", dt.date(2019, 5, 15)),
])
def test_sidecar_values_are_used_and_marked_sidecar(with_sidecar, i, outlet, outlet_en, date):
    art = with_sidecar[IDS[i]]
    assert (art.outlet, art.outlet_en, art.date) == (outlet, outlet_en, date)
    assert (art.outlet_source, art.date_source) == (SOURCE_SIDECAR, SOURCE_SIDECAR)


def test_sidecar_url_is_kept(with_sidecar):
    assert with_sidecar[IDS[0]].url == "https://kassioun.org/news/item/20668-2017-04-12-22-05-04"
    assert with_sidecar[IDS[2]].url == ""


def test_empty_sidecar_row_means_unknown_never_guessed(with_sidecar):
    art = with_sidecar[IDS[1]]
    assert (art.outlet, art.outlet_en, art.date) == (UNKNOWN, "", None)
    assert (art.outlet_source, art.date_source) == (SOURCE_UNKNOWN, SOURCE_UNKNOWN)


@pytest.mark.parametrize("i, outlet, date, date_source", [
    (2, "شينخوا", dt.date(2017, 4, 13), SOURCE_INFERRED),   # dateline "موسكو 13 أبريل 2017 (شينخوا)"
    (3, "سيريانيوز", None, SOURCE_UNKNOWN),                  # signature line; no date stated in the text
    (4, "الثورة", dt.date(2019, 5, 15), SOURCE_INFERRED),    # footer "وكالات – الثورة: / التاريخ: …"
])
def test_without_sidecar_outlet_and_date_are_inferred(without_sidecar, i, outlet, date, date_source):
    art = without_sidecar[IDS[i]]
    assert (art.outlet, art.outlet_source) == (outlet, SOURCE_INFERRED)
    assert (art.date, art.date_source) == (date, date_source)


@pytest.mark.parametrize("i", [0, 1])
def test_without_sidecar_nothing_is_guessed_for_000_and_001(without_sidecar, i):
    art = without_sidecar[IDS[i]]
    assert (art.outlet, art.date, art.outlet_source, art.date_source) == (UNKNOWN, None, SOURCE_UNKNOWN, SOURCE_UNKNOWN)


def test_seed_004_date_is_the_footer_not_a_date_in_the_story_or_the_news_list(without_sidecar):
    art = without_sidecar[IDS[4]]
    assert "عام 2020" in art.text_original and "24/11/2024" in art.text_original
    assert art.date == dt.date(2019, 5, 15)


def test_explicit_metadata_argument_is_a_sidecar_too(tmp_path):
    for path in SAMPLE.glob("*.txt"):
        shutil.copy(path, tmp_path / path.name)
    result = load(tmp_path, metadata=SAMPLE / "metadata.csv")
    arts = {a.id: a for a in result.articles}
    assert result.problems == []
    assert (arts[IDS[0]].outlet, arts[IDS[0]].outlet_source) == ("قاسيون", SOURCE_SIDECAR)


# --- headlines and text ----------------------------------------------------------------------------

@pytest.mark.parametrize("i, title", [
    (0, "موسكو وواشنطن تتفقان على إنشاء مجموعة عمل لمعالجة الخلافات بينهما"),
    (3, "لافروف:تطور جزئي في مباحثاتنا مع تيلرسون واتفقنا على التعاون حول سوريا"),
    (4, "روسيا وأميركا تتعهدان بتحسين العلاقات الثنائية.. واتفاق على عودة قنوات الاتصال.. لافروف وبومبيو: "
        "احترام سيادة ووحدة أراضي سورية والقضاء على التنظيمات الإرهابية"),
])
def test_seeds_with_a_headline_get_it_as_title_and_keep_it_in_the_counted_text(with_sidecar, i, title):
    art = with_sidecar[IDS[i]]
    assert art.title == title
    assert art.text.split("\n")[0] == title


@pytest.mark.parametrize("i", [1, 2])
def test_dateline_and_wrapped_first_lines_are_not_headlines(with_sidecar, i):
    # 002 opens with "موسكو 13 أبريل 2017 (شينخوا) اتفقت …", 001 with a line broken mid-sentence
    assert with_sidecar[IDS[i]].title == ""


def test_text_original_is_the_file_exactly(with_sidecar):
    for i, art_id in enumerate(IDS):
        assert with_sidecar[art_id].text_original == seed_text(i)


def test_seed_001_loses_its_two_read_also_lines(with_sidecar):
    art = with_sidecar[IDS[1]]
    teasers = [r for r in art.removed if r.startswith("اقرأ أيضا")]
    assert teasers == ["اقرأ أيضا: رغم تدني الثقة.. الحوار مستمر بين واشنطن وموسكو حول الأسد",
                       "اقرأ أيضا: تراجع علاقات أمريكية وروسيا لمستوى متدن بعد ضربة سوريا"]
    assert "اقرأ أيضا" not in art.text and "حول الأسد" not in art.text
    assert "والتقى سيرغي" in art.text


def test_seed_002_dateline_prefix_is_cut_and_its_sentence_kept(with_sidecar):
    art = with_sidecar[IDS[2]]
    assert art.removed == ["موسكو 13 أبريل 2017 (شينخوا)"]
    assert art.text.startswith("اتفقت روسيا والولايات المتحدة على مواصلة مكافحة الإرهاب")


def test_seed_003_loses_signature_most_read_header_and_share_widgets(with_sidecar):
    art = with_sidecar[IDS[3]]
    for furniture in ("SHARE", "close", "المواضيع الأكثر قراءة", "سيريانيوز"):
        assert furniture not in art.text
    assert art.removed == ["سيريانيوز", "المواضيع الأكثر قراءة", "SHARE", "close"]
    assert art.text.endswith("وسط تهديدات متبادلة باتخاذ إجراءات عقابية.")


def test_seed_003_whitespace_oddities_are_normalised_in_text_only(with_sidecar):
    art = with_sidecar[IDS[3]]
    assert "\u00a0" in art.text_original
    assert "\u00a0" not in art.text and "  " not in art.text and "\n\n" not in art.text
    assert "وقررت روسيا منذ ايام" in art.text


def test_seed_004_latest_news_list_and_footer_do_not_survive(with_sidecar):
    art = with_sidecar[IDS[4]]
    assert "آخر الأخبار" not in art.text
    # words found only in the unrelated headline list and the footer
    for word in ("الأسد", "نتنياهو", "جباليا", "بيدرسون", "24/11/2024", "16978", "15-5-2019", "وكالات"):
        assert word in art.text_original and word not in art.text
    assert art.removed[:4] == ["وكالات – الثورة:", "التاريخ: الأربعاء 15-5-2019", "الرقم: 16978", "آخر الأخبار"]
    assert art.text.endswith("على أي مساس بمصالحها من طهران حسب تعبيره.")


def test_seed_000_has_nothing_to_remove(with_sidecar):
    art = with_sidecar[IDS[0]]
    assert art.removed == []
    assert art.text == "\n".join(line.strip() for line in seed_text(0).split("\n") if line.strip())


# --- the ANT excerpt ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def excerpt() -> IngestResult:
    return load(EXCERPT)


def test_excerpt_counts_per_outlet_use_canonical_names(excerpt):
    counts = Counter((a.outlet, a.outlet_en) for a in excerpt.articles)
    assert counts == {
        ("سكاي نيوز عربية", "Sky News Arabia"): 148, ("العربية", "Al Arabiya"): 90,
        ("فرانس 24", "France 24 Arabic"): 41, ("بي بي سي عربي", "BBC Arabic"): 38,
        ("سي إن إن بالعربية", "CNN Arabic"): 25,
    }
    assert all(a.outlet_source == SOURCE_SIDECAR and a.date_source == SOURCE_SIDECAR for a in excerpt.articles)


def test_excerpt_report_names_every_skipped_row(excerpt):
    reasons = Counter(p.reason for p in excerpt.problems)
    assert reasons == {"duplicate-url": 18, "duplicate-text": 1, "empty": 2, "empty-after-cleaning": 2}
    assert len(excerpt.articles) + sum(reasons.values()) == 365
    assert all(p.file == str(EXCERPT) and isinstance(p.row, int) for p in excerpt.problems)


def test_excerpt_duplicates_name_the_kept_article(excerpt):
    rows = [json.loads(line) for line in EXCERPT.read_text(encoding="utf-8").splitlines()]
    kept = {a.id for a in excerpt.articles}
    for p in excerpt.problems:
        if p.reason == "duplicate-url":
            kept_id = p.detail.split("'")[1]
            assert kept_id in kept
            first = next(r for r in rows if r["doc_id"] == kept_id)
            assert first["url"] == rows[p.row - 1]["url"]


def test_disclaimer_only_rows_are_reported_and_skipped(excerpt):
    rows = [json.loads(line) for line in EXCERPT.read_text(encoding="utf-8").splitlines()]
    skipped = [p for p in excerpt.problems if p.reason == "empty-after-cleaning"]
    assert [rows[p.row - 1]["text"] for p in skipped] == ["** جميع المقالات المنشورة تمثل رأي كتابها فقط."] * 2
    assert {rows[p.row - 1]["doc_id"] for p in skipped}.isdisjoint(a.id for a in excerpt.articles)


def test_excerpt_row_fields(excerpt):
    art = next(a for a in excerpt.articles if a.id == "BB-technology-83-20180315")
    assert art.date == dt.date(2018, 3, 15)            # "2018-03-15T00:23:30Z": the UTC date part
    assert art.category == "technology"
    assert art.url == "http://www.bbc.co.uk/arabic/science-and-tech-43408421"
    assert art.source_row == 1
    assert art.title == "شركة واتساب تخطط لاكتساح سوق الخدمات المالية في الهند"
    assert art.text.startswith(art.title + "\nقالت شركة واتساب")  # the title is counted with the text
    assert not art.text_original.startswith(art.title)


def test_excerpt_cnn_datelines_are_cut(excerpt):
    cnn = [a for a in excerpt.articles if a.outlet_en == "CNN Arabic"]
    with_dateline = [a for a in cnn if "(CNN)" in a.text_original.split("\n")[0]]
    assert len(with_dateline) >= 20
    for art in with_dateline:
        assert "(CNN)" not in art.text.split("\n")[1]
        assert any("(CNN)" in r for r in art.removed)


def test_report_frame_columns(excerpt):
    frame = excerpt.report_frame()
    assert list(frame.columns) == ["file", "row", "reason", "detail"]
    assert len(frame) == len(excerpt.problems)
    assert str(frame["row"].dtype) == "Int64"


def test_html_character_references_are_decoded_at_ingestion_and_kept_in_the_original():
    """Scrapers keep HTML references (&quot; &#39; &amp; &#65271;): the counted text and the title are
    decoded; the original text keeps what the file had; a bare ampersand is left alone."""
    import json

    from core.ingest import load_bytes

    row = {"title": "عنوان &quot;الخبر&quot;", "outlet": "صحيفة", "date": "2018-03-01",
           "text": "قال الوزير &quot;نعم&quot; و&#39;لا&#39; AT&T &#65271; للصحفيين في الرياض اليوم"}
    result = load_bytes("a.jsonl", (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
    [art] = result.articles
    assert '"نعم"' in art.text and "'لا'" in art.text and "AT&T" in art.text and "\ufef7" in art.text
    assert "&quot;" not in art.text and "&#39;" not in art.text
    assert art.title == 'عنوان "الخبر"'
    assert "&quot;نعم&quot;" in art.text_original
