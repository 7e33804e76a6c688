"""A report's chart (``document.Chart``) drawn as SVG: the same vector picture in HTML, PDF and
print. Grouped bars (``bar``), stacked bars (``stacked``), lines (``line``) and cumulative utfall
against budget by month (``cumulative``: utfall a line with markers, budget dashed, the months
without utfall left empty). Every layout decision is measured, never guessed:

- the value axis starts at zero (or runs through it), in steps of 1, 2, 5 × 10ⁿ, with Swedish
  numbers (``1 234``, ``−2 006``, ``0,5``), and is extended until every printed value fits;
- values on bars (``Chart.values``) sit above each bar (turned upright when wider than the
  bar), inside a stacked segment when they fit there, else beside the bar without touching
  another label;
- category labels are wrapped or thinned so that none overlaps the next;
- the legend is below the plot, in rows measured from its labels' widths: it never covers data.

Colours, fonts, steps and number formats come from ``socdesk.core.chart_style`` (shared with
the workspace's charts). Every drawn element has an ``id`` (``bar-S-I``, ``value-S-I``,
``xlabel-I``, ``ytick-K``, ``legend``) so its geometry can be checked."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING

from socdesk.core import chart_style as style

if TYPE_CHECKING:
    from socdesk.reports.document import Chart

WIDTH = 640.0
PAD = 10.0
PLOT_HEIGHT = 190.0
ASCENT, DESCENT = 0.93, 0.24  # of the font size, DejaVu Sans (the text box around a baseline)
GAP = 3.0  # between a bar and its value
MAX_EXTENSIONS = 8  # axis steps added at most to make room for the values


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.x < other.x + other.w
            and other.x < self.x + self.w
            and self.y < other.y + other.h
            and other.y < self.y + self.h
        )


@dataclass
class _Label:
    """A text placed in the chart (SVG attributes and its box)."""

    id: str
    text: str
    x: float
    y: float  # baseline (for upright text: the x of the baseline is ``x``)
    size: float
    anchor: str = "middle"
    fill: str = style.TEXT
    upright: bool = False
    bold: bool = False

    def box(self) -> Box:
        w = style.text_width(self.text, self.size, self.bold)
        if self.upright:  # rotated −90° about (x, y): runs upwards from y, ascent to the left
            return Box(self.x - ASCENT * self.size, self.y - w, (ASCENT + DESCENT) * self.size, w)
        left = {"start": self.x, "middle": self.x - w / 2, "end": self.x - w}[self.anchor]
        return Box(left, self.y - ASCENT * self.size, w, (ASCENT + DESCENT) * self.size)

    def svg(self, cls: str) -> str:
        rotate = f' transform="rotate(-90 {self.x:.1f} {self.y:.1f})"' if self.upright else ""
        anchor = "start" if self.upright else self.anchor
        weight = ' font-weight="bold"' if self.bold else ""
        return (
            f'<text id="{self.id}" class="{cls}" x="{self.x:.1f}" y="{self.y:.1f}" font-size="{self.size:g}" '
            f'text-anchor="{anchor}" fill="{self.fill}"{weight}{rotate}>{html.escape(self.text)}</text>'
        )


@dataclass
class _Layout:
    width: float = WIDTH
    height: float = 0.0
    parts: list[str] = field(default_factory=list)


def chart_size(chart: Chart) -> tuple[float, float]:
    """Width and height of the chart's canvas (its SVG ``viewBox``)."""
    return WIDTH, _draw(chart).height


def chart_svg(chart: Chart, scale: float = 1.0) -> str:
    """The chart as an SVG document; ``scale`` enlarges the canvas (the drawing is the same)."""
    layout = _draw(chart)
    w, h = layout.width, layout.height
    title = html.escape(caption(chart), quote=True)  # no <title>: Qt's SVG would draw it as text
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w * scale:.0f}" height="{h * scale:.0f}" '
        f'viewBox="0 0 {w:.0f} {h:.0f}" font-family="{style.FONT_STACK}" font-size="{style.LABEL_SIZE:g}" '
        f'role="img" aria-label="{title}">' + "".join(layout.parts) + "</svg>"
    )


