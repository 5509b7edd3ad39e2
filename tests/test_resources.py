"""Facts about loading and validating the editable language resources."""
import shutil
from pathlib import Path

import pytest

from core.arabic import normalize
from core.model import ResourceError
from core.resources import (
    DEFAULT_DIR,
    Topic,
    dump_topics,
    load_aliases,
    load_gazetteer,
    load_names,
    load_resources,
    load_stopwords,
    load_topics,
    validate_topics,
)


@pytest.fixture
def resdir(tmp_path):
    """A writable copy of the shipped resources."""
    d = tmp_path / "resources"
    shutil.copytree(DEFAULT_DIR, d, ignore=shutil.ignore_patterns("outlets.yaml"))
    return d


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_resources_load_and_validate():
    res = load_resources()
    assert len(res.stopwords) > 500
    assert len(res.gazetteer) > 150
    assert len(res.topics) >= 12
    assert {"person", "place", "organisation"} == {e.type for e in res.gazetteer}
    names = {e.name for e in res.gazetteer}
    assert {"لافروف", "تيلرسون", "بومبيو", "بوتين", "ترامب", "الولايات المتحدة", "سوريا", "موسكو",
            "واشنطن", "مجلس الأمن", "منظمة حظر الأسلحة الكيميائية", "خان شيخون"} <= names


def test_stop_words_are_normalised_on_load():
    sw = load_resources().stopwords
    for w in ["في", "من", "قال", "بشأن", "وقال", "وأكد", "أضاف", "أشار", "إلى", "على", "اليوم", "أمس", "وفي", "فإن"]:
        assert normalize(w) in sw, w
    assert "إلى" not in sw and "الي" in sw          # stored in normalised form only


def test_a_final_alef_maqsura_stops_its_yaa_spelling_except_the_listed_names(tmp_path):
    sw = load_stopwords(write(tmp_path / "stopwords.txt", "على حتى إلى هل\n!علي  # the name Ali\n"))
    assert {"على", "حتى", "حتي", "الى", "الي", "هل"} <= sw
    assert "علي" not in sw
    shipped = load_resources().stopwords
    assert "على" in shipped and "علي" not in shipped
    assert {"هل", "بد", "شك", "ذي"} <= shipped


def test_a_final_yaa_stops_its_alef_maqsura_spelling(tmp_path):
    # Al-Yaum and Al Arabiya write في as فى: it is the same stop word, not a distinctive term
    sw = load_stopwords(write(tmp_path / "stopwords.txt", "في الذي\n!علي\n"))
    assert {"في", "فى", "الذي", "الذى"} <= sw and "علي" not in sw
    assert {"فى", "الذى", "التى"} <= load_resources().stopwords and "علي" not in load_resources().stopwords


def test_names_file_is_normalised_and_validated(tmp_path):
    names = load_names(DEFAULT_DIR / "names.yaml")
    assert {"بن", "بنت"} <= names.connectors and {"عبد", "ابو"} <= names.joined
    assert ("صاحب", "السمو", "الملكي") in names.honorifics
    assert ("خادم", "الحرمين", "الشريفين") in names.titles
    with pytest.raises(ResourceError) as e:
        load_names(write(tmp_path / "names.yaml", "connectors: [بن علي]\n"))
    assert e.value.file == "names.yaml" and "one word" in str(e.value)
    with pytest.raises(ResourceError) as e:
        load_names(write(tmp_path / "names.yaml", "joined: [عبد]\n"))
    assert "before_name" in str(e.value)
    with pytest.raises(ResourceError):
        load_names(write(tmp_path / "names.yaml", "titels: [ولي العهد]\n"))


def test_stop_word_file_rejects_punctuation(tmp_path):
    p = write(tmp_path / "stopwords.txt", "# comment\nفي من\nقال، \n")
    with pytest.raises(ResourceError) as e:
        load_stopwords(p)
    assert e.value.file == "stopwords.txt" and "line 3" in str(e.value.row) and "قال،" in str(e.value)


