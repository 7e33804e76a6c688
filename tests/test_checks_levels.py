"""Checks that see through levels and "därav" parts, on constructed tables as a user has them:
long CSV files imported and checked with ``socdesk`` in a real process.

The two tables in tests/data/checks are the examples of docs/long-csv.md (a test below keeps
them the same).
"""

import json
import re
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socdesk.core.checks import Checker, findings_for, run_checks
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale
from socdesk.core.periods import parse_period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import parse_value
from socdesk.io.seeds import open_database

DATA = Path(__file__).parent / "data" / "checks"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "long-csv.md"
MOVED = DATA / "flyttad_rad.csv"  # 7105 Ekonomiskt bistånd placed under 72, not 71
PARTS = DATA / "darav.csv"


MEASURES = {
    "netto": Measure("netto", "Nettokostnad", "kr", True, True, True, False, "kostnader + intakter"),
    "kostnader": Measure("kostnader", "Kostnader", "kr", True, True, True, False),
    "intakter": Measure("intakter", "Intäkter", "kr", True, True, True, False),
}


def fact(unit, measure, scenario, period, value):
    key = FactKey(unit, measure, Scenario(scenario), parse_period(period), "", "", "")
    return Fact(key, parse_value(value, Scale.TKR))


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def imported(tmp_path, text: str, name: str = "tabell.csv") -> Path:
    src = tmp_path / name
    src.write_bytes(text.encode("utf-8"))
    db = tmp_path / "t.db"
    r = socdesk("import", "--db", db, src)
    assert r.returncode == 0, r.stderr
    return db


