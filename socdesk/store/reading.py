"""Looking at a database file without writing it: what it is (``socdesk_version``), read-only
connections that leave no ``-wal``/``-shm`` behind, and SQLite's files beside it."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from socdesk.core.i18n import _
from socdesk.store.errors import NotSocdeskError

SOCDESK_TABLES = frozenset({"units", "measures", "import_batches", "facts", "audit", "settings"})


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
