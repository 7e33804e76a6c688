"""The seed reports as data: every printed total is re-derived from its components.

The oracle is the documents in ../shared/seeds as printed. ``socdesk check`` re-derives each
total, variance, percentage and key figure from the transcribed components (to the printed
rounding); these tests assert *which* figures were re-derived and that exactly the documents'
own contradictions are reported.
"""

from decimal import Decimal

import pytest

from socdesk.core.checks import Checker
from socdesk.core.facts import FactKey, Scenario
from socdesk.core.periods import parse_period
from socdesk.io.seeds import open_database

U, B, AV, PR, PAV, MU = (
    "utfall",
    "budget",
    "avvikelse",
    "prognos",
    "prognosavvikelse",
    "maluppfyllelse",
)


def key(unit, measure, scenario, period, version="", gender="", group=""):
    return FactKey(unit, measure, Scenario(scenario), parse_period(period), version, gender, group)


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    from socdesk.io.seeds import build_demo

    path = tmp_path_factory.mktemp("seeds") / "demo.db"
    build_demo(path)
    store = open_database(path)
    checker = Checker(store.facts(), store.unit_tree(), store.measures())
    findings = checker.run()
    facts = {f.key: f for f in store.facts()}
    store.close()
    return checker, findings, facts


def compared(checker, rule):
    return {k for r, k in checker.compared if r == rule}


def value(facts, *args, **kw):
    return facts[key(*args, **kw)].value.number


# --- the documents' own contradictions, and nothing else --------------------------------
EXPECTED_FINDINGS = {
    # 003: program 771's Årsbudget and 7779's sign (DOMAIN.md)
    ("sum_mismatch", "771", "netto", B, "2024", Decimal(134_114_000), Decimal(139_324_000)),
    ("sign_anomaly", "7779", "netto", B, "2024", Decimal(2_605_000), Decimal(-2_605_000)),
    # 004: the statsbidrag forecast total is 2 000 kr more than its rows
    (
        "sum_mismatch",
        "N",
        "statsbidrag_erhallet",
        PR,
        "2023",
        Decimal(14_985_205),
        Decimal(14_983_205),
    ),
    # 001: the four placement forms do not add up to Total heldygnsvård BoU 2019–2022 (2023 does)
    *{
        ("sum_mismatch", "N-BOU-HDV", "varddygn", U, str(y), Decimal(s), Decimal(c))
        for y, s, c in [
            (2019, 38049, 37021),
            (2020, 40496, 38664),
            (2021, 40087, 39872),
            (2022, 44356, 44907),
        ]
    },
    *{
        ("sum_mismatch", "N-BOU-HDV", "arsplaceringar", U, str(y), Decimal(s), Decimal(c))
        for y, s, c in [
            (2019, "104.2", "101.5"),
            (2020, "110.9", "105.8"),
            (2021, "109.8", "109.3"),
            (2022, "121.5", "123.1"),
        ]
    },
    # 001: Socialpsykiatri heldygnsvård 2022: HVB + stödboende + träning + särskilt boende
    # = 37 823, not 37 458
    ("sum_mismatch", "N-FN-SPS-HDV", "varddygn", U, "2022", Decimal(37458), Decimal(37823)),
    (
        "sum_mismatch",
        "N-FN-SPS-HDV",
        "arsplaceringar",
        U,
        "2022",
        Decimal("102.6"),
        Decimal("103.7"),
    ),
    # 002 table 9:16: 703 + 409 bifall is 1 112, not 1 187 (so 1 112 + 206 + 143 = 1 461 holds)
    ("sum_mismatch", "STH", "beslut_bifall", U, "2024", Decimal(1187), Decimal(1112)),
}
EXPECTED_DERIVED = {
    ("N-VUX-HDV", "arsplaceringar", "2019"),  # 21 735 dygn ÷ 365 = 59,5, printed 60,0
    # Skyddat boende: per årsplacering ≠ per dygn × 365 in every year
    ("N-VUX-SKB", "nettokostnad_per_arsplacering", "2020"),
    ("N-VUX-SKB", "nettokostnad_per_arsplacering", "2021"),
    ("N-VUX-SKB", "nettokostnad_per_arsplacering", "2022"),
    ("N-VUX-SKB", "nettokostnad_per_arsplacering", "2023"),
    ("STH", "beslut_antal", "2024"),  # Totalt 1 461 ≠ 1 187 + 206 + 143
}


