"""One cell's history (every change, with its import file) and reverting a change."""

from __future__ import annotations

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.core.values import Value, from_store_int
from socdesk.store.errors import StoreError
from socdesk.store.facts import Facts, _key_params, _value


class History(Facts):
    def history(self, key: FactKey) -> list[dict]:
        """Every change of one cell, oldest first, with the import file where there was one."""
        return self._dicts(
            "SELECT a.id, a.at, a.who, a.action, a.source, a.old_value, a.old_status, a.new_value, "
            "a.new_status, b.file_name, b.sha256 FROM audit a LEFT JOIN import_batches b ON "
            "b.id = a.batch_id "
            "WHERE a.unit_code = ? AND a.measure = ? AND a.scenario = ? AND a.version = ? AND a.period = ? "
            "AND a.gender = ? AND a.grp = ? ORDER BY a.id",
            _key_params(key),
        )

    def revert(self, audit_id: int) -> None:
        """Put back the value a change replaced, as a new change (history is never rewritten)."""
        row = self.conn.execute(
            "SELECT unit_code, measure, scenario, version, period, gender, grp, old_value, old_status "
            "FROM audit WHERE id = ?",
            (audit_id,),
        ).fetchone()
        if row is None:
            raise StoreError(_("Ändring {i} finns inte.").format(i=audit_id))
        unit, measure, scenario, version, period, gender, grp, old_value, old_status = row
        key = FactKey(unit, measure, Scenario(scenario), parse_period(period), version, gender, grp)
        if old_status is None:  # the change created the cell: reverting removes it
            self._delete_fact(key, source="revert")
            return
        value = _value(old_value, old_status, None)
        current = self.conn.execute(
            "SELECT f.resolution FROM facts f JOIN units u ON u.id = f.unit_id WHERE u.code = ? "
            "AND f.measure = ? "
            "AND f.scenario = ? AND f.version = ? AND f.period = ? AND f.gender = ? AND f.grp = ?",
            (unit, measure, scenario, version, period, gender, grp),
        ).fetchone()
        if value.is_number and current and current[0] is not None:
            value = Value(value.number, value.status, from_store_int(current[0]))
        self.write_facts([Fact(key, value)], source="revert")