def check_json(db: Path) -> list[dict]:
    r = socdesk("check", "--db", db, "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def text_of(path: Path) -> str:
    return path.read_bytes().decode("utf-8")


# --- a row under the wrong parent, the middle level stating only the result ------------------
def test_a_row_under_the_wrong_parent_is_found_through_the_middle_level(tmp_path):
    findings = check_json(imported(tmp_path, text_of(MOVED)))
    got = {
        (f["rule"], f["unit"], f["measure"], f["scenario"], f["period"], f["stated"], f["computed"])
        for f in findings
    }
    assert got == {
        ("derived_mismatch", "71", "netto", "utfall", "2024", 93_200_000, 65_400_000),
        ("derived_mismatch", "72", "netto", "utfall", "2024", 126_000_000, 153_800_000),
    }
    by = {f["unit"]: f for f in findings}
    message = by["71"]["message"].replace("\u00a0", " ")
    assert "anges till 93 200 tkr men kostnader + intakter ger 65 400 tkr" in message
    assert (
        "Där 71 Individ- och familjeomsorg saknar egen uppgift används summan av underliggande enheter"
        in message
    )
    move = (
        "Flyttas 7105 Ekonomiskt bistånd från 72 Äldreomsorg till 71 Individ- och familjeomsorg stämmer båda."
    )
    assert message.endswith(move) and by["72"]["message"].replace("\u00a0", " ").endswith(move)
    assert (by["71"]["kön"], by["71"]["grupp"]) == ("", "")


def test_the_same_table_with_the_row_in_its_place_has_no_findings(tmp_path):
    right = text_of(MOVED).replace("7105;Ekonomiskt bistånd;72;", "7105;Ekonomiskt bistånd;71;")
    assert right != text_of(MOVED)
    db = imported(tmp_path, right)
    assert check_json(db) == []
    # the top states kostnader and intäkter, the middle neither: they were compared with the leaves
    store = open_database(db)
    try:
        checker = Checker(store.facts(), store.unit_tree(), store.measures())
        assert checker.run() == []
        sums = {(k.unit, k.measure) for r, k in checker.compared if r == "sum_mismatch"}
        assert {("SN", "kostnader"), ("SN", "intakter")} <= sums
        derived = {(k.unit, k.measure) for r, k in checker.compared if r == "derived_mismatch"}
        assert {("71", "netto"), ("72", "netto"), ("SN", "netto")} <= derived
    finally:
        store.close()


def test_a_wrong_top_total_is_found_through_a_middle_level_without_figures(tmp_path):
    wrong = text_of(MOVED).replace(
        "SN;Socialnämnden;;2024;kostnader;utfall;250 100;", "SN;Socialnämnden;;2024;kostnader;utfall;251 100;"
    )
    findings = check_json(imported(tmp_path, wrong))
    [top] = [f for f in findings if f["unit"] == "SN" and f["rule"] == "sum_mismatch"]
    assert (top["measure"], top["stated"], top["computed"]) == ("kostnader", 251_100_000, 250_100_000)
    assert "Där 71 Individ- och familjeomsorg, 72 Äldreomsorg saknar egen uppgift" in top["message"]


def test_a_moved_row_is_found_in_a_hand_made_fact_set():
    """The rule itself, without files: the middle level states only netto, the leaves only
    kostnader; comparing a parent with its direct children alone finds nothing here."""
    tree = UnitTree(
        [
            Unit("SN", "SN"),
            Unit("71", "IFO", "SN"),
            Unit("7101", "a", "71"),
            Unit("72", "ÄO", "SN"),
            Unit("7201", "b", "72"),
            Unit("7105", "x", "72"),
        ]
    )
    facts = [
        fact("7101", "kostnader", "utfall", "2024", "100"),
        fact("7201", "kostnader", "utfall", "2024", "50"),
        fact("7105", "kostnader", "utfall", "2024", "30"),  # belongs under 71
        fact("7101", "intakter", "utfall", "2024", "-10"),
        fact("7201", "intakter", "utfall", "2024", "-5"),
        fact("7105", "intakter", "utfall", "2024", "-3"),
        fact("71", "netto", "utfall", "2024", "117"),
        fact("72", "netto", "utfall", "2024", "45"),
        fact("SN", "kostnader", "utfall", "2024", "180"),
    ]
    found = {(f.rule, f.unit) for f in run_checks(facts, tree, MEASURES)}
    assert found == {("derived_mismatch", "71"), ("derived_mismatch", "72")}


# --- "därav" parts ---------------------------------------------------------------------------
def test_darav_rows_marked_as_parts_give_no_findings(tmp_path):
    db = imported(tmp_path, text_of(PARTS))
    assert check_json(db) == []
    store = open_database(db)
    try:
        tree = store.unit_tree()
        assert tree["SIS"].part and not tree["INST"].part
        checker = Checker(store.facts(), tree, store.measures())
        checker.run()
        parts = {(k.unit, k.measure, k.group) for r, k in checker.compared if r == "part_exceeds_whole"}
        # each part compared with its whole (unique persons too: a subset is no larger)
        assert parts == {("INST", "varddygn", ""), ("INST", "unika_personer", ""), ("HDV", "varddygn", "")}
        sums = {(k.unit, k.group) for r, k in checker.compared if r == "sum_mismatch"}
        assert ("HDV", "") in sums  # 0–12 år + 13–20 år, without the därav group
    finally:
        store.close()


def test_without_the_marks_the_same_table_is_blamed_for_not_adding_up(tmp_path):
    """The marks are what keeps check silent: read as complete splits, the parts do not add up."""
    unmarked = text_of(PARTS).replace(
        ";därav SiS;INST;2023;varddygn;utfall;781;;ja", ";SiS;INST;2023;varddygn;utfall;781;;"
    )
    unmarked = unmarked.replace("därav LVU", "LVU")
    assert "ja\r\n" not in unmarked and "därav L" not in unmarked
    found = {
        (f["rule"], f["unit"], f["measure"], f["grupp"]) for f in check_json(imported(tmp_path, unmarked))
    }
    assert found == {("sum_mismatch", "INST", "varddygn", ""), ("sum_mismatch", "HDV", "varddygn", "")}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "SIS;därav SiS;INST;2023;varddygn;utfall;781;",
            "SIS;därav SiS;INST;2023;varddygn;utfall;7 810;",
            ("part_exceeds_whole", "INST", "varddygn", "", 6717, 7810),
        ),
        (
            "SIS;;;2023;unika_personer;utfall;9;",
            "SIS;;;2023;unika_personer;utfall;49;",
            ("part_exceeds_whole", "INST", "unika_personer", "", 42, 49),
        ),
        (
            "utfall;12 400;därav LVU",
            "utfall;52 400;därav LVU",
            ("part_exceeds_whole", "HDV", "varddygn", "", 44209, 52400),
        ),
    ],
)
def test_a_part_larger_than_its_whole_is_found(tmp_path, old, new, expected):
    text = text_of(PARTS)
    assert old in text
    findings = check_json(imported(tmp_path, text.replace(old, new)))
    got = [(f["rule"], f["unit"], f["measure"], f["grupp"], f["stated"], f["computed"]) for f in findings]
    assert got == [expected]
    assert "en del kan inte vara större än helheten" in findings[0]["message"]


