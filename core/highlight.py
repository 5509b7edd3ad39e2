"""Safe highlighting of search terms in article text (the text is data: every character that could be
markup is escaped, :func:`core.markup.html_text`)."""
from __future__ import annotations

from core.markup import LINE_BREAK, html_text


def highlight_html(text: str, keys, grouper, removed=()) -> str:
    """Escaped HTML of ``text`` with words whose group key is searched wrapped in <mark>.

    ``keys`` are (n, key) pairs from :meth:`Corpus.query_keys`; unigram keys are marked
    (n-gram keys mark each of their words). Lines listed in ``removed`` (page furniture) are
    struck through so the original text shows what cleaning took out, and so are the opening and
    closing spans cut from a line (a dateline, a byline, an end mark). Newlines become <br>.

    >>> from core.resources import load_resources
    >>> from core.textpipe import Grouper
    >>> grouper = Grouper({}, load_resources())
    >>> highlight_html('<b>قال للافروف</b>', [(1, 'لافروف')], grouper)
    '&#60;b&#62;قال <mark class="marsad-hit">للافروف</mark>&#60;/b&#62;'
    """
    from core.arabic import normalize, token_spans
    from core.ingest._text import tidy_line

    wanted = set()
    for _n, key in keys:
        wanted.update(key.split(" "))
    removed_list = [r.strip() for r in removed if r.strip()]
    removed_set = set(removed_list)

    def marked(segment: str) -> str:
        parts, pos = [], 0
        if wanted:
            for word, start, end in token_spans(segment):
                if grouper.key(normalize(word)) in wanted:
                    parts.append(html_text(segment[pos:start]))
                    parts.append(f'<mark class="marsad-hit">{html_text(word)}</mark>')
                    pos = end
        parts.append(html_text(segment[pos:]))
        return "".join(parts)

    def struck(segment: str) -> str:
        return f'<del class="marsad-removed" style="color:#a33">{marked(segment)}</del>'

    out_lines = []
    for line in LINE_BREAK.split(text):  # a bare \r too: two of them would end the HTML block Markdown sees
        t = tidy_line(line) if removed_list else ""
        if t and (line.strip() in removed_set or t in removed_set):
            out_lines.append(struck(line))
            continue
        # a cut opening span (a dateline, a byline) or closing span (a signature, an end mark)
        pre = max((r for r in removed_list if len(r) < len(t) and t.startswith(r)), key=len, default="")
        rest = t[len(pre):]
        suf = max((r for r in removed_list if len(r) < len(rest) and rest.endswith(r)), key=len, default="")
        if pre or suf:
            body = rest[:len(rest) - len(suf)]
            out_lines.append((struck(pre) if pre else "") + marked(body) + (struck(suf) if suf else ""))
        else:
            out_lines.append(marked(line))
    return "<br>".join(out_lines)
