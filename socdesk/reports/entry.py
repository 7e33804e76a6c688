"""The content of the entry forms as plain data: which cells may be typed, and the figures
shown beside them for context.

A form is a grid: rows are the leaf units of a subtree, columns are either *input* (a figure
to type, with the fact it becomes) or *context* (a figure shown, read-only). The utfall form is
one month: per measure the figure, last month and the same month last year. The prognos and
budget forms (``socdesk.reports.planning``) use the same shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Value
from socdesk.store.db import Store
from socdesk.store.figures import Figures

NET = "netto"


class Part(StrEnum):
    ECONOMY = "ekonomi"
    STATISTICS = "statistik"

    @property
    def label(self) -> str:
        return {Part.ECONOMY: _("Ekonomi"), Part.STATISTICS: _("Statistik")}[self]


@dataclass(frozen=True, slots=True)
class FormColumn:
    title: str
    measure: Measure  # decides the unit typed (tkr for money) and the checks
    input: bool = False
    # A context column may be computed from the row's typed values (by input column index).
    derive: Callable[[dict[int, Value | None]], Decimal | None] | None = None


@dataclass(frozen=True, slots=True)
class EntryCell:
    value: Decimal | None  # stated now (input) or shown (context)
    key: FactKey | None = None  # what an input cell is saved as
    history: tuple[Decimal, ...] = ()  # earlier figures for the plausibility warning
    note: str = ""  # a warning that holds whatever is typed (e.g. a stated piece covers the month)


# Turns one row's changed typed values into the facts to save (default: one fact per cell).
Expand = Callable[[Unit, dict[int, Value]], list[Fact]]


@dataclass(frozen=True, slots=True)
class EntryForm:
    key: str  # names the form's draft
    title: str
    root: Unit
    units: list[Unit]
    columns: list[FormColumn]
    cells: dict[tuple[int, int], EntryCell]  # (row, column)
    locked_period: Period  # what a period lock on the root would make read-only
    expand: Expand | None = None
    # A plan (budget) replaces the units' stated pieces inside this period when saved.
    plan_within: Period | None = None

    @property
    def inputs(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.input]


@dataclass(frozen=True, slots=True)
class FormTarget:
    """What a form's draft key (``EntryForm.key``) names: the kind of form (utfall, budget,
    prognos, or arsvy for the year grid), its unit, its month (None for a year's budget;
    january of the year for the year grid) and, for utfall, the part (for the year grid the
    kind of figures it holds)."""

    kind: str
    unit: str
    month: Month | None
    part: str | None = None


def form_target(key: str) -> FormTarget | None:
    """The form a draft key was made for (the keys are made by ``actual_form``,
    ``planning.budget_form``, ``planning.forecast_form`` and ``year_grid.year_key``); None for a
    key it does not know."""
    from socdesk.core.errors import SocdeskError
    from socdesk.core.periods import parse_period

    kind, *rest = key.split(":")
    try:
        if kind == "utfall":
            return FormTarget(kind, rest[1], parse_period(rest[2]).start, rest[0])
        if kind == "prognos":
            return FormTarget(kind, rest[0], parse_period(rest[1]).start)
        if kind == "budget":
            return FormTarget(kind, rest[0], None)
        if kind == "arsvy" and rest[2].isdigit():  # arsvy:KIND:UNIT:YEAR[:VERSION]
            return FormTarget(kind, rest[1], Month(int(rest[2]), 1), rest[0])
    except (IndexError, SocdeskError):
        pass
    return None


def leaf_units(tree: UnitTree, root: str, month: Month | None = None) -> list[Unit]:
    """The units figures are entered on: the leaves. With ``month``, the units open that month
    whose children are all closed by it (docs/units.md: a merged unit takes its own figures
    from the merge month, its closed children no longer)."""
    if month is None:
        return [u for u in [tree[root], *tree.descendants(root)] if tree.is_leaf(u.code)]
    at = str(month)

    def open_(u: Unit) -> bool:
        return not u.closed_from or u.closed_from > at

    return [
        u
        for u in [tree[root], *tree.descendants(root)]
        if open_(u) and not any(open_(c) for c in tree.children(u.code))
    ]


def part_measures(store: Store, codes: list[str], part: Part) -> list[Measure]:
    """Economy: netto, and kostnader/intäkter where the units have them. Statistics: the
    volume measures the units have figures for (never a computed key figure)."""
    all_measures = store.measures()
    used = _used_measures(store, codes)
    if part is Part.ECONOMY:
        extra = [all_measures[k] for k in ("kostnader", "intakter") if k in used and k in all_measures]
        return [all_measures[NET], *extra] if NET in all_measures else extra
    return [m for k, m in all_measures.items() if k in used and not m.is_money and not m.formula]


def _used_measures(store: Store, codes: list[str]) -> set[str]:
    return store.measures_stated(codes, (Scenario.ACTUAL, Scenario.BUDGET))


def month_label(month: Month) -> str:
    return Period(month, month).label()


def _number(v: Value) -> Decimal | None:
    return v.number if v.is_number else None


def _stated_month_averages(
    store: Store, codes: list[str], measure: str, month: Month
) -> dict[str, tuple[Decimal, ...]]:
    """For the plausibility warning of units without monthly figures: the utfall they state for
    longer periods in the twelve months before ``month`` (jan–maj from the monthly report), as
    that many months of its average – 17 175 tkr for jan–maj is five months of 3 435."""
    out: dict[str, list[Decimal]] = {}
    window = Period(month + -12, month + -1)
    for f in store.facts(units=codes, measure=measure, scenario=Scenario.ACTUAL, within=window):
        n = f.key.period.n_months
        if n > 1 and f.value.is_number and not f.key.gender and not f.key.group:
            out.setdefault(f.key.unit, []).extend([f.value.number / n] * n)  # type: ignore[operator]
    return {code: tuple(v) for code, v in out.items()}


def actual_form(
    store: Store,
    root: str,
    month: Month,
    part: Part = Part.ECONOMY,
    *,
    tree: UnitTree | None = None,
    figures: Figures | None = None,
) -> EntryForm:
    """Utfall for one month: per measure the figure, last month and the same month last year."""
    tree = tree or store.unit_tree()
    figures = figures or Figures(store, tree)
    units = leaf_units(tree, root, month)
    codes = [u.code for u in units]
    columns: list[FormColumn] = []
    cells: dict[tuple[int, int], EntryCell] = {}
    for m in part_measures(store, codes, part):
        numbers = {
            i: {
                c: _number(v)
                for c, v in figures.values(codes, m, Scenario.ACTUAL, Period(month + i, month + i)).items()
            }
            for i in range(-12, 1)
        }
        first = len(columns)
        columns += [
            FormColumn(m.name, m, input=True),
            FormColumn(month_label(month + -1), m),
            FormColumn(month_label(month + -12), m),
        ]
        covering = _covering_pieces(store, codes, m.key, month)
        averaged = _stated_month_averages(store, codes, m.key, month)
        for r, u in enumerate(units):
            history = tuple(n for i in range(-12, 0) if (n := numbers[i][u.code]) is not None)
            history = history or averaged.get(u.code, ())
            key = FactKey(u.code, m.key, Scenario.ACTUAL, Period(month, month))
            note = ""
            if u.code in covering:
                note = _(
                    "{u} har redan ett angivet utfall för {p}, som täcker {m}; det du skriver här ändrar "
                    "inte den summan (rätta den med en ny import eller i historiken)."
                ).format(u=u.code, p=covering[u.code].label(), m=month_label(month))
            cells[(r, first)] = EntryCell(numbers[0][u.code], key, history, note)
            cells[(r, first + 1)] = EntryCell(numbers[-1][u.code])
            cells[(r, first + 2)] = EntryCell(numbers[-12][u.code])
    title = _("Utfall {p} för {u} – {part}").format(
        p=month_label(month), u=tree[root].label, part=part.label.lower()
    )
    return EntryForm(
        key=f"utfall:{part.value}:{root}:{month}",
        title=title,
        root=tree[root],
        units=units,
        columns=columns,
        cells=cells,
        locked_period=Period(month, month),
    )


def _covering_pieces(store: Store, codes: list[str], measure: str, month: Month) -> dict[str, Period]:
    """Units whose utfall is stated for a longer period that contains the month (e.g. jan–maj):
    a figure typed for the month alone does not change that stated sum."""
    return store.ranges_containing(codes, measure, Scenario.ACTUAL, month)
