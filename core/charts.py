"""Plotly figure builders, with the right-to-left recipe in one place.

- Text stays plain logical-order Unicode: the browser shapes Arabic and applies bidi itself.
  Never reshape here.
- Any label with Arabic (or mixing Arabic with digits/Latin/brackets) is wrapped in
  RLI … PDI so Plotly's left-to-right layout does not scramble it.
- Hover text comes from hover templates built of wrapped parts, never Plotly's "(x, y)".
- Long tick labels are truncated in Python, the ellipsis inside the wrapper.
- Every text a figure shows goes through :func:`plot_label`: Plotly reads ``<b>``, ``<br>``, ``<a href>``
  in labels, legends, hover text and annotations as tags, ``$…$`` as LaTeX and ``%{…}`` in a hover
  template as a field, so corpus data (outlet names, terms, speakers) is escaped there, once.
- Horizontal bars read as an Arabic reader expects in the Arabic interface: rank 1 on top,
  the category axis on the right, bars growing leftwards, the legend out of the axis' way.
"""
from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from core.markup import has_arabic, plotly_escape

TEMPLATE = "plotly_white"
# Every figure of the product uses this template.  Made the default, plotly applies it when a figure is
# created from its own copy (0.4 ms); passed to each ``update_layout`` it is validated and deep-copied
# every time (about 10 ms a chart, the largest part of drawing a small one).
pio.templates.default = TEMPLATE

RLI, PDI = "\u2067", "\u2069"
FONT = "Noto Sans Arabic, Noto Naskh Arabic, Amiri, DejaVu Sans, Arial, sans-serif"
PALETTE = ["#0f6e6e", "#d1495b", "#edae49", "#00798c", "#30638e", "#8e6c8a", "#66a182", "#a0522d", "#6c757d", "#e07a5f"]


def rtl(text, limit: int | None = None) -> str:
    """Wrap a label for Plotly: ``⁧الولايات المتحدة (10)⁩``; truncate to ``limit`` characters first.

    Pure Latin/number labels are returned unchanged.
    """
    s = "" if text is None else str(text)
    if limit and len(s) > limit:
        s = s[: max(1, limit - 1)].rstrip() + "…"
    if has_arabic(s) and not s.startswith(RLI):
        return f"{RLI}{s}{PDI}"
    return s


def unwrap(text: str) -> str:
    return str(text).replace(RLI, "").replace(PDI, "")


def plot_label(text, limit: int | None = None) -> str:
    """A data label as a figure shows it: truncated to ``limit`` characters, escaped
    (:func:`plotly_escape`) and wrapped (:func:`rtl`).  The one function every builder uses.

    >>> plot_label("<b>قناة</b>") == RLI + "&lt;b&gt;قناة&lt;/b&gt;" + PDI
    True
    """
    s = "" if text is None else str(text)
    if limit and len(s) > limit:
        s = s[: max(1, limit - 1)].rstrip() + "…"
    return rtl(plotly_escape(s))


def label_text(shown: str) -> str:
    """The data a label was made from (a clicked bar's category): unwrapped and unescaped.

    >>> label_text(plot_label("50% <أ>"))
    '50% <أ>'
    """
    return html.unescape(unwrap(shown))


def hover_line(caption: str, value: str, lang: str) -> str:
    """One hover line "caption: value" (``value`` is a template field, ``caption`` is text, escaped).
    In the Arabic interface, or when the caption is Arabic, the whole line is an RTL isolate, so the
    caption reads first, on the right, and the number after it, on the left."""
    caption = plotly_escape(unwrap(caption))
    if lang == "ar" or has_arabic(caption):  # an Arabic caption (an outlet's name) reads right to left anywhere
        return f"{RLI}{caption}: {value}{PDI}"
    return f"{caption}: {value}"


def _base_layout(title: str, lang: str, height: int | None = None, legend_title: str | None = None) -> dict:
    """The layout every figure shares: its title on the reading side, the Arabic font stack, the
    palette, the legend out of the axis' way."""
    ar = lang == "ar"
    layout = {
        "title": {"text": plot_label(title), "x": 0.98 if ar else 0.02, "xanchor": "right" if ar else "left"},
        "font": {"family": FONT, "size": 13},
        "hoverlabel": {"font": {"family": FONT}},
        "margin": {"l": 30, "r": 30, "t": 60, "b": 40},
        "colorway": PALETTE,
        "legend": {"title": {"text": plot_label(legend_title or "")}, "orientation": "h", "yanchor": "bottom", "y": 1.02,
                   "xanchor": "left" if ar else "right", "x": 0.0 if ar else 1.0},
    }
    if pio.templates.default != TEMPLATE:   # somebody changed the default after import: set it explicitly
        layout["template"] = TEMPLATE
    if height:
        layout["height"] = height
    return layout


