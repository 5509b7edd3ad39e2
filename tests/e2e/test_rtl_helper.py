"""The RTL audit itself is tested: on a static SVG it flags the reversed and misordered labels, only those."""
import html

import arabic_reshaper
import pytest
from bidi import get_display

from tests.e2e import rtl

pytestmark = pytest.mark.e2e

RLI, PDI = "\u2067", "\u2069"
MIXED = "وزير الخارجية لافروف (10)"

GOOD = {
    "wrapped_mixed": f"{RLI}{MIXED}{PDI}",                 # the product's recipe: plain text in RLI…PDI
    "plain_arabic": "قاسيون",                               # pure Arabic needs no wrapper
    "with_harakat": f"{RLI}السَّلامُ عليكم…{PDI}",            # marks and a final ellipsis
    "lam_alef": f"{RLI}للافروف، لافروف{PDI}",                # lam-alef ligatures split one glyph in two
    "english_quoting_arabic": f"Merged forms: {RLI}للافروف، لافروف{PDI}",  # English line, LTR paragraph
}
BAD = {
    "reshaped_reversed": get_display(arabic_reshaper.reshape(MIXED), base_dir="R"),  # the classic mistake
    "reversed_only": get_display(MIXED, base_dir="R"),      # visual order stored, not reshaped
    "unwrapped_mixed": "أكثر المصطلحات تكرارًا (Top 10)",    # LTR layout: "(Top 10)" is read first
    "caption_then_number": f"{RLI}المقالات{PDI}: 3",         # number on the right of an Arabic caption
}


def _svg(labels: dict[str, str]) -> str:
    rows = []
    for k, (key, text) in enumerate(labels.items()):
        rows.append(f'<text id="{key}" x="20" y="{40 + 40 * k}" font-size="22">{html.escape(text)}</text>')
    # a two-line label split into tspans the way Plotly does it for <br>
    rows.append(f'<text id="two_lines" x="20" y="{40 + 40 * len(labels)}" font-size="22">'
                f'<tspan class="line" x="20" dy="0">{RLI}قاسيون{PDI}</tspan>'
                f'<tspan class="line" x="20" dy="1.3em">{RLI}المقالات: 3{PDI}</tspan></text>')
    rows.append('<text id="latin" x="20" y="20">Articles per outlet (10)</text>')
    return ('<html><body style="margin:0"><svg xmlns="http://www.w3.org/2000/svg" width="900" height="700">'
            + "".join(rows) + "</svg></body></html>")


def test_audit_flags_reversed_and_misordered_labels_and_nothing_else(blank_page):
    blank_page.set_content(_svg({**GOOD, **BAD}))
    labels = rtl.collect(blank_page, "svg text", "static")
    assert {lab.id for lab in labels} == set(GOOD) | set(BAD) | {"two_lines"}  # the Latin label is not audited
    flagged = {lab.id: lab.issues for lab in rtl.audit(labels)}
    assert set(flagged) == set(BAD), "\n".join(str(lab) for lab in labels if lab.issues)
    assert any("presentation forms" in msg for msg in flagged["reshaped_reversed"])
    assert not any("presentation forms" in msg for msg in flagged["reversed_only"])


def test_audit_reads_geometry_per_line_of_a_multiline_label(blank_page):
    blank_page.set_content(_svg({}))
    (label,) = [lab for lab in rtl.collect(blank_page, "svg text") if lab.id == "two_lines"]
    assert len(rtl.lines(label.glyphs)) == 2
    assert rtl.problems(label) == []
