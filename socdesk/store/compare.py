"""What an import would do to the figures already stored (``Store.compare_rows``), set-based:
the file's rows staged in a temporary table and looked up by the facts' primary key, so that a
million rows already in the database cost one join, not a Python dict of every stored figure
(issue 15: a re-import of the same 1 M figures held them all, 1,8 GB)."""

from __future__ import annotations

from collections.abc import Iterable

from socdesk.store.connection import Connection

_STAGE = (
    "CREATE TEMP TABLE compared (n INTEGER PRIMARY KEY, unit TEXT, measure TEXT, scenario TEXT, "
    "version TEXT, period TEXT, period_start TEXT, period_end TEXT, gender TEXT, grp TEXT, "
    "value INTEGER, status TEXT)"
)
# A staged row is new when no fact has its key, changed when the stored figure (the integer and
# the status) differs; the first changed row in the file's order is the example.
_CHANGED = "f.unit_id IS NOT NULL AND (f.value IS NOT s.value OR f.status IS NOT s.status)"
_COUNT = f"""
    SELECT count(*) FILTER (WHERE f.unit_id IS NULL),
           count(*) FILTER (WHERE {_CHANGED}),
           min(s.n) FILTER (WHERE {_CHANGED})
    FROM temp.compared s
    LEFT JOIN units u ON u.code = s.unit
    LEFT JOIN facts f ON f.unit_id = u.id AND f.measure = s.measure AND f.scenario = s.scenario
         AND f.gender = s.gender AND f.grp = s.grp AND f.version = s.version
         AND f.period_start = s.period_start AND f.period_end = s.period_end
"""


class Compare(Connection):
    def compare_rows(self, rows: Iterable[tuple]) -> tuple[int, int, tuple | None]:
        """For logical rows (``FACT_ROW``): how many figures are new, how many would change a
        stored figure, and the first changing row's (unit, measure, scenario, period) – or None.
        A cell is told by the facts' key (unit, measure, scenario, kön, grupp, version, the
        period's first and last day); reads only, in a temporary table of this connection."""
        c = self.conn
        c.execute("DROP TABLE IF EXISTS temp.compared")
        c.execute(_STAGE)
        try:
            c.executemany(
                "INSERT INTO temp.compared VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r[:11] for r in rows),
            )
            new, changed, first = c.execute(_COUNT).fetchone()
            example = None
            if first is not None:
                example = c.execute(
                    "SELECT unit, measure, scenario, period FROM temp.compared WHERE n = ?", (first,)
                ).fetchone()
            return new, changed, example
        finally:
            c.execute("DROP TABLE temp.compared")
