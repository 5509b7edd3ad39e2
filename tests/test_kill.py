"""Nothing is lost when a process is killed (SIGKILL) in the middle of a write.

Each test starts a real subprocess, waits for a marker (a line it prints, or its temporary file
appearing: never a time), kills it with SIGKILL and reopens what it was writing: the index
opens with the old article count (or, for an append, the old or the new state, never a mix);
a saved file holds one complete version; no temporary file is taken for data.

Where the kill must land at a precise stage, the subprocess runs ``python -m core`` through a
small driver that wraps one product function so that it prints ``MARK`` and waits when it is
called: the kill then happens exactly there.
"""
from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core import fsutil, library

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
PART1 = ROOT / "tests" / "data" / "split" / "part1.jsonl"
PART2 = ROOT / "tests" / "data" / "split" / "part2.jsonl"
WHOLE = ROOT / "tests" / "data" / "ant_excerpt.jsonl"
#: How long a subprocess may take to reach its marker before the test gives up (a safety net for a
#: hung process, not an assertion about speed).
PATIENCE = 180

DRIVER = textwrap.dedent('''
    """python -m core, with one function (MARSAD_KILL_AT = "module:name") that prints MARK and waits."""
    import importlib, os, runpy, signal, sys

    where = os.environ["MARSAD_KILL_AT"]
    mod_name, attr = where.split(":")
    mod = importlib.import_module(mod_name)
    original = getattr(mod, attr)

    def stop_here(*args, **kwargs):
        print("MARK", where, flush=True)
        while True:
            signal.pause()   # until the test kills this process

    setattr(mod, attr, stop_here)
    sys.argv = ["core", *sys.argv[1:]]
    runpy.run_module("core", run_name="__main__", alter_sys=True)
''')


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def start(args: list[str], tmp_path: Path, kill_at: str | None = None, script: str | None = None) -> subprocess.Popen:
    """``python -m core ARGS`` (through the driver when ``kill_at``), or ``python -c script``."""
    env = _env()
    if script is not None:
        cmd = [PY, "-c", script, *args]
    elif kill_at is not None:
        driver = tmp_path / "kill_driver.py"
        driver.write_text(DRIVER, encoding="utf-8")
        env["MARSAD_KILL_AT"] = kill_at
        cmd = [PY, str(driver), *args]
    else:
        cmd = [PY, "-m", "core", *args]
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for_line(proc: subprocess.Popen, needle: str, stream: str = "stdout") -> str:
    """Read the process's stdout/stderr until a line containing ``needle``; fail if it exits first."""
    pipe = getattr(proc, stream)
    deadline = time.monotonic() + PATIENCE
    seen = []
    while time.monotonic() < deadline:
        ready, _, _ = select.select([pipe], [], [], 1.0)
        if not ready:
            if proc.poll() is not None:
                break
            continue
        line = pipe.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return line
    proc.kill()
    out, err = proc.communicate()
    pytest.fail(f"no {needle!r} before the process ended (rc={proc.returncode}):\n{''.join(seen)}{out}\n{err}")


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL and reap; the process must have been killed, not have finished by itself."""
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL, f"the process ended by itself (rc={proc.returncode})"


def run_core(*args: str) -> subprocess.CompletedProcess:
    res = subprocess.run([PY, "-m", "core", *args], cwd=ROOT, env=_env(), capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    return res


def index_state(db: Path) -> dict:
    """What an index holds, read like the app reads it (read-only)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        return {"articles": con.execute("SELECT COUNT(*) FROM articles").fetchall()[0][0],
                "keys": con.execute("SELECT COUNT(*) FROM article_keys").fetchall()[0][0],
                "ids": con.execute("SELECT COUNT(DISTINCT id) FROM articles").fetchall()[0][0],
                "terms_max_aid": con.execute("SELECT COALESCE(MAX(aid), -1) FROM terms").fetchall()[0][0],
                "meta_articles": int(meta["articles"]), "appended": int(meta.get("appended") or 0),
                "report": con.execute("SELECT COUNT(*) FROM report").fetchall()[0][0]}
    finally:
        con.close()


def leftovers_listed(folder: Path) -> list[str]:
    """What the library lists in ``folder``: a temporary or half-built file must never appear."""
    return library.names(folder)


