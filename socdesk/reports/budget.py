"""The budget in effect, for any period: one rule that every view, command, export and report
calls (Ekonomi in every view mode, Månad för månad, the reports, ``socdesk deviations``).

- *Which budget*: each unit follows the latest ombudgetering applying at the month, else the
  original (``budget_in_effect``); the original is shown only where a layout asks for it.
- *Which figure*: a period the stated pieces cover exactly (a stated figure, or stated pieces
  tiling it) gets that figure. Any other period of the year gets the sum of the monthly budget
  rebuilt from the stated pieces so that every piece holds exactly (``months_from_stated``:
  budget jan–maj + årsbudget → jan–maj share the May budget, jun–dec the rest; only an
  årsbudget → twelfths), marked ``reconstructed``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periodisation import months_from_stated
from socdesk.core.periods import Month, Period
from socdesk.store.budgets import stated_periods
from socdesk.store.figures import Figures


@dataclass(frozen=True, slots=True)
class BudgetFigure:
    amount: Decimal | None
    reconstructed: bool = False  # summed from months rebuilt from the stated pieces


@dataclass(frozen=True, slots=True)
class BudgetMonths:
    months: list[Decimal | None]  # jan … dec, None where the pieces say nothing
    reconstructed: bool  # some months were rebuilt (not stated one by one)


def versioned_values(
    figures: Figures,
    codes: list[str],
    measure: Measure,
    scenario: Scenario,
    period: Period,
    versions: dict[str, str | None],
) -> dict[str, Decimal | None]:
    """Each unit's stated figure in its own version (None: the original, version '')."""
    out: dict[str, Decimal | None] = dict.fromkeys(codes)
    for version in {versions.get(c) or "" for c in codes}:
        batch = [c for c in codes if (versions.get(c) or "") == version]
        for code, v in figures.values(batch, measure, scenario, period, version).items():
            out[code] = v.number if v.is_number else None
    return out


def budget_in_effect(
    figures: Figures, codes: list[str], measure: Measure, month: Month
) -> dict[str, str | None]:
    """The budget version each unit follows at the month: the latest revision applying from
    that month or before (None: the original budget)."""
    return figures.latest_versions(codes, measure, Scenario.BUDGET, month.year, month)


MonthsCache = dict[tuple[str, str, int], BudgetMonths]


def budget_months(
    figures: Figures,
    codes: list[str],
    measure: Measure,
    year: int,
    versions: dict[str, str | None],
    cache: MonthsCache | None = None,
) -> dict[str, BudgetMonths]:
    """Each unit's monthly budget for the year, in its version, from its stated pieces
    (``cache``: kept between the calls that build one table)."""
    cache = {} if cache is None else cache
    out: dict[str, BudgetMonths] = {}
    for code in codes:
        if (hit := cache.get((code, versions.get(code) or "", year))) is not None:
            out[code] = hit
    codes = [c for c in codes if c not in out]
    for version in {versions.get(c) or "" for c in codes}:
        batch = [c for c in codes if (versions.get(c) or "") == version]
        pieces = stated_periods(figures.store, batch, measure.key, Scenario.BUDGET.value, year, version)
        by_period: dict[Period, list[str]] = defaultdict(list)
        for code in batch:
            for p in pieces.get(code, ()):
                by_period[p].append(code)
        stated: dict[str, dict[tuple[int, int], Decimal]] = defaultdict(dict)
        for p, having in by_period.items():
            for code, v in figures.values(having, measure, Scenario.BUDGET, p, version).items():
                if v.is_number and v.number is not None:
                    stated[code][(p.start.month, p.end.month)] = v.number
        for code in batch:
            months, rebuilt = months_from_stated(stated.get(code, {}))
            out[code] = cache[(code, version, year)] = BudgetMonths(months, rebuilt)
    return out


def budget_values(
    figures: Figures,
    codes: list[str],
    measure: Measure,
    period: Period,
    versions: dict[str, str | None],
    cache: MonthsCache | None = None,
) -> dict[str, BudgetFigure]:
    """Each unit's budget for the period in its version: as stated where the stated pieces
    cover the period exactly, else from the rebuilt months (None where they say nothing)."""
    stated = versioned_values(figures, codes, measure, Scenario.BUDGET, period, versions)
    out = {c: BudgetFigure(v) for c, v in stated.items()}
    missing = [c for c, v in stated.items() if v is None]
    if not missing or not measure.additive_time or period.start.year != period.end.year:
        return out
    first, last = period.start.month, period.end.month
    for code, bm in budget_months(figures, missing, measure, period.start.year, versions, cache).items():
        part = bm.months[first - 1 : last]
        if part and all(v is not None for v in part):
            out[code] = BudgetFigure(sum(part, Decimal(0)), True)  # type: ignore[arg-type]
    return out
