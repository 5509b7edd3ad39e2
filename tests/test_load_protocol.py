"""The load test's protocol client (scripts/load_test.py --client protocol) against a running app: concurrent
sessions that pick outlets, search, open shared links and fetch CSVs over Streamlit's own websocket protocol
each see their own filter and core's article count for it, and nothing fails."""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_concurrent_protocol_sessions_see_their_own_filter_and_no_error(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import load_test
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    out = tmp_path / "load.json"
    rc = load_test.main(["--client", "protocol", "--sessions", "4", "--seconds", "15", "--out", str(out)])
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0, report["error_list"]
    assert report["crosstalk"] == 0, report["crosstalk_list"]
    assert rc == 0
    kinds = report["latency_by_step_s"]
    # every session opened the app and changed its filter several times; each change was checked
    assert kinds["open"]["n"] >= 4   # the app opened by each session, then pages opened from the sidebar
    assert kinds["download"]["n"] >= 1   # CSVs fetched from the buttons' media URLs
    assert report["crosstalk_checks"] >= 8
    assert {"outlet", "search"} <= set(kinds)
    assert report["memory_mb"]["peak"] > 0
