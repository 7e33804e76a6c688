"""Excel sheets the way controllers lay them out (issue 14 §2, shapes): title rows above the
header, two-row and merged headers, Budget/Utfall over the months, extra sheets, month headers
in every form, total rows (checked, never a unit), through ``import_path``, the CLI and the
wizard. The expected figures are recomputed here from the workbooks' cells with openpyxl, by
coordinates, not by socdesk's readers."""

import hashlib
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.io import importer, layout
from socdesk.io.seeds import open_database
from socdesk.io.sheets import Sheet, read_sheets
from socdesk.io.tables import Layout, Profile, TableError, header_period, header_scenario

EXCEL = Path(__file__).parent / "data" / "excel"
UNITS = ("7711", "7712", "7762")


@pytest.fixture
def store(tmp_path):
    s = open_database(tmp_path / "shapes.db")
    yield s
    s.close()


def create(*codes):
    return dict.fromkeys(codes or UNITS)


def value(store, unit, period, scenario=Scenario.ACTUAL, measure="netto"):
    v = store.value(unit, store.measures()[measure], scenario, period)
    return v.number if v.is_number else None


def month(m):
    return Period.month(2026, m)


def cells(name, sheet, first_row, first_col, units=UNITS, months=6):
    """{(unit, month index): Decimal} read straight from the cells (a unit per row from
    ``first_row``, months from column ``first_col``)."""
    ws = load_workbook(EXCEL / name)[sheet]
    out = {}
    for r in range(first_row, first_row + len(units)):
        code = str(ws.cell(r, 1).value)
        assert code in units
        for m in range(months):
            out[(code, m + 1)] = Decimal(str(ws.cell(r, first_col + m).value))
    return out


# --- month headers: one function, every form ---------------------------------------------------
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("jan-24", (2024, 1)),
        ("jan 24", (2024, 1)),
        ("Jan 2024", (2024, 1)),
        ("januari 2024", (2024, 1)),
        ("2024M01", (2024, 1)),
        ("2024m1", (2024, 1)),
        ("2024 jan", (2024, 1)),
        ("2024-jan", (2024, 1)),
        ("okt.-24", (2024, 10)),
        ("Oct-24", (2024, 10)),
        ("maj-2024", (2024, 5)),
        ("2024-05-01", (2024, 5)),  # a date cell as the reader gives it
        ("2024-05", (2024, 5)),
        ("202405", (2024, 5)),
        ("Budget 2024 jan", (2024, 1)),
        ("Utfall jan-24", (2024, 1)),
    ],
)
def test_every_month_header_form_is_its_month(header, expected):
    assert header_period(header, None) == Period.month(*expected)


@pytest.mark.parametrize(
    "header", ["2024M13", "jan-24x", "Budget", "Utfall 2024", "Ansvar", "mar", "", "2024"]
)
def test_headers_that_are_no_month_are_none(header):
    assert header_period(header, None) is None


def test_a_month_without_year_takes_the_profiles_year_and_scenario_words_are_read():
    assert header_period("mar", 2025) == Period.month(2025, 3)
    assert header_scenario("Budget jan 2024") is Scenario.BUDGET
    assert header_scenario("Utfall 2024 feb") is Scenario.ACTUAL
    assert header_scenario("Budget") is None  # a ledger's amount column, not a period's scenario


# --- header rows -----------------------------------------------------------------------------------
def test_title_rows_above_the_header_are_found_and_left_out(store):
    name = "shape_title_rows.xlsx"
    sheet = read_sheets((EXCEL / name).read_bytes(), name)[0]
    assert layout.header_candidates(sheet) == (4,)
    shaped = layout.reheader(sheet, (4,))
    assert shaped.header[:3] == ["Ansvar", "Benämning", "2026-01-01"]
    assert [line for line, _c in shaped.rows] == [5, 6, 7, 8]  # the titles (rows 1–2) are gone
    expected = cells(name, "Utfall", 5, 3)
    r = importer.import_path(store, EXCEL / name, create=create())
    assert r.summary.units == 3 and r.summary.figures == 18
    for (unit, m), v in expected.items():
        assert value(store, unit, month(m)) == v
    # the Summa row (row 8) is no unit, and was checked
    assert "Summa" not in {u.code for u in store.unit_tree()}
    assert any("rad 8 är en summarad" in n and "stämmer" in n for n in r.summary.notes)


