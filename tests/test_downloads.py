"""A CSV made by a download click survives the sweeps that other sessions' script runs make (ui/downloads.py).
Without the patch Streamlit deletes it on the second sweep, before a busy browser has fetched it."""
import pytest


def _manager():
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    return MediaFileManager(MemoryMediaFileStorage("/media"))


def _button(mgr) -> str:
    return mgr.add_deferred(lambda: b"a,b\r\n1,2\r\n", "text/csv", "1.(2).3", "x.csv")


def _click(mgr) -> str:
    return mgr.execute_deferred(_button(mgr))


@pytest.fixture
def unpatched(monkeypatch):
    """Streamlit's own manager for the test (an AppTest run of app.py may have patched this process);
    monkeypatch puts back whatever was there."""
    from streamlit.runtime.media_file_manager import MediaFileManager as M

    originals = M.__dict__.get("_marsad_originals")
    if originals:
        monkeypatch.setattr(M, "execute_deferred", originals[0])
        monkeypatch.setattr(M, "_get_inactive_file_ids", originals[1])
        monkeypatch.setattr(M, "_remove_orphaned_deferred_callables", originals[2])
        monkeypatch.setattr(M, "_marsad_keeps_downloads", False)
        monkeypatch.delattr(M, "_marsad_originals")
    return M


def test_streamlit_alone_sweeps_a_clicked_download_away(unpatched):
    mgr = _manager()
    fid = _click(mgr).rsplit("/", 1)[-1].split(".")[0]
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()
    assert mgr.read_file(fid) is None      # the fact the patch exists for (if Streamlit fixes it, drop the patch)
    # and a button whose session is between two runs loses its callable at the next sweep
    placeholder = _button(mgr)
    mgr.clear_session_refs()
    mgr.remove_orphaned_files()
    with pytest.raises(Exception, match="not found"):
        mgr.execute_deferred(placeholder)


def test_a_clicked_download_survives_other_runs_for_the_grace_time(unpatched, monkeypatch):
    from ui import downloads

    downloads.keep_deferred_downloads()
    mgr = _manager()
    url = _click(mgr)
    fid = downloads._file_id(url)
    for _ in range(5):
        mgr.remove_orphaned_files()
    assert mgr.read_file(fid) is not None and mgr.read_file(fid).content == b"a,b\r\n1,2\r\n"
    # once the grace time is over, the usual two sweeps free it
    clock = [downloads.time.monotonic() + downloads.GRACE_S + 1]
    monkeypatch.setattr(downloads.time, "monotonic", lambda: clock[0])
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()
    assert mgr.read_file(fid) is None


def test_a_button_between_two_runs_still_answers_a_click(unpatched, monkeypatch):
    from ui import downloads

    downloads.keep_deferred_downloads()
    mgr = _manager()
    placeholder = _button(mgr)
    mgr.clear_session_refs()                 # its session started a new run; another session's run ends
    mgr.remove_orphaned_files()
    mgr.remove_orphaned_files()
    assert mgr.read_file(downloads._file_id(mgr.execute_deferred(placeholder))).content.startswith(b"a,b")
    clock = [downloads.time.monotonic() + downloads.CALLABLE_GRACE_S + 1]
    monkeypatch.setattr(downloads.time, "monotonic", lambda: clock[0])
    mgr.remove_orphaned_files()              # no run referenced it for longer than the grace time
    with pytest.raises(Exception, match="not found"):
        mgr.execute_deferred(placeholder)


def _download_protos(script) -> list:
    """The download buttons an AppTest run of ``script`` renders, as protos."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(script).run(timeout=60)
    assert not at.exception, at.exception
    return [el.proto for el in at.get("download_button")]


def _render_two_tables():
    import pandas as pd

    from ui import render

    small = pd.DataFrame({"x": range(render.STATIC_CSV_ROWS)})
    big = pd.DataFrame({"x": range(render.STATIC_CSV_ROWS + 1)})
    render.download(small, "small", None, key="dl_small")
    render.download(lambda: big, "big", None, key="dl_big", rows=len(big))
    render.download(lambda: small, "small-later", None, key="dl_small_later", rows=len(small))


def test_a_page_sized_csv_is_a_plain_link_and_a_longer_one_is_made_on_click():
    """A table the page shows whole gets its CSV with the page: the browser follows a plain link on
    the click itself. A deferred CSV reaches the browser after a round trip to the server, outside
    the click's user gesture, where Chromium's multiple-downloads guard blocks it (a browser test
    states that). Only longer tables, too slow to write on every rerun, keep the deferred path."""
    small, big, small_later = _download_protos(_render_two_tables)
    assert small.url and not small.deferred_file_id
    assert small_later.url and not small_later.deferred_file_id   # a callable of few rows is run with the page
    assert big.deferred_file_id and not big.url
    # and a click only downloads: the page is not run again for it (its rerun raced the file's fetch)
    assert small.ignore_rerun and big.ignore_rerun and small_later.ignore_rerun
