"""Budget and prognos forms as plain data (the same grid shape as the utfall form).

Budget: årsbudget per leaf unit and year, spread over the months in twelfths, by a named
12-month profile, or typed month by month; a revision (ombudgetering) is its own version.
Prognos: helårsprognos per unit made at a month, beside the earlier prognoser of the year and
two suggestions from the core (utfall so far + remaining budget, and the same pace).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.errors import ParseError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.forecast import rounded, run_rate, with_remaining_budget
from socdesk.core.i18n import _
from socdesk.core.periodisation import by_profile, twelfths
from socdesk.core.periods import MONTH_ABBR, Month, Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Status, Value
from socdesk.reports.budget import budget_in_effect, budget_values
from socdesk.reports.entry import NET, EntryCell, EntryForm, FormColumn, leaf_units, month_label
from socdesk.store.db import Store
from socdesk.store.figures import Figures

PROFILES_KEY = "budget_profiles"
TWELFTHS = ""  # the profile name for equal months
BY_MONTH = "*"  # the profile name for months typed one by one
DEFAULT_PROFILES = {
    # More vikarier in the summer: June–August weigh more.
    _("Semester (fler vikarier jun–aug)"): [
        1,
        1,
        1,
        1,
        1,
        Decimal("1.2"),
        Decimal("1.4"),
        Decimal("1.2"),
        1,
        1,
        1,
        1,
    ],
}


def budget_profiles(store: Store) -> dict[str, list[Decimal]]:
    """Named 12-month profiles: the defaults and those saved in the database."""
    saved = json.loads(store.setting(PROFILES_KEY) or "{}")
    out = {k: [Decimal(x) for x in v] for k, v in DEFAULT_PROFILES.items()}
    out.update({k: [Decimal(str(x)) for x in v] for k, v in saved.items()})
    return out


def save_budget_profile(store: Store, name: str, weights: Sequence[Decimal | int]) -> None:
    if len(weights) != 12 or any(Decimal(w) < 0 for w in weights) or not any(weights):
        raise ParseError(_("En periodiseringsprofil behöver tolv vikter, ingen negativ."))
    saved = json.loads(store.setting(PROFILES_KEY) or "{}")
    saved[name.strip()] = [str(Decimal(w)) for w in weights]
    store.set_setting(PROFILES_KEY, json.dumps(saved, ensure_ascii=False))


def _num(v: Value) -> Decimal | None:
    return v.number if v.is_number else None


def _leaves(store: Store, root: str, tree: UnitTree | None, figures: Figures | None, month: Month):
    """What a planning form needs: the tree, the figures, netto, and the units under root that
    take figures in ``month`` (the leaves; after a merge the merged unit, docs/units.md)."""
    tree = tree or store.unit_tree()
    units = leaf_units(tree, root, month)
    return tree, figures or Figures(store, tree), store.measures()[NET], units, [u.code for u in units]


# --- budget -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Spread:
    """How an annual budget becomes months: a profile name (TWELFTHS, BY_MONTH or a named one)."""

    name: str
    weights: tuple[Decimal, ...] = ()

    @property
    def label(self) -> str:
        if self.name == TWELFTHS:
            return _("Tolftedelar")
        if self.name == BY_MONTH:
            return _("Egna månadsbelopp")
        return self.name

    def months(self, annual: Decimal, year: int) -> dict[Month, Decimal]:
        if self.weights:
            return by_profile(annual, year, self.weights)
        return twelfths(annual, year)


def budget_form(
    store: Store,
    root: str,
    year: int,
    *,
    version: str = "",
    spread: Spread = Spread(TWELFTHS),
    tree: UnitTree | None = None,
    figures: Figures | None = None,
) -> EntryForm:
    tree, figures, measure, units, codes = _leaves(store, root, tree, figures, Month(year, 1))
    months = [Month(year, m) for m in range(1, 13)]
    the_year = Period.year(year)
    last_year = figures.values(codes, measure, Scenario.ACTUAL, Period.year(year - 1))
    current_annual = figures.values(codes, measure, Scenario.BUDGET, the_year, version)
    columns = [FormColumn(_("Utfall {y}").format(y=year - 1), measure)]
    cells: dict[tuple[int, int], EntryCell] = {}
    for r, u in enumerate(units):
        cells[(r, 0)] = EntryCell(_num(last_year[u.code]))
    if version:
        previous = max([""] + [v["version"] for v in store.budget_versions(year) if v["version"] < version])
        before = figures.values(codes, measure, Scenario.BUDGET, the_year, previous)
        columns.append(FormColumn(_("Budget före"), measure))
        for r, u in enumerate(units):
            cells[(r, 1)] = EntryCell(_num(before[u.code]))
    first = len(columns)
    if spread.name == BY_MONTH:
        monthly = {m: figures.values(codes, measure, Scenario.BUDGET, Period(m, m), version) for m in months}
        for i, m in enumerate(months):
            columns.append(FormColumn(MONTH_ABBR[m.month - 1], measure, input=True))
            for r, u in enumerate(units):
                key = FactKey(u.code, NET, Scenario.BUDGET, Period(m, m), version)
                cells[(r, first + i)] = EntryCell(_num(monthly[m][u.code]), key)
        inputs = list(range(first, first + 12))
        columns.append(
            FormColumn(_("Årsbudget {y}").format(y=year), measure, derive=lambda row: _sum(row, inputs))
        )

        def expand(unit: Unit, values: dict[int, Value]) -> list[Fact]:
            stated = {m: values[c] for m, c in zip(months, inputs, strict=True) if c in values}
            return monthly_budget_facts(unit.code, year, version, stated)

    else:
        columns.append(FormColumn(_("Årsbudget {y}").format(y=year), measure, input=True))
        for r, u in enumerate(units):
            key = FactKey(u.code, NET, Scenario.BUDGET, the_year, version)
            cells[(r, first)] = EntryCell(_num(current_annual[u.code]), key, _history(last_year[u.code]))
        for m in months:
            columns.append(
                FormColumn(
                    MONTH_ABBR[m.month - 1], measure, derive=lambda row, m=m: _spread(row, first, spread, m)
                )
            )

        def expand(unit: Unit, values: dict[int, Value]) -> list[Fact]:
            annual = values.get(first)
            key = FactKey(unit.code, NET, Scenario.BUDGET, the_year, version)
            if annual is None or not annual.is_number or annual.number is None:
                return [Fact(key, Value.status_only(Status.NO_DATA))]
            parts = spread.months(annual.number, year)
            return [
                Fact(key, annual),
                *(
                    Fact(FactKey(unit.code, NET, Scenario.BUDGET, Period(m, m), version), Value.of(a))
                    for m, a in parts.items()
                ),
            ]

    name = _("ombudgetering från {m}").format(m=month_label(_month(version))) if version else _("ursprunglig")
    return EntryForm(
        key=f"budget:{root}:{year}:{version or 'original'}:{spread.name}",
        title=_("Budget {y} för {u} – {v}, {s}").format(
            y=year, u=tree[root].label, v=name, s=spread.label.lower()
        ),
        root=tree[root],
        units=units,
        columns=columns,
        cells=cells,
        locked_period=Period(_month(version), Month(year, 12)) if version else the_year,
        expand=expand,
        plan_within=the_year,
    )


def monthly_budget_facts(unit: str, year: int, version: str, months: dict[Month, Value]) -> list[Fact]:
    """A unit's budget typed month by month (the month form's *Egna månadsbelopp*, the year
    grid): a fact per month with a figure, and the årsbudget as their exact sum (no figure: the
    årsbudget says "no data"). Saved with ``Store.write_plan`` within the year, which removes
    the unit's other stated pieces of the year (a month emptied, a stated jan–maj)."""
    facts = [
        Fact(FactKey(unit, NET, Scenario.BUDGET, Period(m, m), version), v)
        for m, v in sorted(months.items())
        if v.is_number
    ]
    numbers = [v.number for v in months.values() if v.is_number and v.number is not None]
    annual = Value.of(sum(numbers, Decimal(0))) if numbers else Value.status_only(Status.NO_DATA)
    return [*facts, Fact(FactKey(unit, NET, Scenario.BUDGET, Period.year(year), version), annual)]


