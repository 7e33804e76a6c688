"""Inställningar → Mått and the wizard with a mått.csv beside the file, as a user walks them:
a measure added in the dialog (refused first, with the message), audited on the chain, then used
by an import; a file whose measure is declared beside it imports through the wizard."""

import subprocess
import sys
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.gui.import_wizard import ImportWizard
from socdesk.gui.measures_dialog import MeasuresDialog
from socdesk.io import importer
from socdesk.store.measures import AUDIT_SCENARIO

HEADER = "nyckel;namn;enhet;additiv_tid;additiv_enheter;additiv_uppdelning;högre_bättre;formel\n"
LONG = "enhet;period;mått;scenario;värde\n"
YEAR = Period.year(2024)


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def measure_rows(store):
    return [r for r in store.audit_rows() if r["scenario"] == AUDIT_SCENARIO]


def walk_wizard(qtbot, window, path) -> ImportWizard:
    """Arkiv → Importera, the file, Nästa to the last step, Läs in."""
    window.import_action.trigger()
    wizard: ImportWizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(path))
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.mapping_page
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    qtbot.waitUntil(lambda: wizard.check_page.isComplete(), timeout=10_000)
    click(qtbot, wizard.button(QWizard.WizardButton.NextButton))
    assert wizard.currentPage() is wizard.run_page
    return wizard


def test_add_a_measure_in_the_dialog_see_it_audited_and_used_by_an_import(
    qtbot, qtmodeltester, workspace, tmp_path
):
    store = workspace.ctx.store
    workspace.measures_action.trigger()
    dialog: MeasuresDialog = workspace.measures_dialog
    qtbot.waitExposed(dialog)
    assert dialog.model.rowCount() == len(store.measures())
    qtmodeltester.check(dialog.model)
    before = len(store.audit_rows())

    click(qtbot, dialog.add_button)
    qtbot.keyClicks(dialog.key, "kr_per_invanare")
    qtbot.keyClicks(dialog.name, "Nettokostnad per invånare")
    dialog.unit.setCurrentIndex(dialog.unit.findData("kr/invånare"))
    for box in (dialog.additive_time, dialog.additive_units, dialog.additive_breakdown):
        assert not box.isChecked()  # a new measure adds up over nothing until the user says so
    qtbot.keyClick(dialog.additive_units, Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.formula, "netto / invanare")
    click(qtbot, dialog.save_button)  # a rate ticked additive over units is refused, with the reason
    assert (
        "kolumn additiv_enheter: måttet kr_per_invanare är en andel eller ett tal per något "
        "(måttenheten är kr/invånare)" in dialog.message.text()
    )
    assert "kr_per_invanare" not in store.measures() and len(store.audit_rows()) == before
    qtbot.keyClick(dialog.additive_units, Qt.Key.Key_Space)
    dialog.formula.clear()
    qtbot.keyClicks(dialog.formula, "netto / folk")
    click(qtbot, dialog.save_button)
    assert "formeln ”netto / folk” nämner okända mått: folk" in dialog.message.text()
    assert "kr_per_invanare" not in store.measures() and len(store.audit_rows()) == before

    dialog.formula.clear()
    qtbot.keyClicks(dialog.formula, "netto / invanare")
    with qtbot.waitSignal(dialog.measures_changed):
        click(qtbot, dialog.save_button)
    assert "Måttet kr_per_invanare sparades." in dialog.message.text()
    m = store.measures()["kr_per_invanare"]
    assert (m.unit, m.additive_time, m.additive_units, m.formula) == (
        "kr/invånare",
        False,
        False,
        "netto / invanare",
    )
    row = dialog.row_of("kr_per_invanare")
    assert (
        dialog.model.index(row, 7).data() == "netto / invanare" and dialog.model.index(row, 3).data() == "nej"
    )
    audited = measure_rows(store)
    assert [(r["measure"], r["action"], r["source"], r["who"]) for r in audited] == [
        ("kr_per_invanare", "insert", "mått", store.user)
    ]

    # a change of unit is refused in the form, with the store's message; a new name is saved
    click(qtbot, dialog.edit_button)
    assert not dialog.key.isEnabled() and dialog.key.text() == "kr_per_invanare"
    dialog.unit.setCurrentIndex(dialog.unit.findData("kr"))
    click(qtbot, dialog.save_button)
    assert "måttet kr_per_invanare finns redan med ”kr/invånare”, inte ”kr”" in dialog.message.text()
    dialog.unit.setCurrentIndex(dialog.unit.findData("kr/invånare"))
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Kostnad per invånare")
    click(qtbot, dialog.save_button)
    assert store.measures()["kr_per_invanare"].name == "Kostnad per invånare"
    assert [r["action"] for r in measure_rows(store)] == ["insert", "update"]
    dialog.accept()

    # socdesk check verifies the chain with the measure's rows in it
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "check", "--db", str(store.path)], capture_output=True, text=True
    )
    assert r.returncode == 0 and "kedjan är hel" in r.stdout, r.stdout + r.stderr

    # and an import uses the new measure
    f = tmp_path / "invånare.csv"
    f.write_text(
        LONG + "771;2024;invanare;utfall;23456\n771;2024;kr_per_invanare;utfall;5000\n", encoding="utf-8"
    )
    wizard = walk_wizard(qtbot, workspace, f)
    click(qtbot, wizard.run_page.start)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    v = store.value("771", store.measures()["kr_per_invanare"], Scenario.ACTUAL, YEAR)
    assert v.number == Decimal(5000)
    wizard.accept()


