"""Every dialog of the program opened from its real menu action or button on the demo database,
and each of its buttons pressed with the mouse (issue 16), checking what the button did: the
file written, the setting kept, the dialog closed, nothing changed on Avbryt.

The dialogs of socdesk/gui (``QDialog``, ``QWizard``, the ``QInputDialog`` and ``QMessageBox``
questions) and where their buttons are pressed:

- Importera (``ImportWizard``): Bläddra …, Nästa, Tillbaka, Avbryt on the first and on the
  unknown units' page, here; Spara som profil, Läs in, Avbryt inläsningen, Ångra importen and
  Stäng on the last page in test_import_wizard.py; the unknown units' page in
  test_unknown_units.py; Nästa refused on a bad file in test_import_wizard.py.
- Rapporter till nämnden (``ReportDialog``): Spara som … in PDF, Excel and HTML with the files'
  contents, and Stäng, here; Spara som (file types only) and Skriv ut igen in
  test_report_final.py; Förhandsgranska / Skriv ut in test_output_crash.py and
  test_accessible_pdf.py.
- Rapportmallar (``TemplatesDialog``): Stäng and Välj … (the logo), here; Kopiera, Byt namn,
  Öppna i redigerare, Kontrollera, Förhandsgranska and Spara inställningar in
  test_report_final.py.
- Importhistorik (``BatchesDialog``): Ångra vald import answered Nej and Ja, and Stäng, here.
- Nytt budgetår (``NewYearDialog``): Avbryt here; Skapa budget in test_new_budget_year.py.
- Flaggregler (``FlagRulesDialog``): OK and Avbryt in test_gui_workspace.py.
- Röjandekontroll (``QInputDialog.getInt``): OK and Avbryt here.
- Ny ombudgetering (``RevisionDialog``): OK and Avbryt here (the rest of the register in
  test_register_gui.py).
- Hjälp (``HelpWindow``): Stäng here; its pages in test_gui_workspace.py.
- Mått (``MeasuresDialog``): Stäng here; Lägg till, Ändra and Spara måttet in
  test_measures_gui.py.
- Historik (``HistoryDialog``, modal): Ångra vald ändring and Stäng here; its rows in
  test_gui_workspace.py and test_entry_grid.py.
- Öppna perioden igen (its reason, ``QInputDialog.getText``): OK and Avbryt here.
- Visa logg (``LogWindow``, modal): Stäng here; the log's contents in test_app.py.
- Säkerhetskopior (``BackupsDialog``): Återställ vald in test_backups.py (needs the app
  controller's backup folder).
- The ``QMessageBox`` questions and warnings are Qt's static boxes: conftest's ``modal_calls``
  answers them and the tests assert what each answer does (Ja/Nej on Ångra vald import here;
  Lås månaden in test_gui_workspace.py).
"""

from __future__ import annotations

import html

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QInputDialog,
    QMenu,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QWizard,
)

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period

LEFT = Qt.MouseButton.LeftButton


def button(box_owner, standard) -> QPushButton:
    """The standard button of the dialog's button box (Stäng, OK, Avbryt)."""
    for box in box_owner.findChildren(QDialogButtonBox):
        found = box.button(standard)
        if found is not None:
            return found
    raise AssertionError(f"no {standard} in {box_owner}")


def in_modal(qtbot, act) -> list:
    """``act(dialog)`` once the next modal dialog is up (its ``exec()`` blocks the caller); the
    dialog is closed if ``act`` leaves it open. The list gets the dialog when it was handled."""
    handled: list = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, poll)
            return
        try:
            act(dialog)
        finally:
            handled.append(dialog)
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)
    return handled


def fingerprint(store) -> tuple:
    return store.facts_count(), len(store.unit_tree()), len(store.batches())


