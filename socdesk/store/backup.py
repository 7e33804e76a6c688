"""Backups with SQLite's backup API: verified, rotated, restorable – and each belonging to one
database.

Every database carries an identity, a UUID in ``settings.database_id``, given on its first open
for writing (``claim_identity``) and kept by backups and restores. Backups are named, listed and
rotated by it, so ``A/budget.db`` and ``B/budget.db`` never share, rotate or offer each other's::

    <file stem>__<identity, 16 hex>__<YYYYMMDD-HHMMSS-ffffff>__<reason>__g<generation>.db
    <the same>.db.json   the original path, the whole identity, the generation (written atomically)

The generation counts the database's committed write transactions (``Store._bump_generation``),
so a backup holding the current generation holds the current state: a backup on opening an
unchanged database is skipped (``up_to_date``).

A backup is written to ``….db.partial``, checked with ``PRAGMA integrity_check`` and only then
renamed into place: an interrupted backup never looks like a good one, and its leftovers are
removed on the next open for writing (``remove_leftovers``). Backups in the old naming scheme
(``<stem>__<stamp>__<reason>.db``, from before identities) cannot be told apart by database: they
are never rotated, deleted or offered as a database's own; the restore dialog shows those with
the same file name apart, marked as of unknown origin (``legacy_backups``).
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.core.retention import keep
from socdesk.files import WriteError, remove_stale_temps, write_atomic
from socdesk.store.connection import GENERATION_KEY, IDENTITY_KEY, PATH_KEY
from socdesk.store.errors import is_damage
from socdesk.store.identity import _read_record, _record_path, _setting, _valid, identity_of, stored_identity
from socdesk.store.identity import claim_identity as claim_identity  # re-exported: where it was
from socdesk.store.identity import decide_identity as decide_identity
from socdesk.store.identity import hold_identity as hold_identity
from socdesk.store.identity import read_claim as read_claim
from socdesk.store.integrity import DamagedCopyError, damaged_copy, forget_check, integrity_problems
from socdesk.store.integrity import connection_problems as connection_problems
from socdesk.store.reading import reading

if TYPE_CHECKING:
    from socdesk.store.db import Store

STAMP = "%Y%m%d-%H%M%S-%f"
ID_CHARS = 16  # of the identity's 32 hex digits, in file names
REASONS = {
    "start": _("vid start"),
    "import": _("före import"),
    "migrering": _("före uppgradering av databasen"),
    "aterstallning": _("före återställning"),
    "periodlas": _("före periodlåsning"),
    "enheter": _("före ändring av enheter"),
    "ångra-import": _("före ångrad import"),
    "manuell": _("manuell"),
}
_PREFIX = re.compile(f"[0-9a-f]{{{ID_CHARS}}}")
_GENERATION = re.compile(r"g(\d+)")
_PARTIAL = re.compile(r"(?P<base>.+\.db)\.partial(-wal|-shm|-journal)?")


class BackupError(SocdeskError):
    pass


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    identity: str | None = None  # the identity's first 16 hex digits; None: the old naming scheme
    generation: int | None = None

    @property
    def label(self) -> str:
        return f"{self.taken_at:%Y-%m-%d %H:%M} – {REASONS.get(self.reason, self.reason)}"

    @property
    def legacy(self) -> bool:
        return self.identity is None

    @property
    def record(self) -> Path:
        return _record_path(self.path)

    def original(self) -> str | None:
        """The path of the database this is a backup of (from its record), if known."""
        return _read_record(self.record).get("database")


# --- files ---------------------------------------------------------------------------------------
def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """A rename is durable once its folder is synced (POSIX; Windows has no such call)."""
    if sys.platform == "win32":  # pragma: no cover - Windows only
        return
    _fsync(folder)


def _write_record(path: Path, record: dict) -> None:
    """Whole or not at all (``socdesk.files.write_atomic``)."""
    write_atomic(path, json.dumps(record, ensure_ascii=False, indent=1))


def _remove_database_file(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        p.unlink(missing_ok=True)


# --- backing up ----------------------------------------------------------------------------------
def backup(
    conn: sqlite3.Connection,
    db_path: Path,
    folder: Path,
    reason: str,
    *,
    now: datetime | None = None,
    identity: str | None = None,
) -> Path:
    """Copy the open database to ``folder``; verified before it gets its final name. The copy
    carries ``identity`` (default: the one stored in the database)."""
    identity = identity or stored_identity(conn)
    if not _valid(identity):
        raise BackupError(
            _(
                "Databasen {p} har inget id och kan inte säkerhetskopieras; öppna den för ändringar "
                "i socdesk först."
            ).format(p=db_path)
        )
    assert identity is not None
    taken = now or datetime.now()
    base = f"{db_path.stem}__{identity[:ID_CHARS]}__{taken.strftime(STAMP)}__{reason}"
    partial = folder / f"{base}.db.partial"
    final: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(partial)
        try:
            conn.backup(target)  # one consistent snapshot, whatever another connection writes
        finally:
            target.close()
        generation = _seal(partial, identity)
        _fsync(partial)
        final = folder / f"{base}__g{generation}.db"
        _write_record(
            _record_path(final),
            {
                "database": str(Path(db_path).resolve()),
                "id": identity,
                "generation": generation,
                "taken_at": taken.isoformat(),
                "reason": reason,
            },
        )
        partial.replace(final)
        _fsync_dir(folder)
    except BaseException as err:
        _remove_database_file(partial)
        if final is not None and not final.exists():
            _record_path(final).unlink(missing_ok=True)
        if isinstance(err, DamagedCopyError) or is_damage(err):
            raise damaged_copy(db_path, folder, err, identity) from err
        if isinstance(err, (OSError, sqlite3.Error, WriteError)):
            raise BackupError(
                _("Säkerhetskopian kunde inte skrivas till {f}: {e}").format(f=folder, e=err)
            ) from err
        raise
    return final


def take_backup(store: Store, folder: Path, reason: str, *, rotating: bool = True) -> Path:
    """A verified backup of the database open in ``store``, then (``rotating``) its own backups
    rotated."""
    hold_identity(store)
    made = backup(store.conn, store.path, folder, reason, identity=store.identity)
    if rotating:
        rotate(folder, store.identity or store.path)
    return made


@contextmanager
def backup_for(store: Store, folder: Path, reason: str) -> Iterator[Path]:
    """A backup taken for one change, made inside the ``with``: if the change is refused while
    it is written (the block raises), the backup – holding exactly the state that is kept – is
    removed again. A claimed identity not yet written is written with the change itself, so a
    refused change leaves the database byte for byte as it was."""
    identity = store.identity
    made = backup(store.conn, store.path, folder, reason, identity=identity)
    try:
        yield made
    except BaseException:
        made.unlink(missing_ok=True)
        _record_path(made).unlink(missing_ok=True)
        raise
    rotate(folder, identity or store.path)


def _seal(partial: Path, identity: str) -> int:
    """Give the copy its identity (a backup taken before the database had one stored, as before
    an upgrade), check it whole, and return the generation it holds."""
    conn = sqlite3.connect(partial, isolation_level=None)
    try:
        if stored_identity(conn) != identity:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (IDENTITY_KEY, identity),
            )
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            raise DamagedCopyError(
                _("Säkerhetskopian {p} klarade inte kontrollen: {e}").format(p=partial.name, e=rows[0][0])
            )
        return int(_setting(conn, GENERATION_KEY) or 0)
    finally:
        conn.close()


def _parse(path: Path) -> BackupInfo | None:
    """A backup named in the current scheme; ``None`` for anything else."""
    if path.suffix != ".db":
        return None
    parts = path.stem.rsplit("__", 4)
    if len(parts) != 5 or not _PREFIX.fullmatch(parts[1]) or not (g := _GENERATION.fullmatch(parts[4])):
        return None
    try:
        taken = datetime.strptime(parts[2], STAMP)
    except ValueError:
        return None
    return BackupInfo(path, taken, parts[3], parts[1], int(g.group(1)))


def _parse_legacy(path: Path) -> BackupInfo | None:
    """A backup named in the old scheme ``<stem>__<stamp>__<reason>.db``."""
    if path.suffix != ".db" or _parse(path) is not None:
        return None
    parts = path.stem.rsplit("__", 2)
    if len(parts) != 3:
        return None
    try:
        return BackupInfo(path, datetime.strptime(parts[1], STAMP), parts[2])
    except ValueError:
        return None


def _newest_first(backups: list[BackupInfo]) -> list[BackupInfo]:
    return sorted(backups, key=lambda b: b.taken_at, reverse=True)


def list_backups(folder: Path, of: str | Path | None) -> list[BackupInfo]:
    """The backups of one database, newest first. ``of`` is its identity, or its path (the
    identity read from the file, see ``identity_of``). Unfinished (``.partial``) files and backups
    in the old naming scheme are never listed here."""
    identity = of if isinstance(of, str) or of is None else identity_of(Path(of), folder)
    if identity is None:
        return []
    prefix = identity[:ID_CHARS]
    found = (_parse(p) for p in folder.glob(f"*__{prefix}__*.db"))
    return _newest_first([b for b in found if b is not None and b.identity == prefix])


def legacy_backups(folder: Path, db_path: Path) -> list[BackupInfo]:
    """Backups in the old naming scheme with this file name: maybe of this database, maybe of
    another one with the same name (nothing tells). Newest first; never rotated."""
    pattern = f"{glob.escape(Path(db_path).stem)}__*__*.db"
    found = (_parse_legacy(p) for p in folder.glob(pattern))
    stem = Path(db_path).stem
    return _newest_first([b for b in found if b is not None and b.path.stem.rsplit("__", 2)[0] == stem])


def up_to_date(folder: Path, store: Store, identity: str | None = None) -> bool:
    """Whether the newest (verified) backup of the database holds its current state."""
    newest = next(iter(list_backups(folder, identity or stored_identity(store.conn))), None)
    return newest is not None and newest.generation == store.generation


def rotate(folder: Path, of: str | Path, *, now: datetime | None = None) -> list[Path]:
    """Remove this database's backups outside the retention policy; returns what was removed."""
    backups = list_backups(folder, of)
    kept = keep([b.taken_at for b in backups], now or datetime.now())
    removed = []
    for b in backups:
        if b.taken_at not in kept:
            b.path.unlink(missing_ok=True)
            b.record.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def newest_good(folder: Path, of: str | Path | None) -> BackupInfo | None:
    """The newest backup of this database that passes a quick check and holds its identity."""
    identity = of if isinstance(of, str) or of is None else identity_of(Path(of), folder)
    for b in list_backups(folder, identity):
        if integrity_problems(b.path, quick=True):
            continue
        try:
            with reading(b.path) as conn:
                if stored_identity(conn) == identity:
                    return b
        except sqlite3.Error:
            continue
    return None


