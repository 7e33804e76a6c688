"""Period locks: a closed period refuses every change of its figures until it is reopened
with a reason (both kept as lock events)."""

from __future__ import annotations

from socdesk.core.facts import Fact
from socdesk.core.i18n import _
from socdesk.core.periods import Period, parse_period
from socdesk.store.connection import Connection, now
from socdesk.store.errors import PeriodLockedError, StoreError


class Locks(Connection):
    def locks(self) -> list[dict]:
        return self._dicts(
            "SELECT u.code AS unit, l.period_start, l.period_end, l.locked_by, l.locked_at "
            "FROM period_locks l JOIN units u ON u.id = l.unit_id ORDER BY l.period_start, u.code"
        )

    def lock_period(self, unit: str, period: Period) -> None:
        """Close the period for the unit and everything under it (a board: its root)."""
        with self.transaction() as c:
            row = c.execute("SELECT id FROM units WHERE code = ?", (unit,)).fetchone()
            if row is None:
                raise StoreError(_("Enheten {u} finns inte.").format(u=unit))
            c.execute(
                "INSERT OR IGNORE INTO period_locks (unit_id, period_start, period_end, "
                "locked_by, locked_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (row[0], str(period.start), str(period.end), self.user, now()),
            )
            c.execute(
                "INSERT INTO lock_events (at, who, action, unit_code, period) VALUES (?, ?, 'lock', ?, ?)",
                (now(), self.user, unit, str(period)),
            )

    def reopen_period(self, unit: str, period: Period, reason: str) -> None:
        if not reason.strip():
            raise StoreError(_("Ange varför perioden öppnas igen; skälet sparas i historiken."))
        with self.transaction() as c:
            cur = c.execute(
                "DELETE FROM period_locks WHERE unit_id = (SELECT id FROM units WHERE code = ?) "
                "AND period_start = ? AND period_end = ?",
                (unit, str(period.start), str(period.end)),
            )
            if cur.rowcount != 1:
                raise StoreError(_("{p} är inte låst för {u}.").format(p=period.label(), u=unit))
            c.execute(
                "INSERT INTO lock_events (at, who, action, unit_code, period, reason) "
                "VALUES (?, ?, 'reopen', ?, ?, ?)",
                (now(), self.user, unit, str(period), reason.strip()),
            )

    def lock_events(self) -> list[dict]:
        return self._dicts("SELECT * FROM lock_events ORDER BY id")

    def locked(self, unit: str, period: Period) -> bool:
        """Whether any month of ``period`` is locked for the unit (by a lock on it or above)."""
        return bool(
            self.conn.execute(
                "SELECT 1 FROM units u JOIN unit_closure c ON c.descendant_id = u.id "
                "JOIN period_locks l ON l.unit_id = c.ancestor_id "
                "WHERE u.code = ? AND l.period_start <= ? AND l.period_end >= ? LIMIT 1",
                (unit, str(period.end), str(period.start)),
            ).fetchone()
        )

    def _refuse_locked_rows(self, rows: list[tuple]) -> None:
        """``_refuse_locked`` for staged logical rows (unit id first; ``write_fact_rows``)."""
        if not rows or not self.conn.execute("SELECT 1 FROM period_locks LIMIT 1").fetchone():
            return
        names = {i: code for code, i in self.unit_ids().items()}
        from socdesk.store.facts import fact_from_row

        self._refuse_locked([fact_from_row((names[r[0]], *r[1:5], *r[7:14])) for r in rows])

    def _refuse_locked(self, facts: list[Fact]) -> None:
        if not facts or not self.conn.execute("SELECT 1 FROM period_locks LIMIT 1").fetchone():
            return
        locks: dict[str, list[tuple[str, str]]] = {}
        for code, start, end in self.conn.execute(
            "SELECT u.code, l.period_start, l.period_end FROM period_locks l "
            "JOIN unit_closure c ON c.ancestor_id = l.unit_id JOIN units u ON u.id = c.descendant_id"
        ):
            locks.setdefault(code, []).append((start, end))
        # A version named by a month (a prognos per juni, a budget revised from juni) is made
        # after the months before it were reported: a lock on those does not stop it.
        bad = [
            i
            for i, f in enumerate(facts)
            if any(
                s <= str(f.key.period.end) and str(f.key.period.start) <= e and not f.key.version > e
                for s, e in locks.get(f.key.unit, ())
            )
        ]
        if bad:
            cells = [(facts[i].key.unit, str(facts[i].key.period)) for i in bad]
            shown = ", ".join(f"{u} {parse_period(p).label()}" for u, p in cells[:10])
            raise PeriodLockedError(
                _(
                    "{n} uppgifter ligger i en låst period och sparades inte (inget sparades): {cells}{more}."
                ).format(n=len(bad), cells=shown, more=" …" if len(bad) > 10 else ""),
                cells,
                bad,
            )
