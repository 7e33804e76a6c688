"""The Ekonomi view and the deviation list as plain data: figures, variances and flags."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from functools import cache

from socdesk.core.checks import Finding, run_checks
from socdesk.core.facts import Scenario
from socdesk.core.flags import Flag, FlagRules, Level, evaluate
from socdesk.core.i18n import _
from socdesk.core.periods import MONTH_NAMES, Month, Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.variance import (
    forecast_variance,
    pct_base_problem,
    used_share,
    variance,
    variance_pct,
)
from socdesk.reports.budget import MonthsCache, budget_in_effect, budget_values
from socdesk.store.coverage import StatedUtfall, stated_exactly, stated_utfall, units_stating
from socdesk.store.db import Store
from socdesk.store.figures import Figures
from socdesk.store.remaining import LeafFigures

NET = "netto"
REVENUE = "intakter"  # 004's Intäkter and Kostnader beside Netto (seeds/matt.csv)
COST = "kostnader"
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
class Coverage:
    """How many of the units a total rests on have utfall for the month."""

    month: Month
    reporting: int
    expected: int

    @property
    def partial(self) -> bool:
        return self.reporting < self.expected

    @property
    def text(self) -> str:
        return _("{n} av {m} underliggande enheter har utfall för {month} {y}.").format(
            n=self.reporting, m=self.expected, month=MONTH_NAMES[self.month.month - 1], y=self.month.year
        )

    @property
    def not_comparable(self) -> str:
        """Why a partial total's avvikelse, percentages and flag are left out (docs/reports.md)."""
        return _(
            "Ej jämförbar: {n} av {m} underliggande enheter har utfall för {month} {y}; "
            "jämförelsen med budgeten väntar på resten."
        ).format(
            n=self.reporting, m=self.expected, month=MONTH_NAMES[self.month.month - 1], y=self.month.year
        )


