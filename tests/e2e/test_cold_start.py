"""A shared link works even when it is the first request a freshly started app receives."""
import pytest

from core.i18n import t

pytestmark = pytest.mark.e2e


def test_cold_deep_link_shows_its_page_without_error_or_dialog(app):
    shot = "test-artifacts/screenshots/cold_deep_link.png"
    assert app.cold_exceptions == [], f"first request {app.cold_deep_link} raised ({shot}):\n" + "\n".join(
        app.cold_exceptions)
    assert app.cold_dialogs == [], f"first request {app.cold_deep_link} opened a dialog ({shot}): {app.cold_dialogs}"
    assert t("nav.keywords", "ar") in [h.strip() for h in app.cold_headings], app.cold_headings
