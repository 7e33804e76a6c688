"""Seed 001 read back: the demo's Nyckeltalsbilaga 2023 (template ``nyckeltal-nacka``), made as a
user makes it (``socdesk report`` to .xlsx and .pdf, subprocesses), prints every figure of
every table of 001 at its table, row and column.

The oracle is the transcription of 001 (``build_scripts/seedtables/s001.py``'s
``printed_tables``: the document's tables with their cells as printed), not the report's own
numbers. Where 001 contradicts itself (docs/seeds.md) the stated figure is printed and the row
carries a footnote giving the figure its parts give; ``CONTRADICTIONS`` says which, with that
figure worked out here from the oracle's own cells.
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
from seedtables.s001 import Printed, printed_tables  # noqa: E402

TABLES = printed_tables()
# The template's table ids, in the document's order (one per printed table).
KEYS = [
    "bou-akt",
    "bou-hdv",
    "bou-inst",
    "bou-inst-sis",
    "bou-stod",
    "bou-fh",
    "bou-jour",
    "bou-opv",
    "vux-akt",
    "vux-hdv",
    "vux-inst",
    "vux-inst-sis",
    "vux-stod",
    "vux-fh",
    "vux-opv",
    "vnr-akt",
    "vnr-skb",
    "sps-akt",
    "sps-hdv",
    "sps-hvb",
    "sps-stod",
    "sps-trl",
    "sps-sab",
    "sps-opv",
    "fys-akt",
    "fys-hemtjanst",
    "lss-akt",
    "lss-insatser",
    "lss-pa",
    "lss-resor",
]
SPACES = re.compile(r"[\u00a0\u202f\u2009]")
DASHES = ("-", "–")


def _table(key: str) -> Printed:
    return TABLES[KEYS.index(key)]


def _cell(key: str, label: str, year: int) -> str:
    t = _table(key)
    return dict(t.rows)[label][t.years.index(year)]


def _number(printed: str) -> Decimal:
    """A figure as 001 prints it ("801 053 kr", "24,0", "3640") as a number."""
    return Decimal(printed.removesuffix(" kr").replace(" ", "").replace(",", "."))


def _swedish(value: Decimal, decimals: int) -> str:
    """Swedish print with a space between thousands (001 prints "3640" once, "2 627" next to it:
    the same figure, one way of grouping its digits)."""
    whole, _dot, frac = f"{abs(value):.{decimals}f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return ("−" if value < 0 else "") + " ".join(groups) + ("," + frac if frac else "")


def _decimals(printed: str) -> int:
    number = printed.removesuffix(" kr")
    return len(number.split(",")[1]) if "," in number else 0


def _sum_of(year: int, label: str, *keys: str) -> Decimal:
    return sum((_number(_cell(k, label, year)) for k in keys), Decimal(0))


BOU_FORMS = ("bou-inst", "bou-stod", "bou-fh", "bou-jour")
SPS_FORMS = ("sps-hvb", "sps-stod", "sps-trl", "sps-sab")
DAYS = {2019: 365, 2020: 366, 2021: 365, 2022: 365, 2023: 365}
# (table, row, year) → the figure the seed's own parts give, printed in the row's footnote.
CONTRADICTIONS: dict[tuple[str, str, int], str] = {}
for y in (2019, 2020, 2021, 2022):  # Total heldygnsvård BoU ≠ its four forms (2023 agrees)
    CONTRADICTIONS[("bou-hdv", "Antal dygn per år", y)] = _swedish(
        _sum_of(y, "Antal dygn per år", *BOU_FORMS), 0
    )
    CONTRADICTIONS[("bou-hdv", "Årsplaceringar", y)] = _swedish(_sum_of(y, "Årsplaceringar", *BOU_FORMS), 1)
# Socialpsykiatri heldygnsvård 2022 ≠ HVB + stödboende + träningslägenhet + särskilt boende
CONTRADICTIONS[("sps-hdv", "Antal dygn per år", 2022)] = _swedish(
    _sum_of(2022, "Antal dygn per år", *SPS_FORMS), 0
)
CONTRADICTIONS[("sps-hdv", "Årsplaceringar", 2022)] = _swedish(_sum_of(2022, "Årsplaceringar", *SPS_FORMS), 1)
# Vuxna årsplaceringar 2019: 60,0 printed, 21 735 dygn ÷ 365 = 59,5
CONTRADICTIONS[("vux-hdv", "Årsplaceringar", 2019)] = _swedish(
    _number(_cell("vux-hdv", "Antal dygn per år", 2019)) / DAYS[2019], 1
)
# Skyddat boende: the cost per årsplacering ≠ the cost per dygn × the year's days (2020: 366)
for y in (2020, 2021, 2022, 2023):
    CONTRADICTIONS[("vnr-skb", "Nettokostnad per årsplacering", y)] = _swedish(
        _number(_cell("vnr-skb", "Nettokostnad per dygn", y)) * DAYS[y], 0
    )


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
    """The demo database and the Nyckeltalsbilaga 2023 as .xlsx and .pdf, each made by the CLI."""
    folder = tmp_path_factory.mktemp("seed001")
    env = dict(os.environ, XDG_DATA_HOME=str(folder / "data"), XDG_CONFIG_HOME=str(folder / "config"))
    db = folder / "demo.db"
    r = socdesk("demo", "--db", db, env=env)
    assert r.returncode == 0, r.stderr
    out = {"env": env, "db": db, "folder": folder}
    for suffix in (".xlsx", ".pdf"):
        path = folder / f"nyckeltal{suffix}"
        r = socdesk(
            "report", "--template", "nyckeltal-nacka", "--db", db, "--period", "2023", "-o", path, env=env
        )
        assert r.returncode == 0, r.stderr
        assert path.exists()
        out[suffix] = path
    return out


# --- the oracle itself -----------------------------------------------------------------------
def test_the_oracle_is_all_of_001():
    """30 tables, 746 printed cells (figures and the dashes of years without data), the ten LSS
    insats rows and their Summering, Öppenvård Vuxna and Socialpsykiatri, Personlig assistans."""
    assert len(TABLES) == len(KEYS) == 30
    assert sum(len(cells) for t in TABLES for _label, cells in t.rows) == 746
    assert len(_table("lss-insatser").rows) == 11
    assert next(label for label, _c in _table("vux-opv").rows) == "Strukturerad öppenvårdsbehandling"
    assert len(_table("sps-opv").rows) == 6
    assert _cell("lss-pa", "Antal timmar, summa per år", 2020) == "215 159"
    assert (
        _cell("vux-inst", "Årsplaceringar", 2019) == "25"
        and _cell("vux-inst", "Årsplaceringar", 2022) == "24,0"
    )
    assert CONTRADICTIONS[("bou-hdv", "Antal dygn per år", 2019)] == "37 021"
    assert CONTRADICTIONS[("vux-hdv", "Årsplaceringar", 2019)] == "59,5"
    assert CONTRADICTIONS[("vnr-skb", "Nettokostnad per årsplacering", 2020)] == "1 150 338"


# --- Excel -----------------------------------------------------------------------------------
def _sheets(path: Path):
    """Per sheet: its name, its title cell and its rows of values (None for empty)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    for ws in book.worksheets:
        rows = [[c for c in row] for row in ws.iter_rows()]
        yield ws.title, ws.cell(1, 1).value or "", rows


