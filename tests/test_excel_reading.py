"""Workbooks as Excel and LibreOffice save them (tests/data/excel/, written by
build_scripts/excel_fixtures.py; README.md there lists them): dates as dates, NBSP thousands and
numbers stored as text, formulas read by their saved values (and refused without them), hidden
columns, rows and sheets left out and named unless chosen, .ods and .xls copies; and the bounds
in front of the .ods and .xls readers. The expected figures are recomputed here from this file's
own copy of what the script wrote."""

import io
import re
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.io import importer, workbook
from socdesk.io.seeds import open_database
from socdesk.io.sheets import Percent, SheetError, formula_notes, read_sheets
from socdesk.io.tables import TableError

DATA = Path(__file__).parent / "data" / "excel"
NBSP = "\u00a0"
# What excel_fixtures.py writes (its LEDGER and WIDE), restated: (date, unit, konto, amount as written)
LEDGER = [
    ("2022-01-05", "7762", 4010, 1250.5),
    ("2022-01-20", "7762", 4010, f"12{NBSP}500,25"),
    ("2022-01-31", "7762", 3010, "-3 400"),
    ("2022-02-01", "7762", 5410, 800),
    ("2022-02-14", "7764", 4010, f"2{NBSP}000"),
    ("2022-02-28", "7764", 3010, -150.75),
]
WIDE = {"7762": (100, 200, 300), "7764": (1000, 2000, 3000), "7767": (5, 6, 7)}  # 2021-11, -12, 2022-01
WIDE_MONTHS = [Period.month(2021, 11), Period.month(2021, 12), Period.month(2022, 1)]
HIDDEN_NOTE = (
    "blad Data: kolumn C (2021-12) och rad 4 är dolda och lästes inte; välj ”Ta med dolda rader "
    "och kolumner” (socdesk import --include-hidden) för att läsa dem."
)


@pytest.fixture
def store(demo_db):
    s = open_database(demo_db)
    yield s
    s.close()


def value(store, unit, measure, period):
    v = store.value(unit, store.measures()[measure], Scenario.ACTUAL, period)
    return v.number if v.is_number else None


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=300
    )


def amount(written) -> Decimal:
    """The amount a controller sees in the cell: a number, or Swedish text with spaces."""
    if not isinstance(written, str):
        return Decimal(str(written))
    return Decimal(written.replace(NBSP, "").replace(" ", "").replace(",", "."))


def ledger_sums() -> dict[tuple[str, str, Period], Decimal]:
    out: dict[tuple[str, str, Period], Decimal] = {}
    for day, unit, konto, written in LEDGER:
        measure = "intakter" if 3000 <= konto < 4000 else "kostnader"
        key = (unit, measure, Period.month(int(day[:4]), int(day[5:7])))
        out[key] = out.get(key, Decimal(0)) + amount(written)
    return out


@pytest.mark.parametrize("suffix", ["xlsx", "ods", "xls"])
def test_dates_as_dates_and_numbers_stored_as_text_import_per_unit_and_month(store, suffix):
    r = importer.import_path(store, DATA / f"datum_och_tal_som_text.{suffix}")
    assert r.summary.rows == len(LEDGER)
    sums = ledger_sums()
    assert len(sums) == 5  # 7762 jan kostnader, intäkter; feb kostnader; 7764 feb both
    for (unit, measure, period), expected in sums.items():
        assert value(store, unit, measure, period) == expected, (unit, measure, period)
    assert value(store, "7762", "kostnader", Period.month(2022, 1)) == Decimal("13750.75")


def test_formulas_are_read_by_their_saved_values_and_named_in_the_summary(demo_db):
    out = socdesk("import", DATA / "formler_sparade_varden.xlsx", "--db", demo_db)
    assert out.returncode == 0, out.stderr
    assert (
        "formler_sparade_varden.xlsx, blad Data: 6 celler är formler; deras sparade värden lästes: "
        "D2–D4, E2–E4." in out.stdout
    )
    store = open_database(demo_db)
    try:
        for unit, jan in {"7762": 1000, "7764": 250, "7767": 40}.items():
            feb, mar = jan + 100, (jan + 100) * 2  # =C+100, =D*2
            assert [value(store, unit, "netto", Period.month(2022, m)) for m in (1, 2, 3)] == [jan, feb, mar]
    finally:
        store.close()


def test_formulas_of_an_ods_file_are_named_too(store):
    r = importer.import_path(store, DATA / "formler_sparade_varden.ods")
    assert "formler_sparade_varden.ods, blad Data: 6 celler är formler" in "\n".join(r.summary.notes)
    assert value(store, "7764", "netto", Period.month(2022, 3)) == 700


