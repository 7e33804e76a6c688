"""Opening a database safely: never on a network share for writing, never two writers,
never a damaged file silently, never another program's file, a verified backup before an
upgrade and whenever it changed since the last one.

On every open the cheap checks (the header, the schema and its version, the writer lock);
SQLite's full check of the file at most once a day per database (``integrity.check_due``): at
once in the CLI (``check_now``), on a worker in the GUI, which opens with ``check_now=False``
and runs ``integrity.check_file`` in the background when ``checked_fully`` is False. Only a
file whose last check found damage is checked again before it is opened, whoever opens it.

``open_safely`` is what the GUI and the writing CLI commands use; ``Store`` itself stays a
plain connection. Commands that only read open ``Store(path, readonly=True)``, which never
writes (an older schema is read in memory, see ``Store._read_older``).
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import sys
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.store.backup import backup, backup_for, newest_good, remove_leftovers, take_backup, up_to_date
from socdesk.store.db import Store
from socdesk.store.errors import NotSocdeskError, is_damage, storage_error
from socdesk.store.identity import claim_identity, decide_identity, identity_of, read_claim
from socdesk.store.integrity import check_due, check_file, known_damaged, record_check
from socdesk.store.reading import reading, socdesk_version
from socdesk.store.schema import SCHEMA_VERSION

log = logging.getLogger(__name__)
NETWORK_FS = {"nfs", "nfs4", "cifs", "smbfs", "smb3", "fuse.sshfs", "9p", "afs", "ncpfs", "glusterfs", "ceph"}


class DatabaseInUseError(SocdeskError):
    """Another socdesk has the database open for writing."""


class NetworkPathError(SocdeskError):
    pass


class CorruptDatabaseError(SocdeskError):
    """``quarantined`` is the copy put aside (``None`` when there was no room for one: then no
    backup is offered either, so nothing overwrites the only copy)."""

    def __init__(
        self, message: str, quarantined: Path | None, newest_backup: Path | None, identity: str | None = None
    ) -> None:
        super().__init__(message)
        self.quarantined = quarantined
        self.newest_backup = newest_backup
        self.identity = identity  # the damaged database's, as far as known: a restore keeps it


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
    checked_fully: bool = True  # False: the day's full check is due, to run in the background
    identity: str | None = None  # the database's (None: read-only, and it has none yet)

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

    def backup(self, reason: str, *, rotating: bool = True) -> Path:
        """A verified backup of this database now; then (``rotating``) its own backups rotated."""
        return take_backup(self.store, self.backups, reason, rotating=rotating)

    def backup_for(self, reason: str) -> AbstractContextManager[Path]:
        """A backup for one change, removed again if the change is refused (``backup_for``)."""
        return backup_for(self.store, self.backups, reason)

    def up_to_date(self) -> bool:
        """Whether the newest backup of this database holds its current state."""
        return up_to_date(self.backups, self.store, self.identity)


def header_problems(path: Path) -> list[str]:
    """A fast look, through SQLite: the header, the schema and the page count can be read.

    Never with Python's ``open()``: closing any descriptor on the database file drops every
    lock SQLite holds on it in this process. A fault of the disk (full, I/O error, cannot
    open) is raised as the ``sqlite3`` error it is: it is not damage."""
    mode = "rw" if os.access(path, os.W_OK) else "ro"  # rw: a crash's journal is recovered first
    try:
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True)
        try:
            conn.execute("SELECT name, sql FROM sqlite_master").fetchall()
            conn.execute("PRAGMA page_count").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if not is_damage(err):
            raise
        if err.sqlite_errorname == "SQLITE_NOTADB":
            return [_("filhuvudet är inte en SQLite-databas")]
        return [str(err)]
    return []


def quarantine(path: Path) -> Path:
    """Copy a damaged database (and its journal) aside; the original is left as it was.

    Only while no connection to it is open in this process (see ``header_problems``). Each
    copy is written under a temporary name and renamed when whole; on failure (a full disk)
    nothing is left behind and ``OSError`` is raised."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.skadad-{stamp}")
    pairs = [(path, aside)] + [
        (Path(f"{path}{suffix}"), Path(f"{aside}{suffix}"))
        for suffix in ("-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    ]
    made: list[Path] = []
    try:
        for source, target in pairs:
            partial = target.with_name(target.name + ".partial")
            made.append(partial)
            shutil.copy2(source, partial)
            fd = os.open(partial, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            partial.replace(target)
            made[-1] = target
    except OSError:
        for leftover in made:
            leftover.unlink(missing_ok=True)
        raise
    return aside


def open_safely(
    path: str | Path,
    backups: Path,
    *,
    readonly: bool = False,
    daily_backup: bool = True,
    create: bool = True,
    check_now: bool = True,
    now: datetime | None = None,
) -> SafeStore:
    """Checks, lock, backup, then the store. Raises with a message for the user on each refusal.
    ``daily_backup``: a backup on opening unless the newest one holds the current state;
    ``create``: a missing or empty file becomes a new database (else it is refused);
    ``check_now``: the full check, when it is due (``check_due`` at ``now``), is made here; else
    it is left to the caller (``checked_fully`` False) – except for a file already found damaged."""
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
        try:
            problems = header_problems(path)  # every open: the header and the schema can be read
            if not problems and check_due(path, backups, now=now):
                if check_now or known_damaged(path, backups):
                    found = check_file(path)
                    record_check(path, backups, found, now=now)
                    problems = found.problems
                else:
                    checked_fully = False
        except sqlite3.DatabaseError as err:  # the disk, not the file: never called damage
            raise _opening_error(err, path) from err
        if problems:
            try:
                aside = quarantine(path)
            except OSError as err:  # no room for a copy: then nothing may overwrite the file either
                raise _uncopied(path, problems, err) from err
            identity = identity_of(path, backups)  # from the file if it reads, else the backups' records
            try:
                good = newest_good(backups, identity)
            except sqlite3.Error as err:  # the backups cannot be read just now: none is offered
                log.error("säkerhetskopiorna av %s kunde inte kontrolleras: %s", path, err)
                good = None
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
                identity,
            )
    lock = None
    if not readonly:
        _refuse_if_not_ours(path, create)  # before the lock file is made beside it
        lock = WriterLock(path)
        lock.acquire()
    try:
        if readonly:
            store = Store(path, readonly=True)
            return SafeStore(store, None, backups, [], checked_fully, read_claim(store.conn)[0])
        return _open_for_writing(path, backups, lock, checked_fully, daily_backup, create)
    except sqlite3.DatabaseError as err:
        if lock is not None:
            lock.release()
        raise _opening_error(err, path) from err
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def _opening_error(err: sqlite3.DatabaseError, path: Path) -> Exception:
    """A storage fault while opening, as the user's message; anything else as it is."""
    mapped = storage_error(err, path, opening=True)
    if mapped is None:
        return err
    log.info("databasen %s kunde inte öppnas: %s (%s)", path, err, mapped.fault)
    return mapped


def _uncopied(path: Path, problems: list[str], err: OSError) -> CorruptDatabaseError:
    log.error("databasen %s är skadad (%s); ingen kopia kunde läggas undan: %s", path, problems[:3], err)
    return CorruptDatabaseError(
        _(
            "Databasen {p} är skadad ({e}). Det fanns inte plats för en kopia av den ({f}); "
            "filen har lämnats som den är. Frigör utrymme och öppna den igen."
        ).format(p=path, e=problems[0], f=err.strerror),
        None,
        None,
    )


def _open_for_writing(
    path: Path, backups: Path, lock: WriterLock | None, checked_fully: bool, daily_backup: bool, create: bool
) -> SafeStore:
    """Holding the writer lock: refuse another program's file, settle the identity, clear what
    interrupted backups left, back up before an upgrade, open, and back up if asked and changed."""
    notes: list[str] = []
    version, held, recorded = _refuse_if_not_ours(path, create)  # again: now nobody else writes
    identity = decide_identity(held, recorded, path)
    if held is not None and identity != held:
        log.info("%s är en kopia av %s: den får ett eget id och egna säkerhetskopior", path, recorded)
    remove_leftovers(backups, identity, path)
    if 0 < version < SCHEMA_VERSION:
        conn = sqlite3.connect(path)
        try:
            backup(conn, path, backups, "migrering", identity=identity)
        finally:
            conn.close()
        notes.append(_("Säkerhetskopia tagen före uppgradering av databasen."))
    store = Store(path)
    try:
        claim_identity(store, identity, settle=bool(notes))  # upgraded: the backup is named by it
        safe = SafeStore(store, lock, backups, notes, checked_fully, identity)
        if daily_backup and not safe.up_to_date():
            safe.backup("start")
    except BaseException:
        store.close()
        raise
    return safe


def _refuse_if_not_ours(path: Path, create: bool) -> tuple[int, str | None, str | None]:
    """``_inspect``, and without ``create`` a missing or empty file is refused too."""
    found = _inspect(path)
    if not found[0] and not create:
        raise NotSocdeskError(
            _("Filen {p} är tom eller saknas; det är ingen socdesk-databas. Inget har ändrats.").format(
                p=path
            )
        )
    return found


def _inspect(path: Path) -> tuple[int, str | None, str | None]:
    """(schema version, identity, the path it was claimed at) of the file, 0 for a new or empty
    one; refuses a file that is not a socdesk database. Reads only, before anything is written."""
    if not path.exists():
        return 0, None, None
    with reading(path) as conn:
        version = socdesk_version(conn, path, allow_empty=True)
        return (version, *read_claim(conn)) if version else (0, None, None)