def test_two_row_header_with_the_year_merged_over_the_months(store):
    name = "shape_two_row_header.xlsx"
    sheet = read_sheets((EXCEL / name).read_bytes(), name)[0]
    assert layout.header_candidates(sheet) == (3, 4)
    shaped = layout.reheader(sheet, (3, 4))
    assert shaped.header == [
        "Ansvar",
        "Benämning",
        *(f"2026 {m}" for m in ("jan", "feb", "mar", "apr", "maj", "jun")),
    ]
    expected = cells(name, "Blad1", 5, 3)
    importer.import_path(store, EXCEL / name, create=create())
    for (unit, m), v in expected.items():
        assert value(store, unit, month(m)) == v
    assert {u.code for u in store.unit_tree()} == set(UNITS)  # "Totalt" became no unit


def test_the_year_carries_over_the_months_without_a_merge():
    """A CSV (or "centre across selection") has no merged cells: the year still spans."""
    sheet = Sheet(
        "bok.csv",
        "",
        ["Ansvar", "2024", "", ""],
        [(2, ["", "jan", "feb", "mar"]), (3, ["7762", "1", "2", "3"])],
    )
    assert layout.header_candidates(sheet) == (1, 2)
    assert layout.reheader(sheet, (1, 2)).header == ["Ansvar", "2024 jan", "2024 feb", "2024 mar"]


def test_budget_and_utfall_merged_over_the_months_give_two_scenarios(store):
    name = "shape_budget_over_utfall.xlsx"
    ws = load_workbook(EXCEL / name).active
    importer.import_path(store, EXCEL / name, create=create())
    for r in range(3, 6):
        unit = ws.cell(r, 1).value
        for m in range(3):
            budget, actual = ws.cell(r, 3 + m).value, ws.cell(r, 6 + m).value
            assert value(store, unit, month(m + 1), Scenario.BUDGET) == Decimal(str(budget))
            assert value(store, unit, month(m + 1), Scenario.ACTUAL) == Decimal(str(actual))


def test_month_headers_in_six_forms_in_one_sheet(store):
    name = "shape_month_forms.xlsx"
    ws = load_workbook(EXCEL / name).active
    assert isinstance(ws.cell(1, 8).value, datetime)  # June's header is a date cell
    expected = cells(name, "Månader", 2, 3)
    r = importer.import_path(store, EXCEL / name, create=create())
    assert r.summary.period == Period(month(1).start, month(6).end)
    for (unit, m), v in expected.items():
        assert value(store, unit, month(m)) == v


def test_a_header_row_that_is_not_one_is_refused_naming_the_option(store):
    name = "shape_title_rows.xlsx"
    before = store.facts_count()
    with pytest.raises(TableError) as err:
        importer.import_path(store, EXCEL / name, Profile(header_rows=(1,)), create=create())
    assert "blad Utfall, rad 4: rubrikraden verkar vara rad 4: använd --header-row 4" in str(err.value)
    assert store.facts_count() == before
    with pytest.raises(TableError, match="rad 3: raden är tom och kan inte vara rubrikrad"):
        importer.import_path(store, EXCEL / name, Profile(header_rows=(3,)), create=create())
    with pytest.raises(ValueError, match="ska vara ett radnummer"):
        layout.parse_header_rows("3,x")
    assert layout.parse_header_rows("3, 4") == (3, 4)


