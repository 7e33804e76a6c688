"""What an Excel number format shows of a number: how many decimals, and whether as a percentage.

A number cell is imported as Excel shows it (docs/imports.md, "Amounts"): 0,125 formatted
``0.00`` is read as 0,13, 1234,5 formatted ``#,##0`` as 1235, −2,5 formatted ``0`` as −3, and
0,125 formatted ``0.0%`` as 12,5 %. The format is parsed as Excel does: sections separated by
``;`` outside quotes and brackets (positive; negative; zero; text), the section that applies to
the value's sign; literal text in ``"…"`` or after ``\\``, padding ``_x`` and fill ``*x``,
brackets (``[Red]``, ``[$-41D]``, ``[$kr-41D]``) skipped; ``,`` between digit placeholders is
the thousands separator and each ``,`` after the last one divides by 1 000; each ``%`` shows
the value ×100. Not rounded (read at full precision, as ``General``): ``General``, a text
section (``@``), scientific formats (``E+``), date and time formats, and formats with
conditions (``[>100]``), whose section depends on more than the sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.i18n import _

_DIGITS = "0#?"
_DATE_LETTERS = "yYmMdDhHsS"


@dataclass(frozen=True, slots=True)
class Shown:
    """``decimals``: the decimals of the cell's value that the format shows (None: all of
    them); ``percent``: the format shows the value as a percentage (×100)."""

    decimals: int | None
    percent: bool = False


FULL = Shown(None)


def _sections(fmt: str) -> list[str]:
    """``fmt`` split at each ``;`` that is not quoted, escaped or in brackets."""
    out, current, i = [], [], 0
    while i < len(fmt):
        ch = fmt[i]
        if ch == '"':
            end = fmt.find('"', i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i : end + 1])
            i = end + 1
            continue
        if ch in "\\_*" and i + 1 < len(fmt):
            current.append(fmt[i : i + 2])
            i += 2
            continue
        if ch == "[":
            end = fmt.find("]", i + 1)
            end = len(fmt) - 1 if end < 0 else end
            current.append(fmt[i : end + 1])
            i = end + 1
            continue
        if ch == ";":
            out.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    out.append("".join(current))
    return out


def _pattern(section: str) -> tuple[str, bool]:
    """The section's own format characters (literals, padding and brackets removed), and
    whether it has a condition in brackets."""
    chars, condition, i = [], False, 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            i = len(section) if end < 0 else end + 1
        elif ch in "\\_*":
            i += 2
        elif ch == "[":
            end = section.find("]", i + 1)
            inner = section[i + 1 : end if end >= 0 else len(section)]
            condition = condition or inner[:1] in "<>="
            i = len(section) if end < 0 else end + 1
        else:
            chars.append(ch)
            i += 1
    return "".join(chars), condition


def shown(number_format: str | None, value: Decimal) -> Shown:
    """What ``number_format`` shows of ``value`` (see the module's docstring)."""
    fmt = (number_format or "").strip()
    if not fmt or fmt.lower() == "general":
        return FULL
    sections = _sections(fmt)
    parsed = [_pattern(s) for s in sections]
    if any(condition for _p, condition in parsed):
        return FULL
    if value < 0 and len(parsed) >= 2:
        pattern = parsed[1][0]
    elif value == 0 and len(parsed) >= 3:
        pattern = parsed[2][0]
    else:
        pattern = parsed[0][0]
    if not pattern or "@" in pattern or "general" in pattern.lower():
        return FULL
    if "E" in pattern.upper() or any(ch in pattern for ch in _DATE_LETTERS):
        return FULL
    if not any(ch in pattern for ch in _DIGITS):
        return FULL  # the section shows no digits (a text such as "–" for zero): nothing to round
    last = max(pattern.rfind(ch) for ch in _DIGITS)
    point = pattern.find(".")
    decimals = sum(ch in _DIGITS for ch in pattern[point + 1 : last + 1]) if 0 <= point < last else 0
    tail = pattern[last + 1 :]
    scaling = len(tail) - len(tail.lstrip(",")) if "." not in tail else 0
    percents = pattern.count("%")
    return Shown(decimals + 2 * percents - 3 * scaling, percents > 0)


def percent_refusal(shown: str, measure: str, unit: str) -> str:
    """The one message for a value in per cent (a text ``12 %`` or a cell formatted as a
    percentage) where the measure is not in %."""
    return _(
        "värdet är i procent ({v}), men {m} mäts i {u}, inte i %; ange talet utan procent "
        "(i Excel: ändra cellens talformat)."
    ).format(v=shown, m=measure, u=unit)
