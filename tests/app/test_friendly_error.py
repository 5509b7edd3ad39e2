"""AppTest: a page that raises shows one translated sentence, never the exception; the traceback is logged."""
import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_a_page_that_raises_shows_a_friendly_message_and_logs_the_traceback(monkeypatch, caplog):
    from core.analysis import overview

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail: /srv/marsad/var/library")

    monkeypatch.setattr(overview, "summary", broken)
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = "ar"
    with caplog.at_level(logging.ERROR, logger="marsad"):
        at.run()
    assert not at.exception  # no exception element (the traceback box) on the page
    assert [e.value for e in at.main.error] == [t("app.error", "ar")]
    shown = "\n".join(el.value for el in [*at.main.markdown, *at.main.error, *at.main.caption])
    assert "secret detail" not in shown and "Traceback" not in shown
    [record] = [r for r in caplog.records if r.name == "marsad"]
    assert record.exc_info and "secret detail" in str(record.exc_info[1])
    assert "page overview" in record.getMessage()
    assert at.sidebar.selectbox(key="corpus").value == "sample"  # the sidebar still works: pick another corpus


def test_the_message_is_in_the_interface_language(monkeypatch):
    from core.analysis import overview

    monkeypatch.setattr(overview, "summary", lambda *a, **k: 1 / 0)
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = "en"
    at.run()
    assert [e.value for e in at.main.error] == [t("app.error", "en")]
