"""The audit trail's hash chain: every write path keeps it whole (checked against an independent
Python computation of the chain), a migrated database is sealed, a backup keeps it, and a
change made with another SQLite program – a value changed, a row deleted, inserted or swapped,
a hash changed – is reported by ``socdesk check`` (a real process) with the first broken row."""

import json
import shutil
import sqlite3
import subprocess
import sys
from contextlib import closing
from decimal import Decimal
from pathlib import Path

import pytest
from audit_layout import logical_edit  # tests/audit_layout.py
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Status, Value
from socdesk.io.seeds import install_default_measures
from socdesk.store import chain, schema
from socdesk.store.backup import backup, claim_identity
from socdesk.store.db import Store, StoreError

UNITS = [Unit("N", "Nämnd"), Unit("A", "Avdelning A", "N"), Unit("B", "Avdelning B", "N")]
FIELDS = ", ".join(chain.COLUMNS)


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def fact(unit: str, month: int, amount, scenario=Scenario.ACTUAL) -> Fact:
    value = Value.status_only(amount) if isinstance(amount, Status) else Value.of(Decimal(amount))
    return Fact(FactKey(unit, "netto", scenario, Period.month(2024, month)), value)


def new_store(path: Path) -> Store:
    store = Store(path)
    install_default_measures(store)
    store.add_units(UNITS)
    return store


def reference_chain(path: Path) -> list[tuple[int, bytes]]:
    """Each row's hash as docs/audit.md defines it, computed here in Python from the stored fields."""
    out, previous = [], chain.GENESIS
    with closing(sqlite3.connect(path)) as c:
        for row in c.execute(f"SELECT {FIELDS} FROM audit_log ORDER BY id"):
            previous = chain.link(previous, chain.payload(row))
            out.append((row[0], previous))
    return out


def stored_chain(path: Path) -> list[tuple[int, bytes]]:
    """Each row's stored hash: its first 8 bytes (schema 11 keeps no more with every row)."""
    with closing(sqlite3.connect(path)) as c:
        return c.execute("SELECT id, hash FROM audit_log ORDER BY id").fetchall()


def full_hashes(path: Path) -> list[tuple[int, bytes]]:
    """The full hashes stored: every 16th row's and each change's last row's."""
    with closing(sqlite3.connect(path)) as c:
        return c.execute(
            "SELECT id, full_hash FROM audit_log WHERE full_hash IS NOT NULL ORDER BY id"
        ).fetchall()


def short_chain(path: Path) -> list[tuple[int, bytes]]:
    return [(i, h[: chain.PREFIX]) for i, h in reference_chain(path)]