# --- Importera ------------------------------------------------------------------------------------
def test_import_wizard_browse_next_back_and_cancel_change_nothing(
    qtbot, workspace, tmp_path, file_dialog_answers
):
    store = workspace.ctx.store
    f = tmp_path / "juni.csv"
    f.write_text(
        "Ansvar;Ansvarsnamn;Konto;Period;Belopp\n7762;Hemtjänst;4010;2024-06;100\n9901;Nytt;4010;2024-06;5\n",
        encoding="utf-8",
    )
    before = fingerprint(store)
    workspace.import_action.trigger()
    wizard = workspace.wizard
    qtbot.waitExposed(wizard)
    nxt, back = wizard.button(QWizard.WizardButton.NextButton), wizard.button(QWizard.WizardButton.BackButton)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)
    assert not nxt.isEnabled()  # no file yet
    browse = next(b for b in wizard.file_page.findChildren(QPushButton) if b.text() == "Bläddra …")
    asked = file_dialog_answers([f])
    qtbot.mouseClick(browse, LEFT)
    assert asked == ["Välj fil att importera"] and wizard.file_page.path.text() == str(f)
    qtbot.mouseClick(nxt, LEFT)
    assert wizard.currentPage() is wizard.mapping_page
    qtbot.mouseClick(back, LEFT)
    assert wizard.currentPage() is wizard.file_page and wizard.file_page.path.text() == str(f)
    qtbot.mouseClick(nxt, LEFT)
    qtbot.mouseClick(nxt, LEFT)
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
    qtbot.mouseClick(nxt, LEFT)
    assert wizard.currentPage() is wizard.units_page and wizard.units_page.model.rowCount() == 1
    assert cancel.isVisible() and cancel.text() == "Avbryt"
    qtbot.mouseClick(cancel, LEFT)
    assert not wizard.isVisible()
    assert fingerprint(store) == before and "9901" not in store.unit_tree()


def test_import_wizard_cancel_on_the_first_page(qtbot, workspace):
    before = fingerprint(workspace.ctx.store)
    workspace.import_action.trigger()
    wizard = workspace.wizard
    qtbot.waitExposed(wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.CancelButton), LEFT)
    assert not wizard.isVisible() and fingerprint(workspace.ctx.store) == before


# --- Rapporter ------------------------------------------------------------------------------------
def pdf_text(path) -> str:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(min(len(pdf), 4)))
    finally:
        pdf.close()


def test_rapporter_spara_som_pdf_excel_and_html_then_stang(qtbot, workspace, tmp_path, file_dialog_answers):
    from socdesk.reports.document import Table

    workspace.report_action.trigger()
    dialog = workspace.report_dialog
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=120_000)
    report = dialog.report
    heading = report.title_page.title if report.title_page else report.title  # the first page's heading
    table = next(b for b in report.blocks if isinstance(b, Table) and b.rows)
    first_label = table.text(0, 0)
    written = {}
    for n, name in enumerate(("rapport.pdf", "rapport.xlsx", "rapport.html"), start=1):
        target = tmp_path / name
        asked = file_dialog_answers([target])
        qtbot.mouseClick(dialog.save, LEFT)  # clicked(bool) is not taken as a path
        assert asked == ["Spara rapporten"] * n
        qtbot.waitUntil(lambda t=target: dialog.status.text() == f"{t} sparad.", timeout=120_000)
        written[name] = target
    pdf = written["rapport.pdf"]
    assert pdf.read_bytes()[:4] == b"%PDF"
    text = " ".join(pdf_text(pdf).split())
    assert " ".join(heading.split()) in text and report.title in text
    book = load_workbook(written["rapport.xlsx"], read_only=True)
    cells = {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v}
    book.close()
    assert table.title in " ".join(cells) and first_label in cells
    page = html.unescape(written["rapport.html"].read_text(encoding="utf-8"))
    assert page.lstrip().lower().startswith("<!doctype html") and "<table" in page
    assert heading in page and table.title in page and first_label in page
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
    assert not dialog.isVisible()


def test_rapportmallar_logo_choice_and_stang(qtbot, workspace, tmp_path, file_dialog_answers):
    store = workspace.ctx.store
    logo = tmp_path / "logo.png"
    logo.write_bytes(bytes.fromhex("89504e470d0a1a0a"))
    workspace.templates_action.trigger()
    dialog = workspace.templates_dialog
    qtbot.waitUntil(dialog.isVisible)
    asked = file_dialog_answers([logo])
    qtbot.mouseClick(dialog.choose_logo, LEFT)
    assert len(asked) == 1 and dialog.fields["report.logo"].text() == str(logo)
    assert store.setting("report.logo") is None  # chosen, not saved: Spara inställningar saves
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
    assert not dialog.isVisible() and store.setting("report.logo") is None