def caption(chart: Chart) -> str:
    """The title with its number: ``Diagram 2 Antal placeringar …`` (the SVG's accessible name and
    the Excel sheet's line; the drawing itself shows the title, the document's caption the number)."""
    number = chart.number.strip()
    if not number:
        return chart.title
    if not number.lower().startswith("diagram"):
        number = f"Diagram {number}"
    return f"{number} {chart.title}".strip()


def _values(chart: Chart) -> list[Decimal]:
    return [v for _n, vs in chart.series for v in vs if v is not None]


def _domain(chart: Chart) -> tuple[Decimal, Decimal]:
    if chart.kind == "stacked":
        n = len(chart.categories)
        ups = [
            sum((vs[i] for _n, vs in chart.series if i < len(vs) and (vs[i] or 0) > 0), Decimal(0))
            for i in range(n)
        ]
        downs = [
            sum((vs[i] for _n, vs in chart.series if i < len(vs) and (vs[i] or 0) < 0), Decimal(0))
            for i in range(n)
        ]
        return min(downs, default=Decimal(0)), max(ups, default=Decimal(0))
    values = _values(chart) or [Decimal(0)]
    return min(values), max(values)


def _draw(chart: Chart) -> _Layout:
    out = _Layout()
    p = out.parts
    p.append('<rect width="100%" height="100%" fill="white"/>')
    y = PAD
    # the title, wrapped to the width; its number ("Diagram 2") is the document's caption under the figure
    for k, line in enumerate(style.wrap(chart.title, WIDTH - 2 * PAD, style.TITLE_SIZE, bold=True)):
        y += style.line_height(style.TITLE_SIZE)
        label = _Label(
            f"title-{k}", line, PAD, y - DESCENT * style.TITLE_SIZE, style.TITLE_SIZE, "start", bold=True
        )
        p.append(label.svg("title"))
    if chart.unit:
        y += style.line_height(style.LABEL_SIZE)
        p.append(
            _Label(
                "unit",
                chart.unit,
                PAD,
                y - DESCENT * style.LABEL_SIZE,
                style.LABEL_SIZE,
                "start",
                style.MUTED,
            ).svg("unit")
        )
    plot_top = y + 8
    plot_bottom = plot_top + PLOT_HEIGHT
    n = max(1, len(chart.categories))
    decimals = style.value_decimals(_values(chart))
    low, high = _domain(chart)
    bottom_value, top_value, step = style.axis_range(low, high)
    right = WIDTH - PAD - 4
    for _attempt in range(MAX_EXTENSIONS + 1):
        ticks = []
        g = bottom_value
        while g <= top_value:
            ticks.append(g)
            g += step
        tick_labels = [style.tick_label(t, step) for t in ticks]
        left = PAD + max(style.text_width(t, style.LABEL_SIZE) for t in tick_labels) + 8
        span = top_value - bottom_value

        def y_of(v: Decimal, top_value=top_value, span=span) -> float:
            return plot_top + float((top_value - v) / span) * PLOT_HEIGHT

        slot = (right - left) / n
        marks, labels = _marks(chart, left, slot, y_of, decimals)
        boxes = [lb.box() for lb in labels]
        over = any(b.y < plot_top - 0.01 for b in boxes)
        under = any(b.y + b.h > plot_bottom + 0.01 for b in boxes)
        if not (over or under):
            break
        if over:
            top_value += step
        if under:
            bottom_value -= step
    for k, (t, text) in enumerate(zip(ticks, tick_labels, strict=True)):
        ty = y_of(t)
        p.append(_hline("grid", left, right, ty, style.GRID))
        p.append(
            _Label(f"ytick-{k}", text, left - 6, ty + 4, style.LABEL_SIZE, "end", style.MUTED).svg("ytick")
        )
    p.extend(marks)
    zero = y_of(Decimal(0))
    p.append(_hline("zero", left, right, zero, style.AXIS))
    p.extend(lb.svg("value") for lb in labels)
    y = _category_labels(chart, p, left, slot, plot_bottom)
    y = _legend(chart, p, y + 8)
    out.height = y + PAD
    return out


def _hline(cls: str, x1: float, x2: float, y: float, colour: str) -> str:
    return f'<line class="{cls}" x1="{x1:.1f}" x2="{x2:.1f}" y1="{y:.1f}" y2="{y:.1f}" stroke="{colour}"/>'


