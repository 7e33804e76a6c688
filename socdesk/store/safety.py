"""Opening a database safely: never on a network share for writing, never two writers,
never a damaged file silently, always a fresh backup.

``open_safely`` is what the GUI and the writing CLI commands use; ``Store`` itself stays a
plain connection.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.store.backup import backup, integrity_problems, list_backups, newest_good, rotate
from socdesk.store.db import Store
from socdesk.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)
NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "glusterfs", "ceph"}


class DatabaseInUseError(SocdeskError):
    """Another socdesk has the database open for writing."""


class NetworkPathError(SocdeskError):
    pass


class CorruptDatabaseError(SocdeskError):
    def __init__(self, message: str, quarantined: Path, newest_backup: Path | None) -> None:
        super().__init__(message)
        self.quarantined = quarantined
        self.newest_backup = newest_backup


def network_reason(path: Path) -> str | None:
    """Why ``path`` is on a network drive, or ``None``."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return _("sökvägen är en nätverkssökväg (UNC)")
    resolved = path.resolve()
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = resolved.drive + "\\"
        if ctypes.windll.kernel32.GetDriveTypeW(drive) == 4:  # DRIVE_REMOTE
            return _("{d} är en nätverksenhet").format(d=resolved.drive)
        return None
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fstype = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3:
            point = parts[1].replace("\\040", " ")
            if (str(resolved) + "/").startswith(point.rstrip("/") + "/") and len(point) >= len(best):
                best, fstype = point, parts[2]
    if fstype in NETWORK_FS:
        return _("{p} ligger på en nätverksmontering ({t})").format(p=best, t=fstype)
    return None


class WriterLock:
    """An OS lock on ``<database>.lock``: held while the program runs, released by the
    operating system when the process ends however it ends (no stale locks after a crash)."""

    def __init__(self, db_path: Path) -> None:
        self.path = Path(f"{db_path}.lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        f = open(self.path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
        try:
            if sys.platform == "win32":  # pragma: no cover - Windows only
                import msvcrt

                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            raise DatabaseInUseError(
                _(
                    "Databasen {p} är redan öppen för ändringar i ett annat socdesk-fönster. "
                    "Du kan öppna den skrivskyddad."
                ).format(p=self.path.with_suffix(""))
            ) from None
        self._file = f

    def release(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


@dataclass
class SafeStore:
    """A store with its writer lock (``None`` when read-only) and what was done on opening."""

    store: Store
    lock: WriterLock | None
    backups: Path
    notes: list[str] = field(default_factory=list)
    checked_fully: bool = True  # False: run integrity_problems(quick=True) in the background

    @property
    def readonly(self) -> bool:
        return self.lock is None

    def close(self) -> None:
        self.store.close()
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> SafeStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backup(self, reason: str) -> Path:
        path = backup(self.store.conn, self.store.path, self.backups, reason)
        rotate(self.backups, self.store.path)
        return path


QUICK_CHECK_LIMIT = 64 * 1024 * 1024  # bytes: larger files get a header check at once


def header_problems(path: Path) -> list[str]:
    """A fast look: the SQLite header, the schema and the page count can be read."""
    import sqlite3

    try:
        with path.open("rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return [_("filhuvudet är inte en SQLite-databas")]
        mode = "rw" if os.access(path, os.W_OK) else "ro"  # rw: a crash's journal is recovered first
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
        try:
            conn.execute("SELECT name, sql FROM sqlite_master").fetchall()
            conn.execute("PRAGMA page_count").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.DatabaseError) as err:
        return [str(err)]
    return []


def quarantine(path: Path) -> Path:
    """Copy a damaged database (and its journal) aside; the original is left as it was."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.skadad-{stamp}")
    shutil.copy2(path, aside)
    for suffix in ("-wal", "-shm"):
        extra = Path(f"{path}{suffix}")
        if extra.exists():
            shutil.copy2(extra, Path(f"{aside}{suffix}"))
    return aside


def open_safely(
    path: str | Path, backups: Path, *, readonly: bool = False, daily_backup: bool = True
) -> SafeStore:
    """Checks, lock, backup, then the store. Raises with a message for the user on each refusal."""
    path = Path(path)
    if not readonly:
        reason = network_reason(path)
        if reason:
            raise NetworkPathError(
                _(
                    "Databasen {p} kan inte öppnas för ändringar: {r}. SQLite kan inte låsa filer "
                    "säkert över nätverket; för delad användning finns serverversionen. Kopiera "
                    "databasen till datorn eller öppna den skrivskyddad."
                ).format(p=path, r=reason)
            )
        if path.exists() and not os.access(path, os.W_OK):
            raise SocdeskError(
                _(
                    "Databasen {p} är skrivskyddad i filsystemet. Öppna den skrivskyddad "
                    "eller ändra filens behörighet."
                ).format(p=path)
            )
    checked_fully = True
    if path.exists():
        if path.stat().st_size <= QUICK_CHECK_LIMIT:
            problems = integrity_problems(path, quick=True)
        else:  # a large database: the header and schema now, the full check in the background
            problems = header_problems(path)
            checked_fully = False
        if problems:
            aside = quarantine(path)
            good = newest_good(backups, path)
            log.error("databasen %s klarar inte integritetskontrollen: %s", path, problems[:3])
            raise CorruptDatabaseError(
                _(
                    "Databasen {p} är skadad ({e}). En kopia har lagts undan som {a}; inget har raderats."
                ).format(p=path, e=problems[0], a=aside.name)
                + (
                    " " + _("Den senaste hela säkerhetskopian är från {t}.").format(t=good.label)
                    if good
                    else ""
                ),
                aside,
                good.path if good else None,
            )
    lock = None
    if not readonly:
        lock = WriterLock(path)
        lock.acquire()
    try:
        notes: list[str] = []
        if path.exists() and not readonly and _needs_migration(path):
            import sqlite3

            conn = sqlite3.connect(path)
            try:
                backup(conn, path, backups, "migrering")
            finally:
                conn.close()
            notes.append(_("Säkerhetskopia tagen före uppgradering av databasen."))
        store = Store(path, readonly=readonly)
        safe = SafeStore(store, lock, backups, notes, checked_fully)
        if not readonly and daily_backup:
            newest = next(iter(list_backups(backups, path)), None)
            if newest is None or datetime.now() - newest.taken_at > timedelta(hours=20):
                safe.backup("start")
        return safe
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _needs_migration(path: Path) -> bool:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        conn.close()
    return bool(has_tables) and version < SCHEMA_VERSION
