"""What a report's remaining-work list (``reports.board.draft_reasons``) reads, in one pass over
the subtree's facts of the year (``Store.remaining_scan``), so that it is fast at a large board:

- how each measure occurs (``Store.check_uses``) and which measures have a unit-year where a
  sign anomaly may be (the unit-years ``facts_for_check`` reads for a measure of
  ``Scope.signs``): the check's two grouped passes made one, so that a check none of whose
  rules can find anything reads no fact at all (``board.check_findings``);
- the figures a flag rests on, for the leaves (units without children) of one measure, whole
  figures (no kön, no grupp), up to a month: the utfall year to date, the budget year to date
  and for the year (the original, version ''), and the helårsprognos in its latest version up
  to the month – exactly what ``Figures.values`` and ``budget_values`` give such a leaf, so
  that the flagged units (``reports.economy.flagged_units``) need not be asked of ``Figures``
  unit by unit for 5 000 verksamheter. A leaf is *plain* when all that is simple: every utfall
  and budget fact of the measure in the year a month with a number, no version of either (an
  ombudgetering), the latest prognos one stated figure for exactly the year. The other leaves
  (and every unit with children) are left to ``Figures`` and the budget rules, which decide
  every case.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from socdesk.core.checks import SIGN_SCENARIOS_SKIPPED, MeasureUse
from socdesk.core.periods import Period
from socdesk.core.values import from_store_int
from socdesk.store.connection import Connection

# One pass over the facts read (``{where}``: a subtree, a period): each series (unit, measure,
# scenario, kön, grupp, version) – in each calendar year its figures lie in, unless the period
# is inside one ({years} empty: the covering index's order, no sort) – with ``check_facts._USES``'s
# columns; the figures the sign rule counts (``check_facts._ODD_SIGNS``: a value ≠ 0, in one
# calendar year) by sign; and the sums a leaf's flag needs: up to the month :at, and in all,
# whether any figure is not a number, and the number stated for exactly the period.
_SERIES = (
    "SELECT f.unit_id, f.measure, f.scenario, f.gender, f.grp, f.version, "
    "f.unit_id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL), "
    "f.gender <> '' OR f.grp <> '', f.scenario IN (SELECT value FROM json_each(:stated)), "
    "count(*), max(f.period_start <> f.period_end), "
    "CASE WHEN substr(f.period_start, 1, 4) = substr(f.period_end, 1, 4) THEN substr(f.period_start, 1, 4) "
    "END AS year, sum(f.value < 0), sum(f.value > 0), "  # value is NULL exactly when not a number
    "sum(f.value) FILTER (WHERE f.period_end <= :at), count(*) FILTER (WHERE f.period_end <= :at), "
    "sum(f.value), count(f.value), "
    "max(f.value) FILTER (WHERE f.period_start = :start AND f.period_end = :end) "
    "FROM facts f WHERE {where} GROUP BY f.unit_id, f.measure, f.scenario, f.gender, f.grp, f.version{years}"
)
_SUMMED = ("utfall", "budget")  # the scenarios a leaf's flag sums by month (original version)
_FORECAST = "prognos"


@dataclass(frozen=True, slots=True)
class LeafFigures:
    """A plain leaf's figures (None: nothing stated)."""

    actual_ytd: Decimal | None
    budget_ytd: Decimal | None
    annual_budget: Decimal | None
    forecast: Decimal | None


@dataclass
class Scan:
    uses: list[MeasureUse]  # how each measure occurs (as ``check_uses``)
    odd: set[str]  # measures with a unit-year where one figure has the opposite sign to ≥ 2
    plain: dict[str, LeafFigures]  # plain leaves (code → figures), when asked for
    other: set[str]  # leaves whose figures ``Figures`` must decide


