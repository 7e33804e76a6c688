"""Migrations are applied statement by statement in one transaction: triggers apply whole, and a
failing statement leaves the database at the version it had, with nothing half-applied."""

import sqlite3

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.seeds import open_database
from socdesk.store import connection
from socdesk.store.db import Store
from socdesk.store.migrate import MigrationScriptError, statements
from socdesk.store.schema import MIGRATIONS, SCHEMA_VERSION

# A migration as one might write it: a table, and a trigger whose body holds two statements.
WITH_TRIGGER = """
    CREATE TABLE fact_writes (unit_id INTEGER NOT NULL, note TEXT NOT NULL);
    -- a comment; with a semicolon
    CREATE TRIGGER facts_written AFTER INSERT ON facts
    BEGIN
        INSERT INTO fact_writes (unit_id, note) VALUES (NEW.unit_id, 'ny; rad');
        DELETE FROM fact_writes WHERE unit_id < 0;
    END;
    CREATE INDEX fact_writes_unit ON fact_writes (unit_id)
"""


def schema_of(conn: sqlite3.Connection) -> list[tuple]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
    return [(*r[:3], " ".join((r[3] or "").split())) for r in rows]


def test_statements_keep_a_trigger_body_strings_and_comments_inside_their_statement():
    found = statements(WITH_TRIGGER)
    assert len(found) == 3
    assert found[1].startswith("-- a comment; with a semicolon\n")
    assert "'ny; rad'" in found[1] and found[1].endswith("END;")
    assert found[2] == "CREATE INDEX fact_writes_unit ON fact_writes (unit_id)"
    with pytest.raises(MigrationScriptError):
        statements("CREATE TRIGGER t AFTER INSERT ON a BEGIN INSERT INTO b VALUES (1);")


def test_every_migration_of_the_schema_splits_as_sqlite_reads_it():
    """Statement by statement in a transaction gives the schema ``executescript`` gives."""
    one_by_one = sqlite3.connect(":memory:", isolation_level=None)
    as_script = sqlite3.connect(":memory:", isolation_level=None)
    one_by_one.execute("BEGIN")
    for script in MIGRATIONS:
        for statement in statements(script):
            one_by_one.execute(statement)
        as_script.executescript(script)
    one_by_one.execute("COMMIT")
    assert schema_of(one_by_one) == schema_of(as_script)
    assert len(schema_of(one_by_one)) > 20


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "m.db"
    store = open_database(path)
    store.add_units([Unit("R", "Rot"), Unit("A", "Enhet A", "R")])
    store.close()
    return path


def with_migrations(monkeypatch, *extra: str) -> int:
    scripts = [*MIGRATIONS, *extra]
    monkeypatch.setattr(connection, "MIGRATIONS", scripts)
    monkeypatch.setattr(connection, "SCHEMA_VERSION", len(scripts))
    return len(scripts)


def test_a_migration_with_a_trigger_applies_and_the_trigger_fires(database, monkeypatch):
    version = with_migrations(monkeypatch, WITH_TRIGGER)
    with Store(database) as store:
        assert store.schema_version == version == SCHEMA_VERSION + 1
        key = FactKey("A", "netto", Scenario.ACTUAL, Period.month(2024, 1))
        store.write_facts([Fact(key, Value.of(5))], source="test")
        assert store.conn.execute("SELECT note FROM fact_writes").fetchall() == [("ny; rad",)]


def test_a_failing_statement_in_a_migration_leaves_the_previous_version_and_nothing_applied(
    database, monkeypatch
):
    with Store(database) as store:
        before = schema_of(store.conn)
        facts = store.facts_count()
    failing = WITH_TRIGGER.replace(
        "CREATE INDEX fact_writes_unit",
        "INSERT INTO no_such_table VALUES (1);\n    CREATE INDEX fact_writes_unit",
    )
    # two pending migrations: the first is fine, the second fails after its table and trigger
    with_migrations(monkeypatch, "CREATE TABLE fine (x INTEGER)", failing)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        Store(database)
    monkeypatch.undo()
    with Store(database) as store:  # the version it had, as it was: no table, no trigger
        assert store.schema_version == SCHEMA_VERSION
        assert schema_of(store.conn) == before
        assert store.facts_count() == facts
