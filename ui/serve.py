"""Start the app: ``python -m ui.serve [streamlit options]`` (what ``make run`` does).

Streamlit runs the very first script run of an app that has a ``pages/`` folder through its
old multipage mode; a shared deep link (``/keywords?outlet=…``) opened on a fresh server then
shows a "Page not found" dialog over the right page. ``app.py`` declares every page with
``st.navigation``, so that old mode is switched off here before the server starts.
``streamlit run app.py`` works too, with that one-time dialog.
"""
from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    PagesManager.uses_pages_directory = False
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    args = ["run", app, *(sys.argv[1:] if argv is None else argv)]
    return cli.main(args, standalone_mode=False) or 0


if __name__ == "__main__":
    raise SystemExit(main())
