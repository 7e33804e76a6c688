"""The facts the consistency checks read (``socdesk.core.checks``), for ``socdesk check`` and a
report's remaining-work check (``reports.board.check_findings``): a subtree's facts inside a
period (or every fact), fast enough for a large board.

The same facts in the same order as ``Facts.facts(units=<the subtree>, within=…)``, but without
comment and source, which the checks never read, and built cheaply: each distinct stored figure
becomes one shared ``Value`` (values are immutable), a scenario is looked up, not constructed,
and the subtree is the closure table's, not a list of codes as parameters.

With a ``checks.Scope`` only the facts a rule can find anything in are read (``checks.scope``
decides from ``check_uses``, how each measure occurs; the sign rule's unit-years are picked here
by one grouped query): at a city whose figures are all at the leaves, almost none."""

from __future__ import annotations

import json

from socdesk.core.checks import SIGN_SCENARIOS_SKIPPED, MeasureUse, Scope
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Status, Value
from socdesk.store.connection import Connection
from socdesk.store.facts import _value

_SCENARIOS: dict[str, Scenario] = {s.value: s for s in Scenario}

_COLUMNS = (
    "u.code, f.measure, f.scenario, f.version, f.period, f.gender, f.grp, f.value, f.status, f.resolution"
)
_ORDER = (
    "ORDER BY u.sort, u.id, f.measure, f.scenario, f.period_start, f.period_end, f.version, f.grp, f.gender"
)
_IN_SUBTREE = (
    "f.unit_id IN (SELECT c.descendant_id FROM unit_closure c JOIN units r ON r.id = c.ancestor_id "
    "WHERE r.code = ?)"
)
_SUBTREE_FACTS = (
    f"SELECT {_COLUMNS} FROM facts f JOIN units u ON u.id = f.unit_id "
    f"WHERE {_IN_SUBTREE} AND f.period_start >= ? AND f.period_end <= ? {_ORDER}"
)

# How each measure occurs (checks.MeasureUse), from its series (unit, scenario, kön, grupp,
# version) in the covering index's order; {where} is the facts read.
_USES = (
    "SELECT measure, max(whole), max(split), max(stated), max(NOT stated), max(n >= 2 AND longer) FROM ("
    "SELECT f.measure, f.unit_id IN (SELECT parent_id FROM units WHERE parent_id IS NOT NULL) AS whole, "
    "f.gender <> '' OR f.grp <> '' AS split, f.scenario IN (SELECT value FROM json_each(?)) AS stated, "
    "count(*) AS n, max(f.period_start <> f.period_end) AS longer FROM facts f WHERE {where} "
    "GROUP BY f.unit_id, f.measure, f.scenario, f.gender, f.grp, f.version) GROUP BY measure"
)

# The unit-years of sign-only measures where one figure has the opposite sign to ≥ 2 others:
# the figures check_signs counts (a value ≠ 0, not a stated variance, inside one calendar year).
_ODD_SIGNS = (
    "SELECT DISTINCT f.unit_id, f.measure, f.gender, f.grp FROM facts f "
    "WHERE {where} AND f.measure IN (SELECT value FROM json_each(?)) AND f.status = ? AND f.value <> 0 "
    "AND f.scenario NOT IN (SELECT value FROM json_each(?)) "
    "AND substr(f.period_start, 1, 4) = substr(f.period_end, 1, 4) "
    "GROUP BY f.unit_id, f.measure, f.gender, f.grp, substr(f.period_start, 1, 4) "
    "HAVING count(*) >= 3 AND (sum(f.value < 0) = 1 OR sum(f.value > 0) = 1)"
)


def _where(root: str | None, within: Period | None) -> tuple[str, list[object]]:
    where, params = ["1"], []
    if root is not None:
        where.append(_IN_SUBTREE)
        params.append(root)
    if within is not None:
        where.append("f.period_start >= ? AND f.period_end <= ?")
        params += [str(within.start), str(within.end)]
    return " AND ".join(where), params


class CheckFacts(Connection):
    def check_uses(self, root: str | None, within: Period | None) -> list[MeasureUse]:
        """How each measure occurs among the facts of ``root``'s subtree (every unit: ``None``)
        inside ``within`` (every period: ``None``)."""
        where, params = _where(root, within)
        stated = json.dumps(sorted(s.value for s in SIGN_SCENARIOS_SKIPPED))
        sql = _USES.format(where=where)
        params = [stated, *params]
        return [
            MeasureUse(m, bool(whole), bool(split), bool(stated_check), bool(plain), bool(grain))
            for m, whole, split, stated_check, plain, grain in self.conn.execute(sql, params)
        ]

    def facts_for_check(
        self, root: str | None, within: Period | None, scope: Scope | None = None
    ) -> list[Fact]:
        """The facts of ``root`` and its descendants (every unit: ``None``) inside ``within``
        (every period: ``None``), as the checks read them; with ``scope`` only those it names."""
        where, params = _where(root, within)
        if scope is not None:
            stated = json.dumps(sorted(s.value for s in SIGN_SCENARIOS_SKIPPED))
            odd = self.conn.execute(
                _ODD_SIGNS.format(where=where),
                [*params, json.dumps(sorted(scope.signs)), Status.VALUE.value, stated],
            ).fetchall()
            if not scope.full and not odd:
                return []
            if not scope.full:  # only the odd unit-years' units, through the index, not the subtree
                where, params = _where(None, within)
                where += " AND f.unit_id IN (SELECT value FROM json_each(?))"
                params.append(json.dumps(sorted({unit_id for unit_id, *_rest in odd})))
            where += (
                " AND (f.measure IN (SELECT value FROM json_each(?)) OR "
                "(f.unit_id, f.measure, f.gender, f.grp) IN (SELECT json_extract(value, '$[0]'), "
                "json_extract(value, '$[1]'), json_extract(value, '$[2]'), json_extract(value, '$[3]') "
                "FROM json_each(?)))"
            )
            params += [json.dumps(sorted(scope.full)), json.dumps([list(group) for group in odd])]
        sql = f"SELECT {_COLUMNS} FROM facts f JOIN units u ON u.id = f.unit_id WHERE {where} {_ORDER}"
        values: dict[tuple, Value] = {}
        out: list[Fact] = []
        append = out.append
        for code, measure, scenario, version, period, gender, grp, value, status, res in self.conn.execute(
            sql, params
        ):
            v = values.get((value, status, res))
            if v is None:
                v = values[(value, status, res)] = _value(value, status, res)
            key = FactKey(code, measure, _SCENARIOS[scenario], parse_period(period), version, gender, grp)
            append(Fact(key, v))
        return out
