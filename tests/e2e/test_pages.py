"""Every page opens by its URL path (/ for the overview, /keywords…), in Arabic and in English: no exception, no
"page not found" dialog, and its title shown."""
import pytest

from core.i18n import t
from tests.e2e.conftest import existing_pages

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["ar", "en"])
@pytest.mark.parametrize("slug", existing_pages())
def test_page_opens_by_url_without_exception_and_shows_its_title(views, slug, lang):
    view = views.get(slug, lang)
    assert view.exceptions == [], f"{view.name}: exception shown:\n" + "\n---\n".join(view.exceptions)
    assert view.dialogs == [], f"{view.name}: {view.url} opened with a dialog:\n" + "\n---\n".join(view.dialogs)
    title = t(f"nav.{slug}", lang)
    assert any(h.strip() == title for h in view.headings), f"{view.name}: title {title!r} not among {view.headings}"
