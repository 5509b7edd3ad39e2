"""Make a benchmark corpus of N articles by resampling ant_multisource (with replacement).

    .venv/bin/python scripts/make_corpus.py --n 100000 --out var/bench/ant-100k.jsonl.gz \
        [--seed 0] [--source ../shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz]

Output row k (k = 0 … N-1) is a copy of source row ``rng.randrange(len(source))`` with
``rng = random.Random(seed)``, changed only so the pipeline sees a distinct article:

* ``url`` and ``doc_id`` get the suffix ``#s<seed>r<k>`` (so files made with different seeds,
  e.g. the 1k append file ``--seed 99``, never share a URL or an id with the main corpora);
* ``date`` (and ``date_raw``) move back by ``k % 6`` whole years (29 Feb → 28 Feb when needed), so
  the mostly-2018 source spans six years; the month/day/time-of-day distribution is unchanged;
* the text gets one extra short "sentence" made only of stop words: the number ``seed·10^7 + k``
  written in base 64 with the digits spelled as 64 Arabic stop words (في من إلى على …; 3-5
  words).  It is inserted at a sentence boundary near the middle of the article's longest line
  (else another line's boundary, else appended/prepended to the longest line), never as a line of
  its own, and the place is accepted only if core's page-furniture ``clean()`` removes exactly
  the same lines with and without it (checked once per source article).  When no place passes —
  texts that are nothing but furniture, e.g. "** جميع المقالات المنشورة تمثل رأي كتابها فقط.",
  which the pipeline drops as empty anyway — the text is left unchanged (``unmarked_rows`` in
  the stats; such rows are reported as empty/duplicate-text, as their source rows are).
  Why stop words rather than the article's own content words: stop words are never counted
  (no term, n-gram, entity or topic changes, no new vocabulary) and contain no digits, while
  the text — and so its duplicate-text key — is unique per row.  The article's word count grows
  by those 3-5 words (~1-2 %); the text by ~20 bytes.
* everything else (outlet, title, category, abstract, author, source_path) is kept as is.

With ``--day YYYY-MM-DD`` every row is then dated that day (its time of day kept): a day of news to
append, where the default rows spread over six years touch every window of the corpus.

Duplicates present in the source itself (1,481 repeated texts) become distinct articles too.
Copies of one source article share their passages with each other; they are in the same outlet,
so the reuse index (cross-outlet pairs) does not pair them, but a shingle held by more than
``REUSE_MAX_DF`` articles counts as boilerplate, which happens sooner in a big resample.

Streaming: the source is read once into memory (~31k rows); the output is written row by row
(gzip level 6) to ``OUT.part`` and renamed when complete.  Beside it, ``OUT.stats.json`` records
rows, the UTF-8 byte size of all ``text`` fields (text_bytes / text_mb), the file size, the seed,
the source and the generation time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import gzip
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz"
YEARS = 6            # dates are spread over this many years (shift 0 … YEARS-1 years back)
KEY_SPAN = 10 ** 7   # k < KEY_SPAN; the marker encodes seed * KEY_SPAN + k

#: 64 stop words (all in core/resources/stopwords.txt; checked by ``--check``), the marker's digits.
MARKER_WORDS = (
    "في من إلى على عن مع بين عند لدى منذ حتى حول خلال ضد دون أمام خلف وراء فوق تحت داخل خارج "
    "قبل بعد عبر نحو إزاء تجاه ضمن وسط رغم أجل هذا هذه ذلك تلك هنا هناك الذي التي الذين ماذا "
    "أو ثم بل لكن إلا سوى غير لو لولا إن أن لا لم لن ليس قد إذ إذا حيث حين لعل ليت"
).split()
assert len(MARKER_WORDS) == len(set(MARKER_WORDS)) == 64, len(set(MARKER_WORDS))

_BOUNDARY = re.compile(r"(?<=[.!?؟])\s+")
_ENDS_SENTENCE = re.compile(r"[.!?؟…]\s*$")


def marker(key: int) -> str:
    """``key`` in base 64, digits spelled as stop words (at least 3 words, most significant first)."""
    words = []
    while key or len(words) < 3:
        key, d = divmod(key, len(MARKER_WORDS))
        words.append(MARKER_WORDS[d])
    return " ".join(reversed(words))


def _candidates(text: str):
    """Insertion plans (line, position, mode), best first: a sentence boundary near the middle of
    the longest line, then the other boundaries of every line (longest first), then appending to
    / prepending to the longest line."""
    lines = text.split("\n")
    order = sorted(range(len(lines)), key=lambda i: -len(lines[i].strip()))
    for li in order:
        line = lines[li]
        cuts = [m.end() for m in _BOUNDARY.finditer(line) if line[m.end():].strip()]
        mid = len(line) / 2
        for p in sorted(cuts, key=lambda c: abs(c - mid)):
            yield li, p, "insert"
    li = order[0]
    yield li, None, "append"
    yield li, None, "prepend"


def apply_plan(text: str, plan, mark: str) -> str:
    li, p, mode = plan
    lines = text.split("\n")
    line = lines[li]
    if mode == "insert":
        line = f"{line[:p]}{mark}. {line[p:]}"
    elif mode == "append":
        body = line.rstrip()
        line = f"{body}{'' if not body or _ENDS_SENTENCE.search(body) else '.'} {mark}.".lstrip()
    else:
        line = f"{mark}. {line}"
    lines[li] = line
    return "\n".join(lines)


_CLEAN = None


def plan_for(text: str, tries: int = 8):
    """The first plan that leaves furniture removal unchanged (checked with core's ``clean``), or
    None (the text stays as it is: e.g. a text that is all furniture, which the pipeline drops)."""
    global _CLEAN
    if _CLEAN is None:
        sys.path.insert(0, str(ROOT))
        from core.ingest.furniture import clean
        _CLEAN = clean
    _, removed = _CLEAN(text)
    probe = marker(KEY_SPAN * 99 + 12345)
    for n, plan in enumerate(_candidates(text)):
        if n >= tries and plan[2] == "insert":
            continue
        if _CLEAN(apply_plan(text, plan, probe))[1] == removed:
            return plan
    return None


def mark_text(text: str, mark: str, plan="auto") -> str:
    """``text`` with the sentence ``mark + "."`` inserted following ``plan`` (see ``plan_for``)."""
    if plan == "auto":
        plan = plan_for(text)
    return text if plan is None else apply_plan(text, plan, mark)


def shift_years(d: dt.datetime | dt.date, years: int):
    y = d.year - years
    try:
        return d.replace(year=y)
    except ValueError:   # 29 February
        return d.replace(year=y, day=28)


def shift_date(s, years: int):
    if not s or not years or not isinstance(s, str) or not re.match(r"\d{4}-", s):
        return s
    return f"{int(s[:4]) - years:04d}{s[4:]}" if s[4:10] != "-02-29" else f"{int(s[:4]) - years:04d}-02-28{s[10:]}"


def shift_date_raw(s, years: int):
    if not s or not years or not isinstance(s, str):
        return s
    try:
        return email.utils.format_datetime(shift_years(email.utils.parsedate_to_datetime(s), years))
    except (TypeError, ValueError):
        return s


def set_day(r: dict, day: dt.date) -> None:
    """Move a row to ``day``, keeping its time of day (``date`` and ``date_raw``)."""
    if isinstance(r.get("date"), str) and re.match(r"\d{4}-\d{2}-\d{2}", r["date"]):
        r["date"] = day.isoformat() + r["date"][10:]
    if r.get("date_raw"):
        try:
            t = email.utils.parsedate_to_datetime(r["date_raw"])
            r["date_raw"] = email.utils.format_datetime(t.replace(year=day.year, month=day.month, day=day.day))
        except (TypeError, ValueError):
            pass


def load_source(path: Path) -> list[dict]:
    op = gzip.open if str(path).endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


_PLANS: dict[int, object] = {}


def resample(rows: list[dict], k: int, src: int, seed: int) -> dict:
    r = dict(rows[src])
    if src not in _PLANS:
        _PLANS[src] = plan_for(r.get("text") or "")
    tag = f"#s{seed}r{k}"
    years = k % YEARS
    if r.get("url"):
        r["url"] = f"{r['url']}{tag}"
    r["doc_id"] = f"{r.get('doc_id') or 'row' + str(src)}{tag}"
    r["date"] = shift_date(r.get("date"), years)
    if "date_raw" in r:
        r["date_raw"] = shift_date_raw(r["date_raw"], years)
    r["text"] = mark_text(r.get("text") or "", marker(seed * KEY_SPAN + k), _PLANS[src])
    return r


def check(rows: list[dict], sample: int = 2000) -> int:
    """Verify the marker changes neither furniture removal nor any counted term (on ``sample`` rows)."""
    sys.path.insert(0, str(ROOT))
    from core.ingest.furniture import clean
    from core.textpipe import _default_grouper, article_clauses

    g = _default_grouper()
    bad = [w for w in MARKER_WORDS if any(g.key(n) is not None for c in article_clauses(w) for _, n in c)]
    print(f"marker words that are not stop words: {bad or 'none'}")

    def keys(text):
        out = []
        for c in article_clauses(text):
            out.extend(k for k in (g.key(n) for _, n in c) if k is not None)
        return sorted(out)

    furn = terms = 0
    rng = random.Random(1)
    picks = rng.sample(range(len(rows)), min(sample, len(rows)))
    for n, i in enumerate(picks):
        t = rows[i].get("text") or ""
        m = mark_text(t, marker(rng.randrange(KEY_SPAN * 100)))
        c0, rem0 = clean(t)
        c1, rem1 = clean(m)
        if rem0 != rem1:
            furn += 1
        if keys(c0) != keys(c1):
            terms += 1
    print(f"{len(picks)} sampled articles: furniture removal differs in {furn}, counted words differ in {terms}")
    return 1 if bad or furn or terms else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, required=True, help="rows to write")
    ap.add_argument("--out", required=True, help="output .jsonl.gz")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", default=str(DEFAULT_SOURCE))
    ap.add_argument("--check", action="store_true", help="also verify the marker on a sample (slow-ish)")
    ap.add_argument("--day", help="date every row on this day, YYYY-MM-DD (a day of news to append), keeping its time")
    args = ap.parse_args(argv)
    if not 0 < args.n <= KEY_SPAN or args.seed < 0:
        ap.error(f"--n must be in 1 … {KEY_SPAN}, --seed ≥ 0")
    t0 = time.perf_counter()
    rows = load_source(Path(args.source))
    if args.check and check(rows):
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    rng = random.Random(args.seed)
    text_bytes = unmarked = 0
    with gzip.open(part, "wt", encoding="utf-8", compresslevel=6) as f:
        for k in range(args.n):
            src = rng.randrange(len(rows))
            r = resample(rows, k, src, args.seed)
            if args.day:
                set_day(r, dt.date.fromisoformat(args.day))
            text_bytes += len(r["text"].encode("utf-8"))
            unmarked += _PLANS[src] is None
            f.write(json.dumps(r, ensure_ascii=False))
            f.write("\n")
    os.replace(part, out)
    secs = time.perf_counter() - t0
    stats = {
        "file": out.name, "rows": args.n, "day": args.day, "text_bytes": text_bytes, "text_mb": round(text_bytes / 1e6, 2),
        "file_bytes": out.stat().st_size, "seed": args.seed, "source": str(Path(args.source).resolve()),
        "source_rows": len(rows), "unmarked_rows": unmarked,
        "unmarked_sources": sum(p is None for p in _PLANS.values()), "generated_seconds": round(secs, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "generated_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    Path(str(out) + ".stats.json").write_text(json.dumps(stats, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {args.n} rows, text {stats['text_mb']} MB, file {stats['file_bytes'] / 1e6:.1f} MB, "
          f"{secs:.1f} s, peak RSS {stats['peak_rss_mb']} MB, {unmarked} rows left unmarked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
