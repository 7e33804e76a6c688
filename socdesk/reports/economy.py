"""The Ekonomi view and the deviation list as plain data: figures, variances and flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from socdesk.core.facts import Scenario
from socdesk.core.flags import Flag, FlagRules, Level, evaluate
from socdesk.core.i18n import _
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.variance import (
    forecast_variance,
    pct_base_problem,
    used_share,
    variance,
    variance_pct,
)
from socdesk.reports.budget import MonthsCache, budget_in_effect, budget_values
from socdesk.store.db import Store
from socdesk.store.figures import Figures

NET = "netto"
FLAG_RULES_KEY = "flag_rules"


class ViewMode(StrEnum):
    MONTH = "month"
    YTD = "ytd"
    TERTIAL = "tertial"
    QUARTER = "quarter"

    @property
    def label(self) -> str:
        return {
            ViewMode.MONTH: _("Månad"),
            ViewMode.YTD: _("Hittills i år"),
            ViewMode.TERTIAL: _("Tertial"),
            ViewMode.QUARTER: _("Kvartal"),
        }[self]

    def period(self, month: Month) -> Period:
        if self is ViewMode.MONTH:
            return Period(month, month)
        if self is ViewMode.YTD:
            return Period.year_to_date(month.year, month.month)
        if self is ViewMode.TERTIAL:
            return Period.tertial(month.year, (month.month + 3) // 4)
        return Period.quarter(month.year, (month.month + 2) // 3)


@dataclass(frozen=True, slots=True)
class EconomyRow:
    unit: Unit
    depth: int
    actual: Decimal | None
    budget: Decimal | None
    variance: Decimal | None
    variance_pct: Decimal | None
    annual_budget: Decimal | None  # in effect at the month (after any ombudgetering)
    original_annual_budget: Decimal | None  # as first decided
    budget_version: str | None  # the ombudgetering in effect (None: the original budget)
    used_pct: Decimal | None  # year-to-date utfall as % of årsbudget
    forecast: Decimal | None
    forecast_version: str | None
    forecast_variance: Decimal | None
    flag: Flag
    comment: str | None
    is_total: bool = False
    budget_reconstructed: bool = False  # Budget summed from months rebuilt from the stated pieces
    variance_pct_note: str | None = None  # why Avvikelse % is "–" (a percentage would mislead)
    used_pct_note: str | None = None  # why Förbrukat % is "–"


@dataclass(frozen=True, slots=True)
class EconomyTable:
    unit: Unit
    month: Month
    mode: ViewMode
    period: Period  # what Utfall and Budget cover
    rows: list[EconomyRow]  # the children, then the unit itself as the total row

    @property
    def year_share_pct(self) -> Decimal:
        """The share of the year passed at the month, to compare Förbrukat against."""
        return Decimal(self.month.month * 100) / 12

    @property
    def is_empty(self) -> bool:
        return all(r.actual is None and r.budget is None for r in self.rows)


def flag_rules(store: Store) -> FlagRules:
    text = store.setting(FLAG_RULES_KEY)
    return FlagRules.from_json(text) if text else FlagRules()


def save_flag_rules(store: Store, rules: FlagRules) -> None:
    store.set_setting(FLAG_RULES_KEY, rules.to_json())


def _num(v) -> Decimal | None:
    return v.number if v.is_number else None


def economy_rows(
    store: Store,
    units: list[Unit],
    month: Month,
    mode: ViewMode = ViewMode.YTD,
    *,
    tree: UnitTree | None = None,
    figures: Figures | None = None,
    rules: FlagRules | None = None,
) -> list[EconomyRow]:
    """Figures, variances, flags and comments for these units (flags always year to date)."""
    tree = tree or store.unit_tree()
    figures = figures or Figures(store, tree)
    rules = rules or flag_rules(store)
    measure = store.measures()[NET]
    codes = [u.code for u in units]
    view = mode.period(month)
    ytd = Period.year_to_date(month.year, month.month)
    year = Period.year(month.year)
    actual = figures.values(codes, measure, Scenario.ACTUAL, view)
    # The budget in effect at the month (the latest ombudgetering applying by then, or the
    # original), for any period: stated where the pieces cover it, else rebuilt (one rule).
    budget_version = budget_in_effect(figures, codes, measure, month)
    months: MonthsCache = {}  # the months rebuilt once for all the periods below
    budget = budget_values(figures, codes, measure, view, budget_version, months)
    if mode is ViewMode.YTD:
        actual_ytd, budget_ytd = actual, budget
    else:
        actual_ytd = figures.values(codes, measure, Scenario.ACTUAL, ytd)
        budget_ytd = budget_values(figures, codes, measure, ytd, budget_version, months)
    annual_b = budget_values(figures, codes, measure, year, budget_version, months)
    annual = {c: b.amount for c, b in annual_b.items()}
    revised = any(budget_version.values())
    original = (
        {c: b.amount for c, b in budget_values(figures, codes, measure, year, {}).items()}
        if revised
        else annual
    )
    versions = figures.latest_versions(codes, measure, Scenario.FORECAST, month.year, month)
    forecast: dict[str, Decimal | None] = dict.fromkeys(codes)
    for version in {v for v in versions.values() if v is not None}:
        batch = [c for c in codes if versions[c] == version]
        for code, v in figures.values(batch, measure, Scenario.FORECAST, year, version).items():
            forecast[code] = _num(v)
    comments = store.comments(str(ytd))
    rows = []
    for u in units:
        a, b, ann = _num(actual[u.code]), budget[u.code].amount, annual[u.code]
        var = (
            variance(a, b, higher_is_better=measure.higher_is_better)
            if a is not None and b is not None
            else None
        )
        fc = forecast[u.code]
        a_ytd = _num(actual_ytd[u.code])
        flag = evaluate(
            rules,
            len(tree.ancestors(u.code)),
            actual_ytd=a_ytd,
            budget_ytd=budget_ytd[u.code].amount,
            annual_budget=ann,
            forecast=fc,
            months_passed=month.month,
            higher_is_better=measure.higher_is_better,
        )
        rows.append(
            EconomyRow(
                unit=u,
                depth=len(tree.ancestors(u.code)),
                actual=a,
                budget=b,
                variance=var,
                variance_pct=variance_pct(var, b, a) if var is not None and b is not None else None,
                annual_budget=ann,
                original_annual_budget=original[u.code],
                budget_version=budget_version[u.code],
                used_pct=used_share(a_ytd, ann) if a_ytd is not None and ann is not None else None,
                forecast=fc,
                forecast_version=versions[u.code],
                forecast_variance=forecast_variance(fc, ann, higher_is_better=measure.higher_is_better)
                if fc is not None and ann is not None
                else None,
                flag=flag,
                comment=comments.get(u.code),
                budget_reconstructed=budget[u.code].reconstructed,
                variance_pct_note=pct_base_problem(b, a) if a is not None and b is not None else None,
                used_pct_note=pct_base_problem(ann, a_ytd) if a_ytd is not None and ann is not None else None,
            )
        )
    return rows


def economy_table(
    store: Store,
    unit_code: str,
    month: Month,
    mode: ViewMode = ViewMode.YTD,
    *,
    tree: UnitTree | None = None,
    figures: Figures | None = None,
    rules: FlagRules | None = None,
) -> EconomyTable:
    tree = tree or store.unit_tree()
    unit = tree[unit_code]
    units = [*tree.children(unit_code), unit]
    rows = economy_rows(store, units, month, mode, tree=tree, figures=figures, rules=rules)
    total = rows[-1]
    rows[-1] = EconomyRow(**{**{f: getattr(total, f) for f in total.__slots__}, "is_total": True})
    return EconomyTable(unit, month, mode, mode.period(month), rows)


def deviations(
    store: Store,
    month: Month,
    unit_code: str | None = None,
    *,
    flagged_only: bool = False,
    tree: UnitTree | None = None,
    check: Callable[[], None] | None = None,
    chunk: int = 1000,
) -> list[EconomyRow]:
    """The unit (or every root) and all descendants, year to date at the month; worst first
    when ``flagged_only``, else in tree order. ``check`` is called between chunks of units
    (a worker stops there when its result is no longer wanted)."""
    tree = tree or store.unit_tree()
    units = list(tree) if unit_code is None else [tree[unit_code], *tree.descendants(unit_code)]
    figures = Figures(store, tree)
    rules = flag_rules(store)
    rows: list[EconomyRow] = []
    for i in range(0, len(units), chunk):
        if check is not None:
            check()
        rows += economy_rows(
            store, units[i : i + chunk], month, ViewMode.YTD, tree=tree, figures=figures, rules=rules
        )
    rows = [r for r in rows if r.actual is not None or r.budget is not None or r.forecast is not None]
    if flagged_only:
        rows = [r for r in rows if r.flag.level > Level.GREEN]
        rows.sort(key=lambda r: (-r.flag.level, -r.flag.worst_amount, r.unit.code))
    return rows