# --- sheets ----------------------------------------------------------------------------------------
def test_instructions_chart_data_and_hidden_sheets_are_skipped_with_a_note(store):
    name = "shape_extra_sheets.xlsx"
    expected = cells(name, "Data", 2, 3, months=3)
    r = importer.import_path(store, EXCEL / name, create=create())
    for (unit, m), v in expected.items():
        assert value(store, unit, month(m)) == v  # not the hidden sheet's 1, 2, 3
    notes = "\n".join(r.summary.notes)
    assert "Blad ”Instruktioner” har inga siffror och lästes inte." in notes
    assert "Blad ”Diagramdata” har ingen kolumn för enhet" in notes
    assert "bladet Gammalt är dolt och lästes inte" in notes


def test_profile_sheets_choose_and_an_unknown_sheet_is_refused(store):
    name = "shape_extra_sheets.xlsx"
    with pytest.raises(TableError, match=r"bladet ”Data2” finns inte .*”Data”"):
        importer.import_path(store, EXCEL / name, Profile(sheets=("Data2",)), create=create())
    assert store.facts_count() == 0
    r = importer.import_path(store, EXCEL / name, Profile(sheets=("Data",)), create=create())
    assert r.summary.figures == 9
    assert "Blad ”Instruktioner” lästes inte (inte valt)." in r.summary.notes


# --- total rows ------------------------------------------------------------------------------------
def test_ledger_total_rows_with_an_empty_date_are_a_check_not_a_unit(store):
    name = "shape_ledger_totals.xlsx"
    book = load_workbook(EXCEL / name)
    sums: dict[tuple[str, int], Decimal] = {}
    for ws in book.worksheets:
        for unit, konto, when, amount, _text in ws.iter_rows(min_row=2, values_only=True):
            if when is None:
                continue  # the totals rows
            if 3000 <= int(konto) <= 7999:
                key = (unit, when.month)
                sums[key] = sums.get(key, Decimal(0)) + Decimal(str(amount))
    r = importer.import_path(store, EXCEL / name, create=create())
    for (unit, m), v in sums.items():
        assert value(store, unit, month(m)) == v
    assert {u.code for u in store.unit_tree()} == {"7711", "7712", "7762"}
    notes = "\n".join(r.summary.notes)
    assert "blad Huvudbok: rad 7 är en summarad" in notes
    # the March total is 75 000 against 72 000 in its rows: said with the row and column
    assert (
        "shape_ledger_totals.xlsx, blad Mars, rad 4, kolumn Belopp (D): summaraden anger 75\u00a0000, "
        "raderna ovanför summerar till 72\u00a0000 (skillnad 3\u00a0000)." in notes
    )


def test_a_wide_total_that_disagrees_is_reported_per_row_and_column(store):
    name = "shape_wrong_total.xlsx"
    ws = load_workbook(EXCEL / name).active
    feb = sum(Decimal(str(ws.cell(r, 4).value)) for r in range(2, 5))
    stated = Decimal(str(ws.cell(5, 4).value))
    assert stated != feb
    r = importer.import_path(store, EXCEL / name, create=create())
    wrong = [n for n in r.summary.notes if "summaraden anger" in n]
    assert len(wrong) == 1 and "rad 5, kolumn feb 2026 (D)" in wrong[0]
    assert value(store, "7762", month(2)) == Decimal(str(ws.cell(4, 4).value))
    assert "Summa" not in {u.code for u in store.unit_tree()}


def test_ledger_csv_summa_row_never_becomes_a_unit(store, tmp_path):
    """The fast CSV path hands total rows to the row-by-row path, which checks them."""
    f = tmp_path / "huvudbok.csv"
    f.write_text(
        "Ansvar;Konto;Period;Belopp\n7762;4010;2026-01;100\n7762;4010;2026-01;250,50\nSumma;;;350,50\n",
        encoding="utf-8",
    )
    r = importer.import_path(store, f, create=create("7762"))
    assert value(store, "7762", month(1)) == Decimal("350.50")
    assert {u.code for u in store.unit_tree()} == {"7762"}
    assert any("rad 4 är en summarad" in n for n in r.summary.notes)