def assert_whole(store: Store) -> None:
    report = store.verify_audit()
    assert report is not None and report.breaks == [], [b.message for b in report.breaks]
    assert report.rows == len(store.audit_rows())
    assert stored_chain(store.path) == short_chain(store.path)
    reference = dict(reference_chain(store.path))
    stored = full_hashes(store.path)
    assert all(reference[i] == h for i, h in stored)
    assert {i for i in reference if i % chain.FULL_EVERY == 0} <= {i for i, _ in stored}
    head = store.conn.execute("SELECT id, hash FROM audit_head").fetchone()
    last = store.conn.execute("SELECT id, full_hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert head == last and report.head == last
    # socdesk's own writes keep the verified mark at the head: the quick check walks nothing
    assert store.conn.execute("SELECT id, hash FROM audit_verified").fetchone() == (
        last or (0, chain.GENESIS)
    )
    quick = store.verify_audit(quick=True)
    assert quick.breaks == [] and quick.rows == 0 and quick.head == last


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """A small database written through every path that adds audit rows (closed: no -wal)."""
    path = tmp_path_factory.mktemp("chain") / "history.db"
    with new_store(path) as store:
        store.write_facts([fact("A", m, 100 * m) for m in range(1, 7)], source="form")
        batch = store.add_batch("utfall.csv", "0" * 64, 3)
        store.write_facts(
            [fact("A", 1, 111), fact("B", 1, 5), fact("B", 2, 6)], source="import", batch_id=batch
        )
        store.write_facts([fact("B", 3, Status.SUPPRESSED), fact("A", 2, 250)], source="form")
        store.revert(11)  # the update of A feb: back to 200
        store.undo_batch(batch)  # A jan back to 100, B jan/feb removed
        store.revert(1)  # the insert of A jan: removed
        assert_whole(store)
    return path


@pytest.fixture
def db(history: Path, tmp_path: Path) -> Path:
    path = tmp_path / "t.db"
    shutil.copyfile(history, path)
    return path


def tamper(path: Path, *statements: str, params=()) -> None:
    """Another SQLite program edits the file directly (a row's logical columns through
    ``audit_edit``, which writes them as the stored layout has them: tests/audit_layout.py)."""
    with closing(sqlite3.connect(path)) as c, c:
        if any("audit_edit" in s for s in statements):
            logical_edit(c)
        for sql in statements:
            c.execute(sql, params if "?" in sql else ())


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.integers(min_value=-(2**63), max_value=2**63 - 1),
            st.text(),
            st.text(alphabet=st.characters(max_codepoint=0x3F)),  # control characters, quotes, \, NUL
        ),
        min_size=len(chain.COLUMNS),
        max_size=len(chain.COLUMNS),
    )
)
@settings(max_examples=100, deadline=None)
def test_the_payload_sqlite_hashes_is_the_documented_json_array(row):
    with closing(sqlite3.connect(":memory:")) as c:
        sql = chain.payload_sql("?").replace(", ".join(chain.COLUMNS[1:]), ", ".join("?" * 16))
        (in_sqlite,) = c.execute(f"SELECT {sql}", row).fetchone()
    assert in_sqlite == chain.payload(row)
    assert json.loads(in_sqlite) == [chain.VERSION, *row]


def test_sqlite_escapes_every_character_as_the_documented_json_does():
    every = "".join(chr(cp) for cp in range(0x110000) if not 0xD800 <= cp <= 0xDFFF)
    with closing(sqlite3.connect(":memory:")) as c:
        (in_sqlite,) = c.execute("SELECT CAST(json_array(?) AS BLOB)", (every,)).fetchone()
    assert in_sqlite == json.dumps([every], ensure_ascii=False, separators=(",", ":")).encode()


def test_a_fresh_database_has_an_empty_chain_that_verifies(tmp_path):
    with Store(tmp_path / "new.db") as store:
        report = store.verify_audit()
        assert report is not None and report.rows == 0 and report.breaks == [] and report.head is None
    r = socdesk("check", "--db", tmp_path / "new.db")
    assert r.returncode == 0, r.stderr
    assert "Ändringsloggen är tom." in r.stdout


def test_every_write_path_keeps_the_chain_whole(history):
    with Store(history) as store:
        actions = [(a["action"], a["source"]) for a in store.audit_rows()]
        assert ("update", "revert") in actions and ("delete", "ångrad import") in actions
        assert ("delete", "revert") in actions
        assert_whole(store)
        # a budget form's plan (its stated pieces removed, audited as deletes) and an ombudgetering
        store.write_facts([fact("A", 6, 900, Scenario.BUDGET)], source="budget")
        store.write_plan([fact("A", 5, 950, Scenario.BUDGET)], source="budget", within=Period.year(2024))
        store.add_budget_version(2024, Period.month(2024, 7).start, "2024-06-20", "nämndbeslut")
        assert ("delete", "budget") in [(a["action"], a["source"]) for a in store.audit_rows()]
        assert_whole(store)


def test_a_write_that_fails_leaves_the_chain_and_its_head_as_they_were(db):
    with Store(db) as store:
        before = stored_chain(db), store.conn.execute("SELECT id, hash FROM audit_head").fetchone()
        with pytest.raises(StoreError), store.transaction():
            store.write_facts([fact("A", 9, 1)], source="form")
            raise StoreError("avbrutet")
        assert (stored_chain(db), store.conn.execute("SELECT id, hash FROM audit_head").fetchone()) == before
        store.write_facts([fact("A", 9, 2)], source="form")  # the next write follows the old head
        assert_whole(store)


