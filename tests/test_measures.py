"""Measures a kommun declares (issue 12 §5): a mått.csv beside the file or a sheet Mått, through
`socdesk import` as a process; conflicts refused with the database unchanged; the audit chain
covers measure changes; population from SCB files; kr per invånare and per 10 000 invånare
computed exactly from it and checked against stated rates."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from audit_layout import logical_edit  # tests/audit_layout.py
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from socdesk.core.checks import run_checks
from socdesk.core.errors import ParseError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.measures import Measure, validate
from socdesk.core.periods import Period
from socdesk.core.rates import compute, input_keys, shown
from socdesk.core.units import Unit, UnitTree
from socdesk.core.values import Value
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.reports.statistics import statistics_table
from socdesk.store.db import Store, StoreError
from socdesk.store.measures import AUDIT_SCENARIO, declare, measure_history

HEADER = "nyckel;namn;enhet;additiv_tid;additiv_enheter;additiv_uppdelning;högre_bättre;formel\n"
KR_PER_INV = "kr_per_invanare;Nettokostnad per invånare;kr/invånare;nej;nej;nej;nej;netto / invanare\n"
PLACEMENTS = (
    "placerade_barn;Placerade barn och unga;antal;nej;ja;ja;nej;\n"
    "placerade_per_10000;Placerade barn per 10 000 invånare 0–17 år;per 10 000;nej;nej;nej;nej;"
    "placerade_barn / invanare * 10000\n"
)
LONG = "enhet;namn;överordnad;period;mått;scenario;värde;skala;kön;grupp\n"
YEAR = Period.year(2024)


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def measure(key, unit="antal", formula="", **kw) -> Measure:
    args = {"additive_time": False, "additive_units": False, "additive_breakdown": False}
    args.update(kw)
    return Measure(key, key.replace("_", " "), unit, higher_is_better=False, formula=formula, **args)


# --- the figures: exact, half-up, the year's population ----------------------------------------
MEASURES = {
    "netto": measure("netto", "kr", additive_time=True, additive_units=True, additive_breakdown=True),
    "invanare": measure("invanare", "invånare", additive_units=True, additive_breakdown=True),
    "kr_per_invanare": measure("kr_per_invanare", "kr/invånare", "netto / invanare"),
    "placerade_barn": measure("placerade_barn"),
    "placerade_per_10000": measure("placerade_per_10000", "per 10 000", "placerade_barn / invanare * 10000"),
}


def key(measure_key, period=YEAR, **kw):
    return FactKey("SN", measure_key, Scenario.ACTUAL, period, **kw)


def test_kr_per_invanare_from_net_cost_and_population():
    facts = {key("netto"): Value.of(12_345_678), key("invanare"): Value.of(23_456)}
    exact = compute(MEASURES["kr_per_invanare"], key("kr_per_invanare"), MEASURES, facts.get)
    assert exact == Decimal(12_345_678) / Decimal(23_456)
    assert shown(exact, MEASURES["kr_per_invanare"]) == Value.of(Decimal("526.33"))


def test_a_rate_is_rounded_half_up_from_the_exact_quotient():
    facts = {key("netto"): Value.of(1), key("invanare"): Value.of(8)}  # 0,125 kr
    exact = compute(MEASURES["kr_per_invanare"], key("kr_per_invanare"), MEASURES, facts.get)
    assert exact == Decimal("0.125") and shown(exact, MEASURES["kr_per_invanare"]).number == Decimal("0.13")
    facts = {key("netto"): Value.of(Decimal("0.045")), key("invanare"): Value.of(3)}  # never 0,01499…
    exact = compute(MEASURES["kr_per_invanare"], key("kr_per_invanare"), MEASURES, facts.get)
    assert exact == Decimal("0.015") and shown(exact, MEASURES["kr_per_invanare"]).number == Decimal("0.02")


def test_placements_per_10000_of_the_age_group_and_of_the_year():
    tertial = Period.tertial(2024, 1)
    facts = {
        key("placerade_barn", tertial, group="0-17 år"): Value.of(37),
        key("invanare", group="0-17 år"): Value.of(5_012),  # SCB's age group, for the year
        key("invanare"): Value.of(23_456),
    }
    m = MEASURES["placerade_per_10000"]
    exact = compute(m, key(m.key, tertial, group="0-17 år"), MEASURES, facts.get)
    assert exact == Decimal(37 * 10_000) / Decimal(5_012)
    assert shown(exact, m).number == Decimal("73.8")
    # a grupp the population is not stated for (an insats) is a rate of the whole population
    facts[key("placerade_barn", group="HVB")] = Value.of(12)
    assert compute(m, key(m.key, group="HVB"), MEASURES, facts.get) == Decimal(12 * 10_000) / Decimal(23_456)
    # a period over two years has no population
    two_years = Period(YEAR.start, Period.year(2025).end)
    assert input_keys(key(m.key, two_years), MEASURES["invanare"], "invanare") == []


def test_check_finds_a_stated_rate_that_the_population_does_not_give():
    tree = UnitTree()
    tree.add(Unit("SN", "Socialnämnden", None))
    base = [
        Fact(key("netto"), Value.of(12_345_678)),
        Fact(key("invanare"), Value.of(23_456)),
    ]
    right = [*base, Fact(key("kr_per_invanare"), Value.of(Decimal("526.33")))]
    rounded = [*base, Fact(key("kr_per_invanare"), Value.of(526))]  # the source printed whole kronor
    wrong = [*base, Fact(key("kr_per_invanare"), Value.of(Decimal("562.33")))]
    assert [f for f in run_checks(right, tree, MEASURES) if f.rule == "derived_mismatch"] == []
    assert [f for f in run_checks(rounded, tree, MEASURES) if f.rule == "derived_mismatch"] == []
    found = [f for f in run_checks(wrong, tree, MEASURES) if f.rule == "derived_mismatch"]
    assert len(found) == 1 and "anges till 562,33 men netto / invanare ger 526,33" in found[0].message


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"key": "2kr"}, "nyckeln ”2kr”"),
        ({"key": "dagar"}, "nyckeln ”dagar”"),
        ({"name": " "}, "behöver ett namn"),
        ({"unit": "kronor"}, "okänd måttenhet ”kronor”"),
        ({"formula": "netto / folk"}, "nämner okända mått: folk"),
        ({"formula": "netto /"}, "går inte att läsa"),
        ({"formula": "kr_per_invanare * 2"}, "räknar med måttet självt"),
        ({"formula": "__import__('os')"}, "får bara innehålla"),
        ({"additive_units": True}, "fält additiv_enheter: .*måttenheten är kr/invånare"),
        (
            {"unit": "antal", "additive_breakdown": True},
            "fält additiv_uppdelning: .*formeln ”netto / invanare” delar",
        ),
        ({"unit": "per 10 000", "formula": "", "additive_units": True}, "måttenheten är per 10 000"),
        ({"unit": "%", "formula": "", "additive_breakdown": True}, "måttenheten är %"),
    ],
)
def test_validate_refuses_with_a_swedish_message(changed, message):
    fields = {
        "key": "kr_per_invanare",
        "name": "Kostnad per invånare",
        "unit": "kr/invånare",
        "additive_time": False,
        "additive_units": False,
        "additive_breakdown": False,
        "higher_is_better": False,
        "formula": "netto / invanare",
    }
    fields.update(changed)
    with pytest.raises(ParseError, match=message):
        validate(Measure(**fields), MEASURES, lambda column: f"fält {column}")


# --- the store: audited on the chain ------------------------------------------------------------
def test_declared_measures_are_audited_on_the_chain_and_a_change_of_unit_is_refused(tmp_path):
    with open_database(tmp_path / "m.db") as store:
        m = measure("kr_per_invanare", "kr/invånare", "netto / invanare")
        assert declare(store, [m], source="mått") == 1
        assert declare(store, [m], source="mått") == 0  # as stored: nothing to do
        renamed = Measure(**{**_fields(m), "name": "Kostnad per invånare"})
        assert declare(store, [renamed], source="mått") == 1
        assert store.measures()["kr_per_invanare"].name == "Kostnad per invånare"
        before = store.audit_rows()
        with pytest.raises(
            StoreError, match="kolumn enhet: måttet kr_per_invanare finns redan med ”kr/invånare”"
        ):
            declare(store, [Measure(**{**_fields(m), "unit": "kr"})], source="mått")
        assert store.audit_rows() == before and store.measures()["kr_per_invanare"].unit == "kr/invånare"
        history = measure_history(store, "kr_per_invanare")
        assert [h["action"] for h in history] == ["insert", "update"]
        assert history[0]["old"] is None and json.loads(history[0]["new"])["formel"] == "netto / invanare"
        assert json.loads(history[1]["old"])["namn"] == "kr per invanare"
        assert all(r["scenario"] == AUDIT_SCENARIO and r["batch_id"] is None for r in before)
        report = store.verify_audit()
        assert report is not None and report.intact and report.rows == 2
    r = socdesk("check", "--db", tmp_path / "m.db")
    assert r.returncode == 0 and "2 ändringar, kedjan är hel" in r.stdout
    with logical_edit(
        sqlite3.connect(tmp_path / "m.db")
    ) as c:  # someone rewrites the definition behind socdesk
        c.execute("UPDATE audit_edit SET new_status = replace(new_status, 'invanare', 'folk') WHERE id = 1")
    c.close()
    r = socdesk("check", "--db", tmp_path / "m.db")
    assert r.returncode == 1 and "Ändring 1" in r.stdout and "BRUTEN" in r.stdout


def _fields(m: Measure) -> dict:
    return {f: getattr(m, f) for f in Measure.__dataclass_fields__}


# --- imports as a user runs them -----------------------------------------------------------------
@pytest.fixture
def folder(tmp_path):
    (tmp_path / "mått.csv").write_text(HEADER + KR_PER_INV, encoding="utf-8")
    (tmp_path / "nyckeltal.csv").write_text(
        LONG
        + "SN;Socialnämnden;;2024;netto;utfall;12345678;;;\n"
        + "SN;;;2024;invanare;utfall;23456;;;\n"
        + "SN;;;2024;kr_per_invanare;utfall;526,33;;;\n",
        encoding="utf-8",
    )
    return tmp_path


def test_a_file_with_a_measure_declared_beside_it_imports(folder):
    db = folder / "ny.db"
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "Provläsning, inget sparas" in r.stdout
    assert "Nya mått: kr_per_invanare (Nettokostnad per invånare, kr/invånare)." in r.stdout
    assert not db.exists()  # a dry run writes nothing, not even a new database
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "3 uppgifter" in r.stdout and "Nya mått: kr_per_invanare" in r.stdout
    with Store(db, readonly=True) as store:
        assert store.measures()["kr_per_invanare"].formula == "netto / invanare"
        v = store.value("SN", store.measures()["kr_per_invanare"], Scenario.ACTUAL, YEAR)
        assert v.number == Decimal("526.33")
        rows = [r for r in store.audit_rows() if r["scenario"] == AUDIT_SCENARIO]
        assert [(r["measure"], r["action"], r["source"]) for r in rows] == [
            ("kr_per_invanare", "insert", "import mått.csv")
        ]
        table = statistics_table(store, "SN")
        computed = {row.key: row.values for row in table.rows if row.computed}
        assert computed["kr_per_invanare_beraknad"] == [Value.of(Decimal("526.33"))]
    r = socdesk("check", "--db", db, "--json")
    assert r.returncode == 0 and json.loads(r.stdout) == []  # 526,33 is what the population gives
    before = sha(db)
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db, "--dry-run")  # now known: not new
    assert r.returncode == 0 and "lästes redan in" in r.stdout and "Nya mått" not in r.stdout
    assert sha(db) == before


def test_a_conflicting_declaration_is_refused_naming_file_row_and_column(folder):
    db = folder / "ny.db"
    assert socdesk("import", folder / "nyckeltal.csv", "--db", db).returncode == 0
    (folder / "mått.csv").write_text(
        HEADER
        + "netto;Netto;kr;ja;ja;ja;nej;\n"
        + KR_PER_INV.replace("kr/invånare;nej;nej", "kr/invånare;ja;nej"),
        encoding="utf-8",
    )
    (folder / "mer.csv").write_text(LONG + "SN;;;2025;netto;utfall;1;;;\n", encoding="utf-8")
    before = sha(db)
    r = socdesk("import", folder / "mer.csv", "--db", db)
    assert r.returncode == 1
    assert "mer.csv lästes inte in; databasen är oförändrad" in r.stderr
    assert (
        "mått.csv, rad 3, kolumn additiv_tid: måttet kr_per_invanare finns redan med nej, inte ja" in r.stderr
    )
    assert sha(db) == before


def test_a_rate_declared_additive_over_units_is_refused_and_a_count_per_day_is_not(folder):
    ok = measure("vardplatser", "årsplaceringar", "varddygn / dagar", additive_units=True)
    validate(ok, {"varddygn": measure("varddygn", "dygn")}, str)  # a division by the days adds up
    db = folder / "ny.db"
    assert socdesk("import", folder / "nyckeltal.csv", "--db", db).returncode == 0
    (folder / "mått.csv").write_text(
        HEADER + "x;X;antal;nej;ja;ja;nej;\nx_r;X per 10 000;antal;nej;ja;nej;nej;x / invanare * 10000\n",
        encoding="utf-8",
    )
    (folder / "mer.csv").write_text(LONG + "SN;;;2025;x;utfall;1;;;\n", encoding="utf-8")
    before = sha(db)
    r = socdesk("import", folder / "mer.csv", "--db", db)
    assert r.returncode == 1 and "databasen är oförändrad" in r.stderr
    assert (
        "mått.csv, rad 3, kolumn additiv_enheter: måttet x_r är en andel eller ett tal per något "
        "(formeln ”x / invanare * 10000” delar med ett mått)" in r.stderr
    )
    assert sha(db) == before


def test_declarations_are_read_by_the_text_reader_cp1252_and_the_escaped_texts(tmp_path):
    (tmp_path / "matt.csv").write_bytes(
        (HEADER + "andel_nojda;'=Nöjda brukare;%;nej;nej;nej;ja;\n").encode("cp1252")
    )
    (tmp_path / "enkät.csv").write_text(LONG + "SN;Socialnämnden;;2024;andel_nojda;utfall;87;;;\n")
    db = tmp_path / "e.db"
    r = socdesk("import", tmp_path / "enkät.csv", "--db", db)
    assert r.returncode == 0, r.stderr
    with Store(db, readonly=True) as store:
        m = store.measures()["andel_nojda"]
        assert m.name == "=Nöjda brukare" and m.unit == "%" and m.higher_is_better  # the ' undone
    (tmp_path / "matt.csv").write_text(HEADER + "x;X;kr;kanske;ja;ja;nej;\n", encoding="utf-8")
    (tmp_path / "enkät.csv").write_text(LONG + "SN;;;2025;x;utfall;1;;;\n")
    r = socdesk("import", tmp_path / "enkät.csv", "--db", db)
    assert (
        r.returncode == 1
        and "matt.csv, rad 2, kolumn additiv_tid: ”kanske” är inte ja eller nej." in r.stderr
    )


def test_a_workbook_with_a_sheet_matt_declares_its_measures(tmp_path):
    book = Workbook()
    data = book.active
    data.title = "Data"
    data.append(["enhet", "namn", "överordnad", "period", "mått", "scenario", "värde"])
    data.append(["SN", "Socialnämnden", "", "2024", "placerade_barn", "utfall", 37])
    data.append(["SN", "", "", "2024", "invanare", "utfall", 23456])
    data.append(["SN", "", "", "2024", "placerade_per_10000", "utfall", 15.8])
    sheet = book.create_sheet("Mått")
    for line in (HEADER + PLACEMENTS).splitlines():
        sheet.append(line.split(";"))
    book.save(tmp_path / "placeringar.xlsx")
    db = tmp_path / "p.db"
    r = socdesk("import", tmp_path / "placeringar.xlsx", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Nya mått: placerade_barn" in r.stdout and "placerade_per_10000" in r.stdout
    r = socdesk("check", "--db", db, "--json")
    assert json.loads(r.stdout) == []  # 37 × 10 000 / 23 456 = 15,77… stated as 15,8
    sheet["C2"] = "kr"  # placerade_barn in kronor: an empty database would take it, this one refuses
    book.save(tmp_path / "placeringar.xlsx")
    before = sha(db)
    r = socdesk("import", tmp_path / "placeringar.xlsx", "--db", db, "--replace")
    assert r.returncode == 1
    assert "placeringar.xlsx, blad Mått, rad 2, kolumn enhet: måttet placerade_barn finns redan" in r.stderr
    assert sha(db) == before


# --- population from SCB -----------------------------------------------------------------------
SCB_LONG = (
    '"Folkmängd efter region, ålder och år"\r\n\r\n'
    '"region","ålder","år","Folkmängd"\r\n'
    '"0180 Stockholm","totalt ålder","2024",23456\r\n'
    '"0180 Stockholm","0-17 år","2024",5012\r\n'
    "\r\n"
    '"Uppgifterna avser förhållandet den 31 december."\r\n'
)
SCB_WIDE = (
    '"Folkmängd efter region, kön och år"\r\n\r\n'
    '"region","kön","2023","2024"\r\n'
    '"0180 Stockholm","män",11500,11700\r\n'
    '"0180 Stockholm","kvinnor",11600,11756\r\n'
    '"0181 Södertälje","män",..,40000\r\n'
)


def test_scb_population_imports_and_gives_kr_per_invanare(folder):
    db = folder / "scb.db"
    (folder / "nyckeltal.csv").write_text(LONG + "SN;Socialnämnden;;2024;netto;utfall;12345678;;;\n")
    assert socdesk("import", folder / "nyckeltal.csv", "--db", db).returncode == 0
    (folder / "folkmängd.csv").write_bytes(SCB_LONG.encode("cp1252"))  # as Statistikdatabasen saves it
    r = socdesk("import", folder / "folkmängd.csv", "--db", db)
    assert r.returncode == 1 and "0180 (folkmängd.csv, rad 4, kolumn Folkmängd)" in r.stderr
    with Store(db) as store:
        importer.remember_units(store, {"0180": "SN"})  # as the wizard's Koppla till remembers it
    r = socdesk("import", folder / "folkmängd.csv", "--db", db)
    assert r.returncode == 0, r.stderr
    with Store(db, readonly=True) as store:
        facts = {f.key: f for f in store.facts(units=["SN"])}
        total = facts[FactKey("SN", "invanare", Scenario.ACTUAL, YEAR)]
        assert total.value.number == 23456 and total.source == "Källa: SCB"
        assert facts[FactKey("SN", "invanare", Scenario.ACTUAL, YEAR, group="0-17 år")].value.number == 5012
        table = statistics_table(store, "SN")
        computed = {row.key: row.values for row in table.rows if row.computed}
        assert computed["kr_per_invanare_beraknad"] == [Value.of(Decimal("526.33"))]


NACKA = (
    '"Folkmängd efter region, kön och år"\r\n'
    '"region","kön","2023","2024"\r\n'
    '"0182 Nacka","män",53412,53987\r\n'
    '"0182 Nacka","kvinnor",54508,55001\r\n'
    '"0181 Södertälje","män",..,52000\r\n'
    '"0181 Södertälje","kvinnor",51000,51500\r\n'
)


def test_scb_men_and_women_only_give_the_total_and_the_rate_is_checked(folder):
    db = folder / "nacka.db"
    (folder / "nyckeltal.csv").write_text(
        LONG
        + "SN;Socialnämnden;;2024;netto;utfall;12345678;;;\n"
        + "SN;;;2024;kr_per_invanare;utfall;526,33;;;\n",  # 12 345 678 / 108 988 is 113,2755…
        encoding="utf-8",
    )
    assert socdesk("import", folder / "nyckeltal.csv", "--db", db).returncode == 0
    with Store(db) as store:
        importer.remember_units(store, {"0182": "SN"})
    (folder / "folkmängd.csv").write_bytes(NACKA.encode("cp1252"))
    r = socdesk("import", folder / "folkmängd.csv", "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    assert (
        "Folkmängden totalt beräknades som kvinnor + män (3 uppgifter; tabellen anger bara kön)" in r.stdout
    )
    with Store(db, readonly=True) as store:
        facts = {f.key: f for f in store.facts()}
        total = facts[FactKey("SN", "invanare", Scenario.ACTUAL, YEAR)]
        assert total.value.number == 53987 + 55001
        assert facts[FactKey("SN", "invanare", Scenario.ACTUAL, Period.year(2023))].value.number == 107920
        assert facts[FactKey("SN", "invanare", Scenario.ACTUAL, YEAR, gender="K")].value.number == 55001
        assert FactKey("0181", "invanare", Scenario.ACTUAL, Period.year(2023)) not in facts  # män is ..
        assert facts[FactKey("0181", "invanare", Scenario.ACTUAL, YEAR)].value.number == 103500
        table = statistics_table(store, "SN")
        computed = {row.key: row.values for row in table.rows if row.computed}
        assert computed["kr_per_invanare_beraknad"][-1] == Value.of(Decimal("113.28"))
    r = socdesk("check", "--db", db, "--json")
    found = [f for f in json.loads(r.stdout) if f["rule"] == "derived_mismatch" and f["unit"] == "SN"]
    assert len(found) == 1, r.stdout
    assert "anges till 526,33 men netto / invanare ger 113,28" in found[0]["message"]


def test_scb_wide_form_with_kon_and_missing_figures(tmp_path):
    db = tmp_path / "w.db"
    (tmp_path / "län.csv").write_text(LONG + "AB;Stockholms län;;;;;;;;\n", encoding="utf-8")
    assert socdesk("import", tmp_path / "län.csv", "--db", db).returncode == 0
    (tmp_path / "folk.csv").write_text(SCB_WIDE, encoding="utf-8-sig")
    r = socdesk("import", tmp_path / "folk.csv", "--db", db, "--create-under", "AB")
    assert r.returncode == 0, r.stderr
    with Store(db, readonly=True) as store:
        got = {(f.key.unit, f.key.gender, f.key.period.start.year): f.value for f in store.facts()}
    assert got[("0180", "M", 2024)].number == 11700 and got[("0180", "K", 2023)].number == 11600
    assert not got[("0181", "M", 2023)].is_number and got[("0181", "M", 2024)].number == 40000
    (tmp_path / "folk.csv").write_text(SCB_WIDE.replace('"män",..', '"okänt",1'), encoding="utf-8")
    r = socdesk("import", tmp_path / "folk.csv", "--db", db, "--dry-run", "--create-under", "AB")
    assert (
        r.returncode == 1
        and "folk.csv, rad 6, kolumn kön: ”okänt” är inte män, kvinnor eller totalt." in r.stderr
    )


def test_kolada_population_is_a_population(tmp_path):
    (tmp_path / "kolada.csv").write_text(
        "kpi;municipality;period;gender;value;status\nN01951;0180;2024;T;984748;\n", encoding="utf-8"
    )
    db = tmp_path / "k.db"
    assert socdesk("import", tmp_path / "kolada.csv", "--db", db).returncode == 0
    with Store(db, readonly=True) as store:
        m = store.measures()["kolada_N01951"]
        assert m.is_population and m.is_exact_count
        rows = [r for r in store.audit_rows() if r["scenario"] == AUDIT_SCENARIO]
        assert [(r["measure"], r["source"]) for r in rows] == [("kolada_N01951", "import kolada.csv")]


def test_a_broken_declarations_file_is_refused_by_the_text_reader(folder):
    db = folder / "ny.db"
    assert socdesk("import", folder / "nyckeltal.csv", "--db", db).returncode == 0
    before = sha(db)
    (folder / "mått.csv").write_bytes(
        (HEADER + "a;Å;antal;ja;ja;ja;nej;\n").encode() + "b;Ö;antal;ja;ja;ja;nej;\n".encode("cp1252")
    )
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db, "--replace")
    assert r.returncode == 1 and "mått.csv: filen blandar teckenkodningar" in r.stderr
    (folder / "mått.csv").write_bytes(HEADER.encode() + b"x" * 200_000 + b"\n")
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db, "--replace")
    assert r.returncode == 1 and "mått.csv, rad 2: raden är längre än" in r.stderr
    (folder / "matt.csv").write_text(HEADER, encoding="utf-8")
    r = socdesk("import", folder / "nyckeltal.csv", "--db", db, "--replace")
    assert r.returncode == 1 and "mått.csv och matt.csv finns båda bredvid nyckeltal.csv" in r.stderr
    assert sha(db) == before


@given(
    net=st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1),
    population=st.integers(min_value=1, max_value=10**7),
    ore=st.sampled_from([1, 10, 100]),
)
def test_a_rate_is_the_exact_quotient_rounded_half_up(net, population, ore):
    """Against a rational oracle: Fraction(net, population), halves away from zero."""
    facts = {key("netto"): Value.of(Decimal(net) / ore), key("invanare"): Value.of(population)}
    m = MEASURES["kr_per_invanare"]
    got = shown(compute(m, key(m.key), MEASURES, facts.get), m).number
    exact = Fraction(net, ore * population) * 100
    whole, rest = divmod(abs(exact), 1)
    cents = whole + (1 if rest >= Fraction(1, 2) else 0)
    assert got == Decimal(int(cents) * (1 if exact >= 0 else -1)) / 100


def test_an_undeclared_measure_is_refused_with_where_to_declare_it(tmp_path):
    (tmp_path / "data.csv").write_text(LONG + "SN;Socialnämnden;;2024;index_nojdhet;utfall;71;;;\n")
    r = socdesk("import", tmp_path / "data.csv", "--db", tmp_path / "d.db")
    assert r.returncode == 1
    assert "data.csv, rad 2, kolumn mått: okänt mått ”index_nojdhet” (deklarera det i en mått.csv" in r.stderr


def test_a_formula_nested_thousands_deep_is_refused_as_unreadable_not_a_crash():
    from socdesk.core.errors import ParseError
    from socdesk.core.formula import Formula

    for text in ("1+" * 200_000 + "1", "-" * 5_000 + "netto", "(" * 300 + "1" + ")" * 300):
        with pytest.raises(ParseError, match="går inte att läsa"):
            Formula(text)
    assert Formula("netto / invanare").inputs == {"netto", "invanare"}
