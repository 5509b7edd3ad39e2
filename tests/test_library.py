"""Facts about the corpus library (core/library.py): names, uploads, listing with status, the start corpus."""
import json
from pathlib import Path

import duckdb
import pytest

from core import library

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "sample"


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    """A tiny library: the five sample articles indexed as «عينة الأخبار»."""
    from core.index.build import build_index

    lib = tmp_path_factory.mktemp("library")
    corpus = build_index([SAMPLE], library.index_path(lib, "عينة الأخبار"), workers=1)
    corpus.con.close()
    return lib


# -- names -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["أخبار سوريا 2018", "مدوّنة", "ANT-march.v2", "روسيا_والغرب"])
def test_arabic_and_plain_names_are_accepted(name):
    assert library.validate_name(f"  {name} ") == name


@pytest.mark.parametrize("name, code", [
    ("", "empty"), ("   ", "empty"), ("a/b", "chars"), ("a\\b", "chars"), ("..", "chars"), (".hidden", "chars"),
    ("x.", "chars"), ("a\u200fb", "chars"), ("a\nb", "chars"), ("x" * 81, "long"), ("Sample", "reserved"),
])
def test_names_that_could_leave_the_folder_or_clash_are_refused(name, code):
    with pytest.raises(library.BadName) as err:
        library.validate_name(name, reserved=["sample"])
    assert err.value.code == code


def test_listing_ignores_files_whose_stem_is_not_a_usable_name(tmp_path):
    (tmp_path / "good.duckdb").write_bytes(b"")
    (tmp_path / "sample.duckdb").write_bytes(b"")  # reserved for the built-in corpus
    (tmp_path / ".hidden.duckdb").write_bytes(b"")
    (tmp_path / "x.duckdb.building").write_bytes(b"")
    assert library.names(tmp_path, reserved=["sample"]) == ["good"]


# -- uploads -----------------------------------------------------------------------------------------
def test_two_uploads_with_the_same_file_name_keep_both_files(tmp_path):
    first = library.store_upload(tmp_path, "مدونة", "مقال.txt", "الأول".encode())
    second = library.store_upload(tmp_path, "مدونة", "مقال.txt", "الثاني".encode())
    third = library.store_upload(tmp_path, "مدونة", "export.jsonl.gz", b"x")
    fourth = library.store_upload(tmp_path, "مدونة", "export.jsonl.gz", b"y")
    assert first != second and first.parent == second.parent == library.sources_dir(tmp_path, "مدونة")
    assert first.read_text() == "الأول" and second.read_text() == "الثاني"
    assert (first.name, second.name) == ("مقال.txt", "مقال-2.txt")
    assert (third.name, fourth.name) == ("export.jsonl.gz", "export-2.jsonl.gz")  # the suffix before every extension
    assert sorted(p.name for p in library.sources_dir(tmp_path, "مدونة").iterdir()) == sorted(
        ["مقال.txt", "مقال-2.txt", "export.jsonl.gz", "export-2.jsonl.gz"])  # no temporary file left beside them


def test_an_uploaded_file_name_cannot_point_outside_the_corpus_folder(tmp_path):
    saved = library.store_upload(tmp_path, "c", "../../etc/passwd", b"x")
    assert saved.parent == library.sources_dir(tmp_path, "c") and saved.name == "passwd"
    assert library.store_upload(tmp_path, "c", ".env", b"x").name == "env"  # never a dot file (readers skip those)


def test_mapping_and_settings_live_beside_the_corpus(tmp_path):
    library.save_mapping(tmp_path, "أ", {"text": " body_ar ", "outlet": "", "bogus": "x"})
    assert library.mapping(tmp_path, "أ") == {"text": "body_ar"}
    data = json.loads(library.settings_path(tmp_path, "أ").read_text(encoding="utf-8"))
    assert data["name"] == "أ" and data["mapping"] == {"text": "body_ar"} and data["created"]
    assert library.mapping(tmp_path, "ب") == {}


def test_rebuild_reads_the_uploads_folder_once_and_outside_sources(tmp_path):
    up = library.store_upload(tmp_path, "c", "a.txt", b"x")
    outside = tmp_path / "elsewhere.jsonl"
    outside.write_text("{}")
    meta_sources = [str(outside), str(library.sources_dir(tmp_path, "c")), str(up), str(tmp_path / "gone.csv")]
    assert library.rebuild_sources(tmp_path, "c", meta_sources) == [outside, library.sources_dir(tmp_path, "c")]


# -- listing ------------------------------------------------------------------------------------------
def test_library_lists_a_built_index_with_its_articles_size_date_and_stale_flag(built_index):
    [entry] = library.list_library(built_index)
    assert entry["name"] == "عينة الأخبار"
    assert entry["articles"] == 5 and entry["stale"] is False and entry["stale_reason"] == ""
    assert entry["size_bytes"] > 0 and library.size_mb(entry["size_bytes"]) > 0
    assert library.built_label(entry["built"])[:2] == "20"


def test_status_is_read_while_this_process_holds_the_index_open(built_index):
    con = duckdb.connect(str(library.index_path(built_index, "عينة الأخبار")))  # as the app's handle does
    try:
        st = library.status(library.index_path(built_index, "عينة الأخبار"))
        assert st["articles"] == 5 and st["stale"] is False
    finally:
        con.close()


def test_a_stale_index_is_flagged_with_its_reason(tmp_path):
    from core.index.build import build_index

    db = library.index_path(tmp_path, "قديم")
    build_index([SAMPLE], db, workers=1).con.close()
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = '1' WHERE key = 'stale'")
    con.execute("INSERT INTO meta SELECT 'stale', '1' WHERE NOT EXISTS (SELECT 1 FROM meta WHERE key = 'stale')")
    con.close()
    [entry] = library.list_library(tmp_path)
    assert entry["stale"] is True
    assert library.stale_codes(entry["stale_reason"]) == ["appended"]


def test_stale_reasons_become_interface_keys():
    assert library.stale_codes("schema 3 (now 4); the resources changed since it was built") == ["schema", "resources"]
    assert library.stale_codes("cannot be opened: IO Error") == ["broken"]
    assert library.stale_codes("") == []


def test_an_index_file_is_told_from_sources(built_index):
    assert library.is_index_file(library.index_path(built_index, "عينة الأخبار"))
    assert not library.is_index_file(SAMPLE) and not library.is_index_file(SAMPLE / "metadata.csv")


# -- the start corpus (make run CORPUS=PATH) ---------------------------------------------------------------
def test_the_launcher_makes_the_start_corpus_absolute_and_refuses_a_missing_one(tmp_path, monkeypatch):
    from ui.serve import check_start_corpus

    monkeypatch.chdir(ROOT)
    env = {"MARSAD_CORPUS": "data/sample"}
    assert check_start_corpus(env) is None and env["MARSAD_CORPUS"] == str(SAMPLE)
    env = {"MARSAD_CORPUS": str(tmp_path / "nothing.duckdb")}
    assert "does not exist" in check_start_corpus(env)
    env = {"MARSAD_CORPUS": ""}
    assert check_start_corpus(env) is None and "MARSAD_CORPUS" not in env
