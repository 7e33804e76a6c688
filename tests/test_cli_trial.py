"""What a new user ran into with the command line on their own files (issue 14's trial): a unit
cell holding code and name, --header-row beside an instructions sheet, --as-unit naming no unit,
a missing file, argparse's own words, and output piped into ``head``."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

SEEDS_SIE = Path(__file__).resolve().parents[2] / "shared" / "sie-corpus" / "sie4j"


def socdesk(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def board(tmp_path: Path) -> Path:
    """A database with SN and its units 7500 and 7540, named as in the demo."""
    db = tmp_path / "b.db"
    (tmp_path / "units.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\n"
        "SN;Socialnämnden;2023;netto;utfall;1\n"
        "7500;Ledning verkställighet IFO;2023;netto;utfall;1\n"
        "7540;Familjecentral;2023;netto;utfall;1\n",
        encoding="utf-8",
    )
    r = socdesk("import", tmp_path / "units.csv", "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    return db


def exported(db: Path, tmp_path: Path) -> dict[tuple[str, str], Decimal]:
    out = tmp_path / "all.csv"
    r = socdesk("export", "--db", db, "-o", out)
    assert r.returncode == 0, r.stderr
    rows = csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")), delimiter=";")
    return {
        (row["enhet"], row["period"]): Decimal(
            row["värde"].replace("\u00a0", "").replace(" ", "").replace(",", ".")
        )
        for row in rows
        if row["scenario"] == "utfall" and row["mått"] == "netto" and row["period"].startswith("2024")
    }


def workbook(path: Path, units: list[str], *, instructions: bool = False) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    if instructions:
        ws.title = "Instruktioner"
        ws["A1"] = "Fyll i utfallet per ansvar på bladet Utfall 2024."
        ws = wb.create_sheet("Utfall 2024")
    ws.append(["Socialnämnden – utfall 2024"])
    ws.append([])
    ws.append(["Ansvar", "jan-24", "feb-24"])
    for i, unit in enumerate(units):
        ws.append([unit, 1000 + i, 2000 + i])
    wb.save(path)


def test_a_unit_cell_with_code_and_name_is_that_unit_not_a_new_one(tmp_path):
    db = board(tmp_path)
    book = tmp_path / "ansvar.xlsx"
    workbook(book, ["7500 Ledning verkställighet IFO", "7540 Familjecentral"])
    r = socdesk("import", book, "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    assert "lästa som enhetens kod: ”7500 Ledning verkställighet IFO” → 7500" in r.stdout
    assert "nya enheter" not in r.stdout and "ny enhet" not in r.stdout, r.stdout
    figures = exported(db, tmp_path)
    assert figures == {
        ("7500", "2024-01"): Decimal(1000),
        ("7500", "2024-02"): Decimal(2000),
        ("7540", "2024-01"): Decimal(1001),
        ("7540", "2024-02"): Decimal(2001),
    }


def test_a_code_with_another_units_name_is_still_unknown(tmp_path):
    db = board(tmp_path)
    book = tmp_path / "fel.xlsx"
    workbook(book, ["7500 Familjecentral"])
    r = socdesk("import", book, "--db", db)
    assert r.returncode == 1
    assert "1 enhetskod finns inte i databasen: 7500 Familjecentral" in r.stderr
    assert "--create-under KOD" in r.stderr


def test_header_row_applies_to_the_data_sheet_beside_an_instructions_sheet(tmp_path):
    db = board(tmp_path)
    book = tmp_path / "med_instruktioner.xlsx"
    workbook(book, ["7500", "7540"], instructions=True)
    r = socdesk("import", book, "--db", db, "--header-row", "3")
    assert r.returncode == 0, r.stderr
    assert "Blad ”Instruktioner” har inga siffror och lästes inte." in r.stdout
    assert exported(db, tmp_path)[("7540", "2024-02")] == Decimal(2001)


def test_as_unit_naming_no_unit_says_so(tmp_path):
    db = board(tmp_path)
    before = db.read_bytes()
    r = socdesk("import", SEEDS_SIE / "BLBLOV_SIE4.SI", "--db", db, "--as-unit", "99999")
    assert r.returncode == 1
    assert "--as-unit 99999: enheten 99999 finns inte i databasen" in r.stderr
    assert db.read_bytes() == before


def test_missing_file_folder_and_arguments_are_said_in_swedish(tmp_path):
    db = board(tmp_path)
    r = socdesk("import", tmp_path / "saknas.xlsx", "--db", db)
    assert r.returncode == 1 and "saknas.xlsx lästes inte in" in r.stderr
    assert "filen finns inte" in r.stderr and "No such file" not in r.stderr
    r = socdesk("import", tmp_path, "--db", db)
    assert "det är en mapp, inte en fil" in r.stderr
    r = socdesk("import")
    assert r.returncode == 2
    assert "användning: socdesk import" in r.stderr
    assert "fel: dessa argument saknas: FIL, --db" in r.stderr
    assert "argument:" in socdesk("import", "--help").stdout


def test_output_piped_into_head_ends_without_a_traceback(tmp_path):
    db = board(tmp_path)
    book = tmp_path / "ansvar.xlsx"
    workbook(book, ["7500", "7540"])
    proc = subprocess.Popen(
        [sys.executable, "-m", "socdesk", "import", str(book), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    proc.stdout.close()  # the reader is gone before the program writes its first line
    with proc.stderr:
        stderr = proc.stderr.read()
    assert proc.wait(timeout=300) == 1
    assert "Traceback" not in stderr and "BrokenPipe" not in stderr, stderr
    assert exported(db, tmp_path)[("7500", "2024-01")] == Decimal(1000)  # the import itself was kept


def test_a_figure_rounded_by_its_cell_format_is_said_in_the_summary(tmp_path):
    db = board(tmp_path)
    book = tmp_path / "format_0.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Ansvar", "jan-24", "feb-24"])
    ws.append(["7500", 101234.5, 1000])
    ws.append(["7540", 2000, 3000])
    for row in ws.iter_rows(min_row=2, min_col=2):
        for cell in row:
            cell.number_format = "#,##0"
    wb.save(book)
    r = socdesk("import", book, "--db", db)
    assert r.returncode == 0, r.stderr
    assert (
        "1 cell lästes som den visas, avrundad efter sitt talformat: B2 (101\u00a0234,5 → 101\u00a0235)"
        in r.stdout
    )
    assert exported(db, tmp_path)[("7500", "2024-01")] == Decimal(101235)  # as Excel shows it
