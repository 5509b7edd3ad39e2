"""Facts about what the app draws: the right-to-left recipe of core.charts."""
import json
import re

import arabic_reshaper
import pandas as pd
import pytest

from core import charts

RLI, PDI = "\u2067", "\u2069"
PRESENTATION = re.compile("[\uFB50-\uFDFF\uFE70-\uFEFF]")


def all_text(fig) -> str:
    """Every string of the figure's JSON, decoded (to_json escapes non-ASCII as \\uXXXX)."""
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


# -- rtl() and hover_line() ------------------------------------------------------------------------

def test_rtl_wraps_arabic_and_leaves_latin_alone():
    assert charts.rtl("الولايات المتحدة (10)") == RLI + "الولايات المتحدة (10)" + PDI
    assert charts.rtl("Xinhua (10)") == "Xinhua (10)"
    assert charts.rtl("2017-04-12") == "2017-04-12"
    assert charts.rtl(RLI + "سوريا" + PDI) == RLI + "سوريا" + PDI  # never wrapped twice


def test_rtl_truncates_with_the_ellipsis_inside_the_wrapper():
    s = charts.rtl("الولايات المتحدة الأمريكية", 10)
    assert s.startswith(RLI) and s.endswith("…" + PDI)
    inner = s[1:-1]
    assert len(inner) <= 10 and inner == "الولايات…"
    assert charts.rtl("سوريا", 10) == RLI + "سوريا" + PDI  # short labels are not cut
    assert charts.rtl("Syrian Arab News Agency", 10) == "Syrian Ar…"  # 9 characters + "…", no wrapper


def test_hover_line_in_arabic_is_one_isolate_caption_first():
    for caption in ("عدد المقالات", charts.rtl("عدد المقالات")):
        line = charts.hover_line(caption, "%{x}", "ar")
        assert line.startswith(RLI) and line.endswith(PDI)
        assert line.count(RLI) == 1 and line.count(PDI) == 1
        assert line.index("عدد المقالات") < line.index("%{x}")
    assert charts.hover_line("articles", "%{x}", "en") == "articles: %{x}"


# -- figures ---------------------------------------------------------------------------------------

TERMS = pd.DataFrame({
    "label": ["الولايات المتحدة", "لافروف", "سورية", "الأميركية", "خان شيخون (إدلب)"],
    "count": [27, 36, 5, 8, 7],
    "forms": ["الولايات المتحدة ×27", "لافروف ×33، للافروف ×3", "سورية ×5", "الأميركية ×8", "خان شيخون ×7"],
})
CELLS = pd.DataFrame({
    "outlet": ["قاسيون", "قاسيون", "شينخوا", "شينخوا"],
    "topic": ["الحرب في سوريا", "العلاقات الروسية الأمريكية", "الحرب في سوريا", "العلاقات الروسية الأمريكية"],
    "per_1000": [10.3, 48.9, 16.5, 2.1],
    "hits": [4, 19, 8, 1],
})
TIME = pd.DataFrame({
    "date": pd.to_datetime(["2017-04-12", "2017-04-13", "2017-04-12", "2017-04-13"]),
    "outlet": ["قاسيون", "قاسيون", "شينخوا", "شينخوا"],
    "articles": [1, 0, 0, 1],
})


def arabic_figures():
    nodes = pd.DataFrame({"outlet": ["قاسيون", "سيريانيوز", "شينخوا"], "articles": [1, 1, 0]})
    edges = pd.DataFrame({"source": ["قاسيون"], "target": ["سيريانيوز"], "weight": [1]})
    return {
        "hbar": charts.hbar(TERMS, "label", "count", title="أكثر الكلمات (أعلى 5)", value_title="العدد",
                            hover={"forms": "الصيغ المدمجة"}),
        "lines": charts.lines(TIME, "date", "articles", "outlet", title="الاهتمام عبر الزمن", y_title="المقالات"),
        "heatmap": charts.heatmap(CELLS, "outlet", "topic", "per_1000", title="المواضيع", raw="hits",
                                  value_title="لكل ألف كلمة", raw_title="الإصابات"),
        "diverging": charts.diverging(TERMS.assign(z=[2.1, -1.5, 0.4, -0.2, 1.0]), "label", "z", title="كلمات مميزة",
                                      hover={"forms": "الصيغ"}, left_name="شينخوا", right_name="الثورة"),
        "network": charts.network(nodes, edges, title="النقل بين المصادر", size="articles"),
        "empty": charts.empty("لا بيانات", "لا توجد مقالات في هذا النطاق"),
    }


