"""The report charts (reports/charts.py) as drawn: every value on its bar, axes from zero in
Swedish numbers, no label over another, the legend clear of the data. Geometry is read back
from the SVG: rectangles and points from their attributes, text boxes as Qt's SVG renderer
lays the text out (``QSvgRenderer.boundsOnElement``), not from the layout's own measures."""

import xml.etree.ElementTree as ET
from decimal import Decimal as D
from itertools import combinations

import pytest
from PySide6.QtCore import QByteArray, QRectF
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

from socdesk.core import chart_style as style
from socdesk.core.numbers import format_number
from socdesk.reports.document import Chart

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]

# 004, "Antal placeringar per kvartal 2019–2023, heldygnsvård BoU 0–20 år" (as printed)
PLACEMENTS_004 = [
    ("Institution", "10,1 21,8 16,3 17,9 20,3"),
    ("Jourhem", "38,7 19,9 12,6 15,2 7,2"),
    ("Familjehem inkl nätverk", "38,0 50,1 56,6 51,5 67,2"),
    ("Stödboende", "8,0 18,7 21,1 24,8 28,4"),
]
QUARTERS = [f"KV 1 {y}" for y in range(2019, 2024)]


def placements(kind: str) -> Chart:
    series = [(name, [D(v.replace(",", ".")) for v in values.split()]) for name, values in PLACEMENTS_004]
    return Chart(
        "Antal placeringar per kvartal 2019–2023, heldygnsvård BoU 0–20 år",
        QUARTERS,
        series,
        kind=kind,
        unit="Antal",
        values=True,
    )