def test_the_cli_import_and_undo_keep_the_chain_and_check_prints_its_head(tmp_path):
    data = tmp_path / "utfall.csv"
    data.write_text(
        "enhet;namn;överordnad;period;mått;scenario;värde\nN;Nämnd;;;;;\nA;Avd A;N;;;;\n"
        "A;;;2024-01;netto;utfall;100\nA;;;2024-02;netto;utfall;200\n",
        encoding="utf-8",
    )
    db = tmp_path / "cli.db"
    for args in (("import", data), ("undo-import", 1), ("import", data, "--replace")):
        r = socdesk("--basedir", tmp_path / "base", *args, "--db", db)
        assert r.returncode == 0, r.stderr
    r = socdesk("check", "--db", db)
    assert r.returncode == 0, r.stderr
    with Store(db) as store:
        assert_whole(store)
        last = store.last_change()
    assert (
        f"Ändringsloggen: 6 ändringar, kedjan är hel; senaste ändring 6, kedja {chain.short(last['hash'])}."
        in (r.stdout)
    )


TAMPERS = {
    # name: (statements, first broken row, kind)
    "update a value": (["UPDATE audit_edit SET new_value = new_value + 1 WHERE id = 3"], 3, "changed"),
    "delete a row": (["DELETE FROM audit WHERE id = 4"], 4, "missing"),
    "insert a row": (
        [
            "INSERT INTO audit_edit (at, who, action, source, unit_code, measure, scenario, version, period, "
            "gender, grp, old_value, old_status, new_value, new_status) SELECT at, who, 'update', source, "
            "unit_code, measure, scenario, version, period, gender, grp, new_value, new_status, 1, 'value' "
            "FROM audit_edit WHERE id = 2"
        ],
        None,  # the new row's id: after the last
        "inserted",
    ),
    "swap two rows' content": (
        [
            "CREATE TEMP TABLE two AS SELECT * FROM audit_edit WHERE id IN (2, 5)",
            "UPDATE audit_edit SET (at, who, action, source, batch_id, unit_code, measure, scenario, version, "
            "period, gender, grp, old_value, old_status, new_value, new_status) = (SELECT at, who, action, "
            "source, batch_id, unit_code, measure, scenario, version, period, gender, grp, old_value, "
            "old_status, new_value, new_status FROM temp.two t WHERE t.id = 7 - audit_edit.id) "
            "WHERE id IN (2, 5)",
        ],
        2,
        "changed",
    ),
    "change a hash": (["UPDATE audit_edit SET hash = randomblob(32) WHERE id = 6"], 6, "changed"),
}


@pytest.mark.parametrize("name", TAMPERS)
def test_check_reports_the_first_row_another_program_changed(db, name):
    statements, first, kind = TAMPERS[name]
    last = stored_chain(db)[-1][0]
    tamper(db, *statements)
    first = first or last + 1
    r = socdesk("check", "--db", db, "--json")
    assert r.returncode == 1, r.stderr
    found = json.loads(r.stdout)
    breaks = [f for f in found if f["rule"] == "audit_chain"]
    assert breaks and found[0] == breaks[0], "the chain is reported first"
    assert (breaks[0]["audit_id"], breaks[0]["kind"], breaks[0]["severity"]) == (first, kind, "error")
    assert f"ändring {first} " in breaks[0]["message"].lower()
    assert breaks[0]["who"] and breaks[0]["at"], "when and who of the row (or the row after a gap)"
    assert len(breaks) <= 2  # a swap changes two rows; every other tamper is one break


