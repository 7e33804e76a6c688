"""Kill what users do (SIGKILL) at a random moment: the database stays sound and holds a state
the operation passes through (every import batch and every form save wholly or not at all), an
output file is the previous one or a whole new one, every finished backup is whole, nothing
partial is left after the next start, and the program opens the database again.

benchmarks/crash_trials.py runs ≥ 300 such trials over every path (docs/performance.md); the
suite runs one trial of each operation in SAMPLE, on the same code."""

import shutil
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import crash_trials

SAMPLE = [
    "import-long",
    "import-ledger",
    "import-xlsx",
    "import-sie:SIE_test_av_KST_projekt_Testbolaget_e_-_kopia.SE",
    "undo-import",
    "lock",
    "reopen",
    "export-csv",
    "report-pdf",
    "migration:gui",
    "restore",
    "gui-save",
]


@pytest.fixture(scope="module")
def workspace(demo_template, tmp_path_factory):
    ws = crash_trials.Workspace(tmp_path_factory.mktemp("crash"), demo=demo_template)
    ops = [crash_trials.op_named(n) for n in SAMPLE if n in {o.name for o in crash_trials.OPS}]
    ws.prepare(ops)
    with ThreadPoolExecutor(max_workers=2) as pool:
        calibrated = pool.map(lambda o: crash_trials.calibrate(ws, o, 1), ops)
        cals = dict(zip([o.name for o in ops], calibrated, strict=True))
    return ws, cals


@pytest.fixture(scope="module")
def outcomes(workspace):
    ws, cals = workspace
    ops = [crash_trials.op_named(n) for n in cals]
    with ThreadPoolExecutor(max_workers=2) as pool:  # the real GUI's start: migration:gui
        done = pool.map(
            lambda io: crash_trials.run_trial(ws, io[1], cals[io[1].name], 1000 + io[0]), enumerate(ops)
        )
        return {o.op.name: o for o in done}


def test_the_kills_land_inside_the_operations(outcomes):
    """The trials are worth something only if most SIGKILLs meet a process at work."""
    assert sum(o.killed and o.wrote for o in outcomes.values()) >= len(outcomes) // 3


@pytest.mark.parametrize("name", SAMPLE)
def test_killed_mid_operation_leaves_a_sound_whole_state(outcomes, name):
    if name.startswith("import-sie") and not crash_trials.SIE_CORPUS.is_dir():
        pytest.skip(f"no SIE corpus at {crash_trials.SIE_CORPUS}")
    out = outcomes[name]
    assert out.state, out.problems  # the database was found in one of the operation's states
    assert out.problems == []


# --- the oracles can fail -------------------------------------------------------------------------
def test_a_half_written_batch_is_found(workspace):
    ws, cals = workspace
    op = crash_trials.op_named("undo-import")  # starts from a database with an imported batch
    folder = ws.fresh(op)
    with closing(sqlite3.connect(folder / "data" / "data.db")) as c, c:  # half of it, as if torn
        c.execute("DELETE FROM facts WHERE batch_id = ? AND substr(period_start, 6, 2) % 2 = 0", (ws.batch,))
        assert c.execute("SELECT changes()").fetchone()[0] > 0
    out = crash_trials.Outcome(0, op, "any", 0.0, backups=set(crash_trials._backups(folder)))
    problems = crash_trials.check(ws, op, cals[op.name], folder, out, gui=False)
    texts = [t for _s, t in problems]
    assert out.state == ""
    assert any(t.startswith("data.db is in none of the states") and "facts: " in t for t in texts)
    assert any(t.startswith("rollup: ") for t in texts)
    shutil.rmtree(folder)


def test_a_torn_output_file_is_found(workspace, tmp_path):
    ws, cals = workspace
    op = crash_trials.op_named("report-pdf")
    old = (ws.old / op.name / op.output).read_bytes()
    torn = tmp_path / op.output
    torn.write_bytes(old[: len(old) // 2])
    assert crash_trials.output_state(torn, old, cals[op.name].signature) is None
    torn.write_bytes(old)
    assert crash_trials.output_state(torn, old, cals[op.name].signature) == "old"


def test_partial_files_left_are_found(tmp_path):
    for d in ("data", "base/backups/abc", "base/logs", "out"):
        (tmp_path / d).mkdir(parents=True)
    for f in (
        "data/data.db",
        "data/data.db.lock",
        "data/data.db.partial",
        "data/data.db-journal",
        "base/socdesk.ini",
        "base/backups/abc/data__1__import.db",
        "base/backups/abc/data__2__import.db.partial",
        "base/backups/abc/data__2__import.db.partial-journal",
        "out/export.xlsx",
        "out/.export.xlsx.4711.socdesk-tmp",
    ):
        (tmp_path / f).write_bytes(b"x")
    assert crash_trials.leftovers(tmp_path, "export.xlsx") == [
        ("", "left in the database folder: data.db-journal"),
        ("§2", "left in the database folder: data.db.partial"),
        ("§2", "left in the backup folder: abc/data__2__import.db.partial"),
        ("§2", "left in the backup folder: abc/data__2__import.db.partial-journal"),
        ("§4", "left in the output folder: .export.xlsx.4711.socdesk-tmp"),
    ]


def test_a_damaged_database_is_found(demo_db):
    data = bytearray(demo_db.read_bytes())
    data[4096 * 3 : 4096 * 3 + 64] = b"\xff" * 64  # a page of the tables overwritten
    demo_db.write_bytes(bytes(data))
    assert crash_trials.integrity(demo_db) != []
