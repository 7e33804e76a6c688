"""Cell texts in Swedish format, and the tab-separated text Excel (sv-SE) pastes as numbers."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.numbers import Scale, format_number, round_half_up

DASH = "–"


def money(value: Decimal | None, scale: Scale) -> str:
    if value is None:
        return DASH
    return format_number(value, 1 if scale is Scale.MNKR else 0, scale)


def percent(value: Decimal | None) -> str:
    return DASH if value is None else format_number(value, 1, percent=True)


def excel_number(value: Decimal | None, scale: Scale, decimals: int) -> str:
    """``-2006`` / ``1234,5``: no thousands separator, decimal comma, ASCII minus."""
    if value is None:
        return ""
    v = round_half_up(value / scale.factor, decimals)
    return f"{v:f}".replace(".", ",")
