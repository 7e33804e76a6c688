"""Whether a database file is sound (SQLite's integrity checks); a fault of the disk is raised
as it is, never taken for damage."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from socdesk.core.i18n import _
from socdesk.store.errors import is_damage


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
