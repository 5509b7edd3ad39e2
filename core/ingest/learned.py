"""Learned page furniture: what an outlet repeats around its articles, found in the corpus itself.

The hand-written rules (:mod:`.furniture`) know what a single article shows (teasers, share
widgets, datelines of known outlets).  An outlet nobody tuned for has its own: a link-back line
at the end of every article, a byline "<outlet> – <city>", an agency end mark and time stamp, a
columnist's contact footer, tag lists, "Next Previous".  None of them is written down here;
they are *learned* from how often an outlet repeats them.

**Candidates.**  Every article contributes the keys of its body lines (the headline excluded):

* ``line``  every line of at most :data:`MAX_WORDS` words;
* ``lead``  the opening spans of its first :data:`HEAD` lines that end at a separator
  (``- – — ـ : | / ( )``), at most :data:`SPAN_WORDS` words: "الرياض - واس:" gives "الرياض" and
  "الرياض | واس".  A span of several segments also counts with one segment left open
  ("* | واس", "الرياض | *"), so a byline with a different city or reporter each day is learned;
* ``tail``  the closing spans of its last :data:`TAIL_SCAN` lines that start after a sentence end or a
  separator, at most :data:`SPAN_WORDS` words ("… أمس. (واس) 12:30 ت م" gives "واس 0 0 ت م");
* ``label`` the label of a list-like line among its last :data:`TAIL_LABEL` lines
  ("الوسوم: أ، ب، ج" gives "الوسوم").

A key is the text generalised (:func:`span_key`): letters folded as for matching, digits → 0,
e-mail addresses → @, web addresses → url, punctuation dropped.

**Decision.**  A key is furniture of an outlet when at least :data:`MIN_ARTICLES` of the outlet's
articles and :data:`MIN_SHARE` of them have it (a labelled list line: :data:`KIND_SHARE`).  Counting is bounded: per outlet a lossy counter
(Manku & Motwani's lossy counting) keeps every key whose share may still reach
:data:`MIN_SHARE`, so memory does not grow with the number of articles.

**Removal** (:meth:`Furniture.apply`), before anything is counted: a learned line goes whole, a
learned lead or tail span is cut from its line (the longest that is learned), a learned label
takes its list-like line.  What is cut is listed with the hand rules' removals, so the reader
shows it struck through.  The analyst's decisions (a pattern rejected, a pattern added) are a
small CSV (:func:`load_decisions`) applied on every build.

>>> stats = FurnitureStats()
>>> for i in range(8):
...     stats.add("صحيفة", article_keys(f"عنوان {i}\\nالرياض - واس: قال الوزير {i} كلاما.\\nتابعونا على تويتر"))
>>> fur = stats.decide()
>>> fur.apply("عنوان\\nجدة - واس: افتتح الأمير المعرض.\\nتابعونا على تويتر", "صحيفة")
('عنوان\\nافتتح الأمير المعرض.', ['جدة - واس:', 'تابعونا على تويتر'])
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .furniture import line_key

MAX_WORDS = 40          # longer lines are content
MAX_CHARS = 300
HEAD = 2                # lead spans are looked for in the first 2 body lines …
TAIL = 2                # … tail spans in the last 2 (after the learned lines are gone; learned from the last 5) …
TAIL_SCAN = 5
TAIL_LABEL = 3          # … and labelled list lines in the last 3
SPAN_WORDS = 8          # a lead / tail span has at most 8 words …
SPAN_SEGMENTS = 3       # … in at most 3 segments
OPEN_SEGMENT = 3        # a segment left open ("*") has at most 3 words
MIN_ARTICLES = 5        # a key is furniture in ≥ 5 of the outlet's articles …
MIN_SHARE = 0.005       # … and ≥ 0.5 % of them …
#: … except a labelled list line at the end ("لمراسلة الكاتب: …", "الوسوم: …"), whose form already says
#: furniture: a section's footer (a columnist's contact line) is learned at 0.2 % of the outlet.
KIND_SHARE = {"label": 0.002}
LOSSY_EPSILON = 0.0005  # lossy counting: a key's count is under by at most 0.05 % of the articles
KINDS = ("line", "lead", "tail", "label")

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|sa|ae|eg|info|news|tv)\b(?:/\S*)?",
                  re.IGNORECASE)
#: What every match of ``_URL`` holds ("://", "www." or a dot before one of its domains): looked for first, since
#: ``_URL`` tries a word at every word start and most lines hold a "." (17k lines of ANT: 233 → 45 ms).
_URL_HINT = re.compile(r"://|www\.|\.(?:com|net|org|sa|ae|eg|info|news|tv)\b", re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_NON_KEY = re.compile(r"[^\w@]+|_")
_LETTER = re.compile(r"[^\W\d_]")
_PLACEHOLDERS = frozenset({"url", "0", "@", "*", "|"})
#: A line that is only an e-mail or web address (a columnist's contact line) may be learned as a line.
_ADDRESS_ONLY = frozenset({"@", "url", "@ url", "url @"})


def _literal(key: str) -> bool:
    """A key says something of its own: a word that is neither a digit run nor a placeholder."""
    return any(w not in _PLACEHOLDERS and _LETTER.search(w) for w in key.split())
#: Separators that end a lead segment / start a tail segment (a run of them counts as one).
_SEP = re.compile(r"\s*(?:(?:[-–—:|/\\()\[\]«»*•·]|(?<!\S)ـ)+\s*)+")
#: Sentence ends after which a tail span may start.
_END = re.compile(r"(?<!\d)[.!?؟…]+(?=\s|$)\s*")
_LIST_SEP = re.compile(r"[،,|؛;/]")


def span_key(text: str) -> str:
    """The generalised form a furniture pattern is matched in.

    >>> span_key("لمراسلة الكاتب: turki@example.net")
    'لمراسله الكاتب @'
    >>> span_key("(واس) 12:30 ت م") == span_key("( واس ) ١٤:٠٥ ت م")
    True
    """
    t = text
    if "@" in t:
        t = _EMAIL.sub(" @ ", t)
    if ("." in t or "/" in t) and _URL_HINT.search(t):
        t = _URL.sub(" url ", t)
    t = line_key(t)   # the hand rules' matching form: tidy, no marks or tatweel, letters folded
    t = _DIGITS.sub("0", t)
    return " ".join(_NON_KEY.sub(" ", t).split()).casefold()


def _splits(line: str, m: re.Match) -> bool:
    """A separator splits spans unless it is glued between two word characters ("15/7/1436", "أ-ب")."""
    a, b = m.start(), m.end()
    glued = a > 0 and b < len(line) and line[a - 1].isalnum() and line[b].isalnum() and not m.group().isspace()
    return not (glued and m.group() == m.group().strip() and m.group() not in "()[]«»")


def _words(text: str) -> int:
    return len(text.split())


def _segments(line: str) -> list[tuple[int, str]]:
    """The line's leading segments: ``(end offset after the separator run, segment text)``,
    while they hold at most :data:`SPAN_WORDS` words and :data:`SPAN_SEGMENTS` segments."""
    out, pos, words = [], 0, 0
    for m in _SEP.finditer(line):
        if not _splits(line, m):
            continue
        seg = line[pos:m.start()]
        if m.start() == 0:          # a line opening with a separator ("(CNN)")
            pos = m.end()
            continue
        words += _words(seg)
        if words > SPAN_WORDS:
            break
        out.append((m.end(), seg))
        pos = m.end()
        if len(out) >= SPAN_SEGMENTS:
            break
    return out


def lead_keys(line: str) -> list[tuple[int, str]]:
    """``(end offset, key)`` of the line's candidate opening spans, shortest first; a span of
    several segments also with one segment left open ("*")."""
    segs = _segments(line)
    keys, parts = [], []
    for end, seg in segs:
        k = span_key(seg)
        if not k:
            k = "0" if seg.strip() else ""
        parts.append(k)
        if end >= len(line.rstrip()):
            break                   # the whole line: that is a line key
        if not _literal(" ".join(parts)):
            continue
        keys.append((end, " | ".join(parts)))
        if len(parts) >= 2:   # one segment open; the others literal, without digits (not "* | 0 عاما")
            for i, p in enumerate(parts):
                rest = [q for j, q in enumerate(parts) if j != i]
                if _words(p) <= OPEN_SEGMENT and _literal(" ".join(rest)) and not any("0" in q.split() for q in rest):
                    keys.append((end, " | ".join("*" if j == i else q for j, q in enumerate(parts))))
    return keys


def tail_keys(line: str) -> list[tuple[int, str]]:
    """``(start offset, key)`` of the line's candidate closing spans: after a sentence end or a
    separator, at most :data:`SPAN_WORDS` words, never the whole line."""
    out = []
    stripped = line.rstrip()
    # only the last SPAN_WORDS + 1 words can hold a span start (a long paragraph is not scanned whole)
    words = stripped.rsplit(None, SPAN_WORDS + 1)
    scan_from = max(0, len(stripped) - len(" ".join(words[1:])) - 1) if len(words) > SPAN_WORDS + 1 else 0
    for rx in (_END, _SEP):
        for m in rx.finditer(stripped, scan_from):
            if rx is _SEP and not _splits(stripped, m):
                continue
            start = m.end() if rx is _END else m.start()
            if start <= 0 or start >= len(stripped):
                continue
            span = stripped[start:]
            if _words(span) > SPAN_WORDS:
                continue
            if rx is _SEP and span[-1] in ".!?؟…":
                continue    # "… في 2 أكتوبر/ تشرين الأول الجاري." : a sentence going on past a separator
            k = span_key(span)
            if _literal(k):
                out.append((start, k))
    return out


_TEASER = re.compile(r"\s*([^.:|…]{1,40}?)\s*(?:\.{2,}|…)\s*(.+)$")
TEASER_WORDS = 15


def label_key(line: str) -> str | None:
    """The label of a list-like line ("الوسوم: السعودية، الرياض، جدة" → "الوسوم"): a label of at
    most 4 words before ``:`` / ``|``, then short items (at most 3 words each on average); or the
    label of a teaser line ("أيضاً.. عنوان خبر آخر" → "ايضا"): before ``..`` / ``…``, then a
    headline of at most :data:`TEASER_WORDS` words (speech is introduced by ``:``, never ``..``)."""
    t = _TEASER.match(line)
    if t and _words(t.group(1)) <= 3 and _words(t.group(2)) <= TEASER_WORDS:
        k = span_key(t.group(1))
        return k if _literal(k) else None
    m = re.match(r"\s*([^:|.…]{1,60}?)\s*[:|]\s*(.+)$", line)
    if m and _words(m.group(1)) <= 4:
        items = [x for x in _LIST_SEP.split(m.group(2)) if x.strip()]
        if _words(m.group(2)) <= 6 or (len(items) >= 2 and _words(m.group(2)) / len(items) <= 3):
            k = span_key(m.group(1))
            return k if _literal(k) else None
    return None


def _is_line(line: str) -> bool:
    return bool(line) and len(line) <= MAX_CHARS and _words(line) <= MAX_WORDS


def body_lines(text: str, title: str | None = None) -> tuple[list[str], int]:
    """The text's lines and the index of its first body line (the headline is not furniture)."""
    lines = text.split("\n")
    first = 1 if lines and (title is None or lines[0].strip() == (title or "").strip()) else 0
    return lines, first