class UtfallCoverage:
    """The one rule for a total that rests on incomplete children (docs/reports.md).

    A unit's utfall for a period up to month M rests on its children unless it states utfall
    for M itself (a month, or a longer period containing M). The units it then rests on are
    found by going down the tree, stopping at a unit that states utfall for M (it reports) or at
    a leaf. Of these, a unit is *expected* to report for M when it has any budget for the year
    or utfall stated for a month before M; one that has neither (a unit not started yet, a
    unit closed earlier) is not counted, nor one closed from a month up to M (docs/units.md).
    A unit whose children are none of them expected, but which is expected itself (it stated
    its own figures earlier), counts as one that has not reported. The total is *partial* when
    fewer units report than are expected."""

    def __init__(self, tree: UnitTree, stated: StatedUtfall) -> None:
        self.tree = tree
        self.stated = stated
        self._counts: dict[str, tuple[int, int]] = stated.derived  # kept with the figures

    SUBTREE_LIMIT = 2000  # more units than this: read the year's facts of every unit at once

    @classmethod
    def of(
        cls,
        store: Store,
        tree: UnitTree,
        year: int,
        measure: str = NET,
        *,
        only: list[str] | None = None,
        figures: Figures | None = None,
    ) -> UtfallCoverage:
        """For the whole tree, or for ``only`` these units and their subtrees (all ``at`` may
        then be asked about). The whole tree is read once per change of the database when
        ``figures`` (the workspace's) is given."""
        units = None
        if only is not None:
            wanted = set(only)
            for code in only:
                if tree.children(code):
                    wanted.update(u.code for u in tree.descendants(code))
                    if len(wanted) > cls.SUBTREE_LIMIT:
                        break
            units = sorted(wanted) if len(wanted) <= cls.SUBTREE_LIMIT else None
        if units is None and figures is not None:
            return cls(tree, figures.stated_utfall.get(store, measure, year))
        return cls(tree, stated_utfall(store, measure, year, units))

    def states(self, code: str, month: Month) -> bool:
        return bool(self.stated.months.get(code, 0) >> (month.month - 1) & 1)

    # Counts for the twelve months at once, packed into one int, 16 bits a month (up to 65 535
    # units under one total): summing the children is one addition (a city's 5 000 units in
    # milliseconds).
    @staticmethod
    @cache
    def _spread(mask: int, value: int = 1) -> int:
        return sum(value << (16 * m) for m in range(12) if mask >> m & 1)

    def _count(self, code: str) -> tuple[int, int]:
        """(reporting, expected) for every month of the year, packed (month m at bit 16·(m−1))."""
        if code in self._counts:
            return self._counts[code]
        mask = self.stated.months.get(code, 0)
        own_expected = (
            0xFFF if code in self.stated.budgeted else (0xFFF << self.stated.first.get(code, 13)) & 0xFFF
        )
        unit = self.tree.get(code)
        if unit is not None and unit.closed_from:  # closed: not expected from its closing month
            year, month = int(unit.closed_from[:4]), int(unit.closed_from[5:])
            if year <= self.stated.year:
                own_expected &= (1 << (month - 1)) - 1 if year == self.stated.year else 0
        children = self.tree.children(code)
        if not children:
            out = self._spread(mask), self._spread(mask | own_expected)
        else:
            reporting = expected = 0
            for child in children:
                r, e = self._count(child.code)
                reporting, expected = reporting + r, expected + e
            if mask:  # the unit states these months itself: it reports for them, as one
                keep = ~self._spread(mask, 0xFFFF)
                reporting = (reporting & keep) | self._spread(mask)
                expected = (expected & keep) | self._spread(mask)
            for m in range(12):
                if own_expected >> m & 1 and not expected >> (16 * m) & 0xFFFF:
                    expected += 1 << (16 * m)
            out = reporting, expected
        self._counts[code] = out
        return out

    def at(self, code: str, month: Month) -> Coverage | None:
        """The coverage of the unit's total through ``month``; None where its figure does not
        rest on children (a leaf, or a unit stating its own utfall for the month)."""
        if month.year != self.stated.year or not self.tree.children(code) or self.states(code, month):
            return None
        reporting, expected = (v >> (16 * (month.month - 1)) & 0xFFFF for v in self._count(code))
        return Coverage(month, reporting, expected) if expected else None


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
    # Utfall through the month rests on children that have not all reported (None: it does not
    # rest on children at all).
    coverage: Coverage | None = None
    # Stated figures of the unit that differ from the sum of its children: (column, the
    # finding of ``socdesk check``).
    mismatches: tuple[tuple[str, Finding], ...] = ()
    # The columns a controller compares with (``comparison_figures``), None where the data has
    # no such figure (never 0 for "nothing").
    previous_actual: Decimal | None = None  # utfall of the same period one year earlier
    previous_change: Decimal | None = None  # utfall − utfall fg år
    revenue: Decimal | None = None  # intäkter of the period (negative: they lower the net cost)
    cost: Decimal | None = None  # kostnader of the period
    original_budget: Decimal | None = None  # the period's budget as adopted, before ombudgetering

    @property
    def partial(self) -> bool:
        return self.actual is not None and self.coverage is not None and self.coverage.partial

    def mismatch(self, column: str) -> Finding | None:
        return next((f for c, f in self.mismatches if c == column), None)


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


def stated_mismatches(
    store: Store,
    tree: UnitTree,
    codes: list[str],
    view: Period,
    year: Period,
    budget_version: dict[str, str | None],
    measure: str = NET,
) -> dict[str, tuple[tuple[str, Finding], ...]]:
    """The figures these units state themselves (utfall and budget for the period shown,
    årsbudget) that differ from the sum of their children, as ``socdesk check`` finds them:
    (column, finding) per unit. Budget is checked in the version the unit follows; the original
    årsbudget of a revised unit under its own column."""
    own = units_stating(store, [c for c in codes if tree.children(c)], measure, year)
    if not own:
        return {}
    subtree = set(own)
    for code in own:
        subtree.update(u.code for u in tree.descendants(code))
    facts = [
        f
        for f in store.facts(units=sorted(subtree), measure=measure, within=year)
        if not f.key.gender and not f.key.group and f.key.scenario in (Scenario.ACTUAL, Scenario.BUDGET)
    ]
    measures = store.measures()

    def found(version: str, scenarios: tuple[Scenario, ...]) -> list[Finding]:
        chosen = [f for f in facts if f.key.scenario in scenarios and f.key.version == version]
        return [f for f in run_checks(chosen, tree, measures) if f.rule == "sum_mismatch" and f.unit in own]

    original = found("", (Scenario.ACTUAL, Scenario.BUDGET))
    revised = {v: found(v, (Scenario.BUDGET,)) for v in {budget_version.get(c) for c in own} if v is not None}
    out: dict[str, tuple[tuple[str, Finding], ...]] = {}
    for code in own:
        version = budget_version.get(code)
        marks: list[tuple[str, Finding]] = []
        for f in original:
            if f.unit != code:
                continue
            if f.scenario == Scenario.ACTUAL.value and f.period == str(view):
                marks.append(("actual", f))
            elif f.scenario == Scenario.BUDGET.value and f.period == str(year):
                marks.append(("original_annual_budget" if version else "annual_budget", f))
            elif f.scenario == Scenario.BUDGET.value and f.period == str(view) and not version:
                marks.append(("budget", f))
        for f in revised.get(version, []) if version else []:
            if f.unit == code and f.period in (str(view), str(year)):
                marks.append(("annual_budget" if f.period == str(year) else "budget", f))
        if marks:
            out[code] = tuple(marks)
    return out


