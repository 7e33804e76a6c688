"""Write the workbooks of tests/data/excel/ that test *reading* (tests/test_excel_reading.py):
dates as dates, NBSP thousands and numbers stored as text, formulas with and without saved
values, hidden columns, rows and sheets, and .ods and .xls copies – saved the way Excel and
LibreOffice save them.

openpyxl writes each book as Excel would lay it out (date cells with number formats, text cells
holding numbers); it cannot calculate, so a formula it writes has no saved value – exactly the
refused case. The books with saved formula values, and the .ods and .xls copies, are made by
LibreOffice (``soffice --headless --convert-to``), which loads, recalculates and saves them. The
produced files are committed: tests never need LibreOffice. Run it again after a change:

    .venv/bin/python build_scripts/excel_fixtures.py        # needs soffice on PATH

The figures are listed in tests/data/excel/README.md; the test recomputes them from its own
copy of the rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "excel"
NBSP = "\u00a0"

# Huvudbok: Bokföringsdatum (dates), Ansvar, Konto, Belopp (numbers, and numbers stored as text)
LEDGER = [
    (date(2022, 1, 5), "7762", 4010, 1250.5),
    (date(2022, 1, 20), "7762", 4010, f"12{NBSP}500,25"),  # NBSP thousands, text
    (date(2022, 1, 31), "7762", 3010, "-3 400"),  # a number stored as text
    (date(2022, 2, 1), "7762", 5410, 800),
    (date(2022, 2, 14), "7764", 4010, f"2{NBSP}000"),
    (date(2022, 2, 28), "7764", 3010, -150.75),
]
# Bred tabell: Ansvar, 2021-11, 2021-12 (hidden), 2022-01; the row of 7767 hidden
WIDE = [
    ("7762", 100, 200, 300),
    ("7764", 1000, 2000, 3000),
    ("7767", 5, 6, 7),
]


def ledger_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Huvudbok"
    ws.append(["Bokföringsdatum", "Ansvar", "Konto", "Belopp"])
    for i, (day, unit, konto, amount) in enumerate(LEDGER, start=2):
        ws.append([day, unit, konto, amount])
        ws.cell(i, 1).number_format = "yyyy-mm-dd" if i % 2 else "d mmm yyyy"
        ws.cell(i, 2).number_format = "@"  # a code kept as text
        if not isinstance(amount, str):
            ws.cell(i, 4).number_format = "#,##0.00"
    return wb


def formula_book() -> Workbook:
    """Jan stated; Feb = Jan + 100 and Mar = Feb × 2, as formulas (D2–D4, E2–E4)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Ansvar", "Namn", "2022-01", "2022-02", "2022-03"])
    for r, (unit, name, jan) in enumerate(
        [("7762", "Hemtjänst", 1000), ("7764", "Boende", 250), ("7767", "Jupiter", 40)], 2
    ):
        ws.append([unit, name, jan, f"=C{r}+100", f"=D{r}*2"])
    return wb


def hidden_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Ansvar", "2021-11", "2021-12", "2022-01"])
    for row in WIDE:
        ws.append(list(row))
    ws.column_dimensions["C"].hidden = True
    ws.row_dimensions[4].hidden = True
    return wb


def hidden_sheet_book() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Ansvar", "2021-11", "2021-12"])
    ws.append(["7762", 10, 20])
    old = wb.create_sheet("Gammal")
    old.append(["Ansvar", "2021-11", "2021-12"])
    old.append(["7764", 999, 999])
    old.sheet_state = "hidden"
    return wb


def percent_book() -> Workbook:
    """A share formatted as a percentage (0,125 shown 12,5 %) beside a plain number."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Andelar"
    ws.append(["Ansvar", "Andel", "Antal"])
    ws.append(["7762", 0.125, 8])
    ws.cell(2, 2).number_format = "0.0%"
    return wb


def soffice(source: Path, target: Path, kind: str) -> None:
    """``source`` loaded (and recalculated) by LibreOffice and saved as ``target``."""
    filters = {"xlsx": "xlsx:Calc MS Excel 2007 XML", "ods": "ods", "xls": "xls:MS Excel 97"}
    with tempfile.TemporaryDirectory() as out:
        subprocess.run(
            ["soffice", "--headless", "--calc", "--convert-to", filters[kind], "--outdir", out, str(source)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        produced = Path(out) / (source.stem + "." + kind)
        shutil.move(produced, target)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    if shutil.which("soffice") is None:
        print("soffice (LibreOffice) is needed: apt-get install -y libreoffice-calc-nogui", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        books = {
            "datum_och_tal_som_text": ledger_book(),
            "formler_utan_sparade_varden": formula_book(),
            "dold_kolumn_och_rad": hidden_book(),
            "dolt_blad": hidden_sheet_book(),
            "procent": percent_book(),
        }
        for stem, wb in books.items():
            wb.save(OUT / f"{stem}.xlsx")  # as openpyxl (a program that does not calculate) writes it
        formulas = work / "formler_sparade_varden.xlsx"
        shutil.copy(OUT / "formler_utan_sparade_varden.xlsx", formulas)
        soffice(formulas, OUT / "formler_sparade_varden.xlsx", "xlsx")  # recalculated, values saved
        soffice(OUT / "procent.xlsx", OUT / "procent.ods", "ods")
        for stem in ("datum_och_tal_som_text", "dold_kolumn_och_rad", "dolt_blad"):
            for kind in ("ods", "xls"):
                soffice(OUT / f"{stem}.xlsx", OUT / f"{stem}.{kind}", kind)
        soffice(formulas, OUT / "formler_sparade_varden.ods", "ods")
    for f in sorted(OUT.glob("*")):
        print(f.name, f.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
