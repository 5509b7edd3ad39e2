"""A load test: N browser sessions changing filters and downloading CSVs at once (not part of `make test`).

    .venv/bin/python scripts/load_test.py                     # starts the app on tests/data/ant_excerpt.jsonl
    .venv/bin/python scripts/load_test.py --sessions 10 --seconds 120 --out test-artifacts/load_test.json
    .venv/bin/python scripts/load_test.py --url http://127.0.0.1:8501 --corpus extra [--pid SERVER_PID]

Each session is a Playwright browser context in Debian's Chromium (``/usr/bin/chromium``). It opens
the app on the corpus, then until the time is up repeats a random step: pick an outlet, type a
search, open a shared link with a date range, or go to another page and download its CSV.

Recorded per step: latency (from the action until Streamlit is idle again), errors (an exception
on the page, a timeout, a failed download) and cross-talk: after each filter change the session
checks that the Overview shows *its* filter (the outlet it picked, the query it typed) and that the
article count equals what ``core`` computes for that filter. Server memory is the RSS of the server
process and its children, sampled every second from /proc (only for a server this script started or
named with ``--pid``). Prints p50/p95/max, errors, cross-talk, memory start/peak/end; writes JSON.

Chromium runs on the same machine: on a small machine its CPU use inflates the latencies. With
``--client protocol`` each session speaks Streamlit's websocket protocol instead (see ProtocolSession): the
same steps and checks, timed until the server has sent the whole page, so that the server's own latency
under ten sessions is measured without ten Chromiums sharing its cores.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.i18n import t  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
EXCERPT = ROOT / "tests" / "data" / "ant_excerpt.jsonl"
QUERIES = ["سوريا", "روسيا", "الحكومة", "لافروف", "الانتخابات", "النفط", ""]
PAGES = {"overview": "nav.overview", "keywords": "nav.keywords", "topics": "nav.topics", "compare": "nav.compare"}
STEP_TIMEOUT_MS = 180_000
#: Installed in every page before its first script: records, in the page's own clock, each moment the app
#: is seen running (a MutationObserver on stApp's data-test-script-state, old values included, so a run
#: shorter than Playwright's polling is not missed).
RUN_LOG_JS = """
window.__marsadRuns = [];
new MutationObserver((records) => {
  const now = performance.now();
  for (const r of records) {
    const el = r.type === 'attributes' ? r.target : document.querySelector('[data-testid="stApp"]');
    const state = el && el.getAttribute && el.getAttribute('data-test-script-state');
    if (r.oldValue === 'running' || state === 'running') { window.__marsadRuns.push(now); return; }
  }
}).observe(document, {subtree: true, childList: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""
#: True once the app has been seen running after ``since`` = [timeOrigin, now] (taken before the action; a new
#: document, as after a goto, counts from its own start), or nothing ran within 1.5 s of it.
RAN_SINCE_JS = """(since) => {
  const t0 = performance.timeOrigin === since[0] ? since[1] : 0;
  return (window.__marsadRuns || []).some((t) => t >= t0) || performance.now() - t0 > 1500;
}"""
#: Before this observer, a step waited up to 1.5 s for the running state to show after the action; when the
#: run had already ended (a fast rerun, or a first load whose run ended before the heading was found), the
#: step was charged those 1.5 s: 4 new tabs on the 100k index were idle 1.44-1.52 s after navigation
#: start (their own clock) and measured 2.6-3.6 s.
SETTLE_S = 60  # a page may lag behind a change under load; only what it still shows after this counts


# -- the server ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(home: Path, corpus_file: Path) -> tuple[subprocess.Popen, str]:
    """`python -m ui.serve` (what `make run` starts) with the corpus as MARSAD_EXTRA_CORPUS, caches in ``home``."""
    env = dict(os.environ)
    env.pop("MARSAD_CORPUS", None)
    env.update(MARSAD_CACHE=str(home / "cache"), MARSAD_VAR=str(home / "var"), MARSAD_EXTRA_CORPUS=str(corpus_file),
               PYTHONUNBUFFERED="1")
    port = _free_port()
    python = ROOT / ".venv" / "bin" / "python"
    log = open(home / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [str(python if python.exists() else sys.executable), "-m", "ui.serve", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {home / 'streamlit.log'}")
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            pass
        if time.monotonic() > deadline:
            stop_server(proc)
            raise SystemExit("the server did not answer /_stcore/health within 90 s")
        time.sleep(0.2)


def clean_home(home: Path) -> None:
    """Delete a run's scratch folder but its server log: the truth's copy of the index (1.7 GB at 100k, 18 GB
    at 1M) and the server's caches were left behind by every run, and filled the disk."""
    for p in home.iterdir() if home.exists() else ():
        if p.name != "streamlit.log":
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)


def stop_server(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)  # the process group this script started, and only it
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=15)


def _tree_stat(pid: int, field: int, scale: float) -> float:
    """The sum of one /proc/PID/stat field (0 = the state, after the command) over ``pid`` and all
    its descendants, times ``scale``."""
    children: dict[int, list[int]] = {}
    value: dict[int, float] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid = int(fields[1])
            v = sum(int(fields[i]) for i in ((field,) if isinstance(field, int) else field))
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
        value[int(d)] = v * scale
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += value.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of ``pid`` and all its descendants, from /proc."""
    return int(_tree_stat(pid, 21, os.sysconf("SC_PAGE_SIZE")))


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by ``pid`` and its live descendants, from /proc."""
    return _tree_stat(pid, (11, 12), 1 / os.sysconf("SC_CLK_TCK"))


def machine_cpu() -> float:
    """CPU seconds every process of the machine has used since boot (busy time of all cores)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")   # all but idle and iowait


async def sample_memory(pid: int, stop: asyncio.Event, out: list[tuple[float, int]]) -> None:
    t0 = time.monotonic()
    while not stop.is_set():
        out.append((round(time.monotonic() - t0, 1), tree_rss(pid)))
        try:
            await asyncio.wait_for(stop.wait(), timeout=1.0)
        except asyncio.TimeoutError:
            pass


# -- what core says the page should show ---------------------------------------------------------
class Truth:
    """The corpus opened in this process: outlets, date bounds, and the article count of a filter."""

    def __init__(self, corpus_file: Path, home: Path):
        from core.analysis import overview
        from core.index.cache import open_or_build
        from core.model import UNKNOWN

        self.overview = overview
        from core.library import is_index_file

        if is_index_file(corpus_file):  # a built index: a copy (the server holds the file itself open)
            import shutil

            from core.index.handle import Corpus

            shutil.copyfile(corpus_file, home / "truth.duckdb")
            self.corpus = Corpus.open(home / "truth.duckdb", read_only=True)
        else:
            self.corpus = open_or_build([str(corpus_file)], home / "truth-cache", name="truth")
        counts = overview.outlet_choices(self.corpus)
        self.outlets = [o for o in counts["outlet"] if o != UNKNOWN]
        lo, hi = overview.date_bounds(self.corpus)
        self.lo, self.hi = dt.date.fromisoformat(str(lo)[:10]), dt.date.fromisoformat(str(hi)[:10])
        self._memo: dict[tuple, int] = {}

    def articles(self, outlet: str | None, query: str, date_from=None, date_to=None) -> int:
        from core.filter import Filter

        key = (outlet, query, date_from, date_to)
        if key not in self._memo:
            flt = Filter(date_from=date_from, date_to=date_to, outlets=(outlet,) if outlet else (), query=query)
            self._memo[key] = int(self.overview.summary(self.corpus, flt)["articles"])
        return self._memo[key]


# -- one session -----------------------------------------------------------------------------------
class Session:
    def __init__(self, n: int, context, base: str, corpus_key: str, truth: Truth, results: dict):
        self.n, self.context, self.base, self.corpus_key, self.truth = n, context, base, corpus_key, truth
        self.rng = random.Random(n)
        self.results = results
        self.outlet: str | None = None
        self.query = ""
        self.dates: tuple | None = None
        self.page = None
        self.on = "overview"

    # -- helpers
    async def idle(self, rerun: bool = True, since: list | None = None) -> None:
        if rerun:
            if since is None:
                since = await self.since()
            await self.page.wait_for_function(RAN_SINCE_JS, arg=since, timeout=STEP_TIMEOUT_MS)
        await self.page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
        await self.page.wait_for_function(
            """() => !document.querySelector('[data-testid="stApp"] [data-testid="stSkeleton"]')""",
            timeout=STEP_TIMEOUT_MS)

    async def since(self) -> list:
        """The page's [timeOrigin, now]: what :data:`RAN_SINCE_JS` counts runs from."""
        return await self.page.evaluate("[performance.timeOrigin, performance.now()]")

    async def new_page(self):
        """A new tab that logs the app's runs (:data:`RUN_LOG_JS`)."""
        page = await self.context.new_page()
        await page.add_init_script(RUN_LOG_JS)
        page.set_default_timeout(STEP_TIMEOUT_MS)
        return page

    async def step(self, kind: str, action) -> bool:
        t0 = time.monotonic()
        try:
            since = await self.since()
            await action()
            await self.idle(since=since)
            errors = await self.page.get_by_test_id("stException").count() + await self.page.locator(
                '[data-testid="stAlertContentError"]').count()
            if errors:
                raise RuntimeError("an error is shown on the page")
        except Exception as exc:
            self.results["errors"].append({"session": self.n, "step": kind, "error": str(exc).splitlines()[0][:300]})
            return False
        finally:
            self.results["steps"].append({"session": self.n, "step": kind, "seconds": round(time.monotonic() - t0, 3)})
        return True

    def url(self, page: str = "overview") -> str:
        params = [("corpus", self.corpus_key), ("lang", "en")]
        if self.dates:
            params += [("from", self.dates[0].isoformat()), ("to", self.dates[1].isoformat())]
        if self.outlet:
            params.append(("outlet", self.outlet))
        if self.query:
            params.append(("q", self.query))
        return ("/" if page == "overview" else f"/{page}") + "?" + urllib.parse.urlencode(params)

    async def goto(self, path: str) -> None:
        await self.page.goto(self.base + path)
        await self.page.get_by_test_id("stApp").wait_for(timeout=STEP_TIMEOUT_MS)
        await self.page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"]', timeout=STEP_TIMEOUT_MS)

    async def nav(self, page: str) -> None:
        await self.page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(PAGES[page], "en"),
                                                                     exact=True).click()
        self.on = page

    # -- the steps
    async def open(self) -> bool:
        self.page = await self.new_page()
        return await self.step("open", lambda: self.goto(self.url()))

    async def pick_outlet(self) -> None:
        outlet = self.rng.choice([o for o in self.truth.outlets if o != self.outlet] or self.truth.outlets)
        box = self.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")

        async def act():
            clear = box.get_by_role("button", name=re.compile("^Clear all$", re.I))
            chips = box.get_by_test_id("stMultiSelectTagsContainer").locator("[data-tag]")
            if await chips.count():
                since = await self.since()
                await clear.first.click()
                await self.idle(since=since)
                t0 = time.monotonic()
                while await chips.count() and time.monotonic() - t0 < SETTLE_S:
                    await asyncio.sleep(0.25)
            await box.get_by_role("combobox").click()
            await self.page.get_by_role("option", name=re.compile("^" + re.escape(outlet) + r" \(\d+\)$")).click()
            await self.page.keyboard.press("Escape")
            # and move on, as a reader does: a multiselect that keeps the keyboard focus after Escape
            # ignores the next click on its "Clear all" (Streamlit's widget, not the filter), which made
            # the following pick add a second outlet and looked like a stuck page or cross-talk
            await self.page.evaluate("document.activeElement && document.activeElement.blur()")

        self.outlet = outlet
        if await self.step("outlet", act):
            await self.check()

    async def search(self) -> None:
        query = self.rng.choice([q for q in QUERIES if q != self.query])

        async def act():
            field = self.page.get_by_test_id("stSidebar").get_by_role("textbox", name=t("side.query", "en"))
            await field.fill(query)
            await field.press("Enter")

        self.query = query
        if await self.step("search", act):
            await self.check()

    async def date_link(self) -> None:
        """A shared link with a date range (a fresh script session in the same browser context)."""
        span = (self.truth.hi - self.truth.lo).days
        start = self.truth.lo + dt.timedelta(days=self.rng.randrange(0, max(span - 30, 1)))
        self.dates = (start, min(start + dt.timedelta(days=self.rng.choice([90, 365, 730])), self.truth.hi))
        self.on = "overview"
        if await self.step("date link", lambda: self.open_link(self.url())):
            await self.check()

    async def open_link(self, path: str) -> None:
        await self.goto(path)

    async def to_random_page(self) -> str | None:
        """Go to a page picked at random (it may be this one); None if opening it failed."""
        page = self.rng.choice([p for p in PAGES if p != "overview"] + ["overview"])
        if page != self.on and not await self.step(f"open {page}", lambda: self.nav(page)):
            return None
        return page

    async def download(self) -> None:
        page = await self.to_random_page()
        if page is None:
            return

        buttons = self.page.get_by_test_id("stMain").get_by_test_id("stDownloadButton")
        if not await buttons.count():  # an empty filter: the page says so and offers no table
            return

        async def act():
            button = buttons.first
            async with self.page.expect_download(timeout=STEP_TIMEOUT_MS) as info:
                await button.click()
            download = await info.value
            path = await download.path()
            if not path or os.path.getsize(path) == 0:
                raise RuntimeError("empty download")

        await self.step(f"download {page}", act)

    async def check(self) -> None:
        """Cross-talk: the Overview shows this session's filter and core's count for it. Under load the
        page may still be catching up: it is read again until it matches or ``SETTLE_S`` have passed,
        and the time until it matched is added to the step's latency."""
        if self.on != "overview" and not await self.step("open overview", lambda: self.nav("overview")):
            return
        t0 = time.monotonic()
        while True:
            problems = await self.mismatches()
            if not problems or time.monotonic() - t0 > SETTLE_S:
                break
            await asyncio.sleep(0.5)
        mine = [s for s in self.results["steps"] if s["session"] == self.n]
        if mine:  # the step that changed the filter lasted until its result was shown
            mine[-1]["seconds"] = round(mine[-1]["seconds"] + time.monotonic() - t0, 3)
        if problems:
            self.results["crosstalk"].append({"session": self.n, "filter": [self.outlet, self.query,
                                              [str(d) for d in self.dates or ()]], "problems": problems})
        self.results["checks"] += 1

    async def mismatches(self) -> list[str]:
        want = self.truth.articles(self.outlet, self.query, *(self.dates or (None, None)))
        main, side = self.page.get_by_test_id("stMain"), self.page.get_by_test_id("stSidebar")
        problems = []
        chips = await side.get_by_test_id("stMultiSelect").get_by_test_id("stMultiSelectTagsContainer").locator(
            "[data-tag]").all_inner_texts()
        shown_outlets = [re.sub(r"\s*\(\d+\)\s*$", "", c).strip() for c in chips]
        if shown_outlets != ([self.outlet] if self.outlet else []):
            problems.append(f"outlets {shown_outlets} != {self.outlet!r}")
        query = await side.get_by_role("textbox", name=t("side.query", "en")).input_value()
        if query != self.query:
            problems.append(f"query {query!r} != {self.query!r}")
        metric = main.get_by_test_id("stMetric").filter(
            has=self.page.get_by_test_id("stMetricLabel").get_by_text(t("ov.articles", "en"), exact=True))
        if want == 0:
            if await metric.count():
                problems.append("articles shown, core says 0")
        elif not await metric.count():
            problems.append(f"no article count shown, core says {want}")
        else:
            value = (await metric.get_by_test_id("stMetricValue").inner_text()).replace(",", "").strip()
            if value != str(want):
                problems.append(f"articles {value} != {want}")
        return problems

    async def run(self, deadline: float) -> None:
        if not await self.open():
            return
        steps = [self.pick_outlet, self.search, self.date_link, self.download, self.download]
        while time.monotonic() < deadline:
            await self.rng.choice(steps)()


# -- one session over Streamlit's own protocol -------------------------------------------------------
def _widget_state(which: str, w):
    """The WidgetState the browser holds for a drawn widget: the value the server set (``set_value``), else its
    default."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    state = WidgetState(id=w.id)
    if which == "multiselect":
        state.string_array_value.data.extend(list(w.raw_values) if w.set_value else [w.options[i] for i in w.default])
    elif which == "text_input":
        state.string_value = w.value if w.set_value else w.default
    elif which == "date_input":
        state.string_array_value.data.extend(list(w.value) if w.set_value else list(w.default))
    else:   # radio, selectbox: the formatted option
        if w.set_value:
            state.string_value = w.raw_value
        elif 0 <= w.default < len(w.options):
            state.string_value = w.options[w.default]
        else:
            return None
    return state


class ProtocolSession(Session):
    """A session that speaks Streamlit's websocket protocol (what the browser's JavaScript sends and gets:
    ``BackMsg`` reruns with the widgets' states, ``ForwardMsg`` elements until the script has finished)
    instead of driving a Chromium: the same steps, timed from the action until the server has sent the
    whole page, without the drawing.  Ten analysts draw their pages on ten machines: on this one, ten
    Chromiums took ~80 % of the 2 cores and the server waited for them (``--client browser`` measures that).
    Downloads are fetched over HTTP from the button's media URL, as the browser does on a click."""

    def __init__(self, n: int, base: str, corpus_key: str, truth: Truth, results: dict):
        super().__init__(n, None, base, corpus_key, truth, results)
        self.ws = None
        self.query_string = ""
        self.page_hash = ""
        self.pages: dict[str, str] = {}        # url path ("" for the main page) -> page script hash
        self.widgets: dict[str, object] = {}   # the sidebar's outlet and query widgets, as last drawn
        self.states: dict[str, object] = {}    # the sidebar widgets' values as the browser holds them (by id)
        self.elements: list = []               # (delta path, element) of the last finished run

    async def connect(self, path: str) -> None:
        from websockets.asyncio.client import connect

        if self.ws is not None:
            await self.ws.close()
        ws_url = self.base.replace("http://", "ws://") + "/_stcore/stream"
        self.ws = await connect(ws_url, subprotocols=["streamlit"], max_size=None, origin=self.base,
                                open_timeout=STEP_TIMEOUT_MS / 1000, ping_interval=None)
        self.query_string = path.split("?", 1)[1] if "?" in path else ""
        self.page_hash = ""
        self.states = {}
        name = path.split("?", 1)[0].strip("/")
        await self.rerun(page=name)

    async def rerun(self, widgets=(), page: str | None = None) -> None:
        """Send a rerun (to ``page``'s url path, else the current page) and read until the script has finished."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        if page is not None:   # the Overview is the default page: its url path is empty
            path = "" if page == "overview" and "overview" not in self.pages else page
            cs.page_script_hash = self.pages.get(path, "")
            cs.page_name = path
        else:
            cs.page_script_hash = self.page_hash
        # as the browser does: every widget's value it holds goes with each rerun (one left out is reset by
        # Streamlit, e.g. the filter on a page change), the changed ones with their new value
        send = {**self.states, **{w.id: w for w in widgets}}
        for w in send.values():
            cs.widget_states.widgets.append(w)
        await self.ws.send(msg.SerializeToString())
        elements: list = []
        while True:
            raw = await asyncio.wait_for(self.ws.recv(), timeout=STEP_TIMEOUT_MS / 1000)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "new_session":
                elements = []
                for p in fm.new_session.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
                self.page_hash = fm.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                for p in fm.navigation.app_pages:
                    self.pages[p.url_pathname] = p.page_script_hash
                    if p.is_default:
                        self.pages.setdefault("", p.page_script_hash)
                self.page_hash = fm.navigation.page_script_hash or self.page_hash
            elif kind == "page_info_changed":
                self.query_string = fm.page_info_changed.query_string
            elif kind == "delta" and fm.delta.WhichOneof("type") == "new_element":
                elements.append((tuple(fm.metadata.delta_path), fm.delta.new_element))
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(fm.script_finished)
                if status == "FINISHED_EARLY_FOR_RERUN":   # the app reran itself (e.g. after syncing the URL)
                    elements = []
                    continue
                if status != "FINISHED_SUCCESSFULLY":
                    raise RuntimeError(f"the script finished with {status}")
                break
        self.elements = elements
        states = {}
        for path, el in elements:
            which = el.WhichOneof("type")
            if which == "exception" or (which == "alert" and el.alert.format == el.alert.ERROR):
                raise RuntimeError("an error is shown on the page")
            if path and path[0] == 1 and which in ("multiselect", "text_input", "radio", "selectbox", "date_input"):
                widget = getattr(el, which)   # the sidebar's: the filter, the language, the corpus
                if which in ("multiselect", "text_input"):
                    self.widgets[which] = widget
                held = send.get(widget.id)
                state = _widget_state(which, widget) if widget.set_value or held is None else held
                if state is not None:
                    states[widget.id] = state
        self.states = states

    async def step(self, kind: str, action) -> bool:
        t0 = time.monotonic()
        try:
            await action()
        except Exception as exc:  # noqa: BLE001 - every failure is a recorded error
            self.results["errors"].append({"session": self.n, "step": kind, "error": (str(exc) or repr(exc)).splitlines()[0][:300]})
            return False
        finally:
            self.results["steps"].append({"session": self.n, "step": kind, "seconds": round(time.monotonic() - t0, 3)})
        return True

    async def nav(self, page: str) -> None:
        await self.rerun(page=page)
        self.on = page

    async def open(self) -> bool:
        return await self.step("open", lambda: self.connect(self.url()))

    async def pick_outlet(self) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        outlet = self.rng.choice([o for o in self.truth.outlets if o != self.outlet] or self.truth.outlets)
        box = self.widgets.get("multiselect")

        async def act():
            if box is None:
                raise RuntimeError("no outlet picker in the sidebar")
            shown = [o for o in box.options if re.fullmatch(re.escape(outlet) + r" \(\d+\)", o)]
            if not shown:
                raise RuntimeError(f"{outlet!r} is not among the sidebar's outlets")
            w = WidgetState(id=box.id)
            w.string_array_value.data.extend(shown)
            await self.rerun([w])

        self.outlet = outlet
        if await self.step("outlet", act):
            await self.check()

    async def search(self) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        query = self.rng.choice([q for q in QUERIES if q != self.query])
        field = self.widgets.get("text_input")

        async def act():
            if field is None:
                raise RuntimeError("no search field in the sidebar")
            await self.rerun([WidgetState(id=field.id, string_value=query)])

        self.query = query
        if await self.step("search", act):
            await self.check()

    async def open_link(self, path: str) -> None:
        await self.connect(path)

    async def download(self) -> None:
        page = await self.to_random_page()
        if page is None:
            return
        urls = [el.download_button.url for path, el in self.elements
                if el.WhichOneof("type") == "download_button" and el.download_button.url and path and path[0] == 0]
        if not urls:  # an empty filter (no table), or only tables made on click
            return

        def fetch():
            with urllib.request.urlopen(self.base + urls[0], timeout=STEP_TIMEOUT_MS / 1000) as r:
                if r.status != 200 or not r.read():
                    raise RuntimeError(f"download answered {r.status} with nothing")

        await self.step(f"download {page}", lambda: asyncio.to_thread(fetch))

    async def check(self) -> None:
        if self.on != "overview" and not await self.step("open overview", lambda: self.nav("overview")):
            return
        problems = self.mismatches_now()
        if problems:
            self.results["crosstalk"].append({"session": self.n, "filter": [self.outlet, self.query,
                                              [str(d) for d in self.dates or ()]], "problems": problems})
        self.results["checks"] += 1

    def mismatches_now(self) -> list[str]:
        """What the last finished run showed: the filter the app wrote to this session's URL (the widgets'
        values stay in the browser, the elements do not carry them) and the Overview's article count."""
        want = self.truth.articles(self.outlet, self.query, *(self.dates or (None, None)))
        problems = []
        url = urllib.parse.parse_qs(self.query_string)
        picked = url.get("outlet", [])
        if picked != ([self.outlet] if self.outlet else []):
            problems.append(f"outlets {picked} != {self.outlet!r}")
        if url.get("q", [""])[0] != self.query:
            problems.append(f"query {url.get('q', [''])[0]!r} != {self.query!r}")
        label = t("ov.articles", "en")
        shown = [el.metric.body for path, el in self.elements if el.WhichOneof("type") == "metric" and el.metric.label == label]
        if want == 0:
            if shown:
                problems.append("articles shown, core says 0")
        elif not shown:
            problems.append(f"no article count shown, core says {want}")
        elif shown[0].replace(",", "").strip() != str(want):
            problems.append(f"articles {shown[0]} != {want}")
        return problems

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


