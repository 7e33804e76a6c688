"""The import wizard's choice for a SIE file without cost centres (issue 14): shown only for
such files, required before going on, and the whole file imported as the chosen unit."""

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from socdesk.core.facts import Scenario
from socdesk.core.periods import Period

WITHOUT_OBJECTS = (
    '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#FNAMN "Hemtjänst AB"\r\n#RAR 0 20240101 20241231\r\n'
    '#VER A 1 20240612 "Lön"\r\n{\r\n#TRANS 4010 {} 1200.00\r\n#TRANS 3010 {} -200.00\r\n'
    "#TRANS 1930 {} -1000.00\r\n}\r\n"
)


def next_button(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def test_a_sie_file_without_cost_centres_is_imported_as_the_chosen_unit(qtbot, workspace, tmp_path):
    f = tmp_path / "utan kst.se"
    f.write_bytes(WITHOUT_OBJECTS.encode("cp437"))
    workspace.import_action.trigger()
    wizard = workspace.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(f))
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    page = wizard.mapping_page
    assert page.sie_unit.isVisible()
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)  # no unit chosen: stays
    assert wizard.currentPage() is page
    assert page.note.text() == "Välj den enhet som hela SIE-filen ska läsas in som."
    page.sie_unit.units.setCurrentIndex(page.sie_unit.units.findData("7762"))
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    check = wizard.check_page
    qtbot.waitUntil(check.isComplete, timeout=10_000)
    assert "utfallet summerades från verifikationerna (#TRANS)" in check.status.text()
    assert check.unknown == {}
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    store = workspace.ctx.store
    june = Period.month(2024, 6)
    assert store.value("7762", store.measures()["kostnader"], Scenario.ACTUAL, june).number == Decimal(
        "1200.00"
    )
    assert store.value("7762", store.measures()["netto"], Scenario.ACTUAL, june).number == Decimal("1000.00")
    wizard.accept()


def test_the_choice_is_not_shown_for_a_sie_file_with_cost_centres(qtbot, workspace, tmp_path):
    f = tmp_path / "med kst.se"
    f.write_bytes(WITHOUT_OBJECTS.replace("#TRANS 4010 {}", '#TRANS 4010 {1 "7762"}').encode("cp437"))
    workspace.import_action.trigger()
    wizard = workspace.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(f))
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.mapping_page and not wizard.mapping_page.sie_unit.isVisible()
    assert wizard.profile().as_unit == ""
    wizard.reject()


def test_a_sie_file_whose_names_were_lost_is_refused_in_the_wizard(qtbot, workspace, tmp_path):
    f = tmp_path / "förlorad.se"
    f.write_bytes(WITHOUT_OBJECTS.replace("ä", "\ufffd").encode("utf-8"))
    workspace.import_action.trigger()
    wizard = workspace.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(f))
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert not wizard.mapping_page.sie_unit.isVisible()
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    check = wizard.check_page
    qtbot.waitUntil(check.errors.isVisible, timeout=10_000)
    assert 'förlorad.se, rad 4: ”#FNAMN "Hemtj\ufffdnst AB"”: bokstäverna (å, ä, ö …) är redan ersatta' in (
        check.errors.toPlainText()
    )
    assert not next_button(wizard).isEnabled()
    wizard.reject()
