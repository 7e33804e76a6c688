"""Units managed in the program and the CLI (issue 16 §2): add, rename, move, close and merge,
on a constructed Järva-like database – two districts with three years of monthly utfall and
budget, merged into 10 Järva from jul 2023 – through the CLI as a user runs it (a subprocess)
and through the tree's context menu and its dialogs' real buttons."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.roles import Role
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.io.seeds import open_database
from socdesk.store.db import Store
from socdesk.store.errors import StoreError

A, B, C = "11", "12", "10"  # Rinkeby-Kista, Spånga-Tensta, Järva
YEARS = (2021, 2022, 2023)


def actual(code: str, year: int, month: int) -> int:
    """Utfall in kr: distinct per unit and month, so that a sum of the wrong months shows."""
    base = {A: 1_000_000, B: 2_000_000, C: 3_500_000}[code]
    return base + year * 100 + month * 7 + (3 if code == B else 0)


def budget(code: str, year: int, month: int) -> int:
    return {A: 1_100_000, B: 2_050_000, C: 3_200_000}[code] + month


def socdesk(*args, base: Path | None = None):
    pre = ["--basedir", str(base)] if base is not None else []
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *pre, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def build(path: Path, *, with_jarva: bool = False) -> None:
    store = open_database(path)
    try:
        store.add_units(
            [
                Unit("SN", "Socialnämnden"),
                Unit(A, "Rinkeby-Kista", "SN"),
                Unit(B, "Spånga-Tensta", "SN"),
                Unit("20", "Hässelby-Vällingby", "SN"),
            ]
        )
        facts = []
        for code in (A, B):
            for year in YEARS:
                for month in range(1, 13):
                    if year == 2023 and month >= 7:
                        continue
                    p = Period.month(year, month)
                    facts.append(
                        Fact(FactKey(code, "netto", Scenario.ACTUAL, p), Value.of(actual(code, year, month)))
                    )
                    facts.append(
                        Fact(FactKey(code, "netto", Scenario.BUDGET, p), Value.of(budget(code, year, month)))
                    )
        store.write_facts(facts, source="test")
    finally:
        store.close()


def jarva_months(path: Path) -> None:
    """Järva's own figures, jul–dec 2023 (after the merge)."""
    with Store(path) as store:
        store.write_facts(
            [
                Fact(FactKey(C, "netto", sc, Period.month(2023, m)), Value.of(f(C, 2023, m)))
                for m in range(7, 13)
                for sc, f in ((Scenario.ACTUAL, actual), (Scenario.BUDGET, budget))
            ],
            source="test",
        )


@pytest.fixture
def city(tmp_path: Path) -> Path:
    path = tmp_path / "stad.db"
    build(path)
    return path