def _marks(chart: Chart, left: float, slot: float, y_of, decimals: int) -> tuple[list[str], list[_Label]]:
    if chart.kind == "stacked":
        return _stacked(chart, left, slot, y_of, decimals)
    if chart.kind == "bar":
        return _grouped(chart, left, slot, y_of, decimals)
    return _lines(chart, left, slot, y_of, decimals)


def _bar(s: int, i: int, x: float, top: float, w: float, bottom: float, colour: str, value: Decimal) -> str:
    y0, y1 = sorted((top, bottom))
    return (
        f'<rect id="bar-{s}-{i}" class="bar" x="{x:.2f}" y="{y0:.2f}" width="{w:.2f}" '
        f'height="{max(0.5, y1 - y0):.2f}" fill="{colour}" data-value="{value}"/>'
    )


def _grouped(chart: Chart, left: float, slot: float, y_of, decimals: int) -> tuple[list[str], list[_Label]]:
    marks: list[str] = []
    labels: list[_Label] = []
    m = max(1, len(chart.series))
    pitch = slot * 0.8 / m
    gap = min(2.0, pitch * 0.15)
    bw = pitch - gap
    size = style.VALUE_SIZE
    texts = [style.value_label(v, decimals) for v in _values(chart)]
    widest = max((style.text_width(t, size) for t in texts), default=0)
    upright = widest > pitch - 1
    if upright:
        size = max(style.MIN_VALUE_SIZE, min(size, pitch / 1.25))
    zero = y_of(Decimal(0))
    for s, (_name, vs) in enumerate(chart.series):
        colour = style.series_colour(s)
        for i, v in enumerate(vs[: len(chart.categories)]):
            if v is None:
                continue
            x0 = left + slot * i + slot * 0.1 + pitch * s + gap / 2
            marks.append(_bar(s, i, x0, y_of(v), bw, zero, colour, v))
            if not chart.values or (upright and pitch < size * (ASCENT + DESCENT)):
                continue
            cx = x0 + bw / 2
            text = style.value_label(v, decimals)
            if upright:
                w = style.text_width(text, size)
                base = y_of(v) - GAP if v >= 0 else y_of(v) + GAP + w
                labels.append(
                    _Label(
                        f"value-{s}-{i}", text, cx + (ASCENT - DESCENT) / 2 * size, base, size, upright=True
                    )
                )
            elif v >= 0:
                labels.append(_Label(f"value-{s}-{i}", text, cx, y_of(v) - GAP - DESCENT * size, size))
            else:
                labels.append(_Label(f"value-{s}-{i}", text, cx, y_of(v) + GAP + ASCENT * size, size))
    return marks, labels


def _stacked(chart: Chart, left: float, slot: float, y_of, decimals: int) -> tuple[list[str], list[_Label]]:
    """One bar per category, the series stacked in order (negatives downwards from zero). A
    value is printed inside its segment when it fits, else beside the bar's right edge, moved
    apart from its neighbours, with a short line to the segment."""
    marks: list[str] = []
    labels: list[_Label] = []
    bw = slot * 0.5
    size = style.VALUE_SIZE
    for i in range(len(chart.categories)):
        x0 = left + slot * i + (slot - bw) / 2
        up = down = Decimal(0)
        beside: list[tuple[float, str, str, float]] = []  # (wanted y centre, id, text, segment y)
        for s, (_name, vs) in enumerate(chart.series):
            v = vs[i] if i < len(vs) else None
            if v is None:
                continue
            colour = style.series_colour(s)
            if v >= 0:
                start, up = up, up + v
                end = up
            else:
                start, down = down, down + v
                end = down
            y_start, y_end = y_of(start), y_of(end)
            marks.append(_bar(s, i, x0, y_end, bw, y_start, colour, v))
            if not chart.values:
                continue
            text = style.value_label(v, decimals)
            centre = (y_start + y_end) / 2
            fits = (
                style.text_width(text, size) <= bw - 4
                and abs(y_start - y_end) >= size * (ASCENT + DESCENT) + 2
            )
            if fits:
                base = centre + (ASCENT - DESCENT) / 2 * size
                labels.append(
                    _Label(f"value-{s}-{i}", text, x0 + bw / 2, base, size, fill=style.text_on(colour))
                )
            else:
                beside.append((centre, f"value-{s}-{i}", text, centre))
        labels.extend(_beside(marks, beside, x0 + bw, max(y_of(Decimal(0)), y_of(down)), size))
    return marks, labels


