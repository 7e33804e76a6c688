"""Month by month: monthly and cumulative utfall and budget, and two year-end projections."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.facts import Scenario
from socdesk.core.forecast import run_rate, with_remaining_budget
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.reports.budget import budget_in_effect, budget_months, budget_values
from socdesk.reports.economy import Coverage, UtfallCoverage
from socdesk.store.db import Store
from socdesk.store.figures import Figures

NET = "netto"


@dataclass(frozen=True, slots=True)
class MonthlySeries:
    year: int
    through: int  # the chosen month (1–12): utfall is shown up to it
    actual: list[Decimal | None]  # per month, None where not known month by month
    budget: list[Decimal | None]
    cum_actual: list[Decimal | None]
    cum_budget: list[Decimal | None]
    annual_budget: Decimal | None
    budget_reconstructed: bool  # months rebuilt from the stated pieces (each holds exactly)
    # Per month through the chosen one: utfall resting on units that have not all reported
    # (``economy.UtfallCoverage``); None where complete or not resting on children.
    partial: tuple[Coverage | None, ...] = ()

    @property
    def ytd_actual(self) -> Decimal | None:
        return self.cum_actual[self.through - 1]

    @property
    def run_rate(self) -> Decimal | None:
        """Utfall so far extrapolated to December, at the pace of the periodised budget where
        it is known (``core.forecast.run_rate``, the rule the flags use)."""
        a = self.ytd_actual
        if a is None:
            return None
        b = self.cum_budget[self.through - 1]
        if b is None or self.annual_budget is None:
            return run_rate(a, self.through)
        return run_rate(a, self.through, budget_ytd=b, annual_budget=self.annual_budget)

    @property
    def remaining_budget(self) -> Decimal | None:
        """Utfall so far plus the budget for the rest of the year."""
        a, b = self.ytd_actual, self.cum_budget[self.through - 1]
        if a is None or b is None or self.annual_budget is None:
            return None
        return with_remaining_budget(a, b, self.annual_budget)


def _cumulative(monthly: list[Decimal | None], ytd: dict[int, Decimal]) -> list[Decimal | None]:
    out: list[Decimal | None] = []
    total: Decimal | None = Decimal(0)
    for i, v in enumerate(monthly):
        if i + 1 in ytd:
            total = ytd[i + 1]
        elif v is None or total is None:
            total = None
        else:
            total = total + v
        out.append(total)
    return out


def monthly_series(
    store: Store, unit: str, month: Month, *, tree: UnitTree | None = None, figures: Figures | None = None
) -> MonthlySeries:
    tree = tree or store.unit_tree()
    figures = figures or Figures(store, tree)
    measure = store.measures()[NET]
    year = month.year
    months = [Month(year, m) for m in range(1, 13)]

    def series(scenario: Scenario) -> tuple[list[Decimal | None], dict[int, Decimal]]:
        per_month = figures.monthly(unit, measure, scenario, year)
        monthly = [per_month[m].number if per_month[m].is_number else None for m in months]
        ytd: dict[int, Decimal] = {}
        if any(v is None for v in monthly[: month.month]):  # stated as year to date instead?
            for m in range(1, 13):
                v = figures.values([unit], measure, scenario, Period.year_to_date(year, m))[unit]
                if v.is_number and (monthly[m - 1] is None or m == month.month):
                    ytd[m] = v.number  # type: ignore[assignment]
        return monthly, ytd

    actual, actual_ytd = series(Scenario.ACTUAL)
    # the budget in effect at the month, month by month by the one rule (reports.budget)
    versions = budget_in_effect(figures, [unit], measure, month)
    spread = budget_months(figures, [unit], measure, year, versions)[unit]
    budget, reconstructed = spread.months, spread.reconstructed
    annual = budget_values(figures, [unit], measure, Period.year(year), versions)[unit].amount
    actual = [v if i < month.month else None for i, v in enumerate(actual)]
    actual_ytd = {m: v for m, v in actual_ytd.items() if m <= month.month}
    cum_actual = _cumulative(actual, actual_ytd)
    cum_actual = [v if i < month.month else None for i, v in enumerate(cum_actual)]
    coverage = UtfallCoverage.of(store, tree, year, only=[unit], figures=figures)
    partial = tuple(
        c if actual[i] is not None and c is not None and c.partial else None
        for i, c in enumerate(coverage.at(unit, Month(year, m)) for m in range(1, month.month + 1))
    )
    return MonthlySeries(
        year,
        month.month,
        actual,
        budget,
        cum_actual,
        _cumulative(budget, {}),
        annual,
        reconstructed,
        partial,
    )