def test_a_per_10000_rate_cannot_be_saved_additive_over_units_in_the_dialog(qtbot, workspace):
    store = workspace.ctx.store
    workspace.measures_action.trigger()
    dialog: MeasuresDialog = workspace.measures_dialog
    qtbot.waitExposed(dialog)
    before = len(store.audit_rows())
    click(qtbot, dialog.add_button)
    qtbot.keyClicks(dialog.key, "x_r")
    qtbot.keyClicks(dialog.name, "Beslut per 10 000 invånare")
    qtbot.keyClicks(dialog.formula, "netto / invanare * 10000")  # unit left at antal: the formula tells
    qtbot.keyClick(dialog.additive_units, Qt.Key.Key_Space)
    click(qtbot, dialog.save_button)
    assert (
        "Måttet x_r, kolumn additiv_enheter: måttet x_r är en andel eller ett tal per något "
        "(formeln ”netto / invanare * 10000” delar med ett mått)" in dialog.message.text()
    )
    assert "x_r" not in store.measures() and len(store.audit_rows()) == before
    qtbot.keyClick(dialog.additive_units, Qt.Key.Key_Space)
    with qtbot.waitSignal(dialog.measures_changed):
        click(qtbot, dialog.save_button)
    assert not store.measures()["x_r"].additive_units
    dialog.accept()


def test_the_wizard_imports_a_file_with_its_measure_declared_beside_it(qtbot, workspace, tmp_path):
    store = workspace.ctx.store
    (tmp_path / "mått.csv").write_text(
        HEADER + "placerade_barn;Placerade barn och unga;antal;nej;ja;ja;nej;\n", encoding="utf-8"
    )
    f = tmp_path / "placeringar.csv"
    f.write_text(LONG + "771;2024;placerade_barn;utfall;37\n", encoding="utf-8")
    wizard = walk_wizard(qtbot, workspace, f)
    assert "Måtten deklareras i mått.csv." in wizard.check_page.status.text()
    assert "Nya mått: placerade_barn (Placerade barn och unga, antal)." in wizard.run_page.summary.text()
    assert "placerade_barn" not in store.measures()  # nothing before Läs in
    click(qtbot, wizard.run_page.start)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert store.measures()["placerade_barn"].additive_units
    v = store.value("771", store.measures()["placerade_barn"], Scenario.ACTUAL, YEAR)
    assert v.number == 37
    assert [(r["measure"], r["source"]) for r in measure_rows(store)] == [
        ("placerade_barn", "import mått.csv")
    ]
    wizard.accept()


def test_a_conflicting_declaration_beside_the_file_is_shown_in_the_wizard(qtbot, workspace, tmp_path):
    store = workspace.ctx.store
    (tmp_path / "matt.csv").write_text(HEADER + "netto;Nettokostnad;antal;ja;ja;ja;nej;\n", encoding="utf-8")
    f = tmp_path / "data.csv"
    f.write_text(LONG + "771;2024;netto;utfall;1\n", encoding="utf-8")
    before = len(store.audit_rows())
    workspace.import_action.trigger()
    wizard: ImportWizard = workspace.wizard
    wizard.file_page.path.setText(str(f))
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.check_page.errors.isVisible(), timeout=10_000)
    assert "matt.csv, rad 2, kolumn enhet: måttet netto finns redan med ”kr”, inte ”antal”" in (
        wizard.check_page.errors.toPlainText()
    )
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert len(store.audit_rows()) == before and store.measures()["netto"].unit == "kr"
    wizard.reject()