def _shown_decimals(cell) -> int:
    fmt = cell.number_format.split(";")[0]
    return len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0


def _header_row(rows, t: Printed) -> int:
    want = [t.corner] + [f"Utfall {y}" for y in t.years]
    for i, row in enumerate(rows):
        values = [c.value for c in row[: len(want)]]
        if values == want:
            return i
    raise AssertionError(f"{t.heading}: no header row {want}")


def test_every_figure_of_every_table_is_in_the_workbook_at_its_row_and_column(made):
    sheets = list(_sheets(made[".xlsx"]))
    tables = [s for s in sheets if any(c.value == "Utfall 2023" for row in s[2][:8] for c in row)]
    assert len(tables) == len(TABLES), [s[0] for s in sheets]
    checked = 0
    for (name, title, rows), t, key in zip(tables, TABLES, KEYS, strict=True):
        # the table is findable by its key or number (sheet name) or its title (title cell)
        assert key in f"{name} {title}" or (t.mode != "sis" and t.heading in str(title)), (name, title, key)
        header = _header_row(rows, t)
        by_label = {}
        for row in rows[header + 1 :]:
            if row and isinstance(row[0].value, str):
                by_label.setdefault(row[0].value.strip(), row)
        for label, cells in t.rows:
            assert label in by_label, f"{key}: row «{label}» missing; rows: {list(by_label)}"
            row = by_label[label]
            for year, printed, cell in zip(t.years, cells, row[1 : 1 + len(t.years)], strict=True):
                where = f"{key} «{label}» {year}"
                if printed in DASHES:
                    assert cell.value in (None, *DASHES), f"{where}: {cell.value!r} for a dash"
                else:
                    assert isinstance(cell.value, int | float), f"{where}: {cell.value!r} is not a number"
                    assert Decimal(str(cell.value)) == _number(printed), f"{where}: {cell.value} ≠ {printed}"
                    assert _shown_decimals(cell) == _decimals(printed), f"{where}: {cell.number_format}"
                checked += 1
    assert checked == 746


