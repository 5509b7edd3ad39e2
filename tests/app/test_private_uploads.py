"""AppTest: an upload is private to the session that made it until saved to the library; corpora are
renamed and deleted on the Data page (never the bundled sample)."""
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core import library

pytestmark = pytest.mark.app

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ARTICLE = ("موسكو - قال وزير الخارجية الروسي سيرغي لافروف اليوم إن بلاده مستعدة للحوار مع الولايات المتحدة "
           "بشأن الأزمة السورية.\n")


def session(token: str | None = None, corpus: str | None = None, query: dict | None = None) -> AppTest:
    """A browser session (English interface); ``token`` makes it the owner of that private area."""
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = "en"
    if token:
        at.session_state["_private_token"] = token
    if corpus:
        at.session_state["corpus"] = corpus
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, at.exception
    return at


def data_page(at: AppTest) -> AppTest:
    at.switch_page("pages/data_page.py").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def private_upload(library_dir):
    """«مسودة»: one article uploaded by a session, and that session's token."""
    from ui import corpora

    st.session_state.pop("_private_token", None)  # bare mode: one process-wide session state
    res = corpora.library_upload("مسودة", [("خبر.txt", ARTICLE.encode())], new=True)
    assert res["key"] == "~مسودة"
    return st.session_state["_private_token"]


def test_a_private_corpus_is_offered_to_its_session_only(private_upload, library_dir):
    owner = session(private_upload)
    assert "مسودة (private) (1 articles)" in owner.selectbox(key="corpus").options
    other = session()
    assert not any("مسودة" in o for o in other.selectbox(key="corpus").options)
    assert "مسودة" not in "\n".join(m.value for m in other.sidebar.markdown)
    assert library.names(library_dir) == []  # nothing in the shared library


def test_the_url_of_a_private_corpus_opens_it_for_its_owner_and_not_for_another_session(private_upload):
    owner = session(private_upload, query={"corpus": "~مسودة"})
    assert owner.selectbox(key="corpus").value == "~مسودة"
    assert owner.query_params["corpus"] == "~مسودة"  # the address bar names it: a reload within the session
    stranger = session(library.new_token(), query={"corpus": "~مسودة"})  # someone given the link
    assert stranger.selectbox(key="corpus").value == "sample"


def test_save_to_library_moves_it_to_the_shared_library_and_refuses_a_taken_name(private_upload, library_dir,
                                                                                 sample_index):
    sample_index(library.index_path(library_dir, "منشور"))
    at = data_page(session(private_upload, corpus="~مسودة"))
    at.text_input(key="da_save_name_~مسودة").set_value("منشور")
    at.button(key="da_save_lib").click().run()
    assert not at.exception, at.exception
    assert any("A corpus of that name exists: choose another name." in e.value for e in at.error)
    assert library.names(library_dir) == ["منشور"] and at.selectbox(key="corpus").value == "~مسودة"

    at.text_input(key="da_save_name_~مسودة").set_value("أخبار محفوظة")
    at.button(key="da_save_lib").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="corpus").value == "أخبار محفوظة"
    assert any("Saved to the library" in s.value for s in at.success)
    assert library.names(library_dir) == ["أخبار محفوظة", "منشور"]
    assert (library.sources_dir(library_dir, "أخبار محفوظة") / "خبر.txt").read_text(encoding="utf-8") == ARTICLE
    assert "أخبار محفوظة (1 articles)" in session().selectbox(key="corpus").options  # now everyone sees it


def test_rename_a_library_corpus_on_the_data_page(library_dir, sample_index):
    sample_index(library.index_path(library_dir, "قديم"))
    sample_index(library.index_path(library_dir, "آخر"))
    at = data_page(session(corpus="قديم"))
    at.text_input(key="da_rename_name_قديم").set_value("آخر")
    at.button(key="da_rename").click().run()
    assert any("A corpus of that name exists" in e.value for e in at.error)
    at.text_input(key="da_rename_name_قديم").set_value("جديد")
    at.button(key="da_rename").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="corpus").value == "جديد" and at.query_params["corpus"] == "جديد"
    assert library.names(library_dir) == ["آخر", "جديد"]


def test_delete_asks_first_then_removes_the_corpus_and_falls_back_to_the_sample(library_dir, sample_index):
    sample_index(library.index_path(library_dir, "للحذف"))
    at = data_page(session(corpus="للحذف"))
    at.button(key="da_delete").click().run()
    assert library.exists(library_dir, "للحذف")  # the first press only asks
    assert any("deleted for good" in w.value for w in at.warning)
    at.button(key="da_delete_no").click().run()
    assert library.exists(library_dir, "للحذف") and not any("deleted for good" in w.value for w in at.warning)
    at.button(key="da_delete").click().run()
    at.button(key="da_delete_yes").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="corpus").value == "sample"
    assert not any(p.exists() for p in library.corpus_paths(library_dir, "للحذف"))
    assert any("Corpus deleted" in s.value for s in at.success)


def test_the_bundled_sample_and_a_read_only_corpus_offer_no_rename_or_delete(library_dir, sample_index):
    sample_index(library.index_path(library_dir, "مرجع"))
    library.save_settings(library_dir, "مرجع", read_only=True)
    for corpus in ("sample", "مرجع"):
        at = data_page(session(corpus=corpus))
        keys = {b.key for b in at.button}
        assert not keys & {"da_delete", "da_delete_yes", "da_rename"}, keys
        assert any("cannot be renamed or deleted" in c.value for c in at.caption)
