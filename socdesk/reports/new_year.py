"""Nytt budgetår: next year's årsbudget per leaf unit from last year's årsbudget (the budget in
effect at December, after any ombudgetering) or last year's utfall, changed by a percentage for
the whole board or per unit or level (the nearest ancestor's percentage applies), spread over
the months as chosen. Figures already entered for the new year are never overwritten: such a
unit is listed and left as it is. ``plan_new_year`` is the preview; ``apply_new_year`` writes
it, audited, in one transaction (the same path as the budget form's Spara)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.numbers import round_half_up
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.reports.budget import budget_in_effect, versioned_values
from socdesk.reports.entry import NET
from socdesk.reports.planning import TWELFTHS, Spread, _leaves
from socdesk.store.budgets import stated_periods
from socdesk.store.db import Store

SOURCE = "nytt-budgetar"
EQUAL_MONTHS = Spread(TWELFTHS)


class Base(StrEnum):
    BUDGET = "budget"
    ACTUAL = "utfall"

    @property
    def label(self) -> str:
        return _("årsbudget") if self is Base.BUDGET else _("utfall")


class Outcome(StrEnum):
    NEW = "ny"  # a budget is proposed and will be written
    KEPT = "finns"  # the new year already has budget figures: left untouched
    NO_BASE = "saknas"  # no figure last year to start from

    @property
    def label(self) -> str:
        return {
            Outcome.NEW: _("ny budget"),
            Outcome.KEPT: _("finns redan – lämnas orörd"),
            Outcome.NO_BASE: _("ingen grund förra året"),
        }[self]


@dataclass(frozen=True, slots=True)
class NewYearRow:
    unit: Unit
    base: Decimal | None  # last year's årsbudget or utfall
    percent: Decimal  # the change applied
    proposed: Decimal | None  # base × (1 + percent/100), whole kronor
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class NewYearPlan:
    root: str
    from_year: int
    to_year: int
    base: Base
    spread: Spread
    rows: list[NewYearRow]

    @property
    def new(self) -> list[NewYearRow]:
        return [r for r in self.rows if r.outcome is Outcome.NEW]

    @property
    def total(self) -> Decimal:
        return sum((r.proposed for r in self.new if r.proposed is not None), Decimal(0))

    def facts(self) -> list[Fact]:
        """The årsbudget and its months for every unit that gets a new budget."""
        year = Period.year(self.to_year)
        out: list[Fact] = []
        for row in self.new:
            assert row.proposed is not None
            out.append(Fact(FactKey(row.unit.code, NET, Scenario.BUDGET, year), Value.of(row.proposed)))
            for month, amount in self.spread.months(row.proposed, self.to_year).items():
                out.append(
                    Fact(FactKey(row.unit.code, NET, Scenario.BUDGET, Period(month, month)), Value.of(amount))
                )
        return out


def percent_for(code: str, percents: Mapping[str, Decimal], path: list[str]) -> Decimal:
    """The percentage of the nearest of ``path`` (the unit and its ancestors, nearest first)
    that has one; the board's (key ``""``) otherwise."""
    for c in path:
        if c in percents:
            return percents[c]
    return percents.get("", Decimal(0))


def plan_new_year(
    store: Store,
    root: str,
    from_year: int,
    to_year: int,
    percents: Mapping[str, Decimal],
    *,
    base: Base = Base.BUDGET,
    spread: Spread = EQUAL_MONTHS,
) -> NewYearPlan:
    """The preview: per leaf unit under ``root``, what it started from, the change and the
    proposed årsbudget, or why it gets none. ``percents``: ``""`` for the board, unit codes
    for a unit and its subtree."""
    if to_year <= from_year:
        raise SocdeskError(
            _("Det nya budgetåret ({t}) måste komma efter {f}.").format(t=to_year, f=from_year)
        )
    tree, figures, measure, units, codes = _leaves(store, root, None, None, Month(to_year, 1))
    unknown = sorted(c for c in percents if c and c not in tree)
    if unknown:
        raise SocdeskError(_("Enheten {u} finns inte.").format(u=", ".join(unknown)))
    if base is Base.BUDGET:
        versions = budget_in_effect(figures, codes, measure, Month(from_year, 12))
        last = versioned_values(figures, codes, measure, Scenario.BUDGET, Period.year(from_year), versions)
    else:
        values = figures.values(codes, measure, Scenario.ACTUAL, Period.year(from_year))
        last = {c: v.number if v.is_number else None for c, v in values.items()}
    entered = stated_periods(store, codes, NET, Scenario.BUDGET.value, to_year)
    rows = []
    for unit in units:
        pct = percent_for(unit.code, percents, [u.code for u in reversed(tree.path(unit.code))])
        start = last.get(unit.code)
        if entered.get(unit.code):
            rows.append(NewYearRow(unit, start, pct, None, Outcome.KEPT))
        elif start is None:
            rows.append(NewYearRow(unit, None, pct, None, Outcome.NO_BASE))
        else:
            proposed = round_half_up(start * (100 + pct) / 100)
            rows.append(NewYearRow(unit, start, pct, proposed, Outcome.NEW))
    return NewYearPlan(root, from_year, to_year, base, spread, rows)


def apply_new_year(store: Store, plan: NewYearPlan) -> int:
    """Write the plan's new budgets (audited as ``nytt-budgetar``, one transaction); the number
    of figures written. Units with figures in the new year are not in it."""
    facts = plan.facts()
    if not facts:
        return 0
    return store.write_plan(facts, source=SOURCE, within=Period.year(plan.to_year))
