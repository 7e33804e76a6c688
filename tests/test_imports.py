"""Imports beyond long CSV: ledger and wide tables in CSV and XLSX, SIE 4 (CP437, #RAR years,
#PSALDO/#PBUDGET per object, #VER/#TRANS), Kolada; mapping unknown units, re-imports, overlaps,
undo of a batch; XLSX export safe from formulas; the long CSV ↔ XLSX round trip."""

import hashlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from socdesk.core.errors import SocdeskError
from socdesk.core.facts import Scenario
from socdesk.core.periods import Period
from socdesk.io import importer
from socdesk.io.longcsv import export_long_csv
from socdesk.io.seeds import open_database
from socdesk.io.sheets import read_sheets
from socdesk.io.sie import parse_sie
from socdesk.io.tables import Layout, Profile, Role, TableError, detect
from socdesk.io.xlsx import Column, export_long_xlsx, write_table

MAY, JUNE = Period.month(2024, 5), Period.month(2024, 6)


@pytest.fixture
def store(demo_db):
    s = open_database(demo_db)
    yield s
    s.close()


def value(store, unit, measure, period, scenario=Scenario.ACTUAL):
    v = store.value(unit, store.measures()[measure], scenario, period)
    return v.number if v.is_number else None


def run(store, path, chosen=None, **kw):
    return importer.import_path(store, path, chosen, **kw)


# --- ledger transactions ---------------------------------------------------------------------
def test_ledger_csv_is_summed_per_unit_and_month_with_konto_rules(store, tmp_path):
    f = tmp_path / "huvudbok.csv"
    f.write_text(
        "Ansvar;Konto;Bokföringsdatum;Belopp\n"
        "7762;4010;2024-06-03;1\u00a0000,50\n"
        "7762;4010;2024-06-28;-200\n"
        "7762;3010;202406;-150,25\n"
        "7764;5410;jun 2024;300\n"
        "7764;1930;2024-06-30;99999\n",  # a bank account: left out
        encoding="cp1252",
    )
    r = run(store, f)
    assert r.summary.left_out == 1 and r.summary.rows == 5
    assert value(store, "7762", "kostnader", JUNE) == Decimal("800.50")
    assert value(store, "7762", "intakter", JUNE) == Decimal("-150.25")
    assert value(store, "7762", "netto", JUNE) == Decimal("650.25")
    assert value(store, "7764", "netto", JUNE) == 300
    assert store.batches()[-1]["file_name"] == "huvudbok.csv"


def test_bad_ledger_rows_name_file_row_and_column_and_change_nothing(store, tmp_path):
    f = tmp_path / "fel.csv"
    f.write_text(
        "Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;12,3,4\n7762;4010;2024-13;5\n;4010;2024-06;5\n7762;abc;2024-06;5\n",
        encoding="utf-8",
    )
    before = store.facts_count()
    with pytest.raises(TableError) as err:
        run(store, f)
    text = str(err.value)
    assert "fel.csv, rad 2, kolumn Belopp: ”12,3,4” har flera decimalkomman" in text
    assert "fel.csv, rad 3, kolumn Period: ”2024-13”" in text
    assert "fel.csv, rad 4, kolumn Ansvar: enhetskod saknas" in text
    assert store.facts_count() == before and len(store.batches()) == 5


# --- wide sheets, several in one workbook ------------------------------------------------------
def workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def test_wide_workbook_with_a_sheet_per_scenario(store, tmp_path):
    f = workbook(
        tmp_path / "bred.xlsx",
        {
            "Utfall": [
                ["Ansvar", "Benämning", "jan 2024", "feb 2024", "mar 2024"],
                ["7762", "Hemtjänst", 3400.5, 3500, None],
                ["7764", "Larm", 50, "60", 70],
            ],
            "Budget": [["Ansvar", "2024-01", "2024-02"], [7762, 3300, 3300]],
        },
    )
    sheets = read_sheets(f.read_bytes(), f.name)
    assert [detect(s).layout for s in sheets] == [Layout.WIDE, Layout.WIDE]
    assert detect(sheets[1]).scenario is Scenario.BUDGET
    chosen = None
    r = run(store, f, chosen)
    assert r.summary.figures == 7
    assert value(store, "7762", "netto", Period.month(2024, 1)) == Decimal("3400.5")
    assert value(store, "7764", "netto", Period.month(2024, 2)) == 60
    assert value(store, "7762", "netto", Period.month(2024, 2), Scenario.BUDGET) == 3300


