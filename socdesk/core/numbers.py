"""Swedish numbers: exact parsing and formatting with a display scale.

Amounts are ``Decimal`` throughout socdesk; binary floats never hold a stated amount or a sum.

The one grammar of a number as a person or a program writes it (``AMOUNT``; docs/imports.md
has the table). Accepted: ``1 234,5`` (space, no-break space, thin space or narrow no-break
space between groups of three digits), ``−2 006`` (Unicode minus, hyphen-minus or en dash),
``+12``, ``1234.50`` (a point as decimal sign, as accounting exports write it, unless it is
followed by exactly three digits), ``,5``, ``(1 234)`` (accounting negative), ``12 %`` and
``801 053 kr``. Refused with a reason: ``1e5`` (exponents), ``12 34,5`` (groups of other than
three digits), ``1.234`` (thousands or decimals?), ``1,234,5``, ``1.234,5``, ``(−5)``,
anything longer than ``MAX_NUMBER_TEXT`` characters, and numbers beyond the one bound every
stored figure keeps (``check_bound``).

``parse_number`` applies the grammar to one text. The ledger's fast path applies the same
compiled pattern to a whole column: a cell's *shape* (``shape_of``: every digit made 9) decides
whether the grammar takes it, since the pattern only ever asks whether a character is a digit,
so each distinct shape is matched once and ``digit_layout`` says where its digits are; the
digits themselves are then read as integers (``socdesk.io.tables``). Both go through
``check_bound``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _

MINUS = "−"  # U+2212, what the UI prints
NBSP = "\u00a0"  # Excel's Swedish thousands separator
SPACES = " \u00a0\u2009\u202f"  # space, no-break space, thin space, narrow no-break space
NEGATIVE_SIGNS = "-−–"  # hyphen-minus, minus sign, en dash (Word turns minus into en dash)
# The one bound on a stated figure (kronor or the measure's base unit), enforced by
# ``check_bound``, which every reader, the entry form and the store's ``to_store_int`` call.
# The store keeps ten-thousandths in a signed 64-bit integer (max 9 223 372 036 854 775 807):
# 10**12 kr is 10**16 ten-thousandths, so 922 figures at the bound still sum in one rollup
# cell, and figures of a real socialnämnd (below 10**10 kr) more than 90 000 times over. A sum
# that still overflows is refused by the store (``SumOverflowError``), never wrapped.
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_NUMBER_TEXT = 60  # characters (leading and trailing white space aside): no real figure is longer

_SPACE = f"[{SPACES}]"
_NEGATIVE = re.escape(NEGATIVE_SIGNS)  # in a character class
# The grammar. Only [0-9] are digits (not every Unicode digit), and nothing in it depends on
# which digit stands where: ``shape_of`` relies on that.
AMOUNT = re.compile(
    r"\s*"
    rf"(?P<open>\({_SPACE}*)?"  # (1 234): an accounting negative, no sign inside
    rf"(?(open)|(?:(?P<sign>[+{_NEGATIVE}]){_SPACE}*)?)"
    r"(?=[.,]?[0-9])"  # a digit first, or a decimal sign and a digit
    r"(?![0-9]*\.[0-9]{3}(?![0-9]))"  # 1.234: thousands or decimals? refused
    rf"(?P<whole>[0-9]{{1,3}}(?:{_SPACE}+[0-9]{{3}})+|[0-9]*)"  # 1 234 567 or 1234567
    r"(?:[.,](?P<frac>[0-9]*))?"  # 1 234,5 or 1234.50
    rf"(?:{_SPACE}*(?:%|[kK][rR]))?"  # 12 % (the value is in percent) or 801 053 kr
    rf"(?(open){_SPACE}*\))"
    r"\s*"
)
_NINES = str.maketrans("0123456789", "9999999999")


class Scale(Enum):
    KR = ("kr", Decimal(1))
    TKR = ("tkr", Decimal(1000))
    MNKR = ("mnkr", Decimal(1_000_000))

    def __init__(self, label: str, factor: Decimal) -> None:
        self.label = label
        self.factor = factor

    @classmethod
    def parse(cls, text: str) -> Scale:
        t = (text or "").strip().lower()
        if t in ("", "kr", "kronor"):
            return cls.KR
        if t in ("tkr", "tusen kronor"):
            return cls.TKR
        if t in ("mnkr", "mkr", "miljoner kronor"):
            return cls.MNKR
        raise ParseError(_("Okänd skala ”{t}”: använd kr, tkr eller mnkr.").format(t=clip(text)))


def check_bound(number: Decimal, text: str | None = None, scale: Scale | None = None) -> Decimal:
    """``number`` if it is finite and below ``MAX_MAGNITUDE`` in size, else a ``ParseError``
    (``text``: what was written, ``scale``: the skala it was written in, for the message)."""
    if number.is_finite() and abs(number) < MAX_MAGNITUDE:
        return number
    shown = clip(text if text is not None else number)
    if scale is not None and scale is not Scale.KR:
        shown = f"{shown} {scale.label}"
    if not number.is_finite():
        raise ParseError(_("”{t}” är inget ändligt tal.").format(t=shown))
    raise ParseError(
        _(
            "”{t}” är för stort: socdesk tar tal under 1 000 000 000 000 (tusen miljarder kr eller enheter)."
        ).format(t=shown)
    )


def bound_scaled(places: int) -> int:
    """``MAX_MAGNITUDE`` × 10**places, read when called: the prefilter of a vectorised path,
    whose rows at or over it are judged (and their messages written) by ``check_bound``."""
    return int(MAX_MAGNITUDE.scaleb(places))


def parse_number(text: str) -> Decimal:
    """Parse a Swedish number exactly (the grammar ``AMOUNT``). A trailing ``%`` or ``kr`` is
    dropped (a percentage is returned in percent)."""
    if len(text.strip()) > MAX_NUMBER_TEXT:
        raise ParseError(_("”{t}” är för långt för att vara ett tal.").format(t=clip(text)))
    m = AMOUNT.fullmatch(text)
    if m is None:
        raise _refusal(text)
    whole = re.sub(_SPACE, "", m["whole"]) or "0"
    value = check_bound(Decimal(f"{whole}.{m['frac']}" if m["frac"] else whole), clip(text))
    return -value if _negative(m) else value


def _negative(m: re.Match[str]) -> bool:
    return m["open"] is not None or (m["sign"] is not None and m["sign"] in NEGATIVE_SIGNS)


def _refusal(text: str) -> ParseError:
    """Why the grammar does not take ``text`` (only the message: ``AMOUNT`` decides)."""
    original = clip(text)
    t = re.sub(f"{_SPACE}+", " ", text.strip())
    if not t:
        return ParseError(_("Talet saknas."))
    if re.search(r"[0-9.,][eE]|[eE][-+]?[0-9]", t):
        return ParseError(_("”{t}”: tal med exponent (e) godtas inte.").format(t=original))
    commas, points = t.count(","), t.count(".")
    if commas > 1:
        return ParseError(_("”{t}” har flera decimalkomman; skriv t.ex. 1 234,5.").format(t=original))
    if points > 1 or (points and commas):
        return ParseError(
            _("”{t}” är tvetydigt: punkt och komma kan inte båda vara decimaltecken.").format(t=original)
        )
    if re.search(r"(?<![0-9 ])[0-9]*\.[0-9]{3}(?![0-9])", t):
        return ParseError(
            _(
                "”{t}” är tvetydigt: är punkten tusentalsavgränsare eller decimaltecken? "
                "Skriv 1 234 eller 1,234."
            ).format(t=original)
        )
    if re.match(rf"\( ?[+{_NEGATIVE}]", t):
        return ParseError(
            _("”{t}”: skriv ett negativt tal med minustecken eller inom parentes, inte båda.").format(
                t=original
            )
        )
    if re.search(r"[0-9] [0-9]", t):
        return ParseError(
            _("”{t}”: tusentalsgrupperna måste ha tre siffror (t.ex. 1 234 567).").format(t=original)
        )
    return ParseError(_("”{t}” är inget tal.").format(t=original))


# --- the same grammar over a whole column ---------------------------------------------------
NINES = bytes.maketrans(b"0123456789", b"9999999999")  # shape_of on UTF-8 bytes (digits are ASCII)


def shape_of(text: str) -> str:
    """``text`` with every digit 0–9 made 9: ``AMOUNT`` takes a text exactly when it takes its shape."""
    return text.translate(_NINES)


@dataclass(frozen=True, slots=True)
class DigitLayout:
    """Where the digits are in every text of one shape that the grammar takes."""

    negative: bool
    whole: tuple[int, ...]  # offsets (characters) of the integer digits, most significant first
    frac: tuple[int, ...]  # offsets of the decimals, in order


def digit_layout(shape: str) -> DigitLayout | None:
    """The layout of a shape (``shape_of``) the grammar takes; None if ``parse_number`` refuses
    every text of that shape (it says why)."""
    if len(shape.strip()) > MAX_NUMBER_TEXT:
        return None
    m = AMOUNT.fullmatch(shape)
    if m is None:
        return None
    start, end = m.span("whole")
    whole = tuple(i for i in range(start, end) if shape[i] == "9")
    frac = tuple(range(*m.span("frac"))) if m["frac"] else ()
    return DigitLayout(_negative(m), whole, frac)


def round_half_up(value: Decimal, decimals: int = 0) -> Decimal:
    """The one rounding rule: to ``decimals`` places, halves away from zero (as Excel and
    Swedish reports round: 0,125 → 0,13, −2,5 → −3). Every rounding in socdesk calls this."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_number(
    value: Decimal | int,
    decimals: int = 0,
    scale: Scale = Scale.KR,
    *,
    percent: bool = False,
    plus: bool = False,
) -> str:
    """Format for display: ``1 234,5``, ``−2 006``, ``12 %``. ``value`` is in kronor for money."""
    v = Decimal(value) / scale.factor
    v = round_half_up(v, decimals)
    if v == 0:
        v = abs(v)  # never print −0
    sign = MINUS if v < 0 else ("+" if plus and v > 0 else "")
    whole, _sep, frac = f"{abs(v):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + NBSP.join(groups)
    if decimals > 0:
        text += "," + frac
    if percent:
        text += NBSP + "%"
    return text


def format_kr(value: Decimal | int) -> str:
    """A sum in a summary, exactly: ``1 500 kr``, ``−12 345 678 kr``, ``1 500,50 kr``.

    Never rounded to tkr, so no figure a controller checks against the file is hidden: whole
    kronor without decimals, otherwise öre (or the ten-thousandths the store keeps)."""
    v = Decimal(value)
    decimals = next((d for d in (0, 2, 4) if v == round(v, d)), 4)
    return format_number(v, decimals) + NBSP + "kr"
