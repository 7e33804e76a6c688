"""Cell texts in Swedish format, and the tab-separated text Excel (sv-SE) pastes as numbers."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.i18n import _
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


def saved_line(history: list[dict], empty: str) -> str:
    """Who saved a text kept as history (oldest first) last, when, and how many versions it has."""
    if not history:
        return empty
    last = history[-1]
    versions = _("1 version") if len(history) == 1 else _("{n} versioner").format(n=len(history))
    return _("Senast sparad av {who} {at} ({versions}).").format(
        who=last["author"], at=last["created_at"].replace("T", " ")[:16], versions=versions
    )