def test_a_saved_profile_reads_months_without_a_year_in_tkr(store, tmp_path):
    f = tmp_path / "excel.csv"
    f.write_text("Verksamhet;Jan;Feb\n7762;3 400,5;3 500\n", encoding="utf-8")
    p = Profile(
        name="Excel tkr",
        layout=Layout.WIDE,
        columns={"Verksamhet": Role.UNIT},
        scale=__import__("socdesk.core.numbers", fromlist=["Scale"]).Scale.TKR,
        year=2024,
    )
    importer.save_profile(store, p)
    again = importer.profile(store, "Excel tkr")
    assert again == p
    run(store, f, again)
    assert value(store, "7762", "netto", Period.month(2024, 1)) == 3_400_500
    with pytest.raises(SocdeskError, match="finns inte"):
        importer.profile(store, "Okänd")


def test_formulas_empty_and_broken_workbooks_are_refused_by_name(store, tmp_path):
    f = workbook(tmp_path / "formel.xlsx", {"Data": [["Ansvar", "jan 2024"], ["7762", "=SUM(B3:B4)"]]})
    with pytest.raises(
        TableError, match=r"formel.xlsx, blad Data, rad 2, kolumn jan 2024 \(B\): cellen innehåller en formel"
    ):
        run(store, f)
    empty = workbook(tmp_path / "tom.xlsx", {"Blad1": []})
    with pytest.raises(TableError, match="inga blad med innehåll"):
        run(store, empty)
    broken = tmp_path / "trasig.xlsx"
    broken.write_bytes(f.read_bytes()[:300])
    with pytest.raises(TableError, match=r"trasig\.xlsx: filen är ingen läsbar Excel-arbetsbok"):
        run(store, broken)
    assert len(store.batches()) == 5


# --- SIE 4 ------------------------------------------------------------------------------------
SIE = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#PROGRAM "Testprogram" 1.0
#FNAMN "Socialnämnden Testköping"
#RAR 0 20240101 20241231
#RAR -1 20230101 20231231
#DIM 1 "Kostnadsställe"
#OBJEKT 1 "7762" "Hemtjänst"
#OBJEKT 1 "7764" "Trygghetslarm hemtjänst"
#OBJEKT 1 "9901" "Nytt boende Åsen"
#KONTO 3010 "Avgifter hemtjänst"
#KONTO 4010 "Löner"
#KONTO 5010 "Lokalhyra"
#KONTO 1930 "Bank"
#PSALDO 0 202405 4010 {} 600000.00
#PSALDO 0 202405 4010 {1 "7762"} 500000.00
#PSALDO 0 202405 4010 {1 "7764"} 100000.00
#PSALDO 0 202405 3010 {1 "7762"} -80000.50
#PSALDO 0 202406 5010 {1 "7762"} 25000
#PSALDO -1 202311 4010 {1 "7762"} 1234.75
#PSALDO 0 202405 1930 {} 12345.00
#PBUDGET 0 202405 4010 {1 "7762"} 450000
#VER A 1 20240510 "Lön maj"
{
#TRANS 4010 {1 "7762"} 1000.00
#TRANS 1930 {} -1000.00
}
"""


def sie_file(tmp_path, text=SIE, name="bok.se", encoding="cp437"):
    f = tmp_path / name
    f.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return f


def test_sie_period_balances_and_budget_per_cost_centre(store, tmp_path):
    r = run(store, sie_file(tmp_path))
    assert value(store, "7762", "kostnader", MAY) == 500_000  # the #VER is not counted twice
    assert value(store, "7762", "intakter", MAY) == Decimal("-80000.50")
    assert value(store, "7762", "netto", MAY) == Decimal("419999.50")
    assert value(store, "7764", "netto", MAY) == 100_000
    assert value(store, "7762", "netto", JUNE) == 25_000
    assert value(store, "7762", "netto", MAY, Scenario.BUDGET) == 450_000
    assert value(store, "7762", "netto", Period.month(2023, 11)) == Decimal("1234.75")  # #RAR -1: last year
    assert r.summary.left_out == 0  # the bank rows have no cost centre: not amounts of a unit


def test_sie_vouchers_when_there_are_no_balances_per_object(store, tmp_path):
    text = """#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#RAR 0 20240101 20241231
