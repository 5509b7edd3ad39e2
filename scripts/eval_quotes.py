"""Measure the statement extractor's speakers (core.extract.quotes) on hand-checked statements.

    .venv/bin/python scripts/eval_quotes.py                 # the shipped gold set (tests/data/quotes_gold)
    .venv/bin/python scripts/eval_quotes.py -v              # ... and list every miss and wrong speaker
    .venv/bin/python scripts/eval_quotes.py --speed 2000    # ms/article on 2,000 ANT articles
    .venv/bin/python scripts/eval_quotes.py --saudi-sample 120 --out /tmp/saudi_sample.jsonl
    .venv/bin/python scripts/eval_quotes.py --saudi /tmp/saudi_judged.jsonl

*Coverage* is the share of gold statements that have a speaker for which the extractor found a
statement (overlapping the gold span) with a speaker; *precision* is the share of those whose
speaker is right.  A predicted speaker is right when, normalised, it equals the gold speaker or
one of its ``accept`` forms, or is a run of at least two words starting one of them (مسؤول كبير
for مسؤول كبير في فيلق الحدود), or ends with one of them (وزير الخارجية عادل الجبير for عادل
الجبير), or is the end of one of them (الجبير, بن دغر), or continues a gold phrase of at least
two words (مصدر مطلع على التحقيقات الجارية for مصدر مطلع على التحقيقات).

The SaudiNewsNet judgments are never part of the project (CC BY-NC-SA): ``--saudi-sample`` writes
sentences holding a reporting verb, with the extractor's answer, to a file outside the project
for a person to judge (``gold`` = the speaker, null when the sentence holds no statement with a
speaker); ``--saudi`` scores that judged file.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import arabic  # noqa: E402

GOLD_DIR = ROOT / "tests" / "data" / "quotes_gold"
ANT = Path("/work/shared/data/ant_multisource/ant_multisource_v2.1.jsonl.gz")
SAUDI = Path("/work/shared/data/saudinewsnet_dev/saudinewsnet_dev.jsonl.gz")
COVERAGE_TARGET, PRECISION_TARGET = 0.60, 0.90

_STATEMENT_KEYS = {"id": int, "doc_id": str, "outlet": str, "start": int, "end": int, "text": str}
_ARTICLE_KEYS = {"doc_id": str, "outlet": str, "text": str}


class GoldError(ValueError):
    pass


def load_gold(directory: str | Path = GOLD_DIR) -> tuple[dict[str, dict], list[dict]]:
    """``(articles by doc_id, statements)`` of a gold directory, validated: every statement names
    an article, its ``text`` is the article text at ``[start, end)``, ``speaker`` is a string or
    null and ``accept`` a list of strings; ids are unique."""
    directory = Path(directory)
    articles: dict[str, dict] = {}
    for n, line in enumerate((directory / "articles.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        a = json.loads(line)
        for k, t in _ARTICLE_KEYS.items():
            if not isinstance(a.get(k), t):
                raise GoldError(f"articles.jsonl line {n}: {k} must be {t.__name__}")
        if a["doc_id"] in articles:
            raise GoldError(f"articles.jsonl line {n}: doc_id {a['doc_id']} twice")
        articles[a["doc_id"]] = a
    statements, ids = [], set()
    allowed = set(_STATEMENT_KEYS) | {"speaker", "accept", "note"}
    for n, line in enumerate((directory / "statements.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        s = json.loads(line)
        where = f"statements.jsonl line {n}"
        extra = set(s) - allowed
        if extra:
            raise GoldError(f"{where}: unknown keys {sorted(extra)}")
        for k, t in _STATEMENT_KEYS.items():
            if not isinstance(s.get(k), t):
                raise GoldError(f"{where}: {k} must be {t.__name__}")
        if s["id"] in ids:
            raise GoldError(f"{where}: id {s['id']} twice")
        ids.add(s["id"])
        art = articles.get(s["doc_id"])
        if art is None:
            raise GoldError(f"{where}: no article {s['doc_id']}")
        if art["outlet"] != s["outlet"] or art["text"][s["start"]:s["end"]] != s["text"]:
            raise GoldError(f"{where}: outlet or span does not match the article")
        if not (s.get("speaker") is None or isinstance(s["speaker"], str) and s["speaker"].strip()):
            raise GoldError(f"{where}: speaker must be a non-empty string or null")
        acc = s.setdefault("accept", [])
        if not isinstance(acc, list) or not all(isinstance(x, str) and x.strip() for x in acc):
            raise GoldError(f"{where}: accept must be a list of strings")
        if s["speaker"] is None and acc:
            raise GoldError(f"{where}: accept without a speaker")
        statements.append(s)
    return articles, statements


def _toks(s: str) -> list[str]:
    return arabic.tokenize(arabic.normalize(s.replace("#", " ").replace("_", " ")))


def speaker_matches(pred: str | None, speaker: str | None, accept: list[str] = ()) -> bool:
    if not pred or not speaker:
        return False
    p = _toks(pred)
    for form in [speaker, *accept]:
        f = _toks(form)
        if not f or not p:
            continue
        if p == f or (len(p) >= 2 and f[:len(p)] == p) or (len(p) > len(f) and p[-len(f):] == f):
            return True   # the same, a start of it (مسؤول كبير), or a title before it
        if len(p) < len(f) and f[-len(p):] == p:
            return True   # the surname (الجبير, بن دغر)
        if len(f) >= 2 and p[:len(f)] == f:
            return True   # the gold phrase, continued (مصدر مطلع على التحقيقات الجارية)
    return False


def make_entities(texts):
    """The gazetteer matcher over a corpus vocabulary, as the index build makes it."""
    from core.resources import load_resources
    from core.textpipe import EntityMatcher, Grouper, norm_counts

    res = load_resources()
    matcher = EntityMatcher(res.gazetteer, Grouper.build(norm_counts(texts), res))
    return matcher.find_in_words, matcher.grouper.counts


def predict(articles: dict[str, dict]) -> dict[str, list]:
    from core.extract.quotes import extract_quotes

    entities, vocab = make_entities(a["text"] for a in articles.values())
    return {d: extract_quotes(a["text"], entities_in_words=entities, vocab=vocab) for d, a in articles.items()}


def best_overlap(quotes, start: int, end: int):
    best, size = None, 0
    for q in quotes:
        o = min(end, q.end) - max(start, q.start)
        if o > size:
            best, size = q, o
    return best


def score(statements: list[dict], preds: dict[str, list]) -> dict:
    with_speaker = [s for s in statements if s["speaker"]]
    rows = []
    for s in statements:
        q = best_overlap(preds.get(s["doc_id"], []), s["start"], s["end"])
        pred = q.speaker if q is not None else None
        rows.append({**s, "found": q is not None, "pred": pred,
                     "right": speaker_matches(pred, s["speaker"], s["accept"])})
    attributed = [r for r in rows if r["speaker"] and r["pred"]]
    right = [r for r in attributed if r["right"]]
    return {
        "statements": len(statements), "with_speaker": len(with_speaker),
        "found": sum(r["found"] for r in rows if r["speaker"]),
        "attributed": len(attributed), "right": len(right),
        "coverage": len(attributed) / len(with_speaker) if with_speaker else 0.0,
        "precision": len(right) / len(attributed) if attributed else 0.0,
        "speaker_on_none": sum(1 for r in rows if not r["speaker"] and r["pred"]),
        "rows": rows,
    }


def _print(res: dict, verbose: bool, by_outlet: bool = True) -> None:
    print(f"gold statements {res['statements']} (with a speaker {res['with_speaker']}); found {res['found']}; "
          f"attributed {res['attributed']}; right {res['right']}")
    print(f"coverage {res['coverage']:.1%} (target {COVERAGE_TARGET:.0%})  "
          f"precision {res['precision']:.1%} (target {PRECISION_TARGET:.0%})  "
          f"speaker given where gold has none: {res['speaker_on_none']}")
    if by_outlet:
        outlets = sorted({r["outlet"] for r in res["rows"]})
        for o in outlets:
            rs = [r for r in res["rows"] if r["outlet"] == o and r["speaker"]]
            att = [r for r in rs if r["pred"]]
            print(f"  {o:18s} {len(rs):3d} statements  coverage {len(att) / max(1, len(rs)):.0%}  "
                  f"precision {sum(r['right'] for r in att) / max(1, len(att)):.0%}")
    if verbose:
        for r in res["rows"]:
            if r["speaker"] and not r["pred"]:
                print(f"MISS  #{r['id']} {r['doc_id']} [{r['text']}] gold={r['speaker']} found={r['found']}")
            elif r["pred"] and not r["right"]:
                print(f"WRONG #{r['id']} {r['doc_id']} [{r['text']}] gold={r['speaker']} pred={r['pred']}")


def _ant_rows(n: int, seed: int = 0) -> list[dict]:
    seen, rows = set(), []
    with gzip.open(ANT, "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("text") and r["text"] not in seen:
                seen.add(r["text"])
                rows.append(r)
    random.Random(seed).shuffle(rows)
    return rows[:n]


def speed(n: int) -> None:
    from core.extract.quotes import extract_quotes

    rows = _ant_rows(n)
    entities, vocab = make_entities(r["text"] for r in rows)
    for r in rows[:50]:   # warm the matcher's caches
        extract_quotes(r["text"], entities_in_words=entities, vocab=vocab)
    t = time.perf_counter()
    found = [extract_quotes(r["text"], entities_in_words=entities, vocab=vocab) for r in rows]
    dt = time.perf_counter() - t
    k = sum(map(len, found))
    print(f"{n} ANT articles: {dt * 1000 / n:.2f} ms/article, {k} statements "
          f"({sum(1 for qs in found for q in qs if q.speaker)} with a speaker)")


def saudi_sample(n: int, out: Path, seed: int = 7) -> None:
    """Random sentences holding a reporting verb, with the extractor's statements in them."""
    from core.extract.quotes import CUE_WORDS, _sentences, extract_quotes, quote_spans
    from core.arabic import word_spans

    with gzip.open(SAUDI, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    rows = [r for r in rows if r.get("content")]
    rng = random.Random(seed)
    rng.shuffle(rows)
    rows = rows[:600]
    entities, vocab = make_entities(r["content"] for r in rows)
    picked = []
    for r in rows:
        text = r["content"]
        words, wst, _ = word_spans(text)
        sents = _sentences(text, quote_spans(text))
        cand = [(a, b) for a, b in sents if any(w in CUE_WORDS for w in arabic.tokenize(arabic.normalize(text[a:b])))]
        if not cand:
            continue
        a, b = rng.choice(cand)
        qs = [q for q in extract_quotes(text, entities_in_words=entities, vocab=vocab) if q.start < b and a < q.end]
        picked.append({"key": f"{r['source']}|{r['url']}|{a}", "source": r["source"],
                       "context": text[max(0, a - 300):a], "sentence": text[a:b],
                       "pred": [{"speaker": q.speaker, "text": q.text[:80], "how": q.how} for q in qs],
                       "gold": "?"})
        if len(picked) >= n:
            break
    with open(out, "w", encoding="utf-8") as f:
        for p in picked:
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"wrote {len(picked)} sentences to {out}: set each 'gold' to the speaker (null: no statement with a speaker)")


