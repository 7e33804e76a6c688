"""The connection: opening (for writing, read-only, an older schema in memory), the
connection's rules, the ``-wal`` check, transactions, the generation and migrations.

Connection rules, asserted on every connection: foreign keys on, WAL journal,
``synchronous=FULL``. Every write runs in one explicit ``BEGIN IMMEDIATE`` transaction
(``Connection.transaction``); sqlite-utils calls inside it nest as savepoints.
"""

from __future__ import annotations

import getpass
import itertools
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Self

from socdesk.core.i18n import _
from socdesk.store import chain, migrate
from socdesk.store.errors import DetachedWalError, NewerDatabaseError, StoreError, _storage_error
from socdesk.store.reading import _connect_read_only, _tidy_after_reading, socdesk_version
from socdesk.store.schema import AUDIT_COMPACT, MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import sqlite_utils

# Settings the store keeps about itself (the ``settings`` table, key → text).
GENERATION_KEY = "generation"  # counts committed write transactions: a backup knows what it holds
IDENTITY_KEY = "database_id"  # a UUID given on the first open for writing, kept by backups
PATH_KEY = "database_path"  # where the identity was last claimed (a copy elsewhere gets its own)
SNAPSHOT_LIMIT = 256 * 1024 * 1024  # bytes: an older schema up to this size is read in memory


def current_user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "okänd"


def now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def like_prefix(text: str) -> str:
    """A pattern for ``LIKE ? ESCAPE '\\'`` matching the texts that begin with ``text``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


class Connection:
    """One SQLite database file. Not thread-safe: one Store per thread. The base of every part
    of ``socdesk.store.db.Store``."""

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

    def __enter__(self) -> Self:
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
            migrate.apply(c, MIGRATIONS, version, self._after_migration)
        if 0 < version < AUDIT_COMPACT and self._stored_version is None:
            self._compact_file()

    def _compact_file(self) -> None:
        """After the compact layout's migrations (10, 11): the file rewritten without the freed pages
        (the smaller file is the point). VACUUM needs free space about the new size; if it
        fails, the database is as correct as before, only not yet smaller."""
        try:
            self.conn.execute("VACUUM")
        except sqlite3.DatabaseError as err:
            log.warning("VACUUM after the upgrade of %s failed (the database is correct): %s", self.path, err)

    def _after_migration(self, number: int, c: sqlite3.Connection) -> None:
        """Steps SQL cannot express, run right after migration ``number`` in its transaction
        (``AuditChain`` seals the existing audit rows after the chain's migration)."""

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def interrupt(self) -> None:
        """Stop the statement running on this connection (from another thread: a cancelled
        background job); it fails with SQLite's interrupt (``errors.is_interrupted``)."""
        self.conn.interrupt()
