"""The command line as a user runs it: a real process, real files."""

import hashlib
import json
import subprocess
import sys

import pytest


def socdesk(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    r = socdesk("demo", "--db", path)
    assert r.returncode == 0, r.stderr
    assert "Demodatabasen skapad" in r.stdout
    lines = r.stdout.splitlines()  # Swedish plural forms and digit groups (issue 16: "1 nya enheter")
    assert "004_tertialrapport_1_2023.csv: 390 uppgifter, 1 ny enhet (batch 3)" in lines
    assert "002_socialtjanstrapporten_2024.csv: 1\u00a0372 uppgifter, 13 nya enheter (batch 5)" in lines
    return path


def test_demo_refuses_to_overwrite(demo):
    r = socdesk("demo", "--db", demo)
    assert r.returncode == 1 and "finns redan" in r.stderr


def test_check_json_reports_the_003_findings(demo):
    r = socdesk("check", "--db", demo, "--json")
    assert r.returncode == 0, r.stderr
    findings = json.loads(r.stdout)
    keys = {
        "rule",
        "severity",
        "unit",
        "measure",
        "scenario",
        "period",
        "stated",
        "computed",
        "message",
        "kön",
        "grupp",
        "version",
    }
    assert all(set(f) == keys for f in findings)
    by = {(f["rule"], f["unit"]): f for f in findings}
    f771 = by[("sum_mismatch", "771")]
    assert (f771["stated"], f771["computed"], f771["period"], f771["scenario"]) == (
        134114000,
        139324000,
        "2024",
        "budget",
    )
    assert "7779" in f771["message"]
    assert by[("sign_anomaly", "7779")]["severity"] == "warning"
    assert len(findings) == 20


def test_export_then_import_into_an_empty_database_gives_an_identical_export(demo, tmp_path):
    first = tmp_path / "a.csv"
    assert socdesk("export", "--db", demo, "-o", first).returncode == 0
    r = socdesk("import", first, "--db", tmp_path / "new.db")
    assert r.returncode == 0, r.stderr
    assert "batch 1" in r.stdout
    second = tmp_path / "b.csv"
    assert socdesk("export", "--db", tmp_path / "new.db", "-o", second).returncode == 0
    assert first.read_bytes() == second.read_bytes()


def test_a_bad_file_gives_file_row_column_and_a_nonzero_exit_and_changes_nothing(demo, tmp_path):
    bad = tmp_path / "fel.csv"
    bad.write_text(
        "enhet;namn;period;mått;scenario;värde\n7762;;2024-05;netto;utfall;1,2,3\n",
        encoding="utf-8",
    )
    before = hashlib.sha256(demo.read_bytes()).hexdigest()
    r = socdesk("import", bad, "--db", demo)
    assert r.returncode == 1
    assert "fel.csv, rad 2, kolumn värde" in r.stderr
    assert "databasen är oförändrad" in r.stderr
    assert hashlib.sha256(demo.read_bytes()).hexdigest() == before


def test_costs_negative_flag(tmp_path):
    f = tmp_path / "nacka.csv"
    f.write_text(
        "enhet;namn;period;mått;scenario;värde;skala\nN;Nämnd;2023-T1;netto;utfall;-332,6;mnkr\n",
        encoding="utf-8",
    )
    db = tmp_path / "n.db"
    assert socdesk("import", f, "--db", db, "--costs-negative").returncode == 0
    out = tmp_path / "out.csv"
    socdesk("export", "--db", db, "-o", out)
    assert "N;;;2023-T1;netto;utfall;332,6;mnkr" in out.read_text(encoding="utf-8")


def test_deviations_json_has_the_figures_and_flags(demo):
    r = socdesk("deviations", "--db", demo, "--period", "2024-05", "--unit", "771", "--json")
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    keys = {
        "unit",
        "name",
        "period",
        "actual",
        "budget",
        "variance",
        "variance_pct",
        "variance_pct_note",  # why the percentage is null, where it would mislead
        "budget_reconstructed",  # budget from the months rebuilt from the stated pieces
        "annual_budget",
        "forecast",
        "forecast_variance",
        "level",
        "reasons",
        "comment",
        "partial",  # utfall resting on units that have not all reported
        "mismatches",  # stated figures that differ from their children
    }
    assert all(set(row) == keys for row in rows)
    by = {row["unit"]: row for row in rows}
    assert set(by) == {"771", *(u for u in by if u.startswith("7") and len(u) == 4)} and len(by) == 16
    hem = by["7762"]
    assert (hem["actual"], hem["budget"], hem["variance"], hem["annual_budget"]) == (
        17175000,
        15169000,
        -2006000,
        35178000,
    )
    assert hem["period"] == "2024-01/2024-05" and hem["level"] == "red" and hem["variance_pct"] == -13.22
    assert any("Avvikelse hittills i år" in reason for reason in hem["reasons"])
    assert by["7401"]["level"] == "green" and by["7401"]["reasons"] == []
    flagged = json.loads(
        socdesk(
            "deviations", "--db", demo, "--period", "2024-05", "--unit", "771", "--flagged", "--json"
        ).stdout
    )
    assert {row["level"] for row in flagged} <= {"red", "yellow"}
    assert next(row["unit"] for row in flagged) == "7762"  # worst first


def test_deviations_forecast_from_the_latest_prognos(demo):
    rows = json.loads(
        socdesk("deviations", "--db", demo, "--period", "2023-04", "--unit", "N", "--json").stdout
    )
    n = next(row for row in rows if row["unit"] == "N")
    assert (n["forecast"], n["annual_budget"], n["forecast_variance"]) == (1008400000, 1010400000, 2000000)
    r = socdesk("deviations", "--db", demo, "--period", "2023", "--unit", "N")
    assert r.returncode == 1 and "ska vara en månad" in r.stderr


def test_lock_reopen_and_history_from_the_command_line(tmp_path, demo_db):
    base = tmp_path / "base"
    base.mkdir()
    r = socdesk("--basedir", base, "lock", "--db", demo_db, "--unit", "SN", "--period", "2024-06")
    assert r.returncode == 1 and "Handläggare får inte" in r.stderr
    (base / "socdesk.ini").write_text("[user]\nrole=controller\n", encoding="utf-8")
    r = socdesk("--basedir", base, "lock", "--db", demo_db, "--unit", "SN", "--period", "2024-06")
    assert r.returncode == 0 and "jun 2024 är låst för SN" in r.stdout
    from socdesk.store.backup import list_backups

    assert [b.reason for b in list_backups(base / "backups", demo_db)] == ["periodlas"]
    f = tmp_path / "juni.csv"
    f.write_text(
        "enhet;period;mått;scenario;värde;skala\n7762;2024-06;netto;utfall;3 400;tkr\n", encoding="utf-8"
    )
    r = socdesk("--basedir", base, "import", f, "--db", demo_db)
    assert r.returncode == 1 and "juni.csv, rad 2, kolumn period: 7762 jun 2024 är låst" in r.stderr
    r = socdesk(
        "--basedir",
        base,
        "reopen",
        "--db",
        demo_db,
        "--unit",
        "SN",
        "--period",
        "2024-06",
        "--reason",
        "Rättelse",
    )
    assert r.returncode == 0
    assert socdesk("--basedir", base, "import", f, "--db", demo_db).returncode == 0
    r = socdesk("history", "--db", demo_db, "--unit", "7762", "--period", "2024-06")
    assert "– → 3 400 000" in r.stdout.replace("\u00a0", " ") and "import (juni.csv)" in r.stdout
