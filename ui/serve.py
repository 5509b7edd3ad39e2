"""Start the app: ``python -m ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit runs the very first script run of an app that has a ``pages/`` folder through its
old multipage mode; a shared deep link (``/keywords?outlet=…``) opened on a fresh server then
shows a "Page not found" dialog over the right page. ``app.py`` declares every page with
``st.navigation``, so that old mode is switched off here before the server starts.
``streamlit run app.py`` works too, with that one-time dialog.

``MARSAD_CORPUS=PATH`` (``make run CORPUS=PATH``) opens that corpus at start: an index file
(``.duckdb``, built by ``python -m core build PATH --db X.duckdb``) or source files (a file or a
folder of articles, built into the cache on first open). The path is checked here and made
absolute, so the app finds it whatever its working directory.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path


def check_start_corpus(environ=os.environ) -> str | None:
    """Make ``MARSAD_CORPUS`` absolute; an error message when it names nothing."""
    raw = environ.get("MARSAD_CORPUS", "").strip()
    if not raw:
        environ.pop("MARSAD_CORPUS", None)
        return None
    path = Path(raw).expanduser()
    if not path.exists():
        return f"MARSAD_CORPUS: {raw} does not exist (give an index .duckdb file, or a file or folder of articles)"
    environ["MARSAD_CORPUS"] = str(path.resolve())
    return None


def app_url(args: list[str]) -> str:
    """The address the app will listen on, from ``--server.port``/``--server.address`` (or their defaults).

    >>> app_url(["run", "app.py", "--server.port", "8600"])
    'http://localhost:8600'
    """
    opts = {a.split("=")[0]: (a.split("=", 1)[1] if "=" in a else nxt)
            for a, nxt in zip(args, [*args[1:], ""]) if a.startswith("--server.")}
    host = opts.get("--server.address") or "localhost"
    return f"http://{'localhost' if host in ('127.0.0.1', '0.0.0.0') else host}:{opts.get('--server.port') or 8501}"


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    problem = check_start_corpus()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    PagesManager.uses_pages_directory = False
    from ui.downloads import keep_deferred_downloads

    keep_deferred_downloads()   # a clicked CSV is not swept away by other sessions' runs (ui/downloads.py)
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    args = ["run", app, *(sys.argv[1:] if argv is None else argv)]
    print(f"Marsad: {app_url(args)}", flush=True)   # Streamlit's own welcome text is off (.streamlit/config.toml)
    return cli.main(args, standalone_mode=False) or 0


if __name__ == "__main__":
    raise SystemExit(main())