#DIM 1 "Kostnadsställe"
#VER A 1 20240510 "Lön"
{
#TRANS 4010 {1 "7762"} 1000.00
#TRANS 4010 {1 "7762"} 500.25
#TRANS 3010 {1 "7762"} -100
#TRANS 1930 {} -1400.25
}
#VER A 2 20240602 "Hyra"
{
#TRANS 5010 {1 "7764"} 750
#TRANS 2440 {} -750
}
"""
    r = run(store, sie_file(tmp_path, text, "ver.si"))
    assert value(store, "7762", "kostnader", MAY) == Decimal("1500.25")
    assert value(store, "7762", "netto", MAY) == Decimal("1400.25")
    assert value(store, "7764", "netto", JUNE) == 750
    assert r.summary.left_out == 2


def test_sie_errors_name_the_record_and_change_nothing(store, tmp_path):
    before = len(store.batches())
    bad = SIE.replace('#PSALDO 0 202406 5010 {1 "7762"} 25000', '#PSALDO 0 202406 5010 {1 "7762"} 25,000')
    with pytest.raises(TableError) as err:
        run(store, sie_file(tmp_path, bad))
    assert (
        "bok.se, rad 20 (#PSALDO): beloppet ”25,000” är inget SIE-tal: SIE skriver belopp med punkt"
        in str(err.value)
    )
    # a period in no year of #RAR is refused; one in another year than its index says is read by its date
    outside = SIE.replace("#PSALDO -1 202311", "#PSALDO -1 202511")
    with pytest.raises(TableError) as err:
        run(store, sie_file(tmp_path, outside))
    assert (
        "bok.se, rad 21 (#PSALDO): perioden 202511 ligger inte i något av filens räkenskapsår (#RAR), och "
        "årsnummer -1 (20230101–20231231) stämmer inte." in str(err.value)
    )
    assert len(store.batches()) == before


def test_sie_in_utf8_is_read_with_a_note_naming_the_encoding(store, tmp_path):
    """Programs write UTF-8 despite #FORMAT PC8 (issue 14): read, and said; with a BOM too."""
    r = run(store, sie_file(tmp_path, SIE, "utf8.se", "utf-8"))
    assert value(store, "7762", "netto", MAY) == Decimal("419999.50")
    assert any("utf8.se: filen är sparad som UTF-8, inte i teckentabell 437" in n for n in r.summary.notes)
    bom = tmp_path / "bom.se"
    bom.write_bytes(b"\xef\xbb\xbf" + SIE.encode("utf-8"))
    source = importer.read_source(bom.read_bytes(), bom.name, store)
    assert any("som UTF-8 med BOM" in n for n in source.notes)