def _beside(
    marks: list[str], wanted: list[tuple[float, str, str, float]], x: float, floor: float, size: float
) -> list[_Label]:
    """Labels at the right of a bar near their segments' centres (none lower than ``floor``),
    none overlapping the next."""
    h = (ASCENT + DESCENT) * size + 1
    wanted = sorted(wanted)
    placed: list[float] = []  # centres, top down
    for centre, *_rest in wanted:
        placed.append(max(centre, placed[-1] + h) if placed else centre)
    for k in range(len(placed) - 1, -1, -1):  # pushed up again where they ran below the bar
        placed[k] = min(placed[k], placed[k + 1] - h if k + 1 < len(placed) else floor - h / 2)
    labels = []
    for (_centre, id_, text, segment), y in zip(wanted, placed, strict=True):
        leader = f'x1="{x:.1f}" x2="{x + 4:.1f}" y1="{segment:.1f}" y2="{y:.1f}"'
        marks.append(f'<line class="leader" {leader} stroke="{style.MUTED}"/>')
        labels.append(_Label(id_, text, x + 5, y + (ASCENT - DESCENT) / 2 * size, size, "start"))
    return labels


def _lines(chart: Chart, left: float, slot: float, y_of, decimals: int) -> tuple[list[str], list[_Label]]:
    """Lines through the categories' centres, broken where a value is missing; every point
    has a marker (a lone point is seen), the first series drawn last, on top. In a cumulative
    chart the first series is the utfall, its latest value printed at it, the second the
    budget, dashed and grey, without markers."""
    marks: list[str] = []
    labels: list[_Label] = []
    taken: list[Box] = []
    cumulative = chart.kind == "cumulative"
    for s in reversed(range(len(chart.series))):  # the first series (the utfall) on top
        _name, vs = chart.series[s]
        colour, dash, markers = _line_style(chart, s)
        runs: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(vs[: len(chart.categories)]):
            if v is None:
                runs.append([])
                continue
            runs[-1].append((left + slot * (i + 0.5), y_of(v)))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for j, run in enumerate(r for r in runs if len(r) > 1):
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            for (x0, y0), (x1, y1) in pairwise(run):  # no value label on a line
                steps = max(1, int(max(abs(x1 - x0), abs(y1 - y0)) // 3))
                for k in range(steps + 1):
                    x, y = x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps
                    taken.append(Box(x - 1.5, y - 1.5, 3, 3))
            marks.append(
                f'<polyline id="line-{s}-{j}" class="line" points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        for i, v in enumerate(vs[: len(chart.categories)]):
            if v is None:
                continue
            cx, cy = left + slot * (i + 0.5), y_of(v)
            alone = (i == 0 or vs[i - 1] is None) and (i + 1 >= len(vs) or vs[i + 1] is None)
            if markers or alone:
                marks.append(
                    f'<circle id="point-{s}-{i}" class="point" cx="{cx:.1f}" cy="{cy:.1f}" r="4" '
                    f'fill="{colour}" stroke="white" stroke-width="1" data-value="{v}"/>'
                )
                taken.append(Box(cx - 4, cy - 4, 8, 8))
    shown = [(s, i) for s in range(len(chart.series)) for i in range(len(chart.categories))]
    if cumulative and not chart.values:  # the utfall so far is always labelled
        actual = chart.series[0][1][: len(chart.categories)] if chart.series else []
        shown = [(0, i) for i, v in enumerate(actual) if v is not None][-1:]
    if chart.values or cumulative:
        for s, i in shown:
            v = chart.series[s][1][i] if i < len(chart.series[s][1]) else None
            if v is None:
                continue
            label = _point_label(s, i, v, left + slot * (i + 0.5), y_of(v), decimals, taken)
            if label is not None:
                labels.append(label)
                taken.append(label.box())
    return marks, labels


def _line_style(chart: Chart, s: int) -> tuple[str, str, bool]:
    """(colour, dash pattern, markers) of line series ``s``."""
    if chart.kind == "cumulative" and s == 0:
        return style.ACTUAL, "", True
    if chart.kind == "cumulative" and s == 1:
        return style.BUDGET, "6 4", False
    return style.series_colour(s), style.DASHES[s % len(style.DASHES)], True


def _point_label(
    s: int, i: int, v: Decimal, cx: float, cy: float, decimals: int, taken: list[Box]
) -> _Label | None:
    """A point's value above it, else below it; none where both would touch another label."""
    size = style.VALUE_SIZE
    text = style.value_label(v, decimals)
    for base in (cy - 6 - DESCENT * size, cy + 6 + ASCENT * size):
        label = _Label(f"value-{s}-{i}", text, cx, base, size)
        if not any(label.box().overlaps(b) for b in taken):
            return label
    return None


def _category_labels(chart: Chart, p: list[str], left: float, slot: float, plot_bottom: float) -> float:
    """Category labels centred under their slots (kept on the canvas): on one line, else
    wrapped to two, else every k-th, k the smallest for which no label touches the next;
    returns the y below them."""
    size = style.LABEL_SIZE
    lh = style.line_height(size)
    room = slot - 4
    lines = [[c] for c in chart.categories]
    if any(style.text_width(c, size) > room for c in chart.categories):
        wrapped = [style.wrap(c, room, size) for c in chart.categories]
        if all(len(w) <= 2 and all(style.text_width(t, size) <= room for t in w) for w in wrapped):
            lines = wrapped
    widths = [max(style.text_width(t, size) for t in ls) for ls in lines]

    def placed(every: int) -> list[tuple[int, float]] | None:
        """(category, centre) of every k-th label, or None where two would touch."""
        out: list[tuple[int, float]] = []
        right = -1e9
        for i in range(0, len(lines), every):
            half = widths[i] / 2
            cx = min(max(left + slot * (i + 0.5), PAD + half), WIDTH - PAD - half)
            if cx - half < right + 4:
                return None
            out.append((i, cx))
            right = cx + half
        return out

    every = 1
    while (positions := placed(every)) is None:
        every += 1
    rows = max((len(ls) for ls in lines), default=1)
    for i, cx in positions:
        texts = "".join(
            _Label(
                f"xlabel-{i}-{k}",
                t,
                cx,
                plot_bottom + 8 + (k + 1) * lh - DESCENT * size,
                size,
                "middle",
                style.MUTED,
            ).svg("xlabel")
            for k, t in enumerate(lines[i])
        )  # a text per line: Qt's SVG (print preview) places no tspan
        p.append(f'<g id="xlabel-{i}">{texts}</g>')
    return plot_bottom + 8 + rows * lh


def _legend(chart: Chart, p: list[str], top: float) -> float:
    """The series' names below the plot, in rows as wide as the canvas; returns the y below."""
    if not chart.series:
        return top
    size = style.LABEL_SIZE
    lh = style.line_height(size)
    lines_kind = chart.kind in ("line", "cumulative")
    swatch = 24.0 if lines_kind else 12.0
    items = [
        (s, name, swatch + 5 + style.text_width(name, size)) for s, (name, _vs) in enumerate(chart.series)
    ]
    rows: list[list[tuple[int, str, float]]] = [[]]
    usable = WIDTH - 2 * PAD
    for item in items:
        width = sum(w for *_x, w in rows[-1]) + 16 * len(rows[-1]) + item[2]
        if rows[-1] and width > usable:
            rows.append([])
        rows[-1].append(item)
    parts = ['<g id="legend" class="legend">']
    y = top
    for row in rows:
        total = sum(w for *_x, w in row) + 16 * (len(row) - 1)
        x = (WIDTH - total) / 2
        mid = y + lh / 2
        for s, name, w in row:
            if lines_kind:
                colour, dash, markers = _line_style(chart, s)
                dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
                parts.append(
                    f'<line x1="{x:.1f}" x2="{x + swatch:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
                    f'stroke="{colour}" stroke-width="2.5"{dash_attr}/>'
                )
                if markers:
                    parts.append(
                        f'<circle cx="{x + swatch / 2:.1f}" cy="{mid:.1f}" r="3.5" fill="{colour}"/>'
                    )
            else:
                colour = style.series_colour(s)
                parts.append(f'<rect x="{x:.1f}" y="{mid - 5:.1f}" width="12" height="10" fill="{colour}"/>')
            base = mid + (ASCENT - DESCENT) / 2 * size
            parts.append(
                f'<text x="{x + swatch + 5:.1f}" y="{base:.1f}" font-size="{size:g}" fill="{style.TEXT}">'
                f"{html.escape(name)}</text>"
            )
            x += w + 16
        y += lh
    parts.append("</g>")
    p.extend(parts)
    return y
