"""The import wizard end to end, as a user walks it: a ledger file with an unknown unit mapped
by the user, the import with its progress, the summary, and the undo of the batch; and the
workspace tables exported to Excel."""

from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from units_page_helpers import choose_action, pick_unit  # tests/units_page_helpers.py

from socdesk.core.facts import Scenario
from socdesk.core.periods import Month, Period
from socdesk.gui.import_wizard import MAP, ImportWizard
from socdesk.io import importer

JUNE = Period.month(2024, 6)
POPUP = pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # a completer popup, offscreen


@pytest.fixture
def window(workspace):
    return workspace


def netto(store, unit, period):
    v = store.value(unit, store.measures()["netto"], Scenario.ACTUAL, period)
    return v.number if v.is_number else None


def open_wizard(window, path):
    """Arkiv → Importera, with the file chosen."""
    window.import_action.trigger()
    window.wizard.file_page.path.setText(str(path))
    return window.wizard


def run_import(qtbot, wizard):
    """Läs in, and wait for the last page."""
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)


@POPUP
def test_walk_the_wizard_map_an_unknown_unit_import_and_undo(qtbot, window, tmp_path):
    f = tmp_path / "raindance juni.csv"
    f.write_text(
        "Ansvar;Ansvarsnamn;Konto;Period;Belopp\n"
        "7762;Hemtjänst;4010;2024-06;1\u00a0000,50\n"
        "7762;Hemtjänst;3010;2024-06;-200\n"
        "77620;Hemtjänst natt;4010;2024-06;300\n"  # not in the database: the user maps it
        "7764;Larm;1930;2024-06;55\n",
        encoding="utf-8",
    )
    store = window.ctx.store
    window.import_action.trigger()
    wizard: ImportWizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(f))
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    page = wizard.mapping_page
    assert wizard.currentPage() is page
    # the header row (highlighted) and the four rows below it, by their row numbers in the file
    assert page.preview.rowCount() == 5 and page.preview.item(1, 4).text() == "1\u00a0000,50"
    assert page.preview.verticalHeaderItem(0).text() == "1" and page.preview.item(0, 0).font().bold()
    roles = {
        page.roles.item(r, 0).text(): page.roles.cellWidget(r, 1).currentData()
        for r in range(page.roles.rowCount())
    }
    assert roles == {
        "Ansvar": "enhet",
        "Ansvarsnamn": "namn",
        "Konto": "konto",
        "Period": "period",
        "Belopp": "belopp",
    }
    assert page.layout_box.currentData() == "transaktioner"
    page.name.setText("Raindance huvudbok")
    qtbot.mouseClick(
        next(
            b
            for b in page.findChildren(type(wizard.button(QWizard.WizardButton.NextButton)))
            if b.text() == "Spara som profil"
        ),
        Qt.MouseButton.LeftButton,
    )
    assert "Raindance huvudbok" in importer.profiles(store)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    check = wizard.check_page
    qtbot.waitUntil(lambda: check.isComplete(), timeout=10_000)
    assert "1 enhetskod finns inte i databasen: koppla den" in check.status.text()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    units = wizard.units_page
    assert wizard.currentPage() is units
    model = units.model
    assert model.rowCount() == 1 and model.index(0, 0).data() == "77620"
    assert model.index(0, 1).data() == "Hemtjänst natt"
    assert model.index(0, 3).data() == "7762 Hemtjänst"  # proposed: the unit its code extends
    assert units.counts.text() == "1 ny enhet skapas."
    choose_action(qtbot, units.table, 0, MAP)
    assert units.counts.text() == "1 kod kopplas till en befintlig enhet."
    pick_unit(qtbot, units.table, 0, "hemtj", "7762 Hemtjänst")  # by a part of the name
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)

    run = wizard.run_page
    assert wizard.currentPage() is run
    assert (
        "4 rader gav" in run.summary.text()
        and "1 rad med konto utanför kontoreglerna tas inte" in run.summary.text()
    )
    assert not run.replace.isVisible()
    qtbot.mouseClick(run.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert run.progress.value() == 100
    assert "Import 6 klar" in wizard.done_page.text.text()
    assert netto(store, "7762", JUNE) == Decimal("1100.50")  # 1 000,50 − 200 + 300 from the mapped code
    assert importer.unit_map(store) == {"77620": "7762"}  # remembered
    assert store.batches()[-1]["profile"] == "Raindance huvudbok"

    qtbot.mouseClick(wizard.done_page.undo, Qt.MouseButton.LeftButton)
    assert netto(store, "7762", JUNE) is None and store.batches()[-1]["undone_at"]
    assert "ångrades" in wizard.done_page.text.text()
    # the last page has one way out, Stäng (Avbryt would promise to undo what is written)
    assert wizard.button(QWizard.WizardButton.FinishButton).isVisible()
    assert wizard.button(QWizard.WizardButton.FinishButton).text() == "Stäng"
    assert not wizard.button(QWizard.WizardButton.CancelButton).isVisible()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


def test_a_bad_file_is_reported_in_the_wizard_and_nothing_is_written(qtbot, window, tmp_path):
    f = tmp_path / "fel.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;12,3,4\n", encoding="utf-8")
    before = window.ctx.store.facts_count()
    wizard = open_wizard(window, f)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.errors.isVisible(), timeout=10_000)
    assert "fel.csv, rad 2, kolumn Belopp" in wizard.check_page.errors.toPlainText()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert window.ctx.store.facts_count() == before
    wizard.reject()


