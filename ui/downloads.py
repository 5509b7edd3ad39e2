"""Downloads that survive a busy server.

A CSV button of Marsad hands Streamlit a callable (``st.download_button(data=callable)``): the CSV is
made only when it is clicked.  Streamlit (1.67) stores the file that click makes *unreferenced*, and
every script run of *any* session ends with a sweep that marks unreferenced downloads and deletes
those marked before.  With ten analysts on one server, two other runs end within a second or two,
so the file is often gone before the browser fetches it: the download is cancelled (the load test's
"Download.path: canceled" rows, issue 8).  The same sweep drops a button's callable as soon as no
session references it, which happens while the button's own session is between two runs: a click
then gets "Deferred file … not found" and no download.  :func:`keep_deferred_downloads` makes the
sweep spare a file a click made during the last :data:`GRACE_S` seconds, and a callable for
:data:`CALLABLE_GRACE_S` seconds after it was last referenced; after that, the usual sweep frees them.
"""
from __future__ import annotations

import threading
import time

#: Seconds a file made by a download click is kept whatever the sweeps say.
GRACE_S = 120.0
#: Seconds a button's callable outlives the last run that referenced it.
CALLABLE_GRACE_S = 60.0


def _file_id(url: str) -> str:
    """The media file id in a media URL (``/media/<id>.csv``)."""
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


def keep_deferred_downloads(grace: float | None = None) -> bool:
    """Patch Streamlit's media file manager once per process (True when this call patched it)."""
    from streamlit.runtime.media_file_manager import MediaFileManager as M

    if getattr(M, "_marsad_keeps_downloads", False):
        return False
    run_deferred, inactive, drop_callables = (M.execute_deferred, M._get_inactive_file_ids,
                                              M._remove_orphaned_deferred_callables)
    lock = threading.Lock()

    def execute_deferred(self, file_id: str) -> str:
        url = run_deferred(self, file_id)
        with lock:
            fresh = self.__dict__.setdefault("_marsad_fresh", {})
            fresh[_file_id(url)] = time.monotonic()
        return url

    def _get_inactive_file_ids(self) -> set[str]:
        ids = inactive(self)
        fresh = self.__dict__.get("_marsad_fresh")
        if fresh:
            keep = GRACE_S if grace is None else grace
            now = time.monotonic()
            with lock:
                for fid, t in list(fresh.items()):
                    if now - t > keep or fid not in self._file_metadata:
                        del fresh[fid]
                ids -= set(fresh)
        return ids

    def _remove_orphaned_deferred_callables(self) -> None:   # the caller holds self._lock
        active: set[str] = set()
        for by_coord in self._files_by_session_and_coord.values():
            active.update(by_coord.values())
        now = time.monotonic()
        orphaned = self.__dict__.setdefault("_marsad_orphaned", {})
        for fid in list(self._deferred_callables):
            if fid in active:
                orphaned.pop(fid, None)
            elif now - orphaned.setdefault(fid, now) > CALLABLE_GRACE_S:
                self._drop_deferred_id(fid)
                orphaned.pop(fid, None)
        for fid in [f for f in orphaned if f not in self._deferred_callables]:
            del orphaned[fid]

    M._marsad_originals = (run_deferred, inactive, drop_callables)
    M.execute_deferred = execute_deferred
    M._get_inactive_file_ids = _get_inactive_file_ids
    M._remove_orphaned_deferred_callables = _remove_orphaned_deferred_callables
    M._marsad_keeps_downloads = True
    return True