async def run_protocol(args, base: str, pid: int | None, truth: Truth, results: dict, memory: list, stop) -> dict:
    warm = ProtocolSession(-1, base, args.corpus, truth, {"steps": [], "errors": [], "crosstalk": [], "checks": 0})
    await warm.open()
    await warm.close()
    sampler = asyncio.create_task(sample_memory(pid, stop, memory)) if pid else None
    sessions = [ProtocolSession(i, base, args.corpus, truth, results) for i in range(args.sessions)]
    t0 = time.monotonic()
    cpu0 = (tree_cpu(pid) if pid else None, tree_cpu(os.getpid()), machine_cpu())
    await asyncio.gather(*(s.run(t0 + args.seconds) for s in sessions))
    wall = time.monotonic() - t0
    cpu1 = (tree_cpu(pid) if pid else None, tree_cpu(os.getpid()), machine_cpu())
    await asyncio.sleep(2)
    stop.set()
    if sampler:
        await sampler
    for s in sessions:
        await s.close()
    return {"t0": t0, "wall": wall, "cpu0": cpu0, "cpu1": cpu1}


async def run_browser(args, base: str, pid: int | None, truth: Truth, results: dict, memory: list, stop) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        # warm-up: the first visit builds the corpus's index on the server (not counted)
        ctx = await browser.new_context(base_url=base)
        warm = Session(-1, ctx, base, args.corpus, truth, {"steps": [], "errors": [], "crosstalk": [], "checks": 0})
        await warm.open()
        await ctx.close()
        sampler = asyncio.create_task(sample_memory(pid, stop, memory)) if pid else None
        contexts = [await browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True,
                                              base_url=base) for _ in range(args.sessions)]
        t0 = time.monotonic()
        cpu0 = (tree_cpu(pid) if pid else None, tree_cpu(os.getpid()), machine_cpu())
        await asyncio.gather(*(Session(i, c, base, args.corpus, truth, results).run(t0 + args.seconds)
                               for i, c in enumerate(contexts)))
        wall = time.monotonic() - t0
        cpu1 = (tree_cpu(pid) if pid else None, tree_cpu(os.getpid()), machine_cpu())
        await asyncio.sleep(2)  # memory after the sessions' last step
        stop.set()
        if sampler:
            await sampler
        for c in contexts:
            await c.close()
        await browser.close()
    return {"t0": t0, "wall": wall, "cpu0": cpu0, "cpu1": cpu1}


