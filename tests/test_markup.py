"""Facts about the escapers: corpus data put into Markdown, HTML or a Plotly figure keeps no character
that those renderers read as markup, and the text itself comes back unchanged when decoded."""
import html
import json
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core import charts
from core.markup import LINE_BREAK, html_text, plotly_escape
from ui.safe import md_escape

HOSTILE = ["[click](https://example.com)", "**bold**", "<b>x</b>", "<img src=x onerror=alert(1)>", "$x^2$",
           ":red[alarm]", ":material/home:", "<a href=\"https://example.com\">ا</a>", "50% %{x}", "`code`",
           "# عنوان", "- بند", "&amp; &lt;", "قناة «الجزيرة» (الدوحة)"]


@pytest.mark.parametrize("raw", HOSTILE)
def test_md_escape_leaves_no_markdown_character_unescaped(raw):
    out = md_escape(raw)
    assert "<" not in out and ">" not in out
    bare = re.sub(r"&(lt|gt|amp|quot|#x27);", "", out)
    for i, ch in enumerate(bare):  # every ASCII punctuation mark is a backslash escape
        if ch.isascii() and not ch.isalnum() and ch != " " and ch != "\\":
            assert bare[i - 1] == "\\", (raw, out)
    assert "://" not in re.sub(r"\\(.)", r"\1", out)  # GFM would link a URL even when escaped: a word joiner breaks it
    assert html.unescape(re.sub(r"\\(.)", r"\1", out)).replace("\u2060", "") == raw  # the text itself is all there


@pytest.mark.parametrize("raw", HOSTILE)
def test_html_text_keeps_no_markup_character(raw):
    out = html_text(raw)
    assert not set(re.sub(r"&#\d+;", "", out)) & set("<>&*_[]()$:`#\"'"), out  # only character references
    assert html.unescape(out) == raw


def test_html_text_line_breaks_never_leave_a_blank_line():
    out = html_text("أ\r\rب\n\nج\r\n", breaks=True)
    assert "\n" not in out and "\r" not in out
    assert out == "أ<br><br>ب<br><br>ج<br>"


@pytest.mark.parametrize("raw", HOSTILE)
def test_plotly_labels_keep_no_tag_latex_or_template_character(raw):
    out = charts.plot_label(raw)
    assert not set(out) & set("<>$%"), out
    assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt|#36|#37);)*", out), out  # & only as an entity
    assert charts.label_text(out) == raw                                # a clicked bar gives the data back
    assert plotly_escape(raw).count("&") >= raw.count("&")


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v)


def test_every_figure_builder_escapes_its_data():
    cats = ["<b>x</b>", "$x^2$", "[click](https://example.com)", "<img src=x onerror=alert(1)>"]
    df = pd.DataFrame({"label": cats, "outlet": cats[::-1], "n": [4, 3, 2, 1], "z": [2.0, 1.0, -1.0, -2.0],
                       "period": pd.to_datetime(["2018-03-15"] * 4), "forms": cats})
    figs = [
        charts.hbar(df, "label", "n", title=cats[0], hover={"forms": cats[1]}, color="outlet"),
        charts.lines(df, "period", "n", "outlet", title=cats[3], lang="en"),
        charts.heatmap(df, "outlet", "label", "n", title=cats[0], raw="n", raw_title=cats[1]),
        charts.diverging(df, "label", "z", title="t", hover={"forms": cats[0]}, left_name=cats[0], right_name=cats[1]),
        charts.network(pd.DataFrame({"outlet": cats}), pd.DataFrame({"source": [cats[0]], "target": [cats[1]],
                                                                     "weight": [1]}), title=cats[1]),
        charts.empty(cats[0], cats[1]),
    ]
    for fig in figs:
        texts = list(strings(json.loads(fig.to_json())))
        for s in texts:
            for raw in ("<b>x", "<img", "$x^2$", "</b>"):
                assert raw not in s, s
        assert any("&lt;b&gt;x&lt;/b&gt;" in s for s in texts)  # every figure shows cats[0], escaped


def _cloud_words(markup: str) -> list[tuple[str, int, str]]:
    """(label as the browser shows it, font size in px, title) of each word of a cloud, in order."""
    return [(html.unescape(text), int(px), html.unescape(title)) for px, title, text in
            re.findall(r'<span class="c\d" style="font-size:(\d+)px" title="([^"]*)">([^<]*)</span>', markup)]


def test_the_word_cloud_sizes_words_by_count_with_the_largest_in_the_middle():
    from core.markup import word_cloud_html

    freqs = {"ترامب": 400, "روسيا": 100, "سوريا": 64, "إيران": 25, "العراق": 16, "لبنان": 9}
    words = _cloud_words(word_cloud_html(freqs, hover="عدد"))
    assert sorted(w for w, _, _ in words) == sorted(freqs)
    size = {w: px for w, px, _ in words}
    ranked = sorted(freqs, key=freqs.get, reverse=True)
    assert [size[w] for w in ranked] == sorted(size.values(), reverse=True)
    assert size["ترامب"] == 58 and size["لبنان"] == 15   # the largest and the smallest at the bounds
    order = [w for w, _, _ in words]
    # the two largest stand side by side at the centre, the smallest at the ends
    assert abs(order.index("ترامب") - order.index("روسيا")) == 1
    assert {order[0], order[-1]} == {"العراق", "لبنان"}
    assert ("ترامب", 58, "ترامب — عدد: 400") in words


def test_the_word_cloud_is_right_to_left_for_arabic_and_empty_without_words():
    from core.markup import word_cloud_html

    assert 'dir="rtl" lang="ar"' in word_cloud_html({"ترامب": 3}, lang="en")
    assert 'dir="ltr"' in word_cloud_html({"Trump": 3}, lang="en")
    assert word_cloud_html({}) == "" and word_cloud_html({"x": 0}) == ""


@given(st.dictionaries(st.text(min_size=1, max_size=12), st.integers(1, 10_000), min_size=1, max_size=8))
def test_the_word_cloud_shows_every_label_as_text(freqs):
    """Corpus labels carry Markdown, HTML, LaTeX and directives: the cloud makes no markup of them."""
    from core.markup import word_cloud_html

    markup = word_cloud_html(freqs)
    words = _cloud_words(markup)
    shown = {" ".join(LINE_BREAK.split(w)) for w in freqs}
    assert {w for w, _, _ in words} == shown
    # nothing but the cloud's own tags, and no character Markdown or remark-math would read
    assert re.sub(r'<span class="c\d" style="font-size:\d+px" title="[^"<>]*">[^<>]*</span>|</?div[^<>]*>', "", markup).strip(" ") == ""
    assert not re.search(r"[$*_`\[\]]", re.sub(r"&#\d+;", "", markup.split(">", 1)[1]).replace("font-size", ""))
