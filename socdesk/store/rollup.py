"""The ``rollup`` table: every unit with children holds its descendants' facts summed per
stated period, kept current by every write (``socdesk.store.figures`` reads it)."""

from __future__ import annotations

import sqlite3

from socdesk.store.connection import Connection


class Rollup(Connection):
    def _refresh_rollup(self, c: sqlite3.Connection) -> None:
        """Recompute the rollup rows that the staged facts touch: their keys, for every
        ancestor of their units. Runs inside the write's transaction."""
        c.execute("DROP TABLE IF EXISTS temp.touched_keys")
        c.execute("DROP TABLE IF EXISTS temp.touched_units")
        c.execute(
            "CREATE TEMP TABLE touched_keys AS SELECT DISTINCT measure, scenario, version, period_start, "
            "period_end FROM temp.staging WHERE gender = '' AND grp = ''"
        )
        c.execute(
            "CREATE TEMP TABLE touched_units AS SELECT DISTINCT c.ancestor_id AS unit_id "
            "FROM temp.staging s CROSS JOIN unit_closure c ON c.descendant_id = s.unit_id AND c.depth > 0 "
            "WHERE s.gender = '' AND s.grp = ''"
        )
        c.execute(
            "DELETE FROM rollup WHERE unit_id IN (SELECT unit_id FROM temp.touched_units) "
            "AND (measure, scenario, version, period_start, period_end) IN (SELECT * FROM temp.touched_keys)"
        )
        # Two steps: the facts once, summed per parent; then those sums up the closure.
        c.execute("DROP TABLE IF EXISTS temp.by_parent")
        c.execute(
            """
            CREATE TEMP TABLE by_parent AS
            SELECT u.parent_id, f.measure, f.scenario, f.version, f.period_start, f.period_end,
                   sum(CASE WHEN f.status = 'value' THEN f.value END) AS value,
                   max(f.resolution) AS resolution,
                   count(CASE WHEN f.status = 'value' THEN 1 END) AS n_value,
                   count(CASE WHEN f.status = '*' THEN 1 END) AS n_suppressed,
                   count(CASE WHEN u.has_children THEN 1 END) AS n_complex
            FROM temp.touched_keys k
            CROSS JOIN facts f ON f.measure = k.measure AND f.scenario = k.scenario
                AND f.version = k.version AND f.period_start = k.period_start
                AND f.period_end = k.period_end AND f.gender = '' AND f.grp = ''
            CROSS JOIN units u ON u.id = f.unit_id
            WHERE u.parent_id IS NOT NULL
            GROUP BY u.parent_id, f.measure, f.scenario, f.version, f.period_start, f.period_end
            """
        )
        c.execute(
            """
            INSERT INTO rollup
            SELECT c.ancestor_id, b.measure, b.scenario, b.version, b.period_start, b.period_end,
                   sum(b.value), max(b.resolution), sum(b.n_value), sum(b.n_suppressed), sum(b.n_complex)
            FROM temp.by_parent b
            CROSS JOIN unit_closure c ON c.descendant_id = b.parent_id
            WHERE c.ancestor_id IN (SELECT unit_id FROM temp.touched_units)
            GROUP BY c.ancestor_id, b.measure, b.scenario, b.version, b.period_start, b.period_end
            """
        )
        for table in ("touched_keys", "touched_units", "by_parent"):
            c.execute(f"DROP TABLE temp.{table}")