# -- the index ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict, dict]:
    """An index of part 1 (the "old" index), and the states of part 1 and of part 1 + part 2."""
    d = tmp_path_factory.mktemp("built")
    old = d / "old.duckdb"
    run_core("build", str(PART1), "--db", str(old), "--workers", "1")
    both = d / "both.duckdb"
    shutil.copy(old, both)
    run_core("add", str(PART2), "--db", str(both), "--workers", "1")
    return old, index_state(old), index_state(both)


def copy_old(built, tmp_path: Path) -> Path:
    old, _, _ = built
    db = tmp_path / "corpus.duckdb"
    shutil.copy(old, db)
    return db


@pytest.mark.parametrize("stage", [
    "core.index.build:count_pass",            # articles read and numbered in the new file
    "core.index.finalize:build_statements",   # terms and outlet totals written
    "core.index.build:replace_index",         # the new file complete, closed, not yet swapped in
])
def test_build_killed_at_a_stage_keeps_the_old_index(built, tmp_path, stage):
    _, old_state, _ = built
    db = copy_old(built, tmp_path)
    proc = start(["build", str(WHOLE), "--db", str(db), "--workers", "1"], tmp_path, kill_at=stage)
    wait_for_line(proc, "MARK")
    assert Path(str(db) + ".building").exists()   # killed while the new index was being written
    kill(proc)

    assert index_state(db) == old_state
    assert leftovers_listed(tmp_path) == ["corpus"]   # the half-built file is not a corpus
    # the next build starts over (the leftovers of the killed one are not read) and completes
    run_core("build", str(PART1), "--db", str(db), "--workers", "1")
    assert index_state(db) == old_state
    assert not Path(str(db) + ".building").exists() and not Path(str(db) + ".parts").exists()


def test_cli_build_killed_while_counting_keeps_the_old_index(built, tmp_path):
    _, old_state, _ = built
    db = copy_old(built, tmp_path)
    proc = start(["build", str(WHOLE), "--db", str(db), "--workers", "1"], tmp_path)
    wait_for_line(proc, "counting", stream="stderr")   # a progress line of the real CLI
    kill(proc)
    assert index_state(db) == old_state
    assert leftovers_listed(tmp_path) == ["corpus"]


def test_rebuild_over_an_index_left_with_a_write_ahead_log_opens(built, tmp_path):
    """A process killed after a commit and before its checkpoint leaves ``x.duckdb.wal``; the
    rebuild must not pair that log with the new file (DuckDB would refuse to open it)."""
    _, old_state, _ = built
    db = copy_old(built, tmp_path)
    script = textwrap.dedent("""
        import os, signal, sys, duckdb
        con = duckdb.connect(sys.argv[1])
        con.execute("UPDATE articles SET outlet = 'مصحح' WHERE aid = 0")   # committed, not checkpointed
        print("MARK", flush=True)
        signal.pause()
    """)
    proc = start([str(db)], tmp_path, script=script)
    wait_for_line(proc, "MARK")
    kill(proc)
    assert Path(str(db) + ".wal").exists()
    con = duckdb.connect(str(db), read_only=True)   # the old index with its log: the commit is there
    assert con.execute("SELECT outlet FROM articles WHERE aid = 0").fetchall() == [("مصحح",)]
    con.close()

    run_core("build", str(PART1), "--db", str(db), "--workers", "1")
    state = index_state(db)
    assert state == old_state
    assert not Path(str(db) + ".wal").exists()


@pytest.mark.parametrize("stage", [
    "core.index.build:_append_tables",        # inside the transaction: new articles numbered
    "core.index.finalize:start_statements",   # articles, terms, mentions, quotes inserted
    "core.index.finalize:now_iso",            # everything inserted, the meta not yet: just before COMMIT
])
def test_add_killed_at_a_stage_leaves_the_old_index(built, tmp_path, stage):
    _, old_state, both_state = built
    db = copy_old(built, tmp_path)
    proc = start(["add", str(PART2), "--db", str(db), "--workers", "1"], tmp_path, kill_at=stage)
    wait_for_line(proc, "MARK")
    kill(proc)

    assert index_state(db) == old_state
    # the append can be run again and gives what an uninterrupted append gives
    run_core("add", str(PART2), "--db", str(db), "--workers", "1")
    assert index_state(db) == both_state
    assert not Path(str(db) + ".append").exists()


