"""Which budget pieces are stated: the periods a unit's budget figures cover (its own facts and
its subtree's, through the rollup), from which ``socdesk.reports.budget`` rebuilds months."""

from __future__ import annotations

from collections import defaultdict

from socdesk.core.periods import Month, Period
from socdesk.store.db import Store


def stated_periods(
    store: Store, codes: list[str], measure: str, scenario: str, year: int, version: str = ""
) -> dict[str, set[Period]]:
    """For each unit, the periods within the year that the unit or its subtree states figures
    for (totals only, no kön or grupp), in the version."""
    out: dict[str, set[Period]] = defaultdict(set)
    if not codes:
        return out
    marks = ",".join("?" * len(codes))
    params = (*codes, measure, scenario, version, f"{year}-01", f"{year}-12")
    sql = (
        f"SELECT DISTINCT u.code, f.period_start, f.period_end FROM units u CROSS JOIN facts f "
        f"ON f.unit_id = u.id WHERE u.code IN ({marks}) AND f.measure = ? AND f.scenario = ? "
        f"AND f.version = ? AND f.gender = '' AND f.grp = '' AND f.period_start >= ? "
        f"AND f.period_end <= ? "
        f"UNION SELECT DISTINCT u.code, r.period_start, r.period_end FROM units u CROSS JOIN rollup r "
        f"ON r.unit_id = u.id WHERE u.code IN ({marks}) AND r.measure = ? AND r.scenario = ? "
        f"AND r.version = ? AND r.period_start >= ? AND r.period_end <= ?"
    )
    for code, start, end in store.conn.execute(sql, params + params):
        out[code].add(Period(_month(start), _month(end)))
    return out


def _month(text: str) -> Month:
    return Month(int(text[:4]), int(text[5:7]))
