"""The load test's protocol client (scripts/load_test.py --client protocol) against a running app: concurrent
sessions that pick outlets, search, open shared links and fetch CSVs over Streamlit's own websocket protocol
each see their own filter and core's article count for it, and nothing fails."""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_concurrent_protocol_sessions_see_their_own_filter_and_no_error(tmp_path):
    out = tmp_path / "load.json"
    # run as a user runs it: its own process (the browser tests' Playwright keeps an event loop in this one)
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "load_test.py"), "--client", "protocol",
                        "--sessions", "4", "--seconds", "15", "--out", str(out)],
                       cwd=ROOT, capture_output=True, text=True, timeout=600)
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["errors"] == 0, report["error_list"]
    assert report["crosstalk"] == 0, report["crosstalk_list"]
    assert r.returncode == 0, r.stderr[-2000:]
    kinds = report["latency_by_step_s"]
    # every session opened the app and changed its filter several times; each change was checked
    assert kinds["open"]["n"] >= 4   # the app opened by each session, then pages opened from the sidebar
    assert kinds["download"]["n"] >= 1   # CSVs fetched from the buttons' media URLs
    assert report["crosstalk_checks"] >= 8
    assert {"outlet", "search"} <= set(kinds)
    mem = report["memory_mb"]
    assert mem["peak"] > 0 and len(mem["quarter_peaks"]) == 4 and max(mem["quarter_peaks"]) == mem["peak"]


def test_memory_quarters_cover_every_sample_in_order():
    sys.path.insert(0, str(ROOT / "scripts"))
    import load_test

    for n in (0, 1, 3, 4, 10, 121):
        parts = load_test._quarters(list(range(n)))
        assert [x for p in parts for x in p] == list(range(n)) and len(parts) == min(n, 4)
        assert max(map(len, parts), default=0) - min(map(len, parts), default=0) <= 1