class RemainingWork(Connection):
    def remaining_scan(
        self, root: str | None, within: Period | None, leaves: tuple[str, str] | None = None
    ) -> Scan:
        """One pass over the facts of ``root``'s subtree (every unit: ``None``) inside
        ``within`` (every period: ``None``): how each measure occurs, the measures where a sign
        anomaly may be, and – with ``leaves`` (measure, month "2024-08"; ``within`` one year)
        – the plain leaves' figures of that measure up to that month, and the other leaves. A
        leaf with no figure of the year is in neither."""
        where = ["1"]
        named: dict[str, object] = {
            "stated": json.dumps(sorted(s.value for s in SIGN_SCENARIOS_SKIPPED)),
            "at": leaves[1] if leaves else "",
            "start": str(within.start) if within else "",
            "end": str(within.end) if within else "",
        }
        if root is not None:
            where.append(
                "f.unit_id IN (SELECT c.descendant_id FROM unit_closure c JOIN units r "
                "ON r.id = c.ancestor_id WHERE r.code = :root)"
            )
            named["root"] = root
        if within is not None:
            where.append("f.period_start >= :start AND f.period_end <= :end")
        one_year = within is not None and within.start.year == within.end.year
        sql = _SERIES.format(where=" AND ".join(where), years="" if one_year else ", year")
        wanted, at = leaves if leaves and one_year else (None, "")
        # measure → at_whole, split, stated_check, plain, grain (check_facts._USES's columns)
        uses: dict[str, list[bool]] = {}
        series: dict[tuple, list[int]] = {}  # a series split by year: its count, any longer figure
        signs: dict[tuple, list[int]] = {}  # (unit, measure, kön, grupp, year) → negative, positive
        sums: dict[int, dict[str, tuple]] = {}  # leaf → scenario → (to :at, count, in all, count)
        forecast: dict[int, tuple] = {}  # leaf → its latest prognos: version, count, the year's number
        other: set[int] = set()
        for row in self.conn.execute(sql, named):
            unit, measure, scenario, gender, grp, version, whole, split, stated, n, longer, year = row[:12]
            use = uses.get(measure)
            if use is None:
                use = uses[measure] = [False] * 5
            use[0] = use[0] or bool(whole)
            use[1] = use[1] or bool(split)
            use[2] = use[2] or bool(stated)
            use[3] = use[3] or not stated
            if one_year:
                use[4] = use[4] or (n >= 2 and bool(longer))
            else:
                tally = series.setdefault((unit, measure, scenario, gender, grp, version), [0, 0])
                tally[0] += n
                tally[1] = tally[1] or longer
            neg, pos, to_at, n_at, total, numbers, exact = row[12:]
            not_number = numbers < n
            if not stated and year is not None and (neg or pos):
                counts = signs.setdefault((unit, measure, gender, grp, year), [0, 0])
                counts[0] += neg
                counts[1] += pos
            if measure != wanted or whole or gender or grp:
                continue
            if scenario in _SUMMED:
                if version or longer or not_number:  # an ombudgetering, a range, a status
                    other.add(unit)
                else:
                    sums.setdefault(unit, {})[scenario] = (to_at, n_at, total, n)
            elif (
                scenario == _FORECAST
                and version
                and version <= at
                and (unit not in forecast or version > forecast[unit][0])
            ):
                forecast[unit] = (version, n, exact if not not_number else None)
        for (_unit, measure, *_rest), (n, longer) in series.items():
            uses[measure][4] = uses[measure][4] or (n >= 2 and bool(longer))
        odd = {key[1] for key, (neg, pos) in signs.items() if neg + pos >= 3 and 1 in (neg, pos)}
        plain: dict[str, LeafFigures] = {}
        if wanted is not None:
            codes = dict(self.conn.execute("SELECT id, code FROM units"))
            for unit in sums.keys() | forecast.keys():
                if unit in other:
                    continue
                version_n_value = forecast.get(unit)
                if version_n_value is not None and (version_n_value[1] != 1 or version_n_value[2] is None):
                    other.add(unit)  # the prognos is not one stated figure for exactly the year
                    continue
                actual = sums.get(unit, {}).get("utfall")
                budget = sums.get(unit, {}).get("budget")
                plain[codes[unit]] = LeafFigures(
                    _amount(actual[0], actual[1]) if actual else None,
                    _amount(budget[0], budget[1]) if budget else None,
                    _amount(budget[2], budget[3]) if budget else None,
                    from_store_int(version_n_value[2]) if version_n_value else None,
                )
            other_codes = {codes[u] for u in other}
        else:
            other_codes = set()
        return Scan([MeasureUse(m, *flags) for m, flags in uses.items()], odd, plain, other_codes)


def _amount(total: int | None, n: int) -> Decimal | None:
    return from_store_int(total) if n and total is not None else None
