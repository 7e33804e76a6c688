"""Numbers in a workbook are imported as Excel shows them (socdesk.io.numfmt): the decimals the
number format shows for the value's section, a %-format as the percentage shown; and every
message says where in one way (file, blad, rad, kolumn header (letter)). Workbooks are written
by openpyxl with the exact format strings Excel uses, and imported with ``socdesk import``."""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from socdesk.core.numbers import NBSP, Scale, parse_number
from socdesk.io.longcsv import export_rows
from socdesk.io.numfmt import shown
from socdesk.io.seeds import open_database

ACCOUNTING = '_-* #,##0.00\\ "kr"_-;\\-* #,##0.00\\ "kr"_-;_-* "-"??\\ "kr"_-;_-@_-'
LONG = ["enhet", "period", "mått", "scenario", "värde"]


def socdesk(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def workbook(path: Path, rows: list[list[object]], formats: dict[tuple[int, int], str]) -> Path:
    """A sheet Blad1 with ``rows``; ``formats``: (row, column) from 1 → number format."""
    book = Workbook()
    ws = book.active
    ws.title = "Blad1"
    for row in rows:
        ws.append(row)
    for (r, c), fmt in formats.items():
        ws.cell(r, c).number_format = fmt
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())
    return path


def stated(db: Path, units: list[str], measure: str = "netto", period: str = "2024-06") -> dict[str, Decimal]:
    """The units' utfall for ``period`` as the store holds it, in kronor (or the measure's unit)."""
    store = open_database(db)
    try:
        header, *rows = export_rows(store, units)
    finally:
        store.close()
    out = {}
    for row in rows:
        d = dict(zip(header, row, strict=True))
        if d["period"] == period and d["mått"] == measure and d["scenario"] == "utfall":
            out[d["enhet"]] = parse_number(d["värde"]) * Scale.parse(d.get("skala", "")).factor
    return out


CASES = [  # unit, cell value, format, what Excel shows as a number (what is stored)
    ("9001", -2.5, "0", "-3"),
    ("9002", 1234.5, "#,##0", "1235"),
    ("9003", 0.125, '#,##0.00\\ "kr"', "0.13"),
    ("9004", 0.125, "#,##0.00_ ;[Red]\\-#,##0.00\\ ", "0.13"),
    ("9005", -0.125, "#,##0.00_ ;[Red]\\-#,##0.00\\ ", "-0.13"),
    ("9006", 0.125, ACCOUNTING, "0.13"),
    ("9007", -0.125, ACCOUNTING, "-0.13"),
    ("9008", 0.125, "0.00;[Red]0.00", "0.13"),
    ("9009", -0.5, '0.00;"minus "0', "-1"),  # the negative section shows no decimals
    ("9010", 1234567, "#,##0,", "1235000"),  # a trailing comma: shown in thousands
    ("9011", 1234567.5, '[$-41D]#,##0.0" tkr";[Red]-#,##0.0" tkr"', "1234567.5"),
    ("9012", 0.125, "General", "0.125"),
    ("9013", 12345.678, "0.00E+00", "12345.678"),  # scientific: read at full precision
    ("9014", 0.125, "[>100]0;0.00", "0.125"),  # a condition: read at full precision
    ("9015", 0.125, "@", "0.125"),
]