def remove_leftovers(folder: Path, identity: str, db_path: Path) -> list[Path]:
    """What interrupted backups and restores of this database left: ``….partial`` files with
    their ``-wal``/``-shm``, records without their backup, and half-written records (a killed
    ``write_atomic``: temporary files whose writer is gone). Call only holding the database's
    writer lock (no backup of it can be running then); other databases' files are not touched."""
    removed: list[Path] = remove_stale_temps(folder) if folder.is_dir() else []
    prefix = identity[:ID_CHARS]
    stem = Path(db_path).stem
    candidates = list(folder.glob(f"*__{prefix}__*.partial*")) if folder.is_dir() else []
    if folder.is_dir():  # interrupted backups in the old naming scheme of the same file name
        for p in folder.glob(f"{glob.escape(stem)}__*.db.partial*"):
            m = _PARTIAL.fullmatch(p.name)
            if m and _parse_legacy(p.with_name(m.group("base"))) is not None:
                candidates.append(p)
    for p in candidates:
        if _PARTIAL.fullmatch(p.name) or p.name.endswith(".db.json.partial"):
            p.unlink(missing_ok=True)
            removed.append(p)
    restore = Path(f"{db_path}.partial")  # an interrupted restore (the database itself is intact)
    for p in (restore, Path(f"{restore}-wal"), Path(f"{restore}-shm"), Path(f"{restore}-journal")):
        if p.exists():
            p.unlink()
            removed.append(p)
    if folder.is_dir():
        for record in folder.glob(f"*__{prefix}__*.db.json"):
            if not record.with_name(record.name[: -len(".json")]).exists():
                record.unlink(missing_ok=True)
                removed.append(record)
    return removed


