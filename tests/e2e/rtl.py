"""Right-to-left audit of SVG text as the browser lays it out.

For every SVG ``<text>`` whose text holds Arabic:

1. it must hold no presentation-form characters (U+FB50–U+FDFF, U+FE70–U+FEFF): those come from
   ``arabic_reshaper`` and mean someone shaped text the browser would have shaped itself;
2. the left-to-right order in which the browser *drew* its characters (read from the browser's own
   geometry: ``getExtentOfChar(i)`` per character, sorted by x, line by line) must equal the order
   python-bidi gives for the same logical text in a right-to-left paragraph
   (``get_display(line, base_dir="R")``).

The comparison ignores what has no place of its own on the line: bidi controls (RLI/PDI/LRM/RLM…),
other format characters, combining marks (harakat sit on their letter) and spaces. It is
bracket-agnostic, because the browser draws a mirrored bracket glyph for the same character.

Paragraph direction of a line: right-to-left, as an Arabic reader reads it, unless the line's first
strong character outside any isolate is Latin (Unicode bidi rules P2–P3). The exception is for the
English interface, where a line such as ``Merged forms: ⁧للافروف، لافروف⁩`` is an English sentence
quoting Arabic and must read left to right.

What it catches: reversed, reshaped labels (``get_display(reshape(s))`` passed to Plotly), and
mixed labels in the wrong order (an Arabic title ending in "(Top 10)" that shows "(Top 10)" first,
``المقالات: 3`` drawn with the number on the right). What it cannot catch by geometry alone: a pure
Arabic label stored reversed but not reshaped (the browser then draws exactly what the string says);
such text is unusual because the common mistake reshapes as well, which check 1 catches.

Each :class:`Label` records where it was found (chart key, Plotly layer), so a failure can say which
label on which page is wrong. ``collect`` and ``hover_labels`` need a Playwright page; ``problems``
is pure Python and works on the recorded geometry.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from bidi import get_display

ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFC]")
PRESENTATION_FORMS = re.compile(r"[\uFB50-\uFDFF\uFE70-\uFEFF]")
_ISOLATE_OPEN = {"\u2066", "\u2067", "\u2068"}
_ISOLATE_CLOSE = "\u2069"
# Each mirrored pair maps to one symbol: the browser mirrors the glyph, python-bidi may not.
_BRACKETS = str.maketrans({")": "(", "]": "[", "}": "{", ">": "<", "»": "«", "›": "‹", "﴿": "﴾"})

# Reads every <text> under the given root selector: its textContent, its visibility and the extent
# of each addressable character (UTF-16 code unit indices, as getExtentOfChar counts them).
_COLLECT_JS = r"""
([selector, arabicSource]) => {
  const arabic = new RegExp(arabicSource);
  const charts = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]'));
  const where = (t) => {
    const parts = [];
    const chart = t.closest('[data-testid="stPlotlyChart"]');
    if (chart) {
      const keyed = chart.closest('[class*="st-key-"]');
      const key = keyed ? Array.from(keyed.classList).find(c => c.startsWith('st-key-')) : null;
      parts.push(key ? key.slice(7) : `chart#${charts.indexOf(chart)}`);
    }
    const layers = [];
    for (let n = t; n && n.tagName && n.tagName.toLowerCase() !== 'svg'; n = n.parentNode) {
      const c = n.getAttribute && n.getAttribute('class');
      if (c) layers.push(c.split(' ')[0]);
    }
    parts.push(layers.reverse().slice(-3).join('>'));
    return parts.join(' ');
  };
  const out = [];
  for (const t of document.querySelectorAll(selector)) {
    const text = t.textContent || '';
    if (!arabic.test(text)) continue;
    const visible = (t.checkVisibility ? t.checkVisibility({visibilityProperty: true}) : true)
      && t.getBBox().width > 0;
    const glyphs = [];
    let n = 0;
    try { n = t.getNumberOfChars(); } catch (e) { n = 0; }
    for (let i = 0; i < n; i++) {
      let e;
      try { e = t.getExtentOfChar(i); } catch (err) { continue; }
      glyphs.push([i, e.x, e.y, e.width, e.height]);
    }
    out.push({text, visible, where: where(t), glyphs, id: t.id || ''});
  }
  return out;
}
"""


@dataclass(frozen=True)
class Glyph:
    index: int      # position in the text (Python str index)
    char: str
    x: float
    y: float
    width: float
    height: float

    @property
    def cx(self) -> float:
        return self.x + self.width / 2

    @property
    def cy(self) -> float:
        return self.y + self.height / 2


@dataclass
class Label:
    text: str
    glyphs: list[Glyph]
    where: str = ""
    page: str = ""
    visible: bool = True
    id: str = ""
    issues: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        shown = self.text.replace("\u2067", "⟨RLI⟩").replace("\u2069", "⟨PDI⟩").replace("\u200f", "⟨RLM⟩")
        return f"[{self.page}] {self.where}: {shown!r}: " + "; ".join(self.issues)


def has_arabic(text: str) -> bool:
    return bool(ARABIC.search(text))


def ignorable(ch: str) -> bool:
    """No place of its own on the line: controls, format characters, combining marks, spaces."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Mn", "Me", "Zs", "Zl", "Zp")


def paragraph_direction(line: str) -> str:
    """"L" when the first strong character outside isolates is left-to-right (Latin), else "R"."""
    depth = 0
    for ch in line:
        if ch in _ISOLATE_OPEN:
            depth += 1
        elif ch == _ISOLATE_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return "L"
            if kind in ("R", "AL"):
                return "R"
    return "R"