@pytest.fixture
def controller(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    base.mkdir()
    (base / "socdesk.ini").write_text("[user]\nrole=controller\n", encoding="utf-8")
    return base


def expected_2023(f) -> int:
    """Järva 2023 jan–dec: the two old units' jan–jun plus Järva's own jul–dec, exactly."""
    return sum(f(A, 2023, m) + f(B, 2023, m) for m in range(1, 7)) + sum(f(C, 2023, m) for m in range(7, 13))


# --- the CLI, as a user runs it -----------------------------------------------------------------
def test_merge_from_the_command_line_sums_the_old_units_into_jarva(
    city: Path, controller: Path, tmp_path: Path
):
    r = socdesk("unit", "merge", A, B, "--into", C, "--name", "Järva", "--from", "2023-07", "--db", city)
    assert r.returncode == 1 and "Handläggare får inte ändra enheter" in r.stderr  # the role
    r = socdesk(
        "unit",
        "merge",
        A,
        B,
        "--into",
        C,
        "--name",
        "Järva",
        "--from",
        "2023-07",
        "--db",
        city,
        base=controller,
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "Rinkeby-Kista och Spånga-Tensta stängs fr.o.m. jul 2023 och läggs under 10 Järva (ny enhet); "
        "deras tidigare år summeras i Järva."
    )
    jarva_months(city)

    # deviations for dec 2023 (jan–dec): Järva = A + B jan–jun + Järva's own jul–dec
    r = socdesk("deviations", "--db", city, "--period", "2023-12", "--unit", C, "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["unit"]: row for row in json.loads(r.stdout)}
    assert Decimal(rows[C]["actual"]) == expected_2023(actual)
    assert Decimal(rows[C]["budget"]) == expected_2023(budget)
    assert Decimal(rows[A]["actual"]) == sum(actual(A, 2023, m) for m in range(1, 7))
    # earlier years: Järva is the exact sum of the two
    r = socdesk("deviations", "--db", city, "--period", "2022-12", "--unit", C, "--json")
    rows = {row["unit"]: row for row in json.loads(r.stdout)}
    assert Decimal(rows[C]["actual"]) == sum(actual(A, 2022, m) + actual(B, 2022, m) for m in range(1, 13))
    # the board's total did not change by the merge
    r = socdesk("deviations", "--db", city, "--period", "2022-12", "--unit", "SN", "--json")
    sn = {row["unit"]: row for row in json.loads(r.stdout)}["SN"]
    assert Decimal(sn["actual"]) == sum(actual(A, 2022, m) + actual(B, 2022, m) for m in range(1, 13))

    # "som den var": the old units under the board again, Järva with its own months only
    r = socdesk(
        "deviations", "--db", city, "--period", "2023-12", "--unit", "SN", "--organisation", "då", "--json"
    )
    assert r.returncode == 0, r.stderr
    then = {row["unit"]: row for row in json.loads(r.stdout)}
    assert Decimal(then[C]["actual"]) == sum(actual(C, 2023, m) for m in range(7, 13))
    assert Decimal(then["SN"]["actual"]) == expected_2023(actual)

    # history of A's cells intact, the unit's own history, the audit whole
    r = socdesk("history", "--db", city, "--unit", A, "--period", "2023-03")
    assert r.returncode == 0 and "– → 1 202 321" in r.stdout.replace("\u00a0", " ")
    r = socdesk("unit", "history", A, "--db", city)
    assert "stängd fr.o.m. jul 2023" in r.stdout and "flyttad från SN till 10 fr.o.m. jul 2023" in r.stdout
    r = socdesk("check", "--db", city)
    assert r.returncode == 0 and "kedjan är hel" in r.stdout
    with Store(city, readonly=True) as store:  # each change one sealed audit row
        changes = [
            (a["unit_code"], a["source"], a["period"]) for a in store.audit_rows() if a["scenario"] == "enhet"
        ]
    assert changes == [
        (C, "enhet: ny (Järva)", "2023-07"),
        (A, "enhet: stängd", "2023-07"),
        (A, "enhet: flyttad", "2023-07"),
        (B, "enhet: stängd", "2023-07"),
        (B, "enhet: flyttad", "2023-07"),
        (C, "enhet: sammanslagen", "2023-07"),
    ]

    # an import into A after the merge month is refused, naming the unit and the month
    f = tmp_path / "aug.csv"
    f.write_text("enhet;period;mått;scenario;värde\n11;2023-08;netto;utfall;500\n", encoding="utf-8")
    r = socdesk("import", f, "--db", city, base=controller)
    assert r.returncode == 1
    assert (
        "aug.csv, rad 2, kolumn period: 11 är stängd fr.o.m. jul 2023 (aug 2023); filen lästes inte in."
        in r.stderr
    )
    with Store(city, readonly=True) as store:
        assert not store.facts(units=[A], within=Period(Month(2023, 7), Month(2023, 12)))


def test_report_over_the_merge_year_sums_the_old_units(city: Path, controller: Path, tmp_path: Path):
    r = socdesk(
        "unit",
        "merge",
        A,
        B,
        "--into",
        C,
        "--name",
        "Järva",
        "--from",
        "2023-07",
        "--db",
        city,
        base=controller,
    )
    assert r.returncode == 0, r.stderr
    jarva_months(city)
    out = tmp_path / "r.xlsx"
    r = socdesk("report", "manad", "--db", city, "--period", "2023-12", "--unit", C, "-o", out)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    sheet = load_workbook(out)["Utfall, budget och avvikelse…"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True)}
    # tkr: 42 642 111 kr and 38 100 099 kr, the exact totals rounded once
    assert expected_2023(actual) == 42_642_111 and expected_2023(budget) == 38_100_099
    assert rows["Totalt"][:3] == (42_642, 38_100, -4_542)
    assert rows["11 Rinkeby-Kista"][0] == round(sum(actual(A, 2023, m) for m in range(1, 7)) / 1000)

    # the board "som nu": Järva one program; "som den var": the two districts and Järva's own
    # months, the same total, and no incomplete total (the closed units are not expected)
    for organisation, programs in (
        ("nu", {"20 Hässelby-Vällingby": None, "10 Järva": 42_642}),
        (
            "då",
            {
                "11 Rinkeby-Kista": 7_214,
                "12 Spånga-Tensta": 13_214,
                "20 Hässelby-Vällingby": None,
                "10 Järva": 22_214,
            },
        ),
    ):
        out = tmp_path / f"sn-{organisation}.xlsx"
        r = socdesk(
            "report", "manad", "--db", city, "--period", "2023-12", "--unit", "SN", "-o", out,
            "--organisation", organisation,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        table = list(load_workbook(out)["Utfall, budget och avvikelse…"].iter_rows(values_only=True))
        shown = {row[0]: row[1] for row in table[3:] if row[0] and row[0] != "Totalt"}
        assert {k: v for k, v in shown.items() if not k.startswith("Avvikelse")} == programs
        assert next(row for row in table if row[0] == "Totalt")[1:4] == (42_642, 38_100, -4_542)


def test_add_rename_move_close_and_the_refusals(city: Path, controller: Path):
    def unit(*args):
        return socdesk("unit", *args, "--db", city, base=controller)

    r = unit("add", "30", "Norra innerstaden", "--parent", "SN")
    assert r.returncode == 0, r.stderr
    assert unit("add", "30", "Igen", "--parent", "SN").stderr.strip() == (
        "socdesk: Koden 30 finns redan (Norra innerstaden); en kod används bara för en enhet."
    )
    assert "Enheten 99 finns inte." in unit("rename", "99", "X").stderr
    assert unit("rename", "30", "Norra innerstan").returncode == 0
    assert unit("add", "31", "Norrmalm", "--parent", "30").returncode == 0
    r = unit("move", "30", "--parent", "31")
    assert r.returncode == 1 and "30 kan inte flyttas under 31: 31 ligger under 30" in r.stderr
    assert unit("move", A, "--parent", "20").returncode == 0
    r = unit("close", B, "--from", "2023-03")
    assert r.returncode == 1
    assert "12 kan inte stängas fr.o.m. mar 2023: 8 uppgifter" in r.stderr and "jun 2023" in r.stderr
    assert unit("close", B, "--from", "2023-07").returncode == 0
    r = unit("merge", A, "30", "--into", "31", "--from", "2024-01")
    assert r.returncode == 1 and "31 ligger under 30" in r.stderr
    with Store(city, readonly=True) as store:
        tree = store.unit_tree()
        assert (
            tree["30"].name == "Norra innerstan"
            and tree[A].parent == "20"
            and tree[B].closed_from == "2023-07"
        )
        assert [e["action"] for e in store.unit_events("30")] == ["add", "rename"]
        # the board's sums followed the move: 20 holds A's figures now
        from socdesk.store.figures import Figures

        netto = store.measures()["netto"]
        year = Period.year(2022)
        got = Figures(store, tree).values(["20", "SN"], netto, Scenario.ACTUAL, year)
        assert got["20"].number == sum(actual(A, 2022, m) for m in range(1, 13))
        assert got["SN"].number == sum(actual(A, 2022, m) + actual(B, 2022, m) for m in range(1, 13))
        assert store.value("20", netto, Scenario.ACTUAL, year).number == got["20"].number


def test_store_refuses_figures_in_a_closed_units_months(city: Path):
    with Store(city) as store:
        store.close_unit(A, "2023-07")
        with pytest.raises(
            StoreError, match=r"Enheten 11 är stängd fr.o.m. jul 2023: 1 uppgifter .* t.ex. sep 2023"
        ):
            store.write_facts(
                [Fact(FactKey(A, "netto", Scenario.ACTUAL, Period.month(2023, 9)), Value.of(1))], source="t"
            )
        store.write_facts(
            [Fact(FactKey(A, "netto", Scenario.ACTUAL, Period.month(2023, 6)), Value.of(1))], source="t"
        )


# --- the tree's context menu, its dialogs' real buttons ---------------------------------------
# A popped-up menu grabs the keyboard, which the offscreen platform cannot (harmless there).
MENU = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard", extend=True)


@pytest.fixture
def window(qtbot, city: Path, tmp_path: Path):
    from PySide6.QtCore import QSettings

    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    store = Store(city)
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("user/role", "controller")
    w = MainWindow(AppContext(store, settings))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.select_unit("SN")
    yield w
    w.close()
    store.close()


def right_click(qtbot, w, code: str):
    """Right-click the unit's row in the tree: the context menu pops up."""
    from PySide6.QtCore import Qt

    w.units.select(code)
    view = w.units.view
    rect = view.visualRect(w.units.model.index_of(code))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.RightButton, pos=rect.center())
    # a right click on a view does not send the context-menu event offscreen: send it as Qt does
    from PySide6.QtGui import QContextMenuEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendEvent(
        view.viewport(),
        QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, rect.center(), view.viewport().mapToGlobal(rect.center())
        ),
    )
    menu = w.unit_editing.menu
    qtbot.waitUntil(lambda: menu is not None and menu.isVisible())
    return menu


