"""Whether a database file is sound (SQLite's integrity checks); a fault of the disk is raised
as it is, never taken for damage. And when each database last had the full check: at most once
a day (``check_due``), recorded beside the backups.

Why beside the backups and not in the database's settings: writing the result into the file
would change the file it vouches for (its generation, so a start backup would be due after
every check, its mtime and its ``-wal``), would write to a file perhaps just found damaged, and
could not be done from a read-only open. The backups folder is per user and already holds what
is known about each database (the backups' records); a lost record costs one more check, never
a skipped one. One record a database file (by its path): ``kontroll-<16 hex of the path>.json``
holding the path, the identity and the generation the file had when it was checked, when, and
what the check found (``[]``: it passed).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from socdesk.core.errors import SocdeskError
from socdesk.core.i18n import _
from socdesk.files import WriteError, write_atomic
from socdesk.store.connection import GENERATION_KEY, IDENTITY_KEY
from socdesk.store.errors import is_damage
from socdesk.store.reading import reading

log = logging.getLogger(__name__)
CHECK_EVERY = timedelta(days=1)  # the full check of an unchanged database: at most this often


def integrity_problems(path: Path, *, quick: bool = False) -> list[str]:
    """``[]`` when the file is a sound SQLite database. Opened read-write (when the file allows
    it) so that SQLite can first recover a journal left by a crash: a hot WAL is not damage.
    Nor is a fault of the disk (full, I/O error, cannot open): that is raised as it is."""
    if not path.exists():
        return [_("filen {p} finns inte").format(p=path)]
    try:
        conn = _connect_checking(path)
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


def _connect_checking(path: Path) -> sqlite3.Connection:
    """Read-write when the file allows it: SQLite then recovers a crash's journal first, and only
    then does its check verify the schema's CHECK constraints (a read-only connection skips
    them: 3 s instead of 15 s of CPU at the city, but not the same check)."""
    writable = os.access(path, os.W_OK)
    return sqlite3.connect(f"file:{path}?mode={'rw' if writable else 'ro'}", uri=True, isolation_level=None)


@dataclass(frozen=True)
class FileCheck:
    """What the full check of a database file found, and the state it checked."""

    problems: list[str]  # [] when the file passed
    identity: str | None
    generation: int


def check_file(path: Path) -> FileCheck:
    """``PRAGMA quick_check`` of the database file, with the identity and generation it checked
    (read in the same read transaction, so they name the state that passed). Faults of the disk
    are raised as they are (``integrity_problems``)."""
    if not path.exists():
        return FileCheck([_("filen {p} finns inte").format(p=path)], None, 0)
    identity, generation = None, 0
    try:
        conn = _connect_checking(path)
        try:
            conn.execute("BEGIN")
            with suppress(sqlite3.OperationalError):  # no settings table: the check says what is wrong
                identity, generation = _state(conn)
            problems = connection_problems(conn)
            conn.execute("COMMIT")
        finally:
            conn.close()
    except sqlite3.DatabaseError as err:
        if not is_damage(err):
            raise
        problems = [str(err)]
    return FileCheck(problems, identity, generation)


def _state(conn: sqlite3.Connection) -> tuple[str | None, int]:
    rows = dict(
        conn.execute("SELECT key, value FROM settings WHERE key IN (?, ?)", (IDENTITY_KEY, GENERATION_KEY))
    )
    return rows.get(IDENTITY_KEY), int(rows.get(GENERATION_KEY) or 0)


def check_record(path: Path, folder: Path) -> Path:
    """Where the last full check of the database file at ``path`` is recorded."""
    digest = hashlib.sha256(str(Path(path).resolve()).encode()).hexdigest()[:16]
    return folder / f"kontroll-{digest}.json"


def _last(path: Path, folder: Path) -> dict:
    try:
        record = json.loads(check_record(path, folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) and record.get("database") == str(Path(path).resolve()) else {}


def record_check(path: Path, folder: Path, found: FileCheck, *, now: datetime | None = None) -> None:
    """Keep what the full check of ``path`` found. Failing to write it only means that the next
    open checks again: logged, never raised."""
    record = {
        "database": str(Path(path).resolve()),
        "id": found.identity,
        "generation": found.generation,
        "checked_at": (now or datetime.now()).isoformat(),
        "problems": found.problems[:20],
    }
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomic(check_record(path, folder), json.dumps(record, ensure_ascii=False, indent=1))
    except (OSError, WriteError) as err:
        log.warning("kontrollen av %s kunde inte antecknas i %s: %s", path, folder, err)


def note_damage(path: Path, folder: Path, problem: str, identity: str | None = None) -> None:
    """SQLite reported damage while the file was in use (a read, a write, the check of a backup
    copy): recorded as a failed check, so every next open checks the file before it opens it."""
    log.error("databasen %s rapporterades skadad: %s", path, problem)
    record_check(path, folder, FileCheck([problem], identity, 0))


class DamagedCopyError(SocdeskError):
    """The copy of the database taken as a backup did not pass its check: the database itself
    is taken for damaged (``note_damage``) and the change the backup was for is not made."""


def damaged_copy(path: Path, folder: Path, err: BaseException, identity: str | None) -> DamagedCopyError:
    note_damage(path, folder, str(err), identity)
    return DamagedCopyError(
        _(
            "Databasen {p} verkar vara skadad: kopian av den klarade inte kontrollen ({e}). Inget "
            "har ändrats. Öppna databasen igen: den kontrolleras då först, läggs undan om den är "
            "skadad, och den senaste hela säkerhetskopian erbjuds."
        ).format(p=path, e=err)
    )


def forget_check(path: Path, folder: Path) -> None:
    """The file at ``path`` was replaced (a restore): its next open checks it again."""
    check_record(path, folder).unlink(missing_ok=True)


def known_damaged(path: Path, folder: Path) -> bool:
    """The last full check of this file found it damaged (and nothing has passed since)."""
    return bool(_last(path, folder).get("problems"))


def check_due(path: Path, folder: Path, *, now: datetime | None = None) -> bool:
    """Whether the database file at ``path`` needs its full check now: it never passed one, the
    last one found damage, it holds an older state than the one that passed (a copy put in its
    place), or the last pass is a day old (or the clock went back). A state changed since the pass
    is checked at the next daily slot, like the rest of the file. (The identity is not compared:
    a copy claims its own on its first write, and that write is socdesk's own.) Reads the file's
    generation without writing; a file that cannot be read so is due (the check says why)."""
    last = _last(path, folder)
    if not last or last.get("problems") != []:
        return True
    try:
        with reading(Path(path)) as conn:
            generation = _state(conn)[1]
    except sqlite3.Error:
        return True
    try:
        at = datetime.fromisoformat(last["checked_at"])
        passed_generation = int(last["generation"])
    except (KeyError, TypeError, ValueError):
        return True
    now = now or datetime.now()
    if generation < passed_generation:
        return True
    return not (now - CHECK_EVERY < at <= now + timedelta(minutes=5))
