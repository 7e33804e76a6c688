"""The audit as tests need it beside the product (schema 11, docs/layout.md):

- ``logical_edit(c)``: another SQLite program that edits the audit's rows by their logical
  columns (``chain.COLUMNS`` and ``hash``) writes the stored layout as it must: a text becomes
  its code, a row whose when/who/source/batch is changed gets a change of its own (the rest of
  its change keeps theirs), a hash is stored as socdesk stores one (8 bytes, the whole 32 where
  the row keeps its full hash). Installed on one connection as the temporary view
  ``audit_edit`` (INSERT and UPDATE); deleting and renumbering rows is plain ``audit``.
- ``older_layout(src, dst, version)``: the database ``src`` (schema 11) as the schema
  ``version`` laid it out: an empty database made by the migrations up to ``version`` and
  filled with ``src``'s rows, the audit as one table with each row's full hash (recomputed
  from the genesis: ``src``'s chain must be whole). What the upgrade from an older socdesk meets.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from socdesk.store import chain, schema

CODED = ("action", "unit_code", "measure", "scenario", "period", "old_status", "new_status")
CHANGE = ("at", "who", "source", "batch_id")
RAW = ("version", "gender", "grp", "old_value", "new_value")

_DIFFERS = " OR ".join(f"quote(NEW.{f}) IS NOT quote(OLD.{f})" for f in CHANGE)
_NEW_CODES = (
    "INSERT OR IGNORE INTO audit_codes (value) SELECT v FROM ("
    + " UNION ALL ".join(f"SELECT NEW.{f} AS v" for f in CODED)
    + ") WHERE v IS NOT NULL;"
)
_CODES = ", ".join(f"{f}_id = (SELECT id FROM audit_codes WHERE value = NEW.{f})" for f in CODED)
_BEFORE = "(SELECT max(id) FROM audit WHERE change_id = OLD.change_id AND id < OLD.id)"

EDIT = f"""
CREATE TEMP VIEW audit_edit AS
    SELECT {", ".join(f"l.{f}" for f in chain.COLUMNS)}, coalesce(l.full_hash, l.hash) AS hash,
           a.change_id AS change_id
    FROM audit_log l JOIN audit a ON a.id = l.id;
CREATE TEMP TRIGGER audit_edit_update INSTEAD OF UPDATE ON audit_edit
BEGIN
    {_NEW_CODES}
    INSERT INTO changes (id, at, who, source, batch_id, head_hash)
        SELECT {_BEFORE}, at, who, source, batch_id, NULL FROM changes
        WHERE id = OLD.change_id AND ({_DIFFERS}) AND {_BEFORE} IS NOT NULL;
    UPDATE audit SET change_id = (SELECT max(id) FROM changes WHERE id < OLD.id)
        WHERE change_id = OLD.change_id AND id < OLD.id AND ({_DIFFERS});
    INSERT INTO changes (id, at, who, source, batch_id, head_hash)
        SELECT OLD.id, NEW.at, NEW.who, NEW.source, NEW.batch_id, NULL
        WHERE ({_DIFFERS}) AND OLD.id <> OLD.change_id;
    UPDATE changes SET at = NEW.at, who = NEW.who, source = NEW.source, batch_id = NEW.batch_id
        WHERE ({_DIFFERS}) AND id = OLD.id AND OLD.change_id = OLD.id;
    UPDATE audit SET change_id = CASE WHEN {_DIFFERS} THEN OLD.id ELSE change_id END, {_CODES},
        {", ".join(f"{f} = NEW.{f}" for f in RAW)},
        hash = CASE WHEN NEW.hash IS OLD.hash THEN hash
                    WHEN NEW.hash IS NULL OR length(NEW.hash) <> 32 OR OLD.id % 16 = 0 THEN NEW.hash
                    ELSE substr(NEW.hash, 1, 8) END
        WHERE id = OLD.id;
    UPDATE changes SET head_hash = NEW.hash
        WHERE NEW.hash IS NOT OLD.hash AND id = OLD.id AND OLD.change_id = OLD.id;
END;
CREATE TEMP TRIGGER audit_edit_insert INSTEAD OF INSERT ON audit_edit
BEGIN
    {_NEW_CODES}
    INSERT INTO changes (id, at, who, source, batch_id, head_hash)
        SELECT coalesce(NEW.id, (SELECT max(id) FROM audit) + 1), NEW.at, NEW.who, NEW.source,
               NEW.batch_id, CASE WHEN length(NEW.hash) = 32 THEN NEW.hash END;
    INSERT INTO audit (id, change_id, {", ".join(f"{f}_id" for f in CODED)}, {", ".join(RAW)}, hash)
        SELECT n, n, {", ".join(f"(SELECT id FROM audit_codes WHERE value = NEW.{f})" for f in CODED)},
               {", ".join(f"NEW.{f}" for f in RAW)},
               CASE WHEN length(NEW.hash) = 32 AND n % 16 <> 0 THEN substr(NEW.hash, 1, 8)
                    ELSE NEW.hash END
        FROM (SELECT coalesce(NEW.id, (SELECT max(id) FROM audit) + 1) AS n);
END
"""


def logical_edit(c: sqlite3.Connection) -> sqlite3.Connection:
    """``audit_edit`` on ``c`` (see the module's docstring); returns ``c``."""
    from socdesk.store.migrate import statements

    for statement in statements(EDIT):
        c.execute(statement)
    return c


def older_layout(src: Path, dst: Path, version: int) -> None:
    """``src`` (schema 11, its chain whole) as the schema ``version`` (6–10) laid it out."""
    with closing(sqlite3.connect(dst)) as c:
        for script in schema.MIGRATIONS[:version]:
            c.executescript(script)
        c.execute("ATTACH ? AS src", (str(src),))
        tables = [
            name
            for (name,) in c.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'")
            if name not in ("audit", "audit_head", "audit_verified")
        ]
        c.execute("BEGIN")
        for table in tables:
            theirs = {r[1] for r in c.execute(f"PRAGMA src.table_info({table})")}
            columns = [r[1] for r in c.execute(f"PRAGMA main.table_info({table})") if r[1] in theirs]
            c.execute(f"DELETE FROM main.{table}")
            names = ", ".join(columns)
            c.execute(f"INSERT INTO main.{table} ({names}) SELECT {names} FROM src.{table}")
        previous = chain.GENESIS
        for row in c.execute(f"SELECT {', '.join(chain.COLUMNS)} FROM src.audit_log ORDER BY id").fetchall():
            previous = chain.link(previous, chain.payload(row))
            c.execute(
                f"INSERT INTO main.audit ({', '.join(chain.COLUMNS)}, hash) VALUES ({', '.join('?' * 18)})",
                (*row, previous),
            )
        c.execute("INSERT INTO main.audit_head SELECT * FROM src.audit_head")
        if version >= schema.AUDIT_VERIFIED:
            c.execute("INSERT INTO main.audit_verified SELECT * FROM src.audit_verified")
        c.execute("COMMIT")
        c.execute("DETACH src")
        c.execute(f"PRAGMA user_version = {version}")