def test_check_in_text_names_the_row_when_and_who_and_says_broken(db):
    with Store(db) as store:
        row = store.audit_rows()[2]
    tamper(db, "UPDATE audit_edit SET new_value = 42 WHERE id = 3")
    r = socdesk("check", "--db", db)
    assert r.returncode == 1
    first = r.stdout.splitlines()[0]
    assert first.startswith("[error] audit_chain: Ändring 3 (")
    assert row["at"][:16].replace("T", " ") in first and row["who"] in first and "har ändrats" in first
    assert "kedjan är BRUTEN – första brottet vid ändring 3." in r.stdout


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("DELETE FROM audit WHERE id >= 5", [("missing", 5, "end")]),
        ("DELETE FROM audit_head", [("missing", "LAST", "head")]),
        (
            "UPDATE audit SET id = 100 WHERE id = 2",
            [("missing", 2, "gap"), ("unchecked", 4, "unchecked"), ("inserted", 100, "after-head")],
        ),
        (
            "UPDATE audit SET id = 100 WHERE id = LAST",
            [("missing", "LAST", "removed"), ("inserted", 100, "after-head")],
        ),
        (  # a BLOB
            "UPDATE audit_edit SET who = X'00ff' WHERE id = 3",
            [("changed", 3, "content"), ("unchecked", 4, "unchecked")],
        ),
        (
            "UPDATE audit_edit SET who = CAST(X'00ff' AS TEXT) WHERE id = 3",
            [("changed", 3, "content"), ("unchecked", 4, "unchecked")],
        ),
        ("UPDATE audit_edit SET hash = NULL WHERE id = 2", [("changed", 2, "hash")]),
        ("UPDATE audit_edit SET who = 'eve' WHERE id = LAST", [("changed", "LAST", "row")]),
    ],
)
def test_other_changes_are_reported_too(db, statement, expected):
    """Schema 11 keeps 8 bytes of a row's hash, the whole hash only every 16th row and at each
    change's last row (docs/layout.md). After a break at a row whose whole hash is not kept, the
    rows up to the next kept one cannot be checked: they are reported as such ("unchecked", here
    4–6: the fixture's first write is rows 1–6), never as intact, and the walk goes on after
    them. A gap's or a changed row's break is as before; where only the prefix is kept a changed
    row is "content" (it does not match its stored hash), as a row changed in place was."""
    last = stored_chain(db)[-1][0]
    tamper(db, statement.replace("LAST", str(last)))
    with Store(db, readonly=True) as store:
        report = store.verify_audit()
        assert store.verify_audit(quick=True) == report  # the mark is gone: the same walk
    assert [(b.kind, b.audit_id, b.reason) for b in report.breaks] == [
        (kind, last if row == "LAST" else row, reason) for kind, row, reason in expected
    ]
    assert all(b.message.startswith(("Ändring", "Kontrollsumman")) for b in report.breaks)
    for b in report.breaks:
        if b.reason == "unchecked":
            assert b.message.startswith("Ändring 4–6 kunde inte kontrolleras efter brottet vid ändring 3")
    assert all("\x00" not in b.message and "\x00" not in (b.who or "") for b in report.breaks)


def test_a_forged_row_appended_with_a_valid_hash_shows_against_the_recorded_head(db):
    last_id = stored_chain(db)[-1][0]
    with closing(sqlite3.connect(db)) as c:
        row = list(c.execute(f"SELECT {FIELDS} FROM audit_log WHERE id = ?", (last_id,)).fetchone())
    row[0] = last_id + 1
    forged = chain.link(reference_chain(db)[-1][1], chain.payload(row))
    tamper(
        db, f"INSERT INTO audit_edit ({FIELDS}, hash) VALUES ({', '.join('?' * 18)})", params=(*row, forged)
    )
    with Store(db, readonly=True) as store:
        assert [(b.kind, b.audit_id) for b in store.verify_audit().breaks] == [("inserted", last_id + 1)]


def test_a_break_stays_visible_after_socdesk_writes_again(db):
    last = stored_chain(db)[-1][0]
    tamper(db, f"DELETE FROM audit WHERE id = {last}")  # the end of the log removed …
    with Store(db) as store:
        store.write_facts([fact("B", 8, 77)], source="form")  # … then someone saves
        breaks = store.verify_audit().breaks
        assert [(b.kind, b.audit_id) for b in breaks] == [("missing", last)]
        assert store.audit_rows()[-1]["id"] == last + 1  # the removed id is not reused
    tamper(
        db,
        "INSERT INTO audit_edit (at, who, action, source, unit_code, measure, scenario, version, period, "
        "gender, grp, new_value, new_status) VALUES ('2024-01-01', 'eve', 'insert', 'x', 'A', 'netto', "
        "'utfall', '', '2024-11', '', '', 1, 'value')",
    )
    with Store(db) as store:
        store.write_facts([fact("B", 9, 78)], source="form")
        kinds = [(b.kind, b.audit_id) for b in store.verify_audit().breaks]
    assert kinds == [("missing", last), ("inserted", last + 2)]


