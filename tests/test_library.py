"""Facts about the corpus library (core/library.py): names, uploads, listing with status, the start corpus."""
import datetime as dt
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
    assert library.names(built_index) == ["عينة الأخبار"]
    db = library.index_path(built_index, "عينة الأخبار")
    entry = library.status(db)
    assert entry["articles"] == 5 and entry["stale"] is False and entry["stale_reason"] == ""
    assert entry["size_bytes"] == db.stat().st_size
    assert library.size_mb(1_260_000) == 1.3
    built = dt.datetime.fromisoformat(entry["built"])     # stamped by this session's build, minutes ago
    assert library.built_label(entry["built"]) == built.strftime("%Y-%m-%d %H:%M")
    assert abs(dt.datetime.now(built.tzinfo) - built) < dt.timedelta(hours=1)


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
    entry = library.status(db)
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


# -- private areas ---------------------------------------------------------------------------------------
def test_a_private_area_is_keyed_by_a_random_token_and_not_listed_in_the_library(tmp_path):
    a, b = library.new_token(), library.new_token()
    assert a != b and len(a) == 32 and int(a, 16) >= 0
    mine = library.private_dir(tmp_path, a)
    library.store_upload(mine, "مسودة", "خبر.txt", "نص".encode())
    (mine / "مسودة.duckdb").write_bytes(b"")
    assert library.names(mine) == ["مسودة"]
    assert library.names(tmp_path) == [] and library.names(library.private_dir(tmp_path, b)) == []
    for bad in ("", "../x", "g" * 32, "A" * 32, a + "/..", a + "\n"):
        with pytest.raises(ValueError):
            library.private_dir(tmp_path, bad)


def test_private_areas_untouched_for_a_day_are_removed_and_recent_ones_kept(tmp_path):
    import os
    import time

    old, fresh, kept = (library.private_dir(tmp_path, library.new_token()) for _ in range(3))
    for area in (old, fresh, kept):
        library.store_upload(area, "c", "a.txt", b"x")
    day_ago = time.time() - 25 * 3600
    for area in (old, kept):
        for p in [area, *area.rglob("*")]:
            os.utime(p, (day_ago, day_ago))
    removed = library.cleanup_private(tmp_path, keep=[kept.name])
    assert removed == [old.name]
    assert not old.exists() and fresh.exists() and kept.exists()
    assert sorted(p.name for p in (tmp_path / library.PRIVATE_DIR).iterdir()) == sorted([fresh.name, kept.name])


# -- rename, delete, save to the library -------------------------------------------------------------
def _corpus(lib, name, text="نص"):
    """A corpus with every file that belongs to it (the index need not be a real one to move it)."""
    library.index_path(lib, name).parent.mkdir(parents=True, exist_ok=True)
    library.index_path(lib, name).write_bytes(b"index of " + name.encode())
    library.save_mapping(lib, name, {"text": "body"})
    library.store_upload(lib, name, "a.txt", text.encode())
    library.corrections_path(lib, name).write_text("id,outlet,date\nx,y,\n", encoding="utf-8")
    library.furniture_path(lib, name).write_text("outlet,kind,pattern,decision\n*,line,تابعونا,add\n", encoding="utf-8")


def test_rename_moves_the_index_settings_uploads_and_corrections(tmp_path):
    _corpus(tmp_path, "قديم")
    assert library.rename(tmp_path, "قديم", " جديد ") == "جديد"
    assert library.names(tmp_path) == ["جديد"]
    assert library.index_path(tmp_path, "جديد").read_bytes() == "index of قديم".encode()
    assert library.mapping(tmp_path, "جديد") == {"text": "body"}
    assert library.load_settings(tmp_path, "جديد")["name"] == "جديد"
    assert (library.sources_dir(tmp_path, "جديد") / "a.txt").read_text() == "نص"
    assert library.corrections_path(tmp_path, "جديد").read_text(encoding="utf-8").startswith("id,")
    assert library.furniture_path(tmp_path, "جديد").read_text(encoding="utf-8").startswith("outlet,kind")
    assert not any(p.exists() for p in library.corpus_paths(tmp_path, "قديم"))


def test_rename_refuses_a_bad_or_taken_name_and_changes_nothing(tmp_path):
    _corpus(tmp_path, "أ", "الأول")
    _corpus(tmp_path, "ب", "الثاني")
    for bad, code in (("ب", "exists"), ("x/y", "chars"), ("sample", "reserved"), ("", "empty")):
        with pytest.raises(library.BadName) as err:
            library.rename(tmp_path, "أ", bad, reserved=["sample"])
        assert err.value.code == code
    assert library.names(tmp_path) == ["أ", "ب"]
    assert (library.sources_dir(tmp_path, "ب") / "a.txt").read_text() == "الثاني"
    with pytest.raises(library.BadName) as err:
        library.rename(tmp_path, "غائب", "ج")
    assert err.value.code == "missing"


def test_a_failed_builds_leftovers_do_not_block_a_name(tmp_path):
    _corpus(tmp_path, "أ")
    library.store_upload(tmp_path, "ب", "left.txt", b"half")  # sources, but no index: not a corpus
    library.rename(tmp_path, "أ", "ب")
    assert sorted(p.name for p in library.sources_dir(tmp_path, "ب").iterdir()) == ["a.txt"]


def test_delete_removes_everything_of_one_corpus_only(tmp_path):
    _corpus(tmp_path, "أ")
    _corpus(tmp_path, "ب")
    library.delete(tmp_path, "أ")
    assert library.names(tmp_path) == ["ب"]
    assert not any(p.exists() for p in library.corpus_paths(tmp_path, "أ"))
    assert all(p.exists() for p in library.corpus_paths(tmp_path, "ب") if not p.name.endswith(".wal"))
    assert list((tmp_path / ".tmp").iterdir()) == []  # nothing left half-deleted


def test_a_read_only_corpus_cannot_be_renamed_or_deleted(tmp_path):
    _corpus(tmp_path, "مرجع")
    library.save_settings(tmp_path, "مرجع", read_only=True)
    for act in (lambda: library.delete(tmp_path, "مرجع"), lambda: library.rename(tmp_path, "مرجع", "آخر")):
        with pytest.raises(library.BadName) as err:
            act()
        assert err.value.code == "readonly"
    assert library.names(tmp_path) == ["مرجع"]


def test_saving_a_private_corpus_moves_it_into_the_library_and_never_overwrites(tmp_path):
    lib = tmp_path / "library"
    mine = library.private_dir(lib, library.new_token())
    _corpus(lib, "منشور", "المكتبة")
    _corpus(mine, "مسودة", "خاص")
    with pytest.raises(library.BadName) as err:
        library.save_to_library(mine, "مسودة", lib, "منشور")
    assert err.value.code == "exists"
    assert (library.sources_dir(lib, "منشور") / "a.txt").read_text() == "المكتبة"  # untouched
    assert library.names(mine) == ["مسودة"]
    assert library.save_to_library(mine, "مسودة", lib, "مسودة") == "مسودة"
    assert library.names(lib) == ["مسودة", "منشور"] and library.names(mine) == []
    assert (library.sources_dir(lib, "مسودة") / "a.txt").read_text() == "خاص"
    assert library.mapping(lib, "مسودة") == {"text": "body"}


def test_an_upload_given_as_a_file_object_is_stored_whole(tmp_path):
    import io

    body = ("سطر عربي\n" * 300_000).encode()  # several MiB: copied in chunks, not read at once
    saved = library.store_upload(tmp_path, "c", "big.txt", io.BytesIO(body))
    assert saved.read_bytes() == body
