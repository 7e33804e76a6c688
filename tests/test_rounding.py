"""One rounding rule (issue 12 §2): half up, through ``socdesk.core.numbers.round_half_up``.

A bare ``Decimal.quantize`` rounds half to even (0,125 → 0,12, where Excel shows 0,13), and so
does ``to_integral_value()``: the AST test below finds every such call in the package (and any
rounding mode spelled out other than floor/ceiling), so a second rounding rule cannot come back
unseen. (``round()`` on a Decimal rounds half to even too, but cannot be told from ``round()``
on a float without types; the one on a Decimal, in ``socdesk deviations --json``, is gone.)"""

from __future__ import annotations

import ast
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from socdesk.core.numbers import round_half_up
from socdesk.core.values import from_binary
from socdesk.io.longcsv import export_rows
from socdesk.io.seeds import open_database

PACKAGE = Path(__file__).resolve().parents[1] / "socdesk"
HELPER = ("core/numbers.py", "round_half_up")
DIRECTED = {"ROUND_FLOOR", "ROUND_CEILING"}  # not a rounding of a figure: allocation floors, axis ends


def rounding_offences(source: str, rel: str) -> list[str]:
    """Each call that rounds a Decimal other than through ``round_half_up``."""
    tree = ast.parse(source)
    compared: set[int] = set()  # x == x.to_integral_value(): a test, not a rounding
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            compared |= {id(n) for n in [node.left, *node.comparators]}
    inside_helper: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and (rel, node.name) == HELPER:
            inside_helper |= {id(n) for n in ast.walk(node)}
    out = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or id(node) in inside_helper:
            continue
        where = f"{rel}:{node.lineno}"
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        modes = [k.value for k in node.keywords if k.arg == "rounding"]
        mode_names = {m.id if isinstance(m, ast.Name) else getattr(m, "value", None) for m in modes}
        if name == "quantize":
            out.append(f"{where}: quantize() (use round_half_up)")
        elif name in ("to_integral_value", "to_integral") and not modes and id(node) not in compared:
            out.append(f"{where}: {name}() rounds half to even (use round_half_up)")
        elif modes and not mode_names <= DIRECTED:
            out.append(f"{where}: rounding={mode_names} (half up is round_half_up's)")
    return sorted(out, key=lambda o: int(o.split(":")[1]))


def test_no_rounding_outside_the_one_helper():
    offences = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        offences += rounding_offences(path.read_text(encoding="utf-8"), rel)
    assert offences == []


def test_the_rounding_check_finds_what_it_is_for():
    """The check itself, on the calls it exists to find (and on those it must let through)."""
    bad = """
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
a = x.quantize(Decimal("0.01"))
b = x.quantize(Decimal(1), rounding="ROUND_HALF_UP")
c = int(x.to_integral_value())
d = x.to_integral_value(rounding=ROUND_HALF_EVEN)
"""
    assert [o.split(": ")[0] for o in rounding_offences(bad, "reports/x.py")] == [
        "reports/x.py:3",
        "reports/x.py:4",
        "reports/x.py:5",
        "reports/x.py:6",
    ]
    fine = """
if x == x.to_integral_value():
    top = (x / step).to_integral_value(rounding=ROUND_CEILING)
y = round_half_up(x, 2)
"""
    assert rounding_offences(fine, "reports/x.py") == []


def test_round_half_up_rounds_halves_away_from_zero():
    assert round_half_up(Decimal("0.125"), 2) == Decimal("0.13")
    assert round_half_up(Decimal("-0.125"), 2) == Decimal("-0.13")
    assert round_half_up(Decimal("2.5")) == 3 and round_half_up(Decimal("-2.5")) == -3
    assert round_half_up(Decimal("0.124999"), 2) == Decimal("0.12")


def test_an_xlsx_number_is_its_shortest_repr_rounded_half_up():
    assert from_binary(0.125, 2) == Decimal("0.13")  # shown as 0,13 in Excel
    assert from_binary(2.675, 2) == Decimal("2.68")  # the float is 2.67499999…: Excel shows 2,68
    assert from_binary(0.1 + 0.2) == Decimal("0.3000")  # 0.30000000000000004: the store's resolution
    assert from_binary(1234.5) == Decimal("1234.5")  # no format: as precise as written
    assert from_binary(7762) == Decimal(7762)


def test_xlsx_cells_shown_with_two_decimals_are_stored_as_excel_shows_them(demo_db, tmp_path):
    """A workbook as openpyxl (and Excel) writes one: numbers with the format 0,00. socdesk
    import stores what the sheet shows, halves rounded up; a cell with more decimals than
    the store keeps is rounded to its resolution."""
    book = Workbook()
    ws = book.active
    ws.append(["Ansvar", "jun 2024", "jul 2024"])
    for code, value, fmt in [
        ("9001", 0.125, "0.00"),
        ("9002", -0.125, "0.00"),
        ("9003", 2.675, "#,##0.00"),
        ("9004", 0.1 + 0.2, "General"),
        ("9005", 1.00005, "General"),
    ]:
        ws.append([code, value, 1])
        ws.cell(ws.max_row, 2).number_format = fmt
    out = io.BytesIO()
    book.save(out)
    path = tmp_path / "budget.xlsx"
    path.write_bytes(out.getvalue())
    r = subprocess.run(
        [sys.executable, "-m", "socdesk", "import", str(path), "--db", str(demo_db), "--create-under", "SN"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    store = open_database(demo_db)
    try:
        header, *rows = export_rows(store, ["9001", "9002", "9003", "9004", "9005"])
    finally:
        store.close()
    stated = {
        d["enhet"]: d["värde"]
        for d in (dict(zip(header, row, strict=True)) for row in rows)
        if d["period"] == "2024-06"
    }
    assert stated == {"9001": "0,13", "9002": "-0,13", "9003": "2,68", "9004": "0,3", "9005": "1,0001"}
