"""Open, migrate and write the SQLite store.

Connection rules, asserted on every connection: foreign keys on, WAL journal,
``synchronous=FULL``. Every write runs in one explicit ``BEGIN IMMEDIATE`` transaction
(``Store.transaction``); sqlite-utils calls inside it nest as savepoints. Rows enter the
audit only through ``Store._append_audit``, which seals them onto its hash chain
(``socdesk.store.chain``) in the same statement.
"""

from __future__ import annotations

import dataclasses
import getpass
import itertools
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.i18n import _
from socdesk.core.measures import Measure
from socdesk.core.periods import Month, Period, parse_period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Status, Value, from_store_int, to_store_int
from socdesk.store import chain
from socdesk.store.schema import AUDIT_CHAIN, MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import sqlite_utils


class NewerDatabaseError(SocdeskError):
    pass


class StoreError(SocdeskError):
    pass


class SumOverflowError(StoreError):
    """A sum in the rollup passed 64 bits (SQLite's "integer overflow"); nothing was written."""


class NotSocdeskError(StoreError):
    """The file is not a socdesk database (empty, not SQLite, another program's database)."""


# Settings the store keeps about itself (the ``settings`` table, key → text).
GENERATION_KEY = "generation"  # counts committed write transactions: a backup knows what it holds
IDENTITY_KEY = "database_id"  # a UUID given on the first open for writing, kept by backups
PATH_KEY = "database_path"  # where the identity was last claimed (a copy elsewhere gets its own)
SOCDESK_TABLES = frozenset({"units", "measures", "import_batches", "facts", "audit", "settings"})
SNAPSHOT_LIMIT = 256 * 1024 * 1024  # bytes: an older schema up to this size is read in memory
DETACHED_WAL = "DETACHED_WAL"  # the fault of a DetachedWalError (not one of SQLite's names)


class StorageError(StoreError):
    """The disk or the file refused (full, read-only, an I/O error, cannot be opened): nothing
    was saved and nothing is damaged. ``fault`` is SQLite's error name, e.g. ``SQLITE_FULL``."""

    def __init__(self, message: str, fault: str = "") -> None:
        super().__init__(message)
        self.fault = fault

    @property
    def reopen(self) -> bool:
        """The connection can no longer be trusted (an I/O error, a detached -wal): the
        database must be opened again before anything more is saved."""
        return self.fault.startswith("SQLITE_IOERR") or self.fault == DETACHED_WAL


class DetachedWalError(StorageError):
    """The database's ``-wal`` is no longer the file this connection writes to: another
    program took it away (this process had lost its locks). Nothing more is written through
    this connection; the database must be reopened."""

    def __init__(self, message: str) -> None:
        super().__init__(message, DETACHED_WAL)


class PeriodLockedError(StoreError):
    """Facts in a locked period; ``cells`` lists (unit, period) of each refused fact, in order."""

    def __init__(self, message: str, cells: list[tuple[str, str]], indexes: list[int]) -> None:
        super().__init__(message)
        self.cells = cells
        self.indexes = indexes  # positions in the facts given to write_facts


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "okänd"


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


_FACT_COLUMNS = (
    "unit_id, measure, scenario, version, period, period_start, period_end, gender, grp, "
    "value, status, resolution, comment, source, batch_id"
)
# Store._append_audit: new rows (the columns from ``at`` to ``new_status``) go to a temporary
# table in order, then into the audit numbered after the chain's head and sealed in that order.
# (Measured: 2× faster than numbering them with a window function in one statement.)
_AUDIT_FIELDS = ", ".join(chain.COLUMNS[1:])
_APPEND_AUDIT = (
    f"INSERT INTO audit ({', '.join(chain.COLUMNS)}, hash) "
    f"SELECT :after + rowid, {_AUDIT_FIELDS}, "
    f"audit_seal(:after + rowid, {chain.payload_sql(':after + rowid')}) "
    "FROM temp.audit_new ORDER BY rowid"
)
_KEY_MATCH = (
    "f.unit_id = s.unit_id AND f.measure = s.measure AND f.scenario = s.scenario "
    "AND f.version = s.version AND f.period_start = s.period_start "
    "AND f.period_end = s.period_end AND f.gender = s.gender AND f.grp = s.grp"
)


