"""Validating a figure as it is typed into an entry form (pure; used by the GUI grid)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.errors import ParseError
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale, format_number
from socdesk.core.values import Status, Value, parse_value

IMPLAUSIBLE_FACTOR = 5


@dataclass(frozen=True, slots=True)
class CellCheck:
    value: Value | None  # None: the text is not valid
    error: str = ""
    warning: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


def check_cell(
    text: str, measure: Measure, *, scale: Scale = Scale.TKR, history: list[Decimal] = ()
) -> CellCheck:
    """Money is typed in ``scale`` (tkr by default); counts must be whole and not negative.
    ``history`` (the unit's earlier months, in the unit typed) makes implausible values a
    warning, never an error."""
    t = text.strip()
    if t == "":
        return CellCheck(Value.status_only(Status.NO_DATA))
    try:
        value = parse_value(t, scale if measure.is_money else Scale.KR)
    except ParseError as err:
        return CellCheck(None, str(err))
    if not value.is_number:
        return CellCheck(value)
    n = value.number
    assert n is not None
    if measure.is_exact_count:
        if n < 0:
            return CellCheck(None, _("”{t}”: ett antal kan inte vara negativt.").format(t=t))
        if n != n.to_integral_value():
            return CellCheck(None, _("”{t}”: ett antal måste vara ett heltal.").format(t=t))
    warning = ""
    typed = n / scale.factor if measure.is_money else n  # history is in the unit typed (tkr for money)
    usual = [abs(h) for h in history if h]
    if usual:
        mean = sum(usual, Decimal(0)) / len(usual)
        if abs(typed) > IMPLAUSIBLE_FACTOR * mean:
            shown = format_number(mean, 0) + (f" {scale.label}" if measure.is_money else "")
            warning = _("Över {f} gånger enhetens vanliga månad ({m}). Stämmer det?").format(
                f=IMPLAUSIBLE_FACTOR, m=shown
            )
        signs = {h > 0 for h in history if h}
        if len(signs) == 1 and (typed > 0) not in signs and typed != 0:
            warning = (warning + " " if warning else "") + _("Motsatt tecken mot enhetens tidigare månader.")
    return CellCheck(value, "", warning)


def parse_block(text: str) -> list[list[str]]:
    """A block as Excel copies it: one line per row (``\\r\\n``, ``\\n`` or ``\\r``), cells
    separated by tabs, each cell's text stripped (numbers are checked cell by cell later)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
    return [[cell.strip() for cell in line.split("\t")] for line in lines]


def place_block(
    block: list[list[str]], row: int, rows: int, columns: list[int]
) -> tuple[dict[tuple[int, int], str], int]:
    """Where a pasted block lands from ``row`` on: the block's columns go to ``columns`` in
    order (the inputs from the current one), its rows to ``row`` … ``rows - 1``. Returns the
    cells as (row, column) → text and how many values fell outside."""
    changes: dict[tuple[int, int], str] = {}
    outside = 0
    for i, line in enumerate(block):
        for j, cell in enumerate(line):
            if row + i < rows and j < len(columns):
                changes[(row + i, columns[j])] = cell
            else:
                outside += 1
    return changes, outside


def block_text(rows: list[list[str]]) -> str:
    """Cells as Excel pastes them: tab-separated, one line per row."""
    return "\n".join("\t".join(row) for row in rows) + "\n"