def test_sie_amount_with_a_space_is_refused_not_read_as_1_kr(tmp_path):
    def socdesk(*args):
        return subprocess.run(
            [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
        )

    db = tmp_path / "s.db"
    (tmp_path / "sn.csv").write_text(
        "enhet;namn;period;mått;scenario;värde\nSN;Socialnämnden;2024;netto;utfall;1\n"
    )
    assert socdesk("import", tmp_path / "sn.csv", "--db", db).returncode == 0
    head = SIE.split("#PSALDO")[0]
    bad = sie_file(tmp_path, head + '#PSALDO 0 202406 4010 {1 "7762"} 1 234,50\n', "bok.se")
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    r = socdesk("import", bad, "--db", db, "--create-under", "SN")
    assert r.returncode == 1 and "bok.se lästes inte in; databasen är oförändrad" in r.stderr
    assert (
        "bok.se, rad 16 (#PSALDO): kvantiteten ”234,50” är inget SIE-tal: SIE skriver belopp med punkt "
        "och utan mellanslag (1234.50, inte 1 234,50)." in r.stderr
    )
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    good = sie_file(tmp_path, head + '#PSALDO 0 202406 4010 {1 "7762"} 1234.50 3\n', "rätt.se")
    r = socdesk("import", good, "--db", db, "--create-under", "SN")
    assert r.returncode == 0, r.stderr
    with open_database(db) as s:
        assert value(s, "7762", "kostnader", JUNE) == Decimal("1234.50")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (
            '#PSALDO 0 202405 4010 {1 "7762"} 1 234,50',
            "rad 16 (#PSALDO): kvantiteten ”234,50” är inget SIE-tal: SIE skriver",
        ),
        (
            '#PBUDGET 0 202405 4010 {1 "7762"} 1 234,50',
            "rad 16 (#PBUDGET): kvantiteten ”234,50” är inget SIE-tal: SIE",
        ),
        (
            '#PSALDO 0 202405 4010 {1 "7762"} 1234,50',
            "rad 16 (#PSALDO): beloppet ”1234,50” är inget SIE-tal: SIE skriver",
        ),
        (
            '#PSALDO 0 202405 4010 {1 "7762"} 1 234 567.00',
            "rad 16 (#PSALDO): fälten efter beloppet, ”234 567.00”",
        ),
        (
            '#PSALDO 0 202405 4010 {1 "7762"} 100.00 tre',
            "rad 16 (#PSALDO): kvantiteten ”tre” är inget SIE-tal",
        ),
        (
            "#IB 0 1930 12 345,00",
            "rad 16 (#IB): kvantiteten ”345,00” är inget SIE-tal: SIE skriver belopp med punkt",
        ),
        ("#UB 0 1930 12345,00", "rad 16 (#UB): beloppet ”12345,00” är inget SIE-tal: SIE skriver"),
        ("#RES 0 4010 -1 000", "rad 16 (#RES): kvantiteten ”000” är inget SIE-tal"),
        ('#OUB 0 1930 {1 "7762"} 1,5', "rad 16 (#OUB): beloppet ”1,5” är inget SIE-tal: SIE skriver"),
        (
            '#VER A 1 20240510 ""\n{\n#TRANS 4010 {1 "7762"} 1 234,50\n}',
            "rad 18 (#TRANS): transaktionsdatumet ”234,50”",
        ),
        (
            '#VER A 1 20240510 ""\n{\n#TRANS 4010 {} 1.00 20240510 "" 2,5\n}',
            "rad 18 (#TRANS): kvantiteten ”2,5” är inget",
        ),
        (
            '#VER A 1 20240510 ""\n{\n#TRANS 4010 {} 1.00 2024-05-10\n}',
            "rad 18 (#TRANS): transaktionsdatumet ”2024-05-10”",
        ),
    ],
)
def test_sie_every_number_field_is_an_sie_number(tmp_path, record, message):
    head = SIE.split("#PSALDO")[0]
    with pytest.raises(TableError) as err:
        parse_sie((head + record + "\n").encode("cp437"), "bok.se")
    assert f"bok.se, {message}" in str(err.value)
    # the optional fields as the standard writes them are read
    ok = (
        '#PSALDO 0 202405 4010 {1 "7762"} 100.00 3\n#PBUDGET 0 202405 4010 {1 "7762"} 90 -2.5\n'
        "#IB 0 1930 12345.00 1\n#OUB 0 1930 {} 1.5\n"
        '#VER A 1 20240510 ""\n{\n#TRANS 4010 {} 1.00 "" "" "" ""\n#TRANS 4010 {} 1.00 20240510 "Lön" 2.5 "Anna"\n}\n'
    )
    assert len(parse_sie((head + ok).encode("cp437"), "ok.se").records) == 4


