"""Period locks, the history of a cell, reverting a saved change, drafts."""

import pytest

from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.periods import Period, parse_period
from socdesk.core.roles import NotAllowedError, Role, require
from socdesk.core.values import Value
from socdesk.io.longcsv import ImportFileError, import_long_csv
from socdesk.io.seeds import open_database
from socdesk.store.db import PeriodLockedError, StoreError
from socdesk.store.figures import Figures


def key(unit="7762", period="2024-06", scenario=Scenario.ACTUAL):
    return FactKey(unit, "netto", scenario, parse_period(period))


@pytest.fixture
def store(demo_db):
    s = open_database(demo_db)
    yield s
    s.close()


def test_a_locked_month_refuses_saves_for_the_board_and_below(store):
    store.lock_period("SN", Period.month(2024, 6))
    assert store.locked("7762", Period.month(2024, 6)) and store.locked("SN", Period.year(2024))
    assert not store.locked("7762", Period.month(2024, 7)) and not store.locked("N", Period.month(2024, 6))
    before = (store.facts(), store.audit_rows())
    with pytest.raises(PeriodLockedError) as err:
        store.write_facts([Fact(key(period="2024-07"), Value.of(1)), Fact(key(), Value.of(2))], source="form")
    assert err.value.cells == [("7762", "2024-06")] and err.value.indexes == [1]
    assert "jun 2024" in str(err.value) and "inget sparades" in str(err.value)
    assert (store.facts(), store.audit_rows()) == before
    store.write_facts([Fact(key(period="2024-07"), Value.of(1))], source="form")  # July is open


def test_a_locked_period_refuses_an_import_naming_the_rows(store, tmp_path):
    store.lock_period("SN", Period.tertial(2024, 2))  # maj–aug
    f = tmp_path / "juni.csv"
    f.write_text(
        "enhet;period;mått;scenario;värde;skala\n7762;2024-04;netto;utfall;1;tkr\n"
        "7762;2024-06;netto;utfall;2;tkr\n7764;2024-05;netto;utfall;3;tkr\n",
        encoding="utf-8",
    )
    before = store.facts()
    with pytest.raises(ImportFileError) as err:
        import_long_csv(store, f)
    assert "juni.csv, rad 3" in str(err.value) and "juni.csv, rad 4" in str(err.value)
    assert "rad 2" not in str(err.value)
    assert store.facts() == before and len(store.batches()) == 5  # the demo's five, no new batch


def test_reopening_needs_a_reason_and_is_recorded(store):
    store.lock_period("SN", Period.month(2024, 6))
    with pytest.raises(StoreError, match="varför"):
        store.reopen_period("SN", Period.month(2024, 6), "  ")
    store.reopen_period("SN", Period.month(2024, 6), "Rättelse av felkonterad faktura")
    assert not store.locked("7762", Period.month(2024, 6))
    events = [(e["action"], e["unit_code"], e["period"], e["reason"]) for e in store.lock_events()]
    assert events == [
        ("lock", "SN", "2024-06", ""),
        ("reopen", "SN", "2024-06", "Rättelse av felkonterad faktura"),
    ]
    with pytest.raises(StoreError, match="inte låst"):
        store.reopen_period("SN", Period.month(2024, 6), "igen")


def test_roles():
    require(Role.CONTROLLER, Role.CONTROLLER.may_lock, "låsa perioder")
    with pytest.raises(NotAllowedError, match="Handläggare får inte låsa perioder"):
        require(Role.CASEWORKER, Role.CASEWORKER.may_lock, "låsa perioder")


def test_history_shows_every_change_with_its_source_and_revert_appends(store, tmp_path):
    k = FactKey("7762", "netto", Scenario.ACTUAL, parse_period("2024-01/2024-05"))
    assert [h["source"] for h in store.history(k)] == ["import"]
    assert store.history(k)[0]["file_name"] == "003_budgetuppfoljning_maj_2024.csv"
    store.write_facts([Fact(k, Value.of(17_500_000, 1000))], source="form")
    change = store.history(k)[-1]
    assert (change["old_value"], change["new_value"]) == (171_750_000_000, 175_000_000_000)
    store.revert(change["id"])
    hist = store.history(k)
    assert [h["source"] for h in hist] == ["import", "form", "revert"]
    assert hist[-1]["new_value"] == 171_750_000_000
    fig = Figures(store)
    netto = store.measures()["netto"]
    assert fig.values(["771"], netto, Scenario.ACTUAL, k.period)["771"].number == 58_611_000


def test_reverting_the_creation_of_a_cell_removes_it_and_keeps_the_rollup_right(store):
    k = key(period="2024-07")
    store.write_facts([Fact(k, Value.of(5000))], source="form")
    netto = store.measures()["netto"]
    assert Figures(store).values(["771"], netto, Scenario.ACTUAL, Period.month(2024, 7))["771"].number == 5000
    store.revert(store.history(k)[-1]["id"])
    assert [h["action"] for h in store.history(k)] == ["insert", "delete"]
    assert k not in {f.key for f in store.facts()}
    assert not Figures(store).values(["771"], netto, Scenario.ACTUAL, Period.month(2024, 7))["771"].is_number


def test_drafts_survive_until_cleared(demo_db):
    s = open_database(demo_db)
    s.save_draft("utfall:771:2024-06", {"7762/netto": "17 5", "7764/netto": "abc"})
    s.close()
    s = open_database(demo_db)
    assert s.drafts() == ["utfall:771:2024-06"]
    assert s.draft("utfall:771:2024-06") == {"7762/netto": "17 5", "7764/netto": "abc"}
    s.clear_draft("utfall:771:2024-06")
    assert s.drafts() == []
    s.close()