def test_check_reports_exactly_the_documents_contradictions(checked):
    _checker, findings, _facts = checked
    got = {
        (f.rule, f.unit, f.measure, f.scenario, f.period, f.stated, f.computed)
        for f in findings
        if f.rule != "derived_mismatch"
    }
    assert got == EXPECTED_FINDINGS
    derived = {(f.unit, f.measure, f.period) for f in findings if f.rule == "derived_mismatch"}
    assert derived == EXPECTED_DERIVED


def test_the_003_findings_explain_themselves(checked):
    _checker, findings, _facts = checked
    by_unit = {f.unit: f for f in findings}
    assert "Med omvänt tecken för 7779 Avgifter hemtjänst (2 605 tkr → −2 605 tkr) stämmer summan" in by_unit[
        "771"
    ].message.replace("\u00a0", " ")
    assert by_unit["7779"].severity == "warning"
    assert by_unit["771"].severity == "error"


# --- 003 ---------------------------------------------------------------------------------
PROGRAMS_003 = ["750", "754", "756", "770", "771", "774", "781"]
YTD = "2024-01/2024-05"


def test_003_every_total_and_variance_is_rederived(checked):
    checker, _findings, facts = checked
    sums = compared(checker, "sum_mismatch")
    for unit in ["SN", *PROGRAMS_003]:
        for k in (
            key(unit, "netto", U, YTD),
            key(unit, "netto", B, YTD),
            key(unit, "netto", AV, YTD),
            key(unit, "netto", B, "2024"),
        ):
            assert k in sums, k
    variances = {k for k in facts if k.scenario is Scenario.VARIANCE and facts[k].source.startswith("003")}
    assert len(variances) == 84  # Totalt, 10 program and 73 verksamheter
    assert variances <= compared(checker, "variance_mismatch")


def test_003_printed_figures(checked):
    _c, _f, facts = checked
    assert value(facts, "SN", "netto", U, YTD) == 141_388_000
    assert value(facts, "SN", "netto", AV, YTD) == -2_163_000
    assert value(facts, "7762", "netto", U, YTD) == 17_175_000
    assert value(facts, "7762", "netto", AV, YTD) == -2_006_000
    assert value(facts, "753", "netto", U, YTD) == -665_000


# The detail pages repeat each program's summary row as a heading (not transcribed twice).
DETAIL_HEADINGS_003 = {
    "750": (5842, 6285, 443, 14506),
    "754": (14191, 12470, -1721, 29124),
    "756": (4547, 4477, -70, 10429),
    "770": (11569, 11718, 149, 27110),
    "771": (58611, 57760, -851, 139324),
    "774": (17542, 16881, -661, 39139),
    "781": (29200, 28633, -567, 67101),
}


def test_003_detail_page_headings_match_the_summary_except_771_arsbudget(checked):
    _c, _f, facts = checked
    for program, printed in DETAIL_HEADINGS_003.items():
        summary = tuple(
            int(value(facts, program, "netto", s, p) / 1000)
            for s, p in ((U, YTD), (B, YTD), (AV, YTD), (B, "2024"))
        )
        if program == "771":
            assert summary == (58611, 57760, -851, 134114)
            children = [
                k
                for k in facts
                if k.measure == "netto"
                and k.scenario is Scenario.BUDGET
                and str(k.period) == "2024"
                and facts[k].source.endswith("program 771")
            ]
            assert sum(facts[k].value.number for k in children) == printed[3] * 1000
        else:
            assert summary == printed


# --- 004 ---------------------------------------------------------------------------------
T1, V = "2023-T1", "2023-04"
BUDGETRADER = ["N-BOU", "N-VUX", "N-FN", "N-GEM", "N-NMD", "N-MYN"]


def test_004_result_table_is_rederived(checked):
    checker, _findings, facts = checked
    sums, derived, variances = (
        compared(checker, r) for r in ("sum_mismatch", "derived_mismatch", "variance_mismatch")
    )
    totals = [key("N", m, s, T1) for m in ("intakter", "kostnader", "netto") for s in (U, B)]
    totals += [
        key("N", "netto", AV, T1),
        key("N", "netto", B, "2023"),
        key("N", "netto", PR, "2023", V),
        key("N", "netto", PAV, "2023", V),
    ]
    assert set(totals) <= sums
    for unit in ["N", *BUDGETRADER]:
        assert {
            key(unit, "netto", U, T1),
            key(unit, "netto", B, T1),
        } <= derived  # netto = kostnader + intäkter
        assert key(unit, "netto", AV, T1) in variances
        assert key(unit, "netto", PAV, "2023", V) in variances
    # costs were negative in the document; inside socdesk net cost is positive
    assert value(facts, "N", "netto", U, T1) == Decimal("332600000")
    assert value(facts, "N", "intakter", U, T1) == Decimal("-20300000")
    assert value(facts, "N", "netto", AV, T1) == Decimal("5400000")
    assert value(facts, "N", "netto", PR, "2023", version=V) == Decimal("1008400000")


