"""Charts drawn on the server as SVG: one code path for web pages and PDFs, no request outside Penkom.

A chart is a reportlab Drawing (reportlab.graphics ships with xhtml2pdf: axes, tick labels and
legends are laid out by a charting library made for print, not by hand), written to SVG with
`renderSVG` and handed out as a `data:image/svg+xml;base64,...` URI. The same URI works in
`<img>` on a page (CSP allows img-src data:) and in an xhtml2pdf document, where svglib draws it as
vectors (PDF field guide: never float an SVG image). Text is escaped by the SVG writer, and
invisible format characters are removed from every label (app/textclean.py).

    uri = charts.data_uri(charts.bar_chart(["Jan", "Feb"], [charts.Series("Masuk", [3, 5])]))
    <img src="{{ uri }}" alt="...">
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from babel.numbers import format_decimal
from reportlab.graphics import renderSVG
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from app.textclean import strip_format

FONTS = Path(__file__).resolve().parent / "static" / "fonts"
FONT, FONT_BOLD = "Liberation Sans", "Liberation Sans Bold"
# Browsers do not have our font inside an <img>; Arial has the same metrics, so labels still fit.
CSS_FONTS = {FONT: "'Liberation Sans', Arial, Helvetica, sans-serif",
             FONT_BOLD: "'Liberation Sans', Arial, Helvetica, sans-serif; font-weight: bold"}  # fmt: skip
# Okabe-Ito: told apart by colour-blind readers too, and in greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


@dataclass(frozen=True)
class Series:
    """One named row of values, one value per category."""

    name: str
    values: Sequence[float]
    color: str | None = None


@dataclass(frozen=True)
class Chart:
    """A drawing with the words that describe it (SVG <title>/<desc>, and <img alt> on pages)."""

    drawing: Drawing
    title: str = ""
    description: str = ""


@cache
def _register_fonts() -> None:
    """Our shipped TrueType font, for reportlab's text metrics and for svglib in PDFs (embedded)."""
    from svglib.fonts import register_font

    for name, weight, filename in ((FONT, "normal", "LiberationSans-Regular.ttf"),
                                   (FONT_BOLD, "bold", "LiberationSans-Bold.ttf")):  # fmt: skip
        register_font("Liberation Sans", str(FONTS / filename), weight=weight, rlgFontName=name)


def _number(value: float) -> str:
    return format_decimal(value, format="#,##0.##", locale="id")


def _scale(largest: float, integers: bool) -> tuple[float, float]:
    """A round axis maximum and step (about five ticks) for values from 0 to `largest`."""
    if largest <= 0:
        return 1.0, 1.0
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    if integers:
        step = max(1, math.ceil(step))
    return (math.floor(largest / step) + 1) * step, step  # a little room above the longest bar


def bar_chart(
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    horizontal: bool = False,
    title: str = "",
    width: float = 480,
    height: float | None = None,
    empty_text: str = "",
    description: str = "",
) -> Chart:
    """A bar chart: one group of bars per category, one bar per series, with a legend when there
    are several series. Horizontal charts suit long category names (people, units)."""
    _register_fonts()
    categories = [strip_format(str(c)) for c in categories]
    names = [strip_format(str(s.name)) for s in series]
    count = len(categories)
    if height is None:
        bars = max(1, len(series))
        height = max(160, 70 + count * (bars * 12 + 10)) if horizontal else 260
    legend_h = 18 if len(series) > 1 else 0
    title_h = 22 if title else 0
    title = strip_format(title)
    drawing = Drawing(width, height)
    result = Chart(drawing, title, strip_format(description))
    if title:
        drawing.add(String(width / 2, height - 15, title, fontName=FONT_BOLD, fontSize=11,
                           textAnchor="middle"))  # fmt: skip
    values = [[float(v or 0) for v in s.values] for s in series]
    if not count or not values:
        drawing.add(String(width / 2, height / 2, strip_format(empty_text), fontName=FONT, fontSize=10,
                           textAnchor="middle", fillColor=colors.HexColor("#666666")))  # fmt: skip
        return result

    label_w = min(160, 12 + 5.2 * max(len(c) for c in categories)) if horizontal else 0
    chart = HorizontalBarChart() if horizontal else VerticalBarChart()
    chart.x = 10 + (label_w if horizontal else 34)
    chart.y = 28 + legend_h + (0 if horizontal else 22)
    chart.width = width - chart.x - 20
    chart.height = height - chart.y - title_h - 10
    fills = [colors.HexColor(s.color or PALETTE[i % len(PALETTE)]) for i, s in enumerate(series)]
    order = list(range(len(series)))
    shown = categories
    if horizontal:
        # Reportlab stacks categories and bars upwards; people read a list from the top down.
        order, shown = order[::-1], categories[::-1]
    chart.data = [values[i][::-1] if horizontal else values[i] for i in order]
    chart.barSpacing = 1
    chart.groupSpacing = 8
    chart.strokeColor = None
    for position, i in enumerate(order):
        chart.bars[position].fillColor = fills[i]
        chart.bars[position].strokeColor = None

    integers = all(v == int(v) for row in values for v in row)
    top, step = _scale(max(max(row) for row in values), integers)
    axis = chart.valueAxis
    axis.valueMin, axis.valueMax, axis.valueStep = 0, top, step
    axis.labelTextFormat = _number
    axis.labels.fontName, axis.labels.fontSize = FONT, 8
    axis.visibleGrid, axis.gridStrokeColor, axis.gridStrokeWidth = True, colors.HexColor("#dddddd"), 0.5
    cat = chart.categoryAxis
    cat.categoryNames = shown
    cat.labels.fontName, cat.labels.fontSize = FONT, 8
    if horizontal:
        cat.labels.boxAnchor, cat.labels.dx = "e", -4
    elif count > 6 or max(len(c) for c in categories) > 10:
        cat.labels.angle, cat.labels.boxAnchor, cat.labels.dy = 30, "ne", -2
    drawing.add(chart)

    if len(series) > 1:
        legend = Legend()
        legend.colorNamePairs = list(zip(fills, names, strict=True))
        legend.fontName, legend.fontSize = FONT, 8
        legend.alignment, legend.columnMaximum = "right", 1
        legend.x, legend.y = chart.x, 14
        legend.deltax, legend.dxTextSpace, legend.dx, legend.dy = 0, 4, 8, 8
        legend.autoXPadding = 14
        legend.strokeColor = None
        drawing.add(legend)
    return result


_DOCTYPE = re.compile(r"<!DOCTYPE[^>]*>\s*", re.S)


def svg(chart: Chart) -> str:
    """The chart as a self-contained SVG document (no DOCTYPE, titled for screen readers)."""
    _register_fonts()
    text = renderSVG.drawToString(chart.drawing)
    text = _DOCTYPE.sub("", text, count=1)
    text = text.replace("<title>...</title>", f"<title>{escape(chart.title)}</title>", 1)
    text = text.replace("<desc>...</desc>", f"<desc>{escape(chart.description)}</desc>", 1)
    for font, css in CSS_FONTS.items():
        text = text.replace(f"font-family: {font};", f"font-family: {css};")
    return text


def data_uri(chart: Chart) -> str:
    """`data:image/svg+xml;base64,...` for <img src> in HTML pages and xhtml2pdf PDFs alike."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg(chart).encode("utf-8")).decode("ascii")