def saudi_rerun(rows: list[dict], seed: int = 7) -> list[dict]:
    """The judged rows with ``pred`` made again by the current extractor: each row's article is
    found by its key (outlet|url|sentence start); the corpus vocabulary is that of the judged
    articles plus the 600 articles a sample of ``seed`` draws from (as ``saudi_sample`` does)."""
    from core.extract.quotes import extract_quotes

    with gzip.open(SAUDI, "rt", encoding="utf-8") as f:
        corpus = [json.loads(line) for line in f]
    corpus = [r for r in corpus if r.get("content")]
    by_key = {(r["source"], r["url"]): r["content"] for r in corpus}
    rng = random.Random(seed)
    rng.shuffle(corpus)
    texts = {}
    for r in rows:
        src, rest = r["key"].split("|", 1)
        url, a = rest.rsplit("|", 1)
        texts[(src, url)] = by_key[(src, url)]
    pool = list(texts.values()) + [r["content"] for r in corpus[:600] if (r["source"], r["url"]) not in texts]
    entities, vocab = make_entities(pool)
    out = []
    for r in rows:
        src, rest = r["key"].split("|", 1)
        url, a = rest.rsplit("|", 1)
        a = int(a)
        b = a + len(r["sentence"])
        qs = [q for q in extract_quotes(texts[(src, url)], entities_in_words=entities, vocab=vocab)
              if q.start < b and a < q.end]
        out.append({**r, "pred": [{"speaker": q.speaker, "text": q.text[:80], "how": q.how} for q in qs]})
    return out