# -- the run ---------------------------------------------------------------------------------------
async def run(args) -> dict:
    home = Path(tempfile.mkdtemp(prefix="marsad-load-"))
    proc = None
    base, pid = args.url, args.pid
    if not base:
        proc, base = start_server(home, Path(args.corpus_file))
        pid = proc.pid
    truth = Truth(Path(args.corpus_file), home)
    results: dict = {"steps": [], "errors": [], "crosstalk": [], "checks": 0}
    memory: list[tuple[float, int]] = []
    stop = asyncio.Event()
    try:
        runner = run_protocol if args.client == "protocol" else run_browser
        got = await runner(args, base, pid, truth, results, memory, stop)
        wall, cpu0, cpu1 = got["wall"], got["cpu0"], got["cpu1"]
    finally:
        stop.set()
        if proc:
            stop_server(proc)
        truth.corpus.con.close()
        clean_home(home)
    secs = sorted(s["seconds"] for s in results["steps"])

    def pct(p):
        return round(secs[min(len(secs) - 1, int(round(p / 100 * (len(secs) - 1))))], 3) if secs else None

    by_kind: dict[str, list[float]] = {}
    for s in results["steps"]:
        by_kind.setdefault(s["step"].split(" ")[0], []).append(s["seconds"])
    mb = [m for _, m in memory]
    cpu = None
    if cpu0[0] is not None:
        server = cpu1[0] - cpu0[0]
        own = cpu1[1] - cpu0[1]       # this script's tree: the browser, its driver and (when started here) the server
        cpu = {"server_s": round(server, 1), "machine_s": round(cpu1[2] - cpu0[2], 1), "wall_s": round(wall, 1),
               "browser_s": round(own - (server if proc else 0), 1), "cores": os.cpu_count()}
    return {
        "sessions": args.sessions, "seconds": args.seconds, "wall_seconds": round(wall, 1), "url": base,
        "client": args.client,
        "corpus": str(args.corpus_file), "steps": len(secs),
        "latency_s": {"p50": pct(50), "p95": pct(95), "max": secs[-1] if secs else None,
                      "mean": round(statistics.fmean(secs), 3) if secs else None},
        "latency_by_step_s": {k: {"n": len(v), "p50": round(statistics.median(v), 3), "max": round(max(v), 3)}
                              for k, v in sorted(by_kind.items())},
        "errors": len(results["errors"]), "error_list": results["errors"][:50],
        "crosstalk_checks": results["checks"], "crosstalk": len(results["crosstalk"]),
        "crosstalk_list": results["crosstalk"][:50],
        "memory_mb": {"start": round(mb[0] / 2**20, 1), "peak": round(max(mb) / 2**20, 1),
                      "end": round(mb[-1] / 2**20, 1), "samples": len(mb),
                      # the highest RSS in each quarter of the run: a plateau once the caches are full is flat
                      "quarter_peaks": [round(max(q) / 2**20, 1) for q in _quarters(mb)]} if mb else None,
        "cpu": cpu,
        "server_log": str(home / "streamlit.log") if proc else None,
    }


