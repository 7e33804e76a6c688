"""The reference figure of one cell (``Store.value``: the exact resolution rules) and the last
month a unit has figures for."""

from __future__ import annotations

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.core.values import Status, Value, from_store_int
from socdesk.store.facts import _value
from socdesk.store.units import Units


class Reference(Units):
    def value(
        self,
        unit: str,
        measure: Measure,
        scenario: Scenario,
        period: Period,
        *,
        version: str = "",
        tree: UnitTree | None = None,
    ) -> Value:
        """The figure for a unit and period (total over kön and grupp).

        A fact stated for exactly the period wins; otherwise the unit's stated facts inside the
        period that cover it exactly with the fewest pieces (additive-over-time measures);
        otherwise, for measures additive over units, the sum of the children's figures. A unit
        without children sums what it has inside the period (utfall so far, months missing).
        This is the reference; ``socdesk.store.figures`` answers the same in bulk.
        """
        rows = self.conn.execute(
            "SELECT f.period_start, f.period_end, f.value, f.status, f.resolution FROM facts f "
            "JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ? "
            "AND f.version = ? AND f.gender = '' AND f.grp = '' AND f.period_start >= ? "
            "AND f.period_end <= ?",
            (unit, measure.key, scenario.value, version, str(period.start), str(period.end)),
        ).fetchall()
        pieces = {(s, e): (v, st, r) for s, e, v, st, r in rows}
        exact = pieces.get((str(period.start), str(period.end)))
        if exact is not None:
            return _value(*exact)
        tree = tree or self.unit_tree()
        children = tree.children(unit) if measure.additive_units else []
        if measure.additive_time and pieces:
            cover = _cover(period, list(pieces), gaps=not children)
            if cover:
                return _sum_values([_value(*pieces[p]) for p in cover])
        if children:
            parts = [
                self.value(c.code, measure, scenario, period, version=version, tree=tree) for c in children
            ]
            return _sum_values(parts)
        return Value.status_only(Status.NO_DATA)

    def last_month_with(
        self, measure: str, scenario: Scenario, unit: str, *, subtree: bool = True
    ) -> Month | None:
        """The last month a stated fact of the unit (or, failing that, of its subtree) covers."""
        own = self.conn.execute(
            "SELECT max(f.period_end) FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ?",
            (unit, measure, scenario.value),
        ).fetchone()[0]
        if own is None and subtree:
            own = self.conn.execute(
                "SELECT max(r.period_end) FROM units u CROSS JOIN rollup r ON r.unit_id = u.id "
                "WHERE u.code = ? AND r.measure = ? AND r.scenario = ?",
                (unit, measure, scenario.value),
            ).fetchone()[0]
        if not own:
            return None
        year, month = (int(x) for x in own.split("-"))
        return Month(year, month)


def _sum_values(parts: list[Value]) -> Value:
    """Sum of figures; no data where none has a number; suppressed if any part is."""
    if any(p.status is Status.SUPPRESSED for p in parts):
        return Value.status_only(Status.SUPPRESSED)
    numbers = [p for p in parts if p.is_number]
    if not numbers:
        return Value.status_only(Status.NO_DATA)
    resolutions = [p.resolution for p in numbers if p.resolution is not None]
    return Value(
        sum((p.number for p in numbers), start=from_store_int(0)),  # type: ignore[misc]
        Status.VALUE,
        max(resolutions) if resolutions else None,
    )


def _cover(
    period: Period, pieces: list[tuple[str, str]], *, gaps: bool = False
) -> list[tuple[str, str]] | None:
    """Stated pieces inside ``period`` that do not overlap: the fewest that tile it exactly
    (dynamic programming over months); failing that, with ``gaps``, the single months stated
    inside it – booked month by month, a month without a booking is nothing booked, whereas a
    stated range (a tertial, a year to date) says nothing about a longer period."""
    start = period.start.index
    n = period.n_months
    by_start: dict[int, list[tuple[int, tuple[str, str]]]] = {}
    for s, e in pieces:
        si, ei = _month_index(s), _month_index(e)
        by_start.setdefault(si - start, []).append((ei - start + 1, (s, e)))
    # best[i]: (uncovered months, pieces) for months 0..i-1
    best: list[tuple[int, list[tuple[str, str]]] | None] = [None] * (n + 1)
    best[0] = (0, [])

    def offer(i: int, candidate: tuple[int, list[tuple[str, str]]]) -> None:
        current = best[i]
        if current is None or (candidate[0], len(candidate[1])) < (current[0], len(current[1])):
            best[i] = candidate

    for i in range(n):
        here = best[i]
        if here is None:
            continue
        for end, piece in by_start.get(i, []):
            if end <= n:
                offer(end, (here[0], [*here[1], piece]))
    result = best[n]
    if result is not None and result[1]:
        return result[1]
    if gaps:
        months = [(s, e) for s, e in pieces if s == e]
        return sorted(months) or None
    return None


def _month_index(text: str) -> int:
    y, m = text.split("-")
    return Month(int(y), int(m)).index