# --- Importhistorik -------------------------------------------------------------------------------
def test_importhistorik_undo_answered_no_then_yes_and_stang(qtbot, workspace, monkeypatch):
    store = workspace.ctx.store
    newest = store.batches()[-1]
    facts = store.facts_count()
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or next(answers))
    seen: dict = {}

    def act(dialog) -> None:
        assert dialog.windowTitle() == "Importhistorik"
        dialog.table.selectRow(0)  # newest first
        qtbot.mouseClick(dialog.undo, LEFT)  # Nej: nothing undone
        seen["after no"] = (store.facts_count(), list(dialog.undone))
        qtbot.mouseClick(dialog.undo, LEFT)  # Ja
        seen["after yes"] = (store.facts_count(), list(dialog.undone), dialog.info.text())
        qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
        seen["closed"] = not dialog.isVisible()

    handled = in_modal(qtbot, act)
    workspace.batches_action.trigger()  # Arkiv → Importhistorik …, modal
    assert handled and seen["closed"]
    assert len(asked) == 2 and newest["file_name"] in asked[0]
    assert seen["after no"] == (facts, [])
    count, undone, info = seen["after yes"]
    assert undone == [newest["id"]] and count < facts and "uppgifter återställda" in info
    assert store.batches()[-1]["undone_at"]


# --- Nytt budgetår --------------------------------------------------------------------------------
def test_nytt_budgetar_avbryt_writes_nothing(qtbot, workspace):
    store = workspace.ctx.store
    before = fingerprint(store)
    workspace.new_year_action.trigger()
    dialog = workspace.new_year_dialog
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Cancel), LEFT)
    assert not dialog.isVisible()
    assert fingerprint(store) == before
    v = store.value("7762", store.measures()["netto"], Scenario.BUDGET, Period.year(2025))
    assert not v.is_number  # no budget 2025 was made


# --- Röjandekontroll --------------------------------------------------------------------------------
@pytest.mark.parametrize(("press", "kept"), [(QDialogButtonBox.StandardButton.Ok, "7"), (None, None)])
def test_rojandekontroll_ok_keeps_the_value_and_avbryt_does_not(qtbot, workspace, press, kept):
    store = workspace.ctx.store
    assert store.setting("disclosure_threshold") is None

    def act(dialog) -> None:
        assert isinstance(dialog, QInputDialog)
        spin = dialog.findChild(QSpinBox)
        spin.lineEdit().selectAll()
        qtbot.keyClicks(spin.lineEdit(), "7")
        which = press or QDialogButtonBox.StandardButton.Cancel
        qtbot.mouseClick(button(dialog, which), LEFT)

    handled = in_modal(qtbot, act)
    workspace.threshold_action.trigger()
    assert handled
    assert store.setting("disclosure_threshold") == kept


