"""The consistency rules on small, hand-made fact sets."""

from dataclasses import replace
from decimal import Decimal

from socdesk.core.checks import run_checks
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.measures import Measure
from socdesk.core.numbers import Scale
from socdesk.core.periods import parse_period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import parse_value

NET = Measure("netto", "Nettokostnad", "kr", True, True, True, False, "kostnader + intakter")
COST = Measure("kostnader", "Kostnader", "kr", True, True, True, False)
REV = Measure("intakter", "Intäkter", "kr", True, True, True, False)
DAYS = Measure("varddygn", "Vårddygn", "dygn", True, True, True, False)
PY = Measure(
    "arsplaceringar",
    "Årsplaceringar",
    "årsplaceringar",
    False,
    True,
    True,
    False,
    "varddygn / dagar | varddygn / dagar365",  # the source counts actual days or 365 (as 001)
)
MEASURES = {m.key: m for m in (NET, COST, REV, DAYS, PY)}
TREE = UnitTree([Unit("P", "Program"), Unit("A", "A", "P"), Unit("B", "B", "P")])


def fact(unit, measure, scenario, period, value, scale=Scale.TKR, gender="", group="", version=""):
    key = FactKey(unit, measure, Scenario(scenario), parse_period(period), version, gender, group)
    return Fact(key, parse_value(value, scale))


def rules(facts):
    return [(f.rule, f.unit, f.measure, f.scenario, f.period) for f in run_checks(facts, TREE, MEASURES)]


def test_consistent_facts_give_no_findings():
    facts = [
        fact("A", "netto", "utfall", "2024", "10"),
        fact("B", "netto", "utfall", "2024", "5"),
        fact("P", "netto", "utfall", "2024", "15"),
        fact("P", "netto", "budget", "2024", "20"),
        fact("P", "netto", "avvikelse", "2024", "5"),
    ]
    assert rules(facts) == []


def test_sum_mismatch_names_the_child_whose_sign_reconciles():
    facts = [
        fact("A", "netto", "budget", "2024", "100"),
        fact("B", "netto", "budget", "2024", "7"),
        fact("P", "netto", "budget", "2024", "93"),
    ]
    [finding] = run_checks(facts, TREE, MEASURES)
    assert finding.rule == "sum_mismatch"
    assert (finding.stated, finding.computed) == (Decimal(93000), Decimal(107000))
    assert "Med omvänt tecken för B B" in finding.message


def test_rounding_is_not_a_finding_but_a_real_gap_is():
    ok = [
        fact("A", "netto", "utfall", "2024", "3,2", Scale.MNKR),
        fact("B", "netto", "utfall", "2024", "4,6", Scale.MNKR),
        fact("P", "netto", "utfall", "2024", "7,9", Scale.MNKR),
    ]  # 7,8 ± 0,1 by rounding
    assert rules(ok) == []
    bad = [*ok[:2], fact("P", "netto", "utfall", "2024", "8,0", Scale.MNKR)]
    assert rules(bad) == [("sum_mismatch", "P", "netto", "utfall", "2024")]


def test_variance_mismatch_and_forecast_variance():
    facts = [
        fact("A", "netto", "utfall", "2024-01/2024-05", "525"),
        fact("A", "netto", "budget", "2024-01/2024-05", "543"),
        fact("A", "netto", "avvikelse", "2024-01/2024-05", "-18"),  # sign wrong: should be +18
        fact("A", "netto", "budget", "2024", "1 302"),
        fact("A", "netto", "prognos", "2024", "1 300", version="2024-05"),
        fact("A", "netto", "prognosavvikelse", "2024", "2", version="2024-05"),
    ]
    assert rules(facts) == [("variance_mismatch", "A", "netto", "avvikelse", "2024-01/2024-05")]


def test_sign_anomaly():
    facts = [
        fact("A", "netto", "utfall", "2024-01/2024-05", "-1 288"),
        fact("A", "netto", "budget", "2024-01/2024-05", "-1 085"),
        fact("A", "netto", "budget", "2024", "2 605"),
    ]
    [finding] = run_checks(facts, TREE, MEASURES)
    assert (finding.rule, finding.period, finding.severity) == ("sign_anomaly", "2024", "warning")


def test_derived_mismatch_uses_formula_and_either_day_count():
    facts = [
        fact("A", "varddygn", "utfall", "2020", "40 496", Scale.KR),
        fact("A", "arsplaceringar", "utfall", "2020", "110,9", Scale.KR),  # ÷ 365 as 001 does
        fact("B", "varddygn", "utfall", "2019", "38 049", Scale.KR),
        fact("B", "arsplaceringar", "utfall", "2019", "105,2", Scale.KR),  # should be 104,2
        fact("A", "kostnader", "utfall", "2024", "10"),
        fact("A", "intakter", "utfall", "2024", "-3"),
        fact("A", "netto", "utfall", "2024", "9"),  # 10 − 3 = 7 ± 1,5 by rounding
    ]
    assert rules(facts) == [
        ("derived_mismatch", "A", "netto", "utfall", "2024"),
        ("derived_mismatch", "B", "arsplaceringar", "utfall", "2019"),
    ]
    # a measure declaring only the actual days: 40 496 ÷ 366 = 110,6 in 2020, so 110,9 is found
    actual_only = {**MEASURES, "arsplaceringar": replace(PY, formula="varddygn / dagar")}
    got = [(f.rule, f.unit, f.period) for f in run_checks(facts, TREE, actual_only)]
    assert ("derived_mismatch", "A", "2020") in got
    actual_only["arsplaceringar"] = replace(PY, formula="varddygn / dagar365")  # 365 declared
    got = [(f.rule, f.unit, f.period) for f in run_checks(facts, TREE, actual_only)]
    assert ("derived_mismatch", "A", "2020") not in got


def test_grain_mismatch_between_months_and_a_stated_range():
    facts = [fact("A", "netto", "utfall", f"2024-0{m}", "10") for m in range(1, 6)]
    facts.append(fact("A", "netto", "utfall", "2024-01/2024-05", "50"))
    assert rules(facts) == []
    facts[-1] = fact("A", "netto", "utfall", "2024-01/2024-05", "55")
    assert rules(facts) == [("grain_mismatch", "A", "netto", "utfall", "2024-01/2024-05")]
    quarters = [fact("A", "varddygn", "utfall", f"2024-Q{q}", "100", Scale.KR) for q in range(1, 5)]
    assert rules([*quarters, fact("A", "varddygn", "utfall", "2024", "401", Scale.KR)]) == [
        ("grain_mismatch", "A", "varddygn", "utfall", "2024")
    ]


def test_breakdown_by_gender_and_by_nested_groups_skips_suppressed_parts():
    m = {"n": Measure("n", "Antal", "antal", True, True, True, False)}

    def f(value, gender="", group=""):
        return fact("A", "n", "utfall", "2024", value, Scale.KR, gender, group)

    facts = [
        f("10", "K"),
        f("12", "M"),
        f("22"),
        f("5", group="X: a"),
        f("6", group="X: b"),
        f("12", group="X"),  # 11 ≠ 12
        f("*", group="Y: a"),
        f("6", group="Y: b"),
        f("10", group="Y"),  # suppressed: not checked
    ]
    found = [(x.rule, x.message) for x in run_checks(facts, TREE, m)]
    assert len(found) == 1 and "grupperna i X" in found[0][1]