def test_findings_for_one_cell_are_what_check_says_about_it(tmp_path):
    db = imported(tmp_path, text_of(MOVED))
    store = open_database(db)
    try:
        tree = store.unit_tree()
        period = parse_period("2024")
        facts = store.facts(units=["71", *(u.code for u in tree.descendants("71"))], within=period)
        [one] = findings_for(facts, tree, store.measures(), unit="71", measure="netto", period=period)
        everything = run_checks(store.facts(), tree, store.measures())
        full = next(f for f in everything if f.unit == "71")
        # the same finding; the hint at the moved row needs the other parent's facts too
        assert replace(one, message="") == replace(full, message="")
        assert full.message.startswith(one.message) and "Flyttas 7105" in full.message
        parent = store.facts(units=["SN", *(u.code for u in tree.descendants("SN"))], within=period)
        assert findings_for(parent, tree, store.measures(), unit="71", measure="netto", period=period) == [
            full
        ]
        assert (
            findings_for(facts, tree, store.measures(), unit="7101", measure="kostnader", period=period) == []
        )
    finally:
        store.close()


def test_breakdown_findings_carry_kon_and_grupp_in_json(tmp_path):
    text = (
        "enhet;namn;period;mått;scenario;värde;kön;grupp\r\n"
        "A;Stadsdel A;2024;personer_med_beslut;utfall;30;;LSS\r\n"
        "A;;2024;personer_med_beslut;utfall;10;K;LSS\r\n"
        "A;;2024;personer_med_beslut;utfall;12;M;LSS\r\n"
        "A;;2024;personer_med_beslut;utfall;8;K;LSS: därav Daglig verksamhet\r\n"
        "A;;2024;personer_med_beslut;utfall;11;K;LSS: varav Ledsagarservice\r\n"
    )
    found = [
        (f["rule"], f["kön"], f["grupp"], f["stated"], f["computed"])
        for f in check_json(imported(tmp_path, text))
    ]
    # 10 + 12 ≠ 30; the two därav groups of K are not a split of LSS K, and 11 > 10 is found
    assert found == [("part_exceeds_whole", "K", "LSS", 10, 11), ("sum_mismatch", "", "LSS", 30, 22)]


# --- the long CSV column --------------------------------------------------------------------
def test_the_darav_column_is_checked_and_refusals_change_nothing(tmp_path):
    db = imported(tmp_path, text_of(PARTS), "first.csv")
    before = socdesk("export", "--db", db, "--output", tmp_path / "before.csv")
    assert before.returncode == 0, before.stderr
    cases = {
        "kanske": (
            "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\nX;X;HDV;2023;varddygn;utfall;1;kanske\r\n",
            "rad 2, kolumn därav: ”kanske” är inte ja, nej eller tomt",
        ),
        "top": (
            "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\nY;Y;;2023;varddygn;utfall;1;ja\r\n",
            "rad 2, kolumn därav: enheten Y har ingen överordnad",
        ),
        "changed": (
            "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\nSIS;;;2023;varddygn;utfall;1;nej\r\n",
            "rad 2, kolumn därav: enheten SIS är redan en del (därav) av INST",
        ),
        "changed2": (
            "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\nINST;;;2023;varddygn;utfall;1;ja\r\n",
            "rad 2, kolumn därav: enheten INST är redan en del av summan för HDV",
        ),
    }
    for name, (text, message) in cases.items():
        path = tmp_path / f"{name}.csv"
        path.write_bytes(text.encode("utf-8"))
        r = socdesk("import", "--db", db, path)
        assert r.returncode == 1
        assert f"{name}.csv, {message}" in r.stderr, r.stderr
    after = socdesk("export", "--db", db, "--output", tmp_path / "after.csv")
    assert after.returncode == 0
    assert (tmp_path / "after.csv").read_bytes() == (tmp_path / "before.csv").read_bytes()
    # stating the same mark again, or none, is fine
    same = tmp_path / "same.csv"
    same.write_bytes(
        "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\nSIS;;;2022;varddygn;utfall;1;ja\r\nINST;;;2022;varddygn;utfall;2;\r\nSTB;;;2022;varddygn;utfall;3;nej\r\n".encode()
    )
    assert socdesk("import", "--db", db, same).returncode == 0


