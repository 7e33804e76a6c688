"""Seed 003 read back: the demo's Månadsuppföljning maj 2024 for SN (template ``manad``), made as a
user makes it (``socdesk demo`` and ``socdesk report`` to .xlsx and .pdf, subprocesses), prints
every figure of 003's tables – the program overview ending in Totalt, and the detail pages, each
program with its verksamheter – at its table, row and column.

The oracle is the transcription (``build_scripts/seedtables/s003.py``: the tables typed as
printed), not the report's own numbers. Where 003 contradicts itself the report prints the
stated figure with a footnote: 771's Årsbudget is 134 114 on the overview and 139 324 (the sum
of its verksamheter) on its detail page; the detail table prints the stated 134 114 and a
footnote giving 139 324 (the overview's 771 row carries the same footnote).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build_scripts"))
from seedtables import s003  # noqa: E402

HEADER = ["Verksamhet", "Utfall", "Budget", "Avvikelse", "Årsbudget"]
OVERVIEW = "Utfall, budget och avvikelse jan–maj 2024 per program (tkr)"
DETAIL = "Utfall, budget och avvikelse jan–maj 2024 per verksamhet (tkr)"
DETAIL_771_ARSBUDGET = "139 324"  # 771's row on its detail page (s003's docstring; the seed's p.5)
SPACES = re.compile(r"[\u00a0\u202f\u2009]")
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
MARK = r"(?:\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d+\)))*"  # footnote marks after a label: "¹" or "1)"


def rows_of(text: str) -> list[tuple[str, list[str]]]:
    """(label as printed, the four figures as printed) per line of the transcription."""
    out = []
    for line in text.strip().splitlines():
        code, name, *figures = line.split("|")
        out.append((f"{code} {name}", figures))
    return out


def overview() -> list[tuple[str, list[str]]]:
    total = s003.TOTAL.split("|")[2:]
    return [*rows_of(s003.PROGRAMS), ("Totalt", total)]


def detail() -> list[tuple[str, list[str]]]:
    """The detail pages in order: each program's row (as on the overview, except 771's
    Årsbudget), then its verksamheter; 100 and 285 stand alone on page 2."""
    out = []
    programs = dict(rows_of(s003.PROGRAMS))
    for label, figures in rows_of(s003.PROGRAMS):
        code = label.split()[0]
        if code not in s003.DETAIL and code not in ("100", "285"):
            continue  # 753 has no detail page in 003
        if code == "771":
            figures = [*figures[:3], DETAIL_771_ARSBUDGET]
        out.append((label, figures))
        out += rows_of(s003.DETAIL.get(code, ""))
    assert len(programs) == 10
    return out


def number(printed: str) -> Decimal:
    return Decimal(printed.replace(" ", ""))


def socdesk(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "socdesk", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed003")
    env = dict(os.environ, SOCDESK_BASEDIR=str(folder / "data"))
    db = folder / "demo.db"
    r = socdesk("demo", "--db", db, env=env)
    assert r.returncode == 0, r.stderr
    out = {}
    for suffix in (".xlsx", ".pdf"):
        path = folder / f"manad{suffix}"
        r = socdesk("report", "manad", "--db", db, "--period", "2024-05", "--unit", "SN", "-o", path, env=env)
        assert r.returncode == 0, r.stderr
        out[suffix] = path
    return out


def test_the_oracle_is_all_of_003():
    """The overview's ten programs and Totalt, the detail pages' 9 program rows and 73
    verksamheter: 4 figures each."""
    assert len(overview()) == 11 and len(detail()) == 9 + 73
    assert sum(len(f) for _l, f in overview() + detail()) == 4 * (11 + 82) == 372


# --- Excel -----------------------------------------------------------------------------------
def sheet_rows(path: Path, title: str) -> dict[str, list]:
    """The rows under the header of the sheet whose title cell names the table, by label."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheets = [ws for ws in book.worksheets if title in str(ws.cell(1, 1).value or "")]
    assert len(sheets) == 1, [ws.cell(1, 1).value for ws in book.worksheets]
    rows = list(sheets[0].iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if list(row[:5]) == HEADER)
    out: dict[str, list] = {}
    for row in rows[header + 1 :]:
        if isinstance(row[0], str) and row[0].strip():
            assert row[0].strip() not in out, f"{title}: row «{row[0]}» twice"
            out[row[0].strip()] = list(row[1:5])
    return out


@pytest.mark.parametrize(
    "title, oracle", [(OVERVIEW, overview), (DETAIL, detail)], ids=["overview", "detail"]
)
def test_every_figure_is_in_the_workbook_at_its_row_and_column(made, title, oracle):
    rows = sheet_rows(made[".xlsx"], title)
    checked = 0
    for label, figures in oracle():
        assert label in rows, f"{title}: row «{label}» missing; rows: {list(rows)[:12]} …"
        for column, printed, value in zip(HEADER[1:], figures, rows[label], strict=True):
            want = number(printed)
            if (label, column, printed) == ("771 Äldreomsorg", "Årsbudget", DETAIL_771_ARSBUDGET):
                want = number("134 114")  # the stated figure; the footnote gives 139 324 (PDF test)
            assert isinstance(value, int | float | Decimal), f"{label} / {column}: {value!r}"
            assert Decimal(str(value)) == want, f"{title}: {label} / {column}: {value} ≠ {printed}"
            checked += 1
    assert checked == 4 * len(oracle())


# --- PDF -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_text(made) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(made[".pdf"]).pages)
    for ligature, letters in LIGATURES.items():  # the PDF's font draws "ff" as one glyph
        text = text.replace(ligature, letters)
    return SPACES.sub(" ", text).replace("\u2212", "-")


def words(text: str) -> str:
    return r"\s+".join(re.escape(w) for w in text.split())


def test_every_figure_is_in_the_pdf_in_table_row_and_column_order(pdf_text):
    """Each table after its title; each row's label followed by its four figures as 003 prints
    them, rows in 003's order (pages may break between rows; the header repeats)."""
    at = 0
    checked = 0
    for title, oracle in ((OVERVIEW, overview), (DETAIL, detail)):
        found = re.compile(words(title)).search(pdf_text, at)
        assert found, f"title «{title}» not found after {at}"
        at = found.end()
        for label, figures in oracle():
            if label == "771 Äldreomsorg" and title == DETAIL:
                figures = [*figures[:3], "134 114"]  # stated; footnoted below
            pattern = words(label) + MARK + "".join(r"\s+" + re.escape(f) for f in figures) + r"(?![\d,]| \d)"
            hit = re.compile(pattern).search(pdf_text, at)
            assert hit, f"{title}: «{label}» {' | '.join(figures)} not found in order after {at}"
            at = hit.end()
            checked += len(figures)
    assert checked == 372


def test_771s_arsbudget_prints_the_stated_figure_with_a_footnote_giving_the_detail_pages(pdf_text):
    start = re.compile(words(DETAIL)).search(pdf_text).end()
    row = re.compile(r"771\s+Äldreomsorg\s*([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d+\))\s+58 611\s+57 760\s+-851\s+134 114").search(
        pdf_text, start
    )
    assert row, "771's row on the detail table has no footnote mark"
    note = re.compile(r"^" + re.escape(row[1]) + r"\s+([^\n]*)", re.M).search(pdf_text, row.end())
    assert note and "134 114" in note[1] and DETAIL_771_ARSBUDGET in note[1], note and note[1]
    assert "Årsbudget" in note[1]
