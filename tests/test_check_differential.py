"""The remaining-work check of a report made fast (issue 13): the checks over a subtree's year
read by ``Store.facts_for_check`` and run by ``core.checks`` give exactly the findings – rule,
figures, message, order – and the compared figures of the checks as they were before
(``tests/checks_reference.py``, a copy kept only as this test's reference), on the demo, on
generated boards (``tests/diffcells.generate_board``) and on random facts over a tree with
"därav" parts, kön and grupper, formulas and mixed grains."""

from __future__ import annotations

import dataclasses
import random
import shutil
from decimal import Decimal

import checks_reference  # tests/checks_reference.py
import diffcells  # tests/diffcells.py
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socdesk.core import checks
from socdesk.core.facts import GENDERS, Fact, FactKey, Scenario
from socdesk.core.periods import Period
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Status, Value
from socdesk.io.seeds import install_default_measures
from socdesk.reports import board
from socdesk.store.db import Store


def both(facts: list[Fact], tree: UnitTree, measures) -> tuple[checks.Checker, checks_reference.Checker]:
    fast, reference = checks.Checker(facts, tree, measures), checks_reference.Checker(facts, tree, measures)
    fast.run()
    reference.run()
    return fast, reference


def assert_same(facts: list[Fact], tree: UnitTree, measures) -> tuple[int, int]:
    """The findings and the compared figures are the reference's; how many of each."""
    fast, reference = both(facts, tree, measures)
    assert [f.as_json() for f in fast.findings] == [f.as_json() for f in reference.findings]
    assert fast.compared == reference.compared
    return len(reference.findings), len(reference.compared)


def years(store: Store) -> list[int]:
    return sorted({f.key.period.start.year for f in store.facts()})


