"""Corpus data inside markup we write is text, never markup: the escaping functions of the core.

Every corpus field (outlet names, titles, ids, article text, speakers, terms) may hold Markdown
(``**bold**``, ``[click](https://example.com)``), HTML (``<img src=x onerror=…>``), LaTeX (``$x^2$``),
Streamlit's directives (``:red[alarm]``) or line breaks that would end an HTML block.

* :func:`html_text`: data inside HTML that Streamlit's Markdown renders (``unsafe_allow_html=True``).
* :func:`plotly_escape`: data inside a Plotly figure (labels, legends, hover text, annotations).

Data inside Markdown itself is escaped on the Streamlit side (``ui.safe.md_escape``).
"""
from __future__ import annotations

import re

_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF]")


def has_arabic(text) -> bool:
    """Whether ``text`` holds an Arabic letter (the charts wrap such labels, the cloud reads right to left)."""
    return bool(_ARABIC.search(str(text)))

#: Characters Markdown, remark-math or Streamlit's directives give a meaning to (and HTML's own).
_MARKUP = "\\`*_{}[]()#+-.!|~:$<>&\"'="
_HTML_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _MARKUP})
LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")
#: What Plotly's text renderer reads as markup: tags (< > and entities &), LaTeX ($), template fields (%).
_PLOTLY_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;", "%": "&#37;"})


def html_text(text: object, breaks: bool = False) -> str:
    """Data inside HTML we write: every character that Markdown, HTML, LaTeX or a directive could read
    as markup becomes a character reference, so the text shows as itself whether Streamlit's Markdown
    treats the surrounding HTML as a raw block or not.  Line breaks become ``<br>`` with ``breaks``,
    else spaces (a blank line would end an HTML block and let Markdown in).

    >>> html_text("<b>x</b> $y$")
    '&#60;b&#62;x&#60;/b&#62; &#36;y&#36;'
    >>> html_text("سطر\\n\\n**ثان**", breaks=True)
    'سطر<br><br>&#42;&#42;ثان&#42;&#42;'
    """
    lines = LINE_BREAK.split(str(text))
    return ("<br>" if breaks else " ").join(line.translate(_HTML_TABLE) for line in lines)


def plotly_escape(text: object) -> str:
    """Text for Plotly shown as itself (Plotly decodes the entities back when it draws).

    >>> plotly_escape("<b>50%</b> $x$")
    '&lt;b&gt;50&#37;&lt;/b&gt; &#36;x&#36;'
    """
    return str(text).translate(_PLOTLY_TABLE)


def kwic_html(rows, outlet_label=lambda o: o) -> str:
    """The concordance as an escaped HTML table (rows with ``outlet, date, left, match, right``).
    In Arabic reading order the preceding words stand right of the match, the following words left.

    >>> print(kwic_html([{"outlet": "O", "date": "2018-01-02", "left": "قال", "match": "ترامب", "right": "إن"}]))
    <div dir="rtl" style="overflow-x:auto"><table class="marsad-kwic" data-testid="marsad-kwic"><tr><td class="src">O · 2018&#45;01&#45;02</td><td class="pre">قال</td><td class="m">ترامب</td><td class="post">إن</td></tr></table></div>
    >>> "&#60;b&#62; · —" in kwic_html([{"outlet": "<b>", "date": None, "left": "", "match": "x", "right": ""}])
    True
    """
    if hasattr(rows, "to_dict"):
        rows = rows.to_dict("records")
    body = "".join(
        f'<tr><td class="src">{html_text(outlet_label(r["outlet"]))} · {html_text(r["date"] or "—")}</td>'
        f'<td class="pre">{html_text(r["left"])}</td><td class="m">{html_text(r["match"])}</td>'
        f'<td class="post">{html_text(r["right"])}</td></tr>'
        for r in rows
    )
    return f'<div dir="rtl" style="overflow-x:auto"><table class="marsad-kwic" data-testid="marsad-kwic">{body}</table></div>'


#: The cloud's colours by rank: viridis from its dark end to its green (its yellow end is unreadable on white).
CLOUD_COLORS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c", "#22a884", "#2f9e5a"]


def word_cloud_html(frequencies, *, lang: str = "ar", min_px: int = 15, max_px: int = 58,
                    hover: str = "") -> str:
    """A word cloud the browser draws: the labels as text, sized by the square root of their counts,
    the largest in the middle, in a right-to-left block for Arabic.

    The browser shapes the Arabic itself (nothing is reshaped, unlike the raster cloud of
    :func:`core.export.wordcloud_png`, which stays the downloadable image), the words can be
    selected and copied, and laying the cloud out costs the server nothing: drawing the PNG took
    ~50 ms a filter at 900 x 450, the largest part of the Keywords page.  Each word's hover shows its
    count (``hover`` names it).  Labels are data: escaped here (:func:`html_text`), for ``unsafe_allow_html``.
    """
    items = [(str(k), float(v)) for k, v in dict(frequencies).items() if float(v) > 0]
    if not items:
        return ""
    items.sort(key=lambda kv: (-kv[1], kv[0]))
    top = items[0][1] ** 0.5
    low = items[-1][1] ** 0.5
    span = (top - low) or 1.0
    # largest first, then alternately after and before it: the largest words sit in the middle of the block
    left: list = []
    right: list = []
    for i, item in enumerate(items):
        (right if i % 2 == 0 else left).append((i, item))
    order = left[::-1] + right
    spans = []
    for rank, (label, count) in order:
        px = round(min_px + (max_px - min_px) * (count ** 0.5 - low) / span)
        shade = min(len(CLOUD_COLORS) - 1, rank * len(CLOUD_COLORS) // len(items))   # a class: colours in cloud_css()
        tip = f"{label} — {hover + ': ' if hover else ''}{int(count) if count.is_integer() else count:,}"
        spans.append(f'<span class="c{shade}" style="font-size:{px}px" title="{html_text(tip)}">'
                     f"{html_text(label)}</span>")
    direction = "rtl" if lang == "ar" or any(has_arabic(k) for k, _ in items) else "ltr"
    return (f'<div class="marsad-cloud" dir="{direction}" lang="{"ar" if direction == "rtl" else "en"}">'
            + " ".join(spans) + "</div>")


def cloud_css() -> str:
    """The rules :func:`word_cloud_html` relies on: the block, and a colour per shade class."""
    shades = " ".join(f".marsad-cloud .c{i} {{ color: {c}; }}" for i, c in enumerate(CLOUD_COLORS))
    return (".marsad-cloud { text-align: center; line-height: 1.35; padding: 0.6rem 0.4rem; border: 1px solid #eee; "
            "border-radius: 6px; font-weight: 600; margin-bottom: 0.6rem; }\n.marsad-cloud span { display: inline-block; margin: 0 0.3rem; }\n"
            + shades + "\n")
