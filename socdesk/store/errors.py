"""The store's errors, and SQLite's errors told apart: damage in the file, or the disk or the
file refusing (a full disk, read-only media, an I/O error), each with the user's message."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _


class NewerDatabaseError(SocdeskError):
    pass


class StoreError(SocdeskError):
    pass


class SumOverflowError(StoreError):
    """A sum in the rollup passed 64 bits (SQLite's "integer overflow"); nothing was written."""


class NotSocdeskError(StoreError):
    """The file is not a socdesk database (empty, not SQLite, another program's database)."""


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


class InterruptedStatement(StoreError):
    """A statement was stopped by ``Store.interrupt()`` (a cancelled background job); the write
    it was part of was rolled back whole."""


class PeriodLockedError(StoreError):
    """Facts in a locked period; ``cells`` lists (unit, period) of each refused fact, in order."""

    def __init__(self, message: str, cells: list[tuple[str, str]], indexes: list[int]) -> None:
        super().__init__(message)
        self.cells = cells
        self.indexes = indexes  # positions in the facts given to write_facts


class UnitClosedError(StoreError):
    """Facts for periods from a closed unit's closing month (``socdesk.store.unit_changes``);
    ``cells`` lists (unit, period, closed from) of each refused fact, ``indexes`` their
    positions in the rows given to the write, in order."""

    def __init__(self, message: str, cells: list[tuple[str, str, str]], indexes: list[int]) -> None:
        super().__init__(message)
        self.cells = cells
        self.indexes = indexes


def is_interrupted(err: BaseException) -> bool:
    """The statement was stopped by ``Store.interrupt()`` (a cancelled background job): a
    write says so with ``InterruptedStatement``, a read with SQLite's own error."""
    return isinstance(err, InterruptedStatement) or _error_name(err) == "SQLITE_INTERRUPT"


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
    if name == "SQLITE_INTERRUPT":
        return InterruptedStatement(_("Avbrutet: inget sparades i databasen {p}.").format(p=path))
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
