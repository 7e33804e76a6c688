"""Backups with SQLite's backup API: verified, rotated, restorable.

A backup is written to a temporary name, checked with ``PRAGMA integrity_check`` and only
then renamed into place, so an interrupted backup never looks like a good one. File names:
``<database>__<YYYYMMDD-HHMMSS-ffffff>__<reason>.db``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.retention import keep
from socdesk.store.db import is_damage

STAMP = "%Y%m%d-%H%M%S-%f"
REASONS = {
    "start": _("vid start"),
    "import": _("före import"),
    "migrering": _("före uppgradering av databasen"),
    "aterstallning": _("före återställning"),
    "periodlas": _("före periodlåsning"),
    "manuell": _("manuell"),
}


class BackupError(SocdeskError):
    pass


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} – {REASONS.get(self.reason, self.reason)}"


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """``[]`` when the file is a sound SQLite database. Opened read-write (when the file allows
    it) so that SQLite can first recover a journal left by a crash: a hot WAL is not damage.
    Nor is a fault of the disk (full, I/O error, cannot open): that is raised as it is."""
    if not path.exists():
        return [_("filen {p} finns inte").format(p=path)]
    try:
        writable = os.access(path, os.W_OK)
        conn = sqlite3.connect(f"file:{path}?mode={'rw' if writable else 'ro'}", uri=True)
        try:
            rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if not is_damage(err):  # a full disk, an I/O error, no access: raised, never called damage
            raise
        return [str(err)]
    problems = [r[0] for r in rows]
    return [] if problems == ["ok"] else problems


def connection_problems(conn: sqlite3.Connection, *, quick: bool = True) -> list[str]:
    """The same check on an open connection (which another thread may ``interrupt()``)."""
    rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    problems = [r[0] for r in rows]
    return [] if problems == ["ok"] else problems


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup(
    conn: sqlite3.Connection, db_path: Path, folder: Path, reason: str, *, now: datetime | None = None
) -> Path:
    """Copy the open database to ``folder``; verified before it gets its final name."""
    folder.mkdir(parents=True, exist_ok=True)
    taken = now or datetime.now()
    final = folder / f"{db_path.stem}__{taken.strftime(STAMP)}__{reason}.db"
    partial = final.with_name(final.name + ".partial")
    try:
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)
        finally:
            target.close()
        _fsync(partial)
        problems = integrity_problems(partial)
        if problems:
            raise BackupError(
                _("Säkerhetskopian {p} klarade inte kontrollen: {e}").format(p=final, e=problems[0])
            )
        partial.replace(final)
    except (OSError, sqlite3.Error) as err:
        partial.unlink(missing_ok=True)
        raise BackupError(
            _("Säkerhetskopian kunde inte skrivas till {f}: {e}").format(f=folder, e=err)
        ) from err
    return final


def list_backups(folder: Path, db_path: Path) -> list[BackupInfo]:
    """Newest first; unfinished (``.partial``) files are not backups."""
    out = []
    for p in folder.glob(f"{db_path.stem}__*__*.db"):
        try:
            _name, stamp, reason = p.stem.rsplit("__", 2)
            out.append(BackupInfo(p, datetime.strptime(stamp, STAMP), reason))
        except ValueError:
            continue
    return sorted(out, key=lambda b: b.taken_at, reverse=True)


def rotate(folder: Path, db_path: Path, *, now: datetime | None = None) -> list[Path]:
    """Remove backups outside the retention policy; returns what was removed."""
    backups = list_backups(folder, db_path)
    kept = keep([b.taken_at for b in backups], now or datetime.now())
    removed = []
    for b in backups:
        if b.taken_at not in kept:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good(folder: Path, db_path: Path) -> BackupInfo | None:
    for b in list_backups(folder, db_path):
        if not integrity_problems(b.path, quick=True):
            return b
    return None


def copy_database(source: Path, target: Path) -> None:
    """Replace ``target`` (closed) by a copy of ``source``, atomically on the same volume."""
    partial = target.with_name(target.name + ".partial")
    shutil.copyfile(source, partial)
    _fsync(partial)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    partial.replace(target)
