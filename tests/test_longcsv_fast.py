"""The long CSV's fast path (socdesk/io/longfast.py) against the row-by-row one (hypothesis):
on any file it takes, exactly the same figures, rows, units and count; a file the row-by-row
path refuses it never takes, so every message (file, row, column) comes from that path. And
``socdesk import`` takes the fast path on socdesk's own export and on a controller's file."""

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socdesk.core.units import Unit
from socdesk.io.longcsv import ImportFileError, parse_long_rows
from socdesk.io.longfast import fast_long_rows
from socdesk.io.seeds import open_database
from socdesk.io.text import decode, read_rows

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
HEADER = ("enhet", "namn", "överordnad", "period", "mått", "scenario", "värde", "skala", "kön", "version")
UNITS = ["N", "A", "B"]

value = st.one_of(
    st.integers(-(10**9), 10**9).map(str),
    st.builds(lambda w, f: f"{w},{f}", st.integers(-9999, 9999), st.sampled_from(["5", "50", "25", "0001"])),
    st.integers(1000, 10**7).map(lambda i: f"{i:,}".replace(",", "\u00a0")),
    st.integers(1000, 10**7).map(lambda i: f"{i:,}".replace(",", " ")),
    st.integers(1, 999).map(lambda i: f"\u2212{i}"),
    st.sampled_from(["", "*", ".", "-", "1,2,3", "12 %", "abc", "1e3", " 5", "5 ", "1,00001", "10" * 8]),
)
row = st.tuples(
    st.sampled_from([*UNITS, "X", ""]),  # X: new, defined on a row of its own or not at all
    st.sampled_from(["2024-01", "2024-02", "2024-T1", "2024-01/2024-04", "2024", "2024-13", ""]),
    st.sampled_from(["netto", "kostnader", "aktualiseringar", "okänt"]),
    st.sampled_from(["utfall", "budget", "avvikelse", "prognos", "fel"]),
    value,
    st.sampled_from(["", "kr", "tkr", "mnkr", "Tkr", "miljoner"]),
    st.sampled_from(["", "", "K", "m", "x"]),
    st.sampled_from(["", "", "2024-04"]),
)


def csv_text(rows, defines: str, negate_marks: str) -> str:
    lines = [";".join(HEADER)]
    if defines:
        lines.append(f"X;Ny enhet;{defines};;;;;;;")
    for unit, period, measure, scenario, v, scale, gender, version in rows:
        lines.append(";".join([unit, "", "", period, measure, scenario, v, scale, gender, version]))
    return "\r\n".join(lines) + negate_marks


def both(store, text: str, negate: bool):
    tree, measures = store.unit_tree(), store.measures()
    fast = fast_long_rows(text, ";", "f.csv", "sha", tree, measures, costs_negative=negate)
    header, rows = read_rows(text, "f.csv")
    try:
        slow = parse_long_rows(header, rows, "f.csv", "sha", tree, measures, costs_negative=negate)
    except ImportFileError as err:
        slow = err
    return fast, slow


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = open_database(tmp_path_factory.mktemp("fast") / "db.db")
    s.add_units([Unit("N", "Nämnd"), Unit("A", "A", "N"), Unit("B", "B", "N", part=True)])
    yield s
    s.close()


@SETTINGS
@given(
    rows=st.lists(row, max_size=12),
    defines=st.sampled_from(["", "N", "Q"]),
    ending=st.sampled_from(["", "\r\n", "\r\n\r\n", "\n\n", "\r\n\r\n\r\n"]),
    negate=st.booleans(),
)
def test_the_fast_path_gives_what_the_row_by_row_path_gives(store, rows, defines, ending, negate):
    fast, slow = both(store, csv_text(rows, defines, ending), negate)
    if fast is None:
        return  # declined: the row-by-row path reads it (and names what is wrong)
    assert not isinstance(slow, ImportFileError), slow
    assert (fast.fact_rows, list(fast.lines), fast.new_units, fast.rows) == (
        slow.fact_rows,
        slow.lines,
        slow.new_units,
        slow.rows,
    )


CLEAN = (
    "enhet;namn;överordnad;period;mått;scenario;värde;skala;kön;version;grupp;kommentar;källa;därav\r\n"
    "X;Ny enhet;N;;;;;;;;;;;\r\n"
    "X;;;2024-01;netto;utfall;-1 234,5;tkr;;;;en kommentar;ekonomi;\r\n"
    "X;;;2024-T1;kostnader;budget;2,25;mnkr;;;;;;\r\n"
    "A;;;2024;aktualiseringar;utfall;12;;k;;;;;\r\n"
    "A;;;2024;aktualiseringar;utfall;*;;m;;;;;\r\n"
    "B;;;2024-02;netto;avvikelse;500;kr;;;;;;\r\n"
    "B;;;2024-03;netto;utfall;;kr;;;;;;\r\n"
)


@pytest.mark.parametrize("negate", [False, True])
def test_a_clean_file_takes_the_fast_path(store, negate):
    fast, slow = both(store, CLEAN, negate)
    assert fast is not None and fast.rows == 6
    assert (fast.fact_rows, list(fast.lines), fast.new_units) == (slow.fact_rows, slow.lines, slow.new_units)
    assert fast.fact_rows[0][9] == (1 if negate else -1) * 12_345_000_000  # −1 234,5 tkr, in 1/10 000 kr
    assert fast.fact_rows[0][11] == 1_000_000  # stated to 100 kr


@pytest.mark.parametrize("ending", ["\r\n", "\r\n\r\n", "\r\n\r\n\r\n"])
def test_blank_lines_at_the_end_keep_the_fast_path(store, ending):
    """A file sent again with one more line break at its end (benchmarks/bench_longcsv's
    re-import) went row by row before: 1 M rows, 80 s CPU and 1,8 GB instead of 30 s."""
    fast, slow = both(store, CLEAN.removesuffix("\r\n") + ending, False)
    assert fast is not None and fast.rows == 6
    assert (fast.fact_rows, list(fast.lines), fast.new_units) == (slow.fact_rows, slow.lines, slow.new_units)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("-1 234,5;tkr", "-1 234,5;st"), "f.csv, rad 3, kolumn skala: Okänd skala"),
        (
            ("A;;;2024;aktualiseringar;utfall;12;;k", "A;;;2024;aktualiseringar;utfall;12;tkr;k"),
            "rad 5, kolumn skala",
        ),
        (("B;;;2024-03", "B;;;2024-13"), "f.csv, rad 8, kolumn period"),
        (("500;kr", "5 00;kr"), "f.csv, rad 7, kolumn värde"),
        (("X;Ny enhet;N", "X;;N"), "f.csv, rad 2, kolumn namn"),
        (("B;;;2024-03;netto;utfall", "B;;;2024-02;netto;avvikelse"), "samma uppgift som rad 7"),
    ],
)
def test_a_bad_cell_is_named_by_the_row_by_row_path(store, tmp_path, change, message):
    text = CLEAN.replace(*change)
    fast, slow = both(store, text, False)
    assert fast is None and isinstance(slow, ImportFileError) and message in str(slow)
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "socdesk", "import", "--db", str(store.path), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1 and message in run.stderr and "databasen är oförändrad" in run.stderr


def test_decoded_once_either_way(store):
    """The fast path reads the text ``decode`` gave, as the row-by-row path reads its rows."""
    data = ("\ufeff" + CLEAN).encode("utf-8")
    fast, slow = both(store, decode(data, "f.csv"), False)
    assert fast is not None and fast.fact_rows == slow.fact_rows
