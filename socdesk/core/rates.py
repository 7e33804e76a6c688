"""Figures computed by a measure's formula from stated figures: kr per invånare, per 10 000
invånare, and any other declared formula. Exact ``Decimal``; rounded half-up only for display.

A formula names measure keys (``netto / invanare``, ``placeringar / invanare * 10000``). Every
input is read for the same unit, scenario, period, version, kön and grupp as the figure –
except a population (a measure whose unit of measure is ``invånare``): a population is stated
per year, so a figure for a month, tertial or year-to-date is divided by the population of the
calendar year it lies in, of the same kön; of the same grupp where the population is stated for
it (an age group), else of the whole population (a grupp that breaks down the counted thing,
such as an insats). A figure for a period over two years has no population. ``input_keys``
is that rule, for ``socdesk check`` (a stated rate against the computed one) and for every
view that shows a computed rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from socdesk.core.errors import ParseError
from socdesk.core.facts import FactKey, Scenario
from socdesk.core.formula import alternatives
from socdesk.core.keyfigures import period_variables
from socdesk.core.measures import Measure
from socdesk.core.numbers import round_half_up
from socdesk.core.periods import Period
from socdesk.core.values import Value

# Decimals a computed figure is shown with, by unit of measure (others: whole numbers).
DISPLAY_DECIMALS = {"kr/invånare": 2, "per 10 000": 1, "%": 1, "index": 1, "medeltal": 1}


def population_period(period: Period) -> Period | None:
    """The year whose population serves a figure for ``period``; None across two years."""
    if period.start.year != period.end.year:
        return None
    return Period.year(period.start.year)


def input_keys(key: FactKey, measure: Measure | None, name: str) -> list[FactKey]:
    """Where input ``name`` of a formula for ``key`` is read, in order of preference."""
    same = replace(key, measure=name)
    if measure is None or not measure.is_population:
        return [same]
    year = population_period(key.period)
    if year is None:
        return []
    out = []
    for scenario in dict.fromkeys((key.scenario, Scenario.ACTUAL)):
        base = replace(same, scenario=scenario, period=year, version="")
        out.append(base)
        if key.group:
            out.append(replace(base, group=""))
    return list(dict.fromkeys(out))


def uses_population(measure: Measure, measures: dict[str, Measure]) -> bool:
    """Whether any alternative of the measure's formula reads a population."""
    if not measure.formula:
        return False
    try:
        formulas = alternatives(measure.formula)
    except ParseError:  # stored before formulas were checked: no rate, rather than no view
        return False
    inputs = {name for f in formulas for name in f.inputs}
    return any((m := measures.get(name)) is not None and m.is_population for name in inputs)


def compute(
    measure: Measure,
    key: FactKey,
    measures: dict[str, Measure],
    lookup: Callable[[FactKey], Value | None],
) -> Decimal | None:
    """The exact figure of ``measure``'s formula for ``key``: the first alternative whose inputs
    are all stated numbers (``lookup`` gives a stated value or None) and whose divisors are not
    zero; the period variables are ``keyfigures.period_variables`` (``dagar`` the actual days,
    ``dagar365``). None when no alternative can be computed."""
    if not measure.formula:
        return None
    for formula in alternatives(measure.formula):
        env: dict[str, Decimal] = {}
        for name in formula.inputs:
            found = None
            for k in input_keys(key, measures.get(name), name):
                v = lookup(k)
                if v is not None and v.is_number:
                    found = v
                    break
            if found is None or found.number is None:
                break
            env[name] = found.number
        else:
            env |= {k: Decimal(v) for k, v in period_variables(key.period).items()}
            result = formula.exact(env)
            if result is not None:
                return result
    return None


def shown(number: Decimal, measure: Measure) -> Value:
    """A computed figure as it is shown: rounded half-up to the measure's display decimals."""
    return Value.of(round_half_up(number, DISPLAY_DECIMALS.get(measure.unit, 0)))