def test_gazetteer_rejects_an_unknown_type_naming_file_and_entry(tmp_path):
    p = write(tmp_path / "gazetteer.yaml",
              "- {name: لافروف, name_en: Lavrov, type: person}\n"
              "- {name: موسكو, name_en: Moscow, type: city}\n")
    with pytest.raises(ResourceError) as e:
        load_gazetteer(p)
    msg = str(e.value)
    assert e.value.file == "gazetteer.yaml"
    assert "entry 2 (موسكو)" in msg and "person, place, organisation" in msg and "'city'" in msg


def test_gazetteer_rejects_a_variant_claimed_by_two_entities(tmp_path):
    p = write(tmp_path / "gazetteer.yaml",
              "- {name: الولايات المتحدة, name_en: US, type: place, variants: [أمريكا]}\n"
              "- {name: أمريكا الشمالية, name_en: North America, type: place, variants: [امريكا]}\n")
    with pytest.raises(ResourceError) as e:
        load_gazetteer(p)
    assert "entry 2" in str(e.value) and "entry 1" in str(e.value) and "امريكا" in str(e.value)


def test_topics_reject_a_duplicate_id(tmp_path):
    p = write(tmp_path / "topics.yaml",
              "- {id: syria, name_ar: سوريا, name_en: Syria, keywords: [سوريا]}\n"
              "- {id: syria, name_ar: سورية, name_en: Syria 2, keywords: [دمشق]}\n")
    with pytest.raises(ResourceError) as e:
        load_topics(p)
    assert e.value.file == "topics.yaml" and "entry 2 (syria)" in str(e.value) and "duplicate" in str(e.value)


@pytest.mark.parametrize("keywords, reason", [
    ("[]", "keywords is empty"),
    ("[أ ب ج د]", "at most 3"),
    ("[سوريا, سورِيا]", "listed twice"),
])
def test_topics_reject_bad_keywords(tmp_path, keywords, reason):
    p = write(tmp_path / "topics.yaml", f"- {{id: t1, name_ar: موضوع, name_en: Topic, keywords: {keywords}}}\n")
    with pytest.raises(ResourceError) as e:
        load_topics(p)
    assert "entry 1 (t1)" in str(e.value) and reason in str(e.value)


def test_aliases_reject_a_spelling_in_two_groups(tmp_path):
    p = write(tmp_path / "aliases.yaml",
              "groups:\n  - {canonical: سوريا, variants: [سورية]}\n  - {canonical: الشام, variants: [سوريه, سورية]}\n")
    with pytest.raises(ResourceError) as e:
        load_aliases(p)
    assert e.value.file == "aliases.yaml" and "entry 2 (الشام)" in str(e.value) and "entry 1" in str(e.value)


def test_aliases_reject_unknown_forms(tmp_path):
    p = write(tmp_path / "aliases.yaml", "groups:\n  - {canonical: أمريكي, variants: [أميركي], forms: plural}\n")
    with pytest.raises(ResourceError, match="forms must be one of"):
        load_aliases(p)


def test_nisba_alias_covers_derived_forms():
    aliases = load_resources().aliases
    fm = aliases.form_map()
    assert fm["الاميركية"][0] == "الامريكية"
    assert fm["اميركيين"][0] == "امريكيين"
    assert fm["الكيمياوية"][0] == "الكيماوية"
    assert "السورية" not in fm                       # سوريا/سورية is a word alias only


def test_a_stop_word_that_is_a_gazetteer_name_is_refused(resdir):
    with (resdir / "stopwords.txt").open("a", encoding="utf-8") as f:
        f.write("\nموسكو\n")
    with pytest.raises(ResourceError) as e:
        load_resources(resdir)
    assert e.value.file == "gazetteer.yaml" and "(موسكو)" in str(e.value) and "stop word" in str(e.value)


def test_a_topic_keyword_with_a_stop_word_is_refused(resdir):
    with (resdir / "topics.yaml").open("a", encoding="utf-8") as f:
        f.write("\n- {id: arms, name_ar: التسلح, name_en: Arms, keywords: [الحد من الأسلحة]}\n")
    with pytest.raises(ResourceError) as e:
        load_resources(resdir)
    assert e.value.file == "topics.yaml" and "(arms)" in str(e.value) and "'من'" in str(e.value)


def test_invalid_yaml_names_the_line(tmp_path):
    p = write(tmp_path / "topics.yaml", "- id: a\n  keywords: [سوريا\n")
    with pytest.raises(ResourceError) as e:
        load_topics(p)
    assert e.value.file == "topics.yaml" and "line" in str(e.value.row)