def test_export_keeps_the_mark_and_old_files_stay_valid(tmp_path):
    db = imported(tmp_path, text_of(PARTS))
    out = tmp_path / "export.csv"
    assert socdesk("export", "--db", db, "--output", out).returncode == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(";källa;därav")
    assert "SIS;därav SiS;INST;;;;;;;;;;;ja" in lines
    db2 = tmp_path / "again.db"
    assert socdesk("import", "--db", db2, out).returncode == 0
    out2 = tmp_path / "export2.csv"
    assert socdesk("export", "--db", db2, "--output", out2).returncode == 0
    assert out2.read_bytes() == out.read_bytes()
    # a file of the old layout (no därav column) imports as before: every unit a component
    old = tmp_path / "old.csv"
    old.write_bytes(
        "enhet;namn;överordnad;period;mått;scenario;värde\r\nP;P;;2024;varddygn;utfall;5\r\nC;C;P;2024;varddygn;utfall;5\r\n".encode()
    )
    db3 = tmp_path / "old.db"
    assert socdesk("import", "--db", db3, old).returncode == 0
    store = open_database(db3)
    try:
        assert not any(u.part for u in store.unit_tree())
    finally:
        store.close()


def test_store_value_and_figures_leave_parts_out_of_a_parents_sum(tmp_path):
    text = (
        "enhet;namn;överordnad;period;mått;scenario;värde;därav\r\n"
        "P;P;;;;;;\r\n"
        "A;A;P;2024-01;varddygn;utfall;10;\r\n"
        "B;B;P;2024-01;varddygn;utfall;5;\r\n"
        "D;därav D;P;2024-01;varddygn;utfall;3;ja\r\n"
        "D1;D1;D;2024-01;varddygn;utfall;3;\r\n"
        "E;E;A;2024-01;varddygn;utfall;4;ja\r\n"
    )
    db = imported(tmp_path, text)
    store = open_database(db)
    try:
        from socdesk.store.figures import Figures

        m = store.measures()["varddygn"]
        for period in (parse_period("2024-01"), parse_period("2024-01/2024-03")):
            bulk = Figures(store).values(["P", "A", "D"], m, Scenario.ACTUAL, period)
            for code, expected in (("P", 15), ("A", 10), ("D", 3)):
                assert store.value(code, m, Scenario.ACTUAL, period).number == expected
                assert bulk[code].number == expected, (code, period)
    finally:
        store.close()


