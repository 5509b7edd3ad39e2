"""Every Arabic SVG label on every page is drawn in reading order, in both interface languages.

Static labels (tick labels, titles, legends, annotations) and one hover label per chart are read
back from the browser's own glyph geometry and compared with the bidi algorithm (see rtl.py).
"""
import pytest

from tests.e2e import rtl
from tests.e2e.conftest import existing_pages

pytestmark = pytest.mark.e2e


def test_every_arabic_svg_label_reads_right_to_left(views):
    offenders, table = [], []
    for slug in existing_pages():
        for lang in ("ar", "en"):
            view = views.get(slug, lang)
            visible = [lab for lab in view.labels if lab.visible]
            bad = rtl.audit(visible) + rtl.audit(view.hover_labels)
            offenders += bad
            table.append(f"{view.name:<16} charts {view.charts:>2}  labels {len(visible):>3}  "
                         f"hovered {view.hovered:>2}  hover labels {len(view.hover_labels):>2}  "
                         f"offending {len(bad):>2}  ({view.seconds:.1f} s)")
    print("\nArabic SVG labels audited per page:\n  " + "\n  ".join(table))
    if offenders:
        pytest.fail(f"{len(offenders)} Arabic SVG label(s) drawn out of reading order:\n"
                    + "\n".join(str(lab) for lab in offenders), pytrace=False)
