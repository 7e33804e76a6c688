"""The audit: the one way rows enter it (sealed onto its hash chain, ``socdesk.store.chain``,
by the same statement), the chain's verification and what reports print of it."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence

from socdesk.core.i18n import _
from socdesk.store import chain
from socdesk.store.audit_schema import AUDIT_COMPACT_TRIGGERS
from socdesk.store.connection import Connection, now
from socdesk.store.errors import StoreError
from socdesk.store.migrate import statements
from socdesk.store.schema import AUDIT_CHAIN, AUDIT_VERIFIED

# Store._append_audit: new rows (the columns from ``action`` to ``new_status``; when, who,
# source and batch are the change's) go to a temporary table in order, then into the audit
# numbered after the chain's head, their texts as codes, and sealed in that order by the same
# statement. (Measured: 2× faster than numbering them with a window function in one statement.)
ROW_FIELDS = tuple(f for f in chain.COLUMNS if f not in ("id", "at", "who", "source", "batch_id"))
CODED = ("action", "unit_code", "measure", "scenario", "period", "old_status", "new_status")
_STORED = {f: f"k{i}.id" for i, f in enumerate(CODED)}
_CHANGE = {"at": ":at", "who": ":who", "source": ":source", "batch_id": ":batch_id"}
_APPEND_AUDIT = (
    "INSERT INTO audit (id, change_id, "
    + ", ".join(f"{f}_id" if f in _STORED else f for f in ROW_FIELDS)
    + ", hash) SELECT :after + n.rowid, :change, "
    + ", ".join(_STORED.get(f, f"n.{f}") for f in ROW_FIELDS)
    + ", audit_seal(:after + n.rowid, "
    + chain.payload_sql(":after + n.rowid", [_CHANGE.get(f, f"n.{f}") for f in chain.COLUMNS[1:]])
    + ") FROM temp.audit_new n "
    + " ".join(f"LEFT JOIN audit_codes k{i} ON k{i}.value = n.{f}" for i, f in enumerate(CODED))
    + " ORDER BY n.rowid"
)
_NEW_CODES = (
    "INSERT OR IGNORE INTO audit_codes (value) SELECT v FROM ("
    + " UNION ".join(f"SELECT {f} AS v FROM temp.audit_new" for f in CODED)
    + ") WHERE v IS NOT NULL"
)
# The last row's id and full hash (None where only its prefix is stored), and its stored hash.
_LAST_ROW = "SELECT id, full_hash, hash FROM audit_log ORDER BY id DESC LIMIT 1"
LOGICAL = ", ".join((*chain.COLUMNS, "hash"))  # what audit_rows() gives of each row

# The triggers as SQLite keeps them (sqlite_master.sql: the statement without its ";").
VERIFIED_TRIGGERS = {sql.split()[2]: sql.removesuffix(";") for sql in statements(AUDIT_COMPACT_TRIGGERS)}


class AuditChain(Connection):
    def audit_rows(self) -> list[dict]:
        """Every audit row as it reads (``chain.COLUMNS`` and ``hash``, its stored 8 bytes)."""
        return self._dicts(f"SELECT {LOGICAL} FROM audit_log ORDER BY id")

    def _append_audit(
        self,
        c: sqlite3.Connection,
        select: str,
        params: Sequence = (),
        *,
        source: str,
        batch_id: int | None = None,
        at: str | None = None,
    ) -> int:
        """Append the rows of ``select`` (the audit's columns from ``action`` to ``new_status``,
        ``ROW_FIELDS``) as one change (``at``, now if not given; the user; ``source``;
        ``batch_id``), numbered after the chain's head and sealed onto it by the same statement;
        the head is recorded. The one way rows enter the audit. Returns how many rows were
        appended."""
        c.execute("DROP TABLE IF EXISTS temp.audit_new")
        c.execute(f"CREATE TEMP TABLE audit_new ({', '.join(ROW_FIELDS)})")
        c.execute(f"INSERT INTO temp.audit_new ({', '.join(ROW_FIELDS)}) {select}", params)
        count = c.execute("SELECT max(rowid) FROM temp.audit_new").fetchone()[0]
        if not count:
            c.execute("DROP TABLE temp.audit_new")
            return 0
        c.execute(_NEW_CODES)
        after, previous = self._chain_start(c)
        verified = self._verified_follows(c, after, previous)
        self._sealer.start(after, previous)
        at = at or now()
        c.execute(
            _APPEND_AUDIT,
            {
                "after": after,
                "change": after + count,
                "at": at,
                "who": self.user,
                "source": source,
                "batch_id": batch_id,
            },
        )
        appended = int(c.execute("SELECT changes()").fetchone()[0])
        c.execute("DROP TABLE temp.audit_new")
        self._record_head(c, appended)
        c.execute(
            "INSERT INTO changes (id, at, who, source, batch_id, head_hash) VALUES (?, ?, ?, ?, ?, ?)",
            (self._sealer.id, at, self.user, source, batch_id, self._sealer.hash),
        )
        if verified:  # sealed here onto a verified chain: verified too
            c.execute("UPDATE audit_verified SET id = ?, hash = ?", (self._sealer.id, self._sealer.hash))
        return appended

    def _chain_start(self, c: sqlite3.Connection) -> tuple[int, bytes]:
        """The id and hash new rows follow: the head socdesk recorded. Rows another program
        removed after it leave their ids unused, and rows it added after it stay outside the
        chain, so both remain visible to ``verify_audit``."""
        last = c.execute(_LAST_ROW).fetchone()
        head = c.execute("SELECT id, hash FROM audit_head").fetchone()
        if head is None:  # nothing recorded yet (or the record was removed): follow the last row
            return (last[0], last[1] or last[2] or chain.GENESIS) if last else (0, chain.GENESIS)
        return max(head[0], last[0] if last else 0), head[1]

    def _verified_follows(self, c: sqlite3.Connection, after: int, previous: bytes) -> bool:
        """Whether new rows sealed after ``(after, previous)`` extend the verified chain: the
        verified mark is the recorded head and the last row (nothing after it, nothing removed)."""
        if self.schema_version < AUDIT_VERIFIED:
            return False
        mark = c.execute("SELECT id, hash FROM audit_verified").fetchone()
        if mark is None or tuple(mark) != (after, previous):
            return False
        head = c.execute("SELECT id, hash FROM audit_head").fetchone()
        last = c.execute(_LAST_ROW).fetchone()
        if last is None:  # an empty audit: the mark is the genesis
            return head is None and after == 0
        return head is not None and tuple(head) == tuple(last[:2]) == (after, previous)

    def _record_head(self, c: sqlite3.Connection, appended: int) -> None:
        if self._sealer.calls != appended:  # every appended row sealed exactly once, in order
            raise StoreError(
                _("Ändringsloggen kunde inte förseglas ({n} av {m} rader); inget sparades.").format(
                    n=self._sealer.calls, m=appended
                )
            )
        c.execute(
            "INSERT INTO audit_head (one, id, hash) VALUES (1, ?, ?) "
            "ON CONFLICT (one) DO UPDATE SET id = excluded.id, hash = excluded.hash",
            (self._sealer.id, self._sealer.hash),
        )

    def _seal_existing_audit(self, c: sqlite3.Connection) -> None:
        """Migration 6: chain the audit rows an older socdesk wrote, in id order."""
        self._sealer.start(0, chain.GENESIS, full_every=1)  # the one-table audit: full hashes
        c.execute(f"UPDATE audit SET hash = audit_seal(id, {chain.PAYLOAD})")
        appended = int(c.execute("SELECT changes()").fetchone()[0])
        if appended:
            self._record_head(c, appended)
        self._sealer.start(0, chain.GENESIS)

    def verify_audit(self, *, quick: bool = False) -> chain.ChainReport | None:
        """Walk the audit's hash chain and say where it breaks: one row at a time in id order
        (nothing is kept but the previous row), with the recorded head. ``None`` for a schema
        older than the chain (read-only; it is sealed when the database is upgraded).

        ``quick``: where the verified mark stands (schema 9; ``_verified_start``), only the rows
        after it are walked; where they are not whole, or there is no mark, the whole chain is,
        so the breaks are the same. ``rows`` then counts the rows walked."""
        if self.stored_version < AUDIT_CHAIN:
            return None
        recorded = self.conn.execute("SELECT id, hash FROM audit_head").fetchone()
        start = self._verified_start(recorded) if quick else None
        if start is not None:
            try:
                tail = self.conn.execute(chain.VERIFY_SQL_AFTER, (start[0],))
                report = chain.verify(tail, recorded, start)
            except sqlite3.OperationalError as err:  # a BLOB put in by another program
                if "BLOB" not in str(err):
                    raise
            else:
                if report.intact:
                    return report
        try:
            report = chain.verify(self.conn.execute(chain.VERIFY_SQL), recorded)
        except sqlite3.OperationalError as err:  # a BLOB put in by another program
            if "BLOB" not in str(err):
                raise
            report = chain.verify(self.conn.execute(chain.VERIFY_SQL_ANY), recorded)
        report.breaks = [self._described(b) for b in report.breaks]
        return report

    def _verified_start(self, recorded: tuple[int, bytes] | None) -> tuple[int, bytes] | None:
        """The verified mark, where it can be trusted: the triggers that remove it on any
        change through SQLite are there as migration 9 made them, and its row still has its
        hash; ``None`` otherwise (the whole chain is then walked)."""
        if self.stored_version < AUDIT_VERIFIED or recorded is None:
            return None
        triggers = dict(
            self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND tbl_name IN ('audit', 'changes', 'audit_codes')"
            ).fetchall()
        )
        if triggers != VERIFIED_TRIGGERS:
            return None
        mark = self.conn.execute("SELECT id, hash FROM audit_verified").fetchone()
        if mark is None or mark[0] > recorded[0]:
            return None
        if mark[0] == 0:
            return (0, chain.GENESIS) if mark[1] == chain.GENESIS else None
        row = self.conn.execute("SELECT full_hash FROM audit_log WHERE id = ?", (mark[0],)).fetchone()
        return (mark[0], mark[1]) if row is not None and row[0] == mark[1] else None

    def _mark_verified(self, c: sqlite3.Connection) -> None:
        """Migration 9: the verified mark at the end of the chain, where the whole chain is intact."""
        recorded = c.execute("SELECT id, hash FROM audit_head").fetchone()
        report = chain.verify(c.execute(chain.LEGACY_VERIFY_SQL_ANY), recorded)
        if report.intact:
            mark = report.head if report.head is not None else (0, chain.GENESIS)
            c.execute("INSERT INTO audit_verified (one, id, hash) VALUES (1, ?, ?)", mark)

    def _described(self, b: chain.Break) -> chain.Break:
        """A break with its row's when, who and cell, and its message."""
        row = self.conn.execute(
            "SELECT CAST(at AS BLOB), CAST(who AS BLOB), CAST(unit_code AS BLOB), CAST(measure AS BLOB), "
            "CAST(scenario AS BLOB), CAST(period AS BLOB) FROM audit_log WHERE id = ?",
            (b.described_row,),
        ).fetchone()
        if row is not None:  # as text even where another program wrote bytes that are not UTF-8
            at, who, unit, measure, scenario, period = (_shown(v) for v in row)
            b = dataclasses.replace(
                b, at=at, who=who, unit=unit, measure=measure, scenario=scenario, period=period
            )
        return dataclasses.replace(b, message=chain.describe(b))

    def anchor_break(self, audit_id: int, printed: str) -> chain.Break | None:
        """Whether the chain still holds the hash a report printed for a change (its data version:
        ``ändring N …, kedja H``); a break if the row is gone or its hash is another one now."""
        row = self.conn.execute(
            "SELECT coalesce(full_hash, hash) FROM audit_log WHERE id = ?", (audit_id,)
        ).fetchone()
        found = row[0].hex()[: len(printed)] if row and isinstance(row[0], bytes) else ""
        if found and found == printed.lower():
            return None
        kind = "changed" if row else "missing"
        return self._described(chain.Break(kind, audit_id, "anchor", printed=printed.lower(), found=found))

    def last_change(self) -> dict | None:
        """The newest audit row's id, time and chain hash (None before the first change)."""
        rows = self._dicts(
            "SELECT id, at, coalesce(full_hash, hash) AS hash FROM audit_log ORDER BY id DESC LIMIT 1"
        )
        return rows[0] if rows else None

    def _after_migration(self, number: int, c: sqlite3.Connection) -> None:
        super()._after_migration(number, c)
        if number == AUDIT_CHAIN:
            self._seal_existing_audit(c)
        if number == AUDIT_VERIFIED:
            self._mark_verified(c)


def _shown(raw: bytes | None) -> str:
    """Text another program may have written (not UTF-8, control characters) as it can be shown."""
    text = (raw or b"").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in text)
