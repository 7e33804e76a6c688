"""Budget (periodisation, ombudgetering versions) and prognos (suggestions, earlier forecasts),
checked against 003's printed figures (budgetuppföljning maj 2024, tkr)."""

from decimal import Decimal

import pytest

from socdesk.core.checks import Checker
from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.forecast import rounded, run_rate, with_remaining_budget
from socdesk.core.periods import Month, Period
from socdesk.core.values import Value
from socdesk.io.seeds import open_database
from socdesk.reports.economy import economy_table
from socdesk.reports.planning import BY_MONTH, Spread, budget_form, budget_profiles, forecast_form

T = 1000  # tkr


@pytest.fixture
def store(demo_db):
    s = open_database(demo_db)
    yield s
    s.close()


def netto(store, unit, scenario, period, version=""):
    v = store.value(unit, store.measures()["netto"], scenario, period, version=version)
    return v.number if v.is_number else None


def findings(store):
    return sorted((f.rule, f.unit) for f in Checker(store.facts(), store.unit_tree(), store.measures()).run())


def row_of(form, code):
    return next(i for i, u in enumerate(form.units) if u.code == code)


def save(store, form, typed: dict[str, dict[int, str]]):
    """What the grid does on Spara: the form's facts for the changed rows, in one plan write."""
    from socdesk.core.entry import check_cell

    facts = []
    for code, cells in typed.items():
        r = row_of(form, code)
        values = {c: check_cell(t, form.columns[c].measure).value for c, t in cells.items()}
        facts += form.expand(form.units[r], values)
    return store.write_plan(facts, source="form", within=form.plan_within)


def test_core_suggestions():
    assert run_rate(Decimal(17_175 * T), 5) == Decimal(41_220 * T)  # evenly, without a budget
    # at the budget's pace: 35 178 × 17 175 ÷ 15 169 (003: 7762 Hemtjänst, jan–maj)
    assert (
        rounded(
            run_rate(
                Decimal(17_175 * T), 5, budget_ytd=Decimal(15_169 * T), annual_budget=Decimal(35_178 * T)
            )
        )
        == 39_830 * T
    )
    assert run_rate(Decimal(1), 5, budget_ytd=Decimal(0), annual_budget=Decimal(12)) is None
    assert with_remaining_budget(Decimal(17_175), Decimal(15_169), Decimal(35_178)) == 37_184
    assert rounded(Decimal("1234567.89")) == 1_235_000 and rounded(Decimal(-1500)) == -2000


def test_annual_budget_in_twelfths_replaces_the_pieces_and_moves_the_totals(store):
    may = Period.year_to_date(2024, 5)
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024)) == 35_178 * T  # 003
    assert netto(store, "7762", Scenario.BUDGET, may) == 15_169 * T
    parent_year, parent_may = (netto(store, "771", Scenario.BUDGET, p) for p in (Period.year(2024), may))
    findings_before = findings(store)
    form = budget_form(store, "771", 2024)
    annual = next(i for i, c in enumerate(form.columns) if c.input)
    assert [c.title for c in form.columns][:2] == ["Utfall 2023", "Årsbudget 2024"]
    assert form.cells[(row_of(form, "7762"), annual)].value == 35_178 * T

    save(store, form, {"7762": {annual: "36 000"}})
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024)) == 36_000 * T
    assert [netto(store, "7762", Scenario.BUDGET, Period.month(2024, m)) for m in range(1, 13)] == [
        3000 * T
    ] * 12
    assert netto(store, "7762", Scenario.BUDGET, may) == 15_000 * T  # the old stated jan–maj is gone
    # the program's and the board's stated budgets moved by exactly the unit's change
    assert netto(store, "771", Scenario.BUDGET, Period.year(2024)) == parent_year + 822 * T
    assert netto(store, "771", Scenario.BUDGET, may) == parent_may - 169 * T
    # The totals still add up; what no longer agrees is the avvikelse 003 printed from the old budget.
    new = list(findings(store))
    for f in findings_before:
        new.remove(f)
    assert new == [("variance_mismatch", "771"), ("variance_mismatch", "SN")], new
    changes = [a for a in store.audit_rows() if a["source"] == "form"]
    assert {a["unit_code"] for a in changes} >= {"7762", "771", "SN"}


