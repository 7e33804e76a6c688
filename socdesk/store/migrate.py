"""Applying the schema's migrations (``socdesk.store.schema.MIGRATIONS``): each script as its
list of whole statements, executed one by one inside the caller's transaction.

Not ``executescript``: it commits the open transaction first, so a failing statement would
leave the steps before it applied. A statement ends where SQLite says it does
(``sqlite3.complete_statement``), so a trigger's body (``BEGIN …; …; END``), a ``;`` in a string
or in a comment stay inside their statement.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence


class MigrationScriptError(ValueError):
    """A migration's script ends inside a statement (a programming error, caught by the tests)."""


def statements(script: str) -> list[str]:
    """The whole statements of ``script``, in order (the last may omit its ``;``)."""
    found: list[str] = []
    current = ""
    *parts, rest = script.split(";")
    for part in parts:
        current += part + ";"
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    current += rest
    if current.strip():
        if not sqlite3.complete_statement(current + ";"):
            raise MigrationScriptError(f"The script ends inside a statement: {current.strip()[:200]}")
        found.append(current.strip())
    return found


def apply(
    c: sqlite3.Connection,
    scripts: Sequence[str],
    version: int,
    after: Callable[[int, sqlite3.Connection], None],
) -> None:
    """Apply ``scripts[version:]`` on ``c`` (in the caller's transaction) and set
    ``user_version`` to their number; ``after(number, c)`` runs right after each migration."""
    for number in range(version + 1, len(scripts) + 1):
        for statement in statements(scripts[number - 1]):
            c.execute(statement)
        after(number, c)
    c.execute(f"PRAGMA user_version = {len(scripts)}")
