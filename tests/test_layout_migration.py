"""The compact layout's migration (docs/layout.md) on a database schema 9 wrote: the demo built by
the code as it was at schema 9 (the migrations up to 9, the same writes), with edits, a revert, a
removed fact and an undone import on top, then upgraded by ``socdesk upgrade`` as a user does.
Nothing the user has may change: the export (bytes), every figure, the audit rows, every cell's
history, the chain and a printed anchor; a tampered row is still reported after the upgrade."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing, contextmanager
from decimal import Decimal
from pathlib import Path

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Value
from socdesk.io.seeds import build_demo
from socdesk.store import connection, safety
from socdesk.store.db import Store
from socdesk.store.figures import Figures
from socdesk.store.schema import FACTS_COMPACT, MIGRATIONS, SCHEMA_VERSION

OLD = FACTS_COMPACT - 1

# The CLI as it was at schema OLD: the same program, with the migrations after OLD left out.
AT_OLD = (
    "import sys; from socdesk.store import connection, safety; "
    "from socdesk.store.schema import MIGRATIONS; "
    f"connection.MIGRATIONS = MIGRATIONS[:{OLD}]; connection.SCHEMA_VERSION = {OLD}; "
    f"safety.SCHEMA_VERSION = {OLD}; "
    "from socdesk.cli import main; sys.exit(main(sys.argv[1:]))"
)


@contextmanager
def at_old_schema():
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(connection, "MIGRATIONS", MIGRATIONS[:OLD])
        mp.setattr(connection, "SCHEMA_VERSION", OLD)
        mp.setattr(safety, "SCHEMA_VERSION", OLD)
        yield


def socdesk(*args: str, old: bool = False) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", AT_OLD] if old else [sys.executable, "-m", "socdesk"]
    done = subprocess.run([*command, *args], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done


def keys(store: Store) -> list[FactKey]:
    return [
        FactKey(r[0], r[1], Scenario(r[2]), parse_period(r[4]), r[3], r[5], r[6]) for r in store.fact_rows()
    ]


def figures(store: Store) -> dict:
    """Every unit's figure for every measure, scenario and year stated, and each tertial."""
    fig = Figures(store)
    codes = [u.code for u in fig.tree]
    measures = store.measures()
    stated = {(r[1], r[2], parse_period(r[4]).start.year) for r in store.fact_rows()}
    out = {}
    for measure, scenario, year in sorted(stated):
        for period in [Period.year(year), *(Period.tertial(year, t) for t in (1, 2, 3))]:
            values = fig.values(codes, measures[measure], Scenario(scenario), period)
            out[measure, scenario, str(period)] = {c: (v.status, v.number) for c, v in values.items()}
    return out


def state(store: Store) -> dict:
    """What the user has, read through the product's own reading paths."""
    return {
        "facts": list(store.fact_rows()),
        "audit": store.audit_rows(),
        "history": {k: store.history(k) for k in keys(store)},
        "figures": figures(store),
        "batches": store.batches(),
    }


@pytest.fixture(scope="module")
def old_db(tmp_path_factory) -> Path:
    """The demo at schema OLD, with the history a user makes: edits, a revert, a removal, an undo."""
    path = tmp_path_factory.mktemp("layout") / "old.db"
    with at_old_schema():
        build_demo(path)
        with Store(path) as store:
            assert store.schema_version == OLD
            store.undo_batch(store.batches()[-1]["id"])
            first = next(iter(keys(store)))
            for n in (1, 2):
                store.write_facts([Fact(first, Value.of(Decimal(n) + Decimal("0.25")))], source="hand")
            store.revert(store.history(first)[-1]["id"])
            store.write_facts([Fact(keys(store)[-1], Value.of("-7"))], source="hand")
            store._delete_fact(keys(store)[3], source="hand")
    return path


def copy(old_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "data.db"
    shutil.copyfile(old_db, db)
    return db


def physical(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as c:
        return dict(c.execute("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name = 'facts'"))


def test_the_upgrade_keeps_the_export_figures_audit_and_every_history(old_db, tmp_path):
    db = copy(old_db, tmp_path)
    assert {"facts_cover", "sqlite_autoindex_facts_1"} <= set(physical(db))
    with at_old_schema(), Store(db) as store:
        before = state(store)
        report = store.verify_audit()
        assert report is not None and report.intact and report.head is not None
        head = report.head
        printed = (head[0], head[1].hex()[:16])
    assert len(before["audit"]) > len(before["facts"]) > 100  # the history is more than the facts
    socdesk("export", "--db", str(db), "-o", str(tmp_path / "before.csv"), old=True)
    size_before = db.stat().st_size

    upgraded = socdesk("upgrade", "--db", str(db))
    assert f"schema {SCHEMA_VERSION}" in upgraded.stdout
    socdesk("export", "--db", str(db), "-o", str(tmp_path / "after.csv"))

    assert (tmp_path / "after.csv").read_bytes() == (tmp_path / "before.csv").read_bytes()
    tables = physical(db)
    assert "WITHOUT ROWID" in tables["facts"]
    assert not {"facts_cover", "facts_key", "sqlite_autoindex_facts_1"} & set(tables)
    assert db.stat().st_size < size_before  # VACUUMed: the freed pages are gone
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        after = state(store)
        report = store.verify_audit()
        assert report is not None and report.intact and report.head == head
        assert store.anchor_break(*printed) is None
        with closing(sqlite3.connect(db)) as c:
            assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for part in before:
        assert after[part] == before[part], part


def test_the_product_writes_and_reads_the_upgraded_facts(old_db, tmp_path):
    """After the upgrade a write (an update, a new cell) and a removal work on the new table."""
    db = copy(old_db, tmp_path)
    socdesk("upgrade", "--db", str(db))
    with Store(db) as store:
        existing = keys(store)[0]
        new = FactKey(existing.unit, existing.measure, existing.scenario, Period.month(2031, 5))
        changed = store.write_facts([Fact(existing, Value.of("12.5")), Fact(new, Value.of(3))], source="hand")
        assert changed == 2
        assert store.write_facts([Fact(new, Value.of(3))], source="hand") == 0
        found = {f.key: f.value.number for f in store.facts(units=[existing.unit])}
        assert found[existing] == Decimal("12.5") and found[new] == Decimal(3)
        store._delete_fact(new, source="hand")
        assert new not in {f.key for f in store.facts(units=[existing.unit])}
        assert [h["action"] for h in store.history(new)] == ["insert", "delete"]
        report = store.verify_audit()
        assert report is not None and report.intact


def test_a_tampered_audit_row_is_still_reported_after_the_upgrade(old_db, tmp_path):
    db = copy(old_db, tmp_path)
    with closing(sqlite3.connect(db)) as c, c:
        target = c.execute("SELECT id FROM audit WHERE new_value IS NOT NULL ORDER BY id LIMIT 1 OFFSET 40")
        row_id = target.fetchone()[0]
        c.execute("UPDATE audit SET new_value = new_value + 10000 WHERE id = ?", (row_id,))
    with at_old_schema(), Store(db) as store:
        before = store.verify_audit()
    assert before is not None and [b.audit_id for b in before.breaks] == [row_id]

    socdesk("upgrade", "--db", str(db))
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        after = store.verify_audit()
        quick = store.verify_audit(quick=True)
    assert after is not None and quick is not None
    assert after.breaks == before.breaks and quick.breaks == before.breaks
