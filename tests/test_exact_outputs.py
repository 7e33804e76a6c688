"""Figures leave socdesk exactly: JSON number literals from the Decimal (``check --json``,
``deviations --json``), and the workspace's Excel export (Ctrl+E) with numbers and real
percentage cells."""

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from socdesk.core import exact_json
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.numbers import round_half_up
from socdesk.core.periods import Period
from socdesk.core.units import Unit
from socdesk.core.values import Value
from socdesk.gui.economy_model import COLUMNS, RAW_ROLE
from socdesk.io.seeds import open_database

SMALL = Decimal("1234567.8901")
LARGE = Decimal("987654321098.7654")  # 16 digits: a binary float cannot hold it
COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def test_exact_json_writes_the_decimal_digits():
    assert exact_json.number(Decimal("5.25E+5")) == "525000"
    assert exact_json.number(Decimal("-2006.5000")) == "-2006.5"
    assert exact_json.number(LARGE) == "987654321098.7654"
    assert Decimal(float(LARGE)) != LARGE  # what writing through float would have done
    doc = {"a": [LARGE, None, True, "å"], "b": {}, "c": []}
    text = exact_json.dumps(doc)
    assert json.loads(text, parse_float=Decimal) == doc
    assert text == json.dumps(
        {"a": [1, None, True, "å"], "b": {}, "c": []}, indent=2, ensure_ascii=False
    ).replace("    1,", "    987654321098.7654,")  # the standard library's layout
    with pytest.raises(TypeError):
        exact_json.dumps({"x": 1.5})
    with pytest.raises(ValueError):
        exact_json.number(Decimal("NaN"))


@pytest.fixture
def board(tmp_path):
    """A small board whose figures a float would spoil: utfall and a stated total off by öre."""
    path = tmp_path / "exakt.db"
    store = open_database(path)
    store.add_units([Unit("B", "Nämnd"), Unit("V1", "Ett", "B"), Unit("V2", "Två", "B")])
    ytd, year = Period.year_to_date(2024, 6), Period.year(2024)

    def fact(unit, scenario, period, v):
        return Fact(FactKey(unit, "netto", scenario, period), Value.of(v))

    store.write_facts(
        [
            fact("V1", Scenario.ACTUAL, ytd, SMALL),
            fact("V2", Scenario.ACTUAL, ytd, LARGE),
            fact("V1", Scenario.BUDGET, ytd, Decimal("1000000.0001")),
            fact("V2", Scenario.BUDGET, ytd, Decimal("987654321000.0003")),
            fact("V1", Scenario.BUDGET, year, Decimal("2000000.0002")),
            fact("V2", Scenario.BUDGET, year, Decimal("1.0003")),
            fact("B", Scenario.BUDGET, year, Decimal("2000001.0001")),  # children: 2000001.0005
        ],
        source="test",
    )
    store.close()
    return path


def test_deviations_json_has_the_stores_exact_amounts(board):
    r = socdesk("deviations", "--db", board, "--period", "2024-06", "--json")
    assert r.returncode == 0, r.stderr
    assert "1234567.8901" in r.stdout and "987654321098.7654" in r.stdout
    rows = {row["unit"]: row for row in json.loads(r.stdout, parse_float=Decimal)}
    store = open_database(board)
    try:
        m = store.measures()["netto"]
        ytd = Period.year_to_date(2024, 6)
        for code in ("B", "V1", "V2"):
            for key, scenario, period in (
                ("actual", Scenario.ACTUAL, ytd),
                ("budget", Scenario.BUDGET, ytd),
                ("annual_budget", Scenario.BUDGET, Period.year(2024)),
            ):
                assert rows[code][key] == store.value(code, m, scenario, period).number, (code, key)
    finally:
        store.close()
    assert rows["V1"]["actual"] == SMALL and rows["V2"]["actual"] == LARGE
    assert rows["B"]["actual"] == SMALL + LARGE  # 987655555666.6555: 16 digits, exact
    assert rows["V1"]["variance"] == Decimal("1000000.0001") - SMALL
    assert rows["V1"]["variance_pct"] == round_half_up(
        (Decimal("1000000.0001") - SMALL) * 100 / Decimal("1000000.0001"), 2
    )


def test_check_json_states_the_findings_exactly(board):
    r = socdesk("check", "--db", board, "--json")
    assert r.returncode == 0, r.stderr
    findings = json.loads(r.stdout, parse_float=Decimal)
    f = next(f for f in findings if f["rule"] == "sum_mismatch" and f["unit"] == "B")
    assert (f["stated"], f["computed"]) == (Decimal("2000001.0001"), Decimal("2000001.0005"))
    assert '"stated": 2000001.0001' in r.stdout


def test_the_workspace_export_writes_numbers_and_real_percentages(
    qtbot, workspace, tmp_path, file_dialog_answers
):
    """Ctrl+E on 771, May 2024: amounts are numbers (the exact figure in tkr), percentages are
    percentage cells rounded as the table shows them (−13,2 % → −0,132)."""
    out = tmp_path / "ekonomi.xlsx"
    asked = file_dialog_answers([out])
    assert workspace.export_action.shortcut().toString() == "Ctrl+E"
    workspace.activateWindow()
    qtbot.waitUntil(workspace.isActiveWindow)
    workspace.economy.table.setFocus()
    qtbot.keyClick(workspace.economy.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)  # Ctrl+E
    qtbot.waitUntil(out.exists)
    assert asked == ["Exportera till Excel"]
    ws = load_workbook(out).active
    header = [c.value for c in ws[3]]
    model = workspace.economy.model
    by_label = {ws.cell(r, 1).value: r for r in range(4, ws.max_row + 1)}
    checked = 0
    for r in range(model.rowCount()):
        label = model.index(r, 0).data()
        row = by_label[label]
        for key, title in (
            ("actual", "Utfall (tkr)"),
            ("variance", "Avvikelse (tkr)"),
            ("annual_budget", "Årsbudget (tkr)"),
        ):
            cell = ws.cell(row, header.index(title) + 1)
            raw = model.index(r, COL[key]).data(RAW_ROLE)
            assert cell.data_type == "n" and cell.number_format == "#,##0;-#,##0"
            assert Decimal(str(cell.value)) == raw / 1000
        for key, title in (("variance_pct", "Avvikelse %"), ("used_pct", "Förbrukat %")):
            cell = ws.cell(row, header.index(title) + 1)
            raw = model.index(r, COL[key]).data(RAW_ROLE)
            if raw is None:
                assert cell.value is None
                continue
            assert cell.data_type == "n" and cell.number_format == "0.0%", (label, key, cell.value)
            assert Decimal(str(cell.value)) == round_half_up(raw, 1) / 100
            checked += 1
    hem = by_label["7762 Hemtjänst"]
    assert ws.cell(hem, header.index("Avvikelse %") + 1).value == pytest.approx(-0.132, abs=0)
    assert checked >= 20