def test_a_named_profile_and_months_typed_one_by_one(store):
    profiles = budget_profiles(store)
    name, weights = next(iter(profiles.items()))
    form = budget_form(store, "771", 2024, spread=Spread(name, tuple(weights)))
    annual = next(i for i, c in enumerate(form.columns) if c.input)
    save(store, form, {"7764": {annual: "1 480"}})  # weights sum to 12,8: 1 480 000 / 12,8 = 115 625
    months = [netto(store, "7764", Scenario.BUDGET, Period.month(2024, m)) for m in range(1, 13)]
    assert months[0] == Decimal(115_625) and months[6] == Decimal(161_875) and sum(months) == 1_480_000

    form = budget_form(store, "771", 2024, spread=Spread(BY_MONTH))
    inputs = form.inputs
    assert [form.columns[c].title for c in inputs] == [
        "jan",
        "feb",
        "mar",
        "apr",
        "maj",
        "jun",
        "jul",
        "aug",
        "sep",
        "okt",
        "nov",
        "dec",
    ]
    typed = {c: str(100 + i) for i, c in enumerate(inputs)}  # 100 … 111 tkr
    save(store, form, {"7764": typed})
    assert netto(store, "7764", Scenario.BUDGET, Period.year(2024)) == sum(range(100, 112)) * T
    assert netto(store, "7764", Scenario.BUDGET, Period.month(2024, 12)) == 111 * T


def test_ombudgetering_is_a_version_the_reports_follow_from_its_month(store):
    with pytest.raises(SocdeskError, match="skälet"):
        store.add_budget_version(2024, Month(2024, 6), "2024-06-12", " ")
    version = store.add_budget_version(2024, Month(2024, 6), "2024-06-12", "KF § 45: utökad ram hemtjänst")
    assert version == "2024-06"
    assert store.budget_versions(2024)[0]["reason"] == "KF § 45: utökad ram hemtjänst"
    with pytest.raises(SocdeskError, match="redan"):
        store.add_budget_version(2024, Month(2024, 6), "2024-06-13", "igen")
    # the copy starts equal to the original
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024), "2024-06") == 35_178 * T
    form = budget_form(store, "771", 2024, version=version)
    assert [c.title for c in form.columns][:3] == ["Utfall 2023", "Budget före", "Årsbudget 2024"]
    save(store, form, {"7762": {2: "40 000"}})
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024), "2024-06") == 40_000 * T
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024)) == 35_178 * T  # the original stays

    def row(month):
        table = economy_table(store, "771", month)
        return next(r for r in table.rows if r.unit.code == "7762")

    may, june = row(Month(2024, 5)), row(Month(2024, 6))
    assert (may.annual_budget, may.budget_version) == (35_178 * T, None)
    assert (june.annual_budget, june.original_annual_budget, june.budget_version) == (
        40_000 * T,
        35_178 * T,
        "2024-06",
    )
    total = economy_table(store, "771", Month(2024, 6)).rows[-1]
    assert total.annual_budget - total.original_annual_budget == 4_822 * T  # the program follows


def test_a_revision_is_not_stopped_by_a_lock_on_the_months_before_it(store):
    store.lock_period("SN", Period.month(2024, 5))
    with pytest.raises(SocdeskError, match="låst"):  # the original budget covers May
        save(store, budget_form(store, "771", 2024), {"7762": {1: "1"}})
    version = store.add_budget_version(2024, Month(2024, 6), "2024-06-12", "Ny ram")
    save(store, budget_form(store, "771", 2024, version=version), {"7762": {2: "40 000"}})
    assert netto(store, "7762", Scenario.BUDGET, Period.year(2024), version) == 40_000 * T


def test_forecast_form_suggests_from_utfall_and_budget_and_shows_earlier_forecasts(store):
    form = forecast_form(store, "771", Month(2024, 5))
    titles = [c.title for c in form.columns]
    assert titles == [
        "Årsbudget",
        "Utfall jan–maj 2024",
        "Förslag: utfall + återstående budget",
        "Förslag: samma takt",
        "Prognos per maj",
    ]
    r = row_of(form, "7762")
    assert [form.cells[(r, c)].value for c in range(4)] == [35_178 * T, 17_175 * T, 37_184 * T, 39_830 * T]
    key = form.cells[(r, 4)].key
    assert key == FactKey("7762", "netto", Scenario.FORECAST, Period.year(2024), "2024-05")
    store.write_facts([Fact(key, Value.of(37_184 * T))], source="form")
    row = next(x for x in economy_table(store, "771", Month(2024, 5)).rows if x.unit.code == "7762")
    assert (row.forecast, row.forecast_version) == (37_184 * T, "2024-05")
    june = forecast_form(store, "771", Month(2024, 6))
    assert [c.title for c in june.columns][4:] == ["Prognos per maj", "Prognos per jun"]
    assert june.cells[(row_of(june, "7762"), 4)].value == 37_184 * T