class Store:
    """One SQLite database file. Not thread-safe: one Store per thread."""

    def __init__(self, path: str | Path, *, user: str | None = None, readonly: bool = False) -> None:
        self.path = Path(path)
        self.user = user or current_user()
        self.readonly = readonly
        self._savepoints = itertools.count()
        self._tidy_on_close = False
        self.pending_settings: dict[str, str] = {}  # written with the next write transaction
        self._stored_version: int | None = None  # an older file read in memory: the file's schema
        self._wal: tuple[int, int] | None = None  # (st_dev, st_ino) of our -wal once it exists
        if readonly and not self.path.exists():
            raise StoreError(_("Databasen {p} finns inte.").format(p=self.path))
        try:
            if readonly:
                self.conn, self._tidy_on_close = _connect_read_only(self.path), True
                try:
                    version = socdesk_version(self.conn, self.path)
                    if version < SCHEMA_VERSION:
                        self._read_older(version)
                    self._check_version(allow_older=False)
                    self.conn.execute("PRAGMA foreign_keys = ON")
                except BaseException:
                    self.close()
                    raise
                return
            self.conn = sqlite3.connect(str(self.path), isolation_level=None)
            self._configure()
            self._install_sealer()
            self._migrate()
        except sqlite3.DatabaseError as err:  # a full disk or unreadable media while opening
            if hasattr(self, "conn"):
                self.conn.close()
            mapped = _storage_error(err, self.path, opening=True)
            if mapped is err:
                raise
            raise mapped from err

    def _install_sealer(self) -> None:
        """The audit chain's SQL function on the connection (a writer's, or a copy in memory)."""
        self._sealer = chain.Sealer()
        self.conn.create_function("audit_seal", 2, self._sealer)

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection (imported on first use: it is slow to import)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)

    # --- connection ---------------------------------------------------------------------
    def _configure(self) -> None:
        c = self.conn
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA busy_timeout = 5000")
        assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        self._wal = self._wal_identity()  # the reads above opened (or created) it

    # --- the -wal this connection writes to ------------------------------------------------
    # Closing *any* file descriptor on the database drops every POSIX lock SQLite holds on it
    # in this process; another program may then checkpoint and delete -wal and -shm while we
    # go on "saving" into the deleted files. Nothing in socdesk opens the database files
    # itself; this check is the belt to those braces.
    def _wal_identity(self) -> tuple[int, int] | None:
        try:
            st = os.stat(f"{self.path}-wal")
        except FileNotFoundError:
            return None
        return (st.st_dev, st.st_ino)

    def _check_wal(self) -> None:
        """Right after ``BEGIN IMMEDIATE``: the -wal on disk is still ours, or the write is refused."""
        on_disk = self._wal_identity()
        if self._wal is None:  # not there at opening (a new, empty database): ours from now on
            self._wal = on_disk
            return
        if on_disk != self._wal:
            raise DetachedWalError(
                _(
                    "Databasen {p} kan inte längre skrivas säkert genom den här anslutningen: dess "
                    "journalfil {w} har tagits bort eller bytts ut av ett annat program. Ändringen "
                    "sparades inte; databasen måste öppnas igen."
                ).format(p=self.path, w=f"{self.path.name}-wal")
            )

    def close(self) -> None:
        self.conn.close()
        if self._tidy_on_close:
            self._tidy_on_close = False
            _tidy_after_reading(self.path)

    def _read_older(self, version: int) -> None:
        """An older schema is read as it is, never upgraded in place: the file is copied into
        memory (SQLite's backup API, one consistent snapshot) and the copy upgraded there."""
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        if size > SNAPSHOT_LIMIT:
            raise StoreError(
                _(
                    "Databasen {p} har en äldre uppbyggnad (schema {v}; detta program använder {s}) och är "
                    "för stor för att läsas utan att uppgraderas. Uppgradera den med "
                    "”socdesk upgrade --db {p}” (en säkerhetskopia tas först) eller öppna den i "
                    "programmet. Inget har ändrats."
                ).format(p=self.path, v=version, s=SCHEMA_VERSION)
            )
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            self.conn.backup(memory)
        except BaseException:
            memory.close()
            raise
        self.close()  # the file is let go at once; the snapshot is all that is read from now on
        self.conn, self._stored_version = memory, version
        self._install_sealer()
        self.readonly = False
        try:
            self._migrate()
        finally:
            self.readonly = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing. Nested calls become savepoints of the outer transaction."""
        if self.conn.in_transaction:
            name = f"sp{next(self._savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.conn
            except BaseException:
                # After SQLITE_FULL or an I/O error SQLite may have rolled back the whole
                # transaction, savepoint and all: then there is nothing to roll back to here.
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        if self.readonly:
            raise StoreError(_("Databasen {p} är öppen skrivskyddad; inget kan ändras.").format(p=self.path))
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self._check_wal()
                yield self.conn
            except BaseException:
                self._rollback()
                raise
            self._bump_generation(self.conn)
            self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as err:
            self._rollback()
            mapped = _storage_error(err, self.path)
            if mapped is err:
                raise
            raise mapped from err

    def _bump_generation(self, c: sqlite3.Connection) -> None:
        """Every committed write transaction counts: a backup holding the current generation
        holds the current state (see ``socdesk.store.backup.up_to_date``). Settings waiting for
        a write (the identity claimed on opening, ``socdesk.store.backup.claim_identity``) go in
        with it, so an open that writes nothing leaves the file as it was."""
        for key, value in self.pending_settings.items():
            c.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
        c.execute(
            "INSERT INTO settings (key, value) VALUES (?, '1') "
            "ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (GENERATION_KEY,),
        )

    def settle(self) -> None:
        """Write now what waits for the next write transaction (``pending_settings``)."""
        if self.pending_settings:
            with self.transaction():
                pass
            self.pending_settings = {}

    @property
    def generation(self) -> int:
        return int(self.setting(GENERATION_KEY) or 0)

    @property
    def identity(self) -> str | None:
        """The database's identity (``socdesk.store.backup``), as claimed on opening (maybe not
        written yet); ``None`` before it has one."""
        return self.pending_settings.get(IDENTITY_KEY) or self.setting(IDENTITY_KEY)

    def _rollback(self) -> None:
        """Roll back what is left of a failed transaction; a rollback that fails too (the disk
        is gone) must not hide the error that caused it."""
        if self.conn.in_transaction:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error as err:
                log.error("ROLLBACK misslyckades för %s: %s", self.path, err)

    def _dicts(self, sql: str, params: tuple = ()) -> list[dict]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur]

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    @property
    def stored_version(self) -> int:
        """The schema of the file itself: an older one read in memory (``_read_older``) keeps
        its own, whatever the copy in memory was upgraded to."""
        return self.schema_version if self._stored_version is None else self._stored_version

    def _check_version(self, *, allow_older: bool) -> int:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise NewerDatabaseError(
                _(
                    "Databasen {p} är skapad av en nyare version av socdesk (schema {v}, "
                    "detta program förstår {s}). Uppgradera socdesk; databasen har inte ändrats."
                ).format(p=self.path, v=version, s=SCHEMA_VERSION)
            )
        if version < SCHEMA_VERSION and not allow_older:
            raise StoreError(
                _("Databasen {p} behöver uppgraderas; öppna den för ändringar en gång först.").format(
                    p=self.path
                )
            )
        return version

    def _migrate(self) -> None:
        version = self._check_version(allow_older=True)
        if version == SCHEMA_VERSION:
            return
        with self.transaction() as c:  # all pending steps at once: the old schema or the new, never between
            for number in range(version + 1, SCHEMA_VERSION + 1):
                for statement in _statements(MIGRATIONS[number - 1]):
                    c.execute(statement)
                if step := _AFTER_MIGRATION.get(number):
                    step(self, c)
            c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # --- units and measures -------------------------------------------------------------
    def unit_tree(self) -> UnitTree:
        rows = self.conn.execute(
            "SELECT u.code, u.name, p.code, u.part FROM units u LEFT JOIN units p ON p.id = u.parent_id "
            "ORDER BY u.sort, u.id"
        ).fetchall()
        by_parent: dict[str | None, list[Unit]] = {}
        for code, name, parent, part in rows:
            by_parent.setdefault(parent, []).append(Unit(code, name, parent, bool(part)))
        tree = UnitTree()
        stack = list(reversed(by_parent.get(None, [])))
        while stack:
            unit = stack.pop()
            tree.add(unit)
            stack.extend(reversed(by_parent.get(unit.code, [])))
        return tree

    def unit_ids(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT code, id FROM units"))

    def add_units(self, units: Iterable[Unit]) -> None:
        """Add units (parents before children) or rename existing ones, in one transaction."""
        with self.transaction() as c:
            ids = self.unit_ids()
            next_sort = c.execute("SELECT coalesce(max(sort), 0) + 1 FROM units").fetchone()[0]
            for unit in units:
                parent_id = ids.get(unit.parent) if unit.parent else None
                if unit.parent and parent_id is None:
                    raise StoreError(_("Överordnad enhet {p} finns inte.").format(p=unit.parent))
                if unit.code in ids:
                    c.execute("UPDATE units SET name = ? WHERE code = ?", (unit.name, unit.code))
                    continue
                cur = c.execute(
                    "INSERT INTO units (code, name, parent_id, sort, part) VALUES (?, ?, ?, ?, ?)",
                    (unit.code, unit.name, parent_id, next_sort, int(unit.part)),
                )
                new_id = int(cur.lastrowid or 0)
                ids[unit.code] = new_id
                next_sort += 1
                c.execute(
                    "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (?, ?, 0)",
                    (new_id, new_id),
                )
                if parent_id is not None:
                    c.execute(
                        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) "
                        "SELECT ancestor_id, ?, depth + 1 FROM unit_closure WHERE descendant_id = ?",
                        (new_id, parent_id),
                    )
                    gained = c.execute(
                        "UPDATE units SET has_children = 1 WHERE id = ? AND NOT has_children", (parent_id,)
                    ).rowcount
                    if gained:  # its facts now count as a non-leaf's in its ancestors' rollup
                        c.execute("DROP TABLE IF EXISTS temp.staging")
                        c.execute(
                            "CREATE TEMP TABLE staging AS SELECT unit_id, measure, scenario, version, "
                            "period_start, period_end, gender, grp FROM facts WHERE unit_id = ?",
                            (parent_id,),
                        )
                        self._refresh_rollup(c)
                        c.execute("DROP TABLE temp.staging")

    def measures(self) -> dict[str, Measure]:
        return {
            r["key"]: Measure(
                key=r["key"],
                name=r["name"],
                unit=r["unit"],
                additive_time=bool(r["additive_time"]),
                additive_units=bool(r["additive_units"]),
                additive_breakdown=bool(r["additive_breakdown"]),
                higher_is_better=bool(r["higher_is_better"]),
                formula=r["formula"],
            )
            for r in self._dicts("SELECT * FROM measures ORDER BY rowid")
        }

    def upsert_measures(self, measures: Iterable[Measure]) -> None:
        rows = [
            {
                "key": m.key,
                "name": m.name,
                "unit": m.unit,
                "additive_time": int(m.additive_time),
                "additive_units": int(m.additive_units),
                "additive_breakdown": int(m.additive_breakdown),
                "higher_is_better": int(m.higher_is_better),
                "formula": m.formula,
            }
            for m in measures
        ]
        with self.transaction():
            self.db["measures"].upsert_all(rows, pk="key")

    # --- import batches -----------------------------------------------------------------
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
            "SELECT a.* FROM audit a WHERE a.batch_id = ? AND a.id IN (SELECT max(id) FROM audit "
            "WHERE batch_id = ? GROUP BY unit_code, measure, scenario, version, period, gender, grp) "
            "ORDER BY a.id",
            (batch_id, batch_id),
        )
        later = [
            ch
            for ch in changes
            if self.conn.execute(
                "SELECT 1 FROM audit WHERE id > ? AND unit_code = ? AND measure = ? AND scenario = ? "
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

    # --- facts --------------------------------------------------------------------------
    def write_facts(self, facts: Iterable[Fact], *, source: str, batch_id: int | None = None) -> int:
        """Insert or update facts in bulk, with one audit row per changed cell.

        Uses a staging table and set-based SQL (``executemany`` on this connection), which is
        several times faster than row-by-row sqlite-utils upserts for large imports. Returns
        the number of cells that changed.
        """
        ids = self.unit_ids()
        facts = list(facts)
        self._refuse_locked(facts)
        rows = []
        for f in facts:
            if f.key.unit not in ids:
                raise StoreError(_("Enheten {u} finns inte.").format(u=f.key.unit))
            rows.append(_fact_row(f, ids[f.key.unit], batch_id))
        with self.transaction() as c:
            _stage(c, rows)
            changed = self._append_audit(
                c,
                f"""
                SELECT ?, ?, CASE WHEN f.id IS NULL THEN 'insert' ELSE 'update' END, ?, s.batch_id,
                       u.code, s.measure, s.scenario, s.version, s.period, s.gender, s.grp,
                       f.value, f.status, s.value, s.status
                FROM temp.staging s
                JOIN units u ON u.id = s.unit_id
                LEFT JOIN facts f ON {_KEY_MATCH}
                WHERE f.id IS NULL OR f.value IS NOT s.value OR f.status IS NOT s.status
                """,
                (now(), self.user, source),
            )
            c.execute(
                f"""
                INSERT INTO facts ({_FACT_COLUMNS})
                SELECT {_FACT_COLUMNS} FROM temp.staging WHERE true
                ON CONFLICT (unit_id, measure, scenario, version, period_start, period_end,
                             gender, grp)
                DO UPDATE SET value = excluded.value, status = excluded.status,
                              resolution = excluded.resolution, comment = excluded.comment,
                              source = excluded.source, batch_id = excluded.batch_id,
                              period = excluded.period
                """
            )
            self._refresh_rollup(c)
            c.execute("DROP TABLE temp.staging")
        return changed

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
            "CREATE TEMP TABLE touched_units AS SELECT DISTINCT c.ancestor_id AS unit_id "
            "FROM temp.staging s CROSS JOIN unit_closure c ON c.descendant_id = s.unit_id AND c.depth > 0 "
            "WHERE s.gender = '' AND s.grp = ''"
        )
        c.execute(
            "DELETE FROM rollup WHERE unit_id IN (SELECT unit_id FROM temp.touched_units) "
            "AND (measure, scenario, version, period_start, period_end) IN (SELECT * FROM temp.touched_keys)"
        )
        # Two steps: the facts once, summed per parent; then those sums up the closure.
        c.execute("DROP TABLE IF EXISTS temp.by_parent")
        c.execute(
            """
            CREATE TEMP TABLE by_parent AS
            SELECT u.parent_id, f.measure, f.scenario, f.version, f.period_start, f.period_end,
                   sum(CASE WHEN f.status = 'value' THEN f.value END) AS value,
                   max(f.resolution) AS resolution,
                   count(CASE WHEN f.status = 'value' THEN 1 END) AS n_value,
                   count(CASE WHEN f.status = '*' THEN 1 END) AS n_suppressed,
                   count(CASE WHEN u.has_children THEN 1 END) AS n_complex
            FROM temp.touched_keys k
            CROSS JOIN facts f ON f.measure = k.measure AND f.scenario = k.scenario
                AND f.version = k.version AND f.period_start = k.period_start
                AND f.period_end = k.period_end AND f.gender = '' AND f.grp = ''
            CROSS JOIN units u ON u.id = f.unit_id
            WHERE u.parent_id IS NOT NULL
            GROUP BY u.parent_id, f.measure, f.scenario, f.version, f.period_start, f.period_end
            """
        )
        c.execute(
            """
            INSERT INTO rollup
            SELECT c.ancestor_id, b.measure, b.scenario, b.version, b.period_start, b.period_end,
                   sum(b.value), max(b.resolution), sum(b.n_value), sum(b.n_suppressed), sum(b.n_complex)
            FROM temp.by_parent b
            CROSS JOIN unit_closure c ON c.descendant_id = b.parent_id
            WHERE c.ancestor_id IN (SELECT unit_id FROM temp.touched_units)
            GROUP BY c.ancestor_id, b.measure, b.scenario, b.version, b.period_start, b.period_end
            """
        )
        for table in ("touched_keys", "touched_units", "by_parent"):
            c.execute(f"DROP TABLE temp.{table}")

    def facts(
        self,
        *,
        units: Iterable[str] | None = None,
        measure: str | None = None,
        scenario: Scenario | None = None,
        within: Period | None = None,
    ) -> list[Fact]:
        sql = (
            "SELECT u.code, f.measure, f.scenario, f.version, f.period, f.gender, f.grp, f.value, "
            "f.status, f.resolution, f.comment, f.source "
            "FROM facts f JOIN units u ON u.id = f.unit_id"
        )
        where, params = [], []
        if units is not None:
            codes = list(units)
            where.append(f"u.code IN ({', '.join('?' * len(codes))})")
            params += codes
        if measure is not None:
            where.append("f.measure = ?")
            params.append(measure)
        if scenario is not None:
            where.append("f.scenario = ?")
            params.append(scenario.value)
        if within is not None:
            where.append("f.period_start >= ? AND f.period_end <= ?")
            params += [str(within.start), str(within.end)]
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += (
            " ORDER BY u.sort, u.id, f.measure, f.scenario, f.period_start, f.period_end,"
            " f.version, f.grp, f.gender"
        )
        return [_fact_from_row(r) for r in self.conn.execute(sql, params)]

    # --- period locks ---------------------------------------------------------------------
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

    # --- history and revert -------------------------------------------------------------
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

    def _delete_fact(self, key: FactKey, *, source: str) -> None:
        self._refuse_locked([Fact(key, Value.status_only(Status.NO_DATA))])
        with self.transaction() as c:
            row = c.execute(
                "SELECT f.id, f.value, f.status FROM facts f JOIN units u ON u.id = f.unit_id "
                "WHERE u.code = ? "
                "AND f.measure = ? AND f.scenario = ? AND f.version = ? AND f.period = ? AND f.gender = ? "
                "AND f.grp = ?",
                _key_params(key),
            ).fetchone()
            if row is None:
                return
            self._append_audit(
                c,
                "SELECT ?, ?, 'delete', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL",
                (now(), self.user, source, *_key_params(key), row[1], row[2]),
            )
            c.execute("DELETE FROM facts WHERE id = ?", (row[0],))
            unit_id = c.execute("SELECT id FROM units WHERE code = ?", (key.unit,)).fetchone()[0]
            _stage(c, [_fact_row(Fact(key, Value.status_only(Status.NO_DATA)), unit_id, None)])
            self._refresh_rollup(c)
            c.execute("DROP TABLE temp.staging")

    # --- planning: budgets with their periodisation, and budget revisions ---------------------
    def write_plan(
        self,
        facts: list[Fact],
        *,
        source: str,
        within: Period,
        tree: UnitTree | None = None,
    ) -> int:
        """Replace units' plan (budget) for ``within`` by ``facts``, in one transaction.

        For every unit and measure in ``facts``, the stated pieces inside ``within`` that are
        not among the new facts are removed (a stated jan–maj would otherwise hide the new
        months), and the ancestors' own stated figures inside ``within`` are moved by exactly
        what the unit's figure for the same period moved, so a stated total stays the total.
        """
        tree = tree or self.unit_tree()
        measures = self.measures()
        groups = sorted({(f.key.unit, f.key.measure, f.key.scenario, f.key.version) for f in facts})
        new_keys = {f.key for f in facts}
        with self.transaction():
            stated = {g: self._stated(*g, within) for g in groups}
            above = {
                g: [f for a in tree.ancestors(g[0]) for f in self._stated(a.code, *g[1:], within)]
                for g in groups
            }
            before = {
                (g, f.key.period): self._number(g, f.key.period, measures, tree)
                for g, fs in above.items()
                for f in fs
            }
            for fs in stated.values():
                for f in fs:
                    if f.key not in new_keys:
                        self._delete_fact(f.key, source=source)
            changed = self.write_facts(facts, source=source)
            moved: dict[FactKey, Decimal] = {}
            current: dict[FactKey, Fact] = {}
            for g, fs in above.items():
                for f in fs:
                    delta = self._number(g, f.key.period, measures, tree) - before[(g, f.key.period)]
                    if delta:
                        moved[f.key] = moved.get(f.key, Decimal(0)) + delta
                        current[f.key] = f
            adjusted = [
                Fact(k, Value.of((current[k].value.number or Decimal(0)) + d), current[k].comment)
                for k, d in moved.items()
                if d
            ]
            if adjusted:
                changed += self.write_facts(adjusted, source=source)
        return changed

    def _stated(
        self, unit: str, measure: str, scenario: Scenario, version: str, within: Period
    ) -> list[Fact]:
        rows = self.conn.execute(
            "SELECT u.code, f.measure, f.scenario, f.version, f.period, f.gender, f.grp, f.value, "
            "f.status, f.resolution, f.comment, f.source FROM facts f JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ? AND f.version = ? AND f.gender = '' "
            "AND f.grp = '' AND f.period_start >= ? AND f.period_end <= ?",
            (unit, measure, scenario.value, version, str(within.start), str(within.end)),
        ).fetchall()
        return [_fact_from_row(r) for r in rows]

    def _number(self, group: tuple, period: Period, measures: dict[str, Measure], tree: UnitTree) -> Decimal:
        unit, measure, scenario, version = group
        v = self.value(unit, measures[measure], scenario, period, version=version, tree=tree)
        return v.number if v.is_number and v.number is not None else Decimal(0)

    def budget_versions(self, year: int) -> list[dict]:
        """The revisions of a year's budget, oldest first (the original, version '', is not listed)."""
        return self._dicts("SELECT * FROM budget_versions WHERE year = ? ORDER BY version", (year,))

    def add_budget_version(self, year: int, applies_from: Month, decided_on: str, reason: str) -> str:
        """Start an ombudgetering: a new version (named by the month it applies from) holding a
        copy of the budget in effect before it, which the user then changes. Returns the version."""
        if applies_from.year != year:
            raise StoreError(_("Ombudgeteringen måste gälla från en månad under {y}.").format(y=year))
        if not reason.strip():
            raise StoreError(_("Ange skälet till ombudgeteringen (t.ex. nämndens beslut)."))
        version = str(applies_from)
        if any(v["version"] == version for v in self.budget_versions(year)):
            raise StoreError(
                _("Det finns redan en ombudgetering från {m}.").format(
                    m=Period(applies_from, applies_from).label()
                )
            )
        previous = max([""] + [v["version"] for v in self.budget_versions(year) if v["version"] < version])
        year_period = Period.year(year)
        copies = [
            Fact(
                FactKey(k.unit, k.measure, k.scenario, k.period, version, k.gender, k.group),
                f.value,
                f.comment,
            )
            for f in self.facts(scenario=Scenario.BUDGET)
            if (k := f.key).version == previous and year_period.contains(k.period)
        ]
        with self.transaction() as c:
            c.execute(
                "INSERT INTO budget_versions (year, version, decided_on, reason, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (year, version, decided_on, reason.strip(), self.user, now()),
            )
            if copies:
                self.write_facts(copies, source="ombudgetering")
        return version

    # --- drafts of unsaved entries --------------------------------------------------------
    def save_draft(self, form: str, cells: dict[str, str]) -> None:
        """Keep typed but unsaved cells (text as typed) so a crash loses nothing."""
        with self.transaction() as c:
            c.execute("DELETE FROM drafts WHERE form = ?", (form,))
            c.executemany(
                "INSERT INTO drafts (form, cell, text, updated_at) VALUES (?, ?, ?, ?)",
                [(form, cell, text, now()) for cell, text in cells.items()],
            )

    def draft(self, form: str) -> dict[str, str]:
        return dict(self.conn.execute("SELECT cell, text FROM drafts WHERE form = ? ORDER BY cell", (form,)))

    def drafts(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT DISTINCT form FROM drafts ORDER BY form")]

    def clear_draft(self, form: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM drafts WHERE form = ?", (form,))

    # --- settings and analysis comments -------------------------------------------------
    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction():
            self.db["settings"].upsert({"key": key, "value": value}, pk="key")

    def add_comment(self, unit: str, period: str, text: str) -> None:
        """Comments are kept as history: a new text is a new row with its author and time."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO comments (unit_id, period, text, author, created_at) "
                "SELECT id, ?, ?, ?, ? FROM units WHERE code = ?",
                (period, text, self.user, now(), unit),
            )
            if c.execute("SELECT changes()").fetchone()[0] != 1:
                raise StoreError(_("Enheten {u} finns inte.").format(u=unit))

    def comment_history(self, unit: str, period: str) -> list[dict]:
        """Oldest first."""
        return self._dicts(
            "SELECT c.text, c.author, c.created_at FROM comments c JOIN units u ON u.id = c.unit_id "
            "WHERE u.code = ? AND c.period = ? ORDER BY c.id",
            (unit, period),
        )

    def comments(self, period: str) -> dict[str, str]:
        """The current (latest non-empty) comment per unit for the period."""
        rows = self.conn.execute(
            "SELECT u.code, c.text FROM comments c JOIN units u ON u.id = c.unit_id "
            "WHERE c.period = ? AND c.id IN (SELECT max(id) FROM comments WHERE period = ? "
            "GROUP BY unit_id)",
            (period, period),
        ).fetchall()
        return {code: text for code, text in rows if text.strip()}

    def facts_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM facts").fetchone()[0])

    def audit_rows(self) -> list[dict]:
        return self._dicts("SELECT * FROM audit ORDER BY id")

    # --- the audit's hash chain (socdesk.store.chain) -------------------------------------
    def _append_audit(self, c: sqlite3.Connection, select: str, params: Sequence = ()) -> int:
        """Append the rows of ``select`` (the audit's columns from ``at`` to ``new_status``),
        numbered after the chain's head and sealed onto it by the same statement; the head is
        recorded. The one way rows enter the audit. Returns how many rows were appended."""
        c.execute("DROP TABLE IF EXISTS temp.audit_new")
        c.execute(f"CREATE TEMP TABLE audit_new ({_AUDIT_FIELDS})")
        c.execute(f"INSERT INTO temp.audit_new ({_AUDIT_FIELDS}) {select}", params)
        after, previous = self._chain_start(c)
        self._sealer.start(after, previous)
        c.execute(_APPEND_AUDIT, {"after": after})
        appended = int(c.execute("SELECT changes()").fetchone()[0])
        c.execute("DROP TABLE temp.audit_new")
        if appended:
            self._record_head(c, appended)
        return appended

    def _chain_start(self, c: sqlite3.Connection) -> tuple[int, bytes]:
        """The id and hash new rows follow: the head socdesk recorded. Rows another program
        removed after it leave their ids unused, and rows it added after it stay outside the
        chain, so both remain visible to ``verify_audit``."""
        last = c.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        head = c.execute("SELECT id, hash FROM audit_head").fetchone()
        if head is None:  # nothing recorded yet (or the record was removed): follow the last row
            return (last[0], last[1] or chain.GENESIS) if last else (0, chain.GENESIS)
        return max(head[0], last[0] if last else 0), head[1]

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
        self._sealer.start(0, chain.GENESIS)
        c.execute(f"UPDATE audit SET hash = audit_seal(id, {chain.PAYLOAD})")
        appended = int(c.execute("SELECT changes()").fetchone()[0])
        if appended:
            self._record_head(c, appended)

    def verify_audit(self) -> chain.ChainReport | None:
        """Walk the audit's hash chain and say where it breaks: one row at a time in id order
        (nothing is kept but the previous row), with the recorded head. ``None`` for a schema
        older than the chain (read-only; it is sealed when the database is upgraded)."""
        if self.stored_version < AUDIT_CHAIN:
            return None
        recorded = self.conn.execute("SELECT id, hash FROM audit_head").fetchone()
        try:
            report = chain.verify(self.conn.execute(chain.VERIFY_SQL), recorded)
        except sqlite3.OperationalError as err:  # a BLOB put in by another program
            if "BLOB" not in str(err):
                raise
            report = chain.verify(self.conn.execute(chain.VERIFY_SQL_ANY), recorded)
        report.breaks = [self._described(b) for b in report.breaks]
        return report

    def _described(self, b: chain.Break) -> chain.Break:
        """A break with its row's when, who and cell, and its message."""
        row = self.conn.execute(
            "SELECT CAST(at AS BLOB), CAST(who AS BLOB), CAST(unit_code AS BLOB), CAST(measure AS BLOB), "
            "CAST(scenario AS BLOB), CAST(period AS BLOB) FROM audit WHERE id = ?",
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
        row = self.conn.execute("SELECT hash FROM audit WHERE id = ?", (audit_id,)).fetchone()
        found = row[0].hex()[: len(printed)] if row and isinstance(row[0], bytes) else ""
        if found and found == printed.lower():
            return None
        kind = "changed" if row else "missing"
        return self._described(chain.Break(kind, audit_id, "anchor", printed=printed.lower(), found=found))

    def last_change(self) -> dict | None:
        """The newest audit row's id, time and chain hash (None before the first change)."""
        hashed = "hash" if self.schema_version >= AUDIT_CHAIN else "NULL AS hash"
        rows = self._dicts(f"SELECT id, at, {hashed} FROM audit ORDER BY id DESC LIMIT 1")
        return rows[0] if rows else None

    # --- queries ------------------------------------------------------------------------
    def value(
        self,
        unit: str,
        measure: Measure,
        scenario: Scenario,
        period: Period,
        *,
        version: str = "",
        tree: UnitTree | None = None,
    ) -> Value:
        """The figure for a unit and period (total over kön and grupp).

        A fact stated for exactly the period wins; otherwise the unit's stated facts inside the
        period that cover it exactly with the fewest pieces (additive-over-time measures);
        otherwise, for measures additive over units, the sum of the children's figures (its
        components: a "därav" part is not summed into its parent). A unit
        without children sums what it has inside the period (utfall so far, months missing).
        This is the reference; ``socdesk.store.figures`` answers the same in bulk.
        """
        rows = self.conn.execute(
            "SELECT f.period_start, f.period_end, f.value, f.status, f.resolution FROM facts f "
            "JOIN units u ON u.id = f.unit_id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ? "
            "AND f.version = ? AND f.gender = '' AND f.grp = '' AND f.period_start >= ? "
            "AND f.period_end <= ?",
            (unit, measure.key, scenario.value, version, str(period.start), str(period.end)),
        ).fetchall()
        pieces = {(s, e): (v, st, r) for s, e, v, st, r in rows}
        exact = pieces.get((str(period.start), str(period.end)))
        if exact is not None:
            return _value(*exact)
        tree = tree or self.unit_tree()
        children = tree.components(unit) if measure.additive_units else []
        if measure.additive_time and pieces:
            cover = _cover(period, list(pieces), gaps=not children)
            if cover:
                return _sum_values([_value(*pieces[p]) for p in cover])
        if children:
            parts = [
                self.value(c.code, measure, scenario, period, version=version, tree=tree) for c in children
            ]
            return _sum_values(parts)
        return Value.status_only(Status.NO_DATA)

    def last_month_with(
        self, measure: str, scenario: Scenario, unit: str, *, subtree: bool = True
    ) -> Month | None:
        """The last month a stated fact of the unit (or, failing that, of its subtree) covers."""
        own = self.conn.execute(
            "SELECT max(f.period_end) FROM units u CROSS JOIN facts f ON f.unit_id = u.id "
            "WHERE u.code = ? AND f.measure = ? AND f.scenario = ?",
            (unit, measure, scenario.value),
        ).fetchone()[0]
        if own is None and subtree:
            own = self.conn.execute(
                "SELECT max(r.period_end) FROM units u CROSS JOIN rollup r ON r.unit_id = u.id "
                "WHERE u.code = ? AND r.measure = ? AND r.scenario = ?",
                (unit, measure, scenario.value),
            ).fetchone()[0]
        if not own:
            return None
        year, month = (int(x) for x in own.split("-"))
        return Month(year, month)


def socdesk_version(conn: sqlite3.Connection, path: Path, *, allow_empty: bool = False) -> int:
    """The schema version of the socdesk database on ``conn``; anything else (an empty file, a
    file that is not SQLite, another program's database) is refused. Reads only. With
    ``allow_empty`` an empty database is version 0 (a writer creates the schema)."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as err:
        raise NotSocdeskError(
            _(
                "Filen {p} kan inte läsas som en socdesk-databas: den är inte en SQLite-databas "
                "eller är skadad ({e}). Inget har ändrats."
            ).format(p=path, e=err)
        ) from err
    if not tables and allow_empty:
        return 0
    if not tables:
        raise NotSocdeskError(
            _("Filen {p} är tom; det är ingen socdesk-databas. Inget har ändrats.").format(p=path)
        )
    missing = SOCDESK_TABLES - tables
    if version == 0 or missing:
        raise NotSocdeskError(
            _(
                "Filen {p} är en SQLite-databas men inte en socdesk-databas (den saknar {t}). "
                "Inget har ändrats."
            ).format(p=path, t=", ".join(sorted(missing)) or _("socdesks schemanummer"))
        )
    return version


def _journal_files(path: Path) -> list[Path]:
    return [p for p in (Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A ``mode=ro`` connection (never ``immutable``: another process may be writing); close it
    with ``_tidy_after_reading``."""
    conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


def _tidy_after_reading(path: Path) -> None:
    """SQLite's rule for read-only WAL access: a ``mode=ro`` connection creates ``-wal`` and
    ``-shm`` when they are missing and cannot remove them. A read-write connection that only
    reads removes them on closing if it is the last connection, and leaves them while any other
    process has the database open (SQLite's own locks decide, so a writer elsewhere is never
    disturbed). Only an empty ``-wal`` is tidied so: one holding pages (a writer's, or one a
    crash left) is left for a writer to take in, and nothing is written to the database file."""
    wal = Path(f"{path}-wal")
    if not _journal_files(path) or not os.access(path, os.W_OK):
        return
    try:
        if wal.exists() and wal.stat().st_size:
            return
    except OSError:
        return
    try:
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # only tidying: the files are SQLite's and harmless


@contextmanager
def reading(path: Path) -> Iterator[sqlite3.Connection]:
    """A short read-only look at a database file that leaves no ``-wal``/``-shm`` behind."""
    conn = _connect_read_only(path)
    try:
        yield conn
    finally:
        conn.close()
        _tidy_after_reading(path)


# Steps SQL cannot express, run by Store._migrate right after their migration, in its transaction.
_AFTER_MIGRATION: dict[int, Callable[[Store, sqlite3.Connection], None]] = {
    AUDIT_CHAIN: Store._seal_existing_audit,
}


JOURNAL_SUFFIXES = ("-wal", "-shm", "-journal")


def is_database_file(candidate: Path, database: Path) -> bool:
    """``candidate`` is ``database`` or one of SQLite's files beside it (by name, or the same
    file on disk under another name). Decided with ``stat`` only: the file is never opened."""
    names = {database.name + suffix for suffix in ("", *JOURNAL_SUFFIXES)}
    try:
        if candidate.resolve().parent == database.resolve().parent and candidate.name in names:
            return True
    except OSError:
        pass
    for name in names:
        try:
            if os.path.samefile(candidate, database.with_name(name)):
                return True
        except OSError:  # one of them does not exist
            continue
    return False


def is_interrupted(err: BaseException) -> bool:
    """The statement was stopped by ``Connection.interrupt()`` (a cancelled background job)."""
    return _error_name(err) == "SQLITE_INTERRUPT"


def _error_name(err: BaseException) -> str:
    """SQLite's (extended) error name, e.g. ``SQLITE_IOERR_WRITE``; ``""`` when not SQLite's."""
    if not isinstance(err, sqlite3.Error):
        return ""
    return getattr(err, "sqlite_errorname", None) or ""


# Damage (what is wrong inside the file: SQLITE_CORRUPT, SQLITE_NOTADB) as opposed to what the
# disk or the file refused (SQLITE_FULL, _IOERR, _CANTOPEN, _READONLY, _PERM, _BUSY: see
# _storage_error). The one definition: open_safely, the integrity checks, every write and the
# GUI use these two, so a full disk is never taken for a damaged database.
_BUSY = ("SQLITE_BUSY", "SQLITE_LOCKED")


def is_damage(err: BaseException) -> bool:
    """The file's content is not a sound database (as opposed to a fault of the disk)."""
    name = _error_name(err)
    return name.startswith("SQLITE_CORRUPT") or name == "SQLITE_NOTADB"


def storage_error(err: BaseException, path: Path, *, opening: bool = False) -> StorageError | None:
    """The user's message for a storage fault (``None`` when ``err`` is not one)."""
    mapped = _storage_error(err, path, opening=opening) if isinstance(err, sqlite3.Error) else err
    return mapped if isinstance(mapped, StorageError) else None


def _no_room(path: Path) -> bool:
    """The disk holding ``path`` is (all but) full."""
    try:
        return shutil.disk_usage(path.parent).free < 1024 * 1024
    except OSError:
        return False


def _storage_error(err: sqlite3.Error, path: Path, *, opening: bool = False) -> Exception:
    """A message for the user about what the disk or the file refused; nothing was saved
    (``opening``: nothing could be read either). Other errors are returned as they are."""
    if "integer overflow" in str(err).lower():  # SQLITE_ERROR from sum() in the rollup
        return SumOverflowError(
            _(
                "En summa över enheterna blir för stor för att räknas exakt (över 922 337 203 685 477 "
                "kr för en överordnad enhet och period); inget sparades och databasen {p} är oförändrad."
            ).format(p=path)
        )
    name = _error_name(err)
    if name.startswith("SQLITE_IOERR") and _no_room(path):  # e.g. -shm cannot grow: the disk is full
        name = "SQLITE_FULL"
    if name.startswith("SQLITE_FULL"):
        message = (
            _(
                "Disken är full: databasen {p} kunde inte öppnas (SQLite behöver lite utrymme "
                "för sin journal). Databasen är oförändrad och inte skadad. Frigör utrymme och försök igen."
            )
            if opening
            else _(
                "Disken är full: ändringen sparades inte och databasen {p} är oförändrad. "
                "Frigör utrymme och försök igen."
            )
        )
    elif name.startswith(("SQLITE_READONLY", "SQLITE_PERM")):
        message = (
            _(
                "Databasen {p} ligger på ett skrivskyddat medium eller i en mapp där socdesk "
                "inte får skriva, och kunde inte öppnas för ändringar. Inget har ändrats."
            )
            if opening
            else _("Databasen {p} är skrivskyddad: ändringen sparades inte.")
        )
    elif name.startswith("SQLITE_CANTOPEN"):
        message = _(
            "Databasen {p} eller dess journalfiler ({p}-wal, {p}-shm) kan inte öppnas: mappen är "
            "skrivskyddad, borta eller inte åtkomlig. Inget har ändrats. Ligger databasen på ett "
            "skrivskyddat medium, kopiera den först till en mapp där du får skriva."
        )
    elif name.startswith("SQLITE_IOERR"):
        message = (
            _(
                "Databasen {p} kunde inte läsas: lagringen gav ett in- och utdatafel ({e}). "
                "Databasen har inte ändrats och bedöms inte som skadad; kontrollera disken och försök igen."
            )
            if opening
            else _(
                "Lagringen gav ett in- och utdatafel ({e}) för databasen {p}: ändringen sparades "
                "inte. Kontrollera disken; databasen behöver öppnas igen."
            )
        )
    elif name.startswith(_BUSY):
        message = _(
            "Databasen {p} är upptagen av ett annat program; ändringen sparades inte. "
            "Försök igen om en stund."
        )
    else:
        return err
    return StorageError(message.format(p=path, e=name), name)


def _shown(raw: bytes | None) -> str:
    """Text another program may have written (not UTF-8, control characters) as it can be shown."""
    text = (raw or b"").decode("utf-8", "replace")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _key_params(key: FactKey) -> tuple[str, str, str, str, str, str, str]:
    """A cell's key as SQL parameters, in the audit table's column order."""
    return (key.unit, key.measure, key.scenario.value, key.version, str(key.period), key.gender, key.group)


def _fact_row(f: Fact, unit_id: int, batch_id: int | None) -> tuple:
    """A fact as a row of ``_FACT_COLUMNS``."""
    k, v = f.key, f.value
    return (
        unit_id,
        k.measure,
        k.scenario.value,
        k.version,
        str(k.period),
        str(k.period.start),
        str(k.period.end),
        k.gender,
        k.group,
        to_store_int(v.number) if v.is_number else None,  # type: ignore[arg-type]
        v.status.value,
        to_store_int(v.resolution) if v.resolution is not None else None,
        f.comment,
        f.source,
        batch_id,
    )


def _stage(c: sqlite3.Connection, rows: list[tuple]) -> None:
    """Fill ``temp.staging`` (what a write touches) with fact rows."""
    c.execute("DROP TABLE IF EXISTS temp.staging")
    c.execute(f"CREATE TEMP TABLE staging AS SELECT {_FACT_COLUMNS} FROM facts WHERE 0")
    c.executemany(f"INSERT INTO temp.staging ({_FACT_COLUMNS}) VALUES ({', '.join('?' * 15)})", rows)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _value(value: int | None, status: str, resolution: int | None) -> Value:
    if status != Status.VALUE.value:
        return Value.status_only(Status(status))
    return Value(
        from_store_int(value or 0),
        Status.VALUE,
        from_store_int(resolution) if resolution is not None else None,
    )


def _fact_from_row(r: tuple) -> Fact:
    code, measure, scenario, version, period, gender, grp, value, status, res, comment, source = r
    key = FactKey(code, measure, Scenario(scenario), parse_period(period), version, gender, grp)
    return Fact(key, _value(value, status, res), comment, source)


def _sum_values(parts: list[Value]) -> Value:
    """Sum of figures; no data where none has a number; suppressed if any part is."""
    if any(p.status is Status.SUPPRESSED for p in parts):
        return Value.status_only(Status.SUPPRESSED)
    numbers = [p for p in parts if p.is_number]
    if not numbers:
        return Value.status_only(Status.NO_DATA)
    resolutions = [p.resolution for p in numbers if p.resolution is not None]
    return Value(
        sum((p.number for p in numbers), start=from_store_int(0)),  # type: ignore[misc]
        Status.VALUE,
        max(resolutions) if resolutions else None,
    )


def _cover(
    period: Period, pieces: list[tuple[str, str]], *, gaps: bool = False
) -> list[tuple[str, str]] | None:
    """Stated pieces inside ``period`` that do not overlap: the fewest that tile it exactly
    (dynamic programming over months); failing that, with ``gaps``, the single months stated
    inside it – booked month by month, a month without a booking is nothing booked, whereas a
    stated range (a tertial, a year to date) says nothing about a longer period."""
    start = period.start.index
    n = period.n_months
    by_start: dict[int, list[tuple[int, tuple[str, str]]]] = {}
    for s, e in pieces:
        si, ei = _month_index(s), _month_index(e)
        by_start.setdefault(si - start, []).append((ei - start + 1, (s, e)))
    # best[i]: (uncovered months, pieces) for months 0..i-1
    best: list[tuple[int, list[tuple[str, str]]] | None] = [None] * (n + 1)
    best[0] = (0, [])

    def offer(i: int, candidate: tuple[int, list[tuple[str, str]]]) -> None:
        current = best[i]
        if current is None or (candidate[0], len(candidate[1])) < (current[0], len(current[1])):
            best[i] = candidate

    for i in range(n):
        here = best[i]
        if here is None:
            continue
        for end, piece in by_start.get(i, []):
            if end <= n:
                offer(end, (here[0], [*here[1], piece]))
    result = best[n]
    if result is not None and result[1]:
        return result[1]
    if gaps:
        months = [(s, e) for s, e in pieces if s == e]
        return sorted(months) or None
    return None


def _month_index(text: str) -> int:
    y, m = text.split("-")
    return Month(int(y), int(m)).index
