import sqlite3
from decimal import Decimal

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.core.units import Unit
from socdesk.core.values import Status, Value
from socdesk.io.seeds import open_database
from socdesk.store import NewerDatabaseError, Store
from socdesk.store.schema import SCHEMA_VERSION


@pytest.fixture
def store(tmp_path):
    s = open_database(tmp_path / "t.db")
    s.add_units([Unit("P", "Program"), Unit("A", "Verksamhet A", "P"), Unit("B", "Verksamhet B", "P")])
    yield s
    s.close()


def put(store, unit, scenario, period, value, measure="netto", **kw):
    key = FactKey(unit, measure, Scenario(scenario), parse_period(period), **kw)
    v = Value.of(value) if value not in ("*", ".", "-") else Value.status_only(Status(value))
    return store.write_facts([Fact(key, v)], source="form")


def test_connection_settings_and_schema_version(store):
    c = store.conn
    assert c.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert store.schema_version == SCHEMA_VERSION


def test_a_newer_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    with sqlite3.connect(path) as c:
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    with pytest.raises(NewerDatabaseError, match="nyare version"):
        Store(path)
    assert path.read_bytes() == before


def test_amounts_are_exact_integers_in_sqlite(store):
    put(store, "A", "utfall", "2024-01", "0.1")
    put(store, "A", "utfall", "2024-02", "0.2")
    raw = store.conn.execute("SELECT sum(value), typeof(value) FROM facts").fetchone()
    assert raw == (3000, "integer")
    v = store.value(
        "A",
        store.measures()["netto"],
        Scenario.ACTUAL,
        Period(parse_period("2024-01").start, parse_period("2024-02").end),
    )
    assert v.number == Decimal("0.3")


def test_statuses_are_never_stored_as_numbers(store):
    put(store, "A", "utfall", "2024", "*")
    row = store.conn.execute("SELECT value, status FROM facts").fetchone()
    assert row == (None, "*")
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE facts SET value = 0")


def test_every_change_is_audited_and_history_is_kept(store):
    put(store, "A", "utfall", "2024-05", "100")
    assert put(store, "A", "utfall", "2024-05", "100") == 0  # unchanged: no audit row
    put(store, "A", "utfall", "2024-05", "120")
    rows = [
        (r["action"], r["old_value"], r["new_value"], r["unit_code"], r["source"]) for r in store.audit_rows()
    ]
    assert rows == [
        ("insert", None, 1_000_000, "A", "form"),
        ("update", 1_000_000, 1_200_000, "A", "form"),
    ]
    assert all(r["who"] for r in store.audit_rows())


def test_a_failed_write_changes_nothing(store):
    put(store, "A", "utfall", "2024-05", "100")
    before = (store.facts(), store.audit_rows())
    bad = Fact(FactKey("A", "no_such_measure", Scenario.ACTUAL, parse_period("2024-05")), Value.of(1))
    good = Fact(FactKey("B", "netto", Scenario.ACTUAL, parse_period("2024-05")), Value.of(1))
    with pytest.raises(sqlite3.IntegrityError):
        store.write_facts([good, bad], source="form")
    assert (store.facts(), store.audit_rows()) == before


def test_query_prefers_the_stated_range_then_finer_facts_then_children(store):
    netto = store.measures()["netto"]
    ytd = parse_period("2024-01/2024-03")
    for m in (1, 2, 3):
        put(store, "A", "utfall", f"2024-0{m}", "10")
    assert store.value("A", netto, Scenario.ACTUAL, ytd).number == 30  # sum of months
    put(store, "A", "utfall", "2024-01/2024-03", "31")
    assert store.value("A", netto, Scenario.ACTUAL, ytd).number == 31  # the stated range wins
    put(store, "B", "utfall", "2024-Q1", "5")
    assert store.value("P", netto, Scenario.ACTUAL, ytd).number == 36  # children's sum
    assert store.value("P", netto, Scenario.ACTUAL, parse_period("2024-04")).status is Status.NO_DATA


def test_non_additive_measures_are_never_summed(store):
    unique = store.measures()["unika_personer"]
    put(store, "A", "utfall", "2023", "40", measure="unika_personer")
    put(store, "B", "utfall", "2023", "30", measure="unika_personer")
    assert store.value("P", unique, Scenario.ACTUAL, parse_period("2023")).status is Status.NO_DATA
    put(store, "A", "utfall", "2024-01", "3", measure="unika_personer")
    put(store, "A", "utfall", "2024-02", "3", measure="unika_personer")
    assert store.value("A", unique, Scenario.ACTUAL, parse_period("2024-01/2024-02")).status is Status.NO_DATA


def test_unit_tree_round_trip(store):
    tree = store.unit_tree()
    assert [u.code for u in tree.children("P")] == ["A", "B"]
    assert [u.code for u in tree.path("B")] == ["P", "B"]
