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
        unit, measure, scenario, version, period, gender, grp = _key_params(key)
        return self._dicts(
            "SELECT a.id, a.at, a.who, a.action, a.source, a.old_value, a.old_status, a.new_value, "
            "a.new_status, b.file_name, b.sha256 FROM audit_log a LEFT JOIN import_batches b ON "
            "b.id = a.batch_id WHERE a.id IN (SELECT r.id FROM audit r "
            "JOIN audit_codes u ON u.id = r.unit_code_id AND u.value = ? "
            "JOIN audit_codes m ON m.id = r.measure_id AND m.value = ? "
            "JOIN audit_codes s ON s.id = r.scenario_id AND s.value = ? "
            "JOIN audit_codes p ON p.id = r.period_id AND p.value = ? "
            "WHERE r.version = ? AND r.gender = ? AND r.grp = ?) ORDER BY a.id",
            (unit, measure, scenario, period, version, gender, grp),
        )

    def revert(self, audit_id: int) -> None:
        """Put back the value a change replaced, as a new change (history is never rewritten)."""
        row = self.conn.execute(
            "SELECT unit_code, measure, scenario, version, period, gender, grp, old_value, old_status "
            "FROM audit_log WHERE id = ?",
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
