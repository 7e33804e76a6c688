"""One look for every chart: the report's SVG charts (``socdesk.reports.charts``) and the
workspace's pyqtgraph charts (``socdesk.gui.monthly_chart``) take their colours, fonts, axis
steps and Swedish tick labels from here. Pure Python (no Qt), so the CLI draws the same charts.

Text is measured with DejaVu Sans's advance widths (the font the reports name first; Arial,
the fallback on Windows, is narrower, so a layout measured here never overflows there)."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from socdesk.core.numbers import format_number

FONT_FAMILY = "DejaVu Sans"
FONT_STACK = "DejaVu Sans, Arial, sans-serif"  # as CSS/SVG name it
TITLE_SIZE = 13.0  # px in the SVG (points on the workspace)
LABEL_SIZE = 11.0  # axis ticks, categories, legend
VALUE_SIZE = 9.0  # the values printed on bars and points
MIN_VALUE_SIZE = 6.0
LINE_HEIGHT = 1.25  # × font size

TEXT = "#222222"
MUTED = "#444444"  # tick labels, the unit
GRID = "#dddddd"
AXIS = "#888888"  # the zero line

# The workspace's meanings, used by the cumulative chart too
ACTUAL = "#2166ac"  # utfall
PARTIAL = "#a6c4e2"  # a month whose utfall rests on units that have not all reported
BUDGET = "#7f7f7f"  # budget (grey, dashed in line charts)
PROJECTION = "#d6604d"  # the year-end projections
# Series in order (bars by placement form, lines): distinguishable in grey print and by the
# colour blind (dark/light alternate), first the workspace's utfall blue.
SERIES = ("#2166ac", "#e08214", "#1b7837", "#b2abd2", "#8c510a", "#80cdc1", "#762a83", "#bababa")
DASHES = ("", "6 4", "2 3", "8 3 2 3")  # line series after the first are told apart by dash too


def series_colour(i: int) -> str:
    return SERIES[i % len(SERIES)]


def rgb(colour: str) -> tuple[int, int, int]:
    """``"#2166ac"`` → ``(33, 102, 172)`` (pyqtgraph takes tuples)."""
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def text_on(colour: str) -> str:
    """White or black text, whichever reads on a fill of ``colour``."""
    r, g, b = rgb(colour)
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 150 else "#000000"


# DejaVu Sans advance widths in 1/1000 em (book and bold), measured once with Qt's font metrics
_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "ÅÄÖåäöÉéÜü–−\u00a0%"
_BOOK = (
    "318 401 460 838 636 950 780 275 390 390 500 838 318 361 318 337 636 636 636 636 636 636 636 636 636 "
    "636 337 337 838 838 838 531 1000 684 686 698 770 632 575 775 752 295 295 656 557 863 748 787 603 787 "
    "695 635 611 732 684 989 685 611 685 390 337 390 838 500 500 613 635 550 635 615 352 635 634 278 278 "
    "579 278 974 634 612 635 635 411 521 392 634 592 818 592 592 525 636 337 636 838 684 684 787 613 613 "
    "612 632 615 732 634 500 838 318 950"
)
_BOLD = (
    "348 456 521 838 696 1002 872 306 457 457 523 838 380 415 380 365 696 696 696 696 696 696 696 696 696 "
    "696 400 400 838 838 838 580 1000 774 762 734 830 683 683 821 837 372 372 775 637 995 837 850 733 850 "
    "770 720 682 812 774 1103 771 724 725 457 365 457 838 500 500 675 716 593 716 678 435 716 712 343 343 "
    "665 343 1042 712 687 716 716 493 595 478 712 652 924 645 652 582 712 365 712 838 774 774 850 675 675 "
    "687 683 678 812 712 500 838 348 1002"
)
_WIDTHS = {
    False: dict(zip(_CHARS, map(int, _BOOK.split()), strict=True)),
    True: dict(zip(_CHARS, map(int, _BOLD.split()), strict=True)),
}
_WIDE = 1000  # a character not in the table is taken as wide as an M or wider


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of ``text`` set in DejaVu Sans at ``size`` px."""
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, _WIDE) for ch in text) * size / 1000


def line_height(size: float) -> float:
    return size * LINE_HEIGHT


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width`` (a word longer than that
    stands alone on its line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


# --- axes --------------------------------------------------------------------------------------
def nice_step(raw: Decimal) -> Decimal:
    """The step of 1, 2 or 5 × 10ⁿ at or above ``raw``."""
    if raw <= 0:
        return Decimal(1)
    exponent = raw.adjusted()
    base = Decimal(1).scaleb(exponent)
    for f in (1, 2, 5, 10):
        if raw <= f * base:
            return (f * base).normalize()
    return (10 * base).normalize()


def axis_range(low: Decimal, high: Decimal, ticks: int = 5) -> tuple[Decimal, Decimal, Decimal]:
    """(bottom, top, step) of a value axis that starts at zero (or goes through it when there
    are negative values) and covers ``low``–``high`` in about ``ticks`` steps of 1, 2, 5 × 10ⁿ."""
    low, high = min(Decimal(0), low), max(Decimal(0), high)
    if high == low:
        high = low + 1
    step = nice_step((high - low) / ticks)
    top = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    bottom = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return bottom, top, step


def step_decimals(step: Decimal) -> int:
    """Decimals a tick label needs at this step (0 for 1, 10, 500; 1 for 0,5; 2 for 0,05)."""
    exponent = step.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def tick_label(value: Decimal, step: Decimal) -> str:
    """A tick as a Swedish number: ``1 234``, ``−2 006``, ``0,5``."""
    return format_number(value, step_decimals(step))


def tick_label_float(value: float, spacing: float) -> str:
    """The same for pyqtgraph's float ticks (drawing only: no stored figure passes here)."""
    step = nice_step(Decimal(repr(abs(spacing)))) if spacing else Decimal(1)
    decimals = step_decimals(step)
    return format_number(Decimal(repr(round(value, decimals))), decimals)


def value_decimals(values: list[Decimal]) -> int:
    """Decimals of the values printed on a chart: as stated (``10,1``), at most two, one
    from 10 up and none from 10 000 up (a computed 123,456… is shown 123,5)."""
    stated = 0
    for v in values:
        exponent = v.normalize().as_tuple().exponent
        if isinstance(exponent, int):
            stated = max(stated, -exponent)
    biggest = max((abs(v) for v in values), default=Decimal(0))
    cap = 0 if biggest >= 10000 else 1 if biggest >= 10 else 2
    return min(stated, cap)


def value_label(value: Decimal, decimals: int) -> str:
    return format_number(value, decimals)
