"""Corpus data on screen is text, never markup: the one place where the Streamlit side escapes it.

Every field of a corpus (outlet names, titles, ids, article text, speakers, terms) may hold Markdown
(``**bold**``, ``[click](https://example.com)``), HTML (``<img src=x onerror=…>``), LaTeX (``$x^2$``),
Streamlit's directives (``:red[alarm]``, ``:material/home:``) or line breaks that end an HTML block.

* :func:`md_escape`: data inside Markdown (``st.markdown``, ``st.caption``, ``st.info`` …, and widget
  labels, which are Markdown too).
* :func:`html_text`: data inside HTML we write ourselves (``st.markdown(…, unsafe_allow_html=True)``);
  it lives in ``core.markup`` (``core.highlight`` builds article HTML with it) and is re-exported here.

Plotly labels are escaped on the ``core`` side, where the figures are built (``core.charts.plot_label``).
Widget *options* (``format_func``) and ``st.dataframe`` / ``st.text`` show plain text and need nothing.
"""
from __future__ import annotations

import html

from core.markup import LINE_BREAK, html_text  # noqa: F401  (html_text: the one HTML escaper, from the core)


def md_escape(text: object) -> str:
    """Data inside Markdown: HTML-escaped, and every ASCII punctuation mark backslash-escaped, so
    neither markup nor Markdown (emphasis, links, lists, ``$…$``, ``:colour[…]``) applies; line
    breaks become spaces.

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
    return "".join(out)
