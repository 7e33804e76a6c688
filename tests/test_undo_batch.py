"""Undoing an import batch (``Store.undo_batch``, socdesk/store/undo.py) is set-based: the same
audit rows, facts and rollup as the reference one cell at a time (``Batches.undo_batch``), in a
number of statements that does not grow with the batch (it grew with the square of the rows:
``socdesk import --replace`` of 20 000 rows took a minute)."""

import shutil
import sqlite3
from contextlib import closing
from decimal import Decimal

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Status, Value
from socdesk.io.seeds import open_database
from socdesk.store.batches import Batches
from socdesk.store.db import PeriodLockedError, Store, StoreError

UNITS = [Unit("N", "Nämnd"), Unit("A", "Avdelning A", "N"), Unit("B", "Avdelning B", "N")]


def figure(unit, month, amount, *, measure="netto", gender="", year=2024, group=""):
    value = Value.status_only(amount) if isinstance(amount, Status) else Value.of(Decimal(amount))
    key = FactKey(unit, measure, Scenario.ACTUAL, Period.month(year, month), gender=gender, group=group)
    return Fact(key, value, "", "fil")


def batch_database(path, cells: int) -> int:
    """Figures before an import, then the import: it changes some, states some again unchanged
    and creates the rest (with kön, statuses and a parent's own figure). Returns the batch."""
    store = open_database(path)
    store.add_units(UNITS)
    before = [figure("A", m, 100 + m) for m in range(1, 13)] + [figure("B", 1, Status.SUPPRESSED)]
    store.write_facts(before, source="manuell")
    batch = store.add_batch("fil.csv", "0" * 64, cells)
    created = [
        figure(
            ("A", "B", "N")[i % 3],
            i // 3 % 12 + 1,
            i,
            gender="K" if i % 5 == 0 else "",
            year=2000,
            group=f"g{i // 36}" if i >= 36 else "",  # the same months, however many cells
        )
        for i in range(cells)
    ]
    changed = [figure("A", m, 200 + m) for m in range(1, 7)] + [figure("A", 7, 107), figure("B", 1, 5)]
    store.write_facts(changed + created, source="import", batch_id=batch)
    store.close()
    return batch


def contents(path):
    with closing(sqlite3.connect(path)) as con:
        audit = con.execute(
            "SELECT id, who, action, source, batch_id, unit_code, measure, scenario, version, period, "
            "gender, grp, old_value, old_status, new_value, new_status FROM audit_log ORDER BY id"
        ).fetchall()
        facts = con.execute("SELECT * FROM facts ORDER BY unit_id, measure, period, gender").fetchall()
        rollup = con.execute("SELECT * FROM rollup ORDER BY 1, 2, 3, 4, 5, 6").fetchall()
        batches = con.execute("SELECT id, undone_by, undone_at IS NOT NULL FROM import_batches").fetchall()
    return audit, [f[1:] for f in facts], rollup, batches


def test_the_same_changes_as_the_reference_one_cell_at_a_time(tmp_path):
    batch = batch_database(tmp_path / "a.db", 60)
    shutil.copyfile(tmp_path / "a.db", tmp_path / "b.db")
    with closing(Store(tmp_path / "a.db")) as store:
        assert store.undo_batch(batch) == 67
        assert store.verify_audit().intact
    with closing(Store(tmp_path / "b.db")) as store:
        assert Batches.undo_batch(store, batch) == 67
    ours, reference = contents(tmp_path / "a.db"), contents(tmp_path / "b.db")
    assert ours == reference
    audit, facts, rollup, _b = ours
    assert [a[2] for a in audit].count("delete") == 60  # A 7 unchanged (no audit row), B 1 restored
    assert len(facts) == 13 and rollup  # the figures before the import, N's rollup of them


def test_refused_when_a_cell_changed_after_it_or_is_locked(tmp_path):
    batch = batch_database(tmp_path / "a.db", 30)
    with closing(Store(tmp_path / "a.db")) as store:
        store.write_facts([figure("B", 2, 99, year=2000)], source="manuell")  # created by the batch
        before = contents(tmp_path / "a.db")
        with pytest.raises(StoreError, match=r"1 av dess uppgifter har ändrats efteråt \(B feb 2000\)"):
            store.undo_batch(batch)
        assert contents(tmp_path / "a.db") == before
    batch = batch_database(tmp_path / "b.db", 30)
    with closing(Store(tmp_path / "b.db")) as store:
        store.lock_period("N", Period.year(2000))
        before = contents(tmp_path / "b.db")
        with pytest.raises(PeriodLockedError, match="låst period"):
            store.undo_batch(batch)
        assert contents(tmp_path / "b.db") == before


def statements(path, batch) -> list[str]:
    """The statements ``undo_batch`` runs. A trigger's steps are traced as the statement that
    fired it (with its parameters), so a repeat of the statement just traced is not counted."""
    run: list[str] = []

    def traced(sql: str) -> None:
        if not run or run[-1] != sql:
            run.append(sql)

    with closing(Store(path)) as store:
        store.conn.set_trace_callback(traced)
        store.undo_batch(batch)
        store.conn.set_trace_callback(None)
    return run


def test_statements_do_not_grow_with_the_batch(tmp_path):
    small = statements(tmp_path / "small.db", batch_database(tmp_path / "small.db", 40))
    large = statements(tmp_path / "large.db", batch_database(tmp_path / "large.db", 160))
    assert len(large) == len(small) < 120
