"""Variance, always shown so that + is favourable.

Inside socdesk net cost is positive and revenue negative, so for money measures a lower
figure is better and avvikelse = budget − utfall. For measures where higher is better
(e.g. a share of clients reaching a goal), avvikelse = utfall − budget.
"""

from __future__ import annotations

from decimal import Decimal

PCT = Decimal(100)


def variance(actual: Decimal, budget: Decimal, *, higher_is_better: bool = False) -> Decimal:
    return actual - budget if higher_is_better else budget - actual


def variance_pct(variance_value: Decimal, budget: Decimal) -> Decimal | None:
    """Variance in percent of the budget's size; ``None`` where the budget is zero."""
    if budget == 0:
        return None
    return variance_value * PCT / abs(budget)


def forecast_variance(
    forecast: Decimal, annual_budget: Decimal, *, higher_is_better: bool = False
) -> Decimal:
    return variance(forecast, annual_budget, higher_is_better=higher_is_better)


def used_share(actual_ytd: Decimal, annual_budget: Decimal) -> Decimal | None:
    """Förbrukat: the year-to-date actual as percent of the annual budget."""
    if annual_budget == 0:
        return None
    return actual_ytd * PCT / annual_budget