def test_the_seeds_contradictions_are_footnoted_under_their_table_in_the_workbook(made):
    """Under each table whose figures 001 contradicts, a footnote line per contradicting cell:
    its row, its year, the stated figure and the figure the document's parts or inputs give."""
    sheets = [s for s in _sheets(made[".xlsx"]) if any(c.value == "Utfall 2023" for r in s[2][:8] for c in r)]
    for (key, label, year), other in CONTRADICTIONS.items():
        _name, _title, rows = sheets[KEYS.index(key)]
        lines = [SPACES.sub(" ", str(r[0].value)) for r in rows if r and isinstance(r[0].value, str)]
        printed = _swedish(_number(_cell(key, label, year)), _decimals(_cell(key, label, year)))
        wanted = [n for n in lines if n.startswith(f"{label}: ") and str(year) in n]
        assert wanted, f"{key} «{label}» {year}: no footnote line"
        assert any(printed in n and other in n for n in wanted), (key, label, year, wanted)
    noted = {
        (key, r[0].value.split(":")[0])
        for key, (_n, _t, rows) in zip(KEYS, sheets, strict=True)
        for r in rows
        if r and isinstance(r[0].value, str) and "källan anger" in r[0].value
    }
    assert noted == {(key, label) for key, label, _y in CONTRADICTIONS}  # and no other row


# --- PDF -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf_text(made) -> str:
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(made[".pdf"]).pages)
    return SPACES.sub(" ", text)


def _words(text: str) -> str:
    """A printed text as a pattern that allows any line breaks between its words."""
    return r"\s+".join(re.escape(w) for w in text.split())


SUP = r"(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d+\))"  # a footnote's mark: "¹" (or "1)")
MARK = r"(?:\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d+\)))*"  # footnote marks after a label: "¹" or "1)"


def _figure(printed: str) -> str:
    if printed in DASHES:
        return "[-–]"
    return re.escape(_swedish(_number(printed), _decimals(printed))) + r"(?: kr)?" + MARK


def test_every_figure_of_every_table_is_in_the_pdf_in_its_table_row_and_column_order(pdf_text):
    """Tables in the document's order, each after its title and header; each row's label is
    followed by its figures, as printed, year by year."""
    at = 0
    checked = 0
    for t, key in zip(TABLES, KEYS, strict=True):
        if t.mode != "sis":
            found = re.compile(_words(t.heading)).search(pdf_text, at)
            assert found, f"{key}: title «{t.heading}» not found after position {at}"
            at = found.end()
        header = _words(" ".join([t.corner] + [f"Utfall {y}" for y in t.years]))
        found = re.compile(header).search(pdf_text, at)
        assert found and found.start() - at < 200, (
            f"{key}: header {t.corner} | Utfall … not found under its title"
        )
        at = found.end()
        for label, cells in t.rows:
            pattern = _words(label) + MARK + "".join(r"\s+" + _figure(c) for c in cells) + r"(?![\d,]| \d)"
            found = re.compile(pattern).search(pdf_text, at)
            assert found, f"{key} «{label}»: {' | '.join(cells)} not found in order after position {at}"
            at = found.end()
            checked += len(cells)
    assert checked == 746


