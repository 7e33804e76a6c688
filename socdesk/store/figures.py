"""Figures in bulk for the workspace: the same answers as ``Store.value``, fast at city size.

For the common case – money and volumes booked per month on leaf units – a subtree's sum is
one SQL aggregate over the closure table and the covering index ``facts_cover``; nothing is
looped over in Python. Where a subtree holds facts stated at other grains (a year-to-date
range, a tertial) or on non-leaf units, the exact rules of ``Store.value`` apply instead
(recursively; such subtrees are small: a transcribed report, not a ledger).
"""

from __future__ import annotations

from collections import defaultdict

from socdesk.core.facts import Scenario
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period
from socdesk.core.units import UnitTree
from socdesk.core.values import Status, Value, from_store_int
from socdesk.store.db import Store, _cover, _sum_values, _value


def _marks(n: int) -> str:
    return ",".join("?" * n)


class Figures:
    def __init__(self, store: Store, tree: UnitTree | None = None) -> None:
        self.store = store
        self.tree = tree or store.unit_tree()

    def values(
        self,
        codes: list[str],
        measure: Measure,
        scenario: Scenario,
        period: Period,
        version: str = "",
    ) -> dict[str, Value]:
        """``Store.value`` for many units at once."""
        if not codes:
            return {}
        conn = self.store.conn
        start, end = str(period.start), str(period.end)
        own: dict[str, dict[tuple[str, str], tuple]] = defaultdict(dict)
        for code, s, e, v, st, r in conn.execute(
            f"SELECT u.code, f.period_start, f.period_end, f.value, f.status, f.resolution "
            f"FROM units u JOIN facts f ON f.unit_id = u.id "
            f"WHERE u.code IN ({_marks(len(codes))}) AND f.measure = ? AND f.scenario = ? "
            f"AND f.gender = '' AND f.grp = '' AND f.version = ? "
            f"AND f.period_start >= ? AND f.period_end <= ?",
            (*codes, measure.key, scenario.value, version, start, end),
        ):
            own[code][(s, e)] = (v, st, r)
        out: dict[str, Value] = {}
        need_children: list[str] = []
        for code in codes:
            pieces = own.get(code, {})
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
            out.update(self._subtree_sums(need_children, measure, scenario, period, version))
        return out

    def _subtree_sums(
        self, codes: list[str], measure: Measure, scenario: Scenario, period: Period, version: str
    ) -> dict[str, Value]:
        rows = self.store.conn.execute(
            f"""
            SELECT a.code,
                   sum(CASE WHEN f.status = 'value' THEN f.value END),
                   max(f.resolution),
                   count(CASE WHEN f.period_start <> f.period_end OR d.has_children THEN 1 END),
                   count(CASE WHEN f.status = '*' THEN 1 END),
                   count(CASE WHEN f.status = 'value' THEN 1 END)
            FROM units a
            JOIN unit_closure c ON c.ancestor_id = a.id AND c.depth > 0
            JOIN units d ON d.id = c.descendant_id
            JOIN facts f ON f.unit_id = c.descendant_id
            WHERE a.code IN ({_marks(len(codes))})
              AND f.measure = ? AND f.scenario = ? AND f.gender = '' AND f.grp = ''
              AND f.version = ? AND f.period_start >= ? AND f.period_end <= ?
            GROUP BY a.code
            """,
            (*codes, measure.key, scenario.value, version, str(period.start), str(period.end)),
        ).fetchall()
        out = {code: Value.status_only(Status.NO_DATA) for code in codes}
        for code, total, resolution, complex_facts, suppressed, numbers in rows:
            if complex_facts:
                out[code] = self.store.value(code, measure, scenario, period, version=version, tree=self.tree)
            elif suppressed:
                out[code] = Value.status_only(Status.SUPPRESSED)
            elif numbers:
                res = from_store_int(resolution) if resolution is not None else None
                out[code] = Value(from_store_int(total or 0), Status.VALUE, res)
        return out

    def monthly(
        self, code: str, measure: Measure, scenario: Scenario, year: int, version: str = ""
    ) -> dict[Month, Value]:
        """Each month of the year on its own (no data where nothing was stated for it)."""
        months = [Month(year, m) for m in range(1, 13)]
        subtree = [code, *(u.code for u in self.tree.descendants(code))]
        complex_count = self.store.conn.execute(
            f"""
            SELECT count(*) FROM units u JOIN facts f ON f.unit_id = u.id
            WHERE u.code IN ({_marks(len(subtree))}) AND f.measure = ? AND f.scenario = ?
              AND f.gender = '' AND f.grp = '' AND f.version = ?
              AND f.period_start >= ? AND f.period_end <= ?
              AND (f.period_start <> f.period_end OR u.has_children)
            """,
            (*subtree, measure.key, scenario.value, version, f"{year}-01", f"{year}-12"),
        ).fetchone()[0]
        if complex_count:
            return {
                m: self.store.value(code, measure, scenario, Period(m, m), version=version, tree=self.tree)
                for m in months
            }
        rows = self.store.conn.execute(
            """
            SELECT f.period_start, sum(CASE WHEN f.status = 'value' THEN f.value END),
                   count(CASE WHEN f.status = '*' THEN 1 END),
                   count(CASE WHEN f.status = 'value' THEN 1 END)
            FROM units a
            JOIN unit_closure c ON c.ancestor_id = a.id
            JOIN facts f ON f.unit_id = c.descendant_id
            WHERE a.code = ? AND f.measure = ? AND f.scenario = ? AND f.gender = ''
              AND f.grp = '' AND f.version = ? AND f.period_start >= ? AND f.period_end <= ?
            GROUP BY f.period_start
            """,
            (code, measure.key, scenario.value, version, f"{year}-01", f"{year}-12"),
        ).fetchall()
        out = {m: Value.status_only(Status.NO_DATA) for m in months}
        for start, total, suppressed, numbers in rows:
            y, mo = (int(x) for x in start.split("-"))
            if suppressed:
                out[Month(y, mo)] = Value.status_only(Status.SUPPRESSED)
            elif numbers:
                out[Month(y, mo)] = Value(from_store_int(total or 0), Status.VALUE, None)
        return out

    def latest_versions(
        self, codes: list[str], measure: Measure, scenario: Scenario, year: int, at: Month
    ) -> dict[str, str | None]:
        """The newest version (e.g. the month a prognos was made) up to ``at`` for each unit,
        among the unit's own facts and its subtree's, for figures of that year."""
        if not codes:
            return {}
        rows = self.store.conn.execute(
            f"""
            SELECT a.code, max(f.version) FROM units a
            JOIN unit_closure c ON c.ancestor_id = a.id
            JOIN facts f ON f.unit_id = c.descendant_id
            WHERE a.code IN ({_marks(len(codes))}) AND f.measure = ? AND f.scenario = ?
              AND f.gender = '' AND f.grp = '' AND f.version <= ?
              AND f.period_start >= ? AND f.period_end <= ?
            GROUP BY a.code
            """,
            (*codes, measure.key, scenario.value, str(at), f"{year}-01", f"{year}-12"),
        ).fetchall()
        out: dict[str, str | None] = dict.fromkeys(codes)
        out.update({code: v for code, v in rows})
        return out
