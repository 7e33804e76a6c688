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
