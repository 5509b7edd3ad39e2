"""Browser flows: one `streamlit run` for the whole session, Debian's Chromium driven by Playwright.

- ``server``: starts the app on a free port with MARSAD_CACHE / MARSAD_VAR in a pytest temp dir
  (tests never touch the developer's cache or uploads), waits for /_stcore/health, stops it at the end.
- ``browser``: headless Chromium at /usr/bin/chromium (``playwright install`` cannot download here).
  A missing browser is a failure with instructions, never a skip.
- ``page``: a fresh context (1400×1000, downloads accepted) whose base URL is the app.
- ``blank_page``: the same without the app, for tests of the test helpers on static HTML.
- ``goto(page, "/overview?lang=en")`` opens a page, waits until Streamlit is idle and the Plotly
  charts are drawn, and saves a full-page screenshot to test-artifacts/screenshots/.
- ``wait_idle(page, rerun=True)`` waits for the script-state attribute, never a sleep.
- ``views``: each (page, language) opened once per session and everything the page and RTL tests
  assert on recorded (exceptions, headings, SVG label geometry, hover labels), so the suite stays fast.
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.e2e import rtl

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SHOTS = ROOT / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1400, "height": 1000}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
LOAD_TIMEOUT_MS = 90_000  # the first visit builds the sample index

# The pages the app routes to, by URL path. app.py registers only the files that exist
# (pages/<slug>.py or pages/<slug>_page.py), so the tests are parametrized from the files too.
PAGE_SLUGS = ["overview", "keywords", "topics", "entities", "compare", "reuse", "articles", "stories", "data"]


def existing_pages() -> list[str]:
    return [s for s in PAGE_SLUGS
            if (ROOT / "pages" / f"{s}.py").exists() or (ROOT / "pages" / f"{s}_page.py").exists()]


# -- the app --------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_server(home: Path, env_extra: dict | None = None, drop: tuple[str, ...] = ()):
    """Start `python -m ui.serve` (what `make run` starts) on a free port with MARSAD_CACHE / MARSAD_VAR
    in ``home`` and ``env_extra`` set (``drop`` removed from the environment); yield its base URL once
    /_stcore/health answers; stop its process group (and only it) afterwards."""
    env = dict(os.environ)
    for k in ("MARSAD_EXTRA_CORPUS", *drop):
        env.pop(k, None)
    env.update(MARSAD_CACHE=str(home / "cache"), MARSAD_VAR=str(home / "var"), PYTHONUNBUFFERED="1",
               **(env_extra or {}))
    python = ROOT / ".venv" / "bin" / "python"
    port = _free_port()
    log_path = home / "streamlit.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [str(python if python.exists() else sys.executable), "-m", "ui.serve",
         "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer /_stcore/health within 60 s:\n"
                            f"{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)  # bounded polling of the health endpoint
        yield base
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # the process group this server started, and only it
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        log.close()
        tail = log_path.read_text(errors="replace")
        if "Traceback" in tail:
            print(f"\n--- streamlit log (tracebacks seen) ---\n{tail[-4000:]}")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    """Base URL of a `streamlit run app.py` serving the bundled sample, isolated in a temp dir."""
    with app_server(tmp_path_factory.mktemp("marsad")) as base:
        yield base


# -- the browser ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make test` (it installs Debian's chromium via "
                    "scripts/sysdeps.sh) or `apt-get install chromium`. Do not run `playwright install`.")
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    except Exception as exc:
        pw.stop()
        pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}")
    yield b
    b.close()
    pw.stop()


COLD_DEEP_LINK = "/keywords?outlet=%D8%B4%D9%8A%D9%86%D8%AE%D9%88%D8%A7"  # a shared link: keywords of شينخوا


@dataclass
class App:
    url: str
    cold_deep_link: str
    cold_exceptions: list[str]
    cold_dialogs: list[str]
    cold_headings: list[str]


@pytest.fixture(scope="session")
def app(server, browser) -> App:
    """The server after its first two visits.

    The very first request is a deep link, as when someone opens a shared URL on a freshly started
    app; what it showed is kept for ``test_cold_deep_link``. Then "/" is opened, so the other tests
    see the app as it is once anyone has visited its front page.
    """
    context = browser.new_context(viewport=VIEWPORT, base_url=server)
    pg = context.new_page()
    try:
        goto(pg, COLD_DEEP_LINK, shot="cold_deep_link")
        cold = (pg.get_by_test_id("stException").all_inner_texts(), pg.get_by_role("dialog").all_inner_texts(),
                pg.get_by_test_id("stMain").locator("h1").all_inner_texts())
        goto(pg, "/", shot="cold_front_page")
    finally:
        context.close()
    return App(server, COLD_DEEP_LINK, *cold)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(request, browser, app):
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, base_url=app.url)
    context.set_default_timeout(30_000)
    pg = context.new_page()
    yield pg
    rep = getattr(request.node, "rep_call", None)
    if rep is not None and rep.failed:  # what the browser showed when the test failed
        try:
            screenshot(pg, f"FAILED_{request.node.name}"[:150])
        except Exception:
            pass
    context.close()


@pytest.fixture
def blank_page(browser):
    context = browser.new_context(viewport=VIEWPORT)
    pg = context.new_page()
    yield pg
    context.close()


# -- helpers ------------------------------------------------------------------------------------------
def wait_idle(page, rerun: bool = False, timeout_ms: int = 30_000) -> None:
    """Wait until the script is not running. With ``rerun``, first give the rerun a moment to start
    (a fast rerun may already be over; that is fine)."""
    if rerun:
        try:
            page.wait_for_selector(RUNNING, timeout=1_500)
        except Exception:
            pass
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    # Lazily loaded elements (Plotly, the data grid) show a skeleton until their code has loaded,
    # and a Plotly chart draws its SVG after mounting: wait for both.
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stApp"] [data-testid="stSkeleton"]')
                 && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'))
                      .every(c => c.querySelector('.main-svg'))""",
        timeout=timeout_ms,
    )


