"""`socdesk export` streams the facts from the database to the file (issue 15): the same bytes as
the export built whole in memory, every stored figure written by the integer path exactly as by
the Decimal one, and a cell Windows-1252 lacks still refused with nothing written."""

from __future__ import annotations

import subprocess
import sys

from hypothesis import given
from hypothesis import strategies as st

from socdesk.core.units import Unit
from socdesk.core.values import Status, Value, from_store_int
from socdesk.io.longcsv import COLUMNS, _export_stored, _export_value, csv_bytes
from socdesk.io.seeds import build_demo, open_database


def _reference_rows(store) -> list[list[str]]:
    """The export's rows as they were made before streaming: every fact as a ``Fact``, sorted by
    the unit's place in the tree and the key."""
    tree = store.unit_tree()
    measures = store.measures()
    rows = [list(COLUMNS)]
    rows += [
        [u.code, u.name, u.parent or ""] + [""] * (len(COLUMNS) - 4) + ["ja" if u.part else ""] for u in tree
    ]
    position = {u.code: i for i, u in enumerate(tree)}
    facts = sorted(
        store.facts(),
        key=lambda f: (
            position[f.key.unit],
            f.key.measure,
            f.key.scenario.value,
            f.key.period.start,
            f.key.period.end,
            f.key.version,
            f.key.group,
            f.key.gender,
        ),
    )
    for f in facts:
        k = f.key
        text, scale = _export_value(f.value, measures[k.measure].is_money)
        rows.append(
            [k.unit, "", "", str(k.period), k.measure, k.scenario.value, text, scale, k.version, k.gender,
             k.group, f.comment, f.source, ""]
        )  # fmt: skip
    return rows


def test_the_streamed_export_is_the_whole_export_byte_for_byte(tmp_path):
    db = tmp_path / "demo.db"
    build_demo(db)
    with open_database(db) as store:
        expected = csv_bytes(_reference_rows(store))
    out = tmp_path / "export.csv"
    subprocess.run(
        [sys.executable, "-m", "socdesk", "export", "--db", str(db), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == expected
    assert expected.count(b"\r\n") > 2500  # every demo fact and unit, not an empty file


@given(
    st.integers(-(10**15), 10**15),
    st.sampled_from(
        [None, 1, 10, 100, 1000, 2500, 5000, 10**4, 10**5, 10**6, 5 * 10**6, 10**7, 10**8, 10**9, 10**10]
    ),
    st.booleans(),
)
def test_a_stored_figure_is_written_as_the_decimal_path_writes_it(number, resolution, money):
    value = Value(from_store_int(number), Status.VALUE, from_store_int(resolution) if resolution else None)
    assert _export_stored(number, resolution, money) == _export_value(value, money)


def test_a_cell_cp1252_lacks_is_named_and_nothing_is_written(tmp_path):
    db = tmp_path / "demo.db"
    build_demo(db)
    with open_database(db) as store:
        store.add_units([Unit("9999", "Stöd ✓")])
    out = tmp_path / "export.csv"
    run = subprocess.run(
        [sys.executable, "-m", "socdesk", "export", "--db", str(db), "-o", str(out), "--encoding", "cp1252"],
        capture_output=True,
        text=True,
    )
    assert run.returncode != 0
    assert "U+2713" in run.stderr and "Windows-1252" in run.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name or "socdesk-tmp" in p.name]
