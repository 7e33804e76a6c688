"""The compact layout's migrations (docs/layout.md: 10 the facts, 11 the audit's rows) on a
database schema 9 or 10 laid out: the demo with the history a user makes (edits, a revert, a
removed fact and an undone import), laid out as that schema had it (tests/audit_layout.py: the
schema's own tables filled with the same rows, each audit row with its full hash), then upgraded
by ``socdesk upgrade`` as a user does. Nothing the user has may change: the export (bytes),
every figure, the audit rows, every cell's history, the chain and a printed anchor; a tampered
row is still reported after the upgrade."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from audit_layout import older_layout  # tests/audit_layout.py

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.core.values import Value
from socdesk.io.seeds import build_demo
from socdesk.store import chain
from socdesk.store.db import Store
from socdesk.store.figures import Figures
from socdesk.store.schema import AUDIT_COMPACT, FACTS_COMPACT, SCHEMA_VERSION

OLD = (FACTS_COMPACT - 1, AUDIT_COMPACT - 1)  # the schemas upgraded: 9 and 10


def socdesk(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "socdesk", *args], capture_output=True, text=True, timeout=600
    )
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
def demo(tmp_path_factory) -> Path:
    """The demo with the history a user makes: edits, a revert, a removal, an undone import."""
    path = tmp_path_factory.mktemp("layout") / "demo.db"
    build_demo(path)
    with Store(path) as store:
        store.undo_batch(store.batches()[-1]["id"])
        first = next(iter(keys(store)))
        for n in (1, 2):
            store.write_facts([Fact(first, Value.of(Decimal(n) + Decimal("0.25")))], source="hand")
        store.revert(store.history(first)[-1]["id"])
        store.write_facts([Fact(keys(store)[-1], Value.of("-7"))], source="hand")
        store._delete_fact(keys(store)[3], source="hand")
    return path


def at_schema(demo: Path, tmp_path: Path, version: int) -> Path:
    db = tmp_path / f"data{version}.db"
    older_layout(demo, db, version)
    return db


def physical(db: Path) -> dict[str, str]:
    with closing(sqlite3.connect(db)) as c:
        return dict(
            c.execute(
                "SELECT name, coalesce(sql, '') FROM sqlite_master WHERE tbl_name IN ('facts', 'audit', 'changes')"
            )
        )


def legacy_verify(db: Path) -> chain.ChainReport:
    """The chain of a schema 9/10 file as that socdesk walked it (one table, full hashes)."""
    with closing(sqlite3.connect(db)) as c:
        recorded = c.execute("SELECT id, hash FROM audit_head").fetchone()
        return chain.verify(c.execute(chain.LEGACY_VERIFY_SQL_ANY), recorded)


@pytest.mark.parametrize("version", OLD)
def test_the_upgrade_keeps_the_export_figures_audit_and_every_history(demo, tmp_path, version):
    with Store(demo) as store:
        before = state(store)
        head = store.verify_audit().head
    assert len(before["audit"]) > len(before["facts"]) > 100  # the history is more than the facts
    socdesk("export", "--db", str(demo), "-o", str(tmp_path / "before.csv"))
    db = at_schema(demo, tmp_path, version)
    old = legacy_verify(db)
    assert old.intact and old.head == head
    printed = (head[0], head[1].hex()[:16])  # a decided report's anchor, printed at schema 9/10
    tables = physical(db)
    assert "changes" not in tables and "hash" in tables["audit"] and "unit_code " in tables["audit"]
    assert ("WITHOUT ROWID" in tables["facts"]) == (version >= FACTS_COMPACT)
    size_before = db.stat().st_size

    upgraded = socdesk("upgrade", "--db", str(db))
    assert f"schema {SCHEMA_VERSION}" in upgraded.stdout
    socdesk("export", "--db", str(db), "-o", str(tmp_path / "after.csv"))

    assert (tmp_path / "after.csv").read_bytes() == (tmp_path / "before.csv").read_bytes()
    tables = physical(db)
    assert "WITHOUT ROWID" in tables["facts"] and "change_id" in tables["audit"] and "changes" in tables
    assert not {"facts_cover", "facts_key", "sqlite_autoindex_facts_1", "audit_cell", "audit_batch"} & set(
        tables
    )
    assert db.stat().st_size < size_before  # VACUUMed: the freed pages are gone
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        after = state(store)
        report = store.verify_audit()
        assert report is not None and report.intact and report.head == head
        quick = store.verify_audit(quick=True)  # the verified mark came along (schema 9 and 10 had it)
        assert quick.intact and quick.rows == 0 and quick.head == head
        assert store.anchor_break(*printed) is None
        assert store.anchor_break(printed[0], "0" * 16) is not None
        with closing(sqlite3.connect(db)) as c:
            assert c.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            per_row = c.execute("SELECT count(*), count(DISTINCT change_id) FROM audit").fetchone()
    assert (
        per_row[0] == len(before["audit"]) and per_row[1] < per_row[0] / 4
    )  # a change per write, not per row
    for part in before:
        assert after[part] == before[part], part


def test_the_product_writes_and_reads_the_upgraded_facts(demo, tmp_path):
    """After the upgrade a write (an update, a new cell) and a removal work on the new tables."""
    db = at_schema(demo, tmp_path, FACTS_COMPACT - 1)
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
        assert report is not None and report.intact and store.verify_audit(quick=True).rows == 0


@pytest.mark.parametrize("version", OLD)
def test_a_tampered_audit_row_is_still_reported_after_the_upgrade(demo, tmp_path, version):
    """A broken chain is upgraded as it stands, never repaired: the same break at the same row.
    (Rows after it up to the next kept full hash are reported as not checkable: schema 11
    keeps 8 bytes of most rows' hashes.)"""
    db = at_schema(demo, tmp_path, version)
    with closing(sqlite3.connect(db)) as c, c:
        target = c.execute("SELECT id FROM audit WHERE new_value IS NOT NULL ORDER BY id LIMIT 1 OFFSET 40")
        row_id = target.fetchone()[0]
        c.execute("UPDATE audit SET new_value = new_value + 10000 WHERE id = ?", (row_id,))
    before = legacy_verify(db)
    assert [(b.kind, b.audit_id, b.reason) for b in before.breaks] == [("changed", row_id, "content")]

    socdesk("upgrade", "--db", str(db))
    with Store(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        after = store.verify_audit()
        quick = store.verify_audit(quick=True)
    assert after is not None and quick is not None and quick.breaks == after.breaks
    assert [(b.kind, b.audit_id, b.reason) for b in after.breaks if b.reason != "unchecked"] == [
        ("changed", row_id, "content")
    ]
    unchecked = [b for b in after.breaks if b.reason == "unchecked"]
    assert all(b.audit_id == row_id + 1 and b.next_id == row_id for b in unchecked) and len(unchecked) <= 1
    assert all(b.last_missing - row_id <= 16 for b in unchecked)
    assert after.broken == 1 and after.breaks[0].message.startswith(f"Ändring {row_id} (")