def _month(version: str) -> Month:
    y, m = version.split("-")
    return Month(int(y), int(m))


def _history(v: Value) -> tuple[Decimal, ...]:
    return (v.number,) if v.is_number and v.number is not None else ()


def _sum(row: dict[int, Value | None], columns: list[int]) -> Decimal | None:
    numbers = [
        v.number for c in columns if (v := row.get(c)) is not None and v.is_number and v.number is not None
    ]
    return sum(numbers, Decimal(0)) if numbers else None


def _spread(row: dict[int, Value | None], column: int, spread: Spread, month: Month) -> Decimal | None:
    v = row.get(column)
    if v is None or not v.is_number or v.number is None:
        return None
    try:
        return spread.months(v.number, month.year)[month]
    except ParseError:
        return None


# --- prognos ------------------------------------------------------------------------------
def forecast_form(
    store: Store,
    root: str,
    month: Month,
    *,
    tree: UnitTree | None = None,
    figures: Figures | None = None,
) -> EntryForm:
    tree, figures, measure, units, codes = _leaves(store, root, tree, figures, month)
    year, ytd = Period.year(month.year), Period.year_to_date(month.year, month.month)
    versions = budget_in_effect(figures, codes, measure, month)
    annual = {c: b.amount for c, b in budget_values(figures, codes, measure, year, versions).items()}
    budget_ytd = {c: b.amount for c, b in budget_values(figures, codes, measure, ytd, versions).items()}
    actual_ytd = {c: _num(v) for c, v in figures.values(codes, measure, Scenario.ACTUAL, ytd).items()}
    earlier = forecast_versions(store, codes, month)
    columns = [
        FormColumn(_("Årsbudget"), measure),
        FormColumn(_("Utfall {p}").format(p=ytd.label()), measure),
        FormColumn(_("Förslag: utfall + återstående budget"), measure),
        FormColumn(_("Förslag: samma takt"), measure),
    ]
    cells: dict[tuple[int, int], EntryCell] = {}
    for r, u in enumerate(units):
        a, b, ann = actual_ytd[u.code], budget_ytd[u.code], annual[u.code]
        cells[(r, 0)] = EntryCell(ann)
        cells[(r, 1)] = EntryCell(a)
        cells[(r, 2)] = EntryCell(
            rounded(with_remaining_budget(a, b, ann)) if None not in (a, b, ann) else None  # type: ignore[arg-type]
        )
        pace = (
            run_rate(a, month.month, budget_ytd=b, annual_budget=ann)
            if a is not None and b is not None and ann is not None
            else (run_rate(a, month.month) if a is not None else None)
        )
        cells[(r, 3)] = EntryCell(rounded(pace) if pace is not None else None)
    for v in earlier:
        c = len(columns)
        columns.append(FormColumn(_("Prognos per {m}").format(m=MONTH_ABBR[_month(v).month - 1]), measure))
        figs = figures.values(codes, measure, Scenario.FORECAST, year, v)
        for r, u in enumerate(units):
            cells[(r, c)] = EntryCell(_num(figs[u.code]))
    c = len(columns)
    now_version = str(month)
    columns.append(
        FormColumn(_("Prognos per {m}").format(m=MONTH_ABBR[month.month - 1]), measure, input=True)
    )
    current = figures.values(codes, measure, Scenario.FORECAST, year, now_version)
    for r, u in enumerate(units):
        history = tuple(x for i in range(len(earlier)) if (x := cells[(r, 4 + i)].value) is not None)
        cells[(r, c)] = EntryCell(
            _num(current[u.code]), FactKey(u.code, NET, Scenario.FORECAST, year, now_version), history
        )
    return EntryForm(
        key=f"prognos:{root}:{month}",
        title=_("Helårsprognos {y} per {m} för {u}").format(
            y=month.year, m=month_label(month), u=tree[root].label
        ),
        root=tree[root],
        units=units,
        columns=columns,
        cells=cells,
        locked_period=Period(month, month),
    )


SUGGESTIONS = {"budget": 2, "takt": 3}  # the suggestion columns of the prognos form


def forecast_versions(store: Store, codes: list[str], before: Month) -> list[str]:
    """The months a prognos was made for the year before ``before``, oldest first."""
    versions = store.versions_before(codes, Scenario.FORECAST, Period.year(before.year), str(before))
    return [v for v in versions if len(v) == 7]