def stated_variances(
    store: Store,
    codes: list[str],
    period: Period,
    year: Period,
    forecast_versions: dict[str, str | None],
    measure: str = NET,
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The avvikelse each unit states itself for exactly the period, and the prognosavvikelse
    it states for the year with the prognos shown (a document's own figures, computed there
    from unrounded amounts)."""
    var = {
        c: v
        for (c, version), v in stated_exactly(store, codes, measure, Scenario.VARIANCE, period).items()
        if not version
    }
    fvar = {
        c: v
        for (c, version), v in stated_exactly(store, codes, measure, Scenario.FORECAST_VARIANCE, year).items()
        if version and version == forecast_versions.get(c)
    }
    return var, fvar


def shown_variance(stated: Decimal | None, computed: Decimal | None, revised: bool) -> Decimal | None:
    """The one rule for the avvikelse every view prints: the one the source stated for exactly
    this figure, as stated (budget − utfall of its rounded figures may differ by a rounding),
    unless the unit follows an ombudgetering (the stated one is against the original budget);
    else the computed one."""
    return stated if stated is not None and not revised else computed


def economy_rows(
    store: Store,
    units: list[Unit],
    month: Month,
    mode: ViewMode = ViewMode.YTD,
    *,
    tree: UnitTree | None = None,
    figures: Figures | None = None,
    rules: FlagRules | None = None,
    coverage: UtfallCoverage | None = None,
) -> list[EconomyRow]:
    """Figures, variances, flags and comments for these units (flags always year to date);
    which totals rest on children that have not all reported (``UtfallCoverage``), and which
    stated figures differ from their children (``stated_mismatches``)."""
    tree = tree or store.unit_tree()
    figures = figures or Figures(store, tree)
    rules = rules or flag_rules(store)
    measure = store.measures()[NET]
    codes = [u.code for u in units]
    if coverage is None or coverage.stated.year != month.year:
        coverage = UtfallCoverage.of(store, tree, month.year, only=codes, figures=figures)
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
    mismatches = stated_mismatches(store, tree, codes, view, year, budget_version)
    stated_var, stated_fvar = stated_variances(store, codes, view, year, versions)
    rows = []
    for u in units:
        a, b, ann = _num(actual[u.code]), budget[u.code].amount, annual[u.code]
        revised_unit = budget_version[u.code] is not None
        # One rule for a total whose utfall rests on children that have not all reported: it
        # is compared with nothing (no avvikelse, no percentages, no green/yellow/red).
        cov = coverage.at(u.code, month)
        not_comparable = cov.not_comparable if cov is not None and cov.partial else None
        var = shown_variance(
            stated_var.get(u.code),
            variance(a, b, higher_is_better=measure.higher_is_better)
            if a is not None and b is not None
            else None,
            revised_unit,
        )
        fc = forecast[u.code]
        a_ytd = _num(actual_ytd[u.code])
        if not_comparable is not None:
            var = None
        flag = evaluate(
            rules,
            len(tree.ancestors(u.code)),
            actual_ytd=a_ytd,
            budget_ytd=budget_ytd[u.code].amount,
            annual_budget=ann,
            forecast=fc,
            months_passed=month.month,
            higher_is_better=measure.higher_is_better,
            incomplete=not_comparable if a_ytd is not None else None,
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
                used_pct=used_share(a_ytd, ann)
                if a_ytd is not None and ann is not None and not_comparable is None
                else None,
                forecast=fc,
                forecast_version=versions[u.code],
                forecast_variance=shown_variance(
                    stated_fvar.get(u.code),
                    forecast_variance(fc, ann, higher_is_better=measure.higher_is_better)
                    if fc is not None and ann is not None
                    else None,
                    revised_unit,
                ),
                flag=flag,
                comment=comments.get(u.code),
                budget_reconstructed=budget[u.code].reconstructed,
                variance_pct_note=not_comparable
                or (pct_base_problem(b, a) if a is not None and b is not None else None),
                used_pct_note=not_comparable
                or (pct_base_problem(ann, a_ytd) if a_ytd is not None and ann is not None else None),
                coverage=cov,
                mismatches=mismatches.get(u.code, ()),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Comparison:
    """The figures beside a row's Utfall and Budget (the Ekonomi table's optional columns)."""

    previous_actual: Decimal | None = None
    previous_change: Decimal | None = None
    revenue: Decimal | None = None
    cost: Decimal | None = None
    original_budget: Decimal | None = None


def previous_year(period: Period) -> Period:
    """The same months one year earlier (T1 2024 → T1 2023, jan–maj 2024 → jan–maj 2023)."""
    return Period(
        Month(period.start.year - 1, period.start.month), Month(period.end.year - 1, period.end.month)
    )


def comparison_figures(
    store: Store, codes: list[str], period: Period, *, figures: Figures
) -> dict[str, Comparison]:
    """For each unit and the period shown: utfall of the same period a year earlier and the
    change since, intäkter and kostnader (Netto is the utfall), and the budget as originally
    adopted (the original version, before any ombudgetering, by the same rule as the budget in
    effect: stated where the pieces cover the period, else rebuilt). Exact Decimals; None where
    the store has no such figure. A total is the unit's own figure or its children's exact sum,
    as for every other column (``Figures.values``)."""
    measures = store.measures()
    net = measures[NET]
    actual = figures.values(codes, net, Scenario.ACTUAL, period)
    previous = figures.values(codes, net, Scenario.ACTUAL, previous_year(period))
    original = budget_values(figures, codes, net, period, {})
    parts = {
        key: figures.values(codes, measures[key], Scenario.ACTUAL, period) if key in measures else {}
        for key in (REVENUE, COST)
    }
    out = {}
    for code in codes:
        a, prev = _num(actual[code]), _num(previous[code])
        revenue, cost = (_num(parts[k][code]) if code in parts[k] else None for k in (REVENUE, COST))
        out[code] = Comparison(
            previous_actual=prev,
            previous_change=a - prev if a is not None and prev is not None else None,
            revenue=revenue,
            cost=cost,
            original_budget=original[code].amount,
        )
    return out


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
    figures = figures or Figures(store, tree)
    rows = economy_rows(store, units, month, mode, tree=tree, figures=figures, rules=rules)
    compared = comparison_figures(store, [u.code for u in units], mode.period(month), figures=figures)
    rows = [
        replace(r, is_total=i == len(rows) - 1, **_fields(compared[r.unit.code], r))
        for i, r in enumerate(rows)
    ]
    return EconomyTable(unit, month, mode, mode.period(month), rows)


def _fields(c: Comparison, row: EconomyRow) -> dict[str, Decimal | None]:
    """The comparison's figures for the row; a total resting on children that have not all
    reported is compared with nothing, last year included (``UtfallCoverage``)."""
    out = {f: getattr(c, f) for f in Comparison.__slots__}
    if row.partial:
        out["previous_change"] = None
    return out


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
    coverage = UtfallCoverage.of(store, tree, month.year, figures=figures)
    rows: list[EconomyRow] = []
    for i in range(0, len(units), chunk):
        if check is not None:
            check()
        rows += economy_rows(
            store,
            units[i : i + chunk],
            month,
            ViewMode.YTD,
            tree=tree,
            figures=figures,
            rules=rules,
            coverage=coverage,
        )
    rows = [r for r in rows if _shown(r)]
    if flagged_only:
        rows = [r for r in rows if r.flag.level > Level.GREEN]
        rows.sort(key=lambda r: (-r.flag.level, -r.flag.worst_amount, r.unit.code))
    return rows


def _shown(r: EconomyRow) -> bool:
    """Every unit the Ekonomi table shows a figure for (an årsbudget alone included)."""
    return (
        r.actual is not None or r.budget is not None or r.annual_budget is not None or r.forecast is not None
    )


@dataclass(frozen=True, slots=True)
class FlaggedUnit:
    unit: Unit
    flag: Flag


def flagged_units(
    store: Store,
    month: Month,
    unit_code: str,
    *,
    tree: UnitTree | None = None,
    known: dict[str, EconomyRow] | None = None,
    figures: Figures | None = None,
    coverage: UtfallCoverage | None = None,
    leaves: tuple[dict[str, LeafFigures], set[str]] | None = None,
) -> list[FlaggedUnit]:
    """The units of ``unit_code``'s subtree flagged year to date at the month that have no
    avvikelseanalys for it, worst first: the same units, flags and order as ``deviations``
    (``flagged_only``) without a comment, for a report's remaining-work list.

    The plain leaves (``Store.remaining_scan``: months with numbers, the original budget, one
    stated prognos for the year; ``leaves``: that scan's plain and other leaves, if made) are
    read in one set-based pass and flagged by the same rule (``flags.evaluate``); every other
    unit – those with children (whose totals may rest on children not yet reported), and
    leaves with ranges, versions or suppressed figures – goes through ``economy_rows`` as in
    ``deviations``, unless it is among ``known``: rows ``economy_rows`` already made at this
    month (the report's own tables; a flag is always year to date, whatever the row's view),
    with the ``figures`` and ``coverage`` they came from."""
    tree = tree or store.unit_tree()
    rules = flag_rules(store)
    measure = store.measures()[NET]
    ytd = Period.year_to_date(month.year, month.month)
    commented = store.comments(str(ytd))
    if not measure.additive_time:
        plain, other = {}, set()
    elif leaves is not None:
        plain, other = leaves
    else:
        scan = store.remaining_scan(unit_code, Period.year(month.year), (NET, str(month)))
        plain, other = scan.plain, scan.other
    known = known or {}
    out: list[FlaggedUnit] = []
    rest: list[Unit] = []
    for u in [tree[unit_code], *tree.descendants(unit_code)]:
        if (row := known.get(u.code)) is not None:
            if _shown(row) and row.flag.level > Level.GREEN and not row.comment:
                out.append(FlaggedUnit(u, row.flag))
            continue
        leaf = plain.get(u.code)
        if leaf is None:  # a leaf in neither has no figure of the year: no row, no flag
            if tree.children(u.code) or not measure.additive_time or u.code in other:
                rest.append(u)
            continue
        if u.code in commented:
            continue
        flag = evaluate(
            rules,
            len(tree.ancestors(u.code)),
            actual_ytd=leaf.actual_ytd,
            budget_ytd=leaf.budget_ytd,
            annual_budget=leaf.annual_budget,
            forecast=leaf.forecast,
            months_passed=month.month,
            higher_is_better=measure.higher_is_better,
        )
        if flag.level > Level.GREEN:
            out.append(FlaggedUnit(u, flag))
    if rest:
        figures = figures or Figures(store, tree)
        if coverage is None or coverage.stated.year != month.year:
            coverage = UtfallCoverage.of(store, tree, month.year, figures=figures)
        for i in range(0, len(rest), 1000):
            for r in economy_rows(
                store,
                rest[i : i + 1000],
                month,
                ViewMode.YTD,
                tree=tree,
                figures=figures,
                rules=rules,
                coverage=coverage,
            ):
                if _shown(r) and r.flag.level > Level.GREEN and not r.comment:
                    out.append(FlaggedUnit(r.unit, r.flag))
    out.sort(key=lambda f: (-f.flag.level, -f.flag.worst_amount, f.unit.code))
    return out
