"""Figures in bulk for the workspace: the same answers as ``Store.value``, fast at city size.

Every unit with children has its descendants' facts summed per stated period in the
``rollup`` table, which ``Store.write_facts`` keeps current. A unit's figure for a period is
then its own stated fact if it has one (exactly, or tiled by its own facts), else the rollup
rows inside the period: a single row for exactly the period, or the months inside it. Where a
subtree mixes grains (a year-to-date figure on one unit, months on another) or holds stated
figures on non-leaf units, the exact rules of ``Store.value`` apply instead (recursively; such
subtrees are small – a transcribed report, not a ledger).

Joins are written ``CROSS JOIN`` on purpose: SQLite keeps that order, so every query walks
units → rollup or closure → a covering index, never a scan of all facts of a measure.
"""

from __future__ import annotations

from collections import defaultdict

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.core.values import Status, Value, from_store_int
from socdesk.store.db import Store, _cover, _sum_values, _value

_ROLLUP = (
    "SELECT u.code, r.period_start, r.period_end, r.value, r.resolution, r.n_value, r.n_suppressed, "
    "r.n_complex FROM units u CROSS JOIN rollup r ON r.unit_id = u.id AND r.measure = ? "
    "AND r.scenario = ? AND r.version = ? AND r.period_start >= ? AND r.period_end <= ? "
)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _from_rollup(rows: list[tuple]) -> Value:
    """Sum rollup rows (already known to be months, or the one exact row)."""
    if any(r[6] for r in rows):
        return Value.status_only(Status.SUPPRESSED)
    numbers = [r for r in rows if r[5]]
    if not numbers:
        return Value.status_only(Status.NO_DATA)
    resolutions = [r[4] for r in numbers if r[4] is not None]
    return Value(
        from_store_int(sum(r[3] or 0 for r in numbers)),
        Status.VALUE,
        from_store_int(max(resolutions)) if resolutions else None,
    )


class Figures:
    def __init__(self, store: Store, tree: UnitTree | None = None) -> None:
        self.store = store
        self.tree = tree or store.unit_tree()

    def _own(
        self,
        codes: list[str],
        measure: Measure,
        scenario: Scenario,
        start: str,
        end: str,
        version: str | None,
    ) -> dict[str, dict[tuple[str, str, str], tuple]]:
        own: dict[str, dict[tuple[str, str, str], tuple]] = defaultdict(dict)
        version_sql = "" if version is None else "AND f.version = ? "
        params = (*codes, measure.key, scenario.value, *(() if version is None else (version,)), start, end)
        for code, s, e, ver, v, st, r in self.store.conn.execute(
            f"SELECT u.code, f.period_start, f.period_end, f.version, f.value, f.status, f.resolution "
            f"FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            f"WHERE u.code IN ({_marks(len(codes))}) AND f.measure = ? AND f.scenario = ? "
            f"AND f.gender = '' AND f.grp = '' {version_sql}AND f.period_start >= ? AND f.period_end <= ?",
            params,
        ):
            own[code][(s, e, ver)] = (v, st, r)
        return own

    def values(
        self, codes: list[str], measure: Measure, scenario: Scenario, period: Period, version: str = ""
    ) -> dict[str, Value]:
        """``Store.value`` for many units at once."""
        if not codes:
            return {}
        start, end = str(period.start), str(period.end)
        own = self._own(codes, measure, scenario, start, end, version)
        out: dict[str, Value] = {}
        need_children: list[str] = []
        for code in codes:
            pieces = {(s, e): v for (s, e, _ver), v in own.get(code, {}).items()}
            exact = pieces.get((start, end))
            if exact is not None:
                out[code] = _value(*exact)
                continue
            has_children = bool(self.tree.children(code)) and measure.additive_units
            if measure.additive_time and pieces:
                cover = _cover(period, list(pieces), gaps=not has_children)
                if cover:
                    out[code] = _sum_values([_value(*pieces[p]) for p in cover])
                    continue
            if has_children:
                need_children.append(code)
            else:
                out[code] = Value.status_only(Status.NO_DATA)
        if need_children:
            rows: dict[str, list[tuple]] = defaultdict(list)
            for row in self.store.conn.execute(
                _ROLLUP + f"WHERE u.code IN ({_marks(len(need_children))})",
                (measure.key, scenario.value, version, start, end, *need_children),
            ):
                rows[row[0]].append(row)
            for code in need_children:
                out[code] = self._decide(code, rows.get(code, []), measure, scenario, period, version)
        return out

    def _decide(
        self, code: str, rows: list[tuple], measure: Measure, scenario: Scenario, period: Period, version: str
    ) -> Value:
        if not rows:
            return Value.status_only(Status.NO_DATA)
        exact = [r for r in rows if r[1] == str(period.start) and r[2] == str(period.end)]
        months = all(r[1] == r[2] for r in rows)
        if not any(r[7] for r in rows):
            if len(rows) == 1 and exact:
                return _from_rollup(exact)
            if months and measure.additive_time:
                return _from_rollup(rows)
        return self.store.value(code, measure, scenario, period, version=version, tree=self.tree)

    def monthly(
        self, code: str, measure: Measure, scenario: Scenario, year: int, version: str = ""
    ) -> dict[Month, Value]:
        """Each month of the year on its own (no data where nothing was stated for it)."""
        months = [Month(year, m) for m in range(1, 13)]
        return {
            m: v
            for m, v in zip(
                months,
                [self.values([code], measure, scenario, Period(m, m), version)[code] for m in months],
                strict=True,
            )
        }

    def latest_versions(
        self, codes: list[str], measure: Measure, scenario: Scenario, year: int, at: Month
    ) -> dict[str, str | None]:
        """The newest version (e.g. the month a prognos was made) up to ``at`` for each unit,
        among the unit's own facts and its subtree's, for figures of that year."""
        out: dict[str, str | None] = dict.fromkeys(codes)
        if not codes:
            return out
        marks = _marks(len(codes))
        params = (*codes, measure.key, scenario.value, str(at), f"{year}-01", f"{year}-12")
        for sql in (
            f"SELECT u.code, max(f.version) FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            f"WHERE u.code IN ({marks}) AND f.measure = ? AND f.scenario = ? AND f.gender = '' "
            f"AND f.grp = '' AND f.version <= ? AND f.period_start >= ? AND f.period_end <= ? "
            f"GROUP BY u.code",
            f"SELECT u.code, max(r.version) FROM units u CROSS JOIN rollup r ON r.unit_id = u.id "
            f"WHERE u.code IN ({marks}) AND r.measure = ? AND r.scenario = ? AND r.version <= ? "
            f"AND r.period_start >= ? AND r.period_end <= ? GROUP BY u.code",
        ):
            for code, version in self.store.conn.execute(sql, params):
                if version and (out[code] is None or version > out[code]):  # type: ignore[operator]
                    out[code] = version
        return out
