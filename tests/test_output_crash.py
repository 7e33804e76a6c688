"""Killed while writing an output (issue 11 §4): ``socdesk export`` and ``socdesk report`` are
SIGKILLed while they write over a good file; the settings file is killed mid-sync; an export
meets a full disk. Each time the old file is byte for byte what it was, or the new one is whole,
and nothing half-written is left. benchmarks/output_trials.py runs many more of these."""

import configparser
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import output_trials


@pytest.fixture(scope="module")
def trial_db(tmp_path_factory, demo_template):
    path = tmp_path_factory.mktemp("trials") / "demo.db"
    shutil.copyfile(demo_template, path)
    return path, output_trials.expected_content(path)


# killed 0,05 s and 0,1 s after the temporary file appears, inside the ~1 s the workbook and the
# PDF take to write; the CSV is written in milliseconds (old or new, whichever the kill finds)
TRIALS = [("xlsx", 1), ("pdf", 3), ("csv", 5)]


def test_killed_exports_and_reports_leave_the_old_file_or_a_whole_new_one(trial_db, tmp_path):
    db, expected = trial_db
    outcomes = []
    for kind, seed in TRIALS:
        folder = tmp_path / f"{kind}{seed}"
        folder.mkdir()
        outcome = output_trials.trial(kind, db, folder, seed, expected, in_write=0.4)
        assert outcome.problems == [], (kind, seed, outcome.problems)
        outcomes.append((kind, outcome))
    # the trials did what they are for: the kills came while a workbook or PDF was being written
    assert {kind for kind, o in outcomes if o.mid_write} & {"xlsx", "pdf"}, outcomes


def test_the_checker_tells_a_broken_file_from_the_old_and_a_whole_one(trial_db, tmp_path):
    """The oracle can fail: a truncated workbook, a truncated PDF and a short CSV are reported."""
    _db, expected = trial_db
    for kind in output_trials.KINDS:
        old = output_trials.old_file(kind)
        out = tmp_path / f"ut.{kind}"
        out.write_bytes(old)
        assert output_trials.check(kind, out, old, expected) == []
        out.write_bytes(old[: len(old) // 2])
        assert output_trials.check(kind, out, old, expected) != [], kind
    out = tmp_path / "hel.csv"
    out.write_bytes(expected["csv"])
    assert output_trials.check("csv", out, b"", expected) == []


SETTINGS_WRITER = """
import sys
from PySide6.QtCore import QSettings
s = QSettings(sys.argv[1], QSettings.Format.IniFormat)
i = int(s.value("database/last").removeprefix("/data/").removesuffix(".db"))  # go on from there
first = i + 1
while True:
    i += 1
    s.setValue("database/last", f"/data/{i}.db")
    s.setValue("big/text", ("x" * 400_000) + str(i))
    s.sync()
    if i == first:
        print("ready", flush=True)
"""


def test_a_killed_settings_write_keeps_a_whole_ini(tmp_path):
    """QSettings writes the INI through QSaveFile: a kill mid-sync leaves the old or the new file
    whole (each version's two keys agree), and open_settings clears what a kill can leave."""
    from socdesk.gui.settings import LAST_DATABASE, open_settings

    ini = tmp_path / "socdesk.ini"
    ini.write_text("[database]\nlast=/data/0.db\n[big]\ntext=x0\n", encoding="utf-8")
    rnd = random.Random(11)
    seen = []
    for _trial in range(3):
        with subprocess.Popen(
            [sys.executable, "-c", SETTINGS_WRITER, str(ini)], stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline() == "ready\n"
            proc.stdout.close()
            import time

            time.sleep(rnd.uniform(0.0, 0.3))
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        parsed = configparser.ConfigParser()
        parsed.read_string(ini.read_text(encoding="utf-8"))
        n = parsed["database"]["last"].removeprefix("/data/").removesuffix(".db")
        assert parsed["big"]["text"].endswith("x" + n), "the two keys come from different writes"
        seen.append(int(n))
    assert seen == sorted(set(seen)) and seen[0] > 0  # every kill found a newer whole file
    settings = open_settings(tmp_path)  # the app opening next: the INI reads, leftovers go
    assert LAST_DATABASE.get(settings).startswith("/data/")
    LAST_DATABASE.set(settings, "/data/next.db")
    settings.sync()
    del settings
    assert sorted(p.name for p in tmp_path.iterdir()) == ["socdesk.ini"]


@pytest.fixture
def small_disk(tmp_path):
    """A 600 kB tmpfs (root only); skipped, and said so, where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", str(mount)], capture_output=True)
    if r.returncode != 0:
        pytest.skip(f"no tmpfs here ({r.stderr.decode().strip()}): the full disk is tested by the unit test")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_an_export_to_a_full_disk_says_so_and_keeps_the_old_file(small_disk, trial_db):
    db, _expected = trial_db
    out = small_disk / "ut.csv"
    out.write_bytes(b"enhet;namn\r\nX;Gammal fil\r\n")
    (small_disk / "fyllnad").write_bytes(b"\0" * 300_000)  # the 500 kB export no longer fits
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "export", "--db", db, "-o", out],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert (
        r.stderr.strip()
        == f"socdesk: {out} kunde inte sparas: disken är full. Den tidigare filen är oförändrad."
    )
    assert out.read_bytes() == b"enhet;namn\r\nX;Gammal fil\r\n"
    assert sorted(p.name for p in small_disk.iterdir()) == ["fyllnad", "ut.csv"]
