"""Key-figure formulas (nyckeltal). Exact ``Decimal`` arithmetic; round only for display."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.formula import alternatives
from socdesk.core.periods import Period

PCT = Decimal(100)


def days_in(period: Period, basis: str = "actual") -> int:
    """Days in the period: ``actual`` counts leap days, ``365`` does not (as 001 does)."""
    if basis == "actual":
        return period.days
    if basis == "365":
        return period.days_365
    raise ValueError(basis)


def days_basis(formula: str) -> str:
    """The day convention a measure's formula declares for computing it: that of its first
    alternative naming days – ``365`` for ``dagar365``, else the period's actual days. (Further
    alternatives say what else the source may have used; ``check`` accepts any of them.)"""
    for f in alternatives(formula or ""):
        if "dagar" in f.variables:
            return "actual"
        if "dagar365" in f.variables:
            return "365"
    return "actual"


def period_variables(period: Period) -> dict[str, int]:
    """The values of a formula's period variables for the period."""
    return {"dagar": period.days, "dagar365": period.days_365, "manader": period.n_months}


def placement_years(care_days: Decimal, period: Period, basis: str = "actual") -> Decimal:
    """Årsplaceringar = vårddygn ÷ dagar i perioden."""
    return Decimal(care_days) / days_in(period, basis)


def cost_per_placement_year(
    net_cost: Decimal, care_days: Decimal, period: Period, basis: str = "actual"
) -> Decimal | None:
    if care_days == 0:
        return None
    return Decimal(net_cost) / placement_years(care_days, period, basis)


def cost_per_day(net_cost: Decimal, care_days: Decimal) -> Decimal | None:
    if care_days == 0:
        return None
    return Decimal(net_cost) / Decimal(care_days)


def attainment(outcome: Decimal, target: Decimal) -> Decimal | None:
    """Måluppfyllelse in percent: outcome ÷ target (004: 70 % of 88 % → 80 %)."""
    if target == 0:
        return None
    return Decimal(outcome) * PCT / Decimal(target)


def per_10000(count: Decimal, population: Decimal) -> Decimal | None:
    if population == 0:
        return None
    return Decimal(count) * 10000 / Decimal(population)
