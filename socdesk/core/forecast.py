"""Suggested helårsprognos: what the year comes to if things go on as they have (run-rate), or
if the rest of the year follows the budget. Suggestions only: the user decides the prognos."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.numbers import round_half_up

TKR = Decimal(1000)


def run_rate(actual_ytd: Decimal, months: int) -> Decimal:
    """Utfall so far, extrapolated to December at the same pace."""
    if not 1 <= months <= 12:
        raise ValueError(months)
    return actual_ytd * 12 / months


def with_remaining_budget(actual_ytd: Decimal, budget_ytd: Decimal, annual_budget: Decimal) -> Decimal:
    """Utfall so far plus what the budget has for the rest of the year."""
    return actual_ytd + (annual_budget - budget_ytd)


def rounded(amount: Decimal) -> Decimal:
    """Rounded to whole tkr (a prognos has no false precision), half away from zero."""
    return round_half_up(amount / TKR) * TKR