def test_004_budgetrad_tables_placements_indicators_and_grants(checked):
    checker, _findings, facts = checked
    sums, variances = compared(checker, "sum_mismatch"), compared(checker, "variance_mismatch")
    for unit in ("N-BOU", "N-VUX", "N-FN"):
        for k in (
            key(unit, "netto", U, T1),
            key(unit, "netto", B, T1),
            key(unit, "netto", AV, T1),
            key(unit, "netto", PR, "2023", V),
            key(unit, "netto", B, "2023"),
            key(unit, "netto", PAV, "2023", V),
        ):
            assert k in sums, k
    sub = [
        k
        for k in facts
        if k.scenario in (Scenario.VARIANCE, Scenario.FORECAST_VARIANCE)
        and k.unit.count("-") == 2
        and k.unit.startswith("N-")
    ]
    assert len(sub) == 26 and set(sub) <= variances
    assert {
        key("N-BOU-HDV", "arsplaceringar", U, "2023-Q1"),
        key("N-BOU-HDV", "arsplaceringar", U, "2022-Q1"),
        key("N-VUX-HDV", "arsplaceringar", U, "2023-Q1"),
    } <= sums
    for m in (
        "andel_ej_vald_skyddat_boende",
        "andel_socialt_kontrakt_egen_bostad",
        "andel_lss_boende_inom_kommunen",
    ):
        assert key("N", m, MU, "2023") in variances
    assert value(facts, "N", "andel_ej_vald_skyddat_boende", MU, "2023") == 80
    for k in (
        key("N", "statsbidrag_sokt", U, "2023"),
        key("N", "statsbidrag_erhallet", U, "2023"),
        key("N", "statsbidrag_erhallet", PR, "2023", V),
        key("N", "framtidsfond", U, "2021-11/2023-04"),
        key("N", "framtidsfond", B, "2021-11/2023-12"),
        key("N", "framtidsfond", PR, "2021-11/2023-12", V),
    ):
        assert k in sums, k
    # the institution table (whole placements) and the chart (one decimal) state the same figure
    assert value(facts, "N-BOU-INST", "arsplaceringar", U, "2023-Q1") == Decimal("20.3")


# --- 001 ---------------------------------------------------------------------------------
def test_001_heldygnsvard_totals_and_key_figures_are_rederived(checked):
    checker, _findings, facts = checked
    sums, derived = compared(checker, "sum_mismatch"), compared(checker, "derived_mismatch")
    for unit, first in (("N-BOU-HDV", 2019), ("N-VUX-HDV", 2020), ("N-FN-SPS-HDV", 2019)):
        for y in range(first, 2024):
            assert {
                key(unit, "varddygn", U, str(y)),
                key(unit, "arsplaceringar", U, str(y)),
            } <= sums
    key_figures = {
        k
        for k in facts
        if facts[k].source.startswith("001")
        and facts[k].value.is_number
        and k.measure
        in (
            "arsplaceringar",
            "arsplaceringar_sis",
            "nettokostnad_per_arsplacering",
            "timmar_per_kund_manad",
            "timmar_per_kund_ar",
            "resor_per_kund_ar",
        )
    }
    assert len(key_figures) == 169
    assert key_figures <= derived
    assert key("N-VUX-FH", "nettokostnad_per_dygn", U, "2021") in derived
    for y in (2020, 2021, 2022, 2023):  # LSS "Summering" of average persons per insats
        assert key("N-FN-LSS", "personer_medeltal", U, str(y)) in sums
    assert value(facts, "N-BOU-HDV", "nettokostnad_per_arsplacering", U, "2023") == 843496
    assert facts[key("N-VUX-FH", "varddygn", U, "2019")].value.status.value == "-"