def article_keys(text: str, title: str | None = None) -> dict[str, str]:
    """Every candidate key of one article, as ``"<kind>\\t<key>"`` → the span as written."""
    lines, first = body_lines(text, title)
    body = [ln.strip() for ln in lines[first:] if ln.strip()]
    keys: dict[str, str] = {}
    for ln in body:
        if _is_line(ln):
            k = span_key(ln)
            if _literal(k) or k in _ADDRESS_ONLY:
                keys.setdefault("line\t" + k, ln)
    for ln in body[:HEAD]:
        for e, k in lead_keys(ln):
            keys.setdefault("lead\t" + k, ln[:e].strip())
    for ln in body[-TAIL_SCAN:]:   # furniture lines may follow the line that ends with an end mark
        for s, k in tail_keys(ln):
            keys.setdefault("tail\t" + k, ln[s:].strip())
    for ln in body[-TAIL_LABEL:]:
        k = label_key(ln) if _is_line(ln) else None
        if k:
            keys.setdefault("label\t" + k, ln)
    return keys


# -- statistics ---------------------------------------------------------------------------------------

class _Lossy:
    """Lossy counting of distinct keys per article (Manku & Motwani 2002): ``count`` is at most
    ``epsilon × articles`` under the truth, and only keys that may reach that share are kept."""

    __slots__ = ("articles", "counts", "examples", "width", "bucket")

    def __init__(self, epsilon: float = LOSSY_EPSILON):
        self.articles = 0
        self.counts: dict[str, list[int]] = {}      # key → [count, max undercount]
        self.examples: dict[str, str] = {}
        self.width = max(1, int(round(1 / epsilon)))
        self.bucket = 1

    def add(self, keys, examples: dict[str, str] | None = None) -> None:
        self.articles += 1
        counts = self.counts
        for k in keys:
            c = counts.get(k)
            if c is None:
                counts[k] = [1, self.bucket - 1]
                if examples and k in examples:
                    self.examples[k] = examples[k]
            else:
                c[0] += 1
        if self.articles % self.width == 0:
            b = self.bucket
            for k in [k for k, (n, d) in counts.items() if n + d <= b]:
                del counts[k]
                self.examples.pop(k, None)
            self.bucket += 1


