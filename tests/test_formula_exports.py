"""No export carries a formula (issue 11 §7): a unit named ``=cmd|' /C calc'!A0`` and comments
such as ``@SUM(1)`` reach every export and report format as text, never as something a
spreadsheet runs; socdesk's own import reads the long CSV back to the very same text."""

import csv
import io
import shutil
import subprocess
import sys
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.cells import FORMULA_START, csv_text, csv_untext, formula_like
from socdesk.io.seeds import open_database

NAME = "=cmd|' /C calc'!A0"
TEXTS = ["@SUM(1)", "+1+1", "-2+3+cmd|' /C calc'!A0", '=HYPERLINK("http://x")', "'citat", "''två", "\tflik"]


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def hostile_db(demo_template: Path, tmp_path_factory) -> Path:
    """The demo database with a formula for a unit name and formulas in comments and sources
    (shared by the tests here, which only read it)."""
    db = tmp_path_factory.mktemp("hostile") / "demo.db"
    shutil.copyfile(demo_template, db)
    with open_database(db) as store:
        store.add_units([Unit("N-BOU", NAME, "N")])  # renames Barn och unga
        store.add_units([Unit("X1", "-minus först", "771")])
        store.add_comment("N-BOU", str(Period.year_to_date(2023, 4)), "@SUM(1)")
        store.add_comment("7762", str(Period.year_to_date(2024, 5)), "@SUM(1)")
        facts = [
            Fact(FactKey("7762", "netto", Scenario.ACTUAL, Period.month(2030, m + 1)), Value.of(-2 - m), t, t)
            for m, t in enumerate(TEXTS)
        ]
        store.write_facts(facts, source="test")
    return db


@pytest.fixture(scope="module")
def exported(hostile_db: Path, tmp_path_factory) -> dict[str, Path]:
    """``socdesk export`` of it, as long CSV and as XLSX."""
    folder = tmp_path_factory.mktemp("exported")
    out = {kind: folder / f"ut.{kind}" for kind in ("csv", "xlsx")}
    for path in out.values():
        r = socdesk("export", "--db", hostile_db, "-o", path)
        assert r.returncode == 0, r.stderr
    return out


def stored_texts(db: Path) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    with open_database(db) as store:
        names = {u.code: u.name for u in store.unit_tree()}
        facts = {
            str(f.key.period): (f.comment, f.source)
            for f in store.facts(units=["7762"])
            if f.key.period.start.year == 2030
        }
    return names, facts


def test_the_rule_escapes_exactly_what_a_spreadsheet_runs_and_undoes_it():
    for text in ["=1", "+1", "-1", "@A", "\tx", "\rx", "'x", "''x", "'=x"]:
        assert csv_text(text) == "'" + text and csv_untext(csv_text(text)) == text
    for text in ["1", "Hemtjänst", "−2 006", " =1", "", "x'"]:
        assert csv_text(text) == text and csv_untext(text) == text
    assert csv_untext("'Öppen'") == "'Öppen'"  # someone's own apostrophe before a letter stays
    assert csv_untext("'=1") == "=1"  # another program's escaped formula: the text it meant
    assert all(formula_like(c + "x") for c in FORMULA_START) and not formula_like("'=x")


def test_one_definition_of_the_formula_rule():
    """No second copy of the formula characters anywhere in socdesk (outside core/cells.py)."""
    import ast

    package = Path(__file__).resolve().parent.parent / "socdesk"
    for path in package.rglob("*.py"):
        if path.name == "cells.py" and path.parent.name == "core":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple | ast.List | ast.Set):
                consts = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert not {"=", "@"} <= consts, f"{path.name}:{node.lineno} copies the formula rule"


def test_long_csv_export_carries_no_formula_and_imports_back_to_the_same_text(exported, tmp_path):
    out = exported["csv"]
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8")), delimiter=";"))
    value = rows[0].index("värde")
    for row in rows[1:]:
        for c, cell in enumerate(row):
            if c != value:
                assert not formula_like(cell), (row, cell)  # a spreadsheet runs none of them
    assert rows[next(i for i, r in enumerate(rows) if r[0] == "N-BOU")][:3] == ["N-BOU", "'" + NAME, "N"]
    mine = [r for r in rows if r[0] == "7762" and r[3].startswith("2030")]
    assert [r[value] for r in mine] == [str(-2 - m) for m in range(len(TEXTS))]  # numbers stay numbers
    assert [r[11] for r in mine] == [csv_text(t) for t in TEXTS] == [r[12] for r in mine]
    assert [r[11] for r in mine][:5] == [
        "'@SUM(1)",
        "'+1+1",
        "'-2+3+cmd|' /C calc'!A0",
        '\'=HYPERLINK("http://x")',
        "''citat",
    ]

    fresh = tmp_path / "ny.db"
    r = socdesk("import", out, "--db", fresh)
    assert r.returncode == 0, r.stderr
    names, facts = stored_texts(fresh)
    assert names["N-BOU"] == NAME and names["X1"] == "-minus först"
    assert sorted(facts.values()) == sorted((t, t) for t in TEXTS)  # "\tflik" too: the ' keeps the tab
    again = tmp_path / "igen.csv"
    assert socdesk("export", "--db", fresh, "-o", again).returncode == 0
    assert again.read_bytes() == out.read_bytes()


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/"))


