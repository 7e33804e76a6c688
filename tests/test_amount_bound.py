"""The one bound on a stated figure (|v| < 10¹², ``socdesk.core.numbers.check_bound``): every
reader, the entry form and the store go through it, and a sum past 64 bits is refused.

"One place" is tested by moving the bound: with ``MAX_MAGNITUDE`` lowered to a million, every
path refuses 1 000 000 and keeps 999 999 exactly. A path with its own copy of the rule would
still take the million."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from socdesk.core import numbers
from socdesk.core.entry import check_cell
from socdesk.core.errors import ParseError, SocdeskError
from socdesk.core.facts import Fact, FactKey, Scenario
from socdesk.core.numbers import MAX_MAGNITUDE, Scale
from socdesk.core.periods import parse_period
from socdesk.core.units import Unit
from socdesk.core.values import Value, to_store_int
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.store.db import SumOverflowError

ROOT = Path(__file__).resolve().parents[1]


class Money:
    is_money, is_exact_count = True, False


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def files(amount: str) -> dict[str, bytes]:
    """One file per reader stating ``amount`` (Swedish text, or a number for the XLSX cells,
    SIE and JSON)."""
    plain = amount.replace(" ", "")
    return {
        "lang.csv": f"enhet;period;mått;scenario;värde\r\n771;2024-06;netto;utfall;{amount}\r\n".encode(),
        "bred.csv": f"Ansvar;jan 2024;feb 2024\r\n7762;{amount};1\r\n".encode(),
        "huvudbok.csv": f"Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;{plain}\r\n".encode(),  # fast path
        "huvudbok-exakt.csv": f"Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;{amount},00\r\n".encode(),
        "bred.xlsx": xlsx([["Ansvar", "jan 2024", "feb 2024"], ["7762", int(plain), 1]]),
        "huvudbok.xlsx": xlsx(
            [["Ansvar", "Konto", "Period", "Belopp"], ["7762", "4010", "2024-06", int(plain)]]
        ),
        "lang.xlsx": xlsx(
            [["enhet", "period", "mått", "scenario", "värde"], ["771", "2024-06", "netto", "utfall", amount]]
        ),
        "bok.se": (
            '#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#DIM 1 "Kostnadsställe"\r\n'
            f'#PSALDO 0 202406 4010 {{1 "7762"}} {plain}.00\r\n'
        ).encode("cp437"),
        "kolada.json": (
            '{"values": [{"kpi": "N1", "municipality": "0180", "period": 2023, '
            f'"values": [{{"gender": "T", "value": {plain}}}]}}]}}'
        ).encode(),
        "kolada.csv": f"kpi;municipality;period;gender;value;status\r\nN1;0180;2023;T;{amount};\r\n".encode(),
    }


def stated(store, name: str, data: bytes) -> set[Decimal]:
    """The figures ``read_source`` and ``plan`` make of a file (nothing is written)."""
    source = importer.read_source(data, name, store)
    create = dict.fromkeys(importer.unknown_units(source, store.unit_tree(), {}), "SN")
    plan = importer.plan(store, source, create=create)
    return {f.value.number for f in plan.facts if f.value.is_number} - {Decimal(1)}  # feb 2024 is 1


@pytest.fixture
def store(demo_db):
    s = open_database(demo_db)
    yield s
    s.close()


def every_path_on(store, amount: str, expected: Decimal) -> dict[str, str]:
    """Each path's refusal message for ``amount`` ('' when it took exactly ``expected``)."""
    out = {}
    for name, data in files(amount).items():
        try:
            got = stated(store, name, data)
        except SocdeskError as err:
            out[name] = str(err)
        else:
            assert got == {expected}, (name, got)
            out[name] = ""
    check = check_cell(amount, Money, scale=Scale.KR)
    out["entry form"] = check.error
    if check.ok:
        assert check.value.number == expected
    try:
        to_store_int(Decimal(expected))
        out["store"] = ""
    except ParseError as err:
        out["store"] = str(err)
    return out


def test_the_bound_holds_on_every_path(store):
    inside = every_path_on(store, "999 999 999 999", Decimal(999_999_999_999))
    assert inside == dict.fromkeys(inside, ""), inside
    beyond = every_path_on(store, "1 000 000 000 000", Decimal(10**12))
    assert all("för stort" in m for m in beyond.values()), beyond
    assert len(beyond) == 12


def test_the_bound_is_one_definition_that_every_path_reads(store, monkeypatch):
    monkeypatch.setattr(numbers, "MAX_MAGNITUDE", Decimal(1_000_000))
    inside = every_path_on(store, "999 999", Decimal(999_999))
    assert inside == dict.fromkeys(inside, ""), inside
    beyond = every_path_on(store, "1 000 000", Decimal(1_000_000))
    assert all("för stort" in m for m in beyond.values()), beyond
    # the ledger sums too: two rows inside the bound, their sum not
    with pytest.raises(SocdeskError, match=r"summan för 7762 kostnader 2024-06.*för stort"):
        stated(
            store,
            "h.csv",
            b"Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;600000\r\n7762;4010;2024-06;600000\r\n",
        )


def test_no_second_copy_of_the_bound_in_the_code():
    """The comparison and its message live in ``check_bound``; other modules only call it (the
    ledger's vectorised prefilter reads ``MAX_MAGNITUDE`` through ``numbers.bound_scaled``)."""
    sources = {p: p.read_text(encoding="utf-8") for p in (ROOT / "socdesk").rglob("*.py")}
    for path, text in sources.items():
        rel = path.relative_to(ROOT).as_posix()
        if rel != "socdesk/core/numbers.py":
            assert "är för stort" not in text, rel
            assert not re.search(r"10\s*\*\*\s*1[2-9]|1e1[2-9]|MAX_INTEGER_DIGITS", text), rel
        if "MAX_MAGNITUDE" in text:
            assert rel == "socdesk/core/numbers.py", rel


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    whole=st.integers(0, 10**15),
    scale=st.sampled_from(list(Scale)),
)
def test_parse_value_takes_exactly_what_the_bound_admits(whole, scale):
    from socdesk.core.values import parse_value

    text = f"{whole:,}".replace(",", " ")
    value = Decimal(whole) * scale.factor
    if value < MAX_MAGNITUDE:
        assert parse_value(text, scale).number == value
        assert to_store_int(value) == int(value) * 10_000
    else:
        with pytest.raises(ParseError, match="för stort"):
            parse_value(text, scale)


def test_a_rollup_sum_past_64_bits_is_refused_and_nothing_is_written(tmp_path):
    store = open_database(tmp_path / "db.db")
    store.add_units([Unit("P", "Förälder", None), *(Unit(f"C{i}", f"Barn {i}", "P") for i in range(1000))])
    month = parse_period("2024-06")
    at_bound = Value.of(MAX_MAGNITUDE - 1)  # 1 000 of these pass 2⁶³ ten-thousandths
    facts = [Fact(FactKey(f"C{i}", "netto", Scenario.ACTUAL, month), at_bound) for i in range(1000)]
    before = store.facts_count(), len(store.audit_rows())
    with pytest.raises(SumOverflowError, match="för stor för att räknas exakt"):
        store.write_facts(facts, source="test")
    assert (store.facts_count(), len(store.audit_rows())) == before
    store.write_facts(facts[:900], source="test")  # 900 at the bound still sum exactly
    assert store.facts_count() == before[0] + 900
    store.close()
