"""The audit's verified mark (schema 9): the remaining-work check of a report walks only the
rows after it (``verify_audit(quick=True)``) and finds exactly what the whole walk finds."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.seeds import install_default_measures
from socdesk.store import chain
from socdesk.store.db import Store

UNITS = [Unit("N", "Nämnd"), Unit("A", "Avd A", "N"), Unit("B", "Avd B", "N")]


def fact(unit: str, month: int, value: int) -> Fact:
    return Fact(FactKey(unit, "netto", Scenario.ACTUAL, Period.month(2024, month)), Value.of(value))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "v.db"
    with Store(path) as store:
        install_default_measures(store)
        store.add_units(UNITS)
        for m in range(1, 7):
            store.write_facts([fact("A", m, 100 * m), fact("B", m, 7 * m)], source="form")
    return path


def sql(path: Path, *statements: str) -> None:
    """Another SQLite program edits the file directly."""
    with closing(sqlite3.connect(path)) as c, c:
        for s in statements:
            c.execute(s)


def mark(path: Path):
    with closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT id, hash FROM audit_verified").fetchone()


def rows(path: Path) -> list[tuple[int, bytes, bytes]]:
    with closing(sqlite3.connect(path)) as c:
        return c.execute(chain.VERIFY_SQL).fetchall()


def test_socdesk_writes_move_the_mark_and_the_quick_check_walks_nothing(db):
    with Store(db) as store:
        head = store.conn.execute("SELECT id, hash FROM audit_head").fetchone()
        assert mark(db) == head and head[0] == 12
        quick, whole = store.verify_audit(quick=True), store.verify_audit()
        assert (quick.breaks, quick.rows, quick.head) == ([], 0, head)
        assert (whole.breaks, whole.rows, whole.head) == ([], 12, head)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit SET who = who WHERE id = 3",  # not even a change
        "DELETE FROM audit WHERE id = 99",  # nothing deleted: no row, no trigger – the mark stays
        "INSERT INTO audit (id, at, who, action, source, unit_code, measure, scenario, version, period, "
        "gender, grp, new_value, new_status) SELECT 0, at, who, action, source, unit_code, measure, "
        "scenario, version, period, gender, grp, new_value, new_status FROM audit WHERE id = 1",
    ],
)
def test_any_change_through_sqlite_to_the_verified_rows_removes_the_mark(db, statement):
    sql(db, statement)
    with Store(db, readonly=True) as store:
        quick, whole = store.verify_audit(quick=True), store.verify_audit()
    assert (quick.breaks, quick.head) == (whole.breaks, whole.head)
    if "id = 99" in statement:
        assert mark(db) is not None and quick.rows == 0
    else:
        assert mark(db) is None and quick == whole and quick.rows == len(rows(db))


def test_without_the_mark_socdesk_writes_do_not_bring_it_back(db):
    last = rows(db)[-1][0]
    sql(db, f"UPDATE audit SET new_value = 1 WHERE id = {last - 4}")
    with Store(db) as store:
        store.write_facts([fact("A", 8, 5)], source="form")
        assert mark(db) is None
        quick = store.verify_audit(quick=True)
        assert quick == store.verify_audit()
        assert [(b.kind, b.audit_id) for b in quick.breaks] == [("changed", last - 4)]


def test_the_mark_is_trusted_only_while_its_triggers_stand_as_written(db):
    sql(
        db,
        "DROP TRIGGER audit_verified_update",
        "UPDATE audit SET new_value = 1 WHERE id = 2",  # unseen by the mark now
    )
    assert mark(db) is not None
    with Store(db, readonly=True) as store:
        quick = store.verify_audit(quick=True)
        assert quick == store.verify_audit()
    assert [(b.kind, b.audit_id) for b in quick.breaks] == [("changed", 2)]


def test_a_mark_whose_row_has_another_hash_is_not_trusted(db):
    sql(db, "UPDATE audit_verified SET hash = zeroblob(32)")
    with Store(db, readonly=True) as store:
        quick = store.verify_audit(quick=True)
        assert quick == store.verify_audit() and quick.rows == 12 and quick.breaks == []


def test_a_mark_behind_the_head_walks_the_rows_after_it(db):
    third = rows(db)[2]
    sql(db, f"UPDATE audit_verified SET id = 3, hash = X'{third[2].hex()}'")
    with Store(db) as store:
        quick = store.verify_audit(quick=True)
        assert (quick.breaks, quick.rows, quick.head) == ([], 9, store.verify_audit().head)
        store.write_facts([fact("B", 9, 1)], source="form")
        assert mark(db)[0] == 3  # not at the head: sealing after it proves nothing about the rows between


def test_a_tail_walked_from_a_row_finds_what_the_whole_walk_finds_after_it(tmp_path, db):
    """chain.verify from a start row: every single change after it gives the same breaks."""
    whole_rows = rows(db)
    with closing(sqlite3.connect(db)) as c:
        recorded = c.execute("SELECT id, hash FROM audit_head").fetchone()
    for k in range(1, 12):
        start = (whole_rows[k - 1][0], whole_rows[k - 1][2])
        for j in range(k, 12):  # a change to row j + 1 > k, in the content or the hash
            for changed in (
                (whole_rows[j][0], whole_rows[j][1] + b" ", whole_rows[j][2]),
                (whole_rows[j][0], whole_rows[j][1], bytes(32)),
            ):
                tampered = [*whole_rows[:j], changed, *whole_rows[j + 1 :]]
                expected = chain.verify(tampered, recorded)
                got = chain.verify(tampered[k:], recorded, start)
                assert got.breaks == expected.breaks and got.head == expected.head
        got = chain.verify(whole_rows[k:], recorded, start)  # intact, and rows removed from the end
        assert got.breaks == [] and got.head == recorded
        cut = chain.verify(whole_rows[k:-1], recorded, start)
        assert cut.breaks == chain.verify(whole_rows[:-1], recorded).breaks != []


def test_an_upgrade_marks_an_intact_chain_and_not_a_broken_one(tmp_path, db):
    broken = tmp_path / "broken.db"
    shutil.copyfile(db, broken)
    for path in (db, broken):
        sql(path, "DROP TABLE audit_verified", "PRAGMA user_version = 8")  # as schema 8 left it
        for name in ("update", "delete", "insert"):
            sql(path, f"DROP TRIGGER IF EXISTS audit_verified_{name}")
        sql(path, "DROP TABLE unit_events", "ALTER TABLE units DROP COLUMN closed_from")  # (migration 12)
    sql(broken, "UPDATE audit SET who = 'eve' WHERE id = 4")
    for path, expected in ((db, (12, rows(db)[-1][2])), (broken, None)):
        with Store(path) as store:
            assert mark(path) == expected
            quick, whole = store.verify_audit(quick=True), store.verify_audit()
            assert (quick.breaks, quick.head) == (whole.breaks, whole.head)
            assert quick.rows == (0 if expected else whole.rows)
    assert [b.audit_id for b in whole.breaks] == [4]
