"""Every importer against damaged and odd input (hypothesis): a clear Swedish message naming the
file, and the database unchanged; never a crash. And the fast ledger path agrees exactly with
the row-by-row one."""

import hashlib
import io
import random
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from socdesk.core.errors import SocdeskError
from socdesk.io import importer
from socdesk.io.seeds import open_database
from socdesk.io.sheets import read_sheets
from socdesk.io.tables import aggregate_ledger, detect, ledger_frame

SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

LEDGER = "Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;1\u00a0000,50\r\n7764;3010;2024-06;-20\r\n"
SIE = (
    '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#RAR 0 20240101 20241231\r\n#DIM 1 "Kostnadsställe"\r\n'
    '#PSALDO 0 202406 4010 {1 "7762"} 1000.50\r\n'
)
KOLADA = '{"values": [{"kpi": "N1", "municipality": "0180", "period": 2023, "values": [{"gender": "T", "value": 1.5}]}]}'


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SAMPLES = {
    "huvudbok.csv": LEDGER.encode("utf-8"),
    "huvudbok-1252.csv": LEDGER.replace("\u00a0", " ").encode("cp1252"),
    "bok.se": SIE.encode("cp437"),
    "kolada.json": KOLADA.encode("utf-8"),
    "bred.xlsx": xlsx_bytes([["Ansvar", "jan 2024", "feb 2024"], ["7762", 1, 2]]),
    "lang.csv": "enhet;period;mått;scenario;värde\r\n7762;2024-06;netto;utfall;5\r\n".encode(),
}


@pytest.fixture(scope="module")
def db_file(tmp_path_factory):
    from socdesk.io.seeds import build_demo

    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    build_demo(path)
    return path


def digest(store) -> str:
    rows = store.conn.execute("SELECT * FROM facts ORDER BY id").fetchall()
    rows += store.conn.execute("SELECT * FROM units ORDER BY id").fetchall()
    rows += store.conn.execute("SELECT id, file_name, undone_at FROM import_batches ORDER BY id").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def attempt(store, data: bytes, name: str) -> None:
    """Import, or a SocdeskError whose message names the file; anything else fails the test."""
    before = digest(store)
    try:
        source = importer.read_source(data, name, store)
        importer.execute(
            store,
            importer.plan(
                store,
                source,
                create=dict.fromkeys(importer.unknown_units(source, store.unit_tree(), {}), "SN"),
            ),
            replace=True,
        )
    except SocdeskError as err:
        assert name.split(".")[0] in str(err) or "enhetskoder" in str(err) or "ersätta" in str(err), str(err)
        assert digest(store) == before  # nothing changed
        return


@SETTINGS
@given(name=st.sampled_from(sorted(SAMPLES)), cut=st.floats(0, 1), seed=st.integers(0, 10_000))
def test_truncated_and_corrupted_files(db_file, tmp_path_factory, name, cut, seed):
    data = SAMPLES[name]
    rnd = random.Random(seed)
    damaged = bytearray(data[: int(len(data) * cut)])
    for _ in range(rnd.randint(0, 3)):
        if damaged:
            damaged[rnd.randrange(len(damaged))] = rnd.randrange(256)
    store = open_database(db_file)
    try:
        with store.transaction():  # every example starts from the same database
            attempt(store, bytes(damaged), name)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()


class _Rollback(Exception):
    pass


@SETTINGS
@given(
    cells=st.lists(
        st.one_of(
            st.sampled_from(
                ["=SUM(A1:A3)", "+1", "-", "@x", "1e309", "12,3,4", "−2 006", "", "abc", "1.234"]
            ),
            st.decimals(
                allow_nan=False, allow_infinity=False, places=2, min_value=-(10**20), max_value=10**20
            ).map(str),
            st.integers(-(10**30), 10**30).map(str),
        ),
        min_size=1,
        max_size=6,
    ),
    separator=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
def test_odd_cells_separators_and_encodings_in_ledgers(db_file, cells, separator, encoding):
    lines = ["Ansvar;Konto;Period;Belopp".replace(";", separator)]
    lines += [separator.join(["7762", "4010", "2024-06", c]) for c in cells]
    text = "\r\n".join(lines) + "\r\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    store = open_database(db_file)
    try:
        with store.transaction():
            attempt(store, data, "huvudbok.csv")
            raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()


def test_empty_sheets_and_broken_zips_are_named(db_file, tmp_path):
    store = open_database(db_file)
    try:
        for name, data in [
            ("tom.xlsx", xlsx_bytes([])),
            ("trasig.xlsx", b"PK\x03\x04" + bytes(100)),
            ("tom.csv", b""),
            ("bara-rubrik.csv", b"Ansvar;Konto;Period;Belopp\r\n"),
        ]:
            before = digest(store)
            with pytest.raises(SocdeskError) as err:
                source = importer.read_source(data, name, store)
                importer.execute(store, importer.plan(store, source))
            assert name.split(".")[0] in str(err.value)
            assert digest(store) == before
        zf = io.BytesIO()
        with zipfile.ZipFile(zf, "w") as z:
            z.writestr("nonsense.txt", "x")
        with pytest.raises(SocdeskError, match="ingen läsbar Excel-arbetsbok"):
            importer.read_source(zf.getvalue(), "fel.xlsx", store)
    finally:
        store.close()


def test_the_fast_ledger_path_equals_the_exact_row_by_row_path(db_file):
    rnd = random.Random(7)
    rows = ["Ansvar;Konto;Bokföringsdatum;Belopp"]
    for _ in range(5000):
        ore = rnd.randint(-(10**9), 10**9)
        whole, frac = divmod(abs(ore), 10_000)
        amount = (
            ("-" if ore < 0 else "")
            + f"{whole:,}".replace(",", "\u00a0")
            + ","
            + f"{frac:04d}".rstrip("0").ljust(1, "0")
        )
        rows.append(
            f"{rnd.choice(['7762', '7764', '7711'])};{rnd.choice([3010, 4010, 5010, 1930])};2024-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d};{amount}"
        )
    data = ("\r\n".join(rows) + "\r\n").encode("utf-8")
    store = open_database(db_file)
    try:
        fast = importer.read_source(data, "h.csv", store)
        sheet = read_sheets(data, "h.csv")[0]
        profile = detect(sheet)
        frame, headers = ledger_frame(sheet, profile)
        slow = aggregate_ledger(frame, headers, profile, lambda line, col: f"h.csv, rad {line}")
    finally:
        store.close()
    fast_sums = {
        (r.unit, r.measure, str(r.period)): r.value.number for r in fast.records if r.measure != "netto"
    }
    slow_sums = {k: Decimal(v) / 10_000 for k, v in slow.sums.items()}
    assert fast_sums == slow_sums and fast.left_out == slow.left_out and len(fast_sums) > 50
