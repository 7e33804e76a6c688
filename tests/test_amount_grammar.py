"""One grammar for an amount (issue 12 §1): ``parse_number`` decides, and every path that reads an
amount cell – the ledger's fast pandas path (``amounts_e4``, text, never a float), its
row-by-row path (``amount_e4``), the wide and long layouts (``parse_value``) – takes the same
texts with the same value and refuses the others with the same message.

The property tests write files the way Excel, LibreOffice and ledger exports write them
(semicolon CSV, CRLF, Windows-1252 or UTF-8 with BOM, fields quoted only where they must be)
and read them through ``importer.read_source``, the entry point of the wizard and of
``socdesk import``; the issue's four cases run ``socdesk import`` as a subprocess."""

from __future__ import annotations

import csv
import hashlib
import io
import subprocess
import sys
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from socdesk.core.errors import ParseError, SocdeskError
from socdesk.core.numbers import AMOUNT, parse_number
from socdesk.core.values import Value, amount_e4
from socdesk.io import importer, tables
from socdesk.io.longcsv import export_rows
from socdesk.io.seeds import open_database

SP = [" ", "\u00a0", "\u2009", "\u202f"]  # the thousands separators Excel, Word and LibreOffice write

# --- cell texts, weighted to what is nearly an amount ------------------------------------------
digits = st.text("0123456789", min_size=1, max_size=4)
groups = st.builds(
    lambda parts, sep: sep.join(parts),
    st.lists(digits, min_size=1, max_size=5),
    st.sampled_from([*SP, "", "  ", " \u00a0"]),
)
near_amount = st.builds(
    lambda lead, sign, whole, point, frac, suffix, trail: lead + sign + whole + point + frac + suffix + trail,
    st.sampled_from(["", "", " ", "\u00a0", "\u3000", "\t"]),
    st.sampled_from(["", "", "-", "−", "–", "+", "(", "( ", "- ", "-(", "(−", "'", "="]),
    st.one_of(groups, st.just("")),
    st.sampled_from(["", ",", ",", ".", ".", ",,", ".,", " ,"]),
    st.one_of(st.text("0123456789", max_size=10), st.sampled_from(["0000", "50000", "00000001"])),
    st.sampled_from(["", "", ")", " )", "%", " %", " kr", "kr", "KR", "e5", "E-3", "e", '"', "-", "%)"]),
    st.sampled_from(["", "", " ", "\u00a0"]),
)
noise = st.text("0123456789 ,.-−–+eE\"\u00a0\u2009\u202f()%kr'\t", max_size=14)
decimals_as_written = st.decimals(
    min_value=-(10**14), max_value=10**14, allow_nan=False, allow_infinity=False, places=6
).map(str)  # 1E+5, -0.000100 …
large = st.integers(-(10**16), 10**16).map(lambda i: f"{i:,}".replace(",", "\u00a0"))
cell_text = st.one_of(near_amount, near_amount, near_amount, noise, decimals_as_written, large)


def scalar(text: str) -> int | str:
    """What the grammar makes of an amount cell: ten-thousandths, or the refusal message."""
    try:
        return amount_e4(text.strip())
    except ParseError as err:
        return str(err)


def whole_digits(text: str) -> int:
    m = AMOUNT.fullmatch(text)
    return sum(c.isdigit() for c in m["whole"]) if m else 0


@settings(max_examples=300, deadline=None)
@given(st.lists(cell_text, min_size=1, max_size=30))
def test_the_vectorised_grammar_equals_parse_number_cell_by_cell(cells):
    """``amounts_e4`` (the fast path's form) takes a column only if ``parse_number`` takes every
    cell, with the same value; it may leave to the row-by-row path only numbers with more
    whole digits than int64 holds as ten-thousandths."""
    fast = tables.amounts_e4(cells)
    expected = [scalar(c) for c in cells]
    if fast is None:
        assert any(isinstance(e, str) for e in expected) or any(whole_digits(c) > 14 for c in cells)
    else:
        assert [int(v) for v in fast] == expected


