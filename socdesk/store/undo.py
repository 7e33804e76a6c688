"""Undoing an import batch in a fixed number of statements, however many cells it wrote.

``Batches.undo_batch`` removed the cells a batch created one at a time (an audit append and a
rollup refresh each), so taking back, or replacing (``socdesk import --replace``), a file of
20 000 rows took a minute and grew with the square of the rows. Here the same undo is set-based
over a temporary table of the batch's last change per cell: the same refusal, the same audit
rows in the same order, the same facts and rollup after it (tests/test_undo_batch.py holds it
to ``Batches.undo_batch``), with the statements counted independent of the rows.
"""

from __future__ import annotations

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.core.values import Status, Value
from socdesk.store.batches import Batches
from socdesk.store.connection import now
from socdesk.store.errors import StoreError
from socdesk.store.facts import _FACT_COLUMNS, _stage, _value

UNDONE = "ångrad import"  # the audit's source of an undo's changes
_KEY = ("unit_code", "measure", "scenario", "version", "period", "gender", "grp")
# A cell in the audit's stored rows (schema 11: codes, docs/layout.md): one code a text.
_CELL = ("unit_code_id", "measure_id", "scenario_id", "version", "period_id", "gender", "grp")
_CODES = ", ".join(f"r.{k}" for k in _CELL if k.endswith("_id"))
_SAME_CELL = " AND ".join(f"a.{k} = ch.{k}" for k in _CELL)
# The audit rows of one batch: its changes (``changes_batch``), each the rows after the change
# before it up to its own id (a change's id is its last row's).
_BATCH_ROWS = (
    "SELECT r.* FROM changes c JOIN audit r ON r.change_id = c.id AND r.id <= c.id "
    "AND r.id > coalesce((SELECT max(p.id) FROM changes p WHERE p.id < c.id), 0) WHERE c.batch_id = ?"
)