@dataclass
class FurnitureStats:
    """Per outlet, how many articles have each candidate key (bounded; see :class:`_Lossy`)."""

    epsilon: float = LOSSY_EPSILON
    outlets: dict[str, _Lossy] = field(default_factory=dict)

    def add(self, outlet: str, keys: dict[str, str]) -> None:
        """One article's candidate keys (:func:`article_keys`, key → example)."""
        lossy = self.outlets.get(outlet)
        if lossy is None:
            lossy = self.outlets[outlet] = _Lossy(self.epsilon)
        lossy.add(keys, keys)

    def decide(self, decisions: "Decisions | None" = None, min_articles: int = MIN_ARTICLES,
               min_share: float = MIN_SHARE) -> "Furniture":
        """The learned patterns, with the analyst's decisions applied."""
        rows = []
        for outlet, lossy in self.outlets.items():
            for k, (n, _d) in lossy.counts.items():
                kind, key = k.split("\t", 1)
                share = min(min_share, KIND_SHARE.get(kind, min_share))
                if n >= max(min_articles, share * lossy.articles):
                    rows.append(Pattern(outlet, kind, key, n, lossy.articles, lossy.examples.get(k, ""), "learned"))
        return Furniture.from_patterns(rows, decisions)


# -- patterns and removal ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    outlet: str
    kind: str
    key: str
    articles: int
    outlet_articles: int
    example: str
    source: str          # "learned" or "added"
    status: str = "on"   # "on" or "rejected"