# --- 002 ---------------------------------------------------------------------------------
def test_002_city_totals_gender_splits_and_group_totals_are_rederived(checked):
    checker, _findings, facts = checked
    sums, derived = compared(checker, "sum_mismatch"), compared(checker, "derived_mismatch")
    city = (
        [key("STH", "personer_med_beslut", U, "2024", group=g) for g in ("LSS", "SoL", "Både LSS och SoL")]
        + [
            key("STH", "personer_med_beslut", U, str(y), group="Personlig assistans (LSS), vuxna")
            for y in (2022, 2023, 2024)
        ]
        + [
            key("STH", "personer_med_beslut", U, "2024", group=g)
            for g in ("Ledsagarservice (LSS)", "Ledsagning (SoL)", "Avlösarservice (LSS)")
        ]
        + [
            key(
                "STH",
                "personer_med_beslut",
                U,
                "2024",
                group="Bostad med särskild service (LSS), personer från 69 år",
            ),
            key("STH", "personer_med_beslut", U, "2024", gender="K", group="KBF"),
            key("STH", "personer_med_beslut", U, "2024", group="KBF"),
        ]
        + [key("STH", "kbf_kostnad", U, str(y)) for y in (2022, 2023, 2024)]
    )
    for k in city:
        assert k in sums, k
    for y in (2022, 2023, 2024):
        for g in ("", "K", "M"):
            assert key("STH", "verkstallda_beslut", U, str(y), gender=g, group="LSS") in sums
        # SoL by kön cannot be re-derived: Dagverksamhet and Korttidsvistelse are * by kön
        assert key("STH", "verkstallda_beslut", U, str(y), group="SoL") in sums
        assert key("STH", "verkstallda_beslut", U, str(y), gender="K", group="SoL") not in sums
        assert key("STH", "lov_verksamheter", U, str(y)) in sums
    for parent in (
        "Daglig verksamhet (LSS)",
        "Boendestöd (SoL)",
        "Bostad med särskild service för vuxna (LSS)",
    ):
        assert key("STH", "personer_med_beslut", U, "2024", group=parent) in sums
    for m in ("beslut_antal", "beslut_bifall", "beslut_delavslag", "beslut_avslag", "domar"):
        assert key("STH", m, U, "2024") in sums
    assert key("STH", "beslut_antal", U, "2024", group="Ledsagning/ledsagarservice") in sums
    for g in ("Ledsagning/ledsagarservice", "Kontaktperson", ""):
        for m in ("beslut_antal", "andel_delavslag", "andel_avslag"):
            assert key("STH", m, U, "2024", group=g) in derived
    for regi in (
        "Regi vuxna, Bostad med särskild service (LSS)",
        "Regi vuxna, Daglig verksamhet (LSS)",
        "Regi barn/ungdomar, Korttidstillsyn (LSS)",
        "Regi barn/ungdomar, Avlösning (SoL)/Avlösarservice (LSS)",
    ):
        assert key("STH", "verkstallda_beslut", U, "2024", group=regi) in sums
    assert (
        facts[
            key(
                "STH-KUN",
                "personer_med_beslut",
                U,
                "2024",
                group="Personlig assistans (LSS), barn/ungdomar",
            )
        ].value.status.value
        == "*"
    )
    assert (
        facts[key("STH-SN", "andel_kon", U, "2024", gender="K", group="Både LSS och SoL")].value.status.value
        == "."
    )


TABLE_SIZES = {  # facts transcribed per printed table (tables without totals included)
    "Tabell 9:1 ": 36,
    "Tabell 9:2 ": 108,
    "Tabell 9:3 ": 90,
    "Tabell 9:4 ": 108,
    "Tabell 9:5 ": 108,
    "Tabell 9:6 ": 12,
    "Tabell 9:7 ": 39,
    "Tabell 9:8 ": 21,
    "Tabell 9:9 ": 72,
    "Tabell 9:10 ": 99,
    "Tabell 9:11 ": 42,
    "Tabell 9:12 ": 72,
    "Tabell 9:13 ": 60,
    "Tabell 9:14 ": 72,
    "Tabell 9:15 ": 72,
    "Tabell 9:16 ": 24,
    "Tabell 9:17 ": 32,
    "Tabell 9:18 ": 32,
    "Tabell 9:19 ": 36,
    "Tabell 9:20 ": 36,
    "Tabell 9:21 ": 21,
    "Tabell 9:22 ": 95,
    "Tabell 9:23 ": 76,
}


def test_002_every_table_is_transcribed(checked):
    _c, _f, facts = checked
    for table, n in TABLE_SIZES.items():
        assert sum(1 for f in facts.values() if table in f.source) == n, table


def test_committed_seed_files_are_what_the_transcription_produces(tmp_path):
    """The CSVs in seeds/ are generated from build_scripts/seedtables (and, for 001, from the
    document itself in ../shared/seeds); they must not drift apart."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    r = subprocess.run(
        [sys.executable, str(root / "build_scripts" / "transcribe_seeds.py"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    produced = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert len(produced) == 5
    for name in produced:
        assert (tmp_path / name).read_bytes() == (root / "seeds" / name).read_bytes(), name
