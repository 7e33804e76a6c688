"""The figure rules of issue 12 §3 on every path: the budget in effect (after an ombudgetering,
and for months after a year-to-date budget), the run-rate at the periodised budget's pace, no
percentage of a budget where it means nothing, and days as the measure declares them.

Each rule is read where the user reads it: Ekonomi (the Qt model of the real main window),
Månad för månad (the chart's series and bars), ``socdesk deviations --json`` run as a
subprocess, and the report tables."""

import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PySide6.QtCore import QSettings, Qt

from socdesk.core.flags import FlagRules, Level, evaluate
from socdesk.core.forecast import rounded
from socdesk.core.keyfigures import days_basis, period_variables
from socdesk.core.periodisation import months_from_stated
from socdesk.core.periods import Month, Period
from socdesk.core.variance import pct_base_problem, variance_pct
from socdesk.gui.economy_model import COLUMNS, RAW_ROLE, EconomyModel
from socdesk.io.seeds import open_database
from socdesk.reports.board import Kind, build
from socdesk.reports.economy import ViewMode, economy_table
from socdesk.reports.statistics import statistics_table
from socdesk.store.db import Store

NB = "\u00a0"
COL = {key: i for i, (key, _t, _k) in enumerate(COLUMNS)}
T = 1000


def socdesk(*args: str) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "socdesk", *args], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, done.stderr
    return done


def write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def deviations_json(db: Path, period: str, unit: str | None = None) -> dict[str, dict]:
    args = ["deviations", "--db", str(db), "--period", period, "--json"]
    if unit:
        args += ["--unit", unit]
    return {r["unit"]: r for r in json.loads(socdesk(*args).stdout)}


def exact(v) -> Decimal:
    """A JSON number as the exact decimal it prints (a float's shortest repr, or a literal)."""
    return Decimal(str(v))


# --- months after a year-to-date budget ---------------------------------------------------------
# 003 states 7762 Hemtjänst's budget for jan–maj (15 169 tkr) and the year (35 178 tkr). June
# then has the rest shared over jun–dec: 20 009 000 ÷ 7 = 2 858 428,58 (largest remainder).
JUNE_BUDGET = Decimal("2858428.58")
JAN_JUN_BUDGET = 15_169 * T + JUNE_BUDGET
JUNE_ACTUAL = 3_100 * T
JAN_JUN_ACTUAL = 17_175 * T + JUNE_ACTUAL