def figure(traces: list, *, title: str, lang: str, height: int | None = None, legend_title: str | None = None,
           **layout) -> go.Figure:
    """A figure made in one go from its traces and layout (plain dicts merged into the shared
    layout, a key's dict updating the shared one's). Plotly validates a figure's layout once when
    it is made, but again on every ``update_layout``/``update_xaxes``: made in one go a chart
    costs a few ms instead of 10-20 ms, and a page draws up to a dozen of them on every rerun."""
    base = _base_layout(title, lang, height, legend_title)
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return go.Figure(data=traces, layout=base)


def hbar(df: pd.DataFrame, label: str, value: str, *, title: str, lang: str = "ar", value_title: str = "",
         hover: dict[str, str] | None = None, color: str | None = None, limit_chars: int = 40,
         height: int | None = None) -> go.Figure:
    """Ranked horizontal bars, rank 1 on top (the frame's first row is rank 1).

    ``hover`` maps column → caption for extra hover lines (e.g. merged forms). In Arabic the
    category axis sits on the right and bars grow leftwards.
    """
    ar = lang == "ar"
    traces = []
    groups = [(None, df)] if not color else list(df.groupby(color, sort=False))
    cats = list(dict.fromkeys(plot_label(v, limit_chars) for v in df[label]))
    for name, part in groups:
        custom = [[plot_label(v) for v in part[label]]]
        tmpl = "%{customdata[0]}<br>" + hover_line(value_title or value, "%{x}", lang)
        for i, (col, cap) in enumerate((hover or {}).items(), start=1):
            custom.append([plot_label(v, 160) for v in part[col].astype(str)])
            tmpl += "<br>" + hover_line(cap, "%{customdata[" + str(i) + "]}", lang)
        traces.append(go.Bar(
            y=[plot_label(v, limit_chars) for v in part[label]], x=part[value], orientation="h",
            name=plot_label(name) if name is not None else "", customdata=list(zip(*custom)),
            hovertemplate=tmpl + "<extra>" + (plot_label(name) if name is not None else "") + "</extra>",
            marker_color=None if color else PALETTE[0],
        ))
    return figure(traces, title=title, lang=lang, height=height or max(320, 26 * len(cats) + 120),
                  yaxis={"categoryorder": "array", "categoryarray": list(reversed(cats)),
                         "side": "right" if ar else "left", "automargin": True},
                  xaxis={"title": {"text": plot_label(value_title)}, "autorange": "reversed" if ar else True},
                  barmode="group", showlegend=bool(color))


#: The longest line :func:`lines` still marks point by point.
MARKED_POINTS = 60


def lines(df: pd.DataFrame, x: str, y: str, color: str, *, title: str, lang: str = "ar", x_title: str = "",
          y_title: str = "", percent: bool = False) -> go.Figure:
    """One line per group over time (attention, trends). Each point is marked while the longest line has at
    most :data:`MARKED_POINTS` points; past that the lines alone are drawn (hovering still reads every point):
    styling each of ~1,500 weekly markers over six years took ~85 ms of the browser's first draw of the
    Overview, which a new tab spends parsing and drawing Plotly."""
    ar = lang == "ar"
    traces = []
    fmt = ":.1%" if percent else ""
    groups = [(name, part.sort_values(x)) for name, part in df.groupby(color, sort=False)]
    mode = "lines+markers" if max((len(p) for _n, p in groups), default=0) <= MARKED_POINTS else "lines"
    for name, part in groups:
        traces.append(go.Scatter(
            x=part[x], y=part[y], mode=mode, name=plot_label(name),
            hovertemplate=plot_label(name) + "<br>%{x|%Y-%m-%d}<br>" + hover_line(y_title or y, "%{y" + fmt + "}", lang)
            + "<extra></extra>",
        ))
    return figure(traces, title=title, lang=lang,
                  xaxis={"title": {"text": plot_label(x_title)}, "autorange": "reversed" if ar else True},
                  yaxis={"title": {"text": plot_label(y_title)}, "side": "right" if ar else "left",
                         "tickformat": ".0%" if percent else None})


def heatmap(df: pd.DataFrame, row: str, col: str, value: str, *, title: str, lang: str = "ar",
            raw: str | None = None, value_title: str = "", raw_title: str = "", limit_chars: int = 28) -> go.Figure:
    """Rows × columns heatmap of ``value``; ``raw`` (e.g. raw counts) shown in the hover."""
    ar = lang == "ar"
    rows = list(dict.fromkeys(df[row]))
    cols = list(dict.fromkeys(df[col]))
    piv = df.pivot_table(index=row, columns=col, values=value, aggfunc="sum", fill_value=0).reindex(index=rows, columns=cols)
    z = piv.values
    text = None
    tmpl = "%{y}<br>%{x}<br>" + hover_line(value_title or value, "%{z}", lang)
    if raw:
        rp = df.pivot_table(index=row, columns=col, values=raw, aggfunc="sum", fill_value=0).reindex(index=rows, columns=cols)
        text = rp.values
        tmpl += "<br>" + hover_line(raw_title or raw, "%{text}", lang)
    trace = go.Heatmap(
        z=z, x=[plot_label(c, limit_chars) for c in cols], y=[plot_label(r, limit_chars) for r in rows], text=text,
        colorscale="Teal", hovertemplate=tmpl + "<extra></extra>",
        # the colour scale sits opposite the row labels (left in Arabic, where the labels are on the right)
        colorbar={"title": {"text": plot_label(value_title)}, "x": -0.02 if ar else 1.02, "xanchor": "right" if ar else "left",
                  "thickness": 14},
    )
    return figure([trace], title=title, lang=lang, height=max(380, 30 * len(rows) + 220),
                  xaxis={"autorange": "reversed" if ar else True, "side": "bottom", "tickangle": -35, "automargin": True},
                  yaxis={"autorange": "reversed", "side": "right" if ar else "left", "automargin": True},
                  **({"margin": {"l": 90}} if ar else {}))


