"""What one analyst feels, page by page, in Debian's Chromium (not part of `make test`).

    .venv/bin/python scripts/felt.py --corpus-file var/bench/ant-100k.duckdb [--rounds 2] [--out FILE.md]

For every page of the app, each round, in a new tab of one browser (its cache kept, as an analyst's
is): load the app's first page from its URL (``load``: a new session), open the page from the
sidebar (``open``), pick the largest outlet in the sidebar, then type a search (the corpus's most
frequent place or person, as in ``scripts/bench_views.py``) and press Enter.  Each step is timed from the action until Streamlit is
idle again and no skeleton is left (charts and tables drawn), with the helpers of
``scripts/load_test.py``.  The server is started once and warmed by one visit (the index is opened,
not built).  Prints a markdown table (median over the rounds per page and step, and the max) and
writes it to ``--out``.  Chromium runs on the same 2 cores as the server.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import load_test as lt  # noqa: E402

from core.i18n import t  # noqa: E402

PAGES = ["overview", "keywords", "topics", "entities", "compare", "reuse", "stories", "articles"]
STEPS = ["load", "open", "outlet", "search"]


def bench_query(corpus_file: Path) -> str:
    """The text query of ``scripts/bench_views.py`` on this corpus."""
    import bench_views

    from core.index.handle import Corpus
    from core.library import is_index_file

    if not is_index_file(corpus_file):
        return "سوريا"
    c = Corpus.open(corpus_file, read_only=True)
    return bench_views.filters(c)[2]


async def one_page(ctx, base: str, corpus_key: str, truth, slug: str, outlet: str, query: str) -> dict:
    s = lt.Session(0, ctx, base, corpus_key, truth, {"steps": [], "errors": [], "crosstalk": [], "checks": 0})
    s.page = await s.new_page()
    out: dict[str, float | None] = {}

    async def pick():
        box = s.page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect")
        await box.get_by_role("combobox").click()
        await s.page.get_by_role("option", name=re.compile("^" + re.escape(outlet) + r" \(\d+\)$")).click()
        await s.page.keyboard.press("Escape")
        await s.page.evaluate("document.activeElement && document.activeElement.blur()")

    async def search():
        field = s.page.get_by_test_id("stSidebar").get_by_role("textbox", name=t("side.query", "en"))
        await field.fill(query)
        await field.press("Enter")

    async def nav():
        await s.page.get_by_test_id("stSidebarNav").get_by_role("link", name=t(f"nav.{slug}", "en"), exact=True).click()

    actions = {"load": lambda: s.goto(s.url()), "open": nav, "outlet": pick, "search": search}
    for step in STEPS:
        n = len(s.results["steps"])
        ok = await s.step(step, actions[step])
        out[step] = s.results["steps"][n]["seconds"] if ok else None
        if not ok:
            out["error"] = s.results["errors"][-1]["error"]
            break
    await s.page.close()
    return out


async def run(args) -> tuple[list[dict], str, str]:
    from playwright.async_api import async_playwright

    home = Path(tempfile.mkdtemp(prefix="marsad-felt-"))
    proc, base = lt.start_server(home, Path(args.corpus_file))
    truth = lt.Truth(Path(args.corpus_file), home)
    outlet = truth.outlets[0]
    query = bench_query(Path(args.corpus_file))
    rows = []
    try:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=lt.CHROMIUM, args=lt.CHROMIUM_ARGS, headless=True)
            ctx = await browser.new_context(base_url=base)   # warm-up: the first visit opens the index
            warm = lt.Session(-1, ctx, base, "extra", truth, {"steps": [], "errors": [], "crosstalk": [], "checks": 0})
            await warm.open()
            await ctx.close()
            ctx = await browser.new_context(viewport={"width": 1400, "height": 1000}, base_url=base)
            for r in range(args.rounds):
                for slug in PAGES:
                    got = await one_page(ctx, base, "extra", truth, slug, outlet, query)
                    rows.append({"round": r, "page": slug, **got})
                    print(r, slug, got, flush=True)
            await ctx.close()
            await browser.close()
    finally:
        lt.stop_server(proc)
        truth.corpus.con.close()
        lt.clean_home(home)
    return rows, outlet, query


def report(rows: list[dict], corpus_file: str, outlet_query: tuple[str, str], cmd: str) -> list[str]:
    lines = [f"## Felt in Chromium on `{corpus_file}`", "",
             f"`{cmd}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: for each page, a new tab loads the "
             f"app (a new session), opens the page from the sidebar, picks the outlet {outlet_query[0]} and searches "
             f"{outlet_query[1]}; seconds from the action until Streamlit is idle with nothing left to draw "
             "(median over the rounds / max).", "",
             "| page | load the app | open the page | pick an outlet | search |", "|---|---:|---:|---:|---:|"]
    every = []
    for slug in PAGES:
        cells = []
        for step in STEPS:
            v = [r[step] for r in rows if r["page"] == slug and r.get(step) is not None]
            every += v
            cells.append(f"{statistics.median(v):.2f} / {max(v):.2f}" if v else "–")
        lines.append(f"| {slug} | " + " | ".join(cells) + " |")
    errors = [r for r in rows if r.get("error")]
    if every:
        lines += ["", f"- every step: median {statistics.median(every):.2f} s, max {max(every):.2f} s, "
                      f"{sum(v > 3 for v in every)} of {len(every)} over 3 s; errors: {len(errors)}"]
    lines += [f"  - error: {r['page']}: {r['error']}" for r in errors]
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus-file", default=str(lt.EXCERPT))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    rows, outlet, query = asyncio.run(run(args))
    cmd = f".venv/bin/python scripts/felt.py --corpus-file {args.corpus_file} --rounds {args.rounds}"
    lines = report(rows, args.corpus_file, (outlet, query), cmd)
    print("\n".join(lines))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0 if not any(r.get("error") for r in rows) else 1

if __name__ == "__main__":
    raise SystemExit(main())