PATTERN_COLUMNS = ["outlet", "kind", "pattern", "articles", "outlet_articles", "share", "example", "source", "status"]


class Furniture:
    """The furniture patterns of every outlet, and their removal from a text."""

    def __init__(self, patterns: list[Pattern]):
        self.patterns = patterns
        self._on: dict[str, dict[str, set[str]]] = {}
        for p in patterns:
            if p.status == "on":
                self._on.setdefault(p.outlet, {kind: set() for kind in KINDS})[p.kind].add(p.key)
        self._any = self._on.pop("*", None)
        self._longest: dict[str, int] = {}
        self._merged: dict[str, dict[str, set[str]]] = {}

    @classmethod
    def from_patterns(cls, rows: list[Pattern], decisions: "Decisions | None" = None) -> "Furniture":
        if decisions is not None:
            rows = decisions.apply(rows)
        return cls(rows)

    @classmethod
    def empty(cls) -> "Furniture":
        return cls([])

    def __bool__(self) -> bool:
        return bool(self._on) or bool(self._any)

    def _longest_line(self, outlet: str, keys: set[str]) -> int:
        """The word count of the outlet's longest learned line (once per outlet, not per article)."""
        n = self._longest.get(outlet)
        if n is None:
            n = self._longest[outlet] = max((k.count(" ") + 1 for k in keys), default=0)
        return n

    def _sets(self, outlet: str) -> dict[str, set[str]] | None:
        own = self._on.get(outlet)
        if self._any is None:
            return own
        if own is None:
            return self._any
        merged = self._merged.get(outlet)
        if merged is None:   # the outlet's own patterns and those added for every outlet, once per outlet
            merged = self._merged[outlet] = {k: own[k] | self._any[k] for k in KINDS}
        return merged

    def apply(self, text: str, outlet: str, title: str | None = None) -> tuple[str, list[str]]:
        """``(text without the outlet's furniture, what was removed in order)``."""
        sets = self._sets(outlet)
        if not sets or not text:
            return text, []
        lines, first = body_lines(text, title)
        removed: list[tuple[int, str]] = []
        keep = [True] * len(lines)
        body = [i for i in range(first, len(lines)) if lines[i].strip()]
        longest = self._longest_line(outlet, sets["line"])   # longer lines cannot match
        for i in body:
            if sets["line"] and _is_line(lines[i]) and _words(lines[i]) <= 2 * longest + 2 \
                    and span_key(lines[i]) in sets["line"]:
                keep[i] = False
                removed.append((i, lines[i]))
        body = [i for i in body if keep[i]]
        if sets["label"]:
            for i in body[-TAIL_LABEL:]:
                if _is_line(lines[i]) and label_key(lines[i]) in sets["label"]:
                    keep[i] = False
                    removed.append((i, lines[i]))
            body = [i for i in body if keep[i]]
        if sets["lead"]:
            for i in body[:HEAD]:
                for _ in range(2):      # a dateline, then an agency mark after it
                    hits = [e for e, k in lead_keys(lines[i]) if k in sets["lead"]]
                    if not hits:
                        break
                    end = max(hits)
                    removed.append((i, lines[i][:end].strip()))
                    lines[i] = lines[i][end:].strip()
                if not lines[i]:
                    keep[i] = False
        if sets["tail"]:
            for i in [j for j in body if keep[j]][-TAIL:]:
                hits = [s for s, k in tail_keys(lines[i]) if k in sets["tail"]]
                if hits:
                    start = min(hits)
                    removed.append((i, lines[i][start:].strip()))
                    lines[i] = lines[i][:start].rstrip()
                    if not lines[i].strip():
                        keep[i] = False
        if not removed:
            return text, []
        out = "\n".join(ln for i, ln in enumerate(lines) if keep[i] and (ln.strip() or i < first))
        return out, [r for _i, r in sorted(removed, key=lambda x: x[0])]

    def frame(self):
        """The patterns as a table (:data:`PATTERN_COLUMNS`), most frequent first per outlet."""
        import pandas as pd

        df = pd.DataFrame([(p.outlet, p.kind, p.key, p.articles, p.outlet_articles,
                            round(p.articles / p.outlet_articles, 4) if p.outlet_articles else 0.0,
                            p.example, p.source, p.status) for p in self.patterns], columns=PATTERN_COLUMNS)
        return df.sort_values(["outlet", "articles", "kind", "pattern"], ascending=[True, False, True, True],
                              kind="stable").reset_index(drop=True)

    @classmethod
    def from_frame(cls, df) -> "Furniture":
        return cls([Pattern(r.outlet, r.kind, r.pattern, int(r.articles), int(r.outlet_articles), r.example or "",
                            r.source, r.status) for r in df.itertuples(index=False)])