def test_xlsx_numbers_are_stored_as_their_number_format_shows_them(demo_db, tmp_path):
    rows = [["Ansvar", "jun 2024", "jul 2024"]] + [[unit, value, 1] for unit, value, _f, _s in CASES]
    formats = {(r, 2): fmt for r, (_u, _v, fmt, _s) in enumerate(CASES, start=2)}
    path = workbook(tmp_path / "budget.xlsx", rows, formats)
    r = socdesk("import", path, "--db", demo_db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    got = stated(demo_db, [unit for unit, *_rest in CASES])
    assert got == {unit: Decimal(expected) for unit, _v, _f, expected in CASES}


@pytest.mark.parametrize(
    ("fmt", "value", "decimals", "percent"),
    [
        ("0.0%", Decimal("0.125"), 3, True),
        ("0%", Decimal("0.125"), 2, True),
        ('#,##0.00" kr";-#,##0.0" kr"', Decimal("-1"), 1, False),
        ('0.00;-0.00;"–"', Decimal("0"), None, False),  # the zero section shows no digits
        ("#,##0,,", Decimal("1"), -6, False),
        ('"Summa "#,##0.00', Decimal("1"), 2, False),
        ("0.0*-", Decimal("1"), 1, False),
        ("yyyy-mm-dd", Decimal("45000"), None, False),
    ],
)
def test_the_decimals_a_format_shows(fmt, value, decimals, percent):
    assert (shown(fmt, value).decimals, shown(fmt, value).percent) == (decimals, percent)


def test_a_percent_cell_is_the_percentage_shown_and_refused_for_money(demo_db, tmp_path):
    """andel_regi (a measure in %) 0,125 formatted 0.0 % is 12,5 (Excel shows 12,5 %), as the
    text 12,5 % is; the same cell for netto (kr) is refused, naming file, sheet, row, column."""
    good = workbook(
        tmp_path / "andel.xlsx",
        [
            LONG,
            ["7762", "2024-06", "andel_regi", "utfall", 0.125],
            ["7762", "2024-05", "andel_regi", "utfall", "12,5 %"],
        ],
        {(2, 5): "0.0%"},
    )
    r = socdesk("import", good, "--db", demo_db)
    assert r.returncode == 0, r.stderr
    assert stated(demo_db, ["7762"], "andel_regi") == {"7762": Decimal("12.5")}  # the cell
    assert stated(demo_db, ["7762"], "andel_regi", "2024-05") == {"7762": Decimal("12.5")}  # the text

    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    long_money = workbook(
        tmp_path / "netto.xlsx",
        [LONG, ["7762", "2024-06", "netto", "utfall", 100], ["7762", "2024-07", "netto", "utfall", 0.125]],
        {(3, 5): "0.0%"},
    )
    wide_money = workbook(
        tmp_path / "bred.xlsx", [["Ansvar", "jun 2024", "jul 2024"], ["7762", 0.5, 1]], {(2, 2): "0%"}
    )
    ledger_money = workbook(
        tmp_path / "huvudbok.xlsx",
        [["Ansvar", "Konto", "Period", "Belopp"], ["7762", "4010", "2024-06", 0.5]],
        {(2, 4): "0%"},
    )
    wide_text = tmp_path / "bred.csv"
    wide_text.write_text("Ansvar;jun 2024;jul 2024\n7762;12 %;1\n", encoding="utf-8")
    for path, where, shown_as in [
        (wide_text, "bred.csv, rad 2, kolumn jun 2024", f"12{NBSP}%"),
        (long_money, "netto.xlsx, blad Blad1, rad 3, kolumn värde (E)", f"12,5{NBSP}%"),
        (wide_money, "bred.xlsx, blad Blad1, rad 2, kolumn jun 2024 (B)", f"50{NBSP}%"),
        (ledger_money, "huvudbok.xlsx, blad Blad1, rad 2, kolumn Belopp (D)", f"50{NBSP}%"),
    ]:
        r = socdesk("import", path, "--db", demo_db, "--create-under", "SN")
        assert r.returncode == 1, (path, r.stdout)
        assert f"{where}: värdet är i procent ({shown_as}), men " in r.stderr, r.stderr
        assert "mäts i kr, inte i %" in r.stderr
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_a_figure_stated_twice_is_shown_in_kr_in_swedish_format(demo_db, tmp_path):
    path = tmp_path / "dub2.csv"
    path.write_text(
        "enhet;period;mått;scenario;värde;skala\n"
        "7762;2024-06;netto;utfall;100;kr\n"
        "7762;2024-07;netto;utfall;5;kr\n"
        "7762;2024-06;netto;utfall;1 000;tkr\n",
        encoding="utf-8",
    )
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    r = socdesk("import", path, "--db", demo_db)
    assert r.returncode == 1
    assert (
        "dub2.csv, rad 4, kolumn värde: samma uppgift som rad 2 men ett annat värde "
        f"(1{NBSP}000{NBSP}000{NBSP}kr och 100{NBSP}kr)." in r.stderr
    ), r.stderr
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def test_a_workbook_cell_is_named_by_its_header_and_letter_on_every_layout(demo_db, tmp_path):
    long_path = workbook(tmp_path / "xtext.xlsx", [LONG, ["7762", "2024-06", "netto", "utfall", "abc"]], {})
    r = socdesk("import", long_path, "--db", demo_db)
    assert r.returncode == 1
    assert "xtext.xlsx, blad Blad1, rad 2, kolumn värde (E): ”abc” är inget tal." in r.stderr, r.stderr