def test_parse_number_and_the_grammar_agree_on_the_documented_forms():
    for text, value in [
        ("1 234,5", "1234.5"),
        ("\u22122\u00a0006", "-2006"),
        ("-2006", "-2006"),
        ("1234.50", "1234.50"),
        ("1\u202f234\u2009567,25", "1234567.25"),
        ("(1 234)", "-1234"),
        ("801 053 kr", "801053"),
        ("12 %", "12"),
        (",5", "0.5"),
        ("1,00000", "1.00000"),
    ]:
        assert parse_number(text) == Decimal(value), text
        assert tables.amounts_e4([text]) is not None, text
    for text, reason in [
        ("1e5", "exponent"),
        ("1E5", "exponent"),
        ("12 34,5", "tre siffror"),
        ("1.234", "tvetydigt"),
        ("(−5)", "inte båda"),
        ("1,2,3", "decimalkomman"),
        ("٣", "inget tal"),  # an Arabic-Indic digit is no digit 0–9
    ]:
        with pytest.raises(ParseError, match=reason):
            parse_number(text)
        assert tables.amounts_e4([text]) is None
    with pytest.raises(ParseError, match="fler än 4 decimaler"):
        amount_e4("1,00000001")
    assert amount_e4("1,00000000") == 10_000


# --- files, through the import entry point -------------------------------------------------------
def ledger_csv(cells: list[str], encoding: str, quote_one: bool) -> bytes:
    """A huvudbok as Excel/LibreOffice save "CSV (semikolonavgränsad)": a field is quoted only
    when it must be; with ``quote_one`` the first ansvar is quoted too, as LibreOffice does with
    text cells, which sends the file to the row-by-row path."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["Ansvar", "Konto", "Period", "Belopp"])
    for i, cell in enumerate(cells):
        w.writerow([("9001", "9002")[i % 2], "4010", ("2024-05", "2024-06-30")[i % 3 == 0], cell])
    text = out.getvalue()
    if quote_one:
        text = text.replace("\r\n9001;", '\r\n"9001";', 1)
    return text.encode(encoding)


def wide_csv(cells: list[str], encoding: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(["Ansvar", "jun 2024", "jul 2024"])
    for i, cell in enumerate(cells):
        w.writerow([f"9{i:03d}", cell, "1"])
    return out.getvalue().encode(encoding)


def outcome(store, data: bytes, name: str = "h.csv"):
    """The figures ``read_source`` states, or its refusal lines."""
    try:
        source = importer.read_source(data, name, store)
    except SocdeskError as err:
        return "refused", sorted(getattr(err, "errors", [str(err)]))
    return "read", sorted((r.unit, r.measure, str(r.period), r.value.number) for r in source.records)


def expected_ledger(cells: list[str]):
    """What the file must give by ``parse_number`` (through ``amount_e4``) cell by cell."""
    read = [scalar(c) for c in cells]
    refused = [f"h.csv, rad {i + 2}, kolumn Belopp: {r}" for i, r in enumerate(read) if isinstance(r, str)]
    if refused:
        return "refused", sorted(refused)
    sums: dict[tuple[str, str], int] = {}
    first: dict[tuple[str, str], int] = {}
    for i, e4 in enumerate(read):
        key = (("9001", "9002")[i % 2], ("2024-05", "2024-06")[i % 3 == 0])
        sums[key] = sums.get(key, 0) + e4
        first.setdefault(key, i + 2)
    records, errors = [], []
    for (unit, month), e4 in sorted(sums.items()):
        try:
            value = Value.of(Decimal(e4) / 10_000).number
        except ParseError as err:
            errors.append(
                f"h.csv, rad {first[(unit, month)]}: summan för {unit} kostnader {month} "
                f"(från den raden och framåt): {err}"
            )
            continue
        records += [(unit, m, month, value) for m in ("kostnader", "netto")]
    return ("refused", sorted(errors)) if errors else ("read", sorted(records))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from socdesk.io.seeds import build_demo

    path = tmp_path_factory.mktemp("grammar") / "demo.db"
    build_demo(path)
    s = open_database(path)
    yield s
    s.close()


GRAMMAR = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@GRAMMAR
@given(cells=st.lists(cell_text, min_size=1, max_size=8), encoding=st.sampled_from(["cp1252", "utf-8-sig"]))
def test_fast_path_equals_row_by_row_path_equals_parse_number(store, monkeypatch, cells, encoding):
    try:
        "".join(cells).encode(encoding)
    except UnicodeEncodeError:
        encoding = "utf-8-sig"  # Windows-1252 has no U+2212, thin or narrow no-break space
    fast_results = []
    real_fast = importer.fast_ledger_csv

    def spy(*args, **kwargs):
        fast_results.append(real_fast(*args, **kwargs))
        return fast_results[-1]

    monkeypatch.setattr(importer, "fast_ledger_csv", spy)
    plain = outcome(store, ledger_csv(cells, encoding, quote_one=False))
    took_fast = fast_results[-1] is not None
    quoted = outcome(store, ledger_csv(cells, encoding, quote_one=True))
    assert fast_results[-1] is None  # a quote: the row-by-row path
    assert plain == quoted == expected_ledger(cells)
    if plain[0] == "read" and not any('"' in c or whole_digits(c.strip()) > 14 for c in cells):
        assert took_fast  # the fast path itself gave that answer
    # the wide layout (parse_value): the same value, or the same refusal, for every non-status cell
    numeric = [c for c in cells if c.strip() not in ("", "-", "*", ".")]
    if numeric:
        wide = outcome(store, wide_csv(numeric, encoding))
        read = [scalar(c) for c in numeric]
        if any(isinstance(r, str) for r in read):
            assert wide == (
                "refused",
                sorted(
                    f"h.csv, rad {i + 2}, kolumn jun 2024: {r}"
                    for i, r in enumerate(read)
                    if isinstance(r, str)
                ),
            )
        else:
            stated = {u: v for u, m, p, v in wide[1] if p == "2024-06" and m == "netto"}
            assert stated == {f"9{i:03d}": Decimal(r) / 10_000 for i, r in enumerate(read)}


def test_a_quote_in_one_row_changes_neither_the_figures_nor_the_refusals(store):
    cells = ["1\u00a0234,50", "\u22122 006", "1234.50", "(500)", "12 kr"]
    for encoding in ("cp1252", "utf-8-sig"):
        if encoding == "cp1252":
            cells = [c.replace("\u2212", "-") for c in cells]
        plain, quoted = (outcome(store, ledger_csv(cells, encoding, q)) for q in (False, True))
        assert plain == quoted and plain[0] == "read"
        assert plain == expected_ledger(cells)
        assert ("9001", "kostnader", "2024-05", Decimal("1246.5")) in plain[1]  # 1234.50 + 12 kr
        assert ("9002", "kostnader", "2024-06", Decimal("-500")) in plain[1]  # (500)
    bad = [*cells, "12 34,5"]
    plain, quoted = (outcome(store, ledger_csv(bad, "utf-8-sig", q)) for q in (False, True))
    assert plain == quoted == ("refused", [f"h.csv, rad 7, kolumn Belopp: {scalar('12 34,5')}"])


# --- the issue's four cases, as a user meets them: socdesk import ------------------------------
def socdesk(*args):
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)], capture_output=True, text=True, timeout=120
    )


def xlsx_text_cells(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def files_stating(cell: str) -> dict[str, bytes]:
    """One file per path that reads an amount cell as text."""
    return {
        "huvudbok.csv": f"Ansvar;Konto;Period;Belopp\r\n7762;4010;2024-06;{cell}\r\n".encode("cp1252"),
        "huvudbok-citat.csv": (
            f'Ansvar;Konto;Period;Belopp\r\n"7762";4010;2024-06;{cell}\r\n'.encode("cp1252")
        ),
        "huvudbok.xlsx": xlsx_text_cells(
            [["Ansvar", "Konto", "Period", "Belopp"], ["7762", "4010", "2024-06", cell]]
        ),
        "bred.csv": f"Ansvar;jun 2024;jul 2024\r\n7762;{cell};1\r\n".encode("utf-8-sig"),
        "lang.csv": f"enhet;period;mått;scenario;värde\r\n7762;2024-06;netto;utfall;{cell}\r\n".encode(),
    }


WHERE = {
    "huvudbok.csv": "huvudbok.csv, rad 2, kolumn Belopp",  # the fast path
    "huvudbok-citat.csv": "huvudbok-citat.csv, rad 2, kolumn Belopp",  # a quote: row by row
    "huvudbok.xlsx": "huvudbok.xlsx, blad Sheet, rad 2, kolumn Belopp (D)",
    "bred.csv": "bred.csv, rad 2, kolumn jun 2024",
    "lang.csv": "lang.csv, rad 2, kolumn värde",
}


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("1e5", "”1e5”: tal med exponent (e) godtas inte."),
        ("1,00000001", "”1,00000001” har fler än 4 decimaler i kronor (eller basenheten)."),
        ("12 34,5", "”12 34,5”: tusentalsgrupperna måste ha tre siffror (t.ex. 1 234 567)."),
    ],
)
def test_the_issues_cells_are_refused_on_every_path_naming_file_row_and_column(
    demo_db, tmp_path, cell, reason
):
    paths = []
    for name, data in files_stating(cell).items():
        paths.append(tmp_path / name)
        paths[-1].write_bytes(data)
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    r = socdesk("import", *paths, "--db", demo_db)
    assert r.returncode == 1
    for path in paths:
        assert (
            f"socdesk: {path} lästes inte in; databasen är oförändrad:\n{WHERE[path.name]}: {reason}\n"
            in r.stderr
        )
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before


def exported(db, unit: str) -> dict[tuple[str, str], str]:
    """The unit's utfall as ``socdesk export`` writes it (mått, period → värde)."""
    store = open_database(db)
    try:
        header, *rows = export_rows(store, [unit])
    finally:
        store.close()
    by = [dict(zip(header, row, strict=True)) for row in rows]
    return {(d["mått"], d["period"]): d["värde"] for d in by if d["scenario"] == "utfall"}


def test_zero_extra_decimals_and_a_quote_in_another_row_read_the_same(demo_db, tmp_path):
    """``1,00000000`` is 1 kr; the file with a quoted name in one row gives what the file
    without it gives (the same cells, the other path)."""
    head = "Ansvar;Namn;Konto;Period;Belopp\r\n"
    rows = "9001;Hemtjänst;4010;2024-06;1,00000000\r\n9001;Hemtjänst;4010;2024-06;\u22122 006,5\r\n"
    plain = tmp_path / "huvudbok.csv"
    plain.write_bytes((head + rows).encode("utf-8-sig"))
    quoted = tmp_path / "huvudbok-citat.csv"
    quoted.write_bytes((head + rows.replace(";Hemtjänst;", ';"Hemtjänst, norr";', 1)).encode("utf-8-sig"))
    results = []
    for path in (plain, quoted):
        db = tmp_path / f"{path.stem}.db"
        db.write_bytes(demo_db.read_bytes())
        r = socdesk("import", path, "--db", db, "--create-under", "SN")
        assert r.returncode == 0, r.stderr
        results.append(exported(db, "9001"))
    assert results[0] == results[1]
    assert results[0][("kostnader", "2024-06")] == "-2005,5"
