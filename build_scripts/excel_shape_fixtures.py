"""Workbooks laid out the way controllers lay them out (issue 14 §2, shapes), written with
openpyxl as Excel sv-SE saves them: real merged cells, dates as dates with Excel's month format
(``mmm-yy`` shows ``jan-26``), numbers as numbers with a thousands format, a bold title. The
figures are the ones ``tests/test_excel_shapes.py`` recomputes from the cells themselves.

    python build_scripts/excel_shape_fixtures.py      # writes tests/data/excel/shape_*.xlsx

The files are committed; run this again only to change them (the output is deterministic:
fixed document times)."""

from __future__ import annotations

import re
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "excel"
YEAR = 2026
UNITS = [("7711", "Särskilt boende Furugården"), ("7712", "Särskilt boende Sörgården"), ("7762", "Hemtjänst")]
# kronor per unit and month, jan … jun (whole and with öre)
FIGURES = {
    "7711": [812_400, 798_150.5, 805_000, 811_250, 799_900, 803_300],
    "7712": [655_000, 660_250, 649_800.25, 652_000, 658_400, 661_100],
    "7762": [1_204_300, 1_198_700, 1_210_000, 1_205_500.75, 1_199_000, 1_202_600],
}
THOUSANDS = "#,##0.00"  # Excel sv-SE shows 1 204 300,00
MONTH_FORMAT = "mmm-yy"  # Excel sv-SE: jan-26


def _book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    when = datetime(2026, 3, 1, 9, 0, 0)
    book.properties.created = when
    book.properties.modified = when
    book.properties.creator = "Controller"
    return book


