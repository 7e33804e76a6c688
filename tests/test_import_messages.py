"""What an import says, as a user reads it: new, changed and unchanged figures told apart, the
preview in the present tense and the import in the past, sums in exact kronor, and a refused
file's error list that says how many errors it does not show. Through ``socdesk import`` as a
process and the wizard's labels."""

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from socdesk.store.safety import WriterLock

NB = "\u00a0"
HEADER = "enhet;namn;överordnad;period;mått;scenario;värde;skala\n"


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_new_changed_and_unchanged_figures_are_told_apart_on_the_command_line(demo_db, tmp_path):
    june = tmp_path / "juni.csv"
    june.write_text(
        HEADER + "7762;;;2024-06;netto;utfall;1 500;kr\n9999;Ny enhet;SN;2024-06;netto;utfall;2 000;kr\n",
        encoding="utf-8",
    )
    r = socdesk("import", june, "--db", demo_db, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "juni.csv: 2 rader gav 2 uppgifter för 2 enheter, jun 2024." in r.stdout
    assert "Uppgifter: 2 nya, 0 ändrade, 0 oförändrade." in r.stdout
    assert f"Nettokostnad, utfall jun 2024: 3{NB}500{NB}kr" in r.stdout  # not "4 tkr"
    assert "1 ny enhet skapas." in r.stdout and "skapades" not in r.stdout

    r = socdesk("import", june, "--db", demo_db)
    assert r.returncode == 0, r.stderr
    assert "Uppgifter: 2 nya, 0 ändrade, 0 oförändrade." in r.stdout
    assert "1 ny enhet skapades." in r.stdout

    again = tmp_path / "juni rättad.csv"
    again.write_text(
        HEADER + "7762;;;2024-06;netto;utfall;1 500,50;kr\n9999;;;2024-06;netto;utfall;2 000;kr\n",
        encoding="utf-8",
    )
    r = socdesk("import", again, "--db", demo_db, "--replace")
    assert r.returncode == 0, r.stderr
    assert "juni rättad.csv: 2 rader gav 2 uppgifter för 2 enheter" in r.stdout
    assert "Uppgifter: 0 nya, 1 ändrad, 1 oförändrad." in r.stdout
    assert f"Nettokostnad, utfall jun 2024: 3{NB}500,50{NB}kr" in r.stdout
    assert "ny enhet" not in r.stdout

    r = socdesk("import", again, "--db", demo_db, "--replace")  # the same file again, replaced
    assert r.returncode == 0, r.stderr
    assert "Uppgifter: 0 nya, 1 ändrad, 1 oförändrad." in r.stdout  # against the database without it


def test_three_new_units_in_the_plural(demo_db, tmp_path):
    f = tmp_path / "nya.csv"
    f.write_text(
        HEADER + "".join(f"99{i};Enhet {i};SN;2024-06;netto;utfall;1;kr\n" for i in range(3)),
        encoding="utf-8",
    )
    r = socdesk("import", f, "--db", demo_db, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "3 nya enheter skapas." in r.stdout and "Uppgifter: 3 nya, 0 ändrade, 0 oförändrade." in r.stdout


def test_a_ledger_with_a_hundred_bad_amounts_says_how_many_are_not_shown(demo_db, tmp_path):
    f = tmp_path / "huvudbok.csv"
    f.write_text(
        "Ansvar;Konto;Period;Belopp\n" + "".join(f"7762;4010;2024-06;12,3,{i}\n" for i in range(100)),
        encoding="utf-8",
    )
    r = socdesk("import", f, "--db", demo_db)
    assert r.returncode == 1
    assert r.stderr.count("kolumn Belopp") == 21  # 20 shown and the kind of the rest
    assert "… och 80 fel till (samma slag: kolumn Belopp)" in r.stderr
    assert "huvudbok.csv, rad 21, kolumn Belopp" in r.stderr and "rad 22," not in r.stderr


def test_a_long_csv_file_with_a_hundred_bad_periods_says_how_many_are_not_shown(demo_db, tmp_path):
    f = tmp_path / "lång.csv"
    f.write_text(HEADER + "".join("7762;;;2024-13;netto;utfall;1;kr\n" for _ in range(100)), encoding="utf-8")
    r = socdesk("import", f, "--db", demo_db)
    assert r.returncode == 1
    assert "… och 80 fel till (samma slag: kolumn period)" in r.stderr


SIE_HEAD = '#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#DIM 1 "Kostnadsst"\r\n'
MEASURES = "nyckel;namn;enhet;additiv_tid;additiv_enheter;additiv_uppdelning;högre_bättre;formel\n"


@pytest.mark.parametrize(
    ("name", "text", "tail"),
    [
        (
            "bok.se",
            SIE_HEAD + '#PSALDO 0 202406 4010 {1 "7762"} 12,3\r\n' * 100,
            "80 fel till (samma slag: #PSALDO)",
        ),
        (
            "kolada.csv",
            "kpi;municipality;period;gender;value;status\r\n" + "N1;0180;2023;T;x;\r\n" * 100,
            "80 fel till (samma slag: kolumn value)",
        ),
        (
            "bred.csv",
            "enhet;2024-01;2024-02\n" + "7762;x;y\n" * 50,
            "80 fel till (samma slag: kolumn 2024-01, kolumn 2024-02)",
        ),
        (
            "mått.csv",
            MEASURES + "".join(f"m{i};M;kr;kanske;ja;ja;nej;\n" for i in range(30)),
            "10 fel till (samma slag: kolumn additiv_tid)",
        ),
    ],
)
def test_every_reader_says_how_many_errors_it_does_not_show(demo_db, tmp_path, name, text, tail):
    f = tmp_path / name
    f.write_bytes(text.encode("cp437" if name.endswith(".se") else "utf-8"))
    if name == "mått.csv":  # the measures declared beside a file are read with it
        f = tmp_path / "lång.csv"
        f.write_text(HEADER + "7762;;;2024-06;netto;utfall;1;kr\n", encoding="utf-8")
    assert socdesk("export", "--db", demo_db, "-o", tmp_path / "före.csv").returncode == 0
    r = socdesk("import", f, "--db", demo_db)
    assert r.returncode == 1
    assert r.stderr.strip().endswith("… och " + tail)
    assert r.stderr.count(", rad ") == 20  # the 20 shown
    assert socdesk("export", "--db", demo_db, "-o", tmp_path / "efter.csv").returncode == 0
    assert (tmp_path / "före.csv").read_bytes() == (tmp_path / "efter.csv").read_bytes()  # nothing changed


def test_past_the_counting_bound_the_count_is_a_lower_bound(demo_db, tmp_path):
    from socdesk.core.numbers import format_number
    from socdesk.io.text import MAX_COUNTED, MAX_ERRORS

    f = tmp_path / "stor.csv"
    f.write_text(
        HEADER + "".join("7762;;;2024-13;netto;utfall;1;kr\n" for _ in range(MAX_COUNTED + 500)),
        encoding="utf-8",
    )
    r = socdesk("import", f, "--db", demo_db)
    assert r.returncode == 1
    assert (
        f"… och minst {format_number(MAX_COUNTED - MAX_ERRORS)} fel till (samma slag: kolumn period)"
        in r.stderr
    )


def test_the_wizard_tells_new_figures_from_changed_ones_and_sums_in_kronor(qtbot, workspace, tmp_path):
    f = tmp_path / "juni.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;1 500\n", encoding="utf-8")
    workspace.import_action.trigger()
    wizard = workspace.wizard
    wizard.file_page.path.setText(str(f))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    run = wizard.run_page
    assert wizard.currentPage() is run
    preview = run.summary.text()
    assert "1 rad gav" in preview and "Uppgifter: 2 nya, 0 ändrade, 0 oförändrade." in preview
    assert f"Nettokostnad, utfall jun 2024: 1{NB}500{NB}kr" in preview
    qtbot.mouseClick(run.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    done = wizard.done_page.text.text()
    assert "klar." in done and "Uppgifter: 2 nya, 0 ändrade, 0 oförändrade." in done
    wizard.accept()


def test_the_lock_file_stays_after_an_import_by_design_and_blocks_no_one(demo_db, tmp_path):
    f = tmp_path / "juni.csv"
    f.write_text(HEADER + "7762;;;2024-06;netto;utfall;1;kr\n", encoding="utf-8")
    assert socdesk("import", f, "--db", demo_db).returncode == 0
    lock = demo_db.parent / (demo_db.name + ".lock")
    assert lock.exists()  # the anchor of the OS lock, left by design (docs/storage.md)
    f.write_text(HEADER + "7762;;;2024-06;netto;utfall;2;kr\n", encoding="utf-8")
    assert socdesk("import", f, "--db", demo_db, "--replace").returncode == 0  # not a stale lock
    held = WriterLock(demo_db)
    held.acquire()  # another socdesk writing: the lock is the OS lock, not the file
    try:
        r = socdesk("import", f, "--db", demo_db, "--replace")
        assert r.returncode == 1 and "redan öppen för ändringar" in r.stderr
    finally:
        held.release()
