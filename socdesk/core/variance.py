"""Variance, always shown so that + is favourable.

Inside socdesk net cost is positive and revenue negative, so for money measures a lower
figure is better and avvikelse = budget − utfall. For measures where higher is better
(e.g. a share of clients reaching a goal), avvikelse = utfall − budget.
"""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.i18n import _

PCT = Decimal(100)


def variance(actual: Decimal, budget: Decimal, *, higher_is_better: bool = False) -> Decimal:
    return actual - budget if higher_is_better else budget - actual


def pct_base_problem(base: Decimal, outcome: Decimal | None = None) -> str | None:
    """Why a percentage of ``base`` (a budget) would mislead, or ``None`` where it means something.

    Net cost is positive and net revenue negative here (``socdesk`` turns a costs-negative
    source round on import), so the sign says what kind of row a figure is: a cost row's budget
    is positive, a revenue row's (Avgifter) negative, and for either the variance in percent of
    the budget's size means something. It means nothing where the budget is zero, or where the
    budget and the figure compared with it lie on opposite sides of zero (a budgeted net revenue
    that turned out a net cost, or a cost row given a deficit-covering negative budget): the
    quotient is then a size of the wrong thing (−593,63 %). Such a percentage is shown as "–"
    with this reason, and flags rest on kronor alone.
    """
    if base == 0:
        return _("Budgeten är 0 kr: en avvikelse i procent av den säger ingenting.")
    if outcome is not None and outcome != 0 and (outcome > 0) != (base > 0):
        if base > 0:
            return _(
                "Budgeten är en nettokostnad men utfallet en nettointäkt: "
                "en avvikelse i procent av budgeten säger ingenting."
            )
        return _(
            "Budgeten är en nettointäkt men utfallet en nettokostnad: "
            "en avvikelse i procent av budgeten säger ingenting."
        )
    return None


def variance_pct(variance_value: Decimal, budget: Decimal, outcome: Decimal | None = None) -> Decimal | None:
    """Variance in percent of the budget's size; ``None`` where a percentage of this budget
    means nothing (``pct_base_problem``: zero, or on the other side of zero than the outcome)."""
    if pct_base_problem(budget, outcome) is not None:
        return None
    return variance_value * PCT / abs(budget)


def forecast_variance(
    forecast: Decimal, annual_budget: Decimal, *, higher_is_better: bool = False
) -> Decimal:
    return variance(forecast, annual_budget, higher_is_better=higher_is_better)


def used_share(actual_ytd: Decimal, annual_budget: Decimal) -> Decimal | None:
    """Förbrukat: the year-to-date actual as percent of the annual budget (``None`` where a
    percentage of it means nothing, ``pct_base_problem``)."""
    if pct_base_problem(annual_budget, actual_ytd) is not None:
        return None
    return actual_ytd * PCT / annual_budget