@POPUP
def test_a_sie_file_with_a_new_cost_centre_created_in_the_wizard(qtbot, window, tmp_path):
    f = tmp_path / "bok.se"
    f.write_bytes(
        (
            '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#DIM 1 "Kostnadsställe"\r\n'
            '#OBJEKT 1 "9901" "Nytt boende Åsen"\r\n#PSALDO 0 202406 4010 {1 "9901"} 7000.00\r\n'
        ).encode("cp437")
    )
    wizard = open_wizard(window, f)
    wizard.next()
    assert "SIE 4" in wizard.mapping_page.note.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    units = wizard.units_page
    assert units.model.index(0, 2).data() == "Skapa ny under …"
    pick_unit(qtbot, units.table, 0, "771", "771 Äldreomsorg")  # by its code
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.run_page
    assert "1 ny enhet skapas." in wizard.run_page.summary.text()
    run_import(qtbot, wizard)
    tree = window.tree
    assert tree["9901"].parent == "771" and tree["9901"].name == "Nytt boende Åsen"  # the workspace sees it
    assert netto(window.ctx.store, "9901", JUNE) == 7000
    wizard.accept()


def test_the_workspace_table_exports_to_excel(qtbot, window, tmp_path):
    window.period.set_month(Month(2024, 5))
    path = tmp_path / "771.xlsx"
    window.export_table(str(path))
    ws = load_workbook(path).active
    assert ws["A1"].value == "771 Äldreomsorg – jan–maj 2024 – tkr"
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 9)] for r in range(4, ws.max_row + 1)}
    assert rows["7762 Hemtjänst"][1:4] == [17175, 15169, -2006]  # 003, in tkr, as numbers
    assert rows["Summa 771 Äldreomsorg"][1] == 58611
    assert ws.freeze_panes == "B4"


def test_cancel_stops_the_import_and_nothing_is_written(qtbot, window, tmp_path, monkeypatch):
    import time

    f = tmp_path / "juni.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;100\n", encoding="utf-8")
    real = importer.execute

    def slow(store, plan, **kw):  # a long import: waits for the stop, as a big file's write would
        deadline = time.monotonic() + 10
        while not kw["cancelled"]() and time.monotonic() < deadline:
            time.sleep(0.01)
        if kw["cancelled"]():
            raise importer.ImportCancelled("avbruten")
        return real(store, plan, **{k: v for k, v in kw.items() if k != "cancelled"})

    monkeypatch.setattr(importer, "execute", slow)
    batches = len(window.ctx.store.batches())
    wizard = open_wizard(window, f)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    run = wizard.run_page
    qtbot.mouseClick(run.start, Qt.MouseButton.LeftButton)
    assert run.cancel.isEnabled() and not run.start.isEnabled()
    qtbot.mouseClick(run.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "avbröts" in run.message.text(), timeout=10_000)
    assert run.start.isEnabled() and wizard.currentPage() is run
    assert len(window.ctx.store.batches()) == batches and netto(window.ctx.store, "7762", JUNE) is None
    wizard.reject()


