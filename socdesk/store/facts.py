"""Facts: writing them in bulk (audited, locks respected, the rollup kept current), reading
them, removing one; and how a fact is a row."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Status, Value, from_store_int, to_store_int
from socdesk.store.audit import AuditChain
from socdesk.store.errors import StoreError
from socdesk.store.locks import Locks
from socdesk.store.rollup import Rollup
from socdesk.store.unit_changes import UnitChanges
from socdesk.store.units import Units

_FACT_COLUMNS = (
    "unit_id, measure, scenario, version, period, period_start, period_end, gender, grp, "
    "value, status, resolution, comment, source, batch_id"
)
_KEY_MATCH = (
    "f.unit_id = s.unit_id AND f.measure = s.measure AND f.scenario = s.scenario "
    "AND f.version = s.version AND f.period_start = s.period_start "
    "AND f.period_end = s.period_end AND f.gender = s.gender AND f.grp = s.grp"
)


class Facts(UnitChanges, AuditChain, Locks, Units, Rollup):
    def write_facts(self, facts: Iterable[Fact], *, source: str, batch_id: int | None = None) -> int:
        """Insert or update facts in bulk, with one audit row per changed cell (``write_fact_rows``)."""
        facts = list(facts)
        self._refuse_locked(facts)
        return self.write_fact_rows(
            (fact_row(f) for f in facts), source=source, batch_id=batch_id, checked=True
        )

    def write_fact_rows(
        self, rows: Iterable[tuple], *, source: str, batch_id: int | None = None, checked: bool = False
    ) -> int:
        """Insert or update facts given as logical rows (``FACT_ROW``, see ``fact_row``), in bulk,
        with one audit row per changed cell; the path for many rows (no ``Fact`` per row).

        Set-based SQL over a staging table. Period locks are respected (``checked``: the caller
        already refused locked cells). Returns the number of cells that changed.
        """
        ids = self.unit_ids()

        def staged_rows() -> Iterator[tuple]:
            for r in rows:
                unit_id = ids.get(r[0])
                if unit_id is None:  # raised while staging: the transaction is rolled back
                    raise StoreError(_("Enheten {u} finns inte.").format(u=r[0]))
                yield (unit_id, *r[1:], batch_id)

        # Streamed into the staging table (a million rows are not held twice in Python), unless
        # a closed unit or a locked period must be looked for in them first.
        staged: Iterable[tuple] = staged_rows()
        locks = not checked and self.conn.execute("SELECT 1 FROM period_locks LIMIT 1").fetchone()
        if locks or self.closed_units():
            staged = list(staged)
            self._refuse_closed_rows(staged)  # a closed unit takes no figures from its month
        if locks:
            self._refuse_locked_rows(staged)
        with self.transaction() as c:
            _stage(c, staged)
            changed = self._append_audit(
                c,
                f"""
                SELECT CASE WHEN f.unit_id IS NULL THEN 'insert' ELSE 'update' END,
                       u.code, s.measure, s.scenario, s.version, s.period, s.gender, s.grp,
                       f.value, f.status, s.value, s.status
                FROM temp.staging s
                JOIN units u ON u.id = s.unit_id
                LEFT JOIN facts f ON {_KEY_MATCH}
                WHERE f.unit_id IS NULL OR f.value IS NOT s.value OR f.status IS NOT s.status
                """,
                source=source,
                batch_id=batch_id,
            )
            c.execute(
                f"""
                INSERT INTO facts ({_FACT_COLUMNS})
                SELECT {_FACT_COLUMNS} FROM temp.staging WHERE true
                ON CONFLICT (unit_id, measure, scenario, gender, grp, version, period_start,
                             period_end)
                DO UPDATE SET value = excluded.value, status = excluded.status,
                              resolution = excluded.resolution, comment = excluded.comment,
                              source = excluded.source, batch_id = excluded.batch_id,
                              period = excluded.period
                """
            )
            self._refresh_rollup(c)
            c.execute("DROP TABLE temp.staging")
        return changed

    def facts(
        self,
        *,
        units: Iterable[str] | None = None,
        measure: str | None = None,
        scenario: Scenario | None = None,
        within: Period | None = None,
    ) -> list[Fact]:
        return [
            fact_from_row(r)
            for r in self.fact_rows(units=units, measure=measure, scenario=scenario, within=within)
        ]

    def fact_rows(
        self,
        *,
        units: Iterable[str] | None = None,
        measure: str | None = None,
        scenario: Scenario | None = None,
        within: Period | None = None,
    ) -> Iterator[tuple]:
        """The facts ``facts`` returns, in the same order, as logical rows streamed from a cursor
        (``READ_ROW``: code, measure, scenario, version, period, gender, grp, value as the stored
        integer or None, status, resolution as the stored integer or None, comment, source) – for
        paths over many facts (export, check), where a ``Fact`` per row costs more than the read."""
        sql = (
            "SELECT u.code, f.measure, f.scenario, f.version, f.period, f.gender, f.grp, f.value, "
            "f.status, f.resolution, f.comment, f.source "
            "FROM facts f JOIN units u ON u.id = f.unit_id"
        )
        where, params = [], []
        if units is not None:
            codes = list(units)
            where.append(f"u.code IN ({', '.join('?' * len(codes))})")
            params += codes
        if measure is not None:
            where.append("f.measure = ?")
            params.append(measure)
        if scenario is not None:
            where.append("f.scenario = ?")
            params.append(scenario.value)
        if within is not None:
            where.append("f.period_start >= ? AND f.period_end <= ?")
            params += [str(within.start), str(within.end)]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            " ORDER BY u.sort, u.id, f.measure, f.scenario, f.period_start, f.period_end,"
            " f.version, f.grp, f.gender"
        )
        yield from self.conn.execute(sql, params)

    def _delete_fact(self, key: FactKey, *, source: str) -> None:
        self._refuse_locked([Fact(key, Value.status_only(Status.NO_DATA))])
        with self.transaction() as c:
            row = c.execute(
                "SELECT f.unit_id, f.value, f.status, f.period_start, f.period_end FROM facts f "
                "JOIN units u ON u.id = f.unit_id WHERE u.code = ? "
                "AND f.measure = ? AND f.scenario = ? AND f.version = ? AND f.period = ? AND f.gender = ? "
                "AND f.grp = ?",
                _key_params(key),
            ).fetchone()
            if row is None:
                return
            self._append_audit(
                c,
                "SELECT 'delete', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL",
                (*_key_params(key), row[1], row[2]),
                source=source,
            )
            c.execute(
                "DELETE FROM facts WHERE unit_id = ? AND measure = ? AND scenario = ? AND gender = ? "
                "AND grp = ? AND version = ? AND period_start = ? AND period_end = ?",
                (row[0], key.measure, key.scenario.value, key.gender, key.group, key.version, row[3], row[4]),
            )
            _stage(c, [_fact_row(Fact(key, Value.status_only(Status.NO_DATA)), row[0], None)])
            self._refresh_rollup(c)
            c.execute("DROP TABLE temp.staging")

    def facts_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM facts").fetchone()[0])


def _key_params(key: FactKey) -> tuple[str, str, str, str, str, str, str]:
    """A cell's key as SQL parameters, in the audit table's column order."""
    return (key.unit, key.measure, key.scenario.value, key.version, str(key.period), key.gender, key.group)


# A fact as a logical row for ``Facts.write_fact_rows``: the unit's code, then the stored
# values of the key, the value and where it came from (value and resolution as the stored
# integers of ``to_store_int``, periods as their text and ISO dates).
FACT_ROW = (
    "unit_code, measure, scenario, version, period, period_start, period_end, gender, grp, "
    "value, status, resolution, comment, source"
)
# What ``Facts.fact_rows`` yields.
READ_ROW = (
    "unit_code, measure, scenario, version, period, gender, grp, value, status, resolution, comment, source"
)


def fact_row(f: Fact) -> tuple:
    """A fact as a logical row (``FACT_ROW``)."""
    k, v = f.key, f.value
    return (
        k.unit,
        k.measure,
        k.scenario.value,
        k.version,
        str(k.period),
        str(k.period.start),
        str(k.period.end),
        k.gender,
        k.group,
        to_store_int(v.number) if v.is_number else None,  # type: ignore[arg-type]
        v.status.value,
        to_store_int(v.resolution) if v.resolution is not None else None,
        f.comment,
        f.source,
    )


def _fact_row(f: Fact, unit_id: int, batch_id: int | None) -> tuple:
    """A fact as a row of ``_FACT_COLUMNS``."""
    return (unit_id, *fact_row(f)[1:], batch_id)


def _stage(c: sqlite3.Connection, rows: Iterable[tuple]) -> None:
    """Fill ``temp.staging`` (what a write touches) with fact rows."""
    c.execute("DROP TABLE IF EXISTS temp.staging")
    c.execute(f"CREATE TEMP TABLE staging AS SELECT {_FACT_COLUMNS} FROM facts WHERE 0")
    c.executemany(f"INSERT INTO temp.staging ({_FACT_COLUMNS}) VALUES ({', '.join('?' * 15)})", rows)


def _value(value: int | None, status: str, resolution: int | None) -> Value:
    if status != Status.VALUE.value:
        return Value.status_only(Status(status))
    return Value(
        from_store_int(value or 0),
        Status.VALUE,
        from_store_int(resolution) if resolution is not None else None,
    )


def fact_from_row(r: tuple) -> Fact:
    """A row of ``fact_rows`` (``READ_ROW``) as a ``Fact``."""
    code, measure, scenario, version, period, gender, grp, value, status, res, comment, source = r
    key = FactKey(code, measure, Scenario(scenario), parse_period(period), version, gender, grp)
    return Fact(key, _value(value, status, res), comment, source)


_fact_from_row = fact_from_row