def test_a_sum_of_the_rows_with_an_empty_label_is_a_total_but_a_coded_row_is_data():
    sheet = Sheet(
        "b.xlsx",
        "B",
        ["Ansvar", "2024-01", "2024-02"],
        [
            (2, ["7762", Decimal(5), Decimal(1)]),
            (3, ["7764", Decimal(7), Decimal(2)]),
            (4, ["", Decimal(12), Decimal(3)]),
            (5, ["7700", Decimal(12), Decimal(3)]),
        ],
    )
    notes: list[str] = []
    p = layout.profile_for(sheet, None)
    assert p.layout is Layout.WIDE
    kept = layout.drop_totals(sheet, p, notes)
    assert [line for line, _c in kept.rows] == [2, 3, 5]  # a parent unit's row stays data
    assert notes and "rad 4 är en summarad" in notes[0]


# --- the command line ------------------------------------------------------------------------------
def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_cli_sheet_and_header_row_options(tmp_path):
    db = tmp_path / "cli.db"
    (tmp_path / "sn.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n"
    )
    assert socdesk("import", tmp_path / "sn.csv", "--db", db).returncode == 0
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = socdesk(
        "import", EXCEL / "shape_two_row_header.xlsx", "--db", db, "--create-under", "SN", "--header-row", "4"
    )
    assert r.returncode == 1
    assert "shape_two_row_header.xlsx lästes inte in; databasen är oförändrad" in r.stderr
    assert (
        "rubriken lästes från rad 4; är det en annan rad, använd --header-row N (två rader: N,M)" in r.stderr
    )
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    r = socdesk(
        "import",
        EXCEL / "shape_two_row_header.xlsx",
        "--db",
        db,
        "--create-under",
        "SN",
        "--header-row",
        "3,4",
    )
    assert r.returncode == 0, r.stderr
    assert "rad 8 är en summarad" in r.stdout
    expected = cells("shape_two_row_header.xlsx", "Blad1", 5, 3)
    r = socdesk("import", EXCEL / "shape_extra_sheets.xlsx", "--db", db, "--sheet", "Data", "--replace")
    assert r.returncode == 0, r.stderr
    assert "Blad ”Diagramdata” lästes inte (inte valt)." in r.stdout
    r = socdesk("import", EXCEL / "shape_extra_sheets.xlsx", "--db", db, "--sheet", "Nej")
    assert r.returncode == 1 and "bladet ”Nej” finns inte" in r.stderr and "ändra --sheet" in r.stderr
    r = socdesk("import", EXCEL / "shape_month_forms.xlsx", "--db", db, "--header-row", "x")
    assert r.returncode == 2 and "ska vara ett radnummer som 3, eller två rader som 3,4" in r.stderr
    with open_database(db) as s:
        for (unit, m), v in expected.items():
            if m > 3:  # months 1–3 were replaced by the extra-sheets workbook's Data sheet
                assert value(s, unit, month(m)) == v
        data = cells("shape_extra_sheets.xlsx", "Data", 2, 3, months=3)
        for (unit, m), v in data.items():
            assert value(s, unit, month(m)) == v