def _quarters(values: list) -> list[list]:
    """``values`` cut into four consecutive parts as equal as can be (fewer when there are fewer values)."""
    n = len(values)
    cuts = sorted({round(n * i / 4) for i in range(5)})
    return [values[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="an app already running (default: start one)")
    ap.add_argument("--pid", type=int, help="with --url: the server's pid, to sample its memory")
    ap.add_argument("--corpus", default="extra", help="the corpus key in the app (default: extra, the started app's)")
    ap.add_argument("--corpus-file", default=str(EXCERPT), help="the corpus's source file (for core's counts)")
    ap.add_argument("--sessions", type=int, default=10)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--out", default=str(ROOT / "test-artifacts" / "load_test.json"))
    ap.add_argument("--client", choices=("browser", "protocol"), default="browser",
                    help="browser: a Chromium context per session (default); protocol: Streamlit's websocket "
                         "protocol, without drawing (see ProtocolSession)")
    args = ap.parse_args(argv)
    if args.client == "browser" and not os.path.exists(CHROMIUM):
        print(f"Chromium not found at {CHROMIUM} (apt-get install chromium)", file=sys.stderr)
        return 2
    report = asyncio.run(run(args))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    lat, mem = report["latency_s"], report["memory_mb"] or {}
    print(f"{report['sessions']} sessions × {report['seconds']:.0f} s: {report['steps']} steps; latency p50 "
          f"{lat['p50']} s, p95 {lat['p95']} s, max {lat['max']} s")
    for kind, v in report["latency_by_step_s"].items():
        print(f"  {kind:<10} n={v['n']:<4} p50 {v['p50']} s  max {v['max']} s")
    print(f"errors: {report['errors']}; cross-talk: {report['crosstalk']} of {report['crosstalk_checks']} checks")
    if mem:
        print(f"server memory (RSS, process tree): start {mem['start']} MB, peak {mem['peak']} MB, end {mem['end']} MB; "
              f"highest in each quarter of the run: {' / '.join(f'{q:,.0f}' for q in mem.get('quarter_peaks', []))} MB")
    if report.get("cpu"):
        c = report["cpu"]
        print(f"CPU seconds over the {c['wall_s']} s of steps ({c['cores']} cores): server {c['server_s']}, "
              f"{'browser' if report['client'] == 'browser' else 'protocol clients'} {c['browser_s']}, "
              f"whole machine {c['machine_s']}")
    for e in report["error_list"][:5]:
        print("  error:", e)
    for c in report["crosstalk_list"][:5]:
        print("  cross-talk:", c)
    print(f"written to {args.out}")
    return 0 if not report["crosstalk"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