def test_cli_add_killed_midway_is_the_old_or_the_new_state(built, tmp_path):
    _, old_state, both_state = built
    db = copy_old(built, tmp_path)
    proc = start(["add", str(PART2), "--db", str(db), "--workers", "1"], tmp_path)
    wait_for_line(proc, "counting", stream="stderr")
    kill(proc)
    state = index_state(db)
    assert state in (old_state, both_state)
    assert state["meta_articles"] == state["articles"] == state["keys"]


# -- saved files -------------------------------------------------------------------------------------

SAVER = textwrap.dedent('''
    """Save one kind of file over and over (version 0, 1, 2 …), printing "saving i" before each."""
    import sys
    import pandas as pd
    kind, target = sys.argv[1], sys.argv[2]
    N = 60_000
    i = 0
    while True:
        print("saving", i, flush=True)
        if kind == "corrections":
            from core.index.corrections import save_corrections
            save_corrections(target, pd.DataFrame({"id": [f"a{j}" for j in range(N)], "outlet": f"منفذ {i}",
                                                   "date": ""}))
        elif kind == "mapping":
            from core import library
            from pathlib import Path
            lib = Path(target).parent
            library.save_settings(lib, "مدونة", mapping={"text": f"body{i}"},
                                  sources=[f"/data/{i}/{j}.jsonl" for j in range(N)])
        elif kind == "topics":
            from core.resources import Topic, dump_topics
            dump_topics([Topic(id=f"t{j}", name_ar=f"موضوع {i}", name_en=f"topic {i}", keywords=[f"كلمة{i}"])
                         for j in range(3000)], target)
        i += 1
''')


def check_corrections(path: Path) -> int:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(df) == 60_000 and df["id"].tolist() == [f"a{j}" for j in range(60_000)]
    [outlet] = df["outlet"].unique()
    return int(outlet.split()[-1])


def check_mapping(path: Path) -> int:
    data = json.loads(path.read_text(encoding="utf-8"))
    i = int(data["mapping"]["text"].removeprefix("body"))
    assert data["sources"] == [f"/data/{i}/{j}.jsonl" for j in range(60_000)]
    return i


def check_topics(path: Path) -> int:
    from core.resources import load_topics

    topics = load_topics(path)
    assert len(topics) == 3000
    [name] = {t.name_en for t in topics}
    return int(name.split()[-1])


def is_temporary(path: Path) -> bool:
    """A temporary file of :func:`core.fsutil.atomic_write_bytes` (``.x.csv.ab12cd.tmp``)."""
    return path.name.startswith(".") and path.name.endswith(fsutil.TMP_SUFFIX)


@pytest.mark.parametrize("kind, file_name, check", [
    ("corrections", "مدونة.corrections.csv", check_corrections),
    ("mapping", "مدونة.json", check_mapping),
    ("topics", "topics.yaml", check_topics),
])
def test_a_save_killed_midway_leaves_a_whole_version(tmp_path, kind, file_name, check):
    target = tmp_path / file_name
    proc = start([kind, str(target)], tmp_path, script=SAVER)
    wait_for_line(proc, "saving 2")               # versions 0 and 1 are complete on disk
    deadline = time.monotonic() + PATIENCE
    while not [p for p in tmp_path.iterdir() if is_temporary(p)]:   # version 2 is being written
        assert proc.poll() is None and time.monotonic() < deadline
    kill(proc)

    version = check(target)                       # one whole version, parsed as the product reads it
    # 1 or 2 on an idle machine; on a loaded one the saver can finish more versions before the kill lands
    # (make test beside a million-article build: 4). Any whole version is the fact; a torn file fails check().
    assert version >= 1
    temps = [p for p in tmp_path.iterdir() if p.name != file_name]
    assert all(is_temporary(p) for p in temps), temps   # only dot-named .tmp files are left
    assert library.names(tmp_path) == []          # and nothing of it is listed as a corpus
    if kind == "mapping":
        assert library.mapping(tmp_path, "مدونة") == {"text": f"body{version}"}
