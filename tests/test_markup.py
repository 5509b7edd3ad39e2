"""Facts about the escapers: corpus data put into Markdown, HTML or a Plotly figure keeps no character
that those renderers read as markup, and the text itself comes back unchanged when decoded."""
import html
import json
import re

import pandas as pd
import pytest

from core import charts
from core.markup import html_text, plotly_escape
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