def test_a_formula_without_a_saved_value_is_refused_naming_the_cell(demo_db):
    store = open_database(demo_db)
    before = (store.facts_count(), len(store.batches()))
    store.close()
    out = socdesk("import", DATA / "formler_utan_sparade_varden.xlsx", "--db", demo_db)
    assert out.returncode == 1
    assert (
        "formler_utan_sparade_varden.xlsx, blad Data, rad 2, kolumn 2022-02 (D): cellen innehåller en "
        "formel (=C2+100) utan sparat värde: filen sparades av ett program som inte räknar ut formler. "
        "Öppna den i Excel eller LibreOffice och spara den" in out.stderr
    )
    assert "rad 4, kolumn 2022-03 (E)" in out.stderr  # every such cell is named
    store = open_database(demo_db)
    try:
        assert (store.facts_count(), len(store.batches())) == before
    finally:
        store.close()


def test_a_hidden_column_and_row_are_left_out_and_named_unless_chosen(demo_db, tmp_path):
    chosen = tmp_path / "alla.db"
    chosen.write_bytes(Path(demo_db).read_bytes())
    plain = socdesk("import", DATA / "dold_kolumn_och_rad.xlsx", "--db", demo_db)
    assert plain.returncode == 0, plain.stderr
    assert "dold_kolumn_och_rad.xlsx, " + HIDDEN_NOTE in plain.stdout
    store = open_database(demo_db)
    try:
        for unit, figures in WIDE.items():
            got = [value(store, unit, "netto", p) for p in WIDE_MONTHS]
            if unit == "7767":  # the hidden row
                assert got == [None, None, None]
            else:  # the hidden column 2021-12 not read
                assert got == [figures[0], None, figures[2]]
    finally:
        store.close()

    out = socdesk("import", DATA / "dold_kolumn_och_rad.xlsx", "--db", chosen, "--include-hidden")
    assert out.returncode == 0, out.stderr
    assert "blad Data: dolda celler lästes, som valt: kolumn C (2021-12) och rad 4." in out.stdout
    store = open_database(chosen)
    try:
        for unit, figures in WIDE.items():
            assert [value(store, unit, "netto", p) for p in WIDE_MONTHS] == list(figures)
    finally:
        store.close()


def test_the_hidden_column_and_row_of_an_ods_file_are_left_out_too(store):
    r = importer.import_path(store, DATA / "dold_kolumn_och_rad.ods")
    assert "dold_kolumn_och_rad.ods, " + HIDDEN_NOTE in r.summary.notes
    assert value(store, "7764", "netto", WIDE_MONTHS[1]) is None
    assert value(store, "7764", "netto", WIDE_MONTHS[2]) == 3000
    assert value(store, "7767", "netto", WIDE_MONTHS[0]) is None


def test_an_xls_file_is_read_whole_and_says_it_cannot_see_hidden_cells(store):
    r = importer.import_path(store, DATA / "dold_kolumn_och_rad.xls")
    assert any(
        "dold_kolumn_och_rad.xls: i en Excel 97–2003-fil (.xls) syns inte" in n for n in r.summary.notes
    )
    for unit, figures in WIDE.items():
        assert [value(store, unit, "netto", p) for p in WIDE_MONTHS] == list(figures)


@pytest.mark.parametrize("suffix", ["xlsx", "ods", "xls"])
def test_a_hidden_sheet_is_left_out_and_named(store, suffix):
    name = f"dolt_blad.{suffix}"
    r = importer.import_path(store, DATA / name)
    assert (
        f"{name}: bladet Gammal är dolt och lästes inte; välj ”Ta med dolda rader och kolumner” "
        "(socdesk import --include-hidden) för att läsa det." in r.summary.notes
    )
    assert value(store, "7762", "netto", Period.month(2021, 12)) == 20
    assert value(store, "7764", "netto", Period.month(2021, 11)) is None  # on the hidden sheet


def walk_the_wizard(qtbot, window, path, include_hidden: bool):
    window.import_action.trigger()
    wizard = window.wizard
    wizard.file_page.path.setText(str(path))
    wizard.next()
    box = wizard.mapping_page.include_hidden
    assert box.text() == "Ta med dolda rader och kolumner" and not box.isChecked()
    if include_hidden:
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
        assert box.isChecked()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    summary = wizard.run_page.summary.text()
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    wizard.accept()
    return summary


def test_the_wizard_names_the_hidden_column_and_leaves_it_out(qtbot, workspace):
    summary = walk_the_wizard(qtbot, workspace, DATA / "dold_kolumn_och_rad.xlsx", include_hidden=False)
    assert "kolumn C (2021-12) och rad 4 är dolda och lästes inte" in summary
    store = workspace.ctx.store
    assert value(store, "7762", "netto", WIDE_MONTHS[2]) == 300
    assert value(store, "7762", "netto", WIDE_MONTHS[1]) is None
    assert value(store, "7767", "netto", WIDE_MONTHS[0]) is None


def test_the_wizard_reads_hidden_cells_when_the_user_ticks_the_option(qtbot, workspace):
    summary = walk_the_wizard(qtbot, workspace, DATA / "dold_kolumn_och_rad.xlsx", include_hidden=True)
    assert "dolda celler lästes, som valt: kolumn C (2021-12) och rad 4." in summary
    store = workspace.ctx.store
    for unit, figures in WIDE.items():
        assert [value(store, unit, "netto", p) for p in WIDE_MONTHS] == list(figures)