def crowded() -> Chart:
    """Twelve months, three series, big and negative numbers, long names: the hard case."""
    rows = [
        [
            D(v)
            for v in [
                "12345",
                "-2006",
                "15000",
                "180000",
                "21000",
                "1234567",
                "0",
                "8000",
                "9100",
                "-45000",
                "11000",
                "12000",
            ]
        ],
        [D(15000)] * 12,
        [D(v) for v in ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14"]],
    ]
    names = [
        "Utfall hittills i år enligt huvudboken",
        "Budget enligt nämndens beslut om internbudget",
        "Prognos",
    ]
    return Chart(
        "Nettokostnad per månad", MONTHS, list(zip(names, rows, strict=True)), kind="bar", values=True
    )


def long_categories(n: int) -> Chart:
    """Category labels wider than their slots: wrapped to two lines, or every k-th shown."""
    cats = [f"Heldygnsvård barn och unga {2000 + i}" for i in range(n)]
    return Chart(
        "Placeringar", cats, [("Institution", [D(i + 1) for i in range(n)])], kind="line", values=True
    )


def cumulative(through: int = 4) -> Chart:
    actual = [D(83) * m for m in range(1, through + 1)] + [None] * (12 - through)
    budget = [D("84.2") * m for m in range(1, 13)]
    return Chart(
        "Nettokostnad ackumulerat 2023: utfall och budget",
        MONTHS,
        [("Utfall", actual), ("Budget", budget)],
        kind="cumulative",
        unit="mnkr",
    )


class Drawn:
    """A chart's SVG, parsed and laid out by Qt."""

    def __init__(self, chart: Chart) -> None:
        self.svg = chart.svg()
        self.root = ET.fromstring(self.svg)
        self.renderer = QSvgRenderer(QByteArray(self.svg.encode("utf-8")))
        assert self.renderer.isValid()

    def elements(self, tag: str, cls: str | None = None) -> list[ET.Element]:
        found = self.root.iter(SVG + tag)
        return [e for e in found if cls is None or e.get("class") == cls]

    def bounds(self, id_: str) -> QRectF:
        assert self.renderer.elementExists(id_), id_
        rect = self.renderer.boundsOnElement(id_)
        return self.renderer.transformForElement(id_).mapRect(rect)

    def text_boxes(self, cls: str) -> dict[str, QRectF]:
        return {e.get("id"): self.bounds(e.get("id")) for e in self.elements("text", cls)}

    def bars(self) -> dict[str, tuple[QRectF, D]]:
        return {
            e.get("id"): (
                QRectF(*(float(e.get(a)) for a in ("x", "y", "width", "height"))),
                D(e.get("data-value")),
            )
            for e in self.elements("rect", "bar")
        }

    def zero_y(self) -> float:
        (zero,) = self.elements("line", "zero")
        return float(zero.get("y1"))

    def ticks(self) -> list[tuple[str, float]]:
        return [(e.text, float(e.get("y"))) for e in self.elements("text", "ytick")]

    def data_boxes(self) -> list[tuple[str, QRectF]]:
        """Everything that shows data: bars, points, line segments' bounds, value labels."""
        boxes = [(i, r) for i, (r, _v) in self.bars().items()]
        for e in self.elements("circle", "point"):
            cx, cy, r = (float(e.get(a)) for a in ("cx", "cy", "r"))
            boxes.append((e.get("id"), QRectF(cx - r, cy - r, 2 * r, 2 * r)))
        for e in self.elements("polyline", "line"):
            boxes.append((e.get("id"), self.bounds(e.get("id"))))
        boxes += list(self.text_boxes("value").items())
        return boxes

    def png(self) -> QImage:
        image = QImage(
            int(self.renderer.viewBoxF().width()),
            int(self.renderer.viewBoxF().height()),
            QImage.Format.Format_RGB32,
        )
        image.fill(QColor("white"))
        painter = QPainter(image)
        self.renderer.render(painter)
        painter.end()
        return image


def printed(text: str) -> str:
    return text.replace("\u00a0", " ")


def test_grouped_bars_show_every_value_of_the_series_on_its_bar(qapp):
    chart = placements("bar")
    drawn = Drawn(chart)
    bars = drawn.bars()
    labels = {e.get("id"): e.text for e in drawn.elements("text", "value")}
    boxes = drawn.text_boxes("value")
    assert len(bars) == len(labels) == 20
    for s, (_name, values) in enumerate(PLACEMENTS_004):
        for i, as_printed in enumerate(values.split()):
            rect, value = bars[f"bar-{s}-{i}"]
            assert value == chart.series[s][1][i]
            assert labels[f"value-{s}-{i}"] == as_printed  # 004's own figure, decimal comma
            box = boxes[f"value-{s}-{i}"]
            assert box.bottom() <= rect.top() and rect.top() - box.bottom() < 6  # just above its bar
            assert abs(box.center().x() - rect.center().x()) < 0.5
            assert rect.left() <= box.left() and box.right() <= rect.right() + 2  # within its bar


def test_bars_stand_on_zero_and_are_proportional(qapp):
    drawn = Drawn(placements("bar"))
    zero = drawn.zero_y()
    ticks = drawn.ticks()
    assert ticks[0][0] == "0" and abs(ticks[0][1] - 4 - zero) < 0.2  # the lowest tick is 0, at the axis
    per_unit = set()
    for rect, value in drawn.bars().values():
        assert abs(rect.bottom() - zero) < 0.02
        per_unit.add(round(rect.height() / float(value), 3))
    assert len(per_unit) == 1
    assert [t for t, _y in ticks] == ["0", "20", "40", "60", "80"]


def test_a_negative_bar_goes_down_from_zero_and_the_axis_passes_through_it(qapp):
    drawn = Drawn(crowded())
    zero = drawn.zero_y()
    rect, value = drawn.bars()["bar-0-1"]
    assert value == D(-2006)
    assert abs(rect.top() - zero) < 0.06 and rect.height() > 0  # the zero line's y has one decimal
    labels = [printed(t) for t, _y in drawn.ticks()]
    assert "0" in labels and labels[0].startswith("−")  # U+2212, as the reports print
    assert "1 000 000" in labels  # thousands separated by a (no-break) space
    texts = {e.get("id"): printed(e.text) for e in drawn.elements("text", "value")}
    assert texts["value-0-1"] == "−2 006" and texts["value-0-5"] == "1 234 567"
    box, bar = drawn.bounds("value-0-1"), rect
    assert box.top() >= bar.bottom()  # under the negative bar


@pytest.mark.parametrize(
    "chart",
    [
        placements("bar"),
        placements("stacked"),
        crowded(),
        cumulative(4),
        cumulative(12),
        long_categories(4),
        long_categories(24),
    ],
)
def test_no_label_overlaps_another_and_the_legend_covers_nothing(qapp, chart):
    drawn = Drawn(chart)
    texts = {}
    for cls in ("value", "xlabel", "ytick", "title", "unit"):
        texts.update(drawn.text_boxes(cls))
    for (a, box_a), (b, box_b) in combinations(texts.items(), 2):
        assert not box_a.intersects(box_b), (a, b, box_a, box_b)
    legend = drawn.bounds("legend")
    assert legend.height() > 0
    for name, box in [*drawn.data_boxes(), *texts.items()]:
        assert not legend.intersects(box), (name, box, legend)
    width, height = chart.size()
    assert legend.right() <= width and legend.bottom() <= height  # on the canvas, not cut off
    for name, box in texts.items():
        assert box.left() >= 0 and box.right() <= width and box.top() >= 0, name


def test_long_category_labels_are_wrapped_or_thinned_never_dropped_at_random(qapp):
    wrapped = Drawn(long_categories(4))
    groups = [g for g in wrapped.root.iter(SVG + "g") if (g.get("id") or "").startswith("xlabel-")]
    assert len(groups) == 4 and all(len(list(g)) == 2 for g in groups)  # two lines each
    assert " ".join(t.text for t in groups[0]) == "Heldygnsvård barn och unga 2000"
    thinned = Drawn(long_categories(24))
    shown = [g.get("id") for g in thinned.root.iter(SVG + "g") if (g.get("id") or "").startswith("xlabel-")]
    step = int(shown[1].split("-")[1]) - int(shown[0].split("-")[1])
    assert shown[0] == "xlabel-0" and step > 1
    assert shown == [f"xlabel-{i}" for i in range(0, 24, step)]  # every k-th, evenly


def test_values_fit_inside_the_plot_the_axis_grows_to_make_room(qapp):
    drawn = Drawn(crowded())
    top_tick = min(y for _t, y in drawn.ticks()) - 4
    for name, box in drawn.text_boxes("value").items():
        assert box.top() >= top_tick - 0.5, name  # no value above the top gridline
    # the tallest bar's value is printed upright (wider than its bar) above it
    (rect, _v), box = drawn.bars()["bar-0-5"], drawn.bounds("value-0-5")
    assert box.height() > box.width() and box.bottom() <= rect.top()


def test_the_legend_wraps_into_rows_measured_from_the_labels(qapp):
    chart = placements("bar")
    chart.series = [(f"{name} (verkställda placeringar)", values) for name, values in chart.series]
    drawn = Drawn(chart)
    legend = drawn.bounds("legend")
    one_row = style.line_height(style.LABEL_SIZE)
    assert legend.height() > 1.5 * one_row  # four long names do not fit one row of 640
    assert legend.width() <= chart.size()[0] - 2 * 10
    entries = [e for e in drawn.root.iter(SVG + "text") if e.get("class") is None]
    assert [e.text for e in entries] == [name for name, _v in chart.series]
    for name, box in drawn.data_boxes():
        assert not legend.intersects(box), name


def test_stacked_bars_stack_the_series_and_print_every_value(qapp):
    chart = placements("stacked")
    drawn = Drawn(chart)
    bars = drawn.bars()
    labels = {e.get("id"): e.text for e in drawn.elements("text", "value")}
    assert len(bars) == len(labels) == 20
    zero = drawn.zero_y()
    for i in range(5):
        bottom = zero
        for s, (_name, values) in enumerate(PLACEMENTS_004):
            rect, value = bars[f"bar-{s}-{i}"]
            assert value == chart.series[s][1][i] and labels[f"value-{s}-{i}"] == values.split()[i]
            assert abs(rect.bottom() - bottom) < 0.05  # on top of the segment below
            bottom = rect.top()
    # the highest stack is the top of the axis or under it: 123,1 placements in 2023
    assert min(y for _t, y in drawn.ticks()) - 4 <= bottom
    # a value too big for its segment (Jourhem 7,2 in 2023) is beside the bar, not on another one
    rect, _v = bars["bar-1-4"]
    box = drawn.bounds("value-1-4")
    assert box.left() >= rect.right()


def test_the_cumulative_chart_shows_the_utfall_so_far_and_the_whole_budget(qapp):
    drawn = Drawn(cumulative(1))  # January only: one point, which used to vanish
    points = {e.get("id"): D(e.get("data-value")) for e in drawn.elements("circle", "point")}
    assert points == {"point-0-0": D(83)}
    lines = {e.get("id"): e for e in drawn.elements("polyline", "line")}
    assert set(lines) == {"line-1-0"}  # the budget, all twelve months
    budget = lines["line-1-0"]
    assert len(budget.get("points").split()) == 12 and budget.get("stroke-dasharray")
    assert budget.get("stroke") == style.BUDGET
    order = [e.get("id") for e in drawn.root.iter() if e.get("id") in ("line-1-0", "point-0-0")]
    assert order == ["line-1-0", "point-0-0"]  # the utfall drawn over the budget
    four = Drawn(cumulative(4))
    (actual,) = [e for e in four.elements("polyline", "line") if e.get("id") == "line-0-0"]
    assert len(actual.get("points").split()) == 4 and not actual.get("stroke-dasharray")
    assert actual.get("stroke") == style.ACTUAL
    assert len(four.elements("circle", "point")) == 4  # a marker per month with utfall, none after
    labels = {e.get("id"): e.text for e in four.elements("text", "value")}
    assert labels == {"value-0-3": "332,0"}  # the utfall so far, one decimal as the budget has


def test_the_chart_is_drawn_and_not_blank(qapp):
    image = Drawn(placements("bar")).png()
    colours = {
        image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)
    }
    assert {style.series_colour(s) for s in range(4)} <= colours