def test_the_demo_boards_years_give_the_same_findings(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    with Store(path, readonly=True) as store:
        tree, measures = store.unit_tree(), store.measures()
        found, _compared = assert_same(store.facts(), tree, measures)  # socdesk check: every fact
        assert found >= 10  # the seeds' own contradictions: a comparison that can fail
        by_year = 0
        for root in tree.roots():
            subtree = [root.code, *(u.code for u in tree.descendants(root.code))]
            for year in years(store):
                facts = store.facts_for_check(root.code, Period.year(year))
                assert facts == [
                    dataclasses.replace(f, comment="", source="")
                    for f in store.facts(units=subtree, within=Period.year(year))
                ]
                by_year += assert_same(facts, tree, measures)[0]
        assert by_year >= 10


@pytest.mark.parametrize("seed", [2024, 7, 13])
def test_generated_boards_give_the_same_findings(tmp_path, seed):
    path = tmp_path / "generated.db"
    diffcells.generate_board(path, seed)
    with Store(path, readonly=True) as store:
        tree, measures = store.unit_tree(), store.measures()
        facts = store.facts_for_check("G", Period.year(2024))
        assert len(facts) > 100
        assert facts == [dataclasses.replace(f, comment="", source="") for f in store.facts()]
        assert_same(facts, tree, measures)


def test_the_facts_for_check_of_a_subtree_and_period(tmp_path):
    path = tmp_path / "g.db"
    diffcells.generate_board(path, 5)
    with Store(path, readonly=True) as store:
        tree = store.unit_tree()
        for root in ("G", "P1", "V11"):
            subtree = [root, *(u.code for u in tree.descendants(root))]
            for within in (Period.year(2024), Period.year_to_date(2024, 5), Period.month(2024, 6)):
                expected = [
                    dataclasses.replace(f, comment="", source="")
                    for f in store.facts(units=subtree, within=within)
                ]
                assert store.facts_for_check(root, within) == expected
                assert expected or root == "V11"


# --- random facts ----------------------------------------------------------------------------
TREE = UnitTree(
    [
        Unit("N", "Nämnd"),
        Unit("A", "Avd A", "N"),
        Unit("A1", "Enhet A1", "A"),
        Unit("A2", "Enhet A2", "A"),
        Unit("A3", "därav A3", "A", part=True),
        Unit("B", "Avd B", "N"),
        Unit("B1", "Enhet B1", "B"),
        Unit("B2", "Enhet B2", "B"),
        Unit("C", "Avd C", "N"),
        Unit("C1", "därav C1", "C", part=True),  # a unit whose only child is a part
    ]
)
MEASURES_USED = [
    "netto",
    "kostnader",
    "intakter",
    "aktualiseringar",
    "unika_personer",
    "varddygn",
    "arsplaceringar",
    "nettokostnad_per_dygn",
    "beslut_antal",
    "beslut_bifall",
    "beslut_avslag",
    "andel_avslag",
    "invanare",
    "beslut_per_10000",
]
PERIODS = [
    Period.month(2024, 1),
    Period.month(2024, 2),
    Period.month(2024, 3),
    Period.month(2024, 4),
    Period.quarter(2024, 1),
    Period.tertial(2024, 1),
    Period.year_to_date(2024, 2),
    Period.year(2024),
    Period.month(2023, 12),
    Period.year(2023),
]
GROUPS = ["", "", "", "Hemtjänst", "LSS", "LSS: Boende", "LSS: Daglig verksamhet", "LSS: därav SiS"]


@pytest.fixture(scope="module")
def measures(tmp_path_factory):
    with Store(tmp_path_factory.mktemp("m") / "m.db") as store:
        install_default_measures(store)
        return store.measures()


CELL = st.tuples(
    st.sampled_from([u.code for u in TREE] + ["X"]),  # X: a unit not in the tree
    st.sampled_from(MEASURES_USED),
    st.sampled_from(list(Scenario)),
    st.sampled_from(PERIODS),
    st.sampled_from(["", "", "", "2024-06"]),
    st.sampled_from(GENDERS),
    st.sampled_from(GROUPS),
    st.one_of(
        st.integers(-60, 60),
        st.integers(-(10**7), 10**7),
        st.sampled_from([Status.SUPPRESSED, Status.NOT_COMPUTABLE]),
    ),
    st.sampled_from([None, None, 1, 10, 1000, 100_000]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.lists(CELL, min_size=1, max_size=80), seed=st.integers(0, 2**16))
def test_random_facts_give_the_same_findings(measures, cells, seed):
    facts: dict[FactKey, Fact] = {}
    for unit, measure, scenario, period, version, gender, group, value, resolution in cells:
        key = FactKey(unit, measure, scenario, period, version, gender, group)
        if isinstance(value, Status):
            v = Value.status_only(value)
        else:
            v = Value.of(value, resolution) if resolution else Value.of(value)
        facts[key] = Fact(key, v)
    # A sum that adds up and one that does not, beside the noise, so that rules have matches.
    rnd = random.Random(seed)
    month = rnd.choice(PERIODS[:4])
    a1, a2 = rnd.randint(-50, 50), rnd.randint(-50, 50)
    for unit, number in (("A1", a1), ("A2", a2), ("A", a1 + a2 + rnd.choice([0, 0, 1, 500]))):
        key = FactKey(unit, "netto", Scenario.ACTUAL, month)
        facts[key] = Fact(key, Value.of(Decimal(number)))
    listed = list(facts.values())
    rnd.shuffle(listed)
    assert_same(listed, TREE, measures)


def _structured(rnd: random.Random) -> list[Fact]:
    """Facts that mostly agree and sometimes do not: sums over units and through an unstated
    level, "därav" parts, kön and grupper, signs, avvikelser, formulas and grains."""
    out: dict[FactKey, Fact] = {}

    def off() -> int:
        return rnd.choice([0, 0, 0, 1, -1, 7, 250, -3000])

    def put(unit, measure, scenario, period, number, version="", gender="", group="", resolution=None):
        key = FactKey(unit, measure, scenario, period, version, gender, group)
        if rnd.random() < 0.04:
            value = Value.status_only(rnd.choice([Status.SUPPRESSED, Status.NOT_COMPUTABLE]))
        else:
            value = Value.of(Decimal(number), resolution) if resolution else Value.of(Decimal(number))
        out[key] = Fact(key, value)

    months = [Period.month(2024, m) for m in range(1, 5)]
    for measure in rnd.sample(["netto", "kostnader", "aktualiseringar", "varddygn", "beslut_bifall"], 3):
        for scenario in rnd.sample([Scenario.ACTUAL, Scenario.BUDGET, Scenario.FORECAST], 2):
            version = "2024-03" if scenario is Scenario.FORECAST and rnd.random() < 0.5 else ""
            for period in [*rnd.sample(months, 3), Period.tertial(2024, 1)]:
                leaves = {
                    u: rnd.randint(-20, 400) * rnd.choice([1, 1, 1, -1]) for u in ("A1", "A2", "B1", "B2")
                }
                for u, v in leaves.items():
                    if rnd.random() < 0.9:
                        put(u, measure, scenario, period, v, version)
                if rnd.random() < 0.5:
                    put("A", measure, scenario, period, leaves["A1"] + leaves["A2"] + off(), version)
                if rnd.random() < 0.3:  # a part larger or smaller than its whole
                    put("A3", measure, scenario, period, leaves["A1"] + off(), version)
                if rnd.random() < 0.3:
                    put("C", measure, scenario, period, leaves["B1"], version)
                    put("C1", measure, scenario, period, leaves["B1"] + rnd.choice([-5, 0, 5]), version)
                if rnd.random() < 0.5:  # N over A and B, B unstated: through it
                    put("N", measure, scenario, period, sum(leaves.values()) + off(), version)
                if rnd.random() < 0.4:  # kön
                    unit = rnd.choice(["A1", "B", "N"])
                    women, men = rnd.randint(0, 90), rnd.randint(0, 90)
                    put(unit, measure, scenario, period, women, version, "K")
                    put(unit, measure, scenario, period, men, version, "M")
                    put(unit, measure, scenario, period, women + men + off(), version)
                if rnd.random() < 0.4:  # grupper
                    unit = rnd.choice(["A1", "B", "N"])
                    boende, daglig = rnd.randint(0, 50), rnd.randint(0, 50)
                    put(unit, measure, scenario, period, boende, version, "", "LSS: Boende")
                    put(unit, measure, scenario, period, daglig, version, "", "LSS: Daglig verksamhet")
                    put(unit, measure, scenario, period, boende + daglig + off(), version, "", "LSS")
                    put(unit, measure, scenario, period, boende + off(), version, "", "LSS: därav SiS")
                    put(unit, measure, scenario, period, boende, version, "K", "LSS: Boende")
    for unit in ("A1", "B2", "C"):  # avvikelser, prognosavvikelser and formulas
        period = rnd.choice(months)
        budget, actual = rnd.randint(100, 900), rnd.randint(100, 900)
        put(unit, "netto", Scenario.BUDGET, period, budget)
        put(unit, "netto", Scenario.ACTUAL, period, actual)
        put(unit, "netto", Scenario.VARIANCE, period, budget - actual + off())
        put(unit, "netto", Scenario.FORECAST, Period.year(2024), actual * 12, "2024-03")
        put(
            unit,
            "netto",
            Scenario.FORECAST_VARIANCE,
            Period.year(2024),
            budget * 12 - actual * 12 + off(),
            "2024-03",
        )
        put(unit, "netto", Scenario.BUDGET, Period.year(2024), budget * 12)
        days = rnd.randint(1, 300)
        put(unit, "varddygn", Scenario.ACTUAL, period, days)
        put(
            unit,
            "nettokostnad_per_dygn",
            Scenario.ACTUAL,
            period,
            (actual * 1000) // days + off(),
            resolution=1,
        )
        bifall, avslag = rnd.randint(0, 40), rnd.randint(1, 40)
        put(unit, "beslut_bifall", Scenario.ACTUAL, period, bifall)
        put(unit, "beslut_avslag", Scenario.ACTUAL, period, avslag)
        put(unit, "beslut_antal", Scenario.ACTUAL, period, bifall + avslag + off())
        put(
            unit,
            "andel_avslag",
            Scenario.ACTUAL,
            period,
            (100 * avslag) // (bifall + avslag) + off(),
            resolution=1,
        )
    period = rnd.choice(months)  # a key figure of a unit that states only its units' inputs
    netto = {u: rnd.randint(100, 900) for u in ("A1", "A2")}
    days = {u: rnd.randint(1, 300) for u in ("A1", "A2")}
    for u in ("A1", "A2"):
        put(u, "netto", Scenario.ACTUAL, period, netto[u])
        put(u, "varddygn", Scenario.ACTUAL, period, days[u])
    per_day = sum(netto.values()) * 1000 // sum(days.values())
    put("A", "nettokostnad_per_dygn", Scenario.ACTUAL, period, per_day + off(), resolution=1)
    for unit in ("A2", "B1"):  # a year of months: one of the opposite sign, and the grains
        sign = rnd.choice([1, -1])
        flipped = rnd.randint(1, 12)
        values = {
            m: sign * rnd.randint(10, 90) * (-1 if m == flipped and rnd.random() < 0.7 else 1)
            for m in range(1, 13)
        }
        for m, v in values.items():
            put(unit, "kostnader", Scenario.ACTUAL, Period.month(2024, m), v)
        put(
            unit,
            "kostnader",
            Scenario.ACTUAL,
            Period.quarter(2024, 1),
            sum(values[m] for m in (1, 2, 3)) + off(),
        )
        put(
            unit,
            "kostnader",
            Scenario.ACTUAL,
            Period.year_to_date(2024, 5),
            sum(values[m] for m in range(1, 6)) + off(),
        )
        put(unit, "kostnader", Scenario.ACTUAL, Period.year(2024), sum(values.values()) + off())
    listed = list(out.values())
    rnd.shuffle(listed)
    return listed


@pytest.mark.parametrize("seed", range(30))
def test_structured_boards_give_the_same_findings(measures, seed):
    _found, compared = assert_same(_structured(random.Random(seed)), TREE, measures)
    assert compared > 20


def test_structured_boards_exercise_every_rule(measures):
    rules: set[str] = set()
    for seed in range(30):
        fast, _reference = both(_structured(random.Random(seed)), TREE, measures)
        rules |= {f.rule for f in fast.findings}
    assert rules >= {
        "sum_mismatch",
        "part_exceeds_whole",
        "sign_anomaly",
        "variance_mismatch",
        "derived_mismatch",
        "grain_mismatch",
    }


def test_a_formula_is_read_once_not_once_per_fact(measures):
    """netto has a formula (kostnader + intakter) that no unit here states the inputs of: it
    is read once, and nothing is evaluated (the reference parsed it for every fact)."""
    checks._alternatives.cache_clear()
    tree = UnitTree([Unit("N", "N"), *(Unit(f"V{i}", f"V{i}", "N") for i in range(50))])
    facts = [
        Fact(FactKey(f"V{i}", "netto", s, Period.month(2024, m)), Value.of(1000 + i))
        for i in range(50)
        for m in range(1, 13)
        for s in (Scenario.ACTUAL, Scenario.BUDGET)
    ]
    assert assert_same(facts, tree, measures) == (0, 0)
    assert checks._alternatives.cache_info().misses <= 1  # netto's formula, read once


def test_a_month_is_a_month(measures):
    """A sign anomaly: one month of the opposite sign among a unit's money figures."""
    facts = [
        Fact(FactKey("A1", "netto", Scenario.ACTUAL, Period.month(2024, m)), Value.of(-5 if m == 3 else 10))
        for m in range(1, 7)
    ]
    fast, reference = both(facts, TREE, measures)
    assert [f.rule for f in fast.findings] == ["sign_anomaly"] == [f.rule for f in reference.findings]
    assert [f.as_json() for f in fast.findings] == [f.as_json() for f in reference.findings]


# --- the check reads only the facts a rule can find anything in (checks.scope) ---------------------
def assert_scoped_same(store: Store, root: str | None, within: Period | None) -> tuple[int, int, int]:
    """Over the facts ``checks.scope`` picks, the findings and compared figures are those over
    every fact of the subtree and period; how many findings, facts read, facts in all."""
    tree, measures = store.unit_tree(), store.measures()
    every = store.facts_for_check(root, within)
    scope = checks.scope(store.check_uses(root, within), measures)
    scoped = store.facts_for_check(root, within, scope)
    assert set(scoped) <= set(every)
    fast, reference = checks.Checker(scoped, tree, measures), checks_reference.Checker(every, tree, measures)
    fast.run()
    reference.run()
    assert [f.as_json() for f in fast.findings] == [f.as_json() for f in reference.findings]
    assert fast.compared == reference.compared
    # The one pass of a report's remaining-work check: how each measure occurs as check_uses
    # says, and a sign-only measure with an odd unit-year exactly where facts_for_check reads one.
    scan = store.remaining_scan(root, within)
    assert sorted(scan.uses, key=lambda u: u.measure) == sorted(
        store.check_uses(root, within), key=lambda u: u.measure
    )
    only_signs = checks.Scope(frozenset(), scope.signs)
    assert bool(scan.odd & scope.signs) == bool(store.facts_for_check(root, within, only_signs))
    for found in (
        board.check_findings(store, root, within, tree),
        board.check_findings(store, root, within, tree, scan),
    ):
        assert [f.as_json() for f in found] == [f.as_json() for f in reference.findings]
    return len(reference.findings), len(scoped), len(every)


def test_the_scoped_check_of_the_demo_finds_the_same(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    with Store(path, readonly=True) as store:
        found, _read, _all = assert_scoped_same(store, None, None)  # socdesk check: every fact
        assert found >= 10
        for root in store.unit_tree().roots():
            for year in years(store):
                assert_scoped_same(store, root.code, Period.year(year))


@pytest.mark.parametrize("seed", [2024, 7, 13])
def test_the_scoped_check_of_generated_boards_finds_the_same(tmp_path, seed):
    path = tmp_path / "generated.db"
    diffcells.generate_board(path, seed)
    with Store(path, readonly=True) as store:
        for root, within in (("G", Period.year(2024)), (None, None), ("P1", Period.year_to_date(2024, 6))):
            assert_scoped_same(store, root, within)


def _stored(tmp_path, facts: list[Fact], units=TREE) -> Store:
    from socdesk.io.seeds import open_database

    store = open_database(tmp_path / "board.db")
    store.add_units(list(units))
    store.write_facts([f for f in facts if f.key.unit in units], source="test")
    return store


@pytest.mark.parametrize("seed", range(12))
def test_the_scoped_check_of_structured_boards_finds_the_same(tmp_path, seed):
    """Sums, parts, kön and grupper, signs, avvikelser, formulas and grains, stored."""
    store = _stored(tmp_path, _structured(random.Random(seed)))
    try:
        for root, within in (("N", Period.year(2024)), (None, None), ("A", Period.year(2023)), ("B1", None)):
            assert_scoped_same(store, root, within)
    finally:
        store.close()


def test_a_leaf_only_board_reads_only_its_odd_signs(tmp_path):
    """As at the city: every figure at the leaves, netto budget, utfall and a prognos a month
    and a count: nothing to compare but signs, so only the unit-year with one figure of the
    opposite sign is read – and its sign anomaly is found as over every fact."""
    units = [Unit("S", "Stad"), Unit("P", "Program", "S"), *(Unit(f"V{i}", f"V{i}", "P") for i in range(8))]
    facts = []
    for i in range(8):
        for m in range(1, 13):
            month = Period.month(2024, m)
            sign = -1 if (i, m) == (3, 5) else 1
            facts += [
                Fact(FactKey(f"V{i}", "netto", Scenario.BUDGET, month), Value.of(1000 + i)),
                Fact(FactKey(f"V{i}", "netto", Scenario.ACTUAL, month), Value.of(sign * (900 + m))),
                Fact(
                    FactKey(f"V{i}", "netto", Scenario.FORECAST, Period.year(2024), f"2024-{m:02d}"),
                    Value.of(12_000 + m),
                ),
                Fact(FactKey(f"V{i}", "aktualiseringar", Scenario.ACTUAL, month), Value.of(m % 5)),
            ]
    store = _stored(tmp_path, facts, UnitTree(units))
    try:
        found, read, every = assert_scoped_same(store, "S", Period.year(2024))
        assert (found, read, every) == (1, 36, 8 * 48)  # V3's netto of 2024: 12 + 12 + 12 figures
        rules = [
            f.rule
            for f in checks.run_checks(
                store.facts_for_check("S", Period.year(2024)), store.unit_tree(), store.measures()
            )
        ]
        assert rules == ["sign_anomaly"]
        # A stated program total makes netto a sum to check: then every netto figure is read.
        store.write_facts(
            [Fact(FactKey("P", "netto", Scenario.ACTUAL, Period.month(2024, 1)), Value.of(1))], source="test"
        )
        found, read, every = assert_scoped_same(store, "S", Period.year(2024))
        assert read == 8 * 36 + 1 and found == 2
    finally:
        store.close()


def _leaf_facts(rnd: random.Random) -> list[Fact]:
    """Random figures at the leaves only (no sum to compare), so that the scope differs by
    measure: some split by kön or grupp, some with stated variances or mixed grains, formulas
    with and without their inputs, money measures with and without a figure of the odd sign."""
    leaves = [u.code for u in TREE if not TREE.children(u.code)]
    chosen = rnd.sample(MEASURES_USED, 6)
    out: dict[FactKey, Fact] = {}
    for measure in chosen:
        scenarios = rnd.sample(list(Scenario), rnd.choice([1, 2, 3]))
        periods = rnd.sample(PERIODS, rnd.choice([1, 3, 6]))
        split = rnd.random() < 0.3
        for unit in rnd.sample(leaves, rnd.randint(1, len(leaves))):
            for scenario in scenarios:
                for period in periods:
                    gender = rnd.choice(GENDERS) if split else ""
                    number = rnd.randint(1, 5000) * (-1 if rnd.random() < 0.08 else 1)
                    key = FactKey(unit, measure, scenario, period, rnd.choice(["", "", "2024-06"]), gender)
                    out[key] = Fact(key, Value.of(number))
    return list(out.values())


@pytest.mark.parametrize("seed", range(10))
def test_the_scoped_check_of_leaf_figures_finds_the_same(tmp_path, seed):
    store = _stored(tmp_path, _leaf_facts(random.Random(seed)))
    try:
        for root, within in (("N", Period.year(2024)), (None, None)):
            assert_scoped_same(store, root, within)
    finally:
        store.close()


def test_leaf_figures_are_read_in_part(tmp_path):
    """The leaf-only boards above exercise the scope: facts left out, signs found in what is read."""
    left_out = read_some = signs = 0
    for seed in range(10):
        (tmp_path / str(seed)).mkdir()
        store = _stored(tmp_path / str(seed), _leaf_facts(random.Random(seed)))
        try:
            found = checks.Checker(
                store.facts_for_check(
                    None, None, checks.scope(store.check_uses(None, None), store.measures())
                ),
                store.unit_tree(),
                store.measures(),
            ).run()
            _n, read, every = assert_scoped_same(store, None, None)
        finally:
            store.close()
        left_out += read < every
        read_some += 0 < read < every
        signs += any(f.rule == "sign_anomaly" for f in found)
    assert left_out >= 5 and read_some >= 2 and signs >= 2


# --- issue 15: the seeds one by one, and ``socdesk check`` itself as a user runs it --------------
def _seed_ids() -> list[str]:
    from socdesk.io.seeds import demo_manifest

    return [path.name for path, _neg in demo_manifest()]


@pytest.mark.parametrize("name", _seed_ids())
def test_each_seed_alone_gives_the_same_findings(tmp_path, name):
    """Each seed report imported on its own (not only all together as the demo): the check over
    every fact (``socdesk check``) and over each board's years finds what the reference finds."""
    from socdesk.io.longcsv import import_long_csv
    from socdesk.io.seeds import demo_manifest, open_database

    path, negative = next((p, neg) for p, neg in demo_manifest() if p.name == name)
    with open_database(tmp_path / "seed.db") as store:
        assert import_long_csv(store, path, costs_negative=negative).rows > 0
        _found, read, every = assert_scoped_same(store, None, None)
        assert every > 0 and read <= every
        assert_same(store.facts(), store.unit_tree(), store.measures())
        for root in store.unit_tree().roots():
            for year in years(store):
                assert_scoped_same(store, root.code, Period.year(year))


def _cli_check(db) -> list:
    import json
    import subprocess
    import sys

    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "check", "--json", "--db", str(db)], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr  # 0: the audit chain holds
    return json.loads(r.stdout)


def _reference_json(db) -> list:
    import json

    from socdesk.core import exact_json

    with Store(db, readonly=True) as store:
        reference = checks_reference.Checker(store.facts(), store.unit_tree(), store.measures())
        reference.run()
    return json.loads(exact_json.dumps([f.as_json() for f in reference.findings]))


def test_socdesk_check_prints_the_references_findings_on_the_demo(demo_template, tmp_path):
    path = tmp_path / "demo.db"
    shutil.copyfile(demo_template, path)
    expected = _reference_json(path)
    assert len(expected) >= 10 and _cli_check(path) == expected


@pytest.mark.parametrize("seed", [2024, 7, 13])
def test_socdesk_check_prints_the_references_findings_on_generated_boards(tmp_path, seed):
    path = tmp_path / "generated.db"
    diffcells.generate_board(path, seed)
    assert _cli_check(path) == _reference_json(path)