def _canon(chars) -> str:
    return "".join(c for c in chars if not ignorable(c)).translate(_BRACKETS)


def expected_visual(line: str) -> str:
    """The left-to-right order a reader expects for one logical line, ignorable characters dropped.

    >>> expected_visual("\u2067لافروف (10)\u2069")  # brackets canonicalised to "("
    '(10(فورفال'
    """
    return _canon(get_display(line, base_dir=paragraph_direction(line)))


def _from_js(text: str, raw: list) -> list[Glyph]:
    """Map code-unit indices (JS) to Python characters; a surrogate pair becomes one glyph."""
    unit_to_char, unit = {}, 0
    for i, ch in enumerate(text):
        unit_to_char[unit] = i
        unit += 2 if ord(ch) > 0xFFFF else 1
    glyphs = []
    for idx, x, y, w, h in raw:
        i = unit_to_char.get(idx)
        if i is not None:
            glyphs.append(Glyph(i, text[i], x, y, w, h))
    return glyphs


def lines(glyphs: list[Glyph]) -> list[list[Glyph]]:
    """Group glyphs into visual lines by vertical position (top to bottom), each in logical order."""
    rows: list[list[Glyph]] = []
    for g in sorted(glyphs, key=lambda g: (g.cy, g.index)):
        if rows and abs(rows[-1][0].cy - g.cy) <= max(2.0, 0.35 * max(g.height, rows[-1][0].height)):
            rows[-1].append(g)
        else:
            rows.append([g])
    return [sorted(r, key=lambda g: g.index) for r in rows]


def problems(label: Label) -> list[str]:
    """What is wrong with how this label is drawn; empty when it reads correctly."""
    found = []
    forms = sorted(set(PRESENTATION_FORMS.findall(label.text)))
    if forms:
        found.append("presentation forms " + " ".join(f"U+{ord(c):04X}" for c in forms[:6])
                     + (" …" if len(forms) > 6 else "") + " (text was reshaped before the browser got it)")
    if not label.glyphs:
        found.append("the browser reports no character positions")
        return found
    if len(label.glyphs) != len(label.text):
        found.append(f"{len(label.glyphs)} positioned characters for {len(label.text)} in the text")
    for row in lines(label.glyphs):
        logical = "".join(g.char for g in row)
        want = expected_visual(logical)
        drawn = _canon(g.char for g in sorted(row, key=lambda g: (g.cx, g.index)))
        if drawn != want:
            found.append(f"line {logical!r} is drawn left-to-right as {drawn!r}, a reader expects {want!r}")
    return found


def audit(labels: list[Label]) -> list[Label]:
    """Fill each visible label's issues; return the offenders."""
    bad = []
    for lab in labels:
        if not lab.visible:
            continue
        lab.issues = problems(lab)
        if lab.issues:
            bad.append(lab)
    return bad


def collect(page, selector: str = "svg text", name: str = "") -> list[Label]:
    """Every SVG text holding Arabic under ``selector``, with the browser's per-character geometry."""
    raw = page.evaluate(_COLLECT_JS, [selector, ARABIC.pattern])
    return [Label(text=r["text"], glyphs=_from_js(r["text"], r["glyphs"]), where=r["where"], page=name,
                  visible=bool(r["visible"]), id=r["id"]) for r in raw]


_HOVER_TARGET_JS = r"""
(chart) => {
  const cand = chart.querySelector('.barlayer .point path, .scatterlayer .points path, .heatmaplayer image');
  if (!cand) return null;
  cand.scrollIntoView({block: 'center', inline: 'center'});
  const r = cand.getBoundingClientRect();
  if (r.width <= 0 && r.height <= 0) return null;
  const kind = cand.closest('.barlayer') ? 'bar' : cand.closest('.heatmaplayer') ? 'heatmap' : 'marker';
  return {x: r.left + r.width / 2, y: r.top + r.height / 2, kind};
}
"""


def hover_labels(page, name: str = "", timeout_ms: int = 2500, shot=None) -> tuple[list[Label], int]:
    """Hover one point of every Plotly chart and collect its hover label texts.

    The mouse goes to the bounding-box centre of the chart's first bar, marker or heatmap
    (Plotly's drag layer sits on top, so element hovers never reach the trace). Returns the labels
    and how many charts showed a hover label. ``shot``: a path for a picture of the first hover.
    """
    found: list[Label] = []
    hovered = 0
    charts = page.get_by_test_id("stPlotlyChart")
    for k in range(charts.count()):
        chart = charts.nth(k)
        target = chart.evaluate(_HOVER_TARGET_JS)
        if not target:
            continue
        box = chart.locator(".hoverlayer .hovertext").first
        shown = False
        for dx in (0, 1, -1):  # Plotly occasionally needs a second move event to compute the hover
            page.mouse.move(target["x"] + dx, target["y"] + dx, steps=2)
            try:
                box.wait_for(state="visible", timeout=timeout_ms)
                shown = True
                break
            except Exception:
                continue
        if not shown:
            continue
        hovered += 1
        if shot and hovered == 1:
            chart.screenshot(path=str(shot))
        chart.evaluate("el => el.setAttribute('data-rtl-hover', '1')")
        for lab in collect(page, '[data-rtl-hover="1"] .hoverlayer text', name):
            lab.where = f"hover({target['kind']}) " + lab.where
            found.append(lab)
        chart.evaluate("el => el.removeAttribute('data-rtl-hover')")
        page.mouse.move(1, 1)
    return found, hovered