class Undo(Batches):
    def undo_batch(self, batch_id: int) -> int:
        """Take back a whole import: every cell it changed gets its earlier value again (a cell it
        created is removed), as new audited changes. Refused, with nothing changed, if a cell
        was changed again after the import. Returns the number of cells restored."""
        batch = self._dicts("SELECT * FROM import_batches WHERE id = ?", (batch_id,))
        if not batch:
            raise StoreError(_("Import {i} finns inte.").format(i=batch_id))
        if batch[0]["undone_at"]:
            raise StoreError(_("Importen av {f} är redan ångrad.").format(f=batch[0]["file_name"]))
        with self.transaction() as c:
            c.execute("DROP TABLE IF EXISTS temp.undo_changes")
            c.execute(
                f"CREATE TEMP TABLE undo_changes AS SELECT l.*, {_CODES} FROM audit_log l "
                f"JOIN audit r ON r.id = l.id WHERE l.id IN (SELECT max(id) FROM ({_BATCH_ROWS}) "
                f"GROUP BY {', '.join(_CELL)}) ORDER BY l.id",
                (batch_id,),
            )
            # A later change of one of its cells: the rows after the batch's first, each looked
            # up among the batch's cells (not every change of each cell's unit).
            c.execute(f"CREATE INDEX temp.undo_cell ON undo_changes ({', '.join(_CELL)})")
            later = c.execute(
                "SELECT unit_code, period FROM temp.undo_changes WHERE id IN (SELECT ch.id FROM audit a "
                f"CROSS JOIN temp.undo_changes ch ON {_SAME_CELL} AND ch.id < a.id "
                "WHERE a.id > (SELECT min(id) FROM temp.undo_changes)) ORDER BY id"
            ).fetchall()
            if later:
                shown = ", ".join(f"{unit} {parse_period(period).label()}" for unit, period in later[:5])
                raise StoreError(
                    _(
                        "Importen av {f} kan inte ångras: {n} av dess uppgifter har ändrats efteråt "
                        "({c}). Ändra dem tillbaka först, eller rätta med en ny import."
                    ).format(
                        f=batch[0]["file_name"], n=len(later), c=shown + (" …" if len(later) > 5 else "")
                    )
                )
            count = int(c.execute("SELECT count(*) FROM temp.undo_changes").fetchone()[0])
            restore = [
                Fact(
                    FactKey(unit, measure, Scenario(scenario), parse_period(period), version, gender, grp),
                    _value(old_value, old_status, None),
                )
                for unit, measure, scenario, version, period, gender, grp, old_value, old_status in c.execute(
                    f"SELECT {', '.join(_KEY)}, old_value, old_status FROM temp.undo_changes "
                    "WHERE old_status IS NOT NULL ORDER BY id"
                )
            ]
            self._remove_created(c)
            if restore:
                self.write_facts(restore, source=UNDONE)
            c.execute(
                "UPDATE import_batches SET undone_by = ?, undone_at = ? WHERE id = ?",
                (self.user, now(), batch_id),
            )
            c.execute("DROP TABLE temp.undo_changes")
        return count

    def _remove_created(self, c) -> None:
        """The cells of ``temp.undo_changes`` the batch created: removed, each with an audited
        delete (in the order of the batch's changes), the rollup refreshed once for them all.
        Their facts are found once, by the whole key of the facts' unique index (a period's
        text gives its start and end, parsed once per distinct text)."""
        c.execute("DROP TABLE IF EXISTS temp.undo_periods")
        c.execute("CREATE TEMP TABLE undo_periods (period TEXT PRIMARY KEY, start TEXT, end TEXT)")
        texts = [
            t for (t,) in c.execute("SELECT DISTINCT period FROM temp.undo_changes WHERE old_status IS NULL")
        ]
        periods = [(t, str((p := parse_period(t)).start), str(p.end)) for t in texts]
        c.executemany("INSERT INTO temp.undo_periods VALUES (?, ?, ?)", periods)
        c.execute("DROP TABLE IF EXISTS temp.undo_removed")
        c.execute(
            "CREATE TEMP TABLE undo_removed AS SELECT ch.id AS change_id, "
            f"f.unit_id, f.period_start, f.period_end, {', '.join('ch.' + k for k in _KEY)}, "
            "f.value, f.status FROM temp.undo_changes ch JOIN temp.undo_periods p ON p.period = ch.period "
            "JOIN units u ON u.code = ch.unit_code JOIN facts f ON f.unit_id = u.id "
            "AND f.measure = ch.measure AND f.scenario = ch.scenario AND f.version = ch.version "
            "AND f.period_start = p.start AND f.period_end = p.end AND f.gender = ch.gender "
            "AND f.grp = ch.grp AND f.period = ch.period WHERE ch.old_status IS NULL"
        )
        if self.locks():  # a created figure in a locked period: refused, nothing changed
            self._refuse_locked(
                [
                    Fact(
                        FactKey(
                            unit, measure, Scenario(scenario), parse_period(period), version, gender, grp
                        ),
                        Value.status_only(Status.NO_DATA),
                    )
                    for unit, measure, scenario, version, period, gender, grp in c.execute(
                        f"SELECT {', '.join(_KEY)} FROM temp.undo_removed ORDER BY change_id"
                    )
                ]
            )
        if c.execute("SELECT 1 FROM temp.undo_removed LIMIT 1").fetchone():
            self._append_audit(
                c,
                f"SELECT 'delete', {', '.join(_KEY)}, value, status, NULL, NULL "
                "FROM temp.undo_removed ORDER BY change_id",
                source=UNDONE,
            )
            _stage(c, [])
            c.execute(
                f"INSERT INTO temp.staging ({_FACT_COLUMNS}) SELECT unit_id, measure, scenario, version, "
                "period, period_start, period_end, gender, grp, NULL, ?, NULL, '', '', NULL "
                "FROM temp.undo_removed",
                (Status.NO_DATA.value,),
            )
            c.execute(
                "DELETE FROM facts WHERE (unit_id, measure, scenario, gender, grp, version, period_start, "
                "period_end) IN (SELECT unit_id, measure, scenario, gender, grp, version, period_start, "
                "period_end FROM temp.undo_removed)"
            )
            self._refresh_rollup(c)
            c.execute("DROP TABLE temp.staging")
        c.execute("DROP TABLE temp.undo_removed")
        c.execute("DROP TABLE temp.undo_periods")