def _save(book: Workbook, name: str) -> Path:
    """Saved, then the zip rewritten with fixed member times and document dates (openpyxl
    stamps both with the time of saving), so that running the script again changes nothing."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    book.save(path)
    with zipfile.ZipFile(path) as z:
        members = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for filename, data in members:
            if filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-03-01T09:00:00Z", data)
            z.writestr(zipfile.ZipInfo(filename, date_time=(2026, 3, 1, 9, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return path


def _totals(months: int) -> list[float]:
    return [sum(FIGURES[u][m] for u, _n in UNITS) for m in range(months)]


def title_rows() -> Path:
    """Two title rows and an empty row above the header; months as date cells (``jan-26``);
    a "Summa" row at the bottom that agrees with the rows above."""
    book = _book()
    ws = book.create_sheet("Utfall")
    ws["A1"] = f"Budgetuppföljning socialnämnden {YEAR}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = "Utfall i kronor per ansvar"
    header = ["Ansvar", "Benämning"] + [date(YEAR, m, 1) for m in range(1, 7)]
    ws.append([])
    ws.append(header)
    for c in range(3, 9):
        ws.cell(4, c).number_format = MONTH_FORMAT
    for code, name in UNITS:
        ws.append([code, name, *FIGURES[code]])
    ws.append(["Summa", "", *_totals(6)])
    for row in ws.iter_rows(min_row=5, min_col=3):
        for cell in row:
            cell.number_format = THOUSANDS
    return _save(book, "shape_title_rows.xlsx")


def two_row_header() -> Path:
    """A title row; the year merged over the months (C3:H3, the year a number), the month
    names below it; Ansvar and Benämning merged down over both header rows; "Totalt" row."""
    book = _book()
    ws = book.create_sheet("Blad1")
    ws["A1"] = "Utfall per månad, kr"
    ws["A3"], ws["B3"], ws["C3"] = "Ansvar", "Benämning", YEAR
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:B4")
    ws.merge_cells("C3:H3")
    ws["C3"].alignment = Alignment(horizontal="center")
    for m, name in enumerate(["jan", "feb", "mar", "apr", "maj", "jun"], start=3):
        ws.cell(4, m, name)
    for r, (code, name) in enumerate(UNITS, start=5):
        ws.cell(r, 1, int(code))  # codes typed as numbers
        ws.cell(r, 2, name)
        for m, v in enumerate(FIGURES[code], start=3):
            ws.cell(r, m, v).number_format = THOUSANDS
    r = 5 + len(UNITS)
    ws.cell(r, 1, "Totalt")
    for m, v in enumerate(_totals(6), start=3):
        ws.cell(r, m, v).number_format = THOUSANDS
    return _save(book, "shape_two_row_header.xlsx")


BUDGET = {"7711": [800_000] * 3, "7712": [650_000] * 3, "7762": [1_200_000] * 3}


def budget_over_utfall() -> Path:
    """ "Budget" merged over jan–mar and "Utfall" merged over jan–mar: one sheet, two scenarios."""
    book = _book()
    ws = book.create_sheet("Budget och utfall")
    ws["A1"], ws["B1"], ws["C1"], ws["F1"] = "Ansvar", "Benämning", "Budget", "Utfall"
    ws.merge_cells("A1:A2")
    ws.merge_cells("B1:B2")
    ws.merge_cells("C1:E1")
    ws.merge_cells("F1:H1")
    for c, m in enumerate([1, 2, 3, 1, 2, 3], start=3):
        ws.cell(2, c, f"{['jan', 'feb', 'mar'][m - 1]} {YEAR}")
    for r, (code, name) in enumerate(UNITS, start=3):
        ws.cell(r, 1, code)
        ws.cell(r, 2, name)
        for c, v in enumerate(BUDGET[code] + FIGURES[code][:3], start=3):
            ws.cell(r, c, v).number_format = THOUSANDS
    return _save(book, "shape_budget_over_utfall.xlsx")


MONTH_HEADERS = ["jan-26", "feb 26", "2026M03", "april 2026", "Maj 2026", date(YEAR, 6, 1)]


def month_forms() -> Path:
    """Six month headers, six ways: ``jan-26`` (text), ``feb 26``, ``2026M03``, ``april 2026``,
    ``Maj 2026``, and a date cell shown as ``jun-26``."""
    book = _book()
    ws = book.create_sheet("Månader")
    ws.append(["Ansvar", "Benämning", *MONTH_HEADERS])
    ws.cell(1, 8).number_format = MONTH_FORMAT
    for code, name in UNITS:
        ws.append([code, name, *FIGURES[code]])
    return _save(book, "shape_month_forms.xlsx")


def extra_sheets() -> Path:
    """An instructions sheet first, the data, a chart-data sheet (months and sums, no unit), and
    a hidden sheet of old figures that must not be read."""
    book = _book()
    ws = book.create_sheet("Instruktioner")
    ws["A1"] = "Så fyller du i"
    ws["A3"] = "Fyll i utfallet per ansvar och månad på bladet Data."
    ws["A4"] = "Skriv belopp i kronor. Ändra inte rubrikerna."
    data = book.create_sheet("Data")
    data.append(["Ansvar", "Benämning", *[f"{YEAR}M{m:02d}" for m in range(1, 4)]])
    for code, name in UNITS:
        data.append([code, name, *FIGURES[code][:3]])
    chart = book.create_sheet("Diagramdata")
    chart.append(["Månad", "Budget", "Utfall"])
    for m, total in enumerate(_totals(3), start=1):
        chart.append([date(YEAR, m, 1), 2_650_000, total])
    old = book.create_sheet("Gammalt")
    old.append(["Ansvar", "Benämning", *[f"{YEAR}M{m:02d}" for m in range(1, 4)]])
    old.append(["7711", "Särskilt boende Furugården", 1, 2, 3])
    old.sheet_state = "hidden"
    return _save(book, "shape_extra_sheets.xlsx")


LEDGER = [  # ansvar, konto, datum, belopp, text
    ("7762", "4010", date(YEAR, 1, 15), 120_000.5, "Löner"),
    ("7762", "5410", date(YEAR, 1, 20), 8_450, "Förbrukning"),
    ("7762", "3010", date(YEAR, 1, 31), -15_000, "Avgifter"),
    ("7711", "4010", date(YEAR, 2, 15), 98_300, "Löner"),
    ("7711", "6110", date(YEAR, 2, 28), 1_250.25, "Telefoni"),
]


def ledger_totals() -> Path:
    """Ledger rows with dates as dates, then a totals row with an empty date and "Summa" in the
    text column; a second sheet ends with "Summa" in the Ansvar column and a total that does
    not agree with its rows (a row was deleted after the sum was typed)."""
    book = _book()
    ws = book.create_sheet("Huvudbok")
    ws.append(["Ansvar", "Konto", "Datum", "Belopp", "Text"])
    for row in LEDGER:
        ws.append(list(row))
    ws.append(["", "", None, sum(r[3] for r in LEDGER), "Summa"])
    for row in ws.iter_rows(min_row=2, min_col=3, max_col=3):
        row[0].number_format = "yyyy-mm-dd"
    ws2 = book.create_sheet("Mars")
    ws2.append(["Ansvar", "Konto", "Datum", "Belopp", "Text"])
    ws2.append(["7712", "4010", date(YEAR, 3, 15), 70_000, "Löner"])
    ws2.append(["7712", "5410", date(YEAR, 3, 20), 2_000, "Förbrukning"])
    ws2.append(["Summa", "", None, 75_000, ""])
    return _save(book, "shape_ledger_totals.xlsx")


def wrong_total() -> Path:
    """A wide sheet whose "Summa" row disagrees with its rows in February."""
    book = _book()
    ws = book.create_sheet("Utfall")
    ws.append(["Ansvar", "Benämning", f"jan {YEAR}", f"feb {YEAR}"])
    for code, name in UNITS:
        ws.append([code, name, *FIGURES[code][:2]])
    totals = _totals(2)
    ws.append(["Summa", "", totals[0], totals[1] + 1000])
    return _save(book, "shape_wrong_total.xlsx")


def title_in_tkr() -> Path:
    """The title row says the amounts are in tkr ("Utfall per ansvar, tkr"), the header names
    only the months; the amounts are the same figures in tkr with one decimal (1 204,3)."""
    book = _book()
    ws = book.create_sheet("Utfall")
    ws["A1"] = f"Utfall per ansvar {YEAR}, tkr"
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append(["Ansvar", "Benämning"] + [f"{m} {YEAR}" for m in ("jan", "feb", "mar")])
    for code, name in UNITS:
        ws.append([code, name, *(round(v / 1000, 1) for v in FIGURES[code][:3])])
    for row in ws.iter_rows(min_row=4, min_col=3):
        for cell in row:
            cell.number_format = "#,##0.0"
    return _save(book, "shape_title_tkr.xlsx")


BUILDERS = [
    title_rows,
    title_in_tkr,
    two_row_header,
    budget_over_utfall,
    month_forms,
    extra_sheets,
    ledger_totals,
    wrong_total,
]


def main() -> int:
    for build in BUILDERS:
        print(build().relative_to(OUT.parent.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
