"""Facts about the production configuration (.streamlit/config.toml), read as Streamlit reads it."""
import tomllib
from pathlib import Path

from core.ingest import readers

ROOT = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_users_never_see_a_traceback():
    assert CONFIG["client"]["showErrorDetails"] == "none"  # Streamlit 1.67: full | stacktrace | type | none


def test_no_streamlit_welcome_text_nor_its_agent_skills_card_and_make_run_prints_the_address():
    """Streamlit 1.67's welcome brings a card over the page title on machines with an AI coding agent."""
    from ui.serve import app_url

    assert CONFIG["logger"]["hideWelcomeMessage"] is True
    assert app_url(["run", "app.py", "--server.port", "8502"]) == "http://localhost:8502"
    assert app_url(["run", "app.py", "--server.port=9000", "--server.address=10.0.0.5"]) == "http://10.0.0.5:9000"
    assert app_url(["run", "app.py"]) == "http://localhost:8501"


def test_the_server_does_not_watch_files_or_rerun_on_save():
    assert CONFIG["server"]["fileWatcherType"] == "none"
    assert CONFIG["server"]["runOnSave"] is False


def test_the_server_binds_the_loopback_address_with_xsrf_and_cors_protection():
    server = CONFIG["server"]
    assert server["address"] == "127.0.0.1"  # reachable from this machine; a reverse proxy faces the network
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True


def test_no_full_garbage_collection_after_every_run_and_the_long_lived_heap_frozen(excerpt_corpus):
    """A full collection after every script run held the GIL all sessions share for 100-280 ms: it is off,
    and opening a corpus in the app freezes what lives as long as the process (its grouping among it)."""
    import gc

    from ui import corpora

    assert CONFIG["runner"]["postScriptGC"] is False
    before = gc.get_freeze_count()
    try:
        corpora._settle_heap(excerpt_corpus)
        assert excerpt_corpus._grouper is not None
        assert gc.get_freeze_count() > before
        assert gc.isenabled()   # the collector itself stays on for everything made later
    finally:
        gc.unfreeze()


def test_the_upload_limit_is_within_what_the_readers_decompress():
    limit_mb = CONFIG["server"]["maxUploadSize"]
    assert isinstance(limit_mb, int) and 0 < limit_mb <= 1024  # held in memory once by Streamlit, then on disk
    assert limit_mb * 1_000_000 < readers.MAX_DECOMPRESSED  # a whole upload is read, not cut at the cap


def test_every_option_is_one_streamlit_knows():
    from streamlit import config

    known = set(config.get_config_options())
    for section, options in CONFIG.items():
        for key in options:
            assert f"{section}.{key}" in known, f"{section}.{key}"
