"""The reference figure of one cell (``Store.value``: the exact rules of
``socdesk.core.resolution`` on the stored facts) and the last month a unit has figures for."""

from __future__ import annotations

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.resolution import Piece, resolve
from socdesk.core.units import UnitTree
from socdesk.core.values import Value
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
        """The figure for a unit and period (total over kön and grupp) by the exact rules,
        ``socdesk.core.resolution.resolve``, on the unit's stated facts. This is the reference;
        ``socdesk.store.figures`` answers the same in bulk. The children are the unit's
        components: a "därav" part is not summed into its parent.
        """
        trees = [tree] if tree is not None else []

        def children(code: str) -> list[str]:
            if not trees:  # read once, and only when a figure needs the children
                trees.append(self.unit_tree())
            return [c.code for c in trees[0].components(code)]  # a "därav" part is no piece of the sum

        def stated(code: str) -> dict[Piece, Value]:
            return self._stated_pieces(code, measure, scenario, period, version)

        return resolve(unit, measure, period, stated, children)

    def _stated_pieces(
        self, unit: str, measure: Measure, scenario: Scenario, period: Period, version: str
    ) -> dict[Piece, Value]:
        """The unit's stated figures inside ``period`` (totals over kön and grupp), by piece."""
        rows = self.conn.execute(
            "SELECT f.period_start, f.period_end, f.value, f.status, f.resolution FROM facts f "
            "JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ? "
            "AND f.version = ? AND f.gender = '' AND f.grp = '' AND f.period_start >= ? "
            "AND f.period_end <= ?",
            (unit, measure.key, scenario.value, version, str(period.start), str(period.end)),
        ).fetchall()
        return {(s, e): _value(v, st, r) for s, e, v, st, r in rows}

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
