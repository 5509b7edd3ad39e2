"""Safe highlighting of search terms in article text (the text is data: every character that could be
markup is escaped, :func:`core.markup.html_text`)."""
from __future__ import annotations

from core.markup import LINE_BREAK, html_text


def highlight_html(text: str, keys, grouper, removed=()) -> str:
    """Escaped HTML of ``text`` with words whose group key is searched wrapped in <mark>.

    ``keys`` are (n, key) pairs from :meth:`Corpus.query_keys`; unigram keys are marked
    (n-gram keys mark each of their words). Lines listed in ``removed`` (page furniture) are
    struck through so the original text shows what cleaning took out. Newlines become <br>.

    >>> highlight_html('<b>قال لافروف</b>', [(1, 'لافروف')], grouper)  # doctest: +SKIP
    '&#60;b&#62;قال <mark class="marsad-hit">لافروف</mark>&#60;/b&#62;'
    """
    from core.arabic import normalize, token_spans

    wanted = set()
    for _n, key in keys:
        wanted.update(key.split(" "))
    removed_set = {r.strip() for r in removed if r.strip()}
    out_lines = []
    for line in LINE_BREAK.split(text):  # a bare \r too: two of them would end the HTML block Markdown sees
        parts, pos = [], 0
        if wanted:
            for word, start, end in token_spans(line):
                if grouper.key(normalize(word)) in wanted:
                    parts.append(html_text(line[pos:start]))
                    parts.append(f'<mark class="marsad-hit">{html_text(word)}</mark>')
                    pos = end
        parts.append(html_text(line[pos:]))
        rendered = "".join(parts)
        if line.strip() and line.strip() in removed_set:
            rendered = f'<del class="marsad-removed" style="color:#a33">{rendered}</del>'
        out_lines.append(rendered)
    return "<br>".join(out_lines)
