"""Figures in bulk for the workspace: the same answers as ``Store.value``, fast at city size.

Every unit with children has its descendants' facts summed per stated period in the
``rollup`` table, which ``Store.write_facts`` keeps current. A unit's figure for a period is
then its own stated fact if it has one (exactly, or tiled by its own facts), else the rollup
rows inside the period: a single row for exactly the period, or the months inside it. Where a
subtree mixes grains (a year-to-date figure on one unit, months on another) or holds stated
figures on non-leaf units, the exact rules of ``Store.value`` (``socdesk.core.resolution``, the
reference) apply instead (recursively; such subtrees are small – a transcribed report, not a
ledger). So do subtrees holding a "därav" part: the rollup sums every descendant, and a part
is no piece of its parent's sum. Sums follow the one sum rule, ``resolution.summed``, from the
tallies SQL makes.

Joins are written ``CROSS JOIN`` on purpose: SQLite keeps that order, so every query walks
units → rollup or closure → a covering index, never a scan of all facts of a measure.
"""

from __future__ import annotations

from collections import defaultdict

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.resolution import summed
from socdesk.core.units import UnitTree
from socdesk.core.values import Status, Value, from_store_int
from socdesk.store.coverage import StatedUtfallCache
from socdesk.store.db import Store
from socdesk.store.facts import _value

_ROLLUP = (
    "SELECT u.code, r.period_start, r.period_end, r.value, r.resolution, r.n_value, r.n_suppressed, "
    "r.n_complex FROM units u CROSS JOIN rollup r ON r.unit_id = u.id AND r.measure = ? "
    "AND r.scenario = ? AND r.version = ? AND r.period_start >= ? AND r.period_end <= ? "
)


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _from_rollup(rows: list[tuple]) -> Value:
    """Sum rollup rows (already known to be months, or the one exact row) by the sum rule."""
    numbers = [r for r in rows if r[5]]
    resolutions = [r[4] for r in numbers if r[4] is not None]
    return summed(
        from_store_int(sum(r[3] or 0 for r in numbers)),
        sum(r[5] for r in rows),
        sum(r[6] for r in rows),
        from_store_int(max(resolutions)) if resolutions else None,
    )


class Figures:
    def __init__(self, store: Store, tree: UnitTree | None = None) -> None:
        self.store = store
        self.tree = tree or store.unit_tree()
        # units with a "därav" part somewhere below: the rollup would count the part
        self._holding_parts = {a.code for u in self.tree if u.part for a in self.tree.ancestors(u.code)}
        self.stated_utfall = StatedUtfallCache()  # whole-tree coverage, until the next write

    def values(
        self, codes: list[str], measure: Measure, scenario: Scenario, period: Period, version: str = ""
    ) -> dict[str, Value]:
        """``Store.value`` for many units at once: the unit's own facts summarised in SQL, then
        the rollup for units that need their children."""
        if not codes:
            return {}
        if self.tree.as_of is not None:  # the tree as it was: the rollup sums the tree as it is
            return {
                c: self.store.value(c, measure, scenario, period, version=version, tree=self.tree)
                for c in codes
            }
        start, end = str(period.start), str(period.end)
        out: dict[str, Value] = {}
        need_children: list[str] = []
        slow: list[str] = []
        seen: set[str] = set()
        names = ",".join(f":c{i}" for i in range(len(codes)))
        for row in self.store.conn.execute(
            f"""
            SELECT u.code,
                   max(CASE WHEN f.period_start = :s AND f.period_end = :e THEN f.status END),
                   max(CASE WHEN f.period_start = :s AND f.period_end = :e THEN f.value END),
                   max(CASE WHEN f.period_start = :s AND f.period_end = :e THEN f.resolution END),
                   sum(CASE WHEN f.period_start = f.period_end AND f.status = 'value' THEN f.value END),
                   count(CASE WHEN f.period_start = f.period_end AND f.status = 'value' THEN 1 END),
                   count(CASE WHEN f.period_start = f.period_end AND f.status = '*' THEN 1 END),
                   count(CASE WHEN f.period_start = f.period_end THEN 1 END),
                   max(CASE WHEN f.period_start = f.period_end THEN f.resolution END),
                   count(CASE WHEN f.period_start <> f.period_end
                              AND NOT (f.period_start = :s AND f.period_end = :e) THEN 1 END)
            FROM units u CROSS JOIN facts f ON f.unit_id = u.id
            WHERE u.code IN ({names}) AND f.measure = :m AND f.scenario = :sc
              AND f.gender = '' AND f.grp = '' AND f.version = :v
              AND f.period_start >= :s AND f.period_end <= :e
            GROUP BY u.code
            """,
            {
                "s": start,
                "e": end,
                "m": measure.key,
                "sc": scenario.value,
                "v": version,
                **{f"c{i}": c for i, c in enumerate(codes)},
            },
        ):
            code, ex_status, ex_value, ex_res, m_sum, m_n, m_supp, m_facts, m_res, other = row
            seen.add(code)
            has_children = bool(self.tree.components(code)) and measure.additive_units
            if ex_status is not None:
                out[code] = _value(ex_value, ex_status, ex_res)
            elif other:
                slow.append(code)  # ranges inside the period: the exact tiling rules decide
            elif m_facts and measure.additive_time and (not has_children or m_facts == period.n_months):
                res = from_store_int(m_res) if m_res is not None else None
                out[code] = summed(from_store_int(m_sum or 0), m_n, m_supp, res)
            elif m_facts and measure.additive_time and has_children:
                slow.append(code)  # some months its own, the others its children's (a merge)
            elif has_children:
                need_children.append(code)
            else:
                out[code] = Value.status_only(Status.NO_DATA)
        for code in codes:
            if code in seen:
                continue
            if self.tree.components(code) and measure.additive_units:
                need_children.append(code)
            else:
                out[code] = Value.status_only(Status.NO_DATA)
        for code in slow:
            out[code] = self.store.value(code, measure, scenario, period, version=version, tree=self.tree)
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
        if code in self._holding_parts:
            return self.store.value(code, measure, scenario, period, version=version, tree=self.tree)
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