def test_the_seeds_contradictions_print_the_stated_figure_with_a_footnote(pdf_text):
    """Each contradicting cell's row carries a footnote mark, and under its table a footnote
    names the year, the stated figure (printed in the cell, asserted above) and the figure the
    document's own parts or inputs give."""
    for (key, label, year), other in CONTRADICTIONS.items():
        t = _table(key)
        start = re.compile(_words(t.heading)).search(pdf_text).end()
        end = re.compile(_words(TABLES[KEYS.index(key) + 1].heading)).search(pdf_text, start).start()
        segment = pdf_text[start:end]
        assert re.search(_words(label) + r"\s*" + SUP, segment), f"{key} «{label}»: no footnote mark"
        stated = _words(_swedish(_number(_cell(key, label, year)), _decimals(_cell(key, label, year))))
        note = rf"{SUP}\s[^)]*?\b{year}\b[^)]{{0,80}}?\b{stated}\b[^)]{{0,120}}?\b{_words(other)}\b"
        assert re.search(note, segment), f"{key} «{label}» {year}: no footnote giving {other}"


def test_the_texts_of_001_are_printed_where_the_template_places_them(pdf_text):
    """The introduction (a report text of the demo, from seeds/texts/001.toml) before the first
    table, and the kronpärm note under each table whose labels it explains."""
    intro = re.compile(_words("Utfallet för 2023 är inte helt fastställt.")).search(pdf_text)
    first = re.compile(_words(TABLES[0].heading)).search(pdf_text)
    assert intro and first and intro.start() < first.start()
    note = _words("*Om socialtjänsten inte inleder utredning sparas anmälan och förhandsbedömningen")
    assert len(re.findall(note, pdf_text)) == 5


# --- choosing the template, and what its disclosure setting does -------------------------------
def test_the_nyckeltal_report_of_board_n_is_the_nacka_template(made):
    """`socdesk report nyckeltal --unit N` (no --template) makes 001's Bilaga 3."""
    env, db, folder = made["env"], made["db"], made["folder"]
    out = folder / "by-kind.html"
    r = socdesk("report", "nyckeltal", "--unit", "N", "--db", db, "--period", "2023", "-o", out, env=env)
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    assert "Bilaga 3. Nyckeltal och mått 2023 Socialnämnden" in text
    assert "Öppenvård Socialpsykiatri, antal kunder" in text


def test_a_copy_that_applies_roejandekontroll_hides_the_small_counts_001_printed(made):
    """001 prints counts of 1–3 persons (the template says ``disclosure = "source"``: the source
    controlled its figures). A kommun's copy set to ``"protect"`` prints them as * instead, and
    counts that are not persons (vårddygn) stay."""
    from openpyxl import load_workbook

    env, db, folder = made["env"], made["db"], made["folder"]
    r = socdesk("template", "copy", "nyckeltal-nacka", "nyckeltal-skyddad", env=env)
    assert r.returncode == 0, r.stderr
    copies = list((folder / "data").rglob("nyckeltal-skyddad.toml"))
    assert len(copies) == 1, r.stdout
    text = copies[0].read_text(encoding="utf-8")
    assert 'disclosure = "source"' in text
    copies[0].write_text(text.replace('disclosure = "source"', 'disclosure = "protect"'), encoding="utf-8")
    out = folder / "protected.xlsx"
    r = socdesk(
        "report", "--template", "nyckeltal-skyddad", "--db", db, "--period", "2023", "-o", out, env=env
    )
    assert r.returncode == 0, r.stderr
    book = load_workbook(out)
    tables = [
        {row[0].value: [c.value for c in row[1:6]] for row in ws.iter_rows() if row[0].value} for ws in book
    ]
    (rows,) = [t for t in tables if "Nettokostnad" in t]  # Familjehem vuxna: the one with its net cost
    t = _table("vux-fh")
    assert _cell("vux-fh", "Antal unika personer", 2022) == "2"
    persons = rows["Antal unika personer"]
    assert persons[t.years.index(2022)] == "*"
    assert persons[t.years.index(2023)] == 4  # the threshold itself is printed
    assert rows["Antal dygn per år"][t.years.index(2022)] == 174  # days, not persons
