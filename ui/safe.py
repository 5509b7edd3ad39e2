"""Corpus data on screen is text, never markup: the one place where the Streamlit side escapes it.

Every field of a corpus (outlet names, titles, ids, article text, speakers, terms) may hold Markdown
(``**bold**``, ``[click](https://example.com)``), HTML (``<img src=x onerror=…>``), LaTeX (``$x^2$``),
Streamlit's directives (``:red[alarm]``, ``:material/home:``) or line breaks that end an HTML block.

* :func:`md_escape`: data inside Markdown (``st.markdown``, ``st.caption``, ``st.info`` …, and widget
  labels, which are Markdown too).
* :func:`data_block`: a line of data for ``st.markdown``/``st.caption`` with ``unsafe_allow_html=True``
  (the safest: Markdown never reads inside it).
* :func:`html_text`: data inside HTML we write ourselves (``st.markdown(…, unsafe_allow_html=True)``);
  it lives in ``core.markup`` (``core.highlight`` builds article HTML with it) and is re-exported here.

Plotly labels are escaped on the ``core`` side, where the figures are built (``core.charts.plot_label``).
Widget *options* (``format_func``) and ``st.dataframe`` / ``st.text`` show plain text and need nothing.
"""
from __future__ import annotations

import html
import re

from core.markup import LINE_BREAK, html_text  # noqa: F401  (html_text: the one HTML escaper, from the core)


#: Streamlit's GFM turns URLs and e-mail addresses found in *text* into links, escaped or not
#: (``https://…``, ``www.…``, ``a@b.org``): a WORD JOINER (U+2060, invisible) breaks the pattern.
_AUTOLINK = re.compile(r"(?<=\\:)(?=\\/\\/)|(?<=www)(?=\\\.)|(?<=\\@)", re.IGNORECASE)


def md_escape(text: object) -> str:
    """Data inside Markdown (alerts, widget labels): HTML-escaped, and every ASCII punctuation mark
    backslash-escaped, so neither markup nor Markdown (emphasis, links, lists, ``$…$``,
    ``:colour[…]``) applies; line breaks become spaces; a URL or e-mail address gets an invisible
    word joiner so GFM does not make it a link.  Where HTML is allowed, :func:`data_block` shows
    data with nothing added.

    >>> md_escape("**قناة** [x](y) :red[a] $b$")
    '\\\\*\\\\*قناة\\\\*\\\\* \\\\[x\\\\]\\\\(y\\\\) \\\\:red\\\\[a\\\\] \\\\$b\\\\$'
    >>> md_escape("<b>")
    '&lt;b&gt;'
    """
    out = []
    for ch in LINE_BREAK.sub(" ", str(text)):
        if ch in "<>&\"'":
            out.append(html.escape(ch))
        elif ch.isascii() and not ch.isalnum() and ch != " " and ch.isprintable():
            out.append("\\" + ch)
        else:
            out.append(ch)
    return _AUTOLINK.sub("\u2060", "".join(out))


def data_block(*parts: object, strong: int | None = None, cls: str = "") -> str:
    """Data parts on one line, as an HTML block for ``st.markdown``/``st.caption(…,
    unsafe_allow_html=True)``: a ``<div>``, so Markdown (and its link detection) never reads inside
    it; parts joined by " · ", part number ``strong`` in bold.

    >>> data_block("<b>x</b>", "https://example.com", strong=0)
    '<div dir="auto"><strong>&#60;b&#62;x&#60;/b&#62;</strong> · https&#58;//example&#46;com</div>'
    """
    shown = [html_text(p) for p in parts]
    if strong is not None:
        shown[strong] = f"<strong>{shown[strong]}</strong>"
    attrs = f' class="{html.escape(cls)}"' if cls else ""
    return f'<div dir="auto"{attrs}>{" · ".join(shown)}</div>'