def test_amounts_are_read_in_the_scale_the_file_states_and_the_summary_says_so(tmp_path):
    """A title row "Utfall per ansvar 2026, tkr" above the header: the amounts are tkr (1 204,3
    tkr is 1 204 300 kr), as a controller reads the sheet; the CLI says which scale it read."""
    db = tmp_path / "tkr.db"
    name = "shape_title_tkr.xlsx"
    r = socdesk("import", EXCEL / name, "--db", db)  # no units yet: refused, names the codes
    assert r.returncode == 1
    (tmp_path / "sn.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n"
    )
    assert socdesk("import", tmp_path / "sn.csv", "--db", db).returncode == 0
    r = socdesk("import", EXCEL / name, "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    assert "beloppen lästes i tkr, som filen anger (”Utfall per ansvar 2026, tkr”)" in r.stdout
    ws = load_workbook(EXCEL / name)["Utfall"]
    with open_database(db) as s:
        for row in range(4, 7):
            unit = str(ws.cell(row, 1).value)
            for m in range(1, 4):
                stated = Decimal(str(ws.cell(row, 2 + m).value))
                assert value(s, unit, month(m)) == stated * 1000
    assert value(open_database(db), "7762", month(1)) == Decimal("1204300")


def test_a_csv_ledger_whose_amount_header_says_tkr(tmp_path):
    db = tmp_path / "tkr.db"
    (tmp_path / "sn.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n"
    )
    assert socdesk("import", tmp_path / "sn.csv", "--db", db).returncode == 0
    f = tmp_path / "huvudbok.csv"
    f.write_text(
        "Ansvar;Konto;Datum;Belopp (tkr)\r\n7762;4010;2026-01-15;12,5\r\n7762;4010;2026-01-20;-2,25\r\n",
        encoding="utf-8",
    )
    r = socdesk("import", f, "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    assert "beloppen lästes i tkr, som filen anger (”Belopp (tkr)”)" in r.stdout
    with open_database(db) as s:
        assert value(s, "7762", month(1), measure="kostnader") == Decimal("10250")


def test_a_file_that_states_two_scales_is_read_in_kronor_as_before(store):
    sheet = Sheet("x.csv", "", ["Ansvar", "Utfall tkr", "Budget mnkr"], [])
    from socdesk.io.tables import detect, stated_scale

    assert stated_scale(["Utfall tkr", "Budget mnkr"]) is None
    assert detect(sheet).scale.label == "kr"
    assert stated_scale(["Nettokostnad, mkr"])[0].label == "mnkr"
    assert stated_scale(["Utfall i tusen kronor"])[0].label == "tkr"
    assert stated_scale(["Utfall i kronor", "Tkrav"]) is None  # a word, not a part of one


# --- the wizard ------------------------------------------------------------------------------------
def test_wizard_detects_the_header_rows_the_user_changes_them_and_imports(qtbot, workspace):
    window = workspace
    store = window.ctx.store
    name = "shape_two_row_header.xlsx"
    window.import_action.trigger()
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(EXCEL / name))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    # detected: rows 3 and 4, highlighted; the title (row 1) greyed
    assert page.header_rows.text() == "3,4"
    labels = [page.preview.verticalHeaderItem(r).text() for r in range(page.preview.rowCount())]
    assert labels[:4] == ["1", "3", "4", "5"]
    assert page.preview.item(1, 0).font().bold() and page.preview.item(2, 2).font().bold()
    assert page.preview.item(0, 0).foreground().color() == layout_grey()
    assert not page.preview.item(3, 0).font().bold()
    assert page.preview.horizontalHeaderItem(2).text() == "2026 jan"
    assert page.layout_box.currentData() == "bred"
    # the user says the header is row 4 only: no year, no unit column found
    page.header_rows.clear()
    qtbot.keyClicks(page.header_rows, "4")
    qtbot.keyClick(page.header_rows, Qt.Key.Key_Return)
    assert wizard.currentPage() is page  # Return shows the new preview; it does not go on
    assert page.preview.horizontalHeaderItem(2).text() == "jan"
    assert page.preview.item(1, 0).foreground().color() == layout_grey()  # row 3 now above the header
    # … and back to 3,4, with the year 2026 over the months
    page.header_rows.clear()
    qtbot.keyClicks(page.header_rows, "3,4")
    qtbot.keyClick(page.header_rows, Qt.Key.Key_Return)
    assert page.preview.horizontalHeaderItem(7).text() == "2026 jun"
    assert page.profile().header_rows == (3, 4)
    roles = {
        page.roles.item(r, 0).text(): page.roles.cellWidget(r, 1).currentData()
        for r in range(page.roles.rowCount())
    }
    assert roles["Ansvar"] == "enhet" and roles["Benämning"] == "namn"
    assert page.layout_box.currentData() == "bred", page.profile()
    page.name.setText("Utfall två rubrikrader")
    qtbot.mouseClick(
        next(
            b
            for b in page.findChildren(type(wizard.button(QWizard.WizardButton.NextButton)))
            if b.text() == "Spara som profil"
        ),
        Qt.MouseButton.LeftButton,
    )
    assert importer.profile(store, "Utfall två rubrikrader").header_rows == (3, 4)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    check = wizard.check_page
    qtbot.waitUntil(lambda: check.isComplete() or check.errors.isVisible(), timeout=20_000)
    assert check.isComplete(), check.errors.toPlainText()
    assert "rad 8 är en summarad" in check.status.text()
    assert check.unknown == {}  # every code is a unit: the unknown units' page is skipped
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.run_page
    if wizard.run_page.replace.isVisible():
        wizard.run_page.replace.setChecked(True)
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=20_000)
    expected = cells(name, "Blad1", 5, 3)
    for (unit, m), v in expected.items():
        assert value(store, unit, month(m)) == v