def test_fingerprint_changes_when_a_file_changes(resdir):
    before = load_resources(resdir).fingerprint()
    assert load_resources(resdir).fingerprint() == before
    with (resdir / "stopwords.txt").open("a", encoding="utf-8") as f:
        f.write("\nكلمة\n")
    assert load_resources(resdir).fingerprint() != before


def test_dump_topics_round_trips(tmp_path):
    topics = load_resources().topics
    topics[1] = Topic(topics[1].id, topics[1].name_ar, topics[1].name_en, topics[1].keywords + ["الكلور"])
    p = tmp_path / "topics.yaml"
    dump_topics(topics, p)
    again = load_topics(p)
    assert [(t.id, t.keywords) for t in again] == [(t.id, t.keywords) for t in topics]
    assert p.read_text(encoding="utf-8").startswith("#")


def test_validate_topics_from_the_app_editor():
    sw = load_resources().stopwords
    ok = validate_topics([Topic("x", "س", "X", ["الكلور"])], sw)
    assert ok[0].norm_keywords == ["الكلور"]
    with pytest.raises(ResourceError, match="stop word"):
        validate_topics([Topic("x", "س", "X", ["في سوريا"])], sw)


# -- ingestion's word lists (dates.yaml, furniture.yaml, columns.yaml) and outlets.yaml ----------------

def test_ingestion_reads_its_word_lists_from_the_resource_files():
    import yaml

    from core.ingest import dates, furniture, readers
    from core.ingest._text import match_fold

    raw = {n: yaml.safe_load((DEFAULT_DIR / n).read_text(encoding="utf-8"))
           for n in ("dates.yaml", "furniture.yaml", "columns.yaml")}
    assert dates.MONTHS[4] == raw["dates.yaml"]["april"] == ["أبريل", "إبريل", "نيسان", "أفريل", "April", "Apr"]
    assert [dates.MONTHS[m] for m in range(1, 13)] == [raw["dates.yaml"][s] for s in dates.MONTH_SECTIONS]
    assert dates.WEEKDAYS == raw["dates.yaml"]["weekdays"] and "الأربعاء" in dates.WEEKDAYS
    assert furniture.WIDGET_WORDS == raw["furniture.yaml"]["widget_words"] and "SHARE" in furniture.WIDGET_WORDS
    assert furniture.GENERIC_SOURCES == {match_fold(w) for w in raw["furniture.yaml"]["generic_sources"]}
    assert match_fold("وكالات") in furniture.GENERIC_SOURCES
    assert furniture.NOT_PLACE_WORDS == {match_fold(w) for w in raw["furniture.yaml"]["not_place_words"]}
    assert readers.FIELD_SYNONYMS == raw["columns.yaml"] and list(readers.FIELD_SYNONYMS) == list(readers.FIELDS)


def test_word_lists_are_validated_naming_the_file_the_entry_and_the_reason(tmp_path):
    from core.ingest.dates import MONTH_SECTIONS, _name_key
    from core.resources import load_word_lists

    sections = MONTH_SECTIONS + ("weekdays",)
    good = "".join(f"{s}: [{s}]\n" for s in sections)
    p = write(tmp_path / "dates.yaml", good)
    assert load_word_lists(p, sections, exclusive=_name_key)["may"] == ("may",)
    cases = [
        (good.replace("may: [may]\n", ""), "-", "missing section(s): may"),
        (good + "smarch: [x]\n", "-", "unknown section(s): smarch"),
        (good.replace("june: [june]", "june: []"), "june", "june is empty"),
        (good.replace("june: [june]", "june: [june, '']"), "june", "empty or non-text value"),
        (good.replace("june: [june]", "june: [June, june]"), "june entry 2 (june)", "'june' is listed twice"),
        # إبريل and أبريل are one name to the date reader: it may not stand for two months
        (good.replace("april: [april]", "april: [أبريل]").replace("may: [may]", "may: [مايو, إبريل]"),
         "may entry 2 (إبريل)", "'إبريل' is already listed under april"),
    ]
    for text, row, reason in cases:
        write(p, text)
        with pytest.raises(ResourceError) as e:
            load_word_lists(p, sections, exclusive=_name_key)
        assert (e.value.file, e.value.row) == ("dates.yaml", row) and reason in e.value.reason
    write(p, "january: [يناير\n")
    with pytest.raises(ResourceError) as e:
        load_word_lists(p, sections)
    assert e.value.file == "dates.yaml" and e.value.row == "line 2" and "invalid YAML" in e.value.reason
    # within one section the same spelling twice is refused; across sections only when exclusive
    write(p, good.replace("june: [june]", "june: [july]"))
    assert load_word_lists(p, sections)["june"] == ("july",)
    with pytest.raises(ResourceError, match="'july' is already listed under june"):
        load_word_lists(p, sections, exclusive=_name_key)


