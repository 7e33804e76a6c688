"""Budget figures in a version that is not a registered ombudgetering are refused on every
import path (the file, row and column named, how to register it said, the database unchanged);
after the ombudgetering is registered the same file gives the nämnd's total right."""

import hashlib
import subprocess
import sys
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from socdesk.core.periods import Month
from socdesk.io.seeds import open_database

HEADER = ["enhet", "period", "mått", "scenario", "värde", "skala", "version"]
ROWS = [
    ["N-BOU", "2023-T1", "netto", "budget", "-61,9", "mnkr", "2023-04"],
    ["N-BOU", "2023", "netto", "budget", "-179,7", "mnkr", "2023-04"],
]
REFUSED = "budgetversionen 2023-04 är ingen registrerad ombudgetering för 2023"
HOW = "fliken Registrera, Formulär Budget, Ny ombudgetering"


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_omb(tmp_path):
    path = tmp_path / "omb.csv"
    path.write_text("\n".join(";".join(r) for r in [HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def total_budget(db, tmp_path, name):
    """The Tertialrapport's Totalt Socialnämnden Nacka: (Budget netto, Årsbudget) in mnkr."""
    out = tmp_path / name
    r = socdesk(
        "report", "--template", "tertial", "--db", db, "--period", "2023-T1", "--unit", "N", "-o", out
    )
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    ws = next(ws for ws in book.worksheets if "Ekonomiskt resultat per budgetrad" in str(ws["A1"].value))
    rows = list(ws.iter_rows(values_only=True))
    header = next(line for line in rows if line[0] == "Budgetrad")
    row = next(line for line in rows if line[0] == "Totalt Socialnämnden Nacka")
    return Decimal(str(row[header.index("Budget netto")])), Decimal(str(row[header.index("Årsbudget")]))


def test_the_command_line_refuses_an_unregistered_version_and_changes_nothing(demo_db, tmp_path):
    f = write_omb(tmp_path)
    before = sha256(demo_db)
    r = socdesk("import", f, "--db", demo_db, "--costs-negative", "--replace")
    assert r.returncode != 0
    for row in (2, 3):
        assert f"omb.csv, rad {row}, kolumn version: {REFUSED}" in r.stderr
    assert HOW in r.stderr and "inget kommando" in r.stderr
    assert sha256(demo_db) == before


def test_a_long_xlsx_is_refused_the_same_way(demo_db, tmp_path):
    wb = Workbook()
    ws = wb.active
    for line in [HEADER, *ROWS]:
        ws.append(line)
    f = tmp_path / "omb.xlsx"
    wb.save(f)
    before = sha256(demo_db)
    r = socdesk("import", f, "--db", demo_db, "--costs-negative", "--replace")
    assert r.returncode != 0 and REFUSED in r.stderr and "omb.xlsx" in r.stderr, r.stderr
    assert sha256(demo_db) == before


def test_the_wizard_refuses_an_unregistered_version(qtbot, workspace, tmp_path):
    f = write_omb(tmp_path)
    store = workspace.ctx.store
    count = store.facts_count()
    workspace.import_action.trigger()
    wizard = workspace.wizard
    wizard.file_page.path.setText(str(f))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.check_page  # it does not go on
    text = wizard.check_page.status.text()
    assert f"omb.csv, rad 2, kolumn version: {REFUSED}" in text and HOW in text
    assert store.facts_count() == count
    wizard.reject()


def test_a_registered_ombudgetering_of_one_area_gives_the_right_nämnd_total(demo_db, tmp_path):
    """004: Barn och unga T1 −60,9, årsbudget −178,7; the ombudgetering adds 1,0 mnkr to both.
    The nämnd's total moves by exactly that (it was printed as −61,9, the area's figure)."""
    budget, annual = total_budget(demo_db, tmp_path, "fore.xlsx")
    assert budget < Decimal("-300") and annual < Decimal("-1000")
    with open_database(demo_db) as store:
        store.add_budget_version(2023, Month(2023, 4), "2023-04-18", "SN § 41: utökad ram BoU")
    r = socdesk("import", write_omb(tmp_path), "--db", demo_db, "--costs-negative", "--replace")
    assert r.returncode == 0, r.stderr
    assert total_budget(demo_db, tmp_path, "efter.xlsx") == (budget - 1, annual - 1)
    with open_database(demo_db) as store:
        # the nämnd's own stated figures in the version moved with the area, in the same batch:
        # undoing the import puts back the copy of the original budget
        batch = max(b["id"] for b in store.batches())
        assert store.undo_batch(batch) == 4  # N-BOU's two figures and N's two
    assert total_budget(demo_db, tmp_path, "igen.xlsx") == (budget, annual)