def test_sie_unknown_cost_centre_is_mapped_or_created(store, tmp_path):
    text = SIE + '#PSALDO 0 202405 4010 {1 "9901"} 7000\n'
    f = sie_file(tmp_path, text)
    source = importer.read_source(f.read_bytes(), f.name, store)
    unknown = importer.unknown_units(source, store.unit_tree(), {})
    assert list(unknown) == ["9901"] and unknown["9901"][0] == "Nytt boende Åsen"
    with pytest.raises(TableError, match="9901"):
        importer.plan(store, source)
    p = importer.plan(store, source, create={"9901": "771"})
    importer.execute(store, p)
    assert store.unit_tree()["9901"].parent == "771" and store.unit_tree()["9901"].name == "Nytt boende Åsen"
    assert value(store, "9901", "netto", MAY) == 7000


# --- Kolada -------------------------------------------------------------------------------------
def test_kolada_json_and_csv_become_benchmarks_per_kommun(store, tmp_path):
    doc = {
        "count": 2,
        "values": [
            {
                "kpi": "N00945",
                "municipality": "0180",
                "period": 2023,
                "values": [
                    {"gender": "T", "value": 12.5, "status": "", "count": 1},
                    {"gender": "K", "value": 13.1, "status": "", "count": 1},
                    {"gender": "M", "value": 11.9, "status": "", "count": 1},
                ],
            },
            {
                "kpi": "N00945",
                "municipality": "1480",
                "period": 2023,
                "values": [{"gender": "T", "value": None, "status": "Missing"}],
            },
        ],
    }
    f = tmp_path / "kolada.json"
    f.write_text(json.dumps(doc), encoding="utf-8")
    run(store, f)
    tree = store.unit_tree()
    assert tree["K0180"].parent == "KOLADA" and "Kolada" in tree["KOLADA"].name
    facts = {(x.key.unit, x.key.gender): x for x in store.facts(measure="kolada_N00945")}
    assert facts[("K0180", "")].value.number == Decimal("12.5") and facts[
        ("K0180", "K")
    ].value.number == Decimal("13.1")
    assert facts[("K0180", "")].source == "Källa: Kolada"
    assert not facts[("K1480", "")].value.is_number
    c = tmp_path / "kolada.csv"
    c.write_text("kpi;municipality;period;gender;value;status\nN00945;0180;2024;T;13,0;\n", encoding="utf-8")
    run(store, c)
    assert (
        store.value("K0180", store.measures()["kolada_N00945"], Scenario.ACTUAL, Period.year(2024)).number
        == 13
    )


# --- re-imports, overlaps, undo ---------------------------------------------------------------
def test_the_same_file_twice_says_so_and_replace_never_doubles(store, tmp_path):
    f = tmp_path / "juni.csv"
    f.write_text(
        "Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;100\n7762;4010;2024-06;50\n", encoding="utf-8"
    )
    first = run(store, f)
    with pytest.raises(importer.AlreadyImportedError, match="lästes redan in"):
        run(store, f)
    again = run(store, f, replace=True)
    assert value(store, "7762", "netto", JUNE) == 150  # not 300
    assert store.batches()[-2]["id"] == first.batch_id and store.batches()[-2]["undone_at"]
    other = tmp_path / "juni-rättad.csv"
    other.write_text("Ansvar;Konto;Period;Belopp\n7762;4010;2024-06;175\n", encoding="utf-8")
    with pytest.raises(importer.OverlapError, match="ersätta 2 uppgifter"):
        run(store, other)
    run(store, other, replace=True)
    assert value(store, "7762", "netto", JUNE) == 175
    del again