def test_a_column_name_belongs_to_one_field(tmp_path):
    from core.ingest.readers import FIELDS, norm_column
    from core.resources import load_word_lists

    text = "".join(f"{f}: [{f}]\n" for f in FIELDS).replace("url: [url]", "url: [url, Published At]")
    p = write(tmp_path / "columns.yaml", text.replace("date: [date]", "date: [date, published_at]"))
    with pytest.raises(ResourceError) as e:
        load_word_lists(p, FIELDS, exclusive=norm_column)
    assert (e.value.file, e.value.row) == ("columns.yaml", "url entry 2 (Published At)")
    assert "already listed under date" in e.value.reason


def test_outlets_yaml_is_read_like_the_other_resources(tmp_path):
    from core.ingest.outlets import load_outlets

    p = tmp_path / "outlets.yaml"
    p.write_bytes("\ufeffoutlets:\n  - name: صحيفتي\n    aliases: [My Paper]\n".encode("utf-8"))  # a BOM is fine
    assert load_outlets(p).resolve("my paper") == ("صحيفتي", "")
    for text, row, reason in (
        ("outlets:\n  - name: صحيفتي\n    aliases: [My Paper\n", "line 4", "invalid YAML"),
        ("outlets: []\nsources: []\n", "-", "one section, 'outlets:'"),
        ("outlets:\n  - name: صحيفتي\n    aliases: [X, '']\n", "entry 1 (صحيفتي)", "aliases holds an empty"),
    ):
        write(p, text)
        with pytest.raises(ResourceError) as e:
            load_outlets(p)
        assert (e.value.file, e.value.row) == ("outlets.yaml", row) and reason in e.value.reason


def test_the_nisba_endings_are_written_once():
    from core.resources import ALIAS_FORMS, NISBA_DUALS, NISBA_ENDINGS
    from core.textpipe import key_variants

    # alias groups count every ending after the nisba ي, the duals too
    assert {s for _p, s in ALIAS_FORMS["nisba"]} == set(NISBA_ENDINGS) >= set(NISBA_DUALS) == {"ان", "تان", "تين"}
    assert load_resources().aliases.form_map()["الامريكيتين"][0] == "الامريكيتين"
    # a topic keyword's forms are the same endings without the duals (ة also as its folded ه)
    singles = {"ي" + e for e in NISBA_ENDINGS if e not in NISBA_DUALS} | {"يه"}
    assert key_variants("كيماوي") == {p + "كيماو" + e for p in ("", "ال") for e in singles}


def test_save_topic_keywords_writes_the_edit_and_refuses_a_stop_word(tmp_path):
    """The topic editor's save is a plain function: the edited lexicon is written and reads back;
    a keyword holding a stop word is refused and nothing is written."""
    from core.model import ResourceError
    from core.resources import load_resources, load_topics, save_topic_keywords

    res = load_resources()
    first = res.topics[0]
    path = tmp_path / "topics.yaml"
    save_topic_keywords(path, res.topics, first.id, ["زلزال", "هزة أرضية"], res.stopwords)
    back = {t.id: t for t in load_topics(path)}
    assert back[first.id].keywords == ["زلزال", "هزة أرضية"]
    assert [t.id for t in load_topics(path)] == [t.id for t in res.topics]
    other = tmp_path / "other.yaml"
    with pytest.raises(ResourceError, match="stop word"):
        save_topic_keywords(other, res.topics, first.id, ["في"], res.stopwords)
    assert not other.exists()
