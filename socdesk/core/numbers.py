"""Swedish numbers: exact parsing and formatting with a display scale.

Amounts are ``Decimal`` throughout socdesk; binary floats never hold a stored amount or a sum.
Accepted input: ``1 234,5`` (space, no-break space, thin space or narrow no-break space as
thousands separator), ``−2 006`` (Unicode minus), ``-2006``, ``+12``, ``12 %``, ``(1 234)``
(accounting negative), ``801 053 kr`` and a plain ``1234.50`` when it cannot be misread.
Rejected with a reason: ``1,234,5``, ``12.3.4``, ``1.234`` (thousands or decimals?), exponents,
and numbers beyond the one bound every stored figure keeps (``check_bound``).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from socdesk.core.errors import ParseError, clip
from socdesk.core.i18n import _

MINUS = "−"  # U+2212, what the UI prints
NBSP = "\u00a0"  # Excel's Swedish thousands separator
_SPACES = " \u00a0\u2009\u202f"
_MINUSES = "-−–"  # hyphen-minus, minus sign, en dash (Word turns minus into en dash)
# The one bound on a stated figure (kronor or the measure's base unit), enforced by
# ``check_bound``, which every reader, the entry form and the store's ``to_store_int`` call.
# The store keeps ten-thousandths in a signed 64-bit integer (max 9 223 372 036 854 775 807):
# 10**12 kr is 10**16 ten-thousandths, so 922 figures at the bound still sum in one rollup
# cell, and figures of a real socialnämnd (below 10**10 kr) more than 90 000 times over. A sum
# that still overflows is refused by the store (``SumOverflowError``), never wrapped.
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_NUMBER_TEXT = 60  # characters: no real figure is written longer


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


_GROUPED = re.compile(r"^\d{1,3}(?: \d{3})+$")


def _integer_part(text: str, original: str) -> str:
    if " " in text:
        if not _GROUPED.match(text):
            raise ParseError(
                _("”{t}”: tusentalsgrupperna måste ha tre siffror (t.ex. 1 234 567).").format(t=original)
            )
        return text.replace(" ", "")
    if not text.isdigit():
        raise ParseError(_("”{t}” är inget tal.").format(t=original))
    return text


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


def parse_number(text: str) -> Decimal:
    """Parse a Swedish number exactly. A trailing ``%`` is dropped (the value is in percent)."""
    original = clip(text)
    if len(text.strip()) > MAX_NUMBER_TEXT:
        raise ParseError(_("”{t}” är för långt för att vara ett tal.").format(t=original))
    t = text.strip()
    for ch in _SPACES:
        t = t.replace(ch, " ")
    t = re.sub(r" +", " ", t)
    if not t:
        raise ParseError(_("Talet saknas."))
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1].strip()
    if t.lower().endswith("kr"):
        t = t[:-2].strip()
    if t.endswith("%"):
        t = t[:-1].strip()
    if t and t[0] in _MINUSES + "+":
        if t[0] in _MINUSES:
            negative = not negative
        t = t[1:].strip()
    if not t:
        raise ParseError(_("”{t}” är inget tal.").format(t=original))
    if "e" in t.lower():
        raise ParseError(_("”{t}”: tal med exponent (e) godtas inte.").format(t=original))
    commas, points = t.count(","), t.count(".")
    if commas > 1:
        raise ParseError(_("”{t}” har flera decimalkomman; skriv t.ex. 1 234,5.").format(t=original))
    if points > 1 or (points and commas):
        raise ParseError(
            _("”{t}” är tvetydigt: punkt och komma kan inte båda vara decimaltecken.").format(t=original)
        )
    if commas:
        whole, frac = t.split(",")
    elif points:
        whole, frac = t.split(".")
        if len(frac) == 3 and " " not in whole:
            raise ParseError(
                _(
                    "”{t}” är tvetydigt: är punkten tusentalsavgränsare eller decimaltecken? "
                    "Skriv 1 234 eller 1,234."
                ).format(t=original)
            )
    else:
        whole, frac = t, ""
    whole = whole.strip()
    if whole == "" and frac:
        whole = "0"
    digits = _integer_part(whole, original)
    if frac and not frac.isdigit():
        raise ParseError(_("”{t}” är inget tal.").format(t=original))
    value = check_bound(Decimal(f"{digits}.{frac}" if frac else digits), original)
    return -value if negative else value


def round_half_up(value: Decimal, decimals: int = 0) -> Decimal:
    """Round as Excel and Swedish reports do: halves away from zero."""
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