# -- the analyst's decisions ---------------------------------------------------------------------------

DECISION_COLUMNS = ["outlet", "kind", "pattern", "decision"]
DECISIONS = ("reject", "add")


class BadDecisions(ValueError):
    """A furniture decisions file that cannot be used (the message names the row)."""


@dataclass
class Decisions:
    """The analyst's choices: learned patterns rejected, patterns added (``outlet`` "*" = every outlet)."""

    rejected: set[tuple[str, str, str]] = field(default_factory=set)
    added: list[tuple[str, str, str]] = field(default_factory=list)

    def apply(self, rows: list[Pattern]) -> list[Pattern]:
        out = []
        for p in rows:
            if (p.outlet, p.kind, p.key) in self.rejected or ("*", p.kind, p.key) in self.rejected:
                p = Pattern(p.outlet, p.kind, p.key, p.articles, p.outlet_articles, p.example, p.source, "rejected")
            out.append(p)
        have = {(p.outlet, p.kind, p.key) for p in out}
        for outlet, kind, key in self.added:
            if (outlet, kind, key) not in have:
                out.append(Pattern(outlet, kind, key, 0, 0, "", "added"))
        return out

    def to_csv(self) -> bytes:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(DECISION_COLUMNS)
        for outlet, kind, key in sorted(self.rejected):
            w.writerow([outlet, kind, key, "reject"])
        for outlet, kind, key in self.added:
            w.writerow([outlet, kind, key, "add"])
        return buf.getvalue().encode("utf-8")


