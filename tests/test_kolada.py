"""Kolada complete: pages of a paginated response (one import), municipality groups (unweighted
means, with their count), statuses kept and shown, organisational units, kommun names offline.
The response files are in tests/data/kolada/ (see its README)."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from socdesk.core.periods import Period
from socdesk.core.values import Status
from socdesk.io import kolada
from socdesk.io.seeds import open_database
from socdesk.reports.statistics import statistics_table
from socdesk.resources import resource

DATA = Path(__file__).parent / "data" / "kolada"
PAGE1, PAGE2 = DATA / "N00945_2023_sida1.json", DATA / "N00945_2023_sida2.json"
YEAR = Period.year(2023)


def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def figures(db: Path, kpi: str) -> dict[tuple[str, str], object]:
    with open_database(db) as store:
        return {(f.key.unit, f.key.gender): f for f in store.facts(measure=kolada.measure_key(kpi))}


# --- the kommun list ------------------------------------------------------------------------------
def test_the_kommun_list_has_290_kommuner_and_21_regioner_with_scb_codes():
    with resource("kommuner.csv").open(encoding="utf-8") as f:
        rows = list(csv.reader((line for line in f if not line.startswith("#")), delimiter=";"))
    assert rows[0] == ["kod", "namn", "typ", "län"]
    kommuner = {r[0]: r[1] for r in rows[1:] if r[2] == "kommun"}
    regioner = {r[0]: r[1] for r in rows[1:] if r[2] == "region"}
    assert len(rows) - 1 == len(kommuner) + len(regioner)  # every row is one of the two, no duplicates
    assert len(kommuner) == 290 and len(regioner) == 21
    assert all(len(c) == 4 and c.isdigit() for c in kommuner) and all(len(c) == 2 for c in regioner)
    assert all(c[:2] in regioner for c in kommuner)  # every kommun lies in a län with a region
    assert len(set(kommuner.values())) == 290  # no name twice
    for code, name in {
        "0180": "Stockholm",
        "1480": "Göteborg",
        "1280": "Malmö",
        "0380": "Uppsala",
        "2584": "Kiruna",
        "0114": "Upplands Väsby",
        "0182": "Nacka",
        "0980": "Gotland",
        "2380": "Östersund",
        "1290": "Kristianstad",
        "0581": "Norrköping",
        "2523": "Gällivare",
    }.items():
        assert kommuner[code] == name
    assert regioner["01"] == "Region Stockholm" and regioner["14"] == "Västra Götalandsregionen"
    assert regioner["25"] == "Region Norrbotten" and regioner["12"] == "Region Skåne"
    assert (
        sorted(int(c) for c in regioner) == [1, *range(3, 11), 12, 13, 14, *range(17, 26)]
        and "02" not in regioner
    )
    per_lan = {lan: sum(c[:2] == lan for c in kommuner) for lan in regioner}
    assert per_lan["01"] == 26 and per_lan["14"] == 49 and per_lan["12"] == 33 and per_lan["09"] == 1


def test_kolada_codes_read_as_kommun_region_group_and_unit_names():
    assert kolada.unit_name("0180") == "0180 Stockholm"
    assert kolada.unit_name("0001") == "0001 Region Stockholm"  # Kolada: 00 + länskod
    assert kolada.unit_name("0014") == "0014 Västra Götalandsregionen"
    assert kolada.unit_name("0000") == "0000 Riket"
    assert kolada.unit_name("G124") == "Kommungrupp G124"
    assert kolada.unit_name("G124", title="Storstäder") == "Storstäder"
    assert kolada.unit_name("V15E018000301", ou=True) == "Organisationsenhet V15E018000301"
    assert kolada.unit_name("9999") == "Kommun 9999"  # not in the list: said plainly


# --- pages ----------------------------------------------------------------------------------------
def test_two_pages_import_as_one_batch_and_undo_as_one(tmp_path):
    db = tmp_path / "k.db"
    r = socdesk("import", PAGE1, PAGE2, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "N00945_2023_sida1.json + N00945_2023_sida2.json: inläst som batch 1." in r.stdout
    assert "batch 2" not in r.stdout and "fler sidor" not in r.stdout  # complete: no note
    got = figures(db, "N00945")
    assert {u for u, _g in got} == {"K0180", "K0182", "K1480", "K1280", "K0001"}
    assert got[("K0180", "")].value.number == Decimal("27.4") and got[("K0180", "K")].value.number == Decimal(
        "26.1"
    )
    assert got[("K1280", "")].value.number == Decimal("31.5")
    with open_database(db) as store:
        names = {u.code: u.name for u in store.unit_tree()}
        assert len(store.batches()) == 1
    assert names["K0180"] == "0180 Stockholm" and names["K1480"] == "1480 Göteborg"
    assert names["K0001"] == "0001 Region Stockholm"
    assert socdesk("undo-import", "1", "--db", db).returncode == 0
    assert figures(db, "N00945") == {}


def test_a_page_alone_says_that_more_pages_exist(tmp_path):
    db = tmp_path / "k.db"
    r = socdesk("import", PAGE1, "--db", db)
    assert r.returncode == 0, r.stderr
    assert "N00945_2023_sida1.json är sida 1 av ett svar från Kolada med fler sidor" in r.stdout
    assert "page=2&per_page=3" in r.stdout
    r = socdesk("import", DATA / "v3_N01951_2023_sida3.json", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "Sidorna 1, 2 av svaret från Kolada finns inte bland filerna" in r.stdout
    assert figures(db, "N01951")[("K2584", "")].value.number == Decimal(22513)


def test_the_same_page_twice_or_pages_of_another_query_are_refused(tmp_path):
    db = tmp_path / "k.db"
    copy = tmp_path / "sida1-igen.json"
    copy.write_bytes(PAGE1.read_bytes())
    r = socdesk("import", PAGE1, copy, "--db", db)
    assert r.returncode == 1
    assert "N00945_2023_sida1.json och sida1-igen.json är samma sida (1) av svaret från Kolada." in r.stderr
    other = tmp_path / "annan-sida2.json"
    other.write_text(PAGE2.read_text(encoding="utf-8").replace("year/2023", "year/2022"), encoding="utf-8")
    r = socdesk("import", PAGE1, other, "--db", db)  # two queries: two imports, each with its note
    assert r.returncode == 0, r.stderr
    assert "batch 1" in r.stdout and "batch 2" in r.stdout
    assert "Sidan 1 av svaret från Kolada finns inte bland filerna" in r.stdout
    got = figures(db, "N00945")  # the pages that were given are in
    assert ("K0180", "") in got and ("K1280", "") in got


def test_pages_combined_refuse_a_whole_response_among_them():
    pages = [(p.name, kolada.read_kolada_json(p.read_bytes(), p.name)) for p in (PAGE1, PAGE2)]
    whole = DATA / "N00945_2023_grupper.json"
    with pytest.raises(kolada.TableError, match=re.escape("N00945_2023_grupper.json är ett helt svar")):
        kolada.combine_pages([*pages, (whole.name, kolada.read_kolada_json(whole.read_bytes(), whole.name))])
    records, notes = kolada.combine_pages(pages)
    assert len(records) == 7 and notes == []


# --- groups, statuses, organisational units --------------------------------------------------------
def test_groups_are_labelled_and_their_values_marked_as_unweighted_means(tmp_path):
    db = tmp_path / "k.db"
    r = socdesk("import", DATA / "N00945_2023_grupper.json", "--db", db)
    assert r.returncode == 0, r.stderr
    assert "2 värden för kommungrupper är ovägda medelvärden" in r.stdout
    assert "1 värde har en status från Kolada" in r.stdout
    got = figures(db, "N00945")
    assert got[("KG124", "")].value.number == Decimal("25.25")
    assert got[("KG124", "")].comment == "Ovägt medelvärde av 26 kommuner (Kolada)"
    assert (
        got[("KG33", "")].comment == "Ovägt medelvärde av 12 kommuner (Kolada); Koladas status: Preliminärt"
    )
    with open_database(db) as store:
        names = {u.code: u.name for u in store.unit_tree()}
        assert names["KG124"] == "Kommungrupp G124"
        table = statistics_table(store, "KG33")
    (row,) = table.rows
    assert row.values[table.periods.index(YEAR)].number == Decimal("22.1")
    assert "Koladas status: Preliminärt" in row.value_notes[table.periods.index(YEAR)]


def test_status_and_organisational_units_are_kept(tmp_path):
    db = tmp_path / "k.db"
    r = socdesk("import", DATA / "oudata_N15033_2023.json", "--db", db)
    assert r.returncode == 0, r.stderr
    got = figures(db, "N15033")
    assert got[("KV15E018000301", "")].value.number == Decimal("88.0")
    missing = got[("KV21E148000101", "")]
    assert missing.value.status is Status.NOT_COMPUTABLE and missing.comment == "Koladas status: Missing"
    with open_database(db) as store:
        names = {u.code: u.name for u in store.unit_tree()}
        assert store.unit_tree()["KV15E018000301"].parent == kolada.ROOT
    assert names["KV15E018000301"] == "Organisationsenhet V15E018000301"


def test_the_statistik_tab_shows_the_note_beside_the_value(qtbot, tmp_path):
    from socdesk.gui.statistics_view import NOTE_MARK, StatisticsView

    db = tmp_path / "k.db"
    assert socdesk("import", DATA / "N00945_2023_grupper.json", "--db", db).returncode == 0
    with open_database(db) as store:
        table = statistics_table(store, "KG124")
    view = StatisticsView()
    qtbot.addWidget(view)
    view.set_table(table)
    column = table.periods.index(YEAR) + 1
    index = view.model.index(0, column)
    assert view.model.data(index) == "25,3" + NOTE_MARK
    assert view.model.data(index, Qt.ItemDataRole.ToolTipRole) == "Ovägt medelvärde av 26 kommuner (Kolada)"
    assert "ⁱ = värdet har en anmärkning" in view.empty.text()


def test_a_record_with_both_municipality_and_ou_is_refused():
    data = b'{"values": [{"kpi": "N1", "municipality": "0180", "ou": "V1", "period": 2023, "values": []}]}'
    with pytest.raises(
        kolada.TableError, match=re.escape("k.json, post 1: posten anger både municipality och ou")
    ):
        kolada.read_kolada_json(data, "k.json")