def test_a_backup_keeps_the_chain(db, tmp_path):
    with Store(db) as store:
        claim_identity(store, settle=True)  # a backup is named by the database's identity
        copy = backup(store.conn, store.path, tmp_path / "backups", "manuell")
        head = store.last_change()
    r = socdesk("check", "--db", copy)
    assert r.returncode == 0, r.stderr
    assert f"kedja {chain.short(head['hash'])}." in r.stdout
    assert stored_chain(copy) == short_chain(copy) == short_chain(db)


def old_database(path: Path, version: int = 5) -> None:
    """A database as socdesk with schema ``version`` left it, audit rows included (with a gap in the
    ids, which an old database may have): the SQL of that socdesk's write path."""
    with closing(sqlite3.connect(path)) as c, c:
        for script in schema.MIGRATIONS[:version]:
            c.executescript(script)
        c.execute(
            "INSERT INTO units (id, code, name, parent_id, has_children) VALUES (1, 'N', 'Nämnd', NULL, 1)"
        )
        c.execute("INSERT INTO units (id, code, name, parent_id) VALUES (2, 'A', 'Avd A', 1)")
        c.execute("INSERT INTO unit_closure VALUES (1, 1, 0), (2, 2, 0), (1, 2, 1)")
        c.execute("INSERT INTO measures VALUES ('netto', 'Netto', 'kr', 1, 1, 1, 0, '')")
        for i, (month, old, new) in enumerate([(1, None, 10), (2, None, 20), (1, 10, 15), (3, None, 30)]):
            c.execute(
                "INSERT INTO audit (id, at, who, action, source, unit_code, measure, scenario, version, "
                "period, gender, grp, old_value, old_status, new_value, new_status) VALUES (?, ?, 'gammal', "
                "?, 'form', 'A', 'netto', 'utfall', '', ?, '', '', ?, ?, ?, 'value')",
                (
                    i + 1 + (i >= 3),  # ids 1, 2, 3, 5
                    f"2023-12-0{i + 1}T09:00:00+01:00",
                    "insert" if old is None else "update",
                    f"2024-0{month}",
                    None if old is None else old * 10_000,
                    None if old is None else "value",
                    new * 10_000,
                ),
            )
            c.execute(
                "INSERT INTO facts (unit_id, measure, scenario, period, period_start, period_end, value, status) "
                "VALUES (2, 'netto', 'utfall', ?, ?, ?, ?, 'value') ON CONFLICT DO UPDATE SET value = excluded.value",
                (f"2024-0{month}",) * 3 + (new * 10_000,),
            )
        c.execute(f"PRAGMA user_version = {version}")