def test_the_presentation_form_check_would_see_reshaped_text():
    assert PRESENTATION.search(arabic_reshaper.reshape("سوريا"))
    assert not PRESENTATION.search("سوريا لافروف الأميركية")


@pytest.mark.parametrize("name", ["hbar", "lines", "heatmap", "diverging", "network", "empty"])
def test_no_figure_holds_presentation_forms(name):
    text = all_text(arabic_figures()[name])
    assert re.search("[\u0600-\u06FF]", text)  # the Arabic labels are there, in logical order
    assert not PRESENTATION.search(text), PRESENTATION.findall(text)


@pytest.mark.parametrize("name", ["hbar", "lines", "heatmap", "diverging", "network", "empty"])
def test_every_figure_carries_the_white_template(name):
    """The template is plotly's default (set by core.charts), so each figure's JSON carries it whole."""
    layout = json.loads(arabic_figures()[name].to_json())["layout"]
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"


def test_the_template_is_set_explicitly_when_the_default_was_changed(monkeypatch):
    import plotly.io as pio

    monkeypatch.setattr(pio.templates, "default", "plotly")
    layout = json.loads(charts.hbar(TERMS, "label", "count", title="t").to_json())["layout"]
    assert layout["template"]["layout"]["plot_bgcolor"] == "white"


def test_hbar_in_arabic_reads_right_to_left():
    fig = charts.hbar(TERMS, "label", "count", title="أكثر الكلمات", lang="ar")
    assert fig.layout.yaxis.side == "right"
    assert fig.layout.xaxis.autorange == "reversed"
    # rank 1 (the frame's first row) on top: the category array runs bottom to top
    assert list(fig.layout.yaxis.categoryarray)[-1] == RLI + "الولايات المتحدة" + PDI
    assert fig.layout.title.text == RLI + "أكثر الكلمات" + PDI and fig.layout.title.xanchor == "right"


def test_hbar_in_english_reads_left_to_right():
    fig = charts.hbar(TERMS, "label", "count", title="Top terms", lang="en")
    assert fig.layout.yaxis.side == "left"
    assert fig.layout.xaxis.autorange is not None and fig.layout.xaxis.autorange != "reversed"
    assert fig.layout.title.xanchor == "left"
    assert list(fig.layout.yaxis.categoryarray)[-1] == RLI + "الولايات المتحدة" + PDI  # labels still wrapped


def test_hbar_hover_is_built_from_wrapped_parts():
    fig = charts.hbar(TERMS, "label", "count", title="أكثر الكلمات", value_title="العدد",
                      hover={"forms": "الصيغ المدمجة"})
    tmpl = fig.data[0].hovertemplate
    assert RLI + "العدد: %{x}" + PDI in tmpl and RLI + "الصيغ المدمجة: %{customdata[1]}" + PDI in tmpl
    assert fig.data[0].customdata[1][1] == RLI + "لافروف ×33، للافروف ×3" + PDI


def test_heatmap_keeps_raw_counts_in_the_hover():
    fig = charts.heatmap(CELLS, "outlet", "topic", "per_1000", title="المواضيع", raw="hits", raw_title="الإصابات")
    tr = fig.data[0]
    assert [list(map(float, r)) for r in tr.z] == [[10.3, 48.9], [16.5, 2.1]]
    assert [list(map(int, r)) for r in tr.text] == [[4, 19], [8, 1]]
    assert "%{text}" in tr.hovertemplate and RLI + "الإصابات: %{text}" + PDI in tr.hovertemplate
    assert list(tr.y) == [RLI + "قاسيون" + PDI, RLI + "شينخوا" + PDI]
    assert fig.layout.yaxis.side == "right" and fig.layout.xaxis.autorange == "reversed"


def test_lines_mark_points_only_while_the_lines_are_short():
    def df(n):
        return pd.DataFrame({"period": pd.date_range("2018-01-01", periods=n, freq="W").tolist() * 2,
                             "n": range(2 * n), "outlet": ["أ"] * n + ["ب"] * n})

    short = charts.lines(df(charts.MARKED_POINTS), "period", "n", "outlet", title="t")
    long = charts.lines(df(charts.MARKED_POINTS + 1), "period", "n", "outlet", title="t")
    assert [t.mode for t in short.data] == ["lines+markers"] * 2
    assert [t.mode for t in long.data] == ["lines"] * 2
    assert [len(t.x) for t in long.data] == [charts.MARKED_POINTS + 1] * 2   # every point still drawn and hovered
