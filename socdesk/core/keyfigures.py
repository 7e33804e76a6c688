"""Key-figure formulas (nyckeltal). Exact ``Decimal`` arithmetic; round only for display."""

from __future__ import annotations

from decimal import Decimal

from socdesk.core.periods import Period

PCT = Decimal(100)


def days_in(period: Period, basis: str = "actual") -> int:
    """Days in the period: ``actual`` counts leap days, ``365`` does not (as 001 does)."""
    if basis == "actual":
        return period.days
    if basis == "365":
        return period.days_365
    raise ValueError(basis)


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
