"""The import wizard's unknown units' page (issue 16): each code the database does not know is
created (under a parent proposed from the file or the tree, never silently at the top level),
mapped to an existing unit, or skipped; chosen with the mouse and the keyboard in a table
model whose unit picker filters the units as one types."""

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard
from units_page_helpers import choose_action, open_editor, pick_unit  # tests/units_page_helpers.py

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit, UnitTree, likely_parent, likely_parents
from socdesk.gui.import_wizard import CREATE, MAP, SKIP, UnknownUnitsModel
from socdesk.gui.import_wizard.unknown_units_model import TOP, UnknownUnit, top_label
from socdesk.io import importer
from socdesk.io.seeds import open_database

JUNE = Period.month(2024, 6)
POPUP = pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # a completer popup, offscreen
LEDGER = (
    "Ansvar;Ansvarsnamn;Konto;Period;Belopp\n"
    "7762;Hemtjänst;4010;2024-06;100\n"
    "7764;Trygghetslarm hemtjänst;4010;2024-06;50\n"
    "7765;Nytt larm;4010;2024-06;10\n"  # beside 7762 and 7764: under their parent 771
    "77621;Hemtjänst helg;4010;2024-06;20\n"  # extends 7762: under it
    "9901;Nytt boende Åsen;4010;2024-06;7000\n"  # nothing in the file says where
)
TREE = UnitTree(
    [
        Unit("SN", "Socialnämnd"),
        Unit("756", "Social omsorg", "SN"),
        Unit("771", "Äldreomsorg", "SN"),
        Unit("7762", "Hemtjänst", "771"),
        Unit("7764", "Trygghetslarm hemtjänst", "771"),
        Unit("7767", "Jupiter", "756"),
    ]
)


def netto(store, unit):
    v = store.value(unit, store.measures()["netto"], Scenario.ACTUAL, JUNE)
    return v.number if v.is_number else None


def next_button(wizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def to_units_page(qtbot, window, path):
    """Arkiv → Importera, the file typed in, Nästa through the preview and the check."""
    window.import_action.trigger()
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(path))
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=10_000)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.units_page
    return wizard


# --- where a new unit goes -----------------------------------------------------------------------
def test_a_new_units_parent_is_that_of_its_siblings_in_the_file_or_the_unit_its_code_extends():
    assert likely_parent("7765", ["7762", "7764", "7765"], TREE) == "771"
    assert likely_parent("77621", ["7762", "77621"], TREE) == "7762"
    # siblings under two parents (7762 under 771, 7767 under 756) and no code it extends: unknown
    assert likely_parent("7765", ["7762", "7767", "7765"], TREE) is None
    assert likely_parent("9901", ["7762", "9901"], TREE) is None  # shares no prefix with any
    assert likely_parent("SN1", [], TREE) == "SN"


def test_a_skipped_code_leaves_its_rows_out_and_the_summary_says_so(demo_db, tmp_path):
    store = open_database(demo_db)
    try:
        source = importer.read_source(LEDGER.encode(), "bok.csv", store)
        with pytest.raises(SocdeskError, match="9901"):  # neither created, mapped nor skipped: refused
            importer.plan(store, source, create={"7765": "771", "77621": "7762"})
        plan = importer.plan(store, source, create={"7765": "771", "77621": "7762"}, skip={"9901"})
        assert [u.code for u in plan.new_units] == ["7765", "77621"]
        assert {r[0] for r in plan.rows} == {"7762", "7764", "7765", "77621"}
        lines = plan.summary().lines()
        assert "2 nya enheter skapas." in lines
        assert "Raderna med den överhoppade enhetskoden 9901 ingår inte." in lines
    finally:
        store.close()


