"""Kill a process (SIGKILL) at random moments while it imports, saves, backs up and migrates:
the database stays sound and every batch and every save is there wholly or not at all.
benchmarks/crash_trials.py runs 200 of these trials; the suite runs a few."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import crash_trials


@pytest.mark.parametrize("seed", range(1000, 1010))
def test_killed_mid_work_leaves_whole_batches_and_a_sound_database(seed):
    assert crash_trials.trial(seed) == []


def test_the_checker_finds_a_half_written_batch(tmp_path):
    """The oracle itself must be able to fail."""
    import sqlite3

    from socdesk.io.seeds import open_database

    store = open_database(tmp_path / "data.db")
    store.close()
    with sqlite3.connect(tmp_path / "data.db") as c:
        c.execute(
            "INSERT INTO import_batches (file_name, sha256, imported_by, imported_at, rows) "
            "VALUES ('x.csv', '0', 't', 't', 5)"
        )
    assert crash_trials.check(tmp_path) == ["batch 1: 0 av 5 uppgifter"]
