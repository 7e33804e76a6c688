"""The Store's answers for forms and reports (``store/inventory.py``, ``settings_starting``) and
its own error for a stopped statement: what used to be SQL outside the store."""

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period, parse_period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.store.db import InterruptedStatement, Store, StoreError, is_interrupted


@pytest.fixture
def store(tmp_path):
    s = open_database(tmp_path / "q.db")
    s.add_units([Unit("R", "Rot"), Unit("A", "Enhet A", "R"), Unit("B", "Enhet B", "R")])
    yield s
    s.close()


def put(store: Store, unit: str, measure: str, scenario: Scenario, period: str, amount, **kw) -> None:
    key = FactKey(unit, measure, scenario, parse_period(period), **kw)
    store.write_facts([Fact(key, Value.of(amount))], source="test")


def test_measures_stated_by_units_in_scenarios(store):
    put(store, "A", "netto", Scenario.ACTUAL, "2024-01", 1)
    put(store, "B", "kostnader", Scenario.FORECAST, "2024", 2, version="2024-03")
    assert store.measures_stated(["A", "B"], [Scenario.ACTUAL, Scenario.BUDGET]) == {"netto"}
    assert store.measures_stated(["B"], [Scenario.FORECAST]) == {"kostnader"}
    assert store.measures_stated([], [Scenario.ACTUAL]) == set()


def test_ranges_containing_a_month(store):
    put(store, "A", "netto", Scenario.ACTUAL, "2024-01/2024-05", 10)
    put(store, "A", "netto", Scenario.ACTUAL, "2024-03", 3)  # a single month is not a range
    put(store, "B", "netto", Scenario.ACTUAL, "2024-06/2024-08", 5)
    put(store, "B", "netto", Scenario.BUDGET, "2024", 7)
    got = store.ranges_containing(["A", "B"], "netto", Scenario.ACTUAL, Month(2024, 3))
    assert got == {"A": Period(Month(2024, 1), Month(2024, 5))}
    assert store.ranges_containing(["B"], "netto", Scenario.BUDGET, Month(2024, 3)) == {
        "B": Period.year(2024)
    }


def test_versions_before(store):
    for version in ("2024-02", "2024-05", "2024-09"):
        put(store, "A", "netto", Scenario.FORECAST, "2024", 1, version=version)
    put(store, "B", "netto", Scenario.FORECAST, "2023", 1, version="2023-11")
    put(store, "B", "netto", Scenario.FORECAST, "2024", 1)  # the original: no name
    year = Period.year(2024)
    assert store.versions_before(["A", "B"], Scenario.FORECAST, year, "2024-06") == ["2024-02", "2024-05"]
    assert store.versions_before(["A", "B"], Scenario.BUDGET, year, "2024-06") == []


def test_stated_periods_are_the_units_own_and_its_subtrees(store):
    put(store, "A", "netto", Scenario.ACTUAL, "2024-T1", 1)
    put(store, "R", "varddygn", Scenario.ACTUAL, "2024", 1)
    put(store, "B", "netto", Scenario.ACTUAL, "2024-02", 1, group="0-12 år")  # a breakdown: not its own
    assert store.stated_periods("R", Scenario.ACTUAL) == {
        ("netto", parse_period("2024-T1")),
        ("varddygn", Period.year(2024)),
    }
    assert store.stated_periods("A", Scenario.ACTUAL) == {("netto", parse_period("2024-T1"))}
    assert store.stated_periods("A", Scenario.BUDGET) == set()


def test_sources_by_prefix(store):
    for i, source in enumerate(("Källa: SCB", "Källa: Kolada", "källa: egen", "Annan", "Källa_X")):
        key = FactKey("A", "netto", Scenario.ACTUAL, Period.month(2024, i + 1))
        store.write_facts([Fact(key, Value.of(1), source=source)], source="test")
    # as SQL's LIKE compares (what the statistics table always listed): ASCII letters in either case
    assert store.sources("A", "Källa:") == ["Källa: Kolada", "Källa: SCB", "källa: egen"]
    assert store.sources("A", "Källa_") == ["Källa_X"]  # "_" is no wildcard here
    assert store.sources("B", "Källa:") == []


def test_settings_starting_with_a_prefix(store):
    store.set_setting("import_profile:Ekonomi", "{}")
    store.set_setting("importXprofile:Annan", "{}")
    store.set_setting("generation_x", "1")
    assert store.settings_starting("import_profile:") == {"Ekonomi": "{}"}


def stop_the_next_write(store: Store) -> None:
    """What a cancel does to a write's running statement: SQLite stops it (SQLITE_INTERRUPT),
    once; the rollback after it runs."""
    stopped = []

    def handler() -> int:
        if store.conn.in_transaction and not stopped:
            stopped.append(True)
            return 1
        return 0

    store.conn.set_progress_handler(handler, 1)


def test_a_stopped_write_raises_the_stores_own_error_and_changes_nothing(store):
    put(store, "A", "netto", Scenario.ACTUAL, "2024-01", 1)
    before, generation = store.audit_rows(), store.generation
    stop_the_next_write(store)
    key = FactKey("A", "netto", Scenario.ACTUAL, Period.month(2024, 2))
    with pytest.raises(InterruptedStatement) as err:
        store.write_facts([Fact(key, Value.of(5))], source="test")
    assert isinstance(err.value, StoreError) and is_interrupted(err.value)
    store.conn.set_progress_handler(None, 1)
    assert store.audit_rows() == before and store.generation == generation
    assert not store.conn.in_transaction


def test_an_import_the_user_stops_is_cancelled_and_saves_nothing(tmp_path):
    store = open_database(tmp_path / "i.db")
    store.add_units([Unit("7762", "Enhet")])
    f = tmp_path / "huvudbok.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;1000\n", encoding="utf-8")
    p = importer.plan(store, importer.read_source(f.read_bytes(), f.name, store))
    batches, facts = store.batches(), store.facts_count()
    stop_the_next_write(store)
    with pytest.raises(InterruptedStatement):  # not the user's stop: said as it is
        importer.execute(store, p, cancelled=lambda: False)
    stop_the_next_write(store)
    with pytest.raises(importer.ImportCancelled, match="inget sparades"):
        importer.execute(store, p, cancelled=lambda: True)
    store.conn.set_progress_handler(None, 1)
    assert store.batches() == batches and store.facts_count() == facts
    importer.execute(store, p)  # and the same plan imports once nothing stops it
    assert len(store.batches()) == len(batches) + 1 and store.facts_count() > facts
    store.close()