def test_a_migrated_old_database_gets_a_chain_over_its_rows_in_order(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    with Store(path) as store:
        assert store.schema_version == schema.SCHEMA_VERSION >= schema.AUDIT_CHAIN
        assert [a["id"] for a in store.audit_rows()] == [1, 2, 3, 5]
        assert_whole(store)
        store.write_facts([fact("A", 4, 40)], source="form")
        assert_whole(store)
    r = socdesk("check", "--db", path)
    assert r.returncode == 0, r.stderr
    assert "Ändringsloggen: 5 ändringar, kedjan är hel; senaste ändring 6" in r.stdout


def test_an_old_database_opened_read_only_is_not_sealed(tmp_path):
    path = tmp_path / "old.db"
    old_database(path)
    before = path.read_bytes()
    try:
        store = Store(path, readonly=True)
    except StoreError as err:  # read-only refuses an older schema, naming what upgrades it
        assert "behöver uppgraderas" in str(err)
    else:  # or reads it as it is: no chain to verify, the newest change still shown
        with store:
            assert store.verify_audit() is None and store.last_change()["id"] == 5
    assert path.read_bytes() == before


def test_a_printed_data_version_anchors_the_chain_against_a_rewrite(db):
    from socdesk.reports.board import data_version

    with Store(db) as store:
        last = store.last_change()
        version = data_version(store)
    h = chain.short(last["hash"])
    assert version.endswith(f", kedja {h}") and version.startswith(f"ändring {last['id']} (")
    anchor = f"{last['id']}:{h}"
    assert socdesk("check", "--db", db, "--anchor", anchor).returncode == 0

    # Someone who knows the scheme changes a value and recomputes every hash and the head:
    tamper(db, "UPDATE audit_edit SET new_value = 1 WHERE id = 2")
    with closing(logical_edit(sqlite3.connect(db))) as c, c:
        for row_id, digest in reference_chain(db):
            c.execute("UPDATE audit_edit SET hash = ? WHERE id = ?", (digest, row_id))
        c.execute("UPDATE audit_head SET hash = (SELECT hash FROM audit_edit WHERE id = audit_head.id)")
    plain = socdesk("check", "--db", db)
    assert plain.returncode == 0, "a recomputed chain is whole: only an anchor kept elsewhere shows it"
    anchored = socdesk("check", "--db", db, "--anchor", anchor, "--json")
    assert anchored.returncode == 1
    [b] = [f for f in json.loads(anchored.stdout) if f["rule"] == "audit_chain"]
    assert (b["audit_id"], b["kind"]) == (last["id"], "changed") and h in b["message"]
    bad = socdesk("check", "--db", db, "--anchor", "sista")
    assert bad.returncode == 1 and "--anchor ska vara" in bad.stderr and "Traceback" not in bad.stderr


def test_the_report_lists_a_broken_chain_first_among_what_is_left(demo_db):
    tamper(demo_db, "UPDATE audit_edit SET new_value = new_value * 2 WHERE id = 10")
    r = socdesk(
        "report",
        "manad",
        "--db",
        demo_db,
        "--period",
        "2024-05",
        "--unit",
        "SN",
        "-o",
        demo_db.with_suffix(".html"),
    )
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("UTKAST:")
    assert lines[1].startswith("  Ändringsloggen visar ändringar gjorda utanför socdesk (1 brott")
    assert "Ändring 10 (" in lines[1]


def test_a_save_in_the_form_keeps_the_chain_and_the_report_dialog_shows_a_break(qtbot, workspace):
    from PySide6.QtCore import Qt

    from socdesk.core.periods import Month

    store = workspace.ctx.store
    workspace.period.set_month(Month(2024, 6))
    workspace.tabs.setCurrentWidget(workspace.register)
    entry = workspace.register.entry
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == "utfall:ekonomi:771:2024-06")
    entry.model.setData(entry.model.index(0, 0), "1 234", Qt.ItemDataRole.EditRole)
    with qtbot.waitSignal(entry.saved):
        qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    assert store.audit_rows()[-1]["source"] == "form"
    assert_whole(store)

    tamper(store.path, "DELETE FROM audit WHERE id = 7")
    workspace.report_action.trigger()
    dialog = workspace.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=20_000)
    assert "Ändring 7 saknas" in dialog.reasons.item(0).text()
    assert "UTKAST" in dialog.status.text()


SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
CELLS = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]),
        st.integers(1, 4),
        st.one_of(st.integers(-5, 5), st.just(Status.SUPPRESSED), st.just(Status.NOT_COMPUTABLE)),
    ),
    min_size=1,
    max_size=5,
)
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), CELLS),
        st.tuples(st.just("import"), CELLS),
        st.tuples(st.just("revert"), st.integers(0, 10_000)),
        st.tuples(st.just("undo"), st.integers(0, 10_000)),
    ),
    min_size=1,
    max_size=8,
)
TAMPER = st.tuples(
    st.sampled_from(["field", "delete", "insert", "forge", "swap", "hash", "renumber"]),
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.sampled_from(chain.COLUMNS[1:]),
)


