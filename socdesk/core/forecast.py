"""Suggested helårsprognos: what the year comes to if things go on as they have (run-rate), or
if the rest of the year follows the budget. Suggestions only: the user decides the prognos."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.numbers import round_half_up

TKR = Decimal(1000)


def run_rate(
    actual_ytd: Decimal,
    months: int,
    *,
    budget_ytd: Decimal | None = None,
    annual_budget: Decimal | None = None,
) -> Decimal | None:
    """Utfall so far, extrapolated to December at the same pace.

    With the periodised budget (``budget_ytd``, the budget for the same months by its stated
    pieces, profile or reconstruction, and ``annual_budget``) the pace is the budget's own:
    årsbudget × utfall ÷ budget so far, so a unit spending as its jan–apr budget says runs to
    its årsbudget, however unevenly the budget is spread. Where that budget so far is zero or
    on the other side of zero than the årsbudget there is no pace to keep (``None``). Without a
    budget, evenly: utfall × 12 ÷ months.
    """
    if not 1 <= months <= 12:
        raise ValueError(months)
    if budget_ytd is None or annual_budget is None:
        return actual_ytd * 12 / months
    if budget_ytd == 0 or (budget_ytd > 0) != (annual_budget > 0):
        return None
    return annual_budget * actual_ytd / budget_ytd


def with_remaining_budget(actual_ytd: Decimal, budget_ytd: Decimal, annual_budget: Decimal) -> Decimal:
    """Utfall so far plus what the budget has for the rest of the year."""
    return actual_ytd + (annual_budget - budget_ytd)


def rounded(amount: Decimal) -> Decimal:
    """Rounded to whole tkr (a prognos has no false precision), half away from zero."""
    return round_half_up(amount / TKR) * TKR