def assert_text_cells(path: Path, expected: set[str]):
    """Every expected text is in some cell, as the very text, typed as text with a quote
    prefix; no formula anywhere in the workbook."""
    assert "<f>" not in sheet_xml(path) and "<f " not in sheet_xml(path)
    book = load_workbook(path)
    found = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and formula_like(cell.value):
                    assert cell.data_type == "s" and cell.quotePrefix, (ws.title, cell.coordinate, cell.value)
                    found.add(cell.value)
    assert expected <= found, expected - found
    return book


def test_xlsx_export_has_no_formula_and_the_text_as_it_is(exported):
    out = exported["xlsx"]
    ws = assert_text_cells(out, {NAME, "-minus först", *(t for t in TEXTS if formula_like(t))}).active
    header = [c.value for c in ws[1]]
    mine = [
        row
        for row in ws.iter_rows(min_row=2, values_only=True)
        if row[0] == "7762" and str(row[3]).startswith("2030")
    ]
    # numbers, in the column of their scale (kr)
    assert [row[header.index("värde (kr)")] for row in mine] == [-2 - m for m in range(len(TEXTS))]
    assert [row[header.index("kommentar")] for row in mine] == TEXTS  # the texts, no apostrophe added


def test_the_workspace_export_button_writes_no_formula(
    qtbot, hostile_db, tmp_path, file_dialog_answers, modal_calls
):
    """File → Exportera tabellen till Excel, the file dialog answered with a path (then with
    a folder that is gone, then with the database itself: a message each, nothing written)."""
    from PySide6.QtCore import QSettings

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    store = open_database(hostile_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.select_unit("771")
        w.period.set_month(Month(2024, 5))
        out = tmp_path / "tabell.xlsx"
        asked = file_dialog_answers([out, tmp_path / "borta" / "t.xlsx", hostile_db])
        file_menu = next(
            a.menu() for a in w.menuBar().actions() if a.menu() and w.export_action in a.menu().actions()
        )
        assert w.export_action in file_menu.actions() and w.export_action.isEnabled()
        w.export_action.trigger()  # what the menu item and Ctrl+E do
        assert asked == ["Exportera till Excel"] and modal_calls == []
        assert_text_cells(out, {"@SUM(1)"})
        assert not list(tmp_path.glob(".*socdesk-tmp"))
        before = hostile_db.stat()
        w.export_action.trigger()
        w.export_action.trigger()
        assert [kind for kind, _text in modal_calls] == ["warning", "warning"]
        assert modal_calls[0][1].endswith("borta/t.xlsx kunde inte sparas: mappen finns inte.")
        assert "hör till databasen" in modal_calls[1][1]
        assert (hostile_db.stat().st_ino, hostile_db.stat().st_size) == (before.st_ino, before.st_size)
    finally:
        w.close()
        store.close()


class _Texts(HTMLParser):
    """The text of each element and its style, as a browser sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "meta", "img", "line", "rect", "circle", "polyline", "path"):
            self.stack.append((tag, dict(attrs).get("style") or ""))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.stack and data.strip():
            tag, style = self.stack[-1]
            if tag == "i" and len(self.stack) > 1:
                tag, style = self.stack[-2]
            self.found.append((tag, style, data))


def test_report_xlsx_and_html_show_formulas_as_text(hostile_db, tmp_path):
    """The (generic) tertial report: the unit name in table cells and headings, the analysis in
    a paragraph (the workbook holds the tables only). Nacka's own template, tertial-nacka, prints
    004's labels instead of the units' names."""
    xlsx, page = tmp_path / "r.xlsx", tmp_path / "r.html"
    for out in (xlsx, page):
        r = socdesk(
            "report",
            "--template",
            "tertial",
            "--db",
            hostile_db,
            "--period",
            "2023-T1",
            "--unit",
            "N",
            "-o",
            out,
        )
        assert r.returncode == 0, r.stderr
    assert_text_cells(xlsx, {NAME})
    html_text = page.read_text(encoding="utf-8")
    assert "|' /C" not in html_text and "|&#x27; /C calc&#x27;!A0" in html_text  # escaped as text
    parser = _Texts()
    parser.feed(html_text)
    excel_text = 'mso-number-format:"\\@"'
    shown = {(tag, style) for tag, style, data in parser.found if data in (NAME, "@SUM(1)")}
    assert {("td", excel_text), ("h2", excel_text), ("p", excel_text)} <= shown
    assert all(style == excel_text for _tag, style in shown)  # every one of them: Excel's text format
    others = [
        (tag, style) for tag, style, data in parser.found if not formula_like(data) and tag in ("td", "p")
    ]
    assert others and not any("mso-number-format" in style for _tag, style in others)


def test_the_xlsx_export_imports_back_to_the_same_text(exported, tmp_path):
    """A sheet's text reaches the long-CSV parser escaped, so its un-escaping gives it back as it is."""
    fresh = tmp_path / "ny.db"
    r = socdesk("import", exported["xlsx"], "--db", fresh)
    assert r.returncode == 0, r.stderr
    names, facts = stored_texts(fresh)
    assert names["N-BOU"] == NAME and names["X1"] == "-minus först"
    assert sorted(facts.values()) == sorted((t, t) for t in TEXTS)