def parse_decisions(data: str) -> Decisions:
    """Read a decisions CSV (:data:`DECISION_COLUMNS`); an added pattern may be written as the
    text shows it (it is generalised here).  A bad row raises :class:`BadDecisions` naming it."""
    rows = list(csv.reader(io.StringIO(data)))
    if not rows:
        return Decisions()
    head = [h.strip().lower() for h in rows[0]]
    if head[:4] != DECISION_COLUMNS:
        raise BadDecisions(f"row 1: the header must be {','.join(DECISION_COLUMNS)}")
    dec = Decisions()
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) < 4:
            raise BadDecisions(f"row {n}: 4 columns expected, {len(row)} found")
        outlet, kind, pattern, decision = (c.strip() for c in row[:4])
        if not outlet:
            raise BadDecisions(f"row {n}: no outlet (write * for every outlet)")
        if kind not in KINDS:
            raise BadDecisions(f"row {n}: kind {kind!r} is not one of {', '.join(KINDS)}")
        if decision not in DECISIONS:
            raise BadDecisions(f"row {n}: decision {decision!r} is not one of {', '.join(DECISIONS)}")
        key = " | ".join(span_key(p) if p.strip() != "*" else "*" for p in pattern.split("|")) \
            if kind == "lead" else span_key(pattern)
        if not _literal(key):
            raise BadDecisions(f"row {n}: the pattern {pattern!r} has no letter")
        if decision == "reject":
            dec.rejected.add((outlet, kind, key))
        else:
            dec.added.append((outlet, kind, key))
    return dec


def load_decisions(path: str | Path | None) -> Decisions | None:
    """The decisions file at ``path`` (None when there is none)."""
    if not path or not Path(path).exists():
        return None
    return parse_decisions(Path(path).read_text(encoding="utf-8-sig"))
