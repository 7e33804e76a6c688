"""A total whose utfall is partial (only some units have reported for the month) is compared
with nothing: no avvikelse, no percentages, no green/yellow/red – "◔ Ofullständig" – on every
path (Ekonomi, ``deviations`` and its JSON, the reports); the reporting units keep their flags."""

import json
import subprocess
import sys
from decimal import Decimal

from PySide6.QtCore import QSettings, Qt

from socdesk.core.flags import FlagRules, Level, evaluate
from socdesk.core.periods import Month
from socdesk.gui.context import AppContext
from socdesk.gui.economy_model import COLUMNS
from socdesk.gui.main_window import MainWindow
from socdesk.io.seeds import open_database
from socdesk.reports.board import Kind, build
from socdesk.reports.economy import ViewMode

COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}
# June ledger rows for two of 771's 15 verksamheter (the new-user trial of issue 12)
LEDGER = "Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;10000\n7764;4010;2024-06;7427\n"
NOT_COMPARABLE = (
    "Ej jämförbar: 2 av 15 underliggande enheter har utfall för juni 2024; "
    "jämförelsen med budgeten väntar på resten."
)


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def import_june(db, tmp_path):
    path = tmp_path / "juni.csv"
    path.write_text(LEDGER, encoding="utf-8")
    r = socdesk("import", path, "--db", db)
    assert r.returncode == 0, r.stderr


def test_deviations_json_gives_a_partial_total_no_variance_and_no_green(demo_db, tmp_path):
    before = {
        row["unit"]: row
        for row in json.loads(socdesk("deviations", "--db", demo_db, "--period", "2024-06", "--json").stdout)
    }
    import_june(demo_db, tmp_path)
    r = socdesk("deviations", "--db", demo_db, "--period", "2024-06", "--json")
    assert r.returncode == 0, r.stderr
    by = {row["unit"]: row for row in json.loads(r.stdout)}
    t771 = by["771"]
    assert t771["actual"] == 17_442_427 and t771["budget"] == 68_667_714.29  # 2 units' utfall, 15 budgets
    assert t771["partial"]["reporting"] == 2 and t771["partial"]["expected"] == 15
    assert t771["variance"] is None and t771["variance_pct"] is None
    assert t771["variance_pct_note"] == NOT_COMPARABLE
    assert t771["level"] == "incomplete" and t771["reasons"] == [NOT_COMPARABLE]
    sn = by["SN"]  # the nämnd was "green, +148 184 214,29" on 771's two units
    assert sn["partial"] is not None and sn["variance"] is None and sn["level"] == "incomplete"
    assert "2 av 76 underliggande enheter" in sn["reasons"][-1]
    # the units that reported keep their own figures and flags: budget − utfall
    hem = by["7762"]
    assert hem["partial"] is None and hem["level"] == "green"
    assert Decimal(str(hem["variance"])) == Decimal(str(hem["budget"])) - Decimal(str(hem["actual"]))
    # nobody else changed level
    assert {c: by[c]["level"] for c in by if by[c]["partial"] is None} == {
        c: before[c]["level"] for c in by if by[c]["partial"] is None
    }
    flagged = json.loads(
        socdesk("deviations", "--db", demo_db, "--period", "2024-06", "--flagged", "--json").stdout
    )
    assert all(row["level"] in ("yellow", "red") for row in flagged)
    assert not {"771", "SN"} & {row["unit"] for row in flagged}
    text = socdesk("deviations", "--db", demo_db, "--period", "2024-06", "--unit", "771").stdout
    assert "◔ 771 Äldreomsorg" in text and NOT_COMPARABLE in text
    # May: everyone has reported – the totals get their verdict as before
    may = {
        r["unit"]: r
        for r in json.loads(socdesk("deviations", "--db", demo_db, "--period", "2024-05", "--json").stdout)
    }
    assert may["771"]["variance"] is not None and may["771"]["level"] in ("green", "yellow", "red")


def test_ekonomi_shows_the_partial_total_as_not_comparable(qtbot, demo_db, tmp_path):
    import_june(demo_db, tmp_path)
    store = open_database(demo_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        model = w.economy.model
        with qtbot.waitSignal(w.deviations_updated, timeout=10000):
            w.select_unit("771")
            w.period.set_month(Month(2024, 6))
            w.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.YTD))
        qtbot.waitUntil(
            lambda: (
                model.table is not None
                and model.table.unit.code == "771"
                and model.table.month == Month(2024, 6)
                and model.table.mode is ViewMode.YTD
            )
        )
        rows = {model.index(r, 0).data(): r for r in range(model.rowCount())}
        total = rows["Summa 771 Äldreomsorg"]

        def cell(row, key):
            return model.index(row, COL[key])

        assert cell(total, "actual").data() == "17\u00a0442 ◔"
        assert cell(total, "budget").data() == "68\u00a0668"
        for key in ("variance", "variance_pct", "used_pct"):
            assert cell(total, key).data() == "–", key
            assert cell(total, key).data(Qt.ItemDataRole.ToolTipRole) == NOT_COMPARABLE, key
        assert cell(total, "flag").data() == "◔ Ofullständig"
        assert cell(total, "flag").data(Qt.ItemDataRole.ToolTipRole) == NOT_COMPARABLE
        hem = rows["7762 Hemtjänst"]
        assert cell(hem, "flag").data() == "✓ Grön" and cell(hem, "variance").data() == "842"
        # the flagged list does not count the incomplete totals (as green or otherwise)
        codes = {r.unit.code for r in w.deviations.model.rows}
        assert not {"771", "SN"} & codes
        assert all(r.flag.level > Level.GREEN for r in w.deviations.model.rows)
    finally:
        w.close()
        store.close()


def test_the_monthly_report_prints_no_variance_for_a_partial_total(demo_db, tmp_path):
    import_june(demo_db, tmp_path)
    store = open_database(demo_db)
    try:
        report = build(store, Kind.MONTHLY, "SN", Month(2024, 6), draft_check=False)
        table = next(t for t in report.tables() if t.key == "verksamheter")
        row = table.rows[table.row_keys.index("771")]  # the program's own row, its stated total
        assert row[0] == "771 Äldreomsorg" and table.row_keys.index("771") in table.totals
        assert row[1] is not None and row[2] is not None and row[3] is None  # utfall, budget, no avvikelse
        hem = next(r for r in table.rows if r[0] == "7762 Hemtjänst")
        assert hem[3] is not None
    finally:
        store.close()


def test_an_incomplete_total_is_never_green_but_the_forecast_rule_still_applies():
    common = dict(actual_ytd=Decimal(100), budget_ytd=Decimal(10_000_000), months_passed=6)
    why = "Ej jämförbar: 1 av 2."
    flag = evaluate(
        FlagRules(), 0, annual_budget=Decimal(20_000_000), forecast=None, incomplete=why, **common
    )
    assert (flag.level, flag.reasons) == (Level.INCOMPLETE, (why,))
    assert (flag.level.key, flag.level.symbol, flag.level.label) == ("incomplete", "◔", "Ofullständig")
    # a forecast 10 mnkr over the årsbudget is red whether or not the utfall is complete
    red = evaluate(
        FlagRules(),
        0,
        annual_budget=Decimal(20_000_000),
        forecast=Decimal(30_000_000),
        incomplete=why,
        **common,
    )
    assert red.level is Level.RED and red.reasons[-1] == why and red.reasons[0].startswith("Prognosavvikelse")
    # without the mark, the same figures are far under budget: green
    assert (
        evaluate(FlagRules(), 0, annual_budget=Decimal(20_000_000), forecast=None, **common).level
        is Level.GREEN
    )
