"""The bulk figures engine gives exactly what the reference ``Store.value`` gives."""

import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period, parse_period
from socdesk.core.units import Unit
from socdesk.core.values import Status, Value
from socdesk.io.seeds import open_database
from socdesk.store.figures import Figures


def test_matches_reference_on_the_demo_data(demo_db):
    store = open_database(demo_db)
    tree = store.unit_tree()
    netto = store.measures()["netto"]
    fig = Figures(store, tree)
    codes = [u.code for u in tree]
    for scenario, period in [
        (Scenario.ACTUAL, parse_period("2024-01/2024-05")),
        (Scenario.BUDGET, parse_period("2024")),
        (Scenario.ACTUAL, parse_period("2023-T1")),
        (Scenario.BUDGET, parse_period("2023")),
    ]:
        got = fig.values(codes, netto, scenario, period)
        for code in codes:
            assert got[code] == store.value(code, netto, scenario, period, tree=tree), code
    assert got["N"].number == Decimal("1010400000")


@pytest.fixture
def ledger(tmp_path):
    """A small tree with monthly leaf bookings, as an ekonomisystem export gives them."""
    store = open_database(tmp_path / "l.db")
    units = [Unit("R", "Rot")]
    for p in range(3):
        units.append(Unit(f"P{p}", f"Program {p}", "R"))
        for leaf in range(4):
            units.append(Unit(f"P{p}L{leaf}", f"Enhet {p}.{leaf}", f"P{p}"))
    store.add_units(units)
    rnd = random.Random(7)
    facts = []
    for u in units:
        if u.code.count("L"):
            for m in range(1, 13):
                if rnd.random() < 0.9:
                    for sc in (Scenario.ACTUAL, Scenario.BUDGET):
                        key = FactKey(u.code, "netto", sc, Period.month(2024, m))
                        facts.append(Fact(key, Value.of(Decimal(rnd.randint(-5000, 90000)) / 100)))
    store.write_facts(facts, source="test")
    yield store
    store.close()


def test_fast_path_matches_reference_on_monthly_leaf_data(ledger):
    tree = ledger.unit_tree()
    netto = ledger.measures()["netto"]
    fig = Figures(ledger, tree)
    codes = [u.code for u in tree]
    for end in range(1, 13):
        period = Period.year_to_date(2024, end)
        got = fig.values(codes, netto, Scenario.ACTUAL, period)
        for code in codes:
            assert got[code] == ledger.value(code, netto, Scenario.ACTUAL, period, tree=tree)
    months = fig.monthly("R", netto, Scenario.BUDGET, 2024)
    for m, v in months.items():
        assert v.number == ledger.value("R", netto, Scenario.BUDGET, Period(m, m), tree=tree).number


def test_a_stated_program_figure_wins_over_its_leaves(ledger):
    netto = ledger.measures()["netto"]
    ytd = Period.year_to_date(2024, 3)
    ledger.write_facts([Fact(FactKey("P1", "netto", Scenario.ACTUAL, ytd), Value.of(1))], source="t")
    tree = ledger.unit_tree()
    got = Figures(ledger, tree).values(["R", "P1", "P0"], netto, Scenario.ACTUAL, ytd)
    assert got["P1"].number == 1
    assert got["R"] == ledger.value("R", netto, Scenario.ACTUAL, ytd, tree=tree)
    assert got["R"].number == got["P0"].number + 1 + ledger.value("P2", netto, Scenario.ACTUAL, ytd).number


def test_latest_forecast_version(ledger):
    netto = ledger.measures()["netto"]
    for version, amount in (("2024-02", 10), ("2024-04", 20), ("2024-06", 30)):
        key = FactKey("P0L0", "netto", Scenario.FORECAST, Period.year(2024), version)
        ledger.write_facts([Fact(key, Value.of(amount))], source="t")
    fig = Figures(ledger)
    assert fig.latest_versions(["R", "P1"], netto, Scenario.FORECAST, 2024, Month(2024, 5)) == {
        "R": "2024-04",
        "P1": None,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.integers(0, 11),
            st.integers(1, 6),
            st.sampled_from(["utfall", "budget"]),
            st.one_of(st.integers(-10_000, 10_000), st.just("*")),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_rollup_stays_exact_through_any_sequence_of_writes(ledger, writes):
    """Writes and overwrites (numbers and statuses) keep the rollup equal to the reference."""
    tree = ledger.unit_tree()
    leaves = [u.code for u in tree if tree.is_leaf(u.code)]
    for leaf_i, month, scenario, amount in writes:
        value = Value.status_only(Status.SUPPRESSED) if amount == "*" else Value.of(amount)
        key = FactKey(leaves[leaf_i], "netto", Scenario(scenario), Period.month(2024, month))
        ledger.write_facts([Fact(key, value)], source="t")
    netto = ledger.measures()["netto"]
    fig = Figures(ledger, tree)
    codes = [u.code for u in tree]
    for scenario in (Scenario.ACTUAL, Scenario.BUDGET):
        for period in (Period.year_to_date(2024, 6), Period.month(2024, 3), Period.year(2024)):
            got = fig.values(codes, netto, scenario, period)
            for code in codes:
                assert got[code] == ledger.value(code, netto, scenario, period, tree=tree), (code, period)


def test_upgrading_a_schema_1_database_builds_the_rollup(tmp_path):
    import sqlite3

    from socdesk.store import schema
    from socdesk.store.db import Store

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as c:  # a database as the first release wrote it
        c.executescript(schema.MIGRATIONS[0])
        c.execute(
            "INSERT INTO units (id, code, name, parent_id) VALUES (1, 'R', 'Rot', NULL), (2, 'L', 'Löv', 1)"
        )
        c.execute("INSERT INTO measures VALUES ('netto', 'Netto', 'kr', 1, 1, 1, 0, '')")
        c.execute(
            "INSERT INTO facts (unit_id, measure, scenario, period, period_start, period_end, value, status) "
            "VALUES (2, 'netto', 'utfall', '2024-01', '2024-01', '2024-01', 50000, 'value')"
        )
        c.execute("PRAGMA user_version = 1")
    store = Store(path)
    assert store.schema_version == len(schema.MIGRATIONS)
    netto = store.measures()["netto"]
    assert Figures(store).values(["R"], netto, Scenario.ACTUAL, Period.month(2024, 1))["R"].number == 5
    store.close()
