"""Acknowledged findings: a controller's word that a finding of ``socdesk check`` is an error in
the source document itself ("felet finns i källdokumentet"), with a note. An acknowledgement is
history: withdrawing it marks the row withdrawn, never deletes it, and both are audited (rows in
the audit's hash chain, scenario ``AUDIT_SCENARIO``, like the measures' definitions).

A finding is named by its key (``socdesk.reports.final.finding_key``): the rule, the cell and
the figures it compares, so an acknowledgement survives running the check again but not a change
of the figures it is about."""

from __future__ import annotations

import json

from socdesk.core.i18n import _
from socdesk.store.audit import AuditChain
from socdesk.store.connection import now
from socdesk.store.errors import StoreError

AUDIT_SCENARIO = "kvittering"  # the audit rows of acknowledgements
SOURCE_ERROR = "källdokument"  # the reason: the error is in the source document


class Acks(AuditChain):
    def acknowledge(self, finding: str, note: str, reason: str = SOURCE_ERROR) -> int:
        """Acknowledge the finding named by ``finding`` (its key); returns the acknowledgement's
        id. A note is required: it is printed as the footnote at the finding's row."""
        note = note.strip()
        if not note:
            raise StoreError(_("Skriv en kommentar: den skrivs ut som fotnot vid raden i rapporten."))
        cell = _cell(finding)
        with self.transaction() as c:
            if c.execute(
                "SELECT 1 FROM finding_acks WHERE finding = ? AND withdrawn_at IS NULL", (finding,)
            ).fetchone():
                raise StoreError(_("Fyndet är redan kvitterat."))
            at = now()
            cur = c.execute(
                "INSERT INTO finding_acks (finding, reason, note, author, created_at) VALUES (?, ?, ?, ?, ?)",
                (finding, reason, note, self.user, at),
            )
            ack_id = int(cur.lastrowid or 0)
            self._audit_ack(c, at, "insert", ack_id, cell, None, f"{reason}: {note}")
        return ack_id

    def withdraw_ack(self, ack_id: int) -> None:
        """The acknowledgement no longer counts (the row stays, marked withdrawn)."""
        with self.transaction() as c:
            row = c.execute(
                "SELECT finding, reason, note FROM finding_acks WHERE id = ? AND withdrawn_at IS NULL",
                (ack_id,),
            ).fetchone()
            if row is None:
                raise StoreError(_("Kvittering {n} finns inte eller är redan återtagen.").format(n=ack_id))
            at = now()
            c.execute(
                "UPDATE finding_acks SET withdrawn_by = ?, withdrawn_at = ? WHERE id = ?",
                (self.user, at, ack_id),
            )
            self._audit_ack(c, at, "delete", ack_id, _cell(row[0]), f"{row[1]}: {row[2]}", None)

    def acknowledged(self) -> dict[str, dict]:
        """The acknowledgements in force, by finding key: id, reason, note, author, created_at."""
        rows = self._dicts(
            "SELECT id, finding, reason, note, author, created_at FROM finding_acks "
            "WHERE withdrawn_at IS NULL ORDER BY id"
        )
        return {r.pop("finding"): r for r in rows}

    def acks(self) -> list[dict]:
        """Every acknowledgement, withdrawn ones too, oldest first."""
        return self._dicts("SELECT * FROM finding_acks ORDER BY id")

    def _audit_ack(self, c, at: str, action: str, ack_id: int, cell: dict, old: str | None, new: str | None):
        self._append_audit(
            c,
            "SELECT ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL, ?",
            (
                action,
                cell.get("unit", ""),
                cell.get("measure", ""),
                AUDIT_SCENARIO,
                cell.get("version", ""),
                cell.get("period", ""),
                cell.get("gender", ""),
                cell.get("group", ""),
                old,
                new,
            ),
            source=f"kvittering {ack_id}: {cell.get('rule', '')}",
            at=at,
        )


def _cell(finding: str) -> dict:
    """The fields of a finding key (a JSON object, ``reports.final.finding_key``)."""
    try:
        cell = json.loads(finding)
    except ValueError:
        cell = None
    if not isinstance(cell, dict) or not cell.get("rule"):
        raise StoreError(_("Okänt fynd: {f}").format(f=finding[:80]))
    return cell