def test_swedish_numbers_and_steps():
    assert style.axis_range(D(0), D("67.2")) == (D(0), D(80), D(20))
    assert style.axis_range(D(5), D(9))[0] == 0  # from zero, not from the smallest value
    bottom, top, step = style.axis_range(D(-2006), D(1234567))
    assert bottom < 0 < top and bottom % step == 0
    assert printed(style.tick_label(D(-2500), D(500))) == "−2 500"
    assert printed(style.tick_label(D("1.5"), D("0.5"))) == "1,5"
    assert printed(style.tick_label(D(1000000), D(500000))) == "1 000 000"
    assert printed(style.tick_label_float(-2500.0, 500.0)) == "−2 500"
    assert printed(style.tick_label_float(0.30000000000000004, 0.1)) == "0,3"
    assert style.value_decimals([D("10.1"), D("8.0")]) == 1
    assert style.value_decimals([D(1) / D(3) * 100]) == 1  # a computed 33,33… shown 33,3
    assert style.value_decimals([D("1234.5")]) == 1
    assert style.value_decimals([D("12345.6")]) == 0
    assert style.value_label(D("-2006"), 0) == format_number(D(-2006))


def test_text_widths_agree_with_the_font(qapp):
    from PySide6.QtGui import QFont, QFontMetricsF

    font = QFont(style.FONT_FAMILY)
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    if font.exactMatch() or metrics.horizontalAdvance("Familjehem") == pytest.approx(
        style.text_width("Familjehem", 100), rel=0.01
    ):
        for text in ("Familjehem inkl nätverk", "−2 006", "KV 1 2019", "Stödboende"):
            assert style.text_width(text, 100) == pytest.approx(metrics.horizontalAdvance(text), rel=0.01)
    else:  # another font than DejaVu Sans answered: ours must be the wider estimate
        assert style.text_width("Familjehem inkl nätverk", 100) >= metrics.horizontalAdvance(
            "Familjehem inkl nätverk"
        )


def test_the_workspace_chart_has_the_report_colours_and_its_legends_outside_the_plots(qtbot):
    from socdesk.gui.chart_style import SwedishAxis
    from socdesk.gui.monthly_chart import ACTUAL, BUDGET, MonthlyChart

    chart = MonthlyChart()
    qtbot.addWidget(chart)
    chart.resize(800, 600)
    chart.show()
    qtbot.waitExposed(chart)
    assert style.rgb(style.ACTUAL) == ACTUAL and style.rgb(style.BUDGET) == BUDGET
    assert chart.actual_bars.opts["brush"].color().name() == style.ACTUAL
    for plot, legend in ((chart.monthly, chart.monthly_legend), (chart.cumulative, chart.cumulative_legend)):
        assert not legend.sceneBoundingRect().intersects(plot.vb.sceneBoundingRect())
        assert len(legend.items) >= 2
    assert [printed(t) for t in SwedishAxis("left").tickStrings([-2500.0, 10000.0], 1, 2500.0)] == [
        "−2 500",
        "10 000",
    ]
