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
            "CREATE TEMP TABLE touched_units AS SELECT c.ancestor_id AS unit_id, "
            "(SELECT max(d.depth) FROM unit_closure d WHERE d.descendant_id = c.ancestor_id) AS level "
            "FROM temp.staging s CROSS JOIN unit_closure c ON c.descendant_id = s.unit_id AND c.depth > 0 "
            "WHERE s.gender = '' AND s.grp = '' GROUP BY c.ancestor_id"
        )
        self._recompute_touched(c)

    def _refresh_rollup_of(self, c: sqlite3.Connection, fact_units: list[int], ancestors: list[int]) -> None:
        """After the tree changed (a unit moved, ``socdesk.store.unit_changes``): recompute the
        rollup rows of ``ancestors`` (old and new, levels of the tree as it is now) for every key
        the facts of ``fact_units`` (the moved subtree, the parents that gained or lost a child)
        hold. Runs inside the change's transaction."""
        for table in ("touched_keys", "touched_units", "touched_ids"):
            c.execute(f"DROP TABLE IF EXISTS temp.{table}")
        c.execute("CREATE TEMP TABLE touched_ids (id INTEGER PRIMARY KEY)")
        c.executemany("INSERT OR IGNORE INTO temp.touched_ids VALUES (?)", [(i,) for i in fact_units])
        c.execute(
            "CREATE TEMP TABLE touched_keys AS SELECT DISTINCT f.measure, f.scenario, f.version, "
            "f.period_start, f.period_end FROM temp.touched_ids t CROSS JOIN facts f ON f.unit_id = t.id "
            "WHERE f.gender = '' AND f.grp = ''"
        )
        c.execute("CREATE TEMP TABLE touched_units (unit_id INTEGER PRIMARY KEY, level INTEGER)")
        c.executemany(
            "INSERT OR IGNORE INTO temp.touched_units SELECT ?, "
            "(SELECT max(d.depth) FROM unit_closure d WHERE d.descendant_id = ?)",
            [(i, i) for i in ancestors],
        )
        c.execute("DROP TABLE temp.touched_ids")
        self._recompute_touched(c)

    def _recompute_touched(self, c: sqlite3.Connection) -> None:
        """The rollup rows of ``temp.touched_units`` × ``temp.touched_keys`` made again, bottom up."""
        c.execute(
            "DELETE FROM rollup WHERE unit_id IN (SELECT unit_id FROM temp.touched_units) "
            "AND (measure, scenario, version, period_start, period_end) IN (SELECT * FROM temp.touched_keys)"
        )
        # Bottom up, one level of the tree at a time: a unit's sums are its children's facts
        # and its children's sums (already current, one level deeper), each found by its key.
        levels = c.execute("SELECT DISTINCT level FROM temp.touched_units ORDER BY level DESC").fetchall()
        for (level,) in levels:
            c.execute(_SUM_CHILDREN, {"level": level})
        for table in ("touched_keys", "touched_units"):
            c.execute(f"DROP TABLE temp.{table}")


# The rollup rows of the touched units of one level, for the touched keys: their children's
# own facts (counted as the sums count them) and their children's rollup rows.
_SUM_CHILDREN = """
    INSERT INTO rollup
    SELECT unit_id, measure, scenario, version, period_start, period_end, sum(value), max(resolution),
           sum(n_value), sum(n_suppressed), sum(n_complex)
    FROM (
        SELECT t.unit_id, k.measure, k.scenario, k.version, k.period_start, k.period_end,
               CASE WHEN f.status = 'value' THEN f.value END AS value, f.resolution,
               f.status = 'value' AS n_value, f.status = '*' AS n_suppressed, ch.has_children AS n_complex
        FROM temp.touched_units t
        CROSS JOIN units ch ON ch.parent_id = t.unit_id
        CROSS JOIN temp.touched_keys k
        CROSS JOIN facts f ON f.unit_id = ch.id AND f.measure = k.measure AND f.scenario = k.scenario
            AND f.gender = '' AND f.grp = '' AND f.version = k.version
            AND f.period_start = k.period_start AND f.period_end = k.period_end
        WHERE t.level = :level
        UNION ALL
        SELECT t.unit_id, r.measure, r.scenario, r.version, r.period_start, r.period_end, r.value,
               r.resolution, r.n_value, r.n_suppressed, r.n_complex
        FROM temp.touched_units t
        CROSS JOIN units ch ON ch.parent_id = t.unit_id
        CROSS JOIN temp.touched_keys k
        CROSS JOIN rollup r ON r.unit_id = ch.id AND r.measure = k.measure AND r.scenario = k.scenario
            AND r.version = k.version AND r.period_start = k.period_start AND r.period_end = k.period_end
        WHERE t.level = :level
    )
    GROUP BY unit_id, measure, scenario, version, period_start, period_end
"""
