"""A stated value: a number with the resolution it was printed at, or a status.

A status is never a number: ``*`` (suppressed in the source), ``.`` (cannot be computed),
``-`` (no data). An empty cell is "no data" too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _
from socdesk.core.numbers import NBSP, Scale, check_bound, format_exact, parse_number, round_half_up

STORE_DECIMALS = 4


class Status(StrEnum):
    VALUE = "value"
    SUPPRESSED = "*"
    NOT_COMPUTABLE = "."
    NO_DATA = "-"

    @property
    def description(self) -> str:
        return {
            Status.VALUE: _("värde"),
            Status.SUPPRESSED: _("undertryckt i källan (*)"),
            Status.NOT_COMPUTABLE: _("kan inte beräknas (.)"),
            Status.NO_DATA: _("uppgift saknas (-)"),
        }[self]


_STATUS_TEXT = {"*": Status.SUPPRESSED, ".": Status.NOT_COMPUTABLE, "-": Status.NO_DATA}


@dataclass(frozen=True, slots=True)
class Value:
    number: Decimal | None
    status: Status = Status.VALUE
    resolution: Decimal | None = None  # the unit of the last stated digit, in kr (or base unit)

    @classmethod
    def of(cls, number: Decimal | int | str, resolution: Decimal | int | str | None = None) -> Value:
        """A stated figure; beyond the bound (``check_bound``) a ``ParseError``."""
        n = check_bound(Decimal(number))
        res = Decimal(resolution) if resolution is not None else resolution_of(n)
        return cls(n, Status.VALUE, res)

    @classmethod
    def status_only(cls, status: Status) -> Value:
        return cls(None, status, None)

    @property
    def is_number(self) -> bool:
        return self.status is Status.VALUE and self.number is not None

    @property
    def half_width(self) -> Decimal:
        """Half the resolution: how far the exact figure may lie from the stated one."""
        return (self.resolution or Decimal(0)) / 2

    def __str__(self) -> str:
        return str(self.number) if self.is_number else self.status.value


def resolution_of(number: Decimal) -> Decimal:
    exp = number.as_tuple().exponent
    assert isinstance(exp, int)
    return Decimal(1).scaleb(min(exp, 0))


def parse_value(text: str | None, scale: Scale = Scale.KR) -> Value:
    """Parse a cell: a Swedish number (multiplied by ``scale``) or one of ``* . -`` or empty."""
    t = (text or "").strip()
    if t == "":
        return Value.status_only(Status.NO_DATA)
    if t in _STATUS_TEXT:
        return Value.status_only(_STATUS_TEXT[t])
    number = parse_number(t)
    value = exact_amount(number, t, scale)
    resolution = resolution_of(number) * scale.factor
    return Value(value.normalize() if value == value.to_integral() else value, Status.VALUE, resolution)


def exact_amount(number: Decimal, text: str, scale: Scale = Scale.KR) -> Decimal:
    """``number`` (as ``text`` states it, in ``scale``) in kronor or the base unit: within the
    bound, and with no more decimals than the store keeps (``1,00000001`` is refused, never
    silently 1; ``1,00000`` is 1)."""
    value = check_bound(number * scale.factor, text, scale)
    if value != round_half_up(value, STORE_DECIMALS):
        raise ParseError(
            _("”{t}” har fler än {n} decimaler i kronor (eller basenheten).").format(
                t=clip(text), n=STORE_DECIMALS
            )
        )
    return value


def amount_e4(text: str) -> int:
    """An amount cell (``parse_number``'s grammar, in kronor) as the store's ten-thousandths;
    a ``ParseError`` says why not. The ledger's row-by-row path reads every amount with it."""
    return to_store_int(exact_amount(parse_number(text), text))


def from_binary(number: int | float | Decimal, decimals: int | None = None) -> Decimal:
    """A number an XLSX cell holds (already a number, not text): the float's shortest repr
    (what Excel and LibreOffice show at full precision: 0.1, not 0.1000000000000000055…) as a
    ``Decimal``; rounded half up (``round_half_up``) to ``decimals`` when the cell's number
    format shows that many (a cell 0,125 formatted 0,00 is shown and read as 0,13), and to the
    store's resolution when it has more decimals than that (0.1 + 0.2 is 0,3000)."""
    d = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    if not d.is_finite():
        return d  # the readers refuse it as no finite number
    if decimals is not None:
        d = round_half_up(d, decimals)
    exponent = d.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -STORE_DECIMALS:
        d = round_half_up(d, STORE_DECIMALS)
    return d


def format_stated(value: Value, unit: str = "") -> str:
    """A stated value for a message: all its decimals, in Swedish format (``format_number``),
    with its unit of measure (``1 000 000 kr``, ``12,5 %``); a status as its mark."""
    if not value.is_number:
        return value.status.value
    text = format_exact(value.number)
    return f"{text}{NBSP}{unit}" if unit else text


def to_store_int(number: Decimal) -> int:
    """Exact fixed-point integer (ten-thousandths) for SQLite; never beyond the bound."""
    scaled = check_bound(number).scaleb(STORE_DECIMALS)
    if scaled != scaled.to_integral_value():
        raise ParseError(
            _("{n} har för många decimaler för att lagras exakt.").format(n=format_exact(number))
        )
    return int(scaled)


def from_store_int(value: int) -> Decimal:
    return Decimal(value).scaleb(-STORE_DECIMALS).normalize() if value else Decimal(0)