# --- restoring -----------------------------------------------------------------------------------
def restore_backup(source: Path, target: Path, identity: str | None, folder: Path) -> None:
    """Put the backup ``source`` in place of the closed database ``target``, atomically on the
    same volume. The restored database keeps ``identity`` (the target's; ``None``: the backup's
    own), and its generation moves past every backup of that identity, so whatever is changed
    after the restore is backed up again."""
    partial = target.with_name(target.name + ".partial")
    _remove_database_file(partial)
    try:
        shutil.copyfile(source, partial)
        conn = sqlite3.connect(partial, isolation_level=None)
        try:
            identity = identity or stored_identity(conn)
            seen = [b.generation or 0 for b in list_backups(folder, identity)] if identity else []
            generation = max([int(_setting(conn, GENERATION_KEY) or 0), *seen]) + 1
            values = {GENERATION_KEY: str(generation), PATH_KEY: str(target.resolve())}
            if identity:
                values[IDENTITY_KEY] = identity
            conn.execute("BEGIN IMMEDIATE")
            for key, value in values.items():
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )
            conn.execute("COMMIT")
        finally:
            conn.close()
        _fsync(partial)
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        partial.replace(target)
        _fsync_dir(target.parent)
    except BaseException:
        _remove_database_file(partial)
        raise
    forget_check(target, folder)  # another file now: its first open checks it