def test_undo_a_batch_puts_back_what_it_replaced_and_refuses_after_later_changes(store, tmp_path):
    may_before = value(store, "7762", "netto", Period.year_to_date(2024, 5))
    f = tmp_path / "rättelse.csv"
    f.write_text(
        "enhet;period;mått;scenario;värde;skala\n7762;2024-01/2024-05;netto;utfall;17 000;tkr\n7764;2024-06;netto;utfall;5;tkr\n",
        encoding="utf-8",
    )
    r = run(store, f, replace=True)
    assert value(store, "7762", "netto", Period.year_to_date(2024, 5)) == 17_000_000
    assert store.undo_batch(r.batch_id) == 2
    assert value(store, "7762", "netto", Period.year_to_date(2024, 5)) == may_before
    assert value(store, "7764", "netto", JUNE) is None
    with pytest.raises(SocdeskError, match="redan ångrad"):
        store.undo_batch(r.batch_id)
    r2 = run(store, f, replace=True)
    from socdesk.core.facts import Fact, FactKey
    from socdesk.core.values import Value

    store.write_facts([Fact(FactKey("7764", "netto", Scenario.ACTUAL, JUNE), Value.of(9))], source="form")
    with pytest.raises(SocdeskError, match="ändrats efteråt"):
        store.undo_batch(r2.batch_id)


# --- export ----------------------------------------------------------------------------------------
def test_long_csv_to_xlsx_and_back_gives_identical_facts(store, tmp_path):
    export_long_xlsx(store, tmp_path / "alla.xlsx")
    fresh = open_database(tmp_path / "ny.db")
    run(fresh, tmp_path / "alla.xlsx")
    assert export_long_csv(fresh) == export_long_csv(store)
    assert set(fresh.facts()) == set(store.facts()) and len(fresh.facts()) == len(store.facts())
    fresh.close()


def test_xlsx_tables_have_numbers_as_numbers_and_never_formulas(tmp_path):
    path = tmp_path / "tabell.xlsx"
    columns = [Column("Enhet"), Column("Utfall", "money"), Column("Avvikelse %", "pct")]
    rows = [
        ['=HYPERLINK("http://x")', Decimal(-2006), Decimal("-13.2")],
        ["+46 70", Decimal(17175), None],
        ["@SUM", 1, Decimal("0.5")],
    ]
    write_table(path, [("771 Äldreomsorg", "771 Äldreomsorg – jan–maj 2024 – tkr", columns, rows)])
    ws = load_workbook(path).active
    assert ws["A1"].value == "771 Äldreomsorg – jan–maj 2024 – tkr"
    assert [ws.cell(3, c).value for c in (1, 2, 3)] == ["Enhet", "Utfall", "Avvikelse %"]
    assert ws["A4"].value == '=HYPERLINK("http://x")' and ws["A4"].data_type == "s"
    assert all(ws.cell(r, 1).data_type == "s" for r in (4, 5, 6))
    assert ws["B4"].value == -2006 and ws["B4"].number_format == "#,##0;-#,##0"
    assert ws.freeze_panes == "B4" and ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x")')
    # and the file's XML has no formula element at all
    import zipfile

    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_export_of_a_subtree_and_period_from_the_command_line(demo_db, tmp_path):
    from socdesk import cli

    out = tmp_path / "771.csv"
    assert (
        cli.main(["export", "--db", str(demo_db), "-o", str(out), "--unit", "771", "--period", "2024"]) == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    units = {line.split(";")[0] for line in lines[1:]}
    assert "771" in units and "7762" in units and "SN" not in units and "754" not in units
    periods = {line.split(";")[3] for line in lines[1:] if line.split(";")[3]}
    assert periods and all(p.startswith("2024") for p in periods)
    assert cli.main(["export", "--db", str(demo_db), "-o", str(tmp_path / "771.xlsx"), "--unit", "771"]) == 0
    assert load_workbook(tmp_path / "771.xlsx").active["A1"].value == "enhet"
    Path(out).unlink()


def test_a_wide_sheet_by_konto_gives_netto_too(store, tmp_path):
    f = tmp_path / "konton.csv"
    f.write_text(
        "Ansvar;Konto;2024-06;2024-07\n7762;4010;1 000;1 100\n7762;3010;-200;-250\n7762;1930;5;5\n",
        encoding="utf-8",
    )
    run(store, f)
    assert value(store, "7762", "kostnader", JUNE) == 1000 and value(store, "7762", "intakter", JUNE) == -200
    assert value(store, "7762", "netto", JUNE) == 800
    assert value(store, "7762", "netto", Period.month(2024, 7)) == 850
