import hashlib

import pytest

from socdesk.core.facts import Scenario
from socdesk.core.periods import parse_period
from socdesk.io.longcsv import ImportFileError, export_long_csv, import_long_csv
from socdesk.io.seeds import open_database

HEADER = "enhet;namn;överordnad;period;mått;scenario;värde;skala\n"


def write(tmp_path, text, name="in.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_imports_swedish_numbers_and_separators(tmp_path):
    store = open_database(tmp_path / "db.db")
    text = (
        "\ufeffEnhet;Namn;Överordnad;Period;Mått;Scenario;Värde;Skala\n"
        "SN;Socialnämnd;;2024-01/2024-05;netto;utfall;141 388;tkr\n"
        "771;Äldreomsorg;SN;2024-01/2024-05;netto;utfall;58\u00a0611;tkr\n"
        "771;;;2024;netto;budget;134 114;tkr\n"
    )
    r = import_long_csv(store, write(tmp_path, text))
    assert (r.rows, r.new_units, r.changed) == (3, 2, 3)
    netto = store.measures()["netto"]
    assert store.value("771", netto, Scenario.ACTUAL, parse_period("2024-01/2024-05")).number == 58_611_000
    tab = "enhet\tnamn\tperiod\tmått\tscenario\tvärde\nX\tX-enhet\t2024-05\tnetto\tbudget\t−2 006\n"
    import_long_csv(store, write(tmp_path, tab, "tab.csv"))
    assert store.value("X", netto, Scenario.BUDGET, parse_period("2024-05")).number == -2006


def test_windows_1252_and_costs_negative(tmp_path):
    store = open_database(tmp_path / "db.db")
    text = (
        HEADER
        + "N;Nämnd;;2023-T1;netto;utfall;-332,6;mnkr\n"
        + "N;;;2023-T1;netto;avvikelse;5,4;mnkr\n"
        + "N;;;2023-T1;intakter;utfall;20,3;mnkr\n"
    )
    import_long_csv(store, write(tmp_path, text, encoding="cp1252"), costs_negative=True)
    facts = {(f.key.measure, f.key.scenario): f.value.number for f in store.facts()}
    assert facts[("netto", Scenario.ACTUAL)] == 332_600_000  # cost made positive
    assert facts[("intakter", Scenario.ACTUAL)] == -20_300_000  # revenue made negative
    assert facts[("netto", Scenario.VARIANCE)] == 5_400_000  # + favourable is kept as stated


@pytest.mark.parametrize(
    ("text", "encoding", "message"),
    [
        (HEADER + "A;A;;2024-05;netto;utfall;1,2,3;tkr\n", "utf-8", "in.csv, rad 2, kolumn värde"),
        (HEADER + "A;A;;2024-13;netto;utfall;1;tkr\n", "utf-8", "in.csv, rad 2, kolumn period"),
        (
            HEADER + "A;A;;2024-05;netto;utfall;1;tkr\n;B;;2024-05;netto;utfall;1;tkr\n",
            "utf-8",
            "in.csv, rad 3, kolumn enhet",
        ),
        (
            "namn;period;mått;scenario;värde\nA;2024-05;netto;utfall;1\n",
            "utf-8",
            "kolumnen enhet saknas",
        ),
        (HEADER + "A;A;;2024-05;netto;utfall;1;tkr\n", "utf-16", "UTF-16"),
        (
            HEADER + "A;A;;2024-05;netto;utfall;abc;tkr\n",
            "utf-8",
            "kolumn värde: ”abc” är inget tal",
        ),
        (HEADER + "A;A;;2024-05;okänt;utfall;1;tkr\n", "utf-8", "kolumn mått: okänt mått"),
        (
            HEADER + "A;A;;2024-05;netto;utfall;1;tkr\nA;;;2024-05;netto;utfall;2;tkr\n",
            "utf-8",
            "rad 3, kolumn värde: samma uppgift som rad 2",
        ),
        (HEADER + "A;;;2024-05;netto;utfall;1;tkr\n", "utf-8", "rad 2, kolumn namn"),
        (HEADER + "A;A;ZZ;2024-05;netto;utfall;1;tkr\n", "utf-8", "rad 2, kolumn överordnad"),
        (HEADER + "A;A;;2024-05;unika_personer;utfall;1;tkr\n", "utf-8", "kolumn skala"),
    ],
)
def test_bad_files_are_refused_naming_file_row_and_column_and_change_nothing(
    tmp_path, demo_db, text, encoding, message
):
    path = write(tmp_path, text, encoding=encoding)
    store = open_database(demo_db)
    store.close()
    before = sha(demo_db)
    store = open_database(demo_db)
    with pytest.raises(ImportFileError) as err:
        import_long_csv(store, path)
    store.close()
    assert message in str(err.value)
    assert sha(demo_db) == before


def test_invalid_bytes_in_both_encodings_are_named(tmp_path):
    store = open_database(tmp_path / "db.db")
    path = tmp_path / "bad.csv"
    path.write_bytes(HEADER.encode() + b"A;A\x81;;2024-05;netto;utfall;1;tkr\n")
    with pytest.raises(ImportFileError, match=r"bad.csv, rad 2: byte 0x81"):
        import_long_csv(store, path)


def test_consistent_duplicates_keep_the_more_precise_figure(tmp_path):
    store = open_database(tmp_path / "db.db")
    text = HEADER + "A;A;;2023-Q1;arsplaceringar;utfall;20;\nA;;;2023-Q1;arsplaceringar;utfall;20,3;\n"
    import_long_csv(store, write(tmp_path, text))
    [fact] = store.facts()
    assert str(fact.value.number) == "20.3"


def test_export_import_export_is_identical(tmp_path, demo_db):
    store = open_database(demo_db)
    first = export_long_csv(store)
    store.close()
    out = write(tmp_path, first, "export.csv")
    fresh = open_database(tmp_path / "empty.db")
    import_long_csv(fresh, out)
    assert export_long_csv(fresh) == first
    original = {(f.key, f.value) for f in open_database(demo_db).facts()}
    assert {(f.key, f.value) for f in fresh.facts()} == original  # numbers and resolutions