# --- bounds in front of the .ods and .xls readers -------------------------------------------
def ods_with(content: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    return out.getvalue()


ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    '<table:table table:name="Data">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def test_an_ods_that_repeats_a_cell_a_billion_times_is_refused_before_it_is_expanded():
    bomb = (
        ODS_HEAD + '<table:table-row table:number-rows-repeated="1000000">'
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/>'
        "</table:table-row>" + ODS_TAIL
    )
    data = ods_with(bomb)
    assert len(data) < 2000
    with pytest.raises(SheetError, match=r"bomb\.ods: arbetsboken har fler än 10 000 000 celler"):
        read_sheets(data, "bomb.ods")


def test_an_ods_with_a_dtd_or_broken_xml_is_refused_by_name():
    dtd = ods_with('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>' + ODS_HEAD[21:] + ODS_TAIL)
    with pytest.raises(
        SheetError, match=r"d\.ods: arbetsboken läses inte: delen content\.xml innehåller en DTD"
    ):
        read_sheets(dtd, "d.ods")
    with pytest.raises(SheetError, match=r"t\.ods: filen är ingen läsbar OpenDocument-arbetsbok"):
        read_sheets(ods_with(ODS_HEAD), "t.ods")


def test_an_xls_file_is_bounded_and_a_broken_one_refused(monkeypatch, store, tmp_path):
    broken = tmp_path / "gammal.xls"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(TableError, match=r"gammal\.xls: filen är ingen läsbar Excel 97–2003-arbetsbok"):
        importer.import_path(store, broken)
    real = (DATA / "datum_och_tal_som_text.xls").read_bytes()
    monkeypatch.setattr(workbook, "MAX_XLS_BYTES", len(real) - 1)
    with pytest.raises(
        SheetError, match=r"stor\.xls: arbetsboken läses inte: filen är 0 MB; en \.xls-fil läses upp"
    ):
        read_sheets(real, "stor.xls")
    monkeypatch.undo()
    assert len(read_sheets(real, "stor.xls")[0].rows) == len(LEDGER)


def test_an_ods_with_two_cells_far_apart_is_refused_before_a_grid_is_allocated():
    far = (
        ODS_HEAD
        + '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell/></table:table-row>'
        '<table:table-row><table:table-cell table:number-columns-repeated="16000"/>'
        '<table:table-cell office:value-type="float" office:value="2"/></table:table-row>' + ODS_TAIL
    )
    with pytest.raises(SheetError, match=r"glest\.ods: arbetsboken har fler än 10 000 000 celler"):
        read_sheets(ods_with(far), "glest.ods")


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_percentage_cell_is_read_in_per_cent(suffix):
    sheet = read_sheets((DATA / f"procent.{suffix}").read_bytes(), f"procent.{suffix}")[0]
    assert sheet.rows == [(2, ["7762", Decimal("12.5"), Decimal("8")])]
    assert isinstance(sheet.rows[0][1][1], Percent) and not isinstance(sheet.rows[0][1][2], Percent)


def test_formulas_filled_down_as_excel_shares_them_are_named_by_their_cells():
    """Excel writes a filled-down formula once (``t="shared"``) and the cells below refer to it."""
    source = zipfile.ZipFile(DATA / "formler_sparade_varden.xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = part.decode()
                text = re.sub(
                    r'<f aca="false">C2\+100</f>', '<f t="shared" ref="D2:D4" si="0">C2+100</f>', text
                )
                text = re.sub(r'<f aca="false">C[34]\+100</f>', '<f t="shared" si="0"/>', text)
                assert text.count('si="0"') == 3
                part = text.encode()
            z.writestr(item, part)
    sheet = read_sheets(out.getvalue(), "delad.xlsx")[0]
    assert sheet.formulas[(3, 3)] == sheet.formulas[(4, 3)] == "=C2+100"
    assert [cells[3] for _r, cells in sheet.rows] == [1100, 350, 140]
    assert formula_notes(sheet) == [
        "delad.xlsx, blad Data: 6 celler är formler; deras sparade värden lästes: D2–D4, E2–E4."
    ]


def test_an_xls_whose_dimensions_record_lies_is_refused_not_a_crash(demo_db, tmp_path):
    """calamine reserves memory by the DIMENSIONS record: first row 10 240 above the last once
    asked for 687 GB and ended the process. The records are checked first (in a subprocess here,
    so that a regression cannot take the test run down with it)."""
    data = bytearray((DATA / "dold_kolumn_och_rad.xls").read_bytes())
    at = data.index(b"\x00\x02\x0e\x00") + 4  # DIMENSIONS, 14 bytes: first row (32 bits) …
    data[at + 1] = 0x28
    bad = tmp_path / "trasig.xls"
    bad.write_bytes(bytes(data))
    out = socdesk("import", bad, "--db", demo_db)
    assert out.returncode == 1, out.stderr
    assert "trasig.xls: filen är ingen läsbar Excel 97–2003-arbetsbok (xls)" in out.stderr
