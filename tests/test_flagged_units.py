"""A report's remaining-work list names the flagged units without an avvikelseanalys
(``economy.flagged_units``): the same units, flags and order as the deviation list
(``economy.deviations(flagged_only=True)`` without a comment), with the plain leaves read
set-based (``Store.remaining_scan``) and the rows the report already made reused – on the
demo, on generated boards (ombudgeteringar, jan–maj budgets, prognoser, programs stating
totals) and on a leaf board with every kind of leaf that is not plain."""

from __future__ import annotations

import shutil
from decimal import Decimal

import diffcells  # tests/diffcells.py
import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Month, Period
from socdesk.core.units import Unit
from socdesk.core.values import Status, Value
from socdesk.io.seeds import open_database
from socdesk.reports import compose
from socdesk.reports.board import Kind, Known, draft_reasons, shipped_template
from socdesk.reports.economy import deviations, flagged_units
from socdesk.store.db import Store


def expected(store: Store, month: Month, root: str) -> list[tuple]:
    return [(r.unit.code, r.flag) for r in deviations(store, month, root, flagged_only=True) if not r.comment]


def assert_same(store: Store, month: Month, root: str) -> int:
    found = [(f.unit.code, f.flag) for f in flagged_units(store, month, root)]
    assert found == expected(store, month, root), (root, month)
    return len(found)


def test_the_demo_boards_flag_the_same(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    with Store(path, readonly=True) as store:
        flagged = 0
        for root in store.unit_tree().roots():
            for year in (2023, 2024):
                for month in (1, 4, 5, 8, 12):
                    flagged += assert_same(store, Month(year, month), root.code)
        assert flagged >= 5  # the demo's own deviations: a comparison that can fail


@pytest.mark.parametrize("seed", [2024, 7, 13])
def test_generated_boards_flag_the_same(tmp_path, seed):
    path = tmp_path / "generated.db"
    diffcells.generate_board(path, seed)
    with Store(path, readonly=True) as store:
        flagged = sum(assert_same(store, Month(2024, m), root) for m in range(1, 13) for root in ("G", "P1"))
        other = store.remaining_scan("G", Period.year(2024), ("netto", "2024-08")).other
        assert flagged and other  # jan–maj utfall, ombudgeteringar: leaves left to Figures


def _leaf_board(tmp_path) -> Store:
    """Leaves of every kind under one program: plain ones flagged red, yellow or not at all,
    and leaves that are not plain – utfall jan–maj as one figure, an ombudgetering, a
    suppressed month, a prognos by tertial, a prognos made after the month – with and without
    an avvikelseanalys, and a leaf with no figure of the year."""
    store = open_database(tmp_path / "leaves.db")
    store.add_units([Unit("S", "Stad"), Unit("P", "Program", "S")])
    store.add_units([Unit(f"V{i}", f"Verksamhet {i}", "P") for i in range(12)])
    facts: list[Fact] = []

    def add(unit, scenario, period, value, version="", status=None):
        v = Value.status_only(status) if status else Value.of(Decimal(value))
        facts.append(Fact(FactKey(unit, "netto", scenario, period, version), v))

    over = {0: 140, 1: 100, 2: 125, 3: 160, 4: 150, 5: 130, 6: 150, 7: 150, 8: 112, 9: 100, 11: 145}
    for i, pct in over.items():
        for m in range(1, 13):
            add(f"V{i}", Scenario.BUDGET, Period.month(2024, m), 100_000)
            if m <= 8 and not (i == 2 and m <= 5):
                add(f"V{i}", Scenario.ACTUAL, Period.month(2024, m), 1000 * pct)
        add(f"V{i}", Scenario.FORECAST, Period.year(2024), 12_000 * pct, "2024-08")
    add("V2", Scenario.ACTUAL, Period(Month(2024, 1), Month(2024, 5)), 5 * 1250 * 100)  # jan–maj as one
    add("V3", Scenario.BUDGET, Period.year(2024), 2_000_000, "2024-07")  # an ombudgetering from July
    add("V4", Scenario.ACTUAL, Period.month(2024, 9), 0, status=Status.SUPPRESSED)
    add("V5", Scenario.FORECAST, Period(Month(2024, 1), Month(2024, 4)), 600_000, "2024-08")  # by tertial
    add("V6", Scenario.FORECAST, Period.year(2024), 1, "2024-10")  # made after August: not yet
    add("V8", Scenario.FORECAST, Period.year(2024), 2_400_000, "2023-11")  # older than the month's
    add("V10", Scenario.ACTUAL, Period.month(2023, 5), 100)  # another year only
    store.write_facts(facts, source="test")
    store.add_comment("V7", str(Period.year_to_date(2024, 8)), "Förklarad avvikelse.")
    return store


def test_a_leaf_board_flags_the_same(tmp_path):
    store = _leaf_board(tmp_path)
    try:
        scan = store.remaining_scan("S", Period.year(2024), ("netto", "2024-08"))
        plain, other = scan.plain, scan.other
        assert {"V0", "V1", "V7", "V9", "V11"} <= set(plain)
        assert {"V2", "V3", "V4", "V5"} <= other
        assert "V10" not in plain and "V10" not in other
        flagged = {m: assert_same(store, Month(2024, m), "S") for m in range(1, 13)}
        assert flagged[8] >= 6
        codes = [f.unit.code for f in flagged_units(store, Month(2024, 8), "S")]
        assert "V7" not in codes and "V0" in codes  # the analysed unit is not on the list
    finally:
        store.close()


def test_the_report_reuses_its_rows_and_lists_the_same(tmp_path):
    """The tertial's remaining-work list, made with the rows of the report's own tables, is the
    list made from nothing."""
    store = _leaf_board(tmp_path)
    try:
        month = Month(2024, 8)
        template = shipped_template(Kind.TERTIAL, "S", store.unit_tree())
        composer = compose.Composer(store, template, "S", compose.report_period("tertial", month))
        composer.build()
        rows = {code: row for (code, _mode), row in composer._economy.items()}
        assert {"S", "P"} <= set(rows)
        reused = draft_reasons(store, "S", month, Known(rows, composer.figures, composer.coverage))
        assert [str(r) for r in reused] == [str(r) for r in draft_reasons(store, "S", month)]
        assert any("V0" in str(r) for r in reused)
    finally:
        store.close()
