"""Import batches: recorded with the file's hash, and undone whole as new audited changes."""

from __future__ import annotations

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.periods import parse_period
from socdesk.store.connection import now
from socdesk.store.errors import StoreError
from socdesk.store.facts import Facts, _value


class Batches(Facts):
    def add_batch(
        self,
        file_name: str,
        sha256: str,
        rows: int,
        *,
        profile: str = "",
        costs_negative: bool = False,
    ) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO import_batches (file_name, sha256, imported_by, imported_at, profile, "
                "rows, costs_negative) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (file_name, sha256, self.user, now(), profile, rows, int(costs_negative)),
            )
            return int(cur.lastrowid or 0)

    def batches(self) -> list[dict]:
        return self._dicts("SELECT * FROM import_batches ORDER BY id")

    def batch_with_file(self, sha256: str) -> dict | None:
        """The standing (not undone) import of a file with these exact bytes, if any."""
        rows = self._dicts(
            "SELECT * FROM import_batches WHERE sha256 = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1",
            (sha256,),
        )
        return rows[0] if rows else None

    def undo_batch(self, batch_id: int) -> int:
        """Take back a whole import: every cell it changed gets its earlier value again (a cell it
        created is removed), as new audited changes. Refused, with nothing changed, if a cell
        was changed again after the import. Returns the number of cells restored."""
        batch = self._dicts("SELECT * FROM import_batches WHERE id = ?", (batch_id,))
        if not batch:
            raise StoreError(_("Import {i} finns inte.").format(i=batch_id))
        if batch[0]["undone_at"]:
            raise StoreError(_("Importen av {f} är redan ångrad.").format(f=batch[0]["file_name"]))
        changes = self._dicts(
            "SELECT a.* FROM audit_log a WHERE a.batch_id = ? AND a.id IN (SELECT max(id) FROM audit_log "
            "WHERE batch_id = ? GROUP BY unit_code, measure, scenario, version, period, gender, grp) "
            "ORDER BY a.id",
            (batch_id, batch_id),
        )
        later = [
            ch
            for ch in changes
            if self.conn.execute(
                "SELECT 1 FROM audit_log WHERE id > ? AND unit_code = ? AND measure = ? AND scenario = ? "
                "AND version = ? AND period = ? AND gender = ? AND grp = ? LIMIT 1",
                (
                    ch["id"],
                    ch["unit_code"],
                    ch["measure"],
                    ch["scenario"],
                    ch["version"],
                    ch["period"],
                    ch["gender"],
                    ch["grp"],
                ),
            ).fetchone()
        ]
        if later:
            shown = ", ".join(f"{ch['unit_code']} {parse_period(ch['period']).label()}" for ch in later[:5])
            raise StoreError(
                _(
                    "Importen av {f} kan inte ångras: {n} av dess uppgifter har ändrats efteråt ({c}). "
                    "Ändra dem tillbaka först, eller rätta med en ny import."
                ).format(f=batch[0]["file_name"], n=len(later), c=shown + (" …" if len(later) > 5 else ""))
            )
        restore: list[Fact] = []
        remove: list[FactKey] = []
        for ch in changes:
            key = FactKey(
                ch["unit_code"],
                ch["measure"],
                Scenario(ch["scenario"]),
                parse_period(ch["period"]),
                ch["version"],
                ch["gender"],
                ch["grp"],
            )
            if ch["old_status"] is None:
                remove.append(key)
            else:
                restore.append(Fact(key, _value(ch["old_value"], ch["old_status"], None)))
        with self.transaction() as c:
            for key in remove:
                self._delete_fact(key, source="ångrad import")
            if restore:
                self.write_facts(restore, source="ångrad import")
            c.execute(
                "UPDATE import_batches SET undone_by = ?, undone_at = ? WHERE id = ?",
                (self.user, now(), batch_id),
            )
        return len(changes)