def _shot_name(path_and_query: str) -> str:
    test = os.environ.get("PYTEST_CURRENT_TEST", "").split("::")[-1].split(" ")[0]
    slug = re.sub(r"[^\w]+", "-", path_and_query.strip("/"), flags=re.ASCII).strip("-") or "root"
    return f"{test}__{slug}"[:150] if test else slug


def screenshot(page, name: str) -> Path:
    """A full-page PNG: Streamlit scrolls inside its main block, so grow the viewport to fit first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    need = page.evaluate("""() => Math.max(document.documentElement.scrollHeight,
        ...Array.from(document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section'))
           .map(e => e.scrollHeight))""")
    size = page.viewport_size or VIEWPORT
    if need > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(int(need) + 40, 12_000)})
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        if need > size["height"]:
            page.set_viewport_size(size)
    return path


def goto(page, path_and_query: str, shot: str | None = None, timeout_ms: int = LOAD_TIMEOUT_MS) -> Path:
    """Open a page of the app, wait until it is idle and drawn, save a screenshot; returns its path."""
    page.goto(path_and_query)
    page.get_by_test_id("stApp").wait_for(timeout=timeout_ms)
    # the first run starts after the websocket connects; the main block then fills in
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stHeading"], [data-testid="stException"]',
                           timeout=timeout_ms)
    wait_idle(page, timeout_ms=timeout_ms)
    return screenshot(page, shot or _shot_name(path_and_query))


@pytest.fixture(name="goto")
def goto_fixture():
    return goto


@pytest.fixture(name="shoot")
def shoot_fixture():
    """``shoot(page, name)``: a full-page screenshot of the current state."""
    return screenshot


@pytest.fixture(name="wait_idle")
def wait_idle_fixture():
    return wait_idle


# -- each page opened once per session ------------------------------------------------------------------
@dataclass
class PageView:
    slug: str
    lang: str
    url: str
    headings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    labels: list[rtl.Label] = field(default_factory=list)
    hover_labels: list[rtl.Label] = field(default_factory=list)
    #: (text, computed text-align, direction) of every caption with text, main block and sidebar
    captions: list[tuple[str, str, str]] = field(default_factory=list)
    charts: int = 0
    hovered: int = 0
    shot: Path | None = None
    seconds: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.slug} ({self.lang})"


class PageViews:
    def __init__(self, browser, server):
        self.context = browser.new_context(viewport=VIEWPORT, base_url=server)
        self.context.set_default_timeout(30_000)
        self.page = self.context.new_page()
        self.seen: dict[tuple[str, str], PageView] = {}

    def get(self, slug: str, lang: str) -> PageView:
        if (slug, lang) not in self.seen:
            self.seen[(slug, lang)] = self._visit(slug, lang)
        return self.seen[(slug, lang)]

    def _visit(self, slug: str, lang: str) -> PageView:
        # the overview is the default page: Streamlit serves it at "/" (the app's own links say so)
        url = ("/" if slug == "overview" else f"/{slug}") + ("?lang=en" if lang == "en" else "")
        view = PageView(slug, lang, url)
        pg = self.page
        t0 = time.monotonic()
        view.shot = goto(pg, url, shot=f"{slug}_{lang}")
        view.seconds = time.monotonic() - t0
        view.headings = pg.get_by_test_id("stMain").locator("h1").all_inner_texts()
        view.exceptions = pg.get_by_test_id("stException").all_inner_texts()
        view.dialogs = pg.get_by_role("dialog").all_inner_texts()
        if view.dialogs:  # e.g. "Page not found": recorded for the page test, then dismissed for the audit
            pg.keyboard.press("Escape")
            pg.get_by_role("dialog").first.wait_for(state="hidden", timeout=5_000)
        view.charts = pg.get_by_test_id("stPlotlyChart").count()
        view.captions = [tuple(c) for c in pg.evaluate(
            """() => [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
                     .filter(e => e.innerText.trim())
                     .map(e => { const cs = getComputedStyle(e.querySelector('p') || e);
                                 return [e.innerText.trim().slice(0, 60), cs.textAlign, cs.direction]; })""")]
        view.labels = rtl.collect(pg, "svg text", view.name)
        view.hover_labels, view.hovered = rtl.hover_labels(pg, view.name, shot=SHOTS / f"{slug}_{lang}_hover.png")
        return view

    def close(self):
        self.context.close()


@pytest.fixture(scope="session")
def views(browser, app):
    v = PageViews(browser, app.url)
    yield v
    v.close()