# --- Ny ombudgetering -----------------------------------------------------------------------------
@pytest.mark.parametrize("press", ["ok", "cancel"])
def test_ny_ombudgetering_ok_registers_it_and_avbryt_does_not(qtbot, workspace, press):
    from socdesk.core.periods import Month
    from socdesk.core.roles import Role
    from socdesk.gui.register_view import Kind

    store = workspace.ctx.store
    workspace.period.set_month(Month(2024, 5))
    workspace.tabs.setCurrentWidget(workspace.register)
    qtbot.waitUntil(lambda: workspace.register.entry.model is not None)
    workspace.locks.set_role(Role.CONTROLLER)  # who may register an ombudgetering
    reg = workspace.register
    reg.kind.setCurrentIndex(reg.kind.findData(Kind.BUDGET))
    qtbot.waitUntil(lambda: reg.entry.model.form.key.startswith("budget:771:2024"))
    assert reg.new_version.isVisible() and reg.new_version.isEnabled()
    year = 2024
    before = [v["version"] for v in store.budget_versions(year)]

    def act(dialog) -> None:
        dialog.month.setCurrentIndex(5)  # jun
        dialog.reason.clear()
        qtbot.keyClicks(dialog.reason, "Beslut SN 45")  # (keyClicks aborts on non-ASCII)
        standard = (
            QDialogButtonBox.StandardButton.Ok if press == "ok" else QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.mouseClick(button(dialog, standard), LEFT)

    handled = in_modal(qtbot, act)
    qtbot.mouseClick(reg.new_version, LEFT)
    assert handled
    after = [v["version"] for v in store.budget_versions(year)]
    if press == "ok":
        assert after == [*before, f"{year}-06"]
    else:
        assert after == before


# --- Hjälp ----------------------------------------------------------------------------------------
def test_hjalp_stang(qtbot, workspace):
    help_menu = next(m for m in workspace.menuBar().findChildren(QMenu) if m.title() == "&Hjälp")
    help_menu.actions()[0].trigger()
    dialog = workspace.help_window
    qtbot.waitUntil(dialog.isVisible)
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
    assert not dialog.isVisible()


# --- Period → Öppna perioden igen (its reason asked in a QInputDialog) -----------------------------
@pytest.mark.parametrize("press", ["ok", "cancel"])
def test_reopen_reason_ok_reopens_and_avbryt_keeps_the_lock(qtbot, workspace, monkeypatch, press):
    from PySide6.QtWidgets import QLineEdit

    from socdesk.core.roles import Role

    store = workspace.ctx.store
    workspace.role_actions[Role.CONTROLLER].trigger()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    workspace.lock_action.trigger()
    may = Period.month(2024, 5)
    assert store.locked("7762", may)

    def act(dialog) -> None:
        assert isinstance(dialog, QInputDialog) and dialog.windowTitle() == "Öppna perioden igen"
        qtbot.keyClicks(dialog.findChild(QLineEdit), "Sen faktura")
        standard = (
            QDialogButtonBox.StandardButton.Ok if press == "ok" else QDialogButtonBox.StandardButton.Cancel
        )
        qtbot.mouseClick(button(dialog, standard), LEFT)

    handled = in_modal(qtbot, act)
    workspace.reopen_action.trigger()
    assert handled
    if press == "ok":
        assert not store.locked("7762", may) and store.lock_events()[-1]["reason"] == "Sen faktura"
        assert workspace.period.lock_label.text() == ""
    else:
        assert store.locked("7762", may) and "Låst" in workspace.period.lock_label.text()


# --- Period → Visa historik -------------------------------------------------------------------------
def test_history_revert_then_stang(qtbot, workspace):
    from socdesk.core.roles import Role

    store = workspace.ctx.store
    workspace.role_actions[Role.CONTROLLER].trigger()
    workspace.tabs.setCurrentWidget(workspace.economy)
    workspace.economy.table.selectRow(workspace.economy.model.row_of("7762"))
    seen: dict = {}
    facts = store.facts_count()

    def act(dialog) -> None:
        model = dialog.model
        seen["before"] = model.rowCount()
        seen["from"] = model.index(0, 4).data()  # what the import made it
        dialog.view.selectRow(0)
        qtbot.mouseClick(dialog.revert, LEFT)
        model = dialog.model  # reloaded
        seen["after"] = model.rowCount()
        seen["last"] = [model.index(model.rowCount() - 1, c).data() for c in (3, 4)]
        seen["facts"] = store.facts_count()
        qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
        seen["closed"] = not dialog.isVisible()

    handled = in_modal(qtbot, act)
    workspace.history_action.trigger()  # Period → Visa historik för vald rad eller cell …, modal
    assert handled and seen["closed"]
    assert seen["before"] == 4 and seen["after"] == 5  # the revert is a change of its own
    assert seen["last"] == [seen["from"], "–"]  # the imported figure taken back: the cell is empty
    assert seen["facts"] == facts - 1


# --- Arkiv → Visa logg, Inställningar → Mått: Stäng ---------------------------------------------------
def test_visa_logg_shows_the_log_and_stang_closes_it(qtbot, demo_db, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow
    from socdesk.io.seeds import open_database

    log = tmp_path / "socdesk.log"
    log.write_text("2024-06-01 12:00:00 INFO socdesk: databasen öppnad\n", encoding="utf-8")
    store = open_database(demo_db)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(AppContext(store, settings, log_path=log))
    qtbot.addWidget(window)
    try:
        action = next(a for a in window.findChildren(type(window.import_action)) if a.text() == "Visa &logg")
        assert action.isEnabled()
        seen: dict = {}

        def act(dialog) -> None:
            texts = dialog.findChildren(QPlainTextEdit) + dialog.findChildren(QTextEdit)
            seen["text"] = " ".join(t.toPlainText() for t in texts)
            qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Close), LEFT)
            seen["closed"] = not dialog.isVisible()

        handled = in_modal(qtbot, act)
        action.trigger()
        assert handled and seen["closed"] and "databasen öppnad" in seen["text"]
    finally:
        window.close()
        store.close()


def test_matt_stang_closes_and_changes_nothing(qtbot, workspace):
    store = workspace.ctx.store
    before = store.measures()
    workspace.measures_action.trigger()
    dialog = workspace.measures_dialog
    qtbot.waitUntil(dialog.isVisible)
    close = button(dialog, QDialogButtonBox.StandardButton.Close)
    assert close.text() == "Stäng"
    qtbot.mouseClick(close, LEFT)
    assert not dialog.isVisible() and store.measures() == before