def test_the_statistik_tab_shows_kr_per_invanare_from_the_imported_population(qtbot, workspace, tmp_path):
    (tmp_path / "mått.csv").write_text(
        HEADER + "kr_per_invanare;Nettokostnad per invånare;kr/invånare;nej;nej;nej;nej;netto / invanare\n",
        encoding="utf-8",
    )
    f = tmp_path / "folkmängd.csv"
    f.write_text(LONG + "N-VUX-FH;2023;invanare;utfall;105000\n", encoding="utf-8")
    wizard = walk_wizard(qtbot, workspace, f)
    click(qtbot, wizard.run_page.start)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    wizard.accept()
    workspace.select_unit("N-VUX-FH")
    workspace.tabs.setCurrentIndex(2)
    model = workspace.statistics.model
    name = "Nettokostnad per invånare (beräknad) *"
    qtbot.waitUntil(lambda: any(model.index(r, 0).data() == name for r in range(model.rowCount())))
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    column = next(
        c for c in range(1, model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "2023"
    )
    assert model.index(row, column).data() == "12,81"  # 1 345 186 kr ÷ 105 000 invånare = 12,811…
    assert "netto / invanare" in model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(row, column - 1).data() == "–"  # 2022: no population stated


def test_scb_men_and_women_only_give_the_rate_row_in_the_statistik_tab(qtbot, workspace, tmp_path):
    store = workspace.ctx.store
    importer.remember_units(store, {"0182": "N-VUX-FH"})  # as Koppla till remembers it
    (tmp_path / "mått.csv").write_text(
        HEADER + "kr_per_invanare;Nettokostnad per invånare;kr/invånare;nej;nej;nej;nej;netto / invanare\n",
        encoding="utf-8",
    )
    f = tmp_path / "folkmängd.csv"
    f.write_bytes(
        (
            '"Folkmängd efter region, kön och år"\r\n"region","kön","2023"\r\n'
            '"0182 Nacka","män",53412\r\n"0182 Nacka","kvinnor",51588\r\n'
        ).encode("cp1252")
    )
    wizard = walk_wizard(qtbot, workspace, f)
    assert "Folkmängden totalt beräknades som kvinnor + män (1 uppgifter; tabellen anger bara kön)" in (
        wizard.check_page.status.text()
    )
    click(qtbot, wizard.run_page.start)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    wizard.accept()
    workspace.select_unit("N-VUX-FH")
    workspace.tabs.setCurrentIndex(2)
    model = workspace.statistics.model
    name = "Nettokostnad per invånare (beräknad) *"
    qtbot.waitUntil(lambda: any(model.index(r, 0).data() == name for r in range(model.rowCount())))
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == name)
    column = next(
        c for c in range(1, model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == "2023"
    )
    assert model.index(row, column).data() == "12,81"  # 1 345 186 kr ÷ (53 412 + 51 588) invånare


def test_the_wizard_checks_a_stated_rate_by_the_declared_formula(qtbot, workspace, tmp_path):
    (tmp_path / "mått.csv").write_text(
        HEADER
        + "placerade_barn;Placerade barn och unga;antal;nej;ja;ja;nej;\n"
        + "placerade_per_10000;Placerade per 10 000 invånare;per 10 000;nej;nej;nej;nej;"
        + "placerade_barn / invanare * 10000\n",
        encoding="utf-8",
    )
    f = tmp_path / "placeringar.csv"
    f.write_text(
        LONG
        + "771;2024;placerade_barn;utfall;37\n771;2024;invanare;utfall;23456\n"
        + "771;2024;placerade_per_10000;utfall;99\n",  # 37 × 10 000 / 23 456 is 15,8
        encoding="utf-8",
    )
    wizard = walk_wizard(qtbot, workspace, f)
    findings = wizard.check_page.findings.toPlainText()
    assert "Kontrollen av filens siffror gav 1 fynd" in wizard.check_page.status.text()
    assert "anges till 99 men placerade_barn / invanare * 10000 ger 16" in findings
    wizard.reject()