def test_wizard_shows_the_scale_the_file_states(qtbot, workspace):
    window = workspace
    window.import_action.trigger()
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(EXCEL / "shape_title_tkr.xlsx"))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.mapping_page
    assert wizard.currentPage() is page
    assert page.header_rows.text() == "3"
    assert page.scale.currentText() == "tkr"  # "Belopp i: tkr", as the title row says
    assert page.profile().scale.label == "tkr"


def layout_grey():
    from socdesk.gui.import_wizard import ABOVE_HEADER

    return ABOVE_HEADER


def test_a_row_without_label_or_code_that_is_no_sum_is_refused_not_dropped(store, tmp_path):
    """It may be a unit whose code was forgotten: its figures are never left out silently."""
    f = tmp_path / "bred.csv"
    f.write_text(
        "Ansvar;Benämning;2026-01;2026-02\n7711;Furugården;1;2\n7712;Sörgården;3;4\n;;9;6\n", encoding="utf-8"
    )
    with pytest.raises(TableError, match=r"bred.csv, rad 4, kolumn Ansvar: enhetskod saknas"):
        importer.import_path(store, f, create=create("7711", "7712"))
    assert store.facts_count() == 0
    f.write_text(
        "Ansvar;Benämning;2026-01;2026-02\n7711;Furugården;1;2\n7712;Sörgården;3;4\n;;4;6\n", encoding="utf-8"
    )
    r = importer.import_path(store, f, create=create("7711", "7712"))
    assert r.summary.figures == 4 and any("rad 4 är en summarad" in n for n in r.summary.notes)


def test_a_profile_with_sheets_reads_a_csv_file_too(store, tmp_path):
    f = tmp_path / "bred.csv"
    f.write_text("Ansvar;2026-01;2026-02\n7711;1;2\n", encoding="utf-8")
    r = importer.import_path(store, f, Profile(sheets=("Data",)), create=create("7711"))
    assert r.summary.figures == 2


def test_a_row_without_label_code_or_figures_in_the_period_columns_is_no_total():
    sheet = Sheet(
        "b.xlsx", "B", ["Ansvar", "2024-01", "2024-02"], [(2, ["7762", Decimal(1)]), (9, ["", "", "", "x"])]
    )
    notes: list[str] = []
    kept = layout.drop_totals(sheet, layout.profile_for(sheet, None), notes)
    assert [line for line, _c in kept.rows] == [2, 9] and notes == []  # the reader says "enhetskod saknas"