def saudi_score(path: Path, rerun: bool = False, verbose: bool = False, seed: int = 7) -> None:
    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    if rerun:
        rows = saudi_rerun(rows, seed)
    if verbose:
        for r in rows:
            if r["gold"] == "?":
                continue
            preds = [p["speaker"] for p in r["pred"] if p["speaker"]]
            ok = any(speaker_matches(p, r["gold"], r.get("accept", [])) for p in preds)
            if (r["gold"] and preds and not ok) or (r["gold"] is None and preds) or (r["gold"] and not preds):
                tag = "WRONG" if preds and r["gold"] else ("EXTRA" if preds else "MISS")
                print(f"{tag}\tgold={r['gold']}\tpred={preds}\t{r['sentence'][:90]!r}")
    judged = [r for r in rows if r["gold"] != "?"]
    with_sp = [r for r in judged if r["gold"]]
    att = [r for r in with_sp if any(p["speaker"] for p in r["pred"])]
    right = [r for r in att if any(speaker_matches(p["speaker"], r["gold"], r.get("accept", [])) for p in r["pred"])]
    none_given = sum(1 for r in judged if not r["gold"] and any(p["speaker"] for p in r["pred"]))
    print(f"saudinewsnet_dev: {len(judged)} judged sentences, {len(with_sp)} with a statement and speaker; "
          f"coverage {len(att) / max(1, len(with_sp)):.1%}, precision {len(right) / max(1, len(att)):.1%}; "
          f"speaker given where none: {none_given}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", default=str(GOLD_DIR))
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--speed", type=int, default=0, metavar="N", help="ms/article on N ANT articles")
    ap.add_argument("--saudi-sample", type=int, default=0, metavar="N")
    ap.add_argument("--out", default="/tmp/saudi_sample.jsonl")
    ap.add_argument("--seed", type=int, default=7, help="the sample's random seed")
    ap.add_argument("--saudi", default=None, metavar="JUDGED.jsonl")
    ap.add_argument("--rerun", action="store_true", help="with --saudi: predict again with the current code")
    args = ap.parse_args(argv)
    if args.saudi_sample:
        saudi_sample(args.saudi_sample, Path(args.out), args.seed)
        return 0
    if args.saudi:
        saudi_score(Path(args.saudi), args.rerun, args.verbose, args.seed)
        return 0
    if args.speed:
        speed(args.speed)
        return 0
    articles, statements = load_gold(args.gold)
    res = score(statements, predict(articles))
    _print(res, args.verbose)
    return 0 if res["coverage"] >= COVERAGE_TARGET and res["precision"] >= PRECISION_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
