"""The notes stored with figures (a fact's comment: Kolada's status, a group's unweighted
mean …), read for the views that show them beside the value."""

from __future__ import annotations

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.store.connection import Connection


class ValueNotes(Connection):
    def value_notes(self, unit: str, scenario: Scenario = Scenario.ACTUAL) -> dict[tuple[str, Period], str]:
        """(measure, period) → the note of the unit's own figure (the total: no gender, group
        or version), for the figures that have one."""
        rows = self.conn.execute(
            "SELECT f.measure, f.period, f.comment FROM facts f JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.scenario = ? AND f.comment != '' AND f.gender = '' AND f.grp = '' "
            "AND f.version = ''",
            (unit, scenario.value),
        )
        return {(measure, parse_period(period)): comment for measure, period, comment in rows}