def reference_parent(code, codes_in_file, tree):
    """The rule as written, code by code against every code of the file (quadratic)."""
    best, parents = 0, set()
    for other in codes_in_file:
        unit = tree.get(other)
        if unit is None or other == code or len(other) != len(code):
            continue
        shared = next((i for i, (a, b) in enumerate(zip(code, other, strict=True)) if a != b), len(code))
        if shared < max(1, len(code) // 2) or shared < best:
            continue
        if shared > best:
            best, parents = shared, set()
        parents.add(unit.parent)
    if len(parents) == 1 and None not in parents:
        return next(iter(parents))
    return next((code[:n] for n in range(len(code) - 1, 0, -1) if code[:n] in tree), None)


def test_likely_parents_of_thousands_of_codes_agree_with_the_rule_code_by_code():
    import random

    rnd = random.Random(16)
    units = [Unit("SN", "Socialnämnd")]
    for _program in range(40):  # programs of 3 digits, verksamheter of 4 and 5 under them
        program = f"{rnd.randrange(100, 999)}"
        if any(u.code == program for u in units):
            continue
        units.append(Unit(program, "p", "SN"))
        for _ in range(rnd.randrange(1, 12)):
            code = program[: rnd.choice((2, 3))] + "".join(rnd.choices("0123456789", k=rnd.choice((2, 3))))
            if all(u.code != code for u in units):
                units.append(Unit(code, "v", program))
    tree = UnitTree(units)
    known = [u.code for u in units]
    unknown = list(
        dict.fromkeys("".join(rnd.choices("0123456789", k=rnd.choice((3, 4, 5)))) for _ in range(3000))
    )
    unknown = [c for c in unknown if c not in tree]
    in_file = rnd.sample(known, len(known) // 2) + unknown
    fast = likely_parents(unknown, in_file, tree)
    assert fast == {c: reference_parent(c, in_file, tree) for c in unknown}
    assert sum(v is not None for v in fast.values()) > len(unknown) // 4  # most rules had something to go on


# --- the model ----------------------------------------------------------------------------------
def test_the_unknown_units_model(qtmodeltester):
    model = UnknownUnitsModel(TREE)
    model.set_rows(
        [
            UnknownUnit("7765", "Nytt larm", "bok.csv, rad 4, kolumn Ansvar", CREATE, "771"),
            UnknownUnit("9901", "", "bok.csv, rad 6, kolumn Ansvar", CREATE, None),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert [model.index(0, c).data() for c in range(4)] == [
        "7765",
        "Nytt larm",
        "Skapa ny under …",
        "771 Äldreomsorg",
    ]
    assert model.index(1, 3).data() == "(välj enhet)"
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == "bok.csv, rad 4, kolumn Ansvar"
    assert model.problems() == ["9901: välj var den nya enheten ska ligga (enheten över den i trädet)."]
    assert model.code_for("7762 Hemtjänst") == "7762" and model.code_for("7762") == "7762"
    assert model.code_for("hemtjänst") is None and model.code_for(top_label()) == TOP
    assert not model.setData(model.index(1, 3), "9999")  # no such unit: the choice stays
    assert model.setData(model.index(1, 3), TOP)
    assert model.choices() == ({}, {"7765": "771", "9901": None}, set())
    assert model.setData(model.index(1, 2), MAP)  # the top level is no unit to map to
    assert model.rows[1].unit is None and not model.setData(model.index(1, 3), TOP)
    assert model.setData(model.index(1, 2), SKIP) and model.problems() == []
    assert not model.flags(model.index(1, 3)) & Qt.ItemFlag.ItemIsEditable
    assert model.choices() == ({}, {"7765": "771"}, {"9901"})


# --- the page, as a user works it ----------------------------------------------------------------
@POPUP
def test_create_under_the_proposed_parents_refuse_an_unchosen_one_skip_it_and_import(
    qtbot, workspace, tmp_path
):
    store = workspace.ctx.store
    f = tmp_path / "bok.csv"
    f.write_text(LEDGER, encoding="utf-8")
    workspace.select_unit("754")  # chosen in the tree: where a unit goes that the file says nothing of
    before = store.facts_count()
    wizard = to_units_page(qtbot, workspace, f)
    page = wizard.units_page
    model = page.model
    assert page.status.text() == "3 enhetskoder i bok.csv finns inte i databasen."
    assert {r.code: (r.name, r.action, r.unit) for r in model.rows} == {
        "7765": ("Nytt larm", CREATE, "771"),
        "77621": ("Hemtjänst helg", CREATE, "7762"),
        "9901": ("Nytt boende Åsen", CREATE, "754"),
    }
    row = next(i for i, r in enumerate(model.rows) if r.code == "9901")
    assert page.counts.text() == "3 nya enheter skapas."
    assert model.units.rowCount() == len(store.unit_tree())  # one list of the units, for every row …
    assert all(page.table.indexWidget(model.index(r, 3)) is None for r in range(3))  # … no widget per row
    # the user empties 9901's unit: Nästa is refused, naming the code, and nothing is written
    picker = open_editor(qtbot, page.table, row, UnknownUnitsModel.UNIT)
    assert picker.text() == "754 Myndighet"
    picker.selectAll()
    qtbot.keyClick(picker, Qt.Key.Key_Delete)
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.rows[row].unit is None)
    assert wizard.currentPage() is page  # the Return that ends the edit does not press Nästa
    assert model.index(row, 3).data() == "(välj enhet)"
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is page
    assert (
        page.status.text()
        == "9901 Nytt boende Åsen: välj var den nya enheten ska ligga (enheten över den i trädet)."
    )
    assert store.facts_count() == before and "9901" not in store.unit_tree()
    # … a name typed in part finds the unit; then the user skips 9901 after all
    pick_unit(qtbot, page.table, row, "myndighet", "754 Myndighet")
    choose_action(qtbot, page.table, row, SKIP)  # closed with Return, still on the page
    assert wizard.currentPage() is page
    # Tillbaka to the check and Nästa again: the choices are kept
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.check_page
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is page and model.rows[row].action == SKIP
    assert model.index(row, 3).data() == "(raderna läses inte in)"
    assert page.counts.text() == "2 nya enheter skapas, 1 kod hoppas över."
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    run = wizard.run_page
    assert wizard.currentPage() is run
    summary = run.summary.text()
    assert (
        "2 nya enheter skapas." in summary
        and "Raderna med den överhoppade enhetskoden 9901 ingår inte." in summary
    )
    assert "bok.csv: 5 rader gav 8 uppgifter för 4 enheter, jun 2024." in summary
    assert "Nettokostnad, utfall jun 2024: 160\u00a0kr" in summary  # 100 + 50 + 10; 77621 is in 7762
    qtbot.mouseClick(run.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert "2 nya enheter skapades." in wizard.done_page.text.text()
    tree = store.unit_tree()
    assert tree["7765"].parent == "771" and tree["7765"].name == "Nytt larm"
    assert tree["77621"].parent == "7762" and "9901" not in tree
    assert netto(store, "7765") == 10 and netto(store, "77621") == 20
    assert importer.unit_map(store) == {}  # nothing mapped: nothing remembered
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()


@POPUP
def test_the_top_level_only_when_the_user_chooses_it(qtbot, workspace, tmp_path):
    store = workspace.ctx.store
    f = tmp_path / "ny.csv"
    f.write_text("Ansvar;Ansvarsnamn;Konto;Period;Belopp\n9901;Nytt boende Åsen;4010;2024-06;7000\n", "utf-8")
    workspace.select_unit("7762")  # a leaf: the new unit goes beside it, under 771
    wizard = to_units_page(qtbot, workspace, f)
    page = wizard.units_page
    assert page.status.text() == "1 enhetskod i ny.csv finns inte i databasen."
    assert page.model.rows[0].unit == "771" and page.counts.text() == "1 ny enhet skapas."
    pick_unit(qtbot, page.table, 0, "ingen", top_label())
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert "1 ny enhet skapas." in wizard.run_page.summary.text()
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert "1 ny enhet skapades." in wizard.done_page.text.text()
    assert store.unit_tree()["9901"].parent is None and netto(store, "9901") == Decimal(7000)
    wizard.accept()


@POPUP
def test_a_mapping_is_remembered_only_when_asked(qtbot, workspace, tmp_path):
    store = workspace.ctx.store
    f = tmp_path / "natt.csv"
    f.write_text("Ansvar;Ansvarsnamn;Konto;Period;Belopp\n77620;Hemtjänst natt;4010;2024-06;300\n", "utf-8")
    wizard = to_units_page(qtbot, workspace, f)
    page = wizard.units_page
    choose_action(qtbot, page.table, 0, MAP)
    assert page.model.index(0, 3).data() == "7762 Hemtjänst" and page.remember.isEnabled()
    qtbot.mouseClick(page.remember, Qt.MouseButton.LeftButton, pos=QPoint(8, page.remember.height() // 2))
    assert not page.remember.isChecked()
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert "1 rad gav 2 uppgifter för 1 enhet" in wizard.run_page.summary.text()
    qtbot.mouseClick(wizard.run_page.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.done_page, timeout=10_000)
    assert importer.unit_map(store) == {} and "77620" not in store.unit_tree()
    assert netto(store, "7762") == 300
    wizard.accept()