def type_text(qtbot, widget, text: str) -> None:
    """Typed key by key; QTest's key clicks cannot make some letters (ä, ö: an assertion in
    qasciikey.cpp), which are sent as the key events a keyboard makes, with their text."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            QTest.sendKeyEvent(
                QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch, Qt.KeyboardModifier.NoModifier
            )


def choose(qtbot, menu, text: str):
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    menu.close()


@MENU
def test_add_move_and_merge_from_the_trees_context_menu(qtbot, window):
    from PySide6.QtCore import Qt

    w = window
    # Ny enhet under … SN: 40 Skärholmen
    choose(qtbot, right_click(qtbot, w, "SN"), "Ny enhet under …")
    d = w.unit_editing.dialog
    type_text(qtbot, d.new_code, "40")
    type_text(qtbot, d.name, "Skärholmen")
    assert d.preview.text() == "40 Skärholmen läggs till under SN Socialnämnden."
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible() and w.tree["40"].parent == "SN" and w.units.current_code() == "40"

    # Flytta … 40 under 20, picked by typing part of its name
    choose(qtbot, right_click(qtbot, w, "40"), "Flytta …")
    d = w.unit_editing.dialog
    type_text(qtbot, d.picker.filter, "vällingby")
    assert d.picker.code() == "20"
    assert (
        d.preview.text()
        == "40 Skärholmen flyttas med allt under sig till 20 Hässelby-Vällingby; summorna räknas om."
    )
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert w.tree["40"].parent == "20"
    assert w.units.model.index_of("40").parent() == w.units.model.index_of("20")

    # a move under its own descendant is not offered, and a refusal keeps the dialog open
    choose(qtbot, right_click(qtbot, w, "20"), "Flytta …")
    d = w.unit_editing.dialog
    type_text(qtbot, d.picker.filter, "Skärholmen")
    assert d.picker.code() == "" and not d.save_button.isEnabled()
    d.reject()

    # Slå ihop med … Rinkeby-Kista + Spånga-Tensta → 10 Järva from jul 2023
    choose(qtbot, right_click(qtbot, w, A), "Slå ihop med …")
    d = w.unit_editing.dialog
    type_text(qtbot, d.picker.filter, "Spånga")
    type_text(qtbot, d.new_code, C)
    type_text(qtbot, d.name, "Järva")
    type_text(qtbot, d.month, "2023-07")
    assert d.preview.text() == (
        "Rinkeby-Kista och Spånga-Tensta stängs fr.o.m. jul 2023 och läggs under 10 Järva (ny enhet); "
        "deras tidigare år summeras i Järva."
    )
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert not d.isVisible()
    model = w.units.model
    assert model.index_of(A).parent() == model.index_of(C) and model.index_of(C).parent() == model.index_of(
        "SN"
    )
    assert model.index_of(A).data() == "11 Rinkeby-Kista (stängd fr.o.m. jul 2023)"
    assert model.index_of(A).data(Qt.ItemDataRole.ForegroundRole) is not None  # greyed
    assert w.units.current_code() == C
    # Järva's 2022 is the two districts' 2022, exactly
    netto = w.ctx.store.measures()["netto"]
    got = w.figures.values([C], netto, Scenario.ACTUAL, Period.year(2022))[C]
    assert got.number == sum(actual(A, 2022, m) + actual(B, 2022, m) for m in range(1, 13))
    assert [e["action"] for e in w.ctx.store.unit_events(A)] == ["close", "move"]


@MENU
def test_only_a_controller_may_change_units(qtbot, window):
    window.locks.set_role(Role.CASEWORKER)
    menu = right_click(qtbot, window, A)
    assert all(not a.isEnabled() for a in menu.actions())
    assert {a.toolTip() for a in menu.actions()} == {
        "Bara en controller kan ändra enheter (Inställningar → Roll)."
    }
    menu.close()


@MENU
def test_a_refused_close_is_shown_in_the_dialog_and_changes_nothing(qtbot, window):
    from PySide6.QtCore import Qt

    choose(qtbot, right_click(qtbot, window, B), "Stäng fr.o.m. …")
    d = window.unit_editing.dialog
    type_text(qtbot, d.month, "2023-05")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.isVisible() and "12 kan inte stängas fr.o.m. maj 2023: 4 uppgifter" in d.error.text()
    assert window.ctx.store.unit_tree()[B].closed_from is None
    d.reject()


@MENU
def test_the_economy_view_as_it_is_and_as_it_was(qtbot, window, city: Path):
    w = window
    with Store(city) as store:
        store.merge_units([A, B], C, "2023-07", name="Järva")
    jarva_months(city)
    w.reload_tree()
    w.period.set_month(Month(2023, 12))
    w.select_unit("SN")
    qtbot.waitUntil(lambda: w.units.current_code() == "SN")

    def shown() -> dict[str, object]:
        model = w.economy.model
        return {model.row(r).unit.code: model.row(r).actual for r in range(model.rowCount())}

    assert shown()[C] == expected_2023(actual) and A not in w.tree.children("SN")  # som nu
    w.period.organisation.setCurrentIndex(1)  # som den var
    assert w.tree.as_of == "2023-01" and w.tree[A].parent == "SN" and w.tree.is_leaf(C)
    now = shown()
    assert now[C] == sum(actual(C, 2023, m) for m in range(7, 13))
    assert now[A] == sum(actual(A, 2023, m) for m in range(1, 7))
    assert now["SN"] == expected_2023(actual)


def test_a_merged_units_figure_is_its_own_months_and_its_childrens_before(city: Path):
    """The one rule (core.resolution) and the bulk figures agree, for every kind of period."""
    with Store(city) as store:
        store.merge_units([A, B], C, "2023-07", name="Järva")
    jarva_months(city)
    from socdesk.store.figures import Figures

    with Store(city, readonly=True) as store:
        netto = store.measures()["netto"]
        tree = store.unit_tree()
        periods = [
            Period.year(2023),
            *(Period.tertial(2023, t) for t in (1, 2, 3)),
            *(Period.year_to_date(2023, m) for m in range(1, 13)),
            *(Period.month(2023, m) for m in range(1, 13)),
            Period(Month(2022, 11), Month(2023, 8)),
        ]
        for period in periods:
            for scenario, f in ((Scenario.ACTUAL, actual), (Scenario.BUDGET, budget)):
                want = sum(
                    (f(A, m.year, m.month) + f(B, m.year, m.month))
                    if m < Month(2023, 7)
                    else f(C, m.year, m.month)
                    for m in period.months()
                )
                bulk = Figures(store, tree).values([C, "SN"], netto, scenario, period)
                assert bulk[C].number == want == store.value(C, netto, scenario, period).number, period
                assert bulk["SN"].number == want, period


@MENU
def test_the_registrera_form_offers_the_merged_unit_from_the_merge_month(qtbot, window, city: Path):
    from PySide6.QtCore import Qt

    w = window
    w.ctx.store.merge_units([A, B], C, "2023-07", name="Järva")
    w.reload_tree()
    w.select_unit("SN")
    w.tabs.setCurrentWidget(w.register)
    entry = w.register.entry
    w.period.set_month(Month(2023, 6))
    qtbot.waitUntil(lambda: entry.model is not None and entry.model.form.key == "utfall:ekonomi:SN:2023-06")
    assert [u.code for u in entry.model.form.units] == ["20", A, B]  # before the merge: the districts
    w.period.set_month(Month(2023, 8))
    qtbot.waitUntil(lambda: entry.model.form.key == "utfall:ekonomi:SN:2023-08")
    model = entry.model
    assert [u.code for u in model.form.units] == ["20", C]  # from it: Järva, not the closed ones
    view = entry.table
    index = model.index(1, 0)
    view.setCurrentIndex(index)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: view.indexWidget(index) is not None)
    qtbot.keyClicks(view.indexWidget(index), "3500")
    qtbot.keyClick(view.indexWidget(index), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: entry.save.isEnabled())
    qtbot.mouseClick(entry.save, Qt.MouseButton.LeftButton)
    netto = w.ctx.store.measures()["netto"]
    assert w.ctx.store.value(C, netto, Scenario.ACTUAL, Period.month(2023, 8)).number == 3_500_000


def test_next_years_budget_goes_to_the_merged_unit_from_the_summed_year(city: Path, controller: Path):
    r = socdesk(
        "unit",
        "merge",
        A,
        B,
        "--into",
        C,
        "--name",
        "Järva",
        "--from",
        "2023-07",
        "--db",
        city,
        base=controller,
    )
    assert r.returncode == 0, r.stderr
    jarva_months(city)
    r = socdesk(
        "budget",
        "new-year",
        "--db",
        city,
        "--from",
        "2023",
        "--to",
        "2024",
        "--percent",
        "2",
        base=controller,
    )
    assert r.returncode == 0, r.stderr
    with Store(city, readonly=True) as store:
        netto = store.measures()["netto"]
        got = store.value(C, netto, Scenario.BUDGET, Period.year(2024)).number
        assert got == round(Decimal(expected_2023(budget)) * Decimal("1.02"))  # 38 100 099 kr + 2 %
        assert not store.facts(units=[A, B], within=Period.year(2024))  # the closed ones get none
