"""Facts about the project's own setup."""
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_never_stops_at_streamlits_first_run_email_prompt():
    # Without this, a fresh machine's `make run` waits for an email address (or exits with no terminal).
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["showEmailPrompt"] is False
    assert config["server"]["enableXsrfProtection"] is True