def diverging(df: pd.DataFrame, label: str, value: str, *, title: str, lang: str = "ar", value_title: str = "",
              hover: dict[str, str] | None = None, left_name: str = "", right_name: str = "") -> go.Figure:
    """Diverging bars (e.g. log-odds z-scores): positive for one side, negative for the other."""
    ar = lang == "ar"
    df = df.sort_values(value, ascending=False)
    colors = [PALETTE[0] if v >= 0 else PALETTE[1] for v in df[value]]
    custom = [[plot_label(v) for v in df[label]]]
    tmpl = "%{customdata[0]}<br>" + hover_line(value_title or value, "%{x:.2f}", lang)
    for i, (c, cap) in enumerate((hover or {}).items(), start=1):
        custom.append([plot_label(v, 120) for v in df[c].astype(str)])
        tmpl += "<br>" + hover_line(cap, "%{customdata[" + str(i) + "]}", lang)
    trace = go.Bar(
        y=[plot_label(v, 36) for v in df[label]], x=df[value], orientation="h", marker_color=colors,
        customdata=list(zip(*custom)), hovertemplate=tmpl + "<extra></extra>",
    )
    cats = [plot_label(v, 36) for v in df[label]]
    extra = {}
    if left_name or right_name:
        extra["annotations"] = [
            {"text": plot_label(left_name), "x": 0.02 if not ar else 0.98, "xref": "paper", "y": 1.06, "yref": "paper",
             "showarrow": False, "font": {"color": PALETTE[1]}},
            {"text": plot_label(right_name), "x": 0.98 if not ar else 0.02, "xref": "paper", "y": 1.06, "yref": "paper",
             "showarrow": False, "font": {"color": PALETTE[0]}}]
    return figure([trace], title=title, lang=lang, height=max(360, 24 * len(df) + 140),
                  yaxis={"categoryorder": "array", "categoryarray": list(reversed(cats)),
                         "side": "right" if ar else "left", "automargin": True},
                  xaxis={"title": {"text": plot_label(value_title)}, "autorange": "reversed" if ar else True,
                         "zeroline": True}, **extra)


def network(nodes: pd.DataFrame, edges: pd.DataFrame, *, title: str, lang: str = "ar", node: str = "outlet",
            size: str | None = None, source: str = "source", target: str = "target", weight: str = "weight") -> go.Figure:
    """A small circular network (who shares text with whom)."""
    import math

    names = list(nodes[node])
    pos = {n: (math.cos(2 * math.pi * i / max(len(names), 1)), math.sin(2 * math.pi * i / max(len(names), 1)))
           for i, n in enumerate(names)}
    traces = []
    wmax = float(edges[weight].max()) if len(edges) else 1.0
    for e in edges.itertuples(index=False):
        a, b, w = getattr(e, source), getattr(e, target), float(getattr(e, weight))
        if a not in pos or b not in pos:
            continue
        traces.append(go.Scatter(
            x=[pos[a][0], pos[b][0]], y=[pos[a][1], pos[b][1]], mode="lines",
            line={"width": 1 + 8 * w / (wmax or 1), "color": "rgba(15,110,110,0.45)"},
            hoverinfo="skip", showlegend=False,
        ))
    sizes = nodes[size] if size else [10] * len(nodes)
    smax = float(max(sizes)) if len(nodes) else 1.0
    traces.append(go.Scatter(
        x=[pos[n][0] for n in names], y=[pos[n][1] for n in names], mode="markers+text",
        text=[plot_label(n, 24) for n in names], textposition="top center",
        marker={"size": [14 + 30 * float(s) / (smax or 1) for s in sizes], "color": PALETTE[2]},
        customdata=[plot_label(n) for n in names], hovertemplate="%{customdata}<extra></extra>", showlegend=False,
    ))
    return figure(traces, title=title, lang=lang, height=480, xaxis={"visible": False},
                  yaxis={"visible": False, "scaleanchor": "x"})


def empty(title: str, message: str, lang: str = "ar") -> go.Figure:
    return figure([], title=title, lang=lang, height=240, xaxis={"visible": False}, yaxis={"visible": False},
                  annotations=[{"text": plot_label(message), "x": 0.5, "y": 0.5, "xref": "paper", "yref": "paper",
                                "showarrow": False, "font": {"size": 16}}])
