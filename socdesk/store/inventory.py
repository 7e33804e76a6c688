"""What is stated where: the measures, periods, versions and sources units have figures for –
what forms and reports ask before they ask for the figures themselves (``Store.value``,
``socdesk.store.figures``)."""

from __future__ import annotations

from collections.abc import Iterable

from socdesk.core.facts import Scenario
from socdesk.core.periods import Month, Period, parse_period
from socdesk.store.connection import Connection, like_prefix


def _marks(values: list) -> str:
    return ", ".join("?" * len(values))


class Inventory(Connection):
    def measures_stated(self, codes: list[str], scenarios: Iterable[Scenario]) -> set[str]:
        """The measures any of the units has a fact of (in any of the scenarios) for."""
        scenarios = [s.value for s in scenarios]
        if not codes or not scenarios:
            return set()
        rows = self.conn.execute(
            f"SELECT DISTINCT f.measure FROM facts f JOIN units u ON u.id = f.unit_id "
            f"WHERE u.code IN ({_marks(codes)}) AND f.scenario IN ({_marks(scenarios)})",
            (*codes, *scenarios),
        )
        return {r[0] for r in rows}

    def ranges_containing(
        self, codes: list[str], measure: str, scenario: Scenario, month: Month
    ) -> dict[str, Period]:
        """Units whose figure (total over kön and grupp) is stated for a longer period that
        contains the month (e.g. jan–maj); the first such period of each unit."""
        if not codes:
            return {}
        rows = self.conn.execute(
            f"SELECT u.code, f.period_start, f.period_end FROM facts f JOIN units u ON u.id = f.unit_id "
            f"WHERE u.code IN ({_marks(codes)}) AND f.measure = ? AND f.scenario = ? AND f.gender = '' "
            "AND f.grp = '' AND f.period_start <= ? AND f.period_end >= ? AND f.period_start != f.period_end",
            (*codes, measure, scenario.value, str(month), str(month)),
        ).fetchall()
        out: dict[str, Period] = {}
        for code, start, end in rows:
            out.setdefault(code, parse_period(f"{start}/{end}"))
        return out

    def versions_before(self, codes: list[str], scenario: Scenario, within: Period, before: str) -> list[str]:
        """The named versions (not the original, ``''``) of the units' figures inside ``within``
        that sort before ``before``, oldest first."""
        if not codes:
            return []
        rows = self.conn.execute(
            f"SELECT DISTINCT f.version FROM facts f JOIN units u ON u.id = f.unit_id "
            f"WHERE u.code IN ({_marks(codes)}) AND f.scenario = ? AND f.version != '' AND f.version < ? "
            "AND f.period_start >= ? AND f.period_end <= ? ORDER BY f.version",
            (*codes, scenario.value, before, str(within.start), str(within.end)),
        ).fetchall()
        return [r[0] for r in rows]

    def stated_periods(self, unit: str, scenario: Scenario) -> set[tuple[str, Period]]:
        """(measure, period) of every figure the unit states itself (totals over kön and grupp)
        and of every sum its subtree has (the rollup): a handful of indexed rows even for a large
        board, instead of a scan of every descendant's facts."""
        rows = self.conn.execute(
            "SELECT DISTINCT f.measure, f.period_start, f.period_end FROM units u CROSS JOIN facts f "
            "ON f.unit_id = u.id WHERE u.code = ? AND f.scenario = ? AND f.gender = '' AND f.grp = '' "
            "UNION SELECT DISTINCT r.measure, r.period_start, r.period_end FROM units u CROSS JOIN rollup r "
            "ON r.unit_id = u.id WHERE u.code = ? AND r.scenario = ?",
            (unit, scenario.value, unit, scenario.value),
        ).fetchall()
        return {(key, parse_period(f"{start}/{end}")) for key, start, end in rows}

    def sources(self, unit: str, prefix: str = "") -> list[str]:
        """The sources named by the unit's own facts that begin with ``prefix`` (as SQL's
        ``LIKE`` compares: ASCII letters in either case), sorted."""
        rows = self.conn.execute(
            "SELECT DISTINCT f.source FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            "WHERE u.code = ? AND f.source LIKE ? ESCAPE '\\' ORDER BY f.source",
            (unit, like_prefix(prefix)),
        )
        return [r[0] for r in rows]
