"""Every importer against damaged and odd input (hypothesis): a clear Swedish message naming the
file, and the database unchanged; never a crash. And the fast ledger path agrees exactly with
the row-by-row one."""

import hashlib
import io
import random
import zipfile
from decimal import Decimal
from pathlib import Path

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
    "bred.ods": (Path(__file__).parent / "data" / "excel" / "dold_kolumn_och_rad.ods").read_bytes(),
    "bred.xls": (Path(__file__).parent / "data" / "excel" / "dold_kolumn_och_rad.xls").read_bytes(),
}


@pytest.fixture(scope="module")
def db_file(tmp_path_factory):
    from socdesk.io.seeds import build_demo

    path = tmp_path_factory.mktemp("fuzz") / "demo.db"
    build_demo(path)
    return path


def digest(store) -> str:
    rows = store.conn.execute(
        "SELECT * FROM facts ORDER BY unit_id, measure, scenario, gender, grp, version, period_start, period_end"
    ).fetchall()
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
        assert name.split(".")[0] in str(err) or "enhetskod" in str(err) or "ersätta" in str(err), str(err)
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


# --- hostile structure, per importer (issue 11 §6) ------------------------------------------
HOSTILE = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def attempt_rolled_back(db_file, data: bytes, name: str) -> None:
    store = open_database(db_file)
    try:
        with store.transaction():
            attempt(store, data, name)
            raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()


SIE_PIECES = st.sampled_from(
    [
        "#TRANS 4010 ",
        "#PSALDO 0 202406 4010 ",
        "#VER A 1 20240601 ",
        '{1 "7762"} ',
        "{1 ",
        "}",
        "{",
        '"',
        '\\"',
        "\\",
        '"text" ',
        "1000.50 ",
        "999999999999999.00 ",
        "-0.01 ",
        "1e5 ",
        " ",
        "\r\n",
        "å",
    ]
)


@HOSTILE
@given(lines=st.lists(st.lists(SIE_PIECES, max_size=12).map("".join), max_size=8))
def test_hostile_sie_records_are_refused_with_the_line(db_file, lines):
    text = SIE + "#VER A 1 20240601\r\n{\r\n" + "\r\n".join(lines) + "\r\n}\r\n"
    attempt_rolled_back(db_file, text.encode("cp437", errors="replace"), "bok.se")


JSON_LEAF = st.one_of(
    st.sampled_from(["null", "true", "false"]),
    st.sampled_from(
        ["NaN", "Infinity", "-Infinity", "1e400", "9" * 400, "-0", "1.5", '"1,5"', '"abc"', '"T"']
    ),
    st.integers(-(10**20), 10**20).map(str),
)


def json_value(depth: int = 0):
    """JSON text (not objects: duplicate keys and bare NaN must survive to the parser)."""
    if depth > 3:
        return JSON_LEAF
    keys = st.sampled_from(["kpi", "municipality", "period", "values", "value", "gender", "status", "x"])
    obj = st.lists(st.tuples(keys, st.deferred(lambda: json_value(depth + 1))), max_size=5).map(
        lambda pairs: "{" + ", ".join(f'"{k}": {v}' for k, v in pairs) + "}"
    )
    arr = st.lists(st.deferred(lambda: json_value(depth + 1)), max_size=4).map(
        lambda vs: "[" + ", ".join(vs) + "]"
    )
    return st.one_of(JSON_LEAF, obj, arr)


@HOSTILE
@given(rows=st.lists(json_value(1), max_size=4), deep=st.integers(0, 3000))
def test_hostile_kolada_json_is_refused_with_the_record(db_file, rows, deep):
    text = '{"values": [' + ", ".join(rows) + "]" + ', "kpi": ' + "[" * deep + "]" * deep + "}"
    attempt_rolled_back(db_file, text.encode("utf-8"), "kolada.json")


CELLS = st.one_of(
    st.sampled_from(
        [float("nan"), float("inf"), float("-inf"), 10**15, -(10**30), 1e300, "=1+1", "", " ", "\ufeff7762"]
    ),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40),
    st.integers(-(10**13), 10**13),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-(10**13), max_value=10**13).map(
        float
    ),
)


@HOSTILE
@given(
    header=st.sampled_from(
        [
            ["Ansvar", "jan 2024", "feb 2024"],
            ["Ansvar", "Konto", "Period", "Belopp"],
            ["enhet", "period", "mått", "scenario", "värde"],
            ["Ansvar", "Belopp", "belopp", "Period"],
        ]
    ),
    rows=st.lists(st.lists(CELLS, min_size=1, max_size=5), max_size=4),
)
def test_hostile_xlsx_cells_are_refused_with_the_cell(db_file, header, rows):
    attempt_rolled_back(db_file, xlsx_bytes([header, *[["7762", *r] for r in rows]]), "bok.xlsx")


@HOSTILE
@given(
    lines=st.lists(
        st.tuples(
            st.sampled_from(["Hemtjänst", "Äldreomsorg", "Öppenvård", "Plain", "HemtjÃ¤nst", 'a"b', '"c']),
            st.sampled_from(["utf-8", "cp1252"]),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_mixed_encodings_are_refused_never_stored_as_mojibake(db_file, lines):
    """Accepted: every name exactly as written. Refused: lines in both encodings, and text that
    is mojibake already (valid UTF-8 ``HemtjÃ¤nst``)."""
    lines = [(n, "utf-8" if n == "HemtjÃ¤nst" else e) for n, e in lines]  # its cp1252 bytes are UTF-8
    head = "enhet;namn;överordnad;period;mått;scenario;värde\r\n".encode(lines[0][1])
    rows = [
        f'H{i};"{n.replace(chr(34), 2 * chr(34))}";SN;2024-06;netto;utfall;{i}\r\n'
        for i, (n, _e) in enumerate(lines)
    ]
    data = head + b"".join(row.encode(enc) for row, (_n, enc) in zip(rows, lines, strict=True))
    store = open_database(db_file)
    try:
        with store.transaction():
            attempt(store, data, "enheter.csv")
            names = {u.code: u.name for u in store.unit_tree() if u.code.startswith("H")}
            if names:
                assert names == {f"H{i}": n for i, (n, _e) in enumerate(lines)}
                assert not any("Ã" in n for n in names.values())
                assert {e for n, e in [("ö", lines[0][1]), *lines] if not n.isascii()} != {"utf-8", "cp1252"}
            raise _Rollback
    except _Rollback:
        pass
    finally:
        store.close()
