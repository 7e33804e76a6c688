"""A database's identity: a UUID in ``settings.database_id``, given on its first open for
writing (``claim_identity``) and kept by backups and restores (``socdesk.store.backup``), with the
path it was claimed at, so that a copy is told from the original."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from socdesk.store.connection import IDENTITY_KEY, PATH_KEY
from socdesk.store.reading import reading

if TYPE_CHECKING:
    from socdesk.store.db import Store

_IDENTITY = re.compile(r"[0-9a-f]{32}")


def new_identity() -> str:
    return uuid.uuid4().hex


def _valid(identity: object) -> bool:
    return isinstance(identity, str) and bool(_IDENTITY.fullmatch(identity))


def _setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def stored_identity(conn: sqlite3.Connection) -> str | None:
    """The identity kept in the database on ``conn`` (``None`` if it has none yet)."""
    try:
        value = _setting(conn, IDENTITY_KEY)
    except sqlite3.OperationalError:  # no settings table: not (yet) a socdesk database
        return None
    return value if _valid(value) else None


def identity_of(path: Path, folder: Path | None = None) -> str | None:
    """The identity of the database at ``path``: read from the file; when the file cannot be read
    (damaged), the one the newest backup record of this path names (``folder``: the backups)."""
    try:
        with reading(path) as conn:
            return stored_identity(conn)
    except sqlite3.Error:
        pass
    if folder is None:
        return None
    where = str(Path(path).resolve())
    records = [_read_record(p) for p in folder.glob("*.db.json")]
    mine = sorted((r for r in records if r.get("database") == where and _valid(r.get("id"))), key=_taken)
    return mine[-1]["id"] if mine else None


def _taken(record: dict) -> str:
    return str(record.get("taken_at", ""))


def decide_identity(identity: str | None, recorded: str | None, path: Path) -> str:
    """The identity the database at ``path`` is to have, opened for writing, given what it holds
    (its identity and the path it was claimed at). A new one if it has none, or if it is a copy:
    the database it was claimed as is still there, another file with the same identity. Moved or
    renamed, it keeps its identity."""
    if not _valid(identity):
        return new_identity()
    assert identity is not None
    if recorded is None or recorded == str(path.resolve()):
        return identity
    original = Path(recorded)
    try:
        if not original.exists() or os.path.samefile(original, path):
            return identity
    except OSError:
        return identity
    return new_identity() if identity_of(original) == identity else identity


def read_claim(conn: sqlite3.Connection) -> tuple[str | None, str | None]:
    """(identity, the path it was claimed at) as stored; reads only."""
    try:
        return stored_identity(conn), _setting(conn, PATH_KEY)
    except sqlite3.OperationalError:
        return None, None


def claim_identity(
    store: Store, identity: str | None = None, *, at: Path | None = None, settle: bool = False
) -> str:
    """Claim for the database open for writing in ``store`` its identity (``identity``, or the
    one it should have by ``decide_identity``) and its path (``at``: the path it is about to be
    renamed to). What differs from what it holds waits in ``store.pending_settings`` for its
    next write transaction, or its first backup (``hold_identity``), or ``settle``: an open
    that ends up writing nothing (a refused import) leaves the file byte for byte as it was."""
    held, recorded = read_claim(store.conn)
    where = str((at or store.path).resolve())
    identity = identity or decide_identity(held, recorded, at or store.path)
    if held != identity:
        store.pending_settings.update({IDENTITY_KEY: identity, PATH_KEY: where})
    elif recorded != where:  # moved: written with the next change, no need to hurry
        store.pending_settings[PATH_KEY] = where
    if settle:
        store.settle()
    return identity


def hold_identity(store: Store) -> None:
    """Before a backup is named by the identity, the database holds it: a claimed identity not
    yet written is written now."""
    if IDENTITY_KEY in store.pending_settings:
        store.settle()


# --- backup records name the database they were taken of ------------------
def _record_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + ".json")


def _read_record(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