def test_konto_rules_are_typed_checked_and_saved_with_the_profile(qtbot, window, tmp_path):
    f = tmp_path / "bok.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;100\n7762;8410;2024-06;7\n", encoding="utf-8")
    wizard = open_wizard(window, f)
    wizard.next()
    page = wizard.mapping_page
    assert page.rules.text() == "3000-3999=intakter; 4000-7999=kostnader"
    page.rules.setText("4000-7999=kostnader; 8000-8999")
    wizard.next()
    assert wizard.currentPage() is page and "ska skrivas som" in page.note.text()
    page.rules.setText("3000-3999=intakter; 4000-8999=kostnader")  # finansiella kostnader too
    page.name.setText("Med 8xxx")
    page._save_profile()
    assert importer.profile(window.ctx.store, "Med 8xxx").konto_rules[1].last == 8999
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    wizard.next()
    run_import(qtbot, wizard)
    assert netto(window.ctx.store, "7762", JUNE) == 107
    wizard.accept()


def test_the_imports_are_listed_and_one_is_undone_from_the_list(qtbot, window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from socdesk.gui.batches_dialog import BatchesDialog

    f = tmp_path / "juni.csv"
    f.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;250\n", encoding="utf-8")
    store = window.ctx.store
    importer.import_path(store, f)
    assert netto(store, "7762", JUNE) == 250
    dialog = BatchesDialog(store, parent=window)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 6 and dialog.table.item(0, 3).text() == "juni.csv"  # newest first
    assert not dialog.undo.isEnabled()
    dialog.table.selectRow(0)
    assert dialog.undo.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.undo, Qt.MouseButton.LeftButton)
    assert netto(store, "7762", JUNE) is None and dialog.undone == [store.batches()[-1]["id"]]
    assert dialog.table.item(0, 7).text() != "" and not dialog.undo.isEnabled()
    assert "2 uppgifter återställda" in dialog.info.text()  # kostnader and netto


def test_kolada_benchmarks_show_their_source_in_the_statistics_tab(qtbot, window, tmp_path):
    import json

    f = tmp_path / "kolada.json"
    f.write_text(
        json.dumps(
            {
                "values": [
                    {
                        "kpi": "N00945",
                        "municipality": "0180",
                        "period": 2023,
                        "values": [{"gender": "T", "value": 12.5}],
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    importer.import_path(window.ctx.store, f)
    window.reload_tree()
    window.select_unit("K0180")
    window.tabs.setCurrentIndex(2)
    view = window.statistics
    qtbot.waitUntil(lambda: view.model.table is not None and view.model.table.unit == "K0180")
    assert "Källa: Kolada" in view.empty.text()
    assert view.model.rowCount() == 1 and view.model.index(0, 1).data() == "12,5"


def test_a_sie_file_read_by_another_dimension(qtbot, window, tmp_path):
    f = tmp_path / "projekt.se"
    f.write_bytes(
        (
            "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n"
            '#DIM 1 "Kostnadsställe"\r\n#DIM 6 "Verksamhet"\r\n'
            '#PSALDO 0 202406 4010 {1 "9999" 6 "7764"} 500.00\r\n'
        ).encode("cp437")
    )
    wizard = open_wizard(window, f)
    wizard.next()
    page = wizard.mapping_page
    assert [page.dimension.itemText(i) for i in range(page.dimension.count())] == [
        "1 Kostnadsställe",
        "6 Verksamhet",
    ]
    assert page.dimension.isVisible() and not page.roles.isVisible()
    page.dimension.setCurrentIndex(page.dimension.findData("6"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    assert wizard.check_page.unknown == {}  # 7764 is a unit; 9999 (dimension 1) is not asked about
    wizard.next()
    run_import(qtbot, wizard)
    assert netto(window.ctx.store, "7764", JUNE) == 500
    wizard.accept()