# --- the documentation shows these very tables ----------------------------------------------
def test_docs_show_the_tables_the_tests_check():
    blocks = re.findall(r"```\n(enhet;.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    files = {p.name: text_of(p).replace("\r\n", "\n") for p in (MOVED, PARTS)}
    for name, text in files.items():
        assert text in blocks, f"docs/long-csv.md does not show {name} as it is"


# --- the seeds' "varav SIS" tables ----------------------------------------------------------
def test_the_seeds_varav_sis_rows_are_parts_and_check_is_silent_about_them(tmp_path):
    from socdesk.io.seeds import build_demo

    path = tmp_path / "demo.db"
    build_demo(path)
    store = open_database(path)
    try:
        tree, measures, facts = store.unit_tree(), store.measures(), store.facts()
    finally:
        store.close()
    assert [u.code for u in tree if u.part] == ["N-BOU-INST-SIS", "N-VUX-INST-SIS"]
    checker = Checker(facts, tree, measures)
    findings = checker.run()
    assert not [f for f in findings if "SIS" in f.unit or f.unit.endswith("-INST")]
    parts = {(k.unit, k.measure, str(k.period)) for r, k in checker.compared if r == "part_exceeds_whole"}
    for inst in ("N-BOU-INST", "N-VUX-INST"):
        for y in range(2019, 2024):
            assert {(inst, "varddygn", str(y)), (inst, "unika_personer", str(y))} <= parts
    assert ("N-BOU-INST", "arsplaceringar", "2023-Q1") in parts  # 004: 3 of 20 placements
    # read as complete splits, the SiS tables would be blamed for not adding up
    as_components = UnitTree(replace(u, part=False) for u in tree)
    invented = {(f.rule, f.unit) for f in run_checks(facts, as_components, measures)} - {
        (f.rule, f.unit) for f in findings
    }
    assert invented == {("sum_mismatch", "N-BOU-INST"), ("sum_mismatch", "N-VUX-INST")}
    assert Decimal(781) == next(
        f.value.number
        for f in facts
        if f.key.unit == "N-BOU-INST-SIS" and f.key.measure == "varddygn" and str(f.key.period) == "2023"
    )


# --- the unit tree ---------------------------------------------------------------------------
def test_the_unit_tree_shows_a_part_in_italics_after_darav(qtbot, demo_db, tmp_path):
    from PySide6.QtCore import QSettings, Qt

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    store = open_database(demo_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.units.select("N-BOU-INST-SIS")
        view = w.units.view
        qtbot.waitUntil(lambda: view.currentIndex().data(Qt.ItemDataRole.UserRole + 1) == "N-BOU-INST-SIS")
        part = view.currentIndex()
        assert part.data(Qt.ItemDataRole.DisplayRole) == "N-BOU-INST-SIS därav SiS"
        assert part.data(Qt.ItemDataRole.FontRole).italic()
        assert "inte en del av dess summa" in part.data(Qt.ItemDataRole.ToolTipRole)
        whole = part.parent()
        assert whole.data(Qt.ItemDataRole.UserRole + 1) == "N-BOU-INST"
        assert whole.data(Qt.ItemDataRole.FontRole) is None
    finally:
        w.close()
        store.close()


def test_a_part_named_without_darav_gets_the_prefix():
    from socdesk.gui.unit_tree_model import UnitTreeModel

    model = UnitTreeModel(UnitTree([Unit("P", "Program"), Unit("D", "Hemtjänst natt", "P", part=True)]))
    from PySide6.QtCore import Qt

    child = model.index(0, 0, model.index(0, 0))
    assert child.data(Qt.ItemDataRole.DisplayRole) == "D därav Hemtjänst natt"
    assert model.index(0, 0).data(Qt.ItemDataRole.DisplayRole) == "P Program"


def test_a_formula_uses_a_sum_through_only_when_every_child_is_in_it():
    """A parent may leave out a child that never reports (a printed table's omitted row), but
    a formula's input summed from below must hold every child: else no finding is made up."""
    tree = UnitTree(
        [Unit("71", "IFO"), Unit("7101", "a", "71"), Unit("7102", "b", "71"), Unit("7103", "c", "71")]
    )
    facts = [
        fact("7101", "kostnader", "utfall", "2024", "100"),
        fact("7102", "kostnader", "utfall", "2024", "50"),
        fact("7101", "intakter", "utfall", "2024", "-10"),
        fact("7102", "intakter", "utfall", "2024", "-5"),
        fact("71", "netto", "utfall", "2024", "160"),  # 7103 may hold the other 25
    ]
    checker = Checker(facts, tree, MEASURES)
    assert checker.run() == []
    assert not [k for r, k in checker.compared if r == "derived_mismatch"]
    facts.append(fact("7103", "kostnader", "utfall", "2024", "25"))
    facts.append(fact("7103", "intakter", "utfall", "2024", "0"))
    assert run_checks(facts, tree, MEASURES) == []
    facts[-1] = fact("7103", "intakter", "utfall", "2024", "-20")
    assert [(f.rule, f.unit, f.computed) for f in run_checks(facts, tree, MEASURES)] == [
        ("derived_mismatch", "71", Decimal(140_000))
    ]


# --- the import wizard's check step ---------------------------------------------------------
def test_the_import_wizard_tells_the_findings_of_the_files_figures(qtbot, tmp_path):
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QWizard

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    db = imported(tmp_path, text_of(PARTS))  # a database of its own, with the measures
    store = open_database(db)
    window = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    before = len(store.facts())
    path = tmp_path / "flyttad_rad.csv"
    path.write_bytes(MOVED.read_bytes())
    window.import_action.trigger()
    wizard = window.wizard
    qtbot.waitExposed(wizard)
    wizard.file_page.path.setText(str(path))
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    check = wizard.check_page
    try:
        qtbot.waitUntil(lambda: check.isComplete(), timeout=10_000)
        assert "gav 2 fynd" in check.status.text()
        assert check.findings.isVisible()
        lines = check.findings.toPlainText().replace("\u00a0", " ").splitlines()
        assert len(lines) == 2 and "71 Individ- och familjeomsorg anges till 93 200 tkr" in lines[0]
        assert len(store.facts()) == before  # told, nothing written yet
    finally:
        wizard.reject()
        window.close()
        store.close()


# --- Figures and Store.value agree with parts in the tree ----------------------------------
@pytest.fixture
def parted(tmp_path):
    """A ledger-like tree where P1D is a därav part of P1 (with a leaf of its own) and P0L1 a
    part of P0: neither may count in its parent's figure."""
    store = open_database(tmp_path / "p.db")
    store.add_units(
        [
            Unit("R", "Rot"),
            *(Unit(f"P{p}", f"Program {p}", "R") for p in range(2)),
            Unit("P0L0", "a", "P0"),
            Unit("P0L1", "därav a", "P0", part=True),
            Unit("P1L0", "b", "P1"),
            Unit("P1L1", "c", "P1"),
            Unit("P1D", "därav b", "P1", part=True),
            Unit("P1DL", "b natt", "P1D"),
        ]
    )
    yield store
    store.close()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["P0L0", "P0L1", "P1L0", "P1L1", "P1D", "P1DL"]),
            st.integers(1, 6),
            st.one_of(st.integers(-10_000, 10_000), st.just("*")),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_figures_match_the_reference_and_leave_parts_out(parted, writes):
    from socdesk.core.values import Status, Value
    from socdesk.store.figures import Figures

    for code, month, amount in writes:
        value = Value.status_only(Status.SUPPRESSED) if amount == "*" else Value.of(amount)
        parted.write_facts(
            [Fact(FactKey(code, "netto", Scenario.ACTUAL, parse_period(f"2024-0{month}")), value)], source="t"
        )
    tree = parted.unit_tree()
    netto = parted.measures()["netto"]
    codes = [u.code for u in tree]
    for period in (parse_period("2024-01/2024-06"), parse_period("2024-03"), parse_period("2024")):
        got = Figures(parted, tree).values(codes, netto, Scenario.ACTUAL, period)
        for code in codes:
            assert got[code] == parted.value(code, netto, Scenario.ACTUAL, period, tree=tree), (code, period)
        p1 = [parted.value(c, netto, Scenario.ACTUAL, period, tree=tree) for c in ("P1L0", "P1L1")]
        if all(v.is_number for v in p1) and got["P1"].is_number:
            assert got["P1"].number == sum(v.number for v in p1)


def test_a_unit_that_gains_a_child_after_its_facts_keeps_the_rollup_true(tmp_path):
    """Found by the crash trials when the seeds' SiS units arrived after institutionsvård's
    figures: the ancestors' rollup must learn that the unit is no longer a leaf, or the bulk
    figures add its facts to its new child's."""
    import sqlite3

    from benchmarks.crash_trials import ROLLUP_FROM_FACTS
    from socdesk.store.figures import Figures

    header = "enhet;namn;överordnad;period;mått;scenario;värde\r\n"
    db = imported(tmp_path, header + "R;R;;;;;\r\nP;P;R;;;;\r\nL;L;P;2024-01;varddygn;utfall;10\r\n", "a.csv")
    b = tmp_path / "b.csv"
    b.write_bytes((header + "L2;L2;L;2024-02;varddygn;utfall;4\r\n").encode())
    assert socdesk("import", "--db", db, b).returncode == 0
    with sqlite3.connect(db) as c:
        assert sorted(c.execute("SELECT * FROM rollup")) == sorted(c.execute(ROLLUP_FROM_FACTS))
    store = open_database(db)
    try:
        m = store.measures()["varddygn"]
        for period in (parse_period("2024-01"), parse_period("2024-01/2024-02")):
            reference = store.value("R", m, Scenario.ACTUAL, period)
            assert Figures(store).values(["R"], m, Scenario.ACTUAL, period)["R"] == reference, period
    finally:
        store.close()