def test_june_after_a_jan_maj_budget_is_the_same_figure_everywhere(qtbot, demo_db, tmp_path):
    june = write_csv(
        tmp_path / "juni.csv",
        ["enhet;period;mått;scenario;värde;skala", "7762;2024-06;netto;utfall;3 100;tkr"],
    )
    socdesk("import", str(june), "--db", str(demo_db))

    # socdesk deviations --json: year to date at June
    rows = deviations_json(demo_db, "2024-06", "771")
    r = rows["7762"]
    assert exact(r["actual"]) == JAN_JUN_ACTUAL
    assert exact(r["budget"]) == JAN_JUN_BUDGET
    assert exact(r["variance"]) == JAN_JUN_BUDGET - JAN_JUN_ACTUAL
    assert exact(r["variance_pct"]) == round((JAN_JUN_BUDGET - JAN_JUN_ACTUAL) * 100 / JAN_JUN_BUDGET, 2)
    assert r["budget_reconstructed"] is True
    assert exact(r["annual_budget"]) == 35_178 * T  # the stated årsbudget, as stated

    # Ekonomi: the real main window, June chosen in the period bar, in every view mode
    from socdesk.gui.context import AppContext
    from socdesk.gui.main_window import MainWindow

    store = open_database(demo_db)
    w = MainWindow(AppContext(store, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    try:
        w.select_unit("771")
        w.period.year.setValue(2024)
        w.period.month.setCurrentIndex(5)  # Juni
        m = w.economy.model
        qtbot.waitUntil(lambda: m.table is not None and m.table.month == Month(2024, 6))
        row = m.row_of("7762")

        def raw(key):
            return m.index(row, COL[key]).data(RAW_ROLE)

        def shown(key):
            return m.index(row, COL[key]).data()

        assert raw("budget") == JAN_JUN_BUDGET and shown("budget") == f"18{NB}027"
        assert raw("actual") == JAN_JUN_ACTUAL
        assert raw("variance") == JAN_JUN_BUDGET - JAN_JUN_ACTUAL and shown("variance") == f"−2{NB}248"
        assert shown("variance_pct") == f"−12,5{NB}%"
        assert "periodiserade budgeten" in m.index(row, COL["budget"]).data(Qt.ItemDataRole.ToolTipRole)
        for mode, budget, actual in (
            (ViewMode.MONTH, JUNE_BUDGET, JUNE_ACTUAL),
            (ViewMode.QUARTER, 3_033_800 * 2 + JUNE_BUDGET, None),  # apr, maj from jan–maj's share
            (ViewMode.TERTIAL, 3_033_800 + JUNE_BUDGET * 3 - Decimal("0.01") * 2, None),
        ):
            w.period.mode.setCurrentIndex(list(ViewMode).index(mode))
            qtbot.waitUntil(lambda mode=mode: m.table is not None and m.table.mode is mode)
            row = m.row_of("7762")
            assert raw("budget") == budget, mode
            if actual is not None:
                assert raw("actual") == actual
                assert raw("variance") == budget - actual
                assert shown("variance") == "−242"
        w.period.mode.setCurrentIndex(list(ViewMode).index(ViewMode.YTD))

        # Månad för månad: the same June budget drawn from the same rule
        w.select_unit("7762")
        w.tabs.setCurrentWidget(w.chart)
        qtbot.waitUntil(lambda: w.chart.series is not None and w.chart.series.through == 6)
        s = w.chart.series
        assert s.budget[5] == JUNE_BUDGET and s.cum_budget[5] == JAN_JUN_BUDGET
        assert s.cum_budget[4] == 15_169 * T and s.cum_budget[11] == 35_178 * T
        assert s.actual[5] == JUNE_ACTUAL and s.cum_actual[5] == JAN_JUN_ACTUAL
        heights = w.chart.budget_bars.opts["height"]
        assert heights[5] == pytest.approx(float(JUNE_BUDGET / T))
    finally:
        w.close()

    # the report table: Månadsuppföljning per juni
    report = build(store, Kind.MONTHLY, "SN", Month(2024, 6), draft_check=False)
    table = next(t for t in report.tables() if t.key == "verksamheter")
    r = next(i for i, line in enumerate(table.rows) if str(line[0]).startswith("7762 "))
    assert table.rows[r][2] == JAN_JUN_BUDGET / T and table.text(r, 2) == f"18{NB}027"
    assert table.rows[r][3] == (JAN_JUN_BUDGET - JAN_JUN_ACTUAL) / T
    assert "räknad ur månader fördelade från de angivna delarna" in table.legend  # the reader is told
    may = next(
        t
        for t in build(store, Kind.MONTHLY, "SN", Month(2024, 5), draft_check=False).tables()
        if t.key == "verksamheter"
    )
    assert "räknad ur månader" not in may.legend  # 003's stated jan–maj budget, as stated
    store.close()


# --- the budget in effect after an ombudgetering ------------------------------------------------
def test_tertial_report_prints_the_budget_in_effect_after_an_ombudgetering(demo_db, tmp_path):
    """004's budgetrad Barn och unga: budget T1 −60,9 and årsbudget −178,7 mnkr. An
    ombudgetering from April adding 1,0 mnkr to both is in effect for T1: −61,9 / −179,7 in the
    budgetrad table as in the area's own table, with the avvikelse against it (−63,0 − −61,9)."""
    from openpyxl import load_workbook

    def bou_rows(path: Path) -> list[list]:
        wb = load_workbook(path)
        found = []
        for ws in wb.worksheets:
            for line in ws.iter_rows(values_only=True):
                if line[0] in ("Barn och unga 0–20 år", "Totalt Barn och unga 0–20 år"):
                    found.append(
                        [Decimal(str(v)) if isinstance(v, int | float | Decimal) else v for v in line]
                    )
        return found

    before = tmp_path / "fore.xlsx"
    socdesk(
        "report", "tertial", "--db", str(demo_db), "--period", "2023-T1", "--unit", "N", "-o", str(before)
    )
    budgetrad, area = bou_rows(before)
    assert budgetrad[4:7] == [Decimal("-60.9"), Decimal("-2.1"), Decimal("-178.7")]  # as 004 prints
    assert area[2:5] == [Decimal("-60.9"), Decimal("-2.1"), Decimal("-178.7")]

    with open_database(demo_db) as store:
        store.add_budget_version(2023, Month(2023, 4), "2023-04-18", "SN § 41: utökad ram BoU")
        store.add_budget_version(2023, Month(2023, 5), "2023-05-16", "SN § 52: ny ram från maj")
    revised = write_csv(
        tmp_path / "ombudgetering.csv",
        [
            "enhet;period;mått;scenario;värde;skala;version",
            "N-BOU;2023-T1;netto;budget;-61,9;mnkr;2023-04",
            "N-BOU;2023;netto;budget;-179,7;mnkr;2023-04",
            "N-BOU;2023;netto;budget;-185,0;mnkr;2023-05",  # from May: not in effect for T1
        ],
    )
    socdesk("import", str(revised), "--db", str(demo_db), "--costs-negative", "--replace")
    after = tmp_path / "efter.xlsx"
    socdesk("report", "tertial", "--db", str(demo_db), "--period", "2023-T1", "--unit", "N", "-o", str(after))
    budgetrad, area = bou_rows(after)
    assert budgetrad[3:9] == [
        Decimal("-63"),  # netto utfall
        Decimal("-61.9"),  # budget in effect
        Decimal("-1.1"),  # avvikelse against it, not 004's stated −2,1
        Decimal("-179.7"),
        Decimal("-188.7"),  # helårsprognos per april
        Decimal("-9"),  # prognosavvikelse against the revised årsbudget
    ]
    assert area[2:7] == [
        Decimal("-61.9"),
        Decimal("-1.1"),
        Decimal("-179.7"),
        Decimal("-188.7"),
        Decimal("-9"),
    ]
    # Ekonomi and deviations agree; the original stays where the layout asks for it
    rows = deviations_json(demo_db, "2023-04", "N")
    assert exact(rows["N-BOU"]["budget"]) == Decimal("61900000")
    assert exact(rows["N-BOU"]["annual_budget"]) == Decimal("179700000")
    with open_database(demo_db) as store:
        row = next(r for r in economy_table(store, "N", Month(2023, 4)).rows if r.unit.code == "N-BOU")
        assert (row.budget, row.annual_budget, row.original_annual_budget, row.budget_version) == (
            Decimal("61900000"),
            Decimal("179700000"),
            Decimal("178700000"),
            "2023-04",
        )
        may = next(r for r in economy_table(store, "N", Month(2023, 5)).rows if r.unit.code == "N-BOU")
        assert (may.annual_budget, may.budget_version) == (Decimal("185000000"), "2023-05")


# --- run-rate -------------------------------------------------------------------------------
def test_run_rate_follows_the_periodised_budget(tmp_path):
    """X is budgeted heavily in T1 (50 of 100 mnkr: a contract paid early) and has spent 45 mnkr
    in jan–apr, with prognos = budget: under its budget on every rule. Spread evenly the same
    utfall runs to 135 mnkr and was flagged red. Y has only an årsbudget: the budget so far is
    then its twelfths, and the same utfall still runs to 135 mnkr – red."""
    db = tmp_path / "takt.db"
    data = write_csv(
        tmp_path / "takt.csv",
        [
            "enhet;namn;överordnad;period;mått;scenario;värde;skala;version",
            "S;Nämnd;;;;;;;",
            "X;Entreprenad;S;2024-T1;netto;budget;50 000;tkr;",
            "X;;;2024;netto;budget;100 000;tkr;",
            "X;;;2024-01/2024-04;netto;utfall;45 000;tkr;",
            "X;;;2024;netto;prognos;100 000;tkr;2024-04",
            "Y;Jämn verksamhet;S;2024;netto;budget;100 000;tkr;",
            "Y;;;2024-01/2024-04;netto;utfall;45 000;tkr;",
            "Y;;;2024;netto;prognos;100 000;tkr;2024-04",
        ],
    )
    socdesk("import", str(data), "--db", str(db))
    rows = deviations_json(db, "2024-04")
    assert rows["X"]["level"] == "green" and rows["X"]["reasons"] == []
    assert exact(rows["X"]["budget"]) == 50_000 * T and rows["X"]["budget_reconstructed"] is False
    assert rows["Y"]["level"] == "red"
    # twelfths to the öre, the remainder öre in the first months: 4 × 8 333 333,34
    assert exact(rows["Y"]["budget"]) == Decimal("33333333.36") and rows["Y"]["budget_reconstructed"] is True
    [reason] = [t for t in rows["Y"]["reasons"] if t.startswith("Utfallstakt")]
    assert f"ger 135{NB}000 tkr på helår, 35{NB}000 tkr (35,0{NB}%) över årsbudgeten" in reason
    # the rule itself: evenly it would have flagged X red as well
    even = evaluate(
        FlagRules(),
        1,
        actual_ytd=Decimal(45_000 * T),
        budget_ytd=Decimal(100_000 * T) * 4 / 12,
        annual_budget=Decimal(100_000 * T),
        forecast=Decimal(100_000 * T),
        months_passed=4,
    )
    assert even.level is Level.RED
    # the chart's "samma takt" line and the prognos form's suggestion take the same pace
    with Store(db, readonly=True) as store:
        from socdesk.reports.monthly import monthly_series
        from socdesk.reports.planning import SUGGESTIONS, forecast_form

        assert monthly_series(store, "X", Month(2024, 4)).run_rate == 90_000 * T
        assert rounded(monthly_series(store, "Y", Month(2024, 4)).run_rate) == 135_000 * T
        form = forecast_form(store, "S", Month(2024, 4))
        x = next(i for i, u in enumerate(form.units) if u.code == "X")
        assert form.cells[(x, SUGGESTIONS["takt"])].value == 90_000 * T


# --- deficit budgets --------------------------------------------------------------------------
def test_no_percentage_of_a_budget_where_it_means_nothing(qtbot, tmp_path):
    """Net cost is positive, net revenue negative. D was budgeted as a net revenue of 200 tkr
    and ran a net cost of 987 260 kr: −1 187 260 ÷ 200 000 would print −593,63 %. A revenue row
    that stays a revenue row (A, Avgifter) keeps its percentage; a zero budget has none."""
    db = tmp_path / "underskott.db"
    data = write_csv(
        tmp_path / "underskott.csv",
        [
            "enhet;namn;överordnad;period;mått;scenario;värde;skala",
            "S;Nämnd;;;;;;",
            "D;Uthyrning;S;2024-01/2024-05;netto;budget;-200 000;kr",
            "D;;;2024-01/2024-05;netto;utfall;987 260;kr",
            "D;;;2024;netto;budget;-480 000;kr",
            "A;Avgifter;S;2024-01/2024-05;netto;budget;-1 085 000;kr",
            "A;;;2024-01/2024-05;netto;utfall;-1 288 000;kr",
            "A;;;2024;netto;budget;-2 605 000;kr",
            "Z;Nystartad;S;2024-01/2024-05;netto;budget;0;kr",
            "Z;;;2024-01/2024-05;netto;utfall;300 000;kr",
            "Z;;;2024;netto;budget;0;kr",
        ],
    )
    socdesk("import", str(data), "--db", str(db))
    rows = deviations_json(db, "2024-05")
    d, a, z = rows["D"], rows["A"], rows["Z"]
    assert exact(d["variance"]) == -1_187_260 and d["variance_pct"] is None
    assert "nettointäkt men utfallet en nettokostnad" in d["variance_pct_note"]
    assert exact(a["variance_pct"]) == Decimal("18.71") and a["variance_pct_note"] is None
    assert z["variance_pct"] is None and "0 kr" in z["variance_pct_note"]
    # flags rest on kronor: 1 187 tkr over at verksamhet level is red (250 tkr), no percentage
    assert d["level"] == "red"
    assert all("593" not in t and "(–)" in t for t in d["reasons"] if t.startswith("Avvikelse"))
    assert z["level"] == "yellow" and a["level"] == "green"  # 300 tkr: yellow from 200 tkr
    # Ekonomi shows "–" with the reason as the cell's tooltip
    with Store(db, readonly=True) as store:
        model = EconomyModel()
        model.set_table(economy_table(store, "S", Month(2024, 5)))
        for code in ("D", "Z"):
            cell = model.index(model.row_of(code), COL["variance_pct"])
            assert cell.data() == "–"
            assert "säger ingenting" in cell.data(Qt.ItemDataRole.ToolTipRole)
        used = model.index(model.row_of("D"), COL["used_pct"])
        assert used.data() == "–" and "säger ingenting" in used.data(Qt.ItemDataRole.ToolTipRole)
        assert model.index(model.row_of("A"), COL["variance_pct"]).data() == f"18,7{NB}%"
    # the rule, once, for cost and revenue rows
    assert pct_base_problem(Decimal(100), Decimal(120)) is None  # cost row over budget
    assert pct_base_problem(Decimal(-100), Decimal(-80)) is None  # revenue row short of budget
    assert pct_base_problem(Decimal(100), Decimal(-5)) is not None  # cost budget, net revenue
    assert variance_pct(Decimal(-20), Decimal(100), Decimal(120)) == -20
    assert variance_pct(Decimal(-1_187_260), Decimal(-200_000), Decimal(987_260)) is None


# --- days ------------------------------------------------------------------------------------
def test_days_are_the_periods_actual_days_unless_the_measure_declares_365(tmp_path):
    assert period_variables(Period.year(2024))["dagar"] == 366
    assert period_variables(Period.month(2024, 2)) == {"dagar": 29, "dagar365": 28, "manader": 1}
    assert period_variables(Period.quarter(2024, 1))["dagar"] == 91
    assert days_basis("netto * dagar / varddygn | netto * dagar365 / varddygn") == "actual"
    assert days_basis("netto * dagar365 / varddygn") == "365"
    db = tmp_path / "dygn.db"
    data = write_csv(
        tmp_path / "dygn.csv",
        [
            "enhet;namn;överordnad;period;mått;scenario;värde;skala",
            "H;HVB;;2024;netto;utfall;36 600 000;kr",
            "H;;;2024;varddygn;utfall;3 660;",
            "H;;;2024-Q1;netto;utfall;9 100 000;kr",
            "H;;;2024-Q1;varddygn;utfall;910;",
            "H;;;2023;netto;utfall;36 500 000;kr",
            "H;;;2023;varddygn;utfall;3 650;",
        ],
    )
    socdesk("import", str(data), "--db", str(db))

    def per_year(store):
        table = statistics_table(store, "H")
        row = next(r for r in table.rows if r.key == "nettokostnad_per_arsplacering_beraknad")
        return {p.label(): v.number for p, v in zip(table.periods, row.values, strict=True)}

    with Store(db) as store:
        # the shipped measure: actual days first (366 in 2024, 91 in K1 2024), 365 allowed in check
        assert per_year(store) == {"2023": 3_650_000, "2024": 3_660_000, "K1 2024": 910_000}
        m = store.measures()["nettokostnad_per_arsplacering"]
        store.upsert_measures([replace(m, formula="netto * dagar365 / varddygn")])  # a 365 source
        assert per_year(store) == {"2023": 3_650_000, "2024": 3_650_000, "K1 2024": 900_000}


# --- the reconstruction rule, for any stated pieces ---------------------------------------------
@given(
    st.lists(st.decimals(min_value=-(10**8), max_value=10**8, places=2), min_size=12, max_size=12),
    st.sets(st.integers(1, 12), max_size=6),  # months stated one by one
    st.sets(st.integers(1, 11), max_size=3),  # year-to-date pieces (1, M)
    st.booleans(),  # the årsbudget stated
)
def test_rebuilt_months_keep_every_stated_piece(budget, singles, ytds, annual):
    stated = {(m, m): budget[m - 1] for m in singles}
    stated |= {(1, m): sum(budget[:m], Decimal(0)) for m in ytds}
    if annual:
        stated[(1, 12)] = sum(budget, Decimal(0))
    months, rebuilt = months_from_stated(stated)
    singles = {a for a, b in stated if a == b}  # budget jan–jan is January stated on its own
    for (a, b), amount in stated.items():
        part = months[a - 1 : b]
        assert all(v is not None for v in part)  # every piece is covered …
        assert sum(part, Decimal(0)) == amount  # … and holds exactly
    for m in singles:
        assert months[m - 1] == budget[m - 1]  # a month stated on its own stays as stated
    known = max([m for m in ytds] + [12 if annual else 0] + [0])
    assert all(v is None for i, v in enumerate(months, start=1) if i > known and i not in singles)
    assert rebuilt == any(v is not None for i, v in enumerate(months, start=1) if i not in singles)