def _changed(value):
    if value is None:
        return "*"
    if isinstance(value, int):
        return value + 1
    return {"insert": "update", "update": "delete", "delete": "insert"}.get(value, value + "x")


@SETTINGS
@given(ops=OPS, tampering=TAMPER)
def test_any_writes_then_any_single_change_is_found_at_its_row(tmp_path_factory, ops, tampering):
    path = tmp_path_factory.mktemp("hyp") / "h.db"
    with new_store(path) as store:
        for op, arg in ops:
            try:
                if op in ("write", "import"):
                    facts = {(u, m): fact(u, m, v) for u, m, v in arg}
                    batch = store.add_batch("f.csv", "0" * 64, len(facts)) if op == "import" else None
                    store.write_facts(list(facts.values()), source=op, batch_id=batch)
                elif op == "revert" and store.audit_rows():
                    store.revert(1 + arg % len(store.audit_rows()))
                elif op == "undo" and store.batches():
                    store.undo_batch(store.batches()[arg % len(store.batches())]["id"])
            except StoreError:
                pass  # refused (an undo after later changes, …): nothing changed
        assert_whole(store)
        rows = [tuple(r[c] for c in chain.COLUMNS) for r in store.audit_rows()]
    kind, i, j, column = tampering
    assume(rows)
    k = rows[i % len(rows)][0]
    last = rows[-1][0]
    if kind == "field":
        row = dict(zip(chain.COLUMNS, rows[i % len(rows)], strict=True))
        tamper(path, f"UPDATE audit_edit SET {column} = ? WHERE id = {k}", params=(_changed(row[column]),))
        expected = ("changed", k)
    elif kind == "delete":
        tamper(path, f"DELETE FROM audit WHERE id = {k}")
        expected = ("missing", k)
    elif kind == "renumber":
        tamper(path, f"UPDATE audit SET id = {last + 50} WHERE id = {k}")
        expected = ("missing", k)
    elif kind in ("insert", "forge"):
        row = [last + 1, *rows[i % len(rows)][1:]]
        digest = chain.link(reference_chain(path)[-1][1], chain.payload(row)) if kind == "forge" else None
        tamper(
            path,
            f"INSERT INTO audit_edit ({FIELDS}, hash) VALUES ({', '.join('?' * 18)})",
            params=(*row, digest),
        )
        expected = ("inserted", last + 1)
    elif kind == "swap":
        ids = sorted({rows[i % len(rows)][0], rows[j % len(rows)][0]})
        assume(len(ids) == 2)  # two rows to swap
        a, b = ids
        contents = {r[0]: r[1:] for r in rows}
        assume(contents[a] != contents[b])
        sets = ", ".join(f"{c} = ?" for c in chain.COLUMNS[1:])
        tamper(path, f"UPDATE audit_edit SET {sets} WHERE id = {a}", params=contents[b])
        tamper(path, f"UPDATE audit_edit SET {sets} WHERE id = {b}", params=contents[a])
        expected = ("changed", a)
    else:
        tamper(path, f"UPDATE audit_edit SET hash = zeroblob(32) WHERE id = {k}")
        expected = ("changed", k)
    with Store(path, readonly=True) as store:
        report = store.verify_audit()
        assert store.verify_audit(quick=True) == report
    assert report.breaks, f"{kind} of row {k} not found"
    assert (report.breaks[0].kind, report.breaks[0].audit_id) == expected


def test_rows_enter_the_audit_in_one_place_and_are_never_rewritten():
    import re

    import socdesk

    found = {"insert": [], "update": [], "delete": []}
    for path in Path(socdesk.__file__).parent.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for kind, pattern in (
            ("insert", r"INSERT\s+INTO\s+audit\b(?!_)"),
            ("update", r"UPDATE\s+audit\b(?!_)"),
            ("delete", r"DELETE\s+FROM\s+audit\b(?!_)"),
        ):
            found[kind] += [path.name for _ in re.finditer(pattern, text, re.IGNORECASE)]
    # Store._append_audit's one statement; the one UPDATE seals an old database's rows (migration 6)
    assert found == {"insert": ["audit.py"], "update": ["audit.py"], "delete": []}
